"""A Form XObject drawn outside q/Q leaves the text drawn after it where the page puts it."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from pipeline.extract.form_state import restore_state_after_forms


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of `objects` (numbered from 1, the first the catalog) with its cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(head: bytes, data: bytes) -> bytes:
    return b"<< " + head + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def test_text_drawn_after_a_form_with_a_matrix_stays_in_place(tmp_path: Path):
    """pdfjs (rkusa) draws its footer as a form whose /Matrix moves it 200 pt down, with no q/Q
    around the `Do`: the title drawn next is set where the page sets it, not 200 pt lower."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /Contents 4 0 R"
    page += b" /Resources << /Font << /F1 5 0 R >> /XObject << /Fm 6 0 R >> >> >>"
    footer = b"BT /F1 8 Tf 1 0 0 1 50 220 Tm (page 1) Tj ET"
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(
        _pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                page,
                _stream(b"", b"/Fm Do BT /F1 12 Tf 1 0 0 1 50 250 Tm (Title) Tj ET"),
                b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
                _stream(
                    b"/Type /XObject /Subtype /Form /BBox [0 0 400 300] /Matrix [1 0 0 1 0 -200]"
                    b" /Resources << /Font << /F1 5 0 R >> >>",
                    footer,
                ),
            ]
        )
    )
    restore_state_after_forms()
    with pdfplumber.open(pdf) as doc:
        words = {w["text"]: round(w["top"]) for w in doc.pages[0].extract_words()}
    assert words["Title"] < 50, "the title at the page's top, not 200 pt down"
    assert words["1"] > 260, "the footer in its form's place, 20 pt above the page's foot"
