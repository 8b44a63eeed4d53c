"""Glyph boxes hung from their baseline when the font declares a wrong descent."""

from __future__ import annotations

from types import SimpleNamespace

from pipeline.extract.hung import hung_box


def test_a_box_hung_by_a_wrong_font_descent_is_hung_from_its_baseline():
    """Re-printed through cairo, a 15 pt title's font declares a descent of +0.85 em: pdfminer's
    box stands 13 pt above the letters, its middle past the top of the page's content clip. For
    what a clip hides, the box hangs from the baseline by the usual descent; a descent fonts do
    declare (-0.12 em) keeps its box. A quarter-turned glyph hangs across its line, its feet
    right of the baseline when its top points left (a turned title on a page printed sideways)."""

    def char(descent: float, matrix=(15, 0, 0, 15, 100, 550)):
        y0 = matrix[5] + descent * 15
        return SimpleNamespace(x0=100, x1=115, y0=y0, height=15, size=15, matrix=matrix, bbox=(100, y0, 115, y0 + 15))

    assert hung_box(char(0.85)) == (100, 550 - 0.12 * 15, 115, 550 - 0.12 * 15 + 15)
    assert hung_box(char(-0.12)) == char(-0.12).bbox
    turned = char(0.85, matrix=(0, 15, -15, 0, 100, 550))  # boxed wholly left of its baseline
    assert hung_box(turned) == (100 + 0.12 * 15 - 15, turned.y0, 100 + 0.12 * 15, turned.y0 + 15)
