"""JasperReports renderer: the deck as JRXML reports compiled, filled and exported to PDF by JasperReports 6.20.6
(the Java report engine of most Taiwanese government and back-office Java systems) with its own PDF exporter
(JRPdfExporter on OpenPDF 1.3.30.jaspersoft.3), the jars of PyPI's pyreportjasper 2.1.4 (its wheel carries
pyreportjasper/libs/*.jar; `python -m tests.realtools.r_jasper install` copies the ones used into the cache), run
by a small driver (`r_jasper.java`, compiled by javac at first use) that reads a JSON job: the JRXML texts this
module writes and their rows (JRMapCollectionDataSource), JasperCompileManager (the JDT compiler of ecj),
JasperFillManager and one batch export of the prints (cover, profile, strategy map, the themes, the closing page)
into one PDF (JRPdfExporter's batch mode; compression, tagging, batch-mode bookmarks and the Info title, author
and creator from the options).  The driver reports every printed text element (page, bounds, text, truncation
index, the 'deck.tag' property a `propertyExpression` gives it) so that this module checks what Jasper laid out;
a rendering that still drops text after the author's fixes is deleted and render raises.

The reports are written as a Jasper developer writes them: the theme report has a group per theme (slides: per
slide of at most max_rows KPIs) whose header holds the title ('策略主題：(A)…', a plain or a filled bar textField,
the logo caption box beside it) and, in a second group on the same expression, the column head
(`isReprintHeaderOnEachPage` repeats it on every page of a theme, or it prints once), or the title in the
pageHeader and the head in the columnHeader band (printed on every page); `isStartNewPage` for slides and themes
that start a page, `minHeightToStartNewPage` so a title or a 構面 band row is not left at the foot of a page;
detail bands of textFields with `textAdjust="StretchHeight"` and `stretchType="RelativeToTallestObject"`, <box>
pens as a full grid, bottom rules only (the head ruled above and below) or none, zebra by a conditional style on
the group's `$V{..._COUNT}`; 構面/策略目標 labels repeated on every row or printed once per run by
`isPrintRepeatedValues="false"` (with `printWhenGroupChanges` on the theme group and `isPrintInFirstWholeBand`
when continued labels are printed again), under a label-less textField carrying the cell's side pens so the grid
stays closed; 構面 labels turned by `rotation="Left"` or stacked one character a line, or as a band row (a group
header per perspective); head cells as fixed-height textFields, with a two-row year head ('實際值' over the
years); an optional '資料來源' note in the columnFooter band (`isFloatColumnFooter` or at the page foot); a page
footer with the
org and `$V{PAGE_NUMBER}` plus a `PAGE_OFFSET` parameter (the pages of the prints before it) as '- n -' or
'n / N' (the total a second textField with `evaluationTime="Report"`); the '內部資料' watermark as a background
band staticText (horizontal or `rotation="Left"`, a light colour: Jasper has no text opacity); `splitType`
Prevent or Stretch on the detail band; line spacing Single, 1_1_2 or Proportional.  Slides are custom landscape
pages (4:3, 16:9, A4L) one group a page, the row budget lowered until every slide fits its page; documents are
A4 landscape/portrait or the slide size, paginated by Jasper.

CJK comes from a font extension written per deck into a classpath folder (jasperreports_extension.properties and
fonts.xml, the face of fonts.py copied beside it, pdfEncoding Identity-H, pdfEmbedded true); every text element
names that family (a copy of the face, fonts.printable's text).  The cover, profile and closing pages are a
title band each, the strategy map a title band over a detail row per perspective (a filled label cell and the
objectives joined by '　｜　'); all prints share the page size.

Quirks found.  Text Jasper cannot fit into a fixed-height element is cut without a word: a staticText or a
non-stretching textField keeps the lines that fit, and its print element's full text is the cut text
(getTextTruncateIndex stays null), so every table cell and head cell carries a `deck.tag` property (a
`propertyExpression`; dynamic properties reach the print elements only under a print transfer prefix, set in a
jasperreports.properties beside the font extension) and its printed text is compared with the content model's.
Head cells sized for 1.17 em lines printed '109年實際' for '109年實際值' in Noto Sans CJK 9 pt (AWT's line is the
face's hhea height: Noto Sans 1.448 em, Noto Serif 1.437, WenQuanYi Zen Hei 1.350, AR PL UMing 1.053), so heads are
sized from it and grow a line while a label is cut.  A text turned by `rotation="Left"` is laid out against the
element's design height, not the height RelativeToTallestObject stretches it to: at 9 pt in a one-line (17 pt)
row '內部流程' printed '內部' and '學習成長' '學習' in cells 40-73 pt tall, so the detail band is made as tall as the
longest turned label.  A detail band with splitType Stretch splits a tall KPI row over two pages (its plans cell,
and the value cells stretched with it, on both: 3 of 3 ten-point A4L test decks): the row has no single page, so
the author sets Prevent.  The PDF exporter lays each text out again with OpenPDF's split characters and can break
a line elsewhere than the fill measured: a fused plans cell 'EC1.2.1…計畫EC1.2.2…處理要點' was broken before
'EC1.2.2' and its last line ('點') fell out of the cell and was not printed; the author then sets
`net.sf.jasperreports.export.pdf.force.linebreak.policy` (some decks set it from the start), and the PDF breaks
where the fill did, with java.text.BreakIterator, which breaks inside a code after its period ('…計畫EC1.' /
'2.2桃園市…').  A group header's `minHeightToStartNewPage` counts design heights, so a title and head can still
be left at the foot of a page above a tall first row; the theme then starts a page (a `<break>` in its header,
printed when the row's `brk` field says so).  A page declared `orientation="Landscape"` (as Jaspersoft Studio
writes it) is exported with a portrait MediaBox and /Rotate 90 (720 x 540 slides as 540 x 720 pages), a wide
page declared Portrait with a landscape MediaBox.  The PDF is OpenPDF's: Producer 'OpenPDF 1.3.30.jaspersoft.3',
Creator as configured, PDF 1.5; every page's resources name Helvetica (/F1, WinAnsi, not embedded) though no
text uses it; CJK as Type0 Identity-H subsets (TrueType faces CIDFontType2; Noto CJK through OpenPDF's
CFFFontSubset as CIDFontType0C, 'NOYORP+NotoSansCJKtc-Regular-Identity-H', 262 KB for a 7-page deck), ToUnicode
one code point per glyph; bold synthetic (the family has no bold face).  The pyreportjasper 2.1.4 wheel installs
a top-level `tests` package (its own unit tests) that shadows this repository's `tests` namespace package, so it
is never pip-installed: `install` takes the jars out of the wheel.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import zipfile
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from . import java_driver
from .draw_common import SIZES
from .fonts import FACES, face_file, printable
from .layout import check, chunk, columns, find_pages, persp_label, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, fold

JASPER = "6.20.6"  # PyPI pyreportjasper 2.1.4's jasperreports-6.20.6.jar (README, Setup)
OPENPDF = "1.3.30.jaspersoft.3"
PYREPORTJASPER = "2.1.4"
JARS = [
    f"jasperreports-{JASPER}.jar",
    f"jasperreports-fonts-{JASPER}.jar",
    f"openpdf-{OPENPDF}.jar",
    "commons-beanutils-1.9.4.jar",
    "commons-collections-3.2.2.jar",
    "commons-collections4-4.2.jar",
    "commons-digester-2.1.jar",
    "commons-logging-1.1.1.jar",
    "ecj-3.21.0.jar",
    "jackson-annotations-2.14.1.jar",
    "jackson-core-2.14.1.jar",
    "jackson-databind-2.14.1.jar",
]
JAVA = Path(__file__).with_name("r_jasper.java")
MAIN = "JasperDeck"
NAVY = "#1F3A68"
HEAD_FILLS = {"light": "#DCE6F2", "gray": "#E6E6E6", "navy": NAVY}
BAND_FILL = "#C9D9EC"
ZEBRA_FILL = "#EEF2F7"
RULE_COLORS = {"black": "#000000", "gray": "#808080", "navy": NAVY}
FAMILY = "DeckCJK"
TRANSFER = "deck."  # the prefix of the 'deck.tag' property every table cell carries to its print element


def cache_dir() -> Path:
    d = Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "jasper"
    d.mkdir(parents=True, exist_ok=True)
    return d


def install(source: str | None = None) -> Path:
    """Copy the jars used into the cache from pyreportjasper's wheel (a path, or `pip download`ed into the cache)
    or from a folder of its libs.  The wheel is not pip-installed: it carries a top-level `tests` package that
    shadows this repository's `tests` namespace package (`python -m tests.realtools.generate` then fails)."""
    out = cache_dir()
    if source and Path(source).is_dir():
        for name in JARS:
            shutil.copy2(Path(source) / name, out / name)
        return out
    wheel = Path(source) if source else out / "wheel" / f"pyreportjasper-{PYREPORTJASPER}-py3-none-any.whl"
    if not wheel.exists():
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", f"pyreportjasper=={PYREPORTJASPER}"]
        subprocess.run([*cmd, "-d", str(wheel.parent)], check=True)
    with zipfile.ZipFile(wheel) as z:
        for name in JARS:
            (out / name).write_bytes(z.read(f"pyreportjasper/libs/{name}"))
    return out


@cache
def jars() -> list[str]:
    paths = [cache_dir() / n for n in JARS]
    if not all(p.exists() for p in paths):
        try:
            install()
        except (OSError, KeyError, subprocess.CalledProcessError) as e:
            raise RuntimeError(
                f"JasperReports {JASPER} is not installed: python -m tests.realtools.r_jasper install "
                f"[pyreportjasper-{PYREPORTJASPER}-py3-none-any.whl] ({e})"
            ) from None
    with zipfile.ZipFile(paths[0]) as z:
        manifest = z.read("META-INF/MANIFEST.MF").decode()
    ver = next((ln.split(":", 1)[1].strip() for ln in manifest.splitlines() if ln.startswith("Bundle-Version")), "")
    if ver != JASPER:
        raise RuntimeError(f"JasperReports {JASPER} is wanted, {paths[0]} is {ver}")
    return [str(p) for p in paths]


@cache
def driver() -> str:
    cp = ":".join(jars())
    return java_driver.compiled(JAVA, cp, cache_dir(), ",".join(JARS), MAIN)


@cache
def tool_version(engine: str | None = None) -> str:
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return f"JasperReports {JASPER} (JRPdfExporter, OpenPDF {OPENPDF}; pyreportjasper {PYREPORTJASPER} jars), {java}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.5
    slide = style["page"]
    rules = style["rules"]
    band = style["persp_mode"] == "band"
    head_in = rng.choice(["group", "group", "column_header"])
    return {
        "flow": flow,
        "page": rng.choice(["A4L", "A4L", "A4", slide]) if flow else slide,
        "font": style["font"] if style["font"] in FACES else rng.choice(list(FACES)),
        "font_pt": style["font_pt"] + (rng.choice([0, 1]) if flow else 0),
        "padding": rng.choice([2, 3, 4]),
        "line_spacing": rng.choice(["Single", "Single", "1_1_2", "Proportional"]),
        "pen": rng.choice([0.5, 0.5, 0.25, 0.75, 1.0]),
        "pen_color": rng.choice(list(RULE_COLORS)),
        "header_fill": rng.choice(["light", "gray", "navy"]) if rules != "none" and rng.random() < 0.75 else None,
        "header_bold": rng.random() < 0.5,
        "values_align": rng.choice([style["halign"], "Center", "Right"]),
        "labels": "repeat" if band else rng.choice(["merged", "merged", "repeat"]),
        "head_in": head_in,
        "repeat_header": head_in == "column_header" or rng.random() < 0.75,
        "split": "Prevent" if not flow else rng.choice(["Prevent", "Stretch"]),
        "theme_break": not flow or head_in == "column_header" or rng.random() < 0.6,
        "title_bar": rng.random() < 0.3,
        "footer": rng.choice([None, "dash", "dash", "of"]),
        "watermark_rotation": rng.choice(["None", "Left"]),
        "declare_landscape": rng.random() < 0.6,
        "force_linebreak_policy": rng.random() < 0.15,
        "compressed": rng.random() < 0.8,
        "tagged": rng.random() < 0.2,
        "bookmarks": rng.random() < 0.3,
        # a '資料來源' note in the columnFooter band, right under the last row (floating) or at the foot of the page
        "column_footer": rng.choice([None, None, "float", "bottom"]),
    }


class TooTall(Exception):
    """A KPI row Jasper splits though it starts a page: the type must be smaller."""


def _x(s: str) -> str:
    return escape(s, {'"': "&quot;"})


def _jstr(s: str) -> str:
    """A Java string literal (for expressions)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _cdata(s: str) -> str:
    return "<![CDATA[" + s.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@cache
def _line_em(family: str) -> float:
    """The face's line height in ems as AWT measures it (hhea ascent + descent + line gap)."""
    from fontTools.ttLib import TTFont

    font = TTFont(face_file(family), lazy=True)
    h = font["hhea"]
    return (h.ascent - h.descent + h.lineGap) / font["head"].unitsPerEm


def _units(s: str) -> float:
    """Width of a line in ems (ideographs 1, ASCII about 0.55)."""
    return sum(0.55 if ord(c) < 0x2E80 else 1.0 for c in s)


def _lines(s: str, width: float, pt: float) -> int:
    return sum(max(1, math.ceil(_units(ln) * pt / max(width, pt))) for ln in s.split("\n"))


class Builder:
    """The JRXML reports and rows of one rendering.  state: `head_extra` (lines added to head rows),
    `rot_h` (detail band height for turned labels), `brk` (themes that start a page), `orphan` (extra
    minHeightToStartNewPage), `split` (Prevent after a split row)."""

    def __init__(self, deck: Deck, opts: dict, state: dict) -> None:
        self.d, self.o, self.st, self.state = deck, opts, deck.style, state
        self.W, self.H = (595, 842) if opts["page"] == "A4" else (int(v) for v in SIZES[opts["page"]])
        self.pt = float(opts["font_pt"])
        self.side = 30
        self.top = 24
        self.foot_h = 22 if opts["footer"] else 0
        self.bottom = 14
        self.cw = self.W - 2 * self.side
        self.cols = columns(deck)
        self.band = self.st["persp_mode"] == "band"
        self.two = self.st["year_header"] == "two_row"
        self.pad = int(opts["padding"])
        self.font = opts["font"]
        self.expect: dict[str, str] = {}  # tag -> the text its print element must hold

    def t(self, s: str) -> str:
        return printable(s, self.font)

    # --- pieces ----------------------------------------------------------------------------------------------

    def font_xml(self, size: float, bold: bool = False) -> str:
        b = ' isBold="true"' if bold else ""
        return f'<font fontName="{FAMILY}" size="{size:g}"{b}/>'

    def para_xml(self) -> str:
        ls = self.o["line_spacing"]
        if ls == "Proportional":
            return '<paragraph lineSpacing="Proportional" lineSpacingSize="1.2"/>'
        return f'<paragraph lineSpacing="{ls}"/>'

    def box(self, sides: dict[str, float] | None, pad: int | None = None, lpad: int | None = None) -> str:
        p = self.pad if pad is None else pad
        lp = p + 1 if lpad is None else lpad
        pens = ""
        color = RULE_COLORS[self.o["pen_color"]]
        for side in ("top", "left", "bottom", "right"):
            w = (sides or {}).get(side, 0)
            if w:
                pens += f'<{side}Pen lineWidth="{w:g}" lineStyle="Solid" lineColor="{color}"/>'
        return f'<box topPadding="{p}" leftPadding="{lp}" bottomPadding="{p}" rightPadding="{lp}">{pens}</box>'

    def text_field(
        self,
        expr: str,
        x: int,
        y: int,
        w: int,
        h: int,
        size: float,
        *,
        tag: str | None = None,
        box: str = "",
        ha: str = "Left",
        va: str = "Top",
        bold: bool = False,
        color: str | None = None,
        fill: str | None = None,
        stretch: bool = True,
        relative: bool = True,
        rotation: str | None = None,
        style: str | None = None,
        attrs: str = "",
        evaluation: str | None = None,
        para: bool = True,
    ) -> str:
        re_attrs = f'x="{x}" y="{y}" width="{w}" height="{h}"'
        if relative:
            re_attrs += ' stretchType="RelativeToTallestObject"'
        if fill:
            re_attrs += f' mode="Opaque" backcolor="{fill}"'
        if color:
            re_attrs += f' forecolor="{color}"'
        if style:
            re_attrs += f' style="{style}"'
        re_attrs += attrs
        inner = f'<propertyExpression name="{TRANSFER}tag">{_cdata(tag)}</propertyExpression>' if tag else ""
        tf = ' textAdjust="StretchHeight"' if stretch else ""
        if evaluation:
            tf += f' evaluationTime="{evaluation}"'
        rot = f' rotation="{rotation}"' if rotation else ""
        return (
            f"<textField{tf}><reportElement {re_attrs}>{inner}</reportElement>{box}"
            f'<textElement textAlignment="{ha}" verticalAlignment="{va}"{rot}>{self.font_xml(size, bold)}'
            f"{self.para_xml() if para else ''}</textElement>"
            f"<textFieldExpression>{_cdata(expr)}</textFieldExpression></textField>"
        )

    def static(self, s: str, x: int, y: int, w: int, h: int, size: float, *, box: str = "", **kw) -> str:
        ha, va = kw.get("ha", "Center"), kw.get("va", "Middle")
        re_attrs = f'x="{x}" y="{y}" width="{w}" height="{h}"'
        if kw.get("fill"):
            re_attrs += f' mode="Opaque" backcolor="{kw["fill"]}"'
        if kw.get("color"):
            re_attrs += f' forecolor="{kw["color"]}"'
        rot = f' rotation="{kw["rotation"]}"' if kw.get("rotation") else ""
        return (
            f"<staticText><reportElement {re_attrs}/>{box}"
            f'<textElement textAlignment="{ha}" verticalAlignment="{va}"{rot}>'
            f"{self.font_xml(size, kw.get('bold', False))}</textElement>"
            f"<text>{_cdata(self.t(s))}</text></staticText>"
        )

    def report(self, name: str, body: str, fields: list[str], *, margins: bool = True, styles: str = "") -> str:
        side, top = (self.side, self.top) if margins else (0, 0)
        bottom = self.bottom if margins else 0
        fs = "".join(f'<field name="{f}" class="java.lang.String"/>' for f in fields)
        params = (
            '<parameter name="PAGE_OFFSET" class="java.lang.Integer"><defaultValueExpression>0'
            "</defaultValueExpression></parameter>"
            '<parameter name="PAGES_AFTER" class="java.lang.Integer"><defaultValueExpression>0'
            "</defaultValueExpression></parameter>"
        )
        # a landscape page declared Landscape (as Jaspersoft Studio does) is exported portrait with /Rotate 90
        floating = ' isFloatColumnFooter="true"' if self.o["column_footer"] == "float" else ""
        orient = "Landscape" if self.W > self.H and self.o["declare_landscape"] else "Portrait"
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<jasperReport xmlns="http://jasperreports.sourceforge.net/jasperreports" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://jasperreports.sourceforge.net/jasperreports '
            'http://jasperreports.sourceforge.net/xsd/jasperreport.xsd" '
            f'name="{name}" pageWidth="{self.W}" pageHeight="{self.H}" orientation="{orient}" '
            f'columnWidth="{self.W - 2 * side}" leftMargin="{side}" rightMargin="{side}" topMargin="{top}" '
            f'bottomMargin="{bottom}" whenNoDataType="AllSectionsNoDetail"{floating}>'
            f"{self.props()}{styles}{params}{fs}{body}</jasperReport>"
        )

    def props(self) -> str:
        if not (self.o["force_linebreak_policy"] or self.state["linebreak"]):
            return ""
        # the PDF exporter breaks lines where the fill did (OpenPDF's split characters otherwise)
        return '<property name="net.sf.jasperreports.export.pdf.force.linebreak.policy" value="true"/>'

    # --- front and back --------------------------------------------------------------------------------------

    def cover(self) -> dict:
        d, W, H = self.d, self.W, self.H
        els = (
            f'<rectangle><reportElement x="0" y="0" width="{W}" height="18" mode="Opaque" backcolor="{NAVY}" '
            f'forecolor="{NAVY}"/></rectangle>'
            + self.static(d.org, 20, int(H * 0.38) - 40, W - 40, 54, 30, va="Bottom")
            + self.static("策略地圖與平衡計分卡", 20, int(H * 0.38) + 20, W - 40, 50, 26, va="Top")
        )
        body = f'<title><band height="{H}" splitType="Stretch">{els}</band></title>'
        return {"name": "cover", "jrxml": self.report("cover", body, [], margins=False), "rows": []}

    def profile(self) -> dict:
        d = self.d
        title = self.static(f"{d.org}轄區概況", 0, 0, self.cw, 40, 20, ha="Left", va="Top", color=NAVY, bold=True)
        line = self.text_field(
            "$F{line}", 24, 0, self.cw - 24, 26, 14, box=self.box(None, 2, 0), relative=False, para=False
        )
        body = (
            f'<title><band height="52" splitType="Stretch">{title}</band></title>'
            f'<detail><band height="30" splitType="Stretch">{line}</band></detail>'
        )
        rows = [{"line": self.t(s)} for s in d.profile_lines]
        return {"name": "profile", "jrxml": self.report("profile", body, ["line"]), "rows": rows}

    def strategy_map(self) -> dict:
        d, cw = self.d, self.cw
        els = self.static(f"{d.org}策略地圖", 0, 0, cw - 140, 34, 20, ha="Left", va="Top", color=NAVY, bold=True)
        els += self.static(d.map_date, cw - 140, 0, 140, 34, 14, ha="Right", va="Bottom")
        vision = self.t("願景：" + "、".join(t.shown for t in d.themes))
        els += self.text_field(_jstr(vision), 0, 40, cw, 18, 10, relative=False, box=self.box(None, 2, 0))
        grid = {"top": 0.5, "left": 0.5, "bottom": 0.5, "right": 0.5}
        label = self.text_field(
            "$F{persp}",
            0,
            0,
            90,
            30,
            11,
            box=self.box(grid, 4, 4),
            ha="Center",
            va="Middle",
            color="#FFFFFF",
            fill=NAVY,
        )
        objs = self.text_field("$F{objs}", 90, 0, cw - 90, 30, 11, box=self.box(grid, 6, 8))
        body = (
            f'<title><band height="66" splitType="Stretch">{els}</band></title>'
            f'<detail><band height="30" splitType="Prevent">{label}{objs}</band></detail>'
        )
        rows = []
        for p in BSC_ORDER:
            objs_ = [o.shown for t in d.themes for o in t.objectives if o.perspective == p]
            if objs_:
                rows.append({"persp": f"{p}構面", "objs": self.t("　｜　".join(objs_))})
        return {"name": "map", "jrxml": self.report("map", body, ["persp", "objs"]), "rows": rows}

    def closing(self) -> dict:
        els = self.static("敬請指教", 0, int(self.H * 0.45) - 30, self.W, 64, 36)
        body = f'<title><band height="{self.H}" splitType="Stretch">{els}</band></title>'
        return {"name": "closing", "jrxml": self.report("closing", body, [], margins=False), "rows": []}

    # --- the theme report ------------------------------------------------------------------------------------

    def xs(self) -> list[tuple[int, int]]:
        total = sum(c.weight for c in self.cols)
        edges = [round(self.cw * sum(c.weight for c in self.cols[:i]) / total) for i in range(len(self.cols) + 1)]
        return [(a, b - a) for a, b in zip(edges, edges[1:])]

    def cell_sides(self, header: bool) -> dict[str, float]:
        pen, rules = float(self.o["pen"]), self.st["rules"]
        if rules == "grid":
            return {"top": pen, "left": pen, "bottom": pen, "right": pen}
        if rules == "hrules" or (rules == "zebra" and header):
            return {"top": 1.0, "bottom": 1.0} if header else {"bottom": pen}
        return {}

    def line_h(self) -> float:
        ls = self.o["line_spacing"]
        return self.pt * _line_em(self.font) * (1.5 if ls == "1_1_2" else 1.2 if ls == "Proportional" else 1.0)

    def head_cell(self, s: str, x: int, y: int, w: int, h: int, sides: dict, **kw) -> str:
        """A head cell: a textField of fixed height with a literal expression, tagged so that a label Jasper cuts (it
        keeps what fits and says nothing) is found."""
        tag = f"head {len(self.expect)}"
        self.expect[tag] = self.t(s)
        return self.text_field(
            _jstr(self.t(s)), x, y, w, h, self.pt, tag=_jstr(tag), box=self.box(sides), ha="Center", va="Middle",
            bold=kw.get("bold", False), color=kw.get("color"), fill=kw.get("fill"), stretch=False, relative=False,
        )  # fmt: skip

    def head_xml(self) -> tuple[str, int]:
        o, pt = self.o, self.pt
        fill = HEAD_FILLS.get(o["header_fill"] or "")
        color = "#FFFFFF" if o["header_fill"] == "navy" else None
        sides = self.cell_sides(True)
        extra = self.state["head_extra"]
        lh = self.line_h()

        def hgt(text: str, w: int) -> int:
            return math.ceil((_lines(self.t(text), w - 2 * self.pad - 2, pt) + extra) * lh + 2 * self.pad + 2)

        xs = self.xs()
        kw = {"fill": fill, "color": color, "bold": o["header_bold"]}
        if not self.two:
            h = max(hgt(c.label, w) for c, (x, w) in zip(self.cols, xs))
            out = "".join(self.head_cell(c.label, x, 0, w, h, sides, **kw) for c, (x, w) in zip(self.cols, xs))
            return out, h
        h1 = max(hgt(c.group or "", w) for c, (x, w) in zip(self.cols, xs) if c.group)
        h2 = max(hgt(c.sub or "", w) for c, (x, w) in zip(self.cols, xs) if c.group)
        rest = max((hgt(c.label, w) for c, (x, w) in zip(self.cols, xs) if not c.group), default=0)
        if rest > h1 + h2:
            h2 = rest - h1
        out = ""
        j = 0
        while j < len(self.cols):
            c = self.cols[j]
            x = xs[j][0]
            if c.group:
                k = j
                while k + 1 < len(self.cols) and self.cols[k + 1].group == c.group:
                    k += 1
                span = xs[k][0] + xs[k][1] - x
                out += self.head_cell(c.group, x, 0, span, h1, sides, **kw)
                for m in range(j, k + 1):
                    out += self.head_cell(self.cols[m].sub or "", xs[m][0], h1, xs[m][1], h2, sides, **kw)
                j = k + 1
            else:
                out += self.head_cell(c.label, x, 0, xs[j][1], h1 + h2, sides, **kw)
                j += 1
        return out, h1 + h2

    def title_xml(self, y: int = 0) -> tuple[str, int]:
        o, cw = self.o, self.cw
        logo = 110 if self.st["logo"] else 0
        w = cw - logo - (8 if logo else 0)
        if o["title_bar"]:
            tf = self.text_field(
                "$F{title}", 0, y, w, 28, 16, tag='"title " + $F{slide}', box=self.box(None, 4, 8), va="Middle",
                bold=o["header_bold"], color="#FFFFFF", fill=NAVY, relative=False, para=False,
            )  # fmt: skip
        else:
            tf = self.text_field(
                "$F{title}", 0, y, w, 28, 16, tag='"title " + $F{slide}', box=self.box(None, 2, 0), va="Middle",
                bold=o["header_bold"], color=NAVY, relative=False, para=False,
            )  # fmt: skip
        if logo:
            pen = f'<pen lineWidth="0.8" lineColor="{NAVY}"/>'
            box = f'<box topPadding="3" leftPadding="4" bottomPadding="3" rightPadding="4">{pen}</box>'
            tf += self.static(self.d.short, cw - logo, y + 3, logo, 22, 11, box=box, color=NAVY)
        return tf, 28 + 8

    def detail_xml(self) -> tuple[str, int]:
        st, o, pt = self.st, self.o, self.pt
        sides = self.cell_sides(False)
        h = math.ceil(self.line_h()) + 2 * self.pad + 1
        rotated = st["persp_mode"] == "rotated" and not self.band
        if rotated:
            h = max(h, self.state["rot_h"])
        out = ""
        zebra = ' style="zebra"' if st["rules"] == "zebra" else ""
        for c, (x, w) in zip(self.cols, self.xs()):
            ha = {"left": "Left", "center": "Center"}[st["halign"]]
            va = {"top": "Top", "middle": "Middle"}[st["valign"]]
            if c.id in ("a0", "a1", "a2", "t", "w"):
                ha = {"left": "Left", "center": "Center"}.get(o["values_align"], o["values_align"])
            tag = f'$F{{code}} + " {c.id}"'
            attrs = ""
            rotation = None
            if c.id in ("persp", "obj"):
                if c.id == "persp":
                    ha, va = "Center", "Middle"
                    rotation = "Left" if rotated else None
                if o["labels"] == "merged":
                    # the cell's pens drawn by a label-less field on every row, the label once per run above it
                    keep = {s: v for s, v in sides.items() if s in ("left", "right")}
                    out += self.text_field(
                        '""', x, 0, w, h, pt, box=self.box(keep), stretch=False, style=zebra[8:-1] or None
                    )
                    attrs = ' isPrintRepeatedValues="false" printWhenGroupChanges="slide"'
                    if not st["blank_cont"]:
                        attrs += ' isPrintInFirstWholeBand="true"'
                    lsides = {s: v for s, v in sides.items() if s != "bottom"} if sides else {}
                    out += self.text_field(
                        f"$F{{{c.id}}}", x, 0, w, h, pt, tag=tag, box=self.box(lsides), ha=ha, va=va,
                        rotation=rotation, attrs=attrs, relative=False, stretch=rotation is None,
                    )  # fmt: skip
                    continue
            out += self.text_field(
                f"$F{{{c.id}}}", x, 0, w, h, pt, tag=tag, box=self.box(sides), ha=ha, va=va, rotation=rotation,
                style=zebra[8:-1] or None, stretch=rotation is None,
            )  # fmt: skip
        return out, h

    def themes_report(self, max_rows: int) -> dict:
        d, o, st = self.d, self.o, self.st
        rows: list[dict] = []
        fields = ["slide", "title", "band", "code", "brk"] + [c.id for c in self.cols]
        for t in d.themes:
            trows = theme_rows(d, t)
            pieces = chunk(trows, max_rows) if not o["flow"] else [trows]
            for i, piece in enumerate(pieces):
                key = f"{t.letter} {i}" if not o["flow"] else t.letter
                title = self.t(theme_title(d, t, i + 1, len(pieces)) if not o["flow"] else theme_title(d, t))
                band = ""
                for r in piece:
                    if r.kind == "band":
                        band = self.t(r.cells["band"])
                        continue
                    row = {
                        "slide": key,
                        "title": title,
                        "band": band or self.t(persp_label(d, r.persp)),
                        "code": r.kpi.code,
                    }
                    row["brk"] = "1" if t.letter in self.state["brk"] else ""
                    for c in self.cols:
                        text = r.cells.get(c.id, "")
                        if c.id == "persp" and st["persp_mode"] == "stacked":
                            text = "\n".join(text)
                        row[c.id] = self.t(text)
                        self.expect[f"{r.kpi.code} {c.id}"] = row[c.id]
                    self.expect[f"title {key}"] = title
                    self.expect[f"band {r.kpi.code}"] = row["band"]
                    rows.append(row)
        head, head_h = self.head_xml()
        title, title_h = self.title_xml()
        detail, det_h = self.detail_xml()
        new_page = "true" if (not o["flow"] or o["theme_break"]) else "false"
        orphan = self.state["orphan"]
        styles = ""
        if st["rules"] == "zebra":
            styles = (
                '<style name="zebra" mode="Transparent"><conditionalStyle><conditionExpression>'
                + _cdata("$V{slide_COUNT} % 2 == 0")
                + f'</conditionExpression><style mode="Opaque" backcolor="{ZEBRA_FILL}"/></conditionalStyle></style>'
            )
        groups = ""
        brk = (
            '<break><reportElement x="0" y="0" width="100" height="1"><printWhenExpression>'
            + _cdata('"1".equals($F{brk}) && $V{PAGE_NUMBER} > 1 && $V{slide_COUNT} == 0')
            + "</printWhenExpression></reportElement></break>"
        )
        foot = ""
        if o["labels"] == "merged" and st["rules"] == "grid":  # close the merged label cells under the last row
            color = RULE_COLORS[o["pen_color"]]
            foot = (
                f'<groupFooter><band height="1"><line><reportElement x="0" y="0" width="{self.cw}" height="1" '
                f'forecolor="{color}"/><graphicElement><pen lineWidth="{o["pen"]:g}"/></graphicElement></line>'
                "</band></groupFooter>"
            )
        if o["head_in"] == "column_header":
            groups += (
                f'<group name="slide" isStartNewPage="{new_page}"><groupExpression>{_cdata("$F{slide}")}'
                f"</groupExpression>{foot}</group>"
            )
        else:
            min_h = title_h + head_h + det_h + 20 + orphan
            groups += (
                f'<group name="slide" isStartNewPage="{new_page}" minHeightToStartNewPage="{min_h}">'
                f"<groupExpression>{_cdata('$F{slide}')}</groupExpression>"
                f'<groupHeader><band height="{title_h + 1}" splitType="Prevent">{brk}{title}</band></groupHeader>'
                f"{foot}</group>"
            )
            rep = "true" if o["repeat_header"] else "false"
            groups += (
                f'<group name="head" isReprintHeaderOnEachPage="{rep}">'
                f"<groupExpression>{_cdata('$F{slide}')}</groupExpression>"
                f'<groupHeader><band height="{head_h}" splitType="Prevent">{head}</band></groupHeader></group>'
            )
        if self.band:
            sides = self.cell_sides(False)
            fill = BAND_FILL if st["rules"] != "none" else None
            bt = self.text_field(
                "$F{band}", 0, 0, self.cw, det_h, self.pt, tag='"band " + $F{code}', box=self.box(sides),
                bold=True, fill=fill, relative=False, va="Middle",
            )  # fmt: skip
            expr = _cdata('$F{slide} + "|" + $F{band}')
            groups += (
                f'<group name="persp" minHeightToStartNewPage="{2 * det_h + 10 + orphan}">'
                f"<groupExpression>{expr}</groupExpression>"
                f'<groupHeader><band height="{det_h}" splitType="Prevent">{bt}</band></groupHeader></group>'
            )
        sections = ""
        if st["watermark"]:
            rot = o["watermark_rotation"]
            if rot == "Left":
                wm = self.static(
                    "內部資料", self.cw // 2 - 40, 40, 80, self.H - 140, 60, rotation="Left", color="#F2CACA"
                )
            else:
                wm = self.static("內部資料", 0, self.H // 2 - 80, self.cw, 80, 60, color="#F2CACA")
            sections += f'<background><band height="{self.H - self.top - self.bottom}">{wm}</band></background>'
        if o["head_in"] == "column_header":
            title2, _ = self.title_xml()
            sections += f'<pageHeader><band height="{title_h}" splitType="Stretch">{title2}</band></pageHeader>'
            sections += f'<columnHeader><band height="{head_h}" splitType="Stretch">{head}</band></columnHeader>'
        split = self.state["split"] or o["split"]
        sections += f'<detail><band height="{det_h}" splitType="{split}">{detail}</band></detail>'
        if o["column_footer"]:
            note = self.static(
                "資料來源：本機關統計；單位：%、件、人次", 0, 2, self.cw, 14, max(6.0, self.pt - 1), ha="Left",
                va="Top", color="#5A5A5A",
            )  # fmt: skip
            sections += f'<columnFooter><band height="16" splitType="Stretch">{note}</band></columnFooter>'
        if o["footer"]:
            sections += (
                f'<pageFooter><band height="{self.foot_h}" splitType="Stretch">{self.footer_xml()}</band></pageFooter>'
            )
        jr = self.report("themes", groups + sections, fields, styles=styles)
        return {"name": "themes", "jrxml": jr, "rows": rows, "params": {"PAGES_AFTER": 1}}

    def footer_xml(self) -> str:
        cw, d = self.cw, self.d
        line = (
            f'<line><reportElement x="0" y="2" width="{cw}" height="1" forecolor="#969696"/>'
            '<graphicElement><pen lineWidth="0.4"/></graphicElement></line>'
        )
        left = self.static(f"{d.org}｜策略地圖與平衡計分卡", 0, 5, cw // 2, 14, 7, ha="Left", color="#646464")
        n = "($V{PAGE_NUMBER} + $P{PAGE_OFFSET})"
        if self.o["footer"] == "dash":
            num = self.text_field(
                f'"- " + {n} + " -"',
                cw - 120,
                5,
                120,
                14,
                7,
                ha="Right",
                color="#646464",
                stretch=False,
                relative=False,
                para=False,
            )
        else:
            num = self.text_field(
                f'{n} + " / "',
                cw - 120,
                5,
                100,
                14,
                7,
                ha="Right",
                color="#646464",
                stretch=False,
                relative=False,
                para=False,
            )
            num += self.text_field(
                "String.valueOf($V{PAGE_NUMBER} + $P{PAGE_OFFSET} + $P{PAGES_AFTER})", cw - 20, 5, 20, 14, 7,
                color="#646464", stretch=False, relative=False, evaluation="Report", para=False,
            )  # fmt: skip
        return line + left + num

    def job(self, out_pdf: Path, max_rows: int) -> dict:
        reports = [self.cover(), self.profile(), self.strategy_map(), self.themes_report(max_rows), self.closing()]
        return {
            "reports": reports,
            "pdf": {
                "compressed": self.o["compressed"],
                "tagged": self.o["tagged"],
                "bookmarks": self.o["bookmarks"],
                "title": f"{self.d.org}策略地圖與平衡計分卡",
                "author": self.d.org,
                "creator": f"JasperReports Library version {JASPER}",
            },
            "out": str(out_pdf),
        }


def font_dir(family: str) -> Path:
    """A classpath folder holding the font extension of `family` (fonts.xml, the properties, the face)."""
    face = Path(face_file(family))
    key = hashlib.sha1(f"{family}|{face}|{TRANSFER}".encode()).hexdigest()[:10]
    d = cache_dir() / f"fontext-{key}"
    if (d / "jasperreports_extension.properties").exists():
        return d
    tmp = Path(tempfile.mkdtemp(prefix="fontext-", dir=cache_dir()))
    (tmp / "fonts").mkdir()
    shutil.copy2(face, tmp / "fonts" / face.name)
    (tmp / "fonts" / "fonts.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<fontFamilies>\n'
        f'  <fontFamily name="{FAMILY}">\n'
        f"    <normal><![CDATA[fonts/{face.name}]]></normal>\n"
        "    <pdfEncoding><![CDATA[Identity-H]]></pdfEncoding>\n"
        "    <pdfEmbedded><![CDATA[true]]></pdfEmbedded>\n"
        "  </fontFamily>\n</fontFamilies>\n",
        encoding="utf-8",
    )
    (tmp / "jasperreports_extension.properties").write_text(
        "net.sf.jasperreports.extension.registry.factory.fonts="
        "net.sf.jasperreports.engine.fonts.SimpleFontExtensionsRegistryFactory\n"
        "net.sf.jasperreports.extension.simple.font.families.deck=fonts/fonts.xml\n",
        encoding="utf-8",
    )
    # dynamic properties (propertyExpression) reach the print elements only under a print transfer prefix
    (tmp / "jasperreports.properties").write_text(f"net.sf.jasperreports.print.transfer.deck={TRANSFER}\n")
    try:
        tmp.rename(d)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
    return d


def _run(job: dict, family: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="r_jasper-") as tmp:
        path = Path(tmp) / "job.json"
        job = {**job, "report": str(Path(tmp) / "report.json")}
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        cp = f"{driver()}:{font_dir(family)}"
        cmd = ["java", "-Djava.awt.headless=true", "-Xss8m", "-Xmx1g", "-cp", cp, MAIN, str(path)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=tmp)
        if proc.returncode:
            raise RuntimeError(f"JasperReports failed: {proc.stderr.strip()[-3000:]}")
        return json.loads(Path(job["report"]).read_text(encoding="utf-8"))


def _compact(s: str) -> str:
    return "".join(fold(s).split())


def _subsequence(want: str, got: str) -> bool:
    it = iter(got)
    return all(c in it for c in want)


def _texts(rep: dict, name: str) -> list[tuple[int, dict]]:
    r = next(x for x in rep["reports"] if x["name"] == name)
    return [(r["offset"] + i + 1, e) for i, page in enumerate(r["pages"]) for e in page]


def _furniture(b: Builder) -> dict[str, list[str]]:
    """The lines of the cover, profile, map and closing pages (staticTexts: Jasper cuts them without a word)."""
    d = b.d
    objs = [o.shown for t in d.themes for o in t.objectives]
    return {
        "cover": [d.org, "策略地圖與平衡計分卡"],
        "profile": [f"{d.org}轄區概況", *d.profile_lines],
        "map": [f"{d.org}策略地圖", d.map_date, "願景：" + "、".join(t.shown for t in d.themes), *objs],
        "closing": ["敬請指教"],
    }


def _not_drawn(pdf: Path, rep: dict, b: Builder) -> list[str]:
    """Every text element Jasper printed must show its whole text: not truncated by Jasper, and its characters, in
    order, inside its bounds on its page of the PDF; every line of the furniture pages must be on its pages."""
    import pymupdf

    doc = pymupdf.open(str(pdf))
    chars: dict[int, list] = {}
    out = []
    for r in rep["reports"]:
        want_lines = _furniture(b).get(r["name"], [])
        text = _compact("".join(doc[r["offset"] + i].get_text() for i in range(len(r["pages"]))))
        for line in want_lines:
            if _compact(b.t(line)) not in text:
                out.append(f"{r['name']}: line not drawn: {line!r}")
    for r in rep["reports"]:
        for i, page in enumerate(r["pages"]):
            pno = r["offset"] + i + 1
            if pno not in chars:
                page_ = doc[pno - 1]
                raw = page_.get_text("rawdict")
                # a page declared Landscape is written portrait with /Rotate 90: chars in the unrotated space
                m = page_.rotation_matrix
                chars[pno] = [
                    (c["c"], tuple(pymupdf.Rect(c["bbox"]) * m)) for b in raw["blocks"] if b.get("type") == 0
                    for ln in b["lines"] for s in ln["spans"] for c in s["chars"]
                ]  # fmt: skip
            for e in page:
                want = _compact(e["s"])
                if not want:
                    continue
                if e["trunc"]:
                    out.append(f"page {pno}: truncated by Jasper: {e['s']!r} printed {e['shown']!r} [{e.get('tag')}]")
                    continue
                x0, y0 = e["x"] - 2, e["y"] - 2  # print elements are placed on the page, margins included
                x1, y1 = x0 + e["w"] + 4, y0 + e["h"] + 4
                got = "".join(
                    c for c, bb in chars[pno] if x0 <= (bb[0] + bb[2]) / 2 <= x1 and y0 <= (bb[1] + bb[3]) / 2 <= y1
                )
                if not _subsequence(want, _compact(got)):
                    out.append(f"page {pno}: not drawn: {e['s']!r} reads {got!r} [{e.get('tag')}]")
    return out


def _cut(rep: dict, expect: dict[str, str]) -> list[str]:
    """Tags whose printed text is not the cell's (Jasper keeps what fits a fixed-height or turned text element and
    drops the rest silently: its full text is then the cut text); a row split over two pages reads whole when its
    parts are joined (the split itself is dealt with apart)."""
    parts: dict[str, list[tuple[int, int, str]]] = {}
    for pno, e in _texts(rep, "themes"):
        if e.get("tag") in expect:
            parts.setdefault(e["tag"], []).append((pno, e["y"], e["s"]))
    out = []
    for tag, els in parts.items():
        want = _compact(expect[tag])
        if all(_compact(s) == want for _, _, s in els):
            continue
        if _compact("".join(s for _, _, s in sorted(els))) == want:
            continue
        out.append(tag)
    return out


def _pages_of(rep: dict) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for pno, e in _texts(rep, "themes"):
        if e.get("tag") and _compact(e["s"]):
            out.setdefault(e["tag"], set()).add(pno)
    return out


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide, lowered until every slide fits
    its page).  Renders again after each correction an author would make (see the module docstring).  With
    R_JASPER_KEEP set, a PDF that still drops text is kept for inspection (render raises all the same)."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    out_pdf = Path(out_pdf)
    state = {"head_extra": 0, "rot_h": 0, "brk": set(), "orphan": 0, "split": None, "linebreak": False}
    b = Builder(deck, opts, state)
    if st["persp_mode"] == "rotated":
        label = max((persp_label(deck, o.perspective) for t in deck.themes for o in t.objectives), key=len)
        state["rot_h"] = math.ceil(len(label) * opts["font_pt"] * 1.05 + 2 * opts["padding"] + 4)
    for _ in range(40):
        b = Builder(deck, opts, state)
        rep = _run(b.job(out_pdf, int(opts["max_rows"])), opts["font"])
        pages = _pages_of(rep)
        cut = _cut(rep, b.expect)
        if cut:
            if any(t.endswith(" persp") for t in cut) and st["persp_mode"] == "rotated":
                state["rot_h"] += 6
                continue
            if any(t.startswith("head ") for t in cut):
                state["head_extra"] += 1
                continue
            raise RuntimeError(f"{deck.stem}: Jasper cut {[(t, b.expect.get(t)) for t in cut][:3]}")
        codes = [k.code for _, _, k in deck.kpis()]
        split = [c for c in codes if len(set().union(*(pages.get(f"{c} {col.id}", set()) for col in b.cols))) > 1]
        try:
            if split:
                if (state["split"] or opts["split"]) == "Stretch":
                    state["split"] = "Prevent"
                    continue
                raise TooTall(split[0])
            if not opts["flow"]:
                per_slide = {}
                for t in deck.themes:
                    for i, piece in enumerate(chunk(theme_rows(deck, t), int(opts["max_rows"]))):
                        ps = set().union(*(pages.get(f"{r.kpi.code} kpi", set()) for r in piece if r.kind == "kpi"))
                        ps |= pages.get(f"title {t.letter} {i}", set())
                        per_slide[f"{t.letter} {i}"] = ps
                if any(len(ps) > 1 for ps in per_slide.values()) or len(set().union(*per_slide.values())) != len(
                    per_slide
                ):
                    if opts["max_rows"] > 1:
                        opts["max_rows"] -= 1
                        continue
                    raise TooTall("slide")
            else:
                moved = False
                for t in deck.themes:
                    first = next(r for r in theme_rows(deck, t) if r.kind == "kpi").kpi.code
                    kp = min(pages.get(f"{first} kpi", {0}))
                    tp = pages.get(f"title {t.letter}", set())
                    if opts["head_in"] == "group" and tp and min(tp) != kp and t.letter not in state["brk"]:
                        state["brk"].add(t.letter)
                        moved = True
                    for r in theme_rows(deck, t):
                        if r.kind == "kpi":
                            bp = pages.get(f"band {r.kpi.code}")
                            if bp and min(bp) != min(pages.get(f"{r.kpi.code} kpi", {0})):
                                state["orphan"] += 40
                                moved = True
                                break
                if moved:
                    continue
                if opts["head_in"] == "column_header":
                    # the running title in the page header: every page's title must be its rows' theme
                    by_page: dict[int, set[str]] = {}
                    for tag, ps in pages.items():
                        for p in ps:
                            by_page.setdefault(p, set()).add(tag)
                    for p, tags in by_page.items():
                        titles = {t[6:] for t in tags if t.startswith("title ")}
                        letters = {c.split(" ")[0][0] for c in tags if not c.startswith(("title ", "band ", "head "))}
                        if letters and titles != letters:
                            raise RuntimeError(f"{deck.stem}: page {p} titled {titles} holds rows of {letters}")
        except TooTall:
            if opts["font_pt"] <= 6:
                raise RuntimeError(f"{deck.stem}: a KPI row does not fit a page even in 6 pt type") from None
            opts["font_pt"] -= 1
            continue
        problems = _not_drawn(out_pdf, rep, b)
        if problems and not (opts["force_linebreak_policy"] or state["linebreak"]):
            # the exporter broke a line elsewhere than the fill measured, and the last line fell out of the cell
            state["linebreak"] = True
            opts["dropped_before_fix"] = problems[:2]
            continue
        if problems:
            if not os.environ.get("R_JASPER_KEEP"):
                out_pdf.unlink(missing_ok=True)
            raise RuntimeError(f"{deck.stem}: JasperReports dropped text: {problems[:4]}")
        break
    else:
        raise RuntimeError(f"{deck.stem}: the Jasper layout did not settle")
    if opts["flow"]:
        opts.pop("max_rows")
    opts["linebreak_fixed"] = state["linebreak"]
    opts["split_fixed"] = state["split"] is not None  # Stretch split a row: Prevent set by the author
    opts["split"] = state["split"] or opts["split"]
    opts["theme_page"] = sorted(state["brk"])
    opts["head_extra_lines"] = state["head_extra"]
    if st["persp_mode"] == "rotated":
        opts["rotated_row_h"] = state["rot_h"]
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "install" and len(args) <= 2:
        print(install(args[1] if len(args) == 2 else None))
        return 0
    print("usage: python -m tests.realtools.r_jasper install [PYREPORTJASPER_WHEEL_OR_LIBS_DIR]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
