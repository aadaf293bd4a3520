"""Accounts: argon2id passwords, login/logout audit, registration, tokens, the users CLI, credentials."""
from __future__ import annotations

import sqlalchemy as sa

from casting.accounts import services
from casting.accounts.models import ApiToken, User
from casting.audit.models import AuditEntry
from casting.extensions import db
from casting.talent.models import TalentProfile
from tests.conftest import auth, count, login
from tests.factories import PASSWORD, make_user


def actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_passwords_are_hashed_with_argon2id(app):
    user = services.create_user("a@example.com", "A Person", "producer", "a long enough password")
    assert user.password_hash.startswith("$argon2id$")
    assert "a long enough password" not in user.password_hash


def test_cli_creates_talent_with_profile_and_prints_token_last(runner, app):
    result = runner.invoke(args=["users", "create", "--email", "Zoe@Example.com", "--name", "Zoe Quinn",
                                 "--role", "talent", "--password", "a long enough password"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "zoe@example.com"))
    assert user.talent_profile.legal_name == "Zoe Quinn"
    result = runner.invoke(args=["users", "token", "zoe@example.com"])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    client = app.test_client()
    me = client.get("/api/v1/me/talent", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.get_json()["legal_name"] == "Zoe Quinn"
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()["role"] == "talent"


def test_cli_refuses_bad_role_and_duplicate(runner, app):
    assert runner.invoke(args=["users", "create", "--email", "x@example.com", "--name", "X", "--role", "king"]).exit_code != 0
    runner.invoke(args=["users", "create", "--email", "x@example.com", "--name", "X", "--role", "producer"])
    again = runner.invoke(args=["users", "create", "--email", "x@example.com", "--name", "X", "--role", "producer"])
    assert again.exit_code == 1 and "already exists" in again.output
    assert count(User) == 1


def test_cli_token_for_unknown_email_fails(runner):
    result = runner.invoke(args=["users", "token", "nobody@example.com"])
    assert result.exit_code == 1


def test_login_success_and_failure_are_audited(client, app):
    user = make_user("producer", email="p@example.com")
    db.session.commit()
    bad = client.post("/login", data={"email": "p@example.com", "password": "wrong password!!"})
    assert bad.status_code == 401
    assert b"do not match" in bad.data
    good = client.post("/login", data={"email": "P@example.com", "password": PASSWORD})
    assert good.status_code == 302
    assert actions()[-2:] == ["auth.login_failed", "auth.login"]
    client.post("/logout")
    assert actions()[-1] == "auth.logout"
    assert user.id


def test_login_next_is_never_an_open_redirect(client, app):
    make_user("producer", email="p@example.com")
    db.session.commit()
    resp = client.post("/login?next=//evil.example/x", data={"email": "p@example.com", "password": PASSWORD})
    assert resp.status_code == 302
    assert "evil.example" not in resp.headers["Location"]


def test_registration_bad_input_shows_errors_and_creates_nothing(client, app):
    resp = client.post("/register", data={"name": "", "email": "not-an-email", "password": "short", "confirm": "x"})
    assert resp.status_code == 422
    assert b"This field is required" in resp.data
    assert count(User) == 0


def test_api_requires_a_valid_token_and_ignores_cookies(client, app):
    user = make_user("producer")
    db.session.commit()
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me").get_json()["error"]["code"] == "unauthenticated"
    login(client, user)
    assert client.get("/api/v1/me").status_code == 401  # a cookie session does not authenticate the API
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}).status_code == 401
    resp = client.get("/api/v1/me", headers=auth(user))
    assert resp.status_code == 200
    assert resp.get_json() == {"id": user.id, "email": user.email, "name": user.name, "role": "producer",
                               "email_verified": True, "mfa_enabled": False}


def test_revoked_token_stops_working(client, app):
    user = make_user("producer")
    row, token = services.issue_token(user)
    db.session.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    login(client, user)
    assert client.post(f"/settings/tokens/{row.id}/revoke").status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    stored = db.session.get(ApiToken, row.id)
    assert stored.token_hash != token and len(stored.token_hash) == 64


def test_admin_creates_users_over_api(client, app):
    admin = make_user("admin")
    cd = make_user("casting_director")
    db.session.commit()
    resp = client.post("/api/v1/users", json={"email": "new@example.com", "name": "New", "role": "producer"},
                       headers=auth(admin))
    assert resp.status_code == 201 and resp.get_json()["role"] == "producer"
    denied = client.post("/api/v1/users", json={"email": "n2@example.com", "name": "N", "role": "admin"},
                         headers=auth(cd))
    assert denied.status_code == 403
    bad = client.post("/api/v1/users", json={"email": 5, "role": "king"}, headers=auth(admin))
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["details"]["fields"]) == {"email", "name", "role"}
    assert client.post("/api/v1/users", data="nope", headers=auth(admin)).get_json()["error"]["code"] == "bad_request"
    assert actions()[-1] == "blocked.forbidden" or "blocked.forbidden" in actions()


def test_credential_four_eyes(client, app):
    admin = make_user("admin")
    other_admin = make_user("admin")
    cd = make_user("casting_director")
    db.session.commit()
    resp = client.post(f"/api/v1/users/{cd.id}/credential", json={"registry": "CSA", "reference": "M-1"}, headers=auth(cd))
    assert resp.status_code == 200 and resp.get_json()["verified"] is False
    resp = client.post(f"/api/v1/users/{cd.id}/credential/verify", json={"evidence": "CSA directory entry M-1"},
                       headers=auth(cd))
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "four_eyes"
    resp = client.post(f"/api/v1/users/{cd.id}/credential/verify", json={"evidence": "CSA directory entry M-1"},
                       headers=auth(admin))
    assert resp.status_code == 200 and resp.get_json()["verified"] is True
    # An admin who is also the subject can never verify themself.
    services.submit_credential(other_admin, "CSA", "M-2", actor=other_admin) if other_admin.role == "casting_director" else None
    assert client.post(f"/api/v1/users/{admin.id}/credential/verify", json={"evidence": "self check, no"},
                       headers=auth(admin)).get_json()["error"]["code"] == "four_eyes"


def test_secret_key_required_outside_debug(monkeypatch):
    import pytest

    from casting import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"TESTING": False, "SECRET_KEY": None})
