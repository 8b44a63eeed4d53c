"""A table continued without a header begins where its first rule is, unless text of its own
stands above; plans coded under the KPI before a page break go back to it."""

from __future__ import annotations

from glyphs import clipped, drawn, word

from pipeline.extract.continued import (
    end_of_last_row,
    first_rule_under_blank,
    objective_begun_before,
    objective_named_below,
    objective_rest,
    plans_at_the_foot,
    plans_begun_before,
    rest_of_last_row,
    uncoded_tail,
)
from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.rules import Rule
from pipeline.extract.table import Row
from pipeline.model import ActionPlan, Kpi


def _label_and_row(label_top: float, note: bool) -> list:
    """A continued page: a stacked label centred on the first row, overhanging the rule at 72
    that opens the table; with `note`, a line of its own printed above that rule."""
    label = [g for i, letter in enumerate("學習成長") for g in word(letter, 15, label_top + 9 * i, size=8)]
    parts = [label, word("AL1.1出席率", 60, 76)]
    if note:
        parts.append(word("資料來源", 60, 40))
    return drawn(*parts)


def test_a_continued_table_begins_at_its_first_rule_under_a_label_overhanging_it():
    columns = (Column(Role.PERSPECTIVE, 0, 50, span=(0, 50)), Column(Role.KPI, 50, 300, span=(50, 300)))
    layout = TableLayout(columns, header_top=0, body_top=0)
    rules = [Rule(p, 0, 300) for p in (72, 100)]
    assert first_rule_under_blank(_label_and_row(65, note=False), rules, layout, 0, 200) == 72
    assert first_rule_under_blank(_label_and_row(65, note=True), rules, layout, 0, 200) == 0, "text of its own"


def test_a_continued_table_narrower_than_its_page_begins_at_its_first_rule():
    """A slide printed small on a wider page (handouts): the outer columns reach the page's edges
    to hold text, but the table's rules run only across its own width, a fifth of the page less."""
    perspective = Column(Role.PERSPECTIVE, 0, 111, span=(59, 111))
    kpi = Column(Role.KPI, 111, 595, span=(111, 529))
    layout = TableLayout((perspective, kpi), header_top=0, body_top=0)
    glyphs = drawn(word("學習成長", 72, 61, size=6), word("BL1.1出席率", 120, 61, size=6))
    assert first_rule_under_blank(glyphs, [Rule(57, 59, 529), Rule(95, 59, 529)], layout, 0, 400) == 57


def test_a_fill_edge_through_the_first_rows_text_does_not_open_a_continued_table():
    """MuPDF paints a table head's fill as a thin bar through the first row of the page after,
    whose code stands above the bar and its values across it: the table begins at the page's top.
    A drawn line there (a stacked label clipped at its cell's border) still opens it."""
    columns = (Column(Role.KPI, 0, 100, span=(0, 100)), Column(Role.ACTUAL, 100, 300, 110, span=(100, 300)))
    layout = TableLayout(columns, header_top=0, body_top=0)
    glyphs = drawn(word("AC1.1", 10, 70, size=8), word("線上申辦", 10, 80, size=8), word("3,121件", 150, 76, size=8))
    bar = [Rule(80, 0, 300, fill=True), Rule(83, 0, 300, fill=True), Rule(120, 0, 300)]
    assert first_rule_under_blank(glyphs, bar, layout, 0, 200) == 0
    drawn_line = [Rule(80, 0, 300), Rule(120, 0, 300)]
    assert first_rule_under_blank(glyphs, drawn_line, layout, 0, 200) == 80


def test_a_header_repeated_without_its_year_row_does_not_open_a_continued_table():
    """Asciidoctor repeats a table's first head row only: '策略目標 關鍵績效指標 實際值 行動計畫'
    stands over the continued rows with no year under it, so no header is read there. Column names
    alone above the first rule are no cell's text: the table begins at that rule."""
    columns = (Column(Role.OBJECTIVE, 0, 100, span=(0, 100)), Column(Role.KPI, 100, 300, span=(100, 300)))
    layout = TableLayout(columns, header_top=0, body_top=0)
    labels = [word("策略目標", 10, 50, size=8), word("關鍵績效指標", 110, 50, size=8), word("實際值", 220, 50, size=8)]
    glyphs = drawn(*labels, word("BP1.1兵籍調查", 110, 80, size=8))
    assert first_rule_under_blank(glyphs, [Rule(70, 0, 300), Rule(120, 0, 300)], layout, 0, 200) == 70
    note = drawn(word("資料來源民政局", 10, 50, size=8), word("BP1.1兵籍調查", 110, 80, size=8))
    assert first_rule_under_blank(note, [Rule(70, 0, 300), Rule(120, 0, 300)], layout, 0, 200) == 0


def test_a_repeated_head_row_with_labels_no_column_is_known_by_opens_no_table():
    """The same first head row with '承辦科室' and '配分' among its labels: a line naming columns,
    whatever its other words, is no cell's text, and the table begins at the rule under it. A
    line naming one column among other words is ('配合市府政策 實際值')."""
    columns = (Column(Role.OBJECTIVE, 0, 100, span=(0, 100)), Column(Role.KPI, 100, 400, span=(100, 400)))
    layout = TableLayout(columns, header_top=0, body_top=0)
    labels = [word("策略目標", 10, 50, size=8), word("關鍵績效指標", 110, 50, size=8)]
    labels += [word("承辦科室", 180, 50, size=8), word("配分", 230, 50, size=8), word("實際值", 300, 50, size=8)]
    glyphs = drawn(*labels, word("BL1.1同仁平均", 110, 80, size=8))
    assert first_rule_under_blank(glyphs, [Rule(70, 0, 400), Rule(120, 0, 400)], layout, 0, 200) == 70
    prose = [word("配合市府政策", 10, 50, size=8), word("實際值", 300, 50, size=8)]
    glyphs = drawn(*prose, word("BL1.1同仁平均", 110, 80, size=8))
    assert first_rule_under_blank(glyphs, [Rule(70, 0, 400), Rule(120, 0, 400)], layout, 0, 200) == 0


def test_a_head_s_year_row_repeated_alone_does_not_open_a_continued_table():
    """Spire.Doc repeats only the second row of a two-row head: '106' / '年', '107' / '年' boxed
    between two rules over the continued rows. The table begins under it; a row of values there
    is the table's own."""
    columns = (Column(Role.KPI, 0, 100, span=(0, 100)), Column(Role.ACTUAL, 100, 300, 106, span=(100, 300)))
    layout = TableLayout(columns, header_top=0, body_top=0)
    years = [g for x in (120, 200) for g in (*word(str(106 + x // 200), x, 75, size=8), *word("年", x + 4, 88, size=8))]
    rows = [word("BF1.1收支比", 10, 104, size=8), word("5.5", 120, 104, size=8)]
    rules = [Rule(72.8, 0, 300), Rule(99.3, 0, 300), Rule(145, 0, 300)]
    assert first_rule_under_blank(drawn(years, *rows), rules, layout, 0, 200) == 99.3
    values = [g for x in (120, 200) for g in word("5.5", x, 80, size=8)]
    assert first_rule_under_blank(drawn(values, *rows), rules, layout, 0, 200) == 72.8


def test_a_header_row_repeated_without_its_year_row_between_two_rules_does_not_open_a_table():
    """rst2pdf repeats the first of a two-row head only, boxed in rules of its own: the column
    names between the first rule and the next are no row's (they were read as KPI BC1.1's name
    and values). A first row between those rules is the table's own."""
    columns = (Column(Role.OBJECTIVE, 0, 100, span=(0, 100)), Column(Role.KPI, 100, 300, span=(100, 300)))
    layout = TableLayout(columns, header_top=0, body_top=0)
    labels = [word("策略目標", 10, 68, size=8), word("關鍵績效指標", 110, 68, size=8), word("實際值", 220, 68, size=8)]
    glyphs = drawn(*labels, word("BC1.1線上申辦", 110, 90, size=8))
    rules = [Rule(64, 0, 300), Rule(82, 0, 300), Rule(120, 0, 300)]
    assert first_rule_under_blank(glyphs, rules, layout, 0, 200) == 82
    row = drawn(word("BC1推廣服務", 10, 68, size=8), word("BC1.1線上申辦", 110, 68, size=8))
    assert first_rule_under_blank(row, rules, layout, 0, 200) == 64


def test_a_repeated_head_row_of_labels_wrapped_a_word_a_line_opens_no_table():
    """rst2pdf's narrow head cells wrap '實際' / '值', '目標' / '值' and '承辦' / '科室': no line of
    the repeated row is in header letters or names two columns, but its cells, read down, name
    two columns. Cells wrapped so that one names a column at most are a row's text."""
    columns = (Column(Role.OBJECTIVE, 0, 100, span=(0, 100)), Column(Role.KPI, 100, 300, span=(100, 300)))
    layout = TableLayout(columns, header_top=0, body_top=0)
    rules = [Rule(54, 0, 300), Rule(86, 0, 300), Rule(130, 0, 300)]
    body = word("BC1.1線上申辦", 110, 92, size=8)

    def head(*cells: tuple[str, str]) -> list:
        return [
            g for i, (top, end) in enumerate(cells) for g in (*word(top, 10 + 50 * i, 60), *word(end, 10 + 50 * i, 72))
        ]

    assert (
        first_rule_under_blank(
            drawn(head(("承辦", "科室"), ("實際", "值"), ("目標", "值")), body), rules, layout, 0, 200
        )
        == 86
    )
    assert (
        first_rule_under_blank(
            drawn(head(("承辦", "科室"), ("實際", "值"), ("配合", "值")), body), rules, layout, 0, 200
        )
        == 54
    )


def test_an_objective_label_begun_on_the_page_before_opens_the_first_row_s_objective():
    """'CP1', the first line of a 策略目標 cell broken over the page, read at the page before's
    foot, opens the objective of the first row here when that row's code is CP1's and its own
    label prints no code; a label printing CP1 is that line shown again, and the row keeps it; a
    row of another objective, or labelled with another code, does not take it."""
    objective, kpi = Column(Role.OBJECTIVE, 0, 100), Column(Role.KPI, 100, 300)
    layout = TableLayout((objective, kpi), header_top=0, body_top=20)

    def row(code: str, label: str | None) -> Row:
        return Row(20, 60, {objective: [label] if label else [], kpi: [f"{code}依限完成審核率"]}, None, label)

    opened = objective_begun_before(row("CP1.1", "推動環境清潔維護"), layout, "CP1")
    assert opened is not None and opened.objective == "CP1\n推動環境清潔維護"
    assert objective_begun_before(row("CP1.1", None), layout, "CP1").objective == "CP1"
    assert objective_begun_before(row("CP2.1", "推動環境清潔維護"), layout, "CP1") is None
    again = row("CP1.1", "CP1推動環境清潔維護")  # the cut line shown on both pages
    assert objective_begun_before(again, layout, "CP1") == again
    assert objective_begun_before(row("CP1.1", "CP2推動環境清潔維護"), layout, "CP1") is None


def test_a_first_plan_code_alone_under_a_header_at_the_foot_opens_the_next_pages_first_row():
    """WebKitGTK breaks a new theme's first row right under its header: only its top-set plans
    cell's first line, 'EC1.1.1', stands at the page's foot; the KPI code and values, centred,
    are on the next page. That line opens the plans of the next page's first row when the row's
    KPI is the plan's; any other text under the header, or a row of another KPI, keeps it apart."""
    kpi, plans = Column(Role.KPI, 0, 300), Column(Role.PLANS, 300, 600)
    layout = TableLayout((kpi, plans), header_top=500, body_top=530)
    foot = drawn(word("EC1.1.1", 310, 540))
    assert plans_at_the_foot(foot, layout, (530, 595), 595, None) == ("EC1.1.1",)
    other_text = drawn(word("EC1.1.1", 310, 540), word("新移民", 10, 560))
    assert plans_at_the_foot(other_text, layout, (530, 595), 595, None) == ()
    assert plans_at_the_foot(drawn(word("EC1.1", 310, 540)), layout, (530, 595), 595, None) == (), "a KPI's code"
    ec11 = Kpi(None, None, None, None, None, "EC1.1", "新移民課程學員出席率", 5)
    assert plans_at_the_foot(foot, layout, (530, 595), 595, ec11) == (), "the rest of the KPI read last"

    def row(code: str) -> Row:
        return Row(
            40, 120, {kpi: [f"{code}新移民課程學員出席率"], plans: ["線上申辦服務推動計畫", "EC1.1.2 共餐"]}, None, None
        )

    opened = plans_begun_before(row("EC1.1"), layout, ("EC1.1.1",))
    assert opened is not None and opened.cells[plans] == ["EC1.1.1", "線上申辦服務推動計畫", "EC1.1.2 共餐"]
    assert plans_begun_before(row("EC1.2"), layout, ("EC1.1.1",)) is None


def test_plans_coded_under_the_kpi_before_a_page_break_go_back_to_it():
    """A row broken across pages, under a repeated header: the new page's first row (AF1.2) opens
    with the rest of AF1.1's plans, 'AF1.1.2 …' (coded under AF1.1) and an uncoded line before
    it ending AF1.1.1. Both are AF1.1's; AF1.2 keeps its own."""
    kpi, plans = Column(Role.KPI, 0, 300), Column(Role.PLANS, 300, 600)
    layout = TableLayout((kpi, plans), header_top=0, body_top=20)
    before = Kpi(None, None, None, None, None, "AF1.1", "收支比", 4, action_plans=[ActionPlan("AF1.1.1", "監督寺廟")])
    lines = ["條例", "AF1.1.2", "桃園市政府年度預算執行管考要點", "AF1.2.1 監督寺廟條例"]
    row = Row(20, 90, {kpi: ["AF1.2", "寺廟半年收支報告表報核比率"], plans: lines}, None, None)
    (rest,) = end_of_last_row([row], layout, before)
    assert before.action_plans == [
        ActionPlan("AF1.1.1", "監督寺廟條例"),
        ActionPlan("AF1.1.2", "桃園市政府年度預算執行管考要點"),
    ]
    assert rest.cells[plans] == ["AF1.2.1 監督寺廟條例"]


def test_a_row_broken_over_the_page_ends_the_kpi_name_and_the_uncoded_plan_before():
    """LibreOffice breaks EF1.1's row over the page under a repeated header: atop EF1.2's cells
    stand '率' (the end of EF1.1's name) and '理計畫' (the end of its one uncoded plan). Both are
    EF1.1's; EF1.2 keeps its own code, name and coded plans. Uncoded lines over uncoded plans
    may be the row's own, top-aligned: they stay."""
    kpi, plans = Column(Role.KPI, 0, 300), Column(Role.PLANS, 300, 600)
    layout = TableLayout((kpi, plans), header_top=0, body_top=20)

    def before() -> Kpi:
        return Kpi(None, None, None, None, None, "EF1.1", "年度預算執行", 6, [], [ActionPlan(None, "活動中心經營管")])

    broken = before()
    row = Row(20, 90, {kpi: ["率", "EF1.2 場地租借收入"], plans: ["理計畫", "EF1.2.1 管理要點"]}, None, None)
    (rest,) = end_of_last_row([row], layout, broken)
    assert broken.kpi_name == "年度預算執行率" and broken.action_plans == [ActionPlan(None, "活動中心經營管理計畫")]
    assert rest.cells == {kpi: ["EF1.2 場地租借收入"], plans: ["EF1.2.1 管理要點"]}
    whole = before()
    row = Row(20, 90, {kpi: ["EF1.2 場地租借收入"], plans: ["監督寺廟條例"]}, None, None)
    (rest,) = end_of_last_row([row], layout, whole)
    assert whole == before() and rest == row


def test_a_lone_column_name_atop_a_continued_table_ends_no_plan():
    """PDF::Table repeats a broken header as one label centred across the row ('策略性目標' over
    the plans column): it is no end of the plan before, nor a plan of the first row."""
    kpi, plans = Column(Role.KPI, 0, 300), Column(Role.PLANS, 300, 600)
    layout = TableLayout((kpi, plans), header_top=0, body_top=20)
    before = Kpi(
        None, None, None, None, None, "BL1.1", "時數", 4, action_plans=[ActionPlan("BL1.1.1", "服務禮儀訓練計畫")]
    )
    row = Row(20, 90, {kpi: ["BF1.1", "收支比"], plans: ["策略性目標", "BF1.1.1公有市場要點"]}, None, None)
    (rest,) = end_of_last_row([row], layout, before)
    assert before.action_plans == [ActionPlan("BL1.1.1", "服務禮儀訓練計畫")]
    assert rest.cells[plans] == ["BF1.1.1公有市場要點"]


def test_the_end_of_an_objective_ruled_off_atop_the_page_ends_the_kpi_before():
    """'性' ruled off atop the page (see spans.rest_above) ends AL1.1's objective."""
    kpi = Column(Role.KPI, 0, 300)
    layout = TableLayout((kpi,), header_top=0, body_top=20)
    before = Kpi(None, None, None, "AL1", "提高機關人員社交工程網路攻擊警覺", "AL1.1", "出席率", 4)
    row = Row(43, 87, {kpi: ["AF1.1", "收支比≧1"]}, "財務", "AF1\n開源節流撙節支出", objective_rest="性")
    rest, first = objective_rest(row, layout, before)
    assert rest == "性" and first.objective_rest is None and first.objective == row.objective


def _first_row_under(objective: str, kpi_code: str) -> tuple:
    kpi = Column(Role.KPI, 0, 300)
    layout = TableLayout((kpi,), header_top=0, body_top=20)
    before = Kpi(None, None, None, "EP2", "落實里鄰建設經", "EP2.1", "依限完成審核率", 10)
    return objective_rest(Row(43, 107, {kpi: [kpi_code, "執行率"]}, None, objective), layout, before)


def test_an_uncoded_objective_cell_atop_a_continued_table_ends_the_objective_its_kpi_code_names():
    """Calligra Words splits a merged 策略目標 cell over the page line by line: '費執行' atop
    page 11 ends EP2's label, and EP2.2 goes on under EP2."""
    rest, first = _first_row_under("費執行", "EP2.2")
    assert rest == "費執行" and first.objective is None


def test_an_uncoded_objective_cell_over_another_objectives_kpi_is_left_to_that_row():
    rest, first = _first_row_under("費執行", "EP3.1")
    assert rest is None and first.objective == "費執行"


def test_an_objective_name_printed_again_in_full_atop_a_continued_table_is_no_rest():
    rest, first = _first_row_under("落實里鄰建設經", "EP2.2")
    assert rest is None and first.objective is None


def test_an_objective_shown_by_its_code_only_before_the_break_is_named_by_the_cell_after_it():
    """Spire.XLS clips a merged 策略目標 cell to its part on each page: page 4 shows 'AL1' and
    less than half of '落實里鄰長研習', page 5 the rest of that line atop AL1.2's row. The name
    is AL1's, and AL1.2 goes on under AL1."""
    kpi = Column(Role.KPI, 0, 300)
    layout = TableLayout((kpi,), header_top=0, body_top=20)
    before = Kpi(None, None, None, "AL1", None, "AL1.1", "同仁平均數位學習時數", 4)
    rest, first = objective_rest(Row(43, 107, {kpi: ["AL1.2", "完訓率"]}, None, "落實里鄰長研習"), layout, before)
    assert rest == "落實里鄰長研習" and first.objective is None
    rest, first = objective_rest(Row(43, 107, {kpi: ["AP1.1", "件數"]}, None, "落實里鄰長研習"), layout, before)
    assert rest is None and first.objective == "落實里鄰長研習"


def test_a_plans_end_printed_below_the_page_and_again_atop_the_next_ends_it_once():
    """Calligra Words prints the end of a row broken over a page twice: clipped below page 8's
    edge, where it is read with page 8, and atop page 9."""
    kpi, plans = Column(Role.KPI, 0, 300), Column(Role.PLANS, 300, 600)
    layout = TableLayout((kpi, plans), header_top=0, body_top=20)
    name = "高雄市政府營造友善同志環境實施計畫"
    before = Kpi(None, None, None, None, None, "CL1.1", "未開啟信件率", 8, action_plans=[ActionPlan("CL1.1.2", name)])
    row = Row(20, 90, {kpi: ["CL2.1", "出席率"], plans: ["計畫", "CL2.1.1 研習計畫"]}, None, None)
    (rest,) = end_of_last_row([row], layout, before)
    assert before.action_plans == [ActionPlan("CL1.1.2", name)] and rest.cells[plans] == ["CL2.1.1 研習計畫"]


def test_a_row_s_end_alone_atop_the_next_page_is_its_uncoded_tail():
    """WebKit splits a row across pages: its plan's last letter '畫' alone tops the next page, in
    the table's type, with no code beside it. It is told (so the deck is held back); a closing
    slide's words flowed to a page's top in large type, text under other text, text mid-page and
    a 構面 label are not a row's end."""
    layout = TableLayout(
        (Column(Role.PERSPECTIVE, 0, 60), Column(Role.KPI, 60, 300), Column(Role.PLANS, 300, 600)),
        header_top=0,
        body_top=0,
    )

    def tail(glyphs: list) -> str:
        return uncoded_tail(glyphs, layout, (0, 595), 595, 10.0)

    assert tail(word("畫", 310, 37)) == "畫"
    assert tail(word("敬請指教", 250, 37, size=28)) == ""
    assert tail([*word("造橋", 10, 10), *word("畫", 310, 37)]) == ""
    assert tail(word("畫", 310, 205)) == ""
    assert tail(word("財務", 10, 37)) == ""
    # A note under the table before, pushed atop this page, begins in the 構面 column: a whole
    # line of furniture, though its part in the row columns reads as none.
    note = [*word("註：實際值統計至112年", 10, 37), *word("12月底；目標值為113年度預定。", 130, 37)]
    assert tail(note) == ""
    # A logo box's caption cut off by the clip of the page's content area shows nothing.
    assert tail(clipped(word("北投", 310, 27, size=11), 28, 814, 40, 561)) == ""


def test_a_row_s_uncoded_tail_in_the_plans_column_ends_the_last_plan():
    """The '畫' WebKit moved alone atop the next page ends the last plan of the KPI read last, as
    a plans cell's uncoded first line under a repeated header does; text in the KPI column, or
    with no coded plan to end, is still told."""
    kpi, plans = Column(Role.KPI, 60, 300), Column(Role.PLANS, 300, 600)
    layout = TableLayout((kpi, plans), header_top=0, body_top=0)

    def last_read() -> Kpi:
        return Kpi(
            None, None, None, None, None, "AF1.1", "收支比", 4, action_plans=[ActionPlan("AF1.1.1", "經營管理計")]
        )

    before = last_read()
    assert uncoded_tail(word("畫", 310, 37), layout, (0, 595), 595, 10.0, before) == ""
    assert before.action_plans == [ActionPlan("AF1.1.1", "經營管理計畫")]
    before = last_read()
    assert uncoded_tail(word("比率", 70, 37), layout, (0, 595), 595, 10.0, before) == "比率"
    assert before.action_plans == [ActionPlan("AF1.1.1", "經營管理計")]
    uncoded = Kpi(None, None, None, None, None, "AF1.1", "收支比", 4, action_plans=[ActionPlan(None, "經營管理計")])
    assert uncoded_tail(word("畫", 310, 37), layout, (0, 595), 595, 10.0, uncoded) == "畫"


def test_plans_of_this_row_s_kpi_read_at_the_foot_of_the_page_before_start_its_plans_cell():
    """WebKit breaks CC1.1's row over the page: its plans cell's first line 'CC1.1.1' stands
    alone at page 4's foot, read as CF1.1's last plan, while the KPI code, centred in its cell,
    tops page 5. The plan goes back to CC1.1, whose first uncoded line names it; plans coded
    under the KPI before stay there."""
    kpi, plans = Column(Role.KPI, 0, 300), Column(Role.PLANS, 300, 600)
    layout = TableLayout((kpi, plans), header_top=0, body_top=20)
    own = [ActionPlan("CF1.1.1", "預算執行管考要點"), ActionPlan("CF1.1.2", "攤位出租作業要點")]
    before = Kpi(None, None, None, None, None, "CF1.1", "報核比率", 4, action_plans=[*own, ActionPlan("CC1.1.1", "")])
    cell = ["桃園市公民會館營運計畫", "CC1.1.2 社區照顧計畫"]
    row = Row(20, 90, {kpi: ["CC1.1", "結案滿意度"], plans: cell}, None, None)
    (first,) = end_of_last_row([row], layout, before)
    assert before.action_plans == own
    assert first.cells[plans] == ["CC1.1.1", *cell]
    other = Row(20, 90, {kpi: ["CC2.1", "結案滿意度"], plans: ["CC2.1.1 社區照顧計畫"]}, None, None)
    before = Kpi(None, None, None, None, None, "CF1.1", "報核比率", 4, action_plans=[*own, ActionPlan("CC1.1.1", "")])
    (first,) = end_of_last_row([other], layout, before)
    assert before.action_plans[-1] == ActionPlan("CC1.1.1", "") and first.cells[plans] == ["CC2.1.1 社區照顧計畫"]


def test_an_objective_read_as_its_code_alone_is_named_by_the_stretch_atop_the_next_page():
    """Calligra Words breaks a row over the page: its 策略目標 cell shows 'BL2' at the foot, the
    name under the repeated header of the next page, where no row of its own begins. The name is
    the last KPI's objective's; a name already read, or a code opening the text, is no rest."""
    objective, kpi = Column(Role.OBJECTIVE, 0, 100), Column(Role.KPI, 100, 300)
    layout = TableLayout((objective, kpi), header_top=0, body_top=20)
    glyphs = drawn(word("提高機關人員", 10, 30), word("警覺性", 10, 42), word("數", 110, 30))
    before = Kpi(None, None, None, "BL2", None, "BL2.1", "同仁平均數位學習時數", 4)
    assert objective_named_below(glyphs, layout, (20, 100), before, 842) == "提高機關人員警覺性"
    named = Kpi(None, None, None, "BL2", "提高機關人員", "BL2.1", "同仁平均數位學習時數", 4)
    assert objective_named_below(glyphs, layout, (20, 100), named, 842) is None
    coded = drawn(word("BL3提高", 10, 30))
    assert objective_named_below(coded, layout, (20, 100), before, 842) is None


def test_a_plan_s_last_line_alone_under_a_repeated_header_ends_that_plan_once():
    """LibreOffice Writer breaks a row over the page: its last plan's last line, '計畫', stands
    alone in the plans column under the repeated header, with no row of its own. It ends the
    last KPI's last plan; printed twice (clipped at the foot, then again), it ends it once. Plans
    coded under that KPI after it are its own too."""
    kpi, plans = Column(Role.KPI, 0, 300), Column(Role.PLANS, 300, 600)
    layout = TableLayout((kpi, plans), header_top=0, body_top=20)
    rest = drawn(word("計畫", 310, 30), word("BL1.1.3社區計畫", 310, 42))
    before = Kpi(None, None, None, "BL1", "x", "BL1.1", "時數", 5, action_plans=[ActionPlan("BL1.1.2", "服務禮儀實施")])
    assert rest_of_last_row(rest, layout, (20, 100), before, 595) == ()
    assert before.action_plans == [ActionPlan("BL1.1.2", "服務禮儀實施計畫"), ActionPlan("BL1.1.3", "社區計畫")]
    again = Kpi(None, None, None, "BL1", "x", "BL1.1", "時數", 5, action_plans=[ActionPlan("BL1.1.2", "實施計畫")])
    rest_of_last_row(drawn(word("計畫", 310, 30)), layout, (20, 100), again, 595)
    assert again.action_plans == [ActionPlan("BL1.1.2", "實施計畫")]
    notice = drawn(word("Spire.XLS for Python", 310, 30, advance=0.5), word("計畫", 310, 80))
    rest_of_last_row(notice, layout, (20, 100), again, 595)
    assert again.action_plans == [ActionPlan("BL1.1.2", "實施計畫")], "a tool's notice, or words far down, end no plan"
