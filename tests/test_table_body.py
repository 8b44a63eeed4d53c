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
    uncoded = drawn(word("志工人數", 62, 469.4, size=5.6), word("志工招募計畫", 250, 469.4, size=5.6))
    assert _kept(row + uncoded, closed).endswith("志工人數志工招募計畫"), "a row in several cells stays"


def test_a_label_in_a_merged_cell_drawn_on_past_the_closing_rule_is_the_table_s():
    """html2canvas cuts a 構面 cell spanning a page break at the page's foot: its borders run on
    past the rule under the page's last row, and its label '學習成長構面', centred on the whole
    cell, stands under that rule. It is the cell's; a note under the rule with no cell drawn
    round it is not."""
    perspective = Column(Role.PERSPECTIVE, 20, 60, span=(20, 60))
    layout = TableLayout((perspective, KPI, PLANS), header_top=64, body_top=76)
    row = drawn(word("BL1.2資安演練", 62, 700, size=8))
    label = drawn(word("學習", 24, 770, size=8), word("成長", 24, 780, size=8))
    closing = [Rule(742, 20, 533)]
    cell = [Rule(20.3, 631, 932), Rule(51.6, 631, 932), Rule(113.6, 681, 742.8)]
    kept = "".join(g.text for g in body_glyphs(row + label, layout, 76, 842, closing, 842, cell))
    assert "學習成長" in kept
    kept = "".join(g.text for g in body_glyphs(row + label, layout, 76, 842, closing, 842, cell[2:]))
    assert "學習" not in kept


def test_a_label_under_a_closing_rule_that_leaves_its_column_open_is_the_table_s():
    """ConTeXt rules off the page's last row under a 策略目標 cell spanning a page break, the rule
    drawn past the cell only, and centres the cell's label on the cell's whole height, on that
    rule. The label is the cell's; under a rule drawn across its column too, it is not."""
    objective = Column(Role.OBJECTIVE, 20, 60, span=(20, 60))
    layout = TableLayout((objective, KPI, PLANS), header_top=64, body_top=76)
    row = drawn(word("CC1.1逾期件數", 62, 700, size=8))
    label = drawn(word("CC1縮短", 22, 738.2, size=8))

    def kept(closing: list[Rule]) -> str:
        return "".join(g.text for g in body_glyphs(row + label, layout, 76, 842, closing, 842, []))

    assert "CC1縮短" in kept([Rule(742, 60, 533)])
    assert "縮短" not in kept([Rule(742, 20, 533)])
