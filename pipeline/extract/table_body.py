"""A table body's own text: the glyphs inside its region that belong to its cells.

What lies inside a table's region is not all the table's: a running footer or page number
printed among the cells, a note under the closing rule. What lies outside may be: a label
centred on a tall block overhangs the body's edges, a cell's text overflows a row of fixed
height below the closing rule.
"""

from __future__ import annotations

from pipeline.clean.codes import CODE_PATTERN, starts_with_code
from pipeline.extract.furniture import (
    is_furniture,
    is_page_number,
    lowest_apart,
    may_hold_furniture,
    reads_as_page_number,
)
from pipeline.extract.geometry import Glyph, Line, group_lines, split_at_rules, split_runs
from pipeline.extract.gutters import median_size
from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.overprint import run_starts, runs_of
from pipeline.extract.row_overflow import follows
from pipeline.extract.rules import Rule, covered
from pipeline.extract.tolerances import TOL
from pipeline.extract.turned import turned_labels


def _overhanging_top(across: list[Glyph], layout: TableLayout, top: float, bottom: float) -> list[Glyph]:
    """The glyphs above `top` of the upright runs in a 構面 or 策略目標 column that cross it and
    are centred below it: a label overhanging the body's top edge."""
    spanning = [c for c in layout.columns if c.role in (Role.PERSPECTIVE, Role.OBJECTIVE)]
    if not spanning:
        return []
    lo, hi = min(c.x0 for c in spanning), max(c.x1 for c in spanning)
    near = [g for g in across if lo <= g.ink_cx < hi and not g.rotated and any(c.holds(g) for c in spanning)]
    # A run crosses `top` only from a glyph a line's pitch above it at most.
    reach = TOL.line_pitch_em[1] + 1
    if not any(top - reach * g.size <= g.cy < top for g in near):
        return []
    starts = run_starts(near, lambda g: next((c for c in spanning if c.holds(g)), None))
    taken = []
    for run in runs_of(near, starts):
        above = [g for g in run if g.cy < top]
        centre = (min(g.top for g in run) + max(g.bottom for g in run)) / 2
        if above and len(above) < len(run) and top <= centre <= bottom:
            taken += above
    return taken


def _overflow_below(inside: list[Glyph], kept: list[Glyph], rule: float, layout: TableLayout) -> list[Glyph]:
    """Text that runs on below a table's closing rule as the next line of a column's last cell
    (a cell's text overflowing a row of fixed height), column by column, not a note further below
    it."""
    below = group_lines(g for g in inside if g.cy > rule)
    if not below:
        return []
    columns: dict[Column, list[Glyph]] = {}
    for g in kept:
        column = layout.column_at(g)
        if column is not None and not g.rotated:
            columns.setdefault(column, []).append(g)
    ends = {column: group_lines(glyphs)[-2:] for column, glyphs in columns.items()}
    taken: list[Glyph] = []
    for line in below:
        pieces: dict[Column, list[Glyph]] = {}
        for g in line.glyphs:
            column = layout.column_at(g)
            if column is not None:
                pieces.setdefault(column, []).append(g)
        for column, piece in pieces.items():  # each column's part of the line on its own
            run_on = Line(tuple(piece))
            if column in ends and _next_line(ends[column], run_on):
                taken += piece
                ends[column] = [ends[column][-1], run_on]
    return taken


def _next_line(last_lines: list[Line], line: Line) -> bool:
    """True when `line` is the next line after a column's `last_lines`: close under the last, or at
    the pitch the two keep (a cell's lines spaced more than its type's leading, LibreOffice Impress
    printing through PostScript)."""
    last = last_lines[-1]
    if line.top - last.bottom <= TOL.overflow_gap_em * line.size:
        return True
    if len(last_lines) < 2:
        return False
    pitch = last.top - last_lines[0].top
    lo, hi = TOL.line_pitch_em
    return lo * line.size <= pitch <= hi * line.size and follows(last, line, pitch)


def _in_a_cell_drawn_on(g: Glyph, rule: float, vrules: list[Rule] | None, layout: TableLayout) -> bool:
    """True when `g`, under a table's closing `rule`, stands between two drawn cell borders that
    run on from above the rule down past it: a merged cell the rule does not close (html2canvas
    cuts a 構面 cell spanning a page break at the page's foot, its label centred on the whole
    cell, below the page's last row). The cell holds some of the table's columns, not all: a
    frame drawn round the table, or round the slide, closes no note under the table into a cell."""
    slack = TOL.box_slack_pt
    sides = [r.pos for r in vrules or [] if r.start < rule - slack and r.end > g.bottom]
    left, right = [p for p in sides if p <= g.x0 + slack], [p for p in sides if p >= g.x1 - slack]
    if not left or not right:
        return False
    x0, x1 = max(left), min(right)
    return any(not x0 <= (c.x0 + c.x1) / 2 <= x1 for c in layout.columns)


def _left_open(g: Glyph, rule: float, drawn: list[Rule], layout: TableLayout) -> bool:
    """True when `g` stands in a 構面 or 策略目標 column under a table's closing `rule` drawn
    past that column only: the rule closes the last row, not the merged cell beside it, run on
    to the next page (ConTeXt rules off rows under a spanning cell and centres the cell's
    label on its whole height, on the row's bottom rule)."""
    column = layout.column_at(g)
    if column is None or column.role not in (Role.PERSPECTIVE, Role.OBJECTIVE):
        return False
    slack = TOL.box_slack_pt
    return not any(abs(r.pos - rule) <= slack and r.start - slack <= g.cx <= r.end + slack for r in drawn)


def body_glyphs(
    glyphs: list[Glyph],
    layout: TableLayout,
    top: float,
    bottom: float,
    drawn: list[Rule],
    page_height: float,
    vrules: list[Rule] | None = None,
) -> list[Glyph]:
    """Glyphs of the table body: inside the region, above the last drawn table rule, minus furniture
    (told run by run, each cut at the `vrules` that border cells: see furniture_runs).
    A turned label goes whole with the region its centre lies in: centred on a tall block, it may
    overhang the body's top edge (into the header) or its bottom. So does a stacked label drawn
    as one run that crosses the body's top edge (centred on a short first row)."""
    across = [g for g in glyphs if layout.x0 <= g.cx <= layout.x1]
    # A cell's last line run on past the region's end, its top above it, is still the cell's (pdfme
    # lets a cell's text overflow its row into the next theme's title).
    inside = [g for g in across if top <= g.cy and g.top < bottom - TOL.box_slack_pt and not g.rotated]
    inside += [
        g
        for label in turned_labels([g for g in across if g.rotated])
        if top <= label.centre <= bottom
        for g in label.glyphs
    ]
    inside += _overhanging_top(across, layout, top, bottom)
    rules = [p for p in covered(drawn, *layout.rule_span, TOL.closes_share) if top < p <= bottom]
    kpi = layout.column(Role.KPI)
    if rules and kpi is not None:
        last_rule = max(rules)
        below = group_lines(g for g in inside if g.cy > last_rule and kpi.holds(g))
        if not any(starts_with_code(line.text) for line in below):  # else the rule does not close the table
            drawn_on = [
                g
                for g in inside
                if g.cy >= last_rule
                and (_in_a_cell_drawn_on(g, last_rule, vrules, layout) or _left_open(g, last_rule, drawn, layout))
            ]
            closed = {id(g) for g in inside if g.cy >= last_rule} - {id(g) for g in drawn_on}
            kept = [g for g in inside if id(g) not in closed or g.rotated]
            inside = kept + _overflow_below([g for g in inside if id(g) in closed], kept, last_rule, layout)
    lines = group_lines(inside)
    furniture = {
        id(g) for line in lines for run in furniture_runs(line, page_height, vrules, layout) for g in run.glyphs
    }
    furniture |= {id(g) for g in _number_set_apart_below(lines)}
    kept = [g for g in inside if id(g) not in furniture]
    remaining = group_lines(kept) if furniture else lines
    closing = {id(g) for g in _large_words_set_apart_below(remaining)}
    closing |= {id(g) for g in _words_set_apart_under_a_closing_rule(remaining, rules)}
    return [g for g in kept if id(g) not in closing] if closing else kept


def _number_set_apart_below(lines: list[Line]) -> tuple[Glyph, ...]:
    """A bare number alone on the region's lowest line, set well apart below all the table's text:
    a slide's page number where the page margin is not the slide's (slides printed two to a page,
    as handouts), not a value: a cell's lines follow each other a line apart."""
    if (lowest := lowest_apart(lines)) is None:
        return ()
    last, _, gap = lowest
    apart = gap > TOL.stray_number_em * last.size
    return last.glyphs if apart and len(split_runs(last)) == 1 and reads_as_page_number(last.text) else ()


def _large_words_set_apart_below(lines: list[Line]) -> tuple[Glyph, ...]:
    """The region's lowest line, one run set well apart below all the table's text in type much
    larger than the table's: the words a document sets after its last table ('敬請指教', a closing
    slide's run on to the table's page where calibre or a word processor ignores the break), not
    a cell's, whose lines follow each other a line apart in the table's type. A line of its own
    large type between them is apart enough, or half a line of it (pandoc's heading right under a
    table without rules, LibreOffice's space above a heading)."""
    if (lowest := lowest_apart(lines)) is None:
        return ()
    last, others, gap = lowest
    size = median_size([g for line in others for g in line.glyphs])
    apart = gap > min(TOL.stray_number_em * size, TOL.closing_words_gap_em * last.size)
    larger = last.size >= TOL.closing_words_scale * size
    return last.glyphs if apart and larger and len(split_runs(last)) == 1 else ()


def _words_set_apart_under_a_closing_rule(lines: list[Line], rules: list[float]) -> tuple[Glyph, ...]:
    """The region's lowest line, one run with no code in it, set well apart below a rule drawn
    across the table under all the table's other text: the next slide's running header where two
    slides are printed on one page (a header right above the lower slide's table), not a cell's,
    whose lines stand a line apart from the rule above them, or from the row's other text. A row
    without a code has text in several cells: it is left to the nets."""
    if (lowest := lowest_apart(lines)) is None or CODE_PATTERN.search(lowest[0].text):
        return ()
    if len(split_runs(lowest[0])) > 1:
        return ()
    last, others, _ = lowest
    ends = max(line.bottom for line in others)
    between = [p for p in rules if ends <= p <= last.top]
    size = median_size([g for line in others for g in line.glyphs])
    return last.glyphs if between and last.top - max(between) > TOL.stray_number_em * size else ()


def furniture_runs(
    line: Line, page_height: float, vrules: list[Rule] | None = None, layout: TableLayout | None = None
) -> list[Line]:
    """The runs of a line that are page furniture. A footer or footnote goes whole, page number
    and all; a footnote mark in a cell ('註1' in a 備註 column) takes nothing else of its line,
    nor of the cells beside it, which a narrow gutter may set as close as a word (`vrules`, the
    cell borders, part them; with no borders drawn, the table's columns do: _cell_mark_apart)."""
    if not may_hold_furniture(line, page_height):
        return []
    runs = [
        piece
        for run in split_runs(line)
        for cell in split_at_rules(run, vrules or [])
        for piece in _cell_mark_apart(cell, layout)
    ]
    marked = [run for run in runs if is_furniture(run.text)]
    if all(run in marked or is_page_number(run, page_height) for run in runs):
        return runs if marked or len(runs) == 1 else []
    return marked


def _cell_mark_apart(run: Line, layout: TableLayout | None) -> list[Line]:
    """`run` cut after the footnote mark that opens it, where the mark stands in a column that is
    not read (a 備註 cell's '註1') and the next column begins in the space after it: the next
    cell's text set a word apart in a table without borders ('註1 １９場'), not a footnote's."""
    glyphs = run.glyphs
    if layout is None or glyphs[0].text not in "註※":
        return [run]

    def spaced(end: int) -> bool:
        mark, after = glyphs[end - 1], glyphs[end]
        return after.x0 - mark.x1 >= TOL.word_space_em * max(mark.size, after.size)

    end = 1
    while end < len(glyphs) and glyphs[end].text.isdigit() and not spaced(end):
        end += 1
    if end == len(glyphs) or not spaced(end):
        return [run]
    home = layout.column_at(glyphs[0])
    if home is None or home.role != Role.EXTRA or not glyphs[end - 1].x1 <= home.x1 <= glyphs[end].x0:
        return [run]
    return [Line(glyphs[:end]), Line(glyphs[end:])]
