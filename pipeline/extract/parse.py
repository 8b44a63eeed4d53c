"""Parse one PDF deck into a `ParsedDeck`: pages → table layouts → rows → cleaned KPI records."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.clean.codes import code_depth, split_code_lines, split_plans
from pipeline.clean.text import join_wrapped, squash
from pipeline.clean.values import parse_value
from pipeline.extract.columns import place_columns
from pipeline.extract.continued import (
    coded_runs,
    end_of_last_row,
    first_rule_under_blank,
    may_continue,
    rest_of_last_row,
)
from pipeline.extract.deck_fields import find_map_date, find_org, is_strategy_map, map_slide_lines, org_from_map_title
from pipeline.extract.embedded_cmaps import read_embedded_encodings
from pipeline.extract.furniture import FooterKey, Spot, counted_numbers, page_numbers_among_cells, running_footers
from pipeline.extract.geometry import Glyph, Line, drop_oversized, group_lines, page_geometry
from pipeline.extract.header import HeaderKey, find_layouts
from pipeline.extract.labels import PERSPECTIVES, perspective_name, theme_of, title_lines
from pipeline.extract.layout import Role, TableLayout
from pipeline.extract.overprint import overprint_pairs, pile_of
from pipeline.extract.pdf_dates import pdf_dates
from pipeline.extract.plausibility import check_deck
from pipeline.extract.scheme import fill_unread_perspectives
from pipeline.extract.sideways import read_upright
from pipeline.extract.table import Row, read_rows
from pipeline.extract.text_layer import unmapped_chars, unreadable_reason
from pipeline.extract.tolerances import TOL
from pipeline.extract.unread_columns import (
    plan_codes_in_unread_columns,
    runs_across_borders,
    runs_into_unread_columns,
)
from pipeline.identity import sha256_of
from pipeline.model import ActionPlan, Finding, Kpi, ParsedDeck, Severity, ValueKind, YearValue

_GC_THRESHOLD = 50_000  # allocations between young-generation collections while a deck is read (default 700)
_OUT_OF_MEMORY = "page {} needs more memory than a deck may use (a compression bomb or a damaged file)"


class RejectedDeck(Exception):
    """The file is not a readable scorecard deck; the message says why, for a person."""


@dataclass
class _Context:
    """What carries from one table (or page) to the next: a theme continued, a 構面 block continued."""

    theme_code: str | None = None
    theme_name: str | None = None
    perspective: str | None = None
    objective: str | None = None
    layout: TableLayout | None = None
    last_kpi: Kpi | None = None  # the row a table continued on the next page may still be in
    page_number_spots: list[Spot] = field(default_factory=list)  # where the deck prints page numbers
    number_counts: dict[Spot, list[tuple[int, int]]] = field(default_factory=dict)  # see counted_numbers
    footers_seen: dict[FooterKey, int] = field(default_factory=dict)  # see running_footers
    headers_seen: dict[HeaderKey, TableLayout] = field(default_factory=dict)  # see find_layouts
    findings: list[Finding] = field(default_factory=list)  # what the reading itself noticed
    titled: dict[tuple[str | None, str | None], int] = field(default_factory=dict)  # theme title -> its first page
    parted_header: list[Line] = field(default_factory=list)  # a header's label row at a page's foot (find_layouts)
    label_piece: _LabelPiece | None = None  # a 構面 label read in part, and the KPIs given it (see _perspective)


@dataclass
class _LabelPiece:
    text: str
    page: int
    kpis: list[Kpi] = field(default_factory=list)


def _unread_text(page_number: int, lines: tuple[str, ...]) -> Finding:
    """Text in a table above its first KPI row (or in a table where no row was read) belongs to
    no row: a row whose code was not read, the rest of a row split over two pages, or header text
    misread. The deck cannot be trusted."""
    sample = "／".join(lines)[:60]
    return Finding("unread_text", Severity.ERROR, f"page {page_number}: text in a table that no row took: {sample}")


def _overprinted_header(glyphs: list[Glyph], layout: TableLayout) -> tuple[str, ...]:
    """Pairs of glyphs printed over each other in a table's header band (by a fifth of a letter or
    more: the lines of a label never are): a header row too short for its wrapped labels, drawn
    over the first row's text, whose first line the header then holds (a value '1,406,19' / '6'
    would be read as 6). Letters drawn one after the other on one spot are a label a tool piled
    up (vertical text it could not lay out), poking into the band, not two texts."""
    band = [
        g
        for g in glyphs
        if layout.header_top <= g.cy < layout.body_top
        and layout.x0 <= g.cx <= layout.x1
        and not g.rotated
        and g not in layout.raised
    ]
    piles = pile_of(band)
    pairs = overprint_pairs(band, TOL.collide_share)
    return tuple(a.text + b.text for a, b in pairs if id(a) not in piles or piles[id(a)] != piles.get(id(b)))


def _cut_at_page_foot(glyphs: list[Glyph], layout: TableLayout, top: float, page_height: float) -> bool:
    """True when a table's lowest text ends right at the page's foot and nothing lies below it:
    the cell ran on off the slide, and the file (re-printed by a tool that drops what the page
    does not show) holds only the part shown. Text that goes on past the foot is read whole."""
    lowest = max((g.bottom for g in glyphs if g.cy >= top and layout.x0 <= g.cx <= layout.x1), default=0.0)
    return page_height - TOL.box_slack_pt <= lowest <= page_height + TOL.box_slack_pt


def _coded_lines(lines: list[Line], layout: TableLayout, bottom: float) -> tuple[str, ...]:
    """Runs beginning with a code in a table's body, for a table under a header where no row was
    read: its KPIs are there, but no column the layout found holds their codes."""
    return coded_runs(ln for ln in lines if layout.body_top <= ln.centre < bottom and layout.x0 <= ln.x0 <= layout.x1)


def _codes_in_header(lines: list[Line], layout: TableLayout) -> tuple[str, ...]:
    """Runs in a table's header band that begin with a code: a header names columns and holds no
    code, so these are a data row the header took in (read by no cell)."""
    return coded_runs(ln for ln in lines if layout.header_top <= ln.centre < layout.body_top)


def _perspective(label: str | None, ctx: _Context, page_number: int) -> None:
    """Carry the row's 構面 label into ctx. A label that is no perspective, read at the top of a
    page right after one read in part at the foot of the page before, is that label's rest: a
    label stacked in a cell broken over the page break ('學習成' / '長構面'). Both pieces' KPIs
    get the whole name. A piece that already names its perspective ('顧客構') leaves the rest
    ('面') to name nothing new: the rows under it go on in that perspective."""
    name = perspective_name(label) if label else None
    if not name:
        return
    piece = ctx.label_piece
    if name not in PERSPECTIVES and piece is not None and piece.page < page_number:
        joined = perspective_name(piece.text + label)
        if joined in PERSPECTIVES:
            for kpi in piece.kpis:
                kpi.perspective = joined
            name = joined
    last = ctx.last_kpi
    carried_on = last is not None and last.page < page_number and ctx.perspective in PERSPECTIVES
    if name not in PERSPECTIVES and carried_on and f"{ctx.perspective}構面".endswith(squash(label)):
        name = ctx.perspective
    ctx.perspective = name
    ctx.label_piece = None if name in PERSPECTIVES else _LabelPiece(label, page_number)


def _kpi(row: Row, layout: TableLayout, ctx: _Context, page_number: int) -> Kpi:
    kpi_code, kpi_name = split_code_lines(row.cells[layout.column(Role.KPI)], join_wrapped)
    _perspective(row.perspective, ctx, page_number)
    if row.objective:
        ctx.objective = row.objective
    objective_code, objective_name = split_code_lines((ctx.objective or "").split("\n"), join_wrapped)
    values = [
        YearValue(col.year, ValueKind(col.role.value), parse_value("\n".join(lines)))
        for col, lines in row.cells.items()
        if col.role in (Role.ACTUAL, Role.TARGET) and col.year is not None
    ]
    plans_column = layout.column(Role.PLANS)
    plans_text = join_wrapped(row.cells[plans_column]) if plans_column else ""
    depth = code_depth(kpi_code) + 1 if kpi_code else 3
    plans = [ActionPlan(code, name) for code, name in split_plans(plans_text, depth)] if plans_text else []
    kpi = Kpi(
        theme_code=ctx.theme_code,
        theme_name=ctx.theme_name,
        perspective=ctx.perspective,
        objective_code=objective_code,
        objective_name=objective_name or None,
        kpi_code=kpi_code,
        kpi_name=kpi_name,
        page=page_number,
        values=sorted(values, key=lambda v: (v.year, v.kind)),
        action_plans=plans,
    )
    if ctx.label_piece is not None and ctx.label_piece.page == page_number:
        ctx.label_piece.kpis.append(kpi)
    return kpi


@dataclass(frozen=True)
class TableReading:
    """One table as the parser saw it: its layout, the body region, the rows cut, the KPIs read."""

    layout: TableLayout
    top: float
    bottom: float
    rows: list[Row]
    kpis: list[Kpi]
    continued: bool = False  # a table run on from the page before, without a header here


@dataclass(frozen=True)
class PageReading:
    """One page as the parser saw it (what `scorecards explain` draws), and its text lines."""

    number: int
    width: float
    height: float
    tables: list[TableReading]
    lines: list[Line]
    turn: int = 0  # the quarter turn clockwise (90, 270) that took the page as printed into this frame

    @property
    def kpis(self) -> list[Kpi]:
        return [k for t in self.tables for k in t.kpis]


@dataclass(frozen=True)
class _Region:
    """A stretch of a page read as table body: with its own header's layout, or continuing the
    table of the page before (`continued`: columns re-fitted to this page's text)."""

    layout: TableLayout
    top: float
    bottom: float
    continued: bool


def _page_plan(
    titles: list[Line], layouts: list[TableLayout], carried: TableLayout | None, page_end: float
) -> list[Line | _Region]:
    """What a page holds, top to bottom: theme titles, and table bodies under a header or
    continuing the table before. A body without a header continues `carried` (the table that
    ran on from the page before, or whose header stood alone at the foot of that page) from the
    page's top, or from under a title, down to the next title or header."""
    events = sorted([*titles, *layouts], key=lambda e: e.top if isinstance(e, Line) else e.header_top)
    plan: list[Line | _Region] = []
    cursor, current = 0.0, carried
    for i, event in enumerate([*events, None]):
        nxt = page_end if event is None else event.top if isinstance(event, Line) else event.header_top
        if current is not None and nxt > cursor and not (i and isinstance(events[i - 1], TableLayout)):
            plan.append(_Region(current, cursor, nxt, continued=True))
        if event is None:
            break
        if isinstance(event, Line):
            plan.append(event)
            cursor = event.bottom
        else:
            following = events[i + 1] if i + 1 < len(events) else None
            end = (
                page_end
                if following is None
                else (following.top if isinstance(following, Line) else following.header_top)
            )
            plan.append(_Region(event, event.body_top, end, continued=False))
            cursor, current = end, event
    return plan


def read_page(page, ctx: _Context, page_number: int) -> PageReading:
    """Every table on one page, in reading order (see _page_plan)."""
    geometry, turn = read_upright(page_geometry(page))
    rules, page_width, page_height = geometry.rules, geometry.width, geometry.height
    # Tables are read without oversized stamps; the slide's own text (titles) keeps everything.
    glyphs = drop_oversized(geometry.glyphs)
    all_lines = group_lines(geometry.glyphs)
    # Page numbers and running footers printed among the cells are no cell's text.
    furniture = page_numbers_among_cells(all_lines, page_number, page_height, ctx.page_number_spots)
    furniture += counted_numbers(all_lines, page_number, ctx.number_counts)
    furniture += running_footers(all_lines, page_height, ctx.footers_seen)
    if furniture:
        printed = {id(g) for run in furniture for g in run.glyphs}
        glyphs = [g for g in glyphs if id(g) not in printed]
    lines = all_lines if len(glyphs) == len(geometry.glyphs) else group_lines(glyphs)
    titles = title_lines(all_lines)
    hv_rules = (rules.horizontal, rules.vertical)
    layouts = find_layouts(
        lines, glyphs, hv_rules, page_width, [t.top for t in titles], ctx.headers_seen, ctx.parted_header
    )
    tables: list[TableReading] = []
    # A table overflowing its slide runs on below the page's edge: cut off when shown, but its
    # text is the cell's own (a plan's last words), so the last table reaches its lowest glyph.
    page_end = max([page_height, *(g.bottom for g in glyphs)])
    titled = False  # a theme title since the last table (or the page's top): the next table starts afresh
    for step in _page_plan(titles, layouts, ctx.layout, page_end):
        if isinstance(step, Line):
            titled = True
            code, name = theme_of(step)
            ctx.titled.setdefault((code, name), page_number)
            if code != ctx.theme_code or name != ctx.theme_name:
                ctx.perspective = ctx.objective = ctx.label_piece = None
            ctx.theme_code, ctx.theme_name = code, name
            continue
        layout = step.layout
        if step.continued and not may_continue(glyphs, lines, step.top, step.bottom):
            tables.append(TableReading(layout, step.top, step.bottom, [], [], continued=True))
            continue
        top = step.top
        if step.continued:
            top = first_rule_under_blank(glyphs, rules.horizontal, layout, step.top, step.bottom)
            columns = place_columns(
                list(layout.columns), glyphs, rules.vertical, (top, top), page_width, step.bottom, continued=True
            )
            layout = replace(
                layout,
                columns=columns,
                header_top=top,
                body_top=top,
                label_ends=frozenset(),
                opening_band=None,
                raised=frozenset(),
            )
        table = read_rows(glyphs, layout, rules, top, step.bottom, page_height)
        # A table continued from the table before, under a repeated header or none and with no
        # title between them, may begin with the rest of that table's last row (a row broken
        # across pages; on a handout page, across the two slides printed on it).
        runs_on = step.continued or not titled
        titled = False
        rows = end_of_last_row(table.rows, layout, ctx.last_kpi) if runs_on else table.rows
        kpis = [_kpi(row, layout, ctx, page_number) for row in rows]
        ctx.last_kpi = kpis[-1] if kpis else ctx.last_kpi
        if table.carried_perspective:
            ctx.perspective = perspective_name(table.carried_perspective)
        if runs_on and not rows:
            span = (step.top if step.continued else layout.body_top, step.bottom)
            unread = rest_of_last_row(glyphs, layout, span, ctx.last_kpi, page_height)
            unread += () if step.continued else _codes_in_header(lines, layout)
        elif not rows:
            unread = _codes_in_header(lines, layout) + _coded_lines(lines, layout, step.bottom)
        else:
            unread = table.unread + (() if step.continued else _codes_in_header(lines, layout))
        unread += tuple(row.objective_rest for row in rows if row.objective_rest)  # the end of no objective
        if unread:
            ctx.findings.append(_unread_text(page_number, unread))
        if cut := plan_codes_in_unread_columns(rows, layout):
            detail = f"page {page_number}: a plan code in a column that is not read: {'／'.join(cut)[:60]}"
            ctx.findings.append(Finding("unread_text", Severity.ERROR, detail))
        if rows and (cut := runs_into_unread_columns(glyphs, layout, rows[0].top, rows[-1].bottom)):
            detail = (
                f"page {page_number}: text runs on across the edge of a column that is not read: {'、'.join(cut[:5])}"
            )
            ctx.findings.append(Finding("unread_text", Severity.ERROR, detail))
        if rows and (cut := runs_across_borders(glyphs, layout, rules.vertical, rows[0].top, rows[-1].bottom)):
            detail = f"page {page_number}: text runs on across a drawn cell border: {'、'.join(cut[:5])}"
            ctx.findings.append(Finding("unread_text", Severity.ERROR, detail))
        if not step.continued and (pairs := _overprinted_header(glyphs, layout)):
            detail = f"page {page_number}: the header is printed over a row's text ({'、'.join(pairs[:5])})"
            ctx.findings.append(Finding("overprinted_text", Severity.ERROR, detail))
        if table.overprinted:
            pairs = "、".join(table.overprinted[:5])
            detail = f"page {page_number}: {len(table.overprinted)} glyphs printed over others ({pairs})"
            ctx.findings.append(Finding("overprinted_text", Severity.ERROR, detail))
        if rows and _cut_at_page_foot(glyphs, layout, step.top, page_height):
            detail = f"page {page_number}: the last row's text reaches the page's foot: the rest of it is cut off"
            ctx.findings.append(Finding("unread_text", Severity.ERROR, detail))
        tables.append(TableReading(layout, step.top, step.bottom, rows, kpis, step.continued))
    # The last table runs on to the next page: one with rows here, or a header alone at the foot.
    last = tables[-1] if tables else None
    ctx.layout = last.layout if last is not None and (last.rows or not last.continued) else None
    return PageReading(page_number, page_width, page_height, tables, all_lines, turn)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect garbage less often while a deck is read: pdfminer makes hundreds of thousands of
    short-lived objects a deck, and at Python's default thresholds the collector walks the
    parser's live pages and glyphs again and again, for a tenth of the parse or more. Cycles
    are still collected, later; the thresholds are put back after."""
    before = gc.get_threshold()
    gc.set_threshold(_GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _open_failure(exc: Exception) -> str:
    """A reason a person understands for a PDF that cannot be opened."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return "encrypted PDF: it cannot be read without its password"
    if isinstance(cause, PDFSyntaxError | PSException):
        return f"corrupt or truncated PDF: it cannot be parsed as a complete PDF ({cause})"
    return f"corrupt or truncated PDF: it cannot be parsed as a complete PDF ({type(cause).__name__}: {cause})"


def parse_pdf(
    path: Path,
    source_file: str | None = None,
    sha256: str | None = None,
    on_page: Callable[[Any, PageReading], None] | None = None,
) -> ParsedDeck:
    """Parse a deck; raise RejectedDeck with a readable reason when it is not a usable scorecard.

    `on_page(page, reading)` sees each pdfplumber page with what the parser read from it, before
    the page is closed (`scorecards explain` draws it)."""
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise RejectedDeck("not a PDF file (no %PDF- header)")
    read_embedded_encodings()
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for broken files
        raise RejectedDeck(_open_failure(exc)) from exc
    with pdf, _fewer_collections():
        deck = _parse_open(pdf, path, source_file or path.name, sha256 or sha256_of(path), on_page)
    deck.findings += check_deck(deck)
    return deck


def _parse_open(
    pdf, path: Path, source_file: str, sha256: str, on_page: Callable[[Any, PageReading], None] | None = None
) -> ParsedDeck:
    try:
        pages = list(pdf.pages)
    except Exception as exc:  # noqa: BLE001
        raise RejectedDeck(f"not a readable PDF (corrupt or truncated): {exc}") from exc
    if not pages:
        raise RejectedDeck("the PDF has no pages")
    ctx = _Context()
    kpis: list[Kpi] = []
    org = map_date = None
    chars_seen = images_seen = 0
    unmapped: list[str] = []
    for number, page in enumerate(pages, start=1):
        try:
            reading = read_page(page, ctx, number)
        except MemoryError as exc:
            raise RejectedDeck(_OUT_OF_MEMORY.format(number)) from exc
        except Exception as exc:  # noqa: BLE001 - a broken page stream
            if "allocate" in str(exc):  # zlib reports exhausted memory as its own error
                raise RejectedDeck(_OUT_OF_MEMORY.format(number)) from exc
            raise RejectedDeck(f"page {number} could not be read: {type(exc).__name__}: {exc}") from exc
        page_kpis, lines = reading.kpis, reading.lines
        if on_page is not None:
            on_page(page, reading)
        chars_seen += len(page.chars)
        unmapped += unmapped_chars(page.chars)
        images_seen += len(page.images)
        if number == 1:
            org = find_org(lines)
        if map_date is None and is_strategy_map(lines):
            map_lines = map_slide_lines(lines) if page_kpis else lines
            map_date = find_map_date(map_lines)
            org = org or org_from_map_title(map_lines)
        kpis += page_kpis
        page.close()
    if chars_seen == 0:
        raise RejectedDeck("no text layer: no page has any text (a scanned or image-only PDF?)")
    if reason := unreadable_reason(unmapped):
        raise RejectedDeck(reason)
    if not kpis:
        pictures = " (its tables may be pictures, which hold no text to read)" if images_seen else ""
        raise RejectedDeck(
            f"no scorecard tables found: no page has a KPI table header (KPI, 實際值/目標值, 行動方案){pictures}"
        )
    plan_years = [v.year for k in kpis for v in k.values if v.kind == ValueKind.TARGET]
    plan_year = max(set(plan_years), key=plan_years.count) if plan_years else None
    fill_unread_perspectives(kpis)
    modified, created = pdf_dates(pdf.metadata or {})
    deck = ParsedDeck(
        source_file, sha256, org, plan_year, map_date, len(pages), kpis, pdf_modified=modified, pdf_created=created
    )
    deck.findings += ctx.findings + _themes_without_rows(ctx.titled, kpis)
    return deck


def _themes_without_rows(titled: dict[tuple[str | None, str | None], int], kpis: list[Kpi]) -> list[Finding]:
    """Themes whose title the deck prints but under which no KPI row was read: their table was
    missed (a header split over a page break, read on neither page), and every KPI of the theme
    lost without a word. No check on the KPIs read can see a theme that has none."""
    codes = {k.theme_code for k in kpis if k.theme_code}
    names = {k.theme_name for k in kpis if k.theme_name}
    missed = [
        (code, name, page)
        for (code, name), page in titled.items()
        if (code not in codes if code else name not in names)
    ]
    return [
        Finding(
            "theme_without_rows",
            Severity.ERROR,
            f"page {page}: theme {_theme_label(code, name)}: no KPI row read under its title",
        )
        for code, name, page in missed
    ]


def _theme_label(code: str | None, name: str | None) -> str:
    return " ".join(part for part in (f"({code})" if code else None, name) if part)
