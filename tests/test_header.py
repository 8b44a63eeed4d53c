"""Finding headers: which text on a page is a header's, where its band ends, and its columns."""

from __future__ import annotations

import pytest
from glyphs import drawn, word

from pipeline.extract.geometry import Glyph, group_lines
from pipeline.extract.header import find_layouts
from pipeline.extract.layout import Role
from pipeline.extract.rules import Rule


def test_a_stacked_label_running_on_under_the_header_s_name_keeps_the_column():
    """A spreadsheet's stacked 構面 label ('學' / '習' / '成' …) starting level with the header
    row: its first letter runs into the header's '構面', the next one sits under it."""
    glyphs = [
        *word("學構面", 30, 78, size=8),
        *word("策略性目標", 90, 78, size=8),
        *word("KPI", 200, 78, size=8),
        *word("108年實際值", 300, 78, size=8),
        *word("109年目標值", 380, 78, size=8),
        *word("行動方案", 480, 78, size=8),
        *word("習", 30, 87, size=8),
        *word("成", 30, 96, size=8),
        *word("AL1落實研習", 80, 96, size=8),
        *word("AL1.1出席率", 180, 96, size=8),
        *word("90%", 310, 96, size=8),
        *word("91%", 390, 96, size=8),
        *word("AL1.1.1研習計畫", 470, 96, size=8),
    ]
    under_header = [Rule(95, 0, 600), Rule(76, 0, 600)]  # the header row's cell, as a grid draws it
    (layout,) = find_layouts(group_lines(glyphs), glyphs, (under_header, []), 600, [])
    assert [c.role for c in layout.columns][:3] == [Role.PERSPECTIVE, Role.OBJECTIVE, Role.KPI]


def _header(objective: str, x0: float) -> list:
    """A one-line header at 45 (8 pt): the objective label as given, KPI, two year labels, plans."""
    labels = [(objective, x0), ("KPI", 200), ("110年實際值", 300), ("111年目標值", 380), ("行動方案", 480)]
    return [g for text, x in labels for g in word(text, x, 45, size=8)]


@pytest.mark.parametrize("first_line", ["3,38", "新指標"])
def test_a_value_s_first_line_under_a_year_label_is_data_not_the_label_s_end(first_line):
    """'3,38' (a value wrapped in a narrow year column) or '新指標' (a note's first line) under
    '110年實際值' would complete it as well as '(110' / '年)' would: a number that is no year, or
    words no header uses, never continue a label."""
    header = _header("策略目標", 90)
    first_row = [
        *word(first_line, 305, 58, size=8),
        *word("AC1.1線上申辦", 180, 63, size=8),
        *word("6", 305, 67, size=8),
    ]
    glyphs = [*header, *first_row]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(56, 0, 600), Rule(77, 0, 600)], []), 600, [])
    assert layout.body_top <= 58


def test_a_band_row_right_under_the_header_is_data():
    """'顧客構面' (a full-width 構面 band) set under '策略性目標' would complete it as a wrapped
    label's end does: a band row never continues a label."""
    header = _header("策略性目標", 40)
    band = word("顧客構面", 40, 56, size=8)
    row = [*word("AC1.1線上申辦", 180, 75, size=8), *word("88%", 305, 75, size=8)]
    glyphs = [*header, *band, *row]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([], []), 600, [])
    assert layout.body_top <= 56


def test_a_band_row_letter_spaced_under_the_header_names_no_column():
    """PDF::Table centres '顧 客 構 面', letter-spaced, in a band row under the header: its '客構面'
    reads as a stacked 構面 label beside one letter, and made a perspective column between the
    year columns that took the target's '2' of '2,348'. A line naming one perspective is a band."""
    header = _header("策略目標", 40)
    band = [g for i, ch in enumerate("顧客構面") for g in word(ch, 330 + i * 14, 58, size=8)]
    row = [*word("AC1.1線上申辦", 180, 75, size=8), *word("88%", 305, 75, size=8), *word("2,348", 385, 75, size=8)]
    glyphs = [*header, *band, *row]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([], []), 600, [])
    assert Role.PERSPECTIVE not in [c.role for c in layout.columns]
    assert layout.body_top <= 58


def test_a_perspective_named_right_above_the_header_opens_its_table():
    """A table for each perspective, each under its name ('顧客' at the table's left edge, left
    of the first label centred in its column): the rows under that header are that perspective's.
    A name further up, under the theme's title, is not."""
    header = _header("策略目標", 60)
    row = [*word("AC1.1線上申辦", 180, 60, size=8), *word("88%", 305, 60, size=8)]
    for top, expected in ((33, "顧客"), (20, None)):
        glyphs = [*word("顧客", 20, top, size=8), *header, *row]
        (layout,) = find_layouts(group_lines(glyphs), glyphs, ([], []), 600, [])
        assert (layout.opening_band.text if layout.opening_band else None) == expected


def test_a_value_note_naming_a_column_under_the_first_code_is_data():
    """'(調整計算方式)' (a value's note on its own line) names the 計算方式 column, and sits as
    close under the header as a second header line could: below the first row's code, where the
    data has begun, it is a cell's text, and the header ends above that row."""
    header = _header("策略目標", 90)
    first_row = [
        *word("AC1.1線上申辦", 180, 58, size=8),
        *word("94.4%", 305, 58, size=8),
        *word("(調整計算方式)", 300, 67, size=8),
        *word("AC1.1.1推廣計畫", 470, 58, size=8),
    ]
    glyphs = [*header, *first_row]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(56, 0, 600), Rule(77, 0, 600)], []), 600, [])
    assert layout.body_top <= 58
    assert Role.EXTRA not in [c.role for c in layout.columns]


def test_a_year_label_wrapped_onto_a_line_a_hair_above_the_first_s_bottom_is_one_label():
    """A browser sets the second line of '實際值(10' / '9年)' at the first line's bottom, which
    sums of floats may put a hair above it: the two are still one label naming 109."""
    glyphs = [
        *word("構面", 20, 45, size=8),
        *word("策略目標", 60, 45, size=8),
        *word("KPI", 200, 45, size=8),
        *word("實際值(10", 300, 40, size=8),
        *word("9年)", 310, 48 - 1e-9, size=8),
        *word("目標值(11", 380, 40, size=8),
        *word("0年)", 390, 48 - 1e-9, size=8),
        *word("行動方案", 480, 45, size=8),
        *word("AC1.1線上申辦", 180, 70, size=8),
    ]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([], []), 600, [])
    years = [(c.role, c.year) for c in layout.columns if c.year is not None]
    assert years == [(Role.ACTUAL, 109), (Role.TARGET, 110)]


def test_a_first_row_printed_over_a_header_too_short_for_its_labels_is_data():
    """A drawing library's header row too short for its wrapped labels '實際值(1' / '05年)': the
    first row's first line starts 4 pt above the label's last line's bottom, and the rule under
    the header lies below both. The header ends above that line, which holds codes."""
    glyphs = [
        *word("構面", 20, 74),
        *word("策略目標", 60, 74),
        *word("衡量指標", 150, 74),
        *word("實際值(1", 260, 74),
        *word("05年)", 265, 87),
        *word("行動方案", 480, 74),
        *word("AC1推廣", 60, 93),
        *word("AC1.1參與人次", 140, 93),
        *word("3108人次", 262, 93),
    ]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(101.5, 0, 600)], []), 600, [])
    assert 92 <= layout.body_top <= 93


def test_a_label_end_printed_over_the_first_row_is_the_header_s():
    """An Impress header row too short for '實際值' / '(107' / '年)': the label's last line is
    printed down on the first row's line, over the value '13'. Drawn right after the label, before
    the row, it completes the label (the 107 column) and is no part of the row's text."""
    label = drawn(
        word("構面", 20, 64),
        word("策略目標", 60, 64),
        word("衡量指標", 150, 64),
        word("行動方案", 330, 64),
        word("實際值", 494, 64),
        word("(107", 496, 78, advance=0.6),
        word("年)", 502, 93),
        word("AP1.1參與人次", 140, 93),
        word("13", 490, 93),
    )
    (layout,) = find_layouts(group_lines(label), label, ([], []), 600, [])
    years = [(c.role, c.year) for c in layout.columns if c.year is not None]
    assert years == [(Role.TARGET, 107)]
    assert "".join(g.text for g in sorted(layout.label_ends, key=lambda g: g.x0)) == "年)"
    assert "".join(g.text for g in layout.without_label_ends(label) if g.top >= 93 and g.x0 >= 480) == "13"


def test_a_two_letter_label_s_second_letter_over_the_first_row_is_the_header_s():
    """PyMuPDF wraps '項次' in a narrow first cell, its '次' printed right under '項', over the
    first row (whose number '1' stands under it): drawn right after '項', it ends that label, so
    the row numbers have a column of their own and are no 構面 label ('次1'). The same letter
    drawn with the row's text, after it, or going on, on its line, with more text, is the row's."""

    def page(numbering_end: list, *after: list) -> list:
        return drawn(
            word("項", 20, 64),
            numbering_end,
            word("構面", 45, 64),
            word("策略目標", 90, 64),
            word("KPI", 200, 64),
            word("110年實際值", 290, 64),
            word("111年目標值", 370, 64),
            word("行動方案", 520, 64),
            word("1", 21, 86),
            word("顧客", 45, 86),
            word("AC1推廣", 90, 86),
            word("AC1.1出席率", 180, 86),
            *after,
        )

    glyphs = page(word("次", 20, 76))
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(80, 0, 600)], []), 600, [])
    assert [g.text for g in layout.label_ends] == ["次"]
    assert [c.role for c in layout.columns][:2] == [Role.EXTRA, Role.PERSPECTIVE]
    glyphs = page([], word("次", 20, 76))
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(80, 0, 600)], []), 600, [])
    assert not layout.label_ends
    glyphs = page(word("次數", 20, 76))
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(80, 0, 600)], []), 600, [])
    assert not layout.label_ends


def test_a_two_letter_label_s_second_letter_set_a_tall_line_under_is_the_header_s():
    """Flying Saucer sets the header in 9 pt type 25 pt a line: '項' / '次' and '實際值(106' /
    '年)' each end their label 17 pt under its first line, over the first row. The year labels'
    ends tell how far under its cell a label's end may fall: '次' ends '項' too, and the row
    numbers have a column of their own, not read as the 構面 label '次'. So does '項' / '次'
    centred on the line of one-line labels, a line above it and a line below (seed 7201's
    more22 deck published '次' as every KPI's perspective). With neither, a letter 17 pt under
    one level with the labels stays the row's."""

    def page(year_label: list, numbering_top: float = 88) -> list:
        return drawn(
            word("項", 40, numbering_top, size=9),
            word("次", 40, numbering_top + 25, size=9),
            word("構面", 74, 100, size=9),
            word("策略目標", 144, 100, size=9),
            word("KPI(關鍵績效指標)", 265, 100, size=9),
            *year_label,
            word("行動計畫", 711, 100, size=9),
            word("1", 38, 157, size=9),
            word("顧客", 74, 157, size=9),
            word("AC1增進公民會館", 144, 157, size=9),
            word("AC1.1平均等候時間", 265, 157, size=9),
            word("5.9", 403, 157, size=9),
        )

    glyphs = page([word("實際值(106", 402, 88, size=9), word("年)", 419, 113, size=9)])
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([], []), 842, [])
    assert sorted(g.text for g in layout.label_ends) == [")", "年", "次"]
    assert [c.role for c in layout.columns][:2] == [Role.EXTRA, Role.PERSPECTIVE]
    glyphs = page([word("實際值(106年)", 402, 100, size=9)])
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([], []), 842, [])
    assert [g.text for g in layout.label_ends] == ["次"]
    assert [c.role for c in layout.columns][:2] == [Role.EXTRA, Role.PERSPECTIVE]
    glyphs = page([word("實際值(106年)", 402, 100, size=9)], numbering_top=100)
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([], []), 842, [])
    assert not layout.label_ends


def test_a_row_s_text_drawn_after_the_header_completes_no_label():
    """The same '年)' drawn with the row, after its value, is the row's: drawing order tells."""
    glyphs = drawn(
        word("構面", 20, 64),
        word("策略目標", 60, 64),
        word("衡量指標", 150, 64),
        word("行動方案", 330, 64),
        word("實際值(107年)", 494, 64),
        word("AP1.1參與人次", 140, 93),
        word("13", 490, 93),
        word("年)", 502, 93),
    )
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([], []), 600, [])
    assert not layout.label_ends


def test_a_cell_s_text_drawn_right_after_its_column_s_label_completes_no_label():
    """Calligra Sheets draws a column's cells right after its header cell: the 111 cell's
    '指標調整' follows '111年實際值' in drawing order, and its '指標' are letters a header uses,
    but the line goes on with words no header uses: the cell's own text, not the label's end."""
    glyphs = drawn(
        word("策略目標", 60, 64),
        word("衡量指標", 150, 64),
        word("行動方案", 330, 64),
        word("111年實際值", 440, 64),
        word("指標調整", 440, 93),
        word("AP1.1參與人次", 140, 93),
    )
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(80, 0, 600)], []), 600, [])
    assert not layout.label_ends


def test_a_band_row_level_with_wrapped_label_ends_opens_the_body():
    """A drawing library's header row one line high: the year labels wrap down into the band row
    '顧客' under it, and the rule under that row closes the header. The band is the first rows'
    perspective, not header text."""
    glyphs = [
        *word("策略目標", 60, 75),
        *word("衡量指標", 150, 75),
        *word("實際值(1", 300, 75),
        *word("10年)", 310, 88),
        *word("目標值(1", 380, 75),
        *word("11年)", 390, 88),
        *word("行動計畫", 480, 75),
        *word("顧客", 60, 88),
        *word("BC1推廣", 60, 115),
        *word("BC1.1線上申辦", 150, 115),
    ]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(108, 0, 600)], []), 600, [])
    assert layout.body_top == 108
    assert layout.opening_band is not None and layout.opening_band.text == "顧客"


def test_the_first_row_s_text_raised_into_the_header_band_is_the_row_s():
    """ReportLab centres a cell taller than its row of fixed height: '95.0%(調' is printed up in
    the header's band, over the label '08年)'; drawn after the header and going on below the body's
    top ('整計算方'), it is the first row's text, named in the layout and kept out of the labels."""
    glyphs = drawn(
        word("策略目標", 60, 75),
        word("KPI", 150, 75),
        word("實際值(1", 300, 75),
        word("08年)", 306, 88),
        word("行動方案", 480, 75),
        word("AF1.2預算", 150, 110),
        word("95.0%(調", 300, 94),
        word("整計算方", 300, 107),
        word("AF1.2.1計畫", 480, 110),
    )
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(101, 0, 600)], []), 600, [])
    assert [(c.role, c.year) for c in layout.columns if c.year] == [(Role.TARGET, 108)]
    assert "".join(g.text for g in sorted(layout.raised, key=lambda g: g.x0)) == "95.0%(調"


def test_a_header_parted_by_a_page_break_is_read_on_the_next_page():
    """A Writer table's two header rows fall on two pages: the label row stands at one page's
    foot, nothing under it; the year row tops the next page, over the rows. The labels carry over
    and each stacks on the years it spans: 實際值 over 106–108, 目標值 over 109."""
    labels = [*word("構面", 60, 521), *word("策略目標", 140, 521), *word("關鍵績效指標", 220, 521)]
    labels += [*word("實際值", 401, 521), *word("目標值", 569, 521), *word("行動計畫", 648, 521)]
    parted: list = []
    assert find_layouts(group_lines(labels), labels, ([], []), 842, [], None, parted) == []
    assert parted, "the label row waits for the next page"
    page = [*word("106年", 317, 45), *word("107年", 401, 45), *word("108年", 486, 45), *word("109年", 570, 45)]
    page += [*word("DC1.1藝文", 211, 62), *word("10,843", 295, 62), *word("DC1.1.1計畫", 631, 62)]
    (layout,) = find_layouts(group_lines(page), page, ([], []), 842, [], None, parted)
    years = [(c.role, c.year) for c in layout.columns if c.year]
    assert years == [(Role.ACTUAL, 106), (Role.ACTUAL, 107), (Role.ACTUAL, 108), (Role.TARGET, 109)]
    assert parted == [], "used once"


def test_a_header_parted_by_a_page_break_is_read_though_a_new_table_follows_on_the_page():
    """TCPDF moves a table's year row, kept with the rows under it, to the next page, which
    also holds the next theme's table under its own header further down. The year row still
    joins the label row of the page before: the page reads two tables."""
    labels = [*word("構面", 60, 521), *word("策略目標", 140, 521), *word("關鍵績效指標", 220, 521)]
    labels += [*word("實際值", 401, 521), *word("目標值", 569, 521), *word("行動計畫", 648, 521)]
    parted: list = []
    assert find_layouts(group_lines(labels), labels, ([], []), 842, [], None, parted) == []
    page = [*word("106年", 317, 45), *word("107年", 401, 45), *word("108年", 486, 45), *word("109年", 570, 45)]
    page += [*word("DC1.1藝文", 211, 62), *word("10,843", 295, 62), *word("DC1.1.1計畫", 631, 62)]
    page += [g.moved(0, -221) for g in labels]  # the next theme's header at 300, its years under it
    page += [*word("106年", 317, 312), *word("107年", 401, 312), *word("108年", 486, 312), *word("109年", 570, 312)]
    page += [*word("EC1.1志工", 211, 330), *word("42", 295, 330), *word("EC1.1.1計畫", 631, 330)]
    upper, lower = find_layouts(group_lines(page), page, ([], []), 842, [300], None, parted)
    for layout in (upper, lower):
        years = [(c.role, c.year) for c in layout.columns if c.year]
        assert years == [(Role.ACTUAL, 106), (Role.ACTUAL, 107), (Role.ACTUAL, 108), (Role.TARGET, 109)]
    assert upper.body_top < 62 and lower.header_top == 300


def _weight_and_year_page(rows: list[tuple[str, str]]) -> list:
    """A header '權重' over 15% and '110年' over left-aligned values whose digits are half an em
    wide, set 0.5 em before their CJK unit (XeLaTeX spaces CJK from digits), a row every 20 pt."""
    glyphs = [*word("KPI", 100, 45, size=8), *word("權重", 292, 45, size=8), *word("110年", 328, 57, size=8)]
    glyphs += [*word("實際值", 330, 45, size=8), *word("111年目標值", 420, 45, size=8)]
    glyphs += word("行動計畫", 520, 45, size=8)
    for i, (digits, unit) in enumerate(rows):
        top = 75 + 20 * i
        glyphs += [*word(f"AC1.{i + 1}名稱", 100, top, size=8), *_narrow("15%", 286.35, top)]
        glyphs += [*_narrow(digits, 317.27, top), *word(unit, 317.27 + 4 * len(digits) + 4, top, size=8)]
    return glyphs


def _narrow(text: str, x0: float, top: float) -> list[Glyph]:
    """Latin letters of 8 pt type, each half an em wide."""
    return [Glyph(ch, x0 + 4 * i, x0 + 4 * (i + 1), top, top + 8, 8, False) for i, ch in enumerate(text)]


def test_a_page_of_one_row_keeps_the_edges_of_the_same_header_on_the_page_before():
    """Three rows show that the 110 values start at 317: the edge lies before them. A page of one
    row under the same header cannot tell whether its '9' is the 權重 cell's or the value's; it
    keeps the page before's edge, which its text leaves clear."""
    seen: dict = {}
    many = _weight_and_year_page([("1216734", "元"), ("5.8", ""), ("121668", "人次")])
    (first,) = find_layouts(group_lines(many), many, ([], []), 600, [], seen)
    edge = first.column(Role.ACTUAL).x0
    assert edge <= 317.27
    one = _weight_and_year_page([("9", "")])  # with its unit '件' it would reach under the 110 label
    (alone,) = find_layouts(group_lines(one), one, ([], []), 600, [])
    (kept,) = find_layouts(group_lines(one), one, ([], []), 600, [], seen)
    assert alone.column(Role.ACTUAL).x0 > 317.27, "by its own text"
    assert kept.column(Role.ACTUAL).x0 == edge
    with_unit = _weight_and_year_page([("9", "件")])
    (own,) = find_layouts(group_lines(with_unit), with_unit, ([], []), 600, [])
    assert own.column(Role.ACTUAL).x0 <= 317.27, "'9件' reaches under the 110 label: that column's"


def test_a_wrapped_note_naming_a_column_under_a_row_set_without_gutters_is_data():
    """XeLaTeX sets a table with 2 pt gutters: the first row ('顧客構面AC1增進…AC1.1志願…') reads
    as one run; under it, the 108 value's note ends '計算方式)', which names the 計算方式 column.
    A line printing a KPI code anywhere is a data row: what lies under it is no header."""
    glyphs = [
        *word("構面", 10, 43),
        *word("策略性目標", 60, 43),
        *word("KPI", 150, 43),
        *word("108年實際值", 300, 43),
        *word("109年目標值", 400, 43),
        *word("行動計畫", 500, 43),
        *word("顧客構面AC1增進AC1.1志願服務人次2,046(調整", 10, 54, advance=1.0),
        *word("計算方式)", 300, 65),
    ]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([], []), 600, [])
    assert Role.EXTRA not in [c.role for c in layout.columns]


def test_a_label_wrapped_a_letter_a_line_and_centred_over_the_header_line_is_read():
    """pdfmake wraps '構面' a letter a line in a column too narrow for both and centres it on the
    one-line header: '構' stands half a line above the other labels, '面' half a line below."""
    glyphs = [
        *word("構", 34, 61, size=7),
        *_header("策略性目標", 77),
        *word("面", 34, 71, size=7),
        *word("內", 34, 88, size=7),
        *word("AP1", 88, 88, size=7),
        *word("AP1.1公文", 200, 88, size=7),
        *word("13場", 305, 88, size=7),
        *word("AP1.1.1計畫", 480, 88, size=7),
    ]
    glyphs = [g.moved(0, 21) if g.top == 45 else g for g in glyphs]  # the header's line at 66
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(82, 0, 600)], []), 600, [])
    assert [c.role for c in layout.columns][:3] == [Role.PERSPECTIVE, Role.OBJECTIVE, Role.KPI]
    assert layout.header_top == 61


def test_a_label_wrapped_at_a_loose_line_height_is_read_whole():
    """pdfmake with line height 1.3 sets Noto's lines 1.9 em apart: '構' / '面' stand 0.9 em
    apart in a header cell spanning both header rows."""
    glyphs = [
        *word("構", 34, 62, size=9),
        *word("面", 34, 78.9, size=9),
        *[
            g
            for text, x in (("策略目標", 75), ("KPI", 148), ("實際值", 300), ("行動方案", 620))
            for g in word(text, x, 62, size=9)
        ],
        *[g for year, x in ((107, 265), (108, 355), (109, 445)) for g in word(f"{year}年", x, 83.4, size=9)],
        *word("110年目標值", 520, 62, size=9),
        *word("顧", 34, 105, size=9),
        *word("AC1.1陳情", 148, 105, size=9),
        *word("5件", 270, 105, size=9),
        *word("AC1.1.1計畫", 620, 105, size=9),
    ]
    rules = [Rule(p, 0, 700) for p in (55.2, 76.9, 98.4)]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, (rules, []), 720, [])
    assert layout.columns[0].role == Role.PERSPECTIVE


def test_the_year_row_of_a_two_row_header_under_a_tall_top_row_is_the_header_s():
    """Scribus sets table labels at the top of their cells: a top row made tall by a stacked
    '構' / '面' leaves the year row 27 pt (over three ems) under '實際值' / '目標值'. The years
    still belong to the header, the one under 目標值 the target."""
    labels = [("構", 40), ("策略性目標", 70), ("衡量指標", 160), ("實際值", 317), ("目標值", 402), ("行動計畫", 484)]
    glyphs = [g for text, x in labels for g in word(text, x, 76, size=8)]
    glyphs += word("面", 40, 86, size=8)
    glyphs += [
        g
        for x, year in ((276, "106年"), (318, "107年"), (361, "108年"), (403, "109年"))
        for g in word(year, x, 102, size=8)
    ]
    glyphs += [*word("AF1.1經常門", 160, 126, size=8), *word("265", 280, 126, size=8), *word("241", 405, 126, size=8)]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(74, 0, 600), Rule(120, 0, 600)], []), 600, [])
    years = [(c.role, c.year) for c in layout.columns if c.year is not None]
    assert years == [(Role.ACTUAL, 106), (Role.ACTUAL, 107), (Role.ACTUAL, 108), (Role.TARGET, 109)]


def _dompdf_header(top: float, stacked: bool) -> list[Glyph]:
    """Dompdf's header of a table sized from its content (9 pt): year labels one line each in wide
    columns, or, for 111 and 112, wrapped a few letters a line and centred in narrow ones,
    starting a line above the other labels and ending a line below them ('111' / '年' / '實際' /
    '值')."""
    labels = [("構", 33, 16), ("策略性目標", 63, 24), ("衡量指標", 143, 24), ("行動計畫", 407, 24), ("面", 33, 32)]
    labels += [("113年", 717, 16), ("114年", 760, 16), ("實際值", 717, 32), ("目標值", 760, 32)]
    if not stacked:
        labels += [("111年", 616, 16), ("112年", 667, 16), ("實際值", 616, 32), ("實際值", 667, 32)]
    for x, year in ((656, "111"), (683, "112")) if stacked else ():
        labels += [(year, x, 0), ("年", x + 3, 16), ("實際", x, 32), ("值", x + 3, 48)]
    return [g for text, x, dy in labels for g in word(text, x, top + dy, size=9, advance=0.6 if text.isdigit() else 1)]


def test_year_labels_stacked_in_narrow_cells_are_read_though_another_table_names_their_years():
    """A page holding a continued table under a repeated header too narrow for its year labels,
    wrapped a few letters a line, and a new theme's table whose wider columns name the same years
    on one line each. The narrow header's years are its own columns, and its band reaches their
    last line."""
    row = [
        *word("BF1.1年度預算執行率", 125, 99, size=9),
        *word("96.7", 652, 99, size=9),
        *word("97.5", 770, 99, size=9),
    ]
    lower_row = [*word("CP1.1演練場次", 175, 340, size=9), *word("13場", 620, 340, size=9)]
    glyphs = [*_dompdf_header(32, stacked=True), *row, *_dompdf_header(285, stacked=False), *lower_row]
    upper, lower = find_layouts(group_lines(glyphs), glyphs, ([], []), 842, [])
    for layout in (upper, lower):
        years = [(c.role, c.year) for c in layout.columns if c.year is not None]
        assert years == [(Role.ACTUAL, 111), (Role.ACTUAL, 112), (Role.ACTUAL, 113), (Role.TARGET, 114)]
    assert upper.header_top == 32 and 89 < upper.body_top < 99, "the labels' last line, '值', is the header's"


def test_a_title_row_s_year_atop_the_header_labels_names_no_column():
    """Aspose.Cells prints a title row inside the table's head, '桃園市政府文化局 110年度', right
    above the labels, its year over the 構面 column: a bare year on a line with a title's words
    is the title's, and 構面 keeps its column. A year row's bare years stay labels."""
    glyphs = [
        *word("桃園市政府文化局", 20, 60, size=8),
        *word("110年度", 100, 60, size=8),
        *word("構面", 60, 71, size=8),
        *word("策略目標", 110, 71, size=8),
        *word("KPI", 200, 71, size=8),
        *word("實際值(109年)", 300, 71, size=8),
        *word("目標值(110年)", 380, 71, size=8),
        *word("行動計畫", 480, 71, size=8),
        *word("顧客", 60, 90, size=8),
        *word("AC1推廣", 110, 90, size=8),
        *word("AC1.1出席率", 180, 90, size=8),
        *word("90%", 310, 90, size=8),
        *word("91%", 390, 90, size=8),
        *word("AC1.1.1研習計畫", 470, 90, size=8),
    ]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(82, 0, 600)], []), 600, [])
    assert [c.role for c in layout.columns][:3] == [Role.PERSPECTIVE, Role.OBJECTIVE, Role.KPI]
    assert [c.year for c in layout.columns if c.year] == [109, 110]
    assert layout.header_top >= 70


def test_a_header_cell_holding_the_start_of_an_extra_column_s_name_is_that_column():
    """Aspose.PDF drops a wrapped cell's last line when it is a letter or two: the 權重 label
    prints as '權' alone. The weights under it are its column's, not the target's."""
    glyphs = [
        *word("策略目標", 90, 71, size=8),
        *word("KPI", 200, 71, size=8),
        *word("109年實際值", 290, 71, size=8),
        *word("110年目標值", 370, 71, size=8),
        *word("權", 450, 71, size=8),
        *word("行動計畫", 500, 71, size=8),
        *word("AC1推廣", 90, 90, size=8),
        *word("AC1.1出席率", 180, 90, size=8),
        *word("90%", 300, 90, size=8),
        *word("≧91%", 380, 90, size=8),
        *word("5%", 450, 90, size=8),
        *word("AC1.1.1研習計畫", 490, 90, size=8),
    ]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(82, 0, 600)], []), 600, [])
    roles = [c.role for c in layout.columns]
    assert roles == [Role.OBJECTIVE, Role.KPI, Role.ACTUAL, Role.TARGET, Role.EXTRA, Role.PLANS]
    target = layout.column(Role.TARGET)
    assert target is not None and target.x1 <= 450


def _header_with(label: str, x: float, under: str | None) -> list:
    """A one-line header with `label` at `x` between the target and the plans, and a row with
    `under` beneath it (nothing when None)."""
    glyphs = [
        *word("策略目標", 90, 71, size=8),
        *word("KPI", 200, 71, size=8),
        *word("109年實際值", 290, 71, size=8),
        *word("110年目標值", 370, 71, size=8),
        *word(label, x, 71, size=8),
        *word("行動計畫", 520, 71, size=8),
        *word("AC1推廣", 90, 90, size=8),
        *word("AC1.1出席率", 180, 90, size=8),
        *word("90%", 300, 90, size=8),
        *word("≧91%", 380, 90, size=8),
        *word("AC1.1.1研習計畫", 510, 90, size=8),
    ]
    return glyphs + (word(under, x - 14, 90, size=8) if under else [])


@pytest.mark.parametrize(("label", "under"), [("承辦科室", "民政課"), ("計算公式", "年度累計數"), ("配分", "5%")])
def test_a_header_cell_naming_a_column_the_parser_does_not_know_is_an_extra_column(label, under):
    """An office's own column ('承辦科室', '計算公式') named by no known label: its text would
    run into the next cell's (a KPI's name, a plan, a value) unless the column is one of its own.
    Its text is set left, the label centred: '5%' stands left of '配分'."""
    glyphs = _header_with(label, 450, under)
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(82, 0, 600)], []), 600, [])
    roles = [c.role for c in layout.columns]
    assert roles == [Role.OBJECTIVE, Role.KPI, Role.ACTUAL, Role.TARGET, Role.EXTRA, Role.PLANS]
    plans = layout.column(Role.PLANS)
    assert plans is not None and plans.x0 > 450


def test_header_text_with_nothing_under_it_is_no_column():
    """Words in the header's band that name nothing and stand over no text of the body (a caption,
    a stamp) are no column."""
    glyphs = _header_with("資訊揭露", 450, None)
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(82, 0, 600)], []), 600, [])
    assert Role.EXTRA not in [c.role for c in layout.columns]


def test_a_year_row_beside_the_first_line_of_an_unknown_label_keeps_its_years():
    """Chromium wraps '主辦單位' (a column the parser does not know) as '主辦單' / '位', level with
    the year row '111年 … 114年' over their '實際值' / '目標值': words no header holds beside a
    bare year make a title's year ('桃園市政府文化局 110年度'), but a title names one year."""
    glyphs = [
        *word("策略目標", 90, 62, size=8),
        *word("KPI", 200, 62, size=8),
        *word("行動方案", 260, 62, size=8),
        *[g for i, y in enumerate(range(111, 115)) for g in word(f"{y}年", 330 + 45 * i, 56, size=8)],
        *[g for i, k in enumerate(["實際值"] * 3 + ["目標值"]) for g in word(k, 330 + 45 * i, 67, size=8)],
        *word("主辦單", 520, 56, size=8),
        *word("位", 530, 67, size=8),
        *word("AC1推廣", 90, 90, size=8),
        *word("AC1.1出席率", 180, 90, size=8),
        *word("AC1.1.1研習", 250, 90, size=8),
        *[g for i in range(4) for g in word("90%", 330 + 45 * i, 90, size=8)],
        *word("民政課", 520, 90, size=8),
    ]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(82, 0, 600)], []), 600, [])
    assert [c.year for c in layout.columns if c.year] == [111, 112, 113, 114]
    assert layout.columns[-1].role is Role.EXTRA


@pytest.mark.parametrize(
    ("kind_line", "year_line"),
    [("實際", "值({year}"), ("實際值", "({year}")],
    ids=["calibre", "impress"],
)
def test_year_labels_wrapped_beside_the_end_of_a_numbering_label_read_whole(kind_line, year_line):
    """calibre and LibreOffice Impress wrap '序號' as '序' / '號' and each year label over three
    lines, calibre as '實際' / '值(110' / '年)', Impress as '實際值' / '(110' / '年)'. '號' is no
    header's letter, but it ends a label begun on the labels' line, so the years' lines beside it
    are still the header's (Impress's name nothing but years, and the line under them ends them in
    header letters): each year is read, and the header ends under '年)', not above it."""
    labels = [("序", 30), ("構面", 60), ("策略性目標", 100), ("衡量指標", 200), ("行動方案", 300)]
    glyphs = [g for text, x in labels for g in word(text, x, 60, size=8)]
    for i, (kind, year) in enumerate([("實際", 110), ("實際", 111), ("實際", 112), ("目標", 113)]):
        x = 400 + 50 * i
        first = kind_line.replace("實際", kind)
        glyphs += [*word(first, x, 60, size=8), *word(year_line.format(year=year), x, 71, size=8)]
        glyphs += word("年)", x, 82, size=8)
    glyphs += word("號", 30, 71, size=8)
    glyphs += [*word("1", 30, 110, size=8), *word("AC1推廣", 100, 110, size=8), *word("AC1.1出席率", 200, 110, size=8)]
    glyphs += [*word("AC1.1.1研習", 300, 110, size=8)]
    glyphs += [g for i in range(4) for g in word("90%", 400 + 50 * i, 110, size=8)]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(95, 0, 600)], []), 600, [])
    assert [(c.role, c.year) for c in layout.columns if c.year] == [
        (Role.ACTUAL, 110),
        (Role.ACTUAL, 111),
        (Role.ACTUAL, 112),
        (Role.TARGET, 113),
    ]
    assert layout.body_top >= 90


def test_year_labels_wrapped_a_few_digits_a_line_beside_labels_no_column_is_known_by():
    """jsPDF's autotable wraps '109年' as '10' / '9' / '年' in narrow year cells, the first line
    level with the labels and the ends of '主辦' / '單位' and '配' / '分' (labels no column is known
    by): that line is still the header's, and the years are read."""
    labels = [word("構面", 30, 89, size=7), word("策略性目標", 70, 89, size=7), word("KPI", 150, 89, size=7)]
    labels += [word("主辦", 303, 84, size=7), word("單位", 303, 93, size=7), word("配", 328, 84, size=7)]
    labels += [word("分", 328, 93, size=7), word("行動方案", 420, 89, size=7), word("實際值", 612, 73, size=7)]
    years = [part for x, y in ((616, "109"), (636, "110"), (655, "111")) for part in ((x, y[:2]), (x, y[2]), (x, "年"))]
    stacked = [word(text, x, 95 + 9 * (i % 3), size=7) for i, (x, text) in enumerate(years)]
    target = [
        word(text, 676, top, size=7) for text, top in (("目", 64), ("標", 73), ("值", 82), ("112", 100), ("年", 109))
    ]
    rows = [word("DC1.1申辦案件", 150, 126, size=7), word("94%", 616, 126, size=7), word("95%", 636, 126, size=7)]
    rows += [word("96%", 655, 126, size=7), word("97%", 674, 126, size=7), word("DC1.1.1推廣計畫", 420, 126, size=7)]
    glyphs = drawn(*labels, *stacked, *target, *rows)
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(122, 0, 720)], []), 720, [])
    assert [c.year for c in layout.columns if c.year] == [109, 110, 111, 112]


def test_a_label_no_column_is_known_by_over_no_rows_yet_is_a_column():
    """calibre sets a theme's title and header at a page's foot and its rows on the next page: with
    no row under the header, '計算公式' is taken at its word, so that the next page's rows, read
    with this header's columns, keep its text out of the KPI names."""
    glyphs = [g for g in _header_with("計算公式", 450, None) if g.top < 80]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(82, 0, 600)], []), 600, [], seen={}, parted=[])
    assert [c.role for c in layout.columns] == [
        Role.OBJECTIVE,
        Role.KPI,
        Role.ACTUAL,
        Role.TARGET,
        Role.EXTRA,
        Role.PLANS,
    ]


def test_a_band_row_under_a_header_with_no_rows_yet_is_no_label_s_line():
    """Qt sets a theme's header at a page's foot, its 構面 band row '顧客構面' right under it and
    the rows on the next page. The band row opens the rows to come; it is no wrapped line of the
    numbering label '編' / '號' above it, which stays a column of its own (the next page's row
    numbers read into the objectives otherwise). The only rule is drawn under the band row."""
    glyphs = [
        *word("編", 33, 522.5, size=10),
        *word("實際值(10", 408, 522.5, size=10, advance=0.6),
        *word("目標值(10", 470, 522.5, size=10, advance=0.6),
        *word("策略性目標", 84, 528, size=10),
        *word("KPI(關鍵績效指標)", 181, 528, size=10, advance=0.8),
        *word("行動計畫", 700, 528, size=10),
        *word("號", 33, 533.5, size=10),
        *word("5年)", 420, 533.5, size=10, advance=0.6),
        *word("6年)", 482, 533.5, size=10, advance=0.6),
        *word("顧客構面", 31, 550.5, size=10),
    ]
    hrules = [Rule(569, 28, 814)]  # under the band row: the body's top
    (layout,) = find_layouts(group_lines(glyphs), glyphs, (hrules, []), 842, [], seen={}, parted=[])
    assert [c.role for c in layout.columns][:2] == [Role.EXTRA, Role.OBJECTIVE]


def test_a_numbering_label_wrapped_above_the_header_line_is_a_column():
    """Aspose.Words wraps '項次' in its narrow first column as '項' / '次', centred, so '項' stands
    above the other labels' line: the header's band reaches up to it, and its column is one of
    its own, not the 構面 column's ('1顧客' read as a perspective)."""
    glyphs = [
        *word("項", 20, 65, size=8),
        *word("次", 20, 75, size=8),
        *word("構面", 45, 70, size=8),
        *word("策略目標", 90, 70, size=8),
        *word("KPI", 200, 70, size=8),
        *word("109年實際值", 290, 70, size=8),
        *word("110年目標值", 370, 70, size=8),
        *word("行動計畫", 520, 70, size=8),
        *word("1", 22, 95, size=8),
        *word("顧客", 45, 95, size=8),
        *word("AC1推廣", 90, 95, size=8),
        *word("AC1.1出席率", 180, 95, size=8),
        *word("90%", 300, 95, size=8),
        *word("≧91%", 380, 95, size=8),
        *word("AC1.1.1研習計畫", 510, 95, size=8),
    ]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(88, 0, 600)], []), 600, [])
    assert [c.role for c in layout.columns][:3] == [Role.EXTRA, Role.PERSPECTIVE, Role.OBJECTIVE]
    perspective = layout.column(Role.PERSPECTIVE)
    assert perspective is not None and perspective.x0 > 30


def test_year_labels_wrapped_over_four_lines_beside_an_unknown_label_read_whole():
    """Aspose.Words wraps '實際值(108年)' over four lines in a narrow cell ('實際' / '值(1' / '08' /
    '年)'), the other labels centred on its middle, '計算公' / '式' (a label no column is known by)
    and '構' / '面' among them: the header's band reaches up to the year labels' first line, so
    each year is read whole (not '08年)', year 8), and the unknown label's column is one of its
    own."""
    glyphs = [*word("實際", 300, 40, size=8), *word("目標", 340, 40, size=8)]
    glyphs += [*word("構", 20, 50, size=8), *word("計算公", 230, 50, size=8)]
    glyphs += [*word("值(1", 300, 50, size=8), *word("值(1", 340, 50, size=8)]
    glyphs += [*word("面", 20, 60, size=8), *word("策略目標", 60, 60, size=8), *word("KPI", 160, 60, size=8)]
    glyphs += [*word("式", 234, 60, size=8), *word("08", 302, 60, size=8), *word("09", 342, 60, size=8)]
    glyphs += [*word("行動方案", 420, 60, size=8)]
    glyphs += [*word("年)", 302, 70, size=8), *word("年)", 342, 70, size=8)]
    glyphs += [*word("顧客", 20, 95, size=8), *word("AC1推廣", 60, 95, size=8), *word("AC1.1出席率", 150, 95, size=8)]
    glyphs += [*word("90%", 302, 95, size=8), *word("91%", 342, 95, size=8), *word("AC1.1.1計畫", 420, 95, size=8)]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(85, 0, 600)], []), 600, [])
    assert [(c.role, c.year) for c in layout.columns] == [
        (Role.PERSPECTIVE, None),
        (Role.OBJECTIVE, None),
        (Role.KPI, None),
        (Role.EXTRA, None),
        (Role.ACTUAL, 108),
        (Role.TARGET, 109),
        (Role.PLANS, None),
    ]
    assert layout.header_top == pytest.approx(40)


def test_a_band_row_s_name_wrapped_under_the_header_is_no_header_label():
    """Writer repeats a two-row header over a page whose first row is a 構面 band row, its name wrapped in
    the narrow first cell as '內部流' / '程構面': the second line is the band's, not a header's
    '構面' label, so the header ends above the band and the table has no 構面 column."""
    glyphs = [
        *word("項次", 59, 55, size=12),
        *word("策略目標", 103, 55, size=12),
        *word("衡量指標", 225, 55, size=12),
        *word("實際值", 362, 55, size=12),
        *word("目標值", 500, 55, size=12),
        *word("行動計畫", 640, 55, size=12),
        *word("110年", 362, 68, size=12),
        *word("111年", 500, 68, size=12),
        *word("內部流", 59, 81, size=12),
        *word("程構面", 59, 93, size=12),
        *word("2", 59, 106, size=12),
        *word("AP1提升", 103, 106, size=12),
        *word("AP1.1審核率", 225, 106, size=12),
        *word("97%", 365, 106, size=12),
        *word("98%", 505, 106, size=12),
        *word("AP1.1.1計畫", 640, 106, size=12),
    ]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([], []), 842, [])
    assert layout.column(Role.PERSPECTIVE) is None
    assert layout.body_top < 81


def test_row_numbers_under_a_blank_header_cell_are_a_column_of_their_own():
    """TCPDF leaves the '編號' label unprinted: a blank header cell, ruled off left of '構面', over
    the rows' numbers. The numbers are a column of their own, not part of the 構面 label ('1顧客');
    other text under a blank head is no column the parser can name."""

    def page(first_cell: str) -> tuple[list[Glyph], list[Rule]]:
        glyphs = [
            *word("構面", 45, 70, size=8),
            *word("策略目標", 90, 70, size=8),
            *word("KPI", 200, 70, size=8),
            *word("109年實際值", 290, 70, size=8),
            *word("110年目標值", 370, 70, size=8),
            *word("行動計畫", 520, 70, size=8),
            *word(first_cell, 31, 95, size=8),
            *word("顧客", 45, 95, size=8),
            *word("AC1推廣", 90, 95, size=8),
            *word("AC1.1出席率", 180, 95, size=8),
            *word("90%", 300, 95, size=8),
            *word("≧91%", 380, 95, size=8),
            *word("AC1.1.1研習計畫", 510, 95, size=8),
        ]
        return glyphs, [Rule(x, 60, 120) for x in (28, 41.6, 80, 170, 280, 360, 440, 600)]

    glyphs, vrules = page("1")
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(88, 28, 600)], vrules), 620, [])
    assert [c.role for c in layout.columns][:3] == [Role.EXTRA, Role.PERSPECTIVE, Role.OBJECTIVE]
    assert layout.column(Role.PERSPECTIVE).x0 == pytest.approx(41.6, abs=1)
    glyphs, vrules = page("註")
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(88, 28, 600)], vrules), 620, [])
    assert [c.role for c in layout.columns][:2] == [Role.PERSPECTIVE, Role.OBJECTIVE]
    # Drawn in the header only (the edges of its cells' fills, Scribus), the rule parts no body
    # line: the gutter before it parts the numbers from the label ('1內部流程' otherwise).
    glyphs, vrules = page("1")
    in_the_header = [Rule(rule.pos, 60, 88) for rule in vrules]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(88, 28, 600)], in_the_header), 620, [])
    assert [c.role for c in layout.columns][:3] == [Role.EXTRA, Role.PERSPECTIVE, Role.OBJECTIVE]
    # Drawn with no rules, the numbers stand wholly left of the first label, '構面', a word apart
    # from the 構面 label under it ('1內部' otherwise): the label's left edge parts them.
    glyphs, _ = page("1")
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([], []), 620, [])
    assert [c.role for c in layout.columns][:3] == [Role.EXTRA, Role.PERSPECTIVE, Role.OBJECTIVE]
    assert layout.column(Role.PERSPECTIVE).x0 <= 45 and layout.column(Role.EXTRA).x1 >= 39
    glyphs, _ = page("註")
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([], []), 620, [])
    assert [c.role for c in layout.columns][:2] == [Role.PERSPECTIVE, Role.OBJECTIVE]


def test_row_numbers_under_a_blank_header_cell_beside_band_rows_are_a_column():
    """TCPDF sets the 構面 as band rows across the table, the numbering column's rule broken off
    around them: the band's name runs over the rule's line ('顧客' from the table's left edge), no
    cell of the strip, so the numbers under the blank head are still a column of their own."""
    glyphs = [
        *word("策略目標", 50, 70, size=8),
        *word("KPI", 200, 70, size=8),
        *word("109年實際值", 290, 70, size=8),
        *word("110年目標值", 370, 70, size=8),
        *word("行動計畫", 520, 70, size=8),
        *word("顧客", 31, 92, size=8),
        *word("1", 31, 108, size=8),
        *word("AC1推廣", 50, 108, size=8),
        *word("AC1.1出席率", 180, 108, size=8),
        *word("90%", 300, 108, size=8),
        *word("≧91%", 380, 108, size=8),
        *word("AC1.1.1研習計畫", 510, 108, size=8),
    ]
    xs = (28, 41.6, 170, 280, 360, 440, 600)
    vrules = [Rule(x, 60, 88) for x in xs] + [Rule(x, 102, 130) for x in xs] + [Rule(28, 88, 102)]
    hrules = [Rule(88, 28, 600), Rule(102, 28, 600)]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, (hrules, vrules), 620, [])
    assert [c.role for c in layout.columns][:2] == [Role.EXTRA, Role.OBJECTIVE]
    assert layout.column(Role.OBJECTIVE).x0 == pytest.approx(41.6, abs=1)


def test_a_numbering_label_s_first_letter_on_the_labels_line_raises_the_header():
    """pdfme centres '序' / '號' on the other labels' line, its '序' three points higher but close
    enough to share their line: the header starts at '序', so the label is read whole and its
    column, the second, is one of its own ('1' read as a 構面 label otherwise)."""
    glyphs = [
        *word("構面", 31, 80, size=8),
        *word("序", 59, 77, size=8),
        *word("號", 59, 85, size=8),
        *word("策略目標", 111, 80, size=8),
        *word("關鍵績效指標", 228, 80, size=8),
        *word("109年實際值", 407, 80, size=8),
        *word("110年目標值", 603, 80, size=8),
        *word("行動方案", 717, 80, size=8),
        *word("顧客", 31, 106, size=8),
        *word("1", 61, 106, size=8),
        *word("AC1推廣", 111, 106, size=8),
        *word("AC1.1出席率", 228, 106, size=8),
        *word("90%", 410, 106, size=8),
        *word("≧91%", 605, 106, size=8),
        *word("AC1.1.1研習計畫", 717, 106, size=8),
    ]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(97, 0, 842)], []), 842, [])
    assert [c.role for c in layout.columns][:3] == [Role.PERSPECTIVE, Role.EXTRA, Role.OBJECTIVE]
    assert layout.header_top == pytest.approx(77)


def test_a_numbering_label_set_a_letter_a_line_apart_is_a_column():
    """Flying Saucer sets '編號' a letter per line, a blank line between them, centred on the other
    labels' line: '編' stands above the header's line and '號' below it. The two letters are one
    label, and its column is one of its own ('1顧客' read as a perspective otherwise)."""
    glyphs = [
        *word("編", 20, 58, size=8),
        *word("構面", 45, 70, size=8),
        *word("策略目標", 90, 70, size=8),
        *word("KPI", 200, 70, size=8),
        *word("109年實際值", 290, 70, size=8),
        *word("110年目標值", 370, 70, size=8),
        *word("行動計畫", 520, 70, size=8),
        *word("號", 20, 82, size=8),
        *word("1", 22, 100, size=8),
        *word("顧客", 45, 100, size=8),
        *word("AC1推廣", 90, 100, size=8),
        *word("AC1.1出席率", 180, 100, size=8),
        *word("90%", 300, 100, size=8),
        *word("≧91%", 380, 100, size=8),
        *word("AC1.1.1研習計畫", 510, 100, size=8),
    ]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(94, 0, 600)], []), 600, [])
    assert [c.role for c in layout.columns][:3] == [Role.EXTRA, Role.PERSPECTIVE, Role.OBJECTIVE]
    assert layout.header_top == 58


def test_a_first_column_s_number_set_far_left_of_its_centred_label_is_under_it():
    """Writer centres '編號' in a wide first cell and sets each row's number at the cell's left
    edge, further left than the label is wide: the number is still the column's, not the 構面's."""
    glyphs = [
        *word("編號", 66, 70, size=8),
        *word("構面", 142, 70, size=8),
        *word("策略目標", 208, 70, size=8),
        *word("衡量指標", 284, 70, size=8),
        *word("105年實際值", 400, 70, size=8),
        *word("106年目標值", 480, 70, size=8),
        *word("行動方案", 560, 70, size=8),
        *word("1", 43, 95, size=8),
        *word("顧客", 142, 95, size=8),
        *word("AC1推廣", 200, 95, size=8),
        *word("AC1.1出席率", 270, 95, size=8),
        *word("19場", 410, 95, size=8),
        *word("20場", 490, 95, size=8),
        *word("AC1.1.1研習計畫", 550, 95, size=8),
    ]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([Rule(88, 0, 700)], []), 700, [])
    assert [c.role for c in layout.columns][:2] == [Role.EXTRA, Role.PERSPECTIVE]


def test_year_labels_stacked_beside_labels_wrapped_in_words_no_header_uses_reach_their_last_line():
    """PDF::Table wraps '108年實際值' a few letters a line in narrow cells ('108' / '年' / '實際' /
    '值'), level at the top with the other labels; beside them '項次' and '權重' wrap too ('項' /
    '次'). '次' is no header's letter, but it is a label's wrapped end begun on the header's top
    line, not a row's text beside the years: the header ends under their '值', so each year is
    read whole."""
    glyphs = [*word("項", 32, 73, size=9), *word("策略目標", 70, 73, size=9), *word("KPI", 130, 73, size=9)]
    glyphs += [*word("108", 235, 73, size=9, advance=0.6), *word("109", 262, 73, size=9, advance=0.6)]
    glyphs += [*word("110年", 312, 73, size=9), *word("行動計畫", 420, 73, size=9), *word("權", 550, 73, size=9)]
    glyphs += [*word("次", 32, 84, size=9), *word("年", 238, 84, size=9), *word("年", 264, 84, size=9)]
    glyphs += [*word("目標", 314, 84, size=9), *word("重", 550, 84, size=9)]
    glyphs += [*word("實際", 232, 95, size=9), *word("實際", 259, 95, size=9), *word("值", 320, 95, size=9)]
    glyphs += [*word("值", 238, 106, size=9), *word("值", 264, 106, size=9)]
    glyphs += [*word("1", 34, 126, size=9), *word("AC1", 82, 126, size=9), *word("AC1.1出席率", 130, 126, size=9)]
    glyphs += [*word("90%", 235, 126, size=9), *word("91%", 262, 126, size=9), *word("92%", 314, 126, size=9)]
    glyphs += [*word("AC1.1.1計畫", 343, 126, size=9), *word("5%", 552, 126, size=9)]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([], []), 595, [])
    years = [(c.role, c.year) for c in layout.columns if c.year is not None]
    assert years == [(Role.ACTUAL, 108), (Role.ACTUAL, 109), (Role.TARGET, 110)]
    assert 115 < layout.body_top < 126


def test_labels_a_letter_a_line_in_cells_a_letter_wide_set_side_by_side_are_two_columns():
    """pandoc's odt sets '編號' and '構面' a letter a line in cells a letter wide, side by side with
    no gutter: the header's lines read '編構' / '號面'. Read down, the columns of letters name the
    numbering column and the 構面 one, whose rows' '1' and '內' stand under each."""
    glyphs = [*word("編構", 74, 112, size=11), *word("策略目標", 110, 112, size=11)]
    glyphs += [*word("關鍵績效指標", 170, 112, size=11), *word("實際值", 262, 112, size=11)]
    glyphs += [*word("目標值", 300, 112, size=11), *word("行動計畫", 400, 112, size=11)]
    glyphs += [*word("號面", 74, 127, size=11), *word("110年", 262, 127, size=11, advance=0.6)]
    glyphs += [*word("111年", 300, 127, size=11, advance=0.6)]
    glyphs += [*word("1", 74, 172, size=11, advance=0.6), *word("內", 86, 172, size=11)]
    glyphs += [*word("AP1精進", 110, 172, size=11), *word("AP1.1審核率", 170, 172, size=11)]
    glyphs += [*word("98%", 262, 172, size=11, advance=0.6), *word("99%", 300, 172, size=11, advance=0.6)]
    glyphs += [*word("AP1.1.1計畫", 400, 172, size=11)]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([], []), 612, [])
    assert [c.role for c in layout.columns][:3] == [Role.EXTRA, Role.PERSPECTIVE, Role.OBJECTIVE]
    perspective = layout.columns[1]
    assert perspective.x0 <= 91.5 < perspective.x1 and not perspective.x0 <= 77 < perspective.x1


def test_a_label_no_column_is_known_by_set_letter_spaced_is_one_column():
    """PDF::Table spaces every header letter half an em apart: '策 略 目 標' is read whole, and so
    must be '承 辦 科 室' after the target's label, a column the parser does not read. Read a
    letter a cell, it named no column, the target's column ran on over it, and its remarks
    ('配合市府政策') were read as the target's unit. Letters of two labels, drawn apart, stay two."""
    spaced = {"size": 7, "advance": 1.5}
    glyphs = drawn(
        word("策略目標", 110, 112, **spaced),
        word("關鍵績效指標", 170, 112, **spaced),
        word("110年", 262, 112, size=7, advance=0.6),
        word("111年", 300, 112, size=7, advance=0.6),
        word("承辦科室", 340, 112, **spaced),
        word("實際值", 262, 121, **spaced),
        word("目標值", 300, 121, **spaced),
        word("AP1精進", 110, 172, size=7),
        word("AP1.1審核率", 170, 172, size=7),
        word("98%", 262, 172, size=7, advance=0.6),
        word("99%", 300, 172, size=7, advance=0.6),
        word("配合市府政策", 340, 172, size=7),
    )
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([], []), 612, [])
    assert [c.role for c in layout.columns][-2:] == [Role.TARGET, Role.EXTRA]
    target = layout.columns[-2]
    assert target.x1 <= 340


def test_a_label_a_letter_a_line_beside_a_label_on_one_line_is_two_columns():
    """pandoc's odt sets '項次' a letter a line in a cell a letter wide, beside '構面' on one line,
    with no gutter: the header reads '項構面' / '次'. The first letter and the letters under it
    are the numbering column's label, the rest of the line the 構面 one's, and the rows' '1' and
    '內部流程' stand under each."""
    glyphs = [*word("項構面", 74.3, 132.6, size=12), *word("策略性", 120, 132.6, size=12)]
    glyphs += [*word("衡量指標", 170, 132.6, size=12), *word("112年", 262, 132.6, size=12, advance=0.6)]
    glyphs += [*word("115年", 300, 132.6, size=12, advance=0.6), *word("行動方案", 400, 132.6, size=12)]
    glyphs += [*word("次", 74.3, 147, size=12), *word("目標", 120, 147, size=12)]
    glyphs += [*word("實際值", 262, 147, size=12, advance=0.6), *word("目標值", 300, 147, size=12, advance=0.6)]
    glyphs += [*word("1", 78, 190, size=12, advance=0.6), *word("內部", 87, 190, size=12)]
    glyphs += [*word("BP1精進", 120, 190, size=12), *word("BP1.1審核率", 170, 190, size=12)]
    glyphs += [*word("98%", 262, 190, size=12, advance=0.6), *word("99%", 300, 190, size=12, advance=0.6)]
    glyphs += [*word("BP1.1.1計畫", 400, 190, size=12)]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([], []), 612, [])
    assert [c.role for c in layout.columns][:3] == [Role.EXTRA, Role.PERSPECTIVE, Role.OBJECTIVE]
    perspective = layout.columns[1]
    assert perspective.x0 <= 93 < perspective.x1 and not perspective.x0 <= 80 < perspective.x1


def test_a_label_a_letter_a_line_ending_beside_a_label_at_its_cell_s_foot_is_two_columns():
    """pandoc's odt with the labels set at their cells' foot: '序號' a letter a line, its last
    letter beside '策略目標' with no gutter ('序' / '號策略目標'). The letters are the numbering
    column's label, the rest the objective's, and the rows' '1' is no objective's text."""
    glyphs = [*word("序", 72, 143.6, size=12), *word("實際值", 262, 143.6, size=12, advance=0.6)]
    glyphs += [*word("目標值", 300, 143.6, size=12, advance=0.6)]
    glyphs += [*word("號策略目標", 72, 157.6, size=12), *word("衡量指標", 153, 157.6, size=12)]
    glyphs += [*word("(112年)", 262, 157.6, size=12, advance=0.5), *word("(115年)", 300, 157.6, size=12, advance=0.5)]
    glyphs += [*word("行動計畫", 412, 157.6, size=12)]
    glyphs += [*word("1", 75, 200, size=12, advance=0.6), *word("AC1提升", 90, 200, size=12)]
    glyphs += [*word("AC1.1出席率", 153, 200, size=12)]
    glyphs += [*word("98%", 262, 200, size=12, advance=0.6), *word("99%", 300, 200, size=12, advance=0.6)]
    glyphs += [*word("AC1.1.1計畫", 412, 200, size=12)]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([], []), 612, [])
    assert [c.role for c in layout.columns][:3] == [Role.EXTRA, Role.OBJECTIVE, Role.KPI]
    objective = layout.columns[1]
    assert objective.x0 <= 90 < objective.x1 and not objective.x0 <= 78 < objective.x1


def test_row_numbers_beside_first_cells_set_out_past_their_centred_label_are_a_column():
    """Scribus drops a '編號' label too wide for its cell, and centres each first cell's text
    ('AF1 提升預算執行效能'), wider than its label '策略性目標', so the text starts left of the
    label. With no rule drawn across the header, the numbers' own runs, wholly left of the
    label, are the column: the objective's code keeps its first letter ('1 AF1提升…' otherwise)."""
    glyphs = [
        *word("策略性目標", 55, 74, size=8),
        *word("KPI", 120, 74, size=8),
        *word("109年實際值", 290, 74, size=8),
        *word("110年目標值", 370, 74, size=8),
        *word("行動計畫", 520, 74, size=8),
        *word("1", 34.7, 120, size=8),
        *word("AF1", 47.5, 120, size=8),  # its 'A' ends left of the label's edge (55)
        *word("提升預算執", 72, 120, size=8),
        *word("行效能", 72, 131, size=8),
        *word("AF1.1收支比", 115, 120, size=8),
        *word("3.5", 300, 120, size=8),
        *word("4.5", 380, 120, size=8),
        *word("AF1.1.1計畫", 510, 120, size=8),
        *word("2", 34.7, 150, size=8),
        *word("AC1", 47.5, 150, size=8),
        *word("推廣線上申", 72, 150, size=8),
        *word("AC1.1逾期件數", 115, 150, size=8),
        *word("7", 300, 150, size=8),
        *word("≦6", 380, 150, size=8),
        *word("AC1.1.1計畫", 510, 150, size=8),
    ]
    (layout,) = find_layouts(group_lines(glyphs), glyphs, ([], []), 620, [])
    assert [c.role for c in layout.columns][:2] == [Role.EXTRA, Role.OBJECTIVE]
    edge = layout.column(Role.OBJECTIVE).x0  # in the gutter between the numbers ('1' ends at 42.7) and 'AF1'
    assert layout.column(Role.EXTRA).x1 == edge and 42.7 <= edge <= 47.5
