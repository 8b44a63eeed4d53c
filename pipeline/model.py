"""The records a deck turns into: one `ParsedDeck` holding its KPIs, their values and action plans."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from pipeline.values import Value


@dataclass(frozen=True)
class YearValue:
    """A value cell placed in its column: `kind` is 'actual' or 'target', `year` as printed (ROC)."""

    year: int
    kind: str
    cell: Value


@dataclass(frozen=True)
class ActionPlan:
    code: str | None
    name: str


@dataclass
class Kpi:
    theme_code: str | None
    theme_name: str | None
    perspective: str | None
    objective_code: str | None
    objective_name: str | None
    kpi_code: str | None
    kpi_name: str
    page: int
    values: list[YearValue] = field(default_factory=list)
    action_plans: list[ActionPlan] = field(default_factory=list)


@dataclass
class ParsedDeck:
    """Everything one PDF yields; `plan_year` is the year of its 目標值 column."""

    source_file: str
    sha256: str
    org: str | None
    plan_year: int | None
    map_date: date | None
    page_count: int
    kpis: list[Kpi] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["map_date"] = self.map_date.isoformat() if self.map_date else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ParsedDeck:
        kpis = [
            Kpi(
                **{k: v for k, v in kpi.items() if k not in ("values", "action_plans")},
                values=[YearValue(v["year"], v["kind"], Value(**v["cell"])) for v in kpi["values"]],
                action_plans=[ActionPlan(**p) for p in kpi["action_plans"]],
            )
            for kpi in data["kpis"]
        ]
        map_date = date.fromisoformat(data["map_date"]) if data["map_date"] else None
        return cls(**{**data, "kpis": kpis, "map_date": map_date})
