"""Typst renderer (the `typst` Python package): its own layout engine, shaper and PDF writer.

Typst tables break across pages by themselves (the header repeated when marked so), rules are drawn
per hline, cells may span rows, and rotated labels reflow.  Used for 'other engine' decks with
horizontal rules only or none, narrow gutters and header labels centred over left-aligned cells.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .layout import Col, Row, chunk, columns, continues, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

PAPER = {"16:9": ("254mm", "142.875mm"), "4:3": ("254mm", "190.5mm"), "A4L": ("297mm", "210mm")}


def lit(s: str) -> str:
    """Text as Typst content built from string literals (no markup shorthands such as -- or *)."""
    parts = [_q(line) for line in s.split("\n")]
    return "[" + "#linebreak()".join(parts) + "]"


def _q(line: str) -> str:
    return '#"' + line.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _header(cols: list[Col], two: bool) -> str:
    def c(x: str) -> str:
        return f"table.cell(align: center + horizon)[#strong({lit(x)})]"

    if not two:
        return ", ".join(c(col.label) for col in cols)
    top, low, j = [], [], 0
    while j < len(cols):
        col = cols[j]
        if col.group:
            k = j
            while k + 1 < len(cols) and cols[k + 1].group == col.group:
                k += 1
            top.append(f"table.cell(colspan: {k - j + 1}, align: center)[#strong({lit(col.group)})]")
            low += [c(cols[m].sub or "") for m in range(j, k + 1)]
            j = k + 1
        else:
            top.append(f"table.cell(rowspan: 2, align: center + horizon)[#strong({lit(col.label)})]")
            j += 1
    return ", ".join(top + low)


def _body(deck: Deck, rows: list[Row], prev: list[Row], cols: list[Col], rules: str) -> str:
    st = deck.style
    spans = {key: dict(runs(rows, key)) for key in ("persp", "obj")}
    covered = {(i, key) for key in spans for s, n in spans[key].items() for i in range(s + 1, s + n)}
    out = []
    for i, r in enumerate(rows):
        if r.kind == "band":
            out.append(f"table.cell(colspan: {len(cols)}, fill: luma(225))[#strong({lit(r.cells['band'])})]")
            continue
        for c in cols:
            if (i, c.id) in covered:
                continue
            text = r.cells.get(c.id, "")
            if c.id in spans:
                if i == 0 and st["blank_cont"] and continues(prev, r, c.id):
                    text = ""
                inner = lit(text)
                if c.id == "persp" and text and st["persp_mode"] == "rotated":
                    inner = f"[#rotate(-90deg, reflow: true){lit(text)}]"
                elif c.id == "persp" and text and st["persp_mode"] == "stacked":
                    inner = lit("\n".join(text))
                out.append(f"table.cell(rowspan: {spans[c.id][i]}, align: horizon)" + inner)
            else:
                out.append(lit(text))
        if rules == "hrules":
            out.append("table.hline(stroke: 0.4pt)")
    return ", ".join(out)


def source(deck: Deck, opts: dict) -> str:
    st = deck.style
    pw, ph = PAPER[opts["page"]]
    cols = columns(deck)
    widths = ", ".join(f"{c.weight}fr" for c in cols)
    rules = opts["rules"]
    zebra = "fill: (_, y) => if calc.even(y) and y > 1 { luma(240) }," if rules == "zebra" else ""
    two = st["year_header"] == "two_row"
    head = _header(cols, two)
    repeat = "true" if opts.get("repeat_header", True) else "false"
    gut = opts.get("gutter_pt", 2)
    out = [
        f"#set page(width: {pw}, height: {ph}, margin: (x: 9mm, top: 8mm, bottom: 12mm),"
        ' numbering: "1", number-align: right)',
        f'#set text(font: "{opts["font"]}", size: {opts["font_pt"]}pt, lang: "zh", region: "tw")',
        "#set par(justify: false)",
        f'#align(center + horizon)[#text(size: 30pt, weight: "bold"){lit(deck.org)} #v(6mm)'
        f" #text(size: 28pt){lit('策略地圖與平衡計分卡')}]",
        "#pagebreak()",
        f'#text(size: 20pt, weight: "bold"){lit("轄區概況")}',
        "#v(5mm)",
    ]
    out += [f"#text(size: 14pt){lit(x)} #v(2mm)" for x in deck.profile_lines]
    out += [
        "#pagebreak()",
        f'#text(size: 18pt, weight: "bold"){lit(deck.org + "策略地圖")} #h(1fr) #text(size: 14pt){lit(deck.map_date)}',
        "#v(4mm)",
    ]
    for p in BSC_ORDER:
        objs = [o.shown for t in deck.themes for o in t.objectives if o.perspective == p]
        if objs:
            boxes = " ".join(f"#box(stroke: 0.8pt, inset: 4pt, radius: 6pt){lit(o)}" for o in objs)
            out.append(f'#box(fill: rgb("#1f4e79"), inset: 5pt)[#text(fill: white){lit(p + "構面")}] {boxes} #v(4mm)')
    out.append("#pagebreak()")
    for t in deck.themes:
        rows = theme_rows(deck, t)
        parts = [rows] if opts["mode"] == "flow" else chunk(rows, int(opts["max_rows"]))
        for i, part in enumerate(parts):
            title = theme_title(deck, t, i + 1, len(parts))
            stroke = "stroke: none," if rules != "grid" else "stroke: 0.5pt,"
            top = "table.hline(stroke: 1pt)," if rules != "none" else ""
            mid = "table.hline(stroke: 0.6pt)," if rules != "none" else ""
            out.append(
                f'#text(size: 16pt, weight: "bold", fill: rgb("#1f3a68")){lit(title)}\n#v(2mm)\n'
                f"#table(columns: ({widths}), {stroke} inset: (x: {gut}pt, y: 3pt), align: left + top, {zebra}"
                f" {top} table.header(repeat: {repeat}, {head}), {mid}"
                f" {_body(deck, part, parts[i - 1] if i else [], cols, rules)})"
            )
            out.append("#pagebreak()")
    out.append(f'#align(center + horizon)[#text(size: 36pt, weight: "bold"){lit("敬請指教")}]')
    return "\n".join(out)


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: font, page, font_pt, rules (hrules|none|zebra|grid), mode (slides|flow), repeat_header,
    max_rows, gutter_pt.  Returns the options used."""
    import typst

    from .layout import check, find_pages

    st = deck.style
    opts = dict(options or {})
    opts.setdefault("font", st["font"])
    opts.setdefault("page", st["page"])
    opts.setdefault("font_pt", st["font_pt"])
    opts.setdefault("rules", st["rules"] if st["rules"] != "grid" else "hrules")
    opts.setdefault("mode", "flow" if opts["page"] == "A4L" else "slides")
    rows = int(opts.get("max_rows", st["max_rows"]))
    while True:
        opts["max_rows"] = rows
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "deck.typ"
            src.write_text(source(deck, opts), encoding="utf-8")
            typst.compile(str(src), output=str(out_pdf), font_paths=["/usr/share/fonts"])
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck)
        multi = sum(1 for _ in _theme_pages(out_pdf)) > sum(len(chunk(theme_rows(deck, t), rows)) for t in deck.themes)
        if opts["mode"] == "flow" or not multi or rows == 1:
            break
        rows -= 1
    opts["problems"] = problems
    return opts


def _theme_pages(pdf: str | Path):
    """Table pages of a slide-mode deck: every page between the map and the closing page."""
    import pymupdf

    doc = pymupdf.open(str(pdf))
    return range(3, len(doc) - 1)
