"""Skia renderer: the deck drawn on a canvas by Skia's PDF backend (SkPDF) through skia-python 144.1 (Skia m144;
the 2-D library under Chrome, Android and Flutter, whose apps export reports by drawing on a canvas and handing
the canvas to `SkPDF::MakeDocument`).  Skia has no table layout: the table is draw_common's (lines broken at any
character), measured with `skia.Font.measureText` as an app would, or, for some decks, laid out by SkParagraph
(`skia.textlayout`: ICU line breaking, so CJK breaks between ideographs but never inside 'C1.1.2' or '95.5%', a
cell's height from `Paragraph.Height`, left or centred by `ParagraphStyle.setTextAlign`; its HarfBuzz shaping
gives the digits of 'BC1.1' in the Noto CJK faces glyphs outside the cmap, which SkPDF's ToUnicode omits, so
such decks set ASCII in a Latin face or draw without SkParagraph: `paragraph_refused`).  Pages are buffered by
the app (a list of drawing operations per page) and written in order by `beginPage`/`endPage`, so running
footers know the page count ('n / N'); each page drawn straight on the PDF canvas or recorded into an
SkPicture first and played back by `drawPicture` (as Flutter hands its layers over).

Text goes out as glyph runs: `drawString`, `drawSimpleText`, `TextBlob` runs (`TextBlobBuilder.allocRun`, one run
per typeface on a line) or runs with explicit glyph positions (`allocRunPosH`, x from `Font.getWidths`).  The
default `skia.Font` is hinted (kNormal, no subpixel, no linear metrics): advances are measured as whole points,
so glyphs are placed at rounded positions that differ from the widths SkPDF writes in /W; other decks set
subpixel positioning and linear metrics, as Chrome does.  SkPDF makes its own subsets: a TrueType face (WenQuanYi,
AR PL) becomes a Type0 Identity-H CIDFontType2 ('BAAAAA+UMingTW'), CIDs = glyph ids; the Noto CJK faces (CFF
outlines, which SkPDF does not embed) become Type 3 fonts, glyphs as paths, one font per block of 256 glyph ids,
so a CJK line switches `Tf` at nearly every character and places each glyph by its own `Td` (a hundred and more
/F resources a page); emboldened text (`setEmbolden`) of any face goes out the same way, as Type 3 paths.
The ToUnicode is SkPDF's own reverse cmap, one code point per glyph: where a face maps a radical or
compatibility ideograph to the ideograph's glyph, every use of that glyph reads as the lookalike (Noto: 民 as
U+2EA0, 長 as U+2ED1, 面 and 行 as Kangxi radicals; the truth and layout.check fold them).  Bold by
`Font.setEmbolden` (Type 3 paths, as above), by the face's Bold collection (`Typeface.MakeFromFile(ttc,
index)`) or WenQuanYi Zen Hei headings, or none.  Optionally ASCII in
a Latin typeface (DejaVu Sans or Liberation Sans, CIDFontType2 subsets of their own), a line then two runs.
The regular face comes from fonts.py's single-face file or straight from the system collection by index.

Pages: slides (4:3, 16:9, A4 landscape) or an A4 (portrait or landscape) document cut by row heights, title and
head again on every page.  Rules by `drawLine` (stroked paths) or thin filled `drawRect`s; grid, horizontal,
none or zebra fills; header fills; turned 構面 labels by `canvas.rotate(-90)` (reading up) or `rotate(90)`
(reading down), or stacked.  Running header, footers ('- n -', 'n / N', '第 n 頁'), watermark '內部資料' turned
under the table or over it, grey or through an alpha paint (an ExtGState /ca).  Document metadata none (SkPDF
writes Producer 'Skia/PDF m144' anyway), Title/Author or the app's Creator/Producer, optionally PDF/A
(`fPDFA`: XMP metadata, document ID); skia-python does not expose the compression level (streams deflated).
"""

from __future__ import annotations

import random
from functools import cache
from importlib import metadata
from pathlib import Path

from .draw_common import SIZES, Box, Canvas, DeckDrawer, wrap
from .fonts import FACES, TRUETYPE, face_file, printable
from .layout import Col, check, find_pages
from .spec import Deck

SKIA_PYTHON = "144.1"  # PyPI skia-python (Skia m144), tests/realtools/requirements.txt
PAGE_SIZES = {**SIZES, "A4": (595.0, 842.0)}
NAVY = (0.12, 0.23, 0.41)
HEAD_FILLS = {"light": (0.85, 0.9, 0.97), "gray": (0.88, 0.88, 0.88), "sand": (0.98, 0.93, 0.82)}
ZEBRA_FILLS = {"blue": (0.92, 0.95, 0.98), "gray": (0.94, 0.94, 0.94)}
RULE_COLORS = {"black": (0, 0, 0), "gray": (0.5, 0.5, 0.5), "navy": NAVY}
BOLD_FACE = "WenQuanYi Zen Hei"
BOLD_TTC = {
    "Noto Sans CJK TC": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 3),
    "Noto Serif CJK TC": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 3),
}
LATIN = {
    "DejaVu Sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "Liberation Sans": "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
}
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}", "zh": "第 {n} 頁"}
MARKS = ["內部資料", "內部資料", "機密", "草案"]


def skia():
    try:
        import skia as sk
    except ImportError as e:
        raise RuntimeError(f"skia-python is not installed: pip install skia-python=={SKIA_PYTHON} ({e})") from e
    got = metadata.version("skia-python")
    if got != SKIA_PYTHON:
        raise RuntimeError(f"skia-python {SKIA_PYTHON} is wanted, {got} is installed")
    return sk


@cache
def tool_version(engine: str | None = None) -> str:
    return f"skia-python {metadata.version('skia-python')} (Skia/PDF m{SKIA_PYTHON.split('.')[0]})"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.35
    font = style["font"]
    if rng.random() < 0.15:
        font = "AR PL UKai TW"
    noto = font not in TRUETYPE
    bold = rng.choice(["none", "embolden", "embolden", "face"] + (["ttc"] if noto else []))
    if bold == "face" and font == BOLD_FACE:
        bold = "embolden"
    footer = rng.choice([None, "dash", "dash", "of", "zh"])
    return {
        "flow": flow,
        "page": rng.choice(["A4", "A4L", "A4L"]) if flow else style["page"],
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "font": font,
        "from_ttc": rng.random() < 0.4,
        "latin": rng.choice([None, None, "DejaVu Sans", "Liberation Sans"]),
        "bold": bold,
        "metrics": rng.choice(["hinted", "hinted", "linear"]),
        "text_api": rng.choice(["string", "simple", "blob", "pos"]),
        "paragraph": rng.random() < 0.3,
        "record": rng.choice(["direct", "direct", "picture"]),
        "rules_as_rects": rng.random() < 0.35,
        "rule_width": rng.choice([0.25, 0.5, 0.5, 0.75, 1.0]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "hdr_fill": rng.choice([None, *HEAD_FILLS]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "rot_dir": rng.choice(["up", "up", "down"]),
        "header": rng.random() < 0.4,
        "footer": footer,
        "footer_align": rng.choice(["right", "center"]),
        "watermark_layer": rng.choice(["under", "over"]),
        "watermark_alpha": rng.choice([None, 0.2, 0.3]),
        "watermark_angle": rng.choice([30, 45]),
        "watermark_text": rng.choice(MARKS),
        "logo_badge": rng.random() < 0.5,
        "info": rng.choice([None, "title", "producer"]),
        "pdfa": rng.random() < 0.25,
    }


def _ascii(ch: str) -> bool:
    return " " <= ch <= "~"


class SkiaCanvas:
    """draw_common's canvas (y down, as Skia's) recorded per page and written through SkPDF at the end."""

    def __init__(self, opts: dict) -> None:
        self.sk = sk = skia()
        self.o = opts
        fam = opts["font"]
        if opts["from_ttc"]:
            src, index, _ = FACES[fam]
            self.tfs = {"cjk": sk.Typeface.MakeFromFile(src, index)}
        else:
            self.tfs = {"cjk": sk.Typeface.MakeFromFile(face_file(fam))}
        self.families = {"cjk": fam, "bold": fam}
        if opts["bold"] == "ttc":
            self.tfs["bold"] = sk.Typeface.MakeFromFile(*BOLD_TTC[fam])
        elif opts["bold"] == "face":
            self.tfs["bold"] = sk.Typeface.MakeFromFile(face_file(BOLD_FACE))
            self.families["bold"] = BOLD_FACE
        if opts["latin"]:
            self.tfs["latin"] = sk.Typeface.MakeFromFile(LATIN[opts["latin"]])
        for k, tf in self.tfs.items():
            if tf is None:
                raise RuntimeError(f"Skia could not load the {k} typeface")
        self.pages: list[dict] = []
        self.cur = -1
        self.bold: bool | None = None  # None: titles (16 pt and more) bold
        self.alpha: float | None = None
        self.layer = "ops"
        self._fonts: dict = {}
        self._paras: dict = {}
        self._fc = None

    # -- pages ---------------------------------------------------------------------------------------------
    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        self.pages.append({"w": w, "h": h, "ops": [], "under": []})
        self.cur = len(self.pages) - 1

    def goto(self, i: int) -> None:
        self.cur = i

    def add(self, op) -> None:
        self.pages[self.cur][self.layer].append(op)

    def finish(self, out: str | Path, info: dict) -> None:
        sk = self.sk
        md = sk.PDF.Metadata()
        for k, v in info.items():
            setattr(md, k, v)
        stream = sk.FILEWStream(str(out))
        doc = sk.PDF.MakeDocument(stream, md)
        if doc is None:
            raise RuntimeError("SkPDF::MakeDocument failed")
        for p in self.pages:
            c = doc.beginPage(p["w"], p["h"])
            ops = p["under"] + p["ops"]
            if self.o["record"] == "picture":
                rec = sk.PictureRecorder()
                pc = rec.beginRecording(sk.Rect.MakeWH(p["w"], p["h"]))
                for op in ops:
                    op(pc)
                c.drawPicture(rec.finishRecordingAsPicture())
            else:
                for op in ops:
                    op(c)
            doc.endPage()
        doc.close()
        stream.flush()
        del doc, stream

    # -- fonts ---------------------------------------------------------------------------------------------
    def font(self, key: str, size: float, embolden: bool = False):
        f = self._fonts.get((key, size, embolden))
        if f is None:
            f = self.sk.Font(self.tfs[key], size)
            if self.o["metrics"] == "linear":
                f.setSubpixel(True)
                f.setLinearMetrics(True)
            if embolden:
                f.setEmbolden(True)
            self._fonts[(key, size, embolden)] = f
        return f

    def _face(self, size: float) -> tuple[str, bool]:
        bold = size >= 16 if self.bold is None else self.bold
        if bold and "bold" in self.tfs:
            return "bold", False
        return "cjk", bold and self.o["bold"] == "embolden"

    def _runs(self, s: str, key: str) -> list[list[str]]:
        runs: list[list[str]] = []
        for ch in printable(s, self.families[key]):
            k = "latin" if "latin" in self.tfs and _ascii(ch) else key
            if runs and runs[-1][0] == k:
                runs[-1][1] += ch
            else:
                runs.append([k, ch])
        return runs

    def width(self, s: str, size: float) -> float:
        key, fake = self._face(size)
        return sum(self.font(k, size, fake).measureText(t) for k, t in self._runs(s, key))

    def paint(self, color: tuple, alpha: float | None = None, stroke: float | None = None):
        sk = self.sk
        p = sk.Paint(AntiAlias=True, Color=sk.Color(*(round(v * 255) for v in color)))
        if alpha is not None:
            p.setAlphaf(alpha)
        if stroke is not None:
            p.setStyle(sk.Paint.kStroke_Style)
            p.setStrokeWidth(stroke)
        return p

    # -- text ----------------------------------------------------------------------------------------------
    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0)) -> None:
        if not s.strip():
            return
        sk, api = self.sk, self.o["text_api"]
        key, fake = self._face(size)
        runs = [(self.font(k, size, fake), t) for k, t in self._runs(s, key)]
        paint = self.paint(color, self.alpha)

        def op(c):
            if angle:
                c.save()
                c.rotate(-angle, x, y)
            if api in ("string", "simple"):
                xx = x
                for f, t in runs:
                    if api == "string":
                        c.drawString(t, xx, y, f, paint)
                    else:
                        c.drawSimpleText(t, xx, y, f, paint)
                    xx += f.measureText(t)
            else:
                b = sk.TextBlobBuilder()
                xx = 0.0
                for f, t in runs:
                    if api == "blob":
                        b.allocRun(t, f, xx, 0)
                        xx += f.measureText(t)
                        continue
                    glyphs = f.textToGlyphs(t)
                    pos = []
                    for w in f.getWidths(glyphs):
                        pos.append(round(xx, 2))
                        xx += w
                    b.allocRunPosH(f, glyphs, pos, 0)
                c.drawTextBlob(b.make(), x, y, paint)
            if angle:
                c.restore()

        self.add(op)

    # -- SkParagraph ---------------------------------------------------------------------------------------
    def para(self, s: str, size: float, width: float, align: str):
        """A paragraph laid out by SkParagraph in `width` (ICU line breaks); cached per text and box."""
        sk = self.sk
        key, fake = self._face(size)
        ck = (s, size, round(width, 2), align, key)
        p = self._paras.get(ck)
        if p is not None:
            return p
        tl = sk.textlayout
        if self._fc is None:
            prov = tl.TypefaceFontProvider()
            for k, tf in self.tfs.items():
                prov.registerTypeface(tf, k)
            self._fc = tl.FontCollection()
            self._fc.setDefaultFontManager(prov)
            self._prov = prov
        ts = tl.TextStyle()
        ts.setFontFamilies(["latin", key] if "latin" in self.tfs else [key])
        ts.setFontSize(size)
        ts.setColor(sk.ColorBLACK)
        ps = tl.ParagraphStyle()
        ps.setTextStyle(ts)
        ps.setTextAlign(tl.TextAlign.kCenter if align == "center" else tl.TextAlign.kLeft)
        b = tl.ParagraphBuilder.make(ps, self._fc, sk.Unicode())
        b.pushStyle(ts)
        b.addText(printable(s, self.families[key]))
        p = b.Build()
        p.layout(width)
        self._paras[ck] = p
        return p

    def draw_para(self, p, x: float, y: float) -> None:
        self.add(lambda c: p.paint(c, x, y))

    # -- paths ---------------------------------------------------------------------------------------------
    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: tuple = (0, 0, 0)) -> None:
        paint = self.paint(color, None, width)
        self.add(lambda c: c.drawLine(x0, y0, x1, y1, paint))

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: tuple | None, stroke: tuple | None = None) -> None:
        r = self.sk.Rect.MakeLTRB(x0, y0, x1, y1)
        paints = []
        if fill is not None:
            paints.append(self.paint(fill))
        if stroke is not None:
            paints.append(self.paint(stroke, None, 0.8))

        def op(c):
            for p in paints:
                c.drawRect(r, p)

        self.add(op)


class SkiaDrawer(DeckDrawer):
    """draw_common's deck with the variations of apps drawing on a Skia canvas."""

    def __init__(self, deck: Deck, c: Canvas, opts: dict) -> None:
        super().__init__(deck, c, {**opts, "page": "A4L"})
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.o = opts
        self.footed: list[int] = []
        self.marked: list[int] = []
        self.paragraph = opts["paragraph"]

    def center(self, s: str, y: float, size: float) -> None:
        while size > 12 and self.c.width(s, size) > self.W - 60:
            size -= 2
        self.c.text((self.W - self.c.width(s, size)) / 2, y, s, size)

    def footer(self) -> None:
        self.footed.append(self.page_no)

    def foot(self, n: int, total: int) -> None:
        c, grey = self.c, (0.4, 0.4, 0.4)
        c.line(30, self.H - 28, self.W - 30, self.H - 28, 0.5, (0.6, 0.6, 0.6))
        c.text(30, self.H - 16, f"{self.d.org}｜策略地圖與平衡計分卡", 7, color=grey)
        s = FOOTERS[self.o["footer"]].format(n=n, N=total)
        w = c.width(s, 7)
        x = self.W - 30 - w if self.o["footer_align"] == "right" else (self.W - w) / 2
        c.text(x, self.H - 16, s, 7, color=grey)

    def watermark(self) -> None:
        self.marked.append(self.page_no)

    def mark(self) -> None:
        c = self.c
        c.alpha, c.bold = self.o["watermark_alpha"], False
        c.layer = "under" if self.o["watermark_layer"] == "under" else "ops"
        color = (0.8, 0.8, 0.8) if c.alpha is None else (0.5, 0.5, 0.5)
        c.text(self.W * 0.3, self.H * 0.72, self.o["watermark_text"], 60, self.o["watermark_angle"], color)
        c.alpha, c.bold, c.layer = None, None, "ops"

    def second_pass(self) -> None:
        """Furniture once the page count is known (the pages are still the app's buffered operations)."""
        c, total = self.c, len(self.c.pages)
        for n in range(1, total + 1):
            c.goto(n - 1)
            if self.o["header"] and n > 1:
                c.text(30, 20, self.d.org, 8, color=NAVY)
                c.text(self.W - 30 - c.width("策略地圖與平衡計分卡", 8), 20, "策略地圖與平衡計分卡", 8, color=NAVY)
                c.line(30, 25, self.W - 30, 25, 0.5, NAVY)
            if self.o["footer"] and n in self.footed:
                self.foot(n, total)
            if n in self.marked:
                self.mark()

    # -- cells ---------------------------------------------------------------------------------------------
    def _para_h(self, text: str, w: float, header: bool) -> float:
        self.c.bold = header
        h = self.c.para(text, self.pt, w - 6, "center").Height if text else self.lh
        self.c.bold = None
        return h

    def head_height(self, cols: list[Col], xs: list[float]) -> float:
        lh, two = self.lh, self.d.style["year_header"] == "two_row"
        self.c.bold = True

        def need(s: str, w: float) -> float:
            if self.paragraph:
                return self._para_h(s, w, True) + 6
            return len(wrap(self.c, s, self.pt, w - 6)) * lh + 6

        out = super().head_height(cols, xs)
        for j, col in enumerate(cols):
            w = xs[j + 1] - xs[j]
            if two and col.group:
                gw = sum(xs[k + 1] - xs[k] for k, x in enumerate(cols) if x.group == col.group)
                out = max(out, 2 * max(need(col.group, gw), need(col.sub or "", w)))
            else:
                out = max(out, need(col.label, w))
        self.c.bold = None
        return out

    def row_height(self, r, cols, xs) -> float:
        if not self.paragraph or r.kind == "band":
            return super().row_height(r, cols, xs)
        h = self.lh
        for j, col in enumerate(cols):
            if col.id == "persp" and self.d.style["persp_mode"] != "column":
                continue
            h = max(h, self._para_h(r.cells.get(col.id, ""), xs[j + 1] - xs[j], False))
        return h + 6

    def rule(self, x0: float, y0: float, x1: float, y1: float, as_rect: bool) -> None:
        w, color = self.o["rule_width"], RULE_COLORS[self.o["rule_color"]]
        if as_rect:
            self.c.rect(x0 - w / 2, y0 - w / 2, x1 + w / 2, y1 + w / 2, color)
        else:
            self.c.line(x0, y0, x1, y1, w, color)

    def paint(self, boxes, rows, ys, xs) -> None:
        if self.d.style["rules"] == "zebra":
            fill = ZEBRA_FILLS[self.o["zebra_fill"]]
            for i, ((y0, y1), r) in enumerate(zip(ys, rows)):
                if r.kind == "kpi" and i % 2 == 1:
                    self.c.rect(xs[0], y0, xs[-1], y1, fill)
        super().paint(boxes, [], [], xs)

    def label(self, b: Box) -> None:
        c, st, pt, lh = self.c, self.d.style, self.pt, self.lh
        if not b.text:
            return
        c.bold = b.header
        centre = bool(b.header and b.x1 - b.x0 < self.W - 100 or st["halign"] == "center" or b.mode == "stack")
        middle = st["valign"] == "middle" or b.header or b.mode == "stack"
        if b.mode == "rot":
            w = c.width(b.text, pt)
            cx, cy = (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2
            if self.o["rot_dir"] == "up":
                c.text(cx + pt * 0.35, cy + w / 2, b.text, pt, 90)
            else:
                c.text(cx - pt * 0.35, cy - w / 2, b.text, pt, -90)
        elif self.paragraph and b.mode == "h":
            p = c.para(b.text, pt, b.x1 - b.x0 - 6, "center" if centre else "left")
            y = b.y0 + 3 + (max(0.0, (b.y1 - b.y0 - 6 - p.Height) / 2) if middle else 0)
            c.draw_para(p, b.x0 + 3, y)
        else:
            lines = list(b.text) if b.mode == "stack" else wrap(c, b.text, pt, b.x1 - b.x0 - 6)
            total = len(lines) * lh
            y = b.y0 + 3 + (max(0.0, (b.y1 - b.y0 - 6 - total) / 2) if middle else 0)
            for ln in lines:
                w = c.width(ln, pt)
                x = b.x0 + (b.x1 - b.x0 - w) / 2 if centre else b.x0 + 3
                c.text(x, y + pt * 0.95, ln, pt)
                y += lh
        c.bold = None


def _offpage(pdf: str | Path) -> list[str]:
    """Every character's box against its page box (text placed far off the page, which check() may miss)."""
    import pymupdf

    out = []
    for i, page in enumerate(pymupdf.open(str(pdf)), 1):
        r = page.mediabox
        for b in page.get_text("rawdict")["blocks"]:
            for ln in b.get("lines", []):
                for sp in ln["spans"]:
                    for ch in sp["chars"]:
                        x0, y0, x1, y1 = ch["bbox"]
                        if x0 < -2 or y0 < -2 or x1 > r.width + 2 or y1 > r.height + 2:
                            box = tuple(round(v) for v in ch["bbox"])
                            out.append(f"page {i}: {ch['c']!r} outside the page at {box}")
    return out[:5]


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide; a document is cut by row heights
    only).  Text run past the page makes the type smaller.  Returns the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    if opts["flow"]:
        opts["max_rows"] = 99
    opts.setdefault("max_rows", st["max_rows"])
    opts["rules"] = st["rules"]
    opts["hdr_fill"] = HEAD_FILLS.get(opts["hdr_fill"] or "")
    if st["watermark"]:
        opts["watermark"] = True
    if opts["paragraph"] and opts["font"] not in TRUETYPE and not opts["latin"]:
        # SkParagraph shapes digits after Latin letters ('BC1.1') in the Noto CJK faces into glyphs outside the
        # cmap, which SkPDF's ToUnicode leaves out: drawn, but missing from the text layer
        opts["paragraph"], opts["paragraph_refused"] = False, True
    info = {}
    if opts["info"] == "title":
        info = {"fTitle": f"{deck.org}策略地圖與平衡計分卡", "fAuthor": deck.org}
    elif opts["info"] == "producer":
        info = {"fCreator": "BSC Report", "fProducer": f"Skia/PDF m{SKIA_PYTHON.split('.')[0]}; skia-python"}
    if opts["pdfa"]:
        info["fPDFA"] = True
    while True:
        cv = SkiaCanvas(opts)
        drawer = SkiaDrawer(deck, cv, opts)
        drawer.draw()
        drawer.second_pass()
        cv.finish(out_pdf, info)
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck) + _offpage(out_pdf)
        if any("outside the page" in p for p in problems) and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        break
    opts["hdr_fill"] = next((k for k, v in HEAD_FILLS.items() if v == opts["hdr_fill"]), None)
    opts["problems"] = problems
    return opts
