"""How long a deck_folder_sensor tick takes over a folder whose decks are all ingested already."""

from __future__ import annotations

import time
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.automation import deck_folder_sensor
from assets.decks import deck_partitions
from assets.resources import DeckSource
from assets.settings import staging_dir_for


def _tick(instance: dg.DagsterInstance, resources: dict, cursor: str | None) -> tuple[dg.SensorResult, float]:
    with dg.build_sensor_context(instance=instance, resources=resources, cursor=cursor) as context:
        started = time.perf_counter()
        result = deck_folder_sensor(context)
        return result, time.perf_counter() - started


def unchanged_tick_s(folder: Path, db: Path) -> float:
    """Seconds of a tick once the sensor has seen the folder (its decks registered, their files
    settled), in a sensor whose hash cache is only the one on disk, as in a new process."""
    resources = {
        "decks": DeckSource(pdf_dir=str(folder), staging_dir=str(staging_dir_for(db))),
        "duckdb": DuckDBResource(database=str(db)),
    }
    with dg.DagsterInstance.ephemeral() as instance:
        cursor, elapsed = None, 0.0
        for _ in range(3):  # see the files, register their partitions, then a tick with nothing to do
            result, elapsed = _tick(instance, resources, cursor)
            for request in result.dynamic_partitions_requests or []:
                instance.add_dynamic_partitions(deck_partitions.name, list(request.partition_keys))
            cursor = result.cursor
        if result.run_requests:
            raise RuntimeError(f"the folder is not all ingested: {len(result.run_requests)} runs asked for")
        return elapsed
