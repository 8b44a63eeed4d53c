"""End to end: `scorecards ingest` on the corpus, then the tables and views against the truth files."""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
from truth import CORPUS, deck_differences, load_truth, norm, truth_files

from assets.cli import main

SETS = ("public", "public2")
# Read off the decks by hand: KPIs where less is better (waiting times, processing days, overdue
# cases). Every other KPI of these offices is better when higher, '收支比≧1' included.
LOWER_IS_BETTER = {
    ("臺北市中山區公所", "平均等候時間(分鐘)"),
    ("臺北市中山區公所", "陳情案件逾期件數"),
    ("臺北市士林區公所", "公文平均處理天數"),
    ("臺北市大同區公所", "平均等候時間(分鐘)"),
    ("臺北市大同區公所", "公文平均處理天數"),
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("wh") / "scorecards.duckdb"
    pdfs = [str(p) for s in SETS for p in sorted((CORPUS / s).glob("*.pdf"))]
    assert main(["ingest", *pdfs, "--db", str(db)]) == 0
    return db


def _rows(db: Path, sql: str, params=()) -> list[dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        cursor = con.execute(sql, list(params))
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, r)) for r in cursor.fetchall()]


def _truths() -> list[dict]:
    return [load_truth(p) for p in truth_files(*SETS)]


def _key_map(db: Path) -> dict[tuple[str, str], str]:
    """Warehouse kpi_key → truth kpi_key, through (file, kpi_code)."""
    truth_keys = {(t["file"], k["kpi_code"]): k["kpi_key"] for t in _truths() for k in t["kpis"]}
    rows = _rows(db, "SELECT d.source_file, k.org, k.kpi_code, k.kpi_key FROM kpis k JOIN decks d USING (deck_id)")
    mapping = {}
    for r in rows:
        mapping[(r["org"], r["kpi_key"])] = truth_keys[(Path(r["source_file"]).name, r["kpi_code"])]
    return mapping


def test_every_truth_kpi_is_in_the_warehouse_exactly(warehouse):
    for truth in _truths():
        deck = _rows(warehouse, "SELECT * FROM decks WHERE source_file = ?", [truth["file"]])
        assert len(deck) == 1, truth["file"]
        assert (norm(deck[0]["org"]), deck[0]["plan_year"]) == (norm(truth["org"]), truth["plan_year"])
        deck_id = deck[0]["deck_id"]
        kpis = _rows(warehouse, "SELECT * FROM kpis WHERE deck_id = ? ORDER BY page, rowid", [deck_id])
        values = defaultdict(list)
        for r in _rows(warehouse, "SELECT * FROM kpi_values WHERE deck_id = ?", [deck_id]):
            values[r["kpi_code"]].append(r)
        plans = defaultdict(list)
        for r in _rows(warehouse, "SELECT * FROM action_plans WHERE deck_id = ? ORDER BY kpi_code, seq", [deck_id]):
            plans[r["kpi_code"]].append((r["plan_code"], r["plan_name"]))
        for k in kpis:
            k["values"], k["plans"] = values.pop(k["kpi_code"], []), plans.pop(k["kpi_code"], [])
        assert deck_differences(truth, kpis) == []
        assert not values and not plans, "no value or plan rows without their KPI"


def test_kpi_keys_follow_the_truth_identities(warehouse):
    """Renumbered and reworded KPIs keep one key; two KPIs never share one."""
    mapping = _key_map(warehouse)
    inverse = defaultdict(set)
    for (org, key), truth_key in mapping.items():
        inverse[(org, truth_key)].add(key)
    assert all(len(keys) == 1 for keys in inverse.values()), "one truth identity, one warehouse key"
    truth_identities = {(org, truth_key) for (org, _), truth_key in mapping.items()}
    assert len(mapping) == len(truth_identities), "different identities, different keys"


def _truth_value_rows() -> list[dict]:
    rows = []
    for t in _truths():
        for k in t["kpis"]:
            for v in k["values"]:
                rows.append(
                    {
                        "org": norm(t["org"]),
                        "key": k["kpi_key"],
                        "plan_year": t["plan_year"],
                        **v,
                        "name": k["kpi_name"],
                        "code": k["kpi_code"],
                    }
                )
    return rows


def _truth_series() -> dict[tuple, dict]:
    series: dict[tuple, dict] = {}
    history = defaultdict(list)
    for r in sorted(_truth_value_rows(), key=lambda r: r["plan_year"]):
        ident = (r["org"], r["key"], r["year"], r["kind"])
        history[ident].append(r)
        series[ident] = r
    for ident, rows in history.items():
        newest = rows[-1]
        series[ident] = dict(
            newest, restated=any((o["status"], o["value"]) != (newest["status"], newest["value"]) for o in rows[:-1])
        )
    return series


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def test_kpi_series_view(warehouse):
    mapping = _key_map(warehouse)
    expected = _truth_series()
    got = _rows(warehouse, "SELECT * FROM kpi_series")
    assert len(got) == len(expected)
    for r in got:
        e = expected[(norm(r["org"]), mapping[(r["org"], r["kpi_key"])], r["year"], r["kind"])]
        assert (r["kpi_code"], r["plan_year"], r["status"], r["restated"]) == (
            e["code"],
            e["plan_year"],
            e["status"],
            e["restated"],
        )
        assert _close(r["value"], e["value"])
    restated = sum(e["restated"] for e in expected.values())
    assert restated > 0 and sum(r["restated"] for r in got) == restated


def test_kpi_attainment_view(warehouse):
    mapping = _key_map(warehouse)
    series = _truth_series()
    lower = {(r["org"], r["key"]) for r in _truth_value_rows() if (r["org"], r["name"]) in LOWER_IS_BETTER}
    expected = {}
    for (org, key, year, kind), t in series.items():
        if kind != "target" or t["status"] != "reported":
            continue
        a = series.get((org, key, year, "actual"))
        actual = a["value"] if a and a["status"] == "reported" else None
        direction = "lower" if (org, key) in lower else "higher"
        attainment = achieved = None
        if actual is not None:
            attainment = t["value"] / actual if direction == "lower" else actual / t["value"]
            achieved = actual <= t["value"] if direction == "lower" else actual >= t["value"]
        expected[(org, key, year)] = (t["value"], actual, direction, attainment, achieved)
    got = _rows(warehouse, "SELECT * FROM kpi_attainment")
    assert len(got) == len(expected)
    assert sum(r["actual_value"] is not None for r in got) > 20, "later decks report earlier targets' actuals"
    assert {(norm(r["org"]), r["kpi_name"]) for r in got if r["direction"] == "lower"} == LOWER_IS_BETTER
    for r in got:
        target, actual, direction, attainment, achieved = expected[
            (norm(r["org"]), mapping[(r["org"], r["kpi_key"])], r["year"])
        ]
        assert _close(r["target_value"], target) and _close(r["actual_value"], actual)
        assert (r["direction"], r["achieved"]) == (direction, achieved)
        assert _close(r["attainment"], attainment)


def test_kpi_yoy_view(warehouse):
    mapping = _key_map(warehouse)
    series = _truth_series()
    actuals = {k: v["value"] for k, v in series.items() if k[3] == "actual" and v["status"] == "reported"}
    got = _rows(warehouse, "SELECT * FROM kpi_yoy")
    assert len(got) == len(actuals)
    with_previous = 0
    for r in got:
        org, key = norm(r["org"]), mapping[(r["org"], r["kpi_key"])]
        prev = actuals.get((org, key, r["year"] - 1, "actual"))
        assert _close(r["actual_value"], actuals[(org, key, r["year"], "actual")])
        assert _close(r["prev_actual_value"], prev)
        if prev is not None:
            with_previous += 1
            assert _close(r["delta"], r["actual_value"] - prev)
            assert _close(r["pct_change"], (r["actual_value"] - prev) / prev if prev else None)
    assert with_previous > 50


def test_kpi_restatements_view_lists_the_manifest_restatements(warehouse):
    expected = set()
    for s in SETS:
        manifest = load_truth(CORPUS / s / "manifest.json")
        for deck in manifest["decks"]:
            for r in deck.get("restatements", []):
                expected.add((norm(deck["org"]), norm(r["kpi"]), r["year"], r["from_plan_year"], r["value"], r["note"]))
    got = {
        (norm(r["org"]), norm(r["kpi_name"]), r["year"], r["new_plan_year"], r["new_value"], r["note"])
        for r in _rows(warehouse, "SELECT * FROM kpi_restatements")
    }
    assert got == expected
