"""Images are checked against a pixel limit before anything decodes them, and no logo can make a letter take
unbounded time to draw: SVGs are refused (issues 9 and 10)."""
from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from werkzeug.datastructures import FileStorage

from casting.calls.models import Submission
from casting.companies import services as companies
from casting.core.blobs import Blob, store_blob
from casting.core.errors import TooLarge, UnsupportedMediaType
from casting.core.uploads import IMAGE_PIXEL_LIMIT, check_image, check_logo
from casting.documents.context import letterhead
from casting.extensions import db
from tests.calls.factories import calls_world, post_multipart, upload
from tests.calls.test_call_pages import apply_data
from tests.conftest import auth, count, login
from tests.factories import make_company, make_user, png_bytes


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def blank_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of ``width`` x ``height`` white pixels: tiny on disk, huge once decoded."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    z = zlib.compressobj(9)
    data = b"".join(z.compress(row) for _ in range(height)) + z.flush()
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + _chunk(b"IDAT", data) + _chunk(b"IEND", b""))


# 20000 x 20000 (400 MP): Pillow's own DecompressionBombError (a 500 before); 8000 x 8000 (64 MP): under
# Pillow's limit, over ours.
BOMB = blank_png(20000, 20000)
BIG = blank_png(8000, 8000)
NESTED_USE = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
              b'<defs><rect id="a0" width="1" height="1"/>'
              + b"".join(f'<g id="a{i}"><use href="#a{i - 1}"/><use href="#a{i - 1}"/><use href="#a{i - 1}"/>'
                         f'<use href="#a{i - 1}"/></g>'.encode() for i in range(1, 12))
              + b'</defs><use href="#a11"/></svg>')
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol">'
          + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9))
          + b']><svg xmlns="http://www.w3.org/2000/svg"><text>&j;</text></svg>')


def test_the_bombs_are_small():
    assert len(BOMB) < 200_000 and len(NESTED_USE) < 1100 and len(LAUGHS) < 1100


@pytest.mark.parametrize("data", [BOMB, BIG])
def test_an_image_over_the_pixel_limit_is_too_large_before_decoding(data):
    started = time.perf_counter()
    with pytest.raises(TooLarge) as exc:
        check_image(FileStorage(io.BytesIO(data), filename="me.png"))
    assert exc.value.status == 413 and exc.value.details["max_pixels"] == IMAGE_PIXEL_LIMIT
    assert time.perf_counter() - started < 5  # read from the header, never decoded (a loose bound, not a benchmark)
    assert check_image(FileStorage(io.BytesIO(blank_png(6000, 4000)), filename="me.png")).content_type == "image/png"


def test_a_headshot_bomb_is_a_413_on_the_api_and_the_form(client, app):
    w = calls_world()
    db.session.commit()
    blobs = count(Blob)
    url = f"/api/v1/open-calls/{w.call.id}/submissions"
    resp = post_multipart(client, url, {"role_id": str(w.role.id), "headshot": upload(BOMB, "me.png")},
                          headers=auth(w.talent_user))
    assert resp.status_code == 413 and resp.get_json()["error"]["code"] == "too_large"
    assert "million pixels" in resp.get_json()["error"]["message"]
    resp = post_multipart(client, url, {"role_id": str(w.role.id), "headshot": upload(BIG, "me.png")},
                          headers=auth(w.talent_user))
    assert resp.status_code == 413 and "8000 x 8000" in resp.get_json()["error"]["message"]
    login(client, w.talent_user)
    resp = post_multipart(client, f"/calls/{w.call.id}/apply", apply_data(w, headshot=upload(BOMB, "me.png")))
    assert resp.status_code == 413 and "million pixels" in resp.get_data(as_text=True)
    assert count(Submission) == 0 and count(Blob) == blobs


@pytest.mark.parametrize("data,error", [
    (NESTED_USE, UnsupportedMediaType), (LAUGHS, UnsupportedMediaType),
    (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
     UnsupportedMediaType),
    (blank_png(2001, 2000), TooLarge),
])
def test_svg_logos_and_big_pngs_are_refused(app, data, error):
    cd = make_user("casting_director")
    company = make_company(cd)
    with pytest.raises(error):
        companies.set_logo(company, FileStorage(io.BytesIO(data), filename="logo.svg"), actor=cd)
    assert company.logo_sha256 is None
    accepted = check_logo(FileStorage(io.BytesIO(blank_png(2000, 2000)), filename="l.png"))
    from PIL import Image

    with Image.open(io.BytesIO(accepted.data)) as img:  # stored downscaled to fit 1200 x 600
        assert accepted.content_type == "image/png" and img.size == (600, 600)
    small = png_bytes((300, 100))
    assert check_logo(FileStorage(io.BytesIO(small), filename="l.png")).data == small  # kept as uploaded


def test_svg_logo_upload_is_a_415_on_the_api_and_the_page(client, app):
    cd = make_user("casting_director")
    company = make_company(cd)
    db.session.commit()
    url = f"/api/v1/companies/{company.id}/logo"
    for data in (NESTED_USE, LAUGHS):
        resp = client.post(url, data={"file": (io.BytesIO(data), "logo.svg")}, headers=auth(cd))
        assert resp.status_code == 415 and "export the logo as a PNG" in resp.get_json()["error"]["message"]
    login(client, cd)
    resp = client.post(f"/companies/{company.id}/logo", data={"logo-file": (io.BytesIO(NESTED_USE), "logo.svg")},
                       content_type="multipart/form-data")
    assert resp.status_code == 415 and "export the logo as a PNG" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(company), company.id).logo_sha256 is None


def test_an_svg_logo_stored_earlier_never_reaches_a_render(app):
    cd = make_user("casting_director")
    company = make_company(cd)
    company.logo_sha256 = store_blob(NESTED_USE, "image/svg+xml").sha256
    context, blobs = letterhead(company)
    assert context["logo_url"] is None and blobs == {}
    company.logo_sha256 = store_blob(png_bytes(), "image/png").sha256
    context, blobs = letterhead(company)
    assert context["logo_url"] and list(blobs) == [company.logo_sha256]
