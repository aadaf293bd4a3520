"""Forms of the decisions pages."""
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from casting.core.examples import example
from casting.core.forms import Form, choices
from casting.decisions.services import COMMENT_LIMITS, DECISION_LIMITS, OFFER_LIMITS, WITHDRAW_LIMITS
from casting.decisions.terms import JURISDICTIONS, PROPOSAL_LIMITS, TERMS_LIMITS


class ProposalForm(Form):
    talent_id = SelectField("Talent", coerce=int, validate_choice=False,
                            description="Only talent on this role's shortlist can be proposed.")
    compensation = TextAreaField("Compensation", validators=[DataRequired(), Length(max=TERMS_LIMITS["compensation"])],
                                 description="")  # an example that fits the country: __init__
    start_date = DateField("First day of work", validators=[Optional()])
    end_date = DateField("Last day of work", validators=[Optional()])
    usage = TextAreaField("Use of recordings", validators=[Optional(), Length(max=TERMS_LIMITS["usage"])],
                          description="What the production may do with recordings of the performance, where "
                                      "and for how long.")
    jurisdiction = SelectField("Where the work is done", validators=[Optional()],
                               choices=choices(["", *JURISDICTIONS], {"": "— choose —", **JURISDICTIONS}),
                               description="")  # __init__
    notes = TextAreaField("Other terms", validators=[Optional(), Length(max=TERMS_LIMITS["notes"])])
    trust_account = StringField("Blocked trust account (talent under 18)",
                                validators=[Optional(), Length(max=PROPOSAL_LIMITS["trust_account"])],
                                description="Coogan or child performer trust account: bank and account reference.")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Examples in the installation's country's terms (no US union scale on a UK production).
        self.compensation.description = example("offer_compensation")
        self.jurisdiction.description = example("jurisdiction")

    def terms(self) -> dict:
        """The terms object the service validates."""
        return {
            "compensation": self.compensation.data or "",
            "start_date": self.start_date.data.isoformat() if self.start_date.data else None,
            "end_date": self.end_date.data.isoformat() if self.end_date.data else None,
            "usage": self.usage.data or None,
            "jurisdiction": self.jurisdiction.data or None,
            "notes": self.notes.data or None,
        }


class DecisionForm(Form):
    decision = StringField("Decision", validators=[DataRequired(), AnyOf(["approve", "reject"])])
    comment = TextAreaField("Comment for the casting director (optional)",
                            validators=[Optional(), Length(max=DECISION_LIMITS["comment"])],
                            description="Shown to the casting director; never to the talent.")
    # Set only by the confirmation page's button: without it, a decision shows the confirmation first.
    confirmed = StringField("Confirmed", validators=[Optional(), AnyOf(["yes"])])


class WithdrawForm(Form):
    reason = TextAreaField("Why is the offer withdrawn?", validators=[
        DataRequired("Say why the offer is withdrawn: the talent is told."), Length(max=WITHDRAW_LIMITS["reason"])],
        description="The talent (and a minor's guardian) is sent this reason by email.")


class CommentForm(Form):
    talent_id = IntegerField("Talent", validators=[DataRequired()])
    body = TextAreaField("Comment", validators=[DataRequired("Write a comment."), Length(max=COMMENT_LIMITS["body"])],
                         description="Seen by the production's casting directors and producers; never by talent. "
                                     "Commenting approves or rejects nothing.")


class ReleaseForm(Form):
    talent_id = IntegerField("Talent", validators=[DataRequired()])


class ReleaseManyForm(Form):
    """Release the ticked talent (``talent_ids``); ``confirm`` is set by the confirmation page's button."""

    confirm = StringField("Confirm", validators=[Optional(), AnyOf(["yes"])])


class DeclineForm(Form):
    reason = TextAreaField("Anything you want the production to know (optional)",
                           validators=[Optional(), Length(max=OFFER_LIMITS["reason"])])
