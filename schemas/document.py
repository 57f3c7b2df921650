"""A request for a document: which kind, in which format, and whether funder checks must all pass."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .fields import Flag

FORMATS = {"bid": ("docx",)}


class DocumentRequestSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(tuple(FORMATS), error="Must be one of: bid."))
    format = fields.String(load_default="docx")
    strict = Flag(load_default=False)

    @validates_schema
    def check_format(self, data: dict[str, Any], **_: Any) -> None:
        allowed = FORMATS.get(data.get("kind", ""), ())
        if allowed and data.get("format") not in allowed:
            raise ValidationError(f"A {data['kind']} comes as: {', '.join(allowed)}.", "format")
