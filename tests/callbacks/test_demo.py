"""The demo sessions: one ready to schedule, one failing exactly three items; idempotent."""
from __future__ import annotations

from casting.callbacks.demo import seed_demo_sessions
from casting.callbacks.gate import checklist_for
from casting.callbacks.models import CallbackSession
from tests.callbacks.factories import make_ready_session
from tests.conftest import count


def test_demo_sessions(app):
    base = make_ready_session()
    args = dict(cd=base.lead_casting_director, panel=list(base.panel), venue=base.venue, roles=list(base.roles))
    ready, failing = seed_demo_sessions(base.production, **args)
    assert checklist_for(ready).ready
    assert checklist_for(failing).failed_codes == ["no_fees", "professional_venue", "business_hours"]
    n = count(CallbackSession)
    assert seed_demo_sessions(base.production, **args) == (ready, failing) and count(CallbackSession) == n
