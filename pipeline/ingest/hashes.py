"""Content hashes of deck files, remembered on disk by path and file stamp.

A refresh with nothing new must not read a thousand PDFs to learn that nothing changed: a file
whose path, size, modification time and inode change time are what they were when it was last
hashed keeps its hash. The stamp includes the change time (st_ctime_ns), which no program can set
back, so an edit that restores the old size and modification time is still noticed. The cache is
one JSON file beside the parse cache, so every process (the CLI, each sensor tick, a run) benefits;
it is written under a unique name and renamed into place, and two writers at once only cost a
hash computed again.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from pipeline.identity import sha256_of

Stamp = tuple[int, int, int]  # (size, mtime_ns, ctime_ns)


def stamp_of(stat: os.stat_result) -> Stamp:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


class HashCache:
    """SHA-256 per file path, valid while the file's stamp is unchanged; `path` None keeps it in memory only."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._entries: dict[str, tuple[Stamp, str]] = {}
        self._changed = False
        if path is not None:
            self._entries = _read(path)

    def sha256(self, path: Path, stat: os.stat_result) -> str:
        """The hash of `path`, whose current stat is `stat`; computed only when the stamp is new."""
        key, stamp = str(path.resolve()), stamp_of(stat)
        known = self._entries.get(key)
        if known is not None and known[0] == stamp:
            return known[1]
        sha = sha256_of(path)
        self._entries[key] = (stamp, sha)
        self._changed = True
        return sha

    def save(self) -> None:
        """Write the cache if anything was hashed; a cache that cannot be written is only a lost shortcut."""
        if self.path is None or not self._changed:
            return
        data = {key: [*stamp, sha] for key, (stamp, sha) in self._entries.items()}
        tmp = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, self.path)
            self._changed = False
        except OSError:
            pass
        finally:
            tmp.unlink(missing_ok=True)


def _read(path: Path) -> dict[str, tuple[Stamp, str]]:
    """The saved entries; a missing or damaged file is an empty cache (every file is hashed again)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {key: ((int(size), int(mtime), int(ctime)), str(sha)) for key, (size, mtime, ctime, sha) in data.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}
