"""A line a page break cuts through, drawn on both pages clipped to each one's content area: read once."""

from __future__ import annotations

import pdfplumber
import pytest
from deckmaker import registered_font

from pipeline.extract.clipping import keep_visible_text


def _break_through_a_line(path, next_page_shows: str, rotate: int = 0) -> None:
    """Two pages clipped to their content area (y 25 to 280), the text continued from one to the
    next 255 pt up. Page 1 shows '研習課程完訓' and the top of '率', a line its foot cuts through;
    page 2 draws '率' again and `next_page_shows` how: 'rest' (the line 255 pt up, its bottom
    part showing atop the page) or 'whole' (pushed down to start the page: a line moved whole).
    Both pages are shown turned by `rotate` (their /Rotate), their MediaBox 400 x 300."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(300, 400) if rotate % 180 else (400, 300))
    c.setFont(registered_font(frozenset("研習課程完訓率策略主題")), 10)
    for page, lines in enumerate(
        [
            [(200, "研習課程完訓"), (19, "率")],
            [(19 + 255 if next_page_shows == "rest" else 268, "率"), (200, "策略主題")],
        ]
    ):
        if page:
            c.showPage()
            c.setFont(registered_font(frozenset("研習課程完訓率策略主題")), 10)
        c.setPageRotation(rotate)
        c.saveState()
        clip = c.beginPath()
        clip.rect(20, 25, 360, 255)
        c.clipPath(clip, stroke=0, fill=0)
        for y, text in lines:
            c.drawString(40, y, text)
        c.restoreState()
    c.save()


def _pages_text(path) -> list[str]:
    with pdfplumber.open(path) as doc:
        first, second = doc.pages
        keep_visible_text(first, None, second)
        keep_visible_text(second, first, None)
        return ["".join(ch["text"] for ch in page.chars) for page in (first, second)]


def test_a_line_a_page_break_cuts_through_is_read_on_the_page_it_begins_on(tmp_path):
    """WebKitGTK breaks a row inside its last line and draws the line on both pages, clipped to
    each page's content area: less than half of '率' shows at page 3's foot, the rest atop page
    4, above the next theme's title. It ends page 3's KPI name; page 4 holds none of it."""
    path = tmp_path / "cut.pdf"
    _break_through_a_line(path, "rest")
    with pdfplumber.open(path) as doc:  # the fixture cuts as meant: each page draws '率' across its edge
        tops = [[round(ch["top"]) for ch in page.chars if ch["text"] == "率"] for page in doc.pages]
        assert tops[0][0] < 300 - 25 < tops[0][0] + 10 and tops[1][0] < 300 - 280 < tops[1][0] + 10
    assert _pages_text(path) == ["研習課程完訓率", "策略主題"]


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_a_line_a_page_break_cuts_through_is_read_once_on_pages_turned_by_their_rotate(tmp_path, rotate):
    """qpdf --rotate re-prints the WebKitGTK deck turned: the pages' top and foot lie to their
    sides, or swap, and the cut through '率' is looked for where its text's foot faces."""
    path = tmp_path / "cut.pdf"
    _break_through_a_line(path, "rest", rotate)
    with pdfplumber.open(path) as doc:
        assert [page.rotation for page in doc.pages] == [rotate, rotate]
    assert _pages_text(path) == ["研習課程完訓率", "策略主題"]


def test_a_line_moved_whole_to_the_next_page_is_read_there_only(tmp_path):
    path = tmp_path / "moved.pdf"
    _break_through_a_line(path, "whole")
    assert _pages_text(path) == ["研習課程完訓", "率策略主題"]


def _line_cut_with_its_dot_lost(path, dot_at_the_foot: bool) -> None:
    """Page 1 shows '研習課程' and, cut by its content area's foot (y 25), the upper two thirds of
    '7.5研習'; page 2 draws the line again 255 pt up, its lower third showing atop the page, then
    '策略主題'. cairo draws no glyph its clip hides all the ink of: the '.' under the cut at page
    1's foot is not drawn there (`dot_at_the_foot` False), only on page 2."""
    from reportlab.pdfgen import canvas

    letters = frozenset("7.5研習課程策略主題")
    c = canvas.Canvas(str(path), pagesize=(400, 300))
    font = registered_font(letters)
    for page in (1, 2):
        if page == 2:
            c.showPage()
        c.setFont(font, 10)
        c.saveState()
        clip = c.beginPath()
        clip.rect(20, 25, 360, 255)
        c.clipPath(clip, stroke=0, fill=0)
        if page == 1:
            c.drawString(40, 200, "研習課程")
            c.drawString(40, 23, "7")
            if dot_at_the_foot:
                c.drawString(40 + c.stringWidth("7", font, 10), 23, ".")
            c.drawString(40 + c.stringWidth("7.", font, 10), 23, "5研習")
        else:
            c.drawString(40, 23 + 255, "7.5研習")
            c.drawString(40, 200, "策略主題")
        c.restoreState()
    c.save()


def test_a_line_cut_at_a_page_s_foot_that_lost_letters_there_is_read_on_the_next_page(tmp_path):
    """WebKitGTK breaks a row inside its first line: the line's upper part at page 3's foot lost
    its '.' (cairo drew no glyph there), so 'CC2.1' and '7.5' read 'CC21' and '75'. The next
    page draws the line whole atop it: it is read there. A line whose foot part lacks nothing is
    read where it begins."""
    lost = tmp_path / "lost.pdf"
    _line_cut_with_its_dot_lost(lost, dot_at_the_foot=False)
    assert _pages_text(lost) == ["研習課程", "7.5研習策略主題"]
    whole = tmp_path / "whole.pdf"
    _line_cut_with_its_dot_lost(whole, dot_at_the_foot=True)
    assert _pages_text(whole) == ["研習課程7.5研習", "策略主題"]
