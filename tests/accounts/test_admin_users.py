"""The admin's users page holds at any size: a page of users at a time, searchable, credentials loaded
with the page (a fixed number of queries, not one a row)."""
from __future__ import annotations

import sqlalchemy as sa

from casting.accounts.models import Credential, User
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
    resp, first_count = _count_queries(app, lambda: client.get("/admin/users?credential=any"))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert html.count('id="user-') == USERS_PER_PAGE and "page=2" in html and "credential=any" in html
    second = client.get("/admin/users?credential=any&page=2").get_data(as_text=True)
    assert second.count('id="user-') == 6  # the admin and the five beyond the first page
    found = client.get("/admin/users?q=cast%20director%20007").get_data(as_text=True)
    assert found.count('id="user-') == 1 and "Cast Director 007" in found
    admin = db.session.get(User, admin_id)
    for i in range(40):
        make_user("casting_director", name=f"Later Director {i:03d}", credential_verified_by=admin)
    db.session.commit()
    _, later_count = _count_queries(app, lambda: client.get("/admin/users?credential=any"))
    assert later_count == first_count


def test_users_page_defaults_to_credentials_waiting_and_filters_by_kind_credential_and_prefix(client):
    admin = make_user("admin", name="Ada Admin")
    verified = make_user("casting_director", name="Vera Verified", credential_verified_by=admin)
    pending = make_user("casting_director", name="Penny Pending")
    db.session.add(Credential(user_id=pending.id, registry_name="Casting Society", reference="CSA-9",
                              submitted_by_id=pending.id))
    no_credential = make_user("casting_director", name="Nora None")
    producer = make_user("producer", name="Pat Producer", email="pat@studio.example")
    db.session.commit()
    login(client, admin)

    def listed(query: str = "") -> set[int]:
        html = client.get(f"/admin/users{query}").get_data(as_text=True)
        return {u.id for u in (admin, verified, pending, no_credential, producer) if f'id="user-{u.id}"' in html}

    assert listed() == {pending.id}  # the work waiting for an admin
    assert listed("?credential=verified") == {verified.id}
    assert listed("?credential=none&kind=casting_director") == {no_credential.id}
    assert listed("?kind=producer") == {producer.id}
    assert listed("?q=PEN") == {pending.id}            # a name prefix, any case, over every account
    assert listed("?q=pat@studio") == {producer.id}    # an email prefix
    assert listed("?q=ending") == set()                # a prefix, not a substring
    assert listed("?q=%25") == set()                   # LIKE wildcards are text
    html = client.get("/admin/users?credential=verified").get_data(as_text=True)
    assert '<option value="verified" selected>' in html


def test_the_new_user_form_has_no_default_kind_and_asks_for_one(client, app):
    admin = make_user("admin")
    db.session.commit()
    login(client, admin)
    page = client.get("/admin/users").get_data(as_text=True)
    select = page[page.index('name="role"'):page.index("</select>", page.index('name="role"'))]
    assert 'selected' not in select.split("</option>", 1)[1]  # only the "choose" prompt may be selected
    assert "— choose the kind of account —" in select
    before = db.session.scalar(sa.select(sa.func.count(User.id)))
    resp = client.post("/admin/users", data={"email": "nokind@example.com", "name": "No Kind", "role": ""})
    assert resp.status_code == 422 and "Choose the kind of account." in resp.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == before
