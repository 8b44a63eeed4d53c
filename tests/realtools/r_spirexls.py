"""Spire.XLS for Python 16.8.2 (PyPI spire.xls; e-iceblue's commercial .NET spreadsheet engine shipped as a NativeAOT
library with ctypes wrappers, which vendors' report systems use to write .xlsx and convert sheets to PDF without
Excel): the deck built as a workbook with Spire.XLS's own API, the way a clerk fills the scorecard template, and
printed by `Workbook.SaveToFile(pdf, FileFormat.PDF)`; Spire lays out and paginates each sheet itself (Excel's page
setup: paper, orientation, fit to 1 page wide or a zoom, print titles, manual page breaks, header and footer with
&P/&N/&A).  It runs in a virtualenv of its own (/work/gen/venv-spirexls, $REALTOOLS_SPIREXLS_PYTHON for another
interpreter) through `r_spirexls_driver.py`, which reads a JSON job.

No licence is set.  The unlicensed build stamps every printed page with a red 'Evaluation Warning : The document was
created with Spire.XLS for Python' line (Liberation-Sans-like glyphs in a 'Garuda' CID font, in the text layer)
drawn across the middle of the page, over whatever table row is there; a conversion of fewer than 10 pages ends with
an advertisement page ('Spire.XLS for Python', 'e-iceblue Inc. 2002-2026 All rights reserverd', 'Buy Now!' and
links), which &N counts ('第 7 頁，共 8 頁' on the last table page); and it prints only the first 10 pages of a
conversion (a 51-page sheet prints pages 1-10 with '共 51 頁' in the footer, no advertisement).  So each sheet is
first printed from a workbook holding it alone to count its pages (less the advertisement; `Worksheet.SaveToPdf`
fits a sheet to fewer pages than the workbook prints, so it is not used); a deck of at most 10 pages is printed
whole, a longer one in batches of whole sheets of at most 10 pages (the workbook built again per batch with the
other sheets removed, the batch's first sheet given `FirstPageNumber` so page numbers go on counting, and the '&N'
of the footer replaced by the deck's page count typed in, since &N would count the batch only), joined by qpdf, each
batch with its own advertisement page.  A single sheet of 10 pages or more (a 'long' deck) is drawn again as one
sheet per theme.

Modes (`mode`): "api" (below) or "xlsx": r_xlsx's openpyxl workbook (written for Calc: A4 landscape fit to width,
print titles, manual breaks every max_rows KPIs, 90°/255 labels in merged cells, row heights estimated for Calc)
loaded by `Workbook.LoadFromFile` and printed, the author's fixes only: rows auto-fitted by Spire or not, raised
where Spire's line breaking needs more, a footer section set.

The "api" workbook: a cover sheet, a 轄區概況 sheet, a 策略地圖 sheet (a row per 構面, objectives in bordered
cells), the theme tables, optionally a closing sheet.  Theme tables one worksheet per theme ('sheets': title row,
optionally an office subtitle row, head, KPI rows) or one long sheet ('long': the head once as print titles with a
merged title row before each theme's rows, or each theme with its title and own head; optionally a manual page break
before each theme).  Columns as layout.columns, widths from the deck's weights scaled to the printable width at the
zoom. 構面 and objective runs merged (`CellRange.Merge`), or written on every row or on the first only; 構面 labels
turned (`Style.Rotation` 90 or 180, Excel's -90), stacked (255, Excel's vertical text) or one character a line; band
rows merged across.  Wrap text on; row heights by Spire's `AutoFitRows` (merged cells ignored), or fixed heights
rounded up with slack; rows of turned labels raised until the label fits its run.  A merged label is printed once,
centred over its whole run and clipped at each page edge (half a label at a page foot, the rest at the next head),
so where a run crosses a page (read from the printed PDF) the author ends the merge there and writes the label again
on the next page, and the workbook is printed again.  Values as numbers with number formats printing the deck's text
('#,##0"人"', '0.0%', '"≧"0.0%'; checked against `DisplayedText`, text where they differ) or as text.  Borders:
`BorderAround`+`BorderInside` grid, outer frame + horizontal rules, horizontal rules only, none (optionally printed
gridlines), zebra fills; Thin or Hair, optional Medium frame; head fills, bold heads, band fills.  Page setup: A4 /
Letter / A3, landscape or portrait, fit to 1 page wide or a fixed zoom, centred or not, print titles (head rows, or
title + head), header and footer sections ('&P / &N', '第 &P 頁，共 &N 頁', '- &P -', '第&P頁', the office, &A).
Watermark: a '內部資料' text box (no fill, no line) on the theme sheets.  PDF conformance is left at none: with
`ConverterSetting.PdfConformanceLevel = Pdf_A1B` every run comes out without a usable ToUnicode (CID fonts coded
from 3 up, 'AC1.1' reads as control characters), a text layer no reader can use, so it is not drawn.

Fonts: the face of fonts.py copied into a private folder given to `Workbook.CustomFontFileDirectory` and made the
workbook's `DefaultFontName`; every written cell names it.  Cells that name no face found (Calibri) print in the
system's Garuda fallback, whose ToUnicode maps every ideograph to one character ('財務構面' reads '財財財財'): an
early probe, so every cell names the face.  Fonts are tagged as Aspose's are ('FAAAAH+NotoSansCJKtc-Regular', CID
Type 0C or CID TrueType Identity-H with ToUnicode), bold as a second '-Bold' font; Noto decks are large (the whole
CFF, ~3 MB).

Quirks found: see above; the evaluation line lies over the table at the page's middle (in the text layer between the
rows it crosses); `AutoFitRows` leaves rows a line taller than their text in CJK faces; a number format such as
'"≧"0.0%' prints the deck's text exactly (`DisplayedText` agreed on every value tried).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .fonts import face_file, printable
from .layout import check, columns, find_pages, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

SPIRE_XLS = "16.8.2"  # PyPI spire.xls (README, Setup), in /work/gen/venv-spirexls
DRIVER = Path(__file__).with_name("r_spirexls_driver.py")
CAP = 10  # the unlicensed build prints only the first 10 pages of a conversion
HEAD_FILLS = {
    "blue": (0xDD, 0xEB, 0xF7),
    "navy": (0x1F, 0x4E, 0x79),
    "gray": (0xD9, 0xD9, 0xD9),
    "green": (0xE2, 0xEF, 0xDA),
    "sand": (0xFC, 0xE4, 0xD6),
}
DARK = {"navy"}
ZEBRA = {"blue": (0xEE, 0xF2, 0xF7), "gray": (0xF2, 0xF2, 0xF2), "yellow": (0xFF, 0xF9, 0xE5)}
LINE = {"black": (0, 0, 0), "dark": (0x40, 0x40, 0x40), "gray": (0x80, 0x80, 0x80)}
PAPER_IN = {"A4": (8.27, 11.69), "LETTER": (8.5, 11.0), "A3": (11.69, 16.54)}


def python() -> str:
    return os.environ.get("REALTOOLS_SPIREXLS_PYTHON", "/work/gen/venv-spirexls/bin/python")


@cache
def tool_version(engine: str | None = None) -> str:
    out = subprocess.run([python(), str(DRIVER), "--version"], capture_output=True, text=True, check=True)
    ver = out.stdout.strip()
    if ver != SPIRE_XLS:
        raise RuntimeError(f"spire.xls {SPIRE_XLS} is wanted, {ver} is installed")
    return f"Spire.XLS for Python {ver} (evaluation)"


def producer_options(rng: random.Random, style: dict) -> dict:
    rules = style["rules"]
    if rules == "hrules" and rng.random() < 0.5:
        rules = "outer_h"
    landscape = rng.random() < 0.8
    if rng.random() < 0.25:  # r_xlsx's openpyxl workbook (A4 landscape, fit to width) converted by Spire
        return {
            "mode": "xlsx",
            "font": style["font"] if rng.random() < 0.85 else "AR PL UKai TW",
            "font_pt": max(9, style["font_pt"] + 1),
            "repeat_header": rng.random() < 0.7,
            "rules": style["rules"],
            "header_fill": rng.choice(["DDEBF7", "D9D9D9", "E2EFDA"]),
            "autofit": rng.random() < 0.5,
            "footer": rng.choice([None, None, "of", "zh", "dash"]),
        }
    return {
        "mode": "api",
        "layout": rng.choice(["sheets", "sheets", "long"]),
        "paper": rng.choice(["A4", "A4", "A4", "LETTER", "A3"]) if landscape else rng.choice(["A4", "A4", "LETTER"]),
        "landscape": landscape,
        "fit_wide": rng.random() < 0.7,
        "zoom": rng.choice([70, 80, 90, 100]),
        "center_h": rng.random() < 0.6,
        "print_titles": rng.choice(["head", "head", "title_head", None]),
        "theme_break": rng.random() < 0.7,
        "manual_breaks": rng.random() < 0.2,
        "subtitle": rng.random() < 0.4,
        "labels": rng.choice(["merge", "merge", "merge", "repeat", "first"]),
        "obj_labels": rng.choice(["merge", "merge", "first", "repeat"]),
        "turn": rng.choice([90, 90, 180]),
        "stack": rng.choice(["vertical", "lines"]),
        "rowfit": rng.choice(["auto", "auto", "fixed"]),
        "row_slack": rng.choice([1.0, 1.1, 1.25]),
        "rules": rules,
        "border": rng.choice(["THIN", "THIN", "HAIR", "MEDIUM_OUTER"]),
        "line": rng.choice(list(LINE)),
        "gridlines": rules == "none" and rng.random() < 0.3,
        "head_fill": rng.choice([None, *HEAD_FILLS]),
        "head_bold": rng.random() < 0.75,
        "zebra_fill": rng.choice(list(ZEBRA)),
        "numbers": rng.choice(["number", "number", "text"]),
        "font": style["font"] if rng.random() < 0.85 else "AR PL UKai TW",
        "font_pt": min(12, max(9, style["font_pt"] + rng.choice([1, 2, 2, 3]))),
        "header": rng.choice([None, "org", "sheet", "org_sheet"]),
        "footer": rng.choice([None, "of", "of", "zh", "dash", "page"]),
        "footer_org": rng.random() < 0.3,
        "closing": rng.random() < 0.5,
        "conformance": None,  # PDF/A-1b garbles the text layer (see the docstring), so it is not drawn
    }


@cache
def _family(path: str) -> str:
    from fontTools.ttLib import TTFont

    return str(TTFont(path, lazy=True)["name"].getDebugName(1))


def _run(job: dict, work: Path) -> dict:
    jp, rp = work / "job.json", work / "result.json"
    jp.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([python(), str(DRIVER), str(jp), str(rp)], capture_output=True, text=True, timeout=900)
    if out.returncode or not rp.exists():
        raise RuntimeError(f"Spire.XLS failed: {out.stderr.strip()[-3000:]}")
    return json.loads(rp.read_text(encoding="utf-8"))


def _join(files: list[str], out_pdf: Path) -> None:
    if len(files) == 1:
        shutil.copy(files[0], out_pdf)
        return
    subprocess.run(["qpdf", "--empty", "--pages", *files, "--", str(out_pdf)], check=True)


def _job(deck: Deck, opts: dict, face: str) -> dict:
    st, fam = deck.style, opts["font"]
    pr = lambda s: printable(s, fam)  # noqa: E731
    cols = columns(deck)
    themes = []
    for t in deck.themes:
        rows = []
        for r in theme_rows(deck, t):
            if r.kind == "band":
                rows.append({"kind": "band", "cells": {"band": pr(r.cells["band"])}, "persp": r.persp, "obj": ""})
            else:
                cells = {k: pr(v) for k, v in r.cells.items()}
                cut = r.kpi.code in opts.get("cuts", ())
                rows.append({"kind": "kpi", "cells": cells, "persp": r.persp, "obj": r.obj.code, "cut": cut})
        themes.append({"letter": t.letter, "title": pr(theme_title(deck, t)), "rows": rows})
    map_rows = []
    for p in BSC_ORDER:
        objs = [pr(o.shown) for t in deck.themes for o in t.objectives if o.perspective == p]
        if objs:
            map_rows.append([f"{p}構面", objs])
    w, h = PAPER_IN[opts["paper"]]
    printable_pt = ((max(w, h) if opts["landscape"] else min(w, h)) - 1.0) * 72
    tot = sum(c.weight for c in cols)
    o = dict(opts)
    o.update(
        head_rgb=HEAD_FILLS.get(opts["head_fill"]),
        head_dark=opts["head_fill"] in DARK,
        band_rgb=HEAD_FILLS[opts["head_fill"]]
        if opts["head_fill"] and opts["head_fill"] not in DARK
        else HEAD_FILLS["blue"],
        zebra_rgb=ZEBRA[opts["zebra_fill"]],
        line_rgb=LINE[opts["line"]],
    )
    return {
        "face": face,
        "pt": opts["font_pt"],
        "cap": CAP,
        "opts": o,
        "org": pr(deck.org),
        "year": deck.plan_year,
        "subtitle": pr(f"{deck.org}　{deck.plan_year}年度"),
        "footer_org_text": pr(f"{deck.org}平衡計分卡"),
        "profile": [pr(x) for x in deck.profile_lines],
        "map": map_rows,
        "map_date": deck.map_date,
        "cols": [{"id": c.id, "label": pr(c.label), "group": c.group and pr(c.group), "sub": c.sub} for c in cols],
        "widths": [round(max(4.0, 120 * c.weight / tot), 1) for c in cols],
        "target_pt": printable_pt * (1.0 if opts["fit_wide"] else 100.0 / opts["zoom"]) * 0.92,
        "themes": themes,
        "two_row": st["year_header"] == "two_row",
        "persp_mode": st["persp_mode"],
        "valign": st["valign"],
        "halign": st["halign"],
        "watermark": st["watermark"],
        "watermark_text": pr("內部資料"),
    }


def _cuts(deck: Deck) -> set[str]:
    """KPIs that start a page inside a 構面 or objective run: Spire prints a merged label once, centred over the
    whole run and clipped by each page, so the author ends the merge at the page and writes the label again."""
    out = set()
    for t in deck.themes:
        prev = None
        for r in theme_rows(deck, t):
            if r.kind != "kpi":
                continue
            if prev is not None and prev.persp == r.persp and r.kpi.page != prev.kpi.page:
                out.add(r.kpi.code)
            prev = r
    return out


def _xlsx_job(deck: Deck, opts: dict, face: str, work: Path) -> dict:
    from . import r_xlsx

    keys = ("font", "font_pt", "repeat_header", "rules", "max_rows", "header_fill")
    src, _ = r_xlsx.build(deck, work, {k: opts[k] for k in keys})
    o = {k: opts.get(k) for k in ("footer", "autofit", "grow")}
    return {"mode": "xlsx", "xlsx": str(src), "face": face, "cap": CAP, "opts": o}


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (KPIs between manual page breaks).  Rows are raised by 15 %
    and the workbook printed again while layout.check finds characters missing (text clipped by its row)."""
    tool_version()
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    opts.setdefault("max_rows", st["max_rows"])
    out_pdf = Path(out_pdf)
    with tempfile.TemporaryDirectory(prefix="spirexls-") as tmp:
        work = Path(tmp)
        fdir = work / "fonts"
        fdir.mkdir()
        src = face_file(opts["font"])
        shutil.copy(src, fdir)
        face = _family(src)
        for _ in range(8):
            xlsx = opts.get("mode") == "xlsx"
            job = _xlsx_job(deck, opts, face, work) if xlsx else _job(deck, opts, face)
            job.update(font_dir=str(fdir), out_prefix=str(work / "part"))
            res = _run(job, work)
            if res.get("too_long"):
                opts["layout"] = "sheets"  # a sheet longer than the evaluation cap: one sheet per theme
                opts["was_long"] = True
                continue
            _join(res["files"], out_pdf)
            for f in res["files"]:
                Path(f).unlink()
            find_pages(out_pdf, deck)
            problems = check(out_pdf, deck)
            cuts = set() if xlsx else _cuts(deck) - set(opts.get("cuts", ()))
            if cuts and len(opts.get("cuts", ())) < 40:
                opts["cuts"] = sorted({*opts.get("cuts", ()), *cuts})
                continue
            if problems and any("missing" in p for p in problems) and not opts["fit_wide"] and not xlsx:
                opts["fit_wide"] = True  # columns printed on a page of their own: the author fits 1 page wide
                opts["forced_fit"] = True
                continue
            if problems and any("missing" in p for p in problems):
                opts["grow"] = round(float(opts.get("grow", 1.0)) * 1.15, 3)
                continue
            break
    opts["font_name"] = face
    opts["sheet_pages"] = res["sheet_pages"]
    opts["batches"] = res["batches"]
    opts["text_fallbacks"] = res["fallbacks"]
    opts["problems"] = problems
    return opts
