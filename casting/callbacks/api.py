"""JSON API: callback sessions, the checklist, scheduling, invitations (API.md "Callback sessions", "Invitations")."""
from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, request
from sqlalchemy.orm import joinedload, selectinload

from casting.accounts.models import User
from casting.callbacks import access, bulk, gate, invitations, messages, services, shares
from casting.callbacks.limits import message_limit, share_limit
from casting.callbacks.models import Attestation, CallbackSession, Invitation
from casting.callbacks.signals import invitation_details
from casting.core.api import (
    Field,
    api_blueprint,
    created,
    iso,
    json_body,
    optional_json_body,
    paginate,
    paginate_many,
    paginate_rows,
    validate,
)
from casting.core.auth import current_actor
from casting.core.signals import values_from
from casting.productions.access import managed_production, visible_production
from casting.extensions import db
from casting.productions.models import Production, Venue
from casting.talent.services import profile_of

bp = api_blueprint("callbacks_api", __name__)
SHARE_FIELDS = {"name": Field(required=False, nullable=True, max_length=shares.SHARE_LIMITS["name"]),
                "email": Field(required=False, nullable=True, max_length=shares.SHARE_LIMITS["email"])}

SESSION_FIELDS = {
    "title": Field(max_length=services.SESSION_LIMITS["title"]),
    "role_ids": Field("int_list"),
    "venue_id": Field("int"),
    "starts_at": Field("datetime"),
    "ends_at": Field("datetime"),
    "slot_minutes": Field("int", min_value=services.SESSION_RANGES["slot_minutes"][0],
                          max_value=services.SESSION_RANGES["slot_minutes"][1]),
    "panel_user_ids": Field("int_list", required=False, default=[]),
    "recorded": Field("bool", required=False, default=False),
    "recording_use": Field("text", required=False, nullable=True, max_length=services.SESSION_LIMITS["recording_use"]),
}
ATTEST_FIELDS = {"code": Field(max_length=services.ATTESTATION_LIMITS["code"]),
                 "statement": Field("text", required=False, nullable=True,
                                    max_length=services.ATTESTATION_LIMITS["statement"])}
CANCEL_FIELDS = {"reason": Field("text", max_length=services.CANCEL_LIMITS["reason"])}
DECLINE_FIELDS = {"note": Field("text", required=False, nullable=True,
                                max_length=invitations.INVITATION_LIMITS["note"])}
RESCHEDULE_FIELDS = {"note": Field("text", max_length=invitations.INVITATION_LIMITS["note"])}
ACCESS_NEEDS_FIELDS = {"access_needs": Field("text", max_length=invitations.INVITATION_LIMITS["access_needs"])}
CANCEL_INVITATION_FIELDS = {"reason": Field("text", max_length=invitations.CANCEL_INVITATION_LIMITS["reason"])}
MOVE_FIELDS = {"starts_at": Field("datetime")}
RESCHEDULE_ANSWER_FIELDS = {"note": Field("text", required=False, nullable=True,
                                          max_length=invitations.RESCHEDULE_ANSWER_LIMITS["note"])}
BULK_INVITE_FIELDS = {"role_id": Field("int"), "talent_ids": Field("int_list"),
                      "starts_at": Field("datetime", required=False)}
MESSAGE_FIELDS = {"body": Field("text", max_length=messages.MESSAGE_LIMITS["body"])}
NOTE_FIELDS = {"rating": Field("int", min_value=invitations.PANEL_NOTE_RANGES["rating"][0],
                               max_value=invitations.PANEL_NOTE_RANGES["rating"][1]),
               "note": Field("text", required=False, default="", max_length=invitations.PANEL_NOTE_LIMITS["note"])}


def session_json(s: CallbackSession) -> dict:
    """A session's JSON (its venue, roles, panel and attestations loaded with it)."""
    return _session_dict(s, s.venue.timezone, [r.id for r in s.roles], [u.id for u in s.panel],
                         [attestation_json(a) for a in s.attestations])


def _session_dict(s, timezone: str, role_ids: list[int], panel_ids: list[int], attestations: list[dict]) -> dict:
    """The session JSON of ``s``, a session or a row of ``SESSION_ROW`` (the same names)."""
    return {
        "id": s.id, "production_id": s.production_id, "title": s.title, "status": s.status,
        "role_ids": role_ids, "venue_id": s.venue_id,
        "timezone": timezone, "starts_at": iso(s.starts_at), "ends_at": iso(s.ends_at),
        "slot_minutes": s.slot_minutes, "panel_user_ids": panel_ids,
        "recorded": s.recorded, "recording_use": s.recording_use,
        "lead_casting_director_id": s.lead_casting_director_id, "created_at": iso(s.created_at),
        "scheduled_at": iso(s.scheduled_at), "cancelled_at": iso(s.cancelled_at), "cancel_reason": s.cancel_reason,
        "attestations": attestations,
    }


# A session as the list reads it: its columns and its venue's timezone, no entities.
SESSION_ROW = (CallbackSession.id, CallbackSession.production_id, CallbackSession.title, CallbackSession.status,
               CallbackSession.venue_id, Venue.timezone, CallbackSession.starts_at, CallbackSession.ends_at,
               CallbackSession.slot_minutes, CallbackSession.recorded, CallbackSession.recording_use,
               CallbackSession.lead_casting_director_id, CallbackSession.created_at, CallbackSession.scheduled_at,
               CallbackSession.cancelled_at, CallbackSession.cancel_reason)


def sessions_json(rows) -> list[dict]:
    """``session_json`` for a page of ``SESSION_ROW`` rows: their role and panel ids, and their attestations
    with each attester's name, read together (three queries a page, no entities)."""
    ids = [r.id for r in rows]
    roles, panel = services.role_and_panel_ids(ids)
    attestations: dict[int, list[dict]] = {i: [] for i in ids}
    if ids:
        for a in db.session.execute(
                sa.select(Attestation.id, Attestation.session_id, Attestation.code, Attestation.statement,
                          Attestation.attested_by_id, User.name.label("attested_by_name"), Attestation.attested_at)
                .join(User, User.id == Attestation.attested_by_id)
                .where(Attestation.session_id.in_(ids)).order_by(Attestation.id)):  # the relationship's order
            attestations[a.session_id].append(_attestation_dict(a, a.attested_by_name))
    return [_session_dict(r, r.timezone, roles[r.id], panel[r.id], attestations[r.id]) for r in rows]


def attestation_json(a) -> dict:
    return _attestation_dict(a, a.attested_by.name)


def _attestation_dict(a, attested_by_name: str) -> dict:
    return {"id": a.id, "session_id": a.session_id, "code": a.code, "statement": a.statement,
            "attested_by": a.attested_by_id, "attested_by_name": attested_by_name, "attested_at": iso(a.attested_at)}


def invitation_json(inv: Invitation, user) -> dict:
    return invitations_json([inv], user)[0]


def invitations_json(invs: list[Invitation], user) -> list[dict]:
    """The JSON of a list of invitations; what other features add (e.g. documents) is read once for the list."""
    extras = values_from(invitation_details, list(invs))
    out = []
    for inv in invs:
        item = {
            "id": inv.id, "session_id": inv.session_id, "production_id": inv.session.production_id,
            "role_id": inv.role_id, "talent_id": inv.talent_id, "status": inv.status,
            "starts_at": iso(inv.starts_at), "ends_at": iso(inv.ends_at), "timezone": inv.session.venue.timezone,
            "talent_note": inv.talent_note, "access_needs": inv.access_needs, "responded_at": iso(inv.responded_at),
            "checked_in_at": iso(inv.checked_in_at),
            "history": [{"kind": e.kind, "from_starts_at": iso(e.from_starts_at), "to_starts_at": iso(e.to_starts_at),
                         "note": e.note, "at": iso(e.created_at)} for e in inv.events],
        }
        for details in extras:  # e.g. its documents
            item.update(details.get(inv.id, {}))
        if access.is_production_side(inv, user):
            item["notes"] = [note_json(n) for n in inv.notes]
        out.append(item)
    return out


def _invitation_list_options() -> tuple:
    return (joinedload(Invitation.session).joinedload(CallbackSession.venue),
            joinedload(Invitation.session).joinedload(CallbackSession.production).selectinload(Production.members),
            selectinload(Invitation.events), selectinload(Invitation.notes))


def note_json(n) -> dict:
    return {"id": n.id, "invitation_id": n.invitation_id, "author_id": n.author_id, "rating": n.rating,
            "note": n.note, "created_at": iso(n.created_at)}


@bp.post("/productions/<int:production_id>/sessions")
def create_session(production_id: int):
    production = managed_production(production_id, current_actor())
    data = validate(json_body(), SESSION_FIELDS)
    return created(session_json(services.create_session(production, actor=current_actor(), **data)))


@bp.get("/productions/<int:production_id>/sessions")
def list_sessions(production_id: int):
    production = visible_production(production_id, current_actor())
    where = CallbackSession.production_id == production.id
    query = (sa.select(*SESSION_ROW).join(Venue, Venue.id == CallbackSession.venue_id).where(where)
             .order_by(CallbackSession.starts_at, CallbackSession.id))
    return paginate_rows(query, sessions_json, total=sa.select(sa.func.count()).where(where))


@bp.get("/sessions/<int:session_id>")
def get_session(session_id: int):
    return jsonify(session_json(access.visible_session(session_id, current_actor())))


@bp.patch("/sessions/<int:session_id>")
def update_session(session_id: int):
    session = access.managed_session(session_id, current_actor())
    data = validate(json_body(), SESSION_FIELDS, partial=True)
    services.update_session(session, actor=current_actor(), **data)
    return jsonify({**session_json(session), "reissue_job_id": session.reissue_job_id})


@bp.get("/sessions/<int:session_id>/checklist")
def checklist(session_id: int):
    session = access.visible_session(session_id, current_actor(), options=gate.checklist_options(production=True))
    return jsonify(gate.checklist_for(session).to_dict())


@bp.post("/sessions/<int:session_id>/attestations")
def attest(session_id: int):
    session = access.managed_session(session_id, current_actor())
    data = validate(json_body(), ATTEST_FIELDS)
    return created(attestation_json(services.attest(session, actor=current_actor(), **data)))


@bp.post("/sessions/<int:session_id>/schedule")
def schedule(session_id: int):
    session = access.visible_session(session_id, current_actor())
    services.schedule_session(session, actor=current_actor())
    return jsonify(session_json(session))


@bp.post("/sessions/<int:session_id>/cancel")
def cancel(session_id: int):
    session = access.managed_session(session_id, current_actor())
    data = validate(json_body(), CANCEL_FIELDS)
    services.cancel_session(session, actor=current_actor(), **data)
    return jsonify(session_json(session))


@bp.post("/sessions/<int:session_id>/complete")
def complete(session_id: int):
    session = access.managed_session(session_id, current_actor())
    services.complete_session(session, actor=current_actor())
    return jsonify(session_json(session))


@bp.post("/sessions/<int:session_id>/invitations")
def invite(session_id: int):
    session = access.managed_session(session_id, current_actor())
    data = validate(json_body(), {"talent_id": Field("int"), "role_id": Field("int"), "starts_at": Field("datetime")})
    inv = invitations.invite(session, actor=current_actor(), **data)
    return created(invitation_json(inv, current_actor()))


@bp.post("/sessions/<int:session_id>/invitations/bulk")
def invite_many(session_id: int):
    """202 {job_id}: a job invites each talent into the next free slot (API.md "Bulk work")."""
    session = access.managed_session(session_id, current_actor())
    data = validate(json_body(), BULK_INVITE_FIELDS)
    job = bulk.start_bulk_invite(session, actor=current_actor(), **data)
    return jsonify({"job_id": job.id}), 202


@bp.get("/sessions/<int:session_id>/invitations")
def list_invitations(session_id: int):
    session = access.visible_session(session_id, current_actor())
    query = sa.select(Invitation).where(Invitation.session_id == session.id) \
        .options(*_invitation_list_options()).order_by(Invitation.starts_at, Invitation.id)
    return paginate_many(query, lambda invs: invitations_json(invs, current_actor()))


@bp.get("/invitations/<int:invitation_id>")
def get_invitation(invitation_id: int):
    return jsonify(invitation_json(access.visible_invitation(invitation_id, current_actor()), current_actor()))


@bp.get("/me/invitations")
def my_invitations():
    talent = profile_of(current_actor())
    query = sa.select(Invitation).where(Invitation.talent_id == talent.id) \
        .options(*_invitation_list_options()).order_by(Invitation.starts_at, Invitation.id)
    return paginate_many(query, lambda invs: invitations_json(invs, current_actor()))


def _talent_action(invitation_id: int, action, spec: dict | None = None):
    inv = access.visible_invitation(invitation_id, current_actor())
    access.require_own(inv, current_actor())
    # confirm/decline may come with no body at all
    data = validate(json_body() if request.get_data() else {}, spec) if spec else {}
    action(inv, actor=current_actor(), **data)
    return jsonify(invitation_json(inv, current_actor()))


@bp.post("/invitations/<int:invitation_id>/confirm")
def confirm(invitation_id: int):
    return _talent_action(invitation_id, invitations.confirm)


@bp.post("/invitations/<int:invitation_id>/decline")
def decline(invitation_id: int):
    return _talent_action(invitation_id, invitations.decline, DECLINE_FIELDS)


@bp.post("/invitations/<int:invitation_id>/reschedule-request")
def reschedule_request(invitation_id: int):
    return _talent_action(invitation_id, invitations.request_reschedule, RESCHEDULE_FIELDS)


@bp.post("/invitations/<int:invitation_id>/access-needs")
def access_needs(invitation_id: int):
    return _talent_action(invitation_id, invitations.set_access_needs, ACCESS_NEEDS_FIELDS)


@bp.post("/invitations/<int:invitation_id>/check-in")
def check_in(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_actor())
    invitations.check_in(inv, actor=current_actor())
    return jsonify(invitation_json(inv, current_actor()))


@bp.post("/invitations/<int:invitation_id>/notes")
def add_note(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_actor())
    access.require_panel(inv, current_actor())
    data = validate(json_body(), NOTE_FIELDS)
    return created(note_json(invitations.add_note(inv, actor=current_actor(), **data)))


def _casting_director_action(invitation_id: int, action, spec: dict | None = None, *, body_optional=False):
    """One casting director action on an invitation: 404 unless visible, then the service decides (403, 409)."""
    inv = access.visible_invitation(invitation_id, current_actor())
    data = validate(optional_json_body() if body_optional else json_body(), spec) if spec else {}
    action(inv, actor=current_actor(), **data)
    return jsonify(invitation_json(inv, current_actor()))


@bp.post("/invitations/<int:invitation_id>/no-show")
def no_show(invitation_id: int):
    return _casting_director_action(invitation_id, invitations.no_show)


@bp.post("/invitations/<int:invitation_id>/cancel")
def cancel_invitation(invitation_id: int):
    return _casting_director_action(invitation_id, invitations.cancel, CANCEL_INVITATION_FIELDS)


@bp.post("/invitations/<int:invitation_id>/move")
def move(invitation_id: int):
    return _casting_director_action(invitation_id, invitations.move, MOVE_FIELDS)


@bp.post("/invitations/<int:invitation_id>/reschedule-request/decline")
def decline_reschedule(invitation_id: int):
    return _casting_director_action(invitation_id, invitations.decline_reschedule, RESCHEDULE_ANSWER_FIELDS,
                                    body_optional=True)


def message_json(m, inv: Invitation) -> dict:
    return {"id": m.id, "invitation_id": m.invitation_id, "side": m.side, "kind": m.kind, "author_id": m.author_id,
            "author_name": messages.author_name(m, inv), "body": m.body, "created_at": iso(m.created_at)}


@bp.get("/invitations/<int:invitation_id>/messages")
def list_messages(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_actor())
    return paginate(messages.thread_query(inv), lambda m: message_json(m, inv))


@bp.post("/invitations/<int:invitation_id>/messages")
@message_limit()
def post_message(invitation_id: int):
    inv = access.visible_invitation(invitation_id, current_actor())
    access.thread_side(inv, current_actor())  # an admin is refused before the body is read
    data = validate(json_body(), MESSAGE_FIELDS)
    return created(message_json(messages.post(inv, actor=current_actor(), **data), inv))


def share_json(share) -> dict:
    return {"id": share.id, "invitation_id": share.invitation_id, "name": share.name, "email": share.email,
            "guardian": share.is_guardian, "status": share.status, "created_at": iso(share.created_at),
            "stopped_at": iso(share.stopped_at)}


@bp.post("/invitations/<int:invitation_id>/share")
@share_limit()
def share(invitation_id: int):
    actor = current_actor()
    inv = access.visible_invitation(invitation_id, actor)
    access.require_own(inv, actor)
    data = validate(json_body() if request.get_data() else {}, SHARE_FIELDS)
    return created(share_json(shares.start_share(inv, actor=actor, name=data.get("name"), email=data.get("email"))))


@bp.delete("/shares/<int:share_id>")
def stop_share(share_id: int):
    actor = current_actor()
    shares.stop_share(shares.visible_share(share_id, actor), actor=actor)
    return "", 204
