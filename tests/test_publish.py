"""Atomic publishing: a failed load leaves the warehouse as it was; readers never block writers; writers
wait their turn and say so; what is published reaches the disk whole."""

import os
import stat
import threading

import duckdb
import pytest

from pipeline.warehouse import publish as publish_module
from pipeline.warehouse.publish import publish, writer_lock


def _write(value):
    def apply(con):
        con.execute("CREATE TABLE IF NOT EXISTS t (v INTEGER)")
        con.execute("INSERT INTO t VALUES (?)", [value])
        return value

    return apply


def test_publish_applies_in_one_step(tmp_path):
    db = tmp_path / "w.duckdb"
    assert publish(db, _write(1)) == 1
    assert publish(db, _write(2)) == 2
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT list(v ORDER BY v) FROM t").fetchone()[0] == [1, 2]
        assert con.execute("SELECT count(*) FROM decks").fetchone()[0] == 0, "the schema is always there"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"], "no staging or lock files left"


def test_a_failing_load_changes_nothing(tmp_path):
    db = tmp_path / "w.duckdb"
    publish(db, _write(1))

    def broken(con):
        _write(2)(con)
        raise RuntimeError("parser exploded mid-load")

    with pytest.raises(RuntimeError):
        publish(db, broken)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT list(v) FROM t").fetchone()[0] == [1]


def test_publish_does_not_wait_for_open_readers(tmp_path):
    db = tmp_path / "w.duckdb"
    publish(db, _write(1))
    reader = duckdb.connect(str(db), read_only=True)
    try:
        publish(db, _write(2))
        assert reader.execute("SELECT count(*) FROM t").fetchone()[0] == 1
    finally:
        reader.close()
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 2


def test_a_writer_that_finds_the_lock_taken_says_so_and_waits_its_turn(tmp_path):
    db = tmp_path / "w.duckdb"
    publish(db, _write(1))
    waiting = threading.Event()
    messages: list[str] = []

    def on_wait(message: str) -> None:
        messages.append(message)
        waiting.set()

    with writer_lock(db):
        second = threading.Thread(target=publish, args=(db, _write(2)), kwargs={"on_wait": on_wait})
        second.start()
        assert waiting.wait(timeout=60), "the second writer says it waits"
        assert second.is_alive(), "and does wait"
    second.join(timeout=60)
    assert messages == [f"waiting for another run writing {db} to finish"]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT list(v ORDER BY v) FROM t").fetchone()[0] == [1, 2]


def test_a_write_ahead_log_left_beside_the_warehouse_is_kept(tmp_path):
    """A writer that died left committed rows in the WAL: the copy must hold them."""
    db = tmp_path / "w.duckdb"
    publish(db, _write(1))
    con = duckdb.connect(str(db))
    con.execute("PRAGMA disable_checkpoint_on_shutdown")
    con.execute("INSERT INTO t VALUES (2)")
    con.close()
    assert db.with_name("w.duckdb.wal").exists()
    publish(db, _write(3))
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT list(v ORDER BY v) FROM t").fetchone()[0] == [1, 2, 3]


def test_the_new_file_and_its_folder_reach_the_disk_before_the_rename(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    events: list[str] = []
    fsync, replace = os.fsync, os.replace

    def record_fsync(fd: int) -> None:
        events.append("fsync folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        fsync(fd)

    def record_replace(src, dst) -> None:
        events.append("rename")
        replace(src, dst)

    monkeypatch.setattr(publish_module.os, "fsync", record_fsync)
    monkeypatch.setattr(publish_module.os, "replace", record_replace)
    publish(db, _write(1))
    assert events == ["fsync file", "fsync folder", "rename", "fsync folder"]


def test_a_failing_rollback_does_not_hide_the_original_error(tmp_path):
    db = tmp_path / "w.duckdb"
    publish(db, _write(1))

    def broken(con):
        con.execute("ROLLBACK")  # the connection lost its transaction: our ROLLBACK will fail too
        raise RuntimeError("the real cause")

    with pytest.raises(RuntimeError, match="the real cause") as raised:
        publish(db, broken)
    assert "the rollback failed as well" in "".join(raised.value.__notes__)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT list(v) FROM t").fetchone()[0] == [1]
