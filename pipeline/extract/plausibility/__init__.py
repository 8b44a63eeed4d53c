"""Plausibility checks over a parsed deck: would any of its numbers reach an analyst wrong?

The parser is exact on every deck we have truth for; on decks from tools we have not seen it can
misread, and a misread deck must be held back, never published. These checks look only at the
records (no PDF), for what a correct reading of a well-formed deck always satisfies: year columns
that fit the plan year, one value per cell, codes in sequence under their theme, names free of
page furniture, an office's name read. A deck typo that leaves values unplaceable (a KPI code
printed twice) fails too.

Each check is a function named as the check, returning `Finding`s. ERROR means the deck is
quarantined (not published); WARNING is recorded for an analyst to look at. The checks live by
what they look at: value cells (`values`), codes (`codes`), names (`names`), each KPI's row
(`rows`); `CHECKS` lists them all, in the order their findings are reported.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.extract.plausibility.codes import (
    code_sequence_complete,
    kpi_codes_match_objective,
    kpi_codes_match_theme,
    kpi_codes_unique,
)
from pipeline.extract.plausibility.names import names_free_of_furniture, office_named
from pipeline.extract.plausibility.rows import (
    action_plans_read_whole,
    cells_readable,
    kpi_fields_present,
    perspective_consistent,
    rows_apart_at_page_breaks,
)
from pipeline.extract.plausibility.values import (
    deck_has_numbers,
    kpi_names_free_of_values,
    one_value_per_cell,
    plan_names_free_of_values,
    value_columns_read,
    value_units_agree,
    year_columns_fit_plan_year,
)
from pipeline.model import Finding, ParsedDeck

CHECKS: tuple[Callable[[ParsedDeck], list[Finding]], ...] = (
    year_columns_fit_plan_year,
    one_value_per_cell,
    kpi_names_free_of_values,
    plan_names_free_of_values,
    value_units_agree,
    kpi_codes_unique,
    code_sequence_complete,
    kpi_codes_match_theme,
    kpi_codes_match_objective,
    names_free_of_furniture,
    office_named,
    kpi_fields_present,
    cells_readable,
    perspective_consistent,
    action_plans_read_whole,
    rows_apart_at_page_breaks,
    value_columns_read,
    deck_has_numbers,
)


def check_deck(deck: ParsedDeck) -> list[Finding]:
    """Every plausibility check's findings for `deck` (empty when it reads as a well-formed deck)."""
    return [finding for check in CHECKS for finding in check(deck)]
