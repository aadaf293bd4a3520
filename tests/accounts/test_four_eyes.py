"""Four eyes that holds: a verifier or approver is neither the author of the work, nor whoever created the
author's account (casting/accounts/access.py, used by companies, credentials and decisions)."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from casting.accounts import services as accounts
from casting.accounts.access import same_hands
from casting.accounts.models import User
from casting.audit.models import AuditEntry
from casting.callbacks.gate import facts_of
from casting.companies import services as companies
from casting.core.errors import FourEyes
from casting.decisions import services as decisions
from casting.decisions.models import Proposal
from casting.extensions import db
from tests.conftest import auth, login
from tests.decisions.factories import make_casting, make_proposal, make_session
from tests.factories import PASSWORD, make_company, make_production, make_user

EVIDENCE = "CSA member directory, entry M-1, checked online today"
COMPANY = {"legal_name": "Harbour Light Pictures Ltd", "registration_number": "01234567",
           "address": "12 Wharf Street, London SE1 9AA", "email": "office@harbourlight.example"}


def blocked(action: str = "blocked.four_eyes") -> list[dict]:
    db.session.expire_all()
    return [json.loads(e.data) | {"_actor": e.actor_id} for e in
            db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))]


def test_same_hands_is_identity_or_account_creation(app):
    admin, other = make_user("admin"), make_user("admin")
    cd = make_user("casting_director", created_by=admin)
    assert same_hands(admin, cd) and same_hands(cd, cd) and same_hands(admin, None, cd)
    assert not same_hands(other, cd) and not same_hands(cd, admin) and not same_hands(admin, None)
    assert not same_hands(None, cd)


def test_who_created_each_account_is_recorded(app, client, runner):
    admin = make_user("admin")
    made = accounts.create_user("cd@example.com", "Cara Director", "casting_director", actor=admin)
    assert made.created_by_id == admin.id
    db.session.commit()
    # Through the API and the admin page too.
    resp = client.post("/api/v1/users", json={"email": "p@example.com", "name": "Pat", "role": "producer"},
                       headers=auth(admin))
    assert resp.status_code == 201
    assert db.session.get(User, resp.get_json()["id"]).created_by_id == admin.id
    login(client, admin)
    assert client.post("/admin/users", data={"email": "r@example.com", "name": "Reese", "role": "producer",
                                             "password": ""}).status_code == 302
    assert accounts.find_user_by_email("r@example.com").created_by_id == admin.id
    # Self-registration and the CLI: nobody.
    client.post("/logout")
    assert client.post("/register", data={"name": "Tia Talent", "email": "tia@example.com", "password": PASSWORD,
                                           "confirm": PASSWORD}).status_code in (200, 302)
    assert accounts.find_user_by_email("tia@example.com").created_by_id is None
    result = runner.invoke(args=["users", "create", "--email", "ops@example.com", "--name", "Ops", "--role", "admin"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert accounts.find_user_by_email("ops@example.com").created_by_id is None


def test_the_admin_who_created_a_cd_account_cannot_verify_its_company_or_credential(app):
    admin, second = make_user("admin"), make_user("admin")
    cd = accounts.create_user("cd@example.com", "Cara Director", "casting_director", actor=admin)
    company = companies.create_company(actor=cd, **COMPANY)
    cred = accounts.submit_credential(cd, "CSA", "M-1", actor=cd)
    assert cred.submitted_by_id == cd.id
    with pytest.raises(FourEyes):
        companies.verify_company(company, EVIDENCE, actor=admin)
    with pytest.raises(FourEyes):
        accounts.verify_credential(cd, EVIDENCE, actor=admin)
    assert companies.verify_company(company, EVIDENCE, actor=second).verified_by_id == second.id
    assert accounts.verify_credential(cd, EVIDENCE, actor=second).verified_by_id == second.id


def test_the_admin_who_submitted_a_credential_cannot_verify_it(app):
    admin, second = make_user("admin"), make_user("admin")
    cd = make_user("casting_director")  # made with the CLI: no creator
    accounts.submit_credential(cd, "CSA", "M-1", actor=admin)
    assert cd.credential.submitted_by_id == admin.id
    with pytest.raises(FourEyes):
        accounts.verify_credential(cd, EVIDENCE, actor=admin)
    # The same admin may verify once the casting director resubmits it themself... unless they made the account.
    accounts.submit_credential(cd, "CSA", "M-1", actor=cd)
    assert accounts.verify_credential(cd, EVIDENCE, actor=admin).verified_by_id == admin.id
    # Whoever created the submitter's account cannot verify either.
    admin_made = make_user("admin", created_by=second)
    cd2 = make_user("casting_director")
    accounts.submit_credential(cd2, "CSA", "M-2", actor=admin_made)
    with pytest.raises(FourEyes):
        accounts.verify_credential(cd2, EVIDENCE, actor=second)


def test_api_refuses_four_eyes_and_audits_it(client, app):
    admin, second = make_user("admin"), make_user("admin")
    db.session.commit()
    cd_id = client.post("/api/v1/users", json={"email": "cd@example.com", "name": "Cara", "role": "casting_director",
                                               "password": PASSWORD}, headers=auth(admin)).get_json()["id"]
    cd = db.session.get(User, cd_id)
    company_id = client.post("/api/v1/companies", json=COMPANY, headers=auth(cd)).get_json()["id"]
    resp = client.post(f"/api/v1/users/{cd_id}/credential", json={"registry": "CSA", "reference": "M-1"},
                       headers=auth(cd))
    assert resp.get_json()["submitted_by"] == cd_id
    for path in (f"/api/v1/companies/{company_id}/verify", f"/api/v1/users/{cd_id}/credential/verify"):
        resp = client.post(path, json={"evidence": EVIDENCE}, headers=auth(admin))
        assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "four_eyes", path
    assert [b["_actor"] for b in blocked()] == [admin.id, admin.id]
    for path in (f"/api/v1/companies/{company_id}/verify", f"/api/v1/users/{cd_id}/credential/verify"):
        assert client.post(path, json={"evidence": EVIDENCE}, headers=auth(second)).get_json()["verified"] is True


def test_pages_hide_and_refuse_the_verify_buttons(client, app):
    admin, second = make_user("admin"), make_user("admin")
    cd = make_user("casting_director", created_by=admin)
    company = companies.create_company(actor=cd, **COMPANY)
    accounts.submit_credential(cd, "CSA", "M-1", actor=cd)
    db.session.commit()
    login(client, admin)
    users_page = client.get("/admin/users").get_data(as_text=True)
    assert f"/admin/users/{cd.id}/credential/verify" not in users_page and "another admin must verify" in users_page
    assert f"/companies/{company.id}/verify" not in client.get(f"/companies/{company.id}").get_data(as_text=True)
    assert client.post(f"/admin/users/{cd.id}/credential/verify", data={"evidence": EVIDENCE}).status_code == 403
    assert client.post(f"/companies/{company.id}/verify", data={"verify-evidence": EVIDENCE}).status_code == 403
    db.session.expire_all()
    assert not cd.credential_verified and db.session.get(type(company), company.id).verified_at is None
    assert len(blocked()) == 2
    login(client, second)
    assert f"/admin/users/{cd.id}/credential/verify" in client.get("/admin/users").get_data(as_text=True)
    assert f"/companies/{company.id}/verify" in client.get(f"/companies/{company.id}").get_data(as_text=True)


def test_checklist_does_not_count_a_verification_by_the_creators_account_maker(app):
    admin = make_user("admin")
    cd = make_user("casting_director", created_by=admin, credential_verified_by=admin)
    production = make_production(cd, make_company(cd, verified_by=admin))
    facts = facts_of(make_session(production, lead=cd, status="draft", starts_in_days=5))
    assert facts.company_verified_by_creator and not facts.lead_credential_verified


def test_a_proposal_is_not_decided_by_whoever_created_the_proposers_account(client, app):
    c = make_casting()
    c.cd.created_by_id = c.producer.id  # however it came about: the producer made the proposer's account
    proposal = make_proposal(c.role, c.talents[0], by=c.cd)
    db.session.commit()
    with pytest.raises(FourEyes):
        decisions.approve(proposal, actor=c.producer)
    db.session.rollback()
    resp = client.post(f"/api/v1/proposals/{proposal.id}/reject", json={}, headers=auth(c.producer))
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "four_eyes"
    login(client, c.producer)
    page = client.get(f"/productions/{c.production.id}/review").get_data(as_text=True)
    assert "another producer must decide on it" in page
    assert db.session.get(Proposal, proposal.id).status == "proposed"
    resp = client.post(f"/api/v1/proposals/{proposal.id}/reject", json={}, headers=auth(c.producers[1]))
    assert resp.status_code == 200 and resp.get_json()["status"] == "rejected"
