"""Row edges: which of a column's text lines are a row's, when lines cross the edge between rows."""

from __future__ import annotations

from dataclasses import replace

from glyphs import glyph, word

from pipeline.clean.codes import starts_with_code
from pipeline.extract.geometry import group_lines
from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.row_bounds import cell_lines, mirror_last_row, row_bounds, table_bottom
from pipeline.extract.rules import Rule


def _lines(*args, **kwargs) -> list[str]:
    """The texts of a cell's lines."""
    return [line.text for line in cell_lines(*args, **kwargs)]


def test_a_line_overflowing_a_row_edge_belongs_to_the_row_above():
    """Rows of fixed height (edges at 60 and 100): the last plan line of the upper row starts
    3 pt above the edge and is centred below it; the lower row's own line starts under it."""
    plans = [*word("BL2.1.3", 210, 47, size=7), *word("屏東縣里鄰長研習實施計畫", 210, 57, size=7)]
    plans += word("資通安全事件通報及應變辦法", 210, 64.2, size=7)
    assert _lines(plans, 20, 60) == ["BL2.1.3", "屏東縣里鄰長研習實施計畫"]
    assert _lines(plans, 60, 100) == ["資通安全事件通報及應變辦法"]


def test_a_glyph_box_reaching_a_little_over_a_row_edge_stays_in_its_row():
    """Font boxes may poke a point over a rule set tight above a cell's first line."""
    first = word("AC1.1.1計畫", 210, 59.2, size=10)
    assert _lines(first, 60, 100) == ["AC1.1.1計畫"] and _lines(first, 20, 60) == []


def test_the_first_row_keeps_a_line_crossing_its_top_edge():
    """No row lies above the first: its text centred on a row shorter than it, and so crossing
    the rule under the header, is its own."""
    plans = [*word("DL1.1.1服務禮儀訓練課程實施計畫", 210, 57, size=9), *word("DL1.1.2計畫", 210, 67, size=9)]
    assert _lines(plans, 60, 100, first=True) == ["DL1.1.1服務禮儀訓練課程實施計畫", "DL1.1.2計畫"]


def test_a_line_crossing_a_row_edge_with_nothing_above_it_stays_in_its_row():
    """A value set high in its cell (it starts 3 pt above the edge at 60, centred below it) with
    the cell above empty in its column: it is the lower row's own, not the row above's, whose
    KPI it would otherwise be published under."""
    value = word("4,912", 210, 57, size=9)
    assert _lines(value, 60, 100) == ["4,912"] and _lines(value, 20, 60) == []
    above = word("3,545", 210, 24, size=9)  # the row above's own value, far above: no run-on
    assert _lines([*above, *value], 20, 60) == ["3,545"]
    assert _lines([*above, *value], 60, 100) == ["4,912"]


def test_a_line_crossing_a_row_edge_goes_whole_where_most_of_its_letters_go():
    """pdfLaTeX's CJK package sets each ideograph in one of many Type 1 subfonts, each boxing its
    letters at its own height on the one baseline. The lower row's first plan line, centred on a
    row too short for it, pokes 1.8 pt up over the edge at 147: a few of its letters ('各', '提')
    start far enough above the edge to pass for text overflowing from the row above. Read letter
    by letter, the row above got '…計畫各提' and the row its own line with holes in it."""
    size = 7.97
    above = word("AP1.1.1戶籍登記計畫", 610, 135.2, size)
    tops = {"各": 144.53, "提": 144.53}
    line = [glyph(ch, 610 + i * size, 146.25, size) for i, ch in enumerate("AP2.1.1")]
    line += [glyph(ch, 666 + i * size, tops.get(ch, 145.2), size) for i, ch in enumerate("臺北市各區提昇里鄰")]
    plans = [*above, *line]
    assert _lines(plans, 120, 147) == ["AP1.1.1戶籍登記計畫"]
    assert _lines(plans, 147, 170) == ["AP2.1.1臺北市各區提昇里鄰"]


def test_rows_set_at_the_top_are_cut_above_the_lower_anchor_when_gaps_tie():
    """upLaTeX sets every cell at its row's top, with no rules. Row 1's plan wraps ('…案件處' /
    '理要點') into the space between the rows, as far below row 1's first line as above row 2's:
    the widest gap cannot tell where the rows meet. Cut above '理要點', it would be row 2's, whose
    plan cell it happens to centre on row 2's other cells; the table sets its cells at the top,
    and cut under it every row's cells start level."""
    kpi = Column(Role.KPI, 180, 300)
    columns = [kpi, Column(Role.ACTUAL, 300, 360, year=108), Column(Role.PLANS, 520, 720)]
    size = 8.63
    glyphs = [
        *word("BC1.1使用率", 184, 100.7, size),
        *word("85.5%", 304, 100.7, size),
        *word("BC1.1.1陳情案件處", 524, 100.7, size),
        *word("理要點", 524, 112.0, size),
        *word("BC2.1逾期件數", 184, 122.9, size),
        *word("6件", 304, 122.9, size),
        *word("苗栗縣民政團隊為民服務", 524, 122.9, size),
        *word("現場考核實施計畫", 524, 134.1, size),
        *word("BP1.1社區環境", 184, 188.9, size),
        *word("點改善處數", 184, 200.2, size),
        *word("58", 304, 188.9, size),
        *word("BP1.1.1各區", 524, 188.9, size),
        *word("費執行要點", 524, 200.2, size),
    ]
    anchors = [ln for ln in group_lines(g for g in glyphs if kpi.holds(g)) if starts_with_code(ln.text)]
    bounds = row_bounds(anchors, [], kpi, glyphs, [], [], (95, 215), columns)
    assert 120.63 <= bounds[1][0] <= 122.9
    plans = [g for g in glyphs if columns[2].holds(g)]
    assert _lines(plans, *bounds[0], first=True) == ["BC1.1.1陳情案件處", "理要點"]


def test_rows_centred_with_lines_at_one_pitch_are_cut_where_the_row_above_centres():
    """Aspose.Words centres every cell in its row, with no rules, and spaces all lines at one
    pitch: row 1's values ('1,20' / '0,00' / '0元') and plans (five lines) leave gaps alike down
    to row 2's code. The first of them would cut '0元' and the plans' last lines into row 2; cut
    under the plans' last line, row 1's cells centre on its KPI cell."""
    kpi = Column(Role.KPI, 140, 230)
    columns = [kpi, Column(Role.ACTUAL, 238, 275, year=110), Column(Role.PLANS, 402, 520)]
    size = 9.0
    glyphs = [
        *word("AF1.1.1", 402, 121.2, size, advance=0.55),
        *word("1,20", 238, 138.3, size, advance=0.55),
        *word("臺中市區民活動中心", 402, 138.3, size),
        *word("AF1.1場地收入", 140, 155.3, size),
        *word("0,00", 238, 155.3, size, advance=0.55),
        *word("理計畫", 402, 155.3, size),
        *word("0元", 238, 172.4, size),
        *word("AF1.1.2", 402, 172.4, size, advance=0.55),
        *word("監督寺廟條例", 402, 189.5, size),
        *word("AC1.1.1", 402, 206.5, size, advance=0.55),
        *word("基層藝文活動", 402, 223.6, size),
        *word("AC1.1使用率", 140, 240.7, size),
        *word("80.4%", 238, 240.7, size, advance=0.55),
        *word("AC1.1.2", 402, 240.7, size, advance=0.55),
        *word("臺中市志願服務", 402, 257.7, size),
        *word("AC1.1.3", 402, 274.8, size, advance=0.55),
    ]
    anchors = [ln for ln in group_lines(g for g in glyphs if kpi.holds(g)) if starts_with_code(ln.text)]
    bounds = row_bounds(anchors, [], kpi, glyphs, [], [], (115, 290), columns)
    assert 198.5 <= bounds[1][0] <= 206.5
    values = [g for g in glyphs if columns[1].holds(g)]
    assert _lines(values, *bounds[0], first=True) == ["1,20", "0,00", "0元"]


def test_a_code_line_crossing_its_own_top_rule_starts_its_row_there():
    """Aspose.Cells centres a cell's text taller than its fixed-height row on the row, so every
    row's first line pokes 1.1 pt up over the rule above it (rules at 224.3, 246.2, 268.0). Each
    rule is its lower row's top: taken for the boundary one row further up, every row was cut a
    row late and the last two KPIs ran together ('88%\n97%')."""
    kpi = Column(Role.KPI, 240, 388, span=(240, 388))
    columns = [kpi, Column(Role.ACTUAL, 610, 696, year=108)]
    size = 11.04
    glyphs = [
        *word("BL1.1", 243, 223.2, size),
        *word("課程參訓人數", 243, 234.1, size),
        *word("104人", 640, 228.6, size),
        *word("BL2.1", 243, 245.1, size),
        *word("本區全體里鄰", 243, 256.0, size),
        *word("88%", 640, 250.5, size),
        *word("BL2.2", 243, 266.9, size),
        *word("本府防範惡意電子", 243, 277.8, size),
        *word("97%", 640, 283.3, size),
    ]
    rules = [Rule(p, 86, 1103) for p in (224.3, 246.15, 267.99)]
    anchors = [ln for ln in group_lines(g for g in glyphs if kpi.holds(g)) if starts_with_code(ln.text)]
    bounds = row_bounds(anchors, [], kpi, glyphs, [], rules, (202.0, 311.7), columns)
    assert [round(t, 1) for t, _ in bounds] == [202.0, 246.2, 268.0]
    values = [g for g in glyphs if columns[1].holds(g)]
    assert [_lines(values, *b, first=i == 0) for i, b in enumerate(bounds)] == [["104人"], ["88%"], ["97%"]]


def test_a_rule_drawn_through_a_code_line_is_not_its_row_s_top_when_one_stands_clear_above():
    """MuPDF's Story draws a row's borders over the next row's first line (rules at 246.2, 252.2
    and 256.2 around 'BL1.1', 248.8 to 259.2): the rule clear above the line is the row's top."""
    kpi = Column(Role.KPI, 40, 200, span=(40, 200))
    glyphs = [*word("BP2.2採購", 43, 232.8, 10.4), *word("BL1.1服務", 43, 248.8, 10.4), *word("BL1.2參與", 43, 300.9)]
    rules = [Rule(p, 0, 400) for p in (246.2, 252.2, 256.2, 298.2)]
    anchors = [ln for ln in group_lines(g for g in glyphs if kpi.holds(g)) if starts_with_code(ln.text)]
    bounds = row_bounds(anchors, [], kpi, glyphs, [], rules, (220.0, 350.0), [kpi])
    assert [round(t, 1) for t, _ in bounds] == [220.0, 246.2, 298.2]


def test_the_last_row_of_an_open_table_gets_room_below_its_text_up_to_the_next_title():
    """Without a closing rule the last row is given as much room below its text as above it, but
    never past the region's end: Firefox sets the next theme's title right under a zebra table
    with no rules, and its letters are no row's."""
    text = word("AF1.1收支比", 100, 290, size=10)  # text 290..300 in a row from 276: centre 295
    assert mirror_last_row([(200, 276), (276, 300)], text, closed=False, limit=400) == [(200, 276), (276, 314)]
    assert mirror_last_row([(200, 276), (276, 300)], text, closed=False, limit=305) == [(200, 276), (276, 305)]
    assert mirror_last_row([(276, 300)], text, closed=True, limit=305) == [(276, 300)]


def test_a_closing_rule_left_out_under_one_cell_still_closes_the_table():
    """Spire.Presentation draws a table's closing rule cell by cell and leaves out the piece under
    one column: the pieces at that height together still close the table, so the last row does
    not reach past it (and a spanning column's labels are not taken for one cell over the rule)."""
    kpi, actual, plans = Column(Role.KPI, 0, 300), Column(Role.ACTUAL, 300, 360, year=110), Column(Role.PLANS, 360, 700)
    columns = tuple(replace(c, span=(c.x0, c.x1)) for c in (kpi, actual, plans))
    layout = TableLayout(columns, header_top=40, body_top=80)
    text = word("DL2.1本府防範惡意電子郵件", 10, 200, size=7)
    pieces = [Rule(221.6, 0, 300), Rule(221.6, 360, 700)]  # none under the 110 column
    assert table_bottom(text, layout, pieces, limit=540) == 221.6
    assert table_bottom(text, layout, pieces[:1], limit=540) < 210, "one piece alone closes nothing"


def test_a_row_holding_two_rows_numbers_is_cut_wrong():
    """Asciidoctor PDF centres the KPI cell in its row and sets the other cells at the top: row 2's
    number, values and plans stand 12 pt above its code's line. Cut just above the code, row 1
    would hold its cells level at the top, and row 2's number and values too: two rows' numbers
    in one row tell that cut wrong, and the rows meet in the gap above row 2's number."""
    number, kpi = Column(Role.EXTRA, 20, 44, span=(20, 44)), Column(Role.KPI, 210, 380, span=(210, 380))
    actual, plans = Column(Role.ACTUAL, 390, 440, year=111, span=(390, 440)), Column(Role.PLANS, 620, 840)
    plans = replace(plans, span=(620, 840))
    glyphs = [
        *word("1", 31, 114.4),
        *word("AC1.1市民熱線案件結案滿意度", 228, 114.4),
        *word("不適", 397, 114.4),
        *word("用", 397, 126.7),
        *word("AC1.1.1臺北市新移民照顧", 622, 114.4),
        *word("2", 31, 148.0),
        *word("3,620件", 393, 148.0, advance=0.5),
        *word("AC1.2.1臺北市政府線上申辦", 622, 148.0),
        *word("AC1.2線上申辦案件數", 248, 160.4),
        *word("AC1.2.2臺北市民政團隊", 622, 160.4),
    ]
    anchors = [ln for ln in group_lines(g for g in glyphs if kpi.holds(g)) if starts_with_code(ln.text)]
    bounds = row_bounds(anchors, [], kpi, glyphs, [], [], (109.0, 188.0), [number, kpi, actual, plans])
    assert 136.7 < bounds[0][1] < 148.0
