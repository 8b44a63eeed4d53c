"""Notes pages: a slide printed small inside a frame, above the speaker's notes.

Presentation software exports a deck "with notes" as portrait pages that each show the slide
scaled down in a drawn frame, the speaker's notes under it in larger type, and a page number.
Read as a page, the notes are taken for the theme's title (they name it), for the office (on the
cover they are the largest text), or for cells (they run under the table). So such a page is read
as the slide alone: the frame's content, scaled up to a slide's width, and nothing outside it.

A page is a notes page when a drawn rectangle shaped like a slide (wider than tall, at least half
the page wide) sits in the upper part of a portrait page, holds text and every rule and fill of
the page but the page's background, and no text stands above it: what lies outside is the notes
and the page number, under it. A deck exported as its slides followed by their notes pages prints
every table twice; a notes page whose records are all records read before adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import groupby
from operator import attrgetter

from pipeline.extract.geometry import Glyph, PageGeometry
from pipeline.extract.rules import Rule, Rules
from pipeline.extract.tolerances import TOL
from pipeline.model import Kpi

SLIDE_WIDTH_PT = 720.0  # a framed slide is read at a 10-inch slide's width


@dataclass(frozen=True)
class SlideFrame:
    """The frame a notes page prints its slide in (top-left page coordinates), or that a sheet
    prints one of its pages in (see sheets), and the width the page in it is read at."""

    x0: float
    top: float
    x1: float
    bottom: float
    read_width: float = SLIDE_WIDTH_PT

    @property
    def scale(self) -> float:
        """From page points to the points of the slide read out of the frame."""
        return self.read_width / (self.x1 - self.x0)

    def holds(self, x0: float, top: float, x1: float, bottom: float, slack: float = TOL.box_slack_pt) -> bool:
        across = self.x0 - slack <= x0 and x1 <= self.x1 + slack
        return across and self.top - slack <= top and bottom <= self.bottom + slack

    def _scaled_glyph(self, g: Glyph) -> Glyph:
        k, origin = self.scale, (self.x0, self.x0, self.top, self.top)
        return Glyph(
            g.text,
            _snapped((g.x0 - self.x0) * k),
            _snapped((g.x1 - self.x0) * k),
            _snapped((g.top - self.top) * k),
            _snapped((g.bottom - self.top) * k),
            _snapped(g.size * k),
            g.rotated,
            g.upward,
            g.seq,
            None if (c := g.clip) is None else tuple(_snapped((v - o) * k) for v, o in zip(c, origin)),
            g.buried,
        )

    def slide(self, geometry: PageGeometry, taken: PageGeometry | None = None) -> PageGeometry:
        """The page's geometry cut to the frame and scaled to the width it is read at: the notes
        dropped. `taken`: the glyphs and rules the frame's page takes (a sheet's page, see sheets),
        if not those it holds."""
        taken = self._held(geometry) if taken is None else taken
        k = self.scale
        return replace(
            geometry,
            glyphs=[self._scaled_glyph(g) for g in taken.glyphs],
            rules=Rules(
                [_scaled(r, self.top, self.x0, k) for r in taken.rules.horizontal],
                [_scaled(r, self.x0, self.top, k) for r in taken.rules.vertical],
            ),
            width=(self.x1 - self.x0) * k,
            height=(self.bottom - self.top) * k,
        )

    def _held(self, geometry: PageGeometry) -> PageGeometry:
        """The glyphs and rules inside the frame, not the frame's own drawn edges."""
        slack = TOL.box_slack_pt
        horizontal = [
            r
            for r in geometry.rules.horizontal
            if self.top + slack < r.pos < self.bottom - slack and self.holds(r.start, r.pos, r.end, r.pos)
        ]
        vertical = [
            r
            for r in geometry.rules.vertical
            if self.x0 + slack < r.pos < self.x1 - slack and self.holds(r.pos, r.start, r.pos, r.end)
        ]
        glyphs = [g for g in geometry.glyphs if self.holds(g.x0, g.top, g.x1, g.bottom)]
        return replace(geometry, glyphs=glyphs, rules=Rules(horizontal, vertical))


def _scaled(rule: Rule, across: float, along: float, k: float) -> Rule:
    return Rule(
        _snapped((rule.pos - across) * k),
        _snapped((rule.start - along) * k),
        _snapped((rule.end - along) * k),
        rule.fill,
        tuple(_snapped((j - along) * k) for j in rule.joints),
    )


def _snapped(value: float) -> float:
    """`value` to a thousandth of a point: a page scaled down onto a sheet and back up comes out
    a few millionths off (the sheet's scale is printed to five digits), enough to tip a position
    at a half point into the next whole point where positions are compared so."""
    return round(value, 3)


def slide_frame(geometry: PageGeometry) -> SlideFrame | None:
    """The frame of the slide a notes page prints, or None for any other page (see the module).

    Looked for once the page is upright (see read_upright), so that a notes page printed
    sideways, its frame then taller than wide at one side of a landscape sheet, is found too."""
    width, height = geometry.width, geometry.height
    if height <= width or not geometry.glyphs:
        return None
    slack = TOL.box_slack_pt
    text_top = min(g.bottom for g in geometry.glyphs)  # no text stands above the frame
    edges = [r for r in geometry.rules.horizontal if not r.fill and r.pos + slack < text_top]
    for top in sorted(edges, key=lambda r: r.start - r.end):
        for bottom in geometry.rules.horizontal:
            frame = SlideFrame(top.start, top.pos, top.end, bottom.pos)
            if bottom.fill or not _slide_shaped(frame, width, height) or not _same_span(top, bottom):
                continue
            if _sides_drawn(frame, geometry.rules.vertical) and _holds_the_slide(frame, geometry):
                return frame
    return None


def _slide_shaped(frame: SlideFrame, width: float, height: float) -> bool:
    """`frame` is as wide as a slide is for its height, at least half the page wide, in the
    page's upper part."""
    w, h = frame.x1 - frame.x0, frame.bottom - frame.top
    if h <= 0 or w < TOL.notes_frame_width_share * width:
        return False
    return TOL.notes_frame_aspect[0] <= w / h <= TOL.notes_frame_aspect[1] and (
        frame.bottom <= TOL.notes_frame_bottom_share * height
    )


def _same_span(a: Rule, b: Rule, slack: float = TOL.box_slack_pt) -> bool:
    return abs(a.start - b.start) <= slack and abs(a.end - b.end) <= slack


def _sides_drawn(frame: SlideFrame, vertical: list[Rule], slack: float = TOL.box_slack_pt) -> bool:
    """A drawn rule runs down each side of `frame`, top to bottom."""
    return all(
        any(
            not r.fill and abs(r.pos - x) <= slack and r.start <= frame.top + slack and r.end >= frame.bottom - slack
            for r in vertical
        )
        for x in (frame.x0, frame.x1)
    )


def _holds_the_slide(frame: SlideFrame, geometry: PageGeometry) -> bool:
    """`frame` holds text, and every rule of the page but its background's (on or past the page's
    edges, or right across the page: a page printed inside a larger sheet has its background's
    edges a little in from the sheet's): the notes and the page number outside it are text alone."""
    if not any(frame.holds(g.x0, g.top, g.x1, g.bottom) for g in geometry.glyphs):
        return False
    slack = TOL.box_slack_pt
    for horizontal, rules in ((True, geometry.rules.horizontal), (False, geometry.rules.vertical)):
        across, along = (geometry.height, geometry.width) if horizontal else (geometry.width, geometry.height)
        for r in rules:
            if min(r.pos, across - r.pos) <= slack or (r.start <= slack and r.end >= along - slack):
                continue  # on or past the page's edge, or right across it: its background's
            box = (r.start, r.pos, r.end, r.pos) if horizontal else (r.pos, r.start, r.pos, r.end)
            if not frame.holds(*box):
                return False
    return True


def without_reprints(kpis: list[Kpi], notes_pages: set[int]) -> list[Kpi]:
    """`kpis` without those of a notes page whose records are all records of earlier pages, field
    for field but the page and white space (the slide read at another scale may space a '≧ 1' it
    printed '≧1'): the page prints those slides again. Any other difference keeps the page's
    records, and the deck's checks see a code printed twice. Run once the deck is read, so that
    both copies are compared as they will be published."""
    kept: list[Kpi] = []
    for page, records in groupby(kpis, key=attrgetter("page")):
        records = list(records)
        if page in notes_pages:  # only a notes page's records are compared (most decks have none)
            before = {_record(k) for k in kept}
            if all(_record(k) in before for k in records):
                continue
        kept += records
    return kept


def _record(kpi: Kpi) -> str:
    return "".join(repr(replace(kpi, page=0)).split())
