"""Browser: from a role's shortlist a casting director ticks three talent, previews who lands in which slot of a
two-slot session (the third is skipped: no free slot), confirms, and watches the job's page (static/js/job.js)
follow the job from queued to done."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from casting.callbacks.models import Invitation
from casting.extensions import db
from casting.jobs.models import Job
from casting.jobs.queue import run_job
from tests.callbacks.factories import make_ready_session
from tests.e2e.conftest import ui_login
from tests.factories import PASSWORD, make_shortlist_entry, make_talent


@pytest.fixture
def app_config(tmp_path):
    # Jobs wait in a queue nobody consumes, so the page is seen queued; the test then runs the job itself.
    return {"CASTING_JOBS_IMMEDIATE": False, "CASTING_JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
            "CASTING_JOBS_NAME": f"callback-e2e-{uuid.uuid4().hex[:12]}"}


def test_pick_preview_confirm_and_follow_the_progress(live_server, page, app):
    s = make_ready_session(scheduled=True, hours=1, slot_minutes=30)  # two slots
    role, cd = s.roles[0], s.lead_casting_director
    names = ["Ann Early", "Ben Second", "Cat Third"]
    talents = [make_talent(legal_name=n) for n in names]
    for t in talents:
        make_shortlist_entry(role, t, by=cd)
    db.session.commit()
    role_id, session_id, cd_email = role.id, s.id, cd.email
    db.session.commit()

    ui_login(page, live_server, cd_email, PASSWORD)
    page.goto(f"{live_server}/roles/{role_id}/shortlist")
    page.get_by_role("link", name="Select all on this page").click()
    page.get_by_role("button", name="Invite selected…").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("select[name=session_id] option:checked").get_attribute("value") == str(session_id)
    assert page.locator("input[name=talent_ids]:checked").count() == 3
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state("networkidle")

    preview = page.locator("#preview")
    assert "2 of 3 would be invited" in preview.inner_text()
    rows = page.locator("#preview tbody tr")
    assert rows.nth(0).inner_text().startswith("Ann Early") and "10:00" in rows.nth(0).inner_text()
    assert rows.nth(1).inner_text().startswith("Ben Second") and "10:30" in rows.nth(1).inner_text()
    assert "skipped no free slot is left" in rows.nth(2).inner_text()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0
    db.session.commit()

    page.get_by_role("button", name="Confirm: invite 2 and email them").click()
    page.wait_for_url(f"{live_server}/jobs/*")
    assert page.locator("[data-job=status]").inner_text() == "queued"
    job_id = int(page.url.rsplit("/", 1)[1])

    run_job(job_id)  # what the worker does; the page's script notices and shows the outcome
    expect(page.locator(".card p", has_text="2 invited.")).to_be_visible(timeout=20000)  # reloaded once done
    assert page.locator("[data-job=status]").inner_text() == "done"
    assert page.locator("[data-job=progress]").evaluate("p => [p.value, p.max]") == [3, 3]
    result = page.locator("[data-job=result]").inner_text()
    assert "2 invited." in result and "Cat Third: no free slot is left in the session from the start time" in result

    db.session.expire_all()
    job = db.session.get(Job, job_id)
    booked = db.session.execute(sa.select(Invitation.talent_id).order_by(Invitation.starts_at)).scalars().all()
    db.session.commit()
    assert job.status == "done" and booked == [talents[0].id, talents[1].id]
