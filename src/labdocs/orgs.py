"""Organisations and their API keys; a key is shown once and stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from labdocs.errors import Conflict, Invalid
from labdocs.infra.db import session
from labdocs.infra.models import ApiKey, Organisation

KEY_PREFIX = "ldk_"


def hash_key(key: str) -> str:
    """SHA-256 suffices: keys are 256 random bits, so there is nothing to guess or brute-force."""
    return hashlib.sha256(key.encode()).hexdigest()


def create_org(name: str) -> tuple[Organisation, str]:
    """A new organisation and its first API key (returned in full, once)."""
    name = name.strip()
    if not name:
        raise Invalid("Give the organisation a name.", {"name": ["This is required."]})
    db = session()
    if db.scalar(select(Organisation).where(Organisation.name == name)):
        raise Conflict(f"An organisation called {name!r} already exists.")
    org = Organisation(name=name)
    db.add(org)
    db.flush()
    key = issue_key(org)
    db.commit()
    return org, key


def issue_key(org: Organisation, name: str = "first key") -> str:
    """Add a named API key to an organisation; the caller commits."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    session().add(ApiKey(org_id=org.id, prefix=key[:10], key_hash=hash_key(key), name=name))
    return key


def org_for_key(key: str) -> tuple[Organisation, ApiKey] | None:
    """The organisation a live key belongs to, or None."""
    row = session().execute(
        select(Organisation, ApiKey)
        .join(ApiKey, ApiKey.org_id == Organisation.id)
        .where(ApiKey.key_hash == hash_key(key), ApiKey.revoked_at.is_(None))
    ).first()
    return (row[0], row[1]) if row else None


def find_org(name: str) -> Organisation | None:
    return session().scalar(select(Organisation).where(Organisation.name == name))
