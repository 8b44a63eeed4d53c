"""New decks arrive on their own: a sensor on the deck folder and a daily refresh schedule.

Both are on by default (nobody has to switch them on in the UI). The sensor registers each new
content as a deck partition, requests its parse (one run for each range of deck partitions to
parse, not one per deck), and once parsed, the load of the warehouse and views. A tick with nothing
new reads no PDF: the folder is listed and stat'ed, and content hashes come from their cache. A
file still being copied in is left alone until it has settled (same size and modification time as
on the previous tick, or untouched for SETTLE_S). Removing a file deletes nothing from the
warehouse; the sensor says so in its log. The daily refresh also parses again what ran out of time
or memory before (up to three attempts).
"""

import hashlib
import json
import os
import time
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

import pipeline
from assets import settings
from assets.decks import deck_partitions, parse_run_tags, parsed_deck
from assets.resources import DeckSource
from assets.warehouse import kpi_views, warehouse_tables
from pipeline.ingest.inventory import DeckFile, RefreshPlan, Stamp, plan_refresh, scan, settled, warehouse_state

# Documented in the README; change with the environment, no code edit needed.
REFRESH_CRON = os.environ.get("SCORECARDS_REFRESH_CRON", "0 6 * * *")
REFRESH_TIMEZONE = os.environ.get("SCORECARDS_REFRESH_TIMEZONE", "Asia/Taipei")
SENSOR_INTERVAL_S = 30
SETTLE_S = 2 * SENSOR_INTERVAL_S  # a file untouched this long is complete, whatever the previous tick saw


def _settled_files(decks: DeckSource, seen: dict[str, Stamp]) -> tuple[list[DeckFile], list[Path], dict[str, Stamp]]:
    """The deck files that have settled (see module docstring), those still arriving, and what was seen."""
    ready, waiting, observed = settled(decks.paths(), seen, time.time(), SETTLE_S)
    return scan(ready, decks.staging().hashes()), waiting, observed


def _plan(decks: DeckSource, database: str, files: list[DeckFile], retry: bool = False) -> RefreshPlan:
    return plan_refresh(files, decks.staging(), warehouse_state(Path(database)), retry=retry)


def _unregistered(known: list[str], files: list[DeckFile]) -> list[str]:
    """Deck ids of files whose content has no deck partition yet."""
    registered = set(known)
    return [f.deck_id for f in files if f.deck_id not in registered]


def _ranges(wanted: list[str], order: list[str], most: int | None = None) -> list[list[str]]:
    """`wanted` deck partitions cut into runs of neighbours in the partitions' order (a run parses a
    range), each of at most `most` (SCORECARDS_DECKS_PER_RUN)."""
    position = {key: n for n, key in enumerate(order)}
    ranges: list[list[str]] = []
    for key in sorted(wanted, key=position.__getitem__):
        last = ranges[-1] if ranges else None
        if last and position[last[-1]] == position[key] - 1 and (most is None or len(last) < most):
            last.append(key)
        else:
            ranges.append([key])
    return ranges


def _parse_request(keys: list[str], keyed: bool) -> dg.RunRequest:
    """One run parsing the range of deck partitions `keys` (a run key makes the sensor ask once per batch)."""
    digest = hashlib.sha256(" ".join(keys).encode()).hexdigest()[:16]
    return dg.RunRequest(
        run_key=f"parse-{digest}-v{pipeline.PARSER_VERSION}" if keyed else None,
        asset_selection=[parsed_deck.key],
        tags={**parse_run_tags(keys[0], keys[-1]), "scorecards/decks": str(len(keys))},
    )


def _requests(to_parse: list[str], order: list[str], plan: RefreshPlan, keyed: bool) -> list[dg.RunRequest]:
    """Parse runs, one per range of partitions to parse, then one load."""
    requests = [_parse_request(keys, keyed) for keys in _ranges(to_parse, order, settings.decks_per_run())]
    if plan.to_load:
        requests.append(
            dg.RunRequest(
                run_key=plan.load_key if keyed else None,
                asset_selection=[warehouse_tables.key, kpi_views.key],
                tags={"scorecards/step": "load", "scorecards/decks": str(len(plan.to_load))},
            )
        )
    return requests


def _asked(previous: dict, current: dict[str, str]) -> set[str]:
    """Decks whose parse the sensor has asked for under this parser version (and that are still in the folder)."""
    asked = previous.get("asked", {})
    if asked.get("version") != pipeline.PARSER_VERSION:
        return set()
    return {deck_id for deck_id in asked.get("ids", []) if deck_id in current}


@dg.sensor(
    name="deck_folder_sensor",
    description="Parses and loads decks copied into SCORECARDS_PDF_DIR (new or changed content).",
    minimum_interval_seconds=SENSOR_INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
    target=[parsed_deck, warehouse_tables, kpi_views],
)
def deck_folder_sensor(
    context: dg.SensorEvaluationContext, decks: DeckSource, duckdb: DuckDBResource
) -> dg.SensorResult:
    previous = json.loads(context.cursor) if context.cursor else {}
    if "decks" not in previous:  # a cursor from before files were watched while arriving
        previous = {"decks": previous, "seen": {}}
    files, waiting, seen = _settled_files(decks, {k: tuple(v) for k, v in previous["seen"].items()})
    plan = _plan(decks, duckdb.database, files)
    known = context.instance.get_dynamic_partitions(deck_partitions.name)
    new = _unregistered(known, files)
    current = {f.deck_id: f.path.name for f in files}
    arriving = sorted(p.name for p in waiting)
    removed = sorted(
        name for deck_id, name in previous["decks"].items() if deck_id not in current and name not in arriving
    )
    if removed:
        context.log.warning(f"removed from {decks.pdf_dir} (their decks stay in the warehouse): {', '.join(removed)}")
    asked = _asked(previous, current)
    to_parse = [f.deck_id for f in plan.to_parse if f.deck_id not in asked]
    cursor = json.dumps(
        {
            "decks": current,
            "seen": seen,
            "asked": {"version": pipeline.PARSER_VERSION, "ids": sorted(asked | set(to_parse))},
        }
    )
    requests = _requests(to_parse, [*known, *new], plan, keyed=True)
    if not requests and not new:
        reason = "no new or changed decks"
        if arriving:
            reason += f"; still arriving, read once settled: {', '.join(arriving)}"
        if removed:
            reason += f"; removed from the folder, kept in the warehouse: {', '.join(removed)}"
        return dg.SensorResult(skip_reason=reason, cursor=cursor)
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=[deck_partitions.build_add_request(new)] if new else [],
        cursor=cursor,
    )


@dg.schedule(
    name="daily_refresh",
    description=f"Refreshes whatever is stale, daily at '{REFRESH_CRON}' {REFRESH_TIMEZONE} time.",
    cron_schedule=REFRESH_CRON,
    execution_timezone=REFRESH_TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    target=[parsed_deck, warehouse_tables, kpi_views],
)
def daily_refresh(context: dg.ScheduleEvaluationContext, decks: DeckSource, duckdb: DuckDBResource):
    files, _, _ = _settled_files(decks, {})
    plan = _plan(decks, duckdb.database, files, retry=True)
    known = context.instance.get_dynamic_partitions(deck_partitions.name)
    new = _unregistered(known, files)
    if new:
        context.instance.add_dynamic_partitions(deck_partitions.name, new)
    requests = _requests([f.deck_id for f in plan.to_parse], [*known, *new], plan, keyed=False)
    return requests or dg.SkipReason("everything is current")
