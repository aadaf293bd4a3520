"""Production and role pages: creating productions, members, roles and sides through the forms."""
from __future__ import annotations

import io

from pypdf import PdfReader

from casting.extensions import db
from casting.productions.models import Production, ProductionMember, ProductionRole, Side
from tests.conftest import count, login
from tests.factories import GOOD_DESCRIPTION, make_company, make_production, make_role, make_user, pdf_bytes, png_bytes
from tests.productions.factories import multipart, oversize_pdf

PRODUCTION = {"title": "The Tide Line", "kind": "film", "description": "A feature film shot on the Kent coast.",
              "safeguarding_contact": "Priya Shah, safeguarding@example.com"}
ROLE = {"name": "Maya", "description": GOOD_DESCRIPTION, "age_min": "25", "age_max": "40",
        "compensation": "SAG-AFTRA scale"}


def signed_in(client, kind: str = "casting_director"):
    user = make_user(kind)
    db.session.commit()
    login(client, user)
    return user


def test_create_production_through_the_form(client, app):
    cd = signed_in(client)
    company = make_company(cd)
    make_company(make_user("casting_director"), legal_name="Not Mine Ltd")
    db.session.commit()
    form = client.get(f"/productions/new?company_id={company.id}").data.decode()
    assert company.legal_name in form and "Not Mine Ltd" not in form and "not verified yet" in form
    resp = client.post("/productions/new", data={**PRODUCTION, "company_id": company.id})
    assert resp.status_code == 302
    production = db.session.query(Production).one()
    page = client.get(f"/productions/{production.id}").data.decode()
    for text in ("The Tide Line", "Priya Shah", "company not verified", f"/productions/{production.id}/calls",
                 f"/productions/{production.id}/sessions", f"/productions/{production.id}/board",
                 f"/productions/{production.id}/review", "Add a role"):
        assert text in page, text
    assert "The Tide Line" in client.get("/productions").data.decode()


def test_production_form_errors_and_borrowed_companies(client, app):
    signed_in(client)
    other = make_company(make_user("casting_director"))
    db.session.commit()
    assert b"not a member of any production company" in client.get("/productions/new").data
    resp = client.post("/productions/new", data={**PRODUCTION, "title": "", "company_id": other.id})
    assert resp.status_code == 422
    resp = client.post("/productions/new", data={**PRODUCTION, "company_id": other.id})
    assert resp.status_code == 403
    assert count(Production) == 0


def test_producers_cannot_create_productions(client, app):
    signed_in(client, "producer")
    assert client.get("/productions/new").status_code == 403
    assert client.get("/productions").status_code == 200


def test_add_member_form(client, app):
    cd = signed_in(client)
    production = make_production(cd)
    make_user("producer", email="dana@example.com")
    db.session.commit()
    url = f"/productions/{production.id}/members"
    assert client.post(url, data={"member-email": "dana@example.com", "member-role": "director"}).status_code == 302
    bad = client.post(url, data={"member-email": "nobody@example.com", "member-role": "reader"})
    assert bad.status_code == 422 and b"This account cannot be added" in bad.data
    bad = client.post(url, data={"member-email": "dana@example.com", "member-role": "boss"})
    assert bad.status_code == 422
    assert count(ProductionMember) == 2
    assert b"director" in client.get(f"/productions/{production.id}").data


def test_the_pages_member_form_is_member_form(client, app):
    """The empty add-member form of a GET (its fields rendered once a process) is what MemberForm renders; a
    refused POST shows the typed email and the error."""
    from flask import get_template_attribute

    from casting.productions.forms import MemberForm

    cd = signed_in(client)
    production = make_production(cd)
    db.session.commit()
    html = client.get(f"/productions/{production.id}").get_data(as_text=True)
    with app.test_request_context():
        field = get_template_attribute("macros/forms.html", "field")
        for f in MemberForm(prefix="member", formdata=None, meta={"csrf": False}):
            assert str(field(f)) in html, f.name
    assert 'name="member-csrf_token" type="hidden" value="' in html
    bad = client.post(f"/productions/{production.id}/members", data={"member-email": "nobody@example.com",
                                                                      "member-role": "reader"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'value="nobody@example.com"' in page and "This account cannot be added" in page


def test_role_create_edit_and_page(client, app):
    cd = signed_in(client)
    production = make_production(cd)
    db.session.commit()
    resp = client.post(f"/productions/{production.id}/roles/new", data=ROLE)
    assert resp.status_code == 302
    role = db.session.query(ProductionRole).one()
    page = client.get(f"/roles/{role.id}").data.decode()
    assert "Maya" in page and f"/roles/{role.id}/shortlist" in page and "No sides yet" in page
    assert "25 to 40" in page
    edit = client.get(f"/roles/{role.id}/edit").data.decode()
    assert 'value="SAG-AFTRA scale"' in edit
    resp = client.post(f"/roles/{role.id}/edit", data={**ROLE, "age_max": "45", "nudity_or_intimacy": "y",
                                                       "nudity_or_intimacy_details": "A kiss in scene 12, closed set."})
    assert resp.status_code == 302
    db.session.expire_all()
    assert (role.age_max, role.nudity_or_intimacy) == (45, True)
    assert "invitation only" in client.get(f"/roles/{role.id}").data.decode()


def test_role_form_errors_change_nothing(client, app):
    cd = signed_in(client)
    production = make_production(cd)
    role = make_role(production, age_min=25, age_max=40)
    db.session.commit()
    bad = client.post(f"/productions/{production.id}/roles/new", data={**ROLE, "age_min": "50", "age_max": "20"})
    assert bad.status_code == 422 and b"Must not be below the minimum age" in bad.data
    bad = client.post(f"/productions/{production.id}/roles/new", data={**ROLE, "age_min": "abc"})
    assert bad.status_code == 422
    bad = client.post(f"/roles/{role.id}/edit", data={**ROLE, "name": "", "age_max": "130"})
    assert bad.status_code == 422
    assert count(ProductionRole) == 1
    db.session.expire_all()
    assert (role.age_max, role.name.startswith("Maya")) == (40, True)


def test_sides_upload_form_and_download(client, app):
    cd = signed_in(client)
    role = make_role(make_production(cd), with_sides=False)
    db.session.commit()
    url = f"/roles/{role.id}/sides"
    data = pdf_bytes("INT. LIGHTHOUSE - NIGHT")
    assert client.post(url, **multipart({"side-file": (data, "lighthouse.pdf")})).status_code == 302
    side = db.session.query(Side).one()
    page = client.get(f"/roles/{role.id}").data.decode()
    assert "lighthouse.pdf" in page and f"/sides/{side.id}/pdf" in page
    pdf = client.get(f"/sides/{side.id}/pdf")
    assert pdf.status_code == 200 and "attachment" in pdf.headers["Content-Disposition"]
    assert "LIGHTHOUSE" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()


def test_sides_upload_form_refusals(client, app):
    cd = signed_in(client)
    role = make_role(make_production(cd), with_sides=False)
    db.session.commit()
    url = f"/roles/{role.id}/sides"
    big = client.post(url, **multipart({"side-file": (oversize_pdf(), "big.pdf")}))
    assert big.status_code == 413 and b"10 MB" in big.data
    fake = client.post(url, **multipart({"side-file": (png_bytes(), "scene.pdf")}))
    assert fake.status_code == 415 and b"not a PDF" in fake.data
    none = client.post(url, **multipart({"x": "y"}))
    assert none.status_code == 422 and b"A file is required" in none.data
    assert count(Side) == 0


def test_producer_sees_but_does_not_manage(client, app):
    cd = make_user("casting_director")
    producer = signed_in(client, "producer")
    production = make_production(cd, members={producer: "producer"})
    role = make_role(production)
    db.session.commit()
    page = client.get(f"/productions/{production.id}").data.decode()
    assert "Add a role" not in page and "Add a member" not in page
    assert client.get(f"/roles/{role.id}").status_code == 200
    assert client.get(f"/productions/{production.id}/roles/new").status_code == 403
    assert client.post(f"/roles/{role.id}/sides", **multipart({"side-file": (pdf_bytes(), "s.pdf")})).status_code == 403
    assert count(Side) == 1


def test_side_download_keeps_a_non_ascii_name(client, app):
    cd = signed_in(client)
    role = make_role(make_production(cd), with_sides=False)
    db.session.commit()
    client.post(f"/roles/{role.id}/sides", **multipart({"side-file": (pdf_bytes(), "scène été.pdf")}))
    side = db.session.query(Side).one()
    disposition = client.get(f"/sides/{side.id}/pdf").headers["Content-Disposition"]
    assert 'filename="scene ete.pdf"' in disposition  # accents dropped in the ASCII fallback
    assert "filename*=UTF-8''sc%C3%A8ne%20%C3%A9t%C3%A9.pdf" in disposition


def test_role_edit_that_fails_the_checklist_of_a_scheduled_session(client, app):
    from tests.callbacks.factories import make_ready_session

    session = make_ready_session(scheduled=True)
    role, cd = session.roles[0], session.lead_casting_director
    db.session.commit()
    login(client, cd)
    resp = client.post(f"/roles/{role.id}/edit", data={**ROLE, "description": "Flexible talent for various projects"},
                       headers={"Referer": f"/roles/{role.id}/edit"})
    assert resp.status_code == 303
    page = client.get(resp.headers["Location"]).data.decode()
    assert "Every role is specific" in page and "roles_specific" not in page.split("<main")[-1].split("data-code")[0]
    db.session.expire_all()
    assert role.description == GOOD_DESCRIPTION
