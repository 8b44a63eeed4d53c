"""Text a clipping path hides: dropped where it lies over text the page shows, kept elsewhere."""

from __future__ import annotations

import pdfplumber
from deckmaker import registered_font

from pipeline.extract.clipping import keep_visible_text
from pipeline.extract.geometry import page_glyphs


def _visible_text(path) -> str:
    """The text of the first page of the PDF at `path`, as keep_visible_text leaves it."""
    with pdfplumber.open(path) as doc:
        page = doc.pages[0]
        keep_visible_text(page)
        return "".join(ch["text"] for ch in page.chars)


def _clipped_deck(path) -> None:
    """A header label '構面' shown; a merged label '學習成長' drawn clipped away, over it and again
    in blank space below; a value drawn inside the clip; '財務' drawn mostly above the clip's top,
    under a shown '備註'."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(400, 300))
    c.setFont(registered_font(frozenset("構面學習成長95%財務備註")), 10)
    c.drawString(40, 250, "構面")
    c.saveState()
    clip = c.beginPath()
    clip.rect(30, 50, 200, 150)  # the table's body, below the header
    c.clipPath(clip, stroke=0, fill=0)
    c.drawString(40, 250, "學習成長")  # over the header's label, outside the clip
    c.drawString(150, 20, "學習成長")  # below the clip, over nothing
    c.drawString(60, 120, "95%")
    c.drawString(200, 198, "財務")  # straddling the clip's top, its middle above it
    c.restoreState()
    c.drawString(200, 198, "備註")  # shown where the clipped 財務 stands
    c.save()


def test_text_clipped_away_over_shown_text_is_dropped_and_kept_over_nothing(tmp_path):
    pdf = tmp_path / "clipped.pdf"
    _clipped_deck(pdf)
    with pdfplumber.open(pdf) as doc:
        assert "".join(c["text"] for c in doc.pages[0].chars).count("學習成長") == 2
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        keep_visible_text(page)
        chars = [(c["text"], round(c["x0"])) for c in page.chars]
    text = "".join(t for t, _ in chars)
    assert text.count("學習成長") == 1 and "構面" in text and "95%" in text
    assert "財" not in text and "備註" in text
    assert [x for t, x in chars if t == "學"] == [150]


def test_a_clipped_line_partly_over_shown_text_goes_whole(tmp_path):
    """Spire.XLS clips a plan line at its cell's foot; the next row's 'AC1.2.1' is shown under the
    line's first letters only. The hidden line goes whole, not as its letters clear of that code."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "cut-line.pdf"
    c = canvas.Canvas(str(path), pagesize=(400, 300))
    c.setFont(registered_font(frozenset("臺北市社區照顧關懷據點實施計畫AC1.2")), 10)
    c.saveState()
    clip = c.beginPath()
    clip.rect(30, 200, 300, 60)  # the row's cell, its foot at 200
    c.clipPath(clip, stroke=0, fill=0)
    c.drawString(40, 191, "臺北市社區照顧關懷據點實施計畫")  # mostly below the foot
    c.restoreState()
    c.drawString(40, 185, "AC1.2.1")  # the next row's first line, under the line's first letters
    c.save()
    assert _visible_text(path) == "AC1.2.1"


def _run_on_deck(path, sideways: bool = False) -> None:
    """A plans line '計畫AF' set on past its cell's border (at 130), 'A' cut by it, 'F' hidden in
    the next cell over the top of the value '4.6'; `sideways`, the page printed a quarter turned
    on portrait paper, its lines running up the page."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(300, 400) if sideways else (400, 300))
    if sideways:
        c.translate(300, 0)
        c.rotate(90)
    font = registered_font(frozenset("計畫AF4.6"))
    c.setFont(font, 10)
    line_x = 132 - c.stringWidth("計畫A", font, 10)  # the 'A' ends 2 pt past the border
    for clip_x, width, x, y, text in ((30, 100, line_x, 215, "計畫AF"), (130, 60, 131, 210, "4.6")):
        c.saveState()
        clip = c.beginPath()
        clip.rect(clip_x, 200, width, 40)  # the cell
        c.clipPath(clip, stroke=0, fill=0)
        c.drawString(x, y, text)
        c.restoreState()
    c.save()


def test_a_line_run_on_past_its_cell_s_side_stays_with_its_cell_s_clip(tmp_path):
    """R's gridExtra clips each cell's text to its cell and sets a plans line wider than the cell
    on past its border: 'AF' ends the line, the 'A' cut by the border, the 'F' hidden in the next
    cell, over the top of the value '4.6' set a little lower there. The hidden 'F' is still its
    line's: it stays. Both carry the box of the clip they were drawn in; the letters inside it
    and the value, which show whole, carry none."""
    path = tmp_path / "run-on.pdf"
    _run_on_deck(path)
    with pdfplumber.open(path) as doc:
        page = doc.pages[0]
        keep_visible_text(page)
        assert "".join(ch["text"] for ch in page.chars) == "計畫AF4.6"
        clips = {g.text: g.clip for g in page_glyphs(page)}
    assert clips.pop("A") == clips.pop("F") == (30, 130, 60, 100)  # x0, x1, top, bottom: the page is 300 high
    assert set(clips.values()) == {None}


def test_a_line_run_on_past_its_cell_s_side_on_a_page_printed_sideways_stays(tmp_path):
    """The same cells printed a quarter turned (a landscape slide on portrait paper): the line
    runs up the page, past the cell's clip at its top, and the hidden 'F' over the value beside
    it is still its line's end (a plan's 'CC1.1.' set on past its border, its '.' over '96.7%')."""
    path = tmp_path / "run-on-sideways.pdf"
    _run_on_deck(path, sideways=True)
    with pdfplumber.open(path) as doc:
        page = doc.pages[0]
        keep_visible_text(page)
        assert "".join(ch["text"] for ch in page.chars) == "計畫AF4.6"


def test_a_header_repeated_under_the_page_s_content_clip_is_dropped(tmp_path):
    """Flying Saucer repeats a table's header at each page break and sets the copy that falls
    past the page's content lines below the last row, under the page's clip. Wholly outside
    the clip and far from the text shown, a copy of the header's '目標值' is no one's text; a
    hidden line right under a shown one ('實施計畫', a cell run off the slide) and hidden text
    the page shows nowhere ('學習成長', a merged label's only copy) stay."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "repeated-header.pdf"
    c = canvas.Canvas(str(path), pagesize=(400, 400))
    c.setFont(registered_font(frozenset("目標值實施計畫學習成長95%")), 10)
    c.saveState()
    clip = c.beginPath()
    clip.rect(20, 60, 360, 220)  # a frame on the page, not its content area (see the next test)
    c.clipPath(clip, stroke=0, fill=0)
    c.drawString(200, 260, "目標值")  # the header atop the page, shown
    c.drawString(200, 200, "95%")
    c.drawString(40, 64, "實施計畫")  # a cell's last shown line
    c.drawString(40, 50, "實施計畫")  # its next line, past the clip, right under it
    c.drawString(200, 30, "目標值")  # the header repeated past the clip, far below the rows
    c.drawString(300, 30, "學習成長")  # past the clip, shown nowhere on the page
    c.restoreState()
    c.save()
    with pdfplumber.open(path) as doc:
        page = doc.pages[0]
        keep_visible_text(page)
        chars = [(ch["text"], round(ch["top"])) for ch in page.chars]
    text = "".join(t for t, _ in chars)
    assert text.count("目標值") == 1 and text.count("實施計畫") == 2 and "學習成長" in text
    assert [top < 200 for t, top in chars if t == "目"] == [True]  # the header atop the page


def test_text_hidden_in_the_page_s_margin_past_its_content_area_is_dropped(tmp_path):
    """WebKitGTK draws a row broken by the page's foot on both pages, clipped each time to the
    page's content area: its first line, hidden in the bottom margin, is read on the next page,
    and the row's end hides in the next page's top margin. Neither is this page's text. A line
    run off the page itself (a slide's cell run past its foot) stays: no page prints it."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "margins.pdf"
    c = canvas.Canvas(str(path), pagesize=(400, 300))
    c.setFont(registered_font(frozenset("公文平均處理天數本府防範提高收支比")), 10)
    c.saveState()
    clip = c.beginPath()
    clip.rect(20, 25, 360, 255)  # the content area: the page less its margins
    c.clipPath(clip, stroke=0, fill=0)
    c.drawString(40, 200, "公文平均處理天數")  # shown
    c.drawString(40, 18, "本府防範")  # the next row's first line, its middle under the content area
    c.drawString(40, 283, "提高收支")  # the end of a row begun on the page before, over the content area
    c.drawString(200, -12, "比")  # off the page
    c.restoreState()
    c.save()
    assert _visible_text(path) == "公文平均處理天數比"


def _break_through_a_line(path, next_page_shows: str) -> None:
    """Two pages clipped to their content area (y 25 to 280), the text continued from one to the
    next 255 pt up. Page 1 shows '研習課程完訓' and the top of '率', a line its foot cuts through;
    page 2 draws '率' again and `next_page_shows` how: 'rest' (the line 255 pt up, its bottom
    part showing atop the page) or 'whole' (pushed down to start the page: a line moved whole)."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(400, 300))
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


def test_a_line_moved_whole_to_the_next_page_is_read_there_only(tmp_path):
    path = tmp_path / "moved.pdf"
    _break_through_a_line(path, "whole")
    assert _pages_text(path) == ["研習課程完訓", "率策略主題"]


def test_a_box_hung_by_a_wrong_font_descent_is_hung_from_its_baseline():
    """Re-printed through cairo, a 15 pt title's font declares a descent of +0.85 em: pdfminer's
    box stands 13 pt above the letters, its middle past the top of the page's content clip. For
    what a clip hides, the box hangs from the baseline by the usual descent; a descent fonts do
    declare (-0.12 em) keeps its box. A quarter-turned glyph hangs across its line, its feet
    right of the baseline when its top points left (a turned title on a page printed sideways)."""
    from types import SimpleNamespace

    from pipeline.extract.clipping import hung_box

    def char(descent: float, matrix=(15, 0, 0, 15, 100, 550)):
        y0 = matrix[5] + descent * 15
        return SimpleNamespace(x0=100, x1=115, y0=y0, height=15, size=15, matrix=matrix, bbox=(100, y0, 115, y0 + 15))

    assert hung_box(char(0.85)) == (100, 550 - 0.12 * 15, 115, 550 - 0.12 * 15 + 15)
    assert hung_box(char(-0.12)) == char(-0.12).bbox
    turned = char(0.85, matrix=(0, 15, -15, 0, 100, 550))  # boxed wholly left of its baseline
    assert hung_box(turned) == (100 + 0.12 * 15 - 15, turned.y0, 100 + 0.12 * 15, turned.y0 + 15)


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
