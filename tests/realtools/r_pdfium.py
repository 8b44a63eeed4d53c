"""PDFium renderer: the deck built object by object with PDFium's page-editing API (Chrome's PDF engine, the
`fpdf_edit.h` functions report and annotation tools call to write PDFs), through PyPI pypdfium2 5.15.2 (PDFium
159.0.8149.0) in a venv of its own (/work/gen/venv-pdfium, put on sys.path after the generator's own packages:
pypdfium2 has no dependencies).  Only the raw API (`pypdfium2.raw`) is used: `FPDF_CreateNewDocument`,
`FPDFPage_New`, `FPDFText_LoadFont(doc, data, size, FPDF_FONT_TRUETYPE, cid=1)`, `FPDFPageObj_CreateTextObj`,
`FPDFText_SetText` (UTF-16LE), `FPDFPageObj_Transform` or `FPDFPageObj_SetMatrix` for placement and turned
text, `FPDFPageObj_CreateNewPath`/`FPDFPath_LineTo`/`FPDFPageObj_CreateNewRect` with `FPDFPath_SetDrawMode`,
fill/stroke colours (0-255, alpha written as an ExtGState), `FPDFPage_InsertObject`/`InsertObjectAtIndex`,
`FPDFPage_GenerateContent` and `FPDF_SaveWithVersion` through an `FPDF_FILEWRITE` callback.

PDFium has no layout engine: the table is draw_common's (lines broken at any character, inside words and
numbers), measured with the face's glyph advances (what PDFium writes into /W; `FPDFFont_GetGlyphWidth` with the
face's glyph ids gives other numbers, 1000 for digits, so text placed by it overlaps).

Quirks found:
- `FPDFText_LoadFont` embeds the whole font file it is given (no subsetting): a deck in AR PL UMing is 10 MB, so
  most authors subset the face first with fontTools (fonts.subset_file, the deck's characters); some do not.
- With cid=1 it writes a Type0 Identity-H font whose CIDs are glyph ids (CIDFontType2 whatever the outlines:
  Noto CJK's CFF lands in /FontFile2, poppler warns 'Mismatch between font type and embedded font file' but
  draws it), a /W from the glyph advances and a /ToUnicode reversed from the face's whole cmap (bfrange arrays):
  one code point per glyph, so in Noto CJK a Kangxi radical and its ideograph (⾏/行) read the same (fold()ed
  the same), and some radicals that share a glyph (⼦, ⼾, ⼊ in a subset) read U+0000: the check fails, and the
  author sets such a deck in a TrueType face (`cff_fallback`: AR PL UMing for Noto Serif, WenQuanYi otherwise).
  ASCII runs can be set in the base-14 Helvetica (`FPDFPageObj_NewTextObj`, WinAnsi,
  not embedded).
- `FPDFPage_GenerateContent` serialises every object on its own: `q <colours> BT a b c d e f Tm /FXF1 s Tf 0 Tr
  [<hex>] TJ ET Q` per text object, `q ... x y m x y l S Q` per rule, `x y w h re f*` per fill, ExtGStates
  /FXE1... (the page's graphics state and alpha), fonts /FXF1...; the order of the stream is the order of the
  page's object list, so the object insertion order (fills and rules before or after the text, a watermark
  inserted at index 0 or last) is what the file shows.  Text matrices carry the placement (Transform composes
  onto the object's matrix, SetMatrix replaces it); turned labels are a rotated Tm.
- Document information cannot be set (no API): /Creator (PDFium), a /CreationDate, no /Producer.
- A document loaded with `FPDF_LoadMemDocument` and edited keeps its content stream; `GenerateContent` on an
  edited page writes the new objects in a stream of their own and rewrites the page's /Resources from the objects it
  parsed: ReportLab's `BT /F1 12 Tf 14.4 TL ET` (a font set, nothing shown) loses its /F1, and poppler reports
  'Unknown font tag F1' on every page (nothing is lost); `FPDF_INCREMENTAL` appends the changes after the original
  file, `FPDF_NO_INCREMENTAL` rewrites it.

Variations (producer_options): slides at the deck's size (4:3, 16:9, A4 landscape) or an A4 portrait/landscape
document cut by row heights (title and head again on each page); the deck's rules (grid / horizontal / none /
zebra fills), rules as stroked paths or thin filled rectangles, width and colour, header fills; 構面 labels merged,
repeated on every row or band rows (deck style), turned by a rotated matrix or stacked; text objects one per
cell line, one per run of CJK/ASCII glyphs (ASCII optionally in Helvetica) or one per glyph; placement by
Transform or SetMatrix; insertion order of fills/rules/text; bold titles by fill-then-stroke render mode; a
running title, '- n -' / 'n / N' / '第 n 頁，共 N 頁' footers added in a last pass over the open pages; a watermark
('內部資料', turned, light or under alpha) drawn first or last; a 權重 column added by the author; whole or
subset face; PDF 1.4 or 1.7; and some decks that are another renderer's PDF (r_reportlab or r_fpdf, simple
drawing libraries of this repo) loaded by PDFium, stamped ('已核閱' box, a meeting note footer) and saved again,
incrementally or rewritten (the truth is that of the original deck).
"""

from __future__ import annotations

import ctypes as C
import importlib
import math
import os
import random
import sys
from functools import cache
from pathlib import Path

from .draw_common import SIZES, Box, Canvas, DeckDrawer, wrap
from .fonts import TRUETYPE, face_file, printable, subset_file
from .layout import Col, Row, check, continues, find_pages, runs
from .spec import Deck

PYPDFIUM2 = "5.15.2"  # PyPI pypdfium2, in /work/gen/venv-pdfium (README, Setup)
PDFIUM = "159.0.8149.0"  # the PDFium build that wheel carries
SITE = os.environ.get("REALTOOLS_PDFIUM_SITE", "/work/gen/venv-pdfium/lib/python3.11/site-packages")
PAGE_SIZES = {**SIZES, "A4": (595.0, 842.0)}
NAVY = (0.12, 0.23, 0.41)
HEAD_FILLS = {"light": (0.85, 0.9, 0.97), "gray": (0.88, 0.88, 0.88), "sand": (0.98, 0.93, 0.82)}
ZEBRA_FILLS = {"blue": (0.92, 0.95, 0.98), "gray": (0.94, 0.94, 0.94)}
RULE_COLORS = {"black": (0, 0, 0), "gray": (0.5, 0.5, 0.5), "navy": NAVY}
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}", "zh": "第 {n} 頁，共 {N} 頁"}
STAMPS = ["已核閱", "會議資料", "內部參考", "已簽核"]
BASES = ["r_reportlab", "r_fpdf"]
FILL_ALTERNATE = 1  # FPDF_FILLMODE_ALTERNATE


@cache
def raw():
    """pypdfium2.raw from the pdfium venv (its version checked)."""
    if SITE not in sys.path and os.path.isdir(SITE):
        sys.path.append(SITE)
    try:
        import pypdfium2
        import pypdfium2.raw as r
    except ImportError as e:
        raise RuntimeError(
            f"pypdfium2 is not installed: python3 -m venv /work/gen/venv-pdfium && "
            f"/work/gen/venv-pdfium/bin/pip install pypdfium2=={PYPDFIUM2} ({e})"
        ) from e
    got = str(pypdfium2.PYPDFIUM_INFO)
    if got != PYPDFIUM2 or not str(pypdfium2.PDFIUM_INFO).startswith(PDFIUM):
        raise RuntimeError(f"pypdfium2 {PYPDFIUM2} (PDFium {PDFIUM}) is wanted, found {got} ({pypdfium2.PDFIUM_INFO})")
    r.FPDF_InitLibrary()
    return r


def tool_version(engine: str | None = None) -> str:
    import pypdfium2

    raw()
    return f"pypdfium2 {pypdfium2.PYPDFIUM_INFO} (PDFium {pypdfium2.PDFIUM_INFO})"


def producer_options(rng: random.Random, style: dict) -> dict:
    resave = rng.random() < 0.2
    base = rng.choice(BASES) if resave else None
    base_opts = None
    if base == "r_fpdf":
        base_opts = importlib.import_module(f"{__package__}.r_fpdf").producer_options(rng, style)
    elif base == "r_reportlab":
        base_opts = {
            "rules_as_rects": rng.random() < 0.5,
            "watermark_angle": rng.choice([30, 30, 0]),
            "logo_badge": rng.random() < 0.5,
        }
    flow = rng.random() < 0.3
    noto = style["font"] not in TRUETYPE
    footer = rng.choice([None, "dash", "dash", "of", "zh"])
    return {
        "base": base,
        "base_options": base_opts,
        "stamp": rng.choice(STAMPS),
        "stamp_angle": rng.choice([0, 0, 8, 12]),
        "stamp_note": rng.random() < 0.6,
        "incremental": rng.random() < 0.5,
        "flow": flow,
        "page": rng.choice(["A4", "A4L", "A4L"]) if flow else style["page"],
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "font": style["font"] if not noto or rng.random() < 0.5 else rng.choice(TRUETYPE),
        "subset": rng.random() < 0.85,
        "objects": rng.choice(["line", "line", "line", "runs", "runs", "glyph"]),
        "latin": rng.choice([None, None, "Helvetica"]),
        "placement": rng.choice(["transform", "matrix"]),
        "order": rng.choice(["drawn", "drawn", "paths_first", "rules_last"]),
        "bold": rng.choice(["none", "stroke", "stroke"]),
        "repeat_labels": rng.random() < 0.3,
        "add_weight": rng.random() < 0.3,
        "rules_as_rects": rng.random() < 0.3,
        "rule_width": rng.choice([0.25, 0.5, 0.5, 0.75, 1.0]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "hdr_fill": rng.choice([None, *HEAD_FILLS]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "header": rng.random() < 0.4,
        "footer": footer,
        "footer_align": rng.choice(["right", "center"]),
        "watermark": rng.random() < 0.25,
        "watermark_layer": rng.choice(["first", "last"]),
        "watermark_alpha": rng.choice([None, 60, 80]),
        "watermark_angle": rng.choice([30, 45]),
        "logo_badge": rng.random() < 0.5,
        "version": rng.choice([14, 17, 17]),
        "cff_fallback": None,
    }


def _rgb(color: tuple, alpha: int = 255) -> tuple[int, int, int, int]:
    return (*(max(0, min(255, round(v * 255))) for v in color), alpha)


def _is_cjk(ch: str) -> bool:
    return not (" " <= ch <= "~")


class Writer:
    """PDFium document handle with the raw save call (FPDF_SaveWithVersion through an FPDF_FILEWRITE)."""

    def __init__(self, r, doc) -> None:
        self.r, self.doc = r, doc

    def save(self, out: str | Path, flags: int, version: int) -> None:
        r, chunks = self.r, []

        def write_block(_self, data, size):
            chunks.append(C.string_at(data, size))
            return 1

        fw = r.FPDF_FILEWRITE()
        fw.version = 1
        fw.WriteBlock = type(fw.WriteBlock)(write_block)
        if not r.FPDF_SaveWithVersion(self.doc, C.byref(fw), flags, version):
            raise RuntimeError("FPDF_SaveWithVersion failed")
        Path(out).write_bytes(b"".join(chunks))


class PdfiumCanvas:
    """draw_common's canvas as PDFium page objects (y down in, PDF y up out), kept per page until generated."""

    def __init__(self, opts: dict, chars: set[str], doc=None) -> None:
        self.o = opts
        r = self.r = raw()
        self.doc = doc or r.FPDF_CreateNewDocument()
        self.keep: list = []
        fam = opts["font"]
        chars = set(printable("".join(sorted(chars)), fam)) | set(chars)
        path = subset_file(fam, chars) if opts["subset"] else face_file(fam)
        data = Path(path).read_bytes()
        buf = (C.c_ubyte * len(data)).from_buffer_copy(data)
        self.keep.append(buf)
        self.font = r.FPDFText_LoadFont(self.doc, buf, len(data), r.FPDF_FONT_TRUETYPE, 1)
        if not self.font:
            raise RuntimeError(f"FPDFText_LoadFont refused {path}")
        from fontTools.ttLib import TTFont

        tt = TTFont(path, lazy=True, fontNumber=0)
        self.cmap = tt.getBestCmap()
        self.subset = opts["subset"]
        self.hmtx, self.upem = tt["hmtx"], tt["head"].unitsPerEm
        self._w: dict[str, float] = {}
        self.pages: list[dict] = []
        self.cur: dict | None = None
        self.bold: bool | None = None
        self.alpha: int | None = None
        self.layer: str | None = None

    # -- pages ---------------------------------------------------------------------------------------------
    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        pg = self.r.FPDFPage_New(self.doc, len(self.pages), w, h)
        self.pages.append({"page": pg, "w": w, "h": h, "objs": []})
        self.cur = self.pages[-1]

    def adopt(self, i: int) -> None:
        """A page of a loaded document as the current page."""
        pg = self.r.FPDF_LoadPage(self.doc, i)
        w, h = self.r.FPDF_GetPageWidthF(pg), self.r.FPDF_GetPageHeightF(pg)
        self.pages.append({"page": pg, "w": w, "h": h, "objs": []})
        self.cur = self.pages[-1]

    def goto(self, i: int) -> None:
        self.cur = self.pages[i]

    def _add(self, obj, kind: str) -> None:
        layer = self.layer or kind
        if self.o["order"] == "drawn" and layer in ("fill", "rule", "text"):
            layer = "drawn"
        self.cur["objs"].append((layer, obj))

    def finish(self, out: str | Path, flags: int = 2) -> None:
        """Insert every page's objects in the chosen order, generate the content streams, save."""
        r = self.r
        order = {
            "drawn": ["first", "drawn", "last"],
            "paths_first": ["first", "fill", "rule", "text", "last"],
            "rules_last": ["first", "fill", "text", "rule", "last"],
        }[self.o["order"]]
        for p in self.pages:
            for layer in order:
                for lay, obj in p["objs"]:
                    if lay != layer:
                        continue
                    if layer == "first":
                        r.FPDFPage_InsertObjectAtIndex(p["page"], obj, 0)
                    else:
                        r.FPDFPage_InsertObject(p["page"], obj)
            if not r.FPDFPage_GenerateContent(p["page"]):
                raise RuntimeError("FPDFPage_GenerateContent failed")
        Writer(r, self.doc).save(out, flags, self.o["version"])
        for p in self.pages:
            r.FPDF_ClosePage(p["page"])
        r.FPDFFont_Close(self.font)
        r.FPDF_CloseDocument(self.doc)

    # -- text ----------------------------------------------------------------------------------------------
    def _cw(self, ch: str) -> float:
        """Advance of `ch` at 1 pt: the glyph's advance in the face (what PDFium writes into /W; its
        FPDFFont_GetGlyphWidth gives other numbers for these fonts), Helvetica's from ReportLab's AFM metrics."""
        w = self._w.get(ch)
        if w is None:
            if self.o["latin"] and not _is_cjk(ch):
                from reportlab.pdfbase.pdfmetrics import stringWidth

                w = stringWidth(ch, "Helvetica", 1000) / 1000
            else:
                w = self.hmtx[self.cmap.get(ord(ch), ".notdef")][0] / self.upem
            self._w[ch] = w
        return w

    def width(self, s: str, size: float) -> float:
        return sum(self._cw(ch) for ch in printable(s, self.o["font"])) * size

    def _pieces(self, s: str) -> list[str]:
        mode = self.o["objects"]
        if mode == "glyph":
            return list(s)
        if mode == "runs" or self.o["latin"]:
            out: list[str] = []
            for ch in s:
                if out and _is_cjk(out[-1][-1]) == _is_cjk(ch):
                    out[-1] += ch
                else:
                    out.append(ch)
            return out
        return [s]

    def _place(self, obj, a: float, b: float, c: float, d: float, e: float, f: float) -> None:
        r = self.r
        if self.o["placement"] == "matrix":
            r.FPDFPageObj_SetMatrix(obj, C.byref(r.FS_MATRIX(a, b, c, d, e, f)))
        else:
            if (a, b, c, d) != (1, 0, 0, 1):
                r.FPDFPageObj_Transform(obj, a, b, c, d, 0, 0)
            r.FPDFPageObj_Transform(obj, 1, 0, 0, 1, e, f)

    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0)) -> None:
        r = self.r
        s = printable(s, self.o["font"])
        if not s.strip():
            return
        lost = {ch for ch in s if ord(ch) not in self.cmap and ch != " "}
        if lost:
            raise RuntimeError(f"characters not in the {'subset' if self.subset else 'face'}: {''.join(sorted(lost))}")
        bold = size >= 16 if self.bold is None else self.bold
        a = math.radians(angle)
        ca, sa = round(math.cos(a), 6), round(math.sin(a), 6)
        py = self.cur["h"] - y
        off = 0.0
        for piece in self._pieces(s):
            w = sum(self._cw(ch) for ch in piece) * size
            if not piece.strip():
                off += w
                continue
            if self.o["latin"] and not _is_cjk(piece[0]):
                obj = r.FPDFPageObj_NewTextObj(self.doc, b"Helvetica", size)
            else:
                obj = r.FPDFPageObj_CreateTextObj(self.doc, self.font, size)
            u = (piece + "\0").encode("utf-16-le")
            if not r.FPDFText_SetText(obj, (C.c_ushort * (len(u) // 2)).from_buffer_copy(u)):
                raise RuntimeError(f"FPDFText_SetText failed on {piece!r}")
            r.FPDFPageObj_SetFillColor(obj, *_rgb(color, self.alpha or 255))
            if bold and self.o["bold"] == "stroke":
                r.FPDFTextObj_SetTextRenderMode(obj, r.FPDF_TEXTRENDERMODE_FILL_STROKE)
                r.FPDFPageObj_SetStrokeColor(obj, *_rgb(color))
                r.FPDFPageObj_SetStrokeWidth(obj, size / 30)
            self._place(obj, ca, sa, -sa, ca, x + off * ca, py + off * sa)
            self._add(obj, "text")
            off += w

    # -- paths ---------------------------------------------------------------------------------------------
    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: tuple = (0, 0, 0)) -> None:
        r, h = self.r, self.cur["h"]
        p = r.FPDFPageObj_CreateNewPath(x0, h - y0)
        r.FPDFPath_LineTo(p, x1, h - y1)
        r.FPDFPageObj_SetStrokeColor(p, *_rgb(color))
        r.FPDFPageObj_SetStrokeWidth(p, width)
        r.FPDFPath_SetDrawMode(p, 0, 1)
        self._add(p, "rule")

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: tuple | None, stroke: tuple | None = None) -> None:
        r, h = self.r, self.cur["h"]
        if fill is None and stroke is None:
            return
        p = r.FPDFPageObj_CreateNewRect(x0, h - y1, x1 - x0, y1 - y0)
        if fill is not None:
            r.FPDFPageObj_SetFillColor(p, *_rgb(fill, self.alpha or 255))
        if stroke is not None:
            r.FPDFPageObj_SetStrokeColor(p, *_rgb(stroke))
            r.FPDFPageObj_SetStrokeWidth(p, 0.8)
        r.FPDFPath_SetDrawMode(p, FILL_ALTERNATE if fill is not None else 0, int(stroke is not None))
        self._add(p, "fill" if stroke is None else "rule")


class PdfiumDrawer(DeckDrawer):
    """draw_common's deck with PDFium users' variations: page sizes, repeated labels, rule styles, furniture added
    in a last pass over the open pages."""

    def __init__(self, deck: Deck, c: Canvas, opts: dict) -> None:
        super().__init__(deck, c, {**opts, "page": "A4L"})
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.o = opts
        self.footed: list[int] = []
        self.marked: list[int] = []

    def center(self, s: str, y: float, size: float) -> None:
        while size > 12 and self.c.width(s, size) > self.W - 60:
            size -= 2
        self.c.text((self.W - self.c.width(s, size)) / 2, y, s, size)

    def strategy_map(self) -> None:
        c = self.c
        real = c.text

        def text(x, y, s, size, *a, **k):
            if s == self.d.map_date:
                x = min(x, self.W - 30 - c.width(s, size))
            real(x, y, s, size, *a, **k)

        c.text = text
        try:
            super().strategy_map()
        finally:
            del c.text

    def footer(self) -> None:
        self.footed.append(self.page_no)

    def watermark(self) -> None:
        self.marked.append(self.page_no)

    def last_pass(self) -> None:
        """Running title, footers and watermark on the open pages, once the page count is known."""
        c, total = self.c, len(self.c.pages)
        for n in range(1, total + 1):
            c.goto(n - 1)
            if n in self.marked:
                c.layer = self.o["watermark_layer"]
                c.alpha, c.bold = self.o["watermark_alpha"], False
                color = (0.85, 0.85, 0.85) if c.alpha is None else (0.5, 0.5, 0.5)
                c.text(self.W * 0.3, self.H * 0.72, "內部資料", 60, self.o["watermark_angle"], color)
                c.alpha, c.bold = None, None
            c.layer = "last"
            if self.o["header"] and n > 1:
                c.text(30, 20, self.d.org, 8, color=NAVY)
                c.text(self.W - 30 - c.width("策略地圖與平衡計分卡", 8), 20, "策略地圖與平衡計分卡", 8, color=NAVY)
                c.line(30, 25, self.W - 30, 25, 0.5, NAVY)
            if self.o["footer"] and n in self.footed:
                grey = (0.4, 0.4, 0.4)
                c.line(30, self.H - 28, self.W - 30, self.H - 28, 0.5, (0.6, 0.6, 0.6))
                c.text(30, self.H - 16, f"{self.d.org}｜策略地圖與平衡計分卡", 7, color=grey)
                s = FOOTERS[self.o["footer"]].format(n=n, N=total)
                w = c.width(s, 7)
                x = self.W - 30 - w if self.o["footer_align"] == "right" else (self.W - w) / 2
                c.text(x, self.H - 16, s, 7, color=grey)
            c.layer = None

    def head_height(self, cols: list[Col], xs: list[float]) -> float:
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

    def row_height(self, r: Row, cols: list[Col], xs: list[float]) -> float:
        h = super().row_height(r, cols, xs)
        if r.kind == "kpi" and self.o["repeat_labels"] and self.d.style["persp_mode"] == "column":
            j = [c.id for c in cols].index("persp")
            h = max(h, len(wrap(self.c, r.cells["persp"], self.pt, xs[j + 1] - xs[j] - 6)) * self.lh + 6)
        return h

    def table(self, rows: list[Row], prev: list[Row], cols: list[Col], xs: list[float], top: float, head_h: float):
        """draw_common's table; with repeat_labels the 構面 (column mode) and objective are printed on every row."""
        if not self.o["repeat_labels"]:
            return super().table(rows, prev, cols, xs, top, head_h)
        st = self.d.style
        boxes: list[Box] = []
        two = st["year_header"] == "two_row"
        half = head_h / 2
        j = 0
        while j < len(cols):
            col = cols[j]
            if two and col.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == col.group:
                    k += 1
                boxes.append(Box(xs[j], top, xs[k + 1], top + half, col.group, True))
                for m in range(j, k + 1):
                    boxes.append(Box(xs[m], top + half, xs[m + 1], top + head_h, cols[m].sub or "", True))
                j = k + 1
                continue
            boxes.append(Box(xs[j], top, xs[j + 1], top + head_h, col.label, True))
            j += 1
        y = top + head_h
        ys = []
        for r in rows:
            h = self.row_height(r, cols, xs)
            ys.append((y, y + h))
            y += h
        self.stretch_rotated(rows, ys, cols)
        ids = [col.id for col in cols]
        per_row = {"obj"} | ({"persp"} if st["persp_mode"] == "column" else set())
        for (y0, y1), r in zip(ys, rows):
            if r.kind == "band":
                boxes.append(Box(xs[0], y0, xs[-1], y1, r.cells["band"], True))
                continue
            for jj, col in enumerate(cols):
                if col.id != "persp" or col.id in per_row:
                    boxes.append(Box(xs[jj], y0, xs[jj + 1], y1, r.cells.get(col.id, "")))
        if "persp" in ids and "persp" not in per_row:
            jj = ids.index("persp")
            for start, n in runs(rows, "persp"):
                r = rows[start]
                blank = start == 0 and st["blank_cont"] and continues(prev, r, "persp")
                mode = {"rotated": "rot", "stacked": "stack"}.get(st["persp_mode"], "h")
                text = "" if blank else r.cells["persp"]
                boxes.append(Box(xs[jj], ys[start][0], xs[jj + 1], ys[start + n - 1][1], text, mode=mode))
        self.paint(boxes, rows, ys, xs)

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
        self.c.bold = b.header
        super().label(b)
        self.c.bold = None


def _deck_chars(deck: Deck) -> set[str]:
    chars = set("".join(deck.profile_lines) + deck.org + deck.short + deck.map_date + deck.stem)
    chars |= set(deck.style["kpi_header"] + deck.style["obj_header"] + deck.style["plan_header"])
    chars |= set("".join(deck.style.get("extra_labels", {}).values()) + (deck.style.get("numbered") or ""))
    for t in deck.themes:
        chars |= set(t.shown)
        for o in t.objectives:
            chars |= set(o.shown + o.code + o.perspective)
            for k in o.kpis:
                chars |= set(k.shown + k.code + k.weight + k.remark + k.method)
                chars |= set("".join(v.text for v in k.values) + "".join(f"{p.code or ''}{p.shown}" for p in k.plans))
    chars |= set("策略主題：（）()--/年實際值目標值構面權重備註衡量方式財務顧客內部流程學習成長")
    chars |= set("與轄區概況地圖願景敬請指教平衡計分卡")
    chars |= set("內部資料第頁共，｜- 0123456789" + "".join(STAMPS) + "研考會議附件")
    chars |= set("、。，：；（）「」％～≥≤＞＜．")
    return {ch for ch in chars if ch not in "\n"}


def _resave(deck: Deck, out_pdf: str | Path, opts: dict) -> list[str]:
    """Another renderer's deck loaded by PDFium, stamped and saved again (truth and pages: the original's)."""
    base = importlib.import_module(f"{__package__}.{opts['base']}")
    tmp = Path(str(out_pdf) + ".base.pdf")
    used = base.render(deck, tmp, dict(opts["base_options"] or {}))
    opts["base_options"] = {k: v for k, v in used.items() if k != "problems"}
    r = raw()
    data = tmp.read_bytes()
    tmp.unlink()
    buf = (C.c_ubyte * len(data)).from_buffer_copy(data)
    doc = r.FPDF_LoadMemDocument(buf, len(data), None)
    if not doc:
        raise RuntimeError(f"FPDF_LoadMemDocument failed: {r.FPDF_GetLastError()}")
    cv = PdfiumCanvas(opts, set("".join(STAMPS) + "研考會議附件年月日第頁共，- 0123456789./"), doc)
    cv.keep.append(buf)
    red = (0.8, 0.1, 0.1)
    n = r.FPDF_GetPageCount(doc)
    y, m, d = deck.plan_year, *map(int, deck.map_date.split(".")[1:])
    for i in range(n):
        cv.adopt(i)
        W, H = cv.cur["w"], cv.cur["h"]
        cv.layer = "last"
        s, size = opts["stamp"], 9
        w = cv.width(s, size)
        a = math.radians(opts["stamp_angle"])
        ca, sa = math.cos(a), math.sin(a)
        # the stamp box's lower left corner (PDF space), the box turned about it, kept inside the page
        ox, oy = W - 28 - w - 8, H - 8 - (w + 8) * sa - (size + 6) * ca
        box = r.FPDFPageObj_CreateNewRect(0, 0, w + 8, size + 6)
        r.FPDFPageObj_SetStrokeColor(box, *_rgb(red))
        r.FPDFPageObj_SetStrokeWidth(box, 0.8)
        r.FPDFPath_SetDrawMode(box, 0, 1)
        r.FPDFPageObj_Transform(box, ca, sa, -sa, ca, ox, oy)
        cv._add(box, "rule")
        tx, ty = ox + 4 * ca - 4 * sa, oy + 4 * sa + 4 * ca
        cv.text(tx, H - ty, s, size, opts["stamp_angle"], red)
        if opts["stamp_note"]:
            note = f"{y}年{m}月{d + 3 if d < 25 else d}日研考會議附件  第 {i + 1} 頁，共 {n} 頁"
            cv.text(W - 24 - cv.width(note, 6), H - 5, note, 6, color=(0.3, 0.3, 0.3))
        cv.layer = None
    flags = r.FPDF_INCREMENTAL if opts["incremental"] else r.FPDF_NO_INCREMENTAL
    cv.finish(out_pdf, flags)
    return []


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide; a document is cut by row heights
    only).  Text run past the page makes the type smaller.  Returns the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    if opts["base"]:
        if opts["base"] == "r_reportlab" and opts["font"] not in TRUETYPE:
            opts["font"] = "WenQuanYi Zen Hei"
        _resave(deck, out_pdf, opts)
        find_pages(out_pdf, deck)
        keep = ("base", "base_options", "stamp", "stamp_angle", "stamp_note", "incremental", "font", "subset")
        opts = {k: opts[k] for k in (*keep, "objects", "latin", "placement", "version")}
        opts["problems"] = check(out_pdf, deck)
        return opts
    if opts["flow"]:
        opts["max_rows"] = 99
    opts.setdefault("max_rows", st["max_rows"])
    opts["rules"] = st["rules"]
    opts["hdr_fill"] = HEAD_FILLS.get(opts["hdr_fill"] or "")
    if opts["add_weight"] and "權重" not in st["extras"]:
        st["extras"] = [*st["extras"], "權重"]
    chars = _deck_chars(deck)
    while True:
        cv = PdfiumCanvas(opts, chars)
        drawer = PdfiumDrawer(deck, cv, opts)
        drawer.draw()
        drawer.last_pass()
        cv.finish(out_pdf)
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck)
        if any("outside the page" in p for p in problems) and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        if any("missing from the text layer" in p for p in problems) and opts["font"] not in TRUETYPE:
            # Noto CJK (CFF): ToUnicode maps radicals sharing a glyph to U+0000; the author picks a TrueType face
            opts["cff_fallback"] = opts["font"]
            opts["font"] = "AR PL UMing TW" if "Serif" in opts["font"] else "WenQuanYi Zen Hei"
            continue
        break
    opts["hdr_fill"] = next((k for k, v in HEAD_FILLS.items() if v == opts["hdr_fill"]), None)
    opts["problems"] = problems
    return opts
