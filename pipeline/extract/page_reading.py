"""Read one page: its theme titles and the tables under them, into KPI records, carrying what
runs on from page to page (a theme, a 構面 block, a table continued without its header)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache

from pipeline.clean.codes import code_depth, objective_of, split_code_lines, split_plans
from pipeline.clean.text import join_wrapped, squash
from pipeline.clean.values import parse_value
from pipeline.extract.columns import place_columns
from pipeline.extract.continued import (
    end_of_last_row,
    first_rule_under_blank,
    may_continue,
    name_ended_below,
    objective_begun_before,
    objective_named_below,
    objective_rest,
    plans_at_the_foot,
    plans_begun_before,
    uncoded_tail,
)
from pipeline.extract.furniture import (
    FooterKey,
    HeaderSpot,
    footers_over_text,
    running_footers,
    running_header_spots,
    slide_master_runs,
)
from pipeline.extract.geometry import Glyph, Line, drop_out_of_scale, group_lines
from pipeline.extract.gutters import median_size
from pipeline.extract.header import HeaderKey, find_layouts
from pipeline.extract.labels import (
    PERSPECTIVES,
    TitleSpot,
    perspective_name,
    running_titles,
    theme_of,
    title_lines,
)
from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.notes_pages import SlideFrame
from pipeline.extract.overprint import RunKey, StampKey, without_stamps
from pipeline.extract.page_numbers import (
    Sighting,
    Spot,
    centred_page_number,
    counted_numbers,
    numbers_counted_on,
    numbers_of_the_count,
    page_numbers_among_cells,
)
from pipeline.extract.rules import Rules
from pipeline.extract.shown_page import ShownPage
from pipeline.extract.sideways import turned_lines
from pipeline.extract.table import Row, read_rows
from pipeline.extract.table_findings import PageText, table_findings
from pipeline.model import ActionPlan, Finding, Kpi, Severity, ValueKind, YearValue


@dataclass
class ReadingContext:
    """What carries from one table (or page) to the next: a theme continued, a 構面 block continued."""

    theme_code: str | None = None
    theme_name: str | None = None
    perspective: str | None = None
    objective: str | None = None
    objective_begun: str | None = None  # an objective label at the last table's foot, no row's yet
    plans_begun: tuple[str, ...] = ()  # plans under a header at the last page's foot, no row's yet
    objective_kpis: list[Kpi] = field(default_factory=list)  # the KPIs read under `objective`
    unlabelled: list[Kpi] = field(default_factory=list)  # awaiting their objective's label (_await_objective_label)
    layout: TableLayout | None = None
    last_kpi: Kpi | None = None  # the row a table continued on the next page may still be in
    page_number_spots: list[Spot] = field(default_factory=list)  # where the deck prints page numbers
    number_counts: dict[Spot, list[Sighting]] = field(default_factory=dict)  # see counted_numbers
    footers_seen: dict[FooterKey, int] = field(default_factory=dict)  # see running_footers
    header_spots: dict[HeaderSpot, int] = field(default_factory=dict)  # see running_header_spots
    header_texts: dict[HeaderSpot, str] = field(default_factory=dict)  # ... and what each printed last
    headers_seen: dict[HeaderKey, TableLayout] = field(default_factory=dict)  # see find_layouts
    findings: list[Finding] = field(default_factory=list)  # what the reading itself noticed
    titled: dict[tuple[str | None, str | None], int] = field(default_factory=dict)  # theme title -> its first page
    parted_header: list[Line] = field(default_factory=list)  # a header's label row at a page's foot (find_layouts)
    label_piece: _LabelPiece | None = None  # a 構面 label read in part, and the KPIs given it (see _perspective)
    running_title_spots: list[TitleSpot] = field(default_factory=list)  # see running_titles
    body_size: float = 0.0  # the type size of the last table's rows (see uncoded_tail)
    stamps_seen: set[StampKey] = field(default_factory=set)  # see without_stamps
    drawn_last: set[RunKey] = field(default_factory=set)  # ... and _drawn_last_stamp
    master_runs: set[FooterKey] | None = None  # see slide_master_runs
    pages_read: int = 0
    page_counts: range = range(0)  # what the count of the deck's pages may be (see numbers_of_the_count)
    clipped_away: set[int] = field(default_factory=set)  # ids of KPIs read from rows the page clips away


@dataclass
class _LabelPiece:
    text: str
    page: int
    kpis: list[Kpi] = field(default_factory=list)


def _perspective(label: str | None, ctx: ReadingContext, page_number: int) -> None:
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


def _kpi(row: Row, layout: TableLayout, ctx: ReadingContext, page_number: int) -> Kpi:
    kpi_code, kpi_name = split_code_lines(row.cells[layout.column(Role.KPI)], join_wrapped)
    _perspective(row.perspective, ctx, page_number)
    if row.perspective_awaited:  # left unknown, not carried on: the scheme or the checks settle it
        ctx.perspective = None
    labelled = bool(row.objective) and row.objective != ctx.objective  # not the label above carried on
    if row.objective:
        ctx.objective, ctx.objective_kpis = row.objective, []
    objective_code, objective_name = split_code_lines((ctx.objective or "").split("\n"), join_wrapped)
    values = [
        YearValue(col.year, ValueKind(col.role.value), parse_value("\n".join(lines)))
        for col, lines in row.cells.items()
        if col.role in (Role.ACTUAL, Role.TARGET) and col.year is not None
    ]
    plans_column = layout.column(Role.PLANS)
    plans_text = join_wrapped(row.cells[plans_column]) if plans_column else ""
    depth = code_depth(kpi_code) + 1 if kpi_code else 3
    plans = [ActionPlan(code, name) for code, name in split_plans(plans_text, depth, kpi_code)] if plans_text else []
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
    ctx.objective_kpis.append(kpi)
    if ctx.label_piece is not None and ctx.label_piece.page == page_number:
        ctx.label_piece.kpis.append(kpi)
    _await_objective_label(kpi, labelled, ctx)
    return kpi


def _await_objective_label(kpi: Kpi, labelled: bool, ctx: ReadingContext) -> None:
    """A KPI whose code names another objective than the label over it ('BL1.1' under a blank
    策略目標 cell, 'BP1' carried on from the rows above) may sit in a merged cell broken over a
    page, its label printed on the next page only, centred on the part there (an HTML table
    paginated by html2canvas). It keeps the objective read until the next KPI: when that one,
    first on a later page, prints the label its code names (`labelled`: not the label above
    carried on), the waiting KPIs take that objective. Anything else leaves them as read, and
    the checks hold the deck back."""
    waiting, ctx.unlabelled = ctx.unlabelled, []
    named = objective_of(kpi.kpi_code) if kpi.kpi_code else None
    if named is not None and named != kpi.objective_code and not labelled:
        same = waiting and objective_of(waiting[0].kpi_code or "") == named and waiting[-1].page == kpi.page
        ctx.unlabelled = [*waiting, kpi] if same else [kpi]
        return
    its_label = {objective_of(k.kpi_code or "") for k in waiting} == {named} == {kpi.objective_code}
    if labelled and waiting and waiting[-1].page < kpi.page and its_label:
        for earlier in waiting:
            earlier.objective_code, earlier.objective_name = kpi.objective_code, kpi.objective_name
        ctx.objective_kpis = [*waiting, *ctx.objective_kpis]


def left_unread(ctx: ReadingContext) -> list[Finding]:
    """What the last page left for a row on a page after it, which no page brought: the start of
    a row broken over the deck's last page foot. No row took it, so no record holds it."""
    left = [ctx.objective_begun or "", *ctx.plans_begun]
    if not any(left):
        return []
    what = f"text at the foot of the last table that no row took: {'／'.join(t for t in left if t)}"
    return [Finding("unread_text", Severity.ERROR, what[:160])]


def _same_theme(kpi: Kpi | None, ctx: ReadingContext) -> bool:
    """Whether `kpi` was read under the theme being read now: only a row of the same theme can
    run on into this table (a new theme's table begun on a page after its title is no
    continuation of the table before, though read with its layout)."""
    if kpi is None:
        return False
    if kpi.theme_code and ctx.theme_code:
        return kpi.theme_code == ctx.theme_code
    return kpi.theme_name == ctx.theme_name


def _end_objective(rest: str, ctx: ReadingContext) -> None:
    """Join the rest of the objective label read on (see continued.objective_rest) to the label
    carried in ctx, and give the whole name to every KPI read under it so far. A rest the name
    already ends with is the label printed again, not more of it: a spreadsheet prints a merged
    cell broken over a page on both pages, each clipped to its part, and the page before may hold
    the whole label, the part the page shows and the part it hides (see pipeline.extract.clipping)."""
    if ctx.objective:
        _, name = split_code_lines(ctx.objective.split("\n"), join_wrapped)
        if name and squash(name).endswith(squash(rest)):
            return
    ctx.objective = f"{ctx.objective}\n{rest}" if ctx.objective else rest
    _, name = split_code_lines(ctx.objective.split("\n"), join_wrapped)
    for kpi in ctx.objective_kpis:
        kpi.objective_name = name or None


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
    turn: int = 0  # the turn clockwise (90, 180, 270) that took the page as printed into this frame
    frame: SlideFrame | None = None  # a notes page's slide frame, in this frame, read alone and scaled up (notes_pages)
    turned_lines: list[Line] = field(default_factory=list)  # its turned text, turned upright (see turned_lines)
    part: SlideFrame | None = None  # the frame its sheet prints it in, when a sheet prints several (sheets)

    @property
    def kpis(self) -> list[Kpi]:
        return [k for t in self.tables for k in t.kpis]


@dataclass(frozen=True)
class _Region:
    """A stretch of a page read as table body: with its own header's layout, or continuing the
    table before (`continued`), its columns placed by this page's header above a title or
    re-fitted to its own text (`fitted`)."""

    layout: TableLayout
    top: float
    bottom: float
    continued: bool
    fitted: bool = False


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


def _continued_columns(
    layout: TableLayout,
    own_header: bool,
    glyphs: list[Glyph],
    cell_text: list[Glyph],
    rules: Rules,
    span: tuple[float, float],
    page_width: float,
) -> tuple[Column, ...]:
    """The columns of a table body that goes on without a header of its own over it, between
    `span`'s top and bottom: under a title right below this page's `own_header`, placed by that
    header as a header places its body's; else re-fitted to the body's text (see place_columns)."""
    top, bottom = span
    if own_header:
        header = (layout.header_top, layout.body_top)
        text = layout.without_label_ends(cell_text)
        return place_columns(
            list(layout.columns), text, rules.vertical, header, page_width, bottom, hrules=rules.horizontal
        )
    return place_columns(
        list(layout.columns), glyphs, rules.vertical, (top, top), page_width, bottom, continued=True, headerless=True
    )


def _clipped_away(row: Row, layout: TableLayout, glyphs: list[Glyph]) -> bool:
    """True when the page clips away all of a row's KPI cell (Flying Saucer draws a row broken by
    the page's foot on both pages, its cells clipped away whole on the first: see clipped_reprints)."""
    kpi = layout.column(Role.KPI)
    inside = [
        g for g in glyphs if row.top <= g.cy < row.bottom and kpi is not None and kpi.holds(g) and not g.text.isspace()
    ]
    return bool(inside) and all(g.hidden for g in inside)


def clipped_reprints(kpis: list[Kpi], clipped_away: set[int]) -> list[Kpi]:
    """`kpis` without those read from rows the page clips away whose KPI code is read again from a
    row it shows: that row is the one a reader sees. A row clipped away with no other copy (a
    table run off its slide) keeps its record: it is the only one there is."""
    shown = {kpi.kpi_code for kpi in kpis if id(kpi) not in clipped_away}
    return [kpi for kpi in kpis if id(kpi) not in clipped_away or not kpi.kpi_code or kpi.kpi_code not in shown]


def without_titles(glyphs: list[Glyph], titles: list[Line]) -> list[Glyph]:
    """The glyphs a table's cells may hold: no theme title's. A title printed between a repeated
    header and its table's body lies right over the body's top, where a 策略目標 label drawn
    after it in the same column would seem to overhang up into it (see table_body._overhanging_top)."""
    if not titles:
        return glyphs
    title_ids = {id(g) for t in titles for g in t.glyphs}
    return [g for g in glyphs if id(g) not in title_ids]


def read_page(
    shown: ShownPage, ctx: ReadingContext, page_number: int, after: Callable[[], ShownPage | None] = lambda: None
) -> PageReading:
    """Every table on one page as shown (see shown_pages), in reading order (see _page_plan).
    `after()` shows the next page, looked at ahead for the page's number (see numbers_counted_on)
    and its running footers; None past the last page."""
    geometry, turn, frame = shown.geometry, shown.turn, shown.frame

    @cache  # asked for by more than one look-ahead: the next page's lines are grouped once
    def next_lines() -> list[Line]:
        ahead = after()
        return [] if ahead is None else group_lines(ahead.geometry.glyphs)

    rules, page_width, page_height = geometry.rules, geometry.width, geometry.height
    # Text stamped over the page's text is no one's; tables are read without what is out of scale
    # (watermarks, hidden text) too, while the slide's own text (titles) keeps the rest.
    unstamped = without_stamps(geometry.glyphs, ctx.stamps_seen, rules.vertical, ctx.drawn_last)
    geometry = replace(geometry, glyphs=unstamped)
    glyphs = drop_out_of_scale(geometry.glyphs)
    all_lines = group_lines(geometry.glyphs)
    # Page numbers and running footers printed among the cells are no cell's text.
    page_numbers = page_numbers_among_cells(all_lines, page_number, page_height, ctx.page_number_spots)
    page_numbers += numbers_counted_on(all_lines, next_lines, ctx.number_counts)
    page_numbers += counted_numbers(all_lines, page_number, ctx.number_counts)
    page_numbers += numbers_of_the_count(all_lines, page_number, ctx.page_counts, page_height)
    page_numbers += centred_page_number(all_lines, page_number, page_width, page_height)
    furniture = page_numbers + running_footers(all_lines, page_height, ctx.footers_seen, next_lines)
    furniture += footers_over_text(all_lines)
    furniture += running_header_spots(all_lines, page_width, page_height, ctx.header_spots, ctx.header_texts)
    master, ctx.master_runs = slide_master_runs(all_lines, ctx.master_runs, ctx.pages_read)
    furniture += master
    ctx.pages_read += 1
    titles = title_lines(all_lines)
    running = running_titles(titles, page_height, ctx.running_title_spots)
    if running:  # a running header's title goes with its whole line (the office's short name after it)
        titles = [t for t in titles if t not in running]
        furniture += [line for line in all_lines if any(set(t.glyphs) <= set(line.glyphs) for t in running)]
    if furniture:
        printed = {id(g) for run in furniture for g in run.glyphs}
        glyphs = [g for g in glyphs if id(g) not in printed]
    lines = all_lines if len(glyphs) == len(geometry.glyphs) else group_lines(glyphs)
    hv_rules = (rules.horizontal, rules.vertical)
    layouts = find_layouts(
        lines, glyphs, hv_rules, page_width, [t.top for t in titles], ctx.headers_seen, ctx.parted_header
    )
    tables: list[TableReading] = []
    # A table overflowing its slide runs on below the page's edge: cut off when shown, but its
    # text is the cell's own (a plan's last words), so the last table reaches its lowest glyph.
    page_end = max([page_height, *(g.bottom for g in glyphs)])
    cell_text = without_titles(glyphs, titles)
    clips_text = any(g.hidden for g in cell_text)  # most pages clip away none: no row is looked at for it
    titled = False  # a theme title since the last table (or the page's top): the next table starts afresh
    for step in _page_plan(titles, layouts, ctx.layout, page_end):
        if isinstance(step, Line):
            titled = True
            if all(g.hidden for g in step.glyphs):
                # A title the page clips away, printed again where it shows (a browser prints a
                # line broken by the page's foot on both pages), ends a table but names no theme.
                continue
            code, name = theme_of(step)
            if name is None and code == ctx.theme_code:
                name = ctx.theme_name  # the theme read last, by its code alone (a sheet's name atop each page)
            ctx.titled.setdefault((code, name), page_number)
            if code != ctx.theme_code or name != ctx.theme_name:
                ctx.perspective = ctx.objective = ctx.label_piece = None
                ctx.objective_kpis, ctx.unlabelled = [], []
            ctx.theme_code, ctx.theme_name = code, name
            continue
        layout = step.layout
        if step.continued and not may_continue(glyphs, lines, step.top, step.bottom):
            span = (step.top, step.bottom)
            if (
                not titled
                and ctx.body_size
                and (tail := uncoded_tail(glyphs, layout, span, page_height, ctx.body_size, ctx.last_kpi))
            ):
                what = f"text atop the page, under no header, that no row took: {tail[:60]}"
                ctx.findings.append(Finding("unread_text", Severity.ERROR, f"page {page_number}: {what}"))
            tables.append(TableReading(layout, step.top, step.bottom, [], [], continued=True))
            continue
        top = step.top
        if step.continued:
            top = first_rule_under_blank(glyphs, rules.horizontal, layout, step.top, step.bottom)
            # Under a title right below this page's own header, that header is here to place them by.
            own = (
                bool(tables)
                and tables[-1].layout is layout
                and not tables[-1].rows
                and any(layout is o for o in layouts)
            )
            columns = _continued_columns(layout, own, glyphs, cell_text, rules, (top, step.bottom), page_width)
            step = replace(step, fitted=not own)
            layout = replace(
                layout,
                columns=columns,
                header_top=top,
                body_top=top,
                label_ends=frozenset(),
                opening_band=None,
                raised=frozenset(),
            )
        table = read_rows(cell_text, layout, rules, top, step.bottom, page_height)
        # A table continued from the table before, under a repeated header or none and with no
        # title between them, may begin with the rest of that table's last row (a row broken
        # across pages; on a handout page, across the two slides printed on it).
        runs_on = step.continued or not titled
        titled = False
        rows = table.rows
        begun, ctx.objective_begun = ctx.objective_begun, None
        plans_begun, ctx.plans_begun = ctx.plans_begun, ()
        if plans_begun and runs_on and rows and (opened := plans_begun_before(rows[0], layout, plans_begun)):
            rows, plans_begun = [opened, *rows[1:]], ()
        if runs_on and rows and _same_theme(ctx.last_kpi, ctx):
            rest, first = objective_rest(rows[0], layout, ctx.last_kpi)
            rows = end_of_last_row([first, *rows[1:]], layout, ctx.last_kpi)
            if rest:
                _end_objective(rest, ctx)
            if begun and (opened := objective_begun_before(rows[0], layout, begun)):
                rows, begun = [opened, *rows[1:]], None
        elif runs_on and _same_theme(ctx.last_kpi, ctx):
            span = (step.top if step.continued else layout.body_top, step.bottom)
            if name := objective_named_below(cell_text, layout, span, ctx.last_kpi, page_height):
                _end_objective(name, ctx)
            name_ended_below(cell_text, layout, span, ctx.last_kpi, page_height)
        kpis = [_kpi(row, layout, ctx, page_number) for row in rows]
        if clips_text:
            ctx.clipped_away |= {id(kpi) for row, kpi in zip(rows, kpis) if _clipped_away(row, layout, cell_text)}
        ctx.last_kpi = kpis[-1] if kpis else ctx.last_kpi
        if rows:
            ctx.body_size = median_size([g for g in glyphs if rows[0].top <= g.cy < rows[-1].bottom])
        if table.carried_perspective:
            ctx.perspective = perspective_name(table.carried_perspective)
        ctx.objective_begun = table.carried_objective
        if begun:
            what = f"page {page_number}: an objective label at the foot of the page before that no row took: {begun}"
            ctx.findings.append(Finding("unread_text", Severity.ERROR, what))
        if plans_begun:
            what = (
                f"page {page_number}: plans at the foot of the page before that no row took: {'／'.join(plans_begun)}"
            )
            ctx.findings.append(Finding("unread_text", Severity.ERROR, what[:160]))
        if not rows and not step.continued:
            span = (layout.body_top, step.bottom)
            ctx.plans_begun = plans_at_the_foot(cell_text, layout, span, page_height, ctx.last_kpi)
        page_text = PageText(page_number, page_height, glyphs, lines, rules.vertical, rules.drawn, page_numbers)
        ctx.findings += table_findings(page_text, layout, step, table, rows, ctx.last_kpi, runs_on, ctx.plans_begun)
        tables.append(TableReading(layout, step.top, step.bottom, rows, kpis, step.continued))
    # The last table runs on to the next page: one with rows here, or a header alone at the foot.
    # So does the table before a theme title at the foot with nothing read under it: the title's
    # own table may begin the next page without a header (ConTeXt moves the table whole and
    # repeats its header only from the page after).
    last = tables[-1] if tables else None
    carried = last is not None and (last.rows or not last.continued or titled)
    ctx.layout = last.layout if carried else None
    turned = turned_lines(geometry.glyphs, page_width, page_height)
    return PageReading(page_number, page_width, page_height, tables, all_lines, turn, frame, turned, shown.part)
