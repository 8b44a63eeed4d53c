"""The warehouse file opens in the analysts' DuckDB 1.4+ tools: created in that format, kept so, migrated once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from pipeline.warehouse.publish import publish
from pipeline.warehouse.storage import STORAGE_VERSION, storage_version


def _add(value: int):
    def apply(con):
        con.execute("CREATE TABLE IF NOT EXISTS t (v INTEGER)")
        con.execute("INSERT INTO t VALUES (?)", [value])

    return apply


def test_a_new_warehouse_is_written_for_duckdb_1_4_and_stays_so(tmp_path):
    db = tmp_path / "w.duckdb"
    publish(db, _add(1))
    assert storage_version(db) == STORAGE_VERSION + "+"
    publish(db, _add(2))
    assert storage_version(db) == STORAGE_VERSION + "+", "a refresh keeps the format"


def test_a_warehouse_in_the_newest_format_is_migrated_once(tmp_path):
    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:  # what the pipeline wrote before: DuckDB's default, newest format
        con.execute("CREATE TABLE t AS SELECT 1 AS v")
        con.execute("CREATE VIEW doubled AS SELECT v * 2 AS w FROM t")
    assert storage_version(db) != STORAGE_VERSION + "+"
    publish(db, _add(2))
    assert storage_version(db) == STORAGE_VERSION + "+"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT list(w ORDER BY w) FROM doubled").fetchone()[0] == [2, 4], "tables and views kept"
        assert con.execute("SELECT count(*) FROM decks").fetchone()[0] == 0


def _duckdb_cli() -> Path:
    """The duckdb-cli package's binary (the dev extra installs it beside this interpreter)."""
    return Path(sys.executable).with_name("duckdb")


def test_the_sample_warehouse_answers_in_the_duckdb_1_x_cli(sample_warehouse):
    cli = _duckdb_cli()
    version = subprocess.run([str(cli), "-version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v1."), f"{cli} should be a DuckDB 1.x CLI (duckdb-cli package), is {version}"
    sql = (
        "SELECT count(*) FROM decks; SELECT count(*) FROM kpi_attainment WHERE achieved IS NOT NULL;"
        " SELECT count(*) FROM kpi_yoy; SELECT count(*) FROM kpi_restatements; SELECT count(*) FROM kpi_series;"
    )
    done = subprocess.run(
        [str(cli), "-readonly", "-csv", "-noheader", str(sample_warehouse), "-c", sql],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        expected = [con.execute(q).fetchone()[0] for q in sql.split(";") if q.strip()]
    assert [int(n) for n in done.stdout.split()] == expected
    assert expected[0] == 5 and min(expected) > 0
