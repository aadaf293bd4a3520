"""The terms of a proposal (what the offer letter will say), and the rules for minors.

Terms are a small JSON object stored on the proposal and printed on the offer:
``compensation`` (required), ``start_date`` / ``end_date`` (YYYY-MM-DD), ``usage`` (what the
production may do with recordings of the performance), ``jurisdiction`` (where the work is done,
which decides whether a minor's earnings must go to a blocked trust account) and ``notes``.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from casting.core.db import utcnow
from casting.core.timefmt import long_date
from casting.core.errors import ValidationError
from casting.talent.age import is_minor_on

TERM_FIELDS = ("compensation", "start_date", "end_date", "usage", "jurisdiction", "notes")
JURISDICTIONS = {
    "US-CA": "California, USA",
    "US-NY": "New York, USA",
    "US-other": "Elsewhere in the USA",
    "GB": "United Kingdom",
    "other": "Elsewhere",
}
# Where the law blocks part of a minor's earnings in a trust account the guardian cannot touch.
TRUST_LAWS = {
    "US-CA": "California's Coogan law (Family Code §§ 6752–6753): 15% of gross earnings are set aside "
             "in a Coogan trust account",
    "US-NY": "New York's child performer trust (Arts and Cultural Affairs Law § 35.03): 15% of gross "
             "earnings are set aside in a child performer trust account",
}
# Most characters per field: the forms and the API specs take their limits from here.
TERMS_LIMITS = {"compensation": 1000, "usage": 2000, "notes": 2000}
PROPOSAL_LIMITS = {"trust_account": 500}


def _date(value: Any, name: str, errors: dict) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        errors[f"terms.{name}"] = ["Must be a date, YYYY-MM-DD."]
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[f"terms.{name}"] = ["Must be a date, YYYY-MM-DD."]
        return None


def clean_terms(terms: Any) -> dict[str, Any]:
    """Validated, normalised terms (dates as ISO strings, empty values dropped), or 422.

    Error keys are ``terms.<field>`` so API callers see which part of the object failed.
    """
    if not isinstance(terms, dict):
        raise ValidationError({"terms": ["Must be an object with at least compensation."]})
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(terms) - set(TERM_FIELDS))
    if unknown:
        errors["terms"] = [f"Unknown terms: {', '.join(unknown)}. Allowed: {', '.join(TERM_FIELDS)}."]
    out: dict[str, Any] = {}
    for name, limit in TERMS_LIMITS.items():
        value = terms.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            errors[f"terms.{name}"] = ["Must be text."]
            continue
        value = value.strip()
        if len(value) > limit:
            errors[f"terms.{name}"] = [f"At most {limit} characters."]
        elif value:
            out[name] = value
    if "compensation" not in out and "terms.compensation" not in errors:
        errors["terms.compensation"] = ["Say what the talent will be paid (e.g. a fee, a rate, or the union scale)."]
    start = _date(terms.get("start_date"), "start_date", errors)
    end = _date(terms.get("end_date"), "end_date", errors)
    if start and end and end < start:
        errors["terms.end_date"] = ["Must be on or after the start date."]
    if start:
        out["start_date"] = start.isoformat()
    if end:
        out["end_date"] = end.isoformat()
    jurisdiction = terms.get("jurisdiction")
    if jurisdiction not in (None, ""):
        if jurisdiction not in JURISDICTIONS:
            errors["terms.jurisdiction"] = [f"Must be one of: {', '.join(JURISDICTIONS)}."]
        else:
            out["jurisdiction"] = jurisdiction
    if errors:
        raise ValidationError(errors)
    return out


def letter_terms(terms: dict[str, Any] | None) -> dict[str, Any]:
    """The terms as the offer letter words them: the jurisdiction as a place, not a code."""
    out = dict(terms or {})
    if "jurisdiction" in out:
        out["jurisdiction"] = JURISDICTIONS.get(out["jurisdiction"], out["jurisdiction"])
    return out


def is_minor(talent, terms: dict[str, Any], today: date | None = None) -> bool:
    """Under 18 today or on the first day of work (an unknown date of birth counts as adult)."""
    today = today or utcnow().date()
    days = [today]
    if terms.get("start_date"):
        days.append(date.fromisoformat(terms["start_date"]))
    return any(is_minor_on(talent.date_of_birth, d) for d in days)


def trust_law(terms: dict[str, Any]) -> str | None:
    """The law requiring a blocked trust account for a minor's earnings under these terms, if any."""
    return TRUST_LAWS.get(terms.get("jurisdiction") or "")


def check_minor_rules(talent, terms: dict[str, Any], trust_account: str | None) -> str | None:
    """422 unless a minor has a guardian and, where the law requires it, a trust account.

    Returns the trust account to record (None for adults and where no law requires one).
    """
    trust_account = (trust_account or "").strip() or None
    if not is_minor(talent, terms):
        if trust_account:
            raise ValidationError({"trust_account": ["Only for talent under 18; leave it empty."]})
        return None
    errors: dict[str, list[str]] = {}
    if not (talent.guardian_name and talent.guardian_email):
        errors["talent_id"] = ["This talent is under 18 and their profile names no guardian; the guardian "
                               "must sign the offer too. Add the guardian's name and email first."]
    law = trust_law(terms)
    if law and not trust_account:
        errors["trust_account"] = [f"Required: {law}. Give the bank and account reference."]
    elif trust_account and len(trust_account) > PROPOSAL_LIMITS["trust_account"]:
        errors["trust_account"] = [f"At most {PROPOSAL_LIMITS['trust_account']} characters."]
    if errors:
        raise ValidationError(errors)
    return trust_account


def written_dates(terms: dict | None) -> str:
    """The offer's dates written out for a page ("Monday 3 May 2027 to Friday 28 May 2027"), or ""."""
    terms = terms or {}
    start, end = long_date(terms.get("start_date")), long_date(terms.get("end_date"))
    if start and end:
        return f"{start} to {end}"
    return f"from {start}" if start else (f"until {end}" if end else "")
