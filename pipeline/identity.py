"""A deck is identified by its content: the same file under two names is one deck."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def deck_id_for(sha256: str) -> str:
    """The warehouse's deck id: the first 16 hex digits of the content hash."""
    return sha256[:16]
