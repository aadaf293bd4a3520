"""Every page, for every kind of user, in a real browser at phone width (issue 11 items 1 and 2).

The access matrix knows every page and who gets a 200 there; this opens each of those pages in Chromium at
390 px as that user and fails when

* the page scrolls sideways (``document.documentElement.scrollWidth`` wider than the viewport), or
* axe-core (installed from npm by ``make test``, injected from the local file, never a CDN) finds a serious or
  critical WCAG 2.x A/AA violation.

One test per kind of user, each listing every failing page, so one run shows the whole picture.

On the way, the key pages are photographed at 390 px and at 1280 px into ``instance/screenshots/<user>/`` (kept out
of git; the README links the folder) so a reviewer can look at them without running anything.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.access.test_matrix import ROWS
from tests.access.world import PERSONAS
from tests.conftest import login
from tests.e2e.conftest import live_server  # noqa: F401  (fixture; the browser fixture is tests/conftest.py's)

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("AXE_CORE_JS") or ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js")
PHONE = {"width": 390, "height": 844}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")

SCREENSHOTS = Path(os.environ.get("CALLBACK_SCREENSHOTS") or ROOT / "instance" / "screenshots")
DESKTOP = {"width": 1280, "height": 900}
# The pages a reviewer looks at first: photographed for every kind of user who opens them.
KEY_PAGES = frozenset({
    "public.home", "public.open_calls", "public.safety", "calls.public_call", "documents.verify_page",
    "documents.verify_code", "productions.detail", "calls.submissions", "shortlists.role", "callbacks.session_detail",
    "callbacks.new_session", "calendar.index", "decisions.board", "decisions.review", "decisions.decide",
    "documents.production_documents", "audit.index", "accounts.admin_users", "safety.queue", "safety.report_form",
    "talent.index", "talent.detail", "talent.me", "portal.index", "documents.mine", "decisions.my_offers",
    "messages.thread", "jobs.show",
})

PAGES = [r for r in ROWS if r.method == "GET" and not r.is_api and r.endpoint != "static"]

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


def _session_cookie(app, user) -> dict | None:
    if user is None:
        return None
    client = app.test_client()
    login(client, user)
    client.get("/healthz")
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    assert cookie is not None
    return {"name": cookie.key, "value": cookie.value}


def _html_pages(app, user, world) -> list[tuple[str, str]]:
    """(endpoint, path) of the pages this user opens with a 200 answer in HTML (downloads and redirects are not
    pages to look at)."""
    client = app.test_client()
    if user is not None:
        login(client, user)
    out = []
    for row in PAGES:
        path = row.path(world)
        resp = client.get(path)
        if resp.status_code == 200 and resp.mimetype == "text/html":
            out.append((row.endpoint, path))
    return out


def _photograph(page, persona: str, endpoint: str) -> None:
    folder = SCREENSHOTS / persona
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{endpoint}-390.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(folder / f"{endpoint}-1280.png"), full_page=True)
    page.set_viewport_size(PHONE)


@pytest.mark.e2e
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_fits_a_phone_and_passes_axe(persona, app, world, live_server, browser):  # noqa: F811
    assert AXE.exists(), f"{AXE} is missing: `make test` installs axe-core from npm"
    user = world.users[persona]
    pages = _html_pages(app, user, world)
    assert pages, f"{persona} opens no page"
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(15000)
    cookie = _session_cookie(app, user)
    if cookie:
        context.add_cookies([{**cookie, "url": live_server}])
    page = context.new_page()
    # axe-core is served from the site's own origin (the pages' Content-Security-Policy allows scripts from
    # 'self' only), straight from the file npm installed.
    axe_url = live_server + "/__test__/axe.min.js"
    page.route(axe_url, lambda route: route.fulfill(path=str(AXE), content_type="application/javascript"))
    problems = []
    try:
        for endpoint, path in pages:
            resp = page.goto(live_server + path)
            assert resp is not None and resp.status == 200, (endpoint, path, resp and resp.status)
            wide = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if wide[0] > wide[1]:
                culprits = page.evaluate("""(w) => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > w + 1)
                    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
                                       + ' (' + Math.round(e.getBoundingClientRect().right) + 'px)')""", wide[1])
                problems.append(f"{path} [{endpoint}]: {wide[0]} px wide at {wide[1]} px: {', '.join(culprits)}")
            if endpoint in KEY_PAGES:
                _photograph(page, persona, endpoint)
            page.add_script_tag(url=axe_url)
            for v in page.evaluate(RUN_AXE, AXE_TAGS):
                if v["impact"] in BLOCKING:
                    problems.append(f"{path} [{endpoint}]: axe {v['impact']} {v['id']} ({v['help']}): "
                                    f"{'; '.join(v['nodes'])}")
    finally:
        context.close()
    assert not problems, f"{persona}: {len(problems)} problems on {len(pages)} pages:\n" + "\n".join(problems)
