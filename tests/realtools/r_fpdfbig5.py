"""FPDF + Big5 renderer: the deck drawn by FPDF 1.8.4 (PHP; Debian 12's php-fpdf) with the Big5 CJK add-on, the way
many older Taiwanese government and school PHP systems print their reports, through a small driver
(`r_fpdfbig5.php`, run with `php`) reading a JSON job written by this module; the deck's drawing (tables, labels,
header/footer, rotate add-on) is in `fpdf_deck.php`, shared with r_tfpdf.

FPDF itself knows only single-byte fonts, so such sites paste fpdf.org's `chinese.php` add-on into their code
(class PDF_Chinese extends FPDF; it is not packaged, so the driver carries it, written out as sites copy it):
`AddBig5Font` (proportional Latin, CMap ETenms-B5-H, /W from the add-on's width table for CIDs 1-95) or
`AddBig5hwFont` (half-width Latin, ETen-B5-H, CIDs 13648-13742 at 500), each a non-embedded Type0 font
`MSungStd-Light-Acro-<CMap>` over a CIDFontType0 `MSungStd-Light-Acro` (Adobe-CNS1, Supplement 0, a
FontDescriptor with a made-up bbox) and its ',Bold'/',Italic' names for the styles (no bold outlines: the
viewer's substitute decides); no ToUnicode, so text is read through the predefined CMap and Adobe-CNS1-UCS2
(Debian's poppler-data; MuPDF has them built in).  Every string is converted from UTF-8 to Big5 by
`mb_convert_encoding(..., 'BIG-5', 'UTF-8')` before Cell/MultiCell, as the site's code does; widths are the
add-on's (1000 for any double-byte character), and its MBMultiCell breaks before any double-byte character or
at a space, cutting a single-byte run without spaces where it overflows; a break inside a Latin run after CJK
text moves the last CJK character with it.  As published, that loop never ends on a line that starts with a
double-byte character and goes on in a single-byte run too long for the cell ('≧1,296,963' in a narrow value
column: empty lines until the script times out); the driver's copy has the patch sites apply (such a line is
cut where it overflows).  FPDF 1.8 reads a 'subsetted' key of every font, which the add-on's
arrays lack (PHP 8 warns): the driver's copy sets it false.

Big5 has no code for the CJK radicals supplement, the Kangxi radicals or the compatibility ideographs
(mb_convert_encoding prints '?'), nor for ≥ ≤: decks of this family are drawn without lookalikes (generate.py
sets radical_rate and compat_rate to 0 for this module, and anything else without a Big5 code is printed as its
folded form), and comparators are printed as the Big5 ≧ ≦ (the truth's comparator is the same).  The driver
reports any string whose conversion was lossy, and render() refuses such a deck.

Tables by the classic FPDF "Table with MultiCells" recipe: column widths from the deck's weights, the lines of
each cell from the add-on's loop (NbLines), each row as tall as its tallest cell plus padding, fills (head,
band rows, zebra) by Rect 'F', then rules: 1 (Rect 'D' per cell), 'LR' and 'B' per cell, 'TB' horizontal rules,
'B' under rows only or none; then text by SetXY + MultiCell (or one Cell per line), head labels by Cell (centred
vertically) when one line; 'Arial' (core Helvetica, WinAnsi) for ASCII-only values and weights in some decks
(two fonts in one row).  構面/策略目標 labels: one tall cell over their rows on each page (merged), printed in
the first row of their run or repeated on every row, or band rows; turned labels by the rotate add-on
(`Rotate(±90)` + Text, a `q ... cm` closed by Rotate(0)) or stacked one character per line.  Pagination by hand:
slides (4:3, 16:9, A4 landscape; one theme part per page, '--1/2' in the title, the row budget lowered until each
fits), or a document on A4 portrait/landscape: CheckPageBreak before every row (rows never split, a band row
kept with the next), the head repeated or printed once, the title again on continued pages or not, themes on a
new page or following on.  Header(): office and 策略地圖與平衡計分卡 over a rule, or also the running theme
title; Footer(): office and '第 n 頁', '第 n 頁，共 {nb} 頁', 'n / {nb}' (AliasNbPages, replaced in the page
streams at output) or '- n -', in the Big5 font or Arial; the watermark recipe (RotatedText in Header(), under
the content).  Units mm or pt; content streams compressed or not.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import tempfile
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path

from .draw_common import SIZES
from .layout import check, chunk, columns, find_pages, persp_label, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, fold

FPDF = "1.84"  # FPDF_VERSION of Debian 12's php-fpdf 3:1.8.4.dfsg-1 (apt-get install php-fpdf; README, Setup)
FPDF_PHP = Path("/usr/share/php/fpdf/fpdf.php")
DRIVER = Path(__file__).with_name("r_fpdfbig5.php")
PAGE_SIZES = {**SIZES, "A4": (595.28, 841.89)}
ACCENTS = {"navy": [31, 59, 105], "blue": [26, 77, 140], "green": [30, 100, 70]}
HEAD_FILLS = {"light": [217, 230, 247], "gray": [224, 224, 224], "sand": [250, 237, 209]}
ZEBRA_FILLS = {"blue": [235, 242, 250], "gray": [240, 240, 240]}
RULE_COLORS = {"black": [0, 0, 0], "gray": [128, 128, 128], "navy": [31, 59, 105]}
# the deck's rules as FPDF border strings: (body cells, head cells)
BORDERS = {
    "grid": [("1", "1"), ("LRB", "1"), ("LRB", "LRB")],
    "hrules": [("TB", "TB"), ("B", "TB"), ("B", "B")],
    "none": [("0", "0"), ("0", "B")],
    "zebra": [("0", "B"), ("0", "0"), ("B", "TB")],
}
COMPARATORS = str.maketrans({"≥": "≧", "≤": "≦"})


@cache
def installed_version() -> str:
    if not FPDF_PHP.exists():
        raise RuntimeError(f"FPDF is not installed: apt-get install php-fpdf (FPDF {FPDF})")
    m = re.search(r"define\('FPDF_VERSION','([^']+)'\)", FPDF_PHP.read_text(encoding="latin-1"))
    v = m.group(1) if m else "?"
    if v != FPDF:
        raise RuntimeError(f"{FPDF_PHP} is FPDF {v}, not {FPDF}")
    return v


@cache
def tool_version(engine: str | None = None) -> str:
    php = subprocess.run(["php", "-r", "echo PHP_VERSION;"], capture_output=True, text=True).stdout.strip()
    return f"FPDF {installed_version()} with the chinese.php Big5 add-on, PHP {php}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    page = rng.choice(["A4", "A4", "A4L"]) if flow else style["page"]
    rules = style["rules"]
    border, head_border = rng.choice(BORDERS[rules])
    running = flow and rng.random() < 0.3
    return {
        "flow": flow,
        "page": page,
        "unit": rng.choice(["mm", "mm", "pt"]),
        "family": rng.choice(["big5", "big5", "big5-hw"]),
        "bold": rng.random() < 0.75,
        "latin": rng.choice([None, None, "Arial"]),
        "font_pt": min(style["font_pt"], 10) if flow else style["font_pt"],
        "leading": rng.choice([1.2, 1.3, 1.4, 1.5]),
        "cell_margin": rng.choice([2.83, 2.83, 2.0, 3.0]),  # FPDF's default is 1 mm
        "pad": rng.choice([1.0, 2.0, 3.0]),
        "draw": rng.choice(["multicell", "multicell", "cell"]),
        "head_cell": rng.random() < 0.5,
        "border": border,
        "head_border": head_border,
        "top_rule": rules == "hrules" and rng.random() < 0.5,
        "rule_width": rng.choice([0.2, 0.28, 0.5, 0.75]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "head_fill": rng.choice([None, *HEAD_FILLS]) if rules != "none" or rng.random() < 0.3 else None,
        "zebra": rules == "zebra" or rng.random() < 0.1,
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "band_fill": rng.choice([None, "light", "gray"]),
        "accent": rng.choice(list(ACCENTS)),
        "values_align": rng.choice([{"left": "L", "center": "C"}[style["halign"]], "C", "R"]),
        "labels": rng.choice(["merged", "merged", "first", "repeat"]),
        "rotate": rng.choice([90, 90, -90]),
        "repeat_head": not flow or rng.random() < 0.7,
        "cont_title": not flow or rng.random() < 0.5,
        "theme_break": running or not flow or rng.random() < 0.5,
        "header": "running" if running else rng.choice([None, None, "org"]),
        "footer": rng.choice([None, "zh", "zh_nb", "slash", "dash"]),
        "footer_latin": rng.random() < 0.5,
        "footer_align": rng.choice(["R", "C"]),
        "title_band": rng.random() < 0.6,
        "title_bar": rng.random() < 0.2,
        "auto_break": flow and rng.random() < 0.6,
        "watermark_angle": rng.choice([30, 45]),
        "compress": rng.random() < 0.8,
    }


def ink(s: str) -> str:
    """Text as Big5 can hold it: ≥ ≤ as ≧ ≦, anything else without a Big5 code folded to its plain form."""
    out = []
    for c in s.translate(COMPARATORS):
        try:
            c.encode("cp950")
            out.append(c)
        except UnicodeEncodeError:
            out.append(unicodedata.normalize("NFKC", fold(c)))
    return "".join(out)


def _theme_job(deck: Deck, t, opts: dict, n: int, ink=ink) -> list[dict]:
    st = deck.style
    cols = columns(deck)
    rows = theme_rows(deck, t)
    out_rows = []
    for r in rows:
        out_rows.append(
            {
                "kind": r.kind,
                "persp": r.persp,
                "obj": r.obj.code if r.obj else "",
                "cells": {k: ink(v) for k, v in r.cells.items()},
                "band": ink(r.cells.get("band", "")),
            }
        )
    base = {
        "cols": [
            {"id": c.id, "label": ink(c.label), "group": ink(c.group or ""), "sub": ink(c.sub or "")}
            | {"weight": c.weight}
            for c in cols
        ],
        "font_pt": opts["font_pt"],
        "leading": opts["leading"],
        "cell_margin": opts["cell_margin"],
        "pad": opts["pad"],
        "latin": opts["latin"],
        "draw": opts["draw"],
        "head_cell": opts["head_cell"],
        "border": opts["border"],
        "head_border": opts["head_border"],
        "top_rule": opts["top_rule"],
        "rule_w": opts["rule_width"],
        "rule_color": RULE_COLORS[opts["rule_color"]],
        "head_fill": HEAD_FILLS.get(opts["head_fill"] or ""),
        "zebra_fill": ZEBRA_FILLS[opts["zebra_fill"]] if opts["zebra"] else None,
        "band_fill": HEAD_FILLS.get(opts["band_fill"] or ""),
        "accent": ACCENTS[opts["accent"]],
        "title_bar": opts["title_bar"],
        "logo": ink(deck.short) if st["logo"] else None,
        "valign": st["valign"],
        "halign": st["halign"],
        "values_align": opts["values_align"],
        "persp_mode": st["persp_mode"],
        "spans": opts["labels"] == "merged",
        "repeat_labels": opts["labels"] == "repeat",
        "rotate": opts["rotate"],
        "blank_cont": st["blank_cont"],
        "cont_marker": st["cont_marker"],
        "repeat_head": opts["repeat_head"],
        "cont_title": opts["cont_title"],
        "running": opts["header"] == "running",
        "table_top": 96.0 if opts["header"] == "running" else (84.0 if opts["header"] else 70.0),
        "bottom": 40.0 if opts["footer"] else 30.0,
    }
    if opts["flow"]:
        return [
            base
            | {
                "title": ink(theme_title(deck, t)),
                "rows": out_rows,
                "paginate": True,
                "new_page": n == 0 or opts["theme_break"],
            }
        ]
    pieces = chunk(rows, int(opts["max_rows"]))
    index = {id(r): i for i, r in enumerate(rows)}
    out = []
    for i, piece in enumerate(pieces):
        title = ink(theme_title(deck, t, i + 1, len(pieces)))
        prev = pieces[i - 1] if i else []
        sl = [out_rows[index[id(r)]] for r in piece]
        # a slide: the piece alone, the rows of the piece before only for blank continued labels
        item = base | {"title": title, "rows": sl, "paginate": False, "new_page": True, "cont_marker": False}
        item["prev_rows"] = [out_rows[index[id(r)]] for r in prev]
        out.append(item)
    return out


def _job(deck: Deck, opts: dict, out_pdf: Path, ink=ink) -> dict:
    w, h = PAGE_SIZES[opts["page"]]
    k = 72 / 25.4 if opts["unit"] == "mm" else 1.0
    persps = [p for p in BSC_ORDER if any(o.perspective == p for t in deck.themes for o in t.objectives)]
    themes = [item for n, t in enumerate(deck.themes) for item in _theme_job(deck, t, opts, n, ink)]
    return {
        "fpdf": str(FPDF_PHP),
        "version": installed_version(),
        "out": str(out_pdf),
        "unit": opts["unit"],
        "page": {
            "orientation": "L" if w > h else "P",
            "format": "A4" if opts["page"] in ("A4", "A4L") else [round(min(w, h) / k, 3), round(max(w, h) / k, 3)],
        },
        "compress": opts["compress"],
        "auto_break": opts["auto_break"],
        "bottom": 40.0 if opts["footer"] else 30.0,
        "font": {"family": opts["family"], "bold": opts["bold"]},
        "header": opts["header"],
        "footer": {
            "kind": opts["footer"],
            "latin": "Arial" if opts["footer_latin"] else None,
            "align": opts["footer_align"],
        },
        "watermark": (
            {"text": "內部資料", "angle": opts["watermark_angle"], "color": [225, 205, 205]}
            if deck.style["watermark"]
            else None
        ),
        "accent": ACCENTS[opts["accent"]],
        "title_band": opts["title_band"],
        "org": ink(deck.org),
        "profile": [ink(x) for x in deck.profile_lines],
        "map_date": deck.map_date,
        "vision": ink("願景：" + "、".join(t.shown for t in deck.themes)),
        "map": [
            {
                "label": ink(persp_label(deck, p) if "構面" in persp_label(deck, p) else f"{p}構面"),
                "objs": [ink(o.shown) for t in deck.themes for o in t.objectives if o.perspective == p],
            }
            for p in persps
        ],
        "meta": {"title": f"{deck.org}策略地圖與平衡計分卡", "author": deck.org, "creator": "FPDF"},
        "themes": themes,
    }


def run_driver(driver: Path, job: dict, tool: str, timeout: int = 120) -> dict:
    """Run a PHP driver on a JSON job; its last line of output is its JSON report."""
    with tempfile.TemporaryDirectory(prefix=f"{driver.stem}-") as tmp:
        path = Path(tmp) / "job.json"
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(["php", str(driver), str(path)], capture_output=True, text=True, timeout=timeout)
        if proc.returncode or not Path(job["out"]).exists():
            raise RuntimeError(f"{tool} driver failed: {(proc.stderr or proc.stdout).strip()[-3000:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])


def draw_fitting(deck: Deck, opts: dict, out_pdf: Path, draw: Callable[[dict], dict]) -> dict:
    """Draw the deck (`draw(opts)` returns the driver's report) until every table fits its page, as an author
    who checks the printout: a slide whose table runs past its page lowers the row budget (then the type size);
    a document row taller than a page makes the type smaller. Returns the options used, with layout.check's
    problems."""
    while True:
        rep = draw(opts)
        if any(x["overflow"] for x in rep["items"]):
            if not opts["flow"] and opts["max_rows"] > 1:
                opts["max_rows"] -= 1
                continue
            if opts["font_pt"] > 6:
                opts["font_pt"] -= 1
                continue
            raise RuntimeError(f"{deck.stem}: a table does not fit its page even in 6 pt type")
        break
    if opts["flow"]:
        opts.pop("max_rows")
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide).  A slide whose table runs past
    its page lowers the row budget (then the type size); a document row taller than a page makes the type smaller.
    Returns the options used, with layout.check's problems."""
    installed_version()
    st = deck.style
    for _, _, k in deck.kpis():  # the office's data typed in Big5: ≧ ≦ for ≥ ≤ (the same comparator in the truth)
        for v in k.values:
            v.text = v.text.translate(COMPARATORS)
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    opts.setdefault("max_rows", st["max_rows"])
    out_pdf = Path(out_pdf)

    def draw(opts: dict) -> dict:
        rep = run_driver(DRIVER, _job(deck, opts, out_pdf), "FPDF")
        if rep["lossy"]:
            raise RuntimeError(f"{deck.stem}: text without Big5 codes: {rep['lossy'][:5]}")
        return rep

    return draw_fitting(deck, opts, out_pdf, draw)
