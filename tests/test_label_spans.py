"""Which rows a spanning label drawn without rules covers."""

from __future__ import annotations

from pipeline.extract.label_spans import Label, fit_spans

EDGES = [0.0, 20.0, 40.0, 60.0, 80.0, 100.0, 120.0]  # six rows of 20 pt
ANCHORS = [(top + 2, top + 12) for top in EDGES[:-1]]  # each row's first line


def test_labels_centred_on_their_blocks():
    labels = [Label(25, 35, 10), Label(85, 95, 10)]
    assert fit_spans(labels, EDGES, ANCHORS) == [(0, 60), (60, 120)]


def test_labels_set_level_with_their_first_row():
    """A label at the top of its block is as well placed as one centred on it."""
    labels = [Label(2, 12, 10), Label(42, 52, 10), Label(102, 112, 10)]
    assert fit_spans(labels, EDGES, ANCHORS) == [(0, 40), (40, 100), (100, 120)]


def test_a_tall_label_keeps_its_text_inside_its_span():
    labels = [Label(5, 75, 10), Label(90, 100, 10)]
    assert fit_spans(labels, EDGES, ANCHORS) == [(0, 80), (80, 120)]


def test_rows_above_the_first_label_continue_the_page_before():
    """The first label's span starts where it is centred: the row above it is left to the
    label of the page before (its cell blank on this page); the last span ends with the table."""
    assert fit_spans([Label(65, 75, 10)], EDGES, ANCHORS) == [(20, 120)]


def test_a_label_level_with_its_first_row_poking_over_its_top_still_starts_there():
    """On a page continuing a block, the next label is set level with row 4's first line, its box
    0.7 pt above the row's top: its span starts at row 4, not where it happens to lie mid-table."""
    edges = [42.9, 177.1, 214.4, 251.8, 337.5, 459.6]
    anchors = [(42.3, 52.3), (176.4, 186.4), (213.8, 223.8), (251.1, 261.1), (336.9, 346.9)]
    assert fit_spans([Label(251.1, 261.1, 10)], edges, anchors) == [(251.8, 459.6)]


def test_code_breaks_decide_between_equally_good_cuts():
    labels = [Label(2, 12, 10), Label(102, 112, 10)]
    assert fit_spans(labels, EDGES, ANCHORS, breaks=[{3}]) == [(0, 60), (60, 120)]
    assert fit_spans(labels, EDGES, ANCHORS, breaks=[{4}]) == [(0, 80), (80, 120)]
    assert fit_spans(labels, EDGES, ANCHORS, breaks=[set(), {4}]) == [(0, 80), (80, 120)], "first set with room"


def test_nothing_to_fit():
    assert fit_spans([], EDGES, ANCHORS) == []
    assert fit_spans([Label(0, 10, 10)] * 3, [0.0, 20.0], ANCHORS[:1]) == [(0, 20)] * 3


def test_a_label_level_with_the_second_row_when_the_first_row_starts_above_the_body():
    """The first row, set tight under a header row too short for its labels, starts above the
    body's top; the only label is level with row 2's first line (row 1 continues a block from
    the page before, its cell blank). Row 2's span is the label's: each span is measured
    against its own first row's line, not the first line that happens to lie inside it."""
    edges = [96.5, 135.0, 180.0]
    anchors = [(94.5, 104.5), (139.5, 149.5)]
    assert fit_spans([Label(139.5, 149.5, 10)], edges, anchors) == [(135.0, 180.0)]


def test_rows_above_the_first_label_sharing_its_code_letter_are_its_own():
    """A label whose letters a browser piled on one spot lies in row 2 of the two rows it spans:
    row 1's code carries the same perspective letter (a change only before row 3), so row 1 is in
    its block, not one continued from the page before."""
    edges = [0.0, 20.0, 40.0, 60.0]
    anchors = [(top + 2, top + 12) for top in edges[:-1]]
    labels = [Label(25, 35, 10), Label(45, 55, 10)]
    assert fit_spans(labels, edges, anchors) == [(20.0, 40.0), (40.0, 60.0)], "by position alone"
    assert fit_spans(labels, edges, anchors, breaks=[{2}]) == [(0.0, 40.0), (40.0, 60.0)]


def test_a_label_set_high_in_its_block_leaves_the_continued_row_above_it():
    """A stacked label that XeLaTeX's multirow sets high in its two rows is centred as well on
    those rows and the row above them, whose code letter (BP2.1 above BL1.1, BL2.1) says it
    continues the block of the page before. Code letters that change no more often than there
    are labels mark where every block ends: no span runs over one."""
    edges = [60.0, 84.0, 127.0, 156.0, 186.0, 202.0]
    anchors = [(60.5, 67.5), (105.1, 112.1), (133.8, 140.8), (162.3, 169.3), (186.5, 193.5)]
    labels = [Label(84.7, 132.5, 7), Label(150.0, 181.5, 7)]
    assert fit_spans(labels, edges, anchors, breaks=[{1, 3}]) == [(84.0, 156.0), (156.0, 202.0)]


def test_rows_below_the_last_label_await_a_label_the_page_does_not_print():
    """html2canvas pages a table with a merged 構面 cell broken over the page: its label prints
    on the next page only. Codes change letter before rows 3 and 4 (BP1.1, BP1.2 | BL1.1 | BF1.1),
    and the labels sit on rows 1–2 and row 3: forcing the last span to the table's end would cut
    both labels out of their spans, so row 4 is left to the label of the page after."""
    edges = [0.0, 20.0, 40.0, 60.0, 80.0]
    anchors = [(top + 2, top + 12) for top in edges[:-1]]
    labels = [Label(15, 25, 10), Label(45, 55, 10)]
    assert fit_spans(labels, edges, anchors, breaks=[{2, 3}]) == [(0.0, 40.0), (40.0, 60.0)]


def test_the_last_label_still_reaches_the_table_s_end_when_it_fits_there():
    """Codes that change letter before the last row leave it in the last block when its label,
    centred on the rows above and that one, lies inside the span reaching the table's end."""
    edges = [0.0, 20.0, 40.0, 60.0, 80.0]
    anchors = [(top + 2, top + 12) for top in edges[:-1]]
    labels = [Label(15, 25, 10), Label(55, 65, 10)]
    assert fit_spans(labels, edges, anchors, breaks=[{1, 2, 3}]) == [(0.0, 40.0), (40.0, 80.0)]
