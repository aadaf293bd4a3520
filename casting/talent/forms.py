"""Talent profile forms. They never ask ethnicity, religion, marital status, pregnancy, disability or
orientation; date of birth is optional and used only to safeguard minors."""
from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import DateField, EmailField, IntegerField, RadioField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from casting.core.forms import Form, choices
from casting.talent.models import MediaVisibility
from casting.talent.profile import LIST_LIMITS, PLAYING_AGE_RANGE, PROFILE_LIMITS
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


VISIBILITY_CHOICES = choices([MediaVisibility.applied.value, MediaVisibility.linked.value],
                             {MediaVisibility.applied.value: "Only productions I applied to or that invited me",
                              MediaVisibility.linked.value: "Any production that can see my profile"})


def _age(label: str):
    low, high = PLAYING_AGE_RANGE
    return IntegerField(label, validators=[Optional(), NumberRange(low, high, f"A whole number from {low} to {high}.")],
                        render_kw={"inputmode": "numeric", "min": low, "max": high})


class DetailsForm(Form):
    """The casting profile casting offices search and read (talent/profile.py checks it again)."""

    location = StringField("Town or city (optional)", validators=[Optional(), Length(max=PROFILE_LIMITS["location"])],
                           description="Where you are based, e.g. Bristol. Casting offices search by it.")
    pronouns = StringField("Pronouns (optional)", validators=[Optional(), Length(max=PROFILE_LIMITS["pronouns"])])
    playing_age_min = _age("Youngest playing age (optional)")
    playing_age_max = _age("Oldest playing age (optional)")
    skills = StringField("Skills (optional)", validators=[Optional()],
                         description=f"Separated by commas, e.g. stage combat, French, guitar (at most "
                                     f"{LIST_LIMITS['skills']}).")
    unions = StringField("Unions (optional)", validators=[Optional()],
                         description="Separated by commas, e.g. Equity.")
    reel_url = URLField("Showreel link (optional)", validators=[Optional(), Length(max=PROFILE_LIMITS["reel_url"])],
                        description="A full link starting with https://.")
    self_tape_urls = TextAreaField("Self-tape links (optional)", validators=[Optional()],
                                   description=f"One https:// link a line, at most {LIST_LIMITS['self_tape_urls']}.",
                                   render_kw={"rows": 3})
    bio = TextAreaField("About you (optional)", validators=[Optional(), Length(max=PROFILE_LIMITS["bio"])],
                        render_kw={"rows": 4})
    access_needs = TextAreaField(
        "Access needs (optional, private)", validators=[Optional(), Length(max=PROFILE_LIMITS["access_needs"])],
        description="Only productions that invite you to a callback can read this, so they can prepare.",
        render_kw={"rows": 3})
    resume_visibility = RadioField("Who can read my résumé", choices=VISIBILITY_CHOICES,
                                   default=MediaVisibility.applied.value)
    reel_visibility = RadioField("Who can see my showreel and self-tapes", choices=VISIBILITY_CHOICES,
                                 default=MediaVisibility.applied.value)

    FIELDS = ("location", "pronouns", "playing_age_min", "playing_age_max", "skills", "unions", "reel_url",
              "self_tape_urls", "bio", "access_needs", "resume_visibility", "reel_visibility")

    def values(self) -> dict:
        """What talent/profile.py's ``update_profile_details`` takes."""
        out = {name: getattr(self, name).data for name in self.FIELDS}
        out["self_tape_urls"] = [line.strip() for line in (out["self_tape_urls"] or "").splitlines() if line.strip()]
        out["skills"] = out["skills"] or ""
        out["unions"] = out["unions"] or ""
        return out

    def fill(self, profile) -> None:
        """Show the profile's current values (on a page read)."""
        for name in self.FIELDS:
            getattr(self, name).data = getattr(profile, name)
        self.skills.data = ", ".join(s.label for s in profile.skills)
        self.unions.data = ", ".join(u.label for u in profile.unions)
        self.self_tape_urls.data = "\n".join(profile.self_tape_urls or [])


class HeadshotForm(Form):
    file = FileField("Add a headshot", description="A recent photo of your face: JPEG or PNG, at most 5 MB.",
                     render_kw={"accept": "image/jpeg,image/png"})


class ResumeForm(Form):
    file = FileField("Résumé", description="A PDF, at most 10 MB. It replaces the one you have.",
                     render_kw={"accept": "application/pdf"})
