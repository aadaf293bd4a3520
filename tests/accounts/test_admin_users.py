"""The admin's users page holds at any size: a page of users at a time, searchable, credentials loaded
with the page (a fixed number of queries, not one a row)."""
from __future__ import annotations

import sqlalchemy as sa

from casting.accounts.models import User
from casting.accounts.views import USERS_PER_PAGE
from casting.extensions import db
from tests.conftest import login
from tests.factories import make_user


def _count_queries(app, func):
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    db.session.commit()
    db.session.expunge_all()  # the test's session is the requests' session: start each count cold
    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        result = func()
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
    return result, len(statements)


def test_users_page_is_paged_searchable_and_its_queries_do_not_grow(client, app):
    admin = make_user("admin", name="Ada Admin")
    for i in range(USERS_PER_PAGE + 5):
        make_user("casting_director", name=f"Cast Director {i:03d}", credential_verified_by=admin)
    db.session.commit()
    admin_id = admin.id
    login(client, admin)
    resp, first_count = _count_queries(app, lambda: client.get("/admin/users"))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert html.count('id="user-') == USERS_PER_PAGE and "page=2" in html
    second = client.get("/admin/users?page=2").get_data(as_text=True)
    assert second.count('id="user-') == 6  # the admin and the five beyond the first page
    found = client.get("/admin/users?q=director%20007").get_data(as_text=True)
    assert found.count('id="user-') == 1 and "Cast Director 007" in found
    admin = db.session.get(User, admin_id)
    for i in range(40):
        make_user("casting_director", name=f"Later Director {i:03d}", credential_verified_by=admin)
    db.session.commit()
    _, later_count = _count_queries(app, lambda: client.get("/admin/users"))
    assert later_count == first_count
