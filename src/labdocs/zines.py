"""Zines of a project: drafted from its bid and report, then edited page by page."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from labdocs.access import owned
from labdocs.domain.text import count_words
from labdocs.images import resolve_uploads
from labdocs.infra.db import session
from labdocs.infra.models import Project, Zine
from labdocs.projects import require_complete
from labdocs.reports import get_report
from labdocs.schemas.zine import load_zine

# Words that fit on one text page at the format's type size, with room to spare.
WORD_BUDGET = {"booklet-a5": 150, "minizine-a4": 42, "minizine-letter": 42}
LIST_BUDGET = {"booklet-a5": 9, "minizine-a4": 5, "minizine-letter": 5}


def fit(text: str, words: int) -> str:
    """As many whole sentences of `text` as fit in `words` (at least the first, cut with an ellipsis)."""
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    kept: list[str] = []
    for sentence in sentences:
        if count_words(" ".join([*kept, sentence])) > words:
            break
        kept.append(sentence)
    if kept:
        return " ".join(kept)
    return " ".join(sentences[0].split()[:words]).rstrip(",;:") + "…"


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def text_page(heading: str, body: str, image: str | None = None, alt: str = "") -> dict[str, Any]:
    return {"layout": "text", "heading": heading, "body": body, "image": image, "alt": alt}


def draft(bid: Mapping[str, Any], report: Mapping[str, Any] | None, fmt: str) -> dict[str, Any]:
    """A first draft of eight pages: cover, what and why, the workstreams, a voice from the report,
    the co-operative difference, what happens next, and the partners on the back."""
    words, items = WORD_BUDGET.get(fmt, 150), LIST_BUDGET.get(fmt, 9)  # the schema reports a bad format
    summary = paragraphs(bid["summary"])
    workstreams = bid["workstreams"]
    studies = report["case_studies"] if report else []
    quoted = next((study for study in studies if study["quote"]), None)
    pictured = next((study for study in studies if study["image"]), None)
    difference = report["co_operative_difference"] if report else bid["walking_the_talk"]
    next_steps = (report["next_steps"] if report else "") or bid["sharing_learning"]
    pages = [
        {"layout": "cover", "heading": bid["title"],
         "body": f"{bid['lead_organisation']}\nA policy lab of the Co-operative Councils' Innovation Network"},
        text_page("What this lab is about", fit(summary[0] if summary else bid["idea"], words)),
        text_page("Why it matters", fit(summary[1] if len(summary) > 1 else bid["idea"], words)),
        text_page("What we are working on", "\n".join(f"- {item}" for item in workstreams[:items])),
        {"layout": "quote", "heading": "In their words", "quote": fit(quoted["quote"], words // 2),
         "quote_by": quoted["quote_by"]} if quoted else
        text_page("And also", "\n".join(f"- {item}" for item in workstreams[items:2 * items])),
        text_page("The co-operative difference", fit(difference, words // (2 if pictured else 1)),
                  pictured["image"] if pictured else None, pictured["alt"] if pictured else ""),
        text_page("What happens next", fit(next_steps, words)),
        {"layout": "back", "heading": "Who made this",
         "body": "\n".join([f"- {bid['lead_organisation']}", *(f"- {p['name']}" for p in bid["partners"]),
                            f"Contact: {bid['contact']['email']}"])},
    ]
    return {"title": bid["title"], "subtitle": "A policy lab zine", "format": fmt, "pages": pages}


def create_zine(project: Project, data: dict[str, Any]) -> Zine:
    check_images(project, data)
    zine = Zine(org_id=project.org_id, project_id=project.id, title=data["title"], data=data)
    session().add(zine)
    session().commit()
    return zine


def draft_for(project: Project, options: Mapping[str, Any]) -> dict[str, Any]:
    """A validated draft from the project, with the caller's choices (format, print, theme, title) on top."""
    bid = require_complete(project).bid  # a draft is made from the finished bid
    report = get_report(project)
    fmt = options.get("format", "booklet-a5")
    generated = draft(bid, report.data if report else None, fmt if isinstance(fmt, str) else "")
    return load_zine({**generated, **{k: v for k, v in options.items() if k != "generate"}})


def update_zine(zine: Zine, project: Project, data: dict[str, Any]) -> Zine:
    check_images(project, data)
    zine.data, zine.title = data, data["title"]
    session().commit()
    return zine


def get_zine(org_id: str, zine_id: str) -> Zine:
    return owned(Zine, org_id, zine_id, "zine")


def list_zines(project_id: str) -> list[Zine]:
    query = select(Zine).where(Zine.project_id == project_id).order_by(Zine.updated_at.desc())
    return list(session().scalars(query))


def check_images(project: Project, data: Mapping[str, Any]) -> dict[str, str]:
    """Uploaded images the zine names must be this project's; returns id → stored file key."""
    return resolve_uploads(project.id, {f"pages.{number}.image": page["image"]
                                        for number, page in enumerate(data["pages"])})
