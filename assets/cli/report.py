"""`scorecards report [--db PATH] [--org ORG] [--out FILE]`: the scorecard report as one HTML file.

Per office, its latest plan year's KPIs grouped by theme and perspective as the deck prints them,
each with target, actual, attainment and a red/amber/green light (thresholds in scorecards.toml's
[report] section: green at 100% of target, amber at 90% by default), the year-over-year change
and a line chart of actuals and targets over all years. Self-contained: opens offline.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assets import settings
from assets.cli import UsageError
from assets.cli.common import read_command, read_only, warehouse_path
from pipeline.report.data import offices
from pipeline.report.scorecard import write_report
from pipeline.report.thresholds import load_report_config


def add_to(sub: argparse._SubParsersAction) -> None:
    parser = read_command(
        sub,
        "report",
        __doc__,
        "write the scorecard report (HTML, charts, traffic lights)",
        ["scorecards report", "scorecards report --org 士林 --out shilin.html"],
        run,
    )
    parser.add_argument("--org", default=None, help="only offices whose name contains ORG (default: all)")
    parser.add_argument(
        "--out", type=Path, default=None, help="HTML file to write (default: beside the warehouse, *.report.html)"
    )
    parser.add_argument(
        "--pdf-dir",
        type=Path,
        default=None,
        help=f"the decks' folder, for links to their pages (default: {settings.DEFAULT_PDF_DIR})",
    )


def run(args: argparse.Namespace) -> int:
    db = warehouse_path(args.db)
    config = load_report_config(settings.config_path())
    out = args.out or settings.report_path_for(db)
    with read_only(db) as con:
        if not offices(con, args.org):
            known = ", ".join(offices(con)) or "none"
            raise UsageError(f"no office in {db} matches {args.org!r} (offices: {known})")
        summary = write_report(con, out, config, args.pdf_dir or settings.pdf_dir(), args.org, str(db))
    print(f"report: {summary.line()}")
    if summary.font is None:
        print("note: no CJK font found to embed; readers' own fonts will show the Chinese text")
    return 0
