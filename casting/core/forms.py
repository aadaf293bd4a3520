"""Form helpers shared by the web views."""
from __future__ import annotations

from datetime import date, datetime

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import DateTimeLocalField, SelectMultipleField
from wtforms import ValidationError as FieldError
from wtforms.widgets import CheckboxInput, DateTimeLocalInput, ListWidget

from casting.core.errors import ValidationError
from casting.core.security import control_character_error
from casting.core.timefmt import (
    AmbiguousTime,
    check_range,
    format_offset,
    from_local,
    to_local,
)

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"

# Fields whose text may span lines (tab, LF and CR allowed); every other text field is one line.
MULTILINE_FIELDS = ("TextAreaField",)


class Form(FlaskForm):
    """The base of every web form: besides its own validators, no field takes control characters
    (``core.security.control_character_error``, the rule the API applies too): the form shows the error
    beside the field and answers 422, as for any other invalid field."""

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for field in self:
            values = [v for v in (field.raw_data or []) if isinstance(v, str)]
            message = next((m for v in values
                            if (m := control_character_error(v, multiline=field.type in MULTILINE_FIELDS))), None)
            if message:
                field.errors = [*field.errors, message]
                ok = False
            if isinstance(field.data, (date, datetime)):  # every date and time typed: 1900-2100
                try:
                    check_range(field.data)
                except ValueError as exc:
                    field.errors = [*field.errors, str(exc)]
                    ok = False
        return ok


WALL = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(DateTimeLocalInput):
    """The datetime-local input, and when the time typed happens twice, a choice of its two offsets (radio
    buttons named ``<field>_offset``); a time loaded from a stored instant carries its offset along hidden.
    Each offset is sent tagged with the wall time it was chosen for (``+01:00@2026-10-25T01:30``), so it no
    longer applies once the time is changed (``LocalDateTimeField.process``)."""

    def __call__(self, field, **kwargs):
        html = super().__call__(field, **kwargs)
        name = f"{field.name}_offset"
        if field.ambiguous:
            options = "".join(
                f'<label class="check"><input type="radio" name="{name}" value="{escape(field.tagged(value))}"'
                f'{" checked" if value == field.offset else ""}> {escape(label)}</label>'
                for value, label in field.ambiguous)
            return Markup(f'{html}<fieldset class="offset-choice"><legend>Which {escape(field.data.strftime("%H:%M"))}'
                          f' do you mean?</legend>{options}</fieldset>')
        if field.offset and field.data is not None:
            return Markup(f'{html}<input type="hidden" name="{name}" value="{escape(field.tagged(field.offset))}">')
        return html


class LocalDateTimeField(DateTimeLocalField):
    """Wall time at a place, read in its timezone by ``to_utc`` (``core.timefmt.from_local``: no time the clocks
    skip, and a time that happens twice only with the offset the user chose). A form calls ``to_utc`` from
    its ``validate_<field>`` with the timezone it knows, and then reads ``utc``."""

    widget = LocalDateTimeInput()

    def __init__(self, *args, format: str = LOCAL_FORMAT, **kwargs) -> None:
        super().__init__(*args, format=format, **kwargs)
        self.offset: str | None = None
        self.ambiguous: list[tuple[str, str]] = []
        self.utc: datetime | None = None

    def process(self, formdata, *args, **kwargs) -> None:
        super().process(formdata, *args, **kwargs)
        sent = formdata.get(f"{self.name}_offset") if formdata is not None else None
        if sent and self.data is not None:
            offset, _at, wall = sent.partition("@")
            # An offset counts only for the wall time it was chosen (or loaded) for: a time changed to another
            # that happens twice must be asked about again, never take the old time's side.
            if wall == f"{self.data:{WALL}}":
                self.offset = offset

    def tagged(self, offset: str) -> str:
        """``offset`` as the form sends it: tagged with the wall time it belongs to."""
        return f"{offset}@{self.data:{WALL}}"

    def load(self, instant: datetime, tz: str) -> None:
        """Show ``instant`` as wall time in ``tz``, keeping which of a repeated time it is."""
        local = to_local(instant, tz)
        self.data, self.offset = local.replace(tzinfo=None), format_offset(local.utcoffset())

    def to_utc(self, tz: str | None) -> datetime | None:
        """The typed time in ``tz`` as aware UTC (also kept as ``utc``); a field error when it does not exist,
        happens twice with no choice made, or is out of range."""
        if self.data is None:
            return None
        try:
            self.utc = from_local(self.data, tz, self.offset)
        except AmbiguousTime as exc:
            self.ambiguous = list(zip(exc.offsets, exc.labels))
            raise FieldError(str(exc)) from None
        except ValueError as exc:
            raise FieldError(str(exc)) from None
        return self.utc


def apply_errors(form, exc: ValidationError) -> None:
    """Show a service's field errors on the matching form fields (or on the first field)."""
    for name, messages in exc.fields.items():
        field = getattr(form, name, None)
        if field is None:
            field = next(iter(f for f in form if f.type not in ("CSRFTokenField", "HiddenField")))
        field.errors = list(field.errors) + list(messages)


def choices(values, labels: dict | None = None) -> list:
    """SelectField choices from values, labelled with underscores as spaces unless ``labels`` says."""
    from wtforms.fields import SelectChoice

    labels = labels or {}
    return [SelectChoice(v, labels.get(v, str(v).replace("_", " "))) for v in values]


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (no Ctrl-click), with a "Select all" button the forms
    macro adds for script (each box works with the keyboard either way)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __iter__(self):
        # Each box is optional to the browser (a required checkbox must be ticked); the list's validators check
        # the whole choice on the server.
        for option in super().__iter__():
            option.flags.required = False
            yield option
