"""Bulk invitations on the web (issue 13.1): the pure plan, the preview page (computed by the plan the job uses),
confirm, and the job page naming who was skipped in plain words."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.callbacks import bulk
from casting.callbacks.bulk import Placement, PlanFacts, plan
from casting.callbacks.models import Invitation
from casting.extensions import db
from casting.jobs.models import Job
from tests.callbacks.factories import make_invitation, make_ready_session
from tests.conftest import login, read_outbox
from tests.factories import make_shortlist_entry, make_talent

T0 = datetime(2030, 3, 5, 10, tzinfo=timezone.utc)


def _grid(n: int, minutes: int = 20):
    return tuple((T0 + timedelta(minutes=minutes * i), T0 + timedelta(minutes=minutes * (i + 1))) for i in range(n))


def test_plan_fills_consecutive_free_slots_and_leaves_a_skipped_talents_slot_to_the_next():
    grid = _grid(5)
    facts = PlanFacts(grid=grid, taken=frozenset({grid[1][0]}), known=frozenset({1, 2, 3, 4, 5, 6}),
                      shortlisted=frozenset({1, 2, 3, 4, 6}), invited=frozenset({4}),
                      busy={3: ((grid[2][0], grid[2][1]),)})
    out = plan(facts, [1, 5, 3, 4, 99, 2, 6, 1], grid[0][0])
    assert out == [
        Placement(1, *grid[0]),
        Placement(5, code="not_shortlisted"),
        Placement(3, code="double_booked"),  # busy elsewhere at 10:40: that slot goes to the next talent
        Placement(4, code="duplicate"),
        Placement(99, code="validation_error"),
        Placement(2, *grid[2]),
        Placement(6, *grid[3]),
    ]
    assert [p.reason for p in out][1] == "not on this role's shortlist"
    assert plan(facts, [2, 6, 1], grid[4][0]) == [Placement(2, *grid[4]), Placement(6, code="no_free_slot"),
                                                  Placement(1, code="no_free_slot")]


def _world(n: int = 3):
    s = make_ready_session(scheduled=True, hours=1, slot_minutes=20)  # three slots
    role, cd = s.roles[0], s.lead_casting_director
    talents = [make_talent(legal_name=f"Bulk Talent {i}") for i in range(n)]
    for t in talents:
        make_shortlist_entry(role, t, by=cd)
    db.session.commit()
    return s, role, cd, talents


def test_preview_matches_what_the_job_then_does(client, app, outbox):
    s, role, cd, talents = _world(3)
    held = make_invitation(s, talent=make_talent(legal_name="Early Bird"), starts_at=s.starts_at)  # slot 1 taken
    stranger = make_talent(legal_name="Not Listed")
    db.session.commit()
    login(client, cd)
    ids = [talents[0].id, stranger.id, talents[1].id, talents[2].id]
    page = client.get(f"/roles/{role.id}/invite-many", query_string={
        "session_id": s.id, "talent_ids": ids, "preview": "1"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    expected = bulk.preview(s, actor=cd, role_id=role.id, talent_ids=ids)
    assert [p.code for p in expected] == [None, "not_shortlisted", None, "no_free_slot"]
    assert "2 of 4 would be invited" in html
    # Someone off the shortlist is not named (ids typed into the form must not read out names).
    assert f"talent {stranger.id}</td>" in html and "Not Listed" not in html
    assert "not on this role&#39;s shortlist" in html
    assert "no free slot is left in the session from the start time" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1  # a preview changes nothing

    resp = client.post(f"/sessions/{s.id}/invite-many", data={
        "role_id": role.id, "starts_at": s.starts_at.isoformat(), "talent_ids": [str(i) for i in ids]})
    assert resp.status_code == 302 and "/jobs/" in resp.headers["Location"]
    db.session.expire_all()
    job = db.session.scalar(sa.select(Job).where(Job.kind == bulk.BULK_INVITE_JOB))
    assert job.status == "done" and job.done == 4
    invs = db.session.scalars(sa.select(Invitation).where(Invitation.id != held.id)
                              .order_by(Invitation.starts_at)).all()
    assert [(i.talent_id, i.starts_at) for i in invs] == [(p.talent_id, p.starts_at) for p in expected if not p.code]
    assert job.result_data["skipped"] == [{"talent_id": stranger.id, "code": "not_shortlisted"},
                                          {"talent_id": talents[2].id, "code": "no_free_slot"}]
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "session.bulk_invited"))
    assert entry.entity_id == s.id and '"code":"no_free_slot"' in entry.data
    shown = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert f'<a href="/sessions/{s.id}#invitations">Back to Second-round callbacks</a>' in shown
    assert "2 invited." in shown and f"talent {stranger.id}: not on this role&#39;s shortlist" in shown
    assert "Not Listed" not in shown
    assert "Bulk Talent 2: no free slot is left" in shown
    assert sum("Callback invitation" in m["Subject"] for m in read_outbox(outbox)) == 2


def test_picker_lists_the_shortlist_and_the_roles_scheduled_sessions(client, app):
    s, role, cd, talents = _world(2)
    login(client, cd)
    html = client.get(f"/roles/{role.id}/invite-many").get_data(as_text=True)
    assert f'<option value="{s.id}" selected>' in html
    assert html.count('type="checkbox" name="talent_ids"') == 2 and "Starting from the slot at" in html
    # A posted pick from the shortlist page arrives ticked.
    posted = client.post(f"/roles/{role.id}/invite-many", data={"talent_ids": [str(talents[1].id)]})
    assert posted.status_code == 200
    assert f'value="{talents[1].id}" checked' in posted.get_data(as_text=True)


def test_confirm_is_refused_for_a_producer_and_for_a_draft_session(client, app):
    s, role, cd, talents = _world(1)
    producer = next(m.user for m in s.production.members if m.role == "producer")
    db.session.commit()
    login(client, producer)
    resp = client.post(f"/sessions/{s.id}/invite-many", data={"role_id": role.id, "talent_ids": [str(talents[0].id)]})
    assert resp.status_code == 403
    draft = make_ready_session(cd, production=s.production, roles=[role])
    db.session.commit()
    login(client, cd)
    resp = client.post(f"/sessions/{draft.id}/invite-many", data={"role_id": role.id,
                                                                  "talent_ids": [str(talents[0].id)]})
    assert resp.status_code in (303, 409)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job).where(Job.kind == bulk.BULK_INVITE_JOB)) == 0
