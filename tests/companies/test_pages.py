"""Company pages: listing, registering, members, logo and verification through forms."""
from __future__ import annotations

from casting.companies.models import Company, CompanyMember
from casting.extensions import db
from tests.conftest import count, login
from tests.factories import make_company, make_user, pdf_bytes, png_bytes
from tests.productions.factories import multipart

FORM = {"legal_name": "Northlight Films Ltd", "registration_number": "09876543",
        "address": "4 Canal Yard, Manchester M1 2AB", "website": "https://northlight.example",
        "phone": "", "email": "office@northlight.example"}


def signed_in(client, kind: str = "casting_director"):
    user = make_user(kind)
    db.session.commit()
    login(client, user)
    return user


def test_register_a_company_through_the_form(client, app):
    cd = signed_in(client)
    assert b"not a member of any company" in client.get("/companies").data
    resp = client.post("/companies/new", data=FORM)
    assert resp.status_code == 302
    company = db.session.query(Company).one()
    assert company.is_member(cd) and resp.headers["Location"].endswith(f"/companies/{company.id}")
    page = client.get(f"/companies/{company.id}").data
    assert b"Northlight Films Ltd" in page and b"not verified" in page and b"Add a member" in page
    assert b"Verify this company" not in page
    assert b"Northlight Films Ltd" in client.get("/companies").data


def test_bad_company_form_is_shown_with_errors(client, app):
    signed_in(client)
    resp = client.post("/companies/new", data={**FORM, "registration_number": "", "email": "nope"})
    assert resp.status_code == 422 and resp.data.count(b'class="error"') >= 2
    resp = client.post("/companies/new", data={**FORM, "email": "", "phone": ""})
    assert resp.status_code == 422 and b"Give an email or a phone" in resp.data
    assert count(Company) == 0


def test_add_member_by_email(client, app):
    cd = signed_in(client)
    company = make_company(cd)
    producer = make_user("producer", email="pat@example.com")
    db.session.commit()
    resp = client.post(f"/companies/{company.id}/members", data={"member-email": "PAT@example.com"})
    assert resp.status_code == 302
    unknown = client.post(f"/companies/{company.id}/members", data={"member-email": "ghost@example.com"})
    assert unknown.status_code == 422 and b"This account cannot be added" in unknown.data
    again = client.post(f"/companies/{company.id}/members", data={"member-email": "pat@example.com"},
                        headers={"Referer": f"/companies/{company.id}"})
    assert again.status_code == 303
    db.session.expire_all()
    assert company.is_member(producer) and count(CompanyMember) == 2


def test_logo_upload_form(client, app):
    cd = signed_in(client)
    company = make_company(cd)
    db.session.commit()
    url = f"/companies/{company.id}/logo"
    wrong = client.post(url, **multipart({"logo-file": (pdf_bytes(), "logo.png")}))
    assert wrong.status_code == 415 and b"must be a PNG image" in wrong.data
    big = client.post(url, **multipart({"logo-file": (b"\x89PNG\r\n\x1a\n" + bytes(6 * 1024 * 1024), "l.png")}))
    assert big.status_code == 413 and b"5 MB" in big.data
    none = client.post(url, **multipart({"x": "y"}))
    assert none.status_code == 422
    db.session.expire_all()
    assert company.logo_sha256 is None
    ok = client.post(url, **multipart({"logo-file": (png_bytes(), "logo.png")}))
    assert ok.status_code == 302
    logo = client.get(url)
    assert logo.status_code == 200 and logo.mimetype == "image/png" and logo.data == png_bytes()
    assert "sandbox" in logo.headers["Content-Security-Policy"]


def test_admin_verifies_from_the_list_but_never_their_own(client, app):
    admin = signed_in(client, "admin")
    theirs = make_company(make_user("casting_director"), legal_name="Theirs Ltd")
    own = make_company(admin, legal_name="Own Ltd")
    db.session.commit()
    page = client.get("/companies").data.decode()
    assert f"/companies/{theirs.id}/verify" in page and f"/companies/{own.id}/verify" not in page
    assert "another admin must verify" in page
    refused = client.post(f"/companies/{own.id}/verify", data={"verify-evidence": "I know this one well"})
    assert refused.status_code == 403
    short = client.post(f"/companies/{theirs.id}/verify", data={"verify-evidence": "ok"})
    assert short.status_code == 422
    done = client.post(f"/companies/{theirs.id}/verify",
                       data={"verify-evidence": "Companies House 0123, active, address matches"})
    assert done.status_code == 302
    db.session.expire_all()
    assert theirs.verified and not own.verified
    assert b"Companies House 0123" in client.get(f"/companies/{theirs.id}").data


def test_talent_and_strangers_are_kept_out(client, app):
    company = make_company(make_user("casting_director"))
    db.session.commit()
    signed_in(client, "talent")
    assert client.get("/companies").status_code == 403
    assert client.get(f"/companies/{company.id}").status_code == 404
    signed_in(client)
    assert client.get(f"/companies/{company.id}").status_code == 404
    assert client.post(f"/companies/{company.id}/members", data={"member-email": "x@example.com"}).status_code == 404
