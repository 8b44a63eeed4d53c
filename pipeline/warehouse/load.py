"""Write parsed decks into the DuckDB schema: one deck at a time, identities refreshed per office.

All functions take an open connection inside the caller's transaction (see pipeline.warehouse.publish);
none commits on its own, so a load is all or nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources

import duckdb
import pandas as pd

import pipeline
from pipeline.identity import deck_id_for
from pipeline.model import Failure, ParsedDeck, ParseOutcome
from pipeline.warehouse.config import Config
from pipeline.warehouse.lineage import KpiRef, assign_keys, match_versions
from pipeline.warehouse.versions import current_version, log_replacement, next_load_order, refresh_versions

_TABLES_BY_DECK = ("kpis", "kpi_values", "action_plans", "decks")


def _sql(name: str) -> str:
    return resources.files("pipeline.warehouse").joinpath(f"sql/{name}").read_text(encoding="utf-8")


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_sql("schema.sql"))


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_sql("views.sql"))


def _delete_deck(con: duckdb.DuckDBPyConnection, deck_id: str) -> None:
    for table in _TABLES_BY_DECK:
        con.execute(f"DELETE FROM {table} WHERE deck_id = ?", [deck_id])


def write_deck(con: duckdb.DuckDBPyConnection, deck: ParsedDeck, ingested_at: datetime) -> list[str]:
    """Insert (or re-insert) one deck as a version of its office's deck for its plan year; return
    the id of the deck it displaced as current, if any (see pipeline.warehouse.versions)."""
    deck_id = deck_id_for(deck.sha256)
    before = current_version(con, deck.org, deck.plan_year)
    load_order = next_load_order(con, deck_id)
    _delete_deck(con, deck_id)
    con.execute("DELETE FROM rejected_files WHERE sha256 = ?", [deck.sha256])
    con.execute("DELETE FROM forgotten_decks WHERE sha256 = ?", [deck.sha256])
    con.execute(
        "INSERT INTO decks (deck_id, source_file, sha256, org, plan_year, map_date, page_count, ingested_at, "
        "parser_version, current, pdf_modified, pdf_created, load_order) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
        [
            deck_id,
            deck.source_file,
            deck.sha256,
            deck.org,
            deck.plan_year,
            deck.map_date,
            deck.page_count,
            ingested_at,
            pipeline.PARSER_VERSION,
            deck.pdf_modified,
            deck.pdf_created,
            load_order,
        ],
    )
    head = {"deck_id": deck_id, "org": deck.org, "plan_year": deck.plan_year}
    kpis = [
        {
            **head,
            **{
                f: getattr(k, f)
                for f in (
                    "theme_code",
                    "theme_name",
                    "perspective",
                    "objective_code",
                    "objective_name",
                    "kpi_code",
                    "kpi_name",
                    "page",
                )
            },
            "kpi_key": None,
        }
        for k in deck.kpis
    ]
    values = [
        {
            **head,
            "kpi_code": k.kpi_code,
            "year": v.year,
            "kind": v.kind,
            "value": v.cell.value,
            "unit": v.cell.unit,
            "comparator": v.cell.comparator,
            "status": v.cell.status,
            "note": v.cell.note,
            "raw_text": v.cell.raw_text,
        }
        for k in deck.kpis
        for v in k.values
    ]
    plans = [
        {**head, "kpi_code": k.kpi_code, "seq": seq, "plan_code": p.code, "plan_name": p.name}
        for k in deck.kpis
        for seq, p in enumerate(k.action_plans, start=1)
    ]
    for table, rows in (("kpis", kpis), ("kpi_values", values), ("action_plans", plans)):
        _insert(con, table, rows)
    after = refresh_versions(con, deck.org, deck.plan_year)
    return [before.deck_id] if log_replacement(con, before, after, ingested_at) else []


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    frame = pd.DataFrame(rows)  # noqa: F841 - read by DuckDB's replacement scan below
    columns = ", ".join(frame.columns)
    con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM frame")


def write_rejection(
    con: duckdb.DuckDBPyConnection,
    source_file: str,
    sha256: str,
    reason: str,
    rejected_at: datetime,
    kind: str = "unreadable",
    attempts: int = 0,
) -> None:
    """Record a file that is not loaded (one row per content, the latest reason); `kind` is one of
    'unreadable', 'quarantined', 'retrying', 'limit_exceeded' (see sql/schema.sql)."""
    con.execute("DELETE FROM rejected_files WHERE sha256 = ?", [sha256])
    con.execute(
        "INSERT INTO rejected_files (source_file, sha256, reason, rejected_at, parser_version, kind, attempts) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [source_file, sha256, reason, rejected_at, pipeline.PARSER_VERSION, kind, attempts],
    )


def _rejection_kind(outcome: ParseOutcome) -> str:
    if outcome.failure == Failure.LIMIT:
        return "retrying" if outcome.will_retry else "limit_exceeded"
    return "unreadable"


def write_findings(con: duckdb.DuckDBPyConnection, deck: ParsedDeck, checked_at: datetime) -> None:
    """Record what the plausibility checks found in this content, replacing what they found before."""
    con.execute("DELETE FROM deck_checks WHERE sha256 = ?", [deck.sha256])
    rows = [[deck.source_file, deck.sha256, f.check, f.severity.value, f.detail, checked_at] for f in deck.findings]
    if rows:
        con.executemany("INSERT INTO deck_checks VALUES (?, ?, ?, ?, ?, ?)", rows)


def quarantine_reason(deck: ParsedDeck, shown: int = 3) -> str:
    """Why a deck is held back, in the checks' own words (the full list is in deck_checks)."""
    errors = deck.errors
    more = f"; and {len(errors) - shown} more (see deck_checks)" if len(errors) > shown else ""
    return "quarantined, not published: " + "; ".join(f.detail for f in errors[:shown]) + more


def refresh_identities(con: duckdb.DuckDBPyConnection, orgs: Iterable[str | None], config: Config) -> None:
    """Recompute kpi_key and the better direction for every KPI of the given offices: current decks
    are linked year after year; a superseded deck's KPIs take the keys of its current version's."""
    for org in set(orgs):
        current = _kpi_refs(con, org, current=True)
        keys = assign_keys(current, config.links.get(org or "", []))
        keys.update(match_versions(_kpi_refs(con, org, current=False), current, keys))
        frame = pd.DataFrame(  # noqa: F841 - read by DuckDB below
            [{"deck_id": d, "kpi_code": c, "kpi_key": k} for (d, c), k in keys.items()],
            columns=["deck_id", "kpi_code", "kpi_key"],
        )
        con.execute(
            "UPDATE kpis SET kpi_key = frame.kpi_key FROM frame "
            "WHERE kpis.deck_id = frame.deck_id AND kpis.kpi_code IS NOT DISTINCT FROM frame.kpi_code"
        )
        _refresh_directions(con, org, config)


def _kpi_refs(con: duckdb.DuckDBPyConnection, org: str | None, current: bool) -> list[KpiRef]:
    in_decks = "deck_id IN (SELECT deck_id FROM decks WHERE current = ?)"
    kpis = con.execute(
        f"SELECT deck_id, plan_year, kpi_code, kpi_name FROM kpis WHERE org IS NOT DISTINCT FROM ? AND {in_decks} "
        "ORDER BY plan_year, deck_id, page",
        [org, current],
    ).fetchall()
    actuals: dict[tuple[str, str | None], dict[int, float]] = {}
    for deck_id, code, year, value in con.execute(
        "SELECT deck_id, kpi_code, year, value FROM kpi_values "
        f"WHERE org IS NOT DISTINCT FROM ? AND kind = 'actual' AND status = 'reported' AND {in_decks}",
        [org, current],
    ).fetchall():
        actuals.setdefault((deck_id, code), {})[year] = value
    return [
        KpiRef(deck_id, plan_year or 0, code, name or "", actuals.get((deck_id, code), {}))
        for deck_id, plan_year, code, name in kpis
    ]


def _refresh_directions(con: duckdb.DuckDBPyConnection, org: str | None, config: Config) -> None:
    """Lower is better where a target is printed with ≦ or the KPI name says ≦; config overrides."""
    con.execute("DELETE FROM kpi_directions WHERE org IS NOT DISTINCT FROM ?", [org])
    con.execute(
        """
        INSERT INTO kpi_directions
        SELECT k.org, k.kpi_key,
               CASE WHEN bool_or(v.comparator = '<=') OR bool_or(k.kpi_name SIMILAR TO '.*[≦≤].*')
                    THEN 'lower' ELSE 'higher' END
        FROM kpis k LEFT JOIN kpi_values v
          ON v.deck_id = k.deck_id AND v.kpi_code IS NOT DISTINCT FROM k.kpi_code AND v.kind = 'target'
        WHERE k.org IS NOT DISTINCT FROM ? AND k.kpi_key IS NOT NULL
          AND k.deck_id IN (SELECT deck_id FROM decks WHERE current)
        GROUP BY k.org, k.kpi_key
        """,
        [org],
    )
    for override in (o for o in config.directions if o.org == org):
        con.execute(
            "UPDATE kpi_directions SET direction = ? WHERE org = ? AND kpi_key IN "
            "(SELECT kpi_key FROM kpis WHERE org = ? AND kpi_name = ?)",
            [override.direction, org, org, override.kpi_name],
        )


@dataclass
class LoadSummary:
    """What one load did: deck ids written, replaced (same org and year), files rejected (not
    usable decks) and quarantined (decks that failed a blocking plausibility check), with reasons."""

    loaded: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    quarantined: list[tuple[str, str]] = field(default_factory=list)


def load_outcomes(
    con: duckdb.DuckDBPyConnection, outcomes: Iterable[ParseOutcome], config: Config, now: datetime
) -> LoadSummary:
    """Write every parsed deck and rejection, then refresh the identities of every office.

    A deck with an ERROR finding is quarantined before any of its rows is written: it goes to
    rejected_files instead, and whatever the warehouse held for its office and year stays.
    """
    summary = LoadSummary()
    seen: set[str] = set()
    for outcome in outcomes:
        if outcome.sha256 in seen:
            continue  # the same content under another name is the same deck
        seen.add(outcome.sha256)
        if outcome.failure == Failure.INTERNAL:
            continue  # our fault, not the file's: reported by the parse, never recorded against the file
        if outcome.deck is None:
            reason = outcome.rejection or "rejected"
            write_rejection(
                con, outcome.source_file, outcome.sha256, reason, now, _rejection_kind(outcome), outcome.attempts
            )
            summary.rejected.append((outcome.source_file, reason))
            continue
        write_findings(con, outcome.deck, now)
        if outcome.deck.errors:
            reason = quarantine_reason(outcome.deck)
            write_rejection(con, outcome.source_file, outcome.sha256, reason, now, kind="quarantined")
            summary.quarantined.append((outcome.source_file, reason))
            continue
        summary.replaced += write_deck(con, outcome.deck, now)
        summary.loaded.append(deck_id_for(outcome.sha256))
    # Every office, not only those loaded now: a changed config file applies on any refresh.
    orgs = [org for (org,) in con.execute("SELECT DISTINCT org FROM decks").fetchall()]
    refresh_identities(con, orgs, config)
    return summary
