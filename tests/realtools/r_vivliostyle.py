"""CSS paged-media typesetters on Chromium: the deck as HTML + CSS Paged Media laid out into pages by
Vivliostyle (`@vivliostyle/cli` 10.6.0, Vivliostyle.js core 2.42.1) or Paged.js (`pagedjs-cli` 0.4.3, pagedjs
0.4.3, puppeteer 20.9.0), both on npm, both printing through Debian's Chromium (`--executable-browser
/usr/bin/chromium`, `PUPPETEER_EXECUTABLE_PATH`).  These are the tools of teams who write reports and books in
HTML (Vivliostyle is the CSS typesetter of Japanese publishing; Paged.js the polyfill behind many report
pipelines): the tool paginates the document in JavaScript (its own page boxes, `@page` margin boxes,
`string-set` running heads, `counter(page)`/`counter(pages)`, `break-before`/`break-inside`, table splitting),
then Chromium prints the laid-out pages (Skia's PDF writer: TrueType faces as CIDFontType2 subsets tagged
'AAAAAA+', the Noto CJK (CFF) faces as Type 3 fonts (dozens per deck) with a ToUnicode).

Pages: `@page { size: ...; margin: ... }` (4:3 / 16:9 slides in mm, A4 landscape or portrait by name); a named
`cover` page without furniture for the title and closing pages.  Slides: blocks with `break-before: page`, each
theme's table cut into slides of `max_rows` KPI rows, the budget lowered (then the type made smaller) until the
deck prints to as many pages as it has slides.  Flow: the theme tables in one document the tool paginates
(`tr { break-inside: avoid }`, titles `break-after: avoid`), themes starting a page or following on; a KPI row not
whole on one page or a title left at a page foot makes the author split the table there (r_dompdf's checks).

Page furniture: `@bottom-center { content: "- " counter(page) " -" }`, `@bottom-right { content: counter(page)
" / " counter(pages) }` or '第 n 頁，共 N 頁'; `@top-center` with the org as a string, or the theme title as a
running string (`h2 { string-set: theme content(text) }`, `@top-left { content: string(theme) }`); a named
`cover` page (`page: cover`) blanks the margin boxes of the title and closing pages (still counted).  Watermark:
an absolutely positioned block in each slide or theme section, or one `position: fixed` block, under (z-index -1)
or over the table.  Tables: collapsed CSS borders as a grid, horizontal rules or none, zebra by
`:nth-child(even)` (band rows counted) or by class, header fills, `<thead>` or the header as a first `<tbody>`,
rowspan 構面/策略目標 labels or labels repeated in every row, two-row year heads with colspan; 構面 labels vertical
(`writing-mode: vertical-rl`, upright or `text-orientation: sideways`), stacked one character per line, or band
rows.  Fonts by fontconfig family name or by `@font-face` from the extracted face file, alone or after a Latin
face (DejaVu Sans / Liberation Sans: codes, numbers and Latin punctuation in it); lines broken by Chromium
(between ideographs, not inside codes, `overflow-wrap: anywhere` so a value like '91.6%' may break in a narrow
column).

Quirks found: @vivliostyle/cli 11 wants Node >= 22.12, so 10.6.0 (Node ^20) is pinned; its viewer 2.42.1 bundles
Vivliostyle.js 2.42.1 (the @vivliostyle/core 2.45.1 npm also installs is not what lays out).  Vivliostyle runs
Chromium without a sandbox by itself; pagedjs-cli needs `--browserArgs --no-sandbox` as root.  Vivliostyle
repeats a split table's `<thead>` on every page; Paged.js 0.4.3 prints it once, so Paged.js decks that repeat
it use the RepeatingTableHeaders handler users paste from the Paged.js issues (`--additional-script`), which
inserts the head after the page is laid out: the page's last row is pushed out and lost (neither printed nor
carried over), which the author sees and fixes by cutting the table there; the continued table's columns are
laid out again (widths differ from the first page's).  `position: fixed` blocks: Paged.js repeats them on every
page, Vivliostyle prints them on the first page only.  Vivliostyle's PDF keeps Skia's
writing (Producer 'Skia/PDF m156', Creator 'Vivliostyle (Vivliostyle.js 2.42.1; Chrome/...)', tagged);
pagedjs-cli rewrites it with pdf-lib (Producer 'pdf-lib (https://github.com/Hopding/pdf-lib)', Creator the
headless Chrome user agent + ' + Paged.js').
"""

from __future__ import annotations

import html
import json
import os
import random
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .draw_common import SIZES
from .fonts import face_file
from .layout import Col, Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .r_dompdf import _placed, _title_apart
from .spec import BSC_ORDER, Deck

VIVLIOSTYLE_CLI = "10.6.0"  # @vivliostyle/cli (README, Setup); checked by installed_version
VIVLIOSTYLE_VIEWER = "2.42.1"  # @vivliostyle/viewer, which the CLI pins; it bundles Vivliostyle.js 2.42.1
PAGEDJS_CLI = "0.4.3"  # pagedjs-cli
PAGEDJS = "0.4.3"  # pagedjs, the layout engine pagedjs-cli pins
CHROMIUM = os.environ.get("REALTOOLS_CHROMIUM", "/usr/bin/chromium")
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
LATIN = ["DejaVu Sans", "Liberation Sans"]
# The handler Paged.js users paste to repeat a split table's <thead> (Paged.js 0.4.3 prints it once), passed by
# pagedjs-cli --additional-script.  It inserts the head after the page is laid out, so the page's last row is
# pushed out of the page area and lost (not printed, not carried over): the author then cuts the table there.
REPEAT_THEAD_JS = """class RepeatingTableHeaders extends Paged.Handler {
  constructor(chunker, polisher, caller) {
    super(chunker, polisher, caller);
  }
  afterPageLayout(pageElement, page, breakToken, chunker) {
    let tables = pageElement.querySelectorAll("table[data-split-from]");
    tables.forEach((table) => {
      let ref = table.dataset.ref;
      let sourceTable = chunker.source.querySelector("[data-ref='" + ref + "']");
      let header = sourceTable.querySelector("thead");
      if (header) {
        let clonedHeader = header.cloneNode(true);
        table.insertBefore(clonedHeader, table.firstChild);
      }
    });
  }
}
Paged.registerHandlers(RepeatingTableHeaders);
"""


def cache_dir() -> Path:
    return Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "vivliostyle"


def _pkg_version(name: str) -> str:
    p = cache_dir() / "node_modules" / name / "package.json"
    return json.loads(p.read_text())["version"] if p.exists() else "none"


@cache
def installed_version() -> str:
    want = {"@vivliostyle/cli": VIVLIOSTYLE_CLI, "@vivliostyle/viewer": VIVLIOSTYLE_VIEWER,
            "pagedjs-cli": PAGEDJS_CLI, "pagedjs": PAGEDJS}  # fmt: skip
    for name, v in want.items():
        got = _pkg_version(name)
        if got != v:
            raise RuntimeError(
                f"{name} {v} is wanted, {got} is in {cache_dir()}: (cd {cache_dir()} && PUPPETEER_SKIP_DOWNLOAD=1 "
                f"npm install --save-exact @vivliostyle/cli@{VIVLIOSTYLE_CLI} pagedjs-cli@{PAGEDJS_CLI})"
            )
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y chromium")
    return VIVLIOSTYLE_CLI


@cache
def chromium_version() -> str:
    out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    return out or "Chromium (unknown)"


@cache
def tool_version(engine: str | None = None) -> str:
    installed_version()
    if engine == "pagedjs":
        return f"pagedjs-cli {PAGEDJS_CLI} (pagedjs {PAGEDJS}, pdf-lib), {chromium_version()}"
    return f"@vivliostyle/cli {VIVLIOSTYLE_CLI} (viewer and Vivliostyle.js {VIVLIOSTYLE_VIEWER}), {chromium_version()}"


def producer_options(rng: random.Random, style: dict) -> dict:
    engine = rng.choice(["vivliostyle", "vivliostyle", "pagedjs"])
    flow = rng.random() < 0.5
    footer = rng.choice([None, "dash", "n_of_m", "n_of_m", "zh"])
    return {
        "engine": engine,
        "flow": flow,
        "page": rng.choice(["A4L", "A4L", "A4"]) if flow else style["page"],
        "font_pt": max(style["font_pt"], rng.choice([8, 9, 10])) if flow else style["font_pt"],
        "font_by": rng.choice(["family", "family", "font-face"]),
        "latin": rng.choice([None, None, *LATIN]),
        "units": rng.choice(["pt", "pt", "px"]),
        "padding": rng.choice([1.5, 2, 3]),
        "line_height": rng.choice(["normal", "1.25", "1.4"]),
        "header_fill": style["rules"] != "none" and rng.random() < 0.75,
        "zebra_by": rng.choice(["nth-child", "class"]),
        "spans": rng.random() < 0.75,
        "repeat_header": rng.random() < 0.8,
        "theme_break": not flow or rng.random() < 0.5,
        "title_bar": rng.random() < 0.35,
        "vertical": rng.choice(["upright", "sideways"]),
        "footer": footer,
        "footer_box": rng.choice(["bottom-center", "bottom-right"]) if footer else None,
        "page_header": rng.choice([None, None, "org", "theme"]),
        "watermark_by": rng.choice(["fixed", "absolute"]),
        "watermark_under": rng.random() < 0.6,
    }


def esc(s: str) -> str:
    return "<br>".join(html.escape(x, quote=False) for x in s.split("\n"))


class Builder:
    """The HTML document of one printing of the deck."""

    def __init__(self, deck: Deck, opts: dict) -> None:
        self.d, self.o, self.st = deck, opts, deck.style
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.pt = float(opts["font_pt"])

    def u(self, pt: float) -> str:
        return f"{pt * 4 / 3:.4g}px" if self.o["units"] == "px" else f"{pt:.4g}pt"

    def family(self) -> str:
        cjk = "DeckCJK" if self.o["font_by"] == "font-face" else self.st["font"]
        lat = f"'{self.o['latin']}', " if self.o.get("latin") else ""
        return f"{lat}'{cjk}', sans-serif"

    def title(self, s: str) -> str:
        logo = f'<span class="logo">{esc(self.d.short)}</span>' if self.st["logo"] else ""
        return f'<h2 class="title">{logo}{esc(s)}</h2>'

    def front(self) -> list[str]:
        d = self.d
        out = [
            f'<div class="cover" style="padding-top: {self.u(self.H * 0.22)}">{esc(d.org)}</div>'
            '<div class="cover2">策略地圖與平衡計分卡</div>'
        ]
        lines = "".join(f'<p class="profile">{esc(x)}</p>' for x in d.profile_lines)
        out.append(f'<h2 class="plain">{esc(d.org)}轄區概況</h2>{lines}')
        per = {p: [o.shown for t in d.themes for o in t.objectives if o.perspective == p] for p in BSC_ORDER}
        rows = []
        for p, objs in per.items():
            if objs:
                boxes = "".join(f'<span class="obox">{esc(o)}</span>' for o in objs)
                rows.append(f'<div class="maprow"><span class="pbox">{p}構面</span>{boxes}</div>')
        out.append(
            f'<h2 class="plain"><span class="date">{html.escape(d.map_date)}</span>{esc(d.org)}策略地圖</h2>'
            f'<p class="vision">願景：{esc("、".join(t.shown for t in d.themes))}</p>{"".join(rows)}'
        )
        return out

    def header(self, cols: list[Col]) -> str:
        if self.st["year_header"] != "two_row":
            return "<tr>" + "".join(f"<th>{esc(c.label)}</th>" for c in cols) + "</tr>"
        top, low, j = [], [], 0
        while j < len(cols):
            c = cols[j]
            if c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                top.append(f'<th colspan="{k - j + 1}">{esc(c.group)}</th>')
                low += [f"<th>{esc(cols[m].sub or '')}</th>" for m in range(j, k + 1)]
                j = k + 1
            else:
                top.append(f'<th rowspan="2">{esc(c.label)}</th>')
                j += 1
        return "<tr>" + "".join(top) + "</tr><tr>" + "".join(low) + "</tr>"

    def persp(self, text: str) -> str:
        mode = self.st["persp_mode"]
        if mode == "stacked":
            return "<br>".join(html.escape(ch) for ch in text)
        if mode == "rotated":
            return f'<div class="vert">{html.escape(text)}</div>'
        return esc(text)

    def table(self, rows: list[Row], prev: list[Row], cols: list[Col]) -> str:
        st, o = self.st, self.o
        spans = {key: dict(runs(rows, key)) for key in ("persp", "obj")}
        covered = {(i, key) for key in spans for s, n in spans[key].items() for i in range(s + 1, s + n)}
        out, kpis = [], 0
        for i, r in enumerate(rows):
            if r.kind == "band":
                out.append(f'<tr class="band"><td colspan="{len(cols)}">{esc(r.cells["band"])}</td></tr>')
                continue
            kpis += 1
            zebra = ' class="alt"' if st["rules"] == "zebra" and o["zebra_by"] == "class" and kpis % 2 == 0 else ""
            tds = []
            for c in cols:
                text = r.cells.get(c.id, "")
                if c.id not in spans:
                    tds.append(f'<td class="{c.id}">{esc(text)}</td>')
                    continue
                if (i, c.id) in covered:
                    if o["spans"]:
                        continue
                    text = ""
                elif i == 0 and st["blank_cont"] and continues(prev, r, c.id):
                    text = ""
                n = spans[c.id].get(i, 1) if o["spans"] else 1
                span = f' rowspan="{n}"' if n > 1 else ""
                inner = self.persp(text) if c.id == "persp" and text else esc(text)
                tds.append(f'<td{span} class="{c.id}">{inner}</td>')
            out.append(f"<tr{zebra}>{''.join(tds)}</tr>")
        tot = sum(c.weight for c in cols)
        group = "<colgroup>" + "".join(f'<col style="width: {100 * c.weight / tot:.2f}%">' for c in cols)
        head, body = self.header(cols), "".join(out)
        if o["repeat_header"]:
            return f'<table class="kpi">{group}</colgroup><thead>{head}</thead><tbody>{body}</tbody></table>'
        return f'<table class="kpi">{group}</colgroup><tbody class="head">{head}</tbody><tbody>{body}</tbody></table>'

    def css(self) -> str:
        st, o, u = self.st, self.o, self.u
        fonts = ""
        if o["font_by"] == "font-face":
            fonts = f"@font-face {{ font-family: 'DeckCJK'; src: url('{Path(face_file(st['font'])).as_uri()}') }}\n"
        top = 40 if o["page_header"] else 24
        bottom = 34 if o["footer"] else 22
        furn = f"font-family: {self.family()}; font-size: {u(7.5)}; color: #666666;"
        boxes = ""
        if o["page_header"] == "org":
            boxes += f' @top-center {{ content: "{self.d.org}｜策略地圖與平衡計分卡"; {furn} }}'
        elif o["page_header"] == "theme":
            boxes += f" @top-left {{ content: string(theme); {furn} }}"
            boxes += f' @top-right {{ content: "{self.d.org}"; {furn} }}'
        if o["footer"]:
            boxes += f" @{o['footer_box']} {{ content: {FOOT[o['footer']]}; {furn} }}"
        page = f"@page {{ size: {PAGE_CSS[o['page']]}; margin: {top}pt 28pt {bottom}pt 28pt;{boxes} }}"
        cover = "@page cover { @top-left { content: none } @top-center { content: none } @top-right { content: none }"
        cover += " @bottom-center { content: none } @bottom-right { content: none } }"
        rules = st["rules"]
        zebra_sel = "table.kpi tbody tr:nth-child(even) td" if o["zebra_by"] == "nth-child" else "table.kpi tr.alt td"
        border = {
            "grid": f"table.kpi td, table.kpi th {{ border: {u(0.5)} solid {RULE} }}",
            "hrules": f"table.kpi td, table.kpi th {{ border-bottom: {u(0.5)} solid {RULE} }}\n"
            f"table.kpi th {{ border-top: {u(1)} solid {RULE}; border-bottom: {u(1)} solid {RULE} }}",
            "zebra": f"table.kpi th {{ border-bottom: {u(1.5)} solid {NAVY} }}\n"
            f"{zebra_sel} {{ background: {ZEBRA_FILL} }}",
            "none": "",
        }[rules]
        fill = f"background: {HEAD_FILL};" if o["header_fill"] else ""
        band_fill = f"background: {BAND_FILL};" if rules != "none" else ""
        bar = f"background: {NAVY}; color: #ffffff; padding: {u(3)} {u(6)};" if o["title_bar"] else f"color: {NAVY};"
        orient = "text-orientation: sideways;" if o["vertical"] == "sideways" else ""
        z = -1 if o["watermark_under"] else 10
        return f"""{fonts}{page}
{cover}
html, body {{ margin: 0; padding: 0 }}
body {{ font-family: {self.family()}; font-size: {u(self.pt)}; color: #111111; line-height: {o["line_height"]} }}
h2 {{ font-size: {u(16)}; margin: 0 0 {u(6)} 0; break-after: avoid; page-break-after: avoid }}
h2.title {{ {bar} string-set: theme content(text) }}
h2.plain {{ color: {NAVY} }}
.logo {{ float: right; font-size: {u(11)}; color: {NAVY}; border: {u(1)} solid {NAVY}; border-radius: {u(8)};
  padding: {u(1)} {u(6)}; background: #ffffff }}
.date {{ float: right; font-size: {u(12)}; color: #111111 }}
section.cover {{ page: cover }}
.cover {{ text-align: center; font-size: {u(28)}; color: {NAVY} }}
.cover2 {{ text-align: center; font-size: {u(22)}; padding-top: {u(14)} }}
p.profile {{ font-size: {u(14)}; margin: {u(10)} {u(30)} }}
p.vision {{ font-size: {u(10)} }}
div.maprow {{ margin: {u(6)} 0 }}
span.pbox {{ display: inline-block; width: {u(70)}; background: {NAVY}; color: #ffffff; text-align: center;
  padding: {u(5)}; margin: {u(2)} }}
span.obox {{ display: inline-block; border: {u(1)} solid {NAVY}; border-radius: {u(8)}; padding: {u(4)};
  margin: {u(2)}; font-size: {u(10)} }}
table.kpi {{ width: 100%; border-collapse: collapse; table-layout: fixed; font-size: {u(self.pt)} }}
table.kpi td, table.kpi th {{ padding: {u(o["padding"])}; vertical-align: {st["valign"]}; text-align: {st["halign"]};
  overflow-wrap: anywhere }}
table.kpi th {{ {fill} text-align: center; vertical-align: middle }}
table.kpi tr.band td {{ {band_fill} text-align: left }}
table.kpi td.persp {{ text-align: center; vertical-align: middle }}
table.kpi tr {{ break-inside: avoid; page-break-inside: avoid }}
.vert {{ writing-mode: vertical-rl; {orient} margin: 0 auto; white-space: nowrap }}
{border}
section {{ position: relative }}
section.slide, section.theme-start {{ break-before: page; page-break-before: always }}
section.theme {{ margin-top: {u(14)} }}
.wm {{ position: {o.get("watermark_by", "absolute")}; top: {u(self.H * 0.3)}; left: {u(self.W * 0.25)};
  font-size: {u(64)}; color: rgba(200, 80, 80, 0.16); transform: rotate(-30deg); z-index: {z} }}
"""

    def mark(self) -> str:
        """The watermark of one slide or theme section (absolutely positioned in it)."""
        on = self.st["watermark"] and self.o.get("watermark_by", "absolute") == "absolute"
        return '<div class="wm">內部資料</div>' if on else ""

    def statics(self) -> str:
        """A `position: fixed` watermark: Paged.js repeats it on every page, Vivliostyle prints it once."""
        on = self.st["watermark"] and self.o.get("watermark_by") == "fixed"
        return '<div class="wm">內部資料</div>' if on else ""

    def slides(self, max_rows: int) -> tuple[str, int]:
        cols = columns(self.d)
        pages = [(p, "slide") for p in self.front()]
        for t in self.d.themes:
            pieces = chunk(theme_rows(self.d, t), max_rows)
            for i, piece in enumerate(pieces):
                table = self.table(piece, pieces[i - 1] if i else [], cols)
                pages.append((self.title(theme_title(self.d, t, i + 1, len(pieces))) + table + self.mark(), "slide"))
        pages.append((self.closing(), "slide"))
        pages[0] = (pages[0][0], "cover")
        pages[-1] = (pages[-1][0], "slide cover")
        return "".join(f'<section class="{c}">{p}</section>' for p, c in pages), len(pages)

    def closing(self) -> str:
        return f'<div class="cover" style="padding-top: {self.u(self.H * 0.3)}">敬請指教</div>'

    def flow(self, cuts: dict[str, set[int]]) -> str:
        cols = columns(self.d)
        front = self.front()
        out = f'<section class="cover">{front[0]}</section>'
        out += "".join(f'<section class="slide">{p}</section>' for p in front[1:])
        for n, t in enumerate(self.d.themes):
            rows = theme_rows(self.d, t)
            at = sorted({0, *cuts.get(t.letter, set())})
            pieces = [(a, rows[a:b]) for a, b in zip(at, [*at[1:], len(rows)])]
            brk = n == 0 or self.o["theme_break"] or 0 in cuts.get(t.letter, set())
            out += f'<section class="{"theme-start" if brk else "theme"}">{self.title(theme_title(self.d, t))}'
            for j, (a, piece) in enumerate(pieces):
                if j:
                    out += '</section><section class="theme-start">'
                out += self.table(piece, rows[:a], cols)
            out += self.mark() + "</section>"
        return out + f'<section class="slide cover">{self.closing()}</section>'

    def document(self, body: str) -> str:
        return (
            f'<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="utf-8"><title>{html.escape(self.d.org)}'
            f"</title><style>{self.css()}</style></head><body>{self.statics()}{body}</body></html>"
        )


def _run(engine: str, src: Path, out_pdf: Path, thead_script: bool = False) -> None:
    installed_version()
    if out_pdf.exists():
        out_pdf.unlink()
    bins = cache_dir() / "node_modules" / ".bin"
    env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    if engine == "pagedjs":
        env["PUPPETEER_EXECUTABLE_PATH"] = CHROMIUM
        cmd = [str(bins / "pagedjs-cli"), str(src), "-o", str(out_pdf), "--browserArgs", "--no-sandbox,--disable-gpu"]
        if thead_script:
            js = src.with_name("repeating-table-headers.js")
            js.write_text(REPEAT_THEAD_JS, encoding="utf-8")
            cmd += ["--additional-script", str(js)]
    else:
        cmd = [str(bins / "vivliostyle"), "build", str(src), "-o", str(out_pdf), "--executable-browser", CHROMIUM]
        cmd += ["--log-level", "silent"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env, cwd=src.parent)
    if proc.returncode or not out_pdf.exists():
        raise RuntimeError(f"{engine} failed: {(proc.stderr or proc.stdout)[-2000:]}")


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
    until every slide's table fits its page.  Flow: a KPI row not whole on one page or a title left at a page foot
    makes the deck print again with the table split there."""
    import pymupdf

    opts = {**producer_options(random.Random(0), deck.style), "max_rows": deck.style["max_rows"], **(options or {})}
    out_pdf = Path(out_pdf)
    flow = opts["flow"]
    cuts: dict[str, set[int]] = {}
    with tempfile.TemporaryDirectory(prefix="vivliostyle-") as tmp:
        src = Path(tmp) / "deck.html"
        for _ in range(60):
            b = Builder(deck, opts)
            if flow:
                src.write_text(b.document(b.flow(cuts)), encoding="utf-8")
                _run(opts["engine"], src, out_pdf, opts["repeat_header"])
                where, k = _placed(out_pdf, deck)
                if k is None:
                    t = _title_apart(out_pdf, deck, where)
                    if t and not (t is deck.themes[0] or opts["theme_break"] or 0 in cuts.get(t.letter, set())):
                        cuts.setdefault(t.letter, set()).add(0)
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
                body, want = b.slides(int(opts["max_rows"]))
                src.write_text(b.document(body), encoding="utf-8")
                _run(opts["engine"], src, out_pdf, opts["repeat_header"])
                if len(pymupdf.open(str(out_pdf))) != want:
                    if opts["max_rows"] > 1:
                        opts["max_rows"] -= 1
                        continue
                    if opts["font_pt"] <= 6:
                        raise RuntimeError(f"{deck.stem}: a table does not fit a slide even in 6 pt type")
                    opts["font_pt"] -= 1
                    continue
            break
        else:
            raise RuntimeError(f"{deck.stem}: the layout did not settle")
    if flow:
        opts.pop("max_rows")
        opts["split_before"] = {k: sorted(v) for k, v in sorted(cuts.items())}
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck) + outside(out_pdf)
    return opts
