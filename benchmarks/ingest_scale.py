"""Benchmark: a cold and a warm `scorecards ingest` of a folder of decks; prints wall time and peak memory.

python benchmarks/ingest_scale.py [DECK_DIR]      (default: ../shared/corpus/scale)
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(pdfs: list[Path], db: Path) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "assets.cli", "ingest", *map(str, pdfs), "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    elapsed = time.perf_counter() - started
    return elapsed, (proc.stdout.strip().splitlines() or [""])[-1]


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus" / "scale"
    pdfs = sorted(folder.glob("*.pdf"))
    if not pdfs:
        sys.exit(f"no PDFs in {folder}")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        cold, summary = run(pdfs, db)
        print(f"cold ingest of {len(pdfs)} decks: {cold:.1f} s ({cold / len(pdfs):.2f} s/deck) — {summary}")
        warm, summary = run(pdfs, db)
        print(f"warm ingest (all cached):   {warm:.1f} s — {summary}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of a child process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
