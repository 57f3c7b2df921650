"""Signing in and out."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, g, redirect, render_template, request, session, url_for

from labdocs.infra.models import utcnow
from labdocs.users import TooManyAttempts, authenticate, end_sessions
from labdocs.web.session import sign_in as start_session

bp = Blueprint("auth", __name__)


def safe_next(target: str | None, default: str | None = None) -> str:
    """Only a path on this site: never an open redirect to somewhere else (else `default`, or the projects)."""
    # Printable ASCII only: a CR/LF would split the Location header, "\\" is a slash to browsers.
    printable = target is not None and len(target) <= 2000 and all(" " < c <= "~" and c != "\\" for c in target)
    if target and printable and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return default or url_for("web.projects.index")


@bp.get("/sign-in")
def sign_in() -> str:
    return render_template("sign_in.html", values={}, errors={}, next=request.args.get("next", ""))


@bp.post("/sign-in")
def sign_in_post() -> Any:
    email, password = request.form.get("email", "").strip(), request.form.get("password", "")
    errors: dict[str, list[str]] = {}
    if not email:
        errors["email"] = ["Enter your email address."]
    if not password:
        errors["password"] = ["Enter your password."]
    try:
        user = authenticate(email, password) if not errors else None
    except TooManyAttempts as refused:
        minutes = max(1, math.ceil((refused.retry_at - utcnow()).total_seconds() / 60))
        errors["email"] = [f"You have entered the wrong details too many times. Try again in {minutes} "
                           f"minute{'s' if minutes > 1 else ''}."]
        return refuse_sign_in(email, errors, 429, {"Retry-After": str(minutes * 60)})
    if user is None and not errors:
        errors["email"] = ["Enter a correct email address and password."]
    if errors:
        return refuse_sign_in(email, errors, 422)
    start_session(user.id, user.session_epoch)  # type: ignore[union-attr]
    return redirect(safe_next(request.form.get("next")), 303)


def refuse_sign_in(email: str, errors: dict[str, list[str]], status: int,
                   headers: dict[str, str] | None = None) -> Any:
    """The sign-in page again, with the errors and the email kept."""
    page = render_template("sign_in.html", values={"email": email}, errors=errors, next=request.form.get("next", ""))
    return page, status, headers or {}


@bp.post("/sign-out")
def sign_out() -> Any:
    """Sign out here and everywhere: the cookie is cleared, and the epoch ends any copy of it."""
    if g.get("person") is not None:
        end_sessions(g.person.user_id)
    session.clear()
    return redirect(url_for(".sign_in"), 303)
