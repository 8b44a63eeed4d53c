"""A table body's own text: what of its region belongs to its cells."""

from __future__ import annotations

from glyphs import drawn, word

from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.rules import Rule
from pipeline.extract.table_body import body_glyphs

KPI = Column(Role.KPI, 60, 240, span=(60, 240))
PLANS = Column(Role.PLANS, 240, 530, span=(240, 530))
LAYOUT = TableLayout((KPI, PLANS), header_top=64, body_top=76)


def _kept(glyphs, rules: list[Rule]) -> str:
    return "".join(g.text for g in body_glyphs(glyphs, LAYOUT, 76, 488, rules, 842))


def test_the_lower_slide_s_header_under_a_two_up_page_s_closed_table_is_no_cell_s():
    """Two slides printed on one page: the upper slide's table closes at 158.9, the lower one's
    header band opens at 484.6, and the lower slide's running header ('平衡計分卡', flush right
    over the plans column) stands between them, 300 points under the table's last text. Without
    the closing rule under the table, or set a line under it, the same words are the last row's."""
    row = drawn(word("AF1.1收支比", 62, 140, size=5.6), word("AF1.1.1經營管理計畫", 250, 140, size=5.6))
    header = drawn(word("平衡計分卡", 497, 469.4, size=5.6))
    closed = [Rule(135.1, 62, 533), Rule(158.9, 62, 533), Rule(484.6, 62, 533)]
    assert _kept(row + header, closed) == "AF1.1收支比AF1.1.1經營管理計畫"
    assert _kept(row + header, [Rule(135.1, 62, 533), Rule(484.6, 62, 533)]).endswith("平衡計分卡")
    near = drawn(word("平衡計分卡", 497, 162, size=5.6))
    assert _kept(row + near, closed).endswith("平衡計分卡")
