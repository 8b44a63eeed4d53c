"""pdfme renderer: the deck as a pdfme template filled with inputs (@pdfme/generator 6.1.13 with @pdfme/schemas and
@pdfme/common, on @pdfme/pdf-lib and fontkit), rendered in Node by a small driver (`r_pdfme.mjs`) reading a JSON job,
the way TypeScript web apps and SaaS back-offices print forms and reports with pdfme: a `basePdf` blank page
(`{width, height, padding}` in millimetres, 4:3, 16:9, A4 landscape or portrait) with `staticSchema` furniture
(running header, footer with `{currentPage}`/`{totalPages}` placeholders, watermark), template pages of `text`,
`line`, `rectangle` and `table` schemas, and one input object holding every text and each table's body
(JSON array of rows).

Tables are pdfme's `table` schema (its autoTable-like layout): `head` and `headWidthPercentages` (the deck's
weights), `tableStyles` (outer box), `headStyles`/`bodyStyles` (font, size, line height, alignment, vertical
alignment, padding, per-side cell border widths, fill, zebra `alternateBackgroundColor`), `columnStyles.alignment`
for the value columns.  pdfme has one head row and no colspan/rowspan, so two-row year heads print '實際值\\n108年'
in one cell, 構面 labels are a column (the first row of a run on each slide or page, or every row), stacked (a
narrow column where pdfme's wrapping puts one character a line), band rows (a body row with the label in its first
cell, the others empty) or one table per perspective under a text label (first table with the head, the others
with it too or without); turned labels are the author's own column left of the table, rectangles and `rotate: 90`
(or 270) text schemas placed from the row heights pdfme's `getDynamicHeightsForTable` gives (slides only; in a
document pdfme paginates the labels are stacked).  The 策略目標 cell prints on the first row of its run or on every
row.  Rules: grid (the outer box and every cell side), horizontal rules (cell bottoms, a heavier rule under the
head), none (a filled head only) or zebra fills with or without rules.

Slides: one template page per slide (title text schema, table), the deck's rows per slide, lowered until pdfme
puts every slide on one page (a table that does not fit is carried over to a page pdfme adds).  Page numbers come
from the static footer's placeholders (beside the office's name or alone): a number typed into a text schema of each
template page is moved down by pdfme as far as the tables above it grew, onto a page of its own.
Document: the cover, profile and map pages, then one
template page per theme (title, table) or all themes on one template page one after the other (pdfme moves each
title and table down below the one before as the tables grow, a title may end a page away from its table); pdfme
paginates the tables itself: rows are never split, a row that does not fit goes to the next page whole, the head
is repeated there only with `repeatHead`, zebra continues across pages; a row taller than a page is put on a page
of its own and runs off it (then the type is made smaller).

Text: pdfme's own wrapping: `Intl.Segmenter` word segments (ICU's dictionary for Chinese: breaks between words,
'平均|等候|時間', not between any two ideographs), a segment wider than the whole box cut at any character, then a
Japanese kinsoku pass (a line starting with '、。）％' etc. gives that character to the line before, which may then
run past the box).  Titles use `dynamicFontSize` (fit 'horizontal') or a fixed size; the map's objective boxes
shrink by `dynamicFontSize` (fit 'vertical').

Text layer (pdfme's pdf-lib fork): each face a Type0 Identity-H font (TrueType faces CIDFontType2, Noto CJK's CFF
CIDFontType0C), subset by default with glyphs renumbered from 1 in order of first use and a bfchar ToUnicode, the
BaseFont the PostScript name with a '-NNNN' suffix instead of a subset tag (pdffonts says 'sub no');
`subset: false` embeds the whole face (here only WenQuanYi Zen Hei, 10 MB), or the author passes a face already
cut to the deck's characters (fonts.subset_file) with `subset: false`.  A TTC collection is refused (fontkit
returns a collection: 'fontKitFont.layout is not a function'), so faces are single files from fonts.py; no
per-glyph fallback (a character the face lacks prints its plain form, fonts.printable).  Every text line is its
own q/BT/ET with colour, `Tf`, `TL`, a `Tm` and one hex `Tj`; every `Tf` uses a fresh random resource name
(pdf-lib's random suffix), so a page's /Font dictionary holds hundreds of names for the same font object (the
driver seeds Math.random so a deck drawn again is the same).  Cell borders are filled rectangles per cell side
(`re`-like m/l/h f paths under a cm), fills before the cell's text; static schemas (header, footer, watermark)
are drawn first on every page, under the content; the watermark is turned text with `opacity` (an ExtGState).
Creator, Producer and Author 'pdfme (https://pdfme.com/)' unless the author sets them.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .fonts import FACES, TRUETYPE, face_file, printable, subset_file
from .layout import check, chunk, columns, find_pages, runs, theme_rows, theme_title
from .r_pdfjsgen import NOTO_BOLD, bold_file
from .spec import BSC_ORDER, Deck

PDFME = "6.1.13"  # npm install --save-exact @pdfme/generator@6.1.13 @pdfme/common@6.1.13 @pdfme/schemas@6.1.13
PACKAGES = ["generator", "common", "schemas", "pdf-lib"]  # @pdfme/pdf-lib 6.1.13 too (the others ask for '*')
JS = Path(__file__).with_name("r_pdfme.mjs")
PAGES = {"4:3": (254.0, 190.5), "16:9": (338.67, 190.5), "A4L": (297.0, 210.0), "A4": (210.0, 297.0)}
MM = 25.4 / 72  # millimetres per point
BOLD_FACE = "WenQuanYi Zen Hei"
ACCENTS = ["#1a4d8c", "#1f3a68", "#2e5e3e", "#000000"]
HEAD_FILLS = {"light": "#d9e6f7", "gray": "#e0e0e0", "sand": "#faedd1", "navy": "#1f3a68"}
ZEBRA_FILLS = {"blue": "#ebf2fa", "gray": "#f0f0f0"}
RULE_COLORS = {"black": "#000000", "gray": "#808080", "navy": "#1f3b69"}
FOOTERS = {
    "dash": "- {currentPage} -",
    "of": "{currentPage} / {totalPages}",
    "zh": "第 {currentPage} 頁，共 {totalPages} 頁",
    "n": "{currentPage}",
}


def modules_dir() -> Path:
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "pdfme" / "node_modules"
    if not (d / "@pdfme" / "generator" / "package.json").exists():
        raise RuntimeError(
            f"pdfme is not installed: cd {d.parent} && npm install --save-exact "
            + " ".join(f"@pdfme/{p}@{PDFME}" for p in PACKAGES)
        )
    return d


@cache
def tool_version(engine: str | None = None) -> str:
    d = modules_dir()
    ver = {p: json.loads((d / "@pdfme" / p / "package.json").read_text())["version"] for p in PACKAGES}
    if any(v != PDFME for v in ver.values()):
        raise RuntimeError(f"pdfme {ver} installed, {PDFME} wanted for all of @pdfme/{', '.join(PACKAGES)}")
    fontkit = json.loads((d / "fontkit" / "package.json").read_text())["version"]
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return f"pdfme {PDFME} (@pdfme/generator, schemas, common, pdf-lib; fontkit {fontkit}), Node {node}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    font = style["font"] if rng.random() < 0.85 else rng.choice(list(FACES))
    font_data = rng.choice(["subset"] * 5 + ["presubset"] * 2 + ["whole"])
    if font_data == "whole" and font != "WenQuanYi Zen Hei":
        font_data = "presubset"
    if font not in TRUETYPE:  # a CFF face with subset: false loses glyphs' text (docstring): pdfme's subsetting
        font_data = "subset"
    rules = {
        "grid": rng.choice(["grid", "grid", "hrules"]),
        "hrules": "hrules",
        "none": rng.choice(["none", "head_only"]),
        "zebra": rng.choice(["zebra", "zebra_lines"]),
    }[style["rules"]]
    footer = rng.choice([None, "dash", "dash", "of", "zh", "n"])
    return {
        "flow": flow,
        "page": rng.choice(["A4", "A4L", "A4L"]) if flow else style["page"],
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "font": font,
        "font_data": font_data,
        "bold": rng.choice(["none", "face", "face"]),
        "line_height": rng.choice([1.0, 1.1, 1.2, 1.3]),
        "pad": rng.choice([1.0, 1.5, 1.5, 2.0, 2.5]),
        "rules": rules,
        "rule_mm": rng.choice([0.1, 0.2, 0.2, 0.3, 0.5]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "head_fill": rng.choice([None, *HEAD_FILLS]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "accent": rng.randrange(len(ACCENTS)),
        "value_align": rng.choice([None, None, "right", "center"]),
        "persp_center": rng.random() < 0.5,
        "repeat_labels": rng.random() < 0.3,
        "band_as": rng.choice(["row", "tables"]),
        "band_heads": rng.random() < 0.5,
        "rotate_as": rng.choice(["strip", "strip", "stacked"]),
        "strip_angle": rng.choice([90, 90, 270]),
        "repeat_head": rng.random() < 0.7,
        "themes_follow": rng.random() < 0.4,
        "header": rng.random() < 0.4,
        "footer": footer,
        "footer_org": rng.random() < 0.4,
        "footer_align": rng.choice(["center", "right"]),
        "watermark_opacity": rng.choice([0.15, 0.3, 1.0]),
        "title_fit": rng.random() < 0.5,
        "info": rng.choice([None, None, "title", "creator"]),
    }


class _Job:
    """The template pages and the input object being written, with the deck's text made printable."""

    def __init__(self, deck: Deck, opts: dict) -> None:
        self.d, self.o = deck, opts
        self.W, self.H = PAGES[opts["page"]]
        self.pages: list[list[dict]] = []
        self.input: dict[str, str] = {}
        self.strips: list[dict] = []
        self.stat: list[dict] = []
        self.n = 0
        self.pt = float(opts["font_pt"])
        self.bold = "bold" if opts["bold"] == "face" and opts["font"] != BOLD_FACE else "body"
        self.accent = ACCENTS[opts["accent"]]
        self.top = 14.0 if opts["header"] else 10.0
        self.bottom = 14.0 if opts["footer"] else 10.0
        self.left = self.right = 10.0

    def p(self, s: str) -> str:
        s = printable(s, self.o["font"])
        return printable(s, BOLD_FACE) if self.bold == "bold" and self.o["font"] not in NOTO_BOLD else s

    def name(self, kind: str) -> str:
        self.n += 1
        return f"{kind}{self.n}"

    def text(self, x, y, w, h, s, pt, *, font="body", align="left", valign="top", color="#000000", lh=1.0, **kw):
        n = self.name("t")
        self.pages[-1].append(
            {
                "name": n,
                "type": "text",
                "position": {"x": round(x, 2), "y": round(y, 2)},
                "width": round(w, 2),
                "height": round(h, 2),
                "fontName": font,
                "fontSize": pt,
                "lineHeight": lh,
                "characterSpacing": 0,
                "alignment": align,
                "verticalAlignment": valign,
                "fontColor": color,
                "backgroundColor": "",
                **kw,
            }
        )
        self.input[n] = self.p(s)

    def rect(self, x, y, w, h, fill="", border=0.0, color="#000000") -> None:
        self.pages[-1].append(
            {
                "name": self.name("r"),
                "type": "rectangle",
                "position": {"x": round(x, 2), "y": round(y, 2)},
                "width": round(w, 2),
                "height": round(h, 2),
                "borderWidth": border,
                "borderColor": color,
                "color": fill,
                "readOnly": True,
            }
        )

    def line(self, x, y, w, thick, color) -> None:
        self.pages[-1].append(
            {
                "name": self.name("l"),
                "type": "line",
                "position": {"x": round(x, 2), "y": round(y, 2)},
                "width": round(w, 2),
                "height": thick,
                "color": color,
                "readOnly": True,
            }
        )

    def new_page(self) -> None:
        self.pages.append([])

    def title(self, s: str, y: float | None = None) -> float:
        """The slide or theme title; returns the y below it."""
        tp = max(14.0, self.pt + 7)
        h = tp * MM * 1.5
        y = self.top if y is None else y
        kw = {"dynamicFontSize": {"min": 10, "max": tp, "fit": "horizontal"}} if self.o["title_fit"] else {}
        self.text(self.left, y, self.W - self.left - self.right, h, s, tp, font=self.bold, color=self.accent, **kw)
        self.line(self.left, y + h + 0.5, self.W - self.left - self.right, 0.4, self.accent)
        return y + h + 3.0

    # --- the pages before and after the tables ---------------------------------------------------------------
    def cover(self) -> None:
        d, W, H = self.d, self.W, self.H
        self.new_page()
        self.rect(0, 0, W, 8, fill=self.accent)
        fit = {"dynamicFontSize": {"min": 14, "max": 30, "fit": "horizontal"}}
        self.text(15, H * 0.32, W - 30, 16, d.org, 30, font=self.bold, align="center", **fit)
        self.text(15, H * 0.32 + 20, W - 30, 12, "策略地圖與平衡計分卡", 24, align="center", font=self.bold)
        self.text(15, H * 0.32 + 36, W - 30, 8, d.map_date, 14, align="center", color="#404040")

    def profile(self) -> None:
        self.new_page()
        y = self.title(f"{self.d.org}轄區概況")
        body = "\n".join(self.d.profile_lines)
        fit = {"dynamicFontSize": {"min": 8, "max": 14, "fit": "vertical"}}
        self.text(self.left + 8, y + 4, self.W - 36, self.H - y - self.bottom - 8, body, 14, lh=1.8, **fit)

    def strategy_map(self) -> None:
        d = self.d
        self.new_page()
        y = self.title(f"{d.org}策略地圖")
        self.text(self.W - self.right - 60, self.top, 60, 8, d.map_date, 11, align="right", color="#404040")
        vision = "願景：" + "、".join(t.shown for t in d.themes)
        self.text(self.left, y, self.W - self.left - self.right, 10, vision, 10)
        y += 12
        persps = [p for p in BSC_ORDER if any(o.perspective == p for t in d.themes for o in t.objectives)]
        band = (self.H - self.bottom - y) / max(1, len(persps))
        for persp in persps:
            self.rect(self.left, y, 32, band - 3, fill=self.accent)
            self.text(self.left, y, 32, band - 3, f"{persp}構面", 11, align="center", valign="middle", color="#ffffff")
            objs = "、".join(o.shown for t in d.themes for o in t.objectives if o.perspective == persp)
            w = self.W - self.left - self.right - 36
            self.rect(self.left + 36, y, w, band - 3, border=0.3, color=self.accent)
            fit = {"dynamicFontSize": {"min": 5, "max": 10, "fit": "vertical"}}
            self.text(self.left + 38, y + 1, w - 4, band - 5, objs, 10, valign="middle", lh=1.3, **fit)
            y += band

    def closing(self) -> None:
        self.new_page()
        self.text(15, self.H * 0.4, self.W - 30, 16, "敬請指教", 32, align="center", font=self.bold)

    # --- tables ------------------------------------------------------------------------------------------------
    def table_schema(self, cols: list, x: float, y: float, w: float, show_head: bool) -> dict:
        o, st, pt = self.o, self.d.style, self.pt
        rw, rc = o["rule_mm"], RULE_COLORS[o["rule_color"]]
        pad = {k: o["pad"] for k in ("top", "right", "bottom", "left")}
        none = {k: 0 for k in ("top", "right", "bottom", "left")}
        rules = o["rules"]
        if rules == "grid":
            body_b, head_b, outer = {k: rw for k in none}, {k: rw for k in none}, rw
        elif rules in ("hrules", "zebra_lines"):
            body_b, head_b, outer = {**none, "bottom": rw}, {**none, "top": rw * 2, "bottom": rw * 2}, 0
        else:
            body_b, head_b, outer = none, dict(none), 0
        if rules == "head_only":
            head_b = {**none, "bottom": max(rw, 0.3)}
        head_fill = HEAD_FILLS.get(o["head_fill"] or "", "")
        if rules in ("none", "zebra") and not head_fill:
            head_fill = HEAD_FILLS["light"]
        zebra = ZEBRA_FILLS[o["zebra_fill"]] if rules in ("zebra", "zebra_lines") else ""
        total = sum(c.weight for c in cols)
        pcts = [round(100 * c.weight / total, 3) for c in cols]
        pcts[-1] = round(100 - sum(pcts[:-1]), 3)
        align = {}
        for i, c in enumerate(cols):
            if c.id in ("a0", "a1", "a2", "t", "w") and o["value_align"]:
                align[str(i)] = o["value_align"]
            if c.id == "persp" and o["persp_center"]:
                align[str(i)] = "center"
        heads = [self.p(c.label if not c.group else f"{c.group}\n{c.sub}") for c in cols]
        common = {"lineHeight": o["line_height"], "characterSpacing": 0, "borderColor": rc, "padding": pad}
        return {
            "name": self.name("tbl"),
            "type": "table",
            "position": {"x": round(x, 2), "y": round(y, 2)},
            "width": round(w, 2),
            "height": 10,
            "showHead": show_head,
            "repeatHead": o["repeat_head"],
            "head": heads,
            "headWidthPercentages": pcts,
            "tableStyles": {"borderColor": rc, "borderWidth": outer},
            "headStyles": {
                **common,
                "fontName": self.bold,
                "fontSize": pt,
                "alignment": "center",
                "verticalAlignment": "middle",
                "fontColor": "#ffffff" if o["head_fill"] == "navy" else "#000000",
                "backgroundColor": head_fill,
                "borderWidth": head_b,
            },
            "bodyStyles": {
                **common,
                "fontName": "body",
                "fontSize": pt,
                "alignment": st["halign"],
                "verticalAlignment": st["valign"],
                "fontColor": "#000000",
                "backgroundColor": "",
                "alternateBackgroundColor": zebra,
                "borderWidth": body_b,
            },
            "columnStyles": {"alignment": align},
        }

    def body(self, rows: list, cols: list) -> list[list[str]]:
        """Cells of each row as the author types them: labels on the first row of a run or on every row."""
        o, ids = self.o, [c.id for c in cols]
        out, prev = [], None
        for r in rows:
            if r.kind == "band":
                out.append([self.p(r.cells["band"])] + [""] * (len(ids) - 1))
                prev = None
                continue
            cells = []
            for c in ids:
                v = self.p(r.cells.get(c, ""))
                if c == "persp" and not (prev is None or prev.persp != r.persp or o["repeat_labels"]):
                    v = ""
                if c == "obj" and not (prev is None or prev.obj is not r.obj or o["repeat_labels"]):
                    v = ""
                if c == "persp" and self.d.style["persp_mode"] in ("rotated", "stacked"):
                    v = "\n".join(v)  # the author's stacked label (pdfme would break '構面' after any character)
                cells.append(v)
            out.append(cells)
            prev = r
        return out

    def place_tables(self, rows: list, y: float, strip: bool) -> float:
        """One table (or one per perspective, band_as 'tables') at y; returns the y below its nominal height."""
        d, o = self.d, self.o
        band = d.style["persp_mode"] == "band"
        x0, w = self.left, self.W - self.left - self.right
        if band and o["band_as"] == "tables":
            groups: list[tuple[str | None, list]] = [(None, [])]
            for r in rows:
                if r.kind == "band":
                    groups.append((r.cells["band"], []))
                else:
                    groups[-1][1].append(r)
            groups = [g for g in groups if g[1]]
            cols = columns(d, band=True)
            for i, (label, grp) in enumerate(groups):
                if label:
                    self.text(x0, y, w, self.pt * MM * 1.8, label, self.pt + 1, font=self.bold, color=self.accent)
                    y += self.pt * MM * 1.8 + 1
                sch = self.table_schema(cols, x0, y, w, i == 0 or o["band_heads"])
                self.pages[-1].append(sch)
                self.input[sch["name"]] = json.dumps(self.body(grp, cols), ensure_ascii=False)
                y += 10 + 3
            return y
        cols = columns(d)
        if strip:
            sw = round((self.pt * 1.5) * MM + 2 * o["pad"] + 1, 2)
            cols = [c for c in cols if c.id != "persp"]
            sch = self.table_schema(cols, x0 + sw, y, w - sw, True)
            labels = [{"text": self.p(rows[s].cells["persp"]), "start": s, "count": n} for s, n in runs(rows, "persp")]
            rw = o["rule_mm"]
            self.strips.append(
                {
                    "page": len(self.pages) - 1,
                    "table": sch["name"],
                    "x": x0,
                    "width": sw,
                    "labels": labels,
                    "head_text": self.p("構面"),
                    "rotate": o["strip_angle"],
                    "fontName": "body",
                    "fontSize": self.pt,
                    "border": rw if o["rules"] == "grid" else 0,
                    "rules_only": o["rules"] in ("hrules", "zebra_lines"),
                    "rule": rw,
                    "border_color": RULE_COLORS[o["rule_color"]],
                    "head_fill": sch["headStyles"]["backgroundColor"],
                    "head_color": sch["headStyles"]["fontColor"],
                    "spacing": 1 if self.pt <= 8 else 0,
                }
            )
        else:
            sch = self.table_schema(cols, x0, y, w, True)
        self.pages[-1].append(sch)
        self.input[sch["name"]] = json.dumps(self.body(rows, cols), ensure_ascii=False)
        return y + 10 + 3

    def slides(self) -> int:
        d, o = self.d, self.o
        n = 0
        strip = d.style["persp_mode"] == "rotated" and o["rotate_as"] == "strip"
        for t in d.themes:
            parts = chunk(theme_rows(d, t), int(o["max_rows"]))
            for i, part in enumerate(parts, 1):
                self.new_page()
                y = self.title(theme_title(d, t, i, len(parts)))
                self.place_tables(part, y, strip)
                n += 1
        return n

    def document(self) -> None:
        d, o = self.d, self.o
        y = None
        for i, t in enumerate(d.themes):
            if i == 0 or not o["themes_follow"]:
                self.new_page()
                y = None
            y = self.title(theme_title(d, t), y)
            y = self.place_tables(theme_rows(d, t), y, False) + 4

    def static(self) -> list[dict]:
        o, W, H = self.o, self.W, self.H
        out = []
        base = {"type": "text", "readOnly": True, "characterSpacing": 0, "lineHeight": 1, "backgroundColor": ""}
        if self.d.style["watermark"]:
            s, fs = "內部資料", min(W, H) / 5 / MM
            ang = 30 if W > H else 55
            op = o["watermark_opacity"]
            out.append(
                {
                    **base,
                    "name": "watermark",
                    "content": s,
                    "position": {"x": W / 2 - fs * MM * 2.6, "y": H / 2 - fs * MM * 0.7},
                    "width": fs * MM * 5.2,
                    "height": fs * MM * 1.4,
                    "rotate": ang,
                    "opacity": op,
                    "fontName": "body",
                    "fontSize": round(fs, 1),
                    "alignment": "center",
                    "verticalAlignment": "middle",
                    "fontColor": "#c0c0c0" if op == 1.0 else "#808080",
                }
            )
        if o["header"]:
            org = self.p(self.d.org)
            for name, text, align in (("hdr_l", org, "left"), ("hdr_r", "策略地圖與平衡計分卡", "right")):
                out.append(
                    {
                        **base,
                        "name": name,
                        "content": text,
                        "position": {"x": self.left, "y": 4},
                        "width": W - self.left - self.right,
                        "height": 6,
                        "fontName": "body",
                        "fontSize": 8,
                        "alignment": align,
                        "verticalAlignment": "middle",
                        "fontColor": "#505050",
                    }
                )
            out.append(
                {
                    "name": "hdr_rule",
                    "type": "line",
                    "readOnly": True,
                    "position": {"x": self.left, "y": 10.5},
                    "width": W - self.left - self.right,
                    "height": 0.3,
                    "color": "#808080",
                }
            )
        # page numbers only by placeholders: a number typed into a text schema of each template page (in the
        # bottom padding or above it) is moved down by pdfme as far as the tables above it grew, onto a page of its own
        footers = [(FOOTERS[o["footer"]], o["footer_align"])] if o["footer"] else []
        if o["footer"] and o["footer_org"]:
            footers.append((self.p(self.d.org), "left" if o["footer_align"] != "left" else "right"))
        for content, align in footers:
            out.append(
                {
                    **base,
                    "name": self.name("ftr"),
                    "content": content,
                    "position": {"x": self.left, "y": self.H - 9},
                    "width": self.W - self.left - self.right,
                    "height": 5,
                    "fontName": "body",
                    "fontSize": 8,
                    "alignment": align,
                    "verticalAlignment": "middle",
                    "fontColor": "#404040",
                }
            )
        return out


def _run(job: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="r_pdfme-") as tmp:
        path, report = Path(tmp) / "job.json", Path(tmp) / "report.json"
        path.write_text(json.dumps({**job, "report": str(report)}, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(["node", str(JS), str(path)], capture_output=True, text=True, timeout=900)
        if proc.returncode or not report.exists():
            raise RuntimeError(f"pdfme failed: {proc.stderr.strip()[-3000:]}")
        return json.loads(report.read_text())


def _fonts(job: _Job, opts: dict) -> dict:
    fam = opts["font"]
    chars = set(json.dumps([job.input, job.pages, job.stat], ensure_ascii=False))  # cell texts, heads, furniture
    chars |= set("0123456789/- ")
    if opts["font_data"] == "presubset":
        body = {"path": subset_file(fam, chars), "subset": False, "fallback": True}
    else:
        body = {"path": face_file(fam), "subset": opts["font_data"] == "subset", "fallback": True}
    fonts = {"body": body}
    if job.bold == "bold":
        src = bold_file(fam) if fam in NOTO_BOLD else face_file(BOLD_FACE)
        fonts["bold"] = {"path": src, "subset": True, "fallback": False}
    return fonts


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide, lowered until every slide fits on
    its page; a document is paginated by pdfme).  A row pdfme cannot fit on a page makes the type smaller."""
    import pymupdf

    tool_version()
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    opts.setdefault("max_rows", st["max_rows"])
    if opts["flow"] and st["persp_mode"] == "rotated":
        opts["rotate_as"] = "stacked"
    while True:
        job = _Job(deck, opts)
        job.cover()
        job.profile()
        job.strategy_map()
        if opts["flow"]:
            job.document()
        else:
            job.slides()
        job.closing()
        job.stat = job.static()
        meta = {}
        if opts["info"]:
            meta = {"title": f"{deck.org}策略地圖與平衡計分卡", "author": deck.org}
            if opts["info"] == "creator":
                meta["creator"] = f"{deck.short}績效管理系統"
        spec = {
            "modules": str(modules_dir()),
            "seed": sum(map(ord, deck.stem)) * 7919,
            "fonts": _fonts(job, opts),
            "base": {
                "width": job.W,
                "height": job.H,
                "padding": [job.top, job.right, job.bottom, job.left],
                "staticSchema": job.stat,
            },
            "pages": job.pages,
            "input": job.input,
            "strips": job.strips,
            "options": meta,
            "out": str(out_pdf),
        }
        _run(spec)
        n = len(pymupdf.open(str(out_pdf)))
        if not opts["flow"] and n != len(job.pages):
            # a slide whose table pdfme carried over to a page of its own: fewer rows per slide, or smaller type
            if opts["max_rows"] > 2:
                opts["max_rows"] -= 1
                continue
            if opts["font_pt"] > 6:
                opts["font_pt"] -= 1
                continue
            raise RuntimeError(f"slides do not fit their pages: {n} pages for {len(job.pages)} slides")
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck)
        if problems and opts["font_pt"] > 6:
            opts["font_pt"] -= 1  # a row taller than a page runs off it: smaller type
            continue
        break
    opts["problems"] = problems
    return opts
