"""What is in a warehouse and what is wrong with it, in one read: decks per office and plan year,
rejected and quarantined files with their reasons, the last refresh, and every data-quality check
with the rows that break it (the same rules the refresh evaluates, run again on what is published).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from pipeline.report.flags import deck_checks, has_relation
from pipeline.warehouse.quality import CHECKS, violation_count, violations


@dataclass(frozen=True)
class CheckStatus:
    name: str
    description: str
    count: int
    rows: list[dict]  # the first offending rows

    @property
    def passed(self) -> bool:
        return self.count == 0


@dataclass
class WarehouseStatus:
    storage_version: str
    last_refresh: datetime | None
    decks: list[dict] = field(default_factory=list)  # org, plan_year, source_file, kpis, ingested_at (+ superseded_by)
    rejected: list[dict] = field(default_factory=list)  # source_file, reason, rejected_at
    quarantined: list[dict] = field(default_factory=list)  # deck_checks rows of severity error
    findings: list[dict] = field(default_factory=list)  # other deck_checks rows
    checks: list[CheckStatus] = field(default_factory=list)


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()}


def _decks(con: duckdb.DuckDBPyConnection) -> list[dict]:
    extra = ", d.superseded_by" if "superseded_by" in _columns(con, "decks") else ""
    return _rows(
        con,
        f"""SELECT d.org, d.plan_year, d.source_file, count(k.deck_id) AS kpis, d.ingested_at{extra}
            FROM decks d LEFT JOIN kpis k USING (deck_id)
            GROUP BY ALL ORDER BY d.org, d.plan_year, d.source_file""",
    )


def _last_refresh(con: duckdb.DuckDBPyConnection) -> datetime | None:
    stamps = ["SELECT max(ingested_at) AS t FROM decks", "SELECT max(rejected_at) FROM rejected_files"]
    if has_relation(con, "deck_checks"):
        stamps.append("SELECT max(checked_at) FROM deck_checks")
    return con.execute(f"SELECT max(t) FROM ({' UNION ALL '.join(stamps)})").fetchone()[0]


def storage_version(con: duckdb.DuckDBPyConnection) -> str:
    """The open warehouse's storage format, as DuckDB names it ('v1.4.0+')."""
    tags = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    return tags.get("storage_version", "unknown")


def warehouse_status(con: duckdb.DuckDBPyConnection, rows_per_check: int = 20) -> WarehouseStatus:
    """Everything `scorecards status` shows, from an open (read-only) connection."""
    checks = deck_checks(con)
    return WarehouseStatus(
        storage_version=storage_version(con),
        last_refresh=_last_refresh(con),
        decks=_decks(con),
        rejected=_rows(con, "SELECT source_file, reason, rejected_at FROM rejected_files ORDER BY rejected_at DESC"),
        quarantined=[row for row in checks if str(row.get("severity", "")).lower() == "error"],
        findings=[row for row in checks if str(row.get("severity", "")).lower() != "error"],
        checks=[
            CheckStatus(
                rule.name,
                rule.description,
                violation_count(con, rule),
                violations(con, rule, limit=rows_per_check),
            )
            for rule in CHECKS
        ],
    )
