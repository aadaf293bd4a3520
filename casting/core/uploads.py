"""Uploads checked by their content, never by their name, with size caps."""
from __future__ import annotations

import io
from dataclasses import dataclass

from casting.core.errors import TooLarge, UnsupportedMediaType, ValidationError

MB = 1024 * 1024
PDF_LIMIT = 10 * MB
IMAGE_LIMIT = 5 * MB


@dataclass(frozen=True)
class Upload:
    """A checked upload: its bytes, its sniffed type and the filename given."""

    data: bytes
    content_type: str
    filename: str
    pages: int | None = None  # a PDF's page count


def pdf_pages(data: bytes) -> int:
    """The number of pages of a PDF, 0 when the bytes are not one."""
    if not data.lstrip()[:5] == b"%PDF-":
        return 0
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return len(PdfReader(io.BytesIO(data)).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        return 0


def _read(file_storage, limit: int, field: str) -> tuple[bytes, str]:
    if file_storage is None or not getattr(file_storage, "filename", None):
        raise ValidationError({field: ["A file is required."]})
    data = file_storage.stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"The file is over the {limit // MB} MB limit.", details={"limit_bytes": limit})
    if not data:
        raise ValidationError({field: ["The file is empty."]})
    name = file_storage.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    return data, name


def is_pdf(data: bytes) -> bool:
    """True when the bytes parse as a PDF with at least one page."""
    return pdf_pages(data) > 0


def check_pdf(file_storage, *, field: str = "file", limit: int = PDF_LIMIT) -> Upload:
    """Read a PDF upload, refusing anything that is not a PDF by content (415) or too big (413)."""
    data, name = _read(file_storage, limit, field)
    pages = pdf_pages(data)
    if not pages:
        raise UnsupportedMediaType("The file is not a PDF.")
    return Upload(data, "application/pdf", name, pages)


# Pixels an image may have, read from its header before anything decodes it: a 5 MB PNG can declare
# 20000x20000 pixels (1.6 GB once decoded). 50 MP takes any camera's photo; a letterhead logo prints at most
# 30 x 17 mm, where 4 MP (e.g. 2000 x 2000) is over 1,500 dpi and decodes in milliseconds.
IMAGE_PIXEL_LIMIT = 50_000_000
LOGO_PIXEL_LIMIT = 4_000_000
# A logo is stored at most this size (downscaled at upload): 1200 pixels over 30 mm is 1,000 dpi, and a letter
# with the largest logo draws in a few hundred milliseconds more than one without (tests/benchmarks).
LOGO_MAX_SIZE = (1200, 600)


def _image_kind(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def sniff_image(data: bytes, *, max_pixels: int = IMAGE_PIXEL_LIMIT) -> str | None:
    """The MIME type of a PNG/JPEG/WebP image by its magic bytes and a check of the whole file, or None.

    Its size is read from the header first: over ``max_pixels`` is a 413 too_large, before any decoding
    (Pillow's own bomb check, at 2x its 89 MP default, would be a 500)."""
    kind = _image_kind(data)
    if kind is None:
        return None
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:  # reads the header only
                width, height = img.size
                if width * height > max_pixels:
                    raise _too_many_pixels(width, height, max_pixels)
                img.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(None, None, max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    return kind


def _too_many_pixels(width: int | None, height: int | None, max_pixels: int) -> TooLarge:
    size = f"is {width} x {height} pixels" if width else "has hundreds of millions of pixels"
    return TooLarge(f"The image {size}; at most {max_pixels // 1_000_000} million pixels are accepted.",
                    details={"max_pixels": max_pixels, **({"width": width, "height": height} if width else {})})


def check_image(file_storage, *, field: str = "file", limit: int = IMAGE_LIMIT) -> Upload:
    """Read an image upload (PNG, JPEG or WebP by content, at most ``IMAGE_PIXEL_LIMIT`` pixels)."""
    data, name = _read(file_storage, limit, field)
    kind = sniff_image(data)
    if kind is None:
        raise UnsupportedMediaType("The file is not a PNG, JPEG or WebP image.")
    return Upload(data, kind, name)


def check_logo(file_storage, *, field: str = "file", limit: int = IMAGE_LIMIT) -> Upload:
    """Read a letterhead logo: a PNG of at most ``LOGO_PIXEL_LIMIT`` pixels, by content.

    SVG is refused: a 1 KB SVG of nested ``<use>`` (or entities) makes any renderer work for minutes, and a
    logo prints at most 30 x 17 mm, where a PNG loses nothing. Every letter is then drawn in bounded time."""
    data, name = _read(file_storage, limit, field)
    if data.startswith(b"\x89PNG\r\n\x1a\n") and sniff_image(data, max_pixels=LOGO_PIXEL_LIMIT) == "image/png":
        return Upload(_bounded_logo(data), "image/png", name)
    if _looks_like_svg(data):
        raise UnsupportedMediaType("SVG logos are not accepted: export the logo as a PNG (at most 2000 x 2000 "
                                   "pixels is plenty for a letterhead).")
    raise UnsupportedMediaType("The logo must be a PNG image.")


def _bounded_logo(data: bytes) -> bytes:
    """The PNG as uploaded when it fits ``LOGO_MAX_SIZE``, else downscaled to fit (decoding at most
    ``LOGO_PIXEL_LIMIT`` pixels, checked before)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        if img.width <= LOGO_MAX_SIZE[0] and img.height <= LOGO_MAX_SIZE[1]:
            return data
        img.load()
        if img.mode not in ("RGB", "RGBA", "L", "LA"):
            img = img.convert("RGBA")
        img.thumbnail(LOGO_MAX_SIZE, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        img.save(out, "PNG")
        return out.getvalue()


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip().lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head
