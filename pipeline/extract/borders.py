"""Text set across a cell's drawn border: glyphs a tool drew as one run on one line, cut by a
column rule (or an edge the header draws). Most such runs cannot be read whole and hold their
deck back (see unread_columns.runs_across_borders); a number overflowing its value cell can."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator

from pipeline.clean.text import is_ideograph
from pipeline.clean.values import COMPARATOR_SIGNS
from pipeline.extract.geometry import Glyph
from pipeline.extract.labels import LABEL_LETTERS
from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.overprint import ink_x
from pipeline.extract.rules import Rule
from pipeline.extract.tolerances import TOL

# What a number is printed with (a unit '%' at its end): no other cell's text begins with these
# glued to a number, since tools pad cells.
_NUMBER_LETTERS = frozenset("0123456789,.%")
_CODE_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.")  # what a KPI's or plan's code is written with
_UNIT_LENGTH = 3  # the longest unit ('公里數'): a longer run of ideographs is some cell's words
_TAIL_LETTERS = 2  # the most letters of a cell's line a tool runs on past its border, unwrapped
_HANGING = frozenset(",.，。、．")  # what CJK typesetting lets hang past a line's end; no cell begins with one


def drawn_close(glyphs: list[Glyph], top: float, bottom: float, loose: float = 0.0) -> Iterator[tuple[Glyph, Glyph]]:
    """Pairs of upright glyphs between `top` and `bottom` drawn one right after the other on one
    line, set closer than a word space (and `loose` points): text a tool set as one run."""
    placed = {g.seq: g for g in glyphs if g.seq >= 0 and not g.rotated and top <= g.cy <= bottom}
    space, slack, narrow = TOL.word_space_em, TOL.box_slack_pt, TOL.narrow_ideograph_em
    for seq, a in placed.items():
        if (b := placed.get(seq + 1)) is None:
            continue
        size = a.size if a.size > b.size else b.size
        if abs(a.cy - b.cy) >= space * size:
            continue
        # set_end spelt out for a box as wide as an ideograph's: this runs for every glyph of a table
        end = a.x1 if a.x1 - a.x0 >= narrow * a.size else set_end(a)
        if -slack <= b.x0 - end <= space * size + loose:
            yield a, b


def set_end(g: Glyph) -> float:
    """Where a glyph's place on its line ends: an ideograph fills its em, whatever box its font
    declares (a re-print that re-embeds a CJK face with wrong widths boxes '課' half an em wide,
    and the next letter of the word seems set a space apart, a rule the word runs over standing
    in that gap)."""
    if is_ideograph(g.text) and g.x1 - g.x0 < TOL.narrow_ideograph_em * g.size:
        return g.x0 + g.size
    return g.x1


def close_pairs(glyphs: list[Glyph], top: float, bottom: float) -> list[tuple[Glyph, Glyph]]:
    """drawn_close's pairs as a list: found once for the steps that each look at them (border
    crossings, numbers and tails over borders), not once a step."""
    return list(drawn_close(glyphs, top, bottom))


def parted_by_a_rule(a: Glyph, b: Glyph, vrules: list[Rule]) -> bool:
    """True when a drawn column rule runs through the gap between `a` and `b`, clear of both
    boxes, all down their height: two cells' text, each filling its cell to the rule ('比率' then
    '當年度…', a spreadsheet that pads its cells by two points), not one run cut by an edge.
    Text run on past its border (a cell overflowing into an empty neighbour) sets its letters
    edge to edge, leaving no room for a rule between them."""
    top, bottom = min(a.top, b.top), max(a.bottom, b.bottom)
    return any(
        set_end(a) < r.pos < b.x0 and r.start <= top + TOL.box_slack_pt and r.end >= bottom - TOL.box_slack_pt
        for r in vrules
        if not r.fill
    )


def border_crossings(
    glyphs: list[Glyph],
    layout: TableLayout,
    vrules: list[Rule],
    top: float,
    bottom: float,
    pairs: list[tuple[Glyph, Glyph]] | None = None,
) -> list[tuple[Glyph, Glyph]]:
    """Pairs of glyphs between `top` and `bottom` drawn one right after the other on one line,
    set closer than a word space, in two columns, where a drawn column rule passes through one
    of them: a run of text set across its cell's border ('新|指', a re-print that moved a cell's
    text a few points left of its rule). A column edge that the header draws (a rule or a fill's
    edge in the header band) is such a border all the way down, though the body draws no rule
    there. A 構面 label's letters are left out: a band row's label runs across the columns, over
    a rule a typesetter draws through it ('內部流程構|面'). So is text clipped to its cell, run on
    past the border and hidden there: it is its cell's, all of it (see TableLayout.home_of).
    `pairs`, if given, are drawn_close's own for these glyphs (see close_pairs)."""
    slack = TOL.box_slack_pt
    drawn = [r for r in vrules if not r.fill and r.end - r.start > TOL.vrule_reach_pt]
    headed = _edges_drawn_in_header(layout, vrules)

    def down(r: Rule, g: Glyph) -> bool:
        return r.start <= g.top + slack and r.end >= g.bottom - slack

    def crossed(g: Glyph) -> bool:
        # Through the middle three fifths of its ink: a box's sides are the font's guess (a
        # full-width '）' inks the left half of its box; a '≧' set at a cell's edge may start a
        # point, a tenth of its box, before it). A '元' run past its cell's border stood a fifth in.
        x0, x1 = ink_x(g)
        margin = (x1 - x0) / 5
        return any(x0 + margin < pos < x1 - margin for pos in headed) or any(
            x0 + margin < r.pos < x1 - margin and down(r, g) for r in drawn
        )

    def solid_over(a: Glyph, b: Glyph) -> bool:
        # A code's letters set edge to edge, a border where they meet (to within how boxes and
        # rules are placed): one code drawn on over it, though the rule passes no glyph's middle
        # (R's grid sets a plan code's last digit 0.43 pt past the border). A letter whose box
        # begins on the border's near side, glued to the code before it, is that code's too,
        # though its neighbour's box ends short of it: a re-print that boxes a glyph by its new
        # face's width ('.' a quarter em where R set half an em) leaves a gap where it was solid;
        # a neighbouring cell's text begins past its border. Ideographs are left to crossed: a
        # big title or a footer over a grid's rules meets them anywhere.
        def at(r: Rule) -> bool:
            solid = abs(b.x0 - a.x1) <= TOL.set_solid_pt and abs(r.pos - b.x0) <= slack
            return solid or r.pos - slack <= b.x0 <= r.pos and a.x1 <= r.pos

        return (
            a.text in _CODE_LETTERS
            and b.text in _CODE_LETTERS
            and any(at(r) and down(r, a) and down(r, b) for r in drawn)
        )

    borders = sorted({*headed, *(r.pos for r in drawn)})
    if not borders:
        return []

    def near_a_border(a: Glyph, b: Glyph) -> bool:  # told cheaply: most pairs stand clear of every border
        i = bisect_right(borders, min(a.x0, b.x0))
        return i < len(borders) and borders[i] < max(a.x1, b.x1)

    return [
        (a, b)
        for a, b in (drawn_close(glyphs, top, bottom) if pairs is None else pairs)
        if near_a_border(a, b)
        and not a.text.isspace()
        and not b.text.isspace()
        and not {a.text, b.text} <= LABEL_LETTERS
        and layout.home_of(a) is not layout.home_of(b)
        and (crossed(a) or crossed(b) or solid_over(a, b))
    ]


def numbers_over_borders(
    glyphs: list[Glyph],
    layout: TableLayout,
    vrules: list[Rule],
    top: float,
    bottom: float,
    crossings: list[tuple[Glyph, Glyph]] | None = None,
    pairs: list[tuple[Glyph, Glyph]] | None = None,
) -> dict[int, Column]:
    """The glyphs (by id) of numbers set across a drawn border, each with the value column that
    holds most of its number: a value wider than its cell, which a printer of HTML tables does
    not break ('≧1,260,81|6元', its last digit past the border into the 備註 cell), is that
    cell's, all of it, with the unit glued to its end ('≧1,454,574|元'). Only digits, separators
    and a '%' run on so, and a unit of ideographs right after them: a cell's own text never begins
    glued to a number across a border. `crossings`, if given, are border_crossings' own; `pairs`,
    drawn_close's."""
    if crossings is None:
        crossings = border_crossings(glyphs, layout, vrules, top, bottom, pairs)
    crossings = [(a, b) for a, b in crossings if a.text in _NUMBER_LETTERS and _continues_a_number(b.text)]
    if not crossings:
        return {}
    pairs = close_pairs(glyphs, top, bottom) if pairs is None else pairs
    after = {a.seq: b for a, b in pairs}
    before = {b.seq: a for a, b in pairs}
    homes: dict[int, Column] = {}
    for digit, _ in crossings:
        number = [digit]
        while (g := before.get(number[0].seq)) is not None and g.text in _NUMBER_LETTERS:
            number.insert(0, g)
        while (g := after.get(number[-1].seq)) is not None and g.text in _NUMBER_LETTERS:
            number.append(g)
        if (words := _ends_a_text_cell(number, before, layout)) is not None:
            homes.update({id(g): words for g in number if layout.column_at(g) is not words})
            continue
        unit = _ideographs_after(number[-1], after)
        (home, count), *_ = Counter(layout.column_at(g) for g in number).most_common(1)
        if home is None or home.role not in (Role.ACTUAL, Role.TARGET) or 2 * count <= len(number):
            continue
        if len(unit) > _UNIT_LENGTH:  # words, not a unit: the net reports them
            continue
        homes.update({id(g): home for g in number + unit if layout.column_at(g) is not home})
    return homes


def tails_over_borders(
    crossings: list[tuple[Glyph, Glyph]],
    glyphs: list[Glyph],
    layout: TableLayout,
    top: float,
    bottom: float,
    pairs: list[tuple[Glyph, Glyph]] | None = None,
) -> dict[int, Column]:
    """The glyphs (by id) of a line's tail set past its text cell's drawn border, each with that
    cell's column: a tool that neither wraps nor clips a cell's line runs it on over the border
    by a letter or two, glued to the rest, with nothing glued after it (R's grid sets a plans
    line's 'DC1.2.' with its '.' past the border, 'CP1.1.2' with its '2'). Only a tail of at
    most _TAIL_LETTERS glyphs, reaching at most an em past the border, after a longer head: a
    cell's text whose first letter a re-print set left of its border ('新|指') goes on long in
    its own cell, and holds its deck back (see unread_columns.runs_across_borders). `pairs`, if
    given, are drawn_close's own for these glyphs."""
    if not crossings:
        return {}
    pairs = close_pairs(glyphs, top, bottom) if pairs is None else pairs
    after = {a.seq: b for a, b in pairs}
    before = {b.seq: a for a, b in pairs}
    homes: dict[int, Column] = {}
    for a, b in crossings:
        home = layout.column_at(a)
        if home is None or home.role in (Role.ACTUAL, Role.TARGET) or layout.column_at(b) is home:
            continue
        tail, head = [b], [a]
        while (g := after.get(tail[-1].seq)) is not None and len(tail) <= _TAIL_LETTERS:
            tail.append(g)
        while (g := before.get(head[0].seq)) is not None and len(head) <= _TAIL_LETTERS:
            head.insert(0, g)
        if len(tail) > _TAIL_LETTERS or len(head) <= len(tail):
            continue
        if max(g.x1 for g in tail) - home.x1 > max(g.size for g in tail):
            continue
        homes.update({id(g): home for g in tail if layout.column_at(g) is not home})
    return homes


def hanging_punctuation(pairs: list[tuple[Glyph, Glyph]], layout: TableLayout) -> dict[int, Column]:
    """The glyphs (by id) of commas and full stops hung past their cells' borders, each with the
    column of the letter before it: CJK typesetting lets such a mark at a line's end stand past
    the line's measure (LibreOffice's hanging punctuation sets '1,400,' of a wrapped '1,400,569元'
    with its last ',' a quarter point inside the border, its ink past it, where the next year's
    '1,428' read ',1,428'). Only a mark glued to the letter before it, its box begun inside that
    letter's cell, with nothing glued after it: no cell's text begins with one. `pairs` are
    close_pairs' of the table's glyphs."""
    glued_after = {a.seq for a, _ in pairs}
    homes: dict[int, Column] = {}
    for a, b in pairs:
        if b.text not in _HANGING or b.seq in glued_after:
            continue
        home = layout.column_at(a)
        if home is not None and b.x0 < home.x1 and layout.column_at(b) is not home:
            homes[id(b)] = home
    return homes


def values_meeting(
    crossings: list[tuple[Glyph, Glyph]], glyphs: list[Glyph], layout: TableLayout, top: float, bottom: float
) -> list[tuple[Glyph, Glyph]]:
    """The crossings where one value ends and the next begins, each in its own value column: a
    number's unit or '%', then the next number's first digit or comparator. Right-aligned values
    too wide for their cells run on left over their borders up to the value before
    ('1236938元|1232363元', rinohtype): each is read whole in its own cell, for no value is
    printed with a digit right after its unit. So does a comparator set over the border before
    its number ('1,359,758元≥|1,390,429元'): a comparator opens the number after it, and goes to
    its cell (see cell_moves.move_comparators_to_their_numbers)."""
    before = {b.seq: a for a, b in drawn_close(glyphs, top, bottom)}
    values = (Role.ACTUAL, Role.TARGET)

    def ends_a_number(last: Glyph) -> bool:
        g, unit = last, 0
        while g is not None and is_ideograph(g.text) and unit <= _UNIT_LENGTH:
            g, unit = before.get(g.seq), unit + 1
        if g is last and g.text == "%":
            g = before.get(g.seq)
        return g is not None and g is not last and g.text.isdigit()

    return [
        (a, b)
        for a, b in crossings
        if (b.text.isdigit() or b.text in COMPARATOR_SIGNS)
        and all((c := layout.column_at(g)) is not None and c.role in values for g in (a, b))
        and (ends_a_number(a) or (a.text in COMPARATOR_SIGNS and b.text.isdigit()))
    ]


def _ends_a_text_cell(number: list[Glyph], before: dict[int, Glyph], layout: TableLayout) -> Column | None:
    """The column of text whose cell a number ends, run on over its border into a value cell: it
    begins in that column glued to the cell's words ('數×100|%' of a 衡量方式 cell pdfLaTeX does not
    break), half of it at least, and ends with a '%' in the value column after it, where no value
    begins so (a value wider than its cell, right-aligned, stands mostly in its own). None for any
    other number."""
    first, last = number[0], number[-1]
    home, past = layout.column_at(first), layout.column_at(last)
    glued = before.get(first.seq)
    if home is None or past is None or home.role in (Role.ACTUAL, Role.TARGET) or glued is None:
        return None
    if layout.column_at(glued) is not home or glued.text in _NUMBER_LETTERS or last.text != "%":
        return None
    inside = sum(layout.column_at(g) is home for g in number)
    return home if past.role in (Role.ACTUAL, Role.TARGET) and 2 * inside >= len(number) else None


def _ideographs_after(last: Glyph, after: dict[int, Glyph]) -> list[Glyph]:
    """The ideographs glued after a number's last letter, up to one more than a unit can have."""
    unit: list[Glyph] = []
    g = after.get(last.seq)
    while g is not None and is_ideograph(g.text) and len(unit) <= _UNIT_LENGTH:
        unit.append(g)
        g = after.get(g.seq)
    return unit


def _continues_a_number(letter: str) -> bool:
    """A letter a value printer sets right after a number's digit: another digit or separator,
    or its unit's first ideograph."""
    return letter in _NUMBER_LETTERS or is_ideograph(letter)


def _edges_drawn_in_header(layout: TableLayout, vrules: list[Rule]) -> list[float]:
    """The edges between two of the layout's columns where a rule or a fill's edge stands in the
    header band: borders the header draws for the cells below it."""
    slack = TOL.box_slack_pt
    columns = sorted(layout.columns, key=lambda c: c.x0)
    edges = [a.x1 for a, b in zip(columns, columns[1:]) if abs(a.x1 - b.x0) <= slack]
    return [
        edge
        for edge in edges
        if any(
            abs(r.pos - edge) <= slack and r.start >= layout.header_top - slack and r.end <= layout.body_top + slack
            for r in vrules
        )
    ]
