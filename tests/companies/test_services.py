"""Company rules: registration, members, logo, four-eyes verification, who sees a company."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from casting.audit.models import AuditEntry
from casting.companies import services
from casting.companies.models import Company, CompanyMember
from casting.core.blobs import Blob
from casting.core.errors import Duplicate, FourEyes, Forbidden, InvalidState, NotFound, TooLarge, \
    UnsupportedMediaType, ValidationError
from casting.companies import access
from casting.companies.access import can_see_company, visible_company
from casting.extensions import db
from tests.conftest import count
from tests.factories import make_company, make_production, make_user, pdf_bytes, png_bytes

FIELDS = dict(legal_name="Northlight Films Ltd", registration_number="09876543",
              address="4 Canal Yard, Manchester M1 2AB", website="https://northlight.example",
              phone="+44 161 000 0000", email="office@northlight.example")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def upload(data: bytes, name: str = "logo.png") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def last_action() -> str:
    return db.session.scalar(sa.select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1))


def test_create_makes_creator_a_member_unverified_and_audited(app):
    cd = make_user("casting_director")
    company = services.create_company(actor=cd, **FIELDS)
    assert company.is_member(cd) and not company.verified
    assert company.email == "office@northlight.example"
    entry = db.session.scalar(sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    assert (entry.action, entry.entity_type, entry.entity_id, entry.actor_id) == \
        ("company.created", "companies", company.id, cd.id)


@pytest.mark.parametrize("kind", ["producer", "admin"])
def test_producers_and_admins_may_register(app, kind):
    assert services.create_company(actor=make_user(kind), **FIELDS).id


def test_talent_may_not_register(app):
    with pytest.raises(Forbidden):
        services.create_company(actor=make_user("talent"), **FIELDS)
    assert count(Company) == 0


@pytest.mark.parametrize("change, field", [
    ({"legal_name": "  "}, "legal_name"), ({"registration_number": ""}, "registration_number"),
    ({"address": ""}, "address"), ({"email": "not-an-email"}, "email"), ({"website": "ftp://x"}, "website"),
    ({"email": "", "phone": ""}, "email"), ({"legal_name": "x" * 201}, "legal_name"),
])
def test_bad_fields_are_refused(app, change, field):
    cd = make_user("casting_director")
    with pytest.raises(ValidationError) as exc:
        services.create_company(actor=cd, **{**FIELDS, **change})
    assert field in exc.value.fields
    assert count(Company) == 0 and count(CompanyMember) == 0


def test_members_add_staff_once(app):
    cd, producer = make_user("casting_director"), make_user("producer")
    company = make_company(cd)
    services.add_member(company, producer, actor=cd)
    assert company.is_member(producer) and last_action() == "company.member_added"
    with pytest.raises(Duplicate):
        services.add_member(company, producer, actor=producer)
    assert count(CompanyMember) == 2


def test_non_members_cannot_add_and_talent_or_unknown_cannot_join(app):
    cd, other = make_user("casting_director"), make_user("casting_director")
    company = make_company(cd)
    with pytest.raises(Forbidden):
        services.add_member(company, other, actor=other)
    with pytest.raises(Forbidden):
        services.add_member(company, other, actor=make_user("admin"))
    with pytest.raises(ValidationError) as exc:
        services.add_member(company, make_user("talent"), actor=cd)
    assert "user_id" in exc.value.fields
    with pytest.raises(ValidationError):
        services.add_member(company, None, actor=cd)
    assert count(CompanyMember) == 1


def test_verification_by_another_admin(app):
    admin = make_user("admin")
    company = make_company(make_user("casting_director"))
    services.verify_company(company, "Companies House 09876543, active, address matches.", actor=admin)
    assert company.verified and company.verified_by_id == admin.id
    assert company.verification_evidence.startswith("Companies House")
    assert last_action() == "company.verified"
    with pytest.raises(InvalidState):
        services.verify_company(company, "checked it again today", actor=make_user("admin"))


def test_four_eyes_even_for_an_admin_who_registered_it(app):
    admin = make_user("admin")
    company = services.create_company(actor=admin, **FIELDS)
    with pytest.raises(FourEyes):
        services.verify_company(company, "I know this company well.", actor=admin)
    assert not company.verified
    assert access.may_verify(company, admin) is False
    assert access.may_verify(company, make_user("admin")) is True


def test_only_admins_verify_and_evidence_is_needed(app):
    cd = make_user("casting_director")
    company = make_company(cd)
    with pytest.raises(Forbidden):
        services.verify_company(company, "my own company, trust me", actor=make_user("casting_director"))
    with pytest.raises(ValidationError) as exc:
        services.verify_company(company, "ok", actor=make_user("admin"))
    assert "evidence" in exc.value.fields
    assert not company.verified


def test_a_png_logo_is_stored_as_a_blob_and_svg_refused(app):
    cd = make_user("casting_director")
    company = make_company(cd)
    digest = services.set_logo(company, upload(png_bytes()), actor=cd)
    assert company.logo_sha256 == digest and db.session.get(Blob, digest).content_type == "image/png"
    assert last_action() == "company.logo_uploaded"
    # SVG is refused: no logo may make a letter take unbounded time to draw (tests/core/test_upload_bombs.py).
    with pytest.raises(UnsupportedMediaType):
        services.set_logo(company, upload(SVG, "logo.svg"), actor=cd)
    assert company.logo_sha256 == digest


@pytest.mark.parametrize("data, error", [
    (pdf_bytes(), UnsupportedMediaType),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', UnsupportedMediaType),
    (b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024), TooLarge),
    (b"", ValidationError),
])
def test_bad_logos_are_refused(app, data, error):
    cd = make_user("casting_director")
    company = make_company(cd)
    with pytest.raises(error):
        services.set_logo(company, upload(data, "logo.png"), actor=cd)
    assert company.logo_sha256 is None


def test_logo_only_by_members(app):
    company = make_company(make_user("casting_director"))
    with pytest.raises(Forbidden):
        services.set_logo(company, upload(png_bytes()), actor=make_user("casting_director"))


def test_who_sees_a_company(app):
    cd, producer, stranger, admin = (make_user("casting_director"), make_user("producer"),
                                     make_user("casting_director"), make_user("admin"))
    company = make_company(cd)
    make_production(cd, company, members={producer: "producer"})
    assert can_see_company(company, cd) and can_see_company(company, producer) and can_see_company(company, admin)
    assert not can_see_company(company, stranger) and not can_see_company(company, make_user("talent"))
    assert not can_see_company(company, None)
    with pytest.raises(NotFound):
        visible_company(company.id, stranger)
    with pytest.raises(NotFound):
        visible_company(99999, admin)


def test_listing_members_only_unless_admin(app):
    cd, other = make_user("casting_director"), make_user("casting_director")
    mine, theirs = make_company(cd), make_company(other)
    assert db.session.scalars(services.companies_for(cd)).all() == [mine]
    assert {c.id for c in db.session.scalars(services.companies_for(make_user("admin")))} == {mine.id, theirs.id}
    assert services.member_companies(other) == [theirs]
