"""Full-width 構面 band rows, told from a cell's text that happens to read as a perspective."""

from __future__ import annotations

from glyphs import word

from pipeline.extract.bands import band_rows
from pipeline.extract.geometry import group_lines
from pipeline.extract.layout import Column, Role, TableLayout

LAYOUT = TableLayout(
    (
        Column(Role.OBJECTIVE, 30, 64, span=(30, 64)),
        Column(Role.KPI, 64, 125, span=(64, 125)),
        Column(Role.PLANS, 125, 300, span=(125, 300)),
    ),
    header_top=75,
    body_top=119,
)


def test_a_perspective_s_name_amid_an_objective_s_wrapped_lines_is_no_band_row():
    """PDF::Table wraps an objective two letters a line in a narrow cell: '健全' / '寺廟' / '財務' /
    '運作' at one pitch. '財務' is the name's middle, not a band row. A bare '財務' between a row's
    last line and the next row's first (a code, or a row's number), as tight, is one."""
    stacked = [*word("AF2", 33, 281), *word("AF2.1", 67, 281)]
    for n, text in enumerate(["健全", "寺廟", "財務", "運作"]):
        stacked += word(text, 33, 293.9 + 12.6 * n, size=9)
    assert band_rows(group_lines(stacked), LAYOUT) == []
    for opening in ("AC1", "3"):
        tight = [*word("寺廟", 33, 300, size=9), *word("財務", 33, 312.6, size=9), *word(opening, 33, 325.2, size=9)]
        assert [band.name for band in band_rows(group_lines(tight), LAYOUT)] == ["財務"]
