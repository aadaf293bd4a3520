"""Company forms."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Email, Length, Optional


class CompanyForm(FlaskForm):
    legal_name = StringField("Legal name", validators=[DataRequired(), Length(max=200)],
                             description="Exactly as on the company register.")
    registration_number = StringField("Registration number", validators=[DataRequired(), Length(max=100)],
                                      description="e.g. the Companies House or state registry number an admin "
                                                  "can check.")
    address = TextAreaField("Registered address", validators=[DataRequired(), Length(max=1000)])
    website = StringField("Website", validators=[Optional(), URL(message="Must be an http(s) address."),
                                                 Length(max=300)])
    phone = StringField("Phone", validators=[Optional(), Length(max=50)])
    email = EmailField("Email", validators=[Optional(), Email(), Length(max=254)],
                       description="An office address talent can write to. Give an email or a phone.")


class CompanyMemberForm(FlaskForm):
    email = EmailField("Email of the casting director or producer", validators=[DataRequired(), Email(),
                                                                                Length(max=254)])


class LogoForm(FlaskForm):
    file = FileField("Logo (PNG or SVG, at most 5 MB)", description="Printed on letterheads and consent forms.")


class VerifyForm(FlaskForm):
    evidence = TextAreaField("Evidence", validators=[DataRequired(), Length(min=10, max=2000)],
                             description="What you checked and where, e.g. 'Companies House entry 01234567, "
                                         "active, registered office matches; 2027-01-12'.")
