"""PDFKit renderer: the deck drawn in Node by PDFKit 0.20 used directly (`r_pdfkit.js`), as Node back-ends draw
reports by hand: no table layout of the tool's, the table laid out by the driver with PDFKit's own measuring and
line wrapping, pages added by the driver.

Layout: `doc.text(str, x, y, {width, align, lineGap})` in every cell, wrapped by PDFKit's LineWrapper (UAX #14 line
breaks from the `linebreak` package: between any two ideographs, never inside 'AC1.2.1' or '≧96.0%'; a word wider
than the cell is cut by characters), each row as tall as its tallest cell by `doc.heightOfString` with the same
options; 構面/策略目標 cells merged over their runs on each page (a run continued from the page before printed again
or left blank); turned 構面 labels by `doc.rotate(-90, {origin})` around the cell's centre and `lineBreak: false`,
or stacked one character per line; rules as `moveTo/lineTo/stroke` per cell side (each shared edge stroked twice),
`rect().stroke()` per cell, horizontal rules only, zebra fills or none, head fills by `rect().fill()`.  Slides
(4:3, 16:9 or A4 landscape by `addPage({size, layout: 'landscape', margins})`, the deck's row budget per slide, cut
again by height) or a document the author paginates by row heights (A4 portrait or landscape), the title (with its
--n/N marker) and head rows again on every page, a band row never left at a page foot.

Furniture: a running header (office, 策略地圖與平衡計分卡, a rule) by `doc.on('pageAdded')`; '- n -' footers drawn
with the page, or '- n -', 'n / N' and '第 n 頁，共 N 頁' in a loop over `bufferPages: true` pages
(`bufferedPageRange`, `switchToPage`, `flushPages`); the watermark ('內部資料', `doc.rotate`, grey or
`doc.opacity()`) under the content (pageAdded), over it with the page, or in the buffered loop.  Document
information none, Title/Author, or the author's Producer/Creator (PDFKit writes Producer and Creator 'PDFKit' and
a CreationDate); `compress` on (PDFKit's default) or off; PDF 1.3 (default), 1.4 or 1.7.

Quirks found: text whose next line would pass `page.maxY()` (the bottom margin) makes LineWrapper call
`continueOnNewPage`, so a footer written with `doc.text` below the margin adds a blank page with the footer's text
on it; `lineBreak: false` does not help as long as a `width` is given (any width makes `_text` wrap, and the wrapper
checks the first line against maxY before drawing it), so the author sets `doc.page.margins.bottom = 0` around the
footer or places it by hand (x from widthOfString, no width, `lineBreak: false`), and keeps the table 6 pt above the
margin; a deck on which PDFKit still added a page of its own fails. Stacked 構面 labels ('顧\n客\n構\n面') in a column
narrower than two characters: LineWrapper measures each newline's glyph too, so every character gets an empty second
line; rows are grown by heightOfString in the cell's own width, so the label prints double-spaced. With a `height`
option LineWrapper stops at it and drops the lines that do not fit (no text is hidden: cells are drawn without a
height). `doc.text` moves `doc.x/doc.y`, so pageAdded handlers restore them. Fonts by `doc.registerFont(name, file)`
of a face of fonts.py or of the system collection with its PostScript name (`registerFont(name, 'x.ttc',
'NotoSansCJKtc-Regular')`); fontkit subsets them: TrueType faces as CIDFontType2, Noto CJK kept CFF (CIDFontType0
with FontFile3 /CIDFontType0C), glyphs renumbered in order of first use, tags 'CZZZZZ+', 'DZZZZZ+' in order of use,
a ToUnicode of the code points shaped (a lookalike reads as itself); no synthetic bold, so bold is none, a second
face (Noto's Bold collection or WenQuanYi Zen Hei over another body face), or `{stroke: true, fill: true}` (text
rendering mode 2). No font fallback: characters a face lacks print as the plain ideograph (fonts.printable).
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
from .layout import check, chunk, columns, find_pages, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

PDFKIT = "0.20.2"  # npm install pdfkit@0.20.2 in $REALTOOLS_CACHE/pdfkit (README, Setup)
JS = Path(__file__).with_name("r_pdfkit.js")
PAGES = {
    "4:3": ([720, 540], None, 720.0, 540.0),
    "16:9": ([960, 540], None, 960.0, 540.0),
    "A4L": ("A4", "landscape", 841.89, 595.28),
    "A4": ("A4", "portrait", 595.28, 841.89),
}
# the bottom margin is page.maxY(): a line of text that would pass it makes PDFKit add a page; tables end 6 pt above
MARGINS = {"top": 30, "left": 30, "right": 30, "bottom": 34}
NOTO = "/usr/share/fonts/opentype/noto/"
# the system collection and PostScript name of each face, and of its bold face where there is one
COLLECTION = {
    "Noto Sans CJK TC": (NOTO + "NotoSansCJK-Regular.ttc", "NotoSansCJKtc-Regular"),
    "Noto Serif CJK TC": (NOTO + "NotoSerifCJK-Regular.ttc", "NotoSerifCJKtc-Regular"),
    "WenQuanYi Zen Hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "WenQuanYiZenHei"),
    "AR PL UMing TW": ("/usr/share/fonts/truetype/arphic/uming.ttc", "UMingTW"),
    "AR PL UKai TW": ("/usr/share/fonts/truetype/arphic/ukai.ttc", "UKaiTW"),
}
NOTO_BOLD = {
    "Noto Sans CJK TC": (NOTO + "NotoSansCJK-Bold.ttc", "NotoSansCJKtc-Bold"),
    "Noto Serif CJK TC": (NOTO + "NotoSerifCJK-Bold.ttc", "NotoSerifCJKtc-Bold"),
}
BOLD_FACE = "WenQuanYi Zen Hei"
HEAD_FILLS = {"light": "#d9e6f7", "gray": "#e0e0e0", "sand": "#faedd1"}
ZEBRA_FILLS = {"blue": "#ebf2fa", "gray": "#f0f0f0"}
RULE_COLORS = {"black": "#000000", "gray": "#808080", "navy": "#1f3b69"}
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}", "zh": "第 {n} 頁，共 {N} 頁"}


def modules_dir() -> Path:
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "pdfkit" / "node_modules"
    if not (d / "pdfkit" / "package.json").exists():
        raise RuntimeError(f"PDFKit is not installed: cd {d.parent} && npm install pdfkit@{PDFKIT}")
    return d


@cache
def tool_version(engine: str | None = None) -> str:
    d = modules_dir()
    ver = {m: json.loads((d / m / "package.json").read_text())["version"] for m in ("pdfkit", "fontkit", "linebreak")}
    if ver["pdfkit"] != PDFKIT:
        raise RuntimeError(f"PDFKit {ver['pdfkit']} installed, {PDFKIT} wanted: npm install pdfkit@{PDFKIT}")
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return f"PDFKit {ver['pdfkit']} (fontkit {ver['fontkit']}, linebreak {ver['linebreak']}), Node {node}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    font = style["font"] if rng.random() < 0.85 else rng.choice(list(FACES))
    footer = rng.choice([None, "dash", "dash", "of", "zh"])
    bolds = ["none", "stroke", "face"]
    return {
        "flow": flow,
        "page": rng.choice(["A4", "A4L", "A4L"]) if flow else style["page"],
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "font": font,
        "font_source": rng.choice(["face", "collection"]),
        "bold": rng.choice(bolds),
        "line_gap": rng.choice([0, 0, 1, 2]),
        "pad": rng.choice([2, 3, 4]),
        "grid_as": rng.choice(["lines", "lines", "rect"]),
        "rule_width": rng.choice([0.25, 0.5, 0.5, 0.75, 1.0]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "hdr_fill": rng.choice([None, *HEAD_FILLS]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "turn": rng.choice(["rotate", "rotate", "stack"]),
        "header": rng.random() < 0.4,
        "footer": footer,
        "footer_pass": "end" if footer in ("of", "zh") else rng.choice(["page", "end"]),
        "footer_align": rng.choice(["right", "center"]),
        "footer_guard": rng.choice(["margin", "nolinebreak"]),
        "buffer": rng.random() < 0.5,
        "watermark_layer": rng.choice(["under", "over", "end"]),
        "watermark_opacity": rng.choice([None, 0.15, 0.25]),
        "watermark_angle": rng.choice([30, 45]),
        "logo_badge": rng.random() < 0.5,
        "compress": rng.random() < 0.7,
        "pdf_version": rng.choice(["1.3", "1.3", "1.4", "1.7"]),
        "info": rng.choice([None, "title", "title", "producer"]),
    }


def _fonts(opts: dict) -> dict:
    def spec(family: str) -> list:
        if opts["font_source"] == "collection":
            return list(COLLECTION[family])
        return [face_file(family)]

    bold = None
    if opts["bold"] == "face":
        bold = list(NOTO_BOLD[opts["font"]]) if opts["font"] in NOTO_BOLD else spec(BOLD_FACE)
    return {"cjk": spec(opts["font"]), "bold": bold}


def _sections(deck: Deck, opts: dict) -> list[dict]:
    fam = opts["font"]

    def p(s: str) -> str:
        s = printable(s, fam)
        return printable(s, BOLD_FACE) if opts["bold"] == "face" and fam not in NOTO_BOLD else s

    secs: list[dict] = [{"t": "cover", "org": p(deck.org)}]
    secs.append({"t": "profile", "title": p(f"{deck.org}轄區概況"), "lines": [p(s) for s in deck.profile_lines]})
    persps = [x for x in BSC_ORDER if any(o.perspective == x for t in deck.themes for o in t.objectives)]
    secs.append(
        {
            "t": "map",
            "title": p(f"{deck.org}策略地圖"),
            "date": deck.map_date,
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
    max_rows = 99 if opts["flow"] else int(opts["max_rows"])
    for t in deck.themes:
        cols = []
        for c in columns(deck):
            cols.append({"id": c.id, "label": p(c.label), "weight": c.weight, "group": c.group, "sub": c.sub})
        rows = []
        for r in theme_rows(deck, t):
            cells = {k: p(v) for k, v in r.cells.items()}
            rows.append({"kind": r.kind, "persp": r.persp, "obj": r.obj.code if r.obj else None, "cells": cells})
        parts, i = [], 0
        for part in chunk(theme_rows(deck, t), max_rows):
            parts.append(rows[i : i + len(part)])
            i += len(part)
        secs.append({"t": "theme", "letter": t.letter, "title": p(theme_title(deck, t)), "cols": cols, "parts": parts})
    secs.append({"t": "end", "text": "敬請指教"})
    return secs


def _run(job: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="r_pdfkit-") as tmp:
        path, report = Path(tmp) / "job.json", Path(tmp) / "report.json"
        path.write_text(json.dumps({**job, "report": str(report)}, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(["node", str(JS), str(path)], capture_output=True, text=True, timeout=600)
        if proc.returncode or not Path(job["out"]).exists():
            raise RuntimeError(f"PDFKit failed: {proc.stderr.strip()[-3000:]}")
        return json.loads(report.read_text())


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide; a document is cut by row heights
    only).  A row taller than the page, or text past its edge, makes the type smaller.  Returns the options used."""
    tool_version()
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    opts.setdefault("max_rows", st["max_rows"])
    opts["rules"] = st["rules"]
    if not opts["footer"]:
        opts["footer_pass"] = None
    if opts["footer_pass"] == "end" or opts["watermark_layer"] == "end":
        opts["buffer"] = True
    size, layout, w, h = PAGES[opts["page"]]
    mode = {"column": "h", "band": "h", "rotated": "rot" if opts["turn"] == "rotate" else "stack", "stacked": "stack"}
    info = None
    if opts["info"] in ("title", "producer"):
        info = {"Title": f"{deck.org}策略地圖與平衡計分卡", "Author": deck.org}
    if opts["info"] == "producer":
        info.update(Producer=f"PDFKit {PDFKIT}", Creator=f"{deck.short}績效管理系統")
    while True:
        secs = _sections(deck, opts)
        job = {
            "modules": str(modules_dir()),
            "page": {"size": size, "layout": layout, "w": w, "h": h, "margins": MARGINS},
            "fonts": _fonts(opts),
            "compress": opts["compress"],
            "pdf_version": opts["pdf_version"],
            "info": info,
            "buffer": opts["buffer"],
            "org": printable(deck.org, opts["font"]),
            "short": printable(deck.short, opts["font"]),
            "accent": "#1a4d8c",
            "pt": float(opts["font_pt"]),
            "line_gap": opts["line_gap"],
            "pad": opts["pad"],
            "rules": st["rules"],
            "grid_as": opts["grid_as"],
            "rule_width": opts["rule_width"],
            "rule_color": RULE_COLORS[opts["rule_color"]],
            "hdr_fill": HEAD_FILLS.get(opts["hdr_fill"] or ""),
            "zebra_fill": ZEBRA_FILLS[opts["zebra_fill"]],
            "halign": st["halign"],
            "valign": st["valign"],
            "persp_mode": mode[st["persp_mode"]],
            "blank_cont": st["blank_cont"],
            "cont_marker": st["cont_marker"],
            "logo": st["logo"],
            "logo_badge": opts["logo_badge"],
            "bold": opts["bold"],
            "header": opts["header"],
            "footer": opts["footer"] and {"format": FOOTERS[opts["footer"]], "align": opts["footer_align"]},
            "footer_pass": opts["footer_pass"],
            "footer_guard": opts["footer_guard"],
            "watermark": st["watermark"]
            and {
                "text": "內部資料",
                "angle": opts["watermark_angle"],
                "opacity": opts["watermark_opacity"],
                "layer": opts["watermark_layer"],
            },
            "bottom": h - 40,
            "sections": secs,
            "out": str(out_pdf),
        }
        report = _run(job)
        if report["pages"] != report["added"]:
            # PDFKit's LineWrapper adds a page of its own when a line would pass the bottom margin
            raise RuntimeError(f"PDFKit added {report['pages'] - report['added']} pages of its own")
        problems = []
        if not report["too_tall"]:
            find_pages(out_pdf, deck)
            problems = check(out_pdf, deck)
        if (report["too_tall"] or any("outside the page" in p for p in problems)) and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        if report["too_tall"]:
            raise RuntimeError(f"rows taller than the page: {report['too_tall'][:2]}")
        break
    opts["problems"] = problems
    return opts
