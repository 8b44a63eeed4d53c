"""Labels set in quarter-turned text, read in their own direction."""

from __future__ import annotations

from glyphs import column, glyph, word

from pipeline.extract.layout import Column, Role
from pipeline.extract.turned import snap_turned_labels, turned_labels


def _texts(glyphs) -> list[str]:
    return [label.text for label in turned_labels(glyphs)]


def test_a_label_reads_top_to_bottom():
    assert _texts(column("顧客構面", 10, 0)) == ["顧客構面"]


def test_a_label_turned_the_other_way_reads_bottom_to_top():
    assert _texts(column("財務構面", 10, 0, upward=True)) == ["財務構面"]


def test_two_labels_down_one_column_are_two_labels():
    assert _texts([*column("顧客", 10, 0), *column("財務", 10, 100)]) == ["顧客", "財務"]


def test_a_label_wrapped_over_two_turned_lines_side_by_side():
    """Turned downward, lines follow right to left; the second line is shorter."""
    glyphs = [*column("內部流", 30, 0), *column("程構面", 18, 0)]
    assert _texts(glyphs) == ["內部流程構面"]


def test_a_spaced_out_label_is_joined_but_a_new_perspective_is_not():
    spaced = [glyph(ch, 10, i * 16, rotated=True) for i, ch in enumerate("學習成長")]
    assert _texts(spaced) == ["學習成長"]
    stacked = column("顧客構面財務構面", 10, 0)
    assert _texts(stacked) == ["顧客構面", "財務構面"]


def test_upright_glyphs_are_no_label():
    assert _texts([glyph("顧", 10, 0), glyph("客", 10, 10)]) == []


def test_two_overhanging_labels_interleaved_in_one_column_are_read_apart():
    """Each label centred on a row shorter than it (a browser rotating text after layout): the
    second starts before the first ends, their letters alternating down the column."""
    first = column("內部流程構面", 10, 0, upward=True)
    second = column("學習成長構面", 10, 24, upward=True)  # its letters half over the first's
    assert sorted(_texts([*first, *second])) == ["內部流程構面", "學習成長構面"]


def test_two_whole_labels_side_by_side_are_not_one_wrapped_label():
    """Two one-row blocks' labels, each overhanging its row, overlap in height in neighbouring
    columns; a wrapped label's lines do too, but only together spell one name."""
    glyphs = [*column("顧客構面", 10, 0, upward=True), *column("內部流程構面", 20, 25, upward=True)]
    assert _texts(glyphs) == ["顧客構面", "內部流程構面"]


def test_a_wrapped_label_set_with_a_word_processor_s_loose_line_pitch():
    """Word-processor line spacing for CJK fonts puts a wrapped label's turned lines 1.6–1.9 em apart."""
    glyphs = [*column("內部流程", 30, 0, upward=True), *column("構面", 47, 10, upward=True)]
    assert _texts(glyphs) == ["內部流程構面"]


def test_of_two_letters_printed_over_each_other_the_closer_follower_continues_the_strand():
    """The next label's first letter lies almost exactly over this label's last one, a fraction
    of a point apart; the one that follows the strand without a gap continues it."""
    first = column("顧客構面", 10, 0.5, upward=True)  # its first letter 顧 at 30.5..40.5
    second = column("內部流程構面", 10, 30.3, upward=True)  # its last letter 面 at 30.3..40.3
    assert sorted(_texts([*first, *second])) == ["內部流程構面", "顧客構面"]


def test_a_turned_perspective_painted_over_the_next_column_goes_into_the_empty_perspective_column():
    """Apache POI paints a turned '顧客構面' 25 pt right of its 構面 column (0-40), over the
    策略目標 column's text. The 構面 column holds nothing else, so the label is its; a turned name
    that is not a 構面 name stays where it is."""
    perspective, objective = Column(Role.PERSPECTIVE, 0, 40), Column(Role.OBJECTIVE, 40, 120)
    kpi = Column(Role.KPI, 120, 300)
    glyphs = [*column("顧客構面", 65, 20), *column("提升效能", 100, 20), *word("AC1名稱", 125, 30)]
    snapped = snap_turned_labels(glyphs, (perspective, objective, kpi))
    assert "".join(g.text for g in snapped if perspective.holds(g)) == "顧客構面"
    assert "".join(g.text for g in snapped if objective.holds(g)) == "提升效能"
    taken = [*word("財務", 5, 20), *glyphs]
    assert not any(perspective.holds(g) for g in snap_turned_labels(taken, (perspective, objective, kpi)) if g.rotated)


def test_a_long_turned_perspective_painted_over_the_next_column_goes_into_its_column_beside_others():
    """Apache POI paints a turned label the further off its cell the longer it is: '顧客構面'
    stays in its 構面 column, '學習成長構面' below it lands 22 pt into the 策略目標 column. No text
    of the 構面 column stands level with it, so it is that column's label."""
    perspective, objective = Column(Role.PERSPECTIVE, 43, 82), Column(Role.OBJECTIVE, 82, 218)
    kpi = Column(Role.KPI, 218, 388)
    glyphs = [*column("顧客構面", 65, 103), *column("學習成長構面", 99, 215), *word("AL2培育", 150, 238)]
    snapped = snap_turned_labels(glyphs, (perspective, objective, kpi))
    assert [label.text for label in turned_labels([g for g in snapped if perspective.holds(g)])] == [
        "顧客構面",
        "學習成長構面",
    ]


def test_a_turned_row_number_in_a_column_of_its_own_stays_there():
    """Java2D turns the first column's text, here a 編號 column before the 構面 one: a turned '2'
    beside the upright '內部流程構面' is the row's number, not a label overhanging into 構面. A
    turned objective's letters off its column still go into it."""
    numbering, perspective = Column(Role.EXTRA, 0, 30), Column(Role.PERSPECTIVE, 30, 60)
    objective, kpi = Column(Role.OBJECTIVE, 60, 140), Column(Role.KPI, 140, 300)
    glyphs = [*column("2", 22, 40), *word("內部", 35, 40), *column("AP1提升", 136, 40)]  # centred 1 pt past 140
    snapped = snap_turned_labels(glyphs, (numbering, perspective, objective, kpi))
    assert [g.text for g in snapped if perspective.holds(g)] == ["內", "部"]
    assert "".join(g.text for g in snapped if objective.holds(g)) == "AP1提升"
