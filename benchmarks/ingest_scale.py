"""Benchmark (`make bench`): parse cost against pdfplumber's floor, and ingest times at 60 and 1,000 decks.

python benchmarks/ingest_scale.py [SCALE_DIR]      (default: ../shared/corpus/scale)

Prints, from one run: parse ms/page and the floor's ms/page with their ratio on the public and
scale sets; a cold, a warm (nothing new) and a +1 deck `scorecards ingest` of the scale set with
their ratios to the single-core floor for the same files; the cold ingest time per deck of 1,000
generated decks against that of 60 of them; a sensor tick over the 1,000 unchanged files; peak
memory (every process of an ingest together, and the largest one). Each ingest is the real
command in a child process, SCORECARDS_WORKERS at its default (the cores). Ratios are the figures
to compare across machines; absolute times move with whatever else the machine is doing, so each
line says how much of the machine other processes took meanwhile ([others N%]: near 0% the
figure is the program's own).
"""

from __future__ import annotations

import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import generated  # noqa: E402
from floor import floor_s, parse_cost  # noqa: E402
from memory import Peak, machine_busy_s, run_measured  # noqa: E402
from sensor_tick import unchanged_tick_s  # noqa: E402

PUBLIC = ROOT / "tests" / "corpus" / "public"
EXTRA = PUBLIC / "beitou-110.pdf"  # the +1 deck (not in the scale set)
MANY = 1000


@dataclass
class Ingest:
    seconds: float
    summary: str
    peak: Peak


def ingest(target: Path, db: Path) -> Ingest:
    """`scorecards ingest TARGET --db DB` in a child process: wall time, its summary line, peak memory."""
    command = [sys.executable, "-m", "assets.cli", "ingest", str(target), "--db", str(db)]
    started = time.perf_counter()
    proc, peak = run_measured(command, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"ingest failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    summary = next((ln for ln in reversed(proc.stdout.splitlines()) if ln.startswith("ingested")), "")
    return Ingest(elapsed, summary.split(" → ")[0], peak)


def _copies(paths: list[Path], folder: Path) -> Path:
    folder.mkdir(parents=True)
    for path in paths:
        shutil.copy2(path, folder / path.name)
    return folder


def _line(label: str, value: str) -> None:
    print(f"  {label:<44} {value}")


def _others(run: Ingest) -> str:
    """How much of the machine other processes took meanwhile (the figure is the program's own near 0%)."""
    share = run.peak.others_cpu_s / (run.seconds * len(os.sched_getaffinity(0)))
    return f"[others {share:.0%}]"


def _own_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def parse_section(scale: list[Path]) -> None:
    print("parse, single process (ms per page; floor = pdfplumber opening the file and producing every page's chars)")
    for name, paths in (("public", sorted(PUBLIC.glob("*.pdf"))), ("scale", scale)):
        busy, own, started = machine_busy_s(), _own_cpu_s(), time.perf_counter()
        cost = parse_cost(paths)
        others = (machine_busy_s() - busy) - (_own_cpu_s() - own)
        share = max(0.0, others) / ((time.perf_counter() - started) * len(os.sched_getaffinity(0)))
        _line(
            f"{name} ({len(paths)} decks, {cost.pages} pages)",
            f"parse {cost.parse_ms_per_page:.1f}  floor {cost.floor_ms_per_page:.1f}  ratio {cost.ratio:.2f}"
            f" [others {share:.0%}]",
        )


def scale_section(scale: list[Path], work: Path) -> Peak:
    floor = floor_s(scale)
    print(f"ingest of the scale set ({len(scale)} decks; single-core floor for these files {floor:.1f} s)")
    folder, db = _copies(scale, work / "scale"), work / "scale-db" / "w.duckdb"
    db.parent.mkdir()
    cold = ingest(folder, db)
    _line("cold", f"{cold.seconds:.1f} s  = {cold.seconds / floor:.2f} x floor {_others(cold)}  ({cold.summary})")
    warm = ingest(folder, db)
    _line("warm (nothing new)", f"{warm.seconds:.2f} s = {warm.seconds / floor:.2f} x floor {_others(warm)}")
    shutil.copy2(EXTRA, folder / EXTRA.name)
    plus = ingest(folder, db)
    _line(
        "+1 deck",
        f"{plus.seconds:.2f} s = {plus.seconds / cold.seconds:.0%} of cold, {plus.seconds / floor:.2f} x floor"
        f" {_others(plus)}  ({plus.summary})",
    )
    return cold.peak


def many_section(work: Path) -> Peak:
    started = time.perf_counter()
    paths = generated.decks(MANY)
    print(f"{MANY} generated decks ({time.perf_counter() - started:.0f} s to draw or find them in {paths[0].parent})")
    few_db, many_db = work / "few" / "w.duckdb", work / "many" / "w.duckdb"
    few_db.parent.mkdir()
    many_db.parent.mkdir()
    few = ingest(_copies(paths[:60], work / "few-decks"), few_db)
    many = ingest(paths[0].parent, many_db)
    per_few, per_many = few.seconds / 60, many.seconds / MANY
    _line("cold, 60 of them", f"{few.seconds:.1f} s  ({per_few * 1000:.0f} ms per deck) {_others(few)}")
    _line(
        f"cold, all {MANY}",
        f"{many.seconds:.1f} s  ({per_many * 1000:.0f} ms per deck = {per_many / per_few:.2f} x the 60-deck figure)"
        f" {_others(many)}",
    )
    warm = ingest(paths[0].parent, many_db)
    _line(f"warm, all {MANY} (nothing new)", f"{warm.seconds:.1f} s {_others(warm)}")
    _line(f"sensor tick over {MANY} unchanged files", f"{unchanged_tick_s(paths[0].parent, many_db):.2f} s")
    return many.peak


def main() -> None:
    scale_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus" / "scale"
    scale = sorted(scale_dir.glob("*.pdf"))
    if not scale:
        sys.exit(f"no PDFs in {scale_dir}")
    cores = len(os.sched_getaffinity(0))
    print(f"{date.today()} · {platform.machine()}, {cores} cores · Python {platform.python_version()}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    parse_section(scale)
    with tempfile.TemporaryDirectory() as tmp:
        scale_peak = scale_section(scale, Path(tmp))
        many_peak = many_section(Path(tmp))
    print("peak memory of an ingest (all its processes together / the largest one)")
    _line(f"cold, scale set ({len(scale)} decks)", f"{scale_peak.total_mb:.0f} MB / {scale_peak.largest_mb:.0f} MB")
    _line(f"cold, {MANY} decks", f"{many_peak.total_mb:.0f} MB / {many_peak.largest_mb:.0f} MB")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
