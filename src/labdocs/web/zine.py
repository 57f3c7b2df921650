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
from labdocs.infra.models import Document, Project, Status, Zine
from labdocs.schemas.errors import flatten_messages
from labdocs.schemas.zine import FONTS, FORMATS, LAYOUT_FIELDS, LAYOUT_NAMES, LAYOUTS, load_zine
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
# What "Now fill in …" calls the fields a page's new layout needs.
FIELD_WORDS = {"quote": "the quote", "image": "the picture", "alt": "a description of it"}


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
                  "heading": automatic_colour(form.get("theme-heading", ""), form.get("theme-heading-auto"))},
        "pages": [{"layout": row.get("layout", "text"), "heading": row.get("heading", ""),
                   "body": row.get("body", ""), "quote": row.get("quote", ""), "quote_by": row.get("quote_by", ""),
                   "image": row.get("image") or None, "alt": row.get("alt", ""),
                   "decorative": row.get("decorative") == "yes",
                   "background": automatic_colour(row.get("background", ""), row.get("background_auto"))}
                  for row in rows(form, "pages")],
    }


def automatic_colour(value: str, automatic: str | None) -> str | None:
    """An optional colour from its picker: None (the theme decides) when its "Automatic" box is ticked or it is
    empty, else the colour as given (the schema checks it)."""
    return None if automatic == "yes" else (value.strip() or None)


def shown_layouts(form: MultiDict[str, str]) -> list[str]:
    """The layout whose fields the form showed for each page (a page's layout may since have been changed)."""
    return [row.get("shown", "") for row in rows(form, "pages")]


def fill_in(wanted: dict[int, list[str]]) -> list[str]:
    """"Now fill in …" for each page whose new layout needs fields still empty, in plain words."""
    return [f"Now fill in {' and '.join(FIELD_WORDS[name] for name in names)} for page {index + 1}."
            for index, names in sorted(wanted.items()) if names]


def render(zine: Zine, project: Project, values: dict[str, Any], errors: dict[str, list[str]],
           status: int = 200, draft: bool = False) -> Any:
    uploaded = [(image.id, image.filename) for image in images.list_images(project.id)]
    wanted = zines.pending_fields(values, zine.data) if draft else {}
    previews = documents.zine_previews(zine)
    finished = previews["finished"]
    return render_template("zine.html", zine=zine, project=project, values=values, errors=errors,
                           layouts=LAYOUTS, layout_fields=LAYOUT_FIELDS,
                           layout_names=[(name, LAYOUT_NAMES[name]) for name in LAYOUTS],
                           fonts=FONTS, formats=[(f, FORMAT_NAMES[f]) for f in FORMATS],
                           images=uploaded + list(BUNDLED), saved=request.args.get("saved") == "1",
                           steps=zines.how_to_print(zine.data),
                           theme_contrasts=zines.theme_contrasts(values.get("theme") or {}),
                           page_contrasts=zines.page_contrasts(values),
                           fill_in=fill_in({n: [f for f in names if f"pages.{n}.{f}" not in errors]
                                            for n, names in wanted.items()}),
                           making=unsettled(previews["latest"]), failed=failed(previews["latest"]),
                           preview=finished, page_previews=documents.page_previews(finished, values) if finished
                           else []), status


def unsettled(document: Document | None) -> Document | None:
    """The preview being made, if the latest asked for is still queued or being made."""
    return document if document is not None and not Status(document.status).settled else None


def failed(document: Document | None) -> Document | None:
    """The latest preview asked for, if it could not be made."""
    return document if document is not None and document.status == Status.FAILED else None


def draft_key(zine: Zine) -> str:
    return f"zine:{zine.id}"


@bp.get("/zines/<zine_id>")
@signed_in
def edit(zine_id: str) -> Any:
    zine = zines.get_zine(person().org_id, zine_id)
    project = project_for(zine.project_id)
    draft = get_draft(project, draft_key(zine))
    if draft:
        return render(zine, project, draft["values"], draft["errors"], draft=True)
    return render(zine, project, copy.deepcopy(zine.data), {})


@bp.post("/zines/<zine_id>")
@signed_in
def save(zine_id: str) -> Any:
    zine = zines.get_zine(person().org_id, zine_id)
    project = project_for(zine.project_id)
    values, shown = parse(request.form), shown_layouts(request.form)
    pressed, index = action(request.form)
    if pressed == "remove-pages" and index is not None and index < len(values["pages"]):
        values["pages"].pop(index)
        shown[index:index + 1] = []
    if pressed == "add-pages":
        values["pages"].append({"layout": "text", "heading": "", "body": "", "quote": "", "quote_by": "",
                                "image": None, "alt": "", "decorative": False, "background": None})
    errors, waiting = store(zine, project, values, shown)
    if errors:
        return render(zine, project, values, errors, 422, draft=True)
    if waiting:  # a new layout's fields to fill: the draft shows them, saying so
        return redirect(url_for(".edit", zine_id=zine.id), 303)
    if pressed == "render":
        return start_render(project, zine)
    if pressed == "preview":
        documents.request_preview(project, zine, person().label)
    return redirect(url_for(".edit", zine_id=zine.id, saved=1), 303)


def store(zine: Zine, project: Project, values: dict[str, Any],
          shown: list[str]) -> tuple[dict[str, list[str]], dict[int, list[str]]]:
    """Save the zine if it is valid; otherwise keep what was typed as a draft and return its errors, and the
    fields that pages given a new layout still need (not errors: the form had not shown them yet)."""
    try:
        zines.update_zine(zine, project, load_zine(values))
    except (ValidationError, LabdocsError) as exc:
        errors = exc.errors if isinstance(exc, LabdocsError) else flatten_messages(exc.messages)
        wanted = zines.fields_to_fill(values["pages"], zines.layout_changes(values["pages"], shown))
        left = zines.deferred(errors, wanted)
        keep_draft(project, draft_key(zine), values, left)
        return left, wanted
    drop_draft(project, draft_key(zine))
    return {}, {}


def start_render(project: Project, zine: Zine) -> Any:
    document = documents.dispatch(documents.request_document(project, "zine", "zip", False, person().label, zine.id))
    return redirect(url_for("web.documents.show", document_id=document.id), 303)
