"""An embedded /Encoding CMap (fpdf2's, for OpenType faces) is read: codes map to CIDs, and the
text comes out, where pdfminer alone reads none."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from pipeline.extract.embedded_cmaps import code_to_cid, read_embedded_encodings

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
    read_embedded_encodings()
    with pdfplumber.open(FPDF_NOTO) as pdf:
        assert pdf.pages[0].extract_text().startswith("桃園市政府社會局")
