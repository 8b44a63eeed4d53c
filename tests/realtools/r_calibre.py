"""calibre renderer: the deck converted to PDF by calibre's `ebook-convert` (Debian 12's calibre 6.13), as staff who
keep documents in an e-book manager, or a back-end that turns HTML/Word reports into PDF with calibre, do.

Route: the deck written as an XHTML document for calibre (source 'html'), or r_docx's Word document (source
'docx', calibre's own docx reader, not LibreOffice), goes through calibre's conversion pipeline (its HTML/OEB
model: the CSS flattened into generated classes, font sizes rescaled to the output profile unless
`--disable-font-rescaling` (rescale 'off'), a table of contents detected from headings) and is printed by calibre's
PDF output: Qt WebEngine 6.4 (Chromium 102 with Skia's PDF writer) lays out and paginates each part, then calibre's
own PDF machinery (PoDoFo) merges the parts, merges and re-subsets the fonts ('Merged 4 instances of
AAAAAA+UMingTW'), overlays the header and footer templates rendered separately, appends the table of contents
(`--pdf-add-toc`) and writes its metadata (Creator and Producer 'calibre (6.13.0) [https://calibre-ebook.com]',
the title from `--title`, `--authors` the office).  Headless: `QT_QPA_PLATFORM=offscreen`; as root Chromium's
zygote refuses to start without `QTWEBENGINE_CHROMIUM_FLAGS=--no-sandbox`; a private HOME and config directory per
deck.  About 5 s a conversion.

Pages: `--paper-size a4|letter` (portrait only: calibre has no orientation switch) or `--custom-size WxH --unit
point` (A4 or Letter landscape, PowerPoint's 16:9 10 x 5.625 in, 4:3), margins by `--pdf-page-margin-*` (calibre's
default 72 pt, or less; the foot margin may be larger).  Slides (html only): each theme's table cut into slides of
`max_rows` KPI rows, each slide's title `page-break-before: always`, the budget lowered until the PDF has one page per
slide.  Flow: one table per theme that Chromium paginates inside calibre, themes starting a page or following on;
`<thead>` rows repeat on every page (repeat_header), else the header rows are body rows printed once.  calibre
inserts a page break before every h1/h2 by default (`--page-breaks-before`), so it is set to '/' (none) and the
breaks are the document's own CSS.  Chromium cuts a table row at a page foot unless `tr { page-break-inside:
avoid }` (keep_rows); a deck whose KPI row was cut (characters missing from its page) is converted again with it,
as its author would (keep_rows_added).  `page-break-after: avoid` on a title is not honoured: a theme title or a
table's header rows (and a band row) may be left alone at a page foot.  A rowspan cell broken over two pages
prints its text on the first page only.

Tables (html): `<col>` widths from the deck's weights under `table-layout: fixed` or auto (Chromium widens a column
to its longest unbreakable run), rowspan 構面/策略目標 cells or blank cells under the first of a run, a two-row
實際值/目標值 header with colspan; rules as collapsed CSS borders (grid, horizontal rules with a frame above and
below, a rule under the header for zebra, none), zebra by a row class, header and band fills; 構面 labels by
`writing-mode: vertical-rl` or stacked one character per line, or band rows; `word-break: break-all` and
`overflow-wrap: anywhere`.  Watermark '內部資料': an absolute block in each slide, or in flow a `position: fixed`
block, which Chromium prints on every page (cover and closing too).
Tables (docx): r_docx's table as calibre's docx reader turns it into HTML: widths in pt from the cells' w:tcW
(scaled to the paper's printable width), fills and borders per cell, vMerge as rowspan; `tblHeader` is dropped (the
header rows print once, whatever the document says), `cantSplit` is kept (rows are not cut), a btLr text direction
is dropped (the 構面 label runs horizontally, wrapped in its narrow column).  A font missing from the document's
font table is printed as CSS 'serif' (docx_font_table False: calibre's serif family, the face when the standard
font is serif, else Liberation Serif with fontconfig's fallback for the CJK, e.g. WenQuanYi), so an author adds
the face to the table.  A `w:br w:type=page` becomes an inline `<span style="page-break-after:always">`
which prints no break (docx_breaks 'br': cover, profile, strategy map and the themes flow on one after another;
only the break in an otherwise empty paragraph before the closing page still breaks), so an author who sees it
uses 'page break before' on the next paragraph instead (docx_breaks 'before').  With those breaks some decks
get an empty page (the footer only) between a theme's table and the next title: calibre's reader writes the one
empty paragraph after the table as six empty `<p>`s (cause of the extra page not pinned down; left as printed).
Headings are plain paragraphs, so calibre finds no sections: a docx deck's header shows the title, not
`_SECTION_`.

Fonts: the deck's face by name in the CSS (font_by 'css'), or none named and calibre's default (font_by
'default': `--pdf-standard-font serif|sans` with `--pdf-serif-family`/`--pdf-sans-family` the face), optionally
`--embed-all-fonts` (with `--subset-embedded-fonts`: calibre embeds the system face into the book first).
TrueType faces (AR PL, WenQuanYi) come out as CIDFontType2 Identity-H subsets, each named 'AAAAAA+<face>' (the same
tag for the body's and the furniture's subsets, two fonts of one name); Noto CJK (CFF outlines) comes out as
hundreds of small Type 3 fonts with a ToUnicode that reads some ideographs as radicals (⻑ ⼈ ⾝ ⺠ ⾏), as Chromium
writes them.  Furniture: `--pdf-page-numbers` (calibre's template, the number centred) or `--pdf-footer-template`
('_PAGENUM_ / _TOTAL_PAGES_', '- _PAGENUM_ -', '第 _PAGENUM_ 頁，共 _TOTAL_PAGES_ 頁', the office (_AUTHOR_) with the
number) and `--pdf-header-template` (_SECTION_: the current theme, from `--level1-toc` over the theme titles,
_TITLE_, or both), in the page margins on every page, cover and closing page included; `--pdf-add-toc` appends a
'目錄' page listing the theme titles with their page numbers.
"""

from __future__ import annotations

import html
import os
import random
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .html_common import colgroup, header
from .layout import Col, Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

CALIBRE = "6.13.0"  # Debian 12's calibre 6.13.0+repack-2+deb12u10 (apt-get install -y calibre), checked with dpkg-query
NAVY = "#1f3a68"
HEAD_FILL = "#dce6f2"
BAND_FILL = "#c9d9ec"
ZEBRA_FILL = "#eef2f7"
PAPERS = {  # name -> (width, height) in pt, and how it is given to ebook-convert
    "a4": (595.3, 841.9),
    "A4L": (841.9, 595.3),
    "letterL": (792.0, 612.0),
    "letter": (612.0, 792.0),
    "16:9": (720.0, 405.0),  # PowerPoint's 10 x 5.625 in
    "4:3": (720.0, 540.0),
}
FOOTERS = {
    "numbers": None,  # --pdf-page-numbers: calibre's own template, the number centred
    "n_of_m": '<footer><div style="margin:auto;font-size:9pt">_PAGENUM_ / _TOTAL_PAGES_</div></footer>',
    "dash": '<footer><div style="margin:auto;font-size:9pt">- _PAGENUM_ -</div></footer>',
    "zh": '<footer><div style="margin-left:auto;font-size:9pt">第 _PAGENUM_ 頁，共 _TOTAL_PAGES_ 頁</div></footer>',
    "org_page": '<footer><div style="font-size:8pt">_AUTHOR_</div><div style="margin-left:auto;font-size:8pt">'
    "_PAGENUM_</div></footer>",
}
HEADERS = {
    "section": '<header><div style="margin:auto;font-size:9pt;color:#555">_SECTION_</div></header>',
    "title": '<header><div style="margin-left:auto;font-size:8pt;color:#555">_TITLE_</div></header>',
    "title_section": '<header><div style="font-size:8pt">_TITLE_</div><div style="margin-left:auto;font-size:8pt">'
    "_SECTION_</div></header>",
}


HTML_ONLY = ("font_by", "table_layout", "rotate_css", "spans", "header_fill", "keep_rows")


@cache
def tool_version(engine: str | None = None) -> str:
    out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "calibre"], capture_output=True, text=True).stdout
    if not out.startswith(CALIBRE):
        raise RuntimeError(f"calibre {CALIBRE} wanted (apt-get install -y calibre on Debian 12), found {out or 'none'}")
    return f"calibre {out} (ebook-convert)"


def producer_options(rng: random.Random, style: dict) -> dict:
    src = rng.choice(["html", "html", "html", "docx", "docx"])
    flow = src == "docx" or rng.random() < 0.45
    if src == "docx":
        paper = rng.choice(["A4L", "A4L", "letterL", "a4"])
    elif flow:
        paper = rng.choice(["a4", "A4L", "A4L", "letter", "letterL"])
    else:
        paper = style["page"]
    furniture = rng.random() < 0.7
    footer = rng.choice(list(FOOTERS)) if furniture and rng.random() < 0.85 else None
    head = rng.choice([None, *HEADERS]) if furniture else None
    if src == "docx" and head and "section" in head:
        head = "title"  # the docx titles are plain paragraphs: calibre finds no sections in them
    margin = rng.choice([72, 54, 36, 36, 28]) if flow else rng.choice([14, 18, 24, 30])
    if footer or head:
        margin = max(margin, 30)
    face = style["font"]
    o = {
        "source": src,
        "flow": flow,
        "paper": paper,
        "paper_by": "name" if paper in ("a4", "letter") and rng.random() < 0.8 else "custom",
        "margin_pt": margin,
        "margin_bottom_pt": margin + rng.choice([0, 0, 8, 18]),
        "font_pt": max(style["font_pt"], rng.choice([8, 9, 10])) if flow else style["font_pt"],
        "face": face,
        # fonts: named in the CSS (or docx), or left to calibre's default family (--pdf-standard-font + its family)
        "font_by": rng.choice(["css", "css", "default"]),
        "standard_font": rng.choice(["serif", "sans"]),
        "embed_all_fonts": rng.random() < 0.35,
        "subset_embedded_fonts": rng.random() < 0.5,
        "rescale": rng.choice(["calibre", "off", "off"]),  # calibre's font-size rescaling or --disable-font-rescaling
        "theme_break": not flow or rng.random() < 0.6,
        "repeat_header": rng.random() < 0.7,
        "keep_rows": rng.random() < 0.5,
        "table_layout": rng.choice(["fixed", "auto"]),
        "rotate_css": rng.choice(["writing-mode", "stacked"]),
        "spans": rng.random() < 0.8,
        "header_fill": style["rules"] != "none" and rng.random() < 0.8,
        "footer": footer,
        "header": head,
        "add_toc": flow and rng.random() < 0.3,
        "docx_breaks": rng.choice(["before", "before", "br"]),  # docx: pageBreakBefore, or Word's page-break runs
        "docx_font_table": rng.random() < 0.8,
        "lead_lines": rng.choice([0, 0, 0, 2]),
    }
    # what the other route decides itself (r_docx's table; the HTML's CSS)
    off = ("docx_breaks", "docx_font_table", "lead_lines") if src == "html" else HTML_ONLY
    return {k: (None if k in off else v) for k, v in o.items()}


def esc(s: str) -> str:
    return html.escape(s, quote=False).replace("\n", "<br/>")


def _css(deck: Deck, o: dict) -> str:
    st = deck.style
    rules = st["rules"]
    fam = f"font-family: '{o['face']}';" if o["font_by"] == "css" else ""
    border = {
        "grid": "td, th { border: 0.75pt solid #555 }",
        "hrules": "table { border-top: 1pt solid #333; border-bottom: 1pt solid #333 }\n"
        "td, th { border-bottom: 0.5pt solid #777 }",
        "zebra": f"th {{ border-bottom: 1.5pt solid #345 }}\ntr.z td {{ background-color: {ZEBRA_FILL} }}",
        "none": "",
    }[rules]
    fill = f"th {{ background-color: {HEAD_FILL} }}" if o["header_fill"] else ""
    keep = "tr { page-break-inside: avoid }" if o["keep_rows"] else ""
    return f"""
body {{ {fam} font-size: {o["font_pt"]}pt; color: #111; margin: 0 }}
h1 {{ font-size: 26pt; color: {NAVY}; text-align: center; margin-top: 20%; page-break-before: avoid }}
p.sub {{ font-size: 22pt; color: {NAVY}; text-align: center; font-weight: bold }}
h2 {{ font-size: 15pt; color: {NAVY}; margin: 0 0 6pt 0; page-break-after: avoid }}
h2.newpage, p.end {{ page-break-before: always }}
p.prof {{ font-size: 13pt; margin: 8pt 24pt }}
p.map {{ font-size: 11pt; margin: 5pt 0 }}
span.persp {{ background-color: {NAVY}; color: white; padding: 2pt 5pt; font-weight: bold }}
span.box {{ border: 1pt solid {NAVY}; padding: 1pt 4pt }}
p.end {{ font-size: 32pt; text-align: center; margin-top: 25%; color: {NAVY} }}
table {{ border-collapse: collapse; width: 100%; table-layout: {o["table_layout"]} }}
td, th {{ padding: 1.5pt 3pt; vertical-align: {st["valign"]}; text-align: {st["halign"]};
  overflow-wrap: anywhere; word-break: break-all }}
th {{ text-align: center; vertical-align: middle; font-weight: bold }}
tr.band td {{ background-color: {BAND_FILL}; font-weight: bold; text-align: left }}
td.persp {{ text-align: center; vertical-align: middle }}
div.vert {{ writing-mode: vertical-rl; margin: auto; white-space: nowrap }}
div.wm {{ position: absolute; left: 30%; top: 90pt; font-size: 40pt; color: #f0d0d0; transform: rotate(-30deg);
  white-space: nowrap }}
div.slide {{ position: relative }}
div.fixed {{ position: fixed; top: 35% }}
{fill}
{border}
{keep}
"""


def _body(deck: Deck, rows: list[Row], prev: list[Row], cols: list[Col], o: dict) -> str:
    st = deck.style
    starts = {key: dict(runs(rows, key)) for key in ("persp", "obj")}
    spans = starts if o["spans"] else {}
    covered: set[tuple[int, str]] = set()
    for key in spans:
        for s, n in spans[key].items():
            covered.update((i, key) for i in range(s + 1, s + n))
    out, k = [], 0
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
            if c.id in ("persp", "obj"):
                n = spans.get(c.id, {}).get(i, 1)
                if i not in starts[c.id] or i == 0 and st["blank_cont"] and continues(prev, r, c.id):
                    text = ""  # blank cells under the first of a run (no rowspan), or a run carried over
                if c.id == "persp" and text and st["persp_mode"] in ("rotated", "stacked"):
                    if st["persp_mode"] == "rotated" and o["rotate_css"] == "writing-mode":
                        inner = f'<div class="vert">{esc(text)}</div>'
                    else:
                        inner = "<br/>".join(esc(ch) for ch in text)
                else:
                    inner = esc(text)
                rs = f' rowspan="{n}"' if n > 1 else ""
                tds.append(f'<td{rs} class="{c.id}">{inner}</td>')
            else:
                tds.append(f"<td>{esc(text)}</td>")
        z = ' class="z"' if st["rules"] == "zebra" and k % 2 == 0 else ""
        out.append(f"<tr{z}>" + "".join(tds) + "</tr>")
    return "\n".join(out)


def build_html(deck: Deck, o: dict) -> tuple[str, int]:
    """The HTML document and, for slides, the number of pages it should print to."""
    st = deck.style
    cols = columns(deck)
    two = st["year_header"] == "two_row"
    parts = [
        f"<h1>{esc(deck.org)}</h1><p class='sub'>策略地圖與平衡計分卡</p>",
        '<h2 class="newpage">轄區概況</h2>' + "".join(f'<p class="prof">{esc(x)}</p>' for x in deck.profile_lines),
    ]
    mp = [f'<h2 class="newpage">{esc(deck.org)}策略地圖　　{esc(deck.map_date)}</h2>']
    for p in BSC_ORDER:
        objs = [ob for t in deck.themes for ob in t.objectives if ob.perspective == p]
        if objs:
            mp.append(
                f'<p class="map"><span class="persp">{p}構面</span>　'
                + "　".join(f'<span class="box">{esc(ob.shown)}</span>' for ob in objs)
                + "</p>"
            )
    parts.append("".join(mp))
    wm = '<div class="wm">內部資料</div>' if st["watermark"] else ""
    pages = 3
    for ti, t in enumerate(deck.themes):
        rows = theme_rows(deck, t)
        chunks = [rows] if o["flow"] else chunk(rows, int(o["max_rows"]))
        for i, part in enumerate(chunks):
            title = theme_title(deck, t, i + 1, len(chunks))
            cls = "theme newpage" if (o["theme_break"] or ti == 0 or i) else "theme"
            head = header(cols, two)
            thead = f"<thead>{head}</thead><tbody>" if o["repeat_header"] else f"<tbody>{head}"
            parts.append(
                f'<div class="slide"><h2 class="{cls}">{esc(title)}</h2>'
                f"<table>{colgroup(cols)}{thead}{_body(deck, part, chunks[i - 1] if i else [], cols, o)}"
                f"</tbody></table>{wm if not o['flow'] else ''}</div>"
            )
            pages += 1
    if wm and o["flow"]:
        parts.insert(0, '<div class="wm fixed">內部資料</div>')  # Chromium prints a fixed block on every page
    parts.append('<p class="end">敬請指教</p>')
    pages += 1
    doc = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-Hant" xml:lang="zh-Hant"><head>'
        f'<meta charset="utf-8"/><title>{esc(deck.org)}平衡計分卡</title>'
        f"<style>{_css(deck, o)}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>"
    )
    return doc, 0 if o["flow"] else pages


def _cmd(src: Path, out_pdf: Path, deck: Deck, o: dict) -> list[str]:
    w, h = PAPERS[o["paper"]]
    cmd = ["ebook-convert", str(src), str(out_pdf)]
    if o["paper_by"] == "name" and o["paper"] in ("a4", "letter"):
        cmd += ["--paper-size", o["paper"]]
    else:
        cmd += ["--custom-size", f"{w:g}x{h:g}", "--unit", "point"]
    m, mb = o["margin_pt"], o["margin_bottom_pt"]
    cmd += ["--pdf-page-margin-left", f"{m}", "--pdf-page-margin-right", f"{m}", "--pdf-page-margin-top", f"{m}"]
    cmd += ["--pdf-page-margin-bottom", f"{mb}"]
    cmd += ["--title", f"{deck.org}平衡計分卡", "--authors", deck.org]
    cmd += ["--pdf-standard-font", o["standard_font"]]
    cmd += [f"--pdf-{o['standard_font']}-family", o["face"]]
    if o["rescale"] == "off":
        cmd += ["--disable-font-rescaling"]
    if o["embed_all_fonts"]:
        cmd += ["--embed-all-fonts"] + (["--subset-embedded-fonts"] if o["subset_embedded_fonts"] else [])
    if o["source"] == "html":
        # theme titles (h2.theme) are the sections of the table of contents (for _SECTION_ and --pdf-add-toc)
        cmd += ["--level1-toc", "//h:h2[contains(@class, 'theme')]", "--page-breaks-before", "/"]
    if o["footer"] == "numbers":
        cmd += ["--pdf-page-numbers"]
    elif o["footer"]:
        cmd += ["--pdf-footer-template", FOOTERS[o["footer"]]]
    if o["header"]:
        cmd += ["--pdf-header-template", HEADERS[o["header"]]]
    if o["add_toc"]:
        cmd += ["--pdf-add-toc", "--toc-title", "目錄"]
    return cmd


def _env(tmp: str) -> dict:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox",  # Chromium's zygote refuses to run as root with its sandbox
        HOME=tmp,
        CALIBRE_CONFIG_DIRECTORY=f"{tmp}/calibre-config",
        CALIBRE_TEMP_DIR=tmp,
    )
    return env


def _convert(src: Path, out_pdf: Path, deck: Deck, o: dict, tmp: str) -> None:
    out_pdf.unlink(missing_ok=True)
    r = subprocess.run(_cmd(src, out_pdf, deck, o), capture_output=True, text=True, timeout=600, env=_env(tmp))
    if r.returncode or not out_pdf.exists():
        raise RuntimeError(f"ebook-convert failed ({r.returncode}): {(r.stdout + r.stderr)[-1500:]}")


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """Convert the deck's HTML (or Word document) with ebook-convert; options as producer_options draws them.
    Returns the options used, with the problems layout.check found."""
    tool_version()
    st = deck.style
    o = {**producer_options(random.Random(0), st), **(options or {})}
    o.setdefault("max_rows", st["max_rows"])
    if not o["flow"]:
        o["theme_break"] = True  # a slide is a page
    out_pdf = Path(out_pdf)
    with tempfile.TemporaryDirectory() as tmp:
        if o["source"] == "docx":
            src = _docx(deck, Path(tmp), o)
            _convert(src, out_pdf, deck, o, tmp)
        else:
            src = Path(tmp) / f"{deck.stem}.html"
            while True:
                doc, want = build_html(deck, o)
                src.write_text(doc, encoding="utf-8")
                _convert(src, out_pdf, deck, o, tmp)
                if not want or _pages(out_pdf) == want or o["max_rows"] == 1:
                    break
                o["max_rows"] = int(o["max_rows"]) - 1
    find_pages(out_pdf, deck)
    o["problems"] = check(out_pdf, deck)
    if o["source"] == "html" and not o["keep_rows"] and any("missing" in p for p in o["problems"]):
        # a KPI row cut by a page break (Chromium splits table rows): the author keeps rows whole and converts again
        return render(deck, out_pdf, {**o, "keep_rows": True, "keep_rows_added": True, "problems": []})
    return o


def _pages(pdf: Path) -> int:
    import pymupdf

    return len(pymupdf.open(str(pdf)))


def _docx(deck: Deck, folder: Path, o: dict) -> Path:
    """r_docx's Word document, saved as an author fixing it for calibre would: the face in the font table (calibre's
    docx input prints a run in 'serif' when its font is not listed there), page breaks as 'page break before' on the
    next paragraph (docx_breaks 'before'; calibre turns a page-break run into an inline span, which prints no
    break), table widths scaled to the paper's printable width."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from .r_docx import build

    src, _ = build(
        deck,
        folder,
        {
            "font": o["face"],
            "font_pt": o["font_pt"],
            "repeat_header": o["repeat_header"],
            "theme_page_break": o["theme_break"],
            "lead_lines": o["lead_lines"],
            "rules": deck.style["rules"],
        },
    )
    doc = Document(str(src))
    w, _ = PAPERS[o["paper"]]
    avail = w - 2 * o["margin_pt"] - 12
    scale = min(1.0, avail / (267 / 25.4 * 72))
    for el in doc.element.body.iter(qn("w:tcW"), qn("w:gridCol")):
        if el.get(qn("w:w")):
            el.set(qn("w:w"), str(int(int(el.get(qn("w:w"))) * scale)))
    if o["docx_breaks"] == "before":
        for p in list(doc.element.body.iter(qn("w:p"))):
            brs = [br for br in p.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
            nxt = p.getnext()
            if not brs or nxt is None or nxt.tag != qn("w:p"):
                continue
            for br in brs:
                br.getparent().remove(br)
            ppr = nxt.find(qn("w:pPr"))
            if ppr is None:
                ppr = OxmlElement("w:pPr")
                nxt.insert(0, ppr)
            ppr.insert(0, OxmlElement("w:pageBreakBefore"))
    if o["docx_font_table"]:
        part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
        xml = part.blob.decode("utf-8")
        face = f'<w:font w:name="{o["face"]}"><w:charset w:val="88"/><w:pitch w:val="variable"/></w:font>'
        part._blob = xml.replace("</w:fonts>", face + "</w:fonts>").encode("utf-8")
    doc.save(str(src))
    return src


if __name__ == "__main__":  # python -m tests.realtools.r_calibre OUT.pdf [key=value ...]: one deck, for a look
    import json
    import sys

    from .spec import Office

    opts = {}
    for a in sys.argv[2:]:
        k, v = a.split("=", 1)
        try:
            opts[k] = json.loads(v)
        except ValueError:
            opts[k] = v
    office = Office(int(opts.pop("seed", 5)), "calibre-o01")
    d = office.deck(112, Path(sys.argv[1]).stem, opts.pop("style", None), style_seed=int(opts.pop("style_seed", 3)))
    used = render(d, sys.argv[1], opts)
    print(json.dumps(used, ensure_ascii=False))
