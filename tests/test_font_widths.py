"""A font whose width table is broken has its glyphs boxed as wide as they are set apart."""

from __future__ import annotations

from pipeline.extract.font_widths import repaired_right_edges


def _chars(text: str, font: str, width: float, x: float = 10.0, top: float = 50.0, size: float = 10.0) -> list[dict]:
    """`text` set a glyph every em from `x` (half an em for Latin), each boxed `width` wide."""
    chars = []
    for ch in text:
        box = {"x0": x, "x1": x + width, "top": top, "size": size}
        chars.append({"text": ch, "fontname": font, "upright": True, **box})
        x += size if ord(ch) > 0x2E80 else size / 2
    return chars


def test_a_font_boxing_its_ideographs_with_no_width_is_given_the_widths_it_sets():
    """pdftocairo re-printing ConTeXt writes zeros in /W: '策略主題' set an em apart, each boxed
    0 wide, and 'A1' after it. Each ideograph reaches the next glyph, the last one an em; Latin
    half an em at most."""
    chars = _chars("策略主題", "broken", 0.0) + _chars("A1", "broken", 0.0, x=50.0)
    edges = repaired_right_edges(chars)
    assert [edges[id(c)] for c in chars] == [20.0, 30.0, 40.0, 50.0, 55.0, 60.0]


def test_a_whole_font_is_left_as_it_is():
    """Most pages: every box as pdfminer made it, even a font's narrow glyphs beside a broken one's."""
    whole = _chars("策略主題", "whole", 10.0)
    assert repaired_right_edges(whole) == {}
    narrow_latin = _chars("策略", "whole", 10.0) + _chars("...", "whole", 0.5, x=30.0)
    assert repaired_right_edges(narrow_latin) == {}
