"""Stimulsoft renderer: the deck as a Stimulsoft Reports.JS report (npm stimulsoft-reports-js 2026.3.4, the report
engine and designer of many web back-offices, here run in Node as its README shows), built in code by a small
driver (`r_stimulsoft.js`) from a JSON job written by this module, rendered by the report engine
(`report.renderAsync`) and written by the engine's own PDF export
(`report.exportDocumentAsync(..., StiExportFormat.Pdf)`).

The report: one StiPage per furniture page (cover, office profile, strategy map, closing) with StiText and StiShape
components placed on it, and one table StiPage whose bands run over a DataSet read from JSON (`readJson`,
`regData`): a GroupHeaderBand per slide (slides: `NewPageBefore`, landscape 4:3/16:9/A4 pages, each theme's rows cut
by the deck's row budget, title '--k/n') or per theme (an A4 document the engine paginates: themes on a new page
or following on, moved to a new page when less than 30% of it is left (`BreakIfLessThan`), the title and column
heads repeated on every page by the group header's `PrintOnAllPages` or printed once), holding the title and the
column heads (one row, or the two-row year head with a spanning '實際值' cell); in band mode a nested
GroupHeaderBand on the perspective label (the engine prints it again at the top of every slide and whenever the
label changes); a DataBand of StiText cells (`CanGrow`, `GrowToHeight`, `WordWrap`, StiBorder all sides / bottom
only / none, `Margins` as padding, an `EvenStyle` zebra fill); 構面/策略目標 labels merged down their rows by
`ProcessingDuplicates = Merge`, repeated on every row, stacked one character a line or turned by `Angle = 90`;
`CanBreak` on the DataBand lets the engine split a KPI row over two pages (the author who sees a split row turns
it off and renders again); a PageFooterBand with '- {PageNumber} -', '{PageNumber} / {TotalPageCount}' or
'第 {PageNumber} 頁' (numbers count the whole report, the cover included); the '內部資料' watermark as the page's
StiWatermark (text, angle, alpha, behind or over the content).  The report's
unit is hundredths of an inch; the job gives points.

CJK: the face chosen as fonts.py chooses it (the deck's, now and then another), registered with
`StiFontCollection.addOpentypeFontFile(file, name)`; the export embeds a Type0 Identity-H subset with a ToUnicode
map (tag 'SR....+'): CIDFontType2 for the TrueType faces, CIDFontType0C for Noto CJK's CFF, which poppler reads but
warns about ('Mismatch between font type and embedded font file', once per page drawn); an unembedded TrueType
'Arial' resource comes along in every file.  The face is used regular only (no bold face is registered).  PDF 1.7,
tagged, with XMP metadata; Title is the report name (the deck's stem), Creator 'Stimulsoft Reports.JS 2026.3.4 from
2026.09.09', Producer 'Stimulsoft Reports'.  A run (render and export, Node start included) takes about 7 s alone for
a deck of 5-11 pages, several times that under load; slides first run a layout probe without the export (`dry`).

Trial: unlicensed, the library prints 'You are using a trial version of the Stimulsoft product!' on the console
(twice a run, recorded as `trial_notice` in the manifest) and the PDF export draws on every page a large grey
'Trial' at 45° across the page as stroked vector paths (line width 28 pt, grey 0.39, stroke opacity 0.25; not text,
so the text layer is untouched) and a 200 x 52 px 'STIMULSOFT' logo image at the bottom centre; both are kept, as
real unlicensed use prints them.

Engine quirks met while writing the driver: a StiText configured before it is added to its band or page fails at
render time ('Cannot read properties of null (reading 'calculationMode')', printed per component on the console;
the render callback never comes and no PDF is written), so components are added first; `CanGrow` on a text turned
by `Angle = 90` widens its box by the turned text's length (a 24 pt 構面 column came back 87 pt wide, the label drawn
over the 策略目標 column, merged or not), so turned labels only `GrowToHeight`; `GrowToHeight` on the spanning
'實際值' head cell stretches it to the foot of the group header, its centred text then drawn across the rule over
the year row, so that cell does not grow.

Dropped text: the driver reports every StiText of the rendered pages (page, bounds, name, text) and `_not_drawn`
asks, cell by cell, that the text read, in order, from the characters whose centres lie in its bounds (a data cell
held to its column's template width, since a turned label's box comes back wider than its column).  Lost text makes
the author turn row breaking off, then unmerge and heighten turned labels and at last stack them, then make the
type smaller; a deck whose check still reports a problem is deleted and render raises.  In the sets drawn so far
(seeds 2101-2103, 18 decks) no deck needed a second run.
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
from .layout import Col, Row, check, chunk, columns, find_pages, persp_label, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, fold

STIMULSOFT = "2026.3.4"  # npm install stimulsoft-reports-js@2026.3.4 in $REALTOOLS_CACHE/stimulsoft (README, Setup)
JS = Path(__file__).with_name("r_stimulsoft.js")
TIMEOUT = 300
SIZES = {"4:3": (720.0, 540.0), "16:9": (960.0, 540.0), "A4L": (842.0, 595.0), "A4": (595.0, 842.0)}
NAVY = (0.12, 0.23, 0.41)
HEAD_FILLS = {"light": (0.85, 0.9, 0.97), "gray": (0.88, 0.88, 0.88), "sand": (0.98, 0.93, 0.82)}
ZEBRA_FILLS = {"blue": (0.92, 0.95, 0.98), "gray": (0.94, 0.94, 0.94)}
RULE_COLORS = {"black": (0, 0, 0), "gray": (0.5, 0.5, 0.5), "navy": NAVY}
FOOTERS = {"dash": "- {PageNumber} -", "of": "{PageNumber} / {TotalPageCount}", "zh": "第 {PageNumber} 頁"}


def modules_dir() -> Path:
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "stimulsoft" / "node_modules"
    if not (d / "stimulsoft-reports-js" / "package.json").exists():
        cmd = f"npm install --save-exact stimulsoft-reports-js@{STIMULSOFT}"
        raise RuntimeError(f"Stimulsoft Reports.JS is not installed: cd {d.parent} && {cmd}")
    return d


@cache
def tool_version(engine: str | None = None) -> str:
    d = modules_dir()
    ver = json.loads((d / "stimulsoft-reports-js" / "package.json").read_text())["version"]
    if ver != STIMULSOFT:
        raise RuntimeError(f"stimulsoft-reports-js {ver} installed, {STIMULSOFT} wanted")
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return f"Stimulsoft Reports.JS {ver} (trial), Node {node}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    font = style["font"] if rng.random() < 0.85 else rng.choice(list(FACES))
    return {
        "flow": flow,
        "page": rng.choice(["A4", "A4", "A4L"]) if flow else style["page"],
        "margins": rng.choice([20, 28, 36]) if flow else rng.choice([14, 20, 28]),
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "font": font,
        "head_fill": rng.choice([None, "light", "light", "gray", "sand"]) if style["rules"] != "none" else None,
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "rule_w": rng.choice([0.5, 0.5, 0.75, 1.0]),
        "pad": rng.choice([2, 3, 4]),
        "merge_persp": rng.random() < 0.7,
        "merge_obj": rng.random() < 0.6,
        "turn": rng.choice(["angle", "angle", "stack"]) if style["persp_mode"] == "rotated" else None,
        "repeat_header": rng.random() < 0.7,
        "row_break": rng.random() < 0.5,
        "theme_break": rng.random() < 0.6,
        "footer": rng.choice([None, "dash", "dash", "of", "of", "zh"]),
        "footer_align": rng.choice(["right", "center"]),
        "footer_left": rng.random() < 0.5,
        "watermark": style["watermark"] or rng.random() < 0.1,
        "watermark_behind": rng.random() < 0.5,
        "watermark_alpha": rng.choice([0.15, 0.25, 0.4]),
        "watermark_angle": rng.choice([30, 45]),
        "closing": rng.random() < 0.7,
        "row_min": 0,
    }


class JobBuilder:
    """The driver's job for one deck: furniture pages as components, the themes as a banded table page."""

    def __init__(self, deck: Deck, opts: dict) -> None:
        self.d, self.o, self.st = deck, opts, deck.style
        self.W, self.H = SIZES[opts["page"]]
        self.m = float(opts["margins"])
        self.foot_h = 18.0 if opts["footer"] else 0.0
        self.cw = self.W - 2 * self.m
        self.ch = self.H - 2 * self.m
        self.pt = float(opts["font_pt"])
        self.family = opts["font"]

    def p(self, s: str) -> str:
        return printable(s, self.family)

    def text(self, x: float, y: float, w: float, h: float, s: str, size: float, **kw) -> dict:
        return {
            "t": "text",
            "x": round(x, 2),
            "y": round(y, 2),
            "w": round(w, 2),
            "h": round(h, 2),
            "s": self.p(s),
            "size": size,
            **kw,
        }

    def spec(self, name: str, **kw) -> dict:
        return {"name": name, "w": self.W, "h": self.H, "margins": [self.m] * 4, **kw}

    # --- furniture ---------------------------------------------------------------------------------------------

    def furniture(self) -> list[dict]:
        d, cw, ch = self.d, self.cw, self.ch
        size = 30.0 if cw > 600 else 24.0
        cover = [
            {"t": "shape", "x": 0, "y": 0, "w": cw, "h": 14, "fill": list(NAVY)},
            self.text(0, ch * 0.34, cw, size * 1.6, d.org, size, align="center"),
            self.text(0, ch * 0.34 + size * 1.9, cw, size * 1.6, "策略地圖與平衡計分卡", size - 4, align="center"),
        ]
        prof = [self.text(10, 10, cw - 20, 30, f"{d.org}轄區概況", 20, color=list(NAVY))]
        prof += [self.text(30, 64 + i * 30, cw - 60, 24, line, 14) for i, line in enumerate(d.profile_lines)]
        return [
            self.spec("Cover", ops=cover, no_footer=True),
            self.spec("Profile", ops=prof),
            self.spec("StrategyMap", ops=self.strategy_map()),
        ]

    def strategy_map(self) -> list[dict]:
        d, cw, ch = self.d, self.cw, self.ch
        ops = [self.text(10, 10, cw * 0.7, 30, f"{d.org}策略地圖", 20, color=list(NAVY))]
        ops.append(self.text(cw * 0.7, 14, cw * 0.3 - 10, 20, d.map_date, 12, align="right"))
        ops.append(self.text(10, 48, cw - 20, 28, "願景：" + "、".join(t.shown for t in d.themes), 9))
        persps = [p for p in BSC_ORDER if any(o.perspective == p for t in d.themes for o in t.objectives)]
        y = 84.0
        band = (ch - self.foot_h - y - 10) / max(1, len(persps))
        for p in persps:
            ops.append(
                self.text(
                    10,
                    y,
                    80,
                    band - 10,
                    f"{p}構面",
                    10,
                    color=[1, 1, 1],
                    fill=list(NAVY),
                    align="center",
                    valign="middle",
                )
            )
            x = 105.0
            for t in d.themes:
                for o in t.objectives:
                    if o.perspective != p:
                        continue
                    w = min(140.0, len(o.shown) * 8 + 16)
                    if x + w > cw - 10:
                        break
                    ops.append(
                        self.text(
                            x,
                            y + 6,
                            w,
                            band - 22,
                            o.shown,
                            8,
                            valign="middle",
                            pad=[3, 1],
                            border={"sides": "all", "color": list(NAVY), "w": 1},
                        )
                    )
                    x += w + 10
            y += band
        return ops

    def closing(self) -> dict:
        return self.spec("Closing", ops=[self.text(0, self.ch * 0.4, self.cw, 54, "敬請指教", 36, align="center")])

    # --- the table ---------------------------------------------------------------------------------------------

    def widths(self, cols: list[Col]) -> list[float]:
        total = sum(c.weight for c in cols)
        ws = [round(c.weight * self.cw / total, 2) for c in cols]
        ws[-1] = round(self.cw - sum(ws[:-1]) - 0.05, 2)
        return ws

    def border(self) -> dict | None:
        rules = self.st["rules"]
        if rules == "none":
            return None
        sides = "all" if rules == "grid" else "bottom"
        return {"sides": sides, "color": list(RULE_COLORS[self.o["rule_color"]]), "w": self.o["rule_w"]}

    def head_ops(self, cols: list[Col], y0: float) -> tuple[list[dict], float]:
        o = self.o
        ws = self.widths(cols)
        xs = [sum(ws[:i]) for i in range(len(ws))]
        line = self.pt * 1.35
        fill = HEAD_FILLS.get(o["head_fill"] or "")
        border = self.border()
        base = {"align": "center", "valign": "middle", "grow": True, "pad": [o["pad"], 1]}
        if border:
            base["border"] = {**border, "sides": "all" if border["sides"] == "all" else "topbottom"}
        if fill:
            base["fill"] = list(fill)
        two = self.st["year_header"] == "two_row"
        lines = max(max(len(c.label.split("\n")) for c in cols), 1)
        rh = line * lines + 4
        ops: list[dict] = []
        if not two:
            for c, x, w in zip(cols, xs, ws):
                ops.append(self.text(x, y0, w, rh, c.label, self.pt, **base))
            return ops, rh
        sub = line + 4
        j = 0
        while j < len(cols):
            c = cols[j]
            if c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                # the spanning group cell does not grow: GrowToHeight would stretch it to the band's foot, its
                # centred text then drawn across the rule over the year row
                top = {**base, "grow": False}
                ops.append(self.text(xs[j], y0, sum(ws[j : k + 1]), sub, c.group, self.pt, **top))
                for m in range(j, k + 1):
                    ops.append(self.text(xs[m], y0 + sub, ws[m], sub, cols[m].sub or "", self.pt, **base))
                j = k + 1
                continue
            ops.append(self.text(xs[j], y0, ws[j], 2 * sub, c.label, self.pt, **base))
            j += 1
        return ops, 2 * sub

    def cells(self, cols: list[Col]) -> list[dict]:
        o, st = self.o, self.st
        ws = self.widths(cols)
        xs = [sum(ws[:i]) for i in range(len(ws))]
        h = max(self.pt * 1.35 + 4, o["row_min"])
        border = self.border()
        out = []
        for c, x, w in zip(cols, xs, ws):
            cell = {
                "name": f"Cell_{c.id}",
                "x": x,
                "y": 0,
                "w": w,
                "h": h,
                "field": f"c_{c.id}",
                "size": self.pt,
                "grow": True,
                "pad": [o["pad"], 1],
                "align": st["halign"],
                "valign": st["valign"],
            }
            if border:
                cell["border"] = border
            if c.id in ("persp", "obj") and (o["merge_persp"] if c.id == "persp" else o["merge_obj"]):
                cell["merge"] = True
                cell["valign"] = "middle"
            if c.id == "persp":
                cell["align"] = "center"
                if st["persp_mode"] == "rotated" and o["turn"] == "angle":
                    cell["angle"] = 90
                    cell["valign"] = "middle"
                    cell["grow"], cell["to_height"] = False, True
            out.append(cell)
        return out

    def row_data(self, rows: list[Row], g: str, title: str, cols: list[Col]) -> list[dict]:
        st = self.st
        out = []
        band = ""
        for r in rows:
            if r.kind == "band":
                band = self.p(r.cells["band"])
                continue
            rec = {"g": g, "title": self.p(title), "band": band or self.p(persp_label(self.d, r.persp))}
            for c in cols:
                s = self.p(r.cells.get(c.id, ""))
                if c.id == "persp" and (
                    st["persp_mode"] == "stacked" or (st["persp_mode"] == "rotated" and self.o["turn"] == "stack")
                ):
                    s = "\n".join(s)
                rec[f"c_{c.id}"] = s
            out.append(rec)
        return out

    def table(self, max_rows: int) -> dict:
        d, o = self.d, self.o
        cols = columns(d)
        band_mode = self.st["persp_mode"] == "band"
        title_h = 26.0 if not o["flow"] else 22.0
        head, head_h = self.head_ops(cols, title_h)
        ops = [
            {
                **self.text(0, 0, self.cw, title_h - 4, "", 16 if not o["flow"] else 14, color=list(NAVY)),
                "s": "{rows.title}",
            }
        ] + head
        if self.st["logo"]:
            ops[0]["w"] = self.cw - 110
            ops.append(
                self.text(
                    self.cw - 100,
                    0,
                    100,
                    title_h - 6,
                    d.short,
                    10,
                    color=list(NAVY),
                    align="center",
                    valign="middle",
                    border={"sides": "all", "color": list(NAVY), "w": 1},
                )
            )
        rows: list[dict] = []
        for t in d.themes:
            trows = theme_rows(d, t)
            if o["flow"]:
                rows += self.row_data(trows, t.letter, theme_title(d, t), cols)
                continue
            parts = chunk(trows, max_rows)
            for i, part in enumerate(parts):
                rows += self.row_data(part, f"{t.letter}{i}", theme_title(d, t, i + 1, len(parts)), cols)
        spec = self.spec(
            "Scorecard",
            rows=rows,
            group={
                "h": title_h + head_h,
                "ops": ops,
                "new_page": (not o["flow"]) or o["theme_break"],
                "repeat": o["flow"] and o["repeat_header"],
                "gap": o["flow"] and not o["theme_break"],
                "break_if_less": 30,
            },
            data={
                "h": max(self.pt * 1.35 + 4, o["row_min"]),
                "can_break": o["flow"] and o["row_break"],
                "cells": self.cells([c for c in cols]),
                "zebra": list(ZEBRA_FILLS[o["zebra_fill"]]) if self.st["rules"] == "zebra" else None,
            },
        )
        if band_mode:
            b = self.border()
            spec["band"] = {
                "h": self.pt * 1.35 + 4,
                "cell": {
                    "x": 0,
                    "y": 0,
                    "w": self.cw,
                    "h": self.pt * 1.35 + 4,
                    "size": self.pt,
                    "grow": True,
                    "pad": [o["pad"], 1],
                    "valign": "middle",
                    "fill": list(HEAD_FILLS["gray"]),
                    **({"border": b} if b else {}),
                },
            }
        return spec

    def job(self, out_pdf: str | Path, max_rows: int) -> dict:
        o = self.o
        self.job_table = self.table(max_rows)
        foot = None
        if o["footer"]:
            foot = {
                "h": self.foot_h,
                "text": FOOTERS[o["footer"]],
                "size": 7,
                "align": o["footer_align"],
                "rule": True,
                "left": self.p(f"{self.d.org}｜策略地圖與平衡計分卡")
                if o["footer_left"] and o["footer_align"] == "right"
                else None,
            }
        wm = None
        if o["watermark"]:
            wm = {
                "text": "內部資料",
                "size": 60,
                "angle": o["watermark_angle"],
                "alpha": o["watermark_alpha"],
                "color": [0.6, 0.6, 0.6],
                "behind": o["watermark_behind"],
            }
        return {
            "modules": str(modules_dir()),
            "name": f"{self.d.stem}",
            "out": str(out_pdf),
            "font": {"file": face_file(self.family), "name": self.family.replace(" ", "")},
            "furniture": self.furniture(),
            "table": self.job_table,
            "closing": self.closing() if o["closing"] and not o["flow"] else None,
            "footer": foot,
            "watermark": wm,
        }


def _run(job: dict, dry: bool = False) -> dict:
    with tempfile.TemporaryDirectory(prefix="r_stimulsoft-") as tmp:
        path, report = Path(tmp) / "job.json", Path(tmp) / "report.json"
        path.write_text(json.dumps({**job, "report": str(report), "dry": dry}, ensure_ascii=False), encoding="utf-8")
        try:
            proc = subprocess.run(["node", str(JS), str(path)], capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired as e:
            raise RuntimeError(f"Stimulsoft did not return in {TIMEOUT} s") from e
        if proc.returncode or not report.exists() or not (dry or Path(job["out"]).exists()):
            raise RuntimeError(f"Stimulsoft failed: {(proc.stdout + proc.stderr).strip()[-3000:]}")
        out = json.loads(report.read_text())
        out["notices"] += [ln.strip() for ln in (proc.stdout + proc.stderr).splitlines() if "trial" in ln.lower()]
        return out


def _compact(s: str) -> str:
    return "".join(fold(s).split())


def _subsequence(want: str, have: str) -> bool:
    it = iter(have)
    return all(ch in it for ch in want)


def _chars_in(page, box: tuple[float, float, float, float], slack: float) -> str:
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
    """Text the engine did not draw inside its component: every rendered StiText must show its whole text, in
    order, among the characters whose centres lie in its bounds (slack for turned text)."""
    import pymupdf

    doc = pymupdf.open(str(pdf))
    cols = {c["name"]: (c["x"], c["w"]) for c in b.job_table["data"]["cells"]}
    out = []
    for t in report["texts"]:
        want = _compact(t["text"])
        if not want or "{" in t["text"] or not 0 < t["page"] <= len(doc):
            continue
        x, y, w, h = t["box"]
        if t["name"] in cols:  # a cell stays in its column (a merged turned label comes back wider than it)
            x, w = cols[t["name"]]
        box = (x + b.m, y + b.m, x + w + b.m, y + h + b.m)
        got = _chars_in(doc[t["page"] - 1], box, 2.0)
        if not _subsequence(want, got):
            out.append(f"page {t['page']}: text not drawn in its box: {t['text']!r} reads {got!r}")
    return out


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide).  Slides whose group the engine
    carried over to another page get fewer rows, then smaller type; a KPI row split over two pages turns row
    breaking off; text not drawn in its box makes the rows taller, turned labels stacked, then the type smaller.
    A deck whose check still finds problems is not written: RuntimeError.  Returns the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    tool_version()
    max_rows = int(opts.get("max_rows", st["max_rows"]))
    problems: list[str] = []
    notices: list[str] = []
    runs_ = 0
    for _ in range(40):
        b = JobBuilder(deck, opts)
        job = b.job(out_pdf, 99 if opts["flow"] else max_rows)
        if not opts["flow"]:
            report = _run(job, dry=True)
            slides = sum(len(chunk(theme_rows(deck, t), max_rows)) for t in deck.themes)
            want = 3 + slides + (1 if job["closing"] else 0)
            if report["pages"] > want:
                if max_rows > 1:
                    max_rows -= 1
                elif opts["font_pt"] > 6:
                    opts["font_pt"] -= 1
                else:
                    raise RuntimeError("a single KPI row does not fit on a slide")
                continue
        runs_ += 1
        report = _run(job)
        notices = report["notices"]
        try:
            find_pages(out_pdf, deck)
        except ValueError as e:
            problems = [f"split: {e}"]
        else:
            problems = check(out_pdf, deck) + _not_drawn(out_pdf, b, report)
        lost = bool(problems)
        if lost and opts["flow"] and opts["row_break"]:
            opts["row_break"] = False
            continue
        turned_lost = any("not drawn" in p for p in problems) and opts["turn"] == "angle"
        if turned_lost and opts["merge_persp"]:
            opts["merge_persp"] = False
            continue
        if turned_lost and opts["row_min"] < 3 * b.pt:
            opts["row_min"] = round(opts["row_min"] + b.pt * 3, 1)
            continue
        if turned_lost:
            opts["turn"] = "stack"
            continue
        if lost and opts["font_pt"] > 6:
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
    opts["trial_notice"] = sorted(set(notices))[:3]
    opts["problems"] = problems
    return opts
