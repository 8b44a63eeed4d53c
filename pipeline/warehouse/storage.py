"""The warehouse file's storage format: one that the analysts' DuckDB 1.4+ tools can open.

DuckDB writes its newest storage format by default, which older clients (the duckdb CLI, DBeaver's
driver, an older Python wheel) refuse to open at all. A database keeps the format it was created
with, so the format is chosen once, when the file is created (ATTACH ... STORAGE_VERSION), and a
refresh, which works on a byte copy of the published file, keeps it. A warehouse written earlier
in a newer format is rewritten once into STORAGE_VERSION (COPY FROM DATABASE) on its next refresh.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb

# The oldest DuckDB release that must read the warehouse. Raising it is a deliberate choice:
# every analyst's client must be at least this version.
STORAGE_VERSION = "v1.4.0"


def _version_tuple(text: str) -> tuple[int, ...]:
    """'v1.4.0+' -> (1, 4, 0)."""
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def storage_version(path: Path) -> str:
    """The storage version a database file is written in, as DuckDB names it ('v1.4.0+')."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{_quoted(path)}' AS probe (READ_ONLY)")
        tags = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = 'probe'").fetchone()[0]
        return tags.get("storage_version", "")
    finally:
        con.close()


def readable_by_target(path: Path) -> bool:
    """True when DuckDB STORAGE_VERSION (and later) can open `path`."""
    return _version_tuple(storage_version(path)) <= _version_tuple(STORAGE_VERSION)


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _create_from(source: Path | None, target: Path) -> None:
    """Create `target` in STORAGE_VERSION, with everything in `source` (tables, views, data) if given."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{_quoted(target)}' AS target (STORAGE_VERSION '{STORAGE_VERSION}')")
        if source is not None:
            con.execute(f"ATTACH '{_quoted(source)}' AS source (READ_ONLY)")
            con.execute("COPY FROM DATABASE source TO target")
            con.execute("DETACH source")
        con.execute("DETACH target")
    finally:
        con.close()


def start_copy(db_path: Path, staging: Path) -> None:
    """Lay down the file a refresh writes to: a byte copy of the published warehouse, or a new
    (or once-migrated) file in STORAGE_VERSION, so what gets published is always readable by it."""
    if not db_path.exists():
        _create_from(None, staging)
    elif readable_by_target(db_path):
        shutil.copyfile(db_path, staging)
    else:
        _create_from(db_path, staging)
