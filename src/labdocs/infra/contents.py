"""What every file store shares: keys made from the content, and the error for a store that does not answer."""

from __future__ import annotations

import hashlib


class StoreUnavailable(OSError):
    """The file store did not answer (unreachable, refused, or erring): nothing is lost, try again later."""


def content_key(data: bytes, suffix: str) -> str:
    """The key of these bytes: `ab/abcdef...suffix`, from their SHA-256."""
    digest = hashlib.sha256(data).hexdigest()
    return f"{digest[:2]}/{digest}{suffix}"
