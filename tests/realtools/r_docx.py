"""Writer renderer: a python-docx document printed to PDF by LibreOffice Writer.

Word-processor decks let the table run over page breaks on its own: the header row is repeated only if
the author marked it, a vertically merged 構面 cell shows its text on the first page only, and band rows
('顧客構面' across the table) mark perspectives instead of a column.  Pages are read back from the PDF.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .layout import Col, columns, runs, theme_rows, theme_title
from .soffice import render_built
from .spec import BSC_ORDER, Deck


def _el(parent, tag: str, **attrs) -> OxmlElement:
    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn(f"w:{k}"), str(v))
    parent.append(e)
    return e


def _font(run, family: str, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = family
    run.font.size = Pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = _el(rpr, "w:rFonts")
    fonts.set(qn("w:eastAsia"), family)


def _write(cell, text: str, family: str, size: float, align: str = "left", bold: bool = False) -> None:
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.LEFT
    p.paragraph_format.space_after = Pt(0)
    for i, line in enumerate(text.split("\n")):
        r = p.add_run(line)
        _font(r, family, size, bold)
        if i < text.count("\n"):
            r.add_break()


def _shade(cell, fill: str) -> None:
    _el(cell._tc.get_or_add_tcPr(), "w:shd", val="clear", color="auto", fill=fill)


def _borders(table, rules: str) -> None:
    tblpr = table._tbl.tblPr
    b = _el(tblpr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        on = rules == "grid" or (rules in ("hrules", "zebra") and side in ("top", "bottom", "insideH"))
        _el(b, f"w:{side}", val="single" if on else "nil", sz=6, space=0, color="444444")


def _row_flags(row, header: bool) -> None:
    trpr = row._tr.get_or_add_trPr()
    _el(trpr, "w:cantSplit")
    if header:
        _el(trpr, "w:tblHeader")


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: font, font_pt, repeat_header (bool), theme_page_break (bool), lead_lines (blank lines
    before each table, to push it over a page break), rules.  Returns the options used."""
    return render_built(build, deck, out_pdf, options)


def build(deck: Deck, folder: Path, options: dict | None = None) -> tuple[Path, dict]:
    """Save the document as `folder/<stem>.docx`; returns its path and the options used (see render)."""
    st = deck.style
    opts = dict(options or {})
    fam = opts.setdefault("font", st["font"])
    pt = float(opts.setdefault("font_pt", max(9, st["font_pt"])))
    repeat = opts.setdefault("repeat_header", True)
    rules = opts.setdefault("rules", st["rules"])
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Mm(15))

    def para(text: str, size: float, bold: bool = False, center: bool = False, brk: bool = False):
        p = doc.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(text), fam, size, bold, RGBColor(0x1F, 0x3A, 0x68) if bold else None)
        if brk:
            p.add_run().add_break(WD_BREAK.PAGE)
        return p

    for _ in range(6):
        para("", 14)
    para(deck.org, 30, True, True)
    para("策略地圖與平衡計分卡", 26, True, True, brk=True)
    para("轄區概況", 20, True)
    for line in deck.profile_lines:
        para(line, 14)
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    para(f"{deck.org}策略地圖　　　　{deck.map_date}", 18, True)
    for p in BSC_ORDER:
        objs = [o.shown for t in deck.themes for o in t.objectives if o.perspective == p]
        if objs:
            para(f"【{p}構面】　" + "　｜　".join(objs), 12)
    cols = columns(deck)
    tw = 267.0
    tot = sum(c.weight for c in cols)
    widths = [Mm(tw * c.weight / tot) for c in cols]
    for ti, t in enumerate(deck.themes):
        prev = doc.paragraphs[-1]
        if ti == 0 or opts.get("theme_page_break", True):
            prev.add_run().add_break(WD_BREAK.PAGE)
        para(theme_title(deck, t), 16, True)
        for _ in range(int(opts.get("lead_lines", 0))):
            para("", pt)
        _table(doc, deck, t, cols, widths, fam, pt, repeat, rules)
        para("", 6)
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    for _ in range(8):
        para("", 14)
    para("敬請指教", 36, True, True)
    src = Path(folder) / f"{deck.stem}.docx"
    doc.save(str(src))
    return src, opts


def _table(doc, deck: Deck, t, cols: list[Col], widths, fam: str, pt: float, repeat: bool, rules: str) -> None:
    st = deck.style
    two = st["year_header"] == "two_row"
    rows = theme_rows(deck, t)
    nh = 2 if two else 1
    table = doc.add_table(rows=nh + len(rows), cols=len(cols))
    table.autofit = False
    _borders(table, rules)
    for r in table.rows:
        for j, c in enumerate(r.cells):
            c.width = widths[j]
    for i in range(nh):
        _row_flags(table.rows[i], repeat)
    j = 0
    while j < len(cols):
        c = cols[j]
        if two and c.group:
            k = j
            while k + 1 < len(cols) and cols[k + 1].group == c.group:
                k += 1
            top = table.cell(0, j).merge(table.cell(0, k)) if k > j else table.cell(0, j)
            _write(top, c.group, fam, pt, "center", True)
            for m in range(j, k + 1):
                _write(table.cell(1, m), cols[m].sub or "", fam, pt, "center", True)
            j = k + 1
            continue
        cell = table.cell(0, j).merge(table.cell(1, j)) if two else table.cell(0, j)
        _write(cell, c.label, fam, pt, "center", True)
        j += 1
    for r in table.rows[:nh]:
        for cell in r.cells:
            _shade(cell, "DCE6F2")
    ids = [c.id for c in cols]
    for i, r in enumerate(rows):
        tr = table.rows[nh + i]
        _row_flags(tr, False)
        if r.kind == "band":
            cell = tr.cells[0].merge(tr.cells[-1])
            _write(cell, r.cells["band"], fam, pt, "left", True)
            _shade(cell, "E2EFDA")
            continue
        for j, c in enumerate(cols):
            if c.id in ("persp", "obj"):
                continue
            _write(tr.cells[j], r.cells.get(c.id, ""), fam, pt, st["halign"])
            if rules == "zebra" and i % 2:
                _shade(tr.cells[j], "EEF2F7")
    for key in ("persp", "obj"):
        if key not in ids:
            continue
        j = ids.index(key)
        for start, n in runs(rows, key):
            cell = table.cell(nh + start, j)
            if n > 1:
                cell = cell.merge(table.cell(nh + start + n - 1, j))
            _write(cell, rows[start].cells[key], fam, pt, "center" if key == "persp" else st["halign"])
            if key == "persp" and st["persp_mode"] == "rotated":
                _el(cell._tc.get_or_add_tcPr(), "w:textDirection", val="btLr")
