import sys
from dataclasses import replace
from pathlib import Path

import pytest

import pipeline
from pipeline.identity import sha256_of
from pipeline.ingest import refresh
from pipeline.model import ParseOutcome

SAMPLE_DECKS = sorted((Path(__file__).parents[1] / "raw_pdfs").glob("*.pdf"))

# deckmaker (the PDF fixture builder) lives beside the tests.
sys.path.insert(0, str(Path(__file__).parent))


class SharedParses:
    """Parse results shared by the whole session, keyed by content, parser version and limits."""

    def __init__(self, parse) -> None:
        self._parse = parse
        self._results: dict[tuple, ParseOutcome] = {}

    def __call__(self, path: Path, sha256: str, source_file: str | None = None, **limits) -> ParseOutcome:
        key = (sha256, pipeline.PARSER_VERSION, tuple(sorted(limits.items())))
        if key not in self._results:
            self._results[key] = self._parse(path, sha256, source_file, **limits)
        outcome, name = self._results[key], source_file or path.name
        deck = replace(outcome.deck, source_file=name) if outcome.deck else None
        return replace(outcome, source_file=name, deck=deck)


@pytest.fixture(autouse=True, scope="session")
def shared_parses():
    """Every test has its own warehouse and parse cache, but the same deck content is parsed in a
    child process only once per session: most tests are about what happens around the parse.
    (tests/test_sandbox.py calls the sandbox itself, unshared.)"""
    shared = SharedParses(refresh.parse_bounded)
    patch = pytest.MonkeyPatch()
    patch.setattr(refresh, "parse_bounded", shared)
    yield shared
    patch.undo()


@pytest.fixture
def parse_once(shared_parses):
    """parse_once(path) → the deck's ParseOutcome, parsed at most once per session."""
    return lambda path: shared_parses(path, sha256_of(path))


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory, shared_parses) -> Path:
    """The README's sample decks (raw_pdfs/) ingested once per session, as `make ingest` does.
    Shared: tests only read it (copy it first to change it)."""
    from assets.cli import main

    db = tmp_path_factory.mktemp("sample") / "scorecards.duckdb"
    assert main(["ingest", *map(str, SAMPLE_DECKS), "--db", str(db)]) == 0
    return db
