"""ReportLab renderer: the same hand-placed drawing as r_fitz, through ReportLab's canvas.

ReportLab embeds TrueType subsets with its own ToUnicode and glyph widths, draws rules as path strokes
or filled rectangles, and rotates text by transforming the graphics state, so the text layer differs
from PyMuPDF's even for the same picture.  Only TrueType-outline fonts are usable (WenQuanYi, AR PL).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

from .draw_common import DeckDrawer
from .fonts import TRUETYPE, face_file, printable
from .layout import check, find_pages
from .spec import Deck


class RLCanvas:
    def __init__(self, out: str | Path, family: str) -> None:
        self.family = family
        self.name = family.replace(" ", "")
        if self.name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(self.name, face_file(family)))
        self.c = rl_canvas.Canvas(str(out))
        self.h = 0.0
        self.started = False

    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        if self.started:
            self.c.showPage()
        self.started = True
        self.c.setPageSize((w, h))
        self.h = h

    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0)) -> None:
        c = self.c
        c.saveState()
        c.setFillColorRGB(*color)
        c.setFont(self.name, size)
        c.translate(x, self.h - y)
        if angle:
            c.rotate(angle)
        c.drawString(0, 0, printable(s, self.family))
        c.restoreState()

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: tuple = (0, 0, 0)) -> None:
        self.c.setStrokeColorRGB(*color)
        self.c.setLineWidth(width)
        self.c.line(x0, self.h - y0, x1, self.h - y1)

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: tuple, stroke: tuple | None = None) -> None:
        self.c.setFillColorRGB(*fill)
        if stroke:
            self.c.setStrokeColorRGB(*stroke)
        self.c.rect(x0, self.h - y1, x1 - x0, y1 - y0, stroke=1 if stroke else 0, fill=1)

    def width(self, s: str, size: float) -> float:
        return pdfmetrics.stringWidth(printable(s, self.family), self.name, size)

    def save(self) -> None:
        self.c.showPage()
        self.c.save()


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """Options as r_fitz (no rotated pages); a non-TrueType deck font falls back to WenQuanYi Zen Hei."""
    opts = dict(options or {})
    family = opts.get("font", deck.style["font"])
    opts["font"] = family if family in TRUETYPE else "WenQuanYi Zen Hei"
    opts.pop("rotate_theme", None)
    cv = RLCanvas(out_pdf, opts["font"])
    DeckDrawer(deck, cv, opts).draw()
    cv.save()
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
