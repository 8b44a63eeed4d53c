"""A small line chart per KPI (actuals and targets over every year the office reported), drawn with
Altair (Vega-Lite) and rendered by vl-convert to SVG, so the report embeds it inline: no script,
no network, and text stays text.

The charts carry only years and numbers (the KPI's name is in its table row, the legend at the
top of the page), so they are set in a plain sans-serif: vl-convert measures text in the named
font, and resolving the report's CJK font stack makes rendering about four times slower.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import vl_convert

from pipeline.report.data import Figure

KIND_LABELS = {"actual": "實際值 actual", "target": "目標值 target"}
COLORS = {"actual": "#1f5fa8", "target": "#8a8a8a"}
WIDTH, HEIGHT = 170, 54
FONT = "sans-serif"


def _frame(history: list[Figure]) -> pd.DataFrame:
    rows = [
        {"year": f.year, "kind": KIND_LABELS[f.kind], "value": f.value}
        for f in history
        if f.status == "reported" and f.value is not None
    ]
    return pd.DataFrame(rows, columns=["year", "kind", "value"])


def kpi_chart(history: list[Figure], font: str = FONT) -> alt.Chart | None:
    """Actuals (solid) and targets (dashed) by ROC year; None when nothing was reported."""
    data = _frame(history)
    if data.empty:
        return None
    kinds = [KIND_LABELS[k] for k in ("actual", "target")]
    years = sorted({f.year for f in history})  # years with 不適用 or empty cells keep their place
    return (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=18), strokeWidth=1.6)
        .encode(
            x=alt.X(
                "year:O",
                title=None,
                scale=alt.Scale(domain=years),
                axis=alt.Axis(labelAngle=0, labelFontSize=9, ticks=False),
            ),
            y=alt.Y(
                "value:Q",
                title=None,
                scale=alt.Scale(zero=False, nice=True),
                axis=alt.Axis(tickCount=3, labelFontSize=9, grid=True, format="~s"),
            ),
            color=alt.Color(
                "kind:N", scale=alt.Scale(domain=kinds, range=[COLORS["actual"], COLORS["target"]]), legend=None
            ),
            strokeDash=alt.StrokeDash("kind:N", scale=alt.Scale(domain=kinds, range=[[1, 0], [4, 3]]), legend=None),
        )
        .properties(width=WIDTH, height=HEIGHT)
        .configure(font=font, background="transparent")
        .configure_view(strokeWidth=0)
        .configure_axis(domainColor="#bbb", gridColor="#eee", labelColor="#555")
    )


def to_svg(chart: alt.Chart, chart_id: str) -> str:
    """The chart as an inline <svg> element; ids made unique so many charts can share one page."""
    svg = vl_convert.vegalite_to_svg(chart.to_dict(validate=False))  # a fixed spec: vl-convert rejects a bad one
    svg = re.sub(r'id="([^"]+)"', lambda m: f'id="{chart_id}-{m.group(1)}"', svg)
    return re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{chart_id}-{m.group(1)})", svg)
