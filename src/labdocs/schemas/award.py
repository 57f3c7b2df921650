"""A project's award, filled in when the bid is funded: what 360Giving grant data and the project page need."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from labdocs.domain.names import IDENTIFIER_HINT, is_identifier
from labdocs.schemas.fields import Money, Text


class Identifier(fields.String):
    """An org-id identifier (GB-LAE-RCH, GB-CHC-1234567, 360G-ccin-…)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not is_identifier(text):
            raise ValidationError(f"Not an org-id. {IDENTIFIER_HINT}")
        return text


class FunderSchema(Schema):
    name = Text(max_length=300, required=True, blank=False)
    org_id = Identifier(load_default=None, allow_none=True)


class LocationSchema(Schema):
    name = Text(max_length=300, required=True, blank=False)
    code = Text(max_length=20, load_default="", metadata={"description": "A GSS code such as E08000005."})


class AwardSchema(Schema):
    """What was awarded, when, by whom, for when, and where it benefits."""

    amount = Money(required=True)
    date = fields.Date(required=True)
    reference = Text(max_length=100, required=True, blank=False)
    start = fields.Date(load_default=None, allow_none=True)
    end = fields.Date(load_default=None, allow_none=True)
    funder = fields.Nested(FunderSchema, required=True)
    recipient_org_id = Identifier(load_default=None, allow_none=True)
    locations = fields.List(fields.Nested(LocationSchema), load_default=list,
                            validate=validate.Length(max=50, error="Must have at most 50 items."))

    @validates_schema
    def check_dates(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError("The end must be on or after the start.", "end")


def load_award(data: Any) -> dict[str, Any]:
    """Validate an award and return it as JSON-safe data (dates as YYYY-MM-DD); raises ValidationError."""
    schema = AwardSchema()
    return schema.dump(schema.load(data))
