"""People who sign in: email and a scrypt-hashed password, each in one organisation."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from labdocs.errors import Conflict, Invalid, NotFound
from labdocs.infra.db import session
from labdocs.infra.models import Organisation, SignInFailure, User, as_utc, utcnow
from labdocs.orgs import find_org

MIN_PASSWORD = 10


class TooManyAttempts(Exception):
    """Sign-in refused without checking the password: this email has failed too often lately."""

    def __init__(self, retry_at: datetime) -> None:
        super().__init__(f"too many failed sign-ins; try again at {retry_at:%H:%M} UTC")
        self.retry_at = retry_at


@cache
def dummy_hash() -> str:
    """Checked against when the email is unknown, so a wrong email takes as long as a wrong password."""
    return generate_password_hash("labdocs-timing-equaliser")


def normalise(email: str) -> str:
    return email.strip().lower()


def create_user(email: str, org_name: str, password: str) -> User:
    org = find_org(org_name)
    if org is None:
        raise NotFound(f"There is no organisation called {org_name!r}; create it first.")
    email = normalise(email)
    if "@" not in email or len(email) > 254:
        raise Invalid("Enter an email address, like name@example.org.")
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"Use a password of at least {MIN_PASSWORD} characters.")
    if session().scalar(select(User).where(func.lower(User.email) == email)):
        raise Conflict(f"There is already a user with the email {email}.")
    user = User(org_id=org.id, email=email, password_hash=generate_password_hash(password))
    session().add(user)
    session().commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user with this email and password, or None (taking the same time either way).

    Raises TooManyAttempts once an email has failed SIGN_IN_ATTEMPTS times within SIGN_IN_LOCK_MINUTES,
    known or not, so guessing a password is slowed to a few tries an hour and says nothing about who exists.
    """
    email = normalise(email)
    retry_at = locked_until(email)
    if retry_at is not None:
        raise TooManyAttempts(retry_at)
    user = session().scalar(select(User).where(User.email == email))
    valid = check_password_hash(user.password_hash if user else dummy_hash(), password) and user is not None
    note_attempt(email, valid)
    return user if valid else None


def lock_window() -> timedelta:
    return timedelta(minutes=current_app.config["SIGN_IN_LOCK_MINUTES"])


def locked_until(email: str) -> datetime | None:
    """When this email may try again, if its recent failures have reached the limit."""
    limit = current_app.config["SIGN_IN_ATTEMPTS"]
    recent = session().scalars(select(SignInFailure.at).where(SignInFailure.email == email,
                                                              SignInFailure.at > utcnow() - lock_window())
                               .order_by(SignInFailure.at.desc()).limit(limit)).all()
    # Locked until the oldest of the last `limit` failures leaves the window.
    return as_utc(recent[-1]) + lock_window() if len(recent) >= limit else None


def note_attempt(email: str, valid: bool) -> None:
    """Count a failure (and forget everyone's expired ones); a success clears this email's count."""
    db = session()
    if valid:
        db.execute(delete(SignInFailure).where(SignInFailure.email == email))
    else:
        db.execute(delete(SignInFailure).where(SignInFailure.at <= utcnow() - lock_window()))
        db.add(SignInFailure(email=email[:254]))
    db.commit()


def get_user(user_id: str) -> tuple[User, Organisation] | None:
    row = session().execute(select(User, Organisation).join(Organisation, Organisation.id == User.org_id)
                            .where(User.id == user_id)).first()
    return (row[0], row[1]) if row else None
