"""OpenPDF renderer: the deck drawn in Java by OpenPDF (the LGPL fork of iText 4 with its com.lowagie API, the PDF
library of JasperReports and of many Java report systems) through a small driver (`r_openpdf.java`, compiled by
javac at first use into the cache) that reads a JSON job written by this module: a Document and PdfWriter,
Paragraphs, PdfPTable tables (cells with borders per side, backgrounds, rowspan and colspan, setRotation(90),
padding, leading), a PdfPageEventHelper drawing the running title, footer and watermark, and optionally a
PdfReader + PdfStamper pass.  OpenPDF lays out, wraps and paginates; this module reads back where the rows went
(a cell event reports each tagged cell's page).

Slides: one table per page (4:3 or 16:9) under its title (a Paragraph; with the logo caption a borderless
two-cell PdfPTable), the table added to the document (OpenPDF carries what does not fit over to a page of its
own), placed in a rectangle by a ColumnText (what does not fit stays behind), or written at a fixed spot by
writeSelectedRows, only for decks without rowspans: writeSelectedRows draws a rowspan cell as tall as its first
row, clipping its text ('內' of a stacked '內部流程').  The row budget is lowered until every slide's table fits.

Flow: one PdfPTable per theme (A4 landscape or the slide size) added to the document, themes starting a page
or following on; setHeaderRows repeats the head on every page (repeat_header) or the head rows are plain rows
printed once; setSplitLate(true) moves a row that does not fit whole to the next page, setSplitLate(false)
splits it line by line at the foot of the page; setKeepTogether moves a table that fits a page whole to the next
one.  A KPI row split over two pages has no single page, so the table is ended above it and a new one starts on
a new page (the head as the first had it), as an author fixing it would; so is a band row left at the foot of a
page, and the first row of a 構面/策略目標 rowspan whose label OpenPDF continues on the next page (the rows on
the page being shorter than the label, the cell is copied to the next page with the height already used
consumed).  A theme whose title or head stays alone at the foot of a page starts a page; a row taller than a
page makes the type smaller.  OpenPDF prints a rowspan label carried over a page break once, on the first
page, the rows on the next under an empty cell; with span_cut the span is cut there and the label printed again
(blank if the deck blanks continued labels).  Running titles are drawn by the page event from the page map of
the rendering before.

Cells: text mode (`new PdfPCell(phrase)`: the cell's alignment and leading, OpenPDF's default 1 x the size) or
composite mode (`addElement(paragraph)`: the paragraph's alignment and leading, 1.5 x by default); useAscender
places the first baseline by the font's ascender.  Borders: a BOX of one width strokes each cell's rectangle
(`x y w h re S`, shared edges twice); per-side borders (TOP|BOTTOM, the head's heavier) or setUseVariableBorders
draw each side as its own `m l S` inside the cell, inset by half its width; fills are `re f`.  Per table and
page OpenPDF writes its canvases in order: base (a table event's stripes), backgrounds, rules, text, so all
fills and rules of a table come before its text.  Zebra: cell backgrounds on every other KPI row, or the iText
books' alternating-background PdfPTableEvent painting every other row under the cells: OpenPDF calls it per
page with that page's rows (rowStart 0), so the stripes count the rows on the page after the repeated head,
band rows included, and start again on each page.  Turned 構面 labels: `q 0 1 -1 0 x y cm BT 1 0 0 1 dx 0 Tm
... ET Q`; stacked ones one character per line.

Line breaking (DefaultSplitCharacter): after any character from U+2E80 to U+D7A0 (ideographs, kana and the
ideographic punctuation, so '。' may start a line: no kinsoku), after a space or '-'; never inside 'AC1.2.1',
'≧96.0%' or a run of full-width digits (U+FF10-FF19 are not split characters): such a run longer than the cell
is broken where it overflows.  Nothing is dropped or hyphenated, so no pre-wrapping is needed.

Text layer (PDF 1.5, Producer 'OpenPDF 2.0.5', left as it is by the stamper, which adds a ModDate; 'full'
compression writes object and xref streams, 'none' plain content streams): CJK faces from
BaseFont.createFont(file or 'collection.ttc,index', IDENTITY_H, EMBEDDED), a Type0 font with 2-byte glyph ids
as codes in literal strings; TrueType faces as CIDFontType2 subsets ('UKFOQU+UMingTW'), Noto CJK (CFF) as
CIDFontType0C named with the encoding ('QRZGUA+NotoSerifCJKtc-Regular-Identity-H').  OpenPDF's CFFFontSubset
misreads some of Noto's subroutine numbers: a few glyphs come out garbled (Noto Sans CJK: 概 and 開 of 455
tried; the text layer is right) and a large subset (3000 ideographs) throws in ReadASubr, whereupon the deck is
printed in a TrueType face (cff_failed).  The ToUnicode map has one entry per glyph, the code point last drawn
with it: a deck that prints one lookalike (⺠, a glyph the face shares with 民) has every 民 in its text layer
read as ⺠.  With `latin` a FontSelector sets what Helvetica or Times-Roman has (ASCII digits, Latin, '%',
spaces) in that standard font (WinAnsi, not embedded) and the rest in the CJK face, so a line switches fonts
('109' /F2, '年實際值' /F1).  Bold is synthetic (Font.BOLD on a face without bold: `2 Tr`, line width size/30).
A cell's text is one BT, each of its lines placed by an absolute `1 0 0 1 x y Tm`, every chunk between its
colour and a `0 g`; paragraphs are one BT of relative Td moves ending with the paragraph's newline printed as
a space.  A face lacking a character drops it, so text is printed as
fonts.printable gives it.

Footers: onEndPage draws a rule, the org and '- n -'; 'n / N' is 'n / ' as text and the total a PdfTemplate
(Form XObject) filled in onCloseDocument, so the total is a separate run after the page's text ('2 /', '6').
Or footers are stamped afterwards by PdfStamper (the total known; the stamper embeds a second subset of the
face).  The watermark is ColumnText.showTextAligned text at an angle under a PdfGState fill opacity, on the
under-content (first in the page, hidden by cell fills), on the over-content after the page, or stamped.
OpenPDF ignores newPage() on a page it thinks empty, so pages drawn only by absolute text are marked non-empty.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from functools import cache
from pathlib import Path

from . import java_driver
from .draw_common import SIZES
from .fonts import FACES, TRUETYPE, face_file, printable
from .layout import Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, Theme, fold

OPENPDF = "2.0.5"  # com.github.librepdf:openpdf:2.0.5 as $REALTOOLS_CACHE/openpdf/openpdf-2.0.5.jar (README, Setup)
JAR = f"openpdf-{OPENPDF}.jar"
JAVA = Path(__file__).with_name("r_openpdf.java")
MAIN = "OpenPdfDeck"
NAVY = [31, 58, 104]
HEAD_FILLS = {"light": [220, 230, 242], "gray": [230, 230, 230], "navy": NAVY}
BAND_FILL = [201, 217, 236]
ZEBRA_FILL = [238, 242, 247]
RULE_COLORS = {"black": None, "gray": [128, 128, 128], "navy": NAVY}
# Rectangle's border bits
TOP, BOTTOM, LEFT, RIGHT = 1, 2, 4, 8
BOX = TOP | BOTTOM | LEFT | RIGHT
# the optional dependencies OpenPDF's sources import (signatures, encryption, TextField, FOP shaping): on the
# compile classpath only when the jar is built from source; Debian's jars (libbcprov-java, libbcpkix-java,
# libicu4j-java, fop)
OPTIONAL_JARS = ["bcprov", "bcpkix", "bcutil", "icu4j", "fop", "fop-core", "xmlgraphics-commons"]


def cache_dir() -> Path:
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "openpdf"
    d.mkdir(parents=True, exist_ok=True)
    return d


def jar_path() -> Path:
    jar = cache_dir() / JAR
    if not jar.exists():
        raise RuntimeError(
            f"OpenPDF is not installed: mvn dependency:get -Dartifact=com.github.librepdf:openpdf:{OPENPDF} "
            f"-Dtransitive=false and copy the jar to {jar}, or build it from a clone at tag {OPENPDF}: "
            f"python -m tests.realtools.r_openpdf build-jar CLONE"
        )
    return jar


def build_jar(clone: Path) -> Path:
    """The released jar's classes and resources, built from a clone of LibrePDF/OpenPDF checked out at tag
    OPENPDF, for machines that cannot reach Maven Central: the openpdf module's sources compiled by javac for
    Java 17 (the optional dependencies' Debian jars on the compile classpath only), its resources, and
    version.properties filtered as Maven does (Document.getVersion() reads it for the Producer)."""
    src = clone / "openpdf" / "src" / "main"
    pom = (clone / "openpdf" / "pom.xml").read_text(encoding="utf-8")
    if f"<version>{OPENPDF}</version>" not in pom:
        raise RuntimeError(f"{clone} is not OpenPDF {OPENPDF}")
    cp = [f"/usr/share/java/{n}.jar" for n in OPTIONAL_JARS]
    missing = [p for p in cp if not Path(p).exists()]
    if missing:
        raise RuntimeError(f"missing {missing}: apt-get install libbcprov-java libbcpkix-java libicu4j-java fop")
    out = cache_dir() / JAR
    with tempfile.TemporaryDirectory(prefix="openpdf-build-") as tmp:
        classes = Path(tmp) / "classes"
        sources = sorted(str(p) for p in (src / "java").rglob("*.java"))
        (Path(tmp) / "sources.txt").write_text("\n".join(sources), encoding="utf-8")
        cmd = ["javac", "-nowarn", "-encoding", "UTF-8", "--release", "17", "-cp", ":".join(cp), "-d", str(classes)]
        subprocess.run([*cmd, f"@{Path(tmp) / 'sources.txt'}"], check=True)
        shutil.copytree(src / "resources", classes, dirs_exist_ok=True)
        filtered = src / "resources-filtered" / "com" / "lowagie" / "text" / "version.properties"
        text = filtered.read_text(encoding="utf-8").replace("${project.version}", OPENPDF)
        (classes / "com" / "lowagie" / "text" / "version.properties").write_text(text, encoding="utf-8")
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("META-INF/MANIFEST.MF", f"Manifest-Version: 1.0\nImplementation-Version: {OPENPDF}\n\n")
            for p in sorted(classes.rglob("*")):
                if p.is_file():
                    z.write(p, p.relative_to(classes).as_posix())
    return out


@cache
def driver() -> str:
    """The classpath of the driver (r_openpdf.java with Json.java, compiled at first use once per version of both)."""
    jar = jar_path()
    return java_driver.compiled(JAVA, str(jar), cache_dir(), jar.name, MAIN)


@cache
def tool_version(engine: str | None = None) -> str:
    with zipfile.ZipFile(jar_path()) as z:
        props = z.read("com/lowagie/text/version.properties").decode()
    ver = dict(line.split("=", 1) for line in props.splitlines() if "=" in line).get("bundleVersion", "?")
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return f"OpenPDF {ver.strip()}, {java}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.45
    slide = style["page"] if style["page"] in ("4:3", "16:9") else rng.choice(["4:3", "16:9"])
    running = rng.random() < (0.4 if flow else 0.25)
    footer = rng.choice([None, "event", "event", "stamper"])
    rules = style["rules"]
    borders = {"grid": "box", "hrules": "hrules", "none": "none", "zebra": rng.choice(["none", "hrules"])}[rules]
    spans = rng.random() < 0.75
    plain = not spans and style["year_header"] != "two_row"
    return {
        "flow": flow,
        "page": rng.choice(["A4L", "A4L", slide]) if flow else slide,
        "font": style["font"] if style["font"] in FACES else rng.choice(list(FACES)),
        "font_source": rng.choice(["collection", "face"]),
        "latin": rng.choice([None, None, None, "Helvetica", "Times-Roman"]),
        "font_pt": style["font_pt"] + (rng.choice([0, 1]) if flow else 0),
        "cell_mode": rng.choice(["text", "text", "composite"]),
        "leading": rng.choice([1.0, 1.2, 1.3, 1.5]),
        "padding": rng.choice([2, 3, 4]),
        "use_ascender": rng.random() < 0.3,
        "borders": borders,
        "border_width": rng.choice([0.5, 0.5, 0.25, 0.75, 1.0]),
        "border_color": rng.choice(list(RULE_COLORS)),
        "variable_borders": rng.random() < 0.3,
        "header_fill": rng.choice(["light", "gray", "navy"]) if rules != "none" and rng.random() < 0.75 else None,
        "header_bold": rng.random() < 0.5,
        "zebra": rng.choice(["cells", "event"]) if rules == "zebra" else None,
        "values_align": rng.choice([style["halign"], "center", "right"]),
        "spans": spans,
        "span_cut": flow and rng.random() < 0.5,
        "widths": rng.choice(["percent", "locked"]),
        # writeSelectedRows draws a rowspan cell as tall as its first row: used only by decks without rowspans
        "placement": "document" if flow else rng.choice(["document", "column"] + (["rows"] if plain else [])),
        "repeat_header": rng.random() < 0.75,
        "split_late": rng.random() < 0.6,
        "keep_together": flow and rng.random() < 0.3,
        "title_in": "running" if running else "content",
        "theme_break": running or not flow or rng.random() < 0.6,
        "footer": footer,
        "page_of": footer is not None and rng.random() < 0.5,
        "watermark": rng.choice(["over", "under", "stamper"]),
        "watermark_angle": rng.choice([30, 45, 0]),
        "compression": rng.choice(["default", "default", "none", "full"]),
    }


class TooTall(Exception):
    """A KPI row OpenPDF still splits when it already starts a page: the type must be smaller."""


class Job:
    """One OpenPDF rendering of the deck.  state: `breaks` (theme rows a new table starts with, on a new page),
    `cuts` (rows where a rowSpan label starts again), `fresh` (themes that start a page), `titles` (page ->
    running title)."""

    def __init__(self, deck: Deck, opts: dict, state: dict) -> None:
        self.d, self.o, self.st = deck, opts, deck.style
        self.W, self.H = SIZES[opts["page"]]
        self.pt = float(opts["font_pt"])
        self.font = opts["font"]
        self.side = 30.0
        self.running = opts["title_in"] == "running"
        self.top = 62.0 if self.running else 30.0
        self.bottom = 40.0 if opts["footer"] else 26.0
        self.cols = columns(deck)
        self.nh = 2 if self.st["year_header"] == "two_row" else 1
        self.state = state
        self.ops: list[dict] = []

    def t(self, s: str) -> str:
        return printable(s, self.font)

    # --- pieces ----------------------------------------------------------------------------------------------

    def para(self, s: str, size: float, **kw) -> dict:
        return {"t": "para", "s": self.t(s), "size": size, **kw}

    def text(self, s: str, x: float, y: float, size: float, **kw) -> dict:
        return {"t": "text", "s": self.t(s), "x": x, "y": y, "size": size, **kw}

    def title_ops(self, title: str, key: str | None, before: float = 0) -> list[dict]:
        """A theme title as content: a paragraph, or with the logo caption a borderless two-cell table."""
        bold = self.o["header_bold"]
        if not self.st["logo"]:
            para = self.para(title, 16, color=NAVY, bold=bold, before=before, after=8)
            if key:
                para["key"] = key
            return [para]
        cells = [
            {"s": self.t(title), "size": 16, "color": NAVY, "bold": bold, "border": 0, "va": "middle", "pad": [0] * 4},
            {
                "s": self.t(self.d.short),
                "size": 11,
                "color": NAVY,
                "ha": "center",
                "va": "middle",
                "border": BOX,
                "bw": 0.8,
                "bc": NAVY,
                "pad": [4, 4, 3, 5],
            },
        ]
        if key:
            cells[0]["tag"] = key
        table = {"widths": [self.W - 2 * self.side - 110, 110], "cells": cells, "before": before, "after": 8}
        return [{"t": "table", "key": key or "title", "table": table}]

    def running_ops(self, title: str) -> list[dict]:
        """The running title drawn by the page event, y from the top of the page."""
        out = [self.text(title, self.side, 42, 16, color=NAVY, bold=self.o["header_bold"])]
        if self.st["logo"]:
            x = self.W - self.side - 110
            out.append({"t": "rect", "x": x, "y": 26, "w": 110, "h": 22, "stroke": NAVY, "lw": 0.8})
            out.append(self.text(self.d.short, x + 55, 42, 11, color=NAVY, align="center"))
        return out

    # --- front and back ------------------------------------------------------------------------------------

    def front(self) -> None:
        d, W, H = self.d, self.W, self.H
        self.ops += [
            {"t": "rect", "x": 0, "y": 0, "w": W, "h": 18, "fill": NAVY},
            self.text(d.org, W / 2, H * 0.38, 30, align="center"),
            self.text("策略地圖與平衡計分卡", W / 2, H * 0.38 + 50, 26, align="center"),
            {"t": "page"},
            self.para(f"{d.org}轄區概況", 20, color=NAVY, bold=self.o["header_bold"], after=24),
        ]
        for line in d.profile_lines:
            self.ops.append(self.para(line, 14, indent=24, after=12))
        self.ops.append({"t": "page"})
        head = [
            {"s": self.t(f"{d.org}策略地圖"), "size": 20, "color": NAVY, "bold": self.o["header_bold"], "border": 0},
            {"s": d.map_date, "size": 14, "ha": "right", "va": "bottom", "border": 0},
        ]
        self.ops.append({"t": "table", "key": "map title", "table": {"widths": [4, 1], "cells": head, "after": 6}})
        self.ops.append(self.para("願景：" + "、".join(t.shown for t in d.themes), 10, after=8))
        cells = []
        for p in BSC_ORDER:
            objs = [o.shown for t in d.themes for o in t.objectives if o.perspective == p]
            if objs:
                cells.append(
                    {"s": f"{p}構面", "size": 11, "color": [255, 255, 255], "bg": NAVY, "ha": "center", "va": "middle"}
                )
                cells.append({"s": self.t("　｜　".join(objs)), "size": 11, "pad": [6, 6, 6, 8], "lead": [0, 1.3]})
        self.ops.append(
            {"t": "table", "key": "map", "table": {"widths": [90, self.W - 2 * self.side - 90], "cells": cells}}
        )

    def back(self) -> None:
        self.ops += [{"t": "page"}, self.text("敬請指教", self.W / 2, self.H * 0.45, 36, align="center")]

    # --- the theme tables ----------------------------------------------------------------------------------

    def base(self, header: bool) -> dict:
        """Borders, padding and leading of a cell."""
        o = self.o
        p = o["padding"]
        c: dict = {"size": self.pt, "pad": [p + 1, p + 1, p, p + 1]}
        if o["leading"] != 1.0 or o["cell_mode"] == "composite":
            c["lead"] = [0, o["leading"]]
        if o["cell_mode"] == "composite":
            c["mode"] = "composite"
        if o["use_ascender"]:
            c["asc"] = True
        bw = o["border_width"]
        if o["borders"] == "box":
            c.update(border=BOX, bw=bw)
        elif o["borders"] == "hrules":
            c.update(border=TOP | BOTTOM, bw=[1.0, 1.0, 0, 0] if header else bw)
            if not header:
                c["border"] = BOTTOM
        else:
            c["border"] = 0
        if o["borders"] != "none":
            color = RULE_COLORS[o["border_color"]]
            if color:
                c["bc"] = color
            if o["variable_borders"]:
                c["variable"] = True
        return c

    def header_cells(self) -> list[dict]:
        cols, two, o = self.cols, self.nh == 2, self.o
        fill = HEAD_FILLS.get(o["header_fill"] or "")

        def th(text: str, **kw) -> dict:
            c = {**self.base(True), "s": self.t(text), "ha": "center", "va": "middle", "bold": o["header_bold"], **kw}
            if fill:
                c["bg"] = fill
                if o["header_fill"] == "navy":
                    c["color"] = [255, 255, 255]
            return c

        top: list[dict] = []
        low: list[dict] = []
        j = 0
        while j < len(cols):
            c = cols[j]
            if two and c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                top.append(th(c.group, colspan=k - j + 1))
                low += [th(cols[m].sub or "") for m in range(j, k + 1)]
                j = k + 1
            else:
                top.append(th(c.label, rowspan=2) if two else th(c.label))
                j += 1
        return top + low

    def spans(self, rows: list[Row], cuts: set[int]) -> dict[str, dict[int, int]]:
        """Start row -> rows spanned, per label column, cut where a label starts again (1 without spans)."""
        out: dict[str, dict[int, int]] = {}
        for key in ("persp", "obj"):
            out[key] = {}
            for s, n in runs(rows, key):
                starts = [s] + [i for i in range(s + 1, s + n) if i in cuts] + [s + n]
                for a, b in zip(starts, starts[1:]):
                    out[key][a] = b - a
        return out

    def body_cells(self, rows: list[Row], prev: list[Row], cuts: set[int]) -> list[dict]:
        """The cells of the rows in order (rowspan-covered places left out); zebra 'cells': every other KPI
        row's cells filled."""
        st, o, cols = self.st, self.o, self.cols
        spans = self.spans(rows, cuts)
        cells: list[dict] = []
        k = 0
        for i, r in enumerate(rows):
            if r.kind == "band":
                c = {**self.base(False), "s": self.t(r.cells["band"]), "colspan": len(cols), "bold": True}
                c["tag"] = f"band {rows[i + 1].kpi.code}"  # a band row never ends a table
                if st["rules"] != "none":
                    c["bg"] = BAND_FILL
                cells.append(c)
                continue
            striped = o["zebra"] == "cells" and k % 2 == 1
            k += 1
            for col in cols:
                text = r.cells.get(col.id, "")
                c: dict = {**self.base(False), "tag": r.kpi.code, "va": st["valign"], "ha": st["halign"]}
                if col.id in spans:
                    starts = spans[col.id]
                    inside = next((a for a in starts if a <= i < a + starts[a]), i)
                    if inside != i and o["spans"]:
                        continue  # under a rowspan
                    if inside != i:
                        text = ""
                    first = i == 0 or i in cuts
                    if first and st["blank_cont"] and continues(prev if i == 0 else rows[:i], r, col.id):
                        text = ""
                    if o["spans"] and starts.get(i, 1) > 1:
                        c["rowspan"] = starts[i]
                    if col.id == "persp":
                        c.update(ha="center", va="middle")
                        if st["persp_mode"] == "rotated" and text:
                            c["rot"] = 90
                        elif st["persp_mode"] == "stacked":
                            text = "\n".join(text)
                    c["tag"] = f"{col.id} {r.kpi.code}"
                elif col.id in ("a0", "a1", "a2", "t", "w"):
                    c["ha"] = o["values_align"]
                c["s"] = self.t(text)
                if striped:
                    c["bg"] = ZEBRA_FILL
                cells.append(c)
        return cells

    def table(self, rows: list[Row], prev: list[Row], cuts: set[int], head: bool) -> dict:
        o, cols = self.o, self.cols
        cells = self.body_cells(rows, prev, cuts)
        nh = self.nh if head else 0
        table: dict = {
            "widths": [c.weight for c in cols],
            "cells": (self.header_cells() if head else []) + cells,
            "header_rows": nh if o["repeat_header"] else 0,
            "split_late": o["split_late"],
            "keep_together": o["keep_together"],
            "after": 6,
        }
        if o["widths"] == "locked" or o["placement"] == "rows":
            table["total"] = self.W - 2 * self.side
        if o["zebra"] == "event":
            table["zebra"] = {"fill": ZEBRA_FILL}
        return table

    def slides(self, max_rows: int) -> None:
        for t in self.d.themes:
            pieces = chunk(theme_rows(self.d, t), max_rows)
            for i, rows in enumerate(pieces):
                key = f"{t.letter} {i}"
                self.ops.append({"t": "page"})
                if not self.running:
                    self.ops += self.title_ops(theme_title(self.d, t, i + 1, len(pieces)), f"title {key}")
                op = {"t": "table", "key": key, "table": self.table(rows, pieces[i - 1] if i else [], set(), True)}
                if self.o["placement"] != "document":
                    y = self.top + (0 if self.running else 34)
                    op["at"] = {"x": self.side, "y": y, "bottom": self.bottom, "by": self.o["placement"]}
                self.ops.append(op)

    def flow(self) -> None:
        o, state = self.o, self.state
        for n, t in enumerate(self.d.themes):
            rows = theme_rows(self.d, t)
            breaks = sorted(state["breaks"].get(t.letter, set()) - {0})
            cuts = state["cuts"].get(t.letter, set())
            bounds = [0] + breaks + [len(rows)]
            fresh = n == 0 or o["theme_break"] or t.letter in state["fresh"]
            for j, (a, b) in enumerate(zip(bounds, bounds[1:])):
                if j > 0 or fresh:
                    self.ops.append({"t": "page"})
                if j == 0 and not self.running:
                    self.ops += self.title_ops(theme_title(self.d, t), f"title {t.letter}", 0 if fresh else 14)
                local = {i - a for i in cuts if a <= i < b}
                # a header repeated on every page goes on with the next table; one printed once does not
                table = self.table(rows[a:b], rows[:a], local, j == 0 or o["repeat_header"])
                self.ops.append({"t": "table", "key": f"{t.letter} {j}", "table": table})

    # --- furniture and the job -----------------------------------------------------------------------------

    def event(self) -> dict:
        o, d = self.o, self.d
        out: dict = {"titles": {str(p): self.running_ops(s) for p, s in self.state["titles"].items()}}
        if o["footer"]:
            out["footer"] = {
                "mode": o["footer"],
                "skip": [1],
                "format": "{n} / {N}" if o["page_of"] else "- {n} -",
                "template": o["footer"] == "event" and o["page_of"],
                "left": self.t(f"{d.org}｜策略地圖與平衡計分卡"),
                "size": 7,
                "color": [100, 100, 100],
                "rule_color": [150, 150, 150],
                "rule_width": 0.4,
                "x0": self.side,
                "x1": self.W - self.side,
                "y": 16,
            }
        if self.st["watermark"]:
            out["watermark"] = {
                "s": "內部資料",
                "size": 60,
                "color": [200, 80, 80],
                "opacity": 0.18,
                "angle": o["watermark_angle"],
                "layer": o["watermark"],
            }
        return out

    def font_file(self) -> str:
        src, index, _ = FACES[self.font]
        if self.o["font_source"] == "collection":
            return f"{src},{index}"
        return face_file(self.font)

    def job(self, out_pdf: Path) -> dict:
        self.front()
        if self.o["flow"]:
            self.flow()
        else:
            self.slides(int(self.o["max_rows"]))
        self.back()
        return {
            "page": [self.W, self.H],
            "margins": [self.side, self.side, self.top, self.bottom],
            "fonts": {"cjk": self.font_file(), "latin": self.o["latin"]},
            "compression": self.o["compression"],
            "info": {"title": f"{self.d.org}策略地圖與平衡計分卡", "author": self.d.org},
            "ops": self.ops,
            "event": self.event(),
            "out": str(out_pdf),
        }


def _run(job: dict) -> dict:
    """Render; returns the driver's report: pages per tagged cell, paragraph pages, each table's pages."""
    with tempfile.TemporaryDirectory(prefix="r_openpdf-") as tmp:
        path = Path(tmp) / "job.json"
        job = {**job, "report": str(Path(tmp) / "report.json")}
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        cmd = ["java", "-Djava.awt.headless=true", "-Xss8m", "-cp", driver(), MAIN, str(path)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if proc.returncode:
            raise RuntimeError(f"OpenPDF failed: {proc.stderr.strip()[-3000:]}")
        return json.loads(Path(job["report"]).read_text(encoding="utf-8"))


def _row_tags(rows: list[Row]) -> list[str]:
    return [r.kpi.code if r.kind == "kpi" else f"band {rows[i + 1].kpi.code}" for i, r in enumerate(rows)]


def _fix(deck: Deck, opts: dict, state: dict, rep: dict, texts: dict[int, Counter]) -> bool:
    """One correction of a flowing rendering, as an author looking at it would make: a theme whose title (or
    head) stays alone at the foot of a page starts a page; a KPI row split over pages (or a band row left at
    the foot of a page above its first KPI), or the first row of a rowSpan label that OpenPDF continues on the
    next page (the rows on the page being shorter than the label), starts a new table on a new page; with
    span_cut, a rowSpan label
    carried over a page break starts again on the new page.  Returns whether anything changed; raises TooTall
    for a row that is split although it starts a page."""
    got = rep["rows"]
    tables = {t["key"]: t for t in rep["tables"]}
    for t in deck.themes:
        rows = theme_rows(deck, t)
        pages = [got.get(tag, []) for tag in _row_tags(rows)]
        breaks = state["breaks"].setdefault(t.letter, set())
        follows = t.letter not in state["fresh"] and not opts["theme_break"] and t is not deck.themes[0]
        if follows and pages[0] and pages[0][0] != tables[f"{t.letter} 0"]["start"]:
            state["fresh"].add(t.letter)
            return True
        at = None
        for i, r in enumerate(rows):
            if r.kind == "band" and pages[i] and pages[i + 1] and pages[i][-1] < pages[i + 1][0]:
                at = i
            elif r.kind == "kpi" and len(pages[i]) > 1:
                at = i - (1 if i and rows[i - 1].kind == "band" else 0)
            if at is not None:
                break
        if at is not None:
            if at == 0 and follows:
                state["fresh"].add(t.letter)
            elif at == 0 or at in breaks:
                raise TooTall(t.letter)
            else:
                breaks.add(at)
            return True
        at = _split_label(deck, t, rows, pages, state, texts)
        if at is not None:
            if at == 0 and follows:
                state["fresh"].add(t.letter)
            elif at == 0 or at in breaks:
                raise TooTall(t.letter)
            else:
                breaks.add(at)
            return True
        if opts["spans"] and opts["span_cut"]:
            cuts = state["cuts"].setdefault(t.letter, set())
            for key in ("persp", "obj"):
                for s, n in runs(rows, key):
                    for i in range(s + 1, s + n):
                        moved = pages[i] and pages[i - 1] and pages[i][0] > pages[i - 1][-1]
                        if moved and i not in cuts and i not in breaks:
                            cuts.add(i)
                            return True
    return False


def _page_chars(pdf: Path) -> dict[int, Counter]:
    import pymupdf

    return {i: Counter("".join(fold(p.get_text()).split())) for i, p in enumerate(pymupdf.open(str(pdf)), 1)}


def _split_label(
    deck: Deck, t: Theme, rows: list[Row], pages: list[list[int]], state: dict, texts: dict[int, Counter]
) -> int | None:
    """The first row of a 構面/策略目標 label not printed whole on the page of that row: OpenPDF lays out a
    rowspan cell over the rows on the page and carries the rest of its text over to the next page."""
    breaks = state["breaks"].get(t.letter, set())
    cuts = state["cuts"].get(t.letter, set())
    ids = [c.id for c in columns(deck)]
    for key in ("persp", "obj"):
        if key not in ids:
            continue
        for s, n in runs(rows, key):
            for a in [s] + [i for i in range(s + 1, s + n) if i in cuts or i in breaks]:
                r = rows[a]
                if a != s and deck.style["blank_cont"] and continues(rows[:a], r, key):
                    continue
                if a == s and a in breaks and deck.style["blank_cont"] and continues(rows[:a], r, key):
                    continue
                need = Counter("".join(fold(r.cells[key]).split()))
                if pages[a] and need - texts.get(pages[a][0], Counter()):
                    return a
    return None


def _theme_titles(deck: Deck, rep: dict) -> dict[int, str]:
    """Page -> running title: a theme's table runs from the page of its first row to that of its last."""
    out: dict[int, str] = {}
    for t in deck.themes:
        ps = [p for r in theme_rows(deck, t) if r.kind == "kpi" for p in rep["rows"].get(r.kpi.code, [])]
        a, b = min(ps), max(ps)
        for p in range(a, b + 1):
            out.setdefault(p, theme_title(deck, t, p - a + 1, b - a + 1))
    return out


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide, lowered until no table runs
    over its slide).  Flow: renders again after each correction (see _fix) and, for running titles, once the
    page map is known; a row taller than a page makes the type smaller.  Returns the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    out_pdf = Path(out_pdf)

    def fresh_state() -> dict:
        return {"breaks": {}, "cuts": {}, "fresh": set(), "titles": {}}

    state = fresh_state()
    for _ in range(200):
        try:
            rep = _run(Job(deck, opts, state).job(out_pdf))
        except RuntimeError as e:
            # OpenPDF's CFFFontSubset misreads some subroutine numbers of Noto CJK and fails on larger subsets
            # (ArrayIndexOutOfBoundsException in ReadASubr): a TrueType face instead, as its author would
            if "CFFFontSubset" not in str(e) or opts["font"] in TRUETYPE:
                raise
            opts["cff_failed"] = opts["font"]
            opts["font"] = TRUETYPE[0]
            continue
        try:
            if opts["flow"]:
                if _fix(deck, opts, state, rep, _page_chars(out_pdf)):
                    continue
            else:
                slides = [t for t in rep["tables"] if t["key"][0] in "ABCDE" and " " in t["key"]]
                if any(t["end"] != t["start"] or t.get("overflow") for t in slides):
                    if opts["max_rows"] > 1:
                        opts["max_rows"] -= 1
                        continue
                    raise TooTall("slide")
        except TooTall:
            if opts["font_pt"] <= 6:
                raise RuntimeError(f"{deck.stem}: a table row does not fit a page even in 6 pt type") from None
            opts["font_pt"] -= 1
            state = fresh_state()
            continue
        if opts["title_in"] == "running":
            want = _theme_titles(deck, rep)
            if not opts["flow"]:  # slides: one page per slide, its part known from the row budget
                want = {}
                for t in deck.themes:
                    pieces = chunk(theme_rows(deck, t), int(opts["max_rows"]))
                    for i in range(len(pieces)):
                        start = next(x["start"] for x in rep["tables"] if x["key"] == f"{t.letter} {i}")
                        want[start] = theme_title(deck, t, i + 1, len(pieces))
            if want != state["titles"]:
                state["titles"] = want
                continue
        break
    else:
        raise RuntimeError(f"{deck.stem}: the OpenPDF layout did not settle")
    if opts["flow"]:
        opts.pop("max_rows")
        opts["split_before"] = {k: sorted(v) for k, v in sorted(state["breaks"].items()) if v}
        opts["span_cut_at"] = {k: sorted(v) for k, v in sorted(state["cuts"].items()) if v}
        opts["theme_page"] = sorted(state["fresh"])
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 2 and args[0] == "build-jar":
        print(build_jar(Path(args[1])))
        return 0
    print("usage: python -m tests.realtools.r_openpdf build-jar CLONE_OF_OPENPDF_AT_TAG", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
