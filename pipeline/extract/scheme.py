"""Perspectives the page left unclear, read from the deck's own code scheme.

Codes are anchors: a deck that codes its KPIs 'AC1.1', 'AP1.1', 'AL1.1' names each KPI's
perspective by the letter after the theme's (C for one perspective, P for another), and prints
that letter consistently. Where a KPI's 構面 label could not be read (its cell blank on a page
that continues a block, or its letters read in pieces), the letter tells which label it lies
under, provided the deck's own KPIs tie each letter to one perspective; so does it for a KPI
given the label of the neighbouring block (rows at the edge of two labels set without rules).
Any other disagreement is left as read: the plausibility checks hold such a deck back.

Scorecards letter their perspectives by the initials of the four (Customer, internal Process,
Learning and growth, Financial): a deck whose KPIs read under a label mostly bear those initials
follows them, and then a letter its own KPIs tie to no perspective (too few of them, or all
misread the same way) names its initial's.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from pipeline.clean.text import squash
from pipeline.extract.labels import LABEL_LETTERS, PERSPECTIVES
from pipeline.model import Kpi

SCHEME_SHARE = 0.6  # of a letter's KPIs read under one perspective, for the letter to name it
INITIALS = {"C": "顧客", "P": "內部流程", "L": "學習成長", "F": "財務"}
INITIALS_SHARE = 0.8  # of a deck's lettered KPIs read under the perspective of their initial, to follow them
_LETTER = re.compile(r"^[A-Z]([A-Z])\d")


def code_letter(kpi: Kpi) -> str | None:
    """The letter after the theme's in the KPI's code ('AC1.1' → 'C'), if it has one."""
    match = _LETTER.match(kpi.kpi_code or "")
    return match.group(1) if match else None


def _unreadable(perspective: str | None) -> bool:
    """No label, or a 構面 label read in pieces or glued to another's letters."""
    if perspective is None:
        return True
    if perspective in PERSPECTIVES:
        return False
    text = squash(perspective)
    return set(text) <= LABEL_LETTERS or any(name in text for name in PERSPECTIVES)


def code_scheme(kpis: list[Kpi]) -> dict[str, str]:
    """Letter → perspective, where the deck's KPIs tie each letter to one perspective (at least
    two KPIs and most of those with that letter) and no two letters to the same one."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for kpi in kpis:
        if (letter := code_letter(kpi)) and kpi.perspective in PERSPECTIVES:
            seen[letter][kpi.perspective] += 1
    scheme = {}
    for letter, counts in seen.items():
        name, count = counts.most_common(1)[0]
        if count >= 2 and count >= SCHEME_SHARE * sum(counts.values()):
            scheme[letter] = name
    names = Counter(scheme.values())
    return {letter: name for letter, name in scheme.items() if names[name] == 1}


def follows_initials(kpis: list[Kpi]) -> bool:
    """Whether the deck letters its KPIs by the perspectives' initials (INITIALS): nearly all of
    those read under one of the four perspectives bear its initial (at least three KPIs)."""
    read = [
        (letter, kpi.perspective) for kpi in kpis if (letter := code_letter(kpi)) and kpi.perspective in PERSPECTIVES
    ]
    agreeing = sum(INITIALS.get(letter) == name for letter, name in read)
    return len(read) >= 3 and agreeing >= INITIALS_SHARE * len(read)


def letter_perspectives(kpis: list[Kpi]) -> dict[str, str]:
    """Letter → perspective: the deck's own code scheme, completed by the initials when the deck
    follows them (a letter of the scheme that names another initial's perspective is dropped)."""
    scheme = code_scheme(kpis)
    if not follows_initials(kpis):
        return scheme
    scheme = {letter: name for letter, name in scheme.items() if INITIALS.get(letter, name) == name}
    named = set(scheme.values())
    return scheme | {letter: name for letter, name in INITIALS.items() if letter not in scheme and name not in named}


def _from_fragment(perspective: str | None) -> str | None:
    """The one perspective whose name holds every letter of a label read in part (at least two
    letters; a stacked label clipped by its cell: '習成' of 學習成長), else None."""
    letters = set(squash(perspective or "")) - set("構面")
    named = [name for name in PERSPECTIVES if len(letters) >= 2 and letters <= set(name)]
    return named[0] if len(named) == 1 else None


def fill_unread_perspectives(kpis: list[Kpi]) -> None:
    """Set the perspective of KPIs whose label could not be read, or that were given the label of
    the block next to theirs (a row at the edge of two centred labels, a one-row block whose
    clipped label shows its neighbour's), by the code scheme (see letter_perspectives); a label
    read in part and not settled by the scheme, by the one name its letters belong to."""
    scheme = letter_perspectives(kpis)
    for i, kpi in enumerate(kpis):
        name = scheme.get(code_letter(kpi) or "")
        if name is None and _unreadable(kpi.perspective):
            kpi.perspective = _from_fragment(kpi.perspective) or kpi.perspective
            continue
        if name is None or kpi.perspective == name:
            continue
        around = [k for k in kpis[max(i - 1, 0) : i + 2] if k is not kpi and k.theme_code == kpi.theme_code]
        # The label of a neighbouring block: a KPI at the edge of a block (not inside one, with the
        # same label on both sides) next to a KPI whose code letter names the perspective read.
        inside = len(around) == 2 and all(k.perspective == kpi.perspective for k in around)
        borrowed = not inside and any(
            k.perspective == kpi.perspective == scheme.get(code_letter(k) or "") for k in around
        )
        if _unreadable(kpi.perspective) or name in [k.perspective for k in around] or borrowed:
            kpi.perspective = name
