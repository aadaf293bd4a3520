"""How long issuing documents takes (`make bench`; README "Performance").

Compared: WeasyPrint alone rendering a confirmation's HTML, signing one (PAdES, pyHanko), issuing one
confirmation (context, template, serial, code, QR, render, signature, blob, audit entry), and issuing the documents of 40
invitations to one recorded session (a confirmation and a recording release each: 80 PDFs).
`make test` leaves this folder out; `pytest tests/benchmarks -o addopts="" --benchmark-disable`
runs each once (the session one on 3 invitations) as a quick check that they still work.
"""
from __future__ import annotations

import itertools
from datetime import timedelta

from flask import render_template

from casting.callbacks.models import Invitation
from casting.documents import context as ctx
from casting.documents import services
from casting.documents.codes import format_code
from casting.documents.render import SafeFetcher, html_to_pdf, with_qr
from casting.extensions import db
from tests.documents.factories import make_callback
from tests.factories import make_shortlist_entry, make_talent


def test_weasyprint_alone_renders_a_confirmation(benchmark, app):
    inv = make_callback()
    context, blobs = ctx.invitation_context(inv)
    url = "http://callback.test/verify/0123456789AB"
    blobs, qr_url = with_qr(blobs, url)
    document = {"kind": "callback_confirmation", "kind_title": "Callback confirmation", "title": "Callback confirmation",
                "subject": "bench", "serial": "CB-2027-000001", "code": format_code("0123456789AB"), "verify_url": url,
                "qr_url": qr_url, "version": 1, "issued": ctx.when(inv.starts_at, "UTC"),
                "issued_iso": "2027-01-01T00:00:00Z", "audit_head": "0" * 64, "supersedes_serial": "", "reason": ""}
    with app.test_request_context():
        html = render_template("documents/pdf/callback_confirmation.html", **context, document=document, enclosures=[])
    pdf = benchmark(lambda: html_to_pdf(html, fetcher=SafeFetcher(blobs)))
    assert pdf.startswith(b"%PDF-")


def test_signing_one_confirmation(benchmark, app):
    """What the PAdES signature (casting/documents/pades.py) adds to each issued PDF: signing a rendered
    confirmation, by itself."""
    from casting.documents import pades
    from tests.documents.helpers import pdf_of

    inv = make_callback()
    (doc,) = services.issue_invitation_documents(inv, actor=None)
    unsigned = pades.without_signatures(pdf_of(doc))
    pades.installation()  # the key is loaded once per app, not per letter
    signed = benchmark(lambda: pades.sign(unsigned))
    assert pades.check(signed).valid


def test_issue_one_confirmation(benchmark, app):
    inv = make_callback()
    docs = benchmark(lambda: services.issue_invitation_documents(inv, actor=None))
    assert [d.kind for d in docs] == ["callback_confirmation"]


def _invitations(session, n, minutes):
    role = session.roles[0]
    invitations = []
    for _ in range(n):
        talent = make_talent()
        make_shortlist_entry(role, talent, by=session.lead_casting_director)
        starts = session.starts_at + timedelta(minutes=next(minutes))  # one slot each, across rounds
        inv = Invitation(session_id=session.id, role_id=role.id, talent_id=talent.id, starts_at=starts,
                         ends_at=starts + timedelta(minutes=5), invited_by_id=session.lead_casting_director_id)
        db.session.add(inv)
        invitations.append(inv)
    db.session.flush()
    return invitations


def test_issue_documents_for_40_invitations_of_one_session(benchmark, app):
    n = 3 if benchmark.disabled else 40
    session = make_callback(recorded=True).session

    minutes = itertools.count(1)

    def setup():
        return (_invitations(session, n, minutes),), {}

    def issue_all(invitations):
        return [services.issue_invitation_documents(inv, actor=None) for inv in invitations]

    result = benchmark.pedantic(issue_all, setup=setup, rounds=1 if benchmark.disabled else 3)
    assert len(result) == n and all(len(docs) == 2 for docs in result)
