"""Small read-only summaries of a warehouse, for run metadata and the CLI."""

from __future__ import annotations

import duckdb


def row_counts(con: duckdb.DuckDBPyConnection, relations: tuple[str, ...]) -> dict[str, int]:
    """Rows in each table or view, keyed 'rows_<name>'."""
    return {f"rows_{name}": con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in relations}


def attainment_preview(con: duckdb.DuckDBPyConnection, limit: int = 10) -> tuple[list[str], list[tuple]]:
    """The first rows of kpi_attainment (column names, rows), for a glance in the UI."""
    cursor = con.execute(f"SELECT * FROM kpi_attainment ORDER BY org, kpi_key, year LIMIT {int(limit)}")
    return [d[0] for d in cursor.description], cursor.fetchall()
