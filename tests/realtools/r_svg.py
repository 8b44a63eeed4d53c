"""SVG renderer: the hand-placed drawing of draw_common written as one SVG file per slide, turned into PDF
by a real SVG tool: librsvg's rsvg-convert or Inkscape, both writing through cairo's PDF backend.

Offices that publish charts and slides from web dashboards or Inkscape templates end up with such PDFs.
Text stays text (<text> runs with a fontconfig family); Pango shapes it, so glyph advances and kerning
are Pango's, not the widths the layout was measured with (fontTools), and a run may sit a little off
its cell.  cairo embeds a subset of the face (CFF for Noto, TrueType for WenQuanYi and AR PL) and writes
ToUnicode from Pango's clusters; rules are stroked paths or thin filled rectangles; rotated labels and
the watermark are text drawn under a rotation matrix; a TrueType face's ASCII glyphs go to a separate
simple (WinAnsi) font.  Inkscape converts each page on its own (pages joined with qpdf: one font subset
per page); rsvg-convert takes all pages at once (one subset per deck) or one at a time.  Inkscape 1.2
maps the digits of a CFF (Noto) subset to wrong code points in ToUnicode ('CF2.2' reads 'CF%.%') and
ideographs to Kangxi radicals (大 as U+2F24), so Inkscape decks use the TrueType faces only.
"""

from __future__ import annotations

import random
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .draw_common import DeckDrawer
from .fonts import TRUETYPE, face_file, printable
from .layout import check, find_pages
from .spec import Deck

ENGINES = {"rsvg": ["rsvg-convert", "--version"], "inkscape": ["inkscape", "--version"]}


def tool_version(engine: str | None = None) -> str:
    out = subprocess.run(ENGINES[engine or "rsvg"], capture_output=True, text=True, timeout=120)
    lines = [x for x in (out.stdout + out.stderr).splitlines() if x.strip() and "WARNING" not in x]
    return lines[0].strip() if lines else (engine or "rsvg")


def producer_options(rng: random.Random, style: dict) -> dict:
    engine = rng.choice(["rsvg", "rsvg", "inkscape"])
    return {
        "engine": engine,
        "join": "qpdf" if engine == "inkscape" else rng.choice(["multi", "qpdf"]),
        "rules_as_rects": rng.random() < 0.4,
        "watermark_angle": rng.choice([30, 30, 0]),
        "logo_badge": rng.random() < 0.5,
        "footer": rng.random() < 0.7,
        "text_style": rng.choice(["attributes", "css"]),
    }


@cache
def _metrics(family: str) -> tuple[dict, dict, int]:
    from fontTools.ttLib import TTFont

    font = TTFont(face_file(family), lazy=True)
    return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm


def _rgb(c: tuple) -> str:
    return "rgb({},{},{})".format(*(round(255 * v) for v in c))


class SvgCanvas:
    """draw_common's canvas as SVG documents, one per page, in points (y down, text at its baseline)."""

    def __init__(self, family: str, text_style: str = "attributes") -> None:
        self.family, self.text_style = family, text_style
        self.pages: list[tuple[float, float, list[str]]] = []

    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        self.pages.append((w, h, [f'<rect width="{w}" height="{h}" fill="white"/>']))

    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0)) -> None:
        s = printable(s, self.family)
        if not s.strip():
            return
        turn = f' transform="rotate({-angle} {x:.2f} {y:.2f})"' if angle else ""
        if self.text_style == "css":
            look = f' style="font-family:{self.family!r};font-size:{size}px;fill:{_rgb(color)}"'
        else:
            look = f' font-family={quoteattr(self.family)} font-size="{size}" fill="{_rgb(color)}"'
        self.pages[-1][2].append(f'<text x="{x:.2f}" y="{y:.2f}"{look}{turn} xml:space="preserve">{escape(s)}</text>')

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: tuple = (0, 0, 0)) -> None:
        self.pages[-1][2].append(
            f'<line x1="{x0:.2f}" y1="{y0:.2f}" x2="{x1:.2f}" y2="{y1:.2f}" stroke="{_rgb(color)}" '
            f'stroke-width="{width}"/>'
        )

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: tuple, stroke: tuple | None = None) -> None:
        edge = f' stroke="{_rgb(stroke)}" stroke-width="0.8"' if stroke else ""
        self.pages[-1][2].append(
            f'<rect x="{x0:.2f}" y="{y0:.2f}" width="{x1 - x0:.2f}" height="{y1 - y0:.2f}" fill="{_rgb(fill)}"{edge}/>'
        )

    def width(self, s: str, size: float) -> float:
        cmap, hmtx, upm = _metrics(self.family)
        adv = (hmtx[cmap[ord(c)]][0] if ord(c) in cmap else upm for c in printable(s, self.family))
        return sum(adv) * size / upm

    def save(self, folder: Path) -> list[Path]:
        files = []
        for i, (w, h, items) in enumerate(self.pages, 1):
            f = folder / f"page{i:03d}.svg"
            f.write_text(
                '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
                f'xml:lang="zh-TW" width="{w}pt" height="{h}pt" viewBox="0 0 {w} {h}">\n'
                + "\n".join(items)
                + "\n</svg>\n",
                encoding="utf-8",
            )
            files.append(f)
        return files


def _run(cmd: list[str], cwd: Path) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=900)
    if proc.returncode:
        raise RuntimeError(f"{cmd[0]} failed: {proc.stderr[-2000:]}")


def convert(svgs: list[Path], out_pdf: str | Path, engine: str, join: str) -> None:
    """SVG pages to one PDF with the chosen tool; 'multi' is rsvg-convert's own multi-page output."""
    folder = svgs[0].parent
    if engine == "rsvg" and join == "multi":
        _run(["rsvg-convert", "-f", "pdf", "-o", str(out_pdf), *map(str, svgs)], folder)
        return
    pdfs = [s.with_suffix(".pdf") for s in svgs]
    if engine == "inkscape":
        _run(["inkscape", "--export-type=pdf", *map(str, svgs)], folder)
    else:
        for s, p in zip(svgs, pdfs):
            _run(["rsvg-convert", "-f", "pdf", "-o", str(p), str(s)], folder)
    _run(["qpdf", "--empty", "--pages", *map(str, pdfs), "--", str(out_pdf)], folder)


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: engine (rsvg|inkscape), join (multi|qpdf), text_style (attributes|css), and draw_common's
    font, page, font_pt, rules, rules_as_rects, logo, logo_badge, watermark, watermark_angle, footer,
    footnote, max_rows.  Returns the options used."""
    opts = dict(options or {})
    opts.setdefault("font", deck.style["font"])
    opts.setdefault("engine", "rsvg")
    opts.setdefault("join", "qpdf" if opts["engine"] == "inkscape" else "multi")
    if opts["engine"] == "inkscape" and opts["font"] not in TRUETYPE:  # CFF: digits get a wrong ToUnicode
        opts["font"] = "WenQuanYi Zen Hei"
    opts.pop("rotate_theme", None)
    cv = SvgCanvas(opts["font"], opts.get("text_style", "attributes"))
    DeckDrawer(deck, cv, opts).draw()
    with tempfile.TemporaryDirectory() as tmp:
        convert(cv.save(Path(tmp)), out_pdf, opts["engine"], opts["join"])
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
