"""`scorecards export [--db PATH] --format parquet|csv --out DIR`: every table and view as files.

One file per table and view (decks.parquet, kpi_attainment.csv, …), written by DuckDB's COPY from
a read-only connection, for tools that do not read DuckDB files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assets.cli.common import read_command, read_only
from pipeline.report.export import FORMATS, export


def add_to(sub: argparse._SubParsersAction) -> None:
    parser = read_command(
        sub,
        "export",
        __doc__,
        "write every table and view as Parquet or CSV files",
        [
            "scorecards export --format parquet --out export/",
            "scorecards export --db /data/sc.duckdb --format csv --out /tmp/sc-csv",
        ],
        run,
    )
    parser.add_argument("--format", required=True, choices=sorted(FORMATS), help="file format")
    parser.add_argument("--out", required=True, type=Path, help="folder to write into (created if missing)")


def run(args: argparse.Namespace) -> int:
    with read_only(args.db) as con:
        done = export(con, args.out, args.format)
    width = max(len(e.name) for e in done)
    for e in done:
        print(f"  {e.kind:5}  {e.name:{width}}  {e.rows:>7} rows  → {e.path}")
    print(f"exported {len(done)} tables and views to {args.out}/")
    return 0
