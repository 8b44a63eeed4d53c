"""svg2pdf renderer: the deck authored as SVG pages, one per slide, the way SVG-emitting tools write them (d3
dashboards, templating scripts, design exports), each page converted by svg2pdf 0.13 (the Rust SVG-to-PDF
converter of the Typst ecosystem, on usvg/resvg 0.45 with rustybuzz shaping, fontdb font selection, its
own subsetter and ToUnicode) through PyPI's vl-convert-python 1.9 (`vl_convert.svg_to_pdf(svg)`: one page
per call; its `scale` argument is ignored for PDF), the pages joined by qpdf or poppler's pdfunite.

SVG has no table layout and usvg does no wrapping, so cells are broken by hand (draw_common, any
character, measured with the face's own advances from fontTools plus any letter-spacing); but placement is
partly the tool's: centred and right-aligned cells may be written with `text-anchor` middle/end at the
cell's centre or right edge, so usvg's shaped widths place them. Authoring varies as such tools do: a
`<text>` per line, one `<text>` per cell with `<tspan x= dy=>` lines (or absolute x/y tspans), or lines
with one x per character; baselines as given or `dominant-baseline="central"` at the em box's middle (usvg
takes the face's ascent and descent); presentation attributes, a `<style>` block of classes, or `<g>`
groups the text inherits from; font-family lists with absent families first ('微軟正黑體', 'Microsoft
JhengHei', 'PMingLiU', ...) and the installed face later, resolved by fontdb; cells drawn inside `<g
transform="translate()">` groups (every glyph under another CTM); letter-spacing on titles and heads; bold
heads by `font-weight="bold"` (the Noto Bold collection face; the TrueType faces have no bold, so usvg
draws them regular) or by a stroke on the text (svg2pdf paints the glyphs twice: once filled, once stroked
with `1 Tr`, so the text layer holds every character twice); turned 構面 labels by `rotate(-90 x y)`,
`translate() rotate()` or a `matrix()`, reading up or down; stacked labels as one `<text>` per character,
`<tspan>`s, or `writing-mode="tb"` (upright CJK set by usvg); rules as `<line>`s, one `<path>` of M/H/V
commands per table, thin filled `<rect>`s or stroked cell `<rect>`s for a grid; header fills light, grey
or dark with white text; zebra fills; the root sized in px (1 px = 1 pt in svg2pdf) or, as authors write
it, in pt or mm (usvg takes 1 pt = 4/3 px, so such pages come out 4/3 larger than meant). Furniture:
running header, footers ('- n -', 'n / N', '第 n 頁', '第 n 頁，共 N 頁') left, centred or right, a '內部資料'
watermark tinted, through group `opacity` or `fill-opacity` (ExtGState /ca), under or over the table.
Slides (4:3, 16:9, A4 landscape) or an A4 document cut into pages by row height.

svg2pdf writes every glyph as its own text object (`BT 1 0 0 -1 x y Tm /fo0 s Tf <gid> Tj ET`, inside a
y-flipped page CTM), CID fonts (CIDFontType2 for the TrueType faces, CIDFontType0C for Noto) with
Identity-H codes renumbered from 1 in order of use, one font subset per page (each page is its own
conversion), and a ToUnicode of one code point per glyph: where Noto maps a Kangxi/Supplement radical to
the ideograph's glyph, the text layer reads the ideograph for both (the truth and layout.check fold them
anyway).
"""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path
from xml.sax.saxutils import escape

from .draw_common import SIZES, Box, Canvas, DeckDrawer, wrap
from .fonts import TRUETYPE, face_file, printable
from .layout import Col, check, find_pages
from .spec import Deck

VL_CONVERT = "1.9.0.post1"  # PyPI vl-convert-python, bundling svg2pdf 0.13.0 / usvg 0.45.1 (strings in the .so)
SVG2PDF = "0.13.0"
PAGE_SIZES = {**SIZES, "A4": (595.0, 842.0)}
NAVY = (0.12, 0.23, 0.41)
HEAD_FILLS = {"light": (0.85, 0.9, 0.97), "gray": (0.88, 0.88, 0.88), "dark": NAVY}
ZEBRA_FILLS = {"blue": (0.92, 0.95, 0.98), "gray": (0.94, 0.94, 0.94)}
RULE_COLORS = {"black": (0, 0, 0), "gray": (0.5, 0.5, 0.5), "navy": NAVY}
BOLD_TTC = {
    "Noto Sans CJK TC": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 3),
    "Noto Serif CJK TC": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 3),
}
# families an author lists first (Windows/macOS faces absent here): fontdb skips them to the installed face
ABSENT = {
    "sans": ["微軟正黑體", "Microsoft JhengHei", "PingFang TC", "Heiti TC"],
    "serif": ["新細明體", "PMingLiU", "MingLiU", "標楷體", "DFKai-SB"],
}
GENERIC = {"Noto Sans CJK TC": "sans-serif", "WenQuanYi Zen Hei": "sans-serif"}
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}", "zh": "第 {n} 頁", "zh_of": "第 {n} 頁，共 {N} 頁"}
MARKS = ["內部資料", "內部資料", "機密", "草案"]
VALUE_COLS = {"a0", "a1", "a2", "t", "w"}


def vl_convert():
    try:
        import vl_convert as vlc
    except ImportError as e:
        raise RuntimeError(f"vl-convert-python is not installed: pip install vl-convert-python=={VL_CONVERT}") from e
    got = metadata.version("vl-convert-python")
    if got != VL_CONVERT:
        raise RuntimeError(f"vl-convert-python {VL_CONVERT} is wanted, {got} is installed")
    return vlc


@cache
def tool_version(engine: str | None = None) -> str:
    vl_convert()
    return f"svg2pdf {SVG2PDF} (usvg 0.45.1) via vl-convert-python {metadata.version('vl-convert-python')}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.3
    font = style["font"]
    if rng.random() < 0.15:
        font = "AR PL UKai TW"
    noto = font not in TRUETYPE
    return {
        "flow": flow,
        "page": rng.choice(["A4", "A4L"]) if flow else style["page"],
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "font": font,
        "units": rng.choice(["px", "px", "pt", "mm"]),
        "text_mode": rng.choice(["line", "tspan", "tspan_abs", "xlist"]),
        "baseline": rng.choice(["alphabetic", "alphabetic", "central"]),
        "style_mode": rng.choice(["attrs", "css", "group"]),
        "family_list": rng.choice(["plain", "absent_first", "absent_first_generic"]),
        "anchor": rng.random() < 0.6,
        "nest": rng.random() < 0.3,
        "num_align": rng.choice(["auto", "auto", "right"]),
        "title_spacing": rng.choice([0, 0, 1, 2]),
        "head_spacing": rng.choice([0, 0, 0.5, 1]),
        "bold": rng.choice(["none", "weight", "weight", "stroke"] if noto else ["none", "weight", "stroke"]),
        "rot": rng.choice(["rotate", "translate", "matrix"]),
        "rot_dir": rng.choice(["up", "up", "down"]),
        "stack": rng.choice(["chars", "tspans", "writing_mode"]),
        "rules_as": rng.choice(["line", "line", "path", "rect", "cellrect"]),
        "rule_width": rng.choice([0.25, 0.5, 0.5, 0.75, 1.0]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "hdr_fill": rng.choice([None, "light", "light", "gray", "dark"]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "header": rng.random() < 0.4,
        "footer": rng.choice([None, "dash", "dash", "of", "zh", "zh_of"]),
        "footer_align": rng.choice(["right", "center", "left"]),
        "watermark_mode": rng.choice(["tint", "opacity", "fill_opacity"]),
        "watermark_layer": rng.choice(["under", "over"]),
        "watermark_angle": rng.choice([30, 45, 0]),
        "watermark_text": rng.choice(MARKS),
        "logo_badge": rng.random() < 0.5,
        "repeat_labels": rng.random() < 0.25,
        "join": rng.choice(["qpdf", "qpdf", "pdfunite"]),
    }


@cache
def _metrics(family: str, bold: bool) -> tuple[dict, dict, int]:
    from fontTools.ttLib import TTFont

    if bold and family in BOLD_TTC:
        path, index = BOLD_TTC[family]
        font = TTFont(path, fontNumber=index, lazy=True)
    else:
        font = TTFont(face_file(family), lazy=True)
    return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm


def _rgb(c: tuple) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(round(255 * v) for v in c))


def _f(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


class SvgCanvas:
    """draw_common's canvas as SVG documents, one per page (y down, text at its baseline), written in the
    authoring style of the options; `bold`, `spacing` and `anchor` are set by the drawer around a call."""

    def __init__(self, opts: dict) -> None:
        self.o = opts
        self.family = opts["font"]
        self.pages: list[tuple[float, float, list[str]]] = []
        self.bold = False
        self.spacing = 0.0
        self.anchor = "start"
        self.off = (0.0, 0.0)
        self.at: int | None = None
        self.classes: dict[tuple, str] = {}
        fam = self.family
        kind = "serif" if ("Serif" in fam or "Ming" in fam or "Kai" in fam) else "sans"
        names = [fam]
        if opts["family_list"] != "plain":
            names = ABSENT[kind][:2] + names
        if opts["family_list"] == "absent_first_generic":
            names.append(GENERIC.get(fam, "serif"))
        self.family_css = ", ".join(n if n in ("serif", "sans-serif") else f"'{n}'" for n in names)

    # -- pages ---------------------------------------------------------------------------------------------
    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        self.pages.append((w, h, [f'<rect width="{_f(w)}" height="{_f(h)}" fill="#ffffff"/>']))

    def add(self, item: str, index: int | None = None) -> None:
        items = self.pages[len(self.pages) - 1 if self.at is None else self.at][2]
        if index is None:
            items.append(item)
        else:
            items.insert(index, item)

    def goto(self, i: int | None) -> None:
        """Add to page i (0-based) from now on; None: to the last page."""
        self.at = i

    def push(self, dx: float, dy: float) -> None:
        self.add(f'<g transform="translate({_f(dx)} {_f(dy)})">')
        self.off = (dx, dy)

    def pop(self) -> None:
        self.add("</g>")
        self.off = (0.0, 0.0)

    # -- text ----------------------------------------------------------------------------------------------
    def look(self, size: float, color: tuple, extra: dict | None = None) -> str:
        """The text's presentation: attributes, a class of the page's <style>, or (group) inherited."""
        props = {"font-size": _f(size), "fill": _rgb(color)}
        if self.o["style_mode"] != "group":
            props = {"font-family": self.family_css, **props}
        if self.bold and self.o["bold"] == "weight":
            props["font-weight"] = "bold"
        if self.bold and self.o["bold"] == "stroke":
            props.update({"stroke": _rgb(color), "stroke-width": _f(size / 30)})
        if self.spacing:
            props["letter-spacing"] = _f(self.spacing)
        if self.anchor != "start":
            props["text-anchor"] = self.anchor
        props.update(extra or {})
        if self.o["style_mode"] == "css":
            key = tuple(sorted(props.items()))
            name = self.classes.setdefault(key, f"t{len(self.classes)}")
            return f' class="{name}"'
        out = []
        for k, v in props.items():
            q = '"' if "'" in v else "'" if '"' in v else '"'
            out.append(f" {k}={q}{v}{q}")
        return "".join(out)

    def _s(self, s: str) -> str:
        return escape(printable(s, self.family))

    def central(self, y: float, size: float) -> tuple[float, dict]:
        """A baseline y as written: as is, or moved to the em box's middle under dominant-baseline: central
        (as d3 code centres labels), which usvg resolves from the face's own ascent and descent."""
        if self.o["baseline"] != "central":
            return y, {}
        return y - size * 0.38, {"dominant-baseline": "central"}

    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0)) -> None:
        s = printable(s, self.family)
        if not s.strip():
            return
        x, y = x - self.off[0], y - self.off[1]
        extra: dict = {}
        if not angle:
            y, extra = self.central(y, size)
        turn = f' transform="rotate({-angle} {_f(x)} {_f(y)})"' if angle else ""
        xs = _f(x)
        if self.o["text_mode"] == "xlist" and not angle and self.anchor == "start" and len(s) > 1:
            # one x per character, from the face's advances (as converters that place every glyph write it)
            pos, at = [], x
            for ch in s:
                pos.append(_f(at))
                at += self.width(ch, size)
            xs = " ".join(pos)
        self.add(f'<text x="{xs}" y="{_f(y)}"{self.look(size, color, extra)}{turn}>{escape(s)}</text>')

    def lines(self, x: float, y: float, lines: list[str], size: float, lh: float, color: tuple = (0, 0, 0)) -> None:
        """Several lines of one cell: a <text> each, or one <text> with <tspan>s (dy or absolute y)."""
        if self.o["text_mode"] in ("line", "xlist") or len(lines) == 1:
            for i, ln in enumerate(lines):
                self.text(x, y + i * lh, ln, size, color=color)
            return
        x, y = x - self.off[0], y - self.off[1]
        y, extra = self.central(y, size)
        spans = []
        for i, ln in enumerate(lines):
            pos = f'y="{_f(y + i * lh)}"' if self.o["text_mode"] == "tspan_abs" else f'dy="{_f(lh if i else 0)}"'
            spans.append(f'<tspan x="{_f(x)}" {pos}>{self._s(ln) or " "}</tspan>')
        first = f' y="{_f(y)}"' if self.o["text_mode"] == "tspan" else ""
        self.add(f"<text{first}{self.look(size, color, extra)}>{''.join(spans)}</text>")

    def turned(self, cx: float, cy: float, s: str, size: float, up: bool) -> None:
        """A label turned 90 degrees about the cell centre, written as the options say."""
        cx, cy = cx - self.off[0], cy - self.off[1]
        w = self.width(s, size)
        ang = -90 if up else 90
        dx = size * 0.35 if up else -size * 0.35
        kind = self.o["rot"]
        if kind == "rotate":
            x, y = cx + dx, cy + (w / 2 if up else -w / 2)
            tr, pos = f"rotate({ang} {_f(x)} {_f(y)})", f' x="{_f(x)}" y="{_f(y)}"'
        elif kind == "translate":
            tr, pos = f"translate({_f(cx + dx)} {_f(cy)}) rotate({ang})", ""
            self.anchor = "middle"
        else:
            c, s_ = (0, -1) if up else (0, 1)
            tr, pos = f"matrix({c} {s_} {-s_} {c} {_f(cx + dx)} {_f(cy)})", ""
            self.anchor = "middle"
        self.add(f'<text{pos}{self.look(size, (0, 0, 0))} transform="{tr}">{self._s(s)}</text>')
        self.anchor = "start"

    def stacked(self, cx: float, y: float, s: str, size: float, lh: float) -> None:
        """A label one character per line, centred on cx from baseline y."""
        cx, y = cx - self.off[0], y - self.off[1]
        chars = [c for c in printable(s, self.family)]
        kind = self.o["stack"]
        self.anchor = "middle" if kind != "writing_mode" else "start"  # in tb mode x is the column's centre
        if kind == "writing_mode":
            top = y - size * 0.95
            self.add(
                f'<text x="{_f(cx)}" y="{_f(top)}"{self.look(size, (0, 0, 0))} writing-mode="tb" '
                f'style="letter-spacing:{_f(lh - size)}px">{escape("".join(chars))}</text>'
            )
        elif kind == "tspans":
            spans = "".join(
                f'<tspan x="{_f(cx)}" dy="{_f(lh if i else 0)}">{escape(c)}</tspan>' for i, c in enumerate(chars)
            )
            self.add(f'<text y="{_f(y)}"{self.look(size, (0, 0, 0))}>{spans}</text>')
        else:
            for i, c in enumerate(chars):
                self.add(f'<text x="{_f(cx)}" y="{_f(y + i * lh)}"{self.look(size, (0, 0, 0))}>{escape(c)}</text>')
        self.anchor = "start"

    def width(self, s: str, size: float) -> float:
        cmap, hmtx, upm = _metrics(self.family, bool(self.bold and self.o["bold"] == "weight"))
        s = printable(s, self.family)
        adv = sum(hmtx[cmap[ord(c)]][0] if ord(c) in cmap else upm for c in s)
        return adv * size / upm + self.spacing * len(s)

    # -- shapes --------------------------------------------------------------------------------------------
    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: tuple = (0, 0, 0)) -> None:
        ox, oy = self.off
        self.add(
            f'<line x1="{_f(x0 - ox)}" y1="{_f(y0 - oy)}" x2="{_f(x1 - ox)}" y2="{_f(y1 - oy)}" '
            f'stroke="{_rgb(color)}" stroke-width="{_f(width)}"/>'
        )

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        fill: tuple | None,
        stroke: tuple | None = None,
        stroke_width: float = 0.8,
    ) -> None:
        ox, oy = self.off
        edge = f' stroke="{_rgb(stroke)}" stroke-width="{_f(stroke_width)}"' if stroke else ""
        self.add(
            f'<rect x="{_f(x0 - ox)}" y="{_f(y0 - oy)}" width="{_f(x1 - x0)}" height="{_f(y1 - y0)}" '
            f'fill="{_rgb(fill) if fill else "none"}"{edge}/>'
        )

    def path(self, d: str, width: float, color: tuple) -> None:
        self.add(f'<path d="{d}" fill="none" stroke="{_rgb(color)}" stroke-width="{_f(width)}"/>')

    # -- output --------------------------------------------------------------------------------------------
    def svg(self, i: int) -> str:
        w, h, items = self.pages[i]
        units = self.o["units"]
        if units == "pt":
            size = f'width="{_f(w)}pt" height="{_f(h)}pt"'
        elif units == "mm":
            size = f'width="{w * 25.4 / 72:.1f}mm" height="{h * 25.4 / 72:.1f}mm"'
        else:
            size = f'width="{_f(w)}" height="{_f(h)}"'
        head = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" xml:lang="zh-TW" '
            f'{size} viewBox="0 0 {_f(w)} {_f(h)}">\n'
        )
        body = "\n".join(items)
        if self.o["style_mode"] == "css":
            rules = []
            for key, name in self.classes.items():
                if f'class="{name}"' in body:
                    rules.append(f".{name} {{ " + "; ".join(f"{k}: {v}" for k, v in key) + "; }")
            head += "<style>\n" + "\n".join(rules) + "\n</style>\n"
        elif self.o["style_mode"] == "group":
            fam = self.family_css.replace("'", "&apos;")
            head += f"<g font-family='{fam}'>\n"
            body += "\n</g>"
        return head + body + "\n</svg>\n"


class Svg2pdfDrawer(DeckDrawer):
    """draw_common's deck with the authoring variations of tools that emit SVG."""

    def __init__(self, deck: Deck, c: Canvas, opts: dict) -> None:
        super().__init__(deck, c, {**opts, "page": "A4L"})
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.o = opts
        self.footed: list[int] = []
        self.marked: list[int] = []
        self.value_x: set[float] = set()

    def center(self, s: str, y: float, size: float) -> None:
        c = self.c
        while size > 12 and c.width(s, size) > self.W - 60:
            size -= 2
        if self.o["anchor"]:
            c.anchor = "middle"
            c.text(self.W / 2, y, s, size)
            c.anchor = "start"
        else:
            c.text((self.W - c.width(s, size)) / 2, y, s, size)

    def footer(self) -> None:
        self.footed.append(self.page_no)

    def watermark(self) -> None:
        self.marked.append(self.page_no)

    def second_pass(self) -> None:
        """Running header, footers (page count now known) and the watermark, added to each page's SVG."""
        c, total, grey = self.c, len(self.c.pages), (0.4, 0.4, 0.4)
        for n in range(1, total + 1):
            c.goto(n - 1)
            if self.o["header"] and n > 1:
                c.text(30, 20, self.d.org, 8, color=NAVY)
                s = "策略地圖與平衡計分卡"
                if self.o["anchor"]:
                    c.anchor = "end"
                    c.text(self.W - 30, 20, s, 8, color=NAVY)
                    c.anchor = "start"
                else:
                    c.text(self.W - 30 - c.width(s, 8), 20, s, 8, color=NAVY)
                c.line(30, 25, self.W - 30, 25, 0.5, NAVY)
            if n in self.footed:
                c.line(30, self.H - 28, self.W - 30, self.H - 28, 0.5, (0.6, 0.6, 0.6))
                if self.o["footer"]:
                    self.foot(n, total, grey)
            if n in self.marked:
                self.mark()
        c.goto(None)

    def foot(self, n: int, total: int, grey: tuple) -> None:
        c, align = self.c, self.o["footer_align"]
        s = FOOTERS[self.o["footer"]].format(n=n, N=total)
        if align != "left":
            c.text(30, self.H - 16, f"{self.d.org}｜策略地圖與平衡計分卡", 7, color=grey)
        x = {"left": 30, "center": self.W / 2, "right": self.W - 30}[align]
        if self.o["anchor"] or align == "left":
            c.anchor = {"left": "start", "center": "middle", "right": "end"}[align]
            c.text(x, self.H - 16, s, 7, color=grey)
            c.anchor = "start"
        else:
            w = c.width(s, 7)
            c.text(x - w if align == "right" else x - w / 2, self.H - 16, s, 7, color=grey)

    def mark(self) -> None:
        c, o = self.c, self.o
        mode, ang = o["watermark_mode"], o["watermark_angle"]
        x, y = self.W * 0.3, self.H * 0.72
        s = escape(o["watermark_text"])
        turn = f' transform="rotate({-ang} {_f(x)} {_f(y)})"' if ang else ""
        if mode == "tint":
            el = f'<text x="{_f(x)}" y="{_f(y)}"{c.look(60, (0.85, 0.8, 0.8))}{turn}>{s}</text>'
        elif mode == "fill_opacity":
            el = f'<text x="{_f(x)}" y="{_f(y)}"{c.look(60, (0.6, 0.1, 0.1), {"fill-opacity": "0.2"})}{turn}>{s}</text>'
        else:
            el = f'<g opacity="0.25"><text x="{_f(x)}" y="{_f(y)}"{c.look(60, (0.5, 0.5, 0.5))}{turn}>{s}</text></g>'
        c.add(el, 1 if o["watermark_layer"] == "under" else None)

    # -- table ---------------------------------------------------------------------------------------------
    def head_height(self, cols: list[Col], xs: list[float]) -> float:
        c, lh, two = self.c, self.lh, self.d.style["year_header"] == "two_row"
        c.bold, c.spacing = True, self.o["head_spacing"]

        def need(s: str, w: float) -> float:
            return len(wrap(c, s, self.pt, w - 6)) * lh + 6

        out = super().head_height(cols, xs)
        for j, col in enumerate(cols):
            w = xs[j + 1] - xs[j]
            if two and col.group:
                gw = sum(xs[k + 1] - xs[k] for k, x in enumerate(cols) if x.group == col.group)
                out = max(out, 2 * max(need(col.group, gw), need(col.sub or "", w)))
            else:
                out = max(out, need(col.label, w))
        c.bold, c.spacing = False, 0.0
        # the value columns (right-aligned for num_align=right), known by their left edge
        self.value_x = {round(xs[j], 2) for j, col in enumerate(cols) if col.id in VALUE_COLS}
        return out

    def rule(self, x0: float, y0: float, x1: float, y1: float, as_rect: bool) -> None:
        w, color = self.o["rule_width"], RULE_COLORS[self.o["rule_color"]]
        kind = self.o["rules_as"]
        if kind == "rect":
            self.c.rect(x0 - w / 2, y0 - w / 2, x1 + w / 2, y1 + w / 2, color)
        elif kind == "path":
            self._path.append(f"M{_f(x0)} {_f(y0)}" + (f"H{_f(x1)}" if y0 == y1 else f"V{_f(y1)}"))
        else:
            self.c.line(x0, y0, x1, y1, w, color)

    def paint(self, boxes: list[Box], rows, ys, xs) -> None:
        c, o, rules = self.c, self.o, self.d.style["rules"]
        if o["repeat_labels"]:
            boxes = self.repeated(boxes, ys)
        if rules == "zebra":
            fill = ZEBRA_FILLS[o["zebra_fill"]]
            for i, ((y0, y1), r) in enumerate(zip(ys, rows)):
                if r.kind == "kpi" and i % 2 == 1:
                    c.rect(xs[0], y0, xs[-1], y1, fill)
        fill = HEAD_FILLS.get(o["hdr_fill"] or "")
        if fill and rules != "none":
            for b in boxes:
                if b.header:
                    c.rect(b.x0, b.y0, b.x1, b.y1, fill)
        self._path: list[str] = []
        w, color = o["rule_width"], RULE_COLORS[o["rule_color"]]
        if rules == "grid" and o["rules_as"] == "cellrect":
            for b in boxes:
                c.rect(b.x0, b.y0, b.x1, b.y1, None, color, w)
        else:
            for b in boxes:
                if rules == "grid":
                    for seg in (
                        (b.x0, b.y0, b.x1, b.y0),
                        (b.x0, b.y1, b.x1, b.y1),
                        (b.x0, b.y0, b.x0, b.y1),
                        (b.x1, b.y0, b.x1, b.y1),
                    ):
                        self.rule(*seg, False)
                elif rules in ("hrules", "zebra") and (b.header or rules == "hrules"):
                    self.rule(b.x0, b.y1, b.x1, b.y1, False)
        if self._path:
            c.path("".join(self._path), w, color)
        for b in boxes:
            self.label(b)

    @staticmethod
    def repeated(boxes: list[Box], ys: list) -> list[Box]:
        """Merged 構面/objective cells (written horizontally) split into one cell per row, the label repeated,
        as authors who fill every row of a spreadsheet-like table do."""
        out = []
        for b in boxes:
            inside = [(y0, y1) for y0, y1 in ys if y0 >= b.y0 - 0.01 and y1 <= b.y1 + 0.01]
            if b.header or b.mode != "h" or len(inside) < 2:
                out.append(b)
                continue
            out += [Box(b.x0, y0, b.x1, y1, b.text, False, "h") for y0, y1 in inside]
        return out

    def label(self, b: Box) -> None:
        c, o, st, pt, lh = self.c, self.o, self.d.style, self.pt, self.lh
        if not b.text:
            return
        nest = o["nest"]
        if nest:
            c.push(b.x0, b.y0)
        color = (1, 1, 1) if b.header and o["hdr_fill"] == "dark" and st["rules"] != "none" else (0, 0, 0)
        if b.mode == "rot":
            c.turned((b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2, b.text, pt, o["rot_dir"] == "up")
        elif b.mode == "stack":
            n = len(printable(b.text, c.family))
            y = b.y0 + 3 + max(0.0, (b.y1 - b.y0 - 6 - n * lh) / 2)
            c.stacked((b.x0 + b.x1) / 2, y + pt * 0.95, b.text, pt, lh)
        else:
            c.bold = b.header
            c.spacing = o["head_spacing"] if b.header else 0.0
            lines = wrap(c, b.text, pt, b.x1 - b.x0 - 6)
            middle = st["valign"] == "middle" or b.header
            y = b.y0 + 3 + (max(0.0, (b.y1 - b.y0 - 6 - len(lines) * lh) / 2) if middle else 0)
            centre = bool(b.header and b.x1 - b.x0 < self.W - 100 or st["halign"] == "center")
            right = not b.header and o["num_align"] == "right" and round(b.x0, 2) in self.value_x
            if o["anchor"] and (centre or right):
                c.anchor = "end" if right else "middle"
                c.lines(b.x1 - 3 if right else (b.x0 + b.x1) / 2, y + pt * 0.95, lines, pt, lh, color)
            elif centre or right:  # each line at its own measured x, a <text> each
                for i, ln in enumerate(lines):
                    w = c.width(ln, pt)
                    x = b.x1 - 3 - w if right else b.x0 + (b.x1 - b.x0 - w) / 2
                    c.text(x, y + pt * 0.95 + i * lh, ln, pt, color=color)
            else:
                c.lines(b.x0 + 3, y + pt * 0.95, lines, pt, lh, color)
            c.bold, c.spacing, c.anchor = False, 0.0, "start"
        if nest:
            c.pop()


def _convert(cv: SvgCanvas, out_pdf: Path, join: str, keep: Path | None = None) -> None:
    vlc = vl_convert()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdfs = []
        for i in range(len(cv.pages)):
            svg = cv.svg(i)
            (folder / f"page{i + 1:03d}.svg").write_text(svg, encoding="utf-8")
            p = folder / f"page{i + 1:03d}.pdf"
            p.write_bytes(vlc.svg_to_pdf(svg))
            pdfs.append(str(p))
        if join == "pdfunite":
            cmd = ["pdfunite", *pdfs, str(out_pdf)]
        else:
            cmd = ["qpdf", "--empty", "--pages", *pdfs, "--", str(out_pdf)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if proc.returncode not in (0, 3) or not Path(out_pdf).exists():
            raise RuntimeError(f"{cmd[0]} failed: {proc.stderr[-2000:]}")
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            for f in folder.glob("*.svg"):
                shutil.copy(f, keep / f.name)


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide; a document is cut by row
    heights only) and keep_svg (a folder to keep the SVG pages in).  Returns the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    if opts["flow"]:
        opts["max_rows"] = 99
    opts.setdefault("max_rows", st["max_rows"])
    opts["rules"] = st["rules"]
    if st["watermark"]:
        opts["watermark"] = True
    keep = opts.pop("keep_svg", None)
    while True:
        cv = SvgCanvas(opts)
        _spaced_titles(cv, opts["title_spacing"])
        drawer = Svg2pdfDrawer(deck, cv, opts)
        drawer.draw()
        drawer.second_pass()
        _convert(cv, Path(out_pdf), opts["join"], Path(keep) if keep else None)
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck)
        if any("outside the page" in p for p in problems) and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        break
    opts["problems"] = problems
    return opts


def _spaced_titles(cv: SvgCanvas, spacing: float) -> None:
    """Letter-spacing on slide and theme titles (text of 16pt and more), as designers set headings."""
    if not spacing:
        return
    text, width = cv.text, cv.width

    def spaced_text(x, y, s, size, angle=0, color=(0, 0, 0)):
        if size < 16 or angle:
            return text(x, y, s, size, angle, color)
        old, cv.spacing = cv.spacing, spacing
        try:
            return text(x, y, s, size, angle, color)
        finally:
            cv.spacing = old

    def spaced_width(s, size):
        if size >= 16:
            old, cv.spacing = cv.spacing, spacing
            try:
                return width(s, size)
            finally:
                cv.spacing = old
        return width(s, size)

    cv.text, cv.width = spaced_text, spaced_width
