"""Ruling edges: drawn lines, fills and letters' outlines told apart, pieces merged with their
joints kept, rules measured against spans."""

from __future__ import annotations

import pdfplumber

from pipeline.extract.rules import Rule, covered, page_rules


def test_covered_names_rules_over_most_of_a_span():
    rules = [Rule(10, 0, 100), Rule(20, 0, 50), Rule(30, 40, 100), Rule(10.02, 0, 100)]
    assert covered(rules, 0, 100) == [10.0, 30.0]
    assert covered(rules, 0, 100, share=0.5) == [10.0, 20.0, 30.0]
    pieces = [Rule(40, 0, 20), Rule(40, 10, 30), Rule(40, 70, 90)]  # 50 of 100 covered, 10 twice
    assert covered(pieces, 0, 100, share=0.5) == []
    assert covered(pieces, 0, 100, share=0.5, pieced=True) == [40.0]
    assert covered(pieces, 0, 100, share=0.51, pieced=True) == []


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


def test_a_letter_s_outline_poking_out_of_its_box_is_no_rule(tmp_path):
    """The outline of 實's roof, re-printed through cairo, reaches 1.1 pt above the letter's box:
    most of the path lies inside the box, and none of it makes a rule. A path as small away from
    any letter is a rule's piece still."""
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "poking.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(400, 300))
    c.setFont("Helvetica", 20)
    c.drawString(100, 200, "H")
    for x0 in (101, 300):
        roof = c.beginPath()  # a roof outline: mostly at the box's top, its dot poking above it
        roof.moveTo(x0, 208), roof.lineTo(x0, 212), roof.lineTo(x0 + 4, 212), roof.lineTo(x0 + 4, 217.5)
        roof.lineTo(x0 + 5, 217.5), roof.lineTo(x0 + 5, 212), roof.lineTo(x0 + 9, 212), roof.lineTo(x0 + 9, 208)
        roof.lineTo(x0 + 8, 208), roof.lineTo(x0 + 8, 211), roof.lineTo(x0 + 1, 211), roof.lineTo(x0 + 1, 208)
        roof.close()
        c.setLineWidth(0.12)
        c.drawPath(roof, stroke=1, fill=0)
    c.save()
    with pdfplumber.open(pdf) as doc:
        top = doc.pages[0].chars[0]["top"]
        rules = page_rules(doc.pages[0])
    assert top - 1 > 300 - 217.5, "the dot pokes more than the slack above the letter's box"
    positions = [r.pos for r in rules.vertical]
    assert positions and all(p >= 300 for p in positions)


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


def test_a_dotted_line_drawn_dash_by_dash_is_one_rule_without_joints_under_text_too(tmp_path):
    """SpreadJS draws a dotted cell border as 0.75 pt dashes 0.75 pt apart, the header's labels
    set right under it: the dashes meet at no cell's edge, and those a letter's box reaches over
    are no pieces of the letter's outline. A letter's own short strokes, few, still are."""
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "dotted.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(400, 300))
    c.setFont("Helvetica", 10)
    c.drawString(150, 242, "ACTUAL")  # its box from y 240 to 250, up to the line
    x = 30.0
    while x < 370:
        c.line(x, 250, x + 0.75, 250)
        x += 1.5
    c.line(160, 245, 161, 245)  # one short stroke within a letter's box
    c.save()
    with pdfplumber.open(pdf) as doc:
        rules = page_rules(doc.pages[0])
    assert [(round(r.pos), round(r.start), round(r.end), r.joints) for r in rules.horizontal] == [(50, 30, 370, ())]


def _covered_rule(tmp_path, alpha: float, stroke: int, cover_first: bool = False) -> list[tuple[int, int]]:
    """The rule at y 150 (a line from x 30 to 370) where a cell from x 30 to 130 is painted over it."""
    from reportlab.pdfgen import canvas

    pdf = tmp_path / f"cover-{alpha}-{stroke}-{cover_first}.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(400, 300))
    c.setFillColorRGB(0.9, 0.9, 0.95, alpha=alpha)
    if cover_first:
        c.rect(30, 100, 100, 100, stroke=stroke, fill=1)
    c.line(30, 150, 370, 150)
    if not cover_first:
        c.rect(30, 100, 100, 100, stroke=stroke, fill=1)
    c.save()
    with pdfplumber.open(pdf) as doc:
        rules = page_rules(doc.pages[0])
    return sorted((round(r.start), round(r.end)) for r in rules.horizontal if round(r.pos) == 150)


def test_a_rule_a_cell_is_painted_over_shows_only_beside_it(tmp_path):
    """gridExtra draws every cell, then a spanning label's cell over the cells it spans: the rule
    between those rows is painted over, and the label's cell spans them. A cell painted first, or
    a see-through fill without a border, hides nothing; a see-through cell with its border does."""
    assert _covered_rule(tmp_path, alpha=1, stroke=1) == [(130, 370)]
    assert _covered_rule(tmp_path, alpha=1, stroke=0) == [(130, 370)]
    assert _covered_rule(tmp_path, alpha=1, stroke=1, cover_first=True) == [(30, 370)]
    assert _covered_rule(tmp_path, alpha=0.5, stroke=0) == [(30, 370)]
    assert _covered_rule(tmp_path, alpha=0.5, stroke=1) == [(130, 370)]


def test_a_rule_turned_or_moved_with_its_page_keeps_its_joints_in_step():
    rule = Rule(50, 30, 370, joints=(140, 250))
    assert rule.mapped(60, shift=5) == Rule(60, 35, 375, joints=(145, 255))
    assert rule.mapped(50, flip=400) == Rule(50, 30, 370, joints=(150, 260))


def test_a_slanted_or_curved_stroke_of_a_path_is_no_rule(tmp_path):
    """Aspose.Words draws a diagonal watermark's letters and its logo as paths across the table:
    their slanted strokes and their curves (whose chords may stand upright) are no rules; read as
    upright ones, they cut the columns. A stroke upright to within a thin line's width is one."""
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "slanted.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(400, 300))
    letter = c.beginPath()
    letter.moveTo(100, 50), letter.lineTo(160, 110), letter.lineTo(220, 170), letter.lineTo(230, 160)
    letter.close()
    c.drawPath(letter, stroke=1, fill=1)
    bowl = c.beginPath()  # a 'P''s bowl: its chord from top to bottom stands upright
    bowl.moveTo(200, 200), bowl.curveTo(260, 200, 260, 140, 200, 140)
    c.drawPath(bowl, stroke=1, fill=1)
    upright = c.beginPath()
    upright.moveTo(300, 40), upright.lineTo(300.5, 140), upright.lineTo(301, 240)
    c.drawPath(upright, stroke=1, fill=0)
    c.save()
    with pdfplumber.open(pdf) as doc:
        rules = page_rules(doc.pages[0])
    assert [round(r.pos) for r in rules.vertical] == [300]
    assert [(round(r.start), round(r.end)) for r in rules.vertical] == [(60, 260)]


def test_a_path_that_bends_and_slants_gives_no_rules_nor_does_a_segment_ending_where_it_starts(tmp_path):
    """A diagonal watermark's letter, drawn as a path, has curves, slanted strokes and now and then
    a short stroke standing upright (a stroke the turn set so): none of it is a rule, or a column
    edge lands in a value. Nor is the closing 'h' of a path already back at its start (a logo's
    ring), a segment of no length that stood as an upright rule. A rounded cell fill (curved
    corners, straight sides) keeps its sides."""
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "shapes.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(400, 300))
    letter = c.beginPath()
    letter.moveTo(100, 50), letter.curveTo(110, 60, 120, 70, 130, 80), letter.lineTo(130, 100)  # upright piece
    letter.lineTo(160, 130), letter.lineTo(150, 140)  # slanted strokes
    letter.close()
    c.drawPath(letter, stroke=0, fill=1)
    ring = c.beginPath()
    ring.moveTo(250, 200), ring.curveTo(280, 230, 310, 200, 250, 200)
    ring.close()
    c.drawPath(ring, stroke=1, fill=0)
    rounded = c.beginPath()
    rounded.roundRect(30, 200, 150, 60, 6)
    c.drawPath(rounded, stroke=0, fill=1)
    c.save()
    with pdfplumber.open(pdf) as doc:
        rules = page_rules(doc.pages[0])
    assert sorted(round(r.pos) for r in rules.vertical) == [30, 180]
    assert all(r.end - r.start > 40 for r in rules.vertical)


def test_a_broad_pen_s_strokes_and_a_diagonal_line_are_no_rules(tmp_path):
    """Stimulsoft's unlicensed 'Trial' mark is letters stroked with a 20 pt pen over the table: a
    polyline that stands upright for a while and then slants, and straight diagonal lines. pdfplumber
    calls every line that is not flat upright, so each gave a column edge at its left end; none is
    a rule. A thin pen's upright stroke, a border drawn as one path with a slanted piece, stays."""
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "trial.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(400, 300))
    c.setLineWidth(20)
    letter = c.beginPath()
    letter.moveTo(100, 60), letter.lineTo(100, 100), letter.lineTo(103, 117), letter.lineTo(117, 123)
    c.drawPath(letter, stroke=1, fill=0)
    c.line(150, 40, 220, 110)
    c.setLineWidth(1)
    border = c.beginPath()
    border.moveTo(300, 40), border.lineTo(300, 240), border.lineTo(320, 260)
    c.drawPath(border, stroke=1, fill=0)
    c.save()
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages[0].lines) == 1 and len(doc.pages[0].curves) == 2
        rules = page_rules(doc.pages[0])
    assert [round(r.pos) for r in rules.vertical] == [300]
