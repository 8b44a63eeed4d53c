"""A page's CropBox placed as pdfplumber places the page's characters, however the page turns."""

from __future__ import annotations

import pdfplumber
import pytest
from reportlab.pdfgen import canvas

from pipeline.extract.crop_box import crop_box

CROP = (20, 30, 500, 700)  # x0, y0, x1, y1 in PDF space: 20 pt off the left, 112 off the right


def _cropped_page(path, rotate: int):
    """A letter page cropped to CROP, a letter drawn 10 pt inside the crop's lower left corner,
    shown turned by `rotate`."""
    c = canvas.Canvas(str(path), pagesize=(612, 792))
    c.setCropBox(CROP)
    c.setPageRotation(rotate)
    c.setFont("Helvetica", 10)
    c.drawString(CROP[0] + 10, CROP[1] + 10, "A")
    c.showPage()
    c.save()
    return path


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_the_crop_box_holds_what_it_holds_in_pdf_space_however_the_page_turns(tmp_path, rotate):
    """The letter lies inside the crop box, near one of its corners, as it does on the page; the
    box is as wide and tall as the crop, turned with the page. pdfplumber's own cropbox, its
    corners swapped, lies elsewhere on a page turned half round."""
    with pdfplumber.open(_cropped_page(tmp_path / "crop.pdf", rotate)) as pdf:
        page = pdf.pages[0]
        x0, top, x1, bottom = crop_box(page)
        (char,) = page.chars
        assert x0 <= char["x0"] and char["x1"] <= x1 and top <= char["top"] and char["bottom"] <= bottom
        corners = [(x, y) for x in (x0, x1) for y in (top, bottom)]
        assert min(abs(char["x0"] - x) + abs(char["top"] - y) for x, y in corners) < 40
        width, height = CROP[2] - CROP[0], CROP[3] - CROP[1]
        assert (x1 - x0, bottom - top) == pytest.approx((height, width) if rotate % 180 else (width, height))
        if rotate == 180:
            assert not page.cropbox[0] <= char["x0"] <= page.cropbox[2]
