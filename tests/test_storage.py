"""service/storage.py: content-addressed, atomic, and confined to its directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from labdocs.infra.storage import FileStore


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
