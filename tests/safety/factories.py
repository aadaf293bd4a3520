"""Helpers for the safety tests: PDFs of several pages."""
from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter

from tests.factories import pdf_bytes


def pages_pdf(n: int, text: str = "Scene") -> bytes:
    """A valid PDF of ``n`` pages, page i showing ``text i``."""
    writer = PdfWriter()
    for i in range(1, n + 1):
        writer.add_page(PdfReader(io.BytesIO(pdf_bytes(f"{text} {i}"))).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
