"""rinohtype renderer: the deck typeset by rinohtype 0.5.5 (pure-Python document processor with its own layout
engine and PDF backend; the PDF builder Sphinx users pick instead of LaTeX, `sphinx-build -b rinoh`), driven
from Python through its document tree API, as an author scripting the scorecard would: a DocumentTemplate
(rinoh's Article with its table-of-contents part replaced by a plain contents part) configured by a
TemplateConfiguration (page size as a custom `Paper` or A4 landscape/portrait, margins, header and footer
text with `Field(PAGE_NUMBER)` / `Field(NUMBER_OF_PAGES)` / `Field(SECTION_TITLE(1))`, a background image
as watermark), a style sheet written as an `.rts` file extending rinoh's `sphinx_article` (font sizes,
line spacing, cell borders through the matcher's `table cell ... border` styles, head fills, zebra by the
matcher's 'table body cell background on even row', band-row fills by an inline selector), and the content
as Sections with Headings, Paragraphs and `Table(TableBody, head=TableHead)` of `TableRow`/`TableCell
(rowspan=, colspan=)`.

Slides: each theme's rows are cut by the deck's row budget, each piece a Section (heading + table) followed
by a PageBreak; the budget is lowered until no piece spills onto a second page (rinoh would continue the
table on the next page).  Flow: a Section per theme whose table rinoh paginates itself: rows are never
split, a rowspan group is moved whole to the next page, the head is repeated when the style sheet says
`repeat_head=true` (otherwise the continued table starts without a head), `split_minimum_rows` keeps a few
rows together; themes start a new page (PageBreak) or follow one another; the header may carry the running
section title (`SECTION_TITLE(1)`, the theme of the page's first heading).

rinohtype 0.5.5 and CJK, and what this module does about it:
- Fonts: `OpenTypeFont(file)` parses the face itself.  It refuses cmap subtables other than formats 4, 6,
  12 and 13 (WenQuanYi's format 2 tables, Noto CJK's format 14 variation sequences raise
  NotImplementedError), so the author saves a copy of the face without them (fontTools).  Its CFF parser
  does not know the CID-keyed top DICT operators (ROS, `KeyError: (12, 30)`): Noto CJK cannot be read at
  all, so Noto decks use a subset of the face (the deck's characters, cut by fontTools) converted to
  TrueType outlines (cu2qu), as an author would after the error.  AR PL UMing and WenQuanYi are embedded
  whole (rinoh never subsets: the complete font file goes into FontFile2, 10 to 17 MB per deck) or as a
  subset the author cut beforehand (`embed: subset`).  The font is a Type0 Identity-H CIDFontType2 whose
  codes are glyph ids, a /W array of every glyph's advance, no subset tag, and a ToUnicode map of every
  glyph in the cmap (tens of thousands of bfchar entries for a whole face), one code point per glyph:
  where code points share a glyph the last one in cmap order (the highest) wins.  No bold face is
  registered, so rinoh prints the head and title 'bold' in the regular face (it warns and falls back).
- Line breaking: rinoh breaks lines only at spaces, tabs, '/' and U+200B ZERO WIDTH SPACE; a word wider
  than the line is set on a line of its own and runs past the cell's right edge (into the next cell).  Its
  hyphenation (Pyphen's en_US dictionary) would insert '-' into codes, so it is switched off.  CJK text
  therefore gets a U+200B after every CJK character (`wrap: cjk`, codes and numbers stay whole) or between
  any two characters (`wrap: every`, the plain `'\\u200b'.join(text)`: codes such as 'A1.1' may break
  anywhere at a cell edge).  rinoh draws no glyph for U+200B, so the text layer has none.  '\\n' in a
  cell is a forced line break.  After rendering, a text run overlapping another one (a word run past its
  cell) makes the author switch to `wrap: every` and render again.
- A row or rowspan group taller than the body of a page makes rinoh move it to the next page forever (the
  render never ends); a render is given up after RENDER_SECONDS and the font made smaller, then the spans
  dropped.  rinoh's own column sizing (relative widths: every cell flowed at width 0 and unbounded) takes
  minutes for a CJK table whose words are single characters, so columns get fixed widths in points.
- rinoh has no rotated text: a rotated 構面 label is stacked one character per line, like a stacked one.
- rinoh nests a `q 1 0 0 1 x y cm` per container (dozens of levels, mostly identity moves) and writes one
  BT/Tf/rg/Td/TJ/ET per line (two-byte glyph ids), cell backgrounds and borders as paths
  (each cell its own four `m l S` sides, so neighbours' shared sides are stroked twice), tables placed row by
  row; a rowspan cell's height is spread over its rows.  The zebra selector skips spanning cells (rowspan
  > 1), so a spanning label stays white; band rows count as rows in the zebra order.
- rinoh renders twice (or more) until page references converge; 'n / N' footers come from that.
- The watermark is a background image (a PNG drawn with Pillow, grey '內部資料' turned 30 degrees) the page
  template's `background` option places under each table page's content; it is not text.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import random
import re
import signal
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path

from .draw_common import SIZES
from .fonts import TRUETYPE, cache_dir, face_file, printable
from .layout import Col, Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

RINOHTYPE = "0.5.5"
NAVY = "#1F3A68"
HEAD = "#DCE6F2"
BAND = "#E2EFDA"
ZEBRA = "#EEF2F7"
PAGES = {**SIZES, "A4P": (595.0, 842.0)}
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f、，。：；（）「」]")


def tool_version(engine: str | None = None) -> str:
    v = metadata.version("rinohtype")
    if v != RINOHTYPE:
        raise RuntimeError(f"rinohtype {v} installed, this module is written for {RINOHTYPE}")
    return f"rinohtype {v}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.45
    font = style["font"]
    return {
        "flow": flow,
        "theme_break": not flow or rng.random() < 0.6,
        "page": rng.choice(["A4L", "A4L", "A4P", style["page"]]) if flow else style["page"],
        "font": font,
        "embed": "subset" if font not in TRUETYPE else rng.choice(["whole", "whole", "subset"]),
        "font_pt": style["font_pt"],
        "wrap": rng.choice(["cjk", "cjk", "cjk", "every"]),
        "spans": rng.random() < 0.7,
        "borders": {
            "grid": "grid",
            "hrules": "hrules",
            "none": rng.choice(["none", "head_rule"]),
            "zebra": rng.choice(["hrules", "none", "grid"]),
        }[style["rules"]],
        "zebra": style["rules"] == "zebra" or rng.random() < 0.08,
        "head_fill": rng.random() < 0.75,
        "stroke_pt": rng.choice([0.5, 0.5, 0.75, 1.0]),
        "border_color": rng.choice(["#000000", "#000000", "#808080"]),
        "repeat_head": rng.random() < 0.7,
        "split_minimum_rows": rng.choice([0, 0, 2]),
        "header": rng.choice([None, None, "org", "running"]),
        "footer": rng.choice([None, "n_of_N", "dash", "rinoh"]),
        "margin": rng.choice([24, 30, 36]),
        "padding": rng.choice([2, 3, 4]),
        "leading": rng.choice([1.2, 1.25, 1.4]),
        "values_align": rng.choice(["center", "right", "left"]),
        "col_widths": "absolute",
    }


# --- fonts ---------------------------------------------------------------------------------------------------


def _strip_cmap(font) -> None:
    """Drop the cmap subtables rinohtype cannot parse (formats 2 and 14)."""
    font["cmap"].tables = [t for t in font["cmap"].tables if t.format in (4, 6, 12, 13)]


def _otf_to_ttf(font) -> None:
    """fontTools' otf2ttf recipe: CFF outlines to quadratic glyf outlines."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    gs = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(gs)
        gs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    hmtx = font["hmtx"]
    for name in order:
        g = glyf[name]
        g.recalcBounds(glyf)
        hmtx[name] = (hmtx[name][0], g.xMin if g.numberOfContours else 0)
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for k in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, k, 1 if k == "maxZones" else 0)
    maxp.numGlyphs = len(order)
    font["maxp"] = maxp
    maxp.recalc(font)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"


def face_for_rinoh(family: str, embed: str, chars: set[str]) -> str:
    """A font file rinohtype can read: the whole face without unsupported cmap tables, or a subset of the
    deck's characters (TrueType outlines for Noto CJK, whose CID-keyed CFF rinohtype cannot parse)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    slug = family.replace(" ", "")
    if embed == "whole":
        out = cache_dir() / f"rinoh-{slug}.ttf"
        if not out.exists():
            f = TTFont(face_file(family))
            _strip_cmap(f)
            f.save(str(out))
        return str(out)
    text = "".join(sorted(set(chars) | {chr(c) for c in range(32, 127)}))
    digest = hashlib.sha1((family + text).encode()).hexdigest()[:12]
    out = cache_dir() / f"rinoh-{slug}-{digest}.ttf"
    if not out.exists():
        opts = subset.Options()
        opts.layout_features = []
        opts.name_IDs = ["*"]
        opts.notdef_outline = True
        opts.desubroutinize = True
        f = subset.load_font(face_file(family), opts)
        sub = subset.Subsetter(opts)
        sub.populate(text=text)
        sub.subset(f)
        _strip_cmap(f)
        if "CFF " in f:
            _otf_to_ttf(f)
        f.save(str(out))
    return str(out)


@cache
def _typeface(path: str, family: str):
    from rinoh.font import Typeface
    from rinoh.font.opentype import OpenTypeFont

    return Typeface(family, OpenTypeFont(path, weight="regular"))


@cache
def _watermark_png(w: int, h: int, family: str) -> str:
    """A page-sized PNG with a light grey turned '內部資料' (the author's watermark image)."""
    from PIL import Image, ImageDraw, ImageFont

    out = cache_dir() / f"rinoh-wm-{w}x{h}-{family.replace(' ', '')}.png"
    if not out.exists():
        scale = 2
        img = Image.new("RGBA", (w * scale, h * scale), (255, 255, 255, 0))
        txt = Image.new("RGBA", (w * scale, h * scale), (255, 255, 255, 0))
        font = ImageFont.truetype(face_file(family), 90 * scale)
        d = ImageDraw.Draw(txt)
        d.text((w * scale / 2, h * scale / 2), "內部資料", font=font, fill=(200, 200, 200, 255), anchor="mm")
        img = Image.alpha_composite(img, txt.rotate(30, center=(w * scale / 2, h * scale / 2)))
        bg = Image.new("RGB", img.size, (255, 255, 255))
        bg.paste(img, mask=img.split()[3])
        bg.save(str(out))
    return str(out)


# --- the document --------------------------------------------------------------------------------------------


class RinohDeck:
    """One printing of the deck: rinoh flowables, the .rts style sheet and the template configuration."""

    def __init__(self, deck: Deck, opts: dict) -> None:
        self.d, self.o, self.st = deck, opts, deck.style
        self.W, self.H = PAGES[opts["page"]]
        self.pt = float(opts["font_pt"])
        self.chars: set[str] = set()
        self.expected = 0

    def ink(self, s: str) -> str:
        s = printable(s, self.o["font"])
        self.chars.update(s)
        return s

    def brk(self, s: str) -> str:
        """Break opportunities for rinoh's line breaker: U+200B after CJK characters, or between any two."""
        zw = "\u200b"
        out = []
        for line in s.split("\n"):
            if self.o["wrap"] == "every":
                out.append(zw.join(line))
            else:
                out.append("".join(c + zw if CJK.match(c) else c for c in line).rstrip(zw))
        return "\n".join(out)

    def para(self, s: str, style: str | None = None, **attrs):
        from rinoh.paragraph import Paragraph, ParagraphStyle

        text = self.brk(self.ink(s))
        return Paragraph(text, style=ParagraphStyle(**attrs) if attrs else style)

    # --- front and back pages -----------------------------------------------------------------------------

    def front(self) -> list:
        from rinoh.flowable import PageBreak
        from rinoh.table import Table, TableBody, TableCell, TableRow

        d = self.d
        fl = [
            self.para(d.org, "cover title"),
            self.para("策略地圖與平衡計分卡", "cover subtitle"),
            PageBreak(),
            self.para(f"{d.org}轄區概況", "page title"),
        ]
        fl += [self.para(line, "profile") for line in d.profile_lines]
        fl += [PageBreak(), self.para(f"{d.org}策略地圖", "page title"), self.para(d.map_date, "map date")]
        fl.append(self.para("願景：" + "、".join(t.shown for t in d.themes), "map vision"))
        persps = [p for p in BSC_ORDER if any(o.perspective == p for t in d.themes for o in t.objectives)]
        rows = []
        for p in persps:
            objs = [o.shown for t in d.themes for o in t.objectives if o.perspective == p]
            rows.append(
                TableRow(
                    [
                        TableCell([self.para(f"{p}構面", "map label")], style="map label"),
                        TableCell([self.para("　｜　".join(objs), "map objs")]),
                    ]
                )
            )
        from rinoh.dimension import PT

        avail = self.W - 2 * self.o["margin"]
        widths = [round(avail / 6, 1) * PT, round(avail * 5 / 6, 1) * PT]
        fl += [Table(TableBody(rows), column_widths=widths, style="map"), PageBreak()]
        self.expected = 3
        return fl

    def end(self) -> list:
        return [self.para("敬請指教", "closing")]

    # --- tables -------------------------------------------------------------------------------------------

    def table(self, rows: list[Row], prev: list[Row], cols: list[Col]):
        from rinoh.table import Table, TableBody, TableCell, TableHead, TableRow

        st, o = self.st, self.o
        two = st["year_header"] == "two_row"
        nh = 2 if two else 1
        head_rows: list[list] = [[] for _ in range(nh)]
        i = 0
        while i < len(cols):
            c = cols[i]
            if two and c.group:
                n = 1
                while i + n < len(cols) and cols[i + n].group == c.group:
                    n += 1
                head_rows[0].append(TableCell([self.para(c.group, "head")], colspan=n))
                for j in range(i, i + n):
                    head_rows[1].append(TableCell([self.para(cols[j].sub or "", "head")]))
                i += n
                continue
            head_rows[0].append(TableCell([self.para(c.label, "head")], rowspan=nh))
            i += 1
        head = TableHead([TableRow(r) for r in head_rows])
        ids = [c.id for c in cols]
        starts = {key: dict(runs(rows, key)) for key in ("persp", "obj") if key in ids}
        stack = st["persp_mode"] in ("rotated", "stacked")
        body = []
        for i, r in enumerate(rows):
            if r.kind == "band":
                body.append(
                    TableRow([TableCell([self.para(r.cells["band"], "band")], colspan=len(cols), style="band")])
                )
                continue
            cells = []
            for c in cols:
                if c.id in starts:
                    if i in starts[c.id]:
                        blank = i == 0 and st["blank_cont"] and continues(prev, r, c.id)
                        text = "" if blank else r.cells[c.id]
                        if stack and c.id == "persp":
                            text = "\n".join(text)
                        span = starts[c.id][i] if o["spans"] else 1
                        sty = "label" if c.id == "persp" else "cell"
                        cells.append(TableCell([self.para(text, sty)], rowspan=span))
                    elif not o["spans"]:
                        cells.append(TableCell([self.para("", "cell")]))
                    continue
                sty = "value" if c.id in ("a0", "a1", "a2", "t", "w") else "cell"
                cells.append(TableCell([self.para(r.cells.get(c.id, ""), sty)]))
            body.append(TableRow(cells))
        from rinoh.dimension import PT

        avail = self.W - 2 * o["margin"]
        total = sum(c.weight for c in cols)
        widths = (
            [c.weight for c in cols]
            if o["col_widths"] == "relative"
            else [round(avail * c.weight / total, 1) * PT for c in cols]
        )
        return Table(TableBody(body), head=head, column_widths=widths, style="scorecard")

    def themes(self, max_rows: int) -> list:
        from rinoh.flowable import PageBreak
        from rinoh.structure import Heading, Section

        d, o = self.d, self.o
        cols = columns(d)
        fl: list = []
        for ti, t in enumerate(d.themes):
            rows = theme_rows(d, t)
            pieces = [rows] if o["flow"] else chunk(rows, max_rows)
            for i, part in enumerate(pieces):
                title = theme_title(d, t, i + 1, len(pieces))
                if o["flow"] and ti and o["theme_break"] and i == 0:
                    fl.append(PageBreak())
                heading = Heading(self.brk(self.ink(title)))
                fl.append(Section([heading, self.table(part, pieces[i - 1] if i else [], cols)]))
                if not o["flow"]:
                    fl.append(PageBreak())
                    self.expected += 1
        if o["flow"]:
            fl.append(PageBreak())
        return fl

    # --- style sheet and template -------------------------------------------------------------------------

    def rts(self) -> str:
        o, st = self.o, self.st
        pt, lead = self.pt, self.o["leading"]
        pad = o["padding"]
        stroke = f"{o['stroke_pt']}pt,{o['border_color']}"
        b = o["borders"]
        side = stroke if b == "grid" else "None"
        topbot = stroke if b in ("grid", "hrules") else "None"
        halign = {"left": "LEFT", "center": "CENTER"}[st["halign"]]
        valign = {"top": "TOP", "middle": "MIDDLE"}[st["valign"]]
        vals = o["values_align"].upper()
        lines = f"""[STYLESHEET]
name=Scorecard
base=sphinx_article
description=BSC slides

[VARIABLES]
navy={NAVY}

[default:Paragraph]
font_size={pt}pt
line_spacing=proportional({lead})
text_align=LEFT
hyphenate=False
kerning=False
ligatures=False

[body]
space_above=0pt

[heading level 1]
font_size=16pt
font_weight=REGULAR
font_color=$(navy)
number_format=None
space_above=0pt
space_below=8pt
keep_with_next=True
text_align=LEFT
line_spacing=proportional(1.2)

[cover title:Paragraph('cover title')]
base=default
font_size=30pt
text_align=CENTER
space_above={round(self.H * 0.28)}pt
space_below=18pt

[cover subtitle:Paragraph('cover subtitle')]
base=default
font_size=26pt
text_align=CENTER

[page title:Paragraph('page title')]
base=default
font_size=20pt
font_color=$(navy)
space_below=12pt

[profile:Paragraph('profile')]
base=default
font_size=14pt
margin_left=30pt
space_below=4pt

[map date:Paragraph('map date')]
base=default
font_size=14pt
text_align=RIGHT

[map vision:Paragraph('map vision')]
base=default
font_size=11pt
space_below=8pt

[map label:Paragraph('map label')]
base=default
font_size=12pt
font_color=#FFFFFF
text_align=CENTER

[map objs:Paragraph('map objs')]
base=default
font_size=12pt

[map cell background:TableCell('map label') / TableCellBackground]
fill_color=$(navy)

[closing:Paragraph('closing')]
base=default
font_size=36pt
text_align=CENTER
space_above={round(self.H * 0.35)}pt

[table]
space_above=0pt
space_below=6pt
horizontal_align=LEFT

[scorecard table:Table('scorecard')]
base=table
repeat_head={o["repeat_head"]}
split_minimum_rows={o["split_minimum_rows"]}

[table cell]
space_above=0pt
space_below=0pt
margin_left=0pt
margin_right=0pt
vertical_align={valign}

[table body cell paragraph]
base=default
margin_left={pad}pt
margin_right={pad}pt
space_above={pad}pt
space_below={pad}pt
text_align={halign}

[table first column paragraph]
base=table body cell paragraph

[table head cell paragraph]
base=table body cell paragraph
text_align=CENTER

[value:Paragraph('value')]
base=table body cell paragraph
text_align={vals}

[label:Paragraph('label')]
base=table body cell paragraph
text_align=CENTER

[band:Paragraph('band')]
base=table body cell paragraph
text_align=LEFT

[band cell background:TableCell('band') / TableCellBackground]
fill_color={BAND}

[table cell border:TableCellBorder]
stroke={topbot}

[table cell left border]
stroke={side}

[table cell right border]
stroke={side}

[table cell top border]
stroke={topbot}

[table cell bottom border]
stroke={topbot}

[table top border]
stroke={topbot if b != "head_rule" else stroke}

[table bottom border]
stroke={topbot if b != "head_rule" else stroke}

[table head bottom border]
stroke={topbot if b != "head_rule" else stroke}

[table body top border]
stroke={topbot if b != "head_rule" else stroke}

[table left border]
stroke={side}

[table right border]
stroke={side}

[table head left border]
stroke={side}

[table head right border]
stroke={side}

[table head cell left border]
stroke={side}

[table head cell right border]
stroke={side}

[table body left border]
stroke={side}
"""
        if o["head_fill"]:
            lines += f"\n[table head cell background]\nfill_color={HEAD}\n"
        if o["zebra"]:
            lines += f"\n[table body cell background on even row]\nfill_color={ZEBRA}\n"
        lines += """
[header_footer:Paragraph]
base=default
font_size=8pt
font_weight=REGULAR
font_color=#646464

[header]
base=header_footer
border_bottom=None
space_below=0pt

[footer]
base=header_footer
border_top=None
space_above=0pt
"""
        return lines

    def configuration(self, ss, tmp: Path):
        from rinoh.dimension import PT
        from rinoh.paper import Paper
        from rinoh.reference import NUMBER_OF_PAGES, PAGE_NUMBER, SECTION_TITLE, Field
        from rinoh.template import TemplateConfiguration
        from rinoh.text import Tab

        o, d = self.o, self.d
        conf = TemplateConfiguration("scorecard", template=ScorecardTemplate, stylesheet=ss)
        m = o["margin"]
        footer = {
            None: None,
            "n_of_N": Tab() + Tab() + Field(PAGE_NUMBER) + " / " + Field(NUMBER_OF_PAGES),
            "dash": Tab() + "- " + Field(PAGE_NUMBER) + " -",
            "rinoh": Tab() + Field(PAGE_NUMBER) + "/" + Field(NUMBER_OF_PAGES),
        }[o["footer"]]
        if footer is not None and o["footer"] != "rinoh":
            footer = self.ink(f"{d.org}｜策略地圖與平衡計分卡") + footer
        header = {
            None: None,
            "org": Tab() + Tab() + self.ink(d.short if d.style["logo"] else d.org),
            "running": Field(SECTION_TITLE(1)) + Tab() + Tab() + self.ink(d.short),
        }[o["header"]]
        kw = dict(
            page_size=Paper("scorecard", self.W * PT, self.H * PT),
            left_margin=m * PT,
            right_margin=m * PT,
            top_margin=(m + (14 if header else 0)) * PT,
            bottom_margin=(m + (14 if footer else 0)) * PT,
            header_footer_distance=6 * PT,
            header_text=header,
            footer_text=footer,
        )
        if self.st["watermark"]:
            from rinoh.image import BackgroundImage

            kw["background"] = BackgroundImage(_watermark_png(int(self.W), int(self.H), o["font"]), scale=0.5)
        conf("contents_page", **kw)
        return conf


def _template():
    from rinoh.attribute import OverrideDefault
    from rinoh.template import ContentsPartTemplate
    from rinoh.templates import Article

    class ScorecardTemplate(Article):
        """rinoh's Article without its table of contents."""

        parts = OverrideDefault(["contents"])
        contents = ContentsPartTemplate(page_number_format="number")

    return ScorecardTemplate


ScorecardTemplate = None


def _render_once(deck: Deck, opts: dict, out_pdf: Path) -> tuple[int, int]:
    """Typeset the deck; returns (pages, expected slide pages or 0 in flow mode)."""
    global ScorecardTemplate
    import pymupdf
    from rinoh.document import DocumentTree
    from rinoh.style import StyleSheetFile

    if ScorecardTemplate is None:
        ScorecardTemplate = _template()
    rd = RinohDeck(deck, opts)
    flow = rd.front() + rd.themes(int(opts["max_rows"])) + rd.end()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_p = Path(tmp)
        rts = tmp_p / "scorecard.rts"
        rts.write_text(rd.rts(), encoding="utf-8")
        ss = StyleSheetFile(str(rts))
        conf = rd.configuration(ss, tmp_p)
        path = face_for_rinoh(opts["font"], opts["embed"], rd.chars | set("0123456789/- ｜"))
        tf = _typeface(path, opts["font"])
        for v in ("serif_typeface", "sans_typeface", "mono_typeface"):
            ss.variables[v] = tf
        doc = conf.document(DocumentTree(flow))
        doc.render(str(tmp_p / "deck"))
        out_pdf.write_bytes((tmp_p / "deck.pdf").read_bytes())
    n = len(pymupdf.open(str(out_pdf)))
    return n, (rd.expected + 1 if not opts["flow"] else 0)


def overruns(pdf: Path) -> bool:
    """Does a line of text run into another one (rinoh sets a word wider than its cell past the cell edge)?"""
    import pymupdf

    for page in pymupdf.open(str(pdf)):
        lines = [
            sp["bbox"]
            for b in page.get_text("dict")["blocks"]
            if b.get("type") == 0
            for ln in b["lines"]
            for sp in ln["spans"]
            if sp["text"].strip()
        ]
        for i, a in enumerate(lines):
            for b in lines[i + 1 :]:
                dy = min(a[3], b[3]) - max(a[1], b[1])
                dx = min(a[2], b[2]) - max(a[0], b[0])
                if dy > 0.5 * min(a[3] - a[1], b[3] - b[1]) and dx > 1:
                    return True
    return False


RENDER_SECONDS = int(os.environ.get("REALTOOLS_RINOH_SECONDS", "120"))


class _Stuck(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: int):
    """rinoh loops forever on a row taller than the page; a render that long is given up."""

    def stop(*_):
        raise _Stuck

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (KPI rows per slide, lowered until every slide's table
    fits its page).  Returns the options used."""
    tool_version()

    logging.getLogger().setLevel(logging.ERROR)
    out_pdf = Path(out_pdf)
    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    if opts["page"] not in PAGES:
        opts["page"] = "A4L"
    while True:
        quiet = io.StringIO()
        try:
            with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet), _time_limit(RENDER_SECONDS):
                n, expected = _render_once(deck, opts, out_pdf)
        except _Stuck:
            # rinoh moves a row (or rowspan group) that does not fit to the next page, forever if it is taller
            # than a page: the author makes it smaller
            n, expected = -1, 0
            opts["stuck"] = opts.get("stuck", 0) + 1
        if os.environ.get("REALTOOLS_DEBUG"):
            print(f"rinoh: max_rows {opts['max_rows']} pt {opts['font_pt']}: {n} pages, {expected} expected")
        if n >= 0 and overruns(out_pdf) and opts["wrap"] != "every":
            opts["wrap"] = "every"  # a word wider than its cell runs into the next one: break anywhere
            continue
        if n >= 0 and (opts["flow"] or n == expected):
            break
        if not opts["flow"] and opts["max_rows"] > 1:
            opts["max_rows"] -= 1
        elif opts["font_pt"] > 7:
            opts["font_pt"] -= 1
        elif opts["spans"]:
            opts["spans"] = False
        else:
            raise RuntimeError(f"{deck.stem}: a table row taller than the page")
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
