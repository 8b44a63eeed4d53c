"""Split scorecard codes ('AC1', 'AC1.1', 'AC1.1.1') from the names printed beside them.

Codes are kept exactly as printed, irregular ones included: they are labels, not identities.
"""

from __future__ import annotations

import re

CODE = r"[A-Z]{1,4}\d+(?:\.\d+)*"
CODE_PATTERN = re.compile(rf"{CODE}(?![\d.])")
_WHOLE_CODE = re.compile(CODE)
_TRAILING_CODE = re.compile(rf"(?<![A-Z]){CODE}$")
_LEADING_CODE = re.compile(rf"^\s*({CODE})(?![\d.])\s*")


def split_code(text: str) -> tuple[str | None, str]:
    """'AC1.1提升…' / 'AC1.1 提升…' → ('AC1.1', '提升…'); text without a leading code → (None, text)."""
    match = _LEADING_CODE.match(text)
    if not match:
        return None, text.strip()
    return match.group(1), text[match.end() :].strip()


def split_code_lines(lines: list[str], join) -> tuple[str | None, str]:
    """Split the code off a wrapped cell before joining its lines, so that a code on its own line
    never fuses with a name that starts with digits ('BC1.1' / '1999陳情…'); a code cut at a dot
    ('DL1.' / '2「服務…') is one code."""
    lines = [ln for ln in lines if ln.strip()]
    if not lines:
        return None, ""
    if opens_a_wrapped_code(lines[0], lines[1] if len(lines) > 1 else None):
        lines = [lines[0].strip() + lines[1], *lines[2:]]
    code, rest = split_code(lines[0])
    if code is None:
        return None, join(lines)
    return code, join([rest, *lines[1:]])


def starts_with_code(text: str) -> bool:
    """True when `text` opens with a code, e.g. the first line of a KPI or objective cell."""
    return _LEADING_CODE.match(text) is not None


def opens_a_wrapped_code(line: str, next_line: str | None) -> bool:
    """True when `line` is a code cut at a dot, its last number on `next_line` ('DL1.' / '2「服務
    禮儀」…': a narrow KPI cell that breaks anywhere)."""
    return next_line is not None and _CODE_CUT_AT_DOT.fullmatch(line.strip()) is not None and next_line[:1].isdigit()


_CODE_CUT_AT_DOT = re.compile(rf"{CODE}\.")


def is_code(text: str) -> bool:
    """True when `text` is a code and nothing else ('AC1', 'BL2.1.3')."""
    return _WHOLE_CODE.fullmatch(text) is not None


def ends_with_code(text: str) -> bool:
    """True when `text` ends in a code ('AC1.1', '…實施計畫CL1.1.2': the next plan's code fused
    to the end of the one before)."""
    return _TRAILING_CODE.search(text) is not None


def objective_of(code: str) -> str | None:
    """The objective a KPI code belongs to ('AC1.2' → 'AC1'); None for a code without a dot."""
    return code.rsplit(".", 1)[0] if "." in code else None


def code_depth(code: str) -> int:
    """Number of dot-separated levels below the letters: 'AC1' → 1, 'AC1.1' → 2."""
    return code.count(".") + 1


def _plan_code_end(match: re.Match[str], text: str, expected: int) -> int:
    """Where a plan code ends when its number runs into a name starting with digits.

    'DL2.1.3109年臺北市…' is plan 3 of '109年臺北市…': a last level longer than two digits, or
    one followed by 年, is cut to the expected sequence number (or one digit).
    """
    digits = match.group("last")
    after = text[match.end() :]
    if len(digits) <= 2 and not after.startswith("年"):
        return match.end()
    keep = len(str(expected)) if digits.startswith(str(expected)) else 1
    return match.start("last") + keep


def split_plans(text: str, depth: int, kpi_code: str | None = None) -> list[tuple[str | None, str]]:
    """Split an action-plan cell into (code, name) pairs at every code of `depth` levels.

    Several plans are often fused on one line ('…應變辦法BL2.1.2臺北市…'); the depth (one more than
    the KPI code's) keeps numbers inside names, such as '2.0', from being taken for codes. A code
    printed with spaces inside ('BP1.1. 3', 'EF1.2 .3', 'D L1.2.2': PDF::Table breaks a long run of text with a
    space wherever it reaches its word length) is one when it is a plan code of `kpi_code`, the
    row's KPI; it is given without the spaces.
    """
    inner = max(depth - 2, 0)
    pattern = re.compile(rf"[A-Z](?: ?[A-Z]){{0,3}} ?\d+(?: ?\. ?\d+){{{inner}}} ?\. ?(?P<last>\d+)")
    plans: list[tuple[str | None, str]] = []
    cursor, code, pos = 0, None, 0
    while match := pattern.search(text, pos):
        spaced = " " in match.group(0)
        if spaced and not (kpi_code and match.group(0).replace(" ", "").startswith(f"{kpi_code}.")):
            pos = match.start() + 1
            continue
        name = text[cursor : match.start()].strip()
        if code is not None or name:
            plans.append((code, name))
        end = _plan_code_end(match, text, len([p for p in plans if p[0]]) + 1)
        code, cursor = text[match.start() : end].replace(" ", ""), end
        pos = end
    name = text[cursor:].strip()
    if code is not None or name:
        plans.append((code, name))
    return plans
