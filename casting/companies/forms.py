"""Company forms."""
from flask_wtf.file import FileField
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Email, Length, Optional

from casting.accounts.services import USER_LIMITS
from casting.companies.services import COMPANY_LIMITS, MIN_EVIDENCE, VERIFICATION_LIMITS
from casting.core.forms import Form


class CompanyForm(Form):
    legal_name = StringField("Legal name", validators=[DataRequired(), Length(max=COMPANY_LIMITS["legal_name"])],
                             description="Exactly as on the company register.")
    registration_number = StringField("Registration number",
                                      validators=[DataRequired(), Length(max=COMPANY_LIMITS["registration_number"])],
                                      description="e.g. the Companies House or state registry number an admin "
                                                  "can check.")
    address = TextAreaField("Registered address", validators=[DataRequired(), Length(max=COMPANY_LIMITS["address"])])
    website = StringField("Website", validators=[Optional(), URL(message="Must be an http(s) address."),
                                                 Length(max=COMPANY_LIMITS["website"])])
    phone = StringField("Phone", validators=[Optional(), Length(max=COMPANY_LIMITS["phone"])])
    email = EmailField("Email", validators=[Optional(), Email(), Length(max=COMPANY_LIMITS["email"])],
                       description="An office address talent can write to. Give an email or a phone.")


class CompanyMemberForm(Form):
    email = EmailField("Email of the casting director or producer",
                       validators=[DataRequired(), Email(), Length(max=USER_LIMITS["email"])])


class LogoForm(Form):
    file = FileField("Logo (PNG, at most 5 MB and 2000 x 2000 pixels)", description="Printed on letterheads and consent forms.")


class VerifyForm(Form):
    evidence = TextAreaField("Evidence", validators=[DataRequired(), Length(min=MIN_EVIDENCE,
                                                                            max=VERIFICATION_LIMITS["evidence"])],
                             description="What you checked and where, e.g. 'Companies House entry 01234567, "
                                         "active, registered office matches; 2027-01-12'.")
