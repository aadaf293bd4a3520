"""The N+1 guard: with ``CASTING_RAISE_ON_N_PLUS_ONE`` set (the tests set it), a lazy load that runs SQL for
an object that came from a query of several rows raises ``NPlusOneError``, naming the relation to eager-load
(``selectinload``/``joinedload``). A lazy load on a single object (``db.session.get``, ``.one()``) is one
statement whatever the data size and stays allowed.

How: every loaded object is tagged with a counter shared by the objects of its class loaded by the same query; a lazy load
(``do_orm_execute`` with ``lazy_loaded_from``) on an object whose counter is above one is refused."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Mapper, Session

from casting.extensions import db

_TAG = "casting.batch"
_installed = False


class NPlusOneError(RuntimeError):
    """A relation lazy-loaded, one query per row, on objects loaded as a list."""


def _enabled() -> bool:
    return has_app_context() and bool(current_app.config.get("CASTING_RAISE_ON_N_PLUS_ONE"))


def _on_load(target, context) -> None:
    if not _enabled():
        return
    # Counted per class: a row of (token, user) is one user, but a list of members is a list.
    batch = context.attributes.setdefault((_TAG, type(target)), [0])
    batch[0] += 1
    sa.inspect(target).info[_TAG] = batch


def _on_execute(state) -> None:
    if not state.is_select:
        return
    parent = state.lazy_loaded_from
    if parent is None or not _enabled():
        return
    batch = parent.info.get(_TAG)
    if batch is not None and batch[0] > 1:
        path = state.loader_strategy_path
        raise NPlusOneError(f"lazy load of {path[-1] if path else '?'} on {parent.class_.__name__} "
                            f"{parent.identity}, one of {batch[0]} rows: eager-load it (selectinload/joinedload)")


def forget_batches(session: Session) -> None:
    """Objects already in ``session`` count as loaded one by one from here on: a request starts with a new
    session in production, so what a test loaded as a list before its request is not that request's list."""
    for obj in list(session.identity_map.values()):
        sa.inspect(obj).info.pop(_TAG, None)


def init_app(app) -> None:
    """Install the guard (once per process) when the app asks for it."""
    global _installed
    if not app.config.get("CASTING_RAISE_ON_N_PLUS_ONE"):
        return
    if not _installed:
        sa.event.listen(Mapper, "load", _on_load)
        sa.event.listen(Session, "do_orm_execute", _on_execute)
        _installed = True

    @app.before_request
    def _new_request() -> None:
        forget_batches(db.session())
