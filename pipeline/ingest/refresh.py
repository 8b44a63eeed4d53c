"""What one refresh does with the deck files: reuse a cached parse or parse in a bounded child,
then gather the staged outcomes that the warehouse load should write."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from pipeline.ingest.inventory import DeckFile, plan_refresh, state_of
from pipeline.ingest.sandbox import parse_bounded
from pipeline.ingest.staging import StagingArea
from pipeline.model import ParseOutcome


def reuse_or_parse(deck: DeckFile, staging: StagingArea) -> ParseOutcome:
    """The staged outcome for this content and parser version, parsing (and staging) it if there is none."""
    outcome = staging.get(deck.sha256, deck.path.name)
    if outcome is None:
        outcome = parse_bounded(deck.path, deck.sha256, deck.path.name)
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
