"""A request for a document: which kind, in which format, and whether every check must pass."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from labdocs.render.kinds import FORMATS
from labdocs.schemas.fields import Flag


class DocumentRequestSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(
        tuple(FORMATS), error=f"Must be one of: {', '.join(FORMATS)}."))
    format = fields.String(load_default=None)
    strict = Flag(load_default=False)
    zine = fields.String(load_default=None, validate=validate.Regexp(r"\A[0-9a-f]{32}\Z", error="Not a zine id."))

    @validates_schema
    def check_format(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("kind") == "zine" and not data.get("zine"):
            raise ValidationError("Say which zine: its id, from POST /projects/<id>/zines.", "zine")
        allowed = FORMATS.get(data.get("kind", ""), ())
        if allowed and data.get("format") is not None and data["format"] not in allowed:
            raise ValidationError(f"A {data['kind']} comes as: {', '.join(allowed)}.", "format")

    @post_load
    def default_format(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {**data, "format": data["format"] or FORMATS[data["kind"]][0]}
