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

import pipeline
from pipeline.identity import deck_id_for
from pipeline.model import Failure, ParsedDeck, ParseOutcome
from pipeline.warehouse.config import Config
from pipeline.warehouse.identities import refresh_stale_identities
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


def write_deck(
    con: duckdb.DuckDBPyConnection, deck: ParsedDeck, ingested_at: datetime, rows: DeckRows | None = None
) -> list[str]:
    """Insert (or re-insert) one deck as a version of its office's deck for its plan year; return
    the id of the deck it displaced as current, if any (see pipeline.warehouse.versions). Its KPI,
    value and plan rows go into `rows` when given (written with other decks' later), else now."""
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
    buffer = rows or DeckRows(con)
    buffer.add(deck)
    if rows is None:
        buffer.flush()
    after = refresh_versions(con, deck.org, deck.plan_year)
    return [before.deck_id] if log_replacement(con, before, after, ingested_at) else []


_KPI_FIELDS = (
    "theme_code",
    "theme_name",
    "perspective",
    "objective_code",
    "objective_name",
    "kpi_code",
    "kpi_name",
    "page",
)


def deck_rows(deck: ParsedDeck) -> dict[str, list[dict]]:
    """A deck's rows of kpis, kpi_values and action_plans."""
    head = {"deck_id": deck_id_for(deck.sha256), "org": deck.org, "plan_year": deck.plan_year}
    kpis = [{**head, **{f: getattr(k, f) for f in _KPI_FIELDS}, "kpi_key": None} for k in deck.kpis]
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
    return {"kpis": kpis, "kpi_values": values, "action_plans": plans}


class DeckRows:
    """The KPI, value and plan rows of the decks a load writes, inserted a table at a time: one
    insert per table for up to FLUSH_EVERY decks instead of three per deck."""

    FLUSH_EVERY = 100

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.tables: dict[str, list[dict]] = {"kpis": [], "kpi_values": [], "action_plans": []}
        self.decks = 0

    def add(self, deck: ParsedDeck) -> None:
        for table, rows in deck_rows(deck).items():
            self.tables[table] += rows
        self.decks += 1
        if self.decks >= self.FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        for table, rows in self.tables.items():
            _insert(self.con, table, rows)
            rows.clear()
        self.decks = 0


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Insert `rows` (dicts with the same keys) in one statement: each column is bound as one list
    parameter and unnested, so DuckDB converts whole columns at once (as fast as going through a
    pandas frame, without importing pandas for a refresh that writes a deck or two)."""
    if not rows:
        return
    columns = list(rows[0])
    unnested = ", ".join(f"unnest(${c})" for c in columns)
    con.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {unnested}",
        {c: [row[c] for row in rows] for c in columns},
    )


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


@dataclass
class LoadSummary:
    """What one load did: deck ids written, replaced (same org and year), files rejected (not
    usable decks) and quarantined (decks that failed a blocking plausibility check), with reasons;
    `unchanged` the deck ids already in the warehouse as they are (not written again); `relinked`
    the offices whose KPI identities were worked out again."""

    loaded: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    relinked: list[str | None] = field(default_factory=list)


class _Present:
    """What the warehouse holds already, to tell an outcome it holds as it is from one to write."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.decks = set(con.execute("SELECT sha256, parser_version, source_file FROM decks").fetchall())
        self.rejections = set(
            con.execute(
                "SELECT sha256, parser_version, source_file, reason, kind, attempts FROM rejected_files"
            ).fetchall()
        )

    def has_deck(self, outcome: ParseOutcome) -> bool:
        return (outcome.sha256, pipeline.PARSER_VERSION, outcome.source_file) in self.decks

    def has_rejection(self, outcome: ParseOutcome, reason: str, kind: str) -> bool:
        stamp = (outcome.sha256, pipeline.PARSER_VERSION, outcome.source_file, reason, kind, outcome.attempts)
        return stamp in self.rejections


def load_outcomes(
    con: duckdb.DuckDBPyConnection, outcomes: Iterable[ParseOutcome], config: Config, now: datetime
) -> LoadSummary:
    """Write every parsed deck and rejection the warehouse does not hold as it is, then refresh the
    identities of the offices whose decks or overrides changed (pipeline.warehouse.identities).

    A deck with an ERROR finding is quarantined before any of its rows is written: it goes to
    rejected_files instead, and whatever the warehouse held for its office and year stays. Outcomes
    already held as they are (same content, parser version, file name and reason) are reported as
    before but not written again, so loading unchanged decks costs a lookup, not a rewrite.
    """
    summary, present, rows = LoadSummary(), _Present(con), DeckRows(con)
    seen: set[str] = set()
    for outcome in outcomes:
        if outcome.sha256 in seen:
            continue  # the same content under another name is the same deck
        seen.add(outcome.sha256)
        if outcome.failure == Failure.INTERNAL:
            continue  # our fault, not the file's: reported by the parse, never recorded against the file
        if outcome.deck is None:
            reason, kind = outcome.rejection or "rejected", _rejection_kind(outcome)
            if not present.has_rejection(outcome, reason, kind):
                write_rejection(con, outcome.source_file, outcome.sha256, reason, now, kind, outcome.attempts)
            summary.rejected.append((outcome.source_file, reason))
            continue
        if outcome.deck.errors:
            reason = quarantine_reason(outcome.deck)
            if not present.has_rejection(outcome, reason, "quarantined"):
                write_findings(con, outcome.deck, now)
                write_rejection(con, outcome.source_file, outcome.sha256, reason, now, kind="quarantined")
            summary.quarantined.append((outcome.source_file, reason))
            continue
        if present.has_deck(outcome):
            summary.unchanged.append(deck_id_for(outcome.sha256))
            continue
        write_findings(con, outcome.deck, now)
        summary.replaced += write_deck(con, outcome.deck, now, rows)
        summary.loaded.append(deck_id_for(outcome.sha256))
    rows.flush()
    summary.relinked = refresh_stale_identities(con, config)
    return summary
