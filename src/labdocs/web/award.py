"""A project's award on a page, recorded when the bid is funded; the API's use cases."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from labdocs import awards
from labdocs.infra.models import Project
from labdocs.schemas.award import load_award
from labdocs.schemas.errors import flatten_messages
from labdocs.web.forms import action, compact, rows, text, with_row_change
from labdocs.web.projects import project_for
from labdocs.web.session import signed_in

bp = Blueprint("award", __name__)

# The award's fields as a person names them, for the error summary (others by labels.describe_path).
NAMES = {"amount": "Amount awarded", "date": "Award date", "reference": "Grant reference", "start": "Planned start",
         "end": "Planned end", "funder.name": "Funder", "funder.org_id": "Funder's org-id",
         "recipient_org_id": "Your organisation's org-id", "locations": "Where the project benefits"}


def parse_award(form: MultiDict[str, str]) -> dict[str, Any]:
    """The form as the award schema reads it; empty optional fields are left out, required ones left to it."""
    values = compact({key: text(form, key) for key in ("amount", "date", "reference", "start", "end",
                                                       "recipient_org_id")})
    values["funder"] = compact({"name": text(form, "funder-name"), "org_id": text(form, "funder-org_id")})
    values["locations"] = [{"name": row.get("name", ""), "code": row.get("code", "")}
                           for row in rows(form, "locations")]
    return values


def award_form(project: Project, values: dict[str, Any], errors: dict[str, list[str]]) -> str:
    return render_template("award.html", project=project, values=values, errors=errors, names=NAMES)


@bp.get("/projects/<project_id>/award")
@signed_in
def edit(project_id: str) -> str:
    project = project_for(project_id)
    return award_form(project, project.award or {"funder": {}, "locations": []}, {})


@bp.post("/projects/<project_id>/award")
@signed_in
def save(project_id: str) -> Any:
    project = project_for(project_id)
    values, (pressed, index) = parse_award(request.form), action(request.form)
    if pressed.startswith(("add-", "remove-")):
        return award_form(project, with_row_change(values, pressed, index, {"locations": ("locations",)}), {})
    try:
        awards.save_award(project, load_award(values))
    except ValidationError as exc:
        return award_form(project, values, flatten_messages(exc.messages)), 422
    return redirect(url_for("web.projects.show", project_id=project.id, saved="award", _anchor="award"), 303)


@bp.post("/projects/<project_id>/award/delete")
@signed_in
def remove(project_id: str) -> Any:
    awards.remove_award(project_for(project_id))
    return redirect(url_for("web.projects.show", project_id=project_id, saved="no-award", _anchor="award"), 303)
