"""Apache PDFBox renderer: the deck drawn in Java by PDFBox 2.0 (the low-level PDF library of many Java back-office
systems, which write reports by hand on PDPageContentStream, often through small table helpers such as boxable or
easytable) through a small driver (`r_pdfbox.java`, compiled by javac at first use into the cache) that reads a
JSON job written by this module.  PDFBox has no layout at all, so the layout is draw_common's (lines broken at any
character, measured with the widths PDFBox draws with: the face's hmtx, Helvetica's AFM), recorded here as
drawing operations and drawn by the driver: text by beginText/newLineAtOffset/showText/endText (one BT per line),
rules by moveTo/lineTo/stroke or as thin filled rectangles (addRect/fill), fills by addRect/fill.

Pages: slides (4:3, 16:9 or A4 landscape custom PDRectangles; the deck's row budget per slide) or a document on
A4 (portrait or landscape) cut by row heights only, the title (with its --n/N marker) and the head rows again on
every page.  A theme's first page may be stored portrait with `/Rotate 90` or `270` and the drawing turned into it
by a `cm` (`new Matrix(0, 1, -1, 0, w, 0)`, the PDFBox idiom for landscape pages).

Tables (draw_common's): full grid (each cell's four sides, shared edges twice), horizontal rules or none, zebra;
rules as strokes in a chosen width and colour or as filled rectangles; header fills; drawn in layers (fills, rules,
text: draw_common's order), row by row or cell by cell (each cell's fill, rules and text, as table helpers do: the
stream interleaves paths and text runs; zebra fills per cell, not under a label spanning rows); top or centred
cells; 構面 labels turned by a text matrix (`Matrix.getRotateInstance` as Tm) or by a turned graphics state (`cm`,
text at 0 0), or stacked; a head as tall as its labels wrapped in narrow columns (portrait A4).

Fonts: PDType0Font.load of a TrueType face of fonts.py (PDFBox 2.0.27 cannot load OpenType CFF faces: Noto CJK
throws "'loca' table is mandatory", so such decks use a TrueType face, cff_refused), from the single-face file
(embedSubset true, or false: the whole 11-20 MB face embedded) or from the system collection through
TrueTypeCollection.getFontByName (PDFBox embeds a collection's face only as a subset: "Full embedding of TrueType
font collections not supported").  Optionally ASCII in the Standard 14 Helvetica (WinAnsi, not embedded) beside
the CJK face, a line switching fonts inside one BT.  Bold: none, synthetic (`2 Tr`, stroke width size/30) or a
second face (WenQuanYi Zen Hei headings over an AR PL body: a second Type0 font).

Furniture: a running header (office, 策略地圖與平衡計分卡, a rule) and footers ('- n -' drawn with the page, or
'- n -' / 'n / N' written in a second pass over the finished document, as PDFBox code must for a total), each
page's second-pass stream appended with its graphics state reset (`AppendMode.APPEND`: PDFBox wraps the page's
content in q/Q, /Contents becomes an array); a watermark ('內部資料', turned, light grey) drawn with the page, over
it in the second pass or prepended under it (`AppendMode.PREPEND`, hidden by cell fills), with a
PDExtendedGraphicsState fill alpha or opaque.  Content streams Flate-compressed or not; document information
(Title/Author, Producer/Creator/CreationDate) set or none (PDFBox writes no Producer of its own).

Text layer (PDF 1.4, no Producer unless the code sets one): PDFBox 2.0 writes Type0 Identity-H fonts,
CIDFontType2 with CIDs = the face's glyph ids, as hex strings (or literal ones when every byte is printable ASCII:
'( 2 1 63@)'), subsets named 'ABCDEF+UMingTW' with a ToUnicode of the code points drawn, the whole face under its
own name with a /W and a ToUnicode (bfranges from the face's cmap) for every glyph; either way lookalike radicals,
compatibility ideographs and full-width forms read back as printed.  Helvetica is a simple Type1 font in
WinAnsiEncoding without ToUnicode.  Numbers are written as float32 ('724.90002'); every fill and stroke repeats its
colour and width ('sc', 'SC', 'w'), the colour space set once per stream ('/DeviceRGB cs').
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import tempfile
import zipfile
from functools import cache
from pathlib import Path

from . import java_driver
from .draw_common import SIZES, Box, Canvas, DeckDrawer, wrap
from .fonts import FACES, TRUETYPE, face_file, printable
from .layout import Col, Row, check, find_pages
from .spec import Deck

PDFBOX = "2.0.27"  # Debian 12's libpdfbox2-java 2.0.27 (README, Setup)
JARS = ["pdfbox2.jar", "fontbox2.jar", "commons-logging.jar"]
JAVA = Path(__file__).with_name("r_pdfbox.java")
MAIN = "PdfBoxDeck"
PAGE_SIZES = {**SIZES, "A4": (595.0, 842.0)}  # a document may be a portrait A4 report
NAVY = (0.12, 0.23, 0.41)
HEAD_FILLS = {"light": (0.85, 0.9, 0.97), "gray": (0.88, 0.88, 0.88), "sand": (0.98, 0.93, 0.82)}
ZEBRA_FILLS = {"blue": (0.92, 0.95, 0.98), "gray": (0.94, 0.94, 0.94)}
RULE_COLORS = {"black": (0, 0, 0), "gray": (0.5, 0.5, 0.5), "navy": NAVY}
BOLD_FACE = "WenQuanYi Zen Hei"  # headings in a heavier sans over an AR PL body
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}"}


def jar_dir() -> Path:
    return Path(os.environ.get("REALTOOLS_PDFBOX", "/usr/share/java"))


@cache
def installed_version() -> str:
    jar = jar_dir() / JARS[0]
    if not jar.exists():
        raise RuntimeError(f"PDFBox is not installed ({jar}): apt-get install -y libpdfbox2-java")
    with zipfile.ZipFile(jar) as z:
        props = z.read("org/apache/pdfbox/resources/version.properties").decode()
    ver = re.search(r"pdfbox\.version=(\S+)", props)
    if not ver or ver.group(1) != PDFBOX:
        raise RuntimeError(f"PDFBox {PDFBOX} is wanted, {jar} is {ver and ver.group(1)}")
    return ver.group(1)


@cache
def driver() -> str:
    """The classpath of the driver (r_pdfbox.java with Json.java, compiled at first use once per version of both)."""
    installed_version()
    jars = ":".join(str(jar_dir() / j) for j in JARS)
    cache = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "pdfbox"
    return java_driver.compiled(JAVA, jars, cache, PDFBOX, MAIN)


@cache
def tool_version(engine: str | None = None) -> str:
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return f"Apache PDFBox {installed_version()}, {java}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    font = style["font"] if style["font"] in TRUETYPE else rng.choice(TRUETYPE)
    source = rng.choice(["face", "face", "collection"])
    footer = rng.choice([None, "dash", "dash", "of", "of"])
    return {
        "flow": flow,
        "page": rng.choice(["A4", "A4L", "A4L"]) if flow else style["page"],
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "font": font,
        "cff_refused": style["font"] if style["font"] not in TRUETYPE else None,
        "font_source": source,
        # the whole face (11-20 MB) is what PDType0Font.load(doc, file, false) embeds: a rare choice
        "subset": source == "collection" or rng.random() < 0.85,
        "latin": rng.choice([None, None, "Helvetica"]),
        "bold": rng.choice(["none", "stroke"] + (["face"] if font != BOLD_FACE else [])),
        "rules_as_rects": rng.random() < 0.35,
        "rule_width": rng.choice([0.25, 0.5, 0.5, 0.75, 1.0]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "hdr_fill": rng.choice([None, *HEAD_FILLS]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "order": rng.choice(["layers", "row", "cell"]),
        "turn": rng.choice(["tm", "cm"]),
        "rotate_theme": rng.choice("ABCD") if rng.random() < 0.2 else None,
        "rotation": rng.choice([90, 270]),
        "header": rng.random() < 0.4,
        "footer": footer,
        "footer_pass": "second" if footer == "of" else rng.choice(["page", "second"]),
        "footer_align": rng.choice(["right", "center"]),
        "watermark_layer": rng.choice(["page", "over", "under"]),
        "watermark_alpha": rng.choice([None, 0.2, 0.3]),
        "watermark_angle": rng.choice([30, 45]),
        "logo_badge": rng.random() < 0.5,
        "compress": rng.random() < 0.75,
        "info": rng.choice([None, "title", "producer"]),
    }


@cache
def _metrics(family: str) -> tuple[dict, dict, int]:
    from fontTools.ttLib import TTFont

    font = TTFont(face_file(family), lazy=True)
    return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm


@cache
def _ps_name(family: str) -> str:
    from fontTools.ttLib import TTFont

    return TTFont(face_file(family), lazy=True)["name"].getDebugName(6)


def _latin(ch: str) -> bool:
    return " " <= ch <= "~"


class JobCanvas:
    """draw_common's canvas recorded as the driver's drawing operations (PDF points, y up).  `bold` and `alpha`
    are set by the drawer around the text they concern; `layer` chooses the page's stream ('ops') or the
    second pass ('over', 'under')."""

    def __init__(self, opts: dict) -> None:
        self.o = opts
        self.pages: list[dict] = []
        self.bold: bool | None = None  # None: titles (16 pt and more) bold
        self.alpha: float | None = None
        self.layer = "ops"
        self.h = 0.0
        self.cur = -1  # the page drawn on

    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        rot = self.o["rotation"] if rotated else 0
        self.pages.append({"w": w, "h": h, "rot": rot, "ops": [], "over": [], "under": []})
        self.h, self.cur = h, len(self.pages) - 1

    def _put(self, op: dict) -> None:
        self.pages[self.cur][self.layer].append(op)

    def _face(self, size: float) -> tuple[str, str, bool]:
        """(font key, family, synthetic bold) of text in this size."""
        bold = size >= 16 if self.bold is None else self.bold
        if bold and self.o["bold"] == "face":
            return "bold", BOLD_FACE, False
        return "cjk", self.o["font"], bold and self.o["bold"] == "stroke"

    def _runs(self, s: str, key: str, family: str) -> list[list[str]]:
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
        key, family, fake = self._face(size)
        op = {"t": "text", "x": round(x, 2), "y": round(self.h - y, 2), "size": size, "color": list(color)}
        op.update(runs=self._runs(s, key, family), angle=angle, turn=self.o["turn"], fake=fake, alpha=self.alpha)
        self._put(op)

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: tuple = (0, 0, 0)) -> None:
        h = self.h
        self._put({"t": "line", "x0": x0, "y0": h - y0, "x1": x1, "y1": h - y1, "w": width, "color": list(color)})

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: tuple | None, stroke: tuple | None = None) -> None:
        if fill is None and stroke is None:
            return
        op = {"t": "rect", "x": x0, "y": self.h - y1, "w": x1 - x0, "h": y1 - y0, "fill": fill and list(fill)}
        self._put({**op, "stroke": stroke and list(stroke), "lw": 0.8})

    def width(self, s: str, size: float) -> float:
        """As PDFBox's getStringWidth: glyph advances of the face, Helvetica's AFM widths for its ASCII."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        key, family, _ = self._face(size)
        total = 0.0
        for k, run in self._runs(s, key, family):
            if k == "latin":
                total += stringWidth(run, "Helvetica", size)
                continue
            cmap, hmtx, upm = _metrics(family)
            total += sum(hmtx[cmap[ord(c)]][0] if ord(c) in cmap else upm for c in run) * size / upm
        return total


class PdfBoxDrawer(DeckDrawer):
    """draw_common's deck with PDFBox users' variations: page sizes, bold headings, rule styles, drawing order,
    furniture drawn with the page or in a second pass."""

    def __init__(self, deck: Deck, c: Canvas, opts: dict) -> None:
        super().__init__(deck, c, {**opts, "page": "A4L"})
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.o = opts
        self.footed: list[int] = []  # pages draw_common gives a footer
        self.marked: list[int] = []  # pages draw_common gives a watermark

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
        self.marked.append(self.page_no)
        if self.o["watermark_layer"] == "page":
            self.mark()

    def mark(self) -> None:
        self.c.alpha, self.c.bold = self.o["watermark_alpha"], False
        color = (0.75, 0.75, 0.75) if self.c.alpha is None else (0.5, 0.5, 0.5)
        ang = self.o["watermark_angle"]
        self.c.text(self.W * 0.3, self.H * 0.72, self.o.get("watermark_text", "內部資料"), 60, ang, color)
        self.c.alpha, self.c.bold = None, None

    def second_pass(self) -> None:
        """Running header, footers and watermark over (or under) the finished pages, as PDFBox code loops over
        doc.getPages() with an appending PDPageContentStream."""
        c, total = self.c, len(self.c.pages)
        for n, page in enumerate(c.pages, 1):
            c.h, c.cur, c.layer = page["h"], n - 1, "over"
            if self.o["header"] and n > 1:
                c.text(30, 20, self.d.org, 8, color=NAVY)
                c.text(self.W - 30 - c.width("策略地圖與平衡計分卡", 8), 20, "策略地圖與平衡計分卡", 8, color=NAVY)
                c.line(30, 25, self.W - 30, 25, 0.5, NAVY)
            if self.o["footer"] and self.o["footer_pass"] == "second" and n in self.footed:
                self.foot(n, total)
            if self.o["watermark_layer"] != "page" and n in self.marked:
                c.layer = self.o["watermark_layer"]
                self.mark()
        c.layer = "ops"

    def head_height(self, cols: list[Col], xs: list[float]) -> float:
        """draw_common's head, made taller when a (bold) label wraps in a narrow column, as on portrait A4."""
        lh, two = self.lh, self.d.style["year_header"] == "two_row"
        self.c.bold = True

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
        self.c.bold = None
        return out

    def label(self, b: Box) -> None:
        self.c.bold = b.header
        super().label(b)
        self.c.bold = None

    def rule(self, x0: float, y0: float, x1: float, y1: float, as_rect: bool) -> None:
        w, color = self.o["rule_width"], RULE_COLORS[self.o["rule_color"]]
        if as_rect:
            self.c.rect(x0 - w / 2, y0 - w / 2, x1 + w / 2, y1 + w / 2, color)
        else:
            self.c.line(x0, y0, x1, y1, w, color)

    def paint(self, boxes: list[Box], rows: list[Row], ys: list, xs: list[float]) -> None:
        """draw_common's layers (all fills, all rules, all text), or row by row / cell by cell: each group's zebra
        fills (per cell; a label spanning rows is not striped), then its fills, rules and text by draw_common."""
        if self.o["order"] == "layers":
            if self.d.style["rules"] == "zebra":
                fill = ZEBRA_FILLS[self.o["zebra_fill"]]
                for i, ((y0, y1), r) in enumerate(zip(ys, rows)):
                    if r.kind == "kpi" and i % 2 == 1:
                        self.c.rect(xs[0], y0, xs[-1], y1, fill)
            super().paint(boxes, [], [], xs)
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
            super().paint(g, [], [], xs)


def _run(job: dict) -> None:
    with tempfile.TemporaryDirectory(prefix="r_pdfbox-") as tmp:
        path = Path(tmp) / "job.json"
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        cmd = ["java", "-Djava.awt.headless=true", "-cp", driver(), MAIN, str(path)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if proc.returncode or not Path(job["out"]).exists():
            raise RuntimeError(f"PDFBox failed: {proc.stderr.strip()[-3000:]}")


def _fonts(opts: dict) -> dict:
    def spec(family: str) -> dict:
        if opts["font_source"] == "collection":
            return {"ttc": FACES[family][0], "name": _ps_name(family)}
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
        opts["rotation"] = None
    info = {"title": f"{deck.org}策略地圖與平衡計分卡", "author": deck.org}
    if opts["info"] == "producer":
        info.update(producer=f"Apache PDFBox {PDFBOX}", creator=f"{deck.short}績效管理系統")
    while True:
        cv = JobCanvas(opts)
        drawer = PdfBoxDrawer(deck, cv, opts)
        drawer.draw()
        drawer.second_pass()
        job = {"fonts": _fonts(opts), "compress": opts["compress"], "info": info if opts["info"] else None}
        _run({**job, "pages": cv.pages, "out": str(out_pdf)})
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck)
        if any("outside the page" in p for p in problems) and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        break
    opts["hdr_fill"] = next((k for k, v in HEAD_FILLS.items() if v == opts["hdr_fill"]), None)
    opts["problems"] = problems
    return opts
