"""A text layer whose fonts lost their character map: found, and the deck held back whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract.parse import RejectedDeck, parse_pdf
from pipeline.extract.text_layer import stray_angle_brackets, unmapped_chars, unreadable_reason

BAD = Path(__file__).parent / "corpus" / "bad"


def _chars(text: str, font: str = "ABCDEF+NotoSansCJKtc-Regular") -> list[dict]:
    return [{"text": ch, "fontname": font} for ch in text]


def test_characters_no_deck_is_written_in_are_unmapped():
    """Ghostscript's re-write of a CJK font read '顧客' as '顧û' and '年' as a control code; a glyph
    with no character at all reads '(cid:12)'. CJK, full-width forms, × and ÷ are text."""
    garbled = [*_chars("顧û服Û\x80"), {"text": "(cid:12)", "fontname": "F"}, *_chars("\ue000")]
    assert unmapped_chars(garbled) == ["û", "Û", "\x80", "(cid:12)", "\ue000"]
    assert unmapped_chars(_chars("顧客構面 AC1.1 ≥93.8% ８８％ 實際數／預計數×100 ÷ 「服務」（季）")) == []


def test_symbol_fonts_map_bullets_to_such_codes_by_design():
    assert unmapped_chars(_chars("ü§Ø\uf0a7", font="Wingdings-Regular")) == []


def test_utf8_printed_as_windows_1252_is_what_the_page_says_not_a_broken_map():
    """A Perl script that wrote its footer without decoding it prints '｜' as 'ï½œ' on every page:
    the map reads the glyphs right. An accented letter with no such run after it still counts."""
    footer = _chars("安南區戶政事務所ï½œ策略地圖 Ã© â€”")
    assert unmapped_chars(footer) == []
    assert unmapped_chars(_chars("事務所ï½策略 顧û")) == ["ï", "û"]


def test_printed_mojibake_whose_letters_the_font_lacks_is_what_the_page_says_too():
    """The same footer in a Ming face without 'ï' and '½' prints them as its .notdef glyph, which
    reads '(cid:0)': the 'œ' after them still shows the run for printed mojibake. Blank boxes
    alone say nothing of what they stand for, and still count."""
    notdef = {"text": "(cid:0)", "fontname": "AdobeMingStd-Light-Acro"}
    footer = [*_chars("造橋鄉公所"), notdef, notdef, *_chars("œ策略地圖")]
    assert unmapped_chars(footer) == []
    assert unmapped_chars([*_chars("顧客"), notdef, notdef, *_chars("構面")]) == ["(cid:0)", "(cid:0)"]


def test_a_few_accented_letters_are_a_name_many_are_a_broken_map():
    assert unreadable_reason(["é"]) is None
    reason = unreadable_reason(["û", "Û", "\x80", "û"])
    assert reason is not None and reason.startswith("unreadable text layer: 4 characters")
    assert "'û' 'Û' '\\x80'" in reason


def test_one_symbol_without_a_character_however_often_is_no_broken_map():
    """pdfTeX sets a TeX math font's '×' from a bitmap font with no character map: four '(cid:214)'
    in a deck's 衡量方式 column, a column not read. The deck is read; a cell read holding one is
    held back by the plausibility check cells_readable."""
    assert unreadable_reason(["(cid:214)"] * 4) is None
    assert unreadable_reason(["(cid:214)", "(cid:12)", "(cid:214)", "(cid:7)"]) is not None


def test_a_deck_re_written_with_a_broken_character_map_is_rejected_with_the_reason():
    """A WeasyPrint deck re-written by Ghostscript 10.00 keeps its pages' look, but some of its
    glyphs read as 'û', 'Ü', '\\x80' (published before this check, with '營造Ü善育兒環境' for
    營造友善育兒環境)."""
    with pytest.raises(RejectedDeck, match=r"unreadable text layer: \d+ characters .*'Ü'"):
        parse_pdf(BAD / "ghostscript-garbled.pdf")


@pytest.mark.parametrize(
    ("text", "stray"),
    [
        ("<服務禮儀=課程參訓人數", ["<服務禮儀"]),  # '「服務禮儀」' as Ghostscript's re-written map reads it
        ("<服務禮儀>課程參訓人數", []),  # angle brackets set as a pair
        ("<5件", []),  # a comparator before its number
        ("滿意度<90%之件數", []),
        ("《服務禮儀》課程", []),
    ],
)
def test_a_less_than_opening_ideographs_never_closed_is_a_misnamed_bracket(text, stray):
    assert stray_angle_brackets(text) == stray
