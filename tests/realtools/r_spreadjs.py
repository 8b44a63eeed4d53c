"""SpreadJS 19.2.3 (npm @mescius/spread-sheets with @mescius/spread-sheets-print and -pdf; MESCIUS, formerly GrapeCity:
the commercial JavaScript spreadsheet of many East Asian government and enterprise web systems) and its own PDF
export, `spread.savePDF`, in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core).  The deck is
built as a workbook with SpreadJS's API by `r_spreadjs.js` from a JSON job this module writes (cells, styles, spans,
borders, formatters, page breaks, print info); SpreadJS measures, wraps (`wordWrap`, rows by `autoFitRow`) and
paginates each sheet itself, and writes the PDF with its own PDF library ('SpreadJS Pdf Library JS', PDF 1.3).

Trial mode: no licence key.  SpreadJS builds no sheet on about:blank (`getActiveSheet()` is null), so the page is
served as http://localhost/ (playwright's route, no network); there it runs as an evaluation build and the PDF carries
no evaluation mark.

The workbook: a cover sheet, a 轄區概況 sheet, a 策略地圖 sheet (a row per 構面, objectives in bordered cells), the
theme tables, optionally a closing sheet.  Theme tables one worksheet per theme ('sheets': title row, optionally an
office subtitle row, head, KPI rows) or one long sheet ('long': a title, the head once as repeated rows, a merged
title row before each theme's rows, or each theme with its own title and head; optionally a page break before each
theme).  Columns as layout.columns, widths (px) from the deck's weights scaled to the printable width at the zoom.
構面 and objective runs merged (`addSpan`), or written on every row or on the first only; 構面 labels turned
(`textOrientation` 90 or -90), stacked (`isVerticalText`) or one character a line; band rows spanned across.  Rows
by SpreadJS's `autoFitRow` (spans ignored), optionally scaled; rows of turned labels raised until the label fits its
run.  Where a merged run crosses a page (read from the printed PDF) the author ends the span there and writes the
label again on the next page, and prints again.  Values as numbers with Excel number formats printing the deck's
text ('#,##0"人"', '0.0%', '"≧"0.0%'; checked against `getText`, text where they differ) or as text; a number
wider than its cell prints as '#######' (Excel's rule, SpreadJS's too; the first sets lost values so), so where
a page shows '###' the author widens the value columns by 40 % and prints again, then types the values as text
(`hash_fixes`).
Borders by `setBorder` (grid, outer frame + horizontal rules, horizontal rules, none with or without printed gridlines),
thin/hair/dotted lines, zebra fills, head fills, bold heads, band fills.  Print info: A4 / Letter / A3 / B4, landscape
or portrait, fit to 1 page wide or a zoom factor, centred or not, margins, repeated rows (head, or title and head),
manual row page breaks, `pageHeaderFooter` ('&P / &N', '第 &P 頁，共 &N 頁', '- &P -', '第&P頁', the office, &A),
and a watermark: SpreadJS prints only image watermarks (`printInfo.watermark`), so '內部資料' is drawn on a canvas
and placed as a PNG (no text).

Fonts: the face of fonts.py registered with `PDF.PDFFontsManager.registerFont` (base64), normal and bold the same
file or bold left unregistered; Chromium measures with the system face of the same family name.  Cells whose
font is not registered come out in the standard Times-Roman with their UTF-16 bytes as WinAnsi (ideographs read as
'cÐSGlw>n'): found in the first probe (a sheet default style's font is not used by the PDF export), so every cell
names the face.  Noto CJK (CID-keyed CFF) embeds as CIDFontType0C with most ideographs drawn blank (the text layer is
whole, the page shows '提升民眾滿意度' as '  升民眾' with gaps): the author converts the face to TrueType (a per-deck
subset, cu2qu outlines, r_rinoh._otf_to_ttf) or prints in a TrueType face instead (`noto_as`).  Every registered
face embeds as a CID TrueType subset, Identity-H, with ToUnicode, tagged 'CZZZZZ+'.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .fonts import TRUETYPE, cache_dir, face_file, printable
from .layout import check, columns, find_pages, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

SPREADJS = "19.2.3"  # npm @mescius/spread-sheets(-print, -pdf) in /work/gen/npm-spreadjs (README, Setup)
JS = Path(__file__).with_name("r_spreadjs.js")
TIMEOUT = 600
NUM_RX = re.compile(r"^([≧≥≦≤]?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?(.*)$")
HEAD_FILLS = {"blue": "#DDEBF7", "navy": "#1F4E79", "gray": "#D9D9D9", "green": "#E2EFDA", "sand": "#FCE4D6"}
ZEBRA = {"blue": "#EEF2F7", "gray": "#F2F2F2", "yellow": "#FFF9E5"}
LINE = {"black": "#000000", "dark": "#404040", "gray": "#808080"}
PAPER_IN = {"a4": (8.27, 11.69), "letter": (8.5, 11.0), "a3": (11.69, 16.54), "b4": (9.84, 13.9)}
FOOTERS = {"of": "&P / &N", "zh": "第 &P 頁，共 &N 頁", "dash": "- &P -", "page": "第&P頁"}
NAVY = "#1F4E79"


def modules_dir() -> Path:
    return Path(os.environ.get("REALTOOLS_SPREADJS_MODULES", "/work/gen/npm-spreadjs/node_modules"))


@cache
def tool_version(engine: str | None = None) -> str:
    out = subprocess.run(["node", str(JS), "--version"], capture_output=True, text=True, env=_env())
    if out.returncode:
        raise RuntimeError(f"SpreadJS is not installed ({modules_dir()}): {out.stderr.strip()[-500:]}")
    v = json.loads(out.stdout)
    if v["sheets"] != SPREADJS or v["pdf"] != SPREADJS:
        raise RuntimeError(f"@mescius/spread-sheets {SPREADJS} wanted, {v} installed")
    chrome = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip()
    pdf = f"spread-sheets-print/-pdf {v['pdf']}, trial"
    return f"SpreadJS {v['sheets']} ({pdf}), playwright-core {v['playwright']}, {chrome}"


def _env() -> dict:
    return {**os.environ, "REALTOOLS_SPREADJS_MODULES": str(modules_dir())}


def producer_options(rng: random.Random, style: dict) -> dict:
    rules = style["rules"]
    if rules == "hrules" and rng.random() < 0.5:
        rules = "outer_h"
    landscape = rng.random() < 0.75
    font = style["font"] if rng.random() < 0.85 else "AR PL UKai TW"
    return {
        "layout": rng.choice(["sheets", "sheets", "long"]),
        "paper": rng.choice(["a4", "a4", "a4", "letter", "a3", "b4"])
        if landscape
        else rng.choice(["a4", "a4", "letter"]),
        "landscape": landscape,
        "fit_wide": rng.random() < 0.7,
        "zoom": rng.choice([0.7, 0.8, 0.9, 1.0]),
        "center_h": rng.random() < 0.6,
        "margin_in": rng.choice([0.4, 0.5, 0.7]),
        "repeat": rng.choice(["head", "head", "title_head", None]),
        "theme_break": rng.random() < 0.7,
        "manual_breaks": rng.random() < 0.2,
        "subtitle": rng.random() < 0.4,
        "labels": rng.choice(["merge", "merge", "merge", "repeat", "first"]),
        "obj_labels": rng.choice(["merge", "merge", "first", "repeat"]),
        "turn": rng.choice([90, 90, -90]),
        "stack": rng.choice(["vertical", "lines"]),
        "grow": rng.choice([1.0, 1.0, 1.1, 1.25]),
        "rules": rules,
        "border": rng.choice(["thin", "thin", "hair", "dotted", "medium_outer"]),
        "line": rng.choice(list(LINE)),
        "gridlines": rules == "none" and rng.random() < 0.3,
        "head_fill": rng.choice([None, *HEAD_FILLS]),
        "head_bold": rng.random() < 0.75,
        "zebra_fill": rng.choice(list(ZEBRA)),
        "numbers": rng.choice(["number", "number", "text"]),
        "font": font,
        "noto_as": rng.choice(["ttf", "ttf", "WenQuanYi Zen Hei", "AR PL UMing TW"]),
        "bold_face": rng.random() < 0.7,
        "font_pt": min(12, max(9, style["font_pt"] + rng.choice([1, 2, 2, 3]))),
        "header": rng.choice([None, "org", "sheet", "org_sheet"]),
        "footer": rng.choice([None, "of", "of", "zh", "dash", "page"]),
        "footer_org": rng.random() < 0.3,
        "watermark": style["watermark"] or rng.random() < 0.1,
        "closing": rng.random() < 0.5,
    }


# --- fonts ---------------------------------------------------------------------------------------------------


def _ttf_subset(family: str, chars: set[str]) -> str:
    """Noto CJK as TrueType: a subset of the deck's characters with cu2qu outlines (SpreadJS draws CFF blank)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from .r_rinoh import _otf_to_ttf

    text = "".join(sorted(set(chars) | {chr(c) for c in range(32, 127)} | set("頁第共，／")))
    digest = hashlib.sha1((family + text).encode()).hexdigest()[:12]
    out = cache_dir() / f"spreadjs-{family.replace(' ', '')}-{digest}.ttf"
    if not out.exists():
        opts = subset.Options()
        opts.name_IDs = ["*"]
        opts.notdef_outline = True
        opts.layout_features = []
        font = subset.load_font(face_file(family), opts)
        sub = subset.Subsetter(opts)
        sub.populate(text=text)
        sub.subset(font)
        _otf_to_ttf(font)
        font.save(str(out))
        TTFont(str(out))  # readable
    return str(out)


# --- values ----------------------------------------------------------------------------------------------------


def numeric(text: str):
    """(value, Excel number format) printing `text` exactly, or None."""
    m = NUM_RX.match(text)
    if not m or "\n" in text:
        return None
    sym, whole, dec, unit = m.groups()
    if unit and (re.search(r"[0-9０-９\s\"\\;@#0?,.]", unit) or len(unit) > 4):
        return None
    if whole.startswith("0") and len(whole.replace(",", "")) > 1:
        return None
    num = float(whole.replace(",", "") + ("." + dec if dec else ""))
    body = ("#,##0" if "," in whole else "0") + ("." + "0" * len(dec) if dec else "")
    pre = f'"{sym}"' if sym else ""
    if unit == "%":
        return num / 100.0, f"{pre}{body}%"
    return num, pre + body + (f'"{unit}"' if unit else "")


# --- the job -------------------------------------------------------------------------------------------------


class Sheet:
    """One worksheet of the job: cells, styles (deduplicated), spans, borders, row heights and print info."""

    def __init__(self, name: str, face: str, pt: float, print_info: dict):
        self.name, self.face, self.pt = name, face, pt
        self.cells: list = []
        self.styled: list = []
        self.styles: list[dict] = []
        self._idx: dict[str, int] = {}
        self.spans: list = []
        self.borders: list = []
        self.widths: list[float] = []
        self.heights: list = []
        self.min_heights: list = []
        self.spans_need: list = []
        self.autofit: list[int] = []
        self.breaks: list[int] = []
        self.rows = 0
        self.grow = 1.0
        self.print = print_info

    def font(self, size=None, bold=False) -> str:
        return f'{"bold " if bold else ""}{size or self.pt:g}pt "{self.face}"'

    def style(
        self, r, c, size=None, bold=False, color=None, h="left", v="center", wrap=True, fill=None, rot=0, vertical=False
    ) -> None:
        st = {
            "font": self.font(size, bold),
            "fore": color,
            "back": fill,
            "h": h,
            "v": v,
            "wrap": wrap,
            "rot": rot,
            "vertical": vertical,
        }
        key = json.dumps(st, sort_keys=True)
        if key not in self._idx:
            self._idx[key] = len(self.styles)
            self.styles.append(st)
        self.styled.append([r, c, self._idx[key]])
        self.rows = max(self.rows, r + 1)

    def put(self, r, c, text, fmt=None, **kw) -> None:
        self.style(r, c, **kw)
        if text:
            self.cells.append([r, c, text, fmt])

    def border(self, r, c, rc, cc, color, style, **sides) -> None:
        self.borders.append([r, c, rc, cc, color, style, sides])

    def job(self) -> dict:
        return {
            "name": self.name,
            "font": self.font(),
            "rows": self.rows + 1,
            "widths": self.widths,
            "cells": self.cells,
            "styled": self.styled,
            "styles": self.styles,
            "spans": self.spans,
            "borders": self.borders,
            "autofit": self.autofit,
            "heights": self.heights,
            "min_heights": self.min_heights,
            "spans_need": self.spans_need,
            "grow": self.grow,
            "breaks": self.breaks,
            "print": self.print,
        }


def _runs(rows: list[dict], key: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    prev = object()
    for i, r in enumerate(rows):
        cur = (r["kind"], r[key])
        if r["kind"] == "kpi" and cur == prev and not r.get("cut"):
            out[-1] = (out[-1][0], out[-1][1] + 1)
        elif r["kind"] == "kpi":
            out.append((i, 1))
        prev = cur
    return out


class Builder:
    def __init__(self, deck: Deck, opts: dict, face: str):
        self.deck, self.o, self.face = deck, opts, face
        self.pt = float(opts["font_pt"])
        self.pr = lambda s: printable(s, opts["print_font"])  # noqa: E731
        self.sheets: list[Sheet] = []
        w, h = PAPER_IN[opts["paper"]]
        self.page_w_in = max(w, h) if opts["landscape"] else min(w, h)

    def print_info(self, body: bool) -> dict:
        o, m = self.o, self.o["margin_in"]
        hf = '&"' + self.face + '"&9'
        header, footer = {}, {}
        if o["header"] in ("org", "org_sheet"):
            header["left"] = hf + self.pr(self.deck.org)
        if o["header"] in ("sheet", "org_sheet"):
            header["right"] = hf + "&A"
        if o["footer"]:
            footer["center"] = hf + FOOTERS[o["footer"]]
        if o["footer_org"]:
            footer["left"] = hf + self.pr(f"{self.deck.org}平衡計分卡")
        pw = self.page_w_in * 72
        wm = None
        if o["watermark"] and body:
            wm = {
                "text": self.pr("內部資料"),
                "font": f'bold 96px "{self.face}"',
                "color": "rgba(150,150,150,0.35)",
                "angle": 30,
                "x": int(pw * 0.2 / 0.75),
                "y": 200,
                "w": 600,
                "h": 300,
            }
        return {
            "paper": o["paper"],
            "landscape": o["landscape"],
            "fit_wide": o["fit_wide"] if body else True,
            "zoom": o["zoom"],
            "center_h": o["center_h"],
            "gridlines": o["gridlines"] and body,
            "margin": {
                "left": int(m * 100),
                "right": int(m * 100),
                "top": 75,
                "bottom": 75,
                "header": 30,
                "footer": 30,
            },
            "header": header,
            "footer": footer,
            "watermark": wm,
            "repeat": None,
        }

    def sheet(self, name: str, body: bool = False) -> Sheet:
        s = Sheet(name, self.face, self.pt, self.print_info(body))
        self.sheets.append(s)
        return s

    def line_border(self, s: Sheet, r0: int, r1: int, c0: int, c1: int, head: bool = False) -> None:
        o = self.o
        rules = o["rules"]
        kind = {"thin": "thin", "hair": "hair", "dotted": "dotted", "medium_outer": "thin"}[o["border"]]
        col = LINE[o["line"]]
        rc, cc = r1 - r0 + 1, c1 - c0 + 1
        if rules == "grid":
            s.border(r0, c0, rc, cc, col, kind, all=True)
        elif rules in ("hrules", "zebra", "outer_h"):
            s.border(r0, c0, rc, cc, col, kind, top=True, bottom=True, innerHorizontal=True)
            if rules == "outer_h":
                s.border(r0, c0, rc, cc, col, kind, left=True, right=True)
        elif head:
            s.border(r0, c0, rc, cc, col, kind, bottom=True)
        if o["border"] == "medium_outer" and rules in ("grid", "outer_h"):
            s.border(r0, c0, rc, cc, col, "medium", outline=True)

    def build(self, themes: list[dict]) -> list[Sheet]:
        d, o = self.deck, self.o
        wide = 1000 if o["landscape"] else 680
        s = self.sheet("封面")
        s.widths = [wide]
        for r, (text, size) in enumerate([(d.org, 28), ("策略地圖與平衡計分卡", 24), (f"{d.plan_year}年度", 18)], 8):
            s.heights.append([r, int(size * 2.6)])
            s.put(r, 0, self.pr(text), size=size, bold=size > 20, h="center", color=NAVY)
        s = self.sheet("轄區概況")
        s.widths = [30, wide - 60]
        s.heights.append([0, 40])
        s.put(0, 1, "轄區概況", size=20, bold=True)
        for i, line in enumerate(d.profile_lines, 2):
            s.heights.append([i, 32])
            s.put(i, 1, self.pr(line), size=14, wrap=False)
        self.strategy_map()
        if o["layout"] == "sheets":
            for t in themes:
                self.theme_sheet(self.sheet(f"策略主題{t['letter']}", body=True), [t])
        else:
            self.theme_sheet(self.sheet("平衡計分卡", body=True), themes)
        if o["closing"]:
            s = self.sheet("結語")
            s.widths = [wide]
            s.heights.append([10, 80])
            s.put(10, 0, "敬請指教", size=36, bold=True, h="center", color=NAVY)
        return self.sheets

    def strategy_map(self) -> None:
        d = self.deck
        s = self.sheet("策略地圖")
        s.widths = [100] + [170 if self.o["landscape"] else 110] * 5
        s.heights.append([0, 40])
        s.put(0, 0, self.pr(f"{d.org}策略地圖"), size=18, bold=True, wrap=False)
        s.put(0, 5, d.map_date, size=12, h="center")
        r = 2
        for p in BSC_ORDER:
            objs = [self.pr(ob.shown) for t in d.themes for ob in t.objectives if ob.perspective == p]
            if not objs:
                continue
            s.heights.append([r, 60])
            s.put(r, 0, f"{p}構面", size=11, bold=True, color="#FFFFFF", h="center", fill=NAVY)
            for k, name in enumerate(objs[:5], 1):
                s.put(r, k, name, size=11, h="center")
                s.border(r, k, 1, 1, NAVY, "thin", outline=True)
            r += 2

    def theme_sheet(self, s: Sheet, themes: list[dict]) -> None:
        d, o, st = self.deck, self.o, self.deck.style
        cols = columns(d)
        n = len(cols)
        ids = [c.id for c in cols]
        two = st["year_header"] == "two_row"
        nh = 2 if two else 1
        widen = float(o.get("value_widen") or 1.0)  # the author's fix for '#####' values (see render)
        wts = [c.weight * (widen if c.id in ("a0", "a1", "a2", "t", "w") else 1.0) for c in cols]
        tot = sum(wts)
        printable_px = (self.page_w_in - 2 * o["margin_in"]) * 96 * 0.96
        if not o["fit_wide"]:
            printable_px /= o["zoom"]
        s.widths = [round(printable_px * w / tot) for w in wts]
        hfill = HEAD_FILLS.get(o["head_fill"]) if o["head_fill"] else None
        hcolor = "#FFFFFF" if o["head_fill"] == "navy" else None
        band_fill = hfill if hfill and o["head_fill"] != "navy" else HEAD_FILLS["blue"]
        long = o["layout"] == "long"
        shared_head = long and o["repeat"] is not None
        r = 0
        title_rows: list[int] = []
        repeat = None

        def title_row(text: str, size: float, bold=True, color=NAVY):
            nonlocal r
            s.put(r, 0, text, size=size, bold=bold, color=color, wrap=False)
            s.spans.append([r, 0, 1, n])
            s.heights.append([r, int(size * 2.2)])
            title_rows.append(r)
            r += 1

        def head():
            nonlocal r
            h0 = r
            kw = {"bold": o["head_bold"], "h": "center", "fill": hfill, "color": hcolor}
            k = 0
            while k < n:
                c = cols[k]
                if two and c.group:
                    e = k
                    while e + 1 < n and cols[e + 1].group == c.group:
                        e += 1
                    s.put(h0, k, self.pr(c.group), **kw)
                    for m in range(k + 1, e + 1):
                        s.style(h0, m, **kw)
                    if e > k:
                        s.spans.append([h0, k, 1, e - k + 1])
                    for m in range(k, e + 1):
                        s.put(h0 + 1, m, self.pr(cols[m].sub or ""), **kw)
                    k = e + 1
                    continue
                s.put(h0, k, self.pr(c.label), **kw)
                if two:
                    s.style(h0 + 1, k, **kw)
                    s.spans.append([h0, k, 2, 1])
                k += 1
            self.line_border(s, h0, h0 + nh - 1, 0, n - 1, head=True)
            s.autofit.extend(range(h0, h0 + nh))
            r += nh
            return h0

        if long:
            title_row(self.pr(f"{d.org}{d.plan_year}年度平衡計分卡"), self.pt + 6)
            if shared_head:
                repeat = (head(), nh)
        for ti, t in enumerate(themes):
            if long and ti and o["theme_break"]:
                s.breaks.append(r)
            t0 = r
            title_row(t["title"], self.pt + (2 if long else 5))
            if not long and o["subtitle"]:
                title_row(self.pr(f"{d.org}　{d.plan_year}年度"), self.pt + 1, bold=False, color="#404040")
            if not shared_head:
                h0 = head()
                if repeat is None:
                    repeat = (h0, nh) if o["repeat"] != "title_head" else (t0, h0 - t0 + nh)
            rows = t["rows"]
            r0 = r
            kpi_i = 0
            for i, row in enumerate(rows):
                rr = r0 + i
                s.autofit.append(rr)
                if row["kind"] == "band":
                    s.put(rr, 0, row["cells"]["band"], bold=True, fill=band_fill)
                    for k in range(1, n):
                        s.style(rr, k, fill=band_fill)
                    s.spans.append([rr, 0, 1, n])
                    self.line_border(s, rr, rr, 0, n - 1)
                    continue
                kpi_i += 1
                zfill = ZEBRA[o["zebra_fill"]] if o["rules"] == "zebra" and kpi_i % 2 == 0 else None
                if o["manual_breaks"] and kpi_i > 1 and (kpi_i - 1) % int(o["max_rows"]) == 0:
                    s.breaks.append(rr)
                for k, c in enumerate(cols):
                    kw = {"h": st["halign"], "v": "center" if st["valign"] == "middle" else "top", "fill": zfill}
                    text = row["cells"].get(c.id, "")
                    if c.id in ("persp", "obj"):
                        s.style(rr, k, **kw)
                    elif c.id in ("a0", "a1", "a2", "t", "w"):
                        fmt = numeric(text) if o["numbers"] == "number" and text else None
                        s.put(rr, k, text, fmt=list(fmt) if fmt else None, **{**kw, "h": "center"})
                    else:
                        s.put(rr, k, text, **kw)
                self.line_border(s, rr, rr, 0, n - 1)
            for key in ("persp", "obj"):
                if key not in ids:
                    continue
                k = ids.index(key)
                how = o["labels"] if key == "persp" else o["obj_labels"]
                for start, cnt in _runs(rows, key):
                    text = rows[start]["cells"][key]
                    rot, vertical = 0, False
                    if key == "persp" and st["persp_mode"] == "rotated":
                        rot = int(o["turn"])
                    elif key == "persp" and st["persp_mode"] == "stacked":
                        if o["stack"] == "vertical":
                            vertical = True
                        else:
                            text = "\n".join(text)
                    for m in range(cnt):
                        rr = r0 + start + m
                        lab = text if m == 0 or how == "repeat" else ""
                        zfill = (
                            ZEBRA[o["zebra_fill"]] if o["rules"] == "zebra" and rows[start + m].get("zebra") else None
                        )
                        s.put(
                            rr,
                            k,
                            lab,
                            h="center" if key == "persp" else st["halign"],
                            v="center"
                            if how == "merge" or key == "persp"
                            else ("center" if st["valign"] == "middle" else "top"),
                            rot=rot,
                            vertical=vertical,
                            fill=zfill,
                        )
                        if key == "persp" and lab and (rot or vertical or "\n" in lab):
                            need = len(lab.replace("\n", "")) * self.pt * 1.45 / 0.75 + 12
                            s.spans_need.append([rr, cnt if how == "merge" else 1, need])
                    if cnt > 1 and how == "merge":
                        s.spans.append([r0 + start, k, cnt, 1])
            r = r0 + len(rows)
        s.grow = float(o.get("grow") or 1.0)
        if repeat and o["repeat"]:
            s.print["repeat"] = [repeat[0], repeat[0] + repeat[1] - 1]


def _themes(deck: Deck, opts: dict, pr) -> list[dict]:
    themes = []
    for t in deck.themes:
        rows = []
        kpi_i = 0
        for r in theme_rows(deck, t):
            if r.kind == "band":
                rows.append({"kind": "band", "cells": {"band": pr(r.cells["band"])}, "persp": r.persp, "obj": ""})
            else:
                kpi_i += 1
                cells = {k: pr(v) for k, v in r.cells.items()}
                cut = r.kpi.code in opts.get("cuts", ())
                rows.append(
                    {
                        "kind": "kpi",
                        "cells": cells,
                        "persp": r.persp,
                        "obj": r.obj.code,
                        "cut": cut,
                        "zebra": kpi_i % 2 == 0,
                    }
                )
        themes.append({"letter": t.letter, "title": pr(theme_title(deck, t)), "rows": rows})
    return themes


def _cuts(deck: Deck) -> set[str]:
    """KPIs that start a page inside a 構面 or objective run: the author ends the span at the page and writes the
    label again (a span is printed once, centred over the whole run and clipped by each page)."""
    out = set()
    for t in deck.themes:
        prev = None
        for r in theme_rows(deck, t):
            if r.kind != "kpi":
                continue
            if prev is not None and (prev.persp == r.persp or prev.obj is r.obj) and r.kpi.page != prev.kpi.page:
                out.add(r.kpi.code)
            prev = r
    return out


def _chars(deck: Deck) -> set[str]:
    chars = set(
        deck.org
        + deck.map_date
        + "".join(deck.profile_lines)
        + "內部資料策略地圖與平衡計分卡年度轄區概況敬請指教主題構面"
    )
    for t in deck.themes:
        chars |= set(theme_title(deck, t))
        for r in theme_rows(deck, t):
            chars |= set("".join(r.cells.values()))
    for c in columns(deck):
        chars |= set(c.label + (c.group or "") + (c.sub or ""))
    return chars | set("顧客內部流程學習成長財務0123456789")


def _hashes(pdf: Path) -> bool:
    """Does a page print '###' (a number cell too narrow for its formatted value)?"""
    import pymupdf

    return any("###" in page.get_text() for page in pymupdf.open(str(pdf)))


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (KPIs between manual page breaks)."""
    tool_version()
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    opts.setdefault("max_rows", st["max_rows"])
    out_pdf = Path(out_pdf)
    fam = opts["font"]
    if fam not in TRUETYPE and fam != "AR PL UKai TW":  # Noto CJK: CFF glyphs drawn blank by SpreadJS's PDF writer
        if opts["noto_as"] == "ttf":
            ffile = _ttf_subset(fam, _chars(deck))
            opts["print_font"] = fam
        else:
            fam = opts["noto_as"]
            ffile = face_file(fam)
            opts["print_font"] = fam
    else:
        ffile = face_file(fam)
        opts["print_font"] = fam
    face = opts["print_font"]
    files = {"normal": ffile}
    if opts["bold_face"]:
        files["bold"] = ffile
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="spreadjs-") as tmp:
        work = Path(tmp)
        for _ in range(8):
            b = Builder(deck, opts, face)
            sheets = b.build(_themes(deck, opts, b.pr))
            job = {
                "fonts": [{"name": face, "files": files}],
                "sheets": [s.job() for s in sheets],
                "pdf_options": {"title": f"{deck.org}平衡計分卡", "creator": "SpreadJS", "author": deck.short},
            }
            jp, rp = work / "job.json", work / "result.json"
            jp.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
            out = subprocess.run(
                ["node", str(JS), str(jp), str(out_pdf), str(rp)],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                env=_env(),
            )
            if out.returncode or not rp.exists():
                raise RuntimeError(f"SpreadJS failed: {out.stderr.strip()[-3000:]}")
            res = json.loads(rp.read_text(encoding="utf-8"))
            find_pages(out_pdf, deck)
            problems = check(out_pdf, deck)
            cuts = _cuts(deck) - set(opts.get("cuts", ()))
            if cuts and len(opts.get("cuts", ())) < 40 and (opts["labels"] == "merge" or opts["obj_labels"] == "merge"):
                opts["cuts"] = sorted({*opts.get("cuts", ()), *cuts})
                continue
            if opts["numbers"] == "number" and _hashes(out_pdf):
                # a number wider than its cell prints as '#####' (Excel's rule): the author widens the value columns
                # once, then types the values as text
                opts.setdefault("hash_fixes", []).append("widen" if not opts.get("value_widen") else "text")
                if not opts.get("value_widen"):
                    opts["value_widen"] = 1.4
                else:
                    opts["numbers"] = "text"
                continue
            if problems and any("missing" in p for p in problems) and not opts["fit_wide"]:
                opts["fit_wide"] = True  # columns printed on a page of their own: the author fits 1 page wide
                opts["forced_fit"] = True
                continue
            if problems and any("missing" in p for p in problems):
                opts["grow"] = round(float(opts.get("grow") or 1.0) * 1.15, 3)
                continue
            break
    opts["font_file"] = Path(ffile).name
    opts["text_fallbacks"] = len(res["fallbacks"])
    if res.get("errors"):
        opts["page_errors"] = res["errors"][:5]
    opts["problems"] = problems
    return opts
