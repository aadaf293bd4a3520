"""The national company registry's own search, for talent to check a company independently.

Which registry comes from settings (``CASTING_COUNTRY`` and ``CASTING_COMPANY_REGISTRIES``), never from anything a
production supplied: a fake company can give a fake website, not a fake Companies House.
"""
from __future__ import annotations

from urllib.parse import quote_plus

from flask import current_app


def registry_search(company_name: str | None, country: str | None = None) -> dict | None:
    """``{"registry", "url"}``: the registry's search for ``company_name`` in ``country`` (default: the
    installation's), or None when no registry is configured for it."""
    name = (company_name or "").strip()
    registries = current_app.config.get("CASTING_COMPANY_REGISTRIES") or {}
    entry = registries.get((country or current_app.config.get("CASTING_COUNTRY") or "").upper())
    if not name or not entry:
        return None
    return {"registry": entry["name"], "url": entry["search_url"].format(query=quote_plus(name))}
