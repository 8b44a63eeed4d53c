"""Checks on names: the office's read at all; theme and objective names free of page furniture,
one name per code."""

from __future__ import annotations

import os
import re
from collections import defaultdict

from pipeline.extract.labels import TOOL_NOTICE
from pipeline.extract.plausibility.common import finding
from pipeline.model import Finding, ParsedDeck, Severity

_FURNITURE = (
    (re.compile(r"[-－—–]+\s*\d+\s*[/／]\s*\d+|[(（]\s*\d+\s*[/／]\s*\d+\s*[)）]"), "a continuation marker ('--1/2')"),
    (re.compile(r"[(（]\s*續\s*[)）]"), "a continuation marker ('(續)')"),
    (re.compile(r"策略主題"), "the words 策略主題 of a title"),
    (re.compile(r"[-－—–]\s*\d+\s*[-－—–]|第\s*\d+\s*頁|(?<![\d.])\d+\s*[/／]\s*\d+(?![\d.])"), "a page number"),
    # A number of a digit or two right after the name's last ideograph: the next row's number from a
    # numbering column that a continued table's fitted edges left in the objective's column.
    (re.compile(r"(?<=[\u4e00-\u9fff])\d{1,2}$"), "a row's number"),
    # ... or one right before its first ideograph: the row's own number, its column lost (a header
    # label of the numbering column taken for page furniture: '6強化服務禮儀訓練').
    (re.compile(r"^\d{1,2}(?=[\u4e00-\u9fff])"), "a row's number"),
)


def _labels(deck: ParsedDeck) -> list[tuple[str, str | None, str | None, int]]:
    """(what, code, name, page) of every KPI's theme and objective, named or not."""
    return [
        (what, code, name, kpi.page)
        for kpi in deck.kpis
        for what, code, name in (
            ("theme", kpi.theme_code, kpi.theme_name),
            ("objective", kpi.objective_code, kpi.objective_name),
        )
    ]


def _names(deck: ParsedDeck) -> list[tuple[str, str | None, str, int]]:
    """(what, code, name, page) of every theme and objective name the KPIs carry."""
    return [(what, code, name, page) for what, code, name, page in _labels(deck) if name]


def _row_names(deck: ParsedDeck) -> list[tuple[str, str | None, str, int]]:
    """(what, code, name, page) of every KPI's and action plan's name, a plan on its KPI's page."""
    named = [("KPI", kpi.kpi_code, kpi.kpi_name, kpi.page) for kpi in deck.kpis]
    return named + [("action plan", plan.code, plan.name, kpi.page) for kpi in deck.kpis for plan in kpi.action_plans]


def _furniture_in_names(deck: ParsedDeck) -> list[Finding]:
    found = {}
    for what, code, name, _ in _names(deck):
        what_furniture = next((label for pattern, label in _FURNITURE if pattern.search(name)), None)
        if what_furniture:
            found[(what, code, name)] = f"{what} {code + ' ' if code else ''}name {name!r} carries {what_furniture}"
    return [finding(names_free_of_furniture, detail) for detail in found.values()]


def _tool_notice_in_names(deck: ParsedDeck) -> list[Finding]:
    """A tool's evaluation notice read into any name the deck publishes: a KPI's, a plan's, a
    theme's or an objective's (ActiveReportsJS prints its notice over a borderless table's last
    row, whose KPI cell takes the words standing in its column)."""
    named = [(what, code, name) for what, code, name, _ in [*_names(deck), *_row_names(deck)]]
    found = {
        (what, code, name): f"{what} {code + ' ' if code else ''}name {name!r} carries a tool's notice "
        f"{match.group(0)!r}: text printed over the table, not the name's"
        for what, code, name in named
        if name and (match := TOOL_NOTICE.search(name))
    }
    return [finding(names_free_of_furniture, detail) for detail in found.values()]


# A page's number and count ('4 / 7') ending a KPI's or a plan's name: a footer printed on the line
# of a table's last row, whose cell took it in (beamer's footline beside a row run down into it).
_PAGE_OF = re.compile(r"(?<![\d.,/])(\d{1,3})\s*[/／]\s*(\d{1,3})$")


# A bare number right after a name's last ideograph ('…實施計畫1'): the page's own number, when it
# is the number of the page the row is on (a footer inside the last row of a table run down to the
# page's foot, on a first page, which has no page before it to learn the number's spot from).
_BARE_END = re.compile(r"(?<=[\u4e00-\u9fff])(\d{1,3})$")


def _page_numbers_in_row_names(deck: ParsedDeck) -> list[Finding]:
    found = {
        (what, code, name): f"{what} {code + ' ' if code else ''}name {name!r} ends with a page number "
        f"{match.group(0)!r}: a footer on the row's line, not the name's"
        for what, code, name, page in _row_names(deck)
        if name
        and (
            ((match := _PAGE_OF.search(name)) and int(match[1]) <= int(match[2]))
            or ((match := _BARE_END.search(name)) and int(match[1]) == page)
        )
    }
    return [finding(names_free_of_furniture, detail) for detail in found.values()]


# A page's print stamp ('列印日期：109/03/03', '製表時間'): a report's footer or header, no name's words.
_PRINT_STAMP = re.compile(r"(?:列印|製表|印表)(?:日期|時間)")


def _print_stamps_in_names(deck: ParsedDeck) -> list[Finding]:
    found = {
        (what, code, name): f"{what} {code + ' ' if code else ''}name {name!r} carries a print stamp "
        f"{match.group(0)!r}: a page's header or footer, not the name's"
        for what, code, name, _ in [*_names(deck), *_row_names(deck)]
        if name and (match := _PRINT_STAMP.search(name))
    }
    return [finding(names_free_of_furniture, detail) for detail in found.values()]


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
        finding(
            names_free_of_furniture,
            f"every theme name ends with {tails[0]!r}, part of the office's name {deck.org}: text beside the "
            "title (a logo caption, the office's short name), not the theme's",
        )
    ]


def _one_name_per_code(deck: ParsedDeck) -> list[Finding]:
    """A theme's or objective's code named two ways, or named for some KPIs and not for others
    (a title naming the theme by its code alone read as a theme of no name)."""
    pages: dict[tuple[str, str], dict[str | None, set[int]]] = defaultdict(lambda: defaultdict(set))
    for what, code, name, page in _labels(deck):
        if code:
            pages[(what, code)][name].add(page)
    return [
        finding(
            names_free_of_furniture,
            f"{what} {code} is named differently: "
            + "; ".join(
                f"{'no name' if name is None else repr(name)} on page {', '.join(map(str, sorted(on)))}"
                for name, on in by_name.items()
            ),
        )
        for (what, code), by_name in pages.items()
        if len(by_name) > 1
    ]


# Five ideographs or more, then the same again: a line cut by a page break read on both pages
# (a handout's two slides show it twice). No name repeats so long a run back to back.
_READ_TWICE = re.compile(r"([\u4e00-\u9fff]{5,})\1")


def _names_read_twice(deck: ParsedDeck) -> list[Finding]:
    found = {}
    for what, code, name, _ in [*_names(deck), *_row_names(deck)]:
        if name and (twice := _READ_TWICE.search(name)):
            found[(what, code, name)] = f"{what} {code + ' ' if code else ''}name {name!r} repeats {twice[1]!r}"
    return [finding(names_free_of_furniture, detail) for detail in found.values()]


def names_free_of_furniture(deck: ParsedDeck) -> list[Finding]:
    """Theme and objective names carry no page furniture, and one code has one name in a deck.

    Catches a continuation marker ('--1/2', '(續)'), a page number, a row's number ('…人才3', '6強化…') or
    the 策略主題 title text glued onto a name, and text beside the title (a logo caption, the
    office's short name): it makes the same theme read differently on different pages, or ends every theme's name with
    the same part of the office's name. Also a PDF tool's evaluation notice read into any name,
    a KPI's or a plan's too, and a page's number and count, or the bare number of its page,
    ending a KPI's or a plan's name, or a page's print stamp ('列印日期：109/03/03') in any.
    Also a run of words read twice back to back in any name ('…能力計畫里鄰災害應變能力計畫':
    a line a page break cut, read on both sides of it).
    """
    return [
        *_furniture_in_names(deck),
        *_names_read_twice(deck),
        *_tool_notice_in_names(deck),
        *_page_numbers_in_row_names(deck),
        *_print_stamps_in_names(deck),
        *_office_name_on_every_theme(deck),
        *_one_name_per_code(deck),
    ]


def office_named(deck: ParsedDeck) -> list[Finding]:
    """The deck names its office, on the title slide or in the strategy map's title (WARNING).

    Catches a deck whose office was not read (a blank or pictured cover, a title set in a way the
    reader does not take for an office's name): its numbers are read as any deck's, but it cannot
    be matched to its other versions (a republished deck stands beside the old one, both current)
    nor its KPIs to the office's other years.
    """
    if deck.org:
        return []
    return [
        finding(
            office_named,
            "no office's name read from the title slide or the strategy map's title: this deck is not matched to "
            "its other versions or years",
            Severity.WARNING,
        )
    ]
