"""Plausibility checks over a parsed deck: would any of its numbers reach an analyst wrong?

The parser is exact on every deck we have truth for; on decks from tools we have not seen it can
misread, and a misread deck must be held back, never published. These checks look only at the
records (no PDF), for what a correct reading of a well-formed deck always satisfies: year columns
that fit the plan year, one value per cell, codes in sequence under their theme, names free of
page furniture. A deck typo that leaves values unplaceable (a KPI code printed twice) fails too.

Each check is a function named as the check, returning `Finding`s. ERROR means the deck is
quarantined (not published); WARNING is recorded for an analyst to look at.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from pipeline.clean.text import normalize
from pipeline.model import Finding, Kpi, ParsedDeck, Severity, Status, Value, ValueKind

PERSPECTIVES = ("顧客", "內部流程", "學習成長", "財務")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_NOTE = re.compile(r"[(（][^)）]*(?:[)）]|$)")
_CLOSED_NOTE = re.compile(r"[(（][^)）]*[)）]")
_CODE = re.compile(r"^(?P<letters>[A-Z]+)(?P<first>\d+)(?:\.\d+)*$")
_FURNITURE = (
    (re.compile(r"[-－—–]+\s*\d+\s*[/／]\s*\d+|[(（]\s*\d+\s*[/／]\s*\d+\s*[)）]"), "a continuation marker ('--1/2')"),
    (re.compile(r"[(（]\s*續\s*[)）]"), "a continuation marker ('(續)')"),
    (re.compile(r"策略主題"), "the words 策略主題 of a title"),
    (re.compile(r"[-－—–]\s*\d+\s*[-－—–]|第\s*\d+\s*頁|(?<![\d.])\d+\s*[/／]\s*\d+(?![\d.])"), "a page number"),
)


def _finding(check: Callable, detail: str, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(check.__name__, severity, detail)


def _codes(kpis: Iterable[Kpi]) -> str:
    listed = [k.kpi_code or f"'{k.kpi_name}'" for k in kpis]
    return ", ".join(listed[:8]) + (f" and {len(listed) - 8} more" if len(listed) > 8 else "")


def _years(columns: tuple[tuple[int, ValueKind], ...], kind: ValueKind) -> str:
    return ",".join(str(year) for year, k in columns if k == kind) or "none"


def year_columns_fit_plan_year(deck: ParsedDeck) -> list[Finding]:
    """Every KPI has exactly the actuals Y-3, Y-2, Y-1 and the target Y of the deck's plan year Y.

    Catches misread year headers (values under the wrong years), a column lost or read twice, and
    a plan year taken from the wrong column: the series and year-over-year views would publish
    such values under the wrong years.
    """
    plan = deck.plan_year
    if plan is None:
        return [_finding(year_columns_fit_plan_year, "no 目標值 (target) year column was read, so no plan year")]
    expected = tuple(sorted([*((plan - n, ValueKind.ACTUAL) for n in (3, 2, 1)), (plan, ValueKind.TARGET)]))
    odd: dict[tuple, list[Kpi]] = defaultdict(list)
    for kpi in deck.kpis:
        columns = tuple(sorted((v.year, v.kind) for v in kpi.values))
        if columns != expected:
            odd[columns].append(kpi)
    return [
        _finding(
            year_columns_fit_plan_year,
            f"year columns {_years(columns, ValueKind.ACTUAL)} (actual) and "
            f"{_years(columns, ValueKind.TARGET)} (target) do not fit plan year {plan}, which needs "
            f"actuals {plan - 3},{plan - 2},{plan - 1} and target {plan} (KPI {_codes(kpis)})",
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
    numbers = _NUMBER.findall(_NOTE.sub("", text))
    if len(numbers) > 1:
        return "holds more than one number"
    if numbers and not _GROUPED.match(numbers[0]):
        return f"'{numbers[0]}' is not one well-formed number (two numbers run together, or one cut short)"
    if re.match(r"[.,]\d", text):
        return f"begins with '{text[:4]}': a number cut at its start"
    printed = _NUMBER.findall(_CLOSED_NOTE.sub("", text))
    if printed and cell.value is None:
        return f"prints the number '{printed[0]}' but no value was read from it (another cell's text ahead of it?)"
    return None


def one_value_per_cell(deck: ParsedDeck) -> list[Finding]:
    """Each value cell holds one value: a number with its unit, comparator and note, or a status note.

    Catches two years' values merged into one cell ('3,545件4,184件'), a number cut in two by a
    misplaced column bound ('4,'), two values stacked on two lines of one cell, and a number left
    unread behind another cell's text ('(演練、12場'), and a cell left with only the unit the row's
    other years print ('件' beside '7件', its number read into the next column).
    """
    found = []
    for kpi in deck.kpis:
        units = {v.cell.unit for v in kpi.values if v.cell.unit}
        for v in kpi.values:
            problem = _cell_problem(v.cell)
            if v.cell.value is None and v.cell.note in units:
                problem = "holds only the unit the row's other values print after their numbers: its number is lost"
            if problem:
                detail = f"{kpi.kpi_code or kpi.kpi_name} {v.year} {v.kind}: cell {v.cell.raw_text!r} {problem}"
                found.append(_finding(one_value_per_cell, detail))
    return found


def kpi_codes_unique(deck: ParsedDeck) -> list[Finding]:
    """No KPI code is printed twice in a deck.

    Catches a deck typo and a row read twice: values and action plans are tied to their KPI by
    (deck, code), so a repeated code would mix two KPIs' numbers.
    """
    pages: dict[str, list[int]] = defaultdict(list)
    for kpi in deck.kpis:
        if kpi.kpi_code:
            pages[kpi.kpi_code].append(kpi.page)
    return [
        _finding(kpi_codes_unique, f"KPI code {code} is printed {len(on)} times (pages {', '.join(map(str, on))})")
        for code, on in pages.items()
        if len(on) > 1
    ]


def _missing(numbers: set[int]) -> list[int]:
    return sorted(set(range(1, max(numbers) + 1)) - numbers)


def code_sequence_complete(deck: ParsedDeck) -> list[Finding]:
    """Codes number their rows 1, 2, 3… under each objective (AC1.1, AC1.2) and each objective
    under its theme and perspective (AC1, AC2): a hole means rows that exist were not read.

    Catches KPI rows lost inside a table and a continued theme with fewer rows than its codes
    imply (AC1.3 read, AC1.1 and AC1.2 not). Irregular codes decks do print stay quiet: an
    objective coded like a KPI ('BL2.1') fills its slot, plan codes are not looked at, and theme
    letters may skip (A, B, D).
    """
    kpi_levels: dict[str, set[int]] = defaultdict(set)
    objective_levels: dict[str, set[int]] = defaultdict(set)
    codes = [k.kpi_code for k in deck.kpis] + [k.objective_code for k in deck.kpis]
    for code in filter(None, codes):
        match = _CODE.match(code)
        if not match:
            continue
        objective_levels[match["letters"]].add(int(match["first"]))
        prefix, _, last = code.rpartition(".")
        if prefix:
            kpi_levels[prefix].add(int(last))
    found = []
    for prefix, numbers in sorted(kpi_levels.items()):
        if missing := _missing(numbers):
            have = ", ".join(f"{prefix}.{n}" for n in sorted(numbers))
            lost = ", ".join(f"{prefix}.{n}" for n in missing)
            found.append(_finding(code_sequence_complete, f"KPI codes {lost} were not read (have {have})"))
    for letters, numbers in sorted(objective_levels.items()):
        if missing := _missing(numbers):
            have = ", ".join(f"{letters}{n}" for n in sorted(numbers))
            lost = ", ".join(f"{letters}{n}" for n in missing)
            found.append(_finding(code_sequence_complete, f"objective codes {lost} were not read (have {have})"))
    return found


def kpi_codes_match_theme(deck: ParsedDeck) -> list[Finding]:
    """A KPI's code starts with its theme's letter (AC1.1 under theme A).

    Catches rows placed under the wrong theme (a theme title missed between two tables) and codes
    that lost their first letter to the next column ('C1.1' read for 'AC1.1').
    """
    wrong: dict[str, list[Kpi]] = defaultdict(list)
    for kpi in deck.kpis:
        theme, code = kpi.theme_code, kpi.kpi_code
        if theme and len(theme) == 1 and theme.isupper() and code and code[0].isupper() and code[0] != theme:
            wrong[theme].append(kpi)
    return [
        _finding(kpi_codes_match_theme, f"KPI {_codes(kpis)} read under theme {theme}, whose codes start with {theme}")
        for theme, kpis in wrong.items()
    ]


def kpi_codes_match_objective(deck: ParsedDeck) -> list[Finding]:
    """A KPI's code starts with its objective's (AC1.2 under AC1) whenever that objective is in
    the deck.

    Catches a KPI given the objective label of the block before or after it (a label drawn
    without rules stretched over a row whose own cell was left blank at a page break). Objectives
    coded irregularly ('CP1.1' over CP1.1 and CP1.2, a deck's typo) name no objective of the
    deck and stay quiet.
    """
    objectives = {k.objective_code for k in deck.kpis if k.objective_code}
    wrong: dict[tuple[str, str], list[Kpi]] = defaultdict(list)
    for kpi in deck.kpis:
        named = kpi.kpi_code.rpartition(".")[0] if kpi.kpi_code else ""
        if kpi.objective_code and named in objectives and named != kpi.objective_code:
            wrong[(kpi.objective_code, named)].append(kpi)
    return [
        _finding(kpi_codes_match_objective, f"KPI {_codes(kpis)} read under objective {read}, not {named}")
        for (read, named), kpis in wrong.items()
    ]


def _names(deck: ParsedDeck) -> list[tuple[str, str | None, str, int]]:
    """(what, code, name, page) of every theme and objective name the KPIs carry."""
    return [
        (what, code, name, kpi.page)
        for kpi in deck.kpis
        for what, code, name in (
            ("theme", kpi.theme_code, kpi.theme_name),
            ("objective", kpi.objective_code, kpi.objective_name),
        )
        if name
    ]


def _furniture_in_names(deck: ParsedDeck) -> list[Finding]:
    found = {}
    for what, code, name, _ in _names(deck):
        what_furniture = next((label for pattern, label in _FURNITURE if pattern.search(name)), None)
        if what_furniture:
            found[(what, code, name)] = f"{what} {code + ' ' if code else ''}name {name!r} carries {what_furniture}"
    return [_finding(names_free_of_furniture, detail) for detail in found.values()]


def _office_name_on_every_theme(deck: ParsedDeck) -> list[Finding]:
    """Every theme name ending with the same part of the office's name ('…社區獅潭', '…廉能獅潭' of
    苗栗縣獅潭鄉公所) carries the office's short name or a logo caption printed beside the title."""
    themes = list(dict.fromkeys(k.theme_name for k in deck.kpis if k.theme_name))
    if len(themes) < 2 or not deck.org:
        return []
    shared = os.path.commonprefix([name[::-1] for name in themes])[::-1]
    tails = [shared[i:] for i in range(len(shared) - 1) if shared[i:] in deck.org]
    if not tails or any(len(name) <= len(tails[0]) for name in themes):
        return []
    return [
        _finding(
            names_free_of_furniture,
            f"every theme name ends with {tails[0]!r}, part of the office's name {deck.org}: text beside the "
            "title (a logo caption, the office's short name), not the theme's",
        )
    ]


def _one_name_per_code(deck: ParsedDeck) -> list[Finding]:
    pages: dict[tuple[str, str], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for what, code, name, page in _names(deck):
        if code:
            pages[(what, code)][name].add(page)
    return [
        _finding(
            names_free_of_furniture,
            f"{what} {code} is named differently: "
            + "; ".join(f"{name!r} on page {', '.join(map(str, sorted(on)))}" for name, on in by_name.items()),
        )
        for (what, code), by_name in pages.items()
        if len(by_name) > 1
    ]


def names_free_of_furniture(deck: ParsedDeck) -> list[Finding]:
    """Theme and objective names carry no page furniture, and one code has one name in a deck.

    Catches a continuation marker ('--1/2', '(續)'), a page number or the 策略主題 title text
    glued onto a name, and text beside the title (a logo caption, the office's short name): it
    makes the same theme read differently on different pages, or ends every theme's name with
    the same part of the office's name.
    """
    return [*_furniture_in_names(deck), *_office_name_on_every_theme(deck), *_one_name_per_code(deck)]


def kpi_fields_present(deck: ParsedDeck) -> list[Finding]:
    """Every KPI has a theme, a perspective, an objective with its code, a code and a name.

    Catches a theme title not recognised, a 構面 label lost on a continuation page, a 策略目標 cell
    not carried over or its code cut off into the next column ('1擴大…' for 'AC1擴大…'), and a
    KPI code or name cut off by a misplaced column bound.
    """
    missing: dict[str, list[Kpi]] = defaultdict(list)
    for kpi in deck.kpis:
        for field, value in (
            ("theme", kpi.theme_code or kpi.theme_name),
            ("perspective", kpi.perspective),
            ("objective", kpi.objective_name),
            ("objective code", kpi.objective_code),
            ("KPI code", kpi.kpi_code),
            ("KPI name", kpi.kpi_name),
        ):
            if not value:
                missing[field].append(kpi)
    return [_finding(kpi_fields_present, f"no {field} for KPI {_codes(kpis)}") for field, kpis in missing.items()]


def _perspective_problem(name: str) -> tuple[str, Severity] | None:
    if name in PERSPECTIVES:
        return None
    if any(known in name for known in PERSPECTIVES):
        return "carries text that is not part of the label", Severity.ERROR
    if set(name) <= set("".join(PERSPECTIVES) + "構面"):
        return "is a 構面 label read in pieces or out of order", Severity.ERROR
    return f"is not one of {'、'.join(PERSPECTIVES)}", Severity.WARNING


def perspective_consistent(deck: ParsedDeck) -> list[Finding]:
    """Perspectives are the four of a scorecard, every objective lies in one perspective, and the
    perspective letter of the codes (the C of AC1.1) names one perspective throughout the deck.

    Catches a rotated or stacked 構面 label read out of order ('顧面客') or glued to other text,
    and KPIs given the perspective of the block before (a band row or a span missed at a page
    break). An unfamiliar perspective name that is no misreading is a warning only.
    """
    found = []
    for name in dict.fromkeys(k.perspective for k in deck.kpis if k.perspective):
        if problem := _perspective_problem(name):
            kpis = [k for k in deck.kpis if k.perspective == name]
            found.append(
                _finding(perspective_consistent, f"perspective {name!r} {problem[0]} (KPI {_codes(kpis)})", problem[1])
            )
    by_objective: dict[str, dict[str, list[Kpi]]] = defaultdict(lambda: defaultdict(list))
    by_letter: dict[str, dict[str, list[Kpi]]] = defaultdict(lambda: defaultdict(list))
    for kpi in deck.kpis:
        if not kpi.perspective:
            continue
        if kpi.objective_code:
            by_objective[kpi.objective_code][kpi.perspective].append(kpi)
        if kpi.kpi_code and (match := re.match(r"^[A-Z]([A-Z])\d", kpi.kpi_code)):
            by_letter[match[1]][kpi.perspective].append(kpi)
    for what, groups in (("objective", by_objective), ("code letter", by_letter)):
        for key, split in groups.items():
            if len(split) > 1:
                spread = "; ".join(f"{name} for {_codes(kpis)}" for name, kpis in split.items())
                found.append(_finding(perspective_consistent, f"{what} {key} spans perspectives: {spread}"))
    return found


def _pages(kpis: Iterable[Kpi]) -> dict[int, list[Kpi]]:
    pages: dict[int, list[Kpi]] = defaultdict(list)
    for kpi in kpis:
        pages[kpi.page].append(kpi)
    return pages


def action_plans_read_whole(deck: ParsedDeck) -> list[Finding]:
    """Each KPI lists its action plans whole: a name for every plan, codes on all plans or on none,
    numbered 1, 2, 3… (whatever their prefix). A table page where no KPI has a plan is an error
    (the 行動方案 column was lost there); a single KPI without a plan is a warning.

    Catches a lost 行動方案 column, and a plan cell cut between two rows (a name's tail read as a
    plan of its own under the next KPI, a plan left without its name).
    """
    found = [
        _finding(action_plans_read_whole, f"no KPI on page {page} has an action plan ({_codes(kpis)})")
        for page, kpis in _pages(deck.kpis).items()
        if not any(k.action_plans for k in kpis)
    ]
    lost_pages = {k.page for k in deck.kpis} if found else set()
    for kpi in deck.kpis:
        label = kpi.kpi_code or kpi.kpi_name
        codes = [p.code for p in kpi.action_plans]
        if not kpi.action_plans and kpi.page not in lost_pages:
            found.append(_finding(action_plans_read_whole, f"KPI {label} has no action plan", Severity.WARNING))
        elif any(not p.name for p in kpi.action_plans):
            found.append(_finding(action_plans_read_whole, f"KPI {label}: an action plan has no name ({codes})"))
        elif None in codes and any(codes):
            uncoded = [p.name for p in kpi.action_plans if p.code is None]
            found.append(
                _finding(action_plans_read_whole, f"KPI {label}: plans {uncoded} have no code beside coded ones")
            )
        elif any(codes) and [int(c.rpartition(".")[2]) for c in codes] != list(range(1, len(codes) + 1)):
            found.append(
                _finding(action_plans_read_whole, f"KPI {label}: plan codes {codes} are not numbered 1, 2, 3…")
            )
    return found


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
                _finding(value_columns_read, f"every value cell of KPI {kpi.kpi_code or kpi.kpi_name} is blank")
            )
    for page, kpis in _pages(deck.kpis).items():
        if len(kpis) < 3:
            continue
        columns = sorted({(v.year, v.kind) for k in kpis for v in k.values})
        for year, kind in columns:
            if all(any(v.year == year and v.kind == kind and _blank(v.cell) for v in k.values) for k in kpis):
                found.append(
                    _finding(value_columns_read, f"the {year} {kind} column is blank for every KPI on page {page}")
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
    return [_finding(deck_has_numbers, f"no value cell holds a number (cells read: {shown or 'none'})")]


CHECKS: tuple[Callable[[ParsedDeck], list[Finding]], ...] = (
    year_columns_fit_plan_year,
    one_value_per_cell,
    kpi_codes_unique,
    code_sequence_complete,
    kpi_codes_match_theme,
    kpi_codes_match_objective,
    names_free_of_furniture,
    kpi_fields_present,
    perspective_consistent,
    action_plans_read_whole,
    value_columns_read,
    deck_has_numbers,
)


def check_deck(deck: ParsedDeck) -> list[Finding]:
    """Every plausibility check's findings for `deck` (empty when it reads as a well-formed deck)."""
    return [finding for check in CHECKS for finding in check(deck)]
