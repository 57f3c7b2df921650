"""Tables: organisations and their API keys, projects, and the documents rendered from them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from labdocs.infra.db import Base

JsonType = JSON().with_variant(JSONB(), "postgresql")


def new_id() -> str:
    """A random, unguessable identifier (32 hex characters)."""
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored time as an aware UTC one: SQLite hands back naive UTC, PostgreSQL aware."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Status(StrEnum):
    """Where a document request stands; stored as its value, so it compares equal to the stored text."""

    QUEUED = "queued"
    STARTED = "started"
    FINISHED = "finished"
    FAILED = "failed"

    @property
    def label(self) -> str:
        """The status as a page says it."""
        return STATUS_LABELS[self]

    @property
    def settled(self) -> bool:
        """Finished or failed: nothing more will happen to it."""
        return self in (Status.FINISHED, Status.FAILED)


STATUS_LABELS = {Status.QUEUED: "Waiting to start", Status.STARTED: "Being made", Status.FINISHED: "Ready",
                 Status.FAILED: "Failed"}


class Organisation(Base):
    """A council or partner; owns projects, documents and API keys."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Days its rendered documents are kept (None: the installation's DOCUMENT_RETENTION_DAYS).
    retention_days: Mapped[int | None] = mapped_column(Integer)


class User(Base):
    """A person who signs in to the web pages; belongs to one organisation."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Sessions carry the number they were signed in under; raising it (sign-out, a new password) ends them all.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class SignInFailure(Base):
    """A wrong password, or an unknown email, given at sign-in: counted per email to slow guessing down."""

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class ApiKey(Base):
    """A bearer key for the API; only its SHA-256 is stored."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="first key", server_default="first key")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Project(Base):
    """One policy lab: its bid (and later its report), as validated JSON."""

    __tablename__ = "projects"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    bid: Mapped[dict[str, Any]] = mapped_column(JsonType)
    # What people typed into the web forms and could not yet save (invalid values), by form, so that
    # nothing typed is ever lost.
    drafts: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    # What was awarded, once the bid is funded (schemas/award.py), for grant data and the project page.
    award: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    # The lab lead's answer to "Have you completed this section?", by form and part: {"bid": {"summary": true}}.
    completed: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class Document(Base):
    """What was asked for (kind, format, the data as it was then) and what was made (the file)."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    format: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=Status.QUEUED.value)
    input: Mapped[dict[str, Any]] = mapped_column(JsonType)
    input_hash: Mapped[str] = mapped_column(String(64), index=True)
    requested_by: Mapped[str] = mapped_column(String(320))  # "user " and an email address of up to 254
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    checks: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)
    # What labdocs found in the output itself: accessibility of a PDF, preflight of a zine.
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)
    error: Mapped[str | None] = mapped_column(Text)
    file_key: Mapped[str | None] = mapped_column(String(200))
    file_size: Mapped[int | None] = mapped_column(Integer)
    # Further outputs of one job (a zine's reader, imposed sheets, preflight, thumbnails): name → file.
    files: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    render_ms: Mapped[int | None] = mapped_column(Integer)
    reused_from: Mapped[str | None] = mapped_column(String(32))


class Report(Base):
    """A project's final report data (what happened), kept beside its bid."""

    __tablename__ = "reports"

    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class ImageFile(Base):
    """An uploaded image, normalised (orientation applied, metadata dropped) and stored by content."""

    __tablename__ = "images"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    file_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Zine(Base):
    """A zine of a project: its pages, format, print mode and theme, as validated JSON."""

    __tablename__ = "zines"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class RegisterEntry(Base):
    """One organisation in the installation's register: its canonical name, kind, org-id identifier and the other
    names it goes by, so bids, project pages and grant data name it one way."""

    __tablename__ = "register_entries"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    identifier: Mapped[str | None] = mapped_column(String(100), unique=True)
    aliases: Mapped[list[str]] = mapped_column(JsonType, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class Webhook(Base):
    """A URL an organisation has labdocs call when its documents finish or fail, with the secret that signs calls."""

    __tablename__ = "webhooks"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JsonType, default=list)
    secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_status: Mapped[str | None] = mapped_column(String(200))  # "200", "500", or why it could not be called
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Delivery(Base):
    """One call of one webhook for one event: what was sent, how often it was tried, and how it went."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    webhook_id: Mapped[str] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_status: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """Who created, changed, downloaded or deleted what, and when: the organisation's own trail."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(500))
    status: Mapped[int] = mapped_column(Integer)
