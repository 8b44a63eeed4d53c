"""Glyph boxes of a font whose width table is broken, made as wide as the glyphs are set apart.

pdfminer takes a glyph's box width from its font's width table (/W). A tool that re-writes a PDF
may write that table wrong while it sets each glyph at its own place (pdftocairo re-printing
ConTeXt and calibre documents writes zeros and negative widths), so the page shows as it should
and every ideograph's box is a line with no width: no two letters of a word touch, and no label
or name is read as one. A font most of whose ideographs have next to no width is such a font;
each of its glyphs is given the width it is set at: up to the next glyph drawn on its line, an
em at most for an ideograph and half an em for anything else.
"""

from __future__ import annotations

from collections import Counter

from pipeline.clean.text import is_ideograph
from pipeline.extract.tolerances import TOL


def repaired_right_edges(chars: list[dict]) -> dict[int, float]:
    """The right edge of each upright char of a font with a broken width table, by id of the
    char (pdfplumber's, in drawing order); empty for most pages, whose fonts are whole."""
    broken = _broken_fonts(chars)
    if not broken:
        return {}
    edges: dict[int, float] = {}
    for i, ch in enumerate(chars):
        if ch["fontname"] not in broken or not ch.get("upright", True):
            continue
        size = ch["size"] or 1.0
        right = ch["x0"] + (size if is_ideograph(ch["text"]) else size / 2)
        nxt = chars[i + 1] if i + 1 < len(chars) else None
        if nxt is not None and abs(nxt["top"] - ch["top"]) <= TOL.box_slack_pt and ch["x0"] < nxt["x0"] < right:
            right = nxt["x0"]
        edges[id(ch)] = right
    return edges


def _broken_fonts(chars: list[dict]) -> set[str]:
    """Fonts most of whose ideographs are boxed less than a tenth of an em wide. Narrow ones are
    counted first: most pages have none, and their fonts' ideographs need no count then."""
    narrow = Counter(
        ch["fontname"]
        for ch in chars
        if ch["x1"] - ch["x0"] < TOL.broken_width_em * (ch["size"] or 1.0) and is_ideograph(ch["text"])
    )
    if not narrow:
        return set()
    ideographs = Counter(ch["fontname"] for ch in chars if ch["fontname"] in narrow and is_ideograph(ch["text"]))
    return {font for font, count in narrow.items() if 2 * count > ideographs[font]}
