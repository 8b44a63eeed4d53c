"""muhammara renderer: the deck drawn in Node by muhammara 6 (the Node bindings of PDF-Writer / PDFHummus, a C++
PDF library with its own font embedding: FreeType reads the face, PDFHummus writes TrueType or CFF subsets as CID
fonts), through a small driver (`r_muhammara.js`) reading a JSON job written by this module.  muhammara has page
content contexts with the PDF operators (`cm`, `re`, `m`/`l`/`S`, `f`, `BT`/`Tf`/`Tm`/`Tj`/`ET`, ...), helpers
(`writeText`, `drawRectangle`, `drawPath`) and no layout at all, so the author lays the table out by hand: the layout
is draw_common's (lines broken at any character), measured as muhammara measures: `font.calculateTextDimensions(s,
size)`, whose `width` is the ink box of the glyphs (xMax - xMin: the left side bearing of the first glyph and the
right side bearing of the last are not counted, a space alone is 0 wide) and whose size is truncated to a whole
number (the binding reads it with TO_UINT32); the glyph metrics are asked of muhammara once per deck (`--metrics`:
each character's advance and ink box at size 1000, as FreeType gives them through PDFHummus' rounding to 1/1000 em).
Some authors centre and right-align by that width, others by `xMax` (the pen advance up to the last glyph's ink).

Pages: slides (4:3, 16:9 or A4 landscape; the deck's row budget per slide) or a document on A4 (portrait or
landscape) cut by row heights only, the title (with its --n/N marker) and the head rows again on every page; every
page `createPage(0, 0, w, h)`, `startPageContentContext`, `writePage`.

Text: `cxt.writeText(s, x, y, {font, size, colorspace, color})` per line (PDFHummus writes `BT`, the colour, `1 0 0
1 x y Tm`, `/FNn size Tf` and the glyph ids as a hex `Tj`, `ET`: a text object per call, the `Tf` left out when the
font and size it tracks are already set, even across text objects), or the author's own text objects: one `BT` per
line (`Tf`, `Tm`, `Tj`, `ET`), or one `BT` per cell (`TL` leading, `Td` to the first line, `T*` between lines, the
colour once).  Colours 0xRRGGBB with colorspace 'rgb', or 0xCCMMYYKK with 'cmyk' (the author's own conversion, as
print shops ask), or raw `rg`/`k`.  構面 labels turned by `q cm Q` with a rotation matrix (the text at 0 0) or by a
rotated text matrix (`Tm cos sin -sin cos x y`), or stacked one character per line.  Bold: none, synthetic (`2 Tr`
with a line width and the stroke colour, reset by `0 Tr`) or a second face (WenQuanYi Zen Hei headings).

Rules: `m l S` lines (raw operators in `q`/`Q`, or `drawPath(x0, y0, x1, y1, {type: 'stroke', width, color})`),
thin filled rectangles (`re f`), or a grid of cell boxes (`re S` per cell, each shared edge stroked twice); fills
`re f` (or `drawRectangle(..., {type: 'fill'})`); dashed rules by `d`.  Drawing order: fills, rules, text in layers
(draw_common's), or row by row or cell by cell (zebra and head fills first in each group); some decks write a
cell's text before its rules.

Fonts: `pdfWriter.getFontForFile(path[, index])`: the system collection (.ttc) with the face's index, or a single
face file of fonts.py.  PDFHummus always subsets (the binding offers no whole-font embedding): TrueType faces as
CIDFontType2 subsets, Noto CJK's CFF as CIDFontType0C subsets, Identity-H, hex glyph-id strings; a font whose glyphs
all fit WinAnsi (the ASCII-only Latin face) is written as a simple TrueType font with WinAnsiEncoding and literal
strings.  Subset tags are not random but counted per document ('AAAAAB+', 'AAAAAC+', ...; the stamping pass starts
again at AAAAAB+).  The ToUnicode has one entry per glyph, the code point the glyph was first encoded from: in
Noto, where a Kangxi or Supplement radical shares the unified ideograph's glyph, whichever the deck draws first is
what every later use reads as.  Characters the face lacks are printed folded (fonts.printable).  Optionally the
ASCII in a second face (DejaVu Sans / Liberation Sans), as report writers pair a Latin face with CJK: each run its
own `writeText`/text object, placed where the author's pen (the summed advances) ends.

Furniture: a running header drawn with the page or as one Form XObject made before the first page
(`createFormXObject`, its content context, `endFormXObject`) and painted on every page by `doXObject`; footers
('- n -' with the page, or 'n / N' drawn with the page by an author who counted the pages first) or stamped
afterwards by a second pass: `createWriterToModify(draft, {modifiedFilePath})` and a `PDFPageModifier(writer, n,
true)` per page (the old content wrapped in `q`/`Q` streams, the stamp a Form XObject `/G_0 Do` of its own, the
fonts embedded again as new subsets, an incremental update with a ModDate); the watermark ('內部資料', turned,
light grey) drawn first on the page, after the table, or in the stamping pass.  Document information: none at all
(PDFHummus writes no /Info and no Producer), or Title/Author (and Creator) through
`getDocumentContext().getInfoDictionary()`.  Streams Flate-compressed or not (`compress: false`: CRLF line ends),
PDF version 1.4 or 1.7.  muhammara's prebuilt binaries come from GitHub, so the module is built from source
(node-pre-gyp's `--fallback-to-build`: g++ compiles PDFHummus with its bundled FreeType, zlib, libpng, libjpeg,
libtiff and AES code, about 3 minutes).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from . import draw_common
from .draw_common import SIZES, Box, Canvas, DeckDrawer
from .fonts import FACES, face_file, printable
from .layout import Col, Row, check, find_pages
from .spec import Deck

MUHAMMARA = "6.0.6"  # npm install muhammara@6.0.6 --build_from_source in $REALTOOLS_CACHE/muhammara (README, Setup)
JS = Path(__file__).with_name("r_muhammara.js")
PAGE_SIZES = {"4:3": SIZES["4:3"], "16:9": SIZES["16:9"], "A4L": (841.89, 595.28), "A4": (595.28, 841.89)}
NAVY = (0.12, 0.23, 0.41)
HEAD_FILLS = {"light": (0.85, 0.9, 0.97), "gray": (0.88, 0.88, 0.88), "sand": (0.98, 0.93, 0.82)}
ZEBRA_FILLS = {"blue": (0.92, 0.95, 0.98), "gray": (0.94, 0.94, 0.94)}
RULE_COLORS = {"black": (0, 0, 0), "gray": (0.5, 0.5, 0.5), "navy": NAVY}
BOLD_FACE = "WenQuanYi Zen Hei"  # headings in a heavier sans over another body face
LATIN_FACES = {
    "DejaVu Sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "Liberation Sans": "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
}
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}"}


def modules_dir() -> Path:
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "muhammara" / "node_modules"
    if not (d / "muhammara" / "package.json").exists():
        cmd = f"npm install muhammara@{MUHAMMARA} --build_from_source"
        raise RuntimeError(f"muhammara is not installed: cd {d.parent} && {cmd}")
    return d


@cache
def tool_version(engine: str | None = None) -> str:
    ver = json.loads((modules_dir() / "muhammara" / "package.json").read_text())["version"]
    if ver != MUHAMMARA:
        raise RuntimeError(f"muhammara {ver} installed, {MUHAMMARA} pinned (r_muhammara.MUHAMMARA)")
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return f"muhammara {ver} (PDFHummus, built from source), Node {node}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    font = style["font"] if rng.random() < 0.85 else rng.choice(list(FACES))
    footer = rng.choice([None, "dash", "dash", "of", "of"])
    return {
        "flow": flow,
        "page": rng.choice(["A4", "A4L", "A4L"]) if flow else style["page"],
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "font": font,
        # getFontForFile on the system collection with the face's index, or on a face file saved from it
        "font_source": rng.choice(["ttc", "ttc", "face"]),
        "latin": rng.choice([None, None, None, "DejaVu Sans", "Liberation Sans"]),
        "measure": rng.choice(["width", "width", "xmax"]),
        "text_api": rng.choice(["writeText", "writeText", "line", "cell"]),
        "bold": rng.choice(["none", "stroke"] + (["face"] if font != BOLD_FACE else [])),
        "rules_as": rng.choice(["line", "line", "rect", "box"]),
        "path_api": rng.choice(["ops", "helpers"]),
        "rule_width": rng.choice([0.25, 0.5, 0.5, 0.75, 1.0]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "rule_dash": rng.random() < 0.15,
        "hdr_fill": rng.choice([None, *HEAD_FILLS]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "color_space": rng.choice(["rgb", "rgb", "rgb", "cmyk"]),
        "order": rng.choice(["layers", "row", "cell"]),
        "text_first": rng.random() < 0.25,  # a cell's text written before its rules (fills still first)
        "turn": rng.choice(["cm", "cm", "tm"]),
        # 構面 and objective cells merged over their rows, or the label written again in every row
        "labels": rng.choice(["merged", "merged", "repeated"]),
        "header": rng.random() < 0.4,
        "header_pass": rng.choice(["page", "form"]),
        "footer": footer,
        "footer_pass": rng.choice(["page", "stamp"]) if footer == "dash" else rng.choice(["stamp", "total"]),
        "footer_align": rng.choice(["right", "center"]),
        "watermark_layer": rng.choice(["under", "page", "stamp"]),
        "watermark_angle": rng.choice([30, 45]),
        "logo_badge": rng.random() < 0.5,
        "compress": rng.random() < 0.85,
        "pdf_version": rng.choice([14, 14, 17]),
        "info": rng.choice([None, None, "title", "creator"]),
    }


def _font_spec(family: str, source: str) -> dict:
    path, index, _ = FACES[family]
    if source == "ttc":
        return {"file": path, "index": index}
    return {"file": face_file(family), "index": None}


def _metrics(specs: dict, chars: dict) -> dict:
    """Per font key and character: [advance, ink xMin, ink xMax] at size 1000, as muhammara gives them."""
    with tempfile.TemporaryDirectory(prefix="r_muhammara-m-") as tmp:
        path = Path(tmp) / "m.json"
        job = {
            "modules": str(modules_dir()),
            "fonts": specs,
            "chars": {k: "".join(sorted(v)) for k, v in chars.items()},
        }
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(["node", str(JS), "--metrics", str(path)], capture_output=True, text=True, timeout=300)
        if proc.returncode:
            raise RuntimeError(f"muhammara metrics failed: {proc.stderr.strip()[-2000:]}")
        return json.loads(proc.stdout)


def _latin(ch: str) -> bool:
    return " " <= ch <= "~"


class JobCanvas:
    """draw_common's canvas recorded as the driver's drawing operations (PDF points, y up).  `bold` is set by the
    drawer around the text it concerns; `layer` chooses the list: 'under' (first on the page), 'ops' (with the
    page), 'form' (the running header's Form XObject), 'stamp' (the second pass over the saved file)."""

    def __init__(self, opts: dict, metrics: dict) -> None:
        self.o = opts
        self.m = metrics
        self.pages: list[dict] = []
        self.bold: bool | None = None  # None: titles (16 pt and more) bold
        self.layer = "ops"
        self.h = 0.0
        self.cur = -1
        self.form: list[dict] = []
        self.form_page: int | None = None

    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        self.pages.append({"w": w, "h": h, **{layer: [] for layer in ("under", "ops", "stamp")}, "form": False})
        self.h, self.cur = h, len(self.pages) - 1

    def _put(self, op: dict) -> None:
        if self.layer == "form":
            # the letterhead is drawn once, into the Form XObject, from the first page that shows it
            self.pages[self.cur]["form"] = True
            if self.form_page in (None, self.cur):
                self.form_page = self.cur
                self.form.append(op)
            return
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

    def dims(self, key: str, s: str, size: float) -> tuple[float, float, float]:
        """calculateTextDimensions(s, size) of one font: (xMin, xMax, pen advance), size truncated to an integer."""
        m = self.m[key]
        pen, lo, hi = 0.0, None, None
        for ch in s:
            adv, x0, x1 = m.get(ch, (1000, 0, 0))
            lo = pen + x0 if lo is None else min(lo, pen + x0)
            hi = pen + x1 if hi is None else max(hi, pen + x1)
            pen += adv
        k = int(size) / 1000
        if lo is None or lo > hi:
            lo = hi = 0.0
        return lo * k, hi * k, pen * k

    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0)) -> None:
        if not s.strip():
            return
        key, family, fake = self.face(size)
        runs = []
        xx = x
        for k, run in self.runs(s, key, family):
            runs.append([k, run, round(xx, 3)])
            xx += self.dims(k, run, size)[2]  # the next run where the author's pen ends
        op = {"t": "text", "x": round(x, 3), "y": round(self.h - y, 3), "size": size, "color": list(color)}
        op.update(angle=angle, runs=runs, fake=fake)
        self._put(op)

    def block(self, x: float, y: float, lines: list[str], size: float, lh: float) -> None:
        """A cell's lines in one text object (one BT, Td and T*), first baseline at y."""
        key, family, fake = self.face(size)
        op = {"t": "block", "x": round(x, 3), "y": round(self.h - y, 3), "size": size, "key": key, "lh": lh}
        op.update(lines=[printable(s, family) for s in lines], color=[0, 0, 0], fake=fake)
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

    def width(self, s: str, size: float) -> float:
        """The author's measure of a string: calculateTextDimensions' width (ink box) or xMax, run by run."""
        key, family, _ = self.face(size)
        runs = self.runs(s, key, family)
        total = 0.0
        for i, (k, run) in enumerate(runs):
            lo, hi, pen = self.dims(k, run, size)
            if i < len(runs) - 1:
                total += pen
            else:
                total += hi - lo if self.o["measure"] == "width" else hi
        return total


class MuhammaraDrawer(DeckDrawer):
    """draw_common's deck with muhammara users' variations: page sizes, bold headings, text objects per line or
    per cell, rule styles, drawing order, furniture with the page, as a Form XObject or stamped afterwards."""

    def __init__(self, deck: Deck, c: Canvas, opts: dict) -> None:
        super().__init__(deck, c, {**opts, "page": "A4L"})
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.o = opts
        self.footed: list[int] = []
        self.marked: list[int] = []

    def lines(self, text: str, width: float) -> list[str]:
        c = self.c
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
        if not centre and not self.o["latin"] and self.o["text_api"] == "cell" and any(s.strip() for s in lines):
            c.block(b.x0 + 3, y + pt * 0.95, lines, pt, lh)
        else:
            for ln in lines:
                w = c.width(ln, pt)
                x = b.x0 + (b.x1 - b.x0 - w) / 2 if centre else b.x0 + 3
                c.text(x, y + pt * 0.95, ln, pt)
                y += lh
        c.bold = None

    def head_height(self, cols: list[Col], xs: list[float]) -> float:
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

    def table(self, rows, prev, cols, xs, top, head_h) -> None:
        """draw_common's table; with repeated labels every KPI row has its own 構面 and objective cell."""
        if self.o["labels"] != "repeated":
            super().table(rows, prev, cols, xs, top, head_h)
            return
        merged = draw_common.runs
        draw_common.runs = lambda rows, key: [(i, 1) for i, r in enumerate(rows) if r.kind == "kpi"]
        try:
            super().table(rows, prev, cols, xs, top, head_h)
        finally:
            draw_common.runs = merged

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
        self.c.bold = False
        ang = self.o["watermark_angle"]
        self.c.text(self.W * 0.3, self.H * 0.72, "內部資料", 60, ang, (0.8, 0.8, 0.8))
        self.c.bold = None

    def page(self, rotated: bool = False) -> None:
        super().page(rotated)
        if self.o["header"] and self.page_no > 1:
            self.c.layer = "ops" if self.o["header_pass"] == "page" else "form"
            self.head()
            self.c.layer = "ops"

    def second_pass(self) -> None:
        """Footers needing the page count and anything stamped over the saved file."""
        c, total = self.c, len(self.c.pages)
        for n, page in enumerate(c.pages, 1):
            c.h, c.cur = page["h"], n - 1
            if self.o["footer"] and self.o["footer_pass"] != "page" and n in self.footed:
                # 'total': drawn with the page by an author who counted the pages first
                c.layer = "stamp" if self.o["footer_pass"] == "stamp" else "ops"
                self.foot(n, total)
            if self.o["watermark_layer"] == "stamp" and n in self.marked:
                c.layer = "stamp"
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
        c, rules = self.c, self.d.style["rules"]
        fill = self.o["hdr_fill"]
        w, color = self.o["rule_width"], RULE_COLORS[self.o["rule_color"]]
        if rules != "none" and fill:
            for b in boxes:
                if b.header:
                    c.rect(b.x0, b.y0, b.x1, b.y1, fill)
        if self.o["text_first"]:
            for b in boxes:
                self.label(b)
        for b in boxes:
            if rules == "grid" and self.o["rules_as"] == "box":
                c.rect(b.x0, b.y0, b.x1, b.y1, None, color, w)
            elif rules == "grid":
                for x0, y0, x1, y1 in (
                    (b.x0, b.y0, b.x1, b.y0),
                    (b.x0, b.y1, b.x1, b.y1),
                    (b.x0, b.y0, b.x0, b.y1),
                    (b.x1, b.y0, b.x1, b.y1),
                ):
                    self.rule(x0, y0, x1, y1, False)
            elif rules in ("hrules", "zebra") and (b.header or rules == "hrules"):
                self.rule(b.x0, b.y1, b.x1, b.y1, False)
        if not self.o["text_first"]:
            for b in boxes:
                self.label(b)


def _deck_chars(deck: Deck) -> set[str]:
    from .layout import columns, theme_rows

    text = [deck.org, deck.short, "策略地圖與平衡計分卡轄區概況願景：、敬請指教內部資料｜-/ 0123456789", deck.map_date]
    text += deck.profile_lines
    for t in deck.themes:
        text.append(t.shown)
        for o in t.objectives:
            text.append(o.shown)
        for r in theme_rows(deck, t):
            text.extend(r.cells.values())
    text += [c.label + (c.group or "") + (c.sub or "") for c in columns(deck)]
    text += [c.label for c in columns(deck, band=True)]
    from .layout import theme_title

    text += [theme_title(deck, t, i, n) for t in deck.themes for n in (1, 2, 3, 4, 5) for i in range(1, n + 1)]
    text += [f"{p}構面" for p in ("財務", "顧客", "內部流程", "學習成長", "學習與成長")]
    chars = set("".join(text)) | {chr(c) for c in range(32, 127)}
    chars.discard("\n")
    return chars


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
    specs = {"cjk": _font_spec(opts["font"], opts["font_source"])}
    if opts["bold"] == "face":
        specs["bold"] = _font_spec(BOLD_FACE, opts["font_source"])
    if opts["latin"]:
        specs["latin"] = {"file": LATIN_FACES[opts["latin"]], "index": None}
    chars = _deck_chars(deck)
    folded = {k: {c for s in chars for c in printable(s, opts["font"] if k != "bold" else BOLD_FACE)} for k in specs}
    metrics = _metrics(specs, folded)
    info = {}
    if opts["info"]:
        info = {"title": f"{deck.org}策略地圖與平衡計分卡", "author": deck.org}
        if opts["info"] == "creator":
            info["creator"] = f"{deck.short}績效管理系統"
    while True:
        cv = JobCanvas(opts, metrics)
        drawer = MuhammaraDrawer(deck, cv, opts)
        drawer.draw()
        drawer.second_pass()
        job = {"modules": str(modules_dir()), "fonts": specs, "text_api": opts["text_api"], "turn": opts["turn"]}
        job.update(path_api=opts["path_api"], color_space=opts["color_space"], compress=opts["compress"])
        job.update(version=opts["pdf_version"], info=info or None, pages=cv.pages, form=cv.form, out=str(out_pdf))
        _run(job)
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck)
        if any("outside the page" in p for p in problems) and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        break
    opts["hdr_fill"] = next((k for k, v in HEAD_FILLS.items() if v == opts["hdr_fill"]), None)
    opts["problems"] = problems
    return opts


def _run(job: dict) -> None:
    with tempfile.TemporaryDirectory(prefix="r_muhammara-") as tmp:
        path = Path(tmp) / "job.json"
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(["node", str(JS), str(path)], capture_output=True, text=True, timeout=600)
        if proc.returncode or not Path(job["out"]).exists():
            raise RuntimeError(f"muhammara failed: {proc.stderr.strip()[-3000:]}")
