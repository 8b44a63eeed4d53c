"""Chromium renderer: HTML slides printed to PDF by headless Chromium (Skia's PDF writer).

Browser-printed decks shape text with HarfBuzz, break table cells at any character when asked to, and
write one text object per glyph run, so the text layer differs from office suites'.  In slide mode the
row budget is lowered until every slide fits its page.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from .html_common import build, page_count
from .layout import check, find_pages
from .spec import Deck

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--no-pdf-header-footer",
]


def print_html(html_path: Path, out_pdf: Path) -> None:
    with tempfile.TemporaryDirectory() as prof:
        cmd = ["chromium", *FLAGS, f"--user-data-dir={prof}", f"--print-to-pdf={out_pdf}", html_path.as_uri()]
        subprocess.run(cmd, check=True, capture_output=True, timeout=180)


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """Print the deck's HTML slides; options: page, font, flow, rotate_css (writing-mode|transform), max_rows,
    rules, logo, watermark.  Returns the options used."""
    opts = dict(options or {})
    out_pdf = Path(out_pdf)
    rows = int(opts.get("max_rows", deck.style["max_rows"]))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "deck.html"
        while True:
            opts["max_rows"] = rows
            doc, want = build(deck, opts)
            src.write_text(doc, encoding="utf-8")
            print_html(src, out_pdf)
            if not want or page_count(out_pdf) == want or rows == 1:
                break
            rows -= 1
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
