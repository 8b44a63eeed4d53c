"""`scorecards ingest [PDF|FOLDER...] [--db PATH]`: materialize the Dagster assets in-process over given files.

A folder stands for the *.pdf files in it. Exit status: 0 when every file was ingested, 1 when any
was rejected or quarantined (each named on stderr with its reason), failed on an internal error,
or the load failed; 2 on usage errors (no such file, a --db path that cannot be a warehouse, a bad
setting). Failed warehouse data-quality reports are listed on stderr too.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from assets import settings
from assets.cli import UsageError, plural, warehouse_path
from assets.cli.progress import Progress
from assets.decks import deck_partitions, parse_run_tags, parsed_deck, progress
from assets.resources import build_resources
from assets.warehouse import kpi_views, warehouse_tables
from pipeline.ingest.inventory import DeckFile, needing_parse
from pipeline.warehouse.config import load_config

QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
SILENT = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}  # failures are reported by us, in one line


def add_to(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "ingest",
        help="parse decks and add them to the warehouse",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n  scorecards ingest raw_pdfs/ --db warehouse/scorecards.duckdb",
    )
    parser.add_argument(
        "pdfs", nargs="*", type=Path, help=f"deck files or folders of them (default: {settings.DEFAULT_PDF_DIR}/)"
    )
    parser.add_argument("--db", type=Path, default=None, help=f"warehouse file (default: {settings.DEFAULT_DB})")
    parser.set_defaults(run=run)


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


def _step_error(result: dg.ExecuteInProcessResult) -> str:
    """The error a failed run's step raised, under Dagster's wrapping, in one line ('TypeError: …';
    a PublishError speaks for itself)."""
    events = result.get_step_failure_events()
    error = events[0].step_failure_data.error if events else None
    while error is not None and error.cls_name and error.cls_name.startswith("Dagster") and error.cause:
        error = error.cause
    if error is None:
        return "the run failed"
    head, _, message = error.message.strip().partition(": ")  # 'pipeline.warehouse.publish.PublishError: …'
    if head.rsplit(".", 1)[-1] != error.cls_name:
        message = error.message.strip()
    return message if error.cls_name == "PublishError" else f"{error.cls_name}: {message}"


class _ProgressHandler(logging.Handler):
    """Draws the parse step's progress records (assets.decks.progress) as they come."""

    def __init__(self, bar: Progress) -> None:
        super().__init__()
        self.bar = bar

    def emit(self, record: logging.LogRecord) -> None:
        self.bar.step(record.getMessage())


@contextmanager
def _drawn(total: int) -> Iterator[None]:
    bar = Progress(total, sys.stdout)
    handler = _ProgressHandler(bar)
    progress.addHandler(handler)
    progress.setLevel(logging.INFO)
    try:
        yield
    finally:
        progress.removeHandler(handler)
        bar.close()


def _parse(decks: list[DeckFile], instance: dg.DagsterInstance, resources: dict) -> ParseCounts:
    """Materialize the partitions of the decks that need a parse in one run (parsed SCORECARDS_WORKERS
    at a time), one line of progress per deck; the others are reused as staged, without a run. An
    internal error in one deck's parse is counted and reported, and the others go on."""
    staging = resources["decks"].staging()
    todo = needing_parse(decks, staging, retry=True)  # as reuse_or_parse_all decides: limits are retried
    counts = ParseCounts(reused=len(decks) - len(todo))
    if not todo:
        return counts
    instance.add_dynamic_partitions(deck_partitions.name, [deck.deck_id for deck in todo])
    tags = parse_run_tags(todo[0].deck_id, todo[-1].deck_id)
    with _drawn(len(todo)):
        result = dg.materialize(
            [parsed_deck], instance=instance, resources=resources, run_config=QUIET, tags=tags, raise_on_error=False
        )
    if not result.success:
        raise RuntimeError(f"parsing failed: {_step_error(result)}")
    metadata = {m.partition: m.metadata for m in result.asset_materializations_for_node("parsed_deck")}
    for deck in todo:
        meta = metadata[deck.deck_id]
        if meta.get("failure") and meta["failure"].value == "internal":
            counts.failed.append((deck.path.name, meta["rejected"].value))
            continue
        counts.reused += meta["reused"].value
        counts.parsed += not meta["reused"].value
    return counts


def _report(
    loaded: dict, failed: list[tuple[str, str]], result: dg.ExecuteInProcessResult, database: Path
) -> tuple[int, int]:
    """Name every deck not loaded on stderr, with its reason; (rejected, quarantined)."""
    rejected, quarantined = loaded["rejected"].value, loaded["quarantined"].value
    for entry in rejected:
        print(f"rejected: {entry['file']}: {entry['reason']}", file=sys.stderr)
    for entry in quarantined:
        print(f"quarantined: {entry['file']}: {entry['reason']}", file=sys.stderr)
    for name, reason in failed:
        print(f"failed: {name}: {reason} (not the file's fault; it is parsed again next time)", file=sys.stderr)
    warned = [e for e in result.get_asset_check_evaluations() if not e.passed]
    for check in warned:
        print(f"check {check.check_name}: warning: {plural(check.metadata['count'].value, 'row')}", file=sys.stderr)
    if warned or quarantined:
        print(f"the details: scorecards status --db {database}", file=sys.stderr)
    return len(rejected), len(quarantined)


def _run(files: list[Path], database: Path, instance: dg.DagsterInstance) -> int:
    """Parse what needs a parse, then load every deck; report and return the exit status."""
    resources = build_resources([str(p) for p in files], str(database))
    decks = resources["decks"].deck_files()
    counts = _parse(decks, instance, resources)
    print(f"loading {plural(len(decks), 'deck')} into {database}", flush=True)
    result = dg.materialize(
        [parsed_deck, warehouse_tables, kpi_views],
        selection=[warehouse_tables, kpi_views],
        instance=instance,
        resources=resources,
        run_config=SILENT,
        raise_on_error=False,
    )
    loaded = result.asset_materializations_for_node("warehouse_tables")
    if not loaded:
        raise RuntimeError(f"loading the warehouse failed: {_step_error(result)}")
    rejected, quarantined = _report(loaded[0].metadata, counts.failed, result, database)
    duplicates = len(files) - len(decks)
    ingested = len(decks) - rejected - quarantined - len(counts.failed)
    extra = f", {plural(duplicates, 'duplicate file')} skipped" if duplicates else ""
    failed = f", failed {len(counts.failed)} (internal error)" if counts.failed else ""
    print(
        f"ingested {plural(ingested, 'deck')} (parsed {counts.parsed}, reused {counts.reused}), "
        f"rejected {rejected}, quarantined {quarantined}{failed}{extra} → {database}"
    )
    if not result.success:
        print(f"scorecards: refreshing the views failed: {_step_error(result)}", file=sys.stderr)
    return 1 if rejected or quarantined or counts.failed or not result.success else 0


def ingest(pdfs: list[Path], db: Path | None) -> int:
    files = _inputs(pdfs)
    database = warehouse_path(db or settings.db_path())
    load_config(settings.config_path())  # fail early on a malformed config file
    with dg.DagsterInstance.ephemeral() as instance:
        return _run(files, database, instance)


def run(args: argparse.Namespace) -> int:
    try:
        return ingest(args.pdfs, args.db)
    except RuntimeError as exc:
        print(f"scorecards: {exc}", file=sys.stderr)
        return 1
