"""Gnumeric renderer: the r_xlsx workbook printed to PDF by Gnumeric (ssconvert, GTK/Pango and cairo).

Gnumeric has its own print engine: all sheets go to one PDF, fit-to-width, landscape A4, manual breaks and
rows to repeat are honoured once set in its own file format, but its xlsx import loses some of them
(see fix_import), so the workbook goes xlsx -> .gnumeric (fixed) -> PDF.  Rows are never auto-fitted and
wrapped lines below a row's height are not drawn at all (absent from the text layer, not clipped), so row
heights are set from the face's real advance widths; stacked (vertical) text is not printed, so 構面 labels
are stacked by hand; a merged cell cut by a page break is drawn again on the next page over the repeated
header, so a break is put before it instead.  Text layer: subset CID fonts from cairo, rotated labels one
run per wrapped line (read bottom-up, e.g. 客顧), DejaVu for text left in the default font.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections import Counter
from functools import cache
from importlib import metadata
from pathlib import Path

from . import fonts
from .layout import check, chunk, columns, find_pages, runs, theme_rows
from .r_xlsx import build
from .spec import Deck, fold

PT_PER_UNIT, PAD = 5.25, 7.0  # Gnumeric's points per Excel width unit; cell padding left+right


@cache
def _metrics(family: str) -> tuple[dict[int, float], float]:
    """(advance width in em by code point, line height in em) of a face, as Pango will use it."""
    from fontTools.ttLib import TTFont

    f = TTFont(fonts.face_file(family), lazy=True)
    upm, hhea, hmtx = f["head"].unitsPerEm, f["hhea"], f["hmtx"]
    return {cp: hmtx[g][0] / upm for cp, g in f.getBestCmap().items()}, (hhea.ascent - hhea.descent) / upm


def _lines(text: str, width: float, family: str, pt: float, slack: float) -> int:
    """Lines Pango needs for `text` in `width` points: ASCII words stay whole, other characters break."""
    adv, avail, total = _metrics(family)[0], max(pt, (width - PAD) / slack), 0
    for para in text.split("\n"):
        n, x = 1, 0.0
        for tok in re.findall(r"[!-~]+| |.", para):
            w = sum(adv.get(ord(c), 1.0) for c in tok) * pt
            if x + w > avail and x > 0:
                n, x = n + 1, 0.0
                if tok == " ":
                    continue
            while w > avail:  # a word longer than the line is broken anywhere
                n, w = n + 1, w - avail
            x += w
        total += n
    return total


def fit_rows(src: Path, family: str, slack: float, breaks: dict) -> Counter:
    """Grow rows so that Gnumeric draws every line of each cell, add breaks {sheet: {row}}; -> text printed."""
    from openpyxl import load_workbook
    from openpyxl.worksheet.pagebreak import Break

    wb, lh, chars = load_workbook(str(src)), _metrics(family)[1], Counter()
    for ws in wb.worksheets:
        widths = {i: d.width for d in ws.column_dimensions.values() for i in range(d.min, d.max + 1)}
        spans = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
        need: dict[int, float] = {}
        for cell in (c for row in ws.iter_rows() for c in row if c.value is not None):
            m = spans.get((cell.row, cell.column))
            c0, c1, r1 = (m.min_col, m.max_col, m.max_row) if m else (cell.column, cell.column, cell.row)
            width = sum(widths.get(c, 8.43) for c in range(c0, c1 + 1)) * PT_PER_UNIT
            pt, rot, text = cell.font.sz or 11, cell.alignment.text_rotation or 0, str(cell.value)
            chars.update("".join(fold(text).split()))
            if rot == 255:  # Gnumeric prints no stacked (vertical) text at all: stack it by hand
                cell.value, text, rot = "\n".join(text), "\n".join(text), 0
                cell.alignment = cell.alignment.copy(text_rotation=0)
            wrap = width if cell.alignment.wrap_text else 1e6
            h = max(len(s) for s in text.split("\n")) * pt * 1.05 * slack + PAD
            h = h if rot == 90 else _lines(text, wrap, family, pt, slack) * pt * lh + 4
            have = sum(need.get(r, ws.row_dimensions[r].height or 15) for r in range(cell.row, r1))
            need[r1] = max(need.get(r1, 0.0), h - have)  # a merged cell taller than its rows grows its last
        for r, h in need.items():
            ws.row_dimensions[r].height = round(max(h, ws.row_dimensions[r].height or 0), 1)
        ids = {b.id for b in ws.row_breaks.brk} | {r - 1 for r in breaks.get(ws.title, ())}
        ws.row_breaks.brk = [Break(id=i) for i in sorted(ids)]  # Gnumeric wants them in order
    wb.save(str(src))
    return chars


def fix_import(xml: str) -> str:
    """Undo what Gnumeric's xlsx import loses, as an author would in Page Setup: it reads rowBreaks as
    column breaks (the table then splits sideways and fit-to-width is void), keeps _xlnm.Print_Titles as
    a plain name instead of rows to repeat, drops horizontalCentered, and takes openpyxl's ARGB border
    colours (alpha 00) as fully transparent, so no rule would show."""
    out = []
    for part in re.split(r"(?=<gnm:Sheet )", xml):
        titles = re.search(r"<gnm:name>Print_Titles</gnm:name>\s*<gnm:value>[^<!]*!\$A(\$\d+):\$XFD(\$\d+)<", part)
        if titles:
            rows = f'<gnm:repeat_top value="{titles[1]}:{titles[2]}"/>'
            part = re.sub(r"(<gnm:titles value=\"\d\"/>)", r"\1" + rows, part, count=1)
        part = part.replace("gnm:vPageBreaks", "gnm:hPageBreaks").replace('hcenter value="0"', 'hcenter value="1"')
        out.append(re.sub(r'Color="(\w+:\w+:\w+):0"', r'Color="\1"', part))
    return "".join(out)


def straddling(deck: Deck, max_rows: int) -> dict[str, set[int]]:
    """{sheet: {row}}: the first sheet row of each merged 構面/objective cell that the PDF shows cut by
    an automatic page break (the break goes before a band row that heads it)."""
    merged = [k for k in ("persp", "obj") if k in [c.id for c in columns(deck)]]
    out: dict[str, set[int]] = {}
    for t in deck.themes:
        i0 = 3 + (deck.style["year_header"] == "two_row")
        for part in chunk(theme_rows(deck, t), max_rows):
            cut = set()
            for key in merged:
                for s, n in runs(part, key):
                    if s and len({r.kpi.page for r in part[s : s + n]}) > 1 and not any(a < s < b for a, b in cut):
                        cut.add((s - (part[s - 1].kind == "band"), s + n))
            out.setdefault(f"主題{t.letter}", set()).update(i0 + a for a, _ in cut)
            i0 += len(part)
    return {k: v for k, v in out.items() if v}


def _ssconvert(src: Path, dst: Path, export: str) -> None:
    subprocess.run(["ssconvert", "-T", export, str(src), str(dst)], check=True, capture_output=True, timeout=300)


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: those of r_xlsx.render, plus row_slack (safety factor on measured text widths).  The
    deck prints again while text is left out (rows grow) or a merged cell is cut by a page break."""
    import pymupdf

    opts, breaks = dict(options or {}), {}
    slack = float(opts.pop("row_slack", 1.08))
    for _ in range(5):
        with tempfile.TemporaryDirectory() as tmp:
            src, used = build(deck, Path(tmp), opts)
            chars = fit_rows(src, used["font"], slack, breaks)
            gnm = src.with_suffix(".gnumeric")  # the workbook as Gnumeric holds it, fixed, then printed
            _ssconvert(src, gnm, "Gnumeric_XmlIO:sax:0")
            gnm.write_text(fix_import(gnm.read_text(encoding="utf-8")), encoding="utf-8")
            _ssconvert(gnm, Path(out_pdf), "Gnumeric_pdf:pdf_assistant")
        find_pages(out_pdf, deck)
        used.update(row_slack=slack, page_breaks={k: sorted(v) for k, v in breaks.items()})
        used["problems"] = check(out_pdf, deck)
        lost = chars - Counter("".join(fold("".join(p.get_text() for p in pymupdf.open(str(out_pdf)))).split()))
        if lost:
            used["problems"].append(f"characters missing from the document: {''.join(sorted(lost.elements()))}")
            slack *= 1.15
        cut = straddling(deck, int(used["max_rows"]))
        if not lost and all(v <= breaks.get(k, set()) for k, v in cut.items()):
            break
        breaks = {k: breaks.get(k, set()) | cut.get(k, set()) for k in {*breaks, *cut}}
    return used


def tool_version(engine: str | None = None) -> str:
    out = subprocess.run(["ssconvert", "--version"], capture_output=True, text=True).stdout
    return f"Gnumeric {out.split(chr(39))[1]} (ssconvert, pdf_assistant); openpyxl {metadata.version('openpyxl')}"


def producer_options(rng, style: dict) -> dict:
    return {"repeat_header": rng.random() < 0.7, "row_slack": rng.choice([1.08, 1.08, 1.2])}
