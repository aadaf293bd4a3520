"""Email headers come only from checked values, and a mail that fails after its change was saved is logged,
spooled and sent by ``flask mail retry`` (a real local SMTP server, aiosmtpd), never a 500 (issue 10)."""
from __future__ import annotations

import email
import json
import socket
from email import policy

import pytest

from casting.callbacks.models import Invitation
from casting.core.mail import header_text, is_address, send_mail, spooled
from casting.extensions import db
from casting.talent.models import TalentProfile
from tests.callbacks.factories import make_invitation, make_ready_session
from tests.conftest import auth, read_outbox
from tests.factories import make_talent, make_user

INJECTED = "Ann\r\nBcc: everyone@evil.example"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app):
    """A local SMTP server that refuses every message (451) while ``failing`` is set, then accepts."""
    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self):
            self.messages, self.failing = [], False

        async def handle_DATA(self, server, session, envelope):
            if self.failing:
                return "451 4.3.0 Try again later"
            self.messages.append(envelope)
            return "250 OK"

    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(MAIL_SERVER=controller.hostname, MAIL_PORT=controller.port)
    yield handler
    controller.stop()


def _parsed(envelope):
    return email.message_from_bytes(envelope.content, policy=policy.default)


def test_header_values_are_checked():
    assert header_text("Hello\r\nBcc: x@evil.example") == "Hello Bcc: x@evil.example"
    assert header_text("a\x00b\tc") == "a b c"
    assert is_address("ann@example.com") and is_address("Ann Lee <ann@example.com>")
    for bad in ("ann@example.com\r\nBcc: x@evil.example", "ann@example.com, eve@evil.example", "", None, "ann",
                "ann@example.com\x00"):
        assert not is_address(bad)


def test_an_injected_recipient_is_refused_and_the_rest_sent(app, outbox):
    send_mail(["ann@example.com", "bo@example.com\r\nBcc: eve@evil.example"], "Hi\r\nBcc: eve@evil.example", "Body",
              reply_to="x@example.com\nBcc: eve@evil.example")
    db.session.commit()
    [msg] = read_outbox(outbox)
    assert msg["To"] == "ann@example.com" and msg["Bcc"] is None and msg["Reply-To"] is None
    assert msg["Subject"] == "Hi Bcc: eve@evil.example"


def _declining_talent(name: str):
    s = make_ready_session()
    user = make_user("talent")
    talent = make_talent(user=user, legal_name="Ann Lee")
    inv = make_invitation(s, talent=talent)
    # Stored as it was before names were checked at input (or by any path that skips the forms and API).
    db.session.get(TalentProfile, talent.id).professional_name = name
    db.session.commit()
    return inv.id, user, s.lead_casting_director.email


def test_a_name_with_a_header_injection_cannot_add_a_recipient(app, client, smtp):
    iid, user, cd_email = _declining_talent(INJECTED)
    resp = client.post(f"/api/v1/invitations/{iid}/decline", headers=auth(user))
    assert resp.status_code == 200 and resp.json["status"] == "declined"
    [envelope] = smtp.messages
    assert envelope.rcpt_tos == [cd_email]
    msg = _parsed(envelope)
    assert msg["Bcc"] is None and "Ann Bcc: everyone@evil.example declined the callback" in msg["Subject"]
    headers = envelope.content.split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in headers and b"\nBcc:" not in headers
    assert spooled(app) == []


def test_a_mail_failing_after_the_commit_is_spooled_then_retried(app, client, runner, smtp, caplog):
    iid, user, cd_email = _declining_talent("Ann")
    smtp.failing = True
    resp = client.post(f"/api/v1/invitations/{iid}/decline", headers=auth(user))
    assert resp.status_code == 200  # the change is saved; the mail is the one thing that failed
    db.session.expire_all()
    assert db.session.get(Invitation, iid).status == "declined"
    assert smtp.messages == []
    assert "could not send mail" in caplog.text
    [path] = spooled(app)
    record = json.loads(path.read_text())
    assert record["mail"]["to"] == [cd_email] and "451" in record["last_error"] and record["attempts"] == 1
    # Still failing: kept, one more attempt counted, exit status 1.
    result = runner.invoke(args=["mail", "retry"])
    assert result.exit_code == 1 and "still failing 1" in result.output
    assert json.loads(path.read_text())["attempts"] == 2
    smtp.failing = False
    result = runner.invoke(args=["mail", "retry"])
    assert result.exit_code == 0 and "sent 1, still failing 0" in result.output, result.output
    [envelope] = smtp.messages
    assert envelope.rcpt_tos == [cd_email] and "declined the callback" in _parsed(envelope)["Subject"]
    assert spooled(app) == []


def test_an_unreachable_server_is_spooled_too(app, client):
    port = _free_port()  # nothing listens there
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    iid, user, _ = _declining_talent("Ann")
    assert client.post(f"/api/v1/invitations/{iid}/decline", headers=auth(user)).status_code == 200
    assert len(spooled(app)) == 1
