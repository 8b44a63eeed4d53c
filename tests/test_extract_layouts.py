"""Extraction across the table layouts real decks use, on decks drawn by tests/deckmaker.py."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from deckmaker import Deck, Kpi, Table, build_deck

from pipeline.extract.parse import parse_pdf
from pipeline.model import Severity

KPIS = [
    Kpi(
        "顧客",
        "AC1推動祭拜精緻化",
        "AC1.1提升集中燒配合比率",
        ("公式調整不適用", "新指標不適用", "88%", "≧85%"),
        ("AC1.1.1臺北市集中焚燒金銀紙錢計畫",),
        "年度",
    ),
    Kpi(
        "顧客",
        "AC2新移民參與課程",
        "AC2.1新移民課程學員出席率",
        ("4,912 (調整計算方式)", "90.0\n%", "1,191,36\n4", "95%"),
        ("AC2.1.1臺北市新移民照顧輔導政策", "AC2.1.2臺北市友善計畫"),
    ),
    Kpi("顧客", "AC2新移民參與課程", "AC2.2新移民課程滿意度", ("80%", "81%", "82%", "83%"), ("AC2.2.1滿意度調查",)),
    Kpi(
        "內部流程",
        "AP1推廣基層藝文",
        "AP1.1活動參與人數",
        ("11,469", "", "換屆不適用用", "2,000人次"),
        ("AP1.1.1臺北市政府民政局",),
    ),
    Kpi("財務", "AF1健全寺廟財務運作", "AF1.1收支比≧1", ("5.2", "4.3", "4.0", "≦15"), ("AF1.1.1監督寺廟條例",)),
]
EXPECTED = {
    "AC1.1": ("顧客", "AC1", "推動祭拜精緻化", "提升集中燒配合比率"),
    "AC2.1": ("顧客", "AC2", "新移民參與課程", "新移民課程學員出席率"),
    "AC2.2": ("顧客", "AC2", "新移民參與課程", "新移民課程滿意度"),
    "AP1.1": ("內部流程", "AP1", "推廣基層藝文", "活動參與人數"),
    "AF1.1": ("財務", "AF1", "健全寺廟財務運作", "收支比≧1"),
}


def _check(deck, kpis=EXPECTED, theme=("A", "發展多元文化")) -> None:
    assert [k.kpi_code for k in deck.kpis] == list(kpis), "KPIs in reading order, none twice, none extra"
    got = {k.kpi_code: k for k in deck.kpis}
    for code, (perspective, obj_code, obj_name, name) in kpis.items():
        k = got[code]
        assert (k.perspective, k.objective_code, k.objective_name, k.kpi_name) == (
            perspective,
            obj_code,
            obj_name,
            name,
        )
        assert (k.theme_code, k.theme_name) == theme
    ac21 = got.get("AC2.1")
    if ac21:
        assert len(ac21.values) == 4, "three actuals and a target, none twice"
        values = {(v.year, v.kind): v.cell for v in ac21.values}
        assert values[(107, "actual")].value == 4912 and values[(107, "actual")].note == "調整計算方式"
        assert (values[(108, "actual")].value, values[(108, "actual")].unit) == (90.0, "%")
        assert values[(109, "actual")].value == 1191364
        assert (values[(110, "target")].value, values[(110, "target")].unit) == (95, "%")
        assert [(p.code, p.name) for p in ac21.action_plans] == [
            ("AC2.1.1", "臺北市新移民照顧輔導政策"),
            ("AC2.1.2", "臺北市友善計畫"),
        ]


def _parse(tmp_path: Path, deck: Deck):
    return parse_pdf(build_deck(deck, tmp_path / "deck.pdf"))


def _deck(**table_options) -> Deck:
    return Deck(pages=[[Table("策略主題：(A)發展多元文化", KPIS, **table_options)]])


@pytest.mark.parametrize("style", ["grid", "hrules", "none", "fills"])
@pytest.mark.parametrize("valign", ["middle", "top"])
def test_table_drawing_styles(tmp_path, style, valign):
    """Full grid, horizontal rules only, no rules at all, row fills only; text centred or top-aligned."""
    _check(_parse(tmp_path, _deck(style=style, valign=valign)))


@pytest.mark.parametrize("label", ["vertical", "rotated"])
@pytest.mark.parametrize("style", ["grid", "none"])
@pytest.mark.parametrize("valign", ["middle", "top"])
def test_perspective_labels_vertical_or_rotated(tmp_path, label, style, valign):
    _check(_parse(tmp_path, _deck(label=label, style=style, valign=valign, font_size=11)))


@pytest.mark.parametrize("style", ["grid", "hrules", "none", "fills"])
def test_perspective_band_rows_instead_of_column(tmp_path, style):
    _check(_parse(tmp_path, _deck(bands=True, style=style, columns=("objective", "kpi", "years", "plans"))))


def test_perspectives_in_any_order(tmp_path):
    reordered = [KPIS[4], KPIS[3], *KPIS[:3]]
    expected = {code: EXPECTED[code] for code in ("AF1.1", "AP1.1", "AC1.1", "AC2.1", "AC2.2")}
    _check(_parse(tmp_path, Deck(pages=[[Table("策略主題：(A)發展多元文化", reordered)]])), expected)


@pytest.mark.parametrize(
    "headers",
    [
        {"kpi_header": "KPI(關鍵績效指標)", "objective_header": "策略目標", "plans_header": "行動方案"},
        {"kpi_header": "關鍵績效指標", "objective_header": "策略性目標", "plans_header": "行動計畫"},
        {"kpi_header": "衡量指標", "objective_header": "策略性目標", "plans_header": "行動計畫"},
        {"kpi_header": "KPI(關鍵績效指標)(衡量之指標名稱)"},  # wraps inside its header cell
    ],
)
def test_header_wording(tmp_path, headers):
    _check(_parse(tmp_path, _deck(**headers)))


@pytest.mark.parametrize("year_style", ["stacked", "suffix", "paren", "two_row"])
def test_year_header_styles(tmp_path, year_style):
    deck = _parse(tmp_path, _deck(year_style=year_style, years=(111, 112, 113, 114)))
    assert deck.plan_year == 114
    years = [(v.year, v.kind) for v in deck.kpis[0].values]
    assert years == [(111, "actual"), (112, "actual"), (113, "actual"), (114, "target")]


@pytest.mark.parametrize(
    "columns",
    [
        ("perspective", "objective", "kpi", "plans", "years"),
        ("perspective", "objective", "kpi", "extra", "years", "plans"),
        ("perspective", "objective", "kpi", "years", "plans", "extra"),
        ("extra", "perspective", "objective", "kpi", "years", "plans"),
    ],
)
@pytest.mark.parametrize("extra_header", ["權重", "備註", "衡量方式", "衡量標準"])
def test_column_order_and_extra_columns(tmp_path, columns, extra_header):
    deck = _parse(tmp_path, _deck(columns=columns, extra_header=extra_header, style="grid"))
    _check(deck)
    assert deck.kpis[0].action_plans[0].code == "AC1.1.1"


@pytest.mark.parametrize("style", ["grid", "hrules", "none"])
@pytest.mark.parametrize("extra_header", ["承辦科室", "計算公式"])
def test_an_extra_column_under_a_label_not_known_is_not_read(tmp_path, style, extra_header):
    """An office's own column ('承辦科室'), named by words no column is known by, is not read:
    its '民政課' goes into no KPI name, value or plan."""
    kpis = [replace(k, extra="民政課") for k in KPIS]
    table = Table("策略主題：(A)發展多元文化", kpis, style=style, extra_header=extra_header)
    table.columns = ("perspective", "objective", "kpi", "extra", "years", "plans")
    deck = _parse(tmp_path, Deck(pages=[[table]]))
    _check(deck)
    assert not [f for f in deck.findings if f.severity is Severity.ERROR]
    assert all("民政課" not in p.name for k in deck.kpis for p in k.action_plans)


@pytest.mark.parametrize("style", ["grid", "none"])
def test_a_numbering_column_first_is_not_read(tmp_path, style):
    """A '項次' column numbering the rows before the 構面 column: its '1', '2' … are no part of
    the perspective labels (held back before, 'perspective 12顧客構面3')."""
    kpis = [replace(k, extra=str(i + 1)) for i, k in enumerate(KPIS)]
    table = Table("策略主題：(A)發展多元文化", kpis, style=style, extra_header="項次")
    table.columns = ("extra", "perspective", "objective", "kpi", "years", "plans")
    deck = _parse(tmp_path, Deck(pages=[[table]]))
    _check(deck)
    assert not [f for f in deck.findings if f.severity is Severity.ERROR]


def test_a_table_without_plans_beside_a_column_not_read_is_held_back(tmp_path):
    """The plans under a label no column is known by ('重點工作'), uncoded: they would be read as
    a column that is not read, and the KPIs published without plans."""
    kpis = [replace(k, extra="推動里鄰服務") for k in KPIS]
    table = Table("策略主題：(A)發展多元文化", kpis, style="grid", extra_header="重點工作")
    table.columns = ("perspective", "objective", "kpi", "years", "extra")
    deck = _parse(tmp_path, Deck(pages=[[table]]))
    assert any(f.check == "unread_text" and "行動方案" in f.detail for f in deck.findings)


@pytest.mark.parametrize(("style", "year_style"), [("grid", "stacked"), ("hrules", "two_row"), ("none", "suffix")])
def test_theme_continued_without_header_and_blank_perspective(tmp_path, style, year_style):
    """The next slide has no header: the columns are re-fitted to its text; the 構面 cell is blank."""
    options = {"style": style, "year_style": year_style, "valign": "top"}
    first = Table("策略主題：(B)落實基層服務--1/2", KPIS[:1], **options)
    second = Table("策略主題：(B)落實基層服務--2/2", KPIS[1:3], header=False, blank_perspective=True, **options)
    deck = _parse(tmp_path, Deck(pages=[[first], [second]]))
    expected = {c: EXPECTED[c] for c in ("AC1.1", "AC2.1", "AC2.2")}
    _check(deck, expected, theme=("B", "落實基層服務"))
    assert [k.page for k in deck.kpis] == [3, 4, 4]


def test_theme_continued_with_header_repeated(tmp_path):
    first = Table("策略主題：（B）落實基層服務--1/2", KPIS[:3], style="hrules")
    second = Table("策略主題：（B）落實基層服務--2/2", KPIS[3:], style="hrules")
    _check(_parse(tmp_path, Deck(pages=[[first], [second]])), theme=("B", "落實基層服務"))


@pytest.mark.parametrize("style", ["grid", "hrules", "none", "fills"])
def test_several_small_tables_on_one_slide(tmp_path, style):
    options = {
        "font_size": 8,
        "style": style,
        "columns": ("perspective", "objective", "kpi", "years", "plans", "extra"),
    }
    a = Table("策略主題：(A)發展多元文化", KPIS[:2], **options)
    b = Table("策略主題：(C)提高公民參與度", KPIS[3:], **options)
    deck = _parse(tmp_path, Deck(pages=[[a, b]], stamp=True))
    assert [(k.theme_code, k.kpi_code) for k in deck.kpis] == [
        ("A", "AC1.1"),
        ("A", "AC2.1"),
        ("C", "AP1.1"),
        ("C", "AF1.1"),
    ]
    assert deck.kpis[2].theme_name == "提高公民參與度"
    assert [k.kpi_name for k in deck.kpis] == [EXPECTED[k.kpi_code][3] for k in deck.kpis]


@pytest.mark.parametrize("style", ["grid", "none"])
def test_page_furniture_and_fake_bold_are_ignored(tmp_path, style):
    """Page numbers, footnotes, slanted and upright watermarks, headers drawn twice."""
    table = Table("策略主題：(A)發展多元文化", KPIS, style=style)
    deck = Deck(pages=[[table]], furniture=True, fake_bold=True, stamp=True)
    _check(_parse(tmp_path, deck))


@pytest.mark.parametrize("size", [(720, 540), (960, 540)])
@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_slide_sizes_and_rotated_pages(tmp_path, size, rotate):
    deck = _parse(tmp_path, replace(_deck(), size=size, rotate=rotate))
    _check(deck)


def test_a_map_date_printed_alone_on_the_page_after_the_map(tmp_path):
    """A spreadsheet prints a map sheet wider than the paper over two pages, the date in the last
    columns on the second; a map with no date anywhere stays undated, the tables' pages unread for it."""
    deck = _parse(tmp_path, replace(_deck(), map_date="112.01.10", map_date_alone=True))
    assert str(deck.map_date) == "2023-01-10"
    assert deck.page_count == 5 and {k.page for k in deck.kpis} == {4}
    undated = _parse(tmp_path, replace(_deck(), map_date="", map_date_alone=True))
    assert undated.map_date is None


def test_org_on_a_title_line_with_the_year(tmp_path):
    deck = _parse(tmp_path, replace(_deck(), org="新北市板橋區公所", title_suffix=" 111年度"))
    assert deck.org == "新北市板橋區公所"


def test_deck_fields_and_non_table_slides(tmp_path):
    deck = _parse(
        tmp_path, Deck(org="臺北市政府民政局", map_date="112.03.01", pages=[[Table("策略主題：(A)發展多元文化", KPIS)]])
    )
    assert deck.org == "臺北市政府民政局"
    assert str(deck.map_date) == "2023-03-01"
    assert deck.page_count == 4
    assert {k.page for k in deck.kpis} == {3}, "title, strategy map and closing slides yield no KPI"
