"""Matrix rows for documents: the talent's documents and signing, the guardian link, verification."""
from __future__ import annotations

from datetime import timedelta

from casting.callbacks.models import CallbackSession, Invitation
from casting.core.db import utcnow
from casting.extensions import db
from tests.access.matrix import PUBLIC_PAGE, Row, expect
from tests.documents.factories import make_document
from tests.factories import at, make_role

GUARDIAN_TOKEN = "matrix-guardian-token-0123456789abcdef"
# The recipient (talent_a), the production's members and admins see a document; nobody else.
SEE_DOC_PAGE = expect(404, anonymous=302, talent_a=200, producer=200, admin=200, cd_own=200)
SEE_DOC_API = expect(404, anonymous=401, talent_a=200, producer=200, admin=200, cd_own=200)


def extend(world) -> None:
    """A recorded session in world.production with talent_a invited to a nudity role, their confirmation
    and consent rider; the rider also carries a guardian link (as a minor's would)."""
    cd = world.users["cd_own"]
    role = make_role(world.production, nudity_or_intimacy=True,
                     nudity_or_intimacy_details="A kiss on a balcony; fully clothed; closed set.")
    starts = at(2027, 3, 2, 10, 0)
    session = CallbackSession(production_id=world.production.id, title="Matrix callbacks", venue_id=world.venue.id,
                              starts_at=starts, ends_at=starts + timedelta(hours=2), slot_minutes=20, recorded=True,
                              recording_use="Shown only to the director and producers to choose the cast.",
                              status="scheduled", lead_casting_director_id=cd.id, scheduled_at=utcnow())
    session.roles = [role]
    session.panel = [cd, world.users["producer"]]
    db.session.add(session)
    db.session.flush()
    inv = Invitation(session_id=session.id, role_id=role.id, talent_id=world.talent_a.id, starts_at=starts,
                     ends_at=starts + timedelta(minutes=20), invited_by_id=cd.id)
    db.session.add(inv)
    db.session.flush()
    # Rows, not renders: the matrix builds this world for every row of every feature.
    world.extra["doc_invitation"] = inv
    world.extra["doc_letter"] = make_document(inv, "callback_confirmation")
    world.extra["doc_rider"] = make_document(inv, "consent_rider", guardian_token=GUARDIAN_TOKEN)


ROWS = [
    Row("GET", "documents.mine", lambda w: "/me/documents", expect(403, anonymous=302, talent_a=200, talent_b=200)),
    Row("GET", "documents.production_documents", lambda w: f"/productions/{w.production.id}/documents",
        expect(404, anonymous=302, producer=200, admin=200, cd_own=200)),
    Row("GET", "documents.view", lambda w: f"/documents/{w.doc_rider.id}", SEE_DOC_PAGE),
    Row("GET", "documents.pdf", lambda w: f"/documents/{w.doc_rider.id}/pdf", SEE_DOC_PAGE),
    Row("POST", "documents.sign", lambda w: f"/documents/{w.doc_rider.id}/sign",
        expect(404, anonymous=302, talent_a=303, producer=403, admin=403, cd_own=403),
        data=lambda w: {"full_name": "Talia Able", "agree": "y"},
        note="talent_a has not opened it: 409 not_viewed, shown as a flash (303)"),
    Row("GET", "documents.guardian", lambda w: f"/guardian/{GUARDIAN_TOKEN}", PUBLIC_PAGE,
        note="anyone holding the emailed link"),
    Row("POST", "documents.guardian", lambda w: f"/guardian/{GUARDIAN_TOKEN}", expect(303),
        data=lambda w: {"full_name": "Gina Guardian", "agree": "y"}, note="not opened yet: 409 as a flash"),
    Row("GET", "documents.guardian_pdf", lambda w: f"/guardian/{GUARDIAN_TOKEN}/pdf", PUBLIC_PAGE),
    Row("GET", "documents.verify_page", lambda w: "/verify", PUBLIC_PAGE),
    Row("POST", "documents.verify_page", lambda w: "/verify", expect(422), data=lambda w: {},
        note="no file chosen"),
    Row("GET", "documents.verify_code", lambda w: f"/verify/{w.doc_letter.verification_code}", PUBLIC_PAGE),
    Row("GET", "documents.certificate", lambda w: "/verify/certificate", PUBLIC_PAGE),
    Row("GET", "documents_api.mine", lambda w: "/api/v1/me/documents",
        expect(403, anonymous=401, talent_a=200, talent_b=200)),
    Row("GET", "documents_api.get", lambda w: f"/api/v1/documents/{w.doc_rider.id}", SEE_DOC_API),
    Row("GET", "documents_api.pdf", lambda w: f"/api/v1/documents/{w.doc_rider.id}/pdf", SEE_DOC_API),
    Row("POST", "documents_api.sign", lambda w: f"/api/v1/documents/{w.doc_rider.id}/sign",
        expect(404, anonymous=401, talent_a=409, producer=403, admin=403, cd_own=403),
        json=lambda w: {"full_name": "Talia Able", "agree": True}, note="talent_a has not opened it: not_viewed"),
    Row("GET", "documents_api.verify_code", lambda w: f"/api/v1/verify/{w.doc_letter.verification_code}", expect(200)),
    Row("POST", "documents_api.verify_upload", lambda w: "/api/v1/verify", expect(422), note="no file"),
    Row("GET", "documents_api.certificate", lambda w: "/api/v1/verify/certificate", expect(200)),
]
