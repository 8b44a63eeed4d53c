"""Plausibility checks: quiet on every deck read right, and each fires on a deck that trips it."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path

import pytest
from deckmaker import Deck, Kpi, Table, build_deck
from truth import CORPUS, deck_for, load_truth, truth_deck, truth_files

from pipeline.extract import plausibility
from pipeline.extract.parse import parse_pdf
from pipeline.extract.scheme import code_letter
from pipeline.model import ActionPlan, ParsedDeck, Severity, Status, Value

TRUTH_SETS = ("public", "public2", "realtools")


def _base() -> ParsedDeck:
    """The replica of a real deck (beitou-110): irregular codes (objective BL2.1, plan DP1.1.2 under
    DC1.1), theme letters A, B, D, wrapped numbers, parenthesised notes."""
    return truth_deck(load_truth(CORPUS / "public" / "beitou-110.truth.json"))


def _found(deck: ParsedDeck, check) -> list[str]:
    """Details of `check`'s ERROR findings."""
    return [f.detail for f in check(deck) if f.severity == Severity.ERROR]


@pytest.mark.parametrize("truth_path", truth_files(*TRUTH_SETS), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_error_on_any_truth_deck(truth_path):
    deck = truth_deck(load_truth(truth_path))
    assert [f for f in plausibility.check_deck(deck) if f.severity == Severity.ERROR] == []


@pytest.mark.parametrize("truth_path", truth_files("public", "public2"), ids=lambda p: p.stem)
def test_no_finding_on_the_decks_as_parsed(truth_path, parse_once):
    """The real reading of every corpus deck (exact against its truth) raises nothing either."""
    assert parse_once(deck_for(truth_path)).deck.findings == []


def test_every_check_is_named_and_documented():
    names = [check.__name__ for check in plausibility.CHECKS]
    assert len(set(names)) == len(names) == 18
    assert [n for n, check in zip(names, plausibility.CHECKS) if "Catches" not in (check.__doc__ or "")] == []


def test_year_columns_that_do_not_fit_the_plan_year():
    deck = _base()
    kpi = deck.kpis[0]
    kpi.values = [replace(v, year=v.year + 1) if v.kind == "actual" else v for v in kpi.values]
    assert _found(deck, plausibility.year_columns_fit_plan_year) == [
        "year columns 108,109,110 (actual) and 110 (target) do not fit plan year 110, which needs actuals "
        "107,108,109 and target 110 (KPI AC1.1)"
    ]
    deck.kpis[1].values = deck.kpis[1].values[:3]
    assert len(_found(deck, plausibility.year_columns_fit_plan_year)) == 2
    assert _found(replace(_base(), plan_year=None), plausibility.year_columns_fit_plan_year)


def test_a_plan_year_read_in_part_fits_its_columns_but_is_no_scorecard_year():
    """'實際值(1' / '11年)': every year label read without its first digit, so the columns 11, 12,
    13 and target 14 fit plan year 14, and every value would be published under the wrong year."""
    deck = _base()
    for kpi in deck.kpis:
        kpi.values = [replace(v, year=v.year - 100) for v in kpi.values]
    assert _found(replace(deck, plan_year=10), plausibility.year_columns_fit_plan_year) == [
        "plan year 10 is no ROC year a scorecard is for (90–199): its year labels were read in part"
    ]


def _cell(raw: str, status: Status = Status.MISSING, value: float | None = None) -> Value:
    return Value(value, None, None, status, raw, raw)


@pytest.mark.parametrize(
    "raw, status",
    [
        ("3,545件4,184件", Status.MISSING),
        ("3,545件\n4,184件", Status.MISSING),
        ("85%\n90%", Status.MISSING),
        ("90.0\n85.0", Status.MISSING),
        ("4,", Status.MISSING),
        ("3,545\n4,184", Status.REPORTED),
        ("1,19,364", Status.REPORTED),
    ],
)
def test_a_cell_with_more_than_one_number(raw, status):
    deck = _base()
    deck.kpis[2].values[1] = replace(deck.kpis[2].values[1], cell=_cell(raw, status))
    (detail,) = _found(deck, plausibility.one_value_per_cell)
    assert detail.startswith(f"AP1.1 108 actual: cell {raw!r} ")


@pytest.mark.parametrize(
    "raw",
    [
        "1,191,36\n4",
        "4,912\n(調整計算方式)",
        "≧85%",
        "90.0\n%",
        "2,000人\n次",
        "公式調\n整不適\n用",
        "",
        "79.9%(整修停租)",
    ],
)
def test_one_value_wrapped_or_with_a_note_is_one_value(raw):
    deck = _base()
    deck.kpis[2].values[1] = replace(deck.kpis[2].values[1], cell=_cell(raw, Status.REPORTED, 1.0))
    assert _found(deck, plausibility.one_value_per_cell) == []


@pytest.mark.parametrize("raw", ["(演練、\n12場", "、10.0", ".6", ",184件"])
def test_a_cell_printing_a_number_read_as_no_value(raw):
    """Another cell's text ahead of the number (a KPI name's '(演練、' cut into the value column)
    leaves the value unread: held back, not published as a blank."""
    deck = _base()
    deck.kpis[2].values[1] = replace(deck.kpis[2].values[1], cell=_cell(raw, Status.MISSING))
    (detail,) = _found(deck, plausibility.one_value_per_cell)
    assert "but no value was read from it" in detail or "a number cut at its start" in detail


def test_a_spreadsheet_s_mark_for_a_number_too_wide_for_its_column_is_held_back():
    """Aspose.Cells prints '#####' where a target is too wide for its column, as Excel does: the
    number is not in the PDF, and published the cell would read as nothing reported."""
    deck = _base()
    deck.kpis[2].values[1] = replace(deck.kpis[2].values[1], cell=_cell("#####", Status.MISSING))
    (detail,) = _found(deck, plausibility.one_value_per_cell)
    assert "too wide for its column" in detail


def test_a_cell_left_with_only_the_unit_of_the_row_s_values():
    """'件' where the other years read '7件': the number was read into the next column."""
    deck = _base()
    kpi = deck.kpis[2]
    kpi.values = [replace(v, cell=Value(7.0, "件", None, Status.REPORTED, None, "7件")) for v in kpi.values]
    kpi.values[0] = replace(kpi.values[0], cell=_cell("件"))
    (detail,) = _found(deck, plausibility.one_value_per_cell)
    assert detail.startswith("AP1.1 107 actual: cell '件' holds only the unit")
    kpi.values[0] = replace(kpi.values[0], cell=_cell("無"))
    assert _found(deck, plausibility.one_value_per_cell) == [], "a note that is no unit of the row"
    kpi.values[0] = replace(kpi.values[0], cell=_cell("件\n(線上授課)"))  # its digits not in the text layer
    (detail,) = _found(deck, plausibility.one_value_per_cell)
    assert "holds only the unit" in detail
    kpi.values[0] = replace(kpi.values[0], cell=_cell("(線上授課)"))
    assert _found(deck, plausibility.one_value_per_cell) == [], "a remark alone is a note"


def test_a_value_read_into_its_kpi_name():
    """xhtml2pdf hangs a KPI line's '、' past its cell's edge; the edge moved past the 108 actual
    '12場', read into the name while the cell stayed blank. A name that begins with a number and
    no unit of the row ('1999市民熱線…'), or with a value while no cell is blank, is no such case."""
    deck = _base()
    kpi = deck.kpis[2]
    kpi.values = [replace(v, cell=Value(12.0, "場", None, Status.REPORTED, None, "12場")) for v in kpi.values]
    kpi.values[1] = replace(kpi.values[1], cell=_cell(""))
    kpi.kpi_name = "１２場里辦公處每年舉辦之演習(演練、踏勘)場次"
    (detail,) = _found(deck, plausibility.kpi_names_free_of_values)
    assert detail == "AP1.1: name begins with the value '12場', 108 actual blank"
    kpi.kpi_name = "1999市民熱線服務滿意度"
    assert _found(deck, plausibility.kpi_names_free_of_values) == []
    kpi.kpi_name = "12場里辦公處每年舉辦之演習場次"
    kpi.values[1] = replace(kpi.values[1], cell=Value(12.0, "場", None, Status.REPORTED, None, "12場"))
    assert _found(deck, plausibility.kpi_names_free_of_values) == []


def test_a_value_read_into_a_plan_s_name():
    """R's gridExtra runs a plan's line up to the 108 cell's value, no gutter between: the value
    '263,216' read into the plan while its cell stayed blank. A year in a plan's name, or a
    grouped number while no value cell is blank, is no such case."""
    deck = _base()
    kpi = deck.kpis[2]
    kpi.values[0] = replace(kpi.values[0], cell=_cell(""))
    kpi.action_plans = [ActionPlan("AP1.1.1", "屏東縣區民活263,216動中心場地使用管理要點")]
    (detail,) = _found(deck, plausibility.plan_names_free_of_values)
    assert (
        detail == "AP1.1: plan '屏東縣區民活263,216動中心場地使用管理要點' holds the value '263,216', 107 actual blank"
    )
    kpi.action_plans = [ActionPlan("AP1.1.1", "臺北市111年度區民活動中心管理計畫")]
    assert _found(deck, plausibility.plan_names_free_of_values) == []
    kpi.values[0] = replace(kpi.values[0], cell=Value(263216.0, None, None, Status.REPORTED, None, "263,216"))
    kpi.action_plans = [ActionPlan("AP1.1.1", "屏東縣區民活263,216動中心場地使用管理要點")]
    assert _found(deck, plausibility.plan_names_free_of_values) == []


def test_a_kpi_whose_values_carry_two_units():
    """A lone row's columns fitted afresh moved every value a column: the 權重 '5%' read as the 110
    actual of a KPI counted in '小時'. Values without a unit beside ones with it are no such case,
    nor is a unit running on into a note (one_value_per_cell's)."""
    deck = _base()
    kpi = deck.kpis[2]
    kpi.values = [replace(v, cell=Value(31.0, "小時", None, Status.REPORTED, None, "31小時")) for v in kpi.values]
    assert _found(deck, plausibility.value_units_agree) == []
    kpi.values[0] = replace(kpi.values[0], cell=Value(5.0, "%", None, Status.REPORTED, None, "5%"))
    (detail,) = _found(deck, plausibility.value_units_agree)
    assert detail == "AP1.1: values in units '%' in 107 actual; '小時' in 108 actual, 109 actual, 110 target"
    kpi.values[0] = replace(kpi.values[0], cell=Value(5.0, None, None, Status.REPORTED, None, "5"))
    assert _found(deck, plausibility.value_units_agree) == []
    kpi.values[0] = replace(kpi.values[0], cell=Value(5.0, "小時(註)", None, Status.REPORTED, None, "5小時(註)"))
    assert _found(deck, plausibility.value_units_agree) == []


def test_a_value_ending_with_the_next_cell_s_comparator():
    """rinohtype sets '≥1,185,380' tight after '1,207,490': read by where its box stands, the
    '≥' ended the 111 actual as its unit, and the target lost its comparator."""
    deck = _base()
    kpi = deck.kpis[2]
    kpi.values[1] = replace(kpi.values[1], cell=Value(1207490.0, "≥", None, Status.REPORTED, None, "1,207,490≥"))
    (detail,) = _found(deck, plausibility.one_value_per_cell)
    assert detail == (
        "AP1.1 108 actual: cell '1,207,490≥' ends with the comparator '≥', which opens a value:"
        " the next cell's, read into this one"
    )


def test_a_unit_run_on_with_a_neighbours_text():
    """Aspose.Words centres '民眾臨櫃服務滿意度' past its column's bound: '度' is read after the
    109 actual's '96%' ('%度' where the other years print '%'). The KPI name lost it silently."""
    deck = _base()
    kpi = deck.kpis[2]
    kpi.values = [replace(v, cell=Value(95.0, "%", None, Status.REPORTED, None, "95%")) for v in kpi.values]
    assert _found(deck, plausibility.one_value_per_cell) == []
    kpi.values[0] = replace(kpi.values[0], cell=Value(96.0, "%度", None, Status.REPORTED, None, "96%\n度"))
    (detail,) = _found(deck, plausibility.one_value_per_cell)
    assert detail.endswith("prints its unit as '%度' where the row's others print '%': text ran in")


def test_a_note_with_a_year_in_brackets_is_no_value_and_no_problem():
    deck = _base()
    deck.kpis[2].values[1] = replace(deck.kpis[2].values[1], cell=_cell("(111年起新增)", Status.MISSING))
    assert _found(deck, plausibility.one_value_per_cell) == []


def test_a_kpi_code_printed_twice():
    deck = _base()
    deck.kpis.append(copy.deepcopy(deck.kpis[0]))
    assert _found(deck, plausibility.kpi_codes_unique) == ["KPI code AC1.1 is printed 2 times (pages 6, 6)"]


def test_a_gap_in_the_code_sequence():
    deck = _base()
    bl22 = next(k for k in deck.kpis if k.kpi_code == "BL2.2")
    assert _found(deck, plausibility.code_sequence_complete) == [], "objective BL2.1 holds KPIs BL2.1, BL2.2"
    bl22.kpi_code = "BL2.3"
    assert _found(deck, plausibility.code_sequence_complete) == ["KPI codes BL2.2 were not read (have BL2.1, BL2.3)"]


def test_a_continued_theme_with_fewer_rows_than_its_codes_imply():
    deck = _base()
    deck.kpis = [k for k in deck.kpis if k.kpi_code not in ("AC1.1", "DL1.1")]
    assert _found(deck, plausibility.code_sequence_complete) == [
        "objective codes AC1 were not read (have AC2)",
        "objective codes DL1 were not read (have DL2)",
    ]


def test_codes_under_the_wrong_theme():
    deck = _base()
    deck.kpis[5].theme_code = "A"
    assert _found(deck, plausibility.kpi_codes_match_theme) == [
        "KPI BC1.1 read under theme A, whose codes start with A"
    ]


def test_codes_under_a_theme_without_a_code_in_a_deck_that_codes_its_themes():
    """Theme B's title missed and a line of speakers' notes taken for it: its KPIs come out under a
    theme with no code while the deck's other themes carry (A) and (D)."""
    deck = _base()
    assert _found(deck, plausibility.kpi_codes_match_theme) == []
    for kpi in deck.kpis:
        if kpi.theme_code == "B":
            kpi.theme_code, kpi.theme_name = None, "「建構安心宜居社區」之關鍵績效"
    assert _found(deck, plausibility.kpi_codes_match_theme) == [
        "KPI BC1.1, BC2.1, BP1.1, BP2.1, BL1.1, BL2.1, BL2.2, BF1.1 read under a theme printed without a code"
        " ('「建構安心宜居社區」之關鍵績效'), where the deck's other themes are coded (A, D): its title was not found"
    ]


def test_a_deck_that_codes_no_theme_is_not_asked_for_codes():
    deck = _base()
    for kpi in deck.kpis:
        kpi.theme_code = None
    assert _found(deck, plausibility.kpi_codes_match_theme) == []


def test_a_kpi_under_another_objective_of_the_deck():
    """BC2.1 given the objective label of the block before (BC1) while BC2.2 keeps BC2; the deck's
    own irregular code (objective 'BL2.1' over BL2.1 and BL2.2) names no objective of the deck
    and stays quiet."""
    deck = _base()
    assert _found(deck, plausibility.kpi_codes_match_objective) == []
    bc2 = next(k for k in deck.kpis if k.kpi_code == "BC2.1")
    deck.kpis.append(replace(copy.deepcopy(bc2), kpi_code="BC2.2"))
    bc2.objective_code, bc2.objective_name = "BC1", "提升好便利櫃檯服務效能"
    assert _found(deck, plausibility.kpi_codes_match_objective) == ["KPI BC2.1 read under objective BC1, not BC2"]


@pytest.mark.parametrize(
    "name",
    [
        "落實基層服務--1/2",
        "落實基層服務－1／2",
        "落實基層服務(續)",
        "落實基層服務 -5-",
        "策略主題：落實基層服務",
        "落實基層服務第5頁",
    ],
)
def test_page_furniture_in_a_theme_name(name):
    deck = _base()
    for kpi in deck.kpis:
        if kpi.theme_code == "B":
            kpi.theme_name = name
    assert len(_found(deck, plausibility.names_free_of_furniture)) == 1


def test_one_theme_named_two_ways_and_names_that_only_look_like_furniture():
    deck = _base()
    for kpi in deck.kpis:
        if kpi.theme_code == "B":
            kpi.theme_name = "打造永續低碳生活圈"  # 續 inside a word is no continuation marker
    assert _found(deck, plausibility.names_free_of_furniture) == []
    deck.kpis[-1].theme_name += "松山"
    (detail,) = _found(deck, plausibility.names_free_of_furniture)
    assert detail.startswith(
        "theme D is named differently: '提高公民參與度' on page 9, 10; '提高公民參與度松山' on page 10"
    )


def test_a_theme_named_for_some_kpis_and_not_for_others():
    """A title naming its theme by code alone, read as a theme of no name, leaves the KPIs under
    it nameless beside the theme's other KPIs: the name is known to be missing."""
    deck = _base()
    assert _found(deck, plausibility.names_free_of_furniture) == []
    deck.kpis[-1].theme_name = None
    (detail,) = _found(deck, plausibility.names_free_of_furniture)
    assert detail.startswith("theme D is named differently: '提高公民參與度' on page 9")
    assert detail.endswith("no name on page 10")


def test_a_page_s_print_stamp_read_into_a_plan_s_name():
    """A report's '列印日期：109/03/03' footer run into the last plan above it (a sheet of two
    pages printed two to a sheet again) is no plan's words."""
    deck = _base()
    assert _found(deck, plausibility.names_free_of_furniture) == []
    plan = deck.kpis[-1].action_plans[-1]
    deck.kpis[-1].action_plans[-1] = ActionPlan(plan.code, plan.name + "列印日期：109/03/03")
    (detail,) = _found(deck, plausibility.names_free_of_furniture)
    assert "carries a print stamp '列印日期'" in detail


def test_a_name_with_a_run_of_words_read_twice_back_to_back():
    """A line a page break cut, shown on both slides of a handout page, is read twice into the
    plan it ends ('…能力計畫里鄰災害應變能力計畫'). A short repeat is a name's own ('宣導宣導')."""
    deck = _base()
    kpi = deck.kpis[0]
    code = kpi.action_plans[0].code
    twice = "高雄市各區提昇里鄰災害應變能力計畫里鄰災害應變能力計畫"
    kpi.action_plans = [replace(kpi.action_plans[0], name=twice), *kpi.action_plans[1:]]
    assert _found(deck, plausibility.names_free_of_furniture) == [
        f"action plan {code} name '{twice}' repeats '里鄰災害應變能力計畫'"
    ]
    kpi.action_plans = [replace(kpi.action_plans[0], name="高雄市防災宣導宣導計畫"), *kpi.action_plans[1:]]
    assert _found(deck, plausibility.names_free_of_furniture) == []


def test_the_office_short_name_glued_onto_every_theme_name():
    deck = replace(_base(), org="臺北市北投區公所")
    for kpi in deck.kpis:
        kpi.theme_name += "北投"
    assert _found(deck, plausibility.names_free_of_furniture) == [
        "every theme name ends with '北投', part of the office's name 臺北市北投區公所: text beside the title "
        "(a logo caption, the office's short name), not the theme's"
    ]
    for kpi in deck.kpis:
        kpi.theme_name = (
            kpi.theme_name.removesuffix("北投") + "品質"
        )  # a shared ending, but no part of the office's name
    assert _found(deck, plausibility.names_free_of_furniture) == []


@pytest.mark.parametrize("field", ["theme_code", "perspective", "objective_name", "objective_code", "kpi_code"])
def test_a_kpi_without_a_field(field):
    deck = _base()
    setattr(deck.kpis[3], field, None)
    if field == "theme_code":
        deck.kpis[3].theme_name = None
    assert len(_found(deck, plausibility.kpi_fields_present)) == 1


def test_perspectives_misread_or_given_to_the_wrong_rows():
    deck = _base()
    deck.kpis[0].perspective = "顧面客"
    deck.kpis[2].perspective = "內部流程BP構面提"
    assert len(_found(deck, plausibility.perspective_consistent)) == 4, "two misread names; C and P then span two"
    deck = _base()
    deck.kpis[11].perspective = "財務"  # BL2.2 takes the perspective of the block below
    found = _found(deck, plausibility.perspective_consistent)
    assert found[0].startswith("objective BL2.1 spans perspectives: 學習成長 for BL2.1; 財務 for BL2.2")
    assert found[1].startswith("code letter L spans perspectives")
    deck = _base()
    for kpi in deck.kpis:
        kpi.perspective = "利害關係人" if kpi.perspective == "顧客" else kpi.perspective
    findings = plausibility.perspective_consistent(deck)
    assert [f.severity for f in findings] == [Severity.WARNING], "an unfamiliar name is no misreading"


def test_kpis_read_under_a_perspective_their_initial_does_not_name():
    """Every F KPI read under 學習成長 (the label of the block above carried on over their blank
    cells): F spans no two perspectives, but the deck letters its KPIs by the initials."""
    deck = _base()
    for kpi in deck.kpis:
        kpi.perspective = "學習成長" if kpi.perspective == "財務" else kpi.perspective
    found = _found(deck, plausibility.perspective_consistent)
    assert len(found) == 1 and found[0].startswith("code letter F is the initial of 財務, but reads 學習成長")


def test_every_kpi_read_under_one_perspective_in_a_deck_lettered_by_initials():
    """Turned row numbers taken for the 構面 column's labels left every KPI under 顧客, the first
    label read: no letter spans two perspectives, and too few KPIs agree with their initials for
    the deck to seem to follow them. Its codes bear the initials and no other letter, so it does."""
    deck = _base()
    for kpi in deck.kpis:
        kpi.perspective = "顧客"
    found = _found(deck, plausibility.perspective_consistent)
    assert [f.split(",")[0] for f in found] == [
        "code letter P is the initial of 內部流程",
        "code letter L is the initial of 學習成長",
        "code letter F is the initial of 財務",
    ]
    for kpi in deck.kpis:
        kpi.kpi_code = kpi.kpi_code[0] + "X" + kpi.kpi_code[2:] if code_letter(kpi) == "P" else kpi.kpi_code
    assert _found(deck, plausibility.perspective_consistent) == [], "X is no initial: the codes follow no scheme"


def test_a_row_s_top_printed_at_a_page_s_foot_and_read_into_the_row_above():
    """BP2.1, the last KPI on page 7, ends with how BL1.1 on page 8 begins, some letters of it
    missing (a slice of a line shows only what reaches into it): in its name, or its last plan."""
    deck = _base()
    before, after = (k for k in deck.kpis if k.kpi_code in ("BP2.1", "BL1.1"))
    assert after.page > before.page and _found(deck, plausibility.rows_apart_at_page_breaks) == []
    before.kpi_name += after.kpi_name[:2] + after.kpi_name[3:6]  # '本區' + '體里鄰'
    (found,) = _found(deck, plausibility.rows_apart_at_page_breaks)
    assert found.startswith("KPI BP2.1's name ends with '本區體里鄰' on page 7, as KPI BL1.1's begins on page 8")
    deck = _base()
    before, after = (k for k in deck.kpis if k.kpi_code in ("BP2.1", "BL1.1"))
    last = before.action_plans[-1]
    before.action_plans[-1] = replace(last, name=last.name + after.action_plans[0].name[:5])
    (found,) = _found(deck, plausibility.rows_apart_at_page_breaks)
    assert found.startswith("KPI BP2.1's last action plan ends with")


def test_action_plans_lost_or_cut():
    deck = _base()
    for kpi in deck.kpis:
        if kpi.page == 7:
            kpi.action_plans = []
    assert _found(deck, plausibility.action_plans_read_whole) == [
        "no KPI on page 7 has an action plan (BC1.1, BC2.1, BP1.1, BP2.1)"
    ]
    deck = _base()
    deck.kpis[0].action_plans = []
    assert [f.severity for f in plausibility.action_plans_read_whole(deck)] == [Severity.WARNING]
    deck.kpis[1].action_plans.append(ActionPlan(None, "實施計畫"))
    deck.kpis[3].action_plans[1] = ActionPlan("AL1.1.2", "")
    deck.kpis[4].action_plans.append(ActionPlan("AF1.1.3", "計畫"))
    assert len(_found(deck, plausibility.action_plans_read_whole)) == 3
    deck = _base()
    assert _found(deck, plausibility.action_plans_read_whole) == [], "DP1.1.2 under DC1.1 is numbered 1, 2"
    kpi = deck.kpis[1]
    last = kpi.action_plans[-1]
    kpi.action_plans[-1] = replace(last, name=f"{last.name}{kpi.kpi_code} .{len(kpi.action_plans) + 1}監督寺廟條例")
    (found,) = _found(deck, plausibility.action_plans_read_whole)
    assert found.startswith(f"KPI {kpi.kpi_code}: a plan name holds a plan code")


def test_value_cells_left_blank_by_row_or_column():
    deck = _base()
    deck.kpis[0].values = [replace(v, cell=_cell("")) for v in deck.kpis[0].values]
    assert _found(deck, plausibility.value_columns_read) == ["every value cell of KPI AC1.1 is blank"]
    deck = _base()
    for kpi in deck.kpis:
        if kpi.page == 7:
            kpi.values = [replace(v, cell=_cell("")) if v.kind == "target" else v for v in kpi.values]
    assert _found(deck, plausibility.value_columns_read) == ["the 110 target column is blank for every KPI on page 7"]


def test_a_cell_holding_a_glyph_named_no_character():
    """'(cid:214)95%' may print ≥95% or ≤95%: the value cannot be published as read."""
    deck = _base()
    kpi = deck.kpis[0]
    target = next(v for v in kpi.values if v.kind == "target")
    kpi.values = [
        replace(v, cell=_cell("(cid:214)95%", Status.REPORTED, 95.0)) if v is target else v for v in kpi.values
    ]
    assert _found(deck, plausibility.cells_readable) == [
        f"KPI AC1.1: its {target.year} target '(cid:214)95%' holds (cid:214), a glyph named no character"
    ]
    deck = _base()
    deck.kpis[1].action_plans = [ActionPlan("AC1.2.1", "北投區\ufffd公所計畫")]
    assert len(_found(deck, plausibility.cells_readable)) == 1
    assert _found(replace(_base(), org="臺北市北投區(cid:0)公所"), plausibility.cells_readable)
    deck = _base()
    deck.kpis[2].kpi_name = "收支比\uffff1"  # mutool re-wrote a map so that '≧' reads U+FFFF, a noncharacter
    assert _found(deck, plausibility.cells_readable) == [
        "KPI AP1.1: its name '收支比\\uffff1' holds \uffff, a glyph named no character"
    ]


def test_a_deck_without_any_number():
    deck = _base()
    for kpi in deck.kpis:
        kpi.values = [replace(v, cell=_cell(text)) for v, text in zip(kpi.values, ("詳見附件", "待訂", "—", ""))]
    (detail,) = _found(deck, plausibility.deck_has_numbers)
    assert detail.startswith("no value cell holds a number (cells read: '詳見附件', '待訂', '—'")


# Real PDFs, drawn and parsed: the findings come with the parse.
def _kpi(code: str, values=("70%", "72%", "74%", "75%"), objective: str = "AC1推動祭拜精緻化") -> Kpi:
    return Kpi("顧客", objective, f"{code}指標{code}", values, (f"{code}.1計畫",))


def _parsed(tmp_path: Path, name: str, kpis: list[Kpi], **table) -> ParsedDeck:
    pdf = build_deck(Deck(pages=[[Table("策略主題：(A)發展多元文化", kpis, **table)]]), tmp_path / name)
    return parse_pdf(pdf)


def _checks(deck: ParsedDeck) -> set[str]:
    return {f.check for f in deck.errors}


def test_drawn_decks_that_trip_checks(tmp_path):
    assert _checks(_parsed(tmp_path, "ok.pdf", [_kpi("AC1.1"), _kpi("AC1.2")])) == set()
    assert _checks(_parsed(tmp_path, "twice.pdf", [_kpi("AC1.1"), _kpi("AC1.1")])) == {"kpi_codes_unique"}
    assert _checks(_parsed(tmp_path, "gap.pdf", [_kpi("AC1.1"), _kpi("AC1.3")])) == {"code_sequence_complete"}
    years = _parsed(tmp_path, "years.pdf", [_kpi("AC1.1")], years=(104, 105, 109, 110))
    assert _checks(years) == {"year_columns_fit_plan_year"}
    merged = _parsed(tmp_path, "merged.pdf", [_kpi("AC1.1", ("3,545件\n4,184件", "5,182件", "4,", "780件"))])
    assert _checks(merged) == {"one_value_per_cell"}
    nothing = _parsed(tmp_path, "none.pdf", [_kpi("AC1.1", ("詳見附件", "待訂", "—", ""))])
    assert _checks(nothing) == {"deck_has_numbers"}


def test_a_deck_without_an_office_s_name_warns():
    """A blank cover and a map titled without the office: the numbers are read, so the deck loads,
    with a warning that it is matched to no other version."""
    assert plausibility.office_named(_base()) == []
    (warned,) = plausibility.office_named(replace(_base(), org=None))
    assert warned.severity == Severity.WARNING
    assert "not matched to its other versions" in warned.detail


@pytest.mark.parametrize("where", ["kpi", "plan", "objective"])
def test_a_tool_s_evaluation_notice_read_into_a_name(where):
    """ActiveReportsJS prints 'Powered by ActiveReportsJS Evaluation Version' over a borderless
    table's last row, and its KPI cell took the words in its column: the deck is held back."""
    deck = _base()
    kpi = deck.kpis[-1]
    glued = "eportsJS Evaluation ersion V"
    if where == "kpi":
        kpi.kpi_name += glued
    elif where == "plan":
        kpi.action_plans = [ActionPlan("D1.1.1", "區政會議" + glued)]
    else:
        kpi.objective_name += glued
    (detail,) = _found(deck, plausibility.names_free_of_furniture)
    assert "carries a tool's notice 'Evaluat'" in detail


def test_names_with_latin_words_an_office_writes_carry_no_tool_notice():
    deck = _base()
    deck.kpis[0].kpi_name = "APP下載次數(含LINE官方帳號)"
    deck.kpis[1].action_plans = [ActionPlan(None, "ISO 27001資訊安全管理系統驗證")]
    assert _found(deck, plausibility.names_free_of_furniture) == []


def test_a_row_s_number_read_into_an_objective_name():
    """Qt's continued table, its columns fitted to the page: the numbering column's '3' was left
    in the objective's column, and ended objective CL1's name ('培育數位治理人才3'). A number that
    is part of a name's words ('推動淨零2050', '提升服務2.0') is not a row's."""
    deck = _base()
    objective = next(kpi for kpi in deck.kpis if kpi.objective_name)
    code, name = objective.objective_code, objective.objective_name
    for kpi in deck.kpis:
        if kpi.objective_code == code:
            kpi.objective_name = name + "3"
    (detail,) = _found(deck, plausibility.names_free_of_furniture)
    assert "a row's number" in detail
    for tail in ("2050", "2.0", "SDG 11"):
        for kpi in deck.kpis:
            if kpi.objective_code == code:
                kpi.objective_name = name + tail
        assert _found(deck, plausibility.names_free_of_furniture) == [], tail


def test_a_row_s_number_read_ahead_of_an_objective_name():
    """Spire.XLS: the numbering column's label ('編' / '號') taken for a running header, its rows'
    '6' went into the objective's column ahead of CL2's name ('6強化服務禮儀訓練'). A number that
    opens a name's words ('2050淨零', '5G智慧') is not a row's."""
    deck = _base()
    objective = next(kpi for kpi in deck.kpis if kpi.objective_name)
    code, name = objective.objective_code, objective.objective_name
    for kpi in deck.kpis:
        if kpi.objective_code == code:
            kpi.objective_name = "6" + name
    (detail,) = _found(deck, plausibility.names_free_of_furniture)
    assert "a row's number" in detail
    for head in ("2050", "5G", "1.5"):
        for kpi in deck.kpis:
            if kpi.objective_code == code:
                kpi.objective_name = head + name
        assert _found(deck, plausibility.names_free_of_furniture) == [], head


@pytest.mark.parametrize(
    ("printed", "not_page_numbers"),
    [
        ("4/7", ("完成1/2以上", "7/4")),
        ("{page}", ("{next}", "第{page}期", " v{page}.0")),
    ],
)
def test_a_page_number_ending_a_plan_s_name(printed, not_page_numbers):
    """pdfLaTeX's beamer prints '4 / 7' in its footline, on the line of a last row run down into
    it: the plans cell took it in ('…實施計畫。4/7'). calibre prints a first page whose table runs
    down to the page's foot, its footer's page number '1' on the last plan's line: no page before
    taught the number's spot ('…實施計畫1'). A name with a fraction inside its words ('完成1/2以上'),
    a count larger than the whole ('7/4'), or another page's number does not end with a page number."""
    deck = _base()
    kpi = next(kpi for kpi in deck.kpis if kpi.action_plans)
    plan = kpi.action_plans[0]

    def named(tail: str) -> list:
        tail = tail.format(page=kpi.page, next=kpi.page + 1)
        kpi.action_plans[0] = replace(plan, name=plan.name + "計畫" + tail)
        return _found(deck, plausibility.names_free_of_furniture)

    (detail,) = named(printed)
    assert f"ends with a page number '{printed.format(page=kpi.page)}'" in detail
    for tail in not_page_numbers:
        assert named(tail) == [], tail
