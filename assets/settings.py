"""Where things live, from the environment, with the defaults the README documents."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_PDF_DIR = "raw_pdfs"
DEFAULT_DB = "warehouse/scorecards.duckdb"
DEFAULT_CONFIG = "scorecards.toml"


def pdf_dir() -> Path:
    return Path(os.environ.get("SCORECARDS_PDF_DIR", DEFAULT_PDF_DIR))


def db_path() -> Path:
    return Path(os.environ.get("SCORECARDS_DB", DEFAULT_DB))


def config_path() -> Path:
    return Path(os.environ.get("SCORECARDS_CONFIG", DEFAULT_CONFIG))


def staging_dir_for(db: Path) -> Path:
    """Parse results are cached beside the warehouse they feed: warehouse/scorecards.staging/."""
    return db.with_name(db.stem + ".staging")


def report_path_for(db: Path) -> Path:
    """The scorecard report is written beside the warehouse it reads: warehouse/scorecards.report.html."""
    return db.with_name(db.stem + ".report.html")
