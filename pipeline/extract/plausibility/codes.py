"""Checks on the KPI codes: printed once, numbered without holes, under their theme and objective."""

from __future__ import annotations

import re
from collections import defaultdict

from pipeline.clean.codes import objective_of
from pipeline.extract.plausibility.common import finding, listed_codes
from pipeline.model import Finding, Kpi, ParsedDeck

_CODE = re.compile(r"^(?P<letters>[A-Z]+)(?P<first>\d+)(?:\.\d+)*$")


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
        finding(kpi_codes_unique, f"KPI code {code} is printed {len(on)} times (pages {', '.join(map(str, on))})")
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
            found.append(finding(code_sequence_complete, f"KPI codes {lost} were not read (have {have})"))
    for letters, numbers in sorted(objective_levels.items()):
        if missing := _missing(numbers):
            have = ", ".join(f"{letters}{n}" for n in sorted(numbers))
            lost = ", ".join(f"{letters}{n}" for n in missing)
            found.append(finding(code_sequence_complete, f"objective codes {lost} were not read (have {have})"))
    return found


def kpi_codes_match_theme(deck: ParsedDeck) -> list[Finding]:
    """A KPI's code starts with its theme's letter (AC1.1 under theme A), and a deck that codes
    its themes codes them all.

    Catches rows placed under the wrong theme (a theme title missed between two tables), codes
    that lost their first letter to the next column ('C1.1' read for 'AC1.1'), and rows whose
    theme title was missed with other text taken for it: a sentence of speakers' notes read as
    the theme of BP1.1 in a deck whose other themes are (A) and (C).
    """
    lettered = {k.theme_code for k in deck.kpis if _is_letter(k.theme_code)}
    wrong: dict[str, list[Kpi]] = defaultdict(list)
    uncoded: dict[str, list[Kpi]] = defaultdict(list)
    for kpi in deck.kpis:
        theme, code = kpi.theme_code, kpi.kpi_code
        if not (code and code[0].isupper()):
            continue
        if _is_letter(theme) and code[0] != theme:
            wrong[theme].append(kpi)
        elif not theme and lettered:
            uncoded[kpi.theme_name or ""].append(kpi)
    found = [
        finding(
            kpi_codes_match_theme, f"KPI {listed_codes(kpis)} read under theme {theme}, whose codes start with {theme}"
        )
        for theme, kpis in wrong.items()
    ]
    themes = ", ".join(sorted(lettered))
    found += [
        finding(
            kpi_codes_match_theme,
            f"KPI {listed_codes(kpis)} read under a theme printed without a code ('{name}'),"
            f" where the deck's other themes are coded ({themes}): its title was not found",
        )
        for name, kpis in uncoded.items()
    ]
    return found


def _is_letter(theme: str | None) -> bool:
    """A theme code of one capital letter, as decks letter their themes (A), (B)."""
    return bool(theme) and len(theme) == 1 and theme.isupper()


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
        named = objective_of(kpi.kpi_code) if kpi.kpi_code else None
        if kpi.objective_code and named in objectives and named != kpi.objective_code:
            wrong[(kpi.objective_code, named)].append(kpi)
    return [
        finding(kpi_codes_match_objective, f"KPI {listed_codes(kpis)} read under objective {read}, not {named}")
        for (read, named), kpis in wrong.items()
    ]
