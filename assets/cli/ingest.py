"""`scorecards ingest [PDF|FOLDER...] [--db PATH]`: parse the given decks and load them into the warehouse.

A folder stands for the *.pdf files in it. The steps are those of the Dagster assets parsed_deck,
warehouse_tables and kpi_views (the same core functions: pipeline.ingest.refresh and
pipeline.warehouse.refresh), run here without a Dagster instance: a Dagster run records nothing a
one-off command keeps, and starting one costs more than a refresh with one new deck does. Decks
are parsed SCORECARDS_WORKERS at a time in bounded child processes; tables and views are published
together. Exit status: 0 when every file was ingested, 1 when any was rejected or quarantined (each
named on stderr with its reason), failed on an internal error, or the load failed; 2 on usage
errors (no such file, a --db path that cannot be a warehouse, a bad setting). Failed warehouse
data-quality reports are listed on stderr too.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from assets import settings
from assets.cli import UsageError, command, plural, warehouse_path
from assets.cli.common import add_db_argument
from assets.cli.progress import Progress
from pipeline.ingest.inventory import DeckFile, needing_parse, scan
from pipeline.ingest.refresh import outcomes_to_load, reuse_or_parse_all
from pipeline.ingest.sandbox import Limits
from pipeline.ingest.staging import StagingArea
from pipeline.model import Failure
from pipeline.warehouse.config import Config, load_config
from pipeline.warehouse.publish import PublishError, publish
from pipeline.warehouse.refresh import TablesRefresh, refresh_tables, refresh_views


def add_to(sub: argparse._SubParsersAction) -> None:
    example = "scorecards ingest raw_pdfs/ --db warehouse/scorecards.duckdb"
    parser = command(sub, "ingest", __doc__, "parse decks and add them to the warehouse", [example], run)
    parser.add_argument(
        "pdfs", nargs="*", type=Path, help=f"deck files or folders of them (default: {settings.DEFAULT_PDF_DIR}/)"
    )
    add_db_argument(parser)


def _pdfs_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".pdf")


def _inputs(pdfs: list[Path]) -> list[Path]:
    """The files to ingest: those named, the *.pdf of folders named, or of the deck folder."""
    missing = [str(p) for p in pdfs if not p.exists()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    named = pdfs or [settings.pdf_dir()]
    files = [f for p in named for f in (_pdfs_in(p) if p.is_dir() else [p])]
    if not files:
        raise UsageError(f"no PDF files in {', '.join(str(p) for p in named)}")
    return files


@dataclass
class ParseCounts:
    parsed: int = 0
    reused: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, internal error)


def _parse(decks: list[DeckFile], staging: StagingArea) -> ParseCounts:
    """Parse the decks that need a parse, SCORECARDS_WORKERS at a time, one line of progress per
    deck; the others are reused as staged. An internal error in one deck's parse is counted and
    reported, and the others go on."""
    todo = needing_parse(decks, staging, retry=True)  # as reuse_or_parse_all decides: limits are retried
    counts = ParseCounts(reused=len(decks) - len(todo))
    if not todo:
        return counts
    bar = Progress(len(todo), sys.stdout)
    try:
        limits = Limits(settings.parse_timeout_s(), settings.parse_memory_mb())
        for deck, outcome in reuse_or_parse_all(todo, staging, limits, settings.workers()):
            bar.step(deck.path.name)
            if outcome.failure == Failure.INTERNAL:
                counts.failed.append((deck.path.name, outcome.rejection or "internal error"))
            elif outcome.reused:
                counts.reused += 1
            else:
                counts.parsed += 1
    finally:
        bar.close()
    return counts


def _say(message: str) -> None:
    print(f"scorecards: {message}", file=sys.stderr)


def _load(database: Path, decks: list[DeckFile], staging: StagingArea, config: Config) -> TablesRefresh:
    """Write the decks' staged outcomes, count the data-quality reports, and remake the views, all
    in one publish (the warehouse as it was, or as it is after all of it)."""

    def apply(con: duckdb.DuckDBPyConnection) -> TablesRefresh:
        outcomes = outcomes_to_load(con, decks, staging, only_missing=False, warn=_say)
        refreshed = refresh_tables(con, outcomes, config, datetime.now())
        refresh_views(con)
        return refreshed

    try:
        return publish(database, apply)
    except PublishError as exc:
        raise RuntimeError(f"loading the warehouse failed: {exc}") from exc
    except (duckdb.Error, OSError) as exc:
        raise RuntimeError(f"loading the warehouse failed: {type(exc).__name__}: {exc}") from exc


def _report(refreshed: TablesRefresh, failed: list[tuple[str, str]], database: Path) -> tuple[int, int]:
    """Name every deck not loaded on stderr, with its reason; (rejected, quarantined)."""
    summary = refreshed.summary
    for name, reason in summary.rejected:
        print(f"rejected: {name}: {reason}", file=sys.stderr)
    for name, reason in summary.quarantined:
        print(f"quarantined: {name}: {reason}", file=sys.stderr)
    for name, reason in failed:
        print(f"failed: {name}: {reason} (not the file's fault; it is parsed again next time)", file=sys.stderr)
    warned = [check for check in refreshed.checks if check.count]
    for check in warned:
        print(f"check {check.rule.name}: warning: {plural(check.count, 'row')}", file=sys.stderr)
    if warned or summary.quarantined:
        print(f"the details: scorecards status --db {database}", file=sys.stderr)
    return len(summary.rejected), len(summary.quarantined)


def ingest(pdfs: list[Path], db: Path | None) -> int:
    """Parse what needs a parse, then load every deck; report and return the exit status."""
    files = _inputs(pdfs)
    database = warehouse_path(db or settings.db_path())
    config = load_config(settings.config_path())  # fail early on a malformed config file
    staging = StagingArea(settings.staging_dir_for(database))
    decks = scan(files, staging.hashes())
    try:
        counts = _parse(decks, staging)
    except OSError as exc:  # the parse results could not be staged (a full disk)
        raise RuntimeError(f"parsing failed: {exc}") from exc
    print(f"loading {plural(len(decks), 'deck')} into {database}", flush=True)
    refreshed = _load(database, decks, staging, config)
    rejected, quarantined = _report(refreshed, counts.failed, database)
    duplicates = len(files) - len(decks)
    ingested = len(decks) - rejected - quarantined - len(counts.failed)
    extra = f", {plural(duplicates, 'duplicate file')} skipped" if duplicates else ""
    failed = f", failed {len(counts.failed)} (internal error)" if counts.failed else ""
    print(
        f"ingested {plural(ingested, 'deck')} (parsed {counts.parsed}, reused {counts.reused}), "
        f"rejected {rejected}, quarantined {quarantined}{failed}{extra} → {database}"
    )
    return 1 if rejected or quarantined or counts.failed else 0


def run(args: argparse.Namespace) -> int:
    try:
        return ingest(args.pdfs, args.db)
    except RuntimeError as exc:
        print(f"scorecards: {exc}", file=sys.stderr)
        return 1
