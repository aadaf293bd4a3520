"""Signals: how a lower layer lets a higher one react without importing it.

A feature declares its signals in its own ``signals.py`` (from the namespace here) and
sends them; a higher feature connects receivers in its ``receivers.py``, which the app
factory imports. Receivers run synchronously, inside the sender's transaction: a receiver
that raises a ``DomainError`` refuses the whole action, and the request rolls back.

Signals whose receivers answer (e.g. "which productions is this talent linked to?") are
read with :func:`values_from`. A safety check that must not pass silently when nobody
answers passes ``require=True``: no receiver is then an error, not a yes.
"""
from __future__ import annotations

from typing import Any

from blinker import Namespace, Signal

signals = Namespace()

# core's own: a refused request was rolled back (the audit feature records it).
request_refused = signals.signal("request-refused", doc="""A request was refused and rolled back.

``sender`` is the DomainError (or None for a refusal a view returned itself); kwargs:
``action``, ``entity``, ``production_id``, ``data``. Receivers record it.""")


class NoReceiver(RuntimeError):
    """A required signal has nobody connected: fail closed rather than pass silently."""


def values_from(signal: Signal, sender: Any = None, *, require: bool = False, **kwargs: Any) -> list[Any]:
    """The non-None answers of every receiver of ``signal``, in connection order."""
    if require and not signal.receivers:
        raise NoReceiver(f"no receiver is connected to the {signal.name!r} signal")
    return [value for _receiver, value in signal.send(sender, **kwargs) if value is not None]


def flat_values_from(signal: Signal, sender: Any = None, *, require: bool = False, **kwargs: Any) -> list[Any]:
    """``values_from`` for receivers that answer with lists: one list of all their items."""
    return [item for value in values_from(signal, sender, require=require, **kwargs) for item in value]
