"""Operator commands of the core: ``mail retry`` (the spool of mail that could not be sent)."""
from __future__ import annotations

import json

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from casting.core import mail as mailer

mail_cli = AppGroup("mail", help="Outgoing email.")


@mail_cli.command("retry")
def retry() -> None:
    """Send again every mail kept in the spool after a failure; exit 1 while some still fail."""
    app = current_app._get_current_object()
    sent, failed = mailer.retry_spooled(app)
    click.echo(f"sent {sent}, still failing {failed} (spool: {mailer.spool_dir(app)})")
    if failed:
        raise SystemExit(1)


@mail_cli.command("spool")
def show_spool() -> None:
    """List the spooled mails: file, recipients, subject, attempts, last error."""
    for path in mailer.spooled(current_app._get_current_object()):
        record = json.loads(path.read_text())
        click.echo(f"{path.name}\t{', '.join(record['mail']['to'])}\t{record['mail']['subject']}\t"
                   f"attempts={record.get('attempts')}\t{record.get('last_error')}")


def register(app: Flask) -> None:
    app.cli.add_command(mail_cli)
