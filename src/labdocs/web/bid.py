"""The bid, section by section, as the application form asks it; saved as it goes, nothing typed lost."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from labdocs import projects
from labdocs.domain.funder_form import AIMS, FORM, QUESTIONS, SUMMARY_WORD_LIMIT
from labdocs.domain.money import format_gbp, parse_money, to_decimal
from labdocs.domain.rules import checklist
from labdocs.domain.text import count_words
from labdocs.drafts import drop_draft, get_draft, keep_draft
from labdocs.infra.models import Project
from labdocs.render.paste import paste_answer, words_note
from labdocs.schemas.bid import BID_PARTS, PARTNER_KINDS
from labdocs.schemas.errors import flatten_messages
from labdocs.web.forms import action, compact, find_part, lines, number, part_asking, rows, text, whole, with_row_change
from labdocs.web.session import person, signed_in
from labdocs.web.tasks import CANNOT_START, COMPLETED, NOT_STARTED, UNSAVED, Task, task_status, unsaved_parts

bp = Blueprint("bid", __name__)
Parser = Callable[[MultiDict[str, str]], dict[str, Any]]


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    fields: tuple[str, ...]
    parse: Parser


def parse_project(form: MultiDict[str, str]) -> dict[str, Any]:
    return compact({key: text(form, key) for key in ("title", "funding_round", "lead_organisation",
                                                      "funding_requested")})


def parse_contact(form: MultiDict[str, str]) -> dict[str, Any]:
    contact = compact({key: text(form, f"contact-{key}") for key in ("name", "job_title", "phone", "email")})
    return {"contact": contact} if contact else {}


def parse_summary(form: MultiDict[str, str]) -> dict[str, Any]:
    return compact({"summary": text(form, "summary")})


def parse_partners(form: MultiDict[str, str]) -> dict[str, Any]:
    return {"partners": [compact({"name": row.get("name"), "kind": row.get("kind")})
                         for row in rows(form, "partners")]}


def parse_budget(form: MultiDict[str, str]) -> dict[str, Any]:
    lines_ = []
    for row in rows(form, "budget"):
        match = compact({"amount": row.get("match_amount"), "source": row.get("match_source")})
        quantity = whole(row.get("quantity") or None)
        lines_.append(compact({"description": row.get("description"), "amount": row.get("amount"),
                               "quantity": 1 if quantity is None else quantity, "match_funding": match or None}))
    return {"budget": lines_}


def parse_idea(form: MultiDict[str, str]) -> dict[str, Any]:
    return {"idea": form.get("idea", "").strip(), "workstreams": lines(form, "workstreams")}


def parse_outcomes(form: MultiDict[str, str]) -> dict[str, Any]:
    outputs = [{"description": row.get("description", ""), "target": number(row.get("target") or None),
                "unit": row.get("unit") or None} for row in rows(form, "outputs")]
    return {"outcomes": {"inputs": lines(form, "inputs"), "outputs": outputs, "outcomes": lines(form, "outcomes")}}


def parse_aims(form: MultiDict[str, str]) -> dict[str, Any]:
    return {"aims": {aim.key: form.get(f"aims-{aim.key}", "").strip() for aim in AIMS},
            "walking_the_talk": form.get("walking_the_talk", "").strip()}


def parse_values(form: MultiDict[str, str]) -> dict[str, Any]:
    return {key: form.get(key, "").strip() for key in ("values_and_principles", "sharing_learning")}


def parse_declaration(form: MultiDict[str, str]) -> dict[str, Any]:
    return {"co_operative_difference_agreed": form.get("co_operative_difference_agreed") == "yes"}


SECTIONS = (
    Section("project", "About the project", BID_PARTS["project"], parse_project),
    Section("contact", "Lead contact", BID_PARTS["contact"], parse_contact),
    Section("summary", "Summary", BID_PARTS["summary"], parse_summary),
    Section("partners", "Partners", BID_PARTS["partners"], parse_partners),
    Section("budget", "Budget", BID_PARTS["budget"], parse_budget),
    Section("idea", "Your idea", BID_PARTS["idea"], parse_idea),
    Section("outcomes", "Outcomes", BID_PARTS["outcomes"], parse_outcomes),
    Section("aims", "The network's aims", BID_PARTS["aims"], parse_aims),
    Section("values", "Values and sharing learning", BID_PARTS["values"], parse_values),
    Section("declaration", "Declaration", BID_PARTS["declaration"], parse_declaration),
)
ROW_LISTS = {"partners": ("partners",), "budget": ("budget",), "outputs": ("outcomes", "outputs")}


def find_section(slug: str) -> Section:
    return find_part(SECTIONS, slug)


def section_values(project: Project, section: Section) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """What the form shows: an unsaved draft with its errors if there is one, else the saved bid."""
    draft = get_draft(project, f"bid:{section.slug}")
    if draft:
        return draft["values"], draft["errors"]
    return {key: project.bid.get(key) for key in section.fields if key in project.bid}, {}


def save_section(project: Project, section: Section, values: dict[str, Any]) -> dict[str, list[str]]:
    """Validate and store one section; on errors keep what was typed as a draft and return the errors."""
    try:
        projects.save_part(project, section.fields, values)
    except ValidationError as exc:
        errors = flatten_messages(exc.messages)
        keep_draft(project, f"bid:{section.slug}", values, errors)
        return errors
    drop_draft(project, f"bid:{section.slug}")
    return {}


@bp.post("/projects/new")
@signed_in
def new() -> Response:
    project = projects.start_project(person().org_id)
    return redirect(url_for(".tasks", project_id=project.id), 303)  # type: ignore[return-value]


@bp.get("/projects/<project_id>/bid/<slug>")
@signed_in
def section(project_id: str, slug: str) -> str:
    project = projects.get_project(person().org_id, project_id)
    part = find_section(slug)
    values, errors = section_values(project, part)
    return render_page(project, part, values, errors)


@bp.post("/projects/<project_id>/bid/<slug>")
@signed_in
def save(project_id: str, slug: str) -> Any:
    project = projects.get_project(person().org_id, project_id)
    part = find_section(slug)
    pressed, index = action(request.form)
    values = part.parse(request.form)
    if pressed.startswith("remove-"):  # a removed row is gone before saving
        values = with_row_change(values, pressed, index, ROW_LISTS)
    errors = save_section(project, part, values)
    if pressed.startswith(("add-", "remove-")):  # an added row is empty, shown but not saved
        added = pressed.startswith("add-")
        shown = with_row_change(copy.deepcopy(values), pressed, index, ROW_LISTS) if added else values
        return render_page(project, part, shown, errors, saved=not errors)
    if errors:
        return render_page(project, part, values, errors), 422
    problems = keep_completed(project, part, request.form.get("completed"))
    if problems:  # the part was saved (a change, so 200 and in the audit trail), only its "Yes" was not taken
        return render_page(project, part, section_values(project, part)[0], problems)
    if pressed == "continue":  # back to the task list, or to check your answers if a Change link led here
        target = url_for(".check", project_id=project.id, _anchor=f"part-{slug}") if returning() else \
            url_for(".tasks", project_id=project.id)
        return redirect(target, 303)
    return redirect(url_for(".section", project_id=project.id, slug=slug, saved=1, **return_args()), 303)


NOT_FINISHED = ("Your answers are saved, but this part is not finished: fill in what is listed, or choose "
                "“No, I’ll come back later”.")


def keep_completed(project: Project, part: Section, answer: str | None) -> dict[str, list[str]]:
    """Keep the answer to "Have you completed this section?" (none given: the last answer stands).

    Yes is kept only for a part that validates as finished; otherwise what it lacks, to show on the page.
    """
    if answer not in ("yes", "no"):
        return {}
    problems = projects.part_problems(project, part.fields) if answer == "yes" else {}
    projects.set_completed(project, "bid", part.slug, answer == "yes" and not problems)
    return {**problems, "completed": [NOT_FINISHED]} if problems else {}


def returning() -> bool:
    """Whether the page was opened from check your answers (its Change links), so saving goes back there."""
    return (request.form.get("return") or request.args.get("return")) == "check"


def return_args() -> dict[str, Any]:
    return {"return": "check"} if returning() else {}


def render_page(project: Project, part: Section, values: dict[str, Any], errors: dict[str, list[str]],
                saved: bool = False) -> str:
    position = SECTIONS.index(part)
    answered = projects.completed_parts(project, "bid").get(part.slug)
    completed = request.form.get("completed") or {True: "yes", False: "no", None: None}[answered]
    return render_template(
        f"bid/{part.slug}.html", project=project, section=part, sections=SECTIONS, position=position,
        values=values, errors=errors, saved=saved or request.args.get("saved") == "1",
        questions=QUESTIONS, aims=AIMS, kinds=PARTNER_KINDS, word_limit=SUMMARY_WORD_LIMIT,
        words=count_words(values.get("summary") or ""), totals=budget_totals(project, values),
        completed=completed, returning=returning(), names=COMPLETED_NAME)


COMPLETED_NAME = {"completed": "Have you completed this section?"}


def budget_totals(project: Project, values: dict[str, Any]) -> dict[str, str]:
    """The running total of the budget lines against the amount asked for, as shown on the budget page.

    Lines whose amount or quantity is not (yet) a number count as nothing; the page says what is wrong.
    """
    total = to_decimal(0)
    for line in values.get("budget") or project.bid.get("budget") or []:
        try:
            amount = parse_money(line.get("amount") or 0)
            quantity = int(line.get("quantity") or 1)
        except (ArithmeticError, ValueError, TypeError):
            continue
        total += amount * quantity
    requested = project.bid.get("funding_requested")
    return {"total": format_gbp(total), "requested": format_gbp(to_decimal(requested)) if requested else "not set",
            "requested_raw": str(requested or "")}


def part_tasks(project: Project) -> list[Task]:
    """The ten parts as a task list: Completed only when the lab lead said so and the part validates."""
    answers = projects.completed_parts(project, "bid")
    unsaved = unsaved_parts(project, "bid")
    found = []
    for place, part in enumerate(SECTIONS, start=1):
        started = part.slug in unsaved or part.slug in answers or any(key in project.bid for key in part.fields)
        finished = answers.get(part.slug) is True and part.slug not in unsaved and \
            not projects.part_problems(project, part.fields)
        found.append(Task(part.slug, f"{place}. {part.title}", task_status(started, finished),
                          url_for(".section", project_id=project.id, slug=part.slug),
                          UNSAVED if part.slug in unsaved else ""))
    return found


@bp.get("/projects/<project_id>/bid")
@signed_in
def tasks(project_id: str) -> str:
    """The bid's task list: its ten parts with where each stands, then checking the answers and the download.

    No part waits for another (each can be filled in first); checking the answers waits for a whole bid, as the
    download does.
    """
    project = projects.get_project(person().org_id, project_id)
    assessment = projects.assess(project.bid)
    parts = part_tasks(project)
    count = len(assessment.missing)
    final = Task("check", "Check your answers and download the draft",
                 NOT_STARTED if assessment.complete else CANNOT_START,
                 url_for(".check", project_id=project.id) if assessment.complete else None,
                 "" if assessment.complete else
                 f"Fill in every part first: {count} thing{'' if count == 1 else 's'} still to do.")
    return render_template("bid/tasks.html", project=project, parts=parts, final=final,
                           done=sum(task.status == COMPLETED for task in parts))


def answer_rows(project: Project) -> list[tuple[Section, list[dict[str, Any]]]]:
    """Check your answers: each question of the funder's form in its words, with the answer as it will be pasted,
    under the part that asks it; the two things the bid keeps that the form does not ask come last in theirs."""
    by_part: dict[str, list[dict[str, Any]]] = {part.slug: [] for part in SECTIONS}
    for place, question in enumerate(FORM, start=1):
        item = paste_answer(place, question, project.bid)
        label = question.question
        if question.heading:  # an aim's box: "We will do:" under the aim's name
            label = f"{question.heading.removesuffix('.').split('. CCIN says:')[0]}: {label}"
        part = section_of(question.key)
        note = "; ".join(text for text in (words_note(item) if item["word_limit"] else "", item["note"]) if text)
        by_part[part.slug].append({"key": question.key, "question": label, "answer": item["answer"], "note": note})
    workstreams = "\n".join(project.bid.get("workstreams") or [])
    for key, label, value in (("funding_round", "Funding round", project.bid.get("funding_round") or ""),
                              ("workstreams", QUESTIONS["workstreams"], workstreams)):
        note = "Kept with the bid; not a box on the funder's form." if value else "Not answered yet."
        by_part[section_of(key).slug].append({"key": key, "question": label, "answer": value, "note": note})
    return [(part, by_part[part.slug]) for part in SECTIONS]


@bp.get("/projects/<project_id>/bid/check")
@signed_in
def check(project_id: str) -> str:
    """Check your answers: each answer with a Change link, what is still missing, the funder's checklist, and the
    draft to download."""
    project = projects.get_project(person().org_id, project_id)
    assessment = projects.assess(project.bid)
    drafted = unsaved_parts(project, "bid")
    unsaved = [section for section in SECTIONS if section.slug in drafted]
    return render_template("bid/check.html", project=project, assessment=assessment, rows=answer_rows(project),
                           checklist=checklist(assessment.checks) if assessment.complete else [],
                           unsaved=unsaved, section_of=section_of)


@bp.get("/projects/import")
@signed_in
def import_form() -> str:
    """Import an entry already made on the network's form: paste its text or choose its .txt export."""
    return render_template("bid/import.html", errors={})


@bp.post("/projects/import")
@signed_in
def import_entry() -> Any:
    upload = request.files.get("entry_file")
    raw = upload.read(projects.MAX_ENTRY_CHARS + 1) if upload and upload.filename else b""
    try:
        text = raw.decode("utf-8") if len(raw) <= projects.MAX_ENTRY_CHARS else "x" * len(raw)  # refused: too large
        text = text or request.form.get("entry", "")
    except UnicodeDecodeError:
        errors = {"entry_file": ["The file is not UTF-8 text: save the entry as text (.txt) and try again."]}
        return render_template("bid/import.html", errors=errors), 422
    project = projects.import_entry(person().org_id, text)
    return redirect(url_for(".imported", project_id=project.id), 303)


@bp.get("/projects/<project_id>/bid/imported")
@signed_in
def imported(project_id: str) -> str:
    """What the import recognised and what needs a person, then on to check the bid."""
    project = projects.get_project(person().org_id, project_id)
    report = (get_draft(project, "import") or {}).get("values") or {"recognised": [], "needs_person": []}
    return render_template("bid/imported.html", project=project, report=report)


@bp.get("/projects/<project_id>/bid/ready")
@signed_in
def ready(project_id: str) -> str | tuple[str, int]:
    """Ready for the funder's form: each box of the form with its answer to copy and paste."""
    project = projects.get_project(person().org_id, project_id)
    assessment = projects.assess(project.bid)
    if not assessment.complete:
        return render_template("bid/ready.html", project=project, answers=[], assessment=assessment,
                               section_of=section_of), 422
    return render_template("bid/ready.html", project=project, answers=projects.paste_sheet(project),
                           assessment=assessment, section_of=section_of)


def section_of(path: str) -> Section:
    """Which section asks for the field at `path` (for "change" links from the check page)."""
    return part_asking(SECTIONS, path)
