"""Nets under the columns that are not read: a read cell's run of text cut by a column edge is
reported, text merely standing next to it is not."""

from __future__ import annotations

from glyphs import drawn, word

from pipeline.extract.geometry import Glyph
from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.rules import Rule
from pipeline.extract.unread_columns import (
    runs_across_borders,
    runs_across_cells,
    runs_across_fitted_edges,
    runs_into_unread_columns,
    set_apart_before_unread_columns,
)

KPI = Column(Role.KPI, 100, 284)
NOTES = Column(Role.EXTRA, 284, 360)
ACTUAL = Column(Role.ACTUAL, 360, 420, year=110)
LAYOUT = TableLayout((KPI, NOTES, ACTUAL), header_top=40, body_top=80)


def test_a_name_whose_last_letter_falls_past_the_edge_is_reported():
    """'…滿意度' drawn in one run, its '度' past the edge at 284 into 備註 (AbiWord's run
    backgrounds once read as rules put the edge there)."""
    name = word("AC1.2市民滿意度", 194, 90, 10)  # '度' at 284..294
    note = word("配合市府政策", 300, 90, 10)
    assert runs_into_unread_columns(drawn(name, note), LAYOUT, 80, 200) == ("意|度",)


def test_a_note_standing_a_gutter_after_the_name_is_not_reported():
    name = word("AC1.2市民滿意", 184, 90, 10)  # ends at 274
    note = word("配合市府政策", 290, 90, 10)
    values = word("82%", 362, 90, 10)
    assert runs_into_unread_columns(drawn(name, note, values), LAYOUT, 80, 200) == ()


def test_a_table_without_unread_columns_has_nothing_to_report():
    layout = TableLayout((KPI, ACTUAL), header_top=40, body_top=80)
    name = word("AC1.2市民滿意度", 184, 90, 10)
    assert runs_into_unread_columns(drawn(name), layout, 80, 200) == ()


def test_a_bracket_or_a_band_label_touching_the_next_column_is_not_reported():
    """'（季）' in 衡量方式 whose full-width '）' box touches the next cell's '92%', and a band
    row's '內部流程構面' running across the columns: neither is a cell's word cut by an edge."""
    layout = TableLayout((KPI, NOTES, ACTUAL), header_top=40, body_top=80)
    note = word("平均（季）", 310, 90, 10)  # '）' at 350..360
    value = word("92%", 360, 90, 10)
    band = word("內部流程構面", 250, 120, 10)  # '程' at 280..290 crosses the edge at 284
    assert runs_into_unread_columns(drawn(note, value, band), layout, 80, 200) == ()


def test_a_percent_sign_run_past_an_unread_column_s_edge_is_reported():
    """pdfLaTeX overfills a 衡量方式 cell: its '數×100%' ends 5 pt past the edge (at 284), its '%'
    in the value cell, under whose '適用' it would end the note '公式調整不適用%'. A value's '%'
    run into a note column is cut off the same way; a note's '）' touching a value's first digit
    is not."""
    measure = word("數×100", 234, 90, 10)  # '0' at 274..284
    percent = word("%", 284.5, 90, 10)
    assert runs_into_unread_columns(drawn(measure + percent), LAYOUT, 80, 200) == ("0|%",)
    value_first = TableLayout((KPI, Column(Role.ACTUAL, 284, 340, year=110), Column(Role.EXTRA, 340, 420)), 40, 80)
    value = word("95", 320, 120, 10)  # '5' at 330..340, the note column's edge
    assert runs_into_unread_columns(drawn(value, word("%", 340, 120, 10)), value_first, 80, 200) == ("5|%",)
    bracket = drawn(word("平均（季）", 310, 150, 10), word("92%", 360, 150, 10))  # '）' at 350..360
    assert runs_into_unread_columns(bracket, LAYOUT, 80, 200) == ()


def test_a_number_its_cell_took_whole_across_the_edge_is_not_reported():
    """rinohtype sets '1,450,000元' wider than its year cell, right-aligned: its '1' stands past
    the cell's left edge, in 備註. Moved whole into the value cell (`placed`), the number is read
    right and nothing is cut; left where it stands, its '1' would be dropped with 備註."""
    value = word("1,450,000元", 354, 90, 6)  # '1' at 354..360, ',' at 360..366
    glyphs = drawn(value)
    assert runs_into_unread_columns(glyphs, LAYOUT, 80, 200) == ("1|,",)
    placed = {id(g): ACTUAL for g in glyphs}
    assert runs_into_unread_columns(glyphs, LAYOUT, 80, 200, placed) == ()


def test_a_run_of_text_a_drawn_border_passes_through_is_reported():
    """A pdftocairo re-print set the 112 cell's '新指標調整不' 6 pt left of its rule (at 412.3),
    which passes through '新'. Text set apart from the rule, even touching it, is not reported."""
    a111, a112 = Column(Role.ACTUAL, 351, 412.3, year=111), Column(Role.ACTUAL, 412.3, 473.5, year=112)
    layout = TableLayout((a111, a112), header_top=0, body_top=78)
    rule = Rule(412.3, 56, 236)
    crossing = drawn(word("37小時", 358, 129, size=9), word("新指標調整不", 406.2, 129, size=9))
    assert runs_across_borders(crossing, layout, [rule], 100, 200) == ("新|指",)
    apart = drawn(word("37小時", 358, 129, size=9), word("新指標調整不", 414.3, 129, size=9))
    assert runs_across_borders(apart, layout, [rule], 100, 200) == ()
    assert runs_across_borders(crossing, layout, [], 100, 200) == (), "no drawn border"
    # Chromium: a full-width '）' inks the left half of its box; the rule passes through the rest.
    bracket = drawn(word("（季）", 388, 129, size=9), word("1", 415.3, 129, size=9))
    assert runs_across_borders(bracket, layout, [rule], 100, 200) == ()
    # rinoh runs a value too wide for its cell past the border, the rule a fifth into its unit '元':
    # read whole with its number (see borders.numbers_over_borders). With a note glued on after the
    # unit ('元新指標調整', a re-print's wider face), what is unit and what is note cannot be told.
    digit, unit = Glyph("4", 405.7, 410.3, 129, 138, 9, False), Glyph("元", 410.2, 419.2, 129, 138, 9, False)
    assert runs_across_borders(drawn([digit], [unit]), layout, [rule], 100, 200) == ()
    note = word("新指標調整", 419.2, 129, size=9)
    assert runs_across_borders(drawn([digit], [unit], note), layout, [rule], 100, 200) == ("4|元",)


def test_a_band_label_a_drawn_border_passes_through_is_not_reported():
    """pdfLaTeX draws the objective column's rule through a band row's '內部流程構面' (a
    \\multicolumn over a booktabs table with rules): the band is read whole, as one label. An
    objective's words run on three letters past the rule are reported."""
    objective, kpi = Column(Role.OBJECTIVE, 38, 157), Column(Role.KPI, 157, 355)
    layout = TableLayout((objective, kpi), header_top=0, body_top=78)
    rule = Rule(157, 80, 330)
    band = drawn(word("內部流程構面", 44, 100, size=21.5))  # '面' 151.5..173: the rule through it
    assert runs_across_borders(band, layout, [rule], 90, 300) == ()
    name = drawn(word("AP1推動環境清潔維護工作", 44, 140, size=11))  # '護' 154..165: the rule through it
    assert runs_across_borders(name, layout, [rule], 90, 300) == ("維|護",)  # '護工作': no short tail


def test_a_unit_set_across_an_edge_the_header_draws_is_reported():
    """LibreOffice Draw re-printed a deck whose body draws no column rules in a wider face: '元'
    ended past the edge the header's fills draw at 412.3, touching the next cell's note. A
    column edge drawn in the header alone is a border too; an edge the header does not draw is
    the parser's guess, which the text itself placed."""
    a111, a112 = Column(Role.ACTUAL, 351, 412.3, year=111), Column(Role.ACTUAL, 412.3, 473.5, year=112)
    layout = TableLayout((a111, a112), header_top=40, body_top=78)
    header_fill = Rule(412.3, 40, 78, fill=True)
    value = [Glyph(d, 370.6 + 5 * i, 375.6 + 5 * i, 129, 138, 9, False) for i, d in enumerate("1285853")]
    unit = [Glyph("元", 408.1, 417.1, 129, 138, 9, False)]  # 2 pt after the '3' ending at 405.6
    note = word("新指標調整", 419.1, 129, size=9)
    assert runs_across_borders(drawn(value, unit, note), layout, [header_fill], 100, 200) == ("3|元",)
    assert runs_across_borders(drawn(value, unit, note), layout, [], 100, 200) == ()
    body_rule = Rule(412.3, 100, 200)  # a rule below the header is not the header's
    assert runs_across_borders(drawn(value, unit, note), layout, [Rule(300, 40, 78, fill=True)], 100, 200) == ()
    assert runs_across_borders(drawn(value, [], note), layout, [header_fill, body_rule], 100, 200) == ()


def test_a_note_set_apart_at_the_end_of_a_read_cell_is_reported():
    """R's gridExtra sets a 備註 note '新增' left-aligned 0.5 pt into its column, under a label
    centred further right; a column edge put at the label leaves the note in the KPI cell, a
    gutter after the cell's text and at its column's end. A line that merely fills its cell, and
    a short line ending well before the edge, are not reported."""
    layout = TableLayout((KPI, NOTES, ACTUAL), header_top=40, body_top=80)
    name = word("AC1.2市民滿意", 130, 90, 10)  # ends at 210
    note = word("新增", 266, 90, 10)  # ends at 286, over the edge at 284 by its last box
    full = word("AC2.1陳情案件逾期件數", 170, 110, 10)  # ends at 284, no gap
    short = word("AC2.2服務", 130, 130, 10)
    assert set_apart_before_unread_columns(drawn(name, note, full, short), layout, 80, 200) == ("新增",)
    assert set_apart_before_unread_columns(drawn(name, full, short), layout, 80, 200) == ()


def test_a_note_drawn_against_a_read_cell_s_line_after_its_next_line_is_reported():
    """R's gridExtra sets a plan past its cell, right against the next column's note: '…收入戶'
    then '5%' with no gap, the note drawn after the plan's next line ('總清查計畫'). Drawn in
    that order it is another cell's text glued on; a cell's own line drawn in one go, its next
    line after it, is not reported."""
    kpi, notes = Column(Role.KPI, 100, 300), Column(Role.EXTRA, 300, 360)  # the edge put past the note
    layout = TableLayout((kpi, notes, ACTUAL), header_top=40, body_top=80)
    line = word("AC1.2低收入戶", 194, 90, 10)  # ends at 284
    note = word("5%", 284, 90, 10, advance=0.5)  # ends at 299
    below = word("總清查計畫", 174, 102, 10)
    assert set_apart_before_unread_columns(drawn(line, below, note), layout, 80, 200) == ("5%",)
    assert set_apart_before_unread_columns(drawn(line, note, below), layout, 80, 200) == ()


def test_a_word_cut_by_an_edge_fitted_to_a_page_without_a_header_is_reported():
    """jsPDF-autotable lays a continued table out afresh, every column narrower: the plans line
    '高雄市區民活動…' starts under the target column's place, so the fitted edge at 420 cuts it
    ('區|民'), while the values read one year early. Words apart, a band label and digits are not
    reported."""
    plans = Column(Role.PLANS, 420, 600)
    layout = TableLayout((KPI, ACTUAL, plans), header_top=40, body_top=80)
    line = word("高雄市區民活動", 380, 90, 10)  # '區' at 410..420, '民' at 420..430
    assert runs_across_fitted_edges(drawn(line), layout, 80, 200) == ("區|民",)
    apart = word("高雄市區", 370, 90, 10) + word("民活動", 425, 90, 10)  # ends at 410; 5 pt > a word space
    band = word("內部流程構面", 260, 120, 10)  # '程' at 280..290 crosses the edge at 284
    value = word("12345", 395, 150, 10)
    assert runs_across_fitted_edges(drawn(apart, band, value), layout, 80, 200) == ()


def test_two_cells_a_drawn_rule_parts_are_not_reported():
    """SpreadJS pads cells by a point or two: a KPI name filling its cell ('…比率' up to 282) and
    the next cell's '當年度…' from 284.5 stand closer than a word space, with the grid's rule at
    283 between them. A name run on past its border has no room for a rule between its letters."""
    name = word("CF1.2報核比率", 192, 90, 10)  # '率' at 272..282
    note = word("當年度辦理場次", 284.5, 90, 10)
    rule = [Rule(283, 40, 200)]
    assert runs_into_unread_columns(drawn(name, note), LAYOUT, 80, 200) == ("率|當",)
    assert runs_into_unread_columns(drawn(name, note), LAYOUT, 80, 200, vrules=rule) == ()
    overflowing = drawn(word("AC1.2市民滿意度", 194, 90, 10))  # '意' ends at 284, where '度' begins
    assert runs_into_unread_columns(overflowing, LAYOUT, 80, 200, vrules=rule) == ("意|度",)
    short_rule = [Rule(283, 40, 85)]  # a header's rule, not reaching the row
    assert runs_into_unread_columns(drawn(name, note), LAYOUT, 80, 200, vrules=short_rule) == ("率|當",)


def test_a_word_boxed_half_an_em_wide_across_a_drawn_rule_is_reported():
    """A pdftocairo re-print boxes some ideographs half an em wide ('課' at 276..281, the next
    letter at 286): the rule at 284 the name runs over seems to stand in a gap between two
    cells' text. An ideograph fills its em whatever box its font declares, so the two are one
    word cut by the edge; boxed a full em, '程' right after it would leave no gap to read."""
    narrow = Glyph("課", 276, 281, 90, 100, 10.0, False)
    name = [*word("AL1.2研習", 206, 90, 10), narrow, *word("程完", 286, 90, 10)]
    rule = [Rule(284, 40, 200)]
    assert runs_into_unread_columns(drawn(name), LAYOUT, 80, 200, vrules=rule) == ("課|程",)
    apart = [*word("AL1.2研習", 206, 90, 10), narrow, *word("程完", 292, 90, 10)]  # a space after its em
    assert runs_into_unread_columns(drawn(apart), LAYOUT, 80, 200, vrules=rule) == ()


def test_a_fitted_edge_a_drawn_rule_marks_parts_two_cells():
    layout = TableLayout((KPI, Column(Role.PLANS, 284, 500)), header_top=40, body_top=80)
    line = word("11,363人次", 242, 90, 5) + word("臺中市關懷據點", 284.5, 90, 10)  # '次' at 277..282
    assert runs_across_fitted_edges(drawn(line), layout, 80, 200) == ("次|臺",)
    assert runs_across_fitted_edges(drawn(line), layout, 80, 200, [Rule(283, 40, 200)]) == ()


def test_a_cell_s_line_run_on_into_the_next_cell_s_text_is_reported():
    """pdfjs does not break an objective's line after a space: '提高機關人員社交工程網路' runs on
    past the objective's edge into the KPI cell, before that cell's own '「服務禮儀」…', and the
    objective goes on, '攻擊警覺性', on the next line in its own cell. Two cells' lines set edge
    to edge, the second cell's text going on in it, are not reported."""
    objective, kpi = Column(Role.OBJECTIVE, 40, 154.25), Column(Role.KPI, 154.25, 340)
    layout = TableLayout((objective, kpi), header_top=40, body_top=80)
    run_on = drawn(
        word("提高機關人員社交工程網路", 82.25, 250, size=9),
        word("「服務禮儀」課程參訓人數", 190.25, 250, size=9),
        word("攻擊警覺性", 82.25, 262, size=9),
    )
    placed = {id(g): kpi for g in run_on if kpi.holds(g)}
    assert runs_across_cells(run_on, layout, 240, 280, placed) == ("交|工",)
    edge_to_edge = drawn(
        word("提高機關人員社交", 82.25, 250, size=9),
        word("工程網路", 154.25, 250, size=9),
        word("課程參訓人數", 154.25, 262, size=9),
    )
    placed = {id(g): kpi for g in edge_to_edge if kpi.holds(g)}
    assert runs_across_cells(edge_to_edge, layout, 240, 280, placed) == ()


def test_a_name_filling_its_cell_short_of_the_header_s_edge_is_not_reported():
    """SpreadJS draws its body's rules across only: a KPI name filling its cell ends 1.7 pt short of
    the edge the header's fills draw (their tops above the labels), the next cell's text starts
    0.8 pt past it, closer than a word space. The header's border parts them; without it, they
    read as one run cut by the edge."""
    name = [Glyph(ch, 192.3 + 10 * i, 202.3 + 10 * i, 90, 100, 10, False) for i, ch in enumerate("AC2.2服務人次")]
    note = word("年度累計數", 284.8, 90, 10)
    header_fill = Rule(284, 32, 80, fill=True)
    assert runs_into_unread_columns(drawn(name, note), LAYOUT, 80, 200, vrules=[header_fill]) == ()
    assert runs_into_unread_columns(drawn(name, note), LAYOUT, 80, 200) == ("次|年",)
