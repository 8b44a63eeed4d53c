"""Header runs: which column a short run of header text names."""

from __future__ import annotations

import pytest
from glyphs import word

from pipeline.clean.text import squash
from pipeline.extract.geometry import Glyph, group_lines
from pipeline.extract.header_roles import classify_run, is_year_label, split_at_overrun_rules, split_on_roles
from pipeline.extract.layout import Role
from pipeline.extract.rules import Rule


def _role(text: str) -> tuple[Role, int | None] | None:
    (line,) = group_lines(word(text, 0, 0))
    run = classify_run(line)
    return (run.role, run.year) if run else None


@pytest.mark.parametrize(
    "text, role, year",
    [
        ("構面", Role.PERSPECTIVE, None),
        ("內構面", Role.PERSPECTIVE, None),  # a stacked label's first letter beside the header's name
        ("策略性目標", Role.OBJECTIVE, None),
        ("KPI(關鍵績效指標)", Role.KPI, None),
        ("衡量指標", Role.KPI, None),
        ("110年實際值", Role.ACTUAL, 110),
        ("實際值(110年)", Role.ACTUAL, 110),
        ("113年目標值", Role.TARGET, 113),
        ("實際值", Role.ACTUAL_MARK, None),
        ("行動計畫", Role.PLANS, None),
        ("權重", Role.EXTRA, None),
        ("110年", Role.ACTUAL, 110),
        ("值(105年)", Role.ACTUAL, 105),  # '實際' / '值(105年)' wrapped, its kind on the line above (beamer)
        ("目標值(112", Role.TARGET, 112),  # '年)' cut off at the cell's edge (Aspose.PDF)
        ("實際值（109", Role.ACTUAL, 109),
        ("目標值(11", Role.TARGET_MARK, None),  # too little left to tell the year
    ],
)
def test_header_names(text, role, year):
    assert _role(text) == (role, year)


@pytest.mark.parametrize(
    "text", ["顧客構面", "內部流程構面", "AC1.1出席率", "88%", "10 (調整計算方式)", "4,912(計算方式調整)"]
)
def test_body_text_names_no_column(text):
    """A 構面 band row ('顧客構面') is data, not the 構面 column's header; nor is a value whose
    note names something a header could ('10 (調整計算方式)')."""
    assert _role(text) is None


def test_a_year_after_a_label_line_whose_year_stood_above_begins_the_next_cell():
    """LibreOffice wraps pandoc's narrow year cells as '109' / '年實際' / '值' beside '110年' /
    '實際值', a word apart: the middle line reads '年實際 110年 年實際 112年'. A kind after its own
    year's '年' has had its year, so the year set apart after it is the next cell's."""
    (middle,) = group_lines(
        [*word("年實際", 245, 130, 12), *word("110年", 293, 130, 12, 0.65), *word("年實際", 341, 130, 12)]
    )
    assert [p.text for p in split_on_roles(middle)] == ["年實際", "110年", "年實際"]


def test_narrow_cells_year_labels_a_word_apart_are_cut_apart():
    """jsPDF-AutoTable wraps each year label in its narrow cell: the lines across the header read
    '109 110' and '實際 目標', a word apart, one piece per cell. A role name's own words are
    never cut ('策略目標'), nor a label spaced out within its cell."""
    (years,) = group_lines(
        [*word("109", 368.7, 67, size=10, advance=0.6), *word("110", 394.7, 67, size=10, advance=0.6)]
    )
    assert [p.text for p in split_on_roles(years)] == ["109", "110"]
    (kinds,) = group_lines(
        [*word("實際", 282, 93, size=10), *word("實際", 310.7, 93, size=10), *word("目標", 367.8, 93, size=10)]
    )
    assert [p.text for p in split_on_roles(kinds)] == ["實際", "實際", "目標"]
    (names,) = group_lines(word("策略目標", 40, 87, size=10))
    assert [p.text for p in split_on_roles(names)] == ["策略目標"]
    (values,) = group_lines([*_set("值(108年)", 396.8, 441.1), *_set("值(109年)", 451.9, 496.2)])
    assert [p.text for p in split_on_roles(values)] == ["值(108年)", "值(109年)"]
    (kind_spaced,) = group_lines(word("實際值", 300, 60, size=10, advance=1.4))
    assert [p.text for p in split_on_roles(kind_spaced)] == ["實際值"], "'值' after a kind, not a year"
    (letter_spaced,) = group_lines(word("策略目標", 105, 60, size=8, advance=1.3))  # ConTeXt's CJK glue
    assert [p.text for p in split_on_roles(letter_spaced)] == ["策略目標"]
    (spaced,) = group_lines([*word("構", 40, 87, size=10), *word("面", 55, 87, size=10)])
    assert [p.text for p in split_on_roles(spaced)] == ["構面"]


def test_a_year_label_set_a_word_after_another_cell_s_letter_is_cut_from_it():
    """Dompdf wraps a narrow 權重 cell's label as '權' / '重' and sets its '權' 0.95 em before
    '106年實際' (a run's gap): the year begins a cell of its own. A year inside its own label
    ('實際值 (110年)', '目標 110年') stays with it."""
    (weights,) = group_lines([*_set("權", 239.3, 249.3), *_set("106年實際", 258.8, 303.8)])
    assert [p.text for p in split_on_roles(weights)] == ["權", "106年實際"]
    (own,) = group_lines([*_set("實際值(", 200, 240), *_set("110年)", 246, 276)])
    assert len(split_on_roles(own)) == 1
    (spaced,) = group_lines([*_set("目標", 200, 220), *_set("110年", 226, 256)])
    assert len(split_on_roles(spaced)) == 1


def test_a_bare_year_set_a_word_after_another_cell_s_label_is_cut_from_it():
    """pandoc wraps a narrow year cell's label '實際' / '值' / '107' / '年' and the KPI cell's
    'KPI(關' / '鍵績效' / '指標)' beside it: '鍵績效' ends 0.98 em before '107' (a run's gap), and
    the year whose 年 is on the next line begins a cell of its own. Digits going on with a word
    right after them are no bare year."""
    (line,) = group_lines([*_set("鍵績效", 155.8, 191.8), *_set("107", 203.8, 223.9), *_set("108", 241.9, 262.0)])
    assert [p.text for p in split_on_roles(line)] == ["鍵績效", "107", "108"]
    (glued,) = group_lines([*_set("權重", 155.8, 179.8), *_set("20分", 185, 209)])
    assert len(split_on_roles(glued)) == 1


def test_a_year_set_a_column_gap_after_a_whole_kind_begins_the_next_cell():
    """pandoc sets the 108 cell's '實際值' / '108年' beside the narrower 109 cell's '實際' / '值' /
    '109' / '年': the line reads '實際值' and, 1.1 em on, '109' (the digits of two cells run
    together into year 9108). A bracketed year after a whole kind stays with it (see the test
    of text set a word after a year label's end)."""
    (line,) = group_lines([*_set("實際值", 284.5, 320.5), *_set("109", 333.8, 356.6)])
    assert [p.text for p in split_on_roles(line)] == ["實際值", "109"]


def test_bracketed_years_a_word_apart_are_cut_apart():
    """Spire.XLS wraps narrow year cells' '實際值(106年)' as '實際' / '值' / '(106' / '年)': the
    line of bracketed years is four cells' text; so is one after another cell's label."""
    (line,) = group_lines([*_set("(106", 273, 298), *_set("(107", 311, 336), *_set("(108", 349, 375)])
    assert [p.text for p in split_on_roles(line)] == ["(106", "(107", "(108"]
    # pandoc: the KPI cell's wrapped 'KPI(關鍵績效指' ends 12.8 pt (about an em) before '(110'.
    (line,) = group_lines([*_set("KPI(關鍵績效指", 130.6, 211.4), *_set("(110", 224.2, 249.4)])
    assert [p.text for p in split_on_roles(line)] == ["KPI(關鍵績效指", "(110"]


def test_text_set_a_word_after_a_year_label_s_end_is_cut_from_it():
    """Dompdf sets a narrow 權重 cell's '權' / '重' 0.8 em after '114年' / '目標值' (or '目標', its
    '值' wrapped): each begins a cell of its own. A label going on with its bracketed year stays
    whole."""
    (year,) = group_lines([*_set("114年", 767.8, 793.0), *_set("權", 800.6, 809.6)])
    assert [p.text for p in split_on_roles(year)] == ["114年", "權"]
    (kind,) = group_lines([*_set("目標值", 766.9, 793.9), *_set("重", 800.6, 809.6)])
    assert [p.text for p in split_on_roles(kind)] == ["目標值", "重"]
    (wrapped,) = group_lines([*_set("目標", 772.1, 790.1), *_set("重", 799.7, 808.7)])  # its 值 on the next line
    assert [p.text for p in split_on_roles(wrapped)] == ["目標", "重"]
    (whole,) = group_lines([*_set("實際值", 200, 227), *_set("(110年)", 235, 289)])  # 0.8 em apart
    assert len(split_on_roles(whole)) == 1
    # MuPDF's Story wraps '目標值(111年)' after its year: '備' of a 備註 cell stands 1.1 em after '(111'.
    (cut,) = group_lines([*_set("目標值(111", 624.3, 674.3), *_set("備", 685.3, 695.3)])
    assert [p.text for p in split_on_roles(cut)] == ["目標值(111", "備"]
    (spaced,) = group_lines([*_set("目標值(111", 624.3, 674.3), *_set("年)", 680, 693.4)])  # its 年 a word on
    assert len(split_on_roles(spaced)) == 1
    # jsPDF's autotable wraps it inside its year, or before it: '權' stands half an em after '(1' or '('.
    for first, end in (("目標值(1", 671.9), ("目標值(", 673.0)):
        (cut,) = group_lines([*_set(first, 631.9, end), *_set("權", 677.9, 687.9)])
        assert [p.text for p in split_on_roles(cut)] == [first, "權"]


def _set(text: str, x0: float, x1: float) -> list[Glyph]:
    """`text` set edge to edge between x0 and x1 in 10 pt type, on one line."""
    step = (x1 - x0) / len(text)
    return [Glyph(ch, x0 + i * step, x0 + (i + 1) * step, 78.0, 88.0, 10.0, False) for i, ch in enumerate(text)]


def test_a_column_name_set_well_apart_from_another_cell_s_label_is_cut_from_it():
    """react-pdf sets two narrow header cells' first lines 0.96 em apart, '策略性目' (its '標'
    wrapped) and 'KPI(關鍵績效' (its '指標)' wrapped), closer than a gutter: the name begins a cell
    of its own. Words of one label a space apart stay together."""
    (close,) = group_lines([*_set("策略性目", 66.2, 106.2), *_set("KPI(關鍵績效", 115.8, 173.1)])
    assert [p.text for p in split_on_roles(close)] == ["策略性目", "KPI(關鍵績效"]
    (one,) = group_lines([*_set("主要", 66.2, 86.2), *_set("KPI", 89.2, 104.2)])
    assert len(split_on_roles(one)) == 1


def test_year_labels_spaced_before_their_year_sign_are_cut_before_each_year():
    """PDF::Table spaces '106 年' and sets the year cells an em apart ('106 年 107 年 108 年',
    closer than a gutter): each year begins a label of its own, the space before '年' aside."""
    line = [*_set("106 年", 251.4, 288.5), *_set("107 年", 300.4, 337.5), *_set("108 年", 349.3, 386.5)]
    (years,) = group_lines(line)
    assert [squash(p.text) for p in split_on_roles(years)] == ["106年", "107年", "108年"]


def test_year_labels_that_open_with_their_year_are_cut_before_each_year():
    """LibreOffice prints pandoc's '109年 實際值' labels wrapped as '109 年 實際' / '值', the cells
    0.4 em apart on one line: each label opens with its year, so the kind after a year is its
    label's and the next year begins the next. Labels opening with their kind are cut before it."""
    line = [*_set("109年 實際", 541.2, 598.4), *_set("110年 實際", 602.8, 660.0), *_set("112年 目標", 664.3, 721.5)]
    (years_lead,) = group_lines(line)
    assert [squash(p.text) for p in split_on_roles(years_lead)] == ["109年實際", "110年實際", "112年目標"]
    (kinds_lead,) = group_lines([*_set("實際 109年", 541.2, 598.4), *_set("目標 110年", 602.8, 660.0)])
    assert [squash(p.text) for p in split_on_roles(kinds_lead)] == ["實際109年", "目標110年"]


def test_two_labels_set_close_are_cut_where_their_letters_follow_in_no_label():
    """LibreOffice prints pandoc's narrow header cells' first lines 0.8 to 1.1 em apart, closer
    than a gutter: '構 策略' ('構' / '面', '策略' / '性目' / '標') and '關鍵績 備註 衡量方'. Two
    letters set apart that follow each other in no label's words are two cells' text; a label set
    letter-spaced ('策 略 目 標') is one label's."""
    (first,) = group_lines([*_set("構", 74.3, 86.3), *_set("策略", 97.1, 121.1)])
    assert [p.text for p in split_on_roles(first)] == ["構", "策略"]
    (three,) = group_lines([*_set("關鍵績", 137.0, 173.0), *_set("備註", 182.7, 206.7), *_set("衡量方", 216.9, 252.9)])
    assert [p.text for p in split_on_roles(three)] == ["關鍵績", "備註", "衡量方"]
    (spaced,) = group_lines([*_set("策", 74, 84), *_set("略", 95, 105), *_set("目", 116, 126), *_set("標", 137, 147)])
    assert [p.text for p in split_on_roles(spaced)] == ["策略目標"]


def test_a_label_whose_letters_go_on_in_a_label_word_only_for_one_letter_is_two_cells():
    """Aspose.Cells centres 'KPI(關鍵績效' / '指標)' and '衡量方' / '式' in neighbouring cells
    0.9 em apart: '效' then '衡' follow each other in 績效衡量指標, but '效' then '衡量方' in no
    label, so the 衡量方式 column is a column of its own. '績效 衡量指' set apart (its '標' wrapped)
    is one label."""
    (close,) = group_lines([*_set("關鍵績效", 130.4, 170.2), *_set("衡量方", 178.9, 208.8)])
    assert [p.text for p in split_on_roles(close)] == ["關鍵績效", "衡量方"]
    (spaced,) = group_lines([*_set("績效", 130, 150), *_set("衡量指", 158.7, 188.5)])
    assert [p.text for p in split_on_roles(spaced)] == ["績效衡量指"]


def test_a_kind_set_apart_after_a_year_whose_year_sign_is_wrapped_begins_the_next_cell():
    """calibre wraps narrow year labels as '實際' / '值(10' / '7年)', the cells 0.8 to 1 em apart on
    a line that reads '(106 值(10 值(10': each '值' after the digits of a year still waiting for its
    '年' begins the next cell's label."""
    (line,) = group_lines([*_set("(106", 226.6, 248.1), *_set("值(10", 258.3, 283.9), *_set("值(10", 291.8, 317.4)])
    assert [p.text for p in split_on_roles(line)] == ["(106", "值(10", "值(10"]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("110年", True),
        ("110年度目標值", True),
        ("(110年)", True),
        ("110年實", True),  # '110年實' / '際值' wrapped in a narrow cell (Calligra Words)
        ("值(105年)", True),  # '實際' / '值(105年)'
        ("值得(105年)", False),
        ("113年12月底；", False),  # a note's sentence
        ("114年度預定。", False),
        ("桃園市政府110年度", False),
    ],
)
def test_a_year_label_or_its_first_line_is_told_from_a_sentence_naming_a_year(text, label):
    """A header's year row prints labels ('110年實' / '際值'); a note or a title names a year in a
    sentence. Several year labels on a line make it a year row, whatever else stands beside them."""
    assert is_year_label(text) is label


def test_a_letter_overrunning_its_narrow_cell_s_border_is_cut_from_the_next_cell_s_label():
    """pdfLaTeX sets '序號' and '構面' a letter a line in narrow cells: the overfull '序' runs over
    the border up to the '構' beside it (the rule through its right part, no space between). The
    two are two cells' labels; a label overrunning its own border ('實' / '際值') stays whole, and
    so does a run no rule crosses."""
    (line,) = group_lines([*word("序", 30.2, 62, size=6), *word("構", 36.2, 62, size=6)])
    border = Rule(34.4, 60, 77)
    assert [p.text for p in split_at_overrun_rules(line, [border])] == ["序", "構"]
    assert [p.text for p in split_at_overrun_rules(line, [Rule(34.4, 70, 90)])] == ["序構"]
    (label,) = group_lines(word("實際值", 100, 62, size=6))
    assert [p.text for p in split_at_overrun_rules(label, [Rule(105, 60, 77)])] == ["實際值"]


def test_a_label_set_apart_after_a_whole_bracketed_label_is_cut_from_it():
    """A tabular with narrow gutters sets 'KPI(關鍵績效指標)' 0.9 em before '協辦機關', a label no
    column is known by: after a whole label closed by its bracket, words set apart are the next
    cell's (its text would run into the KPI names). A bracket's own words ('關鍵績效指標)' wrapped)
    stay with their label."""
    (line,) = group_lines([*_set("KPI(關鍵績效指標)", 98.7, 149.0), *_set("協辦機關", 156.2, 179.9)])
    assert [p.text for p in split_on_roles(line)] == ["KPI(關鍵績效指標)", "協辦機關"]
    (name,) = group_lines([*_set("KPI(關鍵", 98.7, 130.0), *_set("績效指標)", 137.2, 170.0)])
    assert len(split_on_roles(name)) == 1
