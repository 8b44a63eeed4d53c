"""Dompdf renderer: the deck as HTML written for Dompdf (PHP), the HTML/CSS-to-PDF library behind the PDF export of
Laravel (barryvdh/laravel-dompdf), Drupal and WordPress apps, printed by a small driver (`r_dompdf.php`, run with
`php`) that does what such an app does around loadHtml/render: the Options (font and temp folders, chroot, font
subsetting, dpi, default font, embedded PHP), setPaper, faces registered through FontMetrics::registerFont, page
numbers and a watermark drawn on the canvas after render(), the metadata.  Debian 12's php-dompdf 2.0.3 (with
php-font-lib 0.5.4 and php-dompdf-svg-lib 0.5.0), the CPDF backend.  Dompdf lays out, wraps and paginates by itself;
this module writes the HTML and reads back where the rows landed.

Pages: setPaper('A4', 'landscape'|'portrait') or a custom [0, 0, w, h] in points, or an `@page { size: ... }` rule
(paper_by); margins from `@page`.  Slides are blocks with `page-break-before: always`; each theme's table is cut
into slides of `max_rows` KPI rows, the budget lowered (then the type made smaller) until no slide's table spills
onto a second page.  Flow: the theme tables in one document on A4 landscape or portrait (or the deck's page),
themes starting a page or following on.  Dompdf never breaks inside a table row (inline content in a table cannot
break; `tr { page-break-inside: avoid }`, which authors write anyway, changes nothing) and breaks before any row but
a table's first, so a two-row header can itself be cut: its lower row printed on the next page under the wrong
columns (the upper row's rowspan cells are not carried over), and no header repeated there.  Likewise a rowspan
group (策略目標, or 構面 in its own column) broken over two pages has its continued rows drawn with their cells moved
left into the spanned column.  Authors who saw this keep the title, the header rows and band rows with what follows
(`page-break-after: avoid`, keep_with_next, which Dompdf honours between rows), start the table on a new page, or
give up rowspans: a theme whose title is not on the page of its first row is made to start a page, a rowspan group
broken over two pages makes its table split before it (a new table on a new page, split_before), and a group
taller than a page makes the deck drop rowspans (spans false).  `thead { display: table-header-group }` repeats the
header rows on every page of a table; without a thead (repeat_header false) the header rows are body rows, printed
once and counted by `tr:nth-child(even)` zebra rules.

Tables: a two-row header with `colspan` 實際值/目標值 over the years (html_common.header), `rowspan` 構面/策略目標
cells or repeated blank ones; Dompdf ignores `<col>` widths (widths 'colgroup': column widths from the content),
so most authors put `width` percentages on the header cells (widths 'th').  Rules: CSS borders collapsed (grid,
horizontal rules, a rule under the header), `border-collapse: separate` with `border-spacing: 0` (two rules
between cells), or an old-style `border="1" cellspacing="0" cellpadding` table; zebra fills by a class or by
`tbody tr:nth-child(even)`; header and band fills.  構面 labels turned by `transform: rotate(-90deg)` (or 90) on a
nowrap block in the cell, which gives the cell a `height` as long as the label (a transform does not change the
layout); stacked one character per line; or band rows.

CJK wrapping: Dompdf breaks lines at spaces and hyphens only; a run longer than its column is cut at any character
only with `overflow-wrap: anywhere` (wrap: written as that, as `word-break: break-word`, Dompdf's legacy alias, or as
`word-wrap: anywhere` beside a `word-break: break-all` Dompdf ignores).  `overflow-wrap: break-word` or
`word-break: break-all` alone leave the run's width as the cell's minimum, and the table runs off the page: no deck
uses them.  A run that does not fit the rest of a line moves whole to the next line before it is cut ('AC1' alone
on a line, the objective name below).

Fonts: Dompdf has no per-glyph fallback and no synthetic bold.  The face is one of fonts.py's TrueType faces
(WenQuanYi Zen Hei, AR PL UMing/UKai, single faces cut from the system collections; a Noto CJK face is CFF, which
php-font-lib cannot subset (a fatal error) nor Dompdf embed), given as `@font-face` with a file:// url or by
registerFont (font_by); Dompdf copies the file into its font folder and writes its metrics (.ufm), so every
printing gets a fresh font folder (a face registered once would stay registered).  Bold text (headings, header
cells, band rows) needs a bold face of the family, or Dompdf takes the next family of the list: with `'uming',
sans-serif` Helvetica-Bold, which has no CJK glyphs, so authors (bold) register the same file again as the bold
face ('face': a second embedded copy of the font, SUBAAB+ and SUBAAC+), make the family the defaultFont and list no
generic family ('default_font': bold falls back to the regular face), or set headings and header cells
`font-weight: normal` ('normal').  Glyphs a face lacks are printed as their folded ideograph (fonts.printable).
isFontSubsettingEnabled (subset) true: subsets 'SUBAAB+UMingTW'; false (laravel-dompdf's default): the whole face
embedded (11 to 20 MB, twice with a bold copy).  px lengths (units 'px', sizes as a 96 dpi browser shows them)
are turned into points by the dpi option: at setDpi(72) everything prints a third larger.

Page furniture: running header and footer as `position: fixed` blocks in the page margins (on every page from the
first, the cover included); the CSS footer shows `counter(page)` alone ('- n -' or '第 n 頁'), since `counter(pages)`
prints 0 in Dompdf 2.0.3; or page numbers drawn on the canvas after render: `page_text()` with '{PAGE_NUM} /
{PAGE_COUNT}', '- {PAGE_NUM} -' or '第 {PAGE_NUM} 頁，共 {PAGE_COUNT} 頁' on every page, a `page_script` callback
leaving the cover unnumbered, or a `<script type="text/php">` at the end of the body (isPhpEnabled; at the top it
would number only the pages that exist by then, the first).  Watermark: a fixed block with pale text turned 30
degrees ('css_rotate') or with `opacity` ('css_opacity'), over the content or under it (`z-index: -1000`,
watermark_under), or translucent turned text drawn on every page by a page_script callback ('canvas',
set_opacity and text at an angle).

Drawing (PDF 1.7, Producer 'dompdf 2.0.3 + CPDF'): fonts are Type0 Identity-H over a CIDFontType2 whose CIDs are the
UTF-16 code units of the text (a CIDToGIDMap stream maps them to glyphs; /W from hmtx), with a ToUnicode that is one
identity bfrange <0000> <FFFF>, so the text layer is the HTML's characters, lookalikes included.  Each line of a cell
is its own `BT x y Td /Fn size Tf [(...)] TJ ET`.  Fills are `x y w h re f` before the cell's text; rules are one
stroked segment per cell side (`m l S`, butt caps), drawn cell by cell between the fills and texts; turned text is
`q 0 -1 1 0 tx ty cm ... Q`.  Fixed blocks are drawn after the page's content (before it with a negative z-index),
canvas text last.  Streams are compressed unless the driver asks for `compress => 0` (compress false).
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import tempfile
from collections import Counter
from functools import cache
from pathlib import Path

from .draw_common import SIZES
from .fonts import TRUETYPE, face_file, printable
from .html_common import colgroup, esc, header, persp_html
from .layout import Col, Row, _code_re, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, Kpi, Theme, fold

DOMPDF = "2.0.3"  # Debian 12's php-dompdf 2.0.3+dfsg-1+deb12u1 (README, Setup); checked by tool_version
ROOT = Path("/usr/share/php/dompdf")
PHP = Path(__file__).with_name("r_dompdf.php")
NAVY = "#1f3a68"
RULE = "#555555"
HEAD_FILL = "#dce6f2"
BAND_FILL = "#c9d9ec"
ZEBRA_FILL = "#eef2f7"
PAGE_SIZES = {**SIZES, "A4": (595.0, 842.0)}  # a flowing document may be a portrait A4 report
PAPER = {"A4L": ("A4", "landscape"), "A4": ("A4", "portrait")}  # setPaper / @page size names Dompdf knows
# the family name an author gives each face in @font-face or registerFont
FAMILY = {"WenQuanYi Zen Hei": "WenQuanYi Zen Hei", "AR PL UMing TW": "uming", "AR PL UKai TW": "ukai"}
# the CSS an author writes to make Dompdf break CJK runs (it breaks at spaces and hyphens only): all three end
# as overflow-wrap 'anywhere' (`word-break: break-word` is Dompdf's legacy alias, `word-wrap` its old name);
# `word-break: break-all` and `overflow-wrap: break-word` alone do not help (below)
WRAP_CSS = {
    "anywhere": "overflow-wrap: anywhere;",
    "break-word": "word-break: break-word;",
    "word-wrap": "word-wrap: anywhere; word-break: break-all;",
}
FOOT_TEXT = {
    "n_of_m": "{PAGE_NUM} / {PAGE_COUNT}",
    "dash": "- {PAGE_NUM} -",
    "zh": "第 {PAGE_NUM} 頁，共 {PAGE_COUNT} 頁",
}


def _dpkg(pkg: str) -> str:
    out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True)
    return out.stdout.strip() or "?"


@cache
def tool_version(engine: str | None = None) -> str:
    ver = (ROOT / "VERSION").read_text().strip() if (ROOT / "VERSION").exists() else ""
    if ver != DOMPDF:
        raise RuntimeError(f"Dompdf {DOMPDF} is not installed ({ver or 'none'}): apt-get install -y php-dompdf")
    php = subprocess.run(["php", "-r", "echo PHP_VERSION;"], capture_output=True, text=True).stdout.strip()
    return (
        f"Dompdf {ver} (php-dompdf {_dpkg('php-dompdf')}, php-font-lib {_dpkg('php-font-lib')}, "
        f"php-dompdf-svg-lib {_dpkg('php-dompdf-svg-lib')}), PHP {php}"
    )


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    rules = style["rules"]
    footer = rng.choice([None, "counter", "page_text", "page_script", "inline_php"]) if rng.random() < 0.85 else None
    # counter(pages) prints 0 in Dompdf 2.0.3: a CSS footer shows the page number alone
    foot_text = rng.choice(["dash", "zh"] if footer == "counter" else list(FOOT_TEXT))
    mark = rng.choice(["css_rotate", "css_opacity", "canvas"]) if style.get("watermark") else None
    return {
        "flow": flow,
        "page": rng.choice(["A4L", "A4L", "A4", style["page"]]) if flow else style["page"],
        "font_pt": max(style["font_pt"], rng.choice([8, 9, 10])) if flow else style["font_pt"],
        "paper_by": rng.choice(["setpaper", "css"]),
        "face": style["font"] if style["font"] in TRUETYPE else rng.choice(TRUETYPE),
        "font_by": rng.choice(["font-face", "register"]),
        "bold": rng.choice(["face", "face", "default_font", "normal"]),
        "subset": rng.random() < 0.75,
        "dpi": rng.choice([96, 96, 72]),
        "units": rng.choice(["pt", "pt", "px"]),
        "wrap": rng.choice(list(WRAP_CSS)),
        "borders": rng.choice(["collapse", "collapse", "separate", "attributes"] if rules == "grid" else ["collapse"]),
        "zebra_css": rng.choice(["class", "nth-child"]),
        "header_fill": rules != "none" and rng.random() < 0.75,
        "padding": rng.choice([1.5, 2, 3]),
        "widths": rng.choice(["th", "th", "colgroup"]),
        "spans": rng.random() < 0.75,
        "rotate": rng.choice([-90, -90, 90]),
        "repeat_header": rng.random() < 0.75 if flow else rng.random() < 0.5,
        "row_keep": rng.random() < 0.6,
        "keep_with_next": flow and rng.random() < 0.5,
        "theme_break": not flow or rng.random() < 0.5,
        "title_bar": rng.random() < 0.35,
        "footer": footer,
        "footer_text": foot_text if footer else None,
        "page_header": rng.random() < 0.25,
        "watermark": mark,
        "watermark_under": rng.random() < 0.6 if mark in ("css_rotate", "css_opacity") else None,
        "compress": rng.random() < 0.85,
    }


class Builder:
    """The HTML document of one printing of the deck, and the driver's job around it."""

    def __init__(self, deck: Deck, opts: dict, tmp: Path) -> None:
        self.d, self.o, self.st, self.tmp = deck, opts, deck.style, tmp
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.pt = float(opts["font_pt"])
        self.family = FAMILY[opts["face"]]

    # --- units and text -----------------------------------------------------------------------------------

    def u(self, pt: float) -> str:
        """A length as the author writes it: points, or pixels as a 96 dpi browser shows that size (Dompdf turns
        px into pt by its dpi option, so at 72 dpi every px length prints a third larger)."""
        if self.o["units"] == "px":
            return f"{pt * 96 / 72:.4g}px"
        return f"{pt:.4g}pt"

    def ink(self, s: str) -> str:
        return printable(s, self.o["face"])

    def text(self, s: str) -> str:
        return esc(self.ink(s))

    # --- pieces -------------------------------------------------------------------------------------------

    def title(self, s: str) -> str:
        logo = f'<span class="logo">{self.text(self.d.short)}</span>' if self.st["logo"] else ""
        return f'<h2 class="title">{logo}{self.text(s)}</h2>'

    def front(self) -> list[str]:
        d = self.d
        top = self.H * 0.22
        out = [
            f'<div class="cover" style="padding-top:{top:.0f}pt">{self.text(d.org)}</div>'
            '<div class="cover2">策略地圖與平衡計分卡</div>'
        ]
        lines = "".join(f'<p class="profile">{self.text(x)}</p>' for x in d.profile_lines)
        out.append(f'<h2 class="plain">{self.text(d.org)}轄區概況</h2>{lines}')
        per = {p: [o.shown for t in d.themes for o in t.objectives if o.perspective == p] for p in BSC_ORDER}
        per = {p: v for p, v in per.items() if v}
        n = max(len(v) for v in per.values())
        rows = []
        for p, objs in per.items():
            cells = "".join(f'<td class="obox">{self.text(o)}</td>' for o in objs)
            if len(objs) < n:
                cells += f'<td colspan="{n - len(objs)}"></td>'
            rows.append(f'<tr><td class="pbox">{p}構面</td>{cells}</tr>')
        out.append(
            f'<h2 class="plain"><span class="date">{esc(d.map_date)}</span>{self.text(d.org)}策略地圖</h2>'
            f'<p class="vision">願景：{self.text("、".join(t.shown for t in d.themes))}</p>'
            f'<table class="map">{"".join(rows)}</table>'
        )
        return out

    def closing(self) -> str:
        return f'<div class="cover" style="padding-top:{self.H * 0.3:.0f}pt">敬請指教</div>'

    # --- the table ----------------------------------------------------------------------------------------

    def header(self, cols: list[Col]) -> str:
        """html_common's header rows; with widths 'th' each header cell over one column carries its width (Dompdf
        ignores `<col>` widths: with widths 'colgroup' it sizes the columns from their content)."""
        two = self.st["year_header"] == "two_row"
        head = header(cols, two)
        if self.o["widths"] != "th":
            return head
        tot = sum(c.weight for c in cols)
        # the single-column header cells in document order: the top row's, then the lower row's (grouped years)
        single = [c for c in cols if not (two and c.group)] + [c for c in cols if two and c.group]
        widths = iter(f"{100 * c.weight / tot:.1f}%" for c in single)
        return re.sub(r"<th(?! colspan)", lambda m: f'<th width="{next(widths)}"', head)

    def table(self, rows: list[Row], prev: list[Row], cols: list[Col]) -> str:
        """One theme's table (or a piece of it): rowspan 構面/策略目標 cells or repeated blank ones, the label
        turned, stacked or in band rows; the header in a <thead> Dompdf repeats, or in the body."""
        st, o = self.st, self.o
        head = self.header(cols)
        spans = {key: dict(runs(rows, key)) for key in ("persp", "obj")}
        covered = {(i, key) for key in spans for s, n in spans[key].items() for i in range(s + 1, s + n)}
        out, kpis = [], 0
        for i, r in enumerate(rows):
            if r.kind == "band":
                out.append(f'<tr class="band"><td colspan="{len(cols)}">{self.text(r.cells["band"])}</td></tr>')
                continue
            kpis += 1
            zebra = ' class="alt"' if st["rules"] == "zebra" and o["zebra_css"] == "class" and kpis % 2 == 0 else ""
            tds = []
            for c in cols:
                text = r.cells.get(c.id, "")
                if c.id not in spans:
                    tds.append(f"<td>{self.text(text)}</td>")
                    continue
                if (i, c.id) in covered:
                    if o["spans"]:
                        continue
                    text = ""
                elif i == 0 and st["blank_cont"] and continues(prev, r, c.id):
                    text = ""
                n = spans[c.id].get(i, 1) if o["spans"] else 1
                span = f' rowspan="{n}"' if n > 1 else ""
                if c.id == "persp" and text:
                    inner = persp_html(self.ink(text), st["persp_mode"], "transform")
                    tall = ""
                    if st["persp_mode"] == "rotated":  # a turned label does not make its cell taller: the author does
                        tall = f' style="height: {self.u((len(text) + 1) * self.pt * 1.05)}"'
                    tds.append(f'<td{span} class="persp"{tall}>{inner}</td>')
                else:
                    tds.append(f'<td{span} class="{c.id}">{self.text(text)}</td>')
            out.append(f"<tr{zebra}>{''.join(tds)}</tr>")
        attrs = ' class="kpi"'
        if o["borders"] == "attributes":
            attrs += f' border="1" cellspacing="0" cellpadding="{o["padding"] + 1:g}"'
        body = "".join(out)
        group = colgroup(cols) if o["widths"] == "colgroup" else ""
        if o["repeat_header"]:
            return f"<table{attrs}>{group}<thead>{head}</thead><tbody>{body}</tbody></table>"
        return f"<table{attrs}>{group}<tbody>{head}{body}</tbody></table>"

    # --- the document -------------------------------------------------------------------------------------

    def margins(self) -> dict[str, float]:
        o = self.o
        return {"top": 40 if o["page_header"] else 24, "bottom": 34 if o["footer"] else 22, "side": 28}

    def css(self) -> str:
        st, o, u = self.st, self.o, self.u
        face = Path(face_file(o["face"])).as_uri()
        fam = self.family
        fonts = ""
        if o["font_by"] == "font-face":
            src = f"src: url('{face}') format('truetype');"
            fonts = f"@font-face {{ font-family: '{fam}'; {src} }}\n"
            if o["bold"] == "face":
                fonts += f"@font-face {{ font-family: '{fam}'; font-weight: bold; {src} }}\n"
        m = self.margins()
        size = ""
        if o["paper_by"] == "css":
            named = PAPER.get(o["page"])
            size = (
                f"size: {' '.join(named)}; "
                if named
                else f"size: {self.W * 25.4 / 72:.3f}mm {self.H * 25.4 / 72:.3f}mm; "
            )
        page = f"@page {{ {size}margin: {m['top']}pt {m['side']}pt {m['bottom']}pt {m['side']}pt; }}"
        family = f"'{fam}'" if o["bold"] == "default_font" else f"'{fam}', sans-serif"
        rules = st["rules"]
        border = {
            "grid": f"table.kpi td, table.kpi th {{ border: {u(0.5)} solid {RULE} }}",
            "hrules": f"table.kpi td, table.kpi th {{ border-bottom: {u(0.5)} solid {RULE} }}\n"
            f"table.kpi th {{ border-top: {u(1)} solid {RULE}; border-bottom: {u(1)} solid {RULE} }}",
            "zebra": f"table.kpi th {{ border-bottom: {u(1.5)} solid {NAVY} }}",
            "none": "",
        }[rules]
        if o["borders"] == "attributes":
            border = ""
        if rules == "zebra":
            sel = "table.kpi tr.alt td" if o["zebra_css"] == "class" else "table.kpi tbody tr:nth-child(even) td"
            border += f"\n{sel} {{ background-color: {ZEBRA_FILL} }}"
        collapse = {"collapse": "collapse", "separate": "separate; border-spacing: 0", "attributes": "separate"}
        weight = "font-weight: normal;" if o["bold"] == "normal" else ""
        fill = f"background-color: {HEAD_FILL};" if o["header_fill"] else ""
        band_fill = f"background-color: {BAND_FILL};" if rules != "none" else ""
        bar = (
            f"background-color: {NAVY}; color: #ffffff; padding: {u(3)} {u(6)};"
            if o["title_bar"]
            else f"color: {NAVY};"
        )
        turn = o["rotate"]
        keep = "table.kpi tr { page-break-inside: avoid }" if o["row_keep"] else ""
        if o["keep_with_next"]:
            keep += "\nh2.title, table.kpi thead tr, table.kpi tr.band { page-break-after: avoid }"
        thead = "table.kpi thead { display: table-header-group }" if o["repeat_header"] else ""
        fixed = ""
        if o["page_header"]:
            fixed += (
                f"#header {{ position: fixed; top: -{m['top'] - 8}pt; left: 0; right: 0; height: {u(12)};"
                f" font-size: {u(7)}; color: #666666; border-bottom: {u(0.5)} solid #999999 }}\n"
            )
        if o["footer"] == "counter":
            align = "center" if o["footer_text"] == "dash" else "right"
            fixed += (
                f"#footer {{ position: fixed; bottom: -{m['bottom'] - 8}pt; left: 0; right: 0; height: {u(12)};"
                f" font-size: {u(7)}; color: #666666; text-align: {align} }}\n"
                "#footer .pn:after { content: counter(page) }\n"
            )
        if o["watermark"] in ("css_rotate", "css_opacity"):
            color = "color: #e3e3e3;" if o["watermark"] == "css_rotate" else "color: #c85050; opacity: 0.15;"
            under = " z-index: -1000;" if o["watermark_under"] else ""
            fixed += (
                f".wm {{ position: fixed;{under} top: {self.H * 0.35:.0f}pt; left: {self.W * 0.22:.0f}pt;"
                f" font-size: {u(64)}; {color} transform: rotate(-30deg) }}\n"
            )
        return f"""{fonts}{page}
body {{ font-family: {family}; font-size: {u(self.pt)}; color: #111111 }}
h2 {{ font-size: {u(16)}; margin: 0 0 {u(6)} 0; {weight} }}
h2.title {{ {bar} }}
h2.plain {{ color: {NAVY} }}
.logo {{ float: right; font-size: {u(11)}; color: {NAVY}; border: {u(1)} solid {NAVY}; padding: {u(1)} {u(6)};
  background-color: #ffffff }}
.date {{ float: right; font-size: {u(12)}; color: #111111 }}
.cover {{ text-align: center; font-size: {u(28)}; color: {NAVY}; {weight} }}
.cover2 {{ text-align: center; font-size: {u(22)}; padding-top: {u(14)} }}
p.profile {{ font-size: {u(14)}; margin: {u(10)} {u(30)} }}
p.vision {{ font-size: {u(10)} }}
table.map {{ width: 100%; border-collapse: separate; border-spacing: {u(4)}; font-size: {u(11)} }}
td.pbox {{ width: 14%; background-color: {NAVY}; color: #ffffff; text-align: center; padding: {u(6)} }}
td.obox {{ border: {u(1)} solid {NAVY}; padding: {u(5)}; text-align: center; {WRAP_CSS[o["wrap"]]} }}
table.kpi {{ width: 100%; border-collapse: {collapse[o["borders"]]}; font-size: {u(self.pt)} }}
table.kpi td, table.kpi th {{ padding: {u(o["padding"])}; vertical-align: {st["valign"]}; text-align: {st["halign"]};
  {WRAP_CSS[o["wrap"]]} }}
table.kpi th {{ {fill} text-align: center; vertical-align: middle; {weight} }}
table.kpi tr.band td {{ {band_fill} text-align: left; {weight or "font-weight: bold;"} }}
table.kpi td.persp {{ text-align: center; vertical-align: middle }}
.trot {{ transform: rotate({turn}deg); white-space: nowrap }}
{keep}
{thead}
{border}
div.slide {{ page-break-before: always }}
div.theme {{ margin-top: {u(14)} }}
{fixed}"""

    def statics(self) -> str:
        """Fixed-position elements, printed on every page from the first: running header, CSS footer, watermark."""
        d, o = self.d, self.o
        out = ""
        if o["page_header"]:
            out += f'<div id="header">{self.text(d.org)}｜策略地圖與平衡計分卡</div>'
        if o["footer"] == "counter":
            out += (
                '<div id="footer">'
                + ("- <span class='pn'></span> -" if o["footer_text"] == "dash" else "第 <span class='pn'></span> 頁")
                + "</div>"
            )
        if o["watermark"] in ("css_rotate", "css_opacity"):
            out += '<div class="wm">內部資料</div>'
        return out

    def inline_php(self) -> str:
        """The page numbers as a Dompdf manual shows them: embedded PHP at the end of the body (isPhpEnabled),
        run once all pages exist."""
        if self.o["footer"] != "inline_php":
            return ""
        text = FOOT_TEXT[self.o["footer_text"]]
        widest = text.replace("{PAGE_NUM}", "99").replace("{PAGE_COUNT}", "99")
        side, low = self.margins()["side"], self.margins()["bottom"] - 12
        return (
            '<script type="text/php">\nif (isset($pdf)) {\n'
            f'    $font = $fontMetrics->getFont("{self.family}");\n'
            f'    $w = $fontMetrics->getTextWidth("{widest}", $font, 8);\n'
            f'    $pdf->page_text($pdf->get_width() - $w - {side}, $pdf->get_height() - {low}, "{text}", $font, 8,'
            " array(0.4, 0.4, 0.4));\n}\n</script>"
        )

    def slides(self, max_rows: int) -> tuple[str, int]:
        """The deck as slides, each theme's table cut by the row budget; and the page count it should have."""
        cols = columns(self.d)
        pages = self.front()
        for t in self.d.themes:
            pieces = chunk(theme_rows(self.d, t), max_rows)
            for i, piece in enumerate(pieces):
                table = self.table(piece, pieces[i - 1] if i else [], cols)
                pages.append(self.title(theme_title(self.d, t, i + 1, len(pieces))) + table)
        pages.append(self.closing())
        return "".join(_slide(p, i) for i, p in enumerate(pages)), len(pages)

    def flow(self, cuts: dict[str, set[int]]) -> str:
        """The front slides, then all theme tables in one flowing document paginated by Dompdf (a theme starting a
        page or following on; each piece after a cut a new table on a new page), then the closing slide."""
        cols = columns(self.d)
        out = "".join(_slide(p, i) for i, p in enumerate(self.front()))
        for n, t in enumerate(self.d.themes):
            rows = theme_rows(self.d, t)
            at = sorted({0, *cuts.get(t.letter, set())})
            pieces = [(a, rows[a:b]) for a, b in zip(at, [*at[1:], len(rows)])]
            brk = n == 0 or self.o["theme_break"] or 0 in cuts.get(t.letter, set())
            out += f'<div class="{"slide" if brk else "theme"}">{self.title(theme_title(self.d, t))}'
            for j, (a, piece) in enumerate(pieces):
                if j:
                    out += '</div><div class="slide">'
                out += self.table(piece, rows[:a], cols)
            out += "</div>"
        return out + _slide(self.closing(), 1)

    def document(self, body: str) -> str:
        return (
            f'<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="utf-8"><title>{esc(self.d.org)}</title>'
            f"<style>{self.css()}</style></head><body>{self.statics()}{body}{self.inline_php()}</body></html>"
        )

    def job(self, html_path: Path, out_pdf: Path) -> dict:
        o, d = self.o, self.d
        fonts_dir = self.tmp / "fonts"
        fonts_dir.mkdir(exist_ok=True)
        (self.tmp / "php").mkdir(exist_ok=True)
        face = face_file(o["face"])
        options = {
            "fontDir": str(fonts_dir),  # a fresh folder: Dompdf keeps every face it ever registered there
            "fontCache": str(fonts_dir),
            "tempDir": str(self.tmp / "php"),
            "chroot": [str(ROOT), str(Path(face).parent), str(self.tmp)],
            "isFontSubsettingEnabled": o["subset"],
            "isPhpEnabled": o["footer"] == "inline_php",
            "isRemoteEnabled": False,
            "dpi": o["dpi"],
            "defaultFont": self.family if o["bold"] == "default_font" else "serif",
        }
        fonts = []
        if o["font_by"] == "register":
            fonts.append({"family": self.family, "weight": "normal", "file": face})
            if o["bold"] == "face":
                fonts.append({"family": self.family, "weight": "bold", "file": face})
        paper = None
        if o["paper_by"] == "setpaper":
            paper = list(PAPER[o["page"]]) if o["page"] in PAPER else [[0, 0, self.W, self.H], "portrait"]
        footer = None
        if o["footer"] in ("page_text", "page_script"):
            footer = {
                "kind": o["footer"],
                "text": FOOT_TEXT[o["footer_text"]],
                "family": self.family,
                "size": 8,
                "color": [0.4, 0.4, 0.4],
                "align": "center" if o["footer_text"] == "dash" else "right",
                "margin": self.margins()["side"],
                "bottom": 22,
                "from": 2,  # the callback leaves the cover unnumbered
            }
        mark = None
        if o["watermark"] == "canvas":
            mark = {
                "text": "內部資料",
                "family": self.family,
                "size": 64,
                "angle": -30,
                "opacity": 0.12,
                "color": [0.78, 0.31, 0.31],
            }
        return {
            "autoload": str(ROOT / "autoload.php"),
            "html": str(html_path),
            "out": str(out_pdf),
            "options": options,
            "fonts": fonts,
            "paper": paper,
            "footer": footer,
            "watermark": mark,
            "compress": o["compress"],
            "meta": {"Title": f"{d.org}策略地圖與平衡計分卡", "Author": d.org, "Creator": "dompdf"},
        }


def _slide(inner: str, i: int) -> str:
    """One slide: a block starting a new page (`page-break-before`), except the first."""
    return f'<div class="{"slide" if i else "first"}">{inner}</div>'


def _run(b: Builder, body: str, out_pdf: Path) -> None:
    page = b.tmp / "deck.html"
    page.write_text(b.document(body), encoding="utf-8")
    job = b.tmp / "job.json"
    job.write_text(json.dumps(b.job(page, out_pdf), ensure_ascii=False), encoding="utf-8")
    if out_pdf.exists():
        out_pdf.unlink()
    proc = subprocess.run(["php", str(PHP), str(job)], capture_output=True, text=True, timeout=900)
    if proc.returncode or not out_pdf.exists():
        raise RuntimeError(f"Dompdf failed: {(proc.stderr or proc.stdout)[-2000:]}")


def _table_pages(pdf: Path) -> list[tuple[int, list[str], str]]:
    import pymupdf

    pages, started = [], False
    for i, page in enumerate(pymupdf.open(str(pdf)), 1):
        compact = "".join(fold(page.get_text()).split())
        started = started or "實際值" in compact or "目標值" in compact
        if started:
            pages.append((i, [w[4] for w in page.get_text("words")], compact))
    return pages


def _placed(pdf: Path, deck: Deck) -> tuple[dict[int, int], Kpi | None]:
    """The page of each KPI (by id), and the first KPI whose row is not whole on one page: its code on no page
    or on several, or characters of its row missing from the page with its code."""
    pages = _table_pages(pdf)
    where: dict[int, int] = {}
    for _, _, k in deck.kpis():
        rx = _code_re(k.code)
        hits = [i for i, words, _ in pages if any(rx.search(fold(w)) for w in words)]
        hits = hits or [i for i, _, compact in pages if rx.search(compact)]
        if len(hits) != 1:
            return where, k
        text = k.shown + "".join(v.text for v in k.values) + "".join(p.shown for p in k.plans) + k.code
        compact = next(c for i, _, c in pages if i == hits[0])
        if Counter("".join(fold(text).split())) - Counter(compact):
            return where, k
        where[id(k)] = hits[0]
    return where, None


def _title_apart(pdf: Path, deck: Deck, where: dict[int, int]) -> Theme | None:
    """The first theme whose title is not on the page of its first KPI row: a title (and header) left at the foot
    of a page.  Dompdf then prints the header's lower row (two-row headers) on the next page, under the wrong
    columns (the upper row's rowspan cells are not carried over), and does not repeat the header there."""
    pages = _table_pages(pdf)
    for t in deck.themes:
        title = "".join(fold(theme_title(deck, t)).split())
        first = where.get(id(t.objectives[0].kpis[0]))
        on = [i for i, _, compact in pages if title in compact]
        if on and first and on[0] != first:
            return t
    return None


def _split_span(
    deck: Deck, where: dict[int, int], cuts: dict[str, set[int]], cols: list[Col]
) -> tuple[Theme, int] | None:
    """The first rowspan group (策略目標, or 構面 in its own column) Dompdf broke over two pages: it draws the rows
    continued on the next page with their cells moved left into the spanned column.  (theme, row to cut before)."""
    keys = [k for k in ("persp", "obj") if any(c.id == k for c in cols)]
    for t in deck.themes:
        rows = theme_rows(deck, t)
        at = sorted({0, *cuts.get(t.letter, set())})
        for a, b in zip(at, [*at[1:], len(rows)]):
            piece = rows[a:b]
            for key in keys:
                for s, n in runs(piece, key):
                    got = {where.get(id(r.kpi)) for r in piece[s : s + n]}
                    if len(got) > 1:
                        return t, a + s
    return None


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows.  Slides: the row budget is lowered (then the type made smaller)
    until every slide's table fits its page.  Flow: a KPI row not whole on one page, or a rowspan group broken
    over two pages, makes the deck print again with its table split before it (a rowspan group taller than a
    page: without rowspans)."""
    import pymupdf

    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    out_pdf = Path(out_pdf)
    flow = opts["flow"]
    cuts: dict[str, set[int]] = {}
    with tempfile.TemporaryDirectory(prefix="dompdf-") as tmp:
        while True:
            b = Builder(deck, opts, Path(tmp))
            if flow:
                _run(b, b.flow(cuts), out_pdf)
                where, k = _placed(out_pdf, deck)
                if k is None:
                    t = _title_apart(out_pdf, deck, where)
                    if t and not (t is deck.themes[0] or opts["theme_break"] or 0 in cuts.get(t.letter, set())):
                        cuts.setdefault(t.letter, set()).add(0)  # the theme starts a page
                        continue
                if k is None and opts["spans"]:
                    hit = _split_span(deck, where, cuts, columns(deck))
                    if hit:
                        t, lead = hit
                        if lead in cuts.get(t.letter, set()) or (
                            lead == 0 and (t is deck.themes[0] or opts["theme_break"])
                        ):
                            opts["spans"] = False  # a group taller than a page: the author drops rowspans
                            cuts = {}
                            continue
                        cuts.setdefault(t.letter, set()).add(lead)
                        continue
                if k is None:
                    break
                t = next(t for t in deck.themes if any(k is x for o in t.objectives for x in o.kpis))
                rows = theme_rows(deck, t)
                i = next(j for j, r in enumerate(rows) if r.kpi is k)
                lead = i - 1 if i and rows[i - 1].kind == "band" else i
                starts = t is deck.themes[0] or opts["theme_break"]
                if lead in cuts.get(t.letter, set()) or (lead == 0 and starts):
                    if opts["font_pt"] <= 6:
                        raise RuntimeError(f"{deck.stem}: KPI {k.code} is not whole on one page even in 6 pt type")
                    opts["font_pt"] -= 1
                    cuts = {}
                    continue
                cuts.setdefault(t.letter, set()).add(lead)
                continue
            parts, want = b.slides(int(opts["max_rows"]))
            _run(b, parts, out_pdf)
            if len(pymupdf.open(str(out_pdf))) == want:
                break
            if opts["max_rows"] > 1:
                opts["max_rows"] -= 1
                continue
            if opts["font_pt"] <= 6:
                raise RuntimeError(f"{deck.stem}: a table does not fit a slide even in 6 pt type")
            opts["font_pt"] -= 1
    if flow:
        opts.pop("max_rows")
        opts["split_before"] = {k: sorted(v) for k, v in sorted(cuts.items())}
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
