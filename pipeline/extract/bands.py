"""Full-width 構面 band rows: where a table without a 構面 column names the perspective of the
rows under it ('顧客構面' across the table), whole on one line, wrapped in a narrow first cell, or
cut by a page break."""

from __future__ import annotations

from collections.abc import Callable
from math import inf
from operator import attrgetter

from pipeline.clean.codes import CODE_PATTERN, starts_with_code
from pipeline.clean.text import squash
from pipeline.extract.geometry import Line, split_runs
from pipeline.extract.labels import band_perspective, begins_perspective, perspective_ending, within_perspective
from pipeline.extract.layout import Role, TableLayout
from pipeline.extract.row_bounds import Band
from pipeline.extract.tolerances import TOL


def band_rows(lines: list[Line], layout: TableLayout) -> list[Band]:
    """Full-width perspective rows ('顧客構面') of tables that have no 構面 column, the one the
    header's band holds first (see TableLayout.opening_band)."""
    if layout.column(Role.PERSPECTIVE) is not None:
        return []
    found = []
    for line in [layout.opening_band, *lines] if layout.opening_band else lines:
        if any(line.glyphs[0] in band.line.glyphs for band in found):
            continue  # a wrapped band's second line
        if not band_perspective(line.text):
            line = _band_beside_spilled_plans(line, layout)
        if begins_perspective(line.text) and not line.text.endswith("面"):
            line = _wrapped_band(line, lines)  # '財務構' / '面', or a bare '內部流程' / '構面'
        name = band_perspective(line.text)
        if not name and not found and within_perspective(line.text):
            line, name = _band_tail(line, lines)
        if name and not (squash(line.text) == name and _amid_wrapped_lines(line, lines)):
            found.append(Band(line.top - TOL.band_pad_pt, line.bottom + TOL.band_pad_pt, name, line))
    return found


def _amid_wrapped_lines(line: Line, lines: list[Line]) -> bool:
    """True when `line` (a bare perspective name, '財務', or the run opening a line) is set at
    one pitch between two lines from its left edge that go on with a cell's text (neither opens
    a row, see _opens_a_row): an objective's name wrapped a couple of letters a line in a narrow
    cell ('健全' / '寺廟' / '財務' / '運作'), not a band row, which a table may set as tight as
    its lines, but between rows."""
    slack = TOL.box_slack_pt
    stacked = sorted((ln for ln in lines if abs(ln.x0 - line.x0) <= slack), key=attrgetter("top"))
    at = next((n for n, ln in enumerate(stacked) if abs(ln.top - line.top) <= slack), None)
    if at is None or at == 0 or at + 1 == len(stacked):
        return False
    above, below = stacked[at - 1], stacked[at + 1]
    pitch = line.top - above.top
    if pitch > TOL.header_wrap_em * line.size + line.size or abs(below.top - line.top - pitch) > slack:
        return False
    return not any(_opens_a_row(split_runs(ln)[0].text) for ln in (above, below))


def _opens_a_row(text: str) -> bool:
    """True when a line's first run is what a KPI row's first line or a band row starts with: a
    code, a row's number, or a perspective's name."""
    return starts_with_code(text) or text[:1].isdigit() or band_perspective(text) is not None


def _band_tail(line: Line, lines: list[Line]) -> tuple[Line, str | None]:
    """`line` with the lines right under it when together they read the end of one perspective's
    name, above all the table's rows, and that perspective: a band row set a letter a line and
    cut by a page break, its first letters at the foot of the page before (pandoc's '內' /
    '部' / '流' / '程' in a narrow first cell). Else `line` and None."""
    joined = _stacked(line, lines, within_perspective)
    first_row = min((ln.top for ln in lines if CODE_PATTERN.search(ln.text)), default=inf)
    name = perspective_ending(joined.text) if joined.bottom <= first_row else None
    return (joined, name) if name else (line, None)


def _band_beside_spilled_plans(line: Line, layout: TableLayout) -> Line:
    """The band row's name at the start of `line` when all else on the line is in the 行動方案
    column: the row above's plans running on past its foot, over the band row under it (Impress
    draws a cell's overflowing text on), not a KPI row's, which has a code and values. Else `line`."""
    first, *rest = split_runs(line)
    plans = layout.column(Role.PLANS)
    if not rest or plans is None or not band_perspective(first.text):
        return line
    spilled = all(plans.holds(g) for run in rest for g in run.glyphs)
    return first if spilled and layout.column_at(first.glyphs[0]) is not plans else line


def _wrapped_band(line: Line, lines: list[Line]) -> Line:
    """`line` with the lines right under it when together they read a band row's name ('財務構' /
    '面': a word processor wraps a 構面 name set at the top of a narrow first cell; Plotly sets
    '學' / '習' / '成' / '長' a letter a line in a narrow numbering cell), else `line`."""
    joined = _stacked(line, lines, begins_perspective)
    return joined if band_perspective(joined.text) else line


def _stacked(line: Line, lines: list[Line], reads_on: Callable[[str], bool]) -> Line:
    """`line` joined with the lines stacked right under it, each starting under it, for as long
    as the text joined so far `reads_on` (is still part of a band row's name)."""
    joined, last = line, line
    while True:
        below = [ln for ln in lines if 0 <= ln.top - last.bottom <= TOL.header_wrap_em * line.size]
        nearest = min(below, key=attrgetter("top"), default=None)
        if nearest is None or not (line.x0 - line.size <= nearest.x0 <= line.x1):
            return joined
        longer = Line(joined.glyphs + nearest.glyphs)
        if not reads_on(longer.text):
            return joined
        joined, last = longer, nearest
