"""PyFPDF renderer: the deck drawn by PyFPDF 1.7.2 (PyPI `fpdf==1.7.2`, the last release of the original Python port
of PHP's FPDF, 2017; the legacy predecessor of fpdf2 that much older Python office code still pins) through a small
driver (`r_pyfpdf_driver.py`) run by the interpreter of its own virtualenv (`$REALTOOLS_PYFPDF_PYTHON`, by default
/work/gen/venv-pyfpdf/bin/python: both packages import as `fpdf`), reading a JSON job written by this module.

PyFPDF has no table layout: the driver follows the classic FPDF "MultiCell table" recipe as authors of that era
wrote it: column widths from the deck's weights, the lines of each cell from `multi_cell(w, h, txt,
split_only=True)` (NbLines), each row as tall as its tallest cell, fills then rules (`rect(..., 'D')` per cell for
a grid, `line` under each cell for horizontal rules, none, zebra `rect(..., 'F')` under every other row), then
the text of each cell by `set_xy` + `multi_cell` (`draw` multicell) or one `cell` per line (`draw` cell); a
one-line head cell by `cell(w, row_h, label, 0, 0, 'C')`, which centres it vertically.  The page break is checked
before each row (with FPDF's auto page break on at the bottom margin, or off): a row that does not fit starts a
new page with the theme's title (its --n/N marker) and, unless the document prints its head once, the head rows
again; a band row is kept with the row after it.  Slides also start a page every `max_rows` KPI rows; in a
document a theme starts a page or (theme_break false) goes on below the one before when its title, head and
first row fit.  Merged 構面/策略目標 labels are one box over their rows on each page, printed again on a continued
page or left blank; turned labels by `rotate(90, cx, cy)` + `text` + `rotate(0)` (1.7.2 has `rotate`, a `q ... cm`
closed by the next rotate(0)), or stacked one character per line.

Line breaking quirk: PyFPDF 1.7.2's multi_cell breaks only at ASCII spaces; a space-less run (all CJK text) is cut
at the character that overflows, so 'AC1.2.1' or '96.0%' may be split inside, and a cell mixing CJK with a space
breaks at that space even when most of the line is empty (`wrap` multicell).  Widths are summed per character by
get_string_width (the face's advances in thousandths, rounded by its metrics).  Other authors measure themselves
(`wrap` chars: a get_string_width loop that breaks at any character).  With align 'J' (multi_cell's default,
`align_j`) a line with spaces is justified by TJ adjustments before each space (Tw does nothing for CID fonts).

Fonts: `add_font('cjk', '', path, uni=True)` of a TrueType face of fonts.py, read and subset by PyFPDF's own
ttfonts.py (a port of tFPDF/mPDF's TTFontFile): a Type0 font 'MPDFAA+<name>' (the same fixed subset tag for every
font), CIDFontType2, Identity-H with CIDs = Unicode code points, a CIDToGIDMap stream, /W from the face's widths,
a ToUnicode of the subset; text written as UTF-16BE strings in `(...) Tj` escaped for \\, ( and ).  It refuses
TrueType collections ('TrueType Fonts Collections not supported') and CFF faces ('Postscript outlines are not
supported'): Noto CJK decks use a TrueType face instead (`cff_refused`).  `alias_nb_pages` before add_font puts
codes 0-56 in every subset.  Bold: none, the same file added again as 'B' (a second embedded copy, drawn regular)
or WenQuanYi Zen Hei as 'B' over an AR PL body.  With `latin`, ASCII-only value cells and the page numbers are in
the core Helvetica (WinAnsi, not embedded).  A face lacking a character would print .notdef, so text is printed as
fonts.printable gives it.  Info strings are latin-1 encoded by PyFPDF (a CJK title makes output() fail), so a CJK
Title/Author is passed as UTF-16BE with a BOM; the Producer is always 'PyFPDF 1.7.2 http://pyfpdf.googlecode.com/'.

Pages: slides (4:3, 16:9 or A4 landscape) or a document on A4 (portrait or landscape) cut by row heights;
`FPDF(orientation, 'pt', 'A4')` or a format tuple in points (1.7.2 has one page size per document).  Furniture:
header() with the office name, 策略地圖與平衡計分卡 and a rule (not on the cover), footer() with '- n -', 'n / {nb}',
'Page n of {nb}' or '第 n 頁，共 {nb} 頁' (`alias_nb_pages`, replaced in the page streams at output: a right-aligned
'n / N' is placed by the width of '{nb}'), not on the cover or the closing slide; a turned '內部資料' watermark (no
transparency in 1.7.2: a light colour) in header() on every page but the cover (under the content, the FPDF
watermark recipe), drawn after the table, or in footer() (over everything).  Content streams Flate-compressed or
not (`set_compression`).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .draw_common import SIZES
from .fonts import TRUETYPE, face_file, printable
from .layout import check, chunk, columns, find_pages, persp_label, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

PYFPDF = "1.7.2"  # PyPI fpdf==1.7.2 (README, Setup), in its own virtualenv
DRIVER = Path(__file__).with_name("r_pyfpdf_driver.py")
PAGE_SIZES = {**SIZES, "A4": (595.28, 841.89)}
ACCENTS = {"navy": [31, 59, 105], "blue": [26, 77, 140], "green": [30, 100, 70]}
HEAD_FILLS = {"light": [217, 230, 247], "gray": [224, 224, 224], "sand": [250, 237, 209]}
ZEBRA_FILLS = {"blue": [235, 242, 250], "gray": [240, 240, 240]}
RULE_COLORS = {"black": [0, 0, 0], "gray": [128, 128, 128], "navy": [31, 59, 105]}
WM_COLORS = {"red": [240, 215, 215], "gray": [225, 225, 225]}
BOLD_FACE = "WenQuanYi Zen Hei"


def python() -> str:
    return os.environ.get("REALTOOLS_PYFPDF_PYTHON", "/work/gen/venv-pyfpdf/bin/python")


@cache
def installed_version() -> str:
    proc = subprocess.run([python(), "-c", "import fpdf; print(fpdf.__version__)"], capture_output=True, text=True)
    if proc.returncode:
        venv = Path(python()).parent.parent
        raise RuntimeError(f"PyFPDF is not installed: python -m venv {venv}; {venv}/bin/pip install fpdf=={PYFPDF}")
    v = proc.stdout.strip()
    if v != PYFPDF:
        raise RuntimeError(f"PyFPDF {PYFPDF} is wanted, {python()} has {v}")
    return v


@cache
def tool_version(engine: str | None = None) -> str:
    return f"PyFPDF {installed_version()}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    noto = style["font"] not in TRUETYPE
    font = rng.choice(TRUETYPE) if noto else style["font"]
    page = rng.choice(["A4L", "A4L", "A4"]) if flow else style["page"]
    return {
        "flow": flow,
        "page": page,
        "init": "A4" if page in ("A4", "A4L") and rng.random() < 0.7 else "tuple",
        "font": font,
        "cff_refused": style["font"] if noto else None,
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "leading": rng.choice([1.2, 1.3, 1.4, 1.5]),
        "cell_margin": rng.choice([2.83, 2.83, 2.0, 3.0]),  # FPDF's default is 1 mm
        "pad": rng.choice([1.5, 2.0, 3.0]),
        "wrap": rng.choice(["multicell", "multicell", "chars"]),
        "draw": rng.choice(["multicell", "multicell", "cell"]),
        "head_cell": rng.random() < 0.5,
        "auto_break": rng.random() < 0.5,
        "bold": rng.choice(["none", "same"] + (["face"] if font != BOLD_FACE else [])),
        "latin": rng.random() < 0.3,
        "rule_width": rng.choice([0.28, 0.5, 0.5, 0.75, 1.0]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "hdr_fill": rng.choice([None, *HEAD_FILLS]) if style["rules"] != "none" else None,
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "band_fill": rng.choice([None, "light", "gray"]),
        "accent": rng.choice(list(ACCENTS)),
        "values_align": rng.choice([style["halign"], "center", "right"]),
        "repeat_head": not flow or rng.random() < 0.75,
        "theme_break": not flow or rng.random() < 0.5,
        "header": rng.random() < 0.35,
        "footer": rng.choice([None, "dash", "dash", "of", "zh", "page"]),
        "footer_align": rng.choice(["right", "center"]),
        "watermark_layer": rng.choice(["header", "header", "page", "footer"]),
        "watermark_color": rng.choice(list(WM_COLORS)),
        "watermark_angle": rng.choice([30, 45]),
        "compress": rng.random() < 0.7,
        "info": rng.choice([None, "ascii", "utf16"]),
    }


def _theme_job(deck: Deck, t, opts: dict) -> dict:
    font = opts["font"]
    cols = columns(deck)
    rows = theme_rows(deck, t)
    pieces = chunk(rows, int(opts["max_rows"]))
    index = {id(r): i for i, r in enumerate(rows)}
    out_rows = []
    for r in rows:
        cells = {k: printable(v, font) for k, v in r.cells.items()}
        band = printable(r.cells.get("band", ""), font)
        obj = r.obj.code if r.obj else ""
        out_rows.append({"kind": r.kind, "persp": r.persp, "obj": obj, "cells": cells, "band": band})
    return {
        "title": printable(theme_title(deck, t), font),
        "chunks": [[index[id(r)] for r in p] for p in pieces],
        "cols": [
            {"id": c.id, "label": printable(c.label, font), "group": c.group or "", "sub": c.sub or ""}
            | {"weight": c.weight}
            for c in cols
        ],
        "rows": out_rows,
    }


def _job(deck: Deck, opts: dict, out_pdf: Path) -> dict:
    st, font = deck.style, opts["font"]
    w, h = PAGE_SIZES[opts["page"]]
    bold = {"none": "", "same": face_file(font), "face": face_file(BOLD_FACE)}[opts["bold"]]
    persps = [p for p in BSC_ORDER if any(o.perspective == p for t in deck.themes for o in t.objectives)]
    info = []
    if opts["info"] == "ascii":
        info = [["Title", "Balanced Scorecard"], ["Creator", "PyFPDF report"]]
    elif opts["info"] == "utf16":
        info = [["Title", f"{deck.org}策略地圖與平衡計分卡"], ["Author", deck.org], ["Subject", "策略地圖與平衡計分卡"]]
    return {
        "out": str(out_pdf),
        "font_file": face_file(font),
        "bold_file": bold,
        "latin": opts["latin"],
        "w": w,
        "h": h,
        "init": opts["init"],
        "compress": opts["compress"],
        "info": info,
        "cell_margin": opts["cell_margin"],
        "pad": opts["pad"],
        "font_pt": opts["font_pt"],
        "leading": opts["leading"],
        "rules": st["rules"],
        "rule_w": opts["rule_width"],
        "rule_color": RULE_COLORS[opts["rule_color"]],
        "head_fill": HEAD_FILLS.get(opts["hdr_fill"] or "", []),
        "zebra_fill": ZEBRA_FILLS[opts["zebra_fill"]],
        "band_fill": HEAD_FILLS.get(opts["band_fill"] or "", []),
        "accent": ACCENTS[opts["accent"]],
        "valign": st["valign"],
        "halign": st["halign"],
        "values_align": opts["values_align"],
        "persp_mode": st["persp_mode"],
        "draw": opts["draw"],
        "wrap": opts["wrap"],
        "head_cell": opts["head_cell"],
        "auto_break": opts["auto_break"],
        "repeat_head": opts["repeat_head"],
        "theme_break": opts["theme_break"],
        "blank_cont": st["blank_cont"],
        "cont_marker": st["cont_marker"],
        "header": opts["header"],
        "footer": opts["footer"] or "",
        "footer_align": opts["footer_align"],
        "watermark": st["watermark"],
        "watermark_layer": opts["watermark_layer"],
        "wm_color": WM_COLORS[opts["watermark_color"]],
        "watermark_angle": opts["watermark_angle"],
        "watermark_text": "內部資料",
        "logo": st["logo"],
        "org": printable(deck.org, font),
        "short": printable(deck.short, font),
        "profile": [printable(x, font) for x in deck.profile_lines],
        "map_date": deck.map_date,
        "vision": printable("願景：" + "、".join(t.shown for t in deck.themes), font),
        "map": [
            {
                "label": printable(persp_label(deck, p) if "構面" in persp_label(deck, p) else f"{p}構面", font),
                "objs": [printable(o.shown, font) for t in deck.themes for o in t.objectives if o.perspective == p],
            }
            for p in persps
        ],
        "themes": [_theme_job(deck, t, opts) for t in deck.themes],
        "bottom": 40.0,
    }


def _run(job: dict) -> dict:
    installed_version()
    with tempfile.TemporaryDirectory(prefix="r_pyfpdf-") as tmp:
        path = Path(tmp) / "job.json"
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run([python(), str(DRIVER), str(path), PYFPDF], capture_output=True, text=True, timeout=900)
        if proc.returncode or not Path(job["out"]).exists():
            raise RuntimeError(f"PyFPDF driver failed: {proc.stderr.strip()[-3000:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])


def _off_page(pdf: Path) -> list[str]:
    """Characters placed outside the page box, one by one (layout.check looks at whole text blocks)."""
    import pymupdf

    out = []
    for i, page in enumerate(pymupdf.open(str(pdf)), 1):
        w, h = page.rect.width, page.rect.height
        chars = [s for b in page.get_text("rawdict")["blocks"] for ln in b.get("lines", []) for s in ln["spans"]]
        for ch in (c for s in chars for c in s["chars"]):
            x0, y0, x1, y1 = ch["bbox"]
            if x0 < -1 or y0 < -1 or x1 > w + 1 or y1 > h + 1:
                out.append(f"page {i}: {ch['c']!r} outside the page at {round(x0)},{round(y0)}")
                break
    return out


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide; a document is cut by row heights
    only).  A row taller than a page, or text past the page, makes the type smaller.  Returns the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    opts.setdefault("max_rows", 99 if opts["flow"] else st["max_rows"])
    out_pdf = Path(out_pdf)
    while True:
        rep = _run(_job(deck, opts, out_pdf))
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck) + _off_page(out_pdf)
        bad = rep.get("too_tall") or any("outside the page" in p for p in problems)
        if bad and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        break
    opts["problems"] = problems + [f"too tall: {x}" for x in rep.get("too_tall") or []]
    return opts
