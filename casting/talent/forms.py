"""Talent profile forms. They never ask ethnicity, religion, marital status, pregnancy, disability or
orientation; date of birth is optional and used only to safeguard minors."""
from __future__ import annotations

from wtforms import DateField, EmailField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from casting.core.forms import Form
from casting.talent.services import TALENT_LIMITS

DOB_HELP = ("Optional, and used only to safeguard minors: talent under 18 need a parent or guardian, who signs "
            "their consent forms. It is never used to filter who may apply.")
NEVER_ASKED = "We never ask for ethnicity, religion, marital status, pregnancy, disability or sexual orientation."


# Field factories, so both forms share labels and rules and keep their own field order.
def _legal_name():
    return StringField("Legal name", validators=[DataRequired(), Length(max=TALENT_LIMITS["legal_name"])],
                       description="As on an ID: letters and contracts are addressed to it.")


def _optional(label: str, name: str, description: str = ""):
    return StringField(label, validators=[Optional(), Length(max=TALENT_LIMITS[name])], description=description)


def _date_of_birth():
    return DateField("Date of birth (optional)", validators=[Optional()], description=DOB_HELP)


def _guardian_name():
    return _optional("Parent or guardian's name", "guardian_name", "Required for talent under 18.")


def _guardian_email():
    return EmailField("Parent or guardian's email",
                      validators=[Optional(), Email(), Length(max=TALENT_LIMITS["guardian_email"])],
                      description="Required for talent under 18: the guardian signs their consent forms.")


class ProfileForm(Form):
    """The talent edits their own profile (the email is their login)."""

    legal_name = _legal_name()
    professional_name = _optional("Professional name (optional)", "professional_name")
    phone = _optional("Phone (optional)", "phone")
    agent = _optional("Agent (optional)", "agent", "Agency and agent's name, if you have one.")
    date_of_birth = _date_of_birth()
    guardian_name = _guardian_name()
    guardian_email = _guardian_email()
    guardian_phone = _optional("Parent or guardian's phone (optional)", "guardian_phone")


class AddTalentForm(Form):
    """A casting director adds a talent, who is emailed a one-time link to claim the profile."""

    legal_name = _legal_name()
    professional_name = _optional("Professional name (optional)", "professional_name")
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=TALENT_LIMITS["email"])],
                       description="The talent is emailed a one-time link here to claim the profile.")
    phone = _optional("Phone (optional)", "phone")
    agent = _optional("Agent (optional)", "agent")
    date_of_birth = _date_of_birth()
    guardian_name = _guardian_name()
    guardian_email = _guardian_email()

    FIELDS = ("legal_name", "professional_name", "email", "phone", "agent", "date_of_birth", "guardian_name",
              "guardian_email")
