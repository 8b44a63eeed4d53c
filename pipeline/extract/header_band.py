"""Where a header's band begins and ends, and which text in it is its labels'.

Header rows are often too small for their labels: a label wraps in its cell, starts a line above
the others, or runs on down over the first row, and a row's text may be printed up into the band.
Where the band ends decides which text is the body, so it is worked out from the labels' wording,
wrapping and drawing order before any column is placed; which runs make a header is
pipeline.extract.header's business.
"""

from __future__ import annotations

from operator import attrgetter

from pipeline.clean.codes import starts_with_code
from pipeline.clean.text import is_ideograph, squash
from pipeline.extract.geometry import Glyph, Line, glyph_text, split_runs
from pipeline.extract.header_roles import MARKS, HeaderRun, classify_run, starts_with_value
from pipeline.extract.labels import band_perspective
from pipeline.extract.overprint import follows
from pipeline.extract.rules import Rule, covered
from pipeline.extract.tolerances import TOL

# What a header's numbers are written with (years, brackets): a piece of these alone names nothing.
NUMBER_LETTERS = set("()（）0123456789")
# Every letter a header label is written with: the end of a wrapped label uses no other.
_HEADER_LETTERS = NUMBER_LETTERS | set(
    "構面策略性目標KPI關鍵績效指衡量行動方案計畫劃權重備註式準實際值年算說明資料來源單位"
)


_YEAR_LABEL_LETTERS = NUMBER_LETTERS | set("實際目標值年")


def _continues_label(run: Line, cluster: list[HeaderRun], size: float) -> bool:
    """True when `run`, just under the header, is the wrapped end of the label above it
    ('(關鍵績效指' / '標)'): short, no code, and the label it completes still names the same
    role. A stacked data label under '構面' ('內' / '部' …) completes nothing, nor do words
    under a year column's label ('111年' / '指標': a value's note '指標調整不適用' set high)."""
    text = squash(run.text)
    if len(text) > TOL.header_fragment_chars or starts_with_code(run.text) or starts_with_value(text):
        return False  # a code, or a number that is no year (a value's first line, '3,38' of '3,386')
    if band_perspective(text) or not set(text) <= _HEADER_LETTERS:
        return False  # a 構面 band row ('顧客構面'), or words no header uses (a value's note '新指標')
    hosts = [r for r in cluster if r.line.x0 - size <= run.x0 and run.x1 <= r.line.x1 + size]
    for host in hosts:
        if (host.year is not None or host.role in MARKS) and not set(text) <= _YEAR_LABEL_LETTERS:
            continue  # a year column's label goes on with its kind, 值, its year and brackets only
        completed = classify_run(Line(host.line.glyphs + run.glyphs))
        if completed is None:
            continue
        same_year = host.year is not None and completed.year == host.year
        year_found = host.role in MARKS and completed.year is not None  # '實際值(109' / '年)'
        if completed.role == host.role or same_year or year_found:
            return True
    return False


def find_body_top(cluster: list[HeaderRun], lines: list[Line], coded: list[Line], hrules: list[Rule]) -> float:
    """The y where data starts: below the header's text and the wrapped ends of its labels (which
    may overflow the header's cells), at the rule under the header if the text ends above it,
    else halfway to the first data line; never below the top of the first line holding a code (a
    header row too short for its labels, its last line printed over the first row's)."""
    edge = _body_top_by_labels(cluster, lines, hrules)
    label_centre = max(r.line.centre for r in cluster)
    first_row = min((ln.top for ln in coded if ln.centre > label_centre), default=edge)
    return min(edge, max(first_row, label_centre))


def _body_top_by_labels(cluster: list[HeaderRun], lines: list[Line], hrules: list[Rule]) -> float:
    bottom = max(r.line.bottom for r in cluster)
    size = max(r.line.size for r in cluster)
    x0 = min(r.line.x0 for r in cluster)
    x1 = max(r.line.x1 for r in cluster)
    below = [
        p
        for p in covered(hrules, x0, x1, TOL.under_header_share)
        if bottom - TOL.rule_join_pt <= p <= bottom + TOL.header_rule_em * size
    ]
    last: Line | None = None
    above = [r.line for r in cluster]
    for line in lines:
        if line.top <= bottom or line.top > bottom + TOL.header_wrap_em * size:
            continue
        runs = split_runs(line)
        # A label's end goes on right under its label's last line; a line skipped between them is
        # the rest of a row broken over the page, under a repeated header ('畫' two lines under
        # '行動計畫', a Writer table with no rules).
        if not all(_continues_label(run, cluster, size) and any(wraps_onto(u, run) for u in above) for run in runs):
            break
        if any(bottom - TOL.rule_join_pt <= p <= line.top for p in below):
            break  # wholly under the rule closing the header: the rest of a row broken over the page
        bottom, last = line.bottom, line
        above += runs
    if below and min(below) >= bottom - TOL.rule_join_pt:
        return min(below)
    if last is not None:  # label ends overflow the header: the body starts past their middle
        centre = (last.top + last.bottom) / 2
        following = [(ln.top + ln.bottom) / 2 for ln in lines if (ln.top + ln.bottom) / 2 > centre + size / 2]
        return (centre + min(following, default=bottom + size)) / 2
    # No rule under the text: the border lies halfway to the first data line, as between rows.
    next_top = min((line.top for line in lines if line.top > bottom), default=bottom + 1)
    return (bottom + next_top) / 2


def wraps_onto(upper: Line, lower: Line, others: list[Line] | None = None) -> bool:
    """True when `lower` may be the next line of a label whose line `upper` is: just under it,
    and overlapping it by a good share of the narrower of the two. A label of a letter per line
    may set its letters further apart, a line or two (paragraph spacing, a printer of HTML that
    doubles a break): one letter right over another, with none of the `others` between them.
    Lines set closer than their glyphs' boxes are tall (pdfbox's graphics boxes glyphs by the
    font's whole height) overlap a little."""
    narrower = min(upper.x1 - upper.x0, lower.x1 - lower.x0)
    overlap = min(upper.x1, lower.x1) - max(upper.x0, lower.x0)
    gap = lower.top - upper.bottom
    tight = max(TOL.box_slack_pt, TOL.header_wrap_tight_em * lower.size)
    if overlap < TOL.header_wrap_overlap * narrower or gap < -tight:
        return False
    if gap <= TOL.header_wrap_em * lower.size:
        return True
    return others is not None and gap <= TOL.letter_wrap_em * lower.size and _lone_letters(upper, lower, others)


def _lone_letters(upper: Line, lower: Line, others: list[Line]) -> bool:
    """True when `upper` and `lower` are a letter each, one centred over the other, and none of
    `others` stands between them under the upper one."""
    if len(squash(upper.text)) != 1 or len(squash(lower.text)) != 1:
        return False
    if abs((upper.x0 + upper.x1) / 2 - (lower.x0 + lower.x1) / 2) > upper.size / 2:
        return False
    return not any(
        upper.bottom <= o.top and o.bottom <= lower.top and o.x0 < upper.x1 and upper.x0 < o.x1 for o in others
    )


def raised_label_top(header_top: float, near: list[Line], lines: list[Line]) -> float:
    """The header's top, raised to the first line of a label wrapped in a cell too narrow for it
    and centred there, which stands above the other labels' line ('構' / '面' over a one-line
    header): a line starting above whose runs are short and each go on into a run of the header's
    text below it. A run in other letters than a header uses goes on into text that names no
    column: a label no column is known by ('項' / '次' beside a one-line header, '計算公' / '式'
    beside year labels wrapped over four lines)."""
    slack = TOL.box_slack_pt
    below = [run for ln in near for run in split_runs(ln) if run.top >= header_top - slack]
    for line in sorted((ln for ln in lines if ln.top < header_top - slack), key=lambda ln: -ln.top):
        # Only the runs above: a label's first letter set higher shares a line with the others.
        runs = [run for run in split_runs(line) if run.top < header_top - slack]
        if not runs:  # a line begun within the slack of a top raised already
            continue
        if any(len(squash(run.text)) > TOL.header_fragment_chars for run in runs) or not all(
            any(wraps_onto(run, lower, below) and (is_header_text(run) or not classify_run(lower)) for lower in below)
            or _centred_on_the_labels(run, lines, near)
            for run in runs
        ):
            break
        header_top, below = min(run.top for run in runs), [*runs, *below]
    return header_top


def _centred_on_the_labels(letter: Line, lines: list[Line], near: list[Line]) -> bool:
    """True when `letter`, one letter, has another right under it past the header's labels, the
    two centred on a line of those labels (`near`): a label of two letters wrapped in a cell too
    narrow for it and centred in a header row of one-line labels, its lines set far apart
    (Flying Saucer's tall lines put '項' a line above the other labels and '次' a line below)."""
    if len(squash(letter.text)) != 1:
        return False
    slack, middle = TOL.box_slack_pt, (letter.x0 + letter.x1) / 2
    return any(
        len(squash(run.text)) == 1
        and abs((run.x0 + run.x1) / 2 - middle) <= letter.size / 2
        and run.top > max((ln.bottom for ln in near), default=letter.bottom)
        and any(abs((letter.centre + run.centre) / 2 - ln.centre) <= slack for ln in near)
        for line in lines
        if line.top > letter.bottom
        for run in split_runs(line)
    )


def classify_cell(pieces: list[Line]) -> HeaderRun | None:
    """The role a header cell's text names, wrapped lines joined ('KPI' / '(關鍵績效指' / '標)');
    else its first line's alone: a stacked 構面 label's letters ('學' / '習' …) may run on under
    the header's '構面' and complete nothing."""
    return classify_run(Line(tuple(g for line in pieces for g in line.glyphs))) or classify_run(pieces[0])


def is_header_text(line: Line) -> bool:
    """True when `line` is written in letters a header uses only (spaces aside)."""
    return set(squash(line.text)) <= _HEADER_LETTERS


def stacked_labels(pieces: list[Line]) -> list[HeaderRun]:
    """Labels wrapped in cells too narrow for them, which no one line names: the year columns'
    ('108' / '年' / '實際' / '值', or '實際' / '值(111年)') and any other column's whose lines name
    nothing alone ('關鍵績' / '效指標', a letter-spaced label wrapped word by word). Pieces in
    letters a header uses, stacked cell by cell (see stack) and read joined."""
    fragments = [
        p
        for p in pieces
        if len(text := squash(p.text)) <= TOL.header_run_chars and text and set(text) <= _HEADER_LETTERS
    ]
    cells = [cell for stacked in stack(fragments) if len(cell := _drawn_together(stacked)) > 1]
    return [
        hr
        for cell in cells
        if (hr := classify_cell(cell)) and (hr.year is not None or not any(classify_run(p) for p in cell))
    ]


def _drawn_together(cell: list[Line]) -> list[Line]:
    """A stacked cell's lines up to the first not drawn right after the one above it: a label's
    lines are drawn one after the other, and a number under them drawn later is a row's value
    printed up over the header ('110年' / '實際' / '值' over '1979', of '1979' / '3人次')."""
    kept = cell[:1]
    for line in cell[1:]:
        before = max(g.seq for g in kept[-1].glyphs)
        first = min((g.seq for g in line.glyphs if g.seq >= 0), default=-1)
        if before >= 0 and first >= 0 and not 0 < first - before <= TOL.header_fragment_chars:
            break
        kept.append(line)
    return kept


def stack(pieces: list[Line]) -> list[list[Line]]:
    """Group header text wrapped inside one cell ('KPI' / '(關鍵績效指' / '標)'), top to bottom."""
    cells: list[list[Line]] = []
    for piece in sorted(pieces, key=lambda p: p.top):
        for cell in cells:
            if wraps_onto(cell[-1], piece, pieces):
                cell.append(piece)
                break
        else:
            cells.append([piece])
    return cells


def _drawn_on_below(cell: list[Line], by_seq: dict[int, Glyph], body_top: float) -> list[Glyph]:
    """The glyphs drawn right after a header cell's text, below the body's top and under the
    cell, in letters a header uses: the end of a label its cell was too short for, printed down
    over the first row ('實際值' / '(107' / '年)' over the value '13'). The row's own text is
    drawn after the whole header, so drawing order tells the two apart where they overlap."""
    seq = max(g.seq for line in cell for g in line.glyphs)
    x0, x1 = min(line.x0 for line in cell), max(line.x1 for line in cell)
    size = max(line.size for line in cell)
    ends: list[Glyph] = []
    while seq >= 0 and len(ends) < TOL.header_fragment_chars and (g := by_seq.get(seq + 1 + len(ends))):
        if g.cy <= body_top or g.text not in _HEADER_LETTERS or g.x0 < x0 - size or g.x1 > x1 + size:
            break
        ends.append(g)
    # Letters that go on, on their line, with words no header uses begin the cell's own text, drawn
    # right after the header cell by a tool that draws column by column ('指標' of '指標調整').
    after = by_seq.get(seq + 1 + len(ends)) if ends else None
    if after is not None and after.cy > body_top and follows(ends[-1], after, lambda g: None):
        return []
    return ends


def ends_of_labels(cells: list[list[Line]], by_seq: dict[int, Glyph], body_top: float) -> list[Line | None]:
    """Each cell's label end printed over the body (see label_end), or None. A label of two
    letters no column is known by ends in its second letter, right under its first (see
    _second_letter): as far under it as the header's other labels set their ends, in a document
    whose lines stand far apart ('項' / '次' as '實際值(106' / '年)', 25 pt apart in 9 pt type:
    Flying Saucer with a tall line height)."""
    ends = [label_end(cell, by_seq, body_top) for cell in cells]
    ends = [end if end is None or _next_line(cell[-1], end, cells) else None for cell, end in zip(cells, ends)]
    drops = [end.top - cell[-1].bottom for cell, end in zip(cells, ends) if end is not None and end.top > cell[-1].top]
    middles = [cell[0].centre for cell in cells if len(cell) == 1]
    drop = max(drops, default=0.0)
    return [end or _second_letter(cell, by_seq, body_top, drop, middles) for cell, end in zip(cells, ends)]


def _next_line(last: Line, end: Line, cells: list[list[Line]]) -> bool:
    """True when `end` stands on the header's next line after `last`: no label wraps onto a line
    between them. A letter a line further down, drawn right after the header, is the rest of a
    row broken over the page under a repeated header ('畫' under '行動計畫', with the year
    labels' second lines '際值' between them: a Writer table with no rules). A one-line label
    centred in the band may stand between: its line is no wrapped line of the header."""
    slack = TOL.box_slack_pt
    return not any(last.bottom - slack <= ln.top and ln.bottom <= end.top + slack for cell in cells for ln in cell[1:])


def label_end(cell: list[Line], by_seq: dict[int, Glyph], body_top: float) -> Line | None:
    """The end of the cell's label printed over the body (see _drawn_on_below), when it completes
    the label: the same role, or the year a '實際值(107' lacked."""
    ends = _drawn_on_below(cell, by_seq, body_top)
    host = classify_cell(cell) if ends else None
    if host is None:
        return None
    end = Line(tuple(ends))
    return end if _continues_label(end, [host], max(line.size for line in cell)) else None


def _second_letter(
    cell: list[Line], by_seq: dict[int, Glyph], body_top: float, drop: float, middles: list[float]
) -> Line | None:
    """The second letter of a label of two that no column is known by, drawn right after its first
    and right under it (within half an em, or the `drop` other labels' ends fall below their
    cells, or the two centred on the line of the header's one-line labels, their `middles`), over
    the body (PyMuPDF wraps '項次' in a narrow first cell and prints '次' over the first row;
    Flying Saucer's tall lines set '項' a line above the header's other labels and '次' a line
    below): one letter alone is no label. Not a letter that goes on, on its line, with more
    text: a cell's own text, drawn right after the header cell by a tool that draws column by
    column."""
    if len(cell) != 1 or len(cell[0].glyphs) != 1 or not is_ideograph(cell[0].glyphs[0].text):
        return None
    first = cell[0].glyphs[0]
    second = by_seq.get(first.seq + 1)
    if second is None or second.cy <= body_top or not is_ideograph(second.text):
        return None
    reach = max(first.size / 2, drop + TOL.box_slack_pt)
    centred = any(abs((first.cy + second.cy) / 2 - middle) <= TOL.box_slack_pt for middle in middles)
    gap = second.top - first.bottom
    under = abs(second.cx - first.cx) <= first.size / 2 and gap >= 0 and (gap <= reach or centred)
    after = by_seq.get(second.seq + 1)
    on_its_line = after is not None and follows(second, after, lambda g: None)
    return Line((second,)) if under and not on_its_line else None


def raised_row_text(
    cluster: list[HeaderRun], glyphs: list[Glyph], by_seq: dict[int, Glyph], band: tuple[float, float]
) -> frozenset[Glyph]:
    """The glyphs in the header's `band` (top, body top) drawn after all its labels, in runs that
    go on below the body's top: the first row's text printed up over the header (a row of fixed
    height whose cell, centred, is taller than it: '95.0%(調' over '08年)', '整計算方' below)."""
    top, body_top = band
    after = max(g.seq for run in cluster for g in run.line.glyphs)
    raised: set[Glyph] = set()
    for g in sorted((g for g in glyphs if top <= g.cy < body_top and g.seq > after), key=attrgetter("seq")):
        if g in raised:
            continue
        chain, last = [g], g
        while (nxt := by_seq.get(last.seq + 1)) is not None and follows(last, nxt, _one_column) and _under(chain, nxt):
            if nxt.cy >= body_top:
                if not set(glyph_text(chain)) <= _HEADER_LETTERS:  # not a label's wrapped end ('(107')
                    raised.update(chain)
                break
            chain.append(nxt)
            last = nxt
    return frozenset(raised)


def _under(chain: list[Glyph], glyph: Glyph) -> bool:
    """True when `glyph` goes on `chain`'s line, or stands under its text within an em of its
    ends: a cell's next line. The last label of a header row ('比重', a name no column is known
    by), drawn after the others, is followed by the first row's text back at the table's left."""
    if glyph.top < chain[-1].bottom:
        return True  # on the chain's line
    em = glyph.size
    return min(g.x0 for g in chain) - em <= glyph.cx <= max(g.x1 for g in chain) + em


def _one_column(_: Glyph) -> int:
    """Before the columns are placed, a run's next line is taken to be in the same one."""
    return 0
