"""While a letter renders, the write lock is free: another writer commits before the render is stored.

The render is held open (CASTING_TEST_RENDER_HOOK, called between rendering and storing) until the other writer
has committed; if rendering held the lock, that writer would wait behind it and the order of events would be
the other way round. No timing is measured: only the order. The benchmark (tests/benchmarks/test_jobs_bench.py)
measures how long a writer waits while a 40-invitation session renders on a worker."""
from __future__ import annotations

import threading

import sqlalchemy as sa

from casting.core.api import iso
from casting.core.database import lock_for_write
from casting.documents.models import Document, DocumentStatus
from casting.extensions import db
from casting.talent.models import TalentProfile
from tests.callbacks.factories import make_ready_session
from tests.conftest import auth
from tests.factories import make_shortlist_entry, make_talent


def test_an_invitation_renders_its_letter_after_the_commit_with_no_lock_held(app):
    s = make_ready_session(scheduled=True)
    talent = make_talent(legal_name="Lena Lockfree")
    other = make_talent(legal_name="Otto Otherwriter")
    make_shortlist_entry(s.roles[0], talent, by=s.lead_casting_director)
    db.session.commit()
    headers = auth(s.lead_casting_director)
    url = f"/api/v1/sessions/{s.id}/invitations"
    body = {"talent_id": talent.id, "role_id": s.roles[0].id, "starts_at": iso(s.starts_at)}
    other_id = other.id
    db.session.commit()  # this thread holds no transaction (on SQLite, a lock) from here

    events: list[str] = []
    rendering, release = threading.Event(), threading.Event()
    in_transaction: list[bool] = []

    def hold(job):  # in the request's thread, between render and store
        in_transaction.append(db.session().in_transaction())
        events.append(f"rendered {job.serial}")
        rendering.set()
        release.wait(timeout=60)

    app.config["CASTING_TEST_RENDER_HOOK"] = hold
    answer: dict = {}

    def invite():  # a request of its own, in its own thread (its own app context and session)
        resp = app.test_client().post(url, headers=headers, json=body)
        answer.update(status=resp.status_code, body=resp.json)
        events.append("request answered")

    thread = threading.Thread(target=invite)
    thread.start()
    try:
        assert rendering.wait(timeout=60), "the render never started"
        # Another writer, while the letter is rendered: it takes the write lock and commits.
        lock_for_write()
        db.session.get(TalentProfile, other_id).professional_name = "Otto O."
        db.session.commit()
        events.append("other writer committed")
        pending = db.session.scalars(sa.select(Document.status)).all()
        db.session.commit()
        events.append(f"documents then: {','.join(pending)}")
    finally:
        release.set()
        thread.join(timeout=120)
    app.config.pop("CASTING_TEST_RENDER_HOOK")
    assert answer["status"] == 201, answer
    serial = events[0].removeprefix("rendered ")
    assert events == [f"rendered {serial}", "other writer committed", "documents then: pending", "request answered"]
    assert in_transaction == [False]  # the render's thread held no transaction (so no lock) meanwhile
    db.session.expire_all()
    doc = db.session.scalar(sa.select(Document).where(Document.serial == serial))
    assert doc.status == DocumentStatus.issued and doc.blob_sha256
    assert db.session.get(TalentProfile, other_id).professional_name == "Otto O."
