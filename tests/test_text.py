"""Character normalisation: radicals, compatibility ideographs, full-width digits, wrapped lines."""

import unicodedata
from importlib import resources

import pytest

from pipeline.text import join_wrapped, normalize, radical_table


def _table_lines() -> list[tuple[str, str]]:
    """(source field, target) of every mapping line in the shipped Unicode data file."""
    text = resources.files("pipeline").joinpath("data/EquivalentUnifiedIdeograph.txt").read_text(encoding="utf-8")
    entries = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            source, target = (p.strip() for p in line.split(";"))
            entries.append((source, target))
    return entries


def test_data_file_ships_with_its_unicode_header():
    text = resources.files("pipeline").joinpath("data/EquivalentUnifiedIdeograph.txt").read_text(encoding="utf-8")
    assert text.startswith("# EquivalentUnifiedIdeograph-")
    assert "© 2021 Unicode®, Inc." in text


def test_every_entry_of_the_table_maps_to_its_ideograph():
    entries = _table_lines()
    assert len(entries) > 300
    checked = 0
    for source, target in entries:
        first, _, last = source.partition("..")
        for code in range(int(first, 16), int(last or first, 16) + 1):
            assert normalize(chr(code)) == chr(int(target, 16)), f"U+{code:04X}"
            checked += 1
    assert checked == len(radical_table())


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


def test_fullwidth_punctuation_is_kept_in_names():
    name = "本府防範惡意電子郵件社交工程演練結果，未開啟信件率（含共餐）「攜手校園」。"
    assert normalize(name) == name


def test_wrapped_cjk_lines_join_without_space():
    assert join_wrapped(["公式調", "整不適", "用"]) == "公式調整不適用"


def test_spaces_between_latin_words_are_kept():
    assert join_wrapped(["Smart City", "Taipei 推動"]) == "Smart City Taipei推動"
    assert join_wrapped(["1999 陳情案", "件結案率"]) == "1999陳情案件結案率"
