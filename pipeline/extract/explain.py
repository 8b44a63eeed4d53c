"""Show what the parser saw: each table page drawn with its header, columns, rows and cells
outlined and labelled by role, a plain-text listing of the records read from it, and the deck's
findings (what would hold it back from the warehouse, and why).

This is how a person checks a deck the pipeline flagged, and how a parser change is debugged:
look at the page before touching a threshold.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from pipeline.extract.layout import Role
from pipeline.extract.notes_pages import SlideFrame
from pipeline.extract.page_reading import PageReading, TableReading
from pipeline.extract.parse import RejectedDeck, parse_pdf
from pipeline.model import Kpi, ParsedDeck

ROLE_COLOURS = {
    Role.PERSPECTIVE: (128, 0, 160),
    Role.OBJECTIVE: (0, 70, 200),
    Role.KPI: (0, 140, 60),
    Role.ACTUAL: (230, 120, 0),
    Role.TARGET: (210, 0, 0),
    Role.PLANS: (0, 150, 150),
    Role.EXTRA: (120, 120, 120),
}
HEADER_FILL = (255, 220, 0, 60)
ROW_COLOUR = (40, 40, 40)


def _draw_table(draw: ImageDraw.ImageDraw, table: TableReading, scale: float) -> None:
    def box(x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        return (x0 * scale, top * scale, x1 * scale, bottom * scale)

    layout = table.layout
    draw.rectangle(box(layout.x0, layout.header_top, layout.x1, layout.body_top), fill=HEADER_FILL)
    for column in layout.columns:
        colour = ROLE_COLOURS[column.role]
        draw.rectangle(box(column.x0, layout.header_top, column.x1, table.bottom), outline=colour, width=2)
        label = column.role.value + (f" {column.year}" if column.year else "")
        draw.text((column.x0 * scale + 3, layout.header_top * scale + 2), label, fill=colour)
    for n, row in enumerate(table.rows, start=1):
        draw.line(box(layout.x0, row.top, layout.x1, row.top), fill=ROW_COLOUR, width=1)
        draw.line(box(layout.x0, row.bottom, layout.x1, row.bottom), fill=ROW_COLOUR, width=1)
        for column, lines in row.cells.items():
            if any(line.strip() for line in lines):
                colour = ROLE_COLOURS[column.role]
                draw.rectangle(box(column.x0 + 1, row.top + 1, column.x1 - 1, row.bottom - 1), outline=colour)
        draw.text((max(layout.x0 * scale - 22, 0), row.top * scale + 2), f"r{n}", fill=ROW_COLOUR)


def _listing(reading: PageReading) -> str:
    out = [f"page {reading.number} ({reading.width:.0f} x {reading.height:.0f} pt)"]
    for t, table in enumerate(reading.tables, start=1):
        columns = ", ".join(
            f"{c.role.value}{' ' + str(c.year) if c.year else ''} [{c.x0:.0f}-{c.x1:.0f}]" for c in table.layout.columns
        )
        if table.continued:
            head = "continues the table before, without a header of its own (its columns fitted to its text)"
        else:
            head = f"header {table.layout.header_top:.0f}-{table.layout.body_top:.0f}"
        out.append(f"table {t}: {head}, rows {table.top:.0f}-{table.bottom:.0f}")
        out.append(f"  columns: {columns}")
        for n, (row, kpi) in enumerate(zip(table.rows, table.kpis), start=1):
            out.append(f"  r{n} [{row.top:.0f}-{row.bottom:.0f}] " + _kpi_text(kpi))
    return "\n".join(out) + "\n"


def _kpi_text(kpi: Kpi) -> str:
    lines = [
        f"{kpi.kpi_code} {kpi.kpi_name}",
        f"      theme ({kpi.theme_code}) {kpi.theme_name} | perspective {kpi.perspective} | "
        f"objective {kpi.objective_code} {kpi.objective_name}",
    ]
    for v in kpi.values:
        cell = v.cell
        lines.append(
            f"      {v.kind.value} {v.year}: {cell.raw_text!r} -> {cell.value} {cell.unit or ''} "
            f"{cell.comparator or ''} [{cell.status.value}] {cell.note or ''}".rstrip()
        )
    lines += [f"      plan {p.code or '-'} {p.name}" for p in kpi.action_plans]
    return "\n".join(lines)


def _findings(deck: ParsedDeck) -> str:
    if not deck.findings:
        return f"{deck.source_file}: no findings (it reads as a well-formed deck)\n"
    held = " (an ERROR: the load quarantines it)" if deck.errors else ""
    lines = [f"{deck.source_file}: {len(deck.findings)} finding(s){held}"]
    lines += [f"  {f.severity.value} {f.check}: {f.detail}" for f in deck.findings]
    return "\n".join(lines) + "\n"


def _framed(image: Image.Image, frame: SlideFrame, drawn_dpi: float, dpi: float) -> Image.Image:
    """The part of a page's `image` (drawn at `drawn_dpi` pixels a point) in `frame`, at `dpi`
    pixels a point of the size the page in it is read at."""
    image = image.crop(tuple(round(v * drawn_dpi) for v in (frame.x0, frame.top, frame.x1, frame.bottom)))
    k = frame.scale * dpi
    return image.resize((round((frame.x1 - frame.x0) * k), round((frame.bottom - frame.top) * k)))


def explain_pdf(path: Path, out_dir: Path, pages: set[int] | None = None, resolution: int = 110) -> list[Path]:
    """Write `page-N.png` and `page-N.txt` for every page holding a KPI table or its header (or
    for each page in `pages`), and `findings.txt`; returns the files written. A deck the parser rejects is still
    drawn as far as it was read, and `rejected.txt` says why."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def draw(page, reading: PageReading) -> None:
        # A header with no row under it is drawn too: a header that took in the rows is a
        # reading to look at. A page asked for by number is drawn whatever was found on it.
        tables = [t for t in reading.tables if t.rows or not t.continued]
        if (pages and reading.number not in pages) or not (tables or pages):
            return
        dpi = resolution / 72
        sharp = reading.part.scale if reading.part else 1.0  # a sheet's page is drawn as large as it is read
        image = page.to_image(resolution=resolution * sharp).original.convert("RGB")
        if part := reading.part:  # one of the pages a sheet prints, at the size it was read
            image = _framed(image, part, dpi * sharp, dpi)
        if reading.turn:  # a page printed sideways is drawn in the frame it was read in
            image = image.rotate(-reading.turn, expand=True)
        if frame := reading.frame:  # a notes page: the slide it frames, at the size it was read
            image = _framed(image, frame, dpi, dpi)
        overlay = ImageDraw.Draw(image, "RGBA")
        for table in tables:
            _draw_table(overlay, table, resolution / 72)
        png = out_dir / f"page-{reading.number}.png"
        image.save(png)
        txt = out_dir / f"page-{reading.number}.txt"
        txt.write_text(_listing(reading), encoding="utf-8")
        written.extend([png, txt])

    try:
        deck = parse_pdf(path, on_page=draw)
    except RejectedDeck as exc:
        (out_dir / "rejected.txt").write_text(f"{path.name}: {exc}\n", encoding="utf-8")
        written.append(out_dir / "rejected.txt")
        return written
    (out_dir / "findings.txt").write_text(_findings(deck), encoding="utf-8")
    written.append(out_dir / "findings.txt")
    return written
