"""The coordinator's report, part by part like the bid: each part saved as it goes, nothing typed lost.

A report is stored once every part it needs is there; until then the parts wait as the report in progress.
Photos upload inside the case studies' own form, so what was typed beside them is saved with them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from labdocs import images, reports
from labdocs.domain.money import format_gbp
from labdocs.domain.principles import PRINCIPLES
from labdocs.domain.rules import line_budget
from labdocs.drafts import drop_draft, get_draft, keep_draft
from labdocs.errors import LabdocsError
from labdocs.http.limits import accepts_upload
from labdocs.infra.models import Project
from labdocs.projects import assess
from labdocs.schemas.errors import flatten_messages
from labdocs.schemas.report import report_missing
from labdocs.web.auth import safe_next
from labdocs.web.forms import action, compact, find_part, number, part_asking, rows, text, whole, with_row_change
from labdocs.web.labels import REPORT_NAMES
from labdocs.web.projects import project_for
from labdocs.web.session import person, signed_in
from labdocs.web.tasks import UNSAVED, Task, lacking, task_status, unsaved_parts

bp = Blueprint("report", __name__)
BUNDLED = (("asset:round-table.png", "Example illustration: a round table"),)
Parsed = tuple[dict[str, Any], dict[str, str]]  # the part's values, and where each data path sits on the page
Parser = Callable[[MultiDict[str, str], dict[str, Any]], Parsed]


@dataclass(frozen=True)
class Part:
    slug: str
    title: str
    fields: tuple[str, ...]
    parse: Parser
    whole: tuple[str, ...] = ()  # fields whose items' errors belong to the field as a whole (one set of boxes)


def partner_names(bid: dict[str, Any]) -> list[str]:
    names = [bid.get("lead_organisation")] + [p.get("name") for p in bid.get("partners", [])]
    return [name for name in names if name] + ["Other CCIN members"]


def parse_dates(form: MultiDict[str, str], bid: dict[str, Any]) -> Parsed:
    period = compact({"start": text(form, "period-start"), "end": text(form, "period-end")})
    return compact({"period": period, "notice": text(form, "notice")}), {}


def parse_story(form: MultiDict[str, str], bid: dict[str, Any]) -> Parsed:
    return compact({key: text(form, key) for key in ("results_summary", "introduction")}), {}


def parse_results(form: MultiDict[str, str], bid: dict[str, Any]) -> Parsed:
    """One result per promised output that has a number typed against it (the rest are still to come)."""
    where: dict[str, str] = {}
    results: list[dict[str, Any]] = []
    for index, _ in enumerate(bid.get("outcomes", {}).get("outputs", [])):
        achieved = text(form, f"results-{index}-achieved")
        if achieved is not None:
            where[f"outputs_achieved.{len(results)}"] = f"results.{index}"
            results.append({"output": index + 1, "achieved": number(achieved),
                            "evidence": form.get(f"results-{index}-evidence", "").strip()})
    return compact({"outputs_achieved": results}), where


def parse_spend(form: MultiDict[str, str], bid: dict[str, Any]) -> Parsed:
    where: dict[str, str] = {}
    spend: list[dict[str, Any]] = []
    for index, _ in enumerate(bid.get("budget", [])):
        spent = text(form, f"spend-{index}-spent")
        if spent is not None:
            where[f"spend.{len(spend)}"] = f"spend.{index}"
            spend.append({"budget_line": index + 1, "spent": spent})
    return compact({"amount_awarded": text(form, "amount_awarded"), "spend": spend}), where


def parse_people(form: MultiDict[str, str], bid: dict[str, Any]) -> Parsed:
    where: dict[str, str] = {}
    by_partner = {}
    for index, name in enumerate(partner_names(bid)):
        count = text(form, f"people-{index}")
        if count is not None:
            where[f"participants.by_partner.{name}"] = f"people.{index}"
            by_partner[name] = whole(count)
    people = compact({"total": whole(text(form, "participants-total")), "by_partner": by_partner})
    return compact({"participants": people}), where


def parse_activities(form: MultiDict[str, str], bid: dict[str, Any]) -> Parsed:
    activities = [compact({"date": row.get("date"), "title": row.get("title"), "description": row.get("description"),
                           "attendees": whole(row.get("attendees") or None)}) for row in rows(form, "activities")]
    return compact({"activities": activities}), {}


def parse_case_studies(form: MultiDict[str, str], bid: dict[str, Any]) -> Parsed:
    keys = ("title", "story", "quote", "quote_by", "alt")
    studies = [compact({**{key: row.get(key) for key in keys}, "image": row.get("image") or None})
               for row in rows(form, "case_studies")]
    return compact({"case_studies": studies}), {}


def parse_meaning(form: MultiDict[str, str], bid: dict[str, Any]) -> Parsed:
    keys = ("co_operative_difference", "learning", "challenges", "next_steps")
    return compact({key: text(form, key) for key in keys}), {}


def parse_principles(form: MultiDict[str, str], bid: dict[str, Any]) -> Parsed:
    return compact({"principles_met": form.getlist("principles_met")}), {}


def parse_contact(form: MultiDict[str, str], bid: dict[str, Any]) -> Parsed:
    keys = ("name", "role", "organisation", "email", "phone")
    contact = compact({key: text(form, f"contact-{key}") for key in keys})
    return compact({"contact": contact}), {}


PARTS = (
    Part("dates", "When the lab ran", ("period", "notice"), parse_dates),
    Part("story", "What happened", ("results_summary", "introduction"), parse_story),
    Part("results", "Promised and achieved", ("outputs_achieved",), parse_results),
    Part("spend", "Budget and spend", ("amount_awarded", "spend"), parse_spend),
    Part("people", "Who took part", ("participants",), parse_people),
    Part("activities", "Activities", ("activities",), parse_activities),
    Part("case-studies", "Case studies", ("case_studies",), parse_case_studies),
    Part("meaning", "What it all meant", ("co_operative_difference", "learning", "challenges", "next_steps"),
         parse_meaning),
    Part("principles", "Principles met", ("principles_met",), parse_principles, whole=("principles_met",)),
    Part("contact", "Contact for readers", ("contact",), parse_contact),
)
ROW_LISTS = {"activities": ("activities",), "case_studies": ("case_studies",)}


def find_report_part(slug: str) -> Part:
    return find_part(PARTS, slug)


def part_of(path: str) -> Part:
    """Which part asks for the field at `path` (for the links from "Still to do")."""
    return part_asking(PARTS, path)


def place_errors(errors: dict[str, list[str]], where: dict[str, str],
                 whole: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Move errors from data paths (outputs_achieved.0.achieved) to the page's fields (results.2.achieved)."""
    placed: dict[str, list[str]] = {}
    for path, messages in errors.items():
        target = path.split(".")[0] if path.split(".")[0] in whole else path
        for data_prefix, page_prefix in sorted(where.items(), key=lambda item: -len(item[0])):
            if path == data_prefix or path.startswith(data_prefix + "."):
                target = (page_prefix + path[len(data_prefix):]).removesuffix(".value")
                break
        placed.setdefault(target, []).extend(messages)
    return placed


def part_values(project: Project, part: Part) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """What the page shows: an unsaved draft with its errors if there is one, else the report so far."""
    draft = get_draft(project, f"report:{part.slug}")
    if draft:
        return draft["values"], draft["errors"]
    so_far = reports.report_so_far(project)
    return {key: copy.deepcopy(so_far[key]) for key in part.fields if key in so_far}, {}


def store_part(project: Project, part: Part, values: dict[str, Any], where: dict[str, str]) -> dict[str, list[str]]:
    """Validate and store one part; on errors keep what was typed as a draft and return the errors, placed."""
    try:
        reports.save_report_part(project, part.fields, values)
    except (ValidationError, LabdocsError) as exc:
        messages = exc.errors if isinstance(exc, LabdocsError) else flatten_messages(exc.messages)
        errors = place_errors(messages, where, part.whole)
        keep_draft(project, f"report:{part.slug}", values, errors)
        return errors
    drop_draft(project, f"report:{part.slug}")
    return {}


def attach_photo(project: Project, form: MultiDict[str, str], index: int) -> tuple[MultiDict[str, str], str]:
    """Store the photo chosen for case study `index` and choose it there; raises LabdocsError if it is not one."""
    upload_file = request.files.get(f"case_studies-{index}-photo")
    if upload_file is None or not upload_file.filename:
        raise LabdocsError("Choose a photo to upload.", {f"case_studies.{index}.photo": ["Choose a photo to upload."]})
    try:
        record = images.save_image(person().org_id, project.id, upload_file.filename,
                                   images.prepare_image(upload_file.stream))
    except LabdocsError as exc:
        raise LabdocsError(exc.message, {f"case_studies.{index}.photo": [exc.message]}) from exc
    chosen = form.copy()
    chosen[f"case_studies-{index}-image"] = record.id
    return chosen, f"Uploaded {record.filename} ({record.width} × {record.height} pixels) for case study {index + 1}."


@bp.get("/projects/<project_id>/report")
@signed_in
def edit(project_id: str) -> Any:
    """The report's parts and where each stands, its checks against the bid, and its downloads."""
    project = project_for(project_id)
    report = reports.get_report(project)
    so_far = reports.report_so_far(project)
    missing = report_missing(so_far) if report is None else {}
    assessment = assess(project.bid)
    checks = reports.check_against_bid(project, report.data) if report and assessment.complete else []
    unsaved = unsaved_parts(project, "report")
    return render_template("report/check.html", project=project, report=report, missing=missing,
                           checks=checks, bid_complete=assessment.complete, part_of=part_of, names=REPORT_NAMES,
                           tasks=[part_task(project, number, part, so_far, missing, unsaved)
                                  for number, part in enumerate(PARTS, start=1)])


def part_task(project: Project, number: int, part: Part, so_far: dict[str, Any], missing: dict[str, list[str]],
              unsaved: set[str]) -> Task:
    """How far a part has got, as a row of the task list: Completed when it has all the report needs of it."""
    started = part.slug in unsaved or any(key in so_far for key in part.fields)
    finished = started and part.slug not in unsaved and not lacking(part.fields, missing)
    return Task(part.slug, f"{number}. {part.title}", task_status(started, finished),
                url_for(".section", project_id=project.id, slug=part.slug), UNSAVED if part.slug in unsaved else "")


@bp.get("/projects/<project_id>/report/<slug>")
@signed_in
def section(project_id: str, slug: str) -> Any:
    project = project_for(project_id)
    part = find_report_part(slug)
    values, errors = part_values(project, part)
    return render_part(project, part, values, errors)


@bp.post("/projects/<project_id>/report/<slug>")
@signed_in
def save(project_id: str, slug: str) -> Any:
    return save_from_form(project_for(project_id), find_report_part(slug))


@bp.post("/projects/<project_id>/report/case-studies")
@signed_in
@accepts_upload(images.UPLOAD_BYTES)
def save_case_studies(project_id: str) -> Any:
    """The case studies' part, whose form also carries a photo (so its body may be as large as an upload)."""
    return save_from_form(project_for(project_id), find_report_part("case-studies"))


def save_from_form(project: Project, part: Part) -> Any:
    pressed, index = action(request.form)
    form: MultiDict[str, str] = request.form
    upload_errors: dict[str, list[str]] = {}
    if pressed == "upload-case_studies" and index is not None and part.slug == "case-studies":
        try:
            form, message = attach_photo(project, request.form, index)
            flash(message, "success")
        except LabdocsError as exc:
            upload_errors = exc.errors
    values, where = part.parse(form, project.bid)
    if pressed.startswith("remove-"):  # a removed row is gone before saving
        values = with_row_change(values, pressed, index, ROW_LISTS)
    errors = {**store_part(project, part, values, where), **upload_errors}
    if pressed.startswith(("add-", "remove-", "upload-")) or errors:
        added = pressed.startswith("add-")
        shown = with_row_change(copy.deepcopy(values), pressed, index, ROW_LISTS) if added else values
        return render_part(project, part, shown, errors, saved=not errors), 422 if errors else 200
    if pressed == "continue":
        position = PARTS.index(part)
        following = PARTS[position + 1].slug if position + 1 < len(PARTS) else None
        target = url_for(".section", project_id=project.id, slug=following) if following else \
            url_for(".edit", project_id=project.id)
        return redirect(target, 303)
    return redirect(url_for(".section", project_id=project.id, slug=part.slug, saved=1), 303)


def render_part(project: Project, part: Part, values: dict[str, Any], errors: dict[str, list[str]],
                saved: bool = False) -> str:
    bid = project.bid
    uploaded = [(image.id, image.filename) for image in images.list_images(project.id)]
    return render_template(
        f"report/{part.slug}.html", project=project, part=part, parts=PARTS, position=PARTS.index(part),
        bid=bid, values=values, errors=errors, saved=saved or request.args.get("saved") == "1",
        results={r["output"]: r for r in values.get("outputs_achieved", []) if isinstance(r.get("output"), int)},
        spent={s["budget_line"]: s["spent"] for s in values.get("spend", []) if isinstance(s.get("budget_line"), int)},
        budgets=[format_gbp(line_budget(line)) if "amount" in line else "not set" for line in bid.get("budget", [])],
        requested=bid.get("funding_requested"), partners=partner_names(bid), principles=PRINCIPLES,
        images=uploaded + list(BUNDLED), names=page_names(bid))


def page_names(bid: dict[str, Any]) -> dict[str, str]:
    """The error summary's names for this page's fields where the bid's words would mislead."""
    people = {f"people.{index}": f"From {name}" for index, name in enumerate(partner_names(bid))}
    return {**REPORT_NAMES, **people}


@bp.post("/projects/<project_id>/images")
@signed_in
@accepts_upload(images.UPLOAD_BYTES)
def upload(project_id: str) -> Any:
    """Upload a photo for a zine; come back to the page it was uploaded from."""
    project = project_for(project_id)
    back = safe_next(request.form.get("back"), url_for(".section", project_id=project.id, slug="case-studies"))
    upload_file = request.files.get("file")
    if upload_file is None or not upload_file.filename:
        flash("Choose a photo to upload.", "error")
        return redirect(back, 303)
    try:
        record = images.save_image(person().org_id, project.id, upload_file.filename,
                                   images.prepare_image(upload_file.stream))
    except LabdocsError as exc:
        flash(exc.message, "error")
        return redirect(back, 303)
    flash(f"Uploaded {record.filename} ({record.width} × {record.height} pixels). Choose it below.", "success")
    return redirect(back, 303)
