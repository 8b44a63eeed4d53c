"""The body text's white space: gaps measured where glyphs ink, and which lines of text are the
body's to measure."""

from __future__ import annotations

from glyphs import drawn, word
from test_columns import _heads

from pipeline.extract.geometry import Glyph, group_lines
from pipeline.extract.gutters import free_gaps, ink_spans, may_be_gutter, table_text
from pipeline.extract.layout import Role


def test_free_gaps_between_inked_spans():
    spans = ink_spans(group_lines([*word("AB", 10, 0), *word("C", 50, 0), *word(" ", 70, 0)]))
    assert spans == [(10, 20), (20, 30), (50, 60)]
    assert free_gaps(spans, 0, 100) == [(0, 10), (30, 50), (60, 100)]
    assert free_gaps(spans, 15, 55) == [(30, 50)]


def test_a_first_line_set_a_hair_above_the_body_top_is_measured():
    """A first row set tight under the header: its line's boxes start 0.3 pt above the body's top.
    Its text (here a 衡量方式 cell running on to the value) tells where the columns are."""
    body = table_text([*word("年度平均值（週期：季）", 10, 39.7), *word("1386846", 125, 39.7)], _heads(), 40.0, 200.0)
    assert [line.text for line in body.lines] == ["年度平均值（週期：季）1386846"]


def test_a_first_line_overlapping_a_header_too_short_for_its_labels_is_measured():
    """A header row too short for its wrapped labels: the first row's line starts 2 pt above the
    body's top, under a label's last line. Its middle lies in the body, so it tells where the
    columns are (a one-row page has no other line to)."""
    body = table_text([*word("出租率", 10, 38.0), *word("78%", 115, 38.0)], _heads(), 40.0, 200.0)
    assert [line.text for line in body.lines] == ["出租率78%"]
    header_line = table_text(word("值", 115, 32.0), _heads(), 40.0, 200.0)
    assert header_line.lines == [], "a label's last line, its middle above the body's top, is the header's"


def test_a_row_s_line_headed_by_a_footnote_mark_in_its_cell_is_measured():
    """PDFBox leaves the cells left of a 備註 column blank on a row's second line, which then
    begins with the cell's '註1': the line is no footnote, and its values tell where the year
    columns part ('7 (修正數據)' / '6'). A footnote under the table goes whole."""
    row = [*word("註1", 10, 60), *word("7 (修正數據)", 60, 60), *word("6", 200, 60)]
    body = table_text([*row, *word("註1：實際值為年度累計", 10, 100)], _heads(), 40.0, 200.0)
    assert [line.text for line in body.lines] == ["7 (修正數據) 6"]


def test_full_width_punctuation_ending_its_run_counts_only_its_inked_half():
    """A '、' hung at a line's end past its cell's edge (xhtml2pdf) leaves that edge in white space;
    inside a run ('演練、踏勘') it is measured whole, so no gap opens in the word."""
    hung = ink_spans(group_lines([*word("練、", 0, 0), *word("踏勘", 40, 0)]))
    assert hung == [(0, 10), (10, 15), (40, 50), (50, 60)]
    inside = ink_spans(group_lines(word("練、踏", 0, 0)))
    assert inside == [(0, 10), (10, 20), (20, 30)]


def test_a_half_width_stop_ending_its_run_counts_only_its_inked_half():
    """A CJK face's '.' is boxed half an em wide and inked in its left half: ending a line
    ('…AF1.1.' wrapped after the dot, xhtml2pdf) it leaves the rest of its box to the gutter the
    next column's '註1' starts in. Before a digit it is a code's or a value's point, measured whole."""
    ended = ink_spans(group_lines(_half_width("1.")))
    assert ended == [(0, 5), (5, 7.5)]
    inside = ink_spans(group_lines(_half_width("1.1")))
    assert inside == [(0, 5), (5, 10), (10, 15)]
    narrow = ink_spans(group_lines([*_half_width("1"), Glyph(".", 5, 7.5, 0, 10, 10, False)]))
    assert narrow[-1] == (5, 7.5), "a stop boxed narrower (a proportional Latin face) is measured whole"


def _half_width(text: str) -> list[Glyph]:
    """`text` in 10 pt half-width forms, from x = 0: each letter boxed 5 pt wide."""
    return [Glyph(ch, 5 * i, 5 * i + 5, 0, 10, 10, False) for i, ch in enumerate(text)]


def test_a_number_right_after_a_status_note_drawn_on_from_it_begins_the_next_cell():
    """Qt sets a status note three points before the next year's value, the two drawn one after
    the other ('換屆不適用' / '6.1'): no cell's value goes on after its note, so the gap is a
    gutter. Closer than a word space after other words ('使用' / '1999'), a number is the run's."""
    note = table_text(drawn(word("換屆不適用", 576, 43, 11), word("6.1", 634, 43, 11, 0.5)), _heads(), 40, 200)
    assert may_be_gutter((631, 634), note, Role.TARGET)
    name = table_text(drawn(word("民眾使用", 576, 43, 11), word("1999", 623, 43, 11, 0.5)), _heads(), 40, 200)
    assert not may_be_gutter((620, 623), name, Role.TARGET)


def test_letters_set_half_an_em_apart_with_spaces_between_are_one_run():
    """Flying Saucer sets a KPI name's letters half an em apart with a space glyph in each gap:
    every gap is as wide, so none is a gutter, the last one before the next column's value
    included; the value, drawn after other text, is the next cell's."""
    glyphs = []
    for i, ch in enumerate("市民熱線案件結案滿意"):
        x = 185 + 12 * i
        glyphs.append(Glyph(ch, x, x + 8, 153.6, 161.6, 8.0, False, False, i))
        if i < 9:
            glyphs.append(Glyph(" ", x + 8, x + 12, 153.6, 161.6, 8.0, False, False, -1))
    glyphs += [
        Glyph(ch, 313 + 4 * i, 317 + 4 * i, 153.6, 161.6, 8.0, False, False, 20 + i) for i, ch in enumerate("85.8")
    ]
    body = table_text(glyphs, _heads(), 40, 200)
    assert not may_be_gutter((289, 293), body, Role.ACTUAL), "inside the name"
    assert may_be_gutter((301, 313), body, Role.ACTUAL), "before the value"
