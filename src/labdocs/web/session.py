"""Who is signed in, and the CSRF token every form carries."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, redirect, request, session, url_for

from labdocs.http.limits import check_request_rate
from labdocs.users import get_user

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class Person:
    """The signed-in user and their organisation, as the pages need them."""

    user_id: str
    email: str
    org_id: str
    org_name: str

    @property
    def label(self) -> str:
        return f"user {self.email}"


def load_person() -> None:
    """before_request: look up the session's user; the session of a removed user, or one ended by signing out
    or a new password (a copied cookie included), simply ends."""
    g.person = None
    user_id = session.get("user_id")
    if user_id:
        found = get_user(user_id)
        if found is None or found[0].session_epoch != session.get("epoch"):
            session.clear()
        else:
            user, org = found
            g.person = Person(user.id, user.email, org.id, org.name)
            check_request_rate(org.id)


def person() -> Person:
    found: Person = g.person
    return found


def sign_in(user_id: str, epoch: int) -> None:
    """A fresh session on sign-in, so a token planted before it cannot ride along (session fixation)."""
    session.clear()
    session["user_id"], session["epoch"] = user_id, epoch
    session["csrf"] = secrets.token_urlsafe(32)
    session.permanent = False


def signed_in(view: View) -> View:
    """Pages behind sign-in send everyone else to the sign-in page, then back."""
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("person") is None:
            return redirect(url_for("web.auth.sign_in", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapped  # type: ignore[return-value]


def csrf_token() -> str:
    """The session's token, made on first use (the sign-in form needs one before anyone signs in)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def check_csrf() -> None:
    """before_request: every state-changing request must carry the session's token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.form.get("csrf_token", "").encode()  # bytes: compare_digest refuses non-ASCII str
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "").encode()):
        abort(400, description="This form has expired. Go back, reload the page and try again; "
                               "nothing you saved before has been lost.")
