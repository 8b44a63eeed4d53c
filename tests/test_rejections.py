"""Files that are not readable scorecard decks are rejected with a reason a person understands."""

from pathlib import Path

import pytest
from reportlab.lib import pdfencrypt
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from pipeline.extract.parse import RejectedDeck, parse_pdf


def _reason(path: Path) -> str:
    with pytest.raises(RejectedDeck) as err:
        parse_pdf(path)
    return str(err.value)


def test_encrypted(tmp_path):
    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="owner"))
    c.drawString(100, 100, "scorecard")
    c.save()
    assert _reason(path) == "encrypted PDF: it cannot be read without its password"


def test_not_a_pdf(tmp_path):
    path = tmp_path / "deck.pdf"
    path.write_bytes(b"PK\x03\x04 a zip file renamed")
    assert _reason(path) == "not a PDF file (no %PDF- header)"


def test_no_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(50, 50, 400, 300, fill=1)
    c.showPage()
    c.save()
    assert _reason(path).startswith("no text layer")


def test_tables_only_as_pictures(tmp_path):
    from PIL import Image

    picture = Image.new("RGB", (40, 30), "white")
    path = tmp_path / "pictures.pdf"
    c = canvas.Canvas(str(path), pagesize=(720, 540))
    c.drawString(80, 400, "Title slide")
    c.showPage()
    c.drawImage(ImageReader(picture), 30, 30, 660, 480)
    c.showPage()
    c.save()
    reason = _reason(path)
    assert reason.startswith("no scorecard tables found") and "pictures" in reason


def test_a_text_layer_without_chinese_says_so(tmp_path):
    """A re-print that could not load a deck's CJK fonts keeps only its codes and numbers: the
    reason says the text layer holds no Chinese text, not only that no table was found."""
    path = tmp_path / "reprinted.pdf"
    c = canvas.Canvas(str(path), pagesize=(720, 540))
    c.drawString(80, 400, "AC1.1  95.0%  93.8%  AC1.1.1")
    c.showPage()
    c.save()
    reason = _reason(path)
    assert reason.startswith("no scorecard tables found") and "no Chinese text" in reason
