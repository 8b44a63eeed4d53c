"""The scorecard report as an asset: rewritten after each refresh of the views, beside the warehouse.

It reads the published warehouse through a read-only DuckDBResource connection, so it never holds
up a refresh; its metadata gives the file's path and what the report holds (offices, KPIs, lights).
It follows kpi_views by declarative automation (eager: once the views are materialized), evaluated
by its own sensor, on by default like the deck sensor, so nobody has to switch anything on in the UI.
"""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets import settings
from assets.resources import DeckSource
from assets.warehouse import kpi_views
from pipeline.report.scorecard import ReportSummary, write_report
from pipeline.report.thresholds import load_report_config


def _summary_markdown(summary: ReportSummary) -> str:
    lights = " · ".join(f"{light}: {n}" for light, n in summary.lights.items())
    offices = "\n".join(f"- {org}" for org in summary.offices)
    return f"{summary.kpis} KPIs, {summary.charts} charts ({lights})\n\n{offices}"


@dg.asset(
    deps=[kpi_views],
    kinds={"html"},
    automation_condition=dg.AutomationCondition.eager(),
    description="One self-contained HTML scorecard report (traffic lights and a chart per KPI), beside the warehouse.",
)
def scorecard_report(
    context: dg.AssetExecutionContext, decks: DeckSource, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    database = Path(duckdb.database)
    out = settings.report_path_for(database)
    config = load_report_config(Path(decks.config_path) if decks.config_path else None)
    reader = DuckDBResource(
        database=str(database), connection_config={**duckdb.connection_config, "access_mode": "READ_ONLY"}
    )
    with reader.get_connection() as con:
        summary = write_report(con, out, config, Path(decks.pdf_dir), database=str(database))
    if summary.font is None:
        context.log.warning("no CJK font found to embed: the report relies on its readers' fonts for Chinese text")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(out)),
            "offices": len(summary.offices),
            "kpis": summary.kpis,
            "charts": summary.charts,
            **{f"lights_{light}": n for light, n in summary.lights.items()},
            "font": summary.font or "",
            "summary": dg.MetadataValue.md(_summary_markdown(summary)),
        }
    )


scorecard_report_sensor = dg.AutomationConditionSensorDefinition(
    "scorecard_report_sensor",
    target=[scorecard_report],
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Rewrites the scorecard report once the views have been refreshed.",
)
