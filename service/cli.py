"""The labdocs command: demo, render, check, serve, worker, org create."""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import click
from marshmallow import ValidationError

from schemas.bid import load_bid
from schemas.errors import describe, flatten_messages

from .config import ROOT
from .rules import ERROR, Check, check_bid

EXAMPLE_BID = ROOT / "examples" / "bid.json"


@click.group()
def main() -> None:
    """labdocs: draft bids, final reports and zines for co-operative councils' policy labs."""


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"{path} is not readable JSON: {exc}") from None


def validated_bid(path: Path) -> dict[str, Any]:
    """Load and validate a bid file, printing one line per problem and exiting 1 if it is invalid."""
    try:
        return load_bid(read_json(path))
    except ValidationError as exc:
        for line in describe(flatten_messages(exc.messages)):
            click.echo(line, err=True)
        sys.exit(1)


def print_checks(checks: list[Check]) -> None:
    for check in checks:
        mark = "✗" if check.severity == ERROR else "!"
        click.echo(f"{mark} {check.severity}: {check.field}: {check.message}", err=True)


@main.command()
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 when any funder check fails, not only on bad data.")
def check(data: Path, strict: bool) -> None:
    """Validate a bid file and run the funder's checks. Exit 1 on invalid data (or, with --strict, any finding)."""
    checks = check_bid(validated_bid(data))
    print_checks(checks)
    click.echo(f"{data}: valid; {len(checks)} funder check finding(s).", err=True)
    if strict and checks:
        sys.exit(1)


@main.command()
@click.argument("kind", type=click.Choice(["bid"]))
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--strict", is_flag=True, help="Refuse to render when any funder check fails.")
def render(kind: str, data: Path, output: Path, strict: bool) -> None:
    """Render a document from a JSON file, without the service."""
    from schemas.document import FORMATS

    from .render.registry import render as render_document

    fmt = output.suffix.lstrip(".").lower()
    if fmt not in FORMATS[kind]:
        raise click.ClickException(f"A {kind} comes as: {', '.join(FORMATS[kind])}; name the output accordingly.")
    bid = validated_bid(data)
    checks = check_bid(bid)
    print_checks(checks)
    if strict and checks:
        sys.exit(1)
    payload = {"bid": bid, "generated_on": date.today().isoformat()}
    content = render_document(ROOT / "templates", kind, fmt, payload)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(content)
    click.echo(f"wrote {output} ({len(content):,} bytes)")


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True)
def demo(out: Path) -> None:
    """Run the whole flow on the bundled example, on the embedded default, and write the documents to OUT."""
    from .demo import run_demo

    with tempfile.TemporaryDirectory(prefix="labdocs-demo-") as scratch:
        run_demo(Path(scratch), out, EXAMPLE_BID)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
def serve(host: str, port: int, threads: int) -> None:
    """Serve the API (waitress). Without LABDOCS_REDIS_URL the job queue runs in this process."""
    import waitress

    from . import create_app

    app = create_app()
    mode = "Redis at " + app.config["REDIS_URL"] if app.config["REDIS_URL"] else "the embedded in-process queue"
    click.echo(f"labdocs serving on http://{host}:{port}/api/v1 with {mode}")
    waitress.serve(app, host=host, port=port, threads=threads)


@main.command()
@click.option("--count", default=1, show_default=True, type=int, help="Worker processes to run.")
@click.option("--burst", is_flag=True, help="Quit when the queue is empty.")
def worker(count: int, burst: bool) -> None:
    """Run RQ workers on LABDOCS_REDIS_URL."""
    from workers.worker import run_workers

    from . import create_app

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
    from . import create_app
    from .errors import ApiError
    from .orgs import create_org

    with create_app().app_context():
        try:
            organisation, key = create_org(name)
        except ApiError as exc:
            raise click.ClickException(exc.message) from None
    click.echo(f"Created organisation {organisation.name!r} ({organisation.id}).", err=True)
    click.echo("API key (shown once; store it safely):", err=True)
    click.echo(key)


if __name__ == "__main__":
    main()
