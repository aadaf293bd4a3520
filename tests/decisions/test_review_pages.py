"""The producers' review on the web (issue 11 item 4): candidates side by side, comments without deciding, a
confirmation step before approving or rejecting, withdrawing an offer, and the presentation PDF."""
from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from casting.decisions.models import Proposal, ReviewComment
from casting.documents.models import Document
from casting.extensions import db
from tests.conftest import count, login, read_outbox
from tests.decisions.factories import make_casting, make_offer_document, make_proposal
from tests.decisions.helpers import pdf_text
from tests.factories import make_open_call, make_submission


@pytest.fixture
def c(app):
    world = make_casting()
    call = make_open_call(world.production, [world.role])
    sub = make_submission(call, world.role, world.talents[0])
    sub.self_tape_url = "https://vimeo.example/tape-a"
    world.submission = sub
    db.session.commit()
    return world


def _as(client, user):
    login(client, user)
    return client


def _card(html: str, role_id: int, talent_id: int) -> str:
    start = html.index(f'id="candidate-{role_id}-{talent_id}"')
    return html[start:html.index("</li>", start)]


def test_candidates_side_by_side(client, c):
    p = make_proposal(c.role, c.talents[0], by=c.cd)
    db.session.add(ReviewComment(role_id=c.role.id, talent_id=c.talents[1].id, author_id=c.producer.id,
                                 body="Warm, but is she too young for Maya?"))
    db.session.commit()
    html = _as(client, c.producer).get(f"/productions/{c.production.id}/review").get_data(as_text=True)
    assert html.count('<li class="candidate-card') == 4
    first = _card(html, c.role.id, c.talents[0].id)
    assert f'/submissions/{c.submission.id}/headshot' in first and 'alt="Headshot of Talent A Person"' in first
    assert 'href="https://vimeo.example/tape-a"' in first
    assert "recommended" in first                                        # the casting director's proposal
    assert f'<li class="candidate-card picked" id="candidate-{c.role.id}-{c.talents[0].id}"' in html
    # Every panel member's note and rating, and the average.
    assert "<strong>Cara Castwell</strong> (5/5): Lovely stillness 0" in first
    assert "<strong>Pat Producer 1</strong> (4/5): Good chemistry" in first and "4.5 / 5" in first
    second = _card(html, c.role.id, c.talents[1].id)
    assert "Warm, but is she too young for Maya?" in second and "No headshot" in second
    assert "recommended" not in second
    assert f'href="/roles/{c.role.id}/presentation.pdf"' in html
    # The decision buttons only lead to the confirmation page (a GET form, nothing decided).
    assert re.search(rf'<form method="get" action="/proposals/{p.id}/decide"', html)
    # The cards stack on a phone: the grid's columns are at most the width of the page.
    from casting.config import ROOT

    css = (ROOT / "static" / "css" / "app.css").read_text()
    assert "minmax(min(100%, 260px), 1fr)" in css


def test_comment_on_a_candidate_from_the_review(client, c):
    p = make_proposal(c.role, c.talents[0], by=c.cd)
    db.session.commit()
    _as(client, c.producer)
    resp = client.post(f"/roles/{c.role.id}/comments", data={"talent_id": c.talents[0].id, "body": "Loved the tape."})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"#candidate-{c.role.id}-{c.talents[0].id}")
    [comment] = db.session.scalars(sa.select(ReviewComment)).all()
    assert (comment.proposal_id, comment.author_id, comment.body) == (p.id, c.producer.id, "Loved the tape.")
    db.session.expire_all()
    assert db.session.get(Proposal, p.id).status == "proposed"
    html = client.get(f"/productions/{c.production.id}/review").get_data(as_text=True)
    assert "Loved the tape." in _card(html, c.role.id, c.talents[0].id)
    # An empty comment is refused in plain words and saves nothing.
    resp = client.post(f"/roles/{c.role.id}/comments", data={"talent_id": c.talents[0].id, "body": " "},
                       follow_redirects=True)
    assert "Write a comment." in resp.get_data(as_text=True) and count(ReviewComment) == 1


def test_approving_shows_the_terms_and_needs_a_confirmation(client, c, outbox):
    p = make_proposal(c.role, c.talents[0], by=c.cd, terms={"compensation": "£650 a day, 6 days",
                                                              "start_date": "2027-05-03", "end_date": "2027-05-12",
                                                              "jurisdiction": "GB"})
    db.session.commit()
    _as(client, c.producer)
    page = client.get(f"/proposals/{p.id}/decide?decision=approve&comment=Great+choice")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Approve the offer?" in html
    for text in ("£650 a day, 6 days", "Monday 3 May 2027 to Wednesday 12 May 2027", "Maya", "Talent A Person",
                 "United Kingdom", "Great choice"):
        assert text in html, text
    assert 'name="confirmed" value="yes"' in html and "Yes, approve and send the offer" in html
    db.session.expire_all()
    assert db.session.get(Proposal, p.id).status == "proposed" and count(Document) == 0
    resp = client.post(f"/proposals/{p.id}/decide", data={"decision": "approve", "comment": "Great choice",
                                                          "confirmed": "yes"})
    assert resp.status_code == 302
    db.session.expire_all()
    p = db.session.get(Proposal, p.id)
    assert (p.status, p.decision_comment) == ("approved", "Great choice") and p.offer_document_id is not None


def test_rejecting_asks_first(client, c):
    p = make_proposal(c.role, c.talents[0], by=c.cd)
    db.session.commit()
    _as(client, c.producer)
    html = client.get(f"/proposals/{p.id}/decide?decision=reject").get_data(as_text=True)
    assert "Reject the proposal?" in html and "Yes, reject the proposal" in html and "The talent is not told" in html
    assert client.get(f"/proposals/{p.id}/decide?decision=maybe").status_code == 302
    db.session.expire_all()
    assert db.session.get(Proposal, p.id).status == "proposed"


def test_withdraw_page(client, c, outbox):
    p = make_proposal(c.role, c.talents[0], by=c.cd, status="approved", decided_by=c.producer)
    doc = make_offer_document(p)
    db.session.commit()
    _as(client, c.cd)
    review = client.get(f"/productions/{c.production.id}/review").get_data(as_text=True)
    assert f'href="/proposals/{p.id}/withdraw"' in review
    page = client.get(f"/proposals/{p.id}/withdraw").get_data(as_text=True)
    assert "Withdraw the offer to Talent A Person?" in page and "cannot be undone" in page
    # The reason is required: refused in words, nothing changes.
    resp = client.post(f"/proposals/{p.id}/withdraw", data={"reason": ""})
    assert resp.status_code == 422 and "Say why the offer is withdrawn" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Proposal, p.id).status == "approved"
    resp = client.post(f"/proposals/{p.id}/withdraw", data={"reason": "The scene was cut."}, follow_redirects=True)
    assert resp.status_code == 200 and "is withdrawn; they have been told by email" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Proposal, p.id).status == "withdrawn"
    assert db.session.get(Document, doc.id).status == "void"
    assert any("withdrawn" in m["Subject"] for m in read_outbox(outbox))
    # The talent's page says so, with the reason; no signing button.
    html = _as(client, c.talents[0].user).get("/me/offers").get_data(as_text=True)
    assert "withdrawn by the production" in html and "The scene was cut." in html
    assert "Read and sign the offer" not in html
    # A producer may not withdraw.
    assert _as(client, c.producer).get(f"/proposals/{p.id}/withdraw").status_code == 403


def test_presentation_pdf(client, c):
    make_proposal(c.role, c.talents[0], by=c.cd, terms={"compensation": "Equity minimum, £600 a week",
                                                        "start_date": "2027-05-03"})
    db.session.add(ReviewComment(role_id=c.role.id, talent_id=c.talents[1].id, author_id=c.producer.id,
                                 body="Strong second choice."))
    db.session.commit()
    resp = _as(client, c.producer).get(f"/roles/{c.role.id}/presentation.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    text = pdf_text(resp.data)
    flat = " ".join(text.split())
    for expected in ("candidates for Maya", "Casting director's recommendation: Talent A Person",
                     "Equity minimum, £600 a week", "from Monday 3 May 2027", "Talent B Person", "Lovely stillness 0", "Good chemistry",
                     "Strong second choice.", "4.5 / 5", "https://vimeo.example/tape-a", "never shown to talent"):
        assert expected in flat, expected
    from pypdf import PdfReader

    images = [img for page in PdfReader(io.BytesIO(resp.data)).pages for img in page.images]
    assert len(images) == 1                       # the one headshot; the others say "no headshot"
    assert flat.count("no headshot") == 3
    # Not for talent.
    assert _as(client, c.talents[0].user).get(f"/roles/{c.role.id}/presentation.pdf").status_code == 404


def test_a_withdrawn_offer_in_the_review_history(client, c):
    from casting.decisions import services

    p = make_proposal(c.role, c.talents[0], by=c.cd, status="approved", decided_by=c.producer)
    make_offer_document(p)
    services.withdraw(p, actor=c.cd, reason="Dates moved to June.")
    db.session.commit()
    html = _as(client, c.producer).get(f"/productions/{c.production.id}/review").get_data(as_text=True)
    history = html[html.index("Earlier decisions"):]
    assert "offer withdrawn by Cara Castwell" in history and "Dates moved to June." in history
    assert f'href="/proposals/{p.id}/withdraw"' not in html
