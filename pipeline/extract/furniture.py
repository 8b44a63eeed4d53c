"""Page furniture: footers, footnotes and page labels printed near tables but not table data."""

from __future__ import annotations

import re

from pipeline.clean.text import squash
from pipeline.extract.geometry import Line
from pipeline.extract.tolerances import TOL

_FURNITURE = re.compile(
    "|".join(
        [
            r"^註(?![冊銷記])",  # a footnote, not a line that begins 註冊 (registration), 註銷, 註記
            r"^※",
            r"策略地圖與平衡計分卡",
            r"第\d+頁",
            r"^【.*】$",
            r"^資料來源",
            r"^(?i:Page|P\.)\d+",
        ]
    )
)


# What any furniture text contains, unanchored: text without it holds no furniture run.
_FURNITURE_MARK = re.compile(r"註|※|策略地圖與平衡計分卡|第\d+頁|【|資料來源|(?i:page|p\.)\d")

_PAGE_NUMBER = re.compile(r"^(?:[-–—－]*\d{1,3}[-–—－]*|\d+/\d+)$")


def is_furniture(text: str) -> bool:
    """Footers, footnotes, page labels: text near a table that is not table data."""
    squashed = squash(text)
    return _FURNITURE.search(squashed) is not None


def may_hold_furniture(line: Line, page_height: float) -> bool:
    """False when no run of `line` can be furniture: it lies outside the page margins (where page
    numbers are) and names nothing a footer or footnote does. Most table lines are such."""
    return _in_margin(line, page_height) or _FURNITURE_MARK.search(squash(line.text)) is not None


def _in_margin(line: Line, page_height: float) -> bool:
    return line.top > TOL.margin_bottom_share * page_height or line.bottom < TOL.margin_top_share * page_height


def is_page_number(line: Line, page_height: float) -> bool:
    """A bare number is a page number only in the page margins; inside a table it is a value."""
    return _in_margin(line, page_height) and _PAGE_NUMBER.match(squash(line.text)) is not None
