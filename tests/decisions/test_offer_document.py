"""The offer document end to end: issued on approval, its text read back, signed through the documents
feature (talent, and guardian for a minor), which accepts the proposal and casts the role."""
from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest

from casting.core.blobs import load_blob
from casting.core.db import utcnow
from casting.decisions.models import Proposal
from casting.documents.models import Document
from casting.extensions import db
from tests.conftest import auth, login, read_outbox
from tests.decisions.factories import make_casting
from tests.decisions.helpers import mail_text, pdf_text
from tests.factories import make_shortlist_entry, make_talent, make_user

TERMS = {"compensation": "£650 a day, 6 shooting days", "start_date": "2027-05-03", "end_date": "2027-05-12",
         "usage": "The feature film and its trailers, worldwide, all media.", "jurisdiction": "US-CA"}


@pytest.fixture
def c(app):
    world = make_casting()
    dob = utcnow().date().replace(year=utcnow().date().year - 11) - timedelta(days=30)
    world.minor_user = make_user("talent", name="Milo Young")
    world.minor = make_talent(user=world.minor_user)
    world.minor.date_of_birth, world.minor.guardian_name = dob, "Gina Young"
    world.minor.guardian_email = "gina.young@example.com"
    make_shortlist_entry(world.role, world.minor, by=world.cd)
    db.session.commit()
    return world


def _offer(client, c, talent, **extra):
    resp = client.post(f"/api/v1/roles/{c.role.id}/proposals", json={"talent_id": talent.id, "terms": TERMS, **extra},
                       headers=auth(c.cd))
    assert resp.status_code == 201, resp.json
    resp = client.post(f"/api/v1/proposals/{resp.json['id']}/approve", json={"comment": "Clear choice."},
                       headers=auth(c.producer))
    assert resp.status_code == 200 and resp.json["offer_document_id"]
    return resp.json, db.session.get(Document, resp.json["offer_document_id"])


def test_offer_text_and_email(client, c, outbox):
    body, doc = _offer(client, c, c.talents[0])
    assert (doc.kind, doc.status, doc.proposal_id, doc.recipient_talent_id) == ("offer", "issued", body["id"],
                                                                                 c.talents[0].id)
    text = pdf_text(load_blob(doc.blob_sha256).data)
    for expected in (c.company.legal_name, c.company.registration_number, c.talents[0].legal_name, "Maya",
                     c.production.title, "£650 a day, 6 shooting days", "Monday 3 May 2027", "Wednesday 12 May 2027",
                     "The feature film and its trailers, worldwide, all media.", "FOR THE PRODUCER", "PERFORMER",
                     "never ask you for money"):
        assert expected in text, expected
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)  # one date format: written out, never ISO
    assert "/me/offers" in text and "/me/documents" not in text  # the page where an offer is signed or declined
    assert "PARENT OR GUARDIAN" not in text
    [mail] = [m for m in read_outbox(outbox) if m["Subject"].startswith("Offer:")]
    [attachment] = list(mail.iter_attachments())
    assert hashlib.sha256(attachment.get_content()).hexdigest() == doc.sha256   # the exact bytes issued
    assert f"/verify/{doc.verification_code}" in mail_text(mail)


def test_talent_signs_and_the_role_is_cast(client, c):
    body, doc = _offer(client, c, c.talents[0])
    me = auth(c.talents[0].user)
    early = client.post(f"/api/v1/documents/{doc.id}/sign", json={"full_name": c.talents[0].legal_name, "agree": True},
                        headers=me)
    assert early.status_code == 409 and early.json["error"]["code"] == "not_viewed"
    assert client.get(f"/api/v1/documents/{doc.id}/pdf", headers=me).status_code == 200
    signed = client.post(f"/api/v1/documents/{doc.id}/sign",
                         json={"full_name": c.talents[0].legal_name, "agree": True}, headers=me)
    assert signed.status_code == 200 and signed.json["status"] == "signed"
    got = client.get(f"/api/v1/proposals/{body['id']}", headers=me).json
    assert got["status"] == "accepted"
    assert client.get(f"/api/v1/roles/{c.role.id}", headers=auth(c.cd)).json["status"] == "cast"
    login(client, c.talents[0].user)
    assert "signed: you are cast" in client.get("/me/offers").get_data(as_text=True)


def test_a_minor_needs_the_guardian_too(client, c, outbox):
    body, doc = _offer(client, c, c.minor, trust_account="First Coast Bank, Coogan trust account 00-1234-5678")
    text = pdf_text(load_blob(doc.blob_sha256).data)
    assert "PARENT OR GUARDIAN" in text and "Gina Young" in text
    assert "First Coast Bank, Coogan trust account 00-1234-5678" in text and "Coogan" in text
    me = auth(c.minor_user)
    assert client.get(f"/api/v1/documents/{doc.id}/pdf", headers=me).status_code == 200
    resp = client.post(f"/api/v1/documents/{doc.id}/sign", json={"full_name": "Milo Young", "agree": True}, headers=me)
    assert resp.status_code == 200
    assert db.session.get(Proposal, body["id"]).status == "approved"       # waiting for the guardian
    guardian_mail = next(m for m in read_outbox(outbox) if m["To"] == "gina.young@example.com")
    token = re.search(r"/guardian/([\w-]+)", mail_text(guardian_mail)).group(1)
    assert client.get(f"/guardian/{token}/pdf").status_code == 200
    resp = client.post(f"/guardian/{token}", data={"full_name": "Gina Young", "agree": "y"})
    assert resp.status_code in (200, 302, 303)
    db.session.expire_all()
    assert db.session.get(Proposal, body["id"]).status == "accepted" and c.role.status == "cast"
    welcome = next(m for m in read_outbox(outbox) if m["Subject"].startswith("Welcome to the cast"))
    assert "gina.young@example.com" in welcome["To"]
