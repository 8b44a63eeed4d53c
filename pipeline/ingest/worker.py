"""The child side of the parse sandbox: one worker process that parses deck after deck.

pipeline.ingest.sandbox starts it as `python -m pipeline.ingest.worker MEMORY_MB`. It caps its own
address space first, then reads one job a line on stdin (JSON: path, sha256, source_file, cpu_s)
and answers one line per job on the stdout it was given: {"outcome": …}, {"internal": traceback}
for an unexpected exception (our bug; the worker goes on), or {"memory": …} when it ran out of
memory (it then ends: a fresh worker is cleaner than a fragmented heap). Anything the parser prints
goes to stderr instead, so it cannot garble an answer. Before each job the soft CPU-time limit is
moved to what the worker has used plus `cpu_s`, so a parse stuck in a loop is killed (SIGXCPU)
even if the parent that should stop it is gone.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import traceback
from pathlib import Path
from typing import Any, TextIO

from pipeline.extract.parse import RejectedDeck, parse_pdf
from pipeline.model import Failure, ParseOutcome


def limit_memory(memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def allow_cpu(seconds: float) -> None:
    """Let the next job use `seconds` of CPU time on top of what this process has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + seconds) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def parse_to_outcome(path: Path, sha256: str, source_file: str) -> ParseOutcome:
    """Parse in this process (the worker's work); a RejectedDeck becomes a rejection, the file's
    fault unless the parser ran out of memory on it."""
    try:
        return ParseOutcome(source_file, sha256, deck=parse_pdf(path, source_file, sha256))
    except RejectedDeck as exc:
        out_of_memory = isinstance(exc.__cause__, MemoryError) or "allocate" in str(exc.__cause__ or "")
        return ParseOutcome(
            source_file, sha256, rejection=str(exc), failure=Failure.LIMIT if out_of_memory else Failure.FILE
        )


def answer(job: dict[str, Any]) -> dict[str, Any]:
    """The reply to one job; MemoryError propagates (the worker ends after saying so)."""
    try:
        outcome = parse_to_outcome(Path(job["path"]), job["sha256"], job["source_file"])
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 - any other exception is ours to report, with its traceback
        return {"internal": traceback.format_exc()}
    return {"outcome": outcome.to_json()}


def serve(jobs: TextIO, replies: TextIO) -> None:
    """Answer each job line of `jobs` on `replies` until `jobs` ends or memory runs out."""
    for line in jobs:
        job = json.loads(line)
        allow_cpu(job["cpu_s"])
        try:
            reply = answer(job)
        except MemoryError:
            reply = {"memory": True}
        replies.write(json.dumps(reply, ensure_ascii=False) + "\n")
        replies.flush()
        if "memory" in reply:
            return


def main(argv: list[str]) -> int:
    limit_memory(int(argv[0]))
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints go to stderr, not into the replies
    sys.stdout = sys.stderr
    serve(sys.stdin, replies)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
