"""The coordinator's report form: each promised output and budget line from the bid, with a box for what happened."""

from __future__ import annotations

import copy
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from labdocs import images, reports
from labdocs.domain.money import format_gbp
from labdocs.domain.rules import line_budget
from labdocs.drafts import drop_draft, get_draft, keep_draft
from labdocs.errors import LabdocsError
from labdocs.http.limits import accepts_upload
from labdocs.infra.models import Project
from labdocs.projects import assess
from labdocs.schemas.errors import flatten_messages
from labdocs.schemas.report import load_report
from labdocs.web.auth import safe_next
from labdocs.web.forms import action, compact, number, rows, text, whole
from labdocs.web.projects import project_for
from labdocs.web.session import person, signed_in

bp = Blueprint("report", __name__)
BUNDLED = (("asset:round-table.png", "Example illustration: a round table"),)


def partner_names(bid: dict[str, Any]) -> list[str]:
    names = [bid.get("lead_organisation")] + [p.get("name") for p in bid.get("partners", [])]
    return [name for name in names if name] + ["Other CCIN members"]


def parse(form: MultiDict[str, str], bid: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The report as the schema wants it, and where each data path's errors belong on the page."""
    where: dict[str, str] = {}
    results: list[dict[str, Any]] = []
    for index, _ in enumerate(bid.get("outcomes", {}).get("outputs", [])):
        achieved = text(form, f"results-{index}-achieved")
        if achieved is not None:
            where[f"outputs_achieved.{len(results)}"] = f"results.{index}"
            results.append({"output": index + 1, "achieved": number(achieved),
                            "evidence": form.get(f"results-{index}-evidence", "").strip()})
    spend: list[dict[str, Any]] = []
    for index, _ in enumerate(bid.get("budget", [])):
        spent = text(form, f"spend-{index}-spent")
        if spent is not None:
            where[f"spend.{len(spend)}"] = f"spend.{index}"
            spend.append({"budget_line": index + 1, "spent": spent})
    by_partner = {}
    for index, name in enumerate(partner_names(bid)):
        count = text(form, f"people-{index}")
        if count is not None:
            where[f"participants.by_partner.{name}"] = f"people.{index}"
            by_partner[name] = whole(count)
    report = compact({
        "period": compact({"start": text(form, "period-start"), "end": text(form, "period-end")}),
        "notice": text(form, "notice"),
        "outputs_achieved": results, "spend": spend,
        "participants": compact({"total": whole(text(form, "participants-total")), "by_partner": by_partner}),
        "activities": [compact({"date": row.get("date"), "title": row.get("title"), "description":
                                row.get("description"), "attendees": whole(row.get("attendees") or None)})
                       for row in rows(form, "activities")],
        "case_studies": [compact({**{key: row.get(key) for key in ("title", "story", "quote", "quote_by", "alt")},
                                  "image": row.get("image") or None}) for row in rows(form, "case_studies")],
        **{key: text(form, key) for key in ("co_operative_difference", "learning", "challenges", "next_steps")},
    })
    return report, where


def place_errors(errors: dict[str, list[str]], where: dict[str, str]) -> dict[str, list[str]]:
    """Move errors from data paths (outputs_achieved.0.achieved) to the page's fields (results.2.achieved)."""
    placed: dict[str, list[str]] = {}
    for path, messages in errors.items():
        target = path
        for data_prefix, page_prefix in sorted(where.items(), key=lambda item: -len(item[0])):
            if path == data_prefix or path.startswith(data_prefix + "."):
                target = page_prefix + path[len(data_prefix):]
                target = target.removesuffix(".value")
                break
        placed.setdefault(target, []).extend(messages)
    return placed


def saved_values(project: Project) -> dict[str, Any]:
    report = reports.get_report(project)
    return copy.deepcopy(report.data) if report else {}


def render(project: Project, values: dict[str, Any], errors: dict[str, list[str]], status: int = 200) -> Any:
    bid = project.bid
    assessment = assess(bid)
    report = reports.get_report(project)
    # The form has no inputs yet for the publishing fields (API and CLI only), so it shows the checks it can fix.
    checks = reports.check_against_bid(project, report.data, publishing=False) if report and assessment.complete else []
    uploaded = [(image.id, image.filename) for image in images.list_images(project.id)]
    return render_template(
        "report.html", project=project, bid=bid, values=values, errors=errors, checks=checks, report=report,
        results={r["output"]: r for r in values.get("outputs_achieved", []) if isinstance(r.get("output"), int)},
        spent={s["budget_line"]: s["spent"] for s in values.get("spend", []) if isinstance(s.get("budget_line"), int)},
        budgets=[format_gbp(line_budget(line)) if "amount" in line else "not set" for line in bid.get("budget", [])],
        partners=partner_names(bid), images=uploaded + list(BUNDLED), saved=request.args.get("saved") == "1",
        bid_complete=assessment.complete), status


@bp.get("/projects/<project_id>/report")
@signed_in
def edit(project_id: str) -> Any:
    project = project_for(project_id)
    draft = get_draft(project, "report")
    if draft:
        return render(project, draft["values"], draft["errors"])
    return render(project, saved_values(project), {})


@bp.post("/projects/<project_id>/report")
@signed_in
def save(project_id: str) -> Any:
    project = project_for(project_id)
    values, where = parse(request.form, project.bid)
    pressed, index = action(request.form)
    for name in ("activities", "case_studies"):
        if pressed == f"remove-{name}" and index is not None and index < len(values.get(name, [])):
            values[name].pop(index)
    try:
        data = load_report(values)
        reports.save_report(project, data)
    except (ValidationError, LabdocsError) as exc:
        messages = exc.errors if isinstance(exc, LabdocsError) else flatten_messages(exc.messages)
        errors = place_errors(messages, where)
        keep_draft(project, "report", values, errors)
        return render(project, with_added_row(values, pressed), errors, 422)
    drop_draft(project, "report")
    if pressed.startswith("add-"):
        return render(project, with_added_row(data, pressed), {})
    return redirect(url_for(".edit", project_id=project.id, saved=1), 303)


def with_added_row(values: dict[str, Any], pressed: str) -> dict[str, Any]:
    shown = copy.deepcopy(values)
    for name in ("activities", "case_studies"):
        if pressed == f"add-{name}":
            shown.setdefault(name, []).append({})
    return shown


@bp.post("/projects/<project_id>/images")
@signed_in
@accepts_upload(images.UPLOAD_BYTES)
def upload(project_id: str) -> Any:
    """Upload a photo for a case study or a zine; come back to the page it was uploaded from."""
    project = project_for(project_id)
    back = safe_next(request.form.get("back"), url_for(".edit", project_id=project.id))
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
