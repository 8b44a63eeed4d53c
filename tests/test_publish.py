"""Atomic publishing: a failed load leaves the warehouse as it was; readers never block writers."""

import duckdb
import pytest

from pipeline.warehouse.publish import publish


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
