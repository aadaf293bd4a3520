"""Exports: the cast list and the callback schedule as CSV."""
from __future__ import annotations

import csv
import io

import pytest

from casting.decisions import services
from casting.extensions import db
from tests.conftest import login
from tests.decisions.factories import make_casting, make_offer_document, make_proposal
from tests.factories import make_role


@pytest.fixture
def c(app):
    world = make_casting()
    p = make_proposal(world.role, world.talents[0], by=world.cd, status="approved", decided_by=world.producer,
                      terms={"compensation": "=HYPERLINK(\"http://evil.example\")", "start_date": "2027-05-03"})
    services.offer_signed(make_offer_document(p), actor=world.talents[0].user)
    make_role(world.production, name="Jonah")
    db.session.commit()
    return world


def _csv(client, path):
    resp = client.get(path)
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(resp.get_data(as_text=True))))


def test_cast_list_csv(client, c):
    login(client, c.producer)
    header, maya, jonah = _csv(client, f"/productions/{c.production.id}/cast-list.csv")
    assert header[:3] == ["Role", "Stage", "Legal name"]
    row = dict(zip(header, maya))
    assert (row["Role"], row["Stage"], row["Legal name"], row["Email"]) == (
        "Maya", "cast", "Talent A Person", c.talents[0].email)
    # A formula in the data is neutralised, never run by a spreadsheet.
    assert row["Compensation"].startswith("'=HYPERLINK")
    assert row["Start date"] == "2027-05-03" and row["Proposal status"] == "accepted" and row["Offer signed at (UTC)"]
    assert dict(zip(header, jonah))["Stage"] == "open" and dict(zip(header, jonah))["Legal name"] == ""


def test_schedule_csv(client, c):
    login(client, c.cd)
    header, *rows = _csv(client, f"/productions/{c.production.id}/callback-schedule.csv")
    assert len(rows) == 3 and header[0] == "Session"
    first = dict(zip(header, rows[0]))
    assert first["Timezone"] == "Europe/London" and first["Role"] == "Maya" and first["Talent"] == "Talent A Person"
    assert first["Starts (local)"].endswith(("GMT", "BST")) and first["Invitation status"] == "attended"


def test_report_pdf(client, c):
    import io

    from pypdf import PdfReader

    login(client, c.producer)
    resp = client.get(f"/productions/{c.production.id}/report.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(resp.data)).pages)
    assert c.production.title in text and c.company.legal_name in text
    assert "Cast list" in text and "Callback schedule" in text
    assert "Talent A Person" in text and "Talent C Person" in text     # cast, and a callback in the schedule
    assert "1 of 2 roles cast" in text
    assert "Lovely stillness" not in text                               # panel notes stay out of reports


def test_report_counts_attendance_from_check_ins_and_prints_words(client, c):
    import io

    from pypdf import PdfReader

    for inv in c.invitations:
        inv.status = "checked_in"   # checked in at the door; nobody has marked them "attended" afterwards
    db.session.commit()
    login(client, c.producer)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(
        client.get(f"/productions/{c.production.id}/report.pdf").data)).pages)
    maya = next(line for line in text.splitlines() if line.startswith("Maya "))
    assert maya.split()[-1] == "3"                  # attended: the three check-ins, not 0
    assert "Checked in" in text and "checked_in" not in text and "Accepted" in text
    assert "Cast" in maya
