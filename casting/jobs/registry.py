"""Job handlers by kind. A feature registers its own (``@handler("callbacks.bulk_invite")``) in a module
the app imports (its receivers.py); the jobs package never imports the features above it."""
from __future__ import annotations

from typing import Callable

HANDLERS: dict[str, Callable] = {}
# Periodic tasks by name: (crontab fields, e.g. {"minute": "0"}, and a function of no arguments that does its
# own commits). The worker runs them on schedule (casting/jobs/queue.py).
PERIODIC: dict[str, tuple[dict[str, str], Callable]] = {}


class UnknownJobKind(KeyError):
    """No handler is registered for a job's kind."""


def handler(kind: str):
    """Register ``fn(run: JobRun) -> dict | None`` as the handler of ``kind`` (its return value, if any,
    becomes the job's result)."""
    def register(fn: Callable) -> Callable:
        if HANDLERS.get(kind, fn) is not fn:
            raise ValueError(f"a handler for job kind {kind!r} is already registered")
        HANDLERS[kind] = fn
        return fn
    return register


def handler_for(kind: str) -> Callable:
    try:
        return HANDLERS[kind]
    except KeyError:
        raise UnknownJobKind(kind) from None


def periodic(name: str, **schedule: str):
    """Register ``fn()`` to run on a crontab ``schedule`` (``minute="0"``: hourly) in the job worker."""
    def register(fn: Callable) -> Callable:
        if PERIODIC.get(name, (None, fn))[1] is not fn:
            raise ValueError(f"a periodic task {name!r} is already registered")
        PERIODIC[name] = (schedule, fn)
        return fn
    return register
