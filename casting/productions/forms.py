"""Production, member, role, sides and venue forms."""
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from casting.accounts.services import USER_LIMITS
from casting.core.examples import example
from casting.core.forms import Form, choices
from casting.productions.models import PROFESSIONAL_VENUE_KINDS, ProductionKind
from casting.productions.services import (
    KINDS,
    MEMBER_ROLES,
    PRODUCTION_LIMITS,
    ROLE_LIMITS,
    ROLE_RANGES,
    VENUE_KINDS,
    VENUE_LIMITS,
)


class ProductionForm(Form):
    title = StringField("Title", validators=[DataRequired(), Length(max=PRODUCTION_LIMITS["title"])])
    company_id = SelectField("Company", coerce=int, validate_choice=False,
                             description="Companies you are a member of. Open calls can be published only once an "
                                         "admin has verified the company.")
    kind = SelectField("Kind", choices=choices(KINDS, {ProductionKind.tv: "TV"}))
    description = TextAreaField("Description",
                                validators=[DataRequired(), Length(max=PRODUCTION_LIMITS["description"])])
    safeguarding_contact = StringField(
        "Safeguarding contact", validators=[DataRequired(), Length(max=PRODUCTION_LIMITS["safeguarding_contact"])],
        description="A named person and an email or phone talent can reach about conduct, "
                    "e.g. 'Priya Shah, safeguarding@example.com'. It is printed on every letter.")


class ProductionEditForm(Form):
    """Editing a production: everything but its company (a production never changes hands)."""

    title = ProductionForm.title
    kind = ProductionForm.kind
    description = ProductionForm.description
    safeguarding_contact = ProductionForm.safeguarding_contact

    def values(self) -> dict:
        """The fields as the service takes them."""
        return {name: getattr(self, name).data for name in ("title", "kind", "description", "safeguarding_contact")}


class MemberForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=USER_LIMITS["email"])],
                       description="They need a casting director or producer account.")
    role = SelectField("Job on this production", choices=choices(MEMBER_ROLES))


class RoleForm(Form):
    name = StringField("Role name", validators=[DataRequired(), Length(max=ROLE_LIMITS["name"])])
    description = TextAreaField(
        "Description", validators=[DataRequired(), Length(max=ROLE_LIMITS["description"])],
        description="Be specific (50+ characters): who the character is and what the part involves. Vague "
                    "catch-alls such as 'various projects' fail the callback checklist.")
    age_min = IntegerField("Playing age from", validators=[Optional(), NumberRange(*ROLE_RANGES["age_min"])])
    age_max = IntegerField("Playing age to", validators=[Optional(), NumberRange(*ROLE_RANGES["age_max"])])
    compensation = StringField("Compensation", validators=[Optional(), Length(max=ROLE_LIMITS["compensation"])],
                               description="")  # an example that fits the country: __init__
    nudity_or_intimacy = BooleanField("The part involves nudity or intimacy")
    nudity_or_intimacy_details = TextAreaField(
        "What it involves", validators=[Optional(), Length(max=ROLE_LIMITS["nudity_or_intimacy_details"])],
        description="Required (30+ characters) before a callback: an intimacy coordinator must be on the panel and "
                    "the role is cast by invitation only, never through an open call.")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.compensation.description = example("role_compensation")  # in the country's terms

    def data_for_service(self) -> dict:
        """The fields as the role service takes them."""
        return {name: getattr(self, name).data for name in (
            "name", "description", "age_min", "age_max", "compensation", "nudity_or_intimacy",
            "nudity_or_intimacy_details")}


class SideForm(Form):
    file = FileField("Sides (PDF, at most 10 MB)", description="The scene the talent will read, sent in advance.")


class VenueForm(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=VENUE_LIMITS["name"])])
    kind = SelectField("Kind", choices=choices(VENUE_KINDS, {
        k: f"{k.replace('_', ' ')} (not allowed for callbacks)"
        for k in VENUE_KINDS if k not in PROFESSIONAL_VENUE_KINDS
    }))
    address = TextAreaField("Full address", validators=[Optional(), Length(max=VENUE_LIMITS["address"])],
                            description="Street, number, city and postcode. Not needed for a virtual venue.")
    timezone = StringField("Timezone", validators=[DataRequired(), Length(max=VENUE_LIMITS["timezone"])],
                           default="Europe/London",
                           description="IANA name, e.g. Europe/London or America/New_York. Times are shown in it.")
    meeting_url = StringField("Meeting link", validators=[Optional(), Length(max=VENUE_LIMITS["meeting_url"])],
                              description="For virtual venues: an https:// link.")

    def values(self) -> dict:
        """The fields as the service takes them."""
        return {name: getattr(self, name).data for name in ("name", "kind", "address", "timezone", "meeting_url")}
