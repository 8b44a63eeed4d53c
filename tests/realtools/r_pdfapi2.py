"""PDF::API2 renderer: the deck drawn in Perl by PDF::API2 2.044 (the PDF library of many Perl back-office and report
systems; Debian's libpdf-api2-perl) or by its fork PDF::Builder 3.025 (libpdf-builder-perl), through a small
driver (`r_pdfapi2.pl`) that reads a JSON job written by this module.  Both have no layout at all, so the layout
is draw_common's (lines broken at any character), measured here with the widths the Perl library draws with
(int(advance * 1000 / unitsPerEm) per glyph of a TrueType face, the AFM of a core font, the width table of a
cjkfont dumped by the driver), recorded as drawing operations and drawn by the driver.

Pages: slides (4:3, 16:9 or A4 landscape `$page->mediabox(w, h)`; the deck's row budget per slide) or a document
on A4 (portrait, `$page->mediabox('A4')`, or landscape) cut by row heights only, the title (with its --n/N
marker) and the head rows again on every page.  A theme's first page may be stored portrait with
`$page->rotate(90|270)` and the drawing turned into it by a matrix (`cm`) opened by a graphics object of its own
(`q` ... `Q` in the page's first and last streams, so that streams added later start untransformed).

Content: the usual PDF::API2 page is one graphics object and one text object (`$page->gfx`, `$page->text`: two
streams in /Contents, all text over all paths whatever order the code drew in); or helpers that ask the page for
fresh objects for each table row or each cell (`order` row / cell: /Contents an array of dozens to hundreds of
streams, paths and text interleaved, zebra fills per cell).  Text objects are one `BT`...`ET` stream for the
whole object, each line positioned by `translate` (a `Tm`) or, turned 構面 labels and the watermark, by
`transform(-rotate => 90)` (a rotated `Tm`); optionally (PDF::API2 only: PDF::Builder has no textlabel) every
single-font string drawn by `$gfx->textlabel` into the graphics stream (`q BT Tm Tf Tj ET Q` each).  Centred
strings (headings, stacked labels, slide titles) either placed at a computed x or given to the library as
`text($s, -indent => -width / 2)` at the centre, as text_center does: `[ 1234 <...> ] TJ`, the glyphs displaced
by a TJ number.  Rules `m l S` in a chosen width and colour or thin filled rectangles (`re f`); fills `re f`;
full grid, horizontal rules, none or zebra, header fills.

Fonts (font_kind): 'ttf': `$pdf->ttfont(file)` of a face of fonts.py: Type0 Identity-H, CIDFontType2, CIDs = glyph
ids as hex strings, a /W for the glyphs used, a ToUnicode of one bfrange entry per glyph of the face (every glyph,
used or not, from Font::TTF's reversed cmap; unmapped glyphs to <0000>), BaseFont the face's name without a
subset tag.  Subsetting only empties the unused glyphs: the embedded file keeps every glyph slot, its cmap and
hmtx whole, so a 'subset' of an 11-20 MB face is some 300 kB-1 MB; `-nosubset => 1` embeds the whole face.
PDF::API2 2.044 cannot load the Noto CJK faces (CFF keyed Adobe-Identity-0): "requested cmap 'Adobe:Identity' not
installed", so such decks use a TrueType face (`cff_refused`); PDF::Builder loads them as CIDFontType0 with the
whole CFF table embedded (some 14-22 MB, no subsetting) and a ToUnicode from its reversed cmap that gives a glyph
shared by an ideograph and its Kangxi or supplement radical the radical (a Noto deck reads 行 as ⾏ and 民 as ⺠
throughout).  `-noembed => 1` is a no-op in PDF::API2 2.044 (it sets embed to 1), so it is not an option here.
'cjk': `$pdf->cjkfont('Ming')` (deprecated in 2.044 but still what old report code uses): the non-embedded
AdobeMingStd-Light-Acro, Adobe-CNS1 CIDs under Identity-H (not a UniCNS CMap), no ToUnicode at all (its
tounicodemap is a no-op: readers map CIDs back through the character collection); characters outside its table
print as CID 0 and vanish from the text layer (≥ ≤, the radicals supplement; Kangxi radicals and compatibility
ideographs map to the unified ideograph's CID), so lookalikes are printed folded and what still lacks a CID (≥ ≤)
is set in DejaVu Sans (`fallback`, a ttfont), as an author who saw them vanish would.  Text must reach either
library as Perl character strings (JSON::PP decodes so); byte strings are read as Latin-1.  Optionally ASCII in
the core font Helvetica (WinAnsi, not embedded, no ToUnicode), a line switching fonts inside one text object.
Bold: none, synthetic (`render(2)` with the fill colour stroked at size/30), a second face (WenQuanYi Zen Hei
headings over an AR PL body) or, for cjkfont, 'Ming-Bold' (the same font named ',Bold', drawn regular by most
readers).

Furniture: a running header (office, 策略地圖與平衡計分卡, a rule) and footers ('- n -' drawn with the page, or
'- n -' / 'n / N' written in a second pass over the finished document through `$pdf->openpage($n)` and an
appended graphics object wrapped in save/restore); a watermark ('內部資料', turned, light grey) drawn with the
page (in the text object), over it in the second pass, or under it (`$page->gfx(1)`, prepended, hidden by cell
fills); transparent through an `egstate` (`transparency`), or opaque.  An ExtGState set in a text object outlives
the stream (PDF::API2 wraps nothing in q/Q), so the page's own watermark sets an opaque one again after it.
Document information: none (PDF::API2 writes Producer 'PDF::API2 2.044 (linux)', PDF::Builder its own long
Producer), Title/Author by `$pdf->info`, or Producer/Creator replaced.  Content streams Flate-compressed or not
(`compress => 0`, or PDF::Builder's 'none').
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .draw_common import SIZES, Box, Canvas, DeckDrawer, wrap
from .fonts import TRUETYPE, face_file, printable
from .layout import Col, Row, check, find_pages
from .spec import Deck, fold

PDFAPI2 = "2.044"  # Debian 12's libpdf-api2-perl 2.044-1 (README, Setup)
BUILDER = "3.025"  # Debian 12's libpdf-builder-perl 3.025-1
ENGINES = {"PDF::API2": PDFAPI2, "PDF::Builder": BUILDER}
DRIVER = Path(__file__).with_name("r_pdfapi2.pl")
PAGE_SIZES = {**SIZES, "A4": (595.0, 842.0)}  # a document may be a portrait A4 report
NAVY = (0.12, 0.23, 0.41)
HEAD_FILLS = {"light": (0.85, 0.9, 0.97), "gray": (0.88, 0.88, 0.88), "sand": (0.98, 0.93, 0.82)}
ZEBRA_FILLS = {"blue": (0.92, 0.95, 0.98), "gray": (0.94, 0.94, 0.94)}
RULE_COLORS = {"black": (0, 0, 0), "gray": (0.5, 0.5, 0.5), "navy": NAVY}
BOLD_FACE = "WenQuanYi Zen Hei"  # headings in a heavier sans over an AR PL body
FALLBACK = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # ≥ ≤ beside a cjkfont
CJK_NAME = "Ming"
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}"}


def cache_dir() -> Path:
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "pdfapi2"
    d.mkdir(parents=True, exist_ok=True)
    return d


@cache
def installed_version(engine: str) -> str:
    code = f"use {engine}; print ${engine}::VERSION"
    proc = subprocess.run(["perl", "-e", code], capture_output=True, text=True)
    if proc.returncode:
        pkg = "libpdf-api2-perl" if engine == "PDF::API2" else "libpdf-builder-perl"
        raise RuntimeError(f"{engine} is not installed: apt-get install -y {pkg}")
    if proc.stdout.strip() != ENGINES[engine]:
        raise RuntimeError(f"{engine} {ENGINES[engine]} is wanted, perl has {proc.stdout.strip()}")
    return proc.stdout.strip()


@cache
def tool_version(engine: str | None = None) -> str:
    engine = engine or "PDF::API2"
    perl = subprocess.run(["perl", "-e", "printf '%vd', $^V"], capture_output=True, text=True).stdout.strip()
    return f"{engine} {installed_version(engine)}, perl {perl}"


def producer_options(rng: random.Random, style: dict) -> dict:
    engine = rng.choice(["PDF::API2", "PDF::API2", "PDF::Builder"])
    flow = rng.random() < 0.4
    kind = rng.choice(["ttf", "ttf", "ttf", "cjk"])
    noto = style["font"] not in TRUETYPE
    # PDF::Builder embeds a Noto CJK face whole (14-22 MB): kept by some, swapped for a TrueType face by others
    keep_noto = noto and engine == "PDF::Builder" and rng.random() < 0.5
    font = style["font"] if not noto or keep_noto else rng.choice(TRUETYPE)
    footer = rng.choice([None, "dash", "dash", "of", "of"])
    if kind == "cjk":
        font, bold = CJK_NAME, rng.choice(["none", "stroke", "named"])
    else:
        bold = rng.choice(["none", "stroke"] + (["face"] if font != BOLD_FACE else []))
    return {
        "engine": engine,
        "flow": flow,
        "page": rng.choice(["A4", "A4L", "A4L"]) if flow else style["page"],
        "named_a4": rng.random() < 0.5,
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "font_kind": kind,
        "font": font,
        "cff_refused": style["font"] if noto and not keep_noto and kind == "ttf" else None,
        # the whole face (11-20 MB) is what -nosubset embeds: a rare choice
        "subset": rng.random() < 0.85,
        "latin": rng.choice([None, None, "Helvetica"]),
        "bold": bold,
        "rules_as_rects": rng.random() < 0.35,
        "rule_width": rng.choice([0.25, 0.5, 0.5, 0.75, 1.0]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "hdr_fill": rng.choice([None, *HEAD_FILLS]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "order": rng.choice(["layers", "layers", "row", "cell"]),
        "centre": rng.choice(["computed", "indent"]),
        "textlabel": engine == "PDF::API2" and rng.random() < 0.25,
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
        "compress": rng.random() < 0.8,
        "info": rng.choice([None, "title", "producer"]),
    }


@cache
def _metrics(path: str) -> tuple[dict, dict, int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm


@cache
def _cjk_metrics(name: str) -> tuple[dict[int, int], int]:
    """Widths (per 1000 em) of the cjkfont's code points, as the driver's --metrics dumps them (once, cached)."""
    out = cache_dir() / f"cjkfont-{name}-{PDFAPI2}.json"
    if not out.exists():
        tmp = out.with_suffix(f".{os.getpid()}.tmp")
        subprocess.run(["perl", str(DRIVER), "--metrics", name, str(tmp)], check=True, capture_output=True)
        tmp.rename(out)
    data = json.loads(out.read_text(encoding="utf-8"))
    return {int(k): v for k, v in data["widths"].items()}, data["missing"]


def _latin(ch: str) -> bool:
    return " " <= ch <= "~"


class JobCanvas:
    """draw_common's canvas recorded as the driver's drawing operations (PDF points, y up).  `bold` and `alpha`
    are set by the drawer around the text they concern; `layer` chooses the page's streams ('ops') or the
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
        named = "A4" if (w, h) == PAGE_SIZES["A4"] and self.o["named_a4"] and not rot else None
        self.pages.append({"w": w, "h": h, "rot": rot, "named": named, "ops": [], "over": [], "under": []})
        self.h, self.cur = h, len(self.pages) - 1

    def _put(self, op: dict) -> None:
        self.pages[self.cur][self.layer].append(op)

    def mark_group(self) -> None:
        """A drawing helper asking the page for fresh graphics and text objects."""
        self._put({"t": "new"})

    def _face(self, size: float) -> tuple[str, bool]:
        """(font key, synthetic bold) of text in this size."""
        bold = size >= 16 if self.bold is None else self.bold
        if bold and self.o["bold"] in ("face", "named"):
            return "bold", False
        return "cjk", bold and self.o["bold"] == "stroke"

    def _file(self, key: str) -> str:
        return face_file(BOLD_FACE if key == "bold" and self.o["bold"] == "face" else self.o["font"])

    def _runs(self, s: str, key: str) -> list[list[str]]:
        runs: list[list[str]] = []
        if self.o["font_kind"] == "cjk":
            widths = _cjk_metrics(CJK_NAME)[0]
            chars = []
            for ch in s:
                ch = ch if ord(ch) in widths else fold(ch)
                chars.append((ch, key if ord(ch) in widths else "fallback"))
        else:
            fam = BOLD_FACE if key == "bold" and self.o["bold"] == "face" else self.o["font"]
            chars = [(ch, key) for ch in printable(s, fam)]
        for ch, k in chars:
            k = "latin" if self.o["latin"] and _latin(ch) else k
            if runs and runs[-1][0] == k:
                runs[-1][1] += ch
            else:
                runs.append([k, ch])
        return runs

    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0), centre=False):
        if not s.strip():
            return
        key, fake = self._face(size)
        runs = self._runs(s, key)
        op = {"t": "text", "x": round(x, 2), "y": round(self.h - y, 2), "size": size, "color": list(color)}
        op.update(runs=runs, angle=angle, fake=fake, alpha=self.alpha, label=self.o["textlabel"] and not angle)
        if centre and self.o["centre"] == "indent" and not angle:
            op["center"] = round(self._width(runs, size), 3)
        self._put(op)

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: tuple = (0, 0, 0)) -> None:
        h = self.h
        self._put({"t": "line", "x0": x0, "y0": h - y0, "x1": x1, "y1": h - y1, "w": width, "color": list(color)})

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: tuple | None, stroke: tuple | None = None) -> None:
        if fill is None and stroke is None:
            return
        op = {"t": "rect", "x": x0, "y": self.h - y1, "w": x1 - x0, "h": y1 - y0, "fill": fill and list(fill)}
        self._put({**op, "stroke": stroke and list(stroke), "lw": 0.8})

    def _width(self, runs: list[list[str]], size: float) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        total = 0
        for k, run in runs:
            if k == "latin":
                total += stringWidth(run, "Helvetica", size)
                continue
            if k == "fallback":
                cmap, hmtx, upm = _metrics(FALLBACK)
            elif self.o["font_kind"] == "cjk":
                widths, missing = _cjk_metrics(CJK_NAME)
                total += sum(widths.get(ord(c), missing) for c in run) * size / 1000
                continue
            else:
                cmap, hmtx, upm = _metrics(self._file(k))
            # PDF::API2's widths: int(advance * 1000 / unitsPerEm) per glyph, glyph 0 for a missing character
            total += sum(int(hmtx[cmap.get(ord(c), ".notdef")][0] * 1000 / upm) for c in run) * size / 1000
        return total

    def width(self, s: str, size: float) -> float:
        key, _ = self._face(size)
        return self._width(self._runs(s, key), size)


class PdfApi2Drawer(DeckDrawer):
    """draw_common's deck with PDF::API2 users' variations: page sizes, bold headings, rule styles, content objects,
    centring by the library, furniture drawn with the page or in a second pass."""

    def __init__(self, deck: Deck, c: Canvas, opts: dict) -> None:
        super().__init__(deck, c, {**opts, "page": "A4L"})
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.o = opts
        self.footed: list[int] = []  # pages draw_common gives a footer
        self.marked: list[int] = []  # pages draw_common gives a watermark

    def center(self, s: str, y: float, size: float) -> None:
        while size > 12 and self.c.width(s, size) > self.W - 60:
            size -= 2
        self.c.text((self.W - self.c.width(s, size)) / 2, y, s, size, centre=True)

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
        if self.o["footer_align"] == "right":
            c.text(self.W - 30 - w, self.H - 16, s, 7, color=grey)
        else:
            c.text((self.W - w) / 2, self.H - 16, s, 7, color=grey, centre=True)

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
        """Running header, footers and watermark over (or under) the finished pages, as PDF::API2 code loops over
        $pdf->openpage($n) once the page count is known."""
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
        """draw_common's label, with centred lines handed to the canvas as centred."""
        c, st, pt, lh = self.c, self.d.style, self.pt, self.lh
        if not b.text:
            return
        c.bold = b.header
        if b.mode == "rot":
            w = c.width(b.text, pt)
            c.text((b.x0 + b.x1) / 2 + pt * 0.35, (b.y0 + b.y1) / 2 + w / 2, b.text, pt, 90)
            c.bold = None
            return
        lines = list(b.text) if b.mode == "stack" else wrap(c, b.text, pt, b.x1 - b.x0 - 6)
        total = len(lines) * lh
        middle = st["valign"] == "middle" or b.header or b.mode == "stack"
        y = b.y0 + 3 + (max(0.0, (b.y1 - b.y0 - 6 - total) / 2) if middle else 0)
        for ln in lines:
            w = c.width(ln, pt)
            centre = b.header and len(lines) and b.x1 - b.x0 < self.W - 100 or st["halign"] == "center"
            centre = bool(centre or b.mode == "stack")
            x = b.x0 + (b.x1 - b.x0 - w) / 2 if centre else b.x0 + 3
            c.text(x, y + pt * 0.95, ln, pt, centre=centre)
            y += lh
        c.bold = None

    def rule(self, x0: float, y0: float, x1: float, y1: float, as_rect: bool) -> None:
        w, color = self.o["rule_width"], RULE_COLORS[self.o["rule_color"]]
        if as_rect:
            self.c.rect(x0 - w / 2, y0 - w / 2, x1 + w / 2, y1 + w / 2, color)
        else:
            self.c.line(x0, y0, x1, y1, w, color)

    def paint(self, boxes: list[Box], rows: list[Row], ys: list, xs: list[float]) -> None:
        """draw_common's layers (all fills, all rules, all text), or row by row / cell by cell, each group in fresh
        content objects: its zebra fills (per cell; a label spanning rows is not striped), fills, rules, text."""
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
            self.c.mark_group()
            for b in g:
                i = row_of(b)
                if i in striped and (b.y0, b.y1) == ys[i] and not b.header:
                    self.c.rect(b.x0, b.y0, b.x1, b.y1, ZEBRA_FILLS[self.o["zebra_fill"]])
            super().paint(g, [], [], xs)
        self.c.mark_group()


def _run(job: dict) -> None:
    installed_version(job["engine"])
    with tempfile.TemporaryDirectory(prefix="r_pdfapi2-") as tmp:
        path = Path(tmp) / "job.json"
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(["perl", str(DRIVER), str(path)], capture_output=True, text=True, timeout=900)
        if proc.returncode or not Path(job["out"]).exists():
            raise RuntimeError(f"{job['engine']} failed: {proc.stderr.strip()[-3000:]}")


def _fonts(opts: dict) -> dict:
    if opts["font_kind"] == "cjk":
        bold = {"kind": "cjk", "name": f"{CJK_NAME}-Bold"} if opts["bold"] == "named" else None
        fallback = {"kind": "ttf", "file": FALLBACK, "subset": True}
        return {"cjk": {"kind": "cjk", "name": CJK_NAME}, "bold": bold, "fallback": fallback, "latin": opts["latin"]}
    bold = {"kind": "ttf", "file": face_file(BOLD_FACE), "subset": True} if opts["bold"] == "face" else None
    cjk = {"kind": "ttf", "file": face_file(opts["font"]), "subset": opts["subset"]}
    return {"cjk": cjk, "bold": bold, "fallback": None, "latin": opts["latin"]}


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
    info = {"Title": f"{deck.org}策略地圖與平衡計分卡", "Author": deck.org}
    if opts["info"] == "producer":
        info.update(Producer=f"{opts['engine']} {ENGINES[opts['engine']]}", Creator=f"{deck.short}績效管理系統")
    while True:
        cv = JobCanvas(opts)
        drawer = PdfApi2Drawer(deck, cv, opts)
        drawer.draw()
        drawer.second_pass()
        job = {"engine": opts["engine"], "fonts": _fonts(opts), "compress": opts["compress"], "order": opts["order"]}
        job["info"] = info if opts["info"] else None
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
