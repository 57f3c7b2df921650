"""The API's OpenAPI 3.1 description, generated from the request and response schemas, served at
/api/v1/openapi.json, with a human page at /api/docs (Swagger UI, served by labdocs itself)."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any, NamedTuple

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Response, jsonify, render_template

from labdocs.render.kinds import FORMATS, KINDS, MEDIA_TYPES
from labdocs.schemas import responses as out
from labdocs.schemas.award import AwardSchema
from labdocs.schemas.bid import BidSchema
from labdocs.schemas.document import DocumentRequestSchema
from labdocs.schemas.report import ReportSchema
from labdocs.schemas.zine import ZineSchema

bp = Blueprint("openapi", __name__)


class Operation(NamedTuple):
    """One endpoint as the description gives it: what it takes, what it answers, and with which statuses."""

    path: str
    method: str
    summary: str
    ok: tuple[int, Any]  # status and schema (or a media type for a file download)
    body: Any = None
    errors: tuple[int, ...] = (401, 404)
    query: tuple[tuple[str, str, str], ...] = ()  # (name, type, description)
    also: tuple[int, ...] = ()  # other success statuses with the same body (200 for a replaced report)


FILE = "file"  # an ok "schema" meaning: the document's own bytes, in any media type labdocs makes
PHOTO = "photo"  # an uploaded photo, as stored
IMPORT_UPLOAD = "import-upload"  # a body: multipart, a file and the tracked changes choice
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")
STRICT = (("strict", "boolean", "Refuse (422, code checks_failed) when any funder check finds something."),)
WAIT = (("wait", "integer", "Hold the answer up to this many seconds (at most 30) until the document settles. "
         "When the server's or your organisation's share of waits is in use, it answers at once with "
         "Retry-After."),)

KINDS_IN_WORDS = ", ".join(f"{kind}: {'/'.join(formats)}" for kind, formats in FORMATS.items())
OPERATIONS = (
    Operation("/projects", "post", "Store a bid as a new project", (201, out.ProjectSchema), BidSchema,
              (400, 401, 413, 415, 422), STRICT),
    Operation("/projects", "get", "Your organisation's projects, newest first", (200, out.ProjectListSchema),
              errors=(401,)),
    Operation("/projects/{project_id}", "get", "A project, its bid and its funder checks", (200, out.ProjectSchema)),
    Operation("/projects/{project_id}", "put", "Replace a project's bid", (200, out.ProjectSchema), BidSchema,
              (400, 401, 404, 413, 415, 422), STRICT),
    Operation("/projects/{project_id}/report", "put", "Store (or replace) the final report",
              (201, out.ReportOutSchema), ReportSchema, (400, 401, 404, 409, 413, 415, 422), STRICT, also=(200,)),
    Operation("/projects/{project_id}/report", "get", "The final report and its cross-checks",
              (200, out.ReportOutSchema)),
    Operation("/projects/{project_id}/award", "put", "Record (or replace) what was awarded, once the bid is funded",
              (201, out.AwardOutSchema), AwardSchema, (400, 401, 404, 413, 415, 422), also=(200,)),
    Operation("/projects/{project_id}/award", "get", "The project's award", (200, out.AwardOutSchema)),
    Operation("/projects/{project_id}/award", "delete", "Remove a project's award", (204, None)),
    Operation("/projects/{project_id}/documents", "post",
              f"Ask for a document ({KINDS_IN_WORDS}); 202, then poll its Location", (202, out.DocumentSchema),
              DocumentRequestSchema,
              (400, 401, 404, 409, 413, 415, 422, 503)),
    Operation("/projects/{project_id}/documents", "get", "A project's documents, newest first",
              (200, out.DocumentListSchema)),
    Operation("/documents/{document_id}", "get", "A document's status (and, when finished, its files)",
              (200, out.DocumentSchema), query=WAIT),
    Operation("/documents/{document_id}/file", "get", "Download a finished document", (200, FILE),
              errors=(401, 404, 409)),
    Operation("/documents/{document_id}/files/{name}", "get",
              "Download one further output (a zine's imposed.pdf, a page's page-fragment.html)", (200, FILE),
              errors=(401, 404, 409)),
    Operation("/projects/{project_id}/images", "post", "Upload a photo (multipart field 'file': JPEG, PNG or WebP)",
              (201, out.ImageSchema), "multipart", (400, 401, 404, 413, 422, 503)),
    Operation("/projects/{project_id}/images", "get", "A project's uploaded photos", (200, out.ImageListSchema)),
    Operation("/images/{image_id}", "get", "A photo's details", (200, out.ImageSchema)),
    Operation("/images/{image_id}/file", "get", "Download a photo as stored", (200, PHOTO)),
    Operation("/projects/{project_id}/zines", "post", "Store a zine for a project", (201, out.ZineOutSchema),
              ZineSchema, (400, 401, 404, 413, 415, 422)),
    Operation("/projects/{project_id}/zines", "get", "A project's zines", (200, out.ZineListSchema)),
    Operation("/zines/{zine_id}", "get", "A zine", (200, out.ZineOutSchema)),
    Operation("/zines/{zine_id}", "put", "Replace a zine", (200, out.ZineOutSchema), ZineSchema,
              (400, 401, 404, 413, 415, 422)),
    Operation("/projects/{project_id}", "delete", "Delete a project with its report, documents, photos and "
              "zines, and the stored files only they used", (204, None)),
    Operation("/documents/{document_id}", "delete", "Delete a document and the stored files only it used",
              (204, None)),
    Operation("/images/{image_id}", "delete", "Delete a photo (409 while the report or a zine shows it)",
              (204, None), errors=(401, 404, 409)),
    Operation("/zines/{zine_id}", "delete", "Delete a zine", (204, None)),
    Operation("/keys", "get", "Your organisation's API keys (never the keys themselves)", (200, out.KeyListSchema),
              errors=(401,)),
    Operation("/keys", "post", "A new named API key, shown in the answer once", (201, out.NewKeySchema),
              out.KeyRequestSchema, (400, 401, 413, 415, 422)),
    Operation("/keys/{key_id}", "delete", "Revoke a key at once (the one you are using only with ?confirm=true)",
              (204, None), errors=(401, 404, 409),
              query=(("confirm", "boolean", "Needed to revoke the key this request is made with."),)),
    Operation("/webhooks", "post", "Register a URL to call when documents finish or fail (https, public addresses "
              "only; the signing secret is shown once)", (201, out.NewWebhookSchema), out.WebhookRequestSchema,
              (400, 401, 413, 415, 422)),
    Operation("/webhooks", "get", "Your webhooks, with how their last call went", (200, out.WebhookListSchema),
              errors=(401,)),
    Operation("/webhooks/{webhook_id}", "delete", "Remove a webhook", (204, None)),
    Operation("/audit", "get", "Who created, changed, downloaded and deleted what, newest first",
              (200, out.AuditSchema), errors=(401, 422), query=(
                  ("limit", "integer", "How many (1 to 500; 100 unless given)."),
                  ("before", "integer", "Only events older than this event id: to page back."))),
    Operation("/projects/{project_id}/imports", "post", "Read a draft bid DOCX labdocs made and partners edited "
              "(or the network's entry export, .txt) against the bid: multipart field 'file', and "
              "'tracked_changes' (accept or reject) when the file has tracked changes. Answers each changed "
              "field with a word diff, kept for review", (201, out.ImportSchema), IMPORT_UPLOAD,
              (400, 401, 404, 413, 422)),
    Operation("/projects/{project_id}/imports/{import_id}", "get", "An import under review: its changes, tracked "
              "changes and comments", (200, out.ImportSchema)),
    Operation("/projects/{project_id}/imports/{import_id}/apply", "post", "Apply the accepted changes (by field "
              "path; the rest are rejected), validated and checked like a bid sent whole",
              (200, out.AppliedSchema), out.ImportApplySchema, (400, 401, 404, 409, 413, 415, 422), STRICT),
    Operation("/projects/{project_id}/imports/{import_id}", "delete", "Reject every change: forget the import",
              (204, None)),
    Operation("/register", "get", "The register of organisations (?format=csv for its CSV)",
              (200, out.RegisterSchema), errors=(401,),
              query=(("format", "string", "csv: the register as CSV, in the columns it loads from."),)),
    Operation("/register/match", "get", "What the register knows of a name", (200, out.MatchSchema),
              errors=(401, 422), query=(("name", "string", "The organisation's name as written."),)),
)

ERROR_WORDS = {400: "The body could not be read (not JSON, duplicate keys, too deeply nested).",
               401: "No live API key.", 404: "Nothing here, or it belongs to another organisation.",
               409: "Not ready yet, or in a state that does not allow it (a missing report, an unfinished file).",
               413: "The body is over its size limit.", 415: "Send JSON with Content-Type: application/json.",
               422: "The data breaks a rule: `errors` names each field path.",
               429: "Your organisation's share of requests this minute is used: see Retry-After.",
               503: "A part of labdocs is briefly unavailable, or your share of it is in use: see Retry-After."}
EVERYWHERE = (429, 503)  # any request can meet these


def package_version() -> str:
    try:
        return version("labdocs")
    except PackageNotFoundError:
        return "0"


@cache
def build_spec() -> dict[str, Any]:
    """The whole description, made once per process (it depends only on the code)."""
    plugin = MarshmallowPlugin(schema_name_resolver=schema_name)
    spec = APISpec("labdocs API", package_version(), "3.1.0", plugins=[plugin], servers=[{"url": "/api/v1"}], info={
        "description": "Bids, final reports, project pages and zines for the Co-operative Councils' Innovation "
                       "Network's policy labs. Every error has one shape (Error). Each organisation sees only "
                       "its own projects, documents and files."})
    spec.components.security_scheme("apiKey", {"type": "http", "scheme": "bearer",
                                               "description": "An organisation's API key: `labdocs org create`."})
    spec.components.schema("Error", schema=out.ErrorSchema)
    spec.components.response("Error", {"description": "The one error shape.", "content": {
        "application/json": {"schema": "Error"}}, "headers": {"Retry-After": {
            "description": "With 429 and 503: seconds to wait before asking again.", "schema": {"type": "integer"}}}})
    for operation in OPERATIONS:
        spec.path(path=operation.path, operations={operation.method: describe(operation)})
    return spec.to_dict()


def schema_name(schema: Any) -> str:
    """A component's name: the class name, prefixed by its record where two records share one ("ReportContact")."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    record = {"bid": "Bid", "report": "Report", "zine": "Zine"}.get(cls.__module__.rsplit(".", 1)[-1], "")
    name = name if name.startswith(record) else record + name
    return name + ("Partial" if getattr(schema, "partial", False) else "")


def describe(operation: Operation) -> dict[str, Any]:
    """One operation: parameters, body, the success answer and every error status it can give."""
    status, schema = operation.ok
    ok: dict[str, Any] = {"description": operation.summary}
    if schema in (FILE, PHOTO):
        ok["content"] = download_types(schema)
    elif schema is not None:  # None: no body (204)
        ok["content"] = {"application/json": {"schema": schema}}
    if status in (201, 202):
        ok["headers"] = {"Location": {"description": "Where to find it.", "schema": {"type": "string"}}}
    answers = {str(status): ok}
    for code in operation.also:
        answers[str(code)] = {key: value for key, value in ok.items() if key != "headers"}
    for code in (*operation.errors, *EVERYWHERE):
        answers[str(code)] = {"description": ERROR_WORDS[code], "content": {"application/json": {"schema": "Error"}}}
    described: dict[str, Any] = {"summary": operation.summary, "security": [{"apiKey": []}], "responses": answers,
                                 "parameters": parameters(operation)}
    if operation.body in ("multipart", IMPORT_UPLOAD):
        properties: dict[str, Any] = {"file": {"type": "string", "format": "binary"}}
        if operation.body == IMPORT_UPLOAD:
            properties["tracked_changes"] = {"type": "string", "enum": ["accept", "reject"], "description":
                                             "Take the file's tracked changes all (accept) or none (reject); "
                                             "needed when it has any."}
        described["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file"], "properties": properties}}}}
    elif operation.body is not None:
        described["requestBody"] = {"required": True, "content": {"application/json": {"schema": operation.body}}}
    return described


def download_types(what: str) -> dict[str, Any]:
    """Every media type a download can come as: each kind's and each further file's, or a photo's."""
    types = PHOTO_TYPES if what == PHOTO else sorted({*MEDIA_TYPES.values(), *(row.media_type for row in KINDS)})
    return {media: {"schema": {"type": "string", "format": "binary"}} for media in types}


def parameters(operation: Operation) -> list[dict[str, Any]]:
    """Path parameters from the path's braces, then the operation's query parameters."""
    names = [part[1:-1] for part in operation.path.split("/") if part.startswith("{")]
    found = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}} for name in names]
    return found + [{"name": name, "in": "query", "required": False, "description": words, "schema": {"type": kind}}
                    for name, kind, words in operation.query]


@bp.get("/api/v1/openapi.json")
def openapi() -> Response:
    """The description itself: public, like the documentation page, so tools can read it without a key."""
    return jsonify(build_spec())


@bp.get("/api/docs")
def docs() -> str:
    """The description for people: Swagger UI, its script and styles served from labdocs' own static files."""
    return render_template("api_docs.html")
