"""Letters that never contradict themselves (issue 11 item 5): every kind of letter rendered for contrasting
callbacks (recorded or not, nudity or not, minor or not, virtual or not), its text read back from the PDF, and
each statement that must, or must not, appear checked against the facts of that session and role."""
from __future__ import annotations

import re

import pytest

from casting.documents import services
from tests.documents.factories import RECORDING_USE, make_callback
from tests.documents.helpers import by_kind, pdf_of, text_of

CASES = {
    "plain": dict(nudity=False, recorded=False, minor=False, virtual=False),
    "nudity, recorded, online": dict(nudity=True, recorded=True, minor=False, virtual=True),
    "minor, nudity": dict(nudity=True, recorded=False, minor=True, virtual=False),
    "minor, recorded, online": dict(nudity=False, recorded=True, minor=True, virtual=True),
}
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.mark.parametrize("case", CASES)
def test_every_letter_states_only_the_facts_of_its_callback(app, case):
    facts = CASES[case]
    inv = make_callback(**facts)
    docs = by_kind(services.issue_invitation_documents(inv, actor=None))
    expected = {"callback_confirmation"} | ({"consent_rider"} if facts["nudity"] else set()) \
        | ({"recording_release"} if facts["recorded"] else set()) | ({"guardian_consent"} if facts["minor"] else set())
    assert set(docs) == expected
    texts = {kind: text_of(pdf_of(doc)) for kind, doc in docs.items()}
    confirmation = texts["callback_confirmation"]

    for kind, text in texts.items():
        # Nothing a callback never asks: no garment line (a callback has no nudity), one date format.
        assert "modesty garment" not in text, kind
        assert not ISO_DATE.search(text), (kind, ISO_DATE.search(text))
        # A retention period is stated at most once in a letter.
        assert len(re.findall(r"\d+ days after the callback", text)) <= 1, kind

    assert ("This callback will be recorded" in confirmation) is facts["recorded"]
    assert ("Nothing is recorded at this callback" in confirmation) is not facts["recorded"]
    assert (RECORDING_USE in confirmation) is facts["recorded"]
    assert ("NUDITY AND INTIMACY" in confirmation) is facts["nudity"]
    assert ("UNDER 18" in confirmation) is facts["minor"]  # the heading (set in capitals)
    assert ("a parent or guardian (Gina Guardian) must come with you" in confirmation) is facts["minor"]
    assert ("meet.example.com/tide-line" in confirmation) is facts["virtual"]
    # The sides and declining are on the callbacks page, the one that has them.
    assert "on your callbacks page" in confirmation and "/me/callbacks" in confirmation
    assert "Decline in your Callback portal" not in confirmation
    if facts["nudity"]:
        assert "you keep your own clothes on throughout" in confirmation
        assert "you keep your own clothes on throughout" in texts["consent_rider"]
    if facts["minor"]:
        assert "Gina Guardian" in texts["guardian_consent"]
        assert ("keeps their own clothes on" in texts["guardian_consent"]) is facts["nudity"]


def test_one_retention_period_the_productions_own_when_it_states_one(app):
    inv = make_callback(recorded=True)
    inv.session.recording_use = "Shown to the director and producers to choose the cast; kept for six months, then deleted."
    docs = by_kind(services.issue_invitation_documents(inv, actor=None))
    for kind in ("callback_confirmation", "recording_release"):
        text = text_of(pdf_of(docs[kind]))
        assert "kept for six months" in text, kind
        assert not re.search(r"\d+ days after the callback", text), kind  # not the standard period beside it


def test_the_standard_period_is_stated_once_when_the_production_gives_none(app):
    inv = make_callback(recorded=True)   # its use: "Shown only to ... then deleted." (no period)
    docs = by_kind(services.issue_invitation_documents(inv, actor=None))
    for kind in ("callback_confirmation", "recording_release"):
        assert len(re.findall(r"90 days after the callback", text_of(pdf_of(docs[kind])))) == 1, kind
