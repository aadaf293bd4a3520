"""Opening and signing: who may sign, in what order, and what the signed PDF records."""
from __future__ import annotations

import re

import sqlalchemy as sa

from casting.decisions.models import Proposal
from casting.documents import services
from casting.documents.models import Document, DocumentView
from casting.extensions import db
from tests.conftest import auth, count, login, read_outbox
from tests.documents.factories import make_callback
from tests.documents.helpers import actions, by_kind, page_texts, pdf_of, reader, text_of
from tests.factories import make_user


def _talent_callback(**kw):
    user = make_user("talent", name="Talia Able")
    inv = make_callback(talent_user=user, **kw)
    docs = by_kind(services.issue_invitation_documents(inv, actor=None))
    db.session.commit()
    return user, inv, docs


def test_sign_a_release_through_the_api(app, client, outbox):
    user, inv, docs = _talent_callback(recorded=True)
    release = docs["recording_release"]
    headers = auth(user)
    url = f"/api/v1/documents/{release.id}/sign"
    body = {"full_name": "Talia Able", "agree": True}

    # Not opened yet: 409 not_viewed, and nothing changes.
    before = count(Document)
    r = client.post(url, json=body, headers=headers)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "not_viewed"
    assert count(Document) == before and db.session.get(Document, release.id).signed_at is None
    assert "blocked.not_viewed" in actions()

    # Opening the PDF is recorded (a view row, the first-view time, an audit entry).
    pdf = client.get(f"/api/v1/documents/{release.id}/pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data == pdf_of(release)
    assert pdf.headers["Cache-Control"] == "private, no-store"
    assert count(DocumentView) == 1 and db.session.get(Document, release.id).first_viewed_at is not None
    assert "document.viewed" in actions()

    # Wrong name, or no agreement: 422 and nothing signed.
    r = client.post(url, json={"full_name": "Someone Else", "agree": True}, headers=headers)
    assert r.status_code == 422 and "full_name" in r.get_json()["error"]["details"]["fields"]
    r = client.post(url, json={"full_name": "Talia Able", "agree": False}, headers=headers)
    assert r.status_code == 422 and "agree" in r.get_json()["error"]["details"]["fields"]
    r = client.post(url, json={"full_name": 7}, headers=headers)
    assert set(r.get_json()["error"]["details"]["fields"]) == {"full_name", "agree"}
    assert count(Document) == before and db.session.get(Document, release.id).signed_at is None

    # Case and spacing do not matter.
    r = client.post(url, json={"full_name": "  talia   ABLE ", "agree": True}, headers=headers)
    assert r.status_code == 200, r.get_json()
    out = r.get_json()
    assert out["status"] == "signed"
    signed = db.session.get(Document, out["signed_document_id"])
    db.session.refresh(release)
    assert release.status == "signed" and release.signed_name == "talia ABLE"
    assert signed.signed_from_id == release.id and signed.status == "signed" and signed.serial == release.serial + "-S"

    # The signed PDF: the issued pages unchanged, then the signature record.
    original, signed_pdf = pdf_of(release), pdf_of(signed)
    assert signed.sha256 != release.sha256
    assert page_texts(signed_pdf)[:-1] == page_texts(original)
    last = page_texts(signed_pdf)[-1]
    for expected in ("Signature record".upper(), "talia ABLE", release.sha256, release.serial,
                     "OPENED BEFORE SIGNING", "This production will never ask you for money.", signed.serial):
        assert expected in last, expected
    assert re.search(r"SIGNED AT .*\d\d:\d\d GMT", last)
    assert reader(signed_pdf).metadata.title == release.title + " (signed)"
    assert "document.signed" in actions()

    # The signed copy is emailed; signing again is refused.
    mail = read_outbox(outbox)[-1]
    assert mail["To"] == user.email and [a.get_content() for a in mail.iter_attachments()] == [signed_pdf]
    r = client.post(url, json=body, headers=headers)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "invalid_state"
    assert services.missing_for_check_in(inv) == []

    # The document's JSON.
    j = client.get(f"/api/v1/documents/{release.id}", headers=headers).get_json()
    assert j["status"] == "signed" and j["signed_document_id"] == signed.id and j["sha256"] == release.sha256
    assert j["signed_at"].endswith("Z") and j["recipient_talent_id"] == inv.talent_id and j["kind"] == "recording_release"


def test_only_the_recipient_signs_and_only_what_is_signable(app, client):
    user, inv, docs = _talent_callback(nudity=True, minor=True)
    rider, confirmation, consent = docs["consent_rider"], docs["callback_confirmation"], docs["guardian_consent"]
    other = make_user("talent", name="Tom Baker")
    cd = inv.session.lead_casting_director
    db.session.commit()
    body = {"full_name": "Talia Able", "agree": True}
    # Another talent can neither fetch nor sign it.
    assert client.get(f"/api/v1/documents/{rider.id}/pdf", headers=auth(other)).status_code == 404
    assert client.post(f"/api/v1/documents/{rider.id}/sign", json=body, headers=auth(other)).status_code == 404
    # Staff see it (their reads are not views) but may not sign.
    assert client.get(f"/api/v1/documents/{rider.id}/pdf", headers=auth(cd)).status_code == 200
    assert db.session.get(Document, rider.id).first_viewed_at is None and count(DocumentView) == 0
    r = client.post(f"/api/v1/documents/{rider.id}/sign", json=body, headers=auth(cd))
    assert r.status_code == 403
    headers = auth(user)
    for doc in (confirmation, consent):
        client.get(f"/api/v1/documents/{doc.id}/pdf", headers=headers)
    # A letter is not signed; a guardian consent is signed by the guardian.
    r = client.post(f"/api/v1/documents/{confirmation.id}/sign", json=body, headers=headers)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "invalid_state"
    r = client.post(f"/api/v1/documents/{consent.id}/sign", json=body, headers=headers)
    assert r.status_code == 403
    # Void documents cannot be signed.
    client.get(f"/api/v1/documents/{rider.id}/pdf", headers=headers)
    services.void_invitation_documents(inv, actor=None, reason="cancelled")
    db.session.commit()
    r = client.post(f"/api/v1/documents/{rider.id}/sign", json=body, headers=headers)
    assert r.status_code == 409 and r.get_json()["error"]["code"] == "invalid_state"
    assert count(Document) == 3 and all(d.signed_at is None for d in docs.values())


def test_guardian_signs_from_the_emailed_link(app, client, outbox):
    _, inv, docs = _talent_callback(minor=True)
    consent = docs["guardian_consent"]
    token = re.search(r"/guardian/(\S+)", read_outbox(outbox)[0].get_body().get_content()).group(1)
    page = client.get(f"/guardian/{token}")
    assert page.status_code == 200 and b"Gina Guardian" in page.data and consent.serial.encode() in page.data
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert client.get("/guardian/not-the-token").status_code == 404

    form = {"full_name": "Gina Guardian", "agree": "y"}
    r = client.post(f"/guardian/{token}", data=form)
    assert r.status_code == 303  # not opened: refused with a flash, nothing signed
    assert db.session.get(Document, consent.id).guardian_signed_at is None
    assert client.get(f"/guardian/{token}/pdf").data == pdf_of(consent)
    assert db.session.get(Document, consent.id).guardian_viewed_at is not None
    r = client.post(f"/guardian/{token}", data={"full_name": "Talia Able", "agree": "y"})
    assert r.status_code == 422 and b"full legal name" in r.data
    r = client.post(f"/guardian/{token}", data=form)
    assert r.status_code == 302
    db.session.expire_all()
    consent = db.session.get(Document, consent.id)
    assert consent.status == "signed" and consent.guardian_signed_name == "Gina Guardian" and consent.signed_by_guardian
    assert services.missing_for_check_in(inv) == []
    signed = db.session.scalar(sa.select(Document).where(Document.signed_from_id == consent.id))
    assert "SIGNED BY THE PARENT OR GUARDIAN OF" in text_of(pdf_of(signed))
    assert client.get(f"/guardian/{token}/pdf?signed=1").data == pdf_of(signed)
    assert b"Download the signed copy" in client.get(f"/guardian/{token}").data
    assert "gina.guardian@example.com" in read_outbox(outbox)[-1]["To"]


def _offer(inv, *, minor_trust=None):
    proposal = Proposal(role_id=inv.role_id, talent_id=inv.talent_id, proposed_by_id=inv.invited_by_id,
                        status="approved", terms={"compensation": "Scale plus 10%"}, trust_account=minor_trust)
    db.session.add(proposal)
    db.session.flush()
    offer = services.issue_offer(proposal, actor=None)
    db.session.commit()
    return proposal, offer


def test_an_adults_offer_is_signed_by_the_talent_alone(app, client):
    user, inv, _ = _talent_callback()
    proposal, offer = _offer(inv)
    headers = auth(user)
    client.get(f"/api/v1/documents/{offer.id}/pdf", headers=headers)
    r = client.post(f"/api/v1/documents/{offer.id}/sign", json={"full_name": "Talia Able", "agree": True}, headers=headers)
    assert r.status_code == 200 and r.get_json()["status"] == "signed"
    db.session.expire_all()
    assert db.session.get(Document, offer.id).status == "signed"
    # Signing the offer accepts it (decisions.offer_signed): the role is cast.
    assert db.session.get(Proposal, proposal.id).status == "accepted" and inv.role.status == "cast"


def test_a_minors_offer_needs_the_guardian_too(app, client, outbox):
    user, inv, _ = _talent_callback(minor=True)
    proposal, offer = _offer(inv, minor_trust="NY child performer trust 88-1, Empire Savings")
    token = re.search(r"/guardian/(\S+)", read_outbox(outbox)[-1].get_body().get_content()).group(1)
    headers = auth(user)
    client.get(f"/api/v1/documents/{offer.id}/pdf", headers=headers)
    r = client.post(f"/api/v1/documents/{offer.id}/sign", json={"full_name": "Talia Able", "agree": True}, headers=headers)
    assert r.get_json() == {"status": "awaiting_guardian", "signed_document_id": None}
    assert db.session.get(Document, offer.id).status == "issued"
    assert services.awaiting(db.session.get(Document, offer.id)) == ["guardian"]
    assert db.session.get(Proposal, proposal.id).status == "approved"
    client.get(f"/guardian/{token}/pdf")
    assert client.post(f"/guardian/{token}", data={"full_name": "gina guardian", "agree": "y"}).status_code == 302
    db.session.expire_all()
    done = db.session.get(Document, offer.id)
    assert done.status == "signed" and db.session.get(Proposal, proposal.id).status == "accepted"
    signed = db.session.scalar(sa.select(Document).where(Document.signed_from_id == offer.id))
    last = page_texts(pdf_of(signed))[-1]
    assert "SIGNED BY THE TALENT" in last and "SIGNED BY THE PARENT OR GUARDIAN" in last
    assert "NY child performer trust 88-1, Empire Savings" in text_of(pdf_of(signed))


def test_signing_from_the_portal_page(app, client):
    user, inv, docs = _talent_callback(nudity=True)
    rider = docs["consent_rider"]
    login(client, user)
    page = client.get(f"/documents/{rider.id}")
    assert page.status_code == 200 and b"Open the PDF and read it first" in page.data
    r = client.post(f"/documents/{rider.id}/sign", data={"full_name": "Talia Able", "agree": "y"},
                    headers={"Referer": f"/documents/{rider.id}"})
    assert r.status_code == 303 and db.session.get(Document, rider.id).signed_at is None
    client.get(f"/documents/{rider.id}/pdf")
    r = client.post(f"/documents/{rider.id}/sign", data={"full_name": "Tali Able", "agree": "y"})
    assert r.status_code == 422 and b"exactly as the document gives it" in r.data
    r = client.post(f"/documents/{rider.id}/sign", data={"full_name": "Talia Able"})
    assert r.status_code == 422 and b"Tick the box" in r.data
    r = client.post(f"/documents/{rider.id}/sign", data={"full_name": "Talia Able", "agree": "y"})
    assert r.status_code == 302
    signed = db.session.scalar(sa.select(Document).where(Document.signed_from_id == rider.id))
    assert r.headers["Location"].endswith(f"/documents/{signed.id}")
    page = client.get(r.headers["Location"])
    assert b"This is the signed copy" in page.data
    mine = client.get("/me/documents")
    assert mine.status_code == 200 and rider.serial.encode() in mine.data and signed.serial.encode() in mine.data
