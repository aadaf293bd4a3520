"""The submissions page's filters, sort, headshot grid and keyset pages (issue 13.6, submissions only)."""
from __future__ import annotations

import re

from casting.calls import search
from casting.calls.search import SubmissionFilters
from casting.extensions import db
from tests.calls.factories import calls_world, make_shortlisted
from tests.conftest import login
from tests.factories import make_submission, make_talent


def _world():
    w = calls_world()
    names = ["Zoe Quill", "Adam Reed", "Mia Stone", "Bea Quillon"]
    talents = [make_talent(legal_name=n) for n in names]
    subs = [make_submission(w.call, w.role if i % 2 == 0 else w.role2, t) for i, t in enumerate(talents)]
    make_shortlisted(w, make_talent(legal_name="Lia Listed"))
    db.session.commit()
    return w, subs


def _names(call, after=None, per_page=50, **kw):
    page = search.submissions_page(call, SubmissionFilters(**kw), after, per_page)
    return [s.display_name for s in page.items], page


def test_filters_by_role_shortlisted_and_name_and_sorts(app):
    w, subs = _world()
    assert _names(w.call)[0] == ["Zoe Quill", "Adam Reed", "Mia Stone", "Bea Quillon", "Lia Listed"]
    assert _names(w.call, sort="newest")[0][0] == "Lia Listed"
    assert _names(w.call, sort="name")[0] == ["Adam Reed", "Bea Quillon", "Lia Listed", "Mia Stone", "Zoe Quill"]
    assert _names(w.call, role_id=w.role2.id)[0] == ["Adam Reed", "Bea Quillon"]
    assert _names(w.call, shortlisted="yes")[0] == ["Lia Listed"]
    assert "Lia Listed" not in _names(w.call, shortlisted="no")[0]
    assert _names(w.call, q="QUILL")[0] == ["Zoe Quill", "Bea Quillon"]
    assert _names(w.call, q="%")[0] == []  # a wildcard is a character, not a pattern


def test_keyset_pages_walk_every_row_once_in_name_order(app):
    w, _ = _world()
    seen, after = [], None
    while True:
        names, page = _names(w.call, after=after, per_page=2, sort="name")
        seen += names
        if not page.has_next:
            break
        after = page.next_after
    assert seen == ["Adam Reed", "Bea Quillon", "Lia Listed", "Mia Stone", "Zoe Quill"]


def test_from_args_is_lenient_and_round_trips():
    from werkzeug.datastructures import MultiDict
    f = SubmissionFilters.from_args(MultiDict({"role_id": "99999999999999", "shortlisted": "maybe", "sort": "x",
                                               "q": "  a   b ", "view": "grid"}))
    assert f == SubmissionFilters(role_id=None, shortlisted="", q="a b", sort="date", view="grid")
    assert f.args() == {"q": "a b", "view": "grid"}


def test_page_keeps_filters_in_the_url_and_shows_the_grid(client, app):
    w, subs = _world()
    login(client, w.cd)
    html = client.get(f"/calls/{w.call.id}/submissions?q=quill&sort=name&view=grid").get_data(as_text=True)
    assert 'class="headshot-grid"' in html
    assert re.findall(r'id="submission-(\d+)"', html) == [str(subs[3].id), str(subs[0].id)]
    assert 'name="q" value="quill"' in html and 'value="name" selected' in html
    # The bulk form carries the filters back, and the list view link keeps them.
    assert '<input type="hidden" name="sort" value="name">' in html
    assert f'href="/calls/{w.call.id}/submissions?q=quill&amp;sort=name"' in html
    # "Select all on this page" without script: the server ticks every box.
    ticked = client.get(f"/calls/{w.call.id}/submissions?select=all").get_data(as_text=True)
    assert ticked.count("checked aria-label=\"Select") == 4
