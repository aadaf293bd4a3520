"""Email ownership first: a sign-up proves its address before it sees anything private, and it is
attached to a profile a casting office made only once it does (issue 12, item 1; API.md "Accounts on
the web")."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from casting.accounts import verification
from casting.accounts.models import User
from casting.core.errors import NotFound
from casting.extensions import db, limiter
from casting.talent.models import TalentProfile
from tests.callbacks.factories import make_invitation, make_ready_session
from tests.conftest import auth, count, login, read_outbox
from tests.factories import make_shortlist_entry, make_talent, make_user

GOOD = "a long enough password"
FORM = {"name": "Ada Obi", "email": "ada@example.com", "password": GOOD, "confirm": GOOD}


def _link(outbox, to: str) -> str:
    mail = [m for m in read_outbox(outbox) if to in m["To"]][-1]
    return re.search(r"http://callback\.test(/verify-email/\S+)", mail.get_body().get_content()).group(1)


def _user(email: str) -> User:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def test_sign_up_answers_check_your_email_and_the_link_verifies(client, app, outbox):
    resp = client.post("/register", data=FORM)
    assert resp.status_code == 200 and b"Check your email" in resp.data
    user = _user("ada@example.com")
    assert user is not None and not user.email_verified and user.talent_profile is None
    link = _link(outbox, "ada@example.com")
    assert client.get(link).status_code == 302
    user = _user("ada@example.com")
    assert user.email_verified and user.talent_profile is not None and user.talent_profile.legal_name == "Ada Obi"
    # Opening it again changes nothing.
    verified_at = user.email_verified_at
    client.get(link)
    assert _user("ada@example.com").email_verified_at == verified_at


def test_an_existing_address_gets_the_same_answer_and_its_owner_an_email(client, app, outbox):
    make_user("talent", email="ada@example.com")
    db.session.commit()
    resp = client.post("/register", data=FORM)
    assert resp.status_code == 200 and b"Check your email" in resp.data
    assert b"already exists" not in resp.data
    assert count(User) == 1
    [mail] = [m for m in read_outbox(outbox) if "ada@example.com" in m["To"]]
    assert "already has an account" in mail.get_body().get_content()


def test_a_stranger_signing_up_with_a_profiles_email_gets_nothing_of_it(client, app, outbox):
    # A casting office added Talia and invited her; a stranger signs up with her address.
    session = make_ready_session(scheduled=True)
    profile = make_talent(legal_name="Talia Real")
    profile.email = "talia@example.com"
    make_shortlist_entry(session.roles[0], profile, by=session.lead_casting_director)
    invitation = make_invitation(session, talent=profile)
    db.session.commit()
    client.post("/register", data={**FORM, "email": "talia@example.com", "name": "Stranger"})
    stranger = _user("talia@example.com")
    assert stranger is not None and not stranger.email_verified
    db.session.expire_all()
    assert db.session.get(TalentProfile, profile.id).user_id is None
    login(client, stranger)
    for path in ("/me/callbacks", "/me/documents", "/me/profile", f"/invitations/{invitation.id}/calendar.ics"):
        resp = client.get(path)
        assert resp.status_code == 302 and resp.headers["Location"].endswith("/verify-email"), path
    assert client.post(f"/invitations/{invitation.id}/confirm").status_code in (302, 303, 403)
    db.session.expire_all()
    assert invitation.status == "invited"
    page = client.get("/verify-email")
    assert page.status_code == 200 and b"Send the link again" in page.data
    # Only the mailbox's owner can finish: the link attaches the profile.
    client.get(_link(outbox, "talia@example.com"))
    assert db.session.get(TalentProfile, profile.id).user_id == stranger.id


def test_the_api_answers_an_unverified_account_403_email_unverified_but_me(client, app):
    user = make_user("talent", unverified=True)
    headers = auth(user)
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.get_json()["email_verified"] is False
    resp = client.get("/api/v1/me/invitations", headers=headers)
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "email_unverified"
    assert client.get("/api/v1/verify/NOTACODE", headers=headers).status_code == 404  # public stays public


def test_expired_tampered_foreign_and_outdated_links_are_refused(app, monkeypatch):
    user = make_user("talent", unverified=True)
    token = verification.verification_token(user)
    with pytest.raises(NotFound):
        verification.verify_email(token + "x")
    other_key = URLSafeTimedSerializer("another installation's key", salt="callback.verify-email")
    with pytest.raises(NotFound):
        verification.verify_email(other_key.dumps({"u": user.id, "e": user.email}))
    with monkeypatch.context() as m:
        m.setattr(verification, "VERIFY_EMAIL_HOURS", -1)  # every link is past its time
        with pytest.raises(NotFound):
            verification.verify_email(token)
    user.email = "changed@example.com"
    with pytest.raises(NotFound):
        verification.verify_email(token)
    assert not user.email_verified


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True}])
def test_resending_the_link_is_throttled_per_account(client, app, outbox):
    limiter.reset()
    user = make_user("talent", unverified=True)
    db.session.commit()
    login(client, user)
    codes = [client.post("/verify-email/resend").status_code for _ in range(4)]
    assert codes[:3] == [302, 302, 302] and codes[3] == 429
    assert len([m for m in read_outbox(outbox) if user.email in m["To"]]) == 3
    limiter.reset()


def test_operator_admin_and_claim_links_vouch_for_the_address(runner, app, client):
    result = runner.invoke(args=["users", "create", "--email", "op@example.com", "--name", "Op Made",
                                 "--role", "producer", "--password", GOOD])
    assert result.exit_code == 0 and _user("op@example.com").email_verified
    admin = make_user("admin")
    made = client.post("/api/v1/users", headers=auth(admin),
                       json={"email": "made@example.com", "name": "Made", "role": "producer"})
    assert made.status_code == 201 and made.get_json()["email_verified"] is True
    cd = make_user("casting_director")
    profile = services_create_talent(cd)
    token = _claim_token(app)
    assert client.post(f"/claim/{token}", data={"password": GOOD, "confirm": GOOD}).status_code == 302
    assert _user(profile.email).email_verified


def services_create_talent(cd):
    from casting.talent.services import create_talent

    profile = create_talent(actor=cd, legal_name="Claire Claim", email="claire@example.com")
    db.session.commit()
    return profile


def _claim_token(app) -> str:
    from pathlib import Path

    from tests.conftest import read_outbox as read

    mail = [m for m in read(Path(app.config["MAIL_OUTBOX_DIR"])) if "claire@example.com" in m["To"]][-1]
    return re.search(r"/claim/(\S+)", mail.get_body().get_content()).group(1)
