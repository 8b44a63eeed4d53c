"""The analysts' small config file (TOML): KPI link overrides and better-direction overrides.

[[kpi_link]]                       # the matcher missed a link, or made a wrong one
org = "臺北市大同區公所"
plan_year = 113
kpi_code = "BL2.1"
same_as = { plan_year = 112, kpi_code = "BL2.2" }   # leave out same_as: a new KPI

[[direction]]                      # lower is better for this KPI (default: higher)
org = "臺北市中山區公所"
kpi_name = "平均等候時間(分鐘)"    # any name the KPI has had
direction = "lower"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.warehouse.lineage import Link

DIRECTIONS = ("higher", "lower")


class ConfigError(ValueError):
    """The config file is malformed; the message names the entry."""


@dataclass(frozen=True)
class DirectionOverride:
    """Which way is better for a KPI of an office, named by any name the KPI has had."""

    org: str
    kpi_name: str
    direction: str


@dataclass(frozen=True)
class Config:
    """The analysts' overrides: KPI links per office, and better-directions."""

    links: dict[str, list[Link]] = field(default_factory=dict)
    directions: list[DirectionOverride] = field(default_factory=list)


def _link(entry: dict) -> Link:
    same_as = entry.get("same_as")
    target = (int(same_as["plan_year"]), str(same_as["kpi_code"])) if same_as else None
    return Link(int(entry["plan_year"]), str(entry["kpi_code"]), target)


def load_config(path: Path | None) -> Config:
    """Read the config file; a missing file means no overrides."""
    if path is None or not path.exists():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    links: dict[str, list[Link]] = {}
    for n, entry in enumerate(data.get("kpi_link", []), start=1):
        try:
            links.setdefault(str(entry["org"]), []).append(_link(entry))
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"{path}: kpi_link #{n} needs org, plan_year, kpi_code: {exc}") from exc
    directions = []
    for n, entry in enumerate(data.get("direction", []), start=1):
        if entry.get("direction") not in DIRECTIONS or "org" not in entry or "kpi_name" not in entry:
            raise ConfigError(f"{path}: direction #{n} needs org, kpi_name and direction 'higher' or 'lower'")
        directions.append(DirectionOverride(entry["org"], entry["kpi_name"], entry["direction"]))
    return Config(links, directions)
