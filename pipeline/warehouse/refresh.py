"""One refresh of the warehouse, given the staged outcomes to write: the tables loaded and their
data-quality reports counted, then the analysts' views made. Dagster runs the two steps as the
assets warehouse_tables and kpi_views; the `scorecards` command runs them in one publish. Either
way the steps are these functions, on a connection to the copy being published.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import duckdb

from pipeline.model import ParseOutcome
from pipeline.warehouse.config import Config
from pipeline.warehouse.load import LoadSummary, create_views, load_outcomes
from pipeline.warehouse.quality import CHECKS, WarehouseCheck, violation_count, violations
from pipeline.warehouse.stats import row_counts

TABLES = ("decks", "kpis", "kpi_values", "action_plans", "rejected_files", "deck_checks")
VIEWS = ("kpi_series", "kpi_attainment", "kpi_yoy", "kpi_restatements")


@dataclass(frozen=True)
class CheckReport:
    """One data-quality rule on the refreshed tables: how many rows break it, and the first of them."""

    rule: WarehouseCheck
    count: int
    rows: list[dict]


@dataclass(frozen=True)
class TablesRefresh:
    """What loading the tables did, what the quality rules found after it, and the rows per table."""

    summary: LoadSummary
    checks: list[CheckReport]
    counts: dict[str, int]


def refresh_tables(
    con: duckdb.DuckDBPyConnection, outcomes: Iterable[ParseOutcome], config: Config, now: datetime
) -> TablesRefresh:
    """Write the outcomes (see load_outcomes), then run every data-quality rule on the result."""
    summary = load_outcomes(con, outcomes, config, now)
    checks = [CheckReport(rule, violation_count(con, rule), violations(con, rule)) for rule in CHECKS]
    return TablesRefresh(summary, checks, row_counts(con, TABLES))


def refresh_views(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """(Re)create the analysts' views over the tables; their rows, keyed 'rows_<view>'."""
    create_views(con)
    return row_counts(con, VIEWS)
