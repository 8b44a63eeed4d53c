"""Traffic-light status of a KPI: attainment against thresholds from scorecards.toml's [report].

[report]
green = 100   # attainment (percent of target) at or above which a KPI is green
amber = 90    # ... amber; below it, red
font = "/path/to/a-CJK-font.ttc"   # optional: the font to embed (default: found on this machine)

Attainment is actual ÷ target, or target ÷ actual for KPIs where lower is better (the warehouse's
kpi_attainment view already does that), so one pair of thresholds serves both directions.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pipeline.warehouse.config import ConfigError


class Light(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NOT_APPLICABLE = "na"  # 不適用: the deck says the target or actual does not apply that year
    NO_DATA = "none"  # no actual yet, or an empty cell


@dataclass(frozen=True)
class Thresholds:
    green: float = 100.0
    amber: float = 90.0

    def light(self, attainment: float | None, achieved: bool | None) -> Light:
        """The light for a KPI-year with both target and actual reported."""
        if attainment is None:  # the actual is 0 where lower is better: met or not, no ratio
            if achieved is None:
                return Light.NO_DATA
            return Light.GREEN if achieved else Light.RED
        percent = attainment * 100
        if percent >= self.green:
            return Light.GREEN
        return Light.AMBER if percent >= self.amber else Light.RED


@dataclass(frozen=True)
class ReportConfig:
    thresholds: Thresholds = Thresholds()
    font: Path | None = None  # a font file to embed instead of the one found on this machine


def load_report_config(path: Path | None) -> ReportConfig:
    """The [report] section of the analysts' config file; defaults when absent."""
    if path is None or not path.exists():
        return ReportConfig()
    try:
        section = tomllib.loads(path.read_text(encoding="utf-8")).get("report", {})
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    unknown = set(section) - {"green", "amber", "font"}
    if unknown:
        raise ConfigError(f"{path}: [report] has unknown keys {sorted(unknown)}; known: green, amber, font")
    try:
        thresholds = Thresholds(float(section.get("green", 100.0)), float(section.get("amber", 90.0)))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: [report] green and amber are percents of target, e.g. 100 and 90") from exc
    if thresholds.amber > thresholds.green:
        raise ConfigError(f"{path}: [report] amber ({thresholds.amber}) must not exceed green ({thresholds.green})")
    font = Path(section["font"]).expanduser() if "font" in section else None
    if font is not None and not font.is_absolute():
        font = path.parent / font  # relative to the config file, like the decks it describes
    if font is not None and not font.is_file():
        raise ConfigError(f"{path}: [report] font {font} is not a file")
    return ReportConfig(thresholds, font)
