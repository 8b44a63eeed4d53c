"""The `scorecards` command: one module per subcommand, each with `add_to(subparsers)` and `run(args)`.

Exit status: 0 success; 1 the work ran but something was rejected or failed; 2 usage errors.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from importlib import import_module, metadata
from pathlib import Path

from assets.settings import SettingError
from pipeline.warehouse.config import ConfigError
from pipeline.warehouse.storage import STORAGE_VERSION

COMMANDS = ("ingest", "explain", "forget", "report", "status", "export", "sql")
_DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file


class UsageError(Exception):
    """A mistake in the command line or the files it names: exit status 2, one line on stderr."""


def version() -> str:
    """This package's version, and what the warehouse files it writes need to be read."""
    try:
        own = metadata.version("scorecards")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        own = "unknown"
    return f"scorecards {own} (duckdb {metadata.version('duckdb')}; warehouse readable by DuckDB {STORAGE_VERSION}+)"


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 deck', '2 decks', '1 duplicate file', '0 files'."""
    return f"{count} {word if count == 1 else words or word + 's'}"


def warehouse_path(db: Path, must_exist: bool = False) -> Path:
    """`db` if a warehouse can be read or written there, else UsageError naming the path and the problem."""
    folder = db.parent
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--db {db}: {folder} is a file, not a folder")
    if not folder.is_dir():
        raise UsageError(f"--db {db}: the folder {folder} does not exist (create it first)")
    if db.is_dir():
        raise UsageError(f"--db {db}: is a folder; give the warehouse file inside it, e.g. {db / 'scorecards.duckdb'}")
    if db.exists():
        with db.open("rb") as fh:
            if fh.read(12)[8:12] != _DUCKDB_MAGIC:
                raise UsageError(f"--db {db}: exists but is not a DuckDB database file")
    elif must_exist:
        raise UsageError(f"no warehouse at {db}: load decks first with `scorecards ingest`, or pass --db")
    return db


def command(
    sub: argparse._SubParsersAction, name: str, doc: str | None, summary: str, examples: list[str], run
) -> argparse.ArgumentParser:
    """A subcommand: its module doc as description, `summary` in the command list, examples in --help."""
    parser = sub.add_parser(
        name,
        help=summary,
        description=doc,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=("example:\n" if len(examples) == 1 else "examples:\n") + "\n".join(f"  {e}" for e in examples),
    )
    parser.set_defaults(run=run)
    return parser


def build_parser(commands: tuple[str, ...] = COMMANDS) -> argparse.ArgumentParser:
    """The command line; only `commands` are imported (each pulls in what it runs on: Dagster, the parser…)."""
    parser = argparse.ArgumentParser(
        prog="scorecards",
        description="Balanced-scorecard decks (PDF) into a DuckDB warehouse.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  scorecards ingest\n  scorecards status\n  scorecards report --out report.html\n"
        "  scorecards COMMAND --help",
    )
    parser.add_argument("--version", action="version", version=version())
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in commands:
        import_module(f"assets.cli.{name}").add_to(sub)
    return parser


class _Stderr(logging.Handler):
    """Log lines on whatever sys.stderr is when they are emitted, as 'scorecards: message…'."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"scorecards: {record.getMessage()}…", file=sys.stderr, flush=True)


def _say_waits_on_stderr() -> None:
    """A run that waits for another writer of the warehouse says so (pipeline.warehouse.lockfile logs it)."""
    logger = logging.getLogger("pipeline.warehouse.lockfile")
    if not any(isinstance(h, _Stderr) for h in logger.handlers):
        logger.addHandler(_Stderr())
        logger.propagate = False


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    asked = (argv[0],) if argv and argv[0] in COMMANDS else COMMANDS  # start-up pays for one command, not all
    try:
        args = build_parser(asked).parse_args(argv)  # importing a command may read a setting
        logging.getLogger("dagster").setLevel(logging.ERROR)
        _say_waits_on_stderr()
        return args.run(args)
    except (UsageError, ConfigError, SettingError) as exc:
        print(f"scorecards: {exc}", file=sys.stderr)
        return 2


def console() -> None:
    """The `scorecards` command: `main`, then exit without finalizing the interpreter.

    Everything is written and closed by then (outputs flushed here; warehouse connections, workers
    and the Dagster instance closed by their owners), but tearing down Dagster's and its storage's
    modules takes over half a second, longer than a refresh with nothing new needs for its work.
    Under a profiler or a tracer (coverage) it exits the ordinary way, so they can write their results.
    """
    status = main()
    if sys.getprofile() or sys.gettrace():  # a profiler or coverage writes its results at exit: let it
        sys.exit(status)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
