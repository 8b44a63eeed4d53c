"""Whether a deck's text layer says which characters its glyphs are.

A PDF's text is glyph codes plus, per font, a map from codes to characters. Tools that re-write a
PDF (Ghostscript re-distilling it, some 'compress' or 'PDF/A' converters) can drop or scramble
that map: the page still shows 顧客, but its text reads '顧û', '(cid:12)' or control codes, and
the same font may map a '。' to a '2'. Nothing read from such a deck can be trusted, so it is
held back whole. The tell is characters no scorecard is written in, from fonts that are not
symbol fonts (a Wingdings bullet maps to Latin-1 or private-use codes by design).

Accented letters that spell UTF-8 bytes read as Windows-1252 ('ï½œ' for '｜', a script that wrote
its footer without decoding it) are mojibake the page itself prints: the map is right, so they do
not count against it. Nor do they where a font without those letters printed some of them as its
.notdef glyph ('(cid:0)(cid:0)œ' in a Ming face): the page shows a blank box, the rest of the
sequence is still there to read.
"""

from __future__ import annotations

import re

from pipeline.clean.text import is_ideograph
from pipeline.extract.tolerances import TOL

# C0 and C1 control codes, Latin letters with accents (not × and ÷), private-use codes, the
# replacement character, noncharacters, and the codes pdfminer prints for a glyph with no character.
_UNMAPPED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\ue000-\uf8ff\ufdd0-\ufdef\ufffd-\uffff]"
    "|\\(cid:\\d+\\)"
)
# A glyph named no character at all: pdfminer's '(cid:N)', a control code, the replacement
# character, a noncharacter (mutool re-writes a map so that '≧' reads U+FFFF).
_UNNAMED = re.compile("\\(cid:\\d+\\)|[\x00-\x08\x0b\x0c\x0e-\x1f\ufdd0-\ufdef\ufffd-\uffff]")
_SYMBOL_FONT = re.compile(r"wingding|webding|symbol|dingbat|marlett", re.IGNORECASE)
# A lead byte of a two- to four-byte UTF-8 sequence, then its continuation bytes, each read as a
# Windows-1252 letter: the shape of printed mojibake.
_CONTINUATION = re.escape(bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore"))
_NOTDEF, _OTHER = "\uffff", "\0"  # how _printed_mojibake writes a '(cid:0)' and any other multi-letter text
_MOJIBAKE = re.compile(f"[\xc2-\xf4{_NOTDEF}][{_CONTINUATION}{_NOTDEF}]{{1,3}}")


def unmapped_chars(chars: list[dict]) -> list[str]:
    """The texts of pdfplumber `chars` that name no character a deck is written in."""
    texts = [ch["text"] for ch in chars]
    if not _UNMAPPED.search("".join(texts)):
        return []  # every readable page, told in one pass
    printed = _printed_mojibake(texts)
    return [
        ch["text"]
        for index, ch in enumerate(chars)
        if _UNMAPPED.search(ch["text"]) and index not in printed and not _SYMBOL_FONT.search(ch.get("fontname", ""))
    ]


def _printed_mojibake(texts: list[str]) -> set[int]:
    """Indexes of the chars in runs that are UTF-8 read as Windows-1252 ('ï½œ' is b'\\xef\\xbd\\x9c', '｜'),
    some of them perhaps printed as the font's .notdef glyph (CID 0)."""
    joined = "".join(text if len(text) == 1 else _NOTDEF if text == "(cid:0)" else _OTHER for text in texts)
    printed: set[int] = set()
    for match in _MOJIBAKE.finditer(joined):
        run = match.group(0)
        if _NOTDEF in run:
            if not run.strip(_NOTDEF):
                continue  # only blank boxes: nothing says what they stand for
        else:
            try:
                run.encode("cp1252").decode("utf-8")
            except UnicodeError:
                continue
        printed.update(range(match.start(), match.end()))
    return printed


def unreadable_reason(unmapped: list[str]) -> str | None:
    """Why a deck whose text layer holds the `unmapped` chars cannot be read, or None when there
    are too few different ones to say: a stray accented letter in a name, or one symbol a font
    names no character for (pdfTeX prints a TeX math font's '×' from a bitmap font without a map),
    however often it stands (see `unnamed_glyphs` for the cells that hold one)."""
    if len(set(unmapped)) < TOL.unmapped_chars:
        return None
    shown = " ".join(list(dict.fromkeys(repr(text) for text in unmapped))[:8])
    return (
        f"unreadable text layer: {len(unmapped)} characters map to no readable text ({shown}); its fonts lack "
        "a correct character map (a PDF re-written by Ghostscript, or printed to PostScript and distilled, can lose "
        "it): export the deck again from its source"
    )


def unnamed_glyphs(text: str) -> list[str]:
    """The glyphs in `text` its fonts name no character for: what they print cannot be known."""
    return _UNNAMED.findall(text)


def stray_angle_brackets(text: str) -> list[str]:
    """The '<' in `text` set before an ideograph and never closed by a '>': no comparator (one
    precedes a number) and no bracket pair, but a bracket ('「') the text layer names as another
    character (Ghostscript re-writes some CJK fonts' maps so that '「' reads '<' and '」' '='), so
    what the cell prints cannot be known. Each with the few letters it opens."""
    return [
        text[i : i + 5]
        for i, ch in enumerate(text)
        if ch == "<" and i + 1 < len(text) and is_ideograph(text[i + 1]) and ">" not in text[i + 1 :]
    ]
