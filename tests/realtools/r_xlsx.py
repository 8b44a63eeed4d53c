"""Calc renderer: an openpyxl workbook (one sheet per theme) printed to PDF by LibreOffice Calc.

Spreadsheet decks are printed A4 landscape scaled to the page width; the header rows may be print titles
(repeated on every printed page), the 構面 label sits rotated 90° in a merged cell, manual page breaks
split long themes, and cells wrap by Calc's own line breaking.  Pages are read back from the PDF.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.pagebreak import Break

from .layout import chunk, columns, continues, runs, theme_rows, theme_title
from .soffice import render_built
from .spec import BSC_ORDER, Deck

THIN = Side(style="thin", color="444444")


def text_width(s: str, pt: float) -> float:
    """Approximate printed width in points: CJK and full-width forms one em, others about half."""
    return sum(pt if ord(ch) > 0x2E7F else pt * 0.55 for ch in s)


def lines_needed(text: str, width_units: float, pt: float) -> int:
    """Lines Calc will need for wrapped text in a column `width_units` wide (Excel width units)."""
    avail = max(pt, width_units * 5.6 - 6)
    return sum(max(1, -(-int(text_width(line, pt)) // int(avail))) for line in text.split("\n"))


def _border(rules: str) -> Border:
    if rules == "grid":
        return Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
    if rules in ("hrules", "zebra"):
        return Border(top=THIN, bottom=THIN)
    return Border()


def _setup(ws, fit: bool = True) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if fit:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: font, font_pt, repeat_header (print titles), max_rows (manual page break every N KPIs),
    rules, header_fill.  Returns the options used."""
    return render_built(build, deck, out_pdf, options)


def build(deck: Deck, folder: Path, options: dict | None = None) -> tuple[Path, dict]:
    """Save the workbook as `folder/<stem>.xlsx`; returns its path and the options used (see render)."""
    st = deck.style
    opts = dict(options or {})
    fam = opts.setdefault("font", st["font"])
    pt = float(opts.setdefault("font_pt", max(9, st["font_pt"] + 1)))
    repeat = opts.setdefault("repeat_header", True)
    rules = opts.setdefault("rules", st["rules"])
    max_rows = int(opts.setdefault("max_rows", st["max_rows"]))
    fill = PatternFill("solid", fgColor=opts.get("header_fill", "DDEBF7"))
    wb = Workbook()
    ws = wb.active
    ws.title = "封面"
    _setup(ws)
    ws.column_dimensions["A"].width = 100
    ws.row_dimensions[8].height = 50
    ws["A8"] = deck.org
    ws["A9"] = "策略地圖與平衡計分卡"
    for a in ("A8", "A9"):
        ws[a].font = Font(name=fam, size=28, bold=True)
        ws[a].alignment = Alignment(horizontal="center")
    ws = wb.create_sheet("轄區概況")
    _setup(ws)
    ws.column_dimensions["A"].width = 90
    ws["A1"] = "轄區概況"
    ws["A1"].font = Font(name=fam, size=20, bold=True)
    for i, line in enumerate(deck.profile_lines, 3):
        ws.cell(i, 1, line).font = Font(name=fam, size=14)
    ws = wb.create_sheet("策略地圖")
    _setup(ws)
    ws["A1"] = f"{deck.org}策略地圖"
    ws["A1"].font = Font(name=fam, size=18, bold=True)
    ws["F1"] = deck.map_date
    ws.column_dimensions["A"].width = 14
    for c in "BCDEF":
        ws.column_dimensions[c].width = 24
    r = 3
    for p in BSC_ORDER:
        objs = [o.shown for t in deck.themes for o in t.objectives if o.perspective == p]
        if not objs:
            continue
        ws.cell(r, 1, f"{p}構面").fill = PatternFill("solid", fgColor="1F4E79")
        ws.cell(r, 1).font = Font(name=fam, color="FFFFFF", bold=True)
        for j, o in enumerate(objs[:5], 2):
            c = ws.cell(r, j, o)
            c.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
            c.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            c.font = Font(name=fam, size=11)
        ws.row_dimensions[r].height = 36
        r += 2
    cols = columns(deck)
    for t in deck.themes:
        _theme_sheet(wb, deck, t, cols, fam, pt, repeat, rules, max_rows, fill)
    ws = wb.create_sheet("結語")
    _setup(ws)
    ws.column_dimensions["A"].width = 100
    ws["A10"] = "敬請指教"
    ws["A10"].font = Font(name=fam, size=36, bold=True)
    ws["A10"].alignment = Alignment(horizontal="center")
    src = Path(folder) / f"{deck.stem}.xlsx"
    wb.save(str(src))
    return src, opts


def _theme_sheet(wb, deck: Deck, t, cols, fam: str, pt: float, repeat: bool, rules: str, max_rows: int, fill) -> None:
    st = deck.style
    ws = wb.create_sheet(f"主題{t.letter}")
    _setup(ws)
    two = st["year_header"] == "two_row"
    n = len(cols)
    letters = [ws.cell(1, j + 1).column_letter for j in range(n)]
    for j, c in enumerate(cols):
        ws.column_dimensions[letters[j]].width = c.weight * 9
    ws.cell(1, 1, theme_title(deck, t)).font = Font(name=fam, size=pt + 5, bold=True, color="1F4E79")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    font = Font(name=fam, size=pt)
    bold = Font(name=fam, size=pt, bold=True)
    border = _border(rules)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    body_al = Alignment(
        horizontal=st["halign"], vertical="center" if st["valign"] == "middle" else "top", wrap_text=True
    )
    h0 = 2
    nh = 2 if two else 1
    for j, c in enumerate(cols, 1):
        if two and c.group:
            ws.cell(h0, j, c.group)
            ws.cell(h0 + 1, j, c.sub)
        else:
            ws.cell(h0, j, c.label)
            if two:
                ws.merge_cells(start_row=h0, start_column=j, end_row=h0 + 1, end_column=j)
    if two:
        j = 0
        while j < n:
            k = j
            while cols[j].group and k + 1 < n and cols[k + 1].group == cols[j].group:
                k += 1
            if k > j:
                ws.merge_cells(start_row=h0, start_column=j + 1, end_row=h0, end_column=k + 1)
            j = k + 1
    for rr in range(h0, h0 + nh):
        ws.row_dimensions[rr].height = max(lines_needed(c.label, c.weight * 9, pt) for c in cols) * pt * 1.4 + 4
        for j in range(1, n + 1):
            cell = ws.cell(rr, j)
            cell.font, cell.alignment, cell.border, cell.fill = bold, centre, border, fill
    if repeat:
        ws.print_title_rows = f"{h0}:{h0 + nh - 1}"
    ids = [c.id for c in cols]
    r0 = h0 + nh
    rows = theme_rows(deck, t)
    parts = chunk(rows, max_rows)
    prev: list = []
    for pi, part in enumerate(parts):
        if pi:
            ws.row_breaks.append(Break(id=r0 - 1))
        for i, r in enumerate(part):
            rr = r0 + i
            need = max(lines_needed(r.cells.get(c.id, ""), c.weight * 9, pt) for c in cols if c.id != "persp")
            ws.row_dimensions[rr].height = need * pt * 1.4 + 4
            if r.kind == "band":
                ws.cell(rr, 1, r.cells["band"]).font = bold
                ws.merge_cells(start_row=rr, start_column=1, end_row=rr, end_column=n)
                continue
            for j, c in enumerate(cols, 1):
                cell = ws.cell(rr, j)
                if c.id not in ("persp", "obj"):
                    cell.value = r.cells.get(c.id, "") or None
                cell.font, cell.alignment, cell.border = font, body_al, border
                if rules == "zebra" and i % 2:
                    cell.fill = PatternFill("solid", fgColor="EEF2F7")
        for key in ("persp", "obj"):
            if key not in ids:
                continue
            j = ids.index(key) + 1
            for start, cnt in runs(part, key):
                blank = start == 0 and st["blank_cont"] and continues(prev, part[start], key)
                cell = ws.cell(r0 + start, j, None if blank else part[start].cells[key])
                rot = key == "persp" and st["persp_mode"] in ("rotated", "stacked")
                cell.alignment = Alignment(
                    horizontal="center",
                    vertical="center",
                    wrap_text=True,
                    text_rotation=90 if rot and st["persp_mode"] == "rotated" else 0,
                )
                if rot and st["persp_mode"] == "stacked":
                    cell.alignment = Alignment(
                        horizontal="center", vertical="center", wrap_text=True, text_rotation=255
                    )
                if cnt > 1:
                    ws.merge_cells(start_row=r0 + start, start_column=j, end_row=r0 + start + cnt - 1, end_column=j)
        r0 += len(part)
        prev = part
