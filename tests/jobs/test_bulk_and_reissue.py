"""Bulk invitations, reissuing after an edit, "not cast" notices and single invitations, as the app runs them:
documents reserved in the request's transaction and rendered after its commit (or by a job), read back with
pypdf. Jobs run in-process here (CASTING_JOBS_IMMEDIATE); tests/jobs/test_worker.py runs the real worker."""
from __future__ import annotations

import hashlib
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from casting.callbacks.models import Invitation
from casting.core import aftercommit
from casting.core.aftercommit import run_after_commit
from casting.core.api import iso
from casting.decisions import services as decisions
from casting.decisions.models import Release
from casting.documents import issuing
from casting.documents.models import Document, DocumentStatus
from casting.extensions import db
from casting.jobs import queue
from casting.jobs.models import Job, JobStatus
from tests.callbacks.factories import make_invitation, make_ready_session
from tests.conftest import auth, login, read_outbox
from tests.decisions.factories import make_casting, make_offer_document, make_proposal
from tests.documents.helpers import text_of
from tests.factories import make_shortlist_entry, make_talent


def _session_with_shortlist(n: int, **kwargs):
    s = make_ready_session(scheduled=True, **kwargs)
    role = s.roles[0]
    talents = [make_talent(legal_name=f"Bulk Talent {i}") for i in range(n)]
    for t in talents:
        make_shortlist_entry(role, t, by=s.lead_casting_director)
    db.session.commit()
    return s, role, talents


def _current(invitation_id: int) -> list[Document]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Document).where(
        Document.invitation_id == invitation_id, Document.status.in_(("pending", "issued"))).order_by(Document.id)))


def _pdf_attachments(mail) -> dict[str, bytes]:
    return {p.get_filename(): p.get_content() for p in mail.iter_attachments() if p.get_content_type() == "application/pdf"}


def test_a_single_invitation_answers_with_its_documents_rendered_right_after_the_commit(app, client, outbox):
    s, role, [talent] = _session_with_shortlist(1, recorded=True, recording_use="For the director's review only, "
                                                "deleted after casting.")
    resp = client.post(f"/api/v1/sessions/{s.id}/invitations", headers=auth(s.lead_casting_director),
                       json={"talent_id": talent.id, "role_id": role.id, "starts_at": iso(s.starts_at)})
    assert resp.status_code == 201, resp.json
    answered = resp.json["documents"]
    assert sorted(d["kind"] for d in answered) == ["callback_confirmation", "recording_release"]
    assert all(d["id"] and d["verification_code"] for d in answered)
    docs = _current(resp.json["id"])
    assert [d.id for d in docs] == [d["id"] for d in answered]
    assert all(d.status == DocumentStatus.issued and d.render_context is None for d in docs)
    [mail] = [m for m in read_outbox(outbox) if "Callback invitation" in m["Subject"]]
    pdfs = _pdf_attachments(mail)
    for doc in docs:  # the mail waited for the PDFs, and carries exactly the stored bytes
        data = pdfs[f"{doc.serial}-{doc.kind.replace('_', '-')}.pdf"]
        assert hashlib.sha256(data).hexdigest() == doc.sha256
        assert doc.serial in text_of(data) and "Bulk Talent 0" in text_of(data)
    # The safety-net job found nothing left to render: the request had done it.
    job = db.session.scalar(sa.select(Job).where(Job.kind == issuing.COMPLETE_JOB))
    assert job.status == JobStatus.done and job.result_data["rendered"] == []
    assert sorted(job.result_data["documents"]) == sorted(d.id for d in docs)
    # /verify answers for the code.
    assert client.get(f"/api/v1/verify/{docs[0].verification_code}").json["status"] == "valid"


def test_a_pending_document_says_so_and_rendering_twice_issues_once(app, client):
    inv = make_invitation(make_ready_session(scheduled=True))
    cd = inv.session.lead_casting_director
    [doc] = issuing.issue_invitation_documents(inv, actor=cd, defer=True)  # not in a request: a job will render
    db.session.commit()
    db.session.info.pop(aftercommit.READY)  # the process dies before its work after the commit: nothing enqueued
    assert client.get(f"/api/v1/verify/{doc.verification_code}").json["status"] == "pending"
    pdf = client.get(f"/api/v1/documents/{doc.id}/pdf", headers=auth(cd))
    assert pdf.status_code == 409 and pdf.json["error"]["code"] == "invalid_state"
    assert issuing.complete([doc.id]) == [doc.id]
    assert issuing.complete([doc.id]) == []  # done already: nothing rendered or stored again
    db.session.expire_all()
    doc = db.session.get(Document, doc.id)
    assert doc.status == DocumentStatus.issued
    assert issuing.store(doc.id, b"%PDF-1.7 other bytes") is None  # a late twin render changes nothing
    db.session.commit()
    assert db.session.get(Document, doc.id).sha256 != hashlib.sha256(b"%PDF-1.7 other bytes").hexdigest()
    job = db.session.scalar(sa.select(Job).where(Job.kind == issuing.COMPLETE_JOB))
    assert job.status == JobStatus.queued
    queue.requeue_stale(now=job.updated_at + queue.STALE_AFTER * 2)  # the worker's sweep finds it
    db.session.expire_all()
    assert job.status == JobStatus.done and job.result_data["rendered"] == []
    assert client.get(f"/api/v1/verify/{doc.verification_code}").json["status"] == "valid"


def test_bulk_invitation_fills_the_next_free_slots_and_skips_with_error_codes(app, client, outbox):
    s, role, talents = _session_with_shortlist(4)
    taken = make_invitation(s, role=role, starts_at=s.starts_at + timedelta(minutes=40))  # a slot already held
    already = talents[3]
    make_invitation(s, talent=already, role=role, starts_at=s.starts_at + timedelta(minutes=100))
    stranger = make_talent(legal_name="Not Shortlisted")
    db.session.commit()
    ids = [talents[0].id, talents[1].id, stranger.id, talents[2].id, already.id]
    cd = s.lead_casting_director
    resp = client.post(f"/api/v1/sessions/{s.id}/invitations/bulk", headers=auth(cd),
                       json={"role_id": role.id, "talent_ids": ids, "starts_at": iso(s.starts_at + timedelta(minutes=20))})
    assert resp.status_code == 202 and set(resp.json) == {"job_id"}
    job = client.get(f"/api/v1/jobs/{resp.json['job_id']}", headers=auth(cd)).json
    assert (job["status"], job["done"], job["total"], job["kind"]) == ("done", 5, 5, "callbacks.bulk_invite")
    assert job["result"]["skipped"] == [{"talent_id": stranger.id, "code": "not_shortlisted"},
                                        {"talent_id": already.id, "code": "duplicate"}]
    invited = [db.session.get(Invitation, i) for i in job["result"]["invitations"]]
    assert [i.talent_id for i in invited] == [talents[0].id, talents[1].id, talents[2].id]
    # From 20 minutes in, slot by slot, past the one already held (40) and the duplicate's own (100).
    assert [i.starts_at - s.starts_at for i in invited] == [timedelta(minutes=m) for m in (20, 60, 80)]
    assert taken.starts_at - s.starts_at == timedelta(minutes=40)
    mails = {m["To"]: m for m in read_outbox(outbox) if "Callback invitation" in m["Subject"]}
    for inv, talent in zip(invited, talents[:3], strict=True):
        [doc] = _current(inv.id)
        assert doc.status == DocumentStatus.issued
        [(name, data)] = _pdf_attachments(mails[talent.email]).items()
        assert hashlib.sha256(data).hexdigest() == doc.sha256 and talent.legal_name in text_of(data)
    # The page shows the outcome.
    login(client, cd)
    page = client.get(f"/jobs/{job['id']}").get_data(as_text=True)
    assert "3 invited" in page and "not shortlisted" in page and "5 of 5" in page


def test_bulk_invitation_refusals_and_no_free_slot(app, client):
    s, role, talents = _session_with_shortlist(2, hours=1, slot_minutes=20)  # three slots
    cd = s.lead_casting_director
    url = f"/api/v1/sessions/{s.id}/invitations/bulk"
    assert client.post(url, headers=auth(cd), json={"role_id": role.id, "talent_ids": []}).status_code == 422
    assert client.post(url, headers=auth(cd), json={"role_id": role.id + 99, "talent_ids": [talents[0].id]}
                       ).json["error"]["details"]["fields"]["role_id"]
    late = iso(s.starts_at + timedelta(minutes=40))  # only the last slot is left from here
    resp = client.post(url, headers=auth(cd), json={"role_id": role.id, "talent_ids": [t.id for t in talents],
                                                    "starts_at": late})
    job = db.session.get(Job, resp.json["job_id"])
    assert len(job.result_data["invitations"]) == 1
    assert job.result_data["skipped"] == [{"talent_id": talents[1].id, "code": "no_free_slot"}]


def test_a_retried_bulk_job_never_invites_anyone_twice(app, client):
    s, role, talents = _session_with_shortlist(3)
    cd = s.lead_casting_director
    resp = client.post(f"/api/v1/sessions/{s.id}/invitations/bulk", headers=auth(cd),
                       json={"role_id": role.id, "talent_ids": [t.id for t in talents]})
    job = db.session.get(Job, resp.json["job_id"])
    assert job.status == JobStatus.done and len(job.result_data["invitations"]) == 3
    job.status = JobStatus.running  # as if its worker died after the last commit, before marking it done
    db.session.commit()
    queue.run_job(job.id)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 3
    assert db.session.get(Job, job.id).status == JobStatus.done


def test_editing_a_scheduled_session_reissues_its_letters_in_a_job(app, client, outbox):
    s, role, talents = _session_with_shortlist(2)
    cd = s.lead_casting_director
    first = [client.post(f"/api/v1/sessions/{s.id}/invitations", headers=auth(cd),
                         json={"talent_id": t.id, "role_id": role.id,
                               "starts_at": iso(s.starts_at + timedelta(minutes=20 * n))}).json
             for n, t in enumerate(talents)]
    old = {inv["id"]: inv["documents"][0]["id"] for inv in first}
    resp = client.patch(f"/api/v1/sessions/{s.id}", headers=auth(cd), json={"title": "Second-round callbacks, renamed"})
    assert resp.status_code == 200 and resp.json["title"] == "Second-round callbacks, renamed"
    job = client.get(f"/api/v1/jobs/{resp.json['reissue_job_id']}", headers=auth(cd)).json
    assert (job["kind"], job["status"], job["done"], job["total"]) == ("callbacks.session_changed", "done", 2, 2)
    assert sorted(job["result"]["reissued"]) == sorted(old)
    changed = {m["To"]: m for m in read_outbox(outbox) if "Callback changed" in m["Subject"]}
    for inv_id, old_doc_id in old.items():
        [doc] = _current(inv_id)
        assert doc.version == 2 and doc.supersedes_id == old_doc_id and doc.status == DocumentStatus.issued
        assert db.session.get(Document, old_doc_id).status == DocumentStatus.superseded
        talent = db.session.get(Invitation, inv_id).talent
        [data] = _pdf_attachments(changed[talent.email]).values()
        assert hashlib.sha256(data).hexdigest() == doc.sha256
    # A change the letters do not show starts no job.
    resp = client.patch(f"/api/v1/sessions/{s.id}", headers=auth(cd), json={"title": "Second-round callbacks, renamed"})
    assert resp.json["reissue_job_id"] is None


def test_casting_a_role_tells_the_others_in_a_job(app, outbox):
    c = make_casting()
    proposal = make_proposal(c.role, c.talents[0], by=c.cd, status="approved", decided_by=c.producer)
    document = make_offer_document(proposal)
    db.session.commit()
    decisions.offer_signed(document, actor=c.talents[0].user)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Release)) == 0  # not inside the signing
    db.session.commit()
    run_after_commit()
    job = db.session.scalar(sa.select(Job).where(Job.kind == decisions.RELEASE_JOB))
    assert job.status == JobStatus.done and sorted(job.result_data["released"]) == sorted(
        [c.talents[1].id, c.talents[2].id])
    thanks = [m["To"] for m in read_outbox(outbox) if "thank you for your callback" in m["Subject"]]
    assert sorted(thanks) == sorted([c.talents[1].email, c.talents[2].email])


def test_editing_a_session_in_the_browser_leads_to_the_reissue_job(app, client, outbox):
    s, role, [talent] = _session_with_shortlist(1)
    cd = s.lead_casting_director
    inv = client.post(f"/api/v1/sessions/{s.id}/invitations", headers=auth(cd),
                      json={"talent_id": talent.id, "role_id": role.id, "starts_at": iso(s.starts_at)}).json
    local = s.starts_at.astimezone(ZoneInfo(s.venue.timezone))
    end = s.ends_at.astimezone(ZoneInfo(s.venue.timezone))
    form = {"title": "Callbacks with a new title", "role_ids": [role.id], "venue_id": s.venue_id,
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"), "ends_at": end.strftime("%Y-%m-%dT%H:%M"),
            "slot_minutes": str(s.slot_minutes), "panel_user_ids": [u.id for u in s.panel]}
    sid = s.id
    db.session.commit()
    login(client, cd)
    resp = client.post(f"/sessions/{sid}/edit", data=form)
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/jobs/")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "being reissued" in page and "done" in page and "1 of 1" in page
    [doc] = _current(inv["id"])
    [mail] = [m for m in read_outbox(outbox) if "Callback changed" in m["Subject"]]
    [data] = _pdf_attachments(mail).values()
    assert doc.version == 2 and "version 2" in text_of(data) and "(session changed: title)" in text_of(data)


def test_a_letter_voided_before_its_pdf_exists_sends_no_stale_news(app, outbox):
    """Invited, then cancelled before the letters rendered: the talent gets the cancellation, never a late
    'you are invited' carrying a void letter."""
    from casting.callbacks import invitations

    s, role, [talent] = _session_with_shortlist(1)
    cd = s.lead_casting_director
    inv = invitations.invite(s, actor=cd, talent_id=talent.id, role_id=role.id, starts_at=s.starts_at)
    db.session.commit()
    db.session.info.pop(aftercommit.READY, None)  # nothing rendered yet (the process died after the commit)
    pending = [d.id for d in _current(inv.id)]
    assert pending and all(d.status == DocumentStatus.pending for d in _current(inv.id))
    invitations.cancel_invitation(inv, actor=cd, reason="the role was cut")
    db.session.commit()
    assert issuing.complete(pending) == pending  # the bytes are still kept, for the record
    db.session.expire_all()
    assert {db.session.get(Document, i).status for i in pending} == {DocumentStatus.void}
    subjects = [m["Subject"] for m in read_outbox(outbox)]
    assert any(sub.startswith("Callback cancelled") for sub in subjects), subjects
    assert not any(sub.startswith("Callback invitation") for sub in subjects), subjects
    assert db.session.scalar(sa.text("SELECT count(*) FROM held_mail WHERE sent_at IS NULL")) == 0
