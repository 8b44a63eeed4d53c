"""The parser against the corpus decks copied into tests/corpus, field by field."""

import json
from datetime import date

import pytest
from truth import CORPUS, deck_for, kpi_differences, load_truth, norm, truth_files

from pipeline.extract.parse import RejectedDeck, parse_pdf


@pytest.mark.parametrize("truth_path", truth_files("public", "public2"), ids=lambda p: p.stem)
def test_deck_matches_truth(truth_path):
    truth = load_truth(truth_path)
    deck = parse_pdf(deck_for(truth_path))
    assert norm(deck.org) == norm(truth["org"])
    assert deck.plan_year == truth["plan_year"]
    y, m, d = (int(x) for x in truth["map_date"].split("."))
    assert deck.map_date == date(y + 1911, m, d)
    got = {k.kpi_code: k for k in deck.kpis}
    assert list(got) == [k["kpi_code"] for k in truth["kpis"]], "same KPIs in reading order"
    themes = {t["code"]: t["name"] for t in truth["themes"]}
    for truth_kpi in truth["kpis"]:
        k = got[truth_kpi["kpi_code"]]
        row = {
            f: getattr(k, f)
            for f in ("theme_code", "theme_name", "perspective", "objective_code", "objective_name", "kpi_name", "page")
        }
        values = {(v.year, v.kind): vars(v.cell) for v in k.values}
        plans = [(p.code, p.name) for p in k.action_plans]
        assert kpi_differences(truth_kpi, themes[truth_kpi["theme_code"]], row, values, plans) == []


@pytest.mark.parametrize(
    "entry", json.loads((CORPUS / "bad" / "manifest.json").read_text())["files"], ids=lambda e: e["file"]
)
def test_bad_files_are_rejected_with_a_reason(entry):
    with pytest.raises(RejectedDeck) as err:
        parse_pdf(CORPUS / "bad" / entry["file"])
    expected_words = {"truncated_pdf": "truncated", "not_a_scorecard": "no scorecard tables"}[entry["kind"]]
    assert expected_words in str(err.value)
