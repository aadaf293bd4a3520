"""The session page reads a session's checklist facts as plain rows (gate.read_facts): they are the facts the gate
gathers from the objects (gate.facts_of), and so the checklist it shows is the one the gate enforces."""
from __future__ import annotations

import pytest

from casting.callbacks import gate
from casting.extensions import db
from tests.callbacks.factories import make_ready_session
from tests.callbacks.test_checklist import BREAKERS
from tests.decisions.factories import make_session
from tests.factories import make_company, make_production, make_user


def _same(session):
    db.session.flush()
    db.session.expire_all()
    rows = gate.read_facts(session)
    assert rows == gate.facts_of(session)
    shown, facts = gate.checklist_shown(session)
    assert facts == rows and shown.items == gate.checklist_for(session).items
    return shown


def test_a_ready_session(app):
    s = make_ready_session()
    assert _same(s).ready
    assert [a.statement for a in gate.read_facts(s).attestations] == [a.statement for a in s.attestations]


@pytest.mark.parametrize("code,breaker", BREAKERS, ids=[b.__name__.strip("_") for _, b in BREAKERS])
def test_each_broken_item(app, code, breaker):
    s = make_ready_session()
    breaker(s)
    assert _same(s).failed_codes == [code]


def test_four_eyes_and_a_lead_without_credential(app):
    admin = make_user("admin")
    cd = make_user("casting_director", created_by=admin, credential_verified_by=admin)
    production = make_production(cd, make_company(cd, verified_by=admin))
    facts = gate.read_facts(make_session(production, lead=cd, status="draft", starts_in_days=5))
    assert facts.company_verified_by_creator and not facts.lead_credential_verified
    _same(make_session(production, lead=cd, status="draft", starts_in_days=5))
    bare = make_user("casting_director")
    _same(make_session(make_production(bare, make_company(bare)), lead=bare, status="draft", starts_in_days=6))
