"""`scorecards sql [--db PATH] [-c SQL]`: a read-only SQL shell on the warehouse.

Runs the DuckDB shell (the duckdb-cli package, installed with the dev extra) as
`duckdb -readonly PATH`, so a refresh can still publish while you query. Also works with a
query to run and exit (-c), for scripts.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from assets.cli import UsageError
from assets.cli.common import read_command, warehouse_path


def add_to(sub: argparse._SubParsersAction) -> None:
    parser = read_command(
        sub,
        "sql",
        __doc__,
        "open a read-only SQL shell (duckdb) on the warehouse",
        ["scorecards sql", 'scorecards sql -c "SELECT org, count(*) FROM kpis GROUP BY org"'],
        run,
    )
    parser.add_argument("-c", "--command", default=None, help="run this SQL, print the result and exit")


def duckdb_shell() -> Path | None:
    """The duckdb shell beside this interpreter (the venv's), else the first on PATH."""
    beside = Path(sys.executable).with_name("duckdb")
    if beside.is_file():
        return beside
    found = shutil.which("duckdb")
    return Path(found) if found else None


def run(args: argparse.Namespace) -> int:
    db = warehouse_path(args.db)
    shell = duckdb_shell()
    if shell is None:
        raise UsageError("no duckdb shell found: `pip install duckdb-cli` (the dev extra has it), or use harlequin")
    command = [str(shell), "-readonly", str(db)] + (["-c", args.command] if args.command else [])
    return subprocess.call(command)
