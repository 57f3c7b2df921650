"""What the API answers, as marshmallow schemas: the OpenAPI description is generated from these and the request
schemas, and the tests check real answers against it, so what is described and what is sent cannot drift apart."""

from __future__ import annotations

from marshmallow import Schema, fields


class ErrorSchema(Schema):
    """The one error shape: a stable code, the HTTP status, a sentence for people, and problems by field path."""

    code = fields.String(required=True, metadata={"example": "validation_failed"})
    status = fields.Integer(required=True, metadata={"example": 422})
    message = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True,
                         metadata={"description": "Problems by field path, e.g. {\"budget.2.amount\": [\"…\"]}."})


class CheckSchema(Schema):
    """A funder-rule, cross-check or register finding."""

    code = fields.String(required=True)
    field = fields.String(required=True)
    message = fields.String(required=True)
    severity = fields.String(required=True, metadata={"enum": ["error", "warning"]})


class LinksSchema(Schema):
    self = fields.String()
    documents = fields.String()
    project = fields.String()
    file = fields.String()


class ProjectSummarySchema(Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    updated_at = fields.String(required=True, metadata={"format": "date-time"})
    links = fields.Nested(LinksSchema, required=True)


class ProjectListSchema(Schema):
    projects = fields.List(fields.Nested(ProjectSummarySchema), required=True)


class ProjectSchema(ProjectSummarySchema):
    bid = fields.Dict(required=True, metadata={"description": "The bid as stored (see the Bid request schema)."})
    complete = fields.Boolean(required=True)
    missing = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)
    checks = fields.List(fields.Nested(CheckSchema), required=True)


class FileSchema(Schema):
    name = fields.String(required=True)
    size = fields.Integer(required=True)
    media_type = fields.String(required=True)
    url = fields.String(required=True)


class DocumentSchema(Schema):
    id = fields.String(required=True)
    project_id = fields.String(required=True)
    kind = fields.String(required=True)
    format = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": ["queued", "started", "finished", "failed"]})
    error = fields.String(required=True, allow_none=True)
    checks = fields.List(fields.Dict(), required=True)
    findings = fields.List(fields.Dict(), required=True)
    attempts = fields.Integer(required=True)
    reused = fields.Boolean(required=True)
    requested_by = fields.String(required=True)
    requested_at = fields.String(required=True, metadata={"format": "date-time"})
    started_at = fields.String(required=True, allow_none=True)
    finished_at = fields.String(required=True, allow_none=True)
    file_size = fields.Integer(required=True, allow_none=True)
    files = fields.List(fields.Nested(FileSchema), required=True)
    links = fields.Nested(LinksSchema, required=True)


class DocumentListSchema(Schema):
    documents = fields.List(fields.Nested(DocumentSchema), required=True)


class ReportOutSchema(Schema):
    project_id = fields.String(required=True)
    updated_at = fields.String(required=True, metadata={"format": "date-time"})
    report = fields.Dict(required=True)
    checks = fields.List(fields.Nested(CheckSchema), required=True)


class ImageSchema(Schema):
    id = fields.String(required=True)
    project_id = fields.String(required=True)
    filename = fields.String(required=True)
    media_type = fields.String(required=True)
    width = fields.Integer(required=True)
    height = fields.Integer(required=True)
    size = fields.Integer(required=True)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    links = fields.Nested(LinksSchema, required=True)


class ImageListSchema(Schema):
    images = fields.List(fields.Nested(ImageSchema), required=True)


class ZineOutSchema(Schema):
    id = fields.String(required=True)
    project_id = fields.String(required=True)
    title = fields.String(required=True)
    zine = fields.Dict(required=True)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    updated_at = fields.String(required=True, metadata={"format": "date-time"})
    links = fields.Nested(LinksSchema, required=True)


class ZineListSchema(Schema):
    zines = fields.List(fields.Nested(ZineOutSchema), required=True)


class RegisterEntrySchema(Schema):
    name = fields.String(required=True)
    kind = fields.String(required=True)
    identifier = fields.String(required=True, allow_none=True)
    aliases = fields.List(fields.String(), required=True)


class RegisterSchema(Schema):
    organisations = fields.List(fields.Nested(RegisterEntrySchema), required=True)


class KeySchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    prefix = fields.String(required=True, metadata={"description": "The key's first characters, to tell it apart."})
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    last_used_at = fields.String(required=True, allow_none=True)
    revoked_at = fields.String(required=True, allow_none=True)
    current = fields.Boolean(required=True, metadata={"description": "Whether this request was made with it."})


class NewKeySchema(KeySchema):
    key = fields.String(required=True, metadata={"description": "The key itself: shown this once, never again."})


class KeyListSchema(Schema):
    keys = fields.List(fields.Nested(KeySchema), required=True)


class KeyRequestSchema(Schema):
    name = fields.String(required=True, metadata={"example": "grants system"})


class WebhookSchema(Schema):
    id = fields.String(required=True)
    url = fields.String(required=True)
    events = fields.List(fields.String(metadata={"enum": ["document.finished", "document.failed"]}), required=True)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    last_status = fields.String(required=True, allow_none=True,
                                metadata={"description": "The last call's status, or why it could not be made."})
    last_attempt_at = fields.String(required=True, allow_none=True)


class NewWebhookSchema(WebhookSchema):
    secret = fields.String(required=True, metadata={
        "description": "Signs every call (shown this once). Each call carries Labdocs-Signature: t=<unix time>,"
                       "v1=<hex HMAC-SHA256 of \"<t>.<raw body>\" with this secret>; refuse a t more than 5 minutes "
                       "old."})


class WebhookListSchema(Schema):
    webhooks = fields.List(fields.Nested(WebhookSchema), required=True)


class WebhookRequestSchema(Schema):
    url = fields.String(required=True, metadata={"example": "https://grants.example.org/labdocs"})
    events = fields.List(fields.String(metadata={"enum": ["document.finished", "document.failed"]}), required=True)


class AuditEventSchema(Schema):
    id = fields.Integer(required=True)
    at = fields.String(required=True, metadata={"format": "date-time"})
    actor = fields.String(required=True, metadata={"example": "api key ldk_AbC123… (grants system)"})
    action = fields.String(required=True, metadata={"enum": ["created", "changed", "deleted", "downloaded"]})
    subject = fields.String(required=True, metadata={"description": "The address acted on."})
    status = fields.Integer(required=True)


class AuditSchema(Schema):
    events = fields.List(fields.Nested(AuditEventSchema), required=True)


class AwardOutSchema(Schema):
    project_id = fields.String(required=True)
    award = fields.Dict(required=True, metadata={"description": "The award as stored (see the Award schema)."})


class MatchSchema(Schema):
    name = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": ["canonical", "alias", "similar", "unknown"]})
    canonical = fields.String(required=True, allow_none=True)
    identifier = fields.String(required=True, allow_none=True)


class DiffPartSchema(Schema):
    op = fields.String(required=True, metadata={"enum": ["same", "removed", "added"]})
    text = fields.String(required=True)


class FieldChangeSchema(Schema):
    """One field an imported file changes: before and after as the form's box shows them, and a word diff."""

    field = fields.String(required=True, metadata={"example": "aims.learning"})
    question = fields.String(required=True)
    before = fields.String(required=True)
    after = fields.String(required=True)
    diff = fields.List(fields.Nested(DiffPartSchema), required=True)
    readable = fields.String(required=True, metadata={"description": "The diff as one text: [-removed-] {+added+}."})
    value = fields.Raw(required=True, allow_none=True,
                       metadata={"description": "What the field would hold once the change is accepted."})
    problems = fields.List(fields.String(), required=True,
                           metadata={"description": "Why the change cannot be accepted as it stands (if any)."})
    notes = fields.List(fields.String(), required=True,
                        metadata={"description": "What to check once it is accepted (a new partner's kind)."})


class TrackedChangeSchema(Schema):
    kind = fields.String(required=True, metadata={"enum": ["insertion", "deletion"]})
    field = fields.String(required=True)
    author = fields.String(required=True)
    date = fields.String(required=True)
    text = fields.String(required=True)


class CommentSchema(Schema):
    field = fields.String(required=True)
    author = fields.String(required=True)
    text = fields.String(required=True)


class ImportLinksSchema(Schema):
    self = fields.String(required=True)
    apply = fields.String(required=True)
    project = fields.String(required=True)


class ImportSchema(Schema):
    """A file read against a project's bid, kept for review until its changes are applied or rejected."""

    id = fields.String(required=True)
    project_id = fields.String(required=True)
    filename = fields.String(required=True)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    source = fields.String(required=True, metadata={"enum": ["docx", "entry"]})
    changes = fields.List(fields.Nested(FieldChangeSchema), required=True)
    found = fields.List(fields.String(), required=True, metadata={"description": "The fields the file answers."})
    tracked_changes = fields.List(fields.Nested(TrackedChangeSchema), required=True)
    tracked_changes_taken = fields.String(required=True, allow_none=True, metadata={"enum": ["accept", "reject",
                                                                                            None]})
    comments = fields.List(fields.Nested(CommentSchema), required=True)
    needs_person = fields.List(fields.String(), required=True)
    links = fields.Nested(ImportLinksSchema, required=True)


class ImportApplySchema(Schema):
    """The changes the lab lead accepts, by field path; the rest are rejected."""

    accept = fields.List(fields.String(), required=True, metadata={"example": ["summary", "budget"]})


class AppliedSchema(ProjectSchema):
    applied = fields.List(fields.String(), required=True)
