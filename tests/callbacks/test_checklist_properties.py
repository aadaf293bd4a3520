"""Property tests for the checklist (issue 10): whatever a session's facts, ``evaluate`` passes an item
exactly when DESIGN.md's rule for it holds, and the session is ready only when every applicable rule holds.

The facts are drawn from values on both sides of every rule. The oracle below is written from DESIGN.md's
table, not from ``checklist.py``: each rule is restated as plainly as it reads there.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from casting.callbacks.checklist import (
    CODES,
    AttestationFacts,
    Fix,
    PanelFacts,
    RoleFacts,
    Rules,
    SessionFacts,
    TextFacts,
    evaluate,
    parse_business_hours,
)

RULES = Rules(parse_business_hours("Mon-Sat 08:00-20:00"), 48)
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=timezone.utc)  # a Monday
ALLOWED_KINDS = ("casting_studio", "production_office", "rehearsal_space", "theatre", "sound_stage", "virtual")
OTHER_KINDS = ("private_residence", "hotel_room", "vehicle", "other")
VAGUE = ("various projects", "flexible talent", "all types", "open to anything", "TBD")
FEE_WORDS = ("fee", "deposit", "registration fee", "pay to audition", "processing charge", "secure your spot",
             "database fee")
# Words that never make up fee wording, so a text built from them is clean.
SAFE_WORDS = ("lead", "role", "scene", "drama", "warm", "character", "reads", "confident", "london", "teacher",
              "story", "period", "comedy", "the", "with", "and", "bring", "water", "studio",
              # fee wording only as whole words: these contain "fee" and are clean
              "feels", "coffee", "feedback")
MEMBER_ROLES = (None, "casting_director", "producer", "director", "intimacy_coordinator", "reader")
ZONES = ("Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata")

safe_text = st.lists(st.sampled_from(SAFE_WORDS), min_size=0, max_size=20).map(" ".join)


@st.composite
def maybe_fee_text(draw):
    """(text, whether it names a fee)."""
    words = draw(st.lists(st.sampled_from(SAFE_WORDS), max_size=12))
    fee = draw(st.booleans())
    if fee:
        words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(FEE_WORDS)))
    return " ".join(words), fee


@st.composite
def role_facts(draw, ident):
    base = draw(safe_text)
    if draw(st.booleans()):
        base = (base + " ") * draw(st.integers(1, 6))
    if draw(st.integers(0, 4)) == 0:
        base = f"{base} {draw(st.sampled_from(VAGUE))} {base}"
    nudity = draw(st.booleans())
    details = draw(st.sampled_from(("", "brief kiss", "a brief on-screen kiss with a closed-mouth, rehearsed")))
    return RoleFacts(ident, f"Role {ident}", base, draw(st.booleans()), nudity, details)


@st.composite
def session_facts(draw):
    roles = tuple(draw(role_facts(i)) for i in range(draw(st.integers(0, 3))))
    kind = draw(st.sampled_from(ALLOWED_KINDS + OTHER_KINDS))
    address = draw(st.sampled_from(("", "Flat 2", "Somewhere in London", "7 Leicester Place, London WC2H 7RJ",
                                    "  12 High St  ")))
    url = draw(st.sampled_from(("", "http://meet.example/x", "https://meet.example/room-1", "https://")))
    tz = draw(st.sampled_from(ZONES))
    day = NOW.date() + timedelta(days=draw(st.integers(-2, 12)))
    start_local = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(tz)) + timedelta(
        minutes=15 * draw(st.integers(0, 95)))
    starts_at = start_local.astimezone(timezone.utc)
    ends_at = starts_at + timedelta(minutes=30 * draw(st.integers(1, 16)))
    panel = tuple(PanelFacts(i, f"Panel {i}", draw(st.sampled_from(MEMBER_ROLES)))
                  for i in range(draw(st.integers(0, 4))))
    attestations = tuple(AttestationFacts("no_fees", 100 + i, "Attester", draw(st.booleans()), NOW)
                         for i in range(draw(st.integers(0, 2))))
    texts = []
    for i in range(draw(st.integers(0, 3))):
        text, _ = draw(maybe_fee_text())
        texts.append(TextFacts(f"Text {i}", text, Fix("session_edit", 1)))
    contact = draw(st.sampled_from(("", "Ann", "Ann Safe", "Ann Safe, safe@example.org", "Ann 020 7946 0000",
                                    "Ann 12345", "a@b")))
    return SessionFacts(
        session_id=1, production_id=2, company_id=3, company_name="Co",
        company_verified=draw(st.booleans()), company_verified_by_creator=draw(st.booleans()),
        lead_id=4, lead_name="Lead", lead_credential_verified=draw(st.booleans()), roles=roles,
        venue_id=5, venue_name="Venue", venue_kind=kind, venue_address=address, venue_meeting_url=url, timezone=tz,
        starts_at=starts_at, ends_at=ends_at, panel=panel, safeguarding_contact=contact,
        recorded=draw(st.booleans()), recording_use=draw(st.sampled_from(("", "for the producers only",
                                                                           "seen by the producers, deleted in 90 days"))),
        attestations=attestations, texts=tuple(texts),
    )


# ---- the oracle: DESIGN.md's table, rule by rule ----------------------------------------------

def _role_specific(role: RoleFacts) -> bool:
    text = role.description.strip()
    return len(text) >= 50 and not any(v.lower() in text.lower() for v in VAGUE)


def _names_fee(text: str) -> bool:
    # Texts are words joined by single spaces, so a fee phrase is there when it is there as whole words.
    padded = f" {text.lower()} "
    return any(f" {w} " in padded for w in FEE_WORDS)


def expected(f: SessionFacts) -> dict[str, bool | None]:
    """Each code → whether its rule holds, or None when it does not apply."""
    local_start = f.starts_at.astimezone(ZoneInfo(f.timezone))
    local_end = f.ends_at.astimezone(ZoneInfo(f.timezone))
    in_hours = (local_start.date() == local_end.date() and local_start.weekday() <= 5
                and local_start.hour >= 8 and (local_end.hour, local_end.minute) <= (20, 0))
    digits = sum(c.isdigit() for c in f.safeguarding_contact)
    contact = f.safeguarding_contact.strip()
    if f.venue_kind == "virtual":
        venue_ok = f.venue_meeting_url.startswith("https://") and len(f.venue_meeting_url) > len("https://")
    else:
        venue_ok = (f.venue_kind in ALLOWED_KINDS and len(f.venue_address.strip()) >= 15
                    and any(c.isdigit() for c in f.venue_address))
    intimate = [r for r in f.roles if r.nudity_or_intimacy]
    return {
        "company_verified": f.company_verified and not f.company_verified_by_creator,
        "casting_director_verified": f.lead_credential_verified,
        "roles_specific": bool(f.roles) and all(_role_specific(r) for r in f.roles),
        "no_fees": (any(a.by_is_casting_director for a in f.attestations)
                    and not any(_names_fee(t.text) for t in f.texts)),
        "professional_venue": venue_ok,
        "business_hours": in_hours,
        "advance_notice": f.starts_at - NOW >= timedelta(hours=48),
        "panel_of_two": (len(f.panel) >= 2 and all(p.member_role for p in f.panel)
                         and any(p.member_role == "casting_director" for p in f.panel)),
        "sides_uploaded": bool(f.roles) and all(r.has_sides for r in f.roles),
        "safeguarding_contact": len(contact) >= 5 and ("@" in contact or digits >= 7),
        "intimacy_safeguards": None if not intimate else (
            any(p.member_role == "intimacy_coordinator" for p in f.panel)
            and all(len(r.nudity_or_intimacy_details.strip()) >= 30 for r in intimate)),
        "recording_terms": None if not f.recorded else len(f.recording_use.strip()) >= 30,
    }


@settings(max_examples=400, deadline=None)
@given(session_facts())
def test_each_item_passes_exactly_when_its_rule_holds(facts):
    result = evaluate(facts, NOW, RULES)
    want = expected(facts)
    assert [i.code for i in result.items] == list(CODES)
    for item in result.items:
        rule = want[item.code]
        assert item.applicable == (rule is not None), item.code
        if rule is not None:
            assert item.passed == rule, (item.code, item.detail)
        assert item.detail
        # A failing item always says where to fix it; a passing one points nowhere.
        assert (item.fix is not None) == item.failed, item.code


@settings(max_examples=400, deadline=None)
@given(session_facts())
def test_ready_only_when_every_applicable_rule_holds(facts):
    result = evaluate(facts, NOW, RULES)
    want = expected(facts)
    assert result.ready == all(v for v in want.values() if v is not None)
    assert set(result.failed_codes) == {code for code, v in want.items() if v is False}


@settings(max_examples=200, deadline=None)
@given(session_facts(), st.integers(-72, 72))
def test_evaluate_is_pure(facts, shift_hours):
    """The same facts at the same moment give the same answer, whatever was evaluated in between."""
    now = NOW + timedelta(hours=shift_hours)
    first = evaluate(facts, now, RULES)
    evaluate(facts, now + timedelta(days=3), RULES)
    assert evaluate(facts, now, RULES).to_dict() == first.to_dict()
