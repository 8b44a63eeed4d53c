"""`scorecards explain DECK.pdf [--pages 3,5] [--out DIR]`: draw what the parser saw.

For each page with a KPI table, writes page-N.png (the page with the detected header, columns,
rows and cells outlined and labelled by role) and page-N.txt (the records read from it).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assets.cli import UsageError, command
from pipeline.extract.explain import explain_pdf


def add_to(sub: argparse._SubParsersAction) -> None:
    summary = "draw the header, columns, rows and cells the parser found on each table page"
    example = "scorecards explain raw_pdfs/beitou-110.pdf --pages 5,6 --out /tmp/beitou"
    parser = command(sub, "explain", __doc__, summary, [example], run)
    parser.add_argument("pdf", type=Path, help="the deck")
    parser.add_argument("--pages", default=None, help="1-based page numbers, comma-separated (default: all)")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: ./<deck name>-explain)")


def _pages(text: str | None) -> set[int] | None:
    if not text:
        return None
    try:
        return {int(p) for p in text.split(",") if p.strip()}
    except ValueError as exc:
        raise UsageError(f"--pages takes page numbers such as 3,5 (got {text!r})") from exc


def run(args: argparse.Namespace) -> int:
    if not args.pdf.is_file():
        raise UsageError(f"no such file: {args.pdf}")
    out = args.out or Path(f"{args.pdf.stem}-explain")
    written = explain_pdf(args.pdf, out, _pages(args.pages))
    for path in written:
        print(path)
    pngs = [p for p in written if p.suffix == ".png"]
    if not pngs:
        print(f"no page with a KPI table{' among those asked for' if args.pages else ''}")
    return 0 if pngs else 1
