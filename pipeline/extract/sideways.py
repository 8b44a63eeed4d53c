"""Pages whose content is drawn sideways, without /Rotate to show it upright.

Landscape slides printed onto portrait paper come out turned a quarter: the driver rotates the
content to fit and leaves the page unrotated, so every line of the table runs top to bottom (or
bottom to top). When most of a page's text is turned one way, the page is read in the frame
that turns it back: glyph boxes and rules are mapped through the quarter turn, and what was
upright on the sideways page (a 構面 label set vertically on the slide) becomes turned.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.extract.crop_box import BBox
from pipeline.extract.geometry import Glyph, Line, PageGeometry, group_lines
from pipeline.extract.painted_over import Fractions
from pipeline.extract.rules import Rules
from pipeline.extract.tolerances import TOL


def read_upright(geometry: PageGeometry) -> tuple[PageGeometry, int]:
    """The page in the frame where most of its text reads left to right, and the turn (90
    clockwise, 270 counter-clockwise, 180 a half turn, 0 none) that takes the page as printed
    into it."""
    turn = upright_turn(geometry.glyphs)
    if turn == 0:
        return geometry, 0
    if turn == 180:
        return _half_turned_page(geometry), 180
    clockwise = turn == 90
    glyphs, width, height = geometry.glyphs, geometry.width, geometry.height
    if clockwise:
        upright = [_clockwise(g, height) for g in glyphs]
        rules = Rules(
            [r.mapped(r.pos, flip=height) for r in geometry.rules.vertical],
            [r.mapped(height - r.pos) for r in geometry.rules.horizontal],
        )
    else:
        upright = [_counter_clockwise(g, width) for g in glyphs]
        rules = Rules(
            [r.mapped(width - r.pos) for r in geometry.rules.vertical],
            [r.mapped(r.pos, flip=width) for r in geometry.rules.horizontal],
        )
    covered = {seq: _turned(part, clockwise) for seq, part in geometry.covered.items()}
    turned_page = replace(geometry, glyphs=upright, rules=rules, width=height, height=width, covered=covered)
    return turned_page, 90 if clockwise else 270


def upright_turn(glyphs: list[Glyph]) -> int:
    """The turn read_upright takes a page holding `glyphs` by (90, 270, 180 or 0), told without
    turning it."""
    turned = [g for g in glyphs if g.rotated]
    # A page whose text is all turned is sideways however little it holds (the last letter of a
    # plan broken over the page, alone on a slide printed sideways).
    few = len(turned) < TOL.sideways_glyphs and len(turned) < len(glyphs)
    if not turned or few or len(turned) < TOL.sideways_share * len(glyphs):
        # Nor is a page whose text all stands upside down upright, however little it holds.
        upside_down = sum(1 for g in glyphs if not g.rotated and g.upward)
        if upside_down == len(glyphs) > 0:
            return 180
        return 180 if upside_down >= max(TOL.sideways_glyphs, TOL.sideways_share * len(glyphs)) else 0
    # Text running bottom to top reads upright once the page turns clockwise.
    return 90 if 2 * sum(g.upward for g in turned) >= len(turned) else 270


def upright_box(box: BBox, turn: int, width: float, height: float) -> BBox:
    """Box (x0, top, x1, bottom) on a page `width` by `height` once the page takes `turn`
    (see upright_turn)."""
    x0, top, x1, bottom = box
    if turn == 90:  # (x, y) to (height - y, x)
        return height - bottom, x0, height - top, x1
    if turn == 270:  # (x, y) to (y, width - x)
        return top, width - x1, bottom, width - x0
    if turn == 180:
        return width - x1, height - bottom, width - x0, height - top
    return box


def turned_lines(glyphs: list[Glyph], width: float, height: float) -> list[Line]:
    """The page's turned text as lines, each glyph turned upright by the quarter its reading
    direction asks: what a page of upright text also holds turned (a handout's second slide
    laid sideways, its table's codes among it), for the checks that look for codes no row took."""
    upward = [_clockwise(g, height) for g in glyphs if g.rotated and g.upward]
    downward = [_counter_clockwise(g, width) for g in glyphs if g.rotated and not g.upward]
    return group_lines(upward) + group_lines(downward)


def _half_turned_page(geometry: PageGeometry) -> PageGeometry:
    """The page turned half round, as when most of its upright text stands upside down (a
    portrait page of landscape content, turned a quarter by its maker and a quarter again by a
    printer that laid it sideways): (x, y) goes to (width - x, height - y)."""
    glyphs, width, height = geometry.glyphs, geometry.width, geometry.height
    rules = Rules(
        [r.mapped(height - r.pos, flip=width) for r in geometry.rules.horizontal],
        [r.mapped(width - r.pos, flip=height) for r in geometry.rules.vertical],
    )
    covered = {
        seq: (1 - right, 1 - left, 1 - bottom, 1 - top) for seq, (left, right, top, bottom) in geometry.covered.items()
    }
    upright = [_half_turned(g, width, height) for g in glyphs]
    return replace(geometry, glyphs=upright, rules=rules, covered=covered)


def _half_turned(g: Glyph, width: float, height: float) -> Glyph:
    """`g` on the page turned half round: (x, y) goes to (width - x, height - y), and text that
    read one way reads the other (upside down to upright, upward to downward)."""
    clip = None if (c := g.clip) is None else (width - c[1], width - c[0], height - c[3], height - c[2])
    return Glyph(
        g.text,
        width - g.x1,
        width - g.x0,
        height - g.bottom,
        height - g.top,
        g.size,
        g.rotated,
        not g.upward,
        g.seq,
        clip,
        g.buried,
    )


def _turned(part: Fractions, clockwise: bool) -> Fractions:
    """The part of a glyph's box that shows (see PageGeometry.covered) once the page turns."""
    left, right, top, bottom = part
    if clockwise:  # (x, y) to (height - y, x): what was its foot is now its left
        return 1 - bottom, 1 - top, left, right
    return top, bottom, 1 - right, 1 - left  # (x, y) to (y, width - x)


def _clockwise(g: Glyph, height: float) -> Glyph:
    """`g` on the page turned a quarter clockwise: (x, y) goes to (height - y, x)."""
    upward = not g.rotated and g.upward  # upright upside down: the quarter turn sets it reading upward
    clip = None if (c := g.clip) is None else (height - c[3], height - c[2], c[0], c[1])
    return Glyph(
        g.text,
        height - g.bottom,
        height - g.top,
        g.x0,
        g.x1,
        _type_size(g),
        not g.rotated,
        upward,
        g.seq,
        clip,
        g.buried,
    )


def _counter_clockwise(g: Glyph, width: float) -> Glyph:
    """`g` on the page turned a quarter counter-clockwise: (x, y) goes to (y, width - x)."""
    size = _type_size(g)
    upward = not g.rotated and not g.upward  # upright reads upward once turned, upside down downward
    clip = None if (c := g.clip) is None else (c[2], c[3], width - c[1], width - c[0])
    return Glyph(
        g.text, g.top, g.bottom, width - g.x1, width - g.x0, size, not g.rotated, upward, g.seq, clip, g.buried
    )


def _type_size(g: Glyph) -> float:
    """A glyph's type size: pdfminer gives a turned glyph its advance (a narrow 'A' set in 16 pt
    reads as 10 pt), but its box's width across the turned line is the type size."""
    return g.x1 - g.x0 if g.rotated else g.size
