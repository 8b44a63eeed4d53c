"""A font whose width table is broken has its glyphs boxed as long as they are set apart."""

from __future__ import annotations

import pytest

from pipeline.extract.font_widths import repaired_extents


def _chars(text: str, font: str, width: float, x: float = 10.0, top: float = 50.0, size: float = 10.0) -> list[dict]:
    """`text` set a glyph every em from `x` (half an em for Latin), each boxed `width` wide."""
    chars = []
    for ch in text:
        box = {"x0": x, "x1": x + width, "top": top, "bottom": top + size, "size": size}
        chars.append({"text": ch, "fontname": font, "matrix": (size, 0, 0, size, x, 0), "upright": True, **box})
        x += size if ord(ch) > 0x2E80 else size / 2
    return chars


def _turned(chars: list[dict], downward: bool) -> list[dict]:
    """`chars` on the page turned a quarter (by its /Rotate): each line runs down the page from
    y 10 (`downward`) or up it from y 100, its glyphs boxed across the line as wide as the type
    size and along it as long as their width was. pdfminer sizes a turned glyph by that length."""
    turned = []
    for ch in chars:
        length, start = ch["x1"] - ch["x0"], ch["x0"]
        top = start if downward else 110 - start - length
        matrix = (0, -10, 10, 0, 0, 0) if downward else (0, 10, -10, 0, 0, 0)
        box = {"x0": 50.0, "x1": 60.0, "top": top, "bottom": top + length, "size": length}
        turned.append({**ch, "matrix": matrix, "upright": False, **box})
    return turned


def test_a_font_boxing_its_ideographs_with_no_width_is_given_the_widths_it_sets():
    """pdftocairo re-printing ConTeXt writes zeros in /W: '策略主題' set an em apart, each boxed
    0 wide, and 'A1' after it. Each ideograph reaches the next glyph, the last one an em; Latin
    half an em at most."""
    chars = _chars("策略主題", "broken", 0.0) + _chars("A1", "broken", 0.0, x=50.0)
    extents = repaired_extents(chars)
    assert [extents[id(c)] for c in chars] == [(c["x0"], x1) for c, x1 in zip(chars, [20, 30, 40, 50, 55, 60])]


@pytest.mark.parametrize("downward", [True, False])
def test_a_broken_font_on_a_page_turned_a_quarter_is_given_the_lengths_it_sets(downward):
    """qpdf --rotate turns that re-print a quarter: each line runs down (or up) the page, and
    each glyph's box has no length down it. Each is given its length there, as upright."""
    chars = _turned(_chars("策略主題", "broken", 0.0), downward)
    extents = repaired_extents(chars)
    starts = [10, 20, 30, 40] if downward else [100, 90, 80, 70]
    expected = [(s, s + 10) if downward else (s - 10, s) for s in starts]
    assert [extents[id(c)] for c in chars] == expected


def test_a_broken_font_upside_down_is_given_its_lengths_right_to_left():
    """Turned half round, a line runs right to left: each glyph starts at its box's right edge."""
    chars = [
        {**c, "matrix": (-10, 0, 0, -10, 0, 0), "x0": 110 - c["x0"], "x1": 110 - c["x0"]}
        for c in _chars("策略", "broken", 0.0)
    ]
    extents = repaired_extents(chars)
    assert [extents[id(c)] for c in chars] == [(90.0, 100.0), (80.0, 90.0)]


def test_a_whole_font_is_left_as_it_is():
    """Most pages: every box as pdfminer made it, even a font's narrow glyphs beside a broken one's."""
    whole = _chars("策略主題", "whole", 10.0)
    assert repaired_extents(whole) == {}
    narrow_latin = _chars("策略", "whole", 10.0) + _chars("...", "whole", 0.5, x=30.0)
    assert repaired_extents(narrow_latin) == {}
    assert repaired_extents(_turned(whole, downward=True)) == {}
