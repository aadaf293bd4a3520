"""Email: queued on the database session and sent only after the transaction commits.

The embedded default writes RFC 5322 `.eml` files to ``instance/outbox/``; with
``MAIL_SERVER`` set it speaks SMTP.

A mail may wait for attachments that do not exist yet (a letter still being rendered): such an
attachment has a ``ref`` instead of bytes, and the mail is held in the ``held_mail`` table, in the
caller's transaction. Whoever produces the bytes calls ``release_held(refs)`` in its own transaction;
a held mail goes out (after that commit) once every ref it waits for answers the
``attachment_wanted`` signal.
"""
from __future__ import annotations

import base64
import json
import re
import smtplib
import ssl
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, render_template
from sqlalchemy.orm import Mapped, Session, mapped_column

from casting.core.db import UTCDateTime, utcnow
from casting.core.signals import signals, values_from
from casting.extensions import db

attachment_wanted = signals.signal("attachment-wanted", doc="""The bytes of a held mail's attachment (sender: its
``ref``, e.g. ``document:12``). The receiver that owns the ref answers an Attachment, or None while it is not
ready (the documents feature answers for rendered documents).""")


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes | None
    # Bytes still to come: the mail is held until ``attachment_wanted`` answers for this ref.
    ref: str | None = None


class HeldMail(db.Model):
    """A mail waiting for attachments still being produced (refs), sent by ``release_held``."""
    __tablename__ = "held_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    payload: Mapped[str] = mapped_column(sa.Text)
    # The refs it waits for, space-separated and space-padded (" document:1 document:2 ") for a LIKE.
    refs: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


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
    """Queue an email to go out when the current transaction commits (held until its pending attachments exist)."""
    mail = OutgoingMail([to] if isinstance(to, str) else list(to), subject, text, html, attachments or [], reply_to)
    if any(a.ref for a in mail.attachments):
        _hold(mail)
        return mail
    if not db.session().in_transaction():
        # So that a rollback (which fires only inside a transaction) drops the queued mail.
        db.session.begin()
    db.session.info.setdefault("outbox", []).append((current_app._get_current_object(), mail))
    return mail


def _hold(mail: OutgoingMail) -> None:
    payload = {"to": mail.to, "subject": mail.subject, "text": mail.text, "html": mail.html, "reply_to": mail.reply_to,
               "attachments": [{"filename": a.filename, "content_type": a.content_type, "ref": a.ref,
                                "data": base64.b64encode(a.data).decode() if a.ref is None else None}
                               for a in mail.attachments]}
    refs = [a.ref for a in mail.attachments if a.ref]
    db.session.add(HeldMail(payload=json.dumps(payload), refs=" " + " ".join(refs) + " "))
    db.session.flush()


def release_held(refs) -> int:
    """Send (after the caller's commit) every held mail waiting for one of ``refs`` whose attachments all
    exist now; return how many. Call it with the write lock held, so two producers never send one mail twice."""
    refs = list(refs)
    if not refs:
        return 0
    held = db.session.scalars(sa.select(HeldMail).where(
        HeldMail.sent_at.is_(None), sa.or_(*(HeldMail.refs.contains(f" {ref} ") for ref in refs))).order_by(HeldMail.id))
    sent = 0
    for row in held:
        payload = json.loads(row.payload)
        attachments = []
        for a in payload["attachments"]:
            if a["ref"] is None:
                attachments.append(Attachment(a["filename"], a["content_type"], base64.b64decode(a["data"])))
                continue
            answers = values_from(attachment_wanted, a["ref"])
            if not answers:
                break
            attachments.append(answers[0])
        else:
            row.sent_at = utcnow()
            send_mail(payload["to"], payload["subject"], payload["text"], html=payload["html"],
                      attachments=attachments, reply_to=payload["reply_to"])
            sent += 1
    return sent


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
