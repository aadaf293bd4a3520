"""What talent and casting directors are told by email, with an .ics invite in the venue's timezone."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app
from icalendar import Calendar, Event, vCalAddress, vText

from casting.core.db import utcnow
from casting.core.timefmt import local_time
from casting.core.mail import Attachment, send_mail


def where(venue) -> str:
    """The venue as talent need it: name and address, or the meeting link."""
    if venue.kind == "virtual":
        return f"{venue.name} (online): {venue.meeting_url or 'link to follow'}"
    return f"{venue.name}, {venue.address}"


def sequence_of(invitation) -> int:
    """iCalendar SEQUENCE: bumped by every change the talent was told about."""
    return sum(1 for e in invitation.events if e.kind in ("moved", "changed", "cancelled"))


def calendar_bytes(invitation, *, cancel: bool = False) -> bytes:
    """An iCalendar REQUEST (or CANCEL) for the invitation's slot, in the venue's timezone."""
    session = invitation.session
    venue, production = session.venue, session.production
    zone = ZoneInfo(venue.timezone)
    cal = Calendar()
    cal.add("prodid", "-//Callback//Callback sessions//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancel else "REQUEST")
    ev = Event()
    ev.add("uid", f"invitation-{invitation.id}@callback")
    ev.add("sequence", sequence_of(invitation))
    ev.add("dtstamp", utcnow())
    ev.add("dtstart", invitation.starts_at.astimezone(zone))
    ev.add("dtend", invitation.ends_at.astimezone(zone))
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
    cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()


def _body_facts(invitation) -> str:
    session = invitation.session
    venue, production = session.venue, session.production
    panel = ", ".join(u.name for u in session.panel)
    sides = ", ".join(s.filename for s in invitation.role.sides) or "none"
    return (
        f"Production: {production.title} ({production.company.legal_name})\n"
        f"Role: {invitation.role.name}\n"
        f"When: {local_time(invitation.starts_at, venue.timezone, 'long')} to {local_time(invitation.ends_at, venue.timezone, 'time')}\n"
        f"Where: {where(venue)}\n"
        f"Panel: {panel}\n"
        f"Sides to prepare: {sides} (download them from your callbacks page)\n"
        f"Safeguarding contact: {production.safeguarding_contact}\n"
        + ("The session is recorded. Intended use: " + (session.recording_use or "") + "\n" if session.recorded else "")
    )


def _footer(invitation) -> str:
    base = current_app.config["PUBLIC_BASE_URL"]
    return (
        f"\nConfirm, decline or ask to reschedule, and tell the production about any access needs, here:\n"
        f"{base}/me/callbacks\n\n"
        "No fee is ever charged: this production will never ask you for money.\n"
        "You may bring a companion (a support peer) with you.\n"
        f"Check that this invitation is genuine at {base}/verify, and report any concern to the safeguarding "
        f"contact above or via {base}/safety.\n"
    )


def _send(invitation, subject: str, intro: str, *, documents=(), cancel: bool = False) -> None:
    from casting.documents.services import attachments_for

    talent = invitation.talent
    attachments = [Attachment(f"callback-{invitation.id}.ics", "text/calendar",
                              calendar_bytes(invitation, cancel=cancel))]
    attachments += list(attachments_for(list(documents)) or [])
    text = f"Hello {talent.display_name},\n\n{intro}\n\n{_body_facts(invitation)}{_footer(invitation)}"
    send_mail(talent.email, subject, text, attachments=attachments,
              reply_to=invitation.session.lead_casting_director.email)


def invited(invitation, documents=()) -> None:
    """Tell the talent about a new invitation."""
    p = invitation.session.production
    _send(invitation, f"Callback invitation: {p.title} — {invitation.role.name}",
          f"{p.company.legal_name} invites you to a callback for the role of {invitation.role.name}. "
          "Please confirm or decline from your callbacks page.", documents=documents)


def changed(invitation, documents=(), *, reconfirm: bool) -> None:
    """Tell the talent their callback changed (and ask them to confirm again when it moved)."""
    p = invitation.session.production
    ask = " Please confirm again that the new time and place work for you." if reconfirm else ""
    _send(invitation, f"Callback changed: {p.title} — {invitation.role.name}",
          f"The details of your callback for {invitation.role.name} have changed.{ask} The updated details are below.",
          documents=documents)


def cancelled(invitation, reason: str) -> None:
    """Tell the talent their callback is cancelled."""
    p = invitation.session.production
    _send(invitation, f"Callback cancelled: {p.title} — {invitation.role.name}",
          f"Your callback for {invitation.role.name} is cancelled. Reason given by the production: {reason}",
          cancel=True)


def to_casting_director(invitation, what: str, note: str | None = None) -> None:
    """Tell the session's lead casting director what a talent did (decline, reschedule, access needs)."""
    session = invitation.session
    lead = session.lead_casting_director
    base = current_app.config["PUBLIC_BASE_URL"]
    text = (f"{invitation.talent.display_name} ({invitation.role.name}, "
            f"{local_time(invitation.starts_at, session.venue.timezone, 'long')}) {what}.\n"
            + (f"\nTheir note:\n{note}\n" if note else "")
            + f"\nSession: {base}/sessions/{session.id}\n")
    send_mail(lead.email, f"{session.title}: {invitation.talent.display_name} {what}", text)
