"""An organisation's API keys: several, each named, with when it was made and last used; revoked at once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from labdocs.errors import Conflict, Invalid, NotFound
from labdocs.infra.db import session
from labdocs.infra.models import ApiKey, Organisation, utcnow
from labdocs.orgs import issue_key

# A key's last use is written at most this often: a busy client must not turn every request into a write.
USE_RESOLUTION = timedelta(minutes=1)


def create_key(org_id: str, name: str) -> tuple[ApiKey, str]:
    """A new named key for the organisation; the key itself is returned once and stored only as a hash."""
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise Invalid("Name the key (up to 100 characters), e.g. \"grants system\".",
                      {"name": ["Give a name of up to 100 characters."]})
    org = session().get(Organisation, org_id)
    assert org is not None
    key = issue_key(org, name)
    session().commit()
    row = session().scalar(select(ApiKey).where(ApiKey.org_id == org_id).order_by(ApiKey.created_at.desc()))
    assert row is not None
    return row, key


def list_keys(org_id: str) -> list[ApiKey]:
    """The organisation's keys, live and revoked, oldest first."""
    return list(session().scalars(select(ApiKey).where(ApiKey.org_id == org_id).order_by(ApiKey.created_at)))


def get_key(org_id: str, key_id: str) -> ApiKey:
    """One of the organisation's keys; another organisation's, or none, is NotFound."""
    key = session().scalar(select(ApiKey).where(ApiKey.id == key_id, ApiKey.org_id == org_id))
    if key is None:
        raise NotFound("There is no such key in your organisation.")
    return key


def revoke_key(org_id: str, key_id: str, using: str | None = None, confirmed: bool = False) -> ApiKey:
    """Revoke a key at once (its next request gets 401); the key making the request only when confirmed."""
    key = get_key(org_id, key_id)
    if key.id == using and not confirmed:
        raise Conflict("This is the key this request is made with: revoking it locks this client out at once. "
                       "To do it anyway, ask again with confirm=true.")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session().commit()
    return key


def note_use(key: ApiKey) -> None:
    """Record that a key was used now, at most once a minute per key."""
    now = utcnow()
    last = key.last_used_at
    if last is None or now - (last if last.tzinfo else last.replace(tzinfo=now.tzinfo)) > USE_RESOLUTION:
        key.last_used_at = now
        session().commit()
