"""The final report: what actually happened, against what the bid promised."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from labdocs.domain.principles import BY_KEY as PRINCIPLE_KEYS
from labdocs.schemas.bid import items, short
from labdocs.schemas.errors import flatten_messages
from labdocs.schemas.fields import (
    MAX_REFERENCE,
    EmailAddress,
    Figure,
    ImageRef,
    Money,
    Text,
    clean_text,
    refuse_non_text,
    whole_number,
)


class Reference(fields.Field[int | str]):
    """Which promised output or budget line: its number as the bid lists it (1 to MAX_REFERENCE) or its wording."""

    default_error_messages = {  # noqa: RUF012  (marshmallow's own convention)
        "invalid": "Give the number (1, 2, …) or the exact description from the bid.",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int | str:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, int):
            if not 1 <= value <= MAX_REFERENCE:
                raise self.make_error("invalid")
            return value
        wording = " ".join(clean_text(refuse_non_text(value)).split()) if isinstance(value, str) else ""
        if not wording:
            raise self.make_error("invalid")
        return wording[:2000]


def count(**kwargs: Any) -> fields.Integer:
    """A whole number of people, from 0 to MAX_FIGURE (a bound, so a 400-digit count never reaches a report)."""
    return whole_number(**kwargs)


class PeriodSchema(Schema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)

    @validates_schema
    def check_order(self, data: dict[str, Any], **_: Any) -> None:
        if "start" in data and "end" in data and data["end"] < data["start"]:
            raise ValidationError("The end must be on or after the start.", "end")


class OutputResultSchema(Schema):
    output = Reference(required=True)
    achieved = Figure(required=True)
    evidence = Text(max_length=5000, load_default="")


class SpendSchema(Schema):
    budget_line = Reference(required=True)
    spent = Money(required=True)


class ParticipantsSchema(Schema):
    total = count(required=True)
    by_partner = fields.Dict(keys=Text(max_length=300, blank=False), values=count(), load_default=dict,
                             validate=validate.Length(max=100, error="Must have at most 100 partners."))


class ActivitySchema(Schema):
    date = fields.Date(required=True)
    title = short(required=True, blank=False)
    description = Text(max_length=5000, load_default="")
    attendees = count(load_default=None, allow_none=True)


class CaseStudySchema(Schema):
    title = short(required=True, blank=False)
    story = Text(max_length=10000, required=True, blank=False)
    quote = Text(max_length=2000, load_default="")
    quote_by = short(load_default="")
    image = ImageRef(load_default=None, allow_none=True)
    alt = Text(max_length=500, load_default="")

    @validates_schema
    def check_alt(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("image") and not data.get("alt"):
            raise ValidationError("Describe the image for people who cannot see it (alt text).", "alt")
        if data.get("quote_by") and not data.get("quote"):
            raise ValidationError("There is a name for the quote but no quote.", "quote")


class ContactSchema(Schema):
    """Who a reader of the published report contacts: the public contact the lab chooses, never assumed."""

    name = short(required=True, blank=False)
    role = short(load_default="")
    organisation = short(load_default="")
    email = EmailAddress(required=True, validate=validate.Length(max=254))
    phone = short(load_default="")


class ReportSchema(Schema):
    """Everything the final report needs beyond the bid."""

    period = fields.Nested(PeriodSchema, required=True)
    # Printed prominently on the title page, e.g. "Draft: not for publication".
    notice = Text(max_length=300, load_default="")
    # What happened, in the past tense: the published summary (the bid's summary is a plan, in the future tense).
    results_summary = Text(max_length=5000, load_default="")
    introduction = Text(max_length=10000, load_default="")
    principles_met = items(fields.String(validate=validate.OneOf(
        tuple(PRINCIPLE_KEYS), error="Must be one of: " + ", ".join(PRINCIPLE_KEYS) + ".")), len(PRINCIPLE_KEYS),
        load_default=list)
    contact = fields.Nested(ContactSchema, load_default=None, allow_none=True)
    # The grant actually awarded, where it differs from the amount the bid asked for.
    amount_awarded = Money(load_default=None, allow_none=True)
    outputs_achieved = items(fields.Nested(OutputResultSchema), 50, load_default=list)
    spend = items(fields.Nested(SpendSchema), 200, load_default=list)
    participants = fields.Nested(ParticipantsSchema, load_default=lambda: {"total": 0, "by_partner": {}})
    activities = items(fields.Nested(ActivitySchema), 200, load_default=list)
    case_studies = items(fields.Nested(CaseStudySchema), 20, load_default=list)
    co_operative_difference = Text(required=True, blank=False)
    learning = Text(load_default="")
    challenges = Text(load_default="")
    next_steps = Text(load_default="")

    @validates_schema
    def check_principles(self, data: dict[str, Any], **_: Any) -> None:
        chosen = data.get("principles_met") or []
        if len(set(chosen)) != len(chosen):
            raise ValidationError("Name each principle once.", "principles_met")


def load_report(data: Any) -> dict[str, Any]:
    """Validate a report and return it as JSON-safe data (dates as YYYY-MM-DD); raises ValidationError."""
    schema = ReportSchema()
    return schema.dump(schema.load(data))


def load_report_part(data: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """Validate some of a report (one web form part): what is given must be whole and right; the rest may wait."""
    schema = ReportSchema(only=fields, partial=fields)
    return schema.dump(schema.load(data))


def report_missing(data: dict[str, Any]) -> dict[str, list[str]]:
    """What a report in progress still lacks or gets wrong, by field path (empty when it is complete)."""
    try:
        load_report(data)
    except ValidationError as exc:
        return flatten_messages(exc.messages)
    return {}
