"""Data-quality rules over the warehouse: each returns the offending rows (empty means it passes).

Pure SQL over an open connection, so the Dagster checks can run them on the new warehouse state
before it is published.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    sql: str


RULES = (
    Rule(
        "decks_have_kpis",
        "Every deck in the warehouse yields at least one KPI.",
        """SELECT d.deck_id, d.source_file, d.org, d.plan_year FROM decks d
           WHERE NOT EXISTS (SELECT 1 FROM kpis k WHERE k.deck_id = d.deck_id)""",
    ),
    Rule(
        "kpi_codes_unique_per_deck",
        "No KPI code is printed twice in one deck (values and plans would be ambiguous).",
        """SELECT d.source_file, k.kpi_code, count(*) AS n FROM kpis k JOIN decks d USING (deck_id)
           GROUP BY d.source_file, k.kpi_code HAVING count(*) > 1""",
    ),
    Rule(
        "kpis_have_targets",
        "Every KPI has a reported target for its deck's plan year.",
        """SELECT d.source_file, k.kpi_code, k.kpi_name FROM kpis k JOIN decks d USING (deck_id)
           WHERE NOT EXISTS (
               SELECT 1 FROM kpi_values v
               WHERE v.deck_id = k.deck_id AND v.kpi_code IS NOT DISTINCT FROM k.kpi_code
                 AND v.kind = 'target' AND v.status = 'reported')""",
    ),
)


def violations(con: duckdb.DuckDBPyConnection, rule: Rule, limit: int = 50) -> list[dict]:
    """The rows breaking `rule`, at most `limit` of them."""
    cursor = con.execute(f"SELECT * FROM ({rule.sql}) LIMIT {int(limit)}")
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]
