"""The writers' lock beside the warehouse, removed when the last writer is done with it.

Writers of one warehouse take turns through flock() on a sibling '<db>.lock' file. Leaving that
file behind after every run looks like a stale lock to people (and to tools that treat the mere
existence of a lock file as "busy"), so each writer deletes it on the way out. Deleting a flock
file naively is a known race: a writer already waiting on the old file gets the lock on an inode
nobody else can see, while a newcomer creates and locks a fresh file, and two writers run at once.
The protocol below closes that race:

- acquire: open (creating) the path, flock it, then check that the path still names the inode we
  locked (same device and inode). If not, a holder deleted it while we waited: start over.
- release: delete the path while still holding the lock, then unlock.

Every writer that follows this protocol holds the lock only on the file the path names at the
time, so at most one holds it. A writer that crashes leaves the file behind; the next writer
simply locks it and deletes it when done. flock also works on NFS (emulated with whole-file
POSIX locks), and no lock survives its process.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

_log = logging.getLogger(__name__)


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _locked_fd(lock_path: Path, on_wait: Callable[[], None]) -> int:
    """An fd holding the exclusive lock on the file that `lock_path` names right now; `on_wait`
    is called once if another writer holds it."""
    waited = False
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not waited:
                    on_wait()
                    waited = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            held = os.fstat(fd)
            try:
                named = os.stat(lock_path)
            except FileNotFoundError:
                named = None
            if named is not None and (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # we locked a file its holder deleted meanwhile: try the one there now


@contextmanager
def writer_lock(db_path: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Exclusive lock for writers of `db_path`, held in a sibling '.lock' file removed afterwards.
    A writer that finds it taken says so (`on_wait`, and the log) and waits its turn rather than
    failing."""
    lock_path = lock_path_for(db_path)

    def waiting() -> None:
        message = f"waiting for another run writing {db_path} to finish"
        _log.warning(message)
        if on_wait:
            on_wait(message)

    fd = _locked_fd(lock_path, waiting)
    try:
        yield
    finally:
        try:
            lock_path.unlink(missing_ok=True)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
