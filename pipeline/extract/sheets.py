"""Sheets that print several pages each (n-up): each page read as a page of its own.

Printing a deck two or four pages to a sheet (a print dialog's "pages per sheet", pdfjam, a
handout maker that places each page whole) draws each page as a form XObject, scaled into its
place on the sheet. Read as one page, such a sheet sets two slides' tables one above the other or
side by side: the lower page's running header is read as the last cell of the upper one, and
tables side by side share their lines. A sheet whose text lies (nearly) all in two or more forms
of one size (or all drawn smaller: pages of different sizes fitted to their places) that do not
overlap is read as those forms, one page each in reading order, each at the size it was drawn at
before the sheet scaled it (the form's own scale undone). So is a sheet
with one such form drawn smaller (the last sheet of a deck of an odd number of pages printed two
to a sheet): read at the sheet's scale, its text would not match the size of the pages before.

pdfminer lays each form out as an LTFigure at the top of the page's layout, its box the form's
box as drawn on the sheet; a page drawn with forms of its own (a logo, a chart) holds text in
them too, but not most of its text in several forms of one size.
"""

from __future__ import annotations

from dataclasses import replace
from math import hypot

from pdfminer.layout import LTChar, LTContainer, LTFigure, LTItem
from pdfplumber.page import Page

from pipeline.extract.geometry import Glyph, PageGeometry, numbered_chars, shown_origin
from pipeline.extract.notes_pages import SlideFrame
from pipeline.extract.rules import Rules
from pipeline.extract.sideways import upright_box, upright_turn
from pipeline.extract.tolerances import TOL


def sheet_pages(page: Page, geometry: PageGeometry) -> list[tuple[SlideFrame, PageGeometry]]:
    """The pages a sheet prints, in reading order: each page's frame on the sheet (in
    `geometry`'s frame, the sheet as page_geometry read it) and what it prints, cut out and
    scaled up (see _cut_out); [] for a PDF page that prints one page (most pages: one look at
    the top of its layout)."""
    figures = [item for item in page.layout if isinstance(item, LTFigure)]
    if not figures:
        return []
    held = [(figure, _chars_in(figure)) for figure in figures]
    forms = [figure for figure, chars in held if chars]
    if not forms or sum(chars for _, chars in held) < TOL.sheet_text_share * len(page.chars):
        return []
    scales = [hypot(*form.matrix[:2]) for form in forms]
    if len(forms) == 1 and not 0 < scales[0] <= TOL.sheet_single_scale:
        return []  # a page drawn whole as a form, at its own size: read as it is
    if min(scales) <= 0 or not _pages_apart(forms, scales, geometry.width * geometry.height):
        return []
    frames = _frames(page, forms, scales)
    slack = TOL.frame_slack_pt
    width, height = geometry.width + slack, geometry.height + slack
    if any(f.x0 < -slack or f.top < -slack or f.x1 > width or f.bottom > height for f in frames):
        return []  # not in the frame page_geometry read the sheet in
    if (drawn_by := _drawn_by(page, forms)) is None:
        return []
    homes = _homes(geometry.glyphs, drawn_by)
    rule_homes = _rule_homes(geometry.rules, frames)
    order = _in_reading_order(_upright_frames(frames, geometry))
    return [(frames[k], _cut_out(geometry, frames[k], k, homes, rule_homes)) for k in order]


def _frames(page: Page, forms: list[LTFigure], scales: list[float]) -> list[SlideFrame]:
    """Each form's box in the frame page_geometry reads the page in (pdfminer's boxes are y-up
    from the MediaBox's corner: turned as pdfplumber turns its chars, shifted as page_geometry
    shifts them), read at its width before its `scales` shrank it."""
    left, top = shown_origin(page)
    x_shift, y_shift = float(page.mediabox[0]) - left, float(page.mediabox[1]) - top
    frames = []
    for form, scale in zip(forms, scales):
        x0, y0, x1, y1 = form.bbox
        frame_top, frame_bottom = page.height - y1 + y_shift, page.height - y0 + y_shift
        frames.append(SlideFrame(x0 + x_shift, frame_top, x1 + x_shift, frame_bottom, (x1 - x0) / scale))
    return frames


def _drawn_by(page: Page, forms: list[LTFigure]) -> dict[int, int] | None:
    """The form (its index in `forms`) that drew each glyph, by the glyph's `seq`: pdfplumber
    lists a page's chars in the order of its layout, each form's whole in its place. None when
    the chars are not the layout's (no form can be told then)."""
    index = {id(form): k for k, form in enumerate(forms)}
    forms_in_order = [index.get(id(item)) for item in page.layout for _ in range(_chars_in(item))]
    if len(forms_in_order) != len(page.chars):
        return None
    form_of_char = {id(ch): k for ch, k in zip(page.chars, forms_in_order) if k is not None}
    return {seq: form_of_char[id(ch)] for seq, ch in numbered_chars(page.chars) if id(ch) in form_of_char}


def _homes(glyphs: list[Glyph], drawn_by: dict[int, int]) -> list[int | None]:
    """The form that drew each glyph, a blank's the form of the glyph before it (a blank is no
    drawn glyph, see numbered_chars); None for text drawn outside every form."""
    homes: list[int | None] = []
    home = None
    for g in glyphs:
        if g.seq >= 0:
            home = drawn_by.get(g.seq)
        homes.append(home)
    return homes


def _cut_out(
    geometry: PageGeometry,
    frame: SlideFrame,
    k: int,
    homes: list[int | None],
    rule_homes: tuple[list[int | None], list[int | None]],
) -> PageGeometry:
    """The page `frame` (the `k`-th) prints, cut out and scaled up: the glyphs its form drew
    (`homes`), those past its edge too (a cell's text a slide's table pushed over the slide's
    foot, which the form's box hides as the page's edge hid it, and which may lie over the next
    page's frame), and the rules drawn for it (`rule_homes`, see _rule_home). Text drawn outside
    every form is the sheet's own (a header the printer added), no page's."""
    glyphs = [g for g, home in zip(geometry.glyphs, homes) if home == k]
    horizontal = [r for r, home in zip(geometry.rules.horizontal, rule_homes[0]) if home == k]
    vertical = [r for r, home in zip(geometry.rules.vertical, rule_homes[1]) if home == k]
    return frame.slide(geometry, replace(geometry, glyphs=glyphs, rules=Rules(horizontal, vertical)))


def _rule_homes(rules: Rules, frames: list[SlideFrame]) -> tuple[list[int | None], list[int | None]]:
    """The frame each horizontal and each vertical rule is drawn for (see _rule_home)."""
    return (
        [_rule_home(frames, r.start, r.end, r.pos, r.pos, True) for r in rules.horizontal],
        [_rule_home(frames, r.pos, r.pos, r.start, r.end, False) for r in rules.vertical],
    )


def _rule_home(frames: list[SlideFrame], x0: float, x1: float, top: float, bottom: float, across: bool) -> int | None:
    """The frame a rule from (x0, top) to (x1, bottom) is drawn for: the one its middle lies in
    or nearest to (a table's border past the slide's foot, under its last row's text), within
    the frame's width for a rule across (a rule across two pages is the sheet's)."""
    x, y = (x0 + x1) / 2, (top + bottom) / 2
    distances = [_distance(f, x, y) for f in frames]
    k = min(range(len(frames)), key=distances.__getitem__)
    frame, slack = frames[k], TOL.box_slack_pt
    if distances[k] > TOL.sheet_overflow_share * (frame.bottom - frame.top):
        return None
    if across and (x0 < frame.x0 - slack or x1 > frame.x1 + slack):
        return None
    return k


def _chars_in(item: LTItem) -> int:
    if isinstance(item, LTChar):
        return 1
    if isinstance(item, LTContainer):
        return sum(_chars_in(child) for child in item)
    return 0


def _pages_apart(forms: list[LTFigure], scales: list[float], sheet_area: float) -> bool:
    """The forms are pages of a sheet: each a fair part of the sheet, none over another, and all
    of one size or all drawn smaller (a deck whose pages differ in size, each fitted into its
    place on the sheet)."""
    width, height = forms[0].width, forms[0].height
    slack = TOL.sheet_size_slack
    if any(f.width * f.height < TOL.sheet_page_area_share * sheet_area for f in forms):
        return False
    one_size = all(abs(f.width - width) <= slack * width and abs(f.height - height) <= slack * height for f in forms)
    if not one_size and max(scales) > TOL.sheet_single_scale:
        return False
    for i, a in enumerate(forms):
        for b in forms[i + 1 :]:
            across = min(a.x1, b.x1) - max(a.x0, b.x0)
            down = min(a.y1, b.y1) - max(a.y0, b.y0)
            if across > slack * min(a.width, b.width) and down > slack * min(a.height, b.height):
                return False
    return True


def _upright_frames(frames: list[SlideFrame], geometry: PageGeometry) -> list[SlideFrame]:
    """The frames where they stand once the sheet is turned to read its text (see
    upright_turn): a sheet of two pages printed one above the other, turned a quarter, shows
    the first on the right."""
    turn = upright_turn(geometry.glyphs)
    if turn == 0:
        return frames
    width, height = geometry.width, geometry.height
    upright = []
    for f in frames:
        x0, top, x1, bottom = upright_box((f.x0, f.top, f.x1, f.bottom), turn, width, height)
        upright.append(replace(f, x0=x0, top=top, x1=x1, bottom=bottom))
    return upright


def _in_reading_order(frames: list[SlideFrame]) -> list[int]:
    """The frames' indexes row by row from the top, each row left to right (frames of one row
    start within half a frame's height of each other)."""
    rows: list[list[int]] = []
    for k in sorted(range(len(frames)), key=lambda k: frames[k].top):
        if rows and frames[k].top - frames[rows[-1][0]].top < (frames[k].bottom - frames[k].top) / 2:
            rows[-1].append(k)
        else:
            rows.append([k])
    return [k for row in rows for k in sorted(row, key=lambda k: frames[k].x0)]


def _distance(frame: SlideFrame, x: float, y: float) -> float:
    """How far the point (x, y) lies outside `frame` (0 inside it)."""
    dx = max(frame.x0 - x, 0.0, x - frame.x1)
    dy = max(frame.top - y, 0.0, y - frame.bottom)
    return hypot(dx, dy)
