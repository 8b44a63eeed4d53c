"""fpdf2 renderer: the deck written with fpdf2's own table engine (`pdf.table()`), no hand placement.

Offices that script decks in pure Python often use fpdf2.  Its tables wrap text themselves (by word,
falling back to characters in CJK runs without spaces, or by character), draw borders per cell from a
borders layout (ALL, INTERNAL, HORIZONTAL_LINES, SINGLE_TOP_LINE, MINIMAL, NONE), fill zebra rows, and
break a long table over pages by themselves, repeating the heading rows only if asked.  Merged 構面 and
策略目標 cells are rowspans that fpdf2 never splits: a whole span moves to the next page.  Every line of a
cell is its own BT/ET text object (the font set in an empty BT/ET before it); justified lines are spread
only at spaces, by TJ offsets, so CJK runs stay ragged.  fpdf2 subsets the face itself: a TrueType face
becomes CIDFontType2 Identity-H, while a CFF face (Noto CJK, drawn for a few decks) becomes
CIDFontType0C with an embedded /Encoding CMap named Adobe-Identity-UCS, which pdfminer looks up by name
only, so pdfminer sees no text while MuPDF and poppler do.  Rotated labels are impossible inside fpdf2
cells, so a rotated or stacked 構面 is printed one character per line.  Theme titles are drawn by the
page header, so in flow mode they can run on continuation pages ('--2/3' found by a first pass).
"""

from __future__ import annotations

import importlib.metadata
import random
from itertools import groupby
from pathlib import Path

from fpdf import FPDF, FontFace

from .draw_common import SIZES
from .fonts import TRUETYPE, face_file, printable
from .layout import Col, Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

NAVY = (31, 58, 104)
BORDERS = {
    "grid": ["ALL", "ALL", "INTERNAL", "NO_HORIZONTAL_LINES"],
    "hrules": ["HORIZONTAL_LINES", "SINGLE_TOP_LINE"],
    "none": ["NONE", "MINIMAL"],
    "zebra": ["HORIZONTAL_LINES", "NONE", "MINIMAL"],
}


def tool_version(engine: str | None = None) -> str:
    return f"fpdf2 {importlib.metadata.version('fpdf2')}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    return {
        "flow": flow,
        "running_title": rng.random() < 0.6,
        "theme_break": not flow or rng.random() < 0.6,
        "page": rng.choice(["A4L", style["page"]]) if flow else style["page"],
        "borders": rng.choice(BORDERS[style["rules"]]),
        "zebra": style["rules"] == "zebra" or rng.random() < 0.15,
        "repeat_headings": rng.random() < 0.6,
        "spans": rng.random() < 0.7,
        "wrapmode": rng.choice(["WORD", "CHAR"]),
        "justify": rng.random() < 0.3,
        "font_pt": rng.choice([10, 11, 12]) if flow else style["font_pt"] + rng.choice([0, 0, 1]),
        "leading": rng.choice([1.2, 1.35, 1.5]),
        "padding": rng.choice([1.5, 2.0, 3.0]),
        "footer": rng.random() < 0.8,
        "font": style["font"] if style["font"] in TRUETYPE or rng.random() < 0.15 else rng.choice(TRUETYPE),
    }


class DeckPDF(FPDF):
    """Pages with a running header (theme title, logo caption) and a footer (org, page number)."""

    def __init__(self, deck: Deck, opts: dict, parts: dict[str, int]) -> None:
        w, h = SIZES[opts["page"]]
        super().__init__(orientation="L", unit="pt", format=(h, w))
        self.deck, self.o, self.parts = deck, opts, parts
        self.theme: tuple | None = None  # (theme, its first page, part of that page, parts or None)
        self.used: dict[str, int] = {}  # theme letter -> pages its table took
        self.add_font("cjk", "", face_file(opts["font"]))
        self.set_margins(30, 30, 30)
        self.set_auto_page_break(True, 40)

    def put(self, s: str) -> str:
        return printable(s, self.o["font"])

    def header(self) -> None:
        if not self.theme:
            return
        if self.deck.style["watermark"]:
            self.set_font("cjk", size=60)
            self.set_text_color(230, 210, 210)
            with self.rotation(30, self.w * 0.35, self.h * 0.75):
                self.text(self.w * 0.35, self.h * 0.75, "內部資料")
        t, first, part, parts = self.theme
        extra = self.page_no() - first
        if extra and not (self.o["running_title"] and self.o["flow"]):
            return  # fpdf2 restores font and colours after header() and footer()
        title = theme_title(self.deck, t, part + extra, parts or self.parts.get(t.letter, 1))
        self.set_font("cjk", size=16)
        self.set_text_color(*NAVY)
        self.set_xy(30, 24)
        self.cell(text=self.put(title))
        if self.deck.style["logo"]:
            self.set_xy(self.w - 130, 24)
            self.cell(100, 20, self.put(self.deck.short), border=1, align="C")
        self.set_y(56)

    def footer(self) -> None:
        if self.page_no() == 1 or not self.o["footer"]:
            return
        self.set_draw_color(150)
        self.line(30, self.h - 28, self.w - 30, self.h - 28)
        self.set_font("cjk", size=7)
        self.set_text_color(100)
        self.set_xy(30, self.h - 24)
        self.cell(text=self.put(f"{self.deck.org}｜策略地圖與平衡計分卡"))
        self.set_xy(self.w - 70, self.h - 24)
        self.cell(40, text=f"- {self.page_no()} -", align="R")

    def big(self, s: str, size: float, y: float | None = None, align: str = "C", rgb: tuple = (0, 0, 0)) -> None:
        self.set_font("cjk", size=size)
        self.set_text_color(*rgb)
        if y is not None:
            self.set_y(y)
        self.multi_cell(0, size * 1.4, self.put(s), align=align, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0)


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus font and max_rows (slides mode: KPI rows per page, lowered
    until no table spills over its page).  Returns the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    parts: dict[str, int] = {}
    while True:
        try:
            pdf = _build(deck, opts, parts)
        except ValueError as exc:  # a rowspan taller than a page: fpdf2 refuses to split it
            if "too high" not in str(exc) or not opts["spans"]:
                raise
            opts["spans"] = False
            continue
        if opts["flow"]:
            if opts["running_title"] and st["cont_marker"] and max(pdf.used.values()) > 1 and pdf.used != parts:
                parts = pdf.used  # second pass: continuation titles know the page count ('--2/3')
                continue
            break
        if not any(n > 1 for n in pdf.used.values()) or opts["max_rows"] == 1:
            break
        opts["max_rows"] -= 1
    pdf.output(str(out_pdf))
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts


def _build(deck: Deck, opts: dict, parts: dict[str, int]) -> DeckPDF:
    pdf = DeckPDF(deck, opts, parts)
    pdf.add_page()
    pdf.set_fill_color(*NAVY)
    pdf.rect(0, 0, pdf.w, 18, style="F")
    pdf.set_fill_color(0)  # the default again: a table takes the current fill colour for every cell
    pdf.big(deck.org, 30, pdf.h * 0.32)
    pdf.big("策略地圖與平衡計分卡", 26)
    pdf.add_page()
    pdf.big(f"{deck.org}轄區概況", 20, 40, "L", NAVY)
    pdf.set_left_margin(60)
    for line in deck.profile_lines:
        pdf.big(line, 14, pdf.get_y() + 10, "L")
    pdf.set_left_margin(30)
    pdf.add_page()
    pdf.big(f"{deck.org}策略地圖", 20, 36, "L", NAVY)
    pdf.big(deck.map_date, 14, 40, "R")
    pdf.big("願景：" + "、".join(t.shown for t in deck.themes), 10, 80, "L")
    pdf.set_y(pdf.get_y() + 10)
    pdf.set_font("cjk", size=12)
    with pdf.table(col_widths=(1, 5), first_row_as_headings=False, line_height=22, padding=4) as tb:
        for p in BSC_ORDER:
            objs = [o.shown for t in deck.themes for o in t.objectives if o.perspective == p]
            if objs:
                row = tb.row()
                row.cell(f"{p}構面", align="C", style=FontFace(color="#FFFFFF", fill_color=NAVY))
                row.cell(pdf.put("　｜　".join(objs)))
    cols = columns(deck)
    for t in deck.themes:
        rows = theme_rows(deck, t)
        start = pdf.page_no() + 1
        if opts["flow"]:
            if opts["theme_break"] or pdf.theme is None or pdf.get_y() > pdf.h * 0.6:
                pdf.theme = (t, start, 1, None)
                pdf.add_page()
            else:  # the title under the previous table; its pages count from this one
                start -= 1
                pdf.theme = (t, start, 1, None)
                pdf.big(theme_title(deck, t, 1, parts.get(t.letter, 1)), 16, pdf.get_y() + 20, "L", NAVY)
            _table(pdf, deck, rows, [], cols)
            pdf.used[t.letter] = pdf.page_no() - start + 1
        else:
            pieces = chunk(rows, int(opts["max_rows"]))
            for i, piece in enumerate(pieces):
                pdf.theme = (t, pdf.page_no() + 1, i + 1, len(pieces))
                pdf.add_page()
                _table(pdf, deck, piece, pieces[i - 1] if i else [], cols)
            pdf.used[t.letter] = pdf.page_no() - start + 2 - len(pieces)
    pdf.theme = None
    pdf.add_page()
    pdf.big("敬請指教", 36, pdf.h * 0.4)
    return pdf


def _table(pdf: DeckPDF, deck: Deck, rows: list[Row], prev: list[Row], cols: list[Col]) -> None:
    st, o = deck.style, pdf.o
    two = st["year_header"] == "two_row"
    nh = 2 if two else 1
    pt = float(o["font_pt"])
    pdf.set_font("cjk", size=pt)
    with pdf.table(
        col_widths=[c.weight for c in cols],
        num_heading_rows=nh,
        headings_style=FontFace(emphasis="", fill_color="#DCE6F2"),
        borders_layout=o["borders"],
        repeat_headings=int(o["repeat_headings"]),
        cell_fill_color="#EEF2F7" if o["zebra"] else None,
        cell_fill_mode="ROWS" if o["zebra"] else "NONE",
        text_align="JUSTIFY" if o["justify"] else st["halign"].upper(),
        v_align="MIDDLE" if st["valign"] == "middle" else "TOP",
        line_height=pt * o["leading"],
        padding=o["padding"],
        wrapmode=o["wrapmode"],
    ) as tb:
        top = tb.row()
        sub = tb.row() if two else None
        for group, members in groupby(cols, key=lambda c: c.group if two else None):
            ms = list(members)
            if sub is not None and group:  # 實際值 over its years, as one merged heading
                top.cell(group, align="C", colspan=len(ms))
                for c in ms:
                    sub.cell(c.sub or "", align="C")
                continue
            for c in ms:
                top.cell(c.label, align="C", rowspan=nh)
        starts = {key: dict(runs(rows, key)) for key in ("persp", "obj") if key in [c.id for c in cols]}
        for i, r in enumerate(rows):
            row = tb.row()
            if r.kind == "band":
                row.cell(pdf.put(r.cells["band"]), align="L", colspan=len(cols), style=FontFace(fill_color="#E2EFDA"))
                continue
            for c in cols:
                if c.id not in starts:
                    row.cell(pdf.put(r.cells.get(c.id, "")))
                elif i in starts[c.id]:
                    blank = i == 0 and st["blank_cont"] and continues(prev, r, c.id)
                    text = "" if blank else r.cells[c.id]
                    if c.id == "persp" and st["persp_mode"] in ("rotated", "stacked"):
                        text = "\n".join(text)
                    span = starts[c.id][i] if o["spans"] else 1
                    row.cell(pdf.put(text), align="C" if c.id == "persp" else None, rowspan=span)
                elif not o["spans"]:
                    row.cell("")
