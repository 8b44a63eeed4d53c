"""A glyph's box hung from its baseline by the usual descent, when its font declares a wrong one.

Some tools embed fonts whose declared descent is far off (cairo's re-prints, matplotlib's Type 3
fonts): pdfminer boxes their glyphs by it, so a title's box stands 13 pt above its letters, or two
fonts of one line stand on two lines. Every look at where a glyph stands across its line (clips,
fills painted over it, rules under it, the line it is read on) takes its box from here.
A glyph set in vertical writing (a font under a -V CMap: a stacked 構面 label uplatex sets in
tategaki) hangs from its origin at its top, not from a baseline: pdfminer boxes it from the
font's vertical metrics, rightly, and it is never hung again.
"""

from __future__ import annotations

from pdfminer.layout import LTChar

from pipeline.extract.tolerances import TOL

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in the page's device space


def hung_box(char: LTChar) -> Box:
    """The box of `char`, hung from its baseline by the usual descent when its font declares a
    wrong one (as geometry hangs the glyph), whichever way it is turned: re-printed through
    cairo, a title's box stands 13 pt above its letters, its middle past the top of the page's
    content clip, and the title would be taken for text hidden in the page's margin. The layout
    keeps the box the font declares, which some tools paint a run's background to."""
    return _hung(char.bbox, char.size, char.matrix, char.adv)


def hung_char_box(char: dict) -> Box:
    """pdfplumber's `char`'s box (x0, y0, x1, y1, y up), hung as hung_box hangs its box."""
    return _hung(_box(char), char["size"], char["matrix"], char["adv"])


def _hung(box: Box, size: float, matrix: tuple[float, ...], advance: float) -> Box:
    x0, y0, x1, y1 = box
    span = _hung_span(y0, y1, size, matrix)
    across = _hung_across(x0, x1, matrix, 0.0) if span is None else None
    if (span is None and across is None) or _set_vertically(box, advance, matrix):
        return box
    return (x0, span[0], x1, span[1]) if span is not None else (across[0], y0, across[1], y1)


def hung_extent(char: dict) -> tuple[float, float]:
    """pdfplumber's `char`'s top and bottom (y down), hung as hung_box hangs its box."""
    y0 = char["y0"]
    span = _hung_span(y0, y0 + char["bottom"] - char["top"], char["size"], char["matrix"])
    if span is None or _set_vertically(_box(char), char["adv"], char["matrix"]):
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
    across = _hung_across(char["x0"], char["x1"], char["matrix"], origin)
    if across is None or _set_vertically(_box(char), char["adv"], char["matrix"]):
        return char["x0"], char["x1"]
    return across


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


def _box(char: dict) -> Box:
    """pdfplumber's `char`'s box, y up."""
    return char["x0"], char["y0"], char["x1"], char["y0"] + char["bottom"] - char["top"]


def _set_vertically(box: Box, advance: float, matrix: tuple[float, ...]) -> bool:
    """True for a glyph set in vertical writing: pdfminer gives it the font's vertical
    displacement as its advance, which runs down the line (negative), and boxes it that long
    along the line. A glyph set on a baseline is boxed as wide as its advance: a negative one
    (cairo re-printing broken widths, -0.05) leaves it its em-high box."""
    a, b, c, d = matrix[:4]
    x0, y0, x1, y1 = box
    if advance >= 0:
        return False
    if abs(b) < TOL.axis_epsilon and abs(c) < TOL.axis_epsilon:
        along, scale = y1 - y0, abs(d)
    elif abs(a) < TOL.axis_epsilon and abs(d) < TOL.axis_epsilon:
        along, scale = x1 - x0, abs(c)
    else:
        return False
    return abs(along + advance * scale) <= TOL.vertical_advance_share * along
