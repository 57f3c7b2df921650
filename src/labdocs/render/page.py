"""The network's page about a funded project, made from the record: what the network retypes from the bid today.

The sections follow the network's own project pages (seeds 000–002): Lead Member, Participating Members, Year,
Type, Principles met (in the network's words), About the project, and how to contact the project lead. Names
are the register's canonical ones, resolved when the page was asked for (the payload's `names`), so this stays
a plain function of its payload. Made as a fragment to paste into the network's site, a standalone accessible
page, and Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from markupsafe import Markup

from labdocs.domain.money import format_gbp, to_decimal
from labdocs.domain.text import to_blocks
from labdocs.render import Rendered, Sources, file_bytes
from labdocs.render.pdf import render_html
from labdocs.render.report import budget_context, headline, long_date, output_rows, principles

TYPE = "Policy Labs"
CONTACT_LINE = "For further information contact the project lead"


def page_context(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Every section of the page, from the bid, the report if there is one, and the register's names."""
    bid, report, names = payload["bid"], payload.get("report"), payload.get("names") or {}
    lead = names.get(bid["lead_organisation"], bid["lead_organisation"])
    members = {lead, *(names.get(partner["name"], partner["name"]) for partner in bid["partners"])}
    return {
        "title": bid["title"],
        "lead": lead,
        "members": sorted(members, key=str.casefold),
        "year": funding_year(bid["funding_round"], payload["generated_on"]),
        "type": TYPE,
        "award": award_facts(payload.get("award")),
        "principles": principles(report) if report else [],
        "about": to_blocks(bid["summary"]),
        "results": results_context(bid, report) if report else None,
        "contact": report.get("contact") if report else None,
        "contact_line": CONTACT_LINE,
    }


def award_facts(award: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """The award as the page's further facts (grant, reference, funder, dates, where), once the bid is funded."""
    if not award:
        return []
    facts = [("Grant awarded", f"{format_gbp(to_decimal(award['amount']))} on {day(award['date'])}"),
             ("Grant reference", award["reference"]), ("Funded by", award["funder"]["name"])]
    if award.get("start") or award.get("end"):
        facts.append(("Project dates", period(award.get("start"), award.get("end"))))
    if award.get("locations"):
        facts.append(("Where", ", ".join(place["name"] for place in award["locations"])))
    return facts


def day(text: str) -> str:
    """A YYYY-MM-DD date as the page writes it (15 March 2024)."""
    return long_date(date.fromisoformat(text))


def period(start: str | None, end: str | None) -> str:
    """The planned project dates, either end possibly not known yet."""
    if start and end:
        return f"{day(start)} to {day(end)}"
    return f"From {day(start)}" if start else f"Until {day(end or '')}"


def funding_year(funding_round: str, generated_on: str) -> str:
    """The round's year ("CCIN Innovation Funding 2024 - Policy Lab" is 2024); the page's year if it names none."""
    found = re.search(r"\b(20\d\d)\b", funding_round)
    return found[1] if found else str(date.fromisoformat(generated_on).year)


def results_context(bid: Mapping[str, Any], report: Mapping[str, Any]) -> dict[str, Any] | None:
    """What the final report says happened: its headline figures and its summary, when it records any."""
    figures = headline(report, output_rows(bid, report), budget_context(bid, report))
    summary = to_blocks(report.get("results_summary") or "")
    return {"figures": figures, "summary": summary} if figures or summary else None


def render_page_html(sources: Sources, payload: Mapping[str, Any]) -> Rendered:
    """A standalone page (styles inline), and the fragment alone as page-fragment.html for the network's site."""
    context = page_context(payload)
    fragment = render_html(sources.templates, "page-body.html", context)
    css = file_bytes(sources.templates / "html" / "page.css").decode("utf-8")
    page = render_html(sources.templates, "page.html", {**context, "body": Markup(fragment), "css": Markup(css)})
    return Rendered(page.encode("utf-8"), files={"page-fragment.html": fragment.encode("utf-8")})


MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|])")
MARKDOWN_LINE_START = re.compile(r"^(\d*)([#+>.)-])")


def md(text: str) -> str:
    """User text as literal Markdown: what Markdown would read as markup (inline, or at a line's start) escaped."""
    escaped = MARKDOWN_INLINE.sub(r"\\\1", " ".join(text.split()))
    return MARKDOWN_LINE_START.sub(r"\1\\\2", escaped)


def md_blocks(blocks: list[Any]) -> list[str]:
    """Paragraphs separated by blank lines; bullets as one list."""
    lines: list[str] = []
    for block in blocks:
        if lines and not (block["bullet"] and lines[-1].startswith("- ")):  # a list's items stay together
            lines.append("")
        lines.append(f"- {md(block['text'])}" if block["bullet"] else md(block["text"]))
    return lines


def render_page_md(sources: Sources, payload: Mapping[str, Any]) -> Rendered:
    """The page as Markdown, for sites and wikis that take it."""
    ctx = page_context(payload)
    lines = [f"# {md(ctx['title'])}", "", f"- **Lead Member:** {md(ctx['lead'])}",
             f"- **Participating Members:** {md(', '.join(ctx['members']))}", f"- **Year:** {md(ctx['year'])}",
             f"- **Type:** {md(ctx['type'])}", *(f"- **{term}:** {md(value)}" for term, value in ctx["award"]), ""]
    if ctx["principles"]:
        lines += ["## Principles met", ""]
        for item in ctx["principles"]:
            lines.append(f"- {md(item['text'])}")
            lines += [f"    - {md(point)}" for point in item["points"]]
        lines.append("")
    lines += ["## About the project", "", *md_blocks(ctx["about"]), ""]
    if ctx["results"]:
        lines += ["## What happened", ""]
        lines += [f"- **{md(f['value'])}** {md(f['label'])}" for f in ctx["results"]["figures"]]
        lines += ["", *md_blocks(ctx["results"]["summary"]), ""]
    lines += contact_md(ctx)
    return Rendered(("\n".join(line.rstrip() for line in lines).strip() + "\n").encode("utf-8"))


def contact_md(ctx: Mapping[str, Any]) -> list[str]:
    lines = ["## Contact", "", f"{md(ctx['contact_line'])}" + (":" if ctx["contact"] else "."), ""]
    contact = ctx["contact"]
    if contact:
        who = ", ".join(part for part in (contact["name"], contact["role"], contact["organisation"]) if part)
        lines += [f"- {md(who)}", f"- Email: {md(contact['email'])}"]
        lines += [f"- Phone: {md(contact['phone'])}"] if contact["phone"] else []
    return lines
