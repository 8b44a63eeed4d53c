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
rest atop the next, is read once, on the page it begins on.
Each character a clip cuts, hidden or not, carries the clip's box (see clip_boxes): only its
part inside shows, and a tool that clips each cell's text to its cell says by that box whose
text a line run on past the cell is.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from pdfminer.layout import LTChar, LTContainer, LTPage
from pdfminer.pdfinterp import LITERAL_FORM, PDFPageInterpreter, PDFStackT
from pdfminer.pdftypes import list_value, stream_value
from pdfminer.psparser import literal_name
from pdfminer.utils import MATRIX_IDENTITY, apply_matrix_pt, mult_matrix
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.extract.actual_text import ActualTextAggregator
from pipeline.extract.tolerances import TOL

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in the page's device space


class Cut(NamedTuple):
    """A character the edge of its clip cuts through: its text, its left, how much of its height
    shows and its height."""

    text: str
    x0: float
    shown: float
    height: float


class _ClippedDevice(ActualTextAggregator):
    """pdfplumber's aggregator (reading /ActualText spans, see actual_text) noting each character
    whose middle is drawn outside `clip` (half of it hidden at least), with the container it went
    into (`hidden`); and, by the character's id, the clip of each that `clip` cuts, hidden or not
    (`clipped_to`)."""

    clip: Box | None = None
    frame: Box | None = None  # the box of the outermost form being drawn, None outside any form

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hidden: list[tuple[LTContainer, LTChar]] = []
        self.clipped_to: dict[int, Box] = {}
        self.framed_in: dict[int, Box] = {}

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        advance = super().render_char(*args, **kwargs)
        if self.clip is not None:
            char = self.cur_item._objs[-1]
            x0, y0, x1, y1 = hung_box(char)
            cx0, cy0, cx1, cy1 = self.clip
            if not (cx0 <= (x0 + x1) / 2 <= cx1 and cy0 <= (y0 + y1) / 2 <= cy1):
                self.hidden.append((self.cur_item, char))
                self.clipped_to[id(char)] = self.clip
            elif min(x0 - cx0, cx1 - x1, y0 - cy0, cy1 - y1) < -TOL.box_slack_pt:
                self.clipped_to[id(char)] = self.clip
            if self.frame is not None and id(char) in self.clipped_to:
                self.framed_in[id(char)] = self.frame
        return advance


def hung_box(char: LTChar) -> Box:
    """The box of `char`, hung from its baseline by the usual descent when its font declares a
    wrong one (as geometry hangs the glyph), whichever way it is turned: re-printed through
    cairo, a title's box stands 13 pt above its letters, its middle past the top of the page's
    content clip, and the title would be taken for text hidden in the page's margin. The layout
    keeps the box the font declares, which some tools paint a run's background to."""
    return _hung(char.bbox, char.size, char.matrix)


def hung_char_box(char: dict) -> Box:
    """pdfplumber's `char`'s box (x0, y0, x1, y1, y up), hung as hung_box hangs its box."""
    return _hung((char["x0"], char["y0"], char["x1"], char["y1"]), char["size"], char["matrix"])


def _hung(box: Box, size: float, matrix: tuple[float, ...]) -> Box:
    x0, y0, x1, y1 = box
    if (span := _hung_span(y0, y1, size, matrix)) is not None:
        return x0, span[0], x1, span[1]
    if (across := _hung_across(x0, x1, matrix, 0.0)) is not None:
        return across[0], y0, across[1], y1
    return box


def hung_extent(char: dict) -> tuple[float, float]:
    """pdfplumber's `char`'s top and bottom (y down), hung as hung_box hangs its box."""
    y0 = char["y0"]
    span = _hung_span(y0, y0 + char["bottom"] - char["top"], char["size"], char["matrix"])
    if span is None:
        return char["top"], char["bottom"]
    drop = span[0] - y0
    return char["top"] - drop, char["bottom"] - drop


def hung_across(char: dict, origin: float) -> tuple[float, float]:
    """A quarter-turned pdfplumber `char`'s left and right: its box across its line, hung from
    the baseline by the usual descent when its font declares a wrong one, as hung_box hangs an
    upright one's. Its descent lies right of the baseline when the glyph's top points left. Two
    fonts of one line that declare different wrong descents (matplotlib's Type 3 fonts: Noto over
    an em, DejaVu Sans 0.46 em) would otherwise set their glyphs on two lines once the page is
    turned upright. `origin`: where pdfplumber's x starts in the text matrix's space."""
    return _hung_across(char["x0"], char["x1"], char["matrix"], origin) or (char["x0"], char["x1"])


def _hung_across(x0: float, x1: float, matrix: tuple[float, ...], origin: float) -> tuple[float, float] | None:
    """hung_across's left and right for a quarter-turned glyph (set oblique too) boxed from `x0`
    to `x1`; None when its font's descent is right or the glyph is not quarter-turned."""
    a, b, c, d, e, _ = matrix
    em = x1 - x0
    if abs(a) >= TOL.axis_epsilon or abs(d) > TOL.oblique_shear * abs(c) or em <= 0:
        return None
    baseline = e + origin
    feet_right = b > 0
    low, high = TOL.descent_em
    if low <= (baseline - x1 if feet_right else x0 - baseline) / em <= high:
        return None
    if feet_right:
        right = baseline + TOL.usual_descent_em * em
        return right - em, right
    left = baseline - TOL.usual_descent_em * em
    return left, left + em


def _hung_span(y0: float, y1: float, size: float, matrix: tuple[float, ...]) -> tuple[float, float] | None:
    """The bottom and top (y up) of an upright glyph's box hung from its baseline by the usual
    descent, when its font's declared descent is wrong; None when it is right or the glyph is
    turned. Text set oblique on an upright baseline (a synthetic italic) stands on its baseline
    too, and so does text drawn upside down (a page printed a half turn round), its feet up."""
    a, b, c, d, _, baseline = matrix
    if abs(b) >= TOL.axis_epsilon or abs(c) > TOL.oblique_shear * abs(d) or a * d <= 0 or size <= 0:
        return None
    low, high = TOL.descent_em
    feet_up = d < 0
    if low <= ((baseline - y1) if feet_up else (y0 - baseline)) / size <= high:
        return None
    if feet_up:
        top = baseline + TOL.usual_descent_em * size
        return top - (y1 - y0), top
    bottom = baseline - TOL.usual_descent_em * size
    return bottom, bottom + (y1 - y0)


class _ClipTracker(PDFPageInterpreter):
    """pdfminer's interpreter keeping the clip (the box around each clipping path, intersected)
    on its device, saved and restored with the graphics state, inherited by forms."""

    device: _ClippedDevice

    def init_state(self, ctm: Any) -> None:
        super().init_state(ctm)
        self._clipping = False

    def get_current_state(self) -> Any:
        return (*super().get_current_state(), self.device.clip)

    def set_current_state(self, state: Any) -> None:
        super().set_current_state(state[:3])
        self.device.clip = state[3]

    def do_W(self) -> None:
        self._clipping = True

    def do_W_a(self) -> None:
        self._clipping = True

    def do_Do(self, xobjid_arg: PDFStackT) -> None:
        clip, frame = self.device.clip, self.device.frame
        if frame is None:
            self.device.frame = self._form_box(xobjid_arg)
        super().do_Do(xobjid_arg)
        self.device.clip, self.device.frame = clip, frame

    def _form_box(self, xobjid_arg: PDFStackT) -> Box | None:
        """The box a form XObject's BBox covers on the page, None for anything else: a page drawn
        as a form onto another (two slides a sheet, PyMuPDF's show_pdf_page) is framed by it."""
        ref = self.xobjmap.get(literal_name(xobjid_arg))
        xobj = stream_value(ref) if ref is not None else None
        if xobj is None or xobj.get("Subtype") is not LITERAL_FORM or "BBox" not in xobj:
            return None
        x0, y0, x1, y1 = (float(v) for v in list_value(xobj["BBox"]))
        ctm = mult_matrix(list_value(xobj.get("Matrix", MATRIX_IDENTITY)), self.ctm)
        return _bounds([apply_matrix_pt(ctm, (x, y)) for x in (x0, x1) for y in (y0, y1)])

    def _clip_to_path(self) -> None:
        """A clipping operator takes effect when the path it marks is painted or ended."""
        if not self._clipping:
            return
        self._clipping = False
        points = [
            apply_matrix_pt(self.ctm, (segment[i], segment[i + 1]))
            for segment in self.curpath
            for i in range(1, len(segment) - 1, 2)
        ]
        if not points:
            return
        box, old = _bounds(points), self.device.clip
        self.device.clip = box if old is None else _overlap(box, old)


def _bounds(points: list[tuple[float, float]]) -> Box:
    """The box around `points`."""
    return (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))


def _overlap(a: Box, b: Box) -> Box:
    """Where boxes `a` and `b` overlap (inverted when they do not)."""
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _ending_the_path(paint: Callable[[_ClipTracker], None]) -> Callable[[_ClipTracker], None]:
    def ended(self: _ClipTracker) -> None:
        self._clip_to_path()
        paint(self)

    return ended


for _name in ("do_n", "do_S", "do_f", "do_F", "do_f_a", "do_B", "do_B_a"):
    setattr(_ClipTracker, _name, _ending_the_path(getattr(PDFPageInterpreter, _name)))


def keep_visible_text(page: Page, before: Page | None = None, after: Page | None = None) -> None:
    """Lay `page` out without the characters its clipping paths hide over text it shows (see the
    module's docstring), as the layout every later look at it (pdfplumber's chars, lines, rects)
    is taken from. The pages `before` and `after` it settle where a line cut through by a page
    break is read (see _cut_lines)."""
    if hasattr(page, "_layout"):
        return
    try:
        layout, hidden, clipped_to, framed_in = _clipped_layout(page)
    except Exception as exc:  # noqa: BLE001 - as pdfplumber's own layout reports it
        raise PdfminerException(exc) from exc
    if before is not None and clipped_to and (kept := _ends_read_here(before, layout, clipped_to)):
        hidden = [(container, char) for container, char in hidden if id(char) not in kept]
        for char_id in kept:
            del clipped_to[char_id]
    if after is not None and clipped_to and (gone := _lines_read_after(layout, clipped_to, after)):
        hidden = [(container, char) for container, char in hidden if id(char) not in gone]
        for char_id in gone:
            del clipped_to[char_id]  # gone from the layout: read on the page after
    if hidden:
        _drop_hidden_over_shown(hidden, clipped_to, framed_in, layout, after)
    if before is not None and clipped_to:
        _drop_ends_of_lines_begun_before(layout, clipped_to, before)
    if clipped_to:
        page._clipped_to = {id(char): clipped_to[id(char)] for char in _chars(layout) if id(char) in clipped_to}
    page._layout = layout


def _clipped_layout(
    page: Page,
) -> tuple[LTPage, list[tuple[LTContainer, LTChar]], dict[int, Box], dict[int, Box]]:
    """The page laid out by pdfminer, with the characters its clips hide, the clip of each
    character a clip cuts and the frame it was drawn in (see _ClippedDevice)."""
    device = _ClippedDevice(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    _ClipTracker(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    return device.get_result(), device.hidden, device.clipped_to, device.framed_in


def clip_boxes(page: Page, chars: list[dict]) -> dict[int, tuple[float, float, float, float]]:
    """The clips that cut the page's characters `chars` (pdfplumber's, as keep_visible_text laid
    them out), each char drawn partly or wholly outside its clip (see the module's docstring), by
    id of the char: each as (x0, x1, top, bottom) in the chars' own frame. Empty when the page
    was not laid out so."""
    clipped_to: dict[int, Box] = getattr(page, "_clipped_to", {})
    if not clipped_to:
        return {}
    laid = list(_chars(page.layout))
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
    the page's foot cuts through whose rest shows atop the page `after` it (see _cut_lines): it
    is read here, where the text it goes on from is."""
    hidden_ids = {id(char) for _, char in hidden}
    shown_chars = [char for char in _chars(layout) if id(char) not in hidden_ids and char.get_text().strip()]
    shown = sorted((char.bbox for char in shown_chars), key=lambda box: box[0])
    lefts = [box[0] for box in shown]
    widest = max((x1 - x0 for x0, _, x1, _ in shown), default=0.0)
    past_the_clip = []
    cut_below: list[Cut] | None = None  # what the page after shows of lines cut at this one's foot
    for run in _runs_of_text(hidden):
        if _runs_on_past_the_side(run, clipped_to, hidden_ids):
            continue
        if _in_the_margin(run, clipped_to, framed_in, layout.bbox):
            cuts = _cuts(run, clipped_to, at_top=False)
            if len(cuts) == len(run) and cut_below is None:
                cut_below = _cut_lines(after, at_top=True)
            if len(cuts) < len(run) or not _pairs_up(cuts, cut_below or []):
                _remove(run)
            else:  # read here, as shown: the page after drops its rest (a theme's title cut so)
                for _, char in run:
                    del clipped_to[id(char)]
        elif any(_over_shown(char.bbox, shown, lefts, widest) for _, char in run):
            _remove(run)
        elif all(_wholly_outside(char.bbox, clipped_to[id(char)]) for _, char in run):
            past_the_clip.append(run)
    if past_the_clip:
        shown_text = "\n".join(_text(run) for run in _runs_of_text([(layout, char) for char in shown_chars]))
        copies = [run for run in past_the_clip if len(text := _text(run).strip()) > 1 and text in shown_text]
        for run in _apart_from_shown(copies, shown):
            _remove(run)


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
        _, py0, _, py1 = frame = _within(framed_in.get(id(char)), page)
        _, cy0, _, cy1 = clipped_to[id(char)]
        if not _content_area(clipped_to[id(char)], frame):
            return False
        _, y0, _, y1 = hung_box(char)
        middle = (y0 + y1) / 2
        if not (py0 <= y0 and middle < cy0 or cy1 < middle and y1 <= py1):
            return False
    return True


def _within(frame: Box | None, page: Box) -> Box:
    """The part of `page` that `frame` covers, when it frames a page drawn smaller onto it; else
    the page (a form drawn over the whole page, WebKitGTK's over its content area, frames none)."""
    if frame is None or _content_area(frame, page):
        return page
    return _overlap(frame, page)


def _content_area(clip: Box, page: Box) -> bool:
    """True when `clip` spans most of the page across and down (`TOL.content_clip_share`)."""
    share = TOL.content_clip_share
    return clip[2] - clip[0] >= share * (page[2] - page[0]) and clip[3] - clip[1] >= share * (page[3] - page[1])


def _cuts(run: list[tuple[LTContainer, LTChar]], clipped_to: dict[int, Box], at_top: bool) -> list[Cut]:
    """The characters of `run` that the edge of their clip cuts through above their middle: its
    top edge (`at_top`: more than half of each shown, so kept by keep_visible_text) or its bottom
    edge (less than half shown, so hidden), each as the Cut it makes."""
    cuts = []
    for _, char in run:
        x0, y0, _, y1 = hung_box(char)
        _, cy0, _, cy1 = clipped_to[id(char)]
        edge = cy1 if at_top else cy0
        if (y0 + y1) / 2 < edge < y1:
            cuts.append(Cut(char.get_text(), x0, edge - y0 if at_top else y1 - edge, y1 - y0))
    return cuts


def _cut_lines(page: Page | None, at_top: bool) -> list[Cut]:
    """What the edge of `page`'s content area cuts through of its lines: its top edge (`at_top`)
    or its bottom edge. A paginating engine may break a table's row inside a line and draw the
    line on both pages, each clipped to its content area (WebKitGTK): its top part at the foot
    of one page, its bottom part atop the next. The line is read where its top is, with the text
    it goes on from: the cut the foot of a page makes pairs up with the one atop the next page
    (see _pairs_up), which that page drops (_drop_ends_of_lines_begun_before)."""
    if page is None or (neighbour := _neighbour_layout(page)) is None:
        return []
    layout, clipped_to = neighbour
    laid = [(layout, char) for char in _chars(layout) if id(char) in clipped_to]
    return _cuts([(c, ch) for c, ch in laid if _content_area(clipped_to[id(ch)], layout.bbox)], clipped_to, at_top)


def _neighbour_layout(page: Page) -> tuple[LTPage, dict[int, Box]] | None:
    """The page before or after the one being laid out, laid out with the clips that cut its
    characters; None when it cannot be (that page reports its own failure when it is read)."""
    try:
        layout, _, clipped_to, _ = _clipped_layout(page)
    except Exception:  # noqa: BLE001 - pdfminer raises many types for broken pages
        return None
    return layout, clipped_to


def _pairs_up(cuts: list[Cut], others: list[Cut]) -> bool:
    """True when each of `cuts` is the other part of one of `others`: the same character at the
    same place across, the two parts shown making up its height."""
    slack = TOL.box_slack_pt
    return all(
        any(
            o.text == c.text and abs(o.x0 - c.x0) <= slack and abs(o.shown + c.shown - c.height) <= slack
            for o in others
        )
        for c in cuts
    )


def _drop_ends_of_lines_begun_before(layout: LTPage, clipped_to: dict[int, Box], before: Page) -> None:
    """Take out the runs of text atop the page that its content area's top edge cuts through and
    whose top part the page `before` shows at its foot (see _cut_lines): read there."""
    cut = [
        (container, char)
        for container, char in _laid_chars(layout)
        if id(char) in clipped_to and _content_area(clipped_to[id(char)], layout.bbox)
    ]
    runs = [run for run in _runs_of_text(cut) if len(_cuts(run, clipped_to, at_top=True)) == len(run)]
    if not runs:
        return
    cut_before = _cut_lines(before, at_top=False)
    for run in runs:
        if _pairs_up(_cuts(run, clipped_to, at_top=True), cut_before):
            _remove(run)


def _lines_read_after(layout: LTPage, clipped_to: dict[int, Box], after: Page) -> set[int]:
    """Take out the lines the page's foot cuts through that lack letters the page `after` draws
    atop it, where their lower part shows (see _lacking_letters), and give their characters' ids:
    those lines are read there, whole. The page after is laid out only for a page whose foot
    cuts a line."""
    if not (foot := _cut_at_the_foot(layout, clipped_to)) or (neighbour := _neighbour_layout(after)) is None:
        return set()
    next_layout, next_clips = neighbour
    lacking, _ = _lacking_letters(foot, clipped_to, _cut_at_the_top(next_layout, next_clips), next_clips)
    _remove(lacking)
    return {id(char) for _, char in lacking}


def _ends_read_here(before: Page, layout: LTPage, clipped_to: dict[int, Box]) -> set[int]:
    """The ids of the characters atop the page, in lines the page `before` cuts at its foot
    lacking letters they hold (see _lacking_letters): read here, as shown."""
    if not (tops := _cut_at_the_top(layout, clipped_to)) or (neighbour := _neighbour_layout(before)) is None:
        return set()
    before_layout, before_clips = neighbour
    _, moved = _lacking_letters(_cut_at_the_foot(before_layout, before_clips), before_clips, tops, clipped_to)
    return {id(char) for char in moved}


def _cut_at_the_foot(layout: LTPage, clips: dict[int, Box]) -> list[tuple[LTContainer, LTChar]]:
    """The characters (with their containers) the bottom edge of the page's content area cuts."""
    return [
        (container, char)
        for container, char in _laid_chars(layout)
        if id(char) in clips and _content_area(clip := clips[id(char)], layout.bbox) and _cut(char, clip[1])
    ]


def _cut_at_the_top(layout: LTPage, clips: dict[int, Box]) -> list[LTChar]:
    """The characters the top edge of the page's content area cuts."""
    return [
        char
        for char in _chars(layout)
        if id(char) in clips and _content_area(clip := clips[id(char)], layout.bbox) and _cut(char, clip[3])
    ]


def _lacking_letters(
    foot: list[tuple[LTContainer, LTChar]], foot_clips: dict[int, Box], tops: list[LTChar], top_clips: dict[int, Box]
) -> tuple[list[tuple[LTContainer, LTChar]], list[LTChar]]:
    """Of the lines one page's content area cuts at its foot (`foot`) and the next page's at its
    top (`tops`; a row broken inside a line, drawn on both pages: WebKitGTK), those whose foot
    part lacks letters its top part holds: cairo draws no glyph whose ink its clip hides all of,
    so a cut through a line's lower part loses its '.' and ',' ('CC2.1' and '7.5' read 'CC21' and
    '75'), which the next page draws. Such a line is read there, whole, not where it begins (see
    _cut_lines). A letter pairs with its other part: the same letter at the same place across,
    the two parts shown making up its height. Gives each such line's characters at the foot (with
    their containers) and atop the next page."""
    if not foot or not tops:
        return [], []
    slack = TOL.box_slack_pt
    lines: dict[int, list[tuple[LTContainer, LTChar]]] = {}
    for container, char in foot:
        lines.setdefault(round(hung_box(char)[1] / slack), []).append((container, char))
    lacking, moved = [], []
    for line in lines.values():
        partners = [
            top
            for _, char in line
            for top in tops
            if top.get_text() == char.get_text()
            and abs(top.x0 - char.x0) <= slack
            and abs(_shown_below(char, foot_clips) + _shown_above(top, top_clips) - _height(char)) <= slack
        ]
        if len(partners) < 2:
            continue
        level = hung_box(partners[0])[1]
        others = [top for top in tops if abs(hung_box(top)[1] - level) <= slack]
        if any(top not in partners and top.get_text().strip() for top in others):
            lacking += line
            moved += others
    return lacking, moved


def _cut(char: LTChar, edge: float) -> bool:
    """True when the horizontal `edge` passes through `char`'s (hung) box."""
    _, y0, _, y1 = hung_box(char)
    return y0 < edge < y1


def _shown_below(char: LTChar, clips: dict[int, Box]) -> float:
    """How much of `char`'s height its clip's bottom edge leaves shown, above it."""
    return hung_box(char)[3] - clips[id(char)][1]


def _shown_above(char: LTChar, clips: dict[int, Box]) -> float:
    """How much of `char`'s height its clip's top edge leaves shown, below it."""
    return clips[id(char)][3] - hung_box(char)[1]


def _height(char: LTChar) -> float:
    _, y0, _, y1 = hung_box(char)
    return y1 - y0


def _remove(run: list[tuple[LTContainer, LTChar]]) -> None:
    for container, char in run:
        container._objs.remove(char)


def _text(run: list[tuple[LTContainer, LTChar]]) -> str:
    return "".join(char.get_text() for _, char in run)


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
        if _turned(char):
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
    return _set_after(left, right)


def _set_after(last: LTChar, char: LTChar) -> bool:
    """True when `char` is set right after `last` on its line, within an em: on one foot, along
    the way the line runs."""
    start, _, foot, size = _on_its_line(char)
    _, end, last_foot, _ = _on_its_line(last)
    return abs(foot - last_foot) <= TOL.box_slack_pt and -TOL.box_slack_pt <= start - end <= size


def _turned(char: LTChar) -> bool:
    """True for a character set a quarter turned: its line runs up or down the page."""
    a, b = char.matrix[0], char.matrix[1]
    return abs(b) > abs(a)


def _on_its_line(char: LTChar) -> tuple[float, float, float, float]:
    """Where `char` begins and ends along the line it is set on, where its foot stands across
    that line, and its size there, in device space. Upright text runs left to right; a page
    that prints its content a quarter turned (a landscape slide printed sideways on portrait
    paper) sets each line up or down the page, and its text runs on past a cell's clip there."""
    a, b = char.matrix[0], char.matrix[1]
    if not _turned(char):
        return (char.x0, char.x1, char.y0, char.size) if a >= 0 else (-char.x1, -char.x0, -char.y1, char.size)
    size = char.x1 - char.x0
    return (char.y0, char.y1, char.x1, size) if b > 0 else (-char.y1, -char.y0, -char.x0, size)


def _over_shown(box: Box, shown: list[Box], lefts: list[float], widest: float) -> bool:
    x0, y0, x1, y1 = box
    near = shown[bisect_left(lefts, x0 - widest) : bisect_right(lefts, x1)]
    return any(min(x1, b[2]) > max(x0, b[0]) and min(y1, b[3]) > max(y0, b[1]) for b in near)


def _runs_of_text(chars: list[tuple[LTContainer, LTChar]]) -> list[list[tuple[LTContainer, LTChar]]]:
    """The characters (each with its container) in runs of text: drawn one after another on one
    baseline, each within an em of the last."""
    runs: list[list[tuple[LTContainer, LTChar]]] = []
    for container, char in chars:
        last = runs[-1][-1][1] if runs else None
        if last is not None and _set_after(last, char):
            runs[-1].append((container, char))
        else:
            runs.append([(container, char)])
    return runs


def _chars(container: LTContainer) -> Iterator[LTChar]:
    for obj in container:
        if isinstance(obj, LTChar):
            yield obj
        elif isinstance(obj, LTContainer):
            yield from _chars(obj)


def _laid_chars(container: LTContainer) -> Iterator[tuple[LTContainer, LTChar]]:
    """Each character laid out in `container`, with the container it went into."""
    for obj in container:
        if isinstance(obj, LTChar):
            yield container, obj
        elif isinstance(obj, LTContainer):
            yield from _laid_chars(obj)
