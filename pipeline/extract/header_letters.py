"""Header cells read letter by letter: labels a tool wrapped a letter a line in cells a letter
wide, set beside other labels with no gutter, and labels set letter-spaced that came apart
letter by letter. Each is read back as the cells it is before the cells are named (see
header.find_layouts)."""

from __future__ import annotations

from pipeline.clean.text import is_ideograph
from pipeline.extract.geometry import Glyph, Line
from pipeline.extract.header_band import classify_cell
from pipeline.extract.header_roles import classify_run
from pipeline.extract.labels import begins_perspective
from pipeline.extract.tolerances import TOL


def letter_columns(cell: list[Line]) -> list[list[Line]]:
    """A stacked cell read as the cells it is: labels wrapped a letter a line in cells a letter
    wide, set side by side with no gutter, stack as one cell whose lines read across them ('編構'
    / '號面' for '編號' and '構面', pandoc's odt). Where every line holds as many letters, each
    right under the one above, the lines name nothing and a column of letters names a column,
    each column of letters is a cell of its own. A letter wrapped so beside a label on one line
    splits off the same way (see _letter_beside_a_label); any other cell is itself."""
    counts = {len(line.glyphs) for line in cell}
    if len(cell) >= 2 and len(counts) != 1 and (beside := _letter_beside_a_label(cell)) is not None:
        return beside
    if len(cell) < 2 or len(counts) != 1 or counts == {1} or classify_cell(cell):
        return [cell]
    columns = [[Line((line.glyphs[i],)) for line in cell] for i in range(len(cell[0].glyphs))]
    slack = TOL.box_slack_pt
    aligned = all(abs(piece.x0 - column[0].x0) <= slack for column in columns for piece in column)
    if not aligned or not any(classify_cell(column) for column in columns):
        return [cell]
    return columns


def letter_spaced(cells: list[list[Line]]) -> list[list[Line]]:
    """`cells` with the one-letter cells of a letter-spaced label read as one: ideographs drawn
    one right after another on one line, evenly spaced less than an em apart, each a cell of
    its own ('承 辦 科 室', PDF::Table spacing every header letter half an em apart). Labels the
    parser knows stay whole however their letters are spaced (see split_on_roles); a label it
    does not know came apart letter by letter, and its column, unnamed, took no text."""
    merged: list[list[Line]] = []
    gap: float | None = None
    for cell in cells:
        last = merged[-1] if merged else None
        joined = last is not None and _spaced_on(last, cell, gap)
        if joined:
            gap = _letters(cell[0])[0].x0 - _letters(last[0])[-1].x1
            merged[-1] = [Line(last[0].glyphs + cell[0].glyphs)]
        else:
            gap = None
            merged.append(cell)
    return merged


def _letters(line: Line) -> list[Glyph]:
    return [g for g in line.glyphs if not g.text.isspace()]


def _spaced_on(cell: list[Line], letter: list[Line], gap: float | None) -> bool:
    """True when `letter`, a cell of one ideograph, goes on a letter-spaced label ending `cell`
    (one line of ideographs): drawn right after its last letter, level with it, less than an em
    to its right, and as far as the letters before it stand apart (`gap`, None for a second
    letter)."""
    if len(cell) != 1 or len(letter) != 1 or len(_letters(letter[0])) != 1:
        return False
    (g,), letters = _letters(letter[0]), _letters(cell[0])
    if not (is_ideograph(g.text) and letters and all(is_ideograph(h.text) for h in letters)):
        return False
    last = letters[-1]
    slack = TOL.box_slack_pt
    space = g.x0 - last.x1
    return (
        g.seq == last.seq + 1
        and abs(g.top - last.top) <= slack
        and 0 < space < g.size
        and (gap is None or abs(space - gap) <= slack)
    )


def _letter_beside_a_label(cell: list[Line]) -> list[list[Line]] | None:
    """A stacked cell read as the two cells it is when its first or last line is a letter and a
    label the parser knows, set close, and every other line is one letter right over or under
    that letter: a label wrapped a letter a line in a cell a letter wide, beside a label on one
    line ('項構面' / '次' for '項次' and '構面', pandoc's odt; '序' / '號策略目標' for '序號' and
    '策略目標', the labels set at their cells' foot). None for any other cell, and for a row's
    stacked 構面 label whose first letters run into the header's '構面'."""
    return _beside_at(cell, 0) or _beside_at(cell, len(cell) - 1)


def _beside_at(cell: list[Line], at: int) -> list[list[Line]] | None:
    """The two cells of _letter_beside_a_label, the letter and label on line `at`, or None."""
    labelled = _letters(cell[at])
    lead = labelled[0] if labelled else None
    if lead is None or len(labelled) < 3 or classify_run(Line(tuple(labelled[1:]))) is None:
        return None
    slack = TOL.box_slack_pt
    for line in cell[:at] + cell[at + 1 :]:
        letters = _letters(line)
        if len(letters) != 1 or abs(letters[0].x0 - lead.x0) > slack or letters[0].x1 > labelled[1].x0 + slack:
            return None
    wrapped = [*cell[:at], Line((lead,)), *cell[at + 1 :]]
    if begins_perspective("".join(line.text for line in wrapped)):
        return None  # a row's stacked 構面 label begun level with the header ('學構面' / '習')
    return [wrapped, [Line(tuple(labelled[1:]))]]
