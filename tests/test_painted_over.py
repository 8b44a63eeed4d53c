"""Text a fill painted after it covers in part stands where the part left showing stands."""

from __future__ import annotations

import pdfplumber
import pytest
from deckmaker import registered_font

from pipeline.extract.clipping import keep_visible_text
from pipeline.extract.geometry import Glyph, PageGeometry, page_geometry
from pipeline.extract.rules import Rules
from pipeline.extract.sideways import read_upright

TEXT = "計畫要點"


def _overflowing_cell(path, alpha: float = 1.0, turned: bool = False, blend: str = "Normal") -> None:
    """A plan's last line (10 pt, baseline at 100 pt from the foot) drawn, then the next row's
    white fill from 104 pt down, painted over all but the line's top; a line drawn after the
    fill stays whole. `turned`: the same drawn a quarter turn on a portrait sheet."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(400, 300))
    if turned:
        c.translate(400, 0)
        c.rotate(90)
    c.setFont(registered_font(frozenset(TEXT + "註")), 10)
    c.drawString(40, 140, TEXT)  # the plan's lines above, whole
    c.drawString(40, 100, TEXT)
    c.setFillColorRGB(1, 1, 1, alpha=alpha)
    c.setBlendMode(blend)
    c.rect(30, 20, 200, 84, stroke=0, fill=1)  # the next row's fill, its top 104 pt up
    c.setBlendMode("Normal")
    c.setFillColorRGB(0, 0, 0, alpha=1)
    c.drawString(40, 60, "註")  # the next row's own text, drawn over its fill
    c.save()


def _last_line(glyphs: list[Glyph]) -> list[Glyph]:
    """The glyphs of the plan's last line: its text's lower copy."""
    line = [g for g in glyphs if g.text in TEXT]
    lowest = max(g.top for g in line)
    return [g for g in line if g.top > lowest - 5]


def _glyphs(path) -> list[Glyph]:
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        keep_visible_text(page)
        geometry, _ = read_upright(page_geometry(page))
        return geometry.showing_covered().glyphs


def test_a_line_whose_foot_a_later_fill_covers_stands_where_its_top_shows(tmp_path):
    _overflowing_cell(tmp_path / "deck.pdf")
    glyphs = _glyphs(tmp_path / "deck.pdf")
    line = _last_line(glyphs)
    fill_top = 300 - 104
    assert len(line) == 4 and all(g.cy < fill_top <= g.bottom + 0.01 for g in line)
    assert all(g.size == 10 for g in line), "its type size kept"
    (note,) = [g for g in glyphs if g.text == "註"]
    assert note.bottom - note.top > 9, "text drawn over the fill is whole"


@pytest.mark.parametrize(("alpha", "blend"), [(0.5, "Normal"), (1.0, "Multiply")])
def test_a_see_through_fill_hides_nothing(tmp_path, alpha, blend):
    _overflowing_cell(tmp_path / "deck.pdf", alpha=alpha, blend=blend)
    line = _last_line(_glyphs(tmp_path / "deck.pdf"))
    assert len(line) == 4 and all(g.bottom - g.top > 9 for g in line)


def test_a_sideways_page_turns_what_shows_with_it(tmp_path):
    """Printed turned on a portrait sheet and read in the frame that turns it back, the line
    shows its top above the fill, its type size that of the upright line."""
    _overflowing_cell(tmp_path / "deck.pdf", turned=True)
    glyphs = _glyphs(tmp_path / "deck.pdf")
    line = _last_line(glyphs)
    (note,) = [g for g in glyphs if g.text == "註"]
    assert len(line) == 4 and all(g.bottom < note.top - 20 for g in line)
    assert all(abs(g.size - 10) < 0.01 and g.bottom - g.top < 7 for g in line)


def test_a_fill_over_a_glyph_s_middle_or_all_of_it_leaves_it_whole(tmp_path):
    """A band painted through a line's middle (a strike-out, a highlight) or a box over all of
    it (a label pasted over) leaves it as drawn: only a side covered from one edge moves it."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(tmp_path / "deck.pdf"), pagesize=(400, 300))
    c.setFont(registered_font(frozenset(TEXT)), 10)
    c.drawString(40, 100, TEXT)
    c.drawString(40, 60, TEXT)
    c.setFillColorRGB(1, 1, 1)
    c.rect(30, 104, 200, 2, stroke=0, fill=1)  # through the upper line's middle (its box 100..110)
    c.rect(30, 55, 200, 20, stroke=0, fill=1)  # over all of the lower line
    c.save()
    glyphs = _glyphs(tmp_path / "deck.pdf")
    assert len(glyphs) == 8 and all(g.bottom - g.top > 9 for g in glyphs)


def test_showing_covered_cuts_a_glyph_to_its_fractions_and_keeps_its_size():
    whole = Glyph("計", 0, 10, 0, 10, 10, False, seq=0)
    page = PageGeometry([whole], Rules([], []), 100, 100, {0: (0.0, 1.0, 0.0, 0.4)})
    (shown,) = page.showing_covered().glyphs
    assert (shown.top, shown.bottom, shown.size) == (0, 4, 10)
    assert PageGeometry([whole], Rules([], []), 100, 100).showing_covered().glyphs == [whole]


def test_glyphs_a_fill_covers_between_shown_ones_of_their_run_keep_their_line():
    """LibreOffice printing through PostScript draws a plan's overflowing line glyph set by glyph
    set, and the next cell's fill lands between two batches: over '終身學' only, its top sliver
    showing. Drawn in one run with '員' and '習' that show whole, they stay on that line; a line
    covered whole is cut to what shows."""
    line = [Glyph(ch, 10 * i, 10 * (i + 1), 100, 110, 10, False, seq=i) for i, ch in enumerate("員終身學習")]
    sliver = (0.0, 1.0, 0.0, 0.16)
    page = PageGeometry(line, Rules([], []), 100, 200, {1: sliver, 2: sliver, 3: sliver})
    assert page.showing_covered().glyphs == line
    page = PageGeometry(line, Rules([], []), 100, 200, dict.fromkeys(range(5), sliver))
    assert {g.bottom for g in page.showing_covered().glyphs} == {101.6}
