"""`scorecards forget FILE|SHA256 --db PATH`: remove one deck from the warehouse on purpose.

Its rows go, and the previous version of it (the same office's deck for the same plan year) is
current again. A folder refresh does not load it back; `scorecards ingest FILE` does. Nothing
else ever deletes a deck's rows. FILE is a deck file (matched by content) or the source file name
the warehouse lists; SHA256 is its content hash or deck id (8 or more leading hex digits).
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from assets import settings
from assets.cli import UsageError, command, warehouse_path
from assets.cli.common import add_db_argument
from pipeline.identity import sha256_of
from pipeline.warehouse.config import load_config
from pipeline.warehouse.identities import refresh_identities
from pipeline.warehouse.load import create_views
from pipeline.warehouse.publish import publish
from pipeline.warehouse.versions import Version, find_deck, forget_deck


def add_to(sub: argparse._SubParsersAction) -> None:
    summary = "remove one deck from the warehouse (its previous version becomes current again)"
    example = "scorecards forget raw_pdfs/shilin-112-v2.pdf --db warehouse/scorecards.duckdb"
    parser = command(sub, "forget", __doc__, summary, [example], run)
    parser.add_argument("deck", help="deck file, source file name, SHA-256 or deck id")
    add_db_argument(parser)


def _label(deck: Version) -> str:
    return f"{deck.source_file} ({deck.org or 'unknown office'}, plan year {deck.plan_year}, {deck.sha256[:16]})"


def forget(ref: str, db: Path) -> tuple[Version, Version | None]:
    """Forget the one deck `ref` names; (that deck, the office's current deck for its year now)."""
    path = Path(ref)
    key = sha256_of(path) if path.is_file() else ref
    config = load_config(settings.config_path())

    def apply(con):
        found = find_deck(con, key)
        if not found:
            raise UsageError(f"no deck {ref} in {db}")
        if len(found) > 1:
            raise UsageError(
                f"{ref} names {len(found)} decks in {db}; give its SHA-256: " + "; ".join(map(_label, found))
            )
        now_current = forget_deck(con, found[0], datetime.now())
        refresh_identities(con, [found[0].org], config)
        create_views(con)  # a warehouse from before deck versions gets views that read current decks only
        return found[0], now_current

    return publish(db, apply)


def run(args: argparse.Namespace) -> int:
    db = warehouse_path(args.db or settings.db_path(), must_exist=True)
    deck, now_current = forget(args.deck, db)
    print(f"forgot {_label(deck)}")
    if now_current:
        print(f"current for {now_current.org}, plan year {now_current.plan_year}: {_label(now_current)}")
    return 0
