"""Columns of a continued table told by its own blocks of text: for a page without a header or
rules whose tool laid the table out afresh (jsPDF-autotable sizes each call's columns to its own
rows), where the edges fitted from the page before cut this page's words.

A block is a stretch of the page's width that the table's text covers, a gutter apart from the
next. From the block of the KPI codes on, each column holds one block when there are as many
blocks as columns: then the gutters between them are the edges. Any other count leaves the fitted
edges as they were (and the word they cut holds the deck back: see table_findings)."""

from __future__ import annotations

from pipeline.clean.codes import CODE_PATTERN, code_depth, is_code
from pipeline.clean.text import is_ideograph
from pipeline.extract.geometry import Line, glyph_text, split_runs
from pipeline.extract.gutters import CODE_DEPTH_OF, BodyText, free_gaps
from pipeline.extract.layout import Column, Role
from pipeline.extract.tolerances import TOL

_VALUE_ROLES = (Role.ACTUAL, Role.TARGET, Role.EXTRA)  # columns whose cells may be left blank


def cuts_a_word(edges: list[float], lines: list[Line]) -> bool:
    """True when an edge passes between two ideographs of a line set closer than a word space."""
    for line in lines:
        for a, b in zip(line.glyphs, line.glyphs[1:]):
            close = b.x0 - a.x1 <= TOL.word_space_em * max(a.size, b.size)
            if close and is_ideograph(a.text) and is_ideograph(b.text) and any(a.cx < e < b.cx for e in edges):
                return True
    return False


def block_edges(columns: list[Column], body: BodyText, fitted: list[float]) -> list[float] | None:
    """The inner edges of `columns` from the body's blocks of text, or None when the blocks from
    the KPI codes' block on are not one to each column from the KPI column on. Blocks are told
    apart by gutters, or, when that leaves too few, by any white space a word space wide running
    down the body (Paged.js sets a lone row's cells 0.7 em apart). Edges left of the KPI column
    come from the blocks before it when there is one to each column there too (the fragment's
    label and objective cells laid out afresh as well), else stay as `fitted` (the inner edges
    found otherwise), kept clear of the KPI block. The KPI codes begin a block of their own even
    when the text before them stands closer than a gutter (an objective cell's line ending a
    word space before them)."""
    kpi = _kpi_column(columns)
    codes = _kpi_code_starts(body)
    if kpi is None or not codes:
        return None
    for gutter_em in (TOL.gutter_em, TOL.word_space_em):
        starts, ends, anchor = _blocks(body, codes[0], gutter_em)
        if len(starts) - anchor == len(columns) - kpi and (
            gutter_em == TOL.gutter_em or _cells_whole(body, starts[anchor:], ends[anchor:])
        ):
            break
    else:
        return None
    edges = [(end + start) / 2 for end, start in zip(ends[anchor:], starts[anchor + 1 :])]
    if not kpi:
        return edges
    if anchor == kpi:
        return [(end + start) / 2 for end, start in zip(ends, starts[1:])]
    before_kpi = (ends[anchor - 1] + starts[anchor]) / 2 if anchor else min(fitted[kpi - 1], starts[anchor])
    kept, bound = [], before_kpi
    for edge in reversed(fitted[: kpi - 1]):
        bound = min(edge, bound)
        kept.insert(0, bound)
    return [*kept, before_kpi, *edges]


def _blocks(body: BodyText, first_code: float, gutter_em: float) -> tuple[list[float], list[float], int]:
    """Where the body's blocks of text start and end, apart by white space `gutter_em` wide down
    its whole height, and the place of the block the KPI codes (the first at `first_code`) begin."""
    left, right = min(g.x0 for g in body.glyphs), max(g.x1 for g in body.glyphs)
    spaces = free_gaps(body.spans, left, right)
    gaps = [gap for gap in spaces if gap[1] - gap[0] >= gutter_em * body.size]
    starts = [left, *(gap[1] for gap in gaps)]
    ends = [*(gap[0] for gap in gaps), right]
    anchor = max(n for n, start in enumerate(starts) if start <= first_code + TOL.rounding_pt)
    if starts[anchor] < first_code - TOL.box_slack_pt and (space := _space_before(first_code, spaces, body.size)):
        starts.insert(anchor + 1, space[1])  # the codes' block opens a word space into this one
        ends.insert(anchor, space[0])
        anchor += 1
    return starts, ends, anchor


def _cells_whole(body: BodyText, starts: list[float], ends: list[float]) -> bool:
    """False when blocks told apart by word spaces cut what one cell prints a space apart: a
    code from its name ('BF1.2 場地租借收入', a blank cell beside making the count come right), a
    number from its unit or its bracketed note ('35 %', '4,912 (調整計算方式)')."""
    blocks = [
        [text for line in body.lines if (text := glyph_text(g for g in line.glyphs if x0 <= g.cx <= x1).strip())]
        for x0, x1 in zip(starts, ends)
    ]
    if _code_cut_from_its_name(body, starts, ends):
        return False
    for n, lines in enumerate(blocks):
        if not lines or all(is_code(text) for text in lines):
            return False
        after_a_number = n > 0 and any(text[-1].isdigit() for text in blocks[n - 1])
        unit_only = all(len(text) <= 2 and not any(ch.isdigit() for ch in text) for text in lines)
        if lines[0][0] in "(（" or (after_a_number and unit_only):
            return False
    return True


def _code_cut_from_its_name(body: BodyText, starts: list[float], ends: list[float]) -> bool:
    """True when the codes' block (the first) holds a line's code alone and the next block goes
    on with ideographs on that line: the code and its name, one cell a word space apart, its
    name's wrapped lines under the code keeping the block from holding codes only."""
    for line in body.lines:
        texts = [glyph_text(g for g in line.glyphs if x0 <= g.cx <= x1).strip() for x0, x1 in zip(starts, ends)]
        if len(texts) > 1 and is_code(texts[0]) and texts[1] and is_ideograph(texts[1][0]):
            return True
    return False


def only_blank_cells(edges: list[float], columns: list[Column], body: BodyText) -> bool:
    """True when, cut at `edges` (the inner ones), the columns from the KPI column on left without
    text are value columns and every other holds its text in one block, no gutter inside: blank
    cells (a lone row carried to a page of its own, its 112 actual blank), not a table laid out
    afresh, whose empty column's text a neighbour would hold."""
    kpi = _kpi_column(columns)
    if kpi is None:
        return False
    bounds = [float("-inf"), *edges, float("inf")]
    gutter = TOL.gutter_em * body.size
    for column, (x0, x1) in list(zip(columns, zip(bounds, bounds[1:])))[kpi:]:
        inside = [g for g in body.glyphs if x0 <= g.cx < x1]
        if not inside and column.role not in _VALUE_ROLES:
            return False
        if inside:
            left, right = min(g.x0 for g in inside), max(g.x1 for g in inside)
            if any(b - a >= gutter for a, b in free_gaps(body.spans, left, right)):
                return False
    return True


def leaves_a_column_empty(edges: list[float], columns: list[Column], body: BodyText) -> bool:
    """True when, cut at `edges` (the inner ones), a column from the KPI column on holds no text
    of the body: on a page laid out afresh, a sign the edges stand where its text does not."""
    kpi = _kpi_column(columns)
    if kpi is None:
        return False
    bounds = [float("-inf"), *edges, float("inf")]
    spans = list(zip(bounds, bounds[1:]))[kpi:]
    return any(not any(x0 <= g.cx < x1 for g in body.glyphs) for x0, x1 in spans)


def _kpi_column(columns: list[Column]) -> int | None:
    """The place of the KPI column among `columns`, if there is one."""
    return next((n for n, c in enumerate(columns) if c.role is Role.KPI), None)


def _space_before(x: float, spaces: list[tuple[float, float]], size: float) -> tuple[float, float] | None:
    """Of `spaces` (the white spaces running down the body's whole height), the one a word space
    wide at least (in `size` type) that ends where `x` begins: a KPI column's left edge, its
    codes' cell set close to the cell before."""
    wide = TOL.word_space_em * size
    return next((s for s in spaces if s[1] - s[0] >= wide and abs(s[1] - x) <= TOL.box_slack_pt), None)


def _kpi_code_starts(body: BodyText) -> list[float]:
    """Where the words of the body that open with a KPI's code begin, left to right."""
    starts = []
    for line in body.lines:
        for word in split_runs(line, TOL.word_space_em):
            match = CODE_PATTERN.match(word.text.strip())
            if match and code_depth(match.group(0)) == CODE_DEPTH_OF[Role.KPI]:
                starts.append(word.x0)
    return sorted(starts)
