"""`flask --app casting worker`: the huey consumer, one worker process per core by default."""
from __future__ import annotations

import logging
import os

import click
from flask import current_app

from casting.extensions import db
from casting.jobs import queue


def register(app) -> None:
    @app.cli.command("worker")
    @click.option("-w", "--workers", type=int, default=None,
                  help="Worker processes (default: CASTING_JOBS_WORKERS, or one per core when that is 0).")
    @click.option("--threads", is_flag=True, help="Worker threads instead of processes (debugging).")
    @click.option("--no-periodic", is_flag=True, help="Do not run periodic tasks (the stale-job sweep).")
    def worker(workers: int | None, threads: bool, no_periodic: bool) -> None:
        """Run background jobs until stopped (Ctrl-C finishes the jobs in hand, then stops)."""
        if workers is not None and workers < 1:
            raise click.BadParameter("at least 1", param_hint="--workers")
        workers = workers or current_app.config["CASTING_JOBS_WORKERS"] or os.cpu_count() or 1
        huey = queue.get_huey()
        if huey.immediate:
            raise click.ClickException("CASTING_JOBS_IMMEDIATE is set: jobs run in-process, there is no queue.")
        requeued = queue.requeue_interrupted()
        db.session.remove()
        db.engine.dispose()  # the forked workers open their own connections
        click.echo(f"worker: {workers} {'thread' if threads else 'process'}(es) on {current_app.config['CASTING_JOBS_URL']}"
                   + (f"; re-enqueued interrupted jobs {requeued}" if requeued else ""))
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(processName)s %(name)s %(levelname)s %(message)s")
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # seven lines a PDF otherwise
        consumer = huey.create_consumer(workers=workers, worker_type="thread" if threads else "process",
                                        periodic=not no_periodic, check_worker_health=True,
                                        # Idle workers poll the queue (SQLite storage cannot block): at most 1 s apart.
                                        initial_delay=0.05, backoff=1.15, max_delay=1.0)
        consumer.run()
