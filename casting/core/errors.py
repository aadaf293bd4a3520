"""Domain errors raised by services and translated once, for HTML and for the API."""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule said no. Carries the API status and code of ../shared/API.md."""

    status = 400
    code = "bad_request"
    default_message = "The request could not be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        details: dict[str, Any] | None = None,
        audit_action: str | None = None,
        entity: Any = None,
        production_id: int | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.details = details or {}
        # What the blocked-attempt audit entry records, written after rollback.
        self.audit_action = audit_action
        self.entity = entity
        self.production_id = production_id
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class BadRequest(DomainError):
    status, code, default_message = 400, "bad_request", "The body must be a JSON object."


class Unauthenticated(DomainError):
    status, code, default_message = 401, "unauthenticated", "Sign in or send a valid bearer token."


class Forbidden(DomainError):
    status, code, default_message = 403, "forbidden", "You may not do this."


class EmailUnverified(DomainError):
    status, code, default_message = 403, "email_unverified", ("Confirm your email address first: open the link "
                                                              "we emailed you.")


class FourEyes(DomainError):
    status, code, default_message = 403, "four_eyes", "Someone else must verify or approve your own work."


class NotFound(DomainError):
    status, code, default_message = 404, "not_found", "Not found."


class Conflict(DomainError):
    status, code, default_message = 409, "invalid_state", "This does not fit the current state."


class ChecklistFailed(Conflict):
    code, default_message = "checklist_failed", "The legitimate-callback checklist does not pass."


class DoubleBooked(Conflict):
    code, default_message = "double_booked", "That slot or that talent is already booked at an overlapping time."


class NoFreeSlot(Conflict):
    code, default_message = "no_free_slot", "No free slot is left in the session from that time."


class VenueConflict(Conflict):
    code, default_message = "venue_conflict", "Another scheduled session holds that venue at an overlapping time."


class InvalidState(Conflict):
    code = "invalid_state"


class NotShortlisted(Conflict):
    code, default_message = "not_shortlisted", "The talent is not on this role's shortlist."


class CompanyUnverified(Conflict):
    code, default_message = "company_unverified", "The production's company has not been verified by an admin."


class Suspended(Conflict):
    code, default_message = "suspended", ("An admin has suspended this production while a concern is looked into; "
                                          "nothing in it can be changed until it is reinstated.")


class NotViewed(Conflict):
    code, default_message = "not_viewed", "Open the document before signing it."


class MissingConsent(Conflict):
    code, default_message = "missing_consent", "Check-in needs everything on the list first."


class OutsideWindow(Conflict):
    code, default_message = "outside_window", "Check-in is open only on the callback day, from shortly before the slot."


class Duplicate(Conflict):
    code, default_message = "duplicate", "That already exists."


class TooLarge(DomainError):
    status, code, default_message = 413, "too_large", "The upload is over the size limit."


class UnsupportedMediaType(DomainError):
    status, code, default_message = 415, "unsupported_media_type", "That file is not of an accepted type."


class ValidationError(DomainError):
    status, code, default_message = 422, "validation_error", "Some fields are not valid."

    def __init__(self, fields: dict[str, list[str]] | None = None, message: str | None = None, **kw: Any) -> None:
        fields = fields or {}
        if message is None and fields:
            message = "; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items())
        super().__init__(message, details={"fields": fields}, **kw)

    @property
    def fields(self) -> dict[str, list[str]]:
        return self.details["fields"]


class RateLimited(DomainError):
    status, code, default_message = 429, "rate_limited", "Too many attempts; wait a minute and try again."
