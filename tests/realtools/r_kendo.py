"""Kendo UI renderer: the deck as an HTML page in headless Chromium, exported by Kendo UI's drawing library
(@progress/kendo-drawing, the engine behind the 'Export to PDF' button of Kendo UI grids and pages in web
back-offices) through a small Node driver (`r_kendo.js`, playwright-core driving Debian's /usr/bin/chromium).

Kendo does not print the page: `drawDOM(element, options)` walks the DOM and rebuilds what the browser laid out as
its own drawing (text runs measured with DOM Ranges, one Text element per line box, borders and backgrounds as
paths, CSS transforms as matrices), paginates it itself when `paperSize` is given (`multiPage`, `forcePageBreak`
selector, `repeatHeaders` for table heads, `keepTogether` selector, `scale`, `margin`, a `template` function drawn on
every page with `pageNum`/`totalPages`), and `exportPDF(group, options)` writes the PDF with its own writer: fonts
are embedded only if Kendo knows a file for the family (an `@font-face` rule in the page, or `kendo.pdf.defineFont`
for a family Chromium takes from the system), each a TrueType subset (Type0 Identity-H, ToUnicode) parsed by its
own TTF reader; a family it has no file for (e.g. bold text without a 'Face|Bold' face) is written in the
standard Times-Roman, CJK then garbled: the author declares the bold face (the same file again) or prints no bold.
Kendo reads no CFF: Noto CJK decks are set in WenQuanYi Zen Hei (sans) or AR PL UMing/UKai TW (serif).

Modes: `doc` (the whole deck one element, A4/Letter landscape or portrait, Kendo paginates: front pages and themes
started by forcePageBreak or themes following on, head rows repeated or not, rows it moves whole to the next page;
a matched element is never split (Kendo breaks before it and skips its children), so the class goes on a theme's
title or an empty marker before it, not on a wrapper whose table would be cut at the page foot;
template running title / footer / watermark), `slides` (one element, pages of the slide size, each slide started by
forcePageBreak, the row budget lowered until no slide spills) and `each` (one drawDOM per slide section without
paper size, so each page is as large as its drawing's bounding box, joined into one multi-page group) and
`shapes` (draw_common's hand layout built directly as drawing.Text / Path / Rect, a Group per page; without drawDOM
Kendo reads no @font-face rule, so the face is given by defineFont).
Page geometry: Kendo maps one CSS px to one PDF point; `scale` shrinks the layout to the paper.
"""

from __future__ import annotations

import html
import json
import os
import random
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .fonts import face_file, printable
from .html_common import colgroup, header
from .layout import Col, Row, chunk, columns, continues, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

JS = Path(__file__).with_name("r_kendo.js")
TIMEOUT = 300
# slide pages in points (= CSS px for Kendo)
SLIDES = {"16:9": (720, 405), "4:3": (720, 540), "A4L": (842, 595)}
PAPER = {"A4": (595, 842), "Letter": (612, 792)}
SUBST = {"Noto Sans CJK TC": "WenQuanYi Zen Hei", "Noto Serif CJK TC": "AR PL UMing TW"}


def modules_dir() -> Path:
    return Path(os.environ.get("KENDO_NODE_MODULES", "/work/gen/npm-kendo/node_modules"))


@cache
def tool_version(engine: str | None = None) -> str:
    m = modules_dir()
    kd = json.loads((m / "@progress/kendo-drawing/package.json").read_text())["version"]
    pw = json.loads((m / "playwright-core/package.json").read_text())["version"]
    ch = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    return f"@progress/kendo-drawing {kd} (drawDOM + exportPDF), {ch}, playwright-core {pw}"


def producer_options(rng: random.Random, style: dict) -> dict:
    mode = rng.choice(["doc", "doc", "slides", "each", "shapes"])
    font = style["font"]
    if font in SUBST:
        font = SUBST[font] if rng.random() < 0.7 or "Sans" in font else "AR PL UKai TW"
    o = {
        "mode": mode,
        "font": font,
        "font_decl": rng.choice(["font-face", "font-face", "defineFont"]),
        "bold": rng.choice(["same_file", "same_file", "none"]),
        "rotate": rng.choice(["transform", "stacked"]),
        "head_fill": rng.choice(["#dce6f2", "#1d4f91", "#eeeeee", None]),
        "rule_color": rng.choice(["#555", "#999", "#000"]),
        "rule_px": rng.choice([0.5, 1, 1]),
        "pad_px": rng.choice([1, 2, 3, 4]),
        "watermark": style["watermark"] or rng.random() < 0.15,
        "footer": rng.choice(["dash", "of", "zh", "zhN", None]),
        "running_title": rng.random() < 0.5,
        "wrap": rng.choice(["break-all", "anywhere", "normal"]),
        "creator": rng.random() < 0.5,
        "labels": rng.choice(["merged", "merged", "merged", "repeated"]),
    }
    if mode == "doc":
        o.update(
            paper=rng.choice(["A4", "A4", "Letter"]),
            landscape=rng.random() < 0.75,
            margin_mm=rng.choice([10, 15, 20]),
            scale=rng.choice([1.0, 0.8, 0.7, 0.6]),
            repeat_headers=rng.random() < 0.7,
            theme_break=rng.random() < 0.6,
            keep_rows=rng.random() < 0.3,
            break_on=rng.choice(["h1", "marker"]),
        )
    elif mode == "shapes":
        o.update(
            page=style["page"],
            font_decl="defineFont",
            rules_as_rects=rng.random() < 0.5,
            watermark_angle=rng.choice([30, 30, 0]),
            logo_badge=rng.random() < 0.5,
        )
    else:
        o.update(page=style["page"], scale=rng.choice([1.0, 1.0, 0.8, 0.7]))
    return o


def esc(s: str) -> str:
    return html.escape(s).replace("\n", "<br>")


class Html:
    def __init__(self, deck: Deck, opts: dict) -> None:
        self.d, self.o = deck, opts
        self.font_px = opts["font_px"]

    def css(self, page_w: float, page_h: float) -> str:
        o, st = self.o, self.d.style
        col, w = o["rule_color"], o["rule_px"]
        border = {
            "grid": f"td,th{{border:{w}px solid {col}}}",
            "hrules": f"td,th{{border-bottom:{w}px solid {col}}} thead th{{border-top:{w * 2}px solid {col}}}",
            "zebra": f"th{{border-bottom:2px solid {col}}} tbody tr.z td{{background:#eef2f7}}",
            "none": "",
        }[st["rules"]]
        hf = o["head_fill"]
        hcol = "#fff" if hf == "#1d4f91" else "#111"
        bold = "bold" if o["bold"] != "none" else "normal"
        fam = "DeckFace" if o["font_decl"] == "font-face" else o["font"]
        ff = ""
        if o["font_decl"] == "font-face":
            ff = "@font-face{font-family:'DeckFace';src:url('face.ttf') format('truetype')}"
            if o["bold"] == "same_file":
                ff += "@font-face{font-family:'DeckFace';font-weight:bold;src:url('face.ttf') format('truetype')}"
        wrap = {"break-all": "word-break:break-all", "anywhere": "overflow-wrap:anywhere", "normal": ""}[o["wrap"]]
        fp, pad = self.font_px, o["pad_px"]
        return f"""{ff}
html,body{{margin:0;padding:0}}
body{{font-family:'{fam}';color:#111}}
#deck{{width:{page_w}px}}
section.slide{{width:{page_w}px;height:{page_h}px;box-sizing:border-box;padding:18px 22px;position:relative;
 overflow:hidden;background:#fff}}
section.front{{position:relative;min-height:{page_h}px}}
h1{{font-size:{round(fp * 1.9, 1)}px;color:#1d4f91;margin:0 0 8px 0;font-weight:{bold}}}
h1 .logo{{float:right;font-size:{round(fp * 1.2, 1)}px;border:1px solid #1d4f91;padding:1px 8px}}
table{{border-collapse:collapse;width:100%;font-size:{fp}px;table-layout:fixed}}
td,th{{padding:{pad}px {pad + 1}px;vertical-align:{st["valign"]};text-align:{st["halign"]};{wrap}}}
th{{background:{hf or "transparent"};color:{hcol};text-align:center;vertical-align:middle;font-weight:{bold}}}
tr.band td{{background:#c9d9ec;font-weight:{bold};text-align:left}}
td.persp{{text-align:center;vertical-align:middle;position:relative}}
.trot{{position:absolute;left:50%;top:50%;white-space:nowrap;transform:translate(-50%,-50%) rotate(-90deg)}}
.wm{{position:absolute;left:30%;top:42%;font-size:64px;color:#e8c4c4;transform:rotate(-30deg)}}
.center{{text-align:center;padding-top:{page_h * 0.3:.0f}px;font-size:34px}}
.box{{display:inline-block;border:1.5px solid #1d4f91;border-radius:10px;padding:4px 8px;margin:3px;font-size:11px}}
.pbox{{display:inline-block;width:80px;background:#1d4f91;color:#fff;padding:6px;margin:3px}}
.kt{{position:absolute;left:0;top:0;width:100%;height:100%}}
.kh{{position:absolute;top:12px;left:30px;right:30px;font-size:9px;color:#555;border-bottom:0.5px solid #999}}
.kf{{position:absolute;bottom:12px;left:0;right:0;text-align:center;font-size:9px;color:#444}}
.kw{{position:absolute;left:32%;top:42%;font-size:64px;color:#e8c4c4;transform:rotate(-30deg)}}
.pn{{position:absolute;bottom:8px;right:24px;font-size:9px;color:#444}}
{border}"""

    def persp(self, label: str, rows_n: int) -> str:
        if self.d.style["persp_mode"] == "stacked" or (
            self.d.style["persp_mode"] == "rotated" and self.o["rotate"] == "stacked"
        ):
            return "<br>".join(esc(ch) for ch in label)
        if self.d.style["persp_mode"] == "rotated":
            return f'<div class="trot">{esc(label)}</div>'
        return esc(label)

    def body(self, rows: list[Row], prev: list[Row], cols: list[Col]) -> str:
        st = self.d.style
        spans = {key: dict(runs(rows, key)) for key in ("persp", "obj")}
        if self.o.get("labels") == "repeated":  # 構面/objective printed on every row, no rowspan
            spans = {key: {i: 1 for i, r in enumerate(rows) if r.kind == "kpi"} for key in spans}
        covered: set[tuple[int, str]] = set()
        for key in spans:
            for s, n in spans[key].items():
                covered.update((i, key) for i in range(s + 1, s + n))
        out, k = [], 0
        rot = st["persp_mode"] == "rotated" and self.o["rotate"] == "transform"
        for i, r in enumerate(rows):
            if r.kind == "band":
                out.append(f'<tr class="band"><td colspan="{len(cols)}">{esc(r.cells["band"])}</td></tr>')
                continue
            k += 1
            tds = []
            for c in cols:
                if (i, c.id) in covered:
                    continue
                text = r.cells.get(c.id, "")
                if c.id in spans:
                    n = spans[c.id].get(i, 1)
                    if i == 0 and st["blank_cont"] and continues(prev, r, c.id) and self.o.get("labels") != "repeated":
                        text = ""
                    inner = self.persp(text, n) if c.id == "persp" and text else esc(text)
                    h = ""
                    if c.id == "persp" and rot and text:
                        # the turned label's box stays horizontal in the layout: the author gives the cell a height
                        h = f' style="height:{(len(text) + 1) * self.font_px / max(n, 1):.0f}px"'
                    tds.append(f'<td rowspan="{n}" class="{c.id}"{h}>{inner}</td>')
                else:
                    tds.append(f"<td>{esc(text)}</td>")
            z = ' class="z"' if k % 2 == 0 else ""
            out.append(f"<tr{z}>" + "".join(tds) + "</tr>")
        return "".join(out)

    def table(self, rows: list[Row], prev: list[Row], cols: list[Col]) -> str:
        two = self.d.style["year_header"] == "two_row"
        return (
            f"<table>{colgroup(cols)}<thead>{header(cols, two)}</thead><tbody>"
            f"{self.body(rows, prev, cols)}</tbody></table>"
        )

    def front(self, cls: str, page_h: float, numbered: bool) -> list[str]:
        d = self.d
        out = [
            f'<section class="{cls}"><div class="center">{esc(d.org)}<br>策略地圖與平衡計分卡</div>{{pn}}</section>',
            f'<section class="{cls}"><h1>轄區概況</h1>'
            + "".join(f'<p style="font-size:16px;margin:14px 36px">{esc(x)}</p>' for x in d.profile_lines)
            + "{pn}</section>",
        ]
        mp = [
            f'<section class="{cls}"><h1>{esc(d.org)}策略地圖<span style="float:right;font-size:14px">'
            f"{esc(d.map_date)}</span></h1>"
        ]
        for p in BSC_ORDER:
            objs = [o for t in d.themes for o in t.objectives if o.perspective == p]
            if objs:
                mp.append(
                    f'<div><span class="pbox">{p}構面</span>'
                    + "".join(f'<span class="box">{esc(o.shown)}</span>' for o in objs)
                    + "</div>"
                )
        out.append("".join(mp) + "{pn}</section>")
        return out

    def logo(self) -> str:
        return f'<span class="logo">{esc(self.d.short)}</span>' if self.d.style["logo"] else ""

    def slides(self, max_rows: int, page_w: float, page_h: float) -> tuple[list[str], int]:
        d, o = self.d, self.o
        secs = self.front("slide", page_h, True)
        cols = columns(d)
        wm = '<div class="wm">內部資料</div>' if o["watermark"] else ""
        for t in d.themes:
            rows = theme_rows(d, t)
            parts = chunk(rows, max_rows)
            for i, part in enumerate(parts):
                title = theme_title(d, t, i + 1, len(parts))
                secs.append(
                    f'<section class="slide"><h1>{esc(title)}{self.logo()}</h1>'
                    f"{self.table(part, parts[i - 1] if i else [], cols)}{wm}{{pn}}</section>"
                )
        secs.append('<section class="slide"><div class="center">敬請指教</div>{pn}</section>')
        n = len(secs)
        out = []
        for i, s in enumerate(secs, 1):
            pn = ""
            if o["footer"]:
                pn = (
                    '<div class="pn">'
                    + {"dash": f"- {i} -", "of": f"{i} / {n}", "zh": f"第 {i} 頁", "zhN": f"第 {i} 頁，共 {n} 頁"}[
                        o["footer"]
                    ]
                    + "</div>"
                )
            out.append(s.replace("{pn}", pn))
        return out, n

    def document(self, page_h: float) -> list[str]:
        d, o = self.d, self.o
        secs = [s.replace("{pn}", "") for s in self.front("front brk", page_h, False)]
        secs[0] = secs[0].replace("front brk", "front", 1)  # a break before the first element makes a blank page
        cols = columns(d)
        for j, t in enumerate(d.themes):
            rows = theme_rows(d, t)
            brk = o["theme_break"] or j == 0
            # Kendo never splits an element matched by forcePageBreak (it breaks before it and skips its
            # children), so a theme wrapper carrying the class is cut at the page foot: the class goes on the
            # title (an h1 Kendo keeps whole anyway) or on an empty marker before the theme
            h1 = ' class="brk"' if brk and o["break_on"] == "h1" else ""
            mark = '<div class="brk"></div>' if brk and o["break_on"] == "marker" else ""
            mt = "" if brk else ' style="margin-top:18px"'
            secs.append(
                f'{mark}<div class="theme"{mt}><h1{h1}>{esc(theme_title(d, t))}{self.logo()}</h1>'
                f"{self.table(rows, [], cols)}</div>"
            )
        secs.append('<section class="front brk"><div class="center">敬請指教</div></section>')
        return secs

    def page(self, parts: list[str], page_w: float, page_h: float) -> str:
        doc = (
            f'<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="utf-8"><title>{esc(self.d.org)}</title>'
            f"<style>{self.css(page_w, page_h)}</style>"
            '<script src="kendo-common.js"></script><script src="kendo-drawing.js"></script></head>'
            f'<body><div id="deck">{"".join(parts)}</div></body></html>'
        )
        return printable(doc, self.o["font"])


class OpsCanvas:
    """draw_common's canvas as a list of Kendo drawing operations (`drawing.Text`, `Path`, `Rect` in a `Group` per
    page), measured with the face's own advance widths (fontTools)."""

    def __init__(self, family: str, kendo_font: str) -> None:
        from fontTools.ttLib import TTFont

        f = TTFont(face_file(family), lazy=True)
        self.cmap, self.hmtx = f.getBestCmap(), f["hmtx"]
        self.upm = f["head"].unitsPerEm
        self.asc = f["hhea"].ascent / self.upm
        self.family, self.font = family, kendo_font
        self.ops: list[list] = []

    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        self.ops.append(["page", w, h])

    @staticmethod
    def hexc(c: tuple) -> str:
        return "#" + "".join(f"{round(v * 255):02x}" for v in c)

    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0)) -> None:
        # Kendo places a Text by the top left of its box; draw_common gives the baseline: the box's top is an
        # ascent above it, and a turned label turns about its baseline start
        s = printable(s, self.family)
        self.ops.append(
            [
                "text",
                round(x, 2),
                round(y - self.asc * size, 2),
                s,
                f"{size}px {self.font}",
                self.hexc(color),
                -angle,
                round(x, 2),
                round(y, 2),
            ]
        )

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: tuple = (0, 0, 0)) -> None:
        self.ops.append(["line", x0, y0, x1, y1, width, self.hexc(color)])

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: tuple, stroke: tuple | None = None) -> None:
        self.ops.append(["rect", x0, y0, x1 - x0, y1 - y0, self.hexc(fill), self.hexc(stroke) if stroke else None, 1])

    def width(self, s: str, size: float) -> float:
        s = printable(s, self.family)
        return sum(self.hmtx[self.cmap[ord(c)]][0] if ord(c) in self.cmap else self.upm for c in s) * size / self.upm


def _files(tmp: Path, font: str) -> dict:
    m = modules_dir() / "@progress"
    return {
        "deck.html": str(tmp / "deck.html"),
        "face.ttf": face_file(font),
        "kendo-common.js": str(m / "kendo-common/dist/cdn/js/kendo-common.js"),
        "kendo-drawing.js": str(m / "kendo-drawing/dist/cdn/js/kendo-drawing.js"),
    }


def _run(job: dict, tmp: Path) -> dict:
    jp = tmp / "job.json"
    jp.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    p = subprocess.run(["node", str(JS), str(jp)], capture_output=True, text=True, timeout=TIMEOUT)
    if p.returncode:
        raise RuntimeError(f"r_kendo.js failed: {p.stderr[-2000:]}")
    return json.loads(p.stdout)


def _lost(pdf: Path, deck: Deck) -> bool:
    from .layout import check, find_pages

    try:
        find_pages(pdf, deck)
    except ValueError:
        return True
    return bool(check(pdf, deck))


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    from .layout import check, find_pages

    o = dict(options or {})
    out_pdf = Path(out_pdf)
    st = deck.style
    o.setdefault("mode", "slides")
    o.setdefault("font", SUBST.get(st["font"], st["font"]))
    base = {
        "font_decl": "font-face",
        "bold": "same_file",
        "rotate": "transform",
        "head_fill": "#dce6f2",
        "rule_color": "#555",
        "rule_px": 1,
        "pad_px": 2,
        "watermark": st["watermark"],
        "footer": None,
        "running_title": False,
        "wrap": "break-all",
        "creator": False,
        "labels": "merged",
    }
    if o["mode"] == "doc":
        base.update(
            paper="A4",
            landscape=True,
            margin_mm=15,
            repeat_headers=True,
            theme_break=True,
            keep_rows=False,
            break_on="h1",
        )
    else:
        base.update(page=st["page"])
    for k, v in base.items():
        o.setdefault(k, v)
    scale = float(o.get("scale", 1.0))
    o.setdefault("font_px", round(st["font_pt"] * (1.2 if o["mode"] == "doc" else 1.1), 1))
    job = {
        "modules": str(modules_dir()),
        "html": "deck.html",
        "out": str(out_pdf),
        "pdf": {"title": deck.org, "author": deck.org} if o["creator"] else {},
        "defineFonts": None,
        "template": None,
    }
    if o["font_decl"] == "defineFont":
        job["defineFonts"] = {o["font"]: "face.ttf"}
        if o["bold"] == "same_file":
            job["defineFonts"][f"{o['font']}|Bold"] = "face.ttf"
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        job["files"] = _files(tmp, o["font"])
        h = Html(deck, o)
        if o["mode"] == "shapes":
            # the deck drawn by hand (draw_common's layout) as drawing.Text / Path / Rect, the page only
            # declaring the face
            from .draw_common import DeckDrawer

            cv = OpsCanvas(o["font"], "DeckFace")
            DeckDrawer(deck, cv, {**o, "footer": bool(o["footer"]), "rgb": (0.11, 0.31, 0.57)}).draw()
            # without drawDOM Kendo never reads the page's @font-face rules: the face is given by defineFont
            o["font_decl"] = "defineFont"
            (tmp / "deck.html").write_text(h.page([], 100, 100), encoding="utf-8")
            job.update(mode="shapes", shapes=cv.ops, draw={}, defineFonts={"DeckFace": "face.ttf"})
            job["pdf"]["multiPage"] = True
            report = _run(job, tmp)
        elif o["mode"] == "doc":
            pw, ph = PAPER[o["paper"]]
            if o["landscape"]:
                pw, ph = ph, pw
            mpt = o["margin_mm"] * 72 / 25.4
            cw, chh = (pw - 2 * mpt) / scale, (ph - 2 * mpt) / scale
            (tmp / "deck.html").write_text(h.page(h.document(chh), cw, chh), encoding="utf-8")
            job["mode"] = "dom"
            job["draw"] = {
                "paperSize": o["paper"],
                "landscape": o["landscape"],
                "margin": f"{o['margin_mm']}mm",
                "multiPage": True,
                "forcePageBreak": ".brk",
                "repeatHeaders": o["repeat_headers"],
                "scale": scale,
            }
            if o["keep_rows"]:
                job["draw"]["keepTogether"] = "tr"
            if o["footer"] or o["running_title"] or o["watermark"]:
                job["template"] = {
                    "footer": o["footer"],
                    "header": esc(f"{deck.org}　策略地圖與平衡計分卡") if o["running_title"] else None,
                    "watermark": "內部資料" if o["watermark"] else None,
                }
            report = _run(job, tmp)
            # Kendo moves rows whole but lets a row (or a rowspan group) that does not fit run past the page
            # foot, where it is clipped and lost: the author who sees it prints labels on every row, then
            # shrinks the scale
            retries = []
            while _lost(out_pdf, deck) and len(retries) < 4:
                if o["labels"] != "repeated":
                    o["labels"] = "repeated"
                    retries.append("labels repeated")
                else:
                    scale = round(scale * 0.85, 3)
                    o["scale"] = job["draw"]["scale"] = scale
                    retries.append(f"scale {scale}")
                cw, chh = (pw - 2 * mpt) / scale, (ph - 2 * mpt) / scale
                (tmp / "deck.html").write_text(h.page(h.document(chh), cw, chh), encoding="utf-8")
                report = _run(job, tmp)
            if retries:
                o["lost_rows_retries"] = retries
        else:
            pw, ph = SLIDES[o["page"]]
            cw, chh = pw / scale, ph / scale
            rows = int(o.get("max_rows", st["max_rows"]))
            while True:
                o["max_rows"] = rows
                secs, want = h.slides(rows, cw, chh)
                (tmp / "deck.html").write_text(h.page(secs, cw, chh), encoding="utf-8")
                if o["mode"] == "slides":
                    job["mode"] = "dom"
                    job["draw"] = {
                        "paperSize": [pw, ph],
                        "margin": 0,
                        "multiPage": True,
                        "forcePageBreak": "section.slide + section.slide",
                        "scale": scale,
                    }
                else:
                    job["mode"] = "slides"
                    job["draw"] = {"scale": scale}
                    job["pdf"].update(multiPage=True, paperSize="auto")  # each page as large as its drawing
                report = _run(job, tmp)
                # a slide is a fixed-size section whose overflow is hidden (Kendo clips it as the browser
                # does): the budget is lowered until no table runs past its section
                if (not report["overflow"] and report["pages"] == want) or rows == 1:
                    break
                rows -= 1
    o["report"] = {k: v for k, v in report.items() if k != "logs"}
    if report.get("cell_spill"):
        o.setdefault("problems_extra", []).append(f"{report['cell_spill']} table cells print text outside them")
    o["kendo_console"] = sorted(set(report.get("logs", [])))[:5]
    find_pages(out_pdf, deck)
    o["problems"] = check(out_pdf, deck) + o.pop("problems_extra", [])
    return o
