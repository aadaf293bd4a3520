"""JSON API: open calls, submissions, shortlists."""
from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, request, url_for

from casting.calls import access, services, shortlists
from casting.calls.files import blob_response
from casting.calls.models import OpenCall, ShortlistEntry, Submission
from casting.core.api import (
    Field,
    api_blueprint,
    created,
    iso,
    json_body,
    page_of,
    paginate,
    paginate_rows,
    query_id,
    validate,
)
from casting.core.auth import current_actor, public
from casting.core.errors import ValidationError
from casting.core.templating import url_maker
from casting.core.uploads import check_image, check_pdf
from casting.productions.access import visible_production, visible_role
from casting.talent.models import TalentProfile
from casting.talent.services import profile_of

bp = api_blueprint("calls_api", __name__)


def open_call_json(call: OpenCall) -> dict:
    return {
        "id": call.id, "production_id": call.production_id, "production_title": call.production.title,
        "company": {"id": call.production.company_id, "legal_name": call.production.company.legal_name,
                    "verified": call.production.company.verified},
        "title": call.title, "instructions": call.instructions, "status": call.status,
        # A suspended production's call stays readable, saying so, and takes no applications.
        "open": services.is_open(call) and not call.production.suspended, "suspended": call.production.suspended,
        "closes_at": iso(call.closes_at), "published_at": iso(call.published_at),
        "role_ids": [r.id for r in call.roles],
        "roles": [{"id": r.id, "name": r.name, "description": r.description, "age_min": r.age_min,
                   "age_max": r.age_max, "compensation": r.compensation} for r in call.roles],
        "created_at": iso(call.created_at),
    }


def submission_json(sub: Submission) -> dict:
    return {
        "id": sub.id, "open_call_id": sub.open_call_id, "role_id": sub.role_id, "talent_id": sub.talent_id,
        "talent_name": sub.talent.display_name, "note": sub.note, "self_tape_url": sub.self_tape_url,
        "headshot_url": url_for("calls_api.submission_file", submission_id=sub.id, kind="headshot")
        if sub.headshot_sha256 else None,
        "resume_url": url_for("calls_api.submission_file", submission_id=sub.id, kind="resume")
        if sub.resume_sha256 else None,
        "created_at": iso(sub.created_at),
    }


# A submission as its list reads it: only the columns its JSON shows, the talent's names joined.
SUBMISSION_ROW = (Submission.id, Submission.open_call_id, Submission.role_id, Submission.talent_id,
                  TalentProfile.professional_name, TalentProfile.legal_name, Submission.note, Submission.self_tape_url,
                  Submission.headshot_sha256, Submission.resume_sha256, Submission.created_at)


def submission_rows_json(rows) -> list[dict]:
    """``submission_json`` for a page of ``SUBMISSION_ROW`` rows (the file links made with one url_for each)."""
    headshot_url = url_maker("calls_api.submission_file", "submission_id", kind="headshot")
    resume_url = url_maker("calls_api.submission_file", "submission_id", kind="resume")
    return [{
        "id": r.id, "open_call_id": r.open_call_id, "role_id": r.role_id, "talent_id": r.talent_id,
        "talent_name": r.professional_name or r.legal_name,  # TalentProfile.display_name
        "note": r.note, "self_tape_url": r.self_tape_url,
        "headshot_url": headshot_url(r.id) if r.headshot_sha256 else None,
        "resume_url": resume_url(r.id) if r.resume_sha256 else None,
        "created_at": iso(r.created_at),
    } for r in rows]


def entry_json(entry: ShortlistEntry) -> dict:
    return {
        "id": entry.id, "role_id": entry.role_id, "talent_id": entry.talent_id, "talent_name": entry.talent.display_name,
        "submission_id": entry.submission_id, "rank": entry.rank, "note": entry.note,
        "added_by_id": entry.added_by_id, "created_at": iso(entry.created_at),
    }


OPEN_CALL_FIELDS = {
    "title": Field(max_length=services.OPEN_CALL_LIMITS["title"]),
    "role_ids": Field("int_list"),
    "closes_at": Field("datetime"),
    "instructions": Field("text", required=False, max_length=services.OPEN_CALL_LIMITS["instructions"], default=""),
}


@bp.post("/productions/<int:production_id>/open-calls")
def create_open_call(production_id: int):
    actor = current_actor()
    production = visible_production(production_id, actor)
    data = validate(json_body(), OPEN_CALL_FIELDS)
    call = services.create_open_call(production, actor=actor, **data)
    return created(open_call_json(call))


@bp.get("/productions/<int:production_id>/open-calls")
def list_open_calls(production_id: int):
    production = visible_production(production_id, current_actor())
    return paginate(services.calls_of_production_query(production), open_call_json)


@bp.get("/open-calls/<int:call_id>")
@public
def get_open_call(call_id: int):
    return jsonify(open_call_json(access.visible_call(call_id, current_actor())))


@bp.post("/open-calls/<int:call_id>/publish")
def publish(call_id: int):
    actor = current_actor()
    call = access.visible_call(call_id, actor)
    visible_production(call.production_id, actor)
    return jsonify(open_call_json(services.publish_open_call(call, actor=actor)))


@bp.post("/open-calls/<int:call_id>/close")
def close(call_id: int):
    actor = current_actor()
    call = access.visible_call(call_id, actor)
    visible_production(call.production_id, actor)
    return jsonify(open_call_json(services.close_open_call(call, actor=actor)))


SUBMISSION_FIELDS = {
    "role_id": Field("int"),
    "note": Field("text", required=False, max_length=services.SUBMISSION_LIMITS["note"], default=""),
    "self_tape_url": Field("url", required=False, max_length=services.SUBMISSION_LIMITS["self_tape_url"],
                           nullable=True),
}


def _submission_input() -> dict:
    """JSON, or multipart with the files ``headshot`` and ``resume`` and the same fields as text."""
    if request.mimetype != "multipart/form-data":
        return {**validate(json_body(), SUBMISSION_FIELDS), "headshot": None, "resume": None}
    raw = {k: v for k, v in request.form.items() if k in SUBMISSION_FIELDS}
    if "role_id" in raw and raw["role_id"].strip().isdigit():
        raw["role_id"] = int(raw["role_id"])
    data = validate(raw, SUBMISSION_FIELDS)
    files = request.files
    data["headshot"] = check_image(files["headshot"], field="headshot") if files.get("headshot") else None
    data["resume"] = check_pdf(files["resume"], field="resume") if files.get("resume") else None
    return data


@bp.post("/open-calls/<int:call_id>/submissions")
def submit(call_id: int):
    actor = current_actor()
    call = access.visible_call(call_id, actor)
    services.check_can_apply(call, actor)
    data = _submission_input()
    return created(submission_json(services.submit(call, actor=actor, **data)))


@bp.get("/open-calls/<int:call_id>/submissions")
def list_submissions(call_id: int):
    actor = current_actor()
    call = access.visible_call(call_id, actor)
    visible_production(call.production_id, actor)
    query = services.submissions_query(call, query_id("role_id"))
    rows = query.with_only_columns(*SUBMISSION_ROW).join(TalentProfile, TalentProfile.id == Submission.talent_id)
    return paginate_rows(rows, submission_rows_json,
                         total=query.with_only_columns(sa.func.count(), maintain_column_froms=True).order_by(None))


@bp.get("/me/submissions")
def my_submissions():
    return paginate(services.submissions_of_talent_query(profile_of(current_actor())), submission_json)


@bp.get("/submissions/<int:submission_id>")
def get_submission(submission_id: int):
    return jsonify(submission_json(access.visible_submission(submission_id, current_actor())))


@bp.get("/submissions/<int:submission_id>/<any(headshot, resume):kind>")
def submission_file(submission_id: int, kind: str):
    sub = access.visible_submission(submission_id, current_actor())
    return blob_response(sub, kind)


SHORTLIST_FIELDS = {"talent_id": Field("int"),
                    "note": Field("text", required=False, max_length=shortlists.SHORTLIST_LIMITS["note"], default="")}
BULK_SHORTLIST_FIELDS = {"talent_ids": Field("int_list"),
                         "note": Field("text", required=False, max_length=shortlists.SHORTLIST_LIMITS["note"],
                                       default="")}
ENTRY_FIELDS = {"rank": Field("int", min_value=shortlists.SHORTLIST_RANGES["rank"][0]),
                "note": Field("text", required=False, max_length=shortlists.SHORTLIST_LIMITS["note"])}


@bp.post("/roles/<int:role_id>/shortlist")
def add_to_shortlist(role_id: int):
    actor = current_actor()
    role = visible_role(role_id, actor)
    data = validate(json_body(), SHORTLIST_FIELDS)
    return created(entry_json(shortlists.add(role, actor=actor, **data)))


@bp.post("/roles/<int:role_id>/shortlist/bulk")
def add_many_to_shortlist(role_id: int):
    """200 {added: [entry ids], skipped: [{talent_id, code}]} (API.md "Bulk work")."""
    actor = current_actor()
    role = visible_role(role_id, actor)
    data = validate(json_body(), BULK_SHORTLIST_FIELDS)
    added, skipped = shortlists.add_many(role, actor=actor, **data)
    return jsonify({"added": [e.id for e in added],
                    "skipped": [{"talent_id": s["talent_id"], "code": s["code"]} for s in skipped]})


@bp.get("/roles/<int:role_id>/shortlist")
def get_shortlist(role_id: int):
    role = visible_role(role_id, current_actor())
    return jsonify({"role_id": role.id, **page_of(shortlists.entries_query(role), entry_json)})


@bp.patch("/shortlist-entries/<int:entry_id>")
def update_entry(entry_id: int):
    actor = current_actor()
    entry = access.visible_entry(entry_id, actor)
    data = validate(json_body(), ENTRY_FIELDS, partial=True)
    if not data:
        raise ValidationError({"rank": ["Give a rank, a note, or both."]})
    return jsonify(entry_json(shortlists.update(entry, actor=actor, **data)))


@bp.delete("/shortlist-entries/<int:entry_id>")
def delete_entry(entry_id: int):
    actor = current_actor()
    shortlists.remove(access.visible_entry(entry_id, actor), actor=actor)
    return "", 204
