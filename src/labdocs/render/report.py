"""The final report: the bid's promises beside what happened, as one context for DOCX and PDF."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from labdocs.domain.crosscheck import grant, results_by_output, spend_by_line
from labdocs.domain.funder_form import AIMS
from labdocs.domain.money import format_gbp, to_decimal
from labdocs.domain.principles import PRINCIPLES
from labdocs.domain.rules import line_budget
from labdocs.domain.text import figure, to_blocks, where_characters
from labdocs.render import Rendered, RenderError, RenderFault, Sources, file_bytes
from labdocs.render.accessibility import check_pdf
from labdocs.render.charts import Chart, Group
from labdocs.render.docx import Picture, render_docx
from labdocs.render.palette import css_variables
from labdocs.render.pdf import MissingGlyphs, render_html, render_pdf

# The Word report is set in Arial: its charts are painted in Liberation Sans, drawn to Arial's metrics (OFL).
CHART_FONT = "fonts/liberation-sans/LiberationSans-Regular.ttf"
REFLECTIONS = (("learning", "Learning"), ("challenges", "Challenges"), ("next_steps", "Next steps"))


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def in_words(names: list[str]) -> str:
    """A, B and C."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def subject(title: str, period: Mapping[str, Any]) -> str:
    """The PDF's subject: never "the X Policy Lab policy lab"."""
    lab = title if "policy lab" in title.lower() else f"{title} policy lab"
    start, end = (long_date(date.fromisoformat(period[key])) for key in ("start", "end"))
    return f"Final report of the {lab}, {start} to {end}."


def principles(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The network principles the lab met, in the network's own words and order."""
    chosen = set(report.get("principles_met") or ())
    return [{"title": "" if item.text.startswith(item.title) else item.title, "text": item.text,
             "points": list(item.points)} for item in PRINCIPLES if item.key in chosen]


def report_context(bid: Mapping[str, Any], report: Mapping[str, Any], today: date) -> dict[str, Any]:
    """Everything both formats show, formatted; images and charts stay abstract (each format places them)."""
    period = report["period"]
    outputs = output_rows(bid, report)
    budget = budget_context(bid, report)
    summary = to_blocks(bid["summary"])
    results = to_blocks(report.get("results_summary", ""))
    return {
        "title": bid["title"],
        "subject": subject(bid["title"], report["period"]),
        "funding_round": bid["funding_round"],
        "lead_organisation": bid["lead_organisation"],
        "partners": [partner["name"] for partner in bid["partners"]],
        "partners_text": in_words([partner["name"] for partner in bid["partners"]]),
        "introduction": to_blocks(report.get("introduction", "")),
        "principles": principles(report),
        "contact": report.get("contact"),
        "period": f"{long_date(date.fromisoformat(period['start']))} to {long_date(date.fromisoformat(period['end']))}",
        "notice": report["notice"],
        "generated_on": long_date(today),
        "headline": headline(report, outputs, budget),
        # What happened, in the past tense; without it, the bid's plan, said to be one.
        "summary_title": "What happened" if results else "What the lab set out to do",
        "summary_text": results or summary[:1],
        "outputs": outputs,
        "outputs_chart": outputs_chart(outputs),
        **budget,
        **participants_context(report),
        "activities": activity_rows(report),
        "case_studies": case_study_rows(report),
        "co_operative_difference": to_blocks(report["co_operative_difference"]),
        "reflections": [{"id": key.replace("_", "-"), "title": title, "blocks": to_blocks(report[key])}
                        for key, title in REFLECTIONS if report[key].strip()],
        "original_summary": summary,
        "aims": [{"title": aim.title, "ccin_says": aim.ccin_says,
                  "blocks": to_blocks(bid["aims"][aim.key]) or [{"bullet": False, "text": "Not answered."}]}
                 for aim in AIMS],
        "contents": contents(report),
    }


def output_rows(bid: Mapping[str, Any], report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every promised output beside its result: met, not met, no target, or not reported."""
    results = results_by_output(bid, report)
    rows = []
    for index, output in enumerate(bid["outcomes"]["outputs"]):
        target, unit = output.get("target"), output.get("unit") or ""
        result = results.get(index)
        achieved = result["achieved"] if result else None
        if result is None:
            status, css = "Not reported", "unmet"
        elif target is None:
            status, css = "Delivered (no target set)", "none"
        else:
            status, css = ("Met", "met") if achieved >= target else ("Not met", "unmet")
        rows.append({
            "number": index + 1,
            "description": output["description"],
            "target": target,
            "achieved_value": achieved,
            "promised": f"{figure(target)} {unit}".strip() if target is not None else "No target set",
            "achieved": f"{figure(achieved)} {unit}".strip() if achieved is not None else "Not reported",
            "status": status,
            "status_class": css,
            "evidence": result["evidence"] if result else "",
        })
    return rows


def outputs_chart(rows: list[dict[str, Any]]) -> Chart | None:
    """Promised against achieved, for the outputs that had a numeric target."""
    charted = [row for row in rows if row["target"] is not None]
    if not charted:
        return None
    groups = tuple(Group(f"{row['number']}. {row['description']}", (row["target"], row["achieved_value"]),
                         (row["promised"], row["achieved"])) for row in charted)
    parts = [f"output {row['number']}, {row['promised']} promised and {row['achieved']} achieved "
             f"({row['status'].lower()})" for row in charted]
    left_out = len(rows) - len(charted)
    extra = (" 1 output had no numeric target and is not charted." if left_out == 1 else
             f" {left_out} outputs had no numeric target and are not charted." if left_out else "")
    return Chart("Promised and achieved, for outputs with a target",
                 "Bar chart of promised against achieved: " + "; ".join(parts) + "." + extra,
                 ("Promised", "Achieved"), groups)


def budget_context(bid: Mapping[str, Any], report: Mapping[str, Any]) -> dict[str, Any]:
    spent = spend_by_line(bid, report)
    rows = []
    for index, line in enumerate(bid["budget"]):
        budget, used = line_budget(line), spent.get(index, Decimal(0))
        rows.append({"number": index + 1, "description": line["description"], "budget_value": budget,
                     "spent_value": used, "budget": format_gbp(budget), "spent": format_gbp(used),
                     "variance": variance(budget, used), "over": used > budget})
    total_budget = sum((row["budget_value"] for row in rows), Decimal(0))
    total_spent = sum((row["spent_value"] for row in rows), Decimal(0))
    requested = to_decimal(bid["funding_requested"])
    amount, _ = grant(bid, report)
    return {
        "budget": rows,
        "budget_total": format_gbp(total_budget),
        "spent_total": format_gbp(total_spent),
        "spent_total_value": total_spent,
        "variance_total": variance(total_budget, total_spent),
        "spent_over": total_spent > total_budget,
        "requested": format_gbp(requested),
        "grant": format_gbp(amount),
        "grant_variance": variance(amount, total_spent),
        "over_grant": total_spent > amount,
        "budget_note": budget_note(total_spent, amount),
        "budget_chart": budget_chart(rows),
    }


def variance(budget: Decimal, spent: Decimal) -> str:
    if spent == budget:
        return "On budget"
    return f"{format_gbp(abs(budget - spent))} {'under' if spent < budget else 'over'}"


def budget_note(spent: Decimal, amount: Decimal) -> str:
    """Spend against the grant, in pounds (the bid's own arithmetic is the coordinator's check, not printed)."""
    if spent > amount:
        return (f"The lab spent {format_gbp(spent)} against a grant of {format_gbp(amount)}: "
                f"{format_gbp(spent - amount)} more than the grant.")
    if spent == amount:
        return f"The lab spent the whole grant of {format_gbp(amount)}."
    return (f"The lab spent {format_gbp(spent)} of its {format_gbp(amount)} grant, "
            f"leaving {format_gbp(amount - spent)} unspent.")


def budget_chart(rows: list[dict[str, Any]]) -> Chart:
    groups = tuple(Group(f"{row['number']}. {row['description']}", (float(row["budget_value"]),
                         float(row["spent_value"])), (row["budget"], row["spent"])) for row in rows)
    parts = [f"line {row['number']}, {row['budget']} budgeted and {row['spent']} spent" for row in rows]
    return Chart("Budget and spend by budget line",
                 "Bar chart of budget against spend: " + "; ".join(parts) + ".", ("Budget", "Spent"), groups)


def participants_context(report: Mapping[str, Any]) -> dict[str, Any]:
    participants = report["participants"]
    total = participants["total"]
    rows = [{"name": name, "count": count, "share": f"{count / total:.0%}" if total else "–"}
            for name, count in sorted(participants["by_partner"].items(), key=lambda item: -item[1])]
    return {"participants": rows, "participants_total": total}


def activity_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"date": long_date(date.fromisoformat(activity["date"])), "title": activity["title"],
             "description": activity["description"],
             "attendees": activity["attendees"] if activity["attendees"] is not None else "–"}
            for activity in sorted(report["activities"], key=lambda a: a["date"])]


def case_study_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"title": study["title"], "story": to_blocks(study["story"]), "quote": study["quote"],
             "quote_by": study["quote_by"],
             "image": {"ref": study["image"], "alt": study["alt"]} if study["image"] else None}
            for study in report["case_studies"]]


def headline(report: Mapping[str, Any], outputs: list[dict[str, Any]], budget: Mapping[str, Any]) -> list[dict]:
    """The figures on the summary page: people, sessions, outputs delivered, and spend against the grant.

    Only what the report records: nothing reported is not "0 people" or "0 of 5 delivered".
    """
    figures = []
    if report["participants"]["total"]:
        figures.append({"value": figure(report["participants"]["total"]), "label": "people took part"})
    if report["activities"]:
        figures.append({"value": str(len(report["activities"])), "label": "sessions and events"})
    if report["outputs_achieved"]:
        figures.append(outputs_figure(outputs))
    if report["spend"]:
        label = (f"spent, {budget['grant_variance']} the {budget['grant']} grant" if budget["over_grant"]
                 else f"spent of the {budget['grant']} grant")
        figures.append({"value": budget["spent_total"], "label": label})
    return figures


def outputs_figure(outputs: list[dict[str, Any]]) -> dict[str, str]:
    """How many promised outputs were delivered, and how many of those with a target met it."""
    delivered = sum(row["status_class"] in ("met", "none") for row in outputs)
    targets = [row for row in outputs if row["target"] is not None]
    label = "promised outputs delivered"
    if len(targets) == len(outputs):
        label = "promised outputs met their target"
    elif targets:
        met = sum(row["status"] == "Met" for row in targets)
        label += f" ({met} of {len(targets)} with a target met it)"
    return {"value": f"{delivered} of {len(outputs)}", "label": label}


def contents(report: Mapping[str, Any]) -> list[dict[str, str]]:
    entries = [("context", "Context")] if report.get("introduction", "").strip() else []
    if report.get("principles_met"):
        entries.append(("principles", "Principles met"))
    entries += [("outputs", "Promised and achieved"), ("budget", "Budget and spend"),
               ("participants", "Who took part"), ("activities", "Activities")]
    if report["case_studies"]:
        entries.append(("case-studies", "Case studies"))
    entries.append(("difference", "The co-operative difference"))
    entries += [(key.replace("_", "-"), title) for key, title in REFLECTIONS if report[key].strip()]
    if report.get("contact"):
        entries.append(("contact", "For further information"))
    entries.append(("appendix", "Appendix: the original bid"))
    return [{"id": key, "title": title} for key, title in entries]


# --- the two formats ----------------------------------------------------------------------------


def render_report_pdf(sources: Sources, payload: Mapping[str, Any]) -> Rendered:
    """The report as a tagged PDF/UA-1, checked for accessibility."""
    context = report_context(payload["bid"], payload["report"], date.fromisoformat(payload["generated_on"]))
    resources: dict[str, tuple[bytes, str]] = {}
    for name in ("outputs", "budget"):
        chart = context[f"{name}_chart"]
        if chart is not None:
            resources[f"labdocs:chart/{name}.svg"] = (chart.svg().encode(), "image/svg+xml")
    for number, study in enumerate(context["case_studies"]):
        if study["image"]:
            url = f"labdocs:image/case-study-{number}"
            resources[url] = (sources.image(study["image"]["ref"], payload), "image/*")
            study["image"]["src"] = url
    html = render_html(sources.templates, "report.html", context)
    try:
        data = render_pdf(html, sources.templates / "html" / "report.css", sources.assets, resources)
    except MissingGlyphs as exc:
        places = "; ".join(where_characters(exc.characters, payload["report"], payload["bid"]))
        raise RenderError("Some characters cannot be printed in the PDF: no font labdocs has draws them, so they "
                          f"would be empty boxes (and the PDF could not be accessible). They are: {places}. Take "
                          "them out or write them in words, then ask for the PDF again. The Word and web page "
                          "versions can carry them.") from None
    findings = check_pdf(data)
    failed = [finding.message for finding in findings if not finding.passed]
    if failed:
        raise RenderFault("The PDF failed labdocs' own accessibility check (" + " ".join(failed) + "), so no file "
                          "claiming PDF/UA was made.")
    return Rendered(data, findings=[finding.as_dict() for finding in findings])


def render_report_html(sources: Sources, payload: Mapping[str, Any]) -> Rendered:
    """The report as one self-contained, accessible web page (GOV.UK's advice is to publish HTML, not PDF)."""
    today = date.fromisoformat(payload["generated_on"])
    context = report_context(payload["bid"], payload["report"], today)
    for name in ("outputs", "budget"):
        chart = context[f"{name}_chart"]
        context[f"{name}_chart_svg"] = Markup(chart.svg()) if chart else ""  # the chart escapes its own text
    for study in context["case_studies"]:
        if study["image"]:
            data = sources.image(study["image"]["ref"], payload)
            study["image"]["src"] = f"data:{image_type(data)};base64,{base64.b64encode(data).decode()}"
    css = file_bytes(sources.templates / "html" / "report-web.css").decode("utf-8")  # read once per version
    html = render_html(sources.templates, "report-web.html", {**context, "web": True,
                                                               "css": Markup(css_variables() + "\n" + css)})
    return Rendered(html.encode("utf-8"))


def image_type(data: bytes) -> str:
    """The media type of a stored picture (uploads are re-encoded as JPEG, PNG or WebP)."""
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data[8:12] == b"WEBP":
        return "image/webp"
    return "image/jpeg"


def render_report_docx(sources: Sources, payload: Mapping[str, Any]) -> Rendered:
    """The report as an editable Word document with real headings, tables and described charts."""
    today = date.fromisoformat(payload["generated_on"])
    context = report_context(payload["bid"], payload["report"], today)
    for name in ("outputs", "budget"):
        chart = context[f"{name}_chart"]
        context[f"{name}_chart"] = Picture(chart.png(sources.assets / CHART_FONT), chart.alt, 160) if chart else None
        context[f"{name}_caption"] = chart.title if chart else ""
    for study in context["case_studies"]:
        if study["image"]:
            study["image"] = Picture(sources.image(study["image"]["ref"], payload), study["image"]["alt"], 150)
    template = sources.templates / "docx" / "report.docx"
    return Rendered(render_docx(template, context, today, title=f"{payload['bid']['title']}: final report",
                                subject=context["subject"], author=payload["bid"]["lead_organisation"]))
