"""Reporting a concern is rate-limited per client address, one budget for the form and the API."""
from __future__ import annotations

import pytest

from casting.extensions import db
from tests.calls.factories import calls_world


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_REPORT": "3 per minute"}


def test_reporting_is_rate_limited_across_the_form_and_the_api(client, app):
    calls_world()
    db.session.commit()
    from casting.extensions import limiter

    limiter.reset()
    body = {"about": {"company_name": "Spam Co"}, "details": "Flooding the queue with reports."}
    statuses = [client.post("/api/v1/reports", json=body).status_code for _ in range(2)]
    statuses.append(client.post("/report", data={"about": "company_name", "company_name": "Spam Co",
                                                 "details": "Flooding the queue."}).status_code)
    statuses.append(client.post("/api/v1/reports", json=body).status_code)
    assert statuses == [201, 201, 200, 429]
    assert client.get("/report").status_code == 200  # reading the form is not limited
    limiter.reset()
