"""A table continued from the page before: where its body starts on this page, whether a stretch
without a header may hold its rows, and the rest of its last row (a row broken across pages, or
across the two slides of a handout page) that is still that row's."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from pipeline.clean.codes import code_depth, objective_of, split_code, split_plans, starts_with_code
from pipeline.clean.text import is_ideograph, join_wrapped, squash
from pipeline.extract.furniture import is_furniture, is_page_number
from pipeline.extract.geometry import Glyph, Line, glyph_text, group_lines, split_runs
from pipeline.extract.header_band import is_header_text, stack
from pipeline.extract.header_roles import names_a_column, names_columns
from pipeline.extract.labels import band_perspective
from pipeline.extract.layout import Column, Role, TableLayout, cell_glyphs
from pipeline.extract.overprint import run_starts
from pipeline.extract.rules import Rule, covered
from pipeline.extract.table import Row, before_first_code, row_kpi_code, run_over
from pipeline.extract.tolerances import TOL
from pipeline.model import ActionPlan, Kpi


def may_continue(glyphs: list[Glyph], lines: list[Line], top: float, bottom: float) -> bool:
    """Whether a stretch without a header may hold rows of the table before: a code (every row
    has one, and a code has capital letters) or a 構面 band row. Most such stretches are a slide's
    top or the gap under a theme title, and fitting columns to them is most of a page's work."""
    if any(top <= g.cy < bottom and g.text.isascii() and g.text.isupper() for g in glyphs):
        return True
    return any(top <= line.centre < bottom and band_perspective(line.text) for line in lines)


def first_rule_under_blank(
    glyphs: list[Glyph], hrules: list[Rule], layout: TableLayout, top: float, bottom: float
) -> float:
    """Where a table continued on this page begins: at the first rule across it when nothing is
    printed above that rule in the table's width (the space above is no cell of it), else `top`.
    Text drawn in one run with text below the rule is not printed there: it overhangs from a cell
    under the rule (a stacked 構面 label centred on a short cell). Nor are column names alone: a
    header repeated without the row that names its years (Asciidoctor repeats only the first)."""
    inside = [g for g in glyphs if top <= g.cy < bottom and layout.x0 <= g.cx <= layout.x1]
    across = [
        p
        for p in covered(hrules, *layout.rule_span, TOL.closes_share)
        if top < p < bottom and not _strikes_through(p, hrules, inside)
    ]
    if not across:
        return top
    first = min(across)
    if any(g.cy < first for g in inside):
        starts = run_starts(inside, layout.column_at)
        overhanging = {id(starts[id(g)]) for g in inside if g.cy >= first and id(g) in starts}
        above = [g for g in inside if g.cy < first and id(starts.get(id(g))) not in overhanging]
        if above and not _column_names(above):
            return top
    # A header row repeated without its year row, boxed in rules of its own: the body starts
    # under it (rst2pdf repeats only the first of a two-row head).
    second = min((p for p in across if p > first), default=None)
    boxed = [g for g in inside if second is not None and first < g.cy < second]
    return second if boxed and _column_names(boxed) else first


def _column_names(glyphs: list[Glyph]) -> bool:
    """True when `glyphs` print header labels only, at least one of them a column's whole name,
    on one line or down its cell (Spire.Doc repeats only a head's year row, each year wrapped
    '106' / '年'); a line naming two columns may hold labels no column is known by too
    (Asciidoctor repeats a head's first row, '承辦科室' and '配分' among its labels), and so may
    cells wrapped a word a line whose joined text names two columns ('實際' / '值' and '目標' /
    '值' beside '承辦' / '科室', rst2pdf)."""
    lines = group_lines(glyphs)
    runs = [run for line in lines for run in split_runs(line)]
    cells = [glyph_text(g for run in cell for g in run.glyphs) for cell in stack(runs)]
    if not all(is_header_text(line) or names_columns(split_runs(line)) for line in lines):
        return sum(1 for text in cells if names_a_column(text)) >= 2
    return any(names_a_column(text) for text in [*(run.text for run in runs), *cells])


def _strikes_through(pos: float, hrules: list[Rule], glyphs: list[Glyph]) -> bool:
    """True when the rule at `pos` is the edge of a fill that runs through the middle of text it
    passes over: a background painted where no row begins or ends (MuPDF paints a table head's
    fill as a thin bar over the first row of the page after). A drawn line may cross text a cell
    clips (a stacked label cut at its cell's border), so only fills are judged."""
    spans = [(r.start, r.end) for r in hrules if r.fill and abs(r.pos - pos) <= TOL.box_slack_pt]
    margin = TOL.strike_margin_em
    return any(
        start <= g.cx <= end and g.top + margin * g.size < pos < g.bottom - margin * g.size
        for g in glyphs
        for start, end in spans
    )


def objective_rest(row: Row, layout: TableLayout, before: Kpi | None) -> tuple[str | None, Row]:
    """The end of the objective of the KPI before, printed atop a continued table's first row,
    and that row without it. It is text ruled off above the row's own label (see
    spans.rest_above), or the row's whole objective cell when that carries no code though the
    labels before did, and the row's KPI code is one of that objective's: a merged 策略目標 cell
    broken over the page, its label split line by line ('EP2落實里鄰建設經' / '費執行'), or
    all its name below the break, the page before showing its code only (a spreadsheet clips a
    merged cell to its part on each page: the name's line, cut by the page's foot, shows less
    than half there). The name printed again in full is no rest: the row just goes on under
    that objective."""
    if before is None or not (before.objective_name or before.objective_code):
        return None, row
    if row.objective_rest:
        return (row.objective_rest, replace(row, objective_rest=None)) if before.objective_name else (None, row)
    own = row_kpi_code(row, layout.column(Role.KPI))
    if not row.objective or split_code(row.objective)[0] or own is None or before.objective_code is None:
        return None, row
    if objective_of(own) != before.objective_code:
        return None, row
    again = squash(row.objective) == squash(before.objective_name or "")
    return (None if again else row.objective), replace(row, objective=None)


def objective_begun_before(row: Row, layout: TableLayout, begun: str) -> Row | None:
    """`row` with its objective opened by `begun`: the first lines of an objective label printed
    under the last row of the page before (a row broken inside its 策略目標 cell, the cut line
    read on the page it begins on, WebKitGTK: 'CP1' there, '推動環境清潔維護' here). The row takes
    them when its KPI code is of that objective and its own label prints no code; a label of its
    own printing that code is the line printed again (a re-print that shows the cut line on both
    pages), and the row stays as read. None when the row is not that objective's."""
    code, own = split_code(begun)[0], row_kpi_code(row, layout.column(Role.KPI))
    if code is None or own is None or objective_of(own) != code:
        return None
    if (printed := split_code(row.objective or "")[0]) is not None:
        return row if printed == code else None
    return replace(row, objective=f"{begun}\n{row.objective}" if row.objective else begun)


def plans_at_the_foot(
    glyphs: list[Glyph], layout: TableLayout, span: tuple[float, float], page_height: float, before: Kpi | None
) -> tuple[str, ...]:
    """The lines of a header's body with no row under it, when they are all in its plans column
    and open with a plan's code: the first row's plans cell broken over the page, its top-set
    first plan code at the page's foot and the rest of the row, code and values centred in their
    cells, on the next page ('EC1.1.1' alone under a new theme's header, WebKitGTK). The next
    page's first row takes them (see plans_begun_before); () when the body holds anything else,
    or when they open with a plan of `before`, the KPI read last, whose row they end (see
    rest_of_last_row)."""
    plans = layout.column(Role.PLANS)
    if plans is None:
        return ()
    body = [g for g in glyphs if span[0] <= g.cy < span[1] and layout.x0 <= g.cx <= layout.x1 and not g.rotated]
    printed = [ln for ln in group_lines(body) if not is_page_number(ln, page_height) and not is_furniture(ln.text)]
    lines = _cell_lines(glyphs, plans, span, page_height)
    if not lines or sum(len(ln.glyphs) for ln in printed) != sum(len(ln.glyphs) for ln in lines):
        return ()
    code = split_code(lines[0].text)[0]
    if code is None or code_depth(code) < 3 or (before is not None and code.startswith(f"{before.kpi_code}.")):
        return ()
    return tuple(ln.text for ln in lines)


def plans_begun_before(row: Row, layout: TableLayout, begun: tuple[str, ...]) -> Row | None:
    """`row` with its plans cell opened by `begun` (see plans_at_the_foot), when every plan code
    among them is coded under the row's KPI; None when the row is not theirs."""
    plans, own = layout.column(Role.PLANS), row_kpi_code(row, layout.column(Role.KPI))
    if plans is None or own is None:
        return None
    codes = [code for line in begun if (code := split_code(line)[0])]
    if not all(code.startswith(own + ".") for code in codes):
        return None
    return replace(row, cells={**row.cells, plans: [*begun, *row.cells.get(plans, [])]})


def end_of_last_row(rows: list[Row], layout: TableLayout, before: Kpi | None) -> list[Row]:
    """A table continued from the page before may begin with the end of that page's last row.
    In its first row's plans cell (see run_over), text before the first code ends the last plan
    of the KPI before (once, though also read clipped below the page before's edge), and plans
    coded under that KPI ('AF1.1.2 …' atop AF1.2's) are its own. (Its objective cell: see
    objective_rest.)"""
    plans, kpi = layout.column(Role.PLANS), layout.column(Role.KPI)
    if not rows or plans is None or kpi is None or before is None:
        return rows
    rows = _end_of_last_name(rows, kpi, before)
    # A repeated header broken into a lone label over the row ('策略性目標' centred across it, as
    # PDF::Table repeats a header row) is no end of a plan.
    cell = rows[0].cells[plans]
    lines = [line for n, line in enumerate(cell) if n >= before_first_code(cell) or not names_a_column(line)]
    own_code = row_kpi_code(rows[0], kpi)
    lines = _row_start_from_page_before(before, own_code) + lines
    rows = [replace(rows[0], cells={**rows[0].cells, plans: lines}), *rows[1:]]
    taken = run_over(lines, before.kpi_code if before.kpi_code != own_code else None)
    head = before_first_code(lines)
    # Uncoded plans of the KPI before end only where this row's own plans are coded: a cell
    # without codes may be this row's uncoded plans, top-aligned.
    uncoded = not before.action_plans or (before.action_plans[-1].code is None and head == len(lines))
    if not taken or (head and uncoded):
        return rows
    if head:
        _end_last_plan(before, lines[:head])
    if taken > head:
        depth = code_depth(before.kpi_code) + 1
        before.action_plans += [
            ActionPlan(code, name)
            for code, name in split_plans(join_wrapped(lines[head:taken]), depth, before.kpi_code)
        ]
    return [replace(rows[0], cells={**rows[0].cells, plans: lines[taken:]}), *rows[1:]]


def _end_last_plan(before: Kpi, lines: list[str]) -> None:
    """End the last plan of `before` with `lines`, once: a word processor may print a row's end
    twice, clipped below the page's edge (read with the page, see read_page's page_end) and again
    atop the next page."""
    last, tail = before.action_plans[-1], join_wrapped(lines)
    if not (last.name and last.name.endswith(tail)):
        before.action_plans[-1] = replace(last, name=join_wrapped([last.name, *lines]) if last.name else tail)


def _cell_lines(glyphs: list[Glyph], column: Column, span: tuple[float, float], page_height: float) -> list[Line]:
    """The upright lines of `column` between `span`'s top and bottom, page furniture left out."""
    cell = cell_glyphs(glyphs, column, *span, upright_only=True)
    return [ln for ln in group_lines(cell) if not is_page_number(ln, page_height) and not is_furniture(ln.text)]


def _end_of_last_name(rows: list[Row], kpi: Column, before: Kpi) -> list[Row]:
    """The first row's KPI cell may begin with the end of the KPI name before ('年度預算執行' /
    '率' atop 'EF1.2 …', a row broken over the page under a repeated header): lines before the
    cell's first code, when one follows, end that name (once: a word processor may print them
    clipped below the page before's edge too)."""
    cell = rows[0].cells.get(kpi, [])
    head = before_first_code(cell)
    if not head or head == len(cell) or any(names_a_column(line) for line in cell[:head]):
        return rows
    _end_last_name(before, cell[:head])
    return [replace(rows[0], cells={**rows[0].cells, kpi: cell[head:]}), *rows[1:]]


def _end_last_name(before: Kpi, lines: list[str]) -> None:
    """End the KPI name of `before` with `lines`, once: a word processor may print a row's end
    twice, clipped below the page before's edge and again atop the next page."""
    if not before.kpi_name.endswith(join_wrapped(lines)):
        before.kpi_name = join_wrapped([before.kpi_name, *lines])


def _row_start_from_page_before(before: Kpi, own_code: str | None) -> list[str]:
    """The plans coded under this row's KPI that the page before ended with, taken off the KPI
    read last there, as the first lines of this row's plans cell: a row broken across pages whose
    plans cell starts on the page before and whose KPI code, centred in its cell, stands on this
    page ('CC1.1.1' alone at the foot, under CF1.1's last rule: WebKit)."""
    if not own_code or own_code == before.kpi_code:
        return []
    prefix = own_code + "."
    moved = 0
    while moved < len(before.action_plans) and (before.action_plans[-1 - moved].code or "").startswith(prefix):
        moved += 1
    if not moved:
        return []
    taken = before.action_plans[-moved:]
    del before.action_plans[-moved:]
    return [f"{plan.code}{plan.name or ''}" for plan in taken]


def objective_named_below(
    glyphs: list[Glyph], layout: TableLayout, span: tuple[float, float], before: Kpi | None, page_height: float
) -> str | None:
    """The name of the last KPI's objective, read with its code only, printed alone in the
    objective column of a stretch that continues the table without a row of its own: a row
    broken over the page whose 策略目標 cell shows its code at the foot and its name atop the
    next page, under the repeated header (Calligra Words)."""
    objective = layout.column(Role.OBJECTIVE)
    if objective is None or before is None or before.objective_name or not before.objective_code:
        return None
    lines = [ln.text for ln in _cell_lines(glyphs, objective, span, page_height)]
    if not lines or starts_with_code(lines[0]):
        return None
    return join_wrapped(lines)


def name_ended_below(
    glyphs: list[Glyph], layout: TableLayout, span: tuple[float, float], before: Kpi | None, page_height: float
) -> None:
    """End the last KPI's name with the uncoded lines alone in the KPI column of a stretch that
    continues the table without a row of its own: a row broken over the page whose KPI cell's
    last line stands atop the next page, under the repeated header ('同仁平均數位學習時' /
    '數', Calligra Words; a re-print that drops what the page before hid past its foot shows it
    only there). Coded text there is no name's end (the table's findings report it unread), nor
    is a tool's notice across the page's top (Spire.XLS)."""
    kpi = layout.column(Role.KPI)
    if kpi is None or before is None or not before.kpi_name:
        return
    kept = _cell_lines(glyphs, kpi, span, page_height)
    if kept and not starts_with_code(kept[0].text) and _ends_a_cell(kept, span[0]):
        _end_last_name(before, [ln.text for ln in kept])


def _ends_a_cell(lines: list[Line], top: float) -> bool:
    """True when `lines` may be the end of a cell's text (a plan's or a KPI's name) run over from
    the page before: they open the stretch (its first line within a line or two of its top), each
    holds an ideograph, and none names a column. A tool's notice or a footer's Latin stands
    anywhere, and is no cell's end."""
    if not lines or lines[0].top - top > TOL.run_over_top_em * lines[0].size:
        return False
    return all(any(is_ideograph(ch) for ch in ln.text) and not names_a_column(ln.text) for ln in lines)


def rest_of_last_row(
    glyphs: list[Glyph], layout: TableLayout, span: tuple[float, float], before: Kpi | None, page_height: float
) -> tuple[str, ...]:
    """A stretch at the top of a page that continues the table before without a row of its own
    (a row broken across pages): uncoded lines opening its plans cell end the last KPI's last
    plan ('計畫' under a repeated header, LibreOffice Writer's row broken over the page), once
    (a row's end may be printed twice); plans coded under that KPI ('AF2.2.2 …' after AF2.2)
    are its own; any other coded text is returned as unread (no cell took it)."""
    plans = layout.column(Role.PLANS)
    kept = _cell_lines(glyphs, plans, span, page_height) if plans else []
    lines = [ln.text for ln in kept]
    if lines and before is not None and before.kpi_code and before.action_plans:
        head = next((n for n, line in enumerate(lines) if starts_with_code(line)), len(lines))
        opens_own = head == len(lines) or lines[head].startswith(before.kpi_code + ".")
        if head and opens_own and _ends_a_cell(kept[:head], span[0]):
            _end_last_plan(before, lines[:head])
            lines = lines[head:]
    if lines and before is not None and before.kpi_code and lines[0].startswith(before.kpi_code + "."):
        depth = code_depth(before.kpi_code) + 1
        before.action_plans += [
            ActionPlan(code, name) for code, name in split_plans(join_wrapped(lines), depth, before.kpi_code)
        ]
        return ()
    stretch = [g for g in glyphs if span[0] <= g.cy < span[1] and layout.x0 <= g.cx <= layout.x1]
    label = squash(f"{before.objective_code or ''}{before.objective_name or ''}") if before is not None else ""
    return tuple(
        run.text
        for line in group_lines(stretch)
        for run in split_runs(line)
        if starts_with_code(run.text) and not (label and _clipped_copy(run, label))
    )


def _clipped_copy(run: Line, label: str) -> bool:
    """`run` is hidden by its clip and a piece of the last KPI's objective label (`label`): a
    spreadsheet draws a merged label on each page its cell reaches, clipped to the part of the cell
    there, and the part over a page's top margin shows at most a sliver."""
    return all(g.hidden for g in run.glyphs) and squash(run.text) in label


def uncoded_tail(
    glyphs: list[Glyph],
    layout: TableLayout,
    span: tuple[float, float],
    page_height: float,
    body_size: float,
    before: Kpi | None = None,
) -> str:
    """The text atop a page, under no header and holding no code (so not read: see may_continue),
    in columns of the table before where a row's text goes on (not a 構面 or 策略目標 label's),
    in that table's type (`body_size`): the end of a row a paginator broke across pages ('…經營
    管理計' / '畫', WebKit), which no row of this page can take. Only text that is the page's
    first, in its top tenth: a closing slide's words ('敬請指教'), larger, stand there when a
    document flows them onto a new page. Furniture aside.

    Text wholly in the plans column ends the last plan of `before`, the KPI read last, as a
    plans cell's uncoded first lines under a repeated header do (see end_of_last_row): it is
    taken, and '' returned. Any other such text is returned: no row can take it."""
    top, bottom = span
    columns = [c for c in layout.columns if c.role not in (Role.PERSPECTIVE, Role.OBJECTIVE)]
    # Furniture is told by a whole line: a note under the table before, pushed onto this page
    # ('註：實際值統計至…'), begins in the 策略目標 column and runs on across the others.
    # Text the page clips away shows nothing to end a row with (a logo box cut by the page's
    # content area, Flying Saucer).
    upright = group_lines(g for g in glyphs if top <= g.cy < bottom and not g.rotated and not g.hidden)
    kept = [ln for ln in upright if not is_page_number(ln, page_height) and not is_furniture(ln.text)]
    lines = group_lines(g for ln in kept for g in ln.glyphs if any(c.holds(g) for c in columns))
    if not lines or lines[0].top > TOL.tail_top_share * page_height:
        return ""
    if any(g.bottom <= lines[0].top for g in glyphs):
        return ""  # text above it: a slide's own, not a row's end at the page's top
    if any(ln.size > TOL.tail_size_share * body_size for ln in lines):
        return ""
    plans = layout.column(Role.PLANS)
    last = before.action_plans[-1] if before is not None and before.action_plans else None
    if plans and last and last.code and last.name and all(plans.holds(g) for ln in lines for g in ln.glyphs):
        before.action_plans[-1] = replace(last, name=join_wrapped([last.name, *(ln.text for ln in lines)]))
        return ""
    return "".join(ln.text for ln in lines)


def coded_runs(lines: Iterable[Line]) -> tuple[str, ...]:
    """The runs of `lines` that begin with a code."""
    return tuple(run.text for line in lines for run in split_runs(line) if starts_with_code(run.text))
