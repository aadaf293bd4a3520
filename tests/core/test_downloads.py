"""Every download's Content-Disposition is built one way (RFC 6266: an ASCII ``filename`` and the real name in
``filename*``), whatever the name: ``台本 scène.pdf``, ``a";x=.pdf`` (issue 10)."""
from __future__ import annotations

import re
from email.message import EmailMessage
from urllib.parse import unquote

import pytest
from werkzeug.http import parse_options_header

from casting.core.downloads import content_disposition
from casting.extensions import db
from tests.conftest import auth, login
from tests.decisions.factories import make_casting
from tests.documents.factories import make_callback, make_document
from tests.factories import make_user
from tests.productions.factories import make_side

NAMES = ["台本 scène.pdf", 'a";x=.pdf', "a\\b/..\\c.pdf", "plain.pdf"]


def parsed(header: str) -> tuple[str, str, str]:
    """(disposition, filename as werkzeug reads it, ``filename*`` decoded by hand per RFC 8187): two readings."""
    assert header.isascii() and "\r" not in header and "\n" not in header
    disposition, params = parse_options_header(header)
    msg = EmailMessage()  # the email package agrees on the disposition
    msg["Content-Disposition"] = header
    assert msg.get_content_disposition() == disposition
    [star] = [p.split("=", 1)[1] for p in header.split("; ")[1:] if p.startswith("filename*=")]
    charset, _, encoded = star.split("'", 2)
    assert charset == "UTF-8" and re.fullmatch(r"[A-Za-z0-9%!#$&+.^_`|~-]+", encoded)
    return disposition, params["filename"], unquote(encoded, encoding="utf-8", errors="strict")


def fallback(header: str) -> str:
    """The plain ``filename="..."`` an old client reads: one quoted string with nothing that ends it early."""
    [value] = [p.split("=", 1)[1] for p in header.split("; ")[1:] if p.startswith("filename=")]
    assert value.startswith('"') and value.endswith('"') and '"' not in value[1:-1] and "\\" not in value
    return value[1:-1]


@pytest.mark.parametrize("name", NAMES)
def test_content_disposition(name):
    header = content_disposition(name)
    expected = name.replace("\\", "_").replace("/", "_")
    assert parsed(header) == ("attachment", expected, expected)
    assert fallback(header).endswith(".pdf") and "filename*=UTF-8''" in header
    assert parsed(content_disposition(name, inline=True))[0] == "inline"
    assert fallback(content_disposition("台本 scène.pdf")) == "scene.pdf"
    assert fallback(content_disposition("台本.pdf")) == "download.pdf"
    assert fallback(content_disposition('a";x=.pdf')) == "a_x_.pdf"


def test_every_download_names_its_file_one_way(app, client):
    inv = make_callback(talent_user=make_user("talent"))
    talent_user = inv.talent.user
    sides = [make_side(inv.role, filename=name) for name in NAMES[:2]]
    document = make_document(inv)
    casting = make_casting()
    db.session.commit()
    seen = {}
    login(client, talent_user)
    for side, name in zip(sides, NAMES):
        for url in (f"/invitations/{inv.id}/sides/{side.id}", f"/sides/{side.id}/pdf"):
            resp = client.get(url)
            assert resp.status_code == 200, url
            seen[url] = name
            assert parsed(resp.headers["Content-Disposition"])[1:] == (name, name)
        resp = client.get(f"/api/v1/sides/{side.id}/pdf", headers=auth(talent_user))
        assert resp.status_code == 200 and parsed(resp.headers["Content-Disposition"])[1] == name
    expected = {f"/invitations/{inv.id}/calendar.ics": ("attachment", f"callback-{inv.id}.ics"),
                f"/documents/{document.id}/pdf": ("inline", f"{document.serial}-callback-confirmation.pdf")}
    for url, (disposition, name) in expected.items():
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert parsed(resp.headers["Content-Disposition"]) == (disposition, name, name)
        assert resp.headers["X-Content-Type-Options"] == "nosniff" and "no-store" in resp.headers["Cache-Control"]
    login(client, casting.producer)
    pid = casting.production.id
    for url, name in ((f"/productions/{pid}/cast-list.csv", f"cast-list-{pid}.csv"),
                      (f"/productions/{pid}/callback-schedule.csv", f"callback-schedule-{pid}.csv"),
                      (f"/productions/{pid}/report.pdf", f"casting-report-{pid}.pdf")):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert parsed(resp.headers["Content-Disposition"]) == ("attachment", name, name)
