"""What one refresh does with the deck files: reuse a cached parse or parse in bounded children
(several at once), then gather the staged outcomes that the warehouse load should write."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

import duckdb

from pipeline.ingest.inventory import DeckFile, plan_refresh, state_of
from pipeline.ingest.sandbox import Job, Limits, parse_many
from pipeline.ingest.staging import StagingArea
from pipeline.model import MAX_ATTEMPTS, Failure, ParseOutcome


def _counted(outcome: ParseOutcome, attempt: int) -> ParseOutcome:
    """A parse that hit a limit, with its attempt number and what happens next in its reason."""
    if attempt < MAX_ATTEMPTS:
        then = f"attempt {attempt} of {MAX_ATTEMPTS}; it is parsed again on the next refresh"
    else:
        then = f"failed {MAX_ATTEMPTS} times; parsed again only when the file or the parser changes"
    return replace(outcome, attempts=attempt, rejection=f"{outcome.rejection} ({then})")


def reuse_or_parse_all(
    decks: Iterable[DeckFile], staging: StagingArea, limits: Limits | None = None, workers: int = 1
) -> Iterator[tuple[DeckFile, ParseOutcome]]:
    """Each deck with its staged outcome for this content and parser version, parsing (and staging)
    those that have none or whose last parse hit a time or memory limit (retried up to MAX_ATTEMPTS
    times). Cached outcomes come first; parses, `workers` at a time, as each one finishes."""
    waiting: dict[str, tuple[DeckFile, ParseOutcome | None]] = {}
    for deck in decks:
        cached = staging.get(deck.sha256, deck.path.name)
        if cached is not None and not staging.awaiting_retry(deck.sha256):
            yield deck, cached
        else:
            waiting[deck.sha256] = (deck, cached)
    jobs = [Job(deck.path, deck.sha256, deck.path.name) for deck, _ in waiting.values()]
    for outcome in parse_many(jobs, workers, limits):
        deck, cached = waiting[outcome.sha256]
        if outcome.failure == Failure.LIMIT:
            outcome = _counted(outcome, (cached.attempts if cached else 0) + 1)
        staging.put(outcome)
        yield deck, outcome


def reuse_or_parse(deck: DeckFile, staging: StagingArea, limits: Limits | None = None) -> ParseOutcome:
    """One deck's staged outcome, parsed (and staged) if need be (see reuse_or_parse_all)."""
    return next(reuse_or_parse_all([deck], staging, limits))[1]


def outcomes_to_load(
    con: duckdb.DuckDBPyConnection,
    files: list[DeckFile],
    staging: StagingArea,
    only_missing: bool,
    warn: Callable[[str], None],
) -> Iterator[ParseOutcome]:
    """Staged outcomes of `files`: all of them (files named on purpose are added or replaced), or,
    for a folder refresh (`only_missing`), those the warehouse behind `con` lacks. A file with no
    parse result yet is left for a later run, with a warning. Read one at a time as the load takes
    them, so a thousand decks are never all in memory at once."""
    chosen = plan_refresh(files, staging, state_of(con)).to_load if only_missing else files
    for deck in chosen:
        outcome = staging.get(deck.sha256, deck.path.name)
        if outcome is None:
            warn(f"{deck.path.name} has not been parsed yet; a later run will load it")
            continue
        yield outcome
