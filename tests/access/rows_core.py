"""Matrix rows for public pages, accounts and the audit log."""
from __future__ import annotations

from tests.access.matrix import ANY_LOGGED_IN_PAGE, PUBLIC_PAGE, Row, expect

STAFF_ONLY_PAGE = expect(403, anonymous=302, admin=200)


def _token_of(world, who):
    from casting.accounts.services import issue_token

    row, _ = issue_token(world.users[who], "matrix")
    return row


def extend(world) -> None:
    world.extra["cd_own_token"] = _token_of(world, "cd_own")


ROWS = [
    Row("GET", "public.home", lambda w: "/", PUBLIC_PAGE),
    Row("GET", "public.safety", lambda w: "/safety", PUBLIC_PAGE),
    Row("GET", "public.open_calls", lambda w: "/calls", PUBLIC_PAGE),
    Row("GET", "public.healthz", lambda w: "/healthz", PUBLIC_PAGE),
    Row("GET", "accounts.login", lambda w: "/login", PUBLIC_PAGE),
    Row("POST", "accounts.login", lambda w: "/login", expect(401),
        data=lambda w: {"email": "nobody@example.com", "password": "wrong password"}),
    Row("POST", "accounts.logout", lambda w: "/logout", expect(302, unverified=302)),  # the unverified may sign out too
    Row("GET", "accounts.register", lambda w: "/register", PUBLIC_PAGE),
    Row("POST", "accounts.register", lambda w: "/register", expect(422), data=lambda w: {"name": ""}),
    # Without a password step first, the second step sends everyone back to sign in.
    Row("GET", "accounts.login_mfa", lambda w: "/login/mfa", expect(302)),
    Row("POST", "accounts.login_mfa", lambda w: "/login/mfa", expect(302), data=lambda w: {"code": "123456"}),
    Row("GET", "accounts.mfa_setup", lambda w: "/settings/mfa", ANY_LOGGED_IN_PAGE),
    Row("POST", "accounts.mfa_setup", lambda w: "/settings/mfa", expect(422, anonymous=302), data=lambda w: {}),
    # Every persona here is verified: the check-your-email page sends them on (302), the resend does nothing.
    Row("GET", "accounts.check_email", lambda w: "/verify-email", expect(302, unverified=200)),
    Row("POST", "accounts.resend_verification", lambda w: "/verify-email/resend", expect(302, unverified=302)),
    Row("GET", "accounts.verify_email", lambda w: "/verify-email/not-a-real-token", expect(404)),
    # The same answer whether or not the email is an account's; a link that is not live is 404 for everyone.
    Row("GET", "accounts.forgot_password", lambda w: "/reset-password", PUBLIC_PAGE),
    Row("POST", "accounts.forgot_password", lambda w: "/reset-password", PUBLIC_PAGE,
        data=lambda w: {"email": "nobody@example.com"}),
    Row("GET", "accounts.reset_password", lambda w: "/reset-password/not-a-real-token", expect(404)),
    Row("POST", "accounts.reset_password", lambda w: "/reset-password/not-a-real-token", expect(404),
        data=lambda w: {"password": "a long enough password", "confirm": "a long enough password"}),
    Row("GET", "talent.claim", lambda w: "/claim/not-a-real-token", expect(404)),
    Row("POST", "talent.claim", lambda w: "/claim/not-a-real-token", expect(404), data=lambda w: {}),
    Row("GET", "accounts.settings", lambda w: "/settings", ANY_LOGGED_IN_PAGE),
    Row("POST", "accounts.settings", lambda w: "/settings", expect(422, anonymous=302), data=lambda w: {"name": ""}),
    Row("POST", "accounts.change_password", lambda w: "/settings/password", expect(422, anonymous=302),
        data=lambda w: {"current_password": "not the password", "password": "a long enough password",
                        "confirm": "a long enough password"}, note="wrong current password: re-rendered, unchanged"),
    Row("POST", "accounts.submit_credential", lambda w: "/settings/credential", expect(302),
        data=lambda w: {"cred-registry": "", "cred-reference": ""}, note="invalid form: redirect with a flash"),
    # Someone else's token: 404 for everyone but its owner (and admins, who may revoke any).
    Row("POST", "accounts.revoke_token", lambda w: f"/settings/tokens/{w.cd_own_token.id}/revoke",
        expect(404, anonymous=302, admin=302, cd_own=303)),
    Row("GET", "accounts.admin_users", lambda w: "/admin/users", expect(403, anonymous=302, admin=200)),
    Row("POST", "accounts.admin_users", lambda w: "/admin/users", expect(403, anonymous=302, admin=422),
        data=lambda w: {"name": "", "email": "bad", "role": "talent"}),
    Row("POST", "accounts.verify_credential", lambda w: f"/admin/users/{w.users['cd_own'].id}/credential/verify",
        expect(403, anonymous=302, admin=302), data=lambda w: {"evidence": "short"}),
    Row("POST", "accounts.set_active", lambda w: f"/admin/users/{w.users['cd_own'].id}/active",
        expect(403, anonymous=302, admin=303), data=lambda w: {"active": "1"},
        note="already enabled: the admin is told so (409 flashed); nobody else may"),
    Row("GET", "accounts_api.me", lambda w: "/api/v1/me", expect(200, anonymous=401, unverified=200)),
    Row("POST", "accounts_api.create_user", lambda w: "/api/v1/users", expect(403, anonymous=401, admin=422),
        json=lambda w: {}),
    Row("POST", "accounts_api.submit_credential", lambda w: f"/api/v1/users/{w.users['cd_own'].id}/credential",
        expect(403, anonymous=401, admin=200, cd_own=200), json=lambda w: {"registry": "CSA", "reference": "X-1"}),
    Row("POST", "accounts_api.verify_credential",
        lambda w: f"/api/v1/users/{w.users['cd_own'].id}/credential/verify",
        expect(403, anonymous=401, admin=200), json=lambda w: {"evidence": "CSA directory checked today"}),
    Row("GET", "talent_api.me", lambda w: "/api/v1/me/talent", expect(403, anonymous=401, talent_a=200, talent_b=200)),
    Row("POST", "talent_api.create", lambda w: "/api/v1/talent",
        expect(403, anonymous=401, cd_other=201, cd_own=409),
        json=lambda w: {"legal_name": "New Talent", "email": f"new{id(w)}@example.com"},
        note="cd_other creates first; cd_own's identical email is then a duplicate"),
    Row("GET", "talent_api.get", lambda w: f"/api/v1/talent/{w.talent_a.id}",
        expect(404, anonymous=401, talent_a=200, producer=200, admin=200, cd_own=200)),
    Row("GET", "audit.index", lambda w: "/audit", expect(200, anonymous=302, talent_a=403, talent_b=403)),
    Row("GET", "audit_api.list_entries", lambda w: "/api/v1/audit",
        expect(200, anonymous=401, talent_a=403, talent_b=403)),
    Row("GET", "audit_api.verify", lambda w: "/api/v1/audit/verify", expect(403, anonymous=401, admin=200)),
    Row("POST", "audit_api.start_verify", lambda w: "/api/v1/audit/verify", expect(403, anonymous=401, admin=202)),
]
