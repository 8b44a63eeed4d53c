"""TCPDF renderer: the deck drawn by TCPDF (PHP), the PDF library behind the table exports of many Taiwanese
government and school web systems, through a small driver (`r_tcpdf.php`, run with `php`) that reads a JSON job
written by this module and does what such a system does: a TCPDF subclass with its own Header()/Footer(),
fonts from TCPDF's font folder, front slides drawn with Cell/MultiCell/RoundedRect, and the theme tables written
in one of two ways (api):

'html': writeHTML() of an HTML table in TCPDF's own limited HTML: `width` percentages on every cell (TCPDF takes
no widths from the head), `border="1"` tables or inline CSS borders or a `<style>` block of classes, `cellpadding`,
rowspan/colspan, `bgcolor`/`background-color` fills (a row's fill is painted over the rule above it), `<thead>`
repeated on every page, `nobr="true"` rows.  TCPDF ignores vertical-align in cells (text at the top) and cannot
turn text, so turned 構面 labels are stacked one character per line.  As slides (each theme cut by the row budget,
one AddPage per slide, the budget lowered until no table runs over its page) or as a document TCPDF paginates
(themes on a new page or following on; rows split at the foot of a page unless `nobr`, the label of a rowspan
carried over a page printed once, on the first; a KPI row split over two pages gets `nobr="true"`, as its author
would add it, and a row still not whole starts a new table on a new page).

'cells': the cell API, laid out by the driver: MultiCell per cell at absolute positions (`$maxh` and `$valign`
'T'/'M'), row heights from getStringHeight, borders 1 or 'LTRB' (both drawn as a box), 'B'/'TB' (horizontal
rules) or 0, fills for the head, band rows and zebra rows, setCellPaddings, setCellHeightRatio;
merged 構面/策略目標 labels drawn once over their rows (spans) or in the first of them, turned 構面 labels by
StartTransform/Rotate(±90)/Cell/StopTransform or stacked.  As slides (the budget lowered until each fits) or
paginated by hand: a row that does not fit goes to a new page with the title again and (repeat_header) the head,
a band row kept with the row after it, a label cut by the page break printed again on the next page (or left
blank, blank_cont).

Pages: A4 (portrait or landscape: `new TCPDF('L', ..., 'A4')`) or a custom format array for 4:3 and 16:9 slides,
in 'mm' or 'pt' units; margins, header and footer margins, SetAutoPageBreak.  Headers: none, TCPDF's default
Header() from SetHeaderData (office and 策略地圖與平衡計分卡 over a rule, in a Form XObject template stamped on
every page, title in the header font's 'B' style), a custom Header() (office left, subtitle right, a rule), or a
custom one that also prints the running theme title (flow).  Footers: TCPDF's default ('n / N' right-aligned over
a rule, in Helvetica or the CJK font), or custom ones: office and 'n / N', '- n -', '第 n 頁，共 n 頁', by
getAliasNumPage()/getAliasNbPages() (aliases filled in at output); optionally none on the title page.
Watermark: '內部資料' turned by Rotate, light grey or under setAlpha, drawn by Header() under the content or over
finished pages by a setPage() loop.  TCPDF's default "Powered by TCPDF (www.tcpdf.org)" link on the last page is
left on (invisible 1 pt Helvetica, `3 Tr`, in the text layer) or switched off by the subclass.

Fonts (font_mode): 'cid': TCPDF's non-embedded CID fonts `msungstdlight` (MSungStd-Light-Acro, Adobe-CNS1,
UniCNS-UCS2-H) or `cid0ct` (BaseFont 'cid0ct', UniCNS-UTF16-H, but with the Japanese uni2cid_aj16 table for its
widths, so full-width forms are drawn too narrow and overlap); text as UTF-16 codes read back through the
predefined CMap, no ToUnicode.  Neither CMap maps ≥ ≤ (set in TCPDF's DejaVu Sans through a `<span
style="font-family:dejavusans">`, with writeHTML or MultiCell's ishtml, as an author who saw them vanish would) or
the CJK radicals supplement (printed as the unified ideograph); UCS2 neither the Kangxi radicals; compatibility
ideographs print as the unified ones.  'B' is the same font named ',Bold'.  'ttf': a face of fonts.py converted
by TCPDF_FONTS::addTTFfont (TrueType outlines only: Noto CJK cannot be used) into the font folder, embedded as
Type0 CIDFontType2 with Identity-H codes that are the Unicode values, a CIDToGIDMap stream and TCPDF's identity
ToUnicode (one bfrange per 256 codes); subset (setFontSubsetting(true), 'AAAAAC+WenQuanYiZenHei') or the whole
face (some 10 MB).  TCPDF 6.6.2 writes a subset's head checkSumAdjustment 8 bytes past where the head table would
be without the table directory, i.e. into the directory: over the `cvt ` entry's length for WenQuanYi Zen Hei
(tolerated), over head's own offset for the AR PL faces, which have no `cvt ` (the font cannot be loaded: poppler
and MuPDF draw another font); so a deck in an AR PL face is not subset, or (as its author, seeing the garbage,
might do) in WenQuanYi Zen Hei (subset_fix).  'B' finds no bold definition in the font folder: a second Type0 font
named ',Bold' over the same embedded file, drawn regular (bold 'stroke': setTextRenderingMode, `2 Tr`).

Drawing (PDF 1.7, Producer 'TCPDF 6.6.2 (http://www.tcpdf.org)'): every text run is its own `BT x y Td [(...)] TJ
ET` (in its colour, `q ... Q`), each cell starting with `0.570000 w 0 J 0 j [] 0 d 0 G 0 g` and an empty `BT /Fn
size Tf ET`; a framed MultiCell is `re S` (filled: `re B`) stroked again by a second `re S`; writeHTML's cells
are `re f` then `re S` (border="1") or their own `m l S` sides (CSS), each row's fill painted after the row above
(hiding its rule).  SetHeaderData's header is a Form XObject template (`/XT5 Do`) on every page.  The page number
aliases are replaced in the content streams at output; TCPDF's default footer puts spaces before its 'n / N'
(getAliasRightShift, to keep it right-aligned once the aliases are replaced), so the text layer reads '      2 / 7'.
≥ ≤ in CID decks come from an embedded DejaVu Sans (Type0, Identity-H, subset as the deck says).
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from functools import cache
from pathlib import Path

from .draw_common import SIZES
from .fonts import TRUETYPE, face_file, printable
from .layout import Col, Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .r_mpdf import _broken as broken_row
from .spec import BSC_ORDER, Deck, Kpi, fold

TCPDF = "6.6.2"  # Debian 12's php-tcpdf 6.6.2+dfsg1 (apt-get install php-tcpdf; README, Setup)
TCPDF_DIR = Path(os.environ.get("REALTOOLS_TCPDF", "/usr/share/php/tcpdf"))
PHP = Path(__file__).with_name("r_tcpdf.php")
NAVY = [31, 58, 104]
COLORS = {"navy": NAVY, "head": [220, 230, 242], "band": [201, 217, 236], "zebra": [238, 242, 247]}
HEX = {k: "#" + "".join(f"{c:02x}" for c in v) for k, v in COLORS.items()}
RULE = "#555555"
PAGE_SIZES = {**SIZES, "A4": (595.0, 842.0)}
# TCPDF's font names of the faces addTTFfont converts (the file name, lower case, without non-alphanumerics)
TTF_NAMES = {"WenQuanYi Zen Hei": "wenquanyizenhei", "AR PL UMing TW": "arplumingtw", "AR PL UKai TW": "arplukaitw"}
CMP = re.compile("([≥≤]+)")
# code point ranges the CID fonts' CMaps do not map (tried: the characters print as nothing)
CID_GAPS = {
    "msungstdlight": [(0x2E80, 0x2FE0), (0xF900, 0xFB00)],
    "cid0ct": [(0x2E80, 0x2F00), (0x2F21, 0x2F22), (0xF900, 0xFB00)],
}


@cache
def install_dir() -> Path:
    """TCPDF's folder; its version must be the pinned one (the quirks this module works around are 6.6.2's)."""
    if not (TCPDF_DIR / "tcpdf.php").exists():
        raise RuntimeError(f"TCPDF is not installed: apt-get install php-tcpdf ({TCPDF})")
    if installed_version(TCPDF_DIR) != TCPDF:
        raise RuntimeError(f"{TCPDF_DIR} holds TCPDF {installed_version(TCPDF_DIR)}, not {TCPDF}")
    return TCPDF_DIR


def installed_version(d: Path) -> str:
    static = (d / "include" / "tcpdf_static.php").read_text(encoding="utf-8")
    ver = re.search(r"\$tcpdf_version = '([^']+)'", static)
    return ver.group(1) if ver else "?"


@cache
def tool_version(engine: str | None = None) -> str:
    php = subprocess.run(["php", "-r", "echo PHP_VERSION;"], capture_output=True, text=True).stdout.strip()
    return f"TCPDF {installed_version(install_dir())}, PHP {php}"


def fonts_dir(face: str | None) -> Path:
    """TCPDF's font folder as an installation that added a face has it: the package's fonts (linked) and the face
    converted by addTTFfont (once, into the cache)."""
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "tcpdf" / "fonts"
    d.mkdir(parents=True, exist_ok=True)
    for f in (install_dir() / "fonts").iterdir():
        link = d / f.name
        if not link.exists():
            with contextlib.suppress(FileExistsError):  # linked meanwhile by another process
                link.symlink_to(f)
    if face:
        name = TTF_NAMES[face]
        if not (d / f"{name}.php").exists():
            with tempfile.TemporaryDirectory(dir=d.parent) as tmp:
                src = Path(tmp) / Path(face_file(face)).name
                shutil.copy(face_file(face), src)  # addTTFfont names the font after the file
                proc = subprocess.run(
                    ["php", str(PHP), "--add-font", str(src), tmp, str(install_dir() / "tcpdf.php")],
                    capture_output=True,
                    text=True,
                    timeout=900,
                )
                if proc.returncode or proc.stdout.strip() != name:
                    raise RuntimeError(f"addTTFfont failed: {(proc.stderr or proc.stdout)[-2000:]}")
                for ext in (".z", ".ctg.z", ".php"):  # the definition last: it is what TCPDF looks for
                    os.replace(Path(tmp) / f"{name}{ext}", d / f"{name}{ext}")
    return d


def producer_options(rng: random.Random, style: dict) -> dict:
    api = rng.choice(["html", "html", "cells"])
    flow = rng.random() < 0.4
    running = flow and rng.random() < 0.35
    mode = rng.choice(["cid", "cid", "ttf", "ttf", "ttf"])
    face = style["font"] if style["font"] in TRUETYPE else rng.choice(TRUETYPE)
    rules = style["rules"]
    header = "running" if running else rng.choice([None, None, "data", "custom"])
    footer = rng.choice([None, "default", "default", "n_of_N", "dash", "page_of"])
    subset = rng.random() < 0.8
    subset_fix = None
    if mode == "ttf" and subset and face != "WenQuanYi Zen Hei":
        # TCPDF 6.6.2 writes a corrupt subset of the AR PL faces (the head checksum over head's offset in the table
        # directory: viewers cannot load the font): embed the whole face, or take the face that subsets well
        subset_fix = rng.choice(["no_subset", "wqy"])
        subset, face = (False, face) if subset_fix == "no_subset" else (True, "WenQuanYi Zen Hei")
    return {
        "api": api,
        "flow": flow,
        "page": rng.choice(["A4L", "A4L", "A4", style["page"]]) if flow else style["page"],
        "unit": rng.choice(["mm", "mm", "pt"]),
        "font_pt": max(style["font_pt"], rng.choice([8, 9, 10])) if flow else style["font_pt"],
        "font_mode": mode,
        "cid_font": rng.choice(["msungstdlight"] * 3 + ["cid0ct"]) if mode == "cid" else None,
        "face": face if mode == "ttf" else None,
        "subset": subset,
        "subset_fix": subset_fix,
        "bold": "style" if api == "html" else rng.choice(["style", "style", "stroke", "none"]),
        "height_ratio": rng.choice([1.0, 1.1, 1.25, 1.25, 1.4]),
        "padding": rng.choice([1.5, 2, 3, 4]),
        "line_width": rng.choice([0.3, 0.5, 0.57, 0.75]),
        "header": header,
        "header_skip_first": rng.random() < 0.5,
        "footer": footer,
        "footer_cjk": rng.random() < 0.5,
        "footer_skip_first": rng.random() < 0.3,
        "theme_break": running or not flow or rng.random() < 0.5,
        "repeat_header": rng.random() < 0.8 if flow else True,
        "nobr": rng.random() < 0.7,
        "spans": rng.random() < 0.75,
        "rotate": rng.choice([90, -90]),
        "html_borders": rng.choice(["attr", "css", "class"]) if rules == "grid" else rng.choice(["css", "class"]),
        "zebra_by": rng.choice(["bgcolor", "style", "class"]),
        "cell_border": rng.choice([1, "LTRB"]),
        "header_fill": rules != "none" and rng.random() < 0.75,
        "title_bar": rng.random() < 0.3,
        "title_band": rng.random() < 0.5,
        "watermark": (
            {
                "layer": rng.choice(["under", "over"]),
                "alpha": rng.choice([None, 0.12, 0.2]),
                "angle": rng.choice([30, 45]),
                "size": 60,
            }
            if style.get("watermark")
            else None
        ),
        "tcpdflink": rng.random() < 0.8,
        "compress": rng.random() < 0.85,
    }


def esc(s: str) -> str:
    return html.escape(s, quote=False).replace("\n", "<br />")


class Builder:
    """The driver's job for one printing of the deck."""

    def __init__(self, deck: Deck, opts: dict, out_pdf: Path) -> None:
        self.d, self.o, self.st = deck, opts, deck.style
        self.out = out_pdf
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.pt = float(opts["font_pt"])
        self.family = opts["cid_font"] or TTF_NAMES[opts["face"]]
        self.cols = columns(deck)

    # --- text -----------------------------------------------------------------------------------------------

    def ink(self, s: str) -> str:
        """Text as the font can print it: a face's missing characters and, in the CID fonts, what their CMaps
        leave out (CID 0, nothing drawn, nothing in the text layer) as the unified ideograph: the CJK
        compatibility ideographs and radicals supplement, and in UniCNS-UCS2-H (MSung) the Kangxi radicals;
        UniCNS-UTF16-H (cid0ct) maps those to the unified ideographs' CIDs, except ⼡."""
        if self.o["face"]:
            return printable(s, self.o["face"])
        gaps = CID_GAPS[self.family]
        return "".join(fold(c) if any(a <= ord(c) < b for a, b in gaps) else c for c in s)

    def needs_html(self, s: str) -> bool:
        """≥ ≤ are not in the Adobe-CNS1 CMaps: such a cell is written as HTML with them in DejaVu Sans."""
        return self.o["font_mode"] == "cid" and bool(CMP.search(s))

    def html_text(self, s: str) -> str:
        out = esc(self.ink(s))
        if self.o["font_mode"] == "cid":
            out = CMP.sub(r'<span style="font-family:dejavusans">\1</span>', out)
        return out

    # --- geometry -------------------------------------------------------------------------------------------

    def margins(self) -> dict[str, float]:
        o = self.o
        top = {None: 24, "data": 50, "custom": 40, "running": 72}[o["header"]]
        return {"left": 28, "right": 28, "top": top, "bottom": 30 if o["footer"] else 22, "header": 12, "footer": 16}

    # --- the HTML tables ------------------------------------------------------------------------------------

    def html_title(self, title: str) -> str:
        s = esc(self.ink(title))
        bar = f"background-color:{HEX['navy']};color:#ffffff;" if self.o["title_bar"] else f"color:{HEX['navy']};"
        if not self.st["logo"]:
            return f'<div style="font-size:16pt;font-weight:bold;{bar}">{s}</div><br />'
        logo = esc(self.ink(self.d.short))
        return (
            f'<table cellpadding="4"><tr><td width="80%" style="font-size:16pt;font-weight:bold;{bar}">{s}</td>'
            f'<td width="20%" border="1" align="center" style="font-size:11pt;color:{HEX["navy"]}">{logo}</td>'
            "</tr></table><br />"
        )

    def css_block(self) -> str:
        """The `<style>` block of a table drawn by classes (html_borders 'class')."""
        rules = self.st["rules"]
        cell = {
            "grid": f"border:0.5pt solid {RULE};",
            "hrules": f"border-bottom:0.5pt solid {RULE};",
        }.get(rules, "")
        head = {
            "grid": f"border:0.5pt solid {RULE};",
            "hrules": f"border-top:1pt solid {RULE};border-bottom:1pt solid {RULE};",
            "zebra": f"border-bottom:1.5pt solid {HEX['navy']};",
        }.get(rules, "")
        fill = f"background-color:{HEX['head']};" if self.o["header_fill"] else ""
        return (
            f"<style>td.c {{ {cell} }} th.h {{ {head}{fill} font-weight:bold; text-align:center; }} "
            f"tr.alt {{ background-color:{HEX['zebra']}; }} "
            f"td.band {{ {cell} background-color:{HEX['band']}; font-weight:bold; }}</style>"
        )

    def cell_style(self, head: bool) -> str:
        o, rules = self.o, self.st["rules"]
        if o["html_borders"] == "class":
            return ' class="h"' if head else ' class="c"'
        css = ""
        if o["html_borders"] == "css":
            css = {
                "grid": f"border:0.5pt solid {RULE};",
                "hrules": (
                    f"border-top:1pt solid {RULE};border-bottom:1pt solid {RULE};"
                    if head
                    else f"border-bottom:0.5pt solid {RULE};"
                ),
                "zebra": f"border-bottom:1.5pt solid {HEX['navy']};" if head else "",
                "none": "",
            }[rules]
        if head:
            css += "font-weight:bold;text-align:center;"
            if o["header_fill"]:
                css += f"background-color:{HEX['head']};"
        return f' style="{css}"' if css else ""

    def html_head(self, cols: list[Col], width: dict[str, float]) -> str:
        two = self.st["year_header"] == "two_row"
        attr = self.cell_style(True)
        top, low, j = [], [], 0
        while j < len(cols):
            c = cols[j]
            if two and c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                w = sum(width[cols[m].id] for m in range(j, k + 1))
                top.append(f'<th colspan="{k - j + 1}" width="{w:.2f}%"{attr}>{self.html_text(c.group)}</th>')
                low += [
                    f'<th width="{width[cols[m].id]:.2f}%"{attr}>{self.html_text(cols[m].sub or "")}</th>'
                    for m in range(j, k + 1)
                ]
                j = k + 1
            else:
                span = ' rowspan="2"' if two else ""
                top.append(f'<th width="{width[c.id]:.2f}%"{span}{attr}>{self.html_text(c.label)}</th>')
                j += 1
        return "".join(f"<tr>{''.join(r)}</tr>" for r in ([top, low] if two else [top]))

    def html_table(self, rows: list[Row], prev: list[Row], nobr_rows: set[str]) -> str:
        st, o, cols = self.st, self.o, self.cols
        tot = sum(c.weight for c in cols)
        width = {c.id: 100 * c.weight / tot for c in cols}
        head = self.html_head(cols, width)
        head = f"<thead>{head}</thead>" if o["repeat_header"] else head
        spans = {key: dict(runs(rows, key)) for key in ("persp", "obj")}
        covered = {(i, key) for key in spans for s, n in spans[key].items() for i in range(s + 1, s + n)}
        body_attr = self.cell_style(False)
        align = ' align="center"' if st["halign"] == "center" else ""
        out, kpis = [], 0
        for i, r in enumerate(rows):
            if r.kind == "band":
                fill = f' bgcolor="{HEX["band"]}"' if st["rules"] != "none" else ""
                cls = ' class="band"' if o["html_borders"] == "class" else body_attr
                out.append(
                    f'<tr nobr="true"{fill}><td colspan="{len(cols)}" width="100%"{cls}>'
                    f"<b>{self.html_text(r.cells['band'])}</b></td></tr>"
                )
                continue
            kpis += 1
            tr = ' nobr="true"' if o["nobr"] or (r.kpi and r.kpi.code in nobr_rows) else ""
            if st["rules"] == "zebra" and kpis % 2 == 0:
                tr += {
                    "bgcolor": f' bgcolor="{HEX["zebra"]}"',
                    "style": f' style="background-color:{HEX["zebra"]}"',
                    "class": ' class="alt"',
                }[o["zebra_by"]]
            tds = []
            for c in cols:
                text = r.cells.get(c.id, "")
                w = f' width="{width[c.id]:.2f}%"'
                if c.id not in spans:
                    tds.append(f"<td{w}{body_attr}{align}>{self.html_text(text)}</td>")
                    continue
                if (i, c.id) in covered:
                    if o["spans"]:
                        continue
                    text = ""
                elif i == 0 and st["blank_cont"] and continues(prev, r, c.id):
                    text = ""
                span = f' rowspan="{spans[c.id][i]}"' if o["spans"] and i in spans[c.id] else ""
                if c.id == "persp" and st["persp_mode"] in ("stacked", "rotated"):
                    inner = "<br />".join(esc(self.ink(ch)) for ch in text)  # TCPDF's HTML cannot turn text
                    tds.append(f'<td{w}{span}{body_attr} align="center">{inner}</td>')
                elif c.id == "persp":
                    tds.append(f'<td{w}{span}{body_attr} align="center">{self.html_text(text)}</td>')
                else:
                    tds.append(f"<td{w}{span}{body_attr}{align}>{self.html_text(text)}</td>")
            out.append(f"<tr{tr}>{''.join(tds)}</tr>")
        body = f"<tbody>{''.join(out)}</tbody>" if o["repeat_header"] else "".join(out)
        attrs = f' cellspacing="0" cellpadding="{o["padding"]:g}"'
        if o["html_borders"] == "attr":
            attrs = ' border="1"' + attrs
        css = self.css_block() if o["html_borders"] == "class" or st["rules"] == "zebra" else ""
        return f"{css}<table{attrs}>{head}{body}</table>"

    # --- the cell tables ------------------------------------------------------------------------------------

    def cell_head(self) -> list[dict]:
        cols, two = self.cols, self.st["year_header"] == "two_row"
        out, j = [], 0
        while j < len(cols):
            c = cols[j]
            if two and c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                out.append({"r": 0, "c": j, "cs": k - j + 1, "rs": 1, "text": self.ink(c.group)})
                out += [
                    {"r": 1, "c": m, "cs": 1, "rs": 1, "text": self.ink(cols[m].sub or "")} for m in range(j, k + 1)
                ]
                j = k + 1
            else:
                out.append({"r": 0, "c": j, "cs": 1, "rs": 2 if two else 1, "text": self.ink(c.label)})
                j += 1
        return out

    def cell_table(self, t, rows: list[Row], prev: list[Row], title: str, paginate: bool) -> dict:
        st, o, cols = self.st, self.o, self.cols
        ids = [c.id for c in cols]
        span_cols = {k: (ids.index(k) if k in ids else None) for k in ("persp", "obj")}
        out = []
        for i, r in enumerate(rows):
            if r.kind == "band":
                out.append({"kind": "band", "text": self.ink(r.cells["band"])})
                continue
            cells, flags = [], []
            for c in cols:
                text = r.cells.get(c.id, "")
                if c.id in span_cols and i == 0 and st["blank_cont"] and continues(prev, r, c.id):
                    text = ""
                cells.append(self.ink(text))
                flags.append(c.id not in span_cols and self.needs_html(text))
            out.append(
                {
                    "kind": "kpi",
                    "cells": [self.html_text(x) if f else x for x, f in zip(cells, flags)],
                    "html": flags,
                    "groups": {"persp": f"{t.letter}:{r.persp}", "obj": r.obj.code if r.obj else None},
                }
            )
        return {
            "kind": "table",
            "paginate": paginate,
            "title": self.ink(title),
            "running": o["header"] == "running",
            "logo": self.ink(self.d.short) if st["logo"] else None,
            "title_bar": o["title_bar"],
            "font_size": self.pt,
            "padding": o["padding"],
            "line_width": o["line_width"],
            "widths": [c.weight for c in cols],
            "head": self.cell_head(),
            "head_rows": 2 if st["year_header"] == "two_row" else 1,
            "rows": out,
            "spans": o["spans"],
            "span_cols": span_cols,
            "persp_mode": {"rotated": "rot", "stacked": "stack"}.get(st["persp_mode"], "h"),
            "rotate": o["rotate"],
            "blank_cont": st["blank_cont"],
            "repeat_header": o["repeat_header"],
            "rules": st["rules"],
            "border": o["cell_border"],
            "valign": "M" if st["valign"] == "middle" else "T",
            "halign": "C" if st["halign"] == "center" else "L",
            "header_fill": o["header_fill"],
        }

    # --- the deck -------------------------------------------------------------------------------------------

    def front(self) -> list[dict]:
        d = self.d
        per = {p: [self.ink(o.shown) for t in d.themes for o in t.objectives if o.perspective == p] for p in BSC_ORDER}
        return [
            {"kind": "title", "org": self.ink(d.org), "subtitle": "策略地圖與平衡計分卡", "band": self.o["title_band"]},
            {
                "kind": "profile",
                "heading": self.ink(f"{d.org}轄區概況"),
                "lines": [self.ink(x) for x in d.profile_lines],
            },
            {
                "kind": "map",
                "heading": self.ink(f"{d.org}策略地圖"),
                "date": d.map_date,
                "vision": self.ink("願景：" + "、".join(t.shown for t in d.themes)),
                "rows": [{"label": f"{p}構面", "objs": v} for p, v in per.items() if v],
            },
        ]

    def items(self, max_rows: int, cuts: dict[str, set[int]], nobr_rows: set[str]) -> tuple[list[dict], list[int]]:
        """The job's items, and the indexes of the items that are slides (a table that must fit its page)."""
        o, d = self.o, self.d
        items = self.front()
        slides = []
        running = o["header"] == "running"
        for n, t in enumerate(d.themes):
            rows = theme_rows(d, t)
            if not o["flow"]:
                pieces = chunk(rows, max_rows)
                for i, piece in enumerate(pieces):
                    title = theme_title(d, t, i + 1, len(pieces))
                    prev = pieces[i - 1] if i else []
                    slides.append(len(items))
                    if o["api"] == "html":
                        body = ("" if running else self.html_title(title)) + self.html_table(piece, prev, nobr_rows)
                        item = {"kind": "html", "html": body, "font_size": self.pt}
                    else:
                        item = self.cell_table(t, piece, prev, title, False)
                    items.append(item | {"running": self.ink(title) if running else "", "watermark": True})
                continue
            title = theme_title(d, t)
            new_page = n == 0 or o["theme_break"] or running or 0 in cuts.get(t.letter, set())
            run = {"running": self.ink(title) if running else "", "watermark": True}
            if o["api"] == "cells":
                items.append(self.cell_table(t, rows, [], title, True) | run | {"new_page": new_page})
                continue
            at = sorted({0, *cuts.get(t.letter, set())})
            pieces = [(a, rows[a:b]) for a, b in zip(at, [*at[1:], len(rows)])]
            for j, (a, piece) in enumerate(pieces):
                body = self.html_table(piece, rows[:a], nobr_rows)
                if j == 0 and not running:
                    body = ("" if new_page else "<br />") + self.html_title(title) + body
                items.append({"kind": "html", "html": body, "font_size": self.pt, "new_page": new_page or j > 0} | run)
        items.append({"kind": "closing", "text": "敬請指教"})
        return items, slides

    def job(self, max_rows: int, cuts: dict[str, set[int]], nobr_rows: set[str]) -> tuple[dict, list[int]]:
        o, d = self.o, self.d
        items, slides = self.items(max_rows, cuts, nobr_rows)
        scale = 25.4 / 72 if o["unit"] == "mm" else 1.0  # a format array is in the document's unit
        fmt = "A4" if o["page"] in ("A4", "A4L") else [round(x * scale, 3) for x in (self.W, self.H)]
        org = self.ink(d.org)
        return {
            "tcpdf": str(install_dir() / "tcpdf.php"),
            "fonts_dir": str(fonts_dir(o["face"])) + "/",
            "out": str(self.out),
            "page": {"orientation": "P" if o["page"] == "A4" else "L", "unit": o["unit"], "format": fmt},
            "margins": self.margins(),
            "font": {"family": self.family, "subset": o["subset"], "size": self.pt},
            "bold": o["bold"],
            "cell": {"height_ratio": o["height_ratio"]},
            "colors": COLORS,
            "header": {
                "kind": o["header"],
                "title": org,
                "string": "策略地圖與平衡計分卡",
                "skip_first": o["header_skip_first"],
                "y": 12,
            },
            "footer": {
                "kind": o["footer"],
                "text": f"{org}｜策略地圖與平衡計分卡",
                "cjk_font": o["footer_cjk"],
                "skip_first": o["footer_skip_first"],
            },
            "watermark": {**o["watermark"], "text": "內部資料"} if o["watermark"] else None,
            "tcpdflink": o["tcpdflink"],
            "compress": o["compress"],
            "meta": {
                "title": f"{org}策略地圖與平衡計分卡",
                "author": org,
                "subject": f"{d.plan_year}年度策略地圖與平衡計分卡",
                "keywords": "策略地圖, 平衡計分卡, KPI",
            },
            "items": items,
        }, slides


def _broken(pdf: Path, deck: Deck) -> Kpi | None:
    """A KPI row not whole on one page: its code on no page or on several (r_mpdf's test), or characters missing
    from its page, counted over all the KPIs printed there as layout.check counts them (the last such KPI of
    the page, the row TCPDF split at its foot)."""
    import pymupdf

    k = broken_row(pdf, deck)
    if k is not None:
        return k
    find_pages(pdf, deck)
    doc = pymupdf.open(str(pdf))
    on: dict[int, list[Kpi]] = {}
    for _, _, k in deck.kpis():
        on.setdefault(k.page or 0, []).append(k)
    for p, ks in sorted(on.items()):
        texts = [k.shown + "".join(v.text for v in k.values) + "".join(x.shown for x in k.plans) + k.code for k in ks]
        need = Counter("".join(fold("".join(texts)).split()))
        short = need - Counter("".join(fold(doc[p - 1].get_text()).split()))
        if short:
            return next(k for k, t in reversed(list(zip(ks, texts))) if set(fold(t)) & set(short))
    return None


def _run(job: dict, tmp: Path) -> dict:
    path = tmp / "job.json"
    path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    # a web server's memory limit: TCPDF loops, growing, on a cell it can never fit
    cmd = ["php", "-d", "memory_limit=1024M", str(PHP), str(path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if proc.returncode or not Path(job["out"]).exists():
        raise RuntimeError(f"TCPDF failed: {(proc.stderr or proc.stdout)[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows.  Slides: the row budget is lowered (then the type made
    smaller) until every slide's table fits its page.  Flow: a KPI row split over two pages gets nobr (html),
    a row still not whole starts a new table on a new page; a row taller than a page makes the type smaller."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    out_pdf = Path(out_pdf)
    cuts: dict[str, set[int]] = {}
    nobr_rows: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(100):
            b = Builder(deck, opts, out_pdf)
            job, slides = b.job(int(opts["max_rows"]), cuts, nobr_rows)
            rep = _run(job, Path(tmp))
            if not opts["flow"]:
                if any(x["overflow"] or x["last"] != x["first"] for x in (rep["items"][i] for i in slides)):
                    if opts["max_rows"] > 1:
                        opts["max_rows"] -= 1
                        continue
                    if opts["font_pt"] <= 6:
                        raise RuntimeError(f"{deck.stem}: a table does not fit a slide even in 6 pt type")
                    opts["font_pt"] -= 1
                    continue
                break
            if any(x["overflow"] for x in rep["items"]):  # a cell-table row taller than a page
                if opts["font_pt"] <= 6:
                    raise RuntimeError(f"{deck.stem}: a row does not fit a page even in 6 pt type")
                opts["font_pt"] -= 1
                continue
            k = _broken(out_pdf, deck)
            if k is None:
                break
            if opts["api"] == "html" and not opts["nobr"] and k.code not in nobr_rows:
                nobr_rows.add(k.code)  # the author keeps the split row together
                continue
            t = next(t for t in deck.themes if any(k is x for o in t.objectives for x in o.kpis))
            rows = theme_rows(deck, t)
            i = next(j for j, r in enumerate(rows) if r.kpi is k)
            lead = i - 1 if i and rows[i - 1].kind == "band" else i
            starts = t is deck.themes[0] or opts["theme_break"]
            if opts["api"] == "cells" or lead in cuts.get(t.letter, set()) or (lead == 0 and starts):
                if opts["font_pt"] <= 6:
                    raise RuntimeError(f"{deck.stem}: KPI {k.code} is not whole on one page even in 6 pt type")
                opts["font_pt"] -= 1
                cuts, nobr_rows = {}, set()
                continue
            cuts.setdefault(t.letter, set()).add(lead)
        else:
            raise RuntimeError(f"{deck.stem}: the TCPDF layout did not settle")
    if opts["flow"]:
        opts.pop("max_rows")
        opts["split_before"] = {k: sorted(v) for k, v in sorted(cuts.items())}
        opts["nobr_added"] = sorted(nobr_rows)
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
