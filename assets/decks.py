"""Per-deck assets: one partition per deck content, each parsed in a bounded child process."""

import dagster as dg

from assets.resources import DeckSource
from pipeline.ingest.refresh import reuse_or_parse
from pipeline.model import Failure, ParseOutcome

deck_partitions = dg.DynamicPartitionsDefinition(name="decks")


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


@dg.asset(
    partitions_def=deck_partitions,
    kinds={"pdf"},
    description="One deck parsed into records (or rejected with a reason), cached by content and parser version.",
)
def parsed_deck(context: dg.AssetExecutionContext, decks: DeckSource) -> dg.MaterializeResult:
    deck = decks.file_for(context.partition_key)
    outcome = reuse_or_parse(deck, decks.staging(), decks.parse_timeout_s, decks.parse_memory_mb)
    if outcome.failure == Failure.INTERNAL:
        context.log.error(
            f"{deck.path.name}: {outcome.rejection} (not the file's fault; not cached)\n{outcome.traceback}"
        )
    elif outcome.rejection:
        context.log.warning(f"{deck.path.name} rejected: {outcome.rejection}")
    elif outcome.deck.errors:
        context.log.warning(f"{deck.path.name} fails plausibility checks; the load will quarantine it")
    return dg.MaterializeResult(metadata=outcome_metadata(outcome))
