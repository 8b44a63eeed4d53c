"""Variations combined: a fixed sample of drawing style × alignment × header × label × slide size,
with tables split over two slides (header repeated or not, 構面 cell left blank or not)."""

import random

import pytest
from deckmaker import Deck, Table, build_deck
from test_extract_layouts import EXPECTED, KPIS, _check

from pipeline.extract.parse import parse_pdf

OPTIONS = {
    "style": ["grid", "hrules", "none", "fills"],
    "valign": ["middle", "top"],
    "year_style": ["stacked", "suffix", "paren", "two_row"],
    "label": ["horizontal", "vertical", "rotated"],
    "bands": [False, True],
    "kpi_header": ["KPI(關鍵績效指標)", "關鍵績效指標", "衡量指標"],
    "font_size": [7, 9, 11],
}


def _sample(n: int) -> list[dict]:
    rng = random.Random(20261126)
    cases = []
    for _ in range(n):
        case = {key: rng.choice(values) for key, values in OPTIONS.items()}
        case["cut"] = rng.randrange(1, len(KPIS))
        case["repeat_header"] = rng.random() < 0.5
        case["blank"] = rng.random() < 0.5 and not case["bands"]
        case["size"] = rng.choice([(720, 540), (960, 540), (842, 595)])
        cases.append(case)
    return cases


@pytest.mark.parametrize("case", _sample(24), ids=lambda c: "-".join(str(v) for v in c.values())[:60])
def test_combined_variations(tmp_path, case):
    options = {k: case[k] for k in OPTIONS}
    if case["bands"]:
        options["columns"] = ("objective", "kpi", "years", "plans")
    cut = case["cut"]
    continues = KPIS[cut - 1].perspective == KPIS[cut].perspective
    first = Table("策略主題：(A)發展多元文化--1/2", KPIS[:cut], **options)
    second = Table(
        "策略主題：(A)發展多元文化--2/2",
        KPIS[cut:],
        header=case["repeat_header"],
        blank_perspective=case["blank"] and continues,
        **options,
    )
    deck = build_deck(Deck(pages=[[first], [second]], size=case["size"]), tmp_path / "deck.pdf")
    _check(parse_pdf(deck), EXPECTED)
