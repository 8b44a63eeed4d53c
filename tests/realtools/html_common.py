"""HTML slides for browser-like printers (Chromium, wkhtmltopdf, WeasyPrint).

Offices that publish decks as web pages print them with whatever browser engine they have, so the same
page goes through different text shapers, table layouts and PDF writers.  Slides are fixed-size
sections (16:9, 4:3 or A4 landscape via @page); a theme's table is split into slides by the deck's row
budget, or (flow mode) left to the engine to break, with the header repeated by the engine.
"""

from __future__ import annotations

import html
from pathlib import Path

from .layout import Col, Row, chunk, columns, continues, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

PAGES = {
    "16:9": ("254mm", "142.875mm", 960, 540),
    "4:3": ("254mm", "190.5mm", 960, 720),
    "A4L": ("297mm", "210mm", 1122, 793),
}


def esc(s: str) -> str:
    return html.escape(s).replace("\n", "<br>")


def css(deck: Deck, opts: dict) -> str:
    st = deck.style
    w, h, wpx, hpx = PAGES[opts.get("page", st["page"])]
    rules = opts.get("rules", st["rules"])
    border = {
        "grid": "td,th{border:1px solid #555}",
        "hrules": "td,th{border-bottom:1px solid #555}",
        "zebra": "th{border-bottom:2px solid #345} tbody tr:nth-child(even) td{background:#eef2f7}",
        "none": "",
    }[rules]
    fs = opts.get("font_px", round(st["font_pt"] * 1.45, 1))
    return f"""
@page {{ size: {w} {h}; margin: 0 }}
html, body {{ margin: 0; padding: 0 }}
body {{ font-family: '{opts.get("font", st["font"])}', sans-serif; color: #111 }}
section.slide {{ width: {wpx}px; min-height: {hpx}px; box-sizing: border-box; padding: 24px 30px;
  page-break-after: always; position: relative }}
section.slide:last-child {{ page-break-after: auto }}
h1 {{ font-size: 24px; color: #1d4f91; margin: 0 0 10px 0 }}
h1 .logo {{ float: right; font-size: 15px; border: 1px solid #1d4f91; border-radius: 12px; padding: 2px 10px }}
table {{ border-collapse: collapse; width: 100%; font-size: {fs}px; table-layout: fixed }}
td, th {{ padding: 2px 3px; vertical-align: {st["valign"]}; text-align: {st["halign"]};
  word-break: break-all; overflow-wrap: anywhere }}
th {{ background: #dce6f2; text-align: center; vertical-align: middle }}
tr {{ page-break-inside: avoid; break-inside: avoid }}
thead {{ display: table-header-group }}
tr.band td {{ background: #c9d9ec; font-weight: bold; text-align: left }}
td.persp {{ text-align: center; vertical-align: middle }}
.rot {{ writing-mode: vertical-rl; margin: auto }}
.trot {{ display: inline-block; white-space: nowrap; transform: rotate(-90deg); -webkit-transform: rotate(-90deg) }}
.wm {{ position: absolute; left: 30%; top: 45%; font-size: 72px; color: rgba(200,80,80,0.18);
  transform: rotate(-30deg); -webkit-transform: rotate(-30deg) }}
.center {{ text-align: center; margin-top: 150px; font-size: 40px }}
.box {{ display: inline-block; border: 1.5px solid #1d4f91; border-radius: 14px; padding: 6px 10px; margin: 4px;
  font-size: 12px }}
.persp-box {{ display: inline-block; width: 90px; background: #1d4f91; color: white; padding: 8px; margin: 4px }}
{border}
"""


def header(cols: list[Col], two: bool) -> str:
    if not two:
        return "<tr>" + "".join(f"<th>{esc(c.label)}</th>" for c in cols) + "</tr>"
    top, low, j = [], [], 0
    while j < len(cols):
        c = cols[j]
        if c.group:
            k = j
            while k + 1 < len(cols) and cols[k + 1].group == c.group:
                k += 1
            top.append(f'<th colspan="{k - j + 1}">{esc(c.group)}</th>')
            low += [f"<th>{esc(cols[m].sub or '')}</th>" for m in range(j, k + 1)]
            j = k + 1
        else:
            top.append(f'<th rowspan="2">{esc(c.label)}</th>')
            j += 1
    return "<tr>" + "".join(top) + "</tr><tr>" + "".join(low) + "</tr>"


def persp_html(label: str, mode: str, rotate_css: str) -> str:
    if mode == "stacked":
        return "<br>".join(esc(ch) for ch in label)
    if mode == "rotated":
        return f'<div class="{"rot" if rotate_css == "writing-mode" else "trot"}">{esc(label)}</div>'
    return esc(label)


def body(deck: Deck, rows: list[Row], prev: list[Row], cols: list[Col], rotate_css: str) -> str:
    st = deck.style
    spans = {key: dict(runs(rows, key)) for key in ("persp", "obj")}
    covered: set[tuple[int, str]] = set()
    for key in spans:
        for s, n in spans[key].items():
            covered.update((i, key) for i in range(s + 1, s + n))
    out = []
    for i, r in enumerate(rows):
        if r.kind == "band":
            out.append(f'<tr class="band"><td colspan="{len(cols)}">{esc(r.cells["band"])}</td></tr>')
            continue
        tds = []
        for c in cols:
            if (i, c.id) in covered:
                continue
            text = r.cells.get(c.id, "")
            if c.id in spans:
                n = spans[c.id].get(i, 1)
                if i == 0 and st["blank_cont"] and continues(prev, r, c.id):
                    text = ""
                inner = persp_html(text, st["persp_mode"], rotate_css) if c.id == "persp" and text else esc(text)
                tds.append(f'<td rowspan="{n}" class="{c.id}">{inner}</td>')
            else:
                tds.append(f"<td>{esc(text)}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    return "".join(out)


def colgroup(cols: list[Col]) -> str:
    tot = sum(c.weight for c in cols)
    return "<colgroup>" + "".join(f'<col style="width:{100 * c.weight / tot:.2f}%">' for c in cols) + "</colgroup>"


def build(deck: Deck, opts: dict) -> tuple[str, int]:
    """The HTML document and the number of pages it should print to in slide mode (0 in flow mode)."""
    st = deck.style
    rotate_css = opts.get("rotate_css", "writing-mode")
    flow = opts.get("flow", False)
    max_rows = int(opts.get("max_rows", st["max_rows"]))
    slides = [
        f'<section class="slide"><div class="center">{esc(deck.org)}<br>策略地圖與平衡計分卡</div></section>',
        '<section class="slide"><h1>轄區概況</h1>'
        + "".join(f'<p style="font-size:18px;margin:18px 40px">{esc(x)}</p>' for x in deck.profile_lines)
        + "</section>",
    ]
    mp = [
        f'<section class="slide"><h1>{esc(deck.org)}策略地圖<span style="float:right;font-size:16px">'
        f"{esc(deck.map_date)}</span></h1>"
    ]
    for p in BSC_ORDER:
        objs = [o for t in deck.themes for o in t.objectives if o.perspective == p]
        if objs:
            mp.append(
                f'<div><span class="persp-box">{p}構面</span>'
                + "".join(f'<span class="box">{esc(o.shown)}</span>' for o in objs)
                + "</div>"
            )
    slides.append("".join(mp) + "</section>")
    cols = columns(deck)
    two = st["year_header"] == "two_row"
    logo = f'<span class="logo">{esc(deck.short)}</span>' if st["logo"] or opts.get("logo") else ""
    wm = '<div class="wm">內部資料</div>' if st["watermark"] or opts.get("watermark") else ""
    for t in deck.themes:
        rows = theme_rows(deck, t)
        parts = [rows] if flow else chunk(rows, max_rows)
        for i, part in enumerate(parts):
            title = theme_title(deck, t, i + 1, len(parts))
            slides.append(
                f'<section class="slide"><h1>{esc(title)}{logo}</h1><table>{colgroup(cols)}'
                f"<thead>{header(cols, two)}</thead><tbody>"
                f"{body(deck, part, parts[i - 1] if i else [], cols, rotate_css)}</tbody></table>{wm}"
                "</section>"
            )
    slides.append('<section class="slide"><div class="center">敬請指教</div></section>')
    doc = (
        f'<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="utf-8"><title>{esc(deck.org)}</title>'
        f"<style>{css(deck, opts)}</style></head><body>{''.join(slides)}</body></html>"
    )
    return doc, 0 if flow else len(slides)


def page_count(pdf: str | Path) -> int:
    import pymupdf

    return len(pymupdf.open(str(pdf)))
