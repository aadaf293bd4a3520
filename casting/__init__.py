"""Callback: run legitimate casting callbacks safely and on the record."""
from __future__ import annotations

import importlib
import os
import pkgutil
import secrets
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from casting import seed, seed_scale
from casting.callbacks import rules
from casting.documents import pades
from casting.config import INSTANCE, ROOT, Defaults, from_environment
from casting.core import cli as core_cli
from casting.core import (
    database,  # connection settings, BEGIN IMMEDIATE
    handlers,
    nplusone,
    openapi_check,
    ratelimit,
    security,
    templating,
)
from casting.extensions import csrf, db, limiter, login_manager, migrate

# Feature packages, lowest layer first (tests/core/test_layers.py holds the declared order). Each may have
# blueprint modules (views.py, *_views.py, api.py, each defining ``bp``), receivers.py (its signal
# receivers and loaders), openapi.py (its API operations, declared for the description) and cli.py (``register(app)``); a part a feature lacks is skipped.
FEATURES = (
    "jobs", "audit", "accounts", "companies", "productions", "talent", "calls", "callbacks", "documents",
    "decisions", "safety", "public",
)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: defaults, then instance/config.py, then the environment, then ``test_config``."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE),
        instance_relative_config=True,  # so config.from_pyfile reads instance/config.py
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_mapping(from_environment())
    if test_config:
        app.config.from_mapping(test_config)
    _check_secret_key(app)
    rules.init_app(app)  # checklist settings: parsed once, a bad value stops start-up (ConfigError)
    pades.init_app(app)  # the document-signing key, when a setting names it (else created at first use)
    if proxies := app.config["CASTING_TRUSTED_PROXIES"]:  # client address and scheme from X-Forwarded-For/-Proto
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    app.config.setdefault("RATELIMIT_ENABLED", not app.testing or app.config.get("RATELIMIT_IN_TESTS", False))
    database.engine_defaults(app)  # pool_pre_ping for database servers, not SQLite
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    ratelimit.check_only_where_declared(app, limiter)  # the per-request hook only while a non-view limit exists
    import_models()
    nplusone.init_app(app)  # tests: a lazy load per row of a list raises

    for feature in FEATURES:
        _load_feature(app, feature)

    seed.register(app)
    core_cli.register(app)
    seed_scale.register(app)
    handlers.register(app)
    security.register(app)
    openapi_check.register(app)  # with CASTING_CHECK_API_SCHEMAS (tests): every /api/v1 response against its declaration
    templating.register(app)
    return app


def _feature_modules(feature: str) -> list[str]:
    """The names of the modules of a feature package."""
    package = importlib.import_module(f"casting.{feature}")
    return sorted(info.name for info in pkgutil.iter_modules(package.__path__))


def _load_feature(app: Flask, feature: str) -> None:
    """Connect a feature's receivers, register its blueprints and its CLI commands."""
    modules = _feature_modules(feature)
    if "receivers" in modules:
        importlib.import_module(f"casting.{feature}.receivers")
    if "openapi" in modules:  # its /api/v1 operations, declared for the OpenAPI description
        importlib.import_module(f"casting.{feature}.openapi")
    for name in modules:
        if name in ("views", "api") or name.endswith("_views"):
            app.register_blueprint(importlib.import_module(f"casting.{feature}.{name}").bp)
    if "cli" in modules:
        importlib.import_module(f"casting.{feature}.cli").register(app)


def import_models() -> None:
    """Import every model module so metadata (and migrations) see all tables."""
    for name in ("core.blobs", "core.mail", "accounts.models", "talent.models", "companies.models",
                 "productions.models", "calls.models", "callbacks.models", "documents.models", "decisions.models", "audit.models",
                 "jobs.models", "safety.models"):
        importlib.import_module(f"casting.{name}")


def _check_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if app.debug or app.testing or os.environ.get("FLASK_DEBUG") in ("1", "true"):
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        return
    raise RuntimeError(
        "SECRET_KEY is not set. Set the SECRET_KEY environment variable or put SECRET_KEY = '...' in "
        f"{INSTANCE / 'config.py'} (make run writes a random one there on first run)."
    )
