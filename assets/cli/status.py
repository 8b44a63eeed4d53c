"""`scorecards status [--db PATH]`: what the warehouse holds and what is wrong with it.

Decks loaded per office and plan year, rejected and quarantined files with their reasons, the
last refresh, and each data-quality check with the rows that break it. Exit status 1 when a deck
is quarantined (held back for failing a plausibility check), else 0; 2 when there is no warehouse.
"""

from __future__ import annotations

import argparse
import unicodedata
from itertools import groupby

from assets.cli.common import read_command, read_only, warehouse_path
from pipeline.report.status import WarehouseStatus, warehouse_status

ROWS_PER_CHECK = 20


def add_to(sub: argparse._SubParsersAction) -> None:
    read_command(
        sub,
        "status",
        __doc__,
        "decks, rejections, last refresh and data-quality checks with their offending rows",
        ["scorecards status --db warehouse/scorecards.duckdb"],
        run,
    )


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _describe(row: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in row.items() if v is not None)


def render(status: WarehouseStatus, db: str) -> list[str]:
    """The status as lines of text."""
    lines = [f"warehouse  {db}  (storage {status.storage_version}, last refresh {status.last_refresh or 'never'})"]
    lines.append(f"\ndecks: {len(status.decks)}")
    org_width = max((_width(str(d["org"])) for d in status.decks), default=0)
    for org, decks in groupby(status.decks, key=lambda d: d["org"]):
        for n, deck in enumerate(decks):
            superseded = f"  superseded by {deck['superseded_by']}" if deck.get("superseded_by") else ""
            lines.append(
                f"  {_pad(str(org) if n == 0 else '', org_width)}  {deck['plan_year']}  {deck['source_file']}"
                f"  {deck['kpis']} KPIs  loaded {deck['ingested_at']:%Y-%m-%d %H:%M}{superseded}"
            )
    lines.append(f"\nrejected files: {len(status.rejected)}")
    lines += [f"  {r['source_file']}: {r['reason']}  ({r['rejected_at']:%Y-%m-%d %H:%M})" for r in status.rejected]
    lines.append(f"\nquarantined decks: {len(status.quarantined)}")
    lines += [f"  {q.get('source_file')}: {q.get('check_name')}: {q.get('detail')}" for q in status.quarantined]
    if status.findings:
        lines.append(f"\ndeck findings (warnings): {len(status.findings)}")
        lines += [f"  {f.get('source_file')}: {f.get('check_name')}: {f.get('detail')}" for f in status.findings]
    failed = sum(not c.passed for c in status.checks)
    lines.append(f"\ndata-quality checks: {len(status.checks) - failed} passed, {failed} failed")
    for check in status.checks:
        verdict = "ok  " if check.passed else "warn"
        lines.append(f"  {verdict}  {check.name}" + ("" if check.passed else f": {check.count} row(s)"))
        if not check.passed:
            lines.append(f"        {check.description}")
            lines += [f"        - {_describe(row)}" for row in check.rows]
            if check.count > len(check.rows):
                lines.append(f"        … and {check.count - len(check.rows)} more")
    return lines


def run(args: argparse.Namespace) -> int:
    db = warehouse_path(args.db)
    with read_only(db) as con:
        status = warehouse_status(con, ROWS_PER_CHECK)
    print("\n".join(render(status, str(db))))
    return 1 if status.quarantined else 0
