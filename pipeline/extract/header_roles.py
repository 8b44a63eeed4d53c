"""Which column a short run of header text names ('110年實際值' → actual 110, '行動計畫' → plans).

The wording of headers varies by deck; these patterns are the one place it is known. Finding a
header and telling where its band ends both ask them of every run they look at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.clean.text import is_ideograph, squash
from pipeline.extract.geometry import Glyph, Line, rules_crossing
from pipeline.extract.layout import Role
from pipeline.extract.rules import Rule
from pipeline.extract.tolerances import TOL

MARKS = (Role.ACTUAL_MARK, Role.TARGET_MARK)
_EXTRA_NAMES = ("權重", "備註", "衡量方式", "衡量標準", "計算方式", "說明", "資料來源", "單位")  # columns not read
_ROLE_PATTERNS = [
    (Role.PLANS, re.compile(r"行動(方案|計畫|計劃)")),
    (Role.OBJECTIVE, re.compile(r"策略(性)?目標")),
    (Role.KPI, re.compile(r"KPI|關鍵績效|績效指標|衡量指標|^\(?關鍵績效指")),
    (Role.EXTRA, re.compile("|".join(_EXTRA_NAMES))),
    (Role.PERSPECTIVE, re.compile(r"^.?構面$")),  # one letter of a stacked label may stand beside it
]
_YEAR = re.compile(r"(\d{2,4})年")
_ANY_ROLE = re.compile(
    r"KPI[(（]?(?:關鍵績效指標?)?[)）]?|[(（]?關鍵績效指標?[)）]?|構面|策略性?目標|行動(?:方案|計畫|計劃)|衡量指標|權重|備註|衡量方式|衡量標準"
    r"|\d{2,4}年(?:實際值|目標值)?|(?:實際值|目標值)(?:[(（]\d{2,4}年[)）]?)?"
)
_KIND = re.compile(r"實際值|目標值")
# A year label whose '年)' its cell cut off at the right edge ('目標值(112', Aspose.PDF): a ROC year.
_CUT_YEAR = re.compile(r"^(?:實際值|目標值)[(（](\d{3})$")
_KINDS = ("實際", "目標")  # a year column's kind, its 值 maybe wrapped
_ENDS_OBJECTIVE = re.compile(r"策略性?$")  # '目標' after it names the objective column
_ENDS_YEAR = re.compile(r"\d年[)）]?$")
_STARTS_YEAR = re.compile(r"\d{2,4}年")
_OF_A_YEAR_LABEL = re.compile(r"實際|目標|值|[(（]$")  # text a year may follow within its own label
_ENDS_YEAR_LABEL = re.compile(r"\d年[)）]?$|(?:實際|目標)(?:值[)）]?)?$")  # a year's label may end so
_ENDS_WHOLE_KIND = re.compile(r"(?:實際|目標)值[)）]?$")  # a year label's kind with its 值
_GOES_ON_YEAR_LABEL = re.compile(r"[\d(（值]")  # ... and go on, set apart, with its year or 值
_ENDS_BEFORE_YEAR_TAIL = re.compile(r"[(（]\d{0,4}$")  # a year label's first line, its year's rest wrapped
_YEAR_GIVEN = re.compile(r"^年[)）]?(?:實際|目標)值?[)）]?$")  # a line after its label's year ('109' / '年實際')
# The labels' own words: an ideograph and the ideographs set apart after it that go on together in
# none of them are two cells' text set close ('構 策略', '績 備註', '關鍵績效 衡量方'), never one
# label's letters spaced out ('策 略 目 標', '績效 衡量指標').
_LABEL_WORDS = (
    *("構面", "策略性目標", "策略目標", "關鍵績效指標", "績效衡量指標", "衡量指標", "年實際值", "年目標值"),
    *("行動方案", "行動計畫", "行動計劃", *_EXTRA_NAMES),
)
_YEAR_OR_KIND = re.compile(r"\d{2,4}年|實際|目標")
_YEAR_THEN_KIND = re.compile(r"\d{2,4}年[)）]?(?:實際|目標)")
# Every role pattern above, unanchored: a line that matches none holds no header run.
NAMES_A_ROLE = re.compile("|".join([p.pattern.strip("^$") for _, p in _ROLE_PATTERNS] + [_YEAR.pattern, _KIND.pattern]))


@dataclass(frozen=True)
class HeaderRun:
    role: Role
    line: Line
    year: int | None = None


def classify_run(run: Line) -> HeaderRun | None:
    """The header role a short run of text names, if any ('110年實際值' → actual 110)."""
    text = squash(run.text)
    if not text or len(text) > TOL.header_run_chars or starts_with_value(text):
        return None
    year = _YEAR.search(text)
    if year and (len(text) <= TOL.bare_year_chars or _KIND.search(text) or is_year_label(text)):
        kind = Role.TARGET if "目標值" in text else Role.ACTUAL
        return HeaderRun(kind, run, int(year.group(1)))
    if cut := _CUT_YEAR.match(text):
        return HeaderRun(Role.TARGET if "目標值" in text else Role.ACTUAL, run, int(cut.group(1)))
    kind = _KIND.search(text)
    if kind and not year:
        return HeaderRun(Role.TARGET_MARK if kind.group(0) == "目標值" else Role.ACTUAL_MARK, run)
    for role, pattern in _ROLE_PATTERNS:
        if pattern.search(text):
            return HeaderRun(role, run)
    return None


_LEADING_NUMBER = re.compile(r"[\d,.]+")


def names_columns(runs: list[Line]) -> bool:
    """True when a line's runs name two columns or more: a table's header row, whose other labels
    may be in words no column is known by ('承辦科室'), or set close together in one run
    ('實際值(1實際值(1目標值(1', each year's label wrapped)."""
    return sum(1 for run in runs for piece in split_on_roles(run) if classify_run(piece)) >= 2


def names_a_column(text: str) -> bool:
    """True when `text` is a column's name and nothing else ('策略性目標', '110年實際值'): a header's
    label, never the end of a cell's text."""
    return _ANY_ROLE.fullmatch(squash(text)) is not None


# A year's label, or its line: '110年', '110年度目標值', '110年實' of '110年實' / '際值', '值(110年)' of
# '實際' / '值(110年)'.
_YEAR_LABEL = re.compile(r"值?[(（]?\d{2,4}年度?[)）]?(?:實(?:際值?)?|目(?:標值?)?)?")


_NUMBERING = re.compile(r"序號|編號|項次|No\.?", re.IGNORECASE)  # a numbering column's label


def names_numbering(text: str) -> bool:
    """True when `text` is a numbering column's label and nothing else ('序號', '項次'): a header's
    label no column is read by."""
    return _NUMBERING.fullmatch(squash(text)) is not None


def names_a_year(text: str) -> bool:
    """True when `text` names a year anywhere in it ('110年', '實際值(110年)', '30年')."""
    return _YEAR.search(squash(text)) is not None


def is_year_label(text: str) -> bool:
    """True when `text` is a year column's label or its first line and nothing else ('110年',
    '110年度目標值', '110年實' of '110年實' / '際值', '值(110年)' of '實際' / '值(110年)'): not a
    sentence that names a year."""
    return _YEAR_LABEL.fullmatch(squash(text)) is not None


def begins_an_extra_name(text: str) -> bool:
    """True when `text` is the start of an extra column's name and no more ('權' of 權重)."""
    return bool(text) and any(len(text) < len(name) and name.startswith(text) for name in _EXTRA_NAMES)


def names_a_kind(text: str) -> bool:
    """True when `text` says which kind of year column it heads (實際 or 目標, its 值 maybe wrapped)."""
    return any(kind in text for kind in _KINDS)


def starts_with_value(text: str) -> bool:
    """True when text begins with a number that is no year ('10 (調整計算方式)', not '110年'):
    a value cell with a note, never a header label."""
    number = _LEADING_NUMBER.match(text)
    return number is not None and not text[number.end() :].startswith("年")


def split_on_roles(run: Line) -> list[Line]:
    """Cut a run that names several columns ('構面 策略目標' set close together) into one per name,
    and where narrow cells' wrapped year labels stand a word apart: between numbers ('109 110'),
    before a kind ('實際 實際 目標'), before a '值' after a year ('值(108年) 值(109年)'), and
    before a year after text that is no part of a year's label ('權 106年實際': the 權 of 權 / 重),
    and after a year label's end before text that is no part of it ('114年 權', '目標值 重', '目標 重'
    with its 值 wrapped to the next line); and before a column name set well apart from the text
    before it, another cell's wrapped label ('策略性目 KPI(關鍵績效')."""
    return [piece for part in _labels_apart(run) for piece in _split_on_names(part)]


def _years_lead(text: str) -> bool:
    """True when a run's year labels open with their year ('109年 實際 110年 實際'): the kind after
    a year is then its label's, and each year begins a label."""
    text = squash(text)
    first = _YEAR_OR_KIND.search(text)
    return first is not None and _YEAR_THEN_KIND.match(text, first.start()) is not None


def _labels_apart(run: Line) -> list[Line]:
    glyphs = run.glyphs
    years_lead = _years_lead(run.text)
    parts: list[list[Glyph]] = [[]]
    prev: Glyph | None = None  # the last glyph of the part read so far that is no space
    for i, g in enumerate(glyphs):
        apart = prev is not None and g.x0 - prev.x1 >= TOL.word_space_em * max(g.size, prev.size)
        if apart and _begins_a_label(glyphs, i, prev, parts[-1], years_lead):
            parts.append([])
            prev = None
        blank = g.text.isspace()
        if parts[-1] or not blank:
            parts[-1].append(g)
            prev = prev if blank else g
    return [Line(tuple(part)) for part in parts if part]


def _begins_a_label(glyphs: tuple[Glyph, ...], i: int, prev: Glyph, part: list[Glyph], years_lead: bool) -> bool:
    """True when glyph `i`, set a word apart from `prev` (the last one of the `part` read so far),
    begins another cell's label (see split_on_roles). Asked only for a glyph set apart: most
    glyphs of a run are not, and the tests read the part's text over again."""
    g = glyphs[i]
    before = squash("".join(h.text for h in part))
    kind = kind_next = "".join(h.text for h in glyphs[i : i + 2]) in _KINDS
    # '策略 目標' set letter-spaced is one label, however far apart its letters stand.
    kind = kind and not _ENDS_OBJECTIVE.search(before)
    kind = kind and not (years_lead and _ENDS_YEAR.search(before))  # '109年 實際' is one label
    # A year's label ends with its year: a '值' after it begins the next cell's ('值(108年) 值(109年)'),
    # also after a year whose 年 is wrapped to the next line ('(106 值(10', calibre's narrow cells).
    kind = kind or (g.text == "值" and (_ENDS_YEAR.search(before) is not None or before[-1:].isdigit()))
    # A year label begins a cell of its own after text that is no part of one ('權 106年實際'),
    # bracketed too ('KPI(關鍵績效指 (110', a wrapped KPI label beside a narrow year cell).
    digits = i + (g.text in "(（")
    year = digits < len(glyphs) and glyphs[digits].text.isdigit() and not prev.text.isdigit()
    year = year and (
        not _OF_A_YEAR_LABEL.search(before)
        or (years_lead and _ENDS_YEAR_LABEL.search(before))
        or _whole_kind_far_before(before, prev, g)
        or _YEAR_GIVEN.match(before) is not None  # its own year printed on the line above: another cell's
    )
    year = year and (
        _STARTS_YEAR.match(squash("".join(h.text for h in glyphs[digits : digits + 6]))) is not None
        or _bare_year(glyphs[digits:])
    )
    # Text set apart after a year label's end begins a cell of its own ('114年 權', '目標 重').
    after = _ENDS_YEAR_LABEL.search(before) is not None and not _GOES_ON_YEAR_LABEL.match(g.text)
    after = after and not (years_lead and kind_next and _ENDS_YEAR.search(before))
    # So does a word set apart after a year label's first line ('目標值(111 備', its '年)' wrapped;
    # '目標值(1 權' and '目標值( 權', jsPDF's autotable wrapping within or before the year).
    after = after or (_ENDS_BEFORE_YEAR_TAIL.search(before) is not None and is_ideograph(g.text) and g.text != "年")
    foreign = is_ideograph(prev.text) and is_ideograph(g.text)
    foreign = foreign and not _goes_on_a_label(prev.text, glyphs[i:])
    # Numbers a word apart are two cells' years, bracketed too ('(106 (107', wrapped '實際值(106年)').
    numbers = prev.text.isdigit() and _opens_number(glyphs[i : i + 2])
    # Words set apart after a whole label closed by its bracket are the next cell's, a label no
    # column is known by ('KPI(關鍵績效指標) 協辦機關', a tabular's narrow gutters).
    closed = prev.text in ")）" and is_ideograph(g.text) and names_a_column(before)
    return bool(kind or year or after or foreign or numbers or closed)


def _whole_kind_far_before(before: str, prev: Glyph, g: Glyph) -> bool:
    """True when a whole kind ('實際值', '目標值') ends `before` and stands well left of `g`, a
    digit: a year there begins the next cell's label ('實際值    109', the 108 cell's '實際值' /
    '108年' beside the narrower 109 cell's '實際' / '值' / '109' / '年'). A bracketed year stays
    with the kind before it ('實際值 (110年)')."""
    apart = g.x0 - prev.x1 >= TOL.label_apart_em * max(g.size, prev.size)
    return apart and g.text.isdigit() and _ENDS_WHOLE_KIND.search(before) is not None


def _opens_number(glyphs: tuple[Glyph, ...]) -> bool:
    """True when `glyphs` open with a digit, or with an opening bracket and a digit."""
    text = "".join(g.text for g in glyphs)
    return text[:1].isdigit() or (text[:1] in "(（" and text[1:2].isdigit())


def _bare_year(glyphs: tuple[Glyph, ...]) -> bool:
    """True when `glyphs` open with a year whose '年' is wrapped to the next line: two to four
    digits ending the run or set apart from what follows ('鍵績效 107', a KPI label's wrapped line
    beside a narrow year cell's '107' / '年', pandoc)."""

    def apart(a: Glyph, b: Glyph) -> bool:
        return b.x0 - a.x1 >= TOL.word_space_em * max(a.size, b.size)

    digits = 1 if glyphs and glyphs[0].text.isdigit() else 0
    while digits and digits < len(glyphs) and not apart(glyphs[digits - 1], glyphs[digits]):
        if not glyphs[digits].text.isdigit():
            return False
        digits += 1
    return 2 <= digits <= 4


def _goes_on_a_label(letter: str, after: tuple[Glyph, ...]) -> bool:
    """True when the ideographs drawn close together from the start of `after` go on from
    `letter` within one of the labels' words ('效' then '衡量指' in 績效衡量指標; not '效' then
    '衡量方', the start of the next cell's 衡量方式)."""
    text = ""
    for prev, g in zip((None, *after), after):
        if not is_ideograph(g.text) or (prev is not None and g.x0 - prev.x1 >= TOL.word_space_em * g.size):
            break
        text += g.text
    return any(letter + text in word for word in _LABEL_WORDS)


def split_at_overrun_rules(run: Line, vrules: list[Rule]) -> list[Line]:
    """`run` cut where a vertical rule crossing its line runs between the middles of two touching
    ideographs that go on together in no label's words: a letter too wide for its narrow cell
    overruns the border up to the next cell's label (pdfLaTeX's overfull '序' of '序號', then '構'
    of '構面'). A label overrunning its own border ('實' / '際值') is one label still."""
    crossing = rules_crossing(run, vrules)
    if not crossing:  # no rule crosses the line (most lines): nothing to cut at
        return [run]
    glyphs = run.glyphs
    cuts = [
        i
        for i in range(1, len(glyphs))
        if is_ideograph(glyphs[i - 1].text)
        and is_ideograph(glyphs[i].text)
        and any(glyphs[i - 1].cx < x < glyphs[i].cx for x in crossing)
        and not _goes_on_a_label(glyphs[i - 1].text, glyphs[i:])
    ]
    bounds = [0, *cuts, len(glyphs)]
    return [Line(glyphs[a:b]) for a, b in zip(bounds, bounds[1:])]


def _split_on_names(run: Line) -> list[Line]:
    texts = [g.text for g in run.glyphs]
    starts, offset = [], 0
    for text in texts:
        starts.append(offset)
        offset += len(text)
    joined = "".join(texts)
    cuts = [m.start() for m in _ANY_ROLE.finditer(joined)]
    if cuts and not _another_cell_before(run.glyphs, starts, cuts[0]):
        cuts = cuts[1:]
    if not cuts:
        return [run]
    pieces, current = [], []
    for glyph, start in zip(run.glyphs, starts):
        if current and start in cuts:
            pieces.append(Line(tuple(current)))
            current = []
        current.append(glyph)
    pieces.append(Line(tuple(current)))
    return pieces


def _another_cell_before(glyphs: tuple[Glyph, ...], starts: list[int], cut: int) -> bool:
    """True when the text before the first column name of a run, which starts at letter `cut`,
    stands apart from it: the wrapped first line of the cell to the left, set close to the name
    ('策略性目 KPI(關鍵績效', two labels' first lines), not words of one label. A year set apart
    is _labels_apart's business ('目標 110年' is one label)."""
    if cut == 0 or cut not in starts:
        return False
    i = starts.index(cut)
    prev, g = glyphs[i - 1], glyphs[i]
    if g.text[0].isdigit():
        return False
    return g.x0 - prev.x1 >= TOL.label_apart_em * max(g.size, prev.size)
