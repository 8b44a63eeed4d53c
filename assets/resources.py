"""Dagster resources: where decks come from, where parse results are cached, and how parsing is bounded."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets import settings
from pipeline.ingest.inventory import DeckFile, scan
from pipeline.ingest.sandbox import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, Limits
from pipeline.ingest.staging import StagingArea


class DeckSource(dg.ConfigurableResource):
    """The deck files: every *.pdf in `pdf_dir`, or exactly `files` when given (the CLI's case);
    the bounds of one deck's parse (SCORECARDS_PARSE_TIMEOUT_S, SCORECARDS_PARSE_MEMORY_MB) and how
    many decks a run parses at once (SCORECARDS_WORKERS)."""

    pdf_dir: str
    staging_dir: str
    config_path: str = ""
    files: list[str] = []
    parse_timeout_s: float = DEFAULT_TIMEOUT_S
    parse_memory_mb: int = DEFAULT_MEMORY_MB
    parse_workers: int = 1

    def paths(self) -> list[Path]:
        if self.files:
            return [Path(f) for f in self.files]
        folder = Path(self.pdf_dir)
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".pdf")

    def deck_files(self) -> list[DeckFile]:
        """One scan of the folder (or the files), unchanged files not read again (their hashes are cached)."""
        return scan(self.paths(), self.staging().hashes())

    def files_for(self, deck_ids: list[str]) -> tuple[list[DeckFile], list[str]]:
        """The deck files holding these contents, in the order asked, from one scan; and the ids no file holds."""
        by_id = {f.deck_id: f for f in self.deck_files()}
        return [by_id[i] for i in deck_ids if i in by_id], [i for i in deck_ids if i not in by_id]

    def staging(self) -> StagingArea:
        return StagingArea(Path(self.staging_dir))

    def limits(self) -> Limits:
        return Limits(self.parse_timeout_s, self.parse_memory_mb)


def build_resources(files: list[str] | None = None, db: str | None = None) -> dict:
    """Resources from the environment (SCORECARDS_PDF_DIR, SCORECARDS_DB, SCORECARDS_CONFIG,
    SCORECARDS_PARSE_TIMEOUT_S, SCORECARDS_PARSE_MEMORY_MB, SCORECARDS_WORKERS)."""
    database = Path(db) if db else settings.db_path()
    return {
        "decks": DeckSource(
            pdf_dir=str(settings.pdf_dir()),
            staging_dir=str(settings.staging_dir_for(database)),
            config_path=str(settings.config_path()),
            files=files or [],
            parse_timeout_s=settings.parse_timeout_s(),
            parse_memory_mb=settings.parse_memory_mb(),
            parse_workers=settings.workers(),
        ),
        "duckdb": DuckDBResource(database=str(database)),
    }
