"""Matrix rows for final casting decisions: proposals, the producers' decision, offers, releases, board, exports."""
from __future__ import annotations

from tests.access.matrix import Row, expect

MEMBERS_PAGE = expect(404, anonymous=302, producer=200, admin=200, cd_own=200)
MEMBERS_API = expect(404, anonymous=401, producer=200, admin=200, cd_own=200)
TERMS = {"compensation": "Equity minimum, £600 a week", "start_date": "2027-05-03", "jurisdiction": "GB"}


def extend(world) -> None:
    from tests.decisions.factories import make_proposal
    from tests.factories import make_role, make_shortlist_entry

    cd, producer = world.users["cd_own"], world.users["producer"]
    offered_role = make_role(world.production, name="Offered part")
    proposed_role = make_role(world.production, name="Proposed part")
    for role in (offered_role, proposed_role):
        make_shortlist_entry(role, world.talent_a, by=cd)
    world.extra["dec_offer"] = make_proposal(offered_role, world.talent_a, by=cd, status="approved",
                                             decided_by=producer, terms=TERMS)
    world.extra["dec_proposed"] = make_proposal(proposed_role, world.talent_a, by=cd, terms=TERMS)


ROWS = [
    # JSON API
    Row("POST", "decisions_api.propose", lambda w: f"/api/v1/roles/{w.role.id}/proposals",
        expect(404, anonymous=401, producer=403, admin=403, cd_own=201),
        json=lambda w: {"talent_id": w.talent_a.id, "terms": TERMS}),
    Row("GET", "decisions_api.role_proposals", lambda w: f"/api/v1/roles/{w.dec_proposed.role_id}/proposals",
        MEMBERS_API),
    Row("GET", "decisions_api.get", lambda w: f"/api/v1/proposals/{w.dec_offer.id}",
        expect(404, anonymous=401, talent_a=200, producer=200, admin=200, cd_own=200),
        note="the talent sees their own offer"),
    Row("GET", "decisions_api.get", lambda w: f"/api/v1/proposals/{w.dec_proposed.id}", MEMBERS_API,
        id="GET decisions_api.get (not yet an offer)", note="a proposal is internal until approved"),
    Row("POST", "decisions_api.approve", lambda w: f"/api/v1/proposals/{w.dec_proposed.id}/approve",
        expect(404, anonymous=401, producer=200, admin=403, cd_own=403), json=lambda w: {"comment": "Yes."},
        note="cd_own proposed it: four_eyes"),
    Row("POST", "decisions_api.reject", lambda w: f"/api/v1/proposals/{w.dec_proposed.id}/reject",
        expect(404, anonymous=401, producer=200, admin=403, cd_own=403), json=lambda w: {"comment": "No."}),
    Row("POST", "decisions_api.withdraw", lambda w: f"/api/v1/proposals/{w.dec_offer.id}/withdraw",
        expect(404, anonymous=401, talent_a=403, producer=403, admin=403, cd_own=200),
        json=lambda w: {"reason": "The part was cut."}, note="the talent sees their offer but may not withdraw it"),
    Row("POST", "decisions_api.comment", lambda w: f"/api/v1/roles/{w.role.id}/comments",
        expect(404, anonymous=401, producer=201, admin=403, cd_own=201),
        json=lambda w: {"talent_id": w.talent_a.id, "body": "A second tape, please."}),
    Row("GET", "decisions_api.role_comments", lambda w: f"/api/v1/roles/{w.role.id}/comments", MEMBERS_API),
    Row("POST", "decisions_api.decline", lambda w: f"/api/v1/proposals/{w.dec_offer.id}/decline",
        expect(404, anonymous=401, talent_a=200, producer=403, admin=403, cd_own=403), json=lambda w: {}),
    Row("GET", "decisions_api.my_offers", lambda w: "/api/v1/me/offers",
        expect(403, anonymous=401, talent_a=200, talent_b=200)),
    Row("POST", "decisions_api.release", lambda w: f"/api/v1/roles/{w.role.id}/releases",
        expect(404, anonymous=401, producer=403, admin=403, cd_own=201), json=lambda w: {"talent_id": w.talent_a.id}),
    Row("GET", "decisions_api.board", lambda w: f"/api/v1/productions/{w.production.id}/board", MEMBERS_API),
    # Pages
    Row("GET", "decisions.board", lambda w: f"/productions/{w.production.id}/board", MEMBERS_PAGE),
    Row("GET", "decisions.review", lambda w: f"/productions/{w.production.id}/review", MEMBERS_PAGE),
    Row("GET", "decisions.propose", lambda w: f"/roles/{w.role.id}/propose",
        expect(404, anonymous=302, producer=403, admin=403, cd_own=200)),
    Row("POST", "decisions.propose", lambda w: f"/roles/{w.role.id}/propose",
        expect(404, anonymous=302, producer=403, admin=403, cd_own=422),
        data=lambda w: {"talent_id": str(w.talent_a.id), "compensation": ""}),
    Row("GET", "decisions.decide", lambda w: f"/proposals/{w.dec_proposed.id}/decide?decision=approve",
        expect(404, anonymous=302, producer=200, admin=403, cd_own=403), note="the confirmation page"),
    Row("POST", "decisions.decide", lambda w: f"/proposals/{w.dec_proposed.id}/decide",
        expect(404, anonymous=302, producer=200, admin=403, cd_own=403), data=lambda w: {"decision": "approve"},
        note="not confirmed yet: the confirmation page"),
    Row("POST", "decisions.decide", lambda w: f"/proposals/{w.dec_proposed.id}/decide",
        expect(404, anonymous=302, producer=302, admin=403, cd_own=403),
        data=lambda w: {"decision": "approve", "confirmed": "yes"}, id="POST decisions.decide (confirmed)"),
    Row("GET", "decisions.withdraw", lambda w: f"/proposals/{w.dec_offer.id}/withdraw",
        expect(404, anonymous=302, talent_a=403, producer=403, admin=403, cd_own=200)),
    Row("POST", "decisions.withdraw", lambda w: f"/proposals/{w.dec_offer.id}/withdraw",
        expect(404, anonymous=302, talent_a=403, producer=403, admin=403, cd_own=302),
        data=lambda w: {"reason": "The part was cut."}),
    Row("POST", "decisions.comment", lambda w: f"/roles/{w.role.id}/comments",
        expect(404, anonymous=302, producer=302, admin=403, cd_own=302),
        data=lambda w: {"talent_id": str(w.talent_a.id), "body": "A second tape, please."}),
    Row("GET", "decisions.presentation_pdf", lambda w: f"/roles/{w.role.id}/presentation.pdf", MEMBERS_PAGE),
    Row("POST", "decisions.release", lambda w: f"/roles/{w.role.id}/release",
        expect(404, anonymous=302, producer=403, admin=403, cd_own=302), data=lambda w: {"talent_id": str(w.talent_a.id)}),
    Row("POST", "decisions.release_many", lambda w: f"/roles/{w.role.id}/release-many",
        expect(404, anonymous=302, producer=403, admin=403, cd_own=200),
        data=lambda w: {"talent_ids": [str(w.talent_a.id)]},
        id="POST decisions.release_many (ask)", note="without confirm: the page saying who will be emailed"),
    Row("POST", "decisions.release_many", lambda w: f"/roles/{w.role.id}/release-many",
        expect(404, anonymous=302, producer=403, admin=403, cd_own=302),
        data=lambda w: {"talent_ids": [str(w.talent_a.id)], "confirm": "yes"},
        note="confirmed: a job, then its page"),
    Row("GET", "decisions.my_offers", lambda w: "/me/offers", expect(403, anonymous=302, talent_a=200, talent_b=200)),
    Row("POST", "decisions.decline", lambda w: f"/me/offers/{w.dec_offer.id}/decline",
        expect(404, anonymous=302, talent_a=302, producer=403, admin=403, cd_own=403), data=lambda w: {}),
    Row("GET", "decisions.cast_list_csv", lambda w: f"/productions/{w.production.id}/cast-list.csv", MEMBERS_PAGE),
    Row("GET", "decisions.schedule_csv", lambda w: f"/productions/{w.production.id}/callback-schedule.csv",
        MEMBERS_PAGE),
    Row("GET", "decisions.report_pdf", lambda w: f"/productions/{w.production.id}/report.pdf", MEMBERS_PAGE),
]
