"""Text a clipping path hides: dropped where it lies over text the page shows, kept elsewhere."""

from __future__ import annotations

import pdfplumber
import pytest
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


@pytest.mark.parametrize("rotate", [0, 270])
def test_a_label_stacked_a_letter_a_line_clipped_away_goes_whole(tmp_path, rotate):
    """Aspose.Cells draws a 構面 label merged over rows a page break parts on both pages, stacked
    a letter a line and clipped to each page's part: on the second page '內部流程' stands over
    the repeated header, its '程' on the header's '構'. The label goes whole, not as '部流' left
    standing over the header; a word hidden apart from it, over nothing, stays. So too on a
    page its /Rotate turns, where the stacked letters stand side by side."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "stacked.pdf"
    c = canvas.Canvas(str(path), pagesize=(300, 400) if rotate else (400, 300))  # its MediaBox 400 x 300
    c.setPageRotation(rotate)
    c.setFont(registered_font(frozenset("構面內部流程學習")), 10)
    c.drawString(40, 200, "構")
    c.drawString(40, 188, "面")
    c.saveState()
    clip = c.beginPath()
    clip.rect(30, 50, 200, 120)  # the label's part of its cell, under the header
    c.clipPath(clip, stroke=0, fill=0)
    for i, letter in enumerate("內部流程"):  # a letter a line, its last on the header's '構'
        c.drawString(40, 236 - 12 * i, letter)
    c.drawString(150, 200, "學習")
    c.restoreState()
    c.save()
    assert _visible_text(path) == "構面學習"


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


@pytest.mark.parametrize("rotate", [0, 90])
def test_text_hidden_in_the_page_s_margin_past_its_content_area_is_dropped(tmp_path, rotate):
    """WebKitGTK draws a row broken by the page's foot on both pages, clipped each time to the
    page's content area: its first line, hidden in the bottom margin, is read on the next page,
    and the row's end hides in the next page's top margin. Neither is this page's text. A line
    run off the page itself (a slide's cell run past its foot) stays: no page prints it. So too
    on a page its /Rotate turns a quarter (re-printed so), whose margins lie left and right."""
    from reportlab.pdfgen import canvas

    path = tmp_path / "margins.pdf"
    c = canvas.Canvas(str(path), pagesize=(300, 400) if rotate else (400, 300))  # its MediaBox 400 x 300
    c.setPageRotation(rotate)
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
