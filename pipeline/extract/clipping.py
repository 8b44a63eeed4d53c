"""Text the page clips away, set over text the page shows, is not on the page.

A PDF may draw text and then show none of it: outside the clipping path in force when it is drawn
(a spreadsheet prints a merged cell broken over two pages by drawing its whole label on both, each
clipped to the part of the cell on that page). pdfminer ignores clipping, so pdfplumber's
characters hold such text, set over whatever the page shows there (a 構面 label atop the next
page, under the repeated header's own). Reading the page here once more with the clip kept as a
box leaves out each character drawn mostly outside it and over a character the page shows, with
the hidden run of text it was set in (a line clipped at a cell's foot goes whole). Hidden
text that collides with nothing is kept: it is still the document's text (a merged label printed
clipped below its table, a cell's text run off the slide), and often the only copy there is; not
a copy, set apart, of text the page shows (a header repeated under the page's content clip), nor
text in the page's margin past its content area (a row a browser broke at the page's foot, which
the next page reads). A line the break cuts through, its top part at one page's foot and the
rest atop the next, is read once (see page_break_lines). The page's layout with its clips kept
is clip_layout's.
Each character a clip cuts, hidden or not, carries the clip's box (see clip_boxes): only its
part inside shows, and a tool that clips each cell's text to its cell says by that box whose
text a line run on past the cell is.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from pdfminer.layout import LTChar, LTContainer, LTPage
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.extract.clip_layout import (
    chars_of,
    clipped_layout,
    content_area,
    on_its_line,
    overlap,
    remove_run,
    run_text,
    runs_of_text,
    set_after,
    turned,
    upright,
)
from pipeline.extract.hung import Box, hung_box
from pipeline.extract.page_break_lines import (
    Cut,
    clip_cuts,
    cut_lines,
    drop_ends_of_lines_begun_before,
    ends_read_here,
    lines_read_after,
    pairs_up,
)
from pipeline.extract.tolerances import TOL


def keep_visible_text(page: Page, before: Page | None = None, after: Page | None = None) -> None:
    """Lay `page` out without the characters its clipping paths hide over text it shows (see the
    module's docstring), as the layout every later look at it (pdfplumber's chars, lines, rects)
    is taken from. The pages `before` and `after` it settle where a line cut through by a page
    break is read (see page_break_lines)."""
    if hasattr(page, "_layout"):
        return
    try:
        layout, hidden, clipped_to, framed_in, at_clip_foot = clipped_layout(page)
    except Exception as exc:  # noqa: BLE001 - as pdfplumber's own layout reports it
        raise PdfminerException(exc) from exc
    if before is not None and clipped_to and (kept := ends_read_here(before, layout, clipped_to)):
        hidden = [(container, char) for container, char in hidden if id(char) not in kept]
        for char_id in kept:
            del clipped_to[char_id]
    if after is not None and clipped_to and (gone := lines_read_after(layout, clipped_to, after)):
        hidden = [(container, char) for container, char in hidden if id(char) not in gone]
        for char_id in gone:
            del clipped_to[char_id]  # gone from the layout: read on the page after
    if hidden:
        _drop_hidden_over_shown(hidden, clipped_to, framed_in, layout, after)
    if before is not None and clipped_to:
        drop_ends_of_lines_begun_before(layout, clipped_to, before)
    if clips := {**at_clip_foot, **clipped_to}:
        page._clipped_to = {id(char): clips[id(char)] for char in chars_of(layout) if id(char) in clips}
    page._layout = layout


def clip_boxes(page: Page, chars: list[dict]) -> dict[int, tuple[float, float, float, float]]:
    """The clips that cut the page's characters `chars` (pdfplumber's, as keep_visible_text laid
    them out), each char drawn partly or wholly outside its clip (see the module's docstring), or
    standing at its clip's foot, by id of the char: each as (x0, x1, top, bottom) in the chars'
    own frame. Empty when the page was not laid out so."""
    clipped_to: dict[int, Box] = getattr(page, "_clipped_to", {})
    if not clipped_to:
        return {}
    laid = list(chars_of(page.layout))
    if len(laid) != len(chars):  # not the layout the chars were taken from: no clip is known
        return {}
    boxes = {}
    for char, ch in zip(laid, chars):
        if (clip := clipped_to.get(id(char))) is None:
            continue
        # The char's box in both frames gives the shift between them (pdfplumber turns y down).
        x0, _, _, y1 = char.bbox
        left, low, right, high = clip
        boxes[id(ch)] = (ch["x0"] + left - x0, ch["x0"] + right - x0, ch["top"] + y1 - high, ch["top"] + y1 - low)
    return boxes


def _drop_hidden_over_shown(
    hidden: list[tuple[LTContainer, LTChar]],
    clipped_to: dict[int, Box],
    framed_in: dict[int, Box],
    layout: LTPage,
    after: Page | None,
) -> None:
    """Take out of their containers the hidden characters that overlap a shown one, each with
    the hidden run of text it was set in: a line clipped at a cell's foot, part of it over the
    next row's text, goes whole, not as its letters clear of that text ('區照顧…' without '臺北市社').
    A run that goes on from text its clip shows, on its line, past the clip's side stays: a line
    wider than its cell, which a tool that clips each cell's text to its cell (R's gridExtra)
    sets on into the next cell, over or between that cell's lines ('AF|1.1.2'); it is still its
    own cell's text, and its clip tells whose (see clip_boxes). A run drawn wholly outside its
    clip, apart from the text shown, that repeats text the page shows goes too: a header row
    that a layout engine repeats at a page break, set under the page's content clip lines below
    the last row (Flying Saucer), is a copy of the header atop the page, no cell's text. So does a
    run in the page's margin above or below its content area (see _in_the_margin), but for a line
    the page's foot cuts through whose rest shows atop the page `after` it (see page_break_lines): it
    is read here, where the text it goes on from is."""
    hidden_ids = {id(char) for _, char in hidden}
    shown_chars = [char for char in chars_of(layout) if id(char) not in hidden_ids and char.get_text().strip()]
    shown = sorted((char.bbox for char in shown_chars), key=lambda box: box[0])
    lefts = [box[0] for box in shown]
    widest = max((x1 - x0 for x0, _, x1, _ in shown), default=0.0)
    past_the_clip = []
    cut_below: list[Cut] | None = None  # what the page after shows of lines cut at this one's foot
    for run in _stacked_as_one(runs_of_text(hidden), clipped_to):
        if _runs_on_past_the_side(run, clipped_to, hidden_ids):
            continue
        if _in_the_margin(run, clipped_to, framed_in, layout.bbox):
            cuts = clip_cuts(run, clipped_to, at_top=False)
            if len(cuts) == len(run) and cut_below is None:
                cut_below = cut_lines(after, at_top=True)
            if len(cuts) < len(run) or not pairs_up(cuts, cut_below or []):
                remove_run(run)
            else:  # read here, as shown: the page after drops its rest (a theme's title cut so)
                for _, char in run:
                    del clipped_to[id(char)]
        elif any(_over_shown(char.bbox, shown, lefts, widest) for _, char in run):
            remove_run(run)
        elif all(_wholly_outside(char.bbox, clipped_to[id(char)]) for _, char in run):
            past_the_clip.append(run)
    if past_the_clip:
        shown_text = "\n".join(run_text(run) for run in runs_of_text([(layout, char) for char in shown_chars]))
        copies = [run for run in past_the_clip if len(text := run_text(run).strip()) > 1 and text in shown_text]
        for run in _apart_from_shown(copies, shown):
            remove_run(run)


def _stacked_as_one(
    runs: list[list[tuple[LTContainer, LTChar]]], clipped_to: dict[int, Box]
) -> list[list[tuple[LTContainer, LTChar]]]:
    """`runs` with the letters of a label stacked a letter a line, drawn one after another under
    one clip, taken as one run: a spreadsheet draws a 構面 label merged over rows a page break
    parts on both pages, clipped to each page's part ('內部流程' over the next page's header,
    its '程' on the header's '構'); it goes whole, not as its letters clear of the header."""
    merged: list[list[tuple[LTContainer, LTChar]]] = []
    for run in runs:
        last = merged[-1] if merged else None
        if last is not None and len(run) == 1 and _stacks_on(last, run[0], clipped_to):
            last.append(run[0])
        else:
            merged.append(list(run))
    return merged


def _stacks_on(
    run: list[tuple[LTContainer, LTChar]], item: tuple[LTContainer, LTChar], clipped_to: dict[int, Box]
) -> bool:
    """True when `item`'s letter stands under or over the last letter of `run`, a letter a line,
    drawn right after it under the same clip."""
    (last_in, last), (container, char) = run[-1], item
    if any(len(text) != 1 for text in (last.get_text(), char.get_text())) or container is not last_in:
        return False
    objs = container._objs
    drawn_next = objs.index(char) == objs.index(last) + 1
    same_clip = clipped_to.get(id(char)) == clipped_to.get(id(last))
    start = on_its_line(char)[0]  # along its line: a turned page's stacked letters stand side by side
    stacked = all(abs(start - on_its_line(letter)[0]) <= TOL.box_slack_pt for _, letter in run)
    return drawn_next and same_clip and stacked and not set_after(last, char)


def _in_the_margin(
    run: list[tuple[LTContainer, LTChar]], clipped_to: dict[int, Box], framed_in: dict[int, Box], page: Box
) -> bool:
    """True when the hidden `run` lies on the page, its letters' middles above or below a clip that spans
    most of the page across and down (`TOL.content_clip_share`): the page's content area. A
    paginating layout engine draws a row broken by the page's foot on both pages, clipped each
    time to the page's content area (WebKitGTK): the row's first line, hidden in the bottom
    margin, is read on the next page, where its end hides in the top margin. A cell's text run
    off a slide lies off the page, and a framed slide's clip (notes pages) is no content area.
    A page drawn as a form onto a sheet (two pages a sheet) is the page here, its form's box
    (`framed_in`) its edges."""
    for _, char in run:
        frame = _within(framed_in.get(id(char)), page)
        if not content_area(clipped_to[id(char)], frame):
            return False
        # Down the page runs across the character's line: along x for a page printed turned.
        (_, low, _, high), (_, clip_low, _, clip_high), (_, frame_low, _, frame_high) = (
            upright(box, char) for box in (hung_box(char), clipped_to[id(char)], frame)
        )
        middle = (low + high) / 2
        if not (frame_low <= low and middle < clip_low or clip_high < middle and high <= frame_high):
            return False
    return True


def _within(frame: Box | None, page: Box) -> Box:
    """The part of `page` that `frame` covers, when it frames a page drawn smaller onto it; else
    the page (a form drawn over the whole page, WebKitGTK's over its content area, frames none)."""
    if frame is None or content_area(frame, page):
        return page
    return overlap(frame, page)


def _apart_from_shown(
    runs: list[list[tuple[LTContainer, LTChar]]], shown: list[Box]
) -> list[list[tuple[LTContainer, LTChar]]]:
    """The `runs`, each drawn wholly outside its clip, that do not run on from the text the page
    shows: none lies within a line or so above or below them, shown or a run kept so (a cell's
    lines run off the slide's foot go on from its last shown line, one after another)."""
    anchors = list(shown)
    apart = list(runs)
    found = True
    while found:
        found = False
        for run in list(apart):
            boxes = [char.bbox for _, char in run]
            reach = TOL.clipped_reach_em * max(char.size for _, char in run)
            if any(_within_reach(box, anchor, reach) for box in boxes for anchor in anchors):
                apart.remove(run)
                anchors += boxes
                found = True
    return apart


def _within_reach(box: Box, other: Box, reach: float) -> bool:
    """True when `other` stands above or below `box`, overlapping it across, at most `reach` apart."""
    x0, y0, x1, y1 = box
    return min(x1, other[2]) > max(x0, other[0]) and max(other[1] - y1, y0 - other[3]) <= reach


def _wholly_outside(box: Box, clip: Box) -> bool:
    x0, y0, x1, y1 = box
    return min(x1, clip[2]) <= max(x0, clip[0]) or min(y1, clip[3]) <= max(y0, clip[1])


def _runs_on_past_the_side(
    run: list[tuple[LTContainer, LTChar]], clipped_to: dict[int, Box], hidden_ids: set[int]
) -> bool:
    """True when the hidden `run` lies beside its clip, within its height, and goes on from a
    shown character drawn right before it on its line, or on to one drawn right after it: a line
    of a cell run on past the cell's side (on from its start, right of it; or right-aligned and
    run on left)."""
    for _, char in run:
        left, low, right, high = clipped_to[id(char)]
        if turned(char):
            if not left <= (char.x0 + char.x1) / 2 <= right:
                return False
        elif not low <= (char.y0 + char.y1) / 2 <= high:
            return False
    (first_in, first), (last_in, last) = run[0], run[-1]
    i, j = first_in._objs.index(first), last_in._objs.index(last)
    before = first_in._objs[i - 1] if i > 0 else None
    after = last_in._objs[j + 1] if j + 1 < len(last_in._objs) else None
    return _shown_next_to(before, first, hidden_ids) or _shown_next_to(last, after, hidden_ids)


def _shown_next_to(left: object, right: object, hidden_ids: set[int]) -> bool:
    """True when `left` and `right` are characters drawn one right after the other on one line,
    within an em, and the one of them that is not hidden shows."""
    if not isinstance(left, LTChar) or not isinstance(right, LTChar):
        return False
    if id(left) in hidden_ids and id(right) in hidden_ids:
        return False
    return set_after(left, right)


def _over_shown(box: Box, shown: list[Box], lefts: list[float], widest: float) -> bool:
    x0, y0, x1, y1 = box
    near = shown[bisect_left(lefts, x0 - widest) : bisect_right(lefts, x1)]
    return any(min(x1, b[2]) > max(x0, b[0]) and min(y1, b[3]) > max(y0, b[1]) for b in near)
