"""The designer's pages: draft a zine from the project, edit its pages, render it."""

from __future__ import annotations

import copy
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from labdocs import documents, images, zines
from labdocs.drafts import drop_draft, get_draft, keep_draft
from labdocs.errors import LabdocsError
from labdocs.infra.models import Project, Zine
from labdocs.render.instructions import print_steps
from labdocs.schemas.errors import flatten_messages
from labdocs.schemas.zine import FONTS, FORMATS, LAYOUT_FIELDS, LAYOUTS, load_zine
from labdocs.web.forms import action, rows
from labdocs.web.projects import project_for
from labdocs.web.session import person, signed_in

bp = Blueprint("zine", __name__)
BUNDLED = (("asset:street.jpg", "Example illustration: a street and its community hall"),
           ("asset:garden.jpg", "Example illustration: a community garden"),
           ("asset:workshop.jpg", "Example illustration: a workshop wall of sticky notes and a zine"),
           ("asset:round-table.png", "Example illustration: a round table"))
FORMAT_NAMES = {"booklet-a5": "A5 booklet (stapled, from A4 sheets)", "minizine-a4": "Mini-zine from one A4 sheet",
                "minizine-letter": "Mini-zine from one US Letter sheet"}
LAYOUT_NAMES = {"cover": "Cover", "text": "Text", "image-full": "Full-page picture", "quote": "Quote",
                "back": "Back cover"}


@bp.post("/projects/<project_id>/zines")
@signed_in
def create(project_id: str) -> Any:
    project = project_for(project_id)
    fmt = request.form.get("format") if request.form.get("format") in FORMATS else "booklet-a5"
    mode = "home" if request.form.get("mode") == "home" else "print-shop"
    zine = zines.create_zine(project, zines.draft_for(project, {"format": fmt, "print": {"mode": mode}}))
    return redirect(url_for(".edit", zine_id=zine.id), 303)


def parse(form: MultiDict[str, str]) -> dict[str, Any]:
    mode = form.get("mode", "print-shop")
    return {
        "title": form.get("title", "").strip(),
        "subtitle": form.get("subtitle", "").strip(),
        "format": form.get("format", ""),
        "language": form.get("language", "").strip(),
        "print": {"mode": mode, "crop_marks": mode == "print-shop" and form.get("crop_marks") == "yes",
                  "black_as_k": form.get("black_as_k") == "yes"},
        "theme": {**{key: form.get(f"theme-{key}", "").strip() for key in ("paper", "ink", "accent", "font")},
                  "heading": form.get("theme-heading", "").strip() or None},
        "pages": [{"layout": row.get("layout", "text"), "heading": row.get("heading", ""),
                   "body": row.get("body", ""), "quote": row.get("quote", ""), "quote_by": row.get("quote_by", ""),
                   "image": row.get("image") or None, "alt": row.get("alt", ""),
                   "background": row.get("background") or None}
                  for row in rows(form, "pages")],
    }


def steps_for(data: dict[str, Any]) -> list[str]:
    """How to print the zine as saved (its format, print mode and page count as the files will have them)."""
    pages = len(data.get("pages") or [])
    printed = pages + (-pages % 4 if data.get("format") == "booklet-a5" else 0)
    options = data.get("print") or {}
    if data.get("format") not in FORMATS or not pages:
        return []
    return print_steps(data["format"], options.get("mode", "print-shop"), bool(options.get("crop_marks")), printed)


def render(zine: Zine, project: Project, values: dict[str, Any], errors: dict[str, list[str]],
           status: int = 200) -> Any:
    uploaded = [(image.id, image.filename) for image in images.list_images(project.id)]
    return render_template("zine.html", zine=zine, project=project, values=values, errors=errors,
                           layouts=LAYOUTS, layout_fields=LAYOUT_FIELDS,
                           layout_names=[(name, LAYOUT_NAMES[name]) for name in LAYOUTS],
                           fonts=FONTS, formats=[(f, FORMAT_NAMES[f]) for f in FORMATS],
                           images=uploaded + list(BUNDLED), saved=request.args.get("saved") == "1",
                           steps=steps_for(zine.data), theme_contrasts=zines.theme_contrasts(values.get("theme") or {}),
                           page_contrasts=zines.page_contrasts(values)), status


def draft_key(zine: Zine) -> str:
    return f"zine:{zine.id}"


@bp.get("/zines/<zine_id>")
@signed_in
def edit(zine_id: str) -> Any:
    zine = zines.get_zine(person().org_id, zine_id)
    project = project_for(zine.project_id)
    draft = get_draft(project, draft_key(zine))
    if draft:
        return render(zine, project, draft["values"], draft["errors"])
    return render(zine, project, copy.deepcopy(zine.data), {})


@bp.post("/zines/<zine_id>")
@signed_in
def save(zine_id: str) -> Any:
    zine = zines.get_zine(person().org_id, zine_id)
    project = project_for(zine.project_id)
    values = parse(request.form)
    pressed, index = action(request.form)
    if pressed == "remove-pages" and index is not None and index < len(values["pages"]):
        values["pages"].pop(index)
    if pressed == "add-pages":
        values["pages"].append({"layout": "text", "heading": "", "body": "", "quote": "", "quote_by": "",
                                "image": None, "alt": "", "background": None})
    errors = store(zine, project, values)
    if errors:
        return render(zine, project, values, errors, 422)
    if pressed == "render":
        return start_render(project, zine)
    return redirect(url_for(".edit", zine_id=zine.id, saved=1), 303)


def store(zine: Zine, project: Project, values: dict[str, Any]) -> dict[str, list[str]]:
    """Save the zine if it is valid; otherwise keep what was typed as a draft and return the errors."""
    try:
        zines.update_zine(zine, project, load_zine(values))
    except (ValidationError, LabdocsError) as exc:
        errors = exc.errors if isinstance(exc, LabdocsError) else flatten_messages(exc.messages)
        keep_draft(project, draft_key(zine), values, errors)
        return errors
    drop_draft(project, draft_key(zine))
    return {}


def start_render(project: Project, zine: Zine) -> Any:
    document = documents.dispatch(documents.request_document(project, "zine", "zip", False, person().label, zine.id))
    return redirect(url_for("web.documents.show", document_id=document.id), 303)
