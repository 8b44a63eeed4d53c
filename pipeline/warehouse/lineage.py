"""Give every KPI an identity (kpi_key) that holds across an office's decks.

Codes are not identities: when a KPI retires its siblings are renumbered, and a KPI can be
reworded under its old code. Decks are linked year after year, each KPI to the identity it
matches best: the same name first (renumbered or not), then the same code with a similar name
(reworded), then a similar name whose earlier actuals agree with the previous deck. Analysts
can pin or cut a link in the config file (see pipeline.warehouse.config).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from pipeline.clean.text import squash

_SAME_CODE_SIMILARITY = 0.6
_OTHER_CODE_SIMILARITY = 0.75


@dataclass(frozen=True)
class KpiRef:
    """One KPI of one deck, with its reported actuals {year: value} for matching."""

    deck_id: str
    plan_year: int
    kpi_code: str | None
    kpi_name: str
    actuals: dict[int, float] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Link:
    """An analyst's override: this KPI is the same as another (`same_as`) or new (`same_as` None)."""

    plan_year: int
    kpi_code: str
    same_as: tuple[int, str] | None


@dataclass
class _Identity:
    key: str
    name: str
    code: str | None
    actuals: dict[int, float]
    plan_year: int


@lru_cache(maxsize=65536)
def _squashed(text: str) -> str:
    return squash(text)


@lru_cache(maxsize=4096)
def _matcher_for(b: str) -> SequenceMatcher:
    """A matcher holding `b`, whose index of `b` is built once for all the names compared with it."""
    return SequenceMatcher(None, "", b)


def similarity(a: str, b: str, at_least: float = 0.0) -> float:
    """How alike two names are (0..1); a name inside the other is at least 0.8. Below `at_least`
    the answer may be any value under it: the cheap upper bounds of difflib rule most pairs out
    without the full comparison (names are compared pairwise across an office's decks)."""
    a, b = _squashed(a), _squashed(b)
    if not a or not b:
        return 0.0
    matcher = _matcher_for(b)
    matcher.set_seq1(a)
    if a in b or b in a:
        return max(0.8, matcher.ratio())
    if matcher.real_quick_ratio() < at_least or matcher.quick_ratio() < at_least:
        return 0.0
    return matcher.ratio()


def _agreement(a: dict[int, float], b: dict[int, float]) -> int:
    """Shared years with equal actuals minus those with different actuals."""
    shared = set(a) & set(b)
    return sum(1 if abs(a[y] - b[y]) < 1e-9 else -1 for y in shared)


def _score(kpi: KpiRef, ident: _Identity) -> float | None:
    """How well a KPI continues an identity; None when it does not."""
    if _squashed(kpi.kpi_name) == _squashed(ident.name):
        return 100 + (kpi.kpi_code == ident.code)
    same_code = bool(kpi.kpi_code) and kpi.kpi_code == ident.code
    name_sim = similarity(kpi.kpi_name, ident.name, _SAME_CODE_SIMILARITY if same_code else _OTHER_CODE_SIMILARITY)
    if same_code and name_sim >= _SAME_CODE_SIMILARITY:
        return 50 + name_sim + _agreement(kpi.actuals, ident.actuals)
    if name_sim >= _OTHER_CODE_SIMILARITY and _agreement(kpi.actuals, ident.actuals) >= 1:
        return 10 + name_sim
    return None


def assign_keys(kpis: Iterable[KpiRef], links: Iterable[Link] = ()) -> dict[tuple[str, str | None], str]:
    """Map (deck_id, kpi_code) of one office's KPIs to keys; earlier plan years are linked first."""
    by_deck: dict[tuple[int, str], list[KpiRef]] = {}
    for kpi in kpis:
        by_deck.setdefault((kpi.plan_year, kpi.deck_id), []).append(kpi)
    overrides = {(link.plan_year, link.kpi_code): link.same_as for link in links}
    identities: list[_Identity] = []
    keys: dict[tuple[str, str | None], str] = {}
    by_origin: dict[tuple[int, str | None], _Identity] = {}
    for (plan_year, deck_id), deck_kpis in sorted(by_deck.items()):
        taken: set[str] = set()
        matched: dict[int, _Identity] = {}
        forced_new: set[int] = set()
        for i, kpi in enumerate(deck_kpis):
            key = (plan_year, kpi.kpi_code or "")
            if key not in overrides:
                continue
            target = overrides[key]
            ident = by_origin.get(target) if target else None
            if ident is None:
                forced_new.add(i)
            elif ident.key not in taken:
                matched[i] = ident
                taken.add(ident.key)
        candidates = [
            (score, i, n)
            for i, kpi in enumerate(deck_kpis)
            if i not in matched and i not in forced_new
            for n, ident in enumerate(identities)
            if ident.plan_year < plan_year and (score := _score(kpi, ident)) is not None
        ]
        for _, i, n in sorted(candidates, key=lambda c: -c[0]):
            if i in matched or identities[n].key in taken:
                continue
            matched[i] = identities[n]
            taken.add(identities[n].key)
        for i, kpi in enumerate(deck_kpis):
            ident = matched.get(i)
            if ident is None:
                ident = _Identity(_new_key(plan_year, kpi.kpi_code, keys.values()), kpi.kpi_name, kpi.kpi_code, {}, 0)
                identities.append(ident)
            ident.name, ident.code, ident.plan_year = kpi.kpi_name, kpi.kpi_code, plan_year
            ident.actuals = {**ident.actuals, **kpi.actuals}
            by_origin[(plan_year, kpi.kpi_code)] = ident
            keys[(deck_id, kpi.kpi_code)] = ident.key
    return keys


def match_versions(
    superseded: Iterable[KpiRef], current: Iterable[KpiRef], keys: dict[tuple[str, str | None], str]
) -> dict[tuple[str, str | None], str]:
    """Keys for the KPIs of superseded decks: each takes the key of the KPI it matches best (as a
    deck matches the year before) in the current deck of its plan year, else a key of its own."""
    by_year: dict[int, list[_Identity]] = defaultdict(list)
    for kpi in current:
        by_year[kpi.plan_year].append(
            _Identity(keys[(kpi.deck_id, kpi.kpi_code)], kpi.kpi_name, kpi.kpi_code, kpi.actuals, 0)
        )
    found: dict[tuple[str, str | None], str] = {}
    taken: dict[str, set[str]] = defaultdict(set)
    for kpi in superseded:
        scored = [
            (score, ident.key)
            for ident in by_year[kpi.plan_year]
            if ident.key not in taken[kpi.deck_id] and (score := _score(kpi, ident)) is not None
        ]
        key = max(scored)[1] if scored else _new_key(kpi.plan_year, kpi.kpi_code, [*keys.values(), *found.values()])
        taken[kpi.deck_id].add(key)
        found[(kpi.deck_id, kpi.kpi_code)] = key
    return found


def _new_key(plan_year: int, code: str | None, existing: Iterable[str]) -> str:
    """Readable and unique within the office: where the identity was first seen."""
    base = f"{plan_year}:{code or 'nocode'}"
    used = set(existing)
    key, n = base, 1
    while key in used:
        n += 1
        key = f"{base}#{n}"
    return key
