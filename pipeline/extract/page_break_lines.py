"""A line a page break cuts through is read once, on one page.

A paginating engine may break a table's row inside a line and draw the line on both pages, each
clipped to its content area (WebKitGTK): its top part at the foot of one page, its bottom part
atop the next. The line is read where its top is, with the text it goes on from, and the next
page drops its rest; but when the part at the foot lacks letters the next page draws (cairo draws
no glyph whose ink its clip hides all of: '.' and ',' go), the line is read on the next page,
whole. Only a page with a line its content area cuts has its neighbour laid out.
"""

from __future__ import annotations

from typing import NamedTuple

from pdfminer.layout import LTChar, LTContainer, LTPage
from pdfplumber.page import Page

from pipeline.extract.clip_layout import (
    chars_of,
    chars_with_containers,
    clipped_layout,
    content_area,
    remove_run,
    runs_of_text,
    upright,
)
from pipeline.extract.hung import Box, hung_box
from pipeline.extract.tolerances import TOL


class Cut(NamedTuple):
    """A character the edge of its clip cuts through: its text, its left, how much of its height
    shows and its height."""

    text: str
    x0: float
    shown: float
    height: float


def clip_cuts(run: list[tuple[LTContainer, LTChar]], clipped_to: dict[int, Box], at_top: bool) -> list[Cut]:
    """The characters of `run` that the edge of their clip cuts through above their middle: its
    top edge (`at_top`: more than half of each shown, so kept by keep_visible_text) or its bottom
    edge (less than half shown, so hidden), each as the Cut it makes."""
    cuts = []
    for _, char in run:
        x0, y0, _, y1 = _box(char)
        _, cy0, _, cy1 = _clip(char, clipped_to)
        edge = cy1 if at_top else cy0
        if (y0 + y1) / 2 < edge < y1:
            cuts.append(Cut(char.get_text(), x0, edge - y0 if at_top else y1 - edge, y1 - y0))
    return cuts


def cut_lines(page: Page | None, at_top: bool) -> list[Cut]:
    """What the edge of `page`'s content area cuts through of its lines: its top edge (`at_top`)
    or its bottom edge. A paginating engine may break a table's row inside a line and draw the
    line on both pages, each clipped to its content area (WebKitGTK): its top part at the foot
    of one page, its bottom part atop the next. The line is read where its top is, with the text
    it goes on from: the cut the foot of a page makes pairs up with the one atop the next page
    (see pairs_up), which that page drops (drop_ends_of_lines_begun_before)."""
    if page is None or (neighbour := _neighbour_layout(page)) is None:
        return []
    layout, clipped_to = neighbour
    laid = [(layout, char) for char in chars_of(layout) if id(char) in clipped_to]
    return clip_cuts([(c, ch) for c, ch in laid if content_area(clipped_to[id(ch)], layout.bbox)], clipped_to, at_top)


def _neighbour_layout(page: Page) -> tuple[LTPage, dict[int, Box]] | None:
    """The page before or after the one being laid out, laid out with the clips that cut its
    characters; None when it cannot be (that page reports its own failure when it is read)."""
    try:
        layout, _, clipped_to, *_ = clipped_layout(page)
    except Exception:  # noqa: BLE001 - pdfminer raises many types for broken pages
        return None
    return layout, clipped_to


def pairs_up(cuts: list[Cut], others: list[Cut]) -> bool:
    """True when each of `cuts` is the other part of one of `others`: the same character at the
    same place across, the two parts shown making up its height."""
    slack = TOL.box_slack_pt
    return all(
        any(
            o.text == c.text and abs(o.x0 - c.x0) <= slack and abs(o.shown + c.shown - c.height) <= slack
            for o in others
        )
        for c in cuts
    )


def drop_ends_of_lines_begun_before(layout: LTPage, clipped_to: dict[int, Box], before: Page) -> None:
    """Take out the runs of text atop the page that its content area's top edge cuts through and
    whose top part the page `before` shows at its foot (see cut_lines): read there."""
    cut = [
        (container, char)
        for container, char in chars_with_containers(layout)
        if id(char) in clipped_to and content_area(clipped_to[id(char)], layout.bbox)
    ]
    runs = [run for run in runs_of_text(cut) if len(clip_cuts(run, clipped_to, at_top=True)) == len(run)]
    if not runs:
        return
    cut_before = cut_lines(before, at_top=False)
    for run in runs:
        if pairs_up(clip_cuts(run, clipped_to, at_top=True), cut_before):
            remove_run(run)


def lines_read_after(layout: LTPage, clipped_to: dict[int, Box], after: Page) -> set[int]:
    """Take out the lines the page's foot cuts through that lack letters the page `after` draws
    atop it, where their lower part shows (see _lacking_letters), and give their characters' ids:
    those lines are read there, whole. The page after is laid out only for a page whose foot
    cuts a line."""
    if not (foot := _cut_at_the_foot(layout, clipped_to)) or (neighbour := _neighbour_layout(after)) is None:
        return set()
    next_layout, next_clips = neighbour
    lacking, _ = _lacking_letters(foot, clipped_to, _cut_at_the_top(next_layout, next_clips), next_clips)
    remove_run(lacking)
    return {id(char) for _, char in lacking}


def ends_read_here(before: Page, layout: LTPage, clipped_to: dict[int, Box]) -> set[int]:
    """The ids of the characters atop the page, in lines the page `before` cuts at its foot
    lacking letters they hold (see _lacking_letters): read here, as shown."""
    if not (tops := _cut_at_the_top(layout, clipped_to)) or (neighbour := _neighbour_layout(before)) is None:
        return set()
    before_layout, before_clips = neighbour
    _, moved = _lacking_letters(_cut_at_the_foot(before_layout, before_clips), before_clips, tops, clipped_to)
    return {id(char) for char in moved}


def _cut_at_the_foot(layout: LTPage, clips: dict[int, Box]) -> list[tuple[LTContainer, LTChar]]:
    """The characters (with their containers) the bottom edge of the page's content area cuts."""
    return [
        (container, char)
        for container, char in chars_with_containers(layout)
        if id(char) in clips and content_area(clips[id(char)], layout.bbox) and _cut(char, _clip(char, clips)[1])
    ]


def _cut_at_the_top(layout: LTPage, clips: dict[int, Box]) -> list[LTChar]:
    """The characters the top edge of the page's content area cuts."""
    return [
        char
        for char in chars_of(layout)
        if id(char) in clips and content_area(clips[id(char)], layout.bbox) and _cut(char, _clip(char, clips)[3])
    ]


def _lacking_letters(
    foot: list[tuple[LTContainer, LTChar]], foot_clips: dict[int, Box], tops: list[LTChar], top_clips: dict[int, Box]
) -> tuple[list[tuple[LTContainer, LTChar]], list[LTChar]]:
    """Of the lines one page's content area cuts at its foot (`foot`) and the next page's at its
    top (`tops`; a row broken inside a line, drawn on both pages: WebKitGTK), those whose foot
    part lacks letters its top part holds: cairo draws no glyph whose ink its clip hides all of,
    so a cut through a line's lower part loses its '.' and ',' ('CC2.1' and '7.5' read 'CC21' and
    '75'), which the next page draws. Such a line is read there, whole, not where it begins (see
    cut_lines). A letter pairs with its other part: the same letter at the same place across,
    the two parts shown making up its height. Gives each such line's characters at the foot (with
    their containers) and atop the next page."""
    if not foot or not tops:
        return [], []
    slack = TOL.box_slack_pt
    lines: dict[int, list[tuple[LTContainer, LTChar]]] = {}
    for container, char in foot:
        lines.setdefault(round(_box(char)[1] / slack), []).append((container, char))
    lacking, moved = [], []
    for line in lines.values():
        partners = [
            top
            for _, char in line
            for top in tops
            if top.get_text() == char.get_text()
            and abs(_box(top)[0] - _box(char)[0]) <= slack
            and abs(_shown_below(char, foot_clips) + _shown_above(top, top_clips) - _height(char)) <= slack
        ]
        if len(partners) < 2:
            continue
        level = _box(partners[0])[1]
        others = [top for top in tops if abs(_box(top)[1] - level) <= slack]
        if any(top not in partners and top.get_text().strip() for top in others):
            lacking += line
            moved += others
    return lacking, moved


def _cut(char: LTChar, edge: float) -> bool:
    """True when `edge`, level across `char`'s line, passes through its (hung) box."""
    _, y0, _, y1 = _box(char)
    return y0 < edge < y1


def _shown_below(char: LTChar, clips: dict[int, Box]) -> float:
    """How much of `char`'s height its clip's bottom edge leaves shown, above it."""
    return _box(char)[3] - _clip(char, clips)[1]


def _shown_above(char: LTChar, clips: dict[int, Box]) -> float:
    """How much of `char`'s height its clip's top edge leaves shown, below it."""
    return _clip(char, clips)[3] - _box(char)[1]


def _height(char: LTChar) -> float:
    _, y0, _, y1 = _box(char)
    return y1 - y0


def _box(char: LTChar) -> Box:
    """`char`'s (hung) box in the frame it is set in (see clip_layout.upright): a page its /Rotate
    turns breaks its lines at the side the text's foot faces, not at the device's foot."""
    return upright(hung_box(char), char)


def _clip(char: LTChar, clips: dict[int, Box]) -> Box:
    """The clip `char` is drawn in, in the frame it is set in (see _box)."""
    return upright(clips[id(char)], char)
