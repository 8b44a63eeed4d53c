"""The report's content, read off the warehouse views: per office, its latest deck's KPIs as the
deck groups them (theme, then perspective), each with its latest assessed year and its history.

The year assessed is the newest year the office has reported an actual for (a plan-year-Y deck
reports actuals up to Y-1); its target may come from an older deck, which is why everything is
joined by (org, kpi_key) through the views, never by code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import duckdb

from pipeline.report.flags import Flags, load_flags
from pipeline.report.thresholds import Light, Thresholds


@dataclass(frozen=True)
class Source:
    """Where a number is printed: the deck file and its 1-based page."""

    source_file: str
    page: int | None


@dataclass(frozen=True)
class Figure:
    """One value of kpi_series: what the newest deck says for a KPI, year and kind."""

    year: int
    kind: str  # actual | target
    value: float | None
    unit: str | None
    status: str  # reported | not_applicable | missing
    note: str | None
    restated: bool
    source: Source


@dataclass
class KpiLine:
    kpi_key: str
    kpi_code: str | None
    kpi_name: str | None
    objective_code: str | None
    objective_name: str | None
    direction: str
    source: Source
    year: int | None = None  # the latest year with an actual
    actual: Figure | None = None
    target: Figure | None = None
    attainment: float | None = None
    light: Light = Light.NO_DATA
    yoy_delta: float | None = None
    yoy_pct: float | None = None
    plan_target: Figure | None = None  # the target for the deck's plan year
    history: list[Figure] = field(default_factory=list)
    restatements: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


@dataclass
class Perspective:
    name: str | None
    kpis: list[KpiLine] = field(default_factory=list)


@dataclass
class Theme:
    code: str | None
    name: str | None
    perspectives: list[Perspective] = field(default_factory=list)


@dataclass
class Office:
    org: str
    plan_year: int
    source_file: str
    map_date: date | None
    themes: list[Theme]
    deck_flags: list[str]

    @property
    def kpis(self) -> list[KpiLine]:
        return [k for t in self.themes for p in t.perspectives for k in p.kpis]

    def count(self, light: Light) -> int:
        return sum(k.light == light for k in self.kpis)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(sql, params or [])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def offices(con: duckdb.DuckDBPyConnection, org: str | None = None) -> list[str]:
    """Offices in the warehouse, or those whose name contains `org`."""
    sql = "SELECT DISTINCT org FROM decks WHERE org IS NOT NULL AND (? IS NULL OR contains(org, ?)) ORDER BY org"
    return [row[0] for row in con.execute(sql, [org, org]).fetchall()]


def _history(con: duckdb.DuckDBPyConnection, org: str) -> dict[str, list[Figure]]:
    rows = _rows(
        con,
        """SELECT s.kpi_key, s.year, s.kind, s.value, s.unit, s.status, s.note, s.restated, d.source_file, k.page
           FROM kpi_series s JOIN decks d USING (deck_id)
           LEFT JOIN kpis k ON k.deck_id = s.deck_id AND k.kpi_code IS NOT DISTINCT FROM s.kpi_code
           WHERE s.org = ? ORDER BY s.kpi_key, s.year, s.kind""",
        [org],
    )
    history: dict[str, list[Figure]] = defaultdict(list)
    for r in rows:
        source = Source(r["source_file"], r["page"])
        figure = Figure(r["year"], r["kind"], r["value"], r["unit"], r["status"], r["note"], r["restated"], source)
        history[r["kpi_key"]].append(figure)
    return history


def _by_key_year(con: duckdb.DuckDBPyConnection, view: str, org: str) -> dict[tuple[str, int], dict]:
    return {(r["kpi_key"], r["year"]): r for r in _rows(con, f"SELECT * FROM {view} WHERE org = ?", [org])}


def _restatements(con: duckdb.DuckDBPyConnection, org: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for r in _rows(con, "SELECT * FROM kpi_restatements WHERE org = ? ORDER BY year, kind, new_plan_year", [org]):
        old = r["old_value"] if r["old_status"] == "reported" else r["old_status"]
        new = r["new_value"] if r["new_status"] == "reported" else r["new_status"]
        why = f" ({r['note']})" if r["note"] else ""
        found[r["kpi_key"]].append(
            f"{r['year']} {r['kind']}: {old} in the {r['old_plan_year']} deck, "
            f"{new} in the {r['new_plan_year']} deck{why}"
        )
    return found


def _assess(line: KpiLine, attainment: dict, yoy: dict, thresholds: Thresholds) -> None:
    """Fill the latest assessed year: target, actual, attainment, light and year-over-year change."""
    actuals = [f for f in line.history if f.kind == "actual"]
    if not actuals:
        return
    line.year = max(f.year for f in actuals)
    line.actual = next(f for f in actuals if f.year == line.year)
    line.target = next((f for f in line.history if f.kind == "target" and f.year == line.year), None)
    if "not_applicable" in (line.actual.status, line.target and line.target.status):
        line.light = Light.NOT_APPLICABLE
    elif line.target and (row := attainment.get((line.kpi_key, line.year))) and row["actual_value"] is not None:
        line.attainment = row["attainment"]
        line.light = thresholds.light(row["attainment"], row["achieved"])
    if row := yoy.get((line.kpi_key, line.year)):
        line.yoy_delta, line.yoy_pct = row["delta"], row["pct_change"]


def _latest_deck(con: duckdb.DuckDBPyConnection, org: str) -> dict:
    return _rows(
        con,
        "SELECT * FROM decks WHERE org = ? ORDER BY plan_year DESC, ingested_at DESC, deck_id LIMIT 1",
        [org],
    )[0]


def _group(lines: list[tuple[dict, KpiLine]]) -> list[Theme]:
    """Themes, then perspectives, in the order the deck prints them."""
    themes: dict[tuple, Theme] = {}
    for kpi, line in lines:
        theme = themes.setdefault((kpi["theme_code"], kpi["theme_name"]), Theme(kpi["theme_code"], kpi["theme_name"]))
        perspective = next((p for p in theme.perspectives if p.name == kpi["perspective"]), None)
        if perspective is None:
            theme.perspectives.append(perspective := Perspective(kpi["perspective"]))
        perspective.kpis.append(line)
    return list(themes.values())


def office_report(con: duckdb.DuckDBPyConnection, org: str, thresholds: Thresholds, flags: Flags) -> Office:
    """One office's scorecard for its latest plan year."""
    deck = _latest_deck(con, org)
    kpis = _rows(
        con,
        """SELECT k.*, coalesce(d.direction, 'higher') AS direction FROM kpis k
           LEFT JOIN kpi_directions d ON d.org = k.org AND d.kpi_key = k.kpi_key
           WHERE k.deck_id = ? ORDER BY k.page, k.rowid""",
        [deck["deck_id"]],
    )
    history, restated = _history(con, org), _restatements(con, org)
    attainment, yoy = _by_key_year(con, "kpi_attainment", org), _by_key_year(con, "kpi_yoy", org)
    lines = []
    for kpi in kpis:
        line = KpiLine(
            kpi["kpi_key"],
            kpi["kpi_code"],
            kpi["kpi_name"],
            kpi["objective_code"],
            kpi["objective_name"],
            kpi["direction"],
            Source(deck["source_file"], kpi["page"]),
            history=history.get(kpi["kpi_key"], []),
            restatements=restated.get(kpi["kpi_key"], []),
            flags=flags.for_kpi(deck["source_file"], kpi["kpi_code"]),
        )
        _assess(line, attainment, yoy, thresholds)
        line.plan_target = next((f for f in line.history if f.kind == "target" and f.year == deck["plan_year"]), None)
        lines.append((kpi, line))
    return Office(org, deck["plan_year"], deck["source_file"], deck["map_date"], _group(lines), flags.for_deck(deck))


def build_report(con: duckdb.DuckDBPyConnection, thresholds: Thresholds, org: str | None = None) -> list[Office]:
    """Every office (or those matching `org`) with its latest plan year's scorecard."""
    flags = load_flags(con)
    return [office_report(con, name, thresholds, flags) for name in offices(con, org)]
