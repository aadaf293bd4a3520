"""A background job as the app records it: what, whose, how far, the outcome."""
from __future__ import annotations

import enum
import json
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from casting.core.db import UTCDateTime, enum_check, utcnow
from casting.extensions import db


class JobStatus(enum.StrEnum):
    queued = "queued"      # recorded, waiting for a worker (or for a retry)
    running = "running"
    done = "done"
    failed = "failed"      # every try failed; ``error`` says why


class Job(db.Model):
    __tablename__ = "jobs"
    __table_args__ = (enum_check("status", JobStatus),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[str] = mapped_column(sa.String(16), default=JobStatus.queued, index=True)
    payload: Mapped[str] = mapped_column(sa.Text, default="{}")
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    result: Mapped[str | None] = mapped_column(sa.Text)
    error: Mapped[str | None] = mapped_column(sa.Text)
    attempts: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Last sign of life (progress or a status change): a running job silent for long is re-enqueued.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def payload_data(self) -> dict:
        return json.loads(self.payload or "{}")

    @property
    def result_data(self) -> dict | None:
        return json.loads(self.result) if self.result else None

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.done, JobStatus.failed)
