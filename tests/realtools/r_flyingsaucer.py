"""Flying Saucer renderer: the deck as XHTML + CSS 2.1 printed by Flying Saucer R8 (xhtmlrenderer, Debian 12's
libcore-renderer-java 0.0~R8+dfsg2-1.1 on iText 2.1.7, libitext-java 2.1.7-14), the HTML-to-PDF renderer of many
Java web applications (Spring/JSF report exports), through a small Java driver (`r_flyingsaucer.java`, compiled
by javac at first use into the cache, Debian's jars on the classpath) doing what such an application does:
`new ITextRenderer()`, faces registered by `getFontResolver().addFont(path, IDENTITY_H, EMBEDDED)`,
`setDocument(file)`, `layout()`, `createPDF(stream)`.  Flying Saucer lays out, wraps and paginates by itself;
this module writes the XHTML and reads back where the rows landed.

Pages: `@page { size: ...; margin: ... }` (A4 landscape or portrait by name, custom 4:3 / 16:9 sizes in mm);
slides are blocks with `page-break-before: always`, each theme's table cut into slides of `max_rows` KPI rows,
the budget lowered (then the type made smaller) until the deck prints to as many pages as it has slides.  Flow:
the theme tables in one document Flying Saucer paginates (`-fs-table-paginate: paginate` repeats the `<thead>`
on every page, `tr { page-break-inside: avoid }` moves rows whole), themes starting a page or following on; a
row not whole on one page, a rowspan group broken over two pages or a title left at a page foot makes the
author split the table there (a new table on a new page), as with r_dompdf (whose checks are reused).

Page furniture: @page margin boxes: `@bottom-center { content: "- " counter(page) " -" }`, `@bottom-right
{ content: counter(page) " / " counter(pages) }` or '第 n 頁，共 N 頁' (counter(pages) works), the org in
`@top-center` by a string, or a running element (`position: running(header)` + `content: element(header)`).
Watermark: a `position: fixed` block (Flying Saucer repeats it on every page), under the content by `z-index`
or over it, or an absolutely positioned block in each table slide.  No CSS transforms in R8: turned 構面 labels
are stacked one character per line, or band rows.  Zebra fills only by class (R8 ignores `:nth-child`).

Quirks found: R8 breaks lines only at ASCII spaces (`Breaker` looks for ' '): a CJK run without spaces never
wraps (U+200B does not help, `word-wrap: break-word` is not known) and runs over into the next cell.  Authors
either wrap the text themselves (wrap 'prewrap': the application measures with the face's advance widths and
puts `<br />` where a line is full, never inside codes or numbers), or put a space after every CJK character
('spaced': visible half-width gaps, and spaces in the text layer); R8 ignores `word-spacing` (tried to close
the gaps), so the gaps stay.  `@font-face` works with `-fs-pdf-font-embed: embed` and
`-fs-pdf-font-encoding: Identity-H`, but R8 files the face under its own family name ('AR PL UMing TW',
'Noto Sans CJK TC'), ignoring the rule's
`font-family`, so the author's CSS names the face by that name either way (font_by 'font-face' or 'addFont').
There is no per-character fallback: a list like `sans-serif, 'WenQuanYi Zen Hei'` prints CJK in Helvetica
(nothing), so the face is named alone.  Bold text is the regular face (no synthetic bold).  Noto CJK (CFF) is
embedded as a CIDFontType0C subset 'XXXXXX+NotoSansCJKtc-Regular-Identity-H', the TrueType faces as
CIDFontType2 subsets; Producer 'iText 2.1.7 by 1T3XT'; no Title in the info dictionary.
"""

from __future__ import annotations

import html
import json
import random
import re
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from . import java_driver
from .draw_common import SIZES
from .fonts import face_file, printable
from .layout import Col, Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .r_dompdf import _placed, _split_span, _title_apart
from .spec import BSC_ORDER, Deck

FLYING_SAUCER = "0.0~R8+dfsg2-1.1"  # Debian 12's libcore-renderer-java (README, Setup); checked by tool_version
ITEXT = "2.1.7-14"  # Debian 12's libitext-java
JARS = ["/usr/share/java/core-renderer-0.0~R8.jar", "/usr/share/java/itext-2.1.7.jar"]
JAVA = Path(__file__).with_name("r_flyingsaucer.java")
MAIN = "FlyingSaucerDeck"
NAVY = "#1f3a68"
RULE = "#555555"
HEAD_FILL = "#dce6f2"
BAND_FILL = "#c9d9ec"
ZEBRA_FILL = "#eef2f7"
PAGE_SIZES = {**SIZES, "A4": (595.0, 842.0)}
PAGE_CSS = {"A4L": "A4 landscape", "A4": "A4 portrait", "4:3": "254mm 190.5mm", "16:9": "338.67mm 190.5mm"}
FOOT = {
    "dash": '"- " counter(page) " -"',
    "n_of_m": 'counter(page) " / " counter(pages)',
    "zh": '"第 " counter(page) " 頁，共 " counter(pages) " 頁"',
}
CODE = re.compile(r"[A-Za-z0-9.,%()<>=+\-/:≧≦≥≤~\uff10-\uff19\uff05\uff0e]+|\s|.", re.S)
NO_START = set("、，。：；）)」』%％")


def cache_dir() -> Path:
    import os

    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "flyingsaucer"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _dpkg(pkg: str) -> str:
    out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True)
    return out.stdout.strip()


@cache
def installed_version() -> str:
    for pkg, want in (("libcore-renderer-java", FLYING_SAUCER), ("libitext-java", ITEXT)):
        got = _dpkg(pkg)
        if got != want:
            raise RuntimeError(f"{pkg} {want} is wanted, {got or 'none'} is installed: apt-get install -y {pkg}")
    for jar in JARS:
        if not Path(jar).exists():
            raise RuntimeError(f"{jar} is missing: apt-get install -y libcore-renderer-java libitext-java")
    return FLYING_SAUCER


@cache
def driver() -> str:
    """The classpath of the driver (r_flyingsaucer.java with Json.java, compiled at first use once per version
    of both)."""
    installed_version()
    cp = ":".join(JARS)
    return java_driver.compiled(JAVA, cp, cache_dir(), cp, MAIN)


@cache
def tool_version(engine: str | None = None) -> str:
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    fs = f"Flying Saucer R8 (libcore-renderer-java {installed_version()})"
    return f"{fs}, iText 2.1.7 (libitext-java {ITEXT}), {java}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    footer = rng.choice([None, "dash", "n_of_m", "n_of_m", "zh"])
    return {
        "flow": flow,
        "page": rng.choice(["A4L", "A4L", "A4"]) if flow else style["page"],
        "font_pt": max(style["font_pt"], rng.choice([8, 9, 10])) if flow else style["font_pt"],
        "face": style["font"] if rng.random() < 0.85 else "AR PL UKai TW",
        "font_by": rng.choice(["addFont", "font-face"]),
        "wrap": rng.choice(["prewrap", "prewrap", "prewrap", "spaced"]),
        "units": rng.choice(["pt", "pt", "px"]),
        "padding": rng.choice([1.5, 2, 3]),
        "line_height": rng.choice(["normal", "1.25", "1.4"]),
        "header_fill": style["rules"] != "none" and rng.random() < 0.75,
        "spans": rng.random() < 0.75,
        "repeat_header": rng.random() < 0.8 if flow else rng.random() < 0.5,
        "theme_break": not flow or rng.random() < 0.5,
        "title_bar": rng.random() < 0.35,
        "footer": footer,
        "footer_box": rng.choice(["bottom-center", "bottom-right"]) if footer else None,
        "page_header": rng.choice([None, None, "string", "running"]),
        "watermark": rng.choice(["fixed", "fixed", "absolute"]) if style.get("watermark") else None,
        "watermark_under": rng.random() < 0.6,
    }


@cache
def _metrics(face: str) -> tuple[dict[int, float], float]:
    """Advance widths (em) by code point, and the width of a missing glyph."""
    from fontTools.ttLib import TTFont

    f = TTFont(face_file(face), lazy=True)
    upm = f["head"].unitsPerEm
    hmtx = f["hmtx"]
    adv = {cp: hmtx[g][0] / upm for cp, g in f.getBestCmap().items()}
    return adv, hmtx[".notdef"][0] / upm if ".notdef" in hmtx.metrics else 1.0


def _cjk(c: str) -> bool:
    return ord(c) >= 0x2E80


class Builder:
    """The XHTML document of one printing of the deck, and the driver's job around it."""

    def __init__(self, deck: Deck, opts: dict, tmp: Path) -> None:
        self.d, self.o, self.st, self.tmp = deck, opts, deck.style, tmp
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.pt = float(opts["font_pt"])
        self.family = opts["face"]  # R8 names a face by its own family name, as FACES does
        self.adv, self.missing = _metrics(opts["face"])
        self.slack = float(opts.get("slack", 0.95))

    # --- units and text -----------------------------------------------------------------------------------

    def u(self, pt: float) -> str:
        if self.o["units"] == "px":
            return f"{pt * 4 / 3:.4g}px"
        return f"{pt:.4g}pt"

    def width(self, s: str, size: float) -> float:
        return sum(self.adv.get(ord(c), self.missing) for c in s) * size

    def wrap(self, s: str, avail: float, size: float) -> list[str]:
        """The application's own line breaking: greedy, never inside an ASCII run (codes, numbers), no line
        starting with closing punctuation."""
        avail *= self.slack
        out: list[str] = []
        for para in s.split("\n"):
            lines, cur = [], ""
            for tok in CODE.findall(para):
                if self.width(cur + tok, size) <= avail or not cur.strip():
                    if not cur.strip() and self.width(tok, size) > avail:  # a run wider than the column: cut it
                        for c in tok:
                            if cur and self.width(cur + c, size) > avail:
                                lines.append(cur)
                                cur = ""
                            cur += c
                        continue
                    cur += tok
                    continue
                if tok.isspace():
                    lines.append(cur)
                    cur = ""
                    continue
                if tok in NO_START and len(cur) > 1:
                    lines.append(cur[:-1])
                    cur = cur[-1] + tok
                    continue
                lines.append(cur)
                cur = tok
            lines.append(cur)
            out += [ln.strip() for ln in lines if ln.strip()] or [""]
        return out

    def spaced(self, s: str) -> str:
        out = []
        for i, c in enumerate(s):
            out.append(c)
            nxt = s[i + 1] if i + 1 < len(s) else ""
            if _cjk(c) and nxt and not nxt.isspace() and nxt not in NO_START:
                out.append(" ")
        return "".join(out)

    def cell(self, s: str, avail: float | None = None, size: float | None = None) -> str:
        """A cell's text as XHTML: printable by the face, wrapped the deck's way."""
        s = printable(s, self.o["face"])
        if avail is None or self.o["wrap"] != "prewrap":
            if self.o["wrap"] != "prewrap" and avail is not None:
                s = "\n".join(self.spaced(x) for x in s.split("\n"))
            return "<br />".join(html.escape(x, quote=False) for x in s.split("\n"))
        lines = self.wrap(s, avail, size or self.pt)
        return "<br />".join(html.escape(x, quote=False) for x in lines)

    # --- pieces -------------------------------------------------------------------------------------------

    def margins(self) -> dict[str, float]:
        o = self.o
        return {"top": 40 if o["page_header"] else 24, "bottom": 34 if o["footer"] else 22, "side": 28}

    def content_w(self) -> float:
        return self.W - 2 * self.margins()["side"]

    def title(self, s: str) -> str:
        logo = f'<span class="logo">{self.cell(self.d.short)}</span>' if self.st["logo"] else ""
        return f'<h2 class="title">{logo}{self.cell(s)}</h2>'

    def front(self) -> list[str]:
        d = self.d
        out = [
            f'<div class="cover" style="padding-top: {self.u(self.H * 0.22)}">{self.cell(d.org)}</div>'
            '<div class="cover2">策略地圖與平衡計分卡</div>'
        ]
        lines = "".join(f'<p class="profile">{self.cell(x)}</p>' for x in d.profile_lines)
        out.append(f'<h2 class="plain">{self.cell(d.org)}轄區概況</h2>{lines}')
        per = {p: [o.shown for t in d.themes for o in t.objectives if o.perspective == p] for p in BSC_ORDER}
        per = {p: v for p, v in per.items() if v}
        n = max(len(v) for v in per.values())
        box = (self.content_w() * 0.86) / n - 2 * 5 - 2 * 4 - 2
        rows = []
        for p, objs in per.items():
            cells = "".join(f'<td class="obox">{self.cell(o, box, 11)}</td>' for o in objs)
            if len(objs) < n:
                cells += f'<td colspan="{n - len(objs)}"></td>'
            rows.append(f'<tr><td class="pbox">{p}構面</td>{cells}</tr>')
        wcol = "".join(f'<col width="{86 / n:.2f}%" />' for _ in range(n))
        out.append(
            f'<h2 class="plain"><span class="date">{html.escape(d.map_date)}</span>{self.cell(d.org)}策略地圖</h2>'
            f'<p class="vision">願景：{self.cell("、".join(t.shown for t in d.themes))}</p>'
            f'<table class="map"><colgroup><col width="14%" />{wcol}</colgroup>{"".join(rows)}</table>'
        )
        return out

    def closing(self) -> str:
        return f'<div class="cover" style="padding-top: {self.u(self.H * 0.3)}">敬請指教</div>'

    # --- the table ----------------------------------------------------------------------------------------

    def col_widths(self, cols: list[Col]) -> dict[str, float]:
        tot = sum(c.weight for c in cols)
        return {c.id: self.content_w() * c.weight / tot for c in cols}

    def avail(self, colw: float) -> float:
        return colw - 2 * float(self.o["padding"]) - 1.5

    def header(self, cols: list[Col]) -> str:
        two = self.st["year_header"] == "two_row"
        w = self.col_widths(cols)
        th = lambda c, text, attrs="": f"<th{attrs}>{self.cell(text, self.avail(w[c.id]))}</th>"  # noqa: E731
        if not two:
            return "<tr>" + "".join(th(c, c.label) for c in cols) + "</tr>"
        top, low, j = [], [], 0
        while j < len(cols):
            c = cols[j]
            if c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                top.append(f'<th colspan="{k - j + 1}">{html.escape(c.group)}</th>')
                low += [th(cols[m], cols[m].sub or "") for m in range(j, k + 1)]
                j = k + 1
            else:
                top.append(th(c, c.label, ' rowspan="2"'))
                j += 1
        return "<tr>" + "".join(top) + "</tr><tr>" + "".join(low) + "</tr>"

    def table(self, rows: list[Row], prev: list[Row], cols: list[Col]) -> str:
        st, o = self.st, self.o
        w = self.col_widths(cols)
        spans = {key: dict(runs(rows, key)) for key in ("persp", "obj")}
        covered = {(i, key) for key in spans for s, n in spans[key].items() for i in range(s + 1, s + n)}
        out, kpis = [], 0
        for i, r in enumerate(rows):
            if r.kind == "band":
                text = self.cell(r.cells["band"], self.content_w())
                out.append(f'<tr class="band"><td colspan="{len(cols)}">{text}</td></tr>')
                continue
            kpis += 1
            zebra = ' class="alt"' if st["rules"] == "zebra" and kpis % 2 == 0 else ""
            tds = []
            for c in cols:
                text = r.cells.get(c.id, "")
                if c.id not in spans:
                    tds.append(f"<td>{self.cell(text, self.avail(w[c.id]))}</td>")
                    continue
                if (i, c.id) in covered:
                    if o["spans"]:
                        continue
                    text = ""
                elif i == 0 and st["blank_cont"] and continues(prev, r, c.id):
                    text = ""
                n = spans[c.id].get(i, 1) if o["spans"] else 1
                span = f' rowspan="{n}"' if n > 1 else ""
                if c.id == "persp" and text and st["persp_mode"] in ("rotated", "stacked"):
                    inner = "<br />".join(html.escape(ch) for ch in printable(text, o["face"]))  # no transforms in R8
                else:
                    inner = self.cell(text, self.avail(w[c.id]))
                tds.append(f'<td{span} class="{c.id}">{inner}</td>')
            out.append(f"<tr{zebra}>{''.join(tds)}</tr>")
        tot = sum(c.weight for c in cols)
        group = "<colgroup>" + "".join(f'<col width="{100 * c.weight / tot:.2f}%" />' for c in cols) + "</colgroup>"
        head, body = self.header(cols), "".join(out)
        if o["repeat_header"]:
            return f'<table class="kpi">{group}<thead>{head}</thead><tbody>{body}</tbody></table>'
        return f'<table class="kpi">{group}<tbody>{head}{body}</tbody></table>'

    # --- the document -------------------------------------------------------------------------------------

    def css(self) -> str:
        st, o, u = self.st, self.o, self.u
        fam = self.family
        fonts = ""
        if o["font_by"] == "font-face":
            # R8 files the face under its own family name whatever the rule says: authors name it alike
            fonts = (
                f"@font-face {{ font-family: '{fam}'; src: url('{Path(face_file(o['face'])).as_uri()}');"
                " -fs-pdf-font-embed: embed; -fs-pdf-font-encoding: Identity-H; }\n"
            )
        m = self.margins()
        boxes = ""
        furn = f"font-family: '{fam}'; font-size: {u(7.5)}; color: #666666;"
        if o["page_header"] == "string":
            boxes += f' @top-center {{ content: "{self.d.org}｜策略地圖與平衡計分卡"; {furn} }}'
        elif o["page_header"] == "running":
            boxes += " @top-left { content: element(header) }"
        if o["footer"]:
            boxes += f" @{o['footer_box']} {{ content: {FOOT[o['footer']]}; {furn} }}"
        page = (
            f"@page {{ size: {PAGE_CSS[o['page']]}; margin: {m['top']}pt {m['side']}pt {m['bottom']}pt "
            f"{m['side']}pt;{boxes} }}"
        )
        rules = st["rules"]
        border = {
            "grid": f"table.kpi td, table.kpi th {{ border: {u(0.5)} solid {RULE} }}",
            "hrules": f"table.kpi td, table.kpi th {{ border-bottom: {u(0.5)} solid {RULE} }}\n"
            f"table.kpi th {{ border-top: {u(1)} solid {RULE}; border-bottom: {u(1)} solid {RULE} }}",
            "zebra": f"table.kpi th {{ border-bottom: {u(1.5)} solid {NAVY} }}\n"
            f"table.kpi tr.alt td {{ background-color: {ZEBRA_FILL} }}",
            "none": "",
        }[rules]
        fill = f"background-color: {HEAD_FILL};" if o["header_fill"] else ""
        band_fill = f"background-color: {BAND_FILL};" if rules != "none" else ""
        bar = (
            f"background-color: {NAVY}; color: #ffffff; padding: {u(3)} {u(6)};"
            if o["title_bar"]
            else f"color: {NAVY};"
        )
        paginate = "table.kpi { -fs-table-paginate: paginate }" if o["flow"] and o["repeat_header"] else ""
        fixed = ""
        if o["page_header"] == "running":
            fixed += f"#header {{ position: running(header); {furn} }}\n"
        if o["watermark"]:
            pos = "fixed" if o["watermark"] == "fixed" else "absolute"
            z = "z-index: -1;" if o["watermark_under"] else "z-index: 10;"
            fixed += (
                f".wm {{ position: {pos}; {z} top: {u(self.H * 0.35)}; left: {u(self.W * 0.3)};"
                f" font-size: {u(64)}; color: #e6e6e6; font-family: '{fam}' }}\n"
            )
        return f"""{fonts}{page}
body {{ font-family: '{fam}'; font-size: {u(self.pt)}; color: #111111; line-height: {o["line_height"]} }}
h2 {{ font-size: {u(16)}; margin: 0 0 {u(6)} 0 }}
h2.title {{ {bar} }}
h2.plain {{ color: {NAVY} }}
.logo {{ float: right; font-size: {u(11)}; color: {NAVY}; border: {u(1)} solid {NAVY}; padding: {u(1)} {u(6)};
  background-color: #ffffff }}
.date {{ float: right; font-size: {u(12)}; color: #111111 }}
.cover {{ text-align: center; font-size: {u(28)}; color: {NAVY} }}
.cover2 {{ text-align: center; font-size: {u(22)}; padding-top: {u(14)} }}
p.profile {{ font-size: {u(14)}; margin: {u(10)} {u(30)} }}
p.vision {{ font-size: {u(10)} }}
table.map {{ width: 100%; border-collapse: separate; border-spacing: {u(4)}; font-size: {u(11)}; table-layout: fixed }}
td.pbox {{ background-color: {NAVY}; color: #ffffff; text-align: center; padding: {u(6)} }}
td.obox {{ border: {u(1)} solid {NAVY}; padding: {u(5)}; text-align: center }}
table.kpi {{ width: 100%; border-collapse: collapse; table-layout: fixed; font-size: {u(self.pt)} }}
table.kpi td, table.kpi th {{ padding: {u(o["padding"])}; vertical-align: {st["valign"]}; text-align: {st["halign"]} }}
table.kpi th {{ {fill} text-align: center; vertical-align: middle }}
table.kpi tr.band td {{ {band_fill} text-align: left }}
table.kpi td.persp {{ text-align: center; vertical-align: middle }}
table.kpi tr {{ page-break-inside: avoid }}
{paginate}
{border}
div.slide {{ page-break-before: always; position: relative }}
div.theme {{ margin-top: {u(14)} }}
{fixed}"""

    def statics(self) -> str:
        out = ""
        if self.o["page_header"] == "running":
            out += f'<div id="header">{self.cell(self.d.org)}｜策略地圖與平衡計分卡</div>'
        if self.o["watermark"] == "fixed":
            out += '<div class="wm">內部資料</div>'
        return out

    def mark(self) -> str:
        return '<div class="wm">內部資料</div>' if self.o["watermark"] == "absolute" else ""

    def slides(self, max_rows: int) -> tuple[str, int]:
        cols = columns(self.d)
        pages = self.front()
        for t in self.d.themes:
            pieces = chunk(theme_rows(self.d, t), max_rows)
            for i, piece in enumerate(pieces):
                table = self.table(piece, pieces[i - 1] if i else [], cols)
                pages.append(self.title(theme_title(self.d, t, i + 1, len(pieces))) + table + self.mark())
        pages.append(self.closing())
        return "".join(_slide(p, i) for i, p in enumerate(pages)), len(pages)

    def flow(self, cuts: dict[str, set[int]]) -> str:
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
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-Hant"><head>'
            f'<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />'
            f"<title>{html.escape(self.d.org)}</title>"
            f'<style type="text/css">{self.css()}</style></head><body>{self.statics()}{body}</body></html>'
        )


def _slide(inner: str, i: int) -> str:
    return f'<div class="{"slide" if i else "first"}">{inner}</div>'


def _run(b: Builder, body: str, out_pdf: Path) -> None:
    page = b.tmp / "deck.xhtml"
    page.write_text(b.document(body), encoding="utf-8")
    fonts = [face_file(b.o["face"])] if b.o["font_by"] == "addFont" else []
    job = b.tmp / "job.json"
    job.write_text(json.dumps({"html": str(page), "out": str(out_pdf), "fonts": fonts}), encoding="utf-8")
    if out_pdf.exists():
        out_pdf.unlink()
    cmd = ["java", "-Djava.awt.headless=true", "-cp", driver(), MAIN, str(job)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if proc.returncode or not out_pdf.exists():
        raise RuntimeError(f"Flying Saucer failed: {(proc.stderr or proc.stdout)[-2000:]}")


def overlaps(pdf: Path) -> list[str]:
    """Text running into its neighbour: two characters of one size on one baseline drawn over each other (R8
    does not break CJK runs, so a line the author's wrapping left too long runs over into the next cell)."""
    import pymupdf

    found = []
    for pno, page in enumerate(pymupdf.open(str(pdf)), 1):
        chars = []
        for b in page.get_text("rawdict")["blocks"]:
            for ln in b.get("lines", []):
                for sp in ln["spans"]:
                    for ch in sp["chars"]:
                        if not ch["c"].isspace():
                            x0, x1 = ch["bbox"][0], ch["bbox"][2]
                            chars.append((round(ch["origin"][1], 1), round(sp["size"], 1), x0, x1))
        chars.sort()
        for a, b in zip(chars, chars[1:]):
            if a[:2] == b[:2] and b[2] < a[3] - 1.0:
                found.append(f"page {pno}: text overlapping at y={a[0]}")
                break
    return found


def outside(pdf: Path) -> list[str]:
    """Characters whose boxes leave the page (layout.check looks at whole blocks)."""
    import pymupdf

    found = []
    for pno, page in enumerate(pymupdf.open(str(pdf)), 1):
        w, h = page.rect.width, page.rect.height
        for b in page.get_text("rawdict")["blocks"]:
            for ln in b.get("lines", []):
                for sp in ln["spans"]:
                    for ch in sp["chars"]:
                        x0, y0, x1, y1 = ch["bbox"]
                        if x0 < -1 or y0 < -1 or x1 > w + 1 or y1 > h + 1:
                            found.append(f"page {pno}: {ch['c']!r} outside the page at {round(x0)},{round(y0)}")
    return found


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows.  Slides: the row budget is lowered (then the type made smaller)
    until every slide's table fits its page.  Flow: a KPI row not whole on one page, a rowspan group broken over two
    pages or a title left at a page foot makes the deck print again with the table split there.  Prewrapped text
    running into the next cell makes the author wrap more narrowly."""
    import pymupdf

    opts = {**producer_options(random.Random(0), deck.style), "max_rows": deck.style["max_rows"], **(options or {})}
    out_pdf = Path(out_pdf)
    flow = opts["flow"]
    cuts: dict[str, set[int]] = {}
    with tempfile.TemporaryDirectory(prefix="flyingsaucer-") as tmp:
        for _ in range(120):
            b = Builder(deck, opts, Path(tmp))
            if flow:
                _run(b, b.flow(cuts), out_pdf)
                where, k = _placed(out_pdf, deck)
                if k is None:
                    t = _title_apart(out_pdf, deck, where)
                    if t and not (t is deck.themes[0] or opts["theme_break"] or 0 in cuts.get(t.letter, set())):
                        cuts.setdefault(t.letter, set()).add(0)
                        continue
                if k is None and opts["spans"]:
                    hit = _split_span(deck, where, cuts, columns(deck))
                    if hit:
                        t, lead = hit
                        if lead in cuts.get(t.letter, set()) or (
                            lead == 0 and (t is deck.themes[0] or opts["theme_break"])
                        ):
                            opts["spans"] = False
                            cuts = {}
                            continue
                        cuts.setdefault(t.letter, set()).add(lead)
                        continue
                if k is not None:
                    t = next(t for t in deck.themes if any(k is x for o in t.objectives for x in o.kpis))
                    rows = theme_rows(deck, t)
                    i = next(j for j, r in enumerate(rows) if r.kpi is k)
                    lead = i - 1 if i and rows[i - 1].kind == "band" else i
                    starts = t is deck.themes[0] or opts["theme_break"]
                    if lead in cuts.get(t.letter, set()) or (lead == 0 and starts):
                        if opts["font_pt"] <= 6:
                            raise RuntimeError(f"{deck.stem}: KPI {k.code} is not whole on one page in 6 pt type")
                        opts["font_pt"] -= 1
                        cuts = {}
                        continue
                    cuts.setdefault(t.letter, set()).add(lead)
                    continue
            else:
                parts, want = b.slides(int(opts["max_rows"]))
                _run(b, parts, out_pdf)
                if len(pymupdf.open(str(out_pdf))) != want:
                    if opts["max_rows"] > 1:
                        opts["max_rows"] -= 1
                        continue
                    if opts["font_pt"] <= 6:
                        raise RuntimeError(f"{deck.stem}: a table does not fit a slide even in 6 pt type")
                    opts["font_pt"] -= 1
                    continue
            if overlaps(out_pdf):
                if opts["wrap"] == "prewrap" and float(opts.get("slack", 0.95)) > 0.7:
                    opts["slack"] = round(float(opts.get("slack", 0.95)) - 0.05, 2)
                    cuts = {}
                    continue
                raise RuntimeError(f"{deck.stem}: text overlaps: {overlaps(out_pdf)[:3]}")
            break
        else:
            raise RuntimeError(f"{deck.stem}: the Flying Saucer layout did not settle")
    if flow:
        opts.pop("max_rows")
        opts["split_before"] = {k: sorted(v) for k, v in sorted(cuts.items())}
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck) + outside(out_pdf)
    return opts
