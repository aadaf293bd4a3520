"""Account forms."""
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from casting.accounts.services import (
    CREDENTIAL_LIMITS,
    MIN_EVIDENCE,
    MIN_PASSWORD,
    ROLES,
    TOKEN_LIMITS,
    USER_LIMITS,
)
from casting.core.forms import Form, choices

PASSWORD_HELP = (f"At least {MIN_PASSWORD} characters; a few unrelated words make a good one. Very common passwords "
                 "and ones containing your name or email address are refused.")
PASSWORD_LENGTH = f"Use {MIN_PASSWORD} to {USER_LIMITS['password']} characters."
PASSWORD_CHARS = Length(MIN_PASSWORD, USER_LIMITS["password"], PASSWORD_LENGTH)


class LoginForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Email()])
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Keep me signed in on this device")


class MfaCodeForm(Form):
    code = StringField("Code from your authenticator app, or a recovery code",
                       validators=[DataRequired(), Length(max=32)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True})


class MfaSetupForm(Form):
    code = StringField("The 6-digit code your app shows now", validators=[DataRequired(), Length(max=16)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
    password = PasswordField("Your password (to confirm it is you)", validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})


class RegisterForm(Form):
    name = StringField("Your legal name", validators=[DataRequired(), Length(max=USER_LIMITS["name"])],
                       description="As on your ID: letters and contracts are addressed to it.")
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=USER_LIMITS["email"])])
    password = PasswordField("Password", validators=[DataRequired(), PASSWORD_CHARS], description=PASSWORD_HELP)
    confirm = PasswordField("Repeat the password", validators=[DataRequired(), EqualTo("password", "The passwords differ.")])


class ClaimForm(Form):
    password = PasswordField("Choose a password",
                             validators=[DataRequired(), PASSWORD_CHARS],
                             description=PASSWORD_HELP)
    confirm = PasswordField("Repeat the password", validators=[DataRequired(), EqualTo("password", "The passwords differ.")])


class ForgotPasswordForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=USER_LIMITS["email"])])


class NewPasswordForm(Form):
    """Choose a password from a reset or set-password link (the policy is check_password_strength's)."""

    password = PasswordField("New password", validators=[DataRequired(), Length(max=USER_LIMITS["password"])],
                             description=f"At least {MIN_PASSWORD} characters.")
    confirm = PasswordField("Repeat the password", validators=[DataRequired(), EqualTo("password", "The passwords differ.")])


class ChangePasswordForm(Form):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    password = PasswordField("New password", validators=[DataRequired(), Length(max=USER_LIMITS["password"])],
                             description=f"At least {MIN_PASSWORD} characters.")
    confirm = PasswordField("Repeat the new password",
                            validators=[DataRequired(), EqualTo("password", "The passwords differ.")])


class TokenForm(Form):
    name = StringField("Token name", validators=[DataRequired(), Length(max=TOKEN_LIMITS["name"])],
                       description="e.g. the integration using it")
    # A token acts as the account: whoever creates one proves again that they are its holder.
    password = PasswordField("Your password (to confirm it is you)", validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})
    code = StringField("Code from your authenticator app (if you set one up)", validators=[Optional(), Length(max=32)],
                       render_kw={"autocomplete": "one-time-code"})


class UserForm(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=USER_LIMITS["name"])])
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=USER_LIMITS["email"])])
    # No default: an admin picks the kind of every account (an account created as "admin" by a slip of the
    # hand would hold every power).
    role = SelectField("Account kind", choices=choices(("", *ROLES), {"": "— choose the kind of account —"}),
                       validators=[DataRequired(message="Choose the kind of account.")])
    password = PasswordField("Initial password",
                             validators=[Optional(), PASSWORD_CHARS],
                             description="Optional: leave empty and we email the user a link to choose one (valid 7 "
                                         f"days). Otherwise at least {MIN_PASSWORD} characters, not a common password, "
                                         "without the user's name or email address.")


class CredentialForm(Form):
    registry = StringField("Registry", validators=[DataRequired(), Length(max=CREDENTIAL_LIMITS["registry"])],
                           description="e.g. Casting Society (CSA), CDG, or a national casting directors' register")
    reference = StringField("Membership or registration number",
                            validators=[DataRequired(), Length(max=CREDENTIAL_LIMITS["reference"])])


class EvidenceForm(Form):
    evidence = StringField("Evidence",
                           validators=[DataRequired(), Length(min=MIN_EVIDENCE, max=CREDENTIAL_LIMITS["evidence"])],
                           description="What you checked and where, e.g. 'CSA member directory, entry 4411, 2026-11-25'.")
