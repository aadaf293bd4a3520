"""Field limits have one home, the feature's service module: the WTForms and the API specs take theirs from it,
and the service itself refuses a value one over the limit (so the CLI and every caller get the same 422)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from wtforms.validators import Length, NumberRange

from casting.accounts import api as accounts_api
from casting.accounts import forms as accounts_forms
from casting.accounts import services as accounts
from casting.accounts.models import User
from casting.callbacks import api as callbacks_api
from casting.callbacks import forms as callbacks_forms
from casting.callbacks import invitations
from casting.callbacks import services as callbacks
from casting.calls import api as calls_api
from casting.calls import forms as calls_forms
from casting.calls import services as calls
from casting.calls import shortlists
from casting.companies import api as companies_api
from casting.companies import forms as companies_forms
from casting.companies import services as companies
from casting.core.db import utcnow
from casting.core.errors import ValidationError
from casting.decisions import api as decisions_api
from casting.decisions import forms as decisions_forms
from casting.decisions import services as decisions
from casting.decisions import terms
from casting.documents import forms as documents_forms
from casting.documents import services as documents
from casting.documents import signing
from casting.extensions import db
from casting.productions import api as productions_api
from casting.productions import forms as productions_forms
from casting.productions import services as productions
from casting.talent import api as talent_api
from casting.talent import forms as talent_forms
from casting.talent import services as talent
from tests.callbacks.factories import make_invitation, make_ready_session
from tests.calls.factories import calls_world
from tests.decisions.factories import make_casting, make_proposal
from tests.documents.factories import make_callback, make_document
from tests.factories import make_company, make_production, make_shortlist_entry, make_talent, make_user


def _validators(form, field):
    return getattr(form, field).kwargs["validators"]


def form_max_length(form, field) -> int:
    """The ``max`` of the Length validator on a form class's field."""
    (length,) = [v for v in _validators(form, field) if isinstance(v, Length)]
    return length.max


def form_range(form, field) -> tuple:
    (number_range,) = [v for v in _validators(form, field) if isinstance(v, NumberRange)]
    return number_range.min, number_range.max


# (form class, form field, API spec or None where the API has no such field, the service's limits, field)
LENGTHS = [
    (accounts_forms.UserForm, "name", accounts_api.USER_FIELDS, accounts.USER_LIMITS, "name"),
    (accounts_forms.RegisterForm, "email", accounts_api.USER_FIELDS, accounts.USER_LIMITS, "email"),
    (accounts_forms.UserForm, "password", accounts_api.USER_FIELDS, accounts.USER_LIMITS, "password"),
    (accounts_forms.CredentialForm, "reference", accounts_api.CREDENTIAL_FIELDS, accounts.CREDENTIAL_LIMITS,
     "reference"),
    (accounts_forms.EvidenceForm, "evidence", accounts_api.EVIDENCE_FIELDS, accounts.CREDENTIAL_LIMITS, "evidence"),
    (accounts_forms.TokenForm, "name", None, accounts.TOKEN_LIMITS, "name"),
    (companies_forms.CompanyForm, "legal_name", companies_api.COMPANY_FIELDS, companies.COMPANY_LIMITS, "legal_name"),
    (companies_forms.CompanyForm, "website", companies_api.COMPANY_FIELDS, companies.COMPANY_LIMITS, "website"),
    (companies_forms.VerifyForm, "evidence", companies_api.VERIFY_FIELDS, companies.VERIFICATION_LIMITS, "evidence"),
    (productions_forms.ProductionForm, "title", productions_api.PRODUCTION_SPEC, productions.PRODUCTION_LIMITS,
     "title"),
    (productions_forms.ProductionForm, "description", productions_api.PRODUCTION_SPEC, productions.PRODUCTION_LIMITS,
     "description"),
    (productions_forms.RoleForm, "nudity_or_intimacy_details", productions_api.ROLE_SPEC, productions.ROLE_LIMITS,
     "nudity_or_intimacy_details"),
    (productions_forms.VenueForm, "meeting_url", productions_api.VENUE_SPEC, productions.VENUE_LIMITS, "meeting_url"),
    (talent_forms.AddTalentForm, "legal_name", talent_api.PROFILE_FIELDS, talent.TALENT_LIMITS, "legal_name"),
    (talent_forms.AddTalentForm, "agent", talent_api.PROFILE_FIELDS, talent.TALENT_LIMITS, "agent"),
    (talent_forms.ProfileForm, "guardian_email", talent_api.PROFILE_FIELDS, talent.TALENT_LIMITS, "guardian_email"),
    (talent_forms.ProfileForm, "guardian_phone", None, talent.TALENT_LIMITS, "guardian_phone"),
    (calls_forms.OpenCallForm, "instructions", calls_api.OPEN_CALL_FIELDS, calls.OPEN_CALL_LIMITS, "instructions"),
    (calls_forms.ApplyForm, "self_tape_url", calls_api.SUBMISSION_FIELDS, calls.SUBMISSION_LIMITS, "self_tape_url"),
    (calls_forms.ShortlistAddForm, "note", calls_api.SHORTLIST_FIELDS, shortlists.SHORTLIST_LIMITS, "note"),
    (calls_forms.NoteForm, "note", calls_api.ENTRY_FIELDS, shortlists.SHORTLIST_LIMITS, "note"),
    (callbacks_forms.SessionForm, "title", callbacks_api.SESSION_FIELDS, callbacks.SESSION_LIMITS, "title"),
    (callbacks_forms.SessionForm, "recording_use", callbacks_api.SESSION_FIELDS, callbacks.SESSION_LIMITS,
     "recording_use"),
    (callbacks_forms.CancelForm, "reason", callbacks_api.CANCEL_FIELDS, callbacks.CANCEL_LIMITS, "reason"),
    (callbacks_forms.AttestForm, "statement", callbacks_api.ATTEST_FIELDS, callbacks.ATTESTATION_LIMITS, "statement"),
    (callbacks_forms.DeclineForm, "note", callbacks_api.DECLINE_FIELDS, invitations.INVITATION_LIMITS, "note"),
    (callbacks_forms.AccessNeedsForm, "access_needs", callbacks_api.ACCESS_NEEDS_FIELDS, invitations.INVITATION_LIMITS,
     "access_needs"),
    (callbacks_forms.NoteForm, "note", callbacks_api.NOTE_FIELDS, invitations.PANEL_NOTE_LIMITS, "note"),
    (decisions_forms.ProposalForm, "compensation", None, terms.TERMS_LIMITS, "compensation"),
    (decisions_forms.ProposalForm, "trust_account", decisions_api.PROPOSAL_FIELDS, terms.PROPOSAL_LIMITS,
     "trust_account"),
    (decisions_forms.DecisionForm, "comment", decisions_api.COMMENT, decisions.DECISION_LIMITS, "comment"),
    (decisions_forms.DeclineForm, "reason", decisions_api.DECLINE_FIELDS, decisions.OFFER_LIMITS, "reason"),
    (decisions_forms.WithdrawForm, "reason", decisions_api.WITHDRAW_FIELDS, decisions.WITHDRAW_LIMITS, "reason"),
    (decisions_forms.CommentForm, "body", decisions_api.COMMENT_FIELDS, decisions.COMMENT_LIMITS, "body"),
    (documents_forms.SignForm, "full_name", None, signing.SIGNATURE_LIMITS, "full_name"),
]

# (form class, form field, API spec, API field, the service's (low, high) range)
RANGES = [
    (productions_forms.RoleForm, "age_min", productions_api.ROLE_SPEC, "age_min", productions.ROLE_RANGES["age_min"]),
    (productions_forms.RoleForm, "age_max", productions_api.ROLE_SPEC, "age_max", productions.ROLE_RANGES["age_max"]),
    (callbacks_forms.SessionForm, "slot_minutes", callbacks_api.SESSION_FIELDS, "slot_minutes",
     callbacks.SESSION_RANGES["slot_minutes"]),
    (calls_forms.RankForm, "rank", calls_api.ENTRY_FIELDS, "rank", shortlists.SHORTLIST_RANGES["rank"]),
]


@pytest.mark.parametrize("form, field, spec, limits, key", LENGTHS,
                         ids=[f"{f.__module__.split('.')[1]}.{f.__name__}.{name}" for f, name, *_ in LENGTHS])
def test_forms_and_api_take_the_services_length_limit(form, field, spec, limits, key):
    limit = limits[key]
    assert form_max_length(form, field) is limit
    if spec is not None:
        assert spec[key].max_length is limit


@pytest.mark.parametrize("form, field, spec, key, bounds", RANGES,
                         ids=[f"{f.__module__.split('.')[1]}.{f.__name__}.{name}" for f, name, *_ in RANGES])
def test_forms_and_api_take_the_services_number_range(form, field, spec, key, bounds):
    assert form_range(form, field) == bounds
    assert (spec[key].min_value, spec[key].max_value) == bounds


def test_panel_ratings_come_from_the_service_range():
    low, high = invitations.PANEL_NOTE_RANGES["rating"]
    assert [c.value for c in callbacks_forms.NoteForm.rating.kwargs["choices"]] == list(range(low, high + 1))
    rating = callbacks_api.NOTE_FIELDS["rating"]
    assert (rating.min_value, rating.max_value) == (low, high)


def refused(call, field: str, limit) -> None:
    """``call()`` raises a 422 ValidationError naming ``field``, with a message giving the limit."""
    with pytest.raises(ValidationError) as caught:
        call()
    exc = caught.value
    assert exc.status == 422 and field in exc.fields, exc.fields
    assert str(limit) in " ".join(exc.fields[field]), exc.fields[field]


def over(limits: dict, key: str) -> str:
    return "x" * (limits[key] + 1)


def test_accounts_service_refuses_one_over(app):
    admin = make_user("admin")
    cd = make_user("casting_director", credential_verified_by=admin)
    L = accounts.USER_LIMITS
    refused(lambda: accounts.create_user("new@example.com", over(L, "name"), "talent"), "name", L["name"])
    email = "a" * (L["email"] - len("@example.com") + 1) + "@example.com"
    refused(lambda: accounts.create_user(email, "New Person", "talent"), "email", L["email"])
    refused(lambda: accounts.check_password_strength(over(L, "password")), "password", L["password"])
    refused(lambda: accounts.issue_token(cd, over(accounts.TOKEN_LIMITS, "name")), "name",
            accounts.TOKEN_LIMITS["name"])
    C = accounts.CREDENTIAL_LIMITS
    refused(lambda: accounts.submit_credential(cd, over(C, "registry"), "CSA-1", actor=cd), "registry", C["registry"])
    refused(lambda: accounts.verify_credential(cd, over(C, "evidence"), actor=make_user("admin")), "evidence",
            C["evidence"])


def test_companies_service_refuses_one_over(app):
    cd = make_user("casting_director")
    L = companies.COMPANY_LIMITS
    fields = {"legal_name": "Harbour Light Pictures Ltd", "registration_number": "01234567",
              "address": "12 Wharf Street, London", "email": "office@example.com"}
    refused(lambda: companies.create_company(actor=cd, **{**fields, "legal_name": over(L, "legal_name")}),
            "legal_name", L["legal_name"])
    refused(lambda: companies.create_company(actor=cd, **fields, phone="1" * (L["phone"] + 1)), "phone", L["phone"])
    company = make_company(cd)
    V = companies.VERIFICATION_LIMITS
    refused(lambda: companies.verify_company(company, over(V, "evidence"), actor=make_user("admin")), "evidence",
            V["evidence"])


def test_productions_service_refuses_one_over(app):
    cd = make_user("casting_director")
    production = make_production(cd)
    P = productions.PRODUCTION_LIMITS
    refused(lambda: productions.create_production(actor=cd, title=over(P, "title"), company_id=production.company_id,
                                                  kind="film", description="A film.", safeguarding_contact="Priya"),
            "title", P["title"])
    R = productions.ROLE_LIMITS
    refused(lambda: productions.create_role(production, actor=cd, name="Maya", description="A part.",
                                            nudity_or_intimacy_details=over(R, "nudity_or_intimacy_details")),
            "nudity_or_intimacy_details", R["nudity_or_intimacy_details"])
    high = productions.ROLE_RANGES["age_max"][1]
    refused(lambda: productions.create_role(production, actor=cd, name="Maya", description="A part.",
                                            age_max=high + 1), "age_max", high)
    V = productions.VENUE_LIMITS
    url = "https://" + "x" * (V["meeting_url"] - len("https://") + 1)
    refused(lambda: productions.create_venue(actor=cd, name="Online", kind="virtual", timezone="Europe/London",
                                             meeting_url=url), "meeting_url", V["meeting_url"])


def test_talent_service_refuses_one_over(app):
    cd = make_user("casting_director")
    L = talent.TALENT_LIMITS
    refused(lambda: talent.create_talent(actor=cd, legal_name="Noor Haddad", email="noor@example.com",
                                         agent=over(L, "agent")), "agent", L["agent"])
    refused(lambda: talent.create_talent(actor=cd, legal_name=over(L, "legal_name"), email="noor@example.com"),
            "legal_name", L["legal_name"])
    user = make_user("talent")
    phone = "1" * (L["guardian_phone"] + 1)
    refused(lambda: talent.update_profile(user.talent_profile, actor=user, guardian_phone=phone), "guardian_phone",
            L["guardian_phone"])


def test_calls_service_refuses_one_over(app):
    w = calls_world()
    L = calls.OPEN_CALL_LIMITS
    closes = utcnow() + timedelta(days=7)
    refused(lambda: calls.create_open_call(w.production, actor=w.cd, title=over(L, "title"), role_ids=[w.role.id],
                                           closes_at=closes), "title", L["title"])
    refused(lambda: calls.create_open_call(w.production, actor=w.cd, title="Open call", role_ids=[w.role.id],
                                           closes_at=closes, instructions=over(L, "instructions")),
            "instructions", L["instructions"])
    S = calls.SUBMISSION_LIMITS
    refused(lambda: calls.submit(w.call, actor=w.talent_user, role_id=w.role.id, note=over(S, "note")), "note",
            S["note"])
    entry = make_shortlist_entry(w.role, w.talent, by=w.cd)
    N = shortlists.SHORTLIST_LIMITS
    refused(lambda: shortlists.update(entry, actor=w.cd, note=over(N, "note")), "note", N["note"])
    low = shortlists.SHORTLIST_RANGES["rank"][0]
    refused(lambda: shortlists.update(entry, actor=w.cd, rank=low - 1), "rank", low)


def test_callbacks_service_refuses_one_over(app):
    session = make_ready_session()
    cd = session.lead_casting_director
    L = callbacks.SESSION_LIMITS
    values = dict(title="Callbacks", role_ids=[r.id for r in session.roles], venue_id=session.venue_id,
                  starts_at=session.starts_at, ends_at=session.ends_at, slot_minutes=20,
                  panel_user_ids=[u.id for u in session.panel])
    refused(lambda: callbacks.create_session(session.production, actor=cd, **{**values, "title": over(L, "title")}),
            "title", L["title"])
    refused(lambda: callbacks.create_session(session.production, actor=cd, **values, recorded=True,
                                             recording_use=over(L, "recording_use")), "recording_use",
            L["recording_use"])
    high = callbacks.SESSION_RANGES["slot_minutes"][1]
    refused(lambda: callbacks.update_session(session, actor=cd, slot_minutes=high + 1), "slot_minutes", high)
    A = callbacks.ATTESTATION_LIMITS
    refused(lambda: callbacks.attest(session, actor=cd, statement=over(A, "statement")), "statement", A["statement"])
    C = callbacks.CANCEL_LIMITS
    refused(lambda: callbacks.cancel_session(session, actor=cd, reason=over(C, "reason")), "reason", C["reason"])

    talent_user = make_user("talent")
    inv = make_invitation(session, talent=make_talent(user=talent_user))
    N = invitations.PANEL_NOTE_LIMITS
    refused(lambda: invitations.add_note(inv, actor=cd, rating=3, note=over(N, "note")), "note", N["note"])
    high = invitations.PANEL_NOTE_RANGES["rating"][1]
    refused(lambda: invitations.add_note(inv, actor=cd, rating=high + 1), "rating", high)
    I = invitations.INVITATION_LIMITS
    refused(lambda: invitations.decline(inv, actor=talent_user, note=over(I, "note")), "note", I["note"])
    refused(lambda: invitations.set_access_needs(inv, actor=talent_user, access_needs=over(I, "access_needs")),
            "access_needs", I["access_needs"])
    assert inv.status == "invited"


def test_decisions_service_refuses_one_over(app):
    T = terms.TERMS_LIMITS
    refused(lambda: terms.clean_terms({"compensation": over(T, "compensation")}), "terms.compensation",
            T["compensation"])
    minor = make_talent(date_of_birth=date.today() - timedelta(days=16 * 365), guardian_name="Gina Guardian",
                        guardian_email="gina@example.com")
    P = terms.PROPOSAL_LIMITS
    refused(lambda: terms.check_minor_rules(minor, {"compensation": "Scale", "jurisdiction": "US-CA"},
                                            over(P, "trust_account")), "trust_account", P["trust_account"])
    c = make_casting(called_back=1, producers=1)
    proposal = make_proposal(c.role, c.talents[0], by=c.cd)
    D = decisions.DECISION_LIMITS
    refused(lambda: decisions.reject(proposal, actor=c.producer, comment=over(D, "comment")), "comment", D["comment"])
    assert proposal.status == "proposed"
    proposal.status = "approved"
    db.session.flush()
    talent_user = db.session.get(User, c.talents[0].user_id)
    O = decisions.OFFER_LIMITS
    refused(lambda: decisions.decline(proposal, actor=talent_user, reason=over(O, "reason")), "reason", O["reason"])
    assert proposal.status == "approved"
    W = decisions.WITHDRAW_LIMITS
    refused(lambda: decisions.withdraw(proposal, actor=c.cd, reason=over(W, "reason")), "reason", W["reason"])
    assert proposal.status == "approved"
    C = decisions.COMMENT_LIMITS
    refused(lambda: decisions.comment(c.role, actor=c.producer, talent_id=c.talents[0].id, body=over(C, "body")),
            "body", C["body"])


def test_documents_service_refuses_one_over(app):
    user = make_user("talent", name="Talia Able")
    doc = make_document(make_callback(talent_user=user, recorded=True), "recording_release")
    documents.record_view(doc, actor=user)
    S = signing.SIGNATURE_LIMITS
    refused(lambda: documents.sign_document(doc, actor=user, full_name=over(S, "full_name"), agree=True), "full_name",
            S["full_name"])
    assert doc.signed_at is None


def test_each_service_declares_its_limits_as_named_dicts():
    # One convention across the features: <ENTITY>_LIMITS (most characters) and <ENTITY>_RANGES ((low, high)).
    for module in (accounts, companies, productions, talent, calls, shortlists, callbacks, invitations, decisions,
                   terms, signing):
        names = [n for n in vars(module) if n.endswith(("_LIMITS", "_RANGES")) and n.isupper()]
        assert names, module.__name__
        for name in names:
            value = getattr(module, name)
            assert isinstance(value, dict) and value, name
            for key, limit in value.items():
                if name.endswith("_LIMITS"):
                    assert isinstance(limit, int) and limit > 0, (name, key)
                else:
                    assert isinstance(limit, tuple) and len(limit) == 2, (name, key)
