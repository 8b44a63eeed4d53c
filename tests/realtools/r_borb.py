"""borb renderer: the deck laid out by borb 3 (pure-Python PDF library with its own layout engine), the way an
office scripting its scorecard in Python would: pages with a SingleColumnLayout, each theme's table a
FixedColumnWidthTable of TableCells (row_span/column_span, per-cell borders and background colours),
Paragraphs inside, the strategy map a FlexibleColumnWidthTable.

Slides: each theme's table is cut into slides by the row budget, lowered until every slide's table fits
under its title (borb never splits a table; one that does not fit is moved whole to a new page by the
layout, which shows as an extra page and makes the budget smaller).  Flow: all table pieces go into one
SingleColumnLayout and borb paginates by itself, placing as many pieces on a page as fit and moving the
next whole to a new page (a piece is its title and its table in one borderless table, so a title never
stays alone at the foot of a page); a theme's table is cut into pieces only when it is taller than a page
(all pieces then as tall as fit a page), and themes start a new page or follow on the same page.

borb 3.0 and CJK, and what this module does about it (the workarounds an author has to find):
- `TrueTypeFont.from_file` embeds the whole face (no subsetting: 7 to 20 MB per deck) as Type0 /
  CIDFontType2, Identity-H, CIDToGIDMap Identity, codes being glyph ids.  Its /W array takes a glyph's
  width only if the glyph name is in the Adobe Glyph List; CJK glyphs are named uniXXXX, so every
  ideograph gets width 0: viewers pile all ideographs of a word on one spot and borb's own layout measures
  CJK text as zero wide.  The module rewrites the descendant font's /W from the face's hmtx (one
  `0 [w0 w1 ...]` range), the one patch of borb's output; everything else is borb's.
- The ToUnicode map is built from glyph names (fontTools.agl), one code point per glyph, and borb encodes
  text by reversing it: a character whose glyph is shared with another code point (a compatibility
  ideograph, a Kangxi radical drawn by the unified glyph) cannot be encoded (borb asserts), so it is
  printed as its folded ideograph (same truth).
- Paragraphs break lines only at whitespace (every run of whitespace, '\\n' included, becomes one space;
  there is no forced line break) and a word wider than the line runs past it.  So text is pre-wrapped
  with borb's own measure (`Font.get_width`, ceiled to whole points), at any character, as an author
  would: either every line its own Paragraph, stacked in a borderless one-column table inside the cell
  (`wrap: stack`; '\\n' breaks kept), or the measured lines joined by spaces in one Paragraph so that
  borb breaks at exactly those spaces (`wrap: spaces`; a forced break becomes a space, and a short piece
  shares a line with the next when both fit: 'A1.1 顧客滿意度').  Either way the text layer has no
  hyphens; in `spaces` mode it has the inserted spaces.
- borb cannot turn text, so a rotated or stacked 構面 label is one character per line (a stack of
  one-character Paragraphs).

Text layer: every word (a run between spaces) is its own `q BT rg /F1 1 Tf s 0 0 s x y Tm [<gid>...] TJ ET
Q` at whole-point positions, no marked content (the document is untagged, Producer 'borb'); a table is
painted cell by cell in the order cells were appended (row by row, a spanning cell at its first row), each
cell's background and borders before its text.  Rules are stroked paths per cell (`m` then every corner
twice by `l`, `S`, 1 pt, each cell outlining its own box, so neighbours' edges are drawn twice on the same
line); with hrules the sides have width 0 and the path is broken into strokes; a fill is the same path
filled (`f`) just before it, under the text.  A row-spanning
label's height is shared evenly by its rows (ceil(h / span) each).  `Table.striped()` colours rows
counting the header row, so the header takes the zebra colour (or loses its own) and a spanning label
takes the colour of its last row.  Titles, the logo caption and the footer are Paragraphs painted at
fixed positions; there is no watermark (no rotated text).
"""

from __future__ import annotations

import copy
import random
from functools import cache
from importlib import metadata
from pathlib import Path

from .draw_common import SIZES
from .fonts import TRUETYPE, face_file
from .layout import Col, Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, fold

NAVY = "1F3A68"
HEAD = "DCE6F2"
BAND = "E2EFDA"
ZEBRA = "EEF2F7"


def tool_version(engine: str | None = None) -> str:
    return f"borb {metadata.version('borb')}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    return {
        "flow": flow,
        "theme_break": not flow or rng.random() < 0.6,
        "page": rng.choice(["A4L", style["page"]]) if flow else style["page"],
        "font": style["font"] if style["font"] in TRUETYPE else rng.choice(TRUETYPE),
        "font_pt": style["font_pt"] + (rng.choice([0, 1]) if flow else 0),
        "wrap": rng.choice(["stack", "stack", "spaces"]),
        "spans": rng.random() < 0.7,
        "borders": {
            "grid": rng.choice(["all", "all", "no_external"]),
            "hrules": "hrules",
            "none": "none",
            "zebra": rng.choice(["hrules", "none"]),
        }[style["rules"]],
        "border_color": rng.choice(["000000", "000000", "808080"]),
        "zebra": style["rules"] == "zebra" or rng.random() < 0.1,
        "repeat_header": rng.random() < 0.6,
        "padding": rng.choice([2, 3, 4]),
        "leading": rng.choice([1.2, 1.2, 1.4]),
        "values_align": rng.choice(["center", "right", "left"]),
        "footer": rng.random() < 0.7,
        "margin": rng.choice([24, 30, 36]),
    }


@cache
def _borb():
    import borb.pdf as b

    b.UsageStatistics.opt_out()  # borb posts usage statistics unless told not to
    return b


@cache
def _font_master(family: str):
    """borb's Type0 font for a face, with /W rewritten from hmtx (borb gives every uniXXXX glyph width 0)."""
    from fontTools.ttLib import TTFont

    b = _borb()
    path = face_file(family)
    font = b.TrueTypeFont.from_file(path)
    tt = TTFont(path, lazy=True)
    upem = tt["head"].unitsPerEm
    hmtx = tt["hmtx"].metrics
    widths = [round(hmtx[g][0] * 1000 / upem, 2) for g in tt.getGlyphOrder()]
    font["DescendantFonts"][0]["W"] = [0, widths]
    return font


class BorbDeck:
    """One printing of the deck into a borb Document."""

    def __init__(self, deck: Deck, opts: dict) -> None:
        b = _borb()
        self.b, self.d, self.o, self.st = b, deck, opts, deck.style
        self.W, self.H = (int(v) for v in SIZES[opts["page"]])
        self.font = copy.deepcopy(_font_master(opts["font"]))
        self.pt = int(opts["font_pt"])
        self.m = int(opts["margin"])
        self.doc = b.Document()
        self.expected = 0  # pages the slides should take
        self.widths: dict[tuple[str, int], int] = {}

    # --- text ---------------------------------------------------------------------------------------------

    def put(self, s: str) -> str:
        """Characters borb cannot encode with this face (no code in its reversed ToUnicode) as their ideograph."""
        return "".join(c if c in "\n " or self.font.get_character_code(c) != -1 else fold(c) for c in s)

    def width(self, s: str, size: int) -> int:
        return self.font.get_width(text=s, font_size=size)

    def prewrap(self, text: str, size: int, avail: int) -> list[str]:
        """Lines no wider than `avail` by borb's measure, broken at any character ('\\n' kept)."""
        out = []
        for para in text.split("\n"):
            line = ""
            for ch in para:
                if line and self.width(line + ch, size) > avail:
                    out.append(line.rstrip())
                    line = "" if ch == " " else ch
                else:
                    line += ch
            out.append(line)
        return out

    def para(self, s: str, size: int, align: str = "left", valign: str = "top", color: str = "000000", **kw):
        b = self.b
        LE = b.LayoutElement
        return b.Paragraph(
            s,
            font=self.font,
            font_size=size,
            font_color=b.HexColor(color),
            multiplied_leading=self.o["leading"],
            text_alignment={"left": LE.TextAlignment.LEFT, "center": LE.TextAlignment.CENTERED}.get(
                align, LE.TextAlignment.RIGHT
            ),
            horizontal_alignment={
                "left": LE.HorizontalAlignment.LEFT,
                "center": LE.HorizontalAlignment.MIDDLE,
            }.get(align, LE.HorizontalAlignment.RIGHT),
            vertical_alignment=LE.VerticalAlignment.MIDDLE if valign == "middle" else LE.VerticalAlignment.TOP,
            **kw,
        )

    def block(self, text: str, size: int, avail: int, align: str, valign: str, stack: bool = False):
        """A cell's content: pre-wrapped lines as stacked Paragraphs or one Paragraph borb breaks at spaces."""
        text = self.put(text)
        lines = list(text) if stack else self.prewrap(text, size, avail)
        if not stack and self.o["wrap"] == "spaces":
            return self.para(" ".join(x for x in lines if x), size, align, valign)
        if len(lines) == 1:
            return self.para(lines[0], size, align, valign)
        b = self.b
        LE = b.LayoutElement
        t = b.FixedColumnWidthTable(
            number_of_rows=len(lines),
            number_of_columns=1,
            vertical_alignment=LE.VerticalAlignment.MIDDLE if valign == "middle" else LE.VerticalAlignment.TOP,
        )
        for x in lines:
            t.append_layout_element(
                b.Table.TableCell(
                    self.para(x, size, align, "top"),
                    border_color=None,
                    border_width_bottom=0,
                    border_width_left=0,
                    border_width_right=0,
                    border_width_top=0,
                )
            )
        return t

    # --- pages --------------------------------------------------------------------------------------------

    def page(self):
        p = self.b.Page(width_in_points=self.W, height_in_points=self.H)
        self.doc.append_page(p)
        return p

    def layout(self, page, top: int | None = None):
        m = self.m
        bottom = 40 if self.o["footer"] else m
        return self.b.SingleColumnLayout(page, margin_bottom=bottom, margin_left=m, margin_right=m, margin_top=top or m)

    def title(self, s: str, size: int = 18, color: str = NAVY, logo: bool = False):
        avail = self.W - 2 * self.m - (130 if logo and self.st["logo"] else 0)
        return self.para(" ".join(self.prewrap(self.put(s), size, avail)), size, "left", color=color)

    def front(self) -> None:
        d, b = self.d, self.b
        p = self.page()
        bar = b.Shape(
            coordinates=[(0, 0), (self.W, 0), (self.W, 18), (0, 18)], fill_color=b.HexColor(NAVY), stroke_color=None
        )
        bar.paint(available_space=(0, self.H - 18, self.W, 18), page=p)
        lay = self.layout(p, top=int(self.H * 0.32))
        lay.append_layout_element(self.para(self.put(d.org), 30, "center"))
        lay.append_layout_element(self.para("策略地圖與平衡計分卡", 26, "center"))
        lay = self.layout(self.page())
        lay.append_layout_element(self.title(f"{d.org}轄區概況", 20))
        for line in d.profile_lines:
            lay.append_layout_element(self.para(self.put(line), 14, margin_left=30))
        lay = self.layout(self.page())
        lay.append_layout_element(self.title(f"{d.org}策略地圖", 20))
        lay.append_layout_element(self.para(d.map_date, 14, "right"))
        lay.append_layout_element(self.title("願景：" + "、".join(t.shown for t in d.themes), 11, "000000"))
        persps = [p for p in BSC_ORDER if any(o.perspective == p for t in d.themes for o in t.objectives)]
        table = b.FlexibleColumnWidthTable(number_of_rows=len(persps), number_of_columns=2)
        avail = self.W - 2 * self.m - 100
        for p in persps:
            objs = [o.shown for t in d.themes for o in t.objectives if o.perspective == p]
            table.append_layout_element(
                b.Table.TableCell(
                    self.para(f"{p}構面", 12, "center", "middle", color="FFFFFF"),
                    background_color=b.HexColor(NAVY),
                    padding_left=6,
                    padding_right=6,
                    padding_top=4,
                    padding_bottom=4,
                )
            )
            lines = self.prewrap(self.put("　｜　".join(objs)), 12, avail)
            table.append_layout_element(
                b.Table.TableCell(
                    self.para(" ".join(lines), 12), padding_left=6, padding_right=6, padding_top=4, padding_bottom=4
                )
            )
        lay.append_layout_element(table)
        self.expected = 3

    def end(self) -> None:
        lay = self.layout(self.page(), top=int(self.H * 0.4))
        lay.append_layout_element(self.para("敬請指教", 36, "center"))

    # --- tables -------------------------------------------------------------------------------------------

    def col_widths(self, cols: list[Col]) -> list[int]:
        avail = self.W - 2 * self.m
        total = sum(c.weight for c in cols)
        ws = [int(c.weight / total * avail) for c in cols]
        ws[0] += avail - sum(ws)
        return ws

    def table(self, rows: list[Row], prev: list[Row], cols: list[Col], header: bool):
        b, st, o = self.b, self.st, self.o
        two = st["year_header"] == "two_row"
        nh = (2 if two else 1) if header else 0
        ws = self.col_widths(cols)
        pad = int(o["padding"])
        bc = b.HexColor(o["border_color"])
        hr = o["borders"] == "hrules"
        edge = {"border_color": bc}
        if hr:
            edge.update(border_width_left=0, border_width_right=0)

        def cell(content, span_r=1, span_c=1, bg=None, **kw):
            return b.Table.TableCell(
                content,
                row_span=span_r,
                column_span=span_c,
                background_color=b.HexColor(bg) if bg else None,
                padding_left=pad,
                padding_right=pad,
                padding_top=pad,
                padding_bottom=pad,
                **{**edge, **kw},
            )

        def content(
            text: str, ci: int, span_c: int = 1, align: str | None = None, valign: str | None = None, stack=False
        ):
            avail = sum(ws[ci : ci + span_c]) - 2 * pad
            return self.block(text, self.pt, avail, align or st["halign"], valign or st["valign"], stack)

        t = b.FixedColumnWidthTable(number_of_rows=nh + len(rows), number_of_columns=len(cols), column_widths=ws)
        if header:
            ci = 0
            groups: list[list[int]] = []
            for i, c in enumerate(cols):
                if two and c.group and groups and cols[groups[-1][0]].group == c.group:
                    groups[-1].append(i)
                else:
                    groups.append([i])
            for g in groups:
                c = cols[g[0]]
                if two and c.group:
                    t.append_layout_element(cell(content(c.group, g[0], len(g), "center", "middle"), 1, len(g), HEAD))
                else:
                    t.append_layout_element(cell(content(c.label, g[0], 1, "center", "middle"), nh, 1, HEAD))
            if two:
                for i, c in enumerate(cols):
                    if c.group:
                        t.append_layout_element(cell(content(c.sub or "", i, 1, "center", "middle"), 1, 1, HEAD))
        ids = [c.id for c in cols]
        starts = {key: dict(runs(rows, key)) for key in ("persp", "obj") if key in ids}
        stack = st["persp_mode"] in ("rotated", "stacked")
        for i, r in enumerate(rows):
            if r.kind == "band":
                t.append_layout_element(
                    cell(content(r.cells["band"], 0, len(cols), "left", "middle"), 1, len(cols), BAND)
                )
                continue
            for ci, c in enumerate(cols):
                if c.id in starts:
                    if i in starts[c.id]:
                        blank = i == 0 and st["blank_cont"] and continues(prev, r, c.id)
                        text = "" if blank else r.cells[c.id]
                        span = starts[c.id][i] if o["spans"] else 1
                        st_ = stack and c.id == "persp"
                        al = "center" if c.id == "persp" else None
                        t.append_layout_element(cell(content(text, ci, 1, al, stack=st_ and bool(text)), span))
                    elif not o["spans"]:
                        t.append_layout_element(cell(content("", ci)))
                    continue
                al = o["values_align"] if c.id in ("a0", "a1", "a2", "t", "w") else None
                t.append_layout_element(cell(content(r.cells.get(c.id, ""), ci, 1, al)))
        if o["zebra"]:
            t.striped(even_row_color=b.HexColor(ZEBRA), odd_row_color=None)
        if o["borders"] == "none":
            t.no_borders()
        elif o["borders"] == "no_external":
            t.no_external_borders()
        return t

    def piece(self, title: str, table):
        """Title and table as one borderless element, so borb's layout moves them together."""
        b = self.b
        outer = b.FixedColumnWidthTable(number_of_rows=2, number_of_columns=1)
        for e in (self.title(title, 16, logo=True), table):
            outer.append_layout_element(
                b.Table.TableCell(
                    e,
                    border_color=None,
                    border_width_bottom=0,
                    border_width_left=0,
                    border_width_right=0,
                    border_width_top=0,
                    padding_bottom=8 if e is not table else 0,
                )
            )
        return outer

    def themes(self, max_rows: int) -> None:
        d, o = self.d, self.o
        cols = columns(d)
        lay = None
        for t in d.themes:
            pieces = chunk(theme_rows(d, t), max_rows)
            for i, rows in enumerate(pieces):
                title = theme_title(d, t, i + 1, len(pieces))
                tab = self.table(rows, pieces[i - 1] if i else [], cols, i == 0 or o["repeat_header"])
                if o["flow"]:
                    if lay is None:
                        lay = self.layout(self.page())
                    elif i == 0 and o["theme_break"]:
                        lay.next_page()
                    lay.append_layout_element(self.piece(title, tab))
                else:
                    lay = self.layout(self.page())
                    lay.append_layout_element(self.title(title, 16, logo=True))
                    lay.append_layout_element(tab)
                    self.expected += 1

    def furniture(self) -> None:
        """Logo caption on table pages and the footer, painted at fixed positions after layout."""
        d, b = self.d, self.b
        n = self.doc.get_number_of_pages()
        for i in range(n):
            p = self.doc.get_page(i)
            if d.style["logo"] and 3 <= i < n - 1:
                cap = self.para(
                    self.put(d.short),
                    10,
                    "center",
                    border_width_bottom=1,
                    border_width_left=1,
                    border_width_right=1,
                    border_width_top=1,
                    border_color=b.HexColor(NAVY),
                    padding_left=6,
                    padding_right=6,
                    padding_top=3,
                    padding_bottom=3,
                )
                cap.paint(available_space=(self.W - self.m - 120, self.H - self.m - 20, 120, 22), page=p)
            if self.o["footer"] and i > 0:
                self.para(self.put(f"{d.org}｜策略地圖與平衡計分卡"), 7, color="646464").paint(
                    available_space=(self.m, 14, self.W - 2 * self.m - 60, 12), page=p
                )
                self.para(f"- {i + 1} -", 7, "right", color="646464").paint(
                    available_space=(self.W - self.m - 60, 14, 60, 12), page=p
                )


def _build(deck: Deck, opts: dict) -> BorbDeck | None:
    bd = BorbDeck(deck, opts)
    bd.front()
    try:
        bd.themes(int(opts["max_rows"]))
    except AssertionError as exc:  # borb's layout: an element taller than the page
        if "too tall" in str(exc):
            return None
        raise
    if not opts["flow"] and bd.doc.get_number_of_pages() != bd.expected:
        return None  # a slide's table moved to a page of its own
    bd.end()
    bd.furniture()
    return bd


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (KPI rows per table piece, lowered until every piece
    fits its page).  Returns the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    if opts["flow"]:  # whole theme tables, cut only when taller than a page
        opts["max_rows"] = max(sum(len(o.kpis) for o in t.objectives) for t in deck.themes)
    while True:
        bd = _build(deck, opts)
        if bd is not None:
            break
        if opts["max_rows"] > 1:
            opts["max_rows"] -= 1
        elif opts["font_pt"] > 6:
            opts["font_pt"] -= 1
        else:
            raise RuntimeError(f"{deck.stem}: a table row taller than the page")
    bd.b.PDF.write(what=bd.doc, where_to=str(out_pdf))
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
