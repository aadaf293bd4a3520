"""The public verify answers, by code and by upload, through the API and the pages; rate-limited."""
from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from casting.documents import services
from casting.documents.codes import format_code
from casting.extensions import db
from tests.documents.factories import make_callback
from tests.documents.helpers import by_kind, pdf_of
from tests.factories import make_user, pdf_bytes


@pytest.fixture
def issued(app):
    inv = make_callback(recorded=True, legal_name="Talia Marie Able")
    docs = by_kind(services.issue_invitation_documents(inv, actor=None))
    db.session.commit()
    return inv, docs


def test_verify_by_code_through_the_api(app, client, issued):
    inv, docs = issued
    doc = docs["callback_confirmation"]
    r = client.get(f"/api/v1/verify/{doc.verification_code}")
    assert r.status_code == 200
    body = r.get_json()
    assert body["status"] == "valid" and body["kind"] == "callback_confirmation"
    assert body["issuer"] == inv.session.production.company.legal_name
    assert body["production"] == inv.session.production.title
    assert body["recipient_initials"] == "T.M.A." and body["sha256"] == doc.sha256
    assert body["issued_at"].endswith("Z")
    assert "Talia" not in r.get_data(as_text=True) and inv.talent.email not in r.get_data(as_text=True)
    # Typed loosely: lower case, dashes, look-alike letters.
    loose = format_code(doc.verification_code).lower().replace("0", "o").replace("1", "l")
    assert client.get(f"/api/v1/verify/{loose}").get_json()["sha256"] == doc.sha256
    r = client.get("/api/v1/verify/ABCD-EFGH-JKMN")
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"
    assert r.get_json()["error"]["details"]["status"] == "unknown"


def test_verify_reports_signed_superseded_and_void(app, client):
    user = make_user("talent", name="Talia Able")
    inv = make_callback(recorded=True, talent_user=user)
    docs = by_kind(services.issue_invitation_documents(inv, actor=None))
    release, letter = docs["recording_release"], docs["callback_confirmation"]
    services.record_view(release, actor=user)
    signed_copy = services.sign_document(release, actor=user, full_name="Talia Able", agree=True)
    db.session.commit()

    def status(doc):
        return client.get(f"/api/v1/verify/{doc.verification_code}").get_json()

    assert status(release)["status"] == "signed" and status(letter)["status"] == "valid"
    copy = status(signed_copy)
    assert copy["status"] == "signed" and copy["signed_copy"] is True and copy["signed_at"].endswith("Z")
    # A correction supersedes the issued documents (and the signed copy with them).
    new = by_kind(services.reissue_invitation_documents(inv, actor=None, reason="moved"))
    db.session.commit()
    assert status(release)["status"] == "superseded" and status(release)["superseded_by_version"] == 2
    assert status(signed_copy)["status"] == "superseded"
    # Cancelling voids the current versions; the superseded ones stay superseded.
    services.void_invitation_documents(inv, actor=None, reason="cancelled")
    db.session.commit()
    assert [status(d)["status"] for d in new.values()] == ["void", "void"]
    assert status(letter)["status"] == "superseded"


def test_verify_by_upload(app, client, issued):
    _, docs = issued
    doc = docs["callback_confirmation"]
    data = pdf_of(doc)
    r = client.post("/api/v1/verify", data={"file": (io.BytesIO(data), "letter.pdf")}, content_type="multipart/form-data")
    assert r.status_code == 200 and r.get_json()["match"] is True
    assert r.get_json()["document"]["sha256"] == doc.sha256 and r.get_json()["document"]["status"] == "valid"
    # One byte altered (inside the document, after the header): no match.
    altered = bytearray(data)
    altered[len(altered) // 2] ^= 0x01
    r = client.post("/api/v1/verify", data={"file": (io.BytesIO(bytes(altered)), "letter.pdf")},
                    content_type="multipart/form-data")
    assert r.status_code == 200 and r.get_json()["match"] is False and "document" not in r.get_json()
    assert r.get_json()["signature"]["intact"] is False
    r = client.post("/api/v1/verify", data={"file": (io.BytesIO(pdf_bytes("a forged letter")), "forged.pdf")},
                    content_type="multipart/form-data")
    assert r.get_json() == {"match": False}  # no signature at all: the plain answer
    r = client.post("/api/v1/verify", data={"file": (io.BytesIO(b"GIF89a not a pdf"), "x.pdf")},
                    content_type="multipart/form-data")
    assert r.status_code == 415 and r.get_json()["error"]["code"] == "unsupported_media_type"
    r = client.post("/api/v1/verify", data={}, content_type="multipart/form-data")
    assert r.status_code == 422 and "file" in r.get_json()["error"]["details"]["fields"]
    # Encoded in memory: the test client would otherwise leave its own temporary file open.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024)), "big.pdf")})
    r = client.post("/api/v1/verify", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert r.status_code == 413 and r.get_json()["error"]["code"] == "too_large"


def test_verify_pages(app, client, issued):
    inv, docs = issued
    doc = docs["callback_confirmation"]
    page = client.get("/verify")
    assert page.status_code == 200 and b"Enter the code" in page.data and b"upload the PDF" in page.data
    r = client.get("/verify", query_string={"code": format_code(doc.verification_code).lower()})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/verify/{doc.verification_code}")
    result = client.get(f"/verify/{doc.verification_code}")
    html = result.get_data(as_text=True)
    assert result.status_code == 200 and "Genuine and current" in html and "T.M.A." in html
    assert inv.session.production.company.legal_name in html and "Talia" not in html
    unknown = client.get("/verify/ZZZZ-ZZZZ-ZZZZ")
    assert unknown.status_code == 404 and b"Unknown code" in unknown.data and b"do not pay anything" in unknown.data
    up = client.post("/verify", data={"file": (io.BytesIO(pdf_of(doc)), "mine.pdf")}, content_type="multipart/form-data")
    assert up.status_code == 200 and b"byte-for-byte identical" in up.data
    bad = client.post("/verify", data={"file": (io.BytesIO(pdf_of(doc) + b"\n"), "mine.pdf")},
                      content_type="multipart/form-data")
    assert bad.status_code == 200 and b"No match" in bad.data
    empty = client.post("/verify", data={}, content_type="multipart/form-data")
    assert empty.status_code == 422 and b"Choose the PDF file" in empty.data


@pytest.fixture
def limited(app_config):
    app_config.update({"RATELIMIT_ENABLED": True, "RATELIMIT_VERIFY": "3 per minute"})


def test_verify_is_rate_limited(limited, app, client, issued):
    _, docs = issued
    code = docs["callback_confirmation"].verification_code
    assert [client.get(f"/api/v1/verify/{code}").status_code for _ in range(3)] == [200, 200, 200]
    r = client.get(f"/api/v1/verify/{code}")
    assert r.status_code == 429 and r.get_json()["error"]["code"] == "rate_limited"
    # The pages share the same budget.
    page = client.get(f"/verify/{code}")
    assert page.status_code == 429 and b"Too many attempts" in page.data
