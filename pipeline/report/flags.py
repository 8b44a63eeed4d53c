"""Data-quality flags for the report: the warehouse checks' offending rows, and per-deck findings.

Two sources: the quality rules (pipeline.warehouse.quality), whose rows name a deck file and often
a KPI code; and the `deck_checks` table (source_file, sha256, check_name, severity, detail,
checked_at) where the loader records what it found per deck. Older warehouses have no
deck_checks table; then only the rules' flags show.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import duckdb

from pipeline.warehouse.quality import CHECKS, violations

ROWS_PER_RULE = 10_000  # flags are per KPI: every offending row, not a sample


def has_relation(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the warehouse has a table or view called `name` (older warehouses lack newer tables)."""
    sql = "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT internal"
    views = "SELECT count(*) FROM duckdb_views() WHERE view_name = ? AND NOT internal"
    return con.execute(sql, [name]).fetchone()[0] + con.execute(views, [name]).fetchone()[0] > 0


def deck_checks(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Rows of deck_checks, newest first; none when the warehouse predates that table."""
    if not has_relation(con, "deck_checks"):
        return []
    cursor = con.execute("SELECT * FROM deck_checks ORDER BY checked_at DESC, source_file, check_name")
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


@dataclass
class Flags:
    by_kpi: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    by_deck: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def for_kpi(self, source_file: str, kpi_code: str | None) -> list[str]:
        return list(dict.fromkeys(self.by_kpi.get((source_file, kpi_code or ""), [])))

    def for_deck(self, deck: dict) -> list[str]:
        return list(dict.fromkeys(self.by_deck.get(deck["source_file"], []) + self.by_deck.get(deck["sha256"], [])))


def _describe(row: dict, skip: tuple[str, ...]) -> str:
    return ", ".join(f"{k}={v}" for k, v in row.items() if k not in skip and v is not None)


def load_flags(con: duckdb.DuckDBPyConnection) -> Flags:
    """Every flag in the warehouse, keyed by (deck file, KPI code) or by deck file / sha256."""
    flags = Flags()
    for rule in CHECKS:
        for row in violations(con, rule, limit=ROWS_PER_RULE):
            deck = row.get("source_file") or row.get("new_source_file")
            if deck is None:
                continue
            if row.get("kpi_code") is not None:
                flags.by_kpi[(deck, row["kpi_code"])].append(f"{rule.name}: {_describe(row, ('source_file',))}")
            else:
                flags.by_deck[deck].append(f"{rule.name}: {_describe(row, ('source_file', 'new_source_file'))}")
    for row in deck_checks(con):
        text = f"{row.get('severity', '')} {row.get('check_name', '')}: {row.get('detail', '')}".strip()
        for key in {row.get("source_file"), row.get("sha256")} - {None}:
            flags.by_deck[key].append(text)
    return flags
