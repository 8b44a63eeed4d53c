"""xhtml2pdf renderer: the deck as one HTML document converted by xhtml2pdf (pisa), the "export as PDF" of
many Python/Django web apps, which lays the page out with ReportLab's platypus (its own CSS subset, no
browser engine).

Pages: `@page` gives the size in points and the margins; a footer is a static `@frame` filled from a
`-pdf-frame-content` block, with `<pdf:pagenumber>` (and `<pdf:pagecount>`).  Slides are parts of the
document cut by `<pdf:nextpage>` or a CSS `page-break-before`; each theme's table is cut by the row budget,
lowered until every table fits its slide, or (fit 'shrink') put in a `-pdf-keep-in-frame-mode: shrink`
block that xhtml2pdf scales down to fit its slide (through a `cm`, so the text layer shows the smaller
size), the budget lowered only if that takes the type below 70 %.  Flow: all tables in one document on A4
landscape (or the deck's page) broken by xhtml2pdf: a table is a platypus Table split by rows, the header
repeated from `repeat="N"` or a `<thead>` (both repeat) or not at all; themes start a page or follow on
under a title kept with its table (`-pdf-keep-with-next`); with a running title every theme has its own
named `@page` template whose static header frame holds the theme title (no part marker), switched by
`<pdf:nextpage name=...>`.  xhtml2pdf never cuts a table row in two: a row that does not fit moves whole,
a rowspan group moves whole (one taller than a page is a LayoutError: smaller type), and a cell taller
than a whole page is shrunk, not cut (every cell is a KeepInFrame in shrink mode); a KPI row printed over
two pages would still make the deck print again with its table split before it (split_before), a safety
net that stays empty.

CJK wrapping: by default a paragraph breaks at spaces only, so a CJK run longer than its column runs on over
the next cells (Paragraph reports the column width, so the cell's KeepInFrame never shrinks it); authors add
one of three rules (option wrap).  `-pdf-word-wrap: CJK` and `word-break: break-all` use ReportLab's CJK
splitter: a break before any character, a closing bracket or 、。 hung at the end of the line (a full-width
colon or comma may start one: '週期' over '：季）'), and every `<br>` dropped, so forced line breaks vanish
('AC1.1<br>名稱' prints 'AC1.1名稱', plan lines and wrapped values fuse) unless the lines are `<div>` blocks
(option lines).  `overflow-wrap: break-word` keeps `<br>` and breaks at spaces, cutting only a word longer
than the line ('實際值(108' over '年)').

Fonts: only TrueType outlines reach the PDF.  WenQuanYi Zen Hei and AR PL UMing are embedded from the
single faces of fonts.py; a Noto CJK face (CFF) is converted by xhtml2pdf to TrueType outlines with
fontTools, which fails for a whole 65k-glyph face (an OverflowError, after some 40 s; the text then falls back to
Helvetica and disappears), so Noto decks name a subset of the face holding every character the content
pools can print: one fixed file, because ReportLab keeps one font per PostScript name in a process and a
second subset of the same face would be drawn with the first one's glyphs.  Glyphs a face lacks are printed
as their folded ideograph (fonts.printable).  ReportLab embeds simple TrueType subsets of at most 256 glyphs
each ('AAAAAA+NotoSerifCJKtc-Regular', 'AAAAAB+...', resources F2+0, F2+1): ASCII keeps its own codes,
other glyphs get codes 1..255 in order of first use, read back through ReportLab's ToUnicode.  No bold face
is registered, so bold CSS (headers, band rows) prints regular.  Every page declares Helvetica for empty
`BT /F1 10 Tf 12 TL ET` objects.

Drawing order and rules: static frames first (footer, a watermark frame, the running header), then the
story; a table paints all its fills (`re f*`, header, zebra and band cells) before the cell paragraphs, cell
by cell in row order, each line its own BT..Tj T* ET; then all rules as stroked segments (`m l S`,
projecting caps), each cell's four sides separately, so an edge two cells share is stroked twice, and a
CSS border on a `<table>` goes to its cells as well.  grid: every side 0.5 pt; hrules: bottom rules with a
1 pt rule over and under the header; zebra: a 1.5 pt rule under the header and filled alternate KPI rows
(`tr.alt td`); none: no rules and no fills.  Text cannot be rotated: a rotated or stacked 構面 label prints
one character per `<div>`.  The logo caption is a boxed cell of a two-cell title table; a title bar is an
h1 with a background (its text sits high in the bar).  The watermark is either a static frame with pale
horizontal text on every page (in the text layer, before the page's content) or a PNG page background with
the text turned 30 degrees (no text).
"""

from __future__ import annotations

import html
import random
import re
import tempfile
from collections import Counter
from functools import cache
from importlib import metadata
from pathlib import Path

from .draw_common import SIZES
from .fonts import cache_dir, face_file, printable, subset_file
from .layout import Col, Row, _code_re, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, Kpi, fold

NAVY = "#1f3a68"
RULE = "#555555"
HEAD_FILL = "#dce6f2"
BAND_FILL = "#c9d9ec"
ZEBRA_FILL = "#eef2f7"
WRAP_CSS = {
    "CJK": "-pdf-word-wrap: CJK;",
    "break-all": "word-break: break-all;",
    "break-word": "overflow-wrap: break-word;",
}


def tool_version(engine: str | None = None) -> str:
    return f"xhtml2pdf {metadata.version('xhtml2pdf')} (ReportLab {metadata.version('reportlab')})"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    running = flow and rng.random() < 0.5
    return {
        "flow": flow,
        "fit": None if flow else rng.choice(["rows", "rows", "shrink"]),
        "running_title": running,
        "theme_break": running or not flow or rng.random() < 0.6,
        "page": rng.choice(["A4L", "A4L", style["page"]]) if flow else style["page"],
        "font_pt": max(style["font_pt"], rng.choice([8, 9, 10])) if flow else style["font_pt"],
        "wrap": rng.choice(["CJK", "CJK", "break-all", "break-word"]),
        "lines": rng.choice(["br", "br", "div"]),
        "repeat_header": rng.choice([None, "repeat", "thead"]) if flow else rng.choice([None, "thead"]),
        "spans": rng.random() < 0.75,
        "padding": rng.choice([2, 3, 4]),
        "title_bar": rng.random() < 0.4,
        "footer": rng.choice([None, "number", "n_of_m"]) if rng.random() < 0.75 else None,
        "breaks": rng.choice(["nextpage", "css"]),
        "watermark_kind": rng.choice(["frame", "image"]) if style.get("watermark") else None,
    }


@cache
def _app_chars() -> set[str]:
    """The characters of the fixed Noto subset: whatever the content pools and this package can print, the
    lookalike blocks, ASCII and full-width forms.  xhtml2pdf cannot embed a whole Noto CJK face (its CFF to
    TrueType conversion overflows), and ReportLab keeps one font per PostScript name in a process, so a
    subset made per deck would draw the next deck with the first deck's glyphs: one subset serves all."""
    here = Path(__file__).parent
    text = "".join(
        (here / f).read_text(encoding="utf-8") for f in ("pools.py", "spec.py", "layout.py", Path(__file__).name)
    )
    ranges = [(0x20, 0x7F), (0xA0, 0x100), (0x2E80, 0x2FE0), (0x3000, 0x3040), (0xF900, 0xFB00), (0xFF00, 0xFF70)]
    extra = {chr(c) for a, b in ranges for c in range(a, b)} | set("≧≥≦≤×÷±‧–—‘’“”…※")
    return {c for c in text if not c.isspace()} | extra | {" "}


def esc(s: str) -> str:
    return html.escape(s)


class Builder:
    """The HTML document of one printing of the deck."""

    def __init__(self, deck: Deck, opts: dict, tmp: Path) -> None:
        self.d, self.o, self.st, self.tmp = deck, opts, deck.style, tmp
        self.W, self.H = SIZES[opts["page"]]
        self.pt = float(opts["font_pt"])
        self.family = opts["font"]

    # --- text ---------------------------------------------------------------------------------------------

    def ink(self, s: str) -> str:
        return printable(s, self.family)

    def cell_text(self, s: str) -> str:
        """A cell's text: forced line breaks as <br> or as one <div> per line."""
        lines = [esc(self.ink(x)) for x in s.split("\n")]
        if self.o["lines"] == "div" and len(lines) > 1:
            return "".join(f"<div>{x}</div>" for x in lines)
        return "<br/>".join(lines)

    # --- pieces -------------------------------------------------------------------------------------------

    def page_break(self, template: str | None = None) -> str:
        if template:
            return f'<pdf:nextpage name="{template}" />'
        if self.o["breaks"] == "nextpage":
            return "<pdf:nextpage />"
        return '<div style="page-break-before: always"></div>'

    def title(self, s: str) -> str:
        """A theme page's title; the logo caption in a boxed cell on the right."""
        s = esc(self.ink(s))
        bar = f"background-color:{NAVY}; color:#ffffff; padding:4pt 6pt;"
        style = bar if self.o["title_bar"] else f"color:{NAVY};"
        if not self.st["logo"]:
            return f'<h1 class="t" style="{style}">{s}</h1>'
        logo = esc(self.ink(self.d.short))
        return (
            f'<table class="tt"><tr><td style="{style} font-size:16pt; font-weight:bold">{s}</td>'
            f'<td width="90pt" style="text-align:center; vertical-align:middle; font-size:11pt; color:{NAVY};'
            f' border:1pt solid {NAVY}">{logo}</td></tr></table>'
        )

    def front(self) -> list[str]:
        d = self.d
        out = [
            f'<div style="text-align:center; padding-top:{self.H * 0.25:.0f}pt; font-size:30pt">{esc(self.ink(d.org))}'
            "<br/><br/>策略地圖與平衡計分卡</div>"
        ]
        lines = "".join(f'<p style="font-size:14pt; margin:10pt 30pt">{esc(self.ink(x))}</p>' for x in d.profile_lines)
        out.append(f'<h1 style="color:{NAVY}">{esc(self.ink(d.org))}轄區概況</h1>{lines}')
        rows = []
        per = {p: [o.shown for t in d.themes for o in t.objectives if o.perspective == p] for p in BSC_ORDER}
        per = {p: v for p, v in per.items() if v}
        n = max(len(v) for v in per.values())
        for p, objs in per.items():
            box = f"border:1pt solid {NAVY}; padding:4pt; text-align:center"
            cells = "".join(f'<td style="{box}">{esc(self.ink(o))}</td>' for o in objs)
            if len(objs) < n:
                cells += f'<td colspan="{n - len(objs)}"></td>'
            rows.append(
                f'<tr><td width="14%" style="background-color:{NAVY}; color:#ffffff; text-align:center;'
                f' vertical-align:middle; padding:6pt">{p}構面</td>{cells}</tr>'
            )
        out.append(
            f'<table class="tt"><tr><td><h1 style="color:{NAVY}">{esc(self.ink(d.org))}策略地圖</h1></td>'
            f'<td width="120pt" style="text-align:right; font-size:14pt">{esc(d.map_date)}</td></tr></table>'
            f'<p style="font-size:10pt">願景：{esc(self.ink("、".join(t.shown for t in d.themes)))}</p>'
            f'<table class="map" style="{WRAP_CSS[self.o["wrap"]]}">{"".join(rows)}</table>'
        )
        return out

    # --- the table ----------------------------------------------------------------------------------------

    def table(self, rows: list[Row], prev: list[Row], cols: list[Col]) -> str:
        st, o = self.st, self.o
        tot = sum(c.weight for c in cols)
        width = {c.id: f"{100 * c.weight / tot:.1f}%" for c in cols}
        two = st["year_header"] == "two_row"
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
        header = "".join(f"<tr>{''.join(r)}</tr>" for r in ([top, low] if two else [top]))
        repeat = ""
        if o["repeat_header"] == "thead":
            header = f"<thead>{header}</thead>"
        elif o["repeat_header"] == "repeat":
            repeat = f' repeat="{2 if two else 1}"'

        spans = {key: dict(runs(rows, key)) for key in ("persp", "obj")}
        covered = {(i, key) for key in spans for s, n in spans[key].items() for i in range(s + 1, s + n)}
        out, kpis = [], 0
        for i, r in enumerate(rows):
            if r.kind == "band":
                out.append(f'<tr class="band"><td colspan="{len(cols)}">{self.cell_text(r.cells["band"])}</td></tr>')
                continue
            kpis += 1
            zebra = ' class="alt"' if st["rules"] == "zebra" and kpis % 2 == 0 else ""
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
                if c.id == "persp" and st["persp_mode"] != "column":
                    # no rotated text in xhtml2pdf: one character per line, each its own block
                    inner = "".join(f"<div>{esc(self.ink(ch))}</div>" for ch in text)
                    tds.append(f'<td{span} class="persp">{inner}</td>')
                else:
                    tds.append(f'<td{span} class="{c.id}">{self.cell_text(text)}</td>')
            out.append(f"<tr{zebra}>{''.join(tds)}</tr>")
        body = "".join(out)
        return f'<table class="kpi"{repeat}>{header}{body}</table>'

    # --- the document -------------------------------------------------------------------------------------

    def css(self) -> str:
        st, o = self.st, self.o
        pad = o["padding"]
        rules = st["rules"]
        border = {
            "grid": f"table.kpi td, table.kpi th {{ border: 0.5pt solid {RULE} }}",
            "hrules": f"table.kpi td, table.kpi th {{ border-bottom: 0.5pt solid {RULE} }}"
            f" table.kpi th {{ border-top: 1pt solid {RULE}; border-bottom: 1pt solid {RULE} }}",
            "zebra": f"table.kpi th {{ border-bottom: 1.5pt solid {NAVY} }}"
            f" table.kpi tr.alt td {{ background-color: {ZEBRA_FILL} }}",
            "none": "",
        }[rules]
        fill = "" if rules == "none" else f"background-color: {HEAD_FILL};"
        band_fill = "" if rules == "none" else f"background-color: {BAND_FILL};"
        top = 54 if o["flow"] and o["running_title"] else 24
        bottom = 34 if o["footer"] else 22
        frames = ""
        if o["footer"]:
            frames += (
                f"@frame footer {{ -pdf-frame-content: footer; left: 28pt; width: {self.W - 56:.0f}pt;"
                f" top: {self.H - 26:.0f}pt; height: 18pt }}"
            )
        wm = ""
        if st["watermark"] and o["watermark_kind"] == "frame":
            frames += (
                f"@frame wm {{ -pdf-frame-content: wm; left: {self.W * 0.25:.0f}pt; width: {self.W * 0.6:.0f}pt;"
                f" top: {self.H * 0.42:.0f}pt; height: 90pt }}"
            )
        elif st["watermark"]:
            wm = f"background-image: url('{self.watermark_png()}');"
        page = f"size: {self.W:.0f}pt {self.H:.0f}pt; margin: {top}pt 28pt {bottom}pt 28pt; {wm}"
        templates = f"@page {{ {page} {frames} }}"
        if o["flow"] and o["running_title"]:
            for t in self.d.themes:
                head = (
                    f"@frame head {{ -pdf-frame-content: head_{t.letter}; left: 28pt; width: {self.W - 56:.0f}pt;"
                    " top: 14pt; height: 36pt }"
                )
                templates += f" @page theme_{t.letter} {{ {page} {frames} {head} }}"
        font = self.font_file()
        return f"""
@font-face {{ font-family: deckfont; src: url('{font}'); }}
{templates}
html {{ font-family: deckfont }}
body {{ font-size: {self.pt:g}pt; color: #111111 }}
h1 {{ font-size: 16pt; margin: 0 0 8pt 0 }}
h1.t {{ -pdf-keep-with-next: true }}
table.tt {{ margin-bottom: 6pt; -pdf-keep-with-next: true }}
table.map td {{ font-size: 11pt }}
table.kpi td, table.kpi th {{ padding: {pad}pt; vertical-align: {st["valign"]}; text-align: {st["halign"]};
  {WRAP_CSS[o["wrap"]]} }}
table.kpi th {{ {fill} text-align: center; vertical-align: middle; font-weight: bold }}
table.kpi tr.band td {{ {band_fill} font-weight: bold; text-align: left }}
table.kpi td.persp {{ text-align: center; vertical-align: middle }}
{border}
"""

    def font_file(self) -> str:
        if self.family.startswith("Noto"):
            missing = self.chars - _app_chars()
            if missing:
                raise ValueError(f"characters outside the fixed Noto subset: {''.join(sorted(missing))}")
            return subset_file(self.family, _app_chars())
        return face_file(self.family)

    def watermark_png(self) -> str:
        from PIL import Image, ImageDraw, ImageFont

        out = self.tmp / "watermark.png"
        if not out.exists():
            scale = 2
            img = Image.new("RGBA", (int(self.W * scale), int(self.H * scale)), (255, 255, 255, 0))
            font = ImageFont.truetype(face_file(self.family), 60 * scale)
            txt = Image.new("RGBA", img.size, (255, 255, 255, 0))
            ImageDraw.Draw(txt).text(
                (self.W * 0.3 * scale, self.H * 0.45 * scale), "內部資料", font=font, fill=(200, 80, 80, 48)
            )
            img.alpha_composite(txt.rotate(30, center=(self.W * scale / 2, self.H * scale / 2)))
            img.save(out)
        return str(out)

    def statics(self) -> str:
        d, o = self.d, self.o
        out = ""
        if o["footer"]:
            num = "- <pdf:pagenumber /> -" if o["footer"] == "number" else "<pdf:pagenumber /> / <pdf:pagecount />"
            out += (
                f'<div id="footer"><table style="font-size:7pt; color:#666666; border-top:0.5pt solid #999999">'
                f"<tr><td>{esc(self.ink(d.org))}｜策略地圖與平衡計分卡</td>"
                f'<td width="80pt" style="text-align:right">{num}</td></tr></table></div>'
            )
        if self.st["watermark"] and o["watermark_kind"] == "frame":
            out += '<div id="wm" style="font-size:60pt; color:#f2d4d4">內部資料</div>'
        if o["flow"] and o["running_title"]:
            for t in d.themes:
                out += f'<div id="head_{t.letter}">{self.title(theme_title(d, t))}</div>'
        return out

    def closing(self) -> str:
        return f'<div style="text-align:center; padding-top:{self.H * 0.35:.0f}pt; font-size:36pt">敬請指教</div>'

    def slides(self, max_rows: int) -> tuple[str, int]:
        """The deck as slides, each theme's table cut by the row budget; and the page count it should have."""
        cols = columns(self.d)
        pages = self.front()
        for t in self.d.themes:
            pieces = chunk(theme_rows(self.d, t), max_rows)
            for i, piece in enumerate(pieces):
                table = self.table(piece, pieces[i - 1] if i else [], cols)
                if self.o["fit"] == "shrink":
                    table = f'<div style="-pdf-keep-in-frame-mode: shrink">{table}</div>'
                pages.append(self.title(theme_title(self.d, t, i + 1, len(pieces))) + table)
        pages.append(self.closing())
        return self.page_break().join(pages), len(pages)

    def flow(self, cuts: dict[str, set[int]]) -> str:
        """All theme tables in one flowing document paginated by xhtml2pdf; a table is split (the rest a new
        table on a new page) before the theme rows in `cuts`."""
        cols = columns(self.d)
        running = self.o["running_title"]
        out = self.page_break().join(self.front())
        for n, t in enumerate(self.d.themes):
            rows = theme_rows(self.d, t)
            at = sorted({0, *cuts.get(t.letter, set())})
            pieces = [(a, rows[a:b]) for a, b in zip(at, [*at[1:], len(rows)])]
            if running:
                out += self.page_break(f"theme_{t.letter}")
            elif n == 0 or self.o["theme_break"] or 0 in cuts.get(t.letter, set()):
                out += self.page_break()
            else:
                out += '<div style="height:14pt"></div>'
            if not running:
                out += self.title(theme_title(self.d, t))
            for j, (a, piece) in enumerate(pieces):
                if j:
                    out += self.page_break()
                out += self.table(piece, rows[:a], cols)
        out += self.page_break("body" if running else None)
        out += self.closing()
        return out

    def document(self, body: str) -> str:
        self.chars = set(fold(body)) | set(body)
        statics = self.statics()
        self.chars |= set(statics)
        return (
            f'<html lang="zh-Hant"><head><meta charset="utf-8"/><title>{esc(self.d.org)}</title>'
            f"<style>{self.css()}</style></head><body>{statics}{body}</body></html>"
        )


def _convert(doc: str, out_pdf: Path, roots: tuple[Path, ...]) -> None:
    from xhtml2pdf import pisa
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    policy = ResourceAccessPolicy(base_dir=roots[0], extra_roots=roots[1:])
    with open(out_pdf, "wb") as f:
        res = pisa.CreatePDF(doc, dest=f, encoding="utf-8", resource_policy=policy)
    if res.err:
        raise RuntimeError(f"xhtml2pdf reported {res.err} errors")


class TooTall(Exception):
    """A KPI row that does not fit a page even at the top of one: the type must be smaller."""


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
    """The smallest type size of a table line holding a KPI code (a slide's table shrunk to fit)."""
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
    """options: see producer_options, plus font and max_rows.  Slides: the row budget is lowered (then the
    type made smaller) until every slide's table fits its page (shrink: without being shrunk below 70 %).
    Flow: a KPI row xhtml2pdf cuts at a page break makes the deck print again with its table split before
    that row; a row taller than a page, smaller type."""
    import pymupdf
    from reportlab.platypus.doctemplate import LayoutError

    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    opts.setdefault("font", st["font"])
    out_pdf = Path(out_pdf)
    flow = opts["flow"]
    cuts: dict[str, set[int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        roots = (Path(tmp), cache_dir())
        while True:
            b = Builder(deck, opts, Path(tmp))
            try:
                if flow:
                    _convert(b.document(b.flow(cuts)), out_pdf, roots)
                    k = _broken(out_pdf, deck)
                    if k is None:
                        break
                    t = next(t for t in deck.themes if any(k is x for o in t.objectives for x in o.kpis))
                    rows = theme_rows(deck, t)
                    i = next(j for j, r in enumerate(rows) if r.kpi is k)
                    lead = i - 1 if i and rows[i - 1].kind == "band" else i
                    starts = t is deck.themes[0] or opts["theme_break"]
                    if lead in cuts.get(t.letter, set()) or (lead == 0 and starts):
                        raise TooTall(k.code)
                    cuts.setdefault(t.letter, set()).add(lead)
                    continue
                body, want = b.slides(int(opts["max_rows"]))
                try:
                    _convert(b.document(body), out_pdf, roots)
                    fits = len(pymupdf.open(str(out_pdf))) == want
                except LayoutError:  # a rowspan taller than the slide: xhtml2pdf cannot cut it
                    fits = False
                if fits and opts["fit"] == "shrink":
                    fits = _smallest(out_pdf, deck) >= 0.7 * opts["font_pt"]
                if fits:
                    break
                if opts["max_rows"] > 1:
                    opts["max_rows"] -= 1
                    continue
            except (TooTall, LayoutError):  # LayoutError: a rowspan taller than a page
                pass
            if opts["font_pt"] <= 6:
                raise RuntimeError(f"{deck.stem}: a table row does not fit a page even in 6 pt type")
            opts["font_pt"] -= 1
            cuts = {}
    if flow:  # xhtml2pdf paginates: no row budget
        opts.pop("max_rows")
        opts["split_before"] = {k: sorted(v) for k, v in sorted(cuts.items())}
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
