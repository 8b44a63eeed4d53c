"""Calligra Stage renderer: the deck written as a .pptx by python-pptx (r_poislides' Builder: explicit cell fills,
merged or repeated labels, footers, watermark), imported by Stage's own pptx filter (`calligraconverter --batch`
pptx -> .odp, the filter Stage runs when it opens a .pptx), fixed as a Stage user fixes what the import loses, and
printed by Calligra Stage 3.2.1 (`calligrastage --export-pdf`: KoPAPrintJob paints every slide with Stage's own
page painter on a QPrinter, Qt 5.15's PDF engine), offscreen Qt in a private D-Bus session (as r_calligra).

What Stage does with the deck (found by printing it; fixed here only where an author sees it on screen):
- tables: the pptx import turns a table frame into an ODF `table:table` inside a `draw:frame`, painted by Calligra's
  table shape (cells with fixed paddings, rows grown to their text), but the frame keeps the height python-pptx
  gave it and everything below it is clipped (rows cut half-way, their lower lines missing from the text layer).
  The author drags the frame down to the slide's foot (the rows do not stretch to fill it); a slide whose rows
  still run past the frame is written again with fewer rows (then smaller type);
- table borders: the import keeps only the table's outer edges of explicit `a:lnL/lnR/lnT/lnB` cell borders (the
  first column's left, the first row's top, ...) and otherwise takes the inner rules of the table style (the
  default Medium Style 2: 1 pt white rules).  Decks with `table_style: "fixed"` get their rules set again cell
  by cell in the imported .odp (grid: four sides; hrules/zebra: above and below each row, optionally heavier at the
  head and foot; none: under the head only; the import writes inner cells' rules as the `fo:border` shorthand, which
  Stage prefers to the sides, so it is removed), as a user does in Stage's cell border tool; `"style"` decks keep what
  the import made of the style (white inner rules, which print as gaps between the fills, black outer edges);
- text colour: the first paragraph of every body cell comes out in the style's accent colour (light blue on the
  blue fills): every run is given an explicit colour (black, or white on dark head fills);
- cell margins (`marL/marR/marT/marB`) are dropped: text starts at the cell's left border and the first glyph's
  left edge is clipped by the cell; `"fixed"` decks get the margins back as ODF paddings, `"style"` decks keep it;
- turned 構面 labels (`vert="vert270"`/`"vert"`) are not turned: the label runs horizontally and wraps in its
  narrow column; header cells are top-aligned like the rest; a cell's own four rules are painted, so a grid has
  doubled rules between cells;
- lazy text layout: KoPAPrintJob paints slides right after loading, without waiting for the text shapes' layout,
  which runs from the event loop while later slides are still loading, so the text boxes (titles, footers, the
  closing slide) of the last six slides are missing from every export (tables are painted all the same).  A GUI
  user never sees this (the slide sorter lays every slide out before File > Export as PDF); here ten empty slides
  are appended before the export and their pages cut off again by qpdf (`qpdf in --pages in 1-n -- out`, which
  keeps the painted page streams and fonts); a deck whose titles still lack is an error;
- calligraconverter's own PDF output crashes (SIGSEGV, as for Words) and Stage never quits after --export-pdf
  without a window, so it is ended once the PDF's trailer is written (r_calligra._calligra);
- page size: KoPAPrintJob zooms the slide onto the printer's paper measured in millimetres as if they were points,
  so a 720x540 pt 4:3 slide prints on a 2041x1531 pt page (everything 2.835 times larger, type of 8 pt at 22.7).

Text layer (Qt 5.15 QPdfEngine, PDF 1.4, Producer 'Qt 5.15.8', no Creator): one CIDFontType2 font per face
(Identity-H, untagged names such as WenQuanYiZenHei), ToUnicode from the face's cmap reversed; with Noto CJK that
reads ideographs as Kangxi radicals and code digits as U+0097 (r_calligra), so only the TrueType faces are used; a
space of every paragraph in DejaVu Serif.  Cell text goes cell by cell in row order, lines broken by Qt between
any two ideographs.

Variations drawn per deck (producer_options): r_poislides' (page 4:3/16:9/A4L, face, grid/hrules/none/zebra rules,
rule colour and width, heavier outer rules, header fills, bold heads, zebra colour, merged/repeated/first-row-only
構面 and objective labels, vert/vert270 (ignored by Stage), margins, title as text box or 'Title Only'
placeholder, left or centred, 18-24 pt, footers '- n -'/'n / N'/'第 n 頁，共 N 頁'/'n' as text or slide-number
field, the office's footer line, the short name as badge or text beside the title, watermark under or over), plus
the table style kept or fixed (table_style) and the office name as a subtitle under the title (org_subtitle).
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import tempfile
import zipfile
from functools import cache
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu

from . import r_poislides
from .fonts import TRUETYPE
from .layout import check, find_pages
from .r_calligra import _calligra, _env
from .r_poislides import EMU_PT, LINE, NAVY, Builder
from .spec import Deck

CALLIGRA = "3.2.1"  # Debian 12's calligrastage 1:3.2.1+dfsg-6+b3 (README, Setup)
PADDING = 10  # empty slides appended so that Stage lays out the text of every real slide before printing
TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
STYLE_NS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO_NS = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
CAL_NS = "http://www.calligra.org/2005/"
MARGINS = {"default": (7.2, 3.6), "tight": (3.0, 1.5), "wide": (9.0, 5.0)}  # r_poislides' cell margins, pt
TOP = 62.0  # the table's top on the slide (r_poislides.Builder.table), in points


@cache
def installed_version() -> str:
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "calligrastage"], capture_output=True, text=True
    ).stdout.strip()
    if not out:
        raise RuntimeError("Calligra Stage is not installed: apt-get install -y calligrastage")
    ver = re.match(r"(?:\d+:)?([\d.]+)", out)
    if not ver or ver.group(1) != CALLIGRA:
        raise RuntimeError(f"Calligra Stage {CALLIGRA} is wanted, calligrastage is {out}")
    return out


def tool_version(engine: str | None = None) -> str:
    return f"Calligra Stage {CALLIGRA} ({installed_version()}, --export-pdf, pptx import filter); qpdf page cut"


def producer_options(rng: random.Random, style: dict) -> dict:
    o = r_poislides.producer_options(rng, style)
    # POI's own options (rendering zoom, metrics, font drawer, compression, info) mean nothing here; the face is named
    # directly (Windows names would go through fontconfig to Noto CJK, whose text layer Qt garbles)
    for k in (
        "cff_refused",
        "latin_face",
        "win_ea",
        "win_latin",
        "zoom",
        "fractional",
        "drawer_scope",
        "compress",
        "info",
    ):
        o.pop(k, None)
    o["typefaces"] = "direct"
    o["table_style"] = rng.choice(["fixed", "fixed", "fixed", "style"])
    o["org_subtitle"] = rng.random() < 0.3
    return o


class StageBuilder(Builder):
    """r_poislides' deck with explicit text colours, the table frame reaching the slide's foot, optional subtitle."""

    def fill_text(self, tf, text: str, size: float, bold=False, align="left", color=None) -> None:
        super().fill_text(tf, text, size, bold, align, RGBColor(0, 0, 0) if color is None else color)

    def title(self, s, text: str) -> None:
        super().title(s, text)
        if self.o.get("org_subtitle"):
            self.box(s, 24, 44, self.W * 0.6, 16, self.d.org, 10, color=NAVY)

    def table(self, slide, rows, prev, cols) -> None:
        super().table(slide, rows, prev, cols)
        gf = slide.shapes[-1]
        top = TOP + (10 if self.o.get("org_subtitle") else 0)
        gf.top = Emu(int(top * EMU_PT))
        foot = self.H - (30 if (self.o["footer"] or self.o["footer_org"]) else 8)
        gf.height = Emu(int((foot - top) * EMU_PT))
        self.table_foot = foot
        if self.o["table_style"] == "fixed":
            self.specs = getattr(self, "specs", [])
            self.specs.append(self.rules(rows, len(cols)))

    def rules(self, rows, n: int) -> list[list[dict]]:
        """The borders each cell gets in Stage (r_poislides' format_cells, read back as cell sides)."""
        st, o = self.st, self.o
        rules = st["rules"]
        nh = 2 if st["year_header"] == "two_row" else 1
        line = LINE[o["line"]] if not (o["line"] == "white" and not o["head_fill"]) else "000000"
        if rules in ("hrules", "zebra") and line == "FFFFFF":
            line = "7F7F7F"
        w = o["line_w"]
        nrows = nh + len(rows)
        out = []
        for ri in range(nrows):
            head = ri < nh
            edges: dict[str, tuple[str, float]] = {}
            if rules == "grid":
                edges = dict.fromkeys("LRTB", (line, w))
            elif rules in ("hrules", "zebra"):
                edges = {"T": (line, w), "B": (line, w)}
                if o["outer"] and ri == 0:
                    edges["T"] = ("000000", 1.5 * w)
                if o["outer"] and ri == nrows - 1:
                    edges["B"] = ("000000", 1.5 * w)
                if o["outer"] and ri == nh - 1:
                    edges["B"] = ("000000", w)
            elif head and ri == nh - 1:
                edges = {"B": ("000000", w)}
            out.append([edges] * n)
        return out


def fix_borders(odp: Path, specs: list[list[list[dict]]], margins: str) -> None:
    """Set the rules of every table cell in the imported .odp (the import kept only the table's outer edges): each
    cell gets an automatic style, a copy of the imported one with its four borders (and the deck's cell margins,
    which the import dropped) set.  The import writes inner cells' rules as the `fo:border` shorthand, which Stage
    prefers to the four sides, so it is removed."""
    m = MARGINS[margins]
    with zipfile.ZipFile(odp) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    out = []
    for info, data in items:
        if info.filename == "content.xml":
            root = etree.fromstring(data)
            tables = list(root.iter(_t("table")))
            if len(tables) != len(specs):
                raise RuntimeError(f"{len(tables)} tables imported, {len(specs)} written")
            styles = _CellStyles(root.find(f"{{{OFFICE_NS}}}automatic-styles"), (m[0], m[0], m[1], m[1]))
            for tbl, spec in zip(tables, specs):
                for ri, tr in enumerate(tbl.iter(_t("table-row"))):
                    cells = [c for c in tr if c.tag in (_t("table-cell"), _t("covered-table-cell"))]
                    for ci, cell in enumerate(cells):
                        if cell.tag == _t("covered-table-cell"):
                            continue
                        span = int(cell.get(_t("number-rows-spanned"), "1"))
                        edges = {k: v for k, v in spec[ri][ci].items() if k != "B"}
                        last = spec[min(ri + span, len(spec)) - 1][ci]  # a merged cell's foot is its last row's
                        if "B" in last:
                            edges["B"] = last["B"]
                        cell.set(_t("style-name"), styles.get(cell.get(_t("style-name")), edges))
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        out.append((info, data))
    with zipfile.ZipFile(odp, "w") as z:
        for info, data in out:
            z.writestr(info, data, zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED)


def _t(name: str) -> str:
    return f"{{{TABLE_NS}}}{name}"


class _CellStyles:
    """Automatic table-cell styles: the imported style `base` with given borders, made once per combination."""

    SIDES = (("L", "left"), ("R", "right"), ("T", "top"), ("B", "bottom"))

    def __init__(self, auto, pad: tuple[float, float, float, float]) -> None:
        self.auto, self.pad = auto, pad
        self.styles = {s.get(f"{{{STYLE_NS}}}name"): s for s in auto.findall(f"{{{STYLE_NS}}}style")}
        self.made: dict[tuple, str] = {}

    def get(self, base: str | None, edges: dict) -> str:
        key = (base, tuple(sorted(edges.items())))
        if key in self.made:
            return self.made[key]
        name = self.made[key] = f"cs{len(self.made) + 1}"
        src = self.styles.get(base)
        if src is not None:
            st = etree.fromstring(etree.tostring(src))
        else:
            st = etree.Element(f"{{{STYLE_NS}}}style", {f"{{{STYLE_NS}}}family": "table-cell"})
        st.set(f"{{{STYLE_NS}}}name", name)
        props = st.find(f"{{{STYLE_NS}}}table-cell-properties")
        if props is None:
            props = etree.Element(f"{{{STYLE_NS}}}table-cell-properties")
            st.insert(0, props)
        props.attrib.pop(f"{{{FO_NS}}}border", None)
        for (side, word), pad in zip(self.SIDES, self.pad):
            props.set(f"{{{FO_NS}}}padding-{word}", f"{pad:g}pt")
            if side in edges:
                color, w = edges[side]
                props.set(f"{{{FO_NS}}}border-{word}", f"{w:g}pt solid #{color.lower()}")
                props.set(f"{{{CAL_NS}}}specialborder-{word}", "solid")
            else:
                props.set(f"{{{FO_NS}}}border-{word}", "0pt none #000000")
                props.set(f"{{{CAL_NS}}}specialborder-{word}", "none")
        self.auto.append(st)
        return name


def _export(deck: Deck, opts: dict, out_pdf: Path) -> StageBuilder:
    with tempfile.TemporaryDirectory(prefix="r_calligrastage-") as tmp:
        pptx = Path(tmp) / f"{deck.stem}.pptx"
        b = StageBuilder(deck, opts)
        b.build(pptx)
        n = len(b.prs.slides)
        prs = Presentation(str(pptx))
        for _ in range(PADDING):
            prs.slides.add_slide(prs.slide_layouts[6])
        prs.save(str(pptx))
        odp = pptx.with_suffix(".odp")
        cmd = ["calligraconverter", "--batch", str(pptx), str(odp)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=300, env=_env(tmp))
        if opts["table_style"] == "fixed":
            fix_borders(odp, b.specs, opts["margins"])
        if os.environ.get("REALTOOLS_KEEP_ODP"):  # for looking at the .odp Stage printed
            Path(os.environ["REALTOOLS_KEEP_ODP"]).write_bytes(odp.read_bytes())
        full = Path(tmp) / "full.pdf"
        _calligra("calligrastage", odp, full, tmp)
        subprocess.run(["qpdf", str(full), "--pages", str(full), f"1-{n}", "--", str(out_pdf)], check=True)
    return b


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows and font_pt.  Rows clipped by the table frame (characters
    missing) make the slides hold fewer rows (then smaller type).  Returns the options used."""
    import pymupdf

    installed_version()
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    opts.setdefault("max_rows", st["max_rows"])
    opts.setdefault("font_pt", st["font_pt"])
    if opts["font"] not in TRUETYPE:
        opts["font"] = random.Random(deck.stem).choice(TRUETYPE)
    out_pdf = Path(out_pdf)
    while True:
        b = _export(deck, opts, out_pdf)
        doc = pymupdf.open(str(out_pdf))
        texts = ["".join(p.get_text().split()) for p in doc]
        if len(texts) != len(b.prs.slides) or "敬請指教" not in texts[-1]:
            raise RuntimeError("Stage left text boxes out (lazy layout): the closing slide is blank")
        blank = [i for i in b.table_slides if "策略主題" not in texts[i - 1]]
        if blank:
            raise RuntimeError(f"Stage left the titles of slides {blank} out (lazy layout)")
        try:
            find_pages(out_pdf, deck)
            problems = check(out_pdf, deck)
        except ValueError as e:
            problems = [str(e)]
        if problems and opts["max_rows"] > 1:
            opts["max_rows"] -= 1
            continue
        if problems and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        break
    opts["problems"] = problems
    opts["page_size_pt"] = [round(doc[0].rect.width), round(doc[0].rect.height)]
    return opts
