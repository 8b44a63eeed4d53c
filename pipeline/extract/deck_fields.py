"""Deck-level fields printed outside the KPI tables: the organisation and the strategy-map date."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from pipeline.clean.text import squash
from pipeline.extract.furniture import OFFICE_SUFFIX, is_furniture
from pipeline.extract.geometry import Glyph, Line, split_runs
from pipeline.extract.labels import DECK_WORDS, MAP_WORDS, THEME_WORDS

_ORG = re.compile(rf"^(.{{2,40}}?{OFFICE_SUFFIX})$")
_DATE = re.compile(
    r"(?<!\d)(\d{2,3})\s*[.．/-]\s*(\d{1,2})\s*[.．/-]\s*(\d{1,2})(?!\d)"
    r"|(?<!\d)(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
_MAP_TITLE = re.compile(rf"^(.{{2,40}}?){MAP_WORDS}(.*)$")
_YEAR_LABEL = re.compile(r"\d{2,3}年度?$")


def find_org(title_lines: list[Line]) -> str | None:
    """The organisation named on the title slide: its largest line that reads like an office,
    without the deck's title beside it, whole or cut by a wrap ('…考核處策略地圖與平衡計' / '分卡').
    Not a label and its value ('地理位置：位於臺中市東北部', a profile slide's line printed on the
    same sheet as the cover)."""
    for line in sorted(title_lines, key=lambda ln: -ln.size):
        text = _YEAR_LABEL.sub("", _without_title_start(squash(line.text).replace(DECK_WORDS, "")))
        if not text or text.startswith("【") or is_furniture(text) or "：" in text or ":" in text:
            continue
        if _ORG.match(text):
            return text
    return None


def _without_title_start(text: str) -> str:
    """`text` without the start of the deck's title ending it, four letters or more of it."""
    for cut in range(len(DECK_WORDS) - 1, 3, -1):
        if text.endswith(DECK_WORDS[:cut]):
            return text[:-cut]
    return text


def org_from_map_title(lines: list[Line]) -> str | None:
    """Fallback for a deck whose title slide names no office (a blank or pictured cover): the
    strategy-map slide's title, 'XX區公所策略地圖', alone on its line or level with the map's date
    (a beamer frame title with the date at its right)."""
    for line in lines:
        match = _MAP_TITLE.match(squash(line.text))
        if match and _ORG.match(match.group(1)) and (not match.group(2) or _DATE.fullmatch(match.group(2))):
            return match.group(1)
    return None


def find_map_date(lines: list[Line]) -> date | None:
    """The ROC date printed on a strategy-map slide ('110.02.26' → 2021-02-26). A date cut short
    is not read (see cut_map_date)."""
    for match in _date_matches(lines):
        if _cut_short(match):
            continue
        year, month, day = (int(g) for g in match.groups() if g is not None)
        try:
            return date(year + 1911, month, day)
        except ValueError:
            continue
    return None


def cut_map_date(lines: list[Line]) -> str | None:
    """The first date among `lines` that looks cut short, as printed: its month written with a
    leading zero, its day with one digit ('111.02.2'). A box too small for the date (a slide
    drawn by html2canvas) drops its last digit, and the PDF holds no more than what is left."""
    return next((match.group(0) for match in _date_matches(lines) if _cut_short(match)), None)


def _date_matches(lines: list[Line]) -> Iterator[re.Match[str]]:
    """Each line's first date, read from its whole text and from its text in each type size (see
    _sizes)."""
    for line in lines:
        for text in (line.text, *(part.text for part in _sizes(line))):
            if match := _DATE.search(text):
                yield match


def _cut_short(match: re.Match[str]) -> bool:
    month, day = match.group(2), match.group(3)
    return month is not None and len(month) == 2 and month.startswith("0") and len(day) == 1


def _sizes(line: Line) -> list[Line]:
    """A line's glyphs in each type size, when it holds several: a watermark set over the map's
    title line in large type ('For Evaluation Purposes Only', Nutrient's trial) interleaves its
    letters with the title's and the date's ('11O3.02n.0l9y')."""
    by_size: dict[float, list[Glyph]] = {}
    for g in line.glyphs:
        by_size.setdefault(round(g.size, 1), []).append(g)
    return [Line(tuple(glyphs)) for glyphs in by_size.values()] if len(by_size) > 1 else []


def date_beside_the_map(lines: list[Line]) -> date | None:
    """The date of a strategy map whose own page has none, printed on the page after it: a
    spreadsheet whose map sheet is wider than the paper prints its last columns, the date among
    them, on a page of their own. A page that starts a theme is past the map."""
    if any(THEME_WORDS in squash(ln.text) for ln in lines):
        return None
    return find_map_date(lines)


def is_strategy_map(lines: list[Line]) -> bool:
    return any(_names_map(lines, i) for i in range(len(lines)))


def _names_map(lines: list[Line], i: int) -> bool:
    """True when line `i` names the strategy map: on its own, wrapped onto the next line in a
    title box too narrow for it ('…處策略' / '地圖'), or cut off by that box one letter short,
    the rest clipped away ('…處策略地', the map's date beside it: Calligra Sheets). Not the
    deck's title, wrapped or not ('…策略地圖與平衡' / '計分卡'). Read in each type size too (see
    _sizes)."""
    if MAP_WORDS[0] not in squash(lines[i].text):  # nor in any of its sizes: most lines are told here
        return False
    below = squash(lines[i + 1].text) if i + 1 < len(lines) else ""
    return any(_names_map_in(line, below) for line in (lines[i], *_sizes(lines[i])))


def _names_map_in(line: Line, below: str) -> bool:
    text = squash(line.text)
    if MAP_WORDS[0] not in text:
        return False
    if MAP_WORDS in text:
        return DECK_WORDS not in text + below
    return any(
        MAP_WORDS[:-1] in (title := squash(run.text) + below) and DECK_WORDS not in title for run in split_runs(line)
    )


def map_slide_lines(lines: list[Line]) -> list[Line]:
    """The lines of a strategy-map slide printed on a page that also holds a table (slides printed
    several to a page): from the map's title, and what stands level with it (its date, set a
    little higher in smaller type), to the next theme title."""
    start = next((i for i in range(len(lines)) if _names_map(lines, i)), len(lines))
    while 0 < start < len(lines) and lines[start - 1].bottom > lines[start].top:
        start -= 1
    end = next((i for i in range(start + 1, len(lines)) if THEME_WORDS in squash(lines[i].text)), len(lines))
    return lines[start:end]
