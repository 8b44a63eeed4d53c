"""Failures, the file's fault or ours, permanent or not: limits are retried, internal errors reported
and never cached, and the limits are settings."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from deckmaker import Deck, Kpi, Table, build_deck

from assets.cli import main
from assets.definitions import build_resources
from pipeline.extract.parse import RejectedDeck
from pipeline.identity import sha256_of
from pipeline.ingest import refresh, sandbox, worker
from pipeline.ingest.inventory import DeckFile, WarehouseState, plan_refresh
from pipeline.ingest.staging import StagingArea
from pipeline.model import Failure, ParseOutcome


def _deck(path: Path, org: str = "臺北市士林區公所") -> Path:
    kpi = Kpi("顧客", "AC1推動祭拜精緻化", "AC1.1提升集中燒配合比率", ("70%", "72%", "74%", "75%"), ("AC1.1.1計畫",))
    return build_deck(Deck(org=org, pages=[[Table("策略主題：(A)發展多元文化", [kpi])]]), path)


def _rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_parse_that_times_out_is_retried_on_the_next_refresh(tmp_path, monkeypatch, capsys):
    db, deck = tmp_path / "w.duckdb", _deck(tmp_path / "deck.pdf")
    monkeypatch.setenv("SCORECARDS_PARSE_TIMEOUT_S", "0.01")
    assert main(["ingest", str(deck), "--db", str(db)]) == 1
    assert "rejected: deck.pdf: parsing took longer than 0.01 s (SCORECARDS_PARSE_TIMEOUT_S) (attempt 1 of 3;" in (
        capsys.readouterr().err
    )
    assert _rows(db, "SELECT kind, attempts FROM rejected_files") == [("retrying", 1)]
    monkeypatch.delenv("SCORECARDS_PARSE_TIMEOUT_S")
    assert main(["ingest", str(deck), "--db", str(db)]) == 0
    assert "ingested 1 deck (parsed 1, reused 0)" in capsys.readouterr().out
    assert _rows(db, "SELECT count(*) FROM decks") == [(1,)]
    assert _rows(db, "SELECT count(*) FROM rejected_files") == [(0,)]


def _fake_parses(monkeypatch, *outcomes: ParseOutcome) -> list[str]:
    """Parses return `outcomes` in turn; the list records each parsed file's name."""
    calls: list[str] = []

    def fake(jobs, workers=1, limits=None):
        for job in jobs:
            calls.append(job.path.name)
            yield outcomes[min(len(calls), len(outcomes)) - 1]

    monkeypatch.setattr(refresh, "parse_many", fake)
    return calls


def test_three_attempts_then_the_rejection_stays(tmp_path, monkeypatch):
    path = tmp_path / "deck.pdf"
    path.write_bytes(b"%PDF-1.4 stand-in")
    deck = DeckFile("d", "ab" * 32, path)
    limit = ParseOutcome("deck.pdf", deck.sha256, rejection="parsing took longer than 1 s", failure=Failure.LIMIT)
    calls = _fake_parses(monkeypatch, limit)
    staging = StagingArea(tmp_path / "staging")
    seen = [refresh.reuse_or_parse(deck, staging) for _ in range(5)]
    assert calls == ["deck.pdf"] * 3, "parsed three times, then kept"
    assert [o.attempts for o in seen] == [1, 2, 3, 3, 3]
    assert "failed 3 times; parsed again only when the file or the parser changes" in seen[-1].rejection
    assert seen[-1].reused and not staging.awaiting_retry(deck.sha256)


def test_only_the_schedule_parses_again_what_awaits_a_retry(tmp_path):
    staging = StagingArea(tmp_path / "staging")
    deck = DeckFile("d", "ab" * 32, tmp_path / "deck.pdf")
    staging.put(ParseOutcome("deck.pdf", deck.sha256, rejection="slow", failure=Failure.LIMIT, attempts=1))
    sensor = plan_refresh([deck], staging, WarehouseState())
    assert (sensor.to_parse, sensor.to_load) == ([], [deck]), "the sensor loads the rejection, it does not retry"
    loaded = WarehouseState(retrying={(deck.sha256, staging.version): 1})
    assert plan_refresh([deck], staging, loaded).to_load == []
    assert plan_refresh([deck], staging, loaded, retry=True).to_parse == [deck]
    staging.put(ParseOutcome("deck.pdf", deck.sha256, rejection="slow", failure=Failure.LIMIT, attempts=2))
    assert plan_refresh([deck], staging, loaded).to_load == [deck], "a new attempt is loaded again"


def test_an_internal_error_is_reported_counted_apart_and_not_cached(tmp_path, monkeypatch, capsys):
    db = tmp_path / "w.duckdb"
    broken, fine = _deck(tmp_path / "broken.pdf", "臺北市大安區公所"), _deck(tmp_path / "fine.pdf")
    real = refresh.parse_many

    def parse(jobs, workers=1, limits=None):
        for job in jobs:
            if job.path.name == "broken.pdf":
                reason, internal = "internal error: TypeError: boom", Failure.INTERNAL
                yield ParseOutcome(job.source_file, job.sha256, rejection=reason, failure=internal, traceback="...")
            else:
                yield from real([job], workers, limits)

    monkeypatch.setattr(refresh, "parse_many", parse)
    assert main(["ingest", str(broken), str(fine), "--db", str(db)]) == 1
    out, err = capsys.readouterr()
    assert "failed: broken.pdf: internal error: TypeError: boom (not the file's fault" in err
    assert "ingested 1 deck (parsed 1, reused 0), rejected 0, quarantined 0, failed 1 (internal error)" in out
    assert _rows(db, "SELECT source_file FROM decks") == [("fine.pdf",)]
    assert _rows(db, "SELECT count(*) FROM rejected_files") == [(0,)], "not recorded against the file"
    assert not StagingArea(tmp_path / "w.staging").has(sha256_of(broken)), "not cached"
    monkeypatch.setattr(refresh, "parse_many", real)
    assert main(["ingest", str(broken), "--db", str(db)]) == 0, "parsed again next time"


def test_the_sandbox_tells_a_crash_in_our_code_from_a_damaged_file(tmp_path):
    job, limits = sandbox.Job(tmp_path / "x.pdf", "ab" * 32, "x.pdf"), sandbox.Limits()
    crash = "Traceback (most recent call last):\n  File ...\nTypeError: unsupported operand"
    outcome = sandbox.outcome_of_exit(job, 1, crash, limits)
    assert (outcome.failure, outcome.rejection) == (Failure.INTERNAL, "internal error: TypeError: unsupported operand")
    assert outcome.traceback == crash
    assert sandbox.outcome_of_exit(job, -9, "", limits).failure == Failure.LIMIT, "killed: out of memory"
    assert sandbox.outcome_of_exit(job, 1, "...\nMemoryError", limits).failure == Failure.LIMIT
    assert sandbox.outcome_of_reply(job, {"internal": crash}, limits).rejection == crash.replace(
        "Traceback (most recent call last):\n  File ...\n", "internal error: "
    )


def test_running_out_of_memory_inside_the_parser_is_a_limit(tmp_path, monkeypatch):
    def parse_pdf(path, source_file, sha256):
        raise RejectedDeck("page 3 needs more memory than a deck may use") from MemoryError()

    monkeypatch.setattr(worker, "parse_pdf", parse_pdf)
    assert worker.parse_to_outcome(tmp_path / "x.pdf", "ab" * 32, "x.pdf").failure == Failure.LIMIT
    monkeypatch.setattr(worker, "parse_pdf", lambda *a: (_ for _ in ()).throw(RejectedDeck("encrypted PDF")))
    assert worker.parse_to_outcome(tmp_path / "x.pdf", "ab" * 32, "x.pdf").failure == Failure.FILE


@pytest.mark.parametrize(
    "name, value",
    [("SCORECARDS_PARSE_TIMEOUT_S", "soon"), ("SCORECARDS_PARSE_MEMORY_MB", "-5"), ("SCORECARDS_WORKERS", "0")],
)
def test_the_limits_are_settings(tmp_path, monkeypatch, capsys, name, value):
    monkeypatch.setenv("SCORECARDS_PARSE_TIMEOUT_S", "7.5")
    monkeypatch.setenv("SCORECARDS_PARSE_MEMORY_MB", "512")
    monkeypatch.setenv("SCORECARDS_WORKERS", "3")
    decks = build_resources([], str(tmp_path / "w.duckdb"))["decks"]
    assert (decks.parse_timeout_s, decks.parse_memory_mb, decks.parse_workers) == (7.5, 512, 3), "read by Dagster too"
    monkeypatch.setenv(name, value)
    assert main(["ingest", str(_deck(tmp_path / "d.pdf")), "--db", str(tmp_path / "w.duckdb")]) == 2
    whole = "" if name.endswith("_S") else "whole "
    assert capsys.readouterr().err == f"scorecards: {name}={value!r}: expected a positive {whole}number\n"


def test_two_writers_of_one_cache_entry_never_trip_over_each_others_file(tmp_path, monkeypatch):
    """Another run stages the same deck between this run's write and its rename."""
    staging = StagingArea(tmp_path / "staging")
    outcome = ParseOutcome("deck.pdf", "ab" * 32, rejection="not a PDF file", failure=Failure.FILE)
    replace = os.replace
    interleaved = []

    def other_run_first(src, dst):
        if not interleaved:
            interleaved.append(src)
            staging.put(outcome)  # the other run, all of it
        replace(src, dst)

    monkeypatch.setattr("pipeline.ingest.staging.os.replace", other_run_first)
    staging.put(outcome)
    assert staging.get(outcome.sha256).rejection == "not a PDF file"
    assert sorted(p.name for p in staging.root.iterdir()) == [f"{'ab' * 32}.v{staging.version}.json"]
