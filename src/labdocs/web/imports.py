"""Bringing partners' Word edits back: upload the edited draft (or an entry export) from the project page, review
each changed field's differences, accept or reject each, and the accepted ones are saved as typed ones are."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from labdocs import imports, projects
from labdocs.domain.docx_bid import MAX_BYTES
from labdocs.domain.text import describe_field
from labdocs.errors import Invalid, LabdocsError, TooLarge
from labdocs.http.errors import http_status
from labdocs.http.limits import accepts_upload
from labdocs.infra.models import Project
from labdocs.render.bid_changes import shortened
from labdocs.schemas.errors import flatten_messages
from labdocs.web.forms import field_id
from labdocs.web.session import person, signed_in

bp = Blueprint("imports", __name__)
CHOICES = {"accept": "Accept", "reject": "Reject"}


@bp.get("/projects/<project_id>/imports/new")
@signed_in
def new(project_id: str) -> str:
    """The upload on its own page (the project page carries the same form)."""
    return render_template("imports/upload.html", project=project_for(project_id), errors={})


@bp.post("/projects/<project_id>/imports")
@signed_in
@accepts_upload(MAX_BYTES + 64 * 1024)
def upload(project_id: str) -> Any:
    project = project_for(project_id)
    try:
        upload = request.files.get("file")
        choice = request.form.get("tracked_changes") or None
    except RequestEntityTooLarge:
        return refused(project, TooLarge(f"The file must be at most {MAX_BYTES // 2**20} MB.",
                                         {"file": [f"The file must be at most {MAX_BYTES // 2**20} MB."]}))
    if upload is None or not upload.filename:
        return refused(project, Invalid("Choose a file.", {"file": ["Choose the edited draft (.docx) or the entry's "
                                                                   "text (.txt)."]}))
    try:
        record = imports.start_import(project, upload.filename, upload.read(MAX_BYTES + 1), choice)
    except LabdocsError as exc:
        return refused(project, exc)
    return redirect(url_for(".review", project_id=project.id, import_id=record["id"]), 303)


def refused(project: Project, exc: LabdocsError) -> tuple[str, int]:
    errors = exc.errors or {"file": [exc.message]}
    return render_template("imports/upload.html", project=project, errors=errors), http_status(exc)


@bp.get("/projects/<project_id>/imports/<import_id>")
@signed_in
def review(project_id: str, import_id: str) -> str:
    project = project_for(project_id)
    return review_page(project, imports.get_import(project, import_id), {}, {})


def review_page(project: Project, record: dict[str, Any], chosen: dict[str, str], errors: dict[str, list[str]]) -> str:
    return render_template("imports/review.html", project=project, record=record, chosen=chosen, errors=errors,
                           choices=CHOICES, shortened=shortened, field_id=field_id,
                           names={change["field"]: change["question"] for change in record["changes"]})


@bp.post("/projects/<project_id>/imports/<import_id>")
@signed_in
def decide(project_id: str, import_id: str) -> Any:
    """Each change accepted or rejected (every one needs an answer); "Reject all" forgets the import."""
    project = project_for(project_id)
    record = imports.get_import(project, import_id)
    if request.form.get("action") == "reject-all":
        imports.drop_import(project)
        return redirect(url_for("web.projects.show", project_id=project.id, imported=0), 303)
    chosen = {change["field"]: request.form.get(field_id(change["field"]), "") for change in record["changes"]}
    errors = {field: [f"Choose whether to accept or reject the change to {question_of(record, field)}."]
              for field, choice in chosen.items() if choice not in CHOICES}
    accepted = [field for field, choice in chosen.items() if choice == "accept"]
    if not errors:
        try:
            imports.apply_import(project, import_id, accepted)
        except ValidationError as exc:
            errors = on_changes(record, flatten_messages(exc.messages))
        except Invalid as exc:
            errors = on_changes(record, exc.errors or {"_schema": [exc.message]})
        else:
            return redirect(url_for("web.projects.show", project_id=project.id, imported=len(accepted)), 303)
    return review_page(project, record, chosen, errors), 422


def on_changes(record: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each problem on the change it comes from (budget.3.amount on the budget's change), so its link lands there."""
    fields = [change["field"] for change in record["changes"]]
    placed: dict[str, list[str]] = {}
    for path, messages in errors.items():
        field = next((field for field in fields if path == field or path.startswith(field + ".")), path)
        placed.setdefault(field, []).extend(messages if field == path else
                                            [f"{describe_field(path)}: {message}" for message in messages])
    return placed


def question_of(record: dict[str, Any], field: str) -> str:
    return next(change["question"] for change in record["changes"] if change["field"] == field)


def project_for(project_id: str) -> Project:
    return projects.get_project(person().org_id, project_id)
