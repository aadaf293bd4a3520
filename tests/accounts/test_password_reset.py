"""Password reset, change and set-password links: no enumeration, one-time hashed links that expire and die on
any password change, other sessions ended, every step audited, the account told by email."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from casting.accounts import passwords, services
from casting.accounts.models import PasswordToken, User
from casting.audit.models import AuditEntry
from casting.core.auth import hash_token
from casting.core.db import utcnow
from casting.core.errors import Forbidden
from casting.extensions import db
from tests.accounts.test_sessions import NEW_PASSWORD, signed_in
from tests.conftest import auth, count, login, read_outbox
from tests.factories import PASSWORD, make_user


def actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def body(mail) -> str:
    return mail.get_body(("plain",)).get_content()


def link_in(mail) -> str:
    return re.search(r"http://callback\.test(/reset-password/\S+)", body(mail)).group(1)


def choose(client, path: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return client.post(path, data={"password": password, "confirm": confirm or password})


def _page(resp, email: str) -> str:
    """The page without the address the visitor typed (echoed back to them)."""
    return resp.get_data(as_text=True).replace(email, "")


def test_reset_request_answers_the_same_whether_or_not_the_account_exists(app, client, outbox):
    make_user("producer", email="known@example.com")
    db.session.commit()
    known = client.post("/reset-password", data={"email": "Known@Example.com"})
    unknown = client.post("/reset-password", data={"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert _page(known, "Known@Example.com") == _page(unknown, "nobody@example.com")
    [mail] = read_outbox(outbox)
    assert mail["To"] == "known@example.com" and "60 minutes" in body(mail)
    assert actions()[-2:] == ["auth.password_reset_requested", "auth.password_reset_requested"]
    assert client.get("/reset-password").status_code == 200
    assert client.post("/reset-password", data={"email": "not an email"}).status_code == 422


def test_reset_link_sets_the_password_once_ends_sessions_and_tells_the_account(app, client, outbox):
    user = make_user("producer", email="p@example.com")
    db.session.commit()
    elsewhere = app.test_client()
    login(elsewhere, user)
    client.post("/reset-password", data={"email": "p@example.com"})
    path = link_in(read_outbox(outbox)[-1])
    token = path.rsplit("/", 1)[1]
    [row] = db.session.scalars(sa.select(PasswordToken))
    assert row.token_hash == hash_token(token) and token not in row.token_hash  # only the hash is stored
    assert row.expires_at <= utcnow() + timedelta(hours=1)
    page = client.get(path)
    assert page.status_code == 200 and b"p@example.com" in page.data
    assert choose(client, path, NEW_PASSWORD, "something else entirely").status_code == 422
    assert choose(client, path, "short").status_code == 422  # check_password_strength decides
    done = choose(client, path)
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")  # a reset sends to sign in
    assert not signed_in(elsewhere)
    assert client.get(path).status_code == 404 and choose(client, path).status_code == 404  # used: dead
    assert client.post("/login", data={"email": "p@example.com", "password": PASSWORD}).status_code == 401
    assert client.post("/login", data={"email": "p@example.com", "password": NEW_PASSWORD}).status_code == 302
    notice = read_outbox(outbox)[-1]
    assert notice["Subject"] == "Your Callback password was changed" and notice["To"] == "p@example.com"
    assert "user.password_reset" in actions()


def test_reset_link_expires_after_an_hour(app, client, outbox):
    make_user("producer", email="p@example.com")
    db.session.commit()
    client.post("/reset-password", data={"email": "p@example.com"})
    path = link_in(read_outbox(outbox)[-1])
    row = db.session.scalar(sa.select(PasswordToken))
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(path).status_code == 404
    assert choose(client, path).status_code == 404


def test_reset_link_dies_on_a_password_change_and_on_a_newer_link(app, client, outbox):
    user = make_user("producer", email="p@example.com")
    db.session.commit()
    client.post("/reset-password", data={"email": "p@example.com"})
    first = link_in(read_outbox(outbox)[-1])
    client.post("/reset-password", data={"email": "p@example.com"})
    second = link_in(read_outbox(outbox)[-1])
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    login(client, user)
    client.post("/settings/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                            "confirm": NEW_PASSWORD})
    assert client.get(second).status_code == 404
    assert count(PasswordToken) == 0


def test_no_reset_link_for_a_disabled_account(app, client, outbox):
    user = make_user("producer", email="p@example.com")
    user.active = False
    db.session.commit()
    assert client.post("/reset-password", data={"email": "p@example.com"}).status_code == 200
    assert read_outbox(outbox) == []


def test_change_password_needs_the_current_one(app, client, outbox):
    user = make_user("producer")
    db.session.commit()
    login(client, user)
    before = user.password_hash
    wrong = client.post("/settings/password", data={"current_password": "not my password", "password": NEW_PASSWORD,
                                                    "confirm": NEW_PASSWORD})
    assert wrong.status_code == 422 and b"not your current password" in wrong.data
    weak = client.post("/settings/password", data={"current_password": PASSWORD, "password": "short",
                                                   "confirm": "short"})
    assert weak.status_code == 422
    db.session.expire_all()
    assert user.password_hash == before and read_outbox(outbox) == []
    assert actions()[-2:] == ["blocked.validation_error", "blocked.validation_error"]
    ok = client.post("/settings/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                                 "confirm": NEW_PASSWORD})
    assert ok.status_code == 302 and signed_in(client)
    assert services.password_matches(db.session.get(User, user.id), NEW_PASSWORD)
    [notice] = read_outbox(outbox)
    assert "was changed" in notice["Subject"]
    assert "user.password_changed" in actions()


def test_settings_shows_the_change_form(app, client):
    login(client, make_user("talent"))
    page = client.get("/settings").get_data(as_text=True)
    for name in ("current_password", "password", "confirm"):
        assert f'name="{name}"' in page
    assert 'action="/settings/password"' in page


def test_admin_created_user_without_password_gets_a_set_password_link(app, client, outbox):
    admin = make_user("admin")
    db.session.commit()
    login(client, admin)
    resp = client.post("/admin/users", data={"name": "Rita Reader", "email": "rita@example.com", "role": "producer"})
    assert resp.status_code == 302
    [mail] = read_outbox(outbox)
    assert mail["To"] == "rita@example.com" and "choose a password" in mail["Subject"]
    assert "7 days" in body(mail) and admin.name in body(mail)
    row = db.session.scalar(sa.select(PasswordToken))
    assert row.purpose == "set_password" and row.expires_at > utcnow() + timedelta(days=6)
    path = link_in(mail)
    browser = app.test_client()
    assert b"Choose your password" in browser.get(path).data
    assert choose(browser, path).status_code == 302
    assert browser.post("/login", data={"email": "rita@example.com", "password": NEW_PASSWORD}).status_code == 302
    assert browser.get(path).status_code == 404
    assert len(read_outbox(outbox)) == 1  # choosing the first password sends no "changed" notice
    assert "user.password_set" in actions()


def test_api_created_user_without_password_gets_a_link_and_with_one_does_not(app, client, outbox):
    admin = make_user("admin")
    db.session.commit()
    headers = auth(admin)
    assert client.post("/api/v1/users", json={"email": "a@example.com", "name": "A", "role": "talent"},
                       headers=headers).status_code == 201
    assert client.post("/api/v1/users", json={"email": "b@example.com", "name": "B", "role": "producer",
                                              "password": "a long enough password"}, headers=headers).status_code == 201
    assert [m["To"] for m in read_outbox(outbox)] == ["a@example.com"]


def test_cli_created_user_gets_no_link(runner, outbox):
    result = runner.invoke(args=["users", "create", "--email", "c@example.com", "--name", "C", "--role", "producer"])
    assert result.exit_code == 0, result.output
    assert read_outbox(outbox) == [] and count(PasswordToken) == 0


def test_change_password_service_refuses_someone_else(app):
    user, other = make_user("producer"), make_user("admin")
    with pytest.raises(Forbidden):
        passwords.change_password(user, PASSWORD, NEW_PASSWORD, actor=other)
