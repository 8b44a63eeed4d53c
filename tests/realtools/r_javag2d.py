"""Java Graphics2D renderer: the deck painted by Java2D onto pdfbox-graphics2d's `PdfBoxGraphics2D` (0.42, on PDFBox
2.0.27), the way Java desktop and back-office programs export a printed view to PDF: a Swing `JTable` with its
`JTableHeader` painted onto the PDF Graphics2D, or a report painted by hand (`drawString`, `Line2D`, `fill`).  A small
driver (`r_javag2d.java`, compiled by javac at first use into the cache) reads a JSON job written here and runs
headless (`-Djava.awt.headless=true`).

Every page is painted on its own `PdfBoxGraphics2D`, whose form XObject is then drawn into the page
(`contentStream.drawForm(g.getXFormObject())`, the library's documented idiom): the page's content is a single
`/Form Do`, everything else is inside the form.  The canvas is in points, or (scale 0.75) in the pixels of a 96 dpi
screen, the form drawn scaled by 0.75 (`cm`), so the fonts inside it are sized 9.33, 10.67, ...

Layout: the hand-painted table is draw_common's (lines broken at any character by the face's advances, as a
FontMetrics loop does; line height = FontMetrics.getHeight() from the face's hhea; merged 構面/objective cells,
rotated 構面 labels by `Graphics2D.rotate` (an AffineTransform: a turned Tm), stacked labels; grid / horizontal rules
/ none / zebra fills).  The JTable is laid out by Swing itself: a JTextArea cell renderer (line wrap at any
character) whose preferred heights set each row's height (`setRowHeight(row, h)`), the look and feel's own header
renderer (Metal: its gradient and borders painted as vector paths; a two-line label written as `<html><center>a<br>b`)
or a JTextArea header; no cell spans, so the 構面 and objective labels stand in the first row of their group on a
page (later rows blank), a band row is a row whose first cell holds the 構面 label; grid lines by
`setShowHorizontalLines`/`setShowVerticalLines` and the grid colour (drawn by BasicTableUI as thin filled
rectangles or lines), zebra by the renderer's background, a 構面 column turned (a JComponent renderer rotating its
Graphics2D) or stacked; painted by `paint` or `print`.  The rows of a slide are the deck's row budget; a document
(A4 portrait or landscape) is cut by the row heights (estimated here from the same metrics; rows never split), the
title (with its --n/N marker) and the head again on every page.

Fonts: the face of fonts.py made an AWT font by `Font.createFont(TRUETYPE_FONT, file)` and registered with
`PdfBoxGraphics2DFontTextDrawer.registerFont(name, file)`, which loads it as a PDType0Font subset (Identity-H,
CIDFontType2, ToUnicode of the glyphs drawn): text stays text only when the registered face can encode every
character of a string, otherwise pdfbox-graphics2d draws the string as glyph outlines (no text layer), so only
characters the face has are printed (fonts.printable).  PDFBox 2.0 cannot load OpenType CFF faces (Noto CJK), so
such decks use a TrueType face (cff_refused).  Headings bold by `Font.BOLD` (pdfbox-graphics2d: the same font,
filled and stroked, `2 Tr`) or plain.  The drawer may be `PdfBoxGraphics2DFontTextDrawerDefaultFonts`, which also
maps Java's logical fonts to the Standard 14 fonts: the page numbers then painted in `SansSerif` come out in
Helvetica (WinAnsi, not embedded).  A drawer per page (each page's form its own 'ABCDEF+UMingTW' subset, the same face
under as many names as there are pages) or one drawer for the document (one subset shared by every page's form).
The JTextArea renderer must be measured at the width BasicTableUI paints it at (the column less the intercell
spacing): measured at the column's width, a line wrapped one character later when painted falls below the row and
is clipped (the first draw of the sets lost a character that way).

Furniture: a running header (office and 策略地圖與平衡計分卡 over a rule), footers ('- n -', 'n / N' or
'第 n 頁，共 N 頁', the total known because the whole job is laid out first), a turned '內部資料' watermark painted
after the table with an `AlphaComposite` (an ExtGState /ca) or in a light grey.  FreeHEP's PDFGraphics2D
(libfreehep-graphicsio-pdf-java 2.4) was tried and dropped: it writes only the Latin characters of a string as text
(a Type 3 font), the CJK ones vanish.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import subprocess
import tempfile
import zipfile
from functools import cache
from pathlib import Path

from . import java_driver
from .draw_common import SIZES, Box, DeckDrawer, wrap
from .fonts import TRUETYPE, face_file, printable
from .layout import Col, Row, check, continues, find_pages, runs
from .spec import Deck

PDFBOX_GRAPHICS2D = "0.42"  # Debian 12's libpdfbox-graphics2d-java 0.42-1 (README, Setup)
PDFBOX = "2.0.27"  # libpdfbox2-java, which it runs on
JARS = ["pdfbox-graphics2d.jar", "pdfbox2.jar", "fontbox2.jar", "commons-logging.jar"]
JAVA = Path(__file__).with_name("r_javag2d.java")
MAIN = "JavaG2dDeck"
PAGE_SIZES = {**SIZES, "A4": (595.0, 842.0)}
NAVY = (0.12, 0.23, 0.41)
HEAD_FILLS = {"light": (0.85, 0.9, 0.97), "gray": (0.88, 0.88, 0.88), "sand": (0.98, 0.93, 0.82)}
ZEBRA_FILLS = {"blue": (0.92, 0.95, 0.98), "gray": (0.94, 0.94, 0.94)}
GRID_COLORS = {"black": (0, 0, 0), "gray": (0.5, 0.5, 0.5), "swing": (0.478, 0.541, 0.6)}  # Metal's grid colour
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}", "zh": "第 {n} 頁，共 {N} 頁"}


def jar_dir() -> Path:
    return Path(os.environ.get("REALTOOLS_JAVAG2D", "/usr/share/java"))


@cache
def installed_version() -> str:
    jar = jar_dir() / JARS[0]
    if not jar.exists():
        raise RuntimeError(f"pdfbox-graphics2d is not installed ({jar}): apt-get install -y libpdfbox-graphics2d-java")
    with zipfile.ZipFile(jar) as z:
        name = next(n for n in z.namelist() if n.endswith("/pom.properties"))
        props = z.read(name).decode()
    ver = re.search(r"version=(\S+)", props)
    if not ver or ver.group(1) != PDFBOX_GRAPHICS2D:
        raise RuntimeError(f"pdfbox-graphics2d {PDFBOX_GRAPHICS2D} is wanted, {jar} is {ver and ver.group(1)}")
    with zipfile.ZipFile(jar_dir() / JARS[1]) as z:
        props = z.read("org/apache/pdfbox/resources/version.properties").decode()
    pv = re.search(r"pdfbox\.version=(\S+)", props)
    if not pv or pv.group(1) != PDFBOX:
        raise RuntimeError(f"PDFBox {PDFBOX} is wanted, found {pv and pv.group(1)}")
    return ver.group(1)


@cache
def driver() -> str:
    """The classpath of the driver (r_javag2d.java with Json.java, compiled at first use once per version of both)."""
    installed_version()
    jars = ":".join(str(jar_dir() / j) for j in JARS)
    cache = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "javag2d"
    return java_driver.compiled(JAVA, jars, cache, PDFBOX_GRAPHICS2D, MAIN)


@cache
def tool_version(engine: str | None = None) -> str:
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return f"pdfbox-graphics2d {installed_version()} on Apache PDFBox {PDFBOX}, {java}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.35
    mode = rng.choice(["jtable", "jtable", "hand"])
    footer = rng.choice([None, "dash", "of", "zh"])
    return {
        "mode": mode,
        "flow": flow,
        "page": rng.choice(["A4", "A4L", "A4L"]) if flow else style["page"],
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "font": style["font"] if style["font"] in TRUETYPE else rng.choice(TRUETYPE),
        "cff_refused": style["font"] if style["font"] not in TRUETYPE else None,
        "scale": rng.choice([1.0, 1.0, 0.75]),
        "bold": rng.random() < 0.6,
        "drawer": rng.choice(["plain", "default"]),
        "drawer_scope": rng.choice(["page", "document"]),
        "print": rng.random() < 0.4,
        "head_renderer": rng.choice(["laf", "area"]),
        "pad": rng.choice([1, 2, 3]),
        "frame": rng.random() < 0.5,
        "grid_color": rng.choice(list(GRID_COLORS)),
        "hdr_fill": rng.choice([None, *HEAD_FILLS]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "header": rng.random() < 0.4,
        "footer": footer,
        "footer_logical": rng.random() < 0.5,
        "watermark_alpha": rng.choice([None, 0.25]),
        "watermark_angle": rng.choice([30, 45]),
        "logo_badge": rng.random() < 0.5,
        "compress": rng.random() < 0.8,
        "info": rng.choice([None, "title", "app"]),
    }


@cache
def _metrics(family: str) -> tuple[dict, dict, int, tuple[int, int, int]]:
    from fontTools.ttLib import TTFont

    font = TTFont(face_file(family), lazy=True)
    hh = font["hhea"]
    return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm, (hh.ascent, -hh.descent, hh.lineGap)


class JobCanvas:
    """draw_common's canvas recorded as Graphics2D operations (points, y down, baselines as drawString takes)."""

    def __init__(self, opts: dict) -> None:
        self.o = opts
        self.pages: list[dict] = []
        self.bold = False

    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        self.pages.append({"w": w, "h": h, "ops": []})

    def put(self, op: dict) -> None:
        self.pages[-1]["ops"].append(op)

    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0), **kw) -> None:
        if not s.strip():
            return
        bold = self.o["bold"] and (self.bold or size >= 16)
        s = s if kw.get("logical") else printable(s, self.o["font"])
        op = {"t": "text", "x": x, "y": y, "s": s, "size": size, "bold": bold, "color": list(color), "angle": angle}
        self.put({**op, "alpha": kw.get("alpha"), "logical": kw.get("logical")})

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: tuple = (0, 0, 0)) -> None:
        self.put({"t": "line", "x0": x0, "y0": y0, "x1": x1, "y1": y1, "w": width, "color": list(color)})

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: tuple | None, stroke: tuple | None = None) -> None:
        if fill is None and stroke is None:
            return
        op = {"t": "rect", "x": x0, "y": y0, "w": x1 - x0, "h": y1 - y0, "fill": fill and list(fill)}
        self.put({**op, "stroke": stroke and list(stroke), "lw": 0.8})

    def width(self, s: str, size: float) -> float:
        """As FontMetrics.stringWidth: the face's advances (a missing glyph one em)."""
        cmap, hmtx, upm, _ = _metrics(self.o["font"])
        return sum(hmtx[cmap[ord(c)]][0] if ord(c) in cmap else upm for c in printable(s, self.o["font"])) * size / upm

    def height(self, size: float) -> float:
        """As FontMetrics.getHeight(): ascent + descent + leading, each rounded up as Java's metrics are."""
        _, _, upm, (a, d, g) = _metrics(self.o["font"])
        k = size / self.o["scale"] / upm
        return (math.ceil(a * k) + math.ceil(d * k) + math.ceil(g * k)) * self.o["scale"]


class G2dDrawer(DeckDrawer):
    """draw_common's deck painted by hand, or with each table a JTable laid out by Swing."""

    def __init__(self, deck: Deck, c: JobCanvas, opts: dict) -> None:
        super().__init__(deck, c, {**opts, "page": "A4L"})
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.o = {**opts, "hdr_fill": HEAD_FILLS.get(opts["hdr_fill"] or "")}
        self.c: JobCanvas = c
        self.lh = c.height(self.pt)
        self.jt = opts["mode"] == "jtable"
        self.footed: list[int] = []

    def center(self, s: str, y: float, size: float) -> None:
        while size > 12 and self.c.width(s, size) > self.W - 60:
            size -= 2
        super().center(s, y, size)

    def footer(self) -> None:
        self.footed.append(self.page_no)

    def furniture(self) -> None:
        """Header and footers once the page count is known (the job is laid out before anything is painted)."""
        c, total, grey = self.c, len(self.c.pages), (0.4, 0.4, 0.4)
        for n, page in enumerate(c.pages, 1):
            c.pages, keep = [page], c.pages
            if self.o["header"] and n > 1:
                c.text(30, 20, self.d.org, 8, color=NAVY)
                c.text(self.W - 30 - c.width("策略地圖與平衡計分卡", 8), 20, "策略地圖與平衡計分卡", 8, color=NAVY)
                c.line(30, 25, self.W - 30, 25, 0.5, NAVY)
            if self.o["footer"] and n in self.footed:
                c.line(30, self.H - 28, self.W - 30, self.H - 28, 0.5, (0.6, 0.6, 0.6))
                c.text(30, self.H - 16, f"{self.d.org}｜策略地圖與平衡計分卡", 7, color=grey)
                s = FOOTERS[self.o["footer"]].format(n=n, N=total)
                logical = "SansSerif" if self.o["footer_logical"] and s.isascii() else None
                w = c.width(s, 7) if not logical else len(s) * 7 * 0.556
                c.text(self.W - 30 - w, self.H - 16, s, 7, color=grey, logical=logical)
            c.pages = keep

    def watermark(self) -> None:
        alpha = self.o["watermark_alpha"]
        color = (0.75, 0.75, 0.75) if alpha is None else (0.5, 0.5, 0.5)
        self.c.text(self.W * 0.3, self.H * 0.72, "內部資料", 60, self.o["watermark_angle"], color, alpha=alpha)

    # --- the JTable ---------------------------------------------------------------------------------------------

    def cell_lines(self, col: Col, text: str, w: float) -> list[str]:
        if not self.jt:
            return super().cell_lines(col, text, w)
        return wrap(self.c, text, self.pt, w - 2 * (self.o["pad"] + 1) - 1)

    def row_height(self, r: Row, cols: list[Col], xs: list[float]) -> float:
        if not self.jt:
            return super().row_height(r, cols, xs)
        n = 1
        for j, col in enumerate(cols):
            if col.id == "persp" and self.d.style["persp_mode"] in ("rotated", "stacked"):
                label = r.cells["persp"]
                rot = self.d.style["persp_mode"] == "rotated"
                need = self.c.width(label, self.pt) if rot else len(label) * self.lh
                n = max(n, math.ceil((need + 10) / self.lh))
                continue
            n = max(n, len(self.cell_lines(col, r.cells.get(col.id, "") if r.kind == "kpi" else "", xs[j + 1] - xs[j])))
        return n * self.lh + 2 * self.o["pad"] + 2

    def head_labels(self, cols: list[Col], xs: list[float]) -> list[str]:
        two = self.d.style["year_header"] == "two_row"
        out = []
        self.c.bold = True
        for j, col in enumerate(cols):
            label = f"{col.group}\n{col.sub}" if two and col.group else col.label
            if self.o["head_renderer"] == "laf":  # a JLabel does not wrap: the author breaks long labels
                label = "\n".join(wrap(self.c, label, self.pt, xs[j + 1] - xs[j] - 8))
            out.append(label)
        self.c.bold = False
        return out

    def head_height(self, cols: list[Col], xs: list[float]) -> float:
        if not self.jt:
            return super().head_height(cols, xs)
        lines = 1
        for j, label in enumerate(self.head_labels(cols, xs)):
            lines = max(
                lines,
                len(label.split("\n"))
                if self.o["head_renderer"] == "laf"
                else len(wrap(self.c, label, self.pt, xs[j + 1] - xs[j] - 2 * (self.o["pad"] + 1))),
            )
        return lines * self.lh + 2 * self.o["pad"] + 6

    def table(self, rows: list[Row], prev: list[Row], cols: list[Col], xs: list[float], top: float, head_h: float):
        if not self.jt:
            return super().table(rows, prev, cols, xs, top, head_h)
        st = self.d.style
        ids = [col.id for col in cols]
        body = []
        for r in rows:
            if r.kind == "band":
                body.append([r.cells["band"]] + [""] * (len(cols) - 1))
            else:
                body.append([r.cells.get(i, "") for i in ids])
        for key in ("persp", "obj"):
            if key not in ids:
                continue
            j = ids.index(key)
            for start, n in runs(rows, key):
                if start == 0 and st["blank_cont"] and continues(prev, rows[start], key):
                    body[start][j] = ""
                for k in range(start + 1, start + n):
                    body[k][j] = ""
        font = self.o["font"]
        body = [[printable(s, font) for s in row] for row in body]
        rules = st["rules"]
        op = {
            "t": "table",
            "x": xs[0],
            "y": top,
            "widths": [round(xs[j + 1] - xs[j]) for j in range(len(cols))],
            "head": [printable(s, font) for s in self.head_labels(cols, xs)],
            "rows": body,
            "kinds": [r.kind for r in rows],
            "size": self.pt,
            "bold_head": self.o["bold"],
            "rules": "hrules" if rules == "zebra" else rules,
            "zebra": rules == "zebra",
            "zebra_fill": list(ZEBRA_FILLS[self.o["zebra_fill"]]),
            "band_fill": list(self.o["hdr_fill"] or (0.93, 0.93, 0.93)),
            "head_fill": self.o["hdr_fill"] and list(self.o["hdr_fill"]),
            "head_renderer": self.o["head_renderer"],
            "grid_color": list(GRID_COLORS[self.o["grid_color"]]),
            "persp": {"rotated": "rot", "stacked": "stack"}.get(st["persp_mode"], "h") if "persp" in ids else "h",
            "pad": self.o["pad"],
            "min_row": round(self.lh + 2 * self.o["pad"]),
            "print": self.o["print"],
            "frame": self.o["frame"],
        }
        self.c.put(op)

    def label(self, b: Box) -> None:
        self.c.bold = b.header
        super().label(b)
        self.c.bold = False


GEOMETRY = {"x", "y", "x0", "y0", "x1", "y1", "w", "h", "size", "lw", "pad", "min_row"}


def _scaled(op: dict, k: float) -> dict:
    """An op in canvas units (pixels of a 96 dpi screen when the form is drawn at 0.75)."""
    out = {key: (v / k if key in GEOMETRY and isinstance(v, (int, float)) else v) for key, v in op.items()}
    if "widths" in op:
        out["widths"] = [round(w / k) for w in op["widths"]]
    for key in ("pad", "min_row"):
        if key in op:
            out[key] = round(op[key] / k)
    return out


def _run(job: dict) -> str:
    with tempfile.TemporaryDirectory(prefix="r_javag2d-") as tmp:
        path = Path(tmp) / "job.json"
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        cmd = ["java", "-Djava.awt.headless=true", "-cp", driver(), MAIN, str(path)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if proc.returncode or not Path(job["out"]).exists():
            raise RuntimeError(f"pdfbox-graphics2d failed: {proc.stderr.strip()[-3000:]}")
        return proc.stdout


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide; a document is cut by row heights
    only).  Text past the page (Swing's rows taller than estimated) makes the type smaller.  Returns the options
    used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    if opts["flow"]:
        opts["max_rows"] = 99
    opts.setdefault("max_rows", st["max_rows"])
    opts["rules"] = st["rules"]
    info = None
    if opts["info"]:
        info = {"Title": f"{deck.org}策略地圖與平衡計分卡", "Author": deck.org}
        if opts["info"] == "app":
            info.update(Creator=f"{deck.short}績效管理系統", Producer=f"pdfbox-graphics2d {PDFBOX_GRAPHICS2D}")
    while True:
        cv = JobCanvas(opts)
        drawer = G2dDrawer(deck, cv, opts)
        drawer.draw()
        drawer.furniture()
        k = opts["scale"]
        pages = [{"w": p["w"], "h": p["h"], "ops": [_scaled(op, k) for op in p["ops"]]} for p in cv.pages]
        job = {"font": face_file(opts["font"]), "drawer": opts["drawer"], "drawer_scope": opts["drawer_scope"]}
        job.update(scale=k, compress=opts["compress"])
        _run({**job, "info": info, "pages": pages, "out": str(out_pdf)})
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck)
        if any("outside the page" in p for p in problems) and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        break
    opts["problems"] = problems
    return opts
