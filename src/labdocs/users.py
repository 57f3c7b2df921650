"""People who sign in: email and a scrypt-hashed password, each in one organisation."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from labdocs.errors import Conflict, Invalid, NotFound
from labdocs.infra.db import session
from labdocs.infra.models import Organisation, SignInFailure, User, as_utc, utcnow
from labdocs.orgs import find_org
from labdocs.schemas.fields import hidden_character

MIN_PASSWORD = 10
MAX_EMAIL = 254
# An address after normalise(): plain ASCII (an international domain in its xn-- form), so no look-alike letter
# from another script can pass for an existing user's; a dot-atom local part and a domain of two labels or more.
EMAIL = re.compile(
    r"(?P<local>[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?P<domain>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59}))")
ENTER_EMAIL = "Enter an email address, like name@example.org."


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
    """An address as it is stored and looked up: NFKC (full-width ｌｅａｄ is lead), trimmed, lower-cased.

    Sign-in looks people up by this same form, so what create_user stores is what sign-in finds.
    """
    return unicodedata.normalize("NFKC", email).strip().lower()


def checked_email(email: str) -> str:
    """The normalised address, or Invalid: refuses control, invisible and bidi characters, and anything malformed.

    The message never repeats the address itself, which may hold characters a terminal would act on.
    """
    hidden = hidden_character(email)
    if hidden:
        raise Invalid(f"The email address contains an invisible or control character ({hidden}); type it again.")
    address = normalise(email)
    if len(address) > MAX_EMAIL or not address.isascii() or not EMAIL.fullmatch(address) \
            or len(address.partition("@")[0]) > 64:
        raise Invalid(ENTER_EMAIL + " Use plain letters, digits and . _ + - (an international domain in its "
                      "xn-- form).")
    return address


def email_taken(address: str) -> bool:
    """Whether a user already has this normalised address, comparing each stored address's normalised form."""
    return any(normalise(stored) == address for stored in session().scalars(select(User.email)))


def create_user(email: str, org_name: str, password: str) -> User:
    """A new user; NotFound for no such organisation, Invalid for a bad address or password, Conflict if taken."""
    org = find_org(org_name)
    if org is None:
        raise NotFound(f"There is no organisation called {org_name!r}; create it first.")
    email = checked_email(email)
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"Use a password of at least {MIN_PASSWORD} characters.")
    if email_taken(email):
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


def end_sessions(user_id: str) -> None:
    """End every web session this user has, on every device (sessions live in cookies: the epoch revokes them)."""
    user = session().get(User, user_id)
    if user is not None:
        user.session_epoch += 1
        session().commit()


def set_password(email: str, password: str) -> User:
    """A new password for a user, ending their sessions; NotFound or Invalid in words."""
    user = session().scalar(select(User).where(User.email == normalise(email)))
    if user is None:
        raise NotFound(f"There is no user with the email {normalise(email)}.")
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"Use a password of at least {MIN_PASSWORD} characters.")
    user.password_hash = generate_password_hash(password)
    user.session_epoch += 1
    session().commit()
    return user


def get_user(user_id: str) -> tuple[User, Organisation] | None:
    row = session().execute(select(User, Organisation).join(Organisation, Organisation.id == User.org_id)
                            .where(User.id == user_id)).first()
    return (row[0], row[1]) if row else None


def remove_user(email: str) -> None:
    """Remove a person: their row goes, so every session they hold ends (a session names its user, who is gone)."""
    user = session().scalar(select(User).where(User.email == normalise(email)))
    if user is None:
        raise NotFound(f"There is no user with the email {normalise(email)}.")
    session().delete(user)
    session().commit()
