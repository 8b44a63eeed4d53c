"""react-pdf renderer: the deck as a @react-pdf/renderer element tree, rendered in Node (`r_reactpdf.js`) the way
React web apps and their Node back-ends export invoices and reports.  This module writes the tree as JSON
(Document, Page, View, Text with their style objects and props); the driver builds it with React.createElement
(no JSX build step) and `renderToFile`.  react-pdf lays out with Yoga (flexbox), breaks lines with its own
textkit (Knuth-Plass over 'syllables') and paginates by itself (`wrap`, `break`, `fixed`, `minPresenceAhead`).

Tables: react-pdf has no table element, so a table is Views in flex rows, as its users build them: column
widths in % of the row, in points, or flex ratios (`flexGrow` over `flexBasis: 0`); rules as cell borders
(`borderRight`/`borderBottom` on each cell and `borderTop`/`borderLeft` on the table: a full grid), as row
`borderBottom` only (a heavier rule under the head) or none; zebra by `backgroundColor` on odd rows; head fills.
The two-row year head is a column View (group label over a row of year cells).  Merged 構面/策略目標 labels are
nested Views (a label cell beside a column of the KPI rows it spans, the row-span idiom of react-pdf users) or
a label in every row (blank on rows that continue a block, or repeated).  Turned labels: a Text of a fixed width
turned by `transform: 'rotate(-90deg)'` (about its centre) in a cell given a `minHeight` for it; or stacked, one
character per line.  Band rows: one full-width cell with the perspective.

Pages: slides (one `<Page>` per slide, size [720, 540], [960, 540] or 'A4' landscape; the deck's row budget
per slide, lowered until react-pdf no longer carries a slide's table over to a page of its own), or a document
react-pdf paginates itself (A4 portrait or landscape): one `<Page>` per theme, or one for all themes with
`break` on each theme's title, or themes following on (the title kept with the table by `minPresenceAhead`).
Rows `wrap={false}` (kept whole, moved to the next page) or splittable; a KPI row react-pdf splits over two
pages gets `break` (a band row above it goes with it) and the deck renders again, as an author who sees a
split row does.  Head rows `fixed` repeat at the top of every later page the table runs onto (also when
themes follow on in one `<Page>`: a table that ended leaves no head behind), or are printed once.  The theme title
as content, or as a `fixed` running header whose render prop appends '--k/n' from `subPageNumber` /
`subPageTotalPages` (the pages of that `<Page>`).  Footers: a `fixed` absolutely positioned View with a
`render` prop ('- n -', 'n / N', '第 n 頁'), empty on the cover.  Watermark: a `fixed` absolutely positioned
Text turned by `rotate(-30deg)` under `opacity`, first in the page (under the table) or last (over it).

Text: react-pdf breaks lines only at spaces and at hyphenation points; a word broken between two 'syllables'
gets a '-' glyph at the line end (textkit inserts a HYPHEN at a penalty break: printed, in the text layer).  CJK apps
register `Font.registerHyphenationCallback` returning every character followed by an empty syllable (a
zero-width glue, so breaks come without hyphens): at any character ('chars'), at ideographs and full-width forms
only with codes and numbers kept whole ('cjk'; a run wider than its column would run over the rule into the
next cell, so the author widens such columns), or at U+200B the app put after every character ('zwsp',
stripped by the callback, not printed).  Lines are broken Knuth-Plass style (a paragraph's breaks chosen
together, textkit's linebreak over boxes, glue and penalties).  Layout quirks met: a
unitless `lineHeight` set on a parent is inherited as the parent's computed leading (11 pt text under a 7 pt
page with 1.3 gets 9.1 pt lines, overlapping), so text of another size sets its own; a flex cell with the
default `flexBasis: auto` is laid out at its text's unbroken width, runs past the page and drops a character
at the line it overflows, so flex cells take `flexBasis: 0`.

Fonts by `Font.register` of a single-face file of fonts.py (one `src` per face and weight), subset by
fontkit into Type0 Identity-H fonts with tags from 'CZZZZZ+' (Noto CJK as CIDFontType0C, the others
CIDFontType2) with a ToUnicode that gives the CJK text back; bold as a second face (Noto CJK Bold extracted like
fonts.py's faces), the regular file registered again for `fontWeight: 'bold'` (CJK apps without a bold face), or
no bold; optionally the font stack `['Helvetica', 'cjk']` (react-pdf 4 picks a font per code point: ASCII in
the Standard 14 Helvetica, the rest in the CJK face).  react-pdf has no fallback beyond its stack, so a
character the face lacks prints as the plain ideograph (fonts.printable).  Info: Creator/Producer 'react-pdf'
unless the app sets them, Title/Author or not.  pdfkit puts a non-embedded Helvetica (and Helvetica-Bold
when bold is used) among the page resources even when no text is set in it.  Pages are y-flipped
(`1 0 0 -1 0 H cm`), and every run of a line (a script or font change starts another: '策略主題：', '(A)',
the rest) is its own `q 1 0 0 -1 0 H cm BT 1 0 0 1 0 H Tm /F Tf [<...> 0] TJ ET Q` after its colour and an
opacity ExtGState, placed by a chain of `cm` translations; each border side is stroked under clip paths of
its own (the side's trapezoid, then two triangles towards the box's centre: three `W n`), as react-pdf draws
CSS borders; fills are paths drawn before the cell's content.
"""

from __future__ import annotations

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
from .fonts import cache_dir, face_file, printable
from .layout import Col, Row, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, fold

REACT_PDF = "4.9.0"  # npm install @react-pdf/renderer@4.9.0 react@19.3.1 in $REALTOOLS_CACHE/reactpdf (README, Setup)
REACT = "19.3.1"
JS = Path(__file__).with_name("r_reactpdf.js")
NAVY = "#1f3a68"
HEAD_FILL = "#dce6f2"
BAND_FILL = "#c9d9ec"
ZEBRA = "#eef2f7"
RULE = "#555555"
PAGE_SIZES = {"4:3": [720, 540], "16:9": [960, 540], "A4L": "A4"}
BOLD = {  # bold faces as single files, extracted like fonts.py's regular ones
    "Noto Sans CJK TC": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 3, "otf"),
    "Noto Serif CJK TC": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 3, "otf"),
}


def modules_dir() -> Path:
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "reactpdf" / "node_modules"
    if not (d / "@react-pdf" / "renderer" / "package.json").exists():
        cmd = f"npm install @react-pdf/renderer@{REACT_PDF} react@{REACT}"
        raise RuntimeError(f"react-pdf is not installed: cd {d.parent} && {cmd}")
    return d


def _versions() -> dict[str, str]:
    d = modules_dir()
    names = ("@react-pdf/renderer", "@react-pdf/layout", "@react-pdf/textkit", "pdfkit", "yoga-layout", "react")
    return {m: json.loads((d / m / "package.json").read_text())["version"] for m in names}


@cache
def tool_version(engine: str | None = None) -> str:
    v = _versions()
    if v["@react-pdf/renderer"] != REACT_PDF or v["react"] != REACT:
        raise RuntimeError(f"want @react-pdf/renderer {REACT_PDF} and react {REACT}, found {v}")
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"@react-pdf/renderer {v['@react-pdf/renderer']} (layout {v['@react-pdf/layout']}, textkit "
        f"{v['@react-pdf/textkit']}, pdfkit {v['pdfkit']}, yoga-layout {v['yoga-layout']}), React {v['react']}, "
        f"Node {node}"
    )


@cache
def bold_file(family: str) -> str:
    from fontTools.ttLib import TTCollection

    src, index, ext = BOLD[family]
    out = cache_dir() / f"{family.replace(' ', '')}-Bold.{ext}"
    if not out.exists():
        TTCollection(src, lazy=False).fonts[index].save(str(out))
    return str(out)


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.45
    flow_page = rng.choice(["A4L", "A4L", "A4P"])
    bolds = ["none", "same"] + (["face", "face"] if style["font"] in BOLD else [])
    return {
        "flow": flow,
        "page": flow_page if flow else style["page"],
        "font_pt": max(style["font_pt"], 8) if flow else style["font_pt"],
        "themes": rng.choice(["page", "page", "break", "follow"]) if flow else "page",
        "row_wrap": rng.random() < 0.4 if flow else False,
        "repeat_header": flow and rng.random() < 0.7,
        "running_title": rng.random() < (0.4 if flow else 0.2),
        "spans": rng.choice(["nested", "nested", "blank", "repeat"]),
        "widths": rng.choice(["percent", "points", "flex"]),
        "hyphenation": rng.choice(["chars", "chars", "cjk", "zwsp"]),
        "latin": rng.choice([None, None, None, "Helvetica"]),
        "bold": rng.choice(bolds),
        "header_fill": style["rules"] != "none" and rng.random() < 0.75,
        "rule_width": rng.choice([0.5, 0.75, 1.0]),
        "padding": rng.choice([2, 3, 4]),
        "line_height": rng.choice([1.2, 1.3, 1.45]),
        "footer": rng.choice([None, "dash", "dash", "of", "of", "zh"]),
        "watermark_over": rng.random() < 0.5,
        "info": rng.choice(["default", "title", "app"]),
    }


class TooTall(Exception):
    """A KPI row that does not fit a page even when it starts one: the type must be smaller."""


def _is_cjk(c: str) -> bool:
    o = ord(c)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x3000 <= o <= 0x303F


class TreeBuilder:
    """The react-pdf element tree of the deck; `cuts` are theme rows that get `break` (flow)."""

    def __init__(self, deck: Deck, opts: dict, cuts: dict[str, set[int]]) -> None:
        self.d, self.o, self.st = deck, opts, deck.style
        page = opts["page"]
        if page == "A4P":
            self.size, self.W, self.H = "A4", 595.28, 841.89
        elif page == "A4L":
            self.size, self.W, self.H = "A4", 841.89, 595.28
        else:
            self.size, (self.W, self.H) = PAGE_SIZES[page], SIZES[page]
        self.landscape = page == "A4L"
        self.pt = float(opts["font_pt"])
        self.cuts = cuts
        self.side = 28.0
        self.cols = columns(deck)
        self.font = opts["font"]
        self.rw = opts["rule_width"]
        if opts["hyphenation"] == "cjk":
            self.widen()

    # --- text ------------------------------------------------------------------------------------------

    def t(self, s: str) -> str:
        s = printable(s, self.font)
        if self.o["hyphenation"] == "zwsp":  # the app's own pre-splitting, cut again by its callback
            s = "\n".join("\u200b".join(line) for line in s.split("\n"))
        return s

    def text(self, s: str, style: dict | None = None, props: dict | None = None) -> dict:
        node: dict = {"t": "Text", "c": [self.t(s)]}
        if style and "fontSize" in style and "lineHeight" not in style:
            # a lineHeight factor is inherited as the parent's computed leading, not as a factor: text of
            # another size sets its own, or its lines overlap
            style = {**style, "lineHeight": 1.25}
        if style:
            node["s"] = style
        if props:
            node["p"] = props
        return node

    def bold(self) -> dict:
        return {"fontWeight": "bold"} if self.o["bold"] != "none" else {}

    def widen(self) -> None:
        """With codes and numbers kept whole ('cjk' breaking), a run wider than its column runs over the rule
        into the next cell: the author widens such columns (from the face's advances, as react-pdf measures)."""
        import pymupdf

        cjk = pymupdf.Font(fontfile=face_file(self.font))
        latin = pymupdf.Font("helv") if self.o["latin"] else cjk
        need: dict[str, float] = {}
        for t in self.d.themes:
            for r in theme_rows(self.d, t):
                for cid, text in r.cells.items():
                    for tok in re.findall(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+", text):
                        w = sum((latin if ord(ch) < 128 else cjk).text_length(ch, self.pt) for ch in tok)
                        need[cid] = max(need.get(cid, 0.0), w + 2 * self.o["padding"] + 2)
        inner = self.W - 2 * self.side - 2
        for _ in range(3):
            tot = sum(c.weight for c in self.cols)
            for c in self.cols:
                if inner * c.weight / tot < need.get(c.id, 0.0):
                    c.weight = need[c.id] * tot / inner * 1.04

    # --- page furniture --------------------------------------------------------------------------------

    def page(self, children: list, wrap: bool = True, skip_num: bool = False) -> dict:
        o = self.o
        style = {
            "fontFamily": ["Helvetica", "cjk"] if o["latin"] else "cjk",
            "fontSize": self.pt,
            "lineHeight": o["line_height"],
            "paddingTop": 60 if o["running_title"] else 26,
            "paddingBottom": 36 if o["footer"] else 24,
            "paddingHorizontal": self.side,
        }
        props: dict = {"size": self.size, "wrap": wrap}
        if self.landscape:
            props["orientation"] = "landscape"
        kids = list(children)
        if self.st["watermark"]:
            mark = self.text(
                "內部資料",
                {
                    "position": "absolute",
                    "top": self.H / 2 - 40,
                    "left": self.W / 2 - 150,
                    "width": 300,
                    "textAlign": "center",
                    "fontSize": 60,
                    "color": "#c85050",
                    "opacity": 0.18,
                    "transform": "rotate(-30deg)",
                },
                {"fixed": True},
            )
            kids = kids + [mark] if o["watermark_over"] else [mark] + kids
        if o["footer"] and not skip_num:
            tpl = {"dash": "- {page} -", "of": "{page} / {pages}", "zh": "第 {page} 頁"}[o["footer"]]
            kids.append(
                {
                    "t": "View",
                    "p": {"fixed": True},
                    "s": {
                        "position": "absolute",
                        "bottom": 14,
                        "left": self.side,
                        "right": self.side,
                        "flexDirection": "row",
                        "justifyContent": "space-between",
                        "borderTop": "0.5pt solid #999999",
                        "paddingTop": 3,
                        "fontSize": 7,
                        "color": "#666666",
                        "lineHeight": 1.2,
                    },
                    "c": [
                        self.text(f"{self.d.org}｜策略地圖與平衡計分卡"),
                        {"t": "Text", "num": tpl},
                    ],
                }
            )
        return {"t": "Page", "p": props, "s": style, "c": kids}

    def title_row(self, title: str, extra: dict | None = None) -> dict:
        kids = [self.text(title, {"fontSize": 16, "color": NAVY, "flexGrow": 1, "flexBasis": 0, **self.bold()})]
        if self.st["logo"]:
            kids.append(
                self.text(
                    self.d.short,
                    {"fontSize": 11, "color": NAVY, "border": f"1pt solid {NAVY}", "paddingHorizontal": 6},
                )
            )
        return {
            "t": "View",
            "s": {"flexDirection": "row", "alignItems": "center", "marginBottom": 8, "lineHeight": 1.2},
            "p": extra or {},
            "c": kids,
        }

    def running_title(self, title: str) -> dict:
        """A fixed header: the theme title, '--k/n' appended from the pages of its <Page>."""
        node = self.title_row(title, {"fixed": True})
        node["s"] = {**node["s"], "position": "absolute", "top": 22, "left": self.side, "right": self.side}
        suffix = "--{sub}/{subs}" if self.st["cont_marker"] else ""
        node["c"][0] = {"t": "Text", "s": node["c"][0]["s"], "num": self.t(title), "multi": self.t(title) + suffix}
        return node

    def front(self) -> list:
        d = self.d
        cover = [
            {
                "t": "View",
                "p": {"fixed": True},
                "s": {"position": "absolute", "top": 0, "left": 0, "right": 0, "height": 18, "backgroundColor": NAVY},
            },
            self.text(d.org, {"fontSize": 30, "textAlign": "center", "marginTop": self.H * 0.3, "marginBottom": 16}),
            self.text("策略地圖與平衡計分卡", {"fontSize": 26, "textAlign": "center"}),
        ]
        prof = [self.text(f"{d.org}轄區概況", {"fontSize": 20, "color": NAVY, "marginBottom": 20, **self.bold()})]
        prof += [self.text(x, {"fontSize": 14, "marginLeft": 20, "marginBottom": 14}) for x in d.profile_lines]
        smap: list = [
            {
                "t": "View",
                "s": {"flexDirection": "row", "justifyContent": "space-between", "marginBottom": 12},
                "c": [
                    self.text(f"{d.org}策略地圖", {"fontSize": 20, "color": NAVY, **self.bold()}),
                    self.text(d.map_date, {"fontSize": 14}),
                ],
            },
            self.text("願景：" + "、".join(t.shown for t in d.themes), {"fontSize": 10, "marginBottom": 8}),
        ]
        for p in BSC_ORDER:
            objs = [o.shown for t in d.themes for o in t.objectives if o.perspective == p]
            if objs:
                smap.append(
                    {
                        "t": "View",
                        "s": {"flexDirection": "row", "marginBottom": 6, "border": f"1pt solid {NAVY}"},
                        "c": [
                            {
                                "t": "View",
                                "s": {"width": 90, "backgroundColor": NAVY, "justifyContent": "center", "padding": 4},
                                "c": [self.text(f"{p}構面", {"color": "#ffffff", "textAlign": "center"})],
                            },
                            {
                                "t": "View",
                                "s": {"flexGrow": 1, "flexShrink": 1, "flexBasis": 0, "padding": 6},
                                "c": [self.text("　｜　".join(objs), {"fontSize": 11})],
                            },
                        ],
                    }
                )
        return [self.page(cover, skip_num=True), self.page(prof), self.page(smap)]

    def back(self) -> dict:
        return self.page([self.text("敬請指教", {"fontSize": 36, "textAlign": "center", "marginTop": self.H * 0.35})])

    # --- the table -------------------------------------------------------------------------------------

    def width_style(self, cols: list[Col], within: list[Col] | None = None) -> dict:
        """A width for `cols` side by side: % of the parent View (whose columns are `within`), points, or a flex
        ratio among siblings."""
        tot = sum(c.weight for c in (within or self.cols))
        w = sum(c.weight for c in cols)
        mode = self.o["widths"]
        if mode == "percent":
            return {"width": f"{100 * w / tot:.2f}%"}
        if mode == "points":
            inner = self.W - 2 * self.side - 2 * self.rw
            return {"width": round(inner * w / sum(c.weight for c in self.cols), 2)}
        return {"flexGrow": w, "flexShrink": 1, "flexBasis": 0}

    def rules(self) -> str:
        return self.st["rules"]

    def cell_style(self, cols: list[Col], last: bool, within: list[Col] | None = None) -> dict:
        s = {**self.width_style(cols, within), "padding": self.o["padding"]}
        if self.rules() == "grid" and not last:
            s["borderRight"] = f"{self.rw}pt solid {RULE}"
        if self.st["valign"] == "middle":
            s["justifyContent"] = "center"
        return s

    def row_style(self, head: bool = False) -> dict:
        r = self.rules()
        s: dict = {"flexDirection": "row"}
        if r == "grid":
            s["borderBottom"] = f"{self.rw}pt solid {RULE}"
        elif r in ("hrules", "zebra"):
            s["borderBottom"] = f"{(1.2 if head else 0.5) * self.rw:.2f}pt solid {NAVY if r == 'zebra' else RULE}"
        elif head:
            s["borderBottom"] = f"{self.rw}pt solid {RULE}"
        if head and self.o["header_fill"]:
            s["backgroundColor"] = HEAD_FILL
        return s

    def head(self) -> dict:
        cols, two = self.cols, self.st["year_header"] == "two_row"
        ts = {"textAlign": "center", **self.bold()}
        kids = []
        j = 0
        while j < len(cols):
            c = cols[j]
            last = j == len(cols) - 1
            if two and c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                group = cols[j : k + 1]
                last = k == len(cols) - 1
                subs = []
                for m, g in enumerate(group):
                    s = {**self.cell_style([g], m == len(group) - 1, group), "justifyContent": "center"}
                    subs.append({"t": "View", "s": s, "c": [self.text(g.sub or "", ts)]})
                top = {"padding": self.o["padding"]}
                if self.rules() == "grid":
                    top["borderBottom"] = f"{self.rw}pt solid {RULE}"
                box = {**self.width_style(group)}
                if self.rules() == "grid" and not last:
                    box["borderRight"] = f"{self.rw}pt solid {RULE}"
                kids.append(
                    {
                        "t": "View",
                        "s": box,
                        "c": [
                            {"t": "View", "s": top, "c": [self.text(c.group, ts)]},
                            {"t": "View", "s": {"flexDirection": "row", "flexGrow": 1}, "c": subs},
                        ],
                    }
                )
                j = k + 1
                continue
            s = {**self.cell_style([c], last), "justifyContent": "center"}
            kids.append({"t": "View", "s": s, "c": [self.text(c.label, ts)]})
            j += 1
        props = {"fixed": True} if self.o["repeat_header"] else {}
        props["wrap"] = False
        return {"t": "View", "s": self.row_style(head=True), "p": props, "c": kids}

    def label(self, col: Col, text: str, height: float | None = None) -> dict:
        """A 構面 or 策略目標 cell's content; turned or stacked 構面 labels."""
        mode = self.st["persp_mode"]
        if col.id != "persp" or mode == "column" or not text:
            return self.text(text, {"textAlign": "center" if col.id == "persp" else self.st["halign"]})
        if mode == "stacked":
            return self.text("\n".join(text), {"textAlign": "center"})
        length = len(text) * self.pt + 8  # the turned line's length: the cell is made this tall
        return {
            "t": "View",
            "s": {"minHeight": length, "alignItems": "center", "justifyContent": "center", "flexGrow": 1},
            "c": [
                self.text(
                    text,
                    {"width": length, "textAlign": "center", "transform": "rotate(-90deg)", "flexShrink": 0},
                )
            ],
        }

    def kpi_row(self, r: Row, cols: list[Col], labels: dict[str, str], zebra: bool, brk: bool, last: bool) -> dict:
        kids = []
        for j, c in enumerate(cols):
            if c.id in labels:
                body = self.label(c, labels[c.id])
            else:
                body = self.text(r.cells.get(c.id, ""), {"textAlign": self.st["halign"]})
            kids.append({"t": "View", "s": self.cell_style([c], last and j == len(cols) - 1, cols), "c": [body]})
        s = self.row_style()
        if zebra:
            s["backgroundColor"] = ZEBRA
        props: dict = {"wrap": self.o["row_wrap"]}
        if brk:
            props["break"] = True
        return {"t": "View", "s": s, "p": props, "c": kids}

    def band_row(self, r: Row, brk: bool) -> dict:
        s = {**self.row_style(), "padding": self.o["padding"]}
        if self.rules() != "none":
            s["backgroundColor"] = BAND_FILL
        props: dict = {"wrap": False, "minPresenceAhead": 3 * self.pt}
        if brk:
            props["break"] = True
        return {"t": "View", "s": s, "p": props, "c": [self.text(r.cells["band"], self.bold())]}

    def body(self, rows: list[Row], prev: list[Row], cut_at: set[int]) -> list:
        """The rows under the head: flat rows, or nested Views for merged 構面/策略目標 labels."""
        st, cols = self.st, self.cols
        label_ids = [c.id for c in cols if c.id in ("persp", "obj")]
        nested = self.o["spans"] == "nested" and label_ids and cols[0].id == label_ids[0]
        nested = nested and (len(label_ids) == 1 or cols[1].id == label_ids[1])
        zebra_on = st["rules"] == "zebra"
        kpi_no = [0]

        def flat(i: int, r: Row, labels: dict[str, str], sub: list[Col], last_col: bool) -> dict:
            z = zebra_on and kpi_no[0] % 2 == 1
            kpi_no[0] += 1
            return self.kpi_row(r, sub, labels, z, i in cut_at, last_col)

        if not nested:
            out = []
            spans = {key: dict(runs(rows, key)) for key in label_ids}
            covered = {(i, k) for k in spans for s, n in spans[k].items() for i in range(s + 1, s + n)}
            for i, r in enumerate(rows):
                if r.kind == "band":
                    out.append(self.band_row(r, i in cut_at))
                    continue
                labels = {}
                for k in label_ids:
                    text = r.cells[k]
                    spanned = (i, k) in covered and self.o["spans"] != "repeat"
                    if spanned or (i == 0 and st["blank_cont"] and continues(prev, r, k)):
                        text = ""
                    labels[k] = text
                out.append(flat(i, r, labels, cols, True))
            return out

        # nested: [label | column of [label | column of rows]]
        def group(i0: int, seg: list[Row], depth: int) -> list:
            """A label cell beside a column of what it spans; the rule under a block is the block's own, so the
            label cell is ruled off too (the last row inside leaves its rule to the block)."""
            key = label_ids[depth] if depth < len(label_ids) else None
            if key is None:
                out = [flat(i0 + n, r, {}, cols[len(label_ids) :], True) for n, r in enumerate(seg)]
                out[-1]["s"].pop("borderBottom", None)
                return out
            out = []
            blocks = runs(seg, key)
            for b, (s, n) in enumerate(blocks):
                part = seg[s : s + n]
                r0 = part[0]
                text = r0.cells[key]
                if i0 + s == 0 and st["blank_cont"] and continues(prev, r0, key):
                    text = ""
                lc = cols[depth]
                cell = {"t": "View", "s": self.cell_style([lc], False, cols[depth:]), "c": [self.label(lc, text)]}
                inner = {
                    "t": "View",
                    "s": {**self.width_style(cols[depth + 1 :], cols[depth:]), "flexDirection": "column"},
                    "c": group(i0 + s, part, depth + 1),
                }
                gs = {k: v for k, v in self.row_style().items() if k in ("flexDirection", "borderBottom")}
                if depth and b == len(blocks) - 1:
                    gs.pop("borderBottom", None)
                props = {"break": True} if (i0 + s) in cut_at else {}
                props["wrap"] = self.o["row_wrap"] or n > 1
                out.append({"t": "View", "s": gs, "p": props, "c": [cell, inner]})
            return out

        out = []
        seg: list[Row] = []
        start = 0
        for i, r in enumerate(rows + [None]):
            if r is None or r.kind == "band":
                if seg:
                    out += group(start, seg, 0)
                    seg = []
                if r is not None:
                    out.append(self.band_row(r, i in cut_at))
                start = i + 1
            else:
                seg.append(r)
        return out

    def table(self, rows: list[Row], prev: list[Row], cut_at: set[int]) -> dict:
        s: dict = {"flexDirection": "column", "marginBottom": 6}
        r = self.rules()
        if r == "grid":
            s.update(borderTop=f"{self.rw}pt solid {RULE}", borderLeft=f"{self.rw}pt solid {RULE}")
            s["borderRight"] = f"{self.rw}pt solid {RULE}"
        elif r in ("hrules", "zebra"):
            s["borderTop"] = f"{1.2 * self.rw:.2f}pt solid {NAVY if r == 'zebra' else RULE}"
        return {"t": "View", "s": s, "c": [self.head()] + self.body(rows, prev, cut_at)}

    # --- the document ----------------------------------------------------------------------------------

    def slides(self) -> list:
        pages = []
        for t in self.d.themes:
            pieces = chunk(theme_rows(self.d, t), int(self.o["max_rows"]))
            for i, piece in enumerate(pieces):
                title = theme_title(self.d, t, i + 1, len(pieces))
                if self.o["running_title"]:
                    node = self.running_title(title)
                    node["c"][0] = self.text(title, node["c"][0]["s"])
                    kids = [node]
                else:
                    kids = [self.title_row(title)]
                pages.append(self.page(kids + [self.table(piece, pieces[i - 1] if i else [], set())]))
        return pages

    def flow(self) -> list:
        o = self.o
        pages: list = []
        cur: list = []
        for n, t in enumerate(self.d.themes):
            rows = theme_rows(self.d, t)
            cuts = self.cuts.get(t.letter, set())
            table = self.table(rows, [], cuts - {0})
            if o["themes"] == "page" or o["running_title"]:
                head = self.running_title(theme_title(self.d, t)) if o["running_title"] else None
                kids = [head] if head else [self.title_row(theme_title(self.d, t))]
                pages.append(self.page(kids + [table]))
                continue
            props: dict = {"minPresenceAhead": 80}
            if n and (o["themes"] == "break" or 0 in cuts):
                props["break"] = True
            title = self.title_row(theme_title(self.d, t), props)
            if n and "break" not in props:
                title["s"]["marginTop"] = 14
            cur += [title, table]
        if cur:
            pages.append(self.page(cur))
        return pages

    def tree(self) -> dict:
        d, o = self.d, self.o
        props: dict = {}
        if o["info"] in ("title", "app"):
            props.update(title=f"{d.org}策略地圖與平衡計分卡", author=d.org)
        if o["info"] == "app":
            props.update(creator=f"{d.short}績效管理系統", producer="react-pdf")
        body = self.flow() if o["flow"] else self.slides()
        return {"t": "Document", "p": props, "c": self.front() + body + [self.back()]}

    def fonts(self) -> list[dict]:
        reg = face_file(self.font)
        faces = [{"src": reg}]
        if self.o["bold"] == "same":
            faces.append({"src": reg, "fontWeight": "bold"})
        elif self.o["bold"] == "face":
            faces.append({"src": bold_file(self.font), "fontWeight": "bold"})
        return [{"family": "cjk", "fonts": faces}]


def _run(builder: TreeBuilder, out_pdf: Path) -> None:
    job = {
        "modules": str(modules_dir()),
        "fonts": builder.fonts(),
        "hyphenation": builder.o["hyphenation"],
        "tree": builder.tree(),
        "out": str(out_pdf),
    }
    with tempfile.TemporaryDirectory(prefix="r_reactpdf-") as tmp:
        path = Path(tmp) / "job.json"
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(["node", str(JS), str(path)], capture_output=True, text=True, timeout=900)
        if proc.returncode:
            raise RuntimeError(f"react-pdf failed: {proc.stderr.strip()[-2000:]}")


def _read_back(pdf: Path, deck: Deck) -> tuple[int, dict[str, list[int]], set[int], bool]:
    """Page count, the pages each KPI code is printed on (from the first table page on), the pages short of
    characters of the KPI rows whose codes they hold, and whether any text runs off a page."""
    import pymupdf

    doc = pymupdf.open(str(pdf))
    texts, started, off = {}, False, False
    for i, page in enumerate(doc, 1):
        compact = "".join(fold(page.get_text()).split())
        started = started or "實際值" in compact or "目標值" in compact
        if started:
            texts[i] = ([fold(w[4]) for w in page.get_text("words")], Counter(compact))
        for b in page.get_text("dict")["blocks"]:
            if b.get("type") == 0 and (b["bbox"][3] > page.rect.height + 2 or b["bbox"][2] > page.rect.width + 2):
                off = True
    at: dict[str, list[int]] = {}
    need: dict[int, Counter] = {}
    for _, _, k in deck.kpis():
        rx = re.compile(rf"(?<![A-Za-z0-9.]){re.escape(k.code)}(?![0-9]|\.[0-9])")
        at[k.code] = [i for i, (words, _) in texts.items() if any(rx.search(w) for w in words)]
        if len(at[k.code]) == 1:
            text = k.shown + "".join(v.text for v in k.values) + "".join(p.shown for p in k.plans) + k.code
            need.setdefault(at[k.code][0], Counter()).update("".join(fold(text).split()))
    short = {p for p, cnt in need.items() if cnt - texts[p][1]}
    return len(doc), at, short, off


def _split_row(deck: Deck, at: dict[str, list[int]], short: set[int]) -> tuple[str, int] | None:
    """The first KPI row broken across pages: (theme letter, index into theme_rows of the row, or of the band row
    right above it, which goes with it): its code not on exactly one page, or the last row of a page short of
    characters of its rows."""
    for t in deck.themes:
        rows = theme_rows(deck, t)
        for i, r in enumerate(rows):
            if r.kind != "kpi":
                continue
            code = r.kpi.code
            mates = [k for _, _, k in deck.kpis() if at[k.code] == at[code]]
            if len(at[code]) != 1 or (at[code][0] in short and mates[-1] is r.kpi):
                return t.letter, i - (1 if i and rows[i - 1].kind == "band" else 0)
    return None


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus font and max_rows.  Slides: the row budget is lowered (then the type
    made smaller) until no slide's table spills over its page.  Flow: a KPI row react-pdf breaks across pages
    gets `break` and the deck renders again; a row taller than a page, smaller type."""
    from .layout import check

    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    opts.setdefault("font", st["font"])
    if opts["bold"] == "face" and opts["font"] not in BOLD:
        opts["bold"] = "same"
    out_pdf = Path(out_pdf)
    cuts: dict[str, set[int]] = {}
    for _ in range(200):
        _run(TreeBuilder(deck, opts, cuts), out_pdf)
        npages, at, short, off = _read_back(out_pdf, deck)
        try:
            if off:
                raise TooTall("off the page")
            if opts["flow"]:
                cut = _split_row(deck, at, short)
                if cut:
                    if cut[1] in cuts.get(cut[0], set()) or cut[1] == 0:
                        raise TooTall(cut)
                    cuts.setdefault(cut[0], set()).add(cut[1])
                    continue
            else:
                slides = sum(len(chunk(theme_rows(deck, t), int(opts["max_rows"]))) for t in deck.themes)
                if npages > slides + 4:  # cover, profile, map, slides, back: a table spilled over its slide
                    if opts["max_rows"] > 1:
                        opts["max_rows"] -= 1
                        continue
                    raise TooTall("slide")
        except TooTall:
            if opts["font_pt"] <= 6:
                raise RuntimeError(f"{deck.stem}: a table row does not fit a page even in 6 pt type") from None
            opts["font_pt"] -= 1
            cuts = {}
            continue
        break
    else:
        raise RuntimeError(f"{deck.stem}: react-pdf layout did not settle")
    if opts["flow"]:
        opts.pop("max_rows")
        opts["split_before"] = {k: sorted(v) for k, v in sorted(cuts.items())}
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
