"""Per-deck assets: one partition per deck content, each parsed in a bounded child process.

One run materializes many deck partitions (a range of them: single-run backfill policy), so a run's
cost (process start, Dagster bookkeeping) is paid once per batch, not once per deck; inside it the
decks are parsed SCORECARDS_WORKERS at a time by long-lived bounded workers (pipeline.ingest.sandbox).
Each partition still gets its own metadata, as if it had a run of its own.
"""

import warnings

import dagster as dg

from assets import settings
from assets.resources import DeckSource
from pipeline.ingest.inventory import DeckFile
from pipeline.ingest.refresh import reuse_or_parse_all
from pipeline.model import Failure, ParseOutcome

deck_partitions = dg.DynamicPartitionsDefinition(name="decks")
PARSE_TAGS = {"scorecards/step": "parse"}  # runs that parse decks: the key for run-queue tag concurrency limits


def backfill_policy(most: int | None) -> dg.BackfillPolicy:
    """A backfill parses its decks in one run, or in runs of at most `most` decks (SCORECARDS_DECKS_PER_RUN)."""
    return dg.BackfillPolicy.multi_run(most) if most else dg.BackfillPolicy.single_run()


def parse_run_tags(first: str, last: str) -> dict[str, str]:
    """Tags of one run parsing the deck partitions from `first` to `last` (in the order they were
    added), with Dagster's tags for a run over a range of partitions."""
    return {**PARSE_TAGS, "dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last}


def outcome_metadata(outcome: ParseOutcome) -> dict:
    """What a person wants to see for one deck in the UI."""
    meta: dict = {"source_file": outcome.source_file, "sha256": outcome.sha256, "reused": outcome.reused}
    if outcome.deck is None:
        meta["rejected"] = outcome.rejection or "rejected"
        meta["failure"] = str(outcome.failure or Failure.FILE)
        meta["attempts"] = outcome.attempts
        return meta
    deck = outcome.deck
    meta.update(org=deck.org or "", plan_year=deck.plan_year or 0, pages=deck.page_count, kpis=len(deck.kpis))
    if deck.findings:  # ERRORs mean the warehouse load will quarantine the deck
        meta["findings"] = dg.MetadataValue.json(
            [{"check": f.check, "severity": f.severity, "detail": f.detail} for f in deck.findings]
        )
    meta["preview"] = dg.MetadataValue.md(
        "| page | code | KPI | target |\n|---|---|---|---|\n"
        + "\n".join(
            f"| {k.page} | {k.kpi_code} | {k.kpi_name} | "
            f"{next((v.cell.raw_text for v in k.values if v.kind == 'target'), '')} |"
            for k in deck.kpis[:20]
        )
    )
    return meta


def _log_outcome(context: dg.AssetExecutionContext, deck: DeckFile, outcome: ParseOutcome) -> None:
    if outcome.failure == Failure.INTERNAL:
        context.log.error(
            f"{deck.path.name}: {outcome.rejection} (not the file's fault; not cached)\n{outcome.traceback}"
        )
    elif outcome.rejection:
        context.log.warning(f"{deck.path.name} rejected: {outcome.rejection}")
    elif outcome.deck.errors:
        context.log.warning(f"{deck.path.name} fails plausibility checks; the load will quarantine it")


def _parse_decks(context: dg.AssetExecutionContext, decks: DeckSource) -> None:
    found, missing = decks.files_for(list(context.partition_keys))
    parsed = reuse_or_parse_all(found, decks.staging(), decks.limits(), decks.parse_workers)
    for done, (deck, outcome) in enumerate(parsed, start=1):
        _log_outcome(context, deck, outcome)
        context.add_asset_metadata(outcome_metadata(outcome), partition_key=deck.deck_id)
        context.log.info(f"parsed {done} of {len(found)}: {deck.path.name}")
    if missing:  # the others are parsed and cached: the next load finds them
        raise dg.Failure(f"no deck file with content {', '.join(missing)} in {decks.pdf_dir} (removed or changed?)")


with warnings.catch_warnings():  # backfill_policy is marked beta; a batch of partitions per run is what it is for
    warnings.simplefilter("ignore", dg.BetaWarning)
    parsed_deck = dg.asset(
        name="parsed_deck",
        partitions_def=deck_partitions,
        backfill_policy=backfill_policy(settings.decks_per_run()),
        pool="parse",
        kinds={"pdf"},
        description="One deck parsed into records (or rejected with a reason), cached by content and parser version.",
    )(_parse_decks)
