"""Parse results kept per content hash and parser version, so a refresh only parses what is new.

Each deck's outcome (its records, or why it was rejected) is one JSON file, written under a
unique temporary name and renamed into place, so two runs parsing the same deck never trip over
each other's half-written file. A parse that hit a time or memory limit is kept aside as awaiting
a retry until it has failed MAX_ATTEMPTS times (pipeline.model); an internal error is never kept. Per-deck work
never touches the warehouse: one later step loads the staged outcomes.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import replace
from pathlib import Path

import pipeline
from pipeline.ingest.hashes import HashCache
from pipeline.model import Failure, ParseOutcome


class StagingArea:
    """A folder of `<sha256>.v<parser version>.json` parse outcomes, and `….retry.json` for those
    awaiting a retry."""

    def __init__(self, root: Path, version: int | None = None) -> None:
        self.root = root
        self.version = pipeline.PARSER_VERSION if version is None else version

    def hashes(self) -> HashCache:
        """The deck files' content hashes, kept beside the parse results (see pipeline.ingest.hashes)."""
        return HashCache(self.root / "file-hashes.json")

    def path_for(self, sha256: str) -> Path:
        return self.root / f"{sha256}.v{self.version}.json"

    def retry_path_for(self, sha256: str) -> Path:
        return self.root / f"{sha256}.v{self.version}.retry.json"

    def has(self, sha256: str) -> bool:
        """An outcome is staged for this content (kept, or awaiting a retry)."""
        return self.path_for(sha256).exists() or self.retry_path_for(sha256).exists()

    def awaiting_retry(self, sha256: str) -> bool:
        """The last parse of this content hit a limit and is to be tried again."""
        return not self.path_for(sha256).exists() and self.retry_path_for(sha256).exists()

    def get(self, sha256: str, source_file: str | None = None) -> ParseOutcome | None:
        """The staged outcome for this content and parser version, named for `source_file`."""
        path = self.path_for(sha256)
        if not path.exists():
            path = self.retry_path_for(sha256)
        try:
            outcome = ParseOutcome.from_json(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError):
            return None  # a damaged cache entry is parsed again
        name = source_file or outcome.source_file
        deck = replace(outcome.deck, source_file=name) if outcome.deck else None
        return replace(outcome, source_file=name, deck=deck, reused=True)

    def put(self, outcome: ParseOutcome) -> Path | None:
        """Stage `outcome`: kept, or aside for a retry; an internal error is not staged (None)."""
        if outcome.failure == Failure.INTERNAL:
            return None
        retry = outcome.will_retry
        path = self.retry_path_for(outcome.sha256) if retry else self.path_for(outcome.sha256)
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        try:
            tmp.write_text(json.dumps(outcome.to_json(), ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        if not retry:
            self.retry_path_for(outcome.sha256).unlink(missing_ok=True)
        return path
