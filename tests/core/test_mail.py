"""Email: .eml files by default; real SMTP (a local aiosmtpd server) when MAIL_SERVER is set;
nothing is sent when the transaction rolls back."""
from __future__ import annotations

import socket

import pytest

from casting.core.mail import Attachment, send_mail
from casting.extensions import db
from tests.conftest import read_outbox


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    class Collect:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, handler
    controller.stop()


def test_outbox_gets_an_eml_after_commit_only(app, outbox):
    send_mail("talia@example.com", "Hello", "Body text",
              attachments=[Attachment("a.txt", "text/plain", b"attached")])
    assert read_outbox(outbox) == []  # not before the commit
    db.session.commit()
    [msg] = read_outbox(outbox)
    assert msg["To"] == "talia@example.com" and msg["Subject"] == "Hello"
    assert [p.get_filename() for p in msg.iter_attachments()] == ["a.txt"]


def test_rolled_back_mail_is_never_sent(app, outbox):
    send_mail("talia@example.com", "Never", "This change failed")
    db.session.rollback()
    db.session.commit()
    assert read_outbox(outbox) == []


def test_smtp_delivery_when_configured(app, outbox, smtp_server):
    controller, handler = smtp_server
    app.config.update(MAIL_SERVER=controller.hostname, MAIL_PORT=controller.port)
    send_mail(["a@example.com", "b@example.com"], "Callback confirmed", "See you Tuesday.",
              attachments=[Attachment("invite.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")])
    db.session.commit()
    [envelope] = handler.messages
    assert sorted(envelope.rcpt_tos) == ["a@example.com", "b@example.com"]
    assert b"Subject: Callback confirmed" in envelope.content
    assert b"text/calendar" in envelope.content
    assert read_outbox(outbox) == []


def test_claim_link_email_over_smtp_then_claim(app, client, smtp_server):
    """A casting director adds talent; the one-time link arrives by SMTP and works exactly once."""
    import re

    from casting.talent import services
    from tests.factories import make_user

    controller, handler = smtp_server
    app.config.update(MAIL_SERVER=controller.hostname, MAIL_PORT=controller.port)
    cd = make_user("casting_director")
    services.create_talent(actor=cd, legal_name="Noor Haddad", email="noor@example.com")
    db.session.commit()
    [envelope] = handler.messages
    link = re.search(rb"http://callback\.test(/claim/[\w-]+)", envelope.content).group(1).decode()
    assert client.get(link).status_code == 200
    resp = client.post(link, data={"password": "a long enough password", "confirm": "a long enough password"})
    assert resp.status_code == 302
    assert client.get(link).status_code == 404  # used


def test_calendar_attachment_carries_its_own_method(app, outbox):
    cancel = b"BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n"
    send_mail("talia@example.com", "Cancelled", "Sorry", attachments=[Attachment("c.ics", "text/calendar", cancel)])
    db.session.commit()
    [msg] = read_outbox(outbox)
    [part] = list(msg.iter_attachments())
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "CANCEL"
