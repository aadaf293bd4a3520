"""Emailed links: templates/email/*.txt with public_url, on PUBLIC_BASE_URL in a request or not."""
from __future__ import annotations

from pathlib import Path

import pytest
from flask import has_request_context

from casting.core.links import public_url
from casting.core.mail import render_body
from casting.extensions import db
from casting.talent import services as talent_services
from tests.conftest import read_outbox
from tests.factories import make_user


def test_public_url_outside_a_request(app):
    assert not has_request_context()
    assert public_url("talent.claim", token="abc_-1") == "http://callback.test/claim/abc_-1"
    assert public_url("decisions.review", production_id=4, _anchor="role-7") == \
        "http://callback.test/productions/4/review#role-7"


def test_public_url_in_a_request_ignores_the_host_the_request_came_to(app):
    with app.test_request_context("/", base_url="http://10.0.0.5:8000"):
        assert public_url("portal.index") == "http://callback.test/me/callbacks"


@pytest.mark.parametrize("base,expected", [
    ("https://casting.example.org/", "https://casting.example.org/verify"),
    ("https://example.org/casting", "https://example.org/casting/verify"),
    ("http://127.0.0.1:5000", "http://127.0.0.1:5000/verify"),
])
def test_public_url_follows_public_base_url(app, base, expected):
    app.config["PUBLIC_BASE_URL"] = base
    assert public_url("documents.verify_page") == expected


def test_email_bodies_are_templates_ending_with_one_newline(app):
    body = render_body("role_cast.txt", talent=type("T", (), {"display_name": "Talia Able"})(),
                       role=type("R", (), {"name": "Maya"})(), production=type("P", (), {"id": 3})())
    assert body == "Talia Able signed the offer: Maya is cast.\nhttp://callback.test/productions/3/board\n"
    emails = Path(app.template_folder) / "email"
    assert {p.name for p in emails.glob("*.txt")} >= {"talent_claim.txt", "callback_invited.txt", "offer_issued.txt",
                                                       "guardian_sign.txt", "document_signed.txt", "released.txt"}


def test_an_email_sent_outside_a_request_links_to_the_public_address(app, outbox):
    cd = make_user("casting_director", name="Cara Director")
    db.session.commit()
    assert not has_request_context()
    talent_services.create_talent(actor=cd, legal_name="Noor Haddad", email="noor@example.com")
    db.session.commit()
    [mail] = read_outbox(outbox)
    body = mail.get_body(("plain",)).get_content()
    assert body.startswith("Hello Noor Haddad,\n\nCara Director added a talent profile for you on Callback, ")
    assert "(the link works once, for 14 days):\nhttp://callback.test/claim/" in body
    assert body.endswith("\n\nNo production using Callback will ever ask you for money.\n")
