"""tFPDF renderer: the deck drawn by tFPDF (Ian Back's UTF-8 port of FPDF, version 1.33) over Debian 12's FPDF 1.8.4
(PHP; php-fpdf), the way newer PHP systems print Chinese reports with FPDF, through a small driver (`r_tfpdf.php`,
run with `php`) reading a JSON job written by this module.

tFPDF is not packaged anywhere this project installs from, so the driver carries it, written for this project
after how tFPDF works (not a copy of its files): class tFPDF extends Debian's FPDF with `AddFont($family, $style,
$file, true)` for a TrueType file, UTF-8 strings straight into Cell/MultiCell/Text (no conversion by the site's
code), GetStringWidth from the font's own widths, and MultiCell's line breaking counted character by character
with mb_substr: a line breaks at its last space, else before whatever character overflows (inside a number such as
'82.|1%', before a full-width comma or a closing bracket; no CJK kinsoku).  The font metrics and the subsetter are
tFPDF's TTFontFile (font/unifont/ttfonts.php), written out in `r_tfpdf_ttfonts.php`: the Unicode cmap of format 4
only (BMP), widths from hmtx in 1/1000 em by code point, glyph 0's width the MissingWidth; at output each font is a
Type0 'MPDFAA+<full name without spaces>' (tFPDF's fixed tag, from mPDF) over a CIDFontType2 (Identity-H, the codes
are the Unicode code points, CIDSystemInfo Adobe-UCS-0), /W from the font's widths for every code below 256 the
font has plus the used ones, in runs and arrays by tFPDF's own merging; /DW the MissingWidth; a CIDToGIDMap stream
of 131,072 bytes (code point to new glyph id); ToUnicode the identity bfrange <0000> <FFFF> <0000> (text reads as
the code points printed, lookalike radicals and compatibility ideographs included); FontFile2 the subset: glyph 0
and the used glyphs (composite glyphs with their components) renumbered in their original order, new cmap/glyf/
loca/hmtx/hhea/maxp, post format 3, name/OS/2/cvt/fpgm/prep/gasp copied, checkSumAdjustment recomputed.  The subset
always holds codes 0-32, or 0-57 (the digits) when AliasNbPages is called before AddFont; '{nb}' is replaced in
the page streams in its UTF-16BE form, then as bytes for core fonts.  Collections (.ttc) and CFF outlines are
refused as tFPDF refuses them (Noto Sans CJK cannot be used: real users pick another face), so the faces are
TrueType files: Debian's cwTeX Q Ming/Kai (fonts-cwtex-*, the Taiwanese faces of cwTeX; no bold) or a face of
fonts.py's TrueType collections saved as a standalone .ttf (AR PL UMing/UKai TW, WenQuanYi Zen Hei), as sites
convert a .ttc before giving it to tFPDF.  Bold: none (labels regular), the same file added again under 'B' (a
second font, regular glyphs) or cwTeX Q Hei Bold (cwheib.ttf, a bold sans beside the regular face).  Characters
the face lacks are printed in their folded form (tFPDF would draw glyph 0).

The deck is r_fpdfbig5's (`fpdf_deck.php`, shared by both drivers): the "Table with MultiCells" recipe, merged,
first-row or repeated labels, band rows, turned labels by the rotate add-on or stacked, slides or an A4 document
paginated by hand, Header()/Footer() with AliasNbPages, the RotatedText watermark; ASCII values and footers in core
Arial in some decks (WinAnsi bytes beside the UTF-16 codes).
"""

from __future__ import annotations

import random
import re
import subprocess
from functools import cache
from pathlib import Path

from . import fonts
from .r_fpdfbig5 import _job as _big5_job
from .r_fpdfbig5 import draw_fitting, installed_version, run_driver
from .r_fpdfbig5 import producer_options as _big5_options
from .spec import Deck, fold

TFPDF = "1.33"  # tFPDF_VERSION of the driver's tFPDF (r_tfpdf.php), on FPDF 1.84 (r_fpdfbig5.FPDF)
DRIVER = Path(__file__).with_name("r_tfpdf.php")
CWTEX = Path("/usr/share/fonts/truetype/cwtex")
# faces tFPDF can embed: (file or None for a fonts.py face saved as .ttf)
FACES = {
    "cwTeX Q Ming": CWTEX / "cwming.ttf",
    "cwTeX Q Kai": CWTEX / "cwkai.ttf",
    "AR PL UMing TW": None,
    "AR PL UKai TW": None,
    "WenQuanYi Zen Hei": None,
}
BOLD_FACE = CWTEX / "cwheib.ttf"


def face_path(face: str) -> str:
    p = FACES[face]
    if p is None:
        return fonts.face_file(face)
    if not p.exists():
        raise RuntimeError(f"{p} is missing: apt-get install fonts-cwtex-ming fonts-cwtex-kai fonts-cwtex-heib")
    return str(p)


@cache
def bmp_cmap(path: str) -> frozenset[int]:
    """Code points of the face's format 4 Unicode cmap (all that tFPDF reads)."""
    from fontTools.ttLib import TTFont

    t = TTFont(path, lazy=True)
    for sub in t["cmap"].tables:
        if sub.format == 4 and (sub.platformID == 3 and sub.platEncID == 1 or sub.platformID == 0):
            return frozenset(sub.cmap)
    raise RuntimeError(f"{path}: no format 4 Unicode cmap")


@cache
def driver_version() -> str:
    m = re.search(r"const tFPDF_VERSION = '([^']+)'", DRIVER.read_text(encoding="utf-8"))
    v = m.group(1) if m else "?"
    if v != TFPDF:
        raise RuntimeError(f"{DRIVER} carries tFPDF {v}, not {TFPDF}")
    return v


@cache
def tool_version(engine: str | None = None) -> str:
    php = subprocess.run(["php", "-r", "echo PHP_VERSION;"], capture_output=True, text=True).stdout.strip()
    return f"tFPDF {driver_version()} on FPDF {installed_version()}, PHP {php}"


def producer_options(rng: random.Random, style: dict) -> dict:
    opts = _big5_options(rng, style)
    opts.pop("family")
    face = rng.choice(
        ["cwTeX Q Ming", "cwTeX Q Ming", "cwTeX Q Kai", "AR PL UMing TW", "AR PL UKai TW", "WenQuanYi Zen Hei"]
    )
    opts.update(
        face=face,
        bold=rng.choice([None, "same", "cwTeX Q Hei Bold", "cwTeX Q Hei Bold"]),
        alias_first=rng.random() < 0.3,
    )
    return opts


def _ink_for(path: str):
    cs = bmp_cmap(path)
    comparators = str.maketrans({"≥": "≧", "≤": "≦"}) if 0x2265 not in cs else {}

    def ink(s: str) -> str:
        return "".join(c if ord(c) in cs or c in "\n " else fold(c) for c in s.translate(comparators))

    return ink


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide).  A slide whose table runs past
    its page lowers the row budget (then the type size); a document row taller than a page makes the type smaller.
    Returns the options used, with layout.check's problems."""
    driver_version()
    installed_version()
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    opts.setdefault("max_rows", st["max_rows"])
    regular = face_path(opts["face"])
    bold = {None: None, "same": regular, "cwTeX Q Hei Bold": str(BOLD_FACE)}[opts["bold"]]
    ink = _ink_for(regular)
    if bold and bold != regular:
        both = bmp_cmap(regular) & bmp_cmap(bold)
        base = ink

        def ink(s: str, base=base) -> str:  # labels may print in either face: only what both hold
            return "".join(c if ord(c) in both or c in "\n " else fold(c) for c in base(s))

    # the office's data as the face can print it: the truth's comparator is the one printed
    for _, _, k in deck.kpis():
        for v in k.values:
            v.text = ink(v.text)
    out_pdf = Path(out_pdf)

    def draw(opts: dict) -> dict:
        job = _big5_job(deck, opts | {"family": "cjk", "bold": bold is not None}, out_pdf, ink)
        job["font"] = {"family": "cjk", "bold": bold is not None, "file": regular, "bold_file": bold}
        job["alias_first"] = opts["alias_first"]
        job["meta"]["creator"] = "tFPDF"
        return run_driver(DRIVER, job, "tFPDF", timeout=300)

    return draw_fitting(deck, opts, out_pdf, draw)
