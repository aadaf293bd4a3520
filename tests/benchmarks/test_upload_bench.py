"""What a company's upload can cost a render, and what refusing an image bomb costs (`make bench`).

The largest logo accepted (2000 x 2000 pixels of noise, a PNG under 5 MB, the worst case to decode; stored
downscaled to 1200 x 600) on a confirmation, against the same letter with no logo; and refusing a 20000 x 20000 PNG headshot, read from its
header only. Issue 9 asks that nothing a company uploads makes a render take more than a second.
"""
from __future__ import annotations

import io
import os

from flask import render_template
from werkzeug.datastructures import FileStorage

from casting.core.blobs import store_blob
from casting.core.errors import TooLarge
from casting.core.uploads import IMAGE_LIMIT, check_image, check_logo
from casting.documents import context as ctx
from casting.documents.codes import format_code
from casting.documents.render import SafeFetcher, html_to_pdf, with_qr
from tests.core.test_upload_bombs import blank_png
from tests.documents.factories import make_callback


def largest_logo() -> bytes:
    from PIL import Image

    img = Image.frombytes("L", (2000, 2000), os.urandom(2000 * 2000))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    data = buf.getvalue()
    assert len(data) <= IMAGE_LIMIT
    return check_logo(FileStorage(io.BytesIO(data), filename="logo.png")).data  # accepted, stored downscaled


def _letter(app, inv):
    context, blobs = ctx.invitation_context(inv)
    url = "http://callback.test/verify/0123456789AB"
    blobs, qr_url = with_qr(blobs, url)
    document = {"kind": "callback_confirmation", "kind_title": "Callback confirmation", "title": "Callback confirmation",
                "subject": "bench", "serial": "CB-2027-000001", "code": format_code("0123456789AB"), "verify_url": url,
                "qr_url": qr_url, "version": 1, "issued": ctx.when(inv.starts_at, "UTC"),
                "issued_iso": "2027-01-01T00:00:00Z", "audit_head": "0" * 64, "supersedes_serial": "", "reason": ""}
    with app.test_request_context():
        html = render_template("documents/pdf/callback_confirmation.html", **context, document=document, enclosures=[])
    return html, blobs


def test_render_with_the_largest_logo(benchmark, app):
    inv = make_callback()
    inv.session.production.company.logo_sha256 = store_blob(largest_logo(), "image/png").sha256
    html, blobs = _letter(app, inv)
    assert "logo" in html
    pdf = benchmark(lambda: html_to_pdf(html, fetcher=SafeFetcher(blobs)))
    assert pdf.startswith(b"%PDF-")


def test_render_with_no_logo(benchmark, app):
    html, blobs = _letter(app, make_callback())
    assert benchmark(lambda: html_to_pdf(html, fetcher=SafeFetcher(blobs))).startswith(b"%PDF-")


def test_refusing_a_20000_pixel_square_headshot(benchmark):
    bomb = blank_png(20000, 20000)

    def refuse():
        try:
            check_image(FileStorage(io.BytesIO(bomb), filename="me.png"))
        except TooLarge:
            return True
        return False

    assert benchmark(refuse)
