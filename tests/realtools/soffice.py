"""LibreOffice headless conversion to PDF, with a private profile so runs never share state."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def to_pdf(src: Path, out_pdf: Path, filt: str = "pdf") -> None:
    """Convert an office document with soffice and move the PDF to out_pdf."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            "soffice",
            f"-env:UserInstallation=file://{tmp}/profile",
            "--headless",
            "--norestore",
            "--convert-to",
            filt,
            "--outdir",
            tmp,
            str(src),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=300)
        shutil.move(str(Path(tmp) / (src.stem + ".pdf")), str(out_pdf))


def version() -> str:
    return subprocess.run(["soffice", "--version"], capture_output=True, text=True).stdout.strip()


def render_built(build, deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """Build the office file with `build(deck, folder, options)`, print it to `out_pdf`, find each
    KPI's page and check the PDF against the deck; returns the options used, with the problems."""
    from .layout import check, find_pages

    with tempfile.TemporaryDirectory() as tmp:
        src, opts = build(deck, Path(tmp), options)
        to_pdf(src, Path(out_pdf))
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
