"""Dagster resources: where decks come from and where parse results are cached."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipeline.load import deck_id_for
from pipeline.parse import sha256_of
from pipeline.staging import StagingArea


class DeckSource(dg.ConfigurableResource):
    """The deck files: every *.pdf in `pdf_dir`, or exactly `files` when given (the CLI's case)."""

    pdf_dir: str
    staging_dir: str
    config_path: str = ""
    files: list[str] = []

    def paths(self) -> list[Path]:
        if self.files:
            return [Path(f) for f in self.files]
        folder = Path(self.pdf_dir)
        return sorted(p for p in folder.glob("*") if p.is_file() and p.suffix.lower() == ".pdf")

    def by_deck_id(self) -> dict[str, Path]:
        """Deck id (content hash) → the first file holding that content."""
        found: dict[str, Path] = {}
        for path in self.paths():
            found.setdefault(deck_id_for(sha256_of(path)), path)
        return found

    def path_for(self, deck_id: str) -> Path:
        path = self.by_deck_id().get(deck_id)
        if path is None:
            raise dg.Failure(f"no deck file with content {deck_id} in {self.pdf_dir} (removed or changed?)")
        return path

    def staging(self) -> StagingArea:
        return StagingArea(Path(self.staging_dir))
