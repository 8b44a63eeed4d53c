"""Hostile files are bounded in time and memory and end up as rejections, never hangs or crashes; a
batch is parsed by a few long-lived bounded workers."""

import time
import zlib
from pathlib import Path

import pytest
from deckmaker import Deck, Kpi, Table, build_deck
from reportlab.pdfgen import canvas
from truth import CORPUS

from pipeline.identity import sha256_of
from pipeline.ingest.sandbox import Job, Limits, ParsePool, parse_bounded
from pipeline.model import Failure


def _blank_pdf(path, pages):
    c = canvas.Canvas(str(path))
    for _ in range(pages):
        c.showPage()
    c.save()
    return path


def _one_page_pdf(path, content: bytes, resources: bytes = b"") -> Path:
    """A one-page PDF with a compressed content stream; `resources` adds a Helvetica font /F1."""
    data = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 720 540] /Contents 4 0 R %s>>" % resources,
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _bomb_pdf(path, megabytes):
    """A one-page PDF whose content stream inflates from a few hundred KB to `megabytes` MB."""
    return _one_page_pdf(path, b" " * (megabytes << 20))


def _slow_pdf(path, glyphs):
    """A small PDF that keeps pdfminer busy: `glyphs` text-show operators (about 13 s per 200,000 here)."""
    content = b"BT /F1 1 Tf " + b"1 0 0 1 10 10 Tm (x) Tj " * glyphs + b"ET"
    return _one_page_pdf(path, content, b"/Resources << /Font << /F1 5 0 R >> >> ")


def test_a_deck_parses_inside_the_sandbox():
    deck = CORPUS / "public" / "beitou-110.pdf"
    outcome = parse_bounded(deck, sha256_of(deck))
    assert outcome.rejection is None and len(outcome.deck.kpis) == 18


def test_blank_pages_are_rejected_for_having_no_text(tmp_path):
    pdf = _blank_pdf(tmp_path / "blank.pdf", 300)
    outcome = parse_bounded(pdf, sha256_of(pdf), timeout_s=60)
    assert outcome.deck is None and "no text layer" in outcome.rejection and outcome.failure == Failure.FILE


@pytest.mark.slow
def test_compression_bombs_hit_the_memory_bound(tmp_path):
    pdf = _bomb_pdf(tmp_path / "bomb.pdf", 300)
    assert pdf.stat().st_size < 1 << 20
    outcome = parse_bounded(pdf, sha256_of(pdf), memory_mb=250, timeout_s=60)
    assert outcome.deck is None and outcome.failure == Failure.LIMIT
    assert "more memory" in outcome.rejection


def _job(path: Path) -> Job:
    return Job(path, sha256_of(path) if path.exists() else "ab" * 32, path.name)


def _small_deck(path: Path, org: str) -> Path:
    kpi = Kpi("顧客", "AC1推動祭拜精緻化", "AC1.1提升集中燒配合比率", ("70%", "72%", "74%", "75%"), ("AC1.1.1計畫",))
    return build_deck(Deck(org=org, pages=[[Table("策略主題：(A)發展多元文化", [kpi])]]), path)


@pytest.mark.slow
def test_a_batch_is_parsed_by_a_few_long_lived_workers(tmp_path):
    """Three decks, two workers: one worker parses two decks, so two interpreters start, not three."""
    orgs = {"daan.pdf": "臺北市大安區公所", "shilin.pdf": "臺北市士林區公所", "beitou.pdf": "臺北市北投區公所"}
    decks = [_small_deck(tmp_path / name, org) for name, org in orgs.items()]
    with ParsePool(2) as pool:
        outcomes = {o.source_file: o for o in pool.parse(map(_job, decks))}
        assert pool.started == 2
    assert {name: o.deck.org for name, o in outcomes.items()} == orgs
    assert all(len(o.deck.kpis) == 1 and o.rejection is None for o in outcomes.values())


@pytest.mark.slow
def test_slow_parses_are_cut_off_and_the_batch_goes_on_in_a_fresh_worker(tmp_path):
    """The limit (4 s) is well above a worker's start-up (a quarter of a second) and a public deck's
    parse on a busy machine (under a second idle), and well below the slow parse (about 13 s):
    without the cut-off this file would end as 'no scorecard tables', not as a time-out."""
    slow, deck = _slow_pdf(tmp_path / "slow.pdf", 200_000), CORPUS / "public" / "beitou-110.pdf"
    assert slow.stat().st_size < 20_000
    started = time.monotonic()
    with ParsePool(1, Limits(timeout_s=4)) as pool:
        outcomes = pool.parse([_job(slow), _job(deck)])
        first = next(outcomes)
        elapsed = time.monotonic() - started
        second = next(outcomes)
        assert pool.started == 2, "the worker stuck on the slow deck was killed and replaced"
    assert first.source_file == "slow.pdf" and first.deck is None and "longer than 4 s" in first.rejection
    assert first.failure == Failure.LIMIT, "maybe a busy machine: retried, not kept as the file's fault"
    assert 4 <= elapsed < 10, "cut off at the limit, not when the parse ends (about 13 s)"
    assert second.source_file == "beitou-110.pdf" and len(second.deck.kpis) == 18


def test_an_exception_in_the_parser_is_an_internal_error_and_the_worker_goes_on(tmp_path):
    """A deck file gone before its parse makes the parser raise FileNotFoundError: our code did not
    expect it, so it is an internal error (with the traceback for the log), and the same worker
    parses the next deck."""
    deck = CORPUS / "public" / "beitou-110.pdf"
    with ParsePool(1) as pool:
        gone, parsed = pool.parse([_job(tmp_path / "gone.pdf"), _job(deck)])
        assert pool.started == 1
    assert gone.failure == Failure.INTERNAL and gone.rejection.startswith("internal error: FileNotFoundError")
    assert "Traceback" in gone.traceback
    assert parsed.rejection is None and len(parsed.deck.kpis) == 18
