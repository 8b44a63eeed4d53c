"""Page geometry: pdfplumber's characters deduplicated, glyphs grouped into lines and runs, rules
measured against spans."""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

import pdfplumber
import pytest
from glyphs import glyph, word
from pdfplumber.utils import dedupe_chars

from pipeline.extract.geometry import (
    PageGeometry,
    _within_crop_box,
    group_lines,
    page_geometry,
    page_glyphs,
    split_runs,
    unique_chars,
)
from pipeline.extract.rules import Rule, Rules, covered, page_rules

FIXTURES = Path(__file__).parent / "corpus"


def _char(text: str, x0: float, top: float, font: str = "F1", size: float = 10.0, upright: bool = True) -> dict:
    return {"text": text, "x0": x0, "doctop": top, "fontname": font, "size": size, "upright": upright}


def _random_page(seed: int) -> list[dict]:
    """Chars of a few letters and fonts, many printed twice or three times a fraction of a point
    apart (fake bold), some in chains of near positions, in shuffled page order."""
    rng = random.Random(seed)
    chars = []
    for _ in range(300):
        x0, top = rng.choice(range(0, 200, 7)) + rng.random(), rng.choice(range(0, 100, 12)) + rng.random()
        text, font = rng.choice("民長AB1"), rng.choice(("F1", "F2"))
        for _ in range(rng.choice((1, 1, 2, 3))):
            chars.append(_char(text, x0 + rng.uniform(-1.2, 1.2), top + rng.uniform(-1.2, 1.2), font))
    rng.shuffle(chars)
    return chars


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("tolerance", [0.5, 1.0, 3.0])
def test_unique_chars_keeps_what_pdfplumber_keeps(seed, tolerance):
    chars = _random_page(seed)
    kept = unique_chars(chars, tolerance)
    assert kept == dedupe_chars(chars, tolerance)
    assert len(kept) < len(chars), "the page had doubles to drop"


def test_unique_chars_on_real_pages():
    """Pages printed by office tools and browsers, fake bold and all, keep the same chars."""
    pdfs = sorted((FIXTURES / "realtools").glob("*.pdf"))[:6] + sorted((FIXTURES / "public").glob("*.pdf"))[:1]
    pages = 0
    for path in pdfs:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages[:4]:
                assert unique_chars(page.chars, 1.0) == dedupe_chars(page.chars, 1.0), (path.name, page.page_number)
                pages += 1
    assert pages >= 10


def test_unique_chars_keeps_the_first_of_a_double_and_letters_apart():
    chars = [_char("民", 10.4, 5), _char("民", 10, 5), _char("民", 40, 5), _char("民", 10, 5, font="F2")]
    assert unique_chars(chars, 1.0) == [chars[1], chars[2], chars[3]]


def test_group_lines_by_centre_in_reading_order():
    second, first = word("ABC", 0, 30), word("XY", 50, 10)
    nudged = glyph("Z", 80, 12)  # a little low, still on the first line
    turned = glyph("民", 0, 10, rotated=True)
    lines = group_lines([*second, nudged, *first, turned])
    assert [line.text for line in lines] == ["XY Z", "ABC"]
    assert (lines[0].x0, lines[0].x1, lines[0].top, lines[0].bottom) == (50, 90, 10, 22)


def test_cjk_text_joins_without_spaces_and_latin_words_keep_theirs():
    """A gap between CJK letters (a wrapped or spread-out cell) is no word break."""
    (line,) = group_lines([*word("市民", 0, 0), *word("計畫", 40, 0), *word("AB", 70, 0), *word("CD", 95, 0)])
    assert line.text == "市民計畫AB CD"


def test_split_runs_at_gutters_wider_than_a_letter():
    (line,) = group_lines([*word("AC1.1", 0, 0), *word("88%", 85, 0), *word("90%", 130, 0)])
    assert [run.text for run in split_runs(line)] == ["AC1.1", "88%", "90%"]
    assert [run.text for run in split_runs(line, gap=3.0)] == ["AC1.1", "88% 90%"]


def test_covered_names_rules_over_most_of_a_span():
    rules = [Rule(10, 0, 100), Rule(20, 0, 50), Rule(30, 40, 100), Rule(10.02, 0, 100)]
    assert covered(rules, 0, 100) == [10.0, 30.0]
    assert covered(rules, 0, 100, share=0.5) == [10.0, 20.0, 30.0]


def test_a_row_fill_drawn_as_a_path_bounds_a_fill_not_a_rule(tmp_path):
    """A zebra row filled as a path (not stroked, as PyMuPDF draws it) says nothing of merged
    cells: its edges are fill edges. A stroked path and a thin filled one are drawn rules."""
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "fills.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(400, 300))
    fill = c.beginPath()
    # A point mid-edge makes it a path (a curve), not a rectangle, as PyMuPDF's fills read.
    fill.moveTo(30, 200), fill.lineTo(200, 200), fill.lineTo(370, 200), fill.lineTo(370, 180), fill.lineTo(30, 180)
    fill.close()
    c.drawPath(fill, stroke=0, fill=1)
    line = c.beginPath()
    line.moveTo(30, 100), line.lineTo(200, 100), line.lineTo(370, 100), line.lineTo(370, 99.5), line.lineTo(30, 99.5)
    line.close()
    c.drawPath(line, stroke=0, fill=1)
    box = c.beginPath()
    box.moveTo(30, 60), box.lineTo(200, 60), box.lineTo(370, 60), box.lineTo(370, 40), box.lineTo(30, 40)
    box.close()
    c.drawPath(box, stroke=1, fill=0)
    c.save()
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages[0].curves) == 3
        rules = page_rules(doc.pages[0])
    fills = sorted(round(r.pos) for r in rules.horizontal if r.fill)
    drawn = sorted(round(r.pos) for r in rules.drawn)
    assert fills == [100, 120] and drawn == [200, 240, 260]


def test_a_letter_s_outline_drawn_over_it_is_no_rule(tmp_path):
    """Re-printed through cairo, text set bold by stroking comes out as the text plus its outline
    drawn as paths: the outline's strokes lie inside the letters' boxes and make no rule, though
    they line up down a label of two lines; a rule as short, away from the text, stays."""
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "outlined.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(400, 300))
    c.setFont("Helvetica", 20)
    for baseline in (200, 180):
        c.drawString(100, baseline, "H")
        stroke = c.beginPath()
        stroke.moveTo(103, baseline), stroke.lineTo(103, baseline + 7), stroke.lineTo(103, baseline + 14)
        c.drawPath(stroke, stroke=1, fill=0)
        c.rect(102, baseline, 2, 14, stroke=1, fill=0)
    c.line(300, 180, 300, 214)
    c.save()
    with pdfplumber.open(pdf) as doc:
        rules = page_rules(doc.pages[0])
    assert [round(r.pos) for r in rules.vertical] == [300]


def test_a_fill_painted_behind_a_run_of_text_is_no_cell_edge(tmp_path):
    """AbiWord and Qt paint a shaded cell's colour again behind each run of its text, edge to
    edge with it (a trailing space included) and a line high, the leading above and below it or
    all above it: those fills' edges are the text's and bound nothing. The cell's own fill, with
    room around its text, still bounds a fill."""
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "run-fills.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(400, 300))
    c.setFillColorRGB(0.9, 0.9, 0.95)
    c.rect(40, 180, 200, 30, stroke=0, fill=1)  # the cell: 40..240, text inset 10 pt
    width = c.stringWidth("AC1.1.1 ", "Helvetica", 10)
    c.rect(50, 188, width, 12, stroke=0, fill=1)  # the run's background, 1 pt above and below
    c.rect(50, 146, width, 16, stroke=0, fill=1)  # a line's height behind it: 3 pt above and below
    c.rect(50, 108.1, width, 15.8, stroke=0, fill=1)  # Qt: the leading all above, 5.5 pt, 0.3 pt below
    c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica", 10)
    c.drawString(50, 190.5, "AC1.1.1 ")
    c.drawString(50, 150.5, "AC1.1.1 ")
    c.drawString(50, 110.5, "AC1.1.1 ")
    c.save()
    with pdfplumber.open(pdf) as doc:
        rules = page_rules(doc.pages[0])
    assert sorted(round(r.pos) for r in rules.vertical if r.fill) == [40, 240]


def test_a_fake_bold_copy_whose_size_differs_in_the_last_digits_is_one_glyph():
    """pdfminer sizes a turned glyph by its advance: a fake-bold copy drawn 0.3 pt on reads
    13.8168 pt where the first reads 13.8172."""
    chars = [_char("精", 14.76, 585.22, size=13.8172), _char("精", 14.76, 585.55, size=13.8168)]
    assert unique_chars(chars, 1.0) == [chars[0]]


def _hung_char(text: str, x0: float, baseline: float, descent: float, size: float = 8.0) -> dict:
    """A pdfplumber char on a page 540 pt high whose font declares `descent` (em, negative below
    the baseline): pdfminer hangs its box from the baseline by that much."""
    y0 = baseline + descent * size
    return {
        "text": text,
        "x0": x0,
        "x1": x0 + size,
        "y0": y0,
        "top": 540 - y0 - size,
        "bottom": 540 - y0,
        "doctop": 540 - y0 - size,
        "size": size,
        "fontname": "F",
        "upright": True,
        "matrix": (size, 0.0, 0.0, size, x0, baseline),
    }


def test_a_glyph_box_hung_by_a_wrong_font_descent_is_hung_by_the_usual_one():
    """cairo re-embedding a CJK font declares a descent of about an em: pdfminer's box then lies
    wholly below the baseline, an em off the rules. Such a box is set as the usual descent sets
    it; a descent fonts do declare (0, -0.12, -0.3 em) is kept."""
    chars = [
        _hung_char("構", 10, 466.44, -1.046),
        _hung_char("面", 30, 466.44, -0.12),
        _hung_char("值", 50, 466.44, 0.0),
    ]
    wrong, usual, zero = page_glyphs(SimpleNamespace(chars=chars))
    assert (usual.top, usual.bottom) == (chars[1]["top"], chars[1]["bottom"])
    assert (zero.top, zero.bottom) == (chars[2]["top"], chars[2]["bottom"])
    assert wrong.top == pytest.approx(usual.top) and wrong.bottom == pytest.approx(usual.bottom)


def test_a_page_is_read_in_the_frame_of_its_crop_box(tmp_path):
    """A slide printed within a larger sheet (its CropBox inside the MediaBox): positions, page
    size and so the page margins are the slide's, as a viewer shows it."""
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "cropped.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(920, 555))
    c.setCropBox((120, 60, 840, 465))
    c.setFont("Helvetica", 10)
    c.drawString(130, 70, "5")
    c.line(120, 400, 840, 400)
    c.save()
    with pdfplumber.open(pdf) as doc:
        geometry = page_geometry(doc.pages[0])
    assert (geometry.width, geometry.height) == (720, 405)
    (number,) = geometry.glyphs
    assert number.x0 == pytest.approx(10) and 405 - 20 < number.bottom < 405 - 5
    assert [round(r.pos) for r in geometry.rules.horizontal] == [65]


def test_a_sheet_whose_media_box_starts_off_the_origin_is_read_in_its_crop_box_s_frame():
    """PyMuPDF re-prints a 720 x 405 slide on a sheet with MediaBox [-36 -36 756 441] and CropBox
    [0 36 720 441]. pdfplumber gives the boxes as (-36, 36, 756, 513) and (0, 36, 720, 441), top
    down from PDF space's origin, and the slide's title at (25.5, 95.4) in that frame: 59.4 pt
    under the crop's top edge (at 36), where a viewer shows it."""
    page = SimpleNamespace(cropbox=(0, 36, 720, 441), bbox=(-36, 36, 756, 513))
    title = glyph("策", 25.5, 95.4)
    shown = _within_crop_box(page, PageGeometry([title], Rules([Rule(120, 0, 720)], []), 792, 477))
    assert (shown.width, shown.height) == (720, 405)
    assert (shown.glyphs[0].x0, shown.glyphs[0].top) == pytest.approx((25.5, 59.4))
    assert [r.pos for r in shown.rules.horizontal] == pytest.approx([84])


def test_a_line_drawn_cell_by_cell_keeps_where_its_pieces_meet(tmp_path):
    """pdfmake and xhtml2pdf draw each header cell's border on its own: the pieces of one line
    meet at the cells' edges, which the merged rule keeps as joints. Overlapping pieces and a
    fill's outline, a path with a point anywhere along its edge, have none."""
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "pieces.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(400, 300))
    for x0, x1 in ((30, 140), (140, 250), (250, 370)):
        c.line(x0, 250, x1, 250)
    c.line(30, 200, 200, 200), c.line(150, 200, 370, 200)
    fill = c.beginPath()
    fill.moveTo(30, 120), fill.lineTo(200, 120), fill.lineTo(370, 120), fill.lineTo(370, 100), fill.lineTo(30, 100)
    fill.close()
    c.drawPath(fill, stroke=0, fill=1)
    c.save()
    with pdfplumber.open(pdf) as doc:
        rules = page_rules(doc.pages[0])
    joints = {round(r.pos): [round(j) for j in r.joints] for r in rules.horizontal}
    assert joints == {50: [140, 250], 100: [], 180: [], 200: []}


def test_a_rule_turned_or_moved_with_its_page_keeps_its_joints_in_step():
    rule = Rule(50, 30, 370, joints=(140, 250))
    assert rule.mapped(60, shift=5) == Rule(60, 35, 375, joints=(145, 255))
    assert rule.mapped(50, flip=400) == Rule(50, 30, 370, joints=(150, 260))
