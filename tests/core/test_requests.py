"""Cross-cutting request behaviour: CSRF on forms, JSON errors for unknown API routes,
refused form submissions audited, uploads over the request limit."""
from __future__ import annotations

import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.extensions import db
from tests.conftest import auth, login
from tests.factories import make_user


def test_forms_need_a_csrf_token(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user("producer")
    db.session.commit()
    login(client, user)
    resp = client.post("/settings", data={"name": "no token"})
    assert resp.status_code == 400
    assert b"Form expired" in resp.data


def test_api_needs_no_csrf_token(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    admin = make_user("admin")
    db.session.commit()
    resp = client.post("/api/v1/users", json={"email": "n@example.com", "name": "N", "role": "producer"},
                       headers=auth(admin))
    assert resp.status_code == 201


def test_unknown_api_route_is_json_404(client):
    resp = client.get("/api/v1/nothing-here")
    assert resp.status_code == 404
    assert resp.get_json()["error"]["code"] == "not_found"


def test_wrong_method_on_api_is_json(client, app):
    user = make_user("producer")
    db.session.commit()
    resp = client.delete("/api/v1/me", headers=auth(user))
    assert resp.status_code == 405
    assert resp.get_json()["error"]["code"] == "method_not_allowed"


def test_refused_form_submission_is_audited_and_changes_nothing(app, client):
    admin = make_user("admin")
    db.session.commit()
    login(client, admin)
    resp = client.post("/admin/users", data={"name": "", "email": "bad", "role": "talent"})
    assert resp.status_code == 422
    last = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.action == "blocked.validation_error" and last.actor_id == admin.id


def test_request_over_the_size_limit_is_413(app, client):
    user = make_user("admin")
    db.session.commit()
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    resp = client.post("/api/v1/users", data=body, headers={**auth(user), "Content-Type": "application/json"})
    assert resp.status_code == 413
    assert resp.get_json()["error"]["code"] == "too_large"

