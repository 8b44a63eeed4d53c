"""Other HTML printers: wkhtmltopdf (Qt WebKit) and WeasyPrint (its own CSS layout, Pango shaping).

Both are common in office back-ends that turn HTML reports into PDF.  wkhtmltopdf knows neither
writing-mode nor modern fragmentation, WeasyPrint has no vertical writing, so rotated labels use CSS
transforms here; each writes its own font subsets and text layer.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from .html_common import PAGES, build, page_count
from .layout import check, find_pages
from .spec import Deck


def _print(engine: str, src: Path, out_pdf: Path, page: str) -> None:
    if engine == "weasyprint":
        import weasyprint

        weasyprint.HTML(filename=str(src)).write_pdf(str(out_pdf))
        return
    w, h, _, _ = PAGES[page]
    cmd = [
        "wkhtmltopdf",
        "--quiet",
        "--enable-local-file-access",
        "--disable-smart-shrinking",
        "--page-width",
        w,
        "--page-height",
        h,
        "-B",
        "0",
        "-T",
        "0",
        "-L",
        "0",
        "-R",
        "0",
        "--zoom",
        "1.0",
        str(src),
        str(out_pdf),
    ]
    subprocess.run(
        cmd, check=True, capture_output=True, timeout=180, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    )


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: engine (wkhtmltopdf|weasyprint) plus those of html_common.build.  Returns the options used."""
    opts = dict(options or {})
    engine = opts.setdefault("engine", "weasyprint")
    opts.setdefault("rotate_css", "transform")
    page = opts.setdefault("page", deck.style["page"])
    out_pdf = Path(out_pdf)
    rows = int(opts.get("max_rows", deck.style["max_rows"]))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "deck.html"
        while True:
            opts["max_rows"] = rows
            doc, want = build(deck, opts)
            src.write_text(doc, encoding="utf-8")
            _print(engine, src, out_pdf, page)
            if not want or page_count(out_pdf) == want or rows == 1:
                break
            rows -= 1
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
