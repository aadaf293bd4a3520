"""Safety forms: reporting a concern, an admin's note on a report, suspending a production."""
from wtforms import EmailField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from casting.core.forms import Form, choices
from casting.safety.models import ReportStatus
from casting.safety.reports import DETAILS_MIN, REPORT_LIMITS
from casting.safety.suspension import SUSPENSION_LIMITS

ABOUT_LABELS = {
    "verification_code": "A letter or email that gave a verification code",
    "production": "A production on Callback",
    "company_name": "A company or person not on Callback",
}


def about_choices(production=None) -> list:
    """What a report may be about: a production only when the page came from one (talent never type ids)."""
    values = (["production"] if production else []) + ["verification_code", "company_name"]
    labels = {**ABOUT_LABELS, "production": f"The production {production.title}" if production else ""}
    return choices(values, labels)


class ReportForm(Form):
    about = RadioField("What is it about?", choices=about_choices(), default="verification_code",
                       validators=[DataRequired(message="Choose what the report is about.")])
    verification_code = StringField("Verification code on the letter",
                                    validators=[Optional(), Length(max=REPORT_LIMITS["verification_code"])],
                                    description="Twelve letters and digits, printed at the foot of the letter. "
                                                "A code Callback does not know is worth reporting too.")
    company_name = StringField("Name of the company or person",
                               validators=[Optional(), Length(max=REPORT_LIMITS["company_name"])])
    production_id = HiddenField()
    session_id = HiddenField()
    details = TextAreaField("What happened?",
                            validators=[DataRequired(message="Tell us what happened."),
                                        Length(min=DETAILS_MIN, max=REPORT_LIMITS["details"],
                                               message=f"Tell us a little more: at least {DETAILS_MIN} characters "
                                                       f"(at most {REPORT_LIMITS['details']}).")],
                            description="Who contacted you, how, what they asked for (money, photos, a meeting "
                                        "somewhere private), and when. Do not include passwords or bank details.")
    contact_email = EmailField("Your email (optional)",
                               validators=[Optional(), Email(), Length(max=REPORT_LIMITS["contact_email"])],
                               description="Only Callback's safety team sees it, to reply to you. Leave it empty to "
                                           "report anonymously.")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        needed = {"verification_code": (self.verification_code, "Type the code printed at the foot of the letter."),
                  "company_name": (self.company_name, "Give the name of the company or person.")}.get(self.about.data)
        if needed and not (needed[0].data or "").strip():
            needed[0].errors = [*needed[0].errors, needed[1]]
            ok = False
        return ok

    def about_dict(self) -> dict:
        """The one thing the report is about, as the service takes it."""
        kind = self.about.data
        if kind == "production":
            if self.session_id.data:
                return {"session_id": _int(self.session_id.data)}
            return {"production_id": _int(self.production_id.data)}
        if kind == "company_name":
            return {"company_name": self.company_name.data or ""}
        return {"verification_code": self.verification_code.data or ""}


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


class ReportStatusForm(Form):
    status = SelectField("Status", choices=choices([s.value for s in ReportStatus]))
    note = TextAreaField("Note", validators=[DataRequired(message="Write what was done or found."),
                                             Length(max=REPORT_LIMITS["note"])],
                         description="Kept with the report and in the audit log.")


class SuspendForm(Form):
    reason = TextAreaField("Reason", validators=[DataRequired(message="Say why the production is suspended."),
                                                 Length(max=SUSPENSION_LIMITS["reason"])],
                           description="Recorded in the audit log. Talent are told only that the production is "
                                       "on hold while a concern is looked into.")
