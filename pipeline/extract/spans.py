"""Spanning cells: 構面 and 策略目標 labels that cover several KPI rows.

Where the table draws rules across their column, each ruled cell is a block. Where it does not,
the labels are cut out of the text (at codes for objectives, at gaps or at '構面' for
perspectives) and given the rows they span, from how the table aligns text in its cells.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from pipeline.clean.codes import split_code, starts_with_code
from pipeline.extract.geometry import Glyph, Line, Rule, covered, group_lines
from pipeline.extract.labels import PERSPECTIVES, completes_perspective, perspective_name
from pipeline.extract.layout import Column, cell_glyphs
from pipeline.extract.tolerances import TOL
from pipeline.extract.turned import turned_labels


class Alignment(Enum):
    """How a table sets text vertically in its cells."""

    TOP = "top"
    MIDDLE = "middle"


@dataclass(frozen=True)
class Block:
    """Text of a spanning cell (構面 or 策略目標) and the vertical extent it covers."""

    top: float
    bottom: float
    text: str
    size: float = 0.0  # font size of its text
    turned: bool = False  # a quarter-turned label

    def overlap(self, top: float, bottom: float) -> float:
        return min(self.bottom, bottom) - max(self.top, top)


def _one_label(block: Block, objectives: bool) -> bool:
    """True when a block read without rules holds a single label: one objective (at most one
    code), or one 構面 name."""
    if objectives:
        return sum(starts_with_code(line) for line in block.text.split("\n")) <= 1
    return perspective_name(block.text) in PERSPECTIVES


def _segments(
    glyphs: list[Glyph], column: Column, hrules: list[Rule], span: tuple[float, float], split_on_code: bool
) -> list[tuple[float, float]] | None:
    """Cells of a spanning column cut by the rules crossing it; None when it has no inner rules.

    A rule drawn through a label is that label's cell border only if the label sits better in the
    cell it bounds than in the two cells merged (a label overflowing its cell stays centred on
    it; a label spanning two rows whose row rules run across it is centred on both)."""
    top, bottom = span
    cuts = [p for p in covered(hrules, *column.span) if top + TOL.rule_join_pt < p < bottom - TOL.rule_join_pt]
    if not cuts:
        return None
    labels = _text_blocks(glyphs, column, top, bottom, split_on_code)
    slack = TOL.box_slack_pt
    kept: list[float] = []
    for i, cut in enumerate(cuts):
        above, below = (kept[-1] if kept else top), (cuts[i + 1] if i + 1 < len(cuts) else bottom)
        crossing = [
            b for b in labels if b.top < cut - slack and b.bottom > cut + slack and _one_label(b, split_on_code)
        ]
        merged_fits_better = any(
            abs((above + below) / 2 - _centre(b))
            < min(abs((above + cut) / 2 - _centre(b)), abs((cut + below) / 2 - _centre(b))) - slack
            for b in crossing
        )
        if not merged_fits_better:
            kept.append(cut)
    if not kept:
        return None
    edges = [top, *kept, bottom]
    return list(zip(edges, edges[1:]))


def _upright_labels(cell: list[Glyph], split_on_code: bool) -> list[list[Line]]:
    """The upright lines of a spanning column grouped into labels: split at codes (策略目標),
    at gaps, or where a whole 構面 name ends."""
    labels: list[list[Line]] = []
    current: list[Line] = []
    for line in group_lines(cell):
        gap = current and line.top - current[-1].bottom > TOL.label_gap_em * line.size
        text_so_far = "".join(ln.text for ln in current)
        new_block = (split_on_code and starts_with_code(line.text)) or gap
        new_block = new_block or (not split_on_code and completes_perspective(text_so_far, line.text))
        if current and new_block:
            labels.append(current)
            current = []
        current.append(line)
    if current:
        labels.append(current)
    return labels


def _text_blocks(glyphs: list[Glyph], column: Column, top: float, bottom: float, split_on_code: bool) -> list[Block]:
    """Blocks of a spanning column drawn without rules: split at codes (策略目標) or gaps (構面)."""
    cell = cell_glyphs(glyphs, column, top, bottom)
    blocks = [Block(lb.top, lb.bottom, lb.text, lb.size, turned=True) for lb in turned_labels(cell)]
    blocks += [_block(lines) for lines in _upright_labels(cell, split_on_code)]
    return sorted(blocks, key=lambda b: b.top)


def _block(lines: list[Line]) -> Block:
    return Block(lines[0].top, lines[-1].bottom, "\n".join(line.text for line in lines), lines[0].size)


def column_blocks(
    glyphs: list[Glyph], column: Column, hrules: list[Rule], top: float, bottom: float, split_on_code: bool
) -> tuple[list[Block], bool]:
    """The spanning cells of a column, and whether they came from drawn rules."""
    segments = _segments(glyphs, column, hrules, (top, bottom), split_on_code)
    if segments is None:
        return _text_blocks(glyphs, column, top, bottom, split_on_code), False
    # Labels often overhang their cell (a browser turns text after laying out the cell, a
    # spreadsheet clips a stacked label only on screen): a turned label, or an upright one that
    # crosses a rule, goes whole to the cell holding its middle; other lines go line by line.
    column_glyphs = cell_glyphs(glyphs, column, top, bottom)
    turned = turned_labels(column_glyphs)
    cuts = [y0 for y0, _ in segments[1:]]
    overhanging = [
        lines
        for lines in _upright_labels(column_glyphs, split_on_code)
        if _one_label(_block(lines), split_on_code)
        and any(lines[0].top < cut - TOL.box_slack_pt < cut + TOL.box_slack_pt < lines[-1].bottom for cut in cuts)
    ]
    placed = {id(g) for lines in overhanging for line in lines for g in line.glyphs}
    blocks = []
    for y0, y1 in segments:
        cell = [g for g in cell_glyphs(glyphs, column, y0, y1, upright_only=True) if id(g) not in placed]
        lines = group_lines(cell)
        if split_on_code and sum(starts_with_code(line.text) for line in lines) > 1:
            # Several objectives between two rules: the rules are not this column's cell borders.
            return _text_blocks(glyphs, column, top, bottom, split_on_code), False
        held = [_block(label) for label in overhanging if y0 <= _centre(_block(label)) < y1]
        upright = "\n".join([line.text for line in lines] + [b.text for b in held])
        blocks.append(Block(y0, y1, upright or "".join(lb.text for lb in turned if y0 <= lb.centre < y1)))
    return blocks, True


def _snap(y: float, edges: list[float]) -> float:
    return min(edges, key=lambda e: abs(e - y))


def _centre(block: Block) -> float:
    return (block.top + block.bottom) / 2


def _centred_starts(blocks: list[Block], edges: list[float], table_top: float, table_end: float) -> list[float]:
    """Where each vertically centred label's span starts, solved from the table's end up: a span
    reaches as far above its label's centre as below it, snapped to a row edge that lies between
    this label's text and the previous one's (rows above the first label continue a block from
    the page before)."""
    slack = TOL.box_slack_pt
    starts: list[float] = []
    end = table_end
    for i in range(len(blocks) - 1, -1, -1):
        block = blocks[i]
        floor = blocks[i - 1].bottom - slack if i else table_top
        allowed = [e for e in edges if floor <= e <= block.top + slack] or [
            max((e for e in edges if e <= block.top + slack), default=table_top)
        ]
        starts.insert(0, _snap(2 * _centre(block) - end, allowed))
        end = starts[0]
    return starts


def _level_with(blocks: list[Block], ys: list[float], edge: Callable[[Block], float]) -> bool:
    """True when an edge of every label lies level with one of `ys` (anchor lines' tops or bottoms)."""
    return all(min(abs(edge(b) - y) for y in ys) <= TOL.top_aligned_em * b.size for b in blocks)


def stretch_blocks(
    blocks: list[Block],
    bounds: list[tuple[float, float]],
    anchors: list[tuple[float, float]],
    alignment: Alignment | None,
) -> list[Block]:
    """Give text-only spanning labels the rows they span.

    A label drawn without rules is top-aligned (its first line level with the first line of a
    row's KPI, `anchors` being those lines' tops and bottoms), vertically centred in its span, or
    set on the first row's first line (a turned label ending level with it, as a typesetter sets
    a rotated box on the baseline). Spans end on row boundaries and follow each other; rows above
    the first label continue a block from the slide before (left blank there).
    """
    if not blocks or not bounds:
        return blocks
    anchor_tops = [top for top, _ in anchors]
    row_tops = [b[0] for b in bounds]
    baseline_set = all(b.turned for b in blocks) and not _level_with(blocks, anchor_tops, lambda b: b.top)
    if baseline_set and _level_with(blocks, [bottom for _, bottom in anchors], lambda b: b.bottom):
        rows = [min(range(len(anchors)), key=lambda i: abs(anchors[i][1] - b.bottom)) for b in blocks]
        starts = [row_tops[i] for i in rows]
        return [Block(s, e, b.text, b.size) for b, s, e in zip(blocks, starts, [*starts[1:], bounds[-1][1]])]
    edges = sorted({*row_tops, *(b[1] for b in bounds)})
    starts = _centred_starts(blocks, edges, bounds[0][0], bounds[-1][1])
    ends = [*starts[1:], bounds[-1][1]]
    # The labels' own placement decides; where it fits both ways, the table's other cells do.
    centred = all(abs((s + e) / 2 - _centre(b)) <= TOL.centred_em * b.size for b, s, e in zip(blocks, starts, ends))
    top_aligned = _level_with(blocks, anchor_tops, lambda b: b.top)
    if centred != top_aligned or alignment is None:
        alignment = Alignment.TOP if top_aligned and not centred else Alignment.MIDDLE
    if alignment is Alignment.TOP:
        starts = [row_tops[min(range(len(anchor_tops)), key=lambda i: abs(anchor_tops[i] - b.top))] for b in blocks]
    ends = [*starts[1:], bounds[-1][1]]
    return [Block(start, end, block.text, block.size) for block, start, end in zip(blocks, starts, ends)]


def cell_alignment(glyphs: list[Glyph], columns: list[Column], bounds: list[tuple[float, float]]) -> Alignment | None:
    """How the table sets text in its cells: TOP when every row's cells start level although
    their heights differ, MIDDLE when a row's cells start at different heights, else None."""
    verdict = None
    for top, bottom in bounds:
        spans = []
        for column in columns:
            cell = cell_glyphs(glyphs, column, top, bottom, upright_only=True)
            if cell:
                spans.append((min(g.top for g in cell), max(g.bottom for g in cell), cell[0].size))
        if len(spans) < 2:
            continue
        size = min(s for _, _, s in spans)
        tops = [t for t, _, _ in spans]
        heights = [b - t for t, b, _ in spans]
        if max(tops) - min(tops) > TOL.alignment_em * size:
            return Alignment.MIDDLE
        if max(heights) - min(heights) > TOL.alignment_em * size:
            verdict = Alignment.TOP
    return verdict


def pick_block(blocks: list[Block], top: float, bottom: float, kpi_code: str | None, by_prefix: bool) -> str | None:
    """The spanning cell a KPI row lies in.

    For text-only objectives a unique code prefix decides first; for ruled ones it decides only
    where the row's own cell is empty (a label centred over two rows whose rules run across it).
    None when nothing does: a block continued from the slide before, its cell left blank.
    """
    prefixed = [b for b in blocks if kpi_code and (code := split_code(b.text)[0]) and kpi_code.startswith(code + ".")]
    if by_prefix and len(prefixed) == 1:
        return prefixed[0].text
    covering = [b for b in blocks if b.overlap(top, bottom) > 0]
    text = max(covering, key=lambda b: b.overlap(top, bottom)).text if covering else None
    if not (text or "").strip() and len(prefixed) == 1:
        return prefixed[0].text
    return text
