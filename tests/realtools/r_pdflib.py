"""pdf-lib renderer: the deck drawn in Node by pdf-lib 1.17 (with @pdf-lib/fontkit for the CJK faces), the library
web apps and Node back-ends use to draw PDFs by hand, through a small driver (`r_pdflib.js`) that reads a JSON
job written by this module.  pdf-lib has drawText, drawRectangle and drawLine and no table layout, so the author
measures text with font.widthOfTextAtSize and lays the table out by hand: the layout is draw_common's (lines
broken at any character), measured as pdf-lib measures (the face's advance widths through fontkit, Helvetica's
AFM widths with its kerning pairs, which pdf-lib counts when measuring but does not apply when drawing).

Pages: slides (4:3, 16:9 or A4 landscape; the deck's row budget per slide) or a document on A4 (portrait or
landscape, `PageSizes.A4` 595.28 x 841.89) cut by row heights only, the title (with its --n/N marker) and the head
rows again on every page.  A theme's first page may be stored portrait (`page.setRotation(degrees(90|270))`,
which turns nothing by itself) with the landscape drawing turned into it by a `cm` pushed with pushOperators, or
by the author's own arithmetic on every coordinate (texts given `rotate` of their angle plus the page's,
rectangles drawn with `rotate`).

Text: each line of a cell one drawText (`q BT rg /F s Tf 24 TL a b c d x y Tm <glyphs> Tj T* ET Q`: every call
sets colour, font and a text matrix of its own, with pdf-lib's default line height and a `T*` after the line);
or a cell's lines as one drawText of the lines joined by newlines with `lineHeight` (one BT, a `T*` between
lines; left-aligned cells only); or the cell's text given to drawText with `maxWidth` and `wordBreaks: ['']`,
pdf-lib's own line breaking (every character a word; blank lines dropped), the rows laid out by the same rule
and checked against pdf-lib's `breakTextIntoLines` in the driver.  With the font passed on every call each
drawText adds a font resource of its own to the page (`/NotoSansCJKtc-Regular-7098480789`, pdf-lib's seeded
random suffixes, all naming one font object); with `page.setFont` once per page one name serves the body text.
構面 labels turned by drawText's `rotate: degrees(90)` (a text matrix whose cosine pdf-lib writes as
`0.00000000000000006123233995736767`) or by a graphics state turned by pushOperators (`q cm`, the text at 0 0),
or stacked.  Rectangles (fills, rules as thin rectangles, a grid of cell boxes stroked by drawRectangle's
borderWidth, each shared edge twice) are paths `0 0 m 0 h l w h l w 0 l h f` under `1 0 0 1 x y cm`, not `re`;
lines `x y m x y m x1 y1 l S` (pdf-lib moves twice), solid or dashed.  Colours rgb, or cmyk (`k`/`K`) as print
shops ask.  Drawing order: fills, rules, text in layers (draw_common's), or row by row or cell by cell.

Fonts: `pdfDoc.embedFont(bytes, {subset})` of a single-face file of fonts.py (fontkit cannot take a face out of a
.ttc for pdf-lib: `createSubset is not a function`), any of the faces: pdf-lib embeds CFF faces too (Noto CJK as
CIDFontType0 with FontFile3 /CIDFontType0C).  Type0 Identity-H, BaseFont the PostScript name with a numeric suffix
('NotoSansCJKtc-Regular-1848', no subset tag).  Every string goes through fontkit's layout with its default features
(ccmp, locl, liga, calt, ...), which may swap glyphs.  Subset (`subset: true`): CIDs numbered from 1 in the order
glyphs are first drawn, a /W for those, a ToUnicode of one bfchar per glyph giving the code points the glyph was
first drawn for (in Noto, where a Kangxi radical or a Supplement radical shares the unified ideograph's glyph,
whichever of the two a deck draws first is what every later use reads as); fontkit's CFF subset of Noto has offSize
27 in its header, which FreeType refuses ('unknown file format'), so poppler and MuPDF draw it in a substitute font
(the text layer is unaffected).  Whole (`subset: false`, pdf-lib's default; 11-24 MB per deck): CIDs are glyph ids
and the whole font file is embedded, for Noto the whole OpenType file inside /FontFile3 /CIDFontType0C (poppler
warns 'Mismatch between font type and embedded font file' and renders it all the same), with a /W and a ToUnicode
(one bfchar block of tens of thousands of entries) for every glyph of the face's cmap, each glyph's entry a code
point the cmap gives it (a shared glyph read as the unified ideograph in the decks tried).  A glyph that only a
substitution reaches reads as whatever the cmap maps to it: in a string fontkit takes for Latin (one starting
'AC1.1'), Noto's locl swaps the digits for glyphs mapped from private-use code points, so a whole Noto face reads
'AC1.1' as 'AC\uf6b2.\uf6b2' (the deck's KPI codes are missing from its text layer); so decks embed a whole CFF face
only beside Helvetica, which takes all the ASCII.  Optionally ASCII in the Standard 14 Helvetica (WinAnsi hex
strings, no ToUnicode) beside the CJK face: a line switching fonts is one drawText per run, each placed where
pdf-lib measures the run before to end.  Bold: none, synthetic (text rendering mode 2 and a line width pushed by
pushOperators around drawText, which pdf-lib does not reset) or a second face (WenQuanYi Zen Hei headings).  Some
decks embed the fonts in the function that draws a page: every page has subsets of its own (CIDs from 1 on each, one
Type0 font per page and face).

Furniture: a running header (office, 策略地圖與平衡計分卡, a rule) drawn with the page, as a letterhead (a PDF
of its own with the header, `embedPdf` and `drawPage`: a Form XObject with its own copy of the font) or like the
footers ('- n -' or 'n / N'), drawn with the page, in a loop over `pdfDoc.getPages()` once all pages are made (the
same content streams go on), or stamped by a second program that loads the saved PDF with `PDFDocument.load`
(pdf-lib wraps the old content in q/Q streams of its own, /Contents becomes an array; the fonts are embedded again,
a second subset with CIDs from 1, and the Producer and ModDate are pdf-lib's again); the watermark ('內部資料', turned)
drawn first on the page (under the table's fills), after the table, in the loop or in the stamping pass, opaque grey
or with drawText's `opacity` (an ExtGState /GS-n of its own per call), optionally `blendMode: Multiply`.  Document
information: pdf-lib's own (Producer and Creator 'pdf-lib (https://github.com/Hopding/pdf-lib)', CreationDate,
ModDate, as UTF-16 hex strings), with a Title/Author, with the author's Producer/Creator, or none (`updateMetadata:
false`).  Saved with object streams and a cross-reference stream (pdf-lib's default, PDF 1.7) or without.  Content
streams are always Flate-compressed.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .draw_common import SIZES, Box, Canvas, DeckDrawer
from .fonts import FACES, face_file, printable
from .layout import Col, Row, check, find_pages
from .spec import Deck

PDFLIB = "1.17.1"  # npm install pdf-lib@1.17.1 @pdf-lib/fontkit@1.1.1 in $REALTOOLS_CACHE/pdflib (README, Setup)
FONTKIT = "1.1.1"
JS = Path(__file__).with_name("r_pdflib.js")
PAGE_SIZES = {"4:3": SIZES["4:3"], "16:9": SIZES["16:9"], "A4L": (841.89, 595.28), "A4": (595.28, 841.89)}
NAVY = (0.12, 0.23, 0.41)
HEAD_FILLS = {"light": (0.85, 0.9, 0.97), "gray": (0.88, 0.88, 0.88), "sand": (0.98, 0.93, 0.82)}
ZEBRA_FILLS = {"blue": (0.92, 0.95, 0.98), "gray": (0.94, 0.94, 0.94)}
RULE_COLORS = {"black": (0, 0, 0), "gray": (0.5, 0.5, 0.5), "navy": NAVY}
BOLD_FACE = "WenQuanYi Zen Hei"  # headings in a heavier sans over another body face
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}"}
NEWLINES = "\n\f\r\v"


def modules_dir() -> Path:
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "pdflib" / "node_modules"
    if not (d / "pdf-lib" / "package.json").exists() or not (d / "@pdf-lib" / "fontkit" / "package.json").exists():
        cmd = f"npm install pdf-lib@{PDFLIB} @pdf-lib/fontkit@{FONTKIT}"
        raise RuntimeError(f"pdf-lib is not installed: cd {d.parent} && {cmd}")
    return d


@cache
def tool_version(engine: str | None = None) -> str:
    d = modules_dir()
    ver = {m: json.loads((d / m / "package.json").read_text())["version"] for m in ("pdf-lib", "@pdf-lib/fontkit")}
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return f"pdf-lib {ver['pdf-lib']}, @pdf-lib/fontkit {ver['@pdf-lib/fontkit']}, Node {node}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    font = style["font"] if rng.random() < 0.85 else rng.choice(list(FACES))
    footer = rng.choice([None, "dash", "dash", "of", "of"])
    alpha = rng.choice([None, 0.2, 0.3])
    latin = rng.choice([None, None, None, "Helvetica"])
    # pdf-lib embeds the whole face unless told to subset; a whole CFF face reads digits after Latin letters as
    # private-use code points (module docstring), so it is drawn only beside Helvetica, which takes the ASCII
    whole = rng.random() < 0.4 and (FACES[font][2] == "ttf" or latin is not None)
    return {
        "flow": flow,
        "page": rng.choice(["A4", "A4L", "A4L"]) if flow else style["page"],
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "font": font,
        "subset": not whole,
        # embedFont called in the function that draws a page: a subset of its own on every page
        "font_embed": "page" if not whole and rng.random() < 0.2 else "doc",
        "font_calls": rng.choice(["each", "each", "set"]),
        "latin": latin,
        "wrap": rng.choice(["lines", "block", "maxwidth"]),
        "bold": rng.choice(["none", "stroke"] + (["face"] if font != BOLD_FACE else [])),
        "rules_as": rng.choice(["line", "line", "rect", "box"]),
        "rule_width": rng.choice([0.25, 0.5, 0.5, 0.75, 1.0]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "rule_dash": rng.random() < 0.15,
        "hdr_fill": rng.choice([None, *HEAD_FILLS]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "color_space": rng.choice(["rgb", "rgb", "rgb", "cmyk"]),
        "order": rng.choice(["layers", "row", "cell"]),
        "turn": rng.choice(["rotate", "rotate", "cm"]),
        "rotate_theme": rng.choice("ABCD") if rng.random() < 0.2 else None,
        "rotation": rng.choice([90, 270]),
        "page_turn": rng.choice(["cm", "hand"]),
        "header": rng.random() < 0.4,
        "header_pass": rng.choice(["page", "loop", "stamp", "template"]),
        "footer": footer,
        "footer_pass": rng.choice(["loop", "stamp"]) if footer == "of" else rng.choice(["page", "loop", "stamp"]),
        "footer_align": rng.choice(["right", "center"]),
        "watermark_layer": rng.choice(["under", "page", "loop", "stamp"]),
        "watermark_alpha": alpha,
        "watermark_blend": "Multiply" if alpha and rng.random() < 0.3 else None,
        "watermark_angle": rng.choice([30, 45]),
        "logo_badge": rng.random() < 0.5,
        "object_streams": rng.random() < 0.7,
        "info": rng.choice([None, "default", "default", "title", "producer"]),
    }


@cache
def _metrics(family: str) -> tuple[dict, dict, float]:
    from fontTools.ttLib import TTFont

    font = TTFont(face_file(family), lazy=True)
    return font.getBestCmap(), font["hmtx"].metrics, 1000 / font["head"].unitsPerEm


@cache
def _helvetica() -> dict:
    """Helvetica's widths and kerning pairs (per 1000) as pdf-lib measures them, asked of pdf-lib once."""
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "pdflib"
    path = d / f"helvetica-{PDFLIB}.json"
    if not path.exists():
        out = subprocess.run(["node", str(JS), "--metrics", str(modules_dir())], capture_output=True, text=True)
        if out.returncode:
            raise RuntimeError(f"pdf-lib metrics failed: {out.stderr[-2000:]}")
        path.write_text(out.stdout)
    return json.loads(path.read_text())


def _latin(ch: str) -> bool:
    return " " <= ch <= "~"


def pdflib_wrap(width, text: str, max_width: float) -> list[str]:
    """pdf-lib's breakTextIntoLines with wordBreaks [''] (every character a word): a line ends where the next
    character's width would take it past max_width; newlines end lines, and empty lines are dropped."""
    text = text.replace("\t", "    ").replace("\u0085", "    ").replace("\u2028", "    ").replace("\u2029", "    ")
    text = text.replace("\b", "").replace("\v", "")
    lines: list[str] = []
    cur, cw = "", 0.0
    for ch in text:
        if ch in NEWLINES:
            if cur:
                lines.append(cur)
            cur, cw = "", 0.0
            continue
        w = width(ch)
        if cw + w > max_width:
            if cur:
                lines.append(cur)
            cur, cw = "", 0.0
        cur += ch
        cw += w
    if cur:
        lines.append(cur)
    return lines


class JobCanvas:
    """draw_common's canvas recorded as the driver's drawing operations (PDF points, y up).  `bold` and `alpha`
    are set by the drawer around the text they concern; `layer` chooses the list: 'ops' (with the page), 'under'
    (first on the page), 'template' (a letterhead PDF drawn on the page), 'loop' (over the finished pages),
    'stamp' (the loaded PDF)."""

    def __init__(self, opts: dict) -> None:
        self.o = opts
        self.pages: list[dict] = []
        self.bold: bool | None = None  # None: titles (16 pt and more) bold
        self.alpha: float | None = None
        self.layer = "ops"
        self.h = 0.0
        self.cur = -1

    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        rot = self.o["rotation"] if rotated else 0
        turn = self.o["page_turn"] if rotated else None
        page = {"w": w, "h": h, "rot": rot, "turn": turn}
        self.pages.append({**page, **{layer: [] for layer in ("under", "ops", "template", "loop", "stamp")}})
        self.h, self.cur = h, len(self.pages) - 1

    def _put(self, op: dict) -> None:
        self.pages[self.cur][self.layer].append(op)

    def face(self, size: float) -> tuple[str, str, bool]:
        """(font key, family, synthetic bold) of text in this size."""
        bold = size >= 16 if self.bold is None else self.bold
        if bold and self.o["bold"] == "face":
            return "bold", BOLD_FACE, False
        return "cjk", self.o["font"], bold and self.o["bold"] == "stroke"

    def runs(self, s: str, key: str, family: str) -> list[list[str]]:
        runs: list[list[str]] = []
        for ch in printable(s, family):
            k = "latin" if self.o["latin"] and _latin(ch) else key
            if runs and runs[-1][0] == k:
                runs[-1][1] += ch
            else:
                runs.append([k, ch])
        return runs

    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0)) -> None:
        if not s.strip():
            return
        key, family, fake = self.face(size)
        op = {"t": "text", "x": round(x, 3), "y": round(self.h - y, 3), "size": size, "color": list(color)}
        op.update(runs=self.runs(s, key, family), angle=angle, turn=self.o["turn"], fake=fake)
        if self.alpha is not None:
            op.update(alpha=self.alpha, blend=self.o["watermark_blend"])
        self._put(op)

    def block(self, x: float, y: float, lines: list[str], text: str | None, size: float, lh: float, max_width=None):
        """Several lines in one drawText: the first baseline at y, `lh` apart; `text` and `max_width` for
        pdf-lib's own line breaking."""
        key, family, fake = self.face(size)
        op = {"t": "block", "x": round(x, 3), "y": round(self.h - y, 3), "size": size, "key": key, "lh": lh}
        op.update(lines=lines, text=text, max_width=max_width, color=[0, 0, 0], fake=fake)
        self._put(op)

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: tuple = (0, 0, 0), dash=None):
        h = self.h
        op = {"t": "line", "x0": x0, "y0": h - y0, "x1": x1, "y1": h - y1, "w": width, "color": list(color)}
        self._put({**op, "dash": dash})

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill, stroke=None, lw: float = 0.8) -> None:
        if fill is None and stroke is None:
            return
        op = {"t": "rect", "x": x0, "y": self.h - y1, "w": x1 - x0, "h": y1 - y0, "fill": fill and list(fill)}
        self._put({**op, "stroke": stroke and list(stroke), "lw": lw})

    def char_width(self, ch: str, size: float, key: str, family: str) -> float:
        """widthOfTextAtSize of one character (of the given font, or Helvetica for ASCII beside it)."""
        if key == "latin":
            return _helvetica()["widths"][ch] * (size / 1000)
        cmap, hmtx, scale = _metrics(family)
        return hmtx[cmap[ord(ch)]][0] * scale * (size / 1000) if ord(ch) in cmap else 1000 * (size / 1000)

    def width(self, s: str, size: float) -> float:
        """As pdf-lib's widthOfTextAtSize, run by run: the face's advances summed per 1000 and scaled, Helvetica's
        AFM widths with its kerning pairs."""
        key, family, _ = self.face(size)
        total = 0.0
        for k, run in self.runs(s, key, family):
            if k == "latin":
                m = _helvetica()
                w = sum(m["widths"][c] + m["kern"].get(run[i : i + 2], 0) for i, c in enumerate(run))
            else:
                cmap, hmtx, scale = _metrics(family)
                w = sum(hmtx[cmap[ord(c)]][0] * scale if ord(c) in cmap else 1000 for c in run)
            total += w * (size / 1000)
        return total


class PdfLibDrawer(DeckDrawer):
    """draw_common's deck with pdf-lib users' variations: page sizes, bold headings, how cells' lines are drawn
    and broken, rule styles, drawing order, furniture with the page, in a loop or stamped afterwards."""

    def __init__(self, deck: Deck, c: Canvas, opts: dict) -> None:
        super().__init__(deck, c, {**opts, "page": "A4L"})
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.o = opts
        self.footed: list[int] = []  # pages draw_common gives a footer
        self.marked: list[int] = []  # pages draw_common gives a watermark

    # --- text ---------------------------------------------------------------------------------------------

    def lines(self, text: str, width: float) -> list[str]:
        """The lines of a cell's text in `width`: draw_common's breaking, or pdf-lib's own (maxWidth)."""
        c = self.c
        if self.o["wrap"] == "maxwidth" and not self.o["latin"]:
            key, family, _ = c.face(self.pt)
            text = printable(text, family)
            return pdflib_wrap(lambda ch: c.char_width(ch, self.pt, key, family), text, width)
        out = []
        for para in text.split("\n"):
            line = ""
            for ch in para:
                if line and c.width(line + ch, self.pt) > width:
                    out.append(line)
                    line = ch
                else:
                    line += ch
            out.append(line)
        return out

    def cell_lines(self, col: Col, text: str, w: float) -> list[str]:
        return self.lines(text, w - 6)

    def label(self, b: Box) -> None:
        """draw_common's label, with this module's line breaking; left-aligned cells drawn as one drawText of
        all their lines where the author does so."""
        c, st, pt, lh = self.c, self.d.style, self.pt, self.lh
        c.bold = b.header
        if not b.text or b.mode != "h":
            super().label(b)
            c.bold = None
            return
        lines = self.lines(b.text, b.x1 - b.x0 - 6)
        total = len(lines) * lh
        middle = st["valign"] == "middle" or b.header
        y = b.y0 + 3 + (max(0.0, (b.y1 - b.y0 - 6 - total) / 2) if middle else 0)
        centre = b.header and len(lines) and b.x1 - b.x0 < self.W - 100 or st["halign"] == "center"
        if not centre and not self.o["latin"] and self.o["wrap"] != "lines" and any(s.strip() for s in lines):
            key, family, _ = c.face(pt)
            if self.o["wrap"] == "maxwidth":
                c.block(b.x0 + 3, y + pt * 0.95, lines, printable(b.text, family), pt, lh, b.x1 - b.x0 - 6)
            else:
                c.block(b.x0 + 3, y + pt * 0.95, [printable(s, family) for s in lines], None, pt, lh)
        else:
            for ln in lines:
                w = c.width(ln, pt)
                x = b.x0 + (b.x1 - b.x0 - w) / 2 if centre else b.x0 + 3
                c.text(x, y + pt * 0.95, ln, pt)
                y += lh
        c.bold = None

    def head_height(self, cols: list[Col], xs: list[float]) -> float:
        """draw_common's head, made taller when a (bold) label wraps in a narrow column, as on portrait A4."""
        lh, two = self.lh, self.d.style["year_header"] == "two_row"
        self.c.bold = True

        def need(s: str, w: float) -> float:
            return len(self.lines(s, w - 6)) * lh + 6

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

    def center(self, s: str, y: float, size: float) -> None:
        while size > 12 and self.c.width(s, size) > self.W - 60:
            size -= 2
        super().center(s, y, size)

    # --- furniture ----------------------------------------------------------------------------------------

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

    def head(self) -> None:
        c = self.c
        c.text(30, 20, self.d.org, 8, color=NAVY)
        c.text(self.W - 30 - c.width("策略地圖與平衡計分卡", 8), 20, "策略地圖與平衡計分卡", 8, color=NAVY)
        c.line(30, 25, self.W - 30, 25, 0.5, NAVY)

    def watermark(self) -> None:
        self.marked.append(self.page_no)
        if self.o["watermark_layer"] in ("under", "page"):
            layer, self.c.layer = self.c.layer, "ops" if self.o["watermark_layer"] == "page" else "under"
            self.mark()
            self.c.layer = layer

    def mark(self) -> None:
        self.c.alpha, self.c.bold = self.o["watermark_alpha"], False
        color = (0.75, 0.75, 0.75) if self.c.alpha is None else (0.5, 0.5, 0.5)
        ang = self.o["watermark_angle"]
        self.c.text(self.W * 0.3, self.H * 0.72, self.o.get("watermark_text", "內部資料"), 60, ang, color)
        self.c.alpha, self.c.bold = None, None

    def page(self, rotated: bool = False) -> None:
        super().page(rotated)
        if self.o["header"] and self.o["header_pass"] in ("page", "template") and self.page_no > 1:
            self.c.layer = "ops" if self.o["header_pass"] == "page" else "template"
            self.head()
            self.c.layer = "ops"

    def second_pass(self) -> None:
        """Running header, footers and watermark drawn over the finished pages: in a loop over getPages() or in
        a second program stamping the saved PDF."""
        c, total = self.c, len(self.c.pages)
        for n, page in enumerate(c.pages, 1):
            c.h, c.cur = page["h"], n - 1
            c.layer = self.o["header_pass"]
            if self.o["header"] and self.o["header_pass"] in ("loop", "stamp") and n > 1:
                self.head()
            c.layer = self.o["footer_pass"]
            if self.o["footer"] and self.o["footer_pass"] != "page" and n in self.footed:
                self.foot(n, total)
            if self.o["watermark_layer"] in ("loop", "stamp") and n in self.marked:
                c.layer = self.o["watermark_layer"]
                self.mark()
        c.layer = "ops"

    # --- rules and order ----------------------------------------------------------------------------------

    def rule(self, x0: float, y0: float, x1: float, y1: float, as_rect: bool) -> None:
        w, color = self.o["rule_width"], RULE_COLORS[self.o["rule_color"]]
        if self.o["rules_as"] == "rect":
            self.c.rect(x0 - w / 2, y0 - w / 2, x1 + w / 2, y1 + w / 2, color)
        else:
            dash = [2, 2] if self.o["rule_dash"] and self.d.style["rules"] != "grid" else None
            self.c.line(x0, y0, x1, y1, w, color, dash)

    def paint(self, boxes: list[Box], rows: list[Row], ys: list, xs: list[float]) -> None:
        """draw_common's layers (all fills, all rules, all text), or row by row / cell by cell: each group's zebra
        fills (per cell; a label spanning rows is not striped), then its fills, rules and text.  A grid of
        'box' rules is each cell's rectangle stroked by drawRectangle."""
        if self.o["order"] == "layers":
            if self.d.style["rules"] == "zebra":
                fill = ZEBRA_FILLS[self.o["zebra_fill"]]
                for i, ((y0, y1), r) in enumerate(zip(ys, rows)):
                    if r.kind == "kpi" and i % 2 == 1:
                        self.c.rect(xs[0], y0, xs[-1], y1, fill)
            self.paint_boxes(boxes)
            return
        first = ys[0][0] if ys else float("inf")
        starts = [y0 for y0, _ in ys]

        def row_of(b: Box) -> int:
            return -1 if b.y1 <= first + 0.01 else max(i for i, y in enumerate(starts) if y <= b.y0 + 0.01)

        striped = {i for i, r in enumerate(rows) if self.d.style["rules"] == "zebra" and r.kind == "kpi" and i % 2}
        groups: dict[tuple, list[Box]] = {}
        for b in sorted(boxes, key=lambda b: (row_of(b), b.x0)):
            groups.setdefault((row_of(b),) if self.o["order"] == "row" else (row_of(b), b.x0), []).append(b)
        for g in groups.values():
            for b in g:
                i = row_of(b)
                if i in striped and (b.y0, b.y1) == ys[i] and not b.header:
                    self.c.rect(b.x0, b.y0, b.x1, b.y1, ZEBRA_FILLS[self.o["zebra_fill"]])
            self.paint_boxes(g)

    def paint_boxes(self, boxes: list[Box]) -> None:
        if self.d.style["rules"] == "grid" and self.o["rules_as"] == "box":
            c, fill = self.c, self.o["hdr_fill"]
            w, color = self.o["rule_width"], RULE_COLORS[self.o["rule_color"]]
            for b in boxes:
                c.rect(b.x0, b.y0, b.x1, b.y1, fill if b.header else None, color, w)
            for b in boxes:
                self.label(b)
            return
        super().paint(boxes, [], [], [])


def _run(job: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="r_pdflib-") as tmp:
        path, report = Path(tmp) / "job.json", Path(tmp) / "report.json"
        path.write_text(json.dumps({**job, "report": str(report)}, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(["node", str(JS), str(path)], capture_output=True, text=True, timeout=600)
        if proc.returncode or not Path(job["out"]).exists():
            raise RuntimeError(f"pdf-lib failed: {proc.stderr.strip()[-3000:]}")
        return json.loads(report.read_text())


def _fonts(opts: dict) -> dict:
    def spec(family: str) -> dict:
        return {"file": face_file(family), "subset": opts["subset"]}

    bold = spec(BOLD_FACE) if opts["bold"] == "face" else None
    return {"cjk": spec(opts["font"]), "bold": bold, "latin": opts["latin"]}


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide; a document is cut by row heights
    only).  Text run past the page (a row taller than it) makes the type smaller.  Returns the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    if opts["flow"]:
        opts["max_rows"] = 99
    opts.setdefault("max_rows", st["max_rows"])
    opts["rules"] = st["rules"]
    opts["hdr_fill"] = HEAD_FILLS.get(opts["hdr_fill"] or "")
    if opts["rotate_theme"] not in [t.letter for t in deck.themes]:
        opts["rotate_theme"] = None
    if not opts["rotate_theme"]:
        opts["rotation"] = opts["page_turn"] = None
    info = {}
    if opts["info"] in ("title", "producer"):
        info = {"title": f"{deck.org}策略地圖與平衡計分卡", "author": deck.org}
    if opts["info"] == "producer":
        info.update(producer=f"pdf-lib {PDFLIB}", creator=f"{deck.short}績效管理系統")
    while True:
        cv = JobCanvas(opts)
        drawer = PdfLibDrawer(deck, cv, opts)
        drawer.draw()
        drawer.second_pass()
        job = {"modules": str(modules_dir()), "fonts": _fonts(opts), "font_calls": opts["font_calls"]}
        job.update(font_embed=opts["font_embed"])
        job.update(color_space=opts["color_space"], object_streams=opts["object_streams"])
        job.update(info=info if opts["info"] else None, pages=cv.pages, out=str(out_pdf))
        report = _run(job)
        if report["wraps"]:
            raise RuntimeError(f"pdf-lib broke lines otherwise than laid out: {report['wraps'][:3]}")
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck)
        if any("outside the page" in p for p in problems) and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        break
    opts["hdr_fill"] = next((k for k, v in HEAD_FILLS.items() if v == opts["hdr_fill"]), None)
    opts["problems"] = problems
    return opts
