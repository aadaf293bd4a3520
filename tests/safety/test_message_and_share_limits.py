"""Messages and shares email other people, so each account has a budget for them (RATELIMIT_MESSAGES,
RATELIMIT_SHARES), shared by the page and the API; over it the answer is 429 rate_limited, nothing is sent or
stored, and another account's budget is untouched."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from casting.callbacks.models import InvitationMessage, InvitationShare
from casting.extensions import db, limiter
from tests.conftest import auth, count, login, read_outbox
from tests.safety.test_shares import _invited


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_MESSAGES": "3 per minute", "RATELIMIT_SHARES": "2 per minute"}


@pytest.fixture(autouse=True)
def _fresh_limits(app):
    limiter.reset()
    yield
    limiter.reset()


def test_messages_are_limited_per_account_across_the_page_and_the_api(client, app, outbox):
    s, iid, user, _ = _invited(client)
    cd = s.lead_casting_director
    api = [client.post(f"/api/v1/invitations/{iid}/messages", json={"body": f"Hello {i}"}, headers=auth(user))
           .status_code for i in range(2)]
    login(client, user)
    page = client.post(f"/invitations/{iid}/messages", data={"body": "From the page"}).status_code
    over = client.post(f"/api/v1/invitations/{iid}/messages", json={"body": "One too many"}, headers=auth(user))
    assert api == [201, 201] and page == 302
    assert over.status_code == 429 and over.json["error"]["code"] == "rate_limited"
    bodies = db.session.scalars(sa.select(InvitationMessage.body).where(InvitationMessage.invitation_id == iid)).all()
    assert "One too many" not in bodies and len([b for b in bodies if b.startswith(("Hello", "From"))]) == 3
    assert not any("One too many" in m.get_body().get_content() for m in read_outbox(outbox))
    # The casting director's budget is their own.
    reply = client.post(f"/api/v1/invitations/{iid}/messages", json={"body": "We got it"}, headers=auth(cd))
    assert reply.status_code == 201
    # Reading the thread is not limited.
    assert client.get(f"/api/v1/invitations/{iid}/messages", headers=auth(user)).status_code == 200


def test_shares_are_limited_per_account(client, app, outbox):
    s, iid, user, _ = _invited(client)
    statuses = [client.post(f"/api/v1/invitations/{iid}/share", headers=auth(user),
                            json={"name": f"Friend {i}", "email": f"friend{i}@example.com"}).status_code
                for i in range(3)]
    assert statuses == [201, 201, 429]
    assert count(InvitationShare) == 2
    assert not [m for m in read_outbox(outbox) if m["To"] == "friend2@example.com"]
    login(client, user)
    page = client.post(f"/invitations/{iid}/share", data={"share-name": "Friend 3", "share-email": "f3@example.com"})
    assert page.status_code == 429 and "Too many attempts" in page.get_data(as_text=True)
    assert count(InvitationShare) == 2
