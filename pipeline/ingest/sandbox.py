"""Parse decks in child processes bounded in time and memory, as many at once as there are workers.

Hostile or broken files (a 300-page blank PDF, a compression bomb) must not hang or exhaust the
run: each deck gets a wall-clock timeout (the parent kills the worker parsing it when it passes), a
CPU-time allowance and an address-space limit (set by the worker itself, pipeline.ingest.worker),
and any failure becomes a rejection with a reason (and whose fault it is) instead of an exception.

A batch is parsed by a pool of long-lived workers, each parsing deck after deck, so starting an
interpreter and importing the parser is paid once per worker, not once per deck. A worker that
hits a limit or dies is replaced; the others go on. Why not multiprocessing.Pool or
concurrent.futures: neither can stop one task that runs too long without breaking the whole pool.
pebble can, but stopping a worker mid-task has known races that leave a task waiting forever
(noxdafox/pebble#153), and a hang is what this module exists to prevent; plain child processes
speaking JSON lines over pipes keep every path in view here.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.model import Failure, ParseOutcome

DEFAULT_TIMEOUT_S = 120
DEFAULT_MEMORY_MB = 2048
_CPU_MARGIN_S = 5  # CPU time a deck may use beyond its wall-clock timeout before the worker's own limit kills it


@dataclass(frozen=True)
class Limits:
    """The bounds of one deck's parse (SCORECARDS_PARSE_TIMEOUT_S, SCORECARDS_PARSE_MEMORY_MB)."""

    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB


@dataclass(frozen=True)
class Job:
    path: Path
    sha256: str
    source_file: str


def timed_out(job: Job, limits: Limits) -> ParseOutcome:
    reason = f"parsing took longer than {limits.timeout_s:g} s (SCORECARDS_PARSE_TIMEOUT_S)"
    return ParseOutcome(job.source_file, job.sha256, rejection=reason, failure=Failure.LIMIT)


def out_of_memory(job: Job, limits: Limits) -> ParseOutcome:
    reason = f"parsing needed more memory than {limits.memory_mb} MB (SCORECARDS_PARSE_MEMORY_MB) or too much CPU"
    return ParseOutcome(job.source_file, job.sha256, rejection=reason, failure=Failure.LIMIT)


def internal_error(job: Job, details: str, fallback: str) -> ParseOutcome:
    """Our bug, not the file's: the last line of the traceback as the reason, all of it for the log."""
    last = details.strip().splitlines()[-1] if details.strip() else fallback
    return ParseOutcome(
        job.source_file, job.sha256, rejection=f"internal error: {last}", failure=Failure.INTERNAL, traceback=details
    )


def outcome_of_exit(job: Job, returncode: int, stderr: str, limits: Limits) -> ParseOutcome:
    """Why a worker ended in the middle of `job`: killed (out of memory -9, CPU time -24) or a
    MemoryError is a limit; anything else is an internal error."""
    if "MemoryError" in stderr or returncode < 0:
        return out_of_memory(job, limits)
    return internal_error(job, stderr, f"exit status {returncode}")


def outcome_of_reply(job: Job, reply: dict[str, Any], limits: Limits) -> ParseOutcome:
    if "outcome" in reply:
        return ParseOutcome.from_json(reply["outcome"])
    if "internal" in reply:
        return internal_error(job, reply["internal"], "unknown error")
    return out_of_memory(job, limits)


class _Worker:
    """One child process (pipeline.ingest.worker) and the deck it is parsing, if any."""

    def __init__(self, limits: Limits) -> None:
        # A file, not a pipe: a chatty parser can never block on it. Closed when the worker is retired.
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline.ingest.worker", str(limits.memory_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
        )
        self.fd = self.proc.stdout.fileno()
        self.buffer = b""
        self.job: Job | None = None
        self.deadline = float("inf")
        self.errors_from = 0

    def send(self, job: Job, limits: Limits) -> bool:
        """Hand `job` over; False when the worker is gone."""
        self.job, self.deadline = job, time.monotonic() + limits.timeout_s
        self.errors_from = os.fstat(self.errors.fileno()).st_size
        cpu_s = limits.timeout_s + _CPU_MARGIN_S
        line = json.dumps({"path": str(job.path), "sha256": job.sha256, "source_file": job.source_file, "cpu_s": cpu_s})
        try:
            self.proc.stdin.write(line.encode() + b"\n")
            self.proc.stdin.flush()
        except OSError:
            return False
        return True

    def read(self) -> dict[str, Any] | None | bool:
        """The reply once it is whole; True while it is still arriving; None when the worker is gone."""
        data = os.read(self.fd, 1 << 20)
        if not data:
            return None
        self.buffer += data
        line, newline, self.buffer = self.buffer.partition(b"\n")
        if not newline:
            self.buffer = line
            return True
        return json.loads(line)

    def stderr_since_job(self) -> str:
        self.errors.seek(self.errors_from)
        return self.errors.read()[-(1 << 16) :].decode("utf-8", "replace").strip()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, kill: bool = True) -> int:
        """End the worker (at once, or once it has read the end of its input) and return its exit status."""
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        if kill:
            self.proc.kill()
        try:
            returncode = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            returncode = self.proc.wait()
        self.proc.stdout.close()
        return returncode


class ParsePool:
    """Up to `workers` bounded child processes that parse decks; a context manager (workers end with it)."""

    def __init__(self, workers: int, limits: Limits | None = None) -> None:
        self.size = max(1, workers)
        self.limits = limits or Limits()
        self.started = 0  # workers started over the pool's life (a batch needs `size`, plus one per limit hit)
        self._idle: list[_Worker] = []

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._idle:
            worker.stop(kill=False)
            worker.errors.close()
        self._idle = []

    def _worker(self) -> _Worker:
        while self._idle:
            worker = self._idle.pop()
            if worker.alive():
                return worker
            self._retire(worker, kill=False)
        self.started += 1
        return _Worker(self.limits)

    def _retire(self, worker: _Worker, kill: bool = True) -> int:
        returncode = worker.stop(kill)
        worker.errors.close()
        return returncode

    def parse(self, jobs: Iterable[Job]) -> Iterator[ParseOutcome]:
        """Parse every job, `size` at a time; yield each outcome as it is ready (not in job order).
        A worker that finishes gets its next deck before the caller sees the outcome, so it never
        waits on what the caller does with it."""
        pending = deque(jobs)
        busy = selectors.DefaultSelector()
        try:
            while pending or busy.get_map():
                ready = self._dispatch(pending, busy)
                if busy.get_map():
                    ready += self._collect(busy)
                    ready += self._dispatch(pending, busy)
                yield from ready
        finally:  # the caller stopped early: workers still on a deck are stopped too
            for key in list(busy.get_map().values()):
                self._retire(key.data)
            busy.close()

    def _dispatch(self, pending: deque[Job], busy: selectors.BaseSelector) -> list[ParseOutcome]:
        """Hand pending jobs to workers while fewer than `size` are busy; the outcomes of jobs whose
        worker was gone before it could take them."""
        ended = []
        while pending and len(busy.get_map()) < self.size:
            job, worker = pending.popleft(), self._worker()
            if worker.send(job, self.limits):
                busy.register(worker.fd, selectors.EVENT_READ, worker)
            else:
                ended.append(self._ended(worker))
        return ended

    def _collect(self, busy: selectors.BaseSelector) -> list[ParseOutcome]:
        """Wait for a reply or the nearest deadline; what finished, and what ran out of time."""
        workers = [key.data for key in busy.get_map().values()]
        wait = max(0.0, min(w.deadline for w in workers) - time.monotonic())
        done = []
        for key, _ in busy.select(wait):
            worker: _Worker = key.data
            reply = worker.read()
            if reply is True:
                continue
            busy.unregister(worker.fd)
            if reply is None:
                done.append(self._ended(worker))
                continue
            outcome = outcome_of_reply(worker.job, reply, self.limits)
            if outcome.failure == Failure.LIMIT:
                self._retire(worker, kill="memory" not in reply)  # start the next deck in a fresh worker
            else:
                self._idle.append(worker)
            done.append(outcome)
        now = time.monotonic()
        for key in list(busy.get_map().values()):
            worker = key.data
            if now >= worker.deadline:
                busy.unregister(worker.fd)
                self._retire(worker)
                done.append(timed_out(worker.job, self.limits))
        return done

    def _ended(self, worker: _Worker) -> ParseOutcome:
        """The outcome of the deck a worker was on when it ended by itself."""
        returncode = worker.stop(kill=False)
        stderr = worker.stderr_since_job()
        worker.errors.close()
        return outcome_of_exit(worker.job, returncode, stderr, self.limits)


def parse_many(jobs: Iterable[Job], workers: int = 1, limits: Limits | None = None) -> Iterator[ParseOutcome]:
    """Parse `jobs` with up to `workers` bounded child processes (no more than there are jobs); each
    outcome as it is ready."""
    jobs = list(jobs)
    if not jobs:
        return
    with ParsePool(min(workers, len(jobs)), limits) as pool:
        yield from pool.parse(jobs)


def parse_bounded(
    path: Path,
    sha256: str,
    source_file: str | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> ParseOutcome:
    """Parse one deck in a bounded child process; never raises for a bad file.

    A rejection says whose fault it is: the file's (corrupt, encrypted…), a limit's (time or
    memory ran out: the machine may have been busy, so it is retried), or ours (an unexpected
    exception in the parser: an internal error, with the child's traceback for the log).
    """
    job = Job(path, sha256, source_file or path.name)
    return next(parse_many([job], 1, Limits(timeout_s, memory_mb)))
