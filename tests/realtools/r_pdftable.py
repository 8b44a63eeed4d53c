"""PDF::Table renderer: the deck printed in Perl by PDF::Table 1.003 (Debian 12's libpdf-table-perl 1:1.003-1, the
table module of Perl back-office systems) on PDF::API2 2.044 or PDF::Builder 3.025, through a small driver
(`r_pdftable.pl`) that reads a JSON job written by this module: titles and furniture placed by hand on the page,
every table laid out, wrapped and paginated by `PDF::Table->table($pdf, $page, $data, %settings)`.

Pages: slides (4:3, 16:9, A4 landscape; the deck's rows per slide, one `table()` call per slide, a spill onto a
second page refused and the type made smaller or the slide given fewer rows) or a document on A4 (portrait, by
`mediabox('A4')` or in points, or landscape) that PDF::Table paginates itself: `y`/`h` for the first page,
`next_y`/`next_h` for the pages it adds through `new_page_func` (running header and footer, optionally the theme
title again), the head row repeated (`header_props => {repeat => 1}`), themes one after another below the last
table (`table()` returns the final page and y) or each on a new page.  PDF::Table cuts a row whose text does not
fit at the page foot (the rest continues on the next page under a dashed rule, empty cells printing the default
text): an author who saw that sets every row's `min_rh` to its height, measured by a dry run of the same table on
a scratch document (`cell_render_hook` reports each cell's height), so rows move whole (`keep_rows`).

Layout quirks: one head row only (the two-row year head is slides-only: the group row is the header with
`colspan`, the year row a body row styled as a head by `cell_props`, counted by the zebra); no rowspan ("TBD
rowspan!"), so 構面 labels are a column (repeated, or blank on continuation rows), stacked one character a line
in a narrow column, or band rows (`colspan` over the table, filled); no turned text.  Line breaking is at
whitespace only (`split /\\s+/`, the line joined again by single spaces), `\\n` starts a paragraph, and a word
wider than a fixed column kills the run ("first word in paragraph ... doesn't fit into empty line!"), so CJK text
reaches it pre-wrapped (`prewrap`: lines cut at any character with the library's own widths, joined by '\\n'),
with a space after every ideograph (`spaces`: the text layer then holds '提 升 為 民 服 務'), or left to
`max_word_length` (`max_word`: PDF::Table puts a space after every N non-space characters, wherever that falls;
only the global setting works, the per-column one is looked up as 'max_word_len').  The default
`max_word_length` 20 also breaks prewrapped lines of more than 20 ideographs with a visible space, unless the
author raised it.  Column widths from `size` (relative '2.3*' or absolute points) or computed by PDF::Table from
the longest word and the whole text of each column (widening the table past `w`, with a warning, when the
longest words do not fit: the type is then made smaller).  Empty cells print `default_text`, '-' unless set; an
author's `default_text => ''` is taken as unset (`||`), so '-' it is (`empty`).  `v_border_w => 0` falls back to
`border_w` (`||`), so horizontal-only rules are `border_w => 0, h_border_w => w, v_rule_w => 0`.  Zebra by
`bg_color_odd`/`bg_color_even`: the POD says the first body row is odd, the code makes it even.  Head rows are
drawn in #000066 on #FFFFAA unless given colours, two points larger than the body unless given a size.  Per page
PDF::Table makes a fill stream, a text stream and a rule stream (one text object per table page; `translate` +
`text`/`text_center`/`text_right` per line).

Fonts: a TrueType face of fonts.py by `$pdf->ttfont` (Type0 Identity-H; Noto CJK faces are refused by PDF::API2,
so such decks use a TrueType face: `cff_refused`), one face for the body and optionally WenQuanYi Zen Hei for the
head row and titles; or the non-embedded `$pdf->cjkfont('Ming')` (no ToUnicode; ≥ ≤ lack a CID there, and
PDF::Table sets a whole cell in one font, so they are printed ≧ ≦).  Furniture: running header (office,
策略地圖與平衡計分卡, a rule) drawn on each new page, footers '- n -' drawn with the page or '- n -' / 'n / N' in a
second pass (`$pdf->openpage`).  Document information none or Title/Author; streams compressed or not.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from . import r_pdfapi2
from .draw_common import SIZES
from .fonts import TRUETYPE, face_file, printable
from .layout import Col, Row, check, chunk, columns, continues, find_pages, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, fold

PDFTABLE = "1.003"  # Debian 12's libpdf-table-perl 1:1.003-1 (README, Setup)
DRIVER = Path(__file__).with_name("r_pdftable.pl")
PAGE_SIZES = {**SIZES, "A4": (595.0, 842.0)}
BOLD_FACE = "WenQuanYi Zen Hei"
HEAD_FILLS = {"light": "#d9e5f7", "gray": "#e0e0e0", "sand": "#faedd1", "navy": "#1f3b69"}
ZEBRA_FILLS = {"blue": "#eef2f8", "gray": "#f0f0f0"}
RULE_COLORS = {"black": "#000000", "gray": "#808080", "navy": "#1f3b69"}
NAVY = "#1f3b69"


@cache
def installed_version() -> str:
    proc = subprocess.run(["perl", "-MPDF::Table", "-e", "print $PDF::Table::VERSION"], capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError("PDF::Table is not installed: apt-get install -y libpdf-table-perl")
    if proc.stdout.strip() != PDFTABLE:
        raise RuntimeError(f"PDF::Table {PDFTABLE} is wanted, perl has {proc.stdout.strip()}")
    return proc.stdout.strip()


@cache
def tool_version(engine: str | None = None) -> str:
    engine = engine or "PDF::API2"
    return f"PDF::Table {installed_version()} on {r_pdfapi2.tool_version(engine)}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.45
    kind = rng.choice(["ttf", "ttf", "ttf", "cjk"])
    noto = style["font"] not in TRUETYPE
    font = rng.choice(TRUETYPE) if noto else style["font"]
    wrapmode = rng.choice(["prewrap", "prewrap", "spaces", "max_word"])
    footer = rng.choice([None, "dash", "dash", "of"])
    return {
        "engine": rng.choice(["PDF::API2", "PDF::API2", "PDF::Builder"]),
        "flow": flow,
        "page": rng.choice(["A4", "A4", "A4L"]) if flow else style["page"],
        "named_a4": rng.random() < 0.5,
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "head_pt": rng.choice(["default", "same"]),
        "font_kind": kind,
        "font": "Ming" if kind == "cjk" else font,
        "cff_refused": style["font"] if noto and kind == "ttf" else None,
        "head_face": kind == "ttf" and font != BOLD_FACE and rng.random() < 0.4,
        "subset": rng.random() < 0.9,
        "wrap": wrapmode,
        "max_word": rng.choice([10, 12, 14]) if wrapmode == "max_word" else rng.choice([None, None, 99]),
        "widths": {"prewrap": rng.choice(["rel", "pt"]), "spaces": rng.choice(["auto", "auto", "rel"])}.get(
            wrapmode, "auto"
        ),
        "padding": rng.choice([2, 2, 3, 4]),
        "leading": rng.choice([None, None, 1.4]),
        "border_w": rng.choice([0.5, 1, 1, 1.5]),
        "rule_w": rng.choice([0.25, 0.5, 1]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "head_fill": rng.choice(["default", "light", "gray", "sand", "navy", None]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "zebra_first": rng.choice(["even", "odd"]),
        "value_justify": rng.choice(["left", "center", "right"]),
        "empty": rng.random() < 0.15,
        "persp_as": {"band": "band", "column": "column"}.get(style["persp_mode"], "stacked"),
        "theme_break": rng.random() < 0.6,
        "cont_title": rng.random() < 0.5,
        "keep_rows": True,
        "header": rng.random() < 0.5,
        "footer": footer,
        "footer_pass": "second" if footer == "of" else rng.choice(["page", "second"]),
        "footer_align": rng.choice(["right", "center"]),
        "footer_org": rng.random() < 0.4,
        "map_table": rng.random() < 0.7,
        "compress": rng.random() < 0.8,
        "info": rng.random() < 0.5,
    }


@cache
def _metrics(path: str) -> tuple[dict, dict, int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm


class Measure:
    """Widths as PDF::API2 measures them (int(advance * 1000 / unitsPerEm) per glyph, or the cjkfont's table)."""

    def __init__(self, opts: dict, head: bool = False) -> None:
        self.o = opts
        self.file = None
        if opts["font_kind"] == "ttf":
            self.file = face_file(BOLD_FACE if head and opts["head_face"] else opts["font"])

    def printed(self, s: str) -> str:
        if self.o["font_kind"] == "cjk":
            widths = r_pdfapi2._cjk_metrics(r_pdfapi2.CJK_NAME)[0]
            s = s.replace("≥", "≧").replace("≤", "≦")
            return "".join(c if ord(c) in widths or c in "\n " else fold(c) for c in s)
        fam = BOLD_FACE if self.file == face_file(BOLD_FACE) else self.o["font"]
        return printable(s, fam)

    def width(self, s: str, size: float) -> float:
        if self.file is None:
            widths, missing = r_pdfapi2._cjk_metrics(r_pdfapi2.CJK_NAME)
            return sum(widths.get(ord(c), missing) for c in s) * size / 1000
        cmap, hmtx, upm = _metrics(self.file)
        return sum(int(hmtx[cmap.get(ord(c), ".notdef")][0] * 1000 / upm) for c in s) * size / 1000


def _cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF


def spaced(s: str) -> str:
    """A space after every ideograph (and before one that follows other text), as a helper of the author's does
    so that PDF::Table may break lines there."""
    out = []
    for i, ch in enumerate(s):
        if out and ch not in " \n" and out[-1] not in " \n" and (_cjk(ch) or _cjk(s[i - 1])):
            out.append(" ")
        out.append(ch)
    return "".join(out)


def prewrap(m: Measure, s: str, size: float, width: float) -> str:
    """Lines cut at any character once full, measured as PDF::Table will measure them."""
    out = []
    for para in s.split("\n"):
        line = ""
        for ch in para:
            if line and m.width(line + ch, size) > width:
                out.append(line.rstrip())
                line = ch.lstrip()
            else:
                line += ch
        out.append(line)
    return "\n".join(out)


class Builder:
    """The job: blocks of pages, texts and PDF::Table tables."""

    def __init__(self, deck: Deck, opts: dict) -> None:
        self.d, self.o = deck, opts
        self.W, self.H = PAGE_SIZES[opts["page"]]
        self.body, self.head = Measure(opts), Measure(opts, head=True)
        self.blocks: list[dict] = []
        self.tables: list[dict] = []  # table block -> theme letter, for the retry logic
        self.pt = opts["font_pt"]
        self.hpt = self.pt + 2 if opts["head_pt"] == "default" else self.pt
        self.bottom = 30.0 + (12 if opts["footer"] else 0)
        self.top = 40.0 if opts["header"] else 30.0

    # -- plain pages
    def page(self, furniture: bool = True) -> None:
        self.blocks.append({"t": "page", "furniture": int(furniture)})

    def text(self, x: float, y: float, s: str, size: float, font: str = "body", color: str = "#000000", align=None):
        m = self.head if font == "head" else self.body
        self.blocks.append(
            {"t": "text", "x": x, "y": y, "s": m.printed(s), "size": size, "font": font, "color": color, "align": align}
        )

    def centre(self, s: str, y: float, size: float) -> None:
        m = self.head
        while size > 12 and m.width(m.printed(s), size) > self.W - 60:
            size -= 2
        self.text(self.W / 2, y, s, size, "head", NAVY, "center")

    def draw(self) -> None:
        d = self.d
        self.page(False)
        self.blocks.append({"t": "fill", "x": 0, "y": 0, "w": self.W, "h": 18, "color": NAVY})
        self.centre(d.org, self.H * 0.38, 30)
        self.centre("策略地圖與平衡計分卡", self.H * 0.38 + 50, 26)
        self.page()
        self.text(40, self.top + 30, f"{d.org}轄區概況", 20, "head", NAVY)
        for i, line in enumerate(d.profile_lines):
            self.text(60, self.top + 80 + i * 32, line, 14)
        self.strategy_map()
        for n, t in enumerate(d.themes):
            self.theme(t, n)
        self.page(False)
        self.centre("敬請指教", self.H * 0.45, 36)

    def strategy_map(self) -> None:
        d = self.d
        self.page()
        self.text(40, self.top + 20, f"{d.org}策略地圖", 20, "head", NAVY)
        self.text(self.W - 40, self.top + 20, d.map_date, 14, align="right")
        names = "、".join(t.shown for t in d.themes)
        self.text(40, self.top + 44, f"願景：{names}", 9)
        if not self.o["map_table"]:
            return
        rows = [["構面", "策略目標"]]
        for p in BSC_ORDER:
            objs = [o.shown for t in d.themes for o in t.objectives if o.perspective == p]
            if objs:
                rows.append([f"{p}構面", "、".join(dict.fromkeys(objs))])
        w = self.W - 80
        rows = [[self.body.printed(c) for c in r] for r in rows]
        rows[1:] = [[r[0], prewrap(self.body, r[1], 10, w * 0.8 - 12)] for r in rows[1:]]
        props = self.common(10, 10)
        props.update(size="1* 4*", column_props=[{"justify": "center"}, {}])
        self.blocks.append(
            {
                "t": "table",
                "x": 40,
                "w": w,
                "y": self.top + 56,
                "bottom": self.bottom,
                "top": self.top,
                "data": rows,
                "props": props,
                "keep_rows": False,
                "flow": False,
            }
        )

    # -- tables
    def common(self, pt: float, hpt: float) -> dict:
        o, st = self.o, self.d.style
        props: dict = {"font": "body", "font_size": pt, "padding": o["padding"]}
        if o["leading"]:
            props["leading"] = round(pt * o["leading"], 2)
        rules, rc = st["rules"], RULE_COLORS[o["rule_color"]]
        if rules == "grid":
            props.update(border_w=o["border_w"], rule_w=o["rule_w"], border_c=rc, rule_c=rc)
        elif rules == "hrules" or (rules == "zebra" and o["border_w"] > 0.5):
            props.update(border_w=0, h_border_w=o["border_w"], v_rule_w=0, h_rule_w=o["rule_w"], border_c=rc, rule_c=rc)
        else:
            props.update(border_w=0, rule_w=0)
        if rules == "zebra":
            props[f"bg_color_{o['zebra_first']}"] = ZEBRA_FILLS[o["zebra_fill"]]
        head: dict = {"repeat": 1, "font": "head" if o["head_face"] else "body", "justify": "center"}
        if o["head_pt"] == "same":
            head["font_size"] = hpt
        fill = o["head_fill"]
        if fill is None:
            head.update(bg_color="#ffffff", fg_color="#000000")
        elif fill != "default":
            head.update(bg_color=HEAD_FILLS[fill], fg_color="#ffffff" if fill == "navy" else "#000000")
        props["header_props"] = head
        props["default_text"] = "" if o["empty"] else " "
        if o["max_word"]:
            props["max_word_length"] = o["max_word"]
        return props

    def theme(self, t, n: int) -> None:
        d, o, st = self.d, self.o, self.d.style
        band = o["persp_as"] == "band"
        cols = columns(d, band)
        if o["persp_as"] == "stacked":
            cols[0].weight = 0.55
        rows = theme_rows(d, t, band)
        two = st["year_header"] == "two_row" and not o["flow"]
        x0 = 30.0
        w = self.W - 60
        total = sum(c.weight for c in cols)
        widths = [w * c.weight / total for c in cols]
        # a fixed column must hold one character of the head (PDF::Table dies on a word wider than its column)
        least = max(self.pt, self.hpt) * 1.1 + 2 * o["padding"] + 2
        if any(x < least for x in widths):
            for j, c in enumerate(cols):
                c.weight = max(widths[j], least) * total / w
            total = sum(c.weight for c in cols)
            widths = [w * c.weight / total for c in cols]
        if o["flow"]:
            if n == 0 or o["theme_break"]:
                self.page()
            title = {"s": self.head.printed(theme_title(d, t)), "size": 16, "font": "head", "color": NAVY}
            block = self.table_block(cols, rows, [], widths, two, x0, w)
            block.update(flow=True, gap=24, title=title, keep_rows=o["keep_rows"])
            block["cont_title"] = title if o["cont_title"] else None
            self.blocks.append(block)
            self.tables.append(block)
            return
        parts = chunk(rows, o["max_rows"])
        prev: list[Row] = []
        for i, part in enumerate(parts, 1):
            self.page()
            title = {"s": self.head.printed(theme_title(d, t, i, len(parts))), "size": 18, "font": "head"}
            title["color"] = NAVY
            block = self.table_block(cols, part, prev, widths, two, x0, w)
            block.update(y=self.top + 4, title=title, flow=False, keep_rows=False)
            self.blocks.append(block)
            self.tables.append(block)
            prev = part

    def cell(self, s: str, width: float, head: bool = False) -> str:
        m = self.head if head else self.body
        s = m.printed(s)
        if self.o["wrap"] == "spaces":
            return spaced(s)
        if self.o["wrap"] == "prewrap":
            size = self.hpt if head else self.pt
            return prewrap(m, s, size, width - 2 * self.o["padding"] - 1)
        return s

    def table_block(self, cols: list[Col], rows: list[Row], prev: list[Row], widths, two, x0, w) -> dict:
        o, st = self.o, self.d.style
        n = len(cols)
        data: list[list] = []
        cell_props: list[list] = []
        col_props = []
        for c in cols:
            cp: dict = {}
            if c.id in ("a0", "a1", "a2", "t", "w"):
                cp["justify"] = o["value_justify"]
            elif c.id == "persp" or st["halign"] == "center":
                cp["justify"] = "center"
            col_props.append(cp)
        if two:
            top, sub = [], []
            cprops: list = [{} for _ in cols]
            j = 0
            while j < n:
                c = cols[j]
                if c.group:
                    span = sum(1 for k in cols[j:] if k.group == c.group)
                    top += [self.cell(c.group, sum(widths[j : j + span]), True)] + [None] * (span - 1)
                    cprops[j] = {"colspan": span}
                    sub += [self.cell(k.sub or "", widths[j + i], True) for i, k in enumerate(cols[j : j + span])]
                    j += span
                else:
                    top.append(self.cell(c.label, widths[j], True))
                    sub.append(" ")
                    j += 1
            data += [top, sub]
            fill = o["head_fill"]
            hp = {"font": "head" if o["head_face"] else "body", "font_size": self.hpt, "justify": "center"}
            if fill and fill != "default":
                hp.update(bg_color=HEAD_FILLS[fill], fg_color="#ffffff" if fill == "navy" else "#000000")
            elif fill == "default":
                hp.update(bg_color="#ffffaa", fg_color="#000066")
            cell_props += [cprops, [dict(hp) for _ in cols]]
        else:
            labels = []
            for c in cols:
                label = c.label if not c.group else f"{c.sub}\n{c.group}"
                labels.append(label)
            data.append([self.cell(s, widths[j], True) for j, s in enumerate(labels)])
            cell_props.append([{} for _ in cols])
        last_persp, last_obj = None, None
        for r in rows:
            if r.kind == "band":
                label = self.cell(r.cells["band"], w)
                data.append([label] + [None] * (n - 1))
                fill = HEAD_FILLS["gray" if o["head_fill"] != "gray" else "light"]
                cell_props.append([{"colspan": n, "bg_color": fill, "font": "head" if o["head_face"] else "body"}])
                last_persp = None
                continue
            row = []
            for j, c in enumerate(cols):
                text = r.cells.get(c.id, "")
                if c.id == "persp":
                    cont = r.persp == last_persp or (last_persp is None and continues(prev, r, "persp"))
                    if cont and st["blank_cont"]:
                        text = ""
                    elif o["persp_as"] == "stacked":
                        text = "\n".join(text)
                elif c.id == "obj":
                    cont = r.obj is last_obj or (last_obj is None and continues(prev, r, "obj"))
                    if cont and st["blank_cont"]:
                        text = ""
                row.append(self.cell(text, widths[j]) if text else "")
            last_persp, last_obj = r.persp, r.obj
            data.append(row)
            cell_props.append([{} for _ in cols])
        props = self.common(self.pt, self.hpt)
        props.update(column_props=col_props, cell_props=cell_props)
        if o["widths"] == "rel":
            props["size"] = " ".join(f"{c.weight:g}*" for c in cols)
        elif o["widths"] == "pt":
            props["size"] = " ".join(f"{x:.2f}" for x in widths)
        return {"t": "table", "x": x0, "w": w, "bottom": self.bottom, "top": self.top, "data": data, "props": props}


def _run(job: dict) -> dict:
    installed_version()
    r_pdfapi2.installed_version(job["engine"])
    with tempfile.TemporaryDirectory(prefix="r_pdftable-") as tmp:
        path, report = Path(tmp) / "job.json", Path(tmp) / "report.json"
        path.write_text(json.dumps({**job, "report": str(report)}, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(["perl", str(DRIVER), str(path)], capture_output=True, text=True, timeout=900)
        if proc.returncode or not Path(job["out"]).exists():
            raise RuntimeError(f"PDF::Table failed: {proc.stderr.strip()[-3000:]}")
        return json.loads(report.read_text(encoding="utf-8"))


def _fonts(opts: dict) -> dict:
    if opts["font_kind"] == "cjk":
        return {"body": {"kind": "cjk", "name": r_pdfapi2.CJK_NAME}, "head": None}
    head = {"kind": "ttf", "file": face_file(BOLD_FACE), "subset": True} if opts["head_face"] else None
    return {"body": {"kind": "ttf", "file": face_file(opts["font"]), "subset": opts["subset"]}, "head": head}


def _print_values(deck: Deck, opts: dict) -> None:
    """≥ ≤ have no CID in the Ming cjkfont: the author prints ≧ ≦ (the deck's printed text, not its truth)."""
    if opts["font_kind"] != "cjk":
        return
    for _, _, k in deck.kpis():
        for v in k.values:
            v.text = v.text.replace("≥", "≧").replace("≤", "≦")


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide).  A slide table that spills onto
    a second page, text outside the page or a table PDF::Table widened past its width make the type smaller
    (then, for slides, fewer rows per slide; a `max_word` table widened is printed `spaces` instead)."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    opts.setdefault("max_rows", st["max_rows"])
    _print_values(deck, opts)
    info = {"Title": f"{deck.org}策略地圖與平衡計分卡", "Author": deck.org} if opts["info"] else None
    furniture = {
        "header": opts["header"],
        "org": deck.org,
        "title": "策略地圖與平衡計分卡",
        "footer": opts["footer"],
        "footer_pass": opts["footer_pass"],
        "footer_align": opts["footer_align"],
        "footer_org": opts["footer_org"],
    }
    while True:
        b = Builder(deck, opts)
        b.draw()
        named = "A4" if opts["page"] == "A4" and opts["named_a4"] else None
        job = {"engine": opts["engine"], "fonts": _fonts(opts), "compress": opts["compress"], "info": info}
        job.update(page=[b.W, b.H], named=named, furniture=furniture, blocks=b.blocks, out=str(out_pdf))
        try:
            rep = _run(job)
        except RuntimeError as e:
            # a word wider than its fixed column: the author lets PDF::Table size the columns, or sets smaller type
            if "doesn't fit into empty line" not in str(e) or (opts["widths"] == "auto" and opts["font_pt"] <= 6):
                raise
            if opts["widths"] != "auto" and opts["wrap"] != "prewrap":
                opts["widths"] = "auto"
            else:
                opts["font_pt"] -= 1
            continue
        tables = rep["tables"][-len(b.tables) :] if b.tables else []
        spill = not opts["flow"] and any(t["pages"] > 1 for t in tables)
        widened = any("expanded" in w for t in tables for w in t["warnings"])
        problems = []
        if not spill:
            find_pages(out_pdf, deck)
            problems = check(out_pdf, deck)
        bad = spill or widened or any("outside the page" in p for p in problems)
        if bad and widened and opts["wrap"] == "max_word":
            opts.update(wrap="spaces", max_word=None)
            continue
        if bad and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        if bad and spill and opts["max_rows"] > 1:
            opts["max_rows"] -= 1
            continue
        break
    if spill:
        raise RuntimeError(f"{deck.stem}: a slide table does not fit its slide")
    opts["warnings"] = sorted({" ".join(w.split()).split(" at /")[0] for t in rep["tables"] for w in t["warnings"]})
    opts["problems"] = problems
    return opts


if __name__ == "__main__":  # a quick look: python -m tests.realtools.r_pdftable OUT.pdf [seed]
    import sys

    from .spec import Office

    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = random.Random(seed)
    dk = Office(seed, "t").deck(112, "t")
    used = render(dk, sys.argv[1], producer_options(rng, dk.style))
    print(json.dumps({k: v for k, v in used.items()}, ensure_ascii=False), os.path.getsize(sys.argv[1]))
