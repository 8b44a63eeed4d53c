"""Build the next warehouse aside and swap it in atomically.

Analysts keep the warehouse open read-only in their SQL tools. A DuckDB writer on that file would
fail on their lock, and a reader must never see a half-written state. So a refresh copies the
current file, applies its changes in one transaction on the copy, checkpoints, and renames the
copy over the original. Open readers keep the version they opened; new connections see the new
one. A lock file beside the warehouse serialises writers (never readers); see lockfile.py.
"""

from __future__ import annotations

import errno
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
_DISK_FULL = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)  # no space left, file too large, quota exceeded
Connect = Callable[[Path], AbstractContextManager[duckdb.DuckDBPyConnection]]


@contextmanager
def _plain_connect(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(path))
    try:
        yield con
    finally:
        con.close()


class PublishError(Exception):
    """The new warehouse could not be built or put in place (a full disk, a file-size limit); the
    published warehouse is unchanged. The message says so, for a person."""


def _checkpoint_wal(db_path: Path) -> None:
    """Fold a write-ahead log left beside the warehouse (a writer that died) into it, so that the
    copy taken next holds everything committed."""
    if db_path.with_name(db_path.name + ".wal").exists():
        with duckdb.connect(str(db_path)) as con:
            con.execute("CHECKPOINT")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _rollback(con: duckdb.DuckDBPyConnection, error: BaseException) -> None:
    """Roll back after `error`; if the ROLLBACK fails too, that is noted on `error`, which stays the
    one the caller raises (the cause a person needs to see)."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error as rollback_error:
        error.add_note(f"(the rollback failed as well: {rollback_error})")


def publish(
    db_path: Path,
    apply: Callable[[duckdb.DuckDBPyConnection], T],
    connect: Connect = _plain_connect,
    on_wait: Callable[[str], None] | None = None,
) -> T:
    """Run `apply` in one transaction on a copy of the warehouse, then atomically replace it.

    `connect` opens a connection to a path (the Dagster layer passes DuckDBResource's). If `apply`
    raises, the published warehouse is untouched. The copy is made after any leftover WAL is
    checkpointed, and it and its folder are flushed to disk before the rename, so a crash leaves
    the old or the new warehouse, whole. Running out of disk space (or a file-size limit) raises
    PublishError, the published warehouse unchanged.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(db_path, on_wait):
        staging = db_path.with_name(f".{db_path.name}.{uuid.uuid4().hex}.building")
        try:
            _checkpoint_wal(db_path)
            start_copy(db_path, staging)  # a copy, or a new file, in a format DuckDB 1.4+ reads
            with connect(staging) as con:
                con.execute("BEGIN TRANSACTION")
                try:
                    ensure_schema(con)
                    result = apply(con)
                    con.execute("COMMIT")
                except BaseException as exc:
                    _rollback(con, exc)
                    raise
                con.execute("CHECKPOINT")
            _fsync(staging)
            _fsync(db_path.parent)
            os.replace(staging, db_path)
            _fsync(db_path.parent)
            return result
        except (OSError, duckdb.IOException, duckdb.FatalException) as exc:  # DuckDB: a failed write is fatal
            if isinstance(exc, OSError) and exc.errno not in _DISK_FULL:
                raise
            raise PublishError(
                f"could not write the new warehouse beside {db_path}: {exc}; the published warehouse is unchanged"
            ) from exc
        finally:
            for leftover in (staging, staging.with_name(staging.name + ".wal")):
                leftover.unlink(missing_ok=True)
