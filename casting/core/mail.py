"""Email: queued on the database session and sent only after the transaction commits.

The embedded default writes RFC 5322 `.eml` files to ``instance/outbox/``; with
``MAIL_SERVER`` set it speaks SMTP.
"""
from __future__ import annotations

import re
import smtplib
import ssl
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, render_template
from sqlalchemy.orm import Session

from casting.extensions import db


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class OutgoingMail:
    to: list[str]
    subject: str
    text: str
    html: str | None = None
    attachments: list[Attachment] = field(default_factory=list)
    reply_to: str | None = None


def send_mail(to: str | list[str], subject: str, text: str, *, html: str | None = None,
              attachments: list[Attachment] | None = None, reply_to: str | None = None) -> OutgoingMail:
    """Queue an email to go out when the current transaction commits."""
    mail = OutgoingMail([to] if isinstance(to, str) else list(to), subject, text, html, attachments or [], reply_to)
    if not db.session().in_transaction():
        # So that a rollback (which fires only inside a transaction) drops the queued mail.
        db.session.begin()
    db.session.info.setdefault("outbox", []).append((current_app._get_current_object(), mail))
    return mail


def render_body(template: str, **context) -> str:
    """A plain-text email body: ``templates/email/<template>`` rendered, ending with one newline.

    Links in the templates come from ``public_url`` (casting.core.links), so they point at
    ``PUBLIC_BASE_URL`` in a request, the CLI or the seed alike.
    """
    return render_template(f"email/{template}", **context).rstrip("\n") + "\n"


def build_message(app, mail: OutgoingMail) -> EmailMessage:
    """The MIME message for ``mail``."""
    msg = EmailMessage()
    msg["From"] = app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = ", ".join(mail.to)
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="callback.local")
    if mail.reply_to:
        msg["Reply-To"] = mail.reply_to
    msg.set_content(mail.text)
    if mail.html:
        msg.add_alternative(mail.html, subtype="html")
    for att in mail.attachments:
        maintype, _, subtype = att.content_type.partition("/")
        params = {}
        if att.content_type.startswith("text/calendar"):
            # The MIME method must match the calendar's own METHOD (REQUEST, CANCEL, ...).
            found = re.search(rb"^METHOD:(\w+)", att.data, re.MULTILINE)
            subtype, params = "calendar", {"method": found.group(1).decode() if found else "PUBLISH"}
        msg.add_attachment(att.data, maintype=maintype, subtype=subtype.split(";")[0],
                           filename=att.filename, params=params)
    return msg


def deliver(app, mail: OutgoingMail) -> None:
    """Send now: SMTP when configured, else an .eml file in the outbox folder."""
    msg = build_message(app, mail)
    cfg = app.config
    if cfg.get("MAIL_SERVER"):
        port = int(cfg.get("MAIL_PORT") or 25)
        if cfg.get("MAIL_USE_SSL"):
            smtp = smtplib.SMTP_SSL(cfg["MAIL_SERVER"], port, context=ssl.create_default_context(), timeout=30)
        else:
            smtp = smtplib.SMTP(cfg["MAIL_SERVER"], port, timeout=30)
        with smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls(context=ssl.create_default_context())
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
            smtp.send_message(msg)
        return
    outbox = Path(cfg["MAIL_OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = msg["Date"]
    name = f"{uuid.uuid4().hex}.eml"
    (outbox / name).write_bytes(msg.as_bytes())
    app.logger.info("mail to %s (%s) written to %s at %s", msg["To"], mail.subject, outbox / name, stamp)


@sa.event.listens_for(Session, "after_commit")
def _flush_outbox(session):
    queued = session.info.pop("outbox", [])
    for app, mail in queued:
        try:
            deliver(app, mail)
        except (OSError, smtplib.SMTPException):
            # The change is committed; a mail failure is logged, never rolls it back.
            app.logger.exception("could not send mail to %s: %s", mail.to, mail.subject)


@sa.event.listens_for(Session, "after_soft_rollback")
def _drop_outbox(session, previous_transaction):
    session.info.pop("outbox", None)
