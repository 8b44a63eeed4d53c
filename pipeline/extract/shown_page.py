"""A page as it is shown, before any table is looked for on it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from pdfplumber.page import Page

from pipeline.extract.clipping import keep_visible_text
from pipeline.extract.geometry import PageGeometry, near_the_page, page_geometry
from pipeline.extract.notes_pages import SlideFrame, slide_frame
from pipeline.extract.sheets import sheet_pages
from pipeline.extract.sideways import read_upright


@dataclass(frozen=True)
class ShownPage:
    """A page's glyphs and rules as read (`geometry`), the quarter turn that set its text upright
    (see read_upright), the frame of the slide when it is a notes page (else None), and the
    frame it is printed in when its sheet prints several pages (see sheets; else None)."""

    geometry: PageGeometry
    turn: int
    frame: SlideFrame | None
    part: SlideFrame | None = None


def shown_pages(page, before=None, after=None) -> list[ShownPage]:
    """The pages PDF page `page` shows: itself, or each page of a sheet that prints several.
    Each is shown without what its clips hide (the PDF pages `before` and `after` settle a line
    cut by a page break, see keep_visible_text), turned so that most of its text reads left to
    right, a notes page's slide alone, text under a fill shown, glyphs far off the page gone.
    None of it depends on the pages read before, so a page may be looked at ahead of its turn."""
    keep_visible_text(page, before, after)
    geometry = page_geometry(page)
    if parts := sheet_pages(page, geometry):
        return [_shown(printed, frame) for frame, printed in parts]
    return [_shown(geometry)]


def _shown(geometry: PageGeometry, part: SlideFrame | None = None) -> ShownPage:
    geometry, turn = read_upright(geometry)
    if frame := slide_frame(geometry):
        geometry = frame.slide(geometry)
    geometry = geometry.showing_covered()
    geometry = replace(geometry, glyphs=near_the_page(geometry.glyphs, geometry.width, geometry.height))
    return ShownPage(geometry, turn, frame, part)


@dataclass(frozen=True)
class PrintedPage:
    """One page as printed: PDF page `sheet` (counted from 0 by `sheet_index`), or the
    `index`-th of the `count` pages it prints."""

    sheet: Page
    sheet_index: int
    index: int = 0
    count: int = 1

    @property
    def last_on_sheet(self) -> bool:
        return self.index == self.count - 1


class PrintedPages:
    """A deck's pages as printed, in order: each PDF page, or each page of a sheet that prints
    several (see sheets). Each PDF page is shown once (see shown_pages), at most one page ahead
    of its turn, and let go once its last page is read (see done)."""

    def __init__(self, pages: list) -> None:
        self._pages = pages
        self._shown: dict[int, list[ShownPage] | Exception] = {}

    def __iter__(self) -> Iterator[PrintedPage]:
        for sheet_index, sheet in enumerate(self._pages):
            shown = self._sheet(sheet_index)
            count = 1 if isinstance(shown, Exception) else len(shown)
            for index in range(count):
                yield PrintedPage(sheet, sheet_index, index, count)

    def shown(self, page: PrintedPage) -> ShownPage:
        """`page` as shown; raises what went wrong showing its PDF page."""
        shown = self._sheet(page.sheet_index)
        if isinstance(shown, Exception):
            raise shown
        return shown[page.index]

    def after(self, page: PrintedPage) -> ShownPage | None:
        """The page printed after `page` as shown, None past the last page or when it cannot be
        shown (its own reading reports why)."""
        if not page.last_on_sheet:
            return self.shown(PrintedPage(page.sheet, page.sheet_index, page.index + 1, page.count))
        if page.sheet_index + 1 == len(self._pages):
            return None
        shown = self._sheet(page.sheet_index + 1)
        return None if isinstance(shown, Exception) else shown[0]

    def done(self, page: PrintedPage) -> None:
        """`page` is read: its sheet's pages are let go once it is the sheet's last."""
        if page.last_on_sheet:
            self._shown.pop(page.sheet_index, None)

    def _sheet(self, index: int) -> list[ShownPage] | Exception:
        if index not in self._shown:
            pages = self._pages
            before = pages[index - 1] if index else None
            after = pages[index + 1] if index + 1 < len(pages) else None
            try:
                self._shown[index] = shown_pages(pages[index], before, after)
            except Exception as exc:  # noqa: BLE001 - reported when the page's turn comes (see shown)
                self._shown[index] = exc
        return self._shown[index]
