"""Issuing: serials and codes, stored hashes, the audit head, superseding, voiding, the check-in gate."""
from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import sqlalchemy as sa

from casting.audit.models import AuditEntry
from casting.audit.services import verify_chain
from casting.documents import services
from casting.documents.codes import CODE_ALPHABET, format_code, next_serial, normalise_code
from casting.documents.models import Document
from casting.extensions import db
from tests.conftest import read_outbox
from tests.documents.factories import make_callback
from tests.documents.helpers import actions, by_kind, pdf_of, text_of


def test_issuing_stores_bytes_hash_serial_code_and_the_audit_head(app):
    inv = make_callback(nudity=True, recorded=True)
    head_before = db.session.scalar(sa.select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    docs = services.issue_invitation_documents(inv, actor=inv.session.lead_casting_director)
    assert [d.kind for d in docs] == ["callback_confirmation", "consent_rider", "recording_release"]
    for d in docs:
        data = pdf_of(d)
        assert data.startswith(b"%PDF-") and hashlib.sha256(data).hexdigest() == d.sha256 == d.blob_sha256
        assert re.fullmatch(r"CB-\d{4}-\d{6}", d.serial) and d.serial.startswith(f"CB-{d.issued_at.year}-")
        assert len(d.verification_code) == 12 and set(d.verification_code) <= set(CODE_ALPHABET)
        assert d.status == "issued" and d.version == 1 and d.invitation_id == inv.id
        assert d.recipient_talent_id == inv.talent_id and d.production_id == inv.session.production_id
        assert d.issued_by_id == inv.session.lead_casting_director.id
    # Consents are issued first (the confirmation lists them), and serials count up.
    numbers = sorted(int(d.serial[-6:]) for d in docs)
    assert numbers == list(range(numbers[0], numbers[0] + 3))
    # Each document records the head of the audit chain at its issue: the first one the head before issuing.
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "document.issued")
                                 .order_by(AuditEntry.id)).all()
    assert len(entries) == 3
    issued_first = db.session.get(Document, entries[0].entity_id)
    assert issued_first.audit_head_at_issue == (head_before or "0" * 64)
    for entry in entries:
        assert db.session.get(Document, entry.entity_id).audit_head_at_issue == entry.prev_hash
    assert verify_chain().ok


def test_codes_carry_sixty_bits_and_read_forgivingly(app):
    codes = set()
    inv = make_callback(nudity=True, recorded=True)
    for d in services.issue_invitation_documents(inv, actor=None):
        codes.add(d.verification_code)
    assert len(codes) == 3
    assert len(CODE_ALPHABET) == 32 and not set("ILOU") & set(CODE_ALPHABET)  # 12 x 5 = 60 bits
    code = "0123456789AB"
    assert format_code(code) == "0123-4567-89AB"
    assert normalise_code(" o123-4567-89ab ") == code and normalise_code("O1Z3 4567 89AB") == "01Z3456789AB"
    assert normalise_code("0l23456789AB") == "0123456789AB"
    assert normalise_code("0123") is None and normalise_code("0123456789AU") is None and normalise_code("") is None


def test_serials_continue_the_years_sequence(app):
    inv = make_callback()
    [first] = services.issue_invitation_documents(inv, actor=None)
    assert next_serial(first.issued_at) == f"CB-{first.issued_at.year}-{int(first.serial[-6:]) + 1:06d}"
    later = first.issued_at.replace(year=first.issued_at.year + 1)
    assert next_serial(later) == f"CB-{later.year}-000001"


def test_bytes_never_change_once_issued(app, client):
    from tests.conftest import auth

    inv = make_callback(recorded=True, talent_user=None)
    docs = services.issue_invitation_documents(inv, actor=None)
    db.session.commit()
    staff = auth(inv.session.lead_casting_director)
    first = [client.get(f"/api/v1/documents/{d.id}/pdf", headers=staff).data for d in docs]
    services.reissue_invitation_documents(inv, actor=None, reason="session moved")
    db.session.commit()
    again = [client.get(f"/api/v1/documents/{d.id}/pdf", headers=staff).data for d in docs]
    assert first == again
    assert [hashlib.sha256(b).hexdigest() for b in again] == [d.sha256 for d in docs]


def test_reissue_supersedes_every_current_document_and_tells_the_talent(app, outbox):
    inv = make_callback(nudity=True, recorded=True)
    old = by_kind(services.issue_invitation_documents(inv, actor=None))
    db.session.commit()
    inv.starts_at += timedelta(hours=1)
    inv.ends_at += timedelta(hours=1)
    new = by_kind(services.reissue_invitation_documents(inv, actor=None, reason="the session moved to 11:00",
                                                       notify=True))
    db.session.commit()
    assert set(new) == set(old)
    for kind, doc in new.items():
        assert doc.version == 2 and doc.supersedes_id == old[kind].id and doc.status == "issued"
        assert old[kind].status == "superseded"
        assert doc.serial != old[kind].serial and doc.verification_code != old[kind].verification_code
    text = text_of(pdf_of(new["callback_confirmation"]))
    assert f"It replaces {old['callback_confirmation'].serial} (the session moved to 11:00)" in text
    assert "11:00 to 11:20 GMT" in text and "version 2" in text
    mail = read_outbox(outbox)[-1]
    assert mail["To"] == inv.talent.email and "Updated documents" in mail["Subject"]
    assert "the session moved to 11:00" in mail.get_body().get_content()
    names = sorted(p.get_filename() for p in mail.iter_attachments())
    assert names == sorted(f"{d.serial}-{d.kind.replace('_', '-')}.pdf" for d in new.values())
    assert actions().count("document.superseded") == 3


def test_reissue_voids_what_is_no_longer_needed_and_issues_what_now_is(app):
    inv = make_callback(recorded=True)
    old = by_kind(services.issue_invitation_documents(inv, actor=None))
    inv.session.recorded = False
    inv.role.nudity_or_intimacy = True
    inv.role.nudity_or_intimacy_details = "A kiss on a balcony; fully clothed; closed set."
    new = by_kind(services.reissue_invitation_documents(inv, actor=None, reason="recording dropped"))
    assert old["recording_release"].status == "void" and old["recording_release"].void_reason == "recording dropped"
    assert set(new) == {"callback_confirmation", "consent_rider"}
    assert new["consent_rider"].version == 1 and new["consent_rider"].supersedes_id is None
    assert new["callback_confirmation"].version == 2


def test_void_on_cancel(app):
    inv = make_callback(nudity=True)
    docs = services.issue_invitation_documents(inv, actor=None)
    services.void_invitation_documents(inv, actor=None, reason="session cancelled")
    for d in docs:
        assert d.status == "void" and d.voided_at is not None and d.void_reason == "session cancelled"
    assert services.current_documents(inv) == []
    assert actions().count("document.voided") == 2
    # Voiding again has nothing left to void.
    services.void_invitation_documents(inv, actor=None, reason="again")
    assert actions().count("document.voided") == 2


def test_guardian_is_emailed_their_own_link_with_the_consent(app, outbox):
    inv = make_callback(minor=True)
    docs = by_kind(services.issue_invitation_documents(inv, actor=None))
    db.session.commit()
    [mail] = read_outbox(outbox)
    assert mail["To"] == "gina.guardian@example.com"
    body = mail.get_body().get_content()
    link = re.search(r"http://callback\.test/guardian/(\S+)", body)
    assert link and services.guardian_document(link.group(1)).id == docs["guardian_consent"].id
    assert format_code(docs["guardian_consent"].verification_code) in body
    [att] = list(mail.iter_attachments())
    assert att.get_content() == pdf_of(docs["guardian_consent"])


def test_attachments_for_carry_the_exact_bytes(app):
    inv = make_callback(recorded=True)
    docs = services.issue_invitation_documents(inv, actor=None)
    atts = services.attachments_for(docs)
    assert [a.data for a in atts] == [pdf_of(d) for d in docs]
    assert all(a.content_type == "application/pdf" and a.filename.endswith(".pdf") for a in atts)


def test_missing_for_check_in_follows_the_role_the_session_and_the_age(app):
    plain = make_callback()
    services.issue_invitation_documents(plain, actor=None)
    assert services.missing_for_check_in(plain) == []
    everything = make_callback(nudity=True, recorded=True, minor=True)
    # Even before anything is issued, what is required is missing.
    assert services.missing_for_check_in(everything) == ["consent_rider", "recording_release", "guardian_consent"]
    docs = by_kind(services.issue_invitation_documents(everything, actor=None))
    assert services.missing_for_check_in(everything) == ["consent_rider", "recording_release", "guardian_consent"]
    docs["consent_rider"].status = "signed"
    docs["guardian_consent"].status = "signed"
    assert services.missing_for_check_in(everything) == ["recording_release"]
    items = {i["kind"]: i for i in services.check_in_items(everything)}
    assert items["callback_confirmation"]["ok"] and items["consent_rider"]["state"] == "signed"
    assert items["recording_release"] == {"kind": "recording_release", "title": "Recording release",
                                          "state": "not_opened", "document_id": docs["recording_release"].id,
                                          "ok": False, "by_guardian": False}
    # A new version must be signed again.
    services.reissue_invitation_documents(everything, actor=None, reason="moved")
    assert services.missing_for_check_in(everything) == ["consent_rider", "recording_release", "guardian_consent"]
