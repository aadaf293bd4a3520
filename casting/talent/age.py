"""Age and minor status: the one home of the under-18 rule.

Ages count calendar birthdays: a talent born on 12 May is a year older on each 12 May. Someone born
on 29 February turns a year older on 1 March in common years (they have not yet had their birthday
on 28 February). An unknown date of birth has no age and counts as adult.

This module imports nothing from the application, so any feature may use it.
"""
from __future__ import annotations

from datetime import date

ADULT_AGE = 18


def age_on(date_of_birth: date | None, day: date) -> int | None:
    """Age in whole years on ``day``, or None when no date of birth is known."""
    if date_of_birth is None:
        return None
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def is_minor_age(age: int | None) -> bool:
    """Whether an age (from :func:`age_on`) is under ``ADULT_AGE``; None (unknown) is not."""
    return age is not None and age < ADULT_AGE


def is_minor_on(date_of_birth: date | None, day: date) -> bool:
    """Whether someone born on ``date_of_birth`` is under ``ADULT_AGE`` on ``day`` (unknown: no)."""
    return is_minor_age(age_on(date_of_birth, day))
