"""The legitimate-callback checklist (DESIGN.md): one pure function of a session's facts and the time.

``evaluate(facts, now, rules)`` reads plain data only and writes nothing, so it is unit-testable
without a database; ``casting.callbacks.gate.facts_of(session)`` gathers them from the ORM objects.

Settings (business hours, notice) are parsed in ``casting.callbacks.rules``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from casting.callbacks.rules import (  # noqa: F401  (re-exported)
    BusinessHours,
    Rules,
    describe_days,
    parse_business_hours,
    working_hours_between,
)
from casting.core.fees import fee_wording
from casting.core.timefmt import local_span, local_time, to_local
from casting.productions.models import PROFESSIONAL_VENUE_KINDS, MemberRole, VenueKind

CODES = (
    "company_verified", "casting_director_verified", "roles_specific", "no_fees", "professional_venue",
    "business_hours", "advance_notice", "panel_of_two", "sides_uploaded", "safeguarding_contact",
    "intimacy_safeguards", "recording_terms",
)

TITLES = {
    "company_verified": "Production company verified",
    "casting_director_verified": "Lead casting director's credential verified",
    "roles_specific": "Every role is specific",
    "no_fees": "No fees asked of talent",
    "professional_venue": "Professional venue",
    "business_hours": "Within business hours",
    "advance_notice": "Enough notice",
    "panel_of_two": "Panel of at least two, with a casting director",
    "sides_uploaded": "Sides uploaded for every role",
    "safeguarding_contact": "Safeguarding contact named",
    "intimacy_safeguards": "Intimacy safeguards",
    "recording_terms": "Use of recordings written down",
}

ROLE_DESCRIPTION_MIN = 50
INTIMACY_DETAILS_MIN = 30
RECORDING_USE_MIN = 30
ADDRESS_MIN = 15

VAGUE_PHRASES = ("various projects", "flexible talent", "all types", "open to anything", "tbd")



# ---- facts ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class RoleFacts:
    id: int
    name: str
    description: str
    has_sides: bool
    nudity_or_intimacy: bool = False
    nudity_or_intimacy_details: str = ""
    sides_pages: int = 0  # the pages of the role's sides together (counted once, at upload)


@dataclass(frozen=True)
class PanelFacts:
    user_id: int
    name: str
    member_role: str | None  # role in the production, None when not a member


@dataclass(frozen=True)
class AttestationFacts:
    code: str
    by_id: int
    by_name: str
    by_is_casting_director: bool
    at: datetime
    statement: str = ""  # what they attested, in their words (shown on the session page; no rule reads it)


@dataclass(frozen=True)
class TextFacts:
    label: str  # e.g. "Role 'Maya' description"
    text: str
    fix: "Fix"


@dataclass(frozen=True)
class SessionFacts:
    """Everything the checklist looks at, as plain data."""

    session_id: int | None
    production_id: int
    company_id: int
    company_name: str
    company_verified: bool
    company_verified_by_creator: bool
    lead_id: int
    lead_name: str
    lead_credential_verified: bool
    roles: tuple[RoleFacts, ...]
    venue_id: int
    venue_name: str
    venue_kind: str
    venue_address: str
    venue_meeting_url: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    panel: tuple[PanelFacts, ...]
    safeguarding_contact: str
    recorded: bool
    recording_use: str
    attestations: tuple[AttestationFacts, ...] = ()
    # Session, role and open-call texts scanned for fee wording.
    texts: tuple["TextFacts", ...] = ()


# ---- result --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fix:
    """Where the casting director fixes an item: a target kind and its id."""

    target: str  # company, credential, role, production, session_edit, attestation, venue
    ident: int | None = None


@dataclass(frozen=True)
class Item:
    code: str
    title: str
    applicable: bool
    passed: bool
    detail: str
    fix: Fix | None = None

    @property
    def failed(self) -> bool:
        return self.applicable and not self.passed

    def to_dict(self) -> dict:
        return {"code": self.code, "title": self.title, "applicable": self.applicable, "passed": self.passed,
                "detail": self.detail}


@dataclass(frozen=True)
class Result:
    items: tuple[Item, ...]
    evaluated_at: datetime
    rules: Rules = field(repr=False, compare=False, default=None)

    @property
    def ready(self) -> bool:
        return not self.failed_codes

    @property
    def failed_codes(self) -> list[str]:
        return [i.code for i in self.items if i.failed]

    @property
    def failed_titles(self) -> list[str]:
        """The failed items in plain words (their titles), for pages and messages; the codes stay in the API."""
        return [i.title for i in self.items if i.failed]

    def item(self, code: str) -> Item:
        return next(i for i in self.items if i.code == code)

    def to_dict(self) -> dict:
        return {"ready": self.ready, "items": [i.to_dict() for i in self.items]}


# ---- the checks ----------------------------------------------------------------------------

def _item(code, passed, detail, fix=None, applicable=True) -> Item:
    return Item(code, TITLES[code], applicable, passed if applicable else True, detail, fix if not passed else None)


def _company(f: SessionFacts) -> Item:
    if f.company_verified and not f.company_verified_by_creator:
        return _item("company_verified", True, f"{f.company_name} was verified by an admin.")
    if f.company_verified:
        return _item("company_verified", False, f"{f.company_name} was verified by the user who registered it; "
                     "an admin other than its creator must verify it.", Fix("company", f.company_id))
    return _item("company_verified", False, f"{f.company_name} is not verified yet. Ask an admin to verify the "
                 "company against its official register.", Fix("company", f.company_id))


def _lead(f: SessionFacts) -> Item:
    if f.lead_credential_verified:
        return _item("casting_director_verified", True, f"{f.lead_name}'s registry credential is verified.")
    return _item("casting_director_verified", False, f"{f.lead_name} (lead casting director) has no verified registry "
                 "credential. Submit it in Settings and ask an admin to verify it.", Fix("credential", f.lead_id))


def _roles_specific(f: SessionFacts) -> Item:
    if not f.roles:
        return _item("roles_specific", False, "The session has no roles. Add the roles you are calling back.",
                     Fix("session_edit", f.session_id))
    for r in f.roles:
        text = (r.description or "").strip()
        vague = next((p for p in VAGUE_PHRASES if re.search(rf"\b{re.escape(p)}\b", text, re.IGNORECASE)), None)
        if vague:
            return _item("roles_specific", False, f"Role '{r.name}': the description says \"{vague}\". Replace the "
                         "catch-all with what the part actually is.", Fix("role", r.id))
        if len(text) < ROLE_DESCRIPTION_MIN:
            return _item("roles_specific", False, f"Role '{r.name}': the description has {len(text)} characters; "
                         f"describe the part in at least {ROLE_DESCRIPTION_MIN}.", Fix("role", r.id))
    return _item("roles_specific", True, "Every role has a specific description.")


def _no_fees(f: SessionFacts) -> Item:
    for t in f.texts:
        found = fee_wording(t.text)
        if found:
            return _item("no_fees", False, f"{t.label} mentions \"{found}\". Remove any wording about a fee, "
                         "deposit or charge: talent never pay.", t.fix)
    attested = [a for a in f.attestations if a.code == "no_fees" and a.by_is_casting_director]
    if not attested:
        return _item("no_fees", False, "No casting director has attested that no fee, deposit, registration, "
                     "database or \"secure your spot\" payment is asked of talent. Record the attestation.",
                     Fix("attestation", f.session_id))
    a = attested[-1]
    return _item("no_fees", True, f"Attested by {a.by_name} on {local_time(a.at, f.timezone)} (the venue's time); "
                 "no fee wording found.")


def venue_problem(kind: str, address: str | None, meeting_url: str | None) -> str | None:
    """Why a venue fails the professional-venue item: "not_professional", "no_meeting_link" or "no_address"
    (None: it passes). The checklist item and the session form's venue list both ask this one function."""
    if kind not in PROFESSIONAL_VENUE_KINDS:
        return "not_professional"
    if kind == VenueKind.virtual:
        return None if re.match(r"^https://\S+$", meeting_url or "") else "no_meeting_link"
    address = (address or "").strip()
    if len(address) < ADDRESS_MIN or not re.search(r"\d", address):
        return "no_address"
    return None


def _venue(f: SessionFacts) -> Item:
    kind = f.venue_kind.replace("_", " ")
    problem = venue_problem(f.venue_kind, f.venue_address, f.venue_meeting_url)
    if problem == "not_professional":
        return _item("professional_venue", False, f"{f.venue_name} is a {kind}. Callbacks take place at a "
                     "casting studio, production office, rehearsal space, theatre, sound stage, or online.",
                     Fix("session_edit", f.session_id))
    if problem == "no_meeting_link":
        return _item("professional_venue", False, f"{f.venue_name} is virtual but has no https meeting link. "
                     "Add the meeting link to the venue.", Fix("venue", f.venue_id))
    if problem == "no_address":
        return _item("professional_venue", False, f"{f.venue_name} has no full address (street, number, city, "
                     "postcode). Complete the venue's address.", Fix("venue", f.venue_id))
    if f.venue_kind == VenueKind.virtual:
        return _item("professional_venue", True, f"{f.venue_name}: an online meeting with a link.")
    return _item("professional_venue", True, f"{f.venue_name}, a {kind}: {(f.venue_address or '').strip()}.")


def _business_hours(f: SessionFacts, rules: Rules) -> Item:
    start, end = to_local(f.starts_at, f.timezone), to_local(f.ends_at, f.timezone)
    when = local_span(f.starts_at, f.ends_at, f.timezone)
    if rules.business_hours.contains(start, end):
        return _item("business_hours", True, f"{when} is within business hours ({rules.business_hours.describe()}).")
    return _item("business_hours", False, f"{when} ({f.timezone}) is outside business hours "
                 f"({rules.business_hours.describe()}). Move the session into those hours.",
                 Fix("session_edit", f.session_id))


def _advance_notice(f: SessionFacts, now: datetime, rules: Rules) -> Item:
    hours = (f.starts_at - now).total_seconds() / 3600
    need = rules.min_notice_hours
    if hours < 0:
        return _item("advance_notice", False, f"The session starts in the past. Move it at least {need} hours ahead.",
                     Fix("session_edit", f.session_id))
    if hours < need:
        return _item("advance_notice", False, f"Starts only {hours:.0f} hours from now; talent need at least {need} "
                     "hours' notice. Move the session later.", Fix("session_edit", f.session_id))
    longest = max(f.roles, key=lambda r: r.sides_pages, default=None)
    sides_need = rules.sides_notice_hours(longest.sides_pages) if longest else None
    if sides_need is None:
        return _item("advance_notice", True, f"Starts {hours:.0f} hours after scheduling (at least {need} needed).")
    # Long sides: the notice counts only the hours of working days, so a weekend gives no time to learn them.
    days = describe_days(rules.working_days)
    working = working_hours_between(now, f.starts_at, f.timezone, rules.working_days)
    pages = f"The sides for '{longest.name}' run to {longest.sides_pages} pages"
    if working < sides_need:
        return _item("advance_notice", False, f"{pages}, so talent need at least {sides_need} hours to prepare, "
                     f"counting only working days ({days}). The session starts only {working:.0f} such hours from "
                     "now. Move the session later, or shorten the sides.", Fix("session_edit", f.session_id))
    return _item("advance_notice", True, f"Starts {hours:.0f} hours after scheduling. {pages}: {working:.0f} hours on "
                 f"working days ({days}), at least {sides_need} needed.")


def _panel(f: SessionFacts) -> Item:
    outsiders = [p.name for p in f.panel if p.member_role is None]
    if outsiders:
        verb = "is" if len(outsiders) == 1 else "are"
        return _item("panel_of_two", False, f"{', '.join(outsiders)} {verb} not a member of the production. Every "
                     "panel member must be one.", Fix("session_edit", f.session_id))
    cds = [p for p in f.panel if p.member_role == MemberRole.casting_director]
    if len(f.panel) < 2:
        return _item("panel_of_two", False, f"The panel has {len(f.panel)} person; add at least one more production "
                     "member so no talent is ever alone with one person.", Fix("session_edit", f.session_id))
    if not cds:
        return _item("panel_of_two", False, "No casting director of the production is on the panel. Add one.",
                     Fix("session_edit", f.session_id))
    return _item("panel_of_two", True, f"Panel of {len(f.panel)}: {', '.join(p.name for p in f.panel)}.")


def _sides(f: SessionFacts) -> Item:
    if not f.roles:
        return _item("sides_uploaded", False, "The session has no roles, so no sides.", Fix("session_edit", f.session_id))
    missing = [r for r in f.roles if not r.has_sides]
    if missing:
        return _item("sides_uploaded", False, f"Role '{missing[0].name}' has no sides. Upload the scene (PDF) "
                     "talent will read." + (f" ({len(missing)} roles lack sides.)" if len(missing) > 1 else ""),
                     Fix("role", missing[0].id))
    return _item("sides_uploaded", True, "Every role has sides to read in advance.")


def _safeguarding(f: SessionFacts) -> Item:
    contact = (f.safeguarding_contact or "").strip()
    reachable = "@" in contact or len(re.sub(r"\D", "", contact)) >= 7
    if len(contact) >= 5 and reachable:
        return _item("safeguarding_contact", True, f"Safeguarding contact: {contact}.")
    if contact:
        return _item("safeguarding_contact", False, f"The safeguarding contact \"{contact}\" has no email or phone. "
                     "Name a person and how talent can reach them.", Fix("production", f.production_id))
    return _item("safeguarding_contact", False, "The production names no safeguarding contact. Name a person and an "
                 "email or phone talent can reach about conduct.", Fix("production", f.production_id))


def _intimacy(f: SessionFacts) -> Item:
    roles = [r for r in f.roles if r.nudity_or_intimacy]
    if not roles:
        return _item("intimacy_safeguards", True, "No role involves nudity or intimacy.", applicable=False)
    if not any(p.member_role == MemberRole.intimacy_coordinator for p in f.panel):
        return _item("intimacy_safeguards", False, f"Role '{roles[0].name}' involves nudity or intimacy: put an "
                     "intimacy coordinator of the production on the panel.", Fix("session_edit", f.session_id))
    for r in roles:
        if len((r.nudity_or_intimacy_details or "").strip()) < INTIMACY_DETAILS_MIN:
            return _item("intimacy_safeguards", False, f"Role '{r.name}': say what the nudity or intimacy involves "
                         f"(at least {INTIMACY_DETAILS_MIN} characters).", Fix("role", r.id))
    return _item("intimacy_safeguards", True, "An intimacy coordinator is on the panel and every such role says what "
                 "it involves.")


def _recording(f: SessionFacts) -> Item:
    if not f.recorded:
        return _item("recording_terms", True, "The session is not recorded.", applicable=False)
    use = (f.recording_use or "").strip()
    if len(use) < RECORDING_USE_MIN:
        return _item("recording_terms", False, f"The session is recorded but the intended use of recordings has "
                     f"{len(use)} characters; write who sees them, for what and for how long "
                     f"(at least {RECORDING_USE_MIN}).", Fix("session_edit", f.session_id))
    return _item("recording_terms", True, f"Recordings: {use}")


def evaluate(facts: SessionFacts, now: datetime, rules: Rules) -> Result:
    """Every checklist item, in DESIGN.md's order, for ``facts`` at the moment ``now``."""
    items = (
        _company(facts), _lead(facts), _roles_specific(facts), _no_fees(facts), _venue(facts),
        _business_hours(facts, rules), _advance_notice(facts, now, rules), _panel(facts), _sides(facts),
        _safeguarding(facts), _intimacy(facts), _recording(facts),
    )
    assert tuple(i.code for i in items) == CODES
    return Result(items, now, rules)
