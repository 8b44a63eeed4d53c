"""What the deck folder holds, what is parsed, and what the warehouse already has.

The sensor and the schedule decide from this what to run: parse what has no parse result for
the current parser version, load what is parsed but not in the warehouse. Files are identified
by content (SHA-256), so a renamed copy is not a new deck; a file still being copied in is left
until it has settled.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

import pipeline
from pipeline.identity import deck_id_for
from pipeline.ingest.hashes import HashCache
from pipeline.ingest.staging import StagingArea


@dataclass(frozen=True)
class DeckFile:
    deck_id: str
    sha256: str
    path: Path


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None


def scan(paths: list[Path], hashes: HashCache | None = None) -> list[DeckFile]:
    """One DeckFile per distinct content, the first file holding it, oldest file first.

    Oldest first: decks of the same office and year that tell nothing else apart are ranked by
    load order. A file that vanishes while it is being read is left out, never an error. `hashes`
    (kept beside the parse cache, see pipeline.ingest.hashes) spares reading unchanged files; it is
    saved when anything new was hashed.
    """
    hashes = HashCache() if hashes is None else hashes
    stats = {path: stat for path in paths if (stat := _stat_or_none(path)) is not None}
    found: dict[str, DeckFile] = {}
    for path in sorted(stats, key=lambda p: (stats[p].st_mtime, p.name)):
        try:
            sha = hashes.sha256(path, stats[path])
        except FileNotFoundError:
            continue
        found.setdefault(sha, DeckFile(deck_id_for(sha), sha, path))
    hashes.save()
    return list(found.values())


Stamp = tuple[int, int]  # (size, mtime_ns)


def settled(
    paths: list[Path], seen: dict[str, Stamp], now: float, min_age_s: float
) -> tuple[list[Path], list[Path], dict[str, Stamp]]:
    """Split files into those ready to read and those still arriving (being copied in).

    A file is ready when its size and modification time are what the previous look (`seen`, by
    name) found, or when it was last modified at least `min_age_s` ago. Returns (ready, waiting,
    what this look found); a file that vanished is in neither list.
    """
    ready, waiting, observed = [], [], {}
    for path in paths:
        stat = _stat_or_none(path)
        if stat is None:
            continue
        stamp = observed[path.name] = (stat.st_size, stat.st_mtime_ns)
        (ready if seen.get(path.name) == stamp or now - stat.st_mtime >= min_age_s else waiting).append(path)
    return ready, waiting, observed


@dataclass(frozen=True)
class WarehouseState:
    """Content loaded or rejected for good (by parser version), content rejected for now and
    awaiting a retry ({(sha, version): attempts}), and content forgotten on purpose."""

    loaded: set[tuple[str, int]] = field(default_factory=set)
    retrying: dict[tuple[str, int], int] = field(default_factory=dict)
    forgotten: set[str] = field(default_factory=set)


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()
    return {name for (name,) in rows}


def state_of(con: duckdb.DuckDBPyConnection) -> WarehouseState:
    """What the warehouse behind `con` holds; a warehouse from before retries or forgetting (its
    tables lack those columns) simply has none."""
    retries = "attempts" in _columns(con, "rejected_files")
    retry = "kind = 'retrying'" if retries else "false"
    loaded = con.execute(
        f"SELECT sha256, parser_version FROM decks UNION "
        f"SELECT sha256, parser_version FROM rejected_files WHERE NOT ({retry})"
    ).fetchall()
    retrying = (
        con.execute(f"SELECT sha256, parser_version, attempts FROM rejected_files WHERE {retry}").fetchall()
        if retries
        else []
    )
    forgotten = con.execute("SELECT sha256 FROM forgotten_decks").fetchall() if _columns(con, "forgotten_decks") else []
    return WarehouseState(
        {(sha, version) for sha, version in loaded},
        {(sha, version): attempts for sha, version, attempts in retrying},
        {sha for (sha,) in forgotten},
    )


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
    attempts: dict[str, int] = field(default_factory=dict)  # sha256 → attempts, for outcomes awaiting a retry

    @property
    def load_key(self) -> str:
        """Names the load of exactly these outcomes with this parser (one run per distinct load)."""
        stamps = sorted(f"{f.sha256}:{self.attempts.get(f.sha256, 0)}" for f in self.to_load)
        digest = hashlib.sha256("".join(stamps).encode()).hexdigest()
        return f"load-{digest[:16]}-v{pipeline.PARSER_VERSION}"


def needing_parse(files: list[DeckFile], staging: StagingArea, retry: bool = False) -> list[DeckFile]:
    """The files with no staged outcome for this parser version (and, when `retry`, those whose last
    parse hit a time or memory limit and awaits a retry)."""
    return [f for f in files if not staging.has(f.sha256) or (retry and staging.awaiting_retry(f.sha256))]


def plan_refresh(
    files: list[DeckFile], staging: StagingArea, state: WarehouseState, retry: bool = False
) -> RefreshPlan:
    """Parse what has no staged outcome (and, when `retry`, what awaits a retry); load what is
    staged but not in the warehouse as staged. Content forgotten on purpose is not loaded again."""
    to_parse = needing_parse(files, staging, retry)
    to_load, attempts = [], {}
    for f in files:
        if not staging.has(f.sha256) or f.sha256 in state.forgotten:
            continue
        key = (f.sha256, staging.version)
        if staging.awaiting_retry(f.sha256):
            outcome = staging.get(f.sha256)
            attempts[f.sha256] = outcome.attempts if outcome else 0
            if state.retrying.get(key) != attempts[f.sha256]:
                to_load.append(f)
        elif key not in state.loaded:
            to_load.append(f)
    return RefreshPlan(to_parse, to_load, attempts)
