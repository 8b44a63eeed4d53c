r"""ConTeXt renderer: the deck as a ConTeXt source typeset by `context` (LMTX on LuaMetaTeX, or MkIV on LuaTeX).

ConTeXt is the TeX macro package outside the LaTeX world, with its own tables, font set-up, page layout and (in
LMTX) a PDF backend written in Lua.  This module writes the source and reads back where rows landed.

Engines (engine): 'lmtx': ConTeXt 2025.09.19 on LuaMetaTeX 2.11.08, a standalone tree made by `install` from
Debian unstable's packages (DEBS: context 2025.09.21.20251026+dfsg-1, luametatex 2.11.08+ds-1 with its
libmimalloc3, and Debian 13's glibc, which that engine build needs: patchelf points it there); 'mkiv': Debian 12's
own `context` (ConTeXt 2021.03.05 MkIV on LuaTeX 1.15, LuaTeX's PDF backend).  Debian 13's pair (context
2024.04.01, i.e. ConTeXt 2024.02.27, with LuaMetaTeX 2.11.01, built here from its source) fails on every \framed
(a Lua error on rule options), and the LuaMetaTeX releases around these trees built from source (2.11.02, 2.11.07,
2.11.08) do not make a format from them, hence Debian unstable's own build of the engine.

Pages: `\definepapersize` with the slide or A4 sheet, `\setuplayout` margins with room for a header and a
footer line.  ConTeXt puts the page number at the top centre of every page by default (kept by footer
'default', or moved to the foot with a running title); other decks put 'n / N' (\lastpagenumber, known from the
run before: `context` runs twice) or '- n -' in a footer, or no number.  The cover and the closing page are
`standardmakeup` pages: no header, footer nor number, and not counted, so the profile page is printed '1' and N
is two short of the pages in the file.  Slides: each theme's table cut into slides of `max_rows` KPI rows,
`\page` between, the budget lowered until no table runs over its slide.  Flow: one table per theme that ConTeXt
splits over pages itself, the header rows repeated on every page or not (natural tables: `split=yes` and
`header=repeat`; xtables: `split=repeat`, their `header=repeat` applying to split floats only), themes starting a
page or following on after `\testpage`.  ConTeXt never splits a row, nor the rows under a row-spanning cell: a
group taller than the page runs off its foot (then the type is made smaller, or the spans dropped).  With a
running title each theme starts with a `\definehead` heading whose title `\setupheadertexts` repeats in the
header of every page of the theme (a bare \marking before a split table is lost).

Tables (table): natural tables (`\bTABLE`, \bTABLEhead/\bTABLEbody, `nc=`/`nr=` spans, `\setupTABLE[c][n]`
widths, zebra fills per row or by `\setupTABLE[r][even]`, which counts the header row) or xtables
(`\startxtable`, `nx=`/`ny=`, per-cell widths, zebra rows by a named `\setupxtable`).  Rules: a framed grid
(`frame=on`), rules above and below every cell (hrules: `topframe`/`bottomframe`), or none (with zebra a navy
rule under the header); header and band fills.  構面 labels turned by `\rotate[rotation=90]`, stacked one
character a line (`\crlf`) or band rows; a two-row header with 實際值 spanning the year columns (`nc=3`/`nx=3`)
where the deck's style asks for it; 構面/策略目標 as row-spanning cells (spans) or repeated blank cells.  TeX lets
an unbreakable number or code run over the next cell, so the type is first made smaller until none is wider than
its column.

Fonts: one face of fonts.py (Noto CJK as CFF, the others TrueType) by file name in a typescript (Serif and
SerifBold the same face); with latin 'gyre' the text is TeX Gyre Heros and the CJK face a `\definefontfallback`
for the CJK ranges, so a line mixes two fonts.  Headings are the regular face (bold 'none') or LMTX's synthetic
bold (`effect`: the glyphs filled and stroked, `2 Tr` with a line width).  Chinese line breaking is ConTeXt's
hanzi script (`\setscript[hanzi]`, with `\mainlanguage[cn]`): without it no line breaks between ideographs at
all (a cell's text runs out of its column); with it a break between two CJK characters (full-width digits too:
'９３．|３％'), not before closing nor after opening punctuation, and none between a digit or a Latin letter and
an ideograph ('1,380,398元' stays whole); the glue between ideographs stretches, so justified and centred cells
show letter-spaced lines, which text extraction may read as spaces (also after '(' before an ideograph).

PDF (1.7; LMTX Producer 'LuaMetaTeX', MkIV 'LuaTeX-1.15' with Creator 'ConTeXt MkIV'): fonts Type0 Identity-H,
CFF faces as CIDFontType0C and TrueType ones as CIDFontType2, with a ToUnicode map.  LMTX renumbers the glyphs of
a subset from 1 in order of use, one code per character, and sets text at `10 Tf` scaled by the Tm matrix; MkIV
keeps the face's glyph ids as codes (one ToUnicode entry per glyph), so where a Noto CJK deck prints a Kangxi
radical lookalike, every occurrence of the ideograph that shares its glyph (行, 方 ...) reads as the radical in
the text layer.  Lines are TJ arrays with kerns for the inter-ideograph glue.  A cell paints its background
(`re f`), then its text, then its own frame sides, each a separate `q 1 0 0 1 x y cm 0 0 m w 0 l S Q` segment
(a grid strokes every inner edge twice).  The watermark is a page background overlay: first in every page's
content, under the fills (gray, or red under an ExtGState alpha); the header and footer come before the body.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

from .draw_common import SIZES
from .fonts import face_file, printable
from .layout import (
    Col,
    Row,
    check,
    chunk,
    columns,
    continues,
    find_pages,
    overflows_bottom,
    runs,
    theme_rows,
    theme_title,
)
from .spec import BSC_ORDER, Deck

# Pinned: `context --version` reports these (README, Setup).
LMTX = "2025.09.19 18:32"  # Debian unstable's context 2025.09.21.20251026+dfsg-1, run by LuaMetaTeX 2.11.08
MKIV = "2021.03.05 19:11"  # Debian 12's context 2021.03.05.20230120+dfsg-1+deb12u1, on LuaTeX 1.15
DEBS = {  # what `install` unpacks into the standalone LMTX tree
    "context": "2025.09.21.20251026+dfsg-1",
    "luametatex": "2.11.08+ds-1",
    "libmimalloc3": "3.6.0+ds-1",
    "libc6": "2.41-12+deb13u5",
}
SUITES = ["sid", "trixie"]
PAGE_SIZES = {**SIZES, "A4": (595.0, 842.0)}  # a flowing document may be a portrait A4 report
COLOURS = {"navy": "1f3a68", "headfill": "dce6f2", "bandfill": "c9d9ec", "zebra": "eef2f7", "rule": "555555"}
GYRE = "texgyreheros-regular.otf"
GYRE_FILE = f"/usr/share/texmf/fonts/opentype/public/tex-gyre/{GYRE}"  # Debian 12's fonts-texgyre
# what the CJK face draws when Latin text is set in TeX Gyre Heros (latin 'gyre')
CJK_RANGES = [
    (0x2E80, 0x2FDF),  # CJK radicals supplement, Kangxi radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFF00, 0xFFEF),  # full-width forms
    (0x2266, 0x2267),  # ≦ ≧
]
SPECIAL = {
    "\\": r"\letterbackslash{}",
    "{": r"\letteropenbrace{}",
    "}": r"\letterclosebrace{}",
    "$": r"\letterdollar{}",
    "&": r"\letterampersand{}",
    "#": r"\letterhash{}",
    "^": r"\letterhat{}",
    "_": r"\letterunderscore{}",
    "%": r"\letterpercent{}",
    "~": r"\lettertilde{}",
    "|": r"\letterbar{}",
}


def install_dir() -> Path:
    return Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "context"


def _bin(engine: str) -> Path | None:
    if engine == "mkiv":
        return None
    b = install_dir() / "tex" / "texmf-linux-64" / "bin"
    if not (b / "luametatex").exists():
        raise RuntimeError("ConTeXt LMTX is not installed: python -m tests.realtools.r_context install (README, Setup)")
    return b


def _env(engine: str) -> dict[str, str]:
    """The environment `context` runs in: the private LMTX tree first on PATH, or the system's MkIV only."""
    env = dict(os.environ)
    b = _bin(engine)
    path = [p for p in env.get("PATH", "").split(":") if p and "texmf-linux-64" not in p]
    env["PATH"] = ":".join(([str(b)] if b else []) + path)
    return env


@cache
def tool_version(engine: str | None = None) -> str:
    engine = engine or "lmtx"
    env = _env(engine)
    out = subprocess.run(["context", "--version"], capture_output=True, text=True, env=env, timeout=120).stdout
    ver = re.findall(r"current version: (.+)", out)
    ver = ver[-1].strip() if ver else "unknown"
    if engine == "mkiv":
        tex = subprocess.run(["luatex", "--version"], capture_output=True, text=True, timeout=60).stdout
        return f"ConTeXt {ver} MkIV, {tex.splitlines()[0].strip()}"
    tex = subprocess.run(["luametatex", "--version"], capture_output=True, text=True, env=env, timeout=60).stdout
    return f"ConTeXt {ver} LMTX, {tex.splitlines()[0].removeprefix('This is ').strip()}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.45
    slide = style["page"] if style["page"] in ("4:3", "16:9") else rng.choice(["4:3", "16:9"])
    running = flow and rng.random() < 0.4
    engine = rng.choice(["lmtx", "lmtx", "lmtx", "mkiv"])
    rules = style["rules"]
    return {
        "engine": engine,
        "flow": flow,
        "page": rng.choice(["A4L", "A4L", "A4", slide]) if flow else slide,
        "font_pt": max(style["font_pt"], rng.choice([8, 9, 10])) if flow else style["font_pt"],
        "table": rng.choice(["natural", "natural", "xtable"]),
        "latin": rng.choice(["face", "face", "gyre"]),
        "bold": rng.choice(["none", "effect"]) if engine == "lmtx" else "none",
        "repeat_header": rng.random() < 0.75,
        "spans": rng.random() < 0.75,
        "header_fill": rules != "none" and rng.random() < 0.7,
        "zebra_by": rng.choice(["row", "setup"]),
        "offset": rng.choice([1.5, 2, 3]),
        "rule_pt": rng.choice([0.4, 0.5, 0.8]),
        "align": rng.choice(["flushleft", "flushleft", "normal"]),
        "running_title": running,
        "theme_break": running or not flow or rng.random() < 0.5,
        "title_bar": rng.random() < 0.35,
        "footer": rng.choice(["default", "default", "n_of_m", "dash", None]),
        "watermark_transparent": rng.random() < 0.5,
    }


def tex(s: str, face: str, br: str = r"\crlf ") -> str:
    s = printable(s, face)
    return "\n".join("".join(SPECIAL.get(c, c) for c in line) for line in s.split("\n")).replace("\n", br)


class Source:
    """The ConTeXt source of one typesetting of the deck."""

    def __init__(self, deck: Deck, opts: dict) -> None:
        self.d, self.o, self.st = deck, opts, deck.style
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.pt = float(opts["font_pt"])
        self.face = opts["font"]
        self.side = 26.0 if self.W > self.H else 30.0
        self.textwidth = self.W - 2 * self.side

    def t(self, s: str, br: str = r"\crlf ") -> str:
        return tex(s, self.face, br)

    # --- set-up ------------------------------------------------------------------------------------------

    def fonts(self) -> list[str]:
        o = self.o
        file = Path(face_file(self.face)).name
        out = []
        bold = "default"
        if o["bold"] == "effect":
            out.append(r"\definefontfeature[deckbold][default][effect={width=0.25}]")
            bold = "deckbold"
        if o["latin"] == "gyre":
            ranges = ",".join(f"0x{a:04X}-0x{b:04X}" for a, b in CJK_RANGES)
            out += [
                rf"\definefontfallback[deckcjk][file:{file}*default][{ranges}][force=yes]",
                rf"\definefontfallback[deckcjkbold][file:{file}*{bold}][{ranges}][force=yes]",
                r"\starttypescript[sans][deckface]",
                rf"  \definefontsynonym[Sans][file:{GYRE}][features=default,fallbacks=deckcjk]",
                rf"  \definefontsynonym[SansBold][file:{GYRE}][features={bold},fallbacks=deckcjkbold]",
                r"\stoptypescript",
                r"\definetypeface[deck][ss][sans][deckface][default]",
                rf"\setupbodyfont[deck,ss,{self.pt:g}pt]",
            ]
        else:
            out += [
                r"\starttypescript[serif][deckface]",
                rf"  \definefontsynonym[Serif][file:{file}][features=default]",
                rf"  \definefontsynonym[SerifBold][file:{file}][features={bold}]",
                r"\stoptypescript",
                r"\definetypeface[deck][rm][serif][deckface][default]",
                rf"\setupbodyfont[deck,rm,{self.pt:g}pt]",
            ]
        return out

    def layout(self) -> list[str]:
        o = self.o
        head = 30 if o["running_title"] else 14
        out = [
            rf"\definepapersize[deck][width={self.W:g}bp,height={self.H:g}bp]",
            r"\setuppapersize[deck][deck]",
            rf"\setuplayout[backspace={self.side:g}bp,width=middle,topspace=14bp,header={head}bp,"
            r"headerdistance=4bp,footer=14bp,footerdistance=4bp,height=middle]",
            *(rf"\definecolor[{k}][h={v}]" for k, v in COLOURS.items()),
            r"\setupwhitespace[none]\setupindenting[no]",
        ]
        foot = o["footer"]
        if foot == "default" and o["running_title"]:
            out.append(r"\setuppagenumbering[location={footer,middle}]")
        elif foot in ("n_of_m", "dash", None):
            out.append(r"\setuppagenumbering[location=]")
        org = self.t(self.d.org)
        if foot == "n_of_m":
            out.append(
                rf"\setupfootertexts[{{{org}｜策略地圖與平衡計分卡}}][{{\pagenumber\ / \lastpagenumber}}]"
                r"\setupfooter[style=\tfxx,color=darkgray]"
            )
        elif foot == "dash":
            out.append(r"\setupfootertexts[{- \pagenumber\ -}]\setupfooter[style=\tfx]")
        out.append(
            r"\definehead[themetitle][subject][style=\bfb,color=navy,before={\blank[small]},after={\blank[small]}]"
        )
        if o["running_title"]:
            out.append(r"\setupheadertexts[themetitle]\setupheader[style=\bfa,color=navy]")
        if self.st["watermark"]:
            colour = r"\definecolor[wmark][r=.8,g=.3,b=.3,a=1,t=.8]" if o["watermark_transparent"] else ""
            colour = colour or r"\definecolor[wmark][s=.88]"
            out += [
                colour,
                r"\defineoverlay[watermark][{\framed[frame=off,width=\overlaywidth,height=\overlayheight,"
                r"align={middle,lohi}]{\rotate[rotation=30]{\color[wmark]{\definedfont[Sans at 60pt]內部資料}}}}]"
                if o["latin"] == "gyre"
                else r"\defineoverlay[watermark][{\framed[frame=off,width=\overlaywidth,height=\overlayheight,"
                r"align={middle,lohi}]{\rotate[rotation=30]{\color[wmark]{\definedfont[Serif at 60pt]內部資料}}}}]",
                r"\setupbackgrounds[page][background=watermark]",
            ]
        return out

    # --- pages -------------------------------------------------------------------------------------------

    def front(self) -> list[str]:
        d = self.d
        out = [
            r"\startstandardmakeup[align=middle]",
            r"\vfill{\definedfont[" + self._font() + r" at 28pt]\color[navy]{" + self.t(d.org) + r"}}\blank[big]",
            r"{\definedfont[" + self._font() + r" at 24pt]策略地圖與平衡計分卡}\vfill",
            r"\stopstandardmakeup",
            r"{\bfc\color[navy]{" + self.t(d.org) + r"轄區概況}}\blank[big]",
        ]
        out += [r"{\tfb " + self.t(x) + r"}\blank[medium]" for x in d.profile_lines]
        out += [r"\page", r"{\bfc\color[navy]{" + self.t(d.org) + r"策略地圖}}\hfill{\tfb " + d.map_date + r"}\par"]
        out.append(r"\blank[medium]{\tf 願景：" + self.t("、".join(t.shown for t in d.themes)) + r"}\blank[medium]")
        per = {p: [o.shown for t in d.themes for o in t.objectives if o.perspective == p] for p in BSC_ORDER}
        per = {p: v for p, v in per.items() if v}
        n = max(len(v) for v in per.values())
        w = (self.textwidth - 66 - 5 * n - 4) / n
        out.append(r"\bTABLE[offset=4bp,frame=on,framecolor=navy,align={middle,lohi},columndistance=5bp]")
        out.append(rf"\setupTABLE[c][1][width=66bp]\setupTABLE[c][each][width={w:.1f}bp]")
        for p, objs in per.items():
            cells = "".join(rf"\bTD {self.t(x)} \eTD " for x in objs)
            if len(objs) < n:
                cells += rf"\bTD[nc={n - len(objs)},frame=off] \eTD"
            out.append(
                r"\bTR \bTD[width=66bp,background=color,backgroundcolor=navy,color=white,style=bold] "
                + p
                + r"構面 \eTD "
                + cells
                + r" \eTR"
            )
        out.append(r"\eTABLE")
        out.append(r"\page")
        return out

    def closing(self) -> list[str]:
        return [
            r"\startstandardmakeup[align=middle]",
            r"\vfill{\definedfont[" + self._font() + r" at 36pt]敬請指教}\vfill",
            r"\stopstandardmakeup",
        ]

    def _font(self) -> str:
        return "Sans" if self.o["latin"] == "gyre" else "Serif"

    def title(self, s: str) -> str:
        """A theme title: a bar, or navy bold text; with a logo caption, a borderless two-cell table whose right
        cell is the caption, boxed."""
        s = self.t(s)
        bar = "background=color,backgroundcolor=navy,color=white" if self.o["title_bar"] else "color=navy"
        if not self.st["logo"]:
            if self.o["title_bar"]:
                return rf"\framed[frame=off,{bar},align=flushleft,width=\textwidth,offset=3bp]{{\bfb {s}}}\blank[small]"
            return rf"\noindent{{\bfb\color[navy]{{{s}}}}}\par\blank[small]"
        w = self.textwidth
        return (
            rf"\bTABLE[frame=off,offset=3bp,align={{flushleft,lohi}}]\bTR"
            rf"\bTD[width={w * 0.78:.1f}bp,{bar},style=\bfb] {s} \eTD"
            rf"\bTD[width={w * 0.02:.1f}bp] \eTD"
            rf"\bTD[width={w * 0.2:.1f}bp,frame=on,framecolor=navy,align={{middle,lohi}},color=navy,style=\tfa] "
            + self.t(self.d.short)
            + r" \eTD\eTR\eTABLE\blank[small]"
        )

    # --- tables ------------------------------------------------------------------------------------------

    def widths(self, cols: list[Col]) -> dict[str, float]:
        tot = sum(c.weight for c in cols)
        usable = self.textwidth - 2
        return {c.id: usable * c.weight / tot for c in cols}

    def cells(self, rows: list[Row], prev: list[Row], cols: list[Col]) -> list[tuple[str, list[tuple[dict, str]]]]:
        """Table body as rows of (row kind, [(cell settings, content)]): spans, turned labels, band rows."""
        st, o = self.st, self.o
        spans = {key: dict(runs(rows, key)) for key in ("persp", "obj")}
        covered = {(i, key) for key in spans for s, n in spans[key].items() for i in range(s + 1, s + n)}
        out: list[tuple[str, list[tuple[dict, str]]]] = []
        kpis = 0
        for i, r in enumerate(rows):
            if r.kind == "band":
                out.append(("band", [({"span": len(cols), "band": True}, r"\bf " + self.t(r.cells["band"]))]))
                continue
            kpis += 1
            tds: list[tuple[dict, str]] = []
            for c in cols:
                text = r.cells.get(c.id, "")
                if c.id not in spans:
                    tds.append(({"col": c.id}, self.t(text)))
                    continue
                if (i, c.id) in covered:
                    if o["spans"]:
                        continue
                    text = ""
                elif i == 0 and st["blank_cont"] and continues(prev, r, c.id):
                    text = ""
                cell: dict = {"col": c.id}
                if o["spans"] and i in spans[c.id] and spans[c.id][i] > 1:
                    cell["rows"] = spans[c.id][i]
                if c.id == "persp" and text and st["persp_mode"] == "rotated":
                    tds.append(({**cell, "label": True}, r"\rotate[rotation=90]{" + self.t(text, "") + "}"))
                elif c.id == "persp" and text and st["persp_mode"] == "stacked":
                    tds.append(({**cell, "label": True}, r"\crlf ".join(self.t(ch) for ch in text)))
                else:
                    tds.append((cell, self.t(text)))
            out.append(("zebra" if kpis % 2 == 0 else "kpi", tds))
        return out

    def header(self, cols: list[Col]) -> list[list[tuple[dict, str]]]:
        two = self.st["year_header"] == "two_row"
        top: list[tuple[dict, str]] = []
        low: list[tuple[dict, str]] = []
        j = 0
        while j < len(cols):
            c = cols[j]
            if two and c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                top.append(({"span": k - j + 1}, self.t(c.group)))
                low += [({"col": cols[m].id}, self.t(cols[m].sub or "")) for m in range(j, k + 1)]
                j = k + 1
            else:
                top.append(({"col": c.id, "rows": 2} if two else {"col": c.id}, self.t(c.label)))
                j += 1
        return [top, low] if two else [top]

    def frames(self, kind: str, head: bool = False, last_head: bool = False) -> dict[str, str]:
        """Frame settings of a cell for the deck's rules."""
        rules, w = self.st["rules"], f"{self.o['rule_pt']:g}bp"
        if rules == "grid":
            return {"frame": "on", "rulethickness": w, "framecolor": "rule"}
        if rules == "hrules":
            f = {"frame": "off", "bottomframe": "on", "rulethickness": w, "framecolor": "rule"}
            if head:
                f |= {"topframe": "on"}
            return f
        if rules == "zebra" and last_head:
            return {"frame": "off", "bottomframe": "on", "rulethickness": "1.2bp", "framecolor": "navy"}
        return {"frame": "off"}

    def cell_keys(self, cell: dict, widths: dict[str, float], kind: str, head: bool, last: bool) -> str:
        st, o = self.st, self.o
        nat = o["table"] == "natural"
        keys: dict[str, str] = self.frames(kind, head, last)
        if cell.get("span", 1) > 1:
            keys["nc" if nat else "nx"] = str(cell["span"])
        if cell.get("rows", 1) > 1:
            keys["nr" if nat else "ny"] = str(cell["rows"])
        if "col" in cell and not nat:
            keys["width"] = f"{widths[cell['col']]:.1f}bp"
        v = "lohi" if head or cell.get("label") or st["valign"] == "middle" else "high"
        h = "middle" if head or cell.get("label") else ("middle" if st["halign"] == "center" else o["align"])
        keys["align"] = "{" + h + "," + v + "}"
        if cell.get("band") and st["rules"] != "none":
            keys |= {"background": "color", "backgroundcolor": "bandfill"}
        elif head and o["header_fill"]:
            keys |= {"background": "color", "backgroundcolor": "headfill"}
        elif kind == "zebra" and st["rules"] == "zebra" and o["zebra_by"] == "row":
            keys |= {"background": "color", "backgroundcolor": "zebra"}
        if head:
            keys["style"] = "bold"
        return ",".join(f"{k}={v}" for k, v in keys.items())

    def table(self, rows: list[Row], prev: list[Row], flow: bool) -> str:
        o, st = self.o, self.st
        nat = o["table"] == "natural"
        cols = columns(self.d)
        widths = self.widths(cols)
        heads = self.header(cols)
        body = self.cells(rows, prev, cols)
        # natural tables repeat their head with split=yes and header=repeat; xtables in the text flow only with
        # split=repeat (their header=repeat applies to split floats)
        split = "no" if not flow else ("repeat" if o["repeat_header"] and not nat else "yes")
        repeat = ",header=repeat" if flow and o["repeat_header"] else ""
        opts = f"split={split},offset={o['offset']:g}bp{repeat}"
        out = []
        zebra_setup = st["rules"] == "zebra" and o["zebra_by"] == "setup"
        if nat:
            out.append(rf"\bTABLE[{opts}]")
            out += [rf"\setupTABLE[c][{n}][width={widths[c.id]:.1f}bp]" for n, c in enumerate(cols, 1)]
            if zebra_setup:
                out.append(r"\setupTABLE[r][even][background=color,backgroundcolor=zebra]")
            out.append(r"\bTABLEhead")
        else:
            if zebra_setup:
                out.append(r"\setupxtable[deckzebra][background=color,backgroundcolor=zebra]")
            out += [rf"\startxtable[{opts}]", r"\startxtablehead"]
        for n, row in enumerate(heads):
            last = n == len(heads) - 1
            out.append(self.row([(c, t) for c, t in row], widths, "head", True, last))
        out.append(r"\eTABLEhead\bTABLEbody" if nat else r"\stopxtablehead\startxtablebody")
        for kind, tds in body:
            out.append(self.row(tds, widths, kind, False, False, zebra_setup))
        out.append(r"\eTABLEbody\eTABLE" if nat else r"\stopxtablebody\stopxtable")
        return "\n".join(out)

    def row(self, tds: list, widths: dict, kind: str, head: bool, last: bool, zebra_setup: bool = False) -> str:
        nat = self.o["table"] == "natural"
        cells = []
        for cell, text in tds:
            keys = self.cell_keys(cell, widths, kind, head, last)
            if nat:
                tag = "TH" if head else "TD"
                cells.append(rf"\b{tag}[{keys}] {text} \e{tag}")
            else:
                cells.append(rf"\startxcell[{keys}] {text} \stopxcell")
        if nat:
            return r"\bTR " + " ".join(cells) + r" \eTR"
        row = r"\startxrow[deckzebra]" if zebra_setup and kind == "zebra" else r"\startxrow"
        return row + " " + " ".join(cells) + r" \stopxrow"

    # --- the document ------------------------------------------------------------------------------------

    def slides(self, max_rows: int) -> tuple[str, int]:
        body = self.front()
        n = 4  # cover, profile, map, closing
        for t in self.d.themes:
            pieces = chunk(theme_rows(self.d, t), max_rows)
            for i, piece in enumerate(pieces):
                body.append(self.title(theme_title(self.d, t, i + 1, len(pieces))))
                body.append(self.table(piece, pieces[i - 1] if i else [], False))
                body.append(r"\page")
                n += 1
        return self.document(body + self.closing()), n

    def flow(self) -> str:
        body = self.front()
        for n, t in enumerate(self.d.themes):
            rows = theme_rows(self.d, t)
            if n and not self.o["theme_break"]:
                body.append(r"\blank[big]\testpage[8]")
            title = self.t(theme_title(self.d, t))
            if self.o["running_title"]:
                body.append(r"\themetitle{" + title + "}")
            else:
                body.append(self.title(theme_title(self.d, t)))
            body.append(self.table(rows, [], True))
            if self.o["theme_break"] or n == len(self.d.themes) - 1:
                body.append(r"\page")
        return self.document(body + self.closing())

    def document(self, body: list[str]) -> str:
        pre = [
            *self.layout(),
            *self.fonts(),
            r"\mainlanguage[cn]\setscript[hanzi]",
            r"\setupinteraction[state=start,title={" + self.t(self.d.org) + r"策略地圖與平衡計分卡}]",
            r"\starttext",
        ]
        return "\n".join(pre + body + [r"\stoptext", ""])


def _runs(line: str) -> list[str]:
    """The unbreakable runs of a line: hanzi breaks at spaces and between two CJK characters only, not
    between a digit or a Latin letter and an ideograph ('1,380,398元' is one run)."""

    def cjk(c: str) -> bool:
        return any(a <= ord(c) <= b for a, b in CJK_RANGES if a > 0x2300)

    out = []
    for word in line.split():
        start = 0
        for i in range(1, len(word)):
            if cjk(word[i - 1]) and cjk(word[i]):
                out.append(word[start:i])
                start = i
        out.append(word[start:])
    return out


@cache
def _advances(path: str) -> tuple[dict[int, int], int]:
    from fontTools.ttLib import TTFont

    f = TTFont(path, lazy=True)
    hmtx = f["hmtx"].metrics
    return {cp: hmtx[g][0] for cp, g in f.getBestCmap().items()}, f["head"].unitsPerEm


def _width(s: str, opts: dict) -> float:
    """Width of `s` in points in the deck's fonts (TeX Gyre Heros for non-CJK text with latin 'gyre')."""
    face, fupm = _advances(face_file(opts["font"]))
    latin, lupm = _advances(GYRE_FILE) if opts["latin"] == "gyre" else ({}, 1)
    w = 0.0
    for ch in s:
        cp = ord(ch)
        if cp in latin and not any(a <= cp <= b for a, b in CJK_RANGES):
            w += latin[cp] / lupm
        else:
            w += face.get(cp, fupm) / fupm
    return w * float(opts["font_pt"])


def _too_narrow(deck: Deck, opts: dict) -> bool:
    """Would an unbreakable run (see _runs) of a cell or header label be wider than its column?  TeX would let it run
    over the next cell, as an author would not."""
    cols = columns(deck)
    widths = Source(deck, opts).widths(cols)
    room = {c.id: widths[c.id] - 2 * float(opts["offset"]) - 1 for c in cols}
    cells = [(c.id, c.sub or "" if deck.style["year_header"] == "two_row" and c.group else c.label) for c in cols]
    for t in deck.themes:
        for r in theme_rows(deck, t):
            if r.kind != "kpi":
                continue
            cells += [(c.id, r.cells.get(c.id, "")) for c in cols]
    for cid, text in cells:
        if cid == "persp" and deck.style["persp_mode"] in ("rotated", "stacked"):
            continue
        text = printable(text, opts["font"])
        if any(_width(tok, opts) > room[cid] for line in text.split("\n") for tok in _runs(line)):
            return True
    return False


def _run(src: str, opts: dict, out_pdf: Path, tmp: Path) -> None:
    (tmp / "deck.tex").write_text(src, encoding="utf-8")
    face = Path(face_file(opts["font"]))
    link = tmp / face.name
    if not link.exists():
        link.symlink_to(face)
    for f in tmp.glob("deck*"):
        if f.suffix in (".pdf", ".log") or f.name.endswith("-error.log"):
            f.unlink()
    cmd = ["context", "--batchmode", "--noconsole", "--nonstopmode", "deck.tex"]
    proc = subprocess.run(cmd, cwd=tmp, env=_env(opts["engine"]), capture_output=True, text=True, timeout=900)
    err = tmp / "deck-error.log"
    if err.exists() or not (tmp / "deck.pdf").exists():
        log = err.read_text(errors="replace") if err.exists() else (proc.stdout + proc.stderr)[-3000:]
        raise RuntimeError(f"context failed: {log[-3000:]}")
    shutil.copyfile(tmp / "deck.pdf", out_pdf)


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus font and max_rows.  The type is first made smaller until no number or
    code is wider than its column.  Slides: the row budget is lowered (then the type made smaller) until every
    slide's table fits its page.  Flow: while a row or a row-spanning group runs over the foot of a page, the
    type is made smaller (two points), then the spans dropped, then the type made smaller again."""
    import pymupdf

    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], "font": st["font"]}
    opts |= options or {}
    out_pdf = Path(out_pdf)
    while opts["font_pt"] > 6 and _too_narrow(deck, opts):
        opts["font_pt"] -= 1
    first_pt = opts["font_pt"]
    with tempfile.TemporaryDirectory() as tmp:
        while True:
            s = Source(deck, opts)
            if opts["flow"]:
                _run(s.flow(), opts, out_pdf, Path(tmp))
                if not overflows_bottom(out_pdf):
                    break
                # ConTeXt never splits a row nor a group of rows under a row-spanning cell: one taller than the
                # page runs off its foot.  Smaller type (two points at most), then no spans, then smaller again.
                if opts["spans"] and opts["font_pt"] <= first_pt - 2:
                    opts["spans"] = False
                elif opts["font_pt"] > 6:
                    opts["font_pt"] -= 1
                else:
                    break
                continue
            src, want = s.slides(int(opts["max_rows"]))
            _run(src, opts, out_pdf, Path(tmp))
            if len(pymupdf.open(str(out_pdf))) == want and not overflows_bottom(out_pdf):
                break
            if opts["max_rows"] > 1:
                opts["max_rows"] -= 1
                continue
            if opts["font_pt"] <= 6:
                raise RuntimeError(f"{deck.stem}: a table does not fit a slide even in 6 pt type")
            opts["font_pt"] -= 1
    if opts["flow"]:
        opts.pop("max_rows")
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts


# --- installing the LMTX tree --------------------------------------------------------------------------------

TEXMFCNF = """return {
    type    = "configuration",
    version = "1.1.3",
    comment = "standalone ConTeXt LMTX tree of tests/realtools/r_context.py",
    content = {
        variables = {
            TEXMFCACHE    = "$SELFAUTOPARENT/texmf-cache",
            TEXMFOS       = "selfautodir:",
            TEXMFCONTEXT  = "selfautoparent:texmf-context",
            TEXMF         = "{!!$TEXMFCONTEXT}",
            OSFONTDIR     = "/usr/share/texmf/fonts/opentype;/usr/share/texmf/fonts/truetype",
            TFMFONTS      = ".;$TEXMF/fonts/{data,tfm}//",
            VFFONTS       = ".;$TEXMF/fonts/{data,vf}//",
            ENCFONTS      = ".;$TEXMF/fonts/{data,enc}//",
            TEXFONTMAPS   = ".;$TEXMF/fonts/{data,map}//",
            T1FONTS       = ".;$TEXMF/fonts/{data,type1}//;$OSFONTDIR",
            AFMFONTS      = ".;$TEXMF/fonts/{data,afm}//;$OSFONTDIR",
            TTFONTS       = ".;$TEXMF/fonts/{data,truetype}//;$OSFONTDIR",
            OPENTYPEFONTS = ".;$TEXMF/fonts/{data,opentype}//;$OSFONTDIR",
            FONTFEATURES  = ".;$TEXMF/fonts/{data,fea}//;$OPENTYPEFONTS;$TTFONTS;$T1FONTS;$AFMFONTS",
            FONTCIDMAPS   = ".;$TEXMF/fonts/{data,cid}//",
            TEXINPUTS     = ".;$TEXMF/tex/{context,plain/base,generic}//",
            MPINPUTS      = ".;$TEXMF/metapost/{context,base,}//",
            TEXMFSCRIPTS  = ".;$TEXMF/scripts/context/{lua,ruby,python,perl}//;$TEXINPUTS",
            LUAINPUTS     = ".;$TEXINPUTS;$TEXMF/scripts/context/lua//",
            CLUAINPUTS    = ".;$SELFAUTOLOC/lib/$engine//",
            ICCPROFILES   = ".;$TEXMF/colors/icc/{context,profiles}//",
        },
        directives = {
            ["luametatex.errorlinesize"]     = { size =      250 },
            ["luametatex.halferrorlinesize"] = { size =      250 },
            ["luametatex.expandsize"]        = { size =    10000 },
            ["luametatex.stringsize"]        = { size =   500000, step =  100000 },
            ["luametatex.poolsize"]          = { size = 10000000, step = 1000000 },
            ["luametatex.hashsize"]          = { size =   250000, step =  100000 },
            ["luametatex.nodesize"]          = { size = 50000000, step =  500000 },
            ["luametatex.tokensize"]         = { size = 10000000, step =  250000 },
            ["luametatex.buffersize"]        = { size = 10000000, step = 1000000 },
            ["luametatex.inputsize"]         = { size =   100000, step =   10000 },
            ["luametatex.filesize"]          = { size =     2000, step =     200 },
            ["luametatex.nestsize"]          = { size =    10000, step =    1000 },
            ["luametatex.parametersize"]     = { size =   100000, step =   10000 },
            ["luametatex.savesize"]          = { size =   500000, step =   10000 },
            ["luametatex.fontsize"]          = { size =   100000, step =     250 },
            ["luametatex.languagesize"]      = { size =      250, step =     250 },
            ["luametatex.marksize"]          = { size =      250, step =      50 },
            ["luametatex.insertsize"]        = { size =      250, step =      25 },
            ["system.errorcontext"]          = "10",
            ["system.compile.cleanup"]       = "no",
            ["system.compile.strip"]         = "yes",
            ["system.outputmode"]            = "restricted",
            ["system.inputmode"]             = "any",
            ["system.commandmode"]           = "list",
            ["system.commandlist"]           = "mtxrun",
        },
        experiments = { ["fonts.autorscale"] = "yes" },
    },
}
"""


def _debian_mirror() -> str:
    """The Debian archive this machine's apt is set up with (its first non-security URI)."""
    for f in [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]:
        if not f.is_file() or f.suffix not in ("", ".list", ".sources"):
            continue
        for line in f.read_text(errors="replace").splitlines():
            m = re.match(r"\s*(?:deb\s+(?:\[[^]]*\]\s+)?|URIs:\s*)(\S+/debian)/?(\s|$)", line)
            if m:
                return m.group(1)
    raise RuntimeError("no Debian archive found in /etc/apt")


def install(work: Path | None = None) -> None:
    """Make the standalone LMTX tree under install_dir(): Debian's packages of DEBS downloaded by apt-get (a
    private package list for the suites in SUITES from the system's Debian archive, or $REALTOOLS_DEBIAN_MIRROR
    once unstable has moved on; the system's own lists untouched), unpacked, the engine pointed at the unpacked
    glibc by patchelf, a texmfcnf.lua written, the file database and format made."""
    work = Path(work or tempfile.mkdtemp(prefix="context-debs-"))
    (work / "lists" / "partial").mkdir(parents=True, exist_ok=True)
    (work / "archives" / "partial").mkdir(parents=True, exist_ok=True)
    keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"
    mirror = os.environ.get("REALTOOLS_DEBIAN_MIRROR") or _debian_mirror()
    (work / "sources.list").write_text("".join(f"deb [signed-by={keyring}] {mirror} {s} main\n" for s in SUITES))
    apt = [
        f"-oDir::Etc::sourcelist={work / 'sources.list'}",
        "-oDir::Etc::sourceparts=-",
        f"-oDir::State::Lists={work / 'lists'}",
        f"-oDir::Cache={work}",
        "-oAPT::Sandbox::User=root",
    ]
    subprocess.run(["apt-get", *apt, "update"], check=True)
    subprocess.run(["apt-get", *apt, "download", *(f"{k}={v}" for k, v in DEBS.items())], cwd=work, check=True)
    stage = work / "stage"
    for deb in sorted(work.glob("*.deb")):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(stage)], check=True)
    root = install_dir()
    if root.exists():
        shutil.rmtree(root)
    tree, binr, lib = root / "tex" / "texmf-context", root / "tex" / "texmf-linux-64" / "bin", root / "lib"
    shutil.copytree(stage / "usr" / "share" / "texmf", tree, symlinks=True)
    binr.mkdir(parents=True)
    lib.mkdir(parents=True)
    multiarch = stage / "usr" / "lib" / "x86_64-linux-gnu"
    for name in ("ld-linux-x86-64.so.2", "libc.so.6", "libm.so.6", "libmimalloc.so.3"):
        shutil.copyfile(multiarch / name, lib / name)
    (lib / "ld-linux-x86-64.so.2").chmod(0o755)
    shutil.copyfile(stage / "usr" / "bin" / "luametatex", binr / "luametatex")
    (binr / "luametatex").chmod(0o755)
    subprocess.run(
        ["patchelf", "--set-interpreter", str(lib / "ld-linux-x86-64.so.2"), "--set-rpath", str(lib)]
        + [str(binr / "luametatex")],
        check=True,
    )
    for name in ("mtxrun", "context"):
        (binr / name).symlink_to("luametatex")
        shutil.copyfile(tree / "scripts" / "context" / "lua" / f"{name}.lua", binr / f"{name}.lua")
    (tree / "web2c").mkdir(exist_ok=True)
    (tree / "web2c" / "texmfcnf.lua").write_text(TEXMFCNF, encoding="utf-8")
    env = _env("lmtx")
    subprocess.run(["mtxrun", "--generate"], env=env, check=True, capture_output=True)
    subprocess.run(["context", "--make"], env=env, check=True, capture_output=True, cwd=root)
    print(tool_version("lmtx"))


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "install":
        install(Path(sys.argv[2]) if len(sys.argv) > 2 else None)
    else:
        print("usage: python -m tests.realtools.r_context install [WORKDIR]", file=sys.stderr)
        sys.exit(2)
