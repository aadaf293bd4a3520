"""Forms for open calls, applications and shortlists."""
from __future__ import annotations

from zoneinfo import available_timezones

from flask_wtf.file import FileField
from wtforms import (
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)
from wtforms.widgets import CheckboxInput, ListWidget

from casting.calls.services import OPEN_CALL_LIMITS, SUBMISSION_LIMITS
from casting.calls.shortlists import SHORTLIST_LIMITS, SHORTLIST_RANGES
from casting.core.forms import Form, LocalDateTimeField, choices

TIMEZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))) + ["UTC"]


class OpenCallForm(Form):
    title = StringField("Title", validators=[DataRequired(), Length(max=OPEN_CALL_LIMITS["title"])],
                        description="What talent see first, e.g. 'Open call: Maya and her father, The Tide Line'.")
    role_ids = SelectMultipleField("Roles", coerce=int, widget=ListWidget(prefix_label=False),
                                   option_widget=CheckboxInput(),
                                   description="Roles involving nudity or intimacy are cast by invitation only, "
                                               "never through an open call.")
    closes_at = LocalDateTimeField("Closes at", validators=[InputRequired()])
    timezone = SelectField("Timezone of the closing time", default="Europe/London", choices=choices(TIMEZONES))
    instructions = TextAreaField("Instructions for talent",
                                 validators=[Optional(), Length(max=OPEN_CALL_LIMITS["instructions"])],
                                 description="What to send and what happens next. Never ask for money of any kind.")

    def validate_closes_at(self, field) -> None:
        field.to_utc(self.timezone.data)


class ApplyForm(Form):
    role_id = SelectField("Role", coerce=int, validators=[InputRequired()])
    # Required unless the talent's profile has a primary headshot (calls/views.py decides, as submit does).
    headshot = FileField("Headshot", description="A recent photo of your face: PNG, JPEG or WebP, at most 5 MB.")
    resume = FileField("Resume (optional)", description="A PDF, at most 10 MB.")
    self_tape_url = StringField("Self-tape link (optional)",
                                validators=[Optional(), URL(message="Give a full https:// link."),
                                            Length(max=SUBMISSION_LIMITS["self_tape_url"])],
                                description="An https:// link to a video (e.g. Vimeo, YouTube, a cloud drive).")
    note = TextAreaField("Note to the casting office (optional)",
                         validators=[Optional(), Length(max=SUBMISSION_LIMITS["note"])],
                         description="Relevant experience, availability, your agent's contact.")


class ShortlistAddForm(Form):
    """Add a talent to a role's shortlist (from the shortlist page's picker or a submission's 'shortlist' button)."""

    talent_id = IntegerField("Talent", validators=[DataRequired(message="Choose a talent.")])
    note = TextAreaField("Note", validators=[Optional(), Length(max=SHORTLIST_LIMITS["note"])])


# The submissions page writes this field by hand (it renders no form object for it).
BULK_NOTE_LABEL = "Note for each (optional)"


class BulkShortlistForm(Form):
    """The submissions page's "Shortlist selected" (the ticked rows are read as ``pick``)."""

    note = StringField(BULK_NOTE_LABEL, validators=[Optional(), Length(max=SHORTLIST_LIMITS["note"])])


class RankForm(Form):
    rank = IntegerField("Rank", validators=[DataRequired(), NumberRange(min=SHORTLIST_RANGES["rank"][0])])


class NoteForm(Form):
    note = TextAreaField("Note", validators=[Optional(), Length(max=SHORTLIST_LIMITS["note"])])
