"""infra/s3store.py against a real OpenStack Swift (tests/swift.py): content-addressed, whole or absent, streamed, and
the whole app on it; the store's failures are the existing 503 and FileMissing paths."""

from __future__ import annotations

import base64
import hashlib
import io
import time
import uuid
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from flask import Flask
from flask.testing import FlaskClient

from labdocs.infra.db import session
from labdocs.infra.models import Document
from labdocs.infra.s3store import CLIENT_CONFIG, S3Store
from labdocs.infra.storage import StoreUnavailable, file_store, open_store

from .conftest import new_key, wait_for_document
from .swift import Swift, free_port

pytestmark = pytest.mark.parametrize("store", ["s3"], indirect=True)


def bucket_of(url: str) -> tuple[str, str]:
    """The bucket and prefix of an s3:// FILE_STORE."""
    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    return bucket, f"{prefix}/" if prefix else ""


def objects(url: str) -> dict[str, bytes]:
    """Every object under the store's prefix, read with boto3 straight from Swift (not through labdocs)."""
    bucket, prefix = bucket_of(url)
    s3 = boto3.client("s3", config=CLIENT_CONFIG)
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    return {item["Key"]: s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read() for item in listed}


def test_put_read_exists_send_and_delete(store: str, app: Flask) -> None:
    s3 = open_store(store)
    assert isinstance(s3, S3Store)
    key = s3.put(b"%PDF-1.7 a report", ".pdf")
    digest = hashlib.sha256(b"%PDF-1.7 a report").hexdigest()
    assert key == f"{digest[:2]}/{digest}.pdf"  # the local store's keys, under the prefix
    assert objects(store) == {f"files/{key}": b"%PDF-1.7 a report"}
    assert s3.exists(key) and s3.read(key) == b"%PDF-1.7 a report" and list(s3.keys()) == [key]
    with app.test_request_context():
        response = s3.send(key, mimetype="application/pdf", as_attachment=True, download_name="report.pdf",
                           max_age=0)
    assert response.content_length == 17 and response.headers["ETag"] == f'"{digest}"'
    assert response.headers["Content-Disposition"] == "attachment; filename=report.pdf"
    assert response.is_streamed and b"".join(response.response) == b"%PDF-1.7 a report"  # type: ignore[arg-type]
    assert s3.delete(key) is True and s3.delete(key) is False
    assert not s3.exists(key) and objects(store) == {}
    with pytest.raises(FileNotFoundError):
        s3.read(key)
    with pytest.raises(ValueError, match="escapes"):
        s3.read("../../other-bucket/x")


def test_identical_bytes_are_stored_once_in_one_round_trip(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    s3 = open_store(store)
    first = s3.put(b"draft bid", ".docx")
    calls: list[str] = []
    for name in ("put_object", "head_object"):
        real = getattr(s3.client(), name)  # type: ignore[attr-defined]

        def counted(real: Any = real, name: str = name, **kwargs: Any) -> Any:
            calls.append(name)
            return real(**kwargs)
        monkeypatch.setattr(s3.client(), name, counted)  # type: ignore[attr-defined]
    assert s3.put(b"draft bid", ".docx") == first and calls == ["put_object"]  # no HeadObject before it
    assert len(objects(store)) == 1 and s3.read(first) == b"draft bid"  # the same key: still one object


def test_a_bucket_that_is_not_there_is_made_on_the_first_upload(store: str) -> None:
    s3 = open_store(store)
    assert list(s3.keys()) == [] and not s3.exists("ab/abc.pdf")  # no bucket yet: nothing in it
    key = s3.put(b"first", ".txt")
    assert s3.read(key) == b"first"


def test_an_upload_that_arrives_incomplete_leaves_no_object(store: str) -> None:
    """A body cut short (its Content-MD5 is the whole file's) is refused by the server: nothing is visible."""
    s3 = open_store(store)
    assert isinstance(s3, S3Store)
    s3.put(b"makes the bucket", ".txt")
    data = b"x" * 100_000
    md5 = base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()
    key = "ab/partial.pdf"
    with pytest.raises(Exception, match=r"BadDigest|InvalidDigest"):
        s3.client().put_object(Bucket=s3.bucket, Key=s3.name(key), Body=data[:50_000], ContentMD5=md5)
    assert not s3.exists(key) and list(s3.keys()) == [s3.put(b"makes the bucket", ".txt")]


def test_an_unreachable_store_is_unavailable_not_missing(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    s3 = open_store(store)
    started = time.monotonic()
    for attempt in (lambda: s3.put(b"data", ".pdf"), lambda: s3.exists("ab/abc.pdf"), lambda: s3.read("ab/abc.pdf")):
        with pytest.raises(StoreUnavailable, match="could not be reached"):
            attempt()
    assert time.monotonic() - started < 20


def test_wrong_credentials_are_unavailable_too(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not the secret")
    with pytest.raises(StoreUnavailable, match="refused"):
        open_store(store).put(b"data", ".pdf")


def test_the_app_on_the_s3_store_serves_documents_from_the_bucket(store: str, app: Flask, client: FlaskClient,
                                                                  auth: dict[str, str], other_auth: dict[str, str],
                                                                  report_project: dict[str, Any]) -> None:
    """A bid and a report made through the API by the embedded worker: their bytes are the bucket's objects, only
    their organisation gets them, and deleting the project takes them out of the bucket."""
    pid = report_project["id"]
    made = {}
    for kind, fmt in (("bid", "docx"), ("report", "pdf")):
        asked = client.post(f"/api/v1/projects/{pid}/documents", json={"kind": kind, "format": fmt}, headers=auth)
        assert asked.status_code == 202, asked.get_json()
        made[kind] = wait_for_document(client, auth, asked.headers["Location"], timeout=120)
        assert made[kind]["status"] == "finished", made[kind]
    in_bucket = objects(store)
    for kind, done in made.items():
        downloaded = client.get(done["links"]["file"], headers=auth)
        assert downloaded.status_code == 200 and downloaded.content_length == len(downloaded.data)
        with app.app_context():
            key = session().get(Document, done["id"]).file_key  # type: ignore[union-attr]
        assert in_bucket[f"files/{key}"] == downloaded.data, kind
        assert client.get(done["links"]["file"], headers=other_auth).status_code == 404
        assert client.get(done["links"]["self"], headers=other_auth).status_code == 404
    assert client.delete(f"/api/v1/projects/{pid}", headers=auth).status_code == 204
    assert objects(store) == {}


def test_a_store_that_goes_away_answers_503_and_a_job_is_retried_as_labdocs_fault(
        store: str, make_app: Callable[..., Flask], auth: dict[str, str], project: dict[str, Any], app: Flask,
        swift: Swift, monkeypatch: pytest.MonkeyPatch) -> None:
    client = app.test_client()
    asked = client.post(f"/api/v1/projects/{project['id']}/documents", json={"kind": "bid"}, headers=auth)
    done = wait_for_document(client, auth, asked.headers["Location"])
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", f"http://127.0.0.1:{free_port()}")
    cut_off = make_app(RETRY_INTERVALS=[0, 0]).test_client()  # same database and bucket, store unreachable
    download = cut_off.get(done["links"]["file"], headers=auth)
    assert download.status_code == 503 and download.headers["Retry-After"]
    assert download.get_json()["code"] == "unavailable" and "file store" in download.get_json()["message"]
    renamed = cut_off.put(f"/api/v1/projects/{project['id']}", json={**project["bid"], "title": "New title"},
                          headers=auth)
    assert renamed.status_code == 200
    asked = cut_off.post(f"/api/v1/projects/{project['id']}/documents", json={"kind": "bid"}, headers=auth)
    failed = wait_for_document(cut_off, auth, asked.headers["Location"], timeout=90)
    assert failed["status"] == "failed" and failed["attempts"] == 3, failed
    assert "file store could not be reached" in failed["error"] and "labdocs' problem" in failed["error"]
    assert "Traceback" not in failed["error"]


def test_another_organisation_gets_404_for_a_photo_in_the_bucket(store: str, app: Flask, client: FlaskClient,
                                                                 auth: dict[str, str], project: dict[str, Any]) -> None:
    from .test_deletion import photo

    sent = client.post(f"/api/v1/projects/{project['id']}/images", headers=auth,
                       data={"file": (io.BytesIO(photo()), "resident.jpg")})
    assert sent.status_code == 201, sent.get_json()
    url = f"/api/v1/images/{sent.get_json()['id']}/file"
    mine = client.get(url, headers=auth)
    assert mine.status_code == 200 and mine.data in objects(store).values()
    other = {"Authorization": f"Bearer {new_key(app, f'Other {uuid.uuid4().hex[:6]}')}"}
    assert client.get(url, headers=other).status_code == 404
    with app.app_context():
        assert len(list(file_store().keys())) == 1
