"""service/storage.py: content-addressed, atomic, and confined to its directory."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from labdocs.infra.storage import FileStore, StoreFull


def test_identical_content_is_stored_once(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files")
    first = store.put(b"draft bid", ".docx")
    assert store.put(b"draft bid", ".docx") == first
    assert store.read(first) == b"draft bid"
    assert len([p for p in (tmp_path / "files").rglob("*") if p.is_file()]) == 1


def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    store.put(b"x" * 100_000, ".pdf")
    assert not list(tmp_path.rglob(".tmp-*"))


@pytest.mark.parametrize("key", ["../outside.docx", "/etc/passwd", "ab/../../x"])
def test_keys_cannot_escape_the_store(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError, match="escapes"):
        FileStore(tmp_path / "files").path(key)


@pytest.mark.parametrize(("errno_", "raised"), [(errno.ENOSPC, StoreFull), (errno.EDQUOT, StoreFull),
                                                (errno.EIO, OSError)])
def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errno_: int,
                                                 raised: type[Exception]) -> None:
    """Each failed attempt once left its temporary file, so a full disk stayed full."""
    store = FileStore(tmp_path)
    real_fdopen = os.fdopen

    def failing_fdopen(fd: int, mode: str) -> Any:
        handle = real_fdopen(fd, mode)
        handle.write = lambda data: (_ for _ in ()).throw(OSError(errno_, os.strerror(errno_)))  # type: ignore[method-assign]
        return handle
    monkeypatch.setattr(os, "fdopen", failing_fdopen)
    with pytest.raises(raised):
        store.put(b"x" * 1000, ".pdf")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
