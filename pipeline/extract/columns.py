"""Place a table's columns: the header names them, the page says where they are.

Header labels are often centred over columns whose cells are left-aligned, wrapped, or split over
two header rows, so a label's extent is only a hint. Between two neighbouring labels the edge is,
in order of evidence: a vertical rule running into the body (a grid); a cell border drawn in the
header band that falls in a gutter of the body text (a header drawn as cells over a body without
rules); the widest gutter that no body glyph crosses (the body's own alignment); else halfway.

Which white gaps of the body text may be gutters is pipeline.extract.gutters' business.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from math import inf

from pipeline.clean.codes import CODE_PATTERN, code_depth
from pipeline.extract.geometry import Glyph, Line, glyph_text, split_runs
from pipeline.extract.gutters import CODE_DEPTH_OF, BodyText, free_gaps, may_be_gutter, opens_aligned_values, table_text
from pipeline.extract.layout import Column, Role
from pipeline.extract.rules import Rule
from pipeline.extract.text_blocks import block_edges, cuts_a_word, leaves_a_column_empty, only_blank_cells
from pipeline.extract.tolerances import TOL

# A number as printed, full-width digits too ('94.5', '１,２６０'): no column edge runs through one.
_NUMBER = re.compile(r"[0-9０-９]+(?:[.,．，][0-9０-９]+)*")


def _unbroken_spans(line: Line) -> list[tuple[float, float]]:
    """The x-extents of the codes ('BC1.1', 'AC1.1.2') and numbers printed in a line: values set
    tight in narrow columns run into each other ('９４.５％９４.２％', rst2pdf), edge to edge."""
    glyphs = [g for g in line.glyphs if not g.text.isspace()]
    text, owners = _letters(glyphs)
    found = [*CODE_PATTERN.finditer(text), *_NUMBER.finditer(text)]
    return [(owners[m.start()].x0, owners[m.end() - 1].x1) for m in found]


def _letters(glyphs: list[Glyph]) -> tuple[str, list[Glyph]]:
    """The glyphs' text, and the glyph each of its letters is from: a glyph may print several
    ('㎡' folded to 'm2', a ligature 'fi')."""
    return "".join(g.text for g in glyphs), [g for g in glyphs for _ in g.text]


def _within(spans: list[tuple[float, float]]) -> Callable[[float], bool]:
    """Whether a position lies strictly inside one of `spans` (sorted by start), told by bisection
    over their union: a page's numbers are many."""
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], x1)
        elif x1 > x0:
            merged.append([x0, x1])
    lefts = [m[0] for m in merged]

    def inside(p: float) -> bool:
        i = bisect_left(lefts, p) - 1
        return i >= 0 and p < merged[i][1]

    return inside


def _least_crossed(body: BodyText, start: float, end: float) -> float | None:
    """Where between `start` and `end` a column edge belongs when no gutter is clear (a cell's
    text overflows into its neighbour): at the left edge that most runs of text start from, and
    that cuts the fewest glyphs; never through a code or a number."""
    slack = TOL.box_slack_pt
    inside = _within(sorted((x0 + slack, x1 - slack) for line in body.lines for x0, x1 in _unbroken_spans(line)))
    starts = body.starts
    candidates = sorted({e for g in body.glyphs for e in (g.x0, g.x1) if start < e < end})
    allowed = [p for p in candidates if not inside(p)]
    if not allowed:
        return None

    # A glyph is crossed at p when x0 + slack < p < x1 - slack; only glyphs wider than twice the
    # slack can be, and for those the count is (inner lefts before p) - (inner rights up to p).
    wide = [g for g in body.glyphs if g.x1 - g.x0 > 2 * slack]
    inner_lefts = sorted(g.x0 + slack for g in wide)
    inner_rights = sorted(g.x1 - slack for g in wide)

    def cost(p: float) -> tuple[float, float]:
        crossed = bisect_left(inner_lefts, p) - bisect_right(inner_rights, p)
        aligned = sum(abs(x - p) <= slack for x in starts)
        return 2 * crossed - aligned, abs(p - (start + end) / 2)

    return min(allowed, key=cost)


def _nearest(positions: list[float], target: float) -> float:
    return min(positions, key=lambda p: abs(p - target))


def _gutter(
    left: tuple[float, float],
    right: tuple[float, float],
    body: BodyText,
    right_role: Role,
    gaps: list[tuple[float, float]],
    aligned: float | None,
) -> tuple[float, float] | None:
    """The white space between the two columns' body text, between their labels' centres.

    The text between the centres falls into blocks at the `gaps` that may be gutters (see
    may_be_gutter); each block belongs to the label it lies nearer (blocks across a centre to
    that label's column). The gutter runs from the last block of the left column to the first of
    the right one; None when one block spans both centres. `aligned` is where the right column's
    cells start level, if they do (see _aligned_start).
    """
    lc, rc = sum(left) / 2, sum(right) / 2
    if not gaps:
        return None
    edges = [lc, *(e for gap in gaps for e in gap), rc]
    blocks = [(a, b) for a, b in zip(edges[::2], edges[1::2]) if b > a]

    def on_left(block: tuple[float, float]) -> bool:
        if block[0] <= lc:
            return True
        if block[1] >= rc:
            return False
        after = block[0] - max((b[1] for b in blocks if b[1] <= block[0]), default=lc)
        if aligned is not None and _runs_on_before(block, after, aligned, body):
            return True
        if _opens_with_own_code(block, body, right_role):
            return False
        to_left, to_right = block[0] - left[1], right[0] - block[1]
        glued = after <= TOL.word_space_em * body.size
        if glued or abs(to_left - to_right) > body.size:
            return to_left < to_right
        # Standing apart, as near one label as the other: the nearer label's middle decides (a
        # label centred over a wide column of short left-aligned cells).
        return sum(block) / 2 - lc < rc - sum(block) / 2

    sides = [on_left(b) for b in blocks]
    lefts = [b for b, left_side in zip(blocks, sides) if left_side]
    rights = [b for b, left_side in zip(blocks, sides) if not left_side]
    start = max((b[1] for b in lefts), default=lc)
    end = min((b[0] for b in rights if b[0] >= start), default=rc)
    return (start, end) if end > start else None


def _aligned_start(starts: list[float], lc: float, rc: float, least: int = TOL.aligned_lines) -> float | None:
    """Where the right column's cells start level, if they do (a left-aligned column): the x
    between the labels' centres at which the most lines have a run of text begin, when at least
    `least` do (three, unless said)."""
    slack = TOL.box_slack_pt
    starts = starts[bisect_right(starts, lc) : bisect_left(starts, rc)]
    best, count = None, 0
    for i, x in enumerate(starts):
        level = bisect_right(starts, x + slack) - i
        if level > count:
            best, count = x, level
    return best if count >= least else None


def _runs_on_before(block: tuple[float, float], after: float, aligned: float, body: BodyText) -> bool:
    """True when `block` is the end of the left column's text run on towards the right column:
    close after the text before it (`after` apart), wholly before the x where the right
    column's cells start level, on a line where such a cell starts half an em or more after it.
    A cell of a column whose cells start level never starts before that x: the block is not
    one ('…之演習 (演練、' then '13場' on one line)."""
    size = body.size
    if after > TOL.run_gap_em * size or aligned - block[1] < TOL.split_number_em * size:
        return False
    slack = TOL.box_slack_pt
    for line in body.lines:
        inside = any(block[0] - slack <= g.x0 and g.x1 <= block[1] + slack for g in line.glyphs)
        if inside and any(abs(g.x0 - aligned) <= slack for g in line.glyphs):
            return True
    return False


def _unit_after_number(block: tuple[float, float], body: BodyText, rc: float) -> bool:
    """True when, on every line with text in `block`, that text is a unit (a few letters, no
    digit: '元', '人次') set right after a number, and the right column's cells start level after
    it (on two lines at least, up to `rc`), or on each such line the text after the unit stands
    further from it than the unit from its number (one row under a repeated header): a unit ends
    its value ('1,272,941 元'), never begins the next column's cell, however near that cell's
    text stands."""
    aligned = _aligned_start(body.starts, block[1], rc, least=2) is not None
    slack = TOL.box_slack_pt
    found = False
    for line in body.lines:
        inside = [g for g in line.glyphs if block[0] - slack <= g.x0 and g.x1 <= block[1] + slack]
        if not inside:
            continue
        before = [g for g in line.glyphs if g.x1 <= block[0] + slack]
        text = glyph_text(inside)
        if len(text) > TOL.unit_chars or any(ch.isdigit() for ch in text) or not before:
            return False
        gap = inside[0].x0 - before[-1].x1
        if not before[-1].text.isdigit() or gap > TOL.run_gap_em * inside[0].size:
            return False
        after = [g for g in line.glyphs if g.x0 >= block[1] - slack]
        if not aligned and (not after or after[0].x0 - inside[-1].x1 <= gap):
            return False
        found = True
    return found


def _opens_with_own_code(block: tuple[float, float], body: BodyText, right: Role) -> bool:
    """True when a line's text in `block` begins with a code of the depth the right column's
    cells begin with ('CF1.2' for the KPI column, 'CF1.2.1' for plans): only that column's
    cells do, whichever label the block lies nearer."""
    depth = CODE_DEPTH_OF.get(right)
    if depth is None:
        return False
    slack = TOL.box_slack_pt
    for line in body.lines:
        inside = [g for g in line.glyphs if block[0] - slack <= g.x0 and g.x1 <= block[1] + slack]
        if inside and abs(inside[0].x0 - block[0]) <= slack:
            match = CODE_PATTERN.match(glyph_text(inside))
            if match and code_depth(match.group(0)) == depth:
                return True
    return False


def _boundary(
    left: tuple[float, float],
    right: tuple[float, float],
    vrules: list[Rule],
    body: BodyText,
    header: tuple[float, float],
    right_role: Role,
    before: float | None = None,
    header_corners: tuple[float, ...] = (),
) -> float:
    """Where the column headed at `left` ends and the one headed at `right` begins (see module
    docstring); `header` is the header band's top and bottom (the body's top), `header_corners`
    where horizontal rules in it show a header cell's edge (see header_corners). `before` is the
    edge the table had on the page before, kept on a page continuing it wherever this page's text
    leaves it clear (a few rows tell less of where the columns are than the page before did)."""
    lc, rc = sum(left) / 2, sum(right) / 2
    mid = (lc + rc) / 2
    header_top, body_top = header
    between = [r for r in vrules if lc < r.pos < rc]
    into_body = [
        r.pos
        for r in between
        if r.end > body_top + TOL.vrule_reach_pt
        and r.start < body_top + TOL.vrule_start_pt
        and r.end - r.start > TOL.vrule_reach_pt  # no stub of a drawing (a watermark's stroke)
    ]
    if into_body:
        return _nearest(into_body, mid)
    aligned = _aligned_start(body.starts, lc, rc)
    free = free_gaps(body.spans, lc, rc)
    gaps = [
        gap
        for gap in free
        if may_be_gutter(gap, body, right_role) or opens_aligned_values(gap, body, right_role, aligned)
    ]
    kept = _kept_edge(before, gaps, body.size) if before is not None and lc < before < rc else None
    if kept is not None and not _cuts_off_unit(kept, gaps, body, rc):
        return kept
    slack = TOL.box_slack_pt
    borders = [r.pos for r in between if r.start < body_top - slack and r.end > header_top + slack]
    corners = [x for x in header_corners if lc < x < rc]
    # A header cell's border in a gutter of the body text: the tool drew the header over its
    # columns. Where rules drawn cell by cell meet, in any white space, whatever the text either
    # side of it looks like ('20' / '6件': a weight, a value); a fill's edge only in a gutter
    # (a header label's own background may end between a code and its name).
    white = [gap for gap in free if gap[1] - gap[0] >= TOL.min_gutter_em * body.size]
    clear = [p for p in borders if _in_a_gap(p, gaps)] + [p for p in corners if _in_a_gap(p, white)]
    clear = clear or [p for p in corners if _crossed_by_numbers_only(p, body)]
    if clear:
        return _nearest(clear, mid)
    gutter = _gutter(left, right, body, right_role, gaps, aligned)
    if gutter is None:
        return _nearest(borders, mid) if borders else _least_crossed(body, lc, rc) or mid
    return _before_runs_under(sum(gutter) / 2, left, right, body)


def _before_runs_under(x: float, left: tuple[float, float], right: tuple[float, float], body: BodyText) -> float:
    """`x`, or, when runs of body text under the `right` label, clear of the `left` one, begin left
    of `x`, the white space right before them: such a run is the right column's, a value set flush
    left in a cell whose label is centred and narrower than the cell, the gutter before it too
    narrow to tell (R's gridExtra: '5,538件' 0.8 pt after a plan's line, under '108年實際值'
    from its third letter on)."""
    if bisect_right(body.starts, left[1]) >= bisect_left(body.starts, x):
        return x  # no text begins between them (most edges): no run to look at
    runs = [run for line in body.lines for run in split_runs(line)]
    starts = [run.x0 for run in runs if left[1] < run.x0 < x and run.x1 > right[0]]
    if not starts:
        return x
    start = min(starts)
    before = [
        gap for gap in free_gaps(body.spans, left[1], start + TOL.rounding_pt) if abs(gap[1] - start) <= TOL.rounding_pt
    ]
    return sum(before[-1]) / 2 if before else x


def _crossed_by_numbers_only(x: float, body: BodyText) -> bool:
    """True when the only text across `x` is numbers that end past it, most of each before it: a
    value wider than its cell, run on over a header cell's edge into the next column (upLaTeX
    sets a tabular's figures unbroken). Such a number is its cell's, all of it (see
    borders.numbers_over_borders); text of any other kind across the edge is not. A number is read
    within a run of text: digits a gutter apart are two cells' ('DP1.1.1' and '10場')."""
    slack = TOL.box_slack_pt
    crossed = [g for g in body.glyphs if g.x0 + slack < x < g.x1 - slack]
    if not crossed:
        return False
    for run in (run for line in body.lines for run in split_runs(line, TOL.word_space_em)):
        glyphs = [g for g in run.glyphs if not g.text.isspace()]
        text, owners = _letters(glyphs)
        for m in _NUMBER.finditer(text):
            x0, x1 = owners[m.start()].x0, owners[m.end() - 1].x1
            if x0 < x < x1 and x - x0 > x1 - x:
                crossed = [g for g in crossed if not x0 <= g.cx <= x1 or g not in glyphs]
    return not crossed


def header_corners(hrules: list[Rule], header: tuple[float, float], size: float) -> tuple[float, ...]:
    """Where the drawn horizontal rules of a header band show the edges of its cells: the joints
    of a rule drawn cell by cell (see Rule.joints), from the header's top rule (up to an em above
    its text) to the body's; and the ends of a rule inside the band, under a label set over
    several columns ('實際值' over its years). A rule above the header may be a title's underline,
    whose end marks nothing, and a fill's edge may end where a label's background does."""
    top, bottom = header
    slack = TOL.box_slack_pt
    drawn = [r for r in hrules if not r.fill]  # a fill may be a label's own background
    corners = [j for r in drawn if top - size <= r.pos <= bottom + slack for j in r.joints]
    corners += [x for r in drawn if top + slack < r.pos < bottom - slack for x in (r.start, r.end)]
    return tuple(sorted(set(corners)))


def _cuts_off_unit(x: float, gaps: list[tuple[float, float]], body: BodyText, rc: float) -> bool:
    """True when an edge at `x` would cut a unit off the number before it (see _unit_after_number):
    the text between the gap holding `x` and the next gap is such a unit."""
    ends = [g[1] for g in gaps if g[0] - TOL.box_slack_pt <= x <= g[1] + TOL.box_slack_pt]
    if not ends:
        return False
    start = ends[0]
    end = min((g[0] for g in gaps if g[0] > start), default=rc)
    return _unit_after_number((start, end), body, rc)


def _kept_edge(before: float, gaps: list[tuple[float, float]], em: float) -> float | None:
    """The edge the table had on the page before, where this page's text leaves it clear; or the
    middle of the gutter nearest it, within an em, where a wider cell on this page runs past it
    (a value wrapped at another digit: '≧1,289,91' reaching 7 pt further right than any value
    above the page break); None when no gutter lies so near."""
    if _in_a_gap(before, gaps):
        return before
    distance, gap = min(((min(abs(a - before), abs(b - before)), (a, b)) for a, b in gaps), default=(inf, None))
    return sum(gap) / 2 if gap is not None and distance <= em else None


def _in_a_gap(x: float, gaps: list[tuple[float, float]]) -> bool:
    """True when `x` lies in one of `gaps` (to within glyph-box slack)."""
    slack = TOL.box_slack_pt
    return any(gap[0] - slack <= x <= gap[1] + slack for gap in gaps)


def _grid_edges(vrules: list[Rule], body: BodyText, body_top: float, count: int) -> list[float] | None:
    """The inner edges of a continued table drawn as a grid of `count` columns: the vertical rules
    running down into its body from its top, in order, when there are as many cells between
    them as the table has columns, with its outer border (no text beyond the outer rules) or
    without (text beyond both). A tool that lays each page out afresh (Paged.js, jsPDF-autotable)
    draws a table's continuation with other widths than its first page's, so the columns the
    header placed there need not even overlap their cells here. The edges of fills count: a tool
    that fills every cell on its own (autotable, grey or white) draws its grid that way. The rules
    run down from the top of the body's text: a full-width 構面 band row over it has none."""
    if not body.glyphs:
        return None
    top = max(body_top, min(g.top for g in body.glyphs))
    drawn = sorted(r.pos for r in vrules if r.start < top + TOL.vrule_start_pt and r.end > top + TOL.vrule_reach_pt)
    positions: list[float] = []
    for pos in drawn:
        if not positions or pos - positions[-1] > TOL.collinear_pt:
            positions.append(pos)
    if len(positions) < 2:
        return None
    left, right = min(g.x0 for g in body.glyphs), max(g.x1 for g in body.glyphs)
    bordered = left >= positions[0] - TOL.box_slack_pt and right <= positions[-1] + TOL.box_slack_pt
    if bordered and len(positions) == count + 1:
        return positions[1:-1]
    if left < positions[0] and right > positions[-1] and len(positions) == count - 1:
        return positions
    return None


def _rules_inside(vrules: list[Rule], body: BodyText) -> bool:
    """True when a vertical rule runs between the body text's outer ends, beside it (a frame round
    a table draws none there; a rule above or below the text is another table's)."""
    if not body.glyphs:
        return False
    left, right = min(g.x0 for g in body.glyphs), max(g.x1 for g in body.glyphs)
    top, bottom = min(g.top for g in body.glyphs), max(g.bottom for g in body.glyphs)
    return any(left < r.pos < right and r.start < bottom and r.end > top for r in vrules)


def _misfitted(inner: list[float], columns: list[Column], body: BodyText) -> bool:
    """True when the edges fitted to a page without a header cut its words, or leave a column
    from the KPI column on without text, not for a blank cell (see only_blank_cells): its tool laid
    the table out afresh, in other widths."""
    if cuts_a_word(inner, body.lines):
        return True
    return leaves_a_column_empty(inner, columns, body) and not only_blank_cells(inner, columns, body)


def _rule_span(head: tuple[float, float], x0: float, x1: float, page_width: float) -> tuple[float, float]:
    """The outer columns reach the page edges for holding text; rules need only cross the text."""
    return (x0 if x0 > 0 else head[0], x1 if x1 < page_width else head[1])


def place_columns(
    columns: list[Column],
    glyphs: list[Glyph],
    vrules: list[Rule],
    header: tuple[float, float],
    page_width: float,
    body_bottom: float = float("inf"),
    continued: bool = False,
    hrules: list[Rule] | None = None,
    headerless: bool = False,
) -> tuple[Column, ...]:
    """Set each column's x-range from its header text, the rules (`hrules` only to find header
    cells' edges: see header_corners), and the body text between the header band's bottom
    (`header` = top, bottom) and `body_bottom`.

    Also used to re-fit a table `continued` under a header seen before, or on a page without one
    (`headerless`, where a grid drawn with as many cells as the table has columns gives the
    edges: see _grid_edges): same columns, new text, and the edges the columns had where the text
    leaves them clear.
    """
    body = table_text(glyphs, columns, header[1], body_bottom)
    corners = header_corners(hrules or [], header, body.size)
    # The outer columns reach past the page's edges: text a table pushed off the page is its text.
    edges = [min([0.0, *(g.x0 for g in glyphs)])]
    grid = _grid_edges(vrules, body, header[1], len(columns)) if headerless else None
    if grid is not None and _misfitted(grid, columns, body):
        grid = None  # rules not the table's (a page's background and row fills making up the count)
    if grid is not None:
        edges += grid
    else:
        inner = [
            _boundary(left.head, right.head, vrules, body, header, right.role, left.x1 if continued else None, corners)
            for left, right in zip(columns, columns[1:])
        ]
        if headerless and not _rules_inside(vrules, body) and _misfitted(inner, columns, body):
            inner = block_edges(columns, body, inner) or inner
        edges += inner
    edges.append(max([page_width, *(g.x1 for g in glyphs)]))
    return tuple(
        Column(c.role, x0, x1, c.year, _rule_span(c.head, x0, x1, page_width), c.head)
        for c, x0, x1 in zip(columns, edges, edges[1:])
    )
