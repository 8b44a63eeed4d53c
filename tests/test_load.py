"""Loading records: better-direction defaults and overrides, the config file, identity refresh."""

from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from deckmaker import Deck, Kpi, Table, build_deck

from pipeline.extract.parse import parse_pdf
from pipeline.model import ParseOutcome
from pipeline.warehouse.config import ConfigError, load_config
from pipeline.warehouse.load import create_views, load_outcomes
from pipeline.warehouse.publish import publish

KPIS = [
    Kpi("內部流程", "AP1提升公文處理時效", "AP1.1公文平均處理天數", ("4.4", "2.5", "3.4", "≦2.2"), ("AP1.1.1要點",)),
    Kpi("顧客", "AC1提升服務", "AC1.1平均等候時間(分鐘)", ("9", "8", "7", "6"), ("AC1.1.1計畫",)),
    Kpi("顧客", "AC1提升服務", "AC1.2民眾滿意度", ("90%", "91%", "92%", "93%"), ("AC1.2.1計畫",)),
]


def _load(tmp_path: Path, config_text: str = "") -> dict[str, str]:
    pdf = build_deck(Deck(pages=[[Table("策略主題：(A)精進服務", KPIS)]]), tmp_path / "deck.pdf")
    deck = parse_pdf(pdf)
    config_path = tmp_path / "scorecards.toml"
    config_path.write_text(config_text, encoding="utf-8")
    config = load_config(config_path)

    def apply(con):
        load_outcomes(con, [ParseOutcome(deck.source_file, deck.sha256, deck)], config, datetime.now())
        create_views(con)

    db = tmp_path / "w.duckdb"
    publish(db, apply)
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT kpi_code, direction FROM kpi_attainment").fetchall())


def test_lower_is_better_where_the_target_says_so(tmp_path):
    assert _load(tmp_path) == {"AP1.1": "lower", "AC1.1": "higher", "AC1.2": "higher"}


def test_direction_override_from_the_config_file(tmp_path):
    config = '[[direction]]\norg = "臺北市北投區公所"\nkpi_name = "平均等候時間(分鐘)"\ndirection = "lower"\n'
    assert _load(tmp_path, config)["AC1.1"] == "lower"


@pytest.mark.parametrize(
    "text",
    ["[[direction]]\norg = 'x'\nkpi_name = 'y'\ndirection = 'sideways'\n", "[[kpi_link]]\norg = 'x'\n", "not toml ["],
)
def test_malformed_config_is_a_clear_error(tmp_path, text):
    path = tmp_path / "scorecards.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="scorecards.toml"):
        load_config(path)


def test_missing_config_means_no_overrides(tmp_path):
    config = load_config(tmp_path / "absent.toml")
    assert config.links == {} and config.directions == []


def test_unchanged_decks_are_not_written_again_and_only_changed_offices_are_linked_again(tmp_path, parse_once):
    """Loading what the warehouse holds as it is rewrites nothing and links no office again; an
    edited override relinks its office alone, on a load that brings no new deck."""
    orgs = ("臺北市大安區公所", "臺北市士林區公所")
    pdfs = [
        build_deck(Deck(org=org, pages=[[Table("策略主題：(A)精進服務", KPIS)]]), tmp_path / f"{n}.pdf")
        for n, org in enumerate(orgs)
    ]
    outcomes = [parse_once(pdf) for pdf in pdfs]
    db, config_path = tmp_path / "w.duckdb", tmp_path / "scorecards.toml"

    def load(config_text: str = ""):
        config_path.write_text(config_text, encoding="utf-8")
        config = load_config(config_path)
        return publish(db, lambda con: load_outcomes(con, outcomes, config, datetime.now()))

    def rows(sql: str) -> list[tuple]:
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute(sql).fetchall()

    first = load()
    assert len(first.loaded) == 2 and sorted(first.relinked) == sorted(orgs)
    written = rows("SELECT source_file, ingested_at FROM decks ORDER BY 1")
    again = load()
    assert (again.loaded, len(again.unchanged), again.relinked) == ([], 2, [])
    assert rows("SELECT source_file, ingested_at FROM decks ORDER BY 1") == written, "not written again"
    directions = (
        "SELECT DISTINCT org, direction FROM kpi_directions JOIN kpis USING (org, kpi_key) WHERE kpi_code = 'AC1.1'"
    )
    assert sorted(rows(directions)) == sorted([(orgs[0], "higher"), (orgs[1], "higher")])
    edited = load(f'[[direction]]\norg = "{orgs[0]}"\nkpi_name = "平均等候時間(分鐘)"\ndirection = "lower"\n')
    assert (edited.loaded, edited.relinked) == ([], [orgs[0]])
    assert sorted(rows(directions)) == sorted([(orgs[0], "lower"), (orgs[1], "higher")]), "with no new deck"
