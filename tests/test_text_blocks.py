"""A continued table its tool laid out afresh, narrower: columns told by the page's own blocks of
text when the edges fitted from the page before cut its words."""

from __future__ import annotations

from glyphs import word

from pipeline.extract.geometry import group_lines
from pipeline.extract.gutters import table_text
from pipeline.extract.layout import Column, Role
from pipeline.extract.text_blocks import block_edges, cuts_a_word

COLUMNS = [
    Column(Role.OBJECTIVE, 0, 100),
    Column(Role.KPI, 100, 220),
    Column(Role.EXTRA, 220, 280),
    Column(Role.ACTUAL, 280, 340, year=111),
    Column(Role.TARGET, 340, 400, year=112),
    Column(Role.PLANS, 400, 600),
]


def _row(*cells: tuple[str, float]) -> list:
    return [g for text, x0 in cells for g in word(text, x0, 100, 10)]


def test_blocks_from_the_kpi_code_on_give_the_edges():
    """jsPDF-autotable's second call: the objective cell blank, each cell standing under the place
    of the column before. Fitted, the target edge at 400 cuts the plan '高雄市區民活動'; from the
    blocks, each column takes its own cell."""
    glyphs = _row(("BF2.2經常門", 60), ("10%", 160), ("100", 215), ("120", 262), ("高雄市區民活動", 340))
    body = table_text(glyphs, COLUMNS, 90, 200)
    fitted = [100, 220, 280, 340, 400]
    assert cuts_a_word(fitted, body.lines)
    assert block_edges(COLUMNS, body, fitted) == [60, 150, 202.5, 253.5, 316]


def test_blocks_not_one_to_each_column_leave_the_fitted_edges():
    """A blank value cell makes one block fewer than columns: which one is blank cannot be told."""
    glyphs = _row(("BF2.2經常門", 60), ("10%", 160), ("120", 262), ("高雄市區民活動", 340))
    body = table_text(glyphs, COLUMNS, 90, 200)
    assert block_edges(COLUMNS, body, [100, 220, 280, 340, 400]) is None


def test_words_apart_or_edges_between_words_are_no_cut():
    lines = group_lines(_row(("高雄市區", 300), ("民活動", 360)))  # 高雄市區 ends at 340
    assert not cuts_a_word([350], lines)
    assert cuts_a_word([322], lines)
    assert not cuts_a_word([322], group_lines(_row(("12345", 300))))
