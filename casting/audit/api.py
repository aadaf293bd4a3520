"""JSON API: reading and verifying the audit log."""
from __future__ import annotations

import json

from flask import jsonify, request

from casting.audit import access, checkpoints, services
from casting.audit.queries import visible_entries
from casting.core.api import (
    Field,
    api_blueprint,
    iso,
    optional_json_body,
    paginate,
    parse_query_datetime,
    query_id,
    validate,
)
from casting.core.auth import current_actor
from casting.core.database import read_transaction
from casting.core.errors import ValidationError
from casting.jobs import services as jobs
from casting.jobs.registry import handler

bp = api_blueprint("audit_api", __name__)

VERIFY_JOB = "audit.verify"
VERIFY_FIELDS = {"from_checkpoint": Field("bool", required=False, default=False)}


def entry_json(e) -> dict:
    return {"id": e.id, "created_at": iso(e.created_at), "actor_id": e.actor_id, "actor": e.actor_label,
            "action": e.action, "entity_type": e.entity_type, "entity_id": e.entity_id,
            "production_id": e.production_id, "data": json.loads(e.data), "prev_hash": e.prev_hash, "hash": e.hash}


def _id_arg(name: str, errors: dict) -> int | None:
    try:
        return query_id(name)
    except ValidationError as exc:
        errors.update(exc.fields)
        return None


def parse_filters(*, keyset: tuple[str, ...] = ("before",)) -> dict:
    """production_id, action, since (and the keyset bounds ``keyset`` names) from the query string, 422 when
    malformed."""
    errors: dict[str, list[str]] = {}
    out = {"production_id": _id_arg("production_id", errors), "action": request.args.get("action") or None,
           "since": None}
    for name in keyset:
        out[name] = _id_arg(name, errors)
    if request.args.get("since"):
        try:
            out["since"] = parse_query_datetime(request.args["since"])
        except ValueError as exc:
            errors["since"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return out


@bp.get("/audit")
def list_entries():
    """``?before=<id>`` pages by id (keyset) as the page does; ``?page=`` still works beside it."""
    return paginate(visible_entries(access.production_scope(current_actor()), **parse_filters()), entry_json)


@bp.post("/audit/verify")
def start_verify():
    """202 {job_id}: the chain is walked in a background job (``{from_checkpoint: true}``: only the entries after
    the newest signed checkpoint); ``GET /jobs/{id}`` follows it and holds the same answer as ``GET /audit/verify``."""
    access.require_admin(current_actor())
    data = validate(optional_json_body(), VERIFY_FIELDS)
    job = jobs.start(VERIFY_JOB, {"from_checkpoint": data["from_checkpoint"]}, current_actor())
    return jsonify({"job_id": job.id}), 202


@bp.get("/audit/verify")
def verify():
    """The whole chain; ``?from_checkpoint=1``: only the entries after the newest signed checkpoint.

    A long chain belongs in a background job (``services.verify_chain`` takes ``progress`` and ``start``);
    from a checkpoint, a request reads only what was appended since.
    """
    access.require_admin(current_actor())
    return jsonify(verify_json(from_checkpoint=request.args.get("from_checkpoint") in ("1", "true")))


def verify_json(*, from_checkpoint: bool, progress: services.Progress | None = None) -> dict:
    """The answer of a verify, the same in a request and in the job: ``{ok, entries, head, first_bad_id, reason}``
    (``from_entry`` too, from a checkpoint)."""
    if not from_checkpoint:
        return _result_json(services.verify_chain(progress=progress))
    try:
        result, checkpoint = checkpoints.verify_from_latest(progress=progress)
    except checkpoints.CheckpointInvalid as exc:
        return {"ok": False, "entries": 0, "head": None, "first_bad_id": None, "reason": str(exc),
                "from_entry": None}
    return {**_result_json(result), "from_entry": checkpoint.entry_id if checkpoint else 0}


def _result_json(result: services.VerifyResult) -> dict:
    return {"ok": result.ok, "entries": result.count, "head": result.head, "first_bad_id": result.bad_id,
            "reason": result.reason or None}


@handler(VERIFY_JOB)
def verify_job(run) -> dict:
    """Walk the chain in a read transaction (on SQLite a job's transactions would otherwise hold the write lock
    for the whole walk); progress is recorded on a connection of its own."""
    with read_transaction():
        return verify_json(from_checkpoint=bool(run.payload.get("from_checkpoint")),
                           progress=lambda done, total: jobs.report_progress(run.job_id, done, total))
