"""In the browser: a casting director moves a callback on the calendar by drag and drop and with the keyboard
("Move to"), on a desktop and at phone width; scheduling into a room another session holds is refused in words."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from casting.callbacks.models import CallbackSession, Invitation
from casting.extensions import db
from tests.callbacks.factories import make_invitation, make_ready_session
from tests.e2e.conftest import ui_login
from tests.factories import PASSWORD, make_talent


def _read(model, ident):
    """A fresh row, read in a transaction closed at once (the served app's writes must not wait for ours)."""
    db.session.expire_all()
    row = db.session.get(model, ident)
    values = {c: getattr(row, c) for c in ("starts_at", "status") if hasattr(row, c)}
    db.session.rollback()
    return values


def _day(s) -> str:
    return s.starts_at.astimezone(ZoneInfo(s.venue.timezone)).date().isoformat()


def test_move_a_callback_on_the_calendar_by_drag_and_drop_and_by_keyboard(live_server, page, app):
    s = make_ready_session(scheduled=True, title="Maya callbacks")
    inv = make_invitation(s, talent=make_talent(legal_name="Talia Able"))
    iid, sid, day, email = inv.id, s.id, _day(s), s.lead_casting_director.email
    first = s.starts_at
    db.session.commit()

    ui_login(page, live_server, email, PASSWORD)
    page.get_by_role("link", name="Calendar").first.click()
    page.goto(f"{live_server}/calendar?view=week&date={day}")
    session = page.locator(f"#session-{sid}")
    assert "Maya callbacks" in session.inner_text() and "Talia Able" in session.inner_text()
    assert session.locator(f"#invitation-{iid} .status").inner_text() == "invited"

    # Drag Talia onto the third slot (10:40 at the venue).
    target = session.locator("li.cal-slot.free").nth(1)
    wanted = target.get_attribute("data-starts-at")
    # Picked up by the name (the middle of the card is its "Move to" list).
    page.locator(f"#invitation-{iid}").drag_to(target, source_position={"x": 8, "y": 8})
    page.wait_for_load_state("networkidle")
    assert "Talia Able moved to" in page.locator(".flash-success").inner_text()
    assert _read(Invitation, iid)["starts_at"].isoformat() == wanted
    assert page.url.split("#")[0].endswith(f"/calendar?view=week&date={day}")

    # The keyboard way: focus the "Move to" list by its label, pick a time, press Enter on the button.
    page.get_by_label("Move Talia Able to").focus()
    page.keyboard.press("Home")  # the first free slot still to come: 10:00
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert "Talia Able moved to" in page.locator(".flash-success").inner_text()
    assert _read(Invitation, iid)["starts_at"] == first

    # At phone width the week stacks: nothing runs off the side of the screen, and the control is still there.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/calendar?view=week&date={day}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.get_by_label("Move Talia Able to").is_visible()


def test_a_venue_conflict_is_said_in_plain_words(live_server, page, app):
    a = make_ready_session(scheduled=True, title="Maya callbacks")
    b = make_ready_session(a.lead_casting_director, production=a.production, venue=a.venue, roles=a.roles,
                           panel=a.panel, starts_at=a.starts_at + timedelta(hours=1), hours=1, title="Tom callbacks")
    bid, email, venue = b.id, a.lead_casting_director.email, a.venue.name
    db.session.commit()

    ui_login(page, live_server, email, PASSWORD)
    page.goto(f"{live_server}/sessions/{bid}")
    page.get_by_role("button", name="Schedule session").click()
    page.wait_for_load_state("networkidle")
    flash = page.locator(".flash-error")
    assert flash.get_attribute("role") == "alert"
    text = flash.inner_text()
    assert f"{venue} is already booked" in text and "Maya callbacks" in text and "venue_conflict" not in text
    assert _read(CallbackSession, bid)["status"] == "draft"

    # Move it clear of Maya's session on the edit form, then it schedules.
    page.goto(f"{live_server}/sessions/{bid}/edit")
    start = page.locator("input[name=starts_at]").input_value()
    date = start.split("T")[0]
    page.fill("input[name=starts_at]", f"{date}T14:00")
    page.fill("input[name=ends_at]", f"{date}T15:00")
    page.click("button[type=submit]:has-text('Save session')")
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Schedule session").click()
    page.wait_for_load_state("networkidle")
    assert "Scheduled" in page.locator(".flash-success").inner_text()

    # Back into Maya's hours on the edit form: refused beside the venue, what was typed kept.
    page.goto(f"{live_server}/sessions/{bid}/edit")
    page.fill("input[name=starts_at]", f"{date}T11:00")
    page.fill("input[name=ends_at]", f"{date}T12:00")
    page.click("button[type=submit]:has-text('Save session')")
    page.wait_for_load_state("networkidle")
    error = page.locator(".field.has-error .error")
    assert "is already booked" in error.inner_text() and "Maya callbacks" in error.inner_text()
    assert page.locator("input[name=starts_at]").input_value() == f"{date}T11:00"
