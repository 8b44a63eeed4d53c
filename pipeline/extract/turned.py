"""Labels set in quarter-turned text: a 構面 (or 策略目標) name turned 90°, sometimes wrapped over
two or three turned lines standing side by side, read in its own direction.

Turned glyphs are first put in columns (same x), each column cut into runs where its letters stop
touching; runs that are fragments of one spaced-out label are joined, and runs side by side that
overlap in height are the wrapped lines of one label.

Once the columns are placed, a turned label that overhangs its cell goes back into its 構面 or
策略目標 column (snap_turned_labels): a browser rotates the text after laying out the cell.
"""

from __future__ import annotations

from pipeline.extract.geometry import Glyph, Line
from pipeline.extract.labels import PERSPECTIVES, begins_perspective, completes_perspective, perspective_name
from pipeline.extract.layout import Column, Role
from pipeline.extract.tolerances import TOL


def _upward(glyphs: list[Glyph]) -> bool:
    return sum(g.upward for g in glyphs) * 2 > len(glyphs)


def _reading_order(glyphs: list[Glyph]) -> list[Glyph]:
    """Top to bottom, or bottom to top when most of the glyphs run upwards."""
    ordered = sorted(glyphs, key=lambda g: g.cy)
    return ordered[::-1] if _upward(glyphs) else ordered


def _columns(glyphs: list[Glyph]) -> list[list[Glyph]]:
    columns: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: g.cx):
        if columns and abs(g.cx - columns[-1][-1].cx) <= TOL.label_column_em * g.size:
            columns[-1].append(g)
        else:
            columns.append([g])
    return columns


def _gap(a: Glyph, b: Glyph) -> float:
    return max(b.top - a.bottom, a.top - b.bottom)


def _text(run: list[Glyph]) -> str:
    return "".join(g.text for g in run)


def _strands(column: list[Glyph]) -> list[list[Glyph]]:
    """A column's glyphs in reading order, as strands whose letters do not print over each other.

    A browser centres a turned label on its row after laying the table out, so a label longer
    than its row overhangs its neighbours, and two such labels in one column interleave their
    letters. Each letter continues the strand it follows most closely without overlapping it;
    of two letters printed over each other, the one that follows that strand more closely
    continues it, and the other starts or continues another."""
    strands: list[list[Glyph]] = []
    waiting = _reading_order(column)
    while waiting:
        g = waiting.pop(0)
        if waiting and _gap(g, waiting[0]) <= -TOL.overprint_share * g.size:
            h, best = waiting[0], _best_strand(strands, g)
            if (
                best is not None
                and best is _best_strand(strands, h)
                and abs(_gap(best[-1], h)) < abs(_gap(best[-1], g))
            ):
                waiting[0], g = g, h
        best = _best_strand(strands, g)
        if best is None:
            strands.append([g])
        else:
            best.append(g)
    return strands


def _best_strand(strands: list[list[Glyph]], g: Glyph) -> list[Glyph] | None:
    """The strand `g` follows most closely without printing over its last letter, if any."""
    fitting = [s for s in strands if _gap(s[-1], g) > -TOL.overprint_share * g.size]
    return min(fitting, key=lambda s: abs(_gap(s[-1], g)), default=None)


def _runs(column: list[Glyph]) -> list[list[Glyph]]:
    """A column of turned glyphs cut where its letters stop touching or a whole 構面 label ends;
    runs within a label's gap that together begin a 構面 name are one label set with its letters
    apart."""
    runs: list[list[Glyph]] = []
    ordered = _reading_order(column)
    for i, g in enumerate(ordered):
        following = _text(ordered[i : i + 2])
        if (
            runs
            and _gap(runs[-1][-1], g) <= TOL.letter_gap_em * g.size
            and not completes_perspective(_text(runs[-1]), following)
        ):
            runs[-1].append(g)
        else:
            runs.append([g])
    joined: list[list[Glyph]] = []
    for run in runs:
        last = joined[-1] if joined else None
        if (
            last is not None
            and _gap(last[-1], run[0]) <= TOL.label_gap_em * run[0].size
            and begins_perspective(_text(last) + _text(run))
        ):
            last.extend(run)
        else:
            joined.append(list(run))
    return joined


def _beside(a: list[Glyph], b: list[Glyph]) -> bool:
    """True when two turned lines stand side by side (in neighbouring columns), overlapping in
    height: one label wrapped."""
    size = max(a[0].size, b[0].size)
    apart = TOL.label_column_em * size < abs(a[0].cx - b[0].cx) <= TOL.turned_line_em * size
    top = max(min(g.top for g in a), min(g.top for g in b))
    overlap = min(max(g.bottom for g in a), max(g.bottom for g in b)) - top
    return apart and overlap >= TOL.alignment_em * size


def _two_labels(label: list[list[Glyph]], run: list[Glyph]) -> bool:
    """True when a turned line beside a label is a label of its own, not the label's next line:
    each reads as a whole 構面 name (two blocks' labels overhanging each other side by side)."""
    return all(perspective_name(_text(glyphs)) in PERSPECTIVES for glyphs in ([g for r in label for g in r], run))


def turned_labels(glyphs: list[Glyph]) -> list[Line]:
    """The labels the turned glyphs among `glyphs` spell, top to bottom, each its glyphs in
    reading order."""
    columns = _columns([g for g in glyphs if g.rotated])
    runs = [run for column in columns for strand in _strands(column) for run in _runs(strand)]
    labels: list[list[list[Glyph]]] = []
    for run in runs:
        host = next((label for label in labels if _beside(label[-1], run) and not _two_labels(label, run)), None)
        if host is None:
            labels.append([run])
        else:
            host.append(run)
    found = []
    for label in labels:
        lines = sorted(label, key=lambda r: r[0].cx, reverse=not _upward([g for r in label for g in r]))
        found.append(Line(tuple(g for line in lines for g in line)))
    return sorted(found, key=lambda label: label.top)


def _shift_into(g: Glyph, column: Column) -> Glyph:
    shift = min(max(g.cx, column.x0 + 0.5), column.x1 - 0.5) - g.cx
    return g.moved(shift)


def _off_by(x: float, column: Column) -> float:
    return max(column.x0 - x, x - column.x1, 0.0)


def _neighbours(column: Column, columns: tuple[Column, ...]) -> list[Column]:
    """The columns on either side of `column`."""
    at = columns.index(column)
    return [c for c in columns[max(at - 1, 0) : at + 2] if c is not column]


def snap_turned_labels(glyphs: list[Glyph], columns: tuple[Column, ...]) -> list[Glyph]:
    """Turned (quarter-rotated) glyphs are 構面 or 策略目標 labels, and a turned label may
    overhang its cell's border (a browser rotates the text after laying out the cell). A turned
    label that reads as a 構面 name goes whole into the 構面 column nearby; any other turned glyph
    outside those columns goes into the nearest of them, 構面 first. Heights are kept. A turned
    number alone is no label: a row's number in a column of its own, turned with the first column
    by a tool that turns that column's text (Java2D, a 編號 column before the 構面 one).

    A turned 構面 name anywhere in a column beside the 構面 column is its label where that column
    holds no text level with it: Apache POI paints a turned label off its cell, the further the
    longer the label, over the next column's text ('學習成長構面' two em into the 策略目標 column,
    where '顧客構面' above it stays in its own)."""
    spanning = [c for c in columns if c.role in (Role.PERSPECTIVE, Role.OBJECTIVE)]
    if not spanning:
        return glyphs
    perspective = next((c for c in spanning if c.role == Role.PERSPECTIVE), None)
    labels = turned_labels(glyphs)
    target: dict[int, Column] = {}
    if perspective is not None:
        neighbours = _neighbours(perspective, columns)
        held = [g for g in glyphs if perspective.holds(g)]
        for label in labels:
            centre = sum(g.cx for g in label.glyphs) / len(label.glyphs)
            near = _off_by(centre, perspective) <= TOL.label_overhang_em * label.size
            beside = not any(label.top < g.bottom and g.top < label.bottom for g in held)
            near = near or (beside and any(_off_by(centre, c) == 0 for c in neighbours))
            if near and perspective_name(label.text) in PERSPECTIVES:
                target.update({id(g): perspective for g in label.glyphs})
    numbers = {id(g) for label in labels if label.text.strip().isdigit() for g in label.glyphs}
    snapped = []
    for g in glyphs:
        column = target.get(id(g))
        if column is None and g.rotated and id(g) not in numbers and not any(c.holds(g) for c in spanning):
            nearest = min(spanning, key=lambda c: (_off_by(g.cx, c), c.role != Role.PERSPECTIVE))
            column = nearest if _off_by(g.cx, nearest) <= TOL.label_overhang_em * g.size else None
        snapped.append(g if column is None or column.holds(g) else _shift_into(g, column))
    return snapped
