"""Reading a page: text a table's header took in is reported, never dropped in silence."""

from __future__ import annotations

from glyphs import word

from pipeline.extract.geometry import group_lines
from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.parse import _codes_in_header

LAYOUT = TableLayout((Column(Role.KPI, 0, 300),), header_top=40, body_top=80)


def test_a_data_row_inside_the_header_band_is_reported():
    lines = group_lines([*word("KPI", 10, 42), *word("AC1.1線上申辦", 10, 60), *word("88%", 200, 60)])
    assert _codes_in_header(lines, LAYOUT) == ("AC1.1線上申辦",)


def test_a_header_alone_reports_nothing():
    lines = group_lines(
        [*word("KPI(關鍵績效指標)", 10, 42), *word("110年實際值", 200, 42), *word("AC1.1出席率", 10, 90)]
    )
    assert _codes_in_header(lines, LAYOUT) == ()
