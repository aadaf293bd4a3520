"""A second factor: TOTP enrolment with re-authentication, the second sign-in step, recovery codes,
replay refused, required for admins (issue 12, item 4)."""
from __future__ import annotations

import re

import pyotp
import pytest
import sqlalchemy as sa

from casting.accounts import mfa
from casting.accounts.models import RecoveryCode, User
from casting.audit.models import AuditEntry
from casting.core.db import utcnow
from casting.core.errors import ValidationError
from casting.extensions import db, limiter
from tests.conftest import auth, login
from tests.factories import PASSWORD, make_user


def _enrolled(role: str = "producer", email: str = "mfa@example.com") -> tuple[User, str, list[str]]:
    user = make_user(role, email=email)
    secret = mfa.new_secret()
    codes = mfa.confirm_enrolment(user, secret, pyotp.TOTP(secret).now())
    user.mfa_last_step = None  # a fresh sign-in may use the current code
    db.session.commit()
    return user, secret, codes


def _actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_enrolment_needs_a_matching_code_and_gives_ten_hashed_recovery_codes(app):
    user = make_user("producer")
    secret = mfa.new_secret()
    with pytest.raises(ValidationError):
        mfa.confirm_enrolment(user, secret, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    assert not user.mfa_enabled
    codes = mfa.confirm_enrolment(user, secret, pyotp.TOTP(secret).now())
    assert user.mfa_enabled and len(codes) == 10 and len(set(codes)) == 10
    stored = db.session.scalars(sa.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and not any(c.replace("-", "") in stored for c in codes)


def test_a_code_is_good_once_and_a_recovery_code_once(app):
    user, secret, codes = _enrolled()
    code = pyotp.TOTP(secret).now()
    assert mfa.check(user, code) is True
    assert mfa.check(user, code) is False  # replayed
    assert mfa.check(user, codes[0]) is True
    assert mfa.check(user, codes[0]) is False
    assert mfa.check(user, codes[1].upper().replace("-", " ")) is True  # typed loosely
    assert mfa.recovery_codes_left(user) == 8
    assert _actions().count("auth.mfa_failed") == 2


def test_sign_in_takes_a_second_step_with_a_code(client, app):
    user, secret, _ = _enrolled()
    resp = client.post("/login?next=%2Fvenues", data={"email": user.email, "password": PASSWORD})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/login/mfa")
    assert client.get("/venues").status_code == 302  # not signed in yet
    bad = client.post("/login/mfa", data={"code": "12345x"})
    assert bad.status_code == 401 and b"does not match" in bad.data
    good = client.post("/login/mfa", data={"code": pyotp.TOTP(secret).now()})
    assert good.status_code == 302 and good.headers["Location"] == "/venues"
    assert client.get("/venues").status_code == 200
    assert client.get("/api/v1/me", headers=auth(user)).get_json()["mfa_enabled"] is True


def test_the_second_step_without_a_password_first_goes_back_to_sign_in(client, app):
    resp = client.post("/login/mfa", data={"code": "123456"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/login")


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "RATELIMIT_MFA": "3 per minute"}])
def test_the_code_step_is_rate_limited(client, app):
    limiter.reset()
    user, _, _ = _enrolled()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    codes = [client.post("/login/mfa", data={"code": "000000"}).status_code for _ in range(4)]
    assert codes[:3] == [401, 401, 401] and codes[3] == 429
    limiter.reset()


@pytest.mark.parametrize("app_config", [{"CASTING_MFA_REQUIRED_ROLES": "admin"}])
def test_an_admin_sets_up_a_second_factor_before_anything_else(client, app):
    admin = make_user("admin")
    db.session.commit()
    login(client, admin)
    resp = client.get("/admin/users")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/settings/mfa")
    page = client.get("/settings/mfa").get_data(as_text=True)
    assert "<svg" in page
    secret = re.search(r'id="mfa-secret">(\w+)<', page).group(1)
    wrong_password = client.post("/settings/mfa", data={"code": pyotp.TOTP(secret).now(), "password": "not it"})
    assert wrong_password.status_code == 422 and not _user(admin.id).mfa_enabled
    done = client.post("/settings/mfa", data={"code": pyotp.TOTP(secret).now(), "password": PASSWORD})
    assert done.status_code == 200 and 'id="recovery-codes"' in done.get_data(as_text=True)
    assert _user(admin.id).mfa_enabled and "user.mfa_enabled" in _actions()
    assert client.get("/admin/users").status_code == 200


@pytest.mark.parametrize("app_config", [{"CASTING_MFA_REQUIRED_ROLES": "admin"}])
def test_other_kinds_of_account_may_go_without(client, app):
    producer = make_user("producer")
    db.session.commit()
    login(client, producer)
    assert client.get("/productions").status_code == 200


def _user(user_id: int) -> User:
    db.session.expire_all()
    return db.session.get(User, user_id)


def test_the_demo_admins_come_enrolled(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    admin = db.session.scalar(sa.select(User).where(User.email == "admin@example.com"))
    assert admin.mfa_enabled and f"key {admin.mfa_secret}" in result.output
    assert admin.mfa_enabled_at <= utcnow()
