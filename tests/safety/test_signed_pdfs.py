"""Signed PDFs (issue 14 item 6): every issued PDF carries a PAdES B-B signature by the installation's key; the
certificate is published; the verify upload reports whether the signature is intact."""
from __future__ import annotations

import io
import os
import stat

import pytest
from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from casting import create_app
from casting.config import ConfigError
from casting.documents import pades, services
from casting.extensions import db
from tests.conftest import base_config
from tests.documents.factories import make_callback
from tests.documents.helpers import by_kind, pdf_of


@pytest.fixture
def letter(app):
    inv = make_callback(recorded=True)
    docs = by_kind(services.issue_invitation_documents(inv, actor=None))
    db.session.commit()
    return docs["callback_confirmation"], pdf_of(docs["callback_confirmation"]), docs


def _published_certificate(client) -> x509.Certificate:
    resp = client.get("/api/v1/verify/certificate")
    assert resp.status_code == 200 and resp.mimetype == "application/x-pem-file"
    kind, _, der = pem.unarmor(resp.data)
    assert kind == "CERTIFICATE"
    return x509.Certificate.load(der)


def _validate(data: bytes, cert: x509.Certificate):
    (sig,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    # pyHanko's own validator, run as the app runs pyHanko (pades._run: a browser test in this process leaves an
    # event loop running in the thread, where pyHanko's sync wrappers refuse to start one).
    context = ValidationContext(trust_roots=[cert], allow_fetching=False)
    return sig, pades._run(lambda: async_validate_pdf_signature(sig, context))


def test_an_untouched_letter_validates_with_pyhanko(client, letter):
    doc, data, docs = letter
    cert = _published_certificate(client)
    sig, status = _validate(data, cert)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES, not adbe.pkcs7
    assert sig.signer_cert.sha256 == cert.sha256
    # Every issued document is signed, not only the confirmation.
    for other in docs.values():
        assert _validate(pdf_of(other), cert)[1].intact


def test_one_flipped_byte_fails_validation(client, letter):
    doc, data, _ = letter
    cert = _published_certificate(client)
    (sig,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    byte_range = sig.sig_object["/ByteRange"]
    start, length = int(byte_range[0]), int(byte_range[1])  # the first signed range: the letter itself
    altered = bytearray(data)
    altered[start + length // 2] ^= 0x01
    try:
        _, status = _validate(bytes(altered), cert)
    except Exception:  # pyHanko may refuse to read the damaged file at all: that fails too
        pass
    else:
        assert not status.intact
    answer = client.post("/api/v1/verify", data={"file": (io.BytesIO(bytes(altered)), "letter.pdf")},
                         content_type="multipart/form-data").get_json()
    assert answer["match"] is False and answer["signature"]["intact"] is False and answer["signature"]["valid"] is False
    intact = client.post("/api/v1/verify", data={"file": (io.BytesIO(data), "letter.pdf")},
                         content_type="multipart/form-data").get_json()
    assert intact["match"] is True and intact["signature"] == {"present": True, "intact": True, "ours": True,
                                                               "valid": True}


def test_the_verify_page_reports_the_signature(client, letter):
    doc, data, _ = letter
    altered = bytearray(data)
    altered[len(data) // 3] ^= 0x01
    page = client.post("/verify", data={"file": (io.BytesIO(bytes(altered)), "letter.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Broken: the file carries a signature, but the file was changed after it was signed" in page
    page = client.post("/verify", data={"file": (io.BytesIO(data), "letter.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Intact: the file carries this service" in page


def test_the_certificate_is_published_on_the_site_and_the_verify_page(client, letter):
    site = client.get("/verify/certificate")
    api = client.get("/api/v1/verify/certificate")
    assert site.status_code == api.status_code == 200 and site.data == api.data
    assert site.data.startswith(b"-----BEGIN CERTIFICATE-----") and b"PRIVATE" not in site.data
    page = client.get("/verify").get_data(as_text=True)
    assert "/verify/certificate" in page and pades.installation().fingerprint in page


def test_the_key_is_made_at_first_run_in_the_instance_folder(tmp_path):
    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path}/x.db") | {"CASTING_SIGNING_PEM": None})
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        first = pades.installation()
        path = tmp_path / "instance" / "signing.pem"
        assert path.exists() and stat.S_IMODE(os.stat(path).st_mode) == 0o600
        signed = pades.sign(pdf_of_text())
        assert pades.check(signed).valid
    again = create_app(base_config(tmp_path, f"sqlite:///{tmp_path}/x.db") | {"CASTING_SIGNING_PEM": None})
    again.instance_path = str(tmp_path / "instance")
    with again.app_context():
        assert pades.installation().certificate_pem == first.certificate_pem  # kept, not remade
        assert pades.check(signed).valid


def test_a_signing_key_setting_must_name_a_readable_file(tmp_path):
    with pytest.raises(ConfigError, match="CASTING_SIGNING_PEM"):
        create_app(base_config(tmp_path, f"sqlite:///{tmp_path}/x.db") | {"CASTING_SIGNING_PEM": str(tmp_path / "no.pem")})
    (tmp_path / "bad.pem").write_text("not a key")
    with pytest.raises(ConfigError, match="CASTING_SIGNING_PEM"):
        create_app(base_config(tmp_path, f"sqlite:///{tmp_path}/x.db") | {"CASTING_SIGNING_PEM": str(tmp_path / "bad.pem")})


def test_a_file_signed_by_another_key_is_not_ours(tmp_path, app):
    other = tmp_path / "other.pem"
    pades._create(other, "Someone else")
    foreign = pades._load(other.read_bytes(), str(other))
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.PdfSigner(signers.PdfSignatureMetadata(field_name="X", subfilter=fields.SigSeedSubFilter.PADES),
                               signer=foreign.signer)
    out = pades._run(lambda: signer.async_sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf_of_text()))))
    check = pades.check(out.getvalue())
    assert check.present and not check.ours and not check.valid


def pdf_of_text() -> bytes:
    from tests.factories import pdf_bytes

    return pdf_bytes("A letter")


def test_the_signature_record_is_signed_once_and_validates(client, app):
    from tests.factories import make_user

    user = make_user("talent", name="Talia Able")
    inv = make_callback(recorded=True, talent_user=user, legal_name="Talia Able")
    docs = by_kind(services.issue_invitation_documents(inv, actor=None))
    release = docs["recording_release"]
    services.record_view(release, actor=user)
    signed = db.session.get(type(release), services.sign_document(release, actor=user, full_name="Talia Able",
                                                                   agree=True).id)
    db.session.commit()
    data = pdf_of(signed)
    sigs = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert len(sigs) == 1  # the issued pages' own signature is taken out, the record carries a new one
    assert _validate(data, _published_certificate(client))[1].intact


def test_signed_attributes_from_the_template_are_the_ones_pyhanko_builds(app):
    """pades signs with the attributes made from a template (the digest put into attributes built once); they
    must be byte for byte what pyHanko builds itself, for any digest (a pyHanko upgrade that changes them fails
    here, not in a reader's validator)."""
    import hashlib
    from datetime import datetime, timezone

    from pyhanko.sign import signers
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    signer = pades.installation().signer
    attrs = PdfCMSSignedAttributes(signing_time=datetime.now(timezone.utc))
    for n in range(5):
        digest = hashlib.sha256(b"letter %d" % n).digest()
        ours = pades._run(lambda: signer.signed_attrs(digest, "sha256", attr_settings=attrs, use_pades=True))
        theirs = pades._run(lambda: signers.SimpleSigner.signed_attrs(signer, digest, "sha256", attr_settings=attrs,
                                                                      use_pades=True))
        assert ours.dump() == theirs.dump()
    # What a template cannot cover (here: CAdES's signing time outside PAdES) is built by pyHanko.
    ours = pades._run(lambda: signer.signed_attrs(digest, "sha256", attr_settings=attrs, use_pades=False))
    assert "signing_time" in [a["type"].native for a in ours]
