"""Datetimes we take: 1900-2100 only (API and forms), and wall times read in the venue's timezone that never
guess: a time the clocks skip is a form error, a time that happens twice asks which one (issue 10)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from casting.callbacks.models import CallbackSession
from casting.calls.models import OpenCall
from casting.core.timefmt import AmbiguousTime, NonexistentTime, from_local
from casting.extensions import db
from casting.talent.models import TalentProfile
from tests.callbacks.factories import make_ready_session, next_weekday
from tests.conftest import auth, count, login
from tests.factories import make_talent, make_user


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


YEAR = date.today().year + 1
SPRING = last_sunday(YEAR, 3)   # London: 01:00 GMT -> 02:00 BST
AUTUMN = last_sunday(YEAR, 10)  # London: 02:00 BST -> 01:00 GMT


@pytest.mark.parametrize("tz,local,utc", [
    ("Europe/London", datetime(YEAR, 6, 1, 10), datetime(YEAR, 6, 1, 9)),
    ("Asia/Kolkata", datetime(YEAR, 6, 1, 10), datetime(YEAR, 6, 1, 4, 30)),
    ("America/New_York", datetime(1900, 1, 1, 0, 0), datetime(1900, 1, 1, 5, 0)),
])
def test_from_local_reads_wall_time(tz, local, utc):
    assert from_local(local, tz) == utc.replace(tzinfo=timezone.utc)


def test_from_local_never_guesses():
    with pytest.raises(NonexistentTime, match="does not exist"):
        from_local(datetime.combine(SPRING, datetime.min.time()).replace(hour=1, minute=30), "Europe/London")
    with pytest.raises(NonexistentTime):  # New York springs forward at 02:00
        from_local(datetime(2027, 3, 14, 2, 30), "America/New_York")
    autumn = datetime.combine(AUTUMN, datetime.min.time()).replace(hour=1, minute=30)
    with pytest.raises(AmbiguousTime) as exc:
        from_local(autumn, "Europe/London")
    assert exc.value.offsets == ["+01:00", "+00:00"]
    assert from_local(autumn, "Europe/London", "+01:00").hour == 0
    assert from_local(autumn, "Europe/London", "+00:00").hour == 1
    with pytest.raises(AmbiguousTime):  # an offset that is neither of the two is no answer
        from_local(autumn, "Europe/London", "+05:00")
    for value in (datetime(1899, 12, 31, 23), datetime(2101, 1, 1), datetime(9999, 12, 31, 22)):
        with pytest.raises(ValueError, match="between 1900 and 2100"):
            from_local(value, "Europe/London")
    with pytest.raises(ValueError, match="Unknown timezone"):
        from_local(datetime(YEAR, 6, 1), "Mars/Olympus_Mons")


def test_the_api_refuses_datetimes_out_of_range(app, client):
    s = make_ready_session()
    cd, production = s.lead_casting_director, s.production
    start = next_weekday(2, tz="Europe/London", hour=9)
    body = {"title": "Chemistry reads", "role_ids": [s.roles[0].id], "venue_id": s.venue_id,
            "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat(),
            "slot_minutes": 15, "panel_user_ids": [u.id for u in s.panel], "recorded": False}
    url = f"/api/v1/productions/{production.id}/sessions"
    before = count(CallbackSession)
    for field, value in (("starts_at", "9999-12-31T22:00Z"), ("starts_at", "0001-01-01T00:00:00+14:00"),
                         ("ends_at", "9999-12-31T23:59:59-14:00"), ("starts_at", "1899-12-31T23:00:00Z"),
                         ("ends_at", "2101-01-01T00:00:00Z")):
        resp = client.post(url, json={**body, field: value}, headers=auth(cd))
        assert resp.status_code == 422, resp.json
        assert resp.json["error"]["code"] == "validation_error" and field in resp.json["error"]["details"]["fields"]
    assert count(CallbackSession) == before
    # The production's sessions list still answers (no stored instant it cannot show).
    assert client.get(url, headers=auth(cd)).status_code == 200
    resp = client.patch(f"/api/v1/sessions/{s.id}", json={"starts_at": "9999-12-31T22:00Z"}, headers=auth(cd))
    assert resp.status_code == 422
    call = client.post(f"/api/v1/productions/{production.id}/open-calls",
                       json={"title": "Open call", "role_ids": [s.roles[0].id], "closes_at": "9999-12-31T22:00Z"},
                       headers=auth(cd))
    assert call.status_code == 422 and "closes_at" in call.json["error"]["details"]["fields"]
    assert count(OpenCall) == 0
    assert client.post(url, json=body, headers=auth(cd)).status_code == 201


def _session_form(s, day: date, start: str, end: str) -> dict:
    return {"title": "DST callbacks", "role_ids": [s.roles[0].id], "venue_id": s.venue_id,
            "starts_at": f"{day}T{start}", "ends_at": f"{day}T{end}", "slot_minutes": "20",
            "panel_user_ids": [u.id for u in s.panel]}


def _new(title: str = "DST callbacks") -> CallbackSession | None:
    db.session.expire_all()
    return db.session.scalars(sa.select(CallbackSession).where(CallbackSession.title == title)).one_or_none()


def test_a_time_the_clocks_skip_is_a_form_error(app, client):
    s = make_ready_session()
    pid = s.production_id
    db.session.commit()
    login(client, s.lead_casting_director)
    resp = client.post(f"/productions/{pid}/sessions/new", data=_session_form(s, SPRING, "01:30", "03:30"))
    assert resp.status_code == 422
    assert "01:30 does not exist" in resp.get_data(as_text=True) and _new() is None
    resp = client.post(f"/productions/{pid}/sessions/new", data=_session_form(s, SPRING, "00:30", "03:30"))
    assert resp.status_code == 302
    new = _new()
    assert new.ends_at - new.starts_at == timedelta(hours=2)  # 00:30 GMT to 03:30 BST


def test_a_time_that_happens_twice_asks_which_one(app, client):
    s = make_ready_session()
    pid = s.production_id
    db.session.commit()
    login(client, s.lead_casting_director)
    form = _session_form(s, AUTUMN, "01:30", "03:00")
    resp = client.post(f"/productions/{pid}/sessions/new", data=form)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and _new() is None and "happens twice" in html
    start = f"{AUTUMN.isoformat()}T01:30"  # each offset is sent tagged with the wall time it is for
    assert f'name="starts_at_offset" value="+01:00@{start}"' in html
    assert f'name="starts_at_offset" value="+00:00@{start}"' in html
    assert "01:30 BST (+01:00), the first" in html and "01:30 GMT (+00:00), the second" in html
    resp = client.post(f"/productions/{pid}/sessions/new", data={**form, "starts_at_offset": f"+00:00@{start}"})
    assert resp.status_code == 302
    new = _new()
    assert new.starts_at.replace(tzinfo=timezone.utc) == datetime.combine(AUTUMN, datetime.min.time()).replace(
        hour=1, minute=30, tzinfo=timezone.utc)
    assert new.ends_at - new.starts_at == timedelta(minutes=90)
    # The edit form carries the chosen offset along, so saving it unchanged asks nothing and moves nothing.
    html = client.get(f"/sessions/{new.id}/edit").get_data(as_text=True)
    assert f'name="starts_at_offset" value="+00:00@{start}"' in html
    end = f"{AUTUMN.isoformat()}T03:00"
    edit = {**form, "starts_at_offset": f"+00:00@{start}", "ends_at_offset": f"+00:00@{end}", "title": "DST callbacks"}
    assert client.post(f"/sessions/{new.id}/edit", data=edit).status_code == 302
    assert _new().starts_at == new.starts_at
    # The first 01:30 is an hour earlier.
    edit["starts_at_offset"] = f"+01:00@{start}"
    assert client.post(f"/sessions/{new.id}/edit", data=edit).status_code == 302
    assert _new().ends_at - _new().starts_at == timedelta(minutes=150)


def test_an_offset_carried_for_one_time_never_decides_another(app, client):
    """The edit form carries the stored start's offset along; changed to a time that happens twice, the form
    asks again instead of taking the old time's side."""
    s = make_ready_session()
    pid = s.production_id
    db.session.commit()
    login(client, s.lead_casting_director)
    form = _session_form(s, AUTUMN, "00:30", "03:00")  # 00:30 BST happens once
    assert client.post(f"/productions/{pid}/sessions/new", data=form).status_code == 302
    new = _new()
    html = client.get(f"/sessions/{new.id}/edit").get_data(as_text=True)
    carried = f"+01:00@{AUTUMN.isoformat()}T00:30"
    assert f'name="starts_at_offset" value="{carried}"' in html
    moved = {**_session_form(s, AUTUMN, "01:30", "03:00"), "starts_at_offset": carried, "title": "DST callbacks"}
    resp = client.post(f"/sessions/{new.id}/edit", data=moved)
    assert resp.status_code == 422 and "happens twice" in resp.get_data(as_text=True)
    assert _new().starts_at == new.starts_at


def test_forms_refuse_dates_out_of_range(app, client):
    s = make_ready_session()
    pid = s.production_id
    db.session.commit()
    login(client, s.lead_casting_director)
    resp = client.post(f"/productions/{pid}/sessions/new", data=_session_form(s, date(9999, 12, 31), "10:00", "12:00"))
    assert resp.status_code == 422 and "between 1900 and 2100" in resp.get_data(as_text=True) and _new() is None
    resp = client.post(f"/productions/{pid}/calls", data={"title": "Open call", "role_ids": [s.roles[0].id],
                                                          "closes_at": "0001-01-01T00:00", "timezone": "Pacific/Kiritimati"})
    assert resp.status_code == 422 and "between 1900 and 2100" in resp.get_data(as_text=True)
    user = make_user("talent")
    make_talent(user=user, legal_name="Ann Lee")
    db.session.commit()
    login(client, user)
    resp = client.post("/me/profile", data={"legal_name": "Ann Lee", "date_of_birth": "0001-01-01"})
    assert resp.status_code == 422 and "between 1900 and 2100" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalars(sa.select(TalentProfile.date_of_birth)).all() == [None]
