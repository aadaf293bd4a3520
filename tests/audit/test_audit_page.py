"""The audit page and list API at scale: actions from the code, index-friendly filters, paging by id (issue 9)."""
from __future__ import annotations

import re

import sqlalchemy as sa

from casting.audit import services as audit
from casting.audit.models import AuditEntry
from casting.audit.queries import visible_entries
from casting.extensions import db
from tests.conftest import auth, login
from tests.factories import make_production, make_user


class Statements:
    """The SQL the app sends while the block runs."""

    def __init__(self):
        self.sql: list[tuple[str, object]] = []

    def __enter__(self):
        sa.event.listen(db.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc):
        sa.event.remove(db.engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, *args):
        self.sql.append((statement, parameters))

    def audit_selects(self) -> list[tuple[str, object]]:
        return [(s, p) for s, p in self.sql if "FROM audit_entries" in s]


def _ids(html: bytes) -> list[int]:
    return [int(i) for i in re.findall(rb'data-entry="(\d+)"', html)]


def _link(html: bytes, label: str) -> str | None:
    match = re.search(rf'<a href="([^"]+)">{label}</a>'.encode(), html)
    return match.group(1).decode().replace("&amp;", "&") if match else None


def test_the_page_pages_by_id_without_offset_or_distinct(client, app):
    admin = make_user("admin")
    db.session.commit()
    for i in range(230):
        audit.record(("session.updated", "session.scheduled", "talent.updated")[i % 3], data={"i": i})
    db.session.commit()
    last = audit.head()[0]
    login(client, admin)
    with Statements() as seen:
        first = client.get("/audit")
    assert first.status_code == 200
    assert _ids(first.data) == list(range(last, last - 100, -1))
    assert _link(first.data, "Newer") is None
    assert seen.audit_selects()
    for sql, parameters in seen.audit_selects():
        assert "DISTINCT" not in sql.upper() and "count(" not in sql.lower()
        if "OFFSET" in sql:  # SQLAlchemy's SQLite dialect always writes one with LIMIT: it must be 0
            assert parameters[-1] == 0, sql
    older = _link(first.data, "Older")
    assert older.endswith(f"before={last - 99}")
    second = client.get(older)
    assert _ids(second.data) == list(range(last - 100, last - 200, -1))
    third = client.get(_link(second.data, "Older"))
    assert _ids(third.data) == list(range(last - 200, 0, -1))
    assert _link(third.data, "Older") is None
    # Back up: the page newer than the third is the second again.
    back = client.get(_link(third.data, "Newer"))
    assert _ids(back.data) == _ids(second.data)
    # A subject filter (one index range per session.* action, merged) pages the same way; filters carry through.
    sessions = db.session.scalars(sa.select(AuditEntry.id).where(AuditEntry.action.like("session.%"))
                                  .order_by(AuditEntry.id.desc())).all()
    assert len(sessions) == 154
    filtered = client.get("/audit?action=session")
    assert _ids(filtered.data) == sessions[:100]
    assert "action=session" in _link(filtered.data, "Older")
    filtered = client.get(_link(filtered.data, "Older"))
    assert _ids(filtered.data) == sessions[100:] and _link(filtered.data, "Older") is None
    assert _ids(client.get(_link(filtered.data, "Newer")).data) == sessions[:100]
    assert client.get("/audit?before=abc").status_code == 200  # a bad value reads as no filter, with a message


def test_the_action_filter_lists_the_declared_actions(client, app):
    admin = make_user("admin")
    audit.record("talent.updated")
    db.session.commit()
    login(client, admin)
    page = client.get("/audit").data
    options = dict(re.findall(rb'<option value="([^"]*)"[^>]*>([^<]+)</option>', page))
    # Actions nobody has recorded yet are offered too: the list comes from casting/audit/actions.py. The codes
    # are the values; the page shows words.
    assert options[b"proposal.approved"] == b"Proposal approved"
    assert options[b"session"] == b"Every session action" and options[b"blocked"] == b"Every blocked action"
    assert options[b"session.schedule_blocked"] == b"Scheduling refused: the checklist does not pass"


def test_each_entry_is_a_readable_line_and_the_filters_take_words(client, app):
    admin = make_user("admin")
    cd = make_user("casting_director")
    spring, autumn = make_production(cd, title="Spring Tide"), make_production(cd, title="Autumn Leaves")
    audit.record("role.created", production_id=spring.id, entity=spring, data={"role_id": 7, "sha256": "ab" * 32,
                                                                              "checklist": {"no_fees": False}})
    audit.record("role.created", production_id=autumn.id, data={"role_id": 8})
    db.session.commit()
    login(client, admin)
    page = client.get("/audit?production=spring+TIDE").get_data(as_text=True)
    assert "Role created" in page and "in <em>Spring Tide</em>" in page
    assert "role: #7" in page and "checklist: not passing: no fees" in page
    assert "ab" * 32 not in page and "role: #8" not in page and "{&#34;" not in page
    assert "Autumn Leaves" not in client.get("/audit?production=spring").get_data(as_text=True)
    bad = client.get("/audit?since_date=2027-02-30&action=nonsense").get_data(as_text=True)
    assert "Give the day as a date" in bad and "ISO 8601" not in bad
    assert "role: #8" in client.get("/audit?since_date=2000-01-01").get_data(as_text=True)
    assert "role: #8" not in client.get("/audit?since_date=2100-01-01").get_data(as_text=True)


def test_members_see_only_their_productions_entries_on_the_page(client, app):
    cd = make_user("casting_director")
    other = make_user("casting_director")
    mine, theirs = make_production(cd), make_production(other)
    for i in range(3):
        audit.record("role.created", production_id=mine.id, data={"i": i})
        audit.record("role.created", production_id=theirs.id, data={"i": i})
    db.session.commit()
    login(client, cd)
    ids = _ids(client.get("/audit").data)
    assert len(ids) == 3 and all(db.session.get(AuditEntry, i).production_id == mine.id for i in ids)
    assert _ids(client.get(f"/audit?production_id={theirs.id}").data) == []
    assert _ids(client.get(f"/audit?production_id={theirs.id}&action=role").data) == []
    assert _ids(client.get(f"/audit?production_id={mine.id}&action=role").data) == ids
    assert _ids(client.get("/audit?action=role").data) == ids
    # Two productions: one index range each, merged newest first.
    third = make_production(cd)
    audit.record("role.created", production_id=third.id)
    db.session.commit()
    both = _ids(client.get("/audit?action=role").data)
    assert both == [audit.head()[0], *ids]
    assert _ids(client.get("/audit?action=role&before=" + str(ids[0])).data) == ids[1:]
    loner = make_user("producer")
    db.session.commit()
    login(client, loner)
    assert _ids(client.get("/audit").data) == []


def test_the_api_keeps_its_contract_and_pages_by_id(client, app):
    admin = make_user("admin")
    cd = make_user("casting_director")
    production = make_production(cd)
    for i in range(5):
        audit.record("session.updated", production_id=production.id, data={"i": i})
    audit.record("company.verified")
    db.session.commit()
    body = client.get("/api/v1/audit?per_page=2", headers=auth(admin)).get_json()
    assert set(body) == {"items", "page", "per_page", "total"}
    newest = body["items"][0]["id"]
    keyset = client.get(f"/api/v1/audit?per_page=2&before={newest - 1}", headers=auth(admin)).get_json()
    assert [e["id"] for e in keyset["items"]] == [newest - 2, newest - 3]
    assert keyset["total"] == newest - 2
    scoped = client.get("/api/v1/audit?action=session&per_page=100", headers=auth(cd)).get_json()
    assert scoped["total"] == 5 and {e["action"] for e in scoped["items"]} == {"session.updated"}
    assert client.get("/api/v1/audit?action=company", headers=auth(cd)).get_json()["total"] == 0
    bad = client.get("/api/v1/audit?before=0&production_id=99999999999", headers=auth(admin))
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["details"]["fields"]) == {"before", "production_id"}


def test_action_filters_match_exactly_or_by_subject(app):
    for action in ("session.updated", "session.scheduled", "sessions.other", "blocked.four_eyes", "blocked"):
        db.session.add(AuditEntry(id=audit.head()[0] + 1, action=action, data="{}", prev_hash="x", hash=action))
        db.session.flush()

    def actions(a):
        return [e.action for e in db.session.scalars(visible_entries(None, action=a))]

    assert actions("session") == ["session.scheduled", "session.updated"]
    assert actions("session.updated") == ["session.updated"]
    assert actions("blocked") == ["blocked", "blocked.four_eyes"]
    assert actions("ses") == []
