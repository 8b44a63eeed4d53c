"""Asciidoctor PDF renderer: the deck written as an AsciiDoc document (`.adoc`) with a YAML theme and converted by
the `asciidoctor-pdf` CLI (Asciidoctor PDF 2.3.4 on Asciidoctor 2.0.18, Prawn 2.4, prawn-table 0.2.2, TTFunk 1.7;
Debian 12's ruby-asciidoctor-pdf), the way documentation teams and IT units print reports written in AsciiDoc.
Nothing is drawn by hand: the document is text (sections, paragraphs, `|===` tables, `<<<` page breaks) and the
theme says how it looks; Asciidoctor PDF lays out, wraps and paginates by itself.

Pages: the theme's `page: size` (A4 landscape or portrait, or custom slide sizes in points) and margins.  Slides:
each theme's rows cut into parts of `max_rows` KPI rows, each part a section title and a table after a `<<<`
page break, the budget lowered until no part runs over its page.  Flow: one table per theme that prawn-table
(through Asciidoctor PDF's converter) breaks over pages, themes starting a page or following on; a cover, a
profile page, a strategy-map table and a closing page around them.  The cover is Asciidoctor PDF's title page
(`:title-page:`, title and subtitle split at ': ', no running content on it, page numbers from the page after it
or from the cover) or centred paragraphs in theme roles on the first page (footers on it too).  Running content
from the theme: footers with `{page-number}`/`{page-count}` ('n / N', '- n -', '第 n 頁，共 n 頁') beside the
org, a header with `{section-title}` (the current theme's title on every page of its table), or none.

Tables (the converter maps AsciiDoc onto prawn-table): `cols` from the deck's weights as integer proportions with
per-column alignment (`^.^`), `options="header"` (a single head row, repeated on every page by prawn-table:
Asciidoctor PDF has no switch to stop it) or the head as body rows of `h` cells (not repeated: for decks whose
author did not mark a header, and for the two-row year head, since the converter ignores rowspan in head rows:
with `options="header"` the second head row is a body row of `h` cells); `frame`/`grid`/`stripes` attributes
(all/all for a full grid, topbot/rows for horizontal rules, none/none leaving only the rule under the head,
zebra by `stripes=even|odd` whose colours start again at every page (prawn-table's row_colors)); theme keys for
border and grid widths and colours, head fill and font style, cell padding; row spans `.N+` for 構面 and 策略目標
(or the label repeated in every row); band rows as a colspan cell `N+s|` whose fill is set by the
`{set:cellbgcolor:#...}` attribute (unset again at the next row's first cell, on a line of its own:
Asciidoctor drops the line that holds it, text and all).  Turned labels do not exist: 'rotated' 構面 labels
are stacked one character per line (` +` hard breaks) like 'stacked' ones.  prawn-table
never splits a row: a row that does not fit goes whole to the next page, and a rowspan group moves whole (its
cells measured with all their rows); a group taller than a page is drawn over the page foot (its label on one
page, its rows flowing onto the next over the repeated head, text outside the page), so the author cuts the span
where it breaks and prints the label again (blank if the deck blanks continued labels); a row taller than a page
makes the type smaller (Asciidoctor PDF cuts a cell taller than a page: "the table cell on page N has been
truncated").  A band row left at the foot of a page above its first KPI is fixed by a `<<<` before a second table
(head again) starting with that band; a theme title left alone at the foot of a page (only `heading_min_height_after`
is kept below a heading, while prawn-table moves a table whose head and first row do not fit) by a `<<<` before
that theme.  The running header's `{section-title}` is the title of the section starting on the page (else the one
carried over) and is substituted again: an escaped '\\(C)' prints there as '©' ('策略主題： ©提升...').

Text: AsciiDoc substitutions run on every cell: newlines in a cell are spaces (inline_format normalize), so a
printed line break is a ` +` hard break or the document's `:hardbreaks-option:`; '--' between words becomes an
em dash (U+2014) in a '--2/3' continued title unless the author escapes it (`\\--`).  Prawn breaks lines only at
spaces, U+200B and after '-', chopping a space-less run at any character only when it starts a line (so
'AC1.2 市民滿意度' puts 'AC1.2' alone on a line); with `-a scripts=cjk` (the documented setting for CJK) the
converter puts U+200B between CJK characters and lines break between any two of them; Prawn measures U+200B as
zero and strips it before writing, so the text layer has none.

Fonts: a TrueType face of fonts.py registered in the theme's `font: catalog` as all four styles (Prawn keeps one
font object for the file: bold headings print unbolded), either as the base font of a theme extending `base`,
or as the `fallbacks` of a theme extending `default` (Latin, digits and '%' in the bundled Noto Serif subset, CJK
and what Noto Serif lacks per glyph in the face, so a cell's line switches fonts); a second TrueType face as a
fallback for characters the first lacks (else they are printed as fonts.printable gives them).  Noto CJK cannot
be used: the .otf face (CFF outlines) comes out as a font poppler cannot read ('Mismatch between font type and
embedded font file', no text layer), the .ttc collections are taken at their first face only (uming.ttc gives
'UMingCN'; NotoSansCJK-Regular.ttc the same broken font), so decks in Noto use a TrueType face.  TTFunk cuts each
face into simple /TrueType subsets (FontFile2, WinAnsi /Encoding, a bfchar ToUnicode) of at most 224 characters,
named six hex digits + the face's PostScript name, a Tf wherever a line changes subset; each line of a cell is one
BT/ET placed by Td (PDF 1.4, Creator 'Asciidoctor PDF 2.3.4, based on Prawn 2.4.0', Producer from the document's
author or 'Asciidoctor PDF').  Watermark: a `page_background_image` SVG whose text prawn-svg draws in the face
(the background is drawn under the content, on every page but the title page), or none.
"""

from __future__ import annotations

import random
import re
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .fonts import TRUETYPE, charset, face_file, printable
from .layout import Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

# Debian 12: apt-get install -y ruby-asciidoctor-pdf (2.3.4-3, with ruby-asciidoctor 2.0.18, ruby-prawn 2.4.0,
# ruby-prawn-table 0.2.2, ruby-ttfunk 1.7.0, ruby-prawn-svg 0.32.0)
ASCIIDOCTOR_PDF = "2.3.4"
PAGES = {"4:3": [720, 540], "16:9": [960, 540], "A4L": "A4", "A4P": "A4"}
PAGE_W = {"4:3": 720.0, "16:9": 960.0, "A4L": 841.89, "A4P": 595.28}
NAVY = "1F3A68"
HEAD_FILLS = {"light": "DCE6F2", "gray": "E6E6E6", "navy": NAVY, "none": None}
BAND_FILL = "C9D9EC"
ZEBRA = ["EEF2F7", "F2F2F2", "F9F9F9"]
DEFAULT_THEME_DIR = Path("/usr/share/ruby-asciidoctor-pdf/data/themes")


@cache
def tool_version(engine: str | None = None) -> str:
    out = subprocess.run(["asciidoctor-pdf", "--version"], capture_output=True, text=True)
    line = (out.stdout or out.stderr).strip().splitlines()[0] if out.returncode == 0 else ""
    if f"Asciidoctor PDF {ASCIIDOCTOR_PDF} " not in line:
        raise RuntimeError(
            f"Asciidoctor PDF {ASCIIDOCTOR_PDF} wanted (apt-get install ruby-asciidoctor-pdf), got {line!r}"
        )
    return line.split(" [")[0]


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.45
    rules = style["rules"]
    frame_grid = {
        "grid": [("all", "all")],
        "hrules": [("topbot", "rows"), ("none", "rows"), ("all", "rows")],
        "none": [("none", "none")],
        "zebra": [("none", "none"), ("topbot", "rows"), ("none", "rows")],
    }[rules]
    frame, grid = rng.choice(frame_grid)
    face = style["font"] if style["font"] in TRUETYPE else rng.choice(TRUETYPE)
    footer = rng.choice([None, "n_of_m", "n_of_m", "dash", "zh"])
    running = flow and rng.random() < 0.35
    return {
        "flow": flow,
        "page": rng.choice(["A4L", "A4L", "A4L", "A4P", style["page"]]) if flow else style["page"],
        "font": face,
        "fallback": rng.choice([None, None, "WenQuanYi Zen Hei" if face != "WenQuanYi Zen Hei" else "AR PL UMing TW"]),
        "font_setup": rng.choice(["base", "base", "default_fallback"]),
        "font_pt": style["font_pt"] + (rng.choice([0, 1]) if flow else 0),
        "line_height": rng.choice([1.15, 1.2, 1.3]),
        "cjk_scripts": rng.random() < 0.6,
        "hardbreaks": rng.choice(["plus", "plus", "option"]),
        "escape_dashes": rng.random() < 0.5,
        "frame": frame,
        "grid": grid,
        "stripes": rng.choice(["even", "odd"]) if rules == "zebra" else ("even" if rng.random() < 0.1 else None),
        "zebra_color": rng.choice(ZEBRA),
        "border_width": rng.choice([0.5, 0.75, 1.0]),
        "grid_width": rng.choice([0.25, 0.5, 0.75]),
        "border_color": rng.choice(["000000", "808080", "DDDDDD", NAVY]),
        "head_fill": rng.choice(["light", "light", "gray", "navy"] + (["none"] if rules != "grid" else [])),
        "head_bold": rng.random() < 0.6,
        "head_mode": rng.choice(["header", "header", "header", "body"]),
        "cell_padding": rng.choice([2, 3, 3, 4, 5]),
        "spans": rng.random() < 0.75,
        "band_fill": rng.random() < 0.7,
        "values_align": rng.choice([style["halign"], "center", "right"]),
        "theme_break": not flow or rng.random() < 0.6,
        "title_page": rng.random() < 0.5,
        "numbering_from": rng.choice(["body", "cover"]),
        "footer": footer,
        "footer_org": footer is not None and rng.random() < 0.6,
        "running_title": running,
        "watermark_angle": rng.choice([30, 45]),
        "watermark_opacity": rng.choice([0.12, 0.2, 0.3]),
        "margin": rng.choice([[36, 30, 36, 30], [0.5 * 72, 0.67 * 72, 0.67 * 72, 0.67 * 72], [28, 24, 30, 24]]),
    }


class TooTall(Exception):
    """A KPI row (or a slide's table at one row) that does not fit a page: the type must be smaller."""


# --- YAML and AsciiDoc text ---------------------------------------------------------------------------------


def _yaml(obj, indent: int = 0) -> str:
    pad = "  " * indent
    out = []
    for k, v in obj.items():
        if isinstance(v, dict):
            out.append(f"{pad}{k}:")
            out.append(_yaml(v, indent + 1))
        else:
            out.append(f"{pad}{k}: {_scalar(v)}")
    return "\n".join(out)


def _scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "~"
    if isinstance(v, (int, float)):
        return repr(round(v, 3)) if isinstance(v, float) else str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_scalar(x) for x in v) + "]"
    return "'" + str(v).replace("'", "''") + "'"


def _escape(s: str) -> str:
    """What the author escapes after seeing it change in the printout: attribute braces and the replacements
    '(C)', '(R)', '(TM)' ('策略主題：(C)...' prints '©'); '--' is escaped or not (escape_dashes)."""
    s = s.replace("{", "\\{")
    return re.sub(r"\((C|R|TM)\)", r"\\(\1)", s)


class Doc:
    """One AsciiDoc document and theme for a deck; `state` holds the author's corrections between renderings:
    `cuts` rows where a span label starts again, `breaks` rows that start a second table, `font_pt`."""

    def __init__(self, deck: Deck, opts: dict, state: dict) -> None:
        self.d, self.o, self.st, self.state = deck, opts, deck.style, state
        self.cols = columns(deck)
        self.lines: list[str] = []

    # text as the author types it
    def t(self, s: str) -> str:
        faces = [self.o["font"]] + ([self.o["fallback"]] if self.o["fallback"] else [])
        cs = set().union(*(charset(f) for f in faces))
        return "".join(c if ord(c) in cs or c in "\n " else printable(c, self.o["font"]) for c in s)

    def inline(self, s: str) -> str:
        """One cell's or paragraph's text in AsciiDoc: '|' and attribute braces escaped, '--' escaped if the
        author does, line breaks as hard breaks (' +' or the document's hardbreaks option)."""
        s = _escape(self.t(s)).replace("|", "\\|")
        if self.o["escape_dashes"]:
            s = s.replace("--", "\\--")
        lines = [x.strip() for x in s.split("\n")]
        if self.o["hardbreaks"] == "option":
            return "\n".join(x if x else "{empty}" for x in lines)
        return " +\n".join(x if x else "{empty}" for x in lines)

    # --- the document -------------------------------------------------------------------------------------

    def source(self) -> str:
        d, o = self.d, self.o
        sep = ": " if o["title_page"] else ""  # the title page splits title and subtitle at ': '
        head = [f"= {self.t(d.org)}{sep}策略地圖與平衡計分卡"]
        head += [f":author: {self.t(d.org)}", ":doctype: article", ":lang: zh-TW"]
        if o["title_page"]:
            head.append(":title-page:")
        else:
            head.append(":notitle:")
        if o["cjk_scripts"]:
            head.append(":scripts: cjk")
        if o["hardbreaks"] == "option":
            head.append(":hardbreaks-option:")
        head.append(":sectnums!:")
        self.lines = [x for x in head if x] + [""]
        if not o["title_page"]:
            self.para("{nbsp}", "spacer")
            self.para(d.org, "cover-title")
            self.para("策略地圖與平衡計分卡", "cover-subtitle")
            self.lines += ["<<<", ""]
        self.profile()
        self.strategy_map()
        for n, t in enumerate(d.themes):
            self.theme(t, n)
        self.lines += ["<<<", ""]
        self.para("{nbsp}", "spacer")
        self.para("敬請指教", "closing")
        return "\n".join(self.lines) + "\n"

    def para(self, text: str, role: str | None = None) -> None:
        if role:
            self.lines.append(f"[.{role}]")
        self.lines += [text if text == "{nbsp}" else self.inline(text), ""]

    def heading(self, text: str, level: int = 2) -> None:
        s = _escape(self.t(text))
        if self.o["escape_dashes"]:
            s = s.replace("--", "\\--")
        self.lines += ["=" * level + " " + s, ""]

    def profile(self) -> None:
        d = self.d
        self.heading(f"{d.org}轄區概況")
        for line in d.profile_lines:
            self.para(line, "profile")
        self.lines += ["<<<", ""]

    def strategy_map(self) -> None:
        d = self.d
        self.heading(f"{d.org}策略地圖")
        self.para(d.map_date, "text-right")
        self.para("願景：" + "、".join(t.shown for t in d.themes))
        self.lines += ['[cols="1,5",frame=all,grid=all,options="noheader"]', "|==="]
        for p in BSC_ORDER:
            objs = [o.shown for t in d.themes for o in t.objectives if o.perspective == p]
            if objs:
                self.lines.append(f"^.^h|{self.inline(p + '構面')}")
                self.lines.append("|" + self.inline("　｜　".join(objs)))
        self.lines += ["|===", ""]

    # --- theme tables -------------------------------------------------------------------------------------

    def colspec(self) -> str:
        o, st = self.o, self.st
        specs = []
        for c in self.cols:
            if c.id == "persp":
                al = "^"
            elif c.id in ("a0", "a1", "a2", "t", "w"):
                al = {"left": "<", "center": "^", "right": ">"}[o["values_align"]]
            else:
                al = "^" if st["halign"] == "center" else "<"
            va = ".^" if st["valign"] == "middle" or c.id == "persp" else ".<"
            specs.append(f"{al}{va}{max(1, round(c.weight * 10))}")
        return ",".join(specs)

    def head_cells(self) -> tuple[list[str], list[str]]:
        """(head row cells, body rows of `h` cells under them)."""
        cols, two = self.cols, self.st["year_header"] == "two_row"
        mode = self.o["head_mode"]
        h = "h" if mode == "body" else ""
        top, low = [], []
        j = 0
        while j < len(cols):
            c = cols[j]
            if two and c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                top.append(f"{k - j + 1}+^.^{h}|{self.inline(c.group)}")
                low += [f"^.^h|{self.inline(cols[m].sub or '')}" for m in range(j, k + 1)]
                j = k + 1
            else:
                if two and mode == "body":
                    top.append(f".2+^.^h|{self.inline(c.label)}")
                else:
                    top.append(f"^.^{h}|{self.inline(c.label)}")
                    if two:
                        low.append("h|")
                j += 1
        return top, low

    def spans(self, rows: list[Row], cuts: set[int]) -> dict[str, dict[int, int]]:
        out: dict[str, dict[int, int]] = {}
        for key in ("persp", "obj"):
            out[key] = {}
            for s, n in runs(rows, key):
                starts = [s] + [i for i in range(s + 1, s + n) if i in cuts] + [s + n]
                for a, b in zip(starts, starts[1:]):
                    if self.o["spans"]:
                        out[key][a] = b - a
                    else:
                        out[key].update({i: 1 for i in range(a, b)})
        return out

    def table(self, rows: list[Row], prev: list[Row], cuts: set[int]) -> None:
        o, st, cols = self.o, self.st, self.cols
        attrs = [f'cols="{self.colspec()}"', f"frame={o['frame']}", f"grid={o['grid']}"]
        if o["stripes"]:
            attrs.append(f"stripes={o['stripes']}")
        attrs.append('options="header"' if o["head_mode"] == "header" else 'options="noheader"')
        self.lines += ["[" + ",".join(attrs) + "]", "|==="]
        top, low = self.head_cells()
        self.lines += top
        if low:
            self.lines += low
        spans = self.spans(rows, cuts)
        unset = False
        for i, r in enumerate(rows):
            if r.kind == "band":
                fill = f"{{set:cellbgcolor:#{BAND_FILL}}}" if o["band_fill"] else ""
                self.lines.append(f"{len(cols)}+<.^s|{fill}{self.inline(r.cells['band'])}")
                unset = bool(fill)
                continue
            for c in cols:
                text = r.cells.get(c.id, "")
                spec = ""
                if c.id in spans:
                    if i not in spans[c.id]:
                        continue
                    first = i == 0 or i in cuts
                    if first and st["blank_cont"] and continues(prev if i == 0 else rows[:i], r, c.id):
                        text = ""
                    if spans[c.id][i] > 1:
                        spec = f".{spans[c.id][i]}+"
                    if c.id == "persp" and st["persp_mode"] in ("rotated", "stacked"):
                        text = "\n".join(text)
                cell = self.inline(text) if text else ""
                if unset:  # on a line of its own: Asciidoctor drops the whole line that holds it
                    cell, unset = "{set:cellbgcolor!}\n" + cell, False
                self.lines.append(f"{spec}|{cell}")
        self.lines += ["|===", ""]

    def theme(self, t, n: int) -> None:
        o, d = self.o, self.d
        rows = theme_rows(d, t)
        if not o["flow"]:
            parts = chunk(rows, int(o["max_rows"]))
            for i, part in enumerate(parts):
                self.lines += ["<<<", ""]
                self.heading(theme_title(d, t, i + 1, len(parts)))
                self.table(part, parts[i - 1] if i else [], set())
            return
        breaks = sorted(self.state["breaks"].get(t.letter, set()) - {0})
        cuts = self.state["cuts"].get(t.letter, set())
        if n == 0 or o["theme_break"] or t.letter in self.state["fresh"]:
            self.lines += ["<<<", ""]
        self.heading(theme_title(d, t))
        bounds = [0] + breaks + [len(rows)]
        for j, (a, b) in enumerate(zip(bounds, bounds[1:])):
            if j:
                self.lines += ["<<<", ""]
            self.table(rows[a:b], rows[:a], {i - a for i in cuts if a <= i < b})

    # --- the theme ----------------------------------------------------------------------------------------

    def theme_yaml(self, wm_svg: str | None) -> str:
        o = self.o
        pt = float(self.state["font_pt"])
        face = face_file(o["font"])
        name = o["font"].replace(" ", "")
        catalog: dict = {"merge": True}
        catalog[name] = {s: face for s in ("normal", "bold", "italic", "bold_italic")}
        fallbacks = []
        if o["fallback"]:
            fb = o["fallback"].replace(" ", "")
            catalog[fb] = {s: face_file(o["fallback"]) for s in ("normal", "bold", "italic", "bold_italic")}
        default = o["font_setup"] == "default_fallback"
        if default:
            fallbacks.append(name)
        if o["fallback"]:
            fallbacks.append(o["fallback"].replace(" ", ""))
        page = o["page"]
        y: dict = {"extends": "default" if default else "base"}
        font: dict = {"catalog": catalog}
        if fallbacks:
            font["fallbacks"] = fallbacks
        y["font"] = font
        pg: dict = {"size": PAGES[page], "margin": o["margin"]}
        if page in ("A4L", "A4P"):
            pg["layout"] = "landscape" if page == "A4L" else "portrait"
        if wm_svg:
            pg["background_image"] = f"image:{wm_svg}[fit=none,pdfwidth=100%]"
        y["page"] = pg
        base_font = "Noto Serif" if default else name
        y["base"] = {
            "font_family": base_font,
            "font_size": pt,
            "line_height": o["line_height"],
            "font_color": "000000",
            "text_align": "left",
        }
        y["heading"] = {
            "font_family": base_font,
            "font_color": NAVY,
            "h2_font_size": 16,
            "margin_top": 0,
            "margin_bottom": 6,
        }
        y["role"] = {
            "cover-title": {"font_size": 30, "text_align": "center"},
            "cover-subtitle": {"font_size": 26, "text_align": "center"},
            "closing": {"font_size": 36, "text_align": "center"},
            "profile": {"font_size": 14},
            "spacer": {"font_size": 96 if page in ("A4P",) else 72},
        }
        if o["title_page"]:
            y["title_page"] = {
                "align": "center",
                "title": {"top": "35%", "font_size": 30, "font_color": "000000"},
                "subtitle": {"font_size": 26, "font_color": "000000"},
                "authors": {"display": "none"},
                "background_image": "none",
            }
        pad = o["cell_padding"]
        fill = HEAD_FILLS[o["head_fill"]]
        head: dict = {"font_style": "bold" if o["head_bold"] else "normal", "border_bottom_width": o["border_width"]}
        if fill:
            head["background_color"] = fill
            if o["head_fill"] == "navy":
                head["font_color"] = "FFFFFF"
        tbl: dict = {
            "font_size": pt,
            "border_width": o["border_width"],
            "grid_width": o["grid_width"],
            "border_color": o["border_color"],
            "cell_padding": [pad, pad + 1, pad, pad + 1],
            "head": head,
            "header_cell": {"font_style": "bold" if o["head_bold"] else "normal"},
            "body": {"stripe_background_color": o["zebra_color"]},
        }
        if fill:
            tbl["header_cell"]["background_color"] = fill
            if o["head_fill"] == "navy":
                tbl["header_cell"]["font_color"] = "FFFFFF"
        y["table"] = tbl
        if o["title_page"]:
            y["page"]["numbering_start_at"] = "title" if o["numbering_from"] == "cover" else "body"
            y["page"]["running_content_start_at"] = "body"
        num = {
            "n_of_m": "{page-number} / {page-count}",
            "dash": "- {page-number} -",
            "zh": "第 {page-number} 頁，共 {page-count} 頁",
        }
        side: dict = {}
        if o["footer"]:
            side["right"] = {"content": num[o["footer"]]}
            # the inherited theme prints '{page-number}' on the left of verso pages unless the left is set
            org = f"{self.t(self.d.org)}｜策略地圖與平衡計分卡"
            side["left"] = {"content": org if o["footer_org"] else "none"}
        y["footer"] = {
            "font_family": base_font,
            "font_size": 7,
            "font_color": "666666",
            "height": 24 if side else 0,
            "border_width": 0.4 if side else 0,
            "border_color": "999999",
            "recto": side or {"left": {"content": "none"}, "right": {"content": "none"}},
            "verso": side or {"left": {"content": "none"}, "right": {"content": "none"}},
        }
        if o["running_title"]:
            hs = {"left": {"content": "{section-title}"}}
            y["header"] = {
                "font_family": base_font,
                "font_size": 12,
                "font_color": NAVY,
                "height": 28,
                "vertical_align": "middle",
                "recto": hs,
                "verso": hs,
            }
        return _yaml(y) + "\n"

    def watermark_svg(self) -> str:
        o = self.o
        w = PAGE_W[o["page"]] if o["page"] != "A4P" else 595.28
        h = {"4:3": 540.0, "16:9": 540.0, "A4L": 595.28, "A4P": 841.89}[o["page"]]
        name = (o["font"] if o["font_setup"] == "base" else o["font"]).replace(" ", "")
        ang = -o["watermark_angle"]
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">'
            f'<text x="{w / 2}" y="{h / 2}" font-family="{name}" font-size="60" fill="#C85050" '
            f'fill-opacity="{o["watermark_opacity"]}" text-anchor="middle" '
            f'transform="rotate({ang} {w / 2} {h / 2})">內部資料</text></svg>'
        )


def _run(src: str, theme: str, svg: str | None, out_pdf: Path, keep: Path | None = None) -> str:
    with tempfile.TemporaryDirectory(prefix="r_asciidoctor-") as tmp:
        adoc = Path(tmp) / "deck.adoc"
        adoc.write_text(src, encoding="utf-8")
        (Path(tmp) / "deck-theme.yml").write_text(
            theme.replace("WATERMARK_SVG", str(Path(tmp) / "wm.svg")), encoding="utf-8"
        )
        if svg:
            (Path(tmp) / "wm.svg").write_text(svg, encoding="utf-8")
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            for f in Path(tmp).iterdir():
                (keep / f.name).write_bytes(f.read_bytes())
        cmd = ["asciidoctor-pdf", "-a", f"pdf-theme={Path(tmp) / 'deck-theme.yml'}", "-o", str(out_pdf), str(adoc)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if proc.returncode:
            raise RuntimeError(f"asciidoctor-pdf failed: {proc.stderr.strip()[-1500:]}")
        return proc.stderr


def _outside(pdf: Path) -> bool:
    import pymupdf

    for page in pymupdf.open(str(pdf)):
        h = page.mediabox.height
        for b in page.get_text("dict")["blocks"]:
            if b.get("type") == 0 and (b["bbox"][1] < -2 or b["bbox"][3] > h + 2):
                return True
    return False


def _pages_of(pdf: Path, deck: Deck) -> dict[str, list[int]]:
    """KPI code -> pages it is printed on, from the first table page on."""
    import pymupdf

    from .layout import _code_re
    from .spec import fold

    doc = pymupdf.open(str(pdf))
    out: dict[str, list[int]] = {}
    started = False
    texts = []
    for i, page in enumerate(doc, 1):
        compact = "".join(fold(page.get_text()).split())
        started = started or "實際值" in compact or "目標值" in compact
        if started:
            texts.append((i, [w[4] for w in page.get_text("words")], compact))
    for _, _, k in deck.kpis():
        rx = _code_re(k.code)
        hits = [i for i, words, _ in texts if any(rx.search(w) for w in words)]
        out[k.code] = hits or [i for i, _, compact in texts if rx.search(compact)]
    return out


def _fix_flow(deck: Deck, opts: dict, state: dict, pages: dict[str, list[int]]) -> bool:
    """One correction of a flowing rendering: a band row left at the foot of a page before its first KPI starts a
    second table; a span label whose rows went over a page break starts again on the new page."""
    for t in deck.themes:
        rows = theme_rows(deck, t)
        pg = [pages.get(r.kpi.code, []) if r.kind == "kpi" else [] for r in rows]
        breaks = state["breaks"].setdefault(t.letter, set())
        cuts = state["cuts"].setdefault(t.letter, set())
        for key in [c.id for c in columns(deck) if c.id in ("persp", "obj")] if opts["spans"] else []:
            for s, n in runs(rows, key):
                starts = [s] + sorted(i for i in cuts if s < i < s + n) + [s + n]
                for a, b in zip(starts, starts[1:]):
                    at = next((i for i in range(a + 1, b) if pg[i] and pg[a] and pg[i][0] > pg[a][0]), None)
                    if at is not None:
                        cuts.add(at)
                        return True
        for i, r in enumerate(rows):
            if r.kind == "band" and i + 1 < len(rows) and i > 0:
                before = next((pg[j] for j in range(i - 1, -1, -1) if rows[j].kind == "kpi"), [])
                if before and pg[i + 1] and pg[i + 1][0] > before[-1] and i not in breaks:
                    # the band went with the rows before or after; which one is only visible on the page
                    state["band_check"].add((t.letter, i))
    return False


def _title_alone(pdf: Path, deck: Deck, state: dict, pages: dict[str, list[int]]) -> bool:
    """A theme title left at the foot of a page while its table went to the next (Asciidoctor PDF keeps only
    `heading_min_height_after` below a heading): that theme starts a page.  The first page printing the title is
    the heading's (a running header shows a title only from the page its section starts on)."""
    import pymupdf

    from .spec import fold

    doc = pymupdf.open(str(pdf))
    texts = ["".join(fold(p.get_text()).split()) for p in doc]
    for t in deck.themes:
        title = "".join(fold(theme_title(deck, t)).split())
        at = next((i + 1 for i, x in enumerate(texts) if title in x), None)
        first = pages.get(t.objectives[0].kpis[0].code, [])
        if at is not None and first and first[0] != at and t.letter not in state["fresh"]:
            state["fresh"].add(t.letter)
            return True
    return False


def _band_alone(pdf: Path, deck: Deck, state: dict) -> bool:
    """A band label printed at the foot of a page whose next row (its first KPI) is on the next page."""
    import pymupdf

    doc = pymupdf.open(str(pdf))
    changed = False
    for letter, i in sorted(state["band_check"]):
        t = next(t for t in deck.themes if t.letter == letter)
        rows = theme_rows(deck, t)
        code = rows[i + 1].kpi.code
        label = rows[i].cells["band"]
        for pno, page in enumerate(doc):
            if code in page.get_text() and pno > 0 and label in doc[pno - 1].get_text():
                prev_text = doc[pno - 1].get_text()
                tail = prev_text[prev_text.rfind(label) :]
                if not any(c.kpi and c.kpi.code in tail for c in rows if c.kind == "kpi"):
                    state["breaks"].setdefault(letter, set()).add(i)
                    changed = True
                break
    state["band_check"] = set()
    return changed


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide, lowered until no part runs over
    its slide).  Flow: rendered again after each correction (see _fix_flow); a row taller than a page makes the
    type smaller.  Returns the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    out_pdf = Path(out_pdf)
    tool_version()

    def fresh() -> dict:
        return {"breaks": {}, "cuts": {}, "fresh": set(), "band_check": set(), "font_pt": opts["font_pt"]}

    state = fresh()
    log = ""
    for _ in range(60):
        doc = Doc(deck, opts, state)
        src = doc.source()
        svg = doc.watermark_svg() if st["watermark"] else None
        log = _run(src, doc.theme_yaml("WATERMARK_SVG" if svg else None), svg, out_pdf)
        if "cannot fit contents of table cell" in log:
            if state["font_pt"] <= 6:
                raise RuntimeError(f"{deck.stem}: {log.strip()[-400:]}")
            state["font_pt"] -= 1
            continue
        pages = _pages_of(out_pdf, deck)
        try:
            if "has been truncated" in log:  # a cell taller than a page: Asciidoctor PDF cuts its text
                raise TooTall("cell")
            if opts["flow"]:
                if (
                    _title_alone(out_pdf, deck, state, pages)
                    or _fix_flow(deck, opts, state, pages)
                    or _band_alone(out_pdf, deck, state)
                ):
                    continue
                if _outside(out_pdf) or any(len(v) != 1 for v in pages.values()):
                    raise TooTall("flow")
            else:
                if not _slides_fit(deck, opts, pages, out_pdf) or _outside(out_pdf):
                    if opts["max_rows"] > 1:
                        opts["max_rows"] -= 1
                        continue
                    raise TooTall("slide")
        except TooTall:
            if state["font_pt"] <= 6:
                raise RuntimeError(f"{deck.stem}: a table row does not fit a page even in 6 pt type") from None
            pt = state["font_pt"] - 1
            state = fresh()
            state["font_pt"] = pt
            continue
        break
    else:
        raise RuntimeError(f"{deck.stem}: the Asciidoctor PDF layout did not settle")
    opts["font_pt"] = state["font_pt"]
    if opts["flow"]:
        opts.pop("max_rows")
        opts["split_before"] = {k: sorted(v) for k, v in sorted(state["breaks"].items()) if v}
        opts["span_cut"] = {k: sorted(v) for k, v in sorted(state["cuts"].items()) if v}
        opts["theme_page"] = sorted(state["fresh"])
    warnings = [x for x in log.splitlines() if "WARNING" in x or "ERROR" in x]
    if warnings:
        opts["warnings"] = warnings[:5]
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts


def _slides_fit(deck: Deck, opts: dict, pages: dict[str, list[int]], pdf: Path) -> bool:
    """Every part's KPIs on one page, parts on consecutive pages, the closing page right after the last."""
    import pymupdf

    expect = None
    for t in deck.themes:
        for part in chunk(theme_rows(deck, t), int(opts["max_rows"])):
            ps = {p for r in part if r.kind == "kpi" for p in pages.get(r.kpi.code, [])}
            if len(ps) != 1:
                return False
            p = ps.pop()
            if expect is not None and p != expect:
                return False
            expect = p + 1
    return expect == len(pymupdf.open(str(pdf)))
