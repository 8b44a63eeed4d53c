"""The Dagster layer: definitions load, per-deck partitions materialize, checks pass and fail loudly."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
from deckmaker import Deck, Kpi, Table, build_deck
from truth import CORPUS

from assets.decks import deck_partitions, parsed_deck
from assets.definitions import build_resources, defs
from assets.warehouse import kpi_views, warehouse_tables
from pipeline.identity import deck_id_for, sha256_of
from pipeline.warehouse.publish import publish
from pipeline.warehouse.quality import CHECKS, violations


def _materialize_all(files: list[Path], db: Path) -> dict[str, dg.AssetCheckEvaluation]:
    """Parse and load `files`; the tables and the views are published whatever the checks report."""
    instance = dg.DagsterInstance.ephemeral()
    resources = build_resources([str(f) for f in files], str(db))
    keys = [deck_id_for(sha256_of(f)) for f in files]
    instance.add_dynamic_partitions(deck_partitions.name, keys)
    for key in keys:
        result = dg.materialize([parsed_deck], partition_key=key, instance=instance, resources=resources)
        assert result.success
        meta = result.asset_materializations_for_node("parsed_deck")[0].metadata
        assert meta["kpis"].value > 0
    result = dg.materialize(
        [parsed_deck, warehouse_tables, kpi_views],
        selection=[warehouse_tables, kpi_views],
        instance=instance,
        resources=resources,
    )
    assert result.success
    tables = result.asset_materializations_for_node("warehouse_tables")[0].metadata
    views = result.asset_materializations_for_node("kpi_views")[0].metadata
    assert views["rows_kpi_series"].value > 0 or tables["quarantined"].value, "views refresh on every load"
    checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    checks["quarantined"] = tables["quarantined"].value
    return checks


def test_definitions_load():
    dg.Definitions.validate_loadable(defs)
    assert {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()} >= {
        "parsed_deck",
        "warehouse_tables",
        "kpi_views",
    }


def test_checks_pass_on_a_clean_deck(tmp_path):
    checks = _materialize_all([CORPUS / "public" / "shilin-111.pdf"], tmp_path / "w.duckdb")
    assert checks.pop("quarantined") == []
    assert set(checks) == {rule.name for rule in CHECKS}
    assert all(e.passed and e.severity == dg.AssetCheckSeverity.WARN for e in checks.values())


def test_irregular_codes_are_reported_not_fixed(tmp_path):
    checks = _materialize_all([CORPUS / "public" / "beitou-110.pdf"], tmp_path / "w.duckdb")
    objective = checks["kpi_code_starts_with_objective_code"]
    assert not objective.passed and objective.severity == dg.AssetCheckSeverity.WARN
    assert objective.metadata["offending_rows"].value == [
        {"source_file": "beitou-110.pdf", "objective_code": "BL2.1", "kpi_code": "BL2.2"}
    ]
    plans = checks["plan_code_starts_with_kpi_code"]
    assert not plans.passed and plans.metadata["offending_rows"].value[0]["plan_code"] == "DP1.1.2"


def _one_kpi_deck(path: Path, values, years=(107, 108, 109, 110)) -> Path:
    kpis = [Kpi("顧客", "AC1推動祭拜精緻化", "AC1.1提升集中燒配合比率", values, ("AC1.1.1計畫",))]
    return build_deck(Deck(pages=[[Table("策略主題：(A)發展多元文化", kpis, years=years)]]), path)


def test_odd_year_columns_are_quarantined_unknown_notes_and_wild_percents_reported(tmp_path):
    odd_years = _one_kpi_deck(tmp_path / "years.pdf", ("70%", "72%", "74%", "75%"), years=(104, 105, 109, 110))
    odd_values = _one_kpi_deck(tmp_path / "values.pdf", ("尚未統計不適用", "1,191,364%", "74%", "75%"))
    years_checks = _materialize_all([odd_years], tmp_path / "a.duckdb")
    (quarantined,) = years_checks["quarantined"]
    assert quarantined["file"] == "years.pdf" and "do not fit plan year 110" in quarantined["reason"]
    assert years_checks["year_columns_match_plan_year"].passed, "nothing of it was written"
    value_checks = _materialize_all([odd_values], tmp_path / "b.duckdb")
    assert value_checks["year_columns_match_plan_year"].passed
    assert value_checks["status_notes_known"].metadata["offending_rows"].value[0]["note"] == "尚未統計"
    assert value_checks["percent_values_in_range"].metadata["offending_rows"].value[0]["value"] == 1191364.0


def test_a_replaced_deck_is_reported(tmp_path):
    db = tmp_path / "w.duckdb"
    first = _one_kpi_deck(tmp_path / "v1.pdf", ("70%", "72%", "74%", "75%"))
    assert _materialize_all([first], db)["decks_replaced"].passed
    second = _one_kpi_deck(tmp_path / "v2.pdf", ("70%", "72%", "74%", "80%"))
    replaced = _materialize_all([second], db)["decks_replaced"]
    assert not replaced.passed
    row = replaced.metadata["offending_rows"].value[0]
    assert (row["old_source_file"], row["new_source_file"]) == ("v1.pdf", "v2.pdf")


def test_checks_fail_loudly_with_the_offending_rows(tmp_path):
    kpis = [
        Kpi("顧客", "AC1推動祭拜精緻化", "AC1.1提升集中燒配合比率", ("70%", "72%", "74%", "75%"), ("AC1.1.1計畫",)),
        Kpi("顧客", "AC1推動祭拜精緻化", "AC1.2金紙減量", ("1", "2", "3", ""), ("AC1.2.1計畫",)),
    ]
    deck = build_deck(Deck(pages=[[Table("策略主題：(A)發展多元文化", kpis)]]), tmp_path / "gap.pdf")
    checks = _materialize_all([deck], tmp_path / "w.duckdb")
    assert not checks["kpis_have_targets"].passed
    assert checks["kpis_have_targets"].severity == dg.AssetCheckSeverity.WARN
    assert checks["kpis_have_targets"].metadata["offending_rows"].value == [
        {"source_file": "gap.pdf", "kpi_code": "AC1.2", "kpi_name": "金紙減量"}
    ]
    assert checks["decks_have_kpis"].passed


def test_rules_that_once_blocked_still_report_decks_loaded_before_the_plausibility_checks(tmp_path):
    """A warehouse loaded by an older parser may hold a deck printing a code twice: reported, never hidden."""

    def apply(con):
        con.execute(
            "INSERT INTO decks (deck_id, source_file, sha256, org, plan_year, ingested_at) "
            "VALUES ('d1', 'x.pdf', 'ff', '某區公所', 110, now())"
        )
        con.execute("INSERT INTO kpis (deck_id, kpi_code) VALUES ('d1', 'AC1.1'), ('d1', 'AC1.1')")
        return {rule.name: violations(con, rule) for rule in CHECKS}

    found = publish(tmp_path / "w.duckdb", apply)
    assert found["kpi_codes_unique_per_deck"] == [{"source_file": "x.pdf", "kpi_code": "AC1.1", "n": 2}]


def test_deck_without_kpis_rule(tmp_path):
    db = tmp_path / "w.duckdb"

    def apply(con):
        con.execute(
            "INSERT INTO decks (deck_id, source_file, sha256, org, plan_year, ingested_at) "
            "VALUES ('d1', 'x.pdf', 'ff', '某區公所', 110, now())"
        )
        return violations(con, CHECKS[0])

    assert publish(db, apply) == [{"deck_id": "d1", "source_file": "x.pdf", "org": "某區公所", "plan_year": 110}]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM decks").fetchone()[0] == 1
