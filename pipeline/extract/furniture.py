"""Page furniture: footers, footnotes and page labels printed near tables but not table data."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator

from pipeline.clean.codes import CODE_PATTERN
from pipeline.clean.text import squash
from pipeline.extract.geometry import Glyph, Line, split_runs
from pipeline.extract.header_band import is_header_text
from pipeline.extract.header_roles import names_columns
from pipeline.extract.labels import LABEL_LETTERS, THEME_WORDS
from pipeline.extract.overprint import overlap, run_starts, runs_of
from pipeline.extract.tolerances import TOL

# How an office's name ends ('…區公所', '…政府', '…局'): its page header names the office so.
OFFICE_SUFFIX = r"(?:公所|政府|局|處|署|委員會|院|部|中心|館|隊|室|廳|會|所)"
# The dashes a page number is set between ('- 7 -'): hyphens of every kind (a word processor sets
# non-breaking ones, which NFKC makes U+2010), dashes, the minus sign, the full-width hyphen.
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d"

_FURNITURE = re.compile(
    "|".join(
        [
            r"^註(?![冊銷記])",  # a footnote, not a line that begins 註冊 (registration), 註銷, 註記
            r"^※",
            r"策略地圖與平衡計分卡",
            # A page header: a city's or county's office's scorecard ('新北市新莊區公所平衡計分卡')
            rf"^[\u4e00-\u9fff]{{0,20}}[市縣][\u4e00-\u9fff]{{0,20}}?{OFFICE_SUFFIX}(?:\d{{2,3}}年度?)?平衡計分卡$",
            r"第\d+頁",
            r"^頁\d{1,3}$",  # a '第 n 頁' footer whose number a re-print moved past its '頁' ('第' apart)
            r"^【.*】$",
            r"^資料來源",
            r"^單位[:：]",  # a table's note of its units ('單位：%、件；資料來源：…'), printed under it
            r"^[(（]?[續接][上下]頁[)）]?$",  # a table's '（續下頁）' (goes on overleaf) and '（續上頁）'
            r"^(?i:Page|P\.)\d+",
            rf"^[{_DASHES}]+\d{{1,3}}[{_DASHES}]+$",  # a page number set between dashes ('- 7 -'): no value reads so
            # A browser's print header and footer: the page's address, the date and time printed.
            r"^(?:file|https?):/",
            r"(?i:copyright)|©|版權所有",  # a copyright notice, a template's or a tool's ('Copyright 2003-2026 …')
            r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},?(?:上午|下午|[AP]M)?\d{1,2}:\d{2}(?::\d{2})?(?:[AP]M|上午|下午)?$",
        ]
    )
)


# What any furniture text contains, unanchored: text without it holds no furniture run.
FURNITURE_MARK = re.compile(
    rf"註|※|平衡計分卡|第\d+頁|頁\d|【|資料來源|(?i:page|p\.)\d|[{_DASHES}]\d{{1,3}}[{_DASHES}]|:/|\d:\d\d|單位[:：]|[續接][上下]頁"
    r"|(?i:copyright)|©|版權所有"
)

# What marks a line as a page's running header or footer, not a footnote ('註' also heads a 備註 label).
_RUNNING_MARK = re.compile(r"策略地圖與平衡計分卡|第\d+頁")
_MARK_CUT = re.compile(r"策略地圖|第\d*$")  # a line a running header's words may run on from

_PAGE_NUMBER = re.compile(rf"^(?:[{_DASHES}]*\d{{1,3}}[{_DASHES}]*|\d+(?:/|of)\d+)$")  # '7 of 8': a browser's footer
# A letter or two a tool set apart from its notice ('Evaluation ersion' / 'V'): on a line of
# running furniture, no table's text.
_STRAY_LETTERS = re.compile(r"[A-Za-z]{1,2}")


def is_furniture(text: str) -> bool:
    """Footers, footnotes, page labels: text near a table that is not table data."""
    squashed = squash(text)
    return _FURNITURE.search(squashed) is not None


_NOTE_MARK = re.compile(r"^[註※]\d*$")
_FOOTNOTE_OPENING = re.compile(r"^[註※]\d*[:：]")


def opens_a_footnote(text: str) -> bool:
    """True when `text` begins as a footnote does ('註：實際值統計至…', '註1:'): a sentence, though
    it may name columns, and never a header's labels (a wrapped '備' / '註' label has no colon)."""
    return _FOOTNOTE_OPENING.match(squash(text)) is not None


def is_note_mark(text: str) -> bool:
    """A cell's reference to a footnote ('註1' in a 備註 column): furniture by its words, but no
    footnote of its own, so the text beside it on its line is a row's, not the footnote's."""
    return _NOTE_MARK.match(squash(text)) is not None


def may_hold_furniture(line: Line, page_height: float) -> bool:
    """False when no run of `line` can be furniture: it lies outside the page margins (where page
    numbers are) and names nothing a footer or footnote does. Most table lines are such."""
    return in_margin(line, page_height) or FURNITURE_MARK.search(squash(line.text)) is not None


def in_margin(line: Line, page_height: float) -> bool:
    return line.top > TOL.margin_bottom_share * page_height or line.bottom < TOL.margin_top_share * page_height


def is_page_number(line: Line, page_height: float) -> bool:
    """A bare number is a page number only in the page margins; inside a table it is a value."""
    return in_margin(line, page_height) and reads_as_page_number(line.text)


def reads_as_page_number(text: str) -> bool:
    """'5', '- 5 -', '5/20', '5 of 20': what a page number reads as (where it stands decides whether it is one)."""
    return _PAGE_NUMBER.match(squash(text)) is not None


def drawn_runs(line: Line) -> list[list[Glyph]]:
    """The line's glyphs grouped by the runs they were drawn in (see overprint.run_starts)."""
    glyphs = list(line.glyphs)
    return runs_of(glyphs, run_starts(glyphs, lambda _: None))


def footers_over_text(lines: list[Line]) -> list[Line]:
    """Running footers printed over a table's text: a run drawn in one go ('第 5 頁，共 8 頁'),
    naming what a running header or footer names, some of its letters over other glyphs of its
    line. A slide whose table runs down into its footer has the two on one line, where the
    footer's words would be read into the last plan ('…處理要點第5頁，共8頁'). A table's own
    text is never drawn over other text."""
    found = []
    for line in lines:
        if "頁" not in line.text and "卡" not in line.text:
            continue  # no running mark's last letter (its letters may stand among the text's): most lines
        for run in drawn_runs(line):
            if _RUNNING_MARK.search(squash("".join(g.text for g in run))) is None:
                continue
            others = [g for g in line.glyphs if g not in run and not g.text.isspace()]
            if any(overlap(g, h) > TOL.overprint_share for g in run for h in others):
                found.append(Line(tuple(run)))
    return found


def lowest_apart(lines: list[Line]) -> tuple[Line, list[Line], float] | None:
    """The lowest line, the lines above it, and the gap between them (None for fewer than
    two lines): what is set well apart below all of a table's text may be no cell's."""
    if len(lines) < 2:
        return None
    last = max(lines, key=lambda line: line.top)
    others = [line for line in lines if line is not last]
    return last, others, last.top - max(line.bottom for line in others)


FooterKey = tuple[str, int, int]  # a run's text and where it stands (left, top, to the point)


def running_footers(
    lines: list[Line], page_height: float, seen: dict[FooterKey, int], ahead: Callable[[], list[Line]] | None = None
) -> list[Line]:
    """Runs of text that earlier pages printed at the same place, word for word (`seen` counts
    the pages each run was on, and is updated): a running footer such as the office's name
    beside the page number, or a running header such as the office's name atop every page,
    furniture whatever it says. In the bottom or top margin that takes `TOL.running_footer_pages`
    pages before. Anywhere else on the page it takes one page before and a running header's words
    on the run's line or on the line right above or below it: a slide's running header
    ('高雄市政府… 策略地圖與平衡計分卡', on one line or two) printed mid-page where slides are
    printed two to a page. A footnote mark is no such words (a header's '備' / '註' label wraps it
    onto a line of its own). A table's text is its own on each page; a number is left to the
    page-number tests; and what a table's top may hold on every page of a document stays (see
    _may_head_a_table), right under a running header too (a word processor's table repeating
    its header at the top of each page, under the page header), as does a run level with a
    header's line (see _beside_a_header). The next page (`ahead`, its lines asked for only
    then) counts as one page before for a run in the margin one page short of that: a table on
    the deck's second page reaching down to the footer, which would be read into its last row
    ('…實施計畫。高雄市岡山區公所', slides printed two to a page)."""
    marked = _marked_lines(lines)
    next_keys: set[FooterKey] | None = None
    page_top = min((line.top for line in lines), default=0.0)
    found = []
    for line in lines:
        beside_header = any(line is other or stacked(line, other) for other in marked)
        # The page's first line is its top margin's, however deep a template sets the margin.
        first = line.top <= page_top + TOL.box_slack_pt and line.bottom < TOL.header_margin_share * page_height
        if not in_margin(line, page_height) and not beside_header and not first:
            continue
        at_top = first or line.bottom < TOL.margin_top_share * page_height
        pages_before = 1 if beside_header else TOL.running_footer_pages
        runs = split_runs(line)
        if (at_top or beside_header) and names_columns(runs):
            continue
        for run in runs:
            text = squash(run.text)
            if not text or reads_as_page_number(text) or text[0].isdigit():
                continue
            if (at_top or beside_header) and _may_head_a_table(run):
                continue
            key = _footer_key(run)
            before = seen.get(key, 0) + _seen_nearly(key, seen)
            if before == pages_before - 1 and ahead is not None and not beside_header:
                next_keys = _margin_keys(ahead(), page_height) if next_keys is None else next_keys
                before += key in next_keys
            if before >= pages_before and not _beside_a_header(run, line, lines):
                found.append(run)
            elif footer := _footer_drawn_within(run, seen, pages_before):
                found.append(footer)
            seen[key] = seen.get(key, 0) + 1
    return _with_stray_letters(found, [line for line in lines if in_margin(line, page_height)])


def _footer_key(run: Line) -> FooterKey:
    return squash(run.text), round(run.x0), round(run.top)


def _margin_keys(lines: list[Line], page_height: float) -> set[FooterKey]:
    """The FooterKey of each run in the margins of a page's `lines`."""
    return {_footer_key(run) for line in lines if in_margin(line, page_height) for run in split_runs(line)}


def _footer_drawn_within(run: Line, seen: dict[FooterKey, int], pages_before: int) -> Line | None:
    """A running footer drawn in one go within `run`, set right after a cell's text that ran down
    into it: a slide whose last row runs under its footline ('借收入' and beamer's '民政局' read
    as one run '借收入民政局'). Only a footer printed alone at that place on earlier pages counts
    (it is counted again here)."""
    pieces = drawn_runs(run)
    if len(pieces) < 2:
        return None
    for piece in map(Line, map(tuple, pieces)):
        key = (squash(piece.text), round(piece.x0), round(piece.top))
        if key[0] and seen.get(key, 0) >= pages_before:
            seen[key] += 1
            return piece
    return None


def _beside_a_header(run: Line, line: Line, lines: list[Line]) -> bool:
    """True when `run` stands level with another line that names a table's columns, in its type:
    a label of the header the table repeats on every page, one no column is known by, wrapped
    and centred on the header's line ('編' / '號' beside '策略目標 KPI …', its '編' a few points
    higher, the page's first line). A running header in larger type may reach down beside it."""
    return any(
        other is not line
        and other.top < run.bottom
        and run.top < other.bottom
        and abs(other.size - run.size) <= TOL.box_slack_pt
        and names_columns(split_runs(other))
        for other in lines
    )


def _seen_nearly(key: FooterKey, seen: dict[FooterKey, int]) -> int:
    """How many pages printed a run nearly the same as `key` (see _nearly) at its place."""
    return sum(pages for other, pages in seen.items() if _nearly(key, other))


def _nearly(key: FooterKey, other: FooterKey) -> bool:
    """True when two runs at one place (to the point, give or take one) are the same text or
    differ only in a few letters at their ends: a page drawn a fraction of a point aside (tFPDF's
    running header 0.8 pt left on one page, which rounds to another point), or a tool that
    jitters its evaluation notice letter by letter ('… Evaluation Version' on one page,
    '… Evaluation ersion' with the 'V' a line lower on the next), prints the same footer."""
    (text, x0, top), (other_text, other_x0, other_top) = key, other
    if key == other or abs(other_x0 - x0) > 1 or abs(other_top - top) > 1:
        return False
    if text == other_text:
        return True
    shared = len(os.path.commonprefix([text, other_text]))
    return shared >= TOL.footer_prefix_chars and shared >= TOL.footer_prefix_share * min(len(text), len(other_text))


def _with_stray_letters(found: list[Line], lines: list[Line]) -> list[Line]:
    """`found` and the stray letters (see _STRAY_LETTERS) on the lines it was found on."""
    if not found:
        return found
    found_ids = {id(g) for run in found for g in run.glyphs}
    stray = [
        run
        for line in lines
        if any(id(g) in found_ids for g in line.glyphs)
        for run in split_runs(line)
        if not any(id(g) in found_ids for g in run.glyphs) and _STRAY_LETTERS.fullmatch(squash(run.text))
    ]
    return found + stray


def slide_master_runs(
    lines: list[Line], master: set[FooterKey] | None, pages_before: int
) -> tuple[list[Line], set[FooterKey]]:
    """Runs printed word for word at one place on every page read before this one, from the first
    (`master`: those runs, None before the first page; `pages_before` of them), and the runs of
    `master` this page prints too: a slide master's text, such as a sidebar down the left of every
    slide with the office's name (beamer's Berkeley theme, a template's side band), is furniture
    wherever it stands once `TOL.running_footer_pages` pages printed it. A table's text is not on
    a deck's first pages; codes, header text and theme titles are left out all the same (a deck of
    tables alone, its header repeated at one place on every page)."""
    if master is None:  # the first page: every run may be the master's
        return [], {key for key, _ in _master_candidates(lines, None)}
    if not master:
        return [], master  # nothing printed on every page so far: nothing ever will be
    here = list(_master_candidates(lines, master))
    found = [run for _, run in here] if pages_before >= TOL.running_footer_pages else []
    return _with_stray_letters(found + _printed_again(found, lines), lines), {key for key, _ in here}


def _printed_again(found: list[Line], lines: list[Line]) -> list[Line]:
    """The runs of `lines` printing a run of `found` word for word at its left edge, higher or
    lower on the page: slides printed several to a page print their master's text once a slide
    (a handout's upper slide's running header, which the first page, a title slide above, did
    not print, as the lower slide's, which every page did)."""
    if not found:
        return []
    masters = [(squash(run.text), run.x0) for run in found]
    taken = {id(g) for run in found for g in run.glyphs}
    return [
        run
        for line in lines
        if not any(id(g) in taken for g in line.glyphs)
        for run in split_runs(line)
        if any(squash(run.text) == text and abs(run.x0 - x0) <= TOL.box_slack_pt for text, x0 in masters)
    ]


def _master_candidates(lines: list[Line], master: set[FooterKey] | None) -> Iterator[tuple[FooterKey, Line]]:
    """The runs of `lines` (those of `master` only, when given) that may be a slide master's, by
    key: no code, header text or theme title."""
    tops = None if master is None else {key[2] for key in master}
    for line in lines:
        if tops is not None and not any(round(line.top) <= top <= round(line.bottom) for top in tops):
            continue
        for run in split_runs(line):
            text = squash(run.text)
            key = _footer_key(run)
            if master is not None and key not in master and not any(_nearly(key, other) for other in master):
                continue
            if text and not CODE_PATTERN.search(text) and not _may_head_a_table(run):
                yield key, run


HeaderSpot = tuple[float, float, str]  # a run's top, and its left edge or its right edge's distance from the page's


def running_header_spots(
    lines: list[Line],
    page_width: float,
    page_height: float,
    spots: dict[HeaderSpot, int],
    texts: dict[HeaderSpot, str],
) -> list[Line]:
    """Runs in the top margin printed where earlier pages each printed one, set well apart above
    the page's other text: a running header whose words change from page to page (a spreadsheet's
    sheet name, '&A', on a closing sheet '結語'), furniture whatever it says. The top margin is
    half an inch at least, on a page printed small (a spreadsheet's sheet on a page of its own
    size); a run in it begins there (a header printed through a PostScript printer driver starts
    in the margin of a landscape page and ends a point below it). A run's spot is its top and its
    left edge, or its right edge's distance from the page's (text set flush left or flush right,
    on pages of any width); `spots` counts the pages that printed a run at each, and `texts` holds
    what was printed there last; both are updated. One page before is enough where it printed the
    same words there (calibre's header template on the cover, then over a table continued on page
    2). A code, a table's header text (a line naming columns, whatever its other labels say) or a
    theme's title is never such a run: a table's rows stand close under the header that a page
    repeats; nor is text under a row's line, or under a header's (a table drawn small, its first
    row in the top margin: the same status note at one spot on two pages is that row's)."""
    found: list[Line] = []
    here: list[tuple[HeaderSpot, float]] = []
    margin = max(TOL.margin_top_share * page_height, TOL.header_margin_pt)
    headers = [line for line in lines if line.top < margin and names_columns(split_runs(line))]
    for line in lines:
        if line.top >= margin or line in headers:
            continue
        if any(header.bottom <= line.top + TOL.box_slack_pt for header in headers):
            continue
        runs = split_runs(line)
        for run in runs:
            text = squash(run.text)
            if not text or run.top >= margin or CODE_PATTERN.search(text) or _may_head_a_table(run):
                continue
            keys = [_known_spot(key, spots, run.size) or key for key in _spots_of(run, page_width)]
            printed = max(spots.get(key, 0) for key in keys)
            again = any(texts.get(key) == text for key in keys)
            if (
                (printed >= TOL.running_footer_pages or again)
                and _set_apart_above(run, lines)
                and not _under_a_row(run, lines)
            ):
                found.append(run)
            here += [(key, text) for key in keys]
    for key in dict.fromkeys(key for key, _ in here):
        spots[key] = spots.get(key, 0) + 1
    texts.update(here)
    return found


def _spots_of(run: Line, page_width: float) -> tuple[HeaderSpot, HeaderSpot]:
    """A run's spot by its left edge and by its right edge's distance from the page's."""
    return (run.top, run.x0, "left"), (run.top, page_width - run.x1, "right")


def _known_spot(key: HeaderSpot, spots: dict[HeaderSpot, int], size: float) -> HeaderSpot | None:
    """The spot of `spots` at `key`'s edge and on its line (a sheet printed at another scale sets
    its header a point or two lower or higher, in smaller or larger type)."""
    top, edge, side = key
    return next(
        (
            s
            for s in spots
            if s[2] == side and abs(s[0] - top) <= TOL.same_line_em * size and abs(s[1] - edge) <= TOL.box_slack_pt
        ),
        None,
    )


def _set_apart_above(run: Line, lines: list[Line]) -> bool:
    """True when no line starts below `run` within TOL.header_apart_em of its type: not even one set
    solid under it, its top where the run's bottom is (a header's stacked labels, '編' / '號')."""
    return not any(run.centre < line.top < run.bottom + TOL.header_apart_em * run.size for line in lines)


def _under_a_row(run: Line, lines: list[Line]) -> bool:
    """True when a line printing a code stands above `run`: a table's row begins above it, and
    a running header stands above the table (a plan's second line, '算執行管考要點', atop a page
    that continues a table, where pages before set their rows' lines)."""
    return any(line.bottom <= run.top + TOL.box_slack_pt and CODE_PATTERN.search(squash(line.text)) for line in lines)


def _may_head_a_table(run: Line) -> bool:
    """True for text atop a page that a table may print at one place on every page of a
    document: its header repeated (labels, or their wrapped pieces), a 構面 label's letters, a
    theme's title."""
    text = squash(run.text)
    return is_header_text(run) or set(text) <= LABEL_LETTERS or THEME_WORDS in text


def _marked_lines(lines: list[Line]) -> list[Line]:
    """The lines holding a running header's words, and the two lines of such words wrapped in a
    narrow footer box ('…區公所｜策略地圖與平衡計' / '分卡', Aspose.Slides)."""
    marked = [line for line in lines if _RUNNING_MARK.search(squash(line.text))]
    for line in lines:
        text = squash(line.text)
        if line in marked or not _MARK_CUT.search(text):
            continue
        for below in lines:
            if below.top > line.top and stacked(line, below) and _RUNNING_MARK.search(text + squash(below.text)):
                marked += [line, below]
    return marked


def stacked(line: Line, other: Line) -> bool:
    """True when `other` is the line right above or below `line`, under or over its text; lines
    set tighter than their glyphs' boxes overlap a little (Apache POI's slide renderer stacks a
    value's letters an em apart, its boxes taller)."""
    gap = max(other.top - line.bottom, line.top - other.bottom)
    close = -TOL.stacked_overlap_em * line.size <= gap <= TOL.overflow_gap_em * line.size
    return close and min(line.x1, other.x1) > max(line.x0, other.x0)
