"""Write the scorecard report for a warehouse: the one entry point the CLI and the Dagster asset call."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipeline.report import fonts, html
from pipeline.report.data import build_report
from pipeline.report.thresholds import Light, ReportConfig


@dataclass(frozen=True)
class ReportSummary:
    """What the report holds, for a line on the terminal and the asset's metadata."""

    path: Path
    offices: list[str]
    kpis: int
    charts: int
    lights: dict[str, int] = field(default_factory=dict)
    font: str | None = None  # the embedded font file, or None (the reader's system fonts)

    def line(self) -> str:
        counts = ", ".join(f"{n} {light}" for light, n in self.lights.items())
        return f"{len(self.offices)} offices, {self.kpis} KPIs ({counts}), {self.charts} charts → {self.path}"


def _write_atomically(path: Path, text: str) -> None:
    """Readers (a browser refreshing the page) never see half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")  # plain open: the umask's permissions
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_report(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    config: ReportConfig,
    pdf_dir: Path | None = None,
    org: str | None = None,
    database: str = "",
) -> ReportSummary:
    """Render every office's scorecard (or those whose name contains `org`) into one HTML file.

    `pdf_dir` is where the decks are, for the links from each number to its page."""
    offices = build_report(con, config.thresholds, org)
    font = fonts.find_cjk_font(config.font)
    page = html.render(offices, config.thresholds, out, pdf_dir, font, database)
    _write_atomically(out, page)
    lines = [k for office in offices for k in office.kpis]
    return ReportSummary(
        path=out,
        offices=[office.org for office in offices],
        kpis=len(lines),
        charts=page.count('class="marks"'),
        lights={light.value: sum(k.light == light for k in lines) for light in Light},
        font=str(font.path) if font else None,
    )
