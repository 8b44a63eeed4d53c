"""A cell's text run on past its row's lower border, in a table of rows of fixed height.

A tool that keeps a row's height whatever its cells hold (Spire.Doc) lets a value wrapped in a
narrow year column run on under the row's rule, atop the next row's cell: '2,' / '30' / '7人' /
'次' leaves '次' over that cell's own '新指標不適用'; the end of a note ('(整修' / '停租' / ')') and
of a plan ('…總清查實' / '施計畫', over the next row's uncoded plan) go there the same way. Such
lines stand above the row's KPI code (the row's own text starts there or lower) and follow the
cell above at the pitch of its own lines, and without them the cell starts level, or is centred
level, with the row's KPI cell, as it is not with them (a note centred on its row may start above
the code line and as near the cell above: it is centred with the KPI cell as it is): they go back
to the cell above. None of them holds a number (a value's) or opens with a code (a plan's, which
before_first_code and the plans' own moves place).

A tool that paints each row's background after the rows above (LibreOffice printing through a
PostScript driver) buries such a line under the next row's fill (Glyph.buried), painted after
it: so it is the cell above's wherever it stands, level with the row's code or not, as long as it
follows that cell's lines.
"""

from __future__ import annotations

from pipeline.clean.codes import starts_with_code
from pipeline.extract.geometry import Line
from pipeline.extract.layout import Column, Role
from pipeline.extract.tolerances import TOL

CellLines = dict[Column, list[Line]]  # a row's text lines, by column
_RUN_ON = (Role.ACTUAL, Role.TARGET, Role.PLANS)  # the columns whose cells may run on so


def give_back_run_on_lines(rows: list[CellLines], code_tops: list[float]) -> None:
    """Move each cell's lines run on from the cell above back to it (see the module's docstring),
    in place; `code_tops` are where the rows' KPI code lines start. A cell keeps at least one line
    of its own."""
    for above, row, own_top in zip(rows, rows[1:], code_tops[1:]):
        kpi = next((lines for column, lines in row.items() if column.role is Role.KPI and lines), None)
        for column, lines in row.items():
            if kpi is None or column.role not in _RUN_ON or not lines or not above.get(column):
                continue
            ran_on = _run_on_lines(above[column], lines, own_top)
            moved = ran_on and (_buried(lines[:ran_on]) or not _lined_up(lines, kpi))
            if 0 < ran_on < len(lines) and moved and _lined_up(lines[ran_on:], kpi):
                above[column] = above[column] + lines[:ran_on]
                row[column] = lines[ran_on:]


def _run_on_lines(above: list[Line], lines: list[Line], own_top: float) -> int:
    """How many of a cell's first `lines` go on from the cell `above` it."""
    count, last = 0, above[-1]
    pitch = above[-1].top - above[-2].top if len(above) > 1 else None
    for line in lines:
        opens = any(ch.isdigit() for ch in line.text) or starts_with_code(line.text)
        if opens or (line.bottom > own_top and not _buried([line])) or not follows(last, line, pitch):
            break
        count, last = count + 1, line
    return count


def _buried(lines: list[Line]) -> bool:
    """True when a fill painted after `lines` covers every letter of them."""
    return all(g.buried for line in lines for g in line.glyphs if not g.text.isspace())


def follows(last: Line, line: Line, pitch: float | None) -> bool:
    """True when `line` is the next line after `last` in one paragraph: at the pitch its lines
    keep (to within half a line: a bracket from another font is boxed higher or lower), or, with
    no pitch known, close under it."""
    if pitch is not None:
        return abs(line.top - last.top - pitch) <= TOL.overflow_gap_em * line.size
    return 0 <= line.top - last.bottom <= TOL.overflow_gap_em * line.size


def _lined_up(lines: list[Line], other: list[Line]) -> bool:
    """True when two cells' texts start level, or are centred level, with each other (cells set
    at the foot of their row end level with or without text run on atop them)."""
    top, bottom, other_top, other_bottom = lines[0].top, lines[-1].bottom, other[0].top, other[-1].bottom
    slack = TOL.same_line_em * lines[0].size
    return abs(top - other_top) <= slack or abs(top + bottom - other_top - other_bottom) / 2 <= slack
