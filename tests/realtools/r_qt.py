"""Qt renderer: the deck printed by Qt's own PDF engine (PySide6 under QT_QPA_PLATFORM=offscreen): HTML
tables laid out by QTextDocument and painted with QPainter on a QPdfWriter, the writer behind the "Export
PDF" of many Qt desktop apps.

Slides: each theme's table is cut into slides by the row budget, lowered until every slide's table fits
under its painted title.  Flow: all tables go into one paginated QTextDocument and Qt breaks them over
pages itself, repeating the <thead> rows (headerRowCount) or not, and splitting a row line by line across
the break; a rowspan 構面/策略目標 label is split the same way ('顧' at the foot of a page, '客構面' at the
head of the next) and a band row may end a page.  A KPI row split over two pages has no single page, so
the deck prints again with its table split (the rest a new table on a new page) before the first such
row, as an author would (split_before); a row taller than a page makes the type smaller.

Text layer: PDF 1.4, one Type0/CIDFontType2 font per face and weight (Identity-H, CIDToGIDMap Identity),
subset with glyphs renumbered from 1, its BaseFont untagged but its FontDescriptor named 'QPCAAA+Face';
CFF faces (Noto CJK) are converted to TrueType outlines.  Pages are y-flipped (1 0 0 -1 0 H cm, mirrored
Tm) and every glyph is placed by its own Td/Tj, one BT/ET per run of one format in a line; a table is
painted cell by cell in row order (fill, the cell's own four border rectangles, then its text).  The
ToUnicode map is the face's cmap reversed, a glyph reached by several code points reading as the lowest:
with Noto CJK 面 reads as Kangxi U+2FAF and 民/長 as Supplement U+2EA0/U+2ED1.  A glyph reached only by
GSUB has no code point at all: Noto's 'locl' swaps the digits of a Latin run (AC1.2) for alternates that
read as U+0007/U+0017, so Noto faces are used with locl turned off (QFont.setFeature), the one workaround
of this module.  Faces without a bold (WenQuanYi, AR PL UMing) get synthetic bold: the run is drawn twice
0.5 pt apart, the copy inside a /Span with an empty /ActualText, which MuPDF and poppler honour and
pdfminer does not (headers and band labels read doubled there: '構構面面').  Rules are thin filled
rectangles, four per cell with neighbours' edges side by side rather than shared; collapse off gives the
classic separated HTML grid (every cell boxed, 2 px apart); fills are rectangles under the text.  Qt wraps
at word boundaries, falling back to any character (or always at any character: wrap), so a long number
or plan code breaks mid-way ('≧15,53' over '5').  QTextDocument cannot turn text, so rotated 構面 labels
print one character per line like stacked ones.  Titles, the logo caption (with painted titles only), the
watermark and the footer are QPainter.drawText.
"""

from __future__ import annotations

import html
import os
import random
from functools import cache
from importlib import metadata
from pathlib import Path

from .draw_common import SIZES
from .layout import Col, Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, Theme

NAVY = "#1f3a68"
RULE = "#555555"


def tool_version(engine: str | None = None) -> str:
    from PySide6.QtCore import qVersion

    return f"Qt {qVersion()} (QPdfWriter, QTextDocument); PySide6-Essentials {metadata.version('PySide6-Essentials')}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    running = flow and rng.random() < 0.5
    return {
        "flow": flow,
        "running_title": running,
        "theme_break": running or not flow or rng.random() < 0.6,
        "page": rng.choice(["A4L", style["page"]]) if flow else style["page"],
        "font_pt": max(style["font_pt"], rng.choice([9, 10, 11])) if flow else style["font_pt"],
        "repeat_header": rng.random() < 0.6,
        "collapse": style["rules"] != "grid" or rng.random() < 0.7,
        "spans": rng.random() < 0.75,
        "padding": rng.choice([2, 3, 4]),
        "wrap": rng.choice(["WrapAtWordBoundaryOrAnywhere", "WrapAtWordBoundaryOrAnywhere", "WrapAnywhere"]),
        "title_bar": rng.random() < 0.4,
        "footer": rng.random() < 0.7,
    }


@cache
def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(["r_qt"])


class TooTall(Exception):
    """A table row taller than the page (flow): the type must be smaller."""


def esc(s: str) -> str:
    return html.escape(s).replace("\n", "<br>")


class QtDeck:
    """One printing of the deck: a QPdfWriter in points (72 dpi), pages painted one by one."""

    def __init__(self, deck: Deck, opts: dict, out_pdf: Path) -> None:
        from PySide6.QtCore import QMarginsF, QSizeF
        from PySide6.QtGui import QFont, QPageSize, QPainter, QPdfWriter

        _app()
        self.d, self.o, self.st = deck, opts, deck.style
        self.W, self.H = SIZES[opts["page"]]
        self.pt = float(opts["font_pt"])
        self.writer = QPdfWriter(str(out_pdf))
        self.writer.setResolution(72)
        self.writer.setPageSize(QPageSize(QSizeF(self.W, self.H), QPageSize.Unit.Point, "slide"))
        self.writer.setPageMargins(QMarginsF(0, 0, 0, 0))
        self.writer.setTitle(deck.org)
        self.font = QFont(opts["font"])
        self.font.setPointSizeF(self.pt)
        if opts.get("locl_off"):
            self.font.setFeature(QFont.Tag("locl"), 0)
        self.painter = QPainter(self.writer)
        self.pages = 0
        self.top = 50.0  # below a painted title
        self.bottom = 34.0 if opts["footer"] else 22.0
        self.side = 28.0

    # --- painting helpers --------------------------------------------------------------------------------

    def new_page(self) -> None:
        if self.pages:
            self.writer.newPage()
        self.pages += 1

    def doc(self, body: str, width: float, page_height: float | None = None):
        from PySide6.QtCore import QSizeF
        from PySide6.QtGui import QTextDocument, QTextOption

        doc = QTextDocument()
        doc.setDefaultFont(self.font)
        doc.documentLayout().setPaintDevice(self.writer)
        opt = doc.defaultTextOption()
        opt.setWrapMode(getattr(QTextOption.WrapMode, self.o["wrap"]))
        doc.setDefaultTextOption(opt)
        doc.setDocumentMargin(0)
        doc.setHtml(f"<html><body>{body}</body></html>")
        if page_height:
            doc.setPageSize(QSizeF(width, page_height))
        else:
            doc.setTextWidth(width)
        return doc

    def draw_doc(self, doc, x: float, y: float) -> None:
        p = self.painter
        p.save()
        p.translate(x, y)
        doc.drawContents(p)
        p.restore()

    def text(self, x: float, y: float, s: str, size: float, color: str = "#000000", bold: bool = False) -> float:
        """Text drawn by QPainter itself (baseline at y); returns its advance."""
        from PySide6.QtGui import QColor, QFontMetricsF

        f = self.qfont(size, bold)
        p = self.painter
        p.setFont(f)
        p.setPen(QColor(color))
        p.drawText(x, y, s)
        return QFontMetricsF(f, self.writer).horizontalAdvance(s)

    def qfont(self, size: float, bold: bool = False):
        from PySide6.QtGui import QFont

        f = QFont(self.font)
        f.setPointSizeF(size)
        f.setBold(bold)
        return f

    def width(self, s: str, size: float) -> float:
        from PySide6.QtGui import QFontMetricsF

        return QFontMetricsF(self.qfont(size), self.writer).horizontalAdvance(s)

    def centered(self, s: str, y: float, size: float, color: str = "#000000") -> None:
        self.text((self.W - self.width(s, size)) / 2, y, s, size, color)

    def footer(self) -> None:
        from PySide6.QtCore import QPointF
        from PySide6.QtGui import QColor, QPen

        if not self.o["footer"]:
            return
        p = self.painter
        p.setPen(QPen(QColor("#999999"), 0.5))
        p.drawLine(QPointF(self.side, self.H - 26), QPointF(self.W - self.side, self.H - 26))
        self.text(self.side, self.H - 14, f"{self.d.org}｜策略地圖與平衡計分卡", 7, "#666666")
        num = f"- {self.pages} -"
        self.text(self.W - self.side - self.width(num, 7), self.H - 14, num, 7, "#666666")

    def title(self, s: str) -> None:
        """A theme page's title: navy type, or white type on a navy bar; the logo caption on the right."""
        from PySide6.QtCore import QRectF, Qt
        from PySide6.QtGui import QColor, QPen

        p = self.painter
        if self.o["title_bar"]:
            p.fillRect(QRectF(0, 0, self.W, 42), QColor(NAVY))
            self.text(self.side, 28, s, 16, "#ffffff", bold=True)
        else:
            self.text(self.side, 40, s, 16, NAVY, bold=True)
        if self.st["logo"]:
            w = self.width(self.d.short, 11) + 16
            box = QRectF(self.W - self.side - w, 14 if self.o["title_bar"] else 24, w, 20)
            p.setPen(QPen(QColor("#ffffff" if self.o["title_bar"] else NAVY), 1))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(box, 6, 6)
            p.setFont(self.qfont(11))
            p.drawText(box, int(Qt.AlignmentFlag.AlignCenter), self.d.short)

    def watermark(self) -> None:
        from PySide6.QtGui import QColor

        if not self.st["watermark"]:
            return
        p = self.painter
        p.save()
        p.translate(self.W * 0.33, self.H * 0.72)
        p.rotate(-30)
        p.setFont(self.qfont(60))
        p.setPen(QColor(200, 80, 80, 48))
        p.drawText(0, 0, "內部資料")
        p.restore()

    # --- slides ------------------------------------------------------------------------------------------

    def front(self) -> None:
        from PySide6.QtCore import QRectF
        from PySide6.QtGui import QColor

        d = self.d
        self.new_page()
        self.painter.fillRect(QRectF(0, 0, self.W, 18), QColor(NAVY))
        self.centered(d.org, self.H * 0.38, 30)
        self.centered("策略地圖與平衡計分卡", self.H * 0.38 + 50, 26)
        self.new_page()
        self.text(40, 60, f"{d.org}轄區概況", 20, NAVY, bold=True)
        lines = "".join(f'<p style="margin-bottom:14px">{esc(x)}</p>' for x in d.profile_lines)
        self.draw_doc(self.doc(f'<div style="font-size:14pt">{lines}</div>', self.W - 120), 60, 90)
        self.footer()
        self.new_page()
        self.text(40, 50, f"{d.org}策略地圖", 20, NAVY, bold=True)
        self.text(self.W - 40 - self.width(d.map_date, 14), 50, d.map_date, 14)
        rows = []
        for p in BSC_ORDER:
            objs = [o.shown for t in d.themes for o in t.objectives if o.perspective == p]
            if objs:
                rows.append(
                    f'<tr><td width="16%" bgcolor="{NAVY}" align="center" valign="middle">'
                    f'<span style="color:#ffffff">{p}構面</span></td><td>{esc("　｜　".join(objs))}</td></tr>'
                )
        body = (
            f'<p style="font-size:10pt">願景：{esc("、".join(t.shown for t in d.themes))}</p>'
            f'<table width="100%" border="1" cellspacing="6" cellpadding="8" style="border-color:{NAVY}; '
            f'font-size:11pt">{"".join(rows)}</table>'
        )
        self.draw_doc(self.doc(body, self.W - 80), 40, 70)
        self.footer()

    def back(self) -> None:
        self.new_page()
        self.centered("敬請指教", self.H * 0.45, 36)

    def slides(self) -> bool:
        """Each theme's table cut into slides of max_rows KPI rows; False if one does not fit its page."""
        cols = columns(self.d)
        avail = self.H - self.top - self.bottom
        docs = []
        for t in self.d.themes:
            pieces = chunk(theme_rows(self.d, t), int(self.o["max_rows"]))
            for i, piece in enumerate(pieces):
                doc = self.doc(self.table(piece, pieces[i - 1] if i else [], cols), self.W - 2 * self.side)
                if doc.size().height() > avail:
                    return False
                docs.append((theme_title(self.d, t, i + 1, len(pieces)), doc))
        self.front()
        for title, doc in docs:
            self.new_page()
            self.title(title)
            self.draw_doc(doc, self.side, self.top)
            self.watermark()
            self.footer()
        self.back()
        return True

    # --- flow --------------------------------------------------------------------------------------------

    def flow(self, cuts: dict[str, set[int]]) -> tuple[str, int] | None:
        """All theme tables in one paginated QTextDocument, broken over pages by Qt.  A table is split (the
        rest a new table on a new page) before the theme rows in `cuts` (0: the theme starts a page).
        Returns the first KPI row Qt broke across a page (theme letter, index into theme_rows; a band row
        above it goes with it), before painting anything; raises TooTall if that row already starts a page."""
        from PySide6.QtCore import QRectF, QSizeF

        cols = columns(self.d)
        running = self.o["running_title"]
        parts, body = [], []
        for n, t in enumerate(self.d.themes):
            rows = theme_rows(self.d, t)
            brk = n == 0 or self.o["theme_break"] or 0 in cuts.get(t.letter, set())
            at = sorted({0, *cuts.get(t.letter, set())})
            pieces = [(a, rows[a:b]) for a, b in zip(at, [*at[1:], len(rows)])]
            style = "" if n == 0 else "page-break-before:always;" if brk else "margin-top:18px;"
            if not running:
                body.append(
                    f'<p style="{style}font-size:16pt; font-weight:bold; color:{NAVY}; margin-bottom:8px">'
                    f"{esc(theme_title(self.d, t))}</p>"
                )
                style = ""
            for j, (a, piece) in enumerate(pieces):
                body.append(self.table(piece, rows[:a], cols, style if j == 0 else "page-break-before:always;"))
                parts.append((t, a, piece, brk or j > 0))
        width = self.W - 2 * self.side
        doc = self.doc("".join(body), width)
        frame = doc.rootFrame().frameFormat()
        frame.setTopMargin(self.top if running else 24)
        frame.setBottomMargin(self.bottom)
        doc.rootFrame().setFrameFormat(frame)
        doc.setPageSize(QSizeF(width, self.H))
        lay = doc.documentLayout()
        nh = 2 if self.st["year_header"] == "two_row" else 1
        pages: dict[str, list[int]] = {}
        for (t, a, piece, starts_page), table in zip(parts, self.tables(doc)):
            box = lay.frameBoundingRect(table)
            first, last = int(box.top() // self.H), int((box.bottom() - 1) // self.H)
            pages.setdefault(t.letter, [first, last])[1] = last
            for i, r in enumerate(piece):
                y0, y1 = self.row_extent(doc, table, nh + i)
                if r.kind != "kpi" or int(y0 // self.H) == int((y1 - 0.5) // self.H):
                    continue
                lead = i - (1 if i and piece[i - 1].kind == "band" else 0)
                if lead == 0 and starts_page:
                    raise TooTall(r.kpi.code)
                return t.letter, a + lead  # later rows move once this one does: one cut at a time
        on: dict[int, tuple[Theme, int, int]] = {}
        for t in self.d.themes:
            first, last = pages[t.letter]
            for p in range(first, last + 1):
                on.setdefault(p, (t, p - first + 1, last - first + 1))
        self.front()
        for i in range(doc.pageCount()):
            self.new_page()
            p = self.painter
            p.save()
            p.translate(self.side, -i * self.H)
            doc.drawContents(p, QRectF(0, i * self.H, width, self.H))
            p.restore()
            if running and i in on:
                t, part, n = on[i]
                self.title(theme_title(self.d, t, part, n))
            self.watermark()
            self.footer()
        self.back()
        return None

    @staticmethod
    def tables(doc) -> list:
        from PySide6.QtGui import QTextTable

        return [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]

    @staticmethod
    def row_extent(doc, table, r: int) -> tuple[float, float]:
        """Top and bottom of the text of table row r (its own cells, not those spanning from above)."""
        lay = doc.documentLayout()
        y0, y1 = float("inf"), float("-inf")
        for c in range(table.columns()):
            cell = table.cellAt(r, c)
            if cell.row() != r or cell.column() != c or cell.rowSpan() != 1:
                continue
            b = cell.firstCursorPosition().block()
            end = cell.lastCursorPosition().block()
            while b.isValid():
                rect = lay.blockBoundingRect(b)
                y0, y1 = min(y0, rect.top()), max(y1, rect.bottom())
                if b == end:
                    break
                b = b.next()
        return y0, y1

    # --- the table ---------------------------------------------------------------------------------------

    def table(self, rows: list[Row], prev: list[Row], cols: list[Col], style: str = "") -> str:
        st, o = self.st, self.o
        rules = st["rules"]
        tot = sum(c.weight for c in cols)
        width = {c.id: f"{100 * c.weight / tot:.1f}%" for c in cols}
        cell_rule = {"hrules": f"border-bottom:1px solid {RULE};", "zebra": "", "grid": "", "none": ""}[rules]
        head_rule = {"hrules": f"border-bottom:1.5px solid {RULE};", "zebra": f"border-bottom:2px solid {NAVY};"}
        hs = head_rule.get(rules, "")
        fill = "" if rules == "none" else ' bgcolor="#dce6f2"'

        def th(text: str, attrs: str = "") -> str:
            return f'<th{attrs}{fill} align="center" valign="middle" style="{hs}">{esc(text)}</th>'

        two = st["year_header"] == "two_row"
        top, low, j = [], [], 0
        while j < len(cols):
            c = cols[j]
            if two and c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                top.append(th(c.group, f' colspan="{k - j + 1}"'))
                low += [th(cols[m].sub or "", f' width="{width[cols[m].id]}"') for m in range(j, k + 1)]
                j = k + 1
            else:
                top.append(th(c.label, f' width="{width[c.id]}"' + (' rowspan="2"' if two else "")))
                j += 1
        header = "".join(f"<tr>{''.join(r)}</tr>" for r in ([top, low] if two else [top]))
        header = f"<thead>{header}</thead>" if o["repeat_header"] else header

        spans = {key: dict(runs(rows, key)) for key in ("persp", "obj")}
        covered = {(i, key) for key in spans for s, n in spans[key].items() for i in range(s + 1, s + n)}
        cell = f'align="{st["halign"]}" valign="{st["valign"]}" style="{cell_rule}"'
        out, kpis = [], 0
        for i, r in enumerate(rows):
            if r.kind == "band":
                bg = "" if rules == "none" else ' bgcolor="#c9d9ec"'
                out.append(
                    f'<tr><td colspan="{len(cols)}"{bg} style="{cell_rule}"><b>{esc(r.cells["band"])}</b></td></tr>'
                )
                continue
            kpis += 1
            zebra = ' bgcolor="#eef2f7"' if rules == "zebra" and kpis % 2 == 0 else ""
            tds = []
            for c in cols:
                text = r.cells.get(c.id, "")
                if c.id not in spans:
                    tds.append(f"<td {cell}>{esc(text)}</td>")
                    continue
                if (i, c.id) in covered:
                    if o["spans"]:
                        continue
                    text = ""
                elif i == 0 and st["blank_cont"] and continues(prev, r, c.id):
                    text = ""
                span = f' rowspan="{spans[c.id][i]}"' if o["spans"] and i in spans[c.id] else ""
                if c.id == "persp":
                    inner = "<br>".join(esc(ch) for ch in text) if st["persp_mode"] != "column" else esc(text)
                    tds.append(f'<td{span} align="center" valign="middle" style="{cell_rule}">{inner}</td>')
                else:
                    tds.append(f'<td{span} align="{st["halign"]}" valign="middle" style="{cell_rule}">{esc(text)}</td>')
            out.append(f"<tr{zebra}>{''.join(tds)}</tr>")
        if rules == "grid":
            if o["collapse"]:
                frame = f'border="1" cellspacing="0" style="border-collapse:collapse; border-color:{RULE}; {style}"'
            else:
                frame = f'border="1" cellspacing="2" style="border-color:{RULE}; {style}"'
        else:
            frame = f'border="0" cellspacing="0" style="border-collapse:collapse; {style}"'
        return f'<table width="100%" cellpadding="{o["padding"]}" {frame}>{header}{"".join(out)}</table>'


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus font and max_rows.  Slides: the row budget is lowered (then the
    type made smaller) until every slide's table fits its page.  Flow: a KPI row Qt breaks across a page
    makes the deck print again with its table split before that row; a row taller than a page, smaller type."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    opts.setdefault("font", st["font"])
    opts["locl_off"] = opts["font"].startswith("Noto")
    out_pdf = Path(out_pdf)
    cuts: dict[str, set[int]] = {}
    while True:
        q = QtDeck(deck, opts, out_pdf)
        try:
            if opts["flow"]:
                cut = q.flow(cuts)
                if cut is None:
                    break
                cuts.setdefault(cut[0], set()).add(cut[1])
                continue
            if q.slides():
                break
            if opts["max_rows"] > 1:
                opts["max_rows"] -= 1
                continue
        except TooTall:
            pass
        finally:
            q.painter.end()
        if opts["font_pt"] <= 6:
            raise RuntimeError(f"{deck.stem}: a table row does not fit a page even in 6 pt type")
        opts["font_pt"] -= 1
        cuts = {}
    if opts["flow"]:  # Qt paginates: no row budget
        opts.pop("max_rows")
        opts["split_before"] = {k: sorted(v) for k, v in sorted(cuts.items())}
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
