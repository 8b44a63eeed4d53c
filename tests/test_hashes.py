"""Content hashes are cached by path and file stamp, on disk: an unchanged file is never read again."""

from __future__ import annotations

import os
import time

from pipeline.identity import sha256_of
from pipeline.ingest import hashes
from pipeline.ingest.hashes import HashCache
from pipeline.ingest.inventory import scan


def _counting_reads(monkeypatch) -> list[str]:
    reads: list[str] = []

    def sha256(path):
        reads.append(path.name)
        return sha256_of(path)

    monkeypatch.setattr(hashes, "sha256_of", sha256)
    return reads


def test_an_unchanged_file_is_not_read_again_even_by_another_process(tmp_path, monkeypatch):
    deck, other = tmp_path / "a.pdf", tmp_path / "b.pdf"
    deck.write_bytes(b"%PDF-1.4 one")
    other.write_bytes(b"%PDF-1.4 two")
    cache = tmp_path / "staging" / "file-hashes.json"
    reads = _counting_reads(monkeypatch)
    first = scan([deck, other], HashCache(cache))
    again = scan([deck, other], HashCache(cache))  # a cache read afresh from disk, as a new process has it
    assert sorted(reads) == ["a.pdf", "b.pdf"], "each file read once"
    assert again == first and {f.sha256 for f in first} == {sha256_of(deck), sha256_of(other)}


def test_a_file_rewritten_with_its_old_size_and_time_is_hashed_again(tmp_path):
    deck, cache = tmp_path / "a.pdf", tmp_path / "file-hashes.json"
    deck.write_bytes(b"%PDF-1.4 one")
    before = deck.stat()
    [old] = scan([deck], HashCache(cache))
    time.sleep(0.05)  # past the file system's clock tick
    deck.write_bytes(b"%PDF-1.4 two")
    os.utime(deck, ns=(before.st_atime_ns, before.st_mtime_ns))  # size and modification time as they were
    [new] = scan([deck], HashCache(cache))
    assert new.sha256 == sha256_of(deck) != old.sha256, "the change time gives it away"


def test_a_damaged_cache_only_costs_hashing_again(tmp_path):
    deck, cache = tmp_path / "a.pdf", tmp_path / "file-hashes.json"
    deck.write_bytes(b"%PDF-1.4 one")
    cache.write_text("{not json")
    assert scan([deck], HashCache(cache))[0].sha256 == sha256_of(deck)
    assert HashCache(cache).sha256(deck, deck.stat()) == sha256_of(deck), "rewritten whole"
