"""What the plausibility checks share: how a finding is named, how KPIs are listed in one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from pipeline.model import Finding, Kpi, Severity


def finding(check: Callable, detail: str, severity: Severity = Severity.ERROR) -> Finding:
    """A finding named for the check that made it (the name is what deck_checks records)."""
    return Finding(check.__name__, severity, detail)


def listed_codes(kpis: Iterable[Kpi]) -> str:
    """The KPIs' codes for a finding's detail, the first eight and how many more."""
    listed = [k.kpi_code or f"'{k.kpi_name}'" for k in kpis]
    return ", ".join(listed[:8]) + (f" and {len(listed) - 8} more" if len(listed) > 8 else "")


def by_page(kpis: Iterable[Kpi]) -> dict[int, list[Kpi]]:
    """The KPIs on each page (checks that look at a table page as a whole)."""
    pages: dict[int, list[Kpi]] = defaultdict(list)
    for kpi in kpis:
        pages[kpi.page].append(kpi)
    return pages
