"""Scribus renderer: the deck laid out in Scribus 1.5.8 (desktop publishing, which offices use for posters and
slide-like layouts) through its Python scripter.  `scribus -g -ns -py r_scribus_driver.py JOB --` runs the driver
inside Scribus (script arguments go before `--`; what follows it are documents to open), with Qt's offscreen
platform (no X server needed) and a private HOME so no preferences leak in.  The layout is draw_common's, measured
here; the driver places it as page items, then exports with PDFfile.

Pages: a document in points without margins, one page per slide (4:3, 16:9, A4 landscape) or an A4 document
(portrait or landscape) cut by row heights, the title and head again on every page (Scribus tables never run over
pages or frames, so a longer theme is cut by the author).  Every label is a text frame (createText, setText,
setFont, setFontSize, setTextColor, fixed setLineSpacing, setTextAlignment, setTextVerticalAlignment,
setTextDistances), rules createLine or thin filled createRect, fills createRect.

Tables (tables): 'table' uses Scribus's own tables: createTable per theme page, resizeTableColumn/resizeTableRow to
the measured widths and heights, mergeTableCells for 構面 and 策略目標 runs, the two-row year head and band rows,
setCellText, setCellFillColor (head, band and zebra fills), per-cell borders (all four sides for a grid, top and
bottom for horizontal rules, the head's bottom only for zebra, none) and paddings, setTable*Border for the frame.
The scripter cannot style a cell's text: every cell takes the document's Default Paragraph and Character Style,
so those are redefined to the deck's font, size, fixed leading and alignment (createCharStyle/createParagraphStyle
under the default names; a Default Character Style redefined without `fillcolor` draws every text invisibly), and
head cells are neither bold nor centred vertically.  setCellText drops '\n' (the lines run together): a cell's
own lines are '\r' paragraphs.  Cells neither grow nor turn text: a row too short hides the rest of its text (as
a frame does), so rows are as tall as draw_common measures them, and a turned 構面 label is a rotated frame over
its empty merged cell; stacked labels are one character per paragraph.  'frames' draws draw_common's table: fills,
rules, and one text frame per cell, its lines broken here.

Text: Scribus shapes with HarfBuzz and breaks lines with ICU (between ideographs, at spaces, never inside a run of
Latin letters, digits and signs such as 'AL2.1' or '100%', before closing and after opening punctuation), which
`scribus_wrap` follows; it adds JIS X 4051 spacing, a quarter em between an ideograph and a Latin character
(either way; CJK punctuation excepted, fence pairs compressed), which `JobCanvas.width` counts: without it a
one-line frame overflows.  A frame whose text does not fit hides the rest; the driver reports every frame that
overflows (textOverflows), and the deck is drawn again with taller rows, then smaller type.  rotateObject turns a
frame about its top-left corner, counter-clockwise for positive angles.  In the PDF every glyph is its own
`Tm`/`Tj` with its fill and stroke colour set again; the quarter-em gaps read back as spaces ('21 萬2,696 人').

Fonts (font_source): fontconfig names as Scribus lists them (getFontNames: 'AR PL UMing TW Light', 'WenQuanYi Zen
Hei Regular', 'Noto Serif CJK TC Regular', ...) from the system collections, or 'faces': a private
FONTCONFIG_FILE whose only CJK font is fonts.py's single face (as an author who installed that one file).  No font
fallback: characters a face lacks are printed folded (fonts.printable).  Bold: 'face' (Noto CJK's Bold weight,
head labels and titles) or none (the TrueType faces have no bold).  Embedding: subset (every font in PDFfile's
subsetList): Type0 Identity-H, CIDFontType2 or, for Noto CJK, CIDFontType0C, glyphs renumbered, a ToUnicode per
glyph (a Kangxi lookalike drawn with the ideograph's glyph reads back as the ideograph, Noto's hyphen as U+2011);
or the whole face, which Scribus 1.5.8 writes as some 110-190 simple TrueType fonts of 256 glyphs each (Custom
encoding, each with a ToUnicode, 7-13 MB); whole Noto CJK faces crash Scribus (signal 11 in its CFF parser), and
MuPDF (layout.check) takes minutes and over 7 GB to read the text of a deck holding AR PL UMing's 111 slices, so
only WenQuanYi Zen Hei decks embed the whole face.

Furniture: master pages made by the scripter are exported on the first page only (1.5.8, no GUI), so the running
header (office, 策略地圖與平衡計分卡, a rule) and footers are page items on every page, the page number and count
Scribus's own special characters (chr(30), chr(23)) in the footer frame ('- n -' or 'n / N').  Watermark ('內部
資料', turned 30 or 45 degrees, Black at a shade of 20-40 %) on the page, or on its own layer '浮水印' over or under
the content (lowerActiveLayer; under it, cell fills hide it), exported as optional content groups (useLayers) or
flattened.  Colours are defined by RGB (Scribus's own Black is CMYK and comes out as 0.09 0.09 0.08 rgb).

PDF (PDFfile): version 1.3, 1.4 or 1.5, compressed or not, Creator 'Scribus 1.5.8', Producer 'Scribus PDF Library
1.5.8', document information (setInfo: author, title, subject) or empty strings.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import tempfile
from collections import Counter
from functools import cache
from pathlib import Path

from .draw_common import SIZES, Box, DeckDrawer, wrap
from .fonts import face_file, printable
from .layout import Col, Row, check, find_pages, runs
from .spec import Deck, fold

SCRIBUS = "1.5.8"  # Debian 12's scribus 1.5.8+dfsg-4 (README, Setup)
DRIVER = Path(__file__).with_name("r_scribus_driver.py")
PAGE_SIZES = {**SIZES, "A4": (595.0, 842.0)}
# fontconfig names Scribus gives the faces (family and style, as getFontNames() lists them)
FC_NAMES = {
    "Noto Sans CJK TC": "Noto Sans CJK TC Regular",
    "Noto Serif CJK TC": "Noto Serif CJK TC Regular",
    "WenQuanYi Zen Hei": "WenQuanYi Zen Hei Regular",
    "AR PL UMing TW": "AR PL UMing TW Light",
    "AR PL UKai TW": "AR PL UKai TW Book",
}
BOLD_NAMES = {"Noto Sans CJK TC": "Noto Sans CJK TC Bold", "Noto Serif CJK TC": "Noto Serif CJK TC Bold"}
NAVY = (0.12, 0.23, 0.41)
HEAD_FILLS = {"light": (0.85, 0.9, 0.97), "gray": (0.88, 0.88, 0.88), "sand": (0.98, 0.93, 0.82)}
ZEBRA_FILLS = {"blue": (0.92, 0.95, 0.98), "gray": (0.94, 0.94, 0.94)}
RULE_COLORS = {"black": (0, 0, 0), "gray": (0.5, 0.5, 0.5), "navy": NAVY}
PAGENO, PAGECOUNT = chr(30), chr(23)  # Scribus's page number and page count special characters
FOOTERS = {"dash": f"- {PAGENO} -", "of": f"{PAGENO} / {PAGECOUNT}"}
WATERMARK_LAYER = "浮水印"


def cache_dir() -> Path:
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "scribus"
    d.mkdir(parents=True, exist_ok=True)
    return d


@cache
def installed_version() -> str:
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "scribus"], capture_output=True, text=True)
    ver = out.stdout.strip()
    if out.returncode or not ver:
        raise RuntimeError("Scribus is not installed: apt-get install -y scribus")
    if not ver.startswith(SCRIBUS):
        raise RuntimeError(f"Scribus {SCRIBUS} is wanted, the installed package is {ver}")
    return ver


@cache
def tool_version(engine: str | None = None) -> str:
    return f"Scribus {SCRIBUS} (Debian {installed_version()})"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.35
    font = style["font"]
    source = rng.choice(["fontconfig", "fontconfig", "faces"])
    footer = rng.choice([None, "dash", "dash", "of"])
    return {
        "flow": flow,
        "page": rng.choice(["A4", "A4L", "A4L"]) if flow else style["page"],
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "font": font,
        "font_source": source,
        # the whole face only for WenQuanYi Zen Hei: Scribus 1.5.8 crashes (signal 11 in its CFF parser) embedding
        # a whole Noto CJK face, and MuPDF spends minutes and gigabytes reading the text of AR PL UMing's 111 slices
        "subset": font != "WenQuanYi Zen Hei" or rng.random() < 0.85,
        # a bold weight only where fontconfig has one (Noto CJK); fonts.py's faces are the regular ones
        "bold": rng.choice(["none", "face"]) if font in BOLD_NAMES and source == "fontconfig" else "none",
        "tables": rng.choice(["table", "table", "frames"]),
        "rules_as_rects": rng.random() < 0.3,
        "rule_width": rng.choice([0.25, 0.5, 0.5, 0.75, 1.0]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "hdr_fill": rng.choice([None, *HEAD_FILLS]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "header": rng.random() < 0.4,
        "footer": footer,
        "footer_align": rng.choice(["right", "center"]),
        "watermark_layer": rng.choice(["page", "over", "under"]),
        "layers_pdf": rng.random() < 0.5,
        "watermark_shade": rng.choice([20, 30, 40]),
        "watermark_angle": rng.choice([30, 45]),
        "logo_badge": rng.random() < 0.5,
        "pdf_version": rng.choice([13, 14, 14, 15]),
        "compress": rng.random() < 0.8,
        "info": rng.random() < 0.5,
    }


@cache
def _metrics(family: str) -> tuple[dict, dict, int]:
    from fontTools.ttLib import TTFont

    font = TTFont(face_file(family), lazy=True)
    return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm


def _ideograph(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u2fdf" or "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or ch >= "\uf900"


def _latin(ch: str) -> bool:
    return "!" <= ch <= "~"


OPENING = set("（(「『〔【《〈[")
CLOSING = set("）)」』〕】》〉]、。，,．.：:；;！!？?％%")


def scribus_wrap(c, text: str, size: float, width: float) -> list[str]:
    """Lines as Scribus breaks them (ICU line breaking): between ideographs, at spaces, never inside a run of
    Latin letters, digits and signs ('AL2.1', '12,345', '100%'), before closing or after opening punctuation; a
    unit wider than the line is cut at any character."""
    out = []
    for para in text.split("\n"):
        units: list[str] = []
        for ch in para:
            glue = units and (_latin(ch) and _latin(units[-1][-1]) or ch in CLOSING or units[-1][-1] in OPENING)
            if glue:
                units[-1] += ch
            else:
                units.append(ch)
        line = ""
        for u in units:
            if not line or c.width(line + u, size) <= width:
                line += u
                continue
            out.append(line.rstrip(" "))
            line = u.lstrip(" ")
        while c.width(line, size) > width and len(line) > 1:  # a unit wider than the line: cut anywhere
            cut = wrap(c, line, size, width)
            out.extend(cut[:-1])
            line = cut[-1]
        out.append(line)
    return out


def _color(rgb: tuple | list) -> str:
    return "c" + "".join(f"{round(v * 255):02x}" for v in rgb)


class JobCanvas:
    """draw_common's canvas recorded as the driver's page items (points, y down as in Scribus).  `bold` is set by
    the drawer around head labels; text() makes a frame sized to the measured run."""

    def __init__(self, opts: dict) -> None:
        self.o = opts
        self.pages: list[list[dict]] = []
        self.colors: dict[str, list[int]] = {}
        self.bold = False
        self.layer = False
        self.size = (0.0, 0.0)

    def color(self, rgb: tuple | list | None) -> str | None:
        if rgb is None:
            return None
        name = _color(rgb)
        self.colors[name] = [round(v * 255) for v in rgb]
        return name

    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        self.pages.append([])
        self.size = (w, h)

    def put(self, item: dict) -> None:
        self.pages[-1].append(item)

    def font(self, bold: bool | None = None) -> str:
        bold = self.bold if bold is None else bold
        if bold and self.o["bold"] == "face":
            return BOLD_NAMES[self.o["font"]]
        return FC_NAMES[self.o["font"]]

    def frame(self, x: float, y: float, w: float, h: float, s: str, size: float, **kw) -> None:
        item = {"t": "text", "x": round(x, 2), "y": round(y, 2), "w": round(w, 2), "h": round(h, 2)}
        item.update(s=printable(s, self.o["font"]), font=self.font(), size=size, lead=round(size * 1.3, 2))
        item.update(color=self.color(kw.pop("color", (0, 0, 0))), layer=self.layer, **kw)
        self.put(item)

    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0)) -> None:
        """A one-line frame whose baseline falls near draw_common's y."""
        if not s.strip():
            return
        w = self.width(s, size) + size
        self.frame(x, y - size * 1.05, w, size * 1.6, s, size, color=color, rot=angle)

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: tuple = (0, 0, 0)) -> None:
        self.put({"t": "line", "x0": x0, "y0": y0, "x1": x1, "y1": y1, "w": width, "color": self.color(color)})

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: tuple | None, stroke: tuple | None = None) -> None:
        if fill is None and stroke is None:
            return
        item = {"t": "rect", "x": x0, "y": y0, "w": x1 - x0, "h": y1 - y0}
        self.put({**item, "fill": self.color(fill), "stroke": self.color(stroke), "lw": 0.8})

    def width(self, s: str, size: float) -> float:
        """Advance widths of the face as Scribus lays them out: HarfBuzz advances plus its JIS X 4051 spacing, a
        quarter em between an ideograph and a Latin character (either way); bold faces measured a little wider."""
        cmap, hmtx, upm = _metrics(self.o["font"])
        s = printable(s, self.o["font"])
        total = sum(hmtx[cmap[ord(c)]][0] if ord(c) in cmap else upm for c in s) * size / upm
        total += sum(_ideograph(a) and _latin(b) or _latin(a) and _ideograph(b) for a, b in zip(s, s[1:])) * size / 4
        return total * (1.06 if self.bold and self.o["bold"] == "face" else 1.0)


class ScribusDrawer(DeckDrawer):
    """draw_common's deck as Scribus page items: every label a text frame (lines broken by the measured layout),
    or each theme page's table a Scribus table that wraps its own cells."""

    def __init__(self, deck: Deck, c: JobCanvas, opts: dict) -> None:
        super().__init__(deck, c, {**opts, "page": "A4L"})
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.o = opts
        self.c: JobCanvas = c
        self.slack = opts.get("row_slack", 0.0)
        self.cells: list[tuple[int, Box]] = []  # (page index, body cell) of Scribus tables, see _hidden_in_cells

    def center(self, s: str, y: float, size: float) -> None:
        while size > 12 and self.c.width(s, size) > self.W - 60:
            size -= 2
        super().center(s, y, size)

    def page(self, rotated: bool = False) -> None:
        super().page(rotated)
        if self.o["header"] and self.page_no > 1:
            c = self.c
            c.text(30, 20, self.d.org, 8, color=NAVY)
            c.text(self.W - 30 - c.width("策略地圖與平衡計分卡", 8), 20, "策略地圖與平衡計分卡", 8, color=NAVY)
            c.line(30, 25, self.W - 30, 25, 0.5, NAVY)

    def footer(self) -> None:
        if not self.o["footer"]:
            return
        c, grey = self.c, (0.4, 0.4, 0.4)
        c.line(30, self.H - 28, self.W - 30, self.H - 28, 0.5, (0.6, 0.6, 0.6))
        c.text(30, self.H - 16, f"{self.d.org}｜策略地圖與平衡計分卡", 7, color=grey)
        s = FOOTERS[self.o["footer"]]
        w = c.width(s.replace(PAGENO, "99").replace(PAGECOUNT, "99"), 7) + 7
        x = self.W - 30 - w if self.o["footer_align"] == "right" else (self.W - w) / 2
        c.frame(x, self.H - 16 - 7.35, w, 11.2, s, 7, color=grey, align=self.o["footer_align"])

    def watermark(self) -> None:
        c = self.c
        c.layer = self.o["watermark_layer"] != "page"
        mark = self.o.get("watermark_text", "內部資料")
        w = c.width(mark, 60) + 60
        x, y = self.W * 0.3, self.H * 0.72
        c.frame(x, y - 63, w, 96, mark, 60, color=(0, 0, 0), rot=self.o["watermark_angle"])
        c.pages[-1][-1]["shade"] = self.o["watermark_shade"]
        c.layer = False

    def head_height(self, cols: list[Col], xs: list[float]) -> float:
        """draw_common's head, made taller when a label wraps in a narrow column (portrait A4)."""
        lh, two = self.lh, self.d.style["year_header"] == "two_row"
        self.c.bold = True

        def need(s: str, w: float) -> float:
            return len(scribus_wrap(self.c, s, self.pt, w - 10)) * lh + 6

        out = super().head_height(cols, xs)
        for j, col in enumerate(cols):
            w = xs[j + 1] - xs[j]
            if two and col.group:
                gw = sum(xs[k + 1] - xs[k] for k, x in enumerate(cols) if x.group == col.group)
                out = max(out, 2 * max(need(col.group, gw), need(col.sub or "", w)))
            else:
                out = max(out, need(col.label, w))
        self.c.bold = False
        return out + self.slack

    def cell_lines(self, col: Col, text: str, w: float) -> list[str]:
        return scribus_wrap(self.c, text, self.pt, w - 10)

    def row_height(self, r: Row, cols: list[Col], xs: list[float]) -> float:
        return super().row_height(r, cols, xs) + self.slack

    def stretch_rotated(self, rows: list[Row], ys: list[tuple[float, float]], cols: list[Col]) -> None:
        """draw_common's growth of a perspective block, for a stacked label at Scribus's leading (one character a
        line, the first as tall as the face's ascent): draw_common's 1.15 em a character hides its last ones."""
        if self.d.style["persp_mode"] != "stacked" or "persp" not in [col.id for col in cols]:
            super().stretch_rotated(rows, ys, cols)
            return
        for start, n in runs(rows, "persp"):
            need = len(rows[start].cells["persp"]) * self.lh + self.pt * 0.5 + 6
            have = ys[start + n - 1][1] - ys[start][0]
            if need > have:
                extra = need - have
                last = start + n - 1
                ys[last] = (ys[last][0], ys[last][1] + extra)
                for i in range(last + 1, len(ys)):
                    ys[i] = (ys[i][0] + extra, ys[i][1] + extra)

    # -- frames: every label a text frame over draw_common's fills and rules

    def rule(self, x0: float, y0: float, x1: float, y1: float, as_rect: bool) -> None:
        w, color = self.o["rule_width"], RULE_COLORS[self.o["rule_color"]]
        if as_rect:
            self.c.rect(x0 - w / 2, y0 - w / 2, x1 + w / 2, y1 + w / 2, color)
        else:
            self.c.line(x0, y0, x1, y1, w, color)

    def label(self, b: Box) -> None:
        c, st, pt = self.c, self.d.style, self.pt
        if not b.text:
            return
        c.bold = b.header
        if b.mode == "rot":
            w, h = c.width(b.text, pt) + 8, pt * 1.6
            cx, cy = (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2
            c.frame(cx - h / 2, cy + w / 2, w, h, b.text, pt, rot=90, align="center", valign="middle")
        else:
            lines = list(b.text) if b.mode == "stack" else scribus_wrap(c, b.text, pt, b.x1 - b.x0 - 10)
            centre = b.header and b.x1 - b.x0 < self.W - 100 or st["halign"] == "center" or b.mode == "stack"
            middle = st["valign"] == "middle" or b.header or b.mode == "stack"
            c.frame(
                b.x0,
                b.y0,
                b.x1 - b.x0,
                b.y1 - b.y0,
                "\n".join(lines),
                pt,
                align="center" if centre else "left",
                valign="middle" if middle else "top",
                pad=[4, 4, 2, 1],
            )
        c.bold = False

    def paint(self, boxes: list[Box], rows: list[Row], ys: list, xs: list[float]) -> None:
        if self.o["tables"] == "frames":
            if self.d.style["rules"] == "zebra":
                fill = ZEBRA_FILLS[self.o["zebra_fill"]]
                for i, ((y0, y1), r) in enumerate(zip(ys, rows)):
                    if r.kind == "kpi" and i % 2 == 1:
                        self.c.rect(xs[0], y0, xs[-1], y1, fill)
            super().paint(boxes, [], [], xs)
            return
        self.table_item(boxes, rows, ys, xs)

    # -- tables: Scribus's own table, cells wrapped by Scribus

    def table_item(self, boxes: list[Box], rows: list[Row], ys: list, xs: list[float]) -> None:
        c, st = self.c, self.d.style
        rules = st["rules"]
        yb = sorted({round(v, 3) for b in boxes for v in (b.y0, b.y1)})
        xb = [round(v, 3) for v in xs]
        zebra = {round(y0, 3) for i, ((y0, _), r) in enumerate(zip(ys, rows)) if r.kind == "kpi" and i % 2 == 1}
        hdr_fill = self.o["hdr_fill"]
        cells, turned = [], []
        self.cells += [(len(c.pages) - 1, b) for b in boxes if not b.header and b.mode == "h" and b.text.strip()]
        for b in boxes:
            r0, r1 = yb.index(round(b.y0, 3)), yb.index(round(b.y1, 3))
            c0, c1 = xb.index(round(b.x0, 3)), xb.index(round(b.x1, 3))
            text = printable(b.text, self.o["font"])
            if b.mode == "stack":
                text = "\r".join(text)
            elif b.mode == "rot" and text:
                turned.append(b)
                text = ""
            fill = None
            if b.header and rules != "none":
                fill = hdr_fill
            elif rules == "zebra" and r1 - r0 == 1 and round(b.y0, 3) in zebra:
                fill = ZEBRA_FILLS[self.o["zebra_fill"]]
            if rules == "grid":
                sides = [True, True, True, True]
            elif rules == "hrules":
                sides = [True, True, False, False]
            elif rules == "zebra":
                sides = [False, b.header, False, False]
            else:
                sides = [False, False, False, False]
            cell = {"r": r0, "c": c0, "rs": r1 - r0, "cs": c1 - c0, "s": text.replace("\n", "\r")}
            cells.append({**cell, "fill": c.color(fill), "b": sides})
        outer = {"grid": [1, 1, 1, 1], "hrules": [1, 1, 0, 0]}.get(rules, [0, 0, 0, 0])
        item = {"t": "table", "x": xs[0], "y": yb[0], "cols": [xs[j + 1] - xs[j] for j in range(len(xs) - 1)]}
        item.update(rows=[yb[i + 1] - yb[i] for i in range(len(yb) - 1)], cells=cells, pad=[4, 4, 2, 1])
        item.update(rule_w=self.o["rule_width"], rule_color=c.color(RULE_COLORS[self.o["rule_color"]]), outer=outer)
        c.put(item)
        for b in turned:  # Scribus cells do not turn text: a turned frame over the empty merged cell
            c.bold = False
            w, h = c.width(b.text, self.pt) + 8, self.pt * 1.6
            cx, cy = (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2
            c.frame(cx - h / 2, cy + w / 2, w, h, b.text, self.pt, rot=90, align="center", valign="middle")


def _env() -> dict:
    d = cache_dir()
    home, run = d / "home", d / "run"
    home.mkdir(exist_ok=True)
    run.mkdir(mode=0o700, exist_ok=True)
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(run), "QT_QPA_PLATFORM": "offscreen"}
    return env


def _faces_config(family: str) -> str:
    """A fontconfig file whose only CJK font is fonts.py's single face of `family` (as an author who installed
    that one file), beside DejaVu for Scribus's own default font."""
    d = cache_dir()
    faces = d / "faces" / family.replace(" ", "")
    faces.mkdir(parents=True, exist_ok=True)
    src = Path(face_file(family))
    link = faces / src.name
    if not link.exists():
        link.symlink_to(src)
    conf = d / f"fonts-{family.replace(' ', '')}.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{faces}</dir>\n  <dir>/usr/share/fonts/truetype/dejavu</dir>\n"
        f"  <cachedir>{d / 'fc-cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return str(conf)


def _run(job: dict, opts: dict) -> dict:
    installed_version()
    env = _env()
    if opts["font_source"] == "faces":
        env["FONTCONFIG_FILE"] = _faces_config(opts["font"])
    with tempfile.TemporaryDirectory(prefix="r_scribus-") as tmp:
        path = Path(tmp) / "job.json"
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        cmd = ["scribus", "-g", "-ns", "-py", str(DRIVER), str(path), "--"]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env, stdin=subprocess.DEVNULL)
        result = Path(str(path) + ".result")
        if proc.returncode or not result.exists() or not Path(job["pdf"]["file"]).exists():
            err = (proc.stderr + proc.stdout).strip()
            raise RuntimeError(f"Scribus failed ({proc.returncode}): {err[-3000:]}")
        return json.loads(result.read_text(encoding="utf-8"))


def _centre_inside(bbox: tuple, b: Box) -> bool:
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    return b.x0 - 1 <= cx <= b.x1 + 1 and b.y0 - 1 <= cy <= b.y1 + 1


def _hidden_in_cells(pdf: str | Path, cells: list[tuple[int, Box]], font: str) -> list[str]:
    """Table cells whose text Scribus did not print whole. Its cells never grow: lines past the
    row's height are hidden, not drawn (its line breaks differ from the measured layout's, so a
    cell may need a line more), and the page-level check misses a hidden character that other
    text on the page prints too. A cell's text is what the text layer holds on the lines that
    pass through it (a line run on past the cell's right border counts whole)."""
    import pymupdf

    doc = pymupdf.open(str(pdf))
    lines_by_page: dict[int, list[tuple[list, str]]] = {}
    problems = []
    for page_no, b in cells:
        if page_no not in lines_by_page:
            raw = doc[page_no].get_text("rawdict")
            found = []
            for block in raw["blocks"]:
                for line in block.get("lines", []):
                    chars = [ch for span in line["spans"] for ch in span["chars"]]
                    found.append(([ch["bbox"] for ch in chars], "".join(ch["c"] for ch in chars)))
            lines_by_page[page_no] = found

        have = Counter()
        for boxes, text in lines_by_page[page_no]:
            if any(_centre_inside(bbox, b) for bbox in boxes):
                have.update("".join(fold(text).split()))
        short = Counter("".join(fold(printable(b.text, font)).split())) - have
        if short:
            problems.append(f"page {page_no + 1}: text hidden in a table cell: {b.text[:20]!r} lacks {''.join(short)}")
    return problems


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide; a document is cut by row heights
    only).  Hidden overflow in a frame or cell makes the rows taller, then the type smaller.  Returns the options
    used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    if opts["flow"]:
        opts["max_rows"] = 99
    opts.setdefault("max_rows", st["max_rows"])
    opts["rules"] = st["rules"]
    opts["hdr_fill_rgb"] = HEAD_FILLS.get(opts["hdr_fill"] or "")
    info = {"author": deck.org, "title": f"{deck.org}策略地圖與平衡計分卡", "subject": "策略地圖與平衡計分卡"}
    slack = 0.0
    for _attempt in range(6):
        cv = JobCanvas(opts)
        drawer = ScribusDrawer(deck, cv, {**opts, "row_slack": slack, "hdr_fill": opts["hdr_fill_rgb"]})
        drawer.draw()
        w, h = PAGE_SIZES[opts["page"]]
        pt = drawer.pt
        align = st["halign"] if st["halign"] == "center" else "left"
        job = {
            "doc": {"w": w, "h": h, "font": FC_NAMES[opts["font"]], "size": pt, "lead": round(pt * 1.3, 2)},
            "colors": {**cv.colors, "ink": [0, 0, 0]},
            "layer": None,
            "pages": cv.pages,
            "pdf": {"file": str(out_pdf), "version": opts["pdf_version"], "compress": opts["compress"]},
        }
        job["doc"]["align"] = align
        job["pdf"].update(subset=opts["subset"], info=info if opts["info"] else None)
        if opts["watermark_layer"] != "page" and any(it.get("layer") for p in cv.pages for it in p):
            job["layer"] = {"name": WATERMARK_LAYER, "under": opts["watermark_layer"] == "under"}
            job["layer"]["pdf"] = opts["layers_pdf"]
        result = _run(job, opts)
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck)
        problems += [f"text overflows frame {o['frame']}: {o['text'][:30]!r}" for o in result["overflows"]]
        problems += _hidden_in_cells(out_pdf, drawer.cells, opts["font"])
        if problems and slack < 2 * drawer.lh:
            slack += drawer.lh / 2
            continue
        if problems and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            slack = 0.0
            continue
        break
    opts.pop("hdr_fill_rgb")
    opts["row_slack"] = slack
    opts["problems"] = problems
    return opts
