"""The header band: labels wrapped in cells too narrow for them."""

from __future__ import annotations

from glyphs import word

from pipeline.extract.geometry import Line, group_lines, split_runs
from pipeline.extract.header_band import find_body_top, raised_label_top, stack, stacked_labels
from pipeline.extract.header_roles import classify_run
from pipeline.extract.layout import Role
from pipeline.extract.rules import Rule


def _pieces(*rows: list) -> list:
    return [run for line in group_lines(g for row in rows for g in row) for run in split_runs(line)]


def test_year_labels_wrapped_a_few_letters_a_line_are_read_joined():
    """jsPDF-AutoTable wraps '108年實際值' in a narrow cell as '108' / '年' / '實際' / '值', the
    target's as '111' / '年' / '目標' / '值': no one line names a year column."""
    cells = []
    for i, (year, kind) in enumerate((("108", "實際"), ("111", "目標"))):
        x = 800 + 34 * i
        cells += [word(year, x, 68, size=9, advance=0.5), word("年", x + 3.6, 78.5, size=9)]
        cells += [word(kind, x, 89, size=9), word("值", x + 3.6, 99.5, size=9)]
    labels = stacked_labels(_pieces(*cells))
    assert [(r.role, r.year) for r in labels] == [(Role.ACTUAL, 108), (Role.TARGET, 111)]


def test_a_year_label_wrapped_after_its_kind_is_read_joined():
    """mPDF: '實際' / '值(111年)', where '值(111年)' alone is too long for a bare year label."""
    cells = [word("實際", 450, 60, size=9), word("值(111年)", 445, 71, size=9, advance=0.7)]
    cells += [word("構面", 20, 65, size=9), word("行動計畫", 700, 65, size=9)]
    assert [(r.role, r.year) for r in stacked_labels(_pieces(*cells))] == [(Role.ACTUAL, 111)]


def test_a_label_wrapped_with_a_word_processors_loose_line_spacing_is_read_joined():
    """Aspose.Words sets Noto's tall lines loosely: '實際值(1' / '11年)' 1.1 em apart and '構' /
    '面' 1.2 em apart are one label each. A line a line and a half below is another label's."""
    year = [word("實際值(1", 322, 112.7, size=10, advance=0.8), word("11年)", 330, 133.6, size=10, advance=0.6)]
    assert [(r.role, r.year) for r in stacked_labels(_pieces(*year))] == [(Role.ACTUAL, 111)]
    facet = [word("構", 46.2, 96.5, size=8), word("面", 46.2, 114.2, size=8)]
    assert [(r.role, r.line.text) for r in stacked_labels(_pieces(*facet))] == [(Role.PERSPECTIVE, "構面")]
    apart = [word("實際值(1", 322, 112.7, size=10, advance=0.8), word("11年)", 330, 137.7, size=10, advance=0.6)]
    assert stacked_labels(_pieces(*apart)) == []


def test_short_numbers_of_the_body_stacked_name_nothing():
    values = [word("87", 800, 150, size=9, advance=0.5), word("32", 800, 160, size=9, advance=0.5)]
    assert stacked_labels(_pieces(*values)) == []


def test_a_label_wrapped_word_by_word_is_read_joined():
    """PDF::Table wraps a letter-spaced '關 鍵 績 效 指 標' at a space as '關 鍵 績' / '效 指 標':
    neither line names the KPI column, the two joined do. A label whose first line names its
    column already ('策略目標' / '說明') is read by that line."""
    spaced = [word("關鍵績", 145.6, 72.8, size=9, advance=1.5), word("效指標", 145.6, 84.0, size=9, advance=1.5)]
    assert [(r.role, r.line.text) for r in stacked_labels(_pieces(*spaced))] == [(Role.KPI, "關鍵績效指標")]
    named = [word("策略目標", 40, 72.8, size=9), word("說明", 49, 84.0, size=9)]
    assert stacked_labels(_pieces(*named)) == []


def test_a_value_s_note_set_high_under_a_year_label_is_the_row_s():
    """Aspose.Words centres a four-line note '指標' / '調整' / '不適' / '用' on its row: its
    first line stands a little under the header's rule, under '111年' / '實際' / '值'. It goes on
    no year label (only a kind, 值, a year and brackets do): the body starts at the rule. A
    label's wrapped end, '(關鍵績效指' / '標)', still goes with its label below the rule."""
    year = classify_run(group_lines(word("111年", 336.8, 121.1, size=7))[0])
    kpi = classify_run(group_lines(word("(關鍵績效指", 150, 151.7, size=7))[0])
    rule = [Rule(162.6, 85, 499)]
    note = word("指標", 339.2, 167.6, size=7)
    lines = group_lines([*year.line.glyphs, *kpi.line.glyphs, *note, *word("CC1.1", 175, 174.5, size=7)])
    coded = [ln for ln in lines if ln.text.startswith("CC")]
    assert find_body_top([year, kpi], lines, coded, rule) == 162.6
    end = word("標)", 152, 160.5, size=7)
    lines = group_lines([*year.line.glyphs, *kpi.line.glyphs, *end, *word("CC1.1", 175, 174.5, size=7)])
    assert find_body_top([year, kpi], lines, coded, rule) > 162.6


def test_a_label_s_word_wholly_under_the_header_s_rule_is_the_body_s():
    """LibreOffice Writer breaks a row over the page: its plan's last line, '計畫', is printed
    under the repeated header, wholly under the header's closing rule, beneath '行動計畫'. It
    would complete that label, but a label's wrapped end never lies wholly under the rule that
    closes the header: the body starts at the rule, and the line is the row's."""
    plans = classify_run(group_lines(word("行動計畫", 620, 73.3, size=10.5))[0])
    kpi = classify_run(group_lines(word("關鍵績效指標", 140, 73.3, size=10.5))[0])
    rule = [Rule(89.1, 57, 780)]
    lines = group_lines([*plans.line.glyphs, *kpi.line.glyphs, *word("計畫", 620, 91.1, size=10.5)])
    assert find_body_top([kpi, plans], lines, [], rule) == 89.1
    straddling = group_lines([*plans.line.glyphs, *kpi.line.glyphs, *word("計畫", 620, 87.1, size=10.5)])
    assert find_body_top([kpi, plans], straddling, [], rule) > 89.1, "a label's end run over the rule"


def test_letters_a_line_apart_stack_unless_text_stands_between_them():
    """A label of a letter per line, its letters a blank line apart ('編' / '號'), is one cell;
    a letter over another with a label's text between them, over part of the upper letter, is
    two cells' text."""
    upper, lower = group_lines(word("編", 20, 58, size=8))[0], group_lines(word("號", 20, 78, size=8))[0]
    assert stack([upper, lower]) == [[upper, lower]]
    between = group_lines(word("主辦單位", 26, 67, size=8))[0]  # over 2 pt of '編', 1 pt under it
    assert [len(cell) for cell in stack([upper, between, lower])] == [1, 1, 1]
    far = group_lines(word("號", 20, 90, size=8))[0]  # 3 ems under '編'
    assert stack([upper, far]) == [[upper], [far]]


def test_a_line_begun_within_the_slack_of_a_raised_top_leaves_it_as_it_is():
    """Once the header's top is raised to '序' (77), a line starting half a point above that, with
    nothing above the new top but within its slack, raises nothing further (it was read as a line
    with no runs above and stopped the parse)."""
    near = group_lines([*word("構面", 31, 80, size=8), *word("號", 59, 85, size=8)])
    above = [Line(tuple(word("序", 59, 77, size=8))), Line(tuple(word("項", 20, 76.5, size=8)))]
    assert raised_label_top(80, near, [*above, *near]) == 77
