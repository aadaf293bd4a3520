"""Form helpers shared by the web views."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from casting.core.errors import ValidationError


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
