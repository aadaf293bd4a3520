"""Document pages: the talent's documents and signing, the guardian's link, the production's register,
and the public verify pages."""
from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from casting.callbacks.models import CallbackSession, Invitation
from casting.core.auth import public
from casting.core.blobs import load_blob
from casting.core.database import writes
from casting.core.downloads import download
from casting.core.errors import InvalidState, NotFound, ValidationError
from casting.core.forms import apply_errors
from casting.core.pagination import KeysetPage, after_arg, page_args, paginate
from casting.core.permissions import MAX_ID
from casting.core.templating import template_globals
from casting.documents import services
from casting.documents.codes import format_code, normalise_code
from casting.documents.forms import SignForm, VerifyCodeForm, VerifyUploadForm
from casting.documents.models import (
    CURRENT_DOCUMENT_STATUSES,
    Document,
    DocumentKind,
    DocumentStatus,
    DocumentView,
)
from casting.extensions import db, limiter
from casting.productions.access import visible_production
from casting.productions.models import Venue
from casting.talent.models import TalentProfile
from casting.talent.services import profile_of

bp = Blueprint("documents", __name__)
# A document's status in words talent understand (templates/documents/_status.html and the register).
STATUS_WORDS = {DocumentStatus.issued: "valid", DocumentStatus.signed: "signed",
                DocumentStatus.superseded: "superseded", DocumentStatus.void: "void"}
template_globals(bp, DocumentKind, DocumentStatus, document_status_words=STATUS_WORDS)


def verify_limit():
    """One budget per address for every way of checking a document (page and API)."""
    return limiter.shared_limit(lambda: current_app.config["RATELIMIT_VERIFY"], scope="verify", methods=["GET", "POST"])


def pdf_response(document: Document):
    """The stored bytes, exactly, as an inline PDF nobody caches (409 while the PDF is still being rendered)."""
    if document.blob_sha256 is None:
        raise InvalidState("This document is still being prepared; try again in a moment.", entity=document,
                           production_id=document.production_id)
    return download(load_blob(document.blob_sha256).data, "application/pdf",
                    f"{document.serial}-{document.kind.replace('_', '-')}.pdf", inline=True)


@bp.after_request
def _keep_guardian_links_private(response):
    # A guardian's link is their key: never send it to another site as a Referer.
    if request.endpoint in ("documents.guardian", "documents.guardian_pdf"):
        response.headers["Referrer-Policy"] = "same-origin"
    return response


@bp.app_template_global("document_check_in")
def document_check_in(invitation):
    """For templates/documents/_missing.html: what check-in still waits for."""
    return services.check_in_items(invitation)


@bp.app_template_global("invitation_documents")
def invitation_documents(invitation):
    """For templates/documents/_for_talent.html: the invitation's current documents and who must still sign."""
    return [(d, services.awaiting(d)) for d in services.current_documents(invitation)]


@bp.app_template_global("invitations_documents")
def invitations_documents(invitations) -> dict[int, list]:
    """``invitation_documents`` for a list of invitations, by invitation id, in one query (the talent's portal)."""
    return {i: [(d, services.awaiting(d)) for d in docs]
            for i, docs in services.current_documents_for(invitations).items()}


@bp.app_template_global("documents_check_in")
def documents_check_in(invitations) -> dict[int, list[dict]]:
    """``document_check_in`` for a list of invitations, by invitation id, in one query (a session page)."""
    return services.check_in_items_for(invitations)


@bp.app_template_filter("verification_code")
def verification_code_filter(code: str) -> str:
    return format_code(code)


def _detail(document: Document, form: SignForm | None = None, status: int = 200):
    related = db.session.scalars(sa.select(Document).where(sa.or_(
        Document.signed_from_id == document.id, Document.supersedes_id == document.id,
        Document.id == (document.signed_from_id or 0), Document.id == (document.supersedes_id or 0),
    )).order_by(Document.id)).all()
    staff = not services.is_recipient(document, current_user)
    views = db.session.scalars(sa.select(DocumentView).where(DocumentView.document_id == document.id)
                               .order_by(DocumentView.id)).all() if staff else []
    return render_template("documents/detail.html", document=document, form=form or SignForm(), staff=staff,
                           related=related, views=views, awaiting=services.awaiting(document),
                           facts=services.public_facts(document)), status


DOCUMENTS_PER_PAGE = 50
# What a list of documents shows beside each: the recipient, and the venue's timezone for the issue time.
_LIST_OPTIONS = (selectinload(Document.recipient),
                 selectinload(Document.invitation).selectinload(Invitation.session).selectinload(CallbackSession.venue))


@bp.get("/me/documents")
@login_required
def mine():
    profile = profile_of(current_user)
    query = (sa.select(Document).where(Document.recipient_talent_id == profile.id).options(*_LIST_OPTIONS)
             .order_by(Document.issued_at.desc(), Document.id.desc()))
    page = paginate(query, *page_args(request.args, per_page=DOCUMENTS_PER_PAGE, lenient=True))
    return render_template("documents/mine.html", documents=page.items, page=page, awaiting=services.awaiting)


class RegisterLine(NamedTuple):
    """A document as the production's register lists it."""
    id: int
    serial: str
    version: int
    title: str
    recipient: str
    issued_at: datetime
    timezone: str | None      # the callback's venue's, for the issue time (UTC for an offer)
    opened: bool
    status: str


def _register_statement() -> sa.Select:
    d, t, i = Document.__table__, TalentProfile.__table__, Invitation.__table__
    s, v = CallbackSession.__table__, Venue.__table__
    return (sa.select(d.c.id, d.c.serial, d.c.version, d.c.title, t.c.legal_name, d.c.issued_at, v.c.timezone,
                      sa.or_(d.c.first_viewed_at.isnot(None), d.c.guardian_viewed_at.isnot(None)), d.c.status)
            .join(t, t.c.id == d.c.recipient_talent_id)
            .outerjoin(i, i.c.id == d.c.invitation_id).outerjoin(s, s.c.id == i.c.session_id)
            .outerjoin(v, v.c.id == s.c.venue_id)
            .where(d.c.production_id == sa.bindparam("production_id"), d.c.id <= sa.bindparam("through"))
            .order_by(d.c.id.desc()).limit(DOCUMENTS_PER_PAGE + 1))


_REGISTER: list[sa.Select] = []   # built once (its cache key is memoised), on first use


def register_page(production, after: int | None) -> KeysetPage:
    """A page of the production's documents, newest first, after the id ``after``: one query of the columns the
    register shows (not the documents' rows with their recipients, invitations, sessions and venues)."""
    if not _REGISTER:
        _REGISTER.append(_register_statement())
    rows = [RegisterLine(*row) for row in db.session.connection().execute(
        # ids are 1..MAX_ID (32-bit on PostgreSQL): the first page runs through MAX_ID, a later one stops before
        # ``after``, so the bound value always fits the column.
        _REGISTER[0], {"production_id": production.id, "through": MAX_ID if after is None else after - 1})]
    items = rows[:DOCUMENTS_PER_PAGE]
    return KeysetPage(items=items, per_page=DOCUMENTS_PER_PAGE, after=after,
                      next_after=items[-1].id if len(rows) > DOCUMENTS_PER_PAGE else None)


@bp.get("/productions/<int:production_id>/documents")
@login_required
def production_documents(production_id: int):
    production = visible_production(production_id, current_user)
    page = register_page(production, after_arg(request.args))
    return render_template("documents/production.html", production=production, documents=page.items, page=page)


@bp.get("/documents/<int:document_id>")
@login_required
def view(document_id: int):
    return _detail(services.visible_document(document_id, current_user))


@bp.get("/documents/<int:document_id>/pdf")
@login_required
@writes
def pdf(document_id: int):
    document = services.visible_document(document_id, current_user)
    services.record_view(document, actor=current_user)
    return pdf_response(document)


@bp.post("/documents/<int:document_id>/sign")
@login_required
def sign(document_id: int):
    document = services.visible_document(document_id, current_user)
    form = SignForm()
    if form.validate_on_submit():
        try:
            signed = services.sign_document(document, actor=current_user, full_name=form.full_name.data,
                                            agree=form.agree.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if signed is None:
                flash("Signed. Your parent or guardian must sign too before it counts.", "success")
                return redirect(url_for("documents.view", document_id=document.id))
            flash(f"Signed. Your signed copy is {signed.serial}; we have emailed it to you.", "success")
            return redirect(url_for("documents.view", document_id=signed.id))
    return _detail(document, form, 422)


@bp.route("/guardian/<token>", methods=["GET", "POST"])
@public
def guardian(token: str):
    document = services.guardian_document(token)
    form = SignForm()
    if form.validate_on_submit():
        try:
            signed = services.guardian_sign(document, full_name=form.full_name.data, agree=form.agree.data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            flash("Thank you: your consent is signed. A signed copy has been emailed to you." if signed else
                  "Thank you: your signature is recorded. The performer must sign too.", "success")
            return redirect(url_for("documents.guardian", token=token))
    signed_copy = db.session.scalar(sa.select(Document).where(Document.signed_from_id == document.id))
    return render_template("documents/guardian.html", document=document, form=form, token=token,
                           awaiting=services.awaiting(document), signed_copy=signed_copy,
                           facts=services.public_facts(document)), 422 if form.errors else 200


@bp.get("/guardian/<token>/pdf")
@writes
@public
def guardian_pdf(token: str):
    document = services.guardian_document(token)
    if request.args.get("signed"):
        signed = db.session.scalar(sa.select(Document).where(Document.signed_from_id == document.id))
        if signed is None:
            raise NotFound()
        return pdf_response(signed)
    services.record_guardian_view(document)
    return pdf_response(document)


@bp.route("/verify", methods=["GET", "POST"])
@verify_limit()
@public
def verify_page():
    code_form = VerifyCodeForm(request.args)
    upload_form = VerifyUploadForm()
    if request.method == "GET" and code_form.code.data:
        code = normalise_code(code_form.code.data) or code_form.code.data.strip()[:40]
        return redirect(url_for("documents.verify_code", code=code))
    if request.method == "POST":
        try:
            data = services.read_pdf_upload(request.files.get("file"))
        except ValidationError as exc:
            apply_errors(upload_form, exc)
        else:
            document = services.find_by_bytes(data)
            return render_template("documents/verify_result.html", by="file", filename=upload_form.file.data.filename,
                                   facts=services.public_facts(document) if document else None,
                                   signature=services.signature_of(data), size=len(data),
                                   sha256=services.sha256_hex(data)), 200
    return render_template("documents/verify.html", code_form=code_form, upload_form=upload_form,
                           certificate=services.certificate()), 422 if upload_form.errors else 200


def pem_response(pem: bytes):
    """The installation's signing certificate as a PEM download (public; the same for everyone)."""
    return download(pem, "application/x-pem-file", "callback-signing-certificate.pem", inline=True)


@bp.get("/verify/certificate")
@public
def certificate():
    return pem_response(services.certificate().certificate_pem)


@bp.get("/verify/<code>")
@verify_limit()
@public
def verify_code(code: str):
    document = services.find_by_code(code)
    return render_template("documents/verify_result.html", by="code", code=code,
                           facts=services.public_facts(document) if document else None), 200 if document else 404
