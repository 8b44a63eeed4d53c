"""Page numbers among a table's text: told by the page's own number where the deck prints its
numbers, by the deck's page count beside it, by a number centred under all text, or by numbers
that count up with the pages at one spot."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from pipeline.clean.text import squash
from pipeline.extract.furniture import (
    FURNITURE_MARK,
    drawn_runs,
    in_margin,
    is_furniture,
    is_page_number,
    lowest_apart,
    stacked,
)
from pipeline.extract.geometry import Line, split_runs
from pipeline.extract.labels import THEME_WORDS
from pipeline.extract.overprint import overlap
from pipeline.extract.tolerances import TOL

_COUNTED = re.compile(r"^(\d{1,3})(?:(?:[/／]|of)(\d{1,3}))?$")  # '7', or '7 / 8' with the page count
# A line that may end or begin with a bare number set apart ('臺中市政府民政局  4'): a footer's.
_ENDS_IN_A_NUMBER = re.compile(r"(?:^|[^\d.,/／%])\d{1,3}(?:(?:[/／]|of)\d{1,3})?$|^\d{1,3}(?:[^\d.,/／%]|$)")


Spot = tuple[float, float]  # where a page number is printed: its middle, across and down


def page_numbers_among_cells(lines: list[Line], number: int, page_height: float, spots: list[Spot]) -> list[Line]:
    """The runs printing this page's own number on a line shared with a table's text (a table
    running into the bottom margin), where the bare number would be read as a value of the cell
    it falls in: those at one of `spots`, the deck's places for page numbers. A page number alone
    on its line (furniture by itself) adds its spot to `spots`."""
    found = []
    for line in lines:
        if str(number) not in line.text or not in_margin(line, page_height):
            continue  # the common case, told cheaply
        runs = split_runs(line)
        for run in runs:
            if squash(run.text) != str(number) or not is_page_number(run, page_height):
                if under := _number_under_text(run, number, spots):
                    found.append(under)
                continue
            spot = ((run.x0 + run.x1) / 2, run.centre)
            if len(runs) == 1:
                spots.append(spot)
            elif any(_same_spot(spot, known, run.size) for known in spots):
                found.append(run)
    return found


def numbers_of_the_count(lines: list[Line], number: int, page_counts: range, page_height: float) -> list[Line]:
    """Runs printing this page's own number with the deck's page count ('4/7', '4 of 7') in the
    page margin, on a line shared with a table's text: beamer's footline beside a last row run
    down into it, on every page beside the author and title, so no spot is learnt from a number
    alone on its line (see counted_numbers). The page and the count both match, which no cell's
    value does by chance where a page is read: the run is no cell's. A run is one by place or by
    drawing: Spire.XLS prints the footer's '6 / 8' over a plan's last line, amid its letters.
    `page_counts`: what the deck's page count may be (a deck printed several pages to a sheet
    may leave its last sheet's pages short, and which it does is known only once it is read)."""
    found = []
    counts = [str(count) for count in page_counts]
    for line in lines:
        if not any(count in line.text for count in counts) or not in_margin(line, page_height):
            continue  # the common case, told cheaply
        drawn_apart = [Line(tuple(run)) for run in drawn_runs(line)]
        for run in [*split_runs(line), *drawn_apart]:
            counted = _COUNTED.match(squash(run.text))
            if counted and counted[2] and int(counted[1]) == number and int(counted[2]) in page_counts:
                found.append(run)
    return found


def centred_page_number(lines: list[Line], number: int, page_width: float, page_height: float) -> list[Line]:
    """The page's own number printed alone as its lowest line, centred across the page, in its
    bottom fifth, set apart from all text above by a line's height or more: a document's page
    number, though a footer placed high in a tall bottom margin puts it just above the margin
    (pandoc's odt printed on A4 landscape: 0.88 of the page down), and the first page has no
    page before it to learn the spot from (see counted_numbers). A value alone on a table's last
    line is under that row's other lines, not a line's height below all of them."""
    if (apart := lowest_apart(lines)) is None:
        return []
    lowest, _, gap = apart
    if (
        len(split_runs(lowest)) != 1
        or squash(lowest.text) != str(number)
        or lowest.top < TOL.page_number_share * page_height
    ):
        return []
    centred = abs((lowest.x0 + lowest.x1) / 2 - page_width / 2) <= lowest.size
    return [lowest] if centred and gap >= lowest.size else []


def _number_under_text(run: Line, number: int, spots: list[Spot]) -> Line | None:
    """The page's number at one of `spots` with a table's text printed over it (a table run into
    the slide number: '經營5管理' where '營' covers the '5'): its digits, each under another
    glyph of the run, or None. Digits of a value are never printed under other text."""
    digits = [g for g in run.glyphs if g.text.isdigit() and any(_same_spot((g.cx, g.cy), s, g.size) for s in spots)]
    if not digits or "".join(g.text for g in digits) != str(number):
        return None
    others = [g for g in run.glyphs if not g.text.isdigit()]
    if not all(any(overlap(d, g) > TOL.overprint_share for g in others) for d in digits):
        return None
    return Line(tuple(digits))


def _same_spot(a: Spot, b: Spot, size: float) -> bool:
    return abs(a[0] - b[0]) <= size and abs(a[1] - b[1]) <= TOL.box_slack_pt


def _in_a_stack(run: Line, lines: list[Line]) -> bool:
    """True when a run of one or two letters stands right above or below `run`, over it: a value
    set a letter a line in a narrow cell ('3' / ',' / '3' / '4' / '6' / '件'), whose first digit
    counts up at one spot from page to page as page numbers do. A page number may have a row of
    the table under it close by (a handout's lower slide), but no such stack."""
    return any(
        len(piece.glyphs) <= 2 and stacked(run, piece)
        for other in lines
        if stacked(run, other)
        for piece in split_runs(other)
    )


Sighting = tuple[int, int, str]  # a page, the number it printed at a spot, and the words beside it there


def counted_numbers(lines: list[Line], page: int, counts: dict[Spot, list[Sighting]]) -> list[Line]:
    """Bare numbers ('7', or '7 / 8' with the page count) at a spot where an earlier page printed
    one that count up with the pages (by 1 a page, or 2 to 4 for slides printed several to a
    page, the same step at every sighting): the deck's page numbers, wherever its pages put them
    (a handout's upper slide has its number mid-page, under its table, on the line of a plan's
    last words). Every number is added to `counts`, by spot, with its page and the words beside
    it; a sighting tells of a page number when it stood alone on its line, or beside footer text
    only ('新北市土城區公所｜策略地圖與平衡計分卡  3 / 8') or a theme's title (a handout's upper
    slide's number on the line of the lower slide's title), or beside the very words this number
    stands beside: text printed word for word at one place page after page is a running footer,
    whatever it says (an office's name alone, left of a handout's slide numbers). A number in a
    stack of short runs is a letter of a cell's value (see _in_a_stack)."""
    found = []
    for run, number, spot, beside in _bare_numbers(lines, [spot[1] for spot in counts]):
        key = next((known for known in counts if _same_spot(spot, known, run.size)), spot)
        seen = [(p, n) for p, n, words in counts.get(key, []) if words in ("", beside)]
        if seen and page > seen[-1][0]:
            step, rest = divmod(number - seen[-1][1], page - seen[-1][0])
            steady = len(seen) < 2 or step * (seen[-1][0] - seen[-2][0]) == seen[-1][1] - seen[-2][1]
            if rest == 0 and 1 <= step <= TOL.slides_per_page and steady:
                found.append(run)
        counts.setdefault(key, []).append((page, number, beside))
    return found


def numbers_counted_on(
    lines: list[Line], next_page: Callable[[], list[Line]], counts: dict[Spot, list[Sighting]]
) -> list[Line]:
    """Bare numbers at a spot no earlier page printed one (no spot of `counts`), where the next
    page (its lines, asked for only then) prints one counted on from it, standing alone or beside
    the same words: a page number that counted_numbers cannot tell yet, the first one of the
    deck. A table run down to the foot of the deck's first page takes that page's number into
    its last row otherwise (calibre's '…實施計畫1'). Nothing is added to `counts`."""
    fresh = [
        sighting
        for sighting in _bare_numbers(lines, [])
        if not any(_same_spot(sighting[2], known, sighting[0].size) for known in counts)
    ]
    if not fresh:
        return []
    ahead = list(_bare_numbers(next_page(), [spot[1] for _, _, spot, _ in fresh]))
    return [
        run
        for run, number, spot, beside in fresh
        if any(
            _same_spot(spot, later, run.size) and words in ("", beside) and 1 <= then - number <= TOL.slides_per_page
            for _, then, later, words in ahead
        )
    ]


def _bare_numbers(lines: list[Line], levels: list[float]) -> Iterator[tuple[Line, int, Spot, str]]:
    """Each bare number on the page's `lines` (see counted_numbers) with its value, its spot and
    the words beside it on its line; a line crossing one of `levels` (the spots' heights already
    known) is looked into even when no number ends it."""
    for line in lines:
        text = squash(line.text)
        if not any(ch.isdigit() for ch in text):
            continue
        marked = FURNITURE_MARK.search(text) is not None or THEME_WORDS in text  # a footer or a title
        crossing = any(line.top <= level <= line.bottom for level in levels)
        if not marked and not crossing and _ENDS_IN_A_NUMBER.search(text) is None:
            continue  # no number at an end, no footer or title, no known spot crossed: most lines, told cheaply
        runs = split_runs(line)
        for run in runs:
            counted = _COUNTED.match(squash(run.text))
            if counted is None or _in_a_stack(run, lines):
                continue
            beside = "".join(
                squash(other.text)
                for other in runs
                if other is not run and not is_furniture(other.text) and not _is_theme_title(other)
            )
            yield run, int(counted[1]), ((run.x0 + run.x1) / 2, run.centre), beside


def _is_theme_title(run: Line) -> bool:
    return squash(run.text).startswith(THEME_WORDS)
