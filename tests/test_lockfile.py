"""The writers' lock file: serialises writers, and is gone after them without letting two in at once."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

import pytest

from pipeline.warehouse.lockfile import lock_path_for, writer_lock


def _is_locked(path: Path) -> bool:
    """Whether some writer holds the lock on the file `path` names now (a non-blocking probe)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _open_count(path: Path) -> int:
    """How many of this process's fds are open on `path`'s file."""
    try:
        target = os.stat(path)
    except FileNotFoundError:
        return 0
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            st = os.stat(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        count += (st.st_dev, st.st_ino) == (target.st_dev, target.st_ino)
    return count


def test_no_lock_file_is_left_behind(tmp_path):
    db = tmp_path / "w.duckdb"
    with writer_lock(db):
        assert _is_locked(lock_path_for(db))
    assert not lock_path_for(db).exists()


def test_a_lock_file_left_by_a_crash_is_taken_over(tmp_path):
    db = tmp_path / "w.duckdb"
    lock_path_for(db).touch()
    with writer_lock(db):
        assert _is_locked(lock_path_for(db))
    assert not lock_path_for(db).exists()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see the waiter open the lock file")
def test_a_writer_that_waited_on_a_deleted_lock_file_locks_the_current_one(tmp_path):
    """A holds; B opens the same file and waits; A deletes it and unlocks. B must not end up
    holding a lock on the deleted file: then a third writer would lock a new file beside it."""
    db = tmp_path / "w.duckdb"
    path = lock_path_for(db)
    acquired, release = threading.Event(), threading.Event()

    def writer_b():
        with writer_lock(db):
            acquired.set()
            release.wait(30)

    with writer_lock(db):
        b = threading.Thread(target=writer_b)
        b.start()
        for _ in range(3000):  # until B has the file open (it then blocks in flock)
            if _open_count(path) >= 2:
                break
            time.sleep(0.001)
        assert _open_count(path) == 2, "B never opened the lock file"
        assert not acquired.is_set(), "B must wait while A holds the lock"
    try:
        assert acquired.wait(30), "B gets the lock once A is done"
        assert path.exists() and _is_locked(path), "a third writer finds the current lock file held"
    finally:
        release.set()
        b.join(30)
    assert not path.exists()
