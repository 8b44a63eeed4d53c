"""mPDF renderer: the deck as HTML written for mPDF (PHP), the HTML-to-PDF library behind the "export PDF" of many
government and business web systems in Taiwan, printed by a small driver (`r_mpdf.php`, run with `php`) that does
what such a system does around `WriteHTML`: constructor options, fonts added to `fontdata`, SetHeader/SetFooter,
SetWatermarkText.  mPDF lays out, wraps and paginates by itself; this module writes the HTML and reads back where
the rows landed.

Pages: the size and margins from the constructor (`format`, `margin_*`) or from mPDF's `@page` rules (`sheet-size`:
its `size` would only set a page box inside an A4 sheet).  Any @page rule switches off what SetHeader/SetFooter or
a pagebreak's odd-header-name set, so a deck with @page names its header and footer there (`header: ph`, `footer:
html_foot`), with `<pageheader>`/`<pagefooter>` tags standing for SetHeader/SetFooter, and a running title as a
named page per theme (`<pagebreak page-selector=...>`); a deck without names them by SetHeader/SetFooter,
`<sethtmlpagefooter>` and `<pagebreak odd-header-name=...>`.  Page numbers are `{PAGENO}` and `{nbpg}` (filled in
after pagination).  Slides: each theme's table cut into slides of `max_rows` KPI rows (`<pagebreak />` between),
the budget lowered until no slide's table runs over its page, or (fit 'shrink') each table
`page-break-inside: avoid`, which mPDF shrinks to fit its page (up to `autosize`, or shrink_tables_to_fit's 1.4),
the budget lowered only if the type falls below 65 %.  Flow: the theme tables in one document on A4 landscape or
portrait (or the deck's page), themes starting a page or following on; mPDF breaks a table between rows, repeating
the `<thead>` rows (header rows outside a thead are not repeated), never inside a row (a row taller than a page
shrinks the whole table) and not inside a rowspan group; a band row may be kept with the next row
(`page-break-after: avoid`); with keep_tables each theme's table is `page-break-inside: avoid` (moved to a page of
its own and shrunk to fit it; kept off when that takes the type below 60 %).  A KPI row not whole on one page (a
safety net that stays empty) makes the deck print again with its table split before that row.

Tables: `width` percentages on the header cells, a two-row header with `colspan` for 實際值/目標值 over the years,
`rowspan` for 構面/策略目標 cells (or repeated blank cells), 構面 labels turned by mPDF's `text-rotate` (90 or -90),
stacked one character per line, or as band rows.  Rules: CSS borders collapsed (grid, horizontal rules, a rule
under the header) or an old-style `border="1" cellspacing="0" cellpadding` table (separate borders); zebra fills by
a class or by `tbody tr:nth-child(even)`; header and band fills.  Headings before a table
are kept with it (`use_kwt`); a title with a logo caption is itself a table and is not.  mPDF sizes columns from
their content: a table whose narrowest columns do not fit the page is shrunk as a whole, whatever
shrink_tables_to_fit says, so tables of one deck may be printed at different sizes (e.g. 10, 9.49, 8.76 pt).

Fonts (font_mode): 'adobe': `useAdobeCJK` with autoLangToFont, the body in `big5`: the deck in MSungStd-Light-Acro
(Adobe-CNS1, UniCNS-UTF16-H); with autoScriptToLang (script_to_lang) every Han run is marked und-Hans, whatever
the document's language, and drawn in STSongStd-Light-Acro (Adobe-GB1, UniGB-UTF16-H), the Simplified Chinese
font, while digits, Latin and punctuation stay in MSung.  Neither font is embedded, there is no ToUnicode (readers
map the codes through the predefined CMap), and mPDF writes all four styles of each family it uses.  The Adobe
CMaps have no CJK compatibility ideographs and MSung no CJK radicals supplement (printed as the unified
ideograph), nor ≥ ≤ (set in mPDF's DejaVu Sans Condensed, as an author who saw them vanish would).
'fontdata': a TrueType face of fonts.py added to fontdata and made the default font.  'script': mPDF's DejaVu Sans
Condensed for the text and autoScriptToLang sending Chinese runs to that face through a LanguageToFont
(useSubstitutions for the full-width signs DejaVu lacks), so a cell mixes two fonts.  The TrueType CJK faces
(WenQuanYi Zen Hei, AR PL UMing/UKai) cover the Supplementary Ideographic Plane, so mPDF embeds them not as
Type0 but as simple TrueType subsets of at most 255 codes ('MPDFAA+UMingTW', 'MPDFAB+UMingTW', ..., ASCII under its
own codes, other characters from 0x80 in order of use, with a ToUnicode), and a line switches between them inside
one BT (`<8889> Tj /F5 10 Tf <0E0F> Tj /F4 10 Tf <> Tj`); DejaVu is Type0 Identity-H.  Noto CJK (CFF outlines)
cannot be used: mPDF reads TrueType outlines only.  Registering the regular file as the bold face too makes mPDF
write two subsets under one name whose glyphs and ToUnicode do not match (wrong characters on screen and in the
text layer), so there is no bold face: bold is the regular face stroked (`2 Tr`, a line width of ~4 % of the size),
or for Adobe fonts the ',Bold' name.  mPDF keeps a face's metrics in its tempDir under the fontdata key: one key
per face.

Drawing (PDF 1.4, Producer 'mPDF 8.3.1'): each text run is `q <colour> 0 Tr BT x y Td <codes> Tj ET Q` at its own
position, lines of a cell stacked by separate Td; a page begins with empty `BT /Fn size Tf ET` objects and repeats
them before cells.  Fills are `q rg x y w -h re f Q` (negative height) before the cell's text; rules are stroked
segments (`m l S`), each cell drawing its own sides, so a shared edge is stroked more than once.  Turned text
is `q 0 ±1 ∓1 0 x y cm 1 0 0 1 -x -y cm` around the run.  Headers and footers come first in a page's content.
The watermark (SetWatermarkText, `watermark_font` the deck's face or big5) is stroked text at 45 degrees, drawn
last over the page under an ExtGState alpha, in the text layer once per page.
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import subprocess
import tempfile
from collections import Counter
from functools import cache
from pathlib import Path

from .draw_common import SIZES
from .fonts import TRUETYPE, face_file, printable
from .layout import Col, Row, _code_re, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, Kpi, fold

MPDF = "8.3.1"  # composer require mpdf/mpdf:8.3.1 in $REALTOOLS_CACHE/mpdf (README, Setup)
PHP = Path(__file__).with_name("r_mpdf.php")
NAVY = "#1f3a68"
RULE = "#555555"
HEAD_FILL = "#dce6f2"
BAND_FILL = "#c9d9ec"
ZEBRA_FILL = "#eef2f7"
PAGE_SIZES = {**SIZES, "A4": (595.0, 842.0)}  # a flowing document may be a portrait A4 report
NAMED = {"A4L": "A4-L", "A4": "A4"}  # mPDF's names for the page sizes it knows
# fontdata keys (mPDF caches a face's metrics in its tempDir under the key: one key per face)
KEYS = {"WenQuanYi Zen Hei": "wqyzenhei", "AR PL UMing TW": "umingtw", "AR PL UKai TW": "ukaitw"}


def install_dir() -> Path:
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "mpdf"
    if not (d / "vendor" / "autoload.php").exists():
        raise RuntimeError(f"mPDF is not installed: cd {d} && composer require mpdf/mpdf:{MPDF}")
    return d


@cache
def tool_version(engine: str | None = None) -> str:
    installed = json.loads((install_dir() / "vendor" / "composer" / "installed.json").read_text())
    pkgs = installed["packages"] if isinstance(installed, dict) else installed
    ver = next(p["version"] for p in pkgs if p["name"] == "mpdf/mpdf")
    php = subprocess.run(["php", "-r", "echo PHP_VERSION;"], capture_output=True, text=True).stdout.strip()
    return f"mPDF {ver.lstrip('v')}, PHP {php}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    running = flow and rng.random() < 0.4
    mode = rng.choice(["adobe", "fontdata", "fontdata", "script"])
    face = style["font"] if style["font"] in TRUETYPE else rng.choice(TRUETYPE)
    rules = style["rules"]
    return {
        "flow": flow,
        "page": rng.choice(["A4L", "A4L", "A4", style["page"]]) if flow else style["page"],
        "font_pt": max(style["font_pt"], rng.choice([8, 9, 10])) if flow else style["font_pt"],
        "page_by": rng.choice(["config", "css"]),
        "font_mode": mode,
        "face": None if mode == "adobe" else face,
        "lang": "zh-TW" if mode == "fontdata" or (mode == "adobe" and rng.random() < 0.75) else None,
        # autoScriptToLang marks Han runs und-Hans, whatever the document's language: Adobe decks then draw them in
        # the Simplified Chinese font; 'script' decks send them to the face
        "script_to_lang": mode == "script" or (mode == "adobe" and rng.random() < 0.5),
        "fit": None if flow else rng.choice(["rows", "rows", "shrink"]),
        "keep_tables": flow and rng.random() < 0.25,
        "autosize": rng.choice([None, None, 2, 3]),
        "running_title": running,
        "theme_break": running or not flow or rng.random() < 0.5,
        "repeat_header": rng.random() < 0.75 if flow else rng.random() < 0.5,
        "band_keep": rng.random() < 0.5,
        "spans": rng.random() < 0.75,
        "rotate": rng.choice([90, -90]),
        "borders": rng.choice(["collapse", "collapse", "attributes"]) if rules == "grid" else "collapse",
        "zebra_css": rng.choice(["class", "nth-child"]),
        "header_fill": rules != "none" and rng.random() < 0.75,
        "padding": rng.choice([1.5, 2, 3]),
        "title_bar": rng.random() < 0.35,
        "footer": rng.choice([None, "html_number", "html_n_of_m", "setfooter"]) if rng.random() < 0.8 else None,
        "page_header": not running and rng.random() < 0.25,
        "watermark_alpha": rng.choice([0.08, 0.12, 0.2]) if style.get("watermark") else None,
    }


def esc(s: str) -> str:
    return html.escape(s, quote=False)


def mm(pt: float) -> str:
    return f"{pt * 25.4 / 72:.2f}mm"


class Builder:
    """The HTML document of one printing of the deck, and the driver's job around it."""

    def __init__(self, deck: Deck, opts: dict) -> None:
        self.d, self.o, self.st = deck, opts, deck.style
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.pt = float(opts["font_pt"])

    # --- text ---------------------------------------------------------------------------------------------

    def ink(self, s: str) -> str:
        """Text a face lacks a glyph for is printed as its folded form (mPDF would show a box or nothing).  The
        Adobe CJK fonts have no CJK compatibility ideographs (their UTF-16 CMaps map none: the text layer loses
        them), MSung none of the CJK radicals supplement either (STSong has them): printed as the unified
        ideograph.  MSung has no ≥ ≤ (UniCNS-UTF16-H leaves them out): they are set in mPDF's DejaVu, as an
        author who saw them vanish would."""
        if self.o["face"]:
            return printable(s, self.o["face"])
        gaps = [(0xF900, 0xFB00)] if self.o["script_to_lang"] else [(0xF900, 0xFB00), (0x2E80, 0x2F00)]
        return "".join(fold(c) if any(a <= ord(c) < b for a, b in gaps) else c for c in s)

    def cell_text(self, s: str) -> str:
        out = "<br />".join(esc(self.ink(x)) for x in s.split("\n"))
        if self.o["font_mode"] == "adobe":
            out = re.sub("([≥≤]+)", r'<span style="font-family:dejavusanscondensed">\1</span>', out)
        return out

    # --- pieces -------------------------------------------------------------------------------------------

    def title(self, s: str) -> str:
        """A theme page's title (h2, kept with its table by use_kwt); the logo caption in a boxed cell."""
        s = esc(self.ink(s))
        bar = f"background-color:{NAVY}; color:#ffffff; padding:3pt 6pt;" if self.o["title_bar"] else f"color:{NAVY};"
        if not self.st["logo"]:
            return f'<h2 style="{bar}">{s}</h2>'
        logo = esc(self.ink(self.d.short))
        return (
            f'<table class="tt" width="100%"><tr><td style="{bar} font-size:15pt; font-weight:bold">{s}</td>'
            f'<td width="22%" style="text-align:center; vertical-align:middle; font-size:11pt; color:{NAVY};'
            f' border:1pt solid {NAVY}">{logo}</td></tr></table>'
        )

    def front(self) -> list[str]:
        d = self.d
        out = [
            f'<div style="text-align:center; padding-top:{self.H * 0.22:.0f}pt; font-size:28pt; font-weight:bold;'
            f' color:{NAVY}">{esc(self.ink(d.org))}</div>'
            f'<div style="text-align:center; padding-top:16pt; font-size:24pt">策略地圖與平衡計分卡</div>'
        ]
        lines = "".join(f'<p style="font-size:14pt; margin:10pt 30pt">{esc(self.ink(x))}</p>' for x in d.profile_lines)
        out.append(f'<h2 style="color:{NAVY}">{esc(self.ink(d.org))}轄區概況</h2>{lines}')
        per = {p: [o.shown for t in d.themes for o in t.objectives if o.perspective == p] for p in BSC_ORDER}
        per = {p: v for p, v in per.items() if v}
        n = max(len(v) for v in per.values())
        rows = []
        for p, objs in per.items():
            box = f"border:1pt solid {NAVY}; padding:5pt; text-align:center; vertical-align:middle"
            cells = "".join(f'<td style="{box}">{esc(self.ink(o))}</td>' for o in objs)
            if len(objs) < n:
                cells += f'<td colspan="{n - len(objs)}"></td>'
            rows.append(
                f'<tr><td width="14%" style="background-color:{NAVY}; color:#ffffff; text-align:center;'
                f' vertical-align:middle; padding:6pt">{p}構面</td>{cells}</tr>'
            )
        out.append(
            f'<table width="100%"><tr><td><h2 style="color:{NAVY}; margin:0">{esc(self.ink(d.org))}策略地圖</h2></td>'
            f'<td width="25%" style="text-align:right; font-size:13pt">{esc(d.map_date)}</td></tr></table>'
            f'<p style="font-size:10pt">願景：{esc(self.ink("、".join(t.shown for t in d.themes)))}</p>'
            f'<table width="100%" style="border-collapse:separate; border-spacing:4pt; font-size:11pt">'
            f"{''.join(rows)}</table>"
        )
        return out

    def closing(self) -> str:
        return f'<div style="text-align:center; padding-top:{self.H * 0.33:.0f}pt; font-size:36pt">敬請指教</div>'

    # --- the table ----------------------------------------------------------------------------------------

    def header_rows(self, cols: list[Col]) -> str:
        tot = sum(c.weight for c in cols)
        width = {c.id: f"{100 * c.weight / tot:.1f}%" for c in cols}
        two = self.st["year_header"] == "two_row"
        top, low, j = [], [], 0
        while j < len(cols):
            c = cols[j]
            if two and c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                top.append(f'<th colspan="{k - j + 1}">{self.cell_text(c.group)}</th>')
                low += [
                    f'<th width="{width[cols[m].id]}">{self.cell_text(cols[m].sub or "")}</th>' for m in range(j, k + 1)
                ]
                j = k + 1
            else:
                span = ' rowspan="2"' if two else ""
                top.append(f'<th width="{width[c.id]}"{span}>{self.cell_text(c.label)}</th>')
                j += 1
        return "".join(f"<tr>{''.join(r)}</tr>" for r in ([top, low] if two else [top]))

    def table(self, rows: list[Row], prev: list[Row], cols: list[Col], keep: bool) -> str:
        st, o = self.st, self.o
        head = self.header_rows(cols)
        head = f"<thead>{head}</thead>" if o["repeat_header"] else head
        spans = {key: dict(runs(rows, key)) for key in ("persp", "obj")}
        covered = {(i, key) for key in spans for s, n in spans[key].items() for i in range(s + 1, s + n)}
        out, kpis = [], 0
        for i, r in enumerate(rows):
            if r.kind == "band":
                keep_row = ' style="page-break-after:avoid"' if o["band_keep"] else ""
                out.append(
                    f'<tr class="band"{keep_row}><td colspan="{len(cols)}">{self.cell_text(r.cells["band"])}</td></tr>'
                )
                continue
            kpis += 1
            zebra = ' class="alt"' if st["rules"] == "zebra" and o["zebra_css"] == "class" and kpis % 2 == 0 else ""
            tds = []
            for c in cols:
                text = r.cells.get(c.id, "")
                if c.id not in spans:
                    tds.append(f"<td>{self.cell_text(text)}</td>")
                    continue
                if (i, c.id) in covered:
                    if o["spans"]:
                        continue
                    text = ""
                elif i == 0 and st["blank_cont"] and continues(prev, r, c.id):
                    text = ""
                span = f' rowspan="{spans[c.id][i]}"' if o["spans"] and i in spans[c.id] else ""
                if c.id == "persp" and text and st["persp_mode"] == "rotated":
                    tds.append(f'<td{span} class="persp" style="text-rotate:{o["rotate"]}">{esc(self.ink(text))}</td>')
                elif c.id == "persp" and st["persp_mode"] == "stacked":
                    tds.append(f'<td{span} class="persp">{"<br />".join(esc(self.ink(ch)) for ch in text)}</td>')
                else:
                    tds.append(f'<td{span} class="{c.id}">{self.cell_text(text)}</td>')
            out.append(f"<tr{zebra}>{''.join(tds)}</tr>")
        body = f"<tbody>{''.join(out)}</tbody>" if o["repeat_header"] else "".join(out)
        attrs = ' class="kpi"'
        if o["borders"] == "attributes":
            attrs += f' border="1" cellspacing="0" cellpadding="{o["padding"] + 1:g}"'
        if keep:
            attrs += ' style="page-break-inside:avoid"' + (f' autosize="{o["autosize"]}"' if o["autosize"] else "")
        return f"<table{attrs}>{head}{body}</table>"

    # --- the document -------------------------------------------------------------------------------------

    def css(self) -> str:
        st, o = self.st, self.o
        pad = o["padding"]
        rules = st["rules"]
        border = {
            "grid": f"table.kpi td, table.kpi th {{ border: 0.5pt solid {RULE} }}",
            "hrules": f"table.kpi td, table.kpi th {{ border-bottom: 0.5pt solid {RULE} }}\n"
            f"table.kpi th {{ border-top: 1pt solid {RULE}; border-bottom: 1pt solid {RULE} }}",
            "zebra": f"table.kpi th {{ border-bottom: 1.5pt solid {NAVY} }}",
            "none": "",
        }[rules]
        if o["borders"] == "attributes":
            border = ""
        if rules == "zebra":
            sel = "table.kpi tr.alt td" if o["zebra_css"] == "class" else "table.kpi tbody tr:nth-child(even) td"
            border += f"\n{sel} {{ background-color: {ZEBRA_FILL} }}"
        fill = f"background-color: {HEAD_FILL};" if o["header_fill"] else ""
        band_fill = f"background-color: {BAND_FILL};" if rules != "none" else ""
        pages = ""
        if o["page_by"] == "css":
            pages = "\n".join(f"@page{' ' + n if n else ''} {{ {v} }}" for n, v in self.page_rules().items())
        family = {"adobe": "big5", "fontdata": KEYS.get(o["face"] or "", ""), "script": "dejavusanscondensed"}
        return f"""
{pages}
body {{ font-family: {family[o["font_mode"]]}; font-size: {self.pt:g}pt; color: #111111 }}
h2 {{ font-size: 16pt; margin: 0 0 6pt 0 }}
table.tt {{ margin-bottom: 6pt; border-collapse: collapse }}
table.kpi {{ width: 100%; border-collapse: {"separate" if o["borders"] == "attributes" else "collapse"};
  font-size: {self.pt:g}pt }}
table.kpi td, table.kpi th {{ padding: {pad:g}pt; vertical-align: {st["valign"]}; text-align: {st["halign"]} }}
table.kpi th {{ {fill} text-align: center; vertical-align: middle; font-weight: bold }}
table.kpi tr.band td {{ {band_fill} font-weight: bold; text-align: left }}
table.kpi td.persp {{ text-align: center; vertical-align: middle }}
{border}
"""

    def margins(self) -> dict[str, float]:
        """Page margins in points: room for a running title or page header above, a footer below."""
        o = self.o
        top = 50 if o["running_title"] else (36 if o["page_header"] else 24)
        return {"top": top, "bottom": 30 if o["footer"] else 20, "side": 28, "header": 10, "footer": 8}

    def page_rules(self) -> dict[str, str]:
        """@page rules (page_by 'css'): size and margins, the header and footer by name; with a running title a
        named page per theme (its header the theme's title) and one for the closing page.  Any @page rule
        switches off headers and footers set by SetHeader/SetFooter or a pagebreak's odd-header-name: a page
        shows what its @page rule names, nothing else."""
        o, m = self.o, self.margins()
        base = f"margin: {mm(m['top'])} {mm(m['side'])} {mm(m['bottom'])} {mm(m['side'])};"
        # mPDF's own property: 'size' would set a page box inside an A4 sheet (with crop marks)
        named = NAMED.get(o["page"])
        base += f" sheet-size: {named};" if named else f" sheet-size: {mm(self.W)} {mm(self.H)};"
        base += f" margin-header: {mm(m['header'])}; margin-footer: {mm(m['footer'])};"
        foot = {"html_number": "html_foot", "html_n_of_m": "html_foot", "setfooter": "pf"}.get(o["footer"] or "")
        foot = f" footer: {foot};" if foot else ""
        head = " header: ph;" if o["page_header"] else ""
        rules = {"": base + head + foot}
        if o["running_title"]:
            rules |= {f"t_{t.letter}": f"{base} header: html_h_{t.letter};{foot}" for t in self.d.themes}
            rules["closing"] = base + foot
        return rules

    def statics(self) -> str:
        """Running headers and footers: HTML ones (`htmlpagefooter`, one `htmlpageheader` per theme for a running
        title) and, with @page rules, the `pageheader`/`pagefooter` tags that stand for SetHeader/SetFooter."""
        d, o = self.d, self.o
        css = o["page_by"] == "css"
        out = ""
        if o["footer"] in ("html_number", "html_n_of_m"):
            num = "- {PAGENO} -" if o["footer"] == "html_number" else "第 {PAGENO} 頁，共 {nbpg} 頁"
            out += (
                '<htmlpagefooter name="foot"><table width="100%" style="font-size:7pt; color:#666666;'
                f' border-top:0.5pt solid #999999"><tr><td>{esc(self.ink(d.org))}｜策略地圖與平衡計分卡</td>'
                f'<td width="30%" style="text-align:right">{num}</td></tr></table></htmlpagefooter>'
            )
            if not css:
                out += '<sethtmlpagefooter name="foot" value="on" show-this-page="1" />'
        if css and o["footer"] == "setfooter":
            out += (
                f'<pagefooter name="pf" content-left="{esc(self.ink(d.org))}" content-right="{{PAGENO}} / {{nbpg}}"'
                ' footer-style="font-size:8pt; color:#666666" line="on" />'
            )
        if css and o["page_header"]:
            out += (
                f'<pageheader name="ph" content-left="{esc(self.ink(d.org))}" content-right="策略地圖與平衡計分卡"'
                ' header-style="font-size:8pt; color:#666666" line="on" />'
            )
        if o["running_title"]:
            for t in d.themes:
                out += f'<htmlpageheader name="h_{t.letter}">{self.title(theme_title(d, t))}</htmlpageheader>'
        return out

    def slides(self, max_rows: int) -> tuple[str, int]:
        """The deck as slides, each theme's table cut by the row budget; and the page count it should have."""
        cols = columns(self.d)
        pages = self.front()
        for t in self.d.themes:
            pieces = chunk(theme_rows(self.d, t), max_rows)
            for i, piece in enumerate(pieces):
                table = self.table(piece, pieces[i - 1] if i else [], cols, self.o["fit"] == "shrink")
                pages.append(self.title(theme_title(self.d, t, i + 1, len(pieces))) + table)
        pages.append(self.closing())
        return "<pagebreak />".join(pages), len(pages)

    def flow(self, cuts: dict[str, set[int]]) -> str:
        """All theme tables in one flowing document paginated by mPDF; a table is split (the rest a new table on
        a new page) before the theme rows in `cuts`."""
        cols = columns(self.d)
        running = self.o["running_title"]
        out = "<pagebreak />".join(self.front())
        for n, t in enumerate(self.d.themes):
            rows = theme_rows(self.d, t)
            at = sorted({0, *cuts.get(t.letter, set())})
            pieces = [(a, rows[a:b]) for a, b in zip(at, [*at[1:], len(rows)])]
            if running and self.o["page_by"] == "css":
                out += f'<pagebreak page-selector="t_{t.letter}" />'
            elif running:
                out += f'<pagebreak odd-header-name="html_h_{t.letter}" odd-header-value="1" />'
            elif n == 0 or self.o["theme_break"] or 0 in cuts.get(t.letter, set()):
                out += "<pagebreak />"
            else:
                out += '<div style="height:12pt"></div>'
            if not running:
                out += self.title(theme_title(self.d, t))
            for j, (a, piece) in enumerate(pieces):
                if j:
                    out += "<pagebreak />"
                out += self.table(piece, rows[:a], cols, self.o["keep_tables"])
        if running and self.o["page_by"] == "css":
            out += '<pagebreak page-selector="closing" />'
        elif running:
            out += '<pagebreak odd-header-value="-1" />'
        else:
            out += "<pagebreak />"
        return out + self.closing()

    def document(self, body: str) -> str:
        lang = f' lang="{self.o["lang"]}"' if self.o["lang"] else ""
        return (
            f'<html{lang}><head><meta charset="utf-8" /><title>{esc(self.d.org)}</title>'
            f"<style>{self.css()}</style></head><body>{self.statics()}{body}</body></html>"
        )

    def job(self, html_path: Path, out_pdf: Path) -> dict:
        o, d = self.o, self.d
        inst = install_dir()
        m = self.margins()
        margins = {"top": m["top"], "bottom": m["bottom"], "left": m["side"], "right": m["side"]}
        margins |= {"header": m["header"], "footer": m["footer"]}
        config = {
            "mode": "utf-8",
            "format": NAMED.get(o["page"], [round(self.W * 25.4 / 72, 3), round(self.H * 25.4 / 72, 3)]),
            **{f"margin_{k}": round(v * 25.4 / 72, 2) for k, v in margins.items()},
            "tempDir": str(inst / "tmp"),
            "use_kwt": True,
            "autoScriptToLang": o["script_to_lang"],
            "autoLangToFont": o["font_mode"] in ("adobe", "script"),
            "useAdobeCJK": o["font_mode"] == "adobe",
        }
        fonts, key = {}, None
        if o["font_mode"] != "adobe":
            key = KEYS[o["face"]]
            file = Path(face_file(o["face"])).name
            fonts[key] = {"R": file}  # no bold face: mPDF strokes bold text (2 Tr)
            if o["font_mode"] == "fontdata":
                config["default_font"] = key
            else:  # mPDF's own DejaVu for Latin; CJK runs sent to the face, other gaps filled by substitution
                config["useSubstitutions"] = True
                config["backupSubsFont"] = ["dejavusanscondensed", key]
        css = o["page_by"] == "css"
        footer = None
        if o["footer"] == "setfooter" and not css:
            footer = f"{self.ink(d.org)}||{{PAGENO}} / {{nbpg}}"
        return {
            "autoload": str(inst / "vendor" / "autoload.php"),
            "html": str(html_path),
            "out": str(out_pdf),
            "config": config,
            "fonts": fonts,
            "font_dir": str(Path(face_file(o["face"])).parent) if key else "",
            "script_font": key if o["font_mode"] == "script" else "",
            "header": f"{self.ink(d.org)}||策略地圖與平衡計分卡" if o["page_header"] and not css else "",
            "footer": footer,
            "watermark": (
                {"text": "內部資料", "alpha": o["watermark_alpha"], "font": key or "big5"}
                if o["watermark_alpha"]
                else None
            ),
            "meta": {"title": f"{d.org}策略地圖與平衡計分卡", "author": d.org, "creator": "mPDF"},
        }


def _run(b: Builder, body: str, out_pdf: Path, tmp: Path) -> None:
    page = tmp / "deck.html"
    page.write_text(b.document(body), encoding="utf-8")
    job = tmp / "job.json"
    job.write_text(json.dumps(b.job(page, out_pdf), ensure_ascii=False), encoding="utf-8")
    (install_dir() / "tmp").mkdir(exist_ok=True)
    proc = subprocess.run(["php", str(PHP), str(job)], capture_output=True, text=True, timeout=900)
    if proc.returncode or not out_pdf.exists():
        raise RuntimeError(f"mPDF failed: {(proc.stderr or proc.stdout)[-2000:]}")


def _broken(pdf: Path, deck: Deck) -> Kpi | None:
    """The first KPI whose row is not whole on one page: its code on no page or on several, or characters
    of its row missing from the page with its code (the row was cut at a page break)."""
    import pymupdf

    doc = pymupdf.open(str(pdf))
    pages, started = [], False
    for i, page in enumerate(doc, 1):
        compact = "".join(fold(page.get_text()).split())
        started = started or "實際值" in compact or "目標值" in compact
        if started:
            pages.append((i, [w[4] for w in page.get_text("words")], compact))
    for _, _, k in deck.kpis():
        rx = _code_re(k.code)
        hits = [i for i, words, _ in pages if any(rx.search(fold(w)) for w in words)]
        hits = hits or [i for i, _, compact in pages if rx.search(compact)]
        if len(hits) != 1:
            return k
        text = k.shown + "".join(v.text for v in k.values) + "".join(p.shown for p in k.plans) + k.code
        compact = next(c for i, _, c in pages if i == hits[0])
        if Counter("".join(fold(text).split())) - Counter(compact):
            return k
    return None


def _smallest(pdf: Path, deck: Deck) -> float:
    """The smallest type size of a table line holding a KPI code (a table mPDF shrank to fit)."""
    import pymupdf

    rx = re.compile("|".join(re.escape(k.code) for _, _, k in deck.kpis()))
    sizes = [
        s["size"]
        for page in pymupdf.open(str(pdf))
        for b in page.get_text("dict")["blocks"]
        for line in b.get("lines", [])
        for s in line["spans"]
        if rx.search(fold(s["text"]))
    ]
    return min(sizes, default=0.0)


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows.  Slides: the row budget is lowered (then the type made
    smaller) until every slide's table fits its page (shrink: without mPDF shrinking it below 65 %).  Flow: a
    KPI row not whole on one page makes the deck print again with its table split before that row."""
    import pymupdf

    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    out_pdf = Path(out_pdf)
    flow = opts["flow"]
    cuts: dict[str, set[int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        while True:
            b = Builder(deck, opts)
            if flow:
                _run(b, b.flow(cuts), out_pdf, Path(tmp))
                if opts["keep_tables"] and _smallest(out_pdf, deck) < 0.6 * opts["font_pt"]:
                    opts["keep_tables"] = False  # a theme too long for one page: let mPDF break it
                    continue
                k = _broken(out_pdf, deck)
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
            body, want = b.slides(int(opts["max_rows"]))
            _run(b, body, out_pdf, Path(tmp))
            fits = len(pymupdf.open(str(out_pdf))) == want
            if fits and opts["fit"] == "shrink":
                fits = _smallest(out_pdf, deck) >= 0.65 * opts["font_pt"]
            if fits:
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
