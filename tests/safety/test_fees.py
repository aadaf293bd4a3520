"""Fee wording caught wherever talent read it, with the checklist's patterns from one place (core/fees.py)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.callbacks import checklist
from casting.calls.models import OpenCall
from casting.core import fees
from casting.core.errors import ValidationError
from casting.extensions import db
from tests.calls.factories import calls_world
from tests.conftest import auth, login


def test_one_list_of_patterns_for_the_checklist_and_the_scans():
    # The checklist module has no patterns of its own: it asks core.fees.
    assert not hasattr(checklist, "FEE_PATTERNS") and checklist.fee_wording is fees.fee_wording
    assert fees.fee_wording("A registration fee of £50 secures your spot") == "registration fee"
    assert fees.fee_wording("Pay to audition today") == "Pay to audition"
    assert fees.fee_wording("Coffee and feedback after the session") is None
    with pytest.raises(ValidationError) as exc:
        fees.refuse_fee_wording({"title": "Open call", "instructions": "A small deposit is payable."})
    assert list(exc.value.fields) == ["instructions"] and "deposit" in exc.value.fields["instructions"][0]


@pytest.mark.parametrize("field,text", [
    ("instructions", "A registration fee of £50 secures your spot."),
    ("title", "Open call — secure your place now"),
])
def test_open_call_with_fee_wording_cannot_be_published(client, app, field, text):
    w = calls_world(published=False)
    setattr(w.call, field, text)
    db.session.commit()
    r = client.post(f"/api/v1/open-calls/{w.call.id}/publish", headers=auth(w.cd))
    assert r.status_code == 422, r.get_json()
    err = r.get_json()["error"]
    assert err["code"] == "validation_error" and list(err["details"]["fields"]) == [field]
    assert "Talent never pay" in err["details"]["fields"][field][0]
    db.session.expire_all()
    assert db.session.get(OpenCall, w.call.id).status == "draft"
    assert db.session.scalar(sa.select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1)) \
        == "blocked.validation_error"


def test_a_draft_may_hold_fee_wording_until_it_is_published(client, app):
    # Drafting is not publishing: the casting director is told when they publish.
    w = calls_world(published=False)
    db.session.commit()
    r = client.post(f"/api/v1/productions/{w.production.id}/open-calls", headers=auth(w.cd), json={
        "title": "Open call", "role_ids": [w.role.id], "closes_at": "2099-01-01T10:00:00Z",
        "instructions": "Deposit of £20 on arrival."})
    assert r.status_code == 201
    r = client.post(f"/api/v1/open-calls/{r.get_json()['id']}/publish", headers=auth(w.cd))
    assert r.status_code == 422 and "instructions" in r.get_json()["error"]["details"]["fields"]


def test_role_text_of_the_call_is_scanned_when_published(client, app):
    w = calls_world(published=False)
    w.role.description += " Processing fee applies to all applicants."
    db.session.commit()
    r = client.post(f"/api/v1/open-calls/{w.call.id}/publish", headers=auth(w.cd))
    assert r.status_code == 422
    assert "Maya" in r.get_json()["error"]["details"]["fields"]["role_ids"][0]


def test_editing_a_role_of_a_published_call_is_scanned(client, app):
    w = calls_world()
    db.session.commit()
    r = client.patch(f"/api/v1/roles/{w.role.id}", headers=auth(w.cd),
                     json={"description": w.role.description + " Pay to audition: £30 database fee."})
    assert r.status_code == 422
    assert "description" in r.get_json()["error"]["details"]["fields"]
    db.session.expire_all()
    assert "database fee" not in w.role.description
    # A clean edit goes through.
    r = client.patch(f"/api/v1/roles/{w.role.id}", headers=auth(w.cd), json={"name": "Maya Jones"})
    assert r.status_code == 200


def test_a_role_in_no_published_call_is_not_refused_on_edit(client, app):
    w = calls_world(published=False)
    db.session.commit()
    r = client.patch(f"/api/v1/roles/{w.other_role.id}", headers=auth(w.other_cd),
                     json={"description": w.other_role.description + " There is a fee."})
    assert r.status_code == 200


def test_publishing_from_the_page_names_the_field_in_plain_words(client, app):
    w = calls_world(published=False)
    w.call.instructions = "A registration fee of £50 secures your spot."
    db.session.commit()
    login(client, w.cd)
    page = f"/productions/{w.production.id}/calls"
    r = client.post(f"/calls/{w.call.id}/publish", headers={"Referer": page}, follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "registration fee" in html and "Talent never pay" in html
    assert "validation_error" not in html
    db.session.expire_all()
    assert db.session.get(OpenCall, w.call.id).status == "draft"

