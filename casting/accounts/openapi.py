"""The accounts API's operations, for the OpenAPI description (core/openapi.py)."""
from __future__ import annotations

from casting.accounts.api import CREDENTIAL_FIELDS, EVIDENCE_FIELDS, USER_FIELDS
from casting.core import openapi as oa

USER = oa.schema("User", oa.obj({
    "id": oa.ident(), "email": oa.string(), "name": oa.string(),
    "role": oa.string(enum=["admin", "casting_director", "producer", "talent"]),
    "email_verified": oa.boolean(), "mfa_enabled": oa.boolean(),
}))
CREDENTIAL = oa.schema("Credential", oa.obj({
    "user_id": oa.ident(), "registry": oa.nullable(oa.string()), "reference": oa.nullable(oa.string()),
    "verified": oa.boolean(), "submitted_by": oa.nullable(oa.ident()), "verified_by": oa.nullable(oa.ident()),
    "verified_at": oa.nullable(oa.datetime_()),
}))

oa.declare("accounts_api", "Users", {
    "me": oa.Operation(
        "The calling account",
        "Who the token belongs to: id, email, name, kind of account, and whether the email is verified and a "
        "second factor is set up. An account whose email is not verified yet may call this (and nothing private).",
        {200: USER}),
    "create_user": oa.Operation(
        "Create an account (admin)",
        "An admin creates an account of any kind. Without a password the user is emailed a one-time link to "
        "choose one. The admin vouches for the address, so the account is verified.",
        {201: USER}, body=USER_FIELDS),
    "submit_credential": oa.Operation(
        "Submit a casting director's credential",
        "That casting director (or an admin) records the professional registry and reference an admin will "
        "check. A new submission is unverified until an admin who did not submit it verifies it.",
        {200: CREDENTIAL}, body=CREDENTIAL_FIELDS, errors={409: ("invalid_state",)}),
    "verify_credential": oa.Operation(
        "Verify a credential (admin, four eyes)",
        "An admin records what was checked and where. Nobody verifies their own credential or one they "
        "submitted: 403 four_eyes.",
        {200: CREDENTIAL}, body=EVIDENCE_FIELDS, errors={403: ("four_eyes",), 409: ("invalid_state",)}),
}, description="Accounts, the calling user, casting directors' credentials.")
