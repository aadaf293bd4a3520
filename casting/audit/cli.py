"""`flask audit verify` and `flask audit checkpoint`."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from casting.audit import checkpoints, services
from casting.core.database import read_only
from casting.extensions import db

audit = AppGroup("audit", help="The hash-chained audit log.")


def _report_bad(result: services.VerifyResult) -> None:
    if result.bad_id is not None:
        click.echo(f"BAD entry {result.bad_id}: {result.reason} ({result.count} entries verified before it)")
    else:
        click.echo(f"BAD {result.reason} ({result.count} entries verified)")


def _verify(from_checkpoint: bool, expect_head: str | None):
    """(result, (id, entry id) of the checkpoint started from or None); exits 1 naming a checkpoint that cannot be trusted.

    A read transaction: on SQLite a CLI transaction would otherwise hold the write lock for the whole walk.
    """
    db.session.rollback()
    try:
        with read_only():
            if not from_checkpoint:
                return services.verify_chain(expect_head=expect_head), None
            result, checkpoint = checkpoints.verify_from_latest(expect_head)
            return result, (checkpoint.id, checkpoint.entry_id) if checkpoint is not None else None
    except checkpoints.CheckpointInvalid as exc:
        click.echo(f"BAD {exc}")
        sys.exit(1)
    finally:
        db.session.rollback()


@audit.command("verify")
@click.option("--expect-head", default=None, help="The head hash you recorded earlier; detects a truncated tail.")
@click.option("--from-checkpoint", is_flag=True,
              help="Check the newest signed checkpoint, then verify only the entries after it.")
def verify(expect_head: str | None, from_checkpoint: bool) -> None:
    """Walk the chain; exit 0 with 'OK <count> entries, head <hash>', or 1 naming the first bad entry.

    Also checks that every document's recorded audit head is an entry of the chain.
    """
    result, checkpoint = _verify(from_checkpoint, expect_head)
    if not result.ok:
        _report_bad(result)
        sys.exit(1)
    if checkpoint is not None:
        click.echo(f"OK {result.count} entries after checkpoint {checkpoint[0]} (entry {checkpoint[1]}), "
                   f"head {result.head}")
    else:
        if from_checkpoint:
            click.echo("No checkpoint yet: verified from the start.")
        click.echo(f"OK {result.count} entries, head {result.head}")


@audit.command("checkpoint")
def checkpoint() -> None:
    """Verify the entries after the newest checkpoint (all of them the first time), then save the head, signed."""
    result, _previous = _verify(True, None)
    if not result.ok:
        _report_bad(result)
        sys.exit(1)
    saved = checkpoints.save(result)
    db.session.commit()
    click.echo(f"Checkpoint {saved.id}: entry {saved.entry_id}, head {saved.entry_hash} "
               f"({result.count} new entries verified)")


def register(app) -> None:
    app.cli.add_command(audit)
