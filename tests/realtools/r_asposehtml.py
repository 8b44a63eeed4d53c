"""Aspose.HTML for Python via .NET 26.9.0 (PyPI aspose-html-net; Aspose's own HTML/CSS layout and rendering engine,
not a browser), as back-office report systems turn an HTML report into PDF with
`aspose.html.converters.Converter.convert_html(document, PdfSaveOptions(), out)`.  It runs in a virtualenv of its
own (/work/gen/venv-asposehtml, $REALTOOLS_ASPOSEHTML_PYTHON for another interpreter) through
`r_asposehtml_driver.py`, which reads a JSON job.

The HTML: html_common's table pieces (colgroup widths, one- or two-row heads with colspan/rowspan, rowspan 構面 and
策略目標 cells, band rows, `<br>` line breaks, zebra by `nth-child`) under a style sheet of this module, in two
modes: slides (fixed-size sections on an `@page` of 16:9, 4:3 or A4 landscape with margin 0, a theme cut into
slides of `max_rows` KPI rows with '--k/n' titles, the budget lowered while a slide spills onto a second page) or a
document Aspose paginates itself (A4/Letter, portrait or landscape, with margins; the table breaks over pages,
`<thead>` repeated by `display: table-header-group` or not, rows kept whole by `page-break-inside: avoid` or left
to split, which an author proofreading the printout then fixes; each theme starting a page or themes following on).
構面/策略目標 labels as rowspan cells (html_common), repeated on every row, or on the first row of their run only,
as report loops write them.  Cell wrapping by Aspose's own line breaking, `word-break: break-all`,
`overflow-wrap: break-word` or `overflow-wrap: anywhere` (with which Aspose drops every `<br>` in the cell: code and
name, plan lines and stacked labels run together in one wrapped paragraph).  Table rules as a grid, horizontal
rules only, none, or zebra fills; head fills; 構面 labels turned by `transform: rotate(-90deg)` on an inline-block, by
`writing-mode: vertical-rl` (which Aspose ignores: the label prints horizontally, wrapped in its narrow column), or
stacked one character a line; running header and footer as `@page` margin boxes (document mode) or as text in
each slide (slides mode: page numbers written into the slide, '- n -', 'n / N', '第 n 頁，共 N 頁', 'n'); a
'內部資料' watermark as one `position: fixed` element in a document (Aspose prints it on every page; absolute
ones sit relative to their section, which may start near a page's top and turn the mark off the page) or absolute
in each slide.
Fonts: the face of fonts.py by `@font-face` (a file: URL), after a Latin face ('Arial', 'Times New Roman', found
as Liberation by Aspose's own lookup) or alone; bold is synthesized ('UMingTW,Bold').  PdfSaveOptions: the page
given in code (`page_setup.any_page`, Aspose's default priority, where `@page size` is ignored) or by the style
sheet (`AtPagePriority.CSS_PRIORITY`), tagged PDF or not, print or screen media, document info set or left as
Aspose's ('Aspose' in Title/Author/Subject/Creator).  PdfSaveOptions offers no PDF/A or compression settings.

Quirks found: the wheel's .NET runtime needs CLR_ICU_VERSION_OVERRIDE (Debian 12 has ICU 72) and aborts the process
without it; r_asposewords' libssl 1.1 is put on LD_LIBRARY_PATH as well. Unlicensed, every page carries 'Evaluation
Only. Created with Aspose.HTML. Copyright 2013-2026 Aspose Pty Ltd.' at its top left (in the text layer, in UnVada,
an embedded fallback face), and only the first 4 pages of a document are written (the `counter(pages)` total still
counts them all): decks are converted in parts (front matter, then each theme or a run of themes following on that
stays below the cap; slides three at a time) and joined with qpdf onto the first part (its Info and tags kept); a
theme that reaches the cap alone is cut into '--k/n' tables. A part of three slides that prints four pages has a
slide spilling over: the row budget is lowered. Noto CJK (CFF) is embedded whole (13 MB a weight, Aspose's 'sub'
flag notwithstanding) and a fontTools subset given instead prints no CJK glyph at all (text layer intact): Noto
decks are set in WenQuanYi Zen Hei (sans) or AR PL UMing TW / UKai TW (serif). `@page :first`/`:left`/`:right`
margin boxes are ignored (`:first` margins are honoured). `counter(page)` restarts in every part and cannot be
offset (`counter-reset: page` on the root resets it on every page, `counter-increment` on it multiplies), so the
document mode's margin boxes carry running text, not page numbers. CJK faces are Type0 Identity-H subsets with
ToUnicode (Noto CJK as CIDFontType0C), tagged 'FAAABD+UMingTW'; `writing-mode` is ignored; a rotated inline-block
keeps its unrotated box in the layout, so a turned label's cell is given a height. Some documents with themes
following on and a filled title bar (an `h1` with background and padding) end the conversion with 'Proxy
error(ArgumentException): Incompatible unit types.' (raised, so the generator draws another style); a theme title
may be left at a page foot with its table on the next page (no keep-with-next unless asked). Producer 'Aspose.HTML
for Python via .NET 26.9.0'.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import tempfile
from pathlib import Path

from .fonts import FACES, face_file, printable
from .html_common import body as table_body
from .html_common import colgroup, esc, header, persp_html
from .layout import Col, Row, check, chunk, columns, continues, find_pages, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

ASPOSE_HTML = "26.9.0"  # PyPI aspose-html-net (README, Setup), in /work/gen/venv-asposehtml
ICU = "72"
EVAL_PAGES = 4  # the evaluation build writes the first 4 pages of a document
SLIDES_PER_PART = 3  # below the cap, so a slide spilling onto a second page shows as an extra page
PAGES = {  # w_mm, h_mm, w_px, h_px
    "16:9": (254.0, 142.875, 960, 540),
    "4:3": (254.0, 190.5, 960, 720),
    "A4L": (297.0, 210.0, 1122, 793),
    "A4": (210.0, 297.0, 793, 1122),
    "LetterL": (279.4, 215.9, 1056, 816),
    "Letter": (215.9, 279.4, 816, 1056),
}
HEAD_FILLS = {"blue": "#dce6f2", "gray": "#d9d9d9", "sand": "#fbe4d5", "green": "#e2efda"}
RULE_COLORS = {"black": "#000", "gray": "#808080", "navy": "#1f3a68", "dark": "#555"}
# cell wrapping rules of the style sheet; `overflow-wrap: anywhere` makes Aspose drop every <br> in the cell
WRAP_CSS = {
    "normal": "",
    "break-all": "word-break: break-all;",
    "break-word": "overflow-wrap: break-word;",
    "anywhere": "word-break: break-all; overflow-wrap: anywhere;",
}
# Noto CJK (CFF) is embedded whole, 13 MB a weight, and a fontTools subset of it prints no CJK glyph at all (the
# text layer keeps them): the author picks a TrueType face of the same kind
NOTO_INSTEAD = {"Noto Sans CJK TC": ["WenQuanYi Zen Hei"], "Noto Serif CJK TC": ["AR PL UMing TW", "AR PL UKai TW"]}
LATIN = {"Arial": "Arial", "Times New Roman": "'Times New Roman'"}


def python() -> str:
    return os.environ.get("REALTOOLS_ASPOSEHTML_PYTHON", "/work/gen/venv-asposehtml/bin/python")


def libssl_dir() -> Path:
    return Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "asposewords" / "lib"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    lib = str(libssl_dir())
    env["LD_LIBRARY_PATH"] = lib + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    env["CLR_ICU_VERSION_OVERRIDE"] = ICU
    return env


def tool_version(engine: str | None = None) -> str:
    out = subprocess.run(
        [python(), "-c", "from importlib import metadata; print(metadata.version('aspose-html-net'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if out != ASPOSE_HTML:
        raise RuntimeError(f"aspose-html-net {ASPOSE_HTML} is wanted, {out} is installed")
    return f"Aspose.HTML for Python via .NET {out} (evaluation mode)"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.45
    page = rng.choice(["A4L", "A4L", "A4", "A4", "LetterL"]) if flow else style["page"]
    persp = style["persp_mode"]
    return {
        "flow": flow,
        "page": page,
        "page_by": rng.choice(["css", "css", "options"]),
        "margin_mm": rng.choice([10, 12.7, 15, 20]) if flow else 0,
        "font": rng.choice(NOTO_INSTEAD[style["font"]]) if FACES[style["font"]][2] == "otf" else style["font"],
        "latin": rng.choice(["face", "face", "Arial", "Times New Roman"]),
        "font_scale": rng.choice([1.333, 1.333, 1.2, 1.45]),
        "head_fill": rng.choice([None, "blue", "blue", "gray", "sand", "green"]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "rule_px": rng.choice([1, 1, 0.75, 1.5]),
        "padding_px": rng.choice([2, 3, 4]),
        "repeat_header": rng.random() < 0.7,
        "rows_whole": rng.random() < 0.6,
        "theme_break": rng.random() < 0.6,
        "wrap_css": rng.choice(["normal", "break-all", "break-all", "break-word", "anywhere"]),
        "labels": rng.choice(["merge", "merge", "repeat", "first"]),
        "rotate_css": rng.choice(["transform", "transform", "writing-mode"]) if persp == "rotated" else "transform",
        "title_bar": rng.random() < 0.3,
        "header": rng.random() < 0.4,
        "footer": rng.choice([None, "dash", "dash", "of", "zh", "page"]),
        "footer_align": rng.choice(["center", "center", "right"]),
        "cover_numbered": rng.random() < 0.3,
        "closing": rng.random() < 0.6,
        "watermark": (style.get("watermark") or rng.random() < 0.1)
        and rng.choice(["內部資料", "僅供內部參考", "草案"]),
        "tagged": rng.random() < 0.3,
        "media": rng.choice(["print", "print", "print", "screen"]),
        "info": rng.random() < 0.6,
    }


class Builder:
    """The deck's HTML parts for one set of options."""

    def __init__(self, deck: Deck, o: dict) -> None:
        self.d, self.o = deck, o
        self.w_mm, self.h_mm, self.wpx, self.hpx = PAGES[o["page"]]

    def t(self, s: str) -> str:
        return esc(printable(s, self.o["font"]))

    def css(self) -> str:
        d, o = self.d, self.o
        st = d.style
        face = face_file(o["font"])
        fam = "'ScFace'" if o["latin"] == "face" else f"{LATIN[o['latin']]}, 'ScFace'"
        fs = round(st["font_pt"] * o["font_scale"], 1)
        rc, rw = RULE_COLORS[o["rule_color"]], o["rule_px"]
        rules = o.get("rules", st["rules"])
        border = {
            "grid": f"td,th{{border:{rw}px solid {rc}}}",
            "hrules": f"td,th{{border-bottom:{rw}px solid {rc}}}"
            f" thead tr:first-child th{{border-top:{rw * 1.5}px solid {rc}}}",
            "zebra": f"th{{border-bottom:2px solid {rc}}} tbody tr:nth-child(even) td{{background:#eef2f7}}",
            "none": "",
        }[rules]
        head = HEAD_FILLS.get(o["head_fill"] or "", "transparent")
        m = o["margin_mm"]
        box = f"font-family: {fam}; font-size: 8pt; color: #555"
        boxes = ""
        if o["flow"]:
            if o["header"]:
                boxes += f'@top-right {{ content: "{d.org}　{d.plan_year}年度策略地圖與平衡計分卡"; {box} }}'
            if o["footer"]:
                boxes += f'@bottom-{o["footer_align"]} {{ content: "{d.org}"; {box} }}'
        turned = st["persp_mode"] == "rotated" and o["rotate_css"] == "transform"
        label_h = max(len(self.t(f"{p}構面")) for p in BSC_ORDER) * fs * 1.15 + 8
        thead = "thead { display: table-header-group }" if o["repeat_header"] or not o["flow"] else ""
        rows_whole = "tr { page-break-inside: avoid }" if o["rows_whole"] or not o["flow"] else ""
        slide = (
            f"section.slide {{ width: {self.wpx}px; height: {self.hpx - 4}px; box-sizing: border-box;"
            " padding: 22px 30px;"
            " page-break-after: always; position: relative; overflow: visible }"
            if not o["flow"]
            else "section.slide { page-break-after: always; position: relative } section.flow { position: relative }"
        )
        return f"""
@font-face {{ font-family: 'ScFace'; src: url('{Path(face).as_uri()}'); }}
@page {{ size: {self.w_mm}mm {self.h_mm}mm; margin: {m}mm; {boxes} }}
html, body {{ margin: 0; padding: 0 }}
body {{ font-family: {fam}; color: #111 }}
{slide}
section.last {{ page-break-after: auto }}
section.follow {{ page-break-after: auto; margin-bottom: 18px }}
h1 {{ font-size: {22 if self.wpx > 900 else 18}px; color: #1d4f91; margin: 0 0 8px 0;
  {"background: #1d4f91; color: white; padding: 4px 8px;" if o["title_bar"] else ""} }}
h1 .logo {{ float: right; font-size: 14px; border: 1px solid #1d4f91; border-radius: 10px; padding: 1px 8px }}
table {{ border-collapse: collapse; width: 100%; font-size: {fs}px; table-layout: fixed }}
td, th {{ padding: {o["padding_px"]}px; vertical-align: {st["valign"]}; text-align: {st["halign"]};
  {WRAP_CSS[o["wrap_css"]]} }}
th {{ background: {head}; text-align: center; vertical-align: middle }}
{rows_whole}
{thead}
tr.band td {{ background: #c9d9ec; font-weight: bold; text-align: left }}
td.persp {{ text-align: center; vertical-align: middle }}
td.persp {{ {f"height: {label_h:.0f}px" if turned else ""} }}
.rot {{ writing-mode: vertical-rl; margin: auto }}
.trot {{ display: inline-block; white-space: nowrap; transform: rotate(-90deg) }}
.wm {{ position: {"fixed" if o["flow"] else "absolute"}; left: 30%; top: 40%;
  font-size: 72px; color: rgba(200,80,80,0.18); transform: rotate(-30deg) }}
.center {{ text-align: center; margin-top: {int(self.hpx * 0.28)}px; font-size: 40px; color: #1d4f91 }}
.box {{ display: inline-block; border: 1.5px solid #1d4f91; border-radius: 14px; padding: 5px 9px; margin: 4px;
  font-size: 12px }}
.persp-box {{ display: inline-block; width: 90px; background: #1d4f91; color: white; padding: 7px; margin: 4px }}
.hdr {{ position: absolute; top: 4px; right: 30px; font-size: 10px; color: #555 }}
.ftr {{ position: absolute; bottom: 6px; left: 30px; right: 30px; font-size: 11px; color: #444;
  text-align: {o["footer_align"]} }}
{border}
"""

    def foot(self, n: int, total: int) -> str:
        f = self.o["footer"]
        if not f or self.o["flow"] or (n == 1 and not self.o["cover_numbered"]):
            return ""
        text = {"dash": f"- {n} -", "of": f"{n} / {total}", "zh": f"第 {n} 頁，共 {total} 頁", "page": str(n)}[f]
        return f'<div class="ftr">{text}</div>'

    def hdr(self) -> str:
        if not self.o["header"] or self.o["flow"]:
            return ""
        return f'<div class="hdr">{self.t(self.d.org)}　{self.d.plan_year}年度策略地圖與平衡計分卡</div>'

    def wm(self) -> str:
        return f'<div class="wm">{esc(self.o["watermark"])}</div>' if self.o["watermark"] else ""

    def front(self) -> list[str]:
        d = self.d
        out = [
            f'<div class="center">{self.t(d.org)}<br>策略地圖與平衡計分卡<br>'
            f'<span style="font-size:20px">{d.plan_year}年度</span></div>',
            "<h1>轄區概況</h1>"
            + "".join(f'<p style="font-size:18px;margin:16px 40px">{self.t(x)}</p>' for x in d.profile_lines),
        ]
        mp = [f'<h1>{self.t(d.org)}策略地圖<span style="float:right;font-size:15px">{esc(d.map_date)}</span></h1>']
        for p in BSC_ORDER:
            objs = [o for t in d.themes for o in t.objectives if o.perspective == p]
            if objs:
                mp.append(
                    f'<div><span class="persp-box">{p}構面</span>'
                    + "".join(f'<span class="box">{self.t(o.shown)}</span>' for o in objs)
                    + "</div>"
                )
        out.append("".join(mp))
        return out

    def table(self, title: str, rows: list[Row], prev: list[Row]) -> str:
        d = self.d
        cols = columns(d)
        two = d.style["year_header"] == "two_row"
        logo = f'<span class="logo">{self.t(d.short)}</span>' if d.style["logo"] else ""
        head = header(cols, two)
        if self.o["labels"] == "merge":
            body = table_body(d, rows, prev, cols, self.o["rotate_css"])
        else:
            body = plain_body(d, rows, prev, cols, self.o["rotate_css"], self.o["labels"])
        body = body.replace("<br>", "\x00")
        body = esc_fix(body, self.o["font"])
        if self.o["flow"] and not self.o["repeat_header"]:  # head rows as ordinary rows: printed once
            return f"<h1>{self.t(title)}{logo}</h1><table>{colgroup(cols)}<tbody>{head}{body}</tbody></table>"
        return (
            f"<h1>{self.t(title)}{logo}</h1><table>{colgroup(cols)}<thead>{head}</thead><tbody>{body}</tbody></table>"
        )

    def doc(self, sections: list[str], follow: bool = False) -> str:
        html = []
        for i, s in enumerate(sections):
            last = " last" if i == len(sections) - 1 else (" follow" if follow else "")
            html.append(f'<section class="slide{last}">{s}</section>')
        return (
            f'<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="utf-8"><title>{self.t(self.d.org)}</title>'
            f"<style>{self.css()}</style></head><body>{''.join(html)}</body></html>"
        )


def plain_body(deck: Deck, rows: list[Row], prev: list[Row], cols: list[Col], rotate_css: str, labels: str) -> str:
    """Table rows as a report loop writes them: no rowspan; 構面/策略目標 on every row ('repeat') or on the first
    row of their run only, the cells below left empty ('first')."""
    st = deck.style
    out = []
    for i, r in enumerate(rows):
        if r.kind == "band":
            out.append(f'<tr class="band"><td colspan="{len(cols)}">{esc(r.cells["band"])}</td></tr>')
            continue
        tds = []
        for c in cols:
            text = r.cells.get(c.id, "")
            if c.id in ("persp", "obj"):
                before = [x for x in rows[:i] if x.kind == "kpi"]
                same = bool(before) and (before[-1].persp == r.persp if c.id == "persp" else before[-1].obj is r.obj)
                if labels == "first" and (same or (not before and st["blank_cont"] and continues(prev, r, c.id))):
                    text = ""
                inner = persp_html(text, st["persp_mode"], rotate_css) if c.id == "persp" and text else esc(text)
                tds.append(f'<td class="{c.id}">{inner}</td>')
            else:
                tds.append(f"<td>{esc(text)}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    return "".join(out)


def esc_fix(body: str, font: str) -> str:
    """html_common escapes the cells; print the characters the face lacks folded (same truth)."""
    return printable(body, font).replace("\x00", "<br>")


def plan(deck: Deck, o: dict, splits: dict[str, int]) -> list[list[tuple[str, str]]]:
    """The deck's parts: lists of (kind, html) pages-to-be; slides mode one page each."""
    b = Builder(deck, o)
    front = [("front", s) for s in b.front()]
    themes = []
    for t in deck.themes:
        rows = theme_rows(deck, t)
        if o["flow"]:
            n = splits.get(t.letter, 1)
            kpis = sum(r.kind == "kpi" for r in rows)
            parts = [rows] if n == 1 else chunk(rows, -(-kpis // n))
        else:
            parts = chunk(rows, int(o["max_rows"]))
        for i, part in enumerate(parts):
            title = theme_title(deck, t, i + 1, len(parts))
            themes.append((t.letter, b.table(title, part, parts[i - 1] if i else [])))
    closing = [("closing", '<div class="center">敬請指教</div>')] if o["closing"] else []
    if o["flow"]:
        # each theme (or its --k/n piece) a part of its own, or consecutive ones following on in one part
        groups = o.get("groups") or [1] * len(themes)
        tparts, i = [], 0
        for g in groups:
            tparts.append(themes[i : i + g])
            i += g
        return [front] + tparts + ([closing] if closing else [])
    pages = front + themes + closing
    return [pages[i : i + SLIDES_PER_PART] for i in range(0, len(pages), SLIDES_PER_PART)]


def part_html(deck: Deck, o: dict, part: list[tuple[str, str]], first: int, total: int) -> str:
    b = Builder(deck, o)
    secs = []
    for j, (kind, s) in enumerate(part):
        n = first + j
        extra = "" if kind in ("front", "closing") else b.hdr()
        if kind not in ("front", "closing") and (not o["flow"] or j == 0):
            extra += b.wm()  # slides: in each slide; a document: one fixed element, which Aspose prints on every page
        secs.append(s + extra + b.foot(n, total))
    follow = o["flow"] and not o["theme_break"] and part[0][0] not in ("front", "closing")
    return b.doc(secs, follow)


def _convert(job: dict, work: Path) -> None:
    jf, rf = work / "job.json", work / "result.json"
    jf.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    driver = Path(__file__).with_name("r_asposehtml_driver.py")
    cmd = [python(), str(driver), str(jf), str(rf)]
    p = subprocess.run(cmd, env=_env(), capture_output=True, text=True, timeout=900)
    if p.returncode != 0:
        raise RuntimeError(f"Aspose.HTML driver failed ({p.returncode}): {p.stderr[-2000:]}")


def _pages(pdf: Path) -> int:
    import pymupdf

    return len(pymupdf.open(str(pdf)))


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """Convert the deck's HTML with Aspose.HTML, part by part, and join the parts.  Returns the options used."""
    o = dict(options or {})
    defaults = producer_options(random.Random(0), deck.style)
    for k, v in defaults.items():
        o.setdefault(k, v)
    o.setdefault("max_rows", deck.style["max_rows"])
    out_pdf = Path(out_pdf)
    splits: dict[str, int] = {}
    steps: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for _ in range(20):
            parts = plan(deck, o, splits)
            total = sum(len(p) for p in parts)  # slides mode: one page per slide
            first, files = 1, []
            jparts = []
            for i, part in enumerate(parts):
                f = work / f"part{i:02d}.pdf"
                jparts.append({"html": part_html(deck, o, part, first, total), "out": str(f)})
                files.append((f, part))
                first += len(part)
            job = {"parts": jparts, "tagged": o["tagged"], "media": o["media"]}
            if o["page_by"] == "options":
                w, h, _, _ = PAGES[o["page"]]
                m = o["margin_mm"]
                job["page_setup"] = {"w_mm": w, "h_mm": h, "margins_mm": [m, m, m, m]}
            if o["info"]:
                job["info"] = {
                    "title": f"{deck.org}{deck.plan_year}年度策略地圖與平衡計分卡",
                    "author": deck.org,
                    "subject": "策略地圖與平衡計分卡",
                    "creator": "績效管理系統",
                }
            _convert(job, work)
            redo = False
            counts = [_pages(f) for f, _ in files]
            for (_, part), n in zip(files, counts):
                kind = part[0][0]
                if not o["flow"] or kind in ("front", "closing"):
                    if n != len(part):
                        redo = True
                        break
                elif n >= EVAL_PAGES and len(part) > 1:  # themes following on reached the cap: fewer per part
                    o["group_limit"] = o.get("group_limit", EVAL_PAGES - 1) - 1
                    o["groups"] = None
                    steps.append(f"group_limit {o['group_limit']}")
                    redo = True
                    break
                elif n >= EVAL_PAGES:  # one theme reached the cap: its table cut into '--k/n' tables
                    splits[kind] = splits.get(kind, 1) + 1
                    o["groups"] = None
                    steps.append(f"split {kind} in {splits[kind]}")
                    redo = True
                    break
            if o["flow"] and redo and files[0][1][0][0] == "front" and counts[0] != len(files[0][1]):
                raise RuntimeError(f"{deck.stem}: the front matter does not keep to its pages")
            if o["flow"] and not redo and not o["theme_break"] and not o.get("groups"):
                pieces = [n for (_, part), n in zip(files, counts) if part[0][0] not in ("front", "closing")]
                groups, acc = [], EVAL_PAGES
                for n in pieces:  # themes following on: as many as fit below the cap in one conversion
                    if groups and acc + n <= o.get("group_limit", EVAL_PAGES - 1):
                        groups[-1] += 1
                        acc += n
                    else:
                        groups.append(1)
                        acc = n
                if len(groups) < len(pieces):
                    o["groups"] = groups
                    steps.append(f"groups {groups}")
                    continue
            if redo and not o["flow"]:
                if int(o["max_rows"]) <= 1:
                    raise RuntimeError(f"{deck.stem}: a one-row slide still spills")
                o["max_rows"] = int(o["max_rows"]) - 1
                steps.append(f"max_rows {o['max_rows']}")
            if redo:
                continue
            subprocess.run(
                ["qpdf", str(files[0][0]), "--pages", *[str(f) for f, _ in files], "--", str(out_pdf)],
                check=True,
                capture_output=True,
            )
            find_pages(out_pdf, deck)
            problems = check(out_pdf, deck)
            if problems and o["flow"] and not o["rows_whole"]:
                o["rows_whole"] = True  # a KPI row split over two pages: the author keeps rows whole
                steps.append("rows_whole")
                continue
            break
        else:
            raise RuntimeError(f"{deck.stem}: no layout fits ({steps})")
    o["fit_steps"] = steps
    o["splits"] = splits
    o["problems"] = problems
    return o
