"""Operator commands of the core: ``mail retry`` (the spool of mail that could not be sent), ``backup`` and
``restore``."""
from __future__ import annotations

import json

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from casting.core import backup as backups
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


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
def backup_command(path: str) -> None:
    """Write a consistent backup of the database to PATH while the app runs (SQLite online backup;
    pg_dump custom format on PostgreSQL)."""
    try:
        written = backups.backup(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backup written to {written} ({written.stat().st_size} bytes)")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def restore_command(path: str) -> None:
    """Restore the backup at PATH into the configured database, which must be empty (a new SQLite file, or a
    PostgreSQL database with no tables). Then run `flask --app casting audit verify`."""
    try:
        backups.restore(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("restored; check it with: flask --app casting audit verify")


def register(app: Flask) -> None:
    app.cli.add_command(mail_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
