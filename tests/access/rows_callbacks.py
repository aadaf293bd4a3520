"""Matrix rows for callback sessions, invitations, check-in, panel notes and the talent portal."""
from __future__ import annotations

from datetime import timedelta

from casting.callbacks.models import InvitationShare
from casting.extensions import db
from tests.access.matrix import Row, expect
from tests.callbacks.factories import make_invitation, make_ready_session, next_weekday
from tests.factories import make_shortlist_entry, make_talent

# Members and admins see; only the production's casting director acts.
SEE = expect(404, anonymous=302, producer=200, admin=200, cd_own=200)
SEE_API = expect(404, anonymous=401, producer=200, admin=200, cd_own=200)


def MANAGE(ok: int) -> dict:  # noqa: N802
    return expect(404, anonymous=302, producer=403, admin=403, cd_own=ok)


def MANAGE_API(ok: int) -> dict:  # noqa: N802
    return expect(404, anonymous=401, producer=403, admin=403, cd_own=ok)


# Only the invited talent (talent_a) acts on their invitation; everyone else is told it does not exist.
OWN = expect(404, anonymous=302, talent_a=302)
OWN_API = expect(404, anonymous=401, talent_a=200)


def extend(world) -> None:
    cd, producer = world.users["cd_own"], world.users["producer"]
    common = dict(cd=cd, production=world.production, venue=world.venue, roles=[world.role], panel=[cd, producer])
    # A week after the scheduled one: the room is free for it, so scheduling it passes (no venue_conflict).
    world.extra["draft"] = make_ready_session(**common, title="Draft callbacks",
                                              starts_at=next_weekday(1, days_ahead=14, tz=world.venue.timezone))
    scheduled = make_ready_session(**common, title="Scheduled callbacks", scheduled=True)
    world.extra["scheduled"] = scheduled
    world.extra["invitation"] = make_invitation(scheduled, talent=world.talent_a, role=world.role)
    share = InvitationShare(invitation_id=world.extra["invitation"].id, name="Sam Friend", email="sam@example.com",
                            created_by_id=world.talent_a.user_id)
    db.session.add(share)
    db.session.flush()
    world.extra["share"] = share
    talent_c = make_talent(legal_name="Cleo Candidate")
    make_shortlist_entry(world.role, talent_c, by=cd)
    world.extra["talent_c"] = talent_c
    world.extra["free_slot"] = scheduled.starts_at + timedelta(minutes=scheduled.slot_minutes)
    # A talent (not a persona) asked to reschedule, in a session of the next day: the casting director answers it.
    next_day = make_ready_session(**common, title="Next day's callbacks", scheduled=True,
                                  starts_at=scheduled.starts_at + timedelta(days=1))
    world.extra["rescheduled"] = make_invitation(next_day, status="reschedule_requested")


def _session_body(w) -> dict:
    s = w.draft
    return {"title": "Another round", "role_ids": [w.role.id], "venue_id": w.venue.id,
            "starts_at": s.starts_at.isoformat(), "ends_at": s.ends_at.isoformat(), "slot_minutes": 20,
            "panel_user_ids": [w.users["cd_own"].id, w.users["producer"].id]}


def _invite_body(w) -> dict:
    return {"talent_id": w.talent_c.id, "role_id": w.role.id, "starts_at": w.free_slot.isoformat()}


def _week(w) -> str:
    return w.scheduled.starts_at.date().isoformat()


ROWS = [
    # The calendar: staff see their own productions' sessions (cd_other an empty week); one production's is for
    # those who see it; moving from it is the casting director's (the service says so: 403 for other members).
    Row("GET", "calendar.index", lambda w: f"/calendar?view=week&date={_week(w)}",
        expect(200, anonymous=302, talent_a=403, talent_b=403, admin=403)),
    Row("GET", "calendar.production", lambda w: f"/productions/{w.production.id}/calendar?view=week&date={_week(w)}",
        SEE),
    Row("POST", "calendar.move", lambda w: f"/calendar/invitations/{w.invitation.id}/move",
        expect(404, anonymous=302, talent_a=403, producer=403, admin=403, cd_own=302),
        data=lambda w: {"starts_at": w.free_slot.isoformat(), "next": f"/calendar?date={_week(w)}"}),
    # Pages: the production side.
    Row("GET", "callbacks.production_sessions", lambda w: f"/productions/{w.production.id}/sessions", SEE),
    Row("GET", "callbacks.new_session", lambda w: f"/productions/{w.production.id}/sessions/new", MANAGE(200)),
    Row("POST", "callbacks.new_session", lambda w: f"/productions/{w.production.id}/sessions/new", MANAGE(422),
        data=lambda w: {"title": ""}),
    Row("GET", "callbacks.session_detail", lambda w: f"/sessions/{w.draft.id}", SEE),
    Row("GET", "callbacks.edit_session", lambda w: f"/sessions/{w.draft.id}/edit", MANAGE(200)),
    Row("POST", "callbacks.edit_session", lambda w: f"/sessions/{w.draft.id}/edit", MANAGE(422),
        data=lambda w: {"title": ""}),
    Row("POST", "callbacks.schedule", lambda w: f"/sessions/{w.draft.id}/schedule", MANAGE(302)),
    Row("POST", "callbacks.attest", lambda w: f"/sessions/{w.draft.id}/attest", MANAGE(302), data=lambda w: {}),
    Row("POST", "callbacks.cancel", lambda w: f"/sessions/{w.draft.id}/cancel", MANAGE(302),
        data=lambda w: {"cancel-reason": "The director is unavailable"}),
    Row("POST", "callbacks.invite", lambda w: f"/sessions/{w.scheduled.id}/invitations", MANAGE(302),
        data=lambda w: {"invite-candidate": f"{w.role.id}:{w.talent_c.id}", "invite-slot": w.free_slot.isoformat()}),
    Row("POST", "callbacks.check_in", lambda w: f"/invitations/{w.invitation.id}/check-in",
        expect(404, anonymous=302, talent_a=403, producer=303, admin=403, cd_own=303),
        note="not confirmed yet: a member gets the missing_consent refusal as a flash"),
    Row("POST", "callbacks.add_note", lambda w: f"/invitations/{w.invitation.id}/notes",
        expect(404, anonymous=302, talent_a=403, producer=302, admin=403, cd_own=302),
        data=lambda w: {"note-rating": "4", "note-note": "Strong read"}),
    # Pages: the session's life (the casting director's).
    Row("POST", "callbacks.complete", lambda w: f"/sessions/{w.scheduled.id}/complete", MANAGE(303),
        note="before the session's end: the casting director gets the refusal as a flash"),
    Row("POST", "callbacks.no_show", lambda w: f"/invitations/{w.invitation.id}/no-show",
        expect(404, anonymous=302, talent_a=403, producer=403, admin=403, cd_own=303),
        note="the slot has not started: the casting director gets the refusal as a flash"),
    Row("POST", "callbacks.cancel_invitation", lambda w: f"/invitations/{w.invitation.id}/cancel",
        expect(404, anonymous=302, talent_a=403, producer=403, admin=403, cd_own=302),
        data=lambda w: {"cancel-inv-reason": "The role was merged"}),
    Row("POST", "callbacks.move", lambda w: f"/invitations/{w.invitation.id}/move",
        expect(404, anonymous=302, talent_a=403, producer=403, admin=403, cd_own=302),
        data=lambda w: {"move-slot": w.free_slot.isoformat()}),
    Row("POST", "callbacks.decline_reschedule", lambda w: f"/invitations/{w.rescheduled.id}/reschedule-request/decline",
        expect(404, anonymous=302, producer=403, admin=403, cd_own=302),
        data=lambda w: {"answer-note": "Only mornings, sorry"}),
    # Pages: the talent side.
    Row("GET", "portal.index", lambda w: "/me/callbacks", expect(403, anonymous=302, talent_a=200, talent_b=200)),
    Row("POST", "portal.confirm", lambda w: f"/invitations/{w.invitation.id}/confirm", OWN),
    Row("POST", "portal.decline", lambda w: f"/invitations/{w.invitation.id}/decline", OWN, data=lambda w: {}),
    Row("POST", "portal.reschedule", lambda w: f"/invitations/{w.invitation.id}/reschedule", OWN,
        data=lambda w: {"re-note": "Could I come after 2pm?"}),
    Row("POST", "portal.access_needs", lambda w: f"/invitations/{w.invitation.id}/access-needs", OWN,
        data=lambda w: {"acc-access_needs": "Step-free access please"}),
    Row("GET", "portal.side_pdf", lambda w: f"/invitations/{w.invitation.id}/sides/{w.role.sides[0].id}",
        expect(404, anonymous=302, talent_a=200, producer=200, admin=200, cd_own=200)),
    Row("GET", "messages.thread", lambda w: f"/invitations/{w.invitation.id}/messages",
        expect(404, anonymous=302, talent_a=200, producer=200, admin=200, cd_own=200)),
    Row("POST", "messages.post", lambda w: f"/invitations/{w.invitation.id}/messages",
        expect(404, anonymous=302, talent_a=302, producer=302, admin=403, cd_own=302),
        data=lambda w: {"body": "Please bring a water bottle."}, note="admins read threads but do not write"),
    Row("POST", "portal.share", lambda w: f"/invitations/{w.invitation.id}/share", OWN,
        data=lambda w: {"share-name": "Kim Friend", "share-email": "kim@example.com"}),
    Row("POST", "portal.stop_share", lambda w: f"/shares/{w.share.id}/stop", OWN),
    Row("GET", "portal.calendar", lambda w: f"/invitations/{w.invitation.id}/calendar.ics",
        expect(404, anonymous=302, talent_a=200, producer=200, admin=200, cd_own=200)),
    # API: sessions.
    Row("POST", "callbacks_api.create_session", lambda w: f"/api/v1/productions/{w.production.id}/sessions",
        MANAGE_API(201), json=_session_body),
    Row("GET", "callbacks_api.list_sessions", lambda w: f"/api/v1/productions/{w.production.id}/sessions", SEE_API),
    Row("GET", "callbacks_api.get_session", lambda w: f"/api/v1/sessions/{w.draft.id}", SEE_API),
    Row("PATCH", "callbacks_api.update_session", lambda w: f"/api/v1/sessions/{w.draft.id}", MANAGE_API(200),
        json=lambda w: {"title": "Renamed callbacks"}),
    Row("GET", "callbacks_api.checklist", lambda w: f"/api/v1/sessions/{w.draft.id}/checklist", SEE_API),
    Row("POST", "callbacks_api.attest", lambda w: f"/api/v1/sessions/{w.draft.id}/attestations", MANAGE_API(201),
        json=lambda w: {"code": "no_fees"}),
    Row("POST", "callbacks_api.schedule", lambda w: f"/api/v1/sessions/{w.draft.id}/schedule", MANAGE_API(200)),
    Row("POST", "callbacks_api.cancel", lambda w: f"/api/v1/sessions/{w.draft.id}/cancel", MANAGE_API(200),
        json=lambda w: {"reason": "The director is unavailable"}),
    # API: invitations.
    Row("GET", "bulk_invites.pick", lambda w: f"/roles/{w.role.id}/invite-many?session_id={w.scheduled.id}"
        f"&talent_ids={w.talent_c.id}&preview=1", MANAGE(200)),
    Row("POST", "bulk_invites.pick", lambda w: f"/roles/{w.role.id}/invite-many", MANAGE(200),
        data=lambda w: {"talent_ids": [str(w.talent_c.id)]}, note="the shortlist page's Invite selected: reads only"),
    Row("POST", "bulk_invites.confirm", lambda w: f"/sessions/{w.scheduled.id}/invite-many", MANAGE(302),
        data=lambda w: {"role_id": str(w.role.id), "talent_ids": [str(w.talent_c.id)],
                        "starts_at": w.free_slot.isoformat()}),
    Row("POST", "callbacks_api.invite", lambda w: f"/api/v1/sessions/{w.scheduled.id}/invitations", MANAGE_API(201),
        json=_invite_body),
    Row("POST", "callbacks_api.invite_many", lambda w: f"/api/v1/sessions/{w.scheduled.id}/invitations/bulk",
        MANAGE_API(202), json=lambda w: {"talent_ids": [w.talent_c.id], "role_id": w.role.id}),
    Row("GET", "callbacks_api.list_invitations", lambda w: f"/api/v1/sessions/{w.scheduled.id}/invitations", SEE_API),
    Row("GET", "callbacks_api.get_invitation", lambda w: f"/api/v1/invitations/{w.invitation.id}",
        expect(404, anonymous=401, talent_a=200, producer=200, admin=200, cd_own=200)),
    Row("GET", "callbacks_api.my_invitations", lambda w: "/api/v1/me/invitations",
        expect(403, anonymous=401, talent_a=200, talent_b=200)),
    Row("POST", "callbacks_api.confirm", lambda w: f"/api/v1/invitations/{w.invitation.id}/confirm", OWN_API),
    Row("POST", "callbacks_api.decline", lambda w: f"/api/v1/invitations/{w.invitation.id}/decline", OWN_API),
    Row("POST", "callbacks_api.reschedule_request",
        lambda w: f"/api/v1/invitations/{w.invitation.id}/reschedule-request", OWN_API,
        json=lambda w: {"note": "Could I come after 2pm?"}),
    Row("POST", "callbacks_api.access_needs", lambda w: f"/api/v1/invitations/{w.invitation.id}/access-needs",
        OWN_API, json=lambda w: {"access_needs": "Step-free access please"}),
    Row("GET", "callbacks_api.list_messages", lambda w: f"/api/v1/invitations/{w.invitation.id}/messages",
        expect(404, anonymous=401, talent_a=200, producer=200, admin=200, cd_own=200)),
    Row("POST", "callbacks_api.post_message", lambda w: f"/api/v1/invitations/{w.invitation.id}/messages",
        expect(404, anonymous=401, talent_a=201, producer=201, admin=403, cd_own=201),
        json=lambda w: {"body": "Please bring a water bottle."}, note="admins read threads but do not write"),
    Row("POST", "callbacks_api.share", lambda w: f"/api/v1/invitations/{w.invitation.id}/share",
        expect(404, anonymous=401, talent_a=201), json=lambda w: {"name": "Kim Friend", "email": "kim@example.com"}),
    Row("DELETE", "callbacks_api.stop_share", lambda w: f"/api/v1/shares/{w.share.id}",
        expect(404, anonymous=401, talent_a=204)),
    Row("POST", "callbacks_api.check_in", lambda w: f"/api/v1/invitations/{w.invitation.id}/check-in",
        expect(404, anonymous=401, talent_a=403, producer=409, admin=403, cd_own=409)),
    Row("POST", "callbacks_api.complete", lambda w: f"/api/v1/sessions/{w.scheduled.id}/complete", MANAGE_API(409),
        note="before the session's end"),
    Row("POST", "callbacks_api.no_show", lambda w: f"/api/v1/invitations/{w.invitation.id}/no-show",
        expect(404, anonymous=401, talent_a=403, producer=403, admin=403, cd_own=409), note="the slot has not started"),
    Row("POST", "callbacks_api.cancel_invitation", lambda w: f"/api/v1/invitations/{w.invitation.id}/cancel",
        expect(404, anonymous=401, talent_a=403, producer=403, admin=403, cd_own=200),
        json=lambda w: {"reason": "The role was merged"}),
    Row("POST", "callbacks_api.move", lambda w: f"/api/v1/invitations/{w.invitation.id}/move",
        expect(404, anonymous=401, talent_a=403, producer=403, admin=403, cd_own=200),
        json=lambda w: {"starts_at": w.free_slot.isoformat()}),
    Row("POST", "callbacks_api.decline_reschedule",
        lambda w: f"/api/v1/invitations/{w.rescheduled.id}/reschedule-request/decline",
        expect(404, anonymous=401, producer=403, admin=403, cd_own=200), json=lambda w: {"note": "Only mornings"}),
    Row("POST", "callbacks_api.add_note", lambda w: f"/api/v1/invitations/{w.invitation.id}/notes",
        expect(404, anonymous=401, talent_a=403, producer=201, admin=403, cd_own=201),
        json=lambda w: {"rating": 4, "note": "Strong read"}),
]
