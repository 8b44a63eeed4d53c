"""pdfmake renderer: the deck as a pdfmake document definition (JSON), rendered in Node by pdfmake's
server-side API (`r_pdfmake.js`), the way many web back-ends export reports.  pdfmake lays out, wraps and
paginates by itself on top of PDFKit; this module writes the definition and reads back where rows landed.

Slides: each theme's table is cut into slides of `max_rows` KPI rows (title '--k/n'), lowered until no
slide's table spills over its page (pdfmake carries the rest over to a page of its own).  Flow: one table
per theme that pdfmake breaks over pages, repeating `headerRows` (with `keepWithHeaderRows`) or not; with
`dontBreakRows` off it splits a row line by line, and a rowSpan 構面/策略目標 label prints on the first of
its pages only.  A KPI row split over two pages has no single page, so the deck renders again with a cell
`pageBreak: 'before'` on that row (a band row above it goes with it), one row at a time; a row taller than
a page makes the type smaller.  Split rows are found from the pages pdfmake wrote into the definition's
nodes (`positions`, one per line; a block kept together and moved on updates only its first, so later ones
on an earlier page are stale and ignored) and from the PDF (a code on two pages, a page short of its rows'
characters).  Cells are tagged with a private key, not `id`: pdfmake turns every `id` into a named
destination.  Theme titles are content ('headlineLevel: 1', kept off the foot of a page by a
`pageBreakBefore` function) or a running page header (flow, or slides drawn that way) whose page map comes
from the rendering before; header and footer are laid out after the page's content and come after it in the
text layer.

Text layer (pdfmake 0.3 / PDFKit 0.19, PDF 1.3, Creator and Producer 'pdfmake'): one Type0 font per face,
Identity-H, subset with glyphs renumbered in order of first use under tags counted from 'BZZZZZ+'; CFF faces
(Noto CJK, from the system collection by PostScript name or extracted by fonts.py) stay CFF (CIDFontType0C),
TrueType faces become CIDFontType2.  Pointing 'bold' at the regular file, as CJK users of pdfmake do when a
face has no bold, embeds one font and prints headings unbolded (no synthetic bold).  The ToUnicode map is a
bfrange array from the code points fontkit shaped, so 面 reads as 面 and a lookalike as itself.  Pages are
y-flipped (`1 0 0 -1 0 H cm` at the top and again inside each q/Q) and every inline pdfmake measured (a
Latin word, a number, or one CJK character, as UAX #14 breaks them) is its own q/BT/ET with its own Tm,
after its colour, its opacity ExtGState and a stray `f` filling an empty path; kerning shows as TJ offsets
inside Latin words.  Line breaking is the `linebreak` package's UAX #14: between any two ideographs and
between full-width digits ('１|２．|５％'), never inside 'AC1.2.1' or '≧96.0%', before an ideograph after a
digit ('12.5|分|鐘'); with `wordBreak: 'break-all'` at any character ('≧1,245,0|07元').  Table rules are
stroked lines (m/l/S with their own width, dash, colour and ExtGState), one segment per cell edge; fills are
rectangles put at the start of the page's content, before any text or rule of the page, and a zebra fill
function paints a merged cell row by row.  pdfmake cannot turn text, so rotated 構面 labels print one
character per line like stacked ones.  The watermark is rotated text under its opacity, drawn last, over
the table (default angle: the page diagonal).  pdfmake has no font fallback, so characters a face lacks
print as the plain ideograph (fonts.printable) rather than as .notdef.

pdfmake 0.3.11 bugs worked around as an author who saw them would: `verticalAlignment: 'middle'` (new in
0.3.4) puts a rowSpan heading above the table on pages after the first and, with dontBreakRows, a rowSpan
body label at the foot of the page or over the row above, so rowSpan cells stay at the top; and a centred
cell whose row pdfmake starts on one page and moves to the next leaves its `q` (with a translation) on the
first page and its `Q` on the second: the first page's footer and watermark slide off it and poppler stops
drawing the second at the unmatched Q (MuPDF and pdfminer go on), so in flow mode cells are centred only in
rows kept whole (dontBreakRows).  A cell page break in a row under a rowSpan of a dontBreakRows table makes
pdfmake throw (TypeError in processRow); the generator then draws another style.
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
from .fonts import face_file, printable
from .layout import Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, Theme, fold

PDFMAKE = "0.3.11"  # npm install pdfmake@0.3.11 in $REALTOOLS_CACHE/pdfmake (README, Setup)
JS = Path(__file__).with_name("r_pdfmake.js")
NAVY = "#1f3a68"
HEAD_FILL = "#dce6f2"
BAND_FILL = "#c9d9ec"
ZEBRA = "#eef2f7"
NOTO = "/usr/share/fonts/opentype/noto/"
# family -> (collection, PostScript name of its TC face, bold collection, bold face) as pdfmake takes them
COLLECTIONS = {
    "Noto Sans CJK TC": (
        NOTO + "NotoSansCJK-Regular.ttc",
        "NotoSansCJKtc-Regular",
        NOTO + "NotoSansCJK-Bold.ttc",
        "NotoSansCJKtc-Bold",
    ),
    "Noto Serif CJK TC": (
        NOTO + "NotoSerifCJK-Regular.ttc",
        "NotoSerifCJKtc-Regular",
        NOTO + "NotoSerifCJK-Bold.ttc",
        "NotoSerifCJKtc-Bold",
    ),
    "WenQuanYi Zen Hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "WenQuanYiZenHei", None, None),
    "AR PL UMing TW": ("/usr/share/fonts/truetype/arphic/uming.ttc", "UMingTW", None, None),
}
# table layouts per rule style: pdfmake's own ('default' is its black 1 pt grid) and custom ones (LAYOUTS)
LAYOUT_CHOICES = {
    "grid": ["default", "default", "grid"],
    "hrules": ["lightHorizontalLines", "hrules"],
    "none": ["noBorders", "headerLineOnly"],
    "zebra": ["zebra", "zebraLines"],
}


def modules_dir() -> Path:
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "pdfmake" / "node_modules"
    if not (d / "pdfmake" / "package.json").exists():
        raise RuntimeError(f"pdfmake is not installed: cd {d.parent} && npm install pdfmake@{PDFMAKE}")
    return d


@cache
def tool_version(engine: str | None = None) -> str:
    d = modules_dir()
    ver = {m: json.loads((d / m / "package.json").read_text())["version"] for m in ("pdfmake", "pdfkit")}
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return f"pdfmake {ver['pdfmake']} (PDFKit {ver['pdfkit']}), Node {node}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    running = flow and rng.random() < 0.5
    return {
        "flow": flow,
        "page": rng.choice(["A4L", style["page"]]) if flow else style["page"],
        "font_pt": max(style["font_pt"], rng.choice([8, 9, 10])) if flow else style["font_pt"],
        "running_title": running,
        "title_in": "header" if running or (not flow and rng.random() < 0.3) else "content",
        "theme_break": running or not flow or rng.random() < 0.6,
        "layout": rng.choice(LAYOUT_CHOICES[style["rules"]]),
        "header_fill": style["rules"] != "none" and rng.random() < 0.7,
        "header_bold": rng.random() < 0.5,
        "repeat_header": rng.random() < 0.7,
        "dont_break_rows": rng.random() < 0.5,
        "spans": rng.random() < 0.75,
        "widths": rng.choice(["percent", "fixed", "star"]),
        "word_break": rng.choice(["normal", "normal", "break-all"]),
        "line_height": rng.choice([1.0, 1.0, 1.15, 1.3]),
        "padding": rng.choice([2, 3, 4]),
        "footer": rng.random() < 0.75,
        "page_of": rng.random() < 0.4,
        "watermark_angle": rng.choice([None, None, -30, -45]),
        "font_source": rng.choice(["collection", "face"]),
    }


class TooTall(Exception):
    """A KPI row pdfmake still splits when it already starts a page (flow): the type must be smaller."""


class DocBuilder:
    """One pdfmake document definition for the deck; `cuts` are theme rows that start a page (flow)."""

    def __init__(self, deck: Deck, opts: dict, cuts: dict[str, set[int]], titles: dict[int, str]) -> None:
        self.d, self.o, self.st = deck, opts, deck.style
        self.W, self.H = SIZES[opts["page"]]
        self.pt = float(opts["font_pt"])
        self.cuts, self.titles = cuts, titles
        self.side = 28.0
        self.top = 56.0 if opts["title_in"] == "header" else 24.0
        self.bottom = 34.0 if opts["footer"] else 22.0
        self.font = opts["font"]
        self.cols = columns(deck)
        self.nh = 2 if self.st["year_header"] == "two_row" else 1

    def t(self, s: str) -> str:
        return printable(s, self.font)

    # --- fonts and layouts -------------------------------------------------------------------------------

    def fonts(self) -> dict:
        coll, ps, bcoll, bps = COLLECTIONS[self.font]
        if self.o["font_source"] == "collection":
            normal = [coll, ps]
            bold = [bcoll, bps] if bcoll else normal
        else:  # a single face file, the same one for every style, as pdfmake users do for CJK fonts
            normal = bold = face_file(self.font)
        return {"cjk": {"normal": normal, "bold": bold, "italics": normal, "bolditalics": bold}}

    def layouts(self) -> dict:
        pad = [self.o["padding"] + 1, self.o["padding"] + 1, self.o["padding"], self.o["padding"]]
        gray, nh = "#555555", self.nh
        return {
            "grid": {"hw": [0.8, 0.8, 0.5], "vw": [0.8, 0.5], "hc": gray, "vc": gray, "pad": pad, "head": nh},
            "hrules": {"hw": [1.2, 1.2, 0.5], "vw": [0, 0], "hc": gray, "vc": gray, "pad": pad, "head": nh},
            "zebra": {"hw": [0, 1.5, 0], "vw": [0, 0], "hc": NAVY, "vc": NAVY, "zebra": ZEBRA, "pad": pad, "head": nh},
            "zebraLines": {
                "hw": [1, 1, 0.25],
                "vw": [0, 0],
                "hc": "#8a9bb5",
                "vc": gray,
                "zebra": ZEBRA,
                "pad": pad,
                "head": nh,
            },
            "logo": {"hw": [1, 1, 1], "vw": [1, 1], "hc": NAVY, "vc": NAVY, "pad": [6, 6, 2, 2]},
        }

    # --- pieces ------------------------------------------------------------------------------------------

    def title_block(self, title: str, page_break: bool) -> dict:
        """A theme title as content: the title, and the logo caption boxed on its right."""
        cols: list[dict] = [{"text": self.t(title), "style": "title", "width": "*"}]
        if self.st["logo"]:
            cols.append(
                {
                    "width": "auto",
                    "table": {"body": [[{"text": self.t(self.d.short), "fontSize": 11, "color": NAVY}]]},
                    "layout": "logo",
                }
            )
        node = {"columns": cols, "margin": [0, 0, 0, 8], "headlineLevel": 1}
        if page_break:
            node["pageBreak"] = "before"
        return node

    def header_node(self, title: str) -> dict:
        node = self.title_block(title, False)
        node.pop("headlineLevel")
        node["margin"] = [self.side, 22, self.side, 0]
        return node

    def footer_node(self) -> dict:
        num = "{page} / {pages}" if self.o["page_of"] else "- {page} -"
        w = self.W - 2 * self.side
        return {
            "stack": [
                {
                    "canvas": [
                        {"type": "line", "x1": 0, "y1": 0, "x2": w, "y2": 0, "lineWidth": 0.5, "lineColor": "#999"}
                    ]
                },
                {
                    "columns": [
                        {"text": self.t(f"{self.d.org}｜策略地圖與平衡計分卡"), "width": "*"},
                        {"text": num, "width": "auto"},
                    ],
                    "margin": [0, 3, 0, 0],
                },
            ],
            "fontSize": 7,
            "lineHeight": 1,
            "color": "#666666",
            "margin": [self.side, 8, self.side, 0],
        }

    def front(self) -> list:
        d = self.d
        out: list = [
            {
                "canvas": [{"type": "rect", "x": 0, "y": 0, "w": self.W, "h": 18, "color": NAVY}],
                "absolutePosition": {"x": 0, "y": 0},
            },
            {"text": self.t(d.org), "fontSize": 30, "alignment": "center", "margin": [0, self.H * 0.3, 0, 16]},
            {"text": "策略地圖與平衡計分卡", "fontSize": 26, "alignment": "center"},
            {
                "text": self.t(f"{d.org}轄區概況"),
                "style": "page_title",
                "pageBreak": "before",
                "margin": [12, 16, 0, 20],
            },
        ]
        out += [{"text": self.t(x), "fontSize": 14, "margin": [32, 0, 0, 14]} for x in d.profile_lines]
        out.append(
            {
                "columns": [
                    {"text": self.t(f"{d.org}策略地圖"), "style": "page_title", "width": "*"},
                    {"text": d.map_date, "fontSize": 14, "width": "auto", "margin": [0, 6, 0, 0]},
                ],
                "pageBreak": "before",
                "margin": [12, 10, 12, 12],
            }
        )
        out.append(
            {"text": self.t("願景：" + "、".join(t.shown for t in d.themes)), "fontSize": 10, "margin": [12, 0, 0, 8]}
        )
        body = []
        for p in BSC_ORDER:
            objs = [o.shown for t in d.themes for o in t.objectives if o.perspective == p]
            if objs:
                body.append(
                    [
                        {
                            "text": f"{p}構面",
                            "fillColor": NAVY,
                            "color": "#ffffff",
                            "alignment": "center",
                            "verticalAlignment": "middle",
                        },
                        {"text": self.t("　｜　".join(objs)), "margin": [4, 6, 4, 6]},
                    ]
                )
        out.append(
            {"table": {"widths": [90, "*"], "body": body}, "layout": "logo", "fontSize": 11, "margin": [12, 0, 12, 0]}
        )
        return out

    def back(self) -> dict:
        return {
            "text": "敬請指教",
            "fontSize": 36,
            "alignment": "center",
            "pageBreak": "before",
            "margin": [0, self.H * 0.35, 0, 0],
        }

    # --- the table ---------------------------------------------------------------------------------------

    def widths(self) -> list:
        cols, mode = self.cols, self.o["widths"]
        tot = sum(c.weight for c in cols)
        if mode == "percent":
            return [f"{100 * c.weight / tot:.1f}%" for c in cols]
        if mode == "fixed":  # points, from the page width less a guess at paddings and rules
            inner = self.W - 2 * self.side - len(cols) * (2 * self.o["padding"] + 12)
            return [round(inner * c.weight / tot, 1) for c in cols]
        return ["auto" if c.id in ("persp", "w") else "*" for c in cols]

    def header_rows(self) -> list[list]:
        cols, two = self.cols, self.nh == 2

        def th(text: str, **kw) -> dict:
            cell = {"text": text, "alignment": "center", "bold": self.o["header_bold"]}
            if "rowSpan" not in kw:  # a centred rowSpan heading lands above the table on later pages
                cell["verticalAlignment"] = "middle"
            if self.o["header_fill"]:
                cell["fillColor"] = HEAD_FILL
            return {**cell, **kw}

        top: list = []
        low: list = []
        j = 0
        while j < len(cols):
            c = cols[j]
            if two and c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                top += [th(c.group, colSpan=k - j + 1)] + [""] * (k - j)
                low += [th(cols[m].sub or "") for m in range(j, k + 1)]
                j = k + 1
            else:
                top.append(th(c.label, rowSpan=2) if two else th(c.label))
                low.append("")
                j += 1
        return [top, low] if two else [top]

    def table(self, rows: list[Row], prev: list[Row], cut_at: set[int]) -> dict:
        st, o, cols = self.st, self.o, self.cols
        body = self.header_rows()
        spans = {key: dict(runs(rows, key)) for key in ("persp", "obj")}
        covered = {(i, key) for key in spans for s, n in spans[key].items() for i in range(s + 1, s + n)}
        valign = o["valign"]
        for i, r in enumerate(rows):
            brk = {"pageBreak": "before"} if i in cut_at else {}
            if r.kind == "band":
                band = {"text": self.t(r.cells["band"]), "colSpan": len(cols), "bold": True, **brk}
                if st["rules"] != "none":
                    band["fillColor"] = BAND_FILL
                body.append([band] + [""] * (len(cols) - 1))
                continue
            line = []
            for c in cols:
                text = r.cells.get(c.id, "")
                if c.id not in spans:
                    cell = {"text": self.t(text), "alignment": st["halign"], "_rt": f"{r.kpi.code} {c.id}"}
                    if valign == "middle":
                        cell["verticalAlignment"] = "middle"
                    line.append(cell)
                    continue
                if (i, c.id) in covered:
                    if o["spans"]:
                        line.append("")
                        continue
                    text = ""
                elif i == 0 and st["blank_cont"] and continues(prev, r, c.id):
                    text = ""
                cell = {"text": self.t(text)}
                span = spans[c.id].get(i, 1) if o["spans"] else 1
                if span > 1:
                    cell["rowSpan"] = span
                # pdfmake 0.3 misplaces centred rowSpan cells (see the module docstring): those stay at the top
                if valign == "middle" and span == 1:
                    cell["verticalAlignment"] = "middle"
                if c.id == "persp":
                    cell["alignment"] = "center"
                    if st["persp_mode"] != "column":  # pdfmake cannot rotate text: one character per line
                        cell["text"] = "\n".join(cell["text"])
                else:
                    cell["alignment"] = st["halign"]
                line.append(cell)
            if brk:  # pdfmake breaks the page before a table row whose cell asks for it
                first = next(k for k, x in enumerate(line) if x != "")
                line[first] = {**line[first], **brk}
            body.append(line)
        table = {"widths": self.widths(), "body": body, "dontBreakRows": o["dont_break_rows"]}
        if o["repeat_header"]:
            table.update(headerRows=self.nh, keepWithHeaderRows=1)
        node = {"table": table, "margin": [0, 0, 0, 6]}
        if o["layout"] != "default":
            node["layout"] = o["layout"]
        return node

    # --- the document ------------------------------------------------------------------------------------

    def slides(self) -> list:
        content = []
        for t in self.d.themes:
            pieces = chunk(theme_rows(self.d, t), int(self.o["max_rows"]))
            for i, piece in enumerate(pieces):
                title = theme_title(self.d, t, i + 1, len(pieces))
                if self.o["title_in"] == "content":
                    content.append(self.title_block(title, True))
                    content.append(self.table(piece, pieces[i - 1] if i else [], set()))
                else:
                    node = self.table(piece, pieces[i - 1] if i else [], set())
                    content.append({"stack": [node], "pageBreak": "before"})
        return content

    def flow(self) -> list:
        content = []
        for n, t in enumerate(self.d.themes):
            rows = theme_rows(self.d, t)
            cuts = self.cuts.get(t.letter, set())
            brk = n == 0 or self.o["theme_break"] or 0 in cuts  # 0: the theme starts a page after all
            table = self.table(rows, [], cuts - {0})
            if self.o["title_in"] == "content":
                head = self.title_block(theme_title(self.d, t), brk)
                if not brk:
                    head["margin"] = [0, 14, 0, 8]
                content += [head, table]
            else:
                content.append({"stack": [table], "pageBreak": "before"} if brk else table)
        return content

    def document(self) -> dict:
        o = self.o
        doc = {
            "info": {"title": f"{self.d.org}策略地圖與平衡計分卡", "author": self.d.org},
            "pageMargins": [self.side, self.top, self.side, self.bottom],
            "defaultStyle": {"font": "cjk", "fontSize": self.pt, "lineHeight": o["line_height"]},
            "styles": {
                "title": {"fontSize": 16, "bold": True, "color": NAVY, "lineHeight": 1},
                "page_title": {"fontSize": 20, "bold": True, "color": NAVY, "lineHeight": 1},
            },
            "content": self.front() + (self.flow() if o["flow"] else self.slides()) + [self.back()],
        }
        if o["word_break"] != "normal":
            doc["defaultStyle"]["wordBreak"] = o["word_break"]
        if o["page"] == "A4L":
            doc.update(pageSize="A4", pageOrientation="landscape")
        else:
            doc["pageSize"] = {"width": self.W, "height": self.H}
        if self.st["watermark"]:
            wm = {"text": "內部資料", "color": "#c85050", "opacity": 0.18, "fontSize": 60}
            if o["watermark_angle"] is not None:
                wm["angle"] = o["watermark_angle"]
            doc["watermark"] = wm
        return doc

    def job(self, out_pdf: Path) -> dict:
        job = {
            "modules": str(modules_dir()),
            "fonts": self.fonts(),
            "layouts": self.layouts(),
            "doc": self.document(),
            "out": str(out_pdf),
        }
        if self.o["footer"]:
            job["footer"] = {"skip": [1], "node": self.footer_node()}
        if self.o["title_in"] == "header":
            job["header"] = {"pages": {str(p): self.header_node(s) for p, s in self.titles.items()}}
        return job


def _run(job: dict) -> dict[str, list[int]]:
    """Render; returns the pages pdfmake put each tagged cell on (its first line's page first)."""
    with tempfile.TemporaryDirectory(prefix="r_pdfmake-") as tmp:
        path = Path(tmp) / "job.json"
        job = {**job, "report": str(Path(tmp) / "report.json")}
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(["node", str(JS), str(path)], capture_output=True, text=True, timeout=600)
        if proc.returncode:
            raise RuntimeError(f"pdfmake failed: {proc.stderr.strip()[-2000:]}")
        return json.loads(Path(job["report"]).read_text())


def _read_back(pdf: Path, deck: Deck) -> tuple[int, dict[str, list[int]], set[int]]:
    """What a reader finds in the PDF: its page count, the pages each KPI code is printed on (from the first
    table page on), and the pages short of characters of the KPI rows whose codes they hold.  pdfmake's own
    node positions are no help here: a block kept together and moved to the next page (dontBreakRows,
    headerRows with keepWithHeaderRows) updates the page of its first line only."""
    import pymupdf

    doc = pymupdf.open(str(pdf))
    texts, started = {}, False
    for i, page in enumerate(doc, 1):
        compact = "".join(fold(page.get_text()).split())
        started = started or "實際值" in compact or "目標值" in compact
        if started:
            texts[i] = ([fold(w[4]) for w in page.get_text("words")], Counter(compact))
    at: dict[str, list[int]] = {}
    need: dict[int, Counter] = {}
    for _, _, k in deck.kpis():
        rx = re.compile(rf"(?<![A-Za-z0-9.]){re.escape(k.code)}(?![0-9]|\.[0-9])")
        at[k.code] = [i for i, (words, _) in texts.items() if any(rx.search(w) for w in words)]
        if len(at[k.code]) == 1:
            text = k.shown + "".join(v.text for v in k.values) + "".join(p.shown for p in k.plans) + k.code
            need.setdefault(at[k.code][0], Counter()).update("".join(fold(text).split()))
    short = {p for p, cnt in need.items() if cnt - texts[p][1]}
    return len(doc), at, short


def _split_row(
    deck: Deck, cells: dict[str, list[int]], at: dict[str, list[int]], short: set[int]
) -> tuple[str, int] | None:
    """The first KPI row broken across pages: (theme letter, index into theme_rows of the row, or of the band
    row right above it, which goes with it).  A row is broken if pdfmake put its cells' lines on more than one
    page, or, read back from the PDF, if its code is not on exactly one page or it is the last row of a page
    short of characters of its rows (a check that other cells' text can hide: '計畫' in the heading)."""
    for t in deck.themes:
        rows = theme_rows(deck, t)
        for i, r in enumerate(rows):
            if r.kind != "kpi":
                continue
            code = r.kpi.code
            laid = {p for k, v in cells.items() if k.split()[0] == code for p in v}
            mates = [k for _, _, k in deck.kpis() if at[k.code] == at[code]]
            if len(laid) > 1 or len(at[code]) != 1 or (at[code][0] in short and mates[-1] is r.kpi):
                return t.letter, i - (1 if i and rows[i - 1].kind == "band" else 0)
    return None


def _theme_pages(deck: Deck, at: dict[str, list[int]]) -> dict[int, tuple[Theme, int, int]]:
    """Page -> (theme, part, parts): a theme's table runs from the page of its first KPI to that of its last."""
    on: dict[int, tuple[Theme, int, int]] = {}
    for t in deck.themes:
        ps = [p for o in t.objectives for k in o.kpis for p in at[k.code]]
        first, last = min(ps), max(ps)
        for p in range(first, last + 1):
            on.setdefault(p, (t, p - first + 1, last - first + 1))
    return on


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus font and max_rows.  Slides: the row budget is lowered (then the
    type made smaller) until no slide's table spills over its page.  Flow: a KPI row pdfmake breaks across
    pages gets a page break before it and the deck renders again; a row taller than a page, smaller type.
    A running header needs one more rendering, with the page map of the one before."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    opts.setdefault("font", st["font"] if st["font"] in COLLECTIONS else "Noto Sans CJK TC")
    # a centred cell whose row pdfmake moves to the next page unbalances q/Q (see the module docstring): in
    # flow mode, centred cells only in rows kept whole
    opts["valign"] = st["valign"] if opts["dont_break_rows"] or not opts["flow"] else "top"
    out_pdf = Path(out_pdf)
    cuts: dict[str, set[int]] = {}
    titles: dict[int, str] = {}
    for _ in range(200):
        cells = _run(DocBuilder(deck, opts, cuts, titles).job(out_pdf))
        npages, at, short = _read_back(out_pdf, deck)
        try:
            if opts["flow"]:
                cut = _split_row(deck, cells, at, short)
                if cut:
                    first = cut[0] == deck.themes[0].letter or opts["theme_break"]
                    if cut[1] in cuts.get(cut[0], set()) or (cut[1] == 0 and first):
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
        if opts["title_in"] == "header":
            want = {p: theme_title(deck, t, k, n) for p, (t, k, n) in _theme_pages(deck, at).items()}
            if not opts["flow"]:  # slides: one page per slide, its part known from the row budget
                want = {}
                page = 4
                for t in deck.themes:
                    pieces = chunk(theme_rows(deck, t), int(opts["max_rows"]))
                    for i in range(len(pieces)):
                        want[page] = theme_title(deck, t, i + 1, len(pieces))
                        page += 1
            if want != titles:
                titles = want
                continue
        break
    else:
        raise RuntimeError(f"{deck.stem}: pdfmake layout did not settle")
    if opts["flow"]:  # pdfmake paginates: no row budget
        opts.pop("max_rows")
        opts["split_before"] = {k: sorted(v) for k, v in sorted(cuts.items())}
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
