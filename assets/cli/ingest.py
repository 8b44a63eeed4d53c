"""`scorecards ingest [PDF...] [--db PATH]`: materialize the Dagster assets in-process over given files.

Exit status: 0 when every file was ingested, 1 when any was rejected or quarantined (each named
on stderr with its reason), 2 on usage errors. Failed warehouse data-quality reports are listed on
stderr too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import dagster as dg

from assets import settings
from assets.cli import UsageError
from assets.decks import deck_partitions, parsed_deck
from assets.definitions import build_resources
from assets.warehouse import kpi_views, warehouse_tables
from pipeline.ingest.inventory import DeckFile, scan
from pipeline.warehouse.config import load_config

QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}


def add_to(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "ingest",
        help="parse decks and add or replace them in the warehouse",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n  scorecards ingest raw_pdfs/*.pdf --db warehouse/scorecards.duckdb",
    )
    parser.add_argument("pdfs", nargs="*", type=Path, help=f"deck files (default: {settings.DEFAULT_PDF_DIR}/*.pdf)")
    parser.add_argument("--db", type=Path, default=None, help=f"warehouse file (default: {settings.DEFAULT_DB})")
    parser.set_defaults(run=run)


def _inputs(pdfs: list[Path]) -> list[Path]:
    files = pdfs or sorted(p for p in settings.pdf_dir().glob("*") if p.suffix.lower() == ".pdf")
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    if not files:
        raise UsageError(f"no PDF files given and none in {settings.pdf_dir()}/")
    return files


def _progress(stream, text: str) -> None:
    """One line per deck; on a terminal the line is rewritten in place."""
    if stream.isatty():
        stream.write("\r\033[K" + text)
    else:
        stream.write(text + "\n")
    stream.flush()


def _parse_each(decks: list[DeckFile], instance: dg.DagsterInstance, resources: dict) -> tuple[int, int]:
    """Materialize each deck's partition, one line of progress per deck; (parsed, reused)."""
    parsed = reused = 0
    for n, deck in enumerate(decks, start=1):
        _progress(sys.stdout, f"[{n}/{len(decks)}] {deck.path.name}")
        result = dg.materialize(
            [parsed_deck],
            partition_key=deck.deck_id,
            instance=instance,
            resources=resources,
            run_config=QUIET,
            raise_on_error=False,
        )
        if not result.success:
            raise RuntimeError(f"parsing {deck.path} failed inside Dagster")
        cached = result.asset_materializations_for_node("parsed_deck")[0].metadata["reused"].value
        reused += cached
        parsed += not cached
    if sys.stdout.isatty():
        sys.stdout.write("\n")
    return parsed, reused


def ingest(pdfs: list[Path], db: Path | None) -> int:
    files = _inputs(pdfs)
    database = db or settings.db_path()
    load_config(settings.config_path())  # fail early on a malformed config file
    resources = build_resources([str(p) for p in files], str(database))
    instance = dg.DagsterInstance.ephemeral()
    decks = scan(files)
    instance.add_dynamic_partitions(deck_partitions.name, [deck.deck_id for deck in decks])
    parsed, reused = _parse_each(decks, instance, resources)
    _progress(sys.stdout, f"loading {len(decks)} decks into {database}")
    result = dg.materialize(
        [parsed_deck, warehouse_tables, kpi_views],
        selection=[warehouse_tables, kpi_views],
        instance=instance,
        resources=resources,
        run_config=QUIET,
        raise_on_error=False,
    )
    loaded = result.asset_materializations_for_node("warehouse_tables")
    if not loaded:
        raise RuntimeError("loading the warehouse failed")
    rejected = loaded[0].metadata["rejected"].value
    quarantined = loaded[0].metadata["quarantined"].value
    for entry in rejected:
        print(f"rejected: {entry['file']}: {entry['reason']}", file=sys.stderr)
    for entry in quarantined:
        print(f"quarantined: {entry['file']}: {entry['reason']}", file=sys.stderr)
    for check in (e for e in result.get_asset_check_evaluations() if not e.passed):
        print(f"check {check.check_name}: warning: {check.metadata['count'].value} row(s)", file=sys.stderr)
    duplicates = len(files) - len(decks)
    extra = f", {duplicates} duplicate file(s) skipped" if duplicates else ""
    print(
        f"ingested {len(decks) - len(rejected) - len(quarantined)} decks (parsed {parsed}, reused {reused}), "
        f"rejected {len(rejected)}, quarantined {len(quarantined)}{extra} → {database}"
    )
    return 1 if rejected or quarantined or not result.success else 0


def run(args: argparse.Namespace) -> int:
    try:
        return ingest(args.pdfs, args.db)
    except RuntimeError as exc:
        print(f"scorecards: {exc}; the error is logged above", file=sys.stderr)
        return 1
