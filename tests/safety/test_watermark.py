"""Watermarked sides (issue 14 item 5): a talent's download is stamped on every page with their name, email and
the time; the stored original never changes; the download is audited; members get the original."""
from __future__ import annotations

import io

import sqlalchemy as sa
from pypdf import PdfReader

from casting.audit.models import AuditEntry
from casting.core.blobs import load_blob, sha256_hex
from casting.extensions import db
from casting.productions.watermark import StampFailed, stamp
from tests.callbacks.factories import make_invitation, make_ready_session
from tests.conftest import auth, login
from tests.factories import make_talent, make_user
from tests.productions.factories import make_side
from tests.safety.factories import pages_pdf


def _texts(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def _world(pages: int = 3):
    s = make_ready_session(scheduled=True)
    user = make_user("talent", name="Talia Åble", email="talia.able@example.com")
    inv = make_invitation(s, talent=make_talent(user=user))
    side = make_side(s.roles[0], data=pages_pdf(pages, "INT. HARBOUR"), filename="harbour.pdf")
    original = load_blob(side.blob_sha256).data
    db.session.commit()
    return s, inv, side, user, original


def _downloads():
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "side.downloaded")
                              .order_by(AuditEntry.id)).all()


def test_api_download_by_an_invited_talent_is_stamped_on_every_page(client, app):
    s, inv, side, user, original = _world(3)
    resp = client.get(f"/api/v1/sides/{side.id}/pdf", headers=auth(user))
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.data != original and "no-store" in resp.headers["Cache-Control"]
    texts = _texts(resp.data)
    assert len(texts) == 3
    for i, text in enumerate(texts, start=1):
        assert f"INT. HARBOUR {i}" in text  # the scene is still there
        assert "Talia Åble" in text and "talia.able@example.com" in text
        assert "Downloaded by" in text and " UTC" in text
    db.session.expire_all()
    assert load_blob(side.blob_sha256).data == original and sha256_hex(original) == side.blob_sha256
    (entry,) = _downloads()
    assert entry.actor_id == user.id and entry.entity_id == side.id and entry.production_id == s.production_id
    assert sha256_hex(resp.data) in entry.data and side.blob_sha256 in entry.data


def test_portal_download_is_stamped_each_time(client, app):
    s, inv, side, user, original = _world(2)
    login(client, user)
    first = client.get(f"/invitations/{inv.id}/sides/{side.id}")
    second = client.get(f"/invitations/{inv.id}/sides/{side.id}")
    assert first.status_code == second.status_code == 200
    for resp in (first, second):
        assert all("talia.able@example.com" in t for t in _texts(resp.data))
    assert len(_downloads()) == 2
    db.session.expire_all()
    assert load_blob(side.blob_sha256).data == original


def test_casting_directors_get_the_original(client, app):
    s, inv, side, user, original = _world(2)
    cd = s.lead_casting_director
    resp = client.get(f"/api/v1/sides/{side.id}/pdf", headers=auth(cd))
    assert resp.status_code == 200 and resp.data == original
    login(client, cd)
    assert client.get(f"/sides/{side.id}/pdf").data == original
    assert _downloads() == []


def test_outsiders_get_nothing(client, app):
    s, inv, side, user, original = _world(1)
    assert client.get(f"/api/v1/sides/{side.id}/pdf", headers=auth(make_user("talent"))).status_code == 404
    assert _downloads() == []


def test_stamp_keeps_odd_page_boxes_and_refuses_garbage():
    out = stamp(pages_pdf(1), name="A (B) \\ C", email="a@example.com", when="2026-12-02 10:00 UTC")
    assert "A (B) \\ C" in _texts(out)[0]
    try:
        stamp(b"%PDF-1.4 not really", name="x", email="y", when="z")
    except StampFailed:
        pass
    else:
        raise AssertionError("garbage was stamped")
