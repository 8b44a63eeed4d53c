"""Spanning cells (構面, 策略目標): a turned label centred on a tall block is read whole, even
where it overhangs the table body's edges; stacked labels overflowing into each other are read
by the runs they were drawn in."""

from __future__ import annotations

from glyphs import column, drawn, glyph, word

from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.rules import Rule
from pipeline.extract.spans import Block, column_blocks, pick_block, rest_above
from pipeline.extract.table_body import body_glyphs

PERSPECTIVE = Column(Role.PERSPECTIVE, 0, 40, span=(0, 40))
KPI = Column(Role.KPI, 40, 300, span=(40, 300))
LAYOUT = TableLayout((PERSPECTIVE, KPI), header_top=50, body_top=80)


def test_a_turned_label_overhanging_the_body_top_is_taken_whole():
    label = column("學習成長", 15, 70, upward=True)  # centred at 90, its first glyph at 70..80 above the body
    above = column("財務", 15, 0, upward=True)  # the page before's label, centred in the header band
    rows = [*word("BL1.1同仁學習時數", 50, 82), *word("BL1.2出席率", 50, 100)]
    body = body_glyphs([*label, *above, *rows], LAYOUT, 80, 200, [], 540)
    assert sorted(g.text for g in body if g.rotated) == sorted("學習成長")
    blocks, ruled = column_blocks(body, PERSPECTIVE, [], (80, 200), False, [82, 100])
    assert not ruled and [b.text for b in blocks] == ["學習成長"]


def _stacked(text: str, top: float) -> list:
    """An upright label set one letter a line (a spreadsheet's stacked text), 13 pt apart."""
    return [g for i, letter in enumerate(text) for g in word(letter, 15, top + 13 * i)]


def test_stacked_labels_printed_into_each_other_are_told_apart_by_drawing_order():
    """Two stacked labels centred on short ruled cells (edge at 120) overflow into each other:
    by position their letters interleave ('內部流學程習成長'); each was drawn as one run."""
    inner, learning = _stacked("內部流程", 80), _stacked("學習成長", 108)
    body = drawn(inner, learning)
    rules = [Rule(p, 0, 300) for p in (80, 120, 160)]
    blocks, ruled = column_blocks(body, PERSPECTIVE, rules, (80, 160), False, [82, 122])
    assert ruled and [b.text.replace("\n", "") for b in blocks] == ["內部流程", "學習成長"]


def test_a_stacked_label_its_cell_cut_short_ends_where_the_next_label_begins():
    """LibreOffice Calc clips a stacked '學習成長構面' at its short cell's foot, so its '面' is
    hidden and read nowhere; '財務構面' below starts right under its '構'. '學習成長構' is a whole
    name cut short and '財' goes on with no label: two labels, not one '學習成長構財務構面'."""
    body = drawn(_stacked("學習成長構", 80), _stacked("財務構面", 145))
    blocks, ruled = column_blocks(body, PERSPECTIVE, [], (80, 200), False, [82, 150])
    assert not ruled and [b.text.replace("\n", "") for b in blocks] == ["學習成長構", "財務構面"]


def test_letters_piled_on_one_spot_stay_one_label():
    """A label whose letters a PDF maker printed on one spot overlap one another: each letter is
    drawn over the last, none is a label of its own."""
    piled = drawn([glyph(letter, 15, 100 + 0.3 * i) for i, letter in enumerate("內部流程")])
    blocks, _ = column_blocks(piled, PERSPECTIVE, [], (80, 160), False, [82])
    assert len(blocks) == 1 and blocks[0].piled and sorted(blocks[0].text) == sorted("內部流程")


def test_a_stacked_label_overhanging_the_body_top_is_taken_whole():
    """A stacked label drawn as one run, centred on a short first row, overhangs the rule under
    the header (at 80) by its first letter; the header's own '構面' above stays out."""
    header = [*word("構面", 10, 55), *word("衡量指標", 50, 55)]  # drawn cell by cell, row by row
    label = _stacked("顧客構面", 72)  # 72..124: its middle (98) is in the body
    rows = word("BC1.1民眾滿意度", 50, 86)
    body = body_glyphs(drawn(header, label, rows), LAYOUT, 80, 200, [], 540)
    assert sorted(g.text for g in body if PERSPECTIVE.holds(g)) == sorted("顧客構面")
    blocks, _ = column_blocks(body, PERSPECTIVE, [], (80, 200), False, [86])
    assert [b.text.replace("\n", "") for b in blocks] == ["顧客構面"]


def test_a_stacked_label_overhanging_the_body_top_stays_whole_in_a_ruled_column():
    """The same label in ruled cells (the first row's closing rule at 130, under its last letter):
    the letter above the body's top is the first cell's, not lost above the first segment."""
    header = [*word("構面", 10, 55), *word("衡量指標", 50, 55)]
    label = _stacked("顧客構面", 72)
    rows = [*word("BC1.1民眾滿意度", 50, 86), *word("BC1.2出席率", 50, 136)]
    body = body_glyphs(drawn(header, label, rows), LAYOUT, 80, 200, [], 540)
    rules = [Rule(p, 0, 300) for p in (80, 130, 200)]
    blocks, ruled = column_blocks(body, PERSPECTIVE, rules, (80, 200), False, [86, 136])
    assert ruled and [b.text.replace("\n", "") for b in blocks] == ["顧客構面", ""]


def test_a_row_stretched_past_its_text_keeps_the_cell_at_its_top():
    """Two slides on one handout page: the upper slide's last row (from 148) reaches down to the
    lower slide's first row (at 496), across the blank between them, which its rules make a
    blank block. The 構面 cell that begins at the row's top is the row's, though it covers less."""
    blocks = [Block(133, 148, "顧客"), Block(148, 176, "內部流程"), Block(176, 496, ""), Block(496, 524, "")]
    assert pick_block(blocks, 148, 496, "BP1.1", by_prefix=False) == "內部流程"
    assert pick_block(blocks, 496, 524, "BP2.1", by_prefix=False) == ""


def test_a_label_level_with_its_own_rows_first_line_keeps_its_cell():
    """pdfmake (line height 1.3, printed two slides to a page) sets AC1's label on AC1.1's first
    line, 3.35 pt under the rule at 556.9, just over an em of its 3.34 pt type: the row above
    (AF1.2) leaves its objective blank, and the label happens to lie near the middle of both
    cells together. Level with its own row's first line, it is that row's label alone."""
    objective = Column(Role.OBJECTIVE, 55, 117, span=(55, 117))
    glyphs = [*word("AF1健全財務", 57, 502.5, size=3.34), *word("AC1縮短等候", 57, 560.25, size=3.34)]
    rules = [Rule(p, 0, 595) for p in (499.1, 528.1, 556.9, 592.0)]
    blocks, ruled = column_blocks(glyphs, objective, rules, (499.1, 592.0), True, [502.5, 531.5, 560.25])
    assert ruled and [(b.top, b.text) for b in blocks] == [(499.1, "AF1健全財務"), (528.1, ""), (556.9, "AC1縮短等候")]


def test_uncoded_text_ruled_off_above_the_rows_coded_objective_is_the_objective_before():
    """Calligra breaks AL1.1's row over a page: '性', the end of its objective, stands in a ruled
    cell atop the next page, above AF1.1's own 'AF1 開源節流…', in the row AF1.1 stretches over."""
    blocks = [Block(43, 58, "性"), Block(58, 87, "AF1\n開源節流撙節支出"), Block(87, 117, "")]
    assert pick_block(blocks, 43, 87, "AF1.1", by_prefix=False) == "AF1\n開源節流撙節支出"
    assert rest_above(blocks, 43, 87, "AF1.1") == "性"
    assert rest_above(blocks, 87, 117, "AF1.2") is None, "its cell is the coded one's"
    coded_above = [Block(43, 58, "AL1\n警覺性"), Block(58, 87, "AF1\n開源節流撙節支出")]
    assert rest_above(coded_above, 43, 87, "AF1.1") is None, "a coded objective is no objective's end"


def test_lines_of_one_label_set_at_loose_leading_stay_one_label():
    """Flying Saucer sets Noto CJK's lines 2.86 em apart (its leading from the font's box): a
    stacked '顧' / '客' / '構' / '面' and a coded objective's wrapped name ('AC1提升櫃檯服務效' /
    '能') are one label each, their lines 1.9 em apart. Lines that far apart which go on with no
    label ('學習成長', then '財務' spelled in full) stay two labels."""
    loose = [g for i, letter in enumerate("顧客構面") for g in word(letter, 15, 100 + 29 * i)]
    loose += [g for i, letter in enumerate("學習成長") for g in word(letter, 15, 230 + 29 * i)]
    blocks, _ = column_blocks(loose, PERSPECTIVE, [], (80, 400), False, [100, 230])
    assert [b.text.replace("\n", "") for b in blocks] == ["顧客構面", "學習成長"]
    objective = Column(Role.OBJECTIVE, 40, 200, span=(40, 200))
    wrapped = [*word("AC1提升櫃檯服務效", 45, 100), *word("能", 45, 129), *word("AC2增進使用效能", 45, 200)]
    blocks, _ = column_blocks(wrapped, objective, [], (80, 300), True, [100, 200])
    assert [b.text.replace("\n", "") for b in blocks] == ["AC1提升櫃檯服務效能", "AC2增進使用效能"]
    apart = [*word("學習成長", 15, 100), *word("財務", 15, 129)]  # two whole names, 1.9 em apart
    blocks, _ = column_blocks(apart, PERSPECTIVE, [], (80, 300), False, [100, 129])
    assert len(blocks) == 2


def test_a_code_set_tighter_than_its_letters_are_wide_stays_one_label():
    """Inkscape re-prints a deck in a wider face at the glyphs' old places: 'DL1' overlaps letter
    by letter, drawn one after the other along the line. That is one text set tight, not letters
    printed over each other: the objective keeps its code's 'D'."""
    objective = Column(Role.OBJECTIVE, 40, 140, span=(40, 140))
    label = drawn([*word("DL1", 45, 82, advance=0.55), *word("培育人才", 45, 95)])
    blocks, _ = column_blocks(label, objective, [], (80, 160), True, [82])
    assert [b.text.replace("\n", "") for b in blocks] == ["DL1培育人才"]


def test_turned_labels_set_from_their_cells_tops_and_run_on_down_keep_their_cells():
    """Spire.Presentation sets each turned 構面 label from near its ruled cell's top, and a long
    one runs on down past the cell's foot: '內部流程構面' starts in AP1.1's row and ends in
    AL1.1's, '學習成長構面' starts in AL1.1's and ends below the table. By their middles a row
    would hold no label and a label no row; by their tops each row's cell holds one."""
    labels = [
        *column("財務構面", 15, 90.4, size=8),
        *column("顧客構面", 15, 133.3, size=8),
        *column("內部流程構面", 15, 166.7, size=8),
        *column("學習成長構面", 15, 208.1, size=8),
    ]
    rules = [Rule(p, 0, 300) for p in (84.2, 128.6, 150.8, 173.0, 214.4)]
    blocks, ruled = column_blocks(labels, PERSPECTIVE, rules, (84.2, 257.0), False, [87, 109, 132, 154, 181])
    assert ruled and [(b.top, b.text) for b in blocks] == [
        (84.2, "財務構面"),
        (128.6, "顧客構面"),
        (150.8, "內部流程構面"),
        (173.0, "學習成長構面"),
    ]


def test_a_turned_label_centred_on_two_rows_whose_rules_cross_it_keeps_both():
    """A label centred on two rows whose row rule a tool ran across the merged cell: its top
    lies in the upper row's cell only, so tops tell nothing, and the cell stays merged."""
    labels = [*column("顧客構面", 15, 84, size=8), *column("財務構面", 15, 136, size=8)]
    rules = [Rule(p, 0, 300) for p in (80, 100, 130, 180)]
    blocks, ruled = column_blocks(labels, PERSPECTIVE, rules, (80, 180), False, [82, 102, 140])
    assert ruled and [(b.top, b.bottom, b.text) for b in blocks] == [(80, 130, "顧客構面"), (130, 180, "財務構面")]


def test_two_names_in_one_ruled_cell_mean_the_rules_are_not_the_column_s_borders():
    """Spire.Presentation draws a merged 構面 cell's borders a row off: '學習成長構面' (row AL1.1)
    and '財務構面' (rows AF1.1-AF2.1) both lie between the first two rules crossing the column,
    and the cells below hold none. The labels are then fitted to the rows, as without rules."""
    labels = [*column("學習成長構面", 15, 88, size=7), *column("財務構面", 15, 131, size=7)]
    rules = [Rule(p, 0, 300) for p in (150.8, 174.8)]
    blocks, ruled = column_blocks(labels, PERSPECTIVE, rules, (86.0, 198.8), False, [90, 130, 154, 178])
    assert not ruled and [b.text for b in blocks] == ["學習成長構面", "財務構面"]
