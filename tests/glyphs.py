"""Glyphs placed by hand, for unit tests of the geometry that works on them.

A glyph is a square `size` points wide; `word` lays a string out left to right, `column` down
(quarter-turned, as a 構面 label set vertically), each letter `advance` em after the one before.
"""

from __future__ import annotations

from pipeline.extract.geometry import Glyph, Line, group_lines


def glyph(text: str, x0: float, top: float, size: float = 10.0, rotated: bool = False, upward: bool = False) -> Glyph:
    return Glyph(text, x0, x0 + size, top, top + size, size, rotated, upward)


def word(text: str, x0: float, top: float, size: float = 10.0, advance: float = 1.0) -> list[Glyph]:
    return [glyph(ch, x0 + i * advance * size, top, size) for i, ch in enumerate(text)]


def line(text: str, top: float, x0: float = 40.0) -> Line:
    """`text` as one line of glyphs, as group_lines reads `word`'s."""
    (only,) = group_lines(word(text, x0, top))
    return only


def column(text: str, x0: float, top: float, size: float = 10.0, upward: bool = False) -> list[Glyph]:
    """Turned glyphs reading `text`, downward from `top`, or upward from `top` + its height."""
    placed = [glyph(ch, x0, top + i * size, size, rotated=True, upward=upward) for i, ch in enumerate(text)]
    if upward:  # the first letter at the bottom
        placed = [glyph(g.text, x0, top + (len(text) - 1 - i) * size, size, True, True) for i, g in enumerate(placed)]
    return placed


def clipped(text: list[Glyph], x0: float, x1: float, top: float, bottom: float) -> list[Glyph]:
    """The glyphs of `text` drawn under a clip with this box (a cell's, the tool clipping each
    cell's text to it), each cut by it: only what lies inside shows."""
    return [
        Glyph(g.text, g.x0, g.x1, g.top, g.bottom, g.size, g.rotated, g.upward, g.seq, (x0, x1, top, bottom))
        for g in text
    ]


def drawn(*texts: list[Glyph]) -> list[Glyph]:
    """The glyphs of `texts` with their drawing order: text after text, each in its own order."""
    placed = [g for text in texts for g in text]
    return [
        Glyph(g.text, g.x0, g.x1, g.top, g.bottom, g.size, g.rotated, g.upward, seq, g.clip)
        for seq, g in enumerate(placed)
    ]
