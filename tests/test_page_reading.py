"""Reading a page: what carries from one table, or page, to the next."""

from __future__ import annotations

from glyphs import drawn, word

from pipeline.extract.geometry import Line
from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.page_reading import ReadingContext, _end_objective, without_titles
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
