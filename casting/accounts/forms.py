"""Account forms."""
from flask_wtf import FlaskForm
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
from casting.core.forms import choices


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email()])
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Keep me signed in on this device")


class RegisterForm(FlaskForm):
    name = StringField("Your legal name", validators=[DataRequired(), Length(max=USER_LIMITS["name"])],
                       description="As on your ID: letters and contracts are addressed to it.")
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=USER_LIMITS["email"])])
    password = PasswordField("Password", validators=[DataRequired(),
                                                     Length(min=MIN_PASSWORD, max=USER_LIMITS["password"])],
                             description=f"At least {MIN_PASSWORD} characters.")
    confirm = PasswordField("Repeat the password", validators=[DataRequired(), EqualTo("password", "The passwords differ.")])


class ClaimForm(FlaskForm):
    password = PasswordField("Choose a password",
                             validators=[DataRequired(), Length(min=MIN_PASSWORD, max=USER_LIMITS["password"])],
                             description=f"At least {MIN_PASSWORD} characters.")
    confirm = PasswordField("Repeat the password", validators=[DataRequired(), EqualTo("password", "The passwords differ.")])


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=USER_LIMITS["email"])])


class NewPasswordForm(FlaskForm):
    """Choose a password from a reset or set-password link (the policy is check_password_strength's)."""

    password = PasswordField("New password", validators=[DataRequired(), Length(max=USER_LIMITS["password"])],
                             description=f"At least {MIN_PASSWORD} characters.")
    confirm = PasswordField("Repeat the password", validators=[DataRequired(), EqualTo("password", "The passwords differ.")])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    password = PasswordField("New password", validators=[DataRequired(), Length(max=USER_LIMITS["password"])],
                             description=f"At least {MIN_PASSWORD} characters.")
    confirm = PasswordField("Repeat the new password",
                            validators=[DataRequired(), EqualTo("password", "The passwords differ.")])


class TokenForm(FlaskForm):
    name = StringField("Token name", validators=[DataRequired(), Length(max=TOKEN_LIMITS["name"])],
                       description="e.g. the integration using it")


class UserForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=USER_LIMITS["name"])])
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=USER_LIMITS["email"])])
    role = SelectField("Account kind", choices=choices(ROLES))
    password = PasswordField("Initial password",
                             validators=[Optional(), Length(min=MIN_PASSWORD, max=USER_LIMITS["password"])],
                             description="Optional: leave empty and we email the user a link to choose one (valid 7 days).")


class CredentialForm(FlaskForm):
    registry = StringField("Registry", validators=[DataRequired(), Length(max=CREDENTIAL_LIMITS["registry"])],
                           description="e.g. Casting Society (CSA), CDG, or a national casting directors' register")
    reference = StringField("Membership or registration number",
                            validators=[DataRequired(), Length(max=CREDENTIAL_LIMITS["reference"])])


class EvidenceForm(FlaskForm):
    evidence = StringField("Evidence",
                           validators=[DataRequired(), Length(min=MIN_EVIDENCE, max=CREDENTIAL_LIMITS["evidence"])],
                           description="What you checked and where, e.g. 'CSA member directory, entry 4411, 2026-11-25'.")
