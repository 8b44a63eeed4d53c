"""Text printed over other text: finding it, and telling whose it is from the order it is drawn in.

Two glyphs printed largely over each other cannot belong to one visible line. They come from a
cell whose text overflows its box: a row of fixed height whose last lines run under (or over)
the next row's text, a value wider than its column running into the next column. Position alone
cannot say which glyph is whose, but drawing order can: tools draw a cell's text as one run,
glyph after glyph and line after line, so a glyph belongs where the run it was drawn in starts.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from operator import attrgetter

from pipeline.extract.geometry import Glyph
from pipeline.extract.labels import DECK_WORDS, MAP_WORDS, THEME_WORDS, TOOL_NOTICE
from pipeline.extract.rules import Rule
from pipeline.extract.tolerances import TOL

_FORWARD_BINS = ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1))


def overprint_pairs(glyphs: list[Glyph], share: float = TOL.overprint_share) -> list[tuple[Glyph, Glyph]]:
    """Pairs of different upright glyphs overlapping by more than `share` of the smaller's box
    ('要' printed on 'C'), left first.

    Glyphs are binned on a grid as coarse as the largest glyph, so each is compared only with
    those in its own and the neighbouring bins (overlapping glyphs are never further apart)."""
    ordered = sorted((g for g in glyphs if not g.text.isspace() and not g.rotated), key=attrgetter("x0"))
    if not ordered:
        return []
    step = max(max(g.x1 - g.x0, g.bottom - g.top) for g in ordered) or 1.0
    bins: dict[tuple[int, int], list[int]] = {}
    for i, g in enumerate(ordered):
        bins.setdefault((int(g.x0 // step), int(g.top // step)), []).append(i)
    pairs = set()
    for (bx, by), members in bins.items():
        for dx, dy in _FORWARD_BINS:  # each pair of neighbouring bins once
            for j in bins.get((bx + dx, by + dy), ()):
                b = ordered[j]
                for i in members:
                    a = ordered[i]
                    # Boxes apart (the common case) are ruled out before the areas are compared.
                    if a.x1 <= b.x0 or b.x1 <= a.x0 or a.bottom <= b.top or b.bottom <= a.top:
                        continue
                    if (dx or dy or i < j) and a.text != b.text and overlap(a, b) > share:
                        pairs.add((min(i, j), max(i, j)))
    return [(ordered[i], ordered[j]) for i, j in sorted(pairs)]


def overlap(a: Glyph, b: Glyph) -> float:
    """The share of the smaller glyph's inked box that the other's covers where the page shows
    both. Full-width punctuation inks one half of its box ('）' the left): a code set tight after
    '（週期：季）' overlaps the empty half, not the bracket. A glyph its clip cuts shows only its
    part inside the clip (see Glyph.clip): the end of a line run on past its cell's border, hidden
    there, lies over none of the next cell's text."""
    (ax0, ax1), (bx0, bx1) = ink_x(a), ink_x(b)
    smaller = min((ax1 - ax0) * (a.bottom - a.top), (bx1 - bx0) * (b.bottom - b.top))
    (ax0, ax1, atop, abottom), (bx0, bx1, btop, bbottom) = _shown(a, ax0, ax1), _shown(b, bx0, bx1)
    width = min(ax1, bx1) - max(ax0, bx0)
    height = min(abottom, bbottom) - max(atop, btop)
    return width * height / smaller if width > 0 and height > 0 and smaller > 0 else 0.0


def _shown(g: Glyph, x0: float, x1: float) -> tuple[float, float, float, float]:
    """The part of the glyph's box from `x0` to `x1` that its clip, if any, lets show."""
    if (clip := g.clip) is None:
        return x0, x1, g.top, g.bottom
    return max(x0, clip[0]), min(x1, clip[1]), max(g.top, clip[2]), min(g.bottom, clip[3])


def ink_x(g: Glyph) -> tuple[float, float]:
    """The horizontal extent of the half of its box a glyph inks (all of it but for punctuation)."""
    if g.ink_cx < g.cx:
        return g.x0, g.cx
    if g.ink_cx > g.cx:
        return g.cx, g.x1
    return g.x0, g.x1


def set_tight(a: Glyph, b: Glyph) -> bool:
    """True when two overlapping glyphs were drawn one right after the other, the second further
    along their line: one text set tighter than its glyphs are wide (a bracket whose glyph is
    wider than the box the typesetter gave it), not one text over another."""
    first, second = (a, b) if a.seq < b.seq else (b, a)
    return (
        first.seq >= 0
        and second.seq == first.seq + 1
        and abs(first.cy - second.cy) <= TOL.same_line_em * max(first.size, second.size)
        and second.cx > first.cx
    )


def pile_of(glyphs: list[Glyph]) -> dict[int, int]:
    """For each glyph of known drawing order (by id), the drawing position of the first letter of
    its pile: letters drawn one after the other, each over the one before (vertical text a tool
    could not lay out, piled on one spot). Text over other text is never one pile."""
    piles: dict[int, int] = {}
    previous: Glyph | None = None
    for g in sorted((g for g in glyphs if g.seq >= 0), key=attrgetter("seq")):
        on_previous = previous is not None and g.seq == previous.seq + 1 and overlap(previous, g) > TOL.collide_share
        piles[id(g)] = piles[id(previous)] if previous is not None and on_previous else g.seq
        previous = g
    return piles


def run_homes(
    glyphs: list[Glyph], collisions: list[tuple[Glyph, Glyph]], column_of: Callable[[Glyph], Hashable | None]
) -> dict[int, Glyph]:
    """For each glyph (by id) of a run that takes part in a collision, the run's first glyph:
    where that text belongs. Glyphs of runs clear of other text are left out (they stay where
    they are printed)."""
    if not collisions:
        return {}
    starts = run_starts(glyphs, column_of)
    involved = {id(starts[id(g)]) for pair in collisions for g in pair if id(g) in starts}
    return {key: start for key, start in starts.items() if id(start) in involved}


def runs_of(glyphs: list[Glyph], starts: dict[int, Glyph]) -> list[list[Glyph]]:
    """`glyphs` grouped by the run they were drawn in (`starts`, see run_starts or run_homes),
    each in the order given; glyphs of no run are left out."""
    runs: dict[int, list[Glyph]] = {}
    for g in glyphs:
        if id(g) in starts:
            runs.setdefault(id(starts[id(g)]), []).append(g)
    return list(runs.values())


def run_starts(glyphs: list[Glyph], column_of: Callable[[Glyph], Hashable | None]) -> dict[int, Glyph]:
    """For each upright glyph of known drawing order (by id), the first glyph of the run it was
    drawn in: glyphs drawn one right after another, each following the last on its line or
    opening the next line in the same column (`column_of`; after a cell's last line, a tool
    draws the next cell's text, often on a lower line further left). Any other glyph drawn in
    between ends a run."""
    starts: dict[int, Glyph] = {}
    previous: Glyph | None = None
    first: Glyph | None = None
    for g in sorted((g for g in glyphs if g.seq >= 0 and not g.rotated), key=attrgetter("seq")):
        if previous is None or first is None or g.seq != previous.seq + 1 or not follows(previous, g, column_of):
            first = g
        starts[id(g)] = first
        previous = g
    return starts


def follows(p: Glyph, q: Glyph, column_of: Callable[[Glyph], Hashable | None]) -> bool:
    """True when `q`, drawn right after `p`, goes on with p's text: after it on its line, without
    overlapping it or leaving a gap wider than a letter, or at the start of the next line."""
    size = max(p.size, q.size)
    if abs(q.cy - p.cy) <= TOL.same_line_em * size:
        return p.x1 - TOL.run_overlap_em * size <= q.x0 <= p.x1 + TOL.run_gap_em * size
    pitch = q.top - p.top
    return (
        TOL.line_pitch_em[0] * size <= pitch <= TOL.line_pitch_em[1] * size
        and q.x0 < p.x1
        and column_of(p) is not None
        and column_of(p) == column_of(q)
    )


def laid_after(glyphs: list[Glyph]) -> dict[int, Glyph]:
    """For each glyph (by id) of one cell's text that a tool drew back over the text it had just
    drawn, the glyph moved to stand after that text: a typesetter that misjudged a run's width
    (a code set in a face whose metrics it did not have) sets what follows where it thought the
    run ended, and draws it straight after ('BF1.1.1' then '監督…' from under its '.1'). Read in
    the order drawn, the line is right; the rest of the line, drawn later, moves with it.

    Only a glyph drawn right after the one before it on its line, printed over an earlier glyph
    of that line's text but not over its first, starts such a move: a cell's text run on under
    another's starts where that text starts, at the cell's edge, and cannot be read."""
    moved: dict[int, Glyph] = {}
    shifts: list[tuple[float, int, float]] = []  # (line's centre, first drawing position, shift)
    ordered = sorted(
        (g for g in glyphs if g.seq >= 0 and not g.rotated and not g.text.isspace()), key=attrgetter("seq")
    )
    line: list[Glyph] = []  # the glyphs drawn one right after another on one line, up to the last
    for g in ordered:
        previous = line[-1] if line else None
        on_line = previous is not None and g.seq == previous.seq + 1
        on_line = on_line and abs(g.cy - previous.cy) <= TOL.same_line_em * max(g.size, previous.size)
        if on_line:
            line.append(g)
        else:
            line = [g]
        if not on_line or g.cx >= previous.cx or g.x0 < line[0].x1:
            continue
        under = [h for h in line[:-1] if h.text != g.text and overlap(h, g) > TOL.overprint_share]
        if under:
            shifts.append((g.cy, g.seq, previous.x1 - g.x0))
    for cy, first, shift in shifts:
        for g in ordered:
            if g.seq >= first and abs(g.cy - cy) <= TOL.same_line_em * g.size:
                moved[id(g)] = (moved.get(id(g)) or g).moved(shift)
    return moved


StampKey = tuple[str, int, int, int]  # a stamp's glyph: its text, left, top and size, to the point


def _stamp_key(g: Glyph) -> StampKey:
    return g.text, round(g.x0), round(g.top), round(g.size)


def _across_the_grid(run: list[Glyph], vertical: Sequence[Rule]) -> bool:
    """Column rules, or the edges of cells' fills, taller than the run pass through the run's line
    between its letters: it is printed over a table's grid, not set in one of its cells (a fill
    behind each letter, as MuPDF's Story paints a title's background, or a stroke of a drawing
    beside a title, is no cell's)."""
    top, bottom = min(g.top for g in run), max(g.bottom for g in run)
    mid, tall = (top + bottom) / 2, TOL.stamp_cell_height * (bottom - top)
    crossed = {
        round(r.pos)
        for r in vertical
        if r.start <= mid <= r.end
        and r.end - r.start > tall
        and any(g.x1 <= r.pos for g in run)
        and any(g.x0 >= r.pos for g in run)
    }
    return len(crossed) >= TOL.stamp_rules_crossed


def _over_smaller_text(
    run: list[Glyph],
    small: list[Glyph],
    factor: float = TOL.stamp_factor,
    least: int = TOL.stamp_overprints,
    share: float = TOL.overprint_share,
) -> bool:
    """At least `least` of the run's glyphs are printed over ones drawn before them, `factor` times
    smaller or more, covering `share` of such a glyph."""
    x0, x1 = min(g.x0 for g in run), max(g.x1 for g in run)
    top, bottom = min(g.top for g in run), max(g.bottom for g in run)
    under = [g for g in small if g.x1 > x0 and g.x0 < x1 and g.bottom > top and g.top < bottom]
    if len(under) < least:
        return False  # a title over no text, told without pairing glyphs
    over = {
        id(large)
        for large, smaller in (sorted(pair, key=lambda g: -g.size) for pair in overprint_pairs([*run, *under], share))
        if large.size >= factor * smaller.size and not large.seq < smaller.seq
    }
    turned = [g for g in under if g.rotated]  # a turned 構面 label: no line's glyph, but text all the same
    over |= {
        id(large)
        for large in run
        if not large.text.isspace()
        and any(large.size >= factor * g.size and not large.seq < g.seq and overlap(large, g) > share for g in turned)
    }
    return len(over) >= least


# A run drawn after all smaller text is a stamp at a lower bar (see without_stamps).
_LAST_STAMP = (TOL.stamp_last_factor, 1, TOL.stamp_last_share)


def _drawn_after(run: list[Glyph], seq: int) -> bool:
    """Every glyph of the run whose place in the drawing order is known comes after `seq`."""
    return all(g.seq > seq for g in run if g.seq >= 0)


def _titles_its_page(run: list[Glyph]) -> bool:
    """A run naming a theme or the strategy map (not the deck: '…策略地圖與平衡計分卡') is its
    page's title, never a stamp, whatever it is printed across: a spreadsheet runs a title on over
    the empty cells beside it, across the edges of their (white) fills, as a notice runs across a
    table's grid."""
    text = "".join(g.text for g in run if not g.text.isspace())
    return THEME_WORDS in text or (MAP_WORDS in text and DECK_WORDS not in text)


RunKey = tuple[str, int]  # a run of large text drawn last on its page: its letters and size, to the point


def _drawn_last_stamp(run: list[Glyph], smaller: list[Glyph], large: bool, drawn_last: set[RunKey]) -> bool:
    """A run drawn after all of the page's smaller text is a stamp over any of it at a lower bar
    (see _LAST_STAMP); and, as large as a stamp, amid it (smaller text above and below: across a
    table, over the blank under its last row), when an earlier page drew the same run last too,
    anywhere (a cover's title is drawn last amid its smaller lines, once). Runs drawn last are
    added to `drawn_last`, large or not: a notice no larger than a profile page's text there is
    as large as a stamp over the cells of the first table page."""
    if _over_smaller_text(run, smaller, *_LAST_STAMP):
        return True
    text = "".join(g.text for g in run if not g.text.isspace())
    key = (text, round(run[0].size))
    before = key in drawn_last
    drawn_last.add(key)
    if not large:
        return False
    top, bottom = min(g.top for g in run), max(g.bottom for g in run)
    return before and any(g.bottom <= top for g in smaller) and any(g.top >= bottom for g in smaller)


def _tool_notices(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Latin text drawn one letter after the other in one size that reads as a tool's notice (see
    TOOL_NOTICE): no office's text, wherever printed. Spire.Doc prints its notice in 12 pt over
    a table of 10 pt (ruled across only) on the first page of each section, a table's continued
    page too, where the table's cells would take it in."""
    if not TOOL_NOTICE.search("".join(g.text for g in glyphs)):
        return []  # the common case, told cheaply
    runs: list[list[Glyph]] = []
    for g in glyphs:
        before = runs[-1][-1] if runs else None
        if before and g.text.isascii() and before.text.isascii() and _one_size(before, g):
            runs[-1].append(g)
        else:
            runs.append([g])
    return [notice for run in runs if (notice := _notice_lines(run))]


def _notice_lines(run: list[Glyph]) -> list[Glyph]:
    """The lines of a run from the first that reads as a notice to the last, and those after it
    set from the same left edge (the notice wrapped): not a cell's Latin text drawn right after
    the notice in its size. A line of one letter amid them is the notice's too (ActiveReportsJS
    sets a letter of 'Version' a line lower)."""
    lines: list[list[Glyph]] = []
    for g in run:
        if lines and abs(g.top - lines[-1][-1].top) <= TOL.box_slack_pt:
            lines[-1].append(g)
        else:
            lines.append([g])
    reads = [n for n, line in enumerate(lines) if TOOL_NOTICE.search("".join(g.text for g in line))]
    if not reads:
        return []
    first, last = reads[0], reads[-1]
    left = min(g.x0 for g in lines[first])
    while last + 1 < len(lines) and abs(min(g.x0 for g in lines[last + 1]) - left) <= TOL.box_slack_pt:
        last += 1
    return [g for line in lines[first : last + 1] for g in line]


def _one_size(before: Glyph, glyph: Glyph) -> bool:
    return abs(glyph.size - before.size) <= TOL.stamp_size_slack * glyph.size


def without_stamps(
    glyphs: list[Glyph], seen: set[StampKey], vertical: Sequence[Rule] = (), drawn_last: set[RunKey] | None = None
) -> list[Glyph]:
    """`glyphs` (in the order they are drawn) without text stamped over the page's text: glyphs
    drawn one after the other, each `TOL.stamp_factor` times the cells' type or more, all of one
    size, some of them printed over glyphs of two thirds their size or less drawn before them (an
    evaluation notice across a table: 'Evaluation only. Created with Aspose.Slides…', 24 pt over
    10 pt cells). A title is as large but printed over no text, or under it (Spire's notice drawn
    across the title, after it), and is drawn in its own size beside a watermark; a stamp's lines
    over empty space go with the ones printed over cells. A run printed across a table's grid
    (`vertical` rules or fills' edges through its line, between its letters) is a stamp too, over
    text or not (Spire.Doc's notice between a row's lines). A stamp is printed at one place on
    every page: its glyphs are added to `seen`, and a later page's glyphs found there go too,
    whatever they are printed over (the notice over a closing slide's large '敬請指教'). A run
    drawn after all of the page's smaller text is a stamp at a lower bar (see _drawn_last_stamp,
    `drawn_last` carrying what earlier pages drew last): Spire.XLS prints its notice last on every
    page, 1.3 to 2.2 times its cells' type, over them or under them. A tool's notice goes in any
    size, wherever printed (see _tool_notices)."""
    if not glyphs:
        return glyphs
    sizes = sorted(g.size for g in glyphs)
    cells = sizes[len(sizes) // 4]  # a quarter of the glyphs are the cells' type or smaller
    floor, last_floor = TOL.stamp_factor * cells, TOL.stamp_last_factor * cells
    stamped = {id(g) for g in glyphs if _stamp_key(g) in seen} if seen else set()
    runs: list[list[Glyph]] = []  # glyphs of one such size drawn one after the other, spaces and all
    run: list[Glyph] | None = None
    for g in glyphs:
        if g.size < last_floor:
            run = None
        elif run is not None and _one_size(run[0], g):
            run.append(g)
        else:
            run = [g]
            runs.append(run)
    notices = _tool_notices(glyphs)
    if not runs and not stamped and not notices:
        return glyphs  # the common case, told cheaply
    for run in notices:
        stamped |= {id(g) for g in run}
        seen |= {_stamp_key(g) for g in run}
    small = [g for g in glyphs if g.size < floor]
    smaller = [g for g in small if g.size < last_floor]
    last_runs = set() if drawn_last is None else drawn_last
    last_small = max((g.seq for g in smaller), default=-1)
    for run in runs:
        if _titles_its_page(run):
            continue
        large = run[0].size >= floor
        if (large and (_across_the_grid(run, vertical) or _over_smaller_text(run, small))) or (
            _drawn_after(run, last_small) and _drawn_last_stamp(run, smaller, large, last_runs)
        ):
            stamped |= {id(g) for g in run}
            seen |= {_stamp_key(g) for g in run}
    return [g for g in glyphs if id(g) not in stamped] if stamped else glyphs
