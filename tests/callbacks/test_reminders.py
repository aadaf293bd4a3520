"""The day-before reminder (`flask reminders send` and the worker's hourly task), the .ics alarm, and the map
link in emails, letters and the portal."""
from __future__ import annotations

import email
import threading
from datetime import date, datetime, timedelta, timezone
from email import policy

import icalendar
import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.callbacks import notify, reminders
from casting.callbacks.models import Invitation
from casting.core.db import utcnow
from casting.core.timefmt import local_time
from casting.extensions import db
from casting.jobs.queue import get_huey
from casting.jobs.registry import PERIODIC
from tests.callbacks.factories import make_invitation, make_ready_session
from tests.conftest import read_outbox
from tests.core.test_mail import smtp_server  # noqa: F401 - the real SMTP server fixture
from tests.factories import make_talent, make_user, make_venue

MAP = "https://www.openstreetmap.org/search?query=Spotlight%20Studios%2C%207%20Leicester%20Place%2C%20London%20WC2H%207RJ%2C%20United%20Kingdom"


def _session_at(start, *, statuses=("confirmed",), tz="America/New_York", **kw):
    """A scheduled session with one invitation per status, then moved (behind the gate's back) to ``start``."""
    s = make_ready_session(scheduled=True, tz=tz, **kw)
    invs = [make_invitation(s, talent=make_talent(user=make_user("talent")), status=status) for status in statuses]
    delta = start - s.starts_at
    s.starts_at, s.ends_at = s.starts_at + delta, s.ends_at + delta
    for inv in sorted(invs, key=lambda i: i.starts_at, reverse=delta > timedelta(0)):
        inv.starts_at, inv.ends_at = inv.starts_at + delta, inv.ends_at + delta
        db.session.flush()
    db.session.commit()
    return s, invs


def _reminded():
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEntry.entity_id).where(AuditEntry.action == "invitation.reminded")
                                   .order_by(AuditEntry.id)))


def test_cli_reminds_each_confirmed_talent_once_over_smtp(app, runner, smtp_server):  # noqa: F811
    controller, handler = smtp_server
    app.config.update(MAIL_SERVER=controller.hostname, MAIL_PORT=controller.port)
    now = utcnow()
    soon, [due, unconfirmed] = _session_at(now + timedelta(hours=5), statuses=("confirmed", "invited"))
    _, [later] = _session_at(now + timedelta(hours=25))
    _, [past] = _session_at(now - timedelta(hours=1))

    result = runner.invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    assert "reminders sent: 1" in result.output
    [envelope] = handler.messages
    assert envelope.rcpt_tos == [due.talent.email]
    msg = email.message_from_bytes(envelope.content, policy=policy.default)
    assert msg["Subject"].startswith("Reminder: your callback ")
    text = msg.get_body(("plain",)).get_content()
    tz = soon.venue.timezone
    for expected in (local_time(due.starts_at, tz, "long"), "America/New_York time", "7 Leicester Place", MAP,
                     "What to bring", "sides.pdf", soon.production.safeguarding_contact, "never ask you for money",
                     "http://callback.test/me/callbacks"):
        assert expected in text, expected
    assert _reminded() == [due.id]
    assert db.session.get(Invitation, due.id).reminded_at is not None
    for other in (unconfirmed, later, past):
        assert db.session.get(Invitation, other.id).reminded_at is None

    again = runner.invoke(args=["reminders", "send"])
    assert again.exit_code == 0 and "reminders sent: 0" in again.output
    assert len(handler.messages) == 1 and _reminded() == [due.id]


def test_a_minors_guardian_gets_the_reminder_too(app, outbox):
    s = make_ready_session(scheduled=True)
    talent = make_talent(user=make_user("talent"))
    talent.date_of_birth = date(date.today().year - 15, 1, 1)
    talent.guardian_name, talent.guardian_email = "Gail Guardian", "gail@example.com"
    inv = make_invitation(s, talent=talent, status="confirmed")
    db.session.commit()
    assert reminders.send_due(inv.starts_at - timedelta(hours=3)) == 1
    [mail] = read_outbox(outbox)
    assert sorted(mail["To"].split(", ")) == sorted([talent.email, "gail@example.com"])


def test_batches_and_the_claim_never_send_twice(app, outbox, monkeypatch):
    now = utcnow()
    _, invs = _session_at(now + timedelta(hours=2), statuses=("confirmed",) * 5)
    assert reminders.send_due(batch=2) == 5
    assert sorted(_reminded()) == sorted(i.id for i in invs) and len(read_outbox(outbox)) == 5
    # A run that read the ids just before another run claimed them (the due query without its filter)
    # claims nothing: the UPDATE only takes rows whose reminded_at is still empty.
    unfiltered = lambda now: (sa.select(Invitation.id).where(Invitation.id.in_([i.id for i in invs]))  # noqa: E731
                              .order_by(Invitation.id))
    monkeypatch.setattr(reminders, "due", unfiltered)
    assert reminders.send_due() == 0
    assert len(read_outbox(outbox)) == 5 and len(_reminded()) == 5


def test_two_runs_at_once_remind_once(app, outbox):
    now = utcnow()
    _, invs = _session_at(now + timedelta(hours=2), statuses=("confirmed",) * 3)
    barrier = threading.Barrier(2)
    counts = []

    def run():
        with app.app_context():
            barrier.wait()
            counts.append(reminders.send_due())
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(counts) == [0, 3]
    assert sorted(_reminded()) == sorted(i.id for i in invs) and len(read_outbox(outbox)) == 3


def test_the_worker_runs_it_hourly(app, outbox):
    schedule, fn = PERIODIC["callbacks.reminders"]
    assert schedule == {"minute": "0"} and fn is reminders.hourly
    huey = get_huey(app)
    [task] = [t for t in huey._registry.periodic_tasks if t.name == "callbacks.reminders"]
    assert task.validate_datetime(datetime(2027, 3, 2, 9, 0)) and not task.validate_datetime(datetime(2027, 3, 2, 9, 30))
    now = utcnow()
    _, [inv] = _session_at(now + timedelta(hours=3))
    huey.execute(task)  # what the consumer runs on the hour
    assert _reminded() == [inv.id] and len(read_outbox(outbox)) == 1


def test_moving_a_reminded_invitation_lets_the_new_time_be_reminded(app, client):
    from tests.conftest import auth

    s = make_ready_session(scheduled=True)
    inv = make_invitation(s, status="confirmed")
    inv.reminded_at = utcnow()
    db.session.commit()
    new_start = (s.starts_at + timedelta(days=7)).isoformat()
    new_end = (s.ends_at + timedelta(days=7)).isoformat()
    resp = client.patch(f"/api/v1/sessions/{s.id}", json={"starts_at": new_start, "ends_at": new_end},
                        headers=auth(s.lead_casting_director))
    assert resp.status_code == 200, resp.json
    db.session.expire_all()
    assert db.session.get(Invitation, inv.id).reminded_at is None


def test_calendar_attachments_carry_a_reminder_alarm(app):
    s = make_ready_session(scheduled=True)
    inv = make_invitation(s)
    cal = icalendar.Calendar.from_ical(notify.calendar_bytes(inv))
    [event] = cal.walk("VEVENT")
    [alarm] = event.walk("VALARM")
    assert alarm["action"] == "DISPLAY" and alarm.decoded("trigger") == -notify.REMINDER_BEFORE
    assert s.production.title in str(alarm["description"])
    cancelled = icalendar.Calendar.from_ical(notify.calendar_bytes(inv, cancel=True))
    assert cancelled.walk("VALARM") == []


def test_the_map_link(app, client, outbox):
    cd = make_user("casting_director")
    venue = make_venue(cd, address="Studio 4, 10 Rue de Rivoli,\n75001 Paris & Co")
    assert venue.map_url == ("https://www.openstreetmap.org/search?query="
                             "Studio%204%2C%2010%20Rue%20de%20Rivoli%2C%2075001%20Paris%20%26%20Co")
    online = make_venue(cd, kind="virtual", address="", meeting_url="https://meet.example/abc", name="Online")
    assert online.map_url is None
    assert make_venue(cd, address="   ").map_url is None
    # In the invitation email (and its .ics description).
    from tests.callbacks.test_invitations import _invite, _setup

    s, talent, _ = _setup()
    assert _invite(client, s, talent).status_code == 201
    [mail] = read_outbox(outbox)
    assert f"Map: {MAP}" in mail.get_body(("plain",)).get_content()


def test_the_map_link_in_the_letter(app):
    from casting.documents import services
    from tests.documents.helpers import pdf_of, text_of

    s = make_ready_session(scheduled=True)
    inv = make_invitation(s)
    [doc] = services.issue_invitation_documents(inv, actor=None)
    assert "https://www.openstreetmap.org/search?query=Spotlight" in text_of(pdf_of(doc)).replace(" ", "")
    online = make_ready_session(venue=make_venue(s.lead_casting_director, kind="virtual", address="",
                                                 meeting_url="https://meet.example/abc", name="Online room"),
                                scheduled=True)
    [doc] = services.issue_invitation_documents(make_invitation(online), actor=None)
    assert "openstreetmap" not in text_of(pdf_of(doc))


def test_a_suspended_productions_talent_get_no_reminder(app, outbox):
    """Talent told "on hold, do not come" are not then reminded to come."""
    from casting.core.db import utcnow

    s, [inv] = _session_at(datetime.now(timezone.utc) + timedelta(hours=5))
    s.production.suspended_at = utcnow()
    db.session.commit()
    assert reminders.send_due() == 0 and _reminded() == []
    s.production.suspended_at = None  # reinstated: the reminder goes
    db.session.commit()
    assert reminders.send_due() == 1 and _reminded() == [inv.id]
