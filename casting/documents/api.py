"""JSON API: documents (read, PDF, sign) and public verification."""
from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, request

from casting.core.api import api_blueprint, iso, json_body, paginate
from casting.core.auth import current_actor, public
from casting.core.database import writes
from casting.core.errors import NotFound
from casting.documents import services
from casting.documents.models import Document, DocumentStatus
from casting.documents.views import pdf_response, pem_response, verify_limit
from casting.talent.services import profile_of

bp = api_blueprint("documents_api", __name__)


def _completed_at(d: Document):
    times = [t for t in (d.signed_at, d.guardian_signed_at) if t is not None]
    return max(times) if times and (d.status == DocumentStatus.signed or d.signed_from_id) else None


def document_json(d: Document) -> dict:
    signed_copy = None
    if d.signed_from_id is None and d.status != DocumentStatus.issued:
        signed_copy = next((s.id for s in services.signed_copies(d)), None)
    return {
        "id": d.id, "kind": d.kind, "serial": d.serial, "verification_code": d.verification_code, "sha256": d.sha256,
        "status": d.status, "issued_at": iso(d.issued_at), "signed_at": iso(_completed_at(d)),
        "recipient_talent_id": d.recipient_talent_id, "title": d.title, "version": d.version,
        "production_id": d.production_id, "invitation_id": d.invitation_id, "proposal_id": d.proposal_id,
        "supersedes_id": d.supersedes_id, "signed_from_id": d.signed_from_id, "signed_document_id": signed_copy,
        "first_viewed_at": iso(d.first_viewed_at), "awaiting": services.awaiting(d),
        "voided_at": iso(d.voided_at), "pdf_url": f"/api/v1/documents/{d.id}/pdf",
    }


def verify_json(d: Document) -> dict:
    facts = services.public_facts(d)
    out = {**facts, "issued_at": iso(facts["issued_at"]), "signed_at": iso(facts["signed_at"]),
           "voided_at": iso(facts["voided_at"])}
    if "session" in facts:
        out["session"] = {**facts["session"], "starts_at": iso(facts["session"]["starts_at"]),
                          "ends_at": iso(facts["session"]["ends_at"])}
    return out


@bp.get("/me/documents")
def mine():
    profile = profile_of(current_actor())
    return paginate(sa.select(Document).where(Document.recipient_talent_id == profile.id).order_by(Document.id.desc()),
                    document_json)


@bp.get("/documents/<int:document_id>")
def get(document_id: int):
    return jsonify(document_json(services.visible_document(document_id, current_actor())))


@bp.get("/documents/<int:document_id>/pdf")
@writes
def pdf(document_id: int):
    document = services.visible_document(document_id, current_actor())
    services.record_view(document, actor=current_actor())
    return pdf_response(document)


@bp.post("/documents/<int:document_id>/sign")
def sign(document_id: int):
    document = services.visible_document(document_id, current_actor())
    data = json_body()
    signed = services.sign_document(document, actor=current_actor(), full_name=data.get("full_name"),
                                    agree=data.get("agree"))
    if signed is None:
        return jsonify({"status": "awaiting_guardian", "signed_document_id": None})
    return jsonify({"status": "signed", "signed_document_id": signed.id})


@bp.get("/verify/<code>")
@public
@verify_limit()
def verify_code(code: str):
    document = services.find_by_code(code)
    if document is None:
        raise NotFound("No document was issued with this code. It may be fake: do not pay anything, and report it.",
                       details={"status": "unknown"})
    return jsonify(verify_json(document))


@bp.post("/verify")
@public
@verify_limit()
def verify_upload():
    data = services.read_pdf_upload(request.files.get("file"))
    document = services.find_by_bytes(data)
    answer = {"match": False} if document is None else {"match": True, "document": verify_json(document)}
    signature = services.signature_of(data)
    if signature.present:  # a file with no signature at all keeps the plain answer of API.md
        answer["signature"] = signature.to_dict()
    return jsonify(answer)


@bp.get("/verify/certificate")
@public
def certificate():
    return pem_response(services.certificate().certificate_pem)
