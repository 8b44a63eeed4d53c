"""The `scorecards` command: one module per subcommand, each with `add_to(subparsers)` and `run(args)`.

Exit status: 0 success; 1 the work ran but something was rejected or failed; 2 usage errors.
"""

from __future__ import annotations

import argparse
import logging
import sys
from importlib import import_module

from pipeline.warehouse.config import ConfigError

COMMANDS = ("ingest", "report")


class UsageError(Exception):
    """A mistake in the command line or the files it names: exit status 2, one line on stderr."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scorecards",
        description="Balanced-scorecard decks (PDF) into a DuckDB warehouse.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
