"""Rendered files on disk, addressed by content; the one module an object store would replace."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from pathlib import Path

from flask import Flask, current_app

EXTENSION = "labdocs.files"
FULL = {errno.ENOSPC, errno.EDQUOT}


class StoreFull(OSError):
    """The file store's disk (or quota) is full: nothing was stored, and no partial file was left."""


class FileStore:
    """A directory of immutable files named by their SHA-256, so identical output is stored once."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def put(self, data: bytes, suffix: str) -> str:
        """Store bytes and return their key; writing is atomic, so a reader never sees half a file."""
        digest = hashlib.sha256(data).hexdigest()
        key = f"{digest[:2]}/{digest}{suffix}"
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

    def read(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def delete(self, key: str) -> bool:
        """Remove a stored file; False if it was not there."""
        try:
            self.path(key).unlink()
        except FileNotFoundError:
            return False
        return True


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


def init_store(app: Flask) -> None:
    app.extensions[EXTENSION] = FileStore(app.config["FILE_STORE"])


def file_store() -> FileStore:
    """The current app's file store."""
    return current_app.extensions[EXTENSION]
