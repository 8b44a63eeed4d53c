"""Checks on each KPI's row: every field present and readable, the perspective one of the four and
steady, the action plans whole."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from pipeline.extract.labels import LABEL_LETTERS, PERSPECTIVES
from pipeline.extract.plausibility.common import by_page, finding, listed_codes
from pipeline.extract.scheme import INITIALS, code_letter, follows_initials
from pipeline.extract.text_layer import stray_angle_brackets, unnamed_glyphs
from pipeline.model import Finding, Kpi, ParsedDeck, Severity


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
    return [finding(kpi_fields_present, f"no {field} for KPI {listed_codes(kpis)}") for field, kpis in missing.items()]


def cells_readable(deck: ParsedDeck) -> list[Finding]:
    """No text read into a KPI's fields, or the office's name, holds a glyph its font names no
    character for.

    Catches a cell printing a symbol the text layer cannot say (pdfTeX sets a TeX math font's '≥'
    or '×' from a bitmap font with no character map: '(cid:214)95%' could be ≥95% or ≤95%), or
    names as another (a '<' opening ideographs, never closed: Ghostscript re-writes '「服務禮儀」'
    as '<服務禮儀='). A deck with a few such glyphs elsewhere (in a column not read, a footer) is
    read; see text_layer.
    """
    found = []
    if deck.org and (unnamed := unnamed_glyphs(deck.org)):
        found.append(
            finding(cells_readable, f"the office's name {deck.org!r} holds {unnamed[0]}, a glyph named no character")
        )
    for kpi in deck.kpis:
        texts = [
            ("theme", kpi.theme_name),
            ("perspective", kpi.perspective),
            ("objective", kpi.objective_name),
            ("name", kpi.kpi_name),
            *((f"{v.year} {v.kind}", v.cell.raw_text) for v in kpi.values),
            *(("action plan", f"{p.code or ''}{p.name}") for p in kpi.action_plans),
        ]
        for what, text in texts:
            if not text:
                continue
            label = kpi.kpi_code or kpi.kpi_name
            if unnamed := unnamed_glyphs(text):
                detail = f"KPI {label}: its {what} {text!r} holds {unnamed[0]}, a glyph named no character"
                found.append(finding(cells_readable, detail))
            elif stray := stray_angle_brackets(text):
                detail = (
                    f"KPI {label}: its {what} {text!r} opens '{stray[0]}' with a '<' never closed: a bracket "
                    "(「) the text layer names as another character"
                )
                found.append(finding(cells_readable, detail))
    return found


def _perspective_problem(name: str) -> tuple[str, Severity] | None:
    if name in PERSPECTIVES:
        return None
    if any(known in name for known in PERSPECTIVES):
        return "carries text that is not part of the label", Severity.ERROR
    if set(name) <= LABEL_LETTERS:
        return "is a 構面 label read in pieces or out of order", Severity.ERROR
    return f"is not one of {'、'.join(PERSPECTIVES)}", Severity.WARNING


def perspective_consistent(deck: ParsedDeck) -> list[Finding]:
    """Perspectives are the four of a scorecard, every objective lies in one perspective, and the
    perspective letter of the codes (the C of AC1.1) names one perspective throughout the deck:
    in a deck lettered by the perspectives' initials (see pipeline.extract.scheme), its initial's.

    Catches a rotated or stacked 構面 label read out of order ('顧面客') or glued to other text,
    and KPIs given the perspective of the block before (a band row or a span missed at a page
    break, a label carried on over a blank cell into the next block: BF1.1 under 學習成長). An
    unfamiliar perspective name that is no misreading is a warning only.
    """
    found = []
    for name in dict.fromkeys(k.perspective for k in deck.kpis if k.perspective):
        if problem := _perspective_problem(name):
            kpis = [k for k in deck.kpis if k.perspective == name]
            found.append(
                finding(
                    perspective_consistent, f"perspective {name!r} {problem[0]} (KPI {listed_codes(kpis)})", problem[1]
                )
            )
    by_objective: dict[str, dict[str, list[Kpi]]] = defaultdict(lambda: defaultdict(list))
    by_letter: dict[str, dict[str, list[Kpi]]] = defaultdict(lambda: defaultdict(list))
    for kpi in deck.kpis:
        if not kpi.perspective:
            continue
        if kpi.objective_code:
            by_objective[kpi.objective_code][kpi.perspective].append(kpi)
        if letter := code_letter(kpi):
            by_letter[letter][kpi.perspective].append(kpi)
    for what, groups in (("objective", by_objective), ("code letter", by_letter)):
        for key, split in groups.items():
            if len(split) > 1:
                spread = "; ".join(f"{name} for {listed_codes(kpis)}" for name, kpis in split.items())
                found.append(finding(perspective_consistent, f"{what} {key} spans perspectives: {spread}"))
    return found + _against_initials(deck.kpis, by_letter)


def _against_initials(kpis: list[Kpi], by_letter: dict[str, dict[str, list[Kpi]]]) -> list[Finding]:
    """KPIs read under a perspective their code's initial does not name, in a deck that follows
    the initials (a letter read under two perspectives is reported as spanning them). A deck whose
    codes bear two initials or more and no other letter follows them, however its labels read:
    every KPI read under the first perspective (its label carried on over the others') is no
    deck that follows nothing."""
    letters = {code_letter(kpi) for kpi in kpis}
    lettered = None not in letters and len(letters) >= 2 and letters <= INITIALS.keys()
    if not (lettered or follows_initials(kpis)):
        return []
    found = []
    for letter, split in by_letter.items():
        named = INITIALS.get(letter)
        if named is None or len(split) > 1:
            continue
        for name, wrong in split.items():
            if name in PERSPECTIVES and name != named:
                what = f"code letter {letter} is the initial of {named}, but reads {name} (KPI {listed_codes(wrong)})"
                found.append(finding(perspective_consistent, what))
    return found


def action_plans_read_whole(deck: ParsedDeck) -> list[Finding]:
    """Each KPI lists its action plans whole: a name for every plan, codes on all plans or on none,
    numbered 1, 2, 3… (whatever their prefix). A table page where no KPI has a plan is an error
    (the 行動方案 column was lost there); a single KPI without a plan is a warning.

    Catches a lost 行動方案 column, a plan cell cut between two rows (a name's tail read as a
    plan of its own under the next KPI, a plan left without its name), and a plan fused to the
    one before whose code was not split off (a name holding the KPI's own code, 'EF1.2 .3…').
    """
    found = [
        finding(action_plans_read_whole, f"no KPI on page {page} has an action plan ({listed_codes(kpis)})")
        for page, kpis in by_page(deck.kpis).items()
        if not any(k.action_plans for k in kpis)
    ]
    lost_pages = {k.page for k in deck.kpis} if found else set()
    for kpi in deck.kpis:
        label = kpi.kpi_code or kpi.kpi_name
        codes = [p.code for p in kpi.action_plans]
        if not kpi.action_plans and kpi.page not in lost_pages:
            found.append(finding(action_plans_read_whole, f"KPI {label} has no action plan", Severity.WARNING))
        elif any(not p.name for p in kpi.action_plans):
            found.append(finding(action_plans_read_whole, f"KPI {label}: an action plan has no name ({codes})"))
        elif None in codes and any(codes):
            uncoded = [p.name for p in kpi.action_plans if p.code is None]
            found.append(
                finding(action_plans_read_whole, f"KPI {label}: plans {uncoded} have no code beside coded ones")
            )
        elif any(codes) and [int(c.rpartition(".")[2]) for c in codes] != list(range(1, len(codes) + 1)):
            found.append(finding(action_plans_read_whole, f"KPI {label}: plan codes {codes} are not numbered 1, 2, 3…"))
        elif held := [p.name for p in kpi.action_plans if kpi.kpi_code and _holds_plan_code(p.name, kpi.kpi_code)]:
            found.append(
                finding(action_plans_read_whole, f"KPI {label}: a plan name holds a plan code ({held[0][:40]})")
            )
    return found


def _holds_plan_code(name: str, kpi_code: str) -> bool:
    """True when `name` holds a code of one of `kpi_code`'s plans, spaces inside or not."""
    return _plan_code_pattern(kpi_code).search(name) is not None


@lru_cache(maxsize=4096)
def _plan_code_pattern(kpi_code: str) -> re.Pattern[str]:
    """Made once a code: a deck asks of every plan, and more codes than re's own cache holds."""
    spaced = r"\s?".join(re.escape(ch) for ch in kpi_code)
    return re.compile(rf"{spaced}\s?\.\s?\d")


def rows_apart_at_page_breaks(deck: ParsedDeck) -> list[Finding]:
    """The last KPI read on a page does not end with how the next page's first KPI begins.

    Catches a row's top printed at a page's foot as well as whole atop the next page, read into the
    row above it: a browser printing a table without rules prints the line a page break cuts on
    both pages, and the slice left at the foot carries the next row's first words but not its code
    (too short to reach into the part shown), so they run on from the KPI name or last plan before
    ('…場次' + '參與文化多敏感度研習課程', which CL1.1 on the next page begins with).
    """
    found = []
    for before, after in zip(deck.kpis, deck.kpis[1:]):
        if after.page <= before.page or after.theme_code != before.theme_code:
            continue
        ends = [("name", before.kpi_name, after.kpi_name)]
        if before.action_plans and after.action_plans:
            ends.append(("last action plan", before.action_plans[-1].name, after.action_plans[0].name))
        for what, end, start in ends:
            if end and start and (tail := _begun_by(end, start)):
                detail = (
                    f"KPI {before.kpi_code}'s {what} ends with {tail!r} on page {before.page}, as KPI "
                    f"{after.kpi_code}'s begins on page {after.page}: that row's top printed at the page's foot too"
                )
                found.append(finding(rows_apart_at_page_breaks, detail))
    return found


def _begun_by(end: str, start: str) -> str | None:
    """The longest tail of `end` (four letters at least, short of all of it) that spells the first
    letters of `start`, some of them left out (a slice of a line shows only letters that reach
    into it)."""
    for size in range(min(len(end) - 1, len(start)), 3, -1):
        tail = end[-size:]
        if tail[0] == start[0] and _spelled_in(tail, start[: size + size // 4 + 1]):
            return tail
    return None


def _spelled_in(letters: str, text: str) -> bool:
    """True when `letters` appear in `text` in their order (others may stand between)."""
    rest = iter(text)
    return all(letter in rest for letter in letters)
