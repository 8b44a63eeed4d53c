"""Faults around a refresh: a disk that fills up, and writers running at the same moment."""

from __future__ import annotations

import logging
import resource
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from deckmaker import Deck, Kpi, Table, build_deck

from assets.cli import main
from assets.decks import deck_partitions, parsed_deck
from assets.definitions import build_resources
from assets.settings import staging_dir_for
from assets.warehouse import kpi_views, warehouse_tables
from pipeline.identity import deck_id_for, sha256_of
from pipeline.ingest.staging import StagingArea
from pipeline.ingest.worker import parse_to_outcome
from pipeline.warehouse.lockfile import writer_lock

pytestmark = pytest.mark.slow  # child processes importing Dagster

ROOT = Path(__file__).resolve().parents[1]


def _deck(path: Path, org: str) -> Path:
    kpi = Kpi("顧客", "AC1推動祭拜精緻化", "AC1.1提升集中燒配合比率", ("70%", "72%", "74%", "75%"), ("AC1.1.1計畫",))
    return build_deck(Deck(org=org, pages=[[Table("策略主題：(A)發展多元文化", [kpi])]]), path)


def _staged(deck: Path, db: Path) -> Path:
    """Parse `deck` here and cache the result where an ingest into `db` finds it (a child process
    then loads it without parsing it again)."""
    outcome = parse_to_outcome(deck, sha256_of(deck), deck.name)
    StagingArea(staging_dir_for(db)).put(outcome)
    return deck


def _decks(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT source_file FROM decks ORDER BY 1").fetchall()


@contextmanager
def _small_disk(limit: int) -> Iterator[None]:
    """This process's files may not grow past `limit` bytes, as on a full disk: a write past it fails
    with EFBIG (SIGXFSZ ignored). Safe here: the ingest below starts no child process (its parse is
    staged), and nothing else of the test's writes that much."""
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)


def test_a_disk_that_fills_up_mid_refresh_leaves_the_warehouse_as_it_was(tmp_path, load_decks, capsys):
    db = tmp_path / "w.duckdb"
    load_decks(db, _deck(tmp_path / "daan.pdf", "臺北市大安區公所"))
    before = db.read_bytes()
    limit = len(before) + 50_000  # room for a parse result and a copy of the warehouse, not for the new rows
    new = _staged(_deck(tmp_path / "shilin.pdf", "臺北市士林區公所"), db)
    with _small_disk(limit):
        status = main(["ingest", str(new), "--db", str(db)])
    assert status == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith(f"scorecards: loading the warehouse failed: could not write the new warehouse beside {db}")
    assert last.endswith("the published warehouse is unchanged") and "File too large" in last, last
    assert db.read_bytes() == before, "byte for byte"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [], "no half-built copy left"


def _scorecards(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "assets.cli", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_two_ingests_at_the_same_moment_both_succeed_one_waiting_for_the_other(tmp_path, capsys):
    """Started together while a third writer holds the warehouse: one `scorecards` process and one
    ingest in this process; both say they wait, then both load."""
    db = tmp_path / "w.duckdb"
    daan, shilin = _deck(tmp_path / "daan.pdf", "臺北市大安區公所"), _deck(tmp_path / "shilin.pdf", "臺北市士林區公所")
    _staged(shilin, db)
    waits = _Waits(expected=1)
    logging.getLogger("pipeline.warehouse.lockfile").addHandler(waits)
    statuses: list[int] = []
    try:
        with writer_lock(db):
            other = _scorecards("ingest", str(shilin), "--db", str(db))
            here = threading.Thread(target=lambda: statuses.append(main(["ingest", str(daan), "--db", str(db)])))
            here.start()
            assert other.stderr.readline() == f"scorecards: waiting for another run writing {db} to finish…\n"
            assert waits.all_waiting.wait(timeout=120)
        here.join(timeout=300)
        out, err = other.communicate(timeout=300)
    finally:
        logging.getLogger("pipeline.warehouse.lockfile").removeHandler(waits)
    mine = capsys.readouterr()
    assert (statuses, other.returncode) == ([0], 0), err
    assert f"waiting for another run writing {db} to finish" in mine.err
    for output in (out + err, mine.out + mine.err):
        assert "ingested 1 deck" in output and "error" not in output.lower() and "Traceback" not in output
    assert _decks(db) == [("daan.pdf",), ("shilin.pdf",)]


class _Waits(logging.Handler):
    """Counts the 'waiting for another run' messages of pipeline.warehouse.lockfile."""

    def __init__(self, expected: int) -> None:
        super().__init__()
        self.expected, self.seen, self.all_waiting = expected, 0, threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.seen += 1
        if self.seen >= self.expected:
            self.all_waiting.set()


def test_a_sensor_run_and_a_schedule_run_overlapping_both_load(tmp_path):
    """Two Dagster load runs at once (as a sensor's and the daily schedule's would in `dagster dev`)."""
    db = tmp_path / "w.duckdb"
    decks = [_deck(tmp_path / "daan.pdf", "臺北市大安區公所"), _deck(tmp_path / "shilin.pdf", "臺北市士林區公所")]
    runs: dict[str, tuple] = {}
    for deck in decks:  # each run's deck parsed first, as the sensor and the schedule request it
        instance, resources = dg.DagsterInstance.ephemeral(), build_resources([str(deck)], str(db))
        instance.add_dynamic_partitions(deck_partitions.name, [deck_id_for(sha256_of(deck))])
        dg.materialize(
            [parsed_deck], partition_key=deck_id_for(sha256_of(deck)), instance=instance, resources=resources
        )
        runs[deck.name] = (instance, resources)
    results: dict[str, dg.ExecuteInProcessResult] = {}

    def load(name: str) -> None:
        instance, resources = runs[name]
        selection = [warehouse_tables, kpi_views]
        results[name] = dg.materialize(
            [parsed_deck, *selection], selection=selection, instance=instance, resources=resources
        )

    waits = _Waits(expected=2)
    logging.getLogger("pipeline.warehouse.lockfile").addHandler(waits)
    try:
        with writer_lock(db):
            threads = [threading.Thread(target=load, args=(name,)) for name in runs]
            for thread in threads:
                thread.start()
            assert waits.all_waiting.wait(timeout=120), "both runs wait for the writer lock"
        for thread in threads:
            thread.join(timeout=300)
    finally:
        logging.getLogger("pipeline.warehouse.lockfile").removeHandler(waits)
    assert all(result.success for result in results.values()) and len(results) == 2
    assert _decks(db) == [("daan.pdf",), ("shilin.pdf",)]
