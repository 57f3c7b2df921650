"""labdocs check and render on every way a user's file can be bad: one plain line per problem, exit 1, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT
from .test_cli import labdocs

# Each bad file: a name, what it holds (or None: it is made by `special` below), and the line the person reads.
# {path} is the file's path. All but "unknown" and the last two printed a traceback (or, for a missing file and a
# folder, click's usage error with exit 2) before.
BAD_FILES: list[tuple[str, bytes | None, str]] = [
    ("deep-array", b"[" * 100_000 + b"]" * 100_000,
     "{path}: The data is nested too deeply to be a project record."),
    ("deep-object", b'{"a": ' * 10_000 + b"1" + b"}" * 10_000,
     "{path}: The data is nested too deeply to be a project record."),
    ("long-integer", b"1" * 5_001,
     "{path}: A number in the data has more than 1,000 digits; no field takes one that long."),
    ("long-integer-in-a-field", b'{"title": ' + b"9" * 5_001 + b"}",
     "{path}: A number in the data has more than 1,000 digits; no field takes one that long."),
    ("not-utf-8", '{"title": "café"}'.encode("latin-1"),
     "{path} is not UTF-8 text (byte 0xe9 at position 14); save it as UTF-8 and try again."),
    ("not-json", b"{ not json",
     "{path}: The data is not valid JSON: Expecting property name enclosed in double quotes (line 1, column 3)."),
    ("cut-off", b'{"title": "a',
     "{path}: The data is not valid JSON: Unterminated string starting at (line 1, column 11)."),
    ("empty", b"", "{path}: The data is not valid JSON: Expecting value (line 1, column 1)."),
    ("missing", None, "{path}: there is no such file."),
    ("folder", None, "{path} is a folder; give the JSON file inside it."),
    ("device", None, "{path} is not a regular file; give a JSON file."),
    ("too-big", None, "{path} is over 16 MB, far larger than any project record."),
    ("duplicate-key", b'{"title": "a", "title": "b"}',
     "title: Given more than once: give each field once (JSON would keep only the last)."),
    ("nan", b'{"funding_requested": NaN}', "{path}: NaN is not JSON: send numbers as digits, like 30."),
]
COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "check": lambda data, out: ["check", str(data)],
    "render-report": lambda data, out: ["render", "report", str(data), "-o", str(out / "report.pdf")],
    "render-zine": lambda data, out: ["render", "zine", str(data), "-o", str(out / "zine")],
}


def bad_file(tmp_path: Path, name: str, content: bytes | None) -> Path:
    """The bad file on disk (or the missing path, the folder, the device or the oversized file)."""
    if name == "device":
        return Path(os.devnull)
    path = tmp_path / f"{name}.json"
    if name == "folder":
        path.mkdir()
    elif name == "too-big":
        with path.open("wb") as handle:
            handle.truncate(17 * 2**20)  # sparse: no 17 MB is written
    elif content is not None:
        path.write_bytes(content)
    return path


def assert_plainly_refused(result: subprocess.CompletedProcess[str], lines: list[str]) -> None:
    """Exit 1, the expected lines on stderr and nothing else: no traceback, no usage text, no output."""
    assert "Traceback" not in result.stderr and "Usage:" not in result.stderr
    assert (result.returncode, result.stderr.splitlines()) == (1, lines)
    assert result.stdout == ""


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(("name", "content", "line"), BAD_FILES, ids=[name for name, _, _ in BAD_FILES])
def test_a_bad_file_is_one_plain_line_and_exit_1(tmp_path: Path, command: str, name: str, content: bytes | None,
                                                 line: str) -> None:
    path = bad_file(tmp_path, name, content)
    result = labdocs(*COMMANDS[command](path, tmp_path))
    assert_plainly_refused(result, [line.format(path=path)])
    assert not (tmp_path / "report.pdf").exists() and not (tmp_path / "zine").exists()


def test_a_lone_surrogate_is_named_at_its_field(tmp_path: Path) -> None:
    path = tmp_path / "surrogate.json"
    path.write_text('{"title": "half \\ud800 a pair"}')
    result = labdocs("check", str(path))
    assert "Traceback" not in result.stderr and result.returncode == 1
    assert result.stderr.startswith("title: Contains U+D800")


def test_an_unknown_kind_is_named(example_bid_file: Path, tmp_path: Path) -> None:
    result = labdocs("render", "poster", str(example_bid_file), "-o", str(tmp_path / "poster.pdf"))
    assert_plainly_refused(result, ["labdocs renders bid, report, page, zine; 'poster' is not one of them."])


def test_an_output_that_cannot_be_written_is_named(example_bid_file: Path, tmp_path: Path) -> None:
    (tmp_path / "taken.docx").mkdir()
    result = labdocs("render", "bid", str(example_bid_file), "-o", str(tmp_path / "taken.docx"))
    assert "Traceback" not in result.stderr and result.returncode == 1  # after the bid's check findings:
    assert result.stderr.splitlines()[-1] == f"{tmp_path / 'taken.docx'} could not be written: Is a directory."


def test_a_report_naming_an_svg_is_refused_at_its_field(tmp_path: Path, bid: dict[str, Any],
                                                        report: dict[str, Any]) -> None:
    """An SVG went into the DOCX renderer and came out as python-docx's UnrecognizedImageError."""
    report["case_studies"][0]["image"] = "asset:cover-pattern.svg"
    path = tmp_path / "both.json"
    path.write_text(json.dumps({"bid": bid, "report": report}))
    result = labdocs("render", "report", str(path), "-o", str(tmp_path / "report.docx"))
    assert "Traceback" not in result.stderr and "UnrecognizedImageError" not in result.stderr
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("report.case_studies.0.image: ")


def labdocs_patched(patch: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The labdocs command in a process of its own, after `patch` (Python) has run in it."""
    script = f"import sys\n{patch}\nfrom labdocs.cli import main\nsys.argv[0] = 'labdocs'\nmain()\n"
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=120)


# Bundled images that are not what their names say (as a damaged or mistaken asset would be).
NOT_PICTURES = """
import pathlib, shutil, tempfile
import labdocs.render as render
assets = pathlib.Path(tempfile.mkdtemp())
shutil.copytree(render.ASSETS, assets, dirs_exist_ok=True)
(assets / "images" / "round-table.png").write_bytes(b"this is not a picture")
render.bundled_sources = lambda read_file: render.Sources(render.TEMPLATES, assets, read_file)
"""


def test_an_image_that_is_not_an_image_is_named_at_its_field(tmp_path: Path, bid: dict[str, Any],
                                                             report: dict[str, Any]) -> None:
    path = tmp_path / "both.json"
    path.write_text(json.dumps({"bid": bid, "report": report}))  # case study 0 shows asset:round-table.png
    result = labdocs_patched(NOT_PICTURES, "render", "report", str(path), "-o", str(tmp_path / "report.docx"))
    assert "Traceback" not in result.stderr and result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "report.case_studies.0.image: asset:round-table.png is not a picture a DOCX can hold; choose a JPEG or PNG "
        "image (an SVG can go only in the PDF).")
    assert not (tmp_path / "report.docx").exists()


BROKEN_CHECKS = """
import labdocs.cli
def broken(bid):
    raise RuntimeError("a fault\\nover two lines")
labdocs.cli.check_bid = broken
"""


def test_a_fault_in_labdocs_is_one_line_that_says_so(example_bid_file: Path) -> None:
    result = labdocs_patched(BROKEN_CHECKS, "check", str(example_bid_file))
    assert_plainly_refused(result, [
        "labdocs did not expect this and stopped (RuntimeError: a fault over two lines). This is a fault in labdocs; "
        "please report it (set LABDOCS_DEBUG=1 to show where it happened)."])
    debugging = labdocs_patched(BROKEN_CHECKS, "check", str(example_bid_file), env={"LABDOCS_DEBUG": "1"})
    assert debugging.returncode == 1 and "Traceback" in debugging.stderr and "RuntimeError" in debugging.stderr


def test_an_unreachable_service_is_named(tmp_path: Path, report: dict[str, Any]) -> None:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report))
    result = labdocs("render", "report", str(path), "--project", "0" * 32, "--server", "http://127.0.0.1:9",
                     "--key", "ldk_x", "-o", str(tmp_path / "report.pdf"))
    assert_plainly_refused(result, [
        "Error: The labdocs service at http://127.0.0.1:9 could not be reached or did not answer as labdocs does: "
        "[Errno 111] Connection refused."])
