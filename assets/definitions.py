"""The Dagster code location: `dagster dev` (via workspace.yaml) loads `defs` from here."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets import settings
from assets.automation import daily_refresh, deck_folder_sensor
from assets.decks import parsed_deck
from assets.report import scorecard_report, scorecard_report_sensor
from assets.resources import DeckSource
from assets.warehouse import kpi_views, warehouse_tables


def build_resources(files: list[str] | None = None, db: str | None = None) -> dict:
    """Resources from the environment (SCORECARDS_PDF_DIR, SCORECARDS_DB, SCORECARDS_CONFIG,
    SCORECARDS_PARSE_TIMEOUT_S, SCORECARDS_PARSE_MEMORY_MB)."""
    database = Path(db) if db else settings.db_path()
    return {
        "decks": DeckSource(
            pdf_dir=str(settings.pdf_dir()),
            staging_dir=str(settings.staging_dir_for(database)),
            config_path=str(settings.config_path()),
            files=files or [],
            parse_timeout_s=settings.parse_timeout_s(),
            parse_memory_mb=settings.parse_memory_mb(),
        ),
        "duckdb": DuckDBResource(database=str(database)),
    }


ALL_ASSETS = [parsed_deck, warehouse_tables, kpi_views, scorecard_report]

defs = dg.Definitions(
    assets=ALL_ASSETS,
    sensors=[deck_folder_sensor, scorecard_report_sensor],
    schedules=[daily_refresh],
    resources=build_resources(),
)
