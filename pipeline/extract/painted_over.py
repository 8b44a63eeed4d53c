"""Text a fill painted after it covers in part stands where the part left showing stands.

A tool that draws a table row by row paints each row's background after the rows above: a cell
whose text runs past its foot (LibreOffice, printing through a PostScript driver, lets a plan's
last line overflow its row) has that text covered by the next row's fill, all but the top of its
line. pdfminer knows nothing of what paint hides, so the line's box, centred under the next row's
top rule, would be that row's text. The part a reader sees lies in the cell it was set in.

Only a fill covering a character's whole width (or height) from one side takes part of it; one
covering the middle of it leaves it as drawn. One covering all of it leaves it as drawn too, but
buried (Glyph.buried): a cell's last line run on wholly under the next row's fill is still the
cell's text, and says by that whose it is (see row_overflow). A page that paints anything
see-through (an ExtGState fill alpha below 1, or a blend mode other than Normal) hides nothing so.
"""

from __future__ import annotations

from collections import defaultdict

from pdfminer.layout import LTChar, LTContainer, LTItem, LTRect
from pdfplumber.page import Page

from pipeline.extract.hung import hung_box, hung_char_box
from pipeline.extract.rules import paints_see_through
from pipeline.extract.tolerances import TOL

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pdfminer's space (y up)
# The part of a glyph's box that shows: from its left and its top, as fractions of its width and
# height (left, right, top, bottom); they hold through any shift, scale or quarter turn of the page.
Fractions = tuple[float, float, float, float]
CharKey = tuple[float, float, float, float, str]
_BAND = 20.0  # points of height per bucket of characters, to find those under a fill quickly


def shown_parts(page: Page) -> tuple[dict[CharKey, Box], set[CharKey]]:
    """The part left showing of each character a fill painted after it covers in part, by its
    (x0, y0, x1, y1, text) (see shown_fractions); and the characters a fill painted after them
    covers wholly (see is_buried)."""
    if not hasattr(page, "layout") or paints_see_through(page):
        return {}, set()
    shown: dict[int, Box] = {}
    buried: set[int] = set()
    chars: dict[int, LTChar] = {}
    bands: defaultdict[int, list[LTChar]] = defaultdict(list)
    for obj in _before_the_last_fill(list(_painted(page.layout))):
        if isinstance(obj, LTChar) and obj.get_text().strip():
            _, y0, _, y1 = hung_box(obj)  # where its letter stands, whatever descent its font declares
            for band in range(int(y0 // _BAND), int(y1 // _BAND) + 1):
                bands[band].append(obj)
        elif isinstance(obj, LTRect) and obj.fill and bands:
            for band in range(int(obj.y0 // _BAND), int(obj.y1 // _BAND) + 1):
                for char in bands.get(band, ()):
                    box = shown.get(id(char)) or hung_box(char)
                    if (part := _left_showing(box, obj.bbox)) is not None:
                        shown[id(char)], chars[id(char)] = part, char
                    elif _covers(box, obj.bbox):
                        buried.add(id(char))
                        chars[id(char)] = char
    parts = {_key(chars[i]): part for i, part in shown.items() if i not in buried}
    return parts, {_key(chars[i]) for i in buried}


def is_buried(char: dict, buried: set[CharKey]) -> bool:
    """True when a fill painted after pdfplumber's `char` covers it wholly (see shown_parts)."""
    return bool(buried) and (char["x0"], char["y0"], char["x1"], char["y1"], char["text"]) in buried


def shown_fractions(char: dict, parts: dict[CharKey, Box]) -> Fractions | None:
    """The part of pdfplumber's `char` left showing (see shown_parts) as fractions of its box, or
    None when nothing covers part of it."""
    part = parts.get((char["x0"], char["y0"], char["x1"], char["y1"], char["text"])) if parts else None
    if part is None:
        return None
    x0, y0, x1, y1 = part
    left, bottom, right, top = hung_char_box(char)  # the box the part was cut from
    width, height = right - left, top - bottom
    if width <= 0 or height <= 0:
        return None
    return (x0 - left) / width, (x1 - left) / width, (top - y1) / height, (top - y0) / height


def _painted(container: LTContainer):
    """The container's objects in the order the page paints them, forms' contents in their place."""
    for obj in container:
        if isinstance(obj, LTContainer) and not isinstance(obj, LTChar):
            yield from _painted(obj)
        else:
            yield obj


def _before_the_last_fill(painted: list[LTItem]) -> list[LTItem]:
    """The objects `painted`, in order, up to the last fill: no fill is painted over a character
    drawn after it, and most pages draw most of their text after their cells' fills."""
    last = next((i for i in range(len(painted) - 1, -1, -1) if isinstance(painted[i], LTRect) and painted[i].fill), -1)
    return painted[: last + 1]


def _left_showing(box: Box, fill: Box) -> Box | None:
    """What of `box` a `fill` over it leaves showing, when it covers the box across from one side
    and not all of it; None when it covers none, all, or only a middle."""
    x0, y0, x1, y1 = box
    f0, g0, f1, g1 = fill
    slack = TOL.box_slack_pt
    across = f0 <= x0 + slack and f1 >= x1 - slack
    along = g0 <= y0 + slack and g1 >= y1 - slack
    if across and g0 <= y0 + slack and y0 < g1 < y1 - slack:
        return x0, g1, x1, y1  # its foot covered
    if across and g1 >= y1 - slack and y0 + slack < g0 < y1:
        return x0, y0, x1, g0  # its head covered
    if along and f0 <= x0 + slack and x0 < f1 < x1 - slack:
        return f1, y0, x1, y1  # its left covered
    if along and f1 >= x1 - slack and x0 + slack < f0 < x1:
        return x0, y0, f0, y1  # its right covered
    return None


def _covers(box: Box, fill: Box) -> bool:
    """True when `fill` covers all of `box` (to within a glyph box's slack)."""
    x0, y0, x1, y1 = box
    f0, g0, f1, g1 = fill
    slack = TOL.box_slack_pt
    return f0 <= x0 + slack and f1 >= x1 - slack and g0 <= y0 + slack and g1 >= y1 - slack


def _key(char: LTChar) -> CharKey:
    return char.x0, char.y0, char.x1, char.y1, char.get_text()
