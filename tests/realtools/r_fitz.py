"""PyMuPDF renderer: a deck drawn directly as text runs, lines and filled rectangles.

Offices that script their decks draw them with a PDF library; PyMuPDF embeds a subset of the CJK face and
writes its own ToUnicode map.  A theme's first page can be stored portrait with /Rotate 90 and the
drawing turned inside it, as scanners and some export paths do, so readers must use the shown frame.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf

from .draw_common import DeckDrawer
from .fonts import face_file, printable, subset_file
from .layout import check, find_pages
from .spec import Deck


class Recorder:
    """Measures like the real canvas and records the characters drawn, so the font can be subset first."""

    def __init__(self, family: str) -> None:
        self.family, self.chars = family, set()
        self.font = pymupdf.Font(fontfile=face_file(family))

    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        pass

    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0)) -> None:
        self.chars.update(printable(s, self.family))

    def line(self, *a, **k) -> None:
        pass

    def rect(self, *a, **k) -> None:
        pass

    def width(self, s: str, size: float) -> float:
        return self.font.text_length(s, fontsize=size)


class FitzCanvas:
    def __init__(self, family: str, fontfile: str) -> None:
        self.family, self.fontfile = family, fontfile
        self.src = pymupdf.open()
        self.font = pymupdf.Font(fontfile=fontfile)
        self.rotated: list[bool] = []
        self.p = None

    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        self.p = self.src.new_page(width=w, height=h)
        self.p.insert_font(fontname="cjk", fontfile=self.fontfile)
        self.rotated.append(rotated)

    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0)) -> None:
        s = printable(s, self.family)
        if angle in (0, 90):
            self.p.insert_text((x, y), s, fontsize=size, fontname="cjk", color=color, rotate=angle)
        else:
            m = pymupdf.Matrix(-angle)
            self.p.insert_text((x, y), s, fontsize=size, fontname="cjk", color=color, morph=(pymupdf.Point(x, y), m))

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: tuple = (0, 0, 0)) -> None:
        self.p.draw_line((x0, y0), (x1, y1), color=color, width=width)

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: tuple, stroke: tuple | None = None) -> None:
        self.p.draw_rect(pymupdf.Rect(x0, y0, x1, y1), color=stroke, fill=fill, width=0.8 if stroke else 0)

    def width(self, s: str, size: float) -> float:
        return self.font.text_length(s, fontsize=size)

    def save(self, out: str | Path) -> None:
        doc = pymupdf.open()
        for i, rot in enumerate(self.rotated):
            if not rot:
                doc.insert_pdf(self.src, from_page=i, to_page=i)
                continue
            r = self.src[i].rect
            q = doc.new_page(width=r.height, height=r.width)
            q.set_rotation(90)
            q.show_pdf_page(q.mediabox, self.src, i, rotate=90)
        doc.subset_fonts()
        doc.save(str(out), garbage=4, deflate=True)


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """Draw the deck; options: font, page, font_pt, rules, rules_as_rects, rotate_theme (letter), logo,
    watermark, watermark_angle, footnote, max_rows.  Returns the options used."""
    opts = dict(options or {})
    family = opts.setdefault("font", deck.style["font"])
    rec = Recorder(family)
    DeckDrawer(deck, rec, opts).draw()
    cv = FitzCanvas(family, subset_file(family, rec.chars))
    DeckDrawer(deck, cv, opts).draw()
    cv.save(out_pdf)
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
