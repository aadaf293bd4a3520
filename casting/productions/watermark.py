"""Stamping a talent's copy of sides: their name, email and the time of the download on every page.

The stamp is a tiny hand-built PDF content stream (Helvetica, so no font is embedded) merged onto each page with
pypdf: a line along the foot of the page and a faint diagonal across it, so a leaked copy names who downloaded it.
The stored original is never touched; a copy is built for each download.
"""
from __future__ import annotations

import io
import unicodedata

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
)

FOOT_SIZE = 7
DIAGONAL_SIZE = 18


class StampFailed(Exception):
    """The PDF could not be stamped (the caller refuses rather than hand out an unstamped copy)."""


def _winansi(text: str) -> bytes:
    """``text`` as a PDF string literal in WinAnsiEncoding: accents kept where cp1252 has them, otherwise
    dropped (NFKD), anything else as '?'; brackets and backslashes escaped."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1252"))
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore")
            out.append(plain or b"?")
    raw = b"".join(out)
    raw = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return raw.replace(b"\r", b" ").replace(b"\n", b" ")


def _width(text: str, size: float) -> float:
    # Helvetica's average glyph is about half an em wide: enough to keep the stamp on the page.
    return len(text) * size * 0.5


def _overlay(left: float, bottom: float, width: float, height: float, foot: str, diagonal: str) -> PageObject:
    page = PageObject.create_blank_page(width=float(width), height=float(height))
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })
    faint = DictionaryObject({NameObject("/Type"): NameObject("/ExtGState"),
                              NameObject("/ca"): FloatObject(0.25), NameObject("/CA"): FloatObject(0.25)})
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/Font"): DictionaryObject({NameObject("/CbWm"): font}),
        NameObject("/ExtGState"): DictionaryObject({NameObject("/CbWmGs"): faint}),
    })
    foot_size = min(FOOT_SIZE, max(4.0, (width - 24) / max(1.0, _width(foot, 1))))
    diag_size = min(DIAGONAL_SIZE, max(6.0, (width + height) * 0.6 / max(1.0, _width(diagonal, 1))))
    # A white band under the foot line keeps it legible over whatever the page prints there.
    band = foot_size + 4
    content = b"".join([
        b"q 1 g %.2f %.2f %.2f %.2f re f Q\n" % (left, bottom, width, band),
        b"q 0.25 g BT /CbWm %.2f Tf %.2f %.2f Td (" % (foot_size, left + 12, bottom + 3)
        + _winansi(foot) + b") Tj ET Q\n",
        b"q /CbWmGs gs 0.5 g BT /CbWm %.2f Tf 0.7071 0.7071 -0.7071 0.7071 %.2f %.2f Tm (" % (
            diag_size, left + width * 0.15, bottom + height * 0.2) + _winansi(diagonal) + b") Tj ET Q\n",
    ])
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = stream
    page[NameObject("/MediaBox")] = ArrayObject([NumberObject(0), NumberObject(0), FloatObject(left + width),
                                                  FloatObject(bottom + height)])
    return page


def stamp(pdf: bytes, *, name: str, email: str, when: str) -> bytes:
    """A copy of ``pdf`` with ``name``, ``email`` and ``when`` on every page; ``pdf`` itself is not changed."""
    foot = f"Downloaded by {name} ({email}) on {when}. For this callback only: do not share."
    diagonal = f"{name} - {email} - {when}"
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
        for page in writer.pages:
            box = page.cropbox
            page.merge_page(_overlay(float(box.left), float(box.bottom), float(box.width), float(box.height),
                                     foot, diagonal))
        out = io.BytesIO()
        writer.write(out)
    except Exception as exc:  # pypdf raises many kinds on odd files; none may yield an unstamped copy
        raise StampFailed(str(exc)) from exc
    return out.getvalue()
