"""Reading a page: what carries from one table, or page, to the next."""

from __future__ import annotations

from glyphs import drawn, word

from pipeline.extract.geometry import Line
from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.page_reading import (
    ReadingContext,
    _await_objective_label,
    _end_objective,
    _kpi,
    clipped_reprints,
    left_unread,
    without_titles,
)
from pipeline.extract.table import Row
from pipeline.extract.table_body import body_glyphs
from pipeline.model import Kpi


def _under(objective: str) -> tuple[ReadingContext, Kpi]:
    kpi = Kpi("B", "落實基層服務", "財務", "BF1", "提高區民活動中心", "BF1.1", "經常門業務費撙節金額", 6)
    return ReadingContext(objective=objective, objective_kpis=[kpi]), kpi


def test_the_rest_of_an_objective_label_read_on_the_next_page_ends_its_name():
    ctx, kpi = _under("BF1\n提高區民活動中心")
    _end_objective("收支比", ctx)
    assert kpi.objective_name == "提高區民活動中心收支比"


def test_a_rest_the_name_already_ends_with_is_the_label_printed_again():
    """Aspose.Cells prints a merged 策略目標 cell broken over a page on both pages, each clipped
    to its part: the page before held the whole label (the part it hides is over no text, so
    read), and the next page shows its last line again."""
    ctx, kpi = _under("BF1\n提高區民活動中心\n收支比")
    kpi.objective_name = "提高區民活動中心收支比"
    _end_objective("收支比", ctx)
    assert kpi.objective_name == "提高區民活動中心收支比"
    assert ctx.objective == "BF1\n提高區民活動中心\n收支比"


def _read(ctx: ReadingContext, code: str, objective: str, name: str, page: int, labelled: bool) -> Kpi:
    kpi = Kpi("B", "精進數位便民服務", "學習成長", objective, name, code, "課程參訓人數", page)
    _await_objective_label(kpi, labelled, ctx)
    return kpi


def test_a_kpi_under_a_label_printed_on_the_next_page_takes_that_label():
    """jsPDF's html() pages an HTML table by html2canvas: a merged 策略目標 cell broken over a page
    prints its label ('BL1 提升同仁專業知能') centred on the part on the next page, so BL1.1 at the
    foot of the page before reads under a blank cell, with BP1 carried on from the rows above. The
    next KPI, first on the next page, prints the label BL1.1's code names: BL1.1 takes it."""
    ctx = ReadingContext()
    waiting = _read(ctx, "BL1.1", "BP1", "強化採購作業管理", 4, labelled=False)
    _read(ctx, "BL1.2", "BL1", "提升同仁專業知能", 5, labelled=True)
    assert (waiting.objective_code, waiting.objective_name) == ("BL1", "提升同仁專業知能")


def test_a_kpi_under_another_objective_s_label_stays_as_read_when_no_label_of_its_own_follows():
    """The same KPI followed by a label on its own page, by another objective's label, or by a
    row that carries the label above on, stays as read (BP1), for the checks to hold the deck."""
    for code, objective, page, labelled in [
        ("BL1.2", "BL1", 4, True),
        ("BL2.1", "BL2", 5, True),
        ("BL1.2", "BL1", 5, False),
    ]:
        ctx = ReadingContext()
        waiting = _read(ctx, "BL1.1", "BP1", "強化採購作業管理", 4, labelled=False)
        _read(ctx, code, objective, "提升同仁專業知能", page, labelled=labelled)
        assert waiting.objective_code == "BP1", (code, page, labelled)


def test_a_theme_title_right_over_the_body_is_no_overhanging_label():
    """Spire.XLS prints a theme's title as a sheet row between the repeated print-title header
    and the table's body, drawn just before the 策略目標 label under it in the same column: as
    glyphs of the body they read as that label overhanging the body's top ('策略主題：(B)落實
    基層服務' taken as the rest of the objective before). The title's glyphs are no cell's."""
    objective = Column(Role.OBJECTIVE, 0, 40, span=(0, 40))
    layout = TableLayout((objective, Column(Role.KPI, 40, 300, span=(40, 300))), header_top=40, body_top=80)
    title = word("策略主題：(B)落實基層服務", 4, 76, size=2.5)  # all in the 策略目標 column
    label = [*word("BC1推", 4, 83, size=8), *word("動長者", 4, 92, size=8)]
    glyphs = drawn(title, label, word("BC1.1公民會館場地使用率", 50, 82))
    titled = [g for g in glyphs if g.top == 76]
    taken = body_glyphs(glyphs, layout, 80, 200, [], 540)
    assert any(g.top == 76 for g in taken)  # the title seems a label's overhang
    kept = body_glyphs(without_titles(glyphs, [Line(tuple(titled))]), layout, 80, 200, [], 540)
    assert not any(g.top == 76 for g in kept)
    assert "".join(g.text for g in kept if objective.holds(g)) == "BC1推動長者"


def test_a_row_clipped_away_gives_way_to_its_copy_shown_elsewhere():
    """Flying Saucer draws a row broken by a page's foot on both pages, clipped away whole on the
    first: its record, read from the text layer only ('本區全體里鄰長出'), gives way to the one read
    from the next page, which shows it. A row clipped away with no other copy keeps its record."""
    hidden = Kpi("C", "推動樂齡", "學習成長", "CL1", "提升同仁專業知能", "CL1.1", "本區全體里鄰長出", 4)
    shown = Kpi("C", "推動樂齡", "學習成長", "CL1", "提升同仁專業知能", "CL1.1", "本區全體里鄰長出席率", 5)
    alone = Kpi("C", "推動樂齡", "財務", "CF1", "活化公有市場空間", "CF1.1", "經常門業務費撙節金額", 5)
    assert clipped_reprints([hidden, shown, alone], {id(hidden)}) == [shown, alone]
    assert clipped_reprints([hidden, alone], {id(hidden), id(alone)}) == [hidden, alone]


def test_a_row_awaiting_its_perspective_label_does_not_take_the_label_above():
    """A row below the last 構面 label's block (its label printed on the next page only) is read
    with no perspective, and so is the row after it until a label names one: the label above
    is not carried on to them."""
    kpi = Column(Role.KPI, 0, 300)
    layout = TableLayout((kpi,), header_top=0, body_top=20)
    ctx = ReadingContext(theme_code="B", perspective="學習成長")
    awaiting = _kpi(Row(20, 40, {kpi: ["BF1.1 年度預算執行率"]}, None, None, perspective_awaited=True), layout, ctx, 4)
    carried = _kpi(Row(20, 40, {kpi: ["BF1.2 場地租借收入"]}, None, None), layout, ctx, 5)
    named = _kpi(Row(40, 60, {kpi: ["BF1.3 收支比"]}, "財務", None), layout, ctx, 5)
    assert (awaiting.perspective, carried.perspective, named.perspective) == (None, None, "財務")


def test_the_start_of_a_row_left_at_the_last_pages_foot_is_reported():
    """Plans or an objective label begun under the last table of the deck's last page, which no
    later page brought a row for, are in no record: the deck is held back with what was left."""
    assert left_unread(ReadingContext()) == []
    (finding,) = left_unread(ReadingContext(plans_begun=("EC1.1.1",)))
    assert finding.check == "unread_text" and "EC1.1.1" in finding.detail
    (finding,) = left_unread(ReadingContext(objective_begun="CP1"))
    assert "CP1" in finding.detail
