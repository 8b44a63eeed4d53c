"""Where things live and how parsing is bounded, from the environment, with the defaults the README
documents. Read by the CLI and the Dagster code location alike."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.ingest.sandbox import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S

DEFAULT_PDF_DIR = "raw_pdfs"
DEFAULT_DB = "warehouse/scorecards.duckdb"
DEFAULT_CONFIG = "scorecards.toml"


class SettingError(ValueError):
    """An environment setting holds a value that cannot be used; the message names it."""


def pdf_dir() -> Path:
    return Path(os.environ.get("SCORECARDS_PDF_DIR", DEFAULT_PDF_DIR))


def db_path() -> Path:
    return Path(os.environ.get("SCORECARDS_DB", DEFAULT_DB))


def config_path() -> Path:
    return Path(os.environ.get("SCORECARDS_CONFIG", DEFAULT_CONFIG))


def staging_dir_for(db: Path) -> Path:
    """Parse results are cached beside the warehouse they feed: warehouse/scorecards.staging/."""
    return db.with_name(db.stem + ".staging")


def report_path_for(db: Path) -> Path:
    """The scorecard report is written beside the warehouse it reads: warehouse/scorecards.report.html."""
    return db.with_name(db.stem + ".report.html")


def _positive(name: str, default: float, kind: type) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise SettingError(f"{name}={raw!r}: expected a positive {'whole ' if kind is int else ''}number")
    return value


def parse_timeout_s() -> float:
    """SCORECARDS_PARSE_TIMEOUT_S: seconds one deck's parse may take (wall clock)."""
    return _positive("SCORECARDS_PARSE_TIMEOUT_S", DEFAULT_TIMEOUT_S, float)


def parse_memory_mb() -> int:
    """SCORECARDS_PARSE_MEMORY_MB: memory (address space) one deck's parse may use."""
    return int(_positive("SCORECARDS_PARSE_MEMORY_MB", DEFAULT_MEMORY_MB, int))


def default_workers() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers() -> int:
    """SCORECARDS_WORKERS: decks parsed at once, each in its own bounded child process."""
    return int(_positive("SCORECARDS_WORKERS", default_workers(), int))


def decks_per_run() -> int | None:
    """SCORECARDS_DECKS_PER_RUN: the most deck partitions one parse run takes (unset: all of a batch
    in one run; set it to spread a large batch over several runs, and so over machines)."""
    if not os.environ.get("SCORECARDS_DECKS_PER_RUN", "").strip():
        return None
    return int(_positive("SCORECARDS_DECKS_PER_RUN", 0, int))
