"""The body text under a header, measured once for all the table's column edges, and which white
gaps in it may be gutters.

A gap that no glyph crosses is a gutter only when it cuts no cell's text in two: a code from its
name, a number at its point, a run drawn in one go, a plan code run on past its column. These are
tests on the text either side of a gap, whatever the header or the rules say; weighing them
against the rules and the header's cells is pipeline.extract.columns' business.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.clean.codes import CODE_PATTERN, code_depth, ends_with_code, is_code
from pipeline.clean.text import is_ideograph, squash
from pipeline.clean.values import COMPARATOR_SIGNS, is_not_applicable_note
from pipeline.extract.furniture import is_furniture, is_note_mark
from pipeline.extract.geometry import Glyph, Line, glyph_text, group_lines, split_runs
from pipeline.extract.labels import band_perspective
from pipeline.extract.layout import Column, Role
from pipeline.extract.tolerances import TOL


def free_gaps(spans: list[tuple[float, float]], start: float, end: float) -> list[tuple[float, float]]:
    """Horizontal intervals inside start..end that none of `spans` (see ink_spans) covers."""
    gaps, cursor = [], start
    for x0, x1 in spans:
        if x1 <= start:
            continue
        if x0 >= end:
            break
        if x0 > cursor:
            gaps.append((cursor, x0))
        cursor = max(cursor, x1)
    if cursor < end:
        gaps.append((cursor, end))
    return gaps


Sides = list[tuple[list[Glyph], list[Glyph], float]]  # per line: glyphs before a gap, after it, type size


def _across(gap: tuple[float, float], lines: list[Line]) -> Sides:
    """For each line with text on both sides of `gap`, at most a code's distance from its name
    apart (the widest any test below looks): the glyphs before the gap, those after, its size."""
    x0, x1 = gap
    slack = TOL.box_slack_pt
    sides = []
    for line in lines:
        if line.x0 > x0 + slack or line.x1 < x1 - slack:
            continue  # no text on one side: most lines, told without looking at their glyphs
        before = [g for g in line.glyphs if g.x1 <= x0 + slack]
        after = [g for g in line.glyphs if g.x0 >= x1 - slack]
        if before and after and after[0].x0 - before[-1].x1 <= TOL.code_name_gap_em * line.size:
            sides.append((before, after, line.size))
    return sides


def _within(sides: Sides, within_em: float) -> list[tuple[list[Glyph], list[Glyph]]]:
    """The sides whose texts stand no more than `within_em` apart (a gap of exactly that width,
    a typesetter's own word space, is within it whatever the rounding of the glyph positions)."""
    return [
        (before, after)
        for before, after, size in sides
        if after[0].x0 - before[-1].x1 <= within_em * size + TOL.rounding_pt
    ]


def _splits_code(sides: Sides) -> bool:
    """True when some line has a code right before the gap and its text right after it, within a
    word space or two: a code and its name ('BC1 推動…') are one cell, never two columns; so are
    a code fused to the end of the plan before and the name after it ('…計畫CL1.1.2 臺北市…').
    A number more than a word space after a code is no name: typesetters space a code from a
    name in CJK that wide, not from digits ('…要點 BF1.1.2' then the value '242077')."""
    for before, after in _within(sides, TOL.code_name_gap_em):
        gap = after[0].x0 - before[-1].x1
        if _starts_value(after[0].text) and gap > TOL.word_space_em * after[0].size:
            continue
        tail = [before[-1]]
        for prev, g in zip(reversed(before[:-1]), reversed(before)):
            if g.x0 - prev.x1 > TOL.word_space_em * g.size:
                break
            tail.insert(0, prev)
        text = glyph_text(tail)
        if is_code(text) or (
            ends_with_code(text) and is_ideograph(after[0].text) and not _drawn_apart(tail[-1], after[0])
        ):
            return True
    return False


def _drawn_apart(a: Glyph, b: Glyph) -> bool:
    """True when other text was drawn between `a` and `b` (more than the space or two a tool may
    draw between words): a fused code's name is drawn right after it; a note standing in the next
    column after the code is drawn once the rest of the plan's cell is ('…計畫BL1.1.2' / '新增')."""
    return a.seq >= 0 and b.seq >= 0 and not 0 < b.seq - a.seq <= 3


def _splits_run(sides: Sides) -> bool:
    """True when some line has two glyphs drawn one right after the other on either side of the
    gap, a word space apart at most: one text run, the inside of a cell ('演習 (演練、' set loose
    around a half-width bracket), never the gutter between two cells' texts. A bracket may stand
    half an em from the ideograph it opens or closes (xeCJK's glue between the two scripts); after
    a closing bracket, a number that far on is the next cell's value ('(疫情停辦)' / '95.8%'), and
    so is a number any way on after a status note (Qt sets '換屆不適用' 3 pt before '6.1'): no
    cell's value goes on after its note."""
    for before, after in _within(sides, TOL.bracket_space_em):
        a, b = before[-1], after[0]
        if _starts_value(b.text) and is_not_applicable_note(glyph_text(before)):
            continue
        glued = (b.text in _OPENS and is_ideograph(a.text)) or (a.text in _CLOSES and is_ideograph(b.text))
        loose = (TOL.bracket_space_em if glued else TOL.word_space_em) * max(a.size, b.size) + TOL.rounding_pt
        if is_ideograph(a.text) and is_ideograph(b.text):
            loose = max(loose, _letter_spacing(before, after) + TOL.min_gutter_em * max(a.size, b.size))
        if a.seq >= 0 and b.seq == a.seq + 1 and b.x0 - a.x1 <= loose:
            return True
    return False


def _letter_spacing(before: list[Glyph], after: list[Glyph]) -> float:
    """The usual gap between the letters of the run drawn on through the end of `before` and
    the start of `after` (a line's glyphs either side of a gap): none in most text, a third of
    an em where ConTeXt glues CJK letters apart, so that a gap of that width between two of them
    is inside the run, not between cells. Zero when fewer than three other gaps of the run are seen."""
    gaps = _run_gaps(before[::-1], reverse=True) + _run_gaps(after, reverse=False)
    gaps.sort()
    return gaps[len(gaps) // 2] if len(gaps) >= 3 else 0.0


def _run_gaps(glyphs: list[Glyph], reverse: bool) -> list[float]:
    """The gaps between glyphs drawn one right after the other from the first of `glyphs` on
    (going left when `reverse`), each at most a bracket's space wide, until one is not. Spaces
    a tool puts between letters set apart (Flying Saucer's, half an em wide) are no letters."""
    gaps = []
    glyphs = [g for g in glyphs if not g.text.isspace()]
    for x, y in zip(glyphs, glyphs[1:]):
        a, b = (y, x) if reverse else (x, y)
        gap = b.x0 - a.x1
        if a.seq < 0 or b.seq != a.seq + 1 or gap > TOL.bracket_space_em * max(a.size, b.size):
            break
        gaps.append(gap)
    return gaps


_OPENS = set("(（「『【《〈〔［")
_CLOSES = set(")）」』】》〉〕］")


def _splits_number(sides: Sides) -> bool:
    """True when some line has a number's point or separator right before the gap and a digit
    right after it, half an em on ('78.' / '2%': a full-width point set in a half-width box):
    no number ends in '.' or ','."""
    for before, after in _within(sides, TOL.split_number_em):
        tail = "".join(g.text for g in before[-2:])
        if len(tail) == 2 and tail[0].isdigit() and tail[1] in ".," and after[0].text.isdigit():
            return True
    return False


def _lone(glyphs: list[Glyph], at: int) -> bool:
    """True when the ideograph at `at` stands apart from its neighbours on its line."""
    g = glyphs[at]
    apart = TOL.min_gutter_em * g.size
    return (
        is_ideograph(g.text)
        and (at == 0 or g.x0 - glyphs[at - 1].x1 >= apart)
        and (at == len(glyphs) - 1 or glyphs[at + 1].x0 - g.x1 >= apart)
    )


def _splits_vertical_writing(sides: Sides) -> bool:
    """True when the gap runs between two columns of one block of vertical writing: a cell's text
    set top to bottom in columns standing side by side (a spreadsheet's vertical text wrapped in a
    narrow cell, '構流內' / '面程部' for 內部流程構面). On two lines one right under the other, the
    ideographs either side of the gap each stand alone on their line, and each stands exactly over
    the one below it. Two cells' texts meet like that only in such a block."""
    near = _within(sides, TOL.vertical_writing_gap_em)
    lone = [(before[-1], after[0]) for before, after in near if _lone(before, len(before) - 1) and _lone(after, 0)]
    pairs = sorted(lone, key=lambda pair: pair[0].top)
    slack = TOL.box_slack_pt
    for (a, b), (c, d) in zip(pairs, pairs[1:]):
        stacked = 0 <= c.top - a.bottom <= TOL.vertical_writing_gap_em * a.size
        if stacked and abs(c.x0 - a.x0) <= slack and abs(d.x0 - b.x0) <= slack and abs(d.top - c.top) <= slack:
            return True
    return False


CODE_DEPTH_OF = {Role.OBJECTIVE: 1, Role.KPI: 2, Role.PLANS: 3}


def _starts_foreign_code(sides: Sides, right: Role) -> bool:
    """True when some line has text right before the gap and, right after it, a code the column
    on the right never starts with (a plan's code 'BF1.1.2' fused to the plan before it and
    running on past the plans column: only a plans cell starts with a plan code). The code may
    stand as far from the text before as a code from its name (XeLaTeX spaces Latin from CJK)."""
    for _, after in _within(sides, TOL.code_name_gap_em):
        match = CODE_PATTERN.match(glyph_text(after))
        if match and code_depth(match.group(0)) != CODE_DEPTH_OF.get(right):
            return True
    return False


def may_be_gutter(gap: tuple[float, float], body: BodyText, right: Role) -> bool:
    """A white gap wide enough for a gutter that cuts no code from its name, no number, no drawn
    run of text, and leaves no foreign code at the start of the right column's cells."""
    if gap[1] - gap[0] < TOL.min_gutter_em * body.size:
        return False
    sides = _across(gap, body.lines)
    return not (
        _splits_code(sides)
        or _starts_foreign_code(sides, right)
        or _splits_number(sides)
        or _splits_run(sides)
        or _splits_vertical_writing(sides)
    )


def _run_starts(lines: list[Line]) -> list[float]:
    """Where runs of text begin: each line's first glyph, every glyph after a visible gap, and a
    value opening after words with any gap before it (a status note filling its cell up to the
    next one's number: '指標調整不適用' then '3.3' under the next year, under two points apart;
    Calligra's value 0.14 em after a plan's line, a tab glyph drawn under its first digit)."""
    starts = []
    for line in lines:
        prev = None
        for g in line.glyphs:
            if g.text.isspace():
                continue
            if prev is None or g.x0 - prev.x1 > _start_gap(prev, g):
                starts.append(g.x0)
            prev = g
    return starts


def _start_gap(prev: Glyph, g: Glyph) -> float:
    """The gap after `prev` that makes `g` start a run of its own: a value drawn apart from the
    words before it starts one however close."""
    after_words = is_ideograph(prev.text) or prev.text in _CLOSES
    if after_words and _starts_value(g.text):
        return TOL.rounding_pt if _drawn_apart(prev, g) else TOL.min_gutter_em * g.size
    return TOL.word_space_em * g.size


def opens_aligned_values(gap: tuple[float, float], body: BodyText, right: Role, aligned: float | None) -> bool:
    """True when `gap` ends where a year column's cells start level and every line crossing it
    has a number right after it: the gutter before left-aligned values, though a plan code ends
    the text before it ('…推動計畫 CC1.1.2' / '2,595人次'), which _splits_code would keep whole.
    Narrower than a gutter, it is one when each number was drawn apart from the text before it
    (Calligra sets a value 0.14 em after a plan's line that fills its cell) or stands a gutter
    after it on its line (mPDF shrinks a table until a KPI cell's line ends 0.13 em before the
    values, another line's name drawn right before its value a gutter away)."""
    if right not in (Role.ACTUAL, Role.TARGET):
        return False
    if aligned is None or abs(gap[1] - aligned) > TOL.box_slack_pt:
        return False
    sides = [(before, [g for g in after if not g.text.isspace()]) for before, after, _ in _across(gap, body.lines)]
    if not sides or not all(after and _starts_value(after[0].text) for _, after in sides):
        return False
    narrow = gap[1] - gap[0] < TOL.min_gutter_em * body.size
    gutter = TOL.gutter_em * body.size
    return not narrow or all(
        _drawn_apart(before[-1], after[0]) or after[0].x0 - before[-1].x1 >= gutter for before, after in sides
    )


def median_size(glyphs: list[Glyph]) -> float:
    sizes = sorted(g.size for g in glyphs) or [10.0]
    return sizes[len(sizes) // 2]


@dataclass(frozen=True)
class BodyText:
    """The text that tells where a table's columns are, measured once for all its edges."""

    glyphs: list[Glyph]
    lines: list[Line]
    spans: list[tuple[float, float]]  # see ink_spans
    size: float  # the median type size
    starts: list[float]  # where runs of text begin (see _run_starts), left to right


def table_text(glyphs: list[Glyph], columns: list[Column], top: float, bottom: float) -> BodyText:
    """The upright body text between `top` and `bottom`, without page furniture, and without
    full-width 構面 band rows when the table has no 構面 column. Turned labels are left out: they
    may overhang their cell (see snap_turned_labels)."""
    bands = not any(c.role == Role.PERSPECTIVE for c in columns)
    # A first line set tight under the header may reach above the body's top (a header row too
    # short for its wrapped labels lets their last line overlap it): its middle is below.
    lines = group_lines(g for g in glyphs if g.cy >= top and g.bottom <= bottom and not g.rotated)
    kept = [_without_furniture(line, bands) for line in lines]
    body = [g for line in kept for g in line]
    # Lines grouped again only when some text was left out (what remains may group differently).
    lines = lines if len(body) == sum(len(line.glyphs) for line in lines) else group_lines(body)
    return BodyText(body, lines, ink_spans(lines), median_size(body), sorted(_run_starts(lines)))


def ink_spans(lines: list[Line]) -> list[tuple[float, float]]:
    """The x-extents of the lines' visible glyphs, left to right. Full-width closing punctuation
    right before a number ('（週期：季）93%', '(演練、12場') counts only the left half of its box,
    where its ink is: the rest is the gutter between a cell's text and the next column's value,
    which tools set that narrow. So does such punctuation ending its run: a typesetter may hang it
    past the cell's edge ('(演練、' with the '、' box over the border, xhtml2pdf), where the next
    cell's text starts under its blank half. A Latin full stop or comma boxed half an em wide (a
    CJK face's half-width form) inks its left half too: ending its run ('…措施AF1.1.' wrapped
    after the dot), the rest of its box is white the next column's text may start in."""
    spans = []
    for line in lines:
        glyphs = line.glyphs
        for g, after in zip(glyphs, [*glyphs[1:], None]):
            if g.text.isspace():
                continue
            apart = _set_apart_from(g, after)
            before_value = not apart and _starts_value(after.text)
            # A half-width stop right before a digit is a value's point or a code's: no run ends there.
            inks_left = (g.ink_cx < g.cx and (apart or before_value)) or (_half_width_stop(g) and apart)
            spans.append((g.x0, g.cx) if inks_left else (g.x0, g.x1))
    return sorted(spans)


def _half_width_stop(g: Glyph) -> bool:
    """True for a Latin '.' or ',' boxed half an em wide: a CJK face's half-width form."""
    return g.text in ".," and g.x1 - g.x0 >= TOL.half_width_stop_em * g.size


def _set_apart_from(g: Glyph, after: Glyph | None) -> bool:
    """True when `g` ends its run of text: nothing follows it closer than a word space."""
    return after is None or after.x0 - g.x1 > TOL.word_space_em * g.size


def _starts_value(text: str) -> bool:
    return text[:1].isdigit() or (text[:1] in COMPARATOR_SIGNS or text[:1] in "+-±")


def _without_furniture(line: Line, bands: bool) -> tuple[Glyph, ...]:
    """A line's glyphs but for furniture: a footer, footnote or band row goes whole; a row's line
    whose furniture is a footnote mark in a cell ('註1' in a 備註 column, heading its line when the
    cells before are blank) keeps its other cells' text."""
    if not _furniture_or_band(squash(line.text), bands):
        return line.glyphs
    runs = split_runs(line)
    marks = [run for run in runs if is_note_mark(run.text)]
    if (
        not marks
        or len(marks) == len(runs)
        or any(_furniture_or_band(squash(r.text), bands) for r in runs if r not in marks)
    ):
        return ()
    return tuple(g for run in runs if run not in marks for g in run.glyphs)


def _furniture_or_band(text: str, bands: bool) -> bool:
    return is_furniture(text) or (bands and bool(band_perspective(text)))
