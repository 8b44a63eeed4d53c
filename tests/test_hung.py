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
        return SimpleNamespace(
            x0=100, x1=115, y0=y0, height=15, size=15, adv=15, matrix=matrix, bbox=(100, y0, 115, y0 + 15)
        )

    assert hung_box(char(0.85)) == (100, 550 - 0.12 * 15, 115, 550 - 0.12 * 15 + 15)
    assert hung_box(char(-0.12)) == char(-0.12).bbox
    turned = char(0.85, matrix=(0, 15, -15, 0, 100, 550))  # boxed wholly left of its baseline
    assert hung_box(turned) == (100 + 0.12 * 15 - 15, turned.y0, 100 + 0.12 * 15, turned.y0 + 15)


def test_a_glyph_set_in_vertical_writing_keeps_its_box():
    """uplatex sets a stacked 構面 label in vertical writing: the glyph hangs from its origin at
    its top (0.88 em below it, 0.12 em above), and pdfminer's box, from the font's vertical
    metrics, is right. Hung from a baseline, '顧' stood 5.6 pt higher, over the header's '構'."""
    size, origin = 7.37, 483.2
    y0 = origin - 0.88 * size
    vertical = SimpleNamespace(
        x0=52.9,
        x1=52.9 + size,
        size=size,
        adv=-size,
        matrix=(1, 0, 0, 1, 52.9, origin),
        bbox=(52.9, y0, 60.3, y0 + size),
    )
    assert hung_box(vertical) == vertical.bbox
    horizontal = SimpleNamespace(**{**vars(vertical), "adv": size})  # the same box set on a baseline is hung
    assert hung_box(horizontal) != horizontal.bbox
    broken = SimpleNamespace(**{**vars(vertical), "adv": -0.05})  # cairo re-printing broken widths: still hung
    assert hung_box(broken) != broken.bbox
