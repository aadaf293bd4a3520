"""Form helpers shared by the web views."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm

from casting.core.errors import ValidationError
from casting.core.security import control_character_error

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
        return ok


def apply_errors(form, exc: ValidationError) -> None:
    """Show a service's field errors on the matching form fields (or on the first field)."""
    for name, messages in exc.fields.items():
        field = getattr(form, name, None)
        if field is None:
            field = next(iter(f for f in form if f.type not in ("CSRFTokenField", "HiddenField")))
        field.errors = list(field.errors) + list(messages)


def local_to_utc(value: datetime | None, tz: str) -> datetime | None:
    """A naive datetime typed into a form, read as wall time in ``tz``, as aware UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)


def choices(values, labels: dict | None = None) -> list:
    """SelectField choices from values, labelled with underscores as spaces unless ``labels`` says."""
    from wtforms.fields import SelectChoice

    labels = labels or {}
    return [SelectChoice(v, labels.get(v, str(v).replace("_", " "))) for v in values]
