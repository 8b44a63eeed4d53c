"""Marked-content /ActualText spans read as the text they stand for (see pipeline/extract/actual_text.py)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from pipeline.extract.geometry import page_glyphs


def _pdf(path: Path, content: bytes) -> Path:
    """A one-page PDF in Helvetica drawing `content`, its xref table worked out."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_a_glyph_in_an_actual_text_span_reads_as_the_span_s_text(tmp_path):
    """Skia (Chrome, calibre) maps a shaped digit's glyph to U+0000 in the font's ToUnicode and
    wraps it in a /Span with /ActualText (1): it reads '1', as viewers show it. A span of two
    glyphs gives its text to the first; the second reads as nothing and is no glyph of the page."""
    content = (
        b"BT /F1 12 Tf 10 50 Td (A) Tj /Span <</ActualText <FEFF0031>>> BDC (x) Tj EMC (B) Tj"
        b" /Span <</ActualText (fi)>> BDC (yz) Tj EMC (C) Tj ET"
    )
    with pdfplumber.open(_pdf(tmp_path / "span.pdf", content)) as pdf:
        page = pdf.pages[0]
        assert [c["text"] for c in page.chars] == ["A", "1", "B", "fi", "", "C"]
        assert "".join(g.text for g in page_glyphs(page)) == "A1BfiC"


def test_spans_without_actual_text_and_nested_spans_read_as_drawn(tmp_path):
    """A marked-content span without /ActualText (a tagged PDF's /P <</MCID 0>>) changes nothing;
    an /ActualText span inside one speaks for its glyphs only."""
    content = b"BT /F1 12 Tf 10 50 Td /P <</MCID 0>> BDC (A) Tj /Span <</ActualText (2)>> BDC (x) Tj EMC (B) Tj EMC ET"
    with pdfplumber.open(_pdf(tmp_path / "nested.pdf", content)) as pdf:
        assert [c["text"] for c in pdf.pages[0].chars] == ["A", "2", "B"]


def test_an_empty_actual_text_silences_a_fake_bold_copy_only(tmp_path):
    """Qt and Calligra draw a fake-bold copy half a point beside its glyph under an empty
    /ActualText: it reads as nothing. pdftocairo writes one over a glyph its source's ToUnicode
    left out (its own ToUnicode names it): drawn alone, that glyph keeps its font's text."""
    content = (
        b"BT /F1 12 Tf 10 50 Td (A) Tj ET"
        b" BT /F1 12 Tf 9.5 50 Td /Span <</ActualText <FEFF>>> BDC (A) Tj EMC ET"
        b" BT /F1 12 Tf 30 50 Td (B) Tj /Span <</ActualText <FEFF>>> BDC (C) Tj EMC (D) Tj ET"
    )
    with pdfplumber.open(_pdf(tmp_path / "empty.pdf", content)) as pdf:
        assert [c["text"] for c in pdf.pages[0].chars] == ["A", "", "B", "C", "D"]
