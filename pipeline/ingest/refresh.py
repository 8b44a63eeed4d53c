"""What one refresh does with the deck files: reuse a cached parse or parse in a bounded child,
then gather the staged outcomes that the warehouse load should write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import duckdb

from pipeline.ingest.inventory import DeckFile, plan_refresh, state_of
from pipeline.ingest.sandbox import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, parse_bounded
from pipeline.ingest.staging import StagingArea
from pipeline.model import MAX_ATTEMPTS, Failure, ParseOutcome


def _counted(outcome: ParseOutcome, attempt: int) -> ParseOutcome:
    """A parse that hit a limit, with its attempt number and what happens next in its reason."""
    if attempt < MAX_ATTEMPTS:
        then = f"attempt {attempt} of {MAX_ATTEMPTS}; it is parsed again on the next refresh"
    else:
        then = f"failed {MAX_ATTEMPTS} times; parsed again only when the file or the parser changes"
    return replace(outcome, attempts=attempt, rejection=f"{outcome.rejection} ({then})")


def reuse_or_parse(
    deck: DeckFile, staging: StagingArea, timeout_s: float = DEFAULT_TIMEOUT_S, memory_mb: int = DEFAULT_MEMORY_MB
) -> ParseOutcome:
    """The staged outcome for this content and parser version, parsing (and staging) it if there is
    none or if the last parse hit a time or memory limit (retried up to MAX_ATTEMPTS times)."""
    cached = staging.get(deck.sha256, deck.path.name)
    if cached is not None and not staging.awaiting_retry(deck.sha256):
        return cached
    outcome = parse_bounded(deck.path, deck.sha256, deck.path.name, timeout_s=timeout_s, memory_mb=memory_mb)
    if outcome.failure == Failure.LIMIT:
        outcome = _counted(outcome, (cached.attempts if cached else 0) + 1)
    staging.put(outcome)
    return outcome


def outcomes_to_load(
    con: duckdb.DuckDBPyConnection,
    files: list[DeckFile],
    staging: StagingArea,
    only_missing: bool,
    warn: Callable[[str], None],
) -> list[ParseOutcome]:
    """Staged outcomes of `files`: all of them (files named on purpose are added or replaced), or,
    for a folder refresh (`only_missing`), those the warehouse behind `con` lacks. A file with no
    parse result yet is left for a later run, with a warning."""
    chosen = plan_refresh(files, staging, state_of(con)).to_load if only_missing else files
    outcomes = []
    for deck in chosen:
        outcome = staging.get(deck.sha256, deck.path.name)
        if outcome is None:
            warn(f"{deck.path.name} has not been parsed yet; a later run will load it")
            continue
        outcomes.append(outcome)
    return outcomes
