"""Long lists page: the rows of a page, the link to the next, and the rows of the last (a world with 60 rows
of every list, tests/scale/world.py)."""
from __future__ import annotations

import re

import pytest

from casting.documents.models import Document
from casting.extensions import db
from tests.conftest import login
from tests.scale.world import build_scale_world

N = 60


@pytest.fixture
def world(app):
    return build_scale_world(N)


def _ids(html: str, pattern: str) -> list[int]:
    return [int(x) for x in re.findall(pattern, html)]


def test_production_documents_page_by_id_newest_first(client, world):
    login(client, world.users["cd_own"])
    total = db.session.query(Document).filter_by(production_id=world.production.id).count()
    seen, url = [], f"/productions/{world.production.id}/documents"
    while url:
        html = client.get(url).get_data(as_text=True)
        ids = _ids(html, r'href="/documents/(\d+)"')
        assert 0 < len(ids) <= 50
        seen += ids
        found = re.search(r'href="(/productions/\d+/documents\?after=\d+)"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert len(seen) == total > 50 and seen == sorted(seen, reverse=True)


def test_my_documents_page(client, world):
    login(client, world.users["talent_a"])
    first = client.get("/me/documents").get_data(as_text=True)
    second = client.get("/me/documents?page=2").get_data(as_text=True)
    a, b = _ids(first, r'href="/documents/(\d+)"'), _ids(second, r'href="/documents/(\d+)"')
    assert len(set(a)) == 50 and 0 < len(set(b)) and not set(a) & set(b) and "page=2" in first


def test_review_shows_the_top_of_each_shortlist_and_links_the_rest(client, world):
    from casting.decisions.queries import REVIEW_CANDIDATES

    login(client, world.users["producer"])
    html = client.get(f"/productions/{world.production.id}/review").get_data(as_text=True)
    section = html[html.index(f'id="role-{world.role.id}"'):]
    section = section[:section.index("</section>")]
    assert section.count("<li class=\"candidate-card") == REVIEW_CANDIDATES
    import sqlalchemy as sa

    from casting.calls.models import ShortlistEntry
    from casting.extensions import db

    listed = db.session.scalar(sa.select(sa.func.count()).where(ShortlistEntry.role_id == world.role.id))
    assert listed > N  # the scale world's shortlist, and the entries the feature rows add
    assert f"The top {REVIEW_CANDIDATES} of {listed} on the shortlist" in section
    assert f'href="/roles/{world.role.id}/shortlist"' in section


def test_sessions_list_pages_with_each_checklist(client, world):
    login(client, world.users["cd_own"])
    first = client.get(f"/productions/{world.production.id}/sessions").get_data(as_text=True)
    second = client.get(f"/productions/{world.production.id}/sessions?page=2").get_data(as_text=True)
    rows = re.findall(r'href="/sessions/(\d+)"', first)
    assert len(rows) == 50 and "page=2" in first
    assert not set(rows) & set(re.findall(r'href="/sessions/(\d+)"', second))
    assert first.count("to fix</span>") + first.count('status ok">ready') == 50  # a checklist on every row
