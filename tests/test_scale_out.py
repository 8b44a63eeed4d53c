"""parsed_deck scales out with Dagster itself: its partitions run through the multiprocess executor,
each run's step in a process of its own, its decks parsed there by bounded workers."""

from __future__ import annotations

import dagster as dg
import pytest
from deckmaker import Deck, Kpi, Table, build_deck

from assets.decks import deck_partitions, parse_run_tags, parsed_deck
from assets.resources import build_resources
from pipeline.identity import deck_id_for, sha256_of

pytestmark = pytest.mark.slow  # a run in child processes


def parse_job() -> dg.JobDefinition:
    """The parse job as a deployment would define it, rebuilt by the executor's step process
    (resources from the environment: SCORECARDS_PDF_DIR, SCORECARDS_DB, SCORECARDS_WORKERS)."""
    job = dg.define_asset_job("parse_decks", selection=[parsed_deck], executor_def=dg.multiprocess_executor)
    return dg.Definitions(assets=[parsed_deck], jobs=[job], resources=build_resources()).resolve_job_def("parse_decks")


def _deck(path, org):
    kpi = Kpi("顧客", "AC1推動祭拜精緻化", "AC1.1提升集中燒配合比率", ("70%", "72%", "74%", "75%"), ("AC1.1.1計畫",))
    return build_deck(Deck(org=org, pages=[[Table("策略主題：(A)發展多元文化", [kpi])]]), path)


def test_deck_partitions_run_through_the_multiprocess_executor(tmp_path, monkeypatch):
    folder = tmp_path / "decks"
    folder.mkdir()
    decks = [_deck(folder / "daan.pdf", "臺北市大安區公所"), _deck(folder / "shilin.pdf", "臺北市士林區公所")]
    monkeypatch.setenv("SCORECARDS_PDF_DIR", str(folder))
    monkeypatch.setenv("SCORECARDS_DB", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv("SCORECARDS_WORKERS", "1")
    ids = [deck_id_for(sha256_of(d)) for d in decks]
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(deck_partitions.name, ids)
        result = dg.execute_job(dg.reconstructable(parse_job), instance, tags=parse_run_tags(ids[0], ids[-1]))
        assert result.success
        events = result.all_events
        assert any(e.event_type_value == "STEP_WORKER_STARTED" for e in events), "the step ran in its own process"
        done = {e.event_specific_data.materialization.partition: e for e in result.get_asset_materialization_events()}
        assert sorted(done) == sorted(ids), "one run, every deck partition materialized"
        meta = {key: e.event_specific_data.materialization.metadata for key, e in done.items()}
        assert {meta[key]["org"].value for key in ids} == {"臺北市大安區公所", "臺北市士林區公所"}
        assert all(meta[key]["kpis"].value == 1 and not meta[key]["reused"].value for key in ids)
