"""`flask users create` and `flask users token`."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from casting.accounts import services
from casting.core.errors import DomainError
from casting.extensions import db

users = AppGroup("users", help="Manage accounts.")


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(services.ROLES))
@click.option("--password", default=None,
              help="At least 8 characters, not a common password, without the name or email; omit to set one later.")
def create(email: str, name: str, role: str, password: str | None) -> None:
    """Create a user (a talent user gets a talent profile)."""
    try:
        # The operator vouches for the address: accounts made here are verified.
        user = services.create_user(email, name, role, password, verified=True)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    click.echo(f"created user {user.id} {user.email} ({user.role})")


@users.command("token")
@click.argument("email")
@click.option("--name", default="cli", help="A name for the token.")
def token(email: str, name: str) -> None:
    """Create an API token for EMAIL and print it on the last line."""
    user = services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no user with email {email}")
    try:
        _, text = services.issue_token(user, name)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    click.echo(f"token for {user.email} (shown once, stored hashed):")
    click.echo(text)


def register(app) -> None:
    app.cli.add_command(users)
