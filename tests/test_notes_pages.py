"""Notes pages (a slide framed small above its speaker's notes): the slide is read alone, and a
notes page that prints slides read before adds nothing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen import canvas
from truth import CORPUS

from pipeline.clean.values import parse_value
from pipeline.extract.geometry import group_lines, page_geometry
from pipeline.extract.notes_pages import SLIDE_WIDTH_PT, slide_frame, without_reprints
from pipeline.extract.sideways import read_upright
from pipeline.model import ActionPlan, Kpi, ValueKind, YearValue

REALTOOLS = CORPUS / "realtools"


def _notes_page(
    path: Path, *, title_above: bool = False, rule_below: bool = False, size=letter, sideways: bool = False
) -> Path:
    """A page drawn as a notes page is: a stroked slide-shaped frame in the upper part holding a
    small table, notes in larger type under it, a page number at the foot; `sideways`, turned a
    quarter onto a landscape sheet (a printer turning portrait pages to fit its paper)."""
    width, height = size
    c = canvas.Canvas(str(path), pagesize=(height, width) if sideways else size)
    if sideways:
        c.translate(height, 0)
        c.rotate(90)
    c.rect(90, height - 324, 360, 270, stroke=1, fill=0)  # top 54, bottom 324 in top-down terms
    c.setFont("Helvetica", 5)
    for n, y in enumerate((height - 100, height - 110, height - 120)):
        c.drawString(100, y, f"AC1.{n + 1} KPI name 95% 97%")
        c.line(95, y - 3, 445, y - 3)
    c.setFont("Helvetica", 18)
    c.drawString(60, height - 380, "Notes: AC1.1 reached 95% this year.")
    c.setFont("Helvetica", 10)
    c.drawString(500, 30, "6")
    if title_above:
        c.setFont("Helvetica", 14)
        c.drawString(90, height - 40, "Theme A")
    if rule_below:
        c.line(60, height - 400, 480, height - 400)
    c.save()
    return path


def test_a_slide_framed_above_its_notes_is_found(tmp_path):
    with pdfplumber.open(_notes_page(tmp_path / "notes.pdf")) as pdf:
        frame = slide_frame(page_geometry(pdf.pages[0]))
    assert frame is not None and (frame.x0, frame.top, frame.x1, frame.bottom) == pytest.approx((90, 54, 450, 324))
    assert frame.scale == pytest.approx(SLIDE_WIDTH_PT / 360)


@pytest.mark.parametrize(
    "drawn",
    [{"title_above": True}, {"rule_below": True}, {"size": landscape(letter)}],
    ids=["text above the frame", "a rule outside the frame", "a landscape page"],
)
def test_a_framed_table_on_another_page_is_no_notes_page(tmp_path, drawn):
    """A title over a framed table, a rule drawn outside the frame, or a landscape page: a page of
    the deck itself, read whole."""
    with pdfplumber.open(_notes_page(tmp_path / "page.pdf", **drawn)) as pdf:
        assert slide_frame(page_geometry(pdf.pages[0])) is None


def test_a_notes_page_printed_sideways_is_found_once_turned_upright(tmp_path):
    """The frame is looked for in the page as read upright: printed sideways it is taller than
    wide at one side of a landscape sheet, and read so, the notes were taken for the table's."""
    with pdfplumber.open(_notes_page(tmp_path / "notes.pdf", sideways=True)) as pdf:
        printed = page_geometry(pdf.pages[0])
    upright, turn = read_upright(printed)
    frame = slide_frame(upright)
    assert slide_frame(printed) is None and turn in (90, 270)
    assert frame is not None and (frame.x0, frame.top, frame.x1, frame.bottom) == pytest.approx((90, 54, 450, 324))


def test_the_framed_slide_is_read_without_the_notes_and_at_a_slide_s_size():
    """f247 (Impress notes pages): page 6 frames theme A's slide above a notes sentence that
    names the theme in larger type. Read out of the frame, the title leads and the notes are gone."""
    with pdfplumber.open(REALTOOLS / "f247-notes-theme-7a7367a.pdf") as pdf:
        page = pdf.pages[5]
        frame = slide_frame(page_geometry(page))
        assert frame is not None
        slide = frame.slide(page_geometry(page))
    lines = [line.text for line in group_lines(slide.glyphs)]
    assert lines[0].startswith("策略主題") and not any("本頁說明" in text for text in lines)
    assert slide.width == pytest.approx(SLIDE_WIDTH_PT)
    assert all(
        g.x0 >= 0 and g.x1 <= slide.width + 1 and g.top >= 0 and g.bottom <= slide.height + 1 for g in slide.glyphs
    )


def test_the_slides_before_the_notes_pages_are_read_as_pages():
    """f249 (slides, then their notes pages): the slide pages are landscape, no notes pages."""
    with pdfplumber.open(REALTOOLS / "f249-notes-twice-7a7367a.pdf") as pdf:
        framed = [n for n, page in enumerate(pdf.pages, start=1) if slide_frame(page_geometry(page))]
        assert framed and min(framed) > len(pdf.pages) // 2
        assert all(pdf.pages[n - 1].height > pdf.pages[n - 1].width for n in framed)


def _kpi(code: str, page: int, actual: float = 95.0, name: str = "民眾滿意度≧1") -> Kpi:
    return Kpi(
        "A",
        "提升服務品質",
        "顧客",
        code[:3],
        "提升滿意度",
        code,
        name,
        page,
        [YearValue(110, ValueKind.ACTUAL, parse_value(f"{actual}%"))],
        [ActionPlan(f"{code}.1", "服務計畫")],
    )


def test_a_notes_page_printing_slides_read_before_adds_nothing():
    kpis = [_kpi("AC1.1", 4), _kpi("AC1.2", 4), _kpi("AC1.1", 12, name="民眾滿意度≧ 1"), _kpi("AC1.2", 12)]
    assert without_reprints(kpis, {12}) == kpis[:2]


def test_a_notes_page_that_differs_from_its_slide_keeps_its_records():
    """One value read otherwise: both copies stay, and the deck's checks see the code twice."""
    kpis = [_kpi("AC1.1", 4), _kpi("AC1.2", 4), _kpi("AC1.1", 12), _kpi("AC1.2", 12, actual=96.0)]
    assert without_reprints(kpis, {12}) == kpis


def test_a_page_of_the_deck_printing_a_slide_twice_keeps_its_records():
    """Only notes pages are copies by design; a deck page printed twice is for the checks."""
    kpis = [_kpi("AC1.1", 4), replace(_kpi("AC1.1", 4), page=5)]
    assert without_reprints(kpis, set()) == kpis
