"""Apache POI 4.0.1 slide renderer: the deck written as a .pptx by python-pptx, then every slide painted by POI's
XSLF renderer (`XSLFSlide.draw(Graphics2D)`) onto pdfbox-graphics2d's `PdfBoxGraphics2D` (0.42, on PDFBox 2.0.27),
the way server-side PPTX-to-PDF converters built on POI work.  A small driver (`r_poislides.java`, compiled by javac
at first use into the cache) reads a JSON job written here and runs headless.

Setup quirks of Debian 12's POI (libapache-poi-java 4.0.1-4): its poi-ooxml-schemas.jar is a stub of 72 classes
(the 'lite' jar cut by a test run that Debian mostly disables), so XSLF cannot open any .pptx
(NoClassDefFoundError: ...metadata.system.s0362...TypeSystemHolder).  `python -m tests.realtools.r_poislides install`
builds the full OOXML beans the way POI's build does: the OOXML schemas of Debian's own source package
(`apt-get source libapache-poi-java=4.0.1-4`, ooxml-xsds/ with POI's ooxmlSchemas.xsdconfig) compiled by Debian's
XMLBeans 4.0.0 `scomp` into ${REALTOOLS_CACHE}/poislides/ooxml-schemas-4.0.1.jar, put before poi-ooxml.jar on the
classpath (whose manifest drags the stub in).  POI 4.0.1 parses its preset shape geometries with JAXB, which Java 17
no longer has: Debian's jaxb-api/jaxb-runtime jars go on the classpath too.

How POI lays out and paints (what makes these decks differ from Impress's export of the same .pptx):
- table cells are grown by POI itself (XSLFTable.updateCellAnchor: each row as tall as its tallest cell's text at
  POI's own line breaking, java.awt.font.LineBreakMeasurer on TextLayout advances, which breaks CJK between any two
  ideographs and Latin at spaces), so rows are taller or shorter than python-pptx's nominal heights; a slide whose
  table grows past the bottom is written again with fewer rows;
- table styles (`a:tableStyleId`) are not applied: only explicit cell fills and `a:lnL/lnR/lnT/lnB` borders are
  painted (cells filled first, then every border, then the text);
- pdfbox-graphics2d drops any string drawn while the Graphics2D's paint is null, and POI's table painter leaves the
  paint of the last cell fill or border it set: a table whose last cell has no fill and no border loses all of its
  text.  So every cell here carries a solid fill (white when the deck has none), as an author fixes it once the blank
  tables show up;
- POI names a run's font by TextAttribute.FAMILY (its font groups: Latin runs in the `a:latin` typeface, CJK in
  `a:ea`, characters a face cannot show in the FONT_FALLBACK face); pdfbox-graphics2d 0.42 reads only
  TextAttribute.FONT, so the driver resolves FAMILY/SIZE/WEIGHT into a Font before its text drawer sees the run
  (without that every string is painted as glyph outlines, no text layer);
- Windows typefaces named in the .pptx (Calibri/Arial + 微軟正黑體/新細明體/標楷體) are substituted through POI's
  FONT_MAP hint by the faces installed (the CJK face of fonts.py, Latin in DejaVu Sans, Liberation Sans or the CJK
  face), so a cell such as 'AC1.1提升...' is split into a Latin run and a CJK run in two fonts;
- each face is loaded by PDFBox as a PDType0Font subset (Identity-H, CIDFontType2): PDFBox 2.0 cannot load OpenType
  CFF faces (Noto CJK), so such decks use a TrueType face (cff_refused); bold runs are the same font filled and
  stroked (`2 Tr`); a string with a character the mapped face lacks is drawn as outlines, so only characters the face
  has are printed (fonts.printable);
- vertical text (`vert="vert270"` or `"vert"`) is painted turned by a rotation of the Graphics2D (a turned Tm);
  merged cells (gridSpan/rowSpan, hMerge/vMerge) are painted as one box over the spanned rows;
- a turned label is painted centred on its (merged) cell but POI grows rows for horizontal text only, so a long
  構面 label over a single short row runs past it (a slide where it runs past the page is written with fewer rows);
- pdfbox-graphics2d shows each run from the point POI gave it with the PDF font's own widths, while POI broke and
  placed the lines with Java2D's advances (whole pixels when fractional metrics are off, at the zoomed size): runs
  come out a little longer or shorter than measured, and a full line can reach past its cell's right edge (seen
  about 8 pt past the table in a 16:9 deck with Latin in DejaVu Sans at zoom 2);
- a `vert` (90° clockwise) label longer than its cell is high is placed by POI left of the cell, off the slide
  for the table's first column (found in the first draw of the sets, where a deck went down to one row per slide
  without curing it): such a deck is written again with `vert270` (`vert_turned`);
- a footer's slide number may be an `<a:fld type="slidenum">`: POI prints the text saved in it;
- every slide is its own form XObject (`/Form Do`) drawn into the page, possibly scaled (a canvas zoomed by 4/3 or 2,
  as converters render at a DPI, the form drawn back at 1/zoom).

Variations drawn per deck (producer_options): the deck's page (4:3, 16:9, A4 landscape), face and type size; the
typefaces named in the .pptx (the installed face, or Windows names substituted by FONT_MAP with Latin in DejaVu Sans,
Liberation Sans or the CJK face); grid / horizontal rules (optionally heavier at the table's top and foot) / no rules
/ zebra fills as explicit cell borders and fills, rule colour and width, header fills (dark with white text, light,
none) and bold or plain heads; merged 構面/objective cells (rowSpan/vMerge), labels repeated in every row or written
in a group's first row only; turned labels `vert270` or `vert`, stacked labels, band rows (gridSpan over the row);
two-row year heads (gridSpan/rowSpan); cell margins; titles in a text box or the 'Title Only' layout's placeholder
(left or centred, 18-24 pt, '--1/2' markers), the office's short name as a badge or text beside the title; footers
('- n -', 'n / N', '第 n 頁，共 N 頁', 'n', as text or a slide-number field) and the office's footer line; the
'內部資料' watermark (a turned text box under the table, hidden by the cells' white fills, or over it); POI's
rendering zoom (1, 4/3, 2), fractional font metrics on or off (TextLayout advances, so line breaks, change); a font
text drawer per page (each page its own subset) or one for the document; compressed streams or not; document info.
"""

from __future__ import annotations

import copy
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import zipfile
from functools import cache
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from . import java_driver
from .fonts import TRUETYPE, face_file, printable
from .layout import Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

POI = "4.0.1"  # Debian 12's libapache-poi-java 4.0.1-4 (README, Setup)
POI_DEB = "4.0.1-4"
PDFBOX_GRAPHICS2D = "0.42"  # libpdfbox-graphics2d-java 0.42-1, on libpdfbox2-java 2.0.27 (as r_javag2d)
PDFBOX = "2.0.27"
JARS = [
    "poi.jar",
    "poi-ooxml.jar",
    "xmlbeans.jar",
    "commons-collections4.jar",
    "commons-compress.jar",
    "commons-math3.jar",
    "commons-codec.jar",
    "curvesapi.jar",
    "jaxb-api.jar",
    "jaxb-runtime.jar",
    "jaxb-core.jar",
    "javax.activation.jar",
    "pdfbox-graphics2d.jar",
    "pdfbox2.jar",
    "fontbox2.jar",
    "commons-logging.jar",
]
JAVA = Path(__file__).with_name("r_poislides.java")
MAIN = "PoiSlidesDeck"
EMU_PT = 12700
SLIDE_PT = {"4:3": (720, 540), "16:9": (960, 540), "A4L": (842, 595)}
NAVY = RGBColor(0x1F, 0x3A, 0x68)
LATIN_FACES = {
    "DejaVu Sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "Liberation Sans": "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
}
WIN_EA = ["微軟正黑體", "新細明體", "標楷體"]
WIN_LATIN = ["Calibri", "Arial"]
HEAD_FILLS = {"navy": "1F3A68", "blue": "4472C4", "light": "D9E2F3", "gray": "D9D9D9", "sand": "FBE5D6"}
DARK = {"navy", "blue"}
ZEBRA = {"blue": "E9EFF7", "gray": "F2F2F2", "green": "EAF1DD"}
LINE = {"black": "000000", "gray": "7F7F7F", "white": "FFFFFF", "blue": "8EAADB"}
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}", "zh": "第 {n} 頁，共 {N} 頁", "num": "{n}"}


def cache_dir() -> Path:
    return Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "poislides"


def jar_dir() -> Path:
    return Path(os.environ.get("REALTOOLS_POI", "/usr/share/java"))


def schemas_jar() -> Path:
    return cache_dir() / f"ooxml-schemas-{POI}.jar"


@cache
def installed_version() -> str:
    jar = jar_dir() / "poi.jar"
    if not jar.exists():
        raise RuntimeError(f"Apache POI is not installed ({jar}): apt-get install -y libapache-poi-java")
    with zipfile.ZipFile(jar) as z:
        man = z.read("META-INF/MANIFEST.MF").decode()
    ver = re.search(r"Implementation-Version: (\S+)", man)
    if not ver or ver.group(1) != POI:
        raise RuntimeError(f"Apache POI {POI} is wanted, {jar} is {ver and ver.group(1)}")
    if not schemas_jar().exists():
        raise RuntimeError(f"{schemas_jar()} is missing: python -m tests.realtools.r_poislides install (README, Setup)")
    from . import r_javag2d

    r_javag2d.installed_version()  # pdfbox-graphics2d 0.42 on PDFBox 2.0.27
    return ver.group(1)


@cache
def driver() -> str:
    installed_version()
    jars = ":".join([str(schemas_jar())] + [str(jar_dir() / j) for j in JARS])
    return java_driver.compiled(JAVA, jars, cache_dir(), f"{POI}/{PDFBOX_GRAPHICS2D}", MAIN)


@cache
def tool_version(engine: str | None = None) -> str:
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return f"Apache POI {installed_version()} XSLF on pdfbox-graphics2d {PDFBOX_GRAPHICS2D}, PDFBox {PDFBOX}, {java}"


def install(work: Path | None = None) -> None:
    """Build the full OOXML XMLBeans jar Debian's stub lacks: the schemas of Debian's source package of POI
    (a private deb-src list for bookworm, the system's lists untouched) compiled by XMLBeans' scomp."""
    from .r_context import _debian_mirror

    own = work is None
    work = Path(work or tempfile.mkdtemp(prefix="poi-src-"))
    (work / "lists" / "partial").mkdir(parents=True, exist_ok=True)
    (work / "archives" / "partial").mkdir(parents=True, exist_ok=True)
    keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"
    mirror = os.environ.get("REALTOOLS_DEBIAN_MIRROR") or _debian_mirror()
    (work / "sources.list").write_text(f"deb-src [signed-by={keyring}] {mirror} bookworm main\n")
    apt = [
        f"-oDir::Etc::sourcelist={work / 'sources.list'}",
        "-oDir::Etc::sourceparts=-",
        f"-oDir::State::Lists={work / 'lists'}",
        f"-oDir::Cache={work}",
        "-oAPT::Sandbox::User=root",
    ]
    subprocess.run(["apt-get", *apt, "update"], check=True)
    subprocess.run(
        ["apt-get", *apt, "source", "--download-only", f"libapache-poi-java={POI_DEB}"], cwd=work, check=True
    )
    top = f"apache-poi-{POI}"
    members = [f"{top}/ooxml-xsds", f"{top}/src/ooxml/resources/org/apache/poi/schemas"]
    subprocess.run(["tar", "xJf", f"libapache-poi-java_{POI}.orig.tar.xz", *members], cwd=work, check=True)
    xsds = work / "xsds"
    xsds.mkdir(exist_ok=True)
    for d in members:
        for f in (work / d).iterdir():
            # the two schemas importing the Dublin Core and XML-DSig schemas from the web are left out (POI reads
            # core properties and signatures without them)
            if f.name not in ("opc-digSig.xsd", "opc-coreProperties.xsd"):
                (xsds / f.name).write_bytes(f.read_bytes())
    out = schemas_jar()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp.jar")
    cmd = ["scomp", "-src", str(work / "gen"), "-d", str(work / "classes"), "-javasource", "1.5", "-noupa"]
    subprocess.run([*cmd, "-mx", "2048m", "-out", str(tmp), str(xsds)], check=True)
    tmp.rename(out)
    if own:
        shutil.rmtree(work, ignore_errors=True)
    print(f"built {out}")


def producer_options(rng: random.Random, style: dict) -> dict:
    win = rng.random() < 0.5
    rules = style["rules"]
    return {
        "page": style["page"],
        "font": style["font"] if style["font"] in TRUETYPE else rng.choice(TRUETYPE),
        "cff_refused": style["font"] if style["font"] not in TRUETYPE else None,
        "typefaces": "windows" if win else "direct",
        "latin_face": rng.choice(["DejaVu Sans", "Liberation Sans", "cjk"]) if win else "cjk",
        "win_ea": rng.choice(WIN_EA),
        "win_latin": rng.choice(WIN_LATIN),
        "labels": rng.choice(["merge", "merge", "repeat", "first"]),
        "vert": rng.choice(["vert270", "vert270", "vert"]),
        "title": rng.choice(["textbox", "placeholder"]),
        "title_align": rng.choice(["left", "left", "center"]),
        "title_pt": rng.choice([18, 20, 24]),
        "head_fill": rng.choice([None, *HEAD_FILLS]) if rules != "none" else rng.choice([None, "light", "gray"]),
        "head_bold": rng.random() < 0.7,
        "zebra_fill": rng.choice(list(ZEBRA)),
        "line": rng.choice(list(LINE)) if rules != "none" else "black",
        "line_w": rng.choice([0.5, 0.75, 1.0, 1.5]),
        "outer": rules == "hrules" and rng.random() < 0.5,  # a heavier rule above and below the table
        "margins": rng.choice(["default", "default", "tight", "wide"]),
        "footer": rng.choice([None, "dash", "of", "zh", "num"]),
        "footer_org": rng.random() < 0.4,
        "slidenum_field": rng.random() < 0.5,  # the page number an <a:fld type="slidenum"> (its saved text)
        "logo_kind": rng.choice(["badge", "text"]),
        "watermark_under": rng.random() < 0.5,
        "zoom": rng.choice([1.0, 1.0, 4 / 3, 2.0]),
        "fractional": rng.random() < 0.6,
        "drawer_scope": rng.choice(["page", "document"]),
        "compress": rng.random() < 0.8,
        "info": rng.choice([None, "title", "app"]),
    }


class Builder:
    """The deck as a python-pptx Presentation with explicit cell formatting (POI ignores table styles)."""

    def __init__(self, deck: Deck, opts: dict) -> None:
        self.d, self.o = deck, opts
        self.st = deck.style
        self.fam = opts["font"]
        if opts["typefaces"] == "windows":
            self.latin, self.ea = opts["win_latin"], opts["win_ea"]
        else:
            self.latin = self.ea = self.fam
        self.pt = float(opts["font_pt"])
        self.prs = Presentation()
        w, h = SLIDE_PT[opts["page"]]
        self.prs.slide_width, self.prs.slide_height = Emu(w * EMU_PT), Emu(h * EMU_PT)
        self.W, self.H = w, h
        self.n_slides = 0

    # --- text -----------------------------------------------------------------------------------------------

    def fill_text(self, tf, text: str, size: float, bold=False, align="left", color=None) -> None:
        tf.word_wrap = True
        text = printable(text, self.fam)
        for i, line in enumerate(text.split("\n")):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.alignment = PP_ALIGN.CENTER if align == "center" else PP_ALIGN.LEFT
            r = p.add_run()
            r.text = line
            r.font.size = Pt(size)
            r.font.bold = bold
            r.font.name = self.latin
            if color is not None:
                r.font.color.rgb = color
            rpr = r._r.get_or_add_rPr()
            rpr.append(rpr.makeelement(qn("a:ea"), {"typeface": self.ea}))

    def box(self, slide, x, y, w, h, text, size, bold=False, align="left", color=None, rot=0.0):
        tb = slide.shapes.add_textbox(
            Emu(int(x * EMU_PT)), Emu(int(y * EMU_PT)), Emu(int(w * EMU_PT)), Emu(int(h * EMU_PT))
        )
        self.fill_text(tb.text_frame, text, size, bold, align, color)
        if rot:
            tb.rotation = rot
        return tb

    def slide(self, layout: int = 6):
        self.n_slides += 1
        return self.prs.slides.add_slide(self.prs.slide_layouts[layout])

    # --- furniture ------------------------------------------------------------------------------------------

    def furniture(self, slide, n: int, total: int) -> None:
        o, grey = self.o, RGBColor(0x59, 0x59, 0x59)
        y = self.H - 26
        if o["footer_org"]:
            self.box(slide, 24, y, self.W * 0.6, 18, f"{self.d.org}｜策略地圖與平衡計分卡", 8, color=grey)
        if o["footer"]:
            s = FOOTERS[o["footer"]].format(n=n, N=total)
            tb = self.box(
                slide, self.W - 150, y, 126, 18, s, 9, color=grey, align="center" if o["footer"] == "dash" else "left"
            )
            if o["slidenum_field"]:
                _slidenum_field(tb.text_frame.paragraphs[0], str(n))

    def watermark(self, slide) -> None:
        self.box(
            slide, self.W * 0.22, self.H * 0.36, 420, 90, "內部資料", 60, color=RGBColor(0xD0, 0xD0, 0xD0), rot=-30
        )

    # --- slides ---------------------------------------------------------------------------------------------

    def build(self, path: Path) -> None:
        d = self.d
        W, H = self.W, self.H
        s = self.slide()
        self.box(s, 0, H * 0.3, W, 70, d.org, 36, True, "center", NAVY)
        self.box(s, 0, H * 0.45, W, 70, "策略地圖與平衡計分卡", 30, True, "center")
        s = self.slide()
        self.box(s, 40, 24, W - 80, 46, "轄區概況", 28, True, color=NAVY)
        self.box(s, 56, 100, W - 110, 240, "\n".join(d.profile_lines), 20)
        s = self.slide()
        self.box(s, 32, 20, W - 190, 46, f"{d.org}策略地圖", 24, True, color=NAVY)
        self.box(s, W - 150, 24, 134, 40, d.map_date, 18)
        y = 88.0
        for p in BSC_ORDER:
            objs = [o.shown for t in d.themes for o in t.objectives if o.perspective == p]
            if not objs:
                continue
            self.box(s, 30, y + 12, 100, 40, f"{p}構面", 14, True, color=NAVY)
            x = 140.0
            for name in objs:
                w = min(200.0, 12.0 * len(name) + 26)
                if x + w > W - 16:
                    break
                shp = s.shapes.add_shape(
                    MSO_SHAPE.OVAL, Emu(int(x * EMU_PT)), Emu(int(y * EMU_PT)), Emu(int(w * EMU_PT)), Emu(52 * EMU_PT)
                )
                shp.fill.background()
                shp.line.color.rgb = NAVY
                self.fill_text(shp.text_frame, name, 11, align="center", color=RGBColor(0, 0, 0))
                x += w + 10
            y += 80
        cols = columns(d)
        self.table_slides = []
        for t in d.themes:
            parts = chunk(theme_rows(d, t), int(self.o["max_rows"]))
            for i, part in enumerate(parts):
                s = self.slide(5 if self.o["title"] == "placeholder" else 6)
                self.table_slides.append(self.n_slides)
                if (self.st["watermark"]) and self.o["watermark_under"]:
                    self.watermark(s)
                self.title(s, theme_title(d, t, i + 1, len(parts)))
                self.table(s, part, parts[i - 1] if i else [], cols)
                if self.st["watermark"] and not self.o["watermark_under"]:
                    self.watermark(s)
        s = self.slide()
        self.box(s, 0, H * 0.4, W, 80, "敬請指教", 40, True, "center", NAVY)
        total = len(self.prs.slides)
        for n, sl in enumerate(self.prs.slides, 1):
            if n > 1:
                self.furniture(sl, n, total)
        self.prs.save(str(path))

    def title(self, s, text: str) -> None:
        o, W = self.o, self.W
        logo = self.st["logo"]
        right = 150 if logo else 0
        if o["title"] == "placeholder":
            # the 'Title Only' layout's title placeholder, moved and restyled on the slide
            shp = s.shapes.title
            shp.left, shp.top = Emu(20 * EMU_PT), Emu(8 * EMU_PT)
            shp.width, shp.height = Emu(int((W - 40 - right) * EMU_PT)), Emu(46 * EMU_PT)
            tf = shp.text_frame
        else:
            tb = s.shapes.add_textbox(
                Emu(20 * EMU_PT), Emu(8 * EMU_PT), Emu(int((W - 40 - right) * EMU_PT)), Emu(46 * EMU_PT)
            )
            tf = tb.text_frame
            tf.vertical_anchor = MSO_ANCHOR.MIDDLE
        self.fill_text(tf, text, o["title_pt"], True, o["title_align"], NAVY)
        if logo:
            if o["logo_kind"] == "badge":
                shp = s.shapes.add_shape(
                    MSO_SHAPE.ROUNDED_RECTANGLE,
                    Emu(int((W - 146) * EMU_PT)),
                    Emu(14 * EMU_PT),
                    Emu(126 * EMU_PT),
                    Emu(34 * EMU_PT),
                )
                shp.fill.solid()
                shp.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
                shp.line.color.rgb = NAVY
                self.fill_text(shp.text_frame, self.d.short, 13, True, "center", NAVY)
                shp.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
            else:
                self.box(s, W - 146, 16, 130, 30, self.d.short, 14, True, "center", NAVY)

    # --- the table ------------------------------------------------------------------------------------------

    def table(self, slide, rows: list[Row], prev: list[Row], cols) -> None:
        st, o = self.st, self.o
        two = st["year_header"] == "two_row"
        nh = 2 if two else 1
        n = len(cols)
        x0, y0 = 18.0, 62.0
        width = self.W - 36
        gf = slide.shapes.add_table(
            nh + len(rows), n, Emu(int(x0 * EMU_PT)), Emu(int(y0 * EMU_PT)), Emu(int(width * EMU_PT)), Emu(100 * EMU_PT)
        )
        tbl = gf.table
        tbl.first_row = True
        tbl.horz_banding = False
        tot = sum(c.weight for c in cols)
        for j, c in enumerate(cols):
            tbl.columns[j].width = Emu(int(width * EMU_PT * c.weight / tot))
        for r in tbl.rows:
            r.height = Emu(int(self.pt * EMU_PT * 1.8))
        hb = o["head_bold"]
        hcolor = RGBColor(0xFF, 0xFF, 0xFF) if o["head_fill"] in DARK else None
        j = 0
        while j < n:
            c = cols[j]
            if two and c.group:
                k = j
                while k + 1 < n and cols[k + 1].group == c.group:
                    k += 1
                if k > j:
                    tbl.cell(0, j).merge(tbl.cell(0, k))
                self.fill_text(tbl.cell(0, j).text_frame, c.group, self.pt, hb, "center", hcolor)
                for m in range(j, k + 1):
                    self.fill_text(tbl.cell(1, m).text_frame, cols[m].sub or "", self.pt, hb, "center", hcolor)
                j = k + 1
                continue
            if two:
                tbl.cell(0, j).merge(tbl.cell(1, j))
            self.fill_text(tbl.cell(0, j).text_frame, c.label, self.pt, hb, "center", hcolor)
            j += 1
        ids = [c.id for c in cols]
        for i, r in enumerate(rows):
            ri = nh + i
            if r.kind == "band":
                tbl.cell(ri, 0).merge(tbl.cell(ri, n - 1))
                self.fill_text(tbl.cell(ri, 0).text_frame, r.cells["band"], self.pt, True)
                continue
            for j, c in enumerate(cols):
                if c.id not in ("persp", "obj"):
                    self.fill_text(tbl.cell(ri, j).text_frame, r.cells.get(c.id, ""), self.pt, align=st["halign"])
        for key in ("persp", "obj"):
            if key not in ids:
                continue
            j = ids.index(key)
            for start, cnt in runs(rows, key):
                blank = start == 0 and st["blank_cont"] and continues(prev, rows[start], key)
                text = "" if blank else rows[start].cells[key]
                if key == "persp" and st["persp_mode"] == "stacked":
                    text = "\n".join(text)
                cells = [tbl.cell(nh + start + k, j) for k in range(cnt)]
                if cnt > 1 and o["labels"] == "merge":
                    cells[0].merge(cells[-1])
                    cells = cells[:1]
                for k, cell in enumerate(cells):
                    t = text if (k == 0 or o["labels"] == "repeat") else ""
                    self.fill_text(cell.text_frame, t, self.pt, align="center" if key == "persp" else st["halign"])
                    if key == "persp" and st["persp_mode"] == "rotated":
                        cell._tc.get_or_add_tcPr().set("vert", o["vert"])
        self.format_cells(tbl, rows, nh, n)

    def format_cells(self, tbl, rows: list[Row], nh: int, n: int) -> None:
        st, o = self.st, self.o
        rules = st["rules"]
        line = LINE[o["line"]] if not (o["line"] == "white" and not o["head_fill"]) else "000000"
        if rules in ("hrules", "zebra") and line == "FFFFFF":
            line = "7F7F7F"
        w = int(o["line_w"] * EMU_PT)
        m = {"default": (7.2, 3.6), "tight": (3.0, 1.5), "wide": (9.0, 5.0)}[o["margins"]]
        valign = MSO_ANCHOR.MIDDLE if st["valign"] == "middle" else MSO_ANCHOR.TOP
        nrows = nh + len(rows)
        zebra_i = 0
        for ri in range(nrows):
            head = ri < nh
            kind = "head" if head else rows[ri - nh].kind
            if kind == "kpi":
                zebra_i += 1
            for j in range(n):
                cell = tbl.cell(ri, j)
                cell.margin_left = cell.margin_right = Emu(int(m[0] * EMU_PT))
                cell.margin_top = cell.margin_bottom = Emu(int(m[1] * EMU_PT))
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE if head else valign
                fill = "FFFFFF"
                if head and o["head_fill"]:
                    fill = HEAD_FILLS[o["head_fill"]]
                elif kind == "band":
                    fill = HEAD_FILLS["light"] if o["head_fill"] in (None, *DARK) else HEAD_FILLS[o["head_fill"]]
                elif rules == "zebra" and zebra_i % 2 == 0:
                    fill = ZEBRA[o["zebra_fill"]]
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(fill)
                edges = {}
                if rules == "grid":
                    edges = dict.fromkeys("LRTB", (line, w))
                elif rules in ("hrules", "zebra"):
                    edges = {"T": (line, w), "B": (line, w)}
                    if o["outer"] and ri == 0:
                        edges["T"] = ("000000", int(1.5 * w))
                    if o["outer"] and ri == nrows - 1:
                        edges["B"] = ("000000", int(1.5 * w))
                    if o["outer"] and ri == nh - 1:
                        edges["B"] = ("000000", w)
                elif head:
                    edges = {"B": ("000000", w)}
                _borders(cell, edges)


def _slidenum_field(p, num: str) -> None:
    """The run holding the slide number made an `<a:fld type="slidenum">` whose saved text POI prints (PowerPoint's
    footer placeholders hold one)."""
    import uuid

    for r in p._p.findall(qn("a:r")):
        t = r.find(qn("a:t"))
        if num not in (t.text or ""):
            continue
        before, after = t.text.split(num, 1)
        rpr = r.find(qn("a:rPr"))
        fld = p._p.makeelement(qn("a:fld"), {"id": f"{{{str(uuid.UUID(int=int(num))).upper()}}}", "type": "slidenum"})
        if rpr is not None:
            fld.append(copy.deepcopy(rpr))
        ft = fld.makeelement(qn("a:t"), {})
        ft.text = num
        fld.append(ft)
        idx = list(p._p).index(r)
        t.text = before
        p._p.insert(idx + 1, fld)
        if after:
            r2 = copy.deepcopy(r)
            r2.find(qn("a:t")).text = after
            p._p.insert(idx + 2, r2)
        if not before:
            p._p.remove(r)
        return


def _borders(cell, edges: dict) -> None:
    """a:lnL/lnR/lnT/lnB first in tcPr (the schema's order, before the fill).  An edge without a rule is left out,
    not written `<a:noFill/>` as PowerPoint does: POI sets the Graphics2D's paint to null for such a border, and
    pdfbox-graphics2d then drops every string drawn after it (all the table's text vanished in the first tries)."""
    tcPr = cell._tc.get_or_add_tcPr()
    i = 0
    for side in "LRTB":
        el = tcPr.makeelement(qn(f"a:ln{side}"), {})
        if side in edges:
            color, w = edges[side]
            el.set("w", str(w))
            el.set("cmpd", "sng")
            sf = el.makeelement(qn("a:solidFill"), {})
            sf.append(sf.makeelement(qn("a:srgbClr"), {"val": color}))
            el.append(sf)
            el.append(el.makeelement(qn("a:prstDash"), {"val": "solid"}))
            tcPr.insert(i, el)
            i += 1


def _run(job: dict) -> str:
    with tempfile.TemporaryDirectory(prefix="r_poislides-") as tmp:
        path = Path(tmp) / "job.json"
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        cmd = ["java", "-Djava.awt.headless=true", "-cp", driver(), MAIN, str(path)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if proc.returncode or not Path(job["out"]).exists():
            raise RuntimeError(f"POI slide rendering failed: {proc.stderr.strip()[-3000:]}")
        return proc.stdout


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows and font_pt.  A table POI grows past the slide's foot makes the
    slide hold fewer rows (then smaller type at one row).  Returns the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    opts.setdefault("max_rows", st["max_rows"])
    opts.setdefault("font_pt", st["font_pt"])
    info = doc_info(deck, opts)
    faces, font_map, cjk_family = font_job(opts)
    while True:
        with tempfile.TemporaryDirectory(prefix="r_poislides-") as tmp:
            pptx = Path(tmp) / f"{deck.stem}.pptx"
            b = Builder(deck, opts)
            b.build(pptx)
            if os.environ.get("REALTOOLS_KEEP_PPTX"):  # for looking at the .pptx POI was given
                Path(os.environ["REALTOOLS_KEEP_PPTX"]).write_bytes(pptx.read_bytes())
            job = {"pptx": str(pptx), "out": str(out_pdf), "faces": faces, "font_map": font_map}
            job.update(fallback=cjk_family, zoom=opts["zoom"], fractional=opts["fractional"])
            job.update(drawer_scope=opts["drawer_scope"], compress=opts["compress"], info=info)
            out = _run(job)
        bottoms = [float(x) for x in re.findall(r"bottom (\S+)", out)]
        outlines = sorted(set(re.findall(r"^outlines (.*)$", out, re.M)))
        foot = b.H - (30 if (opts["footer"] or opts["footer_org"]) else 6)
        if bottoms and max(bottoms) > foot:
            if opts["max_rows"] > 1:
                opts["max_rows"] -= 1
                continue
            if opts["font_pt"] > 6:
                opts["font_pt"] -= 1
                continue
        problems = check(out_pdf, deck) if _pages_found(out_pdf, deck) else ["a KPI code is missing"]
        # a turned 構面 label longer than its rows runs past them (POI grows rows for horizontal text only); POI puts a
        # `vert` label that does not fit its cell left of the cell, off the slide: the author turns it the other way
        off = any("outside the page" in p for p in problems)
        if off and st["persp_mode"] == "rotated" and opts["vert"] == "vert":
            opts["vert"] = "vert270"
            opts["vert_turned"] = True
            continue
        if off and opts["max_rows"] > 1:
            opts["max_rows"] -= 1
            continue
        break
    find_pages(out_pdf, deck)
    opts["problems"] = problems + [f"painted as outlines: {x}" for x in outlines]
    opts["table_bottoms"] = [round(x, 1) for x in bottoms]
    return opts


def doc_info(deck: Deck, opts: dict) -> dict | None:
    """The PDF's document information the converter writes (none, the deck's title, or an application's)."""
    info = None
    if opts["info"]:
        info = {"Title": f"{deck.org}策略地圖與平衡計分卡", "Author": deck.org}
        if opts["info"] == "app":
            info.update(Creator="Microsoft® PowerPoint® 2016", Producer=f"Apache POI {POI} / pdfbox-graphics2d")
    return info


def font_job(opts: dict) -> tuple[list[str], dict, str]:
    """The faces the driver registers, POI's FONT_MAP (typeface named in the deck -> installed family) and the
    CJK face's family (the FONT_FALLBACK)."""
    faces = [face_file(opts["font"])]
    cjk_family = _family(opts["font"])
    font_map = {}
    if opts["typefaces"] == "windows":
        font_map[opts["win_ea"]] = cjk_family
        latin = opts["latin_face"]
        if latin == "cjk":
            font_map[opts["win_latin"]] = cjk_family
        else:
            faces.append(LATIN_FACES[latin])
            font_map[opts["win_latin"]] = latin
    return faces, font_map, cjk_family


def _pages_found(pdf: Path, deck: Deck) -> bool:
    try:
        find_pages(pdf, deck)
    except ValueError:
        return False
    return True


@cache
def _family(name: str) -> str:
    from fontTools.ttLib import TTFont

    return TTFont(face_file(name), lazy=True)["name"].getDebugName(1)


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["install"]:
        install()
