"""calibre renderer: the deck converted to PDF by calibre's `ebook-convert` (Debian 12's calibre 6.13), as staff who
keep documents in an e-book manager, or a back-end that turns HTML/Word reports into PDF with calibre, do.

DOCSTRING_PLACEHOLDER
"""

from __future__ import annotations

import html
import os
import random
import re
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
    margin = rng.choice([72, 54, 36, 36, 28]) if flow else rng.choice([14, 18, 24, 30])
    if footer or head:
        margin = max(margin, 30)
    face = style["font"]
    return {
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
        "zebra": "th { border-bottom: 1.5pt solid #345 }\ntr.z td { background-color: %s }" % ZEBRA_FILL,
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
div.wm {{ position: absolute; left: 30%; top: 40%; font-size: 54pt; color: #f0d0d0; transform: rotate(-30deg) }}
div.slide {{ position: relative }}
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
