"""Data-quality reports over the warehouse: each rule returns the offending rows (empty means it passes).

Pure SQL over an open connection; the Dagster asset checks run them on the warehouse state being
published. None of them blocks: what must never be published (a KPI code printed twice, year
columns that do not fit the plan year) is decided per deck before anything is written, by the
plausibility checks (pipeline.extract.plausibility), and such a deck is quarantined on its own.
A hit here means a deck loaded before those checks existed, or something worth a look.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

KNOWN_NOTES = ("公式調整", "新指標", "換屆", "指標調整", "新指標調整")


@dataclass(frozen=True)
class WarehouseCheck:
    name: str
    description: str
    sql: str
    why: str


CHECKS = (
    WarehouseCheck(
        "decks_have_kpis",
        "Every deck in the warehouse yields at least one KPI.",
        """SELECT d.deck_id, d.source_file, d.org, d.plan_year FROM decks d
           WHERE NOT EXISTS (SELECT 1 FROM kpis k WHERE k.deck_id = d.deck_id)""",
        why="such a file is rejected before loading; a hit means a loader bug, but other decks are fine",
    ),
    WarehouseCheck(
        "kpi_codes_unique_per_deck",
        "No KPI code is printed twice in one deck.",
        """SELECT d.source_file, k.kpi_code, count(*) AS n FROM kpis k JOIN decks d USING (deck_id)
           GROUP BY d.source_file, k.kpi_code HAVING count(*) > 1""",
        why="a deck printing a code twice is quarantined at load (kpi_codes_unique); a hit predates that check",
    ),
    WarehouseCheck(
        "kpi_code_starts_with_objective_code",
        "Each KPI code starts with its objective's code (reported, not fixed: decks print such codes).",
        """SELECT d.source_file, k.objective_code, k.kpi_code FROM kpis k JOIN decks d USING (deck_id)
           WHERE k.objective_code IS NOT NULL AND k.kpi_code IS NOT NULL
             AND NOT starts_with(k.kpi_code, k.objective_code)""",
        why="codes are labels, not identities; the numbers are still right",
    ),
    WarehouseCheck(
        "plan_code_starts_with_kpi_code",
        "Each action plan code starts with its KPI's code (reported, not fixed: decks print such codes).",
        """SELECT d.source_file, p.kpi_code, p.plan_code, p.plan_name FROM action_plans p JOIN decks d USING (deck_id)
           WHERE p.plan_code IS NOT NULL AND p.kpi_code IS NOT NULL AND NOT starts_with(p.plan_code, p.kpi_code)""",
        why="codes are labels, not identities; the plans are still listed under the right KPI",
    ),
    WarehouseCheck(
        "kpis_have_targets",
        "Every KPI has a reported target for its deck's plan year.",
        """SELECT d.source_file, k.kpi_code, k.kpi_name FROM kpis k JOIN decks d USING (deck_id)
           WHERE NOT EXISTS (
               SELECT 1 FROM kpi_values v
               WHERE v.deck_id = k.deck_id AND v.kpi_code IS NOT DISTINCT FROM k.kpi_code
                 AND v.kind = 'target' AND v.status = 'reported')""",
        why="decks do leave targets empty; the KPI simply has no attainment row that year",
    ),
    WarehouseCheck(
        "year_columns_match_plan_year",
        "A deck for plan year Y has actuals for exactly Y-3..Y-1 and a target for Y.",
        """SELECT d.source_file, d.plan_year, list(DISTINCT v.kind || ' ' || v.year ORDER BY v.kind || ' ' || v.year)
                  AS columns
           FROM decks d JOIN kpi_values v USING (deck_id)
           GROUP BY d.source_file, d.plan_year
           HAVING bool_or(NOT ((v.kind = 'actual' AND v.year BETWEEN d.plan_year - 3 AND d.plan_year - 1)
                               OR (v.kind = 'target' AND v.year = d.plan_year)))
               OR count(DISTINCT (v.kind, v.year)) <> 4""",
        why="such a deck is quarantined at load (year_columns_fit_plan_year); a hit predates that check",
    ),
    WarehouseCheck(
        "status_notes_known",
        "Status notes are in the known vocabulary (" + ", ".join(KNOWN_NOTES) + ", or a bare 不適用).",
        f"""SELECT d.source_file, v.kpi_code, v.year, v.kind, v.status, v.note, v.raw_text
            FROM kpi_values v JOIN decks d USING (deck_id)
            WHERE (v.status = 'not_applicable' AND v.note IS NOT NULL AND v.note NOT IN {KNOWN_NOTES!r})
               OR (v.status = 'missing' AND v.note IS NOT NULL)""",
        why="a new wording is kept verbatim as the note; worth a look, never worth stopping a refresh",
    ),
    WarehouseCheck(
        "percent_values_in_range",
        "Percent values lie between 0 and 1000.",
        """SELECT d.source_file, v.kpi_code, v.year, v.kind, v.value, v.raw_text
           FROM kpi_values v JOIN decks d USING (deck_id)
           WHERE v.unit = '%' AND (v.value < 0 OR v.value > 1000)""",
        why="usually a wrap misread ('1,191,36'+'4%'); one suspicious cell should not hold back every other deck",
    ),
    WarehouseCheck(
        "decks_replaced",
        "No deck was replaced by a different file for the same office and plan year in this load.",
        """SELECT r.org, r.plan_year, r.old_source_file, r.old_sha256, r.new_source_file, r.new_sha256
           FROM deck_replacements r WHERE r.replaced_at = (SELECT max(ingested_at) FROM decks)""",
        why="a republished deck replacing its older version is normal; analysts should still hear of it",
    ),
)


def violations(con: duckdb.DuckDBPyConnection, rule: WarehouseCheck, limit: int = 50) -> list[dict]:
    """The rows breaking `rule`, at most `limit` of them."""
    cursor = con.execute(f"SELECT * FROM ({rule.sql}) LIMIT {int(limit)}")
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def violation_count(con: duckdb.DuckDBPyConnection, rule: WarehouseCheck) -> int:
    return con.execute(f"SELECT count(*) FROM ({rule.sql})").fetchone()[0]
