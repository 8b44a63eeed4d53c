"""libHaru renderer: the deck drawn by libHaru 2.3.0 (Debian 12's libhpdf-2.3.0 2.3.0+dfsg-1+b1; the C PDF library
behind many C/C++ report tools and the PDF modules of PHP, Ruby, Lua and Python bindings), called from Python
through ctypes (`libhpdf-2.3.0.so`, argtypes and restypes declared for every HPDF_* function used).  libHaru has
no layout at all: the table is draw_common's (lines broken at any character), measured with libHaru's own widths
(`HPDF_Font_TextWidth` per character: the /W of the font it writes, no kerning), and drawn with `HPDF_Page_*`
calls: one `BT`/`ET` per line (`HPDF_Page_TextOut`, a run in another font continued by `HPDF_Page_ShowText`
after `HPDF_Page_SetFontAndSize`), or single-font lines aligned by libHaru itself with `HPDF_Page_TextRect`
(left/centre in a box one line high).  TextRect breaks lines only at spaces: given a cell's CJK text it places
nothing and returns HPDF_PAGE_INSUFFICIENT_SPACE (0x1076), and `HPDF_Font_MeasureText` without word wrap cuts
UTF-8 text inside a character, so libHaru users break CJK lines themselves, as here.

Fonts (font_kind):
- 'cnt': the built-in Traditional Chinese font `MingLiU` (`HPDF_UseCNTFonts` + `HPDF_UseCNTEncodings`) under the
  encoding `ETen-B5-H` (libHaru's CNT encoders are ETen-B5-H and ETen-B5-V only, no UniCNS), text passed as Big5
  (cp950) bytes; not embedded, CIDFontType0 Adobe-CNS1-0, no ToUnicode (readers map the codes through the
  predefined CMap: pdfminer, MuPDF and poppler read it right).  libHaru's /W for MingLiU has no entry for the
  CIDs ETen-B5-H gives ASCII (13648-13742), so every Latin letter, digit and space is 1000 units wide ('K P I
  A 1 . 1', libHaru measures them so too) unless the deck sets ASCII in Helvetica; and its width table gives
  500 units to some common ideographs (CIDs 668-699, 814-907: 交仁件元內公分升左市平打未本正民永生用申石 of the
  deck's words), so viewers draw the next character over their right half ('市永和區', '提升', '目標' overlap)
  while the text layer reads right.  Big5 lacks ≥ ≤ (printed ≧ ≦
  as a Big5 system stores them: the deck's text is changed, the comparator is the same), the radicals (printed
  as their ideographs) and the compatibility ideographs (cp950 gives the unified ideograph's code).  Bold as
  'MingLiU,Bold' (FontDescriptor flag ForceBold, StemV 156) or synthetic.
- 'ttf': a TrueType face of fonts.py by `HPDF_LoadTTFontFromFile(pdf, file, HPDF_TRUE)` or, from the system
  collection, `HPDF_LoadTTFontFromFile2(pdf, file.ttc, index, HPDF_TRUE)`, with `HPDF_UseUTFEncodings` and the
  font encoding 'UTF-8' (libHaru 2.3).  libHaru writes a Type0 Identity-H font whose codes (and CIDs) are the
  UTF-16 code units, a binary CIDToGIDMap, a /W for every character of the face's cmap, the glyf table cut to
  the glyphs used ('HPDFAA+' tags) and, as /ToUnicode, a copy of its 'UTF-8' encoding CMap (`begincidrange
  <0000> <FFFF> 0`, which poppler calls invalid; the text still reads right since codes are Unicode).  The Noto
  CJK faces (CFF) cannot be loaded, so such decks use a TrueType face (`cff_refused`).  Bold: none, synthetic
  (`HPDF_Page_SetTextRenderingMode(HPDF_FILL_THEN_STROKE)`) or WenQuanYi Zen Hei headings.
Optionally ASCII in the base-14 Helvetica (StandardEncoding, not embedded), a line switching fonts inside its BT.

Pages: slides (4:3, 16:9, A4 landscape by `HPDF_Page_SetWidth/SetHeight`) or an A4 document
(`HPDF_Page_SetSize(HPDF_PAGE_SIZE_A4, portrait|landscape)`) cut by row heights, title and head again on every
page; a theme's first page stored portrait with `HPDF_Page_SetRotate(page, 90)` and the drawing turned by
`HPDF_Page_Concat(0, 1, -1, 0, w, 0)`.  Rules `m l S` or thin `re f`, grid / horizontal / none / zebra, header
fills; turned 構面 labels by a rotated `HPDF_Page_SetTextMatrix`, or stacked.  Running header and footers ('- n -',
'n / N', '第 n 頁') drawn with the page or in a second pass over the kept page handles once the page count is
known (libHaru lets a program go back to any page and append to its stream); watermark ('內部資料', turned) with
the page under the table or over it in the second pass, grey or under an ExtGState alpha.  Compression
`HPDF_SetCompressionMode` none / text / all; document information none (Producer 'Haru Free PDF Library 2.3.0'),
Title/Author (passed in the current encoder's bytes, UTF-8 or Big5, and written by libHaru as UTF-16BE with a
BOM) or Creator/Producer replaced.
"""

from __future__ import annotations

import ctypes as C
import math
import random
import subprocess
from functools import cache
from pathlib import Path

from .draw_common import SIZES, Box, Canvas, DeckDrawer, wrap
from .fonts import FACES, TRUETYPE, face_file, printable
from .layout import Col, check, find_pages
from .spec import Deck, fold

LIBHARU = "2.3.0"  # Debian 12's libhpdf-2.3.0 2.3.0+dfsg-1+b1 (README, Setup)
DEB_VERSION = "2.3.0+dfsg-1+b1"
SONAME = "libhpdf-2.3.0.so"
PAGE_SIZES = {**SIZES, "A4": (595.0, 842.0)}
NAVY = (0.12, 0.23, 0.41)
HEAD_FILLS = {"light": (0.85, 0.9, 0.97), "gray": (0.88, 0.88, 0.88), "sand": (0.98, 0.93, 0.82)}
ZEBRA_FILLS = {"blue": (0.92, 0.95, 0.98), "gray": (0.94, 0.94, 0.94)}
RULE_COLORS = {"black": (0, 0, 0), "gray": (0.5, 0.5, 0.5), "navy": NAVY}
BOLD_FACE = "WenQuanYi Zen Hei"
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}", "zh": "第 {n} 頁"}
COMP = {"none": 0x00, "text": 0x01, "all": 0x0F}
INFO = {"author": 2, "creator": 3, "producer": 4, "title": 5}
INSUFFICIENT_SPACE = 0x1076

P, R, S, U, INT = C.c_void_p, C.c_float, C.c_ulong, C.c_uint, C.c_int
ERRFN = C.CFUNCTYPE(None, S, S, P)
_SIGS = {
    "HPDF_GetVersion": (C.c_char_p,),
    "HPDF_New": (P, ERRFN, P),
    "HPDF_Free": (None, P),
    "HPDF_SaveToFile": (S, P, C.c_char_p),
    "HPDF_SetCompressionMode": (S, P, U),
    "HPDF_SetInfoAttr": (S, P, INT, C.c_char_p),
    "HPDF_UseCNTFonts": (S, P),
    "HPDF_UseCNTEncodings": (S, P),
    "HPDF_UseUTFEncodings": (S, P),
    "HPDF_SetCurrentEncoder": (S, P, C.c_char_p),
    "HPDF_GetFont": (P, P, C.c_char_p, C.c_char_p),
    "HPDF_LoadTTFontFromFile": (C.c_char_p, P, C.c_char_p, INT),
    "HPDF_LoadTTFontFromFile2": (C.c_char_p, P, C.c_char_p, U, INT),
    "HPDF_CreateExtGState": (P, P),
    "HPDF_ExtGState_SetAlphaFill": (S, P, R),
    "HPDF_AddPage": (P, P),
    "HPDF_Page_SetWidth": (S, P, R),
    "HPDF_Page_SetHeight": (S, P, R),
    "HPDF_Page_SetSize": (S, P, INT, INT),
    "HPDF_Page_SetRotate": (S, P, C.c_uint16),
    "HPDF_Page_GSave": (S, P),
    "HPDF_Page_GRestore": (S, P),
    "HPDF_Page_Concat": (S, P, R, R, R, R, R, R),
    "HPDF_Page_SetExtGState": (S, P, P),
    "HPDF_Page_SetLineWidth": (S, P, R),
    "HPDF_Page_SetRGBFill": (S, P, R, R, R),
    "HPDF_Page_SetRGBStroke": (S, P, R, R, R),
    "HPDF_Page_MoveTo": (S, P, R, R),
    "HPDF_Page_LineTo": (S, P, R, R),
    "HPDF_Page_Rectangle": (S, P, R, R, R, R),
    "HPDF_Page_Stroke": (S, P),
    "HPDF_Page_Fill": (S, P),
    "HPDF_Page_FillStroke": (S, P),
    "HPDF_Page_BeginText": (S, P),
    "HPDF_Page_EndText": (S, P),
    "HPDF_Page_SetFontAndSize": (S, P, P, R),
    "HPDF_Page_SetTextRenderingMode": (S, P, INT),
    "HPDF_Page_SetTextMatrix": (S, P, R, R, R, R, R, R),
    "HPDF_Page_TextOut": (S, P, R, R, C.c_char_p),
    "HPDF_Page_ShowText": (S, P, C.c_char_p),
    "HPDF_Page_TextRect": (S, P, R, R, R, R, C.c_char_p, INT, C.POINTER(U)),
    "HPDF_Font_GetAscent": (INT, P),
}


class _TextWidth(C.Structure):
    _fields_ = [("numchars", U), ("numwords", U), ("width", U), ("numspace", U)]


@cache
def lib() -> C.CDLL:
    try:
        h = C.CDLL(SONAME)
    except OSError as e:
        raise RuntimeError(f"libHaru is not installed: apt-get install -y libhpdf-2.3.0 ({e})") from e
    for name, (res, *args) in _SIGS.items():
        fn = getattr(h, name)
        fn.restype, fn.argtypes = res, args
    h.HPDF_Font_TextWidth.restype = _TextWidth
    h.HPDF_Font_TextWidth.argtypes = [P, C.c_char_p, U]
    got = h.HPDF_GetVersion().decode()
    if got != LIBHARU:
        raise RuntimeError(f"libHaru {LIBHARU} is wanted, {SONAME} is {got}")
    return h


@cache
def tool_version(engine: str | None = None) -> str:
    deb = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "libhpdf-2.3.0"], capture_output=True, text=True)
    return f"libHaru {lib().HPDF_GetVersion().decode()} (Debian libhpdf-2.3.0 {deb.stdout.strip() or 'unknown'})"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.35
    kind = rng.choice(["cnt", "cnt", "ttf", "ttf", "ttf"])
    noto = style["font"] not in TRUETYPE
    font = "MingLiU" if kind == "cnt" else (rng.choice(TRUETYPE) if noto else style["font"])
    if kind == "cnt":
        bold = rng.choice(["none", "named", "named", "stroke"])
    else:
        bold = rng.choice(["none", "stroke"] + (["face"] if font != BOLD_FACE else []))
    footer = rng.choice([None, "dash", "dash", "of", "zh"])
    return {
        "flow": flow,
        "page": rng.choice(["A4", "A4L", "A4L"]) if flow else style["page"],
        "named_a4": rng.random() < 0.6,
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "font_kind": kind,
        "font": font,
        "cff_refused": style["font"] if noto and kind == "ttf" else None,
        "from_ttc": kind == "ttf" and rng.random() < 0.4,
        "latin": rng.choice([None, "Helvetica"]) if kind == "cnt" else rng.choice([None, None, None, "Helvetica"]),
        "bold": bold,
        "align": rng.choice(["computed", "computed", "textrect"]),
        "rules_as_rects": rng.random() < 0.35,
        "rule_width": rng.choice([0.25, 0.5, 0.5, 0.75, 1.0]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "hdr_fill": rng.choice([None, *HEAD_FILLS]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "rotate_theme": rng.choice("ABCD") if rng.random() < 0.2 else None,
        "header": rng.random() < 0.4,
        "footer": footer,
        "footer_pass": "second" if footer == "of" else rng.choice(["page", "second"]),
        "footer_align": rng.choice(["right", "center"]),
        "watermark_layer": rng.choice(["page", "over"]),
        "watermark_alpha": rng.choice([None, 0.2, 0.3]),
        "watermark_angle": rng.choice([30, 45]),
        "logo_badge": rng.random() < 0.5,
        "compression": rng.choice(["none", "text", "all", "all"]),
        "info": rng.choice([None, "title", "producer"]),
    }


def _ascii(ch: str) -> bool:
    return " " <= ch <= "~"


def big5(ch: str) -> str:
    """The character a Big5 system stores for `ch` (≥ ≤ typed as ≧ ≦, radicals as their ideographs)."""
    for c in (ch, fold(ch), {"≥": "≧", "≤": "≦"}.get(ch, "")):
        if c and len(c) == 1:
            try:
                c.encode("cp950")
                return c
            except UnicodeEncodeError:
                continue
    raise ValueError(f"{ch!r} has no Big5 code")


class HaruCanvas:
    """draw_common's canvas drawn straight onto libHaru pages (y down in, PDF y up out)."""

    def __init__(self, opts: dict) -> None:
        self.o = opts
        self.h = lib()
        self.errors: list[str] = []

        @ERRFN
        def on_error(code, detail, _user):  # libHaru reports errors through this callback
            self.errors.append(f"HPDF error {code:04X} detail {detail}")

        self._cb = on_error
        self.doc = self.h.HPDF_New(on_error, None)
        self.h.HPDF_SetCompressionMode(self.doc, COMP[opts["compression"]])
        self.enc = "cp950" if opts["font_kind"] == "cnt" else "utf-8"
        self.fonts = {}
        if opts["font_kind"] == "cnt":
            self.h.HPDF_UseCNTFonts(self.doc)
            self.h.HPDF_UseCNTEncodings(self.doc)
            self.fonts["cjk"] = self.h.HPDF_GetFont(self.doc, b"MingLiU", b"ETen-B5-H")
            if opts["bold"] == "named":
                self.fonts["bold"] = self.h.HPDF_GetFont(self.doc, b"MingLiU,Bold", b"ETen-B5-H")
            self.h.HPDF_SetCurrentEncoder(self.doc, b"ETen-B5-H")
        else:
            self.h.HPDF_UseUTFEncodings(self.doc)
            self.h.HPDF_SetCurrentEncoder(self.doc, b"UTF-8")
            self.fonts["cjk"] = self._load(opts["font"])
            if opts["bold"] == "face":
                self.fonts["bold"] = self._load(BOLD_FACE)
        if opts["latin"]:
            self.fonts["latin"] = self.h.HPDF_GetFont(self.doc, opts["latin"].encode(), None)
        self._check()
        self.pages: list[dict] = []
        self.page = None
        self.ph = 0.0
        self.bold: bool | None = None  # None: titles (16 pt and more) bold
        self.alpha: float | None = None
        self.gstates: dict[float, int] = {}
        self._widths: dict[tuple[str, str], int] = {}

    def _load(self, family: str) -> int:
        if self.o["from_ttc"]:
            src, index, _ = FACES[family]
            name = self.h.HPDF_LoadTTFontFromFile2(self.doc, src.encode(), index, 1)
        else:
            name = self.h.HPDF_LoadTTFontFromFile(self.doc, face_file(family).encode(), 1)
        self._check()
        return self.h.HPDF_GetFont(self.doc, name, b"UTF-8")

    def _check(self) -> None:
        if self.errors:
            raise RuntimeError(f"libHaru failed: {'; '.join(self.errors[:5])}")

    # -- pages ---------------------------------------------------------------------------------------------
    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        pg = self.h.HPDF_AddPage(self.doc)
        if rotated:  # stored portrait, shown landscape
            self.h.HPDF_Page_SetWidth(pg, h)
            self.h.HPDF_Page_SetHeight(pg, w)
            self.h.HPDF_Page_SetRotate(pg, 90)
        elif (w, h) in ((595.0, 842.0), (842.0, 595.0)) and self.o["named_a4"]:
            self.h.HPDF_Page_SetSize(pg, 3, 0 if h > w else 1)  # HPDF_PAGE_SIZE_A4, portrait / landscape
        else:
            self.h.HPDF_Page_SetWidth(pg, w)
            self.h.HPDF_Page_SetHeight(pg, h)
        self.pages.append({"page": pg, "w": w, "h": h, "rot": rotated})
        self.goto(len(self.pages) - 1)

    def goto(self, i: int) -> None:
        """Make page i current (libHaru appends to any page's stream at any time)."""
        if self.page is not None and self.pages[self.cur]["rot"]:
            self.h.HPDF_Page_GRestore(self.page)
        p = self.pages[i]
        self.page, self.cur, self.ph = p["page"], i, p["h"]
        if p["rot"]:
            self.h.HPDF_Page_GSave(self.page)
            self.h.HPDF_Page_Concat(self.page, 0, 1, -1, 0, p["h"], 0)

    def finish(self, out: str | Path, info: dict | None) -> None:
        self.goto(0)
        if self.pages[0]["rot"]:
            self.h.HPDF_Page_GRestore(self.page)
        self.page = None
        for k, v in (info or {}).items():
            self.h.HPDF_SetInfoAttr(self.doc, INFO[k], v.encode(self.enc, "replace"))
        self.h.HPDF_SaveToFile(self.doc, str(out).encode())
        try:
            self._check()
        finally:
            self.h.HPDF_Free(self.doc)

    # -- text ----------------------------------------------------------------------------------------------
    def _face(self, size: float) -> tuple[str, bool]:
        bold = size >= 16 if self.bold is None else self.bold
        if bold and "bold" in self.fonts:
            return "bold", False
        return "cjk", bold and self.o["bold"] == "stroke"

    def _runs(self, s: str, key: str) -> list[list[str]]:
        if self.o["font_kind"] == "cnt":
            chars = [big5(ch) for ch in s]
        else:
            chars = list(printable(s, BOLD_FACE if key == "bold" and self.o["bold"] == "face" else self.o["font"]))
        runs: list[list[str]] = []
        for ch in chars:
            k = "latin" if "latin" in self.fonts and _ascii(ch) else key
            if runs and runs[-1][0] == k:
                runs[-1][1] += ch
            else:
                runs.append([k, ch])
        return runs

    def _enc(self, key: str, s: str) -> bytes:
        return s.encode("latin-1" if key == "latin" else self.enc)

    def _w(self, key: str, ch: str) -> int:
        w = self._widths.get((key, ch))
        if w is None:
            b = self._enc(key, ch)
            w = self._widths[(key, ch)] = self.h.HPDF_Font_TextWidth(self.fonts[key], b, len(b)).width
        return w

    def _width(self, runs: list[list[str]], size: float) -> float:
        return sum(self._w(k, ch) for k, run in runs for ch in run) * size / 1000

    def width(self, s: str, size: float) -> float:
        return self._width(self._runs(s, self._face(size)[0]), size)

    def _alpha(self, a: float | None) -> None:
        if a is None:
            return
        gs = self.gstates.get(a)
        if gs is None:
            gs = self.gstates[a] = self.h.HPDF_CreateExtGState(self.doc)
            self.h.HPDF_ExtGState_SetAlphaFill(gs, a)
        self.h.HPDF_Page_GSave(self.page)
        self.h.HPDF_Page_SetExtGState(self.page, gs)

    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0), box=None):
        if not s.strip():
            return
        h, pg = self.h, self.page
        key, fake = self._face(size)
        runs = self._runs(s, key)
        self._alpha(self.alpha)
        h.HPDF_Page_SetRGBFill(pg, *color)
        if fake:
            h.HPDF_Page_SetRGBStroke(pg, *color)
            h.HPDF_Page_SetLineWidth(pg, size / 30)
        h.HPDF_Page_BeginText(pg)
        if fake:
            h.HPDF_Page_SetTextRenderingMode(pg, 2)  # HPDF_FILL_THEN_STROKE
        py = self.ph - y
        if box and len(runs) == 1 and not angle:
            # libHaru aligns the line itself in a box one line high (its own width, its own baseline)
            x0, x1, align = box
            font = self.fonts[runs[0][0]]
            h.HPDF_Page_SetFontAndSize(pg, font, size)
            n = U(0)
            top = py + h.HPDF_Font_GetAscent(font) * size / 1000  # TextRect sets the first baseline an ascent down
            st = h.HPDF_Page_TextRect(pg, x0 - 1, top, x1 + 1, py - size * 0.5, self._enc(*runs[0]), align, C.byref(n))
            if st == INSUFFICIENT_SPACE:
                raise RuntimeError(f"TextRect could not place {runs[0][1]!r}")
        else:
            if angle:
                a = math.radians(angle)
                ca, sa = round(math.cos(a), 6), round(math.sin(a), 6)
                h.HPDF_Page_SetFontAndSize(pg, self.fonts[runs[0][0]], size)
                h.HPDF_Page_SetTextMatrix(pg, ca, sa, -sa, ca, x, py)
                first = False
            else:
                first = True
            for k, run in runs:
                h.HPDF_Page_SetFontAndSize(pg, self.fonts[k], size)
                if first:
                    h.HPDF_Page_TextOut(pg, x, py, self._enc(k, run))
                    first = False
                else:
                    h.HPDF_Page_ShowText(pg, self._enc(k, run))
        if fake:
            h.HPDF_Page_SetTextRenderingMode(pg, 0)
        h.HPDF_Page_EndText(pg)
        if self.alpha is not None:
            h.HPDF_Page_GRestore(pg)
        if self.errors:
            self._check()

    # -- paths ---------------------------------------------------------------------------------------------
    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: tuple = (0, 0, 0)) -> None:
        h, pg = self.h, self.page
        h.HPDF_Page_SetLineWidth(pg, width)
        h.HPDF_Page_SetRGBStroke(pg, *color)
        h.HPDF_Page_MoveTo(pg, x0, self.ph - y0)
        h.HPDF_Page_LineTo(pg, x1, self.ph - y1)
        h.HPDF_Page_Stroke(pg)

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: tuple | None, stroke: tuple | None = None) -> None:
        h, pg = self.h, self.page
        if fill is None and stroke is None:
            return
        if fill is not None:
            h.HPDF_Page_SetRGBFill(pg, *fill)
        if stroke is not None:
            h.HPDF_Page_SetRGBStroke(pg, *stroke)
            h.HPDF_Page_SetLineWidth(pg, 0.8)
        h.HPDF_Page_Rectangle(pg, x0, self.ph - y1, x1 - x0, y1 - y0)
        if fill is not None and stroke is not None:
            h.HPDF_Page_FillStroke(pg)
        elif fill is not None:
            h.HPDF_Page_Fill(pg)
        else:
            h.HPDF_Page_Stroke(pg)


class HaruDrawer(DeckDrawer):
    """draw_common's deck with libHaru users' variations: page sizes, bold headings, rule styles, lines aligned by
    TextRect, furniture drawn with the page or in a second pass over the kept pages."""

    def __init__(self, deck: Deck, c: Canvas, opts: dict) -> None:
        super().__init__(deck, c, {**opts, "page": "A4L"})
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.o = opts
        self.footed: list[int] = []
        self.marked: list[int] = []

    def center(self, s: str, y: float, size: float) -> None:
        while size > 12 and self.c.width(s, size) > self.W - 60:
            size -= 2
        box = (0.0, self.W, 2) if self.o["align"] == "textrect" else None
        self.c.text((self.W - self.c.width(s, size)) / 2, y, s, size, box=box)

    def strategy_map(self) -> None:
        """draw_common's map slide, its date set flush right (MingLiU's 1000-unit digits run past W - 120)."""
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
        self.c.text(self.W * 0.3, self.H * 0.72, "內部資料", 60, self.o["watermark_angle"], color)
        self.c.alpha, self.c.bold = None, None

    def second_pass(self) -> None:
        c, total = self.c, len(self.c.pages)
        for n in range(1, total + 1):
            c.goto(n - 1)
            if self.o["header"] and n > 1:
                c.text(30, 20, self.d.org, 8, color=NAVY)
                c.text(self.W - 30 - c.width("策略地圖與平衡計分卡", 8), 20, "策略地圖與平衡計分卡", 8, color=NAVY)
                c.line(30, 25, self.W - 30, 25, 0.5, NAVY)
            if self.o["footer"] and self.o["footer_pass"] == "second" and n in self.footed:
                self.foot(n, total)
            if self.o["watermark_layer"] == "over" and n in self.marked:
                self.mark()

    def head_height(self, cols: list[Col], xs: list[float]) -> float:
        """draw_common's head, taller when a (bold) label wraps in a narrow column, as on portrait A4."""
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
            box = (b.x0 + 3, b.x1 - 3, 2 if centre else 0) if self.o["align"] == "textrect" else None
            c.text(x, y + pt * 0.95, ln, pt, box=box)
            y += lh
        c.bold = None


def _offpage(pdf: str | Path) -> list[str]:
    """Every character's box against its page box (text placed far off the page, which check() may miss)."""
    import pymupdf

    out = []
    for i, page in enumerate(pymupdf.open(str(pdf)), 1):
        r = page.mediabox  # char boxes are in the unrotated page's space
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
    if opts["rotate_theme"] not in [t.letter for t in deck.themes] or opts["page"] == "A4":
        opts["rotate_theme"] = None
    if opts["font_kind"] == "cnt":
        # a Big5 system stores ≧ ≦ (its ≥ ≤), so that is what the deck prints; the comparator is the same
        for _, _, k in deck.kpis():
            for v in k.values:
                v.text = v.text.replace("≥", "≧").replace("≤", "≦")
    info = None
    if opts["info"] == "title":
        info = {"title": f"{deck.org}策略地圖與平衡計分卡", "author": deck.org}
    elif opts["info"] == "producer":
        info = {"creator": "BSC Report", "producer": f"libHaru {LIBHARU}"}
    while True:
        cv = HaruCanvas(opts)
        drawer = HaruDrawer(deck, cv, opts)
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
