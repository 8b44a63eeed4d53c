"""jsPDF `.html()` renderer: the deck as an HTML page in headless Chromium, exported by jsPDF's html plugin with
html2canvas (the 'download as PDF' button of many web back-offices) through a small Node driver (`r_jspdfhtml.js`,
playwright-core driving Debian's /usr/bin/chromium; page, bundles and font served by request routing).

jsPDF does not print the page: html2canvas walks the browser's layout and paints it into jsPDF's context2d, which
writes real text (`fillText`, one string per text run html2canvas measured) and rules and fills as paths.  The
face is registered with `addFileToVFS` + `addFont(..., 'Identity-H')` (TrueType only: Noto CJK decks are set in
WenQuanYi Zen Hei or AR PL UMing/UKai TW, the page laying out with the same file by `@font-face`); context2d maps
the CSS family to the jsPDF font by name (an unregistered bold falls back to Times: the same file is registered
as bold, or no bold is printed), and floors every font size to whole points.

Modes: `slides` (one slide section per page: `doc.addPage` then `doc.html(section)` without auto-paging, which
draws on the current page; the row budget lowered until no table overflows its section), `sliced` (the slide
sections one element cut into pages by `autoPaging: 'slice'` with no margin, page numbers in the page; the blank page
context2d opens after the last slide deleted) and `doc` (the whole deck one element, auto-paged with margins: 'text'
moves a line of text that would be cut to the next page, 'slice' cuts the drawing at the page foot and draws it
again at the next page's top; html2canvas knows no page breaks, so spacer rows push rows and titles that would cross
a page foot down).  With auto-paging, context2d leaves clips open (more Q than q), so text drawn after on pages 2+ is
clipped away (doc decks print no footer), and it drops turned text (labels stacked, no watermark).  Html pieces are
r_kendo's (html_common's colgroup and year heads; rules, head fills, merged or repeated labels, stacked or turned
構面 labels, band rows); in `slides` footers ('- n -', 'n / N', '第 n 頁') and a turned '內部資料' watermark are
drawn after, page by page, with `doc.setPage(i); doc.text(...)`.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .fonts import face_file, printable
from .r_kendo import SUBST, Html
from .spec import Deck

JS = Path(__file__).with_name("r_jspdfhtml.js")
TIMEOUT = 600
SLIDES = {"16:9": (720, 405), "4:3": (720, 540), "A4L": (842, 595)}
PAPER = {"a4": (595.28, 841.89), "letter": (612, 792)}


def modules_dir() -> Path:
    return Path(os.environ.get("JSPDFHTML_NODE_MODULES", "/work/gen/npm-jspdfhtml/node_modules"))


@cache
def tool_version(engine: str | None = None) -> str:
    m = modules_dir()
    v = {p: json.loads((m / p / "package.json").read_text())["version"] for p in ("jspdf", "html2canvas")}
    pw = json.loads((m / "playwright-core/package.json").read_text())["version"]
    ch = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    return f"jsPDF {v['jspdf']} (.html()) + html2canvas {v['html2canvas']}, {ch}, playwright-core {pw}"


def producer_options(rng: random.Random, style: dict) -> dict:
    mode = rng.choice(["slides", "slides", "doc", "sliced"])
    font = style["font"]
    if font in SUBST:
        font = SUBST[font] if rng.random() < 0.7 or "Sans" in font else "AR PL UKai TW"
    o = {
        "mode": mode,
        "font": font,
        "bold": rng.choice(["same_file", "same_file", "none"]),
        "rotate": rng.choice(["transform", "stacked"]),
        "head_fill": rng.choice(["#dce6f2", "#1d4f91", "#eeeeee", None]),
        "rule_color": rng.choice(["#555", "#999", "#000"]),
        "rule_px": rng.choice([0.5, 1, 1]),
        "pad_px": rng.choice([1, 2, 3, 4]),
        "watermark": style["watermark"] or rng.random() < 0.15,
        "footer": rng.choice(["dash", "of", "zh", None]),
        "wrap": rng.choice(["break-all", "anywhere", "normal"]),
        "creator": rng.random() < 0.5,
        "labels": rng.choice(["merged", "merged", "merged", "repeated"]),
    }
    if mode == "doc":
        o.update(
            paper=rng.choice(["a4", "a4", "letter"]),
            landscape=rng.random() < 0.75,
            margin_pt=rng.choice([20, 30, 40]),
            window_px=rng.choice([900, 1000, 1100, 1200]),
            auto_paging=rng.choice(["text", "text", "slice"]),
            footer=None,  # context2d's auto-paging leaves a clip open on every page after the first (more Q than
            watermark=False,  # q): text drawn after with setPage is clipped away, so doc decks print none
        )
    else:
        o.update(page=style["page"], window_px=rng.choice([720, 800, 900, 960]))
    return o


class Page(Html):
    def page(self, parts: list[str], page_w: float, page_h: float) -> str:
        doc = (
            f'<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="utf-8"><title>x</title>'
            f"<style>{self.css(page_w, page_h)}</style>"
            '<script src="jspdf.umd.min.js"></script><script src="html2canvas.min.js"></script></head>'
            f'<body><div id="deck">{"".join(parts)}</div></body></html>'
        )
        return printable(doc, self.o["font"])


def _run(job: dict, tmp: Path) -> dict:
    jp = tmp / "job.json"
    jp.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    p = subprocess.run(["node", str(JS), str(jp)], capture_output=True, text=True, timeout=TIMEOUT)
    if p.returncode:
        raise RuntimeError(f"r_jspdfhtml.js failed: {p.stderr[-2000:]}")
    return json.loads(p.stdout)


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    from .layout import check, find_pages

    o = dict(options or {})
    out_pdf = Path(out_pdf)
    st = deck.style
    base = {
        "mode": "slides",
        "font": SUBST.get(st["font"], st["font"]),
        "font_decl": "font-face",
        "bold": "same_file",
        "rotate": "transform",
        "head_fill": "#dce6f2",
        "rule_color": "#555",
        "rule_px": 1,
        "pad_px": 2,
        "watermark": st["watermark"],
        "footer": None,
        "wrap": "break-all",
        "creator": False,
        "labels": "merged",
        "running_title": False,
    }
    if o.get("mode") == "doc":
        base.update(
            paper="a4",
            landscape=True,
            margin_pt=30,
            window_px=1000,
            auto_paging="text",
            theme_break=False,
            break_on="h1",
        )
    else:
        base.update(page=st["page"], window_px=900)
    for k, v in base.items():
        o.setdefault(k, v)
    o["font_decl"] = "font-face"
    if o["mode"] == "doc":  # see producer_options: what is drawn after auto-paging is clipped away
        o["footer"], o["watermark"] = None, False
    if o["mode"] != "slides":
        # with auto-paging context2d drops turned text (seen: turned 構面 labels and the page's turned watermark
        # missing from page and text layer), so the author stacks the labels and prints no watermark
        if st["persp_mode"] == "rotated" and o["rotate"] == "transform":
            o["rotate"] = "stacked"
            o["turned_text_lost"] = "labels stacked"
        o["watermark"] = False
    m = modules_dir()
    job = {
        "modules": str(m),
        "html": "deck.html",
        "out": str(out_pdf),
        "mode": o["mode"],
        "bold": o["bold"] == "same_file",
        "footer": o["footer"],
        "watermark": "內部資料" if o["watermark"] else None,
        "props": {"title": deck.org, "author": deck.org, "creator": deck.org} if o["creator"] else None,
    }
    # the page's own watermark div would be drawn by html2canvas as well: jsPDF draws it after, page by page
    # and its footers are drawn after, page by page
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        job["files"] = {
            "deck.html": str(tmp / "deck.html"),
            "face.ttf": face_file(o["font"]),
            "jspdf.umd.min.js": str(m / "jspdf/dist/jspdf.umd.min.js"),
            "html2canvas.min.js": str(m / "html2canvas/dist/html2canvas.min.js"),
        }
        if o["mode"] == "doc":
            pw, ph = PAPER[o["paper"]]
            if o["landscape"]:
                pw, ph = ph, pw
            mg = o["margin_pt"]
            cw = o["window_px"]
            k = (pw - 2 * mg) / cw  # pt per css px
            o.setdefault("font_px", round(st["font_pt"] * 1.2 / k, 1))
            chh = (ph - 2 * mg) / k
            h = Page(deck, {**o, "watermark": False, "footer": None})
            (tmp / "deck.html").write_text(h.page(h.document(chh), cw, chh), encoding="utf-8")
            job.update(
                format=[pw, ph],
                orientation="landscape" if o["landscape"] else "portrait",
                width=pw - 2 * mg,
                windowWidth=cw,
                margin=[mg, mg, mg, mg],
                autoPaging=o["auto_paging"],
            )
            report = _run(job, tmp)
        else:
            pw, ph = SLIDES[o["page"]]
            cw = o["window_px"]
            k = pw / cw
            chh = ph / k
            o.setdefault("font_px", round(st["font_pt"] * 1.1 / k, 1))
            if o["mode"] == "sliced":
                # the slides one element cut into pages by auto-paging: page numbers and watermark are in the page
                h = Page(deck, o)
                job.update(mode="doc", footer=None, watermark=None, spacers=False)
            else:
                h = Page(deck, {**o, "watermark": False, "footer": None})
            job.update(
                format=[pw, ph],
                orientation="landscape",
                width=pw,
                windowWidth=cw,
                margin=[0, 0, 0, 0],
                autoPaging="slice" if o["mode"] == "sliced" else False,
            )
            rows = int(o.get("max_rows", st["max_rows"]))
            while True:
                o["max_rows"] = rows
                secs, want = h.slides(rows, cw, chh)
                (tmp / "deck.html").write_text(h.page(secs, cw, chh), encoding="utf-8")
                job["want"] = want
                report = _run(job, tmp)
                if (not report["overflow"] and report["pages"] == want) or rows == 1:
                    break
                rows -= 1
    o["report"] = {k: v for k, v in report.items() if k != "logs"}
    o["console"] = sorted(set(report.get("logs", [])))[:5]
    extra = []
    if report.get("cell_spill"):
        extra.append(f"{report['cell_spill']} table cells print text outside them")
    find_pages(out_pdf, deck)
    o["problems"] = check(out_pdf, deck) + extra
    return o
