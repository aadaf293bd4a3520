"""The casting board, the producers' review page, proposing and deciding in the web UI, the talent's offers."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from casting.decisions.models import Proposal, Release
from casting.decisions.queries import funnel_bars
from casting.extensions import db
from tests.conftest import count, login
from tests.decisions.factories import make_casting, make_offer_document, make_proposal
from tests.factories import make_production, make_role, make_shortlist_entry, make_submission, make_open_call, make_user


@pytest.fixture
def c(app):
    world = make_casting()
    db.session.commit()
    return world


def _as(client, user):
    login(client, user)
    return client


def test_board_shows_every_stage_and_the_funnel(client, c):
    p = c.production
    roles = {stage: make_role(p, name=f"Role {stage}") for stage in ("open", "shortlisting", "proposed", "offered",
                                                                      "cast")}
    call = make_open_call(p, [roles["open"]])
    for i in range(2):
        make_submission(call, roles["open"], make_user("talent").talent_profile)
    for stage in ("shortlisting", "proposed", "offered", "cast"):
        make_shortlist_entry(roles[stage], c.talents[0], by=c.cd)
    make_proposal(roles["proposed"], c.talents[0], by=c.cd)
    make_proposal(roles["offered"], c.talents[0], by=c.cd, status="approved", decided_by=c.producer)
    make_proposal(roles["cast"], c.talents[0], by=c.cd, status="accepted", decided_by=c.producer)
    db.session.commit()
    html = _as(client, c.producer).get(f"/productions/{p.id}/board").get_data(as_text=True)
    stages = dict(re.findall(r'id="board-role-(\d+)" data-stage="(\w+)"', html))
    assert stages[str(c.role.id)] == "callbacks"
    assert {stages[str(r.id)] for r in roles.values()} == set(roles)
    assert all(stages[str(r.id)] == s for s, r in roles.items())
    # Production funnel, server-rendered: submissions 2, shortlisted 4 + 4 for Maya, called back 3, cast 1.
    label = re.search(r'<svg class="funnel" [^>]*aria-label="([^"]+)"', html).group(1)
    assert label.endswith("Submissions 2, Shortlisted 8, Called back 3, Cast 1")
    # Drawn on the server: the only script is the site's own static file, and nothing comes from a CDN.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/app.js" defer>'] and "cdn" not in html.lower()


def test_board_api_counts(client, c):
    from tests.conftest import auth

    body = client.get(f"/api/v1/productions/{c.production.id}/board", headers=auth(c.cd)).json
    [row] = body["roles"]
    assert (row["stage"], row["shortlisted"], row["called_back"], row["attended"]) == ("callbacks", 4, 3, 3)
    assert body["totals"]["stage_callbacks"] == 1
    assert client.get(f"/api/v1/productions/{c.production.id}/board",
                      headers=auth(c.talents[0].user)).status_code == 404


def test_funnel_geometry():
    chart = funnel_bars([("A", 10), ("B", 5), ("C", 0)], width=200, bar_height=20, gap=5)
    a, b, z = chart["bars"]
    assert (a["w"], a["x"]) == (200, 0) and (b["w"], b["x"]) == (100, 50) and z["w"] == 4
    assert (b["y"], z["y"], chart["height"]) == (25, 50, 70)
    assert funnel_bars([("A", 0)])["bars"][0]["w"] == 4


def test_review_page_for_producers(client, c):
    p = make_proposal(c.role, c.talents[0], by=c.cd)
    db.session.commit()
    html = _as(client, c.producer).get(f"/productions/{c.production.id}/review").get_data(as_text=True)
    assert "Talent A Person" in html and "Strong read, take 1" in html      # shortlist and its note
    assert "5.0 / 5" in html or "4.5 / 5" in html                            # average rating
    assert "Lovely stillness 0" in html and "Good chemistry" in html        # panel notes
    assert "attended" in html                                               # callback attendance
    assert f'action="/proposals/{p.id}/decide"' in html and 'value="approve"' in html and 'value="reject"' in html
    # The proposer sees the proposal but no decision buttons.
    html = _as(client, c.cd).get(f"/productions/{c.production.id}/review").get_data(as_text=True)
    assert "awaiting a producer" in html and f'/proposals/{p.id}/decide' not in html


def test_pages_hidden_from_outsiders(client, c):
    outsider = make_user("producer")
    make_production(make_user("casting_director"), members={outsider: "producer"})
    db.session.commit()
    for path in ("board", "review", "cast-list.csv", "callback-schedule.csv"):
        for user in (outsider, c.talents[0].user):
            assert _as(client, user).get(f"/productions/{c.production.id}/{path}").status_code == 404
    assert client.get(f"/roles/{c.role.id}/propose").status_code == 404


def test_propose_form(client, c):
    _as(client, c.cd)
    page = client.get(f"/roles/{c.role.id}/propose")
    assert page.status_code == 200 and "#1 Talent A Person" in page.get_data(as_text=True)
    bad = client.post(f"/roles/{c.role.id}/propose", data={"talent_id": c.talents[0].id, "compensation": "",
                                                            "start_date": "2027-05-10", "end_date": "2027-05-01"})
    assert bad.status_code == 422 and count(Proposal) == 0
    assert "This field is required." in bad.get_data(as_text=True)
    bad = client.post(f"/roles/{c.role.id}/propose", data={"talent_id": c.talents[0].id, "compensation": "Scale",
                                                            "start_date": "2027-05-10", "end_date": "2027-05-01"})
    assert bad.status_code == 422 and "on or after the start date" in bad.get_data(as_text=True)
    assert count(Proposal) == 0
    ok = client.post(f"/roles/{c.role.id}/propose", data={"talent_id": c.talents[1].id, "compensation": "Scale",
                                                           "start_date": "2027-05-01", "jurisdiction": "GB"})
    assert ok.status_code == 302 and ok.headers["Location"].endswith(f"/review#role-{c.role.id}")
    p = db.session.scalar(sa.select(Proposal))
    assert (p.talent_id, p.terms) == (c.talents[1].id, {"compensation": "Scale", "start_date": "2027-05-01",
                                                        "jurisdiction": "GB"})
    again = client.post(f"/roles/{c.role.id}/propose", data={"talent_id": c.talents[0].id, "compensation": "Scale"},
                        headers={"Referer": f"/roles/{c.role.id}/propose"})
    assert again.status_code == 303 and count(Proposal) == 1
    assert _as(client, c.producer).get(f"/roles/{c.role.id}/propose").status_code == 403


def test_decide_form(client, c, outbox):
    p = make_proposal(c.role, c.talents[0], by=c.cd)
    db.session.commit()
    resp = _as(client, c.cd).post(f"/proposals/{p.id}/decide", data={"decision": "approve"})
    assert resp.status_code == 403 and "other than the proposer" in resp.get_data(as_text=True)
    _as(client, c.producer)
    resp = client.post(f"/proposals/{p.id}/decide", data={"decision": "maybe"})
    assert resp.status_code == 302 and db.session.get(Proposal, p.id).status == "proposed"
    # Without the confirmation page's button, a decision only asks (issue 11 item 4).
    resp = client.post(f"/proposals/{p.id}/decide", data={"decision": "reject", "comment": "Too close to Jonah."})
    assert resp.status_code == 200 and "Reject the proposal?" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Proposal, p.id).status == "proposed"
    resp = client.post(f"/proposals/{p.id}/decide", data={"decision": "reject", "comment": "Too close to Jonah.",
                                                          "confirmed": "yes"}, follow_redirects=True)
    assert resp.status_code == 200 and "Rejected" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert (p.status, p.decision_comment) == ("rejected", "Too close to Jonah.")


def test_release_form(client, c, outbox):
    _as(client, c.cd)
    resp = client.post(f"/roles/{c.role.id}/release", data={"talent_id": c.talents[2].id}, follow_redirects=True)
    assert resp.status_code == 200 and "was released" in resp.get_data(as_text=True)
    assert db.session.scalar(sa.select(Release.talent_id)) == c.talents[2].id
    assert _as(client, c.producer).post(f"/roles/{c.role.id}/release",
                                        data={"talent_id": c.talents[1].id}).status_code == 403
    assert count(Release) == 1


def test_my_offers_and_decline(client, c):
    mine = make_proposal(c.role, c.talents[0], by=c.cd, status="approved", decided_by=c.producer,
                         terms={"compensation": "Scale plus 10%", "usage": "Film and trailers only."})
    make_offer_document(mine)
    other_role = make_role(c.production, name="Jonah")
    make_shortlist_entry(other_role, c.talents[0], by=c.cd)
    hidden = make_proposal(other_role, c.talents[0], by=c.cd)        # proposed: not shown
    db.session.commit()
    html = _as(client, c.talents[0].user).get("/me/offers").get_data(as_text=True)
    assert "Scale plus 10%" in html and "Film and trailers only." in html and f"offer-{mine.id}" in html
    assert f'href="/documents/{mine.offer_document_id}"' in html and "Read and sign the offer" in html
    assert f"offer-{hidden.id}" not in html
    assert "Scale plus 10%" not in _as(client, c.talents[1].user).get("/me/offers").get_data(as_text=True)
    assert client.post(f"/me/offers/{mine.id}/decline", data={}).status_code == 404
    assert _as(client, c.producer).get("/me/offers").status_code == 403
    resp = _as(client, c.talents[0].user).post(f"/me/offers/{mine.id}/decline", data={"reason": "Dates clash."},
                                               follow_redirects=True)
    assert resp.status_code == 200 and "You declined" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert mine.status == "declined"
