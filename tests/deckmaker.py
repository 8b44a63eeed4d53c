"""Draw small scorecard decks as PDFs for tests: every layout variation the parser must handle.

Text is set in a TrueType font generated on the fly (box glyphs for exactly the characters used),
so fixtures need no system CJK font and extract back to the same Unicode text.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_FAMILY = "FixtureSans"
YEARS = (107, 108, 109, 110)


@dataclass
class Kpi:
    perspective: str
    objective: str  # code and name as printed, e.g. 'AC1推動祭拜精緻化'
    kpi: str  # e.g. 'AC1.1提升集中燒配合比率'
    values: tuple[str, str, str, str]  # three actuals then the target, as printed ('\n' forces a wrap)
    plans: tuple[str, ...] = ()
    extra: str = ""


@dataclass
class Table:
    """One theme table. `columns` lists roles left to right: perspective, objective, kpi, years, plans, extra."""

    theme: str
    kpis: list[Kpi]
    style: str = "grid"  # grid | hrules | none | fills
    columns: tuple[str, ...] = ("perspective", "objective", "kpi", "years", "plans")
    perspective_header: str = "構面"
    objective_header: str = "策略目標"
    kpi_header: str = "KPI(關鍵績效指標)"
    plans_header: str = "行動方案"
    extra_header: str = "備註"
    year_style: str = "stacked"  # stacked ('107年' over '實際值') | suffix ('107年實際值') | paren | two_row
    years: tuple[int, int, int, int] = YEARS
    bands: bool = False  # perspectives as full-width band rows instead of a column
    label: str = "horizontal"  # horizontal | vertical (one char per line) | rotated
    valign: str = "middle"  # middle | top
    header: bool = True  # False: a continuation slide without the header row
    blank_perspective: bool = False  # continuation: the first 構面 cell (a block from the slide before) left blank
    font_size: float = 9


@dataclass
class Deck:
    org: str = "臺北市北投區公所"
    map_date: str = "110.02.26"
    pages: list[list[Table]] = field(default_factory=list)
    size: tuple[float, float] = (720, 540)
    rotate: int = 0
    furniture: bool = False  # page numbers, footer, footnote, watermark
    fake_bold: bool = False
    stamp: bool = False  # a large upright '內部資料' drawn over the table
    title_suffix: str = ""  # printed after the org on the title slide, e.g. ' 111年度'
    map_date_alone: bool = False  # the map's date alone on the next page (a map sheet wider than the paper)


def _font_bytes(chars: frozenset[str], family: str) -> bytes:
    """A TrueType font named `family` with a box glyph for every character in `chars`."""
    chars = {c for c in chars if c.isprintable() and c != " "}
    order = [".notdef", "space", *(f"u{ord(c):05X}" for c in sorted(chars))]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({32: "space", **{ord(c): f"u{ord(c):05X}" for c in chars}})
    glyphs, metrics = {}, {}
    for name in order:
        pen = TTGlyphPen(None)
        wide = name.startswith("u") and int(name[1:], 16) > 0x2000
        width = 1000 if wide else 550
        if name != "space":
            pen.moveTo((50, 0))
            pen.lineTo((50, 700))
            pen.lineTo((width - 50, 700))
            pen.lineTo((width - 50, 0))
            pen.closePath()
        glyphs[name] = pen.glyph()
        metrics[name] = (width, 50)
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics(metrics)
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": family, "styleName": "Regular", "psName": family})
    builder.setupOS2(sTypoAscender=880, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


@cache
def registered_font(chars: frozenset[str]) -> str:
    """Register (once per character set, in memory: no font files left behind) and name the font."""
    # reportlab caches fonts by name: each character set gets a font of its own name.
    font = f"{FONT_FAMILY}{hashlib.sha1(''.join(sorted(chars)).encode()).hexdigest()[:12]}"
    pdfmetrics.registerFont(TTFont(font, io.BytesIO(_font_bytes(chars, font))))
    return font


def _width(text: str, size: float) -> float:
    return sum((1.0 if ord(c) > 0x2000 else 0.55) * size for c in text)


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines = []
    for part in text.split("\n"):
        line = ""
        for ch in part:
            if line and _width(line + ch, size) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return [ln for ln in lines if ln] or []


class _Painter:
    """Draws in top-left coordinates (y down), like the parser sees pages."""

    def __init__(self, c: canvas.Canvas, font: str, height: float, fake_bold: bool) -> None:
        self.c, self.font, self.height, self.fake_bold = c, font, height, fake_bold

    def text(self, x: float, top: float, text: str, size: float, bold: bool = False) -> None:
        self.c.setFont(self.font, size)
        self.c.drawString(x, self.height - top - size * 0.88, text)
        if bold and self.fake_bold:
            self.c.drawString(x + 0.3, self.height - top - size * 0.88, text)

    def hline(self, x0: float, x1: float, y: float) -> None:
        self.c.line(x0, self.height - y, x1, self.height - y)

    def vline(self, x: float, y0: float, y1: float) -> None:
        self.c.line(x, self.height - y0, x, self.height - y1)

    def fill(self, x0: float, y0: float, x1: float, y1: float, grey: float) -> None:
        self.c.setFillGray(grey)
        self.c.rect(x0, self.height - y1, x1 - x0, y1 - y0, stroke=0, fill=1)
        self.c.setFillGray(0)

    def rotated(self, x: float, top: float, text: str, size: float) -> None:
        self.c.saveState()
        self.c.translate(x + size, self.height - top)
        self.c.rotate(-90)
        self.c.setFont(self.font, size)
        self.c.drawString(0, 0, text)
        self.c.restoreState()


_WIDTHS = {"perspective": 45, "objective": 85, "kpi": 95, "year": 52, "plans": 150, "extra": 55}


def _header_cells(table: Table, role: str, year_index: int | None) -> list[str]:
    width = _WIDTHS[role] - 6
    if role == "year":
        year = table.years[year_index]
        kind = "目標值" if year_index == 3 else "實際值"
        text = {
            "stacked": f"{year}年\n{kind}",
            "suffix": f"{year}年{kind}",
            "paren": f"{kind}({year}年)",
            "two_row": f"{year}年",
        }[table.year_style]
        return _wrap(text, width, table.font_size)
    header = {
        "perspective": table.perspective_header,
        "objective": table.objective_header,
        "kpi": table.kpi_header,
        "plans": table.plans_header,
        "extra": table.extra_header,
    }[role]
    return _wrap(header, width, table.font_size)


def _columns(table: Table, x0: float) -> list[tuple[str, int | None, float, float]]:
    cols, x = [], x0
    for role in table.columns:
        if role == "perspective" and table.bands:
            continue
        if role == "years":
            for i in range(4):
                cols.append(("year", i, x, x + _WIDTHS["year"]))
                x += _WIDTHS["year"]
        else:
            cols.append((role, None, x, x + _WIDTHS[role]))
            x += _WIDTHS[role]
    return cols


def _cell_lines(kpi: Kpi, role: str, index: int | None, width: float, size: float) -> list[str]:
    if role == "kpi":
        return _wrap(kpi.kpi, width, size)
    if role == "year":
        return _wrap(kpi.values[index], width, size)
    if role == "plans":
        return [ln for plan in kpi.plans for ln in _wrap(plan, width, size)]
    if role == "extra":
        return _wrap(kpi.extra, width, size)
    return []


def _groups(kpis: list[Kpi], key) -> list[list[int]]:
    """Runs of consecutive KPIs sharing a spanning cell (same perspective, same objective)."""
    groups: list[list[int]] = []
    for n, kpi in enumerate(kpis):
        if groups and key(kpis[groups[-1][-1]]) == key(kpi):
            groups[-1].append(n)
        else:
            groups.append([n])
    return groups


def _draw_table(p: _Painter, table: Table, top: float, x0: float) -> float:
    """Draw one table; return the y where it ends."""
    size, lead, pad = table.font_size, table.font_size * 1.25, 4.0
    cols = _columns(table, x0)
    x1 = cols[-1][3]
    p.text(x0, top, table.theme, size + 3, bold=True)
    y = top + size + 12
    if table.header:
        head_top = y
        rows = 3 if table.year_style in ("stacked", "two_row") else 2
        head_bottom = head_top + rows * lead + 2 * pad
        if table.style == "fills":
            p.fill(x0, head_top, x1, head_bottom, 0.85)
        for role, index, cx0, _ in cols:
            lines = _header_cells(table, role, index)
            start = head_top + pad + (lead if table.year_style == "two_row" and role == "year" else 0)
            for n, line in enumerate(lines):
                p.text(cx0 + 3, start + n * lead, line, size, bold=True)
        if table.year_style == "two_row":
            years = [c for c in cols if c[0] == "year"]
            p.text((years[0][2] + years[2][3]) / 2 - size * 1.5, head_top + pad, "實際值", size, bold=True)
            p.text(years[3][2] + 3, head_top + pad, "目標值", size, bold=True)
        if table.style != "none":
            p.hline(x0, x1, head_top)
            p.hline(x0, x1, head_bottom)
        y = head_bottom
    body_top = y
    spans = {
        "perspective": _groups(table.kpis, lambda k: k.perspective),
        "objective": _groups(table.kpis, lambda k: (k.perspective, k.objective)),
    }
    heights = [
        max(max(len(_cell_lines(kpi, r, i, c1 - c0 - 6, size)) for r, i, c0, c1 in cols), 2) * lead + 2 * pad
        for kpi in table.kpis
    ]
    for group in spans["perspective"]:
        label = table.kpis[group[0]].perspective + "構面"
        needed = {"vertical": len(label) * lead, "rotated": _width(label, size)}.get(table.label, 0) + 4 * pad
        heights[group[-1]] += max(0.0, needed - sum(heights[n] for n in group))
    row_tops, row_bottoms = [], []
    for n, kpi in enumerate(table.kpis):
        if table.bands and (n == 0 or table.kpis[n - 1].perspective != kpi.perspective):
            p.text(x0 + 3, y + pad, f"{kpi.perspective}構面", size, bold=True)
            y += lead + 2 * pad
            if table.style != "none":
                p.hline(x0, x1, y)
        height = heights[n]
        row_tops.append(y)
        row_bottoms.append(y + height)
        if table.style == "fills" and n % 2 == 0:
            p.fill(x0, y, x1, y + height, 0.93)
        for role, index, cx0, cx1 in cols:
            lines = _cell_lines(kpi, role, index, cx1 - cx0 - 6, size)
            offset = pad if table.valign == "top" else (height - len(lines) * lead) / 2
            for k, line in enumerate(lines):
                p.text(cx0 + 3, y + offset + k * lead, line, size)
        y += height
    for role, _, cx0, cx1 in cols:
        if role not in spans:
            continue
        for group in spans[role]:
            span_top, span_bottom = row_tops[group[0]], row_bottoms[group[-1]]
            kpi = table.kpis[group[0]]
            if role == "objective":
                lines = _wrap(kpi.objective, cx1 - cx0 - 6, size)
            elif table.blank_perspective and group is spans[role][0]:
                lines = []
            elif table.label == "vertical":
                lines = list(kpi.perspective + "構面")
            elif table.label == "rotated":
                text = kpi.perspective + "構面"
                middle = (span_top + span_bottom) / 2 - _width(text, size) / 2
                p.rotated(cx0 + 8, span_top + pad if table.valign == "top" else middle, text, size)
                lines = []
            else:
                lines = _wrap(kpi.perspective + "構面", cx1 - cx0 - 6, size)
            height = span_bottom - span_top
            offset = pad if table.valign == "top" else (height - len(lines) * lead) / 2
            for k, line in enumerate(lines):
                p.text(cx0 + 3, span_top + offset + k * lead, line, size)
            if table.style in ("grid", "hrules"):
                p.hline(cx0, cx1, span_bottom)
    if table.style in ("grid", "hrules"):
        for role, _, cx0, cx1 in cols:
            if role not in spans:
                for bottom in row_bottoms:
                    p.hline(cx0, cx1, bottom)
    if table.style == "grid":
        for _, _, cx0, _ in cols:
            p.vline(cx0, body_top - (0 if not table.header else 0), y)
        p.vline(x1, body_top, y)
    return y


def build_deck(deck: Deck, path: Path) -> Path:
    """Write `deck` as a PDF: title, profile, strategy map, its tables, closing slide."""
    texts = {
        deck.org + deck.title_suffix,
        "策略地圖與平衡計分卡",
        deck.map_date,
        "敬請指教",
        "面積：56.82平方公里",
        "策略地圖",
    }
    for tables in deck.pages:
        for t in tables:
            texts |= {
                t.theme,
                t.perspective_header,
                t.objective_header,
                t.kpi_header,
                t.plans_header,
                t.extra_header,
                "實際值",
                "目標值",
                "年()",
                "構面",
                "0123456789",
                "內部資料",
                "註：數值如表 第頁-",
            }
            texts |= {str(y) for y in t.years}
            for k in t.kpis:
                texts |= {k.perspective, k.objective, k.kpi, *k.values, *k.plans, k.extra}
    font = registered_font(frozenset("".join(texts)))
    width, height = deck.size
    page_size = (height, width) if deck.rotate in (90, 270) else (width, height)
    c = canvas.Canvas(str(path), pagesize=page_size)
    p = _Painter(c, font, height, deck.fake_bold)

    def start_page(number: int) -> None:
        if deck.rotate:
            c.setPageRotation(deck.rotate)
            if deck.rotate == 90:
                c.translate(height, 0)
                c.rotate(90)
            elif deck.rotate == 270:
                c.translate(0, width)
                c.rotate(-90)
            elif deck.rotate == 180:
                c.translate(width, height)
                c.rotate(180)
        if deck.furniture:
            p.text(width - 40, height - 30, f"- {number} -", 9)
            c.saveState()
            c.setFillGray(0.9)
            c.translate(width / 2 - 100, height / 2 - 60)
            c.rotate(30)
            c.setFont(font, 60)
            c.drawString(0, 0, "內部資料")
            c.restoreState()

    number = 1
    start_page(number)
    p.text(80, height / 3, deck.org + deck.title_suffix, 28)
    p.text(80, height / 3 + 50, "策略地圖與平衡計分卡", 24)
    map_pages = (
        [[deck.org + "策略地圖", "顧客構面 內部流程構面"], [deck.map_date]]
        if deck.map_date_alone
        else [[deck.org + "策略地圖", deck.map_date, "顧客構面 內部流程構面"]]
    )
    for lines in map_pages:
        c.showPage()
        number += 1
        start_page(number)
        for n, line in enumerate(lines):
            p.text(60, 40 + n * 30, line, 16)
    for tables in deck.pages:
        c.showPage()
        number += 1
        start_page(number)
        top = 30.0
        for table in tables:
            top = _draw_table(p, table, top, 30) + 20
        if deck.furniture:
            p.text(30, height - 45, "註：數值如表", 8)
        if deck.stamp:
            c.saveState()
            c.setFillGray(0.85)
            p.text(200, 150, "內部資料", 72)
            c.restoreState()
    c.showPage()
    start_page(number + 1)
    p.text(width / 2 - 50, height / 2, "敬請指教", 24)
    c.showPage()
    c.save()
    return path
