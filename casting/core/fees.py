"""Fee wording: the one list of phrases that mean talent are asked to pay.

The checklist's no_fees item (casting/callbacks/checklist.py) and the scans of open calls and roles when they
are published or edited (calls, productions) all read these patterns, so a phrase caught in one place is caught
in every place talent read it.
"""
from __future__ import annotations

import re

from casting.core.errors import ValidationError

FEE_PATTERNS = (
    r"\bfees?\b", r"\bdeposits?\b", r"\bregistration (?:charge|fee|cost)s?\b", r"\bpay(?:ing)? to audition\b",
    r"\bprocessing (?:charge|fee)s?\b", r"\bsecure your (?:spot|place)\b", r"\bdatabase (?:fee|charge|subscription)s?\b",
)
FEE_RE = re.compile("|".join(FEE_PATTERNS), re.IGNORECASE)

MESSAGE = ("mentions \"{found}\". Talent never pay to audition: remove any wording about a fee, deposit, "
           "registration or other charge.")


def fee_wording(text: str | None) -> str | None:
    """The first fee phrase in ``text``, or None."""
    m = FEE_RE.search(text or "")
    return m.group(0) if m else None


def refuse_fee_wording(fields: dict[str, str | None], **error_kw) -> None:
    """422 validation_error naming every field of ``fields`` (name -> text) that mentions a fee."""
    errors = {name: [f"This text {MESSAGE.format(found=found)}"]
              for name, text in fields.items() if (found := fee_wording(text))}
    if errors:
        raise ValidationError(errors, **error_kw)
