"""What talent and casting directors are told by email, with an .ics invite in the venue's timezone."""
from __future__ import annotations

from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import render_template
from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from casting.callbacks.models import InvitationEvent
from casting.core.db import utcnow
from casting.core.ical import vtimezone
from casting.core.mail import Attachment, render_body, send_mail
from casting.core.timefmt import local_time
from casting.extensions import db


def where(venue) -> str:
    """The venue as talent need it: name and address, or the meeting link."""
    if venue.kind == "virtual":
        return f"{venue.name} (online): {venue.meeting_url or 'link to follow'}"
    return f"{venue.name}, {venue.address}"


def sequence_of(invitation) -> int:
    """iCalendar SEQUENCE: bumped by every change the talent was told about.

    Counted in the database (after a flush), not from ``invitation.events``, which may have been loaded before
    this request added the event that is being told: a stale count would send an update with the old SEQUENCE,
    which calendars ignore."""
    db.session.flush()
    return db.session.scalar(sa.select(sa.func.count()).select_from(InvitationEvent).where(
        InvitationEvent.invitation_id == invitation.id,
        InvitationEvent.kind.in_(("moved", "changed", "cancelled"))))


REMINDER_BEFORE = timedelta(hours=2)


def calendar_bytes(invitation, *, cancel: bool = False) -> bytes:
    """An iCalendar REQUEST (or CANCEL) for the invitation's slot, in the venue's timezone.

    The times carry a VTIMEZONE of one STANDARD and one DAYLIGHT rule (``core.ical``), or are in UTC when the
    zone's current rule cannot describe them; SEQUENCE counts the changes the talent was told about, so an
    update or a cancel replaces the event in the talent's calendar; a REQUEST has a reminder two hours before."""
    session = invitation.session
    venue, production = session.venue, session.production
    zone = ZoneInfo(venue.timezone)
    timezone_component = vtimezone(venue.timezone, [invitation.starts_at, invitation.ends_at])
    shown = zone if timezone_component is not None else timezone.utc
    cal = Calendar()
    cal.add("prodid", "-//Callback//Callback sessions//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancel else "REQUEST")
    if timezone_component is not None:
        cal.add_component(timezone_component)
    ev = Event()
    ev.add("uid", f"invitation-{invitation.id}@callback")
    ev.add("sequence", sequence_of(invitation))
    ev.add("dtstamp", utcnow())
    ev.add("dtstart", invitation.starts_at.astimezone(shown))
    ev.add("dtend", invitation.ends_at.astimezone(shown))
    ev.add("summary", f"Callback: {production.title} — {invitation.role.name}")
    ev.add("location", where(venue))
    ev.add("description", _body_facts(invitation))
    ev.add("status", "CANCELLED" if cancel else "CONFIRMED")
    lead = session.lead_casting_director
    organizer = vCalAddress(f"mailto:{lead.email}")
    organizer.params["cn"] = vText(lead.name)
    ev.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{invitation.talent.email}")
    attendee.params.update({"cn": vText(invitation.talent.display_name), "role": vText("REQ-PARTICIPANT"),
                            "partstat": vText("NEEDS-ACTION"), "rsvp": vText("TRUE")})
    ev.add("attendee", attendee)
    if not cancel:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Callback: {production.title} at {where(venue)}")
        alarm.add("trigger", -REMINDER_BEFORE)
        ev.add_component(alarm)
    cal.add_component(ev)
    return cal.to_ical()


def _context(invitation) -> dict:
    """What the callback email templates (templates/email/callback_*.txt) are given."""
    session = invitation.session
    return {"invitation": invitation, "session": session, "production": session.production,
            "talent": invitation.talent, "tz": session.venue.timezone, "where": where(session.venue),
            "map_url": session.venue.map_url}


def _body_facts(invitation) -> str:
    return render_template("email/_callback_facts.txt", **_context(invitation))


def _send(invitation, subject: str, template: str, *, attachments=(), cancel: bool = False, **context) -> None:
    talent = invitation.talent
    attachments = [Attachment(f"callback-{invitation.id}.ics", "text/calendar",
                              calendar_bytes(invitation, cancel=cancel)), *attachments]
    text = render_body(template, **_context(invitation), **context)
    send_mail(talent.email, subject, text, attachments=attachments,
              reply_to=invitation.session.lead_casting_director.email)


def invited(invitation, attachments=()) -> None:
    """Tell the talent about a new invitation (``attachments``: its letters, from the documents feature)."""
    p = invitation.session.production
    _send(invitation, f"Callback invitation: {p.title} — {invitation.role.name}", "callback_invited.txt",
          attachments=attachments)


def changed(invitation, attachments=(), *, reconfirm: bool) -> None:
    """Tell the talent their callback changed (and ask them to confirm again when it moved)."""
    p = invitation.session.production
    _send(invitation, f"Callback changed: {p.title} — {invitation.role.name}", "callback_changed.txt",
          attachments=attachments, reconfirm=reconfirm)


def moved(invitation, attachments=(), *, from_starts_at) -> None:
    """Tell the talent their callback moved to another slot (new letters and .ics attached); they confirm again."""
    p = invitation.session.production
    _send(invitation, f"Callback moved: {p.title} — {invitation.role.name}", "callback_moved.txt",
          attachments=attachments, from_starts_at=from_starts_at)


def reschedule_declined(invitation, note: str | None) -> None:
    """Tell the talent the production cannot move their callback: it stays at its time."""
    p = invitation.session.production
    _send(invitation, f"Callback time unchanged: {p.title} — {invitation.role.name}",
          "callback_reschedule_declined.txt", note=note)


def cancelled(invitation, reason: str) -> None:
    """Tell the talent their callback is cancelled."""
    p = invitation.session.production
    _send(invitation, f"Callback cancelled: {p.title} — {invitation.role.name}", "callback_cancelled.txt",
          cancel=True, reason=reason)


def reminder(invitation, recipients: list[str]) -> None:
    """The day-before reminder to the talent (and a minor's guardian): time, place, map, what to bring."""
    p = invitation.session.production
    when = local_time(invitation.starts_at, invitation.session.venue.timezone, "weekday_time")
    send_mail(recipients, f"Reminder: your callback {when} — {p.title}",
              render_body("callback_reminder.txt", **_context(invitation)),
              reply_to=invitation.session.lead_casting_director.email)


def to_casting_director(invitation, what: str, note: str | None = None) -> None:
    """Tell the session's lead casting director what a talent did (decline, reschedule, access needs)."""
    session = invitation.session
    send_mail(session.lead_casting_director.email, f"{session.title}: {invitation.talent.display_name} {what}",
              render_body("callback_to_casting_director.txt", **_context(invitation), what=what, note=note))
