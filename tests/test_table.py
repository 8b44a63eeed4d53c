"""Table bodies: what belongs to the table below its closing rule."""

from __future__ import annotations

from glyphs import clipped, drawn, glyph, word

from pipeline.extract.geometry import Glyph, group_lines
from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.rules import Rule, Rules
from pipeline.extract.table import Row, _reattach_overflow, read_rows
from pipeline.extract.table_body import _overflow_below

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


def _overflowing_table(overflow_drawn_with_its_cell: bool):
    """Two ruled rows (edge at 60). The first row's plans cell runs one line past the edge, under
    the second row's first plans line (at 61 and 64: text over text)."""
    row1_kpi, row1_plans = word("AC1.1", 50, 25), [*word("AC1.1.1", 210, 25), *word("名稱", 210, 44)]
    overflow = word("續行計畫", 210, 61)
    row2_kpi, row2_plans = word("AC1.2", 50, 64), word("AC1.2.1", 210, 64)
    order = [row1_kpi, row1_plans, overflow, row2_kpi, row2_plans]
    if not overflow_drawn_with_its_cell:
        order = [row1_kpi, row1_plans, row2_kpi, row2_plans, overflow]
    rules = Rules([Rule(p, 0, 400) for p in (20, 60, 100)], [])
    return read_rows(drawn(*order), LAYOUT, rules, 20, 100, 500)


def test_a_code_line_a_row_fill_s_edge_runs_through_stays_in_its_row():
    """pdfLaTeX's colortbl fills each row as high as its nominal height, and a cell of two lines
    ('AP2.1' / its name) centred in a row set tight overruns it: the fill's edge runs through the
    code line, set right under the row above's name. The code begins its row: it is not that
    name's run-on line."""
    above = [*word("AP1.1", 50, 22, size=7), *word("兵籍調查完成率", 50, 29, size=7)]
    below = [*word("AP2.1", 50, 36.2, size=7), *word("採購案件決標率", 50, 43.2, size=7)]
    plans = [*word("AP1.1.1計畫", 210, 26, size=7), *word("AP2.1.1計畫", 210, 40, size=7)]
    kpi, plans_column = Column(Role.KPI, 40, 200, span=(40, 200)), Column(Role.PLANS, 200, 400, span=(200, 400))
    layout = TableLayout((kpi, plans_column), header_top=0, body_top=20)
    rules = Rules([Rule(38.5, 0, 400, fill=True)], [])
    first, second = read_rows([*above, *below, *plans], layout, rules, 20, 60, 500).rows
    assert first.cells[kpi] == ["AP1.1", "兵籍調查完成率"]
    assert second.cells[kpi] == ["AP2.1", "採購案件決標率"]


def test_rows_set_at_the_top_meet_above_the_next_row_though_values_sit_higher():
    """Aspose.Words sets cells at the top of rows without rules, a line of Latin text alone (a
    value) 3.6 pt higher than a line with ideographs, and a 1.15 line pitch that leaves a gap under
    each line as wide as the one between rows: the rows meet right above the next row's first
    line, so the '用' wrapped off '換屆不適' stays in its cell, not the next row's."""
    kpi, plans = Column(Role.KPI, 40, 200, span=(40, 200)), Column(Role.PLANS, 300, 500, span=(300, 500))
    y111, y112 = Column(Role.ACTUAL, 200, 250, 111, (200, 250)), Column(Role.ACTUAL, 250, 300, 112, (250, 300))
    layout = TableLayout((kpi, y111, y112, plans), header_top=0, body_top=60)
    first = [*word("BP1.1公文", 45, 78.8, size=8), *word("2.7", 205, 75.2, size=8)]
    first += [*word("換屆不適", 255, 79.4, size=8), *word("用", 255, 96.8, size=8)]
    first += [*word("BP1.1.1計畫", 305, 79.4, size=8), *word("實施計畫", 305, 96.8, size=8)]
    first += [*word("BP1.1.2要點", 305, 113.7, size=8.6), *word("之一", 305, 131.7, size=8)]
    second = [*word("BP2.1執行率", 45, 152.5, size=8), *word("91.0%", 205, 149, size=8)]
    second += [*word("90.3%", 255, 149, size=8), *word("BP2.1.1計畫", 305, 153.1, size=8)]
    rows = read_rows([*first, *second], layout, Rules([], []), 60, 200, 612).rows
    assert [row.cells[y112] for row in rows] == [["換屆不適", "用"], ["90.3%"]]


def test_text_run_under_the_next_row_goes_with_the_cell_it_was_drawn_in():
    table = _overflowing_table(overflow_drawn_with_its_cell=True)
    assert [row.cells[PLANS] for row in table.rows] == [["AC1.1.1", "名稱", "續行計畫"], ["AC1.2.1"]]
    assert table.overprinted == ()


def test_text_over_text_drawn_apart_from_any_cell_cannot_be_read():
    """The overflow drawn last, after the second row: nothing says whose it is."""
    assert _overflowing_table(overflow_drawn_with_its_cell=False).overprinted


def test_a_bracket_the_next_letter_half_covers_is_one_text_set_tight():
    """upLaTeX with WenQuanYi: '(' is wider than the box its metrics give it, and '調', drawn
    right after it, covers half of it. One text, read as printed; a glyph of other text drawn
    over it later still cannot be read."""
    row = [*word("AC1.1", 50, 25), *word("93%", 210, 25, size=8.6, advance=0.6)]
    paren = Glyph("(", 225.5, 227.9, 25.0, 33.0, 8.6, False)
    note = [*word("調整計", 226.3, 25, size=8.6), *word("算方式)", 210, 35, size=8.6)]
    table = read_rows(drawn(row, [paren], note), LAYOUT, Rules([], []), 20, 100, 500)
    assert table.rows[0].cells[PLANS] == ["93%(調整計", "算方式)"]
    assert table.overprinted == ()
    assert read_rows(drawn(row, note, word("1", 226.0, 25, size=8.6)), LAYOUT, Rules([], []), 20, 100, 500).overprinted


def test_a_bare_number_set_well_below_a_table_without_rules_is_a_page_number():
    """Two slides printed to one page (handouts): the upper slide's page number '5' stands under
    its table, mid-page, not in the page's margin. Set apart below all the table's text, it is
    not the last plan's; a wrapped value's last line, a line under the one above, is data."""
    rows = [*word("AC1.1", 50, 25), *word("AC1.1.1計畫", 210, 25), *word("AC1.2", 50, 45)]
    rows += word("AC1.2.1計畫", 210, 45)
    plans = [
        row.cells[PLANS] for row in read_rows(drawn(rows, word("5", 380, 90)), LAYOUT, Rules([], []), 20, 100, 500).rows
    ]
    assert plans == [["AC1.1.1計畫"], ["AC1.2.1計畫"]]
    wrapped = read_rows(drawn(rows, word("5", 210, 56)), LAYOUT, Rules([], []), 20, 100, 500).rows
    assert wrapped[-1].cells[PLANS] == ["AC1.2.1計畫", "5"]


def test_large_words_set_well_below_a_table_without_rules_are_no_cell_s():
    """calibre runs a deck's closing slide ('敬請指教', in large type) on under its last table when
    it ignores the page break: set apart below all the table's text in type much larger than
    the table's, it is not the last row's. A wrapped plan's last line, in the table's type right
    under the line above, is data; so are large words no farther down than a line."""
    rows = [*word("AC1.1", 50, 25), *word("AC1.1.1計畫", 210, 25), *word("AC1.2", 50, 45)]
    rows += word("AC1.2.1計畫", 210, 45)

    def plans(extra: list[Glyph]) -> list[list[str]]:
        return [row.cells[PLANS] for row in read_rows(drawn(rows, extra), LAYOUT, Rules([], []), 20, 200, 500).rows]

    assert plans(word("敬請指教", 150, 120, size=20)) == [["AC1.1.1計畫"], ["AC1.2.1計畫"]]
    assert plans(word("敬請指教", 210, 56, size=10))[-1] == ["AC1.2.1計畫", "敬請指教"]
    # pandoc's heading 17 pt under the table (1.7 of the table's lines): a line of its own type apart.
    assert plans(word("敬請指教", 210, 72, size=16)) == [["AC1.1.1計畫"], ["AC1.2.1計畫"]]
    assert plans(word("敬請指教", 210, 62, size=16))[-1] == ["AC1.2.1計畫", "敬請指教"], "closer than half a line of it"
    # LibreOffice's heading 1.33 times the table's type, as far below it as it is tall: apart.
    assert plans(word("敬請指教", 210, 68.3, size=13.3)) == [["AC1.1.1計畫"], ["AC1.2.1計畫"]]
    assert plans(word("敬請指教", 210, 68.3, size=12))[-1] == ["AC1.2.1計畫", "敬請指教"], "not larger enough"


def test_a_band_row_poking_over_the_top_of_a_table_without_rows_is_carried():
    """A header at a page's foot with only a '財務構面' band under it (the rows follow on the next
    page): the band's box starts 0.2 pt above the body's top, and its perspective carries over."""
    layout = TableLayout((KPI, PLANS), header_top=0, body_top=20)
    table = read_rows(word("財務構面", 60, 19.8), layout, Rules([], []), 20, 100, 500)
    assert table.rows == [] and table.carried_perspective == "財務"


def test_the_band_row_the_header_holds_opens_the_first_rows_perspective():
    """The header's band ends under a '顧客' band row printed level with its wrapped labels: the
    rows under it are 顧客's."""
    (band,) = group_lines(word("顧客", 50, 8))
    layout = TableLayout((KPI, PLANS), header_top=0, body_top=20, opening_band=band)
    glyphs = [*word("BC1.1名稱", 50, 30), *word("BC1.1.1計畫", 210, 30)]
    (row,) = read_rows(glyphs, layout, Rules([], []), 20, 100, 500).rows
    assert row.perspective == "顧客"


def test_a_band_row_name_wrapped_in_a_narrow_first_cell_opens_the_rows_under_it():
    """pandoc sets '**財務構面**' at the top of a narrow first cell, which LibreOffice wraps as
    '財務構' / '面': read joined, the two lines name the perspective of the rows under them. A
    line under another band's first letters that does not complete its name names nothing."""
    layout = TableLayout((KPI, PLANS), header_top=0, body_top=20)
    band = [*word("財務構", 50, 22), *word("面", 50, 34)]
    glyphs = [*band, *word("BF1.1名稱", 50, 48), *word("BF1.1.1計畫", 210, 48)]
    (row,) = read_rows(glyphs, layout, Rules([], []), 20, 100, 500).rows
    assert row.perspective == "財務"
    glyphs = [*word("財務構", 50, 22), *word("BF1.1名稱", 50, 34), *word("BF1.1.1計畫", 210, 34)]
    (row,) = read_rows(glyphs, layout, Rules([], []), 20, 100, 500).rows
    assert row.perspective is None


def test_a_band_row_name_set_a_letter_a_line_opens_the_rows_under_it():
    """Plotly sets a band row's name in its narrow first cell (the numbering column) a letter a
    line: '學' / '習' / '成' / '長' read joined name the perspective of the rows under them. Letters
    that stop short of a name ('學' / '習' over a row) name nothing."""
    layout = TableLayout((KPI, PLANS), header_top=0, body_top=20)
    band = [g for i, letter in enumerate("學習成長") for g in word(letter, 52, 22 + 12 * i)]
    glyphs = [*band, *word("AL1.1名稱", 50, 74), *word("AL1.1.1計畫", 210, 74)]
    (row,) = read_rows(glyphs, layout, Rules([], []), 20, 120, 500).rows
    assert row.perspective == "學習成長"
    short = [g for i, letter in enumerate("學習") for g in word(letter, 52, 22 + 12 * i)]
    glyphs = [*short, *word("AL1.1名稱", 50, 50), *word("AL1.1.1計畫", 210, 50)]
    (row,) = read_rows(glyphs, layout, Rules([], []), 20, 120, 500).rows
    assert row.perspective is None


def test_the_end_of_a_band_row_cut_by_a_page_break_opens_the_rows_under_it():
    """pandoc sets '內' / '部' / '流' / '程' a letter a line in a narrow first cell, and a page
    break falls after '內': atop the next page, above all its rows, '部' / '流' / '程' end one
    perspective's name only, and name the perspective of the rows under them. Ending no name
    alone ('構面' ends all four), or under a row, such letters name nothing."""
    layout = TableLayout((KPI, PLANS), header_top=0, body_top=20)
    tail = [g for i, letter in enumerate("部流程") for g in word(letter, 52, 22 + 12 * i)]
    glyphs = [*tail, *word("AP1.1名稱", 50, 62), *word("AP1.1.1計畫", 210, 62)]
    (row,) = read_rows(glyphs, layout, Rules([], []), 20, 120, 500).rows
    assert row.perspective == "內部流程"
    ends_all = [g for i, letter in enumerate("構面") for g in word(letter, 52, 22 + 12 * i)]
    glyphs = [*ends_all, *word("AP1.1名稱", 50, 50), *word("AP1.1.1計畫", 210, 50)]
    (row,) = read_rows(glyphs, layout, Rules([], []), 20, 120, 500).rows
    assert row.perspective is None
    glyphs = [*word("AP1.1名稱", 50, 22), *word("AP1.1.1計畫", 210, 22)]
    glyphs += [g for i, letter in enumerate("部流程") for g in word(letter, 52, 40 + 12 * i)]
    (row,) = read_rows(glyphs, layout, Rules([], []), 20, 120, 500).rows
    assert row.perspective is None


def test_a_bare_band_name_wrapped_before_its_last_word_takes_that_word_along():
    """pandoc's '內部流程構面' wrapped in a narrow first cell as '內部流程' / '構面', a line pitch
    under the objective label of the row above: the first line is a perspective's name already,
    and the '構面' under it is the band's, not the end of that label ('推動長者關懷服務構面' was
    published)."""
    objective, kpi, plans = Column(Role.OBJECTIVE, 0, 125), Column(Role.KPI, 125, 300), Column(Role.PLANS, 300, 600)
    layout = TableLayout((objective, kpi, plans), header_top=300, body_top=360)
    lines = [("DC1推動", 371.5), ("長者關懷", 387.5), ("服務", 403.4), ("內部流程", 419.4), ("構面", 435.3)]
    lines += [("DP1提升", 451.3), ("區里災害", 467.2), ("應變能力", 483.2)]
    glyphs = [g for text, top in lines for g in word(text, 74, top, size=11)]
    glyphs += [*word("DC1.1線上", 131, 371.5, size=11), *word("DC1.1.1計畫", 380, 371.5, size=11)]
    glyphs += [*word("DP1.1兵籍", 131, 451.3, size=11), *word("DP1.1.1計畫", 380, 451.3, size=11)]
    first, second = read_rows(glyphs, layout, Rules([], []), 360, 560, 792).rows
    assert first.objective == "DC1推動\n長者關懷\n服務" and second.perspective == "內部流程"


def test_a_band_row_level_with_the_row_above_s_plans_running_on_opens_the_rows_under_it():
    """Impress draws a plan cell's overflowing text on, over the '內部流程' band row under its row:
    the band's name and the plan's last letter share a line. The band opens the rows under it, the
    letter ends the plan above; a line whose other text stands outside the plans column is a row's."""
    layout = TableLayout((KPI, PLANS), header_top=0, body_top=20)
    row_above = [*word("BC1.1名稱", 50, 24), *word("BC1.1.1計畫注意事", 210, 24), *word("項", 210, 36)]
    band = word("內部流程", 50, 36)
    row_under = [*word("BP1.1名稱", 50, 50), *word("BP1.1.1計畫", 210, 50)]
    above, under = read_rows([*row_above, *band, *row_under], layout, Rules([], []), 20, 100, 500).rows
    assert (above.perspective, under.perspective) == (None, "內部流程")
    assert above.cells[PLANS] == ["BC1.1.1計畫注意事", "項"] and under.cells[PLANS] == ["BP1.1.1計畫"]
    beside_a_value = [*row_above, *band, *word("95%", 160, 36), *row_under]
    assert all(r.perspective is None for r in read_rows(beside_a_value, layout, Rules([], []), 20, 100, 500).rows)


def test_an_objective_s_end_above_the_first_band_row_is_the_objective_before_s():
    """LibreOffice breaks a row over the page: under the repeated header, the last objective's end
    ('效能') stands above the next perspective's band row, and the first row's label under it."""
    objective = Column(Role.OBJECTIVE, 0, 40)
    layout = TableLayout((objective, KPI, PLANS), header_top=0, body_top=20)
    glyphs = [*word("效能", 5, 22), *word("學習成長構面", 5, 34)]
    glyphs += [*word("AL1強化", 5, 48, size=5), *word("AL1.1名稱", 50, 48), *word("AL1.1.1計畫", 210, 48)]
    (row,) = read_rows(glyphs, layout, Rules([], []), 20, 100, 500).rows
    assert (row.objective_rest, row.perspective, row.objective) == ("效能", "學習成長", "AL1強化")
    # Without a band: the end above the row's KPI code line, its own coded label level with it.
    glyphs = [*word("執行效能", 5, 22, size=5), *word("EF1提升", 5, 48, size=5), *word("EF1.2名稱", 50, 48)]
    (row,) = read_rows(glyphs, layout, Rules([], []), 20, 100, 500).rows
    assert (row.objective_rest, row.objective) == ("執行效能", "EF1提升")
    # A coded label centred on its row, starting above the code line, is the row's own.
    glyphs = [*word("EF1提升", 5, 40, size=5), *word("執行效能", 5, 48, size=5), *word("EF1.2名稱", 50, 46)]
    (row,) = read_rows(glyphs, layout, Rules([], []), 20, 100, 500).rows
    assert row.objective_rest is None and row.objective == "EF1提升\n執行效能"
    # Vivliostyle centres a two-line label on its row: its first line starts above the KPI's, its
    # code set lower than its letters: still the row's own.
    wide = TableLayout((Column(Role.OBJECTIVE, 60, 150), Column(Role.KPI, 150, 300)), header_top=0, body_top=90)
    label = [*word("AC1", 68.6, 103.5, advance=0.7), *word("擴大志願服", 91.8, 101.1), *word("務參與", 90.2, 115.1)]
    kpi = [*word("AC1.1", 159.1, 110.4, advance=0.65), *word("民眾臨櫃", 191.8, 108.0)]
    (row,) = read_rows([*label, *kpi], wide, Rules([], []), 90, 150, 500).rows
    assert row.objective_rest is None and row.objective == "AC1擴大志願服\n務參與"


def test_a_plan_run_on_under_the_next_row_s_text_goes_back_to_its_row():
    """Impress rows of fixed height: BC1.1's last plan's name runs on past the rule at 75, its
    line's boxes a fifth under BC1.2's own plan, drawn after it (the fill of that row hides it).
    Drawn in one run with BC1.1's plans, it is BC1.1's."""
    plans = [*word("BC1.1.1計畫", 210, 43), *word("BC1.1.2", 210, 55), *word("服務禮儀訓練", 210, 67)]
    plans += word("計畫", 210, 79)
    own = [*word("BC1.2名稱", 50, 87.2), *word("臺南市政府計畫", 210, 87.2)]
    kpi, plans_column = Column(Role.KPI, 40, 200, span=(40, 200)), Column(Role.PLANS, 200, 400, span=(200, 400))
    layout = TableLayout((kpi, plans_column), header_top=0, body_top=20)
    rules = Rules([Rule(p, 0, 400) for p in (20, 75, 110)], [])
    rows = read_rows(drawn([*word("BC1.1名稱", 50, 43), *plans], own), layout, rules, 20, 110, 500).rows
    assert [(row.top, row.bottom) for row in rows] == [(20, 75), (75, 110)]
    assert [row.cells[plans_column] for row in rows] == [
        ["BC1.1.1計畫", "BC1.1.2", "服務禮儀訓練", "計畫"],
        ["臺南市政府計畫"],
    ]


def test_an_objective_cut_off_under_the_closing_rule_is_the_blank_cell_s():
    """A spreadsheet prints a 策略目標 cell merged over a page break centred on the whole cell: on
    this page its label 'DL2提升知能' stands under the table's closing rule (at 80), and the last
    row's cell, DL2.1's, is blank. The label is DL2.1's objective, not DL1's above."""
    objective = Column(Role.OBJECTIVE, 0, 40, span=(0, 40))
    kpi, plans = Column(Role.KPI, 40, 200, span=(40, 200)), Column(Role.PLANS, 200, 400, span=(200, 400))
    layout = TableLayout((objective, kpi, plans), header_top=0, body_top=20)
    glyphs = [*word("DL1參與", 2, 30, size=5), *word("DL1.1時數", 50, 30), *word("DL1.1.1計畫", 210, 30)]
    glyphs += [*word("DL2.1人數", 50, 60), *word("DL2.1.1計畫", 210, 60), *word("DL2提升知能", 2, 95, size=5)]
    rules = Rules([Rule(p, 0, 400) for p in (20, 50, 80)], [])
    rows = read_rows(glyphs, layout, rules, 20, 200, 500).rows
    assert [row.objective for row in rows] == ["DL1參與", "DL2提升知能"]


def test_the_first_row_s_text_raised_into_the_header_band_is_read_with_it():
    """The layout names '95.0%(調' as the first row's text printed up over the header (above the
    body's top at 20): it opens that row's value cell, before the lines below the top."""
    raised = word("95.0%(調", 210, 8, advance=0.5)
    layout = TableLayout((KPI, PLANS), header_top=0, body_top=20, raised=frozenset(raised))
    glyphs = [*raised, *word("整計算方", 210, 21), *word("AC1.1名稱", 50, 30), *word("式)", 210, 34)]
    (row,) = read_rows(drawn(glyphs), layout, Rules([], []), 20, 100, 500).rows
    assert row.cells[PLANS] == ["95.0%(調", "整計算方", "式)"]


def test_plan_codes_hanging_into_the_column_before_are_the_plans():
    """XeLaTeX sets a plans list with its codes hanging left of the plans column, in the target
    column's cell, and a wrapped name's next line under its code. Drawn in one run with the plans
    column's text, the codes and that line are the plans'; the target keeps its value."""
    target = Column(Role.TARGET, 200, 300, year=113, span=(200, 300))
    plans = Column(Role.PLANS, 300, 400, span=(300, 400))
    layout = TableLayout((KPI, target, plans), header_top=0, body_top=20)
    value = word("3,721", 205, 30, size=6)
    run = [*word("BC1.1.1", 255, 30, size=6), *word("臺北市計畫", 300, 30, size=6)]
    run += [*word("要點", 255, 38, size=6), *word("BC1.1.2", 255, 46, size=6), *word("臺北志願", 300, 46, size=6)]
    (row,) = read_rows(drawn(word("BC1.1名稱", 50, 30), value, run), layout, Rules([], []), 20, 100, 500).rows
    assert row.cells[target] == ["3,721"]
    assert row.cells[plans] == ["BC1.1.1臺北市計畫", "要點", "BC1.1.2臺北志願"]


def test_a_band_row_under_the_closing_rule_is_carried_to_the_next_page():
    """A spreadsheet breaks the page after a '內部流程' band row and draws no rule under it: the
    band stands under the table's closing rule (at 60), its rows on the next page. Its
    perspective carries over."""
    kpi, plans = Column(Role.KPI, 40, 200, span=(40, 200)), Column(Role.PLANS, 200, 400, span=(200, 400))
    layout = TableLayout((kpi, plans), header_top=0, body_top=20)
    glyphs = [*word("BC1.1名稱", 50, 30), *word("BC1.1.1計畫", 210, 30), *word("內部流程", 45, 64)]
    rules = Rules([Rule(p, 40, 400) for p in (20, 60)], [])
    table = read_rows(glyphs, layout, rules, 20, 200, 500)
    assert [row.cells[kpi] for row in table.rows] == [["BC1.1名稱"]]
    assert table.carried_perspective == "內部流程"


def test_an_objective_label_begun_under_the_last_band_row_is_carried_to_the_next_page():
    """WebKitGTK breaks a row inside its 策略目標 cell: after the last row, a '內部流程' band row
    and the cell's first line, 'CP1', at the page's foot, the rest of the row on the next page.
    No row here is coded for CP1: the label is carried over. A line there that names no
    objective code (a note, '註：實際值統計') is not."""
    objective = Column(Role.OBJECTIVE, 40, 100, span=(40, 100))
    kpi, plans = Column(Role.KPI, 100, 200, span=(100, 200)), Column(Role.PLANS, 200, 400, span=(200, 400))
    layout = TableLayout((objective, kpi, plans), header_top=0, body_top=20)
    rows = [*word("CC1", 45, 30), *word("CC1.1名稱", 105, 30), *word("CC1.1.1計畫", 210, 30)]
    rules = Rules([Rule(p, 40, 400) for p in (20, 60, 74)], [])

    def read(*below: list[Glyph]):
        return read_rows(
            [*rows, *word("內部流程", 42, 62), *[g for part in below for g in part]], layout, rules, 20, 200, 500
        )

    table = read(word("CP1", 45, 78))
    assert [row.objective for row in table.rows] == ["CC1"]
    assert table.carried_perspective == "內部流程" and table.carried_objective == "CP1"
    assert read(word("註：實際值統計", 45, 78)).carried_objective is None


def test_plans_coded_under_the_kpi_above_go_back_to_its_row():
    """XeLaTeX sets a row's cells low: BC1.1's last plan 'BC1.1.2 …' falls under the rule into
    BC1.2's row, atop its own plans. Coded under BC1.1, it is BC1.1's; BC1.2's own stay."""
    glyphs = [*word("BC1.1名稱", 50, 40), *word("BC1.1.1計畫", 210, 40)]
    glyphs += [*word("BC1.1.2長者共餐", 210, 62), *word("BC1.2.1公民會館", 210, 74), *word("營運計畫", 210, 86)]
    glyphs += word("BC1.2名稱", 50, 74)
    rules = Rules([Rule(p, 0, 400) for p in (20, 58, 100)], [])
    rows = read_rows(drawn(glyphs), LAYOUT, rules, 20, 100, 500).rows
    assert [row.cells[PLANS] for row in rows] == [["BC1.1.1計畫", "BC1.1.2長者共餐"], ["BC1.2.1公民會館", "營運計畫"]]


def test_uncoded_text_atop_a_row_followed_by_the_next_row_s_plan_is_the_row_s_own_plan():
    """prawn-table draws AC2.2's cells up in AC2.1's row (a label spanning both): AC2.1's cell
    opens with its own plan, printed with no code, over 'AC2.2.1 …'. With no plan of AC2.1's own
    under it, the text is AC2.1's plan, not the end of AC1.2's last one."""
    glyphs = [*word("AC1.2名稱", 50, 40), *word("AC1.2.1計畫", 210, 40)]
    glyphs += [*word("AC2.1名稱", 50, 70), *word("長者共餐方案", 210, 70), *word("AC2.2.1陳情", 210, 90)]
    glyphs += [*word("AC2.2名稱", 50, 120), *word("要點", 210, 120), *word("AC2.2.2共餐", 210, 132)]
    rows = read_rows(drawn(glyphs), LAYOUT, Rules([], []), 20, 160, 500).rows
    assert [row.cells[PLANS] for row in rows] == [
        ["AC1.2.1計畫"],
        ["長者共餐方案"],
        ["AC2.2.1陳情", "要點", "AC2.2.2共餐"],
    ]


def test_plans_coded_under_the_kpi_below_go_down_to_its_row():
    """iText 5 centres cells in a table with no rules: BL2.1's two plans stand taller than its
    one-line KPI, so its first plan's code line falls above the cut between the rows, at the foot
    of BL1.1's plans, and its name below it. Coded under BL2.1, the plan is BL2.1's, name and all."""
    glyphs = [*word("BL1.1名稱", 50, 40), *word("BL1.1.1資通安全", 210, 40)]
    glyphs += [*word("BL2.1.1", 210, 52), *word("友善環境計畫", 210, 64), *word("BL2.1名稱", 50, 80)]
    glyphs += [*word("BL2.1.2資通安全", 210, 86)]
    rows = read_rows(drawn(glyphs), LAYOUT, Rules([], []), 20, 120, 500).rows
    assert [row.cells[PLANS] for row in rows] == [["BL1.1.1資通安全"], ["BL2.1.1", "友善環境計畫", "BL2.1.2資通安全"]]
    typo = [Glyph("2", g.x0, g.x1, g.top, g.bottom, g.size, False) if (g.x0, g.top) == (270, 52) else g for g in glyphs]
    rows = read_rows(drawn(typo), LAYOUT, Rules([], []), 20, 120, 500).rows
    assert rows[0].cells[PLANS][-1] == "友善環境計畫", "'BL2.1.2' twice: the first is no plan of BL2.1's list"


def test_plans_go_down_to_their_row_before_the_next_row_s_plans_have_gone_down_to_theirs():
    """R's gridExtra centres every cell in a table with no rules: BP1.1's three plans stand
    taller than its KPI, its first two at the foot of BF2.1's plans, and BP2.1's first at the foot
    of BP1.1's. BP1.1's list counts its own plans only: 1, 2, 3, the BP2.1 plan still under it."""
    glyphs = [*word("BF2.1名稱", 50, 40), *word("BF2.1.1寺廟", 210, 40)]
    glyphs += [*word("BP1.1.1災害", 210, 52), *word("BP1.1.2兵籍", 210, 64)]
    glyphs += [*word("BP1.1名稱", 50, 100), *word("BP1.1.3清查", 210, 100), *word("BP2.1.1防災", 210, 112)]
    glyphs += [*word("BP2.1名稱", 50, 150), *word("BP2.1.2採購", 210, 150)]
    rows = read_rows(drawn(glyphs), LAYOUT, Rules([], []), 20, 170, 500).rows
    assert [row.cells[PLANS] for row in rows] == [
        ["BF2.1.1寺廟"],
        ["BP1.1.1災害", "BP1.1.2兵籍", "BP1.1.3清查"],
        ["BP2.1.1防災", "BP2.1.2採購"],
    ]


def test_values_set_tight_and_drawn_one_after_another_stay_in_their_cells():
    """mPDF with an Adobe font it does not embed: full-width digits 10 pt wide set 8.6 pt apart,
    so each '.' is half covered by the digit after it, and the next cell's value drawn right
    after, 4 pt on. Text set tight is one text: no glyph goes to the cell its line began in."""
    a107, a108 = Column(Role.ACTUAL, 200, 244, year=107), Column(Role.ACTUAL, 244, 285, year=108)
    layout = TableLayout((KPI, a107, a108), header_top=0, body_top=20)

    def tight(text: str, x0: float) -> list[Glyph]:
        placed, x = [], x0
        for ch in text:
            width = 2.5 if ch == "." else 10.0
            placed.append(Glyph(ch, x, x + width, 25.0, 35.0, 10.0, False))
            x += 1.1 if ch == "." else 8.6
        return placed

    row = [*word("AC2.1", 50, 25), *tight("85.5%", 204.9), *tight("84.4%", 246.0)]
    (read,) = read_rows(drawn(row), layout, Rules([], []), 20, 100, 500).rows
    assert read.cells[a107] == ["85.5%"] and read.cells[a108] == ["84.4%"]


def test_a_value_set_at_the_top_of_its_cell_under_the_row_above_goes_back_to_its_row():
    """TCPDF's HTML cells ignore vertical alignment: AL1.1's target '≥30小時' sits at the top of
    its row, nearer AC2.1's centred text than its own. With no rule between the rows, AC2.1's
    target cell would read two values and AL1.1's none: each whole, the lower is AL1.1's. A
    rule between the rows says where each cell is; two values over a filled cell stay."""
    target = Column(Role.TARGET, 200, 290, year=113, span=(200, 290))
    plans = Column(Role.PLANS, 290, 400, span=(290, 400))
    layout = TableLayout((KPI, target, plans), header_top=0, body_top=20)
    upper = [*word("AC2.1案件數", 50, 40), *word("2,980件", 205, 40), *word("AC2.1.1計畫", 295, 40)]
    stray = word("≥30小時", 205, 62)
    lower = [*word("AL1.1學習時數", 50, 84), *word("AL1.1.1計畫", 295, 84)]
    rows = read_rows(drawn(upper, stray, lower), layout, Rules([], []), 20, 120, 500).rows
    assert [row.cells[target] for row in rows] == [["2,980件"], ["≥30小時"]]
    ruled = read_rows(drawn(upper, stray, lower), layout, Rules([Rule(76, 0, 400)], []), 20, 120, 500).rows
    assert [row.cells[target] for row in ruled] == [["2,980件", "≥30小時"], []]
    filled = [*lower, *word("≥32小時", 205, 84)]
    rows = read_rows(drawn(upper, stray, filled), layout, Rules([], []), 20, 120, 500).rows
    assert [row.cells[target] for row in rows] == [["2,980件", "≥30小時"], ["≥32小時"]]


def test_a_value_with_its_note_in_brackets_goes_back_to_its_row_too():
    """prawn-table draws BP1.2's cells up at the foot of BP1.1's row: its '2.8(整修停租)', a value
    with its note in brackets, is whole, and goes down to BP1.2's blank cell. Text after the
    brackets ('2.8(整修)停租') leaves the note unclosed: no value read whole, nothing moves."""
    actual = Column(Role.ACTUAL, 200, 290, year=109, span=(200, 290))
    plans = Column(Role.PLANS, 290, 400, span=(290, 400))
    layout = TableLayout((KPI, actual, plans), header_top=0, body_top=20)
    upper = [*word("BP1.1執行率", 50, 40), *word("96%", 205, 40), *word("BP1.1.1計畫", 295, 40)]
    lower = [*word("BP1.2處理天數", 50, 84), *word("BP1.2.1計畫", 295, 84)]
    rows = read_rows(drawn(upper, word("2.8(整修停租)", 205, 62, size=6), lower), layout, Rules([], []), 20, 120, 500)
    assert [row.cells[actual] for row in rows.rows] == [["96%"], ["2.8(整修停租)"]]
    note = read_rows(drawn(upper, word("2.8(整修)停租", 205, 62, size=6), lower), layout, Rules([], []), 20, 120, 500)
    assert [row.cells[actual] for row in note.rows] == [["96%", "2.8(整修)停租"], []]


def test_an_objective_printed_again_on_each_row_leaves_a_continued_row_s_blank_cell_blank():
    """jsPDF prints a 策略目標 label on every row it covers, without rules. A page continuing the
    table begins with AF1.2, its cell blank (AF1 is the page before's): the labels are AF2's own
    rows' and AF1.2 reads no objective here (the page before's carries on)."""
    objective = Column(Role.OBJECTIVE, 0, 40, span=(0, 40))
    kpi = Column(Role.KPI, 40, 200, span=(40, 200))
    layout = TableLayout((objective, kpi), header_top=0, body_top=20)
    glyphs = word("AF1.2業務費", 50, 25)
    for top, code in ((45, "AF2.1"), (65, "AF2.2")):
        glyphs += [*word("AF2", 2, top, size=5), *word("開源", 2, top + 6, size=5), *word(f"{code}收支比", 50, top)]
    rows = read_rows(drawn(glyphs), layout, Rules([], []), 20, 80, 500).rows
    assert [row.objective for row in rows] == [None, "AF2\n開源", "AF2\n開源"]


def test_a_row_under_a_band_takes_its_own_objective_not_the_blank_drawn_across_the_band():
    """Apache POI rules every band row ('學習成長構面') as a row of its own, so the 策略目標 column
    holds a blank cell across the band (60-80) taller than BL1.1's own cell under it (80-95).
    Rows meet at the band's top: BL1.1's row takes the band, but not the band's blank cell."""
    objective = Column(Role.OBJECTIVE, 0, 40, span=(0, 40))
    kpi, plans = Column(Role.KPI, 40, 200, span=(40, 200)), Column(Role.PLANS, 200, 400, span=(200, 400))
    layout = TableLayout((objective, kpi, plans), header_top=0, body_top=20)
    glyphs = [*word("BP1提升", 2, 35, size=5), *word("BP1.1天數", 50, 35), *word("BP1.1.1計畫", 210, 35)]
    glyphs += word("學習成長構面", 2, 65)
    for top, code in ((82, "BL1.1"), (97, "BL1.2")):  # the label set again on each row: no code tells
        glyphs += [*word("BL1參與", 2, top, size=5), *word(f"{code}人數", 50, top), *word(f"{code}.1計畫", 210, top)]
    rules = Rules([Rule(p, 0, 400) for p in (20, 60, 80, 95, 110)], [])
    rows = read_rows(glyphs, layout, rules, 20, 110, 500).rows
    assert [row.objective for row in rows] == ["BP1提升", "BL1參與", "BL1參與"]
    assert [row.perspective for row in rows] == [None, "學習成長", "學習成長"]


def test_the_end_of_an_unread_cell_atop_the_page_spoils_no_record():
    """A row Writer breaks over the page ends its 衡量方式 cell ('×100%') atop the next page,
    above the band row and the first row under it: text of a column that is not read, which no
    row needs. A KPI name's or a plan's end there is still text no row took."""
    extra = Column(Role.EXTRA, 400, 480)
    objective = Column(Role.OBJECTIVE, 0, 40)
    layout = TableLayout((objective, KPI, PLANS, extra), header_top=0, body_top=20)
    band_and_row = [*word("學習成長構面", 2, 36), *word("AC1.1", 50, 50), *word("AC1.1.1", 210, 50)]
    rules = Rules([], [])
    table = read_rows([*word("×100%", 410, 22), *band_and_row], layout, rules, 20, 100, 500)
    assert [(row.perspective, row.cells[PLANS]) for row in table.rows] == [("學習成長", ["AC1.1.1"])]
    assert table.unread == ()
    for end, x0 in (("率", 50), ("計畫", 210)):
        assert read_rows([*word(end, x0, 22), *band_and_row], layout, rules, 20, 100, 500).unread == (end,)


def test_a_ruled_cell_coded_for_later_rows_leaves_the_continued_row_s_blank_cell_alone():
    """Ghostscript-distilled PostScript, a theme's second slide: the first row (DP1.2) continues
    objective DP1 from the slide before, its cell left blank; the next row's cell reads 'DP2…'.
    The only rule crossing the objective column is a band row's (at 70), so the one 'cell' above
    it holds both rows. Its code says it is DP2.1's alone: DP1.2 keeps the objective before."""
    objective, kpi = Column(Role.OBJECTIVE, 0, 40, span=(0, 40)), Column(Role.KPI, 40, 200, span=(40, 200))
    layout = TableLayout((objective, kpi, PLANS), header_top=0, body_top=20)
    glyphs = [
        *word("DP1.2公文", 50, 25),
        *word("DP2.1.1計畫", 210, 45),
        *word("DP2落實", 2, 45, size=5),
        *word("DP2.1採購", 50, 45),
        *word("DL1提升", 2, 75, size=5),
        *word("DL1.1參訓", 50, 75),
    ]
    rules = Rules([Rule(p, 0, 400) for p in (20, 70, 100)], [])
    rows = read_rows(glyphs, layout, rules, 20, 100, 500).rows
    assert [row.objective for row in rows] == [None, "DP2落實", "DL1提升"]


def test_an_uncoded_plan_level_with_its_row_s_code_stays_under_plans_given_back_above():
    """pdfLaTeX (supertabular, no rules between rows, cells centred): DL1.1's five plan lines stand
    past its row's lower edge; 'DL1.1.3' and its name go back to DL1.1, but DF1.1's own plan,
    printed without a code level with 'DF1.1', stays: read as the end of DL1.1.3's name, it was
    published so and DF1.1 left without a plan. An uncoded line heading a row's plans is still
    the end of the row above's (its cell ran past its lower edge)."""
    above = Row(100, 114, {KPI: ["DL1.1出席率"], PLANS: ["DL1.1.1計畫一", "DL1.1.2計畫二"]}, None, None)
    own = ["DL1.1.3", "里鄰長研習計畫", "公有市場攤位出租要點"]
    below = Row(114, 150, {KPI: ["DF1.1場地收入"], PLANS: own}, None, None)
    rows = _reattach_overflow([above, below], PLANS, KPI, [None, 2])
    assert [row.cells[PLANS] for row in rows] == [
        ["DL1.1.1計畫一", "DL1.1.2計畫二", "DL1.1.3", "里鄰長研習計畫"],
        ["公有市場攤位出租要點"],
    ]
    rows = _reattach_overflow([above, below], PLANS, KPI, [None, None])
    assert rows[1].cells[PLANS] == [], "no line level with the code: all of it runs on from above"
    tail = Row(114, 150, {KPI: ["DF1.1場地收入"], PLANS: ["研習計畫", "DF1.1.1要點"]}, None, None)
    rows = _reattach_overflow([above, tail], PLANS, KPI, [None, 0])
    assert rows[0].cells[PLANS][-1] == "研習計畫" and rows[1].cells[PLANS] == ["DF1.1.1要點"]


def test_a_line_run_on_past_its_cell_clipped_to_it_is_its_cell_s():
    """R's gridExtra clips each cell's text to its cell and sets a plans line wider than the cell
    on past its border (at 400): 'AF1.1.1計畫AF' ends with its 'F' hidden in the 109 actual cell,
    over the edge of the value '4.6' set lower there; the next row's '名稱計畫', drawn right after
    the cell above, ends with a '畫' cut by the border, its box over the value '5.1' beside it,
    the part over it hidden. The page shows each cell's text in its own cell: no letter moves to
    the value, none is over another (the plans of both rows, drawn as one run, stay apart)."""
    actual = Column(Role.ACTUAL, 400, 460, year=109)
    layout = TableLayout((PERSPECTIVE, KPI, PLANS, actual), header_top=0, body_top=20)
    first = clipped([*word("AF1.1.1計畫AF", 296, 23), *word("1.1.2臺北市里鄰長研習實施", 210, 36)], 200, 400, 20, 50)
    second = clipped(word("AF1.2.1名稱計畫", 293, 51), 200, 400, 50, 80)
    values = [*clipped(word("4.6", 401, 29), 400, 460, 20, 50), *clipped(word("5.1", 401, 51), 400, 460, 50, 80)]
    rules = Rules([Rule(p, 0, 460) for p in (20, 50, 80)], [Rule(p, 20, 80) for p in (200, 400, 460)])
    codes = [*word("AF1.1", 50, 23), *word("AF1.2", 50, 51)]
    table = read_rows(drawn(codes, first, second, values), layout, rules, 20, 80, 500)
    assert [row.cells[PLANS] for row in table.rows] == [
        ["AF1.1.1計畫AF", "1.1.2臺北市里鄰長研習實施"],
        ["AF1.2.1名稱計畫"],
    ]
    assert [row.cells[actual] for row in table.rows] == [["4.6"], ["5.1"]]
    assert table.overprinted == ()
