"""Page numbers among a table's text: the page's own number where the deck prints its numbers,
with the deck's page count, centred under all text, or counting up with the pages at one spot."""

from __future__ import annotations

from glyphs import drawn, line, word

from pipeline.extract.geometry import Glyph, group_lines
from pipeline.extract.page_numbers import (
    centred_page_number,
    counted_numbers,
    numbers_counted_on,
    numbers_of_the_count,
    page_numbers_among_cells,
)

PAGE_HEIGHT = 540.0


def test_a_page_number_in_a_table_line_is_known_by_where_the_deck_prints_page_numbers():
    """Page 4 prints '4' alone at the foot, mid-page; on page 5 the table runs into the margin and
    '5' stands at that spot on a line with a plan's last words: the page number, not a value.
    A '5' elsewhere on such a line, or another number at the spot, stays table text."""
    spots: list = []
    assert page_numbers_among_cells([line("4", top=520, x0=355)], 4, PAGE_HEIGHT, spots) == []
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
    assert [run.text for run in numbers_of_the_count(shared, 4, range(7, 8), PAGE_HEIGHT)] == ["4/7"]
    assert numbers_of_the_count(shared, 5, range(7, 8), PAGE_HEIGHT) == [], "not this page's number"
    assert numbers_of_the_count(shared, 4, range(8, 9), PAGE_HEIGHT) == [], "not the deck's count"
    two_a_sheet = range(7, 9)  # printed two pages a sheet: its last sheet may hold one
    assert [run.text for run in numbers_of_the_count(shared, 4, two_a_sheet, PAGE_HEIGHT)] == ["4/7"]
    bare = group_lines([*word("實施計畫。", 270, 520), *word("4", 600, 520)])
    assert numbers_of_the_count(bare, 4, range(7, 8), PAGE_HEIGHT) == [], "a bare number needs its spot learnt"
    inside = group_lines([*word("實施計畫。", 270, 300), *word("4/7", 600, 300)])
    assert numbers_of_the_count(inside, 4, range(7, 8), PAGE_HEIGHT) == [], "inside the page: a cell's"


def test_the_page_s_number_and_count_drawn_over_a_plan_s_letters_are_the_page_s():
    """Spire.XLS prints the footer's '6 / 8' (9 pt) over a plan's last line (10 pt), amid its
    letters: by place no run holds it, by drawing it is one run of its own."""
    plan = word("資通安全事件通報及應變辦法", 300, 522)
    count = [Glyph(ch, 392 + 4.5 * i, 396.5 + 4.5 * i, 524, 533, 9.0, False, False) for i, ch in enumerate("6 / 8")]
    over = group_lines(drawn(plan, count))
    assert [run.text for run in numbers_of_the_count(over, 6, range(8, 9), PAGE_HEIGHT)] == ["6 / 8"]
    assert numbers_of_the_count(over, 5, range(8, 9), PAGE_HEIGHT) == [], "not this page's number"


def test_the_page_number_under_a_table_s_text_at_its_spot_is_the_page_s():
    """LuaLaTeX: a table run into the slide number prints '營' over the '5' of page 5, at the
    spot where the pages before printed theirs: the '5' is the page's, the text the plan's. A
    '5' at the spot not printed under text, or under text away from the spot, is a value."""
    spots: list = []
    page_numbers_among_cells([line("4", top=520, x0=357)], 4, PAGE_HEIGHT, spots)
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


def test_a_documents_first_page_number_centred_below_its_text_is_furniture():
    """pandoc's odt printed on A4 landscape: page 1's '1' stands centred, 0.88 of the page down
    (just above the bottom margin), two lines under a table's last row and no page before it to
    learn its spot from. Off the centre, a line under text, or not this page's number, it stays."""
    width, height = 842.0, 595.0
    row = [line("提升櫃檯服務", 495, x0=59), line("新指標不適用", 495, x0=360)]
    number = group_lines(word("1", 417, 525, size=10.5, advance=0.5))
    assert [run.text for run in centred_page_number([*row, *number], 1, width, height)] == ["1"]
    assert centred_page_number([*row, *number], 2, width, height) == []
    off_centre = group_lines(word("1", 600, 525, size=10.5, advance=0.5))
    assert centred_page_number([*row, *off_centre], 1, width, height) == []
    close_under = [line("提升櫃檯服務", 515, x0=59), *number]
    assert centred_page_number(close_under, 1, width, height) == []
    high = group_lines(word("1", 417, 400, size=10.5, advance=0.5))
    assert centred_page_number([line("提升櫃檯服務", 300, x0=59), *high], 1, width, height) == []
