"""What printed labels say: a theme title's code and name, a 構面 label's perspective.

A theme title is the text after 策略主題 up to the first boundary: a continuation mark ('--1/2',
'(續)'), a wide gap or a change of type size (a logo caption or the office's short name set on
the same line), after which nothing belongs to the name.
"""

from __future__ import annotations

import re

from pipeline.clean.text import squash
from pipeline.extract.geometry import Glyph, Line, glyph_text
from pipeline.extract.tolerances import TOL

PERSPECTIVES = ("顧客", "內部流程", "學習成長", "財務")
LABEL_LETTERS = frozenset("".join(PERSPECTIVES) + "構面")  # every letter a 構面 label prints
_DASHES = "-－—–‐‑‒−─"
_CONTINUED = rf"[{_DASHES}]+\d+[/／]\d+|[(（]續[)）]|[(（]\d+[/／]\d+[)）]|\d+[/／]\d+$"
_THEME = re.compile(
    r"策略主題[:：]?(?:[(（](?P<paren>[A-Za-z0-9]{1,3})[)）]|(?P<bare>[A-Z])(?=[:：、.]|[^\x00-\x7f]|$))?[:：、.]?"
    rf"(?P<name>.*?)(?:{_CONTINUED}|$)"
)


THEME_WORDS = "策略主題"  # what every theme's title begins with
MAP_WORDS = "策略地圖"  # what a strategy map's title ends with ('臺北市北投區公所策略地圖')
DECK_WORDS = "策略地圖與平衡計分卡"  # ... and the deck's title (a cover's, a running footer's)

# A PDF tool's notice of an unlicensed or trial copy ('Powered by ActiveReportsJS Evaluation
# Version', 'Evaluation Warning: ...', 'Created with a trial version'), printed over the page where
# a table's cell can take it in, whole or cut at a column's edge ('Evaluati'): no office writes
# these words into a name.
TOOL_NOTICE = re.compile(
    r"(?i:evaluat|trial\s*(?:version|mode|copy)|licen[cs]ed|unregistered|powered\s+by|for\s+distribution"
    r"|created\s+(?:with|by)|generated\s+(?:with|by))"
)


def _title_glyphs(line: Line) -> list[Glyph]:
    """The glyphs of the title proper: from 策略主題 to the first wide gap or change of type size."""
    glyphs = list(line.glyphs)
    text = "".join(g.text for g in glyphs)
    start = text.find(THEME_WORDS)
    glyphs = glyphs[start:] if start >= 0 else glyphs
    lead = len(THEME_WORDS) if start >= 0 else 1  # the title's own words, whatever their sizes
    title = glyphs[:lead]
    for prev, g in zip(glyphs[lead - 1 :], glyphs[lead:]):
        size = max(prev.size, g.size)
        gap = g.x0 - prev.x1 > TOL.title_gap_em * size
        resized = abs(g.size - prev.size) > TOL.title_resize_share * size
        if gap or (resized and not g.text.isspace() and not prev.text.isspace()):
            break
        title.append(g)
    return title


def title_lines(lines: list[Line]) -> list[Line]:
    """The theme titles among a page's lines, each cut to the glyphs set in the title's own type
    size (a stamp or watermark crossing the title's line is not part of it, nor a notice printed
    over the title itself, its letters between the title's: Spire.Doc's evaluation warning)."""
    return [title for line in lines if (title := _title_in(line)) is not None]


def _title_in(line: Line) -> Line | None:
    share = TOL.title_resize_share
    firsts = [g for g in line.glyphs if g.text == THEME_WORDS[0]]
    for first in firsts:
        same = tuple(g for g in line.glyphs if abs(g.size - first.size) <= share * first.size)
        if THEME_WORDS in "".join(g.text for g in same):
            return Line(same)
    return _title_in_two_sizes(line) if firsts else None


def _title_in_two_sizes(line: Line) -> Line | None:
    """A title whose words 策略主題 are set in two sizes, side by side ('策略' in 10 pt before
    '主題：(B)…' in 16 pt, mPDF): those words, then the glyphs in the size of the words' end."""
    start = "".join(g.text for g in line.glyphs).find(THEME_WORDS)
    if start < 0:
        return None
    words = line.glyphs[start : start + len(THEME_WORDS)]
    if any(b.x0 - a.x1 > TOL.title_gap_em * max(a.size, b.size) for a, b in zip(words, words[1:])):
        return None
    size = words[-1].size
    rest = (g for g in line.glyphs[start + len(THEME_WORDS) :] if abs(g.size - size) <= TOL.title_resize_share * size)
    return Line((*words, *rest))


TitleSpot = tuple[float, float]  # where a running title is printed: its top and type size


def running_titles(titles: list[Line], page_height: float, spots: list[TitleSpot]) -> list[Line]:
    """The titles of a page that repeat a theme's name in its running header, not a theme of their
    own: one in the page's top margin set in smaller type above another title on its page (a
    word processor or Asciidoctor prints the current section's title there, above the heading
    of the theme that begins on the page; LaTeX's fancyhdr sets it lower, in the page's top
    fifth), or one there naming only the code of a title below it that names its theme in full
    (a spreadsheet's page header printing the sheet's name, '策略主題A'); and, once seen, any
    title printed at its spot (`spots`, added to) on the pages where a table just goes on, as low
    as the spot was learnt (rst2pdf's running header in the top fifth, naming the theme of the page
    before). The top margin is half an inch at least, on a page printed small (a spreadsheet's
    sheet on a page of its own size)."""
    top = max(TOL.margin_top_share * page_height, TOL.header_margin_pt)
    slack = TOL.box_slack_pt
    top_fifth = max(top, TOL.running_title_share * page_height)
    themes = [theme_of(t) for t in titles]
    running = []
    for t, (code, name) in zip(titles, themes):
        above_larger = any(u.top > t.bottom and t.size <= (1 - TOL.title_resize_share) * u.size for u in titles)
        words = {word for word in (code, name) if word}  # a bare '策略主題A' reads as the name 'A'
        above_larger = above_larger or any(
            u.top > t.bottom and all(theme) and words == {theme[0]} for u, theme in zip(titles, themes)
        )
        at_spot = any(abs(t.top - y) <= slack and abs(t.size - size) <= slack for y, size in spots)
        if t.bottom > (top_fifth if above_larger or at_spot else top):
            continue
        if above_larger and not at_spot:
            spots.append((t.top, t.size))
        if above_larger or at_spot:
            running.append(t)
    return running


def theme_of(line: Line) -> tuple[str | None, str | None]:
    """'策略主題：(B)落實基層服務--1/2' → ('B', '落實基層服務'); continuation marks, and anything
    printed after them or apart from the title on its line, are dropped. A '©' is a '(C)' that
    autocorrect (a word processor's, AsciiDoc's replacements) turned into the sign."""
    match = _THEME.search(squash(glyph_text(_title_glyphs(line))).replace("©", "(C)"))
    if not match:
        return None, None
    return match.group("paren") or match.group("bare"), match.group("name").strip("：: ").lstrip(")）") or None


_BAND = re.compile(r"^(.{1,8}?)構面$")


def band_perspective(text: str) -> str | None:
    """The perspective a full-width band row names ('顧客構面' → '顧客', or a bare '財務'), or
    None for other text."""
    squashed = squash(text)
    if squashed in PERSPECTIVES:
        return squashed
    match = _BAND.match(squashed)
    return match.group(1) if match else None


def begins_perspective(text: str) -> bool:
    """True when `text` is the beginning of a 構面 label ('學習', '內部流程構')."""
    squashed = squash(text)
    return any(f"{name}構面".startswith(squashed) for name in PERSPECTIVES)


def perspective_ending(text: str) -> str | None:
    """The one perspective whose 構面 label `text` is the end of, two letters or more and not the
    whole ('部流程' → '內部流程', '成長構面' → '學習成長'), else None ('構面' ends them all)."""
    squashed = squash(text)
    if len(squashed) < 2:
        return None
    ending = [
        name
        for name in PERSPECTIVES
        for label in (name, f"{name}構面")
        if label.endswith(squashed) and label != squashed
    ]
    return ending[0] if len(set(ending)) == 1 else None


def within_perspective(text: str) -> bool:
    """True when `text` stands inside a 構面 label after its first letter ('部', '部流')."""
    squashed = squash(text)
    return bool(squashed) and any(squashed in f"{name}構面"[1:] for name in PERSPECTIVES)


def completes_perspective(text: str, following: str) -> bool:
    """True when `text` (a label read so far, in reading order) is a whole 構面 label and
    `following` starts another: it ends in 構面, or is a bare name ('財務') not followed by 構面,
    or a name whose 構面 its cell's clip cut short ('學習成長構' over '財務構面', a spreadsheet
    clipping a stacked label at its short cell's foot) where `following` can go on with no label."""
    squashed, after = squash(text), squash(following)
    if squashed.endswith("構面") and len(squashed) > 2:
        return True
    if squashed in PERSPECTIVES:
        return not after.startswith(("構", "面"))
    named = any(squashed.startswith(name) for name in PERSPECTIVES)
    return named and bool(after) and begins_perspective(after) and not begins_perspective(squashed + after)


def perspective_name(text: str | None) -> str | None:
    """'顧客構面', '學習成\\n長構面', a rotated label read backwards ('面構客顧') → bare name."""
    if not text:
        return None
    squashed = squash(text)
    letters = sorted(squashed.replace("構", "", 1).replace("面", "", 1))
    for name in PERSPECTIVES:
        if sorted(name) == letters:
            return name
    for candidate in (squashed, squashed[::-1]):
        if candidate.endswith("構面") or candidate.removesuffix("構面") in PERSPECTIVES:
            return candidate.removesuffix("構面") or None
    return squashed
