"""Rendered files addressed by content: a local directory by default, or an S3 bucket (infra/s3store.py)."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from flask import Flask, Response, current_app, send_file

from labdocs.infra.contents import StoreUnavailable, content_key

__all__ = ["FileStore", "Store", "StoreFull", "StoreUnavailable", "content_key", "file_store", "init_store",
           "open_store"]

EXTENSION = "labdocs.files"
FULL = {errno.ENOSPC, errno.EDQUOT}


class StoreFull(OSError):
    """The file store's disk (or quota) is full: nothing was stored, and no partial file was left."""


class Store(Protocol):
    """What labdocs asks of a file store; keys come from put(), never from users."""

    def put(self, data: bytes, suffix: str) -> str: ...
    def exists(self, key: str) -> bool: ...
    def read(self, key: str) -> bytes: ...
    def send(self, key: str, **options: Any) -> Response: ...
    def delete(self, key: str) -> bool: ...
    def keys(self) -> Iterator[str]: ...


class FileStore:
    """A directory of immutable files named by their SHA-256, so identical output is stored once."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def put(self, data: bytes, suffix: str) -> str:
        """Store bytes and return their key; writing is atomic, so a reader never sees half a file."""
        key = content_key(data, suffix)
        path = self.root / key
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            write_whole(path, data)
        return key

    def path(self, key: str) -> Path:
        """The local path of a stored file; keys come from put(), never from users."""
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("file key escapes the store")
        return path

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def read(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def send(self, key: str, **options: Any) -> Response:
        """A response with the stored file (send_file's options); FileNotFoundError if it is not there."""
        return send_file(self.path(key), **options)

    def delete(self, key: str) -> bool:
        """Remove a stored file; False if it was not there."""
        try:
            self.path(key).unlink()
        except FileNotFoundError:
            return False
        return True

    def keys(self) -> Iterator[str]:
        """Every stored file's key."""
        return (str(path.relative_to(self.root)) for path in self.root.rglob("*")
                if path.is_file() and not path.name.startswith(".tmp-"))


def write_whole(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place; on any failure remove the
    temporary file (each failed attempt once left one, and a full disk stayed full)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.errno in FULL:
            raise StoreFull(exc.errno, "The file store is full") from exc
        raise


def open_store(location: str) -> Store:
    """The store a FILE_STORE setting names: `s3://bucket/prefix`, else a local directory."""
    if location.startswith("s3://"):
        from labdocs.infra.s3store import S3Store

        return S3Store.from_url(location)
    return FileStore(location)


def init_store(app: Flask) -> None:
    app.extensions[EXTENSION] = open_store(str(app.config["FILE_STORE"]))


def file_store() -> Store:
    """The current app's file store."""
    return current_app.extensions[EXTENSION]
