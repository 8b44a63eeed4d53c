"""Plotly renderer: every slide a Plotly figure exported to PDF by Kaleido, as data teams and Dash apps export a
scorecard page (PyPI plotly 5.24.1 with kaleido 0.2.1, which bundles its own headless Chromium m88: the PDF is
Chromium's print of the figure's SVG, written by Skia/PDF m88, Creator 'Chromium').  The figures are plain
figure dicts run through `go.Figure(...).write_image(path, format="pdf", width=, height=, scale=)` by a small
driver (`r_plotly_driver.py`) in a virtualenv of its own ($REALTOOLS_PLOTLY_PYTHON, by default
/work/gen/venv-plotly/bin/python: plotly >= 6.1 refuses kaleido 0.2.1, and kaleido >= 1 needs a Chrome it
drives itself); the per-slide PDFs are joined by qpdf or pypdf.

Methods:
- `table`: a `go.Table` filling the plot area (the figure's margins leave room for title and footer): header and
  cells `values` per column, `align`, `fill_color` per column or per cell (zebra, band rows, header fill),
  `line_color`/`line_width` (Plotly strokes every cell border the same way, so a grid, faint rules and no rules
  are colour choices: dark, light grey or white lines), `columnwidth` weights, `font` family/size/colour, a
  minimum `height` per row.  Plotly wraps cell text only at spaces and only when the cell holds no `<br>`, so
  the author breaks lines with a width-measuring helper (advance widths of the face, any character) joined by
  `<br>`; Plotly then grows each row to its lines (`cellPad` 8 px above and below, lines 1.3 em apart).  A
  table taller than the plot area is not shrunk but scrolls: rows past the bottom are not drawn at all, and the
  row at the edge is cut through.  So a theme is split into '--k/n' slides by measured row heights (and the
  deck's rows per slide); after the export every cell line is checked to end above the plot area's bottom,
  and the slide is cut shorter if not (the author looking at the output).  No rowspan: 構面/策略目標 repeated
  on every row or printed on the first row of their run only (blank or repeated at the top of a continued
  slide), or 構面 band rows; no turned text: rotated labels stacked one character a line by `<br>`.  Two-row
  year heads as two header rows (header `values` per column as lists: ['實際值', '110年'], ['構面', '']) or as
  one row '110年<br>實際值'.  Header text optionally bold (`<b>`).  Colours either set by the author or left to
  the template (`plotly`/`plotly_white`: header #C8D4E3, cells #EBF0F8, white lines; `none`: white cells,
  grey lines).
- `shapes`: the table drawn by hand (draw_common's layout) on hidden axes ranged to the figure in px:
  `layout.shapes` lines and filled rects, one `layout.annotations` entry per cell line (rotated 構面 labels by
  `textangle=-90`, real merged cells and a two-row head spanning its year columns).

Other slides are annotation-only figures: cover (a colour bar shape, org, title, year), profile lines, a
strategy map (perspective bars as rect shapes, objectives as annotations with `bgcolor`/`bordercolor`), a
closing slide.  Title by `layout.title` (left or centred) or white on a bar shape; running header, footer
(office name, '- n -' or 'n / N'), a logo text in a bordered annotation, watermark annotation with `opacity`
(annotations are always drawn above the table).  Figure sizes in px (960x540, 1280x720, 1920x1080 for 16:9;
960x720, 1024x768 for 4:3; 1123x794, 1169x827 for A4 landscape), `scale=1`: the PDF page is width x height
x 0.75 pt, Chromium rounding it down (960x540 -> 720 x 404.88 pt; 1169x827 -> 876.96 x 619.92 pt, and the figure
spills onto a blank second page, so the author keeps page 1 of every figure's PDF when joining them).  With
`scale=2` kaleido 0.2.1 doubles the PDF page but not the drawing (the slide in the top-left quarter and a blank
second page), so nobody exports PDF at scale 2.  Fonts by CSS family, found by Chromium through fontconfig:
a face of fonts.py alone or after a Latin face ('Arial', 'Times New Roman', 'DejaVu Sans').

Quirks seen: kaleido 0.2.1's Chromium now and then hangs at its first figure (the driver is killed after a timeout
and run again); TrueType faces (WenQuanYi, AR PL UMing) embedded as CID TrueType subsets (Identity-H), the Noto CJK
(CFF) faces as many small Type 3 fonts whose ToUnicode lacks glyphs reached by shaping (in Noto, the digits of
'AF1.1' after Latin letters read 'AF .': decks in Noto name a Latin face first, Arial/Times New Roman (Liberation,
accepted by Chromium as metric-compatible aliases; 'Verdana' is not, DejaVu Sans is named directly)); Chromium's
ToUnicode maps some ideographs to Kangxi radicals (面 -> ⾯, 目 -> ⽬); the first figure exported in a session carries
a grey box 'Loading [MathJax]/extensions/MathMenu.js' (in Times, Liberation Serif) at its bottom left unless
`plotly.io.kaleido.scope.mathjax = None`: some decks keep it on the cover (option `mathjax_box`).
"""

from __future__ import annotations

import html
import json
import os
import random
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .draw_common import SIZES, DeckDrawer
from .fonts import face_file
from .layout import Col, Row, check, chunk, columns, continues, find_pages, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

PLOTLY = "5.24.1"
KALEIDO = "0.2.1"
DRIVER = Path(__file__).with_name("r_plotly_driver.py")
FACES = ["Noto Sans CJK TC", "Noto Serif CJK TC", "WenQuanYi Zen Hei", "AR PL UMing TW"]
LATIN = {  # CSS family -> the face Chromium takes from fontconfig (Arial/Times: metric-compatible aliases)
    "Arial": "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "Times New Roman": "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "DejaVu Sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
}
FIG_SIZES = {
    "16:9": [(960, 540), (1280, 720), (1920, 1080)],
    "4:3": [(960, 720), (1024, 768)],
    "A4L": [(1123, 794), (1169, 827)],
}
HEAD_FILLS = {"navy": "#1f3b68", "blue": "#4472c4", "light": "#d6e4f0", "grey": "#d9d9d9", "sand": "#f8ecd1"}
DARK_HEADS = {"navy", "blue"}
ZEBRA = {"blue": "#eef3fa", "grey": "#f2f2f2", "green": "#eef6ee"}
ACCENTS = ["#1a4d8c", "#0b6e4f", "#7b2d26", "#1f3b68", "#444444"]
CELL_PAD = 8  # plotly.js table constants.cellPad
LINE_SPACING = 1.3  # plotly.js svg_text_utils LINE_SPACING


def python() -> str:
    return os.environ.get("REALTOOLS_PLOTLY_PYTHON", "/work/gen/venv-plotly/bin/python")


@cache
def installed_version() -> dict:
    proc = subprocess.run([python(), str(DRIVER), "--version"], capture_output=True, text=True)
    if proc.returncode:
        venv = Path(python()).parent.parent
        raise RuntimeError(
            f"plotly/kaleido are not installed: python3 -m venv {venv}; "
            f"{venv}/bin/pip install plotly=={PLOTLY} kaleido=={KALEIDO} ({proc.stderr.strip()[-300:]})"
        )
    v = json.loads(proc.stdout)
    if v != {"plotly": PLOTLY, "kaleido": KALEIDO}:
        raise RuntimeError(f"plotly {PLOTLY} and kaleido {KALEIDO} are wanted, {python()} has {v}")
    return v


@cache
def tool_version(engine: str | None = None) -> str:
    v = installed_version()
    return f"plotly {v['plotly']} + kaleido {v['kaleido']} (Chromium m88, Skia/PDF m88; {engine or 'table'})"


def producer_options(rng: random.Random, style: dict) -> dict:
    page = style["page"]
    w, h = rng.choice(FIG_SIZES[page])
    return {
        "engine": rng.choice(["table", "table", "table", "shapes"]),
        "page": page,
        "width": w,
        "height": h,
        # scale=2 doubles the PDF page but not the drawing (top-left quarter, a blank second page): always 1
        "scale": 1,
        "font": style["font"],
        "font_pt": style["font_pt"],
        # Noto CJK (CFF) text becomes Type 3 fonts whose ToUnicode lacks glyphs reached by shaping (the digits
        # of 'AF1.1' read 'AF .'): decks in Noto name a Latin face first, as authors do who copy the codes
        "latin": rng.choice(list(LATIN)) if style["font"].startswith("Noto") or rng.random() < 0.3 else None,
        "template": rng.choice(["plotly", "plotly_white", "none"]),
        "colours": rng.choice(["author", "author", "author", "template"]),
        "hdr_fill": rng.choice(list(HEAD_FILLS)),
        "zebra_fill": rng.choice(list(ZEBRA)),
        "line_width": rng.choice([0.5, 1, 1, 1.5]),
        "rule_grey": rng.choice(["#404040", "#808080", "#000000"]),
        "accent": rng.choice(ACCENTS),
        "labels": rng.choice(["first", "first", "repeat"]),
        "two_row": rng.choice(["rows", "br"]),
        "bold_head": rng.random() < 0.5,
        "values_align": rng.choice(["center", "right", "same"]),
        "cells_h": rng.choice([20, 24, 28, 30]),
        "title_pos": rng.choice(["left", "left", "center", "bar"]),
        "header": rng.random() < 0.3,
        "footer": rng.choice([None, "dash", "dash", "of"]),
        "footer_align": rng.choice(["right", "center"]),
        "logo": rng.random() < 0.3,
        "watermark_opacity": rng.choice([0.12, 0.18, 0.25]),
        "watermark_angle": rng.choice([-30, -30, 0]),
        "mathjax_box": rng.random() < 0.25,
        "join": rng.choice(["qpdf", "pypdf"]),
    }


class Ink:
    """Advance widths of the CSS font stack (px), and the author's line-breaking helper."""

    def __init__(self, opts: dict) -> None:
        from fontTools.ttLib import TTFont

        self.faces = []
        latin = opts.get("latin")
        paths = ([LATIN[latin]] if latin else []) + [face_file(opts["font"]), face_file("Noto Sans CJK TC")]
        for p in paths:
            f = TTFont(p, lazy=True)
            self.faces.append((f.getBestCmap(), f["hmtx"].metrics, f["head"].unitsPerEm))
        fam = f'"{opts["font"]}"'
        self.css = f'"{latin}", {fam}, sans-serif' if latin else f"{fam}, sans-serif"
        self._w: dict[str, float] = {}

    def em(self, ch: str) -> float:
        if ch not in self._w:
            w = 1.0 if ord(ch) > 0x2E80 else 0.6
            for cmap, hmtx, upm in self.faces:
                g = cmap.get(ord(ch))
                if g is not None:
                    w = hmtx[g][0] / upm
                    break
            self._w[ch] = w
        return self._w[ch]

    def width(self, s: str, px: float) -> float:
        return sum(self.em(c) for c in s) * px

    def wrap(self, text: str, px: float, width: float) -> list[str]:
        out = []
        for para in text.split("\n"):
            line = ""
            for ch in para:
                if line and self.width(line + ch, px) > width:
                    out.append(line)
                    line = ch
                else:
                    line += ch
            out.append(line)
        return out


def esc(s: str) -> str:
    return html.escape(s, quote=False)


def br(lines: list[str]) -> str:
    return "<br>".join(esc(x) for x in lines)


class Figures:
    """Builds the deck's figure dicts (px, y down in the author's head; plotly's paper coordinates y up)."""

    def __init__(self, deck: Deck, ink: Ink, opts: dict) -> None:
        self.d, self.ink, self.o, self.st = deck, ink, opts, deck.style
        self.W, self.H = float(opts["width"]), float(opts["height"])
        self.k = self.W / 960  # sizes below are the author's px on a 960 px wide figure
        self.fpx = round(opts["font_pt"] * 1.4 * self.k, 1)
        self.lh = LINE_SPACING * self.fpx
        self.L = self.R = round(self.W * 0.03)
        self.T = round(self.H * (0.15 if opts["header"] else 0.12))
        self.B = round(self.H * (0.08 if opts["footer"] else 0.04))
        self.accent = opts["accent"]
        self.pages: list[dict] = []
        self.cut: dict[str, int] = {}  # theme letter -> rows per slide after a look at the output
        self.table_pages: dict[int, float] = {}  # page no -> plot-area bottom in px (for the clip check)

    # -- figure scaffolding ------------------------------------------------------------------------------------
    def base(self, margin: tuple[int, int, int, int] | None = None) -> dict:
        L, R, T, B = margin or (self.L, self.R, self.T, self.B)
        lay = {
            "width": self.W,
            "height": self.H,
            "margin": {"l": L, "r": R, "t": T, "b": B, "pad": 0},
            "font": {"family": self.ink.css, "size": self.fpx, "color": "#222222"},
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "showlegend": False,
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "annotations": [],
            "shapes": [],
        }
        if self.o["template"] != "plotly":
            lay["template"] = self.o["template"]
        return {"data": [], "layout": lay}

    def px(self, x: float, y: float) -> tuple[float, float]:
        """Figure px (y down) to paper coordinates of the plot area."""
        L, R, T, B = self.margins
        return (x - L) / (self.W - L - R), (self.H - B - y) / (self.H - T - B)

    def note(self, fig: dict, x: float, y: float, text: str, size: float, **kw) -> None:
        px, py = self.px(x, y)
        a = {
            "x": px,
            "y": py,
            "xref": "paper",
            "yref": "paper",
            "text": text,
            "showarrow": False,
            "font": {"size": round(size, 1), "color": kw.pop("color", "#222222")},
            "xanchor": kw.pop("xanchor", "left"),
            "yanchor": kw.pop("yanchor", "middle"),
        }
        a.update(kw)
        fig["layout"]["annotations"].append(a)

    def rect(self, fig: dict, x0, y0, x1, y1, fill: str, line: str | None = None, layer: str = "below") -> None:
        a, b = self.px(x0, y1)
        c, d = self.px(x1, y0)
        fig["layout"]["shapes"].append(
            {
                "type": "rect",
                "xref": "paper",
                "yref": "paper",
                "x0": a,
                "y0": b,
                "x1": c,
                "y1": d,
                "fillcolor": fill,
                "line": {"width": 1 if line else 0, "color": line or fill},
                "layer": layer,
            }
        )

    def hline(self, fig: dict, x0, x1, y, color: str, width: float = 1) -> None:
        a, b = self.px(x0, y)
        c, _ = self.px(x1, y)
        fig["layout"]["shapes"].append(
            {
                "type": "line",
                "xref": "paper",
                "yref": "paper",
                "x0": a,
                "y0": b,
                "x1": c,
                "y1": b,
                "line": {"color": color, "width": width},
            }
        )

    def title(self, fig: dict, s: str) -> None:
        tpx = round(22 * self.k, 1)
        y = self.T * (0.62 if self.o["header"] else 0.5)
        pos = self.o["title_pos"]
        if pos == "bar":
            self.rect(fig, 0, y - tpx * 0.9, self.W, y + tpx * 0.9, self.accent)
            self.note(fig, self.L, y, esc(s), tpx, color="white")
            return
        fig["layout"]["title"] = {
            "text": esc(s),
            "x": 0.5 if pos == "center" else self.L / self.W,
            "xanchor": "center" if pos == "center" else "left",
            "xref": "container",
            "yref": "container",
            "y": 1 - y / self.H,
            "yanchor": "middle",
            "font": {"size": tpx, "color": self.accent},
        }

    def chrome(self, fig: dict, n: int, total: int) -> None:
        small = round(self.fpx * 0.8, 1)
        if self.o["header"]:
            y = self.T * 0.2
            self.note(fig, self.L, y, esc(self.d.org), small, color=self.accent)
            self.note(fig, self.W - self.R, y, "策略地圖與平衡計分卡", small, color=self.accent, xanchor="right")
            self.hline(fig, self.L, self.W - self.R, self.T * 0.32, self.accent, 0.8)
        if self.o["footer"]:
            y = self.H - self.B * 0.45
            self.hline(fig, self.L, self.W - self.R, self.H - self.B * 0.85, "#999999", 0.6)
            self.note(fig, self.L, y, esc(f"{self.d.org}｜策略地圖與平衡計分卡"), small, color="#666666")
            s = f"- {n} -" if self.o["footer"] == "dash" else f"{n} / {total}"
            if self.o["footer_align"] == "right":
                self.note(fig, self.W - self.R, y, s, small, color="#666666", xanchor="right")
            else:
                self.note(fig, self.W / 2, y, s, small, color="#666666", xanchor="center")

    # -- pages -------------------------------------------------------------------------------------------------
    def plan(self) -> None:
        self.pages = []
        self.margins = (self.L, self.R, self.T, self.B)
        self.cover()
        self.profile()
        self.strategy_map()
        for t in self.d.themes:
            self.theme(t)
        self.end()
        total = len(self.pages)
        for n, p in enumerate(self.pages, 1):
            if p.pop("_chrome"):
                self.margins = (self.L, self.R, self.T, self.B)
                self.chrome(p, n, total)
            if self.st["watermark"] and p.get("_mark"):
                self.note(
                    p,
                    self.W / 2,
                    self.H / 2,
                    "內部資料",
                    round(90 * self.k),
                    color="#a01818",
                    xanchor="center",
                    textangle=self.o["watermark_angle"],
                    opacity=self.o["watermark_opacity"],
                )
            p.pop("_mark", None)

    def add(self, fig: dict, chrome: bool = True, mark: bool = False) -> None:
        fig["_chrome"] = chrome
        fig["_mark"] = mark
        self.pages.append(fig)

    def cover(self) -> None:
        fig = self.base()
        k = self.k
        self.rect(fig, 0, 0, self.W, 24 * k, self.accent)
        self.note(fig, self.W / 2, self.H * 0.4, esc(self.d.org), round(40 * k), xanchor="center")
        self.note(fig, self.W / 2, self.H * 0.4 + 66 * k, "策略地圖與平衡計分卡", round(34 * k), xanchor="center")
        self.note(
            fig,
            self.W / 2,
            self.H * 0.4 + 120 * k,
            f"{self.d.plan_year}年度",
            round(22 * k),
            xanchor="center",
            color="#555555",
        )
        self.add(fig, chrome=False)

    def profile(self) -> None:
        fig = self.base()
        self.title(fig, f"{self.d.org}轄區概況")
        body = "<br>".join(esc(x) for x in self.d.profile_lines)
        self.note(
            fig, self.L + 40 * self.k, self.T + 30 * self.k, body, round(19 * self.k), yanchor="top", align="left"
        )
        self.add(fig)

    def strategy_map(self) -> None:
        d, k = self.d, self.k
        fig = self.base()
        self.title(fig, f"{d.org}策略地圖")
        self.note(fig, self.W - self.R, self.T * 0.5, d.map_date, round(16 * k), xanchor="right")
        self.note(
            fig, self.L + 10 * k, self.T + 10 * k, esc("願景：" + "、".join(t.shown for t in d.themes)), round(12 * k)
        )
        persps = [p for p in BSC_ORDER if any(o.perspective == p for t in d.themes for o in t.objectives)]
        y = self.T + 30 * k
        band = (self.H - self.B - y - 10 * k) / max(1, len(persps))
        for p in persps:
            self.rect(fig, self.L + 10 * k, y, self.L + 120 * k, y + band - 12 * k, self.accent)
            self.note(
                fig,
                self.L + 65 * k,
                y + (band - 12 * k) / 2,
                f"{p}構面",
                round(13 * k),
                color="white",
                xanchor="center",
            )
            x = self.L + 135 * k
            for t in d.themes:
                for o in t.objectives:
                    if o.perspective != p:
                        continue
                    lines = self.ink.wrap(o.shown, 11 * k, 140 * k)
                    w = max(self.ink.width(x_, 11 * k) for x_ in lines) + 16 * k
                    if x + w > self.W - self.R:
                        break
                    self.note(
                        fig,
                        x + w / 2,
                        y + (band - 12 * k) / 2,
                        br(lines),
                        round(11 * k, 1),
                        xanchor="center",
                        bgcolor="white",
                        bordercolor=self.accent,
                        borderwidth=1,
                        borderpad=4,
                    )
                    x += w + 14 * k
            y += band
        self.add(fig)

    def end(self) -> None:
        fig = self.base()
        self.note(fig, self.W / 2, self.H * 0.45, "敬請指教", round(48 * self.k), xanchor="center")
        self.add(fig, chrome=False)

    # -- theme tables ------------------------------------------------------------------------------------------
    def col_px(self, cols: list[Col]) -> list[float]:
        pw = self.W - self.L - self.R
        s = sum(c.weight for c in cols)
        return [c.weight / s * pw for c in cols]

    def fit(self, text: str, w: float) -> list[str]:
        return self.ink.wrap(text, self.fpx * (1.04 if self.o["bold_head"] else 1), w - 2 * CELL_PAD - 4)

    def head(self, cols: list[Col], ws: list[float]) -> tuple[list, float]:
        """Header `values` per column and the head's height (one or two header rows)."""
        st = self.st["year_header"]
        bold = self.o["bold_head"]

        def cell(s: str, w: float) -> tuple[str, int]:
            lines = self.fit(s, w)
            t = br(lines)
            return (f"<b>{t}</b>" if bold and t else t), len(lines)

        if st == "two_row" and self.o["two_row"] == "rows":
            vals, n0, n1 = [], 1, 1
            for c, w in zip(cols, ws):
                a, na = cell(c.group or c.label, w)
                b, nb = cell(c.sub or "", w)
                vals.append([a, b])
                n0, n1 = max(n0, na), max(n1, nb)
            return vals, self.row_h(n0) + self.row_h(n1)
        vals, n = [], 1
        for c, w in zip(cols, ws):
            label = f"{c.sub}\n{c.group}" if st == "two_row" and c.group else c.label
            t, m = cell(label, w)
            vals.append([t])
            n = max(n, m)
        return vals, self.row_h(n)

    def row_h(self, n: int) -> float:
        return max(float(self.o["cells_h"]), n * self.lh + 0.25 * self.fpx + 2 * CELL_PAD + 2)

    def row_cells(self, r: Row, cols: list[Col], ws: list[float], prev: Row | None, prev_slide: list[Row]) -> dict:
        """Each column's lines for one row on a slide (labels first of their run only, or repeated)."""
        out = {}
        if r.kind == "band":
            out[cols[0].id] = self.fit(r.cells["band"], ws[0])
            return out
        for c, w in zip(cols, ws):
            s = r.cells.get(c.id, "")
            if c.id in ("persp", "obj") and self.o["labels"] == "first":
                same = (
                    prev is not None
                    and prev.kind == "kpi"
                    and (prev.persp == r.persp if c.id == "persp" else prev.obj is r.obj)
                )
                if prev is None and self.st["blank_cont"] and continues(prev_slide, r, c.id):
                    same = True
                if same:
                    out[c.id] = []
                    continue
                if c.id == "persp" and self.st["persp_mode"] in ("rotated", "stacked"):
                    out[c.id] = list(s)
                    continue
            out[c.id] = self.fit(s, w)
        return out

    def theme(self, t) -> None:
        d, st = self.d, self.st
        cols = columns(d)
        ws = self.col_px(cols)
        hvals, hh = self.head(cols, ws)
        rows = theme_rows(d, t)
        avail = self.H - self.T - self.B - hh - 4
        max_rows = self.cut.get(t.letter, int(st["max_rows"]))
        slides: list[list[tuple[Row, dict, float]]] = []
        for part in chunk(rows, max_rows):
            cur: list = []
            y = 0.0
            for r in part:
                prev = cur[-1][0] if cur else None
                cells = self.row_cells(r, cols, ws, prev, [x[0] for x in slides[-1]] if slides else [])
                h = self.row_h(max([len(v) for v in cells.values()] + [1]))
                if cur and y + h > avail:
                    carry = [cur.pop()] if cur[-1][0].kind == "band" else []
                    slides.append(cur)
                    cur, y = [], 0.0
                    for c_ in carry:
                        cur.append(c_)
                        y += c_[2]
                    cells = self.row_cells(r, cols, ws, cur[-1][0] if cur else None, [x[0] for x in slides[-1]])
                    h = self.row_h(max([len(v) for v in cells.values()] + [1]))
                cur.append((r, cells, h))
                y += h
            slides.append(cur)
        for i, sl in enumerate(slides):
            self.margins = (self.L, self.R, self.T, self.B)
            fig = self.base()
            self.title(fig, theme_title(d, t, i + 1, len(slides)))
            if st["logo"] or self.o["logo"]:
                self.note(
                    fig,
                    self.W - self.R,
                    self.T * (0.62 if self.o["header"] else 0.5),
                    esc(d.short),
                    round(15 * self.k),
                    xanchor="right",
                    color=self.accent,
                    bordercolor=self.accent,
                    borderwidth=1,
                    borderpad=4,
                )
            fig["data"].append(self.table_trace(cols, ws, hvals, sl))
            self.add(fig, mark=True)
            self.table_pages[len(self.pages)] = self.H - self.B

    def table_trace(self, cols: list[Col], ws: list[float], hvals: list, sl: list) -> dict:
        o, st = self.o, self.st
        rules = st["rules"]
        values = []
        for c in cols:
            values.append([br(cells.get(c.id, [])) for _, cells, _ in sl])
        aligns = []
        for c in cols:
            if c.id in ("a0", "a1", "a2", "t", "w") and o["values_align"] != "same":
                aligns.append(o["values_align"])
            elif c.id == "persp" and st["persp_mode"] in ("rotated", "stacked"):
                aligns.append("center")
            else:
                aligns.append(st["halign"])
        trace = {
            "type": "table",
            "columnwidth": [round(w, 1) for w in ws],
            "header": {
                "values": hvals,
                "align": "center",
                "height": o["cells_h"],
                "font": {"family": self.ink.css, "size": self.fpx},
            },
            "cells": {
                "values": values,
                "align": aligns,
                "height": o["cells_h"],
                "font": {"family": self.ink.css, "size": self.fpx, "color": "#222222"},
            },
        }
        if o["colours"] == "template":
            return trace
        hfill = HEAD_FILLS[o["hdr_fill"]]
        dark = o["hdr_fill"] in DARK_HEADS
        line = {"grid": o["rule_grey"], "hrules": "#d0d0d0", "zebra": "white", "none": "white"}[rules]
        if rules == "none":
            hfill, dark = "white", False
        trace["header"]["fill"] = {"color": hfill}
        trace["header"]["font"]["color"] = "white" if dark else "#222222"
        trace["header"]["line"] = {"color": line, "width": o["line_width"]}
        fills = []
        for i, (r, _, _) in enumerate(sl):
            if r.kind == "band":
                fills.append(HEAD_FILLS["light"] if dark or rules == "none" else hfill)
            elif rules == "zebra" and i % 2 == 1:
                fills.append(ZEBRA[o["zebra_fill"]])
            else:
                fills.append("white")
        trace["cells"]["fill"] = {"color": [fills] * len(cols)}
        trace["cells"]["line"] = {"color": line, "width": o["line_width"]}
        return trace


class ShapesCanvas:
    """draw_common's Canvas over Plotly figures: shapes and one annotation per text line on hidden axes in px."""

    def __init__(self, ink: Ink, opts: dict) -> None:
        self.ink, self.o = ink, opts
        self.W, self.H = float(opts["width"]), float(opts["height"])
        self.f = self.W / SIZES[opts["page"]][0]  # px per pt of the hand layout
        self.pages: list[dict] = []

    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        lay = {
            "width": self.W,
            "height": self.H,
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0, "pad": 0},
            "font": {"family": self.ink.css},
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "showlegend": False,
            "xaxis": {"visible": False, "range": [0, self.W], "fixedrange": True},
            "yaxis": {"visible": False, "range": [self.H, 0], "fixedrange": True},
            "annotations": [],
            "shapes": [],
        }
        if self.o["template"] != "plotly":
            lay["template"] = self.o["template"]
        self.pages.append({"data": [], "layout": lay})

    @staticmethod
    def rgb(c: tuple) -> str:
        return "rgb({},{},{})".format(*(round(v * 255) for v in c))

    def width(self, s: str, size: float) -> float:
        return self.ink.width(s, size)

    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0)) -> None:
        f = self.f
        w = self.width(s, size)
        a = {
            "showarrow": False,
            "xref": "x",
            "yref": "y",
            "text": esc(s),
            "borderpad": 0,
            "font": {"size": round(size * f, 2), "color": self.rgb(color)},
        }
        if angle == 90:
            a.update(x=(x - 0.35 * size) * f, y=(y - w / 2) * f, textangle=-90, xanchor="center", yanchor="middle")
        elif angle:
            import math

            r = math.radians(angle)
            cx, cy = x + w / 2 * math.cos(r), y - w / 2 * math.sin(r)
            a.update(x=cx * f, y=cy * f, textangle=-angle, xanchor="center", yanchor="middle", opacity=0.6)
        else:
            a.update(x=x * f, y=(y - 0.35 * size) * f, xanchor="left", yanchor="middle")
        self.pages[-1]["layout"]["annotations"].append(a)

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: tuple = (0, 0, 0)) -> None:
        f = self.f
        self.pages[-1]["layout"]["shapes"].append(
            {
                "type": "line",
                "xref": "x",
                "yref": "y",
                "x0": x0 * f,
                "y0": y0 * f,
                "x1": x1 * f,
                "y1": y1 * f,
                "line": {"color": self.rgb(color), "width": round(width * f, 2)},
            }
        )

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: tuple, stroke: tuple | None = None) -> None:
        f = self.f
        self.pages[-1]["layout"]["shapes"].append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "y",
                "x0": x0 * f,
                "y0": y0 * f,
                "x1": x1 * f,
                "y1": y1 * f,
                "fillcolor": self.rgb(fill),
                "layer": "below",
                "line": {"width": 1 if stroke else 0, "color": self.rgb(stroke or fill)},
            }
        )


class ShapesDrawer(DeckDrawer):
    """draw_common's layout with a head as tall as its longest wrapped label (the author checked the printout:
    draw_common gives one-row heads one line, and narrow year columns wrap '實際值(110年)' into the first row)."""

    def head_height(self, cols: list[Col], xs: list[float]) -> float:
        base = super().head_height(cols, xs)
        two = self.d.style["year_header"] == "two_row"
        n = 1
        for j, col in enumerate(cols):
            if two and col.group:
                continue
            n = max(n, len(self.cell_lines(col, col.label, xs[j + 1] - xs[j])))
        return max(base, n * self.lh + 6)


def run_driver(job: Path, timeout: float) -> list[str]:
    """Run the driver; kaleido 0.2.1's Chromium now and then hangs at its first figure, so a run that takes
    too long is killed (with its Chromium processes, in their own session) and started again."""
    import signal

    for _ in range(3):
        proc = subprocess.Popen(
            [python(), str(DRIVER), str(job)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            continue
        if proc.returncode:
            raise RuntimeError(f"plotly driver failed: {err[-2000:]}")
        return json.loads(out.strip().splitlines()[-1])["files"]
    raise RuntimeError("plotly driver hung 3 times")


def export(pages: list[dict], opts: dict, out_pdf: Path) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="plotly-"))
    try:
        job = {
            "dir": str(tmp),
            "mathjax_box": opts["mathjax_box"],
            "pages": [
                {"fig": p, "width": opts["width"], "height": opts["height"], "scale": opts["scale"]} for p in pages
            ],
        }
        (tmp / "job.json").write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        files = run_driver(tmp / "job.json", 60 + 15 * len(pages))
        # Chromium rounds the page height down to its 0.12 pt grid (827 px -> 619.92 pt): a figure a hair taller
        # spills onto a blank second page, so only the first page of each figure's PDF is kept
        if opts["join"] == "qpdf" and shutil.which("qpdf"):
            pages_arg = [x for f in files for x in (f, "1")]
            subprocess.run(["qpdf", "--empty", "--pages", *pages_arg, "--", str(out_pdf)], check=True)
        else:
            from pypdf import PdfWriter

            wr = PdfWriter()
            for f in files:
                wr.append(f, pages=(0, 1))
            with open(out_pdf, "wb") as fh:
                wr.write(fh)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def clipped(pdf: Path, fig: Figures, opts: dict) -> dict[int, int]:
    """Theme pages whose table runs past the plot area: cell-size text ending below its bottom (Plotly scrolls
    the table and cuts the row at the edge).  Returns {page: 1}."""
    import pymupdf

    k = 0.75 * opts["scale"]
    size = fig.fpx * k
    out = {}
    doc = pymupdf.open(str(pdf))
    for pno, bottom in fig.table_pages.items():
        page = doc[pno - 1]
        for b in page.get_text("dict")["blocks"]:
            for ln in b.get("lines", []):
                for sp in ln["spans"]:
                    if abs(sp["size"] - size) < 0.3 * k and sp["text"].strip() and sp["bbox"][3] > bottom * k + 1:
                        out[pno] = 1
    return out


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options.  Returns the options used (with 'problems' from layout.check)."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    if opts["font"] not in FACES:
        opts["font"] = st["font"]
    installed_version()
    out_pdf = Path(out_pdf)
    ink = Ink(opts)
    cut: dict[str, int] = {}
    problems: list[str] = []
    for _ in range(8):
        if opts["engine"] == "shapes":
            canvas = ShapesCanvas(ink, opts)
            ShapesDrawer(
                deck,
                canvas,
                {"page": opts["page"], "font_pt": opts["font_pt"], "logo": opts["logo"], "watermark_angle": 30},
            ).draw()
            export(canvas.pages, opts, out_pdf)
            bad: dict[int, int] = {}
        else:
            fig = Figures(deck, ink, opts)
            fig.cut = cut
            fig.plan()
            export(fig.pages, opts, out_pdf)
            bad = clipped(out_pdf, fig, opts)
        try:
            find_pages(out_pdf, deck)
            problems = check(out_pdf, deck)
            lost = False
        except ValueError as e:  # a KPI row not drawn at all (scrolled away)
            problems, lost = [str(e)], True
        if not bad and not lost and not any("outside the page" in p for p in problems):
            break
        if opts["engine"] == "shapes":
            if opts["font_pt"] <= 6:
                break
            opts["font_pt"] -= 1
            continue
        # the author looks at the output and cuts the themes shorter (rows per slide)
        for t in deck.themes:
            cut[t.letter] = max(1, cut.get(t.letter, int(st["max_rows"])) - 1)
        if all(v == 1 for v in cut.values()):
            opts["font_pt"] = max(6, opts["font_pt"] - 1)
    opts["cut"] = dict(cut)
    opts["problems"] = problems
    return opts
