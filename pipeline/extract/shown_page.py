"""A page as it is shown, before any table is looked for on it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from pipeline.extract.clipping import keep_visible_text
from pipeline.extract.geometry import PageGeometry, near_the_page, page_geometry
from pipeline.extract.notes_pages import SlideFrame, slide_frame
from pipeline.extract.sideways import read_upright


@dataclass(frozen=True)
class ShownPage:
    """A page's glyphs and rules as read (`geometry`), the quarter turn that set its text upright
    (see read_upright), and the frame of the slide when it is a notes page (else None)."""

    geometry: PageGeometry
    turn: int
    frame: SlideFrame | None


def shown_page(page, before=None, after=None) -> ShownPage:
    """`page` as shown: without what its clips hide (the pages `before` and `after` it settle a
    line cut by a page break, see keep_visible_text), turned so that most of its text reads left
    to right, a notes page's slide alone, text under a fill shown, glyphs far off the page gone.
    None of it depends on the pages read before, so a page may be looked at ahead of its turn."""
    keep_visible_text(page, before, after)
    geometry, turn = read_upright(page_geometry(page))
    if frame := slide_frame(geometry):
        geometry = frame.slide(geometry)
    geometry = geometry.showing_covered()
    geometry = replace(geometry, glyphs=near_the_page(geometry.glyphs, geometry.width, geometry.height))
    return ShownPage(geometry, turn, frame)
