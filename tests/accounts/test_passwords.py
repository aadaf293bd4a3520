"""Passwords (NIST SP 800-63B): 8 to 256 characters, not one of the 10,000 most common, not built from the account's
email or name; checked wherever a password is chosen; hashes follow the argon2 settings at sign-in."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from argon2 import extract_parameters

from casting.accounts import services
from casting.accounts.models import User
from casting.audit.models import AuditEntry
from casting.core.errors import ValidationError
from casting.extensions import db
from casting.seed import PASSWORD as DEMO_PASSWORD
from casting.seed import USERS as DEMO_USERS
from tests.conftest import auth, count, read_outbox
from tests.factories import PASSWORD, make_user


def refusal(password: str, **who) -> str | None:
    try:
        services.check_password_strength(password, **who)
    except ValidationError as exc:
        return " ".join(exc.fields["password"])
    return None


def test_length_is_8_to_256_characters():
    assert refusal("seven77") == "Use at least 8 characters."
    assert refusal(None) == "Use at least 8 characters."
    assert refusal("plum tea") is None
    assert refusal("x" * 127 + "y") is None  # 128 and more are welcome
    assert refusal("xy" * 128) is None
    assert refusal("x" * 257) == "Use at most 256 characters."
    assert services.MIN_PASSWORD == 8 and services.USER_LIMITS["password"] >= 128


def test_the_10000_most_common_passwords_are_refused_whatever_their_case():
    common = services.common_passwords()
    assert len(common) == 10_000 and common is services.common_passwords()  # read once
    assert {"password1", "iloveyou", "qwertyuiop", "letmein123"} <= common
    for password in ("password1", "IloveYou", "QWERTYUIOP", "LetMeIn123"):
        assert "one of the most common passwords" in refusal(password)
    assert refusal(PASSWORD) is None and refusal(DEMO_PASSWORD) is None


def test_the_email_local_part_and_name_words_are_refused():
    assert refusal("my ROSALIND password", email="rosalind@example.com") == (
        "Do not use your email address (the part before the @) in your password.")
    assert refusal("kitchen-Okafor-77", name="Chidi Okafor") == "Do not use your name in your password."
    assert refusal("kitchen-chidi-77", name="Chidi Okafor") == "Do not use your name in your password."
    # Short email local parts and name words (under 3 characters) are not looked for.
    assert refusal("jo's garden path", email="jo@example.com", name="Jo Xu") is None
    assert refusal("rosalind garden", name="Ros Lin") == "Do not use your name in your password."
    # Without email or name (a caller that knows neither) only length and the list apply.
    assert refusal("rosalind okafor") is None


def test_the_demo_password_suits_every_demo_account():
    for email, name, *_ in DEMO_USERS:
        assert refusal(DEMO_PASSWORD, email=email, name=name) is None


def test_create_user_and_set_password_check_the_account_email_and_name(app):
    with pytest.raises(ValidationError) as exc:
        services.create_user("marguerite@example.com", "Marguerite Dupont", "producer", "marguerite rocks 1")
    assert "email address" in exc.value.fields["password"][0]
    with pytest.raises(ValidationError) as exc:
        services.create_user("md@example.com", "Marguerite Dupont", "producer", "DUPONT and sons")
    assert exc.value.fields["password"] == ["Do not use your name in your password."]
    assert count(User) == 0
    user = make_user("producer", email="bruno@example.com", name="Bruno Keller")
    with pytest.raises(ValidationError):
        services.set_password(user, "keller keller keller")
    with pytest.raises(ValidationError):
        services.set_password(user, "football")
    services.set_password(user, "quiet harbour lantern")
    assert services.authenticate("bruno@example.com", "quiet harbour lantern") == user


def test_register_page_says_why_a_password_is_refused(client, app):
    def register(password):
        return client.post("/register", data={"name": "Ada Obi", "email": "ada.obi@example.com",
                                              "password": password, "confirm": password})

    page = register("Sunshine1")
    assert page.status_code == 422 and b"one of the most common passwords" in page.data
    page = register("ada.obi rules!")
    assert page.status_code == 422 and b"Do not use your email address" in page.data
    page = register("dear obi family")
    assert page.status_code == 422 and b"Do not use your name" in page.data
    page = register("seven77")
    assert page.status_code == 422 and b"Use 8 to 256 characters." in page.data
    assert count(User) == 0
    assert b"Very common passwords and ones containing your name or email address are refused" in \
        client.get("/register").data
    assert register("tin roof rusted").status_code == 200 and count(User) == 1  # "check your email"


def test_claiming_a_profile_refuses_the_profile_name(client, app, outbox):
    cd = make_user("casting_director")
    db.session.commit()
    resp = client.post("/api/v1/talent", headers=auth(cd), json={
        "legal_name": "Noor Haddad", "email": "noor@example.com", "date_of_birth": "1995-04-02"})
    assert resp.status_code == 201, resp.get_json()
    body = read_outbox(outbox)[-1].get_body(("plain",)).get_content()
    link = re.search(r"http://callback\.test(/claim/\S+)", body).group(1)
    page = client.post(link, data={"password": "haddad family 1", "confirm": "haddad family 1"})
    assert page.status_code == 422 and b"Do not use your name" in page.data and count(User) == 1
    page = client.post(link, data={"password": "iloveyou", "confirm": "iloveyou"})
    assert page.status_code == 422 and b"one of the most common passwords" in page.data and count(User) == 1
    assert client.post(link, data={"password": "orange kite day", "confirm": "orange kite day"}).status_code == 302
    assert count(User) == 2


def test_the_api_and_the_cli_refuse_a_weak_password(client, app, runner):
    admin = make_user("admin")
    db.session.commit()
    resp = client.post("/api/v1/users", headers=auth(admin), json={
        "email": "pat@example.com", "name": "Pat Rowe", "role": "producer", "password": "qwertyuiop"})
    assert resp.status_code == 422
    assert "one of the most common passwords" in resp.get_json()["error"]["details"]["fields"]["password"][0]
    result = runner.invoke(args=["users", "create", "--email", "pat@example.com", "--name", "Pat Rowe",
                                 "--role", "producer", "--password", "rowe is here"])
    assert result.exit_code != 0 and "Do not use your name in your password" in result.output
    assert count(User) == 1
    result = runner.invoke(args=["users", "create", "--email", "pat@example.com", "--name", "Pat Rowe",
                                 "--role", "producer", "--password", "velvet pebble"])
    assert result.exit_code == 0, result.output


def test_sign_in_rehashes_when_the_argon2_settings_change(client, app):
    user = make_user("producer", email="re@example.com")
    db.session.commit()
    old = user.password_hash
    assert extract_parameters(old).time_cost == app.config["ARGON2_TIME_COST"] == 1
    app.config["ARGON2_TIME_COST"] = 2
    assert client.post("/login", data={"email": "re@example.com", "password": PASSWORD}).status_code == 302
    db.session.expire_all()
    new = db.session.get(User, user.id).password_hash
    assert new != old and extract_parameters(new).time_cost == 2
    # The new hash still opens the account, and is kept as it is.
    client.post("/logout")
    assert client.post("/login", data={"email": "re@example.com", "password": PASSWORD}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash == new
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions.count("auth.login") == 2
