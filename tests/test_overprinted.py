"""Overprinted cells: different glyphs printed over each other, found without comparing every
pair of a page's glyphs."""

from __future__ import annotations

import random
from itertools import combinations

import pytest
from glyphs import glyph, word

from pipeline.extract.table import overprinted
from pipeline.extract.tolerances import TOL


def _overlap_share(a, b) -> float:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    smaller = min((a.x1 - a.x0) * (a.bottom - a.top), (b.x1 - b.x0) * (b.bottom - b.top))
    return width * height / smaller if width > 0 and height > 0 else 0.0


def _every_pair(glyphs) -> list[str]:
    """The definition, pair by pair: each overprinted pair's texts, the left glyph's first."""
    upright = sorted((g for g in glyphs if not g.rotated and not g.text.isspace()), key=lambda g: g.x0)
    return sorted(
        a.text + b.text
        for a, b in combinations(upright, 2)
        if a.text != b.text and _overlap_share(a, b) > TOL.overprint_share
    )


def test_a_letter_printed_over_another_is_found():
    cell = [*word("要求", 0, 0), glyph("C", 10.5, 1), *word("AC1.1", 0, 40)]
    assert overprinted(cell) == ("求C",)


def test_fake_bold_and_touching_letters_are_not_overprints():
    cell = [*word("提升", 0, 0), glyph("升", 10.4, 0.3), *word("88%", 0, 20, advance=0.95)]
    assert overprinted(cell) == ()


def test_turned_labels_may_pile_up():
    assert overprinted([glyph("顧", 0, 0, rotated=True), glyph("客", 1, 1, rotated=True)]) == ()


@pytest.mark.parametrize("seed", range(15))
def test_the_grid_finds_every_pair_the_definition_does(seed):
    """Glyphs of mixed sizes scattered densely, across bin edges, as pairs compared one by one."""
    rng = random.Random(seed)
    glyphs = [
        glyph(rng.choice("民長AB12"), rng.uniform(0, 120), rng.uniform(0, 60), size=rng.choice((6, 10, 14)))
        for _ in range(80)
    ]
    found = overprinted(glyphs)
    assert sorted(found) == _every_pair(glyphs), "each pair once, none missed"
    assert found, "a page this dense has overprints"
