"""Progress of a long ingest: how many decks are done, which file is being read, and the time left.

On a terminal one line is redrawn in place, with a bar; into a file or a pipe (CI logs, cron mail)
each deck gets a plain line of its own, since carriage returns would garble them. The time left is
the average time per finished deck times the decks still to go: cached decks are quick, so it
errs on the short side early on and settles as the run goes.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

BAR_WIDTH = 24


def clock_text(seconds: float) -> str:
    """83 -> '1:23'; 3725 -> '1:02:05'."""
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


class Progress:
    """Call `step(name)` as each item starts and `close()` after the last."""

    def __init__(self, total: int, stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.total, self.stream, self.clock = total, stream or sys.stdout, clock
        self.started = clock()
        self.done = -1  # items finished; the first step() starts item 1
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())

    def seconds_left(self) -> float | None:
        """Estimated time to finish, once at least one item is done."""
        if self.done <= 0:
            return None
        return (self.clock() - self.started) / self.done * (self.total - self.done)

    def line(self, name: str) -> str:
        left = self.seconds_left()
        eta = f" · {clock_text(left)} left" if left is not None else ""
        count = f"[{self.done + 1}/{self.total}]"
        if not self.live:
            return f"{count} {name}{eta}"
        filled = BAR_WIDTH * self.done // max(self.total, 1)
        return f"{'█' * filled}{'░' * (BAR_WIDTH - filled)} {count} {name}{eta}"

    def step(self, name: str) -> None:
        self.done += 1
        text = self.line(name)
        self.stream.write("\r\033[K" + text if self.live else text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.live:
            took = clock_text(self.clock() - self.started)
            self.stream.write(f"\r\033[K{'█' * BAR_WIDTH} {self.total}/{self.total} in {took}\n")
            self.stream.flush()
