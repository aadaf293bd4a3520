"""WeasyPrint fetches nothing but the app's static files and the bytes a render was given."""
from __future__ import annotations

import http.server
import threading

import pytest

from casting.core.blobs import store_blob
from casting.documents import services
from casting.documents.render import STATIC_ROOT, FetchRefused, SafeFetcher, blob_url, html_to_pdf
from tests.documents.factories import make_callback
from tests.documents.helpers import pdf_of, reader, text_of
from tests.factories import png_bytes

SVG_LOGO = (b'<svg xmlns="http://www.w3.org/2000/svg" width="60" height="30" viewBox="0 0 60 30">'
            b'<rect width="60" height="30" fill="#ff8000"/><circle cx="15" cy="15" r="9" fill="#fff"/></svg>')


@pytest.fixture
def spy_server():
    """A local HTTP server counting every request (one path redirects to /etc/passwd)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            if self.path.startswith("/redirect"):
                self.send_response(302)
                self.send_header("Location", "file:///etc/passwd")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


def test_fetcher_refuses_network_other_files_and_unknown_blobs(spy_server):
    base, hits = spy_server
    fetcher = SafeFetcher({"abc": (b"x", "image/png")})
    refused = [
        f"{base}/logo.png", f"{base}/redirect", "https://example.com/logo.png", "ftp://example.com/x",
        "file:///etc/passwd", f"file://{STATIC_ROOT}/../casting/config.py", f"file://{STATIC_ROOT}/css/../../README.md",
        f"file://{STATIC_ROOT}/css/missing.css", f"file://{STATIC_ROOT}/css", "file://otherhost/etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=", blob_url("unknown"), "callback-blob://abc", "callback-blob:abc?x=1",
        "javascript:alert(1)",
    ]
    for url in refused:
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    assert fetcher.refused == refused
    assert hits == []


def test_fetcher_serves_static_files_and_the_given_blobs():
    fetcher = SafeFetcher({"abc": (b"\x89PNG", "image/png")})
    css = fetcher.fetch(f"file://{STATIC_ROOT}/css/documents-pdf.css")
    assert b"@page" in css.read() and css.content_type == "text/css"
    logo = fetcher.fetch(blob_url("abc"))
    assert logo.read() == b"\x89PNG" and logo.content_type == "image/png"
    assert fetcher.refused == []


def test_hostile_html_renders_without_fetching_anything(app, spy_server):
    base, hits = spy_server
    html = f"""<html><head>
      <link rel="stylesheet" href="{base}/style.css">
      <link rel="attachment" href="file:///etc/passwd" title="passwd">
      <link rel="attachment" href="{base}/redirect">
      <style>@import url("{base}/import.css"); body {{ background: url("{base}/bg.png"); }}</style>
    </head><body>
      <p>Hello</p><img src="file:///etc/passwd"><img src="{base}/redirect"><img src="{base}/pixel.png">
      <img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==">
      <svg><image href="{base}/svg.png" width="10" height="10"/></svg>
    </body></html>"""
    fetcher = SafeFetcher()
    data = html_to_pdf(html, fetcher=fetcher)
    assert hits == []
    assert "file:///etc/passwd" in fetcher.refused and f"{base}/redirect" in fetcher.refused
    assert f"{base}/style.css" in fetcher.refused and f"{base}/pixel.png" in fetcher.refused
    pdf = reader(data)
    assert pdf.attachments == {}
    assert all(not page.images for page in pdf.pages)
    assert b"root:x:0:0" not in data
    assert "Hello" in text_of(data)


def test_png_logo_is_served_from_the_blob_not_the_network(app):
    inv = make_callback()
    company = inv.session.production.company
    company.logo_sha256 = store_blob(png_bytes((60, 30), (255, 128, 0)), "image/png").sha256
    [doc] = services.issue_invitation_documents(inv, actor=None)
    data = pdf_of(doc)
    assert company.legal_name in text_of(data)
    assert (60, 30) in _images(reader(data).pages[0])  # beside the QR code
    # An SVG logo stored before SVGs were refused is left off (the letter shows the name only).
    company.logo_sha256 = store_blob(SVG_LOGO, "image/svg+xml").sha256
    [plain] = services.issue_invitation_documents(make_callback(production=inv.session.production,
                                                                cd=inv.session.lead_casting_director), actor=None)
    page = reader(pdf_of(plain)).pages[0]
    assert (60, 30) not in _images(page) and not _draws_colour(page, b"1 0.501961 0 rg")


def _images(page) -> list[tuple[int, int]]:
    xobjects = page["/Resources"].get("/XObject") or {}
    found = []
    for ref in xobjects.values():
        obj = ref.get_object()
        if obj.get("/Subtype") == "/Image":
            found.append((obj["/Width"], obj["/Height"]))
        elif obj.get("/Subtype") == "/Form":
            found += _images_in_form(obj)
    return found


def _images_in_form(form) -> list[tuple[int, int]]:
    xobjects = (form.get("/Resources") or {}).get("/XObject") or {}
    return [(o["/Width"], o["/Height"]) for o in (r.get_object() for r in xobjects.values())
            if o.get("/Subtype") == "/Image"]


def _draws_colour(page, operator: bytes) -> bool:
    streams = [page.get_contents().get_data()]
    xobjects = page["/Resources"].get("/XObject") or {}
    for ref in xobjects.values():
        obj = ref.get_object()
        if obj.get("/Subtype") == "/Form":
            streams.append(obj.get_data())
    return any(operator in s for s in streams)
