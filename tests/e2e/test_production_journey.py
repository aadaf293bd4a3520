"""In the browser: a casting director registers a company, creates a production under it,
adds a role and uploads its sides; an admin verifies the company."""
from __future__ import annotations

import io

from pypdf import PdfReader

from casting.extensions import db
from tests.e2e.conftest import ui_login, ui_logout
from tests.factories import GOOD_DESCRIPTION, PASSWORD, make_user, pdf_bytes


def test_company_production_role_and_sides(live_server, page, app, tmp_path):
    make_user("casting_director", email="cara@example.com", name="Cara Director")
    make_user("admin", email="ada@example.com", name="Ada Admin")
    db.session.commit()

    ui_login(page, live_server, "cara@example.com", PASSWORD)
    page.click("nav.mainnav >> text=Companies")
    page.click("text=Register a company")
    page.fill("input[name=legal_name]", "Harbour Light Pictures Ltd")
    page.fill("input[name=registration_number]", "01234567")
    page.fill("textarea[name=address]", "12 Wharf Street, London SE1 9AA")
    page.fill("input[name=email]", "office@harbourlight.example")
    page.click("button:has-text('Register company')")
    page.wait_for_load_state("networkidle")
    assert "Harbour Light Pictures Ltd is registered" in page.content()
    assert page.locator("h1 + .status").inner_text() == "not verified"

    page.click("text=New production")
    assert page.locator("select[name=company_id] option:checked").inner_text().startswith("Harbour Light Pictures")
    page.fill("input[name=title]", "The Tide Line")
    page.select_option("select[name=kind]", "film")
    page.fill("textarea[name=description]", "A feature film shot on the Kent coast.")
    page.fill("input[name=safeguarding_contact]", "Priya Shah, safeguarding@harbourlight.example")
    page.click("button:has-text('Create production')")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "The Tide Line"
    assert "company not verified" in page.content() and "Priya Shah" in page.content()

    page.click("text=Add a role")
    page.fill("input[name=name]", "Maya")
    page.fill("textarea[name=description]", GOOD_DESCRIPTION)
    page.fill("input[name=age_min]", "45")
    page.fill("input[name=age_max]", "30")
    page.click("button:has-text('Add role')")
    page.wait_for_load_state("networkidle")
    assert "Must not be below the minimum age" in page.content()  # a form error, on the page
    page.fill("input[name=age_min]", "25")
    page.fill("input[name=age_max]", "40")
    page.click("button:has-text('Add role')")
    page.wait_for_load_state("networkidle")
    assert "Role Maya added" in page.content() and "No sides yet" in page.content()

    page.set_input_files("input[name='side-file']", files=[{"name": "notes.pdf", "mimeType": "application/pdf",
                                                             "buffer": b"just text, not a PDF"}])
    page.click("button:has-text('Upload sides')")
    page.wait_for_load_state("networkidle")
    assert "The file is not a PDF" in page.content()
    sides = pdf_bytes("INT. HARBOUR - NIGHT. MAYA at the rail.")
    page.set_input_files("input[name='side-file']", files=[{"name": "maya-scene.pdf", "mimeType": "application/pdf",
                                                             "buffer": sides}])
    page.click("button:has-text('Upload sides')")
    page.wait_for_load_state("networkidle")
    assert "Sides maya-scene.pdf uploaded" in page.content()
    with page.expect_download() as download:
        page.click("#sides >> text=maya-scene.pdf")
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == sides
    assert "INT. HARBOUR" in PdfReader(io.BytesIO(saved.read_bytes())).pages[0].extract_text()

    page.click("text=The Tide Line")
    page.wait_for_load_state("networkidle")
    row = page.locator("tr", has_text="Maya")
    assert "open" in row.inner_text() and "1" in row.locator("td").nth(3).inner_text()

    ui_logout(page)
    page.wait_for_load_state("networkidle")
    ui_login(page, live_server, "ada@example.com", PASSWORD)
    page.click("nav.mainnav >> text=Companies")
    page.fill("input[name=verify-evidence]", "Companies House 01234567: active, registered office matches.")
    page.click("button:has-text('Verify')")
    page.wait_for_load_state("networkidle")
    assert "Harbour Light Pictures Ltd is verified" in page.content()
    assert page.locator("h1 + .status").inner_text() == "verified"
