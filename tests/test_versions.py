"""Deck versions: the newer deck (by its own evidence) is current whatever the load order, the older
one is kept as superseded, and `scorecards forget` brings the previous version back."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from deckmaker import Deck, Kpi, Table, build_deck

from assets.cli import main
from pipeline.extract.parse import parse_pdf
from pipeline.identity import deck_id_for, sha256_of
from pipeline.ingest.inventory import DeckFile, plan_refresh, warehouse_state
from pipeline.ingest.staging import StagingArea
from pipeline.warehouse.versions import Version, compare

ORG = "臺北市士林區公所"


def _deck(path: Path, target: str, map_date: str, modified: str | None = None, created: str | None = None) -> Path:
    """A one-KPI deck of ORG for plan year 110; `modified`/`created` ('20230215093000') set the PDF's dates."""
    kpi = Kpi("顧客", "AC1推動祭拜精緻化", "AC1.1提升集中燒配合比率", ("70%", "72%", "74%", target), ("AC1.1.1計畫",))
    build_deck(Deck(org=ORG, map_date=map_date, pages=[[Table("策略主題：(A)發展多元文化", [kpi])]]), path)
    data = path.read_bytes()
    for key, stamp in ((b"ModDate", modified), (b"CreationDate", created)):
        if stamp:  # same length, so the PDF's cross-reference offsets stay right
            data = re.sub(rb"/" + key + rb" \(D:\d{14}", b"/" + key + b" (D:" + stamp.encode(), data)
    path.write_bytes(data)
    return path


def _rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def _target(db: Path) -> list[tuple]:
    return _rows(db, "SELECT value FROM kpi_series WHERE kind = 'target'")


def test_an_older_version_loaded_later_is_kept_superseded_and_forget_brings_it_back(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    newer = _deck(tmp_path / "shilin-110-republished.pdf", "80%", "110.03.15")
    older = _deck(tmp_path / "shilin-110.pdf", "75%", "110.02.26")
    assert main(["ingest", str(newer), "--db", str(db)]) == 0
    assert main(["ingest", str(older), "--db", str(db)]) == 0
    newer_id = deck_id_for(sha256_of(newer))
    assert _rows(db, "SELECT source_file, current, superseded_by FROM decks ORDER BY map_date") == [
        ("shilin-110.pdf", False, newer_id),
        ("shilin-110-republished.pdf", True, None),
    ]
    assert _target(db) == [(80.0,)], "the views show the newer deck's numbers"
    assert _rows(db, "SELECT count(*) FROM kpi_values WHERE kind = 'target'") == [(2,)], "the older deck's rows stay"
    assert _rows(db, "SELECT count(*) FROM deck_replacements") == [(0,)], "the current deck never changed"
    keys = _rows(db, "SELECT count(DISTINCT kpi_key) FROM kpis")
    assert keys == [(1,)], "a superseded deck's KPI keeps its identity"
    capsys.readouterr()

    assert main(["forget", str(newer), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("forgot shilin-110-republished.pdf (臺北市士林區公所, plan year 110, ")
    assert "current for 臺北市士林區公所, plan year 110: shilin-110.pdf" in out
    assert _rows(db, "SELECT source_file, current, superseded_by FROM decks") == [("shilin-110.pdf", True, None)]
    assert _target(db) == [(75.0,)]
    assert _rows(db, "SELECT count(*) FROM kpis") == [(1,)], "the forgotten deck's rows are gone"
    assert _rows(db, "SELECT old_source_file, new_source_file FROM deck_replacements") == [
        ("shilin-110-republished.pdf", "shilin-110.pdf")
    ]
    assert _rows(db, "SELECT source_file FROM forgotten_decks") == [("shilin-110-republished.pdf",)]


def test_the_pdf_dates_decide_when_the_map_dates_agree(tmp_path, load_decks):
    db = tmp_path / "w.duckdb"
    newer = _deck(tmp_path / "b.pdf", "80%", "110.02.26", modified="20210310120000")
    older = _deck(tmp_path / "a.pdf", "75%", "110.02.26", modified="20210301120000")
    assert parse_pdf(newer).pdf_modified == datetime(2021, 3, 10, 12)
    load_decks(db, newer)
    load_decks(db, older)
    assert _rows(db, "SELECT source_file FROM decks WHERE current") == [("b.pdf",)]
    assert _target(db) == [(80.0,)]


def _version(name: str, map_date=None, modified=None, created=None, order=0) -> Version:
    return Version(name, name, name, ORG, 110, map_date, modified, created, order)


@pytest.mark.parametrize(
    "older, newer",
    [
        (_version("a", date(2021, 2, 1), order=2), _version("b", date(2021, 3, 1), order=1)),
        (_version("a", date(2021, 2, 1), datetime(2021, 5, 1)), _version("b", date(2021, 3, 1), datetime(2021, 4, 1))),
        (_version("a", None, datetime(2021, 4, 1), order=2), _version("b", date(2021, 3, 1), datetime(2021, 5, 1))),
        (_version("a", None, None, datetime(2021, 4, 1), 2), _version("b", None, None, datetime(2021, 5, 1), 1)),
        (
            _version("a", date(2021, 3, 1), None, datetime(2021, 4, 1), 2),
            _version("b", date(2021, 3, 1), None, None, 3),
        ),
    ],
    ids=[
        "map date",
        "map date before pdf dates",
        "pdf date where a map date is missing",
        "creation date",
        "load order",
    ],
)
def test_which_version_is_newer(older, newer):
    assert compare(older, newer) < 0 < compare(newer, older)


def test_forget_names_one_deck_and_a_forgotten_deck_is_not_loaded_back_by_a_refresh(tmp_path, capsys, load_decks):
    db = tmp_path / "w.duckdb"
    first = _deck(tmp_path / "v1.pdf", "75%", "110.02.26")
    second = _deck(tmp_path / "v2.pdf", "80%", "110.03.26")
    load_decks(db, first, second)
    assert main(["forget", "0123456789abcdef", "--db", str(db)]) == 2
    assert main(["forget", "v9.pdf", "--db", str(db)]) == 2
    assert capsys.readouterr().err.count("scorecards: no deck") == 2
    assert main(["forget", "v1.pdf", "--db", str(db)]) == 0, "a superseded version can be forgotten too"
    assert main(["forget", sha256_of(second)[:12], "--db", str(db)]) == 0
    assert _rows(db, "SELECT count(*) FROM decks") == [(0,)]
    staging = StagingArea(db.with_name("w.staging"))
    files = [DeckFile(deck_id_for(sha256_of(p)), sha256_of(p), p) for p in (first, second)]
    assert plan_refresh(files, staging, warehouse_state(db)).to_load == [], "the sensor leaves forgotten decks out"
    assert main(["ingest", str(second), "--db", str(db)]) == 0, "naming the file brings it back"
    assert _rows(db, "SELECT source_file, current FROM decks") == [("v2.pdf", True)]
    assert _rows(db, "SELECT count(*) FROM forgotten_decks") == [(1,)]


def test_a_warehouse_from_before_versions_is_upgraded_in_place(tmp_path, load_decks):
    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute(
            "CREATE TABLE decks (deck_id VARCHAR PRIMARY KEY, source_file VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, "
            "org VARCHAR, plan_year INTEGER, map_date DATE, page_count INTEGER, ingested_at TIMESTAMP NOT NULL, "
            "parser_version INTEGER)"
        )
        con.execute("INSERT INTO decks VALUES ('aaaa', 'old.pdf', 'aaaa', '臺北市大安區公所', 110, NULL, 5, now(), 1)")
        con.execute(
            "CREATE TABLE rejected_files (source_file VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, "
            "reason VARCHAR NOT NULL, rejected_at TIMESTAMP NOT NULL, parser_version INTEGER)"
        )
    assert warehouse_state(db).loaded == {("aaaa", 1)}, "read as it is, before any upgrade"
    load_decks(db, _deck(tmp_path / "new.pdf", "75%", "110.02.26"))
    assert _rows(db, "SELECT source_file, current FROM decks ORDER BY 1") == [("new.pdf", True), ("old.pdf", True)]
