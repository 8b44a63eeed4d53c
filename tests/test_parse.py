"""Reading a page: text a table's header took in is reported, never dropped in silence; a 構面
label broken over a page break names the rows of both pages."""

from __future__ import annotations

import gc
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from glyphs import clipped, drawn, word

from pipeline.extract.geometry import group_lines
from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.page_reading import ReadingContext, _perspective, _same_theme
from pipeline.extract.parse import RejectedDeck, _codes_without_rows, _printed_codes, _themes_without_rows, parse_pdf
from pipeline.extract.rules import Rule
from pipeline.extract.table import Row, TableRows
from pipeline.extract.table_findings import (
    PageText,
    _coded_lines,
    _codes_in_header,
    _cut_off_at_foot,
    _overprinted_header,
    _slivers_in_shown_cells,
    table_findings,
)
from pipeline.extract.unread_columns import plan_codes_in_unread_columns
from pipeline.model import ActionPlan, Kpi, Severity

LAYOUT = TableLayout((Column(Role.KPI, 0, 300),), header_top=40, body_top=80)


def test_a_data_row_inside_the_header_band_is_reported():
    lines = group_lines([*word("KPI", 10, 42), *word("AC1.1線上申辦", 10, 60), *word("88%", 200, 60)])
    assert _codes_in_header(lines, LAYOUT) == ("AC1.1線上申辦",)


def test_a_header_alone_reports_nothing():
    lines = group_lines(
        [*word("KPI(關鍵績效指標)", 10, 42), *word("110年實際值", 200, 42), *word("AC1.1出席率", 10, 90)]
    )
    assert _codes_in_header(lines, LAYOUT) == ()


def test_a_plan_code_in_a_column_that_is_not_read_is_reported():
    """A column edge cut 'BL1.1.2 資通' off the plans cell into 備註: the plan would be lost."""
    kpi, plans, extra = Column(Role.KPI, 0, 100), Column(Role.PLANS, 100, 300), Column(Role.EXTRA, 300, 400)
    layout = TableLayout((kpi, plans, extra), header_top=0, body_top=20)
    cut = Row(20, 60, {kpi: ["BL1.1", "參訓人數"], plans: ["BL1.1.1計畫"], extra: ["BL1.1.2資通"]}, None, None)
    note = Row(60, 90, {kpi: ["BL1.2"], plans: ["BL1.2.1計畫"], extra: ["同BL1.1辦理"]}, None, None)
    assert plan_codes_in_unread_columns([cut, note], layout) == ("BL1.1.2資通",)


def test_a_header_printed_over_the_first_row_is_reported():
    """A header row too short for its wrapped label '實際值(1' / '06年)': the first row's value
    '1,406,19' (its '6' wrapped below) is printed 6 pt under the label's last line, over it."""
    layout = TableLayout((Column(Role.ACTUAL, 0, 120, year=106),), header_top=0, body_top=40)
    label = [*word("實際值(1", 10, 2), *word("06年)", 17, 16)]
    value = word("1,406,19", 10, 22)
    assert _overprinted_header([*label, *value], layout)
    assert _overprinted_header(label, layout) == (), "a label's own lines never overlap that much"


def test_a_label_piled_on_one_spot_poking_into_the_header_is_no_overprint():
    """A 構面 label whose letters a tool piled on one spot, drawn one after the other, reaching up
    into the header band: one label, not a header printed over a row."""
    layout = TableLayout((Column(Role.PERSPECTIVE, 0, 60),), header_top=0, body_top=40)
    piled = drawn(*(word(letter, 20, 30 - i, size=9) for i, letter in enumerate("內部流程構面")))
    assert _overprinted_header(piled, layout) == ()
    header_and_row = drawn(word("構面", 20, 30, size=9), word("財務", 20, 32, size=9))
    assert _overprinted_header(header_and_row, layout) == ("構財", "面務"), "two texts"


def test_year_labels_drawn_over_their_kinds_are_no_overprinted_row():
    """calibre repeats a two-row header on a continued page and sets its year row over its kinds'
    row: '109年' drawn over '實際值', '111年' over '目標值'. Both are the header's own labels, no
    row's text under it; a value drawn over a label still is ('95.1%' over '實際值'), and so is
    one worded like a year the table has no column for ('30年')."""
    columns = Column(Role.ACTUAL, 0, 100, year=109), Column(Role.TARGET, 100, 300, year=111)
    layout = TableLayout(columns, header_top=0, body_top=40)
    kinds = word("實際值", 20, 2, size=10), word("目標值", 120, 2, size=10)
    years = word("109年", 22, 2, size=10), word("111年", 122, 2, size=10)
    assert _overprinted_header(drawn(*kinds, *years), layout) == ()
    assert _overprinted_header(drawn(*kinds, word("95.1%", 22, 2, size=10)), layout)
    assert _overprinted_header(drawn(*kinds, word("30年", 22, 2, size=10)), layout)


def test_a_numbering_label_run_on_over_a_stacked_label_is_no_overprinted_row():
    """PDFKit runs a narrow cell's '序號' on over the next cell's 構面, stacked a letter a line:
    '號' over '面', two of the header's labels, no row's text under them. A row's text drawn
    over the stacked label still is ('1,406' over '面')."""
    columns = Column(Role.EXTRA, 0, 40), Column(Role.PERSPECTIVE, 40, 60), Column(Role.OBJECTIVE, 60, 160)
    layout = TableLayout(columns, header_top=0, body_top=40)
    stacked = [*word("構", 42, 2), *word("面", 42, 12)]
    assert _overprinted_header(drawn(word("序號", 32, 12), stacked), layout) == ()
    assert _overprinted_header(drawn(word("1,406", 2, 12, size=10), stacked), layout) == ("6面",)


def test_codes_under_a_header_where_no_row_was_read_are_reported():
    """A table whose KPI codes lie in no column the layout found: its rows are lost, and said so."""
    layout = TableLayout((Column(Role.KPI, 200, 300), Column(Role.PLANS, 300, 400)), header_top=40, body_top=80)
    lines = group_lines([*word("KPI", 210, 42), *word("CF1.2收支比", 60, 90), *word("註：單位", 210, 300)])
    assert _coded_lines(lines, layout, 400) == ()  # the KPI text starts left of the table
    lines = group_lines([*word("CF1.2收支比", 150, 90), *word("CF1.2.1計畫", 310, 90)])
    layout = TableLayout((Column(Role.OBJECTIVE, 100, 200), *layout.columns), header_top=40, body_top=80)
    assert _coded_lines(lines, layout, 400) == ("CF1.2收支比", "CF1.2.1計畫")


def test_a_table_whose_text_ends_at_the_page_foot_is_cut_off():
    """pdftocairo drops the text a slide pushed off its foot: the last row's text then ends right
    at the page's foot. Text going on past the foot (read whole) or ending above it is not cut."""
    row = [*word("AC1.1參與文化多元敏", 10, 385), *word("感度研習", 10, 395)]
    assert _cut_off_at_foot(_page(row), LAYOUT, 80)
    assert not _cut_off_at_foot(_page([*row, *word("課程完訓率", 10, 405)]), LAYOUT, 80)
    assert not _cut_off_at_foot(_page(row[:-4]), LAYOUT, 80)


def test_text_ending_at_the_page_foot_over_its_cell_s_drawn_border_is_no_text_cut_off():
    """LibreOffice prints a pptx table run past the slide's foot whole: the last row's text ends
    0.4 pt above the foot, its cell's border is drawn 4.4 pt past it, so no more text fits in
    the cell. A border a line or more below leaves room for a line cut off."""
    row = [*word("AC1.1參與文化多元敏", 10, 385), *word("感度研習", 10, 395)]
    page = _page(row)
    assert not _cut_off_at_foot(replace(page, drawn=[Rule(409.4, 0, 300)]), LAYOUT, 80)
    assert _cut_off_at_foot(replace(page, drawn=[Rule(416, 0, 300)]), LAYOUT, 80)
    assert _cut_off_at_foot(replace(page, drawn=[Rule(409.4, 60, 300)]), LAYOUT, 80)  # under some letters


def test_a_table_whose_lowest_line_ends_at_its_cells_clips_foot_is_cut_off():
    """pdftocairo re-prints a sheet of two slides keeping only what each slide's frame shows: the
    lowest row's cells, run on past the frame, end in clips whose foot is the frame's, 100 pt
    above the page's foot, and the rest of their text is gone. A tool that fits each cell's clip
    to its text ends the tallest cell of every row so, not the lowest line only; and one cell
    alone at its foot is a row's tallest cell, not a frame cut across the row."""
    columns = Column(Role.KPI, 0, 100), Column(Role.PLANS, 100, 300)
    layout = TableLayout(columns, header_top=40, body_top=80)
    name, plan = clipped(word("參與文化多元敏", 10, 295), 5, 95, 290, 305.5), word("考核執行計畫", 110, 295)
    cut = clipped(plan, 105, 295, 290, 305.5)
    assert _cut_off_at_foot(_page([*name, *cut]), layout, 80)
    assert not _cut_off_at_foot(_page([*name, *plan]), layout, 80), "one cell alone"
    above = clipped(word("出席率", 10, 200), 5, 95, 195, 210.5)
    assert not _cut_off_at_foot(_page([*above, *name, *cut]), layout, 80), "every row's tallest cell"
    assert not _cut_off_at_foot(replace(_page([*name, *cut]), drawn=[Rule(305.5, 0, 300)]), layout, 80)


def test_text_a_cell_shows_only_a_sliver_of_is_reported():
    """pdftocairo re-prints WebKitGTK's sheet of two pages, the first cut at its foot through a
    row the second prints whole: cairo clips each cut glyph to the part shown, the top tenth of
    it, and the cut line is read on into the KPI cell above. Cut so in a row of its own, or
    shown by half, it is no sliver in a shown cell; nor is a 構面 label's letter, read whole, nor
    a line its cell's clip cuts."""
    label, kpi = Column(Role.PERSPECTIVE, 0, 100), Column(Role.KPI, 100, 300)
    layout = TableLayout((label, kpi), header_top=40, body_top=80)
    name = word("CP1.1里辦公處每年舉辦之演習", 110, 100)
    cut = [g for letter in word("參與文化", 110, 120) for g in clipped([letter], letter.x0, letter.x1, 120, 121)]
    letter = clipped(word("構", 10, 120), 10, 20, 120, 121)
    row = Row(80, 140, {kpi: ["CP1.1里辦公處每年舉辦之演習參與文化"]}, None, None)
    assert _slivers_in_shown_cells([*name, *cut, *letter], layout, [row]) == ("參與文化",)
    assert _slivers_in_shown_cells([*name, *letter], layout, [row]) == ()
    assert _slivers_in_shown_cells(cut, layout, [row]) == (), "a row its page clips away (see clipped_reprints)"
    half = clipped(word("參與文化", 110, 120), 100, 300, 120, 124)
    assert _slivers_in_shown_cells([*name, *half], layout, [row]) == ()
    # Clipped to its cell, cut at the cell's foot, a line run on past it is the cell's text (ActiveReportsJS).
    run_on = clipped(word("參與文化", 110, 120), 100, 300, 80, 121)
    assert _slivers_in_shown_cells([*name, *run_on], layout, [row]) == ()


def test_a_running_title_at_the_page_foot_is_no_text_cut_off():
    """Flying Saucer prints a running title ('策略主題：（A）…') at every page's foot, under the
    table: it is no cell's text, and the table above it ends well clear of the foot."""
    row = word("AC1.1參與文化多元敏感度", 10, 300)
    assert not _cut_off_at_foot(_page([*row, *word("策略主題：(A)推動樂齡", 10, 389, size=16)]), LAYOUT, 80)


def test_a_page_footer_at_the_page_foot_is_no_text_cut_off():
    """Syncfusion's PdfGrid slides print '第 4 頁' in a footer whose text ends a point above the
    page's edge, under a table that ends mid-page: page furniture, no cell's text cut off. A bare
    number there may be a cut-off row's value, and is not excused."""
    row = word("AC1.1參與文化多元敏感度", 10, 300)
    assert not _cut_off_at_foot(_page([*row, *word("第 4 頁", 180, 397, size=7)]), LAYOUT, 80)
    assert _cut_off_at_foot(_page([*row, *word("課程完訓率", 180, 397, size=7)]), LAYOUT, 80)
    assert _cut_off_at_foot(_page([*row, *word("4", 180, 397, size=7)]), LAYOUT, 80)


def _page(glyphs: list) -> PageText:
    """A page 405 pt high holding `glyphs`."""
    return PageText(4, 405, glyphs, group_lines(glyphs), [])


def test_a_theme_titled_with_no_row_read_under_it_is_reported():
    """Themes A and B are titled; rows were read under A only (B's table was missed): B is
    reported, by code; a title without a code is matched by its name."""
    kpis = [Kpi("A", "深化公民參與", None, None, None, "AC1.1", "滿意度", 4)]
    titled = {("A", "深化公民參與"): 4, ("B", "營造安全韌性社區"): 6, (None, "提升服務品質"): 7}
    findings = _themes_without_rows(titled, kpis)
    assert [f.check for f in findings] == ["theme_without_rows", "theme_without_rows"]
    assert findings[0].detail == "page 6: theme (B) 營造安全韌性社區: no KPI row read under its title"
    assert "提升服務品質" in findings[1].detail
    assert _themes_without_rows({("A", "深化公民參與"): 4}, kpis) == []
    # '策略主題' alone (a heading Vivliostyle broke at a page foot) names no theme to look for
    assert _themes_without_rows({("A", "深化公民參與"): 4, (None, None): 5}, kpis) == []


def test_a_stacked_label_broken_over_a_page_break_names_the_rows_of_both_pages():
    """FOP breaks a 構面 cell over a page: '學習成' at page 7's foot, '長構面' at page 8's top.
    Neither piece is a perspective; read one after the other they are, for the rows of both."""
    ctx = ReadingContext(theme_code="C")
    _perspective("學習成", ctx, 7)
    before = Kpi("C", "韌性社區", ctx.perspective, "CL1", "專業知能", "CL1.1", "出席率", 7)
    ctx.label_piece.kpis.append(before)
    _perspective("長構面", ctx, 8)
    assert ctx.perspective == "學習成長" and before.perspective == "學習成長" and ctx.label_piece is None


def test_a_piece_that_completes_nothing_stays_as_read():
    """Two pieces that make no perspective together are left for the checks to hold back."""
    ctx = ReadingContext(theme_code="C")
    _perspective("學習", ctx, 7)
    _perspective("客構面", ctx, 8)
    assert ctx.perspective == "客"


def test_the_rest_of_a_label_whose_piece_named_its_perspective_goes_on_in_it():
    """Qt breaks a stacked '顧客構面' cell after '顧客構': that piece names 顧客 already, and the
    '面' atop the next page names nothing new. Mid-page, or after another perspective, it would."""
    ctx = ReadingContext(theme_code="B")
    _perspective("顧客構", ctx, 4)
    ctx.last_kpi = Kpi("B", "便民", ctx.perspective, "BC1", "藝文", "BC1.1", "人次", 4)
    _perspective("面", ctx, 5)
    assert ctx.perspective == "顧客"
    ctx.last_kpi = Kpi("B", "便民", ctx.perspective, "BC2", "共學", "BC2.1", "場次", 5)
    _perspective("面", ctx, 5)
    assert ctx.perspective == "面", "not the top of a page"


def test_reading_a_deck_puts_the_collector_s_thresholds_back():
    """The collector runs less often while a deck is read, and as before after, whether the deck
    was read or rejected."""
    before = gc.get_threshold()
    corpus = Path(__file__).parent / "corpus"
    parse_pdf(corpus / "realtools" / "f02-writer-noheader.pdf")
    assert gc.get_threshold() == before
    with pytest.raises(RejectedDeck):
        parse_pdf(corpus / "bad" / "truncated-deck.pdf")
    assert gc.get_threshold() == before


def test_kpi_codes_printed_but_never_read_are_reported():
    """CC1.1 and CC1.2 are printed on page 5 and read nowhere; codes read (as KPIs, objectives or
    plans), the tail of a read code ('P2.1' of AP2.1, its 'A' split off) and codes of another
    depth are not."""
    plans = [ActionPlan("AP2.1.1", "x")]
    kpis = [
        Kpi("A", "活化歷史街區", None, "AP2", "提升區里", "AP2.1", "錯誤件數", 4, action_plans=plans),
        Kpi("C", "強化災害防救", None, "CL1", "落實研習", "CL1.1", "學習時數", 6),
    ]
    printed = [(4, "AP2.1"), (4, "P2.1"), (4, "AP2.1.1"), (5, "CC1"), (5, "CC1.1"), (5, "CC1.2"), (6, "CL1.1")]
    (found,) = _codes_without_rows(printed, kpis)
    assert found.check == "kpi_codes_read" and found.severity == Severity.ERROR
    assert found.detail == "page 5: KPI codes printed but no row read for them: CC1.1、CC1.2"
    assert _codes_without_rows(printed[:3] + printed[-1:], kpis) == []


def test_only_a_row_of_the_theme_being_read_runs_on_into_a_table():
    """A new theme's table begun on a page after its title is read with the layout carried from
    the theme before, but its first row is no continuation of that theme's last row."""
    before = Kpi("A", "活化歷史街區", None, "AF2", "健全寺廟財務運作", "AF2.1", "收支比", 4)
    assert _same_theme(before, ReadingContext(theme_code="A", theme_name="活化歷史街區"))
    assert not _same_theme(before, ReadingContext(theme_code="C", theme_name="強化災害防救體系"))
    assert not _same_theme(None, ReadingContext(theme_code="A"))
    assert _same_theme(replace(before, theme_code=None), ReadingContext(theme_name="活化歷史街區"))


def test_a_code_is_read_within_what_was_drawn_in_one_go():
    """R's gridExtra wraps a plan code 'AF1.1.2' after 'AF1.1' and runs it on 0.6 pt before the
    108 value '125566' drawn in its own cell: the value is no part of a code. A code drawn as one
    run stays whole however its glyphs stand."""
    plan, value = word("AF1.1", 578.7, 140, size=5), word("125566", 608.5, 140, size=5)
    (line,) = group_lines(drawn(plan, value))
    assert _printed_codes(line) == ["AF1.1"]
    (joined,) = group_lines(drawn(word("AF1.1", 578.7, 140, size=5) + word("2", 604.2, 140, size=5)))
    assert _printed_codes(joined) == ["AF1.12"]


def test_a_note_under_the_last_row_across_an_unread_column_s_edge_is_no_cut_word():
    """JasperReports sets '資料來源：本機關統計' from the table's left edge inside the last row's
    reach: it runs across the edge of the numbering column (at 50), a note, no cell's text. A
    KPI name run across that edge is still reported."""
    numbering, kpi = Column(Role.EXTRA, 0, 50), Column(Role.KPI, 50, 300)
    columns = (numbering, kpi, Column(Role.ACTUAL, 300, 360, year=110), Column(Role.PLANS, 360, 500))
    layout = TableLayout(columns, header_top=40, body_top=80)
    row = Row(80, 200, {kpi: ["AC1.1出席率"]}, "顧客", "AC1")
    note = word("資料來源：本機關統計", 40, 150, 5)  # '料' at 45..50, '來' at 50..55

    def findings(*texts: list) -> list[str]:
        glyphs = drawn(word("1", 20, 90), word("AC1.1出席率", 60, 90), word("88%", 310, 90), *texts)
        page = PageText(4, 400, glyphs, group_lines(glyphs), [])
        found = table_findings(page, layout, _Region(80, 200), TableRows([row]), [row], None, False)
        return [f.detail for f in found]

    assert findings(note) == []
    assert findings(word("新增說明", 40, 120, 5)) == [
        "page 4: text runs on across the edge of a column that is not read: 增|說"
    ]


def test_edges_fitted_to_a_headerless_page_are_tested_for_cut_words_and_a_header_s_edges_not():
    """SpreadJS fills a target cell with '11,363人次' up to its edge, the plans cell's '臺中市…'
    right after, under a theme title below this page's own header: that header placed the
    columns, and the two cells meet at its edge. The same text under edges fitted to a page
    without a header may be a word cut by a misfitted edge."""
    kpi, plans = Column(Role.KPI, 50, 300), Column(Role.PLANS, 360, 500)
    layout = TableLayout((kpi, Column(Role.TARGET, 300, 360, year=110), plans), header_top=40, body_top=80)
    row = Row(80, 200, {kpi: ["AC1.1參與人次"], plans: ["臺中市關懷據點實施計畫"]}, "顧客", "AC1")
    glyphs = drawn(word("AC1.1參與人次", 60, 90), word("11,363人次", 320, 90, 5), word("臺中市關懷據點", 360.5, 90))
    page = PageText(4, 400, glyphs, group_lines(glyphs), [])

    def findings(fitted: bool) -> list[str]:
        region = _Region(80, 200, continued=True, fitted=fitted)
        return [f.detail for f in table_findings(page, layout, region, TableRows([row]), [row], None, False)]

    assert findings(fitted=False) == []
    assert findings(fitted=True) == [
        "page 4: text runs on across a column edge fitted to a page without a header: 次|臺"
    ]


def test_a_page_number_taken_from_a_blank_value_cell_holds_the_deck_back():
    """A value alone at a spot new to the deck, the next page's value one higher alone at the
    same spot ('12' then '13'), reads as the deck's page numbers: the cell it stood in is left
    blank. A number taken so from a value cell read blank is reported; one under the table, or
    beside a cell read whole, is a page number."""
    kpi, actual = Column(Role.KPI, 50, 300), Column(Role.ACTUAL, 300, 360, year=110)
    layout = TableLayout((kpi, actual, Column(Role.PLANS, 360, 500)), header_top=40, body_top=80)
    glyphs = drawn(word("AC1.1出席率", 60, 90))

    def findings(number: list, cells: dict) -> list[str]:
        row = Row(80, 120, cells, "顧客", "AC1")
        page = PageText(4, 400, glyphs, group_lines(glyphs), [], page_numbers=group_lines(number))
        return [f.detail for f in table_findings(page, layout, _Region(80, 200), TableRows([row]), [row], None, False)]

    blank = {kpi: ["AC1.1出席率"], actual: []}
    assert findings(word("12", 320, 95), blank) == [
        "page 4: a number in a blank value cell was taken for the page's number: 12 (actual 110)"
    ]
    assert findings(word("12", 320, 380), blank) == []  # under the table: the page's foot
    assert findings(word("12", 320, 95), {kpi: ["AC1.1出席率"], actual: ["88%"]}) == []


@dataclass
class _Region:
    top: float
    bottom: float
    continued: bool = False
    fitted: bool = False
