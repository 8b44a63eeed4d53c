"""Glyphs read into another cell than the one they stand in move to the cell they belong to."""

from __future__ import annotations

from glyphs import drawn, word

from pipeline.extract.cell_moves import move_comparators_to_their_numbers, move_numbers_over_borders, split_numbers
from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.rules import Rule

TARGET = Column(Role.TARGET, 484, 524, year=111)
NOTES = Column(Role.EXTRA, 524, 595)
LAYOUT = TableLayout((TARGET, NOTES), header_top=40, body_top=80)


def test_the_digit_a_value_runs_past_its_border_moves_to_its_cell_and_a_note_stays():
    """'≧1,260,816' with its '6' past the border at 524: the '6' joins the 目標值 cell's
    glyphs; the 備註 cell keeps its own '新增'."""
    glyphs = drawn(word("≧1,260,816", 485, 175, size=4.2), word("新增", 535, 175, size=4.2))
    by_column = {c: [g for g in glyphs if c.x0 <= g.cx < c.x1] for c in (TARGET, NOTES)}
    move_numbers_over_borders(glyphs, LAYOUT, [Rule(524, 60, 300)], by_column)
    assert "".join(g.text for g in sorted(by_column[TARGET], key=lambda g: g.x0)) == "≧1,260,816"
    assert "".join(g.text for g in by_column[NOTES]) == "新增"


def test_a_value_run_on_past_an_undrawn_edge_into_a_text_column_moves_whole():
    """upLaTeX's '1,392,538' runs past the target/plans edge at 529.5, which no rule draws: its
    '538' joins the target cell, and the plans cell keeps its own lines. Two values set edge to
    edge in two value columns stay apart."""
    target, plans = Column(Role.TARGET, 484, 529.5, year=112), Column(Role.PLANS, 529.5, 700)
    layout = TableLayout((target, plans), header_top=40, body_top=80)
    glyphs = drawn(word("1,392,538", 505, 85, size=4.2), word("AF1.2.1", 547, 85, size=4.2))
    by_column = {c: [g for g in glyphs if c.x0 <= g.cx < c.x1] for c in (target, plans)}
    move_numbers_over_borders(glyphs, layout, [], by_column)
    assert "".join(g.text for g in sorted(by_column[target], key=lambda g: g.x0)) == "1,392,538"
    assert "".join(g.text for g in sorted(by_column[plans], key=lambda g: g.x0)) == "AF1.2.1"
    actual = Column(Role.ACTUAL, 440, 484, year=111)
    layout = TableLayout((actual, target), header_top=40, body_top=80)
    values = drawn(word("94.5%", 463, 85, size=4.2), word("94.2%", 484, 85, size=4.2))
    by_column = {c: [g for g in values if c.x0 <= g.cx < c.x1] for c in (actual, target)}
    move_numbers_over_borders(values, layout, [], by_column)
    assert "".join(g.text for g in sorted(by_column[target], key=lambda g: g.x0)) == "94.2%"


def test_a_comparator_set_tight_after_a_value_goes_to_the_number_it_opens():
    """rinohtype sets '≥1,185,380' tight after '1,207,490': the '≥' stands over the edge at 484
    and is read into the 111 actual; it moves to the target it opens. A '<' inside a note that
    no number follows stays where it is."""
    actual = Column(Role.ACTUAL, 440, 484, year=111)
    layout = TableLayout((actual, TARGET), header_top=40, body_top=80)
    glyphs = drawn(word("1,207,490≥", 444, 85, size=4.2, advance=0.95), word("1,185,380", 484.3, 85, size=4.2))
    by_column = {actual: glyphs[:10], TARGET: glyphs[10:]}
    move_comparators_to_their_numbers(glyphs, layout, by_column)
    assert "".join(g.text for g in by_column[actual]) == "1,207,490"
    assert "".join(g.text for g in sorted(by_column[TARGET], key=lambda g: g.x0)) == "≥1,185,380"
    note = drawn(word("95%<", 441, 95, size=4.2), word("新增", 490, 95, size=4.2))
    by_column = {actual: note[:4], TARGET: note[4:]}
    move_comparators_to_their_numbers(note, layout, by_column)
    assert "".join(g.text for g in by_column[actual]) == "95%<"


def test_a_number_left_in_two_columns_is_reported():
    """upLaTeX: an edge placed at 409.3, through the '1' of '10場' set at the 108 column's left:
    the value reads '0場' and the plan before it '1桃園市…'. Across a drawn border the number is
    the border's to settle; two numbers a word apart are two cells'; a value moved whole into
    its cell is no longer split."""
    plans, a108 = Column(Role.PLANS, 244, 409.3), Column(Role.ACTUAL, 409.3, 442, year=108)

    def split(glyphs, rules=()):
        by_column = {c: [g for g in glyphs if c.x0 <= g.cx < c.x1] for c in (plans, a108)}
        return split_numbers(by_column, list(rules), 76, 200)

    cut = drawn(word("10場", 405.8, 80, size=5.4))
    assert split(cut) == ("1|0",)
    assert split(cut, [Rule(409.3, 60, 200)]) == ()
    assert split(drawn(word("20", 398, 80, size=5.4), word("6件", 411, 80, size=5.4))) == ()
    assert split(drawn(word("10場", 410, 80, size=5.4))) == ()
    # rinohtype's '1,207,734' then '1,200,000' right-aligned edge to edge: two numbers grouped
    # whole, not one cut; a group cut short ('1,207,73|41,…') is one number cut.
    grouped = drawn(word("1,207,734", 364.6, 80, size=5), word("1,200,000", 409.6, 80, size=5))
    assert split(grouped) == ()
    assert split(drawn(word("1,207,73", 369.6, 80, size=5), word("41,200", 409.6, 80, size=5))) == ("3|4",)


def test_a_value_run_on_left_past_an_undrawn_edge_at_a_separator_moves_whole():
    """rinohtype right-aligns '1,215,546元' in a 108 cell too narrow for it, with no rule drawn
    between the columns: its '1' stands in the KPI's column, the next value's '1' over this one's
    '元'. Each number is cut at a separator, so each goes whole to the value cell holding most
    of it; the KPI keeps its name. Two values set close with no separator at the edge stay apart."""
    kpi, actual = Column(Role.KPI, 150, 215.5), Column(Role.ACTUAL, 215.5, 260.8, year=108)
    nxt = Column(Role.ACTUAL, 260.8, 306.1, year=109)
    layout = TableLayout((kpi, actual, nxt), header_top=40, body_top=80)
    glyphs = drawn(
        word("場地租借", 174.7, 85, size=8),
        word("1,215,546元", 210.4, 85, size=4.6),
        word("1,237,354元", 256.3, 85, size=4.6),
    )
    by_column = {c: [g for g in glyphs if c.x0 <= g.ink_cx < c.x1] for c in layout.columns}
    assert "".join(g.text for g in by_column[kpi]).endswith("1")
    move_numbers_over_borders(glyphs, layout, [], by_column)
    texts = ["".join(g.text for g in sorted(by_column[c], key=lambda g: (g.seq, g.x0))) for c in layout.columns]
    assert texts == ["場地租借", "1,215,546元", "1,237,354元"]
    apart = drawn(word("95", 252, 85, size=4.2), word("100", 260.5, 85, size=4.2))
    by_column = {c: [g for g in apart if c.x0 <= g.ink_cx < c.x1] for c in layout.columns}
    move_numbers_over_borders(apart, layout, [], by_column)
    assert ["".join(g.text for g in by_column[c]) for c in layout.columns] == ["", "95", "100"]
