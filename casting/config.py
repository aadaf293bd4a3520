"""Configuration defaults. ``instance/config.py`` overrides them, and environment variables override both."""
from __future__ import annotations

import json
import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# The folder holding templates/, static/ and migrations/. A wheel carries copies of them inside the package
# (see setup.py); in a checkout (an editable install included) they are at the repository root.
INSTALLED = (PACKAGE / "templates").is_dir()
ROOT = PACKAGE if INSTALLED else PACKAGE.parent
# The instance folder (instance/config.py, the default SQLite database, the outbox): CALLBACK_INSTANCE_PATH if set;
# otherwise instance/ at the repository root in a checkout, and ./instance (in the working directory) when installed,
# never inside site-packages.
INSTANCE = Path(
    os.environ.get("CALLBACK_INSTANCE_PATH") or (Path.cwd() / "instance" if INSTALLED else ROOT / "instance")
).resolve()


class ConfigError(RuntimeError):
    """A setting is missing or invalid: the app refuses to start, saying which and why."""


class Defaults:
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE / 'callback.sqlite3'}"
    # pool_pre_ping is added for database servers (core/database.py engine_defaults), not for SQLite.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # A submission carries a headshot (5 MB) and a resume (10 MB) in one request.
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    # A signed-in session unused for longer than this many minutes is signed out (casting/accounts/sessions.py).
    CASTING_IDLE_MINUTES = 480
    # Email: .eml files in instance/outbox unless MAIL_SERVER is set.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "Callback <no-reply@callback.local>"
    MAIL_OUTBOX_DIR = str(INSTANCE / "outbox")
    # Mail that could not be sent after its change was saved, kept for `flask --app casting mail retry`.
    MAIL_SPOOL_DIR = str(INSTANCE / "mail-spool")
    # Public address used in letters, QR codes and emailed links.
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    # Checklist settings (DESIGN.md): business hours per weekday (0=Monday) and notice.
    CASTING_BUSINESS_HOURS = "Mon-Sat 08:00-20:00"
    CASTING_MIN_NOTICE_HOURS = 48
    # Check-in opens this many hours before a talent's slot and closes at the session's end (0 to 24).
    CASTING_CHECKIN_OPENS_HOURS = 2
    # Longer sides need longer notice, counted over working days (casting/callbacks/rules.py): "PAGES:HOURS" tiers.
    CASTING_SIDES_NOTICE = "3:72, 6:96"
    CASTING_WORKING_DAYS = "Mon-Fri"
    # The installation's document-signing key and certificate (one PEM file, key first; the chain may follow).
    # Unset: instance/signing.pem, created at first use with a self-signed certificate (casting/documents/pades.py).
    CASTING_SIGNING_PEM: str | None = None
    # Recording releases promise deletion this many days after the callback.
    RECORDING_RETENTION_DAYS = 90
    # argon2id parameters (argon2-cffi defaults: RFC 9106 low-memory profile, above OWASP ASVS 5).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_LOGIN = "10 per minute"
    RATELIMIT_VERIFY = "30 per minute"
    # The second-factor step of signing in, per account being signed in.
    RATELIMIT_MFA = "5 per minute"
    # Kinds of account that must set up a second factor before anything else (comma-separated).
    CASTING_MFA_REQUIRED_ROLES = "admin"
    # Resending the email verification link, per account.
    RATELIMIT_VERIFY_EMAIL = "3 per hour"
    RATELIMIT_HEADERS_ENABLED = True
    # Failed sign-ins per account (casting/accounts/throttle.py), counted in RATELIMIT_STORAGE_URI: after LIMIT within
    # WINDOW, sign-ins to that account wait DELAY seconds, doubling after each further failure, at most WINDOW.
    CASTING_LOGIN_FAILURE_LIMIT = 10
    CASTING_LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
    CASTING_LOGIN_FAILURE_DELAY_SECONDS = 60
    # Proxies in front of the app whose X-Forwarded-For / X-Forwarded-Proto are believed (0: the client connects
    # directly, and those headers are ignored).
    CASTING_TRUSTED_PROXIES = 0
    # Background jobs (casting/jobs): where the queue lives. sqlite:///<path> (the embedded default, no service to
    # run) or redis://host:port/db in production. CASTING_JOBS_IMMEDIATE runs each job in-process as soon as it is
    # enqueued (tests); CASTING_JOBS_WORKERS is the worker processes `flask worker` starts (0: one per core).
    CASTING_JOBS_URL = f"sqlite:///{INSTANCE / 'jobs.sqlite3'}"
    # The queue's name in that storage (installations sharing one Redis use different names).
    CASTING_JOBS_NAME = "callback"
    CASTING_JOBS_IMMEDIATE = False
    CASTING_JOBS_WORKERS = 0
    # A job is tried this many more times after a failure, waiting this many seconds between tries.
    CASTING_JOBS_RETRIES = 3
    CASTING_JOBS_RETRY_DELAY = 10
    # Safety (casting/safety): the installation's country, whose national company registry talent are sent to
    # (its own search for the company's registered name, never a link a production supplied), and the channels
    # the safety page lists for reporting fraud, by country. instance/config.py may replace either.
    CASTING_COUNTRY = "GB"
    CASTING_COMPANY_REGISTRIES = {
        "GB": {"name": "Companies House",
               "search_url": "https://find-and-update.company-information.service.gov.uk/search/companies?q={query}"},
    }
    CASTING_REPORT_CHANNELS = [
        {"country": "GB", "region": "England, Wales and Northern Ireland", "name": "Action Fraud",
         "url": "https://www.actionfraud.police.uk/",
         "what": "the national centre for reporting fraud, including fake castings that ask for money"},
        {"country": "GB", "region": "Scotland", "name": "Police Scotland (call 101)",
         "url": "https://www.scotland.police.uk/",
         "what": "fraud in Scotland is reported to the police directly"},
        {"country": "US", "region": "United States", "name": "ReportFraud.ftc.gov",
         "url": "https://reportfraud.ftc.gov/", "what": "the Federal Trade Commission's fraud reporting service"},
    ]
    # Reports of a concern per client address (the form and POST /api/v1/reports share it).
    RATELIMIT_REPORT = "10 per hour"
    # Messages written and shares started per account (the page and the API share each budget).
    RATELIMIT_MESSAGES = "60 per hour"
    RATELIMIT_SHARES = "10 per hour"


ENV_KEYS = {
    "SECRET_KEY": str, "DATABASE_URL": str, "MAIL_SERVER": str, "MAIL_PORT": int, "MAIL_USE_TLS": bool,
    "MAIL_USE_SSL": bool, "MAIL_USERNAME": str, "MAIL_PASSWORD": str, "MAIL_DEFAULT_SENDER": str,
    "MAIL_OUTBOX_DIR": str, "MAIL_SPOOL_DIR": str, "PUBLIC_BASE_URL": str, "CASTING_BUSINESS_HOURS": str,
    "CASTING_MIN_NOTICE_HOURS": int, "CASTING_CHECKIN_OPENS_HOURS": int, "CASTING_SIDES_NOTICE": str,
    "CASTING_SIGNING_PEM": str, "CASTING_WORKING_DAYS": str,
    "CASTING_MFA_REQUIRED_ROLES": str, "CASTING_IDLE_MINUTES": int,
    "RATELIMIT_STORAGE_URI": str, "SERVER_NAME": str,
    "SESSION_COOKIE_SECURE": bool, "REMEMBER_COOKIE_SECURE": bool,
    "CASTING_LOGIN_FAILURE_LIMIT": int, "CASTING_LOGIN_FAILURE_WINDOW_SECONDS": int,
    "CASTING_LOGIN_FAILURE_DELAY_SECONDS": int, "CASTING_TRUSTED_PROXIES": int,
    "CASTING_JOBS_URL": str, "CASTING_JOBS_NAME": str, "CASTING_JOBS_IMMEDIATE": bool, "CASTING_JOBS_WORKERS": int,
    "CASTING_JOBS_RETRIES": int, "CASTING_JOBS_RETRY_DELAY": int, "CASTING_COUNTRY": str, "RATELIMIT_REPORT": str, "RATELIMIT_MESSAGES": str, "RATELIMIT_SHARES": str,
}


def _cast(kind, raw: str):
    if kind is bool:
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if kind is int:
        return int(raw)
    return raw


def from_environment() -> dict:
    """Settings given as environment variables (``DATABASE_URL`` becomes the SQLAlchemy URI)."""
    out = {}
    for key, kind in ENV_KEYS.items():
        raw = os.environ.get(key)
        if raw is None or raw == "":
            continue
        try:
            value = _cast(kind, raw)
        except ValueError:
            raise ConfigError(f"Invalid {key} environment variable: {raw!r} is not a whole number.") from None
        if key == "DATABASE_URL":
            if value.startswith("postgres://"):
                value = "postgresql://" + value[len("postgres://"):]
            if value.startswith("postgresql://"):
                value = "postgresql+psycopg://" + value[len("postgresql://"):]
            out["SQLALCHEMY_DATABASE_URI"] = value
        else:
            out[key] = value
    extra = os.environ.get("CALLBACK_CONFIG_JSON")
    if extra:
        out.update(json.loads(extra))
    return out
