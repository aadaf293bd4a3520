"""`flask audit verify`."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from casting.audit import services

audit = AppGroup("audit", help="The hash-chained audit log.")


@audit.command("verify")
@click.option("--expect-head", default=None, help="The head hash you recorded earlier; detects a truncated tail.")
def verify(expect_head: str | None) -> None:
    """Walk the chain; exit 0 with 'OK <count> entries, head <hash>', or 1 naming the first bad entry."""
    result = services.verify_chain(expect_head=expect_head)
    if result.ok:
        click.echo(f"OK {result.count} entries, head {result.head}")
        return
    if result.bad_id is not None:
        click.echo(f"BAD entry {result.bad_id}: {result.reason} ({result.count} entries verified before it)")
    else:
        click.echo(f"BAD {result.reason} ({result.count} entries verified)")
    sys.exit(1)


def register(app) -> None:
    app.cli.add_command(audit)
