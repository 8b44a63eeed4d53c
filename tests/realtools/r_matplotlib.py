"""matplotlib renderer: the deck drawn as matplotlib figures and written by matplotlib's own PDF backend
(`backend_pdf`, PyPI matplotlib 3.11.2), as analysts draw table slides in Python notebooks and save them with
`PdfPages` (one figure per slide, `d.infodict()` metadata) or `fig.savefig(..., bbox_inches='tight')`.

matplotlib has no text layout beyond one Text artist: it does not wrap inside table cells (and `wrap=True`
wraps at spaces only, to the figure edge), so the author breaks every cell at any character by measuring each
candidate line with the renderer (`renderer.get_text_width_height_descent` of an Agg canvas at 72 dpi, so pixels
are points) and joins the lines with '\\n'; the Text artist then stacks them itself (`linespacing`, default 1.2
times the height of 'lp', `multialignment` from `ha`), and the row height is the measured extent of that
multi-line Text (`get_window_extent`) plus padding.  Slides are cut by the deck's rows per slide and again by
height; a report (A4 portrait or landscape) is cut by height only, with title and head again on every page.

Tables (method):
- `table`: `ax.table(cellText=..., colWidths=..., cellLoc=..., edges=...)` in an axes placed over the table area
  (`ax.axis('off')`, `bbox=[0, 0, 1, 1]` so the per-row heights set on every cell are scaled as a whole), edges
  'closed' (grid), 'horizontal', 'BT' or 'open', header and zebra fills by `cell.set_facecolor`, font size
  fixed by `auto_set_font_size(False)` + `set_fontsize` or left to matplotlib's auto sizing (the author's wrap
  leaves room for it, so it keeps the size); cell text is always centred vertically (`Cell._set_text_position`)
  and a left-aligned cell starts at 10 % of its width (`Cell.PAD`), so lines are wrapped to 80 % of the cell.
  Table has no spans: merged 構面/策略目標 labels and band rows are cells with `visible_edges` chosen so the run
  looks like one cell, the label drawn by `ax.text` over the run (rotated 90 or one character a line).
- `hand`: `fig.text` per cell (`va` top or center, `ha` left or center, `linespacing`), rules as `Line2D`,
  fills as `Rectangle` patches, all in figure coordinates.

Fonts: `font_manager.fontManager.addfont` of a face of fonts.py, then `rcParams['font.family']` either the face
alone or ['DejaVu Sans', face] (matplotlib >= 3.6 glyph fallback: ASCII in DejaVu Sans, CJK from the face, a
line then two runs in two fonts).  Head text `fontweight='bold'`: DejaVu Sans Bold for ASCII, the regular CJK
face (no bold face, no synthetic bold; matplotlib warns 'Failed to find font weight').
`pdf.fonttype` 3 (the default: Type 3 fonts, CharProcs named after the glyphs, ToUnicode; a second Type 3 font
for the glyphs beyond the first 256 codes) or 42 (Type0 Identity-H: CIDFontType2 subsets for TrueType faces,
for the Noto CJK faces a CIDFontType0C whose FontFile3 holds the whole OpenType subset, which poppler calls a
'mismatch between font type and embedded font file').  `pdf.compression` 0..9.

Pages: figsize 10 x 7.5 in (4:3), 13.33 x 7.5 in (16:9), A4 landscape, or A4 portrait for a report; cover,
profile, a strategy map (objective boxes as `fig.text` with a `bbox`), theme tables, closing slide.  Title
text coloured or white on a bar, '--k/n' parts; running footer (office name, '- n -' or 'n / N'), optional
running header; watermark '內部資料' by `fig.text(alpha=...)` rotated, over or under the table (zorder).
`bbox_inches='tight'` crops every page to its drawing, so page sizes differ from page to page.  Metadata by
`PdfPages(metadata=...)`, `d.infodict()` or none (matplotlib writes Creator/Producer anyway).
"""

from __future__ import annotations

import random
from functools import cache
from importlib import metadata
from pathlib import Path

from .fonts import charset, face_file
from .layout import Col, Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, fold

MATPLOTLIB = "3.11.2"  # PyPI matplotlib, tests/realtools/requirements.txt
PAGES = {"4:3": (10.0, 7.5), "16:9": (13.333, 7.5), "A4L": (11.69, 8.27), "A4": (8.27, 11.69)}
FACES = ["Noto Sans CJK TC", "Noto Serif CJK TC", "WenQuanYi Zen Hei", "AR PL UMing TW"]
NAVY = (0.12, 0.23, 0.41)
HEAD_FILLS = {"light": (0.85, 0.9, 0.97), "gray": (0.88, 0.88, 0.88), "sand": (0.98, 0.93, 0.82), "c0": "#d6e4f0"}
ZEBRA_FILLS = {"blue": (0.92, 0.95, 0.98), "gray": (0.94, 0.94, 0.94)}
RULE_COLORS = {"black": (0, 0, 0), "gray": (0.5, 0.5, 0.5), "navy": NAVY}
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}"}
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def mpl():
    try:
        import matplotlib
    except ImportError as e:
        raise RuntimeError(f"matplotlib is not installed: pip install matplotlib=={MATPLOTLIB} ({e})") from e
    if matplotlib.__version__ != MATPLOTLIB:
        raise RuntimeError(f"matplotlib {MATPLOTLIB} is wanted, {matplotlib.__version__} is installed")
    matplotlib.use("pdf", force=True)
    return matplotlib


@cache
def tool_version(engine: str | None = None) -> str:
    return f"matplotlib {metadata.version('matplotlib')} (backend_pdf, pdf.fonttype {engine or 3})"


def producer_options(rng: random.Random, style: dict) -> dict:
    report = rng.random() < 0.25
    return {
        "engine": rng.choice(["3", "3", "42"]),
        "method": rng.choice(["table", "table", "hand"]),
        "report": report,
        "page": rng.choice(["A4", "A4L"]) if report else style["page"],
        "font_pt": min(style["font_pt"], 9) if report else style["font_pt"],
        "font": style["font"],
        "fallback": rng.random() < 0.6,
        "auto_font": rng.random() < 0.3,
        "linespacing": rng.choice([1.2, 1.2, 1.1, 1.35]),
        "bold": rng.random() < 0.6,
        "title_bar": rng.random() < 0.35,
        "hdr_fill": rng.choice([None, *HEAD_FILLS]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "rule_width": rng.choice([0.5, 0.8, 1.0]),
        "edges_bt": rng.random() < 0.3,
        "header": rng.random() < 0.3,
        "footer": rng.choice([None, "dash", "dash", "of"]),
        "footer_align": rng.choice(["right", "center"]),
        "watermark_alpha": rng.choice([0.12, 0.2, 0.3]),
        "watermark_angle": rng.choice([30, 45, 0]),
        "watermark_over": rng.random() < 0.5,
        "tight": rng.random() < 0.3,
        "pad_inches": rng.choice([0.4, 0.5]),  # 0.1 (the default) cuts into the line box readers see
        "compression": rng.choice([6, 6, 9, 0, 1]),
        "info": rng.choice([None, "metadata", "infodict"]),
    }


class Ink:
    """Fonts, printable text and measuring (an Agg renderer at 72 dpi: pixels are points)."""

    def __init__(self, opts: dict) -> None:
        m = mpl()
        import logging

        # 'findfont: Failed to find font weight bold for ...': head text then falls back to the regular face
        logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
        from matplotlib import font_manager as fm
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.family = opts["font"]
        path = face_file(self.family)
        fm.fontManager.addfont(path)
        self.name = fm.FontProperties(fname=path).get_name()
        self.families = ["DejaVu Sans", self.name] if opts["fallback"] else [self.name]
        m.rcParams.update(
            {
                "pdf.fonttype": int(opts["engine"]),
                "pdf.compression": int(opts["compression"]),
                "font.family": self.families,
                "text.usetex": False,
                "axes.unicode_minus": False,
            }
        )
        self.cs = set(charset(self.family))
        if opts["fallback"]:
            from fontTools.ttLib import TTFont

            self.cs |= set(TTFont(DEJAVU, lazy=True).getBestCmap())
        fig = Figure(dpi=72)
        FigureCanvasAgg(fig)
        self.scratch = fig
        self.r = fig.canvas.get_renderer()
        self.fm = fm
        self.ls = float(opts["linespacing"])
        self._w: dict = {}

    def fp(self, size: float, bold: bool = False):
        return self.fm.FontProperties(family=self.families, size=size, weight="bold" if bold else "normal")

    def p(self, s: str) -> str:
        """What the deck can print: characters no font has folded to the plain form (same truth)."""
        return "".join(c if c in "\n " or ord(c) in self.cs else fold(c) for c in s)

    def width(self, s: str, size: float, bold: bool = False) -> float:
        key = (s, size, bold)
        if key not in self._w:
            w, _, _ = self.r.get_text_width_height_descent(s, self.fp(size, bold), ismath=False)
            self._w[key] = w
        return self._w[key]

    def wrap(self, text: str, size: float, width: float, bold: bool = False) -> str:
        """The author's helper: break at any character once the measured line is too wide."""
        out = []
        for para in self.p(text).split("\n"):
            line = ""
            for ch in para:
                if line and self.width(line + ch, size, bold) > width:
                    out.append(line)
                    line = ch
                else:
                    line += ch
            out.append(line)
        return "\n".join(out)

    def block_h(self, s: str, size: float, bold: bool = False, rotation: float = 0) -> float:
        """Height of a (multi-line) Text artist as matplotlib lays it out."""
        t = self.scratch.text(
            0, 0, s or " ", fontproperties=self.fp(size, bold), linespacing=self.ls, rotation=rotation, parse_math=False
        )
        h = t.get_window_extent(self.r).height
        t.remove()
        return h


class Slides:
    """Lays the deck out in points (y down) and draws each page as a matplotlib Figure."""

    def __init__(self, deck: Deck, ink: Ink, opts: dict) -> None:
        self.d, self.ink, self.o = deck, ink, opts
        self.st = deck.style
        self.Wi, self.Hi = PAGES[opts["page"]]
        self.W, self.H = self.Wi * 72, self.Hi * 72
        self.pt = float(opts["font_pt"])
        self.pad = 3.0
        self.rc = RULE_COLORS[opts["rule_color"]]
        self.pages: list[tuple] = []  # (kind, payload)
        self.rgb = (0.1, 0.3, 0.55)

    # -- coordinates -----------------------------------------------------------------------------------------
    def fx(self, x: float) -> float:
        return x / self.W

    def fy(self, y: float) -> float:
        return 1 - y / self.H

    def text(self, fig, x, y, s, size, **kw):
        kw.setdefault("parse_math", False)
        kw.setdefault("linespacing", self.ink.ls)
        bold = kw.pop("bold", False)
        return fig.text(self.fx(x), self.fy(y), self.ink.p(s), fontproperties=self.ink.fp(size, bold), **kw)

    def line(self, fig, x0, y0, x1, y1, width=None, color=None, zorder=2):
        from matplotlib.lines import Line2D

        fig.add_artist(
            Line2D(
                [self.fx(x0), self.fx(x1)],
                [self.fy(y0), self.fy(y1)],
                transform=fig.transFigure,
                linewidth=width or self.o["rule_width"],
                color=color or self.rc,
                zorder=zorder,
            )
        )

    def rect(self, fig, x0, y0, x1, y1, fill, zorder=0.5, edge=None):
        from matplotlib.patches import Rectangle

        fig.add_artist(
            Rectangle(
                (self.fx(x0), self.fy(y1)),
                (x1 - x0) / self.W,
                (y1 - y0) / self.H,
                transform=fig.transFigure,
                facecolor=fill,
                edgecolor=edge or "none",
                linewidth=0.8 if edge else 0,
                zorder=zorder,
            )
        )

    # -- layout ----------------------------------------------------------------------------------------------
    def wrap_w(self, w: float, centre: bool) -> float:
        if self.o["method"] == "table" and not centre:
            return w * 0.8 - 1
        return w - 2 * self.pad - 1

    def centre(self, header: bool = False) -> bool:
        return header or self.st["halign"] == "center"

    def cell_text(self, s: str, w: float, header: bool = False) -> str:
        bold = header and self.o["bold"]
        return self.ink.wrap(s, self.pt, self.wrap_w(w, self.centre(header)), bold)

    def height(self, s: str, header: bool = False) -> float:
        return self.ink.block_h(s, self.pt, header and self.o["bold"]) + 2 * self.pad + 2

    def geometry(self, cols: list[Col]) -> list[float]:
        usable = self.W - 60
        scale = usable / sum(c.weight for c in cols)
        xs = [30.0]
        for c in cols:
            xs.append(xs[-1] + c.weight * scale)
        return xs

    def head(self, cols: list[Col], xs: list[float]) -> tuple[list[dict], float]:
        """Head cells [{x0, x1, row (0|1|'both'), text}] and the head height."""
        two = self.st["year_header"] == "two_row"
        cells, hs = [], [self.height("")]
        j = 0
        while j < len(cols):
            c = cols[j]
            if two and c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                g = self.cell_text(c.group, xs[k + 1] - xs[j], True)
                cells.append({"x0": xs[j], "x1": xs[k + 1], "row": 0, "text": g, "j": (j, k)})
                hs.append(2 * self.height(g, True))
                for m in range(j, k + 1):
                    s = self.cell_text(cols[m].sub or "", xs[m + 1] - xs[m], True)
                    cells.append({"x0": xs[m], "x1": xs[m + 1], "row": 1, "text": s, "j": (m, m)})
                    hs.append(2 * self.height(s, True))
                j = k + 1
                continue
            s = self.cell_text(c.label, xs[j + 1] - xs[j], True)
            cells.append({"x0": xs[j], "x1": xs[j + 1], "row": "both" if two else 0, "text": s, "j": (j, j)})
            hs.append(self.height(s, True))
            j += 1
        return cells, max(hs)

    def row(self, r: Row, cols: list[Col], xs: list[float]) -> tuple[dict, float]:
        if r.kind == "band":
            s = self.ink.p(r.cells["band"])
            return {"band": s}, self.height(s, True)
        texts, h = {}, self.height("")
        for j, c in enumerate(cols):
            s = self.cell_text(r.cells.get(c.id, ""), xs[j + 1] - xs[j])
            texts[c.id] = s
            if c.id == "persp" and self.st["persp_mode"] != "column":
                continue
            h = max(h, self.height(s))
        return texts, h

    def label_need(self, label: str) -> float:
        if self.st["persp_mode"] == "rotated":
            return self.ink.width(self.ink.p(label), self.pt) + 2 * self.pad + 4
        return self.ink.block_h("\n".join(self.ink.p(label)), self.pt) + 2 * self.pad + 4

    def plan(self) -> None:
        d = self.d
        self.pages.append(("cover", None))
        self.pages.append(("profile", None))
        self.pages.append(("map", None))
        for t in d.themes:
            cols = columns(d)
            xs = self.geometry(cols)
            hcells, hh = self.head(cols, xs)
            rows = theme_rows(d, t)
            top = 64.0 if not self.o["header"] else 74.0
            bottom = self.H - (40 if self.o["footer"] else 26)
            max_rows = 99 if self.o["report"] else int(self.o["max_rows"])
            parts = []
            for part in chunk(rows, max_rows):
                cur, y = [], top + hh
                for r in part:
                    texts, h = self.row(r, cols, xs)
                    if cur and y + h > bottom and not (cur[-1][0].kind == "band" and len(cur) == 1):
                        # a band row is kept with the row after it
                        carry = [cur.pop()] if cur[-1][0].kind == "band" else []
                        parts.append(cur)
                        cur, y = carry, top + hh + sum(x[2] for x in carry)
                    cur.append((r, texts, h))
                    y += h
                parts.append(cur)
            for i, pr in enumerate(parts):
                self.stretch(pr)
                self.pages.append(("theme", (t, i, len(parts), cols, xs, hcells, hh, pr, parts[i - 1] if i else [])))
        self.pages.append(("end", None))

    def stretch(self, pr: list) -> None:
        """Grow the last row of a 構面 run whose rotated or stacked label is taller than its rows."""
        if self.st["persp_mode"] not in ("rotated", "stacked"):
            return
        rows = [x[0] for x in pr]
        for start, n in runs(rows, "persp"):
            need = self.label_need(rows[start].cells["persp"])
            have = sum(pr[i][2] for i in range(start, start + n))
            if need > have:
                r, tx, h = pr[start + n - 1]
                pr[start + n - 1] = (r, tx, h + need - have)

    # -- drawing ---------------------------------------------------------------------------------------------
    def figure(self):
        from matplotlib.figure import Figure

        return Figure(figsize=(self.Wi, self.Hi), dpi=72)

    def draw_all(self, out: Path) -> None:
        from matplotlib.backends.backend_pdf import PdfPages

        md = None
        if self.o["info"] == "metadata":
            md = {"Title": f"{self.d.org}策略地圖與平衡計分卡", "Author": self.d.org, "Subject": "平衡計分卡"}
        with PdfPages(str(out), metadata=md) as pdf:
            if self.o["info"] == "infodict":
                info = pdf.infodict()
                info["Title"] = f"{self.d.org} BSC {self.d.plan_year}"
                info["Author"] = "研考"
                info["Keywords"] = "策略地圖, 平衡計分卡"
            total = len(self.pages)
            for n, (kind, payload) in enumerate(self.pages, 1):
                fig = self.figure()
                getattr(self, f"draw_{kind}")(fig, payload)
                if kind not in ("cover", "end"):
                    self.chrome(fig, n, total)
                if self.o["tight"]:
                    pdf.savefig(fig, bbox_inches="tight", pad_inches=self.o["pad_inches"])
                else:
                    pdf.savefig(fig)

    def chrome(self, fig, n: int, total: int) -> None:
        grey = (0.4, 0.4, 0.4)
        if self.o["header"]:
            self.text(fig, 30, 20, self.d.org, 8, color=NAVY, va="baseline")
            self.text(fig, self.W - 30, 20, "策略地圖與平衡計分卡", 8, color=NAVY, ha="right", va="baseline")
            self.line(fig, 30, 25, self.W - 30, 25, 0.5, NAVY)
        if self.o["footer"]:
            self.line(fig, 30, self.H - 28, self.W - 30, self.H - 28, 0.5, (0.6, 0.6, 0.6))
            self.text(fig, 30, self.H - 16, f"{self.d.org}｜策略地圖與平衡計分卡", 7, color=grey, va="baseline")
            s = FOOTERS[self.o["footer"]].format(n=n, N=total)
            if self.o["footer_align"] == "right":
                self.text(fig, self.W - 30, self.H - 16, s, 7, color=grey, ha="right", va="baseline")
            else:
                self.text(fig, self.W / 2, self.H - 16, s, 7, color=grey, ha="center", va="baseline")

    def title(self, fig, s: str) -> None:
        if self.o["title_bar"]:
            self.rect(fig, 0, 26, self.W, 54, self.rgb, zorder=0.2)
            self.text(fig, 30, 46, s, 16, color="white", va="baseline", bold=self.o["bold"])
        else:
            self.text(fig, 30, 46, s, 16, color=self.rgb, va="baseline", bold=self.o["bold"])
            self.line(fig, 30, 52, self.W - 30, 52, 1.0, self.rgb)

    def draw_cover(self, fig, _) -> None:
        self.rect(fig, 0, 0, self.W, 18, self.rgb)
        self.text(fig, self.W / 2, self.H * 0.38, self.d.org, 30, ha="center", va="baseline")
        self.text(fig, self.W / 2, self.H * 0.38 + 50, "策略地圖與平衡計分卡", 26, ha="center", va="baseline")
        self.text(fig, self.W / 2, self.H * 0.38 + 90, f"{self.d.plan_year}年度", 16, ha="center", va="baseline")

    def draw_profile(self, fig, _) -> None:
        self.title(fig, f"{self.d.org}轄區概況")
        self.text(fig, 60, 100, "\n".join(self.d.profile_lines), 14, va="top", linespacing=2.0)

    def draw_map(self, fig, _) -> None:
        d = self.d
        self.title(fig, f"{d.org}策略地圖")
        self.text(fig, self.W - 30, 80, d.map_date, 12, ha="right", va="baseline")
        self.text(fig, 40, 80, "願景：" + "、".join(t.shown for t in d.themes), 9, va="baseline")
        persps = [p for p in BSC_ORDER if any(o.perspective == p for t in d.themes for o in t.objectives)]
        y = 96.0
        band = (self.H - y - 50) / max(1, len(persps))
        for p in persps:
            self.rect(fig, 40, y, 120, y + band - 10, self.rgb)
            self.text(fig, 80, y + (band - 10) / 2, f"{p}構面", 10, color="white", ha="center", va="center")
            x = 135.0
            for t in d.themes:
                for o in t.objectives:
                    if o.perspective != p:
                        continue
                    s = self.ink.wrap(o.shown, 8, 110)
                    w = min(120.0, self.ink.width(s.split("\n")[0], 8)) + 14
                    if x + w > self.W - 30:
                        break
                    self.text(
                        fig,
                        x + w / 2,
                        y + (band - 10) / 2,
                        s,
                        8,
                        ha="center",
                        va="center",
                        bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": self.rgb},
                    )
                    x += w + 12
            y += band

    def draw_end(self, fig, _) -> None:
        self.text(fig, self.W / 2, self.H * 0.45, "敬請指教", 36, ha="center", va="center")

    def draw_theme(self, fig, payload) -> None:
        t, i, n, cols, xs, hcells, hh, pr, prev = payload
        self.title(fig, theme_title(self.d, t, i + 1, n))
        top = 64.0 if not self.o["header"] else 74.0
        ys, y = [], top + hh
        for _, _, h in pr:
            ys.append((y, y + h))
            y += h
        if self.o["method"] == "table":
            self.mpl_table(fig, cols, xs, hcells, hh, pr, prev, top, ys)
        else:
            self.hand_table(fig, cols, xs, hcells, hh, pr, prev, top, ys)
        if self.st["watermark"]:
            self.text(
                fig,
                self.W / 2,
                self.H / 2 + 30,
                "內部資料",
                64,
                ha="center",
                va="center",
                rotation=self.o["watermark_angle"],
                color=(0.6, 0.1, 0.1),
                alpha=self.o["watermark_alpha"],
                zorder=10 if self.o["watermark_over"] else 0.1,
            )

    def spans(self, rows: list[Row], prev: list[Row], key: str) -> list[tuple[int, int, str]]:
        out = []
        prev_rows = [x for x in prev]
        for start, k in runs(rows, key):
            r = rows[start]
            blank = start == 0 and self.st["blank_cont"] and continues(prev_rows, r, key)
            out.append((start, k, "" if blank else r.cells[key]))
        return out

    def merged(self, cols: list[Col], rows: list[Row], prev: list[Row]) -> dict[str, list]:
        ids = [c.id for c in cols]
        return {key: self.spans(rows, prev, key) for key in ("persp", "obj") if key in ids}

    def span_text(self, key: str, text: str, w: float) -> tuple[str, float]:
        mode = self.st["persp_mode"] if key == "persp" else "column"
        if mode == "rotated":
            return self.ink.p(text), 90
        if mode == "stacked":
            return "\n".join(self.ink.p(text)), 0
        return self.cell_text(text, w), 0

    # matplotlib.table ---------------------------------------------------------------------------------------
    def mpl_table(self, fig, cols, xs, hcells, hh, pr, prev, top, ys) -> None:
        o, st = self.o, self.st
        rules = st["rules"]
        two = st["year_header"] == "two_row"
        nh = 2 if two else 1
        x0, x1 = xs[0], xs[-1]
        y1 = ys[-1][1] if ys else top + hh
        ax = fig.add_axes([self.fx(x0), self.fy(y1), (x1 - x0) / self.W, (y1 - top) / self.H])
        ax.axis("off")
        rows = [x[0] for x in pr]
        merged = self.merged(cols, rows, [x[0] for x in prev])
        in_span = {}
        for key, sp in merged.items():
            j = [c.id for c in cols].index(key)
            for start, k, _ in sp:
                for m in range(start, start + k):
                    in_span[(m, j)] = ("first" if m == start else "") + ("last" if m == start + k - 1 else "")
        cell_text, heights = [], []
        head_rows = [["" for _ in cols] for _ in range(nh)]
        over = []  # head labels drawn by ax.text over a group of columns or over both head rows
        for hc in hcells:
            j0, _ = hc["j"]
            if hc["row"] == 1 or not two:
                head_rows[0 if not two else 1][j0] = hc["text"]
            else:
                over.append(hc)
        cell_text += head_rows
        heights += [hh / nh] * nh
        for r, texts, h in pr:
            if r.kind == "band":
                cell_text.append(["" for _ in cols])
            else:
                cell_text.append(["" if c.id in merged else texts[c.id] for c in cols])
            heights.append(h)
        edges = {"grid": "closed", "hrules": "horizontal", "none": "open", "zebra": "open"}[rules]
        if rules == "hrules" and o["edges_bt"]:
            edges = "BT"
        widths = [(xs[j + 1] - xs[j]) for j in range(len(cols))]
        loc = "center" if st["halign"] == "center" else "left"
        tab = ax.table(cellText=cell_text, colWidths=widths, cellLoc=loc, edges=edges, bbox=[0, 0, 1, 1])
        if o["auto_font"]:
            tab.set_fontsize(self.pt)  # left to auto_set_font_size, which keeps it: lines are wrapped short
        else:
            tab.auto_set_font_size(False)
            tab.set_fontsize(self.pt)
        hfill = HEAD_FILLS.get(o["hdr_fill"] or "")
        zebra = ZEBRA_FILLS[o["zebra_fill"]]
        for (ri, j), cell in tab.get_celld().items():
            cell.set_height(heights[ri])
            cell.set_linewidth(o["rule_width"])
            cell.set_edgecolor(self.rc)
            txt = cell.get_text()
            txt.set_linespacing(self.ink.ls)
            txt.set_parse_math(False)
            txt.set_fontfamily(self.ink.families)
            if ri < nh:
                txt.set_horizontalalignment("center")
                if o["bold"]:
                    txt.set_fontweight("bold")
                if hfill and rules != "none":
                    cell.set_facecolor(hfill)
                if two and ri == 0:
                    self._two_row_edges(cell, cols, j, edges, hcells)
                elif two and ri == 1 and not cols[j].group:
                    cell.visible_edges = _edges(edges, top=False)
                continue
            r = pr[ri - nh][0]
            if rules == "zebra" and (ri - nh) % 2 == 1 and r.kind == "kpi":
                cell.set_facecolor(zebra)
            if r.kind == "band":
                cell.visible_edges = _edges(edges, left=j == 0, right=j == len(cols) - 1)
                if hfill and rules != "none":
                    cell.set_facecolor(hfill)
                continue
            pos = in_span.get((ri - nh, j))
            if pos is not None:
                cell.visible_edges = _edges(edges, top="first" in pos, bottom="last" in pos)
        if rules == "zebra":
            _rule(ax, 1.0, self.rc, o["rule_width"] * 1.5)
            _rule(ax, 1.0 - hh / (y1 - top), self.rc, o["rule_width"])
            _rule(ax, 0.0, self.rc, o["rule_width"] * 1.5)
        # labels over spans and band rows, in axes coordinates
        H = y1 - top

        def ay(y: float) -> float:
            return 1 - (y - top) / H

        for hc in over:
            ya, yb = (top, top + hh / 2) if hc["row"] == 0 else (top, top + hh)
            ax.text(
                ((hc["x0"] + hc["x1"]) / 2 - x0) / (x1 - x0),
                ay((ya + yb) / 2),
                hc["text"],
                ha="center",
                va="center",
                fontproperties=self.ink.fp(self.pt, o["bold"]),
                linespacing=self.ink.ls,
                parse_math=False,
                zorder=5,
            )
        for (r, _, _), (ya, yb) in zip(pr, ys):
            if r.kind == "band":
                ax.text(
                    0.01,
                    ay((ya + yb) / 2),
                    self.ink.p(r.cells["band"]),
                    ha="left",
                    va="center",
                    fontproperties=self.ink.fp(self.pt, o["bold"]),
                    parse_math=False,
                    zorder=5,
                )
        for key, sp in merged.items():
            j = [c.id for c in cols].index(key)
            for start, k, text in sp:
                if not text:
                    continue
                s, rot = self.span_text(key, text, xs[j + 1] - xs[j])
                ya, yb = ys[start][0], ys[start + k - 1][1]
                if loc == "left" and rot == 0 and key == "obj":
                    x, ha = (xs[j] + 0.1 * (xs[j + 1] - xs[j]) - x0) / (x1 - x0), "left"
                else:
                    x, ha = ((xs[j] + xs[j + 1]) / 2 - x0) / (x1 - x0), "center"
                ax.text(
                    x,
                    ay((ya + yb) / 2),
                    s,
                    ha=ha,
                    va="center",
                    rotation=rot,
                    fontproperties=self.ink.fp(self.pt),
                    linespacing=self.ink.ls,
                    parse_math=False,
                    zorder=5,
                )

    def _two_row_edges(self, cell, cols, j, edges, hcells) -> None:
        """First head row of the two-row head: a group cell spans its columns, a plain label spans both rows."""
        c = cols[j]
        if c.group:
            js = [m for m, x in enumerate(cols) if x.group == c.group]
            cell.visible_edges = _edges(edges, left=j == js[0], right=j == js[-1])
        else:
            cell.visible_edges = _edges(edges, bottom=False)

    # by hand -----------------------------------------------------------------------------------------------
    def hand_table(self, fig, cols, xs, hcells, hh, pr, prev, top, ys) -> None:
        o, st = self.o, self.st
        rules = st["rules"]
        two = st["year_header"] == "two_row"
        hfill = HEAD_FILLS.get(o["hdr_fill"] or "")
        rows = [x[0] for x in pr]
        y_end = ys[-1][1] if ys else top + hh
        boxes = []  # (x0, y0, x1, y1, text, kind) kind: head, cell, band, rot
        for hc in hcells:
            if hc["row"] == 0:
                y0, y1 = top, top + (hh / 2 if two else hh)
            elif hc["row"] == 1:
                y0, y1 = top + hh / 2, top + hh
            else:
                y0, y1 = top, top + hh
            boxes.append((hc["x0"], y0, hc["x1"], y1, hc["text"], "head"))
        merged = self.merged(cols, rows, [x[0] for x in prev])
        ids = [c.id for c in cols]
        for (r, texts, _), (ya, yb) in zip(pr, ys):
            if r.kind == "band":
                boxes.append((xs[0], ya, xs[-1], yb, self.ink.p(r.cells["band"]), "band"))
                continue
            for j, c in enumerate(cols):
                if c.id not in merged:
                    boxes.append((xs[j], ya, xs[j + 1], yb, texts[c.id], "cell"))
        for key, sp in merged.items():
            j = ids.index(key)
            for start, k, text in sp:
                s, rot = self.span_text(key, text, xs[j + 1] - xs[j]) if text else ("", 0)
                kind = "rot" if rot else ("stack" if key == "persp" and st["persp_mode"] == "stacked" else "cell")
                boxes.append((xs[j], ys[start][0], xs[j + 1], ys[start + k - 1][1], s, kind))
        if rules == "zebra":
            for i, ((r, _, _), (ya, yb)) in enumerate(zip(pr, ys)):
                if r.kind == "kpi" and i % 2 == 1:
                    self.rect(fig, xs[0], ya, xs[-1], yb, ZEBRA_FILLS[o["zebra_fill"]])
        if hfill and rules != "none":
            for b in boxes:
                if b[5] in ("head", "band"):
                    self.rect(fig, b[0], b[1], b[2], b[3], hfill)
        for x0, y0, x1, y1, _, _ in boxes:
            if rules == "grid":
                self.line(fig, x0, y0, x1, y0)
                self.line(fig, x0, y1, x1, y1)
                self.line(fig, x0, y0, x0, y1)
                self.line(fig, x1, y0, x1, y1)
            elif rules == "hrules":
                self.line(fig, x0, y1, x1, y1)
        if rules in ("hrules", "zebra"):
            self.line(fig, xs[0], top, xs[-1], top, o["rule_width"] * 1.5)
            self.line(fig, xs[0], top + hh, xs[-1], top + hh)
            self.line(fig, xs[0], y_end, xs[-1], y_end, o["rule_width"] * 1.5)
        for x0, y0, x1, y1, s, kind in boxes:
            if not s:
                continue
            head = kind in ("head", "band")
            if kind == "rot":
                self.text(fig, (x0 + x1) / 2, (y0 + y1) / 2, s, self.pt, rotation=90, ha="center", va="center")
                continue
            centre = kind in ("head", "stack") or st["halign"] == "center"
            middle = head or kind == "stack" or st["valign"] == "middle"
            x = (x0 + x1) / 2 if centre else x0 + self.pad
            if kind == "band":
                x, centre = x0 + self.pad, False
            y = (y0 + y1) / 2 if middle else y0 + self.pad + 1
            self.text(
                fig,
                x,
                y,
                s,
                self.pt,
                ha="center" if centre else "left",
                va="center" if middle else "top",
                bold=head and o["bold"],
                zorder=5,
            )


def _edges(edges: str, top: bool = True, bottom: bool = True, left: bool = True, right: bool = True) -> str:
    """The edges of a cell under the table's `edges` style, with some sides taken away (spans)."""
    base = {"closed": "BRTL", "horizontal": "BT", "open": "", "BT": "BT"}[edges]
    drop = ("" if top else "T") + ("" if bottom else "B") + ("" if left else "L") + ("" if right else "R")
    return "".join(e for e in base if e not in drop) or "open"


def _rule(ax, y: float, color, width: float) -> None:
    ax.axhline(y, 0, 1, color=color, linewidth=width, zorder=4, clip_on=False)


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide, cut again by height).  Text
    outside the page makes the type smaller.  Returns the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    if opts["font"] not in FACES:
        opts["font"] = st["font"]
    opts.setdefault("max_rows", st["max_rows"])
    out_pdf = Path(out_pdf)
    ink = Ink(opts)
    # the text layer holds what the deck printed (lookalikes no font has are printed plain: same truth)
    for _, _, k in deck.kpis():
        k.shown = ink.p(k.shown)
        for v in k.values:
            v.text = ink.p(v.text)
        for p in k.plans:
            p.shown = ink.p(p.shown)
    while True:
        ink = Ink(opts)
        sl = Slides(deck, ink, opts)
        sl.plan()
        sl.draw_all(out_pdf)
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck)
        if any("outside the page" in p for p in problems) and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        break
    opts["problems"] = problems
    return opts
