"""`flask seed-scale`: a platform-sized data set for load tests and benchmarks.

Defaults: 50,000 talent, 200 productions, 200,000 submissions, 5,000 callback sessions, 40,000 invitations
and 1,000,000 audit entries forming a valid chain. Rows go in with SQLAlchemy Core executemany in batches
(not through the services: they would take hours), so this module builds data that already respects
every rule the services enforce:

- every company is verified by an admin who did not create it; every lead casting director has a verified
  credential; other casting directors have pending credentials or none; some accounts have an unverified
  email; about one talent in forty is a minor, with a guardian set by the casting office;
- every production has three roles with specific descriptions and sides (role 1 involves intimacy, with
  details), a lead casting director, a producer and an intimacy coordinator, a professional venue with a
  full address, and a published open call;
- sessions: drafts, cancelled ones and scheduled ones (past and future) on weekdays inside business hours,
  scheduled at least a week ahead, attested "no fees", with all three members on the panel; each
  invitation starts on the session's slot grid, no slot holds two active invitations (the partial unique
  index checks it) and no talent is booked twice at once; every invitee is on the role's shortlist;
- each invitation has the documents it needs (confirmation; consent rider, recording release, guardian
  consent where they apply). The PDFs are real: one invitation's set is issued through the documents
  service, and the other rows of each kind share that kind's PDF blob. Checked-in invitations are ones
  that needed no consent.

One argon2 hash (of PASSWORD) is computed once and shared by every generated account. Four known logins
(KNOWN) let a load test sign in; the admin has a second factor whose key is printed.

Idempotency: the command refuses to run when the database already holds a scale data set (the known
casting director's account exists); there is no --append. Use a fresh database for another size.
"""
from __future__ import annotations

import io
import math
import random
import time as _time
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Callable, Iterable, Iterator
from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa
from PIL import Image, ImageDraw

from casting.accounts import mfa
from casting.accounts import services as accounts
from casting.accounts.models import Credential, User, UserRole
from casting.audit.models import GENESIS_HASH, AuditEntry
from casting.audit.services import canonical_json, compute_hash
from casting.callbacks.models import (
    Attestation,
    CallbackSession,
    CallbackSessionStatus,
    Invitation,
    InvitationEvent,
    InvitationStatus,
    PanelNote,
    session_panel,
    session_roles,
)
from casting.calls.models import (
    OpenCall,
    OpenCallStatus,
    ShortlistEntry,
    Submission,
    open_call_roles,
)
from casting.companies.models import Company, CompanyMember
from casting.core.blobs import Blob, sha256_hex
from casting.core.db import utcnow
from casting.documents import issuing
from casting.documents.codes import CODE_ALPHABET, CODE_LENGTH, next_serial
from casting.documents.models import Document, DocumentKind, DocumentStatus
from casting.documents.render import html_to_pdf
from casting.extensions import db
from casting.productions.models import (
    MemberRole,
    Production,
    ProductionKind,
    ProductionMember,
    ProductionRole,
    Side,
    Venue,
    VenueKind,
)
from casting.talent.models import TalentProfile

PASSWORD = "callback-scale-2027"
TZ = "Europe/London"
DOMAIN = "scale.example.com"
# The known logins (email, name, account kind); the casting director's account marks a scale data set.
KNOWN = {
    "casting_director": ("scale-casting@example.com", "Casey Scale", UserRole.casting_director),
    "producer": ("scale-producer@example.com", "Pat Scale", UserRole.producer),
    "admin": ("scale-admin@example.com", "Alex Scale", UserRole.admin),
    "talent": ("scale-talent@example.com", "Terry Scale", UserRole.talent),
}
MARKER_EMAIL = KNOWN["casting_director"][0]
ROLES_PER_PRODUCTION = 3
KNOWN_TALENT_INVITATIONS = 10  # the known talent's callbacks (the talent portal has something to list)
BATCH = 5000


class ScaleDataExists(click.ClickException):
    """The database already holds a scale data set."""


@dataclass(frozen=True)
class Sizes:
    talent: int = 50_000
    productions: int = 200
    submissions: int = 200_000
    sessions: int = 5_000
    invitations: int = 40_000
    audit: int = 1_000_000

    def label(self) -> str:
        """A short name for caches, e.g. t50000-p200-s200000-c5000-i40000-a1000000."""
        return (f"t{self.talent}-p{self.productions}-s{self.submissions}-c{self.sessions}-i{self.invitations}"
                f"-a{self.audit}")

    def check(self) -> None:
        """Refuse sizes that cannot all hold together (a ClickException naming the problem)."""
        roles = self.productions * ROLES_PER_PRODUCTION
        pool = _submitter_count(self.talent)
        problems = []
        if self.productions < 1 or self.talent < 8 or self.sessions < 1:
            problems.append("need at least 1 production, 1 session and 8 talent")
        if self.submissions > roles * pool:
            problems.append(f"at most {roles * pool} submissions fit ({roles} roles x {pool} talent with accounts)")
        if self.invitations > self.talent - 2:
            problems.append("invitations must be fewer than talent (each invitee is booked once)")
        holding = _holding_sessions(self.sessions)
        if self.invitations and holding == 0:
            problems.append("no scheduled session to hold invitations")
        elif self.invitations and math.ceil(self.invitations / holding) > 66:
            problems.append("more than 66 invitations per session; add sessions")
        if min(asdict(self).values()) < 0:
            problems.append("sizes cannot be negative")
        if problems:
            raise click.ClickException("seed-scale: " + "; ".join(problems) + ".")


PRESETS = {
    "full": Sizes(),
    "medium": Sizes(talent=10_000, productions=50, submissions=40_000, sessions=1_000, invitations=8_000,
                    audit=200_000),
    "small": Sizes(talent=2_000, productions=20, submissions=8_000, sessions=200, invitations=1_600, audit=40_000),
    "tiny": Sizes(talent=60, productions=2, submissions=120, sessions=8, invitations=20, audit=300),
}


# ---- progress ------------------------------------------------------------------------------------

Progress = Callable[[str, int], Any]  # (stage label, total) -> a context manager with .update(n)


class _Quiet:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n: int) -> None:
        pass


def _bar(progress: Progress | None, label: str, total: int):
    return progress(label, total) if progress else _Quiet()


def click_progress(label: str, total: int):
    """A click progress bar per stage (the CLI's ``progress``)."""
    return click.progressbar(length=max(total, 1), label=f"{label:<22}", show_pos=True, show_eta=True)


# ---- helpers -------------------------------------------------------------------------------------

def _submitter_count(talent: int) -> int:
    return sum(1 for i in range(talent) if _has_user(i) and _verified(i))


def _has_user(i: int) -> bool:
    """Profile i has an account (about six in seven; the rest were added by a casting office)."""
    return i == 0 or i % 7 != 6


def _verified(i: int) -> bool:
    """Whether profile i's account has a verified email (one in fifty has not yet)."""
    return i == 0 or i % 50 != 1


def _minor(i: int) -> bool:
    return i != 0 and i % 40 == 3


def _session_status(s: int) -> str:
    """Session s: a few drafts and cancelled ones, the rest scheduled."""
    if s % 25 == 7:
        return CallbackSessionStatus.draft
    if s % 25 == 13:
        return CallbackSessionStatus.cancelled
    return CallbackSessionStatus.scheduled


def _holding_sessions(sessions: int) -> int:
    """How many sessions are scheduled (and hold invitations)."""
    return sum(1 for s in range(sessions) if _session_status(s) == CallbackSessionStatus.scheduled)


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(TZ)).astimezone(timezone.utc)


def _weekdays(start: date, step: int, count: int) -> list[date]:
    out, day = [], start
    while len(out) < count:
        if day.weekday() < 5:
            out.append(day)
        day += timedelta(days=step)
    return out


def _next_ids(conn, *tables) -> dict[str, int]:
    return {t.name: (conn.scalar(sa.select(sa.func.max(t.c.id))) or 0) + 1 for t in tables}


def _insert(conn, table: sa.Table, rows: Iterable[dict], *, bar=None, batch: int = BATCH) -> int:
    """Insert ``rows`` with executemany, ``batch`` at a time; return how many."""
    count, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            conn.execute(table.insert(), chunk)
            count += len(chunk)
            if bar is not None:
                bar.update(len(chunk))
            chunk = []
    if chunk:
        conn.execute(table.insert(), chunk)
        count += len(chunk)
        if bar is not None:
            bar.update(len(chunk))
    return count


def _fix_sequences(conn, tables: Iterable[sa.Table]) -> None:
    """PostgreSQL: explicit ids do not advance the id sequences; move them past the rows inserted."""
    if conn.dialect.name != "postgresql":
        return
    for t in tables:
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
            f"COALESCE((SELECT max(id) FROM \"{t.name}\"), 0) + 1, false)")


def _blob_row(data: bytes, content_type: str, now: datetime) -> dict:
    return {"sha256": sha256_hex(data), "content_type": content_type, "size": len(data), "data": data,
            "created_at": now}


def _store_blobs(conn, blobs: list[dict]) -> None:
    table = Blob.__table__
    for b in blobs:
        if conn.scalar(sa.select(table.c.sha256).where(table.c.sha256 == b["sha256"])) is None:
            conn.execute(table.insert(), [b])


def _headshot() -> bytes:
    """A plain placeholder headshot (a real PNG), made once and shared."""
    img = Image.new("RGB", (240, 300), (96, 120, 150))
    draw = ImageDraw.Draw(img)
    draw.ellipse((70, 50, 170, 150), fill=(235, 225, 210))
    draw.rounded_rectangle((45, 165, 195, 300), radius=40, fill=(235, 225, 210))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _sides() -> bytes:
    return html_to_pdf(
        "<html><head><style>@page{size:A4;margin:25mm} body{font-family:'DejaVu Sans Mono',monospace;"
        "font-size:11pt}</style></head><body><h1>Sides</h1><p>INT. REHEARSAL ROOM - DAY</p>"
        "<p>Two chairs, a table, a window onto the street.</p><p>ALEX: You came back.</p>"
        "<p>SAM: I said I would.</p></body></html>")


ROLE_TEXTS = [
    ("Lead", "Lead. Late 20s to 30s. A marine biologist who returns to her coastal hometown after a loss; "
             "guarded, funny, carries the central confrontation scenes.", True),
    ("Supporting", "Supporting. 60s. An estranged father of few words; two long two-handers and a storm "
                   "sequence that is stunt-doubled.", False),
    ("Featured", "Featured. 40s to 50s. The harbourmaster who knows everyone's business; warm, brisk, a "
                 "scene-stealer in the harbour-office scenes.", False),
]
INTIMACY_DETAILS = ("One kiss and an embrace on a boat deck, fully clothed; choreographed with the intimacy "
                    "coordinator; no nudity.")
RECORDING_USE = ("Recorded for the director and producers to review casting; kept six months on the "
                 "production's casting drive, then deleted; never published.")
ATTESTATION = "No payment of any kind is asked of talent."
SAFEGUARDING = "Safeguarding lead: safeguarding@{domain}, +44 20 7946 0000"


# ---- the data set --------------------------------------------------------------------------------

@dataclass
class _World:
    """Ids and facts the stages hand to one another."""

    rng: random.Random
    sizes: Sizes
    now: datetime
    ids: dict[str, int]
    password_hash: str
    admin_id: int = 0
    cd_ids: list[int] = None
    producer_ids: list[int] = None
    coordinator_ids: list[int] = None
    profile_ids: list[int] = None          # by profile index
    profile_user: dict[int, int] = None   # profile index -> user id
    production_ids: list[int] = None
    role_ids: list[list[int]] = None       # per production
    call_ids: list[int] = None
    venue_ids: list[int] = None
    lead_of: list[tuple[int, int, int]] = None  # per production: (casting director, producer, coordinator)
    headshot_sha: str = ""
    submission_of: dict[tuple[int, int], int] = None  # (role id, profile index) -> submission id
    sample_invitation_id: int | None = None
    invitation_docs: list[tuple] = None    # (invitation id, kinds, status, production id, profile id, issued_at, by)


def seed_scale(sizes: Sizes = Sizes(), progress: Progress | None = None, *, seed: int = 2027) -> dict:
    """Build the scale data set in the current transaction (the caller commits); return counts and the
    known logins. Raises ScaleDataExists when one is already there."""
    sizes.check()
    if db.session.scalar(sa.select(User.id).where(User.email == MARKER_EMAIL)) is not None:
        raise ScaleDataExists(f"This database already holds a scale data set ({MARKER_EMAIL} exists); "
                              "seed-scale does not append. Use a fresh database.")
    started = _time.perf_counter()
    conn = db.session.connection()
    tables = [User.__table__, Credential.__table__, TalentProfile.__table__, Company.__table__,
              CompanyMember.__table__, Production.__table__, ProductionMember.__table__, ProductionRole.__table__,
              Side.__table__, Venue.__table__, OpenCall.__table__, Submission.__table__, ShortlistEntry.__table__,
              CallbackSession.__table__, Attestation.__table__, Invitation.__table__, InvitationEvent.__table__,
              PanelNote.__table__, Document.__table__]
    w = _World(rng=random.Random(seed), sizes=sizes, now=utcnow().replace(microsecond=0),
               ids=_next_ids(conn, *tables),
               password_hash=accounts.hash_password(PASSWORD))  # once, shared by every generated account
    _users(conn, w, progress)
    _companies_and_productions(conn, w, progress)
    _submissions_and_shortlists(conn, w, progress)
    _fix_sequences(conn, tables)
    db.session.expire_all()
    add_audit_entries(sizes.audit, progress, seed=seed, before=w.now)
    _documents(conn, w, progress)
    _fix_sequences(conn, tables)
    db.session.flush()
    counts = {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in tables}
    counts["audit_entries"] = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry.__table__))
    admin = db.session.get(User, w.admin_id)
    return {"counts": counts, "seconds": round(_time.perf_counter() - started, 1), "password": PASSWORD,
            "logins": {k: v[0] for k, v in KNOWN.items()}, "admin_mfa_secret": admin.mfa_secret,
            "production_id": w.production_ids[0], "sizes": asdict(sizes)}


def _users(conn, w: _World, progress) -> None:
    s, now = w.sizes, w.now
    users, creds, profiles = User.__table__, Credential.__table__, TalentProfile.__table__
    uid, cid, pid = w.ids["users"], w.ids["credentials"], w.ids["talent_profiles"]
    n_cd = max(1, math.ceil(s.productions / 2))
    n_pending, n_none = max(2, n_cd // 5), max(1, n_cd // 10)
    user_rows, cred_rows = [], []

    def user(email, name, role, *, verified=True, created=None, **extra) -> int:
        nonlocal uid
        row = {"id": uid, "email": email, "name": name, "role": role, "password_hash": w.password_hash,
               "active": True, "created_at": created or now - timedelta(days=400), "last_login_at": None,
               "email_verified_at": (created or now - timedelta(days=400)) + timedelta(hours=1) if verified else None,
               "mfa_secret": None, "mfa_enabled_at": None, "mfa_last_step": None, "created_by_id": None,
               "session_version": 0}
        row.update(extra)
        user_rows.append(row)
        uid += 1
        return row["id"]

    def credential(user_id, ref, *, verified):
        nonlocal cid
        cred_rows.append({"id": cid, "user_id": user_id, "registry": "Casting Society (CSA)", "reference": ref,
                          "submitted_at": now - timedelta(days=390), "submitted_by_id": user_id,
                          "verified_by_id": w.admin_id if verified else None,
                          "verified_at": now - timedelta(days=389) if verified else None,
                          "evidence": f"Checked {ref} in the registry's member directory." if verified else None})
        cid += 1

    email, name, _ = KNOWN["admin"]
    w.admin_id = user(email, name, UserRole.admin, mfa_secret=mfa.new_secret(), mfa_enabled_at=now)
    user(f"admin2@{DOMAIN}", "Second Admin", UserRole.admin, mfa_secret=mfa.new_secret(), mfa_enabled_at=now)
    w.cd_ids, w.producer_ids, w.coordinator_ids = [], [], []
    for k in range(n_cd):
        known = k == 0
        e, n = (KNOWN["casting_director"][:2] if known else (f"casting{k}@{DOMAIN}", f"Casting Director {k}"))
        w.cd_ids.append(user(e, n, UserRole.casting_director))
        credential(w.cd_ids[-1], f"CSA-{10000 + k}", verified=True)
        e, n = (KNOWN["producer"][:2] if known else (f"producer{k}@{DOMAIN}", f"Producer {k}"))
        w.producer_ids.append(user(e, n, UserRole.producer))
        w.coordinator_ids.append(user(f"coordinator{k}@{DOMAIN}", f"Intimacy Coordinator {k}", UserRole.producer))
    for k in range(n_pending):  # waiting for an admin: the admin's user list defaults to these
        credential(user(f"pending{k}@{DOMAIN}", f"Pending Director {k}", UserRole.casting_director,
                        created=now - timedelta(days=k % 30 + 1)), f"CDG-{20000 + k}", verified=False)
    for k in range(n_none):
        user(f"nocredential{k}@{DOMAIN}", f"New Director {k}", UserRole.casting_director, verified=k % 2 == 0)

    w.profile_ids, w.profile_user = [], {}
    profile_rows = []
    today = now.date()
    for i in range(s.talent):
        first = FIRST[i % len(FIRST)]
        last = LAST[(i // len(FIRST)) % len(LAST)]
        legal = f"{first} {last}" if i else KNOWN["talent"][1]
        mail = KNOWN["talent"][0] if i == 0 else f"talent{i}@{DOMAIN}"
        created = now - timedelta(days=380 - (i % 360), minutes=i % 1440)
        user_id = None
        if _has_user(i):
            user_id = user(mail, legal, UserRole.talent, verified=_verified(i), created=created)
            w.profile_user[i] = user_id
        office = w.cd_ids[i % len(w.cd_ids)]
        minor = _minor(i)
        dob = (date(today.year - 15, 1 + i % 12, 1 + i % 28) if minor
               else date(today.year - 20 - i % 45, 1 + i % 12, 1 + i % 28) if i % 3 == 0 else None)
        profile_rows.append({
            "id": pid, "user_id": user_id, "legal_name": legal,
            "professional_name": f"{first} {last[0]}." if i % 5 == 0 else None, "email": mail,
            "phone": f"+44 7700 {i % 1000000:06d}" if i % 2 else None, "date_of_birth": dob,
            "guardian_name": f"Parent of {first}" if minor else None,
            "guardian_email": f"guardian{i}@{DOMAIN}" if minor else None,
            "guardian_phone": "+44 7700 900000" if minor else None,
            "agent": "Coastline Artists" if i % 4 == 0 else None,
            "date_of_birth_set_by_id": office if minor else (user_id if dob else None),
            "guardian_set_by_id": office if minor else None,
            "pending_date_of_birth": None, "pending_date_of_birth_at": None, "pending_date_of_birth_by_id": None,
            "created_by_id": None if user_id else office, "created_at": created,
            "claim_token_hash": None, "claim_expires_at": None,
        })
        w.profile_ids.append(pid)
        pid += 1
    with _bar(progress, "users", len(user_rows)) as bar:
        _insert(conn, users, user_rows, bar=bar)
    _insert(conn, creds, cred_rows)
    with _bar(progress, "talent profiles", len(profile_rows)) as bar:
        _insert(conn, profiles, profile_rows, bar=bar)


def _companies_and_productions(conn, w: _World, progress) -> None:
    s, now = w.sizes, w.now
    ids = w.ids
    company_rows, cmember_rows, prod_rows, pmember_rows, role_rows, side_rows = [], [], [], [], [], []
    venue_rows, call_rows, call_role_rows = [], [], []
    headshot, sides = _headshot(), _sides()
    blobs = [_blob_row(headshot, "image/png", now), _blob_row(sides, "application/pdf", now)]
    _store_blobs(conn, blobs)
    w.headshot_sha = blobs[0]["sha256"]
    sides_sha, sides_size = blobs[1]["sha256"], blobs[1]["size"]
    company_of_cd = {}
    for k, cd in enumerate(w.cd_ids):
        company_id = ids["companies"] + k
        company_of_cd[cd] = company_id
        company_rows.append({
            "id": company_id, "legal_name": f"Scale Pictures {k} Ltd", "registration_number": f"{10000000 + k}",
            "address": f"{k + 1} Wharf Street, London E1 {k % 9}AB, United Kingdom", "website": "",
            "phone": "+44 20 7946 0000", "email": f"office{k}@{DOMAIN}", "created_by_id": cd,
            "created_at": now - timedelta(days=380), "verified_by_id": w.admin_id,
            "verified_at": now - timedelta(days=379), "logo_sha256": None,
            "verification_evidence": f"Companies House entry {10000000 + k} checked: active.",
        })
        for j, member in enumerate((cd, w.producer_ids[k], w.coordinator_ids[k])):
            cmember_rows.append({"id": ids["company_members"] + 3 * k + j, "company_id": company_id,
                                 "user_id": member, "added_by_id": cd, "created_at": now - timedelta(days=380)})
    w.production_ids, w.role_ids, w.call_ids, w.venue_ids, w.lead_of = [], [], [], [], []
    kinds = list(ProductionKind)
    for p in range(s.productions):
        k = p // 2  # each casting director leads two productions
        cd, producer, coordinator = w.cd_ids[k], w.producer_ids[k], w.coordinator_ids[k]
        pid = ids["productions"] + p
        created = now - timedelta(days=370 - p % 30)
        prod_rows.append({
            "id": pid, "company_id": company_of_cd[cd], "title": f"Scale Production {p + 1}",
            "kind": kinds[p % 3], "description": "A production of the scale data set.",
            "safeguarding_contact": SAFEGUARDING.format(domain=DOMAIN), "created_by_id": cd, "created_at": created})
        for j, (member, role) in enumerate(((cd, MemberRole.casting_director), (producer, MemberRole.producer),
                                            (coordinator, MemberRole.intimacy_coordinator))):
            pmember_rows.append({"id": ids["production_members"] + 3 * p + j, "production_id": pid,
                                 "user_id": member, "role": role, "added_by_id": cd, "created_at": created})
        roles = []
        for r, (label, text, intimacy) in enumerate(ROLE_TEXTS):
            rid = ids["production_roles"] + ROLES_PER_PRODUCTION * p + r
            roles.append(rid)
            role_rows.append({
                "id": rid, "production_id": pid, "name": f"{label} {p + 1}", "description": text,
                "age_min": 18 + 10 * r, "age_max": 40 + 10 * r, "nudity_or_intimacy": intimacy,
                "nudity_or_intimacy_details": INTIMACY_DETAILS if intimacy else None,
                "compensation": "Equity/PACT cinema agreement, daily rate", "status": "open", "created_at": created})
            side_rows.append({"id": ids["sides"] + rid - ids["production_roles"], "role_id": rid,
                              "filename": f"sides-{rid}.pdf", "blob_sha256": sides_sha, "size": sides_size,
                              "uploaded_by_id": cd, "created_at": created})
        vid = ids["venues"] + p
        venue_rows.append({"id": vid, "name": f"Studio {p + 1}", "kind": VenueKind.casting_studio,
                           "address": f"{p + 7} Leicester Place, London WC2H {p % 9}RJ, United Kingdom",
                           "timezone": TZ, "meeting_url": None, "created_by_id": cd, "created_at": created})
        call_id = ids["open_calls"] + p
        call_rows.append({"id": call_id, "production_id": pid, "title": f"Scale Production {p + 1}: open call",
                          "instructions": "Apply with a recent headshot and a short note about your work.",
                          "closes_at": now + timedelta(days=30 + p % 30), "status": OpenCallStatus.published,
                          "published_at": created, "created_by_id": cd, "created_at": created})
        call_role_rows += [{"open_call_id": call_id, "role_id": rid} for rid in roles]
        w.production_ids.append(pid)
        w.role_ids.append(roles)
        w.call_ids.append(call_id)
        w.venue_ids.append(vid)
        w.lead_of.append((cd, producer, coordinator))
    with _bar(progress, "productions", s.productions) as bar:
        for table, rows in ((Company.__table__, company_rows), (CompanyMember.__table__, cmember_rows),
                            (Production.__table__, prod_rows), (ProductionMember.__table__, pmember_rows),
                            (ProductionRole.__table__, role_rows), (Side.__table__, side_rows),
                            (Venue.__table__, venue_rows), (OpenCall.__table__, call_rows),
                            (open_call_roles, call_role_rows)):
            _insert(conn, table, rows)
        bar.update(s.productions)


def _submissions_and_shortlists(conn, w: _World, progress) -> None:
    s, now = w.sizes, w.now
    pool = [i for i in range(s.talent) if _has_user(i) and _verified(i)]
    all_roles = [(p, r, rid) for p, roles in enumerate(w.role_ids) for r, rid in enumerate(roles)]
    n_roles = len(all_roles)
    per_role = [s.submissions // n_roles + (1 if j < s.submissions % n_roles else 0) for j in range(n_roles)]
    stride = max(1, len(pool) // n_roles)
    w.submission_of = {}
    sub_id = w.ids["submissions"]
    first_submitters: dict[int, list[int]] = {}

    def submissions() -> Iterator[dict]:
        nonlocal sub_id
        for j, (p, _r, rid) in enumerate(all_roles):
            for n in range(per_role[j]):
                i = pool[(j * stride + n) % len(pool)]
                if n < 10:
                    first_submitters.setdefault(rid, []).append(i)
                w.submission_of[(rid, i)] = sub_id
                yield {"id": sub_id, "open_call_id": w.call_ids[p], "role_id": rid, "talent_id": w.profile_ids[i],
                       "note": "Trained at drama school; recent stage and screen work.",
                       "headshot_sha256": w.headshot_sha, "resume_sha256": None,
                       "self_tape_url": f"https://video.example.com/tape/{sub_id}" if n % 3 == 0 else None,
                       "created_at": now - timedelta(days=300 - n % 200, seconds=n)}
                sub_id += 1

    with _bar(progress, "submissions", s.submissions) as bar:
        _insert(conn, Submission.__table__, submissions(), bar=bar)

    # Sessions: s = k * productions + p (session k of production p), on distinct days per production.
    n_prod = s.productions
    per_prod = math.ceil(s.sessions / n_prod)
    n_days = max(120, per_prod)
    today = now.date()
    future = _weekdays(today + timedelta(days=2), 1, n_days // 2)
    past = _weekdays(today - timedelta(days=2), -1, n_days - n_days // 2)
    days = future + past  # index 0 is the first future day: production 1's first sessions lie ahead
    step = max(1, n_days // per_prod)
    holding = _holding_sessions(s.sessions)
    per_session = math.ceil(s.invitations / holding) if holding else 0
    slot = 30 if per_session <= 22 else 15 if per_session <= 44 else 10
    n_slots = max(per_session, 4)
    sess_rows, att_rows, sroles, panel, inv_rows, event_rows, note_rows = [], [], [], [], [], [], []
    shortlist: dict[int, list[int]] = {}  # role id -> profile indexes, in rank order
    w.invitation_docs = []
    sample_minor = next(i for i in range(s.talent) if _minor(i))
    reserved = {0, sample_minor}
    invitees = (i for i in range(s.talent) if i not in reserved)
    remaining = s.invitations
    inv_id, att_id, ev_id, note_id = (w.ids[t] for t in ("invitations", "attestations", "invitation_events",
                                                          "panel_notes"))
    sess_id = w.ids["callback_sessions"]
    known_talent_done = 0
    for sidx in range(s.sessions):
        k, p = divmod(sidx, n_prod)
        cd, producer, coordinator = w.lead_of[p]
        day = days[(k * step + p) % n_days]
        starts = _local(day, 9)
        ends = starts + timedelta(minutes=slot * n_slots)
        status = _session_status(sidx)
        recorded = k % 4 == 0
        role = w.role_ids[p][k % ROLES_PER_PRODUCTION]
        intimacy = k % ROLES_PER_PRODUCTION == 0
        in_past = day < today
        scheduled_at = starts - timedelta(days=7) if status == CallbackSessionStatus.scheduled else None
        sess_rows.append({
            "id": sess_id, "production_id": w.production_ids[p], "title": f"Callbacks {k + 1}",
            "venue_id": w.venue_ids[p], "starts_at": starts, "ends_at": ends, "slot_minutes": slot,
            "recorded": recorded, "recording_use": RECORDING_USE if recorded else None, "status": status,
            "lead_casting_director_id": cd, "created_at": starts - timedelta(days=10), "scheduled_at": scheduled_at,
            "cancelled_at": starts - timedelta(days=3) if status == CallbackSessionStatus.cancelled else None,
            "cancel_reason": "The director is unwell; new dates follow."
            if status == CallbackSessionStatus.cancelled else None})
        sroles.append({"session_id": sess_id, "role_id": role})
        panel += [{"session_id": sess_id, "user_id": u} for u in (cd, producer, coordinator)]
        if status != CallbackSessionStatus.draft:
            att_rows.append({"id": att_id, "session_id": sess_id, "code": "no_fees", "statement": ATTESTATION,
                             "attested_by_id": cd, "attested_at": starts - timedelta(days=8)})
            att_id += 1
        if status == CallbackSessionStatus.scheduled:
            count = min(per_session, remaining)
            for n in range(count):
                if p == 0 and n == 0 and not in_past and known_talent_done < KNOWN_TALENT_INVITATIONS:
                    i = 0
                    known_talent_done += 1
                elif sidx == 0 and n == 1:
                    i = sample_minor  # needs every document kind: intimacy, recorded, a minor
                else:
                    i = next(invitees)
                has_user = i in w.profile_user
                consents = intimacy or recorded or _minor(i)
                if sidx == 0 and n == 1:
                    st = InvitationStatus.invited
                elif in_past:
                    st = (InvitationStatus.checked_in if has_user and not consents else
                          InvitationStatus.confirmed if has_user else InvitationStatus.invited)
                elif not has_user:
                    st = InvitationStatus.invited
                else:
                    st = (InvitationStatus.confirmed, InvitationStatus.confirmed, InvitationStatus.confirmed,
                          InvitationStatus.confirmed, InvitationStatus.confirmed, InvitationStatus.invited,
                          InvitationStatus.invited, InvitationStatus.reschedule_requested,
                          InvitationStatus.declined, InvitationStatus.cancelled)[inv_id % 10]
                at = starts + timedelta(minutes=slot * n)
                created = scheduled_at + timedelta(hours=1)
                inv_rows.append({
                    "id": inv_id, "session_id": sess_id, "role_id": role, "talent_id": w.profile_ids[i],
                    "starts_at": at, "ends_at": at + timedelta(minutes=slot), "status": st,
                    "talent_note": "A clash with a matinee." if st == InvitationStatus.reschedule_requested else None,
                    "access_needs": None, "invited_by_id": cd, "created_at": created,
                    "responded_at": created + timedelta(days=1) if st not in (
                        InvitationStatus.invited, InvitationStatus.cancelled) else None,
                    "checked_in_at": at - timedelta(minutes=10) if st == InvitationStatus.checked_in else None})
                event_rows.append({"id": ev_id, "invitation_id": inv_id, "kind": "invited", "from_starts_at": None,
                                   "to_starts_at": at, "note": None, "actor_id": cd, "created_at": created})
                ev_id += 1
                if st == InvitationStatus.checked_in:
                    note_rows.append({"id": note_id, "invitation_id": inv_id, "author_id": cd,
                                      "rating": 1 + inv_id % 5, "note": "Grounded, specific reading.",
                                      "created_at": at + timedelta(minutes=slot)})
                    note_id += 1
                if i not in shortlist.setdefault(role, []):
                    shortlist[role].append(i)
                kinds = [DocumentKind.callback_confirmation]
                if intimacy:
                    kinds.append(DocumentKind.consent_rider)
                if recorded:
                    kinds.append(DocumentKind.recording_release)
                if _minor(i):
                    kinds.append(DocumentKind.guardian_consent)
                if sidx == 0 and n == 1:
                    w.sample_invitation_id = inv_id
                else:
                    w.invitation_docs.append((inv_id, kinds, st, w.production_ids[p], w.profile_ids[i], created, cd))
                inv_id += 1
            remaining -= count
        sess_id += 1
    if remaining:
        raise click.ClickException(f"seed-scale: {remaining} invitations found no slot; add sessions.")

    entry_rows = []
    entry_id = w.ids["shortlist_entries"]
    for p, roles in enumerate(w.role_ids):
        cd = w.lead_of[p][0]
        for rid in roles:
            listed = shortlist.setdefault(rid, [])
            for i in first_submitters.get(rid, []):
                if i not in listed:
                    listed.append(i)
            for rank, i in enumerate(listed, start=1):
                entry_rows.append({"id": entry_id, "role_id": rid, "talent_id": w.profile_ids[i],
                                   "submission_id": w.submission_of.get((rid, i)), "rank": rank,
                                   "note": "Strong tape." if rank % 2 else "", "added_by_id": cd,
                                   "created_at": now - timedelta(days=200)})
                entry_id += 1
    with _bar(progress, "sessions", len(sess_rows)) as bar:
        for table, rows in ((CallbackSession.__table__, sess_rows), (session_roles, sroles), (session_panel, panel),
                            (Attestation.__table__, att_rows), (ShortlistEntry.__table__, entry_rows)):
            _insert(conn, table, rows)
        bar.update(len(sess_rows))
    with _bar(progress, "invitations", len(inv_rows)) as bar:
        _insert(conn, Invitation.__table__, inv_rows, bar=bar)
        _insert(conn, InvitationEvent.__table__, event_rows)
        _insert(conn, PanelNote.__table__, note_rows)


def _documents(conn, w: _World, progress) -> None:
    """One real set through the documents service; every other invitation's rows share those PDFs."""
    cd = db.session.get(User, w.cd_ids[0])
    sample = db.session.get(Invitation, w.sample_invitation_id)
    issued = issuing.issue_invitation_documents(sample, actor=cd)
    db.session.flush()
    blob_of = {d.kind: d.blob_sha256 for d in issued}
    head = db.session.scalar(sa.select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)) or GENESIS_HASH
    now = utcnow()
    prefix = f"CB-{now.year}-"
    number = int(next_serial(now)[len(prefix):])
    doc_id = (conn.scalar(sa.select(sa.func.max(Document.__table__.c.id))) or 0) + 1
    codes: set[str] = set()
    rng = w.rng
    titles = {DocumentKind.callback_confirmation: "Callback confirmation", DocumentKind.consent_rider: "Consent rider",
              DocumentKind.recording_release: "Recording release", DocumentKind.guardian_consent: "Guardian consent"}

    def rows() -> Iterator[dict]:
        nonlocal number, doc_id
        for inv_id, kinds, st, production_id, talent_id, issued_at, by in w.invitation_docs:
            void = st == InvitationStatus.cancelled
            for kind in kinds:
                while True:
                    code = "".join(rng.choices(CODE_ALPHABET, k=CODE_LENGTH))
                    if code not in codes:
                        codes.add(code)
                        break
                yield {
                    "id": doc_id, "kind": kind, "serial": f"{prefix}{number:06d}", "verification_code": code,
                    "sha256": blob_of[kind], "blob_sha256": blob_of[kind],
                    "status": DocumentStatus.void if void else DocumentStatus.issued, "version": 1,
                    "production_id": production_id, "recipient_talent_id": talent_id, "invitation_id": inv_id,
                    "proposal_id": None, "supersedes_id": None, "signed_from_id": None,
                    "title": f"{titles[kind]} (invitation {inv_id})", "issued_at": issued_at, "issued_by_id": by,
                    "audit_head_at_issue": head, "first_viewed_at": None, "signed_at": None, "signed_name": None,
                    "signed_by_guardian": False, "voided_at": issued_at + timedelta(days=1) if void else None,
                    "void_reason": "The callback was cancelled." if void else None,
                    "guardian_token_hash": sha256_hex(f"scale-guardian-{doc_id}".encode())
                    if kind == DocumentKind.guardian_consent else None,
                    "guardian_viewed_at": None, "guardian_signed_at": None, "guardian_signed_name": None}
                number += 1
                doc_id += 1

    total = sum(len(k) for _, k, *_ in w.invitation_docs)
    with _bar(progress, "documents", total) as bar:
        _insert(conn, Document.__table__, rows(), bar=bar)


# ---- the audit chain -----------------------------------------------------------------------------

AUDIT_ACTIONS = (
    # action, entity table, whether it belongs to a production
    ("submission.created", "submissions", True),
    ("shortlist.added", "shortlist_entries", True),
    ("invitation.created", "invitations", True),
    ("document.issued", "documents", True),
    ("document.viewed", "documents", True),
    ("invitation.noted", "invitations", True),
    ("session.created", "callback_sessions", True),
    ("session.scheduled", "callback_sessions", True),
    ("role.updated", "production_roles", True),
    ("user.created", "users", False),
    ("talent.updated", "talent_profiles", False),
    ("auth.login", "users", False),
)


class _Entry:
    """The fields compute_hash reads, without an ORM object per row."""

    __slots__ = ("id", "created_at", "actor_id", "actor_label", "action", "entity_type", "entity_id",
                 "production_id", "data")


def add_audit_entries(n: int, progress: Progress | None = None, *, seed: int = 2027,
                      before: datetime | None = None) -> int:
    """Append ``n`` entries to the audit chain, hashed with the audit service's own compute_hash and
    canonical_json, in the current transaction (the caller commits). Their times run from after the
    current head to ``before`` (default: now), never going back; actions and ids point at existing rows.
    Returns the new head's id."""
    if n <= 0:
        return db.session.scalar(sa.select(sa.func.max(AuditEntry.id))) or 0
    rng = random.Random(seed + 1)
    conn = db.session.connection()
    table = AuditEntry.__table__
    row = conn.execute(sa.select(table.c.id, table.c.hash, table.c.created_at)
                       .order_by(table.c.id.desc()).limit(1)).first()
    last_id, prev, last_at = (row[0], row[1], row[2]) if row else (0, GENESIS_HASH, None)
    end = before or utcnow()
    start = end - timedelta(days=365)
    if last_at is not None and last_at > start:
        start = min(last_at, end)
    step = (end - start) / n
    maxima = {name: conn.scalar(sa.text(f'SELECT max(id) FROM "{name}"')) or 0
              for name in {t for _, t, _ in AUDIT_ACTIONS}}
    productions = [r[0] for r in conn.execute(sa.select(Production.__table__.c.id).limit(10000))] or [None]
    actors = [(r[0], r[1]) for r in conn.execute(
        sa.select(User.__table__.c.id, User.__table__.c.email)
        .where(User.__table__.c.role.in_([UserRole.casting_director, UserRole.producer])).limit(1000))] or [(None, "")]
    actions = [a for a in AUDIT_ACTIONS if maxima[a[1]]] or [("note", None, False)]

    def rows() -> Iterator[dict]:
        nonlocal prev
        e = _Entry()
        for k in range(n):
            action, entity, in_production = actions[k % len(actions)]
            actor_id, label = actors[rng.randrange(len(actors))]
            e.id = last_id + 1 + k
            e.created_at = start + step * (k + 1)
            e.actor_id, e.actor_label, e.action = actor_id, label, action
            e.entity_type = entity
            e.entity_id = rng.randint(1, maxima[entity]) if entity else None
            e.production_id = productions[rng.randrange(len(productions))] if in_production else None
            e.data = canonical_json({"ip": f"10.0.{k % 256}.{(k >> 8) % 256}", "scale": True})
            digest = compute_hash(prev, e)
            yield {"id": e.id, "created_at": e.created_at, "actor_id": e.actor_id, "actor_label": e.actor_label,
                   "action": e.action, "entity_type": e.entity_type, "entity_id": e.entity_id,
                   "production_id": e.production_id, "data": e.data, "prev_hash": prev, "hash": digest}
            prev = digest

    with _bar(progress, "audit entries", n) as bar:
        _insert(conn, table, rows(), bar=bar, batch=10000)
    return last_id + n


FIRST = ["Aisha", "Bilal", "Chloe", "Declan", "Esme", "Farid", "Grace", "Hugo", "Imani", "Jonah", "Keira", "Luca",
         "Mina", "Nathan", "Orla", "Pedro", "Quinn", "Rosa", "Samir", "Tess", "Umar", "Vera", "Wren", "Xavier",
         "Yara", "Zack", "Anya", "Bruno", "Celia", "Dara", "Elif", "Felix"]
LAST = ["Adeyemi", "Brennan", "Costa", "Dubois", "Evans", "Fischer", "Gallagher", "Hughes", "Ito", "Jensen",
        "Kowalski", "Lindgren", "Moreau", "Nakamura", "O'Neill", "Petrov", "Quigley", "Rossi", "Santos", "Teller",
        "Usman", "Varga", "Walsh", "Xu", "Young", "Zielinski", "Abbott", "Byrne", "Cohen", "Doyle", "Ekström", "Fox"]


# ---- the command ---------------------------------------------------------------------------------

def register(app) -> None:
    defaults = Sizes()

    @app.cli.command("seed-scale")
    @click.option("--preset", type=click.Choice(sorted(PRESETS)), default=None,
                  help="Start from a named size (full is the default sizes); the options below override it.")
    @click.option("--talent", type=int, default=None, help=f"Talent profiles (default {defaults.talent:,}).")
    @click.option("--productions", type=int, default=None, help=f"Productions (default {defaults.productions}).")
    @click.option("--submissions", type=int, default=None, help=f"Submissions (default {defaults.submissions:,}).")
    @click.option("--sessions", type=int, default=None, help=f"Callback sessions (default {defaults.sessions:,}).")
    @click.option("--invitations", type=int, default=None, help=f"Invitations (default {defaults.invitations:,}).")
    @click.option("--audit", type=int, default=None, help=f"Audit entries (default {defaults.audit:,}).")
    @click.option("--seed", "seed_", type=int, default=2027, show_default=True,
                  help="Random seed: the same seed and sizes give the same data.")
    def seed_scale_command(preset, talent, productions, submissions, sessions, invitations, audit, seed_) -> None:
        """Load a platform-sized data set (bulk inserts) and print the known logins.

        Refuses a database that already holds one; use a fresh database for another size."""
        base = PRESETS[preset] if preset else defaults
        given = {"talent": talent, "productions": productions, "submissions": submissions, "sessions": sessions,
                 "invitations": invitations, "audit": audit}
        sizes = Sizes(**{f.name: given[f.name] if given[f.name] is not None else getattr(base, f.name)
                         for f in fields(Sizes)})
        click.echo(f"Building the scale data set {sizes.label()} on {db.engine.dialect.name}…")
        result = seed_scale(sizes, click_progress, seed=seed_)
        with _bar(click_progress, "commit", 1) as bar:
            db.session.commit()
            bar.update(1)
        click.echo(f"Done in {result['seconds']:.0f} s.")
        for name, count in result["counts"].items():
            click.echo(f"  {name:22} {count:>10,}")
        click.echo(f"\nScale logins (password for all, generated accounts too: {PASSWORD}):")
        for kind, email in result["logins"].items():
            click.echo(f"  {email:28} {kind}")
        click.echo(f"  admin's second factor key: {result['admin_mfa_secret']}")
        click.echo(f"  the casting director's first production: /productions/{result['production_id']}")

