"""Cut a table body into KPI rows and cells, whatever the table is drawn with.

Each KPI row starts with a KPI code in the KPI column (the row's anchor). Between two anchors the
row boundary is the rule drawn there (lines, rectangle borders, fill edges) or, in tables drawn
with text only, the widest empty horizontal band across the row-defining columns. 構面 and
策略目標 cells span several rows, so they are cut separately: by the rules that cross their own
column, else into text blocks, and each KPI row takes the block it overlaps.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from math import inf

from pipeline.clean.codes import (
    code_depth,
    objective_of,
    opens_a_wrapped_code,
    split_code,
    starts_with_code,
)
from pipeline.clean.values import parse_value
from pipeline.extract.bands import band_rows
from pipeline.extract.borders import close_pairs
from pipeline.extract.cell_moves import (
    lay_drawn_back_text_after,
    move_clipped_text_to_its_cells,
    move_comparators_to_their_numbers,
    move_hanging_plans,
    move_numbers_over_borders,
    move_to_home_columns,
    split_numbers,
)
from pipeline.extract.geometry import Glyph, Line, group_lines
from pipeline.extract.labels import band_perspective
from pipeline.extract.layout import Column, Role, TableLayout, cell_glyphs
from pipeline.extract.overprint import (
    overlap,
    overprint_pairs,
    run_homes,
    set_tight,
)
from pipeline.extract.row_bounds import Band, Homes, cell_lines, in_row, mirror_last_row, row_bounds, table_bottom
from pipeline.extract.row_overflow import give_back_run_on_lines
from pipeline.extract.rules import Rule, Rules, covered
from pipeline.extract.spans import Block, column_blocks, pick_block, rest_above, stretch_blocks
from pipeline.extract.table_body import body_glyphs
from pipeline.extract.tolerances import TOL
from pipeline.extract.turned import snap_turned_labels


@dataclass(frozen=True)
class Row:
    """One KPI row: cell text per column (lines kept apart) and the 構面 text that applies to it."""

    top: float
    bottom: float
    cells: dict[Column, list[str]]
    perspective: str | None
    objective: str | None
    objective_rest: str | None = None  # the end of the objective before, ruled off atop the row (see rest_above)
    perspective_awaited: bool = False  # below the last 構面 label's block: its label is not on this page (fit_spans)


@dataclass(frozen=True)
class TableRows:
    """A table body's KPI rows, and the perspective of a band row printed after the last of them
    (the block it opens continues on the next page)."""

    rows: list[Row]
    carried_perspective: str | None = None
    carried_objective: str | None = None  # an objective label under the last row that no row took (see read_rows)
    unread: tuple[str, ...] = ()  # text in the table's row columns above its first row: no cell took it
    overprinted: tuple[str, ...] = ()  # pairs of different glyphs printed over each other
    split_numbers: tuple[str, ...] = ()  # see cell_moves.split_numbers
    placed: dict[int, Column] = field(default_factory=dict)  # the row columns' glyphs, by id, once moved


def read_rows(
    glyphs: list[Glyph], layout: TableLayout, rules: Rules, top: float, bottom: float, page_height: float
) -> TableRows:
    """The KPI rows of one table body between `top` and `bottom` (see module docstring)."""
    spanning = {Role.PERSPECTIVE, Role.OBJECTIVE}
    # The header's label ends printed over the body are the header's; the first row's text raised
    # into the header's band is the row's (a 構面/策略目標 label overhanging the body's top is taken
    # whole as it is, see _overhanging_top).
    raised = [g for g in layout.raised if not any(c.holds(g) for c in layout.columns if c.role in spanning)]
    glyphs = layout.without_label_ends(glyphs)
    body = body_glyphs(glyphs, layout, top, bottom, rules.drawn, page_height, rules.vertical) + raised
    body = snap_turned_labels(body, layout.columns)
    kpi = layout.column(Role.KPI)
    if kpi is None or not body:
        return TableRows([])
    region_end, bottom = bottom, table_bottom(body, layout, rules.drawn, bottom)
    lines = group_lines(body)
    bands = band_rows(lines, layout)
    band_ids = {id(g) for band in bands for g in band.line.glyphs}
    body = [g for g in body if id(g) not in band_ids]
    label_ids = {id(g) for g in body if any(c.holds(g) for c in layout.columns if c.role in spanning)}
    row_glyphs = [g for g in body if id(g) not in label_ids]
    label_glyphs = [g for g in body if id(g) in label_ids]
    # Glyphs set tighter than their boxes are wide (see set_tight) are one text, not two colliding.
    collisions = [p for p in overprint_pairs(row_glyphs, TOL.collide_share) if not set_tight(*p)]
    homes = run_homes(row_glyphs, collisions, layout.column_at)
    kpi_lines = group_lines(g for g in body if kpi.holds(g) and not _runs_on(g, homes))
    anchors = [
        line
        for line, after in zip(kpi_lines, [*kpi_lines[1:], None])
        if starts_with_code(line.text) or opens_a_wrapped_code(line.text, after.text if after else None)
    ]
    row_columns = [c for c in layout.columns if c.role not in spanning]
    bounds = row_bounds(anchors, bands, kpi, row_glyphs, label_glyphs, rules.horizontal, (top, bottom), row_columns)
    closed = bool(bands and bands[-1].top > anchors[-1].top) if anchors else True
    closed = closed or any(abs(p - bottom) < TOL.band_pad_pt for p in covered(rules.drawn, *kpi.span))
    bounds = mirror_last_row(bounds, row_glyphs, closed, region_end)
    bottom = bounds[-1][1] if bounds else bottom
    anchor_lines = [(a.top, a.bottom) for a in anchors]
    # A code line begins its row's KPI cell: a row edge drawn through it (the edge of a zebra fill
    # as high as the row's nominal height, pdfLaTeX's colortbl) leaves it in that row, never
    # running on from the cell above.
    for (row_top, _), anchor in zip(bounds, anchors):
        if anchor.top < row_top:
            homes.update({id(g): g.moved(0, row_top - g.top) for g in anchor.glyphs if id(g) not in homes})

    codes = [split_code(a.text)[0] or "" for a in anchors]

    def spanning_blocks(role: Role, split_on_code: bool) -> tuple[list[Block], bool]:
        column = layout.column(role)
        if column is None:
            return [], False
        blocks, ruled = column_blocks(body, column, rules.drawn, (top, bottom), split_on_code, [a.top for a in anchors])
        if ruled and not (split_on_code and _coded_for_other_rows(blocks, anchors, codes)):
            return blocks, True
        if ruled:  # the rules crossing the column are not its cells' borders (a band row's)
            blocks, _ = column_blocks(body, column, [], (top, bottom), split_on_code, [a.top for a in anchors])
        breaks = [_changes(codes, objective_of)] if split_on_code else [_changes(codes, _perspective_letter)]
        if split_on_code and _repeats_a_code(blocks):
            return stretch_blocks(blocks, bounds, anchor_lines), False  # labels set row by row: no break tells
        return stretch_blocks(blocks, bounds, anchor_lines, [*breaks, _changes(codes, objective_of)]), False

    obj_blocks, obj_ruled = spanning_blocks(Role.OBJECTIVE, True)
    unbanded = [g for g in glyphs if id(g) not in band_ids]
    below = _objective_below(unbanded, layout.column(Role.OBJECTIVE), bottom, region_end)
    obj_blocks += below
    persp_blocks, persp_ruled = spanning_blocks(Role.PERSPECTIVE, False)
    if bands:
        ends = [b.top for b in bands[1:]] + [bottom]
        persp_blocks = [Block(band.bottom, end, band.name) for band, end in zip(bands, ends)]
    persp_end = persp_blocks[-1].bottom if persp_blocks and not (bands or persp_ruled) else inf
    if bounds and layout.raised:  # the first row's text printed up over the header is that row's
        homes.update({id(g): g.moved(0, bounds[0][0] - g.cy) for g in row_glyphs if g in layout.raised})
    by_column = {c: cell_glyphs(body, c, -inf, inf, upright_only=True) for c in row_columns}
    move_clipped_text_to_its_cells(layout, by_column)
    move_to_home_columns(collisions, homes, by_column)
    close = close_pairs(row_glyphs, -inf, inf)  # both moves look at the row text's pairs drawn close
    move_numbers_over_borders(row_glyphs, layout, rules.vertical, by_column, close)
    move_comparators_to_their_numbers(row_glyphs, layout, by_column, close)
    move_hanging_plans(row_glyphs, layout, by_column)
    relaid = lay_drawn_back_text_after(by_column, collisions)
    rows, own_plans_from = [], []
    plans = layout.column(Role.PLANS)
    lined_rows = [
        {c: cell_lines(by_column[c], row_top, row_bottom, n == 0, homes) for c in row_columns}
        for n, (row_top, row_bottom) in enumerate(bounds)
    ]
    give_back_run_on_lines(lined_rows, [a.top for a in anchors])
    for (row_top, row_bottom), anchor, lined in zip(bounds, anchors, lined_rows):
        kpi_code = split_code(anchor.text)[0]
        cells = {c: [line.text for line in lines] for c, lines in lined.items()}
        own_plans_from.append(_level_with(lined.get(plans, []), anchor))
        label_top = _under_band(row_top, row_bottom, bands)
        rows.append(
            Row(
                row_top,
                row_bottom,
                cells,
                pick_block(persp_blocks, label_top, row_bottom, None, by_prefix=False),
                pick_block(obj_blocks, label_top, row_bottom, kpi_code, by_prefix=not obj_ruled),
                rest_above(obj_blocks, label_top, row_bottom, kpi_code) if obj_ruled else None,
                row_top >= persp_end - TOL.box_slack_pt,
            )
        )
    rest = _objective_above_first_row(label_glyphs, layout, bands, anchors[0].top, rows[0]) if rows else ""
    if rest and rows[0].objective_rest is None:
        rows[0] = replace(rows[0], objective_rest=rest)
    last_anchor = anchors[-1].top if anchors else top
    trailing = [band.name for band in bands if band.line.centre > last_anchor]  # its box may poke over the top
    trailing = trailing or _band_below(glyphs, layout, bottom, region_end)
    first_top = bounds[0][0] if bounds else bottom
    # A cell of a column that is not read (衡量方式, 備註) ending atop the page spoils no record.
    unread_column = {c for c in layout.columns if c.role is Role.EXTRA}
    above = (
        g
        for g in row_glyphs
        if g.cy < first_top and g not in layout.raised and layout.column_at(g) not in unread_column
    )
    unread = tuple(line.text for line in group_lines(above)) if rows else ()
    # An objective label under the last row that no row on the page is coded for opens the next
    # row's cell, broken over the page (see continued.objective_begun_before).
    begun = below[0].text if below and not any(row.objective == below[0].text for row in rows) else None
    return TableRows(
        _hand_down_values(_reattach_overflow(rows, plans, kpi, own_plans_from), layout, rules.horizontal),
        trailing[-1] if trailing else None,
        begun,
        unread,
        _unsettled(
            [p for p in collisions if overlap(*p) > TOL.overprint_share and not relaid & {id(p[0]), id(p[1])}],
            homes,
            by_column,
            bounds,
        ),
        split_numbers(by_column, rules.vertical, top, bottom),
        {id(g): column for column, members in by_column.items() for g in members},
    )


def _objective_above_first_row(
    label_glyphs: list[Glyph], layout: TableLayout, bands: list[Band], first_code: float, first: Row
) -> str:
    """The 策略目標 column's text above the first row's own coded label, and above its KPI code
    line, set apart from that label by a band row or a gap wider than between a label's lines:
    the end of the objective before, a row broken over the page ('…櫃檯服務' / '效能' over
    '學習成長構面', '…提升預算' / '執行效能' over 'EF1 提升預算…'), not the first row's. A label
    centred on its row may start above the row's code line: its lines follow each other closely."""
    column = layout.column(Role.OBJECTIVE)
    if column is None or not first.objective or not split_code(first.objective)[0]:
        return ""
    lines = group_lines(g for g in label_glyphs if column.holds(g) and g.cy < first.bottom)
    own = next((n for n, line in enumerate(lines) if split_code(line.text)[0]), None)
    limit = min([first_code, *(band.top for band in bands[:1] if band.top <= first_code + TOL.box_slack_pt)])
    over = [line for line in lines[:own] if line.centre < limit] if own else []
    if not over:
        return ""
    below, above = lines[own], over[-1]
    banded = any(above.bottom <= (band.top + band.bottom) / 2 <= below.top for band in bands)
    if not banded and below.top - above.bottom < TOL.label_gap_em * below.size:
        return ""
    return "\n".join(line.text for line in over)


def _under_band(top: float, bottom: float, bands: list[Band]) -> float:
    """Where a row's own spanning cells begin: under the 構面 band row that opens it. Rows meet at
    a band's top, so the band is the lower row's; the blank a ruled 策略目標 column draws across
    the band is not that row's cell, and can be taller than the row's own (POI's band rows)."""
    return max([top, *(b.bottom for b in bands if abs(b.top - top) <= TOL.box_slack_pt and b.bottom < bottom)])


def _objective_below(glyphs: list[Glyph], column: Column | None, bottom: float, end: float) -> list[Block]:
    """An objective label printed under the table's closing rule, in its column ('DL2 提升同仁專業
    知能'): the middle of a cell merged over the page break, which a spreadsheet prints centred on
    the whole cell and the page cuts off. It is the objective of the rows coded under it whose
    own cells on this page are blank (see pick_block); else the first lines of the next row's
    cell, broken over the page after a band row (WebKitGTK reads '內部流程' / 'CP1' at the page's
    foot, the rest of the cell atop the next page). Band rows are not in `glyphs`."""
    if column is None:
        return []
    below = group_lines(g for g in glyphs if column.holds(g) and bottom <= g.cy < end and not g.rotated)
    code = split_code(below[0].text)[0] if below else None
    if code is None or code_depth(code) != 1:
        return []
    return [Block(bottom, end, "\n".join(line.text for line in below))]


def _band_below(glyphs: list[Glyph], layout: TableLayout, bottom: float, end: float) -> list[str]:
    """The perspective of a 構面 band row printed right under the table's closing rule, as its
    first text below (a spreadsheet breaks the page after the band row, and draws no rule under
    it): the block it opens goes on on the next page."""
    if layout.column(Role.PERSPECTIVE) is not None:
        return []
    below = group_lines(g for g in glyphs if bottom <= g.cy < end and layout.x0 <= g.cx <= layout.x1)
    name = band_perspective(below[0].text) if below else None
    return [name] if name else []


def _runs_on(g: Glyph, homes: Homes) -> bool:
    """True for a glyph of a colliding run (see overprint.py) below the run's first line: text run over from a cell
    above, which must not spoil the line it is printed on."""
    home = homes.get(id(g))
    return home is not None and home.bottom <= g.cy


def _unsettled(
    pairs: list[tuple[Glyph, Glyph]],
    homes: Homes,
    by_column: dict[Column, list[Glyph]],
    bounds: list[tuple[float, float]],
) -> tuple[str, ...]:
    """The overprinted pairs whose two glyphs still share a cell once placed by their homes: what
    such a cell shows cannot be read. Text over text in columns that are not read (a 權重 or
    衡量方式 column) cannot spoil a record and is left alone."""
    cell_of: dict[int, tuple[Column, int]] = {}
    wanted = {id(g) for pair in pairs for g in pair}
    for column, members in by_column.items():
        for g in members:
            if id(g) in wanted:
                placed = homes.get(id(g), g)
                row = next((i for i, (t, b) in enumerate(bounds) if in_row(placed, members, t, b, i == 0)), -1)
                cell_of[id(g)] = (column, row)
    unsettled = []
    for a, b in pairs:
        cells = cell_of.get(id(a)), cell_of.get(id(b))
        if cells[0] and cells[1] and (cells[0] != cells[1] or cells[0][0].role is Role.EXTRA):
            continue
        unsettled.append(a.text + b.text)
    return tuple(unsettled)


def _coded_for_other_rows(blocks: list[Block], anchors: list[Line], codes: list[str]) -> bool:
    """True when a ruled cell's objective code is not that of a KPI row lying in it: rows of two
    objectives between the rules ('DP1.2' under a cell reading 'DP2…', whose own cell, left blank
    on the page after the label's, zebra fills alone part), so the rules are not the cells' own.
    Only codes of the rows' own scheme tell: an objective code that no row's code begins with
    says nothing."""
    objectives = {objective_of(c) for c in codes if c}
    for block in blocks:
        code = split_code(block.text)[0]
        inside = [c for a, c in zip(anchors, codes) if block.top <= a.centre < block.bottom and c]
        if code in objectives and any(objective_of(c) != code for c in inside):
            return True
    return False


def _repeats_a_code(blocks: list[Block]) -> bool:
    """True when two labels one after the other carry the same objective code: the label printed
    again on each of its rows, so the rows where codes change are not where labels part."""
    codes = [split_code(b.text)[0] for b in blocks]
    return any(a is not None and a == b for a, b in zip(codes, codes[1:]))


def _perspective_letter(code: str) -> str | None:
    """The letter after the theme's in a KPI code ('AP1.2' → 'P'), where codes carry one."""
    return code[1] if len(code) > 2 and code[0].isalpha() and code[1].isalpha() and code[1].isupper() else None


def _changes(codes: list[str], key: Callable[[str], str | None]) -> set[int]:
    """Indices of the rows whose key differs from the row before's (where every row has one)."""
    keys = [key(code) for code in codes]
    if any(k is None for k in keys):
        return set()
    return {i for i in range(1, len(keys)) if keys[i] != keys[i - 1]}


def run_over(lines: list[str], above_code: str | None) -> int:
    """How many lines at the top of a plans cell belong to the row above: text before the first
    code, then plans coded under the KPI above (`above_code` 'BC1.1': 'BC1.1.2 …'), each with
    the lines it wraps onto."""
    count = before_first_code(lines)
    prefix = f"{above_code}." if above_code else None
    while prefix and count < len(lines) and lines[count].startswith(prefix):
        count += 1
        while count < len(lines) and not starts_with_code(lines[count]):
            count += 1
    return count


def run_under(lines: list[str], below_code: str | None) -> int:
    """Where the plans at the foot of a plans cell that belong to the row below begin: plans
    coded under the KPI below (`below_code` 'BL2.1': 'BL2.1.1 …'), each with the lines it wraps
    onto (len(lines) when there are none)."""
    prefix, start = f"{below_code}." if below_code else None, len(lines)
    while prefix:
        opening = next((n for n in range(start - 1, -1, -1) if starts_with_code(lines[n])), None)
        if opening is None or not lines[opening].startswith(prefix):
            break
        start = opening
    return start


def row_kpi_code(row: Row, kpi: Column | None) -> str | None:
    """The code printed first in the row's KPI cell, if any."""
    return split_code(row.cells[kpi][0])[0] if kpi is not None and row.cells.get(kpi) else None


def _numbered_from_one(lines: list[str], kpi_code: str | None) -> bool:
    """True when the plans coded in `lines` under `kpi_code` are numbered 1, 2, 3… in order: a
    plan coded under the KPI below goes down to it only where it then heads that KPI's list (a
    deck may code a plan under another KPI by mistake: 'DP1.1.2' among DC1.1's plans stays there).
    Plans of the KPI after it, not yet moved down to theirs, do not count."""
    prefix = f"{kpi_code}." if kpi_code else ""
    codes = [code for line in lines if (code := split_code(line)[0]) and code.startswith(prefix)]
    numbers = [code.rsplit(".", 1)[1] for code in codes]
    return numbers == [str(n) for n in range(1, len(numbers) + 1)]


def before_first_code(lines: list[str]) -> int:
    """How many lines of a plans cell come before its first code (0 when it starts with one, or
    lists none). In a cell that lists coded plans, text before the first code cannot start the
    cell: it is the end of the plan before, run over from the row (or page) above."""
    return next((n for n, line in enumerate(lines) if starts_with_code(line)), 0)


def _reattach_overflow(rows: list[Row], plans: Column | None, kpi: Column, own_from: list[int | None]) -> list[Row]:
    """Give back to a row the end of its action plans that ran past its lower border (a row of
    fixed height; see before_first_code), and whole plans coded under its KPI that did (a cell
    set low in its row, its last plan under the rule: 'BC1.1.2 …' atop BC1.2's plans), or that
    stand above its upper border (a cell taller than its KPI's, centred on it in a table with no
    rules: 'BL2.1.1 …' at the foot of BL1.1's plans). An uncoded line level with a row's KPI code
    (`own_from`: its index among the row's plan lines) under plans so given back is the row's own
    plan, printed without a code, not the end of theirs."""
    if plans is None:
        return rows
    for i in range(1, len(rows)):
        lines, above_lines = rows[i].cells[plans], rows[i - 1].cells[plans]
        above_code, own_code = row_kpi_code(rows[i - 1], kpi), row_kpi_code(rows[i], kpi)
        if above_code == own_code:
            above_code = own_code = None
        first_own = run_under(above_lines, own_code)
        moving_down = first_own < len(above_lines) and _numbered_from_one(above_lines[first_own:] + lines, own_code)
        if not moving_down:
            first_own = len(above_lines)
        # Under a plan of this row's moved down, text before the first code goes on with it.
        first_code = 0 if moving_down or _opens_before_next(lines, rows, i, kpi) else run_over(lines, above_code)
        first_code = _before_own_plan(lines, first_code, own_from[i])
        if not first_code and not moving_down:
            continue
        moved_up, moved_down = lines[:first_code], above_lines[first_own:]
        above = rows[i - 1]
        rows[i - 1] = replace(above, cells={**above.cells, plans: above_lines[:first_own] + moved_up})
        rows[i] = replace(rows[i], cells={**rows[i].cells, plans: moved_down + lines[first_code:]})
    return rows


def _before_own_plan(lines: list[str], first_code: int, own: int | None) -> int:
    """`first_code` (the plan lines going up to the row above), cut at the uncoded line `own`
    set level with the row's code when plans coded for the row above come before it."""
    if own is None or not 0 < own < first_code or starts_with_code(lines[own]):
        return first_code
    return own if any(starts_with_code(line) for line in lines[:own]) else first_code


def _level_with(lines: list[Line], anchor: Line) -> int | None:
    """The index of the first of a cell's `lines` set level with the row's KPI code line."""
    return next(
        (n for n, line in enumerate(lines) if abs(line.centre - anchor.centre) <= TOL.same_line_em * anchor.size),
        None,
    )


def _opens_before_next(lines: list[str], rows: list[Row], i: int, kpi: Column) -> bool:
    """True when the uncoded text atop row i's plans is followed by a plan coded under the next
    row's KPI: the cell lists no plan of its own KPI, so the text is its own plan (printed without a
    code), not the end of the row above's; the next row's plan is set over its border (prawn-table
    draws a row's cells up in the row above when a rowspan label spans both)."""
    head = before_first_code(lines)
    below = row_kpi_code(rows[i + 1], kpi) if i + 1 < len(rows) else None
    return bool(head) and below is not None and lines[head].startswith(f"{below}.")


def _hand_down_values(rows: list[Row], layout: TableLayout, hrules: list[Rule]) -> list[Row]:
    """Give a value set at the top of its cell, in a table that centres its other cells and draws
    no rule between rows, back to its row: the cut between two rows falls in the widest gap
    between their texts, so such a value is read under the row above ('2,980件' / '≥30小時'
    for one target, the row below's target left blank). Only a cell that holds two values one
    under the other, each whole, over a blank cell of the row below, is so split."""
    for column in (c for c in layout.columns if c.role in (Role.ACTUAL, Role.TARGET)):
        ruled = covered(hrules, *column.span)
        for i in range(len(rows) - 1):
            upper, lower = rows[i], rows[i + 1]
            if lower.cells[column] or any(upper.top < p < lower.bottom for p in ruled):
                continue
            if (split := _two_values(upper.cells[column])) is None:
                continue
            rows[i] = replace(upper, cells={**upper.cells, column: upper.cells[column][:split]})
            rows[i + 1] = replace(lower, cells={**lower.cells, column: upper.cells[column][split:]})
    return rows


_BRACKETED_NOTE = re.compile(r"[(（][^()（）]+[)）]$")  # a value's note in brackets after it: '2.8(整修停租)'


def _two_values(lines: list[str]) -> int | None:
    """Where a value cell's lines part into two values, each read whole ('2,980件' / '≥30小時', or
    with its note in brackets: '2.8(整修停租)'), when together they read as none: the index of the
    second's first line, or None."""
    if len(lines) < 2 or parse_value("\n".join(lines)).value is not None:
        return None
    for split in range(1, len(lines)):
        parts = "\n".join(lines[:split]), "\n".join(lines[split:])
        values = [parse_value(part) for part in parts]
        if all(
            v.value is not None and (v.note is None or _BRACKETED_NOTE.search(part)) for v, part in zip(values, parts)
        ):
            return split
    return None
