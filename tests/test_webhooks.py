"""webhooks: signed deliveries a receiver can verify, retried after a 500, and no call into labdocs' own network."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from flask import Flask

from labdocs.infra.db import session
from labdocs.infra.models import Delivery

from .conftest import new_key, wait_for_document


class Receiver(BaseHTTPRequestHandler):
    """Answers 500 to the first call and 200 after, keeping what it was sent."""

    calls: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).calls.append((dict(self.headers), body))
        self.send_response(500 if len(type(self).calls) == 1 else 200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/labdocs-hook"
    server.shutdown()


def verified(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What a receiver does: recompute the signature over the raw body and refuse an old timestamp."""
    fields = dict(part.split("=", 1) for part in headers["Labdocs-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"]) and abs(time.time() - int(fields["t"])) < 300


def test_a_finished_document_is_delivered_signed_and_retried_after_a_500(make_app: Any, bid: dict[str, Any],
                                                                         receiver: str) -> None:
    app: Flask = make_app(WEBHOOK_ALLOW=["127.0.0.1"])
    client, auth = app.test_client(), {"Authorization": f"Bearer {new_key(app, 'Hook council')}"}
    made = client.post("/api/v1/webhooks", json={"url": receiver, "events": ["document.finished"]}, headers=auth)
    assert made.status_code == 201, made.get_json()
    secret = made.get_json()["secret"]
    assert secret.startswith("whsec_") and "secret" not in client.get("/api/v1/webhooks", headers=auth).text
    project = client.post("/api/v1/projects", json=bid, headers=auth).get_json()
    asked = client.post(f"/api/v1/projects/{project['id']}/documents", json={"kind": "bid"}, headers=auth)
    document = wait_for_document(client, auth, asked.headers["Location"])
    deadline = time.monotonic() + 20
    while len(Receiver.calls) < 2:
        assert time.monotonic() < deadline, f"{len(Receiver.calls)} call(s)"
        time.sleep(0.05)
    first, second = Receiver.calls
    assert first[1] == second[1] and all(verified(secret, headers, body) for headers, body in Receiver.calls)
    assert not verified("whsec_wrong", *second)
    assert b'"event":"document.finished"' in second[1] and document["id"].encode() in second[1]
    assert second[0]["Labdocs-Event"] == "document.finished"
    with app.app_context():
        delivery = session().query(Delivery).one()
        assert (delivery.attempts, delivery.last_status) == (2, "200") and delivery.delivered_at is not None
    listed = client.get("/api/v1/webhooks", headers=auth).get_json()["webhooks"]
    assert listed[0]["last_status"] == "200"


@pytest.mark.parametrize(("url", "says"), [
    ("https://127.0.0.1/hook", "not a public address"),
    ("https://10.0.0.1/hook", "not a public address"),
    ("https://169.254.169.254/latest/meta-data", "not a public address"),
    ("https://[::1]/hook", "not a public address"),
    ("https://[::ffff:127.0.0.1]/hook", "not a public address"),
    ("https://100.64.0.1/hook", "not a public address"),
    ("https://localhost/hook", "not a public address"),  # a name resolving to loopback
    ("http://93.184.215.14/hook", "Use https"),
    ("https://user:secret@93.184.215.14/hook", "user names and passwords"),
    ("ftp://93.184.215.14/hook", "full https:// address"),
    ("", "Give the https:// address"),
    ("https://" + "a" * 2000, "up to 2,000 characters"),
])
def test_a_webhook_into_labdocs_own_network_is_refused(client: Any, auth: dict[str, str], url: str,
                                                        says: str) -> None:
    response = client.post("/api/v1/webhooks", json={"url": url, "events": ["document.finished"]}, headers=auth)
    assert response.status_code == 422
    assert says in " ".join(response.get_json()["errors"]["url"])


@pytest.mark.parametrize("events", [[], ["document.started"], "document.finished", None])
def test_a_webhook_names_its_events(client: Any, auth: dict[str, str], events: Any) -> None:
    response = client.post("/api/v1/webhooks", json={"url": "https://93.184.215.14/hook", "events": events},
                           headers=auth)
    assert response.status_code == 422 and "events" in response.get_json()["errors"]


def test_a_public_https_webhook_is_registered_listed_and_removed(client: Any, auth: dict[str, str],
                                                                 other_auth: dict[str, str]) -> None:
    made = client.post("/api/v1/webhooks", json={"url": "https://93.184.215.14/hook",
                                                 "events": ["document.finished", "document.failed"]}, headers=auth)
    assert made.status_code == 201
    hook = made.get_json()["id"]
    assert client.delete(f"/api/v1/webhooks/{hook}", headers=other_auth).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{hook}", headers=auth).status_code == 204
    assert client.get("/api/v1/webhooks", headers=auth).get_json()["webhooks"] == []
