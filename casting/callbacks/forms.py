"""Forms for sessions, invitations, talent responses and panel notes."""
from __future__ import annotations

from types import SimpleNamespace

from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from casting.callbacks.checklist import venue_problem
from casting.callbacks.invitations import (
    CANCEL_INVITATION_LIMITS,
    INVITATION_LIMITS,
    MIN_CANCEL_INVITATION_REASON,
    RESCHEDULE_ANSWER_LIMITS,
    PANEL_NOTE_LIMITS,
    PANEL_NOTE_RANGES,
)
from casting.callbacks.messages import MESSAGE_LIMITS
from casting.callbacks.services import (
    ATTESTATION_LIMITS,
    CANCEL_LIMITS,
    MIN_CANCEL_REASON,
    SESSION_LIMITS,
    SESSION_RANGES,
)
from casting.callbacks.shares import SHARE_LIMITS
from casting.core.forms import CheckboxListField, Form, LocalDateTimeField, choices


def shown_field(unbound) -> SimpleNamespace:
    """What a page rendering a form's field as plain HTML (same name, id and label; one field call per row costs
    more than the rest of the row) reads of it: label, help, length limits, choices. ``unbound``: the field on
    the form class, e.g. ``NoteForm.note``; the post still validates with the form."""
    length = next((v for v in unbound.kwargs.get("validators", ()) if isinstance(v, Length)), None)
    return SimpleNamespace(label=unbound.args[0] if unbound.args else unbound.kwargs["label"],
                           description=unbound.kwargs.get("description", ""),
                           min=length.min if length else -1, max=length.max if length else -1,
                           choices=unbound.kwargs.get("choices"))


def _id_or_none(value) -> int | None:
    # The venue list's "Choose a venue" placeholder is the empty value.
    return None if value in ("", None) else int(value)


# The checklist's venue problems (callbacks.checklist.venue_problem) in the words the venue list uses.
VENUE_PROBLEMS = {"not_professional": "not a professional venue", "no_meeting_link": "no https meeting link",
                  "no_address": "no full address"}


class SessionForm(Form):
    title = StringField("Title", validators=[DataRequired(), Length(max=SESSION_LIMITS["title"])],
                        description="e.g. 'Second-round callbacks: Maya and Tom'")
    role_ids = CheckboxListField("Roles called back", coerce=int,
                                 validators=[DataRequired(message="Tick at least one role.")])
    venue_id = SelectField("Venue", coerce=_id_or_none, validators=[InputRequired(message="Choose a venue.")],
                           description="Times below are wall time at this venue.")
    starts_at = LocalDateTimeField("Starts (venue's local time)", validators=[InputRequired()])
    ends_at = LocalDateTimeField("Ends (venue's local time)", validators=[InputRequired()])
    slot_minutes = IntegerField("Slot length (minutes)", default=20,
                                validators=[InputRequired(), NumberRange(*SESSION_RANGES["slot_minutes"])])
    panel_user_ids = CheckboxListField("Panel", coerce=int, validators=[Optional()],
                                         description="At least two production members, one a casting director.")
    recorded = BooleanField("The session is recorded")
    recording_use = TextAreaField("Intended use of recordings",
                                  validators=[Optional(), Length(max=SESSION_LIMITS["recording_use"])],
                                  description="Who sees them, for what, and when they are deleted (30+ characters).")

    venue_timezones: dict[int, str] = {}
    passing_venue_ids: list[int] = []

    def preselect(self) -> None:
        """A new session's defaults: the first venue that passes the checklist's venue item (never one that
        fails: with none passing, nothing is chosen)."""
        self.venue_id.data = self.passing_venue_ids[0] if self.passing_venue_ids else None
        if not self.passing_venue_ids:
            self.venue_id.choices = [("", "Choose a venue"), *self.venue_id.choices]

    def set_choices(self, production, venues) -> None:
        """Offer the production's roles and members, and the venues (whose timezones read the times)."""
        self.venue_timezones = {v.id: v.timezone for v in venues}
        self.role_ids.choices = choices([r.id for r in production.roles], {r.id: r.name for r in production.roles})
        # Venues that pass the checklist's venue item first; the others say why they would fail, in plain words.
        problems = {v.id: venue_problem(v.kind, v.address, v.meeting_url) for v in venues}
        ordered = sorted(venues, key=lambda v: problems[v.id] is not None)
        self.passing_venue_ids = [v.id for v in ordered if problems[v.id] is None]
        self.venue_id.choices = choices(
            [v.id for v in ordered],
            {v.id: f"{v.name} ({v.kind.replace('_', ' ')}, {v.timezone})"
             + (f" — fails the checklist: {VENUE_PROBLEMS[problems[v.id]]}" if problems[v.id] else "")
             for v in ordered})
        members = sorted(production.members, key=lambda m: m.user.name)
        self.panel_user_ids.choices = choices([m.user_id for m in members],
                                              {m.user_id: f"{m.user.name} ({m.role.replace('_', ' ')})" for m in members})

    def load(self, session) -> None:
        """Fill in a session's values, times as wall time at its venue."""
        tz = session.venue.timezone
        self.title.data = session.title
        self.role_ids.data = [r.id for r in session.roles]
        self.venue_id.data = session.venue_id
        self.starts_at.load(session.starts_at, tz)
        self.ends_at.load(session.ends_at, tz)
        self.slot_minutes.data = session.slot_minutes
        self.panel_user_ids.data = [u.id for u in session.panel]
        self.recorded.data = session.recorded
        self.recording_use.data = session.recording_use or ""

    def show_zone(self) -> None:
        """Say beside the times which timezone they are read in: the chosen venue's."""
        tz = self.venue_timezones.get(self.venue_id.data)
        where = f"Wall time at the venue: {tz}." if tz else "Wall time at the venue (its timezone is shown beside it)."
        self.starts_at.description = self.ends_at.description = where

    def venue_timezone(self) -> str:
        return self.venue_timezones.get(self.venue_id.data) or "UTC"

    def validate_starts_at(self, field) -> None:
        field.to_utc(self.venue_timezone())

    def validate_ends_at(self, field) -> None:
        field.to_utc(self.venue_timezone())

    def values(self) -> dict:
        """The service's keyword arguments, local times read in the venue's timezone (by validation)."""
        return dict(title=self.title.data, role_ids=self.role_ids.data or [], venue_id=self.venue_id.data,
                    starts_at=self.starts_at.utc, ends_at=self.ends_at.utc,
                    slot_minutes=self.slot_minutes.data, panel_user_ids=self.panel_user_ids.data or [],
                    recorded=bool(self.recorded.data), recording_use=self.recording_use.data)


class AttestForm(Form):
    statement = TextAreaField("Statement", validators=[Optional(), Length(max=ATTESTATION_LIMITS["statement"])])


class CancelForm(Form):
    reason = StringField("Reason (talent are told)",
                         validators=[DataRequired(), Length(min=MIN_CANCEL_REASON, max=CANCEL_LIMITS["reason"])])


class InviteForm(Form):
    candidate = SelectField("Shortlisted talent", validators=[DataRequired()],
                            description="Talent on the shortlist of one of this session's roles.")
    slot = SelectField("Slot", validators=[DataRequired()])


class CancelInvitationForm(Form):
    reason = StringField("Reason (the talent is told)",
                         validators=[DataRequired(), Length(min=MIN_CANCEL_INVITATION_REASON,
                                                            max=CANCEL_INVITATION_LIMITS["reason"])])


class MoveForm(Form):
    slot = SelectField("Move to", validators=[DataRequired()],
                       description="A free slot of this session; the talent is asked to confirm the new time.")


class RescheduleAnswerForm(Form):
    note = TextAreaField("Note to the talent (optional)",
                         validators=[Optional(), Length(max=RESCHEDULE_ANSWER_LIMITS["note"])])
class BulkInviteForm(Form):
    """The bulk invitation's confirm form (the talent are posted as ``talent_ids``, in the previewed order)."""

    role_id = IntegerField("Role", validators=[InputRequired()])
    starts_at = StringField("From", validators=[Optional(), Length(max=40)])


class NoteForm(Form):
    rating = SelectField("Rating", coerce=int, choices=choices(range(PANEL_NOTE_RANGES["rating"][0],
                                                                    PANEL_NOTE_RANGES["rating"][1] + 1)),
                         validators=[InputRequired()])
    note = TextAreaField("Note", validators=[Optional(), Length(max=PANEL_NOTE_LIMITS["note"])])


class RescheduleForm(Form):
    note = TextAreaField("Which times would work for you?",
                         validators=[DataRequired(), Length(max=INVITATION_LIMITS["note"])])


class DeclineForm(Form):
    note = TextAreaField("Anything to tell the production? (optional)",
                         validators=[Optional(), Length(max=INVITATION_LIMITS["note"])])


class AccessNeedsForm(Form):
    access_needs = TextAreaField("Access needs",
                                 validators=[DataRequired(), Length(max=INVITATION_LIMITS["access_needs"])],
                                 description="e.g. step-free access, a seat, extra time with the sides, a BSL interpreter.")


class MessageForm(Form):
    body = TextAreaField("Message", validators=[DataRequired(), Length(max=MESSAGE_LIMITS["body"])])


class ShareForm(Form):
    name = StringField("Their name", validators=[Optional(), Length(max=SHARE_LIMITS["name"])])
    email = EmailField("Their email", validators=[Optional(), Length(max=SHARE_LIMITS["email"])],
                       description="They get the time, the address, the panel, the safeguarding contact and your "
                                   "letter's code, then a message when you are checked in and when it ends.")
