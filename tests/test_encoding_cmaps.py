"""A Type0 font's /Encoding CMap is read where pdfminer reads it wrong: an embedded one (fpdf2's, for
OpenType faces) maps codes to CIDs, and one built on another (ETenms-B5-H) holds its base's codes."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from pdfminer.cmapdb import CMapDB, FileUnicodeMap

from pipeline.extract.encoding_cmaps import _FaceFallback, built_on, code_to_cid, read_encoding_cmaps

FPDF_NOTO = Path(__file__).parent / "corpus" / "realtools" / "f104-fpdf2-90da78b.pdf"

PROGRAM = b"""/CIDInit /ProcSet findresource begin
begincmap
/CMapName /Adobe-Identity-UCS def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
2 begincidchar
<0000> 32
<0001> 21182
endcidchar
1 begincidrange
<0010> <0012> 500
endcidrange
endcmap"""


def test_code_to_cid_reads_single_codes_and_ranges():
    assert code_to_cid(PROGRAM) == {
        b"\x00\x00": 32,
        b"\x00\x01": 21182,
        b"\x00\x10": 500,
        b"\x00\x11": 501,
        b"\x00\x12": 502,
    }


def test_a_program_without_cid_sections_maps_nothing():
    assert code_to_cid(b"begincmap\n1 beginbfchar\n<0001> <6843>\nendbfchar\nendcmap") == {}


def test_an_fpdf2_deck_set_in_an_opentype_face_has_its_text():
    read_encoding_cmaps()
    with pdfplumber.open(FPDF_NOTO) as pdf:
        assert pdf.pages[0].extract_text().startswith("桃園市政府社會局")


def test_a_cmap_built_on_another_holds_its_base_s_codes_and_its_own():
    """ETenms-B5-H is ETen-B5-H with proportional Latin letters (FPDF's Chinese add-on names it):
    Big5 codes map as in the base, Latin letters to the proportional CIDs; pdfminer's copy alone
    maps no Big5 code. The vertical one stays vertical; a CMap built on none is left alone."""
    whole, base = built_on("ETenms-B5-H"), CMapDB.get_cmap("ETen-B5-H")
    big5 = "策略".encode("big5")
    assert (
        list(whole.decode(big5)) == list(base.decode(big5)) and list(CMapDB.get_cmap("ETenms-B5-H").decode(big5)) == []
    )
    assert list(whole.decode(b"AB")) == [34, 35] != list(base.decode(b"AB"))
    assert built_on("ETenms-B5-V").is_vertical() and built_on("ETen-B5-H") is None


def test_a_glyph_the_to_unicode_map_lacks_is_named_by_the_embedded_face():
    """PoDoFo leaves out of /ToUnicode a glyph AR PL UKai shares between 高 and the radical ⾼: the
    face's own cmap names it. The face is read once, and only when a glyph is missing."""
    given = FileUnicodeMap()
    given.cid2unichr[100] = "提"
    loads = []

    def load() -> dict[int, str]:
        loads.append(1)
        return {23512: "⾼", 100: "x"}

    fallback = _FaceFallback(given, load)
    assert fallback.get_unichr(100) == "提" and not loads, "the map's own glyphs need no face"
    assert fallback.get_unichr(23512) == "⾼" and fallback.get_unichr(23512) == "⾼"
    assert loads == [1]
    try:
        fallback.get_unichr(7)
    except KeyError:
        pass
    else:
        raise AssertionError("a glyph neither names stays unnamed")
