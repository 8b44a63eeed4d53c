"""Column edges from the page: rules into the body first, then the body's own gutters, then the
edge that cuts the fewest glyphs; never between a code and its name."""

from __future__ import annotations

import pytest
from glyphs import drawn, glyph, word

from pipeline.extract.columns import _unbroken_spans, header_corners, place_columns
from pipeline.extract.geometry import Glyph, group_lines
from pipeline.extract.layout import Column, Role
from pipeline.extract.rules import Rule

HEADER = (20.0, 40.0)  # the header band: top, and the body's top
PAGE_WIDTH = 400.0


def _heads() -> list[Column]:
    """A KPI label centred over left-aligned names, a year label over right-aligned numbers."""
    return [
        Column(Role.KPI, 0, 0, head=(60, 100)),
        Column(Role.ACTUAL, 0, 0, year=110, head=(210, 270)),
    ]


def _edge(glyphs, vrules=()) -> float:
    kpi, actual = place_columns(_heads(), glyphs, list(vrules), HEADER, PAGE_WIDTH)
    assert kpi.x1 == actual.x0
    return kpi.x1


def _rows(*rows: tuple[str, float, str, float]) -> list:
    return [
        g
        for i, (name, x0, value, v0) in enumerate(rows)
        for g in (*word(name, x0, 50 + 20 * i), *word(value, v0, 50 + 20 * i))
    ]


def test_the_edge_lies_in_the_body_gutter_not_between_the_labels():
    glyphs = _rows(("AC1.1新移民出席率", 10, "88%", 230), ("AC1.2滿意度", 10, "1,191", 210))
    assert _edge(glyphs) == (120 + 210) / 2, "halfway across the white space"


def test_a_rule_running_into_the_body_wins():
    glyphs = _rows(("AC1.1新移民出席率", 10, "88%", 230))
    assert _edge(glyphs, [Rule(150, HEADER[0], 300)]) == 150
    assert _edge(glyphs, [Rule(150, 0, HEADER[0])]) != 150, "a rule above the header only is no column edge"


def test_text_overflowing_its_cell_is_cut_where_the_next_column_starts():
    """No gutter is clear (one name runs on under the numbers): the edge goes where the value
    column's text starts, through the fewest glyphs."""
    glyphs = _rows(
        ("AC1.1新移民出席率", 10, "88%", 230),
        ("AC1.2新移民課程學員參與活動之出席人數比率", 10, "", 0),
        ("AC1.3滿意度", 10, "90%", 230),
    )
    assert _edge(glyphs) == 230


def _tight(text: str, x0: float, top: float) -> list[Glyph]:
    """Full-width letters 10 pt wide and a 3 pt '.', set edge to edge."""
    glyphs = []
    for ch in text:
        width = 3.0 if ch == "." else 10.0
        glyphs.append(Glyph(ch, x0, x0 + width, top, top + 10, 10, False))
        x0 += width
    return glyphs


def test_values_set_edge_to_edge_are_cut_between_numbers_not_inside_one():
    """rst2pdf sets full-width values tight in narrow columns: a row's '４.７' and '５.０' stand
    apart, the next row's '９４.５％９４.２％' fill their cells edge to edge, with no gutter. The
    edge goes after the '％', not through '９４.２' where the row above starts its '５.０'."""
    heads = [
        Column(Role.ACTUAL, 0, 0, year=110, head=(278.7, 315.4)),
        Column(Role.ACTUAL, 0, 0, year=111, head=(322.8, 359.4)),
    ]
    apart = [*_tight("４.７", 285.7, 50), *_tight("５.０", 329.7, 50)]
    tight = _tight("９４.５％９４.２％", 275.7, 70)
    first, second = place_columns(heads, [*apart, *tight], [], HEADER, PAGE_WIDTH)
    cells = ["".join(g.text for g in tight if c.x0 <= (g.x0 + g.x1) / 2 < c.x1) for c in (first, second)]
    assert cells == ["９４.５％", "９４.２％"]


def test_a_code_and_its_name_are_never_two_columns():
    """'AC1.1  新移民' has a wide space after the code; the gutter is after the name."""
    glyphs = [
        g
        for i in range(3)
        for g in (
            *word(f"AC1.{i + 1}", 70, 50 + 20 * i),
            *word("新移民出席", 135, 50 + 20 * i),
            *word("88%", 240, 50 + 20 * i),
        )
    ]
    assert 185 <= _edge(glyphs) <= 240


def test_a_short_cell_under_a_wide_centred_label_goes_to_that_label():
    """'新增' in a wide 備註 column whose label is centred far to its right: about as near the
    target label's end as the 備註 label's start, but nearer the 備註 label's middle."""
    heads = [Column(Role.TARGET, 0, 0, year=113, head=(100, 160)), Column(Role.EXTRA, 0, 0, head=(260, 300))]
    glyphs = [*word("98.0%", 110, 50), *word("新增", 198, 50), *word("1,234", 110, 70)]
    target, extra = place_columns(heads, glyphs, [], HEADER, PAGE_WIDTH)
    assert target.x1 == extra.x0 and 160 <= extra.x0 <= 198


def _fused_plan_line(after: str) -> list:
    """A plan line with the next plan's code fused to its end, and `after` 1.7 pt later."""
    return [*word("AL1.1.1計畫CL1.1.2", 60, 50), *word(after, 221.7, 50), *word("AL1.2.1計畫", 60, 70)]


def test_a_code_fused_to_the_plan_before_keeps_its_name():
    heads = [Column(Role.PLANS, 0, 0, head=(100, 140)), Column(Role.EXTRA, 0, 0, head=(300, 340))]
    glyphs = [*_fused_plan_line("臺北市政"), *word("年度平均", 275, 50)]
    plans, extra = place_columns(heads, glyphs, [], HEADER, PAGE_WIDTH)
    assert 261.7 <= plans.x1 == extra.x0 <= 275


def test_a_number_after_a_fused_code_is_the_next_column_s():
    heads = [Column(Role.PLANS, 0, 0, head=(100, 140)), Column(Role.ACTUAL, 0, 0, year=108, head=(300, 340))]
    plans, actual = place_columns(heads, _fused_plan_line("86.3"), [], HEADER, PAGE_WIDTH)
    assert 220 <= plans.x1 == actual.x0 <= 221.7


@pytest.mark.parametrize(
    ("code_x0", "notes", "start"),
    [
        (171.6, ("10%", "20%"), 258.0),  # '…要點BF1.1.2彰': the code fused to the plan before
        (175.0, ("含線上", "配合"), 262.0),  # '…計畫 BL1.1.2資通': half an em after it (XeLaTeX)
    ],
)
def test_a_plan_code_run_on_past_the_plans_column_stays_with_its_plan(code_x0, notes, start):
    """A plan code after the plan before runs on past the plans column into the next column's
    space: a plan code never starts that column's cells, so the edge falls after it, before the
    next column's text, however its label lies."""
    heads = [Column(Role.PLANS, 0, 0, head=(100, 140)), Column(Role.EXTRA, 0, 0, head=(250, 300))]
    glyphs = [*word("AL1.1.1計畫要點", 60, 50), *word("BF1.1.2彰", code_x0, 50), *word(notes[0], start, 50)]
    glyphs += [*word("AL1.2.1計畫", 60, 70), *word(notes[1], start, 70)]
    plans, extra = place_columns(heads, glyphs, [], HEADER, PAGE_WIDTH)
    assert code_x0 + 80 <= plans.x1 == extra.x0 <= start


def test_a_closing_bracket_right_before_a_value_leaves_its_box_half_empty():
    """'…（季）' ends 1 pt before the value '93%' (narrower than a gutter), but the bracket inks
    only the left half of its box: the edge falls in that white space, not past the value."""
    glyphs = _rows(("AC1.1出席率（季）", 99, "93%", 210), ("AC1.2滿意度", 10, "1,191", 210))
    assert 204 <= _edge(glyphs) <= 210


def test_a_gap_inside_one_drawn_run_is_no_gutter():
    """A long name set loose around a bracket ('演習 (演練、', 2 pt apart) runs on towards the value
    column; drawn in one run, that gap is inside the cell: the edge falls before the value."""
    name = [*word("AC1.1演習", 80, 50), *word("(演練、", 152, 50)]
    row2 = [*word("AC1.2滿意度", 10, 70), *word("35", 210, 70)]
    glyphs = drawn(name, row2, word("12場", 193, 50))
    assert 187 <= _edge(glyphs) <= 193


def test_a_gap_as_wide_as_a_letter_spaced_run_s_others_is_no_gutter():
    """ConTeXt glues CJK letters 0.31 em apart: '滿意人數／填答人' in a 計算公式 cell runs on past
    the middle between its label and the 107 column's, and its last letter stands as far from
    the one before as the others do. That gap is inside the run; the gutter is after it."""
    heads = [Column(Role.EXTRA, 0, 0, head=(157.4, 171.7)), Column(Role.ACTUAL, 0, 0, year=107, head=(222.5, 237.9))]
    formula = word("滿意人數／填答人", 140, 60, size=6, advance=7.85 / 6)  # its last letter 194.95 .. 200.95
    glyphs = drawn(formula, word("83.2%", 210.5, 60, size=6, advance=0.5))
    formulas, values = place_columns(heads, glyphs, [], HEADER, PAGE_WIDTH)
    assert 200.95 < formulas.x1 == values.x0 < 210.5


def test_a_run_set_exactly_a_word_space_loose_is_no_gutter():
    """XeLaTeX sets '場次' a word space (0.3 em) after the bracket that ends the line before it,
    in one run; positions computed in floating point put it a hair more. The name's second line
    runs on past the value column's first line ('12') into a cell empty on that line: the
    name's end stays with it, not read as the value's unit."""
    size = 8.9664
    head = word("AC1.2里辦公處每年舉辦", 110, 50, size)
    bracket = Glyph(")", 259.6, 262.25319359999986, 61, 61 + size, size, False)
    unit = [
        Glyph(ch, x0, x0 + size, 61, 61 + size, size, False) for ch, x0 in (("場", 264.94311359999995), ("次", 273.9))
    ]
    rows = [*word("AC1.1滿意度", 110, 30, size), *word("90%", 291, 30, size), *word("12", 291, 50, size)]
    rows += [*word("AC1.3出席", 110, 80, size), *word("88%", 291, 80, size)]
    heads = [Column(Role.KPI, 0, 0, head=(150, 190)), Column(Role.ACTUAL, 0, 0, year=110, head=(292, 340))]
    glyphs = drawn(head, word("(演練、踏勘", 259.6 - 6 * size, 61, size), [bracket, *unit], rows)
    kpi, actual = place_columns(heads, glyphs, [], HEADER, PAGE_WIDTH)
    assert 283 <= kpi.x1 == actual.x0 <= 291


def test_a_bracket_set_half_an_em_loose_stays_with_the_name_it_opens():
    """xeCJK sets half an em of glue before a half-width '(': '…之演習' then '(演練、' 4.5 pt on,
    drawn in one run, runs on towards the 權重 column, whose '10%' stands on another line. The
    bracket is the name's: the edge falls after it, not in the glue (where the 權重 column,
    which is not read, would drop it)."""
    size = 9.0
    heads = [Column(Role.KPI, 0, 0, head=(200, 260)), Column(Role.EXTRA, 0, 0, head=(318, 336))]
    name = [*word("BP1.1", 168.6, 130.6, size, advance=0.5), *word("里辦公處每年舉辦之演習", 168.6, 141.5, size)]
    name += word("(演練、", 168.6 + 11 * size + 0.5 * size, 141.5, size)
    weights = [*word("10%", 312, 130.6, size, advance=0.5), *word("BP2.1公文", 168.6, 163.5, size)]
    weights += [*word("15%", 312, 163.5, size, advance=0.5), *word("BF1.1收支", 168.6, 185, size)]
    weights += word("20%", 312, 185, size, advance=0.5)
    kpi, extra = place_columns(heads, drawn(name, weights), [], HEADER, PAGE_WIDTH)
    assert 168.6 + 15 * size <= kpi.x1 == extra.x0 <= 312


def _set(text: str, x0: float, top: float) -> list[Glyph]:
    """A line set at 10 pt: ideographs a full em wide, digits, signs and brackets half an em."""
    placed = []
    for ch in text:
        width = 10.0 if "\u3400" <= ch <= "\u9fff" else 5.0
        placed.append(Glyph(ch, x0, x0 + width, top, top + 10, 10, False))
        x0 += width
    return placed


def test_a_value_half_an_em_after_a_closing_bracket_is_the_next_cell_s():
    """A value with its note fills its cell ('96.3%(疫情停辦)', ending at 636.8) and the next
    year's '95.8%' starts 4.8 pt on, drawn right after it, as the value below it starts
    ('414,284' / '415,935'): the gap is the gutter, not glue around a bracket, which stands
    half an em from an ideograph only."""
    heads = [Column(Role.ACTUAL, 0, 0, year=105, head=(564, 630)), Column(Role.ACTUAL, 0, 0, year=106, head=(648, 709))]
    rows = [_set("96.3%(疫情停辦)", 561.8, 50), _set("95.8%", 641.6, 50)]
    rows += [_set("414,284", 561.8, 70), _set("415,935", 641.6, 70)]
    first, second = place_columns(heads, drawn(*rows), [], HEADER, 960)
    assert 636.8 <= first.x1 == second.x0 <= 641.6


def test_a_note_drawn_after_the_plan_cell_is_no_fused_code_s_name():
    """A plans cell ends its first line with the next plan's code ('…計畫BL1.1.2', the name
    wrapped onto the next line); the 備註 cell's '新增' stands 8 pt after the code. The note was
    drawn after the whole plans cell, so it is not the code's name: the gap is the gutter."""
    heads = [Column(Role.PLANS, 0, 0, head=(480, 520)), Column(Role.EXTRA, 0, 0, head=(575, 600))]
    code = [glyph(ch, 510 + 5 * i, 60, 10) for i, ch in enumerate("BL1.1.2")]  # half-width: 510..550
    plans = [*word("BL1.1.1計畫", 450, 60, advance=0.6), *code, *word("服務禮儀訓練", 450, 72)]
    note = word("新增", 558, 60)
    other = [*word("BF1.1.1臺東", 450, 100, advance=0.6), *word("新增", 558, 100)]
    plans_column, extra = place_columns(heads, drawn(plans, note, other), [], HEADER, PAGE_WIDTH)
    assert 550 <= plans_column.x1 == extra.x0 <= 558


def test_a_continued_page_keeps_the_edges_its_text_leaves_clear():
    """One row continues the table: its short plan stands nearer the target label's middle than
    the plans label's, so by its own text it would join the target column. The edge the page
    before found (at 140) lies in a clear gap of this row's text: it stays."""
    heads = [
        Column(Role.TARGET, 100, 140, year=110, head=(100, 122)),
        Column(Role.PLANS, 140, 400, head=(212, 241)),
    ]
    glyphs = [*word("89%", 100, 50), *word("監督寺廟", 144, 50)]
    refit = place_columns(heads, glyphs, [], HEADER, PAGE_WIDTH, continued=True)
    assert refit[0].x1 == refit[1].x0 == 140
    assert place_columns(heads, glyphs, [], HEADER, PAGE_WIDTH)[0].x1 > 184, "by its own text alone"


def test_a_header_corner_through_a_value_s_first_digit_is_no_edge():
    """upLaTeX trims the cmidrule under '實際值' a few points into the 108 column: its start, at
    409.3, lies level with the '1' of '10場'. The plan code 'DP1.1.1' a gutter before the value
    on its line is another cell's: read with it as one number ('1.110'), the value would seem to
    run over the corner, and the edge would cut it. The gutter between them is the edge."""
    heads = [Column(Role.PLANS, 0, 0, head=(308, 342.5)), Column(Role.ACTUAL, 0, 0, year=108, head=(416.5, 441))]
    glyphs = [*word("DP1.1.1", 250, 50, size=5.4), *word("10場", 405.8, 50, size=5.4)]
    glyphs += word("桃園市各區計畫", 250, 60, size=8.6)
    corner = [Rule(30, 409.3, 540)]  # the cmidrule inside the header band (20..40)
    plans, a108 = place_columns(heads, glyphs, [], HEADER, 600, hrules=corner)
    assert 310.2 < plans.x1 == a108.x0 < 405.8


def test_a_kept_edge_a_wider_value_runs_past_moves_to_the_gutter_beside_it():
    """react-pdf repeats the header; this page's one target value wraps at another digit and
    reaches 7 pt past the edge the page before found (at 140). The edge moves to the gutter
    right after the value, not past the plan, which by its own text would join the target."""
    heads = [
        Column(Role.TARGET, 100, 140, year=110, head=(100, 122)),
        Column(Role.PLANS, 140, 400, head=(212, 241)),
    ]
    glyphs = [*word("≧1,289,91", 92, 50, size=6), *word("8元", 92, 62, size=6), *word("監督寺廟", 153, 56, size=6)]
    refit = place_columns(heads, glyphs, [], HEADER, PAGE_WIDTH, continued=True)
    assert 146 <= refit[0].x1 == refit[1].x0 <= 153
    far = [*word("≧1,289,91,", 100, 50, size=6), *word("監督", 160, 56, size=6)]  # no gutter within an em
    assert place_columns(heads, far, [], HEADER, PAGE_WIDTH, continued=True)[0].x1 != 140


# A KPI, two actuals and the plans, as a header placed them: the continued-grid tests' columns.
GRID_HEADS = [
    Column(Role.KPI, 0, 120, head=(40, 90)),
    Column(Role.ACTUAL, 120, 160, year=111, head=(125, 155)),
    Column(Role.ACTUAL, 160, 200, year=112, head=(165, 195)),
    Column(Role.PLANS, 200, 400, head=(260, 300)),
]


def test_a_continued_page_drawn_as_a_grid_of_its_columns_takes_the_grid():
    """Paged.js lays a table's continuation out afresh: its grid on the next page has other
    widths, and no rule lies between the heads of the 111 and 112 columns the page before
    placed. A grid of as many cells as the table has columns gives their edges in order, drawn
    with its outer border or without; a grid of another count leaves the edges to the text, and
    so does a grid under a header (WeasyPrint's repeated header over a rowspan's cut rules).
    jsPDF-autotable draws no borders but fills every cell, grey or white: the fills' edges are
    the grid."""
    heads = GRID_HEADS
    glyphs = [*word("AC1.1滿意度", 30, 50), *word("97%", 180, 50), *word("98%", 250, 50), *word("計畫", 320, 50)]
    inner = [170.0, 240.0, 300.0]

    def grid(*xs: float, fill: bool = False) -> list[Rule]:
        return [Rule(x, HEADER[1], 120, fill) for x in xs]

    def refit(rules: list[Rule], headerless: bool = True) -> list[float]:
        band = (HEADER[1], HEADER[1])
        columns = place_columns(heads, glyphs, rules, band, PAGE_WIDTH, continued=True, headerless=headerless)
        return [c.x1 for c in columns[:-1]]

    assert refit(grid(20, *inner, 380)) == refit(grid(*inner)) == refit(grid(20, *inner, 380, fill=True)) == inner
    assert refit(grid(20, 240, 380)) != inner, "a grid of another count"
    assert refit(grid(20, *inner)) != inner, "the outer border on one side only: another count"
    assert refit(grid(20, *inner, 380), headerless=False) != inner, "under a header, the header places them"


def test_a_page_s_background_and_row_fills_making_up_a_grid_s_count_are_no_grid():
    """calibre paints the page's background (its sides page-high, at the content area's edges)
    and zebra fills from the 112 column to short of the plans' end: with the fills' edges they
    count as many rules as a bordered grid of the table's columns. Cut there, the plans column
    would hold nothing and the 111 value would join the KPI's: no grid, the edges are fitted."""
    heads = GRID_HEADS
    top = HEADER[1]
    glyphs = [*word("AC1.1滿意度", 30, top + 5), *word("97%", 125, top + 5), *word("98%", 165, top + 5)]
    glyphs += word("計畫", 260, top + 5)
    page_high = [Rule(5, -2000, 2000, True), Rule(395, -2000, 2000, True)]
    fills = [Rule(x, top, top + 30, True) for x in (160, 200, 390)]

    def refit(rules: list[Rule]) -> list[float]:
        columns = place_columns(heads, glyphs, rules, (top, top), PAGE_WIDTH, continued=True, headerless=True)
        return [c.x1 for c in columns[:-1]]

    assert refit([*page_high, *fills]) == refit([]) == [120, 160, 200]


def test_a_continued_grid_under_a_band_row_runs_down_from_the_body_s_text():
    """iText's XMLWorker continues a table with a full-width '內部流程構面' band row, 29 pt high,
    over the rows: its column rules start under the band, below the body's top, and still give
    the continued page's edges (before, the fitted edges cut '新指標不適用' of the 105 cell)."""
    heads = GRID_HEADS
    top = HEADER[1]
    glyphs = [*word("AC1.1滿意度", 30, top + 32), *word("97%", 180, top + 32), *word("98%", 250, top + 32)]
    glyphs += word("計畫", 320, top + 32)
    inner = [170.0, 240.0, 300.0]
    rules = [Rule(20, top, top + 120), Rule(380, top, top + 120), *(Rule(x, top + 29, top + 120) for x in inner)]
    columns = place_columns(heads, glyphs, rules, (top, top), PAGE_WIDTH, continued=True, headerless=True)
    assert [c.x1 for c in columns[:-1]] == inner


def _digits(text: str, x0: float, top: float, size: float = 9.0) -> list[Glyph]:
    """Digits and separators half an em wide, as Latin fonts set them."""
    return [
        Glyph(ch, x0 + i * size / 2, x0 + (i + 1) * size / 2, top, top + size, size, False) for i, ch in enumerate(text)
    ]


def test_a_kept_edge_never_cuts_a_unit_off_its_number():
    """Two rows under a header seen before: the 109 value '1,272,941 元' runs on towards the 110
    column, its unit half an em after the number, and the 110 cells start level after it. The
    edge kept from the page before falls between number and unit; a unit never begins a cell,
    so the edge moves after it."""
    heads = [
        Column(Role.ACTUAL, 380, 444, year=109, head=(412, 446)),
        Column(Role.ACTUAL, 444, 520, year=110, head=(470, 506)),
    ]
    glyphs = [*_digits("1,272,941", 401, 50), *word("元", 445.8, 50, size=9), *_digits("1,297,605", 459.8, 50)]
    glyphs += [*_digits("5.3", 401, 70), *_digits("5.8", 459.8, 70)]
    left, right = place_columns(heads, glyphs, [], HEADER, PAGE_WIDTH, continued=True)
    assert 454.8 <= left.x1 == right.x0 <= 459.8
    # One row alone under a repeated header (upLaTeX): the unit stands nearer its number than
    # the next cell's text: it ends the value all the same.
    one_row = [*_digits("1,272,941", 401, 50), *word("元", 445.8, 50, size=9), *_digits("1,297,605", 459.8, 50)]
    left, right = place_columns(heads, one_row, [], HEADER, PAGE_WIDTH, continued=True)
    assert 454.8 <= left.x1 == right.x0 <= 459.8


def test_a_name_run_on_before_a_left_aligned_value_column_stays_in_its_cell():
    """The value column's cells start level (at 290, on three lines): the end of a long name,
    '(演練、', standing wholly before that start on the line of one of them, is the name's, though
    its label is nearer."""
    heads = [Column(Role.KPI, 0, 0, head=(60, 100)), Column(Role.ACTUAL, 0, 0, year=110, head=(300, 360))]
    glyphs = [*word("AC1.1里辦公處每年演習", 60, 50), *word("(演練、", 195, 50), *word("13場", 290, 50)]
    glyphs += [*word("AC1.2滿意度", 10, 70), *word("35", 290, 70), *word("AC1.3出席", 10, 90), *word("88%", 290, 90)]
    kpi, actual = place_columns(heads, glyphs, [], HEADER, PAGE_WIDTH)
    assert 230 <= kpi.x1 == actual.x0 <= 290


def test_a_header_cell_border_in_a_gap_of_the_body_text_is_the_edge():
    """The header's cells are drawn (their fill edges at 150): a value '10' just right of that
    border belongs to the column whose header cell it is under, though it lies nearer the wide
    label on the left."""
    heads = [Column(Role.KPI, 0, 0, head=(60, 140)), Column(Role.ACTUAL, 0, 0, year=108, head=(210, 270))]
    glyphs = [*word("AC1.1名稱", 10, 50), *word("10", 152, 50), *word("AC1.2名稱", 10, 70)]
    border = Rule(150, HEADER[0], HEADER[1])
    kpi, actual = place_columns(heads, glyphs, [border], HEADER, PAGE_WIDTH)
    assert kpi.x1 == actual.x0 == 150
    assert place_columns(heads, glyphs, [], HEADER, PAGE_WIDTH)[0].x1 > 172, "by the text alone"


def test_a_block_opening_with_the_right_column_s_code_is_that_column_s():
    """A KPI label centred over a wide column of left-aligned cells: the KPI text 'CF1.2收支比'
    stands nearer the objective label, but only KPI cells open with a KPI code."""
    heads = [Column(Role.OBJECTIVE, 0, 0, head=(60, 100)), Column(Role.KPI, 0, 0, head=(190, 230))]
    glyphs = [*word("CF1", 20, 50), *word("提高區民活動中心", 20, 62), *word("CF1.2", 114, 50)]
    glyphs += word("收支比≧1", 114, 62)
    objective, kpi = place_columns(heads, glyphs, [], HEADER, PAGE_WIDTH)
    assert 100 <= objective.x1 == kpi.x0 <= 114


def test_a_gutter_before_left_aligned_values_after_a_plan_code():
    """XeLaTeX sets fused plans ('…推動計畫 CC1.1.2' running on) left of a year column whose
    values start level: on the first line the code ends 1.4 em before '2,595人次'. A code keeps
    its name, but a number starting where the column's cells all start is the value's."""
    heads = [Column(Role.PLANS, 0, 0, head=(375, 411)), Column(Role.ACTUAL, 0, 0, year=107, head=(493, 547))]
    code = [g for i, ch in enumerate("CC1.1.2") for g in word(ch, 439 + 4.5 * i, 50, size=9)]
    glyphs = [*word("彰化縣志願服務推動計畫", 336, 50, size=9), *code, *word("2,595人次", 488, 50, size=9)]
    glyphs += [*word("彰化縣政府單一窗口服務實施計畫", 340, 80, size=9), *word("3,184件", 488, 80, size=9)]
    glyphs += [*word("戶籍登記資料正確性查核計畫", 358, 110, size=9), *word("98%", 488, 110, size=9)]
    plans, actual = place_columns(heads, glyphs, [], HEADER, 842)
    assert 475 <= plans.x1 == actual.x0 <= 488


def test_a_number_well_after_a_plan_code_starts_the_next_column():
    """One row under a two-row header: the plans cell's first line ends with the next plan's code
    'BF1.1.2', 1.1 em before the 109 value '242077'. A code's name follows it a word space on
    when it starts with a digit, so the gap between them is the gutter."""
    heads = [Column(Role.PLANS, 0, 0, head=(300, 330)), Column(Role.ACTUAL, 0, 0, year=109, head=(457, 477))]
    code = [g for i, ch in enumerate("BF1.1.2") for g in word(ch, 412 + 3.5 * i, 50, size=7)]
    glyphs = [*word("桃園市區民活動中心場地使用管理要點", 288, 50, size=7), *code, *word("242077", 445, 50, size=7)]
    glyphs += word("桃園市政府節約能源", 288, 60, size=7)
    plans, actual = place_columns(heads, glyphs, [], HEADER, 720)
    assert 412 + 6 * 3.5 + 7 <= plans.x1 == actual.x0 <= 445


def _weighted_rows() -> tuple[list[Column], list[Glyph]]:
    """pdfmake: a narrow 權重 column (its label wrapped '權' / '重' at 252) before the 108 column,
    whose label is centred at 320 over values set at the cell's left, 8 pt after the weight.
    Nothing in the text tells the weight '20' from a value, or '20 6件' from a number split."""
    heads = [Column(Role.EXTRA, 0, 0, head=(252, 261)), Column(Role.ACTUAL, 0, 0, year=108, head=(308, 333))]
    glyphs = [*_digits("20", 250, 50), *word("6件", 269, 50, size=9), *word("%", 250, 62, size=9)]
    glyphs += [*_digits("10", 250, 90), *_digits("2,534", 269, 90), *word("%", 250, 102, size=9)]
    glyphs += [*_digits("5%", 250, 130), *_digits("3.6", 269, 130)]
    return heads, glyphs


def test_a_header_drawn_cell_by_cell_shows_the_edges_its_rules_meet_at():
    heads, glyphs = _weighted_rows()
    top_rule = Rule(HEADER[0] - 5, 28, 814, joints=(137.6, 247.2, 265.8, 594.7))
    weight, actual = place_columns(heads, glyphs, [], HEADER, 842, hrules=[top_rule])
    assert weight.x1 == actual.x0 == 265.8
    weight, _ = place_columns(heads, glyphs, [], HEADER, 842)
    assert weight.x1 > 269, "by the text alone, the values go to the weight column"


def test_a_rule_under_a_label_over_several_columns_ends_at_their_edges():
    heads, glyphs = _weighted_rows()
    underline = Rule(30, 265.8, 594.7)  # under '實際值', between the header's two rows
    weight, actual = place_columns(heads, glyphs, [], HEADER, 842, hrules=[underline])
    assert weight.x1 == actual.x0 == 265.8


def test_only_a_header_s_own_rules_show_its_cells():
    """A rule above the header ends where a title's underline ends; joints an em above the
    labels' tops or below the body's top are no header cell's; text crossing a corner keeps it
    from being an edge (a value printed wider than its cell)."""
    title_underline = Rule(HEADER[0] - 5, 28, 265.8)
    assert header_corners([title_underline], HEADER, 9) == ()
    far = [Rule(HEADER[0] - 12, 28, 814, joints=(265.8,)), Rule(HEADER[1] + 3, 28, 814, joints=(265.8,))]
    assert header_corners(far, HEADER, 9) == ()
    assert header_corners([Rule(30, 80, 126, fill=True)], HEADER, 9) == (), "a label's background"
    heads, glyphs = _weighted_rows()
    crossed = Rule(HEADER[0] - 5, 28, 814, joints=(272.0,))
    weight, _ = place_columns(heads, glyphs, [], HEADER, 842, hrules=[crossed])
    assert weight.x1 != 272.0


def test_a_corner_only_numbers_run_past_is_an_edge():
    """upLaTeX sets a target '1,392,538' (9 pt) wider than its cell: it runs 14 pt past the end of
    the rule under '112年' (529.5) into the plans column, whose lines start at 536.5 under a label
    centred further right. The corner is the edge, the number is its cell's all the same (see
    cell_moves); a plan's text across the corner would keep it from being one."""
    heads = [
        Column(Role.TARGET, 0, 0, year=112, head=(500, 525)),
        Column(Role.PLANS, 0, 0, head=(589, 623)),
    ]
    glyphs = [*_digits("1,392,538", 505, 50), *word("AF1.2.1", 548, 50, size=9, advance=0.6)]
    glyphs += [*word("臺北市公有零售市場", 536.5, 62, size=9), *word("點", 536.5, 74, size=9)]
    underline = Rule(30, 495.5, 529.5)
    target, plans = place_columns(heads, glyphs, [], HEADER, 842, hrules=[underline])
    assert target.x1 == plans.x0 == 529.5
    glyphs += word("臺北市", 524, 86, size=9)
    target, _ = place_columns(heads, glyphs, [], HEADER, 842, hrules=[underline])
    assert target.x1 != 529.5


def test_a_fill_edge_between_a_code_and_its_name_is_no_edge():
    """Qt paints a header label's background from its first letter: on a page printed sideways
    its edge (80) falls in the space between an objective's code and its name ('AC1 推廣'),
    white but no gutter; the gutter before the code (48 .. 62) holds the column's edge."""
    heads = [Column(Role.PERSPECTIVE, 0, 0, head=(34, 52)), Column(Role.OBJECTIVE, 0, 0, head=(80, 125))]
    glyphs = [
        *word("顧", 39, 80, size=9),
        *_digits("AC1", 62.5, 80),
        *word("推廣基層", 80.5, 80, size=9),
    ]
    glyphs += [*word("客", 39, 100, size=9), *word("活動", 80.5, 100, size=9)]
    background = Rule(80.0, HEADER[0] + 2, HEADER[1] - 4, fill=True)
    perspective, objective = place_columns(heads, glyphs, [background], HEADER, 720)
    assert 48 <= perspective.x1 == objective.x0 <= 62.5


def _vertical_writing(text: str, x_right: float, top: float, per_column: int) -> list[Glyph]:
    """`text` set top to bottom in columns of `per_column` letters, the first column on the right,
    each column 13.8 pt left of the one before and each letter 12.2 pt under the one above."""
    return [
        glyph(ch, x_right - 13.8 * (i // per_column), top + 12.2 * (i % per_column), size=9.4)
        for i, ch in enumerate(text)
    ]


def test_columns_of_vertical_writing_are_never_cut_apart():
    """A spreadsheet's vertical text wrapped in a narrow 構面 cell (Spire.XLS): 內部 / 流程 / 構面
    in columns right to left, overhanging the cell into the objective column. The edge the table
    had on the page before runs through 內, as near the gap before it as the one after: the edge
    goes after the block, never between its columns."""
    heads = [
        Column(Role.PERSPECTIVE, 28.9, 58.95, head=(36.2, 54.9)),
        Column(Role.OBJECTIVE, 58.95, 135.0, head=(76.0, 122.3)),
    ]
    glyphs = []
    for top, label, objective, wrapped in (
        (50, "內部流程構面", "BP2 落實里鄰建", "設經費執行"),
        (76, "學習成長構面", "BL1 參與業務知", "能訓練"),
    ):
        glyphs += _vertical_writing(label, 54.7, top, 2)
        glyphs += word(objective, 67.1, top, size=9.4, advance=0.98)
        glyphs += word(wrapped, 76.0, top + 12.2, size=9.4, advance=0.98)
    perspective, objective = place_columns(heads, glyphs, [], HEADER, PAGE_WIDTH, continued=True)
    assert 64.1 <= perspective.x1 == objective.x0 <= 67.1


def test_a_status_note_filling_its_cell_up_to_the_next_value_is_cut_before_that_value():
    """LibreOffice Calc draws each cell right after the one before: a 112 cell's note
    '指標調整不適用' fills it up to 1.7 pt before the 113 target '3.3', as if one run. The target's
    cells start level on every row (a value after words opens a run however near), so the edge
    goes in that gap, not after the targets."""
    heads = [
        Column(Role.ACTUAL, 0, 0, year=112, head=(551.2, 575.9)),
        Column(Role.TARGET, 0, 0, year=113, head=(610.2, 634.9)),
    ]
    glyphs = drawn(
        word("2.4", 534.8, 120, size=8),
        word("2.4", 592.5, 120, size=8),
        word("30場", 534.8, 150, size=8),
        word("31場", 592.5, 150, size=8),
        word("指標調整不適用", 534.8, 180, size=8),
        word("3.3", 592.5, 180, size=8),
    )
    actual, target = place_columns(heads, glyphs, [], HEADER, PAGE_WIDTH)
    assert 590.8 <= actual.x1 == target.x0 <= 592.5


def test_a_stub_of_a_drawing_is_no_column_rule():
    """A watermark drawn as outlines (Aspose.Words' evaluation logo) has a 2 pt upright stroke
    right under the header, through a plan's text: no column rule, so the edge goes in the
    gutter after the text, not through it."""
    glyphs = [
        g for i in range(3) for g in (*word("衡量指標名稱之文字說明", 60, 50 + 20 * i), *word("88%", 215, 50 + 20 * i))
    ]
    stub = Rule(150, 45.5, 47.7)
    assert 170 <= _edge(glyphs, [stub]) <= 215
    assert _edge(glyphs, [Rule(150, 40, 120)]) == 150  # a rule down the body is the column's edge


def test_values_set_a_hair_after_a_line_that_fills_its_cell_start_their_column():
    """Calligra sets a year's value 0.14 em after a plan's line that fills its cell, narrower than
    a gutter, with a tab glyph drawn under the value's first digit. The column's values start
    level on every line, and that one was drawn apart from the line before it (the cell's next
    line came first): the edge lies in that hair of white, not after the value. Drawn right
    after the words, the same number runs on with them."""
    rows = [
        drawn(word("本府防範", 10, 50), word("86.8%", 150, 50, advance=0.5)),
        drawn(word("本府防範", 10, 70), word("97.0%", 150, 70, advance=0.5)),
    ]
    filled = word("嘉義縣政府區公所考核執行計", 18.6, 90)  # ends at 148.6, 1.4 pt (0.14 em) before 150
    value = [glyph("\t", 150, 90), *word("91.8%", 150, 90, advance=0.5)]
    apart = drawn(*rows, filled, word("畫與要點", 10, 105), value)
    assert 148.6 <= _edge(apart) <= 150
    on = drawn(*rows, word("畫與要點", 10, 105), filled, word("91.8%", 150, 90, advance=0.5))
    assert _edge(on) > 175, "drawn on from the words, the number is the line's"


def test_values_a_hair_after_a_name_that_fills_its_cell_start_their_column_when_other_lines_leave_a_gutter():
    """mPDF shrinks a table until a KPI cell's line ends 0.09 em before the next column's values.
    The lines with a value after them were drawn apart from it (the cell's next line came
    first); a one-line name is drawn right before its value, but a gutter away on its line:
    nothing there says the value is the name's, and the edge lies in the hair of white. Closer
    than a gutter and drawn on from the words, the number is the line's."""
    first = drawn(
        word("本府防範惡意電", 69.1, 50), word("子郵件社交工程演", 69.1, 62), word("97%", 150, 50, advance=0.5)
    )
    third = drawn(word("里鄰建設服務經", 69.1, 100), word("費執行率", 10, 112), word("95%", 150, 100, advance=0.5))
    one_line = drawn(word("年度預算執行", 75, 80), word("95%", 150, 80, advance=0.5))
    assert 149.1 <= _edge(drawn(first, one_line, third)) <= 150
    close = drawn(word("年度預算執行率", 69.1, 80), word("95%", 150, 80, advance=0.5))
    assert _edge(drawn(first, close, third)) > 150, "drawn on from the words, the number is the line's"


def test_a_glyph_printing_several_letters_keeps_the_spans_of_numbers_after_it():
    """A glyph may print several letters ('(cid:18)' for one with no character in a re-written
    font, a ligature 'fi'): a number after it spans its own glyphs (an IndexError rejected a
    deck with 'page 5 could not be read' before its text layer was found unreadable)."""
    (line,) = group_lines([Glyph("fi", 10, 20, 50, 60, 10.0, False), *word("94.5", 30, 50)])
    assert _unbroken_spans(line) == [(30, 70)]
    (line,) = group_lines([Glyph("(cid:18)", 10, 20, 50, 60, 10.0, False), *word("94.5", 30, 50)])
    assert _unbroken_spans(line) == [(10, 20), (30, 70)]


def test_a_value_set_flush_left_under_a_narrower_centred_label_is_its_column_s():
    """R's gridExtra sets a plan's line up to 0.8 pt before the 108 cell's values, which stand
    flush left in their cell while the '108年實際值' label is centred: the values begin left of
    the label, the gutter after them reads as the column edge, and every 108 value went to the
    plans. A run under the right label, clear of the left one, is the right column's."""
    heads = [
        Column(Role.PLANS, 0, 0, head=(120, 160)),
        Column(Role.ACTUAL, 0, 0, year=108, head=(262, 300)),
        Column(Role.ACTUAL, 0, 0, year=109, head=(333, 371)),
    ]
    glyphs = [*word("屏東縣政府年度預算執行管考要點", 141, 45, 7), *word("監督寺廟條例", 141, 70, 7)]
    glyphs += [*word("5,538件", 247, 57, 7, advance=0.5), *word("5,161件", 318, 57, 7, advance=0.5)]
    plans, actual, _ = place_columns(heads, glyphs, [], HEADER, PAGE_WIDTH)
    assert 246 <= plans.x1 == actual.x0 <= 247


def test_r_values_flush_left_under_narrower_centred_labels_read_as_printed():
    """The R gridExtra deck held for a value read into a plan's line (tests/corpus/held): on its
    page 8 the 108 values stand flush left under the centred '108年實際值', 0.8 pt after the
    plans' lines; each is read in its column, none in a plan."""
    from truth import CORPUS

    from pipeline.extract.parse import parse_pdf

    deck = parse_pdf(CORPUS / "held" / "rgraphics-value-read-into-plan.pdf")
    first = {k.kpi_code: k.values[0].cell for k in deck.kpis if k.page == 8}
    assert {code: (cell.value, cell.unit) for code, cell in first.items()} == {
        "DC1.1": (5538.0, "件"),
        "DL1.1": (106.0, "人"),
        "DF1.1": (90.0, "%"),
    }
