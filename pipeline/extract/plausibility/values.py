"""Checks on the value cells: year columns that fit the plan year, one value per cell, no blank
rows or columns, a deck with numbers at all."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict

from pipeline.clean.text import normalize
from pipeline.clean.values import COMPARATOR_SIGNS
from pipeline.extract.plausibility.common import by_page, finding, listed_codes
from pipeline.model import Finding, Kpi, ParsedDeck, Status, Value, ValueKind, YearValue

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_NOTE = re.compile(r"[(（][^)）]*(?:[)）]|$)")
_CLOSED_NOTE = re.compile(r"[(（][^)）]*[)）]")
_ROC_YEARS = range(90, 200)  # 2001 to 2110: three-digit ROC years, since before scorecards were made


def _years(columns: tuple[tuple[int, ValueKind], ...], kind: ValueKind) -> str:
    return ",".join(str(year) for year, k in columns if k == kind) or "none"


def year_columns_fit_plan_year(deck: ParsedDeck) -> list[Finding]:
    """Every KPI has exactly the actuals Y-3, Y-2, Y-1 and the target Y of the deck's plan year Y.

    Catches misread year headers (values under the wrong years), a column lost or read twice, and
    a plan year taken from the wrong column: the series and year-over-year views would publish
    such values under the wrong years. The plan year is an ROC year scorecards are made for
    (three digits): '實際值(1' / '11年)' read as year 11 shifts every column alike.
    """
    plan = deck.plan_year
    if plan is None:
        return [finding(year_columns_fit_plan_year, "no 目標值 (target) year column was read, so no plan year")]
    if plan not in _ROC_YEARS:
        detail = f"plan year {plan} is no ROC year a scorecard is for ({_ROC_YEARS.start}–{_ROC_YEARS.stop - 1})"
        return [finding(year_columns_fit_plan_year, f"{detail}: its year labels were read in part")]
    expected = tuple(sorted([*((plan - n, ValueKind.ACTUAL) for n in (3, 2, 1)), (plan, ValueKind.TARGET)]))
    odd: dict[tuple, list[Kpi]] = defaultdict(list)
    for kpi in deck.kpis:
        columns = tuple(sorted((v.year, v.kind) for v in kpi.values))
        if columns != expected:
            odd[columns].append(kpi)
    return [
        finding(
            year_columns_fit_plan_year,
            f"year columns {_years(columns, ValueKind.ACTUAL)} (actual) and "
            f"{_years(columns, ValueKind.TARGET)} (target) do not fit plan year {plan}, which needs "
            f"actuals {plan - 3},{plan - 2},{plan - 1} and target {plan} (KPI {listed_codes(kpis)})",
        )
        for columns, kpis in odd.items()
    ]


def _cell_problem(cell: Value) -> str | None:
    """Why a value cell is not one value, or None. Lines are joined as the value parser joins them,
    so a number wrapped over lines ('1,191,36' / '4', '90.0' / '%') is one number; parenthesised
    notes ('4,912 (調整計算方式)') are set aside. Two values on two lines are two numbers once joined
    ('3,545件' / '4,184件'), or one badly grouped number ('3,545' / '4,184' → '3,5454,184'); only
    bare digit runs that join into a well-formed number ('120' / '130') cannot be told from a wrap."""
    if cell.status == Status.NOT_APPLICABLE:
        return None
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", normalize(cell.raw_text)))
    if re.fullmatch(r"#{2,}", text):
        return "is a spreadsheet's mark for a number too wide for its column: the number is not in the PDF"
    numbers = _NUMBER.findall(_NOTE.sub("", text))
    if len(numbers) > 1:
        return "holds more than one number"
    if numbers and not _GROUPED.match(numbers[0]):
        return f"'{numbers[0]}' is not one well-formed number (two numbers run together, or one cut short)"
    if re.match(r"[.,]\d", text):
        return f"begins with '{text[:4]}': a number cut at its start"
    if cell.unit and cell.unit[-1] in COMPARATOR_SIGNS:
        return f"ends with the comparator {cell.unit[-1]!r}, which opens a value: the next cell's, read into this one"
    printed = _NUMBER.findall(_CLOSED_NOTE.sub("", text))
    if printed and cell.value is None:
        return f"prints the number '{printed[0]}' but no value was read from it (another cell's text ahead of it?)"
    return None


def _without_closed_notes(note: str | None) -> str | None:
    """A note without its bracketed remarks: '%(線上授課)' is the unit '%' whose number was lost
    (Apache POI's PDFBox backend drops a cell's digits from the text layer)."""
    return re.sub(r"\s+", "", _CLOSED_NOTE.sub("", note)) if note else note


def one_value_per_cell(deck: ParsedDeck) -> list[Finding]:
    """Each value cell holds one value: a number with its unit, comparator and note, or a status note.

    Catches two years' values merged into one cell ('3,545件4,184件'), a number cut in two by a
    misplaced column bound ('4,'), two values stacked on two lines of one cell, and a number left
    unread behind another cell's text ('(演練、12場'), a cell left with only the unit the row's
    other years print ('件' beside '7件', its number read into the next column; '%(線上授課)'
    beside '98.0%', its digits not in the text layer), a unit that runs on with another cell's
    text ('96%度' beside '95%': a KPI name's last letter), a value ending with the next
    cell's comparator ('1,207,490≥'), and a spreadsheet's '#####' printed for a number too wide
    for its column (the number is not in the PDF: published, it would read as none reported).
    """
    found = []
    for kpi in deck.kpis:
        units = {v.cell.unit for v in kpi.values if v.cell.unit}
        for v in kpi.values:
            problem = _cell_problem(v.cell)
            if v.cell.value is None and _without_closed_notes(v.cell.note) in units:
                problem = "holds only the unit the row's other values print after their numbers: its number is lost"
            elif longer := _unit_run_on(v.cell.unit, units):
                problem = f"prints its unit as {v.cell.unit!r} where the row's others print {longer!r}: text ran in"
            if problem:
                detail = f"{kpi.kpi_code or kpi.kpi_name} {v.year} {v.kind}: cell {v.cell.raw_text!r} {problem}"
                found.append(finding(one_value_per_cell, detail))
    return found


def kpi_names_free_of_values(deck: ParsedDeck) -> list[Finding]:
    """No KPI name begins with a value printed as its row's values are (a number with the unit
    the row's others print) while one of its value cells is blank.

    Catches a column edge put past a value cell's text, which then reads into the KPI name
    ('12場里辦公處每年舉辦之演習…' with the 108 actual blank: a KPI line's hanging '、' hid the
    edge). A KPI named by a number without a unit ('1999市民熱線…') is no value.
    """
    found = []
    for kpi in deck.kpis:
        units = {v.cell.unit for v in kpi.values if v.cell.unit}
        blank = [v for v in kpi.values if _blank(v.cell)]
        if not units or not blank or not kpi.kpi_name:
            continue
        name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", normalize(kpi.kpi_name)))
        printed = re.match(f"[≥≧≤≦<>]?{_with_unit(units)}", name)
        if printed:
            value, years = printed.group(0), _listed(blank)
            detail = f"{kpi.kpi_code or kpi.kpi_name}: name begins with the value {value!r}, {years} blank"
            found.append(finding(kpi_names_free_of_values, detail))
    return found


def plan_names_free_of_values(deck: ParsedDeck) -> list[Finding]:
    """No action plan's name holds a number printed as a value is (digits grouped by commas, or
    a number with the unit the row's values print) while one of its row's value cells is blank.

    Catches a value cell's text read into a plan whose line runs up to it, no gutter between
    (R's gridExtra: '屏東縣區民活263,216動中心…' with the 108 actual blank). A year or a count
    in a plan's name ('111年度…計畫') is no such number.
    """
    found = []
    for kpi in deck.kpis:
        blank = [v for v in kpi.values if _blank(v.cell)]
        if not blank:
            continue
        units = {v.cell.unit for v in kpi.values if v.cell.unit}
        printed = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?" + (f"|{_with_unit(units)}" if units else "")
        for plan in kpi.action_plans:
            name = unicodedata.normalize("NFKC", normalize(plan.name))
            if match := re.search(printed, name):
                value, years = match.group(0), _listed(blank)
                detail = f"{kpi.kpi_code or kpi.kpi_name}: plan '{plan.name}' holds the value {value!r}, {years} blank"
                found.append(finding(plan_names_free_of_values, detail))
    return found


def value_units_agree(deck: ParsedDeck) -> list[Finding]:
    """The numbers of a KPI's value cells carry one unit across its years (or none).

    Catches a row read a column off (a lone row carried to a page of its own and its columns
    fitted afresh: the 權重 '5%' read as the first actual of a KPI counted in '小時'), which no
    other check sees when each cell still holds one number. A unit that runs on into another's
    text is one_value_per_cell's.
    """
    found = []
    for kpi in deck.kpis:
        by_unit: dict[str, list[YearValue]] = defaultdict(list)
        for v in kpi.values:
            if v.cell.status == Status.REPORTED and v.cell.unit:
                by_unit[v.cell.unit].append(v)
        units = list(by_unit)
        if any(a != b and not a.startswith(b) and not b.startswith(a) for a in units for b in units):
            shown = "; ".join(f"'{unit}' in {_listed(where)}" for unit, where in by_unit.items())
            found.append(finding(value_units_agree, f"{kpi.kpi_code or kpi.kpi_name}: values in units {shown}"))
    return found


def _with_unit(units: set[str]) -> str:
    """A pattern for a number printed with one of `units` (the longer first: '人次' before '人')."""
    return f"{_NUMBER.pattern}(?:{'|'.join(map(re.escape, sorted(units, key=len, reverse=True)))})"


def _listed(values: list[YearValue]) -> str:
    """The values' columns for a finding's detail ('108 actual, 111 target')."""
    return ", ".join(f"{v.year} {v.kind}" for v in values)


def _unit_run_on(unit: str | None, units: set[str]) -> str | None:
    """The unit of the row's other values that `unit` begins with and goes on after, if any."""
    return next((other for other in units if unit and unit != other and unit.startswith(other)), None)


def _blank(value: Value) -> bool:
    return value.status == Status.MISSING and not value.raw_text.strip()


def value_columns_read(deck: ParsedDeck) -> list[Finding]:
    """No KPI row has every value cell blank, and no year column is blank on every row of a table
    page (of three rows or more): decks leave single cells empty, not whole rows or columns.

    Catches value text that a misplaced column or row bound gave to another cell, or to none.
    """
    found = []
    for kpi in deck.kpis:
        if kpi.values and all(_blank(v.cell) for v in kpi.values):
            found.append(
                finding(value_columns_read, f"every value cell of KPI {kpi.kpi_code or kpi.kpi_name} is blank")
            )
    for page, kpis in by_page(deck.kpis).items():
        if len(kpis) < 3:
            continue
        columns = sorted({(v.year, v.kind) for k in kpis for v in k.values})
        for year, kind in columns:
            if all(any(v.year == year and v.kind == kind and _blank(v.cell) for v in k.values) for k in kpis):
                found.append(
                    finding(value_columns_read, f"the {year} {kind} column is blank for every KPI on page {page}")
                )
    return found


def deck_has_numbers(deck: ParsedDeck) -> list[Finding]:
    """At least one value cell holds a number.

    Catches a deck whose cells are all '詳見附件', '待訂', '—' or blank (a draft, or a table read
    without its values): loading it would replace a real deck's values for its office and year
    with nothing.
    """
    if any(v.cell.status == Status.REPORTED for kpi in deck.kpis for v in kpi.values):
        return []
    notes = Counter(v.cell.raw_text.strip() or "blank" for kpi in deck.kpis for v in kpi.values)
    shown = ", ".join(f"'{text}'" if text != "blank" else text for text, _ in notes.most_common(3))
    return [finding(deck_has_numbers, f"no value cell holds a number (cells read: {shown or 'none'})")]
