"""Sheets printing several pages each (n-up): each page is read as a page of its own, at its size."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipeline.extract.geometry import glyph_text, group_lines
from pipeline.extract.shown_page import PrintedPages, shown_pages

SLIDE = (720.0, 405.0)


def _draw_slide(c: canvas.Canvas, number: int, overflow: bool) -> None:
    """A slide's content in its own points: a title, a ruled line of text, and (`overflow`) a
    line pushed past the slide's foot."""
    width, height = SLIDE
    c.setFont("Helvetica", 24)
    c.drawString(40, height - 60, f"Slide {number} title")
    c.setFont("Helvetica", 12)
    c.drawString(40, height - 120, f"Slide {number} body")
    c.line(30, height - 126, width - 30, height - 126)
    if overflow:
        c.drawString(40, -30, f"Slide {number} runs on")


def _sheet(
    path: Path, places: list[tuple[float, float]], scale: float, overflow: bool = False, rotate: int = 0
) -> Path:
    """An A4 sheet printing len(places) slides, each drawn as a form scaled by `scale` with its
    lower left corner at a place (x, y up), as a print dialog's 'pages per sheet' does; shown
    turned by `rotate` (its /Rotate)."""
    c = canvas.Canvas(str(path), pagesize=(A4[1], A4[0]) if rotate % 180 else A4)  # its MediaBox A4 upright
    c.setPageRotation(rotate)
    for number, (x, y) in enumerate(places, start=1):
        name = f"slide{number}"
        c.beginForm(name, 0, 0, *SLIDE)
        _draw_slide(c, number, overflow and number == 1)
        c.endForm()
        c.saveState()
        c.translate(x, y)
        c.scale(scale, scale)
        c.doForm(name)
        c.restoreState()
    c.showPage()
    c.save()
    return path


def _texts(shown) -> list[str]:
    return [glyph_text(line.glyphs) for line in group_lines(shown.geometry.glyphs)]


def test_a_sheet_of_two_slides_one_above_the_other_is_read_as_two_pages(tmp_path):
    scale = 0.75
    low = 100.0
    places = [(27.0, low + SLIDE[1] * scale + 20), (27.0, low)]
    with pdfplumber.open(_sheet(tmp_path / "nup.pdf", places, scale)) as pdf:
        shown = shown_pages(pdf.pages[0])
    assert len(shown) == 2
    assert [_texts(s) for s in shown] == [["Slide 1 title", "Slide 1 body"], ["Slide 2 title", "Slide 2 body"]]
    for page in shown:  # read at the slide's own size, the sheet's scale undone
        assert (page.geometry.width, page.geometry.height) == pytest.approx(SLIDE, abs=0.5)
        title = page.geometry.glyphs[0]
        assert title.size == pytest.approx(24, abs=0.1)
        assert [round(r.pos) for r in page.geometry.rules.horizontal] == [126]


@pytest.mark.parametrize("rotate", [90, 270])
def test_a_sheet_turned_by_its_rotate_is_read_in_the_order_it_reads_turned_upright(tmp_path, rotate):
    """Two slides one above the other on a sheet whose /Rotate turns it a quarter: shown, they
    stand side by side, the first on the right (turned clockwise) or the left. Read left to
    right, the second slide came first on a sheet turned clockwise; read as the sheet reads
    once turned upright, the first does."""
    scale = 0.75
    places = [(27.0, 100.0 + SLIDE[1] * scale + 20), (27.0, 100.0)]
    with pdfplumber.open(_sheet(tmp_path / "nup.pdf", places, scale, rotate=rotate)) as pdf:
        shown = shown_pages(pdf.pages[0])
    assert [_texts(s) for s in shown] == [["Slide 1 title", "Slide 1 body"], ["Slide 2 title", "Slide 2 body"]]


def test_four_slides_to_a_sheet_are_read_row_by_row(tmp_path):
    scale = 0.4
    w, h = SLIDE[0] * scale, SLIDE[1] * scale
    places = [(10.0, 500.0), (20.0 + w, 500.0), (10.0, 490.0 - h), (20.0 + w, 490.0 - h)]
    with pdfplumber.open(_sheet(tmp_path / "nup4.pdf", places, scale)) as pdf:
        shown = shown_pages(pdf.pages[0])
    assert [_texts(s)[0] for s in shown] == [f"Slide {n} title" for n in (1, 2, 3, 4)]


def test_text_a_slide_pushes_past_its_foot_is_its_own_where_the_next_slide_is_printed(tmp_path):
    """Two slides printed touching: the line the first pushes off its foot lies over the second
    one's frame on the sheet, but the first slide's form drew it."""
    scale = 0.75
    low = 100.0
    places = [(27.0, low + SLIDE[1] * scale), (27.0, low)]
    with pdfplumber.open(_sheet(tmp_path / "touching.pdf", places, scale, overflow=True)) as pdf:
        first, second = shown_pages(pdf.pages[0])
    assert _texts(first) == ["Slide 1 title", "Slide 1 body", "Slide 1 runs on"]
    assert _texts(second) == ["Slide 2 title", "Slide 2 body"]
    runs_on = next(line for line in group_lines(first.geometry.glyphs) if "runs on" in glyph_text(line.glyphs))
    assert runs_on.glyphs[0].top > SLIDE[1]  # below the slide's foot, where it was drawn


def test_a_last_sheet_printing_one_slide_smaller_is_read_at_the_slide_size(tmp_path):
    with pdfplumber.open(_sheet(tmp_path / "last.pdf", [(27.0, 500.0)], 0.75)) as pdf:
        (shown,) = shown_pages(pdf.pages[0])
    assert shown.part is not None
    assert shown.geometry.width == pytest.approx(SLIDE[0], abs=0.5)


def test_a_page_drawn_whole_as_a_form_at_its_own_size_is_read_as_it_is(tmp_path):
    path = tmp_path / "whole.pdf"
    c = canvas.Canvas(str(path), pagesize=SLIDE)
    c.beginForm("page", 0, 0, *SLIDE)
    _draw_slide(c, 1, overflow=False)
    c.endForm()
    c.doForm("page")
    c.showPage()
    c.save()
    with pdfplumber.open(path) as pdf:
        (shown,) = shown_pages(pdf.pages[0])
    assert shown.part is None and (shown.geometry.width, shown.geometry.height) == pytest.approx(SLIDE)


def test_forms_of_different_sizes_on_a_page_are_no_pages_of_a_sheet(tmp_path):
    """A slide drawing its table and a caption as two forms of their own is one page."""
    path = tmp_path / "forms.pdf"
    c = canvas.Canvas(str(path), pagesize=SLIDE)
    c.beginForm("table", 0, 0, 600, 200)
    c.setFont("Helvetica", 12)
    c.drawString(10, 180, "AC1.1 KPI name 95% 97%")
    c.endForm()
    c.beginForm("caption", 0, 0, 300, 40)
    c.drawString(10, 10, "Caption")
    c.endForm()
    c.doForm("table")
    c.saveState()
    c.translate(400, 300)
    c.doForm("caption")
    c.restoreState()
    c.showPage()
    c.save()
    with pdfplumber.open(path) as pdf:
        (shown,) = shown_pages(pdf.pages[0])
    assert shown.part is None and shown.geometry.width == pytest.approx(SLIDE[0])


def test_printed_pages_number_a_sheets_pages_one_by_one(tmp_path):
    scale = 0.75
    places = [(27.0, 424.0), (27.0, 100.0)]
    with pdfplumber.open(_sheet(tmp_path / "nup.pdf", places, scale)) as pdf:
        printed_pages = PrintedPages(pdf.pages)
        printed = list(printed_pages)
        assert [(p.sheet_index, p.index, p.last_on_sheet) for p in printed] == [(0, 0, False), (0, 1, True)]
        assert _texts(printed_pages.after(printed[0])) == ["Slide 2 title", "Slide 2 body"]
        assert printed_pages.after(printed[1]) is None


def test_pages_of_different_sizes_each_fitted_smaller_onto_a_sheet_are_its_pages(tmp_path):
    """A deck whose pages differ in size, printed two to a sheet: each is scaled to fit its place,
    so the forms differ in size; all drawn smaller, they are the sheet's pages."""
    path = tmp_path / "sizes.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for number, (size, scale, y) in enumerate([((720.0, 405.0), 0.75, 480.0), ((600.0, 200.0), 0.6, 200.0)], 1):
        c.beginForm(f"page{number}", 0, 0, *size)
        c.setFont("Helvetica", 20)
        c.drawString(30, size[1] - 50, f"Slide {number} title")
        c.endForm()
        c.saveState()
        c.translate(20, y)
        c.scale(scale, scale)
        c.doForm(f"page{number}")
        c.restoreState()
    c.showPage()
    c.save()
    with pdfplumber.open(path) as pdf:
        shown = shown_pages(pdf.pages[0])
    assert [_texts(s) for s in shown] == [["Slide 1 title"], ["Slide 2 title"]]
    assert [(s.geometry.width, s.geometry.height) for s in shown] == [
        pytest.approx((720.0, 405.0), abs=0.5),
        pytest.approx((600.0, 200.0), abs=0.5),
    ]
