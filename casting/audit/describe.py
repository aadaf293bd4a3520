"""One readable line per audit entry, for the audit page: who did what to which thing, and the details in words.

The log itself keeps the codes and the JSON (the API and ``audit verify`` read those); this only words them.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, NamedTuple

# What a table's row is called on the page.
THINGS = {
    "users": "account", "credentials": "credential", "api_tokens": "API token", "companies": "company",
    "company_members": "company member", "productions": "production", "production_members": "production member",
    "production_roles": "role", "sides": "sides", "venues": "venue", "talent_profiles": "talent profile",
    "open_calls": "open call", "submissions": "submission", "shortlist_entries": "shortlist entry",
    "callback_sessions": "callback session", "invitations": "invitation", "documents": "document",
    "proposals": "casting proposal", "jobs": "background job",
}

# Actions whose words are not "<thing> <verb>" (the default, e.g. "session.scheduled" → "Session scheduled").
PHRASES = {
    "auth.login": "Signed in", "auth.login_failed": "Sign-in failed", "auth.login_throttled":
        "Sign-in refused: too many attempts", "auth.logout": "Signed out", "auth.mfa_failed":
        "Second factor wrong", "auth.mfa_passed": "Second factor passed", "auth.password_reset_requested":
        "Password reset asked for",
    "user.register_existing": "Someone tried to register an existing email", "user.password_link_sent":
        "Set-password link sent", "user.verification_sent": "Verification email sent",
    "talent.date_of_birth_requested": "Date of birth asked for", "talent.date_of_birth_confirmed":
        "Date of birth confirmed",
    "session.schedule_blocked": "Scheduling refused: the checklist does not pass",
    "invitation.reschedule_requested": "Talent asked to reschedule", "invitation.access_needs":
        "Talent gave access needs", "invitation.noted": "Panel note added",
    "document.signature_added": "Document signed by one party", "proposal.offer_issued": "Offer issued",
    "proposal.proposed": "Casting proposed to the producers",
}

# Keys of an entry's data that are for machines (hashes), not for the page.
HIDDEN_KEYS = frozenset({"sha256", "audit_head_at_issue", "signed_copy_sha256", "hash", "prev_hash"})
MAX_VALUE = 120


def _words(code: str) -> str:
    return code.replace("_", " ").strip()


@lru_cache(maxsize=1024)  # a few hundred action names at most; a page words each of its lines
def headline(action: str) -> str:
    """The action in words: "session.scheduled" → "Session scheduled"; "blocked.four_eyes" → "Refused (four
    eyes)"."""
    if action in PHRASES:
        return PHRASES[action]
    subject, _, verb = action.partition(".")
    if subject == "blocked":
        return f"Refused ({_words(verb)})" if verb else "Refused"
    text = f"{_words(subject)} {_words(verb)}".strip()
    return text[:1].upper() + text[1:]


def _value(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        if value and all(isinstance(v, (bool, type(None))) for v in value.values()):
            failed = [_words(k) for k, v in value.items() if v is False]
            return "all pass" if not failed else "not passing: " + ", ".join(failed)
        return "; ".join(f"{_words(k)} {_value(v)}" for k, v in value.items() if k not in HIDDEN_KEYS)
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "none"
    text = str(value)
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE - 1] + "…"


@lru_cache(maxsize=1024)
def _key(key: str) -> str:
    return _words(key[:-3]) if key.endswith("_id") else _words(key)


def details(data: str | None) -> list[tuple[str, str]]:
    """The entry's data as (label, words) pairs, hashes left out: ``{"role_id": 3}`` → ``[("role", "#3")]``."""
    try:
        parsed = json.loads(data) if data else {}
    except ValueError:
        return [("data", _value(data))]
    if not isinstance(parsed, dict):
        return [("data", _value(parsed))]
    out = []
    for key, value in parsed.items():
        if key in HIDDEN_KEYS or value in (None, "", [], {}):
            continue
        shown = f"#{value}" if key.endswith("_id") and isinstance(value, int) else _value(value)
        out.append((_key(key), shown))
    return out


class Line(NamedTuple):
    """An entry as the page prints it, every part already in words (the template only places them)."""

    id: int
    headline: str
    thing: str          # "callback session #4", or "" when the entry names none
    production: str     # the production's title ("production #7" when unknown), or "" when none
    when: str           # ISO 8601, for <time datetime>
    when_text: str      # "02 Dec 2026, 13:17:41" (UTC)
    actor: str
    details: str        # "role: #7; checklist: all pass", hashes left out
    hash: str


def describe(entry, titles: Mapping[int, str] | None = None) -> Line:
    """The page's line for ``entry`` (an entry or a row with its columns); ``titles``: production names by id."""
    thing = ""
    if entry.entity_type:
        name = THINGS.get(entry.entity_type) or _words(entry.entity_type)
        thing = f"{name} #{entry.entity_id}" if entry.entity_id is not None else name
    production = ""
    if entry.production_id:
        production = (titles or {}).get(entry.production_id, f"production #{entry.production_id}")
    created = entry.created_at
    return Line(entry.id, headline(entry.action), thing, production, created.isoformat(),
                created.strftime("%d %b %Y, %H:%M:%S"), entry.actor_label or "the system",
                "; ".join(f"{label}: {words}" for label, words in details(entry.data)), entry.hash)
