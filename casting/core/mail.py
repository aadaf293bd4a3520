"""Email: queued on the database session and sent only after the transaction commits.

The embedded default writes RFC 5322 `.eml` files to ``instance/outbox/``; with
``MAIL_SERVER`` set it speaks SMTP.

Headers are built only from checked values: an address with anything but an address in it is refused
(logged, never sent to), and a subject or attachment name loses its control characters, so no text a user
typed (a name with ``\r\nBcc: ...``) can add a header. A mail that cannot be sent after the commit is
logged and kept in the spool (``MAIL_SPOOL_DIR``, ``instance/mail-spool/``) for
``flask --app casting mail retry``: the change it tells of is saved, and the request still succeeds.

A mail may wait for attachments that do not exist yet (a letter still being rendered): such an
attachment has a ``ref`` instead of bytes, and the mail is held in the ``held_mail`` table, in the
caller's transaction. Whoever produces the bytes calls ``release_held(refs)`` in its own transaction;
a held mail goes out (after that commit) once every ref it waits for answers the
``attachment_wanted`` signal.
"""
from __future__ import annotations

import base64
import json
import os
import re
import smtplib
import ssl
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, render_template
from sqlalchemy.orm import Mapped, Session, mapped_column

from casting.core.db import UTCDateTime, utcnow
from casting.core.security import CONTROL_CHARACTERS
from casting.core.signals import signals, values_from
from casting.extensions import db

_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]+")

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


def header_text(value: str) -> str:
    """``value`` fit for a header: each run of control characters (CR, LF, NUL, ...) becomes one space."""
    return _CONTROL.sub(" ", value).strip()


def is_address(value: str | None) -> bool:
    """True for a bare address (``a@b.example``) or ``Name <a@b.example>`` with no control characters."""
    if not value or _CONTROL.search(value):
        return False
    found = getaddresses([value])
    return len(found) == 1 and bool(re.fullmatch(r"[^@\s<>,;]+@[^@\s<>,;]+", found[0][1]))


def send_mail(to: str | list[str], subject: str, text: str, *, html: str | None = None,
              attachments: list[Attachment] | None = None, reply_to: str | None = None) -> OutgoingMail:
    """Queue an email to go out when the current transaction commits (held until its pending attachments exist).

    Recipients that are not plain addresses are refused (logged, left out); the subject and attachment
    names lose their control characters."""
    recipients = [to] if isinstance(to, str) else list(to)
    refused = [r for r in recipients if not is_address(r)]
    if refused:
        current_app.logger.error("mail %r: refused recipients %r (not an address)", header_text(subject), refused)
    if reply_to is not None and not is_address(reply_to):
        current_app.logger.error("mail %r: refused Reply-To %r (not an address)", header_text(subject), reply_to)
        reply_to = None
    attachments = [Attachment(header_text(a.filename) or "attachment", a.content_type, a.data, ref=a.ref)
                   for a in attachments or []]
    mail = OutgoingMail([r for r in recipients if r not in refused], header_text(subject), text, html, attachments,
                        reply_to)
    if not mail.to:
        return mail
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


def _held_for(refs):
    return db.session.scalars(sa.select(HeldMail).where(
        HeldMail.sent_at.is_(None), sa.or_(*(HeldMail.refs.contains(f" {ref} ") for ref in refs))).order_by(HeldMail.id))


def discard_held(refs, *, reason: str) -> int:
    """Drop every held mail waiting for one of ``refs`` (e.g. a letter voided or superseded before its PDF
    existed: the mail would bring news that is already out of date); return how many. Logged, never sent."""
    refs = list(refs)
    dropped = 0
    for row in _held_for(refs) if refs else ():
        current_app.logger.warning("held mail %s dropped (%s): %s", row.id, reason,
                                   json.loads(row.payload).get("subject"))
        db.session.delete(row)
        dropped += 1
    return dropped


def release_held(refs) -> int:
    """Send (after the caller's commit) every held mail waiting for one of ``refs`` whose attachments all
    exist now; return how many. Call it with the write lock held, so two producers never send one mail twice."""
    refs = list(refs)
    if not refs:
        return 0
    sent = 0
    for row in _held_for(refs):
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
    # send_mail checked these already; a spooled mail is checked again, as anything read back is.
    to = [r for r in mail.to if is_address(r)]
    if not to:
        raise ValueError(f"no valid recipient in {mail.to!r}")
    msg = EmailMessage()
    msg["From"] = app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = ", ".join(to)
    msg["Subject"] = header_text(mail.subject)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="callback.local")
    if mail.reply_to and is_address(mail.reply_to):
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
                           filename=header_text(att.filename) or "attachment", params=params)
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


def spool_dir(app) -> Path:
    return Path(app.config.get("MAIL_SPOOL_DIR") or Path(app.instance_path) / "mail-spool")


def _spool_record(mail: OutgoingMail) -> dict:
    record = asdict(mail)
    record["attachments"] = [{"filename": a.filename, "content_type": a.content_type,
                              "data": base64.b64encode(a.data).decode()} for a in mail.attachments]
    return record


def _mail_from_record(record: dict) -> OutgoingMail:
    attachments = [Attachment(a["filename"], a["content_type"], base64.b64decode(a["data"]))
                   for a in record.get("attachments", [])]
    return OutgoingMail(list(record["to"]), record["subject"], record["text"], record.get("html"), attachments,
                        record.get("reply_to"))


def _write_spool(path: Path, record: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record))
    os.replace(tmp, path)  # a reader sees the whole file or none of it


def spool(app, mail: OutgoingMail, error: BaseException) -> Path:
    """Keep ``mail`` for ``mail retry``: a JSON file in the spool folder, with the error and the attempts."""
    path = spool_dir(app) / f"{uuid.uuid4().hex}.json"
    _write_spool(path, {"mail": _spool_record(mail), "attempts": 1, "queued_at": utcnow().isoformat(),
                        "last_error": f"{type(error).__name__}: {error}"})
    return path


def spooled(app) -> list[Path]:
    """The spooled mails, oldest first."""
    folder = spool_dir(app)
    return sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns) if folder.exists() else []


def retry_spooled(app) -> tuple[int, int]:
    """Try every spooled mail once more: (sent, still failing). A sent mail leaves the spool."""
    sent = failed = 0
    for path in spooled(app):
        record = json.loads(path.read_text())
        try:
            deliver(app, _mail_from_record(record["mail"]))
        except Exception as exc:  # any failure keeps the mail for the next retry
            record["attempts"] = record.get("attempts", 0) + 1
            record["last_error"] = f"{type(exc).__name__}: {exc}"
            _write_spool(path, record)
            app.logger.warning("mail to %s (%s) still failing: %s", record["mail"]["to"], record["mail"]["subject"],
                               record["last_error"])
            failed += 1
        else:
            path.unlink()
            sent += 1
    return sent, failed


@sa.event.listens_for(Session, "after_commit")
def _flush_outbox(session):
    queued = session.info.pop("outbox", [])
    for app, mail in queued:
        try:
            deliver(app, mail)
        except Exception as exc:  # whatever it is, the change is committed: log it, keep the mail, go on
            app.logger.exception("could not send mail to %s: %s (kept for `flask mail retry`)", mail.to, mail.subject)
            try:
                spool(app, mail, exc)
            except OSError:
                app.logger.exception("could not spool mail to %s: %s", mail.to, mail.subject)


@sa.event.listens_for(Session, "after_soft_rollback")
def _drop_outbox(session, previous_transaction):
    session.info.pop("outbox", None)
