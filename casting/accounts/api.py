"""JSON API: /me, users, credentials, tokens."""
from __future__ import annotations

from flask import jsonify

from casting.accounts import passwords, services
from casting.accounts.models import User
from casting.core.api import Field, api_blueprint, created, iso, json_body, validate
from casting.core.auth import current_actor
from casting.core.permissions import get_or_404, require_admin

bp = api_blueprint("accounts_api", __name__)

USER_FIELDS = {
    "email": Field("email", max_length=services.USER_LIMITS["email"]),
    "name": Field(max_length=services.USER_LIMITS["name"]),
    "role": Field(choices=services.ROLES),
    "password": Field(required=False, max_length=services.USER_LIMITS["password"]),
}
CREDENTIAL_FIELDS = {"registry": Field(max_length=services.CREDENTIAL_LIMITS["registry"]),
                     "reference": Field(max_length=services.CREDENTIAL_LIMITS["reference"])}
EVIDENCE_FIELDS = {"evidence": Field("text", max_length=services.CREDENTIAL_LIMITS["evidence"])}


def user_json(user: User) -> dict:
    return {"id": user.id, "email": user.email, "name": user.name, "role": user.role,
            "email_verified": user.email_verified, "mfa_enabled": user.mfa_enabled}


def credential_json(user: User) -> dict:
    cred = user.credential
    return {
        "user_id": user.id,
        "registry": cred.registry_name if cred else None,
        "reference": cred.reference if cred else None,
        "verified": user.credential_verified,
        "submitted_by": cred.submitted_by_id if cred else None,
        "verified_by": cred.verified_by_id if cred else None,
        "verified_at": iso(cred.verified_at) if cred else None,
    }


@bp.get("/me")
def me():
    return jsonify(user_json(current_actor()))


@bp.post("/users")
def create_user():
    actor = current_actor()
    require_admin(actor)
    data = validate(json_body(), USER_FIELDS)
    user = services.create_user(data["email"], data["name"], data["role"], data["password"], actor=actor,
                                verified=True)  # the admin vouches for the address
    if user.password_hash is None:
        passwords.send_set_password_link(user, actor=actor)  # the user chooses their own password
    return created(user_json(user))


@bp.post("/users/<int:user_id>/credential")
def submit_credential(user_id: int):
    actor = current_actor()
    user = get_or_404(User, user_id)
    data = validate(json_body(), CREDENTIAL_FIELDS)
    services.submit_credential(user, data["registry"], data["reference"], actor=actor)
    return jsonify(credential_json(user))


@bp.post("/users/<int:user_id>/credential/verify")
def verify_credential(user_id: int):
    actor = current_actor()
    user = get_or_404(User, user_id)
    data = validate(json_body(), EVIDENCE_FIELDS)
    services.verify_credential(user, data["evidence"], actor=actor)
    return jsonify(credential_json(user))
