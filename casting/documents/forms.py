"""Forms: signing a document, and the two ways of checking one."""
from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, StringField
from wtforms.validators import Length

from casting.core.forms import Form
from casting.documents.signing import SIGNATURE_LIMITS


class SignForm(Form):
    # The service checks the name and the agreement (so the API and the page refuse alike).
    full_name = StringField("Your full legal name", validators=[Length(max=SIGNATURE_LIMITS["full_name"])],
                            description="Type it exactly as the document gives it.")
    agree = BooleanField("I have opened and read this document, and I agree to it.")


class VerifyCodeForm(Form):
    class Meta:
        csrf = False  # a GET form with nothing to protect

    code = StringField("Verification code", validators=[Length(max=40)],
                       description="Twelve letters and digits, printed in the footer of every page, e.g. 7K3M-Q9TD-2HXW.")


class VerifyUploadForm(Form):
    file = FileField("The PDF you received", description="Checked byte for byte against what was issued. Up to 10 MB.")
