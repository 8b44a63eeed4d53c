"""Page furniture: footers, footnotes and page numbers are told from table text by what they
say and where they stand."""

from __future__ import annotations

import pytest
from glyphs import drawn, line, word

from pipeline.extract.furniture import (
    footers_over_text,
    is_furniture,
    is_page_number,
    may_hold_furniture,
    opens_a_footnote,
    reads_as_page_number,
    running_footers,
    running_header_spots,
    slide_master_runs,
)
from pipeline.extract.geometry import group_lines
from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.rules import Rule
from pipeline.extract.table_body import furniture_runs

PAGE_HEIGHT = 540.0


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
    assert is_page_number(line("12", top=520), PAGE_HEIGHT)
    assert is_page_number(line("-3-", top=10), PAGE_HEIGHT)
    assert not is_page_number(line("12", top=200), PAGE_HEIGHT), "inside the table a number is a value"
    assert is_page_number(line("4 of 11", top=520), PAGE_HEIGHT), "a browser's footer"


def test_a_browser_s_print_footer_goes_whole():
    """Firefox prints its page count bottom left and the date bottom right, on one line in the
    margin under a slide's table; neither is a cell's text."""
    line = group_lines([*word("4 of 7", 20, 520, size=7), *word("11/30/26, 2:19 AM", 600, 520, size=7)])[0]
    assert [run.text for run in furniture_runs(line, PAGE_HEIGHT)] == ["4 of 7", "11/30/26, 2:19 AM"]


def test_lines_inside_the_page_naming_no_mark_are_never_searched_for_runs():
    assert not may_hold_furniture(line("AC1.1新移民課程 88% 90%", top=200), PAGE_HEIGHT)
    assert may_hold_furniture(line("註1：實際值", top=200), PAGE_HEIGHT)
    assert may_hold_furniture(line("AC1.1", top=525), PAGE_HEIGHT)


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


def test_a_page_number_between_dashes_is_furniture_wherever_it_stands():
    """A slide's '- 7 -' in the middle of a handout page, inside the last row's stretch of the
    table: no value is printed between dashes. A bare '7' there stays a value."""
    assert is_furniture("- 7 -") and is_furniture("—12—")
    assert [run.text for run in furniture_runs(line("- 7 -", top=300), PAGE_HEIGHT)] == ["- 7 -"]
    assert furniture_runs(line("7", top=300), PAGE_HEIGHT) == []
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


def test_a_footer_the_next_page_prints_again_counts_that_page_as_one_before():
    """Slides printed two to a page put a table on the deck's second page, its last row reaching
    down to the office's name in the footer: with one page before and the next page printing
    the name at the same spot, it is furniture already (read into the last plan otherwise). One
    page before alone, or a next page printing other words there, is not enough."""
    footer = word("高雄市岡山區公所", 384, 525, size=4)
    plan = word("實施計畫。", 300, 500, size=4)
    seen: dict = {}
    running_footers(group_lines(footer), PAGE_HEIGHT, seen)  # the first page
    here = group_lines([*plan, *footer])
    assert [r.text for r in running_footers(here, PAGE_HEIGHT, dict(seen), lambda: group_lines(footer))] == [
        "高雄市岡山區公所"
    ]
    assert running_footers(here, PAGE_HEIGHT, dict(seen)) == []
    other = group_lines(word("高雄市岡山區公所", 200, 525, size=4))
    assert running_footers(here, PAGE_HEIGHT, dict(seen), lambda: other) == []


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
        sheet = line(name, 23, x0=561 - 10 * len(name))
        body = line("敬請指教", 200)
        found.append([run.text for run in running_header_spots([sheet, body], 595, 842, spots, texts)])
    assert found == [[], [], ["策略地圖"], ["結語"]]
    assert running_header_spots([line("AC1.1.2", 23, x0=491)], 595, 842, spots, texts) == []
    assert running_header_spots([line("行動計畫", 23, x0=521)], 595, 842, spots, texts) == []
    assert running_header_spots([line("監督寺廟條例", 23, x0=501), line("BF1.1.3", 40)], 595, 842, spots, texts) == []
    assert running_header_spots([line("結語", 23, x0=300)], 595, 842, spots, texts) == []
    (scaled,) = group_lines(word("平衡計分卡", 561 - 7 * 5, 24.6, size=7))  # a sheet printed smaller
    assert [run.text for run in running_header_spots([scaled], 595, 842, spots, texts)] == ["平衡計分卡"]
    small_page = [line("結語", 23, x0=441), line("敬請指教", 180)]  # a sheet on a page 495 x 269 pt
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
        office = line(office_name, top, x0=821 - 10 * len(office_name))
        title = line("策略主題：(C)打造永續低碳生活圈", 72.6, x0=32)
        found.append([run.text for run in running_header_spots([office, title], 842, 595, spots, {})])
    assert found == [[], [], ["苗栗縣造橋鄉公所"], ["造橋"]]
    spots = {}
    lower = [running_header_spots([line("苗栗縣造橋鄉公所", 48.5, x0=741)], 842, 595, spots, {}) for _ in range(4)]
    assert lower == [[], [], [], []]


def test_a_running_header_printed_in_the_same_words_on_the_page_before_is_one():
    """calibre prints its header template ('桃園市平鎮區公所平衡計分卡', flush right) on the cover
    too, then over a table continued on page 2: the same words at the same spot on the page before
    make it a running header from the second page on. Other words there wait for a third page."""
    spots: dict = {}
    texts: dict = {}
    found = []
    for name in ("桃園市平鎮區公所平衡計分卡", "桃園市平鎮區公所平衡計分卡"):
        header = line(name, 31.8, x0=550 - 10 * len(name))
        found.append([run.text for run in running_header_spots([header, line("AC2", 80)], 595, 842, spots, texts)])
    assert found == [[], ["桃園市平鎮區公所平衡計分卡"]]
    other = [line(name, 31.8, x0=550 - 10 * len(name)) for name in ("封面", "轄區概況")]
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
    alone = [running_footers([line("項", 57, x0=33)], 842, seen) for _ in range(3)]
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
        page = [line("編構", 60, x0=31), line("號面", 70, x0=31), line("AC1.1", 90, x0=150)]
        found.append(running_header_spots(page, 595, 842, spots, texts))
    assert found == [[], [], [], []]
    apart = [line("編構", 60, x0=31), line("號面", 86, x0=31)]  # set well apart, it would be one
    assert [run.text for run in running_header_spots(apart, 595, 842, spots, texts)] == ["編構"]


def test_text_every_page_prints_at_one_place_from_the_first_is_a_slide_master_s():
    """beamer's Berkeley theme prints a sidebar down the left of every slide, the office's name and
    its short name '造橋' under it, level with a table's first rows: from the third page on it is
    furniture (not a 構面 label). Text a page after the first lacks, or the first page lacks, is
    not; nor is a table's header text or a code."""
    sidebar = [line("苗栗縣造橋鄉公所", 53, x0=4), line("造橋", 74, x0=16)]
    master, found = None, []
    pages = [[line("策略地圖與平衡計分卡", 120, x0=80)], [line("轄區概況", 60, x0=80)], [], [], []]
    for extra in pages:
        runs, master = slide_master_runs([*sidebar, *extra], master, len(found))
        found.append([run.text for run in runs])
    assert found == [[], [], ["苗栗縣造橋鄉公所", "造橋"], ["苗栗縣造橋鄉公所", "造橋"], ["苗栗縣造橋鄉公所", "造橋"]]
    runs, _ = slide_master_runs([line("造橋", 74, x0=16)], {("苗栗縣造橋鄉公所", 4, 53)}, 4)
    assert runs == [], "not printed on every page before"
    head = [line("行動方案", 60, x0=300), line("AC1.1", 80, x0=100)]
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
        lines = [line(f"Powered by ActiveReportsJS Evaluation {version}", 250, x0=30)]
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
        lines = [line("列印日期：109/03/03", 459, x0=502)]
        if page:
            lines += [line("列印日期：109/03/03", 38, x0=502.4), line("臺中市政府公務人員", 80, x0=502)]
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
        row = line(f"CF1.1 收支比 4.6 CF1.1.1 {plan}", 33, x0=155)
        running_header_spots([row, line(plan, 45, x0=406)], 595, 842, spots, texts)
    row = line("CF1.2 收支比 4.6 CF1.2.1 臺北市政府年度預", 33, x0=155)
    assert running_header_spots([row, line("算執行管考要點", 45, x0=406)], 595, 842, spots, texts) == []
    assert [r.text for r in running_header_spots([line("算執行管考要點", 45, x0=406)], 595, 842, spots, texts)] == [
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


def test_a_table_s_first_row_in_the_top_margin_under_its_header_is_no_running_header():
    """Kendo UI draws a deck's tables small (5 pt type): a page's header and first row stand in
    its top margin, and two pages running open with a row whose 110 actual reads '新指標不適用'
    at one spot. Under a line naming columns that is the row's note, not a running header (taken
    as one, it left every value cell of the row blank). Alone in the margin, it would be one."""
    header = [*word("策略性目標", 113, 34.2, size=5), *word("衡量指標", 233, 34.2, size=5)]
    header += word("行動計畫", 700, 34.2, size=5)
    note = word("新指標不適用", 350, 46.8, size=5)
    spots: dict = {}
    texts: dict = {}
    under = [running_header_spots(group_lines([*header, *note]), 842, 595, spots, texts) for _ in range(3)]
    assert under == [[], [], []]
    spots, texts = {}, {}
    alone = [running_header_spots(group_lines(note), 842, 595, spots, texts) for _ in range(2)]
    assert [[run.text for run in found] for found in alone] == [[], ["新指標不適用"]]
