"""Dagster resources: where decks come from and where parse results are cached."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipeline.ingest.inventory import DeckFile, scan
from pipeline.ingest.sandbox import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S
from pipeline.ingest.staging import StagingArea


class DeckSource(dg.ConfigurableResource):
    """The deck files: every *.pdf in `pdf_dir`, or exactly `files` when given (the CLI's case),
    and the bounds of one deck's parse (SCORECARDS_PARSE_TIMEOUT_S, SCORECARDS_PARSE_MEMORY_MB)."""

    pdf_dir: str
    staging_dir: str
    config_path: str = ""
    files: list[str] = []
    parse_timeout_s: float = DEFAULT_TIMEOUT_S
    parse_memory_mb: int = DEFAULT_MEMORY_MB

    def paths(self) -> list[Path]:
        if self.files:
            return [Path(f) for f in self.files]
        folder = Path(self.pdf_dir)
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".pdf")

    def deck_files(self) -> list[DeckFile]:
        return scan(self.paths())

    def file_for(self, deck_id: str) -> DeckFile:
        found = next((f for f in self.deck_files() if f.deck_id == deck_id), None)
        if found is None:
            raise dg.Failure(f"no deck file with content {deck_id} in {self.pdf_dir} (removed or changed?)")
        return found

    def staging(self) -> StagingArea:
        return StagingArea(Path(self.staging_dir))
