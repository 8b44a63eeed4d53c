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
from pipeline.glyphs import Glyph, Line, Rule, Rules, covered, drop_oversized, glyph_text, group_lines
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


def _largest_gap(glyphs: list[Glyph], top: float, bottom: float) -> float:
    """Middle of the widest vertical interval in top..bottom that no glyph covers."""
    spans = sorted((g.top, g.bottom) for g in glyphs if g.bottom > top and g.top < bottom)
    best, best_width, cursor = bottom - 0.1, -1.0, top
    for y0, y1 in spans:
        if y0 - cursor > best_width:
            best, best_width = (cursor + y0) / 2, y0 - cursor
        cursor = max(cursor, y1)
    if bottom - cursor > best_width:
        best = (cursor + bottom) / 2
    return best


def _row_bounds(
    anchors: list[Line],
    bands: list[Band],
    kpi: Column,
    row_glyphs: list[Glyph],
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
                cut = max(rules) if rules else _largest_gap(row_glyphs, prev.bottom, anchor.top)
                bounds[-1] = (bounds[-1][0], cut)
                row_top = cut
        bounds.append((row_top, bottom))
    if bounds:
        after = [b.top for b in bands if b.top > anchors[-1].top]
        if after:
            bounds[-1] = (bounds[-1][0], min(after))
    return bounds


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
    blocks = [Block(grp[0].top, grp[-1].bottom, _rotated_text(grp)) for grp in groups]
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
    return Block(lines[0].top, lines[-1].bottom, "\n".join(line.text for line in lines))


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
    blocks: list[Block], bounds: list[tuple[float, float]], anchor_tops: list[float], bottom: float
) -> list[Block]:
    """Give text-only spanning labels the rows they span.

    A label drawn without rules is either top-aligned (its first line level with the first line of
    a row's KPI) or vertically centred in its span (which then reaches as far below the label's
    centre as above it). Either way the span ends on a row boundary, where the next label's begins.
    """
    if not blocks or not bounds:
        return blocks
    row_tops = [b[0] for b in bounds]
    edges = sorted({*row_tops, *(b[1] for b in bounds)})
    size = min(b.bottom - b.top for b in blocks) or 1.0
    top_aligned = all(min(abs(b.top - t) for t in anchor_tops) <= 0.5 * size for b in blocks)

    def row_of(y: float) -> float:
        return row_tops[min(range(len(anchor_tops)), key=lambda i: abs(anchor_tops[i] - y))]

    stretched, start = [], row_tops[0]
    for i, block in enumerate(blocks):
        if top_aligned:
            start = row_of(block.top)
            end = row_of(blocks[i + 1].top) if i + 1 < len(blocks) else bottom
        else:
            centre = (block.top + block.bottom) / 2
            end = _snap(max(2 * centre - start, block.bottom), edges) if i + 1 < len(blocks) else bottom
        stretched.append(Block(start, end, block.text))
        start = end
    return stretched


def _pick(blocks: list[Block], top: float, bottom: float, kpi_code: str | None, ruled: bool) -> str | None:
    """The block a KPI row belongs to: by drawn cell, else by code prefix, overlap, distance."""
    if not blocks:
        return None
    if not ruled and kpi_code:
        prefixed = [b for b in blocks if (code := split_code(b.text)[0]) and kpi_code.startswith(code + ".")]
        if len(prefixed) == 1:
            return prefixed[0].text
    best = max(blocks, key=lambda b: b.overlap(top, bottom))
    if best.overlap(top, bottom) > 0:
        return best.text
    if ruled:
        return None
    return min(blocks, key=lambda b: min(abs(b.top - bottom), abs(b.bottom - top))).text


def read_rows(
    glyphs: list[Glyph], layout: TableLayout, rules: Rules, top: float, bottom: float, page_height: float
) -> list[Row]:
    """The KPI rows of one table body between `top` and `bottom` (see module docstring)."""
    body = body_glyphs(glyphs, layout, top, bottom, rules.drawn, page_height)
    kpi = layout.column(KPI)
    if kpi is None or not body:
        return []
    bottom = min(bottom, max(g.bottom for g in body) + 1)
    lines = group_lines(body)
    bands = _bands(lines, layout)
    band_ids = {id(g) for line in lines if _BAND.match(squash(line.text)) and bands for g in line.glyphs}
    body = [g for g in body if id(g) not in band_ids]
    anchors = [ln for ln in group_lines([g for g in body if kpi.holds(g)]) if starts_with_code(ln.text)]
    spanning = {PERSPECTIVE, OBJECTIVE}
    row_glyphs = [g for g in body if not any(c.holds(g) for c in layout.columns if c.role in spanning)]
    bounds = _row_bounds(anchors, [b for b, _ in bands], kpi, row_glyphs, rules.horizontal, top, bottom)
    objective = layout.column(OBJECTIVE)
    perspective = layout.column(PERSPECTIVE)
    obj_blocks, obj_ruled = (
        _column_blocks(body, objective, rules.drawn, top, bottom, True) if objective else ([], False)
    )
    persp_blocks, persp_ruled = (
        _column_blocks(body, perspective, rules.drawn, top, bottom, False) if perspective else ([], False)
    )
    anchor_tops = [a.top for a in anchors]
    if not obj_ruled:
        obj_blocks = stretch_blocks(obj_blocks, bounds, anchor_tops, bottom)
    if not persp_ruled:
        persp_blocks = stretch_blocks(persp_blocks, bounds, anchor_tops, bottom)
    if bands:
        persp_blocks = [
            Block(b.bottom, next_b.top, name)
            for (b, name), (next_b, _) in zip(bands, [*bands[1:], (Band(bottom, bottom), "")])
        ]
        persp_ruled = True
    rows = []
    for (row_top, row_bottom), anchor in zip(bounds, anchors):
        kpi_code = split_code(anchor.text)[0]
        cells = {c: _lines_in(body, c, row_top, row_bottom) for c in layout.columns if c.role not in spanning}
        rows.append(
            Row(
                row_top,
                row_bottom,
                cells,
                _pick(persp_blocks, row_top, row_bottom, None, persp_ruled),
                _pick(obj_blocks, row_top, row_bottom, kpi_code, obj_ruled),
            )
        )
    return rows


__all__ = ["Row", "read_rows", "is_furniture", "body_glyphs", "glyph_text"]
