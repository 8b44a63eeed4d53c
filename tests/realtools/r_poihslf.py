"""Apache POI 4.0.1 HSLF renderer: old binary PowerPoint decks (.ppt) painted the way Java server-side converters do.
The python-pptx deck of r_poislides (its Builder, explicit cell fills and borders) is saved as binary .ppt ('MS
PowerPoint 97') by LibreOffice Impress (`soffice --headless --convert-to ppt`), then every slide is painted by POI's
HSLF renderer (`HSLFSlideShow`, `HSLFSlide.draw(Graphics2D)`) onto pdfbox-graphics2d's PdfBoxGraphics2D (0.42, on
PDFBox 2.0.27) by a small driver (`r_poihslf.java`, compiled at first use against r_poislides' driver, whose deck
class it extends: font registration, FAMILY->FONT text drawer, hints and the slide loop are r_poislides', only the
slide show read, the drawer's line break marks and the table report are HSLF's; POI's scratchpad jar holds HSLF).

What LibreOffice's .ppt export does to the deck:
- a table becomes an HSLFTable (a group shape of cell text boxes and border lines); its rows are written at the
  .pptx's nominal heights, not grown to their text as Impress shows them, and HSLF never grows a row: text taller
  than its cell runs over the rows below (in the first try every table's text was a pile of overlapping lines).
  The driver reports each cell's text height at HSLF's own line breaking and the deck is written again with those
  rows as tall as their text (plus a little air, `row_air`), as an author does who sees the printout; a table that
  then runs past the slide's foot makes the slide hold fewer rows (then smaller type).  HSLF's dry run
  (`DrawTextShape.getTextHeight`) measures less than it draws (lines still overlapped the next row, with or without
  zoom), so the measured height is taken 1.4 times (`DRAWN`); and since POI's dry run copies the hints of the
  Graphics2D it is given and pdfbox-graphics2d's getRenderingHints() lacks POI's FONT_MAP/FONT_FALLBACK, text is
  measured on an image's Graphics2D given the same hints;
- a turned (`vert`/`vert270`) 構面 label is laid along its cell's height and runs past a short row, where the next
  row's fill covers it (seen in the first draw of the sets, so that draw was dropped): its rows are grown as well,
  to its characters at 1.1 em each plus the insets;
- HSLF wraps a cell's text well inside the cell (in a 33 pt column '權重' and '10%' came out one character a line,
  in a 54 pt one two ideographs a line; insets were 3 pt, no indent or margin: the cause was not found), so narrow
  columns print stacked characters;
- paragraphs come back with 93 % line spacing and a small negative space before and after, so lines sit closer
  than in the .pptx;
- an empty cell's text is 18 pt Arial (LibreOffice's default), the runs keep the typefaces named in the .pptx (the
  CJK name as the run's East Asian font, mapped through POI's FONT_MAP hint like r_poislides');
- the head row of a table whose .pptx flags `firstRow` is given white text by Impress's default table style, even
  over a light fill: such heads are written with explicit black text (unreadable in the first try);

How HSLF paints (what makes these decks differ from r_poislides' XSLF ones):
- HSLF keeps the paragraph mark (U+000D) and line break (U+000B) at the end of a paragraph's last run, and
  pdfbox-graphics2d, which has no glyph for them, painted every such line as glyph outlines (no text layer: all the
  multi-line cells were lost in the first try); the driver's text drawer turns them into spaces, so a paragraph's
  last line ends with a space in the text layer;
- cells are painted as the group's shapes: fills, then text, the borders as separate line shapes (no null-paint
  text loss as in XSLF's table painter);
- line breaking is POI's (LineBreakMeasurer on TextLayout advances: CJK breaks between any two ideographs);
- each face a PDType0Font subset (Identity-H), bold as `2 Tr`; every slide its own form XObject, maybe zoomed.

Variations drawn per deck: all of r_poislides' (page 4:3 / 16:9 / A4 landscape, faces and Windows typeface names,
grid / hrules / none / zebra as explicit borders and fills, head fills, merged or repeated or first-row-only 構面 and
objective labels, `vert270`/`vert` or stacked labels, band rows, two-row year heads, cell margins, title box or
placeholder, '--1/2' titles, the office's name as a badge or text beside the title, footers and slide-number fields,
'內部資料' watermark under or over, zoom, fractional metrics, drawer scope, compression, document info), plus the air
the author leaves under the text of a grown row.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import tempfile
from collections import defaultdict
from functools import cache
from pathlib import Path

from pptx.dml.color import RGBColor
from pptx.util import Emu

from . import java_driver, r_poislides
from .layout import check, find_pages
from .r_poislides import DARK, EMU_PT, PDFBOX, PDFBOX_GRAPHICS2D, POI, Builder
from .spec import Deck

LIBREOFFICE = "7.4.7"  # Debian 12's libreoffice-impress 4:7.4.7-1+deb12u14 (README, Setup)
JAVA = Path(__file__).with_name("r_poihslf.java")
MAIN = "PoiHslfDeck"
DRAWN = 1.4


def cache_dir() -> Path:
    return Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "poihslf"


@cache
def installed_version() -> str:
    ver = r_poislides.installed_version()
    jar = r_poislides.jar_dir() / "poi-scratchpad.jar"
    import zipfile

    if not jar.exists():
        raise RuntimeError(f"{jar} is missing: apt-get install -y libapache-poi-java")
    with zipfile.ZipFile(jar) as z:
        man = z.read("META-INF/MANIFEST.MF").decode()
    got = re.search(r"Implementation-Version: (\S+)", man)
    if not got or got.group(1) != POI:
        raise RuntimeError(f"POI scratchpad {POI} is wanted, {jar} is {got and got.group(1)}")
    lo = soffice_version()
    if LIBREOFFICE not in lo:
        raise RuntimeError(f"LibreOffice {LIBREOFFICE} is wanted, soffice is {lo}")
    return ver


@cache
def soffice_version() -> str:
    return subprocess.run(["soffice", "--version"], capture_output=True, text=True).stdout.strip()


@cache
def driver() -> str:
    installed_version()
    poislides = r_poislides.driver()
    cp = f"{poislides}:{r_poislides.jar_dir() / 'poi-scratchpad.jar'}"
    # PoiHslfDeck extends r_poislides' deck class: compiled again for every version of it (its classes' folder, last
    # on its classpath, is named by the hash of its source)
    salt = f"{POI}/{PDFBOX_GRAPHICS2D}/{JAVA.with_suffix('').name}/{Path(poislides.rsplit(':', 1)[-1]).name}"
    return java_driver.compiled(JAVA, cp, cache_dir(), salt, MAIN)


@cache
def tool_version(engine: str | None = None) -> str:
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return (
        f"Apache POI {installed_version()} HSLF on pdfbox-graphics2d {PDFBOX_GRAPHICS2D}, PDFBox {PDFBOX}, {java}; "
        f".ppt saved by {soffice_version()}"
    )


def producer_options(rng: random.Random, style: dict) -> dict:
    opts = r_poislides.producer_options(rng, style)
    opts["row_air"] = rng.choice([0.0, 1.0, 2.0, 4.0])
    return opts


class HslfBuilder(Builder):
    """r_poislides' deck, with the rows the author made taller and black head text where Impress's table style
    would make it white on a light fill."""

    def __init__(self, deck: Deck, opts: dict, heights: dict) -> None:
        super().__init__(deck, opts)
        self.heights = heights

    def table(self, slide, rows, prev, cols) -> None:
        super().table(slide, rows, prev, cols)
        tbl = [s for s in slide.shapes if s.has_table][-1].table
        nh = 2 if self.st["year_header"] == "two_row" else 1
        for r, row in enumerate(tbl.rows):
            h = self.heights.get((self.n_slides, r))
            if h:
                row.height = Emu(int(h * EMU_PT))
        if self.o["head_fill"] not in DARK:
            for r in range(nh):
                for cell in tbl.rows[r].cells:
                    for p in cell.text_frame.paragraphs:
                        for run in p.runs:
                            run.font.color.rgb = RGBColor(0, 0, 0)


def to_ppt(pptx: Path, folder: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="r_poihslf-lo-") as prof:
        cmd = ["soffice", f"-env:UserInstallation=file://{prof}/profile", "--headless", "--norestore"]
        cmd += ["--convert-to", "ppt", "--outdir", str(folder), str(pptx)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    out = folder / (pptx.stem + ".ppt")
    if not out.exists():
        raise RuntimeError(f"LibreOffice wrote no .ppt for {pptx.name}")
    return out


def _run(job: dict) -> str:
    with tempfile.TemporaryDirectory(prefix="r_poihslf-") as tmp:
        path = Path(tmp) / "job.json"
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        cmd = ["java", "-Djava.awt.headless=true", "-cp", driver(), MAIN, str(path)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if proc.returncode or not Path(job["out"]).exists():
            raise RuntimeError(f"POI HSLF rendering failed: {proc.stderr.strip()[-3000:]}")
        return proc.stdout


def grown(out: str, air: float) -> dict:
    """The rows whose text HSLF finds taller than the row: {(slide, row): height wanted}."""
    cells = defaultdict(list)
    for m in re.finditer(r"^cell (\d+) (\d+) (\d+) (\S+) (\S+) (\S+)$", out, re.M):
        n, r, _c = (int(x) for x in m.groups()[:3])
        y, h, th = (float(x) for x in m.groups()[3:])
        cells[n].append((r, y, h, th * DRAWN))  # HSLF draws lines further apart than its dry run measures
    for m in re.finditer(r"^vcell (\d+) (\d+) (\d+) (\S+) (\S+) (\S+) (\d+)$", out, re.M):
        n, r, _c = (int(x) for x in m.groups()[:3])
        y, h, size = (float(x) for x in m.groups()[3:6])
        # a turned label's length along the cell: its characters at about an em each, and the insets
        cells[n].append((r, y, h, int(m.group(7)) * size * 1.1 + 8))
    want = {}
    for n, cs in cells.items():
        row_h = {}
        row_y = {}
        for r, y, h, _ in cs:
            row_h[r] = min(row_h.get(r, h), h)
            row_y[r] = min(row_y.get(r, y), y)
        need = dict(row_h)
        for r, y, h, th in cs:
            if h <= row_h[r] + 0.5:
                need[r] = max(need[r], th + air if th > h - 0.25 else 0)
            elif th > h + 0.25:  # a merged cell: its rows' last one takes what is missing
                last = max(k for k, yy in row_y.items() if yy < y + h - 0.5)
                need[last] = max(need[last], row_h[last] + th - h + air)
        for r, hh in need.items():
            if hh > row_h[r] + 0.25:
                want[(n, r)] = round(hh + 0.5, 1)
    return want


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows and font_pt.  Rows HSLF finds too short for their text are
    made taller; a table then running past the slide's foot makes the slide hold fewer rows (then smaller type at
    one row).  Returns the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    opts.setdefault("max_rows", st["max_rows"])
    opts.setdefault("font_pt", st["font_pt"])
    faces, font_map, cjk_family = r_poislides.font_job(opts)
    heights: dict = {}
    passes = 0
    while True:
        passes += 1
        with tempfile.TemporaryDirectory(prefix="r_poihslf-") as tmp:
            pptx = Path(tmp) / f"{deck.stem}.pptx"
            b = HslfBuilder(deck, opts, heights)
            b.build(pptx)
            ppt = to_ppt(pptx, Path(tmp))
            if os.environ.get("REALTOOLS_KEEP_PPT"):  # for looking at the .ppt POI was given
                shutil.copy(ppt, os.environ["REALTOOLS_KEEP_PPT"])
            job = {"ppt": str(ppt), "out": str(out_pdf), "faces": faces, "font_map": font_map}
            job.update(fallback=cjk_family, zoom=opts["zoom"], fractional=opts["fractional"])
            job.update(drawer_scope=opts["drawer_scope"], compress=opts["compress"])
            job.update(info=r_poislides.doc_info(deck, opts))
            out = _run(job)
        want = grown(out, opts["row_air"])
        if want and passes < 12:
            if all(heights.get(k, 0) >= v for k, v in want.items()):
                want = {k: v + 1 for k, v in want.items()}  # LibreOffice wrote it shorter than asked
            heights.update({k: max(v, heights.get(k, 0)) for k, v in want.items()})
            continue
        bottoms = [float(x) for x in re.findall(r"bottom (\S+)", out)]
        outlines = sorted(set(re.findall(r"^outlines (.*)$", out, re.M)))
        foot = b.H - (30 if (opts["footer"] or opts["footer_org"]) else 6)
        if bottoms and max(bottoms) > foot and passes < 12:
            if opts["max_rows"] > 1:
                opts["max_rows"] -= 1
                heights = {}
                continue
            if opts["font_pt"] > 6:
                opts["font_pt"] -= 1
                heights = {}
                continue
        problems = check(out_pdf, deck) if r_poislides._pages_found(out_pdf, deck) else ["a KPI code is missing"]
        off = any("outside the page" in p for p in problems)
        if off and st["persp_mode"] == "rotated" and opts["vert"] == "vert" and passes < 12:
            opts["vert"] = "vert270"
            opts["vert_turned"] = True
            continue
        if off and opts["max_rows"] > 1 and passes < 12:
            opts["max_rows"] -= 1
            heights = {}
            continue
        break
    find_pages(out_pdf, deck)
    opts["problems"] = problems + [f"painted as outlines: {x}" for x in outlines]
    opts["table_bottoms"] = [round(x, 1) for x in bottoms]
    opts["passes"] = passes
    opts["rows_grown"] = len(heights)
    return opts
