"""What each kind of document says, read back from the PDF with pypdf."""
from __future__ import annotations

import re
from datetime import date, timedelta

from casting.core.blobs import store_blob
from casting.decisions.models import Proposal
from casting.documents import services
from casting.documents.codes import format_code
from casting.extensions import db
from tests.documents.factories import INTIMACY_DETAILS, RECORDING_USE, make_callback
from tests.documents.helpers import by_kind, page_texts, pdf_of, reader, text_of
from tests.factories import at, make_talent, make_user, png_bytes

NO_FEE = "This production will never ask you for money."


def test_confirmation_states_everything_in_the_venues_timezone(app):
    inv = make_callback(tz="America/New_York", starts=at(2027, 3, 2, 10, 0, tz="America/New_York"),
                        legal_name="Rosa Martinez")
    [doc] = services.issue_invitation_documents(inv, actor=None)
    text = text_of(pdf_of(doc))
    production = inv.session.production
    for expected in ("Rosa Martinez", inv.role.name, production.title, production.company.legal_name,
                     f"Company registration no. {production.company.registration_number}", "12 Wharf Street",
                     "Tuesday 2 March 2027", "10:00 to 10:20 EST", "America/New_York", "Spotlight Studio 2",
                     "7 Leicester Place", "Cara Director, casting director", "Pat Producer, producer",
                     "support peer", "Priya Shah, safeguarding@harbourlight.example", "Report a concern", "WHAT WILL HAPPEN",
                     "IF YOU CANNOT COME", "Decline on your callbacks page", "sides.pdf", "Access needs",
                     "Nothing is recorded at this callback", "No fee is ever charged",
                     format_code(doc.verification_code), f"http://callback.test/verify/{doc.verification_code}",
                     doc.serial):
        assert expected in text, expected
    # 10:00 in New York is 15:00 UTC: the letter never shows UTC wall time.
    assert "15:00" not in text
    assert "Nudity" not in text and "Under 18" not in text
    # Every page carries the footer: serial, code and the no-fee line.
    for page in page_texts(pdf_of(doc)):
        assert NO_FEE in page and doc.serial in page and format_code(doc.verification_code) in page


def test_confirmation_of_a_recorded_nudity_callback_for_a_minor_lists_every_notice(app):
    inv = make_callback(nudity=True, recorded=True, minor=True, legal_name="Sam Young")
    docs = services.issue_invitation_documents(inv, actor=None)
    assert [d.kind for d in docs] == ["callback_confirmation", "consent_rider", "recording_release", "guardian_consent"]
    kinds = by_kind(docs)
    text = text_of(pdf_of(kinds["callback_confirmation"]))
    for expected in (RECORDING_USE, "No nudity or simulated sex takes place at a callback", "you keep your own clothes on throughout",
                     "Ines Coordinator", "withdraw your consent", "Nothing is recorded on personal phones",
                     "You will be 16 on the day", "Gina Guardian", "deleted 90 days after"):
        assert expected in text, expected
    for kind in ("consent_rider", "recording_release", "guardian_consent"):
        assert kinds[kind].serial in text  # listed as enclosures


def test_consent_rider_says_what_is_involved_who_coordinates_and_the_right_to_withdraw(app):
    inv = make_callback(nudity=True, legal_name="Noor Haddad")
    rider = by_kind(services.issue_invitation_documents(inv, actor=None))["consent_rider"]
    text = text_of(pdf_of(rider))
    for expected in ("Nudity and intimacy consent rider".upper(), "Noor Haddad", INTIMACY_DETAILS,
                     "Ines Coordinator", "Your right to withdraw".upper(), "without giving a reason",
                     "you keep your own clothes on throughout", "I consent to take part", NO_FEE, "10:00 to 10:20 GMT"):
        assert expected in text, expected


def test_recording_release_says_the_use_who_may_see_it_and_how_long(app):
    app.config["RECORDING_RETENTION_DAYS"] = 30
    inv = make_callback(recorded=True, legal_name="Ivo Petrov")
    release = by_kind(services.issue_invitation_documents(inv, actor=None))["recording_release"]
    text = text_of(pdf_of(release))
    for expected in ("Ivo Petrov", RECORDING_USE, "Who may see it".upper(), "Cara Director, casting director",
                     "Pat Producer, producer", "kept for 30 days after the callback", "I agree to be recorded", NO_FEE):
        assert expected in text, expected
    assert "Ines Coordinator" not in text  # an intimacy coordinator is not among the viewers


def test_guardian_consent_is_addressed_to_the_guardian(app):
    inv = make_callback(minor=True, legal_name="Mia Small")
    consent = by_kind(services.issue_invitation_documents(inv, actor=None))["guardian_consent"]
    text = text_of(pdf_of(consent))
    for expected in ("Gina Guardian, parent or guardian of Mia Small", "gina.guardian@example.com",
                     "aged 16 on the day", "born 15 January 2011", "never alone with any adult",
                     "I am the parent or legal guardian of Mia Small", NO_FEE):
        assert expected in text, expected


def test_virtual_callback_prints_the_meeting_link(app):
    inv = make_callback(virtual=True)
    [doc] = services.issue_invitation_documents(inv, actor=None)
    assert "Meeting link: https://meet.example.com/tide-line" in text_of(pdf_of(doc))


def test_pdf_metadata_names_title_author_and_subject(app):
    inv = make_callback(legal_name="Rosa Martinez")
    [doc] = services.issue_invitation_documents(inv, actor=None)
    meta = reader(pdf_of(doc)).metadata
    assert meta.title == doc.title and doc.title.startswith("Callback confirmation: ")
    assert meta.author == inv.session.production.company.legal_name
    assert "Rosa Martinez" in meta.subject and "2 March 2027" in meta.subject


def test_user_text_is_printed_never_fetched_or_interpreted(app):
    inv = make_callback(legal_name='<img src="file:///etc/passwd"> <b>Bold</b>')
    [doc] = services.issue_invitation_documents(inv, actor=None)
    data = pdf_of(doc)
    assert '<img src="file:///etc/passwd"> <b>Bold</b>' in text_of(data)
    assert b"root:x:0:0" not in data
    # The only image is the footer's QR code.
    assert all(len(page.images) == 1 for page in reader(data).pages)


def test_letterhead_shows_the_uploaded_png_logo(app):
    inv = make_callback()
    company = inv.session.production.company
    company.logo_sha256 = store_blob(png_bytes((120, 60), (29, 53, 87)), "image/png").sha256
    [doc] = services.issue_invitation_documents(inv, actor=None)
    assert len(reader(pdf_of(doc)).pages[0].images) == 2  # the logo and the QR code


def test_offer_lists_parties_terms_and_for_a_minor_the_guardian_and_trust_account(app):
    inv = make_callback(minor=True, legal_name="Mia Small")
    producer = make_user("producer", name="Paula Approver")
    proposal = Proposal(role_id=inv.role_id, talent_id=inv.talent_id, proposed_by_id=inv.invited_by_id,
                        decided_by_id=producer.id, status="approved",
                        terms={"compensation": "GBP 650 a day", "dates": ["2027-05-03", "2027-05-21"],
                               "usage": "The feature film and its trailers", "meal_breaks": "every 5 hours"},
                        trust_account="Coogan account 4471-22, Golden State Bank")
    db.session.add(proposal)
    db.session.flush()
    offer = services.issue_offer(proposal, actor=producer)
    assert offer.kind == "offer" and offer.proposal_id == proposal.id and offer.guardian_token_hash
    text = text_of(pdf_of(offer))
    for expected in ("Offer of engagement".upper(), "Mia Small", inv.role.name, "GBP 650 a day",
                     "2027-05-03; 2027-05-21", "The feature film and its trailers", "MEAL BREAKS every 5 hours",
                     "Gina Guardian", "Coogan account 4471-22, Golden State Bank", "Paula Approver",
                     "PARENT OR GUARDIAN", NO_FEE):
        assert expected in text, expected


def test_offer_for_an_adult_has_no_guardian_block(app):
    inv = make_callback(legal_name="Ada Grown")
    proposal = Proposal(role_id=inv.role_id, talent_id=inv.talent_id, proposed_by_id=inv.invited_by_id,
                        status="approved", terms={"compensation": "Scale"})
    db.session.add(proposal)
    db.session.flush()
    offer = services.issue_offer(proposal, actor=None)
    text = text_of(pdf_of(offer))
    assert offer.guardian_token_hash is None
    assert "Ada Grown" in text and "Scale" in text and "trust account" not in text and "PARENT OR GUARDIAN" not in text


def test_under_18_is_judged_on_the_session_date_in_the_venues_timezone(app):
    starts = at(2027, 3, 2, 10, 0)
    inv = make_callback(starts=starts)
    talent = inv.talent
    # 18 the day before the callback: an adult on the day, though 17 today.
    talent.date_of_birth = date(2009, 3, 1)
    talent.guardian_name, talent.guardian_email = "Gina Guardian", "gina@example.com"
    assert services.required_kinds(inv) == ["callback_confirmation"]
    # 18 the day after: still a minor on the day.
    talent.date_of_birth = date(2009, 3, 3)
    assert services.required_kinds(inv) == ["callback_confirmation", "guardian_consent"]
    # In Auckland 23:30 UTC on 1 March is already 2 March.
    inv2 = make_callback(tz="Pacific/Auckland", starts=at(2027, 3, 2, 12, 30, tz="Pacific/Auckland"))
    inv2.talent.date_of_birth = date(2009, 3, 2)
    assert inv2.starts_at.date() == date(2027, 3, 1) and services.required_kinds(inv2) == ["callback_confirmation"]
    assert re.fullmatch(r"CB-\d{4}-\d{6}", services.issue_invitation_documents(inv, actor=None)[0].serial)
    assert make_talent() is not None and timedelta(0) == timedelta(0)
