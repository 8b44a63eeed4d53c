"""Impress renderer: python-pptx slides with table shapes, exported to PDF by LibreOffice Impress.

Most real decks are slide presentations: each theme's table sits on one or more slides ('--1/2'), a
table cell grows to fit its text when Impress lays it out, and rotated 構面 labels use the cell's
vertical text setting.  If a table grows past the slide bottom the row budget is lowered and the deck
exported again, so no KPI row is lost below the page edge.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from .layout import Row, chunk, columns, continues, runs, theme_rows, theme_title
from .soffice import to_pdf
from .spec import BSC_ORDER, Deck

SLIDE = {
    "4:3": (Emu(9144000), Emu(6858000)),
    "16:9": (Emu(12192000), Emu(6858000)),
    "A4L": (Emu(10692000), Emu(7560000)),
}


def _text(
    tf, text: str, fam: str, size: float, bold: bool = False, align: str = "left", color: RGBColor | None = None
) -> None:
    tf.word_wrap = True
    lines = text.split("\n")
    for i, line in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = PP_ALIGN.CENTER if align == "center" else PP_ALIGN.LEFT
        r = p.add_run()
        r.text = line
        r.font.size = Pt(size)
        r.font.bold = bold
        r.font.name = fam
        if color is not None:
            r.font.color.rgb = color
        rpr = r._r.get_or_add_rPr()
        ea = rpr.makeelement(qn("a:ea"), {"typeface": fam})
        rpr.append(ea)


def _box(slide, x, y, w, h, text, fam, size, bold=False, align="left", color=None):
    tb = slide.shapes.add_textbox(x, y, w, h)
    _text(tb.text_frame, text, fam, size, bold, align, color)
    return tb


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: page (4:3|16:9|A4L), font, font_pt, max_rows, logo.  Returns the options used."""
    opts = dict(options or {})
    rows_budget = int(opts.get("max_rows", deck.style["max_rows"]))
    while True:
        opts["max_rows"] = rows_budget
        _build(deck, Path(out_pdf), opts)
        from .layout import check, find_pages, overflows_bottom

        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck)
        if not overflows_bottom(out_pdf) or rows_budget == 1:
            break
        rows_budget -= 1
    opts["problems"] = problems
    return opts


def _build(deck: Deck, out_pdf: Path, opts: dict) -> None:
    prs = presentation(deck, opts)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{deck.stem}.pptx"
        prs.save(str(src))
        to_pdf(src, out_pdf)


def presentation(deck: Deck, opts: dict) -> Presentation:
    """The python-pptx deck: cover, profile, strategy map, the theme tables ('--k/n' slides of max_rows KPI
    rows), closing slide (r_impressnotes adds speaker notes to it)."""
    st = deck.style
    fam = opts.setdefault("font", st["font"])
    pt = float(opts.setdefault("font_pt", st["font_pt"]))
    page = opts.setdefault("page", st["page"])
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE[page]
    W, H = prs.slide_width, prs.slide_height
    blank = prs.slide_layouts[6]
    navy = RGBColor(0x1F, 0x3A, 0x68)
    s = prs.slides.add_slide(blank)
    _box(s, Emu(0), Emu(int(H * 0.3)), W, Emu(900000), deck.org, fam, 36, True, "center", navy)
    _box(s, Emu(0), Emu(int(H * 0.45)), W, Emu(900000), "策略地圖與平衡計分卡", fam, 32, True, "center")
    s = prs.slides.add_slide(blank)
    _box(s, Emu(500000), Emu(300000), W, Emu(600000), "轄區概況", fam, 28, True, color=navy)
    _box(s, Emu(700000), Emu(1300000), Emu(W - 1400000), Emu(3000000), "\n".join(deck.profile_lines), fam, 20)
    s = prs.slides.add_slide(blank)
    _box(s, Emu(400000), Emu(250000), Emu(W - 2400000), Emu(600000), f"{deck.org}策略地圖", fam, 26, True, color=navy)
    _box(s, Emu(W - 1900000), Emu(300000), Emu(1700000), Emu(500000), deck.map_date, fam, 18)
    y = 1100000
    for p in BSC_ORDER:
        objs = [o.shown for t in deck.themes for o in t.objectives if o.perspective == p]
        if not objs:
            continue
        _box(s, Emu(400000), Emu(y), Emu(1300000), Emu(700000), f"{p}構面", fam, 14, True, color=navy)
        x = 1800000
        for o in objs:
            w = min(2600000, 160000 * len(o) + 300000)
            if x + w > W - 200000:
                break
            shp = s.shapes.add_shape(9, Emu(x), Emu(y), Emu(w), Emu(650000))  # 9 = oval
            shp.fill.background()
            shp.line.color.rgb = navy
            _text(shp.text_frame, o, fam, 11, align="center", color=RGBColor(0, 0, 0))
            x += w + 120000
        y += 1000000
    cols = columns(deck)
    for t in deck.themes:
        parts = chunk(theme_rows(deck, t), int(opts["max_rows"]))
        for i, part in enumerate(parts):
            s = prs.slides.add_slide(blank)
            _box(
                s,
                Emu(300000),
                Emu(150000),
                Emu(W - 600000),
                Emu(500000),
                theme_title(deck, t, i + 1, len(parts)),
                fam,
                20,
                True,
                color=navy,
            )
            if st["logo"] or opts.get("logo"):
                _box(
                    s,
                    Emu(W - 1500000),
                    Emu(170000),
                    Emu(1200000),
                    Emu(450000),
                    deck.short,
                    fam,
                    14,
                    True,
                    "center",
                    navy,
                )
            _table(s, deck, part, parts[i - 1] if i else [], cols, fam, pt, W)
    s = prs.slides.add_slide(blank)
    _box(s, Emu(0), Emu(int(H * 0.4)), W, Emu(1000000), "敬請指教", fam, 40, True, "center", navy)
    return prs


def _table(slide, deck: Deck, rows: list[Row], prev: list[Row], cols, fam: str, pt: float, W) -> None:
    st = deck.style
    two = st["year_header"] == "two_row"
    nh = 2 if two else 1
    n = len(cols)
    width = W - 500000
    shape = slide.shapes.add_table(nh + len(rows), n, Emu(250000), Emu(750000), Emu(width), Emu(300000))
    tbl = shape.table
    tot = sum(c.weight for c in cols)
    for j, c in enumerate(cols):
        tbl.columns[j].width = Emu(int(width * c.weight / tot))
    for r in tbl.rows:
        r.height = Emu(int(pt * 12700 * 1.6))
    j = 0
    while j < n:
        c = cols[j]
        if two and c.group:
            k = j
            while k + 1 < n and cols[k + 1].group == c.group:
                k += 1
            if k > j:
                tbl.cell(0, j).merge(tbl.cell(0, k))
            _text(tbl.cell(0, j).text_frame, c.group, fam, pt, True, "center")
            for m in range(j, k + 1):
                _text(tbl.cell(1, m).text_frame, cols[m].sub or "", fam, pt, True, "center")
            j = k + 1
            continue
        if two:
            tbl.cell(0, j).merge(tbl.cell(1, j))
        _text(tbl.cell(0, j).text_frame, c.label, fam, pt, True, "center")
        j += 1
    ids = [c.id for c in cols]
    for i, r in enumerate(rows):
        ri = nh + i
        if r.kind == "band":
            tbl.cell(ri, 0).merge(tbl.cell(ri, n - 1))
            _text(tbl.cell(ri, 0).text_frame, r.cells["band"], fam, pt, True)
            continue
        for j, c in enumerate(cols):
            if c.id not in ("persp", "obj"):
                _text(tbl.cell(ri, j).text_frame, r.cells.get(c.id, ""), fam, pt, align=st["halign"])
    for key in ("persp", "obj"):
        if key not in ids:
            continue
        j = ids.index(key)
        for start, cnt in runs(rows, key):
            cell = tbl.cell(nh + start, j)
            if cnt > 1:
                cell.merge(tbl.cell(nh + start + cnt - 1, j))
            blank = start == 0 and st["blank_cont"] and continues(prev, rows[start], key)
            text = "" if blank else rows[start].cells[key]
            if key == "persp" and st["persp_mode"] == "stacked":
                text = "\n".join(text)
            _text(cell.text_frame, text, fam, pt, align="center" if key == "persp" else st["halign"])
            if key == "persp" and st["persp_mode"] == "rotated":
                cell._tc.get_or_add_tcPr().set("vert", "vert270")
