"""Page furniture: footers, footnotes and page numbers are told from table text by what they
say and where they stand."""

from __future__ import annotations

import pytest
from glyphs import drawn, word

from pipeline.extract.furniture import (
    centred_page_number,
    counted_numbers,
    footers_over_text,
    is_furniture,
    is_page_number,
    may_hold_furniture,
    numbers_counted_on,
    numbers_of_the_count,
    opens_a_footnote,
    page_numbers_among_cells,
    reads_as_page_number,
    running_footers,
    running_header_spots,
    slide_master_runs,
)
from pipeline.extract.geometry import Glyph, group_lines
from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.rules import Rule
from pipeline.extract.table_body import furniture_runs

PAGE_HEIGHT = 540.0


def _line(text: str, top: float, x0: float = 40.0):
    (line,) = group_lines(word(text, x0, top))
    return line


@pytest.mark.parametrize(
    "text",
    [
        "註1：實際值為年度累計",
        "註：「新指標」",
        "註本表數據",
        "※本表資料",
        "臺北市北投區公所策略地圖與平衡計分卡",
        "第3頁",
        "頁5",  # '第 5 頁' re-printed by LibreOffice Draw as '第' and '頁5' apart
        "新北市新莊區公所平衡計分卡",  # the office's scorecard: calibre's page header, from the title
        "臺北市北投區公所110年度平衡計分卡",
        "【策略主題】",
        "資料來源：民政局",
        "Page3",
        "p.12",
        "11/30/26, 2:19 AM",  # a browser's print header and footer: the date and time printed,
        "2026/11/30 下午2:19",
        "file:///tmp/firefox-4mbcmj7h/deck.html",  # and the page's address
        "單位：%、件、人次；資料來源：本機關統計",  # a table's footer row (iText's setFooterRows)
        "（續下頁）",
        "(續上頁)",
        "Evaluation Only. Created with Aspose.Words. Copyright 2003-2026 Aspose Pty Ltd.",  # a copyright notice
        "© 2026 臺北市政府",
        "版權所有 高雄市政府民政局",
    ],
)
def test_footers_and_footnotes_are_furniture(text):
    assert is_furniture(text)


@pytest.mark.parametrize(
    "text",
    [
        "提升為民服務品質",
        "AC1.1新移民課程學員出席率",
        "88%",
        "120頁",
        "推動本所平衡計分卡",  # a plan's wrapped line: no city's or county's office
        "註冊人數",
        "註銷率",
        "3",
        "8:30",
        "110/12/31",
        "單位數",
    ],
)
def test_table_text_is_not(text):
    """A wrapped KPI name's line may begin with 註 in a word (註冊, registration): not a footnote."""
    assert not is_furniture(text)


def test_a_bare_number_is_a_page_number_only_in_the_margins():
    assert is_page_number(_line("12", top=520), PAGE_HEIGHT)
    assert is_page_number(_line("-3-", top=10), PAGE_HEIGHT)
    assert not is_page_number(_line("12", top=200), PAGE_HEIGHT), "inside the table a number is a value"
    assert is_page_number(_line("4 of 11", top=520), PAGE_HEIGHT), "a browser's footer"


def test_a_browser_s_print_footer_goes_whole():
    """Firefox prints its page count bottom left and the date bottom right, on one line in the
    margin under a slide's table; neither is a cell's text."""
    line = group_lines([*word("4 of 7", 20, 520, size=7), *word("11/30/26, 2:19 AM", 600, 520, size=7)])[0]
    assert [run.text for run in furniture_runs(line, PAGE_HEIGHT)] == ["4 of 7", "11/30/26, 2:19 AM"]


def test_lines_inside_the_page_naming_no_mark_are_never_searched_for_runs():
    assert not may_hold_furniture(_line("AC1.1新移民課程 88% 90%", top=200), PAGE_HEIGHT)
    assert may_hold_furniture(_line("註1：實際值", top=200), PAGE_HEIGHT)
    assert may_hold_furniture(_line("AC1.1", top=525), PAGE_HEIGHT)


def test_a_footer_goes_whole_and_a_footnote_mark_in_a_cell_alone():
    footer = group_lines([*word("北投區公所策略地圖與平衡計分卡", 40, 520), *word("12", 600, 520)])[0]
    assert [run.text for run in furniture_runs(footer, PAGE_HEIGHT)] == ["北投區公所策略地圖與平衡計分卡", "12"]
    row = group_lines([*word("AC1.1出席率", 40, 200), *word("88%", 300, 200), *word("註1", 500, 200)])[0]
    assert [run.text for run in furniture_runs(row, PAGE_HEIGHT)] == ["註1"]


def test_a_footnote_mark_in_a_cell_takes_nothing_across_the_cell_s_border():
    """jsPDF with narrow padding: the 備註 cell's '註', the 權重 '20' and the 110 value '不適用'
    stand a few points apart, as close as words, with drawn cell borders between them."""
    (row,) = group_lines(
        [*word("註", 192, 200, size=9), *word("20", 205, 200, size=4.5), *word("不適用", 218, 200, size=9)]
    )
    borders = [Rule(pos, 190, 240) for pos in (189.7, 202.9, 216.0, 261.4)]
    assert [run.text for run in furniture_runs(row, PAGE_HEIGHT, borders)] == ["註"]
    assert [run.text for run in furniture_runs(row, PAGE_HEIGHT)] == ["註20不適用"], "without the borders: one run"


def test_a_note_mark_in_a_column_not_read_leaves_the_next_cell_set_a_word_apart():
    """No borders drawn: '註1' in a 備註 cell and the next column's value '19場' a word apart on
    one line read as one run that opens with 註. The columns part them, and only the mark is
    furniture; a note under the table, not in a 備註 column, still goes whole."""
    columns = (Column(Role.EXTRA, 370, 403), Column(Role.ACTUAL, 403, 475, 110))
    (row,) = group_lines([*word("註1", 381, 100), *word("19場", 406, 100)])
    assert [run.text for run in furniture_runs(row, PAGE_HEIGHT, None, TableLayout(columns, 0, 0))] == ["註1"]
    (note,) = group_lines([*word("註1", 381, 100), *word("19場", 396, 100)])
    assert [run.text for run in furniture_runs(note, PAGE_HEIGHT, None, TableLayout(columns, 0, 0))] == ["註119場"], (
        "no space"
    )
    elsewhere = (Column(Role.KPI, 370, 403), Column(Role.ACTUAL, 403, 475, 110))
    assert [run.text for run in furniture_runs(row, PAGE_HEIGHT, None, TableLayout(elsewhere, 0, 0))] == ["註1 19場"]


def test_a_page_number_in_a_table_line_is_known_by_where_the_deck_prints_page_numbers():
    """Page 4 prints '4' alone at the foot, mid-page; on page 5 the table runs into the margin and
    '5' stands at that spot on a line with a plan's last words: the page number, not a value.
    A '5' elsewhere on such a line, or another number at the spot, stays table text."""
    spots: list = []
    assert page_numbers_among_cells([_line("4", top=520, x0=355)], 4, PAGE_HEIGHT, spots) == []
    assert len(spots) == 1
    shared = group_lines([*word("5", 355, 521), *word("計畫", 500, 520)])
    assert [run.text for run in page_numbers_among_cells(shared, 5, PAGE_HEIGHT, spots)] == ["5"]
    elsewhere = group_lines([*word("5", 200, 521), *word("計畫", 500, 520)])
    assert page_numbers_among_cells(elsewhere, 5, PAGE_HEIGHT, spots) == []
    assert page_numbers_among_cells(shared, 6, PAGE_HEIGHT, spots) == [], "not this page's number"
    assert page_numbers_among_cells(shared, 5, PAGE_HEIGHT, []) == [], "no spot learnt: a value"


def test_the_page_s_number_and_the_deck_s_page_count_beside_a_plan_are_the_page_s():
    """beamer: the footline prints '4/7' at the right of every page, beside the author and title,
    and on page 4 of 7 the table's last row runs down into it, '…實施計畫。' on its line. The
    number and count are the page's, with no spot learnt; another page's number, another count,
    a bare number, or the same run above the margin are no page number."""
    shared = group_lines([*word("實施計畫。", 270, 520), *word("4/7", 600, 520)])
    assert [run.text for run in numbers_of_the_count(shared, 4, 7, PAGE_HEIGHT)] == ["4/7"]
    assert numbers_of_the_count(shared, 5, 7, PAGE_HEIGHT) == [], "not this page's number"
    assert numbers_of_the_count(shared, 4, 8, PAGE_HEIGHT) == [], "not the deck's count"
    bare = group_lines([*word("實施計畫。", 270, 520), *word("4", 600, 520)])
    assert numbers_of_the_count(bare, 4, 7, PAGE_HEIGHT) == [], "a bare number needs its spot learnt"
    inside = group_lines([*word("實施計畫。", 270, 300), *word("4/7", 600, 300)])
    assert numbers_of_the_count(inside, 4, 7, PAGE_HEIGHT) == [], "inside the page: a cell's"


def test_the_page_s_number_and_count_drawn_over_a_plan_s_letters_are_the_page_s():
    """Spire.XLS prints the footer's '6 / 8' (9 pt) over a plan's last line (10 pt), amid its
    letters: by place no run holds it, by drawing it is one run of its own."""
    plan = word("資通安全事件通報及應變辦法", 300, 522)
    count = [Glyph(ch, 392 + 4.5 * i, 396.5 + 4.5 * i, 524, 533, 9.0, False, False) for i, ch in enumerate("6 / 8")]
    over = group_lines(drawn(plan, count))
    assert [run.text for run in numbers_of_the_count(over, 6, 8, PAGE_HEIGHT)] == ["6 / 8"]
    assert numbers_of_the_count(over, 5, 8, PAGE_HEIGHT) == [], "not this page's number"


def test_the_page_number_under_a_table_s_text_at_its_spot_is_the_page_s():
    """LuaLaTeX: a table run into the slide number prints '營' over the '5' of page 5, at the
    spot where the pages before printed theirs: the '5' is the page's, the text the plan's. A
    '5' at the spot not printed under text, or under text away from the spot, is a value."""
    spots: list = []
    page_numbers_among_cells([_line("4", top=520, x0=357)], 4, PAGE_HEIGHT, spots)
    (covered,) = group_lines([*word("中心經", 327, 520), *word("5", 358, 520), *word("營管理", 357, 520)])
    assert covered.text.count("5") == 1
    assert [run.text for run in page_numbers_among_cells([covered], 5, PAGE_HEIGHT, spots)] == ["5"]
    assert page_numbers_among_cells([covered], 6, PAGE_HEIGHT, spots) == [], "not this page's number"
    (away,) = group_lines([*word("中心經", 127, 520), *word("5", 158, 520), *word("營管理", 157, 520)])
    assert page_numbers_among_cells([away], 5, PAGE_HEIGHT, spots) == []
    (beside,) = group_lines([*word("中心經", 327, 520), *word("5", 357, 520), *word("營管理", 367, 520)])
    assert page_numbers_among_cells([beside], 5, PAGE_HEIGHT, spots) == [], "set in the text, not under it"


def test_numbers_counting_up_at_one_spot_page_after_page_are_page_numbers():
    """Slides printed two to a page: the upper slide's number stands mid-page at (545, 313) on
    every page, 3, 5, 7 from the second page on: from the third page on it is a page number,
    wherever it stands, on a line of its own or at the end of a plan's last line. A value alone
    on its line at a spot that does not count up stays data."""
    counts: dict = {}
    found = []
    for page, number in ((2, 3), (3, 5), (4, 7)):
        (line,) = group_lines(word(str(number), 542, 309, size=7.4))
        found.append([run.text for run in counted_numbers([line], page, counts)])
    assert found == [[], ["5"], ["7"]]
    (shared,) = group_lines([*word("管考要點", 400, 309, size=7.4), *word("9", 542, 309, size=7.4)])
    assert [run.text for run in counted_numbers([shared], 5, counts)] == ["9"]
    # A plan's last line in 12 pt type, its middle 3 pt below the number's: the number still counts.
    (taller,) = group_lines([*word("實施計畫", 400, 310, size=12), *word("11", 542, 309, size=7.4)])
    assert [run.text for run in counted_numbers([taller], 6, counts)] == ["11"]
    for page, value in ((2, "6"), (3, "6"), (4, "9")):
        (line,) = group_lines(word(value, 300, 200, size=7.4))
        assert counted_numbers([line], page, counts) == []


def test_page_of_count_numbers_beside_a_footer_count_up_too():
    """pdfmake slides printed as handouts: each slide's footer, '新北市土城區公所｜策略地圖與平衡
    計分卡' with '3 / 8' at its end, stands mid-page under the upper slide's table; on page 4 the
    table's last row stretches over it, and '7 / 8' falls in the target column. The numbers beside
    the footer count up by two a page: it is a page number. Beside a table's rows, whose words
    change from page to page, it teaches nothing."""
    counts: dict = {}
    found = []
    for page, number in ((2, 3), (3, 5), (4, 7)):
        footer = group_lines(
            [*word("新北市土城區公所｜策略地圖與平衡計分卡", 52, 388, size=7), *word(f"{number} / 8", 530, 388, size=7)]
        )
        found.append([run.text for run in counted_numbers(footer, page, counts)])
    assert found == [[], ["5 / 8"], ["7 / 8"]]
    counts = {}
    for page, words, number in ((2, "管考要點", 3), (3, "實施計畫", 5), (4, "作業規定", 7)):
        row = group_lines([*word(words, 52, 388, size=7), *word(f"{number} / 8", 530, 388, size=7)])
        assert counted_numbers(row, page, counts) == []


def test_numbers_beside_the_same_words_page_after_page_count_up_too():
    """Portrait pages printed two to a sheet: each page's footer is the office's name, left, and
    its number, right, so the lower page's number stands at one spot of every sheet beside the
    same words, 2 on the first sheet, 4 on the second, where the table's last row runs down into
    it. Words printed word for word at one place page after page are a running footer, whatever
    they say: from the second sheet on, the number is a page number. Beside changing words it
    is not (the test before)."""
    counts: dict = {}
    found = []
    for page, number in ((1, 2), (2, 4), (3, 6)):
        footer = group_lines([*word("臺中市政府民政局", 47, 810, size=4.5), *word(str(number), 413, 810, size=4.5)])
        found.append([run.text for run in counted_numbers(footer, page, counts)])
    assert found == [[], ["4"], ["6"]]
    other = group_lines([*word("臺中市政府社會局", 47, 810, size=4.5), *word("8", 413, 810, size=4.5)])
    assert counted_numbers(other, 4, counts) == [], "beside other words, the sightings beside the name are no evidence"


def test_page_of_count_numbers_beside_a_theme_title_count_up_too():
    """Flying Saucer prints slides two to a page: the upper slide's '3 / 6' shares its line with
    the lower slide's theme title, and only on page 3, whose slides have no title on it, does the
    number stand alone, where it falls in a table's target column. Beside a title it counts too."""
    counts: dict = {}
    found = []
    for page, title, number in ((1, "高雄市岡山區公所策略地圖", 1), (2, "策略主題：（A）發展多元文化", 3), (3, "", 5)):
        line = group_lines([*word(title, 56, 382, size=9), *word(f"{number} / 6", 533, 382, size=9)])
        found.append([run.text for run in counted_numbers(line, page, counts)])
    assert found == [[], [], ["5 / 6"]]


def test_the_first_page_number_counted_on_by_the_next_page_is_a_page_number():
    """calibre's first page runs its table down to the page's foot, where the footer's '1' stands
    beside the office's name on the line of the last plan's end: no page before tells of that
    spot, but the next page prints '2' there beside the same name. Seen ahead, the '1' is the
    page's number; a spot some earlier page already printed at is counted_numbers' to tell, and
    a next page that prints some other number there, or none, tells nothing."""

    def footer(number: str, name: str = "桃園市龍潭區公所") -> list:
        return group_lines([*word(name, 40, 571, size=9), *word(number, 700, 571, size=9)])

    looked: list[int] = []

    def ahead(lines: list):
        def next_page() -> list:
            looked.append(1)
            return lines

        return next_page

    assert [run.text for run in numbers_counted_on(footer("1"), ahead(footer("2")), {})] == ["1"]
    assert numbers_counted_on(footer("1"), ahead(footer("2", "臺中市政府民政局")), {}) == []
    assert numbers_counted_on(footer("1"), ahead(footer("7")), {}) == []
    assert numbers_counted_on(footer("1"), ahead([]), {}) == []
    # The next page's number alone on its line counts on from this page's, whatever stands beside it.
    alone = group_lines(word("2", 700, 571, size=9))
    assert [run.text for run in numbers_counted_on(footer("1"), ahead(alone), {})] == ["1"]
    looked.clear()
    counts: dict = {}
    counted_numbers(footer("1"), 1, counts)
    assert numbers_counted_on(footer("2"), ahead(footer("3")), counts) == []
    assert looked == [], "with no number at a spot new to the deck, the next page is not looked at"


def test_a_digit_of_a_value_set_one_letter_a_line_is_no_page_number():
    """Apache POI's HSLF renderer sets '3,346件' one letter a line in a narrow cell, at the same
    spot on each page: its first digits '1', '2', '3' on pages 5 to 7 count up, but each has the
    value's next letter right under it, so none is a page number."""
    counts: dict = {}
    for page, digit in ((5, "1"), (6, "2"), (7, "3")):
        stack = group_lines([*word(digit, 636, 174), *word(",", 636, 185), *word("件", 636, 196)])
        assert counted_numbers(stack, page, counts) == []
    # A handout's page number with the lower slide's table row 4 pt under it still counts.
    found = []
    for page, number in ((1, "2"), (2, "4"), (3, "6")):
        below = group_lines([*word(number, 296, 733, size=7.4), *word("BL2.1參與文化多元敏感度", 200, 744.6, size=7.4)])
        found.append([run.text for run in counted_numbers(below, page, counts)])
    assert found == [[], ["4"], ["6"]]


def test_a_page_number_between_dashes_is_furniture_wherever_it_stands():
    """A slide's '- 7 -' in the middle of a handout page, inside the last row's stretch of the
    table: no value is printed between dashes. A bare '7' there stays a value."""
    assert is_furniture("- 7 -") and is_furniture("—12—")
    assert [run.text for run in furniture_runs(_line("- 7 -", top=300), PAGE_HEIGHT)] == ["- 7 -"]
    assert furniture_runs(_line("7", top=300), PAGE_HEIGHT) == []
    assert not is_furniture("-7") and not is_furniture("AC1-1-2")


def test_a_page_number_between_hyphens_of_any_kind_is_furniture():
    """Aspose.Slides prints '- n -' footers with non-breaking hyphens (U+2011; NFKC makes them
    U+2010): read as no page number, '‑ 4 ‑' went into the last plan's name above it."""
    for dash in ("\u2010", "\u2011", "\u2012", "\u2212", "\uff0d"):
        assert is_furniture(f"{dash} 4 {dash}") and reads_as_page_number(f"{dash} 4 {dash}")
    assert not is_furniture("\u22124") and not reads_as_page_number("4\u20105")


def test_text_in_the_bottom_margin_at_one_place_page_after_page_is_a_running_footer():
    """mPDF's SetFooter prints the office's name at the same spot on every page, beside the page
    number: from the third page on it is furniture. A table's text run into the margin differs
    from page to page, and a number is left to the page-number tests."""
    seen: dict = {}
    found = []
    for page in range(1, 5):
        (footer,) = group_lines([*word("高雄市政府法制處", 28, 525, size=7), *word(f"{page} / 11", 650, 525, size=7)])
        (overflow,) = group_lines(word(f"計畫第{page}項", 300, 500, size=7))
        (value,) = group_lines(word("95%", 400, 510, size=7))
        found.append([run.text for run in running_footers([footer, overflow, value], PAGE_HEIGHT, seen)])
    assert found == [[], [], ["高雄市政府法制處"], ["高雄市政府法制處"]]
    (moved,) = group_lines(word("高雄市政府法制處", 60, 525, size=7))
    assert running_footers([moved], PAGE_HEIGHT, seen) == [], "elsewhere on the page: not the footer"


def test_a_running_footer_a_cell_s_text_runs_into_is_still_furniture():
    """Beamer's footline prints '民政局' at one place on every slide; on page 6 the last row runs
    down under it and its objective's line '借收入' ends right where the footer begins, one run
    '借收入民政局' by position. Drawn apart, the footer is still furniture and the cell keeps its
    text; on a first page, nothing is."""
    seen: dict = {}
    for _ in range(3):
        running_footers(group_lines(word("民政局", 60, 525, size=7)), PAGE_HEIGHT, seen)
    glyphs = drawn(word("借收入", 39, 525, size=7), word("95%", 300, 400, size=7), word("民政局", 60, 525, size=7))
    assert [run.text for run in running_footers(group_lines(glyphs), PAGE_HEIGHT, seen)] == ["民政局"]
    assert running_footers(group_lines(glyphs), PAGE_HEIGHT, {}) == []


def test_a_running_header_drawn_a_fraction_of_a_point_aside_is_still_furniture():
    """tFPDF prints the office's name atop every page at x 32.8, but at 32.0 on one page, which
    rounds to another point: it is the same header there, not text atop the page that no row
    took (which held the deck back). Two points aside it is some other text."""
    seen: dict = {}
    found = []
    for x0 in (32.8, 32.8, 32.8, 32.0):
        (header,) = group_lines(word("桃園市大溪區公所", x0, 15, size=7))
        found.append([run.text for run in running_footers([header], PAGE_HEIGHT, seen)])
    assert found == [[], [], ["桃園市大溪區公所"], ["桃園市大溪區公所"]]
    (aside,) = group_lines(word("桃園市大溪區公所", 35, 15, size=7))
    assert running_footers([aside], PAGE_HEIGHT, seen) == []


def test_a_footer_a_tool_jitters_letter_by_letter_is_still_a_running_footer():
    """ActiveReportsJS prints its evaluation notice at one place on every page, but moves its
    letters a little each time: on some pages the 'V' of 'Version' drops to the line below. The
    notice is the same footer all the same, and the dropped letter on a line of furniture is its.
    A text sharing only its first letters with the footer is not."""
    seen: dict = {}
    found = []
    for page in range(1, 6):
        version = "Version" if page % 2 else "ersion"
        (notice,) = group_lines(word(f"Powered by ActiveReportsJS Evaluation {version}", 30, 500, size=9))
        (licence,) = group_lines(
            [
                *word("Not Licensed for Distribution", 30, 511, size=9),
                *([] if page % 2 else word("V", 420, 511, size=9)),
            ]
        )
        found.append(sorted(run.text for run in running_footers([notice, licence], PAGE_HEIGHT, seen)))
    assert found[2:] == [
        ["Not Licensed for Distribution", "Powered by ActiveReportsJS Evaluation Version"],
        ["Not Licensed for Distribution", "Powered by ActiveReportsJS Evaluation ersion", "V"],
        ["Not Licensed for Distribution", "Powered by ActiveReportsJS Evaluation Version"],
    ]
    (other,) = group_lines(word("Powered by the office", 30, 500, size=9))
    assert running_footers([other], PAGE_HEIGHT, seen) == []


def test_text_in_the_top_margin_at_one_place_page_after_page_is_a_running_header():
    """Calligra Sheets prints the page header (the office's name) atop every page, right above a
    continued table with no rules: from the third page on it is furniture, not a row's first
    words. A header repeated at the top of every page, a 構面 label and a theme's title stay, as
    does text lower on the page."""
    seen: dict = {}
    found = []
    for _ in range(1, 5):
        (office,) = group_lines(word("苗栗縣三義鄉公所", 14, 18, size=17))
        (header,) = group_lines([*word("構面", 44, 30, size=8), *word("衡量指標", 155, 30, size=8)])
        (label,) = group_lines(word("學習成長", 60, 32, size=8))
        (title,) = group_lines(word("策略主題：(A)營造安全韌性社區", 200, 20, size=8))
        (cell,) = group_lines(word("苗栗縣三義鄉公所", 14, 200, size=17))
        lines = [office, header, label, title, cell]
        found.append([run.text for run in running_footers(lines, PAGE_HEIGHT, seen)])
    assert found == [[], [], ["苗栗縣三義鄉公所"], ["苗栗縣三義鄉公所"]]


def test_the_page_s_first_line_at_one_place_page_after_page_is_a_running_header_below_the_margin():
    """rst2pdf's page template sets the office's name 44 pt down a 540 pt slide, below the top
    margin's share: as the page's first line, printed at one place on the two pages before, it is
    a running header all the same. The same name printed under other text stays, and so does a
    first line lower than the page's top sixth (a row's at the top of a table)."""
    seen: dict = {}
    found = []
    for _ in range(1, 5):
        (office,) = group_lines(word("臺北市北投區公所", 853, 0.09 * PAGE_HEIGHT, size=8))
        (cell,) = group_lines(word("AC1.1臺北市北投區公所", 14, 0.2 * PAGE_HEIGHT, size=8))
        found.append([run.text for run in running_footers([office, cell], PAGE_HEIGHT, seen)])
    assert found == [[], [], ["臺北市北投區公所"], ["臺北市北投區公所"]]
    seen, found = {}, []
    for heading in ("組織概況", "願景", "使命", "策略地圖"):
        (title,) = group_lines(word(heading, 14, 0.02 * PAGE_HEIGHT, size=8))
        (office,) = group_lines(word("臺北市北投區公所", 853, 0.09 * PAGE_HEIGHT, size=8))
        found.append([run.text for run in running_footers([title, office], PAGE_HEIGHT, seen)])
    assert found == [[], [], [], []]
    seen, found = {}, []
    for _ in range(1, 5):
        (office,) = group_lines(word("臺北市北投區公所", 853, 0.2 * PAGE_HEIGHT, size=8))
        found.append([run.text for run in running_footers([office], PAGE_HEIGHT, seen)])
    assert found == [[], [], [], []]


def test_a_running_header_beside_furniture_mid_page_is_furniture_from_the_second_page_on():
    """Slides printed two to a page put the lower slide's running header ('高雄市政府… 策略地圖與
    平衡計分卡') mid-page, inside the stretch of the upper slide's last row: the office's name
    beside the furniture, at the same spot as on the page before, is furniture too. Text beside
    no furniture, or seen at that spot for the first time, stays."""
    seen: dict = {}
    found = []
    for _ in range(1, 4):
        office, furniture = word("高雄市政府工務局", 45, 300, size=7), word("策略地圖與平衡計分卡", 480, 300, size=7)
        (header,) = group_lines([*office, *furniture])
        (cell,) = group_lines(word("參與業務知能訓練", 45, 200, size=7))
        found.append([run.text for run in running_footers([header, cell], PAGE_HEIGHT, seen)])
    assert found == [[], ["高雄市政府工務局", "策略地圖與平衡計分卡"], ["高雄市政府工務局", "策略地圖與平衡計分卡"]]


def test_a_table_header_right_under_a_running_header_stays_page_after_page():
    """LibreOffice Writer printed through a PostScript driver: the page header ('桃園市政府民政局
    策略地圖與平衡計分卡') stands right above the table's header, which Writer repeats at the top
    of every page. The header's labels stay, page after page: only the running header's words are
    furniture."""
    height = 595.0
    seen: dict = {}
    found = []
    for _ in range(1, 4):
        (running,) = group_lines(word("桃園市政府民政局策略地圖與平衡計分卡", 629, 39, size=9))
        labels = [("策略目標", 73), ("衡量指標", 190), ("行動計畫", 700)]
        (header,) = group_lines([g for text, x0 in labels for g in word(text, x0, 52, size=9)])
        found.append([run.text for run in running_footers([running, header], height, seen)])
    assert found == [[], ["桃園市政府民政局策略地圖與平衡計分卡"], ["桃園市政府民政局策略地圖與平衡計分卡"]]


def test_a_running_header_on_two_lines_mid_page_is_furniture_line_by_line():
    """TCPDF's running header sets the office's name on one line and 策略地圖與平衡計分卡 on the
    line under it: printed mid-page on a handout, the name alone on its line is furniture too,
    from the second page on. A cell's line far from the header's words stays."""
    seen: dict = {}
    found = []
    for _ in range(1, 4):
        (name,) = group_lines(word("臺南市佳里區戶政事務所", 47, 450, size=5))
        (words,) = group_lines(word("策略地圖與平衡計分卡", 47, 456, size=5))
        (cell,) = group_lines(word("臺南市佳里區戶政事務所", 47, 300, size=5))
        found.append([run.text for run in running_footers([name, words, cell], PAGE_HEIGHT, seen)])
    assert found[0] == [] and found[1] == found[2] == ["臺南市佳里區戶政事務所", "策略地圖與平衡計分卡"]


def test_a_documents_first_page_number_centred_below_its_text_is_furniture():
    """pandoc's odt printed on A4 landscape: page 1's '1' stands centred, 0.88 of the page down
    (just above the bottom margin), two lines under a table's last row and no page before it to
    learn its spot from. Off the centre, a line under text, or not this page's number, it stays."""
    width, height = 842.0, 595.0
    row = [_line("提升櫃檯服務", 495, x0=59), _line("新指標不適用", 495, x0=360)]
    number = group_lines(word("1", 417, 525, size=10.5, advance=0.5))
    assert [run.text for run in centred_page_number([*row, *number], 1, width, height)] == ["1"]
    assert centred_page_number([*row, *number], 2, width, height) == []
    off_centre = group_lines(word("1", 600, 525, size=10.5, advance=0.5))
    assert centred_page_number([*row, *off_centre], 1, width, height) == []
    close_under = [_line("提升櫃檯服務", 515, x0=59), *number]
    assert centred_page_number(close_under, 1, width, height) == []
    high = group_lines(word("1", 417, 400, size=10.5, advance=0.5))
    assert centred_page_number([_line("提升櫃檯服務", 300, x0=59), *high], 1, width, height) == []


def test_text_at_a_running_header_s_spot_is_one_whatever_it_says():
    """Aspose.Cells prints each sheet's name flush right atop its pages ('&A': 封面, 策略地圖,
    策略主題A, …, 結語): from the third page on, text printed at that spot and set well apart
    above the page's other text is a running header, however its words change, not the end of
    the last row of the table before. A code there, a table's header label, or text followed
    closely by more text is not one; nor is text at another spot."""
    spots: dict = {}
    texts: dict = {}
    found = []
    for name in ("封面", "轄區概況", "策略地圖", "結語"):
        sheet = _line(name, 23, x0=561 - 10 * len(name))
        body = _line("敬請指教", 200)
        found.append([run.text for run in running_header_spots([sheet, body], 595, 842, spots, texts)])
    assert found == [[], [], ["策略地圖"], ["結語"]]
    assert running_header_spots([_line("AC1.1.2", 23, x0=491)], 595, 842, spots, texts) == []
    assert running_header_spots([_line("行動計畫", 23, x0=521)], 595, 842, spots, texts) == []
    assert running_header_spots([_line("監督寺廟條例", 23, x0=501), _line("BF1.1.3", 40)], 595, 842, spots, texts) == []
    assert running_header_spots([_line("結語", 23, x0=300)], 595, 842, spots, texts) == []
    (scaled,) = group_lines(word("平衡計分卡", 561 - 7 * 5, 24.6, size=7))  # a sheet printed smaller
    assert [run.text for run in running_header_spots([scaled], 595, 842, spots, texts)] == ["平衡計分卡"]
    small_page = [_line("結語", 23, x0=441), _line("敬請指教", 180)]  # a sheet on a page 495 x 269 pt
    assert [run.text for run in running_header_spots(small_page, 495, 269, spots, texts)] == ["結語"]


def test_a_running_header_starting_in_the_top_margin_is_one_though_it_ends_below_it():
    """LibreOffice Calc printed through a PostScript driver on landscape A4 sets the page header
    (the office's name, flush right) from 39.4 pt down to 48.9 pt, a point below the top margin
    (0.08 of 595 pt): it begins in the margin, so from the third page on it is a running header,
    not the end of the last plan of the page before. Text beginning below the margin is not."""
    spots: dict = {}
    found = []
    names = ((39.7, "造橋鄉公所"), (39.4, "苗栗縣造橋鄉公所"), (39.4, "苗栗縣造橋鄉公所"), (39.4, "造橋"))
    for top, office_name in names:
        office = _line(office_name, top, x0=821 - 10 * len(office_name))
        title = _line("策略主題：(C)打造永續低碳生活圈", 72.6, x0=32)
        found.append([run.text for run in running_header_spots([office, title], 842, 595, spots, {})])
    assert found == [[], [], ["苗栗縣造橋鄉公所"], ["造橋"]]
    spots = {}
    lower = [running_header_spots([_line("苗栗縣造橋鄉公所", 48.5, x0=741)], 842, 595, spots, {}) for _ in range(4)]
    assert lower == [[], [], [], []]


def test_a_running_header_printed_in_the_same_words_on_the_page_before_is_one():
    """calibre prints its header template ('桃園市平鎮區公所平衡計分卡', flush right) on the cover
    too, then over a table continued on page 2: the same words at the same spot on the page before
    make it a running header from the second page on. Other words there wait for a third page."""
    spots: dict = {}
    texts: dict = {}
    found = []
    for name in ("桃園市平鎮區公所平衡計分卡", "桃園市平鎮區公所平衡計分卡"):
        header = _line(name, 31.8, x0=550 - 10 * len(name))
        found.append([run.text for run in running_header_spots([header, _line("AC2", 80)], 595, 842, spots, texts)])
    assert found == [[], ["桃園市平鎮區公所平衡計分卡"]]
    other = [_line(name, 31.8, x0=550 - 10 * len(name)) for name in ("封面", "轄區概況")]
    assert [running_header_spots([line], 595, 842, {}, texts) for line in other] == [[], []]


def test_a_header_line_whose_year_labels_run_together_is_no_running_footer_s():
    """R's gridExtra sets a header's first line in the top margin of every table page: '項' and
    '構' (stacked labels' first letters) beside the year labels' first lines, set close enough to
    read as one run ('實際值(1實際值(1目標值(1'). That run names three columns, so the line is a
    header's, and its '項' is no running footer (taking it lost the numbering column)."""
    seen: dict = {}
    found = []
    for _ in range(4):
        top = [*word("項", 33, 57, size=8), *word("構", 51, 57, size=8)]
        top += [
            *word("實際值(1", 413, 57, size=8),
            *word("實際值(1", 452, 57, size=8),
            *word("目標值(1", 491, 57, size=8),
        ]
        found.append([run.text for run in running_footers(group_lines(top), 842, seen)])
    assert found == [[], [], [], []]
    alone = [running_footers([_line("項", 57, x0=33)], 842, seen) for _ in range(3)]
    assert [run.text for run in alone[-1]] == ["項"]  # printed alone at one place, it would be


def test_a_label_level_with_a_header_line_a_little_higher_is_no_running_header():
    """Spire.XLS centres '編' / '號' on the header's line, its '編' five points higher: the page's
    first line, printed at one place on every page with the repeated header. Level with a line
    naming columns, it is the header's label (taking it lost the numbering column, and the rows'
    numbers went into the objectives)."""
    seen: dict = {}
    found = []
    for _ in range(3):
        glyphs = [*word("編", 54, 75.9), *word("號", 54, 85.4)]
        glyphs += [*word("策略目標", 118, 80.7), *word("KPI(關鍵績效指標)", 231, 80.7), *word("行動方案", 420, 80.7)]
        found.append([run.text for run in running_footers(group_lines(glyphs), 595, seen)])
    assert found == [[], [], []]


def test_a_header_s_stacked_labels_set_solid_are_no_running_header():
    """pdfme sets a header's one-letter-a-line labels solid ('編' over '號', '構' over '面', the
    second line's top where the first's bottom is) in the top margin of every table page: the
    first letters stand where the page before printed them, but a line starts right under them,
    so they are the header's, not a running header's (taking them lost the 構面 column)."""
    spots: dict = {}
    texts: dict = {}
    found = []
    for _ in range(4):
        page = [_line("編構", 60, x0=31), _line("號面", 70, x0=31), _line("AC1.1", 90, x0=150)]
        found.append(running_header_spots(page, 595, 842, spots, texts))
    assert found == [[], [], [], []]
    apart = [_line("編構", 60, x0=31), _line("號面", 86, x0=31)]  # set well apart, it would be one
    assert [run.text for run in running_header_spots(apart, 595, 842, spots, texts)] == ["編構"]


def test_text_every_page_prints_at_one_place_from_the_first_is_a_slide_master_s():
    """beamer's Berkeley theme prints a sidebar down the left of every slide, the office's name and
    its short name '造橋' under it, level with a table's first rows: from the third page on it is
    furniture (not a 構面 label). Text a page after the first lacks, or the first page lacks, is
    not; nor is a table's header text or a code."""
    sidebar = [_line("苗栗縣造橋鄉公所", 53, x0=4), _line("造橋", 74, x0=16)]
    master, found = None, []
    pages = [[_line("策略地圖與平衡計分卡", 120, x0=80)], [_line("轄區概況", 60, x0=80)], [], [], []]
    for extra in pages:
        runs, master = slide_master_runs([*sidebar, *extra], master, len(found))
        found.append([run.text for run in runs])
    assert found == [[], [], ["苗栗縣造橋鄉公所", "造橋"], ["苗栗縣造橋鄉公所", "造橋"], ["苗栗縣造橋鄉公所", "造橋"]]
    runs, _ = slide_master_runs([_line("造橋", 74, x0=16)], {("苗栗縣造橋鄉公所", 4, 53)}, 4)
    assert runs == [], "not printed on every page before"
    head = [_line("行動方案", 60, x0=300), _line("AC1.1", 80, x0=100)]
    master = None
    for pages_before in range(4):
        runs, master = slide_master_runs(head, master, pages_before)
        assert runs == []


def test_a_slide_master_s_notice_a_tool_jitters_is_still_the_master_s():
    """Two ActiveReportsJS slides printed to a page put the upper slide's evaluation notice mid-page,
    its letters jittered from page to page ('Version', then 'ersion' with the 'V' a line lower):
    still the text every page prints at that place, the dropped letter with it."""
    master, found = None, []
    for page in range(5):
        version = "Version" if page % 2 == 0 else "ersion"
        lines = [_line(f"Powered by ActiveReportsJS Evaluation {version}", 250, x0=30)]
        lines += group_lines(
            [*word("Not Licensed for Distribution", 30, 261), *(word("V", 420, 261) if page % 2 else [])]
        )
        runs, master = slide_master_runs(lines, master, len(found))
        found.append(sorted(run.text for run in runs))
    assert found[3] == ["Not Licensed for Distribution", "Powered by ActiveReportsJS Evaluation ersion", "V"]
    assert found[4] == ["Not Licensed for Distribution", "Powered by ActiveReportsJS Evaluation Version"]


def test_a_slide_master_s_text_printed_once_a_slide_on_a_handout_page_is_the_master_s():
    """Slides printed two to a page: the first page's upper slide, the title, has no running
    header ('列印日期：109/03/03'), its lower slide has, so the master's spot is the lower slide's.
    From the third page on that header is furniture there, and so is the upper slide's, the
    same words at the same left edge higher up, which a table continued from the page before
    would otherwise end its last plan with. Other text at that edge is not."""
    master, found = None, []
    for page in range(4):
        lines = [_line("列印日期：109/03/03", 459, x0=502)]
        if page:
            lines += [_line("列印日期：109/03/03", 38, x0=502.4), _line("臺中市政府公務人員", 80, x0=502)]
        runs, master = slide_master_runs(lines, master, page)
        found.append(sorted(run.top for run in runs))
    assert found == [[], [], [38, 459], [38, 459]]


def test_a_header_row_repeated_atop_every_page_keeps_the_labels_no_column_is_known_by():
    """Kendo UI repeats a table's header at one place atop each slide: '行動計畫 主辦單位 基準'.
    '主辦單位' and '基準' name no column the parser knows, but a line that names two columns is a
    header row, and its other labels are the table's too, not a running header."""
    spots: dict = {}
    texts: dict = {}
    found = []
    for _ in range(4):
        glyphs = [*word("行動計畫", 300, 40), *word("主辦單位", 420, 40), *word("基準", 500, 40)]
        glyphs += [*word("策略性目標", 40, 40), *word("AC1.1.1推廣", 300, 90)]
        lines = group_lines(glyphs)
        found += running_header_spots(lines, 842, 595, spots, texts)
        found += running_footers(lines, 595, {})
    assert found == []


@pytest.mark.parametrize(
    ("text", "opens"),
    [
        ("註：實際值統計至113年12月底；目標值為114年度預定。", True),
        ("註1: 目標值依市府政策調整", True),
        ("※：實際值為年度累計", True),
        ("註", False),  # a wrapped 備註 label's second line
        ("備註", False),
        ("註冊登記案件數", False),
    ],
)
def test_a_footnote_opens_with_its_mark_and_a_colon(text, opens):
    """A note under a table names 實際值 and 目標值 in a sentence: it is never a header's labels,
    which would otherwise wait for the years of the next theme's header below it (pandoc)."""
    assert opens_a_footnote(text) is opens


def test_a_running_footer_wrapped_in_a_narrow_box_is_furniture_inside_the_table():
    """Aspose.Slides wraps the footer '桃園市龜山區公所｜策略地圖與平衡計分卡' in its narrow
    placeholder, '分卡' on a line of its own, above the bottom margin and inside a table drawn
    without rules: neither line holds the running header's words alone, but the two do."""
    seen: dict = {}
    found = []
    for _ in range(2):
        lines = group_lines(
            [*word("桃園市龜山區公所｜策略地圖與平衡計", 260, 500, size=9), *word("分卡", 350, 512, size=9)]
            + word("BP2.1.2桃園市各區里鄰建設服務經費執行要點", 330, 470, size=9)
        )
        found.append([run.text for run in running_footers(lines, 595, seen)])
    assert found[0] == []
    assert sorted(found[1]) == ["分卡", "桃園市龜山區公所｜策略地圖與平衡計"]


def test_a_row_s_next_line_at_a_running_header_s_spot_is_the_row_s():
    """Calligra Sheets prints a table's last row alone atop a page: its plan's second line
    ('算執行管考要點') stands where the pages before set their rows' lines, set well apart above
    the page number. It lies under the row's line, which prints codes: no running header."""
    spots: dict = {}
    texts: dict = {}
    for plan in ("臺北市社區照顧關懷據點", "臺北市區民活動中心", "臺北市政府考核計畫"):
        row = _line(f"CF1.1 收支比 4.6 CF1.1.1 {plan}", 33, x0=155)
        running_header_spots([row, _line(plan, 45, x0=406)], 595, 842, spots, texts)
    row = _line("CF1.2 收支比 4.6 CF1.2.1 臺北市政府年度預", 33, x0=155)
    assert running_header_spots([row, _line("算執行管考要點", 45, x0=406)], 595, 842, spots, texts) == []
    assert [r.text for r in running_header_spots([_line("算執行管考要點", 45, x0=406)], 595, 842, spots, texts)] == [
        "算執行管考要點"
    ]


def test_a_footer_printed_over_a_table_s_last_line_is_furniture():
    """LibreOffice prints a slide whose table runs down into its footer: '第 5 頁，共 8 頁', drawn
    after the last plan, stands over that plan's letters, one line with them ('高雄市政府人第民5陳頁…').
    The footer's run is furniture and the plan's letters stay. The same words drawn clear of
    other text, or a plan that names a page without being drawn over, are left to the other tests."""
    plan = word("高雄市政府人民陳情案件處理要點", 526, 516.8)
    footer = word("第5頁，共8頁", 577, 518.8, size=9)
    (line,) = group_lines(drawn(plan, footer))
    (found,) = footers_over_text([line])
    assert found.text == "第5頁，共8頁"
    apart = group_lines(drawn(word("計畫", 400, 516.8), footer))
    assert footers_over_text(apart) == []
    (named,) = group_lines(drawn(word("依第5頁辦理", 526, 516.8)))
    assert footers_over_text([named]) == []
