"""Bulk release (issue 13.1): many shortlisted talent of a role at once, each by the single-release rule, with the
courteous email, as a job whose page names who was skipped and why."""
from __future__ import annotations

import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.decisions import services as decisions
from casting.decisions.models import Release
from casting.extensions import db
from casting.jobs.models import Job
from tests.calls.factories import calls_world, make_shortlisted
from tests.conftest import login, read_outbox
from tests.factories import make_talent


def _world():
    w = calls_world()
    make_shortlisted(w, w.talent)
    make_shortlisted(w, w.talent2)
    outsider = make_talent(legal_name="Olly Outside")
    db.session.commit()
    return w, outsider


def test_shortlist_page_release_asks_first_then_releases_each_and_emails(client, app, outbox):
    w, outsider = _world()
    decisions.release_talent(w.role, actor=w.cd, talent_id=w.talent2.id)  # released already: skipped as a duplicate
    db.session.commit()
    before = len(read_outbox(outbox))
    login(client, w.cd)
    page = client.get(f"/roles/{w.role.id}/shortlist").get_data(as_text=True)
    assert 'form="shortlist-bulk"' in page and "Release selected" in page and "Invite selected" in page
    ids = [str(w.talent.id), str(w.talent2.id), str(outsider.id)]
    ask = client.post(f"/roles/{w.role.id}/release-many", data={"talent_ids": ids})
    assert ask.status_code == 200 and "Release 3 from Maya?" in ask.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Release)) == 1  # asking changes nothing
    done = client.post(f"/roles/{w.role.id}/release-many", data={"talent_ids": ids, "confirm": "yes"})
    assert done.status_code == 302 and "/jobs/" in done.headers["Location"]
    db.session.expire_all()
    job = db.session.scalar(sa.select(Job).where(Job.kind == decisions.BULK_RELEASE_JOB))
    assert job.status == "done"
    assert job.result_data == {"released": [w.talent.id], "skipped": [
        {"talent_id": w.talent2.id, "code": "duplicate"}, {"talent_id": outsider.id, "code": "not_shortlisted"}]}
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "role.bulk_released"))
    assert entry.entity_id == w.role.id and f'"released":[{w.talent.id}]' in entry.data
    mails = read_outbox(outbox)[before:]
    assert len(mails) == 1 and w.talent.email in mails[0]["To"]
    shown = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "1 released and told by email." in shown
    assert f'<a href="/roles/{w.role.id}/shortlist">Back to the shortlist for Maya</a>' in shown
    assert "Tom Baker: already released from this role" in shown
    assert f"talent {outsider.id}: not shortlisted or called back for this role" in shown
    assert "Olly Outside" not in shown  # not on the shortlist: not named


def test_release_many_is_refused_to_a_producer_and_needs_a_pick(client, app):
    w, _ = _world()
    login(client, w.producer)
    assert client.post(f"/roles/{w.role.id}/release-many", data={"talent_ids": [str(w.talent.id)],
                                                                 "confirm": "yes"}).status_code == 403
    login(client, w.cd)
    resp = client.post(f"/roles/{w.role.id}/release-many", data={"confirm": "yes"}, follow_redirects=True)
    assert "Tick at least one talent to release." in resp.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Release)) == 0
