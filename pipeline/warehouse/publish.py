"""Build the next warehouse aside and swap it in atomically.

Analysts keep the warehouse open read-only in their SQL tools. A DuckDB writer on that file would
fail on their lock, and a reader must never see a half-written state. So a refresh copies the
current file, applies its changes in one transaction on the copy, checkpoints, and renames the
copy over the original. Open readers keep the version they opened; new connections see the new
one. A lock file beside the warehouse serialises writers (never readers); see lockfile.py.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb

from pipeline.warehouse.load import ensure_schema
from pipeline.warehouse.lockfile import writer_lock
from pipeline.warehouse.storage import start_copy

T = TypeVar("T")
Connect = Callable[[Path], AbstractContextManager[duckdb.DuckDBPyConnection]]


@contextmanager
def _plain_connect(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(path))
    try:
        yield con
    finally:
        con.close()


def publish(
    db_path: Path,
    apply: Callable[[duckdb.DuckDBPyConnection], T],
    connect: Connect = _plain_connect,
) -> T:
    """Run `apply` in one transaction on a copy of the warehouse, then atomically replace it.

    `connect` opens a connection to a path (the Dagster layer passes DuckDBResource's). If `apply`
    raises, the published warehouse is untouched.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(db_path):
        staging = db_path.with_name(f".{db_path.name}.{uuid.uuid4().hex}.building")
        try:
            start_copy(db_path, staging)  # a copy, or a new file, in a format DuckDB 1.4+ reads
            with connect(staging) as con:
                con.execute("BEGIN TRANSACTION")
                try:
                    ensure_schema(con)
                    result = apply(con)
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                con.execute("CHECKPOINT")
            os.replace(staging, db_path)
            return result
        finally:
            for leftover in (staging, staging.with_name(staging.name + ".wal")):
                leftover.unlink(missing_ok=True)
