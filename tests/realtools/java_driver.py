"""The Java drivers of the Java-based renderers, compiled by javac at first use into the cache."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

JSON = Path(__file__).with_name("Json.java")  # the JSON reader and writer every driver shares


def compiled(java: Path, classpath: str, cache: Path, salt: str, main: str) -> str:
    """The classpath that runs `java` (the driver's source, its class `main`): `classpath` and the
    driver's classes, compiled with the shared Json.java (class Json) once per version of the two
    sources and `salt` (the library's version or jars) into `cache`. Processes drawing decks side by
    side may compile at once: the first rename wins, the others' copies are dropped."""
    cache.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha1(java.read_bytes() + b"\0" + JSON.read_bytes() + salt.encode()).hexdigest()[:12]
    classes = cache / f"driver-{key}"
    if not (classes / f"{main}.class").exists():
        tmp = Path(tempfile.mkdtemp(prefix="driver-", dir=cache))
        cmd = ["javac", "-encoding", "UTF-8", "-cp", classpath, "-d", str(tmp), str(java), str(JSON)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode:
            shutil.rmtree(tmp, ignore_errors=True)
            raise RuntimeError(f"javac failed: {proc.stderr[-2000:]}")
        try:
            tmp.rename(classes)
        except OSError:  # compiled meanwhile by another process
            shutil.rmtree(tmp, ignore_errors=True)
    return f"{classpath}:{classes}"
