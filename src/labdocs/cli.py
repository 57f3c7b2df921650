"""The labdocs command: demo, render, check, serve, worker, org and user create, db upgrade."""

from __future__ import annotations

import functools
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click
from marshmallow import ValidationError

from labdocs.config import EXAMPLES
from labdocs.domain.rules import ERROR, Check, check_bid
from labdocs.render.kinds import FORMATS
from labdocs.schemas.bid import load_bid
from labdocs.schemas.errors import describe, flatten_messages, join_path

if TYPE_CHECKING:
    from labdocs.render import Payload, Sources

Command = TypeVar("Command", bound=Callable[..., Any])
# A user's file is read whole: far larger than any project record (the service takes 2 MB), and no more, so a
# mistaken path (a video, /dev/zero) is refused rather than read into memory.
MAX_FILE_BYTES = 16 * 1024 * 1024
# Set to see the traceback behind "labdocs did not expect this" (for reporting a fault in labdocs).
DEBUG_VARIABLE = "LABDOCS_DEBUG"

@click.group()
def main() -> None:
    """labdocs: draft bids, final reports and zines for co-operative councils' policy labs."""


def refuse(lines: list[str]) -> NoReturn:
    """Print one plain line per problem on stderr and exit 1, as the API answers a 4xx."""
    for line in lines:
        click.echo(line, err=True)
    sys.exit(1)


def plain_failures(command: Command) -> Command:
    """Run a command that reads a user's files so that whatever goes wrong ends in one plain line and exit 1.

    Every bad file the command expects is refused in its own words before this; anything else is labdocs' own
    fault, said as such (LABDOCS_DEBUG=1 shows the traceback), never a traceback at the person using it.
    """
    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if os.environ.get(DEBUG_VARIABLE):
                raise
            detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
            refuse([f"labdocs did not expect this and stopped ({detail}). This is a fault in labdocs; please "
                    f"report it (set {DEBUG_VARIABLE}=1 to show where it happened)."])
    return run  # type: ignore[return-value]


def read_json(path: Path) -> Any:
    """A user's JSON file, read as the API reads a request body; anything wrong with it is refused in plain words.

    Not a file, not UTF-8, not JSON, nested too deep, an integer too long to read, a key given twice or a lone
    surrogate: one line per problem on stderr and exit 1, never a traceback.
    """
    from labdocs.errors import LabdocsError
    from labdocs.http.body import parse_json

    data = read_bytes(path)
    try:
        data.decode(json.detect_encoding(data))
    except UnicodeDecodeError as exc:
        refuse([f"{path} is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start:,}); save it as "
                "UTF-8 and try again."])
    try:
        return parse_json(data)
    except LabdocsError as exc:
        refuse(describe(exc.errors) if exc.errors else [f"{path}: {exc.message}"])


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes, up to MAX_FILE_BYTES; a missing file, a folder or a device is refused by name."""
    try:
        if path.is_dir():
            refuse([f"{path} is a folder; give the JSON file inside it."])
        if not path.exists():
            refuse([f"{path}: there is no such file."])
        if not path.is_file():
            refuse([f"{path} is not a regular file; give a JSON file."])
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        refuse([f"{path} could not be read: {exc.strerror or exc}."])
    if len(data) > MAX_FILE_BYTES:
        refuse([f"{path} is over {MAX_FILE_BYTES // 2**20} MB, far larger than any project record."])
    return data


def write_output(path: Path, content: bytes) -> None:
    """Write a document (making its folder), or say plainly why it could not be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as exc:
        refuse([f"{path} could not be written: {exc.strerror or exc}."])


def known_kind(kind: str) -> str:
    """The document kind asked for, if labdocs makes it; else one line naming the kinds it does."""
    if kind not in FORMATS:
        refuse([f"labdocs renders {', '.join(FORMATS)}; {kind!r} is not one of them."])
    return kind


def print_checks(checks: list[Check]) -> None:
    for check in checks:
        mark = "✗" if check.severity == ERROR else "!"
        click.echo(f"{mark} {check.severity}: {check.field}: {check.message}", err=True)


@main.command()
@click.argument("data", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 when any funder check fails, not only on bad data.")
@plain_failures
def check(data: Path, strict: bool) -> None:
    """Validate a bid (or a {"bid", "report"} file) and run its checks.

    Exit 1 on invalid data, or with --strict on any finding.
    """
    content = read_json(data)
    if isinstance(content, dict) and set(content) == {"bid", "report"}:
        from labdocs.domain.crosscheck import check_report
        from labdocs.schemas.report import load_report

        bid = load_bid_file(content["bid"], "bid.")[0]
        checks = check_bid(bid) + check_report(bid, load(load_report, content["report"], "report."))
    else:
        checks = check_bid(load_bid_file(content, "")[0])
    print_checks(checks)
    click.echo(f"{data}: valid; {len(checks)} check finding(s).", err=True)
    if strict and checks:
        sys.exit(1)


MAX_ENTRY_BYTES = 2 * 1024 * 1024  # an entry export is a few pages of text


@main.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="The bid JSON file to write (offline).")
@click.option("--project", help="Send FILE to this project on a labdocs service, to review its changes to the bid.")
@click.option("--tracked-changes", type=click.Choice(["accept", "reject"]),
              help="A draft with tracked changes: take them all (accept) or none (reject).")
@click.option("--accept", "accepted", multiple=True, metavar="FIELD",
              help="With --project: apply the change to this field (repeat for more); the rest are rejected.")
@click.option("--server", envvar="LABDOCS_API_URL", default="http://127.0.0.1:5000", show_default=True)
@click.option("--key", envvar="LABDOCS_API_KEY", help="API key for --project (or LABDOCS_API_KEY).")
@plain_failures
def import_file(file: Path, output: Path | None, project: str | None, tracked_changes: str | None,
                accepted: tuple[str, ...], server: str, key: str | None) -> None:
    """Read an entry already made on the network's form (its text export, .txt) or a draft bid labdocs made and
    partners edited in Word (.docx) into a bid JSON file, offline (-o); or send it to a project on a labdocs
    service (--project) and print what it would change, field by field.

    Prints which questions it recognised and what needs a person; contact details go into the file only.
    """
    if file.suffix.lower() not in (".txt", ".docx", ".docm"):
        refuse([f"{file}: labdocs imports the network's entry export as text (.txt), or a draft bid labdocs made "
                "(.docx); save it as one of those and try again."])
    if project:
        import_remotely(file, project, tracked_changes, accepted, server, key)
        return
    if output is None:
        raise click.UsageError("Give -o FILE.json to write the bid offline, or --project ID to send it to a service.")
    if file.suffix.lower() == ".txt":
        if file.is_file() and file.stat().st_size > MAX_ENTRY_BYTES:
            refuse([f"{file} is over {MAX_ENTRY_BYTES // 2**20} MB, far larger than any entry export."])
        recognised, bid_read, needs_person = read_entry_file(file)
    else:
        recognised, bid_read, needs_person = read_docx_file(file, tracked_changes)
    problems: list[str] = []
    try:
        bid = load_bid(bid_read)
    except ValidationError as exc:
        bid, problems = bid_read, describe(flatten_messages(exc.messages))
    write_output(output, (json.dumps(bid, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    click.echo(f"Recognised {len(recognised)} question(s):", err=True)
    for question in recognised:
        click.echo(f"✓ {question}", err=True)
    for line in needs_person + problems:
        click.echo(f"! {line}", err=True)
    click.echo(f"wrote {output}" + ("" if not problems else f"; fix the {len(problems)} problem(s) above, then "
                                    f"run labdocs check {output}"))
    if problems:
        sys.exit(1)


def read_entry_file(file: Path) -> tuple[list[str], dict[str, Any], list[str]]:
    from labdocs.domain.entry import read_entry

    result = read_entry(read_text(file))
    return result["recognised"], result["bid"], result["needs_person"]


def read_docx_file(file: Path, tracked_changes: str | None) -> tuple[list[str], dict[str, Any], list[str]]:
    """A draft bid DOCX's answers as a bid; a file labdocs did not make, or a hostile one, refused in words."""
    from labdocs.domain.docx_bid import read_bid_docx
    from labdocs.errors import ChoiceNeeded, LabdocsError
    from labdocs.render.bid_changes import bid_from_answers, question_of

    try:
        reading = read_bid_docx(read_bytes(file), tracked_changes)
    except ChoiceNeeded as exc:
        refuse([f"{file}: {exc.message} Run again with --tracked-changes accept or --tracked-changes reject."])
    except LabdocsError as exc:
        refuse([f"{file}: {exc.message}"])
    bid, notes = bid_from_answers(reading["answers"], reading["funding_round"])
    notes += [f"Tracked changes: {len(reading['tracked_changes'])}, all taken as {reading['tracked_changes_taken']}ed."
              ] if reading["tracked_changes"] else []
    notes += [f"Comment by {comment['author'] or 'someone'} on {comment['field'] or 'the draft'}: {comment['text']}"
              for comment in reading["comments"]]
    return [question_of(key) for key in reading["answers"]], bid, notes


def import_remotely(file: Path, project: str, tracked_changes: str | None, accepted: tuple[str, ...], server: str,
                    key: str | None) -> None:
    """Send the file to the project for review, print each change, and apply the ones named with --accept."""
    from labdocs.client import ApiFailure, Client

    if not key:
        raise click.ClickException("Give the API key with --key or LABDOCS_API_KEY.")
    client = Client(server, key)
    fields = {"tracked_changes": tracked_changes} if tracked_changes else {}
    try:
        found = client.upload(f"/api/v1/projects/{project}/imports", file.name, read_bytes(file), fields)
        print_import(found)
        if accepted:
            applied = client.json("POST", found["links"]["apply"], {"accept": list(accepted)})
            click.echo(f"Applied {len(applied['applied'])} change(s): {', '.join(applied['applied'])}.")
            print_checks([Check(**check) for check in applied["checks"]])
    except ApiFailure as exc:
        raise click.ClickException(str(exc)) from None
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"The labdocs service at {server} could not be reached or did not answer as "
                                   f"labdocs does: {getattr(exc, 'reason', exc)}.") from None


def print_import(found: dict[str, Any]) -> None:
    """Each proposed change as a word diff ([-removed-] {+added+}), then what the file reported."""
    for change in found["tracked_changes"]:
        click.echo(f"Tracked {change['kind']} by {change['author'] or 'someone'} in {change['field'] or 'the draft'}"
                   f" ({'accepted' if found['tracked_changes_taken'] == 'accept' else 'rejected'}): {change['text']}")
    for comment in found["comments"]:
        click.echo(f"Comment by {comment['author'] or 'someone'} on {comment['field'] or 'the draft'}: "
                   f"{comment['text']}")
    for line in found["needs_person"]:
        click.echo(f"! {line}", err=True)
    if not found["changes"]:
        click.echo("No changes to the bid.")
        return
    click.echo(f"{len(found['changes'])} field(s) changed (import {found['id']}):")
    for change in found["changes"]:
        click.echo(f"\n{change['field']} ({change['question']})")
        click.echo("  " + change["readable"].replace("\n", "\n  "))
        for problem in change["problems"]:
            click.echo(f"  ! cannot be accepted as it is: {problem}")
        for note in change["notes"]:
            click.echo(f"  ! {note}")
    click.echo("\nApply the ones you accept with --accept FIELD (repeat it), or on the project's page.")


@main.command()
@click.argument("kind", metavar="{" + "|".join(FORMATS) + "}")
@click.argument("data", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The file to write; its extension (.docx, .pdf) picks the format. A zine writes a folder.")
@click.option("--strict", is_flag=True, help="Refuse to render when any check fails.")
@click.option("--project", help="Send DATA (a report) to this project on a labdocs service and render it there.")
@click.option("--server", envvar="LABDOCS_API_URL", default="http://127.0.0.1:5000", show_default=True)
@click.option("--key", envvar="LABDOCS_API_KEY", help="API key for --project (or LABDOCS_API_KEY).")
@click.option("--register", "register_csv", type=click.Path(path_type=Path),
              help="A register of organisations (CSV) whose canonical names a page uses.")
@plain_failures
def render(kind: str, data: Path, output: Path, strict: bool, project: str | None, server: str,
           key: str | None, register_csv: Path | None) -> None:
    """Render a document from a JSON file.

    A bid file renders as it is. A report file carries {"bid": ..., "report": ...}; with --project it
    carries the report alone, which is stored on the service and rendered by its workers. A page is made
    from a bid file or a report file (with --register, under the register's names). A zine file
    renders into the folder OUTPUT: reader.pdf, imposed.pdf, preflight.json and .txt, thumbnails/.
    """
    kind = known_kind(kind)
    if kind == "zine":
        render_zine_folder(read_json(data), output)
        return
    fmt = output.suffix.lstrip(".").lower()
    if fmt not in FORMATS[kind]:
        raise click.ClickException(f"A {kind} comes as: {', '.join(FORMATS[kind])}; name the output accordingly.")
    if project:
        content = render_remotely(kind, fmt, read_json(data), project, server, key)
    else:
        content = render_locally(kind, fmt, read_json(data), strict, read_register(register_csv))
    write_output(output, content)
    click.echo(f"wrote {output} ({len(content):,} bytes)")


def read_register(path: Path | None) -> list[Any]:
    """The entries of a register CSV given on the command line (none without one)."""
    if path is None:
        return []
    from labdocs.errors import Invalid
    from labdocs.register import parse_csv

    try:
        return list(parse_csv(read_text(path)))
    except Invalid as exc:
        refuse([f"{path}: {exc.message}", *(f"{field}: {' '.join(texts)}" for field, texts in exc.errors.items())])


def read_text(path: Path) -> str:
    """A text file given on the command line, as UTF-8; anything else refused in one line."""
    try:
        return read_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        refuse([f"{path} is not UTF-8 text: save it as UTF-8 (CSV UTF-8 in a spreadsheet) and try again."])


def page_payload(data: Any, today: str, entries: list[Any]) -> Any:
    """A project page's payload from a bid file or a {"bid", "report"} file, names from the register given."""
    from labdocs.domain.names import canonical_name, fill_recipient
    from labdocs.render import PagePayload
    from labdocs.schemas.report import load_report

    both = isinstance(data, dict) and set(data) == {"bid", "report"}
    bid, award = load_bid_file(data["bid"], "bid.") if both else load_bid_file(data, "")
    report = load(load_report, data["report"], "report.") if both else None
    named = [bid["lead_organisation"], *(partner["name"] for partner in bid["partners"])]
    names = {name: canonical_name(name, entries) for name in named if canonical_name(name, entries) != name}
    award = fill_recipient(award, bid["lead_organisation"], entries) if award else None
    return PagePayload(bid=bid, report=report, names=names, generated_on=today, award=award)


def load_bid_file(data: Any, prefix: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A bid from a file, and the optional `award` object beside its fields (checked too) once it is funded."""
    from labdocs.schemas.award import load_award

    if not (isinstance(data, dict) and "award" in data):
        return load(load_bid, data, prefix), None
    rest = {key: value for key, value in data.items() if key != "award"}
    return load(load_bid, rest, prefix), load(load_award, data["award"], f"{prefix}award.")


def render_locally(kind: str, fmt: str, data: Any, strict: bool, entries: list[Any] | None = None) -> bytes:
    """Validate, check and render in this process, without the service."""
    from docx.image.exceptions import UnrecognizedImageError

    from labdocs.domain.crosscheck import check_report
    from labdocs.render import BidPayload, RenderError, RenderFault, ReportPayload, bundled_sources
    from labdocs.render.kinds import render as render_document

    today = date.today().isoformat()
    payload: Payload
    if kind == "bid":
        payload = BidPayload(bid=load_bid_file(data, "")[0], generated_on=today)
        checks = check_bid(payload["bid"])
    elif kind == "page":
        payload = page_payload(data, today, entries or [])
        checks = []
    else:
        if not isinstance(data, dict) or set(data) != {"bid", "report"}:
            raise click.ClickException('A report file for local rendering holds {"bid": ..., "report": ...}.')
        from labdocs.schemas.report import load_report

        payload = ReportPayload(bid=load_bid_file(data["bid"], "bid.")[0], report=load(load_report, data["report"],
                                "report."), images={}, generated_on=today)
        checks = check_report(payload["bid"], payload["report"])
    print_checks(checks)
    if strict and checks:
        sys.exit(1)
    sources = bundled_sources(missing_upload)
    try:
        rendered = render_document(sources, kind, fmt, payload)
    except RenderError as exc:
        raise click.ClickException(str(exc)) from None
    except RenderFault as exc:
        raise click.ClickException(f"labdocs could not make this {kind}: the problem is in labdocs, not in your "
                                   f"data. {exc}") from None
    except UnrecognizedImageError:
        refuse(unplaceable_images(sources, payload))
    for finding in rendered.findings:
        click.echo(f"{'✓' if finding['passed'] else '✗'} {finding['message']}", err=True)
    return rendered.data


def render_zine_folder(data: Any, folder: Path) -> None:
    from labdocs.render import RenderError, ZinePayload, bundled_sources
    from labdocs.render.zine import render_zine
    from labdocs.schemas.zine import load_zine

    payload = ZinePayload(zine=load(load_zine, data, ""), images={}, generated_on=date.today().isoformat())
    try:
        rendered = render_zine(bundled_sources(missing_upload), payload)
    except RenderError as exc:
        raise click.ClickException(str(exc)) from None
    for name, content in rendered.files.items():
        write_output(folder / name, content)
    click.echo(rendered.files["preflight.txt"].decode(), err=True)
    click.echo(f"wrote {len(rendered.files)} files to {folder}")
    if any(item["status"] == "fail" for item in rendered.findings):
        sys.exit(1)


def image_fields(data: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(field path, reference) of each image a record names (case_studies.0.image), walked without recursion."""
    stack: list[tuple[Any, str]] = [(data, prefix)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            if isinstance(value.get("image"), str):
                yield join_path(path, "image"), value["image"]
            stack.extend((item, join_path(path, key)) for key, item in reversed(value.items()) if key != "image")
        elif isinstance(value, list):
            stack.extend((item, join_path(path, index)) for index, item in reversed(list(enumerate(value))))


def unplaceable_images(sources: Sources, payload: Payload) -> list[str]:
    """One line per image a DOCX cannot hold (an SVG, say), naming its field, to say which one to change."""
    from docx.image.exceptions import UnrecognizedImageError
    from docx.image.image import Image as DocxImage

    records = {key: value for key, value in payload.items() if key in ("bid", "report", "zine")}
    lines = []
    for path, reference in image_fields(records):
        try:
            DocxImage.from_blob(sources.image(reference, payload))
        except UnrecognizedImageError:
            lines.append(f"{path}: {reference} is not a picture a DOCX can hold; choose a JPEG or PNG image "
                         "(an SVG can go only in the PDF).")
    return lines or ["An image the document names is not a picture a DOCX can hold; choose JPEG or PNG images."]


def missing_upload(key: str) -> bytes:
    raise click.ClickException("Uploaded images live on the service; render with --project, or use asset:NAME.")


def render_remotely(kind: str, fmt: str, data: Any, project: str, server: str, key: str | None) -> bytes:
    """Store the report on the service, then have its workers render the document."""
    from labdocs.client import ApiFailure, Client

    if not key:
        raise click.ClickException("Give the API key with --key or LABDOCS_API_KEY.")
    client = Client(server, key)
    try:
        if kind == "report":
            saved = client.json("PUT", f"/api/v1/projects/{project}/report", data)
            print_checks([Check(**check) for check in saved["checks"]])
        document, content = client.document(project, kind, fmt)
    except ApiFailure as exc:
        raise click.ClickException(str(exc)) from None
    except (OSError, ValueError) as exc:  # unreachable (URLError is an OSError), or it answered with no JSON
        raise click.ClickException(f"The labdocs service at {server} could not be reached or did not answer as "
                                   f"labdocs does: {getattr(exc, 'reason', exc)}.") from None
    for finding in document.get("findings", []):
        click.echo(f"{'✓' if finding['passed'] else '✗'} {finding['message']}", err=True)
    return content


def load(loader: Any, data: Any, prefix: str) -> dict[str, Any]:
    """Validate with a schema loader; on failure print one line per problem and exit 1."""
    try:
        return dict(loader(data))
    except ValidationError as exc:
        refuse(describe(flatten_messages(exc.messages, prefix.rstrip("."))))


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True)
def demo(out: Path) -> None:
    """Run the whole flow on the bundled examples, on the embedded default, and write the documents to OUT."""
    from labdocs.demo import run_demo

    with tempfile.TemporaryDirectory(prefix="labdocs-demo-") as scratch:
        run_demo(Path(scratch), out, EXAMPLES)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=32, show_default=True, type=int,
              help="Request threads; at most LABDOCS_WAIT_SLOTS (24) of them wait for documents at once.")
def serve(host: str, port: int, threads: int) -> None:
    """Serve the API (waitress). Without LABDOCS_REDIS_URL the job queue runs in this process."""
    import waitress

    from labdocs import create_app
    from labdocs.documents import requeue_orphans

    app = create_app()
    if app.config["WAIT_SLOTS"] >= threads:
        raise click.ClickException(f"LABDOCS_WAIT_SLOTS ({app.config['WAIT_SLOTS']}) must be fewer than --threads "
                                   f"({threads}), or waiting for documents could hold every request thread.")
    mode = "Redis at " + app.config["REDIS_URL"] if app.config["REDIS_URL"] else "the embedded in-process queue"
    if not app.config["REDIS_URL"]:  # the in-process queue starts empty: queue again what the database says waits
        with app.app_context():
            requeued = requeue_orphans()
        if requeued:
            click.echo(f"Queued {requeued} document(s) again that were waiting when labdocs last stopped.")
        warm_embedded(app)
        start_reconciler(app)
    click.echo(f"labdocs serving on http://{host}:{port}/api/v1 with {mode}")
    signal.signal(signal.SIGTERM, stop_gracefully(app))
    waitress.serve(app, host=host, port=port, threads=threads)


def warm_embedded(app: Any) -> None:
    """Warm the engines before listening, as the workers do before their first job: the first document after a
    start then costs what the tenth does (it took about 4 s longer), and nobody waits behind the warm-up."""
    from labdocs.jobs.warm import warm_engines

    started = time.perf_counter()
    warm_engines(app)
    click.echo(f"Engines warmed in {time.perf_counter() - started:.1f} s.")


def start_reconciler(app: Any) -> None:
    """The embedded queue's reconciler, beside its in-process worker (a worker pool runs its own)."""
    import threading

    from labdocs.jobs.worker import reconcile_forever

    threading.Thread(target=reconcile_forever, args=(app, threading.Event()), name="labdocs-reconciler",
                     daemon=True).start()


# Seconds between SIGTERM and stopping, for waiting requests to answer with the document as it stands.
STOP_GRACE = 1.5


def stop_gracefully(app: Any) -> Any:
    """SIGTERM (a service manager's stop): wake every waiting status request so it answers with the document's
    state now (they were dropped without a response), then stop as Ctrl+C does, which lets waitress finish the
    requests in hand."""
    import threading

    from labdocs.infra.queue import job_queue

    def stop(_signum: int, _frame: Any) -> None:
        job_queue(app).stopping.set()
        threading.Timer(STOP_GRACE, os.kill, (os.getpid(), signal.SIGINT)).start()
    return stop


@main.command()
@click.option("--count", default=1, show_default=True, type=int, help="Worker processes to run.")
@click.option("--burst", is_flag=True, help="Quit when the queue is empty.")
def worker(count: int, burst: bool) -> None:
    """Run RQ workers on LABDOCS_REDIS_URL."""
    from labdocs import create_app
    from labdocs.jobs.worker import run_workers

    app = create_app()
    if not app.config["REDIS_URL"]:
        raise click.ClickException("labdocs worker needs LABDOCS_REDIS_URL (e.g. redis://127.0.0.1:6379/0). "
                                   "Without Redis, labdocs serve runs the queue in-process.")
    run_workers(app, count=count, burst=burst)


@main.group()
def org() -> None:
    """Manage organisations and their API keys."""


@org.command("create")
@click.argument("name")
def org_create(name: str) -> None:
    """Create an organisation and print its first API key (shown once)."""
    from labdocs import create_app
    from labdocs.errors import LabdocsError
    from labdocs.orgs import create_org

    with create_app().app_context():
        try:
            organisation, key = create_org(name)
        except LabdocsError as exc:
            raise click.ClickException(exc.message) from None
    click.echo(f"Created organisation {organisation.name!r} ({organisation.id}).", err=True)
    click.echo("API key (shown once; store it safely):", err=True)
    click.echo(key)


DELETABLE = {"project": "the project, its report, documents, photos and zines",
             "document": "the document and its files", "image": "the photo", "zine": "the zine"}


@main.command()
@click.argument("what", type=click.Choice(tuple(DELETABLE)))
@click.argument("item_id", metavar="ID")
@click.option("--org", "org_name", required=True, help="The organisation it belongs to.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete(what: str, item_id: str, org_name: str, yes: bool) -> None:
    """Delete a project, document, photo or zine for good (files nothing else uses leave the store)."""
    from labdocs import deletion
    from labdocs.errors import LabdocsError

    with org_context(org_name) as org:
        if not yes:
            click.confirm(f"Delete {DELETABLE[what]} {item_id} of {org.name}? This cannot be undone", abort=True)
        try:
            removed = getattr(deletion, f"delete_{what}")(org.id, item_id)
        except LabdocsError as exc:
            refuse([exc.message])
        record(org.id, OPERATOR, "DELETE", f"{what} {item_id}", 204)
    files = f"; {removed} stored file(s) removed" if removed else ""
    click.echo(f"Deleted {what} {item_id}{files}.")


@main.group()
def key() -> None:
    """An organisation's API keys: several, named, each revocable at once."""


@key.command("create")
@click.option("--org", "org_name", required=True)
@click.option("--name", required=True, help="What the key is for, e.g. \"grants system\".")
def key_create(org_name: str, name: str) -> None:
    """Make a named key and print it (shown once)."""
    from labdocs.errors import LabdocsError
    from labdocs.keys import create_key

    with org_context(org_name) as org:
        try:
            row, made = create_key(org.id, name)
        except LabdocsError as exc:
            refuse([exc.message])
        record(org.id, OPERATOR, "POST", f"key {row.id} ({name})", 201)
    click.echo(f"API key {name!r} for {org_name} (shown once; store it safely):", err=True)
    click.echo(made)


@key.command("list")
@click.option("--org", "org_name", required=True)
def key_list(org_name: str) -> None:
    """Each key: id, name, first characters, made, last used, revoked."""
    from labdocs.keys import list_keys

    with org_context(org_name) as org:
        for row in list_keys(org.id):
            state = f"revoked {row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "live"
            used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never"
            click.echo(f"{row.id}  {row.prefix}…  {row.name}  made {row.created_at:%Y-%m-%d}  last used {used}  "
                       f"{state}")


@key.command("revoke")
@click.argument("key_id")
@click.option("--org", "org_name", required=True)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def key_revoke(key_id: str, org_name: str, yes: bool) -> None:
    """Revoke a key: its next request gets 401."""
    from labdocs.errors import LabdocsError
    from labdocs.keys import revoke_key

    with org_context(org_name) as org:
        if not yes:
            click.confirm(f"Revoke key {key_id} of {org_name}? Anything using it stops working", abort=True)
        try:
            row = revoke_key(org.id, key_id, confirmed=True)
        except LabdocsError as exc:
            refuse([exc.message])
        record(org.id, OPERATOR, "DELETE", f"key {row.id} ({row.name})", 204)
    click.echo(f"Revoked key {row.name!r} ({row.prefix}…).")


OPERATOR = "the command line"  # who an operator's change is recorded as in the organisation's audit trail


def record(org_id: str, actor: str, method: str, subject: str, status: int) -> None:
    """Put an operator's change in the organisation's audit trail, as the HTTP layer does for requests."""
    from labdocs.audit import record as note

    note(org_id, actor, method, subject, status)


@contextmanager
def org_context(org_name: str) -> Iterator[Any]:
    """An app context and the organisation named, or one plain line if there is none."""
    from labdocs import create_app
    from labdocs.orgs import find_org

    with create_app().app_context():
        org = find_org(org_name)
        if org is None:
            refuse([f"There is no organisation called {org_name!r}."])
        yield org


@main.group("register")
def register_group() -> None:
    """The register of organisations every project page and bid check names them by."""


@register_group.command("load")
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(path_type=Path))
@plain_failures
def register_load(csv_file: Path) -> None:
    """Add or update entries from CSV (name, kind, identifier, aliases separated by ';'); all or nothing."""
    from labdocs import create_app
    from labdocs.errors import Invalid
    from labdocs.register import load_csv

    text = read_text(csv_file)
    with create_app().app_context():
        try:
            loaded = load_csv(text)
        except Invalid as exc:
            refuse([exc.message, *(f"{field}: {' '.join(texts)}" for field, texts in exc.errors.items())])
    click.echo(f"Register: {loaded['added']} added, {loaded['updated']} updated.")


@register_group.command("export")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file (else print).")
def register_export(output: Path | None) -> None:
    """The register as CSV, in the columns `labdocs register load` reads."""
    from labdocs import create_app
    from labdocs.register import export_csv

    with create_app().app_context():
        text = export_csv()
    if output:
        write_output(output, text.encode("utf-8"))
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@register_group.command("match")
@click.argument("name")
def register_match(name: str) -> None:
    """What the register knows of a name: canonical, an alias, similar to an entry, or unknown."""
    from labdocs import create_app
    from labdocs.register import match

    with create_app().app_context():
        found = match(name)
    said = {"canonical": "is in the register", "alias": f"is another name of {found['canonical']}",
            "similar": f"is not in the register; did you mean {found['canonical']}?",
            "unknown": "is not in the register"}[found["status"]]
    click.echo(f"{name} {said}" + (f" ({found['identifier']})" if found["identifier"] else "") + ".")


@org.command("retention")
@click.argument("name")
@click.argument("days")
def org_retention(name: str, days: str) -> None:
    """Keep the organisation's rendered documents DAYS days (0: until deleted; "default": the installation's)."""
    from labdocs.retention import set_retention

    if days != "default" and not (days.isdigit() and int(days) <= 36500):
        refuse([f"Give the days as a whole number from 0 to 36500, or \"default\"; not {days!r}."])
    with org_context(name) as found:
        set_retention(found, None if days == "default" else int(days))
    click.echo(f"{name}: documents kept " + ("as the installation sets" if days == "default" else
                                             "until deleted" if days == "0" else f"{int(days)} days") + ".")


@main.command()
@click.option("--dry-run", is_flag=True, help="Only list what would be removed.")
def purge(dry_run: bool) -> None:
    """Remove rendered documents past their retention (the workers do this every hour by themselves)."""
    from labdocs import create_app
    from labdocs.retention import purge as purge_documents

    with create_app().app_context():
        gone = purge_documents(dry_run=dry_run)
    for item in gone:
        click.echo(f"{item['id']}  {item['organisation']}  {item['kind']} ({item['format']})  "
                   f"finished {item['finished_at']}")
    click.echo(f"{len(gone)} document(s) {'would be' if dry_run else 'were'} removed.", err=True)


@main.group()
def user() -> None:
    """Manage the people who sign in to the web pages."""


@user.command("create")
@click.argument("email")
@click.option("--org", "org_name", required=True, help="The organisation they belong to.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (for scripts).")
def user_create(email: str, org_name: str, password_stdin: bool) -> None:
    """Create a user in an organisation; the password is asked for (twice) and stored only as a hash."""
    from labdocs import create_app
    from labdocs.errors import LabdocsError
    from labdocs.users import create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with create_app().app_context():
        try:
            created = create_user(email, org_name, password)
        except LabdocsError as exc:
            raise click.ClickException(exc.message) from None
    click.echo(f"Created user {created.email} in {org_name!r}.")


@user.command("password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input (for scripts).")
def user_password(email: str, password_stdin: bool) -> None:
    """Set a user's new password; every web session they have ends."""
    from labdocs import create_app
    from labdocs.errors import LabdocsError
    from labdocs.users import set_password

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    with create_app().app_context():
        try:
            changed = set_password(email, password)
        except LabdocsError as exc:
            raise click.ClickException(exc.message) from None
    click.echo(f"New password set for {changed.email}; their sessions have ended.")


@user.command("remove")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def user_remove(email: str, yes: bool) -> None:
    """Remove a person: they can no longer sign in, and every session they have ends at once."""
    from labdocs import create_app
    from labdocs.errors import LabdocsError
    from labdocs.users import remove_user

    with create_app().app_context():
        if not yes:
            click.confirm(f"Remove {email}? They will be signed out everywhere", abort=True)
        try:
            remove_user(email)
        except LabdocsError as exc:
            refuse([exc.message])
    click.echo(f"Removed {email}.")


@main.group()
def db() -> None:
    """The database schema: its migrations (service/migrations)."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply the migrations this database has not had (serve and worker also do it as they start)."""
    from labdocs import create_app
    from labdocs.infra.db import database
    from labdocs.infra.migrate import current_revision

    app = create_app({"UPGRADE_DATABASE": False})
    database(app).upgrade()
    with database(app).engine.connect() as connection:
        click.echo(f"The database is at revision {current_revision(connection)}.")


@db.command("revision")
@click.argument("message")
def db_revision(message: str) -> None:
    """Write a new migration from what the models now say and the (current) database lacks; review it."""
    from alembic import command

    from labdocs import create_app
    from labdocs.infra.db import database
    from labdocs.infra.migrate import alembic_config

    app = create_app()
    with database(app).engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)


if __name__ == "__main__":
    main()
