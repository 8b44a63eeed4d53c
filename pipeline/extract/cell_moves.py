"""Glyphs read into another cell than the one they stand in: text a tool drew in one run that runs
on past its cell (a value wider than its column printed over the next one's text, a number over
its cell's drawn border, a plan list whose codes hang into the column before), and text drawn back
over the text drawn just before it. Each step moves glyphs between a table row's columns."""

from __future__ import annotations

from math import inf
from operator import attrgetter

from pipeline.clean.codes import CODE_PATTERN, code_depth
from pipeline.clean.values import COMPARATOR_SIGNS
from pipeline.extract.borders import (
    border_crossings,
    close_pairs,
    hanging_punctuation,
    numbers_over_borders,
    tails_over_borders,
)
from pipeline.extract.geometry import Glyph, glyph_text
from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.overprint import laid_after, run_starts, runs_of
from pipeline.extract.row_bounds import Homes
from pipeline.extract.rules import Rule

_SEPARATORS = frozenset(",.")  # what a number is cut at ('1,215,546', '93.5')


def move_to_home_columns(collisions: list[tuple[Glyph, Glyph]], homes: Homes, by_column: dict[Column, list[Glyph]]):
    """A colliding glyph whose run starts in another column (a value wider than its column,
    printed over the next column's text) moves to that column's glyphs."""
    colliding = {id(g) for pair in collisions for g in pair}
    for column, members in by_column.items():
        for g in [g for g in members if id(g) in colliding and id(g) in homes]:
            home = next((c for c in by_column if c.holds(homes[id(g)])), column)
            if home is not column:
                members.remove(g)
                by_column[home].append(g)


def move_clipped_text_to_its_cells(layout: TableLayout, by_column: dict[Column, list[Glyph]]) -> None:
    """A glyph drawn past the cell its text was clipped to, hidden where it stands, is that
    cell's (see TableLayout.clipped_into): a plans line R's gridExtra sets wider than its cell
    runs on into the value column after it, its end hidden there ('AP1.1.2' cut to 'A|P1.1.2')."""
    for column, members in by_column.items():
        homes = {id(g): home for g in members if (home := layout.clipped_into(g)) is not None and home is not column}
        for g in [g for g in members if homes.get(id(g)) in by_column]:
            members.remove(g)
            by_column[homes[id(g)]].append(g)


def move_numbers_over_borders(
    glyphs: list[Glyph],
    layout: TableLayout,
    vrules: list[Rule],
    by_column: dict[Column, list[Glyph]],
    pairs: list[tuple[Glyph, Glyph]] | None = None,
) -> None:
    """A number set across its cell's drawn border goes whole to the value cell holding most of
    it (see borders.numbers_over_borders); so does one run on over an edge into a column of text,
    drawn or not (a figure upLaTeX set wider than its cell, over the plans column's edge), and
    one cut at a separator by a column's edge that no rule draws (see _numbers_cut_at_a_separator). A text
    line's tail run on past its border goes back to its cell (see borders.tails_over_borders), and
    so does a comma or full stop hung past it (see borders.hanging_punctuation). `pairs`, if
    given, are borders.close_pairs(glyphs, -inf, inf)."""
    pairs = close_pairs(glyphs, -inf, inf) if pairs is None else pairs
    into_text = [
        (a, b)
        for a, b in pairs
        if (right := layout.column_at(b)) is not None
        and right.role not in (Role.ACTUAL, Role.TARGET)
        and right is not layout.column_at(a)  # asked last: most runs stay in one value cell or none
    ]
    crossings = border_crossings(glyphs, layout, vrules, -inf, inf, pairs)
    cut_numbers = _numbers_cut_at_a_separator(pairs, layout)
    homes = numbers_over_borders(glyphs, layout, vrules, -inf, inf, crossings + into_text + cut_numbers, pairs)
    unmoved = [(a, b) for a, b in crossings if id(a) not in homes and id(b) not in homes]
    homes |= tails_over_borders(unmoved, glyphs, layout, -inf, inf, pairs)
    homes |= hanging_punctuation(pairs, layout)
    for column, members in by_column.items():
        for g in [g for g in members if homes.get(id(g), column) is not column]:
            members.remove(g)  # into a column that is not read, it goes with that column's text
            if homes[id(g)] in by_column:
                by_column[homes[id(g)]].append(g)


def _numbers_cut_at_a_separator(pairs: list[tuple[Glyph, Glyph]], layout: TableLayout) -> list[tuple[Glyph, Glyph]]:
    """Pairs of glyphs drawn close across a value column's edge, one of them a thousands or
    decimal separator: a number right-aligned in a cell too narrow for it runs on left past the
    edge, where no rule is drawn ('1|,215,546元', rinohtype with horizontal rules only, its first
    digit in the KPI's column). No value's cell begins or ends with a separator, so the number
    is one; two values set close with no separator between them ('95' then '100') stay apart."""
    values = (Role.ACTUAL, Role.TARGET)
    return [
        (a, b)
        for a, b in pairs
        if (a.text in _SEPARATORS or b.text in _SEPARATORS)
        and (right := layout.column_at(b)) is not None
        and right.role in values
        and right is not layout.column_at(a)
    ]


def move_comparators_to_their_numbers(
    glyphs: list[Glyph],
    layout: TableLayout,
    by_column: dict[Column, list[Glyph]],
    pairs: list[tuple[Glyph, Glyph]] | None = None,
) -> None:
    """A comparator drawn right before a number goes to that number's value cell: set tight after
    the value before it ('1,207,490≥1,185,380', rinohtype's narrow columns), its box may stand
    over that cell's edge, where it would end the other value as a unit. `pairs`, if given, are
    borders.close_pairs(glyphs, -inf, inf)."""
    for a, b in close_pairs(glyphs, -inf, inf) if pairs is None else pairs:
        if a.text not in COMPARATOR_SIGNS or not b.text[:1].isdigit():
            continue
        here, home = layout.column_at(a), layout.column_at(b)
        if home is here or home is None or home.role not in (Role.ACTUAL, Role.TARGET) or home not in by_column:
            continue
        if here in by_column and a in by_column[here]:
            by_column[here].remove(a)
            by_column[home].append(a)


def move_hanging_plans(row_glyphs: list[Glyph], layout: TableLayout, by_column: dict[Column, list[Glyph]]) -> None:
    """A run of text that opens with a plan's code and goes on into the plans column is a plan,
    all of it: a list whose codes hang left of the plans column into the one before (XeLaTeX
    labels set in the margin, the lines that wrap under them too) moves into the plans column."""
    plans = layout.column(Role.PLANS)
    if plans is None or plans not in by_column:
        return
    before = layout.columns[layout.columns.index(plans) - 1] if layout.columns.index(plans) else plans

    def column_of(g: Glyph) -> Column | None:  # a plan's lines may wrap back into the margin
        column = layout.column_at(g)
        return plans if column is before else column

    starts = run_starts(row_glyphs, column_of)
    for run in runs_of(sorted(row_glyphs, key=attrgetter("seq")), starts):
        code = CODE_PATTERN.match(glyph_text(g for g in run if not g.text.isspace()))
        if not code or code_depth(code.group(0)) != 3 or plans.holds(run[0]) or not any(plans.holds(g) for g in run):
            continue
        in_run = {id(g) for g in run}
        for column, members in by_column.items():
            if column is not plans:
                by_column[plans].extend(g for g in members if id(g) in in_run)
                members[:] = [g for g in members if id(g) not in in_run]


def lay_drawn_back_text_after(by_column: dict[Column, list[Glyph]], collisions: list[tuple[Glyph, Glyph]]) -> set[int]:
    """Each cell's text drawn back over the text drawn just before it, laid after it (see
    overprint.laid_after); the ids of the glyphs so moved. Only a column with a glyph in
    `collisions` can hold such text."""
    colliding = {id(g) for pair in collisions for g in pair}
    relaid: set[int] = set()
    for members in by_column.values():
        if any(id(g) in colliding for g in members) and (moved := laid_after(members)):
            members[:] = [moved.get(id(g), g) for g in members]
            relaid |= moved.keys()
    return relaid


def split_numbers(
    by_column: dict[Column, list[Glyph]], vrules: list[Rule], top: float, bottom: float
) -> tuple[str, ...]:
    """Pairs of digits between `top` and `bottom` drawn one right after the other on one line,
    set closer than a word space, left in two columns once every move is made, with no rule drawn
    between them: one number cut by a column edge placed through it ('1|0場': the 108 value read
    as 0 and the plan before it as '1桃園市…')."""
    column_of = {id(g): column for column, members in by_column.items() for g in members}
    glyphs = [g for members in by_column.values() for g in members]
    pairs = close_pairs(glyphs, top, bottom)
    digits = [(a, b) for a, b in pairs if a.text.isdigit() and b.text.isdigit()]
    cut = [(a, b) for a, b in digits if column_of[id(a)] is not column_of[id(b)]]
    if not cut:
        return ()  # the common case: no number left in two columns
    before, after = {b.seq: a for a, b in pairs}, {a.seq: b for a, b in pairs}
    found = []
    for a, b in cut:
        if _grouped_ends(a, before) == ",ddd" and _grouped_ends(b, after) in (",d", ",dd", ",ddd"):
            continue  # '1,207,734|1,200,000': two numbers, each grouped whole, set edge to edge
        if not any(a.cx < r.pos < b.cx and r.start <= a.cy <= r.end for r in vrules):
            found.append(f"{a.text}|{b.text}")
    return tuple(found)


def _grouped_ends(digit: Glyph, step: dict[int, Glyph]) -> str:
    """The digits from `digit` on (by `step`: the glyph drawn close before or after each) up to
    the first separator, written 'd' each, the separator as ',' first: ',ddd' for the last group
    of '1,207,734' read back from its '4'; '' when no separator comes within four letters."""
    letters, g = "", digit
    while g is not None and g.text.isdigit() and len(letters) < 4:
        letters += "d"
        g = step.get(g.seq)
    return "," + letters if g is not None and g.text == "," else ""
