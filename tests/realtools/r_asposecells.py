"""Aspose.Cells for Python via .NET 26.10 (PyPI aspose-cells-python 26.10.0): the deck built as an Excel workbook the
way an office clerk fills the scorecard template, and printed by `workbook.save(out_pdf, PdfSaveOptions)`, as the
back-office systems that write .xlsx and PDF without Excel do.  Aspose lays out and paginates the sheets itself
(Excel's page setup: paper, orientation, fit to 1 page wide, print titles, manual breaks, headers and footers).

Setup: the wheel (~90 MB) carries its own .NET Core 3.1 runtime, which probes ICU only up to version 70 and aborts
the whole process without it ('Couldn't find a valid ICU package'): CLR_ICU_VERSION_OVERRIDE=72 (Debian 12's
libicu72) is put in the environment before the first import.  Unlike Aspose.Words' it needs no OpenSSL 1.1 here.
No licence is set, so Aspose runs in evaluation mode: every printed page gets the red line 'Evaluation Only.
Created with Aspose.Cells for Python via .NET. Copyright 2003 - 2026 Aspose Pty Ltd.' at its top edge (Arial,
not embedded: BPGArial, WinAnsi, no ToUnicode), above the header margin, so it never covers the table.  The deck
is kept as an unlicensed office's is.

How the workbook is built: a cover sheet (office, title, year in merged rows), a 轄區概況 sheet, a 策略地圖 sheet
(a small table: one row per 構面, objectives in bordered cells, or text boxes placed over the grid), the
theme tables, and optionally a closing sheet.  Theme tables are one worksheet per theme ('sheets': title row
'策略主題：(A)…', optionally an office subtitle row, the head, the KPI rows) or one long sheet with all themes
('long': the head once at the top as print titles with a merged theme-title row before each theme's rows, or
each theme with its title and own head, optionally a manual page break before each theme).  Columns as
layout.columns; widths in Excel character units from the deck's weights.  構面 and objective runs merged
(`cells.merge`), or written on every row or on the first row only; 構面 labels horizontal, turned 90° / -90°
(`rotation_angle`), stacked by Excel's vertical text (rotation 255) or one character a line; band rows merged
across.  Wrap text on; row heights by Aspose's own `auto_fit_rows` (AutoFitterOptions: merged cells fitted
EACH_LINE) or fixed heights an author sets after auto-fit (rounded up, with slack); rows of turned labels raised
until the label fits its merged run.  Values stored as numbers with number formats that print the deck's text
('#,##0"人"', '0.0%', '"≧"0.0%'; the formatted `string_value` is checked against the text and the cell falls back
to text when they differ) or as text throughout; notes and full-width digits are always text.  Borders: full grid,
outer frame + horizontal rules, horizontal rules only, none (optionally printed gridlines), zebra fills; head
fills and bold heads; band-row fills.  Page setup: A4 / Letter / A3, landscape or portrait, fit to 1 page wide
(pages tall automatic) or a fixed zoom, centre horizontally, print titles (head rows, or title + head), header
and footer sections (&P, &N, &A sheet name, the office name) in the deck's face.  PdfSaveOptions:
one_page_per_sheet (a sheet printed as one tall page), compliance PDF 1.7 / PDF/A-1b / PDF/A-2b / none,
embed_standard_windows_fonts, a '內部資料' RenderingWatermark (behind or over the content), default_font, and
`check_font_compatibility`.

Fonts: the face of fonts.py copied into a private folder given to `FontConfigs.set_font_folder` (the system
folders stay as fallback); the workbook's default style uses it, so empty cells and numbers print in it too.
Characters the face lacks are printed folded.

Quirks found: Aspose prints a column about 5 % wider than `get_column_width_pixel` says, so a table sized to the
printable width at a fixed zoom loses its last column to a page of its own (printed after the others, as Excel
does down then over); columns are sized to 90 % of it.  A number wider than its column prints as '########' (text
wraps instead, '16\n,680'); `get_width_of_value` underestimates CJK faces (56 px for '2,805人次' at 12 pt), so the
author's widening (value columns widened, the widest text column narrowed by as much) uses an estimate of the
printed width.  Number formats print the deck's text exactly ('"≧"0.0%' gives '≧95.3%'); full-width digits never
go in as numbers.  Aspose never splits a row across pages (a merged 構面/objective run may be cut by a page break;
where its label then prints was not checked).  Print titles repeat the head rows (and the theme title with
'title_head') on every page of the sheet; in 'long' decks a page may end with a theme-title or band row (Excel keeps
nothing with the next).  &P / &N count pages over the whole workbook.  `one_page_per_sheet` gives every sheet a
page of its own size (the cover 773 x 360 pt, a long theme sheet about 760 x 1015 pt).  Every text box (the
'boxes' strategy map) gets its own red 'Evaluation Only. Created with Aspose.Cells…' line over its text, clipped to
the box and in the text layer, interleaved with the box text.  Fonts: every face is a CID Identity-H font with a
ToUnicode ('FAAABA+UMingTW', bold as '<face>,Bold' from the same file), Noto CJK as CID Type 0C subsets of 2-2.5
MB; the evaluation line's Arial comes out as the non-embedded WinAnsi 'BPGArial' or, with
`embed_standard_windows_fonts` or PDF/A, as an embedded CID subset of the system's Arial substitute; with neither
`embed_standard_windows_fonts` nor PDF/A, ASCII-only runs ('112', '44.46', '/560') of a TrueType face (UMing, UKai,
WenQuanYi; never Noto's CFF) go out in a non-embedded WinAnsi TrueType font named after the face ('UKaiTW',
'UKaiTW,Bold', no ToUnicode) beside the embedded CID font (17 of the 39 TrueType decks of seeds 1-6).
The '內部資料' RenderingWatermark is text, one character a line in the text layer, on every page (cover included).
PDF/A-1b decks are PDF 1.4; Producer 'Aspose.Cells for Python via
.NET v26.10'.
"""

from __future__ import annotations

import math
import os
import random
import re
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

from .fonts import face_file, printable
from .layout import Col, check, columns, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

ASPOSE_CELLS = "26.10.0"  # PyPI aspose-cells-python (README, Setup)
ICU = "72"  # Debian 12's libicu72, which the wheel's .NET Core 3.1 does not probe by itself
HEAD_FILLS = {
    "blue": (0xDD, 0xEB, 0xF7),
    "navy": (0x1F, 0x4E, 0x79),
    "gray": (0xD9, 0xD9, 0xD9),
    "green": (0xE2, 0xEF, 0xDA),
    "sand": (0xFC, 0xE4, 0xD6),
}
DARK = {"navy"}
ZEBRA = {"blue": (0xEE, 0xF2, 0xF7), "gray": (0xF2, 0xF2, 0xF2), "yellow": (0xFF, 0xF9, 0xE5)}
FOOTERS = {"of": "&P / &N", "zh": "第 &P 頁，共 &N 頁", "dash": "- &P -", "page": "第&P頁"}
NUM_RX = re.compile(r"^([≧≥≦≤]?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?(.*)$")


def tool_version(engine: str | None = None) -> str:
    ver = metadata.version("aspose-cells-python")
    if ver != ASPOSE_CELLS:
        raise RuntimeError(f"aspose-cells-python {ASPOSE_CELLS} is wanted, {ver} is installed")
    return f"Aspose.Cells for Python via .NET {ver} (evaluation)"


def producer_options(rng: random.Random, style: dict) -> dict:
    rules = style["rules"]
    if rules == "hrules" and rng.random() < 0.5:
        rules = "outer_h"
    landscape = rng.random() < 0.8
    return {
        "layout": rng.choice(["sheets", "sheets", "long"]),
        "paper": rng.choice(["A4", "A4", "A4", "LETTER", "A3"]) if landscape else rng.choice(["A4", "A4", "LETTER"]),
        "landscape": landscape,
        "fit_wide": rng.random() < 0.75,
        "zoom": rng.choice([70, 80, 90, 100]),
        "center_h": rng.random() < 0.6,
        "print_titles": rng.choice(["head", "head", "title_head", None]),
        "theme_break": rng.random() < 0.7,
        "manual_breaks": rng.random() < 0.2,
        "subtitle": rng.random() < 0.4,
        "labels": rng.choice(["merge", "merge", "merge", "repeat", "first"]),
        "obj_labels": rng.choice(["merge", "merge", "first", "repeat"]),
        "turn": rng.choice([90, 90, -90]),
        "stack": rng.choice(["vertical", "lines"]),
        "rowfit": rng.choice(["auto", "auto", "fixed"]),
        "row_slack": rng.choice([1.0, 1.1, 1.25]),
        "rules": rules,
        "border": rng.choice(["THIN", "THIN", "HAIR", "MEDIUM_OUTER"]),
        "gridlines": rules == "none" and rng.random() < 0.3,
        "head_fill": rng.choice([None, *HEAD_FILLS]),
        "head_bold": rng.random() < 0.75,
        "zebra_fill": rng.choice(list(ZEBRA)),
        "numbers": rng.choice(["number", "number", "text"]),
        "font": style["font"] if rng.random() < 0.85 else "AR PL UKai TW",
        "font_pt": min(12, max(9, style["font_pt"] + rng.choice([1, 2, 2, 3]))),
        "header": rng.choice([None, "org", "sheet", "org_sheet"]),
        "footer": rng.choice([None, "of", "of", "zh", "dash", "page"]),
        "footer_org": rng.random() < 0.3,
        "map": rng.choice(["table", "table", "boxes"]),
        "closing": rng.random() < 0.5,
        "one_page_per_sheet": rng.random() < 0.12,
        "compliance": rng.choice(["NONE", "NONE", "PDF17", "PDF_A1B", "PDF_A2B"]),
        "embed_standard": rng.random() < 0.5,
        "watermark_behind": rng.random() < 0.6,
    }


def _env() -> None:
    os.environ.setdefault("CLR_ICU_VERSION_OVERRIDE", ICU)


def _rgb(c):
    import aspose.pydrawing as drawing

    return drawing.Color.from_argb(255, *c)


def _colw(ws, c: int, w: float) -> None:
    ws.cells.set_column_width(int(c), float(w))


def _rowh(ws, r: int, h: float) -> None:
    ws.cells.set_row_height(int(r), float(h))


def excel_width(weight: float, total: float, page_chars: float) -> float:
    return max(4.0, page_chars * weight / total)


def _numeric(text: str) -> tuple[float, str] | None:
    """(value, Excel number format) printing `text` exactly, or None when the text is not a plain number."""
    m = NUM_RX.match(text)
    if not m or "\n" in text:
        return None
    sym, whole, dec, unit = m.groups()
    if unit and (re.search(r"[0-9０-９\s\"\\;@#0?,.]", unit) or len(unit) > 4):
        return None
    num = float(whole.replace(",", "") + ("." + dec if dec else ""))
    body = ("#,##0" if "," in whole else "0") + ("." + "0" * len(dec) if dec else "")
    if whole.startswith("0") and len(whole.replace(",", "")) > 1:
        return None
    pre = f'"{sym}"' if sym else ""
    if unit == "%":
        return num / 100.0, f"{pre}{body}%"
    return num, pre + body + (f'"{unit}"' if unit else "")


class Builder:
    def __init__(self, deck: Deck, opts: dict, font_name: str) -> None:
        import aspose.cells as ac

        self.ac = ac
        self.d, self.o, self.st = deck, opts, deck.style
        self.fam = opts["font"]
        self.face = font_name
        self.pt = float(opts["font_pt"])
        self.wb = ac.Workbook()
        ds = self.wb.default_style
        ds.font.name = font_name
        ds.font.size = int(self.pt)
        self.wb.default_style = ds
        self.first = True
        self.fallbacks = 0
        self.widened = 0
        self.forced_fit = 0

    # --- helpers ----------------------------------------------------------------------------------------

    def sheet(self, name: str):
        if self.first:
            self.first = False
            ws = self.wb.worksheets[0]
            ws.name = name
        else:
            ws = self.wb.worksheets[self.wb.worksheets.add()]
            ws.name = name
        self.setup(ws)
        return ws

    def setup(self, ws) -> None:
        ac, o = self.ac, self.o
        ps = ws.page_setup
        ps.paper_size = getattr(ac.PaperSizeType, f"PAPER_{o['paper']}")
        ps.orientation = ac.PageOrientationType.LANDSCAPE if o["landscape"] else ac.PageOrientationType.PORTRAIT
        if o["fit_wide"]:
            ps.fit_to_pages_wide = 1
            ps.fit_to_pages_tall = 0
        else:
            ps.zoom = int(o["zoom"])
        ps.center_horizontally = bool(o["center_h"])
        ps.left_margin = ps.right_margin = 1.3  # cm
        ps.top_margin = ps.bottom_margin = 1.8
        ps.header_margin = ps.footer_margin = 0.8
        hdr = f'&"{self.face},Regular"&9'
        if o["header"] in ("org", "org_sheet"):
            ps.set_header(0, hdr + printable(self.d.org, self.fam))
        if o["header"] in ("sheet", "org_sheet"):
            ps.set_header(2, hdr + "&A")
        if o["footer"]:
            ps.set_footer(1, hdr + FOOTERS[o["footer"]])
        if o["footer_org"]:
            ps.set_footer(0, hdr + printable(f"{self.d.org}平衡計分卡", self.fam))

    def style(self, cell, size=None, bold=False, color=None, h="left", v="center", wrap=True, fill=None, rot=0):
        ac = self.ac
        s = cell.get_style()
        s.font.name = self.face
        s.font.size = int(size or self.pt)
        s.font.is_bold = bool(bold)
        if color:
            s.font.color = _rgb(color)
        s.horizontal_alignment = {"left": ac.TextAlignmentType.LEFT, "center": ac.TextAlignmentType.CENTER}[h]
        s.vertical_alignment = {"top": ac.TextAlignmentType.TOP, "center": ac.TextAlignmentType.CENTER}[v]
        s.is_text_wrapped = wrap
        if rot:
            s.rotation_angle = rot
        if fill:
            s.pattern = ac.BackgroundType.SOLID
            s.foreground_color = _rgb(fill)
        cell.set_style(s)

    def put(self, ws, r, c, text, **kw):
        cell = ws.cells.get(r, c)
        cell.put_value(printable(text, self.fam))
        self.style(cell, **kw)
        return cell

    def put_value(self, ws, r, c, text: str, **kw):
        """A value cell: a number with a format printing `text`, or the text itself."""
        cell = ws.cells.get(r, c)
        text = printable(text, self.fam)
        num = _numeric(text) if self.o["numbers"] == "number" else None
        self.style(cell, **kw)
        if num is None:
            cell.put_value(text)
            return cell
        cell.put_value(num[0])
        s = cell.get_style()
        s.custom = num[1]
        cell.set_style(s)
        if cell.string_value != text:
            self.fallbacks += 1
            if os.environ.get("ASPOSE_DEBUG"):
                print("fallback", repr(text), num, repr(cell.string_value))
            cell.put_value(text)
            s = cell.get_style()
            s.number = 49  # '@' text
            cell.set_style(s)
        return cell

    def borders(self, ws, r0: int, r1: int, c0: int, c1: int, head: bool = False) -> None:
        """Borders of the block rows r0..r1 (inclusive) by the deck's rule style."""
        ac, o = self.ac, self.o
        rules = o["rules"]
        kind = ac.CellBorderType.HAIR if o["border"] == "HAIR" else ac.CellBorderType.THIN
        black = _rgb((0x40, 0x40, 0x40))
        B = ac.BorderType
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                cell = ws.cells.get(r, c)
                s = cell.get_style()
                sides = []
                if rules == "grid":
                    sides = [B.LEFT_BORDER, B.RIGHT_BORDER, B.TOP_BORDER, B.BOTTOM_BORDER]
                elif rules in ("hrules", "zebra", "outer_h"):
                    sides = [B.TOP_BORDER, B.BOTTOM_BORDER]
                    if rules == "outer_h" and c == c0:
                        sides.append(B.LEFT_BORDER)
                    if rules == "outer_h" and c == c1:
                        sides.append(B.RIGHT_BORDER)
                elif head:
                    sides = [B.BOTTOM_BORDER]
                for side in sides:
                    s.set_border(side, kind, black)
                cell.set_style(s)
        if o["border"] == "MEDIUM_OUTER" and rules in ("grid", "outer_h"):
            rng = ws.cells.create_range(r0, c0, r1 - r0 + 1, c1 - c0 + 1)
            rng.set_outline_borders(ac.CellBorderType.MEDIUM, black)

    # --- sheets -----------------------------------------------------------------------------------------

    def build(self) -> None:
        d = self.d
        ws = self.sheet("封面")
        _colw(ws, 0, 110)
        for r, (text, size) in enumerate([(d.org, 28), ("策略地圖與平衡計分卡", 24), (f"{d.plan_year}年度", 18)], 8):
            _rowh(ws, r, size * 2.0)
            self.put(ws, r, 0, text, size=size, bold=size > 20, h="center", color=(0x1F, 0x4E, 0x79))
        ws = self.sheet("轄區概況")
        _colw(ws, 0, 4)
        _colw(ws, 1, 90)
        _rowh(ws, 0, 30)
        self.put(ws, 0, 1, "轄區概況", size=20, bold=True)
        for i, line in enumerate(d.profile_lines, 2):
            _rowh(ws, i, 24)
            self.put(ws, i, 1, line, size=14, wrap=False)
        self.strategy_map()
        cols = columns(d)
        if self.o["layout"] == "sheets":
            for t in d.themes:
                ws = self.sheet(f"策略主題{t.letter}")
                self.theme_sheet(ws, [t], cols)
        else:
            ws = self.sheet("平衡計分卡")
            self.theme_sheet(ws, d.themes, cols)
        if self.o["closing"]:
            ws = self.sheet("結語")
            _colw(ws, 0, 110)
            _rowh(ws, 10, 60)
            self.put(ws, 10, 0, "敬請指教", size=36, bold=True, h="center", color=(0x1F, 0x4E, 0x79))

    def strategy_map(self) -> None:
        d, ac = self.d, self.ac
        ws = self.sheet("策略地圖")
        _colw(ws, 0, 14)
        for c in range(1, 6):
            _colw(ws, c, 24)
        _rowh(ws, 0, 30)
        self.put(ws, 0, 0, f"{d.org}策略地圖", size=18, bold=True, wrap=False)
        self.put(ws, 0, 5, d.map_date, size=12, h="center")
        r = 2
        for p in BSC_ORDER:
            objs = [o.shown for t in d.themes for o in t.objectives if o.perspective == p]
            if not objs:
                continue
            _rowh(ws, r, 44)
            self.put(
                ws, r, 0, f"{p}構面", size=11, bold=True, color=(0xFF, 0xFF, 0xFF), h="center", fill=HEAD_FILLS["navy"]
            )
            if self.o["map"] == "table":
                for j, name in enumerate(objs[:5], 1):
                    self.put(ws, r, j, name, size=11, h="center")
                    self.borders_box(ws, r, j)
            else:
                for j, name in enumerate(objs[:5], 1):
                    # add_text_box(upper_left_row, top, upper_left_column, left, height, width) in pixels
                    tb = ws.shapes.add_text_box(r, 6, j, 8, 46, 150)
                    tb.text = printable(name, self.fam)
                    tb.font.name = self.face
                    tb.font.size = 11
                    tb.text_horizontal_alignment = ac.TextAlignmentType.CENTER
                    tb.text_vertical_alignment = ac.TextAlignmentType.CENTER
            r += 2

    def borders_box(self, ws, r: int, c: int) -> None:
        ac = self.ac
        cell = ws.cells.get(r, c)
        s = cell.get_style()
        for side in (
            ac.BorderType.LEFT_BORDER,
            ac.BorderType.RIGHT_BORDER,
            ac.BorderType.TOP_BORDER,
            ac.BorderType.BOTTOM_BORDER,
        ):
            s.set_border(side, ac.CellBorderType.THIN, _rgb((0x1F, 0x4E, 0x79)))
        cell.set_style(s)

    def printable_pt(self) -> float:
        o = self.o
        w, h = {"A4": (21.0, 29.7), "LETTER": (21.59, 27.94), "A3": (29.7, 42.0)}[o["paper"]]
        cm = (max(w, h) if o["landscape"] else min(w, h)) - 2.6
        return cm / 2.54 * 72

    def page_chars(self) -> float:
        """Excel width units the table spans: the printable width at 100 % (fit-to-width decks take more)."""
        o = self.o
        w, h = {"A4": (21.0, 29.7), "LETTER": (21.6, 27.9), "A3": (29.7, 42.0)}[o["paper"]]
        cm = (max(w, h) if o["landscape"] else min(w, h)) - 2.6
        chars = cm / 2.54 * 72 / 5.6 / (self.pt / 11.0)
        if not o["fit_wide"]:
            chars = chars * 100 / o["zoom"] * 0.97
        return chars

    def theme_sheet(self, ws, themes, cols: list[Col]) -> None:
        d, st, o, ac = self.d, self.st, self.o, self.ac
        n = len(cols)
        ids = [c.id for c in cols]
        two = st["year_header"] == "two_row"
        nh = 2 if two else 1
        tot = sum(c.weight for c in cols)
        chars = self.page_chars()
        for j, c in enumerate(cols):
            _colw(ws, j, round(excel_width(c.weight, tot, chars), 1))
        # the author widens or narrows the columns until the table fills the printable width at the zoom
        # (Aspose prints a column about 5 % wider than get_column_width_pixel says)
        target = self.printable_pt() * 100.0 / (100 if o["fit_wide"] else o["zoom"]) * 0.9
        have = sum(ws.cells.get_column_width_pixel(j) for j in range(n)) * 0.75
        if os.environ.get("ASPOSE_DEBUG"):
            print(
                "widths",
                target,
                have,
                [ws.cells.get_column_width(j) for j in range(n)],
                [ws.cells.get_column_width_pixel(j) for j in range(n)],
            )
        for j in range(n):
            _colw(ws, j, min(250.0, round(ws.cells.get_column_width(j) * target / have, 1)))
        dark = o["head_fill"] in DARK
        hfill = HEAD_FILLS[o["head_fill"]] if o["head_fill"] else None
        hcolor = (0xFF, 0xFF, 0xFF) if dark else None
        long = o["layout"] == "long"
        ws.page_setup.print_gridlines = bool(o["gridlines"])
        shared_head = long and o["print_titles"] is not None
        r = 0
        turned_runs: list[tuple[int, int, str]] = []  # (row, count, text)
        breaks: list[int] = []
        num_cells: list = []  # (column, cell) of values stored as numbers

        def title_row(text: str, size: float, bold=True, color=(0x1F, 0x4E, 0x79)):
            nonlocal r
            self.put(ws, r, 0, text, size=size, bold=bold, color=color, wrap=False)
            ws.cells.merge(r, 0, 1, n)
            _rowh(ws, r, size * 1.9)
            r += 1

        def head():
            nonlocal r
            h0 = r
            j = 0
            while j < n:
                c = cols[j]
                if two and c.group:
                    k = j
                    while k + 1 < n and cols[k + 1].group == c.group:
                        k += 1
                    self.put(ws, h0, j, c.group, bold=o["head_bold"], h="center", fill=hfill, color=hcolor)
                    if k > j:
                        ws.cells.merge(h0, j, 1, k - j + 1)
                    for m in range(j, k + 1):
                        self.put(
                            ws, h0 + 1, m, cols[m].sub or "", bold=o["head_bold"], h="center", fill=hfill, color=hcolor
                        )
                    j = k + 1
                    continue
                self.put(ws, h0, j, c.label, bold=o["head_bold"], h="center", fill=hfill, color=hcolor)
                if two:
                    self.style(ws.cells.get(h0 + 1, j), fill=hfill)
                    ws.cells.merge(h0, j, 2, 1)
                j += 1
            for jj in range(n):  # fills of merged parts
                for rr in range(h0, h0 + nh):
                    if hfill and ws.cells.get(rr, jj).value is None:
                        self.style(ws.cells.get(rr, jj), fill=hfill)
            self.borders(ws, h0, h0 + nh - 1, 0, n - 1, head=True)
            r += nh
            return h0

        title_rows = []
        head_rows = None
        if long:
            title_row(f"{d.org}{d.plan_year}年度平衡計分卡", self.pt + 6)
            if shared_head:
                head_rows = (head(), nh)
        for ti, t in enumerate(themes):
            if long and ti and o["theme_break"]:
                breaks.append(r)
            t0 = r
            title_row(theme_title(d, t), self.pt + (2 if long else 5))
            title_rows.append(t0)
            if not long and o["subtitle"]:
                title_row(f"{d.org}　{d.plan_year}年度", self.pt + 1, bold=False, color=(0x40, 0x40, 0x40))
            if not shared_head:
                h0 = head()
                if head_rows is None:
                    head_rows = (h0, nh) if o["print_titles"] != "title_head" else (t0, h0 - t0 + nh)
            rows = theme_rows(d, t)
            r0 = r
            kpi_i = 0
            for i, row in enumerate(rows):
                rr = r0 + i
                if row.kind == "band":
                    fill = hfill if hfill and not dark else HEAD_FILLS["blue"]
                    self.put(ws, rr, 0, row.cells["band"], bold=True, fill=fill)
                    ws.cells.merge(rr, 0, 1, n)
                    self.borders(ws, rr, rr, 0, n - 1)
                    continue
                kpi_i += 1
                zfill = ZEBRA[o["zebra_fill"]] if o["rules"] == "zebra" and kpi_i % 2 == 0 else None
                if o["manual_breaks"] and kpi_i > 1 and (kpi_i - 1) % int(o["max_rows"]) == 0:
                    breaks.append(rr)
                for j, c in enumerate(cols):
                    kw = {"h": st["halign"], "v": "center" if st["valign"] == "middle" else "top", "fill": zfill}
                    if c.id in ("persp", "obj"):
                        self.style(ws.cells.get(rr, j), **kw)
                    elif c.id in ("a0", "a1", "a2", "t", "w"):
                        cell = self.put_value(ws, rr, j, row.cells.get(c.id, ""), **{**kw, "h": "center"})
                        if cell.type == ac.CellValueType.IS_NUMERIC:
                            num_cells.append((j, cell))
                    else:
                        self.put(ws, rr, j, row.cells.get(c.id, ""), **kw)
                self.borders(ws, rr, rr, 0, n - 1)
            mode = st["persp_mode"]
            for key in ("persp", "obj"):
                if key not in ids:
                    continue
                j = ids.index(key)
                how = o["labels"] if key == "persp" else o["obj_labels"]
                for start, cnt in runs(rows, key):
                    text = rows[start].cells[key]
                    rot = 0
                    if key == "persp" and mode == "rotated":
                        rot = int(o["turn"])
                    elif key == "persp" and mode == "stacked":
                        if o["stack"] == "vertical":
                            rot = 255
                        else:
                            text = "\n".join(text)
                    for k in range(cnt):
                        cell = ws.cells.get(r0 + start + k, j)
                        lab = text if k == 0 or how == "repeat" else ""
                        if lab:
                            cell.put_value(printable(lab, self.fam))
                        s = cell.get_style()
                        s.horizontal_alignment = (
                            ac.TextAlignmentType.CENTER if key == "persp" else s.horizontal_alignment
                        )
                        s.vertical_alignment = ac.TextAlignmentType.CENTER if how == "merge" else s.vertical_alignment
                        if rot:
                            s.rotation_angle = rot
                        cell.set_style(s)
                        if key == "persp" and (rot or o["stack"] == "lines" and mode == "stacked") and lab:
                            turned_runs.append((r0 + start + k, cnt if how == "merge" else 1, lab))
                    if cnt > 1 and how == "merge":
                        ws.cells.merge(r0 + start, j, cnt, 1)
            r = r0 + len(rows)
        self.widen_numbers(ws, cols, num_cells)
        self.fit_rows(ws, turned_runs, title_rows)
        if head_rows and o["print_titles"]:
            a, k = head_rows
            ws.page_setup.print_title_rows = f"${a + 1}:${a + k}"
        for b in breaks:
            ws.horizontal_page_breaks.add(b)

    def widen_numbers(self, ws, cols: list[Col], num_cells: list) -> None:
        """A number wider than its column prints as '####': the author widens those columns and narrows the others
        by as much, each by at most 30 %; what is still missing makes the table wider, and a sheet at a fixed zoom is
        then set to fit 1 page wide (`forced_fit`)."""
        need: dict[int, int] = {}
        for j, cell in num_cells:
            # get_width_of_value underestimates CJK faces (56 px for '2,805人次' at 12 pt): the printed width
            est = sum(self.pt if ord(ch) > 0x2E7F else self.pt * 0.6 for ch in cell.display_string_value) / 0.75
            need[j] = max(need.get(j, 0), int(max(est, cell.get_width_of_value())) + 12)
        n = len(cols)
        old = [ws.cells.get_column_width_pixel(j) for j in range(n)]
        grow = {j: px - old[j] for j, px in need.items() if px > old[j]}
        if not grow:
            return
        rest = [j for j in range(n) if j not in need]
        pool = sum(old[j] for j in rest)
        cut = min(sum(grow.values()), int(pool * 0.3))
        for j, g in grow.items():
            ws.cells.set_column_width_pixel(j, old[j] + g)
            self.widened += 1
        for j in rest:
            ws.cells.set_column_width_pixel(j, max(8, old[j] - round(cut * old[j] / pool)))
        if sum(grow.values()) > cut + 4 and not self.o["fit_wide"]:
            ws.page_setup.fit_to_pages_wide = 1
            ws.page_setup.fit_to_pages_tall = 0
            self.forced_fit += 1

    def fit_rows(self, ws, turned_runs, title_rows) -> None:
        ac, o = self.ac, self.o
        opt = ac.AutoFitterOptions()
        opt.auto_fit_merged_cells_type = ac.AutoFitMergedCellsType.EACH_LINE
        opt.only_auto = False
        ws.auto_fit_rows(opt)
        last = ws.cells.max_data_row
        for t in title_rows:
            _rowh(ws, t, max(ws.cells.get_row_height(t), self.pt * 2.2))
        for r0, cnt, text in turned_runs:
            need = len(text.replace("\n", "")) * self.pt * 1.2 + 10
            have = sum(ws.cells.get_row_height(r0 + k) for k in range(cnt))
            if have < need:
                for k in range(cnt):
                    h = ws.cells.get_row_height(r0 + k)
                    _rowh(ws, r0 + k, h + (need - have) / cnt)
        grow = float(o.get("grow", 1.0))
        for rr in range(last + 1):
            h = ws.cells.get_row_height(rr)
            if o["rowfit"] == "fixed":
                h = math.ceil(h * o["row_slack"] / 3.0) * 3.0
            if grow > 1.0 or o["rowfit"] == "fixed":
                _rowh(ws, rr, min(409.0, h * grow))

    def save(self, out_pdf: Path) -> None:
        ac, o = self.ac, self.o
        so = ac.PdfSaveOptions()
        so.one_page_per_sheet = bool(o["one_page_per_sheet"])
        so.compliance = getattr(ac.rendering.PdfCompliance, o["compliance"])
        so.embed_standard_windows_fonts = bool(o["embed_standard"])
        so.default_font = self.face
        so.check_workbook_default_font = True
        if self.st["watermark"]:
            font = ac.rendering.RenderingFont(self.face, 60.0)
            font.color = _rgb((0xC0, 0xC0, 0xC0))
            wm = ac.rendering.RenderingWatermark(printable("內部資料", self.fam), font)
            wm.rotation = -30.0
            wm.opacity = 0.35
            wm.is_background = bool(o["watermark_behind"])
            wm.scale_to_page_percent = 50
            so.watermark = wm
        self.wb.save(str(out_pdf), so)


def _font_name(path: str) -> str:
    from fontTools.ttLib import TTFont

    name = TTFont(path, lazy=True)["name"]
    return str(name.getDebugName(1))


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (KPIs between manual page breaks).  Rows are raised by 15 %
    and the workbook printed again while layout.check finds characters missing (text clipped by its row)."""
    _env()
    import aspose.cells as ac

    tool_version()
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    opts.setdefault("max_rows", st["max_rows"])
    out_pdf = Path(out_pdf)
    with tempfile.TemporaryDirectory(prefix="asposecells-") as tmp:
        src = face_file(opts["font"])
        shutil.copy(src, tmp)
        ac.FontConfigs.set_font_folder(tmp, False)
        name = _font_name(src)
        for _ in range(6):
            b = Builder(deck, opts, name)
            b.build()
            b.save(out_pdf)
            find_pages(out_pdf, deck)
            problems = check(out_pdf, deck)
            if problems and any("missing" in p for p in problems):
                opts["grow"] = round(float(opts.get("grow", 1.0)) * 1.15, 3)
                continue
            break
    opts["font_name"] = name
    opts["text_fallbacks"] = b.fallbacks
    opts["widened_columns"] = b.widened
    opts["forced_fit"] = b.forced_fit
    opts["problems"] = problems
    return opts
