"""The Dagster code location: `dagster dev` (via workspace.yaml) loads `defs` from here."""

from __future__ import annotations

import dagster as dg

from assets.automation import daily_refresh, deck_folder_sensor
from assets.decks import parsed_deck
from assets.report import scorecard_report, scorecard_report_sensor
from assets.resources import build_resources
from assets.warehouse import kpi_views, warehouse_tables

ALL_ASSETS = [parsed_deck, warehouse_tables, kpi_views, scorecard_report]

defs = dg.Definitions(
    assets=ALL_ASSETS,
    sensors=[deck_folder_sensor, scorecard_report_sensor],
    schedules=[daily_refresh],
    resources=build_resources(),
)
