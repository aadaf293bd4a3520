"""How long `audit verify` takes over a long chain, against a bare loop over the same rows (`make bench`).

The bare loop reads the same rows with the driver's cursor in one streamed query and computes the same
sha256s, checking nothing (a second one reads only the hash's inputs);
`verify_chain` reads keyset batches and checks ids, links and hashes (and the documents' recorded heads).
Issue 9's target: verify within 1.5x of the bare loop, memory constant in the chain's length.

    AUDIT_BENCH_ENTRIES=1000000 .venv/bin/pytest tests/benchmarks/test_audit_verify_bench.py \
        --benchmark-only -p no:randomly -o addopts="" -q

(default 200,000 entries, built by seed_scale.add_audit_entries, or by the local builder (a mix of actions over
200 productions) with AUDIT_BENCH_BUILDER=local; best of AUDIT_BENCH_ROUNDS=5 alternating runs of each; with TEST_DATABASE_URL it runs
on PostgreSQL). It prints wall and CPU times (CPU time is the steadier measure on a shared machine), the ratios,
the peak memory each traced (tracemalloc, in separate passes so tracing does not distort the times) and the process's
ru_maxrss. `pytest tests/benchmarks -o addopts="" --benchmark-disable` runs it on 2,000 entries.
"""
from __future__ import annotations

import hashlib
import os
import resource
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import sqlalchemy as sa

from casting.audit import services as audit
from casting.audit.models import GENESIS_HASH, AuditEntry
from casting.audit.queries import keyset_page
from casting.extensions import db

try:  # the scale data set's builder (branch `scale`); AUDIT_BENCH_BUILDER=local uses build_entries below
    from casting.seed_scale import add_audit_entries
except ImportError:
    add_audit_entries = None
if os.environ.get("AUDIT_BENCH_BUILDER") == "local":
    add_audit_entries = None

BASE_TIME = datetime(2027, 1, 1, tzinfo=timezone.utc)


def ENTRY_TIME(i: int) -> datetime:
    """When the builder's entry ``i`` was made."""
    return BASE_TIME + timedelta(milliseconds=37 * i)


ACTIONS = ("auth.login", "submission.created", "shortlist.added", "invitation.created", "document.issued",
           "document.viewed", "session.updated", "user.created")


def build_entries(n: int, chunk: int = 10_000) -> str:
    """Append ``n`` valid entries with bulk inserts (a stand-in for seed_scale.add_audit_entries); the head."""
    last_id, prev = audit.head()
    db.session.commit()
    table = AuditEntry.__table__
    with db.engine.begin() as conn:
        for first in range(last_id + 1, last_id + n + 1, chunk):
            rows = []
            for i in range(first, min(first + chunk, last_id + n + 1)):
                e = SimpleNamespace(
                    id=i, created_at=ENTRY_TIME(i), actor_id=i % 5000 + 1,
                    actor_label=f"user{i % 5000}@example.com", action=ACTIONS[i % len(ACTIONS)],
                    entity_type="submissions", entity_id=i, production_id=i % 200 + 1,
                    data=audit.canonical_json({"ip": "203.0.113.7", "role_id": i % 900, "note": f"entry {i}",
                                               "status": "submitted"}))
                e.hash = audit.compute_hash(prev, e)
                rows.append({**vars(e), "prev_hash": prev})
                prev = e.hash
            conn.execute(table.insert(), rows)
    return prev


COLUMNS = "id, created_at, actor_id, actor_label, action, entity_type, entity_id, production_id, data"


def bare_loop(whole_rows: bool = True) -> tuple[int, str]:
    """The same rows and the same sha256s with nothing in between: the driver's own cursor, streaming
    (a server-side cursor on PostgreSQL), one query, no checks. ``whole_rows``: every column, as verify reads
    them; otherwise only the hash's inputs (not prev_hash and hash, the two 64-character strings verify
    compares: reading them is most of what verify costs over this loop)."""
    sha256, payload = hashlib.sha256, audit.payload_text
    sqlite = db.engine.dialect.name == "sqlite"
    prev, count = GENESIS_HASH, 0
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor() if sqlite else connection.cursor(name="bare_loop")
        cursor.execute(f"SELECT {COLUMNS}{', prev_hash, hash' if whole_rows else ''} FROM audit_entries ORDER BY id")
        while rows := cursor.fetchmany(audit.VERIFY_BATCH):
            for entry_id, created_at, actor_id, actor_label, action, entity_type, entity_id, production_id, data, \
                    *_ in rows:
                # SQLite hands back the stored text ('2027-01-01 00:00:00.037000'), PostgreSQL a naive datetime.
                iso = (created_at.replace(" ", "T", 1) + "Z" if sqlite
                       else created_at.isoformat(timespec="microseconds") + "Z")
                prev = sha256((prev + payload(entry_id, iso, actor_id, actor_label, action, entity_type, entity_id,
                                              production_id, data)).encode()).hexdigest()
                count += 1
        cursor.close()
    finally:
        connection.rollback()
        connection.close()
    return count, prev


def inputs_loop() -> tuple[int, str]:
    return bare_loop(whole_rows=False)


def verify():
    result = audit.verify_chain()
    db.session.rollback()
    return result


def _timed(fn):
    """(wall seconds, CPU seconds of this process, value). On a shared machine CPU time is the steadier measure;
    on PostgreSQL it leaves out the server's share, which both loops pay alike."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def _traced_peak(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_verify_against_a_bare_loop(benchmark, app, capsys):
    n = 2000 if benchmark.disabled else int(os.environ.get("AUDIT_BENCH_ENTRIES", "200000"))
    started = time.perf_counter()
    if add_audit_entries is not None:
        add_audit_entries(n)
        db.session.commit()
        expected_head = audit.head()[1]
    else:
        expected_head = build_entries(n)
    built = time.perf_counter() - started

    # Alternate them so none gets all the warm caches; keep each one's best wall and CPU time.
    times: dict[str, list[tuple[float, float]]] = {"bare": [], "inputs": [], "verify": []}
    for _ in range(1 if benchmark.disabled else int(os.environ.get("AUDIT_BENCH_ROUNDS", "5"))):
        for name, fn in (("bare", bare_loop), ("inputs", inputs_loop)):
            wall, cpu, (count, head) = _timed(fn)
            assert (count, head) == (n, expected_head)
            times[name].append((wall, cpu))
        wall, cpu, result = _timed(verify)
        assert result.ok and result.count == n and result.head == expected_head
        times["verify"].append((wall, cpu))
    result = benchmark.pedantic(verify, rounds=1, iterations=1)
    assert result.ok
    bare_peak, verify_peak = _traced_peak(bare_loop), _traced_peak(verify)
    best = {name: (min(w for w, _ in runs), min(c for _, c in runs)) for name, runs in times.items()}
    (bare_wall, bare_cpu), (inputs_wall, inputs_cpu), (verify_wall, verify_cpu) = (
        best["bare"], best["inputs"], best["verify"])
    with capsys.disabled():
        print(f"\naudit verify over {n:,} entries on {db.engine.dialect.name} (built in {built:.1f} s; best of "
              f"{len(times['verify'])}; load average {os.getloadavg()[0]:.1f}):\n"
              f"  bare loop, whole rows:  wall {bare_wall:6.2f} s  cpu {bare_cpu:6.2f} s\n"
              f"  bare loop, hash inputs: wall {inputs_wall:6.2f} s  cpu {inputs_cpu:6.2f} s\n"
              f"  verify:                 wall {verify_wall:6.2f} s  cpu {verify_cpu:6.2f} s\n"
              f"  ratio to the whole-row loop: wall {verify_wall / bare_wall:.2f}x, cpu {verify_cpu / bare_cpu:.2f}x; "
              f"to the hash-inputs loop: wall {verify_wall / inputs_wall:.2f}x, cpu {verify_cpu / inputs_cpu:.2f}x "
              f"(target <= 1.5x)\n"
              f"  peak traced memory: bare loop {bare_peak / 2**20:.1f} MiB, verify {verify_peak / 2**20:.1f} MiB; "
              f"process ru_maxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")

    # The audit page's query over the same chain: bounded whatever the table's size or the page's depth.
    # Filters taken from the data, whichever builder made it.
    newest_action = db.session.scalar(sa.select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1))
    subject = newest_action.split(".", 1)[0]
    recent = db.session.scalars(sa.select(AuditEntry.production_id).where(AuditEntry.production_id.is_not(None))
                                .order_by(AuditEntry.id.desc()).limit(200)).all()
    productions = list(dict.fromkeys(recent))[:3]
    since = db.session.scalar(sa.select(AuditEntry.created_at).where(AuditEntry.id == max(n - 1000, 1)))
    cases = {"newest": (None, {}), "deep (before=n/2)": (None, {"before": n // 2}),
             f"subject {subject!r}": (None, {"action": subject}), "since the last 1,000": (None, {"since": since})}
    if productions:
        member_scope = sa.union(*(sa.select(sa.literal(p)) for p in productions))
        cases[f"production {productions[0]}"] = (None, {"production_id": productions[0]})
        cases[f"member of {len(productions)} productions"] = (member_scope, {})
        cases[f"member, subject {subject!r}"] = (member_scope, {"action": subject})
    timings = {}
    for label, (scope, filters) in cases.items():
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            page = keyset_page(scope, per_page=100, **filters)
            runs.append(time.perf_counter() - started)
            db.session.rollback()
        assert page.items, label  # every case matches the newest entry's production or subject
        timings[label] = (min(runs), len(page.items))
    with capsys.disabled():
        print(f"  audit page query ({'seed_scale.add_audit_entries' if add_audit_entries else 'local builder'}): "
              + ", ".join(f"{k} {v * 1000:.1f} ms ({rows} rows)" for k, (v, rows) in timings.items()))
