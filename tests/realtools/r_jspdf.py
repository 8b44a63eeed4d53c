"""jsPDF renderer: the deck drawn in Node by jsPDF with the jspdf-autotable plugin (`r_jspdf.js`), the way web
apps export their tables to PDF: covers, titles and footers drawn with `doc.text`/`doc.rect`, every table an
`autoTable(doc, options)` call whose options this module writes as JSON (head and body cells with rowSpan and
colSpan, theme 'grid' | 'striped' | 'plain', styles with `overflow: 'linebreak'`, cellPadding, lineWidth and
lineColor, headStyles, alternateRowStyles, columnStyles); the hooks are built by the driver from plain data.

Slides: one autoTable per page (4:3 or 16:9) under a title drawn by hand; each theme's rows are cut into
slides by the row budget, lowered until no slide's table runs over onto a page of its own (autotable would
carry the rest over).  Flow: one autoTable per theme that autotable breaks over pages (A4 landscape or the
slide size), `showHead: 'everyPage'` or `'firstPage'`, `rowPageBreak: 'avoid'` (rows moved whole) or `'auto'`
(its default: a row that does not fit is split line by line over two pages).  A KPI row split over two pages
has no single page, so the table is ended above it and continued by a second autoTable call on a new page,
as an author fixing it would (the head as the first call had it: 'firstPage' tables go on with
`showHead: 'never'`; a band row above it goes with it; zebra rows count again from the new call); a row
taller than a page makes the type smaller.  Themes start a page or follow the table before (a new page when
less than a guard is left; a theme whose title and head autotable leaves alone at the foot of a page, or
whose first row it splits, starts a page in the next rendering).  Theme titles are drawn above the table or,
as a running title, by `didDrawPage` from the page map of the rendering before ('--2/3').

rowSpan 構面/策略目標 cells are drawn once, at their first row, as tall as all their rows, and autotable
measures that row by its tallest cell: a span that does not fit the rest of the page moves whole to the next
page, leaving the foot of the page empty (rowPageBreak notwithstanding).  Only a span taller than a page is
carried over a page break (drawn running off the foot of the page); such a span is cut at the page and its
label printed again on the next (blank if the deck blanks continued labels) in the next rendering.  Turned
構面 labels are drawn by a `didDrawCell` hook with `doc.text(..., {angle: 90})` (the cell's own text emptied
by `didParseCell`, its minCellHeight the label's length); stacked ones are one character per line.  Column
widths are the deck's weights (`cellWidth`) or autotable's own ('auto', from the text's widths).

Line breaking (`overflow: 'linebreak'`, jsPDF's splitTextToSize with a point of slack): only at spaces; a
space-less run longer than the line is chopped at any character ('≧1,245,0|07元'), its first piece hanging on
the line before, while a shorter run that does not fit moves whole to the next line ('AC1.1' alone on a
line, the name under it).  The spaces it breaks at are dropped; nothing is hyphenated, so every character
of the truth is printed and no pre-wrapping is needed.

Text layer (jsPDF 4, PDF 1.3, Producer 'jsPDF 4.x'): fonts are registered with `addFileToVFS` + `addFont`
and must have TrueType outlines (a CFF face, Noto CJK, makes jsPDF throw while writing the PDF), so faces
are WenQuanYi Zen Hei or AR PL UMing/UKai TW (fonts.face_file).  Each is embedded as Type0 Identity-H /
CIDFontType2 under the name given to addFont (/cjk, no subset tag), /CIDSystemInfo Ordering (Identity-H),
/W from parseInt'ed widths; the FontFile2 keeps the face's glyph ids (codes are glyph ids, CIDToGIDMap
Identity) with unused glyphs emptied.  The ToUnicode map is one bfchar per glyph used, the code point last
drawn with it (these faces give lookalikes glyphs of their own).  A character missing from the face ends its
string there (jsPDF stops at glyph 0), so text is printed as fonts.printable gives it.  autotable's themes
draw headings bold: a deck registers the same file as 'bold' too (a second copy of the face, also /cjk, its
strokes no bolder) or sets `fontStyle: 'normal'`, since an unregistered bold falls back to Helvetica-Bold
and prints garbage.  Every line of a cell is one hex Tj of glyph ids in the cell's own BT/ET, placed by an
absolute Td (later lines by T* under TL), with colour and font set inside it; a centred or right-aligned
cell is one BT/ET per line.  Numbers carry jsPDF's 16 significant digits ('18.3999999999999986 TL';
'39.9996850393700853' when the unit is mm).  Cell borders: a number lineWidth strokes each cell's whole
rectangle (`x y w -h re` then `S`, or `B` filling it white in the grid theme), so neighbours' edges are
drawn twice; a per-side lineWidth ({bottom: w}) draws `m l S` segments; fills are `re f`, each cell painted
just before its text, a spanning cell at its first row; `tableLineWidth` outlines the table on each page
last.  Without `compress` every stream is uncompressed; without `putOnlyUsedFonts` every page's resources
list the 14 standard fonts.  Footers: drawn by `didDrawPage` (table pages only, twice over on a page two
tables share), the total put in by `putTotalPages` replacing a placeholder's glyph ids in every content
stream ('n / N' right-aligned by the placeholder's width, so it ends short of the margin); or drawn page by
page afterwards.  The watermark is rotated text under a GState opacity, drawn after each table page, over
every page at the end, or (plain theme only: the others fill cells white) before the table by willDrawPage.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .fonts import TRUETYPE, face_file, printable
from .layout import Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

JSPDF = "4.2.1"  # npm install jspdf@4.2.1 jspdf-autotable@5.0.9 in $REALTOOLS_CACHE/jspdf (README, Setup)
AUTOTABLE = "5.0.9"
JS = Path(__file__).with_name("r_jspdf.js")
MM = 72 / 25.4
# pages in points; jsPDF's 'a4' for flowing documents
PAGES = {"4:3": (720.0, 540.0), "16:9": (960.0, 540.0), "A4L": (841.89, 595.28)}
NAVY = [31, 58, 104]
HEAD_FILLS = {"navy": (NAVY, 255), "light": ([220, 230, 242], 20), "gray": ([230, 230, 230], 0)}
BAND_FILL = [201, 217, 236]
TOTAL = "{total}"
THEMES = {
    "grid": ["grid", "grid", "plain", "striped"],
    "hrules": ["plain", "striped"],
    "none": ["plain"],
    "zebra": ["striped"],
}


def modules_dir() -> Path:
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "jspdf" / "node_modules"
    if not (d / "jspdf" / "package.json").exists() or not (d / "jspdf-autotable" / "package.json").exists():
        raise RuntimeError(
            f"jsPDF is not installed: cd {d.parent} && npm install jspdf@{JSPDF} jspdf-autotable@{AUTOTABLE}"
        )
    return d


@cache
def tool_version(engine: str | None = None) -> str:
    d = modules_dir()
    ver = {m: json.loads((d / m / "package.json").read_text())["version"] for m in ("jspdf", "jspdf-autotable")}
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return f"jsPDF {ver['jspdf']}, jspdf-autotable {ver['jspdf-autotable']}, Node {node}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.45
    slide = style["page"] if style["page"] in ("4:3", "16:9") else rng.choice(["4:3", "16:9"])
    theme = rng.choice(THEMES[style["rules"]])
    borders = {"grid": "box", "hrules": "hrules", "none": "none", "zebra": rng.choice(["none", "hrules"])}
    running = flow and rng.random() < 0.4
    footer = rng.choice([None, "hook", "hook", "loop"])
    return {
        "flow": flow,
        "page": rng.choice(["A4L", "A4L", slide]) if flow else slide,
        "unit": rng.choice(["pt", "pt", "mm"]),
        "font": style["font"] if style["font"] in TRUETYPE else rng.choice(TRUETYPE),
        "font_pt": style["font_pt"] + (rng.choice([0, 1]) if flow else 0),
        "line_height": rng.choice([1.15, 1.15, 1.2, 1.3]),
        "theme": theme,
        "borders": borders[style["rules"]],
        "line_width": rng.choice([None, 0.25, 0.5, 0.75]) if theme == "grid" else rng.choice([0.25, 0.5, 0.75]),
        "line_color": rng.choice([None, [0, 0, 0], [128, 128, 128], NAVY]),
        "table_border": rng.random() < 0.25,
        "head_fill": rng.choice(["theme", "navy", "light", "gray"] + (["none"] if style["rules"] != "grid" else [])),
        "head_bold": rng.choice(["same_file", "normal"]),
        "zebra_fill": rng.choice([None, [238, 242, 247]]),
        "padding": rng.choice([2, 3, 4, 5]),
        "padding_v": rng.choice([None, 2]),
        "spans": rng.random() < 0.75,
        "widths": rng.choice(["weights", "weights", "auto"]),
        "values_align": rng.choice([style["halign"], "center", "right"]),
        "show_head": rng.choice(["everyPage", "everyPage", "firstPage"]),
        "row_page_break": rng.choice(["auto", "avoid"]),
        "title_in": "running" if running else "content",
        "theme_break": running or not flow or rng.random() < 0.6,
        "footer": footer,
        "page_of": footer is not None and rng.random() < 0.5,
        # under the table only where cells are not filled white (the grid and striped themes fill every cell)
        "watermark": rng.choice(["over", "loop"] + (["under"] if theme == "plain" else [])),
        "watermark_angle": rng.choice([30, 45]),
        "compress": rng.random() < 0.5,
        "only_used_fonts": rng.random() < 0.5,
    }


class TooTall(Exception):
    """A KPI row autotable still splits when it already starts a page: the type must be smaller."""


class Job:
    """One jsPDF drawing of the deck: `breaks` are theme rows a new autoTable call starts with (flow), `cuts`
    rows where a rowSpan label starts again, `fresh` themes that start a page, `titles` the running titles."""

    def __init__(self, deck: Deck, opts: dict, state: dict) -> None:
        self.d, self.o, self.st = deck, opts, deck.style
        self.W, self.H = PAGES[opts["page"]]
        self.k = MM if opts["unit"] == "mm" else 1.0
        self.pt = float(opts["font_pt"])
        self.font = opts["font"]
        self.side = 30.0
        self.running = opts["title_in"] == "running"
        self.top = 62.0 if self.running else 30.0
        self.bottom = 38.0 if opts["footer"] else 24.0
        self.cols = columns(deck)
        self.nh = 2 if self.st["year_header"] == "two_row" else 1
        self.state = state
        self.ops: list[dict] = []

    def u(self, v: float) -> float:
        """Points in the document's unit."""
        return round(v / self.k, 3)

    def t(self, s: str) -> str:
        return printable(s, self.font)

    def text(self, s: str, x: float, y: float, size: float, **kw) -> dict:
        return {"t": "text", "s": self.t(s), "x": self.u(x), "y": self.u(y), "size": size, **kw}

    def rect(self, x: float, y: float, w: float, h: float, mode: str, **kw) -> dict:
        out = {"t": "rect", "x": self.u(x), "y": self.u(y), "w": self.u(w), "h": self.u(h), "mode": mode, **kw}
        if "lw" in kw:
            out["lw"] = self.u(kw["lw"])
        return out

    # --- front and back ----------------------------------------------------------------------------------

    def title_ops(self, title: str, y: float) -> list[dict]:
        """A theme title at baseline y, and the logo caption boxed on its right."""
        out = [self.text(title, self.side, y, 16, color=NAVY, style=self.bold())]
        if self.st["logo"]:
            w = 120.0
            x = self.W - self.side - w
            out.append(self.rect(x, y - 15, w, 21, "S", stroke=NAVY, lw=0.8))
            out.append(self.text(self.d.short, x + w / 2, y, 11, color=NAVY, align="center"))
        return out

    def bold(self) -> str:
        return "bold" if self.o["head_bold"] == "same_file" else "normal"

    def front(self) -> None:
        d, W, H = self.d, self.W, self.H
        self.ops += [
            {"t": "page", "first": True},
            self.rect(0, 0, W, 18, "F", fill=NAVY),
            self.text(d.org, W / 2, H * 0.38, 30, align="center"),
            self.text("策略地圖與平衡計分卡", W / 2, H * 0.38 + 50, 26, align="center"),
            {"t": "page"},
            self.text(f"{d.org}轄區概況", 40, 56, 20, color=NAVY, style=self.bold()),
        ]
        y = 110.0
        for line in d.profile_lines:
            self.ops.append(self.text(line, 64, y, 14))
            y += 30
        self.ops += [
            {"t": "page"},
            self.text(f"{d.org}策略地圖", 40, 52, 20, color=NAVY, style=self.bold()),
            self.text(d.map_date, W - 40, 52, 14, align="right"),
            self.text("願景：" + "、".join(t.shown for t in d.themes), 40, 80, 10, maxWidth=self.u(W - 80)),
        ]
        body = []
        for p in BSC_ORDER:
            objs = [o.shown for t in d.themes for o in t.objectives if o.perspective == p]
            if objs:
                label = {
                    "content": f"{p}構面",
                    "styles": {"fillColor": NAVY, "textColor": 255, "halign": "center", "valign": "middle"},
                }
                body.append([label, self.t("　｜　".join(objs))])
        options = {
            "startY": self.u(96),
            "margin": {"left": self.u(40), "right": self.u(40), "bottom": self.u(self.bottom)},
            "theme": "grid",
            "body": body,
            "styles": {"font": "cjk", "fontStyle": "normal", "fontSize": 11, "cellPadding": self.u(6)},
            "columnStyles": {"0": {"cellWidth": self.u(96)}},
        }
        self.ops.append({"t": "table", "key": "map", "options": options})

    def back(self) -> None:
        self.ops += [{"t": "page"}, self.text("敬請指教", self.W / 2, self.H * 0.45, 36, align="center")]

    # --- the theme tables ---------------------------------------------------------------------------------

    def head(self) -> list[list]:
        cols, two = self.cols, self.nh == 2
        top: list = []
        low: list = []
        j = 0
        while j < len(cols):
            c = cols[j]
            if two and c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                top.append({"content": c.group, "colSpan": k - j + 1})
                low += [cols[m].sub or "" for m in range(j, k + 1)]
                j = k + 1
            else:
                top.append({"content": self.t(c.label), "rowSpan": 2} if two else self.t(c.label))
                j += 1
        return [top, low] if two else [top]

    def spans(self, rows: list[Row], cuts: set[int]) -> dict[str, dict[int, int]]:
        """Start row -> rows spanned, per label column, cut where a label starts again."""
        out: dict[str, dict[int, int]] = {}
        for key in ("persp", "obj"):
            out[key] = {}
            for s, n in runs(rows, key):
                starts = [s] + [i for i in range(s + 1, s + n) if i in cuts] + [s + n]
                for a, b in zip(starts, starts[1:]):
                    out[key][a] = b - a if self.o["spans"] else 1
                    if not self.o["spans"]:
                        out[key].update({i: 1 for i in range(a + 1, b)})
        return out

    def body(self, rows: list[Row], prev: list[Row], cuts: set[int]) -> list[list]:
        st, o, cols = self.st, self.o, self.cols
        spans = self.spans(rows, cuts)
        body: list[list] = []
        for i, r in enumerate(rows):
            if r.kind == "band":
                tag = f"band {rows[i + 1].kpi.code}"  # a band row never ends a table
                styles = {"fontStyle": self.bold()}
                if o["borders"] != "none" or o["head_fill"] != "none":
                    styles["fillColor"] = BAND_FILL
                band = {"content": self.t(r.cells["band"]), "colSpan": len(cols), "styles": styles, "_rt": tag}
                body.append([band])
                continue
            line: list = []
            for c in cols:
                text = r.cells.get(c.id, "")
                cell: dict = {"_rt": r.kpi.code}
                if c.id in spans:
                    if i not in spans[c.id]:
                        continue  # under a rowSpan
                    first = i == 0 or i in cuts
                    if first and st["blank_cont"] and continues(prev if i == 0 else rows[:i], r, c.id):
                        text = ""
                    n = spans[c.id][i]
                    if n > 1:
                        cell["rowSpan"] = n
                    if c.id == "persp":
                        cell.setdefault("styles", {})["halign"] = "center"
                        if st["persp_mode"] == "rotated" and text:
                            cell["_rot"] = True
                        elif st["persp_mode"] == "stacked":
                            text = "\n".join(text)
                cell["content"] = self.t(text)
                line.append(cell)
            body.append(line)
        return body

    def col_styles(self) -> dict:
        o, cols = self.o, self.cols
        avail = self.W - 2 * self.side
        tot = sum(c.weight for c in cols)
        out = {}
        for i, c in enumerate(cols):
            s: dict = {}
            if o["widths"] == "weights":
                s["cellWidth"] = self.u(avail * c.weight / tot)
            elif c.id == "persp":
                s["cellWidth"] = self.u(self.pt * 2 + 2 * o["padding"] + 4)
            if c.id in ("a0", "a1", "a2", "t", "w"):
                s["halign"] = o["values_align"]
            if s:
                out[str(i)] = s
        return out

    def options(self, head: list, body: list, show_head: str) -> dict:
        o, st = self.o, self.st
        pad: float | dict = self.u(o["padding"])
        if o["padding_v"] is not None:
            pad = {"top": self.u(o["padding_v"]), "bottom": self.u(o["padding_v"]), "left": pad, "right": pad}
        styles: dict = {
            "font": "cjk",
            "fontStyle": "normal",
            "fontSize": self.pt,
            "overflow": "linebreak",
            "cellPadding": pad,
            "valign": st["valign"],
            "halign": st["halign"],
        }
        if o["borders"] == "box":
            if o["line_width"] is not None or o["theme"] != "grid":
                styles["lineWidth"] = self.u(o["line_width"] or 0.5)
        elif o["borders"] == "hrules":
            styles["lineWidth"] = {"bottom": self.u(o["line_width"] or 0.5)}
        else:
            styles["lineWidth"] = 0
        if o["line_color"] is not None:
            styles["lineColor"] = o["line_color"]
        if o["theme"] != "grid":
            styles["textColor"] = 0 if o["theme"] == "plain" else 40
        head_styles: dict = {"halign": "center", "valign": "middle", "fontStyle": self.bold()}
        if o["head_fill"] in HEAD_FILLS:
            fill, ink = HEAD_FILLS[o["head_fill"]]
            head_styles.update(fillColor=fill, textColor=ink)
        elif o["head_fill"] == "none":
            head_styles.update(fillColor=False, textColor=0)
        if o["borders"] == "box" and o["theme"] == "grid" and o["line_width"] is not None:
            head_styles["lineWidth"] = self.u(o["line_width"])
        if o["borders"] == "hrules":
            head_styles["lineWidth"] = {"top": self.u(1.0), "bottom": self.u(1.0)}
        options: dict = {
            "theme": o["theme"],
            "head": head,
            "body": body,
            "showHead": show_head,
            "rowPageBreak": o["row_page_break"],
            "margin": {
                "top": self.u(self.top),
                "bottom": self.u(self.bottom),
                "left": self.u(self.side),
                "right": self.u(self.side),
            },
            "styles": styles,
            "headStyles": head_styles,
            "columnStyles": self.col_styles(),
        }
        if o["theme"] == "striped" and o["zebra_fill"]:
            options["alternateRowStyles"] = {"fillColor": o["zebra_fill"]}
        if o["table_border"]:
            options.update(tableLineWidth=self.u(1.0), tableLineColor=NAVY)
        return options

    def rotated(self) -> dict | None:
        if self.st["persp_mode"] != "rotated" or "persp" not in [c.id for c in self.cols]:
            return None
        color = 0 if self.o["theme"] == "plain" else 40 if self.o["theme"] == "striped" else 80
        return {"col": 0, "size": self.pt, "color": color}

    def slides(self, max_rows: int) -> None:
        for t in self.d.themes:
            pieces = chunk(theme_rows(self.d, t), max_rows)
            for i, rows in enumerate(pieces):
                title = theme_title(self.d, t, i + 1, len(pieces))
                y = 48.0
                options = self.options(self.head(), self.body(rows, pieces[i - 1] if i else [], set()), "everyPage")
                options["startY"] = self.u(y + 14)
                self.ops.append({"t": "page"})
                self.ops.append(
                    {
                        "t": "table",
                        "key": f"{t.letter} {i}",
                        "options": options,
                        "title": self.title_ops(title, y),
                        "rotated": self.rotated(),
                    }
                )

    def flow(self) -> None:
        o, state = self.o, self.state
        for n, t in enumerate(self.d.themes):
            rows = theme_rows(self.d, t)
            breaks = sorted(state["breaks"].get(t.letter, set()) - {0})
            cuts = state["cuts"].get(t.letter, set())
            bounds = [0] + breaks + [len(rows)]
            for j, (a, b) in enumerate(zip(bounds, bounds[1:])):
                piece = rows[a:b]
                show = o["show_head"] if j == 0 else ("everyPage" if o["show_head"] == "everyPage" else "never")
                local = {i - a for i in cuts if a <= i < b}
                options = self.options(self.head(), self.body(piece, rows[:a], local), show)
                op: dict = {"t": "table", "key": f"{t.letter} {j}", "options": options, "rotated": self.rotated()}
                fresh = n == 0 or o["theme_break"] or t.letter in state["fresh"]
                if j > 0 or fresh:
                    self.ops.append({"t": "page"})
                if self.running:
                    op["follow"] = {"gap": 0, "guard": 0, "top": self.u(self.top)}
                    self.ops.append(op)
                    continue
                op["follow"] = {"gap": self.u(16), "guard": self.u(150), "top": self.u(self.top)}
                if j == 0:
                    op["title"] = self.title_ops(theme_title(self.d, t), 16)  # y from the top of the table's room
                    op["titleHeight"] = self.u(28)
                self.ops.append(op)

    # --- furniture and the job -----------------------------------------------------------------------------

    def furniture(self) -> dict:
        o, d = self.o, self.d
        out: dict = {}
        if o["footer"]:
            y = self.H - 16
            total = (TOTAL if o["footer"] == "hook" else True) if o["page_of"] else None
            out["footer"] = {
                "mode": o["footer"],
                "skip": [1],
                "format": "{n} / {N}" if o["page_of"] else "- {n} -",
                "total": total,
                "rule": {
                    "x0": self.u(self.side),
                    "x1": self.u(self.W - self.side),
                    "y": self.u(y - 10),
                    "lw": self.u(0.4),
                    "color": 150,
                },
                "left": self.text(f"{d.org}｜策略地圖與平衡計分卡", self.side, y, 7, color=100),
                "right": {"x": self.u(self.W - self.side), "y": self.u(y), "size": 7, "color": 100, "align": "right"},
            }
        if self.st["watermark"]:
            out["watermark"] = {
                "mode": o["watermark"],
                "s": "內部資料",
                "size": 60,
                "color": [200, 80, 80],
                "opacity": 0.18,
                "angle": o["watermark_angle"],
            }
        return out

    def titles(self) -> dict[str, list[dict]]:
        return {str(p): self.title_ops(s, 40) for p, s in self.state["titles"].items()}

    def job(self, out_pdf: Path) -> dict:
        self.front()
        if self.o["flow"]:
            self.flow()
        else:
            self.slides(int(self.o["max_rows"]))
        self.back()
        styles = ["normal", "bold"] if self.o["head_bold"] == "same_file" else ["normal"]
        name = Path(face_file(self.font)).name
        options = {
            "orientation": "landscape",
            "unit": self.o["unit"],
            "format": "a4" if self.o["page"] == "A4L" else [self.u(self.W), self.u(self.H)],
            "compress": self.o["compress"],
            "putOnlyUsedFonts": self.o["only_used_fonts"],
        }
        return {
            "modules": str(modules_dir()),
            "doc": {
                "options": options,
                "properties": {"title": f"{self.d.org}策略地圖與平衡計分卡", "author": self.d.org},
                "lineHeight": self.o["line_height"],
            },
            "fonts": [{"file": face_file(self.font), "vfs": name, "name": "cjk", "styles": styles}],
            "font": "cjk",
            "ops": self.ops,
            "furniture": self.furniture(),
            "titles": self.titles(),
            "out": str(out_pdf),
        }


def _run(job: dict) -> dict:
    """Draw; returns the driver's report: pages per tagged row, each table's first and last page."""
    with tempfile.TemporaryDirectory(prefix="r_jspdf-") as tmp:
        path = Path(tmp) / "job.json"
        job = {**job, "report": str(Path(tmp) / "report.json")}
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(["node", str(JS), str(path)], capture_output=True, text=True, timeout=600)
        if proc.returncode:
            raise RuntimeError(f"jsPDF failed: {proc.stderr.strip()[-2000:]}")
        return json.loads(Path(job["report"]).read_text())


def _fix(deck: Deck, opts: dict, state: dict, rep: dict) -> bool:
    """One correction of a flowing rendering, as an author looking at it would make: a theme whose title and
    head stay alone at the foot of a page, or whose first row is split, starts a page; a KPI row split over
    pages (or a band row left at the foot of a page above its first KPI) starts a new autoTable call on a new
    page; a rowSpan label carried over a page break starts again on the new page.  Returns whether anything
    changed; raises TooTall for a row that is split although it starts a page."""
    rows_at = rep["rows"]
    tables = {t["key"]: t for t in rep["tables"]}
    for t in deck.themes:
        rows = theme_rows(deck, t)
        tags = [r.kpi.code if r.kind == "kpi" else f"band {rows[i + 1].kpi.code}" for i, r in enumerate(rows)]
        pages = [rows_at.get(tag, []) for tag in tags]
        breaks = state["breaks"].setdefault(t.letter, set())
        follows = t.letter not in state["fresh"] and not opts["theme_break"] and t is not deck.themes[0]
        at = 0 if follows and pages[0] and pages[0][0] != tables[f"{t.letter} 0"]["start"] else None
        for i, r in enumerate(rows):
            if at is not None:
                break
            if r.kind == "band" and i + 1 < len(rows) and pages[i] and pages[i + 1] and pages[i][-1] < pages[i + 1][0]:
                at = i
            elif r.kind == "kpi" and len(pages[i]) > 1:
                at = i - (1 if i and rows[i - 1].kind == "band" else 0)
        if at is not None:
            if at == 0 and follows:
                state["fresh"].add(t.letter)
            elif at == 0 or at in breaks:
                raise TooTall(t.letter)
            else:
                breaks.add(at)
            return True
        if opts["spans"]:
            cuts = state["cuts"].setdefault(t.letter, set())
            for key in ("persp", "obj"):
                for s, n in runs(rows, key):
                    for i in range(s + 1, s + n):
                        moved = pages[i] and pages[i - 1] and pages[i][0] > pages[i - 1][-1]
                        if moved and i not in cuts and i not in breaks:
                            cuts.add(i)
                            return True
    return False


def _theme_titles(deck: Deck, rep: dict) -> dict[int, str]:
    """Page -> running title: a theme's table runs from the page of its first row to that of its last."""
    out: dict[int, str] = {}
    for t in deck.themes:
        ps = [p for r in theme_rows(deck, t) if r.kind == "kpi" for p in rep["rows"].get(r.kpi.code, [])]
        a, b = min(ps), max(ps)
        for p in range(a, b + 1):
            out.setdefault(p, theme_title(deck, t, p - a + 1, b - a + 1))
    return out


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide, lowered until no table runs
    over its slide).  Flow: renders again after each correction (see _fix) and, for running titles, once the
    page map is known; a row taller than a page makes the type smaller.  Returns the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    out_pdf = Path(out_pdf)

    def fresh_state() -> dict:
        return {"breaks": {}, "cuts": {}, "fresh": set(), "titles": {}}

    state = fresh_state()
    for _ in range(200):
        rep = _run(Job(deck, opts, state).job(out_pdf))
        try:
            if opts["flow"]:
                if _fix(deck, opts, state, rep):
                    continue
            else:
                if any(t["end"] != t["start"] for t in rep["tables"] if t["key"] != "map"):
                    if opts["max_rows"] > 1:
                        opts["max_rows"] -= 1
                        continue
                    raise TooTall("slide")
        except TooTall:
            if opts["font_pt"] <= 6:
                raise RuntimeError(f"{deck.stem}: a table row does not fit a page even in 6 pt type") from None
            opts["font_pt"] -= 1
            state = fresh_state()
            continue
        if opts["flow"] and opts["title_in"] == "running":
            want = _theme_titles(deck, rep)
            if want != state["titles"]:
                state["titles"] = want
                continue
        break
    else:
        raise RuntimeError(f"{deck.stem}: the jsPDF layout did not settle")
    if opts["flow"]:
        opts.pop("max_rows")
        opts["split_before"] = {k: sorted(v) for k, v in sorted(state["breaks"].items()) if v}
        opts["span_cut"] = {k: sorted(v) for k, v in sorted(state["cuts"].items()) if v}
        opts["theme_page"] = sorted(state["fresh"])
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
