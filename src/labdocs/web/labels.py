"""Field paths (budget.2.amount) as a person would name the field: "Budget line 3: amount"."""

from __future__ import annotations

from labdocs.domain.funder_form import AIMS

NAMES = {
    "title": "Project title", "funding_round": "Funding round", "lead_organisation": "Organisation leading the project",
    "funding_requested": "Funding requested", "contact": "Lead contact", "contact.name": "Lead councillor or officer",
    "contact.job_title": "Job title", "contact.phone": "Contact telephone", "contact.email": "Contact email",
    "summary": "Summary", "partners": "Partners", "budget": "Budget", "idea": "Your idea",
    "workstreams": "Workstreams", "outcomes.inputs": "Inputs", "outcomes.outputs": "Outputs",
    "outcomes.outcomes": "Outcomes", "walking_the_talk": "Walking the talk",
    "values_and_principles": "Values and principles", "sharing_learning": "Sharing learning",
    "co_operative_difference_agreed": "Declaration", "period.start": "Start date", "period.end": "End date",
    "participants.total": "Total participants", "co_operative_difference": "The co-operative difference",
    "learning": "Learning", "challenges": "Challenges", "next_steps": "Next steps", "notice": "Notice",
    **{f"aims.{aim.key}": aim.title for aim in AIMS},
}
# The report's own words where a path means something else in the bid (its contact is the public one).
REPORT_NAMES = {
    "contact.name": "Contact name", "contact.email": "Contact email", "contact.role": "Contact role",
    "contact.organisation": "Contact organisation", "contact.phone": "Contact telephone",
    "amount_awarded": "Grant awarded", "results_summary": "Summary of results", "introduction": "Introduction",
    "principles_met": "Principles met", "period": "When the lab ran",
}
ROWS = {"partners": "Partner", "results": "Output", "budget": "Budget line", "outputs": "Output",
        "outputs_achieved": "Output", "spend": "Budget line", "activities": "Activity", "case_studies": "Case study",
        "pages": "Page"}
FIELDS = {"match_funding.amount": "match funding amount", "match_funding.source": "match funding source",
          "quote_by": "who said it", "alt": "description of the image", "job_title": "job title"}


def describe_path(path: str) -> str:
    """A field's name for an error summary: "budget.2.amount" → "Budget line 3: amount"."""
    if path in NAMES:
        return NAMES[path]
    parts = path.split(".")
    for position, part in enumerate(parts):
        if part.isdigit() and position > 0 and parts[position - 1] in ROWS:
            rest = ".".join(parts[position + 1:])
            row = f"{ROWS[parts[position - 1]]} {int(part) + 1}"
            return f"{row}: {FIELDS.get(rest, rest.replace('_', ' '))}" if rest else row
    return path.replace("_", " ").replace(".", ": ").capitalize()
