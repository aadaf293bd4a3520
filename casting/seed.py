"""`flask seed-demo`: idempotent demo data, built through the same service functions as the app.

Everything goes through services (so the demo's audit log is a real one): a verified company, a
production with three roles and sides, a published open call with about thirty submissions,
shortlists, a scheduled session with an invitation and its paperwork, a draft session ready to
schedule, one that fails three checklist items, and a role taken all the way to cast.
"""
from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa

from casting.accounts import mfa
from casting.accounts import services as accounts
from casting.accounts.models import User, UserRole
from casting.callbacks import invitations
from casting.callbacks import services as sessions
from casting.callbacks.demo import seed_demo_sessions
from casting.calls import services as calls
from casting.calls import shortlists
from casting.companies import services as companies
from casting.core.uploads import Upload
from casting.decisions import services as decisions
from casting.documents import issuing, signing
from casting.documents.models import Document
from casting.documents.render import html_to_pdf
from casting.extensions import db
from casting.productions import services as productions
from casting.productions.models import MemberRole, ProductionKind, VenueKind
from casting.talent import profile as talent_profile
from casting.talent import services as talent_services
from casting.talent.models import TalentProfile

PASSWORD = "callback-demo-2027"
TZ = "Europe/London"

USERS = [
    # email, name, account kind, what they show
    ("admin@example.com", "Ada Lindqvist", UserRole.admin, "verifies companies and credentials; reads the whole audit log"),
    ("admin2@example.com", "Ben Okafor", UserRole.admin, "a second admin (four eyes)"),
    ("casting@example.com", "Cara Mendes", UserRole.casting_director, "lead casting director of The Tide Line"),
    ("casting2@example.com", "Dev Patel", UserRole.casting_director, "associate casting director"),
    ("producer@example.com", "Paul Reyes", UserRole.producer, "producer: reviews and approves casting decisions"),
    ("coordinator@example.com", "Ines Duarte", UserRole.producer, "intimacy coordinator on the panel"),
    ("talent@example.com", "Talia Able", UserRole.talent, "invited to a callback: confirmation, rider and release"),
    ("talent2@example.com", "Tom Baker", UserRole.talent, "cast as Harbourmaster Ruth: a signed offer in the portal"),
]

ROLES = [
    dict(name="Maya Thornton",
         description="Lead. Late 20s to 30s. A marine biologist who returns to her Kent coastal hometown after her "
                     "father's boat is lost; guarded, funny, carries the film's central confrontation scenes.",
         age_min=26, age_max=38, nudity_or_intimacy=True,
         nudity_or_intimacy_details="One kiss and an embrace on a boat deck in episode scene 42, fully clothed; "
                                    "choreographed with the intimacy coordinator; no nudity.",
         compensation="Equity/PACT cinema agreement, lead rate"),
    dict(name="Daniel Thornton",
         description="Supporting. 60s. Maya's estranged father, a fisherman of few words; two long two-handers "
                     "with Maya and a storm sequence (stunt-doubled).",
         age_min=55, age_max=75, nudity_or_intimacy=False, compensation="Equity/PACT cinema agreement, daily rate"),
    dict(name="Harbourmaster Ruth",
         description="Featured. 40s to 50s. The harbourmaster who knows everyone's business; warm, brisk, "
                     "a scene-stealer in the harbour-office scenes. Kent or Essex accent welcome.",
         age_min=40, age_max=58, nudity_or_intimacy=False, compensation="Equity/PACT cinema agreement, daily rate"),
]

FIRST = ["Aisha", "Bilal", "Chloe", "Declan", "Esme", "Farid", "Grace", "Hugo", "Imani", "Jonah", "Keira", "Luca",
         "Mina", "Nathan", "Orla", "Pedro", "Quinn", "Rosa", "Samir", "Tess", "Umar", "Vera", "Wren", "Xavier",
         "Yara", "Zack", "Anya", "Bruno", "Celia", "Dara", "Elif", "Felix"]
LAST = ["Adeyemi", "Brennan", "Costa", "Dubois", "Evans", "Fischer", "Gallagher", "Hughes", "Ito", "Jensen",
        "Kowalski", "Lindgren", "Moreau", "Nakamura", "O'Neill", "Petrov", "Quigley", "Rossi", "Santos", "Teller",
        "Usman", "Varga", "Walsh", "Xu", "Young", "Zielinski", "Abbott", "Byrne", "Cohen", "Doyle", "Ekström", "Fox"]


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(TZ)).astimezone(timezone.utc)


def _weekday_after(days: int) -> date:
    """The first Tuesday-to-Thursday at least ``days`` days from today (clear of weekends and notice rules)."""
    day = date.today() + timedelta(days=days)
    while day.weekday() not in (1, 2, 3):
        day += timedelta(days=1)
    return day


# The demo applicants' casting profiles (talent search filters on these).
TOWNS = ("Bristol", "London", "Cardiff", "Manchester", "Glasgow", "Leeds")
SKILLS = ("Stage combat", "Guitar", "Welsh", "RP accent", "Horse riding", "Dance", "Swimming", "Singing (tenor)",
          "Singing (alto)", "Scottish accent", "Fencing")


def _headshot(name: str, hue: int) -> bytes:
    """A plain placeholder headshot: initials on a coloured card (a real PNG)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (240, 300), (60 + hue % 150, 90 + (hue * 7) % 120, 120 + (hue * 13) % 110))
    draw = ImageDraw.Draw(img)
    draw.ellipse((70, 50, 170, 150), fill=(235, 225, 210))
    draw.rounded_rectangle((45, 165, 195, 300), radius=40, fill=(235, 225, 210))
    draw.text((12, 12), "".join(p[0] for p in name.split()), fill=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _sides_pdf(role: str, scene: str) -> bytes:
    """Sides rendered with the documents feature's safe WeasyPrint renderer."""
    from markupsafe import escape

    html = (f"<html><head><style>@page{{size:A4;margin:25mm}} body{{font-family:'DejaVu Sans Mono',monospace;"
            f"font-size:11pt}} h1{{font-size:13pt}} .c{{margin-left:35%}} .d{{margin:0 18% 10pt 18%}}</style></head>"
            f"<body><h1>THE TIDE LINE — sides: {escape(role)}</h1>{scene}</body></html>")
    return html_to_pdf(html)


SCENE = ("<p>EXT. WHITSTABLE HARBOUR — DAWN</p><p>Gulls. Nets piled on the quay. MAYA (30s) walks the harbour "
         "wall, a duffel bag over her shoulder.</p><p class='c'>RUTH</p><p class='d'>Thought you'd sworn off "
         "the place.</p><p class='c'>MAYA</p><p class='d'>I did. The place didn't get the message.</p>"
         "<p class='c'>RUTH</p><p class='d'>Your dad's boat went out Tuesday. Hasn't come back.</p>"
         "<p>Maya stops. The tide slaps against the wall.</p>")


class _File:
    """The minimal FileStorage shape the upload checkers read."""

    def __init__(self, data: bytes, filename: str):
        self.stream, self.filename = io.BytesIO(data), filename


def _user(email, name, kind):
    return accounts.create_user(email, name, kind, PASSWORD, verified=True)


def seed() -> dict:
    """Build the demo through the services; returns the objects later steps refer to."""
    u = {email: _user(email, name, kind) for email, name, kind, _ in USERS}
    admin, admin2 = u["admin@example.com"], u["admin2@example.com"]
    for a in (admin, admin2):
        # Admins must have a second factor: the demo's come enrolled, their secrets printed with the logins.
        mfa.enrol_for_demo(a, mfa.new_secret())
    cara, dev = u["casting@example.com"], u["casting2@example.com"]
    paul, ines = u["producer@example.com"], u["coordinator@example.com"]

    for cd, ref in ((cara, "CSA-20417"), (dev, "CDG-3391")):
        accounts.submit_credential(cd, "Casting Directors' Guild" if ref.startswith("CDG") else "Casting Society (CSA)",
                                   ref, actor=cd)
        accounts.verify_credential(cd, f"Checked {ref} in the registry's online member directory today.", actor=admin)

    company = companies.create_company(
        actor=cara, legal_name="Harbour Light Pictures Ltd", registration_number="12345678",
        address="12 Wharf Street, Whitstable CT5 1AB, United Kingdom", website="https://harbourlight.example.com",
        phone="+44 1227 000 000", email="office@harbourlight.example.com")
    companies.add_member(company, paul, actor=cara)
    companies.verify_company(company, "Companies House entry 12345678 checked: active, registered office matches.",
                             actor=admin)

    production = productions.create_production(
        actor=cara, title="The Tide Line", company_id=company.id, kind=ProductionKind.film,
        description="A feature film about family, fishing and the sea, shooting on the Kent coast in spring 2027.",
        safeguarding_contact="Priya Shah, safeguarding lead: safeguarding@harbourlight.example.com, +44 1227 000 111")
    productions.add_member(production, dev, MemberRole.casting_director, actor=cara)
    productions.add_member(production, paul, MemberRole.producer, actor=cara)
    productions.add_member(production, ines, MemberRole.intimacy_coordinator, actor=cara)

    roles = []
    for spec in ROLES:
        role = productions.create_role(production, actor=cara, **spec)
        productions.upload_side(role, _File(_sides_pdf(role.name, SCENE), f"tide-line-{role.id}-sides.pdf"),
                                actor=cara)
        roles.append(role)
    maya, daniel, ruth = roles

    studio = productions.create_venue(actor=cara, name="Spotlight Studios, Studio 2", kind=VenueKind.casting_studio,
                                      address="7 Leicester Place, London WC2H 7RJ, United Kingdom", timezone=TZ)
    hotel = productions.create_venue(actor=cara, name="Seaview Hotel, room 214", kind=VenueKind.hotel_room,
                                     address="1 Marine Parade, Whitstable CT5 2BE, United Kingdom", timezone=TZ)

    call = calls.create_open_call(production, actor=cara, title="The Tide Line — open call for Daniel and Ruth",
                                  role_ids=[daniel.id, ruth.id], closes_at=datetime.now(timezone.utc) + timedelta(days=21),
                                  instructions="Apply with a recent headshot and a short note about your stage and "
                                               "screen work. Self-tapes welcome. Applying costs nothing.")
    calls.publish_open_call(call, actor=cara)

    # About thirty applicants with accounts (no passwords: they would claim by signing up).
    applicants = [u["talent2@example.com"]]
    for i in range(29):
        name = f"{FIRST[i]} {LAST[i]}"
        applicants.append(accounts.create_user(f"{FIRST[i].lower()}.{LAST[i].lower().replace(chr(39), '')}@example.com",
                                               name, UserRole.talent, verified=True))
    for i, applicant in enumerate(applicants):
        role = daniel if i % 2 else ruth
        # Each builds a casting profile first; the application then takes its primary headshot.
        own = talent_services.profile_of(applicant)
        talent_profile.update_profile_details(
            own, actor=applicant, location=TOWNS[i % len(TOWNS)], playing_age_min=18 + i % 30,
            playing_age_max=28 + i % 30, skills=[SKILLS[i % len(SKILLS)], SKILLS[(i * 7 + 3) % len(SKILLS)]],
            unions=["Equity"] if i % 3 else [], reel_url=f"https://vimeo.com/{700000 + i}")
        talent_profile.add_headshot(own, Upload(_headshot(applicant.name, i * 37), "image/png", "headshot.png"),
                                    actor=applicant)
        calls.submit(call, actor=applicant, role_id=role.id,
                     note="Trained at Rose Bruford; recent work at the Marlowe, Canterbury.")
    db.session.flush()

    # Shortlists: the first applicants per role, and for Maya (invitation only) talent Cara adds herself.
    for role, picks in ((ruth, applicants[0:10:2]), (daniel, applicants[1:10:2])):
        for talent_user in picks[:4]:
            shortlists.add(role, actor=cara, talent_id=talent_user.talent_profile.id, note="Strong tape.")
    talia = u["talent@example.com"].talent_profile
    talent_profile.update_profile_details(
        talia, actor=u["talent@example.com"], location="Bristol", pronouns="she/her", playing_age_min=20,
        playing_age_max=30, skills=["Stage combat", "Welsh"], unions=["Equity"],
        access_needs="Step-free access, please, and somewhere quiet to wait before my slot.")
    talent_profile.add_headshot(talia, Upload(_headshot("Talia Able", 200), "image/png", "headshot.png"),
                                actor=u["talent@example.com"])
    talent_services.create_talent(actor=cara, legal_name="Rhiannon Price", email="rhiannon.price@example.com",
                                  professional_name="Rhi Price", agent="Coastline Artists")
    db.session.flush()
    for profile_email in ("talent@example.com", "rhiannon.price@example.com"):
        profile = db.session.scalar(sa.select(TalentProfile).where(TalentProfile.email == profile_email))
        if profile.created_by_id is None:
            profile.created_by_id = cara.id  # Cara found Talia through her agent
        shortlists.add(maya, actor=cara, talent_id=profile.id, note="Agent submission; seen in 'Low Tide'.")
    return {"users": u, "production": production, "roles": roles, "studio": studio, "hotel": hotel,
            "talia": talia, "applicants": applicants}


def seed_sessions(world: dict) -> None:
    """Sessions: one scheduled with an invitation and its paperwork, one ready, one failing three items."""
    u = world["users"]
    cara, paul, ines = u["casting@example.com"], u["producer@example.com"], u["coordinator@example.com"]
    maya, daniel, _ = world["roles"]
    panel = [cara.id, paul.id, ines.id]

    day = _weekday_after(8)
    s1 = sessions.create_session(world["production"], actor=cara, title="Maya — callbacks", role_ids=[maya.id],
                                 venue_id=world["studio"].id, starts_at=_local(day, 10), ends_at=_local(day, 13),
                                 slot_minutes=30, panel_user_ids=panel, recorded=True,
                                 recording_use="Recorded for the director and producers to review casting; kept on the "
                                               "production's casting drive for six months, then deleted; never published.")
    sessions.attest(s1, actor=cara, statement="No fee, deposit or payment of any kind is asked of talent.")
    sessions.schedule_session(s1, actor=cara)
    inv = invitations.invite(s1, actor=cara, talent_id=world["talia"].id, role_id=maya.id, starts_at=_local(day, 10))
    invitations.confirm(inv, actor=u["talent@example.com"])

    # One session ready to schedule, one failing three items (a hotel room, the evening, no attestation).
    seed_demo_sessions(world["production"], cd=cara, panel=[cara, paul], venue=world["studio"], roles=[daniel])
    world["invitation"] = inv


def seed_cast_role(world: dict) -> None:
    """Harbourmaster Ruth, all the way: an earlier callback, a proposal, approval, the offer signed — cast."""
    u = world["users"]
    cara, dev, paul = u["casting@example.com"], u["casting2@example.com"], u["producer@example.com"]
    ruth = world["roles"][2]
    tom, other = u["talent2@example.com"], world["applicants"][2]
    day = date.today() - timedelta(days=6)
    while day.weekday() not in (1, 2, 3):
        day -= timedelta(days=1)
    past = sessions.create_session(world["production"], actor=cara, title="Ruth — callbacks", role_ids=[ruth.id],
                                   venue_id=world["studio"].id, starts_at=_local(day, 10), ends_at=_local(day, 12),
                                   slot_minutes=30, panel_user_ids=[cara.id, paul.id])
    sessions.attest(past, actor=cara, statement="No fee, deposit or payment of any kind is asked of talent.")
    # Scheduled back then: the gate is evaluated at the moment of scheduling.
    sessions.schedule_session(past, actor=cara, now=_local(day, 10) - timedelta(days=7))
    for i, talent_user in enumerate((tom, other)):
        inv = invitations.invite(past, actor=cara, talent_id=talent_user.talent_profile.id, role_id=ruth.id,
                                 starts_at=_local(day, 10 + i), now=_local(day, 10) - timedelta(days=7))
        invitations.confirm(inv, actor=talent_user)
        invitations.check_in(inv, actor=cara, now=_local(day, 10 + i) - timedelta(minutes=10))  # on the day
        invitations.add_note(inv, actor=paul, rating=5 - i, note="Lovely, grounded reading." if i == 0 else
                             "Good energy; a little young for Ruth.")
    proposal = decisions.propose(ruth, actor=dev, talent_id=tom.talent_profile.id,
                                 terms={"compensation": "£650 a day, 6 shooting days (Equity/PACT cinema rates)",
                                        "start_date": (date.today() + timedelta(days=60)).isoformat(),
                                        "end_date": (date.today() + timedelta(days=75)).isoformat(),
                                        "usage": "The feature film and its trailers, worldwide, all media."})
    decisions.approve(proposal, actor=paul, comment="Tom was the clear choice at callbacks.")
    issuing.finish_all_pending_now()  # the letters and the offer, rendered now (the seed signs them next)
    offer = db.session.get(Document, proposal.offer_document_id)
    signing.record_view(offer, actor=tom)
    signing.sign_document(offer, actor=tom, full_name=tom.talent_profile.legal_name, agree=True)


def register(app) -> None:
    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Load the demo data (idempotent: a second run changes nothing) and print the demo logins."""
        if db.session.scalar(sa.select(User.id).where(User.email == USERS[0][0])) is None:
            world = seed()
            seed_sessions(world)
            seed_cast_role(world)
            db.session.commit()
            click.echo("Demo data loaded.")
        else:
            click.echo("Demo data already loaded; nothing changed.")
        click.echo(f"\nDemo logins (password for all: {PASSWORD}):")
        for email, name, kind, what in USERS:
            click.echo(f"  {email:26} {kind:17} {name} — {what}")
        admins = db.session.scalars(sa.select(User).where(User.role == UserRole.admin, User.mfa_secret.is_not(None),
                                                          User.email.in_([e for e, *_ in USERS])).order_by(User.id))
        click.echo("\nAdmins sign in with a second factor: add the key to an authenticator app (or run "
                   "`python -c \"import pyotp; print(pyotp.TOTP('KEY').now())\"`):")
        for a in admins:
            click.echo(f"  {a.email:26} key {a.mfa_secret}")
        click.echo("\nOpen http://127.0.0.1:5000 and sign in. Emails are written to instance/outbox/.")
