"""Issuing a 40-invitation recorded session (80 PDFs) through the real worker (`make bench`; README "Performance").

A bulk invitation is posted as a job; `flask --app casting worker` (process workers, one per core) invites each
talent and renders each invitation's letters as jobs of their own, off the write lock. Meanwhile another writer
commits in a loop. Printed: wall time, the CPU the worker's processes used (in cores: CPU seconds / wall seconds),
how long the other writer waited for the write lock (the target: never over 250 ms) and which of the worker's
transactions held it longest. `pytest tests/benchmarks -o addopts=""
--benchmark-disable` runs it once on 4 invitations as a quick check that it still works.
"""
from __future__ import annotations

import os
import re
import threading
import time
import uuid

import pytest
import sqlalchemy as sa

from casting.callbacks import bulk
from casting.callbacks.models import Invitation
from casting.core.aftercommit import run_after_commit
from casting.core.database import SLOW_WRITE_SECONDS, lock_for_write
from casting.documents.models import Document, DocumentStatus
from casting.extensions import db
from casting.jobs.models import Job
from casting.talent.models import TalentProfile
from tests.callbacks.factories import make_ready_session
from tests.factories import make_shortlist_entry, make_talent
from tests.jobs.worker import start_worker, stop_worker

RECORDING_USE = "Recorded for the director and producers to review; deleted 90 days after the callback."


@pytest.fixture
def app_config(tmp_path):
    return {"CASTING_JOBS_IMMEDIATE": False, "CASTING_JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
            "CASTING_JOBS_NAME": f"callback-bench-{uuid.uuid4().hex[:12]}"}


def machine_busy() -> float:
    """CPU seconds every process on the machine used so far (from /proc/stat)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of ``pid`` and its children, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == pid or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


class OtherWriter(threading.Thread):
    """Commits a small change in a loop with the write lock, timing each wait for it (until its first statement
    has run: SQLite's BEGIN IMMEDIATE has the lock) and each whole write (the wait, the change and the commit)."""

    def __init__(self, app, talent_id: int) -> None:
        super().__init__(daemon=True)
        self.app, self.talent_id = app, talent_id
        self.stop = threading.Event()
        self.waits: list[float] = []
        self.writes: list[float] = []

    def run(self) -> None:
        with self.app.app_context():
            n = 0
            while not self.stop.is_set():
                n += 1
                started = time.perf_counter()
                lock_for_write()
                talent = db.session.get(TalentProfile, self.talent_id)
                self.waits.append(time.perf_counter() - started)
                talent.professional_name = f"Writer {n}"
                db.session.commit()
                self.writes.append(time.perf_counter() - started)
                self.stop.wait(0.05)
            db.session.remove()


def longest_holds(log: str) -> list[tuple[int, int, str]]:
    """(milliseconds, CPU milliseconds, where it ended) of each slow write transaction the worker logged, longest
    first."""
    found = re.findall(r"write lock held (\d+) ms \(CPU (\d+) ms\), ended at (.*)", log)
    return sorted(((int(ms), int(cpu), where.strip()) for ms, cpu, where in found), reverse=True)


def test_a_40_invitation_recorded_session_through_the_worker(benchmark, app, capsys):
    n = 4 if benchmark.disabled else 40
    s = make_ready_session(scheduled=True, slot_minutes=5, hours=4, recorded=True, recording_use=RECORDING_USE)
    talents = [make_talent(legal_name=f"Bench Talent {i}") for i in range(n)]
    for t in talents:
        make_shortlist_entry(s.roles[0], t, by=s.lead_casting_director)
    bystander = make_talent(legal_name="Bea Bystander")
    db.session.commit()
    session_id, role_id, talent_ids, bystander_id = s.id, s.roles[0].id, [t.id for t in talents], bystander.id
    cd = s.lead_casting_director
    workers = os.cpu_count() or 1
    worker = start_worker(app, workers=workers)
    time.sleep(3)  # let the consumer start its processes
    outcome = {}

    def issue_session():
        writer = OtherWriter(app, bystander_id)
        writer.start()
        cpu0, busy0, t0 = process_tree_cpu(worker.pid), machine_busy(), time.perf_counter()
        bulk.start_bulk_invite(db.session.get(type(s), session_id), actor=cd, role_id=role_id, talent_ids=talent_ids)
        db.session.commit()
        run_after_commit()  # enqueued
        issued = 0
        while time.perf_counter() - t0 < 900 and worker.poll() is None:
            issued = db.session.scalar(sa.select(sa.func.count()).select_from(Document).join(
                Invitation, Invitation.id == Document.invitation_id).where(
                Invitation.session_id == session_id, Document.status == DocumentStatus.issued))
            db.session.commit()
            if issued == 2 * n:
                break
            time.sleep(0.2)
        wall = time.perf_counter() - t0
        cpu = process_tree_cpu(worker.pid) - cpu0
        busy = machine_busy() - busy0
        writer.stop.set()
        writer.join()
        waits = sorted(writer.waits)
        outcome.update(issued=issued, wall=wall, cores=cpu / wall, machine_cores=busy / wall, max_wait=waits[-1],
                       p50_wait=waits[len(waits) // 2], p95_wait=waits[int(len(waits) * 0.95)],
                       over_250ms=sum(w > 0.25 for w in waits), writes=len(waits), max_write=max(writer.writes))

    try:
        benchmark.pedantic(issue_session, rounds=1, iterations=1)
    finally:
        log = stop_worker(worker)
    assert outcome["issued"] == 2 * n, log[-3000:]
    jobs = db.session.scalar(sa.select(sa.func.count()).select_from(Job).where(Job.status != "done"))
    assert jobs == 0
    holds = longest_holds(log)
    outcome["max_hold"] = holds[0][0] / 1000 if holds else None
    benchmark.extra_info.update(outcome)
    with capsys.disabled():
        print(f"\n{n} invitations ({2 * n} PDFs) through the worker ({workers} processes on {os.cpu_count()} cores): "
              f"{outcome['wall']:.1f} s, the worker used {outcome['cores']:.2f} cores of CPU (the whole machine was "
              f"busy on {outcome['machine_cores']:.2f}); another writer committed {outcome['writes']} times, waiting for "
              f"the write lock {outcome['p50_wait'] * 1000:.0f} ms (median), {outcome['p95_wait'] * 1000:.0f} ms (p95), "
              f"{outcome['max_wait'] * 1000:.0f} ms at most; {outcome['over_250ms']} waits over 250 ms (target: none); "
              f"its longest write, wait and commit, {outcome['max_write'] * 1000:.0f} ms")
        print("the worker's transactions that held the write lock longest (casting.core.database logs those over "
              f"{SLOW_WRITE_SECONDS * 1000:.0f} ms):" + "".join(
            f"\n  {ms} ms ({cpu} ms of CPU), ended at {where}" for ms, cpu, where in holds[:3])
              if holds else f"no transaction of the worker held the write lock over {SLOW_WRITE_SECONDS * 1000:.0f} ms")
