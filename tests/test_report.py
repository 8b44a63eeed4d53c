"""`scorecards report` and the scorecard_report asset on the sample decks: one offline HTML file with
a traffic-light table per office, a chart per KPI, links to deck pages, restatements and flags."""

from __future__ import annotations

import base64
import io
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import dagster as dg
import duckdb
import pytest
from dagster_duckdb import DuckDBResource
from deckmaker import _font_bytes
from fontTools.ttLib import TTFont

from assets.cli import main
from assets.definitions import defs
from assets.report import scorecard_report
from assets.resources import DeckSource
from assets.warehouse import kpi_views
from pipeline.report import fonts
from pipeline.report.data import build_report
from pipeline.report.thresholds import Light, Thresholds, load_report_config
from pipeline.warehouse.config import ConfigError

RAW_PDFS = Path(__file__).parents[1] / "raw_pdfs"
SHILIN, BEITOU = "臺北市士林區公所", "臺北市北投區公所"
FONT_CHARS = frozenset("臺北市士林區公所北投達成未接近不適用無資料0123456789.%")


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> Path:
    """scorecards.toml with a generated CJK font to embed (no system font needed, and quick to subset)."""
    folder = tmp_path_factory.mktemp("config")
    (folder / "fixture.ttf").write_bytes(_font_bytes(FONT_CHARS, "FixtureCJK"))
    (folder / "scorecards.toml").write_text('[report]\nfont = "fixture.ttf"\n', encoding="utf-8")
    return folder / "scorecards.toml"


@pytest.fixture(scope="module")
def asset_report(sample_warehouse, config, tmp_path_factory) -> tuple[Path, dict]:
    """The scorecard_report asset materialized on a copy of the sample warehouse: (HTML file, metadata)."""
    db = tmp_path_factory.mktemp("report") / "scorecards.duckdb"
    shutil.copyfile(sample_warehouse, db)
    resources = {
        "decks": DeckSource(pdf_dir=str(RAW_PDFS), staging_dir=str(db.parent / "staging"), config_path=str(config)),
        "duckdb": DuckDBResource(database=str(db)),
    }
    result = dg.materialize([scorecard_report], resources=resources)
    metadata = result.asset_materializations_for_node("scorecard_report")[0].metadata
    return Path(metadata["path"].value), {k: v.value for k, v in metadata.items()}


def _rows(page: str) -> dict[str, str]:
    """Each KPI's table row, keyed by '<org>|<kpi code>'."""
    rows = {}
    for section in re.findall(r'<section class="office".*?</section>', page, re.S):
        org = re.search(r'data-org="([^"]+)"', section).group(1)
        for row in re.findall(r'<tr class="kpi".*?</tr>', section, re.S):
            code = re.search(r'<td class="code">([^<]*)</td>', row).group(1)
            rows[f"{org}|{code}"] = row
    return rows


def test_the_asset_writes_one_html_file_with_its_summary(asset_report, sample_warehouse):
    path, metadata = asset_report
    assert path.name == "scorecards.report.html" and path.is_file()
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        latest_kpis = con.execute(
            "SELECT count(*) FROM kpis WHERE deck_id IN (SELECT arg_max(deck_id, plan_year) FROM decks GROUP BY org)"
        ).fetchone()[0]
    assert metadata["offices"] == 2 and metadata["kpis"] == latest_kpis == 36
    assert sum(metadata[f"lights_{light.value}"] for light in Light) == 36
    assert metadata["charts"] == 36, "every KPI of the sample decks has reported values, so a chart each"
    assert SHILIN in metadata["summary"]


def test_the_report_is_self_contained(asset_report):
    page = asset_report[0].read_text(encoding="utf-8")
    assert "<script" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page), "nothing is fetched from the network"
    assert not re.search(r"url\((?!data:|#)", page), "fonts and images are embedded"
    face = re.search(r'@font-face \{ font-family: "ScorecardsCJK"; src: url\(data:font/woff;base64,([^)]+)\)', page)
    assert face, "a CJK font is embedded"
    embedded = TTFont(io.BytesIO(base64.b64decode(face.group(1))))
    assert {ord(c) for c in SHILIN + BEITOU + "達成不適用"} <= set(embedded.getBestCmap())


def test_each_office_has_a_status_table_and_a_chart_per_kpi(asset_report):
    page = asset_report[0].read_text(encoding="utf-8")
    rows = _rows(page)
    assert len(rows) == 36
    assert all("<svg" in row for row in rows.values())
    assert page.index(f'data-org="{BEITOU}"') < page.index(f'data-org="{SHILIN}"')
    assert "策略主題 A 提高公民參與度" in page and "構面 內部流程" in page


@pytest.mark.parametrize(
    ("kpi", "light", "texts"),
    [
        # 112: target 97.0%, actual 86.2% -> 88.9%, below amber (90%)
        ("AF1.1", "red", ["97.0%", "86.2%", "88.9%", "未達成"]),
        ("AC1.1", "amber", ["16,791 小時", "16,358 小時", "97.4%", "接近"]),
        ("CC1.1", "green", ["82.8%", "100.0%", "達成", "▲ 3.8 pt"]),
        # lower is better: target 2.1 days, actual 2.8 -> 2.1/2.8 = 75%
        ("BP1.1", "red", ["越低越好", "75.0%", "▲ 0.4 (+16.7%)"]),
        ("CF1.1", "na", ["不適用"]),
    ],
)
def test_lights_and_numbers_as_the_deck_prints_them(asset_report, kpi, light, texts):
    row = _rows(asset_report[0].read_text(encoding="utf-8"))[f"{SHILIN}|{kpi}"]
    assert f'data-light="{light}"' in row
    for text in texts:
        assert text in row, text


def test_numbers_link_to_their_deck_page(asset_report):
    path, _ = asset_report
    row = _rows(path.read_text(encoding="utf-8"))[f"{SHILIN}|AF1.1"]
    links = re.findall(r'<a href="([^"]+)" title="([^"]+)">86.2%</a>', row)
    assert len(links) == 1
    href, title = links[0]
    assert title == "shilin-113.pdf, p. 4"
    target, page = unquote(href).split("#page=")
    assert page == "4" and (path.parent / target).resolve() == (RAW_PDFS / "shilin-113.pdf").resolve()


def test_restatements_and_data_quality_flags_are_marked(asset_report):
    row = _rows(asset_report[0].read_text(encoding="utf-8"))[f"{SHILIN}|AL2.1"]
    assert "110 actual: 31.5 in the 111 deck, 28.7 in the 112 deck (調整計算方式)" in row
    assert "plan_code_starts_with_kpi_code" in row


def test_the_report_command_writes_one_office(sample_warehouse, config, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SCORECARDS_CONFIG", str(config))
    out = tmp_path / "beitou.html"
    args = ["report", "--db", str(sample_warehouse), "--org", "北投", "--out", str(out), "--pdf-dir", str(RAW_PDFS)]
    assert main(args) == 0
    assert "1 offices, 18 KPIs" in capsys.readouterr().out
    rows = _rows(out.read_text(encoding="utf-8"))
    assert len(rows) == 18 and all(key.startswith(BEITOU) for key in rows)
    assert main([*args[:3], "--org", "大安", "--out", str(out)]) == 2
    assert "no office" in capsys.readouterr().err


def test_thresholds_come_from_the_config(sample_warehouse, tmp_path):
    cfg = tmp_path / "scorecards.toml"
    cfg.write_text("[report]\ngreen = 95\namber = 85\n", encoding="utf-8")
    thresholds = load_report_config(cfg).thresholds
    assert thresholds == Thresholds(95.0, 85.0)
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        lights = {k.kpi_code: k.light for k in build_report(con, thresholds, "士林")[0].kpis}
    assert lights["AC1.1"] == Light.GREEN  # 97.4% >= 95
    assert lights["AF1.1"] == Light.AMBER  # 88.9% >= 85
    cfg.write_text("[report]\ngreen = 90\namber = 95\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="amber"):
        load_report_config(cfg)


def test_light_edges():
    t = Thresholds()
    assert t.light(1.0, True) == Light.GREEN
    assert t.light(0.9, False) == Light.AMBER
    assert t.light(0.8999, False) == Light.RED
    assert t.light(None, True) == Light.GREEN, "an actual of 0 where lower is better has no ratio but is met"
    assert t.light(None, None) == Light.NO_DATA


def test_deck_checks_show_in_the_report(sample_warehouse, tmp_path):
    db = tmp_path / "w.duckdb"
    shutil.copyfile(sample_warehouse, db)
    with duckdb.connect(str(db)) as con:
        con.execute(
            "INSERT INTO deck_checks VALUES ('shilin-113.pdf', 'ab', 'targets_plausible', 'warning',"
            " 'BF2.1 target doubled', now())"
        )
        office = build_report(con, Thresholds(), "士林")[0]
    assert office.deck_flags == ["warning targets_plausible: BF2.1 target doubled"]


def test_the_font_subset_holds_exactly_the_characters_shown(tmp_path):
    font_file = tmp_path / "f.ttf"
    font_file.write_bytes(_font_bytes(FONT_CHARS, "FixtureCJK"))
    css = fonts.font_face_css(fonts.FontFile(font_file), "<p>臺北市 90%</p>")
    data = re.search(r"base64,([^)]+)\)", css).group(1)
    cmap = set(TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap())
    assert {ord(c) for c in "臺北市90%"} <= cmap
    assert ord("林") not in cmap, "characters the page does not show are left out"


@pytest.mark.filterwarnings("ignore::dagster.BetaWarning")  # raised inside Dagster's evaluator
def test_the_report_follows_the_views():
    """Its sensor is on by default and requests the report once the views are materialized."""
    sensor = next(s for s in defs.sensors if s.name == "scorecard_report_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    instance = dg.DagsterInstance.ephemeral()
    first = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    assert first.get_num_requested(scorecard_report.key) == 0, "nothing to report before the views exist"
    instance.report_runless_asset_event(dg.AssetMaterialization(kpi_views.key))
    second = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=first.cursor)
    assert second.get_num_requested(scorecard_report.key) == 1
