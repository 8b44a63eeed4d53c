"""Peak memory of a process and all its descendants, sampled from /proc while it runs (Linux), and
how busy the rest of the machine was meanwhile.

ru_maxrss tells the peak of one process; an ingest is a parent and its parse workers, so this
samples the resident set of the whole tree every few milliseconds and keeps the largest total and
the largest single process. Timings on a machine that something else keeps busy are not the
program's own, so the CPU time other processes used during the run is measured too (all the
machine's busy time from /proc/stat, less the command's own).
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
from dataclasses import dataclass

_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Peak:
    total_mb: float = 0.0  # the whole tree at its largest
    largest_mb: float = 0.0  # the largest single process
    others_cpu_s: float = 0.0  # CPU time other processes used while the command ran


def machine_busy_s() -> float:
    """CPU seconds all cores have spent busy since boot."""
    with open("/proc/stat", encoding="ascii") as fh:
        ticks = [int(v) for v in fh.readline().split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # less idle and iowait


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * _PAGE / 2**20
    except (OSError, IndexError, ValueError):
        return 0.0


def _sample(root: int, peak: Peak) -> None:
    tree, pids, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo += tree.get(pid, [])
    sizes = [_rss_mb(pid) for pid in pids]
    peak.total_mb = max(peak.total_mb, sum(sizes))
    peak.largest_mb = max(peak.largest_mb, max(sizes, default=0.0))


def run_measured(command: list[str], interval_s: float = 0.02, **kwargs) -> tuple[subprocess.CompletedProcess, Peak]:
    """Run `command` to the end, sampling the memory of it and its descendants."""
    peak, done = Peak(), threading.Event()
    busy, own = machine_busy_s(), _children_cpu_s()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)

    def watch() -> None:
        while not done.wait(interval_s):
            _sample(proc.pid, peak)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out, err = proc.communicate()
    done.set()
    watcher.join()
    peak.others_cpu_s = max(0.0, (machine_busy_s() - busy) - (_children_cpu_s() - own))
    return subprocess.CompletedProcess(command, proc.returncode, out, err), peak
