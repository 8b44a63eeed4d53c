"""The `scorecards` command: one module per subcommand, each with `add_to(subparsers)` and `run(args)`.

Exit status: 0 success; 1 the work ran but something was rejected or failed; 2 usage errors.
"""

from __future__ import annotations

import argparse
import logging
import sys
from importlib import import_module, metadata

from pipeline.warehouse.config import ConfigError
from pipeline.warehouse.storage import STORAGE_VERSION

COMMANDS = ("ingest", "explain", "report", "status", "export", "sql")


class UsageError(Exception):
    """A mistake in the command line or the files it names: exit status 2, one line on stderr."""


def version() -> str:
    """This package's version, and what the warehouse files it writes need to be read."""
    try:
        own = metadata.version("scorecards")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        own = "unknown"
    return f"scorecards {own} (duckdb {metadata.version('duckdb')}; warehouse readable by DuckDB {STORAGE_VERSION}+)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scorecards",
        description="Balanced-scorecard decks (PDF) into a DuckDB warehouse.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  scorecards ingest\n  scorecards status\n  scorecards report --out report.html\n"
        "  scorecards COMMAND --help",
    )
    parser.add_argument("--version", action="version", version=version())
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        import_module(f"assets.cli.{name}").add_to(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.getLogger("dagster").setLevel(logging.ERROR)
    try:
        return args.run(args)
    except (UsageError, ConfigError) as exc:
        print(f"scorecards: {exc}", file=sys.stderr)
        return 2
