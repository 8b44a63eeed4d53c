"""Syncfusion renderer: the deck built in Node by Syncfusion's JavaScript PDF library (@syncfusion/ej2-pdf-export
34.2.8, the pure-TypeScript writer behind the Essential JS 2 Grid/Chart "PDF export"), through a small driver
(`r_syncfusion.js`) reading a JSON job written by this module, as a Node back-end or a web app uses it:
`PdfDocument`, `pageSettings` (size, orientation, margins), `PdfTrueTypeFont` from a base64 TTF/OTF, `drawString`
with a `PdfStringFormat`, `drawRectangle`/`drawLine` with `PdfPen`/`PdfSolidBrush`, and above all `PdfGrid`, which
measures, wraps and paginates the table itself.

Tables: one PdfGrid per slide (a theme's rows cut by the deck's row budget, title '--k/n'; the budget, then the
type, is lowered until no slide's grid spills onto a page of its own, since PdfGrid.draw with a Paginate layout
format adds a page for what does not fit) or one per theme in a document the library paginates (A4/Letter,
portrait or landscape): `repeatHeader` or not, `allowRowBreakAcrossPages` (a KPI row split over two pages has no
one page: the author who sees it turns row breaking off and renders again), themes on a new page or after the
previous table.  Columns of fixed widths from the deck's weights; header rows by `headers.add(1|2)` (the two-row
year head a `columnSpan` group over `rowSpan` 2 labels); 構面 and 策略目標 merged by `rowSpan` or repeated in every
row, 構面 as full-width band rows (`columnSpan`), stacked one character a line, or turned: the cell left empty and
the label drawn by the grid's `endCellDraw` handler with `translateTransform`/`rotateTransform(-90)` (rows made
taller by setting the last row's `height` when the label is longer than its rows; a merged label centred on its
span's rows, since the handler gets a rowSpan cell with its first row's height).  Borders per cell
(`style.borders` pens: all sides for a grid, bottom only for horizontal rules, pens of width 0 for none, which the
library does not draw), head fills and zebra fills (row `style.backgroundBrush`), cell padding by `PdfPaddings`,
alignment by each cell's `stringFormat`; the library's own line breaking (PdfStringLayouter: CJK breaks between
any two characters, Latin runs at spaces).

Dropped text: PdfGrid measures a cell without its border widths and draws it with them, so a last line that only
just fits is silently left out (a head '實際值(106年)' printed '實際值(106', a plan '…管考要點' printed '…管考要',
a stacked label '內部流程' printed '內部流').  The driver reports every cell the layouter draws (the grid's
endCellDraw: page, bounds, text; a rowSpan/columnSpan cell comes with its first row's height and first column's
width, widened here over the span's cells) and `_not_drawn` asks, cell by cell, that the cell's text be a
subsequence, in content order, of the characters whose centres lie in its bounds (head cells on every page they
are repeated on, a row broken over pages by its parts together), and that every furniture line be on its page.
When text is lost the author turns row breaking off, makes every row taller (`row.height` = measured + 3 pt,
`row_extra`), then lowers the type a point at a time; a deck whose check still reports a problem is deleted and
render raises.  Taller rows alone often do not help (a line lost at 9 pt was still lost 6 pt taller): the smaller
type does.

Furniture: a cover, the office profile, a strategy map (boxes and text by drawRectangle/drawString) and a closing
slide; a running header and footer as the document's page templates (`doc.template.top/bottom` =
PdfPageTemplateElement, which takes its height off every page's client area) with the page number written by
PdfPageNumberField / PdfPageCountField inside a PdfCompositeField ('- {0} -', '{0} / {1}', '第 {0} 頁'), or the
numbers drawn by the author in a loop over `doc.pages` after the layout; a watermark ('內部資料', turned by
rotateTransform, optionally under `setTransparency`) under or over the tables.

Text layer: each `new PdfTrueTypeFont(base64, size)` is a font of its own (a Type0 Identity-H subset, tag of six
random letters; CIDFontType2 for TrueType faces, CIDFontType0 / FontFile3 for Noto CJK's CFF), resources named by
random GUIDs ('/dad566d9-74d9-44c3-...'), a ToUnicode per font; a Kangxi radical that shares its ideograph's glyph in
Noto reads back as the ideograph.  Noto CJK decks are slow, not hung: the save subsets each font object's CFF
(about 5 s each, a dozen sizes a deck), so a deck takes about a minute alone on this machine (several times more
under load; the first sets, drawn seven at a time, hit a 60 s timeout on most Noto decks and fell back to AR PL
UMing TW).  Layout probes (slides: fewer rows until no grid spills) run the driver with `dry`, which skips the
save.  TIMEOUT is 300 s; a driver that still does not return is taken for a hang and the deck drawn in AR PL
UMing TW, recorded in the manifest's options as `hang_fallback` (face, timeout).  No bold: the first decks drawn
with `PdfFontStyle.Bold` did not return within 60 s (perhaps only the same slowness, not tested again), so
headings are regular.  PDF 1.4, Flate-compressed content, no Info dictionary.  In Node the library needs a
`navigator` global (ej2-file-utils reads `navigator.msSaveBlob` when saving): the driver sets an empty one and saves
through `doc.save()` without a file name, which resolves to a Blob.  No licence key is needed and no evaluation
mark is printed by the PDF library.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .fonts import FACES, face_file, printable
from .layout import Col, Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, fold

SYNCFUSION = "34.2.8"  # npm install @syncfusion/ej2-pdf-export@34.2.8 in $REALTOOLS_CACHE/syncfusion (README, Setup)
JS = Path(__file__).with_name("r_syncfusion.js")
TIMEOUT = 300  # seconds; a Noto deck takes about a minute alone (the save subsets each CFF font object)
# slide sizes as SizeF; documents by PdfPageSize.a4 (595 x 842) / .letter (612 x 792) and an orientation
SIZES = {
    "4:3": (720.0, 540.0),
    "16:9": (960.0, 540.0),
    "A4L": (842.0, 595.0),
    "A4": (595.0, 842.0),
    "Letter": (612.0, 792.0),
    "LetterL": (792.0, 612.0),
}
NAVY = (0.12, 0.23, 0.41)
HEAD_FILLS = {"light": (0.85, 0.9, 0.97), "gray": (0.88, 0.88, 0.88), "sand": (0.98, 0.93, 0.82), "navy": NAVY}
ZEBRA_FILLS = {"blue": (0.92, 0.95, 0.98), "gray": (0.94, 0.94, 0.94)}
RULE_COLORS = {"black": (0, 0, 0), "gray": (0.5, 0.5, 0.5), "navy": NAVY}
HANG_FALLBACK = "AR PL UMing TW"
FOOTERS = {"dash": "- {0} -", "of": "{0} / {1}", "zh": "第 {0} 頁"}


def modules_dir() -> Path:
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "syncfusion" / "node_modules"
    if not (d / "@syncfusion" / "ej2-pdf-export" / "package.json").exists():
        cmd = f"npm install @syncfusion/ej2-pdf-export@{SYNCFUSION}"
        raise RuntimeError(f"Syncfusion is not installed: cd {d.parent} && {cmd}")
    return d


@cache
def tool_version(engine: str | None = None) -> str:
    d = modules_dir()
    ver = json.loads((d / "@syncfusion" / "ej2-pdf-export" / "package.json").read_text())["version"]
    if ver != SYNCFUSION:
        raise RuntimeError(f"@syncfusion/ej2-pdf-export {ver} installed, {SYNCFUSION} wanted")
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return f"@syncfusion/ej2-pdf-export {ver}, Node {node}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.45
    font = style["font"] if rng.random() < 0.85 else rng.choice(list(FACES))
    footer = rng.choice([None, "dash", "dash", "of", "of", "zh"])
    persp = style["persp_mode"]
    return {
        "flow": flow,
        "page": rng.choice(["A4", "A4L", "A4L", "Letter", "LetterL"]) if flow else style["page"],
        "margins": rng.choice([20, 30, 40]) if flow else rng.choice([0, 10, 20]),
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "font": font,
        "head_bold": rng.random() < 0.5,
        "head_fill": rng.choice([None, "light", "light", "gray", "sand"]) if style["rules"] != "none" else None,
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "rule_w": rng.choice([0.5, 0.5, 0.75, 1.0]),
        "dash": style["rules"] == "hrules" and rng.random() < 0.15,
        "pad": rng.choice([2, 3, 4]),
        "pad_v": rng.choice([1, 2, 3]),
        "merge_persp": rng.random() < 0.7,
        "merge_obj": rng.random() < 0.6,
        "turn": rng.choice(["rotate", "rotate", "stack"]) if persp == "rotated" else None,
        "repeat_header": rng.random() < 0.7,
        "row_break": rng.random() < 0.5,
        "theme_break": rng.random() < 0.6,
        "header": rng.random() < 0.35,
        "footer": footer,
        "footer_how": rng.choice(["template", "template", "loop"]),
        "footer_align": rng.choice(["right", "center"]),
        "watermark": style["watermark"] or rng.random() < 0.1,
        "watermark_layer": rng.choice(["under", "over"]),
        "watermark_alpha": rng.choice([None, 0.25, 0.4]),
        "watermark_angle": rng.choice([30, 45]),
        "closing": rng.random() < 0.7,
    }


class JobBuilder:
    """The driver's job for one deck: furniture pages as drawing ops, themes as PdfGrid specs."""

    def __init__(self, deck: Deck, opts: dict) -> None:
        self.d, self.o, self.st = deck, opts, deck.style
        self.W, self.H = SIZES[opts["page"]]
        m = opts["margins"]
        self.top_h = 22.0 if opts["header"] else 0.0
        self.bot_h = 20.0 if opts["footer"] and opts["footer_how"] == "template" else 0.0
        self.loop_h = 16.0 if opts["footer"] and opts["footer_how"] == "loop" else 0.0
        self.cw = self.W - 2 * m
        self.ch = self.H - 2 * m - self.top_h - self.bot_h
        self.pt = float(opts["font_pt"])
        self.family = opts["font"]
        self.items: list[dict] = []
        self.side = 0.0 if m >= 20 else 20.0 - m  # slides without margins keep the table off the edge

    def p(self, s: str) -> str:
        return printable(s, self.family)

    def text(self, x: float, y: float, s: str, size: float, color=(0, 0, 0), **kw) -> dict:
        op = {"t": "text", "x": round(x, 2), "y": round(y, 2), "s": self.p(s), "size": size, "color": list(color)}
        return {**op, **kw}

    # --- furniture ---------------------------------------------------------------------------------------------

    def furniture(self) -> None:
        d, cw, ch = self.d, self.cw, self.ch
        size = 30.0 if cw > 500 else 22.0
        self.items.append(
            {
                "t": "page",
                "ops": [
                    {"t": "rect", "x": 0, "y": 0, "w": cw, "h": 14, "fill": list(NAVY)},
                    self.text(0, ch * 0.36, d.org, size, align="center", w=cw, h=size * 1.5),
                    self.text(
                        0, ch * 0.36 + size * 1.8, "策略地圖與平衡計分卡", size - 4, align="center", w=cw, h=size * 1.5
                    ),
                ],
            }
        )
        ops = [self.text(self.side + 10, 20, f"{d.org}轄區概況", 20, NAVY, bold=True)]
        ops += [self.text(self.side + 30, 70 + i * 30, line, 14) for i, line in enumerate(d.profile_lines)]
        self.items.append({"t": "page", "ops": ops})
        self.strategy_map()

    def strategy_map(self) -> None:
        d, cw, ch = self.d, self.cw, self.ch
        x0 = self.side + 10
        ops = [self.text(x0, 20, f"{d.org}策略地圖", 20, NAVY, bold=True)]
        ops.append(self.text(0, 24, d.map_date, 12, align="right", w=cw - self.side - 10, h=20))
        ops.append(self.text(x0, 56, "願景：" + "、".join(t.shown for t in d.themes), 9, w=cw - 2 * x0, h=24))
        persps = [p for p in BSC_ORDER if any(o.perspective == p for t in d.themes for o in t.objectives)]
        y = 86.0
        band = (ch - y - 20) / max(1, len(persps))
        for p in persps:
            ops.append({"t": "rect", "x": x0, "y": y, "w": 80, "h": band - 10, "fill": list(NAVY)})
            ops.append(self.text(x0, y, f"{p}構面", 10, (1, 1, 1), align="center", valign="middle", w=80, h=band - 10))
            x = x0 + 95
            for t in d.themes:
                for o in t.objectives:
                    if o.perspective != p:
                        continue
                    w = min(140.0, len(o.shown) * 8 + 16)
                    if x + w > cw - 10:
                        break
                    ops.append({"t": "rect", "x": x, "y": y + 6, "w": w, "h": band - 22, "stroke": list(NAVY), "lw": 1})
                    ops.append(self.text(x + 4, y + 8, o.shown, 8, valign="middle", w=w - 8, h=band - 26))
                    x += w + 10
            y += band
        self.items.append({"t": "page", "ops": ops})

    def closing(self) -> None:
        self.items.append(
            {"t": "page", "ops": [self.text(0, self.ch * 0.42, "敬請指教", 36, align="center", w=self.cw, h=54)]}
        )

    # --- tables ------------------------------------------------------------------------------------------------

    def widths(self, cols: list[Col]) -> list[float]:
        usable = self.cw - 2 * self.side
        total = sum(c.weight for c in cols)
        ws = [round(c.weight * usable / total, 2) for c in cols]
        ws[-1] = round(usable - sum(ws[:-1]) - 0.01, 2)
        return ws

    def head(self, cols: list[Col]) -> list[list[dict | None]]:
        two = self.st["year_header"] == "two_row"
        cell = {"align": "center", "valign": "middle"}
        if not two:
            return [[{**cell, "text": self.p(c.label)} for c in cols]]
        top: list[dict | None] = []
        sub: list[dict | None] = []
        j = 0
        while j < len(cols):
            c = cols[j]
            if c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                top.append({**cell, "text": c.group, "colSpan": k - j + 1})
                top += [None] * (k - j)
                sub += [{**cell, "text": cols[m].sub or ""} for m in range(j, k + 1)]
                j = k + 1
                continue
            top.append({**cell, "text": self.p(c.label), "rowSpan": 2})
            sub.append(None)
            j += 1
        return [top, sub]

    def body(self, rows: list[Row], prev: list[Row], cols: list[Col]) -> list[dict]:
        st, o = self.st, self.o
        ids = [c.id for c in cols]
        align = st["halign"] if st["halign"] == "center" else "left"
        valign = st["valign"]
        out: list[dict] = []
        for r in rows:
            if r.kind == "band":
                cells = [{"text": self.p(r.cells["band"]), "colSpan": len(cols), "align": "left", "valign": "middle"}]
                out.append({"cells": cells + [None] * (len(cols) - 1), "band": True})
                continue
            out.append({"cells": [{"text": self.p(r.cells.get(c, "")), "align": align, "valign": valign} for c in ids]})
        for key in ("persp", "obj"):
            if key not in ids:
                continue
            j = ids.index(key)
            merge = o["merge_persp"] if key == "persp" else o["merge_obj"]
            mode = st["persp_mode"] if key == "persp" else "column"
            for start, n in runs(rows, key):
                blank = start == 0 and not o["flow"] and st["blank_cont"] and continues(prev, rows[start], key)
                label = "" if blank else self.p(rows[start].cells[key])
                for i in range(start, start + n):
                    c = out[i]["cells"][j]
                    c["text"] = label if i == start or not merge else ""
                    if mode == "stacked" or (mode == "rotated" and o["turn"] == "stack"):
                        c["text"] = "\n".join(c["text"])
                        c["align"], c["valign"], c["stack"] = "center", "middle", True
                    elif mode == "rotated" and c["text"]:
                        c["turn"] = True
                if merge and n > 1:
                    out[start]["cells"][j]["rowSpan"] = n
                    for i in range(start + 1, start + n):
                        out[i]["cells"][j] = None
        if st["rules"] == "zebra":
            k = 0
            for r, spec in zip(rows, out):
                if r.kind == "kpi":
                    if k % 2 == 1:
                        spec["fill"] = list(ZEBRA_FILLS[o["zebra_fill"]])
                    k += 1
        for spec in out:
            if spec.get("band") and st["rules"] != "none":
                spec["cells"][0]["fill"] = list(HEAD_FILLS["gray"])
        return out

    def grid(self, rows: list[Row], prev: list[Row], cols: list[Col]) -> dict:
        o, st = self.o, self.st
        head_fill = HEAD_FILLS.get(o["head_fill"] or "")
        return {
            "widths": self.widths(cols),
            "head": self.head(cols),
            "rows": self.body(rows, prev, cols),
            "style": {
                "pt": self.pt,
                "pad": o["pad"],
                "pad_v": o["pad_v"],
                "extra": o.get("row_extra", 0),
                "rules": st["rules"],
                "rule_color": list(RULE_COLORS[o["rule_color"]]),
                "rule_w": o["rule_w"],
                "dash": o["dash"],
                "head_fill": list(head_fill) if head_fill and o["head_fill"] != "navy" else None,
                "head_bold": o["head_bold"],
                "repeat_header": o["repeat_header"],
                "row_break": o["row_break"],
            },
        }

    def title(self, s: str) -> dict:
        size = 16.0 if not self.o["flow"] else 14.0
        return {"text": self.p(s), "size": size, "bold": True, "color": list(NAVY), "x": self.side}

    def themes(self, max_rows: int) -> None:
        d, o = self.d, self.o
        cols = columns(d)
        wm = o["watermark_layer"] if o["watermark"] else None
        for n, t in enumerate(d.themes):
            rows = theme_rows(d, t)
            if o["flow"]:
                self.items.append(
                    {
                        "t": "table",
                        "new_page": n == 0 or o["theme_break"],
                        "gap": 18,
                        "min_room": 140,
                        "title": self.title(theme_title(d, t)),
                        "grid": self.grid(rows, [], cols),
                        "x": self.side,
                        "watermark": wm,
                        "reserve": self.loop_h,
                    }
                )
                continue
            parts = chunk(rows, max_rows)
            for i, part in enumerate(parts):
                self.items.append(
                    {
                        "t": "table",
                        "new_page": True,
                        "gap": 0,
                        "min_room": 0,
                        "x": self.side,
                        "title": self.title(theme_title(d, t, i + 1, len(parts))),
                        "grid": self.grid(part, parts[i - 1] if i else [], cols),
                        "watermark": wm,
                        "reserve": self.loop_h,
                    }
                )

    def job(self, out_pdf: str | Path, max_rows: int) -> dict:
        o = self.o
        self.items = []
        self.furniture()
        self.themes(max_rows)
        if o["closing"] and not o["flow"]:
            self.closing()
        page: dict = {"margins": o["margins"], "client": [self.cw, self.ch]}
        if o["page"] in ("A4", "A4L", "Letter", "LetterL"):
            page.update(size="a4" if o["page"].startswith("A4") else "letter", landscape=o["page"].endswith("L"))
        else:
            page.update(size=[self.W, self.H], landscape=self.W > self.H)
        grey = [0.4, 0.4, 0.4]
        template: dict = {"top": None, "bottom": None}
        if o["header"]:
            template["top"] = {
                "h": self.top_h,
                "left": self.p(self.d.org),
                "right": "策略地圖與平衡計分卡",
                "size": 8,
                "color": list(NAVY),
            }
        loop = None
        if o["footer"]:
            foot = {"text": FOOTERS[o["footer"]], "size": 7, "color": grey, "align": o["footer_align"]}
            if o["footer_how"] == "template":
                left = self.p(f"{self.d.org}｜策略地圖與平衡計分卡") if o["footer_align"] == "right" else None
                template["bottom"] = {**foot, "h": self.bot_h, "left": left}
            else:
                loop = foot
        wm = None
        if o["watermark"]:
            wm = {
                "text": "內部資料",
                "size": 60,
                "angle": o["watermark_angle"],
                "alpha": o["watermark_alpha"],
                "color": [0.75, 0.75, 0.75] if o["watermark_alpha"] is None else [0.5, 0.5, 0.5],
                "x": self.cw * 0.3,
                "y": self.ch * 0.78,
            }
        return {
            "modules": str(modules_dir()),
            "out": str(out_pdf),
            "font": {"file": face_file(self.family)},
            "page": page,
            "template": template,
            "loop_footer": loop,
            "watermark": wm,
            "items": self.items,
        }


class Hang(RuntimeError):
    """The driver did not return in TIMEOUT seconds: taken for a hang (none seen since the timeout was raised)."""


def _run(job: dict, dry: bool = False) -> dict:
    with tempfile.TemporaryDirectory(prefix="r_syncfusion-") as tmp:
        path, report = Path(tmp) / "job.json", Path(tmp) / "report.json"
        path.write_text(json.dumps({**job, "report": str(report), "dry": dry}, ensure_ascii=False), encoding="utf-8")
        try:
            proc = subprocess.run(["node", str(JS), str(path)], capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired as e:
            raise Hang(f"Syncfusion did not return in {TIMEOUT} s") from e
        if proc.returncode or not (dry or Path(job["out"]).exists()):
            raise RuntimeError(f"Syncfusion failed: {proc.stderr.strip()[-3000:]}")
        return json.loads(report.read_text())


def _compact(s: str) -> str:
    return "".join(fold(s).split())


def _subsequence(want: str, have: str) -> bool:
    it = iter(have)
    return all(ch in it for ch in want)


def _chars_in(page, box: tuple[float, float, float, float], slack: float) -> str:
    """The characters whose centres lie in box (x0, y0, x1, y1, PDF points from the top left), in the order the
    content stream draws them."""
    x0, y0, x1, y1 = box[0] - slack, box[1] - slack, box[2] + slack, box[3] + slack
    out = []
    for b in page.get_text("rawdict")["blocks"]:
        for line in b.get("lines", []):
            for span in line["spans"]:
                for c in span["chars"]:
                    cx, cy = (c["bbox"][0] + c["bbox"][2]) / 2, (c["bbox"][1] + c["bbox"][3]) / 2
                    if x0 <= cx <= x1 and y0 <= cy <= y1:
                        out.append(c["c"])
    return _compact("".join(out))


def _not_drawn(pdf: str | Path, b: JobBuilder, report: dict) -> list[str]:
    """Text the library dropped (PdfGrid leaves out a cell's last line when it only just fits; drawString with a
    layout rectangle leaves out lines below it): every cell the grid drew must show its whole text, in order, among
    the characters inside the cell's bounds on the page the grid drew it on (header cells on every page they are
    repeated on); every table cell must have been drawn; every line of the furniture pages must be on its page."""
    import pymupdf

    doc = pymupdf.open(str(pdf))
    dx, dy = b.o["margins"], b.o["margins"] + b.top_h
    out = []
    for it, t in zip([i for i in b.items if i["t"] == "table"], report["tables"]):
        g = it["grid"]
        want = {}
        for i, row in enumerate(g["head"]):
            want.update({f"head/{i}/{j}": c["text"] for j, c in enumerate(row) if c and _compact(c["text"])})
        for i, row in enumerate(g["rows"]):
            want.update({f"body/{i}/{j}": c["text"] for j, c in enumerate(row["cells"]) if c and _compact(c["text"])})
        cspan = {}
        for i, row in enumerate(g["head"]):
            cspan.update({f"head/{i}/{j}": c.get("colSpan", 1) for j, c in enumerate(row) if c})
        for i, row in enumerate(g["rows"]):
            cspan.update({f"body/{i}/{j}": c.get("colSpan", 1) for j, c in enumerate(row["cells"]) if c})
        span = {}  # the layouter reports a rowSpan cell with its first row's height: the span's rows give the rest
        for i, row in enumerate(g["head"]):
            span.update({f"head/{i}/{j}": c.get("rowSpan", 1) for j, c in enumerate(row) if c})
        for i, row in enumerate(g["rows"]):
            span.update({f"body/{i}/{j}": c.get("rowSpan", 1) for j, c in enumerate(row["cells"]) if c})
        bottom: dict[tuple[int, str, int], float] = {}
        right: dict[tuple[int, str, int, int], float] = {}  # and a columnSpan cell with its first column's width
        for c in t["cells"]:
            if c["key"]:
                kind, i, j = c["key"].split("/")
                k = (c["page"], kind, int(i))
                bottom[k] = max(bottom.get(k, 0.0), c["box"][1] + c["box"][3])
                right[(*k, int(j))] = c["box"][0] + c["box"][2]
        seen: dict[str, str] = {}
        for c in t["cells"]:
            if c["key"] not in want or not 0 < c["page"] <= len(doc):
                continue
            x, y, w, h = c["box"]
            kind, i, j = c["key"].split("/")
            for r in range(int(i), int(i) + span.get(c["key"], 1)):
                h = max(h, bottom.get((c["page"], kind, r), 0.0) - y)
            for m in range(int(j), int(j) + cspan.get(c["key"], 1)):
                w = max(w, right.get((c["page"], kind, int(i), m), 0.0) - x)
            slack = b.pt * 1.5 if c["turned"] else 1.5
            got = _chars_in(doc[c["page"] - 1], (x + dx, y + dy, x + w + dx, y + h + dy), slack)
            if c["key"].startswith("head/"):
                if not _subsequence(_compact(want[c["key"]]), got):
                    out.append(f"page {c['page']}: header cell text not drawn: {want[c['key']]!r} reads {got!r}")
                seen[c["key"]] = got
            else:  # a row broken across pages: its parts together
                seen[c["key"]] = seen.get(c["key"], "") + got
        for key, text in want.items():
            if key not in seen:
                out.append(f"pages {t['first']}-{t['last']}: cell {key} never drawn: {text!r}")
            elif key.startswith("body/") and not _subsequence(_compact(text), seen[key]):
                out.append(f"pages {t['first']}-{t['last']}: cell text not drawn: {text!r} reads {seen[key]!r}")
    for it, pno in zip([i for i in b.items if i["t"] == "page"], report["furniture"]):
        page_text = _compact(doc[pno - 1].get_text())
        for op in it["ops"]:
            if op["t"] == "text" and not _subsequence(_compact(op["s"]), page_text):
                out.append(f"page {pno}: text not drawn: {op['s']!r}")
    return out


LOST = ("missing", "not drawn", "never drawn")


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide) and row_extra (points added to
    every grid row's measured height).  Slides whose grid the library carried over to another page get fewer rows,
    then smaller type (found by layout probes that skip the slow save); a KPI row split over two pages turns row
    breaking off; text the library did not draw makes the rows taller, then the type smaller, as an author who
    checks the printout would.  A deck whose check still finds problems is not written: RuntimeError.  Returns
    the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    opts.setdefault("row_extra", 0)
    tool_version()
    max_rows = int(opts.get("max_rows", st["max_rows"]))
    problems: list[str] = []
    runs_ = 0
    for _ in range(60):
        b = JobBuilder(deck, opts)
        job = b.job(out_pdf, 99 if opts["flow"] else max_rows)
        try:
            if not opts["flow"]:
                report = _run(job, dry=True)
                if [round(v) for v in report["client"]] != [round(b.cw), round(b.ch)]:
                    raise RuntimeError(f"client area {report['client']} != {[b.cw, b.ch]}")
                spilled = any(t["first"] != t["last"] or t["bottom"] > b.ch - b.loop_h + 0.5 for t in report["tables"])
                if spilled:
                    if max_rows > 1:
                        max_rows -= 1
                    elif opts["font_pt"] > 6:
                        opts["font_pt"] -= 1
                    else:
                        raise RuntimeError("a single KPI row does not fit on a slide")
                    continue
            runs_ += 1
            report = _run(job)
        except Hang:
            if opts["font"] == HANG_FALLBACK:
                raise
            # the author whose export never finishes picks another face; the manifest says so
            opts["hang_fallback"] = {"face": opts["font"], "timeout_s": TIMEOUT}
            opts["font"] = HANG_FALLBACK
            continue
        if [round(v) for v in report["client"]] != [round(b.cw), round(b.ch)]:
            raise RuntimeError(f"client area {report['client']} != {[b.cw, b.ch]}")
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck) + _not_drawn(out_pdf, b, report)
        lost = any(w in p for p in problems for w in LOST)
        if lost and opts["row_break"]:
            opts["row_break"] = False
            continue
        if lost and opts["row_extra"] < 3:
            opts["row_extra"] += 3
            continue
        if (lost or any("outside the page" in p for p in problems)) and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        break
    else:
        raise RuntimeError("no layout found")
    if problems:
        Path(out_pdf).unlink(missing_ok=True)
        raise RuntimeError(f"{deck.stem}: the drawn deck still has problems: {problems}")
    if not opts["flow"]:
        opts["max_rows"] = max_rows
    opts["runs"] = runs_
    opts["problems"] = problems
    return opts
