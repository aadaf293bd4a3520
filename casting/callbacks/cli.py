"""`flask sessions schedule ID --as EMAIL`, `flask sessions checklist ID` (the same service as the UI and API) and
`flask reminders send`."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from casting.accounts.services import find_user_by_email
from casting.audit import services as audit
from casting.callbacks import gate, reminders, services, shares
from casting.callbacks.models import CallbackSession
from casting.core.errors import DomainError
from casting.extensions import db

sessions = AppGroup("sessions", help="Callback sessions.")
reminders_group = AppGroup("reminders", help="The day-before reminders to talent.")


def _session(session_id: int) -> CallbackSession:
    session = db.session.get(CallbackSession, session_id)
    if session is None:
        raise click.ClickException(f"no session {session_id}")
    return session


def _refused(exc: DomainError, actor) -> click.ClickException:
    """Roll back, then record the refusal in its own transaction, as the web handler does."""
    db.session.rollback()
    audit.record(exc.audit_action or f"blocked.{exc.code}", exc.entity, actor=actor,
                 production_id=exc.production_id,
                 data={"via": "cli", "code": exc.code, "message": exc.message, "details": exc.details})
    db.session.commit()
    return click.ClickException(f"{exc.code}: {exc.message}")


@sessions.command("schedule")
@click.argument("session_id", type=int)
@click.option("--as", "email", required=True, help="Email of the casting director scheduling it.")
def schedule(session_id: int, email: str) -> None:
    """Schedule a session through the checklist gate."""
    actor = find_user_by_email(email)
    if actor is None:
        raise click.ClickException(f"no user with email {email}")
    session = _session(session_id)
    try:
        services.schedule_session(session, actor=actor)
        db.session.commit()
    except DomainError as exc:
        raise _refused(exc, actor) from None
    click.echo(f"session {session.id} scheduled")


@sessions.command("checklist")
@click.argument("session_id", type=int)
def checklist(session_id: int) -> None:
    """Print the session's checklist."""
    result = gate.checklist_for(_session(session_id))
    for item in result.items:
        mark = "n/a " if not item.applicable else ("PASS" if item.passed else "FAIL")
        click.echo(f"{mark} {item.code}: {item.detail}")
    click.echo("ready" if result.ready else "not ready: " + ", ".join(result.failed_codes))
    db.session.rollback()


@reminders_group.command("send")
def send_reminders() -> None:
    """Email each confirmed talent whose callback starts within 24 hours, once per invitation (hourly in
    production: the job worker runs it)."""
    count = reminders.send_due()
    click.echo(f"reminders sent: {count}")


shares_cli = AppGroup("shares", help="Callbacks shared with trusted people.")


@shares_cli.command("ended")
def shares_ended() -> None:
    """Tell trusted people that the callback sessions they follow have ended (once each; run it now and then)."""
    told = shares.tell_ended()
    db.session.commit()
    click.echo(f"{told} callbacks: trusted people told the session ended")


def register(app) -> None:
    app.cli.add_command(sessions)
    app.cli.add_command(reminders_group)
    app.cli.add_command(shares_cli)
