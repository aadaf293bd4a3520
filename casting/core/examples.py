"""Examples and hints that fit the installation's country (``CASTING_COUNTRY``): a UK casting office is not shown
a US union's scale or a US state's law, nor a US office a UK one. Unknown countries get neutral wording."""
from __future__ import annotations

from flask import current_app

EXAMPLES: dict[str, dict[str, str]] = {
    "GB": {
        "role_compensation": "e.g. 'Equity minimum' or a day rate such as £650 a day. Talent are never charged.",
        "offer_compensation": "What the talent will be paid, e.g. '£650 a day (Equity/PACT cinema rates), 5 days "
                              "guaranteed'.",
        "jurisdiction": "Where the work is done decides the rules for performers under 18 (in the UK, a child "
                        "performance licence from the local authority).",
    },
    "US": {
        "role_compensation": "e.g. 'SAG-AFTRA scale' or a day rate. Talent are never charged.",
        "offer_compensation": "What the talent will be paid, e.g. 'SAG-AFTRA scale, $1,082 a day, 5 days "
                              "guaranteed'.",
        "jurisdiction": "For talent under 18, California and New York require a blocked trust account for part "
                        "of the earnings.",
    },
}
NEUTRAL = {
    "role_compensation": "e.g. the union minimum or a day rate. Talent are never charged.",
    "offer_compensation": "What the talent will be paid, e.g. a day rate and the number of days guaranteed.",
    "jurisdiction": "Where the work is done decides the rules that protect performers under 18.",
}


def example(key: str, country: str | None = None) -> str:
    """The hint ``key`` in the words of ``country`` (default: the installation's ``CASTING_COUNTRY``)."""
    code = (country or current_app.config.get("CASTING_COUNTRY") or "").upper()
    return EXAMPLES.get(code, NEUTRAL).get(key, NEUTRAL[key])
