"""Find KPI table headers on a page, by header text, and lay out their columns.

A header is a cluster of short text runs naming the columns: 構面, 策略目標, KPI, year columns
(實際值/目標值), 行動方案 and extras such as 權重 or 備註. Wording, order and wrapping vary by deck,
so roles come from patterns (pipeline.extract.header_roles) and the order from the runs; where the
columns lie is the business of pipeline.extract.columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from itertools import takewhile
from operator import attrgetter

from pipeline.clean.codes import starts_with_code
from pipeline.clean.text import is_ideograph, squash
from pipeline.extract.columns import place_columns
from pipeline.extract.furniture import opens_a_footnote
from pipeline.extract.geometry import Glyph, Line, split_at_rules, split_runs
from pipeline.extract.header_band import (
    NUMBER_LETTERS,
    classify_cell,
    ends_of_labels,
    find_body_top,
    is_header_text,
    raised_label_top,
    raised_row_text,
    stack,
    stacked_labels,
    wraps_onto,
)
from pipeline.extract.header_letters import letter_columns, letter_spaced
from pipeline.extract.header_roles import (
    MARKS,
    NAMES_A_ROLE,
    HeaderRun,
    begins_an_extra_name,
    classify_run,
    is_year_label,
    names_a_kind,
    split_at_overrun_rules,
    split_on_roles,
)
from pipeline.extract.labels import PERSPECTIVES, band_perspective
from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.rules import Rule
from pipeline.extract.tolerances import TOL

_KPI_CODE = re.compile(r"(?<![A-Za-z])[A-Z]{1,4}\d+\.\d+")
_ANY_CODE = re.compile(r"[A-Z]\d")  # what any code holds: a line without it opens no run with one


def _repeats(run: HeaderRun, cluster: list[HeaderRun]) -> bool:
    """True when a label of the same role already stands above `run` in its column: a header names
    a column once, so the second '構面' under it is data (a stacked 構面 label's last line)."""
    return any(
        r.role == run.role
        and r.year == run.year
        and r.line.bottom <= run.line.top
        and r.line.x0 < run.line.x1
        and run.line.x0 < r.line.x1
        for r in cluster
    )


def _after_data(run: HeaderRun, bottom: float, coded: list[Line]) -> bool:
    """True when a line holding a code lies below a header's text (ending at `bottom`) and no
    lower than `run`: a header holds no code, so the data rows have begun and `run` is a cell's
    text that happens to name a column (a value's note '(調整計算方式)' under the first code).
    `coded` are the page's lines that hold a code (see _holds_code)."""
    return any(bottom < line.centre and line.top <= run.line.centre for line in coded)


def _reach_em(run: HeaderRun, cluster: list[HeaderRun]) -> float:
    """How far below a header's text so far `run` may start and still be of it, in ems. A year
    under a header whose 實際值/目標值 marks have no year yet may lie further down: the year row
    of a two-row header whose top row is tall, its labels set at the top of their cells (a
    label wrapped or stacked over several lines, Scribus's top-aligned table cells)."""
    waiting = any(r.role in MARKS for r in cluster) and all(r.year is None for r in cluster)
    return TOL.header_years_em if waiting and run.year is not None else TOL.header_band_em


def _named_there(label: HeaderRun, runs: list[HeaderRun]) -> bool:
    """True when a run of `runs` names the same column as a stacked year label where it stands
    (its '113年' line): the label adds nothing. The same year named by another table's header on
    the page does not count: that table's columns may be wide enough for one-line labels."""
    box = label.line
    return any(
        r.role == label.role
        and r.year == label.year
        and r.line.x0 < box.x1
        and box.x0 < r.line.x1
        and r.line.top < box.bottom
        and box.top < r.line.bottom
        for r in runs
    )


def _cluster(runs: list[HeaderRun], coded: list[Line]) -> list[list[HeaderRun]]:
    """Group header runs that sit in one vertical band (one table header each), up to the first
    data row (see _after_data)."""
    clusters: list[list[HeaderRun]] = []
    for run in sorted(runs, key=lambda r: r.line.top):
        if clusters:
            bottom = max(r.line.bottom for r in clusters[-1])
            near = run.line.top <= bottom + _reach_em(run, clusters[-1]) * run.line.size
            if near and not _after_data(run, bottom, coded):
                if not _repeats(run, clusters[-1]):
                    clusters[-1].append(run)
                continue
        clusters.append([run])
    return clusters


def _column_runs(cluster: list[HeaderRun]) -> list[HeaderRun]:
    """One run per column: each year, each extra column, and the widest run of every other role."""
    columns: list[HeaderRun] = []
    for run in sorted(cluster, key=lambda r: -(r.line.x1 - r.line.x0)):
        if run.role in MARKS:
            continue
        if run.year is not None:
            if all(c.year != run.year for c in columns):
                columns.append(run)
            continue
        duplicate = any(
            c.role == run.role and (run.role != Role.EXTRA or (c.line.x0 < run.line.x1 and run.line.x0 < c.line.x1))
            for c in columns
        )
        if not duplicate:
            columns.append(run)
    return sorted(columns, key=lambda r: (r.line.x0 + r.line.x1) / 2)


def _pick_target(columns: list[HeaderRun], cluster: list[HeaderRun]) -> list[HeaderRun]:
    """Mark exactly one year column as the target: the one under '目標值', else the latest year."""
    years = [c for c in columns if c.year is not None]
    if not years:
        return columns
    explicit = [c for c in years if c.role == Role.TARGET]
    target_marks = [r for r in cluster if r.role == Role.TARGET_MARK]
    if explicit:
        target = explicit[0]
    elif target_marks:
        mark = (target_marks[0].line.x0 + target_marks[0].line.x1) / 2
        target = min(years, key=lambda c: abs((c.line.x0 + c.line.x1) / 2 - mark))
    else:
        target = max(years, key=lambda c: c.year or 0)
    return [
        HeaderRun(Role.TARGET if c is target else Role.ACTUAL, c.line, c.year) if c.year is not None else c
        for c in columns
    ]


def _extra_cut_short(cell: list[Line]) -> HeaderRun | None:
    """An extra column for a header cell whose text is the start of such a column's name and
    nothing else ('權' of 權重: Aspose.PDF drops a wrapped cell's last line when it is a letter
    or two): the values under it are that column's, not the next year's."""
    line = Line(tuple(g for piece in cell for g in piece.glyphs))
    return HeaderRun(Role.EXTRA, line) if begins_an_extra_name(squash(line.text)) else None


def _unnamed_columns(
    cells: list[list[Line]], roles: list[HeaderRun | None], glyphs: list[Glyph] | None, body: tuple[float, float]
) -> list[HeaderRun]:
    """Extra columns for header cells whose words name no column the parser knows ('計算公式',
    '承辦科室', '基準'): a label of its own, beside the known ones and over none of them, with text
    under it in the table's body. Unnamed, such a column's text would run into its neighbour's
    cells (a KPI's name, a plan, a value). A perspective band row, a bracket wrapped off a label
    and a caption with nothing under it are no columns. Under it means within a label's width of
    it, short of the next labels: a short value ('5%') set left under a centred label is its own;
    left of the first label, any way left (a row's number set at the edge of a wide first cell).
    `roles` are the roles the cells name, None where a cell names none. `glyphs` is None for a
    header with no rows under it (at a page's foot, its rows on the next
    page): its labels are taken at their word."""
    labels = [Line(tuple(g for piece in cell for g in piece.glyphs)) for cell in cells]
    named = [role for role in roles if role]
    slack = TOL.box_slack_pt  # boxes of labels set side by side may touch
    extras = []
    for role, line in zip(roles, labels):
        text = squash(line.text)
        if role or sum(map(is_ideograph, text)) < 2 or band_perspective(text):
            continue
        if any(r.line.x0 < line.x1 - slack and line.x0 < r.line.x1 - slack for r in named):
            continue  # a label spanning named ones, or one's wrapped words
        width = line.x1 - line.x0
        before = [o.x1 for o in labels if o.x1 <= line.x0]
        left = max(before) if before else float("-inf")
        right = min([o.x0 for o in labels if o.x0 >= line.x1] + [line.x1 + width])
        if glyphs is None or any(body[0] < g.cy < body[1] and left < g.cx < right for g in glyphs):
            extras.append(HeaderRun(Role.EXTRA, line))
    return extras


def _ends_a_wrapped_band(line: Line, lines: list[Line]) -> bool:
    """True when `line` is the end of a 構面 band row's name wrapped in a narrow first cell, the
    line right above it its start ('內部流' / '程構面', Writer): no header's '構面' label."""
    if not squash(line.text).endswith("構面"):
        return False
    above = [
        other
        for other in lines
        if 0 <= line.top - other.bottom <= TOL.header_wrap_em * line.size and abs(other.x0 - line.x0) <= line.size
    ]
    return any(band_perspective(Line(other.glyphs + line.glyphs).text) in PERSPECTIVES for other in above)


def _blank_numbering_head(
    heads: list[Column], vrules: list[Rule], lines: list[Line], band: tuple[float, float], body_bottom: float
) -> list[Column]:
    """An extra column for row numbers under a blank header cell left of the first label (TCPDF
    leaves '編號' unprinted): the drawn rule crossing the header there parts the numbers from the
    first column's text ('1顧客' read as a 構面 label), or, drawn in the header only (the edge of
    its cells' fills, Scribus), the gutter before the rule does; with no rule drawn anywhere
    across the header, the numbers' words stand wholly left of the first label's left edge, and
    the first column's text may start left of it, centred wider than its label (Scribus drops a
    '編號' too wide for its cell: 'AF1 提升預算執行效能' set out past '策略性目標'). Only
    numbers: other text under a blank head is no column the parser can name. Text run over the
    rule is no cell's of the strip: a 構面 band row set across the table, the rule broken off
    around it ('顧客', TCPDF)."""
    top, body_top = band
    slack = TOL.box_slack_pt
    crossing = [r.pos for r in vrules if r.start <= top + slack and r.end >= body_top - slack]
    left_of_labels = sorted(pos for pos in crossing if pos < heads[0].head[0])
    body = [line for line in lines if body_top <= line.centre < body_bottom]
    if left_of_labels:
        edge = left_of_labels[-1]
        outer = max((pos for pos in left_of_labels if pos < edge - slack), default=float("-inf"))
        # A rule drawn in the header only (the edge of its cells' fills, Scribus) parts no body line:
        # its words do, a gutter apart.
        cells = [cell for line in body for cell in split_at_rules(line, vrules) if cell.x0 <= edge + slack]
        words = [word for cell in cells for word in split_runs(cell, TOL.min_gutter_em)]
        strip = [g for word in words if outer - slack < word.x0 and word.x1 <= edge + slack for g in word.glyphs]
    elif not crossing and heads[0].role is not Role.EXTRA:  # a first label of its own ('編號') takes them
        edge = heads[0].head[0]
        words = [word for line in body for word in _words_from_the_left(line, edge)]
        strip = [g for word in words if word.x1 <= edge + slack for g in word.glyphs]
    else:
        return []
    strip = [g for g in strip if not g.text.isspace()]
    if not strip or not all(g.text.isdigit() for g in strip):
        return []
    if not left_of_labels:  # the first column's text may start left of its centred label: the gutter parts them
        edge = max(g.x1 for g in strip)
    return [Column(Role.EXTRA, 0.0, 0.0, head=(min(g.x0 for g in strip), edge))]


def _words_from_the_left(line: Line, edge: float) -> list[Line]:
    """The words of `line` (runs of glyphs less than a gutter apart) that start left of `edge`:
    only glyphs within a gutter past it can go on a word begun before it."""
    reach = edge + TOL.min_gutter_em * max((g.size for g in line.glyphs), default=0.0) + TOL.box_slack_pt
    glyphs = tuple(takewhile(lambda g: g.x0 <= reach, line.glyphs))
    return split_runs(Line(glyphs), TOL.min_gutter_em) if glyphs else []


def _a_titles_year(run: HeaderRun, line_pieces: list[Line]) -> bool:
    """True when `run` is a bare year ('110年度', no 實際值 or 目標值) on a line with text a header
    never holds: a title row atop the table ('桃園市政府文化局 110年度'), not a year row's label.
    A title names one year; a year row names several, each a label of its own, whatever words
    stand beside them (the first line of a label the parser does not know, '主辦單' / '位'). A
    note's sentence ('註：實際值統計至113年12月底；目標值為114年度預定。') is no year row."""
    if run.year is None or names_a_kind(squash(run.line.text)):
        return False
    year_labels = [p for p in line_pieces if is_year_label(p.text)]
    return len(year_labels) < 2 and any(not is_header_text(piece) for piece in line_pieces)


def _header_pieces_beside_label_ends(line_pieces: list[Line], label_pieces: list[Line], headed_below: bool) -> bool:
    """True when a line holds header text beside the wrapped ends of labels no column is known
    by: the years' second lines ('值(110') level with '號', the end of a '序' / '號' label begun on
    the labels' line. Every piece is in header letters or a short end wrapped under a label
    line's piece, and one names more than a number, or the line right under it is in header
    letters only (LibreOffice wraps '實際值(108年)' as '實際值' / '(108' / '年)'): a row of bare
    numbers under the labels is the table's first row otherwise."""
    words = [p for p in line_pieces if is_header_text(p) and not set(squash(p.text)) <= NUMBER_LETTERS]
    return (bool(words) or headed_below) and all(
        is_header_text(p)
        or (
            len(squash(p.text)) <= TOL.header_fragment_chars
            and any(wraps_onto(upper, p) for upper in label_pieces if upper is not p)
        )
        for p in line_pieces
    )


def _lines_stacked_above(
    level: list[Line], lines: list[Line], coded_ids: set[int], pieces_of: Callable[[Line], list[Line]]
) -> set[int]:
    """The lines stacked right above the labels' line, one on the next, each with a word in
    header letters: a header set at its cells' feet wraps a narrow column's label upward from
    that line ('110' / '年實' / '際值' beside '策略性目標'), next to other columns' labels in words
    no header is known by ('協辦' / '機關'). A row holds a code; none is above its header."""
    stacked = list(level)
    found = {id(line) for line in level}
    for line in sorted(lines, key=attrgetter("top"), reverse=True):
        if id(line) in coded_ids or id(line) in found or not any(_just_under(line, below) for below in stacked):
            continue
        if any(is_header_text(p) and not set(squash(p.text)) <= NUMBER_LETTERS for p in pieces_of(line)):
            stacked.append(line)
            found.add(id(line))
    return found - {id(line) for line in level}


def _just_under(upper: Line, line: Line) -> bool:
    """True when `line` starts where a wrapped line of `upper` would (see wraps_onto)."""
    return -TOL.box_slack_pt <= line.top - upper.bottom <= TOL.header_wrap_em * line.size


def _holds_code(line: Line) -> bool:
    """True when a line prints a code: a run opening with one, or a KPI code anywhere in it ('顧客構面
    AC1 … AC1.1 …' set with gutters too narrow to split it into runs). A header prints none."""
    if _KPI_CODE.search(line.text):
        return True
    return _ANY_CODE.search(line.text) is not None and any(starts_with_code(run.text) for run in split_runs(line))


def _rejoined(labels: list[Line], runs: list[HeaderRun], coded: list[Line]) -> tuple[list[list[HeaderRun]], list[Line]]:
    """The header whose label row (`labels`, from the foot of the page before) goes on at this
    page's top with its year row: two years or more on one line above the first row. The labels
    are set just above that row, so that each stacks on the years it spans."""
    first_row = min((line.top for line in coded), default=float("inf"))
    years = [r for r in runs if r.year is not None and r.line.bottom <= first_row]
    if len(years) < 2:
        return [], []
    row_top = min(r.line.top for r in years)
    row = [r for r in years if r.line.top < row_top + TOL.same_line_em * r.line.size]
    if len(row) < 2:
        return [], []
    shift = row_top - TOL.box_slack_pt - max(line.bottom for line in labels)
    moved = [Line(tuple(g.moved(0, shift) for g in line.glyphs)) for line in labels]
    cluster = [hr for line in moved if (hr := classify_run(line))] + row
    return ([cluster], moved) if _looks_like_header(cluster) else ([], [])


def _sets_the_bottom(cluster: list[HeaderRun], stacked: list[HeaderRun], lines: list[Line]) -> list[HeaderRun]:
    """The runs of `cluster` that tell where its header ends. A year label read stacked (see
    stacked_labels) does when it starts above the other labels (centred in a tall cell, it
    ends as far below them), or when no other text stands beside its lines below theirs: the
    wrapped lines of labels begun on the header's top line are the header's whatever their
    words ('項' / '次', '承辦' / '科室', in cells as narrow as the years'). Else
    its wrapped end is printed over the first row (a band row '顧客' level with '4年)'), and
    where the header ends is the other labels' business."""
    own = [r for r in cluster if r not in stacked]
    read_stacked = [r for r in cluster if r in stacked]
    if not own or not read_stacked:
        return cluster
    if min(r.line.top for r in read_stacked) < min(r.line.top for r in own) - TOL.box_slack_pt:
        return cluster
    top = min(r.line.top for r in own)
    below, bottom = max(r.line.bottom for r in own), max(r.line.bottom for r in read_stacked)
    band = [run for ln in lines if ln.top < bottom and ln.bottom > top for run in split_runs(ln)]
    beside = any(
        run.bottom > below and not is_header_text(run)
        for cell in stack(band)
        if cell[0].top > top + TOL.box_slack_pt  # not a label's wrapped lines ('項' / '次')
        for run in cell
    )
    return own if beside else cluster


def _band_above(lines: list[Line], header_top: float, band: list[Line]) -> Line | None:
    """A 構面 name printed alone right above the header, not right of it (a table for each
    perspective, each under its name, set at the table's left edge or over its middle): the
    perspective of the rows under that header."""
    if not band:
        return None
    right = max(p.x1 for p in band)
    above = [ln for ln in lines if ln.bottom <= header_top + TOL.box_slack_pt and ln.x0 < right]
    if not above:
        return None
    nearest = max(above, key=lambda ln: ln.bottom)
    close = header_top - nearest.bottom <= TOL.header_band_em * nearest.size
    return nearest if close and band_perspective(nearest.text) else None


def _looks_like_header(cluster: list[HeaderRun]) -> bool:
    roles = {r.role for r in cluster}
    has_values = any(r.year is not None or r.role in MARKS for r in cluster)
    return Role.KPI in roles and has_values and (Role.PLANS in roles or Role.OBJECTIVE in roles)


HeaderKey = tuple[tuple[Role, int | None, int, int], ...]


def _header_key(heads: list[Column]) -> HeaderKey:
    """What tells one header from another: its columns' roles, years and labels' places."""
    return tuple((c.role, c.year, round(c.head[0]), round(c.head[1])) for c in heads)


def find_layouts(
    lines: list[Line],
    glyphs: list[Glyph],
    rules: tuple[list[Rule], list[Rule]],
    page_width: float,
    title_tops: list[float],
    seen: dict[HeaderKey, TableLayout] | None = None,
    parted: list[Line] | None = None,
) -> list[TableLayout]:
    """Every KPI table header on the page, top to bottom; `rules` are the horizontal and vertical
    rules, `title_tops` where theme titles start (a table's body ends at the next one). `seen`
    holds the layouts of headers read on the pages before: a table of one or two rows under the
    same header keeps their column edges wherever its text leaves them clear (so few rows tell
    less of where the columns are than the pages before did), and each table adds its own.
    `parted` carries a header's label row from a page's foot to the next page, whose top holds its
    year row (a page break between a table's header rows): the two are read as one header."""
    hrules, vrules = rules
    labels_before = list(parted or [])
    if parted is not None:
        parted.clear()
    pieces: dict[int, list[Line]] = {}  # each line's runs cut at role names, worked out once

    def pieces_of(line: Line) -> list[Line]:
        if id(line) not in pieces:
            pieces[id(line)] = [
                piece
                for run in split_runs(line)
                for cell in split_at_rules(run, vrules)
                for part in split_at_overrun_rules(cell, vrules)
                for piece in split_on_roles(part)
            ]
        return pieces[id(line)]

    # Only a line naming a role can hold a header run: most of a page's text is never cut up.
    runs = [
        hr
        for line in lines
        if NAMES_A_ROLE.search(squash(line.text))
        and band_perspective(line.text) not in PERSPECTIVES
        and not _ends_a_wrapped_band(line, lines)
        and not opens_a_footnote(line.text)
        for p in pieces_of(line)
        if (hr := classify_run(p)) and not _a_titles_year(hr, pieces_of(line))
    ]
    coded = [line for line in lines if _holds_code(line)]  # data rows: a header holds no code
    coded_ids = {id(line) for line in coded}
    by_seq: dict[int, Glyph] = {}  # the page's glyphs by drawing order, made for the first header
    stacked: list[HeaderRun] = []
    if runs:  # the page names roles: its year labels may be wrapped a few letters a line
        # A line level with a label, and holding no code, holds the header's pieces whatever its
        # other labels say ('單位 分 10 11 11': the years' first lines beside the ends of labels
        # no column is known by). A row's line beside a label's wrapped end is the row's.
        labelled = [r.line for r in runs]
        level = [ln for ln in lines if any(r.top < ln.bottom and ln.top < r.bottom for r in labelled)]
        level_ids = {id(ln) for ln in level}
        above_ids = _lines_stacked_above(level, lines, coded_ids, pieces_of)
        label_pieces = [p for line in level for p in pieces_of(line)]
        pieces_in_header_letters = [
            p
            for line in lines
            if is_header_text(line)
            or (
                id(line) not in coded_ids
                and (
                    id(line) in level_ids
                    or id(line) in above_ids
                    or (
                        any(_just_under(ln, line) for ln in level)
                        and _header_pieces_beside_label_ends(
                            pieces_of(line),
                            label_pieces,
                            any(_just_under(line, below) and is_header_text(below) for below in lines),
                        )
                    )
                )
            )
            for p in pieces_of(line)
        ]
        stacked = [r for r in stacked_labels(pieces_in_header_letters) if not _named_there(r, runs)]
        runs += stacked
    candidates = [c for c in _cluster(runs, coded) if _looks_like_header(c)]
    carried: list[Line] = []  # the label row of the page before, set over this page's year row
    if labels_before:  # above the page's own headers: a new theme's table may follow further down
        first_header = min((min(r.line.top for r in c) for c in candidates), default=float("inf"))
        rejoined, carried = _rejoined(labels_before, [r for r in runs if r.line.bottom <= first_header], coded)
        candidates = rejoined + candidates
    # A table's body ends where the next table's title (or header) begins.
    starts = sorted([min(r.line.top for r in c) for c in candidates] + title_tops)
    layouts = []
    for candidate in candidates:
        header_top = min(r.line.top for r in candidate)
        body_top = find_body_top(_sets_the_bottom(candidate, stacked, lines), lines, coded, hrules)
        near = [ln for ln in lines if ln.bottom >= header_top - TOL.box_slack_pt and ln.top <= body_top]
        header_top = raised_label_top(header_top, near, lines)
        near = [ln for ln in lines if ln.bottom >= header_top - TOL.box_slack_pt and ln.top <= body_top]
        by_seq = by_seq or {g.seq: g for g in glyphs}
        raised = raised_row_text(candidate, glyphs, by_seq, (header_top - TOL.box_slack_pt, body_top))
        band = [
            p
            for line in near
            for p in pieces_of(line)
            if p.top >= header_top - TOL.box_slack_pt
            and (p.top + p.bottom) / 2 <= body_top
            and not all(g in raised for g in p.glyphs)
        ] + carried
        # A 構面 band row under a header with no rows below it (at a page's foot) is in its band:
        # it opens the rows to come (opening_band), and is no label's wrapped line ('編' / '號').
        labels = [p for p in band if band_perspective(p.text) not in PERSPECTIVES or classify_run(p)]
        cells = letter_spaced([column for cell in stack(labels) for column in letter_columns(cell)])
        ends = ends_of_labels(cells, by_seq, body_top)
        cells = [[*cell, end] if end else cell for cell, end in zip(cells, ends)]
        label_ends = frozenset(g for end in ends if end for g in end.glyphs)
        body_bottom = min((y for y in starts if y > body_top), default=float("inf"))
        roles = [classify_cell(cell) or _extra_cut_short(cell) for cell in cells]
        cluster = [role for role in roles if role]
        rows = sum(1 for ln in coded if body_top <= ln.centre < body_bottom)
        cluster += _unnamed_columns(cells, roles, glyphs if rows else None, (body_top, body_bottom))
        opening_band = next((p for p in band if band_perspective(p.text) and not classify_run(p)), None)
        opening_band = opening_band or _band_above(lines, header_top, band)
        columns = _pick_target(_column_runs(cluster), cluster)
        if not any(c.year is not None for c in columns) or not any(c.role == Role.KPI for c in columns):
            if parted is not None and candidate is candidates[-1] and not any(ln.centre > body_top for ln in coded):
                parted[:] = band  # labels at the page's foot, nothing under them: the years may follow
            continue
        heads = [Column(c.role, 0.0, 0.0, c.year, head=(c.line.x0, c.line.x1)) for c in columns]
        heads = _blank_numbering_head(heads, vrules, lines, (header_top, body_top), body_bottom) + heads
        key = _header_key(heads)
        before = seen.get(key) if seen is not None and rows < TOL.aligned_lines else None
        if before is not None:
            heads = [replace(head, x0=known.x0, x1=known.x1) for head, known in zip(heads, before.columns)]
        band = (header_top, body_top)
        if any(c.role == Role.PERSPECTIVE for c in columns):
            opening_band = None  # a stacked label's letters, read with the column
        layout = TableLayout((), header_top, body_top, label_ends, opening_band, raised)
        layout_columns = place_columns(
            heads,
            layout.without_label_ends(glyphs),
            vrules,
            band,
            page_width,
            body_bottom,
            continued=before is not None,
            hrules=hrules,
        )
        layout = replace(layout, columns=layout_columns)
        if seen is not None:
            seen[key] = layout
        layouts.append(layout)
    return layouts
