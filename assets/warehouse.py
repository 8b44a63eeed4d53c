"""The warehouse assets: load staged decks into DuckDB, then (re)create the analysts' views.

Both publish through pipeline.warehouse.publish: the new state is built on a copy and swapped in
atomically, so open read-only connections never block a refresh nor see half of one.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource
from duckdb import DuckDBPyConnection

from assets.decks import parsed_deck
from assets.resources import DeckSource
from pipeline.ingest.refresh import outcomes_to_load
from pipeline.warehouse.config import load_config
from pipeline.warehouse.publish import publish
from pipeline.warehouse.quality import CHECKS
from pipeline.warehouse.refresh import refresh_tables, refresh_views
from pipeline.warehouse.stats import attainment_preview


def _connector(resource: DuckDBResource):
    """Open the aside copy through DuckDBResource, with the resource's connection settings."""

    @contextmanager
    def connect(path: Path) -> Iterator[DuckDBPyConnection]:
        with DuckDBResource(database=str(path), connection_config=resource.connection_config).get_connection() as con:
            yield con

    return connect


def _table_metadata(columns: list[str], rows: list[tuple]) -> dg.TableMetadataValue:
    records = [
        dg.TableRecord(
            {c: (v if isinstance(v, int | float | bool) or v is None else str(v)) for c, v in zip(columns, r)}
        )
        for r in rows
    ]
    return dg.MetadataValue.table(records, schema=dg.TableSchema([dg.TableColumn(c) for c in columns]))


@dg.asset(
    deps=[parsed_deck],
    kinds={"duckdb"},
    check_specs=[
        dg.AssetCheckSpec(rule.name, asset="warehouse_tables", description=rule.description) for rule in CHECKS
    ],
    description="decks, kpis, kpi_values, action_plans and rejected_files, with the given decks added or replaced.",
)
def warehouse_tables(
    context: dg.AssetExecutionContext, decks: DeckSource, duckdb: DuckDBResource
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    staging = decks.staging()
    files = decks.deck_files()
    config = load_config(Path(decks.config_path) if decks.config_path else None)

    def apply(con: DuckDBPyConnection):
        outcomes = outcomes_to_load(con, files, staging, only_missing=not decks.files, warn=context.log.warning)
        return refresh_tables(con, outcomes, config, datetime.now())

    refreshed = publish(Path(duckdb.database), apply, _connector(duckdb), context.log.warning)
    summary = refreshed.summary
    for source_file, reason in summary.rejected:
        context.log.warning(f"rejected {source_file}: {reason}")
    for source_file, reason in summary.quarantined:
        context.log.warning(f"quarantined {source_file}: {reason}")
    yield dg.MaterializeResult(
        metadata={
            **refreshed.counts,
            "decks_loaded": len(summary.loaded),
            "decks_unchanged": len(summary.unchanged),
            "offices_relinked": len(summary.relinked),
            "decks_replaced": dg.MetadataValue.json(summary.replaced),
            "rejected": dg.MetadataValue.json([{"file": f, "reason": r} for f, r in summary.rejected]),
            "quarantined": dg.MetadataValue.json([{"file": f, "reason": r} for f, r in summary.quarantined]),
            "database": dg.MetadataValue.path(str(duckdb.database)),
        }
    )
    for check in refreshed.checks:
        yield dg.AssetCheckResult(
            check_name=check.rule.name,
            passed=check.count == 0,
            severity=dg.AssetCheckSeverity.WARN,
            description=f"{check.rule.description} Reports only: {check.rule.why}.",
            metadata={"count": check.count, "offending_rows": dg.MetadataValue.json(check.rows)},
        )


@dg.asset(
    deps=[warehouse_tables],
    kinds={"duckdb"},
    description="Views kpi_series, kpi_attainment, kpi_yoy and kpi_restatements over the warehouse tables.",
)
def kpi_views(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    def apply(con: DuckDBPyConnection):
        return refresh_views(con), _table_metadata(*attainment_preview(con))

    counts, preview = publish(Path(duckdb.database), apply, _connector(duckdb), context.log.warning)
    return dg.MaterializeResult(metadata={**counts, "attainment_preview": preview})
