"""Table bodies: what belongs to the table below its closing rule."""

from __future__ import annotations

from glyphs import glyph, word

from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.table import _overflow_below

PERSPECTIVE = Column(Role.PERSPECTIVE, 0, 40)
KPI = Column(Role.KPI, 40, 200)
PLANS = Column(Role.PLANS, 200, 400)
LAYOUT = TableLayout((PERSPECTIVE, KPI, PLANS), header_top=0, body_top=20)


def test_text_overflowing_two_columns_on_one_line_is_taken_column_by_column():
    """A stacked label's last letter and a plan's last line overflow the closing rule (at 100)
    on the same baseline; a note further down stays out."""
    stacked = [glyph(letter, 15, 50 + 10 * i) for i, letter in enumerate("學習成長構")]  # one letter a line
    kept = [*stacked[1:], *word("DL1.1.3公務人員終", 210, 90)]
    overflow = [*word("面", 15, 101), *word("身學習實施計畫", 210, 101)]
    note = word("資料來源：本所", 60, 160)
    taken = _overflow_below([*kept, *overflow, *note], kept, 100, LAYOUT)
    assert sorted(g.text for g in taken) == sorted("面身學習實施計畫")
