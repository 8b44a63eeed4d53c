"""Text printed over text: different glyphs printed over each other, found without comparing
every pair of a page's glyphs, and the runs they were drawn in, which tell whose they are."""

from __future__ import annotations

import random
from itertools import combinations

import pytest
from glyphs import clipped, column, drawn, glyph, word

from pipeline.extract.overprint import laid_after, overprint_pairs, run_starts, set_tight, without_stamps
from pipeline.extract.rules import Rule
from pipeline.extract.tolerances import TOL


def overprinted(glyphs, share: float = TOL.overprint_share) -> tuple[str, ...]:
    return tuple(a.text + b.text for a, b in overprint_pairs(glyphs, share))


def _overlap_share(a, b) -> float:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    smaller = min((a.x1 - a.x0) * (a.bottom - a.top), (b.x1 - b.x0) * (b.bottom - b.top))
    return width * height / smaller if width > 0 and height > 0 else 0.0


def _every_pair(glyphs) -> list[str]:
    """The definition, pair by pair: each overprinted pair's texts, the left glyph's first."""
    upright = sorted((g for g in glyphs if not g.rotated and not g.text.isspace()), key=lambda g: g.x0)
    return sorted(
        a.text + b.text
        for a, b in combinations(upright, 2)
        if a.text != b.text and _overlap_share(a, b) > TOL.overprint_share
    )


def test_a_letter_printed_over_another_is_found():
    cell = [*word("要求", 0, 0), glyph("C", 10.5, 1), *word("AC1.1", 0, 40)]
    assert overprinted(cell) == ("求C",)


def test_fake_bold_and_touching_letters_are_not_overprints():
    cell = [*word("提升", 0, 0), glyph("升", 10.4, 0.3), *word("88%", 0, 20, advance=0.95)]
    assert overprinted(cell) == ()


def test_turned_labels_may_pile_up():
    assert overprinted([glyph("顧", 0, 0, rotated=True), glyph("客", 1, 1, rotated=True)]) == ()


@pytest.mark.parametrize("seed", range(15))
def test_the_grid_finds_every_pair_the_definition_does(seed):
    """Glyphs of mixed sizes scattered densely, across bin edges, as pairs compared one by one."""
    rng = random.Random(seed)
    glyphs = [
        glyph(rng.choice("民長AB12"), rng.uniform(0, 120), rng.uniform(0, 60), size=rng.choice((6, 10, 14)))
        for _ in range(80)
    ]
    found = overprinted(glyphs)
    assert sorted(found) == _every_pair(glyphs), "each pair once, none missed"
    assert found, "a page this dense has overprints"


def test_a_lower_share_finds_lines_overlapping_a_little():
    """A line printed 3 pt lower than another, over it, overlaps each letter by 30%: text over
    text, but not enough to be called overprinted."""
    hidden, shown = word("資通", 0, 0), word("臺南", 0, 7)
    assert overprinted([*hidden, *shown]) == ()
    assert overprinted([*hidden, *shown], TOL.collide_share) == ("資臺", "通南")


def test_the_part_of_a_glyph_its_clip_hides_lies_over_nothing():
    """R's gridExtra clips each cell's text to its cell (the border at 400): a plans line run on
    past it ends with '畫' cut there, its box over the next cell's value '5.1' beside it. Only
    the part left of the border shows, clear of the value: no collision. Unclipped, it is one."""
    line, value = word("計畫", 383, 51), word("5.1", 401, 51)
    assert overprinted([*line, *value], TOL.collide_share) == ("畫5",)
    shown = [*clipped(line, 200, 400, 50, 80), *clipped(value, 400, 460, 50, 80)]
    assert overprinted(shown, TOL.collide_share) == ()


def test_a_code_set_over_a_closing_bracket_s_empty_half_is_no_collision():
    """XeLaTeX sets the plan code 'EP1.1.1' a few points into the box of the '）' ending the cell on
    its left: '）' inks only its left half, so the two texts do not touch. A letter over the
    bracket's ink does."""
    tight = [*word("季）", 0, 0), glyph("E", 17, 0)]
    assert overprinted(tight, TOL.collide_share) == ()
    assert overprinted([*word("季）", 0, 0), glyph("E", 12, 0)], TOL.collide_share) == ("）E",)


def _column(g) -> int:
    return int(g.x0 // 100)  # columns 100 pt wide


def _starts(glyphs) -> list[str]:
    """Each glyph's run's first letter."""
    starts = run_starts(glyphs, _column)
    return [starts[id(g)].text for g in glyphs]


def test_a_cell_drawn_line_after_line_is_one_run():
    """A plan's code, its name wrapped over two lines (each line further left than the last
    glyph), drawn in order: one run, however the lines are set."""
    cell = drawn(word("BL1.1.3", 20, 0), word("資通安全事件", 5, 14), word("辦法", 30, 28))
    assert set(_starts(cell)) == {"B"}


def test_the_next_cell_starts_a_run():
    """After a plans cell's last line (column 2), the tool draws the next row's KPI cell (column
    0), one line lower: a new run, though it lies where a next line would."""
    plans, kpi = word("實施計畫", 210, 0), word("DL1.2參與", 10, 14)
    assert _starts(drawn(plans, kpi)) == ["實"] * 4 + ["D"] * 7


def test_a_glyph_drawn_over_the_last_starts_a_run():
    """A weight '5%' drawn right after a bracket it overlaps by a fifth of a letter is another
    cell's text; letters kerned a little closer are one word."""
    measure = word("季）", 0, 0, size=7)
    weight = [glyph("5", measure[-1].x1 - 1.9, 0, size=7), glyph("%", measure[-1].x1 + 5.1, 0, size=7)]
    assert _starts(drawn(measure, weight)) == ["季", "季", "5", "5"]
    kerned = [glyph("9", measure[-1].x1 - 0.5, 0, size=7)]
    assert _starts(drawn(measure, kerned)) == ["季", "季", "季"]


def test_a_glyph_drawn_elsewhere_in_between_ends_a_run():
    """Runs hold glyphs drawn one right after another: glyphs of another text drawn in between
    (not among those asked about) end it."""
    first, other, second = word("計畫", 0, 0), word("X", 300, 300), word("要點", 20, 0)
    glyphs = drawn(first, other, second)
    asked = [g for g in glyphs if g.text != "X"]
    assert _starts(asked) == ["計", "計", "要", "要"]
    assert _starts(glyphs[:2] + glyphs[3:]) == _starts(asked)


def test_glyphs_of_unknown_order_have_no_run():
    assert run_starts(word("計畫", 0, 0), _column) == {}


def test_a_glyph_drawn_right_after_another_and_on_along_its_line_is_set_tight():
    """upLaTeX with WenQuanYi draws '(' wider than the half-width box its metrics give it, so
    '調', drawn next, covers half of it: one text set tight. Letters piled on one spot, glyphs
    not drawn one after the other, or on other lines, are not."""
    paren, wide = drawn([glyph("(", 423.4, 128.6, size=2.4), glyph("調", 424.2, 128.6, size=7.7)])
    assert set_tight(paren, wide) and set_tight(wide, paren)
    first, piled = drawn([glyph("內", 20, 30, size=9), glyph("部", 20, 31, size=9)])
    assert not set_tight(first, piled), "piled on one spot"
    a, _, b = drawn([glyph("(", 0, 0, size=4), glyph("x", 90, 0), glyph("調", 1, 0, size=8)])
    assert not set_tight(a, b), "another glyph drawn in between"
    upper, lower = drawn([glyph("1", 0, 0, size=8), glyph("監", 3, 6, size=8)])
    assert not set_tight(upper, lower), "the next line"


def _half_width(text: str, x0: float, top: float, size: float = 8.0) -> list:
    return [glyph(ch, x0 + i * size * 0.6, top, size) for i, ch in enumerate(text)]


def test_text_drawn_back_over_the_code_before_it_is_laid_after_it():
    """upLaTeX with WenQuanYi: the plan's name is set where the typesetter thought 'BF1.1.1'
    ended, under its '.1', and drawn right after it; so is the next plan, after the name. Read
    in drawing order, each goes after the text before it."""
    code = _half_width("BF1.1.1", 440, 80)  # 440 .. 472.8
    name = word("監督寺廟", 456, 80, size=8)  # from under the code's fifth letter
    after = _half_width("BF1.1.2", 488, 80)  # where the typesetter put it, over the moved name
    placed = drawn(code, name, after)
    moved = laid_after(placed)
    shift = code[-1].x1 - name[0].x0
    assert sorted(round(g.x0, 1) for g in moved.values()) == sorted(round(g.x0 + shift, 1) for g in name + after)
    assert all(g.text == placed[i].text for i, g in enumerate(placed) if id(g) in moved)


def test_text_run_on_under_another_from_its_start_is_not_moved():
    """A cell's text run on under the next cell's first line, drawn right after it, starts where
    that line starts: two texts over each other, not one set too tight."""
    line = _half_width("AC1.2.1", 210, 64)
    overflow = word("續行計畫", 210, 61)
    assert laid_after(drawn(line, overflow)) == {}
    assert laid_after(drawn(_half_width("AC1.1", 50, 25), _half_width("AC1.1", 50.4, 25))) == {}, "a fake bold copy"


def test_large_text_drawn_over_the_cells_is_a_stamp_and_goes_whole_on_every_page():
    """A stamp like Aspose's evaluation notice (in other words, so that only its size and place
    tell): 24 pt lines drawn one after the other across a table of 10 pt cells, its first line
    over empty space, its second over a KPI's code. The notice goes, spaces
    and all; a 20 pt title printed over no text stays. On a later page the notice at the same
    place goes though it is printed over a closing slide's words larger than itself."""
    title = word("策略主題：(A)促進多元共融", 40, 20, size=20)
    rows = [word(f"AL1.{n}本府防範惡意電子郵件社交工程演練結果", 100, 200 + 12 * n, size=10) for n in range(1, 4)]
    cells = [g for row in rows for g in row]
    notice = [*word("Internal only.", 60, 170, size=24), *word("Draft for review", 90, 205, size=24)]
    seen: set = set()
    kept = without_stamps(drawn(title, cells, notice), seen)
    assert "".join(g.text for g in kept) == "".join(g.text for g in [*title, *cells])
    closing = word("敬請指教", 120, 190, size=40)
    kept = without_stamps(drawn(closing, notice), seen)
    assert "".join(g.text for g in kept) == "敬請指教"
    assert without_stamps(drawn(closing, notice), set()) == drawn(closing, notice)


def test_a_title_drawn_right_after_a_watermark_is_no_stamp():
    """Flying Saucer draws the page's '內部資料' watermark (64 pt, over the cells) and then the
    theme title (16 pt, over nothing) one after the other: the watermark goes, the title, drawn
    in its own size, stays, on this page and on the pages after."""
    rows = [word(f"AC1.{n}本府防範惡意電子郵件社交工程演練結果", 100, 200 + 12 * n, size=8) for n in range(1, 4)]
    cells = [g for row in rows for g in row]
    watermark = word("內部資料", 90, 190, size=64)
    title = word("策略主題：(A)強化災害防救體系", 40, 60, size=16)
    seen: set = set()
    for _ in range(2):
        kept = without_stamps(drawn(cells, watermark, title), seen)
        assert "".join(g.text for g in kept) == "".join(g.text for g in [*cells, *title])


def test_a_title_under_a_small_notice_drawn_after_it_is_no_stamp():
    """Spire.Presentation prints its 10 pt evaluation warning along the page's top edge, across
    a 24 pt theme title drawn before it: the smaller text lies over the larger, so the title is
    no stamp, and stays (the notice goes for its words, see the test of a tool's notice)."""
    title = word("策略主題：(A)建構安心宜居社區", 27, 16, size=24)
    notice = word("Evaluation Warning : The document was created with Spire.Presentation", 10, 11, size=10)
    kept = without_stamps(drawn(title, notice), set())
    assert "".join(g.text for g in kept) == "".join(g.text for g in title)


def test_a_notice_less_than_twice_the_cells_type_drawn_over_them_is_a_stamp():
    """Spire.Doc prints its evaluation notice at 16.8 pt across the middle of every page after the
    first, over a table of 9 pt cells (1.9 times their size), after them: a stamp."""
    rows = [word(f"AC1.{n}本府防範惡意電子郵件社交工程演練結果", 100, 400 + 9 * n, size=9) for n in range(1, 4)]
    cells = [g for row in rows for g in row]
    notice = word("Evaluation Warning: The document was created with Spire.Doc", 40, 405, size=16.8)
    kept = without_stamps(drawn(cells, notice), set())
    assert "".join(g.text for g in kept) == "".join(g.text for g in cells)


def test_large_text_printed_across_a_table_s_grid_is_a_stamp_over_text_or_not():
    """The notice can fall between a row's lines, over no text: printed across the edges of the
    cells' fills (or column rules) between its letters, it is no cell's. A title above the grid,
    and a band label set large inside one merged cell, cross no edge and stay."""
    edges = [Rule(x, 322, 419, fill=True) for x in (34, 102, 202, 266, 307, 347, 388, 428)]
    rows = [word(f"AP2.{n}本府各區提昇災害應變能力計畫", 110, 350 + 10 * n, size=8) for n in range(1, 4)]
    cells = [g for row in rows for g in row]
    notice = word("Evaluation Warning: The document was created with Spire.Doc", 10, 408, size=16.8)
    kept = without_stamps(drawn(cells, notice), set(), edges)
    assert "".join(g.text for g in kept) == "".join(g.text for g in cells)
    title = word("策略主題：(A)營造安全韌性社區", 40, 43, size=14)
    band = word("內部流程構面", 40, 326, size=14)
    page = drawn(title, cells, band)
    assert without_stamps(page, set(), [Rule(x, 322, 419, fill=True) for x in (34, 428)]) == page


def test_a_title_over_a_fill_behind_each_letter_is_no_stamp():
    """MuPDF's Story paints a title's background letter by letter: the fills' edges between its
    letters are no taller than the title, no table's grid."""
    rows = [word(f"AC1.{n}本府防範惡意電子郵件社交工程演練結果", 100, 200 + 12 * n, size=8) for n in range(1, 4)]
    cells = [g for row in rows for g in row]
    title = word("策略主題：(A)強化災害防救體系", 42, 39, size=16)
    edges = [Rule(g.x1, 37.6, 53.6, fill=True) for g in title]
    page = drawn(title, cells)
    assert without_stamps(page, set(), edges) == page


def test_text_drawn_after_all_the_cells_and_over_one_of_them_is_a_stamp_at_a_lower_bar():
    """Spire.XLS prints its notice 1.31 to 1.47 times its cells' type, last on the page, across
    the table: over one letter of a stacked 構面 label, or over a band's letters by a quarter of
    their box. Drawn after every smaller glyph and over one of them, it is a stamp."""
    rows = [word(f"AC2.{n}新移民課程學員出席率", 100, 400 + 14 * n, size=12.6) for n in range(1, 3)]
    cells = [g for row in rows for g in row]
    notice = word("Evaluation Warning : The document was created with Spire.XLS", 0, 402, size=16.5)
    kept = without_stamps(drawn(cells, notice), set())
    assert "".join(g.text for g in kept) == "".join(g.text for g in cells)
    band = word("內部流程構面", 46, 303.3, size=10.5)  # under the notice's foot by 0.3 of its height
    rows = [word(f"AP1.{n}採購案件如期決標比率", 100, 320 + 14 * n, size=10.5) for n in range(1, 4)]
    cells = [*band, *(g for row in rows for g in row)]
    grazing = word("Evaluation Warning : The document", 0, 283.0, size=23.4)
    kept = without_stamps(drawn(cells, grazing), set())
    assert "".join(g.text for g in kept) == "".join(g.text for g in cells)


def test_text_drawn_after_all_the_cells_and_over_a_turned_label_is_a_stamp():
    """A notice drawn last whose only smaller text under it is a 構面 label printed turned in its
    cell (letters on no line of the page's): over one of those letters, it is a stamp all the same."""
    label = column("內部流程構面", 40, 380, size=9)
    rows = [word(f"AP1.{n}採購案件如期決標比率", 100, 440 + 12 * n, size=9) for n in range(1, 4)]
    cells = [*label, *(g for row in rows for g in row)]
    notice = word("Evaluation Warning", 0, 395, size=16.5)
    kept = without_stamps(drawn(cells, notice), set())
    assert "".join(g.text for g in kept) == "".join(g.text for g in cells)


def test_a_title_drawn_before_the_cells_it_touches_or_over_none_is_no_stamp():
    """The lower bar holds only for text drawn after all the smaller text: a theme title a third
    larger than its cells, drawn before them and touching the first row, stays; so does one drawn
    last over no text, and one drawn last at less than 1.25 times the cells' type over a row."""
    rows = [word(f"AC1.{n}市民熱線案件結案滿意度", 100, 110 + 12 * n, size=10) for n in range(1, 3)]
    cells = [g for row in rows for g in row]
    touching = word("策略主題：(A)厚植地方產業特色", 90, 115, size=13)
    page = drawn(touching, cells)
    assert without_stamps(page, set()) == page
    apart = word("策略主題：(B)落實基層服務", 40, 60, size=13)
    page = drawn(cells, apart)
    assert without_stamps(page, set()) == page
    near_size = word("策略主題：(B)落實基層服務", 90, 117, size=12)
    page = drawn(cells, near_size)
    assert without_stamps(page, set()) == page


def test_large_text_drawn_last_amid_the_cells_on_every_page_is_a_stamp_though_over_none():
    """Spire.XLS draws its notice last on every page: on a cover, over nothing; then, twice its
    cells' type, across the blank under a table's only row, above the page's footer. Amid the
    smaller text and drawn last on a page before too, it is a stamp. A cover's title drawn last
    amid its smaller lines, once, is none; nor is a theme title drawn last between two tables."""
    notice = word("Printed by the research office: figures as reported", 0, 280, size=23.4)  # its size tells
    cover = [*word("臺中市政府平衡計分卡", 200, 200, size=10.5), *word("中華民國一百零八年", 200, 400, size=10.5)]
    cover += word("臺中市政府研究發展考核委員會", 200, 420, size=10.5)
    drawn_last: set = set()
    page = drawn(cover, notice)
    assert without_stamps(page, set(), (), drawn_last) == page
    row = word("BL2.2本府防範惡意電子郵件社交工程演練結果", 100, 100, size=10.5)
    footer = word("第 5 頁，共 10 頁", 380, 560, size=9)
    kept = without_stamps(drawn(row, footer, notice), set(), (), drawn_last)
    assert "".join(g.text for g in kept) == "".join(g.text for g in [*row, *footer])
    page = drawn(row, footer, notice)
    assert without_stamps(page, set(), (), set()) == page, "drawn last on no page before"
    title = word("策略主題：(C)強化災害防救體系", 40, 280, size=23.4)
    page = drawn(row, footer, title)
    assert without_stamps(page, set(), (), {("策略主題：(C)強化災害防救體系", 23)}) == page


def test_a_notice_drawn_last_on_a_page_of_larger_text_counts_for_the_table_pages_after():
    """Spire.Doc draws its 16.8 pt notice (here in other words: its size and place tell) last on
    every page: on the profile page, amid 12 pt lines (too near their size for a stamp there);
    then, 2.4 times the 7 pt cells, across the blank under a table's last row, over no text.
    Drawn last on the page before, it is a stamp."""
    notice = word("Printed by the research office: figures as reported", 0, 407.8, size=16.8)  # its size tells
    profile = [*word("轄區面積：24.8平方公里", 100, 200, size=12), *word("人口數：187,000人", 100, 600, size=12)]
    drawn_last: set = set()
    page = drawn(profile, notice)
    assert without_stamps(page, set(), (), drawn_last) == page
    rows = [*word("AF1 提升場地租借收入", 80, 380, size=7), *word("策略主題：(B)營造安全韌性社區", 80, 440, size=7)]
    kept = without_stamps(drawn(rows, notice), set(), (), drawn_last)
    assert "".join(g.text for g in kept) == "".join(g.text for g in rows)


def test_a_cover_title_drawn_last_amid_its_lines_is_no_stamp():
    """Aspose.Words draws a cover's 28 pt title after its smaller lines, above and below it: the
    deck's office is read from it, so it stays (it is drawn last on no other page)."""
    header = word("114年度", 250, 100, size=12)
    title = word("桃園市大溪區公所策略地圖與平衡計分卡", 40, 300, size=28)
    date = word("中華民國114年2月", 220, 500, size=12)
    drawn_last: set = set()
    page = drawn(header, date, title)
    assert without_stamps(page, set(), (), drawn_last) == page
    assert without_stamps(page, set(), (), drawn_last) != page, "the same run drawn last on the next page is one"


def test_a_title_run_on_across_a_spreadsheet_s_cell_fills_is_no_stamp():
    """Gnumeric paints every cell of a strategy-map sheet white and runs the map's 18 pt title on
    over the empty cells beside its own, across their fills' edges, as a notice runs across a
    table's grid. A run naming the strategy map (or a theme) is its page's title: it stays."""
    edges = [Rule(x, 64.8, 295.7, fill=True) for x in (71.2, 144.7, 270.7, 396.7, 522.7, 648.7, 774.9)]
    title = word("臺南市新營區戶政事務所策略地圖", 73.9, 70.3, size=18)
    boxes = [
        word(text, 162.9 + 126 * n, 120.8, size=11) for n, text in enumerate(("推廣基層藝文活動", "提升櫃檯服務效能"))
    ]
    page = drawn(title, *boxes)
    assert without_stamps(page, set(), edges) == page
    notice = word("Evaluation Warning: created with Spire.XLS", 73.9, 70.3, size=18)
    assert without_stamps(drawn(notice, *boxes), set(), edges) == drawn(*boxes)


def test_a_tool_s_notice_in_the_cells_own_size_goes_wherever_it_is_printed():
    """Spire.Doc prints 'Evaluation Warning: …' in 12 pt at a section's first page's top, over a
    continued table of 10 pt cells ruled across only: too small for a stamp, and over no grid,
    yet no office's text. It goes, over two lines and spaces and all (ActiveReportsJS's notice
    sets one letter a line lower); the cells' text drawn before it and after it, in its size or
    not, stays."""
    cells = word("DP1.2採購案件如期決標比率", 100, 80, size=10)
    notice = [*word("Evaluation Warning: The document was", 40, 45, size=12), *word("created with", 40, 57, size=12)]
    notice[-3] = glyph("w", notice[-3].x0, 58, size=12)
    after = word("DP2提升役男兵籍調查", 100, 110, size=12)
    kept = without_stamps(drawn(cells, notice, after), set())
    assert "".join(g.text for g in kept) == "DP1.2採購案件如期決標比率DP2提升役男兵籍調查"
    plain = [*cells, *word("Powerade", 40, 45, size=12)]
    assert without_stamps(drawn(plain), set()) == drawn(plain), "no notice: nothing goes"
