"""Browser: a talent finds a published open call, signs in (or signs up) and applies with a headshot and resume."""
from __future__ import annotations

import io
import re

import sqlalchemy as sa
from pypdf import PdfReader

from casting.calls.models import Submission
from casting.core.blobs import Blob
from casting.extensions import db
from tests.calls.factories import calls_world
from tests.conftest import read_outbox
from tests.factories import PASSWORD, pdf_bytes, png_bytes


def _files():
    return ({"name": "headshot.png", "mimeType": "image/png", "buffer": png_bytes()},
            {"name": "resume.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Talia Able, resume: Hedda (2025)")})


def test_talent_signs_in_from_the_call_page_and_applies(live_server, page, app):
    w = calls_world()
    db.session.commit()
    call_id, role_id, email, title = w.call.id, w.role2.id, w.talent_user.email, w.production.title
    talent_id = w.talent.id
    db.session.commit()

    page.goto(f"{live_server}/calls")
    page.click(f"a[href='/calls/{call_id}']")
    assert title in page.content() and "verified by Callback" in page.content()
    page.click("text=Sign in to apply")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/calls/{call_id}")
    headshot, resume = _files()
    page.select_option("select[name=role_id]", str(role_id))
    page.set_input_files("input[name=headshot]", headshot)
    page.set_input_files("input[name=resume]", resume)
    page.fill("input[name=self_tape_url]", "https://vimeo.com/424242")
    page.fill("textarea[name=note]", "Played Hedda at the Tobacco Factory.")
    page.click("text=Send my application")
    page.wait_for_load_state("networkidle")
    assert "Your application for Father is in" in page.inner_text(".flash-success")
    assert "You applied for" in page.content()

    sub = db.session.scalar(sa.select(Submission).where(Submission.talent_id == talent_id))
    assert sub.role_id == role_id and sub.self_tape_url == "https://vimeo.com/424242"
    assert db.session.get(Blob, sub.headshot_sha256).data == png_bytes()
    resume_bytes = db.session.get(Blob, sub.resume_sha256).data
    db.session.commit()
    assert "Hedda" in PdfReader(io.BytesIO(resume_bytes)).pages[0].extract_text()
    # The profile lists it.
    page.goto(f"{live_server}/me/profile")
    assert "Father" in page.inner_text("#submissions")


def test_new_talent_signs_up_confirms_the_email_then_applies_with_a_headshot(live_server, page, app, outbox):
    w = calls_world()
    db.session.commit()
    call_id = w.call.id
    db.session.commit()

    page.goto(f"{live_server}/register")
    page.fill("input[name=name]", "Ines Novak")
    page.fill("input[name=email]", "ines@example.com")
    page.fill("input[name=password]", "a long enough password")
    page.fill("input[name=confirm]", "a long enough password")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Check your email" in page.inner_text("main")
    # Until the link is opened the account sees nothing private.
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", "ines@example.com")
    page.fill("input[name=password]", "a long enough password")
    page.click("button[type=submit]")
    page.goto(f"{live_server}/me/profile")
    page.wait_for_url(f"{live_server}/verify-email")
    # The emailed link proves the address.
    [mail] = [m for m in read_outbox(outbox) if "ines@example.com" in m["To"]]
    link = re.search(r"(http://127\.0\.0\.1:\d+/verify-email/\S+)", mail.get_body().get_content()).group(1)
    page.goto(link)
    page.wait_for_load_state("networkidle")
    assert "Your email address is confirmed" in page.inner_text("body")
    page.goto(f"{live_server}/calls/{call_id}")
    # Without a headshot the form says so and nothing is sent.
    page.click("text=Send my application")
    page.wait_for_load_state("networkidle")
    assert "Add a headshot" in page.inner_text("#apply")
    page.set_input_files("input[name=headshot]", _files()[0])
    page.click("text=Send my application")
    page.wait_for_load_state("networkidle")
    assert "Your application for Maya is in" in page.inner_text(".flash-success")
    subs = db.session.scalars(sa.select(Submission)).all()
    assert [(s.talent.email, s.role.name, s.resume_sha256) for s in subs] == [("ines@example.com", "Maya", None)]
    db.session.commit()
