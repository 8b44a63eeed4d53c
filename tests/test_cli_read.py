"""The read-side commands on the sample warehouse: status, export, sql, --version and --help; and the
ingest progress reporter."""

from __future__ import annotations

import argparse
import io
import re
import shutil

import duckdb
import pytest

from assets.cli import COMMANDS, build_parser, main
from assets.cli.progress import Progress, clock_text
from pipeline.report.export import relations


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert re.fullmatch(r"scorecards \d+\.\d+\.\d+\S* \(duckdb [\d.]+\S*; .*v1\.4\.0\+\)\n", capsys.readouterr().out)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert re.search(rf"examples?:\n  scorecards {command}\b", out), out


def test_the_commands_are_registered():
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) == set(COMMANDS) >= {"ingest", "report", "status", "export", "sql"}


def test_status_lists_decks_checks_and_their_offending_rows(sample_warehouse, capsys):
    assert main(["status", "--db", str(sample_warehouse)]) == 0
    out = capsys.readouterr().out
    assert "storage v1.4.0+" in out and "last refresh 20" in out
    assert "decks: 5" in out
    assert re.search(r"臺北市士林區公所  110  shilin-110\.pdf  19 KPIs", out)
    assert re.search(r"\n {20}113  shilin-113\.pdf  18 KPIs", out), "one office name, its plan years below it"
    assert "rejected files: 0" in out and "quarantined decks: 0" in out
    assert "data-quality checks: 7 passed, 2 failed" in out
    assert "warn  kpi_code_starts_with_objective_code: 2 row(s)" in out
    assert "- source_file=beitou-110.pdf, objective_code=BL2.1, kpi_code=BL2.2" in out


def test_status_shows_rejections_quarantine_and_failed_checks(sample_warehouse, tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    shutil.copyfile(sample_warehouse, db)
    with duckdb.connect(str(db)) as con:
        con.execute(
            "INSERT INTO rejected_files (source_file, sha256, reason, rejected_at, parser_version)"
            " VALUES ('letter.pdf', 'ab', 'no scorecard tables found', now(), 1)"
        )
        con.execute(
            "INSERT INTO deck_checks (source_file, sha256, check_name, severity, detail, checked_at)"
            " VALUES ('odd.pdf', 'cd', 'years', 'error', 'target year 99 before actuals', now())"
        )
        con.execute("UPDATE kpis SET kpi_code = 'AF1.1' WHERE kpi_code = 'AC1.1' AND plan_year = 113")
    assert main(["status", "--db", str(db)]) == 1, "a deck is quarantined: exit 1"
    out = capsys.readouterr().out
    assert "rejected files: 1\n  letter.pdf: no scorecard tables found" in out
    assert "quarantined decks: 1\n  odd.pdf: years: target year 99 before actuals" in out
    assert "warn  kpi_codes_unique_per_deck: 1 row(s)" in out
    assert "- source_file=shilin-113.pdf, kpi_code=AF1.1, n=2" in out


def test_status_without_a_warehouse_is_a_usage_error(tmp_path, capsys):
    assert main(["status", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "scorecards ingest" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_writes_every_table_and_view(sample_warehouse, tmp_path, fmt, capsys):
    out = tmp_path / "export"
    assert main(["export", "--db", str(sample_warehouse), "--format", fmt, "--out", str(out)]) == 0
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        names = relations(con)
        expected = {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name, _ in names}
    assert {"decks", "kpis", "kpi_values", "kpi_attainment", "kpi_series", "kpi_yoy"} <= set(expected)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{name}.{fmt}" for name in expected)
    reader = "read_parquet" if fmt == "parquet" else "read_csv_auto"
    with duckdb.connect() as con:
        for name, rows in expected.items():
            assert con.execute(f"SELECT count(*) FROM {reader}('{out / f'{name}.{fmt}'}')").fetchone()[0] == rows
        orgs = con.execute(f"SELECT list(DISTINCT org ORDER BY org) FROM {reader}('{out}/decks.{fmt}')").fetchone()[0]
    assert orgs == ["臺北市北投區公所", "臺北市士林區公所"], "UTF-8 text survives"
    assert f"exported {len(expected)} tables and views" in capsys.readouterr().out


def test_sql_runs_a_query_read_only(sample_warehouse, capfd):
    assert main(["sql", "--db", str(sample_warehouse), "-c", "SELECT count(*) AS n FROM kpi_attainment"]) == 0
    assert re.search(r"\b92\b", capfd.readouterr().out)
    assert main(["sql", "--db", str(sample_warehouse), "-c", "CREATE TABLE x (i INTEGER)"]) != 0, "read-only"


def test_progress_on_a_pipe_is_plain_lines_with_the_time_left():
    stream, now = io.StringIO(), [0.0]
    progress = Progress(3, stream, clock=lambda: now[0])
    # a starts at 0 s; b at 20 s (one done in 20 s, two to go); c at 30 s (two done in 30 s, one to go)
    for name, at in (("a.pdf", 0), ("b.pdf", 20), ("c.pdf", 30)):
        now[0] = at
        progress.step(name)
    progress.close()
    assert stream.getvalue().splitlines() == ["[1/3] a.pdf", "[2/3] b.pdf · 0:40 left", "[3/3] c.pdf · 0:15 left"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_redraws_one_line_with_a_bar():
    stream, now = _Terminal(), [0.0]
    progress = Progress(2, stream, clock=lambda: now[0])
    progress.step("a.pdf")
    now[0] = 20
    progress.step("b.pdf")
    now[0] = 40
    progress.close()
    out = stream.getvalue()
    assert "\n" not in out.rstrip("\n") and out.count("\r\033[K") == 3
    assert "[2/2] b.pdf · 0:20 left" in out and "░" in out
    assert out.endswith("2/2 in 0:40\n")


def test_clock_text():
    assert [clock_text(s) for s in (0, 83, 3725)] == ["0:00", "1:23", "1:02:05"]
