"""The database schema. Migrations in storage/migrations create exactly these tables."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class CommitmentRow(Base):
    """The register's commitments as last synced; archived, never deleted, when removed."""

    __tablename__ = "commitments"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)  # its YAML, so history survives removal
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class CommitmentVersionRow(Base):
    """Every earlier text of a commitment: a `due` edited in the file is still a promise made."""

    __tablename__ = "commitment_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    commitment_id: Mapped[str] = mapped_column(String(200), index=True)
    digest: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    replaced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UpdateRow(Base):
    """Updates recorded with `commitment-bot update` (the file's own live in its text)."""

    __tablename__ = "updates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    commitment_id: Mapped[str] = mapped_column(String(200), index=True)
    on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text)
    due: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str | None] = mapped_column(String(40), nullable=True)
    period: Mapped[str | None] = mapped_column(String(40), nullable=True)
    source_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    by: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class NotificationRow(Base):
    """One decided notification for one target: the row that joins deciding and delivering."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("ident", "target", name="uq_notification_target"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ident: Mapped[str] = mapped_column(String(400))
    target: Mapped[str] = mapped_column(String(400))
    commitment_id: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    period: Mapped[str | None] = mapped_column(String(40), nullable=True)
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    n: Mapped[int | None] = mapped_column(Integer, nullable=True)
    payload: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    meta: Mapped[str | None] = mapped_column(Text, nullable=True)


class SlackThreadRow(Base):
    """Where each commitment's Slack thread lives, per channel, across restarts."""

    __tablename__ = "slack_threads"
    channel: Mapped[str] = mapped_column(String(200), primary_key=True)
    commitment_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    ts: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DigestRow(Base):
    """One digest per recipient per period: what was sent, and what is still owed."""

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("recipient", "period", name="uq_digest_period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recipient: Mapped[str] = mapped_column(String(320))
    period: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))  # pending | sent | failed
    covered_from: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    covered_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class HeartbeatRow(Base):
    __tablename__ = "heartbeats"
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)


class RegisterCacheRow(Base):
    """The last validated register, keyed by the hash of its files: an unchanged file is not re-read."""

    __tablename__ = "register_cache"
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    source_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
