"""Compare parse results and warehouses with the corpus truth files (tests/corpus/*/*.truth.json)."""

from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import asdict
from datetime import date
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"


def norm(text):
    """As the corpus scorer compares text: NFKC, no white space."""
    if text is None:
        return None
    return "".join(unicodedata.normalize("NFKC", str(text)).split()) or None


def same_value(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def truth_files(*sets: str) -> list[Path]:
    return sorted(p for s in sets for p in (CORPUS / s).glob("*.truth.json"))


def load_truth(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def deck_for(truth_path: Path) -> Path:
    return truth_path.with_name(truth_path.name.replace(".truth.json", ".pdf"))


def deck_field_differences(truth: dict, deck) -> list[str]:
    """Deck-level fields that differ: a wrong office or plan year files the deck under another identity,
    a wrong map date dates it wrong."""
    diffs = []
    if norm(deck.org) != norm(truth["org"]):
        diffs.append(f"org {deck.org!r} != {truth['org']!r}")
    if deck.plan_year != truth["plan_year"]:
        diffs.append(f"plan_year {deck.plan_year} != {truth['plan_year']}")
    want = None
    if truth["map_date"] is not None:  # printed in ROC years, 'YYY.MM.DD'
        y, m, d = (int(x) for x in truth["map_date"].split("."))
        want = date(y + 1911, m, d)
    if deck.map_date != want:
        diffs.append(f"map_date {deck.map_date} != {want}")
    return diffs


def kpi_differences(truth_kpi: dict, theme_name: str | None, got: dict, values: list[dict], plans: list) -> list[str]:
    """Fields of one KPI that differ: got is a kpis row, values its value rows (year, kind, value,
    unit, comparator, status, note), plans [(code, name)] in order.

    Value rows are compared as a list: a row read twice, or one the truth does not have, is a
    difference too.
    """
    wrong = []
    expect = dict(truth_kpi, theme_name=theme_name)
    for field in ("theme_code", "theme_name", "perspective", "objective_code", "objective_name", "kpi_name", "page"):
        if norm(got.get(field)) != norm(expect.get(field)):
            wrong.append(f"{field}: {got.get(field)!r} != {expect.get(field)!r}")
    got_cells = sorted((v["year"], str(v["kind"])) for v in values)
    want_cells = sorted((v["year"], v["kind"]) for v in truth_kpi["values"])
    if got_cells != want_cells:
        wrong.append(f"value cells: {got_cells} != {want_cells}")
    by_cell = {(v["year"], str(v["kind"])): v for v in values}
    for v in truth_kpi["values"]:
        g = by_cell.get((v["year"], v["kind"]), {})
        for field in ("unit", "comparator", "status", "note"):
            if norm(g.get(field)) != norm(v[field]):
                wrong.append(f"{v['year']} {v['kind']} {field}: {g.get(field)!r} != {v[field]!r}")
        if not same_value(g.get("value"), v["value"]):
            wrong.append(f"{v['year']} {v['kind']} value: {g.get('value')!r} != {v['value']!r}")
    want_plans = [(norm(p["code"]), norm(p["name"])) for p in truth_kpi["action_plans"]]
    if [(norm(c), norm(n)) for c, n in plans] != want_plans:
        wrong.append(f"plans: {plans!r} != {want_plans!r}")
    return wrong


def deck_differences(truth: dict, kpis: list[dict]) -> list[str]:
    """Every difference between a deck's truth and the KPIs read from it, each a dict of the kpis
    row's fields plus 'values' (value rows) and 'plans' [(code, name)]. KPIs are matched in
    reading order by code; a KPI missing, read twice or not in the truth is a difference."""
    got_codes = [k["kpi_code"] for k in kpis]
    want_codes = [k["kpi_code"] for k in truth["kpis"]]
    if got_codes != want_codes:
        return [f"KPI codes in reading order: {got_codes} != {want_codes}"]
    themes = {t["code"]: t["name"] for t in truth["themes"]}
    wrong = []
    for want, got in zip(truth["kpis"], kpis):
        diffs = kpi_differences(want, themes.get(want["theme_code"]), got, got["values"], got["plans"])
        wrong += [f"{want['kpi_code']} {d}" for d in diffs]
    return wrong


def parsed_kpis(deck) -> list[dict]:
    """A ParsedDeck's KPIs in the shape deck_differences compares."""
    return [
        {
            **{f: getattr(k, f) for f in ("theme_code", "theme_name", "perspective", "objective_code")},
            **{f: getattr(k, f) for f in ("objective_name", "kpi_code", "kpi_name", "page")},
            "values": [{"year": v.year, "kind": v.kind, **asdict(v.cell)} for v in k.values],
            "plans": [(p.code, p.name) for p in k.action_plans],
        }
        for k in deck.kpis
    ]


_COMPARATOR_PRINTED = {">=": "≧", "<=": "≦"}


def printed_cell(value: dict) -> str:
    """A value cell as a deck prints it, rebuilt from a truth value entry ('≧85%', '4,912(調整計算方式)',
    '換屆不適用', '')."""
    if value["status"] == "not_applicable":
        return f"{value['note'] or ''}不適用"
    if value["status"] == "missing":
        return value["note"] or ""
    number = value["value"]
    digits = f"{int(number):,}" if float(number).is_integer() else f"{number:,}"
    note = f"({value['note']})" if value["note"] else ""
    return f"{_COMPARATOR_PRINTED.get(value['comparator'], '')}{digits}{value['unit'] or ''}{note}"


def truth_deck(truth: dict):
    """A truth file as the ParsedDeck a perfect parser would return (value cells rebuilt as printed)."""
    from pipeline.model import ActionPlan, Kpi, ParsedDeck, Status, Value, ValueKind, YearValue

    themes = {t["code"]: t["name"] for t in truth["themes"]}
    kpis = [
        Kpi(
            **{f: k[f] for f in ("theme_code", "perspective", "objective_code", "objective_name", "kpi_code")},
            theme_name=themes.get(k["theme_code"]),
            kpi_name=k["kpi_name"],
            page=k["page"],
            values=[
                YearValue(
                    v["year"],
                    ValueKind(v["kind"]),
                    Value(v["value"], v["unit"], v["comparator"], Status(v["status"]), v["note"], printed_cell(v)),
                )
                for v in k["values"]
            ],
            action_plans=[ActionPlan(p["code"], p["name"]) for p in k["action_plans"]],
        )
        for k in truth["kpis"]
    ]
    return ParsedDeck(truth["file"], "0" * 64, truth["org"], truth["plan_year"], None, 1, kpis)
