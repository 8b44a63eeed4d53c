"""A page laid out by pdfminer with the clip each character is drawn under, kept as a box.

pdfminer ignores clipping paths; its interpreter here keeps the clip (the box around each
clipping path, intersected, saved and restored with the graphics state, inherited by forms) and
notes each character drawn half outside it at least (hidden) and each it cuts. The layout's
characters are walked here as runs of text: drawn one after another on one baseline, each within
an em of the last, which is how a hidden line is taken out whole (see clipping).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pdfminer.layout import LTChar, LTContainer, LTPage
from pdfminer.pdfinterp import LITERAL_FORM, PDFPageInterpreter, PDFStackT
from pdfminer.pdftypes import list_value, stream_value
from pdfminer.psparser import literal_name
from pdfminer.utils import MATRIX_IDENTITY, apply_matrix_pt, mult_matrix
from pdfplumber.page import Page

from pipeline.extract.actual_text import ActualTextAggregator
from pipeline.extract.hung import Box, hung_box
from pipeline.extract.tolerances import TOL


class _ClippedDevice(ActualTextAggregator):
    """pdfplumber's aggregator (reading /ActualText spans, see actual_text) noting each character
    whose middle is drawn outside `clip` (half of it hidden at least), with the container it went
    into (`hidden`); and, by the character's id, the clip of each that `clip` cuts, hidden or not
    (`clipped_to`), and of each whose foot stands at the clip's foot, uncut (`at_clip_foot`: a
    re-print that drops what its clips hide keeps the top lines of a cell run past its frame,
    the last of them ending there)."""

    clip: Box | None = None
    frame: Box | None = None  # the box of the outermost form being drawn, None outside any form

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hidden: list[tuple[LTContainer, LTChar]] = []
        self.clipped_to: dict[int, Box] = {}
        self.at_clip_foot: dict[int, Box] = {}
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
            elif y0 - cy0 < TOL.box_slack_pt:
                self.at_clip_foot[id(char)] = self.clip
            if self.frame is not None and id(char) in self.clipped_to:
                self.framed_in[id(char)] = self.frame
        return advance


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
        self.device.clip = box if old is None else overlap(box, old)


def _bounds(points: list[tuple[float, float]]) -> Box:
    """The box around `points`."""
    return (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))


def overlap(a: Box, b: Box) -> Box:
    """Where boxes `a` and `b` overlap (inverted when they do not)."""
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _ending_the_path(paint: Callable[[_ClipTracker], None]) -> Callable[[_ClipTracker], None]:
    def ended(self: _ClipTracker) -> None:
        self._clip_to_path()
        paint(self)

    return ended


for _name in ("do_n", "do_S", "do_f", "do_F", "do_f_a", "do_B", "do_B_a"):
    setattr(_ClipTracker, _name, _ending_the_path(getattr(PDFPageInterpreter, _name)))


def clipped_layout(
    page: Page,
) -> tuple[LTPage, list[tuple[LTContainer, LTChar]], dict[int, Box], dict[int, Box], dict[int, Box]]:
    """The page laid out by pdfminer, with the characters its clips hide, the clip of each
    character a clip cuts, the frame it was drawn in, and the clip of each character standing
    uncut at its clip's foot (see _ClippedDevice)."""
    device = _ClippedDevice(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    _ClipTracker(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    return device.get_result(), device.hidden, device.clipped_to, device.framed_in, device.at_clip_foot


def content_area(clip: Box, page: Box) -> bool:
    """True when `clip` spans most of the page across and down (`TOL.content_clip_share`)."""
    share = TOL.content_clip_share
    return clip[2] - clip[0] >= share * (page[2] - page[0]) and clip[3] - clip[1] >= share * (page[3] - page[1])


def chars_of(container: LTContainer) -> Iterator[LTChar]:
    for obj in container:
        if isinstance(obj, LTChar):
            yield obj
        elif isinstance(obj, LTContainer):
            yield from chars_of(obj)


def chars_with_containers(container: LTContainer) -> Iterator[tuple[LTContainer, LTChar]]:
    """Each character laid out in `container`, with the container it went into."""
    for obj in container:
        if isinstance(obj, LTChar):
            yield container, obj
        elif isinstance(obj, LTContainer):
            yield from chars_with_containers(obj)


def runs_of_text(chars: list[tuple[LTContainer, LTChar]]) -> list[list[tuple[LTContainer, LTChar]]]:
    """The characters (each with its container) in runs of text: drawn one after another on one
    baseline, each within an em of the last."""
    runs: list[list[tuple[LTContainer, LTChar]]] = []
    for container, char in chars:
        last = runs[-1][-1][1] if runs else None
        if last is not None and set_after(last, char):
            runs[-1].append((container, char))
        else:
            runs.append([(container, char)])
    return runs


def set_after(last: LTChar, char: LTChar) -> bool:
    """True when `char` is set right after `last` on its line, within an em: on one foot, along
    the way the line runs."""
    start, _, foot, size = on_its_line(char)
    _, end, last_foot, _ = on_its_line(last)
    return abs(foot - last_foot) <= TOL.box_slack_pt and -TOL.box_slack_pt <= start - end <= size


def turned(char: LTChar) -> bool:
    """True for a character set a quarter turned: its line runs up or down the page."""
    a, b = char.matrix[0], char.matrix[1]
    return abs(b) > abs(a)


def on_its_line(char: LTChar) -> tuple[float, float, float, float]:
    """Where `char` begins and ends along the line it is set on, where its foot stands across
    that line, and its size there (see upright). Upright text runs left to right; a page that
    prints its content a quarter turned (a landscape slide printed sideways on portrait paper)
    sets each line up or down the page, and its text runs on past a cell's clip there."""
    start, foot, end, _ = upright(char.bbox, char)
    return start, end, foot, char.size if not turned(char) else char.x1 - char.x0


def upright(box: Box, char: LTChar) -> Box:
    """`box` (device space, y up) in the frame `char` is set in: x along its line, y up from its
    foot, so that one measure holds however the page turns its text (a page's top and foot
    lie to its sides when its /Rotate turns it, and swap when it turns it half round)."""
    x0, y0, x1, y1 = box
    a, b = char.matrix[0], char.matrix[1]
    if not turned(char):
        return box if a >= 0 else (-x1, -y1, -x0, -y0)
    return (y0, -x1, y1, -x0) if b > 0 else (-y1, x0, -y0, x1)


def remove_run(run: list[tuple[LTContainer, LTChar]]) -> None:
    for container, char in run:
        container._objs.remove(char)


def run_text(run: list[tuple[LTContainer, LTChar]]) -> str:
    return "".join(char.get_text() for _, char in run)
