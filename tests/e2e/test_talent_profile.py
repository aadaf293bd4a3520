"""Browser, on a phone (390 px): a talent builds their profile (details, two headshots, a primary, a résumé) and
applies without uploading anything; the casting director finds them in the talent search's headshot grid."""
from __future__ import annotations

import sqlalchemy as sa

from casting.calls.models import Submission
from casting.extensions import db
from casting.talent.models import TalentHeadshot
from tests.calls.factories import calls_world
from tests.e2e.conftest import ui_login
from tests.factories import PASSWORD, pdf_bytes, png_bytes

PHONE = {"width": 390, "height": 844}
# The elements reaching past the viewport's right edge, to name the culprit when a page scrolls sideways.
WIDEST = """() => [...document.querySelectorAll('body *')].filter(el => el.getBoundingClientRect().right > 391)
  .slice(0, 10).map(el => `${el.tagName}.${el.className}#${el.id}`)"""


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(WIDEST) if width > PHONE["width"] else []
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at {PHONE['width']} px: {wide}"


def test_a_talent_builds_a_profile_on_a_phone_and_is_found_in_the_grid(live_server, browser, app):
    w = calls_world()
    db.session.commit()
    talent_email, cd_email, call_id, role_id = w.talent_user.email, w.cd.email, w.call.id, w.role.id
    talent_id = w.talent.id
    db.session.commit()

    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        ui_login(page, live_server, talent_email, PASSWORD)
        page.goto(f"{live_server}/me/profile")
        no_sideways_scroll(page)
        page.fill("input[name=location]", "Bristol")
        page.fill("input[name=playing_age_min]", "20")
        page.fill("input[name=playing_age_max]", "30")
        page.fill("input[name=skills]", "Stage combat, Guitar")
        page.fill("input[name=unions]", "Equity")
        page.fill("input[name=reel_url]", "https://vimeo.com/1234")
        page.fill("textarea[name=access_needs]", "Step-free access")
        page.click("text=Save casting profile")
        page.wait_for_load_state("networkidle")
        assert "Your casting profile is saved" in page.inner_text(".flash-success")
        for colour in ((10, 20, 30), (200, 10, 10)):
            page.set_input_files("#headshots input[name=file]",
                                 {"name": "me.png", "mimeType": "image/png", "buffer": png_bytes(color=colour)})
            page.click("text=Upload headshot")
            page.wait_for_load_state("networkidle")
        assert page.locator("#headshots img").count() == 2
        page.click("#headshots >> text=Make primary")
        page.wait_for_load_state("networkidle")
        assert "goes with your applications" in page.inner_text(".flash-success")
        page.set_input_files("#resume input[name=file]",
                             {"name": "cv.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Credits")})
        page.click("text=Upload résumé")
        page.wait_for_load_state("networkidle")
        assert "cv.pdf" in page.inner_text("#resume")
        no_sideways_scroll(page)

        # Applying sends the profile's primary headshot: no file to choose.
        page.goto(f"{live_server}/calls/{call_id}")
        assert "Another headshot (optional)" in page.content()
        page.select_option("select[name=role_id]", str(role_id))
        page.click("text=Send my application")
        page.wait_for_load_state("networkidle")
        assert "is in" in page.inner_text(".flash-success")
        primary = db.session.scalar(sa.select(TalentHeadshot).where(TalentHeadshot.talent_id == talent_id,
                                                                    TalentHeadshot.is_primary.is_(True)))
        sub = db.session.scalar(sa.select(Submission).where(Submission.talent_id == talent_id))
        assert sub.headshot_sha256 == primary.sha256 and sub.resume_sha256 is not None
        db.session.commit()
        context.clear_cookies()

        ui_login(page, live_server, cd_email, PASSWORD)
        page.goto(f"{live_server}/talent?skill=guitar&location=bristol")
        no_sideways_scroll(page)
        page.click("text=Headshots")
        page.wait_for_load_state("networkidle")
        assert "view=grid" in page.url and "skill=guitar" in page.url and "location=bristol" in page.url
        card = page.locator("#talent-grid li").first
        assert "Talia Able" in card.inner_text()
        assert card.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
        no_sideways_scroll(page)
        card.locator("a").click()
        page.wait_for_load_state("networkidle")
        assert "https://vimeo.com/1234" in page.content()  # she applied to this production
        assert "Step-free access" not in page.content()    # not invited yet: access needs stay private
        no_sideways_scroll(page)
    finally:
        context.close()
