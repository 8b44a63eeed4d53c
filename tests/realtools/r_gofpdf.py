"""gofpdf renderer: the deck drawn in Go by gofpdf 2.17.2 (github.com/jung-kurt/gofpdf, the PDF library of Go
back-end services: a port of PHP's FPDF with UTF-8 TrueType fonts; Debian 12's golang-github-jung-kurt-gofpdf-dev
built by Debian's golang-go 1.19, offline, GOPATH=/usr/share/gocode and GO111MODULE=off) through a small driver
(`r_gofpdf.go`, compiled by `go build` at first use into the cache) that reads a JSON job written by this module.

gofpdf has no table layout: the driver does what gofpdf's own `ExampleFpdf_SplitLines_tables` does, cell lines from
a split function, each row as tall as its tallest cell, a `Rect` per cell and the lines written one
`CellFormat(w, h, line, "", 0, align, ...)` each (or, `draw` multicell, one `MultiCell` of the lines joined by
newlines), the head cells by `CellFormat(..., "CM")` when they hold one line; fills, then rules, then text.
Pages are cut by hand (`SetAutoPageBreak(false, 0)`): a row that runs past the bottom starts a new page with the
theme's title (its --n/N marker) and, unless the document prints its head once, the head rows again; a band row is
kept with the row after it.  Slides also start a page every `max_rows` KPI rows; in a document a theme starts a
page or (theme_break false) goes on below the theme before when its title, head and first row fit there.
Merged 構面/策略目標 labels are one box over their rows on each page, printed again on a continued page or left
blank; turned labels by `TransformBegin`/`TransformRotate(90)`/`Text`, stacked ones one character per line; a
block grows to hold its label.

Line breaking quirk: gofpdf 2.17.2's `MultiCell` and `SplitText` break at spaces and at ideographs (its isChinese:
U+4E00-U+9FA5 only, so not at full-width punctuation, Kangxi radicals or compatibility ideographs) but drop the
ideograph they break at (the line ends before it, the next starts after it: go-pdf/fpdf issue #80), so a wrapped
CJK cell loses a character per break.  Authors who saw it use a patched copy of SplitText (`wrap` splittext: the
ideograph starts the next line; a break at a space drops the space; a run of Latin, digits or punctuation with no
break opportunity stays whole unless longer than the line, moving the ideograph before it along: 'AC1.2.1' or
'≧96.0%' never split) or their own rune loop on GetStringWidth (`wrap` runes: any character).  Since every line
handed to gofpdf already fits, its own breaking never triggers and nothing is dropped.  Widths are the face's
advances in thousandths of the size (integers, as gofpdf sums them); gofpdf's cell margin (`SetCellMargin`, 1 mm
by default) is inside the cell width.

Fonts: `AddUTF8Font` of a TrueType face of fonts.py (always subset by gofpdf, BaseFont 'utf8cjk' / 'utf8cjkB'
with no subset tag: a Type0 font, CIDFontType2, CIDs = Unicode code points with a CIDToGIDMap stream, a
ToUnicode).  gofpdf cannot read CFF (OpenType) faces:
AddUTF8Font of Noto CJK fails with 'not supported', so such decks use a TrueType face (`cff_refused`).  Bold:
none, the same file registered again as style "B" (a second embedded copy, drawn regular) or WenQuanYi Zen Hei
as "B" over an AR PL body.  With `latin`, ASCII-only value cells and the page number are in the core Helvetica
(WinAnsi, not embedded).  A face lacking a character would print .notdef, so text is printed as
fonts.printable gives it.

Pages: slides (4:3, 16:9 or A4 landscape) or a document on A4 (portrait or landscape) cut by row heights;
`New("L", "pt", "A4", dir)`, `NewCustom` with the slide size, or `New` on A4 portrait with every page added by
`AddPageFormat` in the deck's size.  Furniture: a running header by `SetHeaderFunc` (office name, 策略地圖與平衡計分卡,
a rule; not on the cover), footers by `SetFooterFuncLpi` ('- n -', 'n / {nb}' or '第 n 頁，共 {nb} 頁' with
`AliasNbPages("{nb}")`, the alias replaced in the content stream after the page is written: a right-aligned or
centred 'n / N' is placed by the width of '{nb}', not of the number), not on the cover or the closing slide;
a turned '內部資料' watermark drawn with the page after the table, or by the footer function (over everything),
opaque light red or grey under `SetAlpha` (an ExtGState).  Document information: gofpdf's default Producer
'FPDF 1.7' with or without Title/Author (UTF-16 strings), or Producer/Creator set; content streams
Flate-compressed or not (`SetCompression(false)`).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .draw_common import SIZES
from .fonts import TRUETYPE, face_file, printable
from .layout import check, chunk, columns, find_pages, persp_label, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

GOFPDF = "2.17.2"  # Debian 12's golang-github-jung-kurt-gofpdf-dev 2.17.2+ds-3 (README, Setup)
GO = "go1.19"  # Debian 12's golang-go 2:1.19~1 (golang-1.19-go 1.19.8)
GOPATH = "/usr/share/gocode"
PKG = Path(GOPATH) / "src/github.com/jung-kurt/gofpdf"
DRIVER = Path(__file__).with_name("r_gofpdf.go")
PAGE_SIZES = {**SIZES, "A4": (595.28, 841.89)}
ACCENTS = {"navy": [31, 59, 105], "blue": [26, 77, 140], "green": [30, 100, 70]}
HEAD_FILLS = {"light": [217, 230, 247], "gray": [224, 224, 224], "sand": [250, 237, 209]}
ZEBRA_FILLS = {"blue": [235, 242, 250], "gray": [240, 240, 240]}
RULE_COLORS = {"black": [0, 0, 0], "gray": [128, 128, 128], "navy": [31, 59, 105]}
BOLD_FACE = "WenQuanYi Zen Hei"


def cache_dir() -> Path:
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "gofpdf"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _go_env() -> dict:
    env = dict(os.environ)
    env.update(GOPATH=GOPATH, GO111MODULE="off", GOPROXY="off", GOFLAGS="", GOCACHE=str(cache_dir() / "gocache"))
    return env


@cache
def installed_version() -> str:
    proc = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Version}", "golang-github-jung-kurt-gofpdf-dev"], capture_output=True, text=True
    )
    if proc.returncode or not PKG.exists():
        raise RuntimeError("gofpdf is not installed: apt-get install -y golang-go golang-github-jung-kurt-gofpdf-dev")
    if not proc.stdout.startswith(GOFPDF + "+"):
        raise RuntimeError(f"gofpdf {GOFPDF} is wanted, Debian's package is {proc.stdout}")
    go = subprocess.run(["go", "version"], capture_output=True, text=True, env=_go_env()).stdout.split()
    if len(go) < 3 or not (go[2] == GO or go[2].startswith(GO + ".")):
        raise RuntimeError(f"Go {GO} is wanted, found {' '.join(go)}")
    return f"{proc.stdout} ({go[2]})"


@cache
def tool_version(engine: str | None = None) -> str:
    return f"gofpdf {installed_version()}"


@cache
def driver() -> str:
    """The driver binary (r_gofpdf.go built at first use, once per version of its source and of the Go tool)."""
    installed_version()
    digest = hashlib.sha1(DRIVER.read_bytes() + installed_version().encode()).hexdigest()[:12]
    out = cache_dir() / f"driver-{digest}" / "r_gofpdf"
    if not out.exists():
        tmp = Path(tempfile.mkdtemp(prefix="driver-", dir=cache_dir()))
        proc = subprocess.run(
            ["go", "build", "-o", str(tmp / "r_gofpdf"), str(DRIVER)], capture_output=True, text=True, env=_go_env()
        )
        if proc.returncode:
            raise RuntimeError(f"go build failed: {proc.stderr[-2000:]}")
        try:
            tmp.rename(out.parent)
        except OSError:  # built meanwhile by another process
            shutil.rmtree(tmp, ignore_errors=True)
    return str(out)


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    noto = style["font"] not in TRUETYPE
    font = rng.choice(TRUETYPE) if noto else style["font"]
    page = rng.choice(["A4L", "A4L", "A4"]) if flow else style["page"]
    footer = rng.choice([None, "dash", "dash", "of", "zh"])
    return {
        "flow": flow,
        "page": page,
        "init": rng.choice(["A4", "addformat"]) if page in ("A4", "A4L") else rng.choice(["custom", "addformat"]),
        "font": font,
        "cff_refused": style["font"] if noto else None,
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "leading": rng.choice([1.2, 1.3, 1.4, 1.5]),
        "cell_margin": rng.choice([2.83, 2.83, 2.0, 3.0]),  # gofpdf's default is 1 mm
        "pad": rng.choice([1.5, 2.0, 3.0]),
        "wrap": rng.choice(["splittext", "splittext", "runes"]),
        "draw": rng.choice(["cellformat", "cellformat", "multicell"]),
        "head_cellformat": rng.random() < 0.5,
        "bold": rng.choice(["none", "same"] + (["face"] if font != BOLD_FACE else [])),
        "latin": rng.random() < 0.3,
        "rule_width": rng.choice([0.25, 0.5, 0.5, 0.75, 1.0]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "hdr_fill": rng.choice([None, *HEAD_FILLS]) if style["rules"] != "none" else None,
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "band_fill": rng.choice([None, "light", "gray"]),
        "accent": rng.choice(list(ACCENTS)),
        "values_align": rng.choice([style["halign"], "center", "right"]),
        "repeat_head": not flow or rng.random() < 0.75,
        "theme_break": not flow or rng.random() < 0.5,
        "header": rng.random() < 0.35,
        "footer": footer,
        "footer_align": rng.choice(["right", "center"]),
        "watermark_layer": rng.choice(["page", "footer"]),
        "watermark_alpha": rng.choice([0.0, 0.2, 0.3]),
        "watermark_angle": rng.choice([30, 45]),
        "compress": rng.random() < 0.7,
        "info": rng.choice([None, "title", "producer"]),
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
    if opts["info"]:
        info = [["Title", f"{deck.org}策略地圖與平衡計分卡"], ["Author", deck.org]]
    if opts["info"] == "producer":
        info += [["Producer", f"gofpdf {GOFPDF}"], ["Creator", f"{deck.short}績效管理系統"]]
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
        "head_cellformat": opts["head_cellformat"],
        "repeat_head": opts["repeat_head"],
        "theme_break": opts["theme_break"],
        "blank_cont": st["blank_cont"],
        "cont_marker": st["cont_marker"],
        "header": opts["header"],
        "footer": opts["footer"] or "",
        "footer_align": opts["footer_align"],
        "watermark": st["watermark"],
        "watermark_layer": opts["watermark_layer"],
        "watermark_alpha": opts["watermark_alpha"],
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
    with tempfile.TemporaryDirectory(prefix="r_gofpdf-") as tmp:
        path = Path(tmp) / "job.json"
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run([driver(), str(path)], capture_output=True, text=True, timeout=600)
        if proc.returncode or not Path(job["out"]).exists():
            raise RuntimeError(f"gofpdf driver failed: {proc.stderr.strip()[-3000:]}")
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
