"""Never publish a wrong number: a deck failing a blocking plausibility check is quarantined on its
own, before anything of it is written; every other deck loads and the views refresh."""

from __future__ import annotations

from pathlib import Path

import duckdb
from deckmaker import Deck, Kpi, Table, build_deck

from assets.cli import main


def _deck(path: Path, org: str, target: str = "75%", twice: bool = False, plans: bool = True) -> Path:
    kpis = [
        Kpi("顧客", "AC1推動祭拜精緻化", "AC1.1提升集中燒配合比率", ("70%", "72%", "74%", target), ("AC1.1.1計畫",)),
        Kpi("顧客", "AC1推動祭拜精緻化", "AC1.2金紙減量", ("1", "2", "3", "4"), ("AC1.2.1計畫",) if plans else ()),
    ]
    if twice:  # a deck typo: the second KPI printed under the first one's code
        kpis[1].kpi = "AC1.1金紙減量"
    return build_deck(Deck(org=org, pages=[[Table("策略主題：(A)發展多元文化", kpis)]]), path)


def _rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_one_bad_deck_is_quarantined_the_others_load_and_an_older_version_stays(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    first = _deck(tmp_path / "shilin-v1.pdf", "臺北市士林區公所", target="75%")
    assert main(["ingest", str(first), "--db", str(db)]) == 0
    capsys.readouterr()

    republished = _deck(tmp_path / "shilin-v2.pdf", "臺北市士林區公所", target="80%", twice=True)
    others = [_deck(tmp_path / "daan.pdf", "臺北市大安區公所"), _deck(tmp_path / "datong.pdf", "臺北市大同區公所")]
    assert main(["ingest", str(republished), *map(str, others), "--db", str(db)]) == 1
    out, err = capsys.readouterr()
    assert "quarantined: shilin-v2.pdf: quarantined, not published: KPI code AC1.1 is printed 2 times" in err
    assert "ingested 2 decks" in out and "quarantined 1" in out

    assert _rows(db, "SELECT source_file, kind, reason FROM rejected_files") == [
        ("shilin-v2.pdf", "quarantined", "quarantined, not published: KPI code AC1.1 is printed 2 times (pages 3, 3)")
    ]
    assert _rows(db, "SELECT source_file FROM decks ORDER BY source_file") == [
        ("daan.pdf",),
        ("datong.pdf",),
        ("shilin-v1.pdf",),
    ], "the older version stays; nothing of the quarantined deck is written"
    assert _rows(db, "SELECT org, value FROM kpi_series WHERE kind = 'target' AND kpi_code = 'AC1.1' ORDER BY org") == [
        ("臺北市士林區公所", 75.0),
        ("臺北市大同區公所", 75.0),
        ("臺北市大安區公所", 75.0),
    ], "the views show every other deck, and the older version's numbers"
    assert _rows(db, "SELECT source_file, check_name, severity FROM deck_checks") == [
        ("shilin-v2.pdf", "kpi_codes_unique", "error")
    ]


def test_a_fresh_warehouse_gets_its_views_when_a_deck_is_quarantined(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    bad = _deck(tmp_path / "bad.pdf", "臺北市士林區公所", twice=True)
    good = _deck(tmp_path / "good.pdf", "臺北市大安區公所", plans=False)
    assert main(["ingest", str(bad), str(good), "--db", str(db)]) == 1
    assert "quarantined: bad.pdf" in capsys.readouterr().err
    assert _rows(db, "SELECT count(*) FROM kpi_attainment") == [(2,)]
    assert _rows(db, "SELECT source_file, check_name, severity, detail FROM deck_checks ORDER BY severity") == [
        ("bad.pdf", "kpi_codes_unique", "error", "KPI code AC1.1 is printed 2 times (pages 3, 3)"),
        ("good.pdf", "action_plans_read_whole", "warning", "KPI AC1.2 has no action plan"),
    ], "warnings of a published deck are recorded too"
