"""The parser against its floor: pdfplumber opening each file and producing every page's chars.

Any pdfplumber-based parser pays that much; the ratio says what the parser adds on top. Floor and
parse are timed deck by deck, one after the other, so a busy machine slows both alike and the
ratio stays meaningful where absolute times are noisy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from pipeline import parse_pdf, sha256_of


@dataclass
class ParseCost:
    pages: int
    floor_s: float
    parse_s: float

    @property
    def floor_ms_per_page(self) -> float:
        return self.floor_s / self.pages * 1000

    @property
    def parse_ms_per_page(self) -> float:
        return self.parse_s / self.pages * 1000

    @property
    def ratio(self) -> float:
        return self.parse_s / self.floor_s


def floor_of(path: Path) -> tuple[int, float]:
    """(pages, seconds) for pdfplumber to open `path` and produce every page's chars."""
    started = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        pages = 0
        for page in pdf.pages:
            page.chars  # noqa: B018 - producing them is the point
            pages += 1
    return pages, time.perf_counter() - started


def parse_cost(paths: list[Path]) -> ParseCost:
    """Floor and in-process parse of every deck, single process."""
    cost = ParseCost(0, 0.0, 0.0)
    for path in paths:
        pages, floor_s = floor_of(path)
        sha = sha256_of(path)
        started = time.perf_counter()
        parse_pdf(path, path.name, sha)
        cost.parse_s += time.perf_counter() - started
        cost.pages += pages
        cost.floor_s += floor_s
    return cost


def floor_s(paths: list[Path]) -> float:
    """The single-core floor's time for these files."""
    return sum(floor_of(path)[1] for path in paths)
