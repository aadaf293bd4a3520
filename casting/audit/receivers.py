"""The audit log listens to refusals: a blocked attempt is on the record after its rollback."""
from __future__ import annotations

from casting.audit import services
from casting.core.signals import request_refused


@request_refused.connect
def record_refusal(_exc, *, action, entity, actor, production_id, data, **_) -> None:
    """Write the blocked attempt in the transaction that follows the rollback (core commits it)."""
    services.record(action, entity, actor=actor, production_id=production_id, data=data)
