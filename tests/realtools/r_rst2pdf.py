"""rst2pdf renderer: the deck written as reStructuredText and converted by rst2pdf 0.99 (Debian 12's rst2pdf 0.99-1
on python3-reportlab 3.6.12 and python3-docutils 0.19), the way people who keep their reports (or their slides) as
plain text in rst make PDFs: nothing is drawn by hand, the document is text and a YAML style sheet says how it
looks; docutils parses it and rst2pdf lays it out with ReportLab's platypus (Paragraph wrapping, Table splitting).

Document: a cover (class paragraphs on a `coverPage` template without header and footer), a profile section, a
strategy-map `list-table`, the theme tables and a closing page.  Slides: each theme's rows cut into parts of
`max_rows` KPI rows, each part a level-1 section (title with '--n/N') whose page breaks come from `-b 1` (every
level-1 section starts a page) or from `.. raw:: pdf` `PageBreak` lines; the budget is lowered until no part runs
over its page.  Document mode: one section per theme whose table ReportLab splits between rows by itself, the head
repeated on every page with `--repeat-table-rows` or printed on the first page only (rst2pdf passes the flag as
`repeatRows=True`, i.e. one row: of a two-row year head only the upper row comes back on later pages); themes start
a page or follow one another (with `-b 1` a following theme cannot be a section, so its title is a class paragraph
and `###Section###` keeps showing the previous theme).  A theme title left at a page foot with only its head rows
(ReportLab may split right after the head) makes the author start that theme on a new page.
`SetPageCounter` restarts the page numbers after the cover on some decks.  Pages from
`pageSetup` (`size: null` with width/height in cm for 4:3 and 16:9 slides, `A4-landscape`, `A4`), margins,
`pageTemplates` frames with showHeader/showFooter, a `background` image (a PNG with a turned '內部資料', drawn
under the content of every page of the template) as watermark.  Running header/footer by `.. header::` /
`.. footer::` directives with `###Page###`, `###Total###` (rst2pdf renders twice for it) and `###Section###`
(the title of the last level-1 section begun, so a continued table's pages show their theme).

Tables: `.. list-table::` (`:header-rows:`, `:widths:`, `:class:`) has no spans, so 構面 and 策略目標 are printed in
the first row of their group only (blank cells below: the author's way around it), a two-row year head puts the
group label in its first column only, and a band row is its label in the first cell; grid tables (`+---+`,
written with docutils' column counting: East Asian wide characters count two) under `.. table::` with `:widths:`
and `:class:` carry row spans for 構面/策略目標 labels, column spans for band rows and the two-row year head.  The
table class names a style in the sheet whose `commands` are ReportLab TableStyle commands: GRID (full grid),
LINEABOVE/LINEBELOW (horizontal rules only), none (or a rule under the head only), ROWBACKGROUNDS zebra, or
no class at all (rst2pdf's default table style: INNERGRID 0.25 + BOX + ROWBACKGROUNDS white/#E0E0E0, i.e. zebra
counting the head row; a row-spanning cell keeps the fill of its first row);
the head fill from `table-heading` backColor; a band row's fill by a per-table class
with a BACKGROUND command.  Multi-line cells are line blocks (`| line`), whose style is `line` (or the class set
by `.. class::` before a head cell's block).  Stacked/rotated 構面 labels are stacked (no turned text).

Text: ReportLab wraps cell Paragraphs either with `wordWrap: CJK` (breaks after any character, codes such as
'AC1.1.2' included, with its kinsoku rules for CJK punctuation) or by default (breaks at spaces only, a word
longer than the line split at any character by `splitLongWords`, so a CJK run fills its lines and breaks at the
cell edge).  A row taller than the frame makes ReportLab give up ('Flowable ... too large'): the type is made
smaller.  ReportLab 3.6 never splits inside a row span: a span group longer than the rest of a page moves whole
to the next page (a group taller than a page is too large: spans are dropped then).  rst2pdf writes its own
markup-escaped Paragraph text, so rst inline markup characters are escaped by backslashes in the source.

Fonts: `embeddedFonts` takes TrueType files only (a list of four files: regular/bold/italic/bold-italic, all the
one face here, so headings are not bold) and names the font after the file; `fontsAlias` points every alias
(fontSans, fontSerif, stdFont, ...) at it.  ReportLab subsets TrueType into simple fonts of at most 256 glyphs
(AAAAAA+Name, AAAAAB+Name, ...; WinAnsi-like codes 0-255 with a ToUnicode map each), one BT/ET per line.
Noto CJK (CFF outlines) cannot be registered: Noto decks use a TrueType face instead, or a subset of the Noto face
converted to TrueType outlines (r_rinoh.face_for_rinoh) saved as `.ttf` (rst2pdf decides TrueType by the file
name).  `-c` compresses the page streams on some decks; without it the content streams are plain text.
`rst2pdf --version` prints 0.0.0 on Debian (no version in its egg-info), so the version is checked with dpkg-query.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import tempfile
import unicodedata
from functools import cache
from pathlib import Path

from .fonts import TRUETYPE, face_file, printable
from .layout import Col, Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

# Debian 12: apt-get install -y rst2pdf (0.99-1, with python3-reportlab 3.6.12, python3-docutils 0.19)
RST2PDF = "0.99"
RST2PDF_BIN = "/usr/bin/rst2pdf"
PAGES = {  # pageSetup entries; sizes in points for the checks
    "4:3": ({"size": None, "width": "25.4cm", "height": "19.05cm"}, (720.0, 540.0)),
    "16:9": ({"size": None, "width": "25.4cm", "height": "14.29cm"}, (720.0, 405.1)),
    "16:9L": ({"size": None, "width": "33.867cm", "height": "19.05cm"}, (960.0, 540.0)),
    "A4L": ({"size": "A4-landscape"}, (841.9, 595.3)),
    "A4P": ({"size": "A4"}, (595.3, 841.9)),
}
NAVY = "#1F3A68"
HEAD_FILLS = {"light": "#DCE6F2", "gray": "#E6E6E6", "navy": NAVY, "none": None}
BAND_FILL = "#E2EFDA"
ZEBRA = ["#EEF2F7", "#F2F2F2", "#E0E0E0"]
ESCAPE = re.compile(r"([\\*`|_\[\]<>])")


@cache
def tool_version(engine: str | None = None) -> str:
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "rst2pdf"], capture_output=True, text=True)
    v = out.stdout.strip()
    if out.returncode or not v.startswith(RST2PDF + "-"):
        raise RuntimeError(f"rst2pdf {RST2PDF} wanted (apt-get install rst2pdf), dpkg has {v!r}")
    rl = subprocess.run(
        ["/usr/bin/python3", "-c", "import reportlab, docutils; print(reportlab.Version, docutils.__version__)"],
        capture_output=True,
        text=True,
    ).stdout.split()
    return f"rst2pdf {RST2PDF} (Debian {v}; ReportLab {rl[0] if rl else '?'}, docutils {rl[1] if rl else '?'})"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.45
    rules = style["rules"]
    page = {"4:3": "4:3", "16:9": rng.choice(["16:9", "16:9L"]), "A4L": "A4L"}[style["page"]]
    face = style["font"]
    if face not in TRUETYPE:
        face = rng.choice(["noto_ttf", "WenQuanYi Zen Hei", "AR PL UMing TW"])
    footer = rng.choice([None, "n_of_N", "n_of_N", "dash", "zh", "page"])
    return {
        "flow": flow,
        "page": rng.choice(["A4L", "A4L", "A4P", page]) if flow else page,
        "font": face,
        "font_pt": style["font_pt"],
        "leading": rng.choice([1.2, 1.25, 1.35]),
        "table_kind": rng.choice(["list", "list", "grid"]),
        "wrap": rng.choice(["CJK", "CJK", "default"]),
        "table_style": {
            "grid": "grid",
            "hrules": "hrules",
            "none": rng.choice(["none", "head_rule"]),
            "zebra": rng.choice(["zebra_grid", "zebra_hrules", "zebra_none", "default"]),
        }[rules],
        "zebra_color": rng.choice(ZEBRA),
        "stroke_pt": rng.choice([0.25, 0.5, 0.5, 0.75, 1.0]),
        "rule_color": rng.choice(["#000000", "#000000", "#808080", NAVY]),
        "head_fill": rng.choice(["light", "light", "gray", "navy", "none"]),
        "band_fill": rng.random() < 0.7,
        "padding": rng.choice([2, 3, 4]),
        "repeat_rows": rng.random() < 0.65,
        "breaks": rng.choice(["break_level", "raw"]),
        "theme_break": not flow or rng.random() < 0.6,
        "counter_reset": rng.random() < 0.4,
        "header": rng.choice([None, None, "org", "section"]),
        "footer": footer,
        "footer_org": footer is not None and rng.random() < 0.5,
        "compressed": rng.random() < 0.5,
        "margin_cm": rng.choice([1.0, 1.2, 1.5, 2.0]),
        "title_pt": rng.choice([16, 18, 20]),
        "title_align": rng.choice(["TA_LEFT", "TA_LEFT", "TA_CENTER"]),
    }


# --- rst text ------------------------------------------------------------------------------------------------


def colw(s: str) -> int:
    """Columns docutils gives a string in a grid table (wide and full-width characters count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else (0 if unicodedata.combining(c) else 1) for c in s)


def esc(s: str) -> str:
    """A line of text as rst source: inline markup characters escaped, the first character escaped too (so a
    line never starts a list, a field or a directive)."""
    s = ESCAPE.sub(r"\\\1", s.strip())
    if s and not s.startswith("\\"):
        s = "\\" + s
    return s


def cell_lines(s: str, cls: str | None = None) -> list[str]:
    """A cell's content as rst lines: a paragraph, or a line block for text with line breaks."""
    parts = [x.strip() for x in s.split("\n")]
    if not s.strip():
        return []
    if len(parts) == 1:
        return [esc(parts[0])]
    out = [f".. class:: {cls}", ""] if cls else []
    return out + [("| " + esc(p)) if p else "|" for p in parts]


class Doc:
    """One rst document and style sheet; `state` holds the author's corrections (font size, spans)."""

    def __init__(self, deck: Deck, opts: dict, state: dict) -> None:
        self.d, self.o, self.st, self.state = deck, opts, deck.style, state
        self.cols = columns(deck)
        self.lines: list[str] = []
        self.tables: list[dict] = []  # per-table classes: name -> extra commands
        self.face = "WenQuanYi Zen Hei" if opts["font"] == "noto_ttf" else opts["font"]
        self.chars: set[str] = set()

    def t(self, s: str) -> str:
        s = printable(s, self.face if self.o["font"] != "noto_ttf" else self.st["font"])
        self.chars.update(s)
        return s

    # --- document -------------------------------------------------------------------------------------------

    def section(self, title: str, page_break: bool) -> None:
        if page_break and self.o["breaks"] == "raw" and self.lines:
            self.lines += [".. raw:: pdf", "", "   PageBreak", ""]
        s = esc(self.t(title))
        self.lines += [s, "=" * (colw(s) + 2), ""]

    def source(self) -> str:
        d, o = self.d, self.o
        L = self.lines
        if o["header"]:
            text = d.org if o["header"] == "org" else "###Section###"
            L += [".. header::", "", "   " + (esc(self.t(text)) if o["header"] == "org" else text), ""]
        if o["footer"]:
            num = {
                "n_of_N": "###Page### / ###Total###",
                "dash": "\\- ###Page### -",
                "zh": "第 ###Page### 頁，共 ###Total### 頁",
                "page": "###Page###",
            }[o["footer"]]
            if o["footer_org"]:
                num = esc(self.t(f"{d.org}｜策略地圖與平衡計分卡")) + "　" + num
            L += [".. footer::", "", "   " + num, ""]
        L += [".. raw:: pdf", "", "   Spacer 0 " + ("6cm" if o["page"] == "A4P" else "3.5cm"), ""]
        L += [".. class:: cover-title", "", esc(self.t(d.org)), ""]
        L += [".. class:: cover-subtitle", "", esc(self.t("策略地圖與平衡計分卡")), ""]
        L += [".. raw:: pdf", "", "   PageBreak mainPage", ""]
        if o["counter_reset"]:
            L += [".. raw:: pdf", "", "   SetPageCounter 1 arabic", ""]
        self.section(f"{d.org}轄區概況", False)
        for line in d.profile_lines:
            L += [".. class:: profile", "", esc(self.t(line)), ""]
        self.section(f"{d.org}策略地圖", True)
        L += [".. class:: mapdate", "", esc(d.map_date), ""]
        L += [esc(self.t("願景：" + "、".join(t.shown for t in d.themes))), ""]
        L += [".. list-table::", "   :widths: 15 85", "   :class: map", ""]
        for p in BSC_ORDER:
            objs = [ob.shown for t in d.themes for ob in t.objectives if ob.perspective == p]
            if objs:
                L += [f"   * - {esc(self.t(p + '構面'))}", f"     - {esc(self.t('　｜　'.join(objs)))}"]
        L.append("")
        for n, t in enumerate(d.themes):
            self.theme(t, n)
        L += [".. raw:: pdf", "", "   PageBreak closingPage", ""]
        L += [".. raw:: pdf", "", "   Spacer 0 " + ("8cm" if o["page"] == "A4P" else "4.5cm"), ""]
        L += [".. class:: closing", "", esc(self.t("敬請指教")), ""]
        return "\n".join(L) + "\n"

    def theme(self, t, n: int) -> None:
        d, o = self.d, self.o
        rows = theme_rows(d, t)
        if not o["flow"]:
            parts = chunk(rows, int(o["max_rows"]))
            for i, part in enumerate(parts):
                self.section(theme_title(d, t, i + 1, len(parts)), True)
                self.table(part, parts[i - 1] if i else [])
            return
        brk = o["theme_break"] or n == 0 or t.letter in self.state["fresh"]
        if not brk and o["breaks"] == "break_level":
            # -b 1 starts every section on a new page: the author writes this title as a styled paragraph
            self.lines += [".. class:: theme-title", "", esc(self.t(theme_title(d, t))), ""]
        else:
            self.section(theme_title(d, t), brk)
        self.table(rows, [])

    # --- tables ---------------------------------------------------------------------------------------------

    def label(self, c: Col, r: Row) -> str:
        text = r.cells[c.id]
        if c.id == "persp" and self.st["persp_mode"] in ("rotated", "stacked"):
            text = "\n".join(text)
        return text

    def grid_model(self, rows: list[Row], prev: list[Row]) -> tuple[list[list], int]:
        """Cells as (row, col, rowspan, colspan, text, cls); returns (cells, head rows)."""
        cols, st = self.cols, self.st
        two = st["year_header"] == "two_row"
        spans = self.o["table_kind"] == "grid" and self.state["spans"]
        nh = 2 if two else 1
        cells = []
        j = 0
        while j < len(cols):
            c = cols[j]
            if two and c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                if spans:
                    cells.append([0, j, 1, k - j + 1, c.group, "th"])
                else:
                    cells += [[0, m, 1, 1, c.group if m == j else "", "th"] for m in range(j, k + 1)]
                cells += [[1, m, 1, 1, cols[m].sub or "", "th"] for m in range(j, k + 1)]
                j = k + 1
                continue
            if two and spans:
                cells.append([0, j, 2, 1, c.label, "th"])
            elif two:
                cells += [[0, j, 1, 1, c.label, "th"], [1, j, 1, 1, "", "th"]]
            else:
                cells.append([0, j, 1, 1, c.label, "th"])
            j += 1
        ids = [c.id for c in cols]
        starts = {key: dict(runs(rows, key)) for key in ("persp", "obj") if key in ids}
        for i, r in enumerate(rows):
            ri = nh + i
            if r.kind == "band":
                if spans:
                    cells.append([ri, 0, 1, len(cols), r.cells["band"], "band"])
                else:
                    cells += [[ri, m, 1, 1, r.cells["band"] if m == 0 else "", "band"] for m in range(len(cols))]
                continue
            for m, c in enumerate(cols):
                if c.id in starts:
                    if i in starts[c.id]:
                        blank = i == 0 and st["blank_cont"] and continues(prev, r, c.id)
                        text = "" if blank else self.label(c, r)
                        cells.append([ri, m, starts[c.id][i] if spans else 1, 1, text, None])
                    elif not spans:
                        cells.append([ri, m, 1, 1, "", None])
                    continue
                cells.append([ri, m, 1, 1, r.cells.get(c.id, ""), None])
        return cells, nh

    def table_class(self, rows: list[Row], nh: int) -> str | None:
        """A style for this table: the rules and fills as ReportLab TableStyle commands."""
        o = self.o
        ts, w, col = o["table_style"], o["stroke_pt"], o["rule_color"]
        if ts == "default":
            cmds: list = []
            base = None  # rst2pdf's own `table` style
        else:
            base = "table"
            cmds = [["VALIGN", [0, 0], [-1, -1], "MIDDLE" if self.st["valign"] == "middle" else "TOP"]]
            if ts in ("grid", "zebra_grid"):
                cmds.append(["GRID", [0, 0], [-1, -1], w, col])
            if ts in ("hrules", "zebra_hrules"):
                cmds += [
                    ["LINEABOVE", [0, 0], [-1, 0], w * 2, col],
                    ["LINEBELOW", [0, 0], [-1, -1], w, col],
                    ["LINEBELOW", [0, nh - 1], [-1, nh - 1], w * 2, col],
                    ["LINEBELOW", [0, -1], [-1, -1], w * 2, col],
                ]
            if ts == "head_rule":
                cmds.append(["LINEBELOW", [0, nh - 1], [-1, nh - 1], w, col])
            if ts.startswith("zebra"):
                cmds.append(["ROWBACKGROUNDS", [0, nh], [-1, -1], ["#FFFFFF", o["zebra_color"]]])
            pad = o["padding"]
            cmds += [[k, [0, 0], [-1, -1], pad] for k in ("TOPPADDING", "BOTTOMPADDING")]
            cmds += [[k, [0, 0], [-1, -1], pad + 1] for k in ("LEFTPADDING", "RIGHTPADDING")]
        if o["band_fill"]:
            for i, r in enumerate(rows):
                if r.kind == "band":
                    cmds.append(["BACKGROUND", [0, nh + i], [-1, nh + i], BAND_FILL])
        if base is None and not cmds:
            return None
        if base is None:
            from_default = self.state["default_cmds"]
            cmds = from_default + cmds
        name = f"t{len(self.tables) + 1}"
        self.tables.append({"name": name, "commands": cmds})
        return name

    def widths(self) -> str:
        total = sum(c.weight for c in self.cols)
        return " ".join(str(max(1, round(100 * c.weight / total))) for c in self.cols)

    def table(self, rows: list[Row], prev: list[Row]) -> None:
        cells, nh = self.grid_model(rows, prev)
        cls = self.table_class(rows, nh)
        if self.o["table_kind"] == "list":
            self.list_table(cells, nh, len(rows), cls)
        else:
            self.grid_table(cells, nh, len(rows), cls)

    def list_table(self, cells: list, nh: int, nrows: int, cls: str | None) -> None:
        L = self.lines
        L += [".. list-table::", f"   :header-rows: {nh}", f"   :widths: {self.widths()}"]
        if cls:
            L.append(f"   :class: {cls}")
        L.append("")
        grid: dict[tuple[int, int], list] = {(c[0], c[1]): c for c in cells}
        for ri in range(nh + nrows):
            for m in range(len(self.cols)):
                c = grid[(ri, m)]
                lines = cell_lines(self.t(c[4]), "th" if c[5] == "th" and "\n" in c[4] else None)
                lead = "   * - " if m == 0 else "     - "
                if not lines:
                    L.append(lead.rstrip())
                    continue
                L.append(lead + lines[0])
                L += [("       " + x) if x else "" for x in lines[1:]]
        L.append("")

    def grid_table(self, cells: list, nh: int, nrows: int, cls: str | None) -> None:
        """A docutils grid table: column widths in characters wide enough for every line, spans by leaving out
        the separators; `.. table::` gives the printed widths."""
        ncol, nrow = len(self.cols), nh + nrows
        content = {}
        for c in cells:
            content[(c[0], c[1])] = cell_lines(self.t(c[4]), "th" if c[5] == "th" and "\n" in c[4] else None)
        owner: dict[tuple[int, int], tuple[int, int]] = {}
        for c in cells:
            for a in range(c[0], c[0] + c[2]):
                for b in range(c[1], c[1] + c[3]):
                    owner[(a, b)] = (c[0], c[1])
        span = {(c[0], c[1]): (c[2], c[3]) for c in cells}
        w = [4] * ncol
        for c in cells:
            need = max([colw(x) for x in content[(c[0], c[1])]] + [1]) + 2
            if c[3] == 1:
                w[c[1]] = max(w[c[1]], need)
        for c in cells:  # a spanning cell wider than its columns widens the last of them
            need = max([colw(x) for x in content[(c[0], c[1])]] + [1]) + 2
            have = sum(w[c[1] : c[1] + c[3]]) + c[3] - 1
            if need > have:
                w[c[1] + c[3] - 1] += need - have
        # lines per row: enough for every cell that ends in the row
        h = [1] * nrow
        for c in cells:
            n = len(content[(c[0], c[1])])
            have = sum(h[c[0] : c[0] + c[2]]) + c[2] - 1
            if n > have:
                h[c[0] + c[2] - 1] += n - have

        def sep(r: int) -> str:
            """The line above row r (r == nrow: the bottom)."""
            ch = "=" if r == nh and nh else "-"
            segs = []
            for b in range(ncol):
                inside = 0 < r < nrow and owner[(r, b)] == owner[(r - 1, b)]
                segs.append(None if inside else ch * w[b])
            out = ""
            for b in range(ncol + 1):
                left = segs[b - 1] if b > 0 else None
                right = segs[b] if b < ncol else None
                # a joint: '+' where a horizontal line meets it, '|' where only a vertical border passes
                out += "+" if left is not None or right is not None else "|"
                if b < ncol:
                    out += right if right is not None else self._inside_text(b, r, owner, content, w, h, span)
            return out

        lines = [sep(0)]
        for r in range(nrow):
            for k in range(h[r]):
                lines.append(self._content_line(r, k, owner, content, w, h, span))
            lines.append(sep(r + 1))
        L = self.lines
        L += [".. table::", f"   :widths: {self.widths()}"]
        if cls:
            L.append(f"   :class: {cls}")
        L.append("")
        L += ["   " + x for x in lines]
        L.append("")

    def _cell_line(self, top: tuple[int, int], r: int, k: int, content, w, h, span) -> str:
        """Line k of row r inside the cell owned by `top`, padded to the cell's width."""
        rs, cs = span[top]
        offset = sum(h[top[0] : r]) + (r - top[0]) + k
        text = content[top]
        s = text[offset] if offset < len(text) else ""
        width = sum(w[top[1] : top[1] + cs]) + cs - 1
        return " " + s + " " * (width - 1 - colw(s))

    def _inside_text(self, b: int, r: int, owner, content, w, h, span) -> str:
        """The text of a spanning cell on the separator line above row r in column b (only at its first column)."""
        top = owner[(r, b)]
        if top[1] != b:
            return ""
        rs, cs = span[top]
        # the separator line is line index: lines of rows top..r-1 plus separators between them
        offset = sum(h[top[0] : r]) + (r - 1 - top[0])
        text = content[top]
        s = text[offset] if offset < len(text) else ""
        width = sum(w[b : b + cs]) + cs - 1
        return " " + s + " " * (width - 1 - colw(s))

    def _content_line(self, r: int, k: int, owner, content, w, h, span) -> str:
        out = "|"
        b = 0
        ncol = len(w)
        while b < ncol:
            top = owner[(r, b)]
            cs = span[top][1]
            out += self._cell_line(top, r, k, content, w, h, span) + "|"
            b += cs
        return out

    # --- style sheet ----------------------------------------------------------------------------------------

    def stylesheet(self, font_file: str) -> dict:
        o, st = self.o, self.st
        pt = float(self.state["font_pt"])
        lead = round(pt * o["leading"], 2)
        name = Path(font_file).stem
        aliases = [f"font{k}{v}" for k in ("Serif", "Sans", "Mono") for v in ("", "Bold", "Italic", "BoldItalic")] + [
            "stdFont",
            "stdBold",
            "stdItalic",
            "stdBoldItalic",
            "stdSans",
            "stdSansBold",
            "stdMono",
        ]
        setup = dict(PAGES[o["page"]][0])
        m = f"{o['margin_cm']}cm"
        setup.update({"margin-top": m, "margin-bottom": m, "margin-left": m, "margin-right": m})
        setup["firstTemplate"] = "coverPage"
        bg = {"background": "WATERMARK_PNG", "background_fit_mode": "scale"} if st["watermark"] else {}
        frame = [["0%", "0%", "100%", "100%"]]
        templates = {
            "coverPage": {"frames": frame, "showHeader": False, "showFooter": False},
            "mainPage": {"frames": frame, "showHeader": True, "showFooter": True, **bg},
            "closingPage": {"frames": frame, "showHeader": False, "showFooter": bool(o["footer"])},
        }
        halign = {"left": "TA_LEFT", "center": "TA_CENTER"}[st["halign"]]
        fill = HEAD_FILLS[o["head_fill"]]
        wrap = "CJK" if o["wrap"] == "CJK" else None
        styles = {
            "base": {"fontName": name, "fontSize": pt, "leading": lead, "wordWrap": wrap},
            "normal": {"fontName": name, "fontSize": pt, "leading": lead, "wordWrap": wrap},
            "bodytext": {"alignment": "TA_LEFT", "hyphenation": False, "spaceBefore": 4},
            "heading": {"fontName": name, "textColor": NAVY, "spaceBefore": 0, "spaceAfter": 8},
            "heading1": {
                "fontSize": o["title_pt"],
                "leading": round(o["title_pt"] * 1.25, 1),
                "alignment": o["title_align"],
            },
            "theme-title": {
                "parent": "heading1",
                "fontSize": o["title_pt"],
                "leading": round(o["title_pt"] * 1.25, 1),
                "spaceBefore": 14,
            },
            "table-body": {"parent": "normal", "alignment": halign},
            "table-heading": {
                "parent": "normal",
                "alignment": "TA_CENTER",
                "fontName": name,
                "backColor": fill,
                "textColor": "#FFFFFF" if o["head_fill"] == "navy" else "#000000",
                "valign": "MIDDLE",
            },
            "lineblock": {"parent": "table-body", "spaceBefore": 0, "spaceAfter": 0},
            "line": {"parent": "lineblock", "spaceBefore": 0},
            "th": {
                "parent": "table-heading",
                "spaceBefore": 0,
                "textColor": "#FFFFFF" if o["head_fill"] == "navy" else "#000000",
                "backColor": None,
            },
            "cover-title": {"parent": "normal", "fontSize": 30, "leading": 40, "alignment": "TA_CENTER"},
            "cover-subtitle": {"parent": "normal", "fontSize": 24, "leading": 32, "alignment": "TA_CENTER"},
            "closing": {"parent": "normal", "fontSize": 36, "leading": 44, "alignment": "TA_CENTER"},
            "profile": {"parent": "normal", "fontSize": 14, "leading": 20, "leftIndent": 30, "spaceBefore": 4},
            "mapdate": {"parent": "normal", "fontSize": 12, "leading": 16, "alignment": "TA_RIGHT"},
            "map": {
                "parent": "table",
                "commands": [
                    ["GRID", [0, 0], [-1, -1], 0.5, "#000000"],
                    ["BACKGROUND", [0, 0], [0, -1], HEAD_FILLS["light"]],
                    ["VALIGN", [0, 0], [-1, -1], "MIDDLE"],
                ],
            },
            "header": {
                "parent": "normal",
                "fontSize": 8,
                "leading": 10,
                "textColor": "#646464",
                "alignment": "TA_RIGHT",
            },
            "footer": {
                "parent": "normal",
                "fontSize": 8,
                "leading": 10,
                "textColor": "#646464",
                "alignment": "TA_CENTER" if o["footer"] in ("dash", "page") else "TA_RIGHT",
            },
        }
        for tb in self.tables:
            styles[tb["name"]] = {"parent": "table", "commands": tb["commands"]}
        return {
            "embeddedFonts": [[font_file] * 4],
            "fontsAlias": {a: name for a in aliases},
            "pageSetup": setup,
            "pageTemplates": templates,
            "styles": styles,
        }


# rst2pdf's default `table` style commands (styles.yaml), copied into a class for decks that keep the default
# look but need a band fill
DEFAULT_TABLE = [
    ["VALIGN", [0, 0], [-1, -1], "TOP"],
    ["INNERGRID", [0, 0], [-1, -1], 0.25, "black"],
    ["ROWBACKGROUNDS", [0, 0], [-1, -1], ["white", "#E0E0E0"]],
    ["BOX", [0, 0], [-1, -1], 0.25, "black"],
]


@cache
def _watermark_png(w: int, h: int, family: str) -> str:
    from .r_rinoh import _watermark_png as wm

    return wm(w, h, family)


def font_for(opts: dict, deck: Deck, chars: set[str]) -> str:
    """The TrueType file rst2pdf registers (named after the file)."""
    if opts["font"] == "noto_ttf":
        from .r_rinoh import face_for_rinoh

        return face_for_rinoh(deck.style["font"], "subset", chars | set("0123456789/- ｜"))
    return face_file(opts["font"])


def _run(doc: Doc, src: str, out_pdf: Path, keep: Path | None = None) -> str:
    o = doc.o
    with tempfile.TemporaryDirectory(prefix="r_rst2pdf-") as tmp:
        tp = Path(tmp)
        ff = font_for(o, doc.d, doc.chars)
        # rst2pdf names the font after the file (and takes it as TrueType only if it ends in .ttf)
        name = "Noto" + doc.d.style["font"].split()[1] + "TC" if o["font"] == "noto_ttf" else Path(ff).stem
        local = tp / f"{name}.ttf"
        shutil.copyfile(ff, local)
        sheet = doc.stylesheet(str(local))
        if doc.st["watermark"]:
            wpt, hpt = PAGES[o["page"]][1]
            sheet["pageTemplates"]["mainPage"]["background"] = _watermark_png(int(wpt), int(hpt), doc.face)
        (tp / "deck.yaml").write_text(json.dumps(sheet, ensure_ascii=False, indent=1), encoding="utf-8")
        (tp / "deck.rst").write_text(src, encoding="utf-8")
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            for f in ("deck.yaml", "deck.rst"):
                (keep / f).write_bytes((tp / f).read_bytes())
        cmd = [RST2PDF_BIN, "-s", str(tp / "deck.yaml"), "-o", str(out_pdf), "--smart-quotes=0"]
        if o["breaks"] == "break_level":
            cmd += ["-b", "1"]
        if o["repeat_rows"]:
            cmd.append("--repeat-table-rows")
        if o["compressed"]:
            cmd.append("-c")
        cmd.append(str(tp / "deck.rst"))
        if out_pdf.exists():
            out_pdf.unlink()
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=tmp)
        log = proc.stdout + proc.stderr
        if proc.returncode or not out_pdf.exists():
            raise RenderError(log.strip()[-1500:])
        return log


class RenderError(Exception):
    pass


def _pages_of(pdf: Path, deck: Deck) -> dict[str, list[int]]:
    from .r_asciidoctor import _pages_of as pages_of

    return pages_of(pdf, deck)


def _slides_fit(deck: Deck, opts: dict, pages: dict[str, list[int]], pdf: Path) -> bool:
    from .r_asciidoctor import _slides_fit as fit

    return fit(deck, opts, pages, pdf)


def _title_alone(pdf: Path, deck: Deck, state: dict, pages: dict[str, list[int]]) -> bool:
    from .r_asciidoctor import _title_alone as alone

    return alone(pdf, deck, state, pages)


def _outside(pdf: Path) -> bool:
    from .r_asciidoctor import _outside as outside

    return outside(pdf)


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide, lowered until every part fits
    its page).  A row (or span group) taller than a page makes the type smaller, then drops the spans."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    if opts["page"] not in PAGES:
        opts["page"] = "A4L"
    out_pdf = Path(out_pdf)
    tool_version()
    state = {"font_pt": opts["font_pt"], "spans": True, "fresh": set(), "default_cmds": DEFAULT_TABLE}
    log = ""
    for _ in range(40):
        doc = Doc(deck, opts, state)
        src = doc.source()
        try:
            log = _run(doc, src, out_pdf)
            if "too large" in log:
                raise RenderError("too large")
        except RenderError as e:
            if "too large" not in str(e) and "LayoutError" not in str(e):
                raise
            if state["font_pt"] > 6:
                state["font_pt"] -= 1
            elif state["spans"] and opts["table_kind"] == "grid":
                state["spans"] = False
            else:
                raise RuntimeError(f"{deck.stem}: a row does not fit a page: {str(e)[-300:]}") from None
            continue
        pages = _pages_of(out_pdf, deck)
        if not opts["flow"]:
            if not _slides_fit(deck, opts, pages, out_pdf) or _outside(out_pdf):
                if opts["max_rows"] > 1:
                    opts["max_rows"] -= 1
                    continue
                if state["font_pt"] > 6:
                    state["font_pt"] -= 1
                    continue
                raise RuntimeError(f"{deck.stem}: a one-row slide does not fit its page")
        elif _title_alone(out_pdf, deck, state, pages):
            continue  # a theme title (and head) left at a page foot: the author starts that theme on a new page
        elif _outside(out_pdf) or any(len(v) != 1 for v in pages.values()):
            if state["font_pt"] > 6:
                state["font_pt"] -= 1
                continue
            raise RuntimeError(f"{deck.stem}: the flowing tables do not settle")
        break
    else:
        raise RuntimeError(f"{deck.stem}: the rst2pdf layout did not settle")
    opts["font_pt"] = state["font_pt"]
    if opts["table_kind"] == "grid" and not state["spans"]:
        opts["spans_dropped"] = True
    if opts["flow"]:
        opts.pop("max_rows")
        opts["theme_page"] = sorted(state["fresh"])
    warnings = [x for x in log.splitlines() if "ERROR" in x or "CRITICAL" in x]
    if warnings:
        opts["warnings"] = warnings[:5]
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts


def main() -> None:
    """python -m tests.realtools.r_rst2pdf OUT_DIR [seed]: one deck with its rst source and style sheet kept."""
    import sys

    from .spec import Office

    out = Path(sys.argv[1])
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = random.Random(seed)
    office = Office(seed, "try")
    deck = office.deck(112, f"try-{seed}")
    opts = producer_options(rng, deck.style)
    out.mkdir(parents=True, exist_ok=True)
    used = render(deck, out / f"try-{seed}.pdf", opts)
    doc = Doc(
        deck,
        used,
        {
            "font_pt": used["font_pt"],
            "spans": not used.get("spans_dropped"),
            "fresh": set(),
            "default_cmds": DEFAULT_TABLE,
        },
    )
    _run(doc, doc.source(), out / f"try-{seed}.pdf", keep=out / f"src-{seed}")
    print(json.dumps({k: v for k, v in used.items()}, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
