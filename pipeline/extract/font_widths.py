"""Glyph boxes of a font whose width table is broken, made as long as the glyphs are set apart.

pdfminer takes a glyph's box length along its line from its font's width table (/W). A tool that
re-writes a PDF may write that table wrong while it sets each glyph at its own place (pdftocairo
re-printing ConTeXt and calibre documents writes zeros and negative widths), so the page shows as
it should and every ideograph's box is a line with no length: no two letters of a word touch, and
no label or name is read as one. A font most of whose ideographs have next to no length is such a
font; each of its glyphs is given the length it is set at: up to the next glyph drawn on its line,
an em at most for an ideograph and half an em for anything else. A page turned a quarter (by its
/Rotate, or printed sideways) sets its lines up or down the page: there the length is its height.
"""

from __future__ import annotations

from collections import Counter

from pipeline.clean.text import is_ideograph
from pipeline.extract.tolerances import TOL


def repaired_extents(chars: list[dict]) -> dict[int, tuple[float, float]]:
    """The extent along its line of each char of a font with a broken width table, by id of the
    char (pdfplumber's, in drawing order): its left and right for a char set upright, its top and
    bottom for one set a quarter turned. Empty for most pages, whose fonts are whole."""
    broken = _broken_fonts(chars)
    if not broken:
        return {}
    extents: dict[int, tuple[float, float]] = {}
    for i, ch in enumerate(chars):
        if ch["fontname"] in broken:
            em, _ = _em_and_length(ch)
            nxt = chars[i + 1] if i + 1 < len(chars) else None
            extents[id(ch)] = _set_length(ch, em if is_ideograph(ch["text"]) else em / 2, nxt)
    return extents


def _set_length(ch: dict, length: float, nxt: dict | None) -> tuple[float, float]:
    """`ch`'s extent along its line (see repaired_extents): `length` long from where it starts,
    or up to where `nxt` starts when that is drawn on its line within that length. Upright text
    runs left to right, upside down right to left, quarter turned down or up the page."""
    key, sign = _start_of(ch)
    start = sign * ch[key]
    end = start + length
    if nxt is not None and _on_one_line(ch, nxt) and start < sign * nxt[key] < end:
        end = sign * nxt[key]
    return (start, end) if sign > 0 else (-end, -start)


def _start_of(ch: dict) -> tuple[str, int]:
    """Which edge of `ch`'s box its line starts it at, and which way the line runs from it (1:
    the way that coordinate grows)."""
    a, b = ch["matrix"][0], ch["matrix"][1]
    if quarter_turned(ch):
        return ("top", 1) if b < 0 else ("bottom", -1)
    return ("x0", 1) if a >= 0 else ("x1", -1)


def _on_one_line(ch: dict, other: dict) -> bool:
    key = "x0" if quarter_turned(ch) else "top"
    return abs(other[key] - ch[key]) <= TOL.box_slack_pt


def quarter_turned(ch: dict) -> bool:
    """True for a pdfplumber char set a quarter turned: its line runs up or down the page."""
    a, b = ch["matrix"][0], ch["matrix"][1]
    return abs(b) > abs(a)


def _em_and_length(ch: dict) -> tuple[float, float]:
    """A char's em (its type size) and its box's length along its line. pdfminer sizes a
    quarter-turned char by that length; its box across the line is its type size."""
    if quarter_turned(ch):
        return ch["x1"] - ch["x0"], ch["bottom"] - ch["top"]
    return ch["size"] or 1.0, ch["x1"] - ch["x0"]


def _broken_fonts(chars: list[dict]) -> set[str]:
    """Fonts most of whose ideographs are boxed less than a tenth of an em long. Short ones are
    counted first: most pages have none, and their fonts' ideographs need no count then."""
    short = Counter(
        ch["fontname"]
        for ch in chars
        # Most chars are upright and boxed as wide as they are set: told so before anything else.
        if (not ch["upright"] or ch["x1"] - ch["x0"] < TOL.broken_width_em * (ch["size"] or 1.0))
        and is_ideograph(ch["text"])
        and (sizes := _em_and_length(ch))[1] < TOL.broken_width_em * sizes[0]
    )
    if not short:
        return set()
    ideographs = Counter(ch["fontname"] for ch in chars if ch["fontname"] in short and is_ideograph(ch["text"]))
    return {font for font, count in short.items() if 2 * count > ideographs[font]}
