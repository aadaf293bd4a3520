"""Final casting decisions.

INTERFACE (used by documents/): ``offer_signed`` is called when a talent (and, for a minor,
the guardian) has signed an offer document. The decisions feature fills it in.
"""
from __future__ import annotations


def offer_signed(document, *, actor) -> None:
    """The offer is signed: accept the proposal, cast the role, tell the others."""
