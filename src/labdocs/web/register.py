"""The register of organisations on a page, and as the CSV it loads from; read by everyone, kept by the operator."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from labdocs import register
from labdocs.web.session import signed_in

bp = Blueprint("register", __name__)


@bp.get("/register")
@signed_in
def organisations() -> str:
    return render_template("register.html", entries=register.entries())


@bp.get("/register.csv")
@signed_in
def organisations_csv() -> Response:
    return Response(register.export_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="register.csv"'})
