"""Where a page's CropBox lies in the frame pdfplumber sets its characters in.

pdfplumber (0.11.10) lays a page out in its MediaBox: pdfminer turns the page by its /Rotate
(the matrix below, pdfminer's own) and pdfplumber sets each point at (x + the MediaBox's left,
height - y + its top), the MediaBox's corners swapped for a quarter-turned page. It gives the
CropBox by swapping its corners too, which for a page turned 180 or 270 degrees puts it on the
wrong side of a page cropped more on one side than the other. The box is worked out here as the
characters are placed.
"""

from __future__ import annotations

from pdfminer.utils import apply_matrix_pt
from pdfplumber.page import Page

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom, pdfplumber's order (not geometry.Box's)


def crop_box(page: Page) -> BBox:
    """The page's CropBox (x0, top, x1, bottom) in the frame of pdfplumber's characters."""
    x0, y0, x1, y1 = _normalized(page.page_obj.mediabox)
    crop = _normalized(page.page_obj.cropbox)
    matrix = {
        90: (0, -1, 1, 0, -y0, x1),
        180: (-1, 0, 0, -1, x1, y1),
        270: (0, 1, -1, 0, y1, -x0),
    }.get(page.rotation, (1, 0, 0, 1, -x0, -y0))
    left, top = float(page.mediabox[0]), float(page.mediabox[1])
    corners = [apply_matrix_pt(matrix, (x, y)) for x in (crop[0], crop[2]) for y in (crop[1], crop[3])]
    xs = [x + left for x, _ in corners]
    tops = [float(page.height) - y + top for _, y in corners]
    return min(xs), min(tops), max(xs), max(tops)


def _normalized(box: object) -> BBox:
    x0, y0, x1, y1 = (float(v) for v in box)  # type: ignore[union-attr]
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
