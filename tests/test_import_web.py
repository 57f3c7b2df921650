"""web/bid.py: importing an entry made on the network's form, pasted or uploaded, then what needs a person."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask import Flask

from .conftest import signed_in

ENTRY = Path(__file__).parent / "fixtures" / "entry_510.txt"


@pytest.mark.parametrize("how", ["pasted", "uploaded"])
def test_an_entry_becomes_a_project_with_a_report(web_app: Flask, how: str) -> None:
    client, csrf = signed_in(web_app)
    form = client.get("/projects/import")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    text = ENTRY.read_text(encoding="utf-8")
    data = {"csrf_token": csrf, "entry": text} if how == "pasted" else \
        {"csrf_token": csrf, "entry_file": (io.BytesIO(text.encode("utf-8")), "entry.txt")}
    sent = client.post("/projects/import", data=data, content_type="multipart/form-data")
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/bid/imported")
    report = client.get(sent.headers["Location"])
    assert "Imported: Co-operative Governance" in report.text
    assert "Budget line 2 is per item (“each”)" in report.text
    assert "<li>Project Title</li>" in report.text
    assert "Sam Example" not in report.text and "policy.lab@example.org" not in report.text
    project_id = re.search(r"/projects/([^/]+)/bid/imported", sent.headers["Location"])[1]  # type: ignore[index]
    ready = client.get(f"/projects/{project_id}/bid/ready")
    assert ready.status_code == 200 and "Hackney Council" in ready.text
    other, _ = signed_in(web_app, "other@example.org")
    assert other.get(sent.headers["Location"]).status_code == 404


@pytest.mark.parametrize(("data", "status", "says"), [
    ({"entry": "   "}, 422, "Paste the entry&#39;s text, or choose its .txt file."),
    ({"entry_file": (io.BytesIO(b"\xff\xfe bad"), "entry.txt")}, 422, "The file is not UTF-8 text"),
    ({"entry_file": (io.BytesIO(b"x" * (512 * 1024 + 1)), "entry.txt")}, 413, "far more than an entry export"),
])
def test_bad_entries_are_refused_in_plain_words(web_app: Flask, data: dict[str, object], status: int,
                                               says: str) -> None:
    client, csrf = signed_in(web_app)
    sent = client.post("/projects/import", data={"csrf_token": csrf, **data}, content_type="multipart/form-data")
    assert sent.status_code == status and says in sent.text
