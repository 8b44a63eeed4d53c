"""The scorecard report as one self-contained HTML file: inline CSS, inline SVG charts, an embedded
font subset; no script and no network, so it opens offline and can be mailed or archived as is.

Numbers link to the deck they were read from (relative to the report, with #page=N, which
browsers' PDF viewers honour), so a reader can check any figure against the printed slide.
"""

from __future__ import annotations

import math
import os
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from pipeline.report import charts, fonts
from pipeline.report.data import Figure, KpiLine, Office, Source
from pipeline.report.thresholds import Light, Thresholds

LIGHT_LABELS = {
    Light.GREEN: "達成",
    Light.AMBER: "接近",
    Light.RED: "未達成",
    Light.NOT_APPLICABLE: "不適用",
    Light.NO_DATA: "無資料",
}
STATUS_WORDS = {"not_applicable": "不適用", "missing": "空白"}


def number(value: float | None, unit: str | None = None) -> str:
    """91.0 '%' -> '91.0%'; 19721 '小時' -> '19,721 小時'; as printed, without float noise."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.0f}" if float(value).is_integer() and unit != "%" else f"{value:,.2f}".rstrip("0").rstrip(".")
    if unit == "%":
        return f"{value:,.1f}%" if float(value).is_integer() else f"{text}%"
    return f"{text} {unit}" if unit else text


def percent(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio * 100:.1f}%"


def change(line: KpiLine) -> tuple[str, str]:
    """Year-over-year change as text, and 'better'/'worse'/'' given the KPI's direction."""
    if line.yoy_delta is None:
        return "—", ""
    unit = line.actual.unit if line.actual else None
    arrow = "▲" if line.yoy_delta > 0 else "▼" if line.yoy_delta < 0 else "＝"
    size = f"{abs(line.yoy_delta):,.1f} pt" if unit == "%" else number(abs(line.yoy_delta), unit)  # points, not %
    pct = f" ({line.yoy_pct * 100:+.1f}%)" if line.yoy_pct is not None else ""
    if line.yoy_delta == 0:
        return f"{arrow} 0{pct}", ""
    better = (line.yoy_delta > 0) == (line.direction == "higher")
    return f"{arrow} {size}{pct}", "better" if better else "worse"


class Linker:
    """Links from the report to the decks: relative paths, so the folder can move as a whole."""

    def __init__(self, out: Path, pdf_dir: Path | None) -> None:
        self.base, self.pdf_dir = out.resolve().parent, pdf_dir

    def href(self, source: Source) -> str | None:
        if self.pdf_dir is None:
            return None
        target = os.path.relpath((self.pdf_dir / source.source_file).resolve(), self.base)
        page = f"#page={source.page}" if source.page else ""
        return quote(Path(target).as_posix()) + page

    def figure(self, figure: Figure | None) -> Markup:
        """A value as printed, linked to its deck and page, with its note and a restated mark."""
        if figure is None:
            return Markup('<span class="none" title="no deck in the warehouse reports this">—</span>')
        text = number(figure.value, figure.unit) if figure.status == "reported" else STATUS_WORDS[figure.status]
        source = figure.source
        where = f"{source.source_file}, p. {source.page}" if source.page else source.source_file
        href = self.href(source)
        cell = Markup('<a href="{}" title="{}">{}</a>').format(href, where, text) if href else escape(text)
        if figure.note:
            cell += Markup('<span class="note">{}</span>').format(figure.note)
        if figure.restated:
            cell += Markup('<sup class="restated" title="an older deck printed another value">修</sup>')
        return cell


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("pipeline.report", "templates"), autoescape=select_autoescape(["j2"]))
    env.filters.update(number=number, percent=percent)
    env.globals.update(change=change, LIGHT_LABELS=LIGHT_LABELS, Light=Light)
    return env


def chart_svgs(offices: list[Office]) -> dict[str, Markup]:
    """One inline SVG per KPI with any reported value, keyed by an id unique in the page."""
    svgs = {}
    for n, office in enumerate(offices):
        for m, line in enumerate(office.kpis):
            chart = charts.kpi_chart(line.history)
            if chart is not None:
                chart_id = f"c{n}-{m}"
                svgs[f"{office.org}|{line.kpi_key}"] = Markup(charts.to_svg(chart, chart_id))
    return svgs


def render(
    offices: list[Office],
    thresholds: Thresholds,
    out: Path,
    pdf_dir: Path | None,
    font: fonts.FontFile | None,
    database: str = "",
) -> str:
    """The report's HTML, its font subset cut to exactly the characters it shows."""
    page = (
        _environment()
        .get_template("report.html.j2")
        .render(
            offices=offices,
            thresholds=thresholds,
            charts=chart_svgs(offices),
            link=Linker(out, pdf_dir),
            font_stack=fonts.STACK,
            generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
            database=database,
            font_css=Markup("/*FONT*/"),
        )
    )
    face = fonts.font_face_css(font, page) if font is not None else ""
    return page.replace("/*FONT*/", face, 1)
