"""Factory functions building rows directly (fast, no HTTP), for tests of every feature."""
from __future__ import annotations

import io
import itertools
from datetime import date, datetime, timedelta, timezone

from casting.accounts.models import Credential, User
from casting.accounts.services import hash_password
from casting.calls.models import OpenCall, ShortlistEntry, Submission
from casting.companies.models import Company, CompanyMember
from casting.core.blobs import store_blob
from casting.core.db import utcnow
from casting.extensions import db
from casting.productions.models import Production, ProductionMember, ProductionRole, Side, Venue
from casting.talent.models import TalentProfile

_seq = itertools.count(1)
PASSWORD = "correct horse battery staple"
GOOD_DESCRIPTION = (
    "Maya, 30s, a marine biologist returning to her coastal hometown; grounded, dry humour, "
    "carries the second act's confrontation scene with her estranged father."
)


def make_user(role: str = "casting_director", *, email: str | None = None, name: str | None = None,
              password: str | None = PASSWORD, credential_verified_by: User | None = None,
              unverified: bool = False, created_by: User | None = None) -> User:
    """A user whose email is verified (``unverified``: one that has not opened its link yet)."""
    n = next(_seq)
    user = User(email=email or f"{role}{n}@example.com", name=name or f"{role.replace('_', ' ').title()} {n}",
                role=role, password_hash=hash_password(password) if password else None,
                email_verified_at=None if unverified else utcnow(),
                created_by_id=created_by.id if created_by is not None else None)
    db.session.add(user)
    db.session.flush()
    if role == "talent":
        db.session.add(TalentProfile(user_id=user.id, legal_name=user.name, email=user.email))
    if credential_verified_by is not None:
        db.session.add(Credential(user_id=user.id, registry_name="Casting Society", reference=f"CSA-{n}",
                                  verified_by_id=credential_verified_by.id, verified_at=utcnow(),
                                  evidence="Checked the CSA member directory online."))
    db.session.flush()
    return user


def make_company(creator: User, *, verified_by: User | None = None, legal_name: str | None = None) -> Company:
    n = next(_seq)
    company = Company(legal_name=legal_name or f"Harbour Light Pictures {n} Ltd", registration_number=f"0{n:07d}",
                      address="12 Wharf Street, London SE1 9AA, United Kingdom", website="https://harbourlight.example",
                      phone="+44 20 7946 0000", email="office@harbourlight.example", created_by_id=creator.id)
    if verified_by is not None:
        company.verified_by_id = verified_by.id
        company.verified_at = utcnow()
        company.verification_evidence = "Companies House register entry checked."
    db.session.add(company)
    db.session.flush()
    db.session.add(CompanyMember(company_id=company.id, user_id=creator.id))
    db.session.flush()
    return company


def make_production(casting_director: User, company: Company | None = None, *, members: dict | None = None,
                    title: str | None = None, safeguarding_contact: str = "Priya Shah, safeguarding@harbourlight.example") -> Production:
    """A production with ``casting_director`` as its casting_director member; ``members`` maps user -> role."""
    if company is None:
        company = make_company(casting_director)
    production = Production(company_id=company.id, title=title or f"The Tide Line {next(_seq)}", kind="film",
                            description="A feature film shot on the Kent coast.",
                            safeguarding_contact=safeguarding_contact, created_by_id=casting_director.id)
    db.session.add(production)
    db.session.flush()
    db.session.add(ProductionMember(production_id=production.id, user_id=casting_director.id, role="casting_director"))
    for user, role in (members or {}).items():
        db.session.add(ProductionMember(production_id=production.id, user_id=user.id, role=role))
    db.session.flush()
    return production


def pdf_bytes(text: str = "INT. HARBOUR - NIGHT. MAYA stands at the rail.") -> bytes:
    """A small, valid one-page PDF showing ``text`` (objects and xref offsets computed here)."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1", "replace")
    content = b"BT /F1 12 Tf 72 770 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def png_bytes(size: tuple[int, int] = (40, 50), color=(120, 140, 160)) -> bytes:
    """A real PNG image."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def make_role(production: Production, *, name: str | None = None, description: str = GOOD_DESCRIPTION,
              with_sides: bool = True, nudity_or_intimacy: bool = False, nudity_or_intimacy_details: str | None = None,
              age_min: int | None = 25, age_max: int | None = 40) -> ProductionRole:
    role = ProductionRole(production_id=production.id, name=name or f"Maya {next(_seq)}", description=description,
                          age_min=age_min, age_max=age_max, nudity_or_intimacy=nudity_or_intimacy,
                          nudity_or_intimacy_details=nudity_or_intimacy_details, compensation="SAG-AFTRA scale")
    db.session.add(role)
    db.session.flush()
    if with_sides:
        data = pdf_bytes(f"Sides for {role.name}")
        blob = store_blob(data, "application/pdf")
        db.session.add(Side(role_id=role.id, filename="sides.pdf", blob_sha256=blob.sha256, size=len(data), page_count=1,
                            uploaded_by_id=production.created_by_id))
        db.session.flush()
    return role


def make_venue(creator: User, *, kind: str = "casting_studio", timezone_name: str = "Europe/London",
               address: str = "Spotlight Studios, 7 Leicester Place, London WC2H 7RJ, United Kingdom",
               meeting_url: str | None = None, name: str = "Spotlight Studio 2") -> Venue:
    venue = Venue(name=name, kind=kind, address=address, timezone=timezone_name, meeting_url=meeting_url,
                  created_by_id=creator.id)
    db.session.add(venue)
    db.session.flush()
    return venue


def make_talent(*, user: User | None = None, legal_name: str | None = None, date_of_birth: date | None = None,
                guardian_name: str | None = None, guardian_email: str | None = None,
                created_by: User | None = None) -> TalentProfile:
    """A talent profile; with ``user`` None a profile with no login yet."""
    if user is not None and user.talent_profile is not None:
        return user.talent_profile
    n = next(_seq)
    profile = TalentProfile(user_id=user.id if user else None, legal_name=legal_name or f"Talent Person {n}",
                            email=user.email if user else f"talent{n}@example.com", date_of_birth=date_of_birth,
                            guardian_name=guardian_name, guardian_email=guardian_email,
                            created_by_id=created_by.id if created_by else None)
    db.session.add(profile)
    db.session.flush()
    return profile


def make_open_call(production: Production, roles: list[ProductionRole], *, published: bool = True,
                   closes_in: timedelta = timedelta(days=14)) -> OpenCall:
    call = OpenCall(production_id=production.id, title=f"Open call: {production.title}",
                    instructions="Send a recent headshot and a short note about your experience.",
                    closes_at=utcnow() + closes_in, status="published" if published else "draft",
                    published_at=utcnow() if published else None, created_by_id=production.created_by_id)
    call.roles = list(roles)
    db.session.add(call)
    db.session.flush()
    return call


def make_submission(call: OpenCall, role: ProductionRole, talent: TalentProfile, *, note: str = "") -> Submission:
    blob = store_blob(png_bytes(), "image/png")
    sub = Submission(open_call_id=call.id, role_id=role.id, talent_id=talent.id, note=note, headshot_sha256=blob.sha256)
    db.session.add(sub)
    db.session.flush()
    return sub


def make_shortlist_entry(role: ProductionRole, talent: TalentProfile, *, by: User, note: str = "",
                         submission: Submission | None = None) -> ShortlistEntry:
    rank = len([e for e in db.session.query(ShortlistEntry).filter_by(role_id=role.id)]) + 1
    entry = ShortlistEntry(role_id=role.id, talent_id=talent.id, rank=rank, note=note, added_by_id=by.id,
                           submission_id=submission.id if submission else None)
    db.session.add(entry)
    db.session.flush()
    return entry


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0, tz: str = "UTC") -> datetime:
    """An aware datetime at wall time in ``tz``, as UTC."""
    from zoneinfo import ZoneInfo

    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)
