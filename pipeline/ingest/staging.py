"""Parse results kept per content hash and parser version, so a refresh only parses what is new.

Each deck's outcome (its records, or why it was rejected) is one JSON file, written atomically.
Per-deck work never touches the warehouse: one later step loads the staged outcomes.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pipeline
from pipeline.model import ParseOutcome


class StagingArea:
    """A folder of `<sha256>.v<parser version>.json` parse outcomes."""

    def __init__(self, root: Path, version: int | None = None) -> None:
        self.root = root
        self.version = pipeline.PARSER_VERSION if version is None else version

    def path_for(self, sha256: str) -> Path:
        return self.root / f"{sha256}.v{self.version}.json"

    def get(self, sha256: str, source_file: str | None = None) -> ParseOutcome | None:
        """The cached outcome for this content and parser version, named for `source_file`."""
        path = self.path_for(sha256)
        if not path.exists():
            return None
        try:
            outcome = ParseOutcome.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError):
            return None  # a damaged cache entry is parsed again
        name = source_file or outcome.source_file
        deck = replace(outcome.deck, source_file=name) if outcome.deck else None
        return replace(outcome, source_file=name, deck=deck, reused=True)

    def put(self, outcome: ParseOutcome) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.path_for(outcome.sha256)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(outcome.to_json(), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
        return path
