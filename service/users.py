"""People who sign in: email and a scrypt-hashed password, each in one organisation."""

from __future__ import annotations

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from .db import session
from .errors import ApiError
from .models import Organisation, User
from .orgs import find_org

MIN_PASSWORD = 10
# Checked against when the email is unknown, so a wrong email takes as long as a wrong password.
DUMMY_HASH = generate_password_hash("labdocs-timing-equaliser")


def normalise(email: str) -> str:
    return email.strip().lower()


def create_user(email: str, org_name: str, password: str) -> User:
    org = find_org(org_name)
    if org is None:
        raise ApiError(404, "not_found", f"There is no organisation called {org_name!r}; create it first.")
    email = normalise(email)
    if "@" not in email or len(email) > 254:
        raise ApiError(422, "validation_failed", "Enter an email address, like name@example.org.")
    if len(password) < MIN_PASSWORD:
        raise ApiError(422, "validation_failed", f"Use a password of at least {MIN_PASSWORD} characters.")
    if session().scalar(select(User).where(func.lower(User.email) == email)):
        raise ApiError(409, "conflict", f"There is already a user with the email {email}.")
    user = User(org_id=org.id, email=email, password_hash=generate_password_hash(password))
    session().add(user)
    session().commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user with this email and password, or None (taking the same time either way)."""
    user = session().scalar(select(User).where(User.email == normalise(email)))
    if user is None:
        check_password_hash(DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def get_user(user_id: str) -> tuple[User, Organisation] | None:
    row = session().execute(select(User, Organisation).join(Organisation, Organisation.id == User.org_id)
                            .where(User.id == user_id)).first()
    return (row[0], row[1]) if row else None
