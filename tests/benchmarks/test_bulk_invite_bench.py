"""Bulk-inviting 40 talent into a recorded session (80 PDFs) the way a casting director does it on the web
(issue 13): the preview page, then the confirm form, then the worker (`make bench`; README "Performance").

Printed: how long the preview page took to answer, the wall time from confirming to the 80th PDF issued, and the
cores used (the worker's processes' CPU seconds over the wall seconds, and the whole machine's). With
`--benchmark-disable` it runs once on 4 invitations as a quick check that it still works.
"""
from __future__ import annotations

import os
import time
import uuid

import pytest
import sqlalchemy as sa

from casting.callbacks.models import CallbackSession, Invitation
from casting.core.aftercommit import run_after_commit
from casting.documents.models import Document, DocumentStatus
from casting.extensions import db
from casting.jobs.models import Job
from tests.benchmarks.test_jobs_bench import RECORDING_USE, machine_busy, process_tree_cpu
from tests.callbacks.factories import make_ready_session
from tests.conftest import login
from tests.factories import make_shortlist_entry, make_talent
from tests.jobs.worker import start_worker, stop_worker


@pytest.fixture
def app_config(tmp_path):
    return {"CASTING_JOBS_IMMEDIATE": False, "CASTING_JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
            "CASTING_JOBS_NAME": f"callback-bench-{uuid.uuid4().hex[:12]}"}


def _issued(session_id: int) -> int:
    n = db.session.scalar(sa.select(sa.func.count()).select_from(Document).join(
        Invitation, Invitation.id == Document.invitation_id).where(
        Invitation.session_id == session_id, Document.status == DocumentStatus.issued))
    db.session.commit()
    return n


def test_bulk_invite_40_from_the_preview_page_through_the_worker(benchmark, app, client, capsys):
    n = 4 if benchmark.disabled else 40
    s = make_ready_session(scheduled=True, slot_minutes=5, hours=4, recorded=True, recording_use=RECORDING_USE)
    role, cd = s.roles[0], s.lead_casting_director
    talents = [make_talent(legal_name=f"Bench Talent {i}") for i in range(n)]
    for t in talents:
        make_shortlist_entry(role, t, by=cd)
    db.session.commit()
    session_id, role_id, ids = s.id, role.id, [str(t.id) for t in talents]
    login(client, cd)
    workers = os.cpu_count() or 1
    worker = start_worker(app, workers=workers)
    time.sleep(3)  # let the consumer start its processes
    outcome = {}

    def invite_many():
        t_preview = time.perf_counter()
        preview = client.get(f"/roles/{role_id}/invite-many", query_string={
            "session_id": session_id, "talent_ids": ids, "preview": "1"})
        preview_s = time.perf_counter() - t_preview
        assert f"{n} of {n} would be invited" in preview.get_data(as_text=True)
        start = db.session.get(CallbackSession, session_id).starts_at.isoformat()
        db.session.commit()
        cpu0, busy0, t0 = process_tree_cpu(worker.pid), machine_busy(), time.perf_counter()
        resp = client.post(f"/sessions/{session_id}/invite-many",
                           data={"role_id": role_id, "starts_at": start, "talent_ids": ids})
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        run_after_commit()
        issued = 0
        while time.perf_counter() - t0 < 900 and worker.poll() is None:
            issued = _issued(session_id)
            if issued == 2 * n:
                break
            time.sleep(0.2)
        wall = time.perf_counter() - t0
        cpu, busy = process_tree_cpu(worker.pid) - cpu0, machine_busy() - busy0
        outcome.update(issued=issued, preview_s=preview_s, wall=wall, cores=cpu / wall, machine_cores=busy / wall)

    try:
        benchmark.pedantic(invite_many, rounds=1, iterations=1)
    finally:
        log = stop_worker(worker)
    assert outcome["issued"] == 2 * n, log[-3000:]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job).where(Job.status != "done")) == 0
    benchmark.extra_info.update(outcome)
    with capsys.disabled():
        print(f"\nbulk invite from the web, {n} talent ({2 * n} PDFs), worker with {workers} processes on "
              f"{os.cpu_count()} cores: preview page {outcome['preview_s'] * 1000:.0f} ms; confirm to last PDF "
              f"{outcome['wall']:.1f} s; the worker used {outcome['cores']:.2f} cores of CPU (the whole machine "
              f"{outcome['machine_cores']:.2f})")
