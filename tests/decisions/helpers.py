"""Small helpers for the decisions tests."""
from __future__ import annotations


def mail_text(message) -> str:
    """The plain-text body of an email, with or without attachments."""
    return message.get_body(preferencelist=("plain",)).get_content()


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, read back with pypdf."""
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
