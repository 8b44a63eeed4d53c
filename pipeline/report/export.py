"""Every table and view of the warehouse as files, for tools that do not speak DuckDB (a spreadsheet,
pandas, R, a BI tool): one file per relation, written by DuckDB's COPY, so types and encodings are
DuckDB's own (Parquet keeps types; CSV is UTF-8 with a header row)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

FORMATS = {"parquet": "(FORMAT parquet)", "csv": "(FORMAT csv, HEADER true)"}


@dataclass(frozen=True)
class Exported:
    name: str
    kind: str  # table | view
    rows: int
    path: Path


def relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(name, 'table' | 'view') of the warehouse's own relations, tables first."""
    return con.execute(
        """SELECT table_name, 'table' FROM duckdb_tables()
           WHERE NOT internal AND database_name = current_database() AND schema_name = 'main'
           UNION ALL
           SELECT view_name, 'view' FROM duckdb_views()
           WHERE NOT internal AND database_name = current_database() AND schema_name = 'main'
           ORDER BY 2, 1"""
    ).fetchall()


def export(con: duckdb.DuckDBPyConnection, out_dir: Path, fmt: str) -> list[Exported]:
    """COPY each table and view to `out_dir`/<name>.<fmt>."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    done = []
    for name, kind in relations(con):
        path = out_dir / f"{name}.{fmt}"
        quoted_path = str(path).replace("'", "''")
        con.execute(f"COPY (SELECT * FROM \"{name}\") TO '{quoted_path}' {FORMATS[fmt]}")
        rows = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        done.append(Exported(name, kind, rows, path))
    return done
