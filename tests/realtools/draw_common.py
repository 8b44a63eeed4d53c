"""Deck drawing for PDF drawing libraries: text runs, lines and filled rectangles placed by hand.

Drawing libraries (PyMuPDF, ReportLab) do no layout, so offices that draw decks with them measure text
themselves.  This module does that once, against a small canvas interface each library implements, so the
quirks that matter (wraps at arbitrary characters, rules as lines or thin filled rectangles, rotated or
stacked perspective labels, watermarks, a logo caption on the title line) come from one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .layout import Col, Row, chunk, columns, continues, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

SIZES = {"4:3": (720.0, 540.0), "16:9": (960.0, 540.0), "A4L": (842.0, 595.0)}


class Canvas(Protocol):
    def new_page(self, w: float, h: float, rotated: bool = False) -> None: ...
    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0)) -> None: ...
    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: tuple = (0, 0, 0)) -> None: ...
    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: tuple, stroke: tuple | None = None) -> None: ...
    def width(self, s: str, size: float) -> float: ...


@dataclass
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    header: bool = False
    mode: str = "h"  # h (horizontal), rot (rotated 90), stack (one character per line)


def wrap(c: Canvas, text: str, size: float, width: float) -> list[str]:
    """Break at any character once the line is full, as slide tools do with CJK text and numbers alike."""
    out = []
    for para in text.split("\n"):
        line = ""
        for ch in para:
            if line and c.width(line + ch, size) > width:
                out.append(line)
                line = ch
            else:
                line += ch
        out.append(line)
    return out


class DeckDrawer:
    """Lays out and draws a whole deck on a Canvas; returns nothing, pages are known from the drawing."""

    def __init__(self, deck: Deck, c: Canvas, opts: dict) -> None:
        self.d, self.c, self.o = deck, c, opts
        self.W, self.H = SIZES[opts.get("page", deck.style["page"])]
        self.pt = float(opts.get("font_pt", deck.style["font_pt"]))
        self.lh = self.pt * 1.3
        self.page_no = 0
        self.rgb = opts.get("rgb", (0.1, 0.3, 0.55))

    def page(self, rotated: bool = False) -> None:
        self.c.new_page(self.W, self.H, rotated)
        self.page_no += 1

    def footer(self) -> None:
        if self.o.get("footer", True):
            self.c.line(30, self.H - 28, self.W - 30, self.H - 28, 0.5, (0.6, 0.6, 0.6))
            self.c.text(30, self.H - 16, f"{self.d.org}｜策略地圖與平衡計分卡", 7, color=(0.4, 0.4, 0.4))
            self.c.text(self.W - 60, self.H - 16, f"- {self.page_no} -", 7, color=(0.4, 0.4, 0.4))

    def draw(self) -> None:
        d, c = self.d, self.c
        self.page()
        c.rect(0, 0, self.W, 18, self.rgb)
        self.center(d.org, self.H * 0.38, 30)
        self.center("策略地圖與平衡計分卡", self.H * 0.38 + 50, 26)
        self.page()
        c.text(40, 60, f"{d.org}轄區概況", 20, color=self.rgb)
        for i, line in enumerate(d.profile_lines):
            c.text(60, 110 + i * 32, line, 14)
        self.footer()
        self.strategy_map()
        for t in d.themes:
            self.theme(t)
        self.page()
        self.center("敬請指教", self.H * 0.45, 36)

    def center(self, s: str, y: float, size: float) -> None:
        self.c.text((self.W - self.c.width(s, size)) / 2, y, s, size)

    def strategy_map(self) -> None:
        d, c = self.d, self.c
        self.page()
        c.text(40, 50, f"{d.org}策略地圖", 20, color=self.rgb)
        c.text(self.W - 120, 50, d.map_date, 14)
        y = 80
        names = "、".join(t.shown for t in d.themes)
        c.text(40, y + 12, f"願景：{names}", 9)
        y += 30
        persps = [p for p in BSC_ORDER if any(o.perspective == p for t in d.themes for o in t.objectives)]
        band = (self.H - y - 60) / max(1, len(persps))
        for p in persps:
            c.rect(40, y, 110, y + band - 10, self.rgb)
            c.text(50, y + band / 2, f"{p}構面", 10, color=(1, 1, 1))
            x = 125
            for t in d.themes:
                for o in t.objectives:
                    if o.perspective != p:
                        continue
                    w = min(150.0, c.width(o.shown, 8) + 16)
                    if x + w > self.W - 30:
                        break
                    c.rect(x, y + 8, x + w, y + band - 18, (1, 1, 1), self.rgb)
                    c.text(x + 8, y + band / 2, wrap(c, o.shown, 8, w - 14)[0], 8)
                    x += w + 10
            y += band
        self.footer()

    def theme(self, t) -> None:
        d, c, st = self.d, self.c, self.d.style
        cols = columns(d)
        rows = theme_rows(d, t)
        usable = self.W - 60
        scale = usable / sum(col.weight for col in cols)
        xs = [30.0]
        for col in cols:
            xs.append(xs[-1] + col.weight * scale)
        head_h = self.head_height(cols, xs)
        top = 70.0
        bottom = self.H - 40 - (14 if self.o.get("footnote") else 0)
        pages = []
        for part in chunk(rows, int(self.o.get("max_rows", st["max_rows"]))):
            cur: list[Row] = []
            y = top + head_h
            for r in part:
                h = self.row_height(r, cols, xs)
                if cur and y + h > bottom:
                    pages.append(cur)
                    cur, y = [], top + head_h
                cur.append(r)
                y += h
            pages.append(cur)
        for i, pr in enumerate(pages):
            rotated = bool(self.o.get("rotate_theme") == t.letter and i == 0)
            self.page(rotated)
            title = theme_title(d, t, i + 1, len(pages))
            c.text(30, 45, title, 16, color=self.rgb)
            if st["logo"] or self.o.get("logo"):
                w = c.width(d.short, 12)
                x = self.W - 40 - w
                if self.o.get("logo_badge", True):
                    c.rect(x - 8, 30, x + w + 8, 52, (1, 1, 1), self.rgb)
                c.text(x, 45, d.short, 12, color=self.rgb)
            self.table(pr, pages[i - 1] if i else [], cols, xs, top, head_h)
            if st["watermark"] or self.o.get("watermark"):
                self.watermark()
            if self.o.get("footnote"):
                c.text(30, bottom + 10, self.o["footnote"], 7)
            self.footer()

    def head_height(self, cols: list[Col], xs: list[float]) -> float:
        """Height of the head rows: one line (two for stacked year labels, three for the two-row head)."""
        st = self.d.style
        two = st["year_header"] == "two_row"
        return (2 if two or st["year_header"] == "stacked" else 1) * (self.lh + 6) + (self.lh if two else 0)

    def watermark(self) -> None:
        ang = self.o.get("watermark_angle", 30)
        mark = self.o.get("watermark_text", "內部資料")
        self.c.text(self.W * 0.35, self.H * 0.75, mark, 60, ang, (0.88, 0.8, 0.8))

    def cell_lines(self, col: Col, text: str, w: float) -> list[str]:
        return wrap(self.c, text, self.pt, w - 6)

    def row_height(self, r: Row, cols: list[Col], xs: list[float]) -> float:
        if r.kind == "band":
            return self.lh + 6
        n = 1
        for j, col in enumerate(cols):
            if col.id == "persp" and self.d.style["persp_mode"] != "column":
                continue
            n = max(n, len(self.cell_lines(col, r.cells.get(col.id, ""), xs[j + 1] - xs[j])))
        return n * self.lh + 6

    def table(self, rows: list[Row], prev: list[Row], cols: list[Col], xs: list[float], top: float, head_h: float):
        st = self.d.style
        boxes: list[Box] = []
        two = st["year_header"] == "two_row"
        hy = top
        half = head_h / 2
        j = 0
        while j < len(cols):
            col = cols[j]
            if two and col.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == col.group:
                    k += 1
                boxes.append(Box(xs[j], hy, xs[k + 1], hy + half, col.group, True))
                for m in range(j, k + 1):
                    boxes.append(Box(xs[m], hy + half, xs[m + 1], hy + head_h, cols[m].sub or "", True))
                j = k + 1
                continue
            boxes.append(Box(xs[j], hy, xs[j + 1], hy + head_h, col.label, True))
            j += 1
        y = top + head_h
        ys = []
        for r in rows:
            h = self.row_height(r, cols, xs)
            ys.append((y, y + h))
            y += h
        self.stretch_rotated(rows, ys, cols)
        for (y0, y1), r in zip(ys, rows):
            if r.kind == "band":
                boxes.append(Box(xs[0], y0, xs[-1], y1, r.cells["band"], True))
                continue
            for jj, col in enumerate(cols):
                if col.id not in ("persp", "obj"):
                    boxes.append(Box(xs[jj], y0, xs[jj + 1], y1, r.cells.get(col.id, "")))
        for key in ("persp", "obj"):
            if key not in [col.id for col in cols]:
                continue
            jj = [col.id for col in cols].index(key)
            for start, n in runs(rows, key):
                r = rows[start]
                blank = start == 0 and st["blank_cont"] and continues(prev, r, key)
                text = "" if blank else r.cells[key]
                mode = {"rotated": "rot", "stacked": "stack"}.get(st["persp_mode"], "h") if key == "persp" else "h"
                boxes.append(Box(xs[jj], ys[start][0], xs[jj + 1], ys[start + n - 1][1], text, mode=mode))
        self.paint(boxes, rows, ys, xs)

    def stretch_rotated(self, rows: list[Row], ys: list[tuple[float, float]], cols: list[Col]) -> None:
        """Grow a perspective block whose rotated or stacked label is taller than its rows."""
        if "persp" not in [col.id for col in cols] or self.d.style["persp_mode"] == "column":
            return
        for start, n in runs(rows, "persp"):
            label = rows[start].cells["persp"]
            need = len(label) * self.pt * 1.15 + 8
            have = ys[start + n - 1][1] - ys[start][0]
            if need > have:
                extra = need - have
                last = start + n - 1
                ys[last] = (ys[last][0], ys[last][1] + extra)
                for i in range(last + 1, len(ys)):
                    ys[i] = (ys[i][0] + extra, ys[i][1] + extra)

    def paint(self, boxes: list[Box], rows: list[Row], ys: list, xs: list[float]) -> None:
        c, st = self.c, self.d.style
        rules = self.o.get("rules", st["rules"])
        hdr_fill = self.o.get("hdr_fill", (0.85, 0.9, 0.97))
        if rules == "zebra":
            for i, ((y0, y1), r) in enumerate(zip(ys, rows)):
                if r.kind == "kpi" and i % 2 == 1:
                    c.rect(xs[0], y0, xs[-1], y1, (0.86, 0.91, 0.97))
        for b in boxes:
            if b.header and rules != "none":
                c.rect(b.x0, b.y0, b.x1, b.y1, hdr_fill)
        as_rect = self.o.get("rules_as_rects", False)
        for b in boxes:
            if rules == "grid":
                for x0, y0, x1, y1 in (
                    (b.x0, b.y0, b.x1, b.y0),
                    (b.x0, b.y1, b.x1, b.y1),
                    (b.x0, b.y0, b.x0, b.y1),
                    (b.x1, b.y0, b.x1, b.y1),
                ):
                    self.rule(x0, y0, x1, y1, as_rect)
            elif rules in ("hrules", "zebra") and (b.header or rules == "hrules"):
                self.rule(b.x0, b.y1, b.x1, b.y1, as_rect)
        for b in boxes:
            self.label(b)

    def rule(self, x0: float, y0: float, x1: float, y1: float, as_rect: bool) -> None:
        if as_rect:
            self.c.rect(x0 - 0.3, y0 - 0.3, x1 + 0.3, y1 + 0.3, (0.2, 0.2, 0.2))
        else:
            self.c.line(x0, y0, x1, y1, 0.6)

    def label(self, b: Box) -> None:
        c, st, pt, lh = self.c, self.d.style, self.pt, self.lh
        if not b.text:
            return
        if b.mode == "rot":
            w = c.width(b.text, pt)
            c.text((b.x0 + b.x1) / 2 + pt * 0.35, (b.y0 + b.y1) / 2 + w / 2, b.text, pt, 90)
            return
        lines = list(b.text) if b.mode == "stack" else wrap(c, b.text, pt, b.x1 - b.x0 - 6)
        total = len(lines) * lh
        middle = st["valign"] == "middle" or b.header or b.mode == "stack"
        y = b.y0 + 3 + (max(0.0, (b.y1 - b.y0 - 6 - total) / 2) if middle else 0)
        for ln in lines:
            w = c.width(ln, pt)
            centre = b.header and len(lines) and b.x1 - b.x0 < self.W - 100 or st["halign"] == "center"
            x = b.x0 + (b.x1 - b.x0 - w) / 2 if centre or b.mode == "stack" else b.x0 + 3
            c.text(x, y + pt * 0.95, ln, pt)
            y += lh
