"""Hand-written PostScript distilled by Ghostscript: the path of legacy back-office report programs (mainframe/AS400
report writers, old in-house Perl/C/COBOL programs) that emit PostScript and have it distilled to PDF.  The module
writes a DSC-conforming PostScript program (%%Pages, %%Page per slide, %%BeginPageSetup with `setpagedevice`, a
prolog of the author's own procedures such as `/ctr { dup stringwidth pop 2 div neg 0 rmoveto show } def`) and runs
Debian 12's Ghostscript 10.00.0 (`ps2pdf`, or `gs -sDEVICE=pdfwrite`) on it.

The table is draw_common's (lines broken at any character), measured as such a program measures it: the advance
widths of the TrueType face (its hmtx, the widths Ghostscript uses) or, for ASCII set in Helvetica/Courier, the URW
base-35 face Ghostscript substitutes.  Text is placed by `moveto show`, `ashow` (a small tracking), `xshow` with the
program's advances, or glyph by glyph; centred lines by the prolog's `ctr` (stringwidth) or at computed positions;
strings written as hex (`<...>`) or as escaped literal strings (octal escapes).

CJK: a CIDFont name (/MingLiU, /MSung-Light, /DFKaiShu-SB-Estd-BF, /MKai-Medium, /MHei-Medium) mapped in a private
`cidfmap` (found on the library path: `-I` or GS_LIB; Ghostscript 10 ignores `-sCIDFMAP`) to a TrueType face of
fonts.py with `/CSI [(CNS1) 5]`, composed with UniCNS-UTF16-H, UniCNS-UCS2-H or UniCNS-UTF8-H (poppler-data's CMaps)
by `findfont` of `/Name-CMap` or by `composefont`.  Ghostscript embeds a CID TrueType subset (or the whole face with
SubsetFonts false) and writes a ToUnicode from the CMap.  Quirks found:
- a character the CMap does not map (≥ U+2265, ≤, the Kangxi/Supplement radicals, the compatibility ideographs of
  the deck) is drawn as notdef and *the whole font's ToUnicode collapses* to one useless range (`<0000><0000><0e00>`):
  every character of the page then reads as garbage.  An author sees the missing glyph on the printout and types
  what Big5 systems store (≧ ≦, the unified ideograph), so the program prints those (the deck's comparator is the
  same; `cmap_subst` lists the replacements).
- Noto CJK (CFF OpenType) cannot be used as a cidfmap TrueType entry (invalidfont), so such decks use a TrueType face
  (`cff_refused`).  Identity-H over a TrueType CIDFont (CID = glyph id) would have no Unicode, so it is not drawn.
- pdffonts shows a ToUnicode for a line or two, none for a whole deck: readers take the text through the UniCNS
  CMap (named, or embedded as `Custom` under a PDFSETTINGS) and the CNS1 ordering, and read it right.
- the Debian cidfmap's own entries (ShanHeiSun-Light on uming.ttc subfont 0, CNS1 4) print ASCII 1000 units wide;
  the private cidfmap replaces Debian's (the first `cidfmap` on the search path is read).

Pages: slides (4:3, 16:9, A4 landscape) or an A4 report (portrait or landscape) the program paginates itself by row
heights, the column head repeated on every page or only at the theme's start; a theme's first page may be stored
portrait with the drawing turned (`H 0 translate 90 rotate`), which `-dAutoRotatePages=/PageByPage` (ps2pdf's
default) shows upright by /Rotate and `/None` leaves sideways.  Rules by `moveto lineto stroke`, per-cell
`rectstroke` or thin `rectfill`; grid / horizontal only / none / zebra (`setgray` or rgb fills); turned 構面 labels
(`gsave 90 rotate ... grestore`) or stacked; a running header (org, print date), footers ('- n -', 'n / N', '第 n 頁，
共 N 頁', 'PAGE n') drawn per page by a prolog procedure; a grey diagonal '內部資料' watermark under or over the table.
Distiller options: -dPDFSETTINGS=/default|/prepress|/ebook|/printer, -dSubsetFonts, -dEmbedAllFonts,
-dCompatibilityLevel, -dAutoRotatePages; document info none, DSC %%Title or a /DOCINFO pdfmark (UTF-16 with BOM).
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .draw_common import SIZES, Box, Canvas, DeckDrawer, wrap
from .fonts import TRUETYPE, face_file, printable
from .layout import Col, check, find_pages
from .spec import Deck, fold

GHOSTSCRIPT = "10.00.0"  # `gs --version`; Debian 12's ghostscript 10.0.0~dfsg-11+deb12u9 (README, Setup)
CMAP_DIR = Path("/usr/share/poppler/cMap/Adobe-CNS1")  # poppler-data, linked from Ghostscript's Resource/CMap
PAGE_SIZES = {**SIZES, "A4": (595.0, 842.0)}
CID_NAMES = {
    "AR PL UMing TW": ["MingLiU", "MSung-Light"],
    "AR PL UKai TW": ["DFKaiShu-SB-Estd-BF", "MKai-Medium"],
    "WenQuanYi Zen Hei": ["MHei-Medium", "WenQuanYiZenHei"],
}
CMAPS = ["UniCNS-UTF16-H", "UniCNS-UTF16-H", "UniCNS-UCS2-H", "UniCNS-UTF8-H"]
LATIN = {
    "Helvetica": "/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf",
    "Courier": "/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Regular.otf",
}
BOLD_FACE = "WenQuanYi Zen Hei"
NAVY = (0.12, 0.23, 0.41)
HEAD_FILLS = {"gray": 0.85, "light": (0.85, 0.9, 0.97), "sand": (0.98, 0.93, 0.82)}
ZEBRA_FILLS = {"gray": 0.93, "blue": (0.92, 0.95, 0.98)}
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}", "zh": "第 {n} 頁，共 {N} 頁", "page": "PAGE {n}"}


@cache
def gs_version() -> str:
    try:
        return subprocess.run(["gs", "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except OSError as e:
        raise RuntimeError(f"Ghostscript is not installed: apt-get install -y ghostscript ({e})") from e


@cache
def tool_version(engine: str | None = None) -> str:
    deb = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "ghostscript"], capture_output=True, text=True)
    return f"GPL Ghostscript {gs_version()} pdfwrite (Debian ghostscript {deb.stdout.strip() or 'unknown'})"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.35
    noto = style["font"] not in TRUETYPE
    font = rng.choice(TRUETYPE) if noto else style["font"]
    page = rng.choice(["A4", "A4", "A4L"]) if flow else style["page"]
    footer = rng.choice([None, "dash", "dash", "of", "zh", "page"])
    return {
        "flow": flow,
        "page": page,
        "font_pt": min(style["font_pt"], 8 if page == "A4" else 9) if flow else style["font_pt"],
        "repeat_head": rng.random() < 0.7,
        "font": font,
        "cff_refused": style["font"] if noto else None,
        "cid_name": rng.choice(CID_NAMES[font]),
        "cmap": rng.choice(CMAPS),
        "compose": rng.choice(["findfont", "composefont"]),
        "latin": rng.choice([None, None, None, "Helvetica", "Courier"]),
        "bold": rng.choice(["none", "none", "face"]) if font != BOLD_FACE else "none",
        "show": rng.choice(["show", "show", "ashow", "xshow", "glyphs"]),
        "strings": rng.choice(["hex", "hex", "escaped"]),
        "align": rng.choice(["ctr", "computed"]),
        "rules_as": rng.choice(["lineto", "lineto", "rectstroke", "rectfill"]),
        "rule_width": rng.choice([0.3, 0.5, 0.5, 0.75, 1.0]),
        "gray": rng.random() < 0.5,
        "hdr_fill": rng.choice([None, "gray", "gray", "light", "sand"]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "rotate_theme": rng.choice("ABCD") if not flow and rng.random() < 0.2 else None,
        "header": rng.random() < 0.4,
        "footer": footer,
        "footer_align": rng.choice(["right", "center"]),
        "watermark_layer": rng.choice(["under", "over"]),
        "watermark_angle": rng.choice([30, 45]),
        "logo_badge": rng.random() < 0.5,
        "driver": rng.choice(["ps2pdf", "gs"]),
        "pdfsettings": rng.choice(["/default", "/default", "/prepress", "/ebook", "/printer"]),
        "subset": rng.random() < 0.85,
        "embed_all": rng.choice([None, True]),
        "compat": rng.choice([None, "1.4", "1.5", "1.7"]),
        "autorotate": rng.choice([None, "/PageByPage", "/None", "/All"]),
        "info": rng.choice([None, "dsc", "pdfmark"]),
    }


@cache
def cmap_coverage(name: str) -> frozenset[int]:
    """Code points a Unicode CMap maps to a CID (cidchar and cidrange entries, one level of usecmap)."""
    text = (CMAP_DIR / name).read_text(encoding="latin-1")
    out: set[int] = set()
    utf8 = "UTF8" in name

    def cp(hexcode: str) -> int | None:
        b = bytes.fromhex(hexcode)
        try:
            s = b.decode("utf-8" if utf8 else "utf-16-be")
        except UnicodeDecodeError:
            return None
        return ord(s) if len(s) == 1 else None

    for block in re.findall(r"begincidrange(.*?)endcidrange", text, re.S):
        for lo, hi, _ in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\d+)", block):
            a, b = cp(lo), cp(hi)
            if a is not None and b is not None:
                out.update(range(a, b + 1))
    for block in re.findall(r"begincidchar(.*?)endcidchar", text, re.S):
        for code, _ in re.findall(r"<([0-9a-fA-F]+)>\s*(\d+)", block):
            c = cp(code)
            if c is not None:
                out.add(c)
    for used in re.findall(r"/([\w-]+)\s+usecmap", text):
        out |= cmap_coverage(used)
    return frozenset(out)


@cache
def _metrics(path: str) -> tuple[dict[int, int], float]:
    """cmap -> advance width (font units) and units per em of a font file."""
    from fontTools.ttLib import TTFont

    f = TTFont(path, lazy=True)
    hmtx, cmap = f["hmtx"], f.getBestCmap()
    return {c: hmtx[g][0] for c, g in cmap.items()}, float(f["head"].unitsPerEm)


def _ps_string(data: bytes, how: str) -> str:
    if how == "hex":
        return "<" + data.hex() + ">"
    out = []
    for b in data:
        ch = chr(b)
        if ch in "()\\":
            out.append("\\" + ch)
        elif 0x20 <= b < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\{b:03o}")
    return "(" + "".join(out) + ")"


class PSCanvas:
    """draw_common's canvas written as PostScript operators (y down in, PostScript y up out)."""

    def __init__(self, opts: dict) -> None:
        self.o = opts
        self.cov = cmap_coverage(opts["cmap"])
        self.enc = "utf-8" if "UTF8" in opts["cmap"] else "utf-16-be"
        self.faces = {"cjk": opts["font"], "bold": BOLD_FACE if opts["bold"] == "face" else opts["font"]}
        self.pages: list[dict] = []
        self.ops: list[str] = []
        self.ph = 0.0
        self.bold: bool | None = None  # None: titles (16 pt and more) bold
        self.subst: dict[str, str] = {}
        self._cur_font: tuple | None = None
        self._cur_color: tuple | float | None = None

    # -- pages ---------------------------------------------------------------------------------------------
    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        self.ops = []
        self.pages.append({"w": w, "h": h, "rot": rotated, "ops": self.ops, "under": [], "over": []})
        self.ph = h
        self._cur_font = self._cur_color = None

    def goto(self, i: int, layer: str = "ops") -> None:
        self.ops = self.pages[i][layer]
        self.ph = self.pages[i]["h"]
        self._cur_font = self._cur_color = None

    # -- text ----------------------------------------------------------------------------------------------
    def _char(self, ch: str, key: str) -> str:
        """The character the program prints: one the CMap maps and the face draws (what the author retyped)."""
        face = self.faces[key]
        if ord(ch) in self.cov and ch in printable(ch, face):
            return ch
        for c in ({"≥": "≧", "≤": "≦"}.get(ch, ""), fold(ch)):
            if len(c) == 1 and ord(c) in self.cov and c in printable(c, face):
                self.subst[ch] = c
                return c
        raise ValueError(f"{ch!r} (U+{ord(ch):04X}) is not in {self.o['cmap']} or {face}")

    def _face(self, size: float) -> str:
        bold = size >= 16 if self.bold is None else self.bold
        return "bold" if bold and self.o["bold"] == "face" else "cjk"

    def _runs(self, s: str, key: str) -> list[list[str]]:
        runs: list[list[str]] = []
        for ch in s:
            k = "latin" if self.o["latin"] and " " <= ch <= "~" else key
            ch = ch if k == "latin" else self._char(ch, key)
            if runs and runs[-1][0] == k:
                runs[-1][1] += ch
            else:
                runs.append([k, ch])
        return runs

    def _adv(self, key: str, ch: str, size: float) -> float:
        path = LATIN[self.o["latin"]] if key == "latin" else face_file(self.faces[key])
        widths, upem = _metrics(path)
        return widths.get(ord(ch), upem / 2) * size / upem

    def _track(self, size: float) -> float:
        return round(size * 0.02, 3) if self.o["show"] == "ashow" else 0.0

    def width(self, s: str, size: float) -> float:
        runs = self._runs(s, self._face(size))
        return sum(self._adv(k, ch, size) + self._track(size) for k, run in runs for ch in run)

    def _setfont(self, key: str, size: float) -> None:
        if self._cur_font != (key, size):
            name = {"latin": "/FL", "bold": "/FB"}.get(key, "/FC")
            self.ops.append(f"{name} {size:g} sf")
            self._cur_font = (key, size)

    def _color(self, color) -> None:
        if color != self._cur_color:
            if isinstance(color, float) or len(set(color)) == 1:
                g = color if isinstance(color, float) else color[0]
                self.ops.append(f"{g:.3g} setgray")
            elif self.o["gray"] and not isinstance(color, float):
                r, g, b = color
                self.ops.append(f"{0.3 * r + 0.59 * g + 0.11 * b:.3g} setgray")
            else:
                self.ops.append("{:.3g} {:.3g} {:.3g} setrgbcolor".format(*color))
            self._cur_color = color

    def _bytes(self, key: str, s: str) -> bytes:
        return s.encode("latin-1" if key == "latin" else self.enc)

    def _show(self, key: str, run: str, size: float) -> None:
        """Show one run at the current point the deck's way."""
        how, sx = self.o["show"], self.o["strings"]
        if how == "glyphs":
            for ch in run:
                self.ops.append(f"{_ps_string(self._bytes(key, ch), sx)} show")
            return
        data = _ps_string(self._bytes(key, run), sx)
        if how == "ashow":
            self.ops.append(f"{self._track(size):g} 0 {data} ashow")
        elif how == "xshow":
            advs = " ".join(f"{self._adv(key, ch, size):.2f}" for ch in run)
            self.ops.append(f"{data} [{advs}] xshow")
        else:
            self.ops.append(f"{data} show")

    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color=(0, 0, 0), centre=None) -> None:
        if not s.strip():
            return
        key = self._face(size)
        runs = self._runs(s, key)
        self._color(color)
        py = self.ph - y
        if angle:
            self.ops.append(f"gsave {x:.2f} {py:.2f} translate {angle} rotate 0 0 moveto")
            self._cur_font = None
            for k, run in runs:
                self._setfont(k, size)
                self._show(k, run, size)
            self.ops.append("grestore")
            self._cur_font = None
            return
        if centre is not None and len(runs) == 1 and self.o["show"] == "show":
            # the program centres the line itself: stringwidth of the string, half of it back
            self._setfont(runs[0][0], size)
            data = _ps_string(self._bytes(*runs[0]), self.o["strings"])
            self.ops.append(f"{centre:.2f} {py:.2f} moveto {data} ctr")
            return
        self.ops.append(f"{x:.2f} {py:.2f} moveto")
        for k, run in runs:
            self._setfont(k, size)
            self._show(k, run, size)

    # -- paths ---------------------------------------------------------------------------------------------
    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color=(0, 0, 0)) -> None:
        self._color(color)
        ph = self.ph
        self.ops.append(f"{width:g} setlinewidth {x0:.2f} {ph - y0:.2f} moveto {x1:.2f} {ph - y1:.2f} lineto stroke")

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill, stroke=None) -> None:
        ph = self.ph
        box = f"{x0:.2f} {ph - y1:.2f} {x1 - x0:.2f} {y1 - y0:.2f}"
        if fill is not None:
            self._color(fill)
            self.ops.append(f"{box} rectfill")
        if stroke is not None:
            self._color(stroke)
            self.ops.append(f"0.8 setlinewidth {box} rectstroke")

    def boxstroke(self, x0: float, y0: float, x1: float, y1: float, width: float) -> None:
        self._color((0, 0, 0))
        self.ops.append(f"{width:g} setlinewidth {x0:.2f} {self.ph - y1:.2f} {x1 - x0:.2f} {y1 - y0:.2f} rectstroke")

    # -- the program ---------------------------------------------------------------------------------------
    def program(self, deck: Deck, info: str | None) -> str:
        o = self.o
        n = len(self.pages)
        sizes = {(p["w"], p["h"]) for p in self.pages}
        out = ["%!PS-Adobe-3.0", "%%Creator: BSCRPT 2.1 (report writer)", f"%%Pages: {n}"]
        if info == "dsc":
            out.append(f"%%Title: BSC{deck.plan_year} scorecard report")
        w0, h0 = max(sizes)
        out += [f"%%BoundingBox: 0 0 {int(w0)} {int(h0)}", "%%DocumentData: Clean7Bit", "%%EndComments"]
        out += ["%%BeginProlog", "/sf { exch findfont exch scalefont setfont } bind def"]
        out += [
            "/ctr { dup stringwidth pop 2 div neg 0 rmoveto show } bind def",
            "/rshow { dup stringwidth pop neg 0 rmoveto show } bind def",
            "%%EndProlog",
            "%%BeginSetup",
        ]
        cmap, cid = o["cmap"], o["cid_name"]
        for fname, face in (("FC", o["font"]), ("FB", BOLD_FACE if o["bold"] == "face" else None)):
            if face is None:
                out.append(f"/{fname} /FC findfont definefont pop")
                continue
            name = cid if fname == "FC" else "MHei-Medium"
            if o["compose"] == "composefont":
                out.append(f"/{fname} /{cmap} [/{name} /CIDFont findresource] composefont pop")
            else:
                out.append(f"/{fname} /{name}-{cmap} findfont definefont pop")
        if o["latin"]:
            out.append(f"/FL /{o['latin']} findfont definefont pop")
        if info == "pdfmark":
            title = f"{deck.org}策略地圖與平衡計分卡"
            t = "<feff" + title.encode("utf-16-be").hex() + ">"
            a = "<feff" + deck.org.encode("utf-16-be").hex() + ">"
            out.append(f"[ /Title {t} /Author {a} /Creator (BSCRPT 2.1) /DOCINFO pdfmark")
        if len(sizes) == 1 and not any(p["rot"] for p in self.pages):
            out.append(f"<< /PageSize [{w0:g} {h0:g}] >> setpagedevice")
        out.append("%%EndSetup")
        for i, p in enumerate(self.pages, 1):
            out.append(f"%%Page: {i} {i}")
            w, h = (p["h"], p["w"]) if p["rot"] else (p["w"], p["h"])
            if len(sizes) > 1 or any(q["rot"] for q in self.pages):
                out += ["%%BeginPageSetup", f"<< /PageSize [{w:g} {h:g}] >> setpagedevice", "%%EndPageSetup"]
            out.append("save")
            if p["rot"]:
                out.append(f"{p['h']:g} 0 translate 90 rotate")
            out += p["under"] + p["ops"] + p["over"]
            out.append("restore showpage")
        out += ["%%Trailer", "%%EOF", ""]
        return "\n".join(out)


class PSDrawer(DeckDrawer):
    """draw_common's deck with the report program's variations: pages, head repeated or not, rule styles, centred
    lines by the prolog's `ctr`, running header/footer/page numbers drawn once the page count is known."""

    def __init__(self, deck: Deck, c: Canvas, opts: dict) -> None:
        super().__init__(deck, c, {**opts, "page": "A4L"})
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.o = opts
        self.footed: list[int] = []
        self.marked: list[int] = []
        self.cont_page = False

    def center(self, s: str, y: float, size: float) -> None:
        while size > 12 and self.c.width(s, size) > self.W - 60:
            size -= 2
        ctr = self.W / 2 if self.o["align"] == "ctr" else None
        self.c.text((self.W - self.c.width(s, size)) / 2, y, s, size, centre=ctr)

    def strategy_map(self) -> None:
        """draw_common's map slide, its date set flush right."""
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

    def foot(self, n: int, total: int) -> None:
        c, grey = self.c, (0.4, 0.4, 0.4)
        c.line(30, self.H - 28, self.W - 30, self.H - 28, 0.5, (0.6, 0.6, 0.6))
        c.text(30, self.H - 16, f"{self.d.org}｜策略地圖與平衡計分卡", 7, color=grey)
        s = FOOTERS[self.o["footer"]].format(n=n, N=total)
        w = c.width(s, 7)
        right = self.o["footer_align"] == "right"
        x = self.W - 30 - w if right else (self.W - w) / 2
        c.text(x, self.H - 16, s, 7, color=grey, centre=None if right or self.o["align"] != "ctr" else self.W / 2)

    def watermark(self) -> None:
        self.marked.append(self.page_no)

    def mark(self) -> None:
        self.c.bold = False
        self.c.text(self.W * 0.3, self.H * 0.72, "內部資料", 60, self.o["watermark_angle"], (0.82, 0.82, 0.82))
        self.c.bold = None

    def second_pass(self) -> None:
        c, total = self.c, len(self.c.pages)
        date = f"{self.d.plan_year}/{self.d.map_date.split('.')[1]}/{self.d.map_date.split('.')[2]}"
        for n in range(1, total + 1):
            if self.o["header"] and n > 1:
                c.goto(n - 1, "over")
                c.text(30, 20, self.d.org, 8, color=NAVY)
                s = f"列印日期：{date}"
                c.text(self.W - 30 - c.width(s, 8), 20, s, 8, color=NAVY)
                c.line(30, 25, self.W - 30, 25, 0.5, NAVY)
            if self.o["footer"] and n in self.footed:
                c.goto(n - 1, "over")
                self.foot(n, total)
            if n in self.marked:
                c.goto(n - 1, "under" if self.o["watermark_layer"] == "under" else "over")
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

    def table(self, rows, prev, cols, xs, top, head_h) -> None:
        # a report whose head is printed at the theme's start only: continuation pages start with the rows
        self.cont_page = bool(prev) and not self.o["repeat_head"]
        super().table(rows, prev, cols, xs, top, head_h)
        self.cont_page = False

    def paint(self, boxes: list[Box], rows, ys, xs) -> None:
        if self.cont_page:
            boxes = [b for b in boxes if not (b.header and b.x1 - b.x0 < xs[-1] - xs[0] - 1)]
        if self.d.style["rules"] == "zebra":
            fill = ZEBRA_FILLS[self.o["zebra_fill"]]
            for i, ((y0, y1), r) in enumerate(zip(ys, rows)):
                if r.kind == "kpi" and i % 2 == 1:
                    self.c.rect(xs[0], y0, xs[-1], y1, fill)
        if self.d.style["rules"] == "grid" and self.o["rules_as"] == "rectstroke":
            for b in boxes:
                if b.header and self.o["hdr_fill"]:
                    self.c.rect(b.x0, b.y0, b.x1, b.y1, HEAD_FILLS[self.o["hdr_fill"]])
            for b in boxes:
                self.c.boxstroke(b.x0, b.y0, b.x1, b.y1, self.o["rule_width"])
            for b in boxes:
                self.label(b)
            return
        saved = self.o
        self.o = {**saved, "hdr_fill": HEAD_FILLS.get(saved["hdr_fill"] or "", 1.0)}
        try:
            super().paint(boxes, [], [], xs)
        finally:
            self.o = saved

    def rule(self, x0: float, y0: float, x1: float, y1: float, as_rect: bool) -> None:
        w = self.o["rule_width"]
        if self.o["rules_as"] == "rectfill":
            self.c.rect(x0 - w / 2, y0 - w / 2, x1 + w / 2, y1 + w / 2, (0.0, 0.0, 0.0))
        else:
            self.c.line(x0, y0, x1, y1, w, (0.0, 0.0, 0.0))

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
            ctr = (b.x0 + b.x1) / 2 if centre and self.o["align"] == "ctr" else None
            c.text(x, y + pt * 0.95, ln, pt, centre=ctr)
            y += lh
        c.bold = None


def _cidfmap(opts: dict) -> str:
    def entry(name: str, face: str) -> str:
        return f"/{name} << /FileType /TrueType /Path ({face_file(face)}) /SubfontID 0 /CSI [(CNS1) 5] >> ;"

    lines = [entry(opts["cid_name"], opts["font"])]
    if opts["bold"] == "face":
        lines.append(entry("MHei-Medium", BOLD_FACE))
    return "\n".join(lines) + "\n"


def distill(ps: Path, pdf: Path, opts: dict, libdir: Path) -> None:
    flags = [f"-dPDFSETTINGS={opts['pdfsettings']}"]
    if not opts["subset"]:
        flags.append("-dSubsetFonts=false")
    if opts["embed_all"]:
        flags.append("-dEmbedAllFonts=true")
    if opts["compat"]:
        flags.append(f"-dCompatibilityLevel={opts['compat']}")
    if opts["autorotate"]:
        flags.append(f"-dAutoRotatePages={opts['autorotate']}")
    env = dict(os.environ)
    if opts["driver"] == "ps2pdf":
        env["GS_LIB"] = str(libdir)
        cmd = ["ps2pdf", *flags, str(ps), str(pdf)]
    else:
        cmd = ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", f"-I{libdir}", *flags]
        cmd += [f"-sOutputFile={pdf}", str(ps)]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    if r.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"Ghostscript failed ({r.returncode}): {(r.stdout + r.stderr)[-800:]}")


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide; a report is cut by row heights
    only).  Text run past the page makes the type smaller.  Returns the options used."""
    if gs_version() != GHOSTSCRIPT:
        raise RuntimeError(f"Ghostscript {GHOSTSCRIPT} is wanted, gs is {gs_version()}")
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    if opts["flow"]:
        opts["max_rows"] = 99
    opts.setdefault("max_rows", st["max_rows"])
    opts["rules"] = st["rules"]
    if opts["rotate_theme"] not in [t.letter for t in deck.themes] or opts["page"] == "A4":
        opts["rotate_theme"] = None
    out_pdf = Path(out_pdf)
    # ≥ ≤ are not in the UniCNS CMaps: the program prints ≧ ≦, as Big5 systems store them (same comparator)
    for _, _, k in deck.kpis():
        for v in k.values:
            v.text = v.text.replace("≥", "≧").replace("≤", "≦")
    with tempfile.TemporaryDirectory(prefix="r_postscript-") as tmp:
        libdir = Path(tmp)
        (libdir / "cidfmap").write_text(_cidfmap(opts), encoding="ascii")
        while True:
            cv = PSCanvas(opts)
            drawer = PSDrawer(deck, cv, opts)
            drawer.draw()
            drawer.second_pass()
            ps = libdir / f"{deck.stem}.ps"
            ps.write_text(cv.program(deck, opts["info"]), encoding="ascii")
            distill(ps, out_pdf, opts, libdir)
            find_pages(out_pdf, deck)
            problems = check(out_pdf, deck)
            if any("outside the page" in p for p in problems) and opts["font_pt"] > 6:
                opts["font_pt"] -= 1
                continue
            break
    opts["cmap_subst"] = "".join(f"{a}{b}" for a, b in sorted(cv.subst.items()))
    opts["problems"] = problems
    return opts
