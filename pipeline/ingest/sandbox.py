"""Parse one deck in a child process bounded in time and memory.

Hostile or broken files (a 300-page blank PDF, a compression bomb) must not hang or exhaust the
run: the child gets an address-space and CPU limit, the parent a wall-clock timeout, and any
failure becomes a rejection with a reason instead of an exception.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

from pipeline.extract.parse import RejectedDeck, parse_pdf
from pipeline.model import ParseOutcome

DEFAULT_TIMEOUT_S = 120
DEFAULT_MEMORY_MB = 2048


def _limits(timeout_s: float, memory_mb: int):
    def apply() -> None:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        cpu = int(timeout_s) + 5
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))

    return apply


def parse_bounded(
    path: Path,
    sha256: str,
    source_file: str | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> ParseOutcome:
    """Parse `path` in a bounded child process; never raises for a bad file."""
    name = source_file or path.name
    command = [sys.executable, "-m", "pipeline.ingest.sandbox", str(path), sha256, name]
    try:
        proc = subprocess.run(
            command, capture_output=True, timeout=timeout_s, preexec_fn=_limits(timeout_s, memory_mb), check=False
        )
    except subprocess.TimeoutExpired:
        return ParseOutcome(
            name, sha256, rejection=f"parsing took longer than {timeout_s:g} s; file damaged or hostile"
        )
    if proc.returncode != 0:
        stderr = proc.stderr.decode("utf-8", "replace")
        if "MemoryError" in stderr or proc.returncode in (-9, -24):
            reason = f"parsing needed more memory than {memory_mb} MB or too much CPU; file damaged or hostile"
        else:
            last = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit status {proc.returncode}"
            reason = f"parser failed: {last}"
        return ParseOutcome(name, sha256, rejection=reason)
    return ParseOutcome.from_json(json.loads(proc.stdout))


def parse_to_outcome(path: Path, sha256: str, source_file: str) -> ParseOutcome:
    """Parse in this process (the child's work); a RejectedDeck becomes a rejection."""
    try:
        return ParseOutcome(source_file, sha256, deck=parse_pdf(path, source_file, sha256))
    except RejectedDeck as exc:
        return ParseOutcome(source_file, sha256, rejection=str(exc))


def main(argv: list[str]) -> int:
    path, sha256, source_file = Path(argv[0]), argv[1], argv[2]
    outcome = parse_to_outcome(path, sha256, source_file)
    sys.stdout.write(json.dumps(outcome.to_json(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
