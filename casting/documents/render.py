"""HTML to PDF with WeasyPrint, fetching nothing but the app's own static files.

Templates get plain dictionaries (never ORM objects) and Jinja autoescapes every
value, so a name like ``<img src="file:///etc/passwd">`` is printed, not fetched.
The url_fetcher is the second wall: it serves files under ``static/`` and the
blobs a render was explicitly given (the company logo), and refuses everything
else (network, other files, redirects, data: URIs, embedded attachments).
"""
from __future__ import annotations

import io
import logging
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno
from flask import render_template
from PIL import Image
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from casting.config import ROOT

STATIC_ROOT = (ROOT / "static").resolve()
BLOB_SCHEME = "callback-blob"
log = logging.getLogger(__name__)


class FetchRefused(ValueError):
    """A document asked for a resource outside the app's static files and its given blobs."""


class SafeFetcher(URLFetcher):
    """Serves ``file:`` URLs inside static/ and ``callback-blob:<sha256>`` of the blobs given; refuses the rest."""

    def __init__(self, blobs: dict[str, tuple[bytes, str]] | None = None) -> None:
        # No protocol is allowed to the parent opener: fetch() below never calls it.
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self.blobs = dict(blobs or {})
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        """The resource for ``url``, or FetchRefused (WeasyPrint then leaves it out)."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == BLOB_SCHEME and parts.path in self.blobs and not parts.query and not parts.netloc:
            data, content_type = self.blobs[parts.path]
            return self._serve(url, data, content_type)
        if scheme == "file" and parts.netloc in ("", "localhost"):
            path = static_path(unquote(parts.path))
            if path is not None:
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return self._serve(url, path.read_bytes(), content_type)
        self.refused.append(url)
        log.warning("PDF rendering refused to fetch %r", url[:200])
        raise FetchRefused(f"refused to fetch {url[:200]!r}")

    def _serve(self, url: str, data: bytes, content_type: str) -> URLFetcherResponse:
        self.served.append(url)
        return URLFetcherResponse(url, body=data, headers={"Content-Type": content_type})


def static_path(path: str) -> Path | None:
    """The real file under static/ that ``path`` names, or None (outside, missing, or a symlink out)."""
    try:
        resolved = Path(path).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_file() or not resolved.is_relative_to(STATIC_ROOT):
        return None
    return resolved


def base_url() -> str:
    """Relative URLs in templates resolve inside static/."""
    return STATIC_ROOT.as_uri() + "/"


def blob_url(key: str) -> str:
    """The URL a template uses for bytes handed to the fetcher under ``key`` (a blob's SHA-256, or "qr")."""
    return f"{BLOB_SCHEME}:{key}"


QR_SCALE = 6  # pixels a module
QR_PALETTE = (0x11, 0x11, 0x11, 0xFF, 0xFF, 0xFF)  # dark modules #111111 on white


def qr_png(url: str) -> bytes:
    """A QR code for ``url`` as PNG bytes (a bitmap renders several times faster than an SVG path): segno makes
    the symbol, Pillow writes the two-colour PNG (C code, a quarter of the time segno's own PNG writer takes)."""
    matrix = segno.make(url, error="m", micro=False).matrix
    size = len(matrix)
    image = Image.frombytes("P", (size, size), bytes(0 if module else 1 for row in matrix for module in row))
    image.putpalette(QR_PALETTE)
    buf = io.BytesIO()
    image.resize((size * QR_SCALE, size * QR_SCALE), Image.Resampling.NEAREST).save(buf, format="PNG")
    return buf.getvalue()


def with_qr(blobs: dict[str, tuple[bytes, str]] | None, url: str) -> tuple[dict[str, tuple[bytes, str]], str]:
    """``blobs`` plus the QR code for ``url``, and the URL a template uses for it."""
    return {**(blobs or {}), "qr": (qr_png(url), "image/png")}, blob_url("qr")


_local = threading.local()


def font_config() -> FontConfiguration:
    """One font configuration per thread, reused across renders (about a fifth faster than a new one each time).

    Our documents declare no @font-face, so nothing one document does leaks into the next.
    """
    if not hasattr(_local, "fonts"):
        _local.fonts = FontConfiguration()
    return _local.fonts


def html_to_pdf(html: str, *, fetcher: SafeFetcher | None = None, identifier: str | None = None) -> bytes:
    """Render HTML to PDF bytes with the safe fetcher (WeasyPrint alone; the benchmark's baseline)."""
    fetcher = fetcher or SafeFetcher()
    doc = HTML(string=html, base_url=base_url(), url_fetcher=fetcher)
    return doc.write_pdf(font_config=font_config(), pdf_identifier=identifier.encode() if identifier else None)


def render_pdf(template: str, context: dict, *, blobs: dict[str, tuple[bytes, str]] | None = None,
               identifier: str | None = None) -> bytes:
    """Render ``templates/documents/pdf/<template>`` with plain-dict ``context`` to PDF bytes."""
    html = render_template(f"documents/pdf/{template}", **context)
    return html_to_pdf(html, fetcher=SafeFetcher(blobs), identifier=identifier)


def append_pages(original: bytes, extra: bytes, metadata: dict[str, str]) -> bytes:
    """The pages of ``original`` (unchanged) followed by those of ``extra``, with new metadata."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(original)))
    for page in PdfReader(io.BytesIO(extra)).pages:
        writer.add_page(page)
    writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
