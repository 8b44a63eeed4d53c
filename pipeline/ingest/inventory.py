"""What the deck folder holds, what is parsed, and what the warehouse already has.

The sensor and the schedule decide from this what to run: parse what has no parse result for
the current parser version, load what is parsed but not in the warehouse. Files are identified
by content (SHA-256), so a renamed copy is not a new deck.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb

import pipeline
from pipeline.identity import deck_id_for, sha256_of
from pipeline.ingest.staging import StagingArea


@dataclass(frozen=True)
class DeckFile:
    deck_id: str
    sha256: str
    path: Path


@lru_cache(maxsize=4096)
def _hash(path: str, size: int, mtime_ns: int) -> str:
    return sha256_of(Path(path))


def content_hash(path: Path) -> str:
    """SHA-256 of a file, remembered while its size and modification time stay the same
    (the sensor rescans the folder every 30 seconds)."""
    stat = path.stat()
    return _hash(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def scan(paths: list[Path]) -> list[DeckFile]:
    """One DeckFile per distinct content, the first file holding it, oldest file first.

    Oldest first: when two files are decks of the same office and year, the newer file is loaded
    last and so replaces the older one.
    """
    found: dict[str, DeckFile] = {}
    for path in sorted(paths, key=lambda p: (p.stat().st_mtime, p.name)):
        sha = content_hash(path)
        found.setdefault(sha, DeckFile(deck_id_for(sha), sha, path))
    return list(found.values())


@dataclass(frozen=True)
class WarehouseState:
    """Content loaded (by parser version) and content replaced by a newer deck."""

    loaded: set[tuple[str, int]] = field(default_factory=set)
    replaced: set[str] = field(default_factory=set)


def state_of(con: duckdb.DuckDBPyConnection) -> WarehouseState:
    loaded = con.execute(
        "SELECT sha256, parser_version FROM decks UNION SELECT sha256, parser_version FROM rejected_files"
    ).fetchall()
    replaced = con.execute("SELECT old_sha256 FROM deck_replacements").fetchall()
    return WarehouseState({(sha, version) for sha, version in loaded}, {sha for (sha,) in replaced})


def warehouse_state(db_path: Path) -> WarehouseState:
    """Read, read-only, what the published warehouse holds; an absent warehouse holds nothing."""
    if not db_path.exists():
        return WarehouseState()
    with duckdb.connect(str(db_path), read_only=True) as con:
        return state_of(con)


@dataclass(frozen=True)
class RefreshPlan:
    to_parse: list[DeckFile]
    to_load: list[DeckFile]

    @property
    def load_key(self) -> str:
        """Names the load of exactly this content with this parser (one run per distinct load)."""
        digest = hashlib.sha256("".join(sorted(f.sha256 for f in self.to_load)).encode()).hexdigest()
        return f"load-{digest[:16]}-v{pipeline.PARSER_VERSION}"


def plan_refresh(files: list[DeckFile], staging: StagingArea, state: WarehouseState) -> RefreshPlan:
    """Parse what has no current parse result; load what is parsed and not yet in the warehouse."""
    to_parse = [f for f in files if not staging.path_for(f.sha256).exists()]
    parsed = [f for f in files if f not in to_parse]
    to_load = [f for f in parsed if (f.sha256, staging.version) not in state.loaded and f.sha256 not in state.replaced]
    return RefreshPlan(to_parse, to_load)
