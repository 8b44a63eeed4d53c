"""Character normalisation: radicals, compatibility ideographs, full-width digits, wrapped lines."""

import unicodedata
from importlib import resources

import pytest

from pipeline.clean.text import join_wrapped, normalize, radical_table

# Pairs read off the Unicode Character Database by hand (EquivalentUnifiedIdeograph.txt, Unicode 14),
# not from the file the code parses: a broken parser or a damaged file cannot agree with them.
KNOWN_PAIRS = [
    ("\u2ea0", "\u6c11"),  # CJK RADICAL CIVILIAN → 民
    ("\u2ed1", "\u9577"),  # CJK RADICAL LONG ONE → 長
    ("\u2ec4", "\u897f"),  # CJK RADICAL WEST TWO → 西
    ("\u2f00", "\u4e00"),  # KANGXI RADICAL ONE → 一
    ("\u2f08", "\u4eba"),  # KANGXI RADICAL MAN → 人
    ("\u2f2f", "\u5de5"),  # KANGXI RADICAL WORK → 工
    ("\u2fa5", "\u91cc"),  # KANGXI RADICAL VILLAGE → 里
    ("\u2e8c", "\u5c0f"),  # CJK RADICAL SMALL ONE → 小 (first of a range line 2E8C..2E8D)
    ("\u2e8d", "\u5c0f"),  # CJK RADICAL SMALL TWO → 小 (last of that range)
    ("\u31d2", "\u4e3f"),  # CJK STROKE P → 丿 (a stroke, outside both radical blocks)
]
# 341 mapping lines, five of them ranges covering 2+2+3+3+2 code points: 336 + 12 = 348.
ENTRIES_IN_THE_FILE = 348


def test_data_file_ships_with_its_unicode_header():
    text = resources.files("pipeline.clean").joinpath("data/EquivalentUnifiedIdeograph.txt").read_text(encoding="utf-8")
    assert text.startswith("# EquivalentUnifiedIdeograph-")
    assert "© 2021 Unicode®, Inc." in text


@pytest.mark.parametrize(("radical", "ideograph"), KNOWN_PAIRS, ids=lambda c: f"U+{ord(c):04X}")
def test_known_radicals_fold_to_their_ideographs(radical, ideograph):
    assert radical_table()[radical] == ideograph
    assert normalize(radical) == ideograph


def test_the_table_holds_every_entry_of_the_file():
    assert len(radical_table()) == ENTRIES_IN_THE_FILE


@pytest.mark.parametrize(
    ("radical", "ideograph"), [("⺠", "民"), ("⻑", "長"), ("⻄", "西"), ("⾥", "里"), ("⼯", "工")]
)
def test_supplement_and_kangxi_radicals(radical, ideograph):
    assert normalize(f"臺北市{radical}政") == f"臺北市{ideograph}政"


def test_nfkc_alone_leaves_supplement_radicals():
    """Why the table is needed: NFKC folds Kangxi radicals but not the CJK Radicals Supplement."""
    assert unicodedata.normalize("NFKC", "⺠⻑") == "⺠⻑"
    assert normalize("⺠⻑") == "民長"


def test_compatibility_ideographs_and_fullwidth_digits():
    assert normalize("參與\uf961") == "參與率"
    assert normalize("８５．０％") == "85.0%"


def test_a_soft_hyphen_is_the_hyphen_a_pdf_writer_mapped_it_from():
    """MuPDF maps the hyphen glyphs of a continuation marker '--1/2' to U+00AD."""
    assert normalize("活化歷史街區\u00ad\u00ad1/2") == "活化歷史街區--1/2"


def test_fullwidth_punctuation_is_kept_in_names():
    name = "本府防範惡意電子郵件社交工程演練結果，未開啟信件率（含共餐）「攜手校園」。"
    assert normalize(name) == name


def test_wrapped_cjk_lines_join_without_space():
    assert join_wrapped(["公式調", "整不適", "用"]) == "公式調整不適用"


def test_spaces_between_latin_words_are_kept():
    assert join_wrapped(["Smart City", "Taipei 推動"]) == "Smart City Taipei推動"
    assert join_wrapped(["1999 陳情案", "件結案率"]) == "1999陳情案件結案率"


def test_a_wrap_inside_a_code_joins_without_a_space():
    assert join_wrapped(["推動方案A", "C2.1.2臺東縣長者共餐"]) == "推動方案AC2.1.2臺東縣長者共餐"
    assert join_wrapped(["實施計畫B", "P1.1.3高雄市"]) == "實施計畫BP1.1.3高雄市"
    assert join_wrapped(["KPI", "Report"]) == "KPI Report", "two words stay two words"
