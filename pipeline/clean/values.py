"""Turn the text of a value cell into a number, a unit, a comparator and a status.

A value cell holds a number ('75.0%', '11,469', '2,000人次', '≧85%'), a status note instead of a
number ('公式調整不適用', '換屆不適用用'), a number with a note ('4,912 (調整計算方式)') or nothing.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.clean.text import normalize
from pipeline.model import Status, Value

# Every sign a value may open with to say it is a bound: full-width and ASCII, strict or not.
COMPARATOR_SIGNS = frozenset("≥≧≤≦<>＜＞")
_COMPARATORS = {"≧": ">=", "≥": ">=", ">=": ">=", "≦": "<=", "≤": "<=", "<=": "<="}
_NUMBER = re.compile(
    r"^(?P<cmp>≧|≥|>=|≦|≤|<=)?"
    r"(?P<num>[-+]?(?:\d[\d,]*)?\.?\d+)"
    r"(?P<unit>%|[^\d\s()（）.,]+?)?"
    r"(?:[(（](?P<note>.*?)[)）]?)?$"
)
_NOT_APPLICABLE = re.compile(r"^(?P<reason>.*?)不[適适]用*$")  # typos: 不適, 不適用用
_EMPTY_MARKS = {"", "-", "--", "—", "－", "–", "N/A", "n/a", "NA"}


def is_not_applicable_note(text: str) -> bool:
    """True when `text` is a status note saying a value does not apply ('換屆不適用', '新指標不適')."""
    return _NOT_APPLICABLE.match(text) is not None


def _compact(raw: str) -> str:
    """Join wrapped lines and fold width: value cells carry no meaningful spaces or punctuation width."""
    text = unicodedata.normalize("NFKC", normalize(raw))
    return re.sub(r"\s+", "", text)


def parse_value(raw: str) -> Value:
    """Parse a value cell (see module docstring); text that is no number is kept as a note."""
    text = _compact(raw)
    if text in _EMPTY_MARKS:
        return Value(None, None, None, Status.MISSING, None, raw)
    na = _NOT_APPLICABLE.match(text)
    if na:
        reason = na.group("reason").strip("():（）") or None
        return Value(None, None, None, Status.NOT_APPLICABLE, reason, raw)
    match = _NUMBER.match(text)
    if not match:
        return Value(None, None, None, Status.MISSING, text, raw)
    number = float(match.group("num").replace(",", ""))
    return Value(
        value=number,
        unit=match.group("unit") or None,
        comparator=_COMPARATORS.get(match.group("cmp") or ""),
        status=Status.REPORTED,
        note=(match.group("note") or "").strip() or None,
        raw_text=raw,
    )
