"""The audit trail: each change (create, change, delete) and each download, by whom, kept AUDIT_RETENTION_DAYS."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from labdocs.infra.db import session
from labdocs.infra.models import AuditEvent, utcnow

ACTIONS = {"POST": "created", "PUT": "changed", "PATCH": "changed", "DELETE": "deleted", "GET": "downloaded"}


def record(org_id: str, actor: str, method: str, subject: str, status: int) -> None:
    """Note one event; the request it describes has already been committed."""
    session().add(AuditEvent(org_id=org_id, actor=actor[:320], action=ACTIONS.get(method, method.lower()),
                             subject=subject[:500], status=status))
    session().commit()


def trail(org_id: str, limit: int = 100, before: int | None = None) -> list[AuditEvent]:
    """The organisation's events, newest first (`before`: an event id, to page back)."""
    query = select(AuditEvent).where(AuditEvent.org_id == org_id)
    if before is not None:
        query = query.where(AuditEvent.id < before)
    return list(session().scalars(query.order_by(AuditEvent.id.desc()).limit(max(1, min(limit, 500)))))


def forget_old(now: datetime | None = None) -> int:
    """Remove events older than AUDIT_RETENTION_DAYS (0: kept); returns how many."""
    days = current_app.config["AUDIT_RETENTION_DAYS"]
    if days <= 0:
        return 0
    cutoff = (now or utcnow()) - timedelta(days=days)
    removed = session().execute(delete(AuditEvent).where(AuditEvent.at < cutoff)).rowcount  # type: ignore[attr-defined]
    session().commit()
    return int(removed or 0)
