"""A small client for the labdocs API (standard library only), for the command line."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from typing import Any


class ApiFailure(Exception):
    """The service said no; the message and field errors are the service's own plain words."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        lines = [f"{field}: {text}" for field, texts in body.get("errors", {}).items() for text in texts]
        super().__init__("\n".join([f"HTTP {status}: {body.get('message', 'request failed')}", *lines]))


class Client:
    def __init__(self, base_url: str, key: str, timeout: float = 30) -> None:
        self.base_url = base_url.rstrip("/")
        self.key = key
        self.timeout = timeout

    def call(self, method: str, path: str, body: Any = None, raw: bytes | None = None,
             content_type: str = "application/json") -> tuple[int, bytes, dict[str, str]]:
        data = raw if raw is not None else json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers={
            "Authorization": f"Bearer {self.key}", "Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            raise ApiFailure(error.code, json.loads(error.read() or b"{}")) from None

    def upload(self, path: str, filename: str, content: bytes, fields: dict[str, str]) -> dict[str, Any]:
        """POST a file as multipart/form-data (field 'file'), with plain fields beside it; the JSON answer."""
        boundary = f"labdocs-{uuid.uuid4().hex}"
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                 for name, value in fields.items()]
        safe_name = filename.replace('"', "").replace("\r", "").replace("\n", "")
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{safe_name}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        answer = self.call("POST", path, raw=body, content_type=f"multipart/form-data; boundary={boundary}")[1]
        return dict(json.loads(answer))

    def json(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        return json.loads(self.call(method, path, body)[1])

    def document(self, project_id: str, kind: str, fmt: str, wait: float = 300) -> tuple[dict[str, Any], bytes]:
        """Ask for a document, wait for it, and download it."""
        document = self.json("POST", f"/api/v1/projects/{project_id}/documents", {"kind": kind, "format": fmt})
        deadline = time.monotonic() + wait
        while document["status"] not in ("finished", "failed") and time.monotonic() < deadline:
            # Held by the server until it settles (within the connection's timeout); a busy server says so.
            _, body, headers = self.call("GET", f"/api/v1/documents/{document['id']}?wait={self.timeout / 2:g}")
            document = json.loads(body)
            time.sleep(float(headers.get("Retry-After", 0)))
        if document["status"] != "finished":
            raise ApiFailure(500, {"message": document.get("error") or f"still {document['status']}"})
        return document, self.call("GET", f"/api/v1/documents/{document['id']}/file")[1]
