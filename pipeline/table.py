"""Cut a table body into KPI rows and cells, whatever the table is drawn with.

Each KPI row starts with a KPI code in the KPI column (the row's anchor). Between two anchors the
row boundary is the rule drawn there (lines, rectangle borders, fill edges) or, in tables drawn
with text only, the widest empty horizontal band across the row-defining columns. 構面 and
策略目標 cells span several rows, so they are cut separately: by the rules that cross their own
column, else into text blocks, and each KPI row takes the block it overlaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.codes import split_code, starts_with_code
from pipeline.glyphs import Glyph, Line, Rule, Rules, covered, drop_oversized, group_lines
from pipeline.header import KPI, OBJECTIVE, PERSPECTIVE, Column, TableLayout
from pipeline.text import squash

_BAND = re.compile(r"^(.{1,8}?)構面$")
_FURNITURE = [
    re.compile(r"^註"),
    re.compile(r"^※"),
    re.compile(r"策略地圖與平衡計分卡"),
    re.compile(r"第\d+頁"),
    re.compile(r"^【.*】$"),
    re.compile(r"^資料來源"),
]


@dataclass(frozen=True)
class Band:
    top: float
    bottom: float


@dataclass(frozen=True)
class Block:
    """Text of a spanning cell (構面 or 策略目標) and the vertical extent it covers."""

    top: float
    bottom: float
    text: str
    size: float = 0.0  # font size of its text

    def overlap(self, top: float, bottom: float) -> float:
        return min(self.bottom, bottom) - max(self.top, top)


@dataclass(frozen=True)
class Row:
    """One KPI row: cell text per column (lines kept apart) and the 構面 text that applies to it."""

    top: float
    bottom: float
    cells: dict[Column, list[str]]
    perspective: str | None
    objective: str | None


_PAGE_NUMBER = re.compile(r"^(?:[-–—－]*\d{1,3}[-–—－]*|\d+/\d+)$")


def is_furniture(text: str) -> bool:
    """Footers, footnotes, page labels: text near a table that is not table data."""
    squashed = squash(text)
    return any(p.search(squashed) for p in _FURNITURE)


def _is_page_number(line: Line, page_height: float) -> bool:
    """A bare number is a page number only in the page margins; inside a table it is a value."""
    in_margin = line.top > 0.9 * page_height or line.bottom < 0.08 * page_height
    return in_margin and _PAGE_NUMBER.match(squash(line.text)) is not None


def body_glyphs(
    glyphs: list[Glyph], layout: TableLayout, top: float, bottom: float, drawn: list[Rule], page_height: float
) -> list[Glyph]:
    """Glyphs of the table body: inside the region, above the last drawn table rule, minus furniture."""
    inside = drop_oversized([g for g in glyphs if top <= g.cy <= bottom and layout.x0 <= g.cx <= layout.x1])
    rules = [p for p in covered(drawn, layout.columns[0].span[0], layout.columns[-1].span[1], 0.8) if top < p <= bottom]
    kpi = layout.column(KPI)
    if rules and kpi is not None:
        last_rule = max(rules)
        below = group_lines(g for g in inside if g.cy > last_rule and kpi.holds(g))
        if not any(starts_with_code(line.text) for line in below):  # else the rule does not close the table
            inside = [g for g in inside if g.cy < last_rule or g.rotated]
    furniture = {
        id(g)
        for line in group_lines(inside)
        if is_furniture(line.text) or _is_page_number(line, page_height)
        for g in line.glyphs
    }
    return [g for g in inside if id(g) not in furniture]


def _bands(lines: list[Line], layout: TableLayout) -> list[tuple[Band, str]]:
    """Full-width perspective rows ('顧客構面') of tables that have no 構面 column."""
    if layout.column(PERSPECTIVE) is not None:
        return []
    found = []
    for line in lines:
        match = _BAND.match(squash(line.text))
        if match:
            found.append((Band(line.top - 0.5, line.bottom + 0.5), match.group(1)))
    return found


def _largest_gap(glyphs: list[Glyph], top: float, bottom: float) -> tuple[float, float] | None:
    """The widest vertical interval in top..bottom that no glyph covers."""
    spans = sorted((g.top, g.bottom) for g in glyphs if g.bottom > top and g.top < bottom)
    best, cursor = None, top
    for y0, y1 in [*spans, (bottom, bottom)]:
        if y0 > cursor and (best is None or y0 - cursor > best[1] - best[0]):
            best = (cursor, y0)
        cursor = max(cursor, y1)
    return best


def _text_cut(row_glyphs: list[Glyph], label_glyphs: list[Glyph], top: float, bottom: float) -> float:
    """Where two rows drawn without rules meet: the middle of the widest gap between their texts,
    narrowed to above a 構面/策略目標 label that starts inside that gap (the label's row begins
    above it even when the row's other cells sit lower, centred in a row the label stretched)."""
    gap = _largest_gap(row_glyphs, top, bottom)
    if gap is None:
        return bottom - 0.1
    narrower = _largest_gap(label_glyphs + row_glyphs, *gap)
    if narrower is not None and narrower[0] == gap[0]:
        gap = narrower
    return sum(gap) / 2


def _row_bounds(
    anchors: list[Line],
    bands: list[Band],
    kpi: Column,
    row_glyphs: list[Glyph],
    label_glyphs: list[Glyph],
    hrules: list[Rule],
    top: float,
    bottom: float,
) -> list[tuple[float, float]]:
    """Top and bottom of each anchor's row."""
    kpi_rules = covered(hrules, *kpi.span, 0.6)
    bounds = []
    for i, anchor in enumerate(anchors):
        before = [b.bottom for b in bands if b.bottom <= anchor.top + 1]
        row_top = max([top, *before])
        if i:
            prev = anchors[i - 1]
            between_bands = [b for b in bands if prev.top < b.top < anchor.top]
            if between_bands:
                bounds[-1] = (bounds[-1][0], between_bands[0].top)
            else:
                rules = [p for p in kpi_rules if prev.top + 1 < p <= anchor.top + 1]
                cut = max(rules) if rules else _text_cut(row_glyphs, label_glyphs, prev.bottom, anchor.top)
                bounds[-1] = (bounds[-1][0], cut)
                row_top = cut
        bounds.append((row_top, bottom))
    if bounds:
        after = [b.top for b in bands if b.top > anchors[-1].top]
        if after:
            bounds[-1] = (bounds[-1][0], min(after))
    return bounds


def _table_bottom(body: list[Glyph], layout: TableLayout, drawn: list[Rule], limit: float) -> float:
    """The table's lower edge: the drawn rule closing it, else just below its last text."""
    last = max(g.bottom for g in body)
    span = (layout.columns[0].span[0], layout.columns[-1].span[1])
    closing = [p for p in covered(drawn, *span, 0.8) if last - 1 <= p <= limit]
    return min(closing) if closing else min(limit, last + 1)


def _mirror_last_row(bounds: list[tuple[float, float]], glyphs: list[Glyph], closed: bool) -> list[tuple[float, float]]:
    """Without a closing rule, give the last row as much room below its text as above it."""
    if closed or not bounds:
        return bounds
    top, bottom = bounds[-1]
    text = [g for g in glyphs if top <= g.cy < bottom]
    if not text:
        return bounds
    centre = (min(g.top for g in text) + max(g.bottom for g in text)) / 2
    return [*bounds[:-1], (top, max(bottom, 2 * centre - top))]


def _lines_in(glyphs: list[Glyph], column: Column, top: float, bottom: float) -> list[str]:
    cell = [g for g in glyphs if column.holds(g) and top <= g.cy < bottom and not g.rotated]
    return [line.text for line in group_lines(cell)]


def _rotated_text(glyphs: list[Glyph]) -> str:
    return "".join(g.text for g in sorted(glyphs, key=lambda g: g.cy)).strip()


def _segments(column: Column, hrules: list[Rule], top: float, bottom: float) -> list[tuple[float, float]] | None:
    """Cells of a spanning column cut by the rules crossing it; None when it has no inner rules."""
    cuts = [p for p in covered(hrules, *column.span, 0.6) if top + 2 < p < bottom - 2]
    if not cuts:
        return None
    edges = [top, *cuts, bottom]
    return list(zip(edges, edges[1:]))


def _rotated_labels(rotated: list[Glyph]) -> list[list[Glyph]]:
    """Group rotated glyphs (sorted top to bottom) into labels: split at gaps, and where a
    single-column label ends in 構面 (read either way) right before the next label starts."""
    groups: list[list[Glyph]] = []
    for i, g in enumerate(rotated):
        if groups:
            current = groups[-1]
            text = "".join(x.text for x in current)
            one_column = all(abs(x.cx - g.cx) <= 0.5 * g.size for x in current)
            following = "".join(x.text for x in rotated[i : i + 2])
            ended = one_column and (text.endswith("構面") or following == "面構")
            if g.top - current[-1].bottom <= 1.5 * g.size and not ended:
                current.append(g)
                continue
        groups.append([g])
    return groups


def _text_blocks(glyphs: list[Glyph], column: Column, top: float, bottom: float, split_on_code: bool) -> list[Block]:
    """Blocks of a spanning column drawn without rules: split at codes (策略目標) or gaps (構面)."""
    cell = [g for g in glyphs if column.holds(g) and top <= g.cy < bottom]
    groups = _rotated_labels(sorted((g for g in cell if g.rotated), key=lambda g: g.cy))
    blocks = [Block(grp[0].top, grp[-1].bottom, _rotated_text(grp), grp[0].size) for grp in groups]
    current: list[Line] = []
    for line in group_lines(cell):
        gap = current and line.top - current[-1].bottom > 1.5 * line.size
        text_so_far = "".join(ln.text for ln in current)
        new_block = (split_on_code and starts_with_code(line.text)) or gap
        new_block = new_block or (not split_on_code and squash(text_so_far).endswith("構面"))
        if current and new_block:
            blocks.append(_block(current))
            current = []
        current.append(line)
    if current:
        blocks.append(_block(current))
    return sorted(blocks, key=lambda b: b.top)


def _block(lines: list[Line]) -> Block:
    return Block(lines[0].top, lines[-1].bottom, "\n".join(line.text for line in lines), lines[0].size)


def _column_blocks(
    glyphs: list[Glyph], column: Column, hrules: list[Rule], top: float, bottom: float, split_on_code: bool
) -> tuple[list[Block], bool]:
    """The spanning cells of a column, and whether they came from drawn rules."""
    segments = _segments(column, hrules, top, bottom)
    if segments is None:
        return _text_blocks(glyphs, column, top, bottom, split_on_code), False
    blocks = []
    for y0, y1 in segments:
        cell = [g for g in glyphs if column.holds(g) and y0 <= g.cy < y1]
        lines = group_lines(cell)
        if split_on_code and sum(starts_with_code(line.text) for line in lines) > 1:
            # Several objectives between two rules: the rules are not this column's cell borders.
            return _text_blocks(glyphs, column, top, bottom, split_on_code), False
        upright = "\n".join(line.text for line in lines)
        text = upright or _rotated_text([g for g in cell if g.rotated])
        blocks.append(Block(y0, y1, text))
    return blocks, True


def _snap(y: float, edges: list[float]) -> float:
    return min(edges, key=lambda e: abs(e - y))


def stretch_blocks(
    blocks: list[Block], bounds: list[tuple[float, float]], anchor_tops: list[float], alignment: str | None
) -> list[Block]:
    """Give text-only spanning labels the rows they span.

    A label drawn without rules is either top-aligned (its first line level with the first line of
    a row's KPI) or vertically centred in its span. Spans end on row boundaries and follow each
    other; rows above the first label continue a block from the slide before (left blank there).
    Centred spans are solved from the table's last row up: a span reaches as far above its
    label's centre as below it.
    """
    if not blocks or not bounds:
        return blocks
    row_tops = [b[0] for b in bounds]
    edges = sorted({*row_tops, *(b[1] for b in bounds)})
    starts, end = [], bounds[-1][1]
    for block in reversed(blocks):
        start = _snap(block.top + block.bottom - end, edges)
        start = min(start, max((e for e in edges if e <= block.top + 1), default=edges[0]))
        starts.insert(0, start)
        end = start
    ends = [*starts[1:], bounds[-1][1]]
    if alignment is None:  # the other cells did not tell: judge by the labels themselves
        centred = all(
            abs((s + e) / 2 - (b.top + b.bottom) / 2) <= 0.6 * b.size for b, s, e in zip(blocks, starts, ends)
        )
        top_aligned = all(min(abs(b.top - t) for t in anchor_tops) <= 0.5 * b.size for b in blocks)
        alignment = "top" if top_aligned and not centred else "middle"
    if alignment == "top":
        starts = [row_tops[min(range(len(anchor_tops)), key=lambda i: abs(anchor_tops[i] - b.top))] for b in blocks]
    ends = [*starts[1:], bounds[-1][1]]
    return [Block(start, end, block.text, block.size) for block, start, end in zip(blocks, starts, ends)]


def cell_alignment(glyphs: list[Glyph], columns: list[Column], bounds: list[tuple[float, float]]) -> str | None:
    """How the table sets text in its cells: 'top' when every row's cells start level although
    their heights differ, 'middle' when a row's cells start at different heights, else None."""
    verdict = None
    for top, bottom in bounds:
        spans = []
        for column in columns:
            cell = [g for g in glyphs if column.holds(g) and top <= g.cy < bottom and not g.rotated]
            if cell:
                spans.append((min(g.top for g in cell), max(g.bottom for g in cell), cell[0].size))
        if len(spans) < 2:
            continue
        size = min(s for _, _, s in spans)
        tops = [t for t, _, _ in spans]
        heights = [b - t for t, b, _ in spans]
        if max(tops) - min(tops) > 0.5 * size:
            return "middle"
        if max(heights) - min(heights) > 0.5 * size:
            verdict = "top"
    return verdict


def _pick(blocks: list[Block], top: float, bottom: float, kpi_code: str | None, by_prefix: bool) -> str | None:
    """The spanning cell a KPI row lies in; for text-only objectives a unique code prefix decides first.

    None when no cell covers the row: a block continued from the slide before, its cell left blank.
    """
    if by_prefix and kpi_code:
        prefixed = [b for b in blocks if (code := split_code(b.text)[0]) and kpi_code.startswith(code + ".")]
        if len(prefixed) == 1:
            return prefixed[0].text
    covering = [b for b in blocks if b.overlap(top, bottom) > 0]
    return max(covering, key=lambda b: b.overlap(top, bottom)).text if covering else None


def read_rows(
    glyphs: list[Glyph], layout: TableLayout, rules: Rules, top: float, bottom: float, page_height: float
) -> list[Row]:
    """The KPI rows of one table body between `top` and `bottom` (see module docstring)."""
    body = body_glyphs(glyphs, layout, top, bottom, rules.drawn, page_height)
    kpi = layout.column(KPI)
    if kpi is None or not body:
        return []
    bottom = _table_bottom(body, layout, rules.drawn, bottom)
    lines = group_lines(body)
    bands = _bands(lines, layout)
    band_ids = {id(g) for line in lines if _BAND.match(squash(line.text)) and bands for g in line.glyphs}
    body = [g for g in body if id(g) not in band_ids]
    anchors = [ln for ln in group_lines([g for g in body if kpi.holds(g)]) if starts_with_code(ln.text)]
    spanning = {PERSPECTIVE, OBJECTIVE}
    label_ids = {id(g) for g in body if any(c.holds(g) for c in layout.columns if c.role in spanning)}
    row_glyphs = [g for g in body if id(g) not in label_ids]
    label_glyphs = [g for g in body if id(g) in label_ids]
    bands_only = [b for b, _ in bands]
    bounds = _row_bounds(anchors, bands_only, kpi, row_glyphs, label_glyphs, rules.horizontal, top, bottom)
    closed = bool(bands and bands[-1][0].top > anchors[-1].top) if anchors else True
    closed = closed or any(abs(p - bottom) < 0.5 for p in covered(rules.drawn, *kpi.span, 0.6))
    bounds = _mirror_last_row(bounds, row_glyphs, closed)
    bottom = bounds[-1][1] if bounds else bottom
    row_columns = [c for c in layout.columns if c.role not in spanning]
    alignment = cell_alignment(row_glyphs, row_columns, bounds)
    anchor_tops = [a.top for a in anchors]

    def spanning_blocks(role: str, split_on_code: bool) -> tuple[list[Block], bool]:
        column = layout.column(role)
        if column is None:
            return [], False
        blocks, ruled = _column_blocks(body, column, rules.drawn, top, bottom, split_on_code)
        return (blocks if ruled else stretch_blocks(blocks, bounds, anchor_tops, alignment)), ruled

    obj_blocks, obj_ruled = spanning_blocks(OBJECTIVE, True)
    persp_blocks, _ = spanning_blocks(PERSPECTIVE, False)
    if bands:
        ends = [b.top for b, _ in bands[1:]] + [bottom]
        persp_blocks = [Block(band.bottom, end, name) for (band, name), end in zip(bands, ends)]
    rows = []
    for (row_top, row_bottom), anchor in zip(bounds, anchors):
        kpi_code = split_code(anchor.text)[0]
        cells = {c: _lines_in(body, c, row_top, row_bottom) for c in row_columns}
        rows.append(
            Row(
                row_top,
                row_bottom,
                cells,
                _pick(persp_blocks, row_top, row_bottom, None, by_prefix=False),
                _pick(obj_blocks, row_top, row_bottom, kpi_code, by_prefix=not obj_ruled),
            )
        )
    return rows
