"""The audit API's operations, for the OpenAPI description (core/openapi.py)."""
from __future__ import annotations

from casting.audit.api import VERIFY_FIELDS
from casting.core import openapi as oa

ENTRY = oa.schema("AuditEntry", oa.obj({
    "id": oa.ident(), "created_at": oa.datetime_(), "actor_id": oa.nullable(oa.ident()),
    "actor": oa.nullable(oa.string()), "action": oa.string(), "entity_type": oa.nullable(oa.string()),
    "entity_id": oa.nullable(oa.integer()), "production_id": oa.nullable(oa.ident()), "data": {},
    "prev_hash": oa.nullable(oa.string()), "hash": oa.string(),
}))

oa.declare("audit_api", "Audit", {
    "list_entries": oa.Operation(
        "Audit entries",
        "Admins read every entry; casting directors and producers those of their productions. Filter by "
        "`production_id`, `action` and `since` (ISO 8601 with an offset). Newest first, paginated.",
        {200: oa.page(ENTRY)}, paginated=True,
        query={"production_id": oa.integer(), "action": oa.string(), "since": oa.datetime_()}),
    "start_verify": oa.Operation(
        "Verify the audit chain in a background job (admin)",
        "For a long chain: answers 202 with a job; `GET /jobs/{id}` shows its progress (entries walked of the "
        "chain's length) and, when done, a result shaped like `GET /audit/verify`'s answer. "
        "`{from_checkpoint: true}` walks only the entries after the newest signed checkpoint.",
        {202: oa.obj({"job_id": oa.ident()})}, body=VERIFY_FIELDS, body_optional=True),
    "verify": oa.Operation(
        "Verify the audit chain (admin)",
        "Recomputes every entry's hash along the chain: `ok`, how many entries, the head hash, and where it "
        "first breaks.",
        {200: oa.obj({"ok": oa.boolean(), "entries": oa.integer(minimum=0), "head": oa.nullable(oa.string()),
                      "first_bad_id": oa.nullable(oa.integer()), "reason": oa.nullable(oa.string())})}),
}, description="The tamper-evident audit log.", last=True)
