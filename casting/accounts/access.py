"""Four eyes: the one rule for who may not verify or approve someone's work.

A verifier or approver must be a second pair of hands: not one of the people whose work it is, and not
whoever created the account of one of them (an admin who made a casting director's account could
otherwise have that account register a company and a credential and verify both themselves).
Companies (verification), accounts (credential verification) and decisions (approving a proposal) ask it.
"""
from __future__ import annotations

from typing import NamedTuple


class Hands(NamedTuple):
    """The two ids the rule reads of a person, for lists that load columns rather than users."""

    id: int | None
    created_by_id: int | None


def _id(user) -> int | None:
    return getattr(user, "id", None)


def same_hands(user, *others) -> bool:
    """Whether ``user`` is one of ``others`` or created the account of one of them (``None`` entries,
    e.g. an unknown submitter, are skipped)."""
    uid = _id(user)
    if uid is None:
        return False
    for other in others:
        if other is None:
            continue
        if _id(other) == uid or getattr(other, "created_by_id", None) == uid:
            return True
    return False


def verifies_own_credential(holder, actor) -> bool:
    """Four eyes on a casting director's credential: ``actor`` holds it, submitted it, or created the
    account of whoever did."""
    cred = holder.credential
    return same_hands(actor, holder, cred.submitted_by if cred is not None else None)
