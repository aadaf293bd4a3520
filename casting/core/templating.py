"""Jinja filters and globals: times shown in the venue's timezone."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_login import current_user


def local_time(dt: datetime | None, tz: str | None = None, fmt: str = "%a %d %b %Y, %H:%M") -> str:
    """Format an aware UTC datetime in the IANA timezone ``tz`` (with its abbreviation)."""
    if dt is None:
        return ""
    zone = ZoneInfo(tz or "UTC")
    local = dt.astimezone(zone)
    return f"{local.strftime(fmt)} {local.tzname()}"


def register(app) -> None:
    """Add filters and globals to ``app``'s Jinja environment."""
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals["current_user"] = current_user
    register_enums(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def register_enums(app) -> None:
    """Statuses and kinds as Jinja globals, so templates compare with ``InvitationStatus.cancelled``, not strings."""
    from casting.accounts.models import STAFF_ROLES, UserRole
    from casting.callbacks.models import CONFIRMED_INVITATION_STATUSES, CallbackSessionStatus, InvitationStatus
    from casting.calls.models import OpenCallStatus
    from casting.decisions.models import ProposalStatus
    from casting.documents.models import DocumentKind, DocumentStatus
    from casting.productions.models import MemberRole, ProductionKind, ProductionRoleStatus, VenueKind

    for value in (UserRole, MemberRole, ProductionKind, ProductionRoleStatus, VenueKind, OpenCallStatus,
                  CallbackSessionStatus, InvitationStatus, ProposalStatus, DocumentKind, DocumentStatus):
        app.jinja_env.globals[value.__name__] = value
    app.jinja_env.globals["STAFF_ROLES"] = STAFF_ROLES
    app.jinja_env.globals["CONFIRMED_INVITATION_STATUSES"] = CONFIRMED_INVITATION_STATUSES


def stub(view):
    """Mark a placeholder route that a feature has not built yet (the access sweep skips it)."""
    view._stub = True
    return view
