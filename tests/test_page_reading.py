"""Reading a page: what carries from one table, or page, to the next."""

from __future__ import annotations

from pipeline.extract.page_reading import ReadingContext, _end_objective
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
