"""Value cells: numbers, units, comparators, status notes and notes beside numbers."""

import pytest

from pipeline.clean.values import parse_value
from pipeline.model import Status


@pytest.mark.parametrize(
    ("raw", "value", "unit", "comparator"),
    [
        ("75.0%", 75.0, "%", None),
        ("88%", 88.0, "%", None),
        ("11,469", 11469.0, None, None),
        ("5.2", 5.2, None, None),
        ("11.0", 11.0, None, None),
        ("2,000人次", 2000.0, "人次", None),
        ("11場", 11.0, "場", None),
        ("≧85%", 85.0, "%", ">="),
        ("≥1", 1.0, None, ">="),
        ("≦15", 15.0, None, "<="),
        ("≤2.2", 2.2, None, "<="),
        ("90.0\n%", 90.0, "%", None),
        ("1,191,36\n4", 1191364.0, None, None),
        ("８５．０％", 85.0, "%", None),
        ("1,345,666元", 1345666.0, "元", None),
        ("≧\n92.3%", 92.3, "%", ">="),
        ("609人\n次", 609.0, "人次", None),
    ],
)
def test_numbers(raw, value, unit, comparator):
    cell = parse_value(raw)
    assert (cell.value, cell.unit, cell.comparator, cell.status, cell.note) == (
        value,
        unit,
        comparator,
        Status.REPORTED,
        None,
    )
    assert cell.raw_text == raw


@pytest.mark.parametrize(
    ("raw", "note"),
    [
        ("公式調整不適用", "公式調整"),
        ("新指標不適用", "新指標"),
        ("換屆不適用", "換屆"),
        ("指標調整不適用", "指標調整"),
        ("新指標調整不適用", "新指標調整"),
        ("不適用", None),
        ("換屆不適用用", "換屆"),
        ("公式調\n整不適\n用", "公式調整"),
        ("新指標不適⽤", "新指標"),
        ("公式調整不適", "公式調整"),
        ("(新指標)不適用", "新指標"),
    ],
)
def test_status_notes(raw, note):
    cell = parse_value(raw)
    assert (cell.value, cell.status, cell.note) == (None, Status.NOT_APPLICABLE, note)


@pytest.mark.parametrize(
    ("raw", "value", "unit", "note"),
    [
        ("4,912 (調整計算方式)", 4912.0, None, "調整計算方式"),
        ("4,912\n(調整計\n算方式)", 4912.0, None, "調整計算方式"),
        ("10,236人次(調整計算方式)", 10236.0, "人次", "調整計算方式"),
        ("79.9%(整修停租)", 79.9, "%", "整修停租"),
        ("2,764人次（修正數據）", 2764.0, "人次", "修正數據"),
    ],
)
def test_numbers_with_notes(raw, value, unit, note):
    cell = parse_value(raw)
    assert (cell.value, cell.unit, cell.status, cell.note) == (value, unit, Status.REPORTED, note)


@pytest.mark.parametrize("raw", ["", "  ", "\n", "-", "—"])
def test_empty_cells_are_missing(raw):
    cell = parse_value(raw)
    assert (cell.value, cell.status, cell.note) == (None, Status.MISSING, None)


def test_unparseable_text_is_kept_as_a_note():
    cell = parse_value("詳見附件")
    assert (cell.value, cell.status, cell.note) == (None, Status.MISSING, "詳見附件")
