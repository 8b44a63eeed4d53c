import fcntl
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.identity import sha256_of
from pipeline.ingest import refresh
from pipeline.ingest.sandbox import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, Job, Limits, parse_bounded
from pipeline.ingest.worker import parse_to_outcome
from pipeline.model import ParseOutcome

SAMPLE_DECKS = sorted((Path(__file__).parents[1] / "raw_pdfs").glob("*.pdf"))

# deckmaker (the PDF fixture builder) lives beside the tests.
sys.path.insert(0, str(Path(__file__).parent))


def parse_here_within_default_limits(
    path: Path, sha256: str, source_file: str | None = None, timeout_s=DEFAULT_TIMEOUT_S, memory_mb=DEFAULT_MEMORY_MB
) -> ParseOutcome:
    """What the sandbox's child does, done in this process and passed through the same JSON. Test
    decks never come near the default limits, so there a child process per deck only costs time;
    other limits (tests of the limits themselves) go through the sandbox."""
    if (timeout_s, memory_mb) != (DEFAULT_TIMEOUT_S, DEFAULT_MEMORY_MB):
        return parse_bounded(path, sha256, source_file, timeout_s=timeout_s, memory_mb=memory_mb)
    outcome = parse_to_outcome(path, sha256, source_file or path.name)
    return ParseOutcome.from_json(json.loads(json.dumps(outcome.to_json(), ensure_ascii=False)))


class SharedParses:
    """Parse results shared by the whole session, keyed by content and limits (not by PARSER_VERSION:
    a test that bumps it runs the same parser code, so the same results stand for its re-parse).
    With `folder`, results are also kept there as JSON, so the workers of one parallel session
    (pytest -n) share them too."""

    def __init__(self, parse, folder: Path | None = None) -> None:
        self._parse = parse
        self._folder = folder
        self._results: dict[tuple, ParseOutcome] = {}

    def _parsed(self, path: Path, sha256: str, source_file: str | None, limits: dict) -> ParseOutcome:
        kept = self._folder / f"{sha256}-{limits['timeout_s']}-{limits['memory_mb']}.json" if self._folder else None
        if kept is not None and kept.exists():
            return ParseOutcome.from_json(json.loads(kept.read_text(encoding="utf-8")))
        outcome = self._parse(path, sha256, source_file, **limits)
        if kept is not None:
            tmp = kept.with_name(f".{kept.name}.{os.getpid()}")
            tmp.write_text(json.dumps(outcome.to_json(), ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, kept)
        return outcome

    def __call__(self, path: Path, sha256: str, source_file: str | None = None, **limits) -> ParseOutcome:
        limits = {"timeout_s": DEFAULT_TIMEOUT_S, "memory_mb": DEFAULT_MEMORY_MB, **limits}  # defaults spelt out or not
        key = (sha256, tuple(sorted(limits.items())))
        if key not in self._results:
            self._results[key] = self._parsed(path, sha256, source_file, limits)
        outcome, name = self._results[key], source_file or path.name
        deck = replace(outcome.deck, source_file=name) if outcome.deck else None
        return replace(outcome, source_file=name, deck=deck)

    def many(self, jobs: list[Job], workers: int = 1, limits: Limits | None = None):
        """What pipeline.ingest.sandbox.parse_many does, one deck at a time through the shared results."""
        limits = limits or Limits()
        for job in jobs:
            yield self(job.path, job.sha256, job.source_file, timeout_s=limits.timeout_s, memory_mb=limits.memory_mb)


@pytest.fixture(autouse=True, scope="session")
def shared_parses(tmp_path_factory):
    """Every test has its own warehouse and parse cache, but the same deck content is parsed only
    once per session (and once for all the workers of a parallel session, whose temporary folders
    share a parent): most tests are about what happens around the parse. (tests/test_sandbox.py
    calls the sandbox itself, unshared.)"""
    folder = None
    if os.environ.get("PYTEST_XDIST_WORKER"):
        folder = _session_root(tmp_path_factory) / "shared-parses"
        folder.mkdir(exist_ok=True)
    shared = SharedParses(parse_here_within_default_limits, folder)
    patch = pytest.MonkeyPatch()
    patch.setattr(refresh, "parse_many", shared.many)
    yield shared
    patch.undo()


@pytest.fixture
def parse_once(shared_parses):
    """parse_once(path) → the deck's ParseOutcome, parsed at most once per session."""
    return lambda path: shared_parses(path, sha256_of(path))


def _session_root(tmp_path_factory) -> Path:
    """A folder of this session's, shared by the workers of a parallel session (pytest -n)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory, shared_parses) -> Path:
    """The README's sample decks (raw_pdfs/) ingested once per session, as `make ingest` does (once
    for all the workers of a parallel session: the first builds it under a lock, the others wait).
    Shared: tests only read it (copy it first to change it)."""
    from assets.cli import main

    root = _session_root(tmp_path_factory)
    db = root / "sample" / "scorecards.duckdb"
    with (root / "sample.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not db.exists():
            db.parent.mkdir(exist_ok=True)
            assert main(["ingest", *map(str, SAMPLE_DECKS), "--db", str(db)]) == 0
    return db


@pytest.fixture
def load_decks(shared_parses):
    """load_decks(db, *pdfs): parse (shared) and load decks into a warehouse, views included, as an
    ingest does but without Dagster: quicker where the CLI is not the point of the test."""
    from datetime import datetime

    from pipeline.warehouse.config import Config
    from pipeline.warehouse.load import create_views, load_outcomes
    from pipeline.warehouse.publish import publish

    def load(db: Path, *pdfs: Path) -> None:
        outcomes = [shared_parses(pdf, sha256_of(pdf)) for pdf in pdfs]
        publish(db, lambda con: (load_outcomes(con, outcomes, Config(), datetime.now()), create_views(con)))

    return load
