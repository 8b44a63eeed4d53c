"""KPI identities (kpi_key) and which way is better (kpi_directions), worked out per office at load time.

Linking an office's decks is the costly part of a load (names compared pairwise across years), and
most loads touch a few offices. So each office's result is stamped with what it was worked out from
(identity_inputs): its decks (id, current or superseded, parser version), its overrides in the
config file, and the linking rules themselves (this module's and lineage.py's source). A load
links again only the offices whose stamp changed: those it added decks to, and those whose overrides
an analyst edited, so a changed config file still applies on any refresh.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import duckdb

from pipeline.warehouse import lineage
from pipeline.warehouse.config import Config
from pipeline.warehouse.lineage import KpiRef, assign_keys, match_versions


@cache
def _rules() -> str:
    """The linking rules' own fingerprint: a new release that links differently links every office again."""
    return hashlib.sha256(Path(lineage.__file__).read_bytes() + Path(__file__).read_bytes()).hexdigest()


def _fingerprints(con: duckdb.DuckDBPyConnection, config: Config) -> dict[str | None, str]:
    """Per office with decks, a digest of everything its kpi_keys and directions are worked out from."""
    decks: dict[str | None, list] = {}
    for org, deck_id, current, version in con.execute(
        "SELECT org, deck_id, current, parser_version FROM decks ORDER BY org, deck_id"
    ).fetchall():
        decks.setdefault(org, []).append([deck_id, current, version])
    prints = {}
    for org, rows in decks.items():
        links = sorted(repr(link) for link in config.links.get(org or "", []))
        directions = sorted(repr(o) for o in config.directions if o.org == org)
        data = json.dumps([_rules(), rows, links, directions], ensure_ascii=False)
        prints[org] = hashlib.sha256(data.encode()).hexdigest()
    return prints


def refresh_stale_identities(con: duckdb.DuckDBPyConnection, config: Config) -> list[str | None]:
    """Refresh the identities of every office whose decks, overrides or linking rules changed since
    they were last worked out; return those offices."""
    stored = dict(con.execute("SELECT org, fingerprint FROM identity_inputs").fetchall())
    current = _fingerprints(con, config)
    stale = [org for org, fingerprint in current.items() if stored.get(org) != fingerprint]
    refresh_identities(con, stale, config)
    for org in stale:
        con.execute("DELETE FROM identity_inputs WHERE org IS NOT DISTINCT FROM ?", [org])
        con.execute("INSERT INTO identity_inputs VALUES (?, ?)", [org, current[org]])
    return stale


def refresh_identities(con: duckdb.DuckDBPyConnection, orgs: Iterable[str | None], config: Config) -> None:
    """Recompute kpi_key and the better direction for every KPI of the given offices: current decks
    are linked year after year; a superseded deck's KPIs take the keys of its current version's."""
    for org in set(orgs):
        current = _kpi_refs(con, org, current=True)
        keys = assign_keys(current, config.links.get(org or "", []))
        keys.update(match_versions(_kpi_refs(con, org, current=False), current, keys))
        refs = list(keys.items())
        con.execute(  # each column bound as one list (see pipeline.warehouse.load._insert)
            "UPDATE kpis SET kpi_key = k.kpi_key FROM "
            "(SELECT unnest($deck_id) AS deck_id, unnest($kpi_code) AS kpi_code, unnest($kpi_key) AS kpi_key) k "
            "WHERE kpis.deck_id = k.deck_id AND kpis.kpi_code IS NOT DISTINCT FROM k.kpi_code",
            {
                "deck_id": [d for (d, _), _ in refs],
                "kpi_code": [c for (_, c), _ in refs],
                "kpi_key": [k for _, k in refs],
            },
        )
        _refresh_directions(con, org, config)


def _kpi_refs(con: duckdb.DuckDBPyConnection, org: str | None, current: bool) -> list[KpiRef]:
    in_decks = "deck_id IN (SELECT deck_id FROM decks WHERE current = ?)"
    kpis = con.execute(
        f"SELECT deck_id, plan_year, kpi_code, kpi_name FROM kpis WHERE org IS NOT DISTINCT FROM ? AND {in_decks} "
        "ORDER BY plan_year, deck_id, page",
        [org, current],
    ).fetchall()
    actuals: dict[tuple[str, str | None], dict[int, float]] = {}
    for deck_id, code, year, value in con.execute(
        "SELECT deck_id, kpi_code, year, value FROM kpi_values "
        f"WHERE org IS NOT DISTINCT FROM ? AND kind = 'actual' AND status = 'reported' AND {in_decks}",
        [org, current],
    ).fetchall():
        actuals.setdefault((deck_id, code), {})[year] = value
    return [
        KpiRef(deck_id, plan_year or 0, code, name or "", actuals.get((deck_id, code), {}))
        for deck_id, plan_year, code, name in kpis
    ]


def _refresh_directions(con: duckdb.DuckDBPyConnection, org: str | None, config: Config) -> None:
    """Lower is better where a target is printed with ≦ or the KPI name says ≦; config overrides."""
    con.execute("DELETE FROM kpi_directions WHERE org IS NOT DISTINCT FROM ?", [org])
    con.execute(
        """
        INSERT INTO kpi_directions
        SELECT k.org, k.kpi_key,
               CASE WHEN bool_or(v.comparator = '<=') OR bool_or(k.kpi_name SIMILAR TO '.*[≦≤].*')
                    THEN 'lower' ELSE 'higher' END
        FROM kpis k LEFT JOIN kpi_values v
          ON v.deck_id = k.deck_id AND v.kpi_code IS NOT DISTINCT FROM k.kpi_code AND v.kind = 'target'
        WHERE k.org IS NOT DISTINCT FROM ? AND k.kpi_key IS NOT NULL
          AND k.deck_id IN (SELECT deck_id FROM decks WHERE current)
        GROUP BY k.org, k.kpi_key
        """,
        [org],
    )
    for override in (o for o in config.directions if o.org == org):
        con.execute(
            "UPDATE kpi_directions SET direction = ? WHERE org = ? AND kpi_key IN "
            "(SELECT kpi_key FROM kpis WHERE org = ? AND kpi_name = ?)",
            [override.direction, org, org, override.kpi_name],
        )
