"""Codes split from names; fused action plans split at each plan code."""

import pytest

from pipeline.clean.codes import opens_a_wrapped_code, split_code, split_code_lines, split_plans
from pipeline.clean.text import join_wrapped


@pytest.mark.parametrize(
    ("text", "code", "name"),
    [
        ("AC1.1提升集中燒配合比率", "AC1.1", "提升集中燒配合比率"),
        ("AC1.1 提升集中燒配合比率", "AC1.1", "提升集中燒配合比率"),
        ("BL2.1本府防範惡意", "BL2.1", "本府防範惡意"),
        ("AC1", "AC1", ""),
        ("提升集中燒配合比率", None, "提升集中燒配合比率"),
    ],
)
def test_split_code(text, code, name):
    assert split_code(text) == (code, name)


def test_code_on_its_own_line_never_fuses_with_a_digit_name():
    assert split_code_lines(["BC1.1", "1999陳情案", "件結案率"], join_wrapped) == ("BC1.1", "1999陳情案件結案率")
    assert split_code_lines(["AC1.1", "提升集中燒配", "合比率"], join_wrapped) == ("AC1.1", "提升集中燒配合比率")


def test_a_code_cut_at_a_dot_is_one_code():
    """pandoc's narrow KPI cell breaks 'DL1.2' after its dot: 'DL1.' / '2「服務禮儀」課程參訓' / '人數'."""
    lines = ["DL1.", "2「服務禮儀」課程參訓", "人數"]
    assert split_code_lines(lines, join_wrapped) == ("DL1.2", "「服務禮儀」課程參訓人數")
    assert opens_a_wrapped_code("DL1.", "2「服務")
    assert not opens_a_wrapped_code("DL1.", "「服務")
    assert not opens_a_wrapped_code("DL1.2", "3人")


def test_plans_fused_on_one_line():
    text = "BL2.1.1資通安全事件通報及應變辦法BL2.1.2臺北市政府區公所考核執行計畫"
    assert split_plans(text, 3) == [
        ("BL2.1.1", "資通安全事件通報及應變辦法"),
        ("BL2.1.2", "臺北市政府區公所考核執行計畫"),
    ]


def test_a_plan_code_broken_by_a_space_is_still_a_code():
    """PDF::Table breaks a long run of text with a space wherever it reaches its word length, also
    inside a code: 'BP1.1. 3', 'B P1.1.4' and 'BP1.1 .5' open plans of KPI BP1.1 all the same, given without
    the space. Spaced text is no code of another KPI's ('ED BP1.1.5' after 'AED'), nor where the
    KPI is not known; a number in a name stays in it."""
    text = "BP1.1.1防災計畫BP1.1.2建設要點BP1.1. 3應變能力計畫B P1.1.4採購法 2.0 版BP1.1 .5寺廟條例"
    assert split_plans(text, 3, "BP1.1") == [
        ("BP1.1.1", "防災計畫"),
        ("BP1.1.2", "建設要點"),
        ("BP1.1.3", "應變能力計畫"),
        ("BP1.1.4", "採購法 2.0 版"),
        ("BP1.1.5", "寺廟條例"),
    ]
    assert split_plans("BP1.1.4設置AED BP1.1.5急救訓練", 3, "BP1.1") == [
        ("BP1.1.4", "設置AED"),
        ("BP1.1.5", "急救訓練"),
    ]
    assert split_plans("BP1.1.2建設要點BP1.1. 3應變", 3) == [("BP1.1.2", "建設要點BP1.1. 3應變")]


def test_plan_name_starting_with_a_year():
    text = "DL2.1.1參與式預算制度執行計畫DL2.1.3109年臺北市參與式預算高中職推廣教育執行計畫"
    assert split_plans(text, 3)[1] == ("DL2.1.3", "109年臺北市參與式預算高中職推廣教育執行計畫")


def test_irregular_plan_codes_are_kept_as_printed():
    assert split_plans("DC1.1.1參與式預算制度執行計畫DP1.1.2臺北市提案票選", 3) == [
        ("DC1.1.1", "參與式預算制度執行計畫"),
        ("DP1.1.2", "臺北市提案票選"),
    ]


def test_numbers_inside_names_are_not_codes():
    assert split_plans("AC1.1.1推動APP2.0計畫", 3) == [("AC1.1.1", "推動APP2.0計畫")]


def test_plan_without_code():
    assert split_plans("臺北市公民會館營運計畫", 3) == [(None, "臺北市公民會館營運計畫")]
