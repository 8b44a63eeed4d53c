"""e-iceblue Spire.PDF for Python (Free Spire.PDF 10.12.0): decks drawn on PdfCanvas, as .NET/Python back-office
systems that use Spire draw their reports.

Spire is a commercial .NET office library shipped for Python as NativeAOT builds with thin ctypes wrappers.  Its
free editions were tried first for their own office renderers: Free Spire.Presentation 9.12.0 and Free Spire.Doc
12.12.0 convert only the first 3 pages to PDF (here Presentation's SaveToFile(PDF) of 4 or more slides even
raised "Cannot found font installed on the system"), Free Spire.XLS likewise, so no whole deck can come out of
them.  Free Spire.PDF writes up to 9 pages (adding a 10th raises "Spire.PDF Free version is
limited to 10 pages of PDF"), with no evaluation text, so decks are drawn with it: draw_common's layout (wrapping
at any character, widths measured by Spire's own `PdfTrueTypeFont.MeasureString`, cached per character) recorded
page by page, then replayed on `PdfCanvas` (DrawString at the line's top-left: Spire puts the baseline one
ascent below, the face's hhea ascent; DrawLine, DrawRectangle, Save/TranslateTransform/RotateTransform for turned
labels and the watermark, SetTransparency).  The free wrapper lacks PdfGrid's constructor (`PdfGrid()` has no
dispatch) and its `Columns` comes back null when the native constructor is called by hand, so Spire's own table
widget is not usable; the deck is laid out by hand, as PdfCanvas users do.

A deck must fit the 9-page cap: slides drawn with the deck's row budget, then, while the recorded deck is
longer, more rows per slide, no closing slide, a smaller type, an A4 landscape page; a deck that still does not
fit raises (the generator draws another style).  Variations: slides (4:3, 16:9, A4 landscape) or an A4 report cut
by row heights (portrait or landscape); the face of fonts.py loaded from its single-face file
(`PdfTrueTypeFont(path, size)`) or by family name (`PdfTrueTypeFont(name, size, style, True)`, which Spire
resolves through fontconfig to the collection's first face: AR PL UMing TW becomes 'AR PL UMing CN', Noto Sans
CJK TC 'Noto Sans CJK JP', whose glyph shapes differ: 內 is drawn as 内 from the CN face while the text layer
keeps U+5167); bold headings none or `PdfFontStyle.Bold` (from a face file Spire keeps the one regular font and
draws it regular; by name fontconfig gives the family's Bold face where one is installed, Noto Sans CJK JP
Bold, else a second regular copy of the face); rules as lines or thin filled
rectangles in a chosen width and colour; header and zebra fills; turned 構面 labels by a rotated graphics state;
a running header, footers ('- n -', 'n / N', '第 n 頁，共 N 頁') drawn with the page or in a second pass over the
finished pages; watermark grey or under `SetTransparency`; compression level (none/Normal/Best); document
information (Title/Author, Creator).  Quirks: every face is a Type0 font with Identity-H, a subset, /W from
the face and a ToUnicode; the Noto CJK faces (CFF) are declared CIDFontType2 over their OpenType data (poppler:
"Mismatch between font type and embedded font file"); font resources are named by GUIDs
(`/eef24bdb-... 16 Tf`); each DrawString is its own q/cm/BT with `'` after a TL of the line height; Spire writes
an empty Producer; every page's content starts with a `cm` to top-left coordinates.
"""

from __future__ import annotations

import random
from functools import cache
from importlib import metadata
from pathlib import Path

from .draw_common import SIZES, Box, Canvas, DeckDrawer, wrap
from .fonts import TRUETYPE, face_file, printable
from .layout import Col, Row, check, find_pages
from .spec import Deck

SPIRE_PDF = "10.12.0"  # PyPI Spire.Pdf.Free (README, Setup)
PAGE_CAP = 9  # the free edition refuses a 10th page
PAGE_SIZES = {**SIZES, "A4": (595.0, 842.0)}
NAVY = (0.12, 0.23, 0.41)
HEAD_FILLS = {"light": (0.85, 0.9, 0.97), "gray": (0.88, 0.88, 0.88), "sand": (0.98, 0.93, 0.82)}
ZEBRA_FILLS = {"blue": (0.92, 0.95, 0.98), "gray": (0.94, 0.94, 0.94)}
RULE_COLORS = {"black": (0, 0, 0), "gray": (0.5, 0.5, 0.5), "navy": NAVY}
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}", "zh": "第 {n} 頁，共 {N} 頁"}


def tool_version(engine: str | None = None) -> str:
    ver = metadata.version("Spire.Pdf.Free")
    if ver != SPIRE_PDF:
        raise RuntimeError(f"Free Spire.PDF {SPIRE_PDF} is wanted, {ver} is installed")
    return f"Free Spire.PDF for Python {ver}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.3
    footer = rng.choice([None, "dash", "dash", "of", "zh"])
    font = style["font"] if rng.random() < 0.85 else "AR PL UKai TW"
    return {
        "flow": flow,
        "page": rng.choice(["A4", "A4L", "A4L"]) if flow else style["page"],
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "font": font,
        "font_source": rng.choice(["file", "file", "name"]),
        "bold": rng.choice(["none", "bold"]),
        "rules_as_rects": rng.random() < 0.3,
        "rule_width": rng.choice([0.25, 0.5, 0.5, 0.75, 1.0]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "hdr_fill": rng.choice([None, *HEAD_FILLS]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "closing": rng.random() < 0.7,
        "header": rng.random() < 0.4,
        "footer": footer,
        "footer_pass": "second" if footer in ("of", "zh") else rng.choice(["page", "second"]),
        "footer_align": rng.choice(["right", "center"]),
        "watermark_alpha": rng.choice([None, 0.25, 0.35]),
        "watermark_angle": rng.choice([30, 45]),
        "logo_badge": rng.random() < 0.5,
        "compression": rng.choice(["Normal", "Best", "none"]),
        "info": rng.choice([None, "title", "creator"]),
    }


@cache
def _ascent(family: str) -> float:
    """Spire places a DrawString's baseline one hhea ascent below the point given."""
    from fontTools.ttLib import TTFont

    f = TTFont(face_file(family), lazy=True)
    return f["hhea"].ascent / f["head"].unitsPerEm


class SpireFonts:
    """PdfTrueTypeFont objects per (size, bold), created as the options say; widths measured by Spire."""

    def __init__(self, opts: dict) -> None:
        self.o = opts
        self.fonts: dict[tuple[float, bool], object] = {}
        self.widths: dict[tuple[str, bool], float] = {}

    def get(self, size: float, bold: bool = False):
        from spire.pdf import PdfFontStyle, PdfTrueTypeFont

        key = (round(size, 2), bold)
        if key not in self.fonts:
            fam = self.o["font"]
            style = PdfFontStyle.Bold if bold else PdfFontStyle.Regular
            if self.o["font_source"] == "name":
                self.fonts[key] = PdfTrueTypeFont(fam, float(size), style, True)
            elif bold:
                self.fonts[key] = PdfTrueTypeFont(face_file(fam), float(size), style)
            else:
                self.fonts[key] = PdfTrueTypeFont(face_file(fam), float(size))
        return self.fonts[key]

    def width(self, s: str, size: float, bold: bool = False) -> float:
        total = 0.0
        for ch in s:
            k = (ch, bold)
            if k not in self.widths:
                self.widths[k] = self.get(10.0, bold).MeasureString(ch).Width / 10.0
            total += self.widths[k]
        return total * size


class RecCanvas:
    """draw_common's canvas recorded page by page (top-down points), so the deck's length is known before Spire
    draws it (the free edition refuses a 10th page); `bold` and `alpha` are set by the drawer around the text
    they concern."""

    def __init__(self, fonts: SpireFonts, family: str) -> None:
        self.f, self.family = fonts, family
        self.pages: list[dict] = []
        self.bold = False
        self.alpha: float | None = None
        self.layer = "page"

    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        self.pages.append({"w": w, "h": h, "page": [], "second": []})
        self.cur = len(self.pages) - 1

    def _put(self, op: tuple) -> None:
        self.pages[self.cur][self.layer].append(op)

    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0)) -> None:
        self._put(("text", x, y, printable(s, self.family), size, angle, color, self.bold, self.alpha))

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: tuple = (0, 0, 0)) -> None:
        self._put(("line", x0, y0, x1, y1, width, color))

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: tuple | None, stroke: tuple | None = None) -> None:
        self._put(("rect", x0, y0, x1, y1, fill, stroke))

    def width(self, s: str, size: float) -> float:
        return self.f.width(printable(s, self.family), size, self.bold)


class SpireDrawer(DeckDrawer):
    """draw_common's deck with the variations of Spire users: page sizes, bold headings, rule styles, running
    header, footers and watermark with the page or in a second pass over the finished pages."""

    def __init__(self, deck: Deck, c: Canvas, opts: dict) -> None:
        super().__init__(deck, c, {**opts, "page": "A4L"})
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.o = opts
        self.footed: list[int] = []

    def draw(self) -> None:
        if self.o["closing"]:
            super().draw()
            return
        # draw_common's deck without the closing slide: its last page is dropped after drawing
        super().draw()
        self.c.pages.pop()
        self.page_no -= 1

    def center(self, s: str, y: float, size: float) -> None:
        while size > 12 and self.c.width(s, size) > self.W - 60:
            size -= 2
        super().center(s, y, size)

    def footer(self) -> None:
        self.footed.append(self.page_no)
        if self.o["footer"] and self.o["footer_pass"] == "page":
            self.foot(self.page_no, 0)

    def foot(self, n: int, total: int) -> None:
        c, grey = self.c, (0.4, 0.4, 0.4)
        c.line(30, self.H - 28, self.W - 30, self.H - 28, 0.5, (0.6, 0.6, 0.6))
        c.text(30, self.H - 16, f"{self.d.org}｜策略地圖與平衡計分卡", 7, color=grey)
        s = FOOTERS[self.o["footer"]].format(n=n, N=total)
        w = c.width(s, 7)
        x = self.W - 30 - w if self.o["footer_align"] == "right" else (self.W - w) / 2
        c.text(x, self.H - 16, s, 7, color=grey)

    def watermark(self) -> None:
        self.c.alpha, self.c.bold = self.o["watermark_alpha"], False
        color = (0.8, 0.75, 0.75) if self.c.alpha is None else (0.6, 0.4, 0.4)
        mark = self.o.get("watermark_text", "內部資料")
        self.c.text(self.W * 0.3, self.H * 0.72, mark, 60, self.o["watermark_angle"], color)
        self.c.alpha = None

    def second_pass(self) -> None:
        """Running header and footers over the finished pages, as Spire code loops over doc.Pages."""
        c, total = self.c, len(self.c.pages)
        c.layer = "second"
        for n in range(1, total + 1):
            c.cur = n - 1
            if self.o["header"] and n > 1:
                c.text(30, 20, self.d.org, 8, color=NAVY)
                c.text(self.W - 30 - c.width("策略地圖與平衡計分卡", 8), 20, "策略地圖與平衡計分卡", 8, color=NAVY)
                c.line(30, 25, self.W - 30, 25, 0.5, NAVY)
            if self.o["footer"] and self.o["footer_pass"] == "second" and n in self.footed:
                self.foot(n, total)
        c.layer = "page"

    def head_height(self, cols: list[Col], xs: list[float]) -> float:
        """draw_common's head, made taller when a (bold) label wraps in a narrow column."""
        lh, two = self.lh, self.d.style["year_header"] == "two_row"
        self.c.bold = self.o["bold"] == "bold"

        def need(s: str, w: float) -> float:
            return len(wrap(self.c, s, self.pt, w - 6)) * lh + 6

        out = super().head_height(cols, xs)
        for j, col in enumerate(cols):
            w = xs[j + 1] - xs[j]
            if two and col.group:
                gw = sum(xs[k + 1] - xs[k] for k, x in enumerate(cols) if x.group == col.group)
                out = max(out, 2 * max(need(col.group, gw), need(col.sub or "", w)))
            else:
                out = max(out, need(col.label, w))
        self.c.bold = False
        return out

    def label(self, b: Box) -> None:
        self.c.bold = b.header and self.o["bold"] == "bold"
        super().label(b)
        self.c.bold = False

    def rule(self, x0: float, y0: float, x1: float, y1: float, as_rect: bool) -> None:
        w, color = self.o["rule_width"], RULE_COLORS[self.o["rule_color"]]
        if as_rect:
            self.c.rect(x0 - w / 2, y0 - w / 2, x1 + w / 2, y1 + w / 2, color)
        else:
            self.c.line(x0, y0, x1, y1, w, color)

    def paint(self, boxes: list[Box], rows: list[Row], ys: list, xs: list[float]) -> None:
        if self.d.style["rules"] == "zebra":
            fill = ZEBRA_FILLS[self.o["zebra_fill"]]
            for i, ((y0, y1), r) in enumerate(zip(ys, rows)):
                if r.kind == "kpi" and i % 2 == 1:
                    self.c.rect(xs[0], y0, xs[-1], y1, fill)
        super().paint(boxes, [], [], xs)


def _color(rgb: tuple):
    from spire.pdf import PdfRGBColor

    r, g, b = (max(0, min(255, round(v * 255))) for v in rgb)
    return PdfRGBColor(r, g, b)


def _replay(pages: list[dict], fonts: SpireFonts, opts: dict, info: dict | None, out_pdf: Path) -> None:
    from spire.pdf import PdfCompressionLevel, PdfDocument, PdfMargins, PdfPen, PdfSolidBrush
    from spire.pdf.common import SizeF

    asc = _ascent(opts["font"])
    doc = PdfDocument()
    doc.CompressionLevel = getattr(PdfCompressionLevel, opts["compression"])
    if info:
        di = doc.DocumentInformation
        di.Title, di.Author = info["title"], info["author"]
        if "creator" in info:
            di.Creator = info["creator"]
    for pg in pages:
        page = doc.Pages.Add(SizeF(float(pg["w"]), float(pg["h"])), PdfMargins(0.0))
        cv = page.Canvas
        for op in pg["page"] + pg["second"]:
            if op[0] == "line":
                _, x0, y0, x1, y1, w, color = op
                cv.DrawLine(PdfPen(_color(color), float(w)), float(x0), float(y0), float(x1), float(y1))
            elif op[0] == "rect":
                _, x0, y0, x1, y1, fill, stroke = op
                if fill is None and stroke is None:
                    continue
                if fill is not None and stroke is not None:
                    cv.DrawRectangle(
                        PdfPen(_color(stroke), 0.75),
                        PdfSolidBrush(_color(fill)),
                        float(x0),
                        float(y0),
                        float(x1 - x0),
                        float(y1 - y0),
                    )
                elif fill is not None:
                    cv.DrawRectangle(PdfSolidBrush(_color(fill)), float(x0), float(y0), float(x1 - x0), float(y1 - y0))
                else:
                    cv.DrawRectangle(PdfPen(_color(stroke), 0.75), float(x0), float(y0), float(x1 - x0), float(y1 - y0))
            else:
                _, x, y, s, size, angle, color, bold, alpha = op
                if not s:
                    continue
                font = fonts.get(size, bold)
                brush = PdfSolidBrush(_color(color))
                state = cv.Save()
                if alpha is not None:
                    cv.SetTransparency(float(alpha))
                cv.TranslateTransform(float(x), float(y))
                if angle:
                    cv.RotateTransform(float(-angle))
                cv.DrawString(s, font, brush, 0.0, float(-asc * size))
                cv.Restore(state)
    doc.SaveToFile(str(out_pdf))
    doc.Close()


def _record(deck: Deck, opts: dict, fonts: SpireFonts) -> list[dict]:
    cv = RecCanvas(fonts, opts["font"])
    drawer = SpireDrawer(deck, cv, opts)
    drawer.draw()
    drawer.second_pass()
    return cv.pages


def _fit(deck: Deck, opts: dict, fonts: SpireFonts) -> list[dict]:
    """The recorded deck, made to fit the free edition's page cap as its author would."""
    steps = []
    while True:
        pages = _record(deck, opts, fonts)
        if len(pages) <= PAGE_CAP:
            opts["page_cap_steps"] = steps
            return pages
        if not opts["flow"] and int(opts["max_rows"]) < 8:
            opts["max_rows"], step = 8, "max_rows"
        elif opts["closing"]:
            opts["closing"], step = False, "no_closing"
        elif opts["font_pt"] > 7:
            opts["font_pt"], step = opts["font_pt"] - 1, "font_pt"
        elif opts["page"] not in ("A4L", "16:9"):
            opts["page"], step = "A4L", "page"
        else:
            raise ValueError(f"{deck.stem}: {len(pages)} pages, over the free edition's {PAGE_CAP}")
        steps.append(step)


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide; a report is cut by row heights
    only).  Text run past the page makes the type smaller.  Returns the options used."""
    tool_version()
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    if opts["flow"]:
        opts["max_rows"] = 99
    opts.setdefault("max_rows", st["max_rows"])
    opts["rules"] = st["rules"]
    opts["hdr_fill"] = HEAD_FILLS.get(opts["hdr_fill"] or "")
    info = None
    if opts["info"]:
        info = {"title": f"{deck.org}策略地圖與平衡計分卡", "author": deck.org}
        if opts["info"] == "creator":
            info["creator"] = f"{deck.short}績效管理系統"
    fonts = SpireFonts(opts)
    while True:
        pages = _fit(deck, opts, fonts)
        _replay(pages, fonts, opts, info, Path(out_pdf))
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck)
        if any("outside the page" in p for p in problems) and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        break
    opts["hdr_fill"] = next((k for k, v in HEAD_FILLS.items() if v == opts["hdr_fill"]), None)
    opts["truetype"] = opts["font"] in TRUETYPE
    opts["problems"] = problems
    return opts
