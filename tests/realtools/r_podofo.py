"""PoDoFo renderer: the deck painted in C++ by PoDoFo 0.9.8 (Debian 12's libpodofo-dev 0.9.8+dfsg-3+b1; the PDF
library of KDE-era tools and C++ back-office code) through a small driver (`r_podofo.cpp`, compiled with g++ at
first use into the cache, with nlohmann-json) that reads a JSON job written by this module.  PoDoFo has no table
layout: the table is draw_common's, measured with PoDoFo's own widths (`PdfFontMetrics::StringWidth`, asked of the
driver per character at 1000 pt: FreeType's advances, no kerning), and painted with `PdfPainter`: `DrawText` (one
`BT`/`ET` per call, every one repeating `/Ft4 9.000 Tf 100.000 Tz 0.000 Tc` and the position as `x y Td`),
`DrawLine`/`Rectangle` + `Stroke`/`Fill`, turned text by `SetTransformationMatrix` (`cm`, text at 0 0) inside
`Save`/`Restore`, watermark alpha by a `PdfExtGState` (`/ca`).

Text in cells either as draw_common's lines (broken at any character, one DrawText each) or, for some decks,
by PoDoFo's own `DrawMultiLineText` in the cell box (`q x y w h re W n` clip, lines at the face's
`GetLineSpacing()`: 1.05 em for AR PL, 1.35 em for WenQuanYi, left or centred, top or centred): rows are sized
from `GetMultiLineTextAsLines` asked of the driver, so the breaks are PoDoFo's: at the last space that fits
(the space ends the line: 'A1.1 ' on a line of its own before a CJK name) and, in a run without spaces, at any
character; '\\n' starts a line.

Pages: slides (4:3, 16:9, A4 landscape: `CreatePage(PdfRect(0, 0, w, h))`) or an A4 (portrait or landscape)
document cut by row heights, title and head again on every page.  Tables: full grid, horizontal rules, none or
zebra, header fills, rules as strokes in a width and colour or thin filled rectangles, drawn in layers or row by
row / cell by cell (r_pdfbox's drawer); 構面 labels turned or stacked.  Running header and '- n -' / 'n / N'
footers, watermark ('內部資料', turned, grey or alpha) with the page or in a second `PdfPainter` session over the
finished pages (PoDoFo appends to the page's one content stream, after a space, with no q/Q around either part;
the page objects from CreatePage are not kept across later CreatePage calls, so the second pass takes them again
by `GetPage(n)`: a kept pointer crashes in SetPage).  Streams
Flate-compressed (PoDoFo's default) or not (`PdfStream::eDefaultFilter = ePdfFilter_None`: font files too);
`SetWriteMode` compact (PoDoFo's default: tokens without spaces) or clean; PDF version 1.3 (PoDoFo's default)
to 1.7; document information: PoDoFo always writes `/Producer (PoDoFo - http://podofo.sf.net)` and a
CreationDate, optionally Title/Author or a system's own Creator/Producer.

Fonts: `CreateFontSubset(name, false, false, false, GlobalIdentityEncodingInstance(), file)` of a TrueType face of
fonts.py (subsets tagged in order of creation 'AAAAAA+WenQuanYiZenHei', 'BAAAAA+UMingTW', with a /CIDSet) or
`CreateFont(..., eFontCreationFlags_None, embed=true, file)` (the whole 10-20 MB face); Type0 Identity-H,
CIDFontType2 with CIDs = glyph ids, /CIDToGIDMap /Identity, /W for the glyphs used (the whole face's for a whole
font), a ToUnicode of `bfrange`s with one-element arrays for the glyphs used.  For a whole font the ToUnicode covers
the face's cmap by glyph id but its bfrange arrays are misbuilt, so characters read back as unrelated code points
(AR PL UMing: '：' reads '垨', '≧' '堓'; AR PL UKai: 入 reads 嬦, 戶 孚, 理 峕; WenQuanYi: 文 as the Kangxi radical
⽂), so whole faces are kept only where every KPI character reads back (layout.check; else subset:
`whole_refused`).  The Noto CJK faces (CFF) are
embedded as FontFile2 (whole: 'Mismatch between font type and embedded font file', glyphs missing) or throw in
CreateFontSubset, so such decks use a TrueType face (`cff_refused`).  Bold: none, synthetic
(`SetTextRenderingMode(FillAndStroke)`, `2 Tr` inside the
BT, width size/30) or a second face (WenQuanYi Zen Hei headings).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .draw_common import Box, Canvas
from .fonts import TRUETYPE, face_file, printable
from .layout import Col, check, find_pages
from .r_pdfbox import HEAD_FILLS, PdfBoxDrawer
from .spec import Deck

PODOFO = "0.9.8"  # Debian 12's libpodofo-dev 0.9.8+dfsg-3+b1 (README, Setup)
SOURCE = Path(__file__).with_name("r_podofo.cpp")
BOLD_FACE = "WenQuanYi Zen Hei"


@cache
def installed_version() -> str:
    import re

    hdr = Path("/usr/include/podofo/base/podofo_config.h")
    if not hdr.exists():
        raise RuntimeError("PoDoFo is not installed: apt-get install -y libpodofo-dev g++ nlohmann-json3-dev")
    txt = hdr.read_text()
    ver = ".".join(re.search(rf"PODOFO_VERSION_{k} (\d+)", txt).group(1) for k in ("MAJOR", "MINOR", "PATCH"))
    if ver != PODOFO:
        raise RuntimeError(f"PoDoFo {PODOFO} is wanted, {hdr} is {ver}")
    return ver


@cache
def driver() -> str:
    """The driver binary (r_podofo.cpp compiled at first use, once per version of its source)."""
    installed_version()
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "podofo"
    d.mkdir(parents=True, exist_ok=True)
    exe = d / f"podofo-deck-{hashlib.sha1(SOURCE.read_bytes() + PODOFO.encode()).hexdigest()[:12]}"
    if not exe.exists():
        tmp = Path(tempfile.mkdtemp(prefix="build-", dir=d)) / "podofo-deck"
        cmd = ["g++", "-std=c++17", "-O1", "-o", str(tmp), str(SOURCE), "-I/usr/include/freetype2", "-lpodofo"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode:
            raise RuntimeError(f"g++ failed: {proc.stderr[-2000:]}")
        with contextlib.suppress(OSError):  # built meanwhile by another process
            tmp.rename(exe)
        shutil.rmtree(tmp.parent, ignore_errors=True)
    return str(exe)


@cache
def tool_version(engine: str | None = None) -> str:
    gxx = subprocess.run(["g++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    return f"PoDoFo {installed_version()} (libpodofo 0.9.8+dfsg-3+b1), {gxx}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    font = style["font"] if style["font"] in TRUETYPE else rng.choice(TRUETYPE)
    footer = rng.choice([None, "dash", "dash", "of", "of"])
    return {
        "flow": flow,
        "page": rng.choice(["A4", "A4L", "A4L"]) if flow else style["page"],
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "font": font,
        "cff_refused": style["font"] if style["font"] not in TRUETYPE else None,
        "embed": "whole" if rng.random() < 0.15 else "subset",
        "bold": rng.choice(["none", "stroke"] + (["face"] if font != BOLD_FACE else [])),
        "cell_text": rng.choice(["lines", "lines", "multiline"]),
        "rules_as_rects": rng.random() < 0.3,
        "rule_width": rng.choice([0.25, 0.5, 0.5, 0.75, 1.0]),
        "rule_color": rng.choice(["black", "gray", "navy"]),
        "hdr_fill": rng.choice([None, *HEAD_FILLS]),
        "zebra_fill": rng.choice(["blue", "gray"]),
        "order": rng.choice(["layers", "row", "cell"]),
        "rotate_theme": None,
        "rotation": None,
        "header": rng.random() < 0.4,
        "footer": footer,
        "footer_pass": "second" if footer == "of" else rng.choice(["page", "second"]),
        "footer_align": rng.choice(["right", "center"]),
        "watermark_layer": rng.choice(["page", "over"]),
        "watermark_alpha": rng.choice([None, 0.2, 0.3]),
        "watermark_angle": rng.choice([30, 45]),
        "logo_badge": rng.random() < 0.5,
        "compress": rng.random() < 0.75,
        "write_mode": rng.choice(["compact", "compact", "clean"]),
        "version": rng.choice([3, 3, 4, 5, 7]),
        "info": rng.choice([None, "title", "producer"]),
    }


def _run(mode: str, job: dict) -> dict | None:
    with tempfile.TemporaryDirectory(prefix="r_podofo-") as tmp:
        path = Path(tmp) / "job.json"
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run([driver(), mode, str(path)], capture_output=True, text=True, timeout=600)
        if proc.returncode:
            raise RuntimeError(f"PoDoFo failed ({proc.returncode}): {proc.stderr.strip()[-3000:]}")
        return json.loads(proc.stdout) if mode == "measure" else None


class Metrics:
    """PoDoFo's measures, asked of the driver in batches: character widths at 1000 pt, line spacing, and the lines
    of GetMultiLineTextAsLines.  A miss is noted and answered roughly; the deck is laid out again once the misses
    have been asked."""

    def __init__(self, fonts: dict) -> None:
        self.fonts = fonts
        self.w: dict[str, dict[str, float]] = {k: {} for k in fonts}
        self.spacing: dict[str, list[float]] = {}
        self.lines: dict[tuple, list[str]] = {}
        self.want_w: dict[str, set[str]] = {k: set() for k in fonts}
        self.want_lines: set[tuple] = set()

    def missing(self) -> bool:
        return any(self.want_w.values()) or bool(self.want_lines) or not self.spacing

    def ask(self) -> None:
        job = {
            "fonts": {k: {"file": f, "embed": "subset"} for k, f in self.fonts.items()},
            "widths": {k: "".join(sorted(v | {"國"})) for k, v in self.want_w.items()},
            "lines": [list(q) for q in sorted(self.want_lines)],
        }
        out = _run("measure", job)
        for k, ws in out["widths"].items():
            self.w[k].update(ws)
        self.spacing.update(out["spacing"])
        for q, lines in zip(job["lines"], out["lines"]):
            self.lines[tuple(q)] = lines
        self.want_w = {k: set() for k in self.fonts}
        self.want_lines = set()

    def width(self, key: str, s: str, size: float) -> float:
        total = 0.0
        for ch in s:
            if ch not in self.w[key]:
                self.want_w[key].add(ch)
            total += self.w[key].get(ch, 1000.0)
        return total * size / 1000

    def wrap(self, key: str, s: str, size: float, width: float) -> list[str]:
        q = (key, size, round(width, 3), s)
        if q not in self.lines:
            self.want_lines.add(q)
            return s.split("\n")
        return self.lines[q]

    def line_spacing(self, key: str) -> float:
        return self.spacing.get(key, [1300.0])[0] / 1000


class PodofoCanvas:
    """draw_common's canvas recorded as the driver's painter operations (PDF points, y up); r_pdfbox's drawer sets
    `bold`, `alpha` and `layer` ('ops' with the page, 'over' in the second pass)."""

    def __init__(self, opts: dict, m: Metrics) -> None:
        self.o, self.m = opts, m
        self.pages: list[dict] = []
        self.bold: bool | None = None
        self.alpha: float | None = None
        self.layer = "ops"
        self.h = 0.0
        self.cur = -1

    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        self.pages.append({"w": w, "h": h, "ops": [], "over": []})
        self.h, self.cur = h, len(self.pages) - 1

    def _put(self, op: dict) -> None:
        self.pages[self.cur]["under" if self.layer == "under" else self.layer].append(op)

    def face(self, size: float) -> tuple[str, str, bool]:
        """(font key, family, synthetic bold) of text in this size."""
        bold = size >= 16 if self.bold is None else self.bold
        if bold and self.o["bold"] == "face":
            return "bold", BOLD_FACE, False
        return "cjk", self.o["font"], bold and self.o["bold"] == "stroke"

    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0)) -> None:
        if not s.strip():
            return
        key, family, fake = self.face(size)
        op = {"t": "text", "x": round(x, 2), "y": round(self.h - y, 2), "size": size, "color": list(color)}
        self._put({**op, "font": key, "s": printable(s, family), "angle": angle, "fake": fake, "alpha": self.alpha})

    def mtext(self, b: Box, size: float, align: str, valign: str) -> None:
        key, family, fake = self.face(size)
        x0, y0, x1, y1 = b.x0 + 3, b.y0 + 3, b.x1 - 3, b.y1 - 3
        op = {"t": "mtext", "x": x0, "y": self.h - y1, "w": x1 - x0, "h": y1 - y0, "size": size, "font": key}
        self._put(
            {**op, "s": printable(b.text, family), "align": align, "valign": valign, "color": [0, 0, 0], "fake": fake}
        )

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: tuple = (0, 0, 0)) -> None:
        h = self.h
        self._put({"t": "line", "x0": x0, "y0": h - y0, "x1": x1, "y1": h - y1, "w": width, "color": list(color)})

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: tuple | None, stroke: tuple | None = None) -> None:
        if fill is None and stroke is None:
            return
        op = {"t": "rect", "x": x0, "y": self.h - y1, "w": x1 - x0, "h": y1 - y0, "fill": fill and list(fill)}
        self._put({**op, "stroke": stroke and list(stroke), "lw": 0.8})

    def width(self, s: str, size: float) -> float:
        key, family, _ = self.face(size)
        return self.m.width(key, printable(s, family), size)

    def lines(self, s: str, size: float, width: float) -> list[str]:
        key, family, _ = self.face(size)
        return self.m.wrap(key, printable(s, family), size, width)


class PodofoDrawer(PdfBoxDrawer):
    """r_pdfbox's drawer (furniture, bold heads, rule styles, drawing orders) with cells optionally set by PoDoFo's
    DrawMultiLineText, rows sized from its lines and line spacing."""

    def __init__(self, deck: Deck, c: Canvas, opts: dict) -> None:
        super().__init__(deck, c, opts)
        self.multi = opts["cell_text"] == "multiline"
        if self.multi:
            self.lh = self.c.m.line_spacing("cjk") * self.pt

    def cell_lines(self, col: Col, text: str, w: float) -> list[str]:
        if self.multi:
            self.c.bold = False
            out = self.c.lines(text, self.pt, w - 6)
            self.c.bold = None
            return out
        return super().cell_lines(col, text, w)

    def row_height(self, r, cols, xs) -> float:
        return super().row_height(r, cols, xs) + (2 if self.multi else 0)

    def head_height(self, cols: list[Col], xs: list[float]) -> float:
        if not self.multi:
            return super().head_height(cols, xs)
        two = self.d.style["year_header"] == "two_row"
        self.c.bold = True
        lh = self.c.m.line_spacing(self.c.face(self.pt)[0]) * self.pt

        def need(s: str, w: float) -> float:
            return len(self.c.lines(s, self.pt, w - 6)) * lh + 8

        out = (2 if two or self.d.style["year_header"] == "stacked" else 1) * (lh + 8) + (lh if two else 0)
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
        if not self.multi or b.mode != "h" or not b.text:
            super().label(b)
            return
        st = self.d.style
        self.c.bold = b.header
        centre = (b.header and b.x1 - b.x0 < self.W - 100) or st["halign"] == "center"
        middle = st["valign"] == "middle" or b.header
        self.c.mtext(b, self.pt, "center" if centre else "left", "center" if middle else "top")
        self.c.bold = None


def _fonts(opts: dict) -> dict:
    fonts = {"cjk": face_file(opts["font"])}
    if opts["bold"] == "face":
        fonts["bold"] = face_file(BOLD_FACE)
    return fonts


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
    opts["rotate_theme"] = None
    info = {"title": f"{deck.org}策略地圖與平衡計分卡", "author": deck.org}
    if opts["info"] == "producer":
        info.update(producer=f"{deck.short}績效管理系統 (PoDoFo {PODOFO})", creator=f"{deck.short}績效管理系統")
    fonts = _fonts(opts)
    m = Metrics(fonts)
    while True:
        for _ in range(4):
            cv = PodofoCanvas(opts, m)
            drawer = PodofoDrawer(deck, cv, opts)
            drawer.draw()
            drawer.second_pass()
            if not m.missing():
                break
            m.ask()
        else:
            raise RuntimeError("PoDoFo measures still missing after four passes")
        job = {
            "fonts": {k: {"file": f, "embed": opts["embed"]} for k, f in fonts.items()},
            "compress": opts["compress"],
            "write_mode": opts["write_mode"],
            "version": opts["version"],
            "info": info if opts["info"] else None,
        }
        _run("draw", {**job, "pages": cv.pages, "out": str(out_pdf)})
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck)
        if opts["embed"] == "whole" and any("missing from the text layer" in p for p in problems):
            opts["embed"], opts["whole_refused"] = "subset", True  # the whole face's ToUnicode misreads the KPIs
            continue
        if any("outside the page" in p for p in problems) and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        break
    opts["hdr_fill"] = next((k for k, v in HEAD_FILLS.items() if v == opts["hdr_fill"]), None)
    opts["problems"] = problems
    return opts
