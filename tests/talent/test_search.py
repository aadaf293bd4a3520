"""Talent search (issue 13 item 6): the talent an office's productions may see, filtered, sorted, paginated, as a
list or a headshot grid, the filters kept in the URL."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from casting.core.db import utcnow
from casting.core.uploads import Upload
from casting.extensions import db
from casting.talent import profile, search
from tests.calls.factories import calls_world
from tests.conftest import auth, login
from tests.factories import make_submission, make_talent, make_user, png_bytes


@pytest.fixture
def world(app):
    """Four talent who applied to the production of ``cd``, one the office added, one nobody links to."""
    w = calls_world()
    people = {
        "ana": ("Ana Ash", "Bristol", 20, 30, ["Equity"], ["Stage combat", "Guitar"]),
        "ben": ("Ben Birch", "bristol ", 35, 50, [], ["Guitar"]),
        "cat": ("Cat Cole", "Leeds", 18, 25, ["Equity"], ["Welsh"]),
        "dan": ("Dan Dale", None, None, None, [], []),
    }
    w.people = {}
    for i, (key, (name, town, low, high, unions, skills)) in enumerate(people.items()):
        user = make_user("talent", name=name)
        t = make_talent(user=user, legal_name=name)
        t.created_at = utcnow() - timedelta(days=10 - i)
        make_submission(w.call, w.role, t)
        profile.update_profile_details(t, actor=user, location=town, playing_age_min=low, playing_age_max=high,
                                       unions=unions, skills=skills)
        w.people[key] = t
    profile.add_headshot(w.people["ana"], Upload(png_bytes(), "image/png", "a.png"), actor=w.people["ana"].user)
    added = make_talent(legal_name="Eve Added")
    added.created_by_id = w.cd.id
    profile_user = make_user("talent", name="Zed Stranger")
    stranger = make_talent(user=profile_user, legal_name="Zed Stranger")
    profile.update_profile_details(stranger, actor=profile_user, location="Bristol", skills=["Guitar"])
    w.people.update(eve=added, zed=stranger)
    db.session.commit()
    return w


def names(user, **args) -> list[str]:
    filters = search.require_valid(search.parse_filters(args))
    return [t.legal_name for t in db.session.scalars(search.search_query(user, filters))]


def test_the_search_sees_only_linked_talent_and_filters_on_each_field(world):
    cd = world.cd
    assert names(cd) == ["Ana Ash", "Ben Birch", "Cat Cole", "Dan Dale", "Eve Added"]  # never Zed Stranger
    assert names(cd, location="BRISTOL") == ["Ana Ash", "Ben Birch"]
    assert names(cd, playing_age="25") == ["Ana Ash", "Cat Cole"]
    assert names(cd, playing_age="19") == ["Cat Cole"]
    assert names(cd, union="equity") == ["Ana Ash", "Cat Cole"]
    assert names(cd, skill="guitar") == ["Ana Ash", "Ben Birch"]
    assert names(cd, skill="Guitar", union="Equity", location="bristol", playing_age="22") == ["Ana Ash"]
    assert names(cd, q="birch") == ["Ben Birch"]
    assert names(cd, sort="date")[:2] == ["Eve Added", "Dan Dale"]
    # The producer sees the production's applicants, not what the casting director's office added.
    assert names(world.producer) == ["Ana Ash", "Ben Birch", "Cat Cole", "Dan Dale"]
    assert names(world.other_cd) == []


def test_several_skills_must_all_match(world):
    from werkzeug.datastructures import MultiDict

    filters = search.parse_filters(MultiDict([("skill", "guitar"), ("skill", "stage combat")]))
    assert [t.legal_name for t in db.session.scalars(search.search_query(world.cd, filters))] == ["Ana Ash"]


def test_talent_accounts_cannot_search(client, world):
    resp = client.get("/api/v1/talent", headers=auth(world.people["ana"].user))
    assert resp.status_code == 403


def test_the_api_answers_a_page_of_results_with_headshots(client, world):
    resp = client.get("/api/v1/talent?location=Bristol&per_page=1", headers=auth(world.cd))
    assert resp.status_code == 200
    got = resp.get_json()
    assert got["total"] == 2 and got["per_page"] == 1 and len(got["items"]) == 1
    [ana] = got["items"]
    assert ana["legal_name"] == "Ana Ash" and ana["skills"] == ["Guitar", "Stage combat"] and ana["unions"] == ["Equity"]
    assert ana["playing_age_min"] == 20 and ana["headshot_url"].endswith(
        f"/talent/{ana['id']}/headshots/{world.people['ana'].headshots[0].id}")
    assert client.get(ana["headshot_url"], headers=auth(world.cd)).mimetype == "image/png"
    second = client.get("/api/v1/talent?location=Bristol&per_page=1&page=2", headers=auth(world.cd)).get_json()
    assert [t["legal_name"] for t in second["items"]] == ["Ben Birch"] and second["items"][0]["headshot_url"] is None


@pytest.mark.parametrize("query, field", [
    ("playing_age=old", "playing_age"), ("playing_age=500", "playing_age"), ("sort=height", "sort"),
    ("skill=" + "x" * 61, "skill"), ("q=" + "x" * 201, "q"),
    ("&".join(f"union=u{i}" for i in range(6)), "union"),
])
def test_bad_filters_are_a_422_on_the_api(client, world, query, field):
    resp = client.get(f"/api/v1/talent?{query}", headers=auth(world.cd))
    assert resp.status_code == 422 and field in resp.get_json()["error"]["details"]["fields"]


def test_the_page_keeps_the_filters_in_the_url_and_shows_a_grid(client, world):
    login(client, world.cd)
    page = client.get("/talent?skill=Guitar&location=Bristol&sort=date").get_data(as_text=True)
    assert "Ana Ash" in page and "Ben Birch" in page and "Cat Cole" not in page and "Zed" not in page
    assert 'value="Guitar"' in page and 'value="Bristol"' in page and '<option value="date" selected>' in page
    # The link to the grid keeps every filter.
    assert "view=grid" in page and "skill=Guitar" in page and "location=Bristol" in page
    grid = client.get("/talent?skill=Guitar&location=Bristol&view=grid").get_data(as_text=True)
    ana = world.people["ana"]
    assert 'id="talent-grid"' in grid and f"/talent/{ana.id}/headshots/{ana.headshots[0].id}" in grid
    assert '<span class="placeholder" aria-hidden="true">B.B.</span>' in grid  # Ben has no headshot
    assert 'aria-current="page">Headshots' in grid
    # A bad filter on the page is left out, not an error.
    assert client.get("/talent?playing_age=old").status_code == 200


def test_the_page_paginates_with_the_filters(client, app):
    w = calls_world()
    for i in range(55):
        t = make_talent(legal_name=f"Pat {i:02d}")
        t.created_by_id = w.cd.id
        t.location, t.location_key = "York", "york"
    db.session.commit()
    login(client, w.cd)
    first = client.get("/talent?location=York").get_data(as_text=True)
    assert "Pat 49" in first and "Pat 50" not in first
    assert "page=2" in first and "location=York" in first
    second = client.get("/talent?location=York&page=2").get_data(as_text=True)
    assert "Pat 50" in second and "Pat 54" in second and "Pat 00" not in second


def test_the_filters_use_indexes(world):
    """The indexes exist; on SQLite, EXPLAIN QUERY PLAN shows each filter reading its index (PostgreSQL's
    planner picks by table statistics, so there only their presence is checked)."""
    from casting.talent.models import TalentProfile, TalentSkill

    inspector = sa.inspect(db.engine)
    assert {"ix_talent_profiles_location_key", "ix_talent_profiles_playing_age"} <= \
        {ix["name"] for ix in inspector.get_indexes("talent_profiles")}
    assert "ix_talent_skills_key_talent" in {ix["name"] for ix in inspector.get_indexes("talent_skills")}
    assert "ix_talent_unions_key_talent" in {ix["name"] for ix in inspector.get_indexes("talent_unions")}
    if db.engine.dialect.name != "sqlite":
        return

    def plan(query) -> str:
        sql = query.compile(db.engine, compile_kwargs={"literal_binds": True})
        return " ".join(str(r[-1]) for r in db.session.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}")))

    assert "ix_talent_skills_key_talent" in plan(sa.select(TalentSkill.talent_id).where(TalentSkill.key == "guitar"))
    assert "ix_talent_profiles_location_key" in plan(
        sa.select(TalentProfile.id).where(TalentProfile.location_key == "bristol"))
