"""pdfjs renderer: the deck built with pdfjs 2.5.4 (rkusa/pdfjs on npm, the Node/browser PDF *generation* library
with its own document model; not Mozilla's pdf.js viewer) through a small Node driver (`r_pdfjsgen.js`) reading a
JSON job, as a Node back-end exports a report: `new pdf.Document({font, fontSize, lineHeight, width, height,
padding*})`, `doc.text()`/`doc.cell()` for titles, `doc.table({widths, borderWidth | borderHorizontalWidths,
padding})` with `table.header()` rows (repeated by pdfjs on every page the table continues on) and
`table.row({backgroundColor, minHeight}).cell(text, {colspan, textAlign, font})`, `doc.pageBreak()`, and
`doc.header()`/`doc.footer()` with `pageNumber((n, N) => ...)`.

Layout: pdfjs has no rowspan and cannot turn text, so 構面 labels are a column (printed on the first row of each run,
or on every row), stacked one character a line in a narrow column (rotated styles too), or `colspan` band rows; the
策略目標 cell prints on the first row of its run (or every row).  Two-row year heads are two header rows, the group
row with `colspan`, the other columns' labels in the upper row over an empty cell.  Widths in points from the deck's
weights, in centimetres (`pdf.cm`, quarter-centimetre steps) with the plans column `null` (pdfjs gives it the rest),
or millimetres.  Rules: `borderWidth` grid (each row strokes its own verticals and bottom, the top only on the first
row of a page), horizontal rules by a `borderHorizontalWidths(rowIndex)` function (heavier above and below the head
and at the end), only the rule under the head, or none; zebra by row `backgroundColor`, head fills.  Values left,
centred or right aligned (no vertical alignment: pdfjs cells are top aligned).  Slides (4:3, 16:9, A4 landscape:
`pageBreak()` before every slide, the deck's row budget per slide, lowered until each slide fits) or a document
pdfjs paginates itself (A4 portrait or landscape), themes on new pages or following each other; the theme title as
text above the table, as a first `colspan` header row (repeated with the head on every page), or as a running
header: calling `doc.header()` again ends the page, so each theme starts a page under its own header.

Text layer: every face (TrueType or Noto CJK's CFF) is parsed by opentype.js and re-written by opentype.js as a
new CFF-flavoured OpenType subset (Type0 Identity-H, CIDFontType0, FontFile3 /OpenType, `PDFJS+` in the subset's
own name table but the original PostScript name as BaseFont), codes numbered from 1 in order of first use (space
= 1), a ToUnicode of bfchar lines mapping each code to the UTF-16 unit it was drawn for (a lookalike reads as
itself); pdfjs NFC-normalizes every word, so CJK compatibility ideographs (U+F9xx) print as their unified forms;
there is no bold: headings use a second face (Noto CJK Bold, or WenQuanYi Zen Hei over another face) or the body
face; no font fallback, so characters a face lacks print as the plain ideograph (fonts.printable).  Text is one
BT/ET per line, a `Tf` and `Tj` per word run, kerning as TJ; the header and footer are Form XObjects (page
numbers in per-page ones), repeated table heads are Form XObjects too (`/TH<n> Do`).  Producer 'pdfjs v2.5.4
(github.com/rkusa/pdfjs)' unless the author sets one.

Quirks found: pdfjs 2.5.4 reads `font.names.fontFamily.en`, which opentype.js 1.3.4+ no longer has (names are per
platform since 1.3.4): any `new pdf.Font()` crashes at the first text with npm's current opentype.js 1.3.5, so
opentype.js is pinned to 1.3.3 beside pdfjs, as its users do.  Line breaking uses @rkusa/linebreak (UAX #14) but a
break is taken only where the text before it ends in whitespace: CJK runs never break between ideographs; a run
too long for the space left on a line moves to the next line, and a run too long for a whole line is cut there at
the last character that fits, so long CJK text wraps at any character (a code fused to its name is cut with it,
'AC1.1平均等|候時間').  A run that follows a space and is wider than the whole cell is moved to the next line and
never cut there: it runs on over the next columns.  The author who sees that puts such a run on a line of its own
(the space before it becomes a newline, measured with the face's advances: `unbreak`), where pdfjs cuts it.  In
centred and right-aligned cells a line pdfjs wrapped at a space is placed too far right, over the next column, so
there every space where pdfjs would wrap becomes a newline too (left-aligned cells keep pdfjs's own wrapping).  A
table head that reaches the page foot makes pdfjs throw 'Table Header is to long (tried to execute a page break
inside the header)' instead of moving it: such a document starts every theme on a new page (`theme_break_forced`).
A table row that reaches the page foot is split by pdfjs and the text of the lines moved to the next page is lost
(or the cell's first lines moved and overprinted), so the driver measures every row in a first pass (op callbacks
recording the cursor on a very tall page) and gives each row `minHeight` = its height: pdfjs then moves a row that
does not fit to the next page whole; a row taller than most of a page makes the type smaller.  Slides are checked
for a table pdfjs continued on a page of its own (page count): fewer rows per slide, then smaller type.
The watermark is a template page (`doc.setTemplate(new pdf.ExternalDocument(buf))`, pdfjs's letterhead mechanism)
drawn by the author in another tool (here PyMuPDF: '內部資料' in grey, turned), so its text comes from a second
producer, under the content.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .fonts import FACES, cache_dir, face_file, printable, subset_file
from .layout import check, chunk, columns, find_pages, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

PDFJS = "2.5.4"  # npm install pdfjs@2.5.4 opentype.js@1.3.3 in $REALTOOLS_CACHE/pdfjsgen (README, Setup)
OPENTYPE = "1.3.3"  # pdfjs 2.5.4 crashes with opentype.js >= 1.3.4 (font.names.fontFamily is gone)
JS = Path(__file__).with_name("r_pdfjsgen.js")
PAGES = {"4:3": (720.0, 540.0), "16:9": (960.0, 540.0), "A4L": (841.89, 595.28), "A4": (595.28, 841.89)}
NOTO_BOLD = {
    "Noto Sans CJK TC": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 3, "NotoSansCJKTC-Bold.otf"),
    "Noto Serif CJK TC": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 3, "NotoSerifCJKTC-Bold.otf"),
}
BOLD_FACE = "WenQuanYi Zen Hei"
ACCENTS = [0x1A4D8C, 0x1F3A68, 0x2E5E3E, 0x000000]
HEAD_FILLS = {"light": 0xD9E6F7, "gray": 0xE0E0E0, "sand": 0xFAEDD1}
ZEBRA_FILLS = {"blue": 0xEBF2FA, "gray": 0xF0F0F0}
RULE_COLORS = {"black": 0x000000, "gray": 0x808080, "navy": 0x1F3B69}
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}", "zh": "第 {n} 頁，共 {N} 頁", "n": "{n}"}


def modules_dir() -> Path:
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "pdfjsgen" / "node_modules"
    if not (d / "pdfjs" / "package.json").exists():
        raise RuntimeError(f"pdfjs is not installed: cd {d.parent} && npm install pdfjs@{PDFJS} opentype.js@{OPENTYPE}")
    return d


@cache
def tool_version(engine: str | None = None) -> str:
    d = modules_dir()
    ver = {m: json.loads((d / m / "package.json").read_text())["version"] for m in ("pdfjs", "opentype.js")}
    if ver["pdfjs"] != PDFJS or ver["opentype.js"] != OPENTYPE:
        have = f"pdfjs {ver['pdfjs']} / opentype.js {ver['opentype.js']}"
        raise RuntimeError(
            f"{have} installed, {PDFJS} / {OPENTYPE} wanted: npm install pdfjs@{PDFJS} opentype.js@{OPENTYPE}"
        )
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return f"pdfjs {ver['pdfjs']} (opentype.js {ver['opentype.js']}), Node {node}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.45
    title_in = rng.choice(["content", "content", "header_row", "running"])
    footer = rng.choice([None, "dash", "dash", "of", "zh", "n"])
    rules = {
        "grid": rng.choice(["grid", "grid", "hrules"]),
        "hrules": "hrules",
        "none": rng.choice(["none", "head_only"]),
        "zebra": rng.choice(["zebra", "zebra_lines"]),
    }[style["rules"]]
    return {
        "flow": flow,
        "page": rng.choice(["A4", "A4L", "A4L"]) if flow else style["page"],
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "font": style["font"] if rng.random() < 0.85 else rng.choice(list(FACES)),
        "bold": rng.choice(["none", "face", "face"]),
        "line_height": rng.choice([1.0, 1.15, 1.15, 1.3]),
        "pad": rng.choice([2, 3, 4, 5]),
        "rules": rules,
        "rule_width": rng.choice([0.25, 0.5, 0.5, 0.75, 1.0]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "head_fill": rng.choice([None, *HEAD_FILLS]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "accent": rng.randrange(len(ACCENTS)),
        "widths": rng.choice(["pt", "cm", "mm"]),
        "value_align": rng.choice([None, None, "right", "center"]),
        "persp_center": rng.random() < 0.5,
        "repeat_labels": rng.random() < 0.3,
        "title_in": title_in,
        "theme_break": title_in == "running" or rng.random() < 0.6,
        "header": title_in == "running" or rng.random() < 0.5,
        "header_rule": rng.random() < 0.6,
        "footer": footer,
        "footer_align": rng.choice(["center", "right"]),
        "info": rng.choice([None, "title", "title", "creator"]),
    }


@cache
def bold_file(family: str) -> str:
    from fontTools.ttLib import TTCollection

    src, index, name = NOTO_BOLD[family]
    out = cache_dir() / name
    if not out.exists():
        TTCollection(src, lazy=False).fonts[index].save(str(out))
    return str(out)


def _watermark(w: float, h: float, angle: int) -> str:
    """The author's template page: '內部資料' in light grey across the page, drawn with PyMuPDF."""
    import pymupdf

    out = cache_dir() / f"pdfjsgen-wm-{int(w)}x{int(h)}-{angle}-sub.pdf"
    if not out.exists():
        doc = pymupdf.open()
        page = doc.new_page(width=w, height=h)
        fs = min(w, h) / 5
        text = "內部資料"
        face = subset_file("Noto Sans CJK TC", set(text))  # a template embeds a subset, not the whole 16 MB face
        font = pymupdf.Font(fontfile=face)
        tw = font.text_length(text, fs)
        centre = pymupdf.Point(w / 2, h / 2)
        m = pymupdf.Matrix(-angle)
        page.insert_font(fontname="wm", fontfile=face)
        page.insert_text(
            pymupdf.Point(w / 2 - tw / 2, h / 2 + fs / 3),
            text,
            fontsize=fs,
            fontname="wm",
            color=(0.85, 0.85, 0.85),
            morph=(centre, m),
        )
        doc.save(str(out), garbage=3, deflate=True)
    return str(out)


@cache
def _advances(family: str) -> tuple[dict, dict, int]:
    from fontTools.ttLib import TTFont

    f = TTFont(face_file(family), lazy=True)
    return f.getBestCmap(), {g: a for g, (a, _) in f["hmtx"].metrics.items()}, f["head"].unitsPerEm


def _text_width(s: str, family: str, pt: float) -> float:
    cmap, adv, upm = _advances(family)
    return sum(adv.get(cmap.get(ord(c), ".notdef"), upm) for c in s) * pt / upm


def unbreak(text: str, width: float, family: str, pt: float, aligned: bool) -> str:
    """pdfjs moves a space-separated run that does not fit to the next line but never cuts it there (it cuts a
    run only when it starts a line), so a run wider than the cell after a space overprints the next column: the
    author puts that run on a line of its own (the space becomes a newline), where pdfjs cuts it.  In centred or
    right-aligned cells pdfjs places a line it wrapped at a space too far right (over the next column), so there
    the author breaks those lines by hand as well (every space where pdfjs would wrap becomes a newline)."""
    lines = []
    for line in text.split("\n"):
        words = line.split(" ")
        out, cur = words[0], _text_width(words[0], family, pt)
        space = _text_width(" ", family, pt)
        for w in words[1:]:
            ww = _text_width(w, family, pt)
            if ww > width - 3 or (aligned and cur + space + ww > width - 3):
                out, cur = out + "\n" + w, ww
            else:
                out, cur = out + " " + w, cur + space + ww
        lines.append(out)
    return "\n".join(lines)


def _widths(cols: list, total: float, mode: str) -> list:
    ws = [c.weight for c in cols]
    scale = total / sum(ws)
    if mode == "pt":
        out = [round(w * scale, 1) for w in ws]
        out[-1] = None  # the rest, as pdfjs distributes it
        return out
    unit = 28.3465 / 4 if mode == "cm" else 2.83465  # quarter centimetres or millimetres
    out = [max(1, int(w * scale / unit)) * unit for w in ws]
    if mode == "cm":
        out[[c.id for c in cols].index("plans")] = None
    else:
        out[-1] = None
    return out


def _head(deck: Deck, cols: list, t) -> list[list[dict]]:
    if deck.style["year_header"] != "two_row":
        return [[{"text": t(c.label), "span": 1} for c in cols]]
    top, sub = [], []
    for c in cols:
        if c.group:
            if top and top[-1].get("group") == c.group:
                top[-1]["span"] += 1
            else:
                top.append({"text": t(c.group), "span": 1, "group": c.group})
            sub.append({"text": t(c.sub), "span": 1})
        else:
            top.append({"text": t(c.label), "span": 1})
            sub.append({"text": "", "span": 1})
    return [top, sub]


def _sections(deck: Deck, opts: dict, total_w: float) -> list[dict]:
    fam, st = opts["font"], deck.style

    def p(s: str) -> str:
        s = printable(s, fam)
        return printable(s, BOLD_FACE) if opts["bold"] == "face" and fam not in NOTO_BOLD else s

    secs: list[dict] = [{"t": "cover", "org": p(deck.org), "date": deck.map_date}]
    secs.append({"t": "profile", "title": p(f"{deck.org}轄區概況"), "lines": [p(s) for s in deck.profile_lines]})
    persps = [x for x in BSC_ORDER if any(o.perspective == x for t in deck.themes for o in t.objectives)]
    secs.append(
        {
            "t": "map",
            "title": p(f"{deck.org}策略地圖"),
            "vision": p("願景：" + "、".join(t.shown for t in deck.themes)),
            "persps": [
                {
                    "label": p(f"{x}構面"),
                    "objs": p("、".join(o.shown for t in deck.themes for o in t.objectives if o.perspective == x)),
                }
                for x in persps
            ],
        }
    )
    max_rows = 999 if opts["flow"] else int(opts["max_rows"])
    stack = st["persp_mode"] in ("rotated", "stacked")

    def aligned(col: str) -> bool:
        """Is the cell centred or right-aligned (as r_pdfjsgen.js aligns it)?"""
        if col == "persp" and opts["persp_center"]:
            return True
        if opts["value_align"] and col in ("a0", "a1", "a2", "t", "w"):
            return True
        return st["halign"] != "left"

    for t in deck.themes:
        cols = columns(deck)
        ids = [c.id for c in cols]
        if stack:  # a narrow column, one character a line, as wide as a character and the padding
            scale = total_w / sum(c.weight for c in cols)
            for c in cols:
                if c.id == "persp":
                    c.weight = max(0.45, (opts["font_pt"] * 1.4 + 2 * opts["pad"] + 2) / scale)
        if opts["page"] == "A4":  # portrait: the author widens the value columns a little
            for c in cols:
                if c.id in ("a0", "a1", "a2", "t"):
                    c.weight = max(c.weight, 1.5)
        widths = _widths(cols, total_w, opts["widths"])
        rest = total_w - sum(x for x in widths if x)
        room = {c.id: (x or rest) - 2 * opts["pad"] - 1 for c, x in zip(cols, widths)}
        rows_all = theme_rows(deck, t)
        parts = chunk(rows_all, max_rows)
        out_parts = []
        for i, part in enumerate(parts, 1):
            rows = []
            prev = None
            for r in part:
                if r.kind == "band":
                    rows.append({"kind": "band", "band": p(r.cells["band"])})
                    prev = None
                    continue
                cells = {
                    k: unbreak(p(v), room[k], fam, opts["font_pt"], aligned(k)) for k, v in r.cells.items() if k in ids
                }
                first_persp = prev is None or prev.persp != r.persp
                first_obj = prev is None or prev.obj is not r.obj
                if stack:
                    cells["persp"] = "\n".join(cells["persp"]) if first_persp or opts["repeat_labels"] else ""
                elif "persp" in cells and not (first_persp or opts["repeat_labels"]):
                    cells["persp"] = ""
                if not (first_obj or opts["repeat_labels"]):
                    cells["obj"] = ""
                rows.append({"kind": "kpi", "cells": cells})
                prev = r
            out_parts.append({"title": p(theme_title(deck, t, i, len(parts))), "rows": rows})
        secs.append(
            {
                "t": "theme",
                "letter": t.letter,
                "title": p(theme_title(deck, t)),
                "cols": ids,
                "widths": widths,
                "head": _head(deck, cols, p),
                "parts": out_parts,
            }
        )
    secs.append({"t": "end", "text": "敬請指教"})
    return secs


def _run(job: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="r_pdfjsgen-") as tmp:
        path, report = Path(tmp) / "job.json", Path(tmp) / "report.json"
        path.write_text(json.dumps({**job, "report": str(report)}, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(["node", str(JS), str(path)], capture_output=True, text=True, timeout=900)
        if proc.returncode or not report.exists():
            raise RuntimeError(f"pdfjs failed: {proc.stderr.strip()[-3000:]}")
        return json.loads(report.read_text())


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide, lowered until every slide fits;
    a document is paginated by pdfjs).  A row taller than most of a page makes the type smaller."""
    tool_version()
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    opts.setdefault("max_rows", st["max_rows"])
    w, h = PAGES[opts["page"]]
    pad = {"top": 28, "bottom": 26, "left": 30, "right": 30}
    info = None
    if opts["info"]:
        info = {"title": f"{deck.org}策略地圖與平衡計分卡", "author": deck.org}
        if opts["info"] == "creator":
            info["creator"] = f"{deck.short}績效管理系統"
    fam = opts["font"]
    bold = None
    if opts["bold"] == "face":
        bold = bold_file(fam) if fam in NOTO_BOLD else face_file(BOLD_FACE)
    zebra = ZEBRA_FILLS[opts["zebra_fill"]] if opts["rules"] in ("zebra", "zebra_lines") else None
    while True:
        pt = float(opts["font_pt"])
        furniture = (2 * pt + 14 if opts["header"] else 0) + (pt + 6 if opts["footer"] else 0)
        job = {
            "modules": str(modules_dir()),
            "page": {"w": w, "h": h, "pad": pad},
            "fonts": {"body": face_file(fam), "bold": bold},
            "template": _watermark(w, h, 30 if w > h else 55) if st["watermark"] else None,
            "info": info,
            "slides": not opts["flow"],
            "theme_break": opts["theme_break"],
            "title_in": opts["title_in"],
            "title_pt": max(12.0, pt + 6),
            "org": printable(deck.org, fam),
            "short": printable(deck.short, fam),
            "logo": st["logo"] and opts["title_in"] != "header_row",
            "accent": ACCENTS[opts["accent"]],
            "pt": pt,
            "line_height": opts["line_height"],
            "pad": opts["pad"],
            "pad_top": max(1, opts["pad"] - 1),
            "rules": opts["rules"],
            "rule_width": opts["rule_width"],
            "rule_color": RULE_COLORS[opts["rule_color"]],
            "head_fill": HEAD_FILLS.get(opts["head_fill"] or ""),
            "head_color": 0x000000,
            "band_fill": 0xC9D9EC,
            "zebra": zebra,
            "halign": st["halign"],
            "value_align": opts["value_align"],
            "persp_center": opts["persp_center"],
            "header": opts["header"] and {"right": "策略地圖與平衡計分卡", "rule": opts["header_rule"]},
            "footer": opts["footer"] and {"format": FOOTERS[opts["footer"]], "align": opts["footer_align"]},
            "furniture": furniture,
            "keep_rows": True,
            "sections": _sections(deck, opts, w - pad["left"] - pad["right"]),
            "out": str(out_pdf),
        }
        try:
            report = _run(job)
        except RuntimeError as e:
            # a table head that reaches the page foot: pdfjs throws 'Table Header is to long (tried to execute a
            # page break inside the header)' rather than moving it; the author starts every theme on a new page
            if "Header is to long" not in str(e) or opts["theme_break"]:
                raise
            opts["theme_break"] = True
            opts["theme_break_forced"] = True
            continue
        if report["spill"] and not opts["flow"] and opts["max_rows"] > 2:
            opts["max_rows"] -= 1
            continue
        if (report["spill"] or report["too_tall"]) and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        if report["spill"] or report["too_tall"]:
            raise RuntimeError(f"slides spill or rows too tall: {report['spill'][:2]} {report['too_tall'][:2]}")
        if not opts["flow"]:
            import pymupdf

            slides = 4 + sum(len(sec["parts"]) for sec in job["sections"] if sec["t"] == "theme")
            if len(pymupdf.open(str(out_pdf))) != slides:
                # a slide pdfjs continued on a page of its own: fewer rows per slide, or smaller type
                if opts["max_rows"] > 2:
                    opts["max_rows"] -= 1
                    continue
                if opts["font_pt"] > 6:
                    opts["font_pt"] -= 1
                    continue
                raise RuntimeError("slides do not fit their pages")
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck)
        if any("outside the page" in p for p in problems) and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        break
    opts["problems"] = problems
    deck.map_dated = False  # the date is under the cover's title; the strategy map prints none
    return opts
