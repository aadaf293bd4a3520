"""Sessions that end on the server: logout, a password change and disabling an account end every session of the
account; the remember-me cookie is random per sign-in, stored hashed, rotated, and deleted at logout; an idle
session is signed out. Each attack is replayed with a fresh client carrying only the stolen cookie."""
from __future__ import annotations

import time
from datetime import timedelta

import sqlalchemy as sa

from casting.accounts.models import RememberToken
from casting.accounts.sessions import REMEMBER_COOKIE, REMEMBER_DAYS
from casting.audit.models import AuditEntry
from casting.core.auth import hash_token
from casting.core.db import utcnow
from casting.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "a brand new long password"


def sign_in(client, user, *, remember: bool = False, password: str = PASSWORD):
    data = {"email": user.email, "password": password}
    if remember:
        data["remember"] = "y"
    resp = client.post("/login", data=data)
    assert resp.status_code == 302, resp.data
    return resp


def cookie(client, name: str) -> str | None:
    found = client.get_cookie(name)
    return found.value if found is not None else None


def signed_in(client) -> bool:
    """Whether ``client`` reaches a signed-in page (else it is sent to the sign-in page)."""
    resp = client.get("/settings")
    assert resp.status_code in (200, 302)
    return resp.status_code == 200


def client_with(app, **cookies):
    """A new browser carrying only ``cookies`` (what an attacker who copied them has)."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def remember_rows(user) -> list[RememberToken]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(RememberToken).where(RememberToken.user_id == user.id)))


def test_replayed_session_cookie_after_logout_does_not_authenticate(app, client):
    user = make_user("producer")
    db.session.commit()
    sign_in(client, user)
    stolen = cookie(client, "session")
    assert signed_in(client_with(app, session=stolen))  # the copy works while the session lives
    assert client.post("/logout").status_code == 302
    assert not signed_in(client)
    assert not signed_in(client_with(app, session=stolen))


def test_replayed_remember_cookie_after_logout_does_not_authenticate(app, client):
    user = make_user("producer")
    db.session.commit()
    sign_in(client, user, remember=True)
    stolen = cookie(client, REMEMBER_COOKIE)
    assert stolen and [r.token_hash for r in remember_rows(user)] == [hash_token(stolen)]  # stored hashed only
    client.post("/logout")
    assert remember_rows(user) == []  # logout deletes the token on the server
    assert cookie(client, REMEMBER_COOKIE) is None  # and the cookie in the browser
    assert not signed_in(client_with(app, **{REMEMBER_COOKIE: stolen}))


def test_remember_cookie_signs_in_again_and_is_rotated(app, client):
    user = make_user("producer")
    db.session.commit()
    sign_in(client, user, remember=True)
    first = cookie(client, REMEMBER_COOKIE)
    [row] = remember_rows(user)
    expires = row.expires_at
    browser = client_with(app, **{REMEMBER_COOKIE: first})  # the session ended (browser closed), the cookie stayed
    assert signed_in(browser)
    second = cookie(browser, REMEMBER_COOKIE)
    assert second and second != first
    [row] = remember_rows(user)
    assert row.token_hash == hash_token(second) and row.expires_at == expires  # rotation keeps the 30-day end
    assert signed_in(browser)  # now by its new session
    assert not signed_in(client_with(app, **{REMEMBER_COOKIE: first}))  # the used token is dead
    assert signed_in(client_with(app, **{REMEMBER_COOKIE: second}))


def test_remember_cookie_differs_between_logins_and_is_locked_down(app):
    user = make_user("producer")
    db.session.commit()
    values, headers = [], []
    for _ in range(2):
        client = app.test_client()
        resp = sign_in(client, user, remember=True)
        values.append(cookie(client, REMEMBER_COOKIE))
        headers.append(next(h for h in resp.headers.getlist("Set-Cookie") if h.startswith(REMEMBER_COOKIE + "=")))
    assert values[0] != values[1] and len(values[0]) >= 40
    assert len(remember_rows(user)) == 2  # one per browser
    header = headers[0]
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" not in header
    for row in remember_rows(user):
        assert row.expires_at <= utcnow() + timedelta(days=REMEMBER_DAYS)


def test_remember_cookie_is_secure_when_the_session_cookie_is(app, app_config):
    app.config["SESSION_COOKIE_SECURE"] = True
    user = make_user("producer")
    db.session.commit()
    resp = sign_in(app.test_client(), user, remember=True)
    header = next(h for h in resp.headers.getlist("Set-Cookie") if h.startswith(REMEMBER_COOKIE + "="))
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header


def test_expired_remember_token_does_not_authenticate(app, client):
    user = make_user("producer")
    db.session.commit()
    sign_in(client, user, remember=True)
    value = cookie(client, REMEMBER_COOKIE)
    [row] = remember_rows(user)
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert not signed_in(client_with(app, **{REMEMBER_COOKIE: value}))


def test_password_change_on_browser_a_signs_out_browser_b(app):
    user = make_user("producer")
    db.session.commit()
    a, b = app.test_client(), app.test_client()
    sign_in(a, user, remember=True)
    sign_in(b, user, remember=True)
    b_remember = cookie(b, REMEMBER_COOKIE)
    resp = a.post("/settings/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                              "confirm": NEW_PASSWORD})
    assert resp.status_code == 302
    assert signed_in(a)  # the browser that changed it stays signed in...
    assert not signed_in(b)  # ...every other one is out
    assert not signed_in(client_with(app, **{REMEMBER_COOKIE: b_remember}))
    # A stays remembered: its token was replaced, B's is gone.
    assert [r.token_hash for r in remember_rows(user)] == [hash_token(cookie(a, REMEMBER_COOKIE))]
    assert signed_in(client_with(app, **{REMEMBER_COOKIE: cookie(a, REMEMBER_COOKIE)}))


def test_logout_ends_every_session_of_the_account(app):
    user = make_user("producer")
    db.session.commit()
    a, b = app.test_client(), app.test_client()
    sign_in(a, user)
    sign_in(b, user)
    a.post("/logout")
    assert not signed_in(b)


def test_admin_disabling_an_account_ends_its_sessions(app, client):
    admin = make_user("admin")
    user = make_user("producer")
    db.session.commit()
    browser = app.test_client()
    sign_in(browser, user, remember=True)
    stolen = cookie(browser, "session")
    login(client, admin)
    assert client.post(f"/admin/users/{user.id}/active", data={"active": "0"}).status_code == 302
    assert not signed_in(browser)
    assert remember_rows(user) == []
    assert browser.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 401
    assert client.post(f"/admin/users/{user.id}/active", data={"active": "1"}).status_code == 302
    assert not signed_in(client_with(app, session=stolen))  # enabling again revives no old session
    sign_in(browser, user)
    assert signed_in(browser)
    actions = list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("user.%abled"))))
    assert actions == ["user.disabled", "user.enabled"]


def test_an_admin_cannot_disable_themselves_and_others_cannot_disable_anyone(app, client):
    admin = make_user("admin")
    user = make_user("producer")
    db.session.commit()
    login(client, admin)
    assert client.post(f"/admin/users/{admin.id}/active", data={"active": "0"}).status_code == 403
    login(client, user)
    assert client.post(f"/admin/users/{admin.id}/active", data={"active": "0"}).status_code == 403
    db.session.expire_all()
    assert admin.active and user.active


def test_idle_session_is_signed_out(app, client, app_config):
    app.config["CASTING_IDLE_MINUTES"] = 30
    user = make_user("producer")
    db.session.commit()
    sign_in(client, user)
    with client.session_transaction() as sess:
        sess["_seen"] = int(time.time()) - 29 * 60
    assert signed_in(client)  # used within the limit: still in, and the clock restarts
    with client.session_transaction() as sess:
        assert sess["_seen"] >= int(time.time()) - 5
        sess["_seen"] = int(time.time()) - 31 * 60
    assert not signed_in(client)
    with client.session_transaction() as sess:
        assert "_user_id" not in sess


def test_idle_timeout_defaults_to_eight_hours(app):
    assert app.config["CASTING_IDLE_MINUTES"] == 480


def test_a_session_without_a_generation_authenticates_nobody(app, client):
    user = make_user("producer")
    db.session.commit()
    with client.session_transaction() as sess:  # the shape of a session signed before generations existed
        sess["_user_id"] = str(user.id)
        sess["_seen"] = int(time.time())
    assert not signed_in(client)


def test_creating_an_api_token_needs_the_password_and_the_second_factor(client, app):
    import pyotp

    from casting.accounts import mfa
    from casting.accounts.models import ApiToken

    user = make_user("producer")
    db.session.commit()
    login(client, user)
    refused = client.post("/settings", data={"name": "ci", "password": "not my password"})
    assert refused.status_code == 422 and b"That is not your password" in refused.data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0
    made = client.post("/settings", data={"name": "ci", "password": PASSWORD})
    assert made.status_code == 200 and b"shown only once" in made.data
    secret = mfa.new_secret()
    mfa.confirm_enrolment(user, secret, pyotp.TOTP(secret).now())
    db.session.commit()
    no_code = client.post("/settings", data={"name": "ci2", "password": PASSWORD, "code": ""})
    assert no_code.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 1
