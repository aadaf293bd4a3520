"""Production rules: who creates productions, members, roles and their edits, sides, who reads sides."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from werkzeug.datastructures import FileStorage

from casting.audit.models import AuditEntry
from casting.core.blobs import Blob, load_blob
from casting.core.errors import (
    ChecklistFailed, Duplicate, Forbidden, InvalidState, NotFound, TooLarge, UnsupportedMediaType, ValidationError,
)
from casting.productions.access import visible_side
from casting.extensions import db
from casting.productions import services
from casting.productions.models import Production, ProductionMember, ProductionRole, Side
from tests.callbacks.factories import make_invitation, make_ready_session
from tests.conftest import count
from tests.factories import (
    GOOD_DESCRIPTION, make_company, make_open_call, make_production, make_role, make_shortlist_entry, make_talent,
    make_user, pdf_bytes, png_bytes,
)
from tests.productions.factories import oversize_pdf

PROD = dict(title="The Tide Line", kind="film", description="A feature film shot on the Kent coast.",
            safeguarding_contact="Priya Shah, safeguarding@example.com")


def entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def upload(data: bytes, name: str = "sides.pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def test_company_member_casting_director_creates_and_becomes_casting_director(app):
    cd = make_user("casting_director")
    company = make_company(cd)
    production = services.create_production(actor=cd, company_id=company.id, **PROD)
    assert [(m.user_id, m.role) for m in production.members] == [(cd.id, "casting_director")]
    (entry,) = entries("production.created")
    assert entry.production_id == production.id and entry.actor_id == cd.id


def test_only_company_members_may_use_its_name(app):
    cd, outsider = make_user("casting_director"), make_user("casting_director")
    company = make_company(cd, verified_by=make_user("admin"))
    with pytest.raises(Forbidden):
        services.create_production(actor=outsider, company_id=company.id, **PROD)
    assert count(Production) == 0


@pytest.mark.parametrize("kind", ["producer", "admin", "talent"])
def test_only_casting_directors_create(app, kind):
    user = make_user(kind)
    company = make_company(make_user("casting_director"))
    with pytest.raises(Forbidden):
        services.create_production(actor=user, company_id=company.id, **PROD)
    assert count(Production) == 0


@pytest.mark.parametrize("change, field", [
    ({"title": ""}, "title"), ({"kind": "opera"}, "kind"), ({"description": " "}, "description"),
    ({"safeguarding_contact": ""}, "safeguarding_contact"), ({"company_id": 99999}, "company_id"),
    ({"company_id": "1"}, "company_id"), ({"title": "x" * 201}, "title"),
])
def test_production_bad_fields(app, change, field):
    cd = make_user("casting_director")
    company = make_company(cd)
    with pytest.raises(ValidationError) as exc:
        services.create_production(actor=cd, **{**PROD, "company_id": company.id, **change})
    assert field in exc.value.fields
    assert count(Production) == 0 and count(ProductionMember) == 0


def test_members_added_by_casting_directors_only(app):
    cd, producer, reader = make_user("casting_director"), make_user("producer"), make_user("producer")
    production = make_production(cd, members={producer: "producer"})
    member = services.add_member(production, reader, "reader", actor=cd)
    assert member.role == "reader" and production.member(reader) is member
    (entry,) = entries("production.member_added")
    assert entry.production_id == production.id and '"role":"reader"' in entry.data
    with pytest.raises(Duplicate):
        services.add_member(production, reader, "director", actor=cd)
    with pytest.raises(Forbidden):
        services.add_member(production, make_user("producer"), "reader", actor=producer)
    with pytest.raises(Forbidden):
        services.add_member(production, make_user("producer"), "reader", actor=make_user("admin"))
    assert count(ProductionMember) == 3


@pytest.mark.parametrize("kind, role, field", [
    ("talent", "reader", "user_id"), ("admin", "producer", "user_id"), ("producer", "casting_director", "role"),
    ("producer", "runner", "role"), (None, "reader", "user_id"),
])
def test_member_refusals(app, kind, role, field):
    cd = make_user("casting_director")
    production = make_production(cd)
    with pytest.raises(ValidationError) as exc:
        services.add_member(production, make_user(kind) if kind else None, role, actor=cd)
    assert field in exc.value.fields
    assert count(ProductionMember) == 1


def test_role_created_open_and_audited(app):
    cd = make_user("casting_director")
    production = make_production(cd)
    role = services.create_role(production, actor=cd, name="Maya", description=GOOD_DESCRIPTION, age_min=25,
                                age_max=40, nudity_or_intimacy=False, compensation="Scale")
    assert role.status == "open" and role.production_id == production.id
    (entry,) = entries("role.created")
    assert entry.production_id == production.id and entry.entity_id == role.id


@pytest.mark.parametrize("change, field", [
    ({"name": ""}, "name"), ({"description": ""}, "description"), ({"age_min": -1}, "age_min"),
    ({"age_max": 121}, "age_max"), ({"age_min": 40, "age_max": 30}, "age_max"), ({"age_min": "20"}, "age_min"),
    ({"age_min": True}, "age_min"), ({"nudity_or_intimacy": "yes"}, "nudity_or_intimacy"),
])
def test_role_bad_fields(app, change, field):
    cd = make_user("casting_director")
    production = make_production(cd)
    data = {"name": "Maya", "description": GOOD_DESCRIPTION, "age_min": 20, "age_max": 30,
            "nudity_or_intimacy": False, **change}
    with pytest.raises(ValidationError) as exc:
        services.create_role(production, actor=cd, **data)
    assert field in exc.value.fields
    assert count(ProductionRole) == 0


def test_role_ages_are_optional_and_equal_bounds_fine(app):
    cd = make_user("casting_director")
    production = make_production(cd)
    role = services.create_role(production, actor=cd, name="Any age", description=GOOD_DESCRIPTION, age_min=None,
                                age_max=None, nudity_or_intimacy=False)
    assert role.age_min is None
    services.create_role(production, actor=cd, name="Exactly 30", description=GOOD_DESCRIPTION, age_min=30,
                         age_max=30, nudity_or_intimacy=False)


def test_only_casting_director_members_add_roles(app):
    cd, producer = make_user("casting_director"), make_user("producer")
    production = make_production(cd, members={producer: "producer"})
    for actor in (producer, make_user("admin"), make_user("casting_director")):
        with pytest.raises(Forbidden):
            services.create_role(production, actor=actor, name="X", description=GOOD_DESCRIPTION,
                                 nudity_or_intimacy=False)
    assert count(ProductionRole) == 0


def test_role_edit_is_audited_with_what_changed(app):
    cd = make_user("casting_director")
    role = make_role(make_production(cd))
    services.update_role(role, actor=cd, compensation="Equity minimum", age_max=45)
    assert (role.compensation, role.age_max) == ("Equity minimum", 45)
    (entry,) = entries("role.updated")
    assert '"changed":["age_max","compensation"]' in entry.data and entry.production_id == role.production_id
    services.update_role(role, actor=cd, compensation="Equity minimum")
    assert len(entries("role.updated")) == 1  # nothing changed, nothing recorded


def test_role_edit_refusals(app):
    cd, producer = make_user("casting_director"), make_user("producer")
    production = make_production(cd, members={producer: "producer"})
    role = make_role(production)
    with pytest.raises(Forbidden):
        services.update_role(role, actor=producer, name="Other")
    with pytest.raises(ValidationError):
        services.update_role(role, actor=cd, age_min=50, age_max=40)
    with pytest.raises(ValidationError) as exc:
        services.update_role(role, actor=cd, status="cast")
    assert "status" in exc.value.fields
    role.status = "cast"
    with pytest.raises(InvalidState):
        services.update_role(role, actor=cd, name="Renamed")


def test_role_in_an_open_call_cannot_become_nudity_or_intimacy(app):
    cd = make_user("casting_director")
    production = make_production(cd)
    role = make_role(production)
    make_open_call(production, [role], published=False)
    with pytest.raises(InvalidState):
        services.update_role(role, actor=cd, nudity_or_intimacy=True,
                             nudity_or_intimacy_details="A kiss in scene 12, closed set, coordinator present.")


def test_editing_a_role_of_a_scheduled_session_goes_through_the_checklist(app):
    session = make_ready_session(scheduled=True)
    role, cd = session.roles[0], session.lead_casting_director
    services.update_role(role, actor=cd, compensation="Scale plus travel")  # still passes
    db.session.commit()
    with pytest.raises(ChecklistFailed) as exc:
        services.update_role(role, actor=cd, description="Various projects, all types.")
    assert "roles_specific" in exc.value.details["failed"]
    db.session.rollback()
    assert db.session.get(ProductionRole, role.id).description == GOOD_DESCRIPTION
    assert db.session.get(ProductionRole, role.id).compensation == "Scale plus travel"


def test_side_upload_stores_the_exact_bytes_once(app):
    cd = make_user("casting_director")
    role = make_role(make_production(cd), with_sides=False)
    data = pdf_bytes("INT. FERRY - NIGHT")
    side = services.upload_side(role, upload(data, "ferry.pdf"), actor=cd)
    again = services.upload_side(role, upload(data, "ferry-copy.pdf"), actor=cd)
    assert side.blob_sha256 == again.blob_sha256 and count(Blob) == 1
    stored = load_blob(side.blob_sha256).data
    assert stored == data and "INT. FERRY" in PdfReader(io.BytesIO(stored)).pages[0].extract_text()
    assert (side.filename, side.size) == ("ferry.pdf", len(data))
    assert [e.production_id for e in entries("side.uploaded")] == [role.production_id] * 2


@pytest.mark.parametrize("data, name, error", [
    (png_bytes(), "scene.pdf", UnsupportedMediaType),
    (b"%PDF-1.4 but not really a pdf", "scene.pdf", UnsupportedMediaType),
    (oversize_pdf(), "big.pdf", TooLarge),
    (b"", "empty.pdf", ValidationError),
])
def test_bad_sides_are_refused(app, data, name, error):
    cd = make_user("casting_director")
    role = make_role(make_production(cd), with_sides=False)
    with pytest.raises(error):
        services.upload_side(role, upload(data, name), actor=cd)
    assert count(Side) == 0 and count(Blob) == 0


def test_sides_upload_needs_a_casting_director_member(app):
    cd, producer = make_user("casting_director"), make_user("producer")
    role = make_role(make_production(cd, members={producer: "producer"}), with_sides=False)
    with pytest.raises(Forbidden):
        services.upload_side(role, upload(pdf_bytes()), actor=producer)
    assert count(Side) == 0


def test_who_reads_sides(app):
    cd, producer = make_user("casting_director"), make_user("producer")
    production = make_production(cd, members={producer: "producer"})
    role = make_role(production)
    side = role.sides[0]
    shortlisted = make_talent(user=make_user("talent"))
    make_shortlist_entry(role, shortlisted, by=cd)
    stranger = make_user("talent")
    for user in (cd, producer, make_user("admin"), shortlisted.user):
        assert visible_side(side.id, user) is side
    for user in (stranger, make_user("casting_director"), None):
        with pytest.raises(NotFound):
            visible_side(side.id, user)
    other_role = make_role(production)
    with pytest.raises(NotFound):  # shortlisted for one role reads only that role's sides
        visible_side(other_role.sides[0].id, shortlisted.user)


def test_invited_talent_reads_sides(app):
    session = make_ready_session()
    invitation = make_invitation(session, shortlist=True)
    side = session.roles[0].sides[0]
    assert visible_side(side.id, invitation.talent.user) is side


def test_a_refusal_to_produce_under_a_company_does_not_name_it(app):
    from casting.core.errors import Forbidden as Refused
    from casting.productions import services as production_services

    owner = make_user("casting_director")
    company = make_company(owner, legal_name="Secret Pictures Ltd")
    stranger = make_user("casting_director")
    with pytest.raises(Refused) as exc:
        production_services.create_production(actor=stranger, title="Borrowed", company_id=company.id, kind="film",
                                              description="A film.", safeguarding_contact="Someone, s@example.com")
    assert "Secret Pictures" not in exc.value.message


def test_an_added_member_is_told_and_may_leave_but_not_the_last_casting_director(app, outbox):
    from casting.core.errors import InvalidState
    from tests.conftest import read_outbox

    cd = make_user("casting_director")
    production = make_production(cd)
    producer = make_user("producer", email="pat.member@example.com")
    services.add_member(production, producer, "producer", actor=cd)
    db.session.commit()  # mail goes out after the commit
    [mail] = [m for m in read_outbox(outbox) if "pat.member@example.com" in m["To"]]
    assert production.title in mail["Subject"] and "Leave this production" in mail.get_body().get_content()
    services.leave_production(production, actor=producer)
    assert production.member(producer) is None
    with pytest.raises(InvalidState):
        services.leave_production(production, actor=cd)
    assert production.member(cd) is not None
