"""Signing in checks the password (argon2, slow on purpose) with no transaction open: a burst of sign-ins never
holds the write lock that every other writer waits for. The outcome is still written and audited, and a password
changed while it was being checked counts as a failure."""
from __future__ import annotations

import sqlalchemy as sa

from casting.accounts import services
from casting.audit.models import AuditEntry
from casting.extensions import db
from tests.factories import PASSWORD, make_user


class _Watching:
    """The real hasher, noting whether the session had a transaction open at each verify."""

    def __init__(self, real, on_verify=None):
        self.real, self.open_during_verify, self.on_verify = real, [], on_verify

    def verify(self, stored, password):
        self.open_during_verify.append(db.session().in_transaction())
        if self.on_verify:
            self.on_verify()
        return self.real.verify(stored, password)

    def __getattr__(self, name):
        return getattr(self.real, name)


def _actions():
    db.session.expire_all()
    return [a for (a,) in db.session.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id))]


def test_the_password_is_checked_with_no_transaction_open(app, client, monkeypatch):
    user = make_user("casting_director", email="cass@example.com")
    db.session.commit()
    real = services._hasher()
    watching = _Watching(real)
    monkeypatch.setattr(services, "_hasher", lambda: watching)
    resp = client.post("/login", data={"email": "cass@example.com", "password": PASSWORD})
    assert resp.status_code == 302
    bad = client.post("/login", data={"email": "cass@example.com", "password": "not the password"})
    nobody = client.post("/login", data={"email": "nobody@example.com", "password": "whatever it is"})
    assert bad.status_code == nobody.status_code == 401
    assert watching.open_during_verify == [False, False, False]
    assert _actions()[-3:] == ["auth.login", "auth.login_failed", "auth.login_failed"]
    assert db.session.get(type(user), user.id).last_login_at is not None


def test_a_password_changed_while_it_is_checked_fails_the_sign_in(app, client, monkeypatch):
    user = make_user("talent", email="tara@example.com")
    db.session.commit()
    uid = user.id

    def change_it_meanwhile():
        # Another request resets the password between the read and the write.
        with app.app_context():
            other = db.session.get(type(user), uid)
            other.password_hash = services.hash_password("a brand new passphrase 42")
            db.session.commit()

    watching = _Watching(services._hasher(), on_verify=change_it_meanwhile)
    monkeypatch.setattr(services, "_hasher", lambda: watching)
    resp = client.post("/login", data={"email": "tara@example.com", "password": PASSWORD})
    assert resp.status_code == 401
    assert _actions()[-1] == "auth.login_failed"
    monkeypatch.undo()
    again = client.post("/login", data={"email": "tara@example.com", "password": "a brand new passphrase 42"})
    assert again.status_code == 302
