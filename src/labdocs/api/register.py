"""/register: the installation's register of organisations, which every organisation reads (the operator loads it)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from labdocs import register
from labdocs.errors import Invalid

bp = Blueprint("register", __name__)


@bp.get("/register")
def show() -> Response:
    """Every entry; `?format=csv` gives the CSV the register loads from."""
    if request.args.get("format") == "csv":
        return Response(register.export_csv(), mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="register.csv"'})
    return jsonify({"organisations": register.entries()})


@bp.get("/register/match")
def match() -> Response:
    """What the register knows of one name: canonical, an alias, similar to an entry, or unknown."""
    name = " ".join(request.args.get("name", "").split())
    if not name or len(name) > 300:
        raise Invalid("Give the name to look up.", {"name": ["Give a name of up to 300 characters."]})
    return jsonify(register.match(name))
