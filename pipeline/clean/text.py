"""Character-level normalisation of text taken from a PDF text layer.

Decks print ideographs as radical lookalikes (Kangxi Radicals, CJK Radicals Supplement), as CJK
compatibility ideographs and digits as full-width forms. NFKC folds only some of these and would
also rewrite full-width punctuation that names must keep as printed, so we fold character by
character: radicals through Unicode's EquivalentUnifiedIdeograph table (shipped as package data),
compatibility ideographs and full-width ASCII letters/digits through NFKC, and a few symbols.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

# A soft hyphen is how some PDF writers (MuPDF) map a printed hyphen glyph ('--1/2').
_EXTRA_FOLDS = {"％": "%", "．": ".", "\u3000": " ", "\u00a0": " ", "\u00ad": "-"}


@cache
def radical_table() -> dict[str, str]:
    """Map each radical code point in EquivalentUnifiedIdeograph.txt to its unified ideograph."""
    table: dict[str, str] = {}
    data = resources.files("pipeline.clean").joinpath("data/EquivalentUnifiedIdeograph.txt")
    for raw in data.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        source, target = (part.strip() for part in line.split(";"))
        first, _, last = source.partition("..")
        for code in range(int(first, 16), int(last or first, 16) + 1):
            table[chr(code)] = chr(int(target, 16))
    return table


def _is_compat_ideograph(ch: str) -> bool:
    code = ord(ch)
    return 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F


def _is_fullwidth_alnum(ch: str) -> bool:
    return "０" <= ch <= "９" or "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ"


def fold_char(ch: str) -> str:
    """Return the character an analyst would type for `ch` (see module docstring)."""
    if ch in _EXTRA_FOLDS:
        return _EXTRA_FOLDS[ch]
    mapped = radical_table().get(ch)
    if mapped is not None:
        return mapped
    if _is_compat_ideograph(ch) or _is_fullwidth_alnum(ch):
        return unicodedata.normalize("NFKC", ch)
    return ch


def normalize(text: str) -> str:
    """Fold radicals, compatibility ideographs and full-width digits; keep punctuation as printed."""
    if text.isascii():  # no ASCII character folds: most values and codes are read as they are
        return text
    return "".join(fold_char(ch) for ch in text)


_WHITE_SPACE = re.compile(r"\s+")  # compiled once: squash runs for nearly every line read


def squash(text: str | None) -> str:
    """Text without any white space: how labels are compared whatever the layout spacing."""
    if not text or _spaceless(text):
        return text or ""
    return _WHITE_SPACE.sub("", text)


def _spaceless(text: str) -> bool:
    """True when `text` holds no white space: every white space character but the ASCII space is
    unprintable. Two scans in C, where most texts read hold none, cost less than the regex."""
    return " " not in text and text.isprintable()


def is_cjk(ch: str) -> bool:
    """True for ideographs and CJK/full-width punctuation: scripts written without spaces."""
    code = ord(ch)
    return (
        0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x3FFFF
    )


def is_ideograph(ch: str) -> bool:
    """A CJK ideograph (not punctuation): how a name begins, where a value begins with a digit."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


_WRAPPED_CODE = re.compile(r"(?<![A-Za-z])([A-Z]{1,4})\n([A-Z]{0,3}\d)")


def _splits_a_code(before: str, after: str) -> bool:
    """True when a wrap fell inside a code ('…方案A' / 'C2.1.2臺東…' is 'AC2.1.2')."""
    match = _WRAPPED_CODE.search(before[-5:] + "\n" + after[:4])
    return match is not None and len(match.group(1)) + len(match.group(2)) - 1 <= 4


def join_wrapped(lines: list[str]) -> str:
    """Join the lines of a wrapped cell: no separator, except a space between two Latin words
    (but not inside a code that the wrap cut)."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        latin = out and out[-1].isascii() and out[-1].isalpha() and line[0].isascii() and line[0].isalpha()
        if latin and not _splits_a_code(out, line):
            out += " "
        out += line
    return drop_cjk_spaces(out)


def drop_cjk_spaces(text: str) -> str:
    """Remove white space next to CJK characters (layout gaps), keep it between Latin words."""
    if _spaceless(text):
        return text

    def keep(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if not before or not after or is_cjk(before) or is_cjk(after):
            return ""
        return " "

    return _WHITE_SPACE.sub(keep, text)
