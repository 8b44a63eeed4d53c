"""Graphviz renderer: every slide a `dot` graph whose nodes carry HTML-like labels, as people build dashboards and
reports from scripts with Graphviz (Debian 12's graphviz 2.42.2, which calls itself 2.43.0).

This module writes one DOT file per slide and runs the layout program on it:
- theme slides: a `<TABLE>` label (TD ROWSPAN for merged 構面/策略目標 labels, COLSPAN for band rows and the
  two-row year head, WIDTH on cells for the deck's column widths, ALIGN/BALIGN/VALIGN, BGCOLOR fills, `<B>` and
  `<FONT>` for heads and titles).  Graphviz does not wrap text: every cell is pre-wrapped with `<BR/>` (or
  `<BR ALIGN="LEFT"/>`) at any character, measured with the face's advance widths (fontTools) against the cell's
  width less padding, border and a safety margin, since pango measures the text again and a cell only grows.
  Tables: a full grid (CELLBORDER 1, CELLSPACING 0), Graphviz's default look (BORDER 1, CELLBORDER 1, CELLSPACING 2:
  every cell its own box), horizontal rules through SIDES="B"/"TB", no rules, or zebra BGCOLOR on every cell of
  alternate rows; turned 構面 labels are stacked (one character per line: HTML-like labels cannot rotate text).
- slide layout 'canvas': `neato -n2` with pinned positions: an invisible fixed-size box node exactly the slide
  (so the page is the slide: pad=0, margin=0), the title, table and footer as plaintext nodes placed from their
  sizes measured first by `dot -Tplain`, and with a watermark a light '內部資料' plaintext node under (declared
  first) or over (declared last) the slide.  A table taller than the slide is cut again with fewer rows (then a
  smaller font).  (A table nested in a FIXEDSIZE cell of a slide-sized outer table is stretched by Graphviz to
  fill the cell, rows and columns alike, and one larger than its cell makes dot warn "cell size too small for
  content" and abort on an assertion (htmltable.c `delx >= 0`), so that recipe is not used.)
  Layout 'graph': title, table and footer as three plaintext nodes ranked top to bottom by invisible edges, the
  page being the drawing's bounding box plus `pad` (pages of different sizes), optionally scaled down to the
  slide by `size`.
- title and profile slides as plain label nodes; the strategy map as a real graph: objectives as boxes in one
  cluster per perspective (or ranked rows with `rank=same` and a perspective label node), edges from each
  objective to those of the perspective above within its theme, rankdir BT or TB, spline/ortho/polyline edges.

Output: `dot -Tpdf` (cairo 1.16 through pango: CID-keyed CFF subsets for Noto CJK, TrueType subsets otherwise,
ToUnicode from pango's clusters, one TJ per line), or `-Tps:cairo` converted by ghostscript's ps2pdf (cairo's PS
writes each font as Type 1 subsets with uniXXXX glyph names, from which ghostscript rebuilds a ToUnicode), or
(not drawn: ghostscript's ToUnicode for cairo's Type 1 subsets reads '1' as 'C', so 'AC1.1' prints 'ACC.C'), or
`-Tsvg` (Graphviz's own SVG writer: `<text>` elements with font-family and text-anchor) converted by rsvg-convert,
which lays the text out again with pango; slides joined by pdfunite or qpdf.

Quirks found: Graphviz's `page`/`pagedir` pagination works for its core PostScript writer only, which cannot
print non-Latin-1 text ("UTF-8 input uses non-Latin1 characters which cannot be handled by this PostScript
driver"), and cairo's PDF/PS writers ignore `page`, so the renderer cuts the slides itself; several graphs in
one input file write the first to the output file and the rest to stdout with -Tpdf; an xdot `_background`
attribute makes `dot -Tpdf` crash (segfault) in this build, so the watermark is a node; `splines=ortho` with
clusters can abort dot on an assertion in maze.c (`chkSgraph: np->cells[1]`), and the map is then drawn again
with `splines=polyline` (recorded as `map_splines_drawn`); at a `pad` under about 12pt, Noto's ascent of a 36pt
closing line reaches past the top of a page cropped to the drawing; characters a face lacks
are printed folded (fonts.printable) rather than left to pango's fallback.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import tempfile
from functools import cache
from html import escape
from pathlib import Path

from .fonts import face_file, printable
from .layout import Col, Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

GRAPHVIZ = "2.43.0"  # Debian 12's graphviz 2.42.2-7+deb12u1 prints "dot - graphviz version 2.43.0 (0)"
PAGES = {"4:3": (720.0, 540.0), "16:9": (960.0, 540.0), "A4L": (842.0, 595.0), "A4": (595.0, 842.0)}
FACES = ["Noto Sans CJK TC", "Noto Serif CJK TC", "WenQuanYi Zen Hei", "AR PL UMing TW", "AR PL UKai TW"]
HEAD_FILLS = {"light": "#dde6f7", "gray": "#e0e0e0", "sand": "#faedd1", "navy": "#1f3b68"}
ZEBRA_FILLS = {"blue": "#ebf1f9", "gray": "#eeeeee", "green": "#eaf4e4"}
ACCENTS = ["#1f4d8c", "#0b6e4f", "#8c1f3b", "#333333"]
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}", "zh": "第 {n} 頁"}


@cache
def installed_version() -> str:
    try:
        proc = subprocess.run(["dot", "-V"], capture_output=True, text=True, timeout=60)
    except OSError as e:
        raise RuntimeError("Graphviz is not installed: apt-get install -y graphviz") from e
    m = re.search(r"version (\S+)", proc.stderr + proc.stdout)
    if not m or m.group(1) != GRAPHVIZ:
        raise RuntimeError(f"Graphviz {GRAPHVIZ} is wanted, found {(proc.stderr + proc.stdout).strip()}")
    return m.group(1)


def tool_version(engine: str | None = None) -> str:
    conv = {"ps2pdf": " -Tps:cairo + ghostscript ps2pdf", "svg": " -Tsvg + rsvg-convert"}.get(engine or "pdf", " -Tpdf")
    return f"graphviz {installed_version()} (dot{conv})"


def producer_options(rng: random.Random, style: dict) -> dict:
    layout = rng.choice(["canvas", "canvas", "graph"])
    rules = style["rules"]
    if rules == "grid" and rng.random() < 0.4:
        rules = "boxes"  # Graphviz's default table look: every cell its own box inside the table's border
    return {
        "engine": rng.choice(["pdf", "pdf", "pdf", "svg"]),  # ps2pdf garbles digits: see the docstring
        "join": rng.choice(["pdfunite", "qpdf"]),
        "layout": layout,
        "page": rng.choice([style["page"], style["page"], style["page"], "A4"]),
        "size_fit": layout == "graph" and rng.random() < 0.5,
        "pad": rng.choice([14, 18, 24]),  # less lets Noto's 36pt ascent past the top edge
        "rules": rules,
        "cellpadding": rng.choice([2, 3, 4, 6]),
        "border_color": rng.choice(["black", "#555555", "#1f3b68"]),
        "head_fill": rng.choice(list(HEAD_FILLS)),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "head_bold": rng.random() < 0.5,
        "br_align": rng.random() < 0.3,  # <BR ALIGN="LEFT"/> per line instead of BALIGN
        "font": rng.choice([style["font"], style["font"], *FACES]),
        "font_pt": style["font_pt"],
        "accent": rng.choice(ACCENTS),
        "title_bar": rng.random() < 0.3,
        "footer": rng.choice([None, "dash", "dash", "of", "zh"]),
        "watermark_over": rng.random() < 0.5,
        "map_rankdir": rng.choice(["BT", "TB"]),
        "map_splines": rng.choice(["spline", "ortho", "polyline"]),
        "map_clusters": rng.random() < 0.7,
    }


@cache
def _metrics(family: str) -> tuple[dict, dict, int, float]:
    from fontTools.ttLib import TTFont

    font = TTFont(face_file(family), lazy=True)
    hhea, upm = font["hhea"], font["head"].unitsPerEm
    return font.getBestCmap(), font["hmtx"].metrics, upm, (hhea.ascent - hhea.descent + hhea.lineGap) / upm


class Slides:
    """Writes the DOT source of every slide of a deck."""

    def __init__(self, deck: Deck, o: dict) -> None:
        self.d, self.o, self.st = deck, o, deck.style
        self.W, self.H = PAGES[o["page"]]
        self.font = o["font"]
        self.pt = float(o["font_pt"])
        self.lh = _metrics(self.font)[3] * 1.04
        self.pad = int(o["cellpadding"])
        self.mx = 30.0
        self.title_h = 56.0
        self.foot_h = 26.0 if o.get("footer") else 14.0
        self.max_rows = int(o.get("max_rows", self.st["max_rows"]))
        self.slides: list[tuple[str, str]] = []  # (layout program, DOT text with {n}/{N} left to fill)

    # text helpers -------------------------------------------------------------------------------------------
    def width(self, s: str, size: float) -> float:
        cmap, hmtx, upm, _ = _metrics(self.font)
        return sum(hmtx[cmap[ord(c)]][0] if ord(c) in cmap else upm for c in s) * size / upm

    def wrap(self, text: str, size: float, width: float) -> list[str]:
        out = []
        for para in printable(text, self.font).split("\n"):
            line = ""
            for ch in para:
                if line and self.width(line + ch, size) > width:
                    out.append(line)
                    line = ch
                else:
                    line += ch
            out.append(line)
        return out

    def lines_html(self, lines: list[str], left: bool) -> str:
        if self.o.get("br_align") and left and len(lines) > 1:
            return "".join(escape(x, quote=False) + '<BR ALIGN="LEFT"/>' for x in lines)
        return "<BR/>".join(escape(x, quote=False) for x in lines)

    # slide frames -------------------------------------------------------------------------------------------
    def head_attrs(self) -> str:
        return 'graph [pad=0, margin=0, charset="UTF-8"];\n'

    def add(self, body_html: str, title_html: str = "", center: bool = False) -> None:
        """One slide: in canvas layout nodes pinned on the slide, in graph layout nodes stacked by dot."""
        o = self.o
        foot = self.footer_html()
        if o["layout"] == "canvas":
            self.add_canvas(body_html, title_html, foot, center)
            return
        size = f', size="{self.W / 72:.2f},{self.H / 72:.2f}"' if o.get("size_fit") else ""
        parts = [f"graph [pad={o['pad'] / 72:.3f}, margin=0, ranksep=0.15, nodesep=0.2{size}];"]
        parts.append(f'node [shape=plaintext, margin=0, fontname="{self.font}", fontsize={self.pt}];')
        names = []
        if title_html:
            parts.append(f"title [label=<{title_html}>];")
            names.append("title")
        parts.append(f"body [label=<{body_html}>];")
        names.append("body")
        if foot:
            parts.append(f"foot [label=<{foot}>];")
            names.append("foot")
        if len(names) > 1:
            parts.append(" -> ".join(names) + " [style=invis];")
        self.slides.append(("dot", "digraph slide {\n" + "\n".join(parts) + "\n}\n"))

    def add_canvas(self, body_html: str, title_html: str, foot: str, center: bool) -> None:
        """A slide laid out by `neato -n2`: nodes pinned where their sizes (measured by `dot -Tplain`) put them,
        over an invisible node exactly the slide's size, which makes the page the slide."""
        W, H, mx = self.W, self.H, self.mx
        labels = {"title": title_html, "body": body_html, "foot": foot}
        labels = {k: v for k, v in labels.items() if v}
        size = measure(labels, self.font, self.pt)
        nodes = {}
        if "title" in size:
            tw, th = size["title"]
            nodes["title"] = (mx + tw / 2, H - self.title_h / 2)
        bw, bh = size["body"]
        room = H - self.title_h - self.foot_h
        if bh > room + 1 or bw > W - 8:
            raise Overflow(f"table {bw:.0f}x{bh:.0f} larger than the slide's {W - 2 * mx:.0f}x{room:.0f}")
        if center or bw > W - 2 * mx:
            nodes["body"] = (W / 2, H / 2 if center else H - self.title_h - bh / 2)
        else:
            nodes["body"] = (mx + bw / 2, H - self.title_h - bh / 2)
        if "foot" in size:
            fw, fh = size["foot"]
            nodes["foot"] = (W - mx - fw / 2, self.foot_h / 2)
        lines = [
            f'page [shape=box, style=invis, fixedsize=true, width={W / 72:.4f}, height={H / 72:.4f}, label="", '
            f'pos="{W / 2:.2f},{H / 2:.2f}"];'
        ]
        mark = f'wm [label="內部資料", fontsize=64, fontcolor="#ecd6d6", pos="{W / 2:.1f},{H * 0.42:.1f}"];'
        if self.watermarked() and not self.o.get("watermark_over"):
            lines.append(mark)
        for k, (x, y) in nodes.items():
            lines.append(f'{k} [label=<{labels[k]}>, pos="{x:.2f},{y:.2f}"];')
        if self.watermarked() and self.o.get("watermark_over"):
            lines.append(mark)
        src = (
            "digraph slide {\n"
            + self.head_attrs()
            + f'node [shape=plaintext, margin=0, fontname="{self.font}", fontsize={self.pt}];\n'
            + "\n".join(lines)
            + "\n}\n"
        )
        self.slides.append(("neato", src))

    def watermarked(self) -> bool:
        return bool(self.st["watermark"]) and self.o["layout"] == "canvas" and self._in_theme

    _in_theme = False

    def footer_html(self) -> str:
        f = self.o.get("footer")
        if not f:
            return ""
        text = f"{escape(printable(self.d.org, self.font))}｜策略地圖與平衡計分卡　　" + FOOTERS[f]
        return f'<FONT POINT-SIZE="7" COLOR="#666666">{text}</FONT>'

    def title_html(self, text: str, size: float = 16, right: str = "") -> str:
        text = escape(printable(text, self.font), quote=False)
        acc = self.o["accent"]
        if self.o.get("title_bar"):
            inner = (
                f'<TD BGCOLOR="{acc}" ALIGN="LEFT" CELLPADDING="5">'
                f'<FONT POINT-SIZE="{size}" COLOR="white">{text}</FONT></TD>'
            )
        else:
            inner = (
                f'<TD ALIGN="LEFT" SIDES="B" BORDER="1" COLOR="{acc}">'
                f'<FONT POINT-SIZE="{size}" COLOR="{acc}">{text}</FONT></TD>'
            )
        if right:
            inner += (
                f'<TD BORDER="1" COLOR="{acc}" CELLPADDING="4"><FONT POINT-SIZE="12" COLOR="{acc}">{right}</FONT></TD>'
            )
        return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4">{inner and "<TR>" + inner + "</TR>"}</TABLE>'

    # deck -----------------------------------------------------------------------------------------------------
    def build(self) -> None:
        d = self.d
        org = escape(printable(d.org, self.font), quote=False)
        acc = self.o["accent"]
        self.add(
            f'<TABLE BORDER="0" CELLSPACING="10"><TR><TD><FONT POINT-SIZE="30">{org}</FONT></TD></TR>'
            f'<TR><TD><FONT POINT-SIZE="26" COLOR="{acc}">策略地圖與平衡計分卡</FONT></TD></TR></TABLE>',
            center=True,
        )
        lines = "".join(
            '<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="14">'
            f"{escape(printable(x, self.font), quote=False)}</FONT></TD></TR>"
            for x in d.profile_lines
        )
        self.add(f'<TABLE BORDER="0" CELLSPACING="8">{lines}</TABLE>', self.title_html(f"{d.org}轄區概況", 20))
        self.strategy_map()
        self._in_theme = True
        for t in d.themes:
            self.theme(t)
        self._in_theme = False
        self.add('<FONT POINT-SIZE="36">敬請指教</FONT>', center=True)

    def strategy_map(self) -> None:
        d, o = self.d, self.o
        acc = o["accent"]
        persps = [p for p in BSC_ORDER if any(ob.perspective == p for t in d.themes for ob in t.objectives)]
        parts = [
            f"graph [rankdir={o['map_rankdir']}, splines={o['map_splines']}, pad={o['pad'] / 72:.3f}, "
            f'nodesep=0.25, ranksep=0.45, fontname="{self.font}", newrank=true, '
            f'size="{self.W / 72:.2f},{self.H / 72:.2f}"];',
            f'node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="{acc}", fontname="{self.font}", '
            'fontsize=10, margin="0.12,0.06"];',
            f'edge [color="{acc}", arrowsize=0.6];',
        ]
        title = escape(printable(f"{d.org}策略地圖", self.font), quote=False)
        parts.append(
            f'maptitle [shape=plaintext, style="", label=<<FONT POINT-SIZE="20" COLOR="{acc}">{title}</FONT>'
            f'<BR/><FONT POINT-SIZE="12">{escape(d.map_date)}</FONT>>];'
        )
        ids: dict[int, str] = {}
        n = 0
        for i, p in enumerate(persps):
            members = []
            for t in d.themes:
                for ob in t.objectives:
                    if ob.perspective == p:
                        n += 1
                        ids[id(ob)] = f"o{n}"
                        lab = "<BR/>".join(escape(x, quote=False) for x in self.wrap(ob.shown, 10, 110))
                        members.append(f"o{n} [label=<{lab}>];")
            lab = escape(f"{p}構面")
            if o.get("map_clusters"):
                parts.append(
                    f'subgraph cluster_{i} {{ label=<<B>{lab}</B>>; labeljust=l; style="filled"; '
                    f'fillcolor="#f3f6fb"; color="{acc}"; fontsize=11; ' + " ".join(members) + " }"
                )
            else:
                parts.append(
                    f'p{i} [shape=box, style=filled, fillcolor="{acc}", fontcolor=white, label="{lab}"];'
                    + " ".join(members)
                    + f" {{rank=same; p{i}; "
                    + " ".join(m.split(" ", 1)[0] + ";" for m in members)
                    + "}"
                )
        for t in d.themes:
            for a in t.objectives:
                for b in t.objectives:
                    ia, ib = BSC_ORDER.index(a.perspective), BSC_ORDER.index(b.perspective)
                    if ia == ib + 1 or (
                        ia > ib + 1 and not any(x.perspective in BSC_ORDER[ib + 1 : ia] for x in t.objectives)
                    ):
                        if o["map_rankdir"] == "BT":
                            parts.append(f"{ids[id(a)]} -> {ids[id(b)]};")
                        else:
                            parts.append(f"{ids[id(b)]} -> {ids[id(a)]} [dir=back];")
        if not o.get("map_clusters"):
            order = [f"p{i}" for i in range(len(persps))]
            if o["map_rankdir"] == "BT":
                order.reverse()
            if len(order) > 1:
                parts.append(" -> ".join(order) + " [style=invis];")
        first = ids[id(next(ob for t in d.themes for ob in t.objectives if ob.perspective == persps[0]))]
        parts.append(
            f"maptitle -> {first} [style=invis];" if o["map_rankdir"] == "TB" else f"{first} -> maptitle [style=invis];"
        )
        foot = self.footer_html()
        if foot:
            parts.append(f'mapfoot [shape=plaintext, style="", label=<{foot}>];')
            last = ids[id(next(ob for t in d.themes for ob in t.objectives if ob.perspective == persps[-1]))]
            parts.append(
                f"mapfoot -> {last} [style=invis];" if o["map_rankdir"] == "BT" else f"{last} -> mapfoot [style=invis];"
            )
        self.slides.append(("dot", "digraph map {\n" + "\n".join(parts) + "\n}\n"))

    # tables ---------------------------------------------------------------------------------------------------
    def col_widths(self, cols: list[Col]) -> list[float]:
        spacing = 2 if self.o["rules"] == "boxes" else 0
        avail = self.W - 2 * self.mx - 8 - (len(cols) + 1) * spacing - (2 if spacing else 0)
        least = self.pt * 1.25 + 2 * self.pad + 4  # one character and the padding
        ws = [0.0] * len(cols)
        fixed: set[int] = set()
        while True:  # columns narrower than one character get it, the others share the rest
            total = sum(c.weight for j, c in enumerate(cols) if j not in fixed)
            rest = avail - least * len(fixed)
            ws = [least if j in fixed else c.weight * rest / total for j, c in enumerate(cols)]
            small = {j for j, w in enumerate(ws) if w < least} - fixed
            if not small:
                return ws
            fixed |= small

    def text_room(self, w: float) -> float:
        return (w - 2 * self.pad - 2) * 0.93

    def row_lines(self, r: Row, cols: list[Col], ws: list[float]) -> int:
        if r.kind == "band":
            return 1
        n = 1
        for c, w in zip(cols, ws):
            if c.id == "persp" and self.st["persp_mode"] != "column":
                continue
            n = max(n, len(self.wrap(r.cells.get(c.id, ""), self.pt, self.text_room(w))))
        return n

    def row_h(self, r: Row, cols: list[Col], ws: list[float]) -> float:
        return self.row_lines(r, cols, ws) * self.pt * self.lh + 2 * self.pad + 3

    def head_lines(self, text: str, w: float) -> list[str]:
        return self.wrap(text, self.pt, self.text_room(w) * (0.9 if self.o.get("head_bold") else 1.0))

    def head_h(self, cols: list[Col], ws: list[float]) -> float:
        one = self.pt * self.lh
        if self.st["year_header"] == "two_row":
            rows2 = max((len(self.head_lines(c.sub or "", w)) for c, w in zip(cols, ws) if c.group), default=1)
            top = max(len(self.head_lines(c.group, sum(ws[:4]) / 4 * 3)) for c in cols if c.group)
            span = max((len(self.head_lines(c.label, w)) for c, w in zip(cols, ws) if not c.group), default=1)
            return max((top + rows2) * one + 4 * self.pad + 6, span * one + 2 * self.pad + 3)
        n = max(len(self.head_lines(c.label, w)) for c, w in zip(cols, ws))
        return n * one + 2 * self.pad + 3

    def theme(self, t) -> None:
        cols = columns(self.d)
        ws = self.col_widths(cols)
        rows = theme_rows(self.d, t)
        budget = (self.H - self.title_h - self.foot_h - 10) * 0.92 - self.head_h(cols, ws)
        pages: list[list[Row]] = []
        for part in chunk(rows, self.max_rows):
            cur: list[Row] = []
            used = 0.0
            for r in part:
                h = self.row_h(r, cols, ws)
                if cur and used + h > budget:
                    while cur and cur[-1].kind == "band":
                        r0 = cur.pop()
                        pages.append(cur) if cur else None
                        cur = [r0]
                        break
                    else:
                        pages.append(cur)
                        cur = []
                    used = sum(self.row_h(x, cols, ws) for x in cur)
                cur.append(r)
                used += h
            pages.append(cur)
        pages = [p for p in pages if p]
        for i, pr in enumerate(pages):
            title = theme_title(self.d, t, i + 1, len(pages))
            logo = escape(printable(self.d.short, self.font)) if self.st["logo"] else ""
            self.add(self.table(pr, pages[i - 1] if i else [], cols, ws), self.title_html(title, 16, logo))

    def td(self, text: str, w: float | None = None, **attrs) -> str:
        a = "".join(f' {k.upper()}="{v}"' for k, v in attrs.items() if v is not None)
        if w is not None:
            a += f' WIDTH="{w:.0f}"'
        return f"<TD{a}>{text}</TD>"

    def table(self, rows: list[Row], prev: list[Row], cols: list[Col], ws: list[float]) -> str:
        o, st = self.o, self.st
        rules = o["rules"]
        head_fill = HEAD_FILLS[o["head_fill"]]
        head_color = "white" if o["head_fill"] == "navy" else None
        zebra = ZEBRA_FILLS[o["zebra_fill"]]
        bc = o["border_color"]
        if rules == "boxes":
            tab = f'<TABLE COLOR="{bc}" CELLPADDING="{self.pad}">'
        elif rules in ("grid", "hrules"):
            tab = f'<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="{self.pad}" COLOR="{bc}">'
        else:
            tab = f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="{self.pad}">'
        hsides = "TB" if rules == "hrules" else None
        bsides = "B" if rules == "hrules" else None
        left = st["halign"] == "left"
        valign = "TOP" if st["valign"] == "top" else "MIDDLE"
        fill_head = head_fill if rules != "none" or o["head_fill"] != "navy" else None

        def htext(s: str, w: float | None = None) -> str:
            lines = self.head_lines(s, w) if w else printable(s, self.font).split("\n")
            body = "<BR/>".join(escape(x, quote=False) for x in lines)
            if head_color and fill_head:
                body = f'<FONT COLOR="{head_color}">{body}</FONT>'
            return f"<B>{body}</B>" if o.get("head_bold") else body

        out = [tab]
        two = st["year_header"] == "two_row"
        if two:
            r1, r2 = [], []
            j = 0
            while j < len(cols):
                c = cols[j]
                if c.group:
                    k = j
                    while k + 1 < len(cols) and cols[k + 1].group == c.group:
                        k += 1
                    r1.append(
                        self.td(
                            htext(c.group, sum(ws[j : k + 1])), None, colspan=k - j + 1, bgcolor=fill_head, sides=hsides
                        )
                    )
                    for m in range(j, k + 1):
                        r2.append(self.td(htext(cols[m].sub or "", ws[m]), ws[m], bgcolor=fill_head, sides=hsides))
                    j = k + 1
                    continue
                r1.append(self.td(htext(c.label, ws[j]), ws[j], rowspan=2, bgcolor=fill_head, sides=hsides))
                j += 1
            out += ["<TR>" + "".join(r1) + "</TR>", "<TR>" + "".join(r2) + "</TR>"]
        else:
            out.append(
                "<TR>"
                + "".join(self.td(htext(c.label, w), w, bgcolor=fill_head, sides=hsides) for c, w in zip(cols, ws))
                + "</TR>"
            )
        spans: dict[tuple[str, int], int] = {}
        for key in ("persp", "obj"):
            if key in [c.id for c in cols]:
                for start, n in runs(rows, key):
                    spans[(key, start)] = n
        kpi_no = 0
        for i, r in enumerate(rows):
            if r.kind == "band":
                txt = htext(r.cells["band"]) if rules != "none" else escape(r.cells["band"])
                out.append(
                    "<TR>"
                    + self.td(txt, None, colspan=len(cols), align="LEFT", bgcolor=fill_head, sides=bsides)
                    + "</TR>"
                )
                continue
            kpi_no += 1
            fill = zebra if rules == "zebra" and kpi_no % 2 == 0 else None
            cells = []
            for c, w in zip(cols, ws):
                if c.id in ("persp", "obj"):
                    n = spans.get((c.id, i))
                    if n is None:
                        continue
                    blank = i == 0 and st["blank_cont"] and continues(prev, r, c.id)
                    text = "" if blank else r.cells[c.id]
                    if c.id == "persp" and st["persp_mode"] in ("rotated", "stacked"):
                        lines = list(printable(text, self.font))
                        cells.append(self.td("<BR/>".join(escape(x) for x in lines) or " ", w, rowspan=n, sides=bsides))
                        continue
                    lines = self.wrap(text, self.pt, self.text_room(w)) if text else [" "]
                    cells.append(
                        self.td(
                            self.lines_html(lines, left),
                            w,
                            rowspan=n,
                            align="LEFT" if left else None,
                            balign="LEFT" if left and not o.get("br_align") else None,
                            valign=valign,
                            sides=bsides,
                        )
                    )
                    continue
                text = r.cells.get(c.id, "")
                lines = self.wrap(text, self.pt, self.text_room(w)) if text else [" "]
                cells.append(
                    self.td(
                        self.lines_html(lines, left),
                        w,
                        align="LEFT" if left else None,
                        balign="LEFT" if left and not o.get("br_align") else None,
                        valign=valign,
                        bgcolor=fill,
                        sides=bsides,
                    )
                )
            out.append("<TR>" + "".join(cells) + "</TR>")
        out.append("</TABLE>")
        return "".join(out)


class Overflow(RuntimeError):
    """A table taller or wider than its slide."""


def measure(labels: dict[str, str], font: str, pt: float) -> dict[str, tuple[float, float]]:
    """Sizes in points of plaintext nodes with these labels, as dot lays them out (`-Tplain`)."""
    src = (
        f'digraph m {{ node [shape=plaintext, margin=0, fontname="{font}", fontsize={pt}];\n'
        + "\n".join(f"{k} [label=<{v}>];" for k, v in labels.items())
        + "\n}\n"
    )
    proc = subprocess.run(["dot", "-Tplain"], input=src, capture_output=True, text=True, timeout=120)
    if proc.returncode:
        raise RuntimeError(f"dot -Tplain failed: {proc.stderr[-1000:]}")
    out = {}
    for line in proc.stdout.splitlines():
        f = line.split(" ", 6)
        if f[0] == "node":
            out[f[1]] = (float(f[4]) * 72, float(f[5]) * 72)
    return out


def _run(cmd: list[str], cwd: Path) -> str:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd[:2])} failed ({proc.returncode}): {proc.stderr[-1500:]}")
    return proc.stderr


def _draw(slides: list[tuple[str, str]], out_pdf: Path, o: dict, tmp: Path) -> list[str]:
    """Lay out and write every slide, join them; returns the layout programs' warnings."""
    warnings = []
    pdfs = []
    total = len(slides)
    for n, (prog, src) in enumerate(slides, 1):
        src = src.replace("{n}", str(n)).replace("{N}", str(total))
        try:
            warnings.append(_slide(prog, src, n, o, tmp))
        except RuntimeError as e:  # ortho edges between clusters: dot fails an assertion in maze.c
            if "splines=ortho" not in src or "maze.c" not in str(e):
                raise
            warnings.append("ortho failed (maze.c assertion): map redrawn with splines=polyline")
            o["map_splines_drawn"] = "polyline"
            warnings.append(_slide(prog, src.replace("splines=ortho", "splines=polyline"), n, o, tmp))
        pdfs.append(str(tmp / f"s{n:03d}.pdf"))
    if o["join"] == "qpdf":
        _run(["qpdf", "--empty", "--pages", *pdfs, "--", str(out_pdf)], tmp)
    else:
        _run(["pdfunite", *pdfs, str(out_pdf)], tmp)
    return [w.strip() for w in warnings if w.strip()]


def _slide(prog: str, src: str, n: int, o: dict, tmp: Path) -> str:
    """One slide's PDF (s<n>.pdf) from its DOT source; returns the layout program's warnings."""
    gv = tmp / f"s{n:03d}.gv"
    gv.write_text(src, encoding="utf-8")
    args = [prog] + (["-n2"] if prog == "neato" else [])
    pdf = tmp / f"s{n:03d}.pdf"
    if o["engine"] == "pdf":
        return _run([*args, "-Tpdf", "-o", str(pdf), str(gv)], tmp)
    if o["engine"] == "ps2pdf":
        ps = gv.with_suffix(".ps")
        warn = _run([*args, "-Tps:cairo", "-o", str(ps), str(gv)], tmp)
        _run(["ps2pdf", str(ps), str(pdf)], tmp)
        return warn
    svg = gv.with_suffix(".svg")
    warn = _run([*args, "-Tsvg", "-o", str(svg), str(gv)], tmp)
    _run(["rsvg-convert", "-f", "pdf", "-o", str(pdf), str(svg)], tmp)
    return warn


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options (engine pdf|ps2pdf|svg, join, layout canvas|graph, page, size_fit, pad, rules
    grid|boxes|hrules|none|zebra, cellpadding, border_color, head_fill, zebra_fill, head_bold, br_align, font,
    font_pt, accent, title_bar, footer, watermark_over, map_*) plus max_rows.  Returns the options used."""
    installed_version()
    o = {**producer_options(random.Random(0), deck.style), **(options or {})}
    o.setdefault("max_rows", deck.style["max_rows"])
    if o["engine"] == "svg" and not shutil.which("rsvg-convert"):
        raise RuntimeError("rsvg-convert is missing: apt-get install -y librsvg2-bin")
    if o["join"] == "qpdf" and not shutil.which("qpdf"):
        raise RuntimeError("qpdf is missing: apt-get install -y qpdf")
    out_pdf = Path(out_pdf)
    fixes = []
    for _attempt in range(6):
        sl = Slides(deck, o)
        try:
            sl.build()
            with tempfile.TemporaryDirectory() as tmp:
                warnings = _draw(sl.slides, out_pdf, o, Path(tmp))
        except Overflow as e:
            warnings, problems, too_small = [], [], [str(e)]
        else:
            find_pages(out_pdf, deck)
            problems = check(out_pdf, deck)
            too_small = [w for w in warnings if "too small" in w]
        if not problems and not too_small:
            break
        # as an author who looks at the printout: fewer rows per slide, then a smaller font
        if o["max_rows"] > 2:
            o["max_rows"] -= 1
            fixes.append("max_rows")
        else:
            o["font_pt"] = max(6, o["font_pt"] - 1)
            fixes.append("font_pt")
    if too_small:
        raise RuntimeError(f"{deck.stem}: still too large after {fixes}: {too_small[0]}")
    o["fixes"] = fixes
    o["warnings"] = sorted({w[:200] for w in warnings})[:5]
    o["problems"] = problems + [f"dot: {w[:200]}" for w in too_small]
    return o


if __name__ == "__main__":
    import sys

    from .spec import Office

    office = Office(int(sys.argv[1]) if len(sys.argv) > 1 else 7, "gv")
    d = office.deck(112, "gv-test")
    opts = producer_options(random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1), d.style)
    print(render(d, "/tmp/gvt/test.pdf", opts))
