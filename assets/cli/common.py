"""What the read-side commands (report, status, export, sql) share: the --db option and a read-only connection."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from assets import settings
from assets.cli import command
from assets.cli import warehouse_path as cli_warehouse_path


def read_command(
    sub: argparse._SubParsersAction, name: str, doc: str, summary: str, examples: list[str], run: Callable
) -> argparse.ArgumentParser:
    """A subcommand that reads the warehouse (see assets.cli.command), with --db."""
    parser = command(sub, name, doc, summary, examples, run)
    add_db_argument(parser)
    return parser


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", type=Path, default=None, help=f"warehouse file (default: $SCORECARDS_DB or {settings.DEFAULT_DB})"
    )


def warehouse_path(db: Path | None) -> Path:
    """The warehouse to read (a usage error when there is none yet, or it is no DuckDB file)."""
    return cli_warehouse_path(db or settings.db_path(), must_exist=True)


@contextmanager
def read_only(db: Path | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection: never blocks a refresh, never takes a writer's lock."""
    con = duckdb.connect(str(warehouse_path(db)), read_only=True)
    try:
        yield con
    finally:
        con.close()
