"""The deck-folder sensor and the daily schedule: what they ask for as decks come and go."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_duckdb import DuckDBResource
from truth import CORPUS, load_truth

import pipeline
from assets.automation import daily_refresh, deck_folder_sensor
from assets.decks import deck_partitions, parsed_deck
from assets.resources import DeckSource
from assets.warehouse import kpi_views, warehouse_tables
from pipeline.identity import deck_id_for, sha256_of

PUBLIC = CORPUS / "public"
pytestmark = pytest.mark.slow  # Dagster runs, several per test


class Site:
    """A deck folder, a warehouse and a Dagster instance, driven tick by tick."""

    def __init__(self, root: Path, instance: dg.DagsterInstance) -> None:
        self.folder = root / "decks"
        self.folder.mkdir()
        self.db = root / "warehouse" / "scorecards.duckdb"
        self.instance = instance
        self.resources = {
            "decks": DeckSource(pdf_dir=str(self.folder), staging_dir=str(root / "staging")),
            "duckdb": DuckDBResource(database=str(self.db)),
        }
        self.cursor: str | None = None

    def add(self, source: Path, name: str | None = None) -> str:
        """Copy a deck in, finished a while ago (a file still arriving is waited for)."""
        target = self.folder / (name or source.name)
        shutil.copyfile(source, target)
        settled = time.time() - 3600
        os.utime(target, (settled, settled))
        return deck_id_for(sha256_of(source))

    def tick(self) -> dg.SensorResult:
        # Entered and closed: an open evaluation context leaves Dagster's per-instance state behind.
        with dg.build_sensor_context(instance=self.instance, resources=self.resources, cursor=self.cursor) as context:
            result = deck_folder_sensor(context)
        self.cursor = result.cursor
        for request in result.dynamic_partitions_requests or []:
            self.instance.add_dynamic_partitions(deck_partitions.name, list(request.partition_keys))
        return result

    def run(self, request: dg.RunRequest) -> None:
        assets = [parsed_deck, warehouse_tables, kpi_views]
        result = dg.materialize(
            assets,
            selection=request.asset_selection,
            partition_key=request.partition_key,
            instance=self.instance,
            resources=self.resources,
            tags=request.tags,
        )
        assert result.success

    def run_all(self, result: dg.SensorResult) -> None:
        for request in result.run_requests or []:
            self.run(request)

    def scheduled(self):
        with dg.build_schedule_context(instance=self.instance, resources=self.resources) as context:
            return daily_refresh(context)

    def count(self, sql: str) -> int:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(sql).fetchone()[0]


@pytest.fixture
def site(tmp_path) -> Site:
    """In memory: quick, and all a sensor needs."""
    with dg.DagsterInstance.ephemeral() as instance:
        yield Site(tmp_path, instance)


@pytest.fixture
def scheduled_site(tmp_path) -> Site:
    """On disk: a schedule's context opens its instance again from a reference, which needs one."""
    with dg.instance_for_test() as instance:
        yield Site(tmp_path, instance)


def _parse_ranges(requests: list[dg.RunRequest] | None) -> list[tuple[str, str]]:
    """(first, last) deck partition of each parse run requested."""
    return [
        (r.tags["dagster/asset_partition_range_start"], r.tags["dagster/asset_partition_range_end"])
        for r in requests or []
        if parsed_deck.key in r.asset_selection
    ]


def _parse_keys(result: dg.SensorResult) -> list[str]:
    return [key for first, last in _parse_ranges(result.run_requests) for key in dict.fromkeys([first, last])]


def _loads(result: dg.SensorResult) -> int:
    return sum(1 for r in result.run_requests or [] if parsed_deck.key not in r.asset_selection)


def test_a_new_deck_is_registered_parsed_then_loaded(site):
    deck_id = site.add(PUBLIC / "shilin-110.pdf")
    first = site.tick()
    assert list(first.dynamic_partitions_requests[0].partition_keys) == [deck_id]
    assert _parse_keys(first) == [deck_id] and _loads(first) == 0
    site.run_all(first)
    second = site.tick()
    assert _parse_keys(second) == [] and _loads(second) == 1
    site.run_all(second)
    assert site.count("SELECT count(*) FROM decks") == 1
    assert site.tick().skip_reason is not None, "nothing left to do"


def test_a_renamed_copy_is_not_a_new_deck(site):
    site.add(PUBLIC / "shilin-110.pdf")
    site.run_all(site.tick())
    site.run_all(site.tick())
    site.add(PUBLIC / "shilin-110.pdf", "copy-of-shilin.pdf")
    assert site.tick().skip_reason is not None


def test_a_corrupt_file_is_rejected_and_later_decks_still_load(site):
    site.add(CORPUS / "bad" / "truncated-deck.pdf")
    site.run_all(site.tick())
    site.run_all(site.tick())
    assert site.count("SELECT count(*) FROM rejected_files") == 1
    site.add(PUBLIC / "shilin-111.pdf")
    site.run_all(site.tick())
    site.run_all(site.tick())
    assert site.count("SELECT count(*) FROM decks") == 1


def test_a_removed_file_deletes_nothing_and_is_reported(site):
    site.add(PUBLIC / "shilin-110.pdf")
    site.run_all(site.tick())
    site.run_all(site.tick())
    (site.folder / "shilin-110.pdf").unlink()
    result = site.tick()
    assert result.run_requests in (None, [])
    assert "kept in the warehouse: shilin-110.pdf" in str(result.skip_reason)
    assert site.count("SELECT count(*) FROM decks") == 1


def test_a_parser_version_bump_reparses_every_deck(site, monkeypatch):
    ids = {site.add(PUBLIC / "shilin-110.pdf"), site.add(PUBLIC / "shilin-111.pdf")}
    site.run_all(site.tick())
    site.run_all(site.tick())
    monkeypatch.setattr("pipeline.PARSER_VERSION", pipeline.PARSER_VERSION + 1)
    result = site.tick()
    assert set(_parse_keys(result)) == ids
    site.run_all(result)
    assert _loads(site.tick()) == 1, "re-parsed decks are loaded again"


def test_sensor_and_schedule_run_by_default():
    assert deck_folder_sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert daily_refresh.default_status == dg.DefaultScheduleStatus.RUNNING
    assert (daily_refresh.cron_schedule, daily_refresh.execution_timezone) == ("0 6 * * *", "Asia/Taipei")


def test_schedule_refreshes_whatever_is_stale(scheduled_site):
    site = scheduled_site
    assert isinstance(site.scheduled(), dg.SkipReason), "an empty folder is current"
    deck_id = site.add(PUBLIC / "shilin-112.pdf")
    requests = site.scheduled()
    assert _parse_ranges(requests) == [(deck_id, deck_id)] and len(requests) == 1
    assert deck_id in site.instance.get_dynamic_partitions(deck_partitions.name)
    for request in requests:
        site.run(request)
    requests = site.scheduled()
    assert _parse_ranges(requests) == [] and len(requests) == 1, "then one load"
    site.run(requests[0])
    assert site.count("SELECT count(*) FROM kpis") > 0


def test_a_deck_still_being_copied_in_is_parsed_once_whole(site):
    """Copied in slowly, chunk after chunk with the sensor ticking between them: no partition and no
    parse for a part of the file; once it has stayed the same for a tick, one clean parse of all of it."""
    source = PUBLIC / "shilin-110.pdf"
    data, target = source.read_bytes(), site.folder / source.name
    chunk = len(data) // 5 + 1
    for start in range(0, len(data), chunk):
        with target.open("ab") as fh:
            fh.write(data[start : start + chunk])
        result = site.tick()
        assert _parse_keys(result) == [] and not result.dynamic_partitions_requests
        assert "still arriving, read once settled: shilin-110.pdf" in str(result.skip_reason)
    settled = site.tick()
    deck_id = deck_id_for(sha256_of(source))
    assert _parse_keys(settled) == [deck_id]
    assert site.instance.get_dynamic_partitions(deck_partitions.name) == [deck_id]
    site.run_all(settled)
    outcome = site.resources["decks"].staging().get(sha256_of(source))
    truth = load_truth(PUBLIC / "shilin-110.truth.json")
    assert outcome.rejection is None and len(outcome.deck.kpis) == len(truth["kpis"]), "the whole deck, read cleanly"
    assert outcome.deck.findings == []


def test_a_file_that_vanishes_during_a_tick_is_skipped(site, monkeypatch):
    site.add(PUBLIC / "shilin-110.pdf")
    listed, ghost = DeckSource.paths, site.folder / "gone.pdf"  # listed, then deleted before it is read
    monkeypatch.setattr(DeckSource, "paths", lambda self: [*listed(self), ghost])
    result = site.tick()
    assert _parse_keys(result) == [deck_id_for(sha256_of(PUBLIC / "shilin-110.pdf"))]


def test_decks_arriving_together_are_parsed_in_one_run_and_asked_for_once(site):
    ids = [site.add(PUBLIC / name) for name in ("shilin-110.pdf", "shilin-111.pdf", "daan-109.pdf")]
    first = site.tick()
    assert len(first.run_requests) == 1 and _parse_ranges(first.run_requests) == [(ids[0], ids[-1])]
    assert first.run_requests[0].tags["scorecards/step"] == "parse", "the key for a run-queue tag limit"
    assert site.tick().skip_reason is not None, "the batch's run is not asked for again while it is pending"
    site.run_all(first)
    staging = site.resources["decks"].staging()
    assert all(staging.has(sha256_of(PUBLIC / n)) for n in ("shilin-110.pdf", "shilin-111.pdf", "daan-109.pdf"))
    load = site.tick()
    assert _loads(load) == 1 and load.run_requests[0].tags["scorecards/step"] == "load"


def test_a_parser_upgrade_reparses_in_one_run_per_range_of_partitions(site, monkeypatch):
    a, b, c = (site.add(PUBLIC / name) for name in ("shilin-110.pdf", "shilin-111.pdf", "daan-109.pdf"))
    site.run_all(site.tick())
    site.run_all(site.tick())
    (site.folder / "shilin-111.pdf").unlink()  # its partition stays, between the other two
    monkeypatch.setattr("pipeline.PARSER_VERSION", pipeline.PARSER_VERSION + 1)
    result = site.tick()
    assert _parse_ranges(result.run_requests) == [(a, a), (c, c)] and b not in _parse_keys(result)
    site.run_all(result)
    assert _loads(site.tick()) == 1


def test_a_tick_over_unchanged_files_reads_none_of_them(site, monkeypatch):
    for name in ("shilin-110.pdf", "shilin-111.pdf"):
        site.add(PUBLIC / name)
    site.run_all(site.tick())
    site.run_all(site.tick())

    def read(path):
        raise AssertionError(f"{path.name} was read again")

    monkeypatch.setattr("pipeline.ingest.hashes.sha256_of", read)
    site.cursor = None  # even a sensor starting afresh (a restarted daemon) knows them by their stamps
    assert site.tick().skip_reason is not None


def test_a_large_batch_is_split_into_runs_of_at_most_decks_per_run(site, monkeypatch):
    monkeypatch.setenv("SCORECARDS_DECKS_PER_RUN", "2")
    ids = [site.add(PUBLIC / name) for name in ("shilin-110.pdf", "shilin-111.pdf", "daan-109.pdf")]
    first = site.tick()
    assert _parse_ranges(first.run_requests) == [(ids[0], ids[1]), (ids[2], ids[2])]
    site.run_all(first)
    assert _loads(site.tick()) == 1
