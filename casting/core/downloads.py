"""Every file we send: one way to build its Content-Disposition (RFC 6266), and the headers that go with it.

``filename*`` carries the real name, UTF-8 percent-encoded (RFC 8187); ``filename`` an ASCII fallback for old
clients, with accents dropped and anything that could end or bend the quoted string (quotes, backslashes,
semicolons, control characters) replaced. So ``台本 scène.pdf`` and ``a";x=.pdf`` are both one clean header.
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import Response

from casting.core.security import CONTROL_CHARACTERS

_UNSAFE_NAME = re.compile(f"[{CONTROL_CHARACTERS}/\\\\]+")  # never part of a file name we send
_NOT_FALLBACK = re.compile(r"[^A-Za-z0-9._ -]+")


def clean_filename(name: str | None, default: str = "download") -> str:
    """``name`` without folders or control characters, at most 200 characters; ``default`` if nothing is left."""
    cleaned = _UNSAFE_NAME.sub("_", name or "").strip(" .")
    if len(cleaned) > 200:  # keep the extension
        stem, dot, ext = cleaned.rpartition(".")
        cleaned = f"{stem[:199 - len(ext)]}.{ext}" if dot and len(ext) <= 10 else cleaned[:200]
    return cleaned or default


def ascii_fallback(name: str, default: str = "download") -> str:
    """An ASCII stand-in for ``name``: ``scène`` reads ``scene``; other characters become ``_``; the extension
    is kept when nothing else survives (``台本.pdf`` -> ``download.pdf``)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = _NOT_FALLBACK.sub("_", plain).strip(" ._")
    stem, dot, ext = name.rpartition(".")
    ext = _NOT_FALLBACK.sub("", ext) if dot else ""
    if not plain.replace("_", "").strip() or (ext and plain.lower() == ext.lower()):
        return f"{default}.{ext}" if ext else default
    return plain


def content_disposition(filename: str | None, *, inline: bool = False, default: str = "download") -> str:
    """``attachment`` (or ``inline``) with an ASCII ``filename`` and the real name in ``filename*``."""
    name = clean_filename(filename, default)
    fallback = ascii_fallback(name, default)
    return f'{"inline" if inline else "attachment"}; filename="{fallback}"; filename*=UTF-8\'\'{quote(name, safe="")}'


def download(body: bytes | str, mimetype: str, filename: str | None, *, inline: bool = False) -> Response:
    """A response carrying a file: its Content-Disposition, no type sniffing, and no shared caching."""
    resp = Response(body, mimetype=mimetype)
    resp.headers["Content-Disposition"] = content_disposition(filename, inline=inline)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
