"""Nets under the columns that are not read (備註, 權重, 衡量方式): a column edge misplaced into a
read cell puts the cell's end there, where it is dropped without a word; and under drawn cell
borders that a run of text crosses. Each net names the text that gives the misplacement away;
the page's reading reports it as an ERROR (unread_text)."""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.clean.codes import CODE_PATTERN, split_code
from pipeline.clean.text import is_ideograph
from pipeline.extract.borders import (
    border_crossings,
    close_pairs,
    drawn_close,
    numbers_over_borders,
    parted_by_a_rule,
    set_end,
    tails_over_borders,
    values_meeting,
)
from pipeline.extract.geometry import Glyph, Line, group_lines
from pipeline.extract.labels import LABEL_LETTERS
from pipeline.extract.layout import Column, Role, TableLayout, cell_glyphs
from pipeline.extract.rules import Rule
from pipeline.extract.table import Row
from pipeline.extract.tolerances import TOL


def plan_codes_in_unread_columns(rows: list[Row], layout: TableLayout) -> tuple[str, ...]:
    """Lines of a column that is not read holding a plan code of their row's KPI ('BL1.1.2 資通'
    in 備註): a column edge cut the plans cell, and the plan it cut off would be lost, or its
    name glued to the plan before."""
    kpi = layout.column(Role.KPI)
    extras = [c for c in layout.columns if c.role is Role.EXTRA]
    found = []
    for row in rows:
        kpi_lines = row.cells.get(kpi, []) if kpi is not None else []
        code = split_code(kpi_lines[0])[0] if kpi_lines else None
        if not code:
            continue
        for column in extras:
            found += [
                line
                for line in row.cells.get(column, [])
                if any(m.group(0).startswith(code + ".") for m in CODE_PATTERN.finditer(line))
            ]
    return tuple(found)


def runs_into_unread_columns(
    glyphs: list[Glyph],
    layout: TableLayout,
    top: float,
    bottom: float,
    placed: Mapping[int, Column] | None = None,
    vrules: list[Rule] | None = None,
) -> tuple[str, ...]:
    """Pairs of ideographs between `top` and `bottom` drawn one right after the other on one line,
    set closer than a word space, one in a read column and the other in one that is not: a word
    ('滿意|度') that a column edge cuts, so that its end would be dropped with the column that is
    not read. A 構面 label's letters are left out (a band row's label runs across the columns),
    and so are brackets and digits (a full-width '）' fills half its box: '（季）' then '92%' in the
    next cell stand apart, though their boxes touch). A letter no text begins with ('%', a closing
    bracket, a comma) is a run's end whatever comes before it: '…×100|%' of a 衡量方式 cell run
    past its edge would end a value cell's note ('公式調整不適用%'), a value's '95|%' would lose its
    unit. A glyph a read column's cell took from where it stands (`placed`, by id: a number set
    wider than its cell, over its border, is its cell's whole) counts as that column's. Two
    glyphs a drawn rule (of `vrules`) parts are two cells' (see borders.parted_by_a_rule), and so
    are two a border the header draws parts, clear of both boxes: the body may draw its rules
    across only (SpreadJS prints a KPI name filling its cell 1.7 pt short of the header's edge,
    the next cell's text 0.8 pt past it)."""
    if not any(c.role is Role.EXTRA for c in layout.columns):
        return ()
    placed = placed or {}
    headed = _header_cell_edges(layout, vrules or [])
    found = []
    for a, b in drawn_close(glyphs, top, bottom, loose=TOL.rounding_pt):
        left, right = placed.get(id(a)) or layout.column_at(a), placed.get(id(b)) or layout.column_at(b)
        if left is None or right is None or left is right or (left.role is Role.EXTRA) == (right.role is Role.EXTRA):
            continue
        if parted_by_a_rule(a, b, vrules or []) or any(set_end(a) < edge < b.x0 for edge in headed):
            continue
        words = is_ideograph(a.text) and is_ideograph(b.text) and not {a.text, b.text} <= LABEL_LETTERS
        if words or b.text in _NO_TEXT_BEGINS_WITH:
            found.append(f"{a.text}|{b.text}")
    return tuple(found)


def _header_cell_edges(layout: TableLayout, vrules: list[Rule]) -> list[float]:
    """Where rules or fills' edges end in the header band, running into no row: the borders of
    the header's cells, drawn over the columns below (its fills may start above the labels)."""
    slack = TOL.box_slack_pt
    return [r.pos for r in vrules if layout.header_top - slack <= r.end <= layout.body_top + slack]


_NO_TEXT_BEGINS_WITH = frozenset("%％)）]］、，,。：:；;")


def runs_across_borders(
    glyphs: list[Glyph], layout: TableLayout, vrules: list[Rule], top: float, bottom: float
) -> tuple[str, ...]:
    """Runs of text set across a drawn cell border (see borders.border_crossings), whose letters
    would go to two cells by where they stand: like a word cut by the edge of a column that is
    not read, such text cannot be read whole. A number overflowing its value cell is read whole
    there, with its unit (see borders.numbers_over_borders), and so is a line's short tail run on
    past its text cell's border (see borders.tails_over_borders): neither is such a run. A
    re-print set a value's unit '元' across a border the header draws, glued to the next cell's
    note: that is one."""
    pairs = close_pairs(glyphs, top, bottom)  # each step below looks at them: found once
    crossings = border_crossings(glyphs, layout, vrules, top, bottom, pairs)
    if not crossings:
        return ()
    moved = numbers_over_borders(glyphs, layout, vrules, top, bottom, crossings, pairs)
    unmoved = [(a, b) for a, b in crossings if id(a) not in moved and id(b) not in moved]
    moved |= tails_over_borders(unmoved, glyphs, layout, top, bottom, pairs)
    meeting = {id(b) for _, b in values_meeting(crossings, glyphs, layout, top, bottom)}
    return tuple(
        f"{a.text}|{b.text}" for a, b in crossings if not {id(a), id(b)} & moved.keys() and id(b) not in meeting
    )


def runs_across_fitted_edges(
    glyphs: list[Glyph], layout: TableLayout, top: float, bottom: float, vrules: list[Rule] | None = None
) -> tuple[str, ...]:
    """Pairs of ideographs between `top` and `bottom` drawn one right after the other on one line,
    set closer than a word space, in two columns: a word cut by a column edge. Asked of a table
    continued under no header, whose edges are the page before's fitted to this page's text: a
    tool that lays a continued table out afresh may draw every column narrower, so that each
    cell's text stands under the column before's place ('高雄市區|民活動中心…', a plans line cut
    by the edge of the target column, whose values all read one year early). A 構面 label's
    letters are left out: a band row's label runs across the columns. So are two glyphs a drawn
    rule (of `vrules`) parts: two cells' text (see borders.parted_by_a_rule)."""
    found = []
    for a, b in drawn_close(glyphs, top, bottom):
        left, right = layout.column_at(a), layout.column_at(b)
        if left is None or right is None or left is right or parted_by_a_rule(a, b, vrules or []):
            continue
        if is_ideograph(a.text) and is_ideograph(b.text) and not {a.text, b.text} <= LABEL_LETTERS:
            found.append(f"{a.text}|{b.text}")
    return tuple(found)


def runs_across_cells(
    glyphs: list[Glyph],
    layout: TableLayout,
    top: float,
    bottom: float,
    placed: Mapping[int, Column],
    vrules: list[Rule] | None = None,
) -> tuple[str, ...]:
    """Pairs of ideographs between `top` and `bottom` drawn one right after the other on one line,
    set closer than a word space, the first in a text column's cell and the second in another
    read column's, where the text drawn next, on a line below, is back in the first cell: a line
    of a cell run on out of it into the next cell, whose own text it runs into. pdfjs does not
    break a line after a space: an objective's '提高機關人員社交|工程網路' runs on into the KPI
    cell, then '攻擊警覺性' goes on in the objective's; ConTeXt sets an objective's first line past
    its cell's side and over the row's top rule, its '員' in the KPI cell of the row above. Such
    text cannot be read whole. Two cells' texts set edge to edge (a spreadsheet without padding)
    go on in the second cell or beyond. Each glyph counts in the cell that took it (`placed`,
    by id, after the moves that give text run on past its cell back to it), a 構面 or 策略目標
    glyph in the column it stands in; one of the two is a row cell's. A 構面 label's letters are
    left out (a band row's label runs across the columns), and so are two glyphs a drawn rule (of
    `vrules`) parts (see borders.parted_by_a_rule)."""
    by_seq = {g.seq: g for g in glyphs if g.seq >= 0}

    def column_of(g: Glyph) -> Column | None:
        return placed.get(id(g)) or layout.column_at(g)

    def next_line_in(column: Column, b: Glyph) -> bool:
        g = by_seq.get(b.seq + 1)
        while g is not None and abs(g.cy - b.cy) < TOL.same_line_em * g.size:
            g = by_seq.get(g.seq + 1)
        return g is not None and g.cy > b.cy and column_of(g) is column

    found = []
    for a, b in drawn_close(glyphs, top, bottom):
        if not (is_ideograph(a.text) and is_ideograph(b.text)) or {a.text, b.text} <= LABEL_LETTERS:
            continue
        left, right = column_of(a), column_of(b)
        if left is None or right is None or left is right or left.role not in _TEXT_ROLES:
            continue
        if right.role is Role.EXTRA or not (id(a) in placed or id(b) in placed):
            continue
        if next_line_in(left, b) and not parted_by_a_rule(a, b, vrules or []):
            found.append(f"{a.text}|{b.text}")
    return tuple(found)


_TEXT_ROLES = frozenset({Role.PERSPECTIVE, Role.OBJECTIVE, Role.KPI, Role.PLANS})


def set_apart_before_unread_columns(
    glyphs: list[Glyph], layout: TableLayout, top: float, bottom: float
) -> tuple[str, ...]:
    """Runs of text between `top` and `bottom` set a gutter apart from the text before them on
    their line, at the right end of a read column whose right neighbour is not read: a cell of
    that column (a note '新增' in 備註, left-aligned close to its left edge under a label centred
    further right) read into this one, whose edge was put past it. A cell holds no gutter-wide
    hole in a line, so the misplaced edge gives itself away where the two cells' text stand apart;
    where they touch, by the order they were drawn in: the cell went on below before the note
    was drawn against its line (R's gridExtra sets a plan past its cell, '…中低收入戶' right
    against the weight '5%', drawn after the plan's next line) (see _drawn_after_lines_below)."""
    found = []
    columns = sorted(layout.columns, key=lambda c: c.x0)
    for column, after in zip(columns, columns[1:]):
        if column.role is Role.EXTRA or after.role is not Role.EXTRA:
            continue
        inside = [g for g in cell_glyphs(glyphs, column, top, bottom, upright_only=True) if not g.text.isspace()]
        for line in group_lines(inside):
            size = max(g.size for g in line.glyphs)
            if column.x1 - line.glyphs[-1].x1 > size:
                continue  # the line ends short of the column's edge
            for i, (a, b) in enumerate(zip(line.glyphs, line.glyphs[1:]), 1):
                if b.x0 - a.x1 >= TOL.gutter_em * size or _drawn_after_lines_below(a, b, line, inside):
                    found.append("".join(g.text for g in line.glyphs[i:]))
                    break
    return tuple(found)


def _drawn_after_lines_below(a: Glyph, b: Glyph, line: Line, cell: list[Glyph]) -> bool:
    """True when text of `cell` on a line below `line` was drawn after `a` and before `b`, the
    glyph next to it on `line`: `b` was drawn against the line once its cell had gone on below."""
    if a.seq < 0 or b.seq <= a.seq + 1:
        return False
    return any(a.seq < g.seq < b.seq and g.top >= line.bottom - TOL.box_slack_pt for g in cell)
