"""Parse one deck in a child process bounded in time and memory.

Hostile or broken files (a 300-page blank PDF, a compression bomb) must not hang or exhaust the
run: the child gets an address-space and CPU limit, the parent a wall-clock timeout, and any
failure becomes a rejection with a reason (and whose fault it is) instead of an exception.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

from pipeline.extract.parse import RejectedDeck, parse_pdf
from pipeline.model import Failure, ParseOutcome

DEFAULT_TIMEOUT_S = 120
DEFAULT_MEMORY_MB = 2048


def _limits(timeout_s: float, memory_mb: int):
    def apply() -> None:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        cpu = int(timeout_s) + 5
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))

    return apply


def _limit(name: str, sha256: str, reason: str) -> ParseOutcome:
    return ParseOutcome(name, sha256, rejection=reason, failure=Failure.LIMIT)


def parse_bounded(
    path: Path,
    sha256: str,
    source_file: str | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> ParseOutcome:
    """Parse `path` in a bounded child process; never raises for a bad file.

    A rejection says whose fault it is: the file's (corrupt, encrypted…), a limit's (time or
    memory ran out: the machine may have been busy, so it is retried), or ours (an unexpected
    exception in the parser: an internal error, with the child's traceback for the log).
    """
    name = source_file or path.name
    command = [sys.executable, "-m", "pipeline.ingest.sandbox", str(path), sha256, name]
    try:
        proc = subprocess.run(
            command, capture_output=True, timeout=timeout_s, preexec_fn=_limits(timeout_s, memory_mb), check=False
        )
    except subprocess.TimeoutExpired:
        return _limit(name, sha256, f"parsing took longer than {timeout_s:g} s (SCORECARDS_PARSE_TIMEOUT_S)")
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode == 0:
        return ParseOutcome.from_json(json.loads(proc.stdout))
    if "MemoryError" in stderr or proc.returncode < 0:  # killed: out of memory (-9) or CPU time (-24)
        return _limit(
            name, sha256, f"parsing needed more memory than {memory_mb} MB (SCORECARDS_PARSE_MEMORY_MB) or too much CPU"
        )
    last = stderr.splitlines()[-1] if stderr else f"exit status {proc.returncode}"
    return ParseOutcome(name, sha256, rejection=f"internal error: {last}", failure=Failure.INTERNAL, traceback=stderr)


def parse_to_outcome(path: Path, sha256: str, source_file: str) -> ParseOutcome:
    """Parse in this process (the child's work); a RejectedDeck becomes a rejection, the file's
    fault unless the parser ran out of memory on it."""
    try:
        return ParseOutcome(source_file, sha256, deck=parse_pdf(path, source_file, sha256))
    except RejectedDeck as exc:
        out_of_memory = isinstance(exc.__cause__, MemoryError) or "allocate" in str(exc.__cause__ or "")
        return ParseOutcome(
            source_file, sha256, rejection=str(exc), failure=Failure.LIMIT if out_of_memory else Failure.FILE
        )


def main(argv: list[str]) -> int:
    path, sha256, source_file = Path(argv[0]), argv[1], argv[2]
    outcome = parse_to_outcome(path, sha256, source_file)
    sys.stdout.write(json.dumps(outcome.to_json(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
