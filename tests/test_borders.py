"""Text set across a cell's drawn border: a number overflowing its value cell goes whole to the
cell holding most of it; other text so set is no number's, and is left to the nets."""

from __future__ import annotations

from glyphs import clipped, drawn, word

from pipeline.extract.borders import (
    border_crossings,
    close_pairs,
    hanging_punctuation,
    numbers_over_borders,
    tails_over_borders,
)
from pipeline.extract.geometry import Glyph
from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.rules import Rule
from pipeline.extract.unread_columns import runs_across_borders

TARGET = Column(Role.TARGET, 484, 524, year=111)
NOTES = Column(Role.EXTRA, 524, 595)
LAYOUT = TableLayout((Column(Role.ACTUAL, 443, 484, year=110), TARGET, NOTES), header_top=40, body_top=80)
BORDER = Rule(524, 60, 300)


def test_a_number_run_past_its_cell_s_border_goes_whole_to_its_cell():
    """Aspose.HTML does not break '≧1,260,816元' in a narrow 目標值 cell: its last digit is
    printed past the border (at 524) into the 備註 cell, glued to the digit before it."""
    value = word("≧1,260,816", 485, 175, size=4.2)  # '6' at 522.8..527
    note = word("新增", 535, 175, size=4.2)
    glyphs = drawn(value, note)
    homes = numbers_over_borders(glyphs, LAYOUT, [BORDER], 100, 200)
    assert {g.text for g in glyphs if id(g) in homes} == {"6"} and set(homes.values()) == {TARGET}
    assert runs_across_borders(glyphs, LAYOUT, [BORDER], 100, 200) == ()


def test_text_glued_across_a_border_that_is_no_number_is_not_moved():
    """A word cut by a border, or a note's digits running on from its own cell, is no value's
    overflow: nothing moves and the net still reports it."""
    name = drawn(word("新指標調整不", 502, 175, size=4.2))  # '調' over the border at 524
    assert numbers_over_borders(name, LAYOUT, [BORDER], 100, 200) == {}
    assert runs_across_borders(name, LAYOUT, [BORDER], 100, 200) != ()
    note = drawn(word("12345678", 518, 175, size=4.2))  # most of it in 備註: a note's, not a value's
    assert numbers_over_borders(note, LAYOUT, [BORDER], 100, 200) == {}
    assert runs_across_borders(note, LAYOUT, [BORDER], 100, 200) != ()


def test_a_unit_glued_past_its_cell_s_border_goes_with_its_number():
    """rinohtype sets '≧1,454,574元' on one line in a narrow 目標值 cell: the unit '元' stands a
    fifth inside the cell, the rest past the border. The number's unit is the number's cell's."""
    value = word("≧4,574元", 497.3, 175, size=4.2)  # '元' at 522.5..526.7
    glyphs = drawn(value, word("新增", 535, 175, size=4.2))
    homes = numbers_over_borders(glyphs, LAYOUT, [BORDER], 100, 200)
    assert {g.text for g in glyphs if id(g) in homes} == {"元"} and set(homes.values()) == {TARGET}


def test_words_glued_to_a_number_across_a_border_are_no_unit():
    """Four ideographs after a digit are words (a name '第2期工程' cut by the border), not a unit."""
    name = drawn(word("12期工程說明", 514, 175, size=4.2))  # '期' over the border at 524
    assert numbers_over_borders(name, LAYOUT, [BORDER], 100, 200) == {}


def test_two_values_meeting_across_a_border_are_each_their_own_cell_s():
    """rinohtype right-aligns '1285104元' in a 目標值 cell too narrow for it: its first digit runs
    left over the border (at 484) up to the 110 value's unit. Each value is read whole in its own
    cell; a digit right after words, or after a digit, across the border is still reported."""
    border = Rule(484, 60, 300)
    values = drawn(word("1236938元", 448.9, 175, size=4.2), word("1285104元", 482.5, 175, size=4.2))
    assert runs_across_borders(values, LAYOUT, [border], 100, 200) == ()
    percent = drawn(word("93.7%", 461.5, 175, size=4.2), word("94.1%", 482.5, 175, size=4.2))
    assert runs_across_borders(percent, LAYOUT, [border], 100, 200) == ()
    words = drawn(word("每年度第", 465.7, 175, size=4.2), word("1季", 482.5, 175, size=4.2))
    assert runs_across_borders(words, LAYOUT, [border], 100, 200) == ("第|1",)
    digits = drawn(word("1236938", 453.1, 175, size=4.2), word("1285104", 482.5, 175, size=4.2))
    assert runs_across_borders(digits, LAYOUT, [border], 100, 200) == ("8|1",)


def test_a_run_set_edge_to_edge_over_a_border_near_a_glyph_s_side_runs_across_it():
    """R's grid draws a plan line wider than its cell: 'CP1.1.2' ends with its '2' just past the
    border, the rule 0.43 pt inside the '2''s box (outside the middle of its ink), the '.' before
    it set edge to edge. That is one run over the border, the plans cell's '2', not the 備註
    cell's: its tail goes back to its cell. Two cells' text a hair apart across the border is
    no run."""
    plans = Column(Role.PLANS, 400, 524)
    layout = TableLayout((plans, NOTES), header_top=40, body_top=80)
    over = Rule(524.43, 60, 300)
    code = drawn(_half_em("CP1.1.2", 497))  # the '2' at 524 .. 528.5
    assert border_crossings(code, layout, [over], 100, 200) == [(code[-2], code[-1])]
    assert tails_over_borders([(code[-2], code[-1])], code, layout, 100, 200) == {id(code[-1]): plans}
    assert runs_across_borders(code, layout, [over], 100, 200) == ()
    apart = drawn(_half_em("CP1.1.", 497), _half_em("2", 524.3))
    assert runs_across_borders(apart, layout, [over], 100, 200) == ()
    # calibre's footer '平鎮' over the grid's rule, 0.5 pt before the letters meet: no code, no cell's text
    footer = drawn(word("平鎮", 516.5, 175, size=8))
    assert runs_across_borders(footer, layout, [over], 100, 250) == ()


def _half_em(text: str, x0: float) -> list[Glyph]:
    """`text` in 9 pt type, each letter's box half an em wide (a Latin monospace font)."""
    return [Glyph(ch, x0 + i * 4.5, x0 + (i + 1) * 4.5, 175, 184, 9.0, False) for i, ch in enumerate(text)]


def test_a_comparator_set_over_a_border_before_its_number_is_no_run_across_it():
    """rinohtype right-aligns '≥1390429元' in a 目標值 cell too narrow for it: its '≥' stands
    over the border, its middle just left of it, right after the 112 value's unit. A comparator
    opens the number after it (and goes to its cell): nothing runs across the border."""
    border = Rule(484, 60, 300)
    values = drawn(word("1359758元", 448.9, 175, size=4.2), word("≥1390429元", 481.8, 175, size=4.2))
    assert runs_across_borders(values, LAYOUT, [border], 100, 200) == ()


def test_a_line_clipped_to_its_cell_and_run_on_past_the_border_is_its_cell_s():
    """R's gridExtra clips each cell's text to its cell: a 目標值 cell's note '調整計算方式' set
    wider than the cell runs on past the border at 524, its '方' cut by it, its '式' hidden in the
    備註 cell. Their clip says whose they are: no run across the border. Unclipped, it is one."""
    note = word("調整計算方式", 486, 175, size=8)  # '方' at 518..526 over the border, '式' past it
    assert runs_across_borders(drawn(note), LAYOUT, [BORDER], 100, 200) != ()
    assert runs_across_borders(drawn(clipped(note, 484, 524, 170, 190)), LAYOUT, [BORDER], 100, 200) == ()


def test_a_percentage_ending_a_text_cell_run_over_its_border_goes_back_to_that_cell():
    """pdfLaTeX does not break '填答人數×100%' in a narrow 衡量方式 cell: its '0%' is printed past
    the border into the 107 value cell. The number begins glued to the cell's words: it is that
    cell's, not a value, and nothing is left run across the border. A value set wider than its cell,
    right-aligned, mostly in its own cell, stays a value."""
    measure = Column(Role.EXTRA, 145, 165)
    actual = Column(Role.ACTUAL, 165, 198, year=107)
    layout = TableLayout((measure, actual), header_top=40, body_top=80)
    border = Rule(165, 60, 300)
    text = drawn(word("數×100%", 150, 175, size=4.2), word("82.3%", 186, 175, size=4.2))  # '0' at 162.6..166.8
    homes = numbers_over_borders(text, layout, [border], 100, 200)
    assert sorted(g.text for g in text if id(g) in homes) == ["%", "0"] and set(homes.values()) == {measure}
    assert runs_across_borders(text, layout, [border], 100, 200) == ()
    value = drawn(word("新增", 153.6, 120, size=4.2), word("95.5%", 162, 120, size=4.2))  # '9' over the border
    homes = numbers_over_borders(value, layout, [border], 100, 200)
    assert [g.text for g in value if id(g) in homes] == ["9"] and set(homes.values()) == {actual}


def test_a_line_s_short_tail_run_on_past_its_text_cell_s_border_goes_back_to_that_cell():
    """R's grid neither wraps nor clips a plans line: 'DC1.2.' ends with its '.' over the border,
    the middle of its ink past it, and nothing glued after it (the code goes on, '2', on the next
    line). The tail is the plans cell's, and nothing runs across the border. A cell's text whose
    first letter a re-print set over its border goes on long in its own cell: it is no tail,
    and is still reported."""
    plans = Column(Role.PLANS, 400, 524)
    layout = TableLayout((plans, NOTES), header_top=40, body_top=80)
    border = Rule(524, 60, 300)
    line = drawn(_half_em("計畫DC1.2.", 491.6))  # the '.' at 522.6 .. 527.1
    moved = tails_over_borders(border_crossings(line, layout, [border], 100, 200), line, layout, 100, 200)
    assert moved == {id(line[-1]): plans}
    assert runs_across_borders(line, layout, [border], 100, 200) == ()
    reprinted = drawn(_half_em("AB", 510), word("新指標調整不適用", 519, 175, size=9))  # "新" over the border
    assert runs_across_borders(reprinted, layout, [border], 100, 200) != ()
    longer = drawn(_half_em("計畫DC1.2.2臺南", 490.25))  # ".2臺南" past the border
    assert runs_across_borders(longer, layout, [border], 100, 200) != ()


def _digits(text: str, x0: float) -> list[Glyph]:
    """`text` as LibreOffice sets full-width digits: 4.8 pt apart, a comma 1.4 pt wide."""
    placed, x = [], x0
    for ch in text:
        width = 1.4 if ch == "," else 4.8
        placed.append(Glyph(ch, x, x + width, 175, 184, 4.8, False))
        x += width + 0.3
    return placed


def test_a_comma_hung_past_its_value_cell_s_border_goes_back_to_that_cell():
    """LibreOffice wraps '1,400,569元' after a comma it lets hang past the line's end: the ','
    begins a quarter point inside the 110 cell's border (at 484), its ink past it, where the
    next year's '1,428' would read ',1,428'. It is the 110 cell's. A comma that begins past the
    border, or has text glued after it, is some other cell's."""
    actual = LAYOUT.columns[0]
    hung = _digits("1,400,", 461.65)
    assert hung[-1].x0 < 484 < hung[-1].ink_cx
    glyphs = drawn(hung, word("1,428", 487.5, 175, size=4.8))
    assert hanging_punctuation(close_pairs(glyphs, 100, 200), LAYOUT) == {id(glyphs[5]): actual}
    past = drawn(_digits("1,400", 462), _digits(",", 484.3))
    assert hanging_punctuation(close_pairs(past, 100, 200), LAYOUT) == {}
    glued_on = drawn(_digits("1,400,5", 461.65))
    assert hanging_punctuation(close_pairs(glued_on, 100, 200), LAYOUT) == {}
