"""Where a table's KPI rows meet, and which text lines are a row's.

Between two anchors (KPI code lines) rows meet at a rule or a band row; in tables drawn with text
only, at the widest gap between their texts or just above the lower anchor, whichever cuts the
table into rows whose cells line up. A cell's line crossing a row edge goes with the row it runs
on from; a glyph placed by drawing order goes with the row of its run's first glyph.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import inf

from pipeline.extract.geometry import Glyph, Line, group_lines
from pipeline.extract.gutters import median_size
from pipeline.extract.layout import Column, TableLayout, cell_glyphs
from pipeline.extract.rules import Rule, covered
from pipeline.extract.tolerances import TOL

Homes = dict[int, Glyph]  # a glyph's id -> the first glyph of its run (see overprint.run_homes)


@dataclass(frozen=True)
class Band:
    """A full-width perspective row ('顧客構面'): its extent, the perspective, the printed line."""

    top: float
    bottom: float
    name: str
    line: Line


def _gaps(glyphs: list[Glyph], top: float, bottom: float) -> list[tuple[float, float]]:
    """The vertical intervals in top..bottom that no glyph covers, widest first."""
    spans = sorted((g.top, g.bottom) for g in glyphs if g.bottom > top and g.top < bottom)
    gaps, cursor = [], top
    for y0, y1 in [*spans, (bottom, bottom)]:
        if y0 > cursor:
            gaps.append((cursor, y0))
        cursor = max(cursor, y1)
    return sorted(gaps, key=lambda gap: gap[0] - gap[1])


def _text_cuts(row_glyphs: list[Glyph], label_glyphs: list[Glyph], top: float, bottom: float) -> list[float]:
    """Where two rows drawn without rules may meet: the middle of the widest gap between their
    texts, and of each gap as wide to within a glyph box's slack (rows whose cells' lines keep one
    pitch leave many gaps alike), each narrowed to above a 構面/策略目標 label that starts inside
    it (the label's row begins above it even when the row's other cells sit lower, centred in a
    row the label stretched)."""
    gaps = _gaps(row_glyphs, top, bottom)
    if not gaps:
        return [bottom - 0.1]
    widest = gaps[0][1] - gaps[0][0]
    cuts = []
    for gap in (g for g in gaps if g[1] - g[0] >= widest - TOL.box_slack_pt):
        narrower = _gaps(label_glyphs + row_glyphs, *gap)
        if narrower and narrower[0][0] == gap[0]:
            gap = narrower[0]
        cuts.append(sum(gap) / 2)
    return cuts


def _top_cut(row_glyphs: list[Glyph], top: float, anchor_top: float) -> float:
    """Where two rows meet in a table that sets its cells at the top: just above the lower row's
    first line, below the last text that ends above it."""
    slack = TOL.box_slack_pt
    above = [g.bottom for g in row_glyphs if g.top < anchor_top - slack and g.bottom <= anchor_top + slack]
    return (max([top, *above]) + anchor_top) / 2


def _consistent_rows(row_glyphs: list[Glyph], columns: list[Column], bounds: list[tuple[float, float]]) -> int:
    """How many rows have their cells starting level, or how many have them centred level,
    whichever is more: how well a way of cutting rows fits a table that sets every row's cells
    alike (a row whose cells line up only the other way is cut wrong: a line wrapped from the
    row above, taken into a top-set row, can happen to centre its cell on the row's other cells).
    A row holding two rows' numbers lines up neither way."""
    at_top = centred = 0
    first = min(columns, key=lambda c: c.x0, default=None)
    digits = [g for g in row_glyphs if g.text.isdigit()]  # most tables number no rows: told cheaply
    numbers = cell_glyphs(digits, first, -inf, inf, upright_only=True) if first is not None else []
    for top, bottom in bounds:
        if sum(top <= g.cy < bottom for g in numbers) > 1 and _numbers_two_rows(
            cell_glyphs(row_glyphs, first, top, bottom, upright_only=True)
        ):
            continue
        spans = []
        for column in columns:
            cell = cell_glyphs(row_glyphs, column, top, bottom, upright_only=True)
            if cell:
                spans.append((min(g.top for g in cell), max(g.bottom for g in cell), cell[0].size))
        if len(spans) < 2:
            at_top, centred = at_top + 1, centred + 1
            continue
        level = TOL.cells_level_em * min(size for _, _, size in spans)
        tops = [t for t, _, _ in spans]
        centres = [(t + b) / 2 for t, b, _ in spans]
        at_top += max(tops) - min(tops) <= level
        centred += max(centres) - min(centres) <= level
    return max(at_top, centred)


def _numbers_two_rows(cell: list[Glyph]) -> bool:
    """True when a first column's cell holds two rows' numbers, one after the other ('1' / '2'):
    two rows taken for one (Asciidoctor PDF centres a KPI cell in its row and sets the others at
    the top, so the lower row's number, values and plans stand above its code's line)."""
    numbers = [int(line.text) for line in group_lines(cell) if line.text.isdigit() and len(line.text) <= 3]
    return any(b == a + 1 for a, b in zip(numbers, numbers[1:]))


def row_bounds(
    anchors: list[Line],
    bands: list[Band],
    kpi: Column,
    row_glyphs: list[Glyph],
    label_glyphs: list[Glyph],
    hrules: list[Rule],
    span: tuple[float, float],
    columns: list[Column],
) -> list[tuple[float, float]]:
    """Top and bottom of each anchor's row within `span` (the body's top and bottom).

    Rows meet at a rule or band between their anchors' middles: the lowest rule above the lower
    anchor, else one crossing its upper half (a code line poking up over its row's top rule, text
    centred on a row shorter than it, is still under it; a rule drawn through it where one stands
    clear above it is another row's border run over it). Without one, at the widest gap between
    their texts (cells centred) or just above the lower anchor (cells set at the top), whichever
    cuts the whole table into rows whose cells line up.
    """
    top, bottom = span
    kpi_rules = covered(hrules, *kpi.span)
    slack = TOL.box_slack_pt
    fixed: list[float | None] = []
    gap_cuts: list[float] = []
    top_cuts: list[float] = []
    kpi_glyphs = [g for g in row_glyphs if kpi.holds(g)]
    row_top = top
    for prev, anchor in zip(anchors, anchors[1:]):
        between_bands = [b for b in bands if prev.top < b.top < anchor.top]
        rules = [p for p in kpi_rules if prev.centre < p <= anchor.centre]
        clear = [p for p in rules if p <= anchor.top + slack]  # those crossing no code line first
        fixed.append(between_bands[0].top if between_bands else max(clear or rules) if rules else None)
        # The KPI cell's own lines under its code (the name, wrapped) stay in its row.
        name_end = max([prev.bottom, *(g.bottom for g in kpi_glyphs if prev.bottom < g.cy < anchor.top)])
        # Of gaps alike, the first that leaves the row above its cells lined up (centred on the KPI
        # cell where each cell's lines are spaced alike: Aspose.Words without rules).
        cuts = _text_cuts(row_glyphs, label_glyphs, min(name_end, anchor.top), anchor.top)
        cut = cuts[0]
        if fixed[-1] is None and len(cuts) > 1:
            cut = next((c for c in cuts if _consistent_rows(row_glyphs, columns, [(row_top, c)])), cut)
        gap_cuts.append(cut)
        row_top = fixed[-1] if fixed[-1] is not None else cut
        top_cuts.append(_top_cut(row_glyphs, prev.top, anchor.top))

    def bounds_with(cuts: list[float]) -> list[tuple[float, float]]:
        chosen = [f if f is not None else c for f, c in zip(fixed, cuts)]
        tops = [max([top, *(b.bottom for b in bands if b.bottom <= anchors[0].top + slack)]), *chosen]
        ends = [*chosen, bottom]
        after = [b.top for b in bands if anchors and b.top > anchors[-1].top]
        if after:
            ends[-1] = min(after)
        return list(zip(tops, ends))

    if not anchors:
        return []
    by_gap, by_top = bounds_with(gap_cuts), bounds_with(top_cuts)
    if by_top != by_gap and _consistent_rows(row_glyphs, columns, by_top) > _consistent_rows(
        row_glyphs, columns, by_gap
    ):
        return by_top
    return by_gap


def table_bottom(body: list[Glyph], layout: TableLayout, drawn: list[Rule], limit: float) -> float:
    """The table's lower edge: the drawn rule closing it (close under its last text: a rule further
    down is page furniture, such as a footer line), else just below its last text."""
    last = max(g.bottom for g in body)
    reach = min(limit, last + TOL.closing_rule_em * median_size(body))
    closing = [
        p
        for p in covered(drawn, *layout.rule_span, TOL.closes_share, pieced=True)
        if last - TOL.box_slack_pt <= p <= reach
    ]
    return min(closing) if closing else min(limit, last + TOL.box_slack_pt)


def mirror_last_row(
    bounds: list[tuple[float, float]], glyphs: list[Glyph], closed: bool, limit: float
) -> list[tuple[float, float]]:
    """Without a closing rule, give the last row as much room below its text as above it, up to
    `limit`, where the table's region ends (the next theme's title)."""
    if closed or not bounds:
        return bounds
    top, bottom = bounds[-1]
    text = [g for g in glyphs if top <= g.cy < bottom]
    if not text:
        return bounds
    centre = (min(g.top for g in text) + max(g.bottom for g in text)) / 2
    return [*bounds[:-1], (top, max(bottom, min(2 * centre - top, limit)))]


def cell_lines(
    column_glyphs: list[Glyph], top: float, bottom: float, first: bool = False, homes: Homes | None = None
) -> list[Line]:
    """The text lines of a cell, from its column's upright glyphs: those centred in it, but a line
    that starts well above an edge between two rows, crosses it and runs on from text right above
    it belongs to the row above (a cell's text overflowing a row of fixed height, the next row's
    fill drawn over the rest of it). Above the `first` row there is no row: text crossing its top
    edge is its own. A glyph with a home (see overprint.run_homes) goes with the row its home lies in.
    A line crossing an edge goes whole where most of its letters go: fonts box their letters at
    different heights on one baseline (pdfTeX's CJK subfonts, one per 256 ideographs)."""
    homes = homes or {}
    placed = {
        id(g)
        for g in _near_row(column_glyphs, top, bottom, homes)
        if in_row(homes.get(id(g), g), column_glyphs, top, bottom, first)
    }
    crossing = [
        g for g in column_glyphs if (g.top < top < g.bottom or g.top < bottom < g.bottom) and id(g) not in homes
    ]
    for line in group_lines(crossing):
        ids = {id(g) for g in line.glyphs}
        inside = len(ids & placed)
        if inside * 2 > len(ids) or (inside * 2 == len(ids) and top <= line.centre < bottom):
            placed |= ids
        else:
            placed -= ids
    return group_lines(g for g in column_glyphs if id(g) in placed)


def _near_row(column_glyphs: list[Glyph], top: float, bottom: float, homes: Homes) -> list[Glyph]:
    """The glyphs in_row may place in the row from `top` to `bottom`: those (at their homes) that
    start above its foot with their centre below its top. The rest of the column is told apart
    with two comparisons, not in_row's look around the column: a cell's lines are asked for row
    by row, and each row holds few of its column's glyphs."""
    if top > bottom:
        return column_glyphs
    return [g for g in column_glyphs if (h := homes.get(id(g), g)).top < bottom and h.cy >= top]


def _overflows(g: Glyph, edge: float, column_glyphs: list[Glyph]) -> bool:
    """True when the glyph starts well above `edge`, has its centre below it, and continues a line
    of its column close above it. Without that line above, the glyph is the lower row's own text
    set high in its cell: moving it up would put a value under the wrong KPI."""
    if not (g.top < edge - TOL.straddle_em * g.size and g.cy >= edge):
        return False
    reach = g.top - TOL.overflow_gap_em * g.size
    return any(h.cy < edge and h.bottom <= g.cy and h.bottom >= reach for h in column_glyphs if h is not g)


def in_row(g: Glyph, column_glyphs: list[Glyph], top: float, bottom: float, first: bool) -> bool:
    if _overflows(g, bottom, column_glyphs):
        return g.top >= top or first
    return top <= g.cy < bottom and (first or not _overflows(g, top, column_glyphs))
