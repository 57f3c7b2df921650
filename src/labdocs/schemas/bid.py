"""The bid: the CCIN Innovation Funding application form as one JSON document."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from labdocs.schemas.fields import EmailAddress, Figure, Flag, Money, Phone, Text, whole_number

PARTNER_KINDS = ("council", "affiliate", "other")


def short(**kwargs: Any) -> Text:
    """A one-line answer such as a name or a title."""
    return Text(max_length=300, **kwargs)


def items(inner: fields.Field, maximum: int, **kwargs: Any) -> fields.List:
    """A list with a sensible cap, so one request cannot ask for a thousand-page document."""
    message = f"Must have at most {maximum} items."
    return fields.List(inner, validate=validate.Length(max=maximum, error=message), **kwargs)


class ContactSchema(Schema):
    name = short(required=True, blank=False)
    job_title = short(required=True, blank=False)
    phone = Phone(required=True)
    email = EmailAddress(required=True, validate=validate.Length(max=254))


class PartnerSchema(Schema):
    name = short(required=True, blank=False)
    kind = fields.String(
        required=True,
        validate=validate.OneOf(PARTNER_KINDS, error="Must be one of: council, affiliate, other."),
    )


class MatchFundingSchema(Schema):
    amount = Money(load_default=None, allow_none=True)
    source = short(required=True, blank=False)


class BudgetLineSchema(Schema):
    description = Text(max_length=2000, required=True, blank=False)
    amount = Money(required=True)
    quantity = whole_number(minimum=1, maximum=10000, load_default=1)
    match_funding = fields.Nested(MatchFundingSchema, load_default=None, allow_none=True)


class OutputSchema(Schema):
    description = Text(max_length=2000, required=True, blank=False)
    target = Figure(load_default=None, allow_none=True)
    unit = Text(max_length=60, load_default=None, allow_none=True)


class OutcomesSchema(Schema):
    inputs = items(Text(max_length=2000, blank=False), 50, load_default=list)
    outputs = items(fields.Nested(OutputSchema), 50, load_default=list)
    outcomes = items(Text(max_length=2000, blank=False), 50, load_default=list)


class AimsSchema(Schema):
    """The project's "We will do" answer for each of the network's eight aims; empty is a funder check."""

    social_partnerships = Text(load_default="")
    democratic_engagement = Text(load_default="")
    co_production = Text(load_default="")
    enterprise_social_economy = Text(load_default="")
    community_leadership = Text(load_default="")
    new_models = Text(load_default="")
    innovation = Text(load_default="")
    learning = Text(load_default="")


class BidSchema(Schema):
    """Everything the application form asks, in the form's order."""

    title = short(required=True, blank=False)
    funding_round = short(required=True, blank=False)
    lead_organisation = short(required=True, blank=False)
    contact = fields.Nested(ContactSchema, required=True)
    partners = items(fields.Nested(PartnerSchema), 50, load_default=list)
    funding_requested = Money(required=True)
    summary = Text(max_length=5000, required=True, blank=False)
    budget = items(fields.Nested(BudgetLineSchema), 100, required=True)
    idea = Text(load_default="")
    workstreams = items(Text(max_length=500, blank=False), 50, load_default=list)
    outcomes = fields.Nested(OutcomesSchema, load_default=lambda: OutcomesSchema().load({}))
    aims = fields.Nested(AimsSchema, load_default=lambda: AimsSchema().load({}))
    walking_the_talk = Text(load_default="")
    values_and_principles = Text(load_default="")
    sharing_learning = Text(load_default="")
    co_operative_difference_agreed = Flag(required=True)


def load_bid(data: Any) -> dict[str, Any]:
    """Validate a bid and return it as JSON-safe data (money as "17500.00" strings); raises ValidationError."""
    schema = BidSchema()
    return schema.dump(schema.load(data))


# The bid's fields in groups that validate on their own: the web form's sections (by slug), and the parts an
# imported entry keeps or reports one by one.
BID_PARTS: dict[str, tuple[str, ...]] = {
    "project": ("title", "funding_round", "lead_organisation", "funding_requested"), "contact": ("contact",),
    "summary": ("summary",), "partners": ("partners",), "budget": ("budget",), "idea": ("idea", "workstreams"),
    "outcomes": ("outcomes",), "aims": ("aims", "walking_the_talk"),
    "values": ("values_and_principles", "sharing_learning"), "declaration": ("co_operative_difference_agreed",),
}


def load_bid_part(data: Any, fields: tuple[str, ...], partial: bool = True) -> dict[str, Any]:
    """Validate some of a bid (one web form section): what is there must be right; the rest may wait.

    With partial=False the section is judged as finished: what it requires must be there too.
    """
    schema = BidSchema(only=fields, partial=partial)
    return schema.dump(schema.load(data))
