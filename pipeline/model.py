"""The records a deck turns into, shared by every stage: cells parsed into `Value`s, placed in
year columns (`YearValue`), grouped into `Kpi`s of one `ParsedDeck`, and a `ParseOutcome` that is
either a deck or the reason it was rejected. Plain data; nothing here reads a PDF or a database.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class ValueKind(StrEnum):
    """Which kind of year column a value sits in."""

    ACTUAL = "actual"
    TARGET = "target"


class Status(StrEnum):
    """What a value cell holds: a number, a 不適用 status note, or nothing."""

    REPORTED = "reported"
    NOT_APPLICABLE = "not_applicable"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class Value:
    """One parsed value cell; `raw_text` is the cell as printed, lines joined by newlines."""

    value: float | None
    unit: str | None
    comparator: str | None
    status: Status
    note: str | None
    raw_text: str


@dataclass(frozen=True, slots=True)
class YearValue:
    """A value cell placed in its column: `year` as printed (ROC)."""

    year: int
    kind: ValueKind
    cell: Value


@dataclass(frozen=True, slots=True)
class ActionPlan:
    """One action plan (行動方案) of a KPI, its code as printed (None where the deck prints none)."""

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


class Severity(StrEnum):
    """ERROR: the deck cannot be published as read (it is quarantined); WARNING: worth a look."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """What a plausibility check found in a parsed deck, in words a person can act on."""

    check: str
    severity: Severity
    detail: str


@dataclass
class ParsedDeck:
    """Everything one PDF yields; `plan_year` is the year of its 目標值 column. `pdf_modified` and
    `pdf_created` (UTC, from the PDF's /ModDate and /CreationDate) tell two versions of a deck apart
    when their map dates do not."""

    source_file: str
    sha256: str
    org: str | None
    plan_year: int | None
    map_date: date | None
    page_count: int
    kpis: list[Kpi] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    pdf_modified: datetime | None = None
    pdf_created: datetime | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("map_date", "pdf_modified", "pdf_created"):
            data[name] = data[name].isoformat() if data[name] else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ParsedDeck:
        kpis = [
            Kpi(
                **{k: v for k, v in kpi.items() if k not in ("values", "action_plans")},
                values=[_year_value(v) for v in kpi["values"]],
                action_plans=[ActionPlan(**p) for p in kpi["action_plans"]],
            )
            for kpi in data["kpis"]
        ]
        map_date = date.fromisoformat(data["map_date"]) if data["map_date"] else None
        findings = [Finding(f["check"], Severity(f["severity"]), f["detail"]) for f in data.get("findings", [])]
        stamps = {k: datetime.fromisoformat(data[k]) if data.get(k) else None for k in ("pdf_modified", "pdf_created")}
        return cls(**{**data, "kpis": kpis, "map_date": map_date, "findings": findings, **stamps})


def _year_value(data: dict[str, Any]) -> YearValue:
    cell = Value(**{**data["cell"], "status": Status(data["cell"]["status"])})
    return YearValue(data["year"], ValueKind(data["kind"]), cell)


MAX_ATTEMPTS = 3  # parses that hit a time or memory limit before the rejection is kept for good


class Failure(StrEnum):
    """Whose fault a failed parse is, which decides whether it is kept, retried or only reported."""

    FILE = "file"  # not a usable deck (corrupt, encrypted, no text…): permanent for this content and parser
    LIMIT = "limit"  # ran out of time or memory, maybe because the machine was busy: retried
    INTERNAL = "internal"  # an unexpected exception in our own code: reported, never cached


@dataclass(frozen=True, slots=True)
class ParseOutcome:
    """A deck parsed, or rejected with a reason a person understands.

    `failure` says whose fault a rejection is; `attempts` counts parses that hit a limit;
    `traceback` (internal errors only, never stored) is for the log.
    """

    source_file: str
    sha256: str
    deck: ParsedDeck | None = None
    rejection: str | None = None
    reused: bool = False
    failure: Failure | None = None
    attempts: int = 0
    traceback: str | None = None

    @property
    def will_retry(self) -> bool:
        """Hit a time or memory limit fewer than MAX_ATTEMPTS times: parsed again on the next refresh."""
        return self.failure == Failure.LIMIT and self.attempts < MAX_ATTEMPTS

    def to_json(self) -> dict:
        return {
            "source_file": self.source_file,
            "sha256": self.sha256,
            "deck": self.deck.to_json() if self.deck else None,
            "rejection": self.rejection,
            "failure": self.failure,
            "attempts": self.attempts,
        }

    @classmethod
    def from_json(cls, data: dict) -> ParseOutcome:
        deck = ParsedDeck.from_json(data["deck"]) if data.get("deck") else None
        rejection = data.get("rejection")
        failure = Failure(data["failure"]) if data.get("failure") else (Failure.FILE if rejection else None)
        return cls(
            data["source_file"], data["sha256"], deck, rejection, failure=failure, attempts=data.get("attempts", 0)
        )
