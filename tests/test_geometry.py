"""Page geometry: pdfplumber's characters deduplicated, glyphs grouped into lines and runs, a page
read in the frame it is shown in."""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

import pdfplumber
import pytest
from glyphs import glyph, word
from pdfplumber.utils import dedupe_chars

from pipeline.extract.geometry import (
    Glyph,
    Line,
    PageGeometry,
    _within_crop_box,
    drop_out_of_scale,
    group_lines,
    near_the_page,
    page_geometry,
    page_glyphs,
    split_at_rules,
    split_runs,
    unique_chars,
)
from pipeline.extract.rules import Rule, Rules

FIXTURES = Path(__file__).parent / "corpus"


def _char(text: str, x0: float, top: float, font: str = "F1", size: float = 10.0, upright: bool = True) -> dict:
    return {"text": text, "x0": x0, "doctop": top, "fontname": font, "size": size, "upright": upright, "width": 1.0}


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


def test_a_copy_of_a_glyph_less_than_half_its_width_along_its_line_is_a_ghost():
    """LibreOffice Draw re-prints a fake-bold title (its text painted twice) in wider Latin
    letters, so the copies drift apart along the line ('A' 4.3 pt from its copy at 14 pt): one
    glyph, not two. The same letter a whole glyph along is a letter of its own ('強強')."""
    chars = [
        {**_char("A", 113.4, 30), "width": 9.6},
        {**_char("A", 117.7, 30), "width": 9.6},
        {**_char("強", 140.3, 30), "width": 14.0},
        {**_char("強", 154.3, 30), "width": 14.0},
    ]
    assert unique_chars(chars, 1.0) == [chars[0], chars[2], chars[3]]


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


def test_a_glyph_between_two_close_lines_joins_the_nearer():
    """A header label wrapped '實際值(107' / '年)', its ')' in a Latin face whose box hangs lower
    than the CJK '年' beside it, under a line of labels centred half an em higher: gathered top to
    bottom, ')' would join that line (close enough to it), though it stands nearer '年'."""
    middle = word("策略性目標", 0, 10, size=8)
    low = [glyph("年", 100, 14.4, size=8), glyph(")", 108, 12.8, size=8)]
    lines = group_lines([*middle, *low])
    assert [line.text for line in lines] == ["策略性目標", "年)"]


def test_cjk_text_joins_without_spaces_and_latin_words_keep_theirs():
    """A gap between CJK letters (a wrapped or spread-out cell) is no word break."""
    (line,) = group_lines([*word("市民", 0, 0), *word("計畫", 40, 0), *word("AB", 70, 0), *word("CD", 95, 0)])
    assert line.text == "市民計畫AB CD"


def test_split_runs_at_gutters_wider_than_a_letter():
    (line,) = group_lines([*word("AC1.1", 0, 0), *word("88%", 85, 0), *word("90%", 130, 0)])
    assert [run.text for run in split_runs(line)] == ["AC1.1", "88%", "90%"]
    assert [run.text for run in split_runs(line, gap=3.0)] == ["AC1.1", "88% 90%"]


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
        "width": size,
        "y0": y0,
        "top": 540 - y0 - size,
        "bottom": 540 - y0,
        "doctop": 540 - y0 - size,
        "size": size,
        "fontname": "F",
        "upright": True,
        "adv": size,
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
    wrong, usual, zero = page_glyphs(SimpleNamespace(chars=chars, bbox=(0, 0, 960, 540)))
    assert (usual.top, usual.bottom) == (chars[1]["top"], chars[1]["bottom"])
    assert (zero.top, zero.bottom) == (chars[2]["top"], chars[2]["bottom"])
    assert wrong.top == pytest.approx(usual.top) and wrong.bottom == pytest.approx(usual.bottom)


def _upside_down_char(text: str, x1: float, baseline: float, descent: float, size: float = 8.0) -> dict:
    """A pdfplumber char drawn upside down (a page printed a half turn round) whose font declares
    `descent`: pdfminer hangs its box above the baseline by that much, its feet up."""
    y1 = baseline - descent * size
    boxed = _hung_char(text, x1 - size, y1 - size, 0.0, size)  # its box from y1 - size up to y1
    return {**boxed, "matrix": (-size, 0.0, 0.0, -size, x1, baseline)}


def test_an_upside_down_glyph_box_hung_by_a_wrong_font_descent_is_hung_by_the_usual_one():
    """A page whose text is drawn upside down in fonts that declare a descent over an em
    (matplotlib's Type 3 fonts, printed a half turn round): each box lies wholly above its
    baseline, and is set as the usual descent sets it, its feet up; a usual one is kept."""
    chars = [_upside_down_char("構", 100, 300, -1.2), _upside_down_char("面", 92, 300, -0.12)]
    wrong, usual = page_glyphs(SimpleNamespace(chars=chars, bbox=(0, 0, 960, 540)))
    assert (usual.top, usual.bottom) == (chars[1]["top"], chars[1]["bottom"])
    assert wrong.top == pytest.approx(usual.top) and wrong.bottom == pytest.approx(usual.bottom)
    assert wrong.top != pytest.approx(chars[0]["top"])


def _turned_char(text: str, baseline: float, along: float, descent: float, size: float = 8.0) -> dict:
    """A pdfplumber char turned a quarter (its top pointing left, reading upward), whose font
    declares `descent`: pdfminer hangs its box right of the baseline by that much."""
    x1 = baseline - descent * size
    return {
        "text": text,
        "x0": x1 - size,
        "x1": x1,
        "y0": along,
        "top": 540 - along - size,
        "bottom": 540 - along,
        "doctop": 540 - along - size,
        "size": size,
        "fontname": "F",
        "upright": False,
        "adv": size,
        "matrix": (0.0, 1.0, -1.0, 0.0, baseline, along),
    }


def test_a_turned_glyph_box_hung_by_a_wrong_font_descent_is_hung_by_the_usual_one():
    """matplotlib's Type 3 fonts on a slide printed sideways: Noto's '策' declares a descent over
    an em, DejaVu's '1' 0.46 em, on one baseline. Each box is set as the usual descent sets it, so
    the two stand level once the page turns upright; a descent fonts do declare is kept."""
    chars = [
        _turned_char("策", 75.47, 100, -1.05),
        _turned_char("1", 75.47, 120, -0.46),
        _turned_char("面", 75.47, 140, -0.12),
    ]
    noto, dejavu, usual = page_glyphs(SimpleNamespace(chars=chars, bbox=(0, 0, 960, 540)))
    assert (usual.x0, usual.x1) == (chars[2]["x0"], chars[2]["x1"])
    for wrong in (noto, dejavu):
        assert wrong.x0 == pytest.approx(usual.x0) and wrong.x1 == pytest.approx(usual.x1)
    # On a sheet whose MediaBox starts at x = -36, pdfplumber sets the boxes 36 pt left of the matrix.
    sheet = [{**ch, "x0": ch["x0"] - 36, "x1": ch["x1"] - 36} for ch in chars]
    noto, _, usual = page_glyphs(SimpleNamespace(chars=sheet, bbox=(-36, 36, 996, 648)))
    assert (usual.x0, usual.x1) == (sheet[2]["x0"], sheet[2]["x1"])
    assert noto.x0 == pytest.approx(usual.x0)


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
    boxes = SimpleNamespace(mediabox=[-36, -36, 756, 441], cropbox=[0, 36, 720, 441])  # PDF space
    page = SimpleNamespace(
        page_obj=boxes, rotation=0, mediabox=(-36, 36, 756, 513), height=477, bbox=(-36, 36, 756, 513)
    )
    title = glyph("策", 25.5, 95.4)
    shown = _within_crop_box(page, PageGeometry([title], Rules([Rule(120, 0, 720)], []), 792, 477))
    assert (shown.width, shown.height) == (720, 405)
    assert (shown.glyphs[0].x0, shown.glyphs[0].top) == pytest.approx((25.5, 59.4))
    assert [r.pos for r in shown.rules.horizontal] == pytest.approx([84])


def test_a_run_is_cut_where_a_cell_border_crossing_it_stands_in_a_space():
    """Header labels set close in narrow cells ('權' / '實際值(' 5.7 pt apart, a border between):
    two cells' text. A border through a glyph or between glyphs set tight cuts nothing, nor does
    a rule that does not cross the line (a footnote under the table)."""
    (line,) = group_lines([*word("權", 204.9, 64, size=9), *word("實際值(", 218.4, 64, size=9)])
    border = Rule(216.0, 62, 206.7)
    assert [run.text for run in split_at_rules(line, [border])] == ["權", "實際值("]
    assert [run.text for run in split_at_rules(line, [Rule(216.0, 80, 206.7)])] == ["權實際值("]
    (tight,) = group_lines(word("實際值", 218.4, 64, size=9))
    assert [run.text for run in split_at_rules(tight, [Rule(227.4, 62, 206.7)])] == ["實際值"]


def test_a_border_crossing_the_height_two_glyphs_share_cuts_them_apart():
    """SpreadJS centres each header label in its cell: '策略目' (top 85.4) stands half a line
    below its neighbour 'KPI(關鍵' (top 79.4), whose three lines run up past the header's top
    rule at 82.5. Read as one line, the two are cut at the border between them, which crosses
    the height they share though not the line's whole height. A border that stops short of that
    height cuts nothing."""
    line = Line((*word("策略目", 97.3, 85.4, size=12), *word("KPI(關鍵", 140.4, 79.4, size=12)))
    assert [run.text for run in split_at_rules(line, [Rule(137.0, 82.5, 260.3)])] == ["策略目", "KPI(關鍵"]
    assert [run.text for run in split_at_rules(line, [Rule(137.0, 94.0, 260.3)])] == ["策略目KPI(關鍵"]


def test_a_glyph_given_no_advance_reads_before_the_one_drawn_over_it():
    """pdftocairo gave '督' an advance of 0.19 pt: '寺' starts where it does. By their middles the
    line still reads '監督寺'."""
    from pipeline.extract.geometry import Glyph

    glyphs = [
        Glyph("監", 647.88, 656.87, 491.9, 500.9, 9.0, False),
        Glyph("督", 656.679, 656.87, 491.9, 500.9, 9.0, False),
        Glyph("寺", 656.675, 665.67, 491.9, 500.9, 9.0, False),
    ]
    (line,) = group_lines(glyphs)
    assert line.text == "監督寺"


def test_glyphs_far_larger_or_smaller_than_the_text_are_left_out_of_tables():
    """A stamp three times the text's size and TCPDF's hidden 'Powered by TCPDF' link, set at
    1 pt under 7 pt text (0.7 pt on a handout page), are no table's text; a footnote mark at
    two thirds of the size is."""
    text = word("AC1.1出席率95%", 50, 100, size=7)
    mark = word("1", 150, 100, size=4.5)
    stamp = word("內部資料", 50, 200, size=24)
    hidden = word("Powered by TCPDF", 50, 300, size=1)
    kept = drop_out_of_scale([*text, *mark, *stamp, *hidden])
    assert kept == [*text, *mark]


def test_text_set_far_off_the_page_is_left_out_and_text_running_on_past_its_edge_is_kept():
    """A table overflowing its slide runs on below the page's foot line after line: its text is
    its cells'. A running header a layout engine placed 2,000 pt above the page, and a no-wrap
    cell's '20%' set 20,000 pt to its right, are no one's."""
    on_page = word("AF1.1.1計畫", 500, 520, size=10)
    overflow = [*word("實施計畫", 500, 545, size=10), *word("AF1.1.2要點", 500, 562, size=10)]
    header = word("新北市新莊區公所", 28, -2297, size=7)
    weight = word("20%", 20317, 91, size=11)
    badge = word("新莊", 784, 40979, size=11)
    glyphs = [*on_page, *header, *overflow, *weight, *badge]
    assert near_the_page(glyphs, 842, 540) == [*on_page, *overflow]
    assert near_the_page(on_page, 842, 540) == on_page


def test_letters_set_apart_by_spaces_are_drawn_one_right_after_the_other():
    """Flying Saucer breaks lines only at spaces, so CJK text is printed with a space after every
    letter ('滿 意 度'): the spaces draw nothing and take no place in the drawing order."""
    chars = [_hung_char(ch, 100 + 13 * i, 300, -0.12, size=10) for i, ch in enumerate("滿 意 度")]
    glyphs = page_glyphs(SimpleNamespace(chars=chars, bbox=(0, 0, 960, 540)))
    letters = [g for g in glyphs if not g.text.isspace()]
    assert [g.seq for g in letters] == [0, 1, 2]
    assert all(g.seq == -1 for g in glyphs if g.text.isspace())


def test_a_space_takes_no_place_in_the_drawing_order_but_a_tab_does():
    """Letters set letter-spaced with spaces are drawn one right after the other; Calligra opens
    each cell's text with a tab, so the last letter of one cell and the first of the next, set
    close across a column edge, are not one run."""
    text = ["民", " ", "眾", "計", "\t", "換"]
    chars = [_hung_char(t, 10 + 20 * n, 100, -0.12) for n, t in enumerate(text)]
    seqs = {g.text: g.seq for g in page_glyphs(SimpleNamespace(chars=chars, bbox=(0, 0, 960, 540)))}
    assert seqs["眾"] - seqs["民"] == 1
    assert seqs["換"] - seqs["計"] == 2


def test_text_set_oblique_on_an_upright_baseline_is_upright_text_and_slanted_text_is_not():
    """Aspose.Words sets Word's bold italic heading in a CJK face with no italic by shearing the
    text matrix (c = 0.35): '臺中市政府文化局策略地圖（113.02.25）' is a line of text, its date
    the map's. A diagonal watermark's letters (turned 45°) are not read."""
    size = 16.0
    title = [_hung_char(ch, 36 + 16 * i, 300, -0.12, size=size) for i, ch in enumerate("策略地圖")]
    oblique = [{**ch, "matrix": (size, 0.0, 0.35 * size, size, ch["x0"], 300)} for ch in title]
    turned = [{**ch, "matrix": (0.7 * size, 0.7 * size, -0.7 * size, 0.7 * size, ch["x0"], 300)} for ch in title]
    glyphs = page_glyphs(SimpleNamespace(chars=[*oblique, *turned], bbox=(0, 0, 960, 540)))
    assert [g.text for g in glyphs] == list("策略地圖")
    assert not any(g.rotated for g in glyphs)


def test_text_set_oblique_and_printed_sideways_is_quarter_turned_text():
    """The same oblique heading on a slide printed a quarter turned on portrait paper: its text
    matrix turned too, (0, 1, -1, 0.35), sheared along its baseline running up the page. It is
    turned text, read upright with the page (the map's date in it), not dropped as slanted."""
    size = 16.0
    title = [_hung_char(ch, 83.2, 731 - 16 * i, -0.12, size=size) for i, ch in enumerate("策略地圖")]
    sideways = [{**ch, "matrix": (0.0, size, -size, 0.35 * size, 97.1, 90 + 16 * i)} for i, ch in enumerate(title)]
    glyphs = page_glyphs(SimpleNamespace(chars=sideways, bbox=(0, 0, 595, 842)))
    assert [g.text for g in glyphs] == list("策略地圖")
    assert all(g.rotated and g.upward for g in glyphs)


def test_glyphs_set_on_one_spot_read_in_the_order_they_were_drawn():
    """A re-print through cairo gives TCPDF's '（' and '）', drawn with no advance at the origins
    of 'A' and '推', a full width: '（' starts where 'A' does, its middle past A's. Glyphs set on
    one spot read as drawn ('（A）推'); elsewhere middles still order a line."""
    drawn = [
        ("（", 103.3, 118.3),
        ("A", 103.3, 112.9),
        ("）", 113.3, 128.3),
        ("推", 113.3, 128.3),
        ("動", 128.3, 143.3),
    ]
    glyphs = [Glyph(t, x0, x1, 31.6, 46.6, 15.0, False, seq=seq) for seq, (t, x0, x1) in enumerate(drawn)]
    (line,) = group_lines(reversed(glyphs))
    assert line.text == "（A）推動"
    (line,) = group_lines(
        [Glyph("B", 10.0, 30.0, 0, 15, 15.0, False, seq=1), Glyph("a", 12.0, 16.0, 0, 15, 15.0, False, seq=0)]
    )
    assert line.text == "aB", "no shared spot: by middles"
