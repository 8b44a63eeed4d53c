"""Prawn renderer: the deck drawn in Ruby by Prawn with prawn-table (`r_prawn.rb`), the way Rails apps print
their reports: covers, titles and footers as text boxes on the page canvas, every theme table a prawn-table
`make_table` call built from plain cell hashes this module writes as JSON (rowspan/colspan, `cell_style`
with per-side borders, widths, colours and dash styles, `row_colors` zebra, `header:` rows repeated on new
pages, `column_widths`), with a `before_rendering_page` hook telling the driver which page each row went to.

Slides: one table per page (4:3 or 16:9) under a title box; each theme's rows are cut into slides by the row
budget, lowered until no slide's table runs over onto a page of its own.  Flow: one table per theme that
prawn-table breaks over pages (A4 landscape or the slide size), repeating its header rows or not.  Prawn never
splits a row: a row that does not fit goes whole to the next page, and a rowspan cell is measured with all
its rows (`height_with_span`), so a 構面/策略目標 span moves whole too, leaving the foot of the page empty; a
span taller than a page goes wrong (its label drawn on one page, its rows on the next over the repeated
header), so it is cut at its first row on a later page and its label printed again there (blank if the deck
blanks continued labels) in the next rendering.  A band row left at the foot
of a page above its first KPI starts a second table on a new page; a theme whose title prawn-table leaves
alone at the foot of a page (it moves a table whose header and first row do not fit) starts a page; a row
taller than a page makes the type smaller.  Themes start a page or follow the table before under a title
flowing at the cursor (a new page when less than a guard is left), or carry a running title drawn by a
dynamic `repeat` from the page map of the rendering before ('--2/3').

Line breaking (Prawn::Text::Formatted::LineWrap): only at spaces, tabs, U+200B and after '-'; a segment that
does not fit moves whole to the next line, unless the line holds no break opportunity yet, when it is cut
at any character (so 'AC1.2 市民滿意度' puts 'AC1.2' alone on its line and chops the name under it, while
'AC1.2市民滿意度' is chopped from the first line on).  Some decks do what Prawn users do for CJK: a U+200B after
every ideograph, so lines break between any two ideographs; Prawn measures U+200B as zero and strips it
before writing, so the text layer has none.  Nothing is hyphenated or dropped: every character of the truth
is printed.  prawn-table's own `rotate` wraps a label to the column's width before turning it, so turned
構面 labels are a Cell::Text subclass drawing the text with `rotate(90)` (the cell as wide as a line and as
tall as the text); stacked ones are one character per line.

Text layer (Prawn 2.4, PDF 1.3, 1.4 with transparency; Creator and Producer 'Prawn'): a TrueType face is
cut by TTFunk into subsets, each embedded as a simple /TrueType font (FontFile2, /FirstChar 32, /Widths, a
bfchar ToUnicode, no /Encoding, so readers take it as WinAnsi) named by six lowercase hex digits ('56e840+
UMingTW').  The first subset is MacRoman-coded: ASCII keeps its codes and '≥'/'≤' are 0xB3/0xB2 (WinAnsi '³'/
'²' to a reader ignoring ToUnicode); the others number up to 223 characters each from 0x21 in order of
first use (space stays 0x20), so '策略' may be the bytes '!"'.  Every subset is its own font resource (/F1.0,
/F1.1, ...), and a line switches fonts (Tf) wherever its characters come from two subsets: '≧96.0%' is two
Tj in two fonts.  Bold is the same file registered again (Prawn keeps one font object for it: headings print
unbolded); titles can be thickened with text rendering mode 2 ('2 Tr', stroke width size/40).  A CFF face
(Noto CJK) comes out of Prawn 2.4 as a /TrueType font whose FontFile2 holds CFF outlines, which poppler cannot
draw, so decks use WenQuanYi Zen Hei or AR PL UMing/UKai TW (fonts.face_file), characters a face lacks printed
as fonts.printable gives them.  These faces have no kerning Prawn reads: text is Tj only, no TJ, Tc or Tw.
Every line of a cell is its own BT/ET placed by an absolute Td, the font set inside it, one Tj per subset run.
Cells are drawn a page at a time: first every cell's background (`re f`, white for zebra rows given as 'FFFFFF',
a rowspan's whole height at its first row and again row by row by its dummy cells), then per cell its borders as
separate `m l S` segments (each with its own `w`, colour and dash, so neighbours' edges are stroked twice)
followed by its text; a repeated header is a copy of the header cells drawn at the top of every page.  Zebra
colours start again on every page.  Content streams are uncompressed unless asked.  Footers: a static `repeat`
(a Form XObject stamped on each page: the rule and the org) with `number_pages` ('n / N' or '- n -') written
into each page afterwards, a dynamic repeater drawing the whole footer on each page at render time, or a loop
over the finished pages with `go_to_page`.  The watermark is turned text under a /GS opacity: a stamp (Form
XObject) on every page but the cover, a static repeater, or drawn by `on_page_create` under each new page's
content.
"""

from __future__ import annotations

import json
import math
import os
import random
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .fonts import TRUETYPE, face_file, printable
from .layout import Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

# Debian 12: apt-get install ruby-prawn ruby-prawn-table (the same releases as `gem install prawn:2.4.0
# prawn-table:0.2.2 ttfunk:1.7.0 pdf-core:0.9.0` into $REALTOOLS_CACHE/prawn where RubyGems is reachable)
PRAWN = "2.4.0"
PRAWN_TABLE = "0.2.2"
RB = Path(__file__).with_name("r_prawn.rb")
PAGES = {"4:3": (720.0, 540.0), "16:9": (960.0, 540.0), "A4L": (841.89, 595.28)}
NAVY = "1F3A68"
HEAD_FILLS = {"light": "DCE6F2", "gray": "E6E6E6", "navy": NAVY}
BAND_FILL = "C9D9EC"
ZEBRA = "EEF2F7"
SIDE = 30.0
BORDERS = {
    "grid": ["grid", "grid", "outer_h"],
    "hrules": ["hrules", "bottom", "dotted"],
    "none": ["none"],
    "zebra": ["none", "hrules", "bottom"],
}


def gem_home() -> Path:
    return Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "prawn"


def _env() -> dict:
    return {**os.environ, "GEM_HOME": str(gem_home())}


@cache
def tool_version(engine: str | None = None) -> str:
    code = (
        f'gem "prawn", "{PRAWN}"; gem "prawn-table", "{PRAWN_TABLE}"; require "prawn"; '
        'v = %w[prawn prawn-table ttfunk pdf-core].map { |g| "#{g} #{Gem.loaded_specs[g].version}" }; '
        'puts "#{v.join(", ")}, Ruby #{RUBY_VERSION}"'
    )
    out = subprocess.run(["ruby", "-e", code], capture_output=True, text=True, env=_env())
    if out.returncode:
        raise RuntimeError(f"Prawn {PRAWN} / prawn-table {PRAWN_TABLE} not found: {out.stderr.strip()[-400:]}")
    return out.stdout.strip()


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.45
    slide = style["page"] if style["page"] in ("4:3", "16:9") else rng.choice(["4:3", "16:9"])
    running = flow and rng.random() < 0.4
    footer = rng.choice([None, "number_pages", "number_pages", "dynamic", "loop"])
    return {
        "flow": flow,
        "page": rng.choice(["A4L", "A4L", slide]) if flow else slide,
        "font": style["font"] if style["font"] in TRUETYPE else rng.choice(TRUETYPE),
        "font_pt": style["font_pt"] + (rng.choice([0, 1]) if flow else 0),
        "leading": rng.choice([0, 0, 1, 2]),
        "cjk_wrap": rng.choice(["prawn", "prawn", "zwsp"]),
        "borders": rng.choice(BORDERS[style["rules"]]),
        "border_width": rng.choice([0.5, 0.75, 1.0]),
        "border_color": rng.choice(["000000", "808080", "A0A0A0", NAVY]),
        "zebra": (style["rules"] == "zebra" or rng.random() < 0.15) and rng.choice(["white", "none"]),
        "head_fill": rng.choice(["light", "light", "gray", "navy"] + (["none"] if style["rules"] != "grid" else [])),
        "head_bold": rng.random() < 0.5,
        "title_bold": rng.choice(["none", "stroke"]),
        "padding": rng.choice([2, 3, 4, 5]),
        "padding_v": rng.choice([None, 2]),
        "spans": rng.random() < 0.75,
        "widths": rng.choice(["weights", "weights", "weights", "auto"]),
        "values_align": rng.choice([style["halign"], "center", "right"]),
        "repeat_header": rng.random() < 0.7,
        "title_in": "running" if running else "content",
        "theme_break": running or not flow or rng.random() < 0.6,
        "footer": footer,
        "page_of": footer is not None and rng.random() < 0.5,
        "watermark": rng.choice(["stamp", "repeat", "under"]),
        "watermark_angle": rng.choice([30, 45]),
        "compress": rng.random() < 0.5,
    }


class TooTall(Exception):
    """A KPI row (or a slide's table at one row) that does not fit a page: the type must be smaller."""


class Job:
    """One Prawn drawing of the deck.  state: `breaks` theme rows a second table starts with (flow), `cuts`
    rows where a rowspan label starts again, `fresh` themes that start a page, `titles` the running titles."""

    def __init__(self, deck: Deck, opts: dict, state: dict) -> None:
        self.d, self.o, self.st = deck, opts, deck.style
        self.W, self.H = PAGES[opts["page"]]
        self.pt = float(opts["font_pt"])
        self.font = opts["font"]
        self.running = opts["title_in"] == "running"
        self.top = 62.0 if self.running or not opts["flow"] else 30.0
        self.bottom = 40.0 if opts["footer"] else 26.0
        self.cols = columns(deck)
        self.nh = 2 if self.st["year_header"] == "two_row" else 1
        self.state = state
        self.ops: list[dict] = []

    def t(self, s: str) -> str:
        return printable(s, self.font)

    def cjk(self, s: str) -> str:
        """Cell text as the deck's author hands it to Prawn: a U+200B after every ideograph if they do."""
        s = self.t(s)
        if self.o["cjk_wrap"] != "zwsp":
            return s
        return "".join(c + "\u200b" if ord(c) >= 0x2E80 and c != "\u200b" else c for c in s)

    def text(self, s: str, x: float, y: float, size: float, w: float, **kw) -> dict:
        return {"t": "text", "s": self.t(s), "x": x, "y": y, "size": size, "w": w, **kw}

    # --- front and back ----------------------------------------------------------------------------------

    def title_ops(self, title: str, y: float) -> list[dict]:
        """A theme title in a box at y (shrunk to fit its box), and the logo caption boxed on its right."""
        logo = 130.0 if self.st["logo"] else 0.0
        bold = self.o["title_bold"] == "stroke"
        out = [self.text(title, SIDE, y, 16, self.W - 2 * SIDE - logo, color=NAVY, h=24, shrink=True, stroke_bold=bold)]
        if logo:
            x = self.W - SIDE - 120
            out.append({"t": "rect", "x": x, "y": y - 3, "w": 120.0, "h": 22.0, "stroke": NAVY, "lw": 0.8})
            out.append(self.text(self.d.short, x, y + 2, 11, 120.0, color=NAVY, align="center"))
        return out

    def front(self) -> None:
        d, W, H = self.d, self.W, self.H
        bold = self.o["title_bold"] == "stroke"
        self.ops += [
            {"t": "page", "first": True},
            {"t": "rect", "x": 0, "y": 0, "w": W, "h": 18.0, "fill": NAVY},
            self.text(d.org, 0, H * 0.34, 30, W, align="center", h=40),
            self.text("策略地圖與平衡計分卡", 0, H * 0.34 + 50, 26, W, align="center", h=36),
            {"t": "page"},
            self.text(f"{d.org}轄區概況", 40, 36, 20, W - 80, color=NAVY, h=28, stroke_bold=bold),
        ]
        y = 96.0
        for line in d.profile_lines:
            self.ops.append(self.text(line, 64, y, 14, W - 100, h=20))
            y += 30
        self.ops += [
            {"t": "page"},
            self.text(f"{d.org}策略地圖", 40, 32, 20, W - 260, color=NAVY, h=28, stroke_bold=bold),
            self.text(d.map_date, W - 240, 38, 14, 200.0, align="right", h=20),
            self.text("願景：" + "、".join(t.shown for t in d.themes), 40, 72, 10, W - 80, h=28, shrink=True),
            {"t": "at", "y": 104.0},
        ]
        rows = []
        for p in BSC_ORDER:
            objs = [o.shown for t in d.themes for o in t.objectives if o.perspective == p]
            if objs:
                label = {"c": f"{p}構面", "fill": NAVY, "color": "FFFFFF", "align": "center", "valign": "center"}
                rows.append([label, self.t("　｜　".join(objs))])
        style = {"size": 11, "padding": [6, 6, 6, 6], "border_color": NAVY, "border_width": 0.8}
        self.ops.append(
            {
                "t": "table",
                "key": "map",
                "rows": rows,
                "nh": 0,
                "header": False,
                "widths": [96.0, W - 2 * 40 - 96.0],
                "position": "center",
                "cell_style": style,
                "tags": [f"map {i}" for i in range(len(rows))],
            }
        )

    def back(self) -> None:
        self.ops += [{"t": "page"}, self.text("敬請指教", 0, self.H * 0.42, 36, self.W, align="center", h=48)]

    # --- the theme tables ---------------------------------------------------------------------------------

    def head_rows(self) -> list[list]:
        cols, two, o = self.cols, self.nh == 2, self.o

        def th(text: str, **kw) -> dict:
            cell = {"c": self.t(text), "align": "center", "valign": "center", **kw}
            if o["head_bold"]:
                cell["bold"] = True
            return cell

        top: list = []
        low: list = []
        j = 0
        while j < len(cols):
            c = cols[j]
            if two and c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                top.append(th(c.group, cs=k - j + 1))
                low += [th(cols[m].sub or "") for m in range(j, k + 1)]
                j = k + 1
            else:
                top.append(th(c.label, rs=2) if two else th(c.label))
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
                    if self.o["spans"]:
                        out[key][a] = b - a
                    else:
                        out[key].update({i: 1 for i in range(a, b)})
        return out

    def body(self, rows: list[Row], prev: list[Row], cuts: set[int]) -> tuple[list[list], list[str]]:
        st, cols = self.st, self.cols
        spans = self.spans(rows, cuts)
        body: list[list] = []
        tags: list[str] = []
        for i, r in enumerate(rows):
            if r.kind == "band":
                tags.append(f"band {rows[i + 1].kpi.code}")  # a band row never ends a table
                band = {"c": self.t(r.cells["band"]), "cs": len(cols), "align": "left", "bold": True}
                if self.o["borders"] != "none" or self.o["head_fill"] != "none":
                    band["fill"] = BAND_FILL
                body.append([band])
                continue
            tags.append(r.kpi.code)
            line: list = []
            for c in cols:
                text = r.cells.get(c.id, "")
                cell: dict = {}
                if c.id in spans:
                    if i not in spans[c.id]:
                        continue  # under a rowspan
                    first = i == 0 or i in cuts
                    if first and st["blank_cont"] and continues(prev if i == 0 else rows[:i], r, c.id):
                        text = ""
                    if spans[c.id][i] > 1:
                        cell["rs"] = spans[c.id][i]
                    if c.id == "persp":
                        cell["align"] = "center"
                        if st["persp_mode"] == "rotated" and text:
                            cell["turn"] = True
                        elif st["persp_mode"] == "stacked":
                            text = "\n".join(text)
                elif c.id in ("a0", "a1", "a2", "t", "w"):
                    cell["align"] = self.o["values_align"]
                cell["c"] = self.t(text) if cell.get("turn") or c.id == "persp" else self.cjk(text)
                line.append(cell)
            body.append(line)
        return body, tags

    def styles(self) -> tuple[dict, dict]:
        o, st = self.o, self.st
        pad = o["padding"]
        pv = o["padding_v"] if o["padding_v"] is not None else pad
        cell: dict = {
            "size": self.pt,
            "padding": [pv, pad, pv, pad],
            "valign": "center" if st["valign"] == "middle" else "top",
            "align": st["halign"],
            "border_width": o["border_width"],
            "border_color": o["border_color"],
        }
        if o["leading"]:
            cell["leading"] = o["leading"]
        head: dict = {}
        b = o["borders"]
        if b == "grid":
            cell["borders"] = ["top", "right", "bottom", "left"]
        elif b == "outer_h":  # verticals and the head's rules only: rows set apart by space
            cell["borders"] = ["left", "right"]
            head["borders"] = ["top", "right", "bottom", "left"]
        elif b in ("hrules", "dotted"):
            cell["borders"] = ["top", "bottom"]
            head["borders"] = ["top", "bottom"]
            head["border_widths"] = [1.2, 0, 1.2, 0]
            if b == "dotted":
                cell["border_lines"] = ["dotted", "solid", "dotted", "solid"]
                head["border_lines"] = ["solid", "solid", "solid", "solid"]
        elif b == "bottom":
            cell["borders"] = ["bottom"]
            head["borders"] = ["top", "bottom"]
            head["border_widths"] = [1.5, 0, 1.5, 0]
        else:
            cell["borders"] = []
            head["borders"] = ["bottom"] if o["head_fill"] == "none" else []
        if o["head_fill"] in HEAD_FILLS:
            head["fill"] = HEAD_FILLS[o["head_fill"]]
            if o["head_fill"] == "navy":
                head["color"] = "FFFFFF"
        return cell, head

    def widths(self) -> dict:
        avail = self.W - 2 * SIDE
        tot = sum(c.weight for c in self.cols)
        if self.o["widths"] == "weights":
            # rounded down: prawn-table refuses widths whose sum passes the page's by a hundredth of a point
            return {"widths": [math.floor(avail * c.weight / tot * 100) / 100 for c in self.cols]}
        # Prawn's own widths for the text columns, from their natural widths, the table stretched to the page; the
        # label and value columns fixed (Prawn would leave them a character or two beside a long 行動計畫)
        narrow = [(i, c) for i, c in enumerate(self.cols) if c.id in ("persp", "w", "a0", "a1", "a2", "t")]
        fixed = {str(i): math.floor(avail * c.weight / tot * 100) / 100 for i, c in narrow}
        return {"width": avail, "fixed": fixed}

    def table(self, key: str, rows: list[Row], prev: list[Row], cuts: set[int], head: bool) -> dict:
        body, tags = self.body(rows, prev, cuts)
        cell, head_style = self.styles()
        op: dict = {
            "t": "table",
            "key": key,
            "rows": (self.head_rows() if head else []) + body,
            "nh": self.nh if head else 0,
            "header": head and self.o["repeat_header"],
            "cell_style": cell,
            "head_style": head_style,
            "tags": tags,
            **self.widths(),
        }
        if self.o["zebra"]:
            op["row_colors"] = ["FFFFFF" if self.o["zebra"] == "white" else None, ZEBRA]
        return op

    def slides(self, max_rows: int) -> None:
        for t in self.d.themes:
            pieces = chunk(theme_rows(self.d, t), max_rows)
            for i, rows in enumerate(pieces):
                self.ops.append({"t": "page"})
                self.ops += self.title_ops(theme_title(self.d, t, i + 1, len(pieces)), 24)
                self.ops.append(self.table(f"{t.letter} {i}", rows, pieces[i - 1] if i else [], set(), True))

    def flow(self) -> None:
        o, state = self.o, self.state
        bold = o["title_bold"] == "stroke"
        for n, t in enumerate(self.d.themes):
            rows = theme_rows(self.d, t)
            breaks = sorted(state["breaks"].get(t.letter, set()) - {0})
            cuts = state["cuts"].get(t.letter, set())
            bounds = [0] + breaks + [len(rows)]
            fresh = n == 0 or o["theme_break"] or t.letter in state["fresh"]
            for j, (a, b) in enumerate(zip(bounds, bounds[1:])):
                if j > 0 or fresh:
                    self.ops.append({"t": "page"})
                if j == 0 and not self.running:
                    title = {"t": "flowtext", "s": self.t(theme_title(self.d, t)), "size": 16, "color": NAVY}
                    title.update(key=f"title {t.letter}", after=8, stroke_bold=bold)
                    if not fresh:
                        title.update(before=18, guard=150)
                    self.ops.append(title)
                local = {i - a for i in cuts if a <= i < b}
                head = j == 0 or o["repeat_header"]
                op = self.table(f"{t.letter} {j}", rows[a:b], rows[:a], local, head)
                op["after"] = 6
                self.ops.append(op)

    # --- furniture and the job -----------------------------------------------------------------------------

    def furniture(self) -> dict:
        o, d = self.o, self.d
        out: dict = {}
        if o["footer"]:
            y = self.H - 22
            out["footer"] = {
                "mode": o["footer"],
                "format": "<page> / <total>" if o["page_of"] else "- <page> -",
                "rule": {"x0": SIDE, "y0": y - 6, "x1": self.W - SIDE, "y1": y - 6, "lw": 0.4, "color": "999999"},
                "left": self.text(f"{d.org}｜策略地圖與平衡計分卡", SIDE, y, 7, self.W / 2, color="666666"),
                "num": {"x": self.W - SIDE - 100, "y": y, "w": 100.0, "size": 7, "color": "666666", "align": "right"},
            }
        if self.st["watermark"]:
            out["watermark"] = {
                "mode": o["watermark"],
                "s": "內部資料",
                "size": 60,
                "color": "C85050",
                "opacity": 0.18,
                "angle": o["watermark_angle"],
            }
        if self.running:
            out["titles"] = {str(p): self.title_ops(s, 24) for p, s in self.state["titles"].items()}
        return out

    def job(self, out_pdf: Path) -> dict:
        self.front()
        if self.o["flow"]:
            self.flow()
        else:
            self.slides(int(self.o["max_rows"]))
        self.back()
        size: str | list = "A4" if self.o["page"] == "A4L" else [self.W, self.H]
        return {
            "prawn": PRAWN,
            "prawn_table": PRAWN_TABLE,
            "doc": {
                "size": size,
                "margin": [self.top, SIDE, self.bottom, SIDE],
                "compress": self.o["compress"],
                "info": {"Title": f"{self.d.org}策略地圖與平衡計分卡", "Author": self.d.org},
            },
            "font": face_file(self.font),
            "ops": self.ops,
            "furniture": self.furniture(),
            "out": str(out_pdf),
        }


def _run(job: dict) -> dict:
    """Draw; returns the driver's report: each table's first and last page and its rows' pages."""
    with tempfile.TemporaryDirectory(prefix="r_prawn-") as tmp:
        path = Path(tmp) / "job.json"
        job = {**job, "report": str(Path(tmp) / "report.json")}
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(["ruby", str(RB), str(path)], capture_output=True, text=True, timeout=600, env=_env())
        if proc.returncode:
            err = proc.stderr.strip()
            raise RuntimeError(f"Prawn failed: {err[:1500]}{' ... ' + err[-500:] if len(err) > 2000 else err[1500:]}")
        return json.loads(Path(job["report"]).read_text())


def _row_pages(deck: Deck, rep: dict, letter: str, rows: list[Row]) -> list[list[int]]:
    """Pages of each theme row, from the tables the theme was drawn in."""
    at: dict[str, list[int]] = {}
    for key, tab in rep["tables"].items():
        if key.split()[0] == letter:
            at.update(tab["rows"])
    tags = [r.kpi.code if r.kind == "kpi" else f"band {rows[i + 1].kpi.code}" for i, r in enumerate(rows)]
    return [at.get(tag, []) for tag in tags]


def _fix(deck: Deck, opts: dict, state: dict, rep: dict) -> bool:
    """One correction of a flowing rendering, as an author looking at it would make: a theme whose title is
    left alone at the foot of a page starts a page; a band row left at the foot of a page above its first KPI
    starts a second table on a new page; a rowspan label whose rows went over a page break (a span taller than
    a page) starts again on the new page.  Returns whether anything changed; raises TooTall for a row that
    starts a page and still does not fit."""
    tables = rep["tables"]
    for t in deck.themes:
        rows = theme_rows(deck, t)
        pages = _row_pages(deck, rep, t.letter, rows)
        mark = rep["marks"].get(f"title {t.letter}")
        if mark is not None and mark != tables[f"{t.letter} 0"]["start"]:
            if t.letter in state["fresh"]:
                raise TooTall(t.letter)
            state["fresh"].add(t.letter)
            return True
        breaks = state["breaks"].setdefault(t.letter, set())
        for i, r in enumerate(rows):
            if r.kind == "band" and pages[i] and pages[i + 1] and pages[i][-1] < pages[i + 1][0]:
                if i == 0 or i in breaks:
                    raise TooTall(t.letter)
                breaks.add(i)
                return True
        if opts["spans"]:
            cuts = state["cuts"].setdefault(t.letter, set())
            for key in [c.id for c in columns(deck) if c.id in ("persp", "obj")]:
                for s, n in runs(rows, key):
                    starts = [s] + sorted(i for i in cuts if s < i < s + n) + [s + n]
                    for a, b in zip(starts, starts[1:]):
                        # the rows under one label on more than one page: prawn-table drew a span taller than the
                        # page (its label on one page, its rows on the next, over the header)
                        at = next(
                            (i for i in range(a + 1, b) if pages[i] and pages[a] and pages[i][0] > pages[a][0]), None
                        )
                        if at is not None and at not in breaks:
                            cuts.add(at)
                            return True
    return False


def _outside(pdf: Path) -> bool:
    """Does any text run past the top or bottom edge of its page (a row or a span taller than the page)?"""
    import pymupdf

    for page in pymupdf.open(str(pdf)):
        h = page.mediabox.height
        for b in page.get_text("dict")["blocks"]:
            if b.get("type") == 0 and (b["bbox"][1] < -2 or b["bbox"][3] > h + 2):
                return True
    return False


def _theme_titles(deck: Deck, rep: dict) -> dict[int, str]:
    """Page -> running title: a theme's table runs from the page of its first table to the end of its last."""
    out: dict[int, str] = {}
    for t in deck.themes:
        tabs = [v for k, v in rep["tables"].items() if k.split()[0] == t.letter]
        a, b = min(v["start"] for v in tabs), max(v["end"] for v in tabs)
        for p in range(a, b + 1):
            out.setdefault(p, theme_title(deck, t, p - a + 1, b - a + 1))
    return out


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide, lowered until no table runs
    over its slide).  Flow: renders again after each correction (see _fix) and, for running titles, once the
    page map is known; a row taller than a page makes the type smaller.  Prawn's own column widths ('auto')
    that cannot fit a character give way to the deck's weights, and a column narrower than a character to
    smaller type (prawn-table raises CannotFit for both).  Returns the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    out_pdf = Path(out_pdf)

    def fresh_state() -> dict:
        return {"breaks": {}, "cuts": {}, "fresh": set(), "titles": {}}

    state = fresh_state()
    for _ in range(200):
        try:
            rep = _run(Job(deck, opts, state).job(out_pdf))
        except RuntimeError as exc:
            if "CannotFit" not in str(exc):
                raise
            if opts["widths"] == "auto":
                opts["widths"] = "weights"
            elif opts["font_pt"] > 6:  # a character wider than its column: smaller type
                opts["font_pt"] -= 1
                state = fresh_state()
            else:
                raise
            continue
        try:
            if opts["flow"]:
                if _fix(deck, opts, state, rep):
                    continue
                if _outside(out_pdf):
                    raise TooTall("flow")
            else:
                themes = [v for k, v in rep["tables"].items() if k != "map"]
                if any(v["end"] != v["start"] for v in themes) or _outside(out_pdf):
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
        raise RuntimeError(f"{deck.stem}: the Prawn layout did not settle")
    if opts["flow"]:
        opts.pop("max_rows")
        opts["split_before"] = {k: sorted(v) for k, v in sorted(state["breaks"].items()) if v}
        opts["span_cut"] = {k: sorted(v) for k, v in sorted(state["cuts"].items()) if v}
        opts["theme_page"] = sorted(state["fresh"])
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
