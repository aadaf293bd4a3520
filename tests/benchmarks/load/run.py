"""The load benchmark (`make bench`, or `python -m tests.benchmarks.load.run`): the app on the scale data set
against a Flask hello-world, both served by gunicorn with the same settings, under 8 connections.

1. The data set: `flask seed-scale` at the size SCALE names (full, medium, small, tiny; default full), built
   once into instance/bench/scale-<sizes>-<alembic head>.sqlite3 and reused until the schema's revision
   changes (each run works on a copy, so sign-ins never change the cache). With DATABASE_URL set to a
   PostgreSQL database, that database is used instead: upgraded, seeded when it holds no scale data set,
   reused when it holds one of the same sizes, refused when it holds another.
2. gunicorn serves the app (``casting.wsgi:app``, as the README deploys it) and the hello-world app with the
   same settings (GUNICORN_SETTINGS).
3. The known logins sign in through the login form (the admin with its second factor); the API lists use a
   bearer token made for the known casting director.
4. wrk runs each target for BENCH_DURATION seconds (default 10) at BENCH_CONNECTIONS connections (default 8),
   one target after another; report.lua counts every response that is not 2xx as an error.
5. The table (req/s, p50/p95/p99, errors, ratio to hello-world's req/s) is printed and written into
   README.md's Performance section between the markers of its database (one table for SQLite, one for
   PostgreSQL), with the machine's cores and load average.

Targets (issue 9): no errors, and on SQLite every page at least 12% of hello-world's req/s with p95 under
60 ms. BENCH_ENFORCE=1 (default) exits 1 when one is missed; on PostgreSQL only errors count (no timing
thresholds there). BENCH_WRITE_README=0 leaves README.md alone.
"""
from __future__ import annotations

import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
BENCH_DIR = ROOT / "instance" / "bench"
README = ROOT / "README.md"


def markers(engine: str) -> tuple[str, str]:
    """The README markers around the table of a run on ``engine`` (sqlite or postgresql): one table each."""
    return f"<!-- load-benchmark:{engine}:start -->", f"<!-- load-benchmark:{engine}:end -->"

# One set of gunicorn settings for the app and the hello-world app.
GUNICORN_SETTINGS = ["--workers", "2", "--worker-class", "sync", "--timeout", "30", "--keep-alive", "2",
                     "--log-level", "warning"]
TARGET_RATIO, TARGET_P95_MS = 0.12, 60.0


def _venv_bin(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


# ---- the data set ----------------------------------------------------------------------------------

def alembic_head() -> str:
    from alembic.script import ScriptDirectory

    return "+".join(sorted(ScriptDirectory(str(ROOT / "migrations")).get_heads()))


def _flask(args: list[str], env: dict, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([_venv_bin("flask"), "--app", "casting", *args], cwd=ROOT, env=env, check=True, **kw)


def _env(database_url: str, workdir: Path) -> dict:
    env = dict(os.environ)
    env.update({"DATABASE_URL": database_url, "SECRET_KEY": env.get("SECRET_KEY") or "load-benchmark-secret",
                "MAIL_OUTBOX_DIR": str(workdir / "outbox"), "PYTHONPATH": str(ROOT)})
    env.pop("FLASK_DEBUG", None)
    return env


def sqlite_dataset(scale: str) -> tuple[str, str]:
    """The cached SQLite data set for ``scale`` (built when missing) copied to a working file; (url, note)."""
    from casting.seed_scale import PRESETS

    sizes = PRESETS[scale]
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    cached = BENCH_DIR / f"scale-{sizes.label()}-{alembic_head()}.sqlite3"
    note = f"cached {cached.relative_to(ROOT)}"
    if not cached.exists():
        building = cached.with_suffix(".building")
        for stale in BENCH_DIR.glob(building.name + "*"):
            stale.unlink()
        print(f"Building the {scale} data set into {cached.relative_to(ROOT)} (once per schema revision)…",
              flush=True)
        started = time.monotonic()
        env = _env(f"sqlite:///{building}", BENCH_DIR)
        _flask(["db", "upgrade"], env, stdout=subprocess.DEVNULL)
        _flask(["seed-scale", "--preset", scale], env)
        import sqlite3

        with sqlite3.connect(building) as conn:  # fold the WAL into the file before it is renamed
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        building.rename(cached)
        for old in BENCH_DIR.glob(f"scale-{sizes.label()}-*.sqlite3"):  # an earlier schema's copy of this size
            if old != cached:
                old.unlink()
        note = f"built {cached.relative_to(ROOT)} in {time.monotonic() - started:.0f} s"
    work = BENCH_DIR / "run.sqlite3"
    for old in BENCH_DIR.glob("run.sqlite3*"):
        old.unlink()
    shutil.copyfile(cached, work)
    return f"sqlite:///{work}", note


def postgres_dataset(url: str, scale: str) -> tuple[str, str]:
    """Use the PostgreSQL database at ``url``: upgrade it, seed it when it holds no scale data set."""
    import sqlalchemy as sa

    from casting.seed_scale import MARKER_EMAIL, PRESETS

    sizes = PRESETS[scale]
    env = _env(url, BENCH_DIR)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    _flask(["db", "upgrade"], env, stdout=subprocess.DEVNULL)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        marker = conn.execute(sa.text("SELECT 1 FROM users WHERE email = :e"), {"e": MARKER_EMAIL}).first()
        talent = conn.execute(sa.text("SELECT count(*) FROM talent_profiles")).scalar()
        invitations = conn.execute(sa.text("SELECT count(*) FROM invitations")).scalar()
    engine.dispose()
    if marker is None:
        print(f"Seeding the {scale} data set into the PostgreSQL database…", flush=True)
        started = time.monotonic()
        _flask(["seed-scale", "--preset", scale], env)
        return url, f"seeded in {time.monotonic() - started:.0f} s"
    if talent != sizes.talent or invitations < sizes.invitations:
        sys.exit(f"The PostgreSQL database holds another scale data set ({talent} talent, {invitations} "
                 f"invitations; {scale} is {sizes.label()}). Use a fresh database or SCALE to match.")
    return url, "reused the database's scale data set"


# ---- serving ---------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    app: str
    env: dict
    port: int = field(default_factory=_free_port)
    proc: subprocess.Popen | None = None

    def start(self, log: Path) -> "Server":
        self.proc = subprocess.Popen(
            [_venv_bin("gunicorn"), *GUNICORN_SETTINGS, "--bind", f"127.0.0.1:{self.port}", self.app],
            cwd=ROOT, env=self.env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"gunicorn ({self.name}) exited with {self.proc.returncode}; see {log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        sys.exit(f"gunicorn ({self.name}) did not start in 60 s; see {log}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the arbiter and its two workers (a group of our own)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


# ---- signing in ------------------------------------------------------------------------------------

class Browser:
    """Just enough of a browser: cookies by name (Secure ones too, over plain http) and form posts."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, timeout: float = 120):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Cookie": self.cookie_header()} if self.cookies else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, response.getheader("Location"), data.decode("utf-8", "replace")

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items() if v)

    def _csrf(self, path: str) -> str:
        _, _, page = self.request("GET", path)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', page)
        return match.group(1) if match else ""

    def sign_in(self, email: str, password: str, mfa_secret: str | None = None) -> None:
        status, location, _ = self.request("POST", "/login", {"csrf_token": self._csrf("/login"), "email": email,
                                                              "password": password})
        if status != 302:
            sys.exit(f"signing in as {email} answered {status}")
        if location and "/login/mfa" in location:
            import pyotp

            for _ in range(3):  # a code is good once: after a recent sign-in wait for the next one
                status, location, _ = self.request("POST", "/login/mfa", {
                    "csrf_token": self._csrf("/login/mfa"), "code": pyotp.TOTP(mfa_secret).now()})
                if status == 302:
                    break
                time.sleep(31 - time.time() % 30)
            if status != 302:
                sys.exit(f"the second factor for {email} answered {status}")


@dataclass
class Logins:
    cd: str
    admin: str
    talent: str
    token: str
    urls: dict[str, str]


def prepare(database_url: str, port: int) -> Logins:
    """Sign the known logins in on the running app; make an API token; find the target urls."""
    import sqlalchemy as sa

    from casting import create_app
    from casting.accounts.models import User
    from casting.accounts.services import issue_token
    from casting.callbacks.models import CallbackSession, CallbackSessionStatus
    from casting.calls.models import OpenCall
    from casting.extensions import db
    from casting.productions.models import Production, ProductionRole
    from casting.seed_scale import KNOWN, PASSWORD

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "load-benchmark-secret",
                      "MAIL_OUTBOX_DIR": str(BENCH_DIR / "outbox")})
    with app.app_context():
        email = {k: v[0] for k, v in KNOWN.items()}
        cd = db.session.scalar(sa.select(User).where(User.email == email["casting_director"]))
        admin = db.session.scalar(sa.select(User).where(User.email == email["admin"]))
        production = db.session.scalar(sa.select(Production).where(Production.created_by_id == cd.id)
                                       .order_by(Production.id))
        role = db.session.scalar(sa.select(ProductionRole).where(ProductionRole.production_id == production.id)
                                 .order_by(ProductionRole.id))
        call = db.session.scalar(sa.select(OpenCall).where(OpenCall.production_id == production.id))
        session = db.session.scalar(sa.select(CallbackSession).where(
            CallbackSession.production_id == production.id,
            CallbackSession.status == CallbackSessionStatus.scheduled).order_by(CallbackSession.id))
        _, token = issue_token(cd, "load benchmark")
        db.session.commit()
        mfa_secret = admin.mfa_secret
        p = production.id
        urls = {
            "production page": f"/productions/{p}",
            "submissions": f"/calls/{call.id}/submissions",
            "shortlist": f"/roles/{role.id}/shortlist",
            "session page": f"/sessions/{session.id}",
            "review": f"/productions/{p}/review",
            "documents": f"/productions/{p}/documents",
            "audit": "/audit",
            "admin users": "/admin/users",
            "talent's callbacks": "/me/callbacks",
            "API: sessions": f"/api/v1/productions/{p}/sessions",
            "API: submissions": f"/api/v1/open-calls/{call.id}/submissions",
        }
    logins = {}
    for who, mail in (("cd", email["casting_director"]), ("admin", email["admin"]), ("talent", email["talent"])):
        browser = Browser(port)
        browser.sign_in(mail, PASSWORD, mfa_secret if who == "admin" else None)
        logins[who] = browser.cookie_header()
    return Logins(logins["cd"], logins["admin"], logins["talent"], token, urls)


# ---- load ------------------------------------------------------------------------------------------

@dataclass
class Result:
    name: str
    path: str
    requests: int = 0
    seconds: float = 0.0
    errors: int = 0
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    warm_status: int = 0
    ratio: float | None = None

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def warm(port: int, path: str, headers: dict) -> int:
    """One request first (caches, the first connection), and its status for the table."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        conn.close()


def load(name: str, port: int, path: str, headers: dict, duration: int, connections: int) -> Result:
    result = Result(name, path, warm_status=warm(port, path, headers))
    cmd = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--timeout", "30s",
           "-s", str(HERE / "report.lua")]
    for key, value in headers.items():
        cmd += ["-H", f"{key}: {value}"]
    out = subprocess.run([*cmd, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                         timeout=duration + 120).stdout
    line = next((ln for ln in out.splitlines() if ln.startswith("WRK-JSON ")), None)
    if line is None:
        sys.exit(f"wrk printed no result for {path}:\n{out}")
    data = json.loads(line[len("WRK-JSON "):])
    result.requests = data["requests"]
    result.seconds = data["duration_us"] / 1e6
    # Requests still waiting when the time ran out are not counted by wrk: a page that never answers within
    # the run shows 0 req/s; timeouts and socket errors count as errors.
    result.errors = data["non2xx"] + data["connect"] + data["read"] + data["write"] + data["timeout"]
    if result.requests:
        result.p50, result.p95, result.p99 = (data[k] / 1000 for k in ("p50", "p95", "p99"))
    print(f"  {name:20} {result.rps:9.1f} req/s  p95 {result.p95:9.1f} ms  errors {result.errors}", flush=True)
    return result


def _ms(value: float, result: Result) -> str:
    return f"{value:,.1f}" if result.requests else "–"


def table(results: list[Result], postgres: bool) -> str:
    lines = ["| target | path | req/s | p50 ms | p95 ms | p99 ms | errors | ratio to hello-world | target met |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in results:
        met = "" if r.ratio is None else ("yes" if meets(r, postgres) else "no")
        ratio = "1" if r.ratio is None else f"{r.ratio:.4f}"
        lines.append(f"| {r.name} | `{r.path}` | {r.rps:,.1f} | {_ms(r.p50, r)} | {_ms(r.p95, r)} | "
                     f"{_ms(r.p99, r)} | {r.errors:,}{'' if r.requests or r.errors else ' (no answer)'} | "
                     f"{ratio} | {met} |")
    return "\n".join(lines)


def meets(r: Result, postgres: bool) -> bool:
    if r.errors or not r.requests:
        return False
    return postgres or (r.ratio >= TARGET_RATIO and r.p95 < TARGET_P95_MS)


def write_readme(block: str, engine: str) -> None:
    START, END = markers(engine)
    text = README.read_text()
    if START in text and END in text:
        text = text[:text.index(START) + len(START)] + "\n" + block + "\n" + text[text.index(END):]
    else:
        section = text.index("## Performance")
        after = text.find("\n## ", section + 1)
        after = len(text) if after == -1 else after
        text = text[:after].rstrip("\n") + f"\n\n{START}\n{block}\n{END}\n" + text[after:]
    README.write_text(text)


def main() -> int:
    scale = os.environ.get("SCALE") or "full"
    duration = int(os.environ.get("BENCH_DURATION") or 10)
    connections = int(os.environ.get("BENCH_CONNECTIONS") or 8)
    url = os.environ.get("DATABASE_URL") or ""
    postgres = url.startswith("postgresql")
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk (make bench installs it when run as root)")
    sys.path.insert(0, str(ROOT))
    from casting.seed_scale import PRESETS

    if scale not in PRESETS:
        sys.exit(f"SCALE must be one of {', '.join(sorted(PRESETS))}")
    database_url, note = postgres_dataset(url, scale) if postgres else sqlite_dataset(scale)
    load_before = os.getloadavg()
    log = BENCH_DIR / "gunicorn.log"
    log.write_bytes(b"")
    env = _env(database_url, BENCH_DIR)
    hello = Server("hello-world", "tests.benchmarks.load.hello:app", env).start(log)
    app = Server("app", "casting.wsgi:app", env).start(log)  # as deployed (README): the app, then gc.freeze()
    started = datetime.now(timezone.utc)
    try:
        logins = prepare(database_url, app.port)
        print(f"Load: {connections} connections, {duration} s a target, gunicorn {' '.join(GUNICORN_SETTINGS)}",
              flush=True)
        results = [load("hello-world", hello.port, "/", {}, duration, connections)]
        who = {"audit": logins.admin, "admin users": logins.admin, "talent's callbacks": logins.talent}
        for name, path in logins.urls.items():
            if name.startswith("API"):
                headers = {"Authorization": f"Bearer {logins.token}"}
            else:
                headers = {"Cookie": who.get(name, logins.cd)}
            results.append(load(name, app.port, path, headers, duration, connections))
    finally:
        app.stop()
        hello.stop()
        if not postgres:
            for work in BENCH_DIR.glob("run.sqlite3*"):  # the working copy (the cache stays)
                work.unlink()
    load_after = os.getloadavg()
    base = results[0].rps or 1.0
    for r in results[1:]:
        r.ratio = r.rps / base
    sizes = PRESETS[scale]
    engine = "PostgreSQL" if postgres else "SQLite"
    header = (
        f"Load benchmark, {started:%Y-%m-%d %H:%M} UTC: `make bench SCALE={scale}`"
        f"{' DATABASE_URL=postgresql+psycopg://…' if postgres else ''} on {engine} ({note}); data set "
        f"{sizes.talent:,} talent, {sizes.productions:,} productions, {sizes.submissions:,} submissions, "
        f"{sizes.sessions:,} sessions, {sizes.invitations:,} invitations, {sizes.audit:,} audit entries. "
        f"gunicorn `{' '.join(GUNICORN_SETTINGS)}` for both apps; wrk, {connections} connections, {duration} s a "
        f"target. Machine: {os.cpu_count()} cores ({platform.processor() or platform.machine()}), load average "
        f"{load_before[0]:.2f} before and {load_after[0]:.2f} after (1 min). Errors count every response that is "
        f"not 2xx, timeouts and socket errors; targets: no errors"
        f"{'' if postgres else f', at least {TARGET_RATIO:.0%} of hello-world and p95 under {TARGET_P95_MS:.0f} ms'}.")
    block = header + "\n\n" + table(results, postgres)
    print("\n" + block)
    if os.environ.get("BENCH_WRITE_README", "1") != "0":
        write_readme(block, "postgresql" if postgres else "sqlite")
        print(f"\nWritten into {README.relative_to(ROOT)} (Performance).")
    missed = [r.name for r in results[1:] if not meets(r, postgres)]
    if missed:
        print(f"\nTargets missed by {len(missed)} of {len(results) - 1}: {', '.join(missed)}")
        if os.environ.get("BENCH_ENFORCE", "1") != "0":
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
