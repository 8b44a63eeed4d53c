"""What a table's reading noticed that makes its deck untrustworthy: text that no row took,
text run across a column's edge or a drawn border, glyphs printed over each other, a last row
cut off at the page's foot. Each is an ERROR finding: the deck is held back."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Protocol

from pipeline.clean.text import squash
from pipeline.extract.continued import coded_runs, rest_of_last_row
from pipeline.extract.furniture import is_furniture
from pipeline.extract.geometry import Glyph, Line, glyph_text
from pipeline.extract.header_band import is_header_text
from pipeline.extract.header_roles import (
    classify_run,
    is_year_label,
    names_a_column,
    names_a_kind,
    names_a_year,
    names_numbering,
)
from pipeline.extract.labels import title_lines
from pipeline.extract.layout import Role, TableLayout, cell_glyphs
from pipeline.extract.overprint import overprint_pairs, pile_of, run_starts, runs_of
from pipeline.extract.rules import Rule
from pipeline.extract.table import Row, TableRows
from pipeline.extract.table_body import body_glyphs, furniture_runs
from pipeline.extract.tolerances import TOL
from pipeline.extract.unread_columns import (
    plan_codes_in_unread_columns,
    runs_across_borders,
    runs_across_cells,
    runs_across_fitted_edges,
    runs_into_unread_columns,
    set_apart_before_unread_columns,
)
from pipeline.model import Finding, Kpi, Severity


@dataclass(frozen=True)
class PageText:
    """What of a page the findings look at: its number and height, its glyphs (furniture taken
    out) and their lines, its drawn vertical rules, the horizontal rules a table draws, and the
    bare numbers taken out as the page's number."""

    number: int
    height: float
    glyphs: list[Glyph]
    lines: list[Line]
    vrules: list[Rule]
    drawn: list[Rule] = field(default_factory=list)
    page_numbers: list[Line] = field(default_factory=list)


class Region(Protocol):
    """The stretch of the page a table's body was read from."""

    top: float
    bottom: float
    continued: bool
    fitted: bool  # continued, its columns re-fitted to its own text: no header placed them


def table_findings(
    page: PageText,
    layout: TableLayout,
    region: Region,
    table: TableRows,
    rows: list[Row],
    last_kpi: Kpi | None,
    runs_on: bool,
    carried: tuple[str, ...] = (),
) -> list[Finding]:
    """The findings for one table read from `region` under `layout`: `rows` are its rows once
    the rest of the last table's row was taken off their top (`runs_on`: the table may begin
    with it), `last_kpi` the last KPI read so far, `carried` the lines of its body handed to the
    next page's first row (see continued.plans_at_the_foot), which it reports if it cannot take."""
    found: list[Finding] = []
    if runs_on and not rows:
        span = (region.top if region.continued else layout.body_top, region.bottom)
        unread = rest_of_last_row(page.glyphs, layout, span, last_kpi, page.height)
        unread += () if region.continued else _codes_in_header(page.lines, layout)
    elif not rows:
        unread = _codes_in_header(page.lines, layout) + _coded_lines(page.lines, layout, region.bottom)
    else:
        unread = table.unread + (() if region.continued else _codes_in_header(page.lines, layout))
    unread += tuple(row.objective_rest for row in rows if row.objective_rest)  # the end of no objective
    unread = tuple(run for run in unread if run not in carried)
    if unread:
        found.append(_error("unread_text", page, f"text in a table that no row took: {'／'.join(unread)[:60]}"))
    if cut := plan_codes_in_unread_columns(rows, layout):
        found.append(_error("unread_text", page, f"a plan code in a column that is not read: {'／'.join(cut)[:60]}"))
    if rows and layout.column(Role.PLANS) is None and any(c.role is Role.EXTRA for c in layout.columns):
        what = "no 行動方案 column, and a column that is not read: its text may be the plans, under a label not known"
        found.append(_error("unread_text", page, what))
    # The body's text, furniture aside: a note under the table ('資料來源：…') in the last row's reach
    # runs across the columns' edges, no cell's text. Only the nets below look at it.
    netted = region.fitted or any(c.role is Role.EXTRA for c in layout.columns)
    body = _body(page, layout, rows) if rows and netted else []
    if rows and (
        cut := runs_into_unread_columns(body, layout, rows[0].top, rows[-1].bottom, table.placed, page.vrules)
    ):
        what = f"text runs on across the edge of a column that is not read: {'、'.join(cut[:5])}"
        found.append(_error("unread_text", page, what))
    if rows and (cut := set_apart_before_unread_columns(page.glyphs, layout, rows[0].top, rows[-1].bottom)):
        what = f"another cell's text at the edge of a column that is not read: {'、'.join(cut[:5])}"
        found.append(_error("unread_text", page, what))
    if rows and (cut := runs_across_borders(page.glyphs, layout, page.vrules, rows[0].top, rows[-1].bottom)):
        found.append(_error("unread_text", page, f"text runs on across a drawn cell border: {'、'.join(cut[:5])}"))
    if table.split_numbers:
        found.append(
            _error("unread_text", page, f"a number cut by a column edge: {'、'.join(table.split_numbers[:5])}")
        )
    if (
        rows
        and region.fitted
        and (cut := runs_across_fitted_edges(body, layout, rows[0].top, rows[-1].bottom, page.vrules))
    ):
        what = f"text runs on across a column edge fitted to a page without a header: {'、'.join(cut[:5])}"
        found.append(_error("unread_text", page, what))
    elif rows and (
        cut := runs_across_cells(page.glyphs, layout, rows[0].top, rows[-1].bottom, table.placed, page.vrules)
    ):
        what = f"a cell's line runs on into the next cell's text: {'、'.join(cut[:5])}"
        found.append(_error("unread_text", page, what))
    if not region.continued and (pairs := _overprinted_header(page.glyphs, layout)):
        what = f"the header is printed over a row's text ({'、'.join(pairs[:5])})"
        found.append(_error("overprinted_text", page, what))
    if table.overprinted:
        pairs = "、".join(table.overprinted[:5])
        found.append(_error("overprinted_text", page, f"{len(table.overprinted)} glyphs printed over others ({pairs})"))
    if taken := _page_numbers_in_blank_values(page.page_numbers, layout, rows):
        what = f"a number in a blank value cell was taken for the page's number: {'、'.join(taken[:5])}"
        found.append(_error("unread_text", page, what))
    if rows and _cut_off_at_foot(page, layout, region.top):
        what = "the last row's text reaches the foot of the page or of its frame: the rest of it is cut off"
        found.append(_error("unread_text", page, what))
    if cut := _slivers_in_shown_cells(page.glyphs, layout, rows):
        what = f"a cell took in text the page shows only a sliver of: {'、'.join(cut[:5])}"
        found.append(_error("unread_text", page, what))
    return found


def _error(check: str, page: PageText, what: str) -> Finding:
    """An ERROR finding of `check` on the page: the deck cannot be trusted. Text in a table that
    no row took is a row whose code was not read, the rest of a row split over two pages, or
    header text misread."""
    return Finding(check, Severity.ERROR, f"page {page.number}: {what}")


def _page_numbers_in_blank_values(numbers: list[Line], layout: TableLayout, rows: list[Row]) -> tuple[str, ...]:
    """Page numbers standing in a row's value cell that was read blank: the number may be the
    cell's value, counted on by chance by the next page's value at the same spot ('12' then
    '13'), and a blank read where a value was printed is a wrong record."""
    values = [c for c in layout.columns if c.role in (Role.ACTUAL, Role.TARGET)]
    return tuple(
        f"{run.text} ({column.role} {column.year})"
        for run in numbers
        for row in rows
        if row.top <= run.centre <= row.bottom
        for column in values
        if column.x0 <= (run.x0 + run.x1) / 2 <= column.x1 and not "".join(row.cells.get(column, [])).strip()
    )


def _body(page: PageText, layout: TableLayout, rows: list[Row]) -> list[Glyph]:
    """The text a table's body was read from: furniture and what lies under the table's last rule
    are no cell's (a two-up page's upper slide's footer under its table, a note on the table's
    sources under its last row)."""
    return body_glyphs(page.glyphs, layout, rows[0].top, rows[-1].bottom, page.drawn, page.height, page.vrules)


def _overprinted_header(glyphs: list[Glyph], layout: TableLayout) -> tuple[str, ...]:
    """Pairs of glyphs printed over each other in a table's header band (by a fifth of a letter or
    more: the lines of a label never are): a header row too short for its wrapped labels, drawn
    over the first row's text, whose first line the header then holds (a value '1,406,19' / '6'
    would be read as 6). Letters drawn one after the other on one spot are a label a tool piled
    up (vertical text it could not lay out), poking into the band, not two texts; nor are two
    of the header's labels drawn over each other (calibre sets a repeated two-row header's year
    row over its kinds' row, '109年' over '實際值'; PDFKit runs a narrow cell's '序號' on over
    the next cell's stacked '構' / '面'): no row's text is under them."""
    band = [
        g
        for g in glyphs
        if layout.header_top <= g.cy < layout.body_top
        and layout.x0 <= g.cx <= layout.x1
        and not g.rotated
        and g not in layout.raised
    ]
    if not (pairs := overprint_pairs(band, TOL.collide_share)):
        return ()
    piles, labels = pile_of(band), _header_labels(band, layout)
    return tuple(
        a.text + b.text
        for a, b in pairs
        if (id(a) not in piles or piles[id(a)] != piles.get(id(b))) and not (id(a) in labels and id(b) in labels)
    )


def _header_labels(band: list[Glyph], layout: TableLayout) -> set[int]:
    """The ids of the glyphs of `band` drawn in runs (see run_starts; a stacked label's letters
    one run) that are a header's label whole: a column's name ('構面', '實際值'), a numbering
    column's ('序號'), a year column's kind. A label naming a year must name one of the table's
    year columns: a year it has no column for ('30年') is a row's text, however it is worded."""
    years = {c.year for c in layout.columns if c.year is not None}
    drawn = sorted((g for g in band if g.seq >= 0), key=attrgetter("seq"))
    labelled = set()
    for run in runs_of(drawn, run_starts(drawn, layout.column_at)):
        line = Line(tuple(run))
        text = squash(line.text)
        if names_a_year(text):
            label = classify_run(line) if is_year_label(text) or names_a_column(text) else None
            if label is None or label.year not in years:
                continue
        elif not (names_a_column(text) or names_numbering(text) or (names_a_kind(text) and is_header_text(line))):
            continue
        labelled.update(id(g) for g in run)
    return labelled


def _cut_off_at_foot(page: PageText, layout: TableLayout, top: float) -> bool:
    """True when a table's lowest text ends right at the page's foot, or at the foot of the clip
    it is drawn in, and nothing lies below it: the cell ran on off the slide, and the file
    (re-printed by a tool that drops what the page does not show) holds only the part shown; a
    slide printed two to a sheet ends at its frame, the clip of each cell run past it. Text
    that goes on past the foot is read whole. A theme title is no cell's text (Flying Saucer
    prints a running title at every page's foot), nor is a footer (Syncfusion's '第 4 頁' ends a
    point above the page's edge). Nor is text whose cell's border is drawn under it, less than a
    line lower (past the foot, in a file that keeps what the page does not show): no more of it
    fits in the cell."""
    slack = TOL.box_slack_pt
    table = [g for g in page.glyphs if g.cy >= top and layout.x0 <= g.cx <= layout.x1]
    feet = [g for g in table if _at_cell_clip_foot(g, layout, slack)]
    if not feet and not any(g.bottom >= page.height - slack for g in table):
        return False  # the common case, told without looking for titles
    titled = {id(g) for title in title_lines(page.lines) for g in title.glyphs}
    footers = {id(g) for run in _worded_footers(page) for g in run.glyphs}
    table = [g for g in table if id(g) not in titled and id(g) not in footers]
    if not table or (lowest := max(g.bottom for g in table)) > page.height + slack:
        return False
    cut = [g for g in table if g.bottom >= page.height - slack]
    # A tool that clips each cell's text to a cell just tall enough for it ends the tallest text
    # of each row at its clip's foot; a frame ends the lowest line only, of every cell it cuts.
    feet = [g for g in feet if id(g) not in titled and id(g) not in footers]
    if all(g.bottom >= lowest - slack for g in feet) and len({layout.column_at(g) for g in feet}) >= 2:
        cut += feet
    return bool(cut) and not all(_border_right_under(g, page.drawn) for g in cut)


def _at_cell_clip_foot(glyph: Glyph, layout: TableLayout, slack: float) -> bool:
    """True when `glyph` ends at the foot of the clip it is drawn in, uncut (see Glyph.clip), and
    that clip is a cell's, within one column: not a page's content area, whose foot a page
    number may stand at."""
    clip = glyph.clip
    if clip is None or abs(glyph.bottom - clip[3]) > slack:
        return False
    return any(c.x0 - slack <= clip[0] and clip[1] <= c.x1 + slack for c in layout.columns)


def _slivers_in_shown_cells(glyphs: list[Glyph], layout: TableLayout, rows: list[Row]) -> tuple[str, ...]:
    """The text of each row's cell that the page shows only a sliver of (see _shows_a_sliver), in
    a cell that shows other text: a line cut through by a page's or a frame's edge, kept by a
    re-print that clips each glyph to the part of it shown (pdftocairo re-printing a browser's
    sheet of two pages, the first cut through a row the second prints whole), read on into the
    row above it. No reader can tell what the cell holds. Labels spanning rows (構面, 策略目標)
    are left out: a spreadsheet draws a merged label a page break parts on both pages, clipped
    to each page's part, and reads whole however its letters are cut."""
    if not (slivers := [g for g in glyphs if _shows_a_sliver(g)]):
        return ()  # most pages: no cell is looked at
    shown = [g for g in glyphs if not g.hidden and not g.text.isspace()]
    found = []
    for row in rows:
        for column in layout.columns:
            if column.role in (Role.PERSPECTIVE, Role.OBJECTIVE):
                continue
            cut = cell_glyphs(slivers, column, row.top, row.bottom)
            if cut and cell_glyphs(shown, column, row.top, row.bottom):
                found.append(glyph_text(sorted(cut, key=attrgetter("top", "x0"))))
    return tuple(found)


def _shows_a_sliver(glyph: Glyph) -> bool:
    """True when the clip `glyph` is drawn in is its own, no wider than two of it, and hides its
    middle, showing of it only its top or its foot, less than `TOL.sliver_share` of its height,
    all the way across: cairo clips each glyph it draws cut to the part the page showed. A
    cell's clip cutting the line its text runs on past the cell's foot (ActiveReportsJS) holds
    that text, read as the cell's (see clipping)."""
    clip = glyph.clip
    if clip is None or not glyph.hidden or not clip[0] <= glyph.cx <= clip[1]:
        return False
    if clip[1] - clip[0] >= 2 * (glyph.x1 - glyph.x0):
        return False
    shown = min(glyph.bottom, clip[3]) - max(glyph.top, clip[2])
    return 0 < shown < TOL.sliver_share * (glyph.bottom - glyph.top)


def _border_right_under(glyph: Glyph, drawn: list[Rule]) -> bool:
    """True when a drawn rule runs under `glyph` less than a line below it, or through its foot:
    its cell's border."""
    low = glyph.bottom - TOL.box_slack_pt
    if glyph.clip is not None:
        low = min(low, glyph.clip[3] - TOL.box_slack_pt)  # drawn at the foot of the cell it is clipped to
    return any(r.start <= glyph.cx <= r.end and low <= r.pos < glyph.bottom + glyph.size for r in drawn)


def _worded_footers(page: PageText) -> list[Line]:
    """The furniture of the lines at the page's foot that name themselves so ('第 4 頁', a footer
    with its page number): a bare number there may be a cut-off row's value."""
    slack = TOL.box_slack_pt
    found = []
    for line in page.lines:
        if line.bottom >= page.height - slack:
            runs = furniture_runs(line, page.height, page.vrules)
            found += runs if any(is_furniture(run.text) for run in runs) else []
    return found


def _coded_lines(lines: list[Line], layout: TableLayout, bottom: float) -> tuple[str, ...]:
    """Runs beginning with a code in a table's body, for a table under a header where no row was
    read: its KPIs are there, but no column the layout found holds their codes."""
    return coded_runs(ln for ln in lines if layout.body_top <= ln.centre < bottom and layout.x0 <= ln.x0 <= layout.x1)


def _codes_in_header(lines: list[Line], layout: TableLayout) -> tuple[str, ...]:
    """Runs in a table's header band that begin with a code: a header names columns and holds no
    code, so these are a data row the header took in (read by no cell)."""
    return coded_runs(ln for ln in lines if layout.header_top <= ln.centre < layout.body_top)
