"""Fuzz the JSON API with Schemathesis against a live server: `make fuzz` (and .ci/run, on SQLite and PostgreSQL).

A fresh database (a new SQLite file, or the empty PostgreSQL database given with --database-url) is migrated and
loaded with the demo data; a bearer token is made for each kind of user; the app is served by gunicorn on a free
port of 127.0.0.1; then Schemathesis runs every operation of /api/v1/openapi.json as each user, with the checks
not_a_server_error, status_code_conformance, response_schema_conformance and content_type_conformance. Path ids
are drawn mostly from the demo's real rows (so requests reach the services, not only the 404 of a loader) and
sometimes generated. Exits non-zero when any check fails; the reports are left in --report-dir.

    python tests/fuzz/run.py                       # SQLite, 100 examples per operation as the casting director, 50 as the admin
    python tests/fuzz/run.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/callback_fuzz
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

# Who fuzzes: the demo's casting director with the full number of examples, then the other kinds of user; the
# admin gets the full number too, as the only one who reaches the admin operations (users, verification, audit).
MAIN_USER = "casting@example.com"
OTHER_USERS = ("producer@example.com", "talent@example.com", "admin@example.com")
FULL_USERS = (MAIN_USER, "admin@example.com")
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance"

# Path parameter -> the table its ids come from (at most ID_SAMPLE of them).
ID_TABLES = {
    "production_id": "productions", "role_id": "production_roles", "session_id": "callback_sessions",
    "invitation_id": "invitations", "document_id": "documents", "proposal_id": "proposals",
    "call_id": "open_calls", "submission_id": "submissions", "entry_id": "shortlist_entries",
    "talent_id": "talent_profiles", "user_id": "users", "company_id": "companies", "venue_id": "venues",
    "side_id": "sides", "report_id": "reports",
}
ID_SAMPLE = 25


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env: dict, *args: str) -> str:
    """Run ``flask --app casting ARGS`` and return its output (stops the run on failure)."""
    result = subprocess.run([str(BIN / "flask"), "--app", "casting", *args], env=env, cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def sample_ids(url: str) -> dict[str, list]:
    """Real ids (and verification codes) of the seeded database, for Schemathesis to draw path values from."""
    engine = sa.create_engine(url)
    out: dict[str, list] = {}
    with engine.connect() as conn:
        for param, table in ID_TABLES.items():
            out[param] = [r[0] for r in conn.execute(sa.text(f"SELECT id FROM {table} ORDER BY id LIMIT {ID_SAMPLE}"))]
        out["code"] = [r[0] for r in conn.execute(sa.text(
            f"SELECT verification_code FROM documents ORDER BY id LIMIT {ID_SAMPLE}"))]
    engine.dispose()
    return {k: v for k, v in out.items() if v}


def write_config(path: Path, ids: dict[str, list]) -> None:
    """schemathesis.toml: a dictionary of real values per path parameter, used 4 times out of 5."""
    lines = []
    for name, values in ids.items():
        lines.append(f"[dictionaries.{name}]")
        lines.append(f"values = {json.dumps(values)}")
    lines.append("[parameters]")
    for name in ids:
        lines.append(f'"path.{name}" = {{ dictionary = "{name}", probability = 0.8 }}')
    path.write_text("\n".join(lines) + "\n")


def wait_for(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn exited before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"the server did not answer {url} within {timeout} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="an EMPTY database (default: a new SQLite file)")
    parser.add_argument("--examples", type=int, default=100, help="examples per operation for the casting director")
    parser.add_argument("--other-examples", type=int, default=15,
                        help="examples per operation for the producer and the talent")
    parser.add_argument("--admin-examples", type=int, default=50,
                        help="examples per operation for the admin (who alone reaches the admin operations)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds one user's run may take before it is stopped "
                        "and counted as a failure (the work is bounded by the examples, not by time)")
    parser.add_argument("--workers", type=int, default=2, help="Schemathesis workers (and gunicorn workers)")
    parser.add_argument("--seed", type=int, default=None, help="Schemathesis's random seed (to reproduce a run)")
    parser.add_argument("--report-dir", default=str(ROOT / "instance" / "fuzz-report"))
    parser.add_argument("--users", default=",".join((MAIN_USER, *OTHER_USERS)),
                        help="comma-separated demo accounts to fuzz as (the first gets --examples)")
    args = parser.parse_args()

    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="callback-fuzz-"))
    url = args.database_url or f"sqlite:///{work / 'fuzz.sqlite3'}"
    env = {**os.environ, "CALLBACK_INSTANCE_PATH": str(work), "DATABASE_URL": url,
           "SECRET_KEY": secrets.token_hex(32), "MAIL_OUTBOX_DIR": str(work / "outbox"),
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
           # The fuzzer should reach the code behind the limits; the 429s are tested in the suite.
           "CALLBACK_CONFIG_JSON": json.dumps({"RATELIMIT_ENABLED": False})}
    report_dir = Path(args.report_dir)
    shutil.rmtree(report_dir, ignore_errors=True)
    report_dir.mkdir(parents=True)

    flask(env, "db", "upgrade")
    flask(env, "seed-demo")
    users = [u.strip() for u in args.users.split(",") if u.strip()]
    tokens = {email: flask(env, "users", "token", email, "--name", "fuzz").strip().splitlines()[-1] for email in users}
    sa_url = url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
    config = work / "schemathesis.toml"
    write_config(config, sample_ids(sa_url))
    print(f"database ready in {time.monotonic() - started:.0f} s: {url}", flush=True)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(work / "gunicorn.log", "w")
    server = subprocess.Popen([str(BIN / "gunicorn"), "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}",
                               "--timeout", "120",
                               # No request-line limit: the fuzzer's long query strings should reach the app (a
                               # front server's 414 is the deployment's, not the API's).
                               "--limit-request-line", "0", "casting:create_app()"], env=env, cwd=ROOT,
                              stdout=log, stderr=subprocess.STDOUT)
    failed = []
    try:
        wait_for(f"{base}/healthz", server)
        for i, email in enumerate(users):
            examples = (args.examples if email == MAIN_USER else args.admin_examples if email in FULL_USERS
                        else args.other_examples)
            name = email.split("@")[0]
            command = [str(BIN / "schemathesis"), "--config-file", str(config), "run", f"{base}/api/v1/openapi.json",
                       "--checks", CHECKS, "--max-examples", str(examples),
                       "--workers", str(args.workers),
                       # The coverage phase (boundary values of every schema) does not depend on who calls: once.
                       "--phases", "examples,coverage,fuzzing" if i == 0 else "examples,fuzzing",
                       "--header", f"Authorization: Bearer {tokens[email]}",
                       "--generation-database", "none", "--suppress-health-check", "all",
                       "--request-timeout", "60", "--report", "junit",
                       "--report-junit-path", str(report_dir / f"{name}.xml")]
            if args.seed is not None:
                command += ["--seed", str(args.seed)]
            print(f"\n== schemathesis as {email}: {examples} examples per operation ==", flush=True)
            t0 = time.monotonic()
            try:
                code = subprocess.run(command, cwd=work, timeout=args.timeout).returncode
            except subprocess.TimeoutExpired:
                print(f"== {email}: stopped after {args.timeout} s (--timeout) ==", flush=True)
                code = -1
            print(f"== {email}: exit {code} in {time.monotonic() - t0:.0f} s ==", flush=True)
            if code != 0:
                failed.append(email)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.copy(work / "gunicorn.log", report_dir / "gunicorn.log")
    elapsed = time.monotonic() - started
    if failed:
        print(f"\nfuzz: FAILED as {', '.join(failed)} in {elapsed:.0f} s (reports and the server log in "
              f"{report_dir})")
        return 1
    shutil.rmtree(work, ignore_errors=True)
    print(f"\nfuzz: no failure, {len(users)} users, in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
