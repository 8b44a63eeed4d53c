"""A continued table its tool laid out afresh, narrower: columns told by the page's own blocks of
text when the edges fitted from the page before cut its words."""

from __future__ import annotations

from glyphs import word

from pipeline.extract.geometry import group_lines
from pipeline.extract.gutters import table_text
from pipeline.extract.layout import Column, Role
from pipeline.extract.text_blocks import block_edges, cuts_a_word, leaves_a_column_empty, only_blank_cells

COLUMNS = [
    Column(Role.OBJECTIVE, 0, 100),
    Column(Role.KPI, 100, 220),
    Column(Role.EXTRA, 220, 280),
    Column(Role.ACTUAL, 280, 340, year=111),
    Column(Role.TARGET, 340, 400, year=112),
    Column(Role.PLANS, 400, 600),
]


def _row(*cells: tuple[str, float]) -> list:
    return [g for text, x0 in cells for g in word(text, x0, 100, 10)]


def test_blocks_from_the_kpi_code_on_give_the_edges():
    """jsPDF-autotable's second call: the objective cell blank, each cell standing under the place
    of the column before. Fitted, the target edge at 400 cuts the plan '高雄市區民活動'; from the
    blocks, each column takes its own cell."""
    glyphs = _row(("BF2.2經常門", 60), ("10%", 160), ("100", 215), ("120", 262), ("高雄市區民活動", 340))
    body = table_text(glyphs, COLUMNS, 90, 200)
    fitted = [100, 220, 280, 340, 400]
    assert cuts_a_word(fitted, body.lines)
    assert block_edges(COLUMNS, body, fitted) == [60, 150, 202.5, 253.5, 316]


def test_blocks_not_one_to_each_column_leave_the_fitted_edges():
    """A blank value cell makes one block fewer than columns: which one is blank cannot be told."""
    glyphs = _row(("BF2.2經常門", 60), ("10%", 160), ("120", 262), ("高雄市區民活動", 340))
    body = table_text(glyphs, COLUMNS, 90, 200)
    assert block_edges(COLUMNS, body, [100, 220, 280, 340, 400]) is None


def test_words_apart_or_edges_between_words_are_no_cut():
    lines = group_lines(_row(("高雄市區", 300), ("民活動", 360)))  # 高雄市區 ends at 340
    assert not cuts_a_word([350], lines)
    assert cuts_a_word([322], lines)
    assert not cuts_a_word([322], group_lines(_row(("12345", 300))))


def test_kpi_codes_begin_a_block_after_an_objective_set_closer_than_a_gutter():
    """Paged.js lays a continued page out afresh: the objective cell's 'DF1提高收支比' ends 0.9 em
    (under a gutter) before 'DF1.1經常門', and every value stands a column left of the place the
    page before gave it, so no fitted edge cuts a word but the plans column holds nothing. The
    KPI codes begin their own block, and from it each column takes one."""
    glyphs = _row(("DF1提高收支比", 5), ("DF1.1經常門", 94), ("10%", 190), ("100", 240), ("120", 290))
    glyphs += word("高雄市區", 350, 100, 10)
    body = table_text(glyphs, COLUMNS, 90, 200)
    fitted = [100, 220, 280, 340, 400]
    assert not cuts_a_word(fitted, body.lines)
    assert leaves_a_column_empty(fitted, COLUMNS, body)
    assert not only_blank_cells(fitted, COLUMNS, body), "the plans column holds no text"
    edges = block_edges(COLUMNS, body, fitted)
    assert edges == [89.5, 182, 230, 280, 335]
    assert not leaves_a_column_empty(edges, COLUMNS, body)


def test_a_kpi_name_set_left_of_its_centred_code_stays_in_the_codes_block():
    """jsPDF-autotable centres 'BF2.2' over its name '經常門業務費' on the next line, which starts
    left of the code: no white space runs down before the code, and the block is not cut."""
    glyphs = [*word("BF2.2", 80, 100, 10, advance=0.5), *word("經常門業務費", 60, 112, 10)]
    glyphs += [*word("10%", 160, 100, 10), *word("100", 215, 100, 10), *word("120", 262, 100, 10)]
    glyphs += word("高雄市區民活動", 340, 100, 10)
    body = table_text(glyphs, COLUMNS, 90, 200)
    edges = block_edges(COLUMNS, body, [100, 220, 280, 340, 400])
    assert edges is not None and edges[0] <= 60, "the name goes whole to the KPI column"


COLUMNS_WITH_LABELS = [
    Column(Role.PERSPECTIVE, 0, 40),
    Column(Role.OBJECTIVE, 40, 100),
    Column(Role.KPI, 100, 220),
    Column(Role.ACTUAL, 220, 280, year=111),
    Column(Role.TARGET, 280, 340, year=112),
    Column(Role.PLANS, 340, 600),
]


def test_cells_a_word_space_apart_are_blocks_when_gutters_leave_too_few():
    """Paged.js lays a lone row continued on the next page out afresh, its cells 0.7 em apart:
    gutters find too few blocks, word spaces one to each column. The label and objective cells
    moved too, so the edges before the KPI column come from their blocks as well."""
    glyphs = _row(("學習", 10), ("BL1提高", 45), ("BL1.1參訓人數", 102), ("56人", 199), ("≧46人", 236))
    glyphs += word("BL1.1.1資通", 283, 100, 10)
    body = table_text(glyphs, COLUMNS_WITH_LABELS, 90, 200)
    edges = block_edges(COLUMNS_WITH_LABELS, body, [40, 100, 220, 280, 340])
    assert edges == [37.5, 98.5, 195.5, 232.5, 279.5]


def test_a_code_a_word_space_before_its_name_is_no_cell_of_its_own():
    """A blank value cell leaves one block too few; the space between 'BF1.2' and its name would
    make the count come right, but a code alone is no cell: the fitted edges stay."""
    glyphs = _row(("BF1.2", 100), ("場地", 155), ("12元", 230), ("15元", 290), ("高雄市區", 410))
    body = table_text(glyphs, COLUMNS, 90, 200)
    assert block_edges(COLUMNS, body, [100, 220, 280, 340, 400]) is None


def _lone_row_with_a_blank_actual() -> list:
    """Calligra Words carries a lone row to a page of its own: 'BF1.2 場地租借' over '收入' (the
    name a word space after the code, its last letters wrapped under it), the 111 actual blank."""
    glyphs = _row(("BF1.2", 100), ("場地租借", 155), ("10%", 230), ("15元", 350), ("高雄市區", 410))
    return glyphs + word("收入", 100, 112, 10)


def test_a_blank_value_cell_is_no_sign_of_a_table_laid_out_afresh():
    body = table_text(_lone_row_with_a_blank_actual(), COLUMNS, 90, 200)
    fitted = [100, 220, 280, 340, 400]
    assert leaves_a_column_empty(fitted, COLUMNS, body)
    assert only_blank_cells(fitted, COLUMNS, body)


def test_a_column_holding_two_blocks_is_no_blank_cell():
    """'10%' set a gutter after the name, inside the KPI column: its own column is empty because
    the page was laid out afresh, not because its cell is blank."""
    glyphs = _row(("BF1.2場地", 100), ("10%", 190), ("12元", 290), ("15元", 350), ("高雄市區", 410))
    body = table_text(glyphs, COLUMNS, 90, 200)
    assert not only_blank_cells([100, 220, 280, 340, 400], COLUMNS, body)


def test_a_code_is_not_cut_from_its_name_when_its_name_wraps_under_it():
    """With the actual blank, gutters find one block too few; the word space between 'BF1.2' and
    '場地租借' would make the count come right, '收入' under the code keeping the code's block
    from holding codes only. A code cut from the name on its line is no cell: the edges stay."""
    body = table_text(_lone_row_with_a_blank_actual(), COLUMNS, 90, 200)
    assert block_edges(COLUMNS, body, [100, 220, 280, 340, 400]) is None
