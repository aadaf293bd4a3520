"""Decisions pages: the casting board, the producers' review, proposing, deciding, releasing,
the talent's offers, and the exports."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from casting.calls import shortlists
from casting.core.downloads import download
from casting.core.errors import ValidationError
from casting.core.forms import apply_errors, choices
from casting.core.permissions import MAX_ID, valid_id
from casting.core.templating import template_globals
from casting.decisions import access, exports, presentation, queries, report, services
from casting.decisions.forms import (
    CommentForm,
    DecisionForm,
    DeclineForm,
    ProposalForm,
    ReleaseForm,
    ReleaseManyForm,
    WithdrawForm,
)
from casting.decisions.models import ProposalStatus
from casting.decisions.terms import JURISDICTIONS, TRUST_LAWS, written_dates
from casting.productions.access import (
    can_manage,
    membership,
    visible_production,
    visible_role,
)
from casting.productions.models import MemberRole
from casting.talent.services import profile_of

bp = Blueprint("decisions", __name__)
template_globals(bp, ProposalStatus, decides_own=access.decides_own)


def _review_url(role) -> str:
    return url_for("decisions.review", production_id=role.production_id, _anchor=f"role-{role.id}")


@bp.get("/productions/<int:production_id>/board")
@login_required
def board(production_id: int):
    production = visible_production(production_id, current_user)
    rows = queries.board(production)
    totals = queries.totals(rows)
    return render_template("decisions/board.html", production=production, rows=rows, totals=totals,
                           funnel_chart=queries.funnel_bars([(label, totals[key]) for key, label in queries.FUNNEL_STEPS]),
                           mini=lambda row: queries.funnel_bars(row.funnel(), width=100, bar_height=7, gap=2),
                           stages=queries.STAGES, can_manage=can_manage(production, current_user))


@bp.get("/productions/<int:production_id>/review")
@login_required
def review(production_id: int):
    production = visible_production(production_id, current_user)
    member = membership(production, current_user)
    is_producer = member is not None and member.role == MemberRole.producer
    manager = can_manage(production, current_user)
    # Each card's comment form is plain HTML posting to ``comment`` (CommentForm's fields), not a form a card.
    return render_template("decisions/review.html", production=production, reviews=queries.review(production),
                           is_producer=is_producer, can_manage=manager, can_comment=is_producer or manager,
                           comment_max=services.COMMENT_LIMITS["body"],
                           decision_max=services.DECISION_LIMITS["comment"], jurisdictions=JURISDICTIONS)


def _proposal_form(role) -> ProposalForm:
    form = ProposalForm()
    posted = request.form.get("talent_id", type=valid_id) if form.is_submitted() else None
    entries = queries.proposable_entries(role, talent_id=posted)
    form.talent_id.choices = choices([e.talent_id for e in entries],
                                     {e.talent_id: f"#{e.rank} {e.talent.display_name}" for e in entries})
    return form


@bp.route("/roles/<int:role_id>/propose", methods=["GET", "POST"])
@login_required
def propose(role_id: int):
    role = visible_role(role_id, current_user)
    services.check_can_propose(role, current_user)
    form = _proposal_form(role)
    if form.validate_on_submit():
        try:
            services.propose(role, actor=current_user, talent_id=form.talent_id.data, terms=form.terms(),
                             trust_account=form.trust_account.data)
        except ValidationError as exc:
            apply_errors(form, ValidationError({k.removeprefix("terms."): v for k, v in exc.fields.items()}))
        else:
            flash(f"Proposal sent to the producers for {role.name}.", "success")
            return redirect(_review_url(role))
    return render_template("decisions/propose.html", role=role, form=form, trust_laws=TRUST_LAWS), \
        422 if form.errors else 200


def _confirm_page(proposal, form: DecisionForm, status: int = 200):
    return render_template("decisions/confirm_decision.html", proposal=proposal, role=proposal.role, form=form,
                           talent=proposal.talent, decision=form.decision.data, dates=written_dates(proposal.terms),
                           minor=services.minor_for(proposal), jurisdictions=JURISDICTIONS), status


@bp.route("/proposals/<int:proposal_id>/decide", methods=["GET", "POST"])
@login_required
def decide(proposal_id: int):
    """Approve or reject: the first step (GET from the review, or a POST without ``confirmed``) shows the
    offer's terms and asks; only the confirmation page's button decides."""
    proposal = access.visible_proposal(proposal_id, current_user)
    services.check_can_decide(proposal, current_user)
    if request.method == "GET":
        form = DecisionForm(formdata=None, decision=request.args.get("decision"),
                            comment=request.args.get("comment", "")[:services.DECISION_LIMITS["comment"]])
        if form.decision.data not in ("approve", "reject"):
            return redirect(_review_url(proposal.role))
        return _confirm_page(proposal, form)
    form = DecisionForm()
    if not form.validate_on_submit():
        if form.decision.data not in ("approve", "reject"):
            flash("Choose approve or reject.", "error")
            return redirect(_review_url(proposal.role))
        return _confirm_page(proposal, form, 422)
    if form.confirmed.data != "yes":
        return _confirm_page(proposal, form)
    action = services.approve if form.decision.data == "approve" else services.reject
    action(proposal, actor=current_user, comment=form.comment.data)
    flash(f"Approved: the offer for {proposal.role.name} is on its way to {proposal.talent.display_name}."
          if proposal.status == ProposalStatus.approved else f"Rejected: the casting director can propose again for "
          f"{proposal.role.name}.", "success")
    return redirect(_review_url(proposal.role))


@bp.route("/proposals/<int:proposal_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(proposal_id: int):
    """A casting director withdraws an offer, with a reason the talent is told; the page is the confirmation."""
    proposal = access.visible_proposal(proposal_id, current_user)
    services.check_can_withdraw(proposal, current_user)
    form = WithdrawForm()
    if form.validate_on_submit():
        services.withdraw(proposal, actor=current_user, reason=form.reason.data)
        flash(f"The offer to {proposal.talent.display_name} for {proposal.role.name} is withdrawn; they have been "
              "told by email.", "success")
        return redirect(_review_url(proposal.role))
    return render_template("decisions/withdraw.html", proposal=proposal, role=proposal.role, form=form,
                           dates=written_dates(proposal.terms), jurisdictions=JURISDICTIONS), \
        422 if form.errors else 200


@bp.post("/roles/<int:role_id>/comments")
@login_required
def comment(role_id: int):
    role = visible_role(role_id, current_user)
    services.check_can_comment(role, current_user)
    form = CommentForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(_review_url(role))
    entry = services.comment(role, actor=current_user, talent_id=form.talent_id.data, body=form.body.data)
    flash(f"Your comment on {entry.talent.display_name} is saved. Nothing was approved or rejected.", "success")
    return redirect(url_for("decisions.review", production_id=role.production_id,
                            _anchor=f"candidate-{role.id}-{entry.talent_id}"))


@bp.get("/roles/<int:role_id>/presentation.pdf")
@login_required
def presentation_pdf(role_id: int):
    role = visible_role(role_id, current_user)
    return download(presentation.presentation_pdf(role, generated_by=current_user), "application/pdf",
                    f"candidates-{role.id}.pdf")


@bp.post("/roles/<int:role_id>/release")
@login_required
def release(role_id: int):
    role = visible_role(role_id, current_user)
    services.check_can_propose(role, current_user)
    form = ReleaseForm()
    if not form.validate_on_submit():
        flash("Choose a talent to release.", "error")
        return redirect(_review_url(role))
    rel = services.release_talent(role, actor=current_user, talent_id=form.talent_id.data)
    flash(f"{rel.talent.display_name} was released from {role.name} and told so by email.", "success")
    return redirect(_review_url(role))


@bp.post("/roles/<int:role_id>/release-many")
@login_required
def release_many(role_id: int):
    """Release the ticked talent (from the shortlist page): first a page saying who will be emailed, then, on
    confirm, a job that releases each by the rule of releasing one (its page lists who was skipped, and why)."""
    role = visible_role(role_id, current_user)
    services.check_can_propose(role, current_user)
    form = ReleaseManyForm()
    talent_ids = list(dict.fromkeys(int(v) for v in request.form.getlist("talent_ids")
                                    if v.isdigit() and 0 < int(v) <= MAX_ID))[:services.MAX_BULK_RELEASE]
    if not form.validate_on_submit() or not talent_ids:
        flash("Tick at least one talent to release.", "error")
        return redirect(url_for("shortlists.role", role_id=role.id))
    names = shortlists.shortlisted_names(role, talent_ids)
    if form.confirm.data != "yes":
        return render_template("decisions/release_many.html", role=role, talent_ids=talent_ids, names=names)
    job = services.start_bulk_release(role, actor=current_user, talent_ids=talent_ids, labels=names,
                                      back=(url_for("shortlists.role", role_id=role.id),
                                            f"Back to the shortlist for {role.name}"))
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.get("/me/offers")
@login_required
def my_offers():
    talent = profile_of(current_user)
    return render_template("decisions/my_offers.html", offers=queries.offers_of(talent), form=DeclineForm(),
                           document_url=_document_url, jurisdictions=JURISDICTIONS)


@bp.post("/me/offers/<int:proposal_id>/decline")
@login_required
def decline(proposal_id: int):
    proposal = access.visible_proposal(proposal_id, current_user)
    form = DeclineForm()
    if not form.validate_on_submit():
        flash("Your note is at most 2,000 characters.", "error")
        return redirect(url_for("decisions.my_offers"))
    services.decline(proposal, actor=current_user, reason=form.reason.data)
    flash(f"You declined the offer for {proposal.role.name}. The production has been told.", "success")
    return redirect(url_for("decisions.my_offers"))


def _document_url(document_id: int | None) -> str | None:
    # The documents feature's page: the talent opens the PDF there (recorded) and then signs.
    return url_for("documents.view", document_id=document_id) if document_id else None


def _download(text: str, filename: str, mimetype: str) -> Response:
    return download(text, mimetype, filename)


@bp.get("/productions/<int:production_id>/cast-list.csv")
@login_required
def cast_list_csv(production_id: int):
    production = visible_production(production_id, current_user)
    return _download(exports.cast_list_csv(production), f"cast-list-{production.id}.csv", "text/csv")


@bp.get("/productions/<int:production_id>/callback-schedule.csv")
@login_required
def schedule_csv(production_id: int):
    production = visible_production(production_id, current_user)
    return _download(exports.schedule_csv(production), f"callback-schedule-{production.id}.csv", "text/csv")


@bp.get("/productions/<int:production_id>/report.pdf")
@login_required
def report_pdf(production_id: int):
    production = visible_production(production_id, current_user)
    return download(report.report_pdf(production, generated_by=current_user), "application/pdf",
                    f"casting-report-{production.id}.pdf")
