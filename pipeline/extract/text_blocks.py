"""Columns of a continued table told by its own blocks of text: for a page without a header or
rules whose tool laid the table out afresh (jsPDF-autotable sizes each call's columns to its own
rows), where the edges fitted from the page before cut this page's words.

A block is a stretch of the page's width that the table's text covers, a gutter apart from the
next. From the block of the KPI codes on, each column holds one block when there are as many
blocks as columns: then the gutters between them are the edges. Any other count leaves the fitted
edges as they were (and the word they cut holds the deck back: see table_findings)."""

from __future__ import annotations

from pipeline.clean.codes import CODE_PATTERN, code_depth
from pipeline.clean.text import is_ideograph
from pipeline.extract.geometry import Line, group_lines
from pipeline.extract.gutters import CODE_DEPTH_OF, BodyText, free_gaps
from pipeline.extract.layout import Column, Role
from pipeline.extract.tolerances import TOL


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
    the KPI codes' block on are not one to each column from the KPI column on. Edges left of the
    KPI column stay as `fitted` (the inner edges found otherwise), kept clear of the KPI block."""
    kpi = next((n for n, c in enumerate(columns) if c.role is Role.KPI), None)
    if kpi is None or not body.glyphs:
        return None
    left, right = min(g.x0 for g in body.glyphs), max(g.x1 for g in body.glyphs)
    gaps = [gap for gap in free_gaps(body.spans, left, right) if gap[1] - gap[0] >= TOL.gutter_em * body.size]
    starts = [left, *(gap[1] for gap in gaps)]
    ends = [*(gap[0] for gap in gaps), right]
    anchor = next((n for n, (x0, x1) in enumerate(zip(starts, ends)) if _opens_with_kpi_code(body, x0, x1)), None)
    if anchor is None or len(starts) - anchor != len(columns) - kpi:
        return None
    edges = [(end + start) / 2 for end, start in zip(ends[anchor:], starts[anchor + 1 :])]
    if not kpi:
        return edges
    before_kpi = (ends[anchor - 1] + starts[anchor]) / 2 if anchor else min(fitted[kpi - 1], starts[anchor])
    kept, bound = [], before_kpi
    for edge in reversed(fitted[: kpi - 1]):
        bound = min(edge, bound)
        kept.insert(0, bound)
    return [*kept, before_kpi, *edges]


def _opens_with_kpi_code(body: BodyText, x0: float, x1: float) -> bool:
    """True when a line of the text between `x0` and `x1` begins with a KPI's code."""
    inside = [g for g in body.glyphs if x0 <= g.cx <= x1]
    for line in group_lines(inside):
        match = CODE_PATTERN.match(line.text.strip())
        if match and code_depth(match.group(0)) == CODE_DEPTH_OF[Role.KPI]:
            return True
    return False
