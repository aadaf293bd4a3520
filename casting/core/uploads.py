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
    if not data.lstrip()[:5] == b"%PDF-":
        return False
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return len(PdfReader(io.BytesIO(data)).pages) > 0
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError):
        return False


def check_pdf(file_storage, *, field: str = "file", limit: int = PDF_LIMIT) -> Upload:
    """Read a PDF upload, refusing anything that is not a PDF by content (415) or too big (413)."""
    data, name = _read(file_storage, limit, field)
    if not is_pdf(data):
        raise UnsupportedMediaType("The file is not a PDF.")
    return Upload(data, "application/pdf", name)


def sniff_image(data: bytes) -> str | None:
    """The MIME type of a PNG/JPEG/WebP image by its magic bytes and a full decode, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "image/png"
    elif data.startswith(b"\xff\xd8\xff"):
        kind = "image/jpeg"
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = "image/webp"
    else:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    return kind


def check_image(file_storage, *, field: str = "file", limit: int = IMAGE_LIMIT) -> Upload:
    """Read an image upload (PNG, JPEG or WebP by content)."""
    data, name = _read(file_storage, limit, field)
    kind = sniff_image(data)
    if kind is None:
        raise UnsupportedMediaType("The file is not a PNG, JPEG or WebP image.")
    return Upload(data, kind, name)


def is_svg(data: bytes) -> bool:
    """True for a well-formed SVG document with no scripts or external references."""
    import xml.etree.ElementTree as ET

    if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        return False
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return False
    if not root.tag.endswith("svg"):
        return False
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1].lower()
        if tag in {"script", "foreignobject"}:
            return False
        for attr, value in el.attrib.items():
            name = attr.rsplit("}", 1)[-1].lower()
            if name.startswith("on"):
                return False
            if name == "href" and not value.startswith("#"):
                return False
    return True


def check_logo(file_storage, *, field: str = "file", limit: int = IMAGE_LIMIT) -> Upload:
    """Read a letterhead logo: PNG or a self-contained SVG, by content."""
    data, name = _read(file_storage, limit, field)
    if data.startswith(b"\x89PNG\r\n\x1a\n") and sniff_image(data) == "image/png":
        return Upload(data, "image/png", name)
    if is_svg(data):
        return Upload(data, "image/svg+xml", name)
    raise UnsupportedMediaType("The logo must be a PNG or a self-contained SVG.")
