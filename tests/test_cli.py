"""`scorecards ingest`: exit status, rejections, idempotence, replacement, open readers, the cache."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from deckmaker import Deck, Kpi, Table, build_deck
from truth import CORPUS

from assets.cli import main

PUBLIC = CORPUS / "public"


def _count(db: Path, sql: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def _table_digest(db: Path) -> str:
    """A digest of every table's content except load timestamps."""
    with duckdb.connect(str(db), read_only=True) as con:
        parts = []
        for table in ("decks", "kpis", "kpi_values", "action_plans"):
            columns = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall() if c[0] != "ingested_at"]
            rows = con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY ALL").fetchall()
            parts.append(repr(rows))
    return hashlib.sha256("".join(parts).encode()).hexdigest()


def test_bad_files_are_rejected_and_the_rest_still_load(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    files = [*sorted((CORPUS / "bad").glob("*.pdf")), PUBLIC / "beitou-110.pdf"]
    assert main(["ingest", *map(str, files), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "truncated-deck.pdf: corrupt or truncated PDF" in err
    assert "official-letter.pdf: no scorecard tables found" in err
    assert "ghostscript-garbled.pdf: unreadable text layer" in err
    assert "printed-to-postscript.pdf: unreadable text layer" in err
    assert _count(db, "SELECT count(*) FROM decks") == 1
    assert _count(db, "SELECT count(*) FROM rejected_files") == 4
    assert _count(db, "SELECT count(*) FROM kpis") == 18
    assert main(["ingest", *map(str, files), "--db", str(db)]) == 1, "nothing new, and still not ingested"
    assert "truncated-deck.pdf: corrupt or truncated PDF" in capsys.readouterr().err


def test_not_a_pdf_and_usage_errors(tmp_path, capsys):
    text = tmp_path / "notes.pdf"
    text.write_text("not a pdf at all")
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(text), "--db", str(db)]) == 1
    assert "notes.pdf: not a PDF file" in capsys.readouterr().err
    assert main(["ingest", str(tmp_path / "missing.pdf"), "--db", str(db)]) == 2
    assert "no such file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


def test_loading_the_same_file_twice_changes_nothing(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    deck = str(PUBLIC / "shilin-111.pdf")
    assert main(["ingest", deck, "--db", str(db)]) == 0
    before = _table_digest(db)
    assert main(["ingest", deck, "--db", str(db)]) == 0
    assert _table_digest(db) == before
    assert "ingested 1 deck (parsed 0, reused 1), rejected 0" in capsys.readouterr().out


def test_the_same_file_under_two_names_is_one_deck(tmp_path, capsys):
    copy = tmp_path / "renamed.pdf"
    shutil.copyfile(PUBLIC / "shilin-110.pdf", copy)
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(PUBLIC / "shilin-110.pdf"), str(copy), "--db", str(db)]) == 0
    assert _count(db, "SELECT count(*) FROM decks") == 1
    assert "1 duplicate file skipped" in capsys.readouterr().out


def test_other_decks_stay_when_new_ones_are_added(tmp_path):
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(PUBLIC / "shilin-110.pdf"), "--db", str(db)]) == 0
    assert main(["ingest", str(PUBLIC / "shilin-111.pdf"), "--db", str(db)]) == 0
    assert _count(db, "SELECT count(*) FROM decks") == 2
    assert _count(db, "SELECT count(DISTINCT kpi_key) FROM kpis") < _count(db, "SELECT count(*) FROM kpis")


def _small_deck(path: Path, target: str) -> Path:
    kpis = [
        Kpi("顧客", "AC1推動祭拜精緻化", "AC1.1提升集中燒配合比率", ("70%", "72%", "74%", target), ("AC1.1.1計畫",))
    ]
    return build_deck(Deck(pages=[[Table("策略主題：(A)發展多元文化", kpis)]]), path)


def test_a_deck_loaded_later_for_the_same_org_and_year_supersedes_the_older(tmp_path):
    """Nothing else tells these two apart (same map date, no PDF dates): load order decides."""
    db = tmp_path / "w.duckdb"
    old = _small_deck(tmp_path / "v1.pdf", "75%")
    new = _small_deck(tmp_path / "v2.pdf", "80%")
    assert main(["ingest", str(old), "--db", str(db)]) == 0
    assert main(["ingest", str(new), "--db", str(db)]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT source_file, current FROM decks ORDER BY 1").fetchall() == [
            ("v1.pdf", False),
            ("v2.pdf", True),
        ]
        assert con.execute("SELECT value FROM kpi_series WHERE kind = 'target'").fetchall() == [(80.0,)]


READER = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.execute("SELECT count(*) FROM decks").fetchone()[0], flush=True)
    sys.stdin.readline()
    print(con.execute("SELECT count(*) FROM decks").fetchone()[0], flush=True)
    """
)


def test_ingest_succeeds_while_a_reader_holds_the_warehouse(tmp_path):
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(PUBLIC / "shilin-110.pdf"), "--db", str(db)]) == 0
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout.readline().strip() == "1"
        assert main(["ingest", str(PUBLIC / "shilin-111.pdf"), "--db", str(db)]) == 0
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "1", "the open connection still answers, from its snapshot"
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
    assert _count(db, "SELECT count(*) FROM decks") == 2, "a new connection sees the new data"


def test_parse_cache_hit_miss_and_version_bump(tmp_path, capsys, monkeypatch):
    db = tmp_path / "w.duckdb"
    decks = [str(PUBLIC / "shilin-110.pdf"), str(PUBLIC / "shilin-111.pdf")]
    assert main(["ingest", decks[0], "--db", str(db)]) == 0
    assert "(parsed 1, reused 0)" in capsys.readouterr().out
    assert main(["ingest", *decks, "--db", str(db)]) == 0
    assert "ingested 2 decks (parsed 1, reused 1)" in capsys.readouterr().out
    monkeypatch.setattr("pipeline.PARSER_VERSION", 999)
    assert main(["ingest", *decks, "--db", str(db)]) == 0
    assert "ingested 2 decks (parsed 2, reused 0)" in capsys.readouterr().out


@pytest.mark.parametrize(
    "where, problem",
    [
        ("missing/w.duckdb", "the folder {tmp}/missing does not exist"),
        ("notes.txt/w.duckdb", "{tmp}/notes.txt is a file, not a folder"),
        ("folder", "is a folder; give the warehouse file inside it"),
        ("notes.txt", "exists but is not a DuckDB database file"),
    ],
)
def test_a_db_path_that_cannot_be_a_warehouse_is_one_line_and_exit_2(tmp_path, capsys, where, problem):
    (tmp_path / "notes.txt").write_text("not a warehouse")
    (tmp_path / "folder").mkdir()
    db = tmp_path / where
    assert main(["ingest", str(PUBLIC / "shilin-110.pdf"), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"scorecards: --db {db}: {problem.format(tmp=tmp_path)}") and err.count("\n") == 1
    assert not (tmp_path / "missing").exists(), "no folder is created"
    assert (tmp_path / "notes.txt").read_text() == "not a warehouse"


def test_a_folder_means_its_pdf_files(tmp_path, capsys):
    folder = tmp_path / "decks"
    folder.mkdir()
    shutil.copyfile(PUBLIC / "shilin-110.pdf", folder / "a.PDF")
    (folder / "readme.txt").write_text("not a deck")
    db = tmp_path / "w.duckdb"
    assert main(["ingest", str(folder), "--db", str(db)]) == 0
    assert "ingested 1 deck (parsed" in capsys.readouterr().out
    assert _count(db, "SELECT count(*) FROM decks") == 1
    (tmp_path / "empty").mkdir()
    assert main(["ingest", str(tmp_path / "empty"), "--db", str(db)]) == 2
    assert capsys.readouterr().err == f"scorecards: no PDF files in {tmp_path / 'empty'}\n"
