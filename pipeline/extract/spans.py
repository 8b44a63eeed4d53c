"""Spanning cells: 構面 and 策略目標 labels that cover several KPI rows.

Where the table draws rules across their column, each ruled cell is a block. Where it does not,
the labels are cut out of the text (at codes for objectives, at gaps or at '構面' for
perspectives) and given the rows they span, from how the table aligns text in its cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import inf

from pipeline.clean.codes import split_code, starts_with_code
from pipeline.extract.geometry import Glyph, Line, group_lines
from pipeline.extract.label_spans import Label, fit_spans
from pipeline.extract.labels import PERSPECTIVES, begins_perspective, completes_perspective, perspective_name
from pipeline.extract.layout import Column
from pipeline.extract.overprint import overprint_pairs, run_homes, runs_of, set_tight
from pipeline.extract.rules import Rule, covered
from pipeline.extract.tolerances import TOL
from pipeline.extract.turned import turned_labels


@dataclass(frozen=True)
class Block:
    """Text of a spanning cell (構面 or 策略目標) and the vertical extent it covers."""

    top: float
    bottom: float
    text: str
    size: float = 0.0  # font size of its text
    turned: bool = False  # a quarter-turned label
    piled: bool = False  # its letters printed on one spot (vertical text a PDF maker could not lay out)

    def overlap(self, top: float, bottom: float) -> float:
        return min(self.bottom, bottom) - max(self.top, top)


def _one_label(block: Block, objectives: bool) -> bool:
    """True when a block read without rules holds a single label: one objective (at most one
    code), or one 構面 name. A label whose letters are piled on one spot tells nothing of where
    it spans."""
    if block.piled:
        return False
    if objectives:
        return sum(starts_with_code(line) for line in block.text.split("\n")) <= 1
    return perspective_name(block.text) in PERSPECTIVES


def _centred_over_empty(
    labels: list[Block], cells: tuple[float, float, float], objectives: bool, anchor_tops: list[float]
) -> bool:
    """True when of two cells one holds no label and the other one label centred on both together
    (a label for two rows whose row rules a drawing tool ran across the merged cell), in a table
    that centres its cells (where cells are set at the top, a label near the middle of two cells
    is the top-set label of the lower one; and a label level with its own row's first line is
    that row's, however loosely the tool sets lines under a row's top)."""
    above, cut, below = cells
    upper = [b for b in labels if above <= _centre(b) < cut]
    lower = [b for b in labels if cut <= _centre(b) < below]
    if bool(upper) == bool(lower) or len(upper + lower) != 1 or not _one_label((upper + lower)[0], objectives):
        return False
    label = (upper + lower)[0]
    own_top, own_bottom = (above, cut) if upper else (cut, below)
    own_rows = [t for t in anchor_tops if own_top - TOL.box_slack_pt <= t < own_bottom]
    if any(t - own_top <= TOL.top_set_em * label.size or abs(t - label.top) <= TOL.box_slack_pt for t in own_rows):
        return False
    merged = abs((above + below) / 2 - _centre(label))
    own = abs((own_top + own_bottom) / 2 - _centre(label))
    return merged <= TOL.centred_em * label.size and merged < own


def _segments(
    labels: list[Block], cuts: list[float], span: tuple[float, float], objectives: bool, anchor_tops: list[float]
) -> list[tuple[float, float]] | None:
    """Cells of a spanning column cut by the rules crossing it (`cuts`); None when none remains.

    A rule drawn through a label is that label's cell border only if the label sits better in the
    cell it bounds than in the two cells merged (a label overflowing its cell stays centred on
    it; a label spanning two rows whose row rules run across it is centred on both)."""
    top, bottom = span
    slack = TOL.box_slack_pt
    kept: list[float] = []
    for i, cut in enumerate(cuts):
        above, below = (kept[-1] if kept else top), (cuts[i + 1] if i + 1 < len(cuts) else bottom)
        crossing = [b for b in labels if b.top < cut - slack and b.bottom > cut + slack and _one_label(b, objectives)]
        merged_fits_better = any(
            abs((above + below) / 2 - _centre(b))
            < min(abs((above + cut) / 2 - _centre(b)), abs((cut + below) / 2 - _centre(b))) - slack
            for b in crossing
        )
        cells = (above, cut, below)
        if not merged_fits_better and not _centred_over_empty(labels, cells, objectives, anchor_tops):
            kept.append(cut)
    if not kept:
        return None
    edges = [top, *kept, bottom]
    return list(zip(edges, edges[1:]))


def _holds_two_names(segments: list[tuple[float, float]], labels: list[Block]) -> bool:
    """True when one cell between rules holds two whole 構面 names: the rules are not the
    column's cell borders (Spire.Presentation draws a merged cell's borders a row off)."""
    names = [b for b in labels if _one_label(b, objectives=False)]
    return any(sum(y0 <= _centre(b) < y1 for b in names) > 1 for y0, y1 in segments)


def _upright_labels(cell: list[Glyph], split_on_code: bool) -> list[list[Line]]:
    """The upright lines of a spanning column grouped into labels: split at codes (策略目標),
    at gaps, or where a whole 構面 name ends. A label printed over another (two stacked labels
    overflowing their short cells into each other) is the run it was drawn in (see overprint.py)."""
    upright = [g for g in cell if not g.rotated]
    # Glyphs set tighter than their boxes are wide (see set_tight) are one text, not two colliding.
    collisions = [p for p in overprint_pairs(upright, TOL.collide_share) if not set_tight(*p)]
    homes = run_homes(upright, collisions, lambda g: 0)
    # A glyph drawn alone over others is no label of its own: letters piled on one spot.
    runs = [run for run in runs_of(upright, homes) if len(run) > 1]
    labels = [group_lines(run) for run in runs]
    taken = {id(g) for run in runs for g in run}
    rest = [g for g in upright if id(g) not in taken]
    return sorted([*labels, *_labels_by_position(rest, split_on_code)], key=lambda lines: lines[0].top)


def _labels_by_position(cell: list[Glyph], split_on_code: bool) -> list[list[Line]]:
    labels: list[list[Line]] = []
    current: list[Line] = []
    for line in group_lines(cell):
        text_so_far = "".join(ln.text for ln in current)
        gap = current and line.top - current[-1].bottom > TOL.label_gap_em * line.size
        if gap and line.top - current[-1].bottom <= TOL.label_leading_em * line.size:
            gap = not _goes_on(text_so_far, line.text, split_on_code)
        new_block = (split_on_code and starts_with_code(line.text)) or gap
        new_block = new_block or (not split_on_code and completes_perspective(text_so_far, line.text))
        if current and new_block:
            labels.append(current)
            current = []
        current.append(line)
    if current:
        labels.append(current)
    return labels


def _goes_on(label: str, line: str, objectives: bool) -> bool:
    """True when `line` goes on with the label read so far, though set a little further under it
    than labels' lines usually are (Flying Saucer sets Noto CJK's lines 2.86 em apart): a coded
    objective's wrapped name (a line opening with no code), or the next letters of a 構面 name
    still being spelled ('顧' / '客')."""
    if objectives:
        return starts_with_code(label) and not starts_with_code(line)
    return begins_perspective(label + line)


def _text_blocks(turned: list[Line], upright: list[list[Line]]) -> list[Block]:
    """The labels of a spanning column read without rules: its turned labels, and its upright
    ones (see _upright_labels)."""
    blocks = [Block(lb.top, lb.bottom, lb.text, lb.size, turned=True) for lb in turned]
    blocks += [_block(lines) for lines in upright]
    return sorted(blocks, key=lambda b: b.top)


def _block(lines: list[Line]) -> Block:
    piled = any(
        min(a.x1, b.x1) - max(a.x0, b.x0) > TOL.overprint_share * (b.x1 - b.x0)
        for line in lines
        for a, b in zip(line.glyphs, line.glyphs[1:])
    )
    return Block(lines[0].top, lines[-1].bottom, "\n".join(line.text for line in lines), lines[0].size, piled=piled)


def column_blocks(
    glyphs: list[Glyph],
    column: Column,
    hrules: list[Rule],
    span: tuple[float, float],
    split_on_code: bool,
    anchor_tops: list[float],
) -> tuple[list[Block], bool]:
    """The spanning cells of a column between span's top and bottom, and whether they came from
    drawn rules; `anchor_tops` are where the KPI rows' first lines start."""
    top, bottom = span
    # Turned labels come whole (the body holds those centred in it; one may overhang its edges),
    # and so do stacked labels overhanging the top (the only upright body text above it).
    column_glyphs = [g for g in glyphs if column.holds(g) and (g.rotated or g.cy < bottom)]
    turned = turned_labels(column_glyphs)
    upright = _upright_labels(column_glyphs, split_on_code)
    labels = _text_blocks(turned, upright)
    rules = [p for p in covered(hrules, *column.span) if top + TOL.rule_join_pt < p < bottom - TOL.rule_join_pt]
    if rules and turned and not upright and (blocks := _set_from_the_top(turned, rules, span, anchor_tops)):
        return blocks, True
    segments = _segments(labels, rules, span, split_on_code, anchor_tops) if rules else None
    if segments is None or (not split_on_code and _holds_two_names(segments, labels)):
        return labels, False
    # Labels often overhang their cell (a browser turns text after laying out the cell, a
    # spreadsheet clips a stacked label only on screen): a turned label, or an upright one that
    # crosses a rule, goes whole to the cell holding its middle; other lines go line by line.
    cuts = [y0 for y0, _ in segments[1:]]
    overhanging = [
        lines
        for lines in upright
        if _one_label(_block(lines), split_on_code)
        and any(lines[0].top < cut - TOL.box_slack_pt < cut + TOL.box_slack_pt < lines[-1].bottom for cut in cuts)
    ]
    placed = {id(g) for lines in overhanging for line in lines for g in line.glyphs}
    blocks = []
    for y0, y1 in segments:
        floor = -inf if y0 == segments[0][0] else y0  # a stacked label overhanging the top is the first cell's
        cell = [g for g in column_glyphs if floor <= g.cy < y1 and not g.rotated and id(g) not in placed]
        lines = group_lines(cell)
        if split_on_code and sum(starts_with_code(line.text) for line in lines) > 1:
            # Several objectives between two rules: the rules are not this column's cell borders.
            return labels, False
        held = [_block(label) for label in overhanging if y0 <= _centre(_block(label)) < y1]
        upright = "\n".join([line.text for line in lines] + [b.text for b in held])
        blocks.append(Block(y0, y1, upright or "".join(lb.text for lb in turned if y0 <= lb.centre < y1)))
    return blocks, True


def _set_from_the_top(
    turned: list[Line], cuts: list[float], span: tuple[float, float], anchor_tops: list[float]
) -> list[Block] | None:
    """The ruled cells of a column of turned labels each set from its cell's top, a long one run
    on down past its cell's foot (Spire.Presentation: '內部流程構面' from its row's top to the
    middle of the next row's). Each cell holding a KPI row's first line holds the top of one
    label, and every label's top is in such a cell, where the labels' middles tell otherwise (a
    row's cell without a label, a label in no row's cell). None when the labels do not sit so."""
    edges = [span[0], *cuts, span[1]]
    slack = TOL.box_slack_pt
    cells = [(y0, y1) for y0, y1 in zip(edges, edges[1:]) if any(y0 - slack <= t < y1 - slack for t in anchor_tops)]
    by_top = [[lb for lb in turned if y0 - slack <= lb.top < y1 - slack] for y0, y1 in cells]
    by_middle = [[lb for lb in turned if y0 <= lb.centre < y1] for y0, y1 in cells]
    if by_top == by_middle or any(len(held) != 1 for held in by_top) or len(by_top) != len(turned):
        return None
    return [Block(y0, y1, held[0].text) for (y0, y1), held in zip(cells, by_top)]


def _snap(y: float, edges: list[float]) -> float:
    return min(edges, key=lambda e: abs(e - y))


def _centre(block: Block) -> float:
    return (block.top + block.bottom) / 2


def stretch_blocks(
    blocks: list[Block],
    bounds: list[tuple[float, float]],
    anchors: list[tuple[float, float]],
    breaks: list[set[int]] = (),
) -> list[Block]:
    """Give text-only spanning labels the rows they span (see pipeline.extract.label_spans);
    `anchors` are the KPI rows' first lines (top, bottom), `breaks` the rows (by index) before
    which a label's block may end."""
    if not blocks or not bounds:
        return blocks
    edges = [b[0] for b in bounds] + [bounds[-1][1]]
    spans = fit_spans([Label(b.top, b.bottom, b.size or 1.0) for b in blocks], edges, anchors, breaks)
    return [Block(start, end, block.text, block.size) for block, (start, end) in zip(blocks, spans)]


def pick_block(blocks: list[Block], top: float, bottom: float, kpi_code: str | None, by_prefix: bool) -> str | None:
    """The spanning cell a KPI row lies in.

    For text-only objectives a unique code prefix decides first; for ruled ones it decides only
    where the row's own cell is empty (a label centred over two rows whose rules run across it).
    Else a cell with text beginning at the row's top is the row's own, whatever lies lower in a
    row stretched past its text (to the next slide of a handout, across the blank between); else
    the block covering most of the row. None when nothing does: a block continued from the slide
    before, its cell left blank.
    """
    prefixed = _prefixed(blocks, kpi_code)
    if by_prefix and len(prefixed) == 1:
        return prefixed[0].text
    if rest_above(blocks, top, bottom, kpi_code) is not None:
        return prefixed[0].text
    covering = [b for b in blocks if b.overlap(top, bottom) > 0]
    own = [b for b in covering if b.text.strip() and abs(b.top - top) <= TOL.box_slack_pt]
    if own:
        text = own[0].text
    elif covering:
        text = max(covering, key=lambda b: b.overlap(top, bottom)).text
    else:
        text = None
    if not (text or "").strip() and len(prefixed) == 1:
        return prefixed[0].text
    return text


def _prefixed(blocks: list[Block], kpi_code: str | None) -> list[Block]:
    """The blocks whose code begins the KPI's ('AF1' for AF1.1)."""
    return [b for b in blocks if kpi_code and (code := split_code(b.text)[0]) and kpi_code.startswith(code + ".")]


def rest_above(blocks: list[Block], top: float, bottom: float, kpi_code: str | None) -> str | None:
    """Uncoded text in a ruled cell of its own at the row's top, above the one cell coded for the
    row's KPI further down the row: not the row's objective but the end of the one before (a row
    broken over a page, '…網路攻擊警覺' / '性', its rest ruled off atop the next page)."""
    prefixed = _prefixed(blocks, kpi_code)
    if len(prefixed) != 1 or not top <= prefixed[0].top < bottom:
        return None
    above = [
        b
        for b in blocks
        if b.text.strip() and abs(b.top - top) <= TOL.box_slack_pt and b.bottom <= prefixed[0].top + TOL.box_slack_pt
    ]
    if len(above) != 1 or split_code(above[0].text)[0]:
        return None
    return above[0].text
