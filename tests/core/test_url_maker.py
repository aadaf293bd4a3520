"""url_maker: one url_for for a list's links, the same URLs as url_for per row (issue 9)."""
from flask import url_for

from casting.core.templating import url_maker, url_pattern


def test_url_maker_gives_the_same_urls_as_url_for(app):
    with app.test_request_context("/", base_url="http://example.test/sub"):
        rank = url_maker("shortlists.rank", "entry_id")
        headshot = url_maker("calls.submission_file", "submission_id", kind="headshot")
        for ident in (1, 7, 42, 2**31 - 1):
            assert rank(ident) == url_for("shortlists.rank", entry_id=ident)
            assert headshot(ident) == url_for("calls.submission_file", submission_id=ident, kind="headshot")
        assert rank(5).startswith("/sub/")


def test_url_maker_is_a_template_global(app):
    with app.test_request_context("/"):
        html = app.jinja_env.from_string("{% set u = url_maker('talent.detail', 'talent_id') %}{{ u(3) }}").render()
        assert html == url_for("talent.detail", talent_id=3)


def test_url_pattern_gives_the_same_urls_as_url_for(app):
    with app.test_request_context("/", base_url="http://example.test/sub"):
        rank = url_pattern("shortlists.rank", "entry_id")
        headshot = url_pattern("calls.submission_file", "submission_id", kind="headshot")
        for ident in (1, 7, 42, 2**31 - 1):
            assert rank % ident == url_for("shortlists.rank", entry_id=ident)
            assert headshot % ident == url_for("calls.submission_file", submission_id=ident, kind="headshot")
        html = app.jinja_env.from_string("{% set u = url_pattern('talent.detail', 'talent_id') %}{{ u % 3 }}").render()
        assert html == url_for("talent.detail", talent_id=3) and html.startswith("/sub/")
