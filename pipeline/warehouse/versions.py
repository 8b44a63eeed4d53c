"""Versions of a deck: which of an office's decks for one plan year is current, and forgetting one.

Offices republish a deck for a plan year (a corrected number, a late target). Which version is
newer is decided by the decks' own evidence, never by which was loaded last: the map date printed
on the strategy-map slide; where that is equal or missing on either side, the PDF's /ModDate, then
its /CreationDate; only then load order. So loading an older version never displaces a newer one.
Versions that are not current stay in the warehouse, superseded (`decks.current` false,
`superseded_by` the next newer version): their rows are kept, so an analyst can see what a deck
said before it was republished; the views read current decks only. `deck_replacements` logs every
change of an office's current deck for a year. Only `forget_deck` removes a deck's rows.

All functions run inside the caller's transaction (see pipeline.warehouse.publish).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cmp_to_key

import duckdb

_FIELDS = "deck_id, source_file, sha256, org, plan_year, map_date, pdf_modified, pdf_created, load_order"


@dataclass(frozen=True)
class Version:
    """One deck of an office for a plan year, with the evidence that orders it among the others."""

    deck_id: str
    source_file: str
    sha256: str
    org: str | None
    plan_year: int | None
    map_date: date | None
    pdf_modified: datetime | None
    pdf_created: datetime | None
    load_order: int | None


def compare(a: Version, b: Version) -> int:
    """Negative when `a` is older than `b`: the first piece of evidence both decks carry and that
    differs decides (map date, /ModDate, /CreationDate), else the order they were loaded in."""
    for field in ("map_date", "pdf_modified", "pdf_created"):
        mine, theirs = getattr(a, field), getattr(b, field)
        if mine is not None and theirs is not None and mine != theirs:
            return -1 if mine < theirs else 1
    return (a.load_order or 0) - (b.load_order or 0)


def _versions(con: duckdb.DuckDBPyConnection, where: str, params: list) -> list[Version]:
    return [Version(*row) for row in con.execute(f"SELECT {_FIELDS} FROM decks WHERE {where}", params).fetchall()]


def current_version(con: duckdb.DuckDBPyConnection, org: str | None, plan_year: int | None) -> Version | None:
    found = _versions(con, "org = ? AND plan_year = ? AND current", [org, plan_year])
    return found[0] if found else None


def refresh_versions(con: duckdb.DuckDBPyConnection, org: str | None, plan_year: int | None) -> Version | None:
    """Mark the newest of the office's decks for `plan_year` current, chain the others by
    `superseded_by`, and return the current one. A deck without office or year is its own only
    version (it cannot be matched to others)."""
    if org is None or plan_year is None:
        con.execute("UPDATE decks SET current = true, superseded_by = NULL WHERE current IS NULL")
        return None
    ordered = sorted(_versions(con, "org = ? AND plan_year = ?", [org, plan_year]), key=cmp_to_key(compare))
    for older, newer in zip(ordered, ordered[1:]):
        con.execute(
            "UPDATE decks SET current = false, superseded_by = ? WHERE deck_id = ?", [newer.deck_id, older.deck_id]
        )
    if ordered:
        con.execute("UPDATE decks SET current = true, superseded_by = NULL WHERE deck_id = ?", [ordered[-1].deck_id])
    return ordered[-1] if ordered else None


def next_load_order(con: duckdb.DuckDBPyConnection, deck_id: str) -> int:
    """A deck keeps the load order it was first given; a new one comes after every other."""
    kept = con.execute("SELECT load_order FROM decks WHERE deck_id = ?", [deck_id]).fetchone()
    if kept and kept[0] is not None:
        return kept[0]
    return con.execute("SELECT coalesce(max(load_order), 0) + 1 FROM decks").fetchone()[0]


def log_replacement(con: duckdb.DuckDBPyConnection, old: Version | None, new: Version | None, at: datetime) -> bool:
    """Log in deck_replacements that `new` took over from `old` as current; False when nothing changed."""
    if old is None or new is None or old.deck_id == new.deck_id:
        return False
    con.execute(
        "INSERT INTO deck_replacements VALUES (?, ?, ?, ?, ?, ?, ?)",
        [new.org, new.plan_year, old.source_file, old.sha256, new.source_file, new.sha256, at],
    )
    return True


def find_deck(con: duckdb.DuckDBPyConnection, ref: str) -> list[Version]:
    """Decks matching `ref`: a full SHA-256, a deck id or a prefix of either (8+ hex digits), or a
    source file name."""
    ref = ref.strip()
    if len(ref) >= 8 and all(c in "0123456789abcdef" for c in ref.lower()):
        return _versions(con, "starts_with(sha256, ?)", [ref.lower()])
    return _versions(con, "source_file = ?", [ref])


def forget_deck(con: duckdb.DuckDBPyConnection, deck: Version, at: datetime) -> Version | None:
    """Remove one deck's rows on purpose, note it so that a folder refresh does not load it again,
    and make the previous version of it current again; return the office's current deck now."""
    before = current_version(con, deck.org, deck.plan_year)
    for table in ("kpis", "kpi_values", "action_plans", "decks"):
        con.execute(f"DELETE FROM {table} WHERE deck_id = ?", [deck.deck_id])
    con.execute("DELETE FROM deck_checks WHERE sha256 = ?", [deck.sha256])
    con.execute(
        "INSERT INTO forgotten_decks VALUES (?, ?, ?, ?, ?)",
        [deck.sha256, deck.source_file, deck.org, deck.plan_year, at],
    )
    now_current = refresh_versions(con, deck.org, deck.plan_year)
    log_replacement(con, before, now_current, at)
    return now_current
