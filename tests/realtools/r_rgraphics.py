"""R graphics renderer: the deck drawn by R (Debian 12's r-base-core) through a small R script (`r_rgraphics.R`, run by
`Rscript` in a UTF-8 locale) that reads a JSON job written by this module, as statisticians and analysts in
government offices draw tables into PDF reports.  R has no text layout: it draws strings where it is told and does
not wrap, so the script breaks every cell at any character by measuring each candidate line with grid's
`grobWidth(textGrob(...))` under the device's own metrics (R users' usual helper), and cuts the deck's slides
again where a table grows taller than the slide (a band row kept with the row after it).

Devices (engine):
- `pdf()`, R's own PDF writer, with the CJK CID family `"CNS1"`: R's definition names `MSungStd-Light-Acro` under the
  predefined CMap `B5pc-H` (Adobe-CNS1-0, not embedded, no ToUnicode, plus ',Bold', ',Italic', ',BoldItalic'
  variants of the same font that readers draw regular) and converts every string to CP950 (Big5) itself, so
  readers map the Big5 codes back through the CMap (MuPDF and poppler read them right).  Metrics are R's built-in
  ones for the family (/DW 1000: every ideograph and full-width form 1 em; ASCII 500 or from a short proportional
  table, which substituted fonts draw with gaps: '59. 31').  Big5 has no code for the Kangxi and supplement
  radicals, the compatibility ideographs, nor ≥ ≤, so the deck prints the plain ideographs and ≧ ≦ (the deck's
  value text is changed, the comparator is the same), as a Big5 system stores them.  Text as hex strings, one
  `BT`/`ET` per string placed by a `Tm`; rules and fills `m l S` / `re f`; alpha by ExtGStates.
- `cairo_pdf()` (cairo 1.16.0, Producer 'cairo 1.16.0 (https://cairographics.org)') with a fontconfig family, one of
  the system CJK faces by name (Noto Sans / Serif CJK TC, WenQuanYi Zen Hei, AR PL UMing TW): embedded subsets
  with ToUnicode, CIDFontType0C (Noto) or CIDFontType2 for the CJK glyphs and, for the TrueType faces, a second
  WinAnsi TrueType subset of the same face for ASCII; bold is fontconfig's Bold face where there is one (Noto
  CJK Bold) or cairo's synthetic emboldening, written as CFF fonts of its own ('CairoFont-0-1' Type0 and
  'CairoFont-0-0' Type1C).

Tables (method):
- `gridextra`: `gridExtra::tableGrob` (gridExtra 2.3, which has `ttheme_default` and `ttheme_minimal` only) with
  `ttheme_default` (grey zebra fills and white cell borders), `ttheme_minimal` (no fills or rules) or a custom
  theme from `ttheme_minimal` with core/colhead `bg_params` (fills, zebra fill vectors, cell borders `col`/`lwd`:
  a full grid as cell rects); column widths set on `g$widths`, padding and fontsize in the theme; text centred
  vertically as tableGrob does (its fg y/vjust are fractions of the whole cell, so top-aligned text would touch
  the rule above in a tall row; the deck's top alignment is honoured by the hand layout only).  Merged
  構面/策略目標 labels, band rows and the two-row year head (實際值 over three years, 目標值 over one) added with
  `gtable_add_grob` (a rect and a textGrob spanning rows or columns, `rot = 90` for turned labels, '\\n' between
  the characters for stacked ones; a span whose label is taller than its rows stretches its last row), and the
  usual `segmentsGrob` recipe for horizontal rules (thick top and bottom, thin under the head and each row) or
  for a grid over `ttheme_default`; merged labels are drawn over the rules (z order), hiding them inside spans.
- `grid`: by hand in a viewport of the page in points: `grid.rect` fills, `grid.segments` rules (cell sides
  skipped inside merged labels), `grid.text` with `just`/`rot`.

Pages: slides 10 x 7.5 in (PowerPoint 4:3), 13.33 x 7.5 in (16:9), A4 landscape, or A4 portrait (a report page);
one theme part per page (the deck's KPI rows per slide, fewer when too tall), a title (coloured text with a rule,
or white on a bar; shrunk to fit), '--k/n' parts; running footer with the office name and '- n -' / 'n / N' /
'第 n 頁' (the total known since the script lays out every table before drawing); a '內部資料' watermark drawn
over the page with `alpha` (both devices) or opaque light grey.  `pdf()` output compressed or not.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .layout import check, chunk, columns, find_pages, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, fold

R_VERSION = "4.2.2"  # Debian 12's r-base-core 4.2.2.20221110-2 ("R version 4.2.2 Patched (2022-11-10 r83330)")
GRIDEXTRA = "2.3"  # r-cran-gridextra 2.3-3 (with r-cran-gtable 0.3.1, r-cran-jsonlite 1.8.4)
SCRIPT = Path(__file__).with_name("r_rgraphics.R")
PAGES = {"4:3": (10.0, 7.5), "16:9": (13.333, 7.5), "A4L": (11.69, 8.27), "A4": (8.27, 11.69)}
FACES = ["Noto Sans CJK TC", "Noto Serif CJK TC", "WenQuanYi Zen Hei", "AR PL UMing TW"]
HEAD_FILLS = {"light": (0.85, 0.9, 0.97), "gray": (0.88, 0.88, 0.88), "sand": (0.98, 0.93, 0.82)}
ZEBRA_FILLS = {"blue": (0.92, 0.95, 0.98), "gray": (0.93, 0.93, 0.93)}
RULE_COLORS = {"black": (0, 0, 0), "gray": (0.45, 0.45, 0.45), "navy": (0.12, 0.23, 0.41)}
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}", "zh": "第 {n} 頁"}
ENV = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}


@cache
def installed_versions() -> tuple[str, str]:
    code = 'cat(paste(R.version$major, R.version$minor, sep="."), as.character(packageVersion("gridExtra")))'
    try:
        proc = subprocess.run(["Rscript", "-e", code], capture_output=True, text=True, env={**os.environ, **ENV})
    except OSError as e:
        raise RuntimeError("R is not installed: apt-get install -y r-base-core r-cran-gridextra r-cran-jsonlite") from e
    if proc.returncode:
        raise RuntimeError(f"R or gridExtra missing: {proc.stderr.strip()[-500:]}")
    r, ge = proc.stdout.split()
    if (r, ge) != (R_VERSION, GRIDEXTRA):
        raise RuntimeError(f"R {R_VERSION} with gridExtra {GRIDEXTRA} is wanted, found R {r}, gridExtra {ge}")
    return r, ge


@cache
def tool_version(engine: str | None = None) -> str:
    r, ge = installed_versions()
    return f"R {r} {engine or 'pdf'}(); gridExtra {ge}"


def producer_options(rng: random.Random, style: dict) -> dict:
    engine = rng.choice(["pdf", "cairo_pdf"])
    method = rng.choice(["gridextra", "gridextra", "grid"])
    rules = style["rules"]
    ttheme = {
        "zebra": ["default", "default", "custom"],
        "none": ["minimal", "minimal", "custom"],
        "hrules": ["minimal", "minimal", "custom"],
        "grid": ["custom", "custom", "default"],
    }[rules]
    footer = rng.choice([None, "dash", "dash", "of", "zh"])
    page = rng.choice([style["page"], style["page"], "A4L", "A4"])
    watermark = None
    if style["watermark"]:
        watermark = {"angle": rng.choice([30, 45, 0]), "alpha": rng.choice([1.0, 0.25, 0.35])}
    return {
        "engine": engine,
        "method": method,
        "ttheme": rng.choice(ttheme) if method == "gridextra" else None,
        "page": page,
        "font": "CNS1" if engine == "pdf" else rng.choice([style["font"], style["font"], *FACES]),
        "font_pt": min(style["font_pt"], 8) if page == "A4" else style["font_pt"],
        "lineheight": rng.choice([1.1, 1.2, 1.3]),
        "pad": rng.choice([2.0, 3.0, 4.0]),
        "bold": rng.random() < 0.6,
        "title_bar": rng.random() < 0.4,
        "head_fill": rng.choice([None, *HEAD_FILLS]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "rule_width": rng.choice([0.5, 0.75, 1.0]),
        "footer": footer,
        "footer_align": rng.choice(["right", "center"]),
        "watermark": watermark,
        "compress": rng.random() < 0.8,
    }


def _big5(ch: str) -> str:
    """The character a Big5 (CP950) string holds for `ch`: itself, its folded form, or ≧ ≦ for ≥ ≤."""
    for c in (ch, fold(ch), {"≥": "≧", "≤": "≦"}.get(ch, "")):
        if c and len(c) == 1:
            try:
                c.encode("cp950")
                return c
            except UnicodeEncodeError:
                continue
    raise ValueError(f"{ch!r} has no Big5 code")


def _pdf_text(s: str) -> str:
    """What a deck drawn with pdf()'s CNS1 family prints: R converts every string to CP950 (Big5)."""
    return "".join(c if c in "\n" else _big5(c) for c in s)


def _job(deck: Deck, opts: dict, out_pdf: Path) -> dict:
    st = deck.style
    pdf = opts["engine"] == "pdf"
    tx = _pdf_text if pdf else (lambda s: s)
    cols = columns(deck)
    pages: list[dict] = [
        {"kind": "cover", "org": tx(deck.org), "title": "策略地圖與平衡計分卡", "date": deck.map_date},
        {"kind": "profile", "title": tx(f"{deck.org}轄區概況"), "lines": [tx(s) for s in deck.profile_lines]},
    ]
    bands = []
    for p in BSC_ORDER:
        objs = [tx(o.shown) for t in deck.themes for o in t.objectives if o.perspective == p]
        if objs:
            bands.append({"label": f"{p}構面", "objs": objs})
    vision = "願景：" + "、".join(t.shown for t in deck.themes)
    pages.append(
        {"kind": "map", "title": tx(f"{deck.org}策略地圖"), "date": deck.map_date, "vision": tx(vision), "bands": bands}
    )
    jcols = []
    for c in cols:
        d = {"id": c.id, "label": tx(c.label), "weight": c.weight}
        if c.group:
            d.update(group=c.group, sub=c.sub)
        jcols.append(d)
    for t in deck.themes:
        chunks = []
        for part in chunk(theme_rows(deck, t), int(opts["max_rows"])):
            rows = []
            for r in part:
                cells = {k: tx(v or "") for k, v in r.cells.items()}
                rows.append({"kind": r.kind, "persp": r.persp, "obj": r.obj.code if r.obj else None, "cells": cells})
            chunks.append(rows)
        pages.append({"kind": "theme", "title": tx(theme_title(deck, t)), "cols": jcols, "chunks": chunks})
    pages.append({"kind": "end", "text": "敬請指教"})
    w, h = PAGES[opts["page"]]
    wm = opts["watermark"]
    return {
        "out": str(out_pdf),
        "pages": pages,
        "device": opts["engine"],
        "family": opts["font"],
        "width_in": w,
        "height_in": h,
        "pt": opts["font_pt"],
        "lineheight": opts["lineheight"],
        "pad": opts["pad"],
        "bold": opts["bold"],
        "rgb": [0.1, 0.3, 0.55],
        "title": f"{deck.org}策略地圖與平衡計分卡",
        "org": tx(deck.org),
        "compress": opts["compress"],
        "method": opts["method"],
        "ttheme": opts["ttheme"] or "minimal",
        "rules": st["rules"],
        "halign": st["halign"],
        "valign": st["valign"],
        "persp_mode": st["persp_mode"],
        "blank_cont": st["blank_cont"],
        "cont_marker": st["cont_marker"],
        "title_bar": opts["title_bar"],
        "head_fill": HEAD_FILLS.get(opts["head_fill"] or ""),
        "zebra_fill": ZEBRA_FILLS[opts["zebra_fill"]],
        "rule_color": RULE_COLORS[opts["rule_color"]],
        "rule_width": opts["rule_width"],
        "footer": FOOTERS.get(opts["footer"] or ""),
        "footer_left": "｜策略地圖與平衡計分卡",
        "footer_align": opts["footer_align"],
        "watermark": wm
        and {
            "text": "內部資料",
            "angle": wm["angle"],
            "alpha": wm["alpha"],
            "color": [0.85, 0.8, 0.8] if wm["alpha"] == 1.0 else [0.6, 0.5, 0.5],
        },
        "table_top": 56.0,
        "bottom": 40.0 if opts["footer"] else 24.0,
    }


def _run(job: dict) -> str:
    installed_versions()
    with tempfile.TemporaryDirectory(prefix="r_rgraphics-") as tmp:
        path = Path(tmp) / "job.json"
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        env = {**os.environ, **ENV, "HOME": tmp}
        proc = subprocess.run(["Rscript", str(SCRIPT), str(path)], capture_output=True, text=True, timeout=900, env=env)
        if proc.returncode or not Path(job["out"]).exists():
            raise RuntimeError(f"R failed: {proc.stderr.strip()[-3000:]}")
        return proc.stderr


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (KPI rows per slide before the script cuts a slide again by
    height).  A row taller than a slide, or text off the page, makes the type smaller.  Returns the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    opts.setdefault("max_rows", st["max_rows"])
    if opts["engine"] != "pdf" and opts["font"] not in FACES:
        opts["font"] = st["font"]
    if opts["engine"] == "pdf":
        opts["font"] = "CNS1"
        # what the deck prints (≥ ≤ as ≧ ≦, lookalikes folded) is the text drawn, so the check compares with it
        for _, _, k in deck.kpis():
            for v in k.values:
                v.text = _pdf_text(v.text)
    out_pdf = Path(out_pdf)
    while True:
        stderr = _run(_job(deck, opts, out_pdf))
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck)
        too_tall = "TOO_TALL" in stderr
        if (too_tall or any("outside the page" in p for p in problems)) and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        if too_tall:
            problems.append("a row taller than the slide")
        break
    opts["problems"] = problems
    return opts
