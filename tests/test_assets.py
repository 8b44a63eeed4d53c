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
from pipeline.load import deck_id_for
from pipeline.parse import sha256_of
from pipeline.publish import publish
from pipeline.quality import RULES, violations


def _materialize_all(files: list[Path], db: Path) -> dict[str, dg.AssetCheckEvaluation]:
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
    views = result.asset_materializations_for_node("kpi_views")[0].metadata
    assert views["rows_kpi_series"].value > 0
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


def test_definitions_load():
    dg.Definitions.validate_loadable(defs)
    assert {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()} >= {
        "parsed_deck",
        "warehouse_tables",
        "kpi_views",
    }


def test_checks_pass_on_a_clean_deck(tmp_path):
    checks = _materialize_all([CORPUS / "public" / "shilin-112.pdf"], tmp_path / "w.duckdb")
    assert set(checks) == {rule.name for rule in RULES}
    assert all(e.passed for e in checks.values())


def test_checks_fail_loudly_with_the_offending_rows(tmp_path):
    kpis = [
        Kpi("顧客", "AC1推動祭拜精緻化", "AC1.1提升集中燒配合比率", ("70%", "72%", "74%", "75%"), ("AC1.1.1計畫",)),
        Kpi("顧客", "AC1推動祭拜精緻化", "AC1.1提升集中燒配合比率", ("70%", "72%", "74%", "75%"), ("AC1.1.1計畫",)),
        Kpi("顧客", "AC1推動祭拜精緻化", "AC1.2金紙減量", ("1", "2", "3", ""), ("AC1.2.1計畫",)),
    ]
    deck = build_deck(Deck(pages=[[Table("策略主題：(A)發展多元文化", kpis)]]), tmp_path / "dup.pdf")
    checks = _materialize_all([deck], tmp_path / "w.duckdb")
    assert not checks["kpi_codes_unique_per_deck"].passed
    assert checks["kpi_codes_unique_per_deck"].metadata["count"].value == 1
    assert not checks["kpis_have_targets"].passed
    assert checks["kpis_have_targets"].metadata["offending_rows"].value == [
        {"source_file": "dup.pdf", "kpi_code": "AC1.2", "kpi_name": "金紙減量"}
    ]
    assert checks["decks_have_kpis"].passed


def test_deck_without_kpis_rule(tmp_path):
    db = tmp_path / "w.duckdb"

    def apply(con):
        con.execute("INSERT INTO decks VALUES ('d1', 'x.pdf', 'ff', '某區公所', 110, NULL, 3, now())")
        return violations(con, RULES[0])

    assert publish(db, apply) == [{"deck_id": "d1", "source_file": "x.pdf", "org": "某區公所", "plan_year": 110}]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM decks").fetchone()[0] == 1
