"""Pandoc renderer: the deck kept as a Markdown report and converted by pandoc 2.17 (Debian 12's pandoc
2.17.1.1-2~deb12u1) to PowerPoint (`-t pptx`, pandoc's own slide writer), Word (`-t docx`) or OpenDocument text
(`-t odt`), each printed to PDF by LibreOffice 7.4 (Impress or Writer, `soffice --convert-to pdf`), the way people
who write reports in Markdown make their slides and documents.  Nothing is drawn by hand: the Markdown source
holds a YAML title block, `#` headings, bullet lists and one table per theme (or per '--1/2' slide), and the
look comes from pandoc's writers and an optional `--reference-doc`.

Tables: pandoc pipe tables (one line per row: a cell's line breaks become spaces, since pandoc has no hard break
in a pipe cell and raw `<br>` is dropped by these writers; relative column widths from the dashes of the
separator line, which pandoc uses because the rows are longer than `--columns`) or grid tables (multi-line cells
wrapped by the author to the column, aligned by East Asian display width as editors do; forced breaks as
trailing-backslash hard breaks or as separate paragraphs in the cell; column widths from the separator's dashes
over 72 columns, normalised when wider; `east_asian_line_breaks` so the author's wraps between two ideographs
print no space).  Pandoc 2.17 has no row or column spans in either kind, so 構面 and 策略目標 are repeated on every
row, given on the first row of their block only (blank below), or 構面 is a bold row of its own with empty cells
after it; stacked 構面 labels are one character per line in grid tables; turned labels do not exist (written
across).  The two-row year head becomes a two-line head cell (kind over year) in grid tables and one line in pipe
tables; pipe tables cannot stack a head either.  Pandoc's `smart` extension prints the author's '--1/2' as an en
dash ('–1/2') unless escaped (`\\--`).

PowerPoint: `--slide-level 1`; the YAML title block makes pandoc's title slide (org, subtitle, the map date), every
`#` heading a 'Title and Content' slide whose table pandoc places as a graphicFrame in the content placeholder's
frame: `tableStyleId` Medium Style 2 - Accent 1 fixed by pandoc (accent head row, banded rows), no explicit sizes
or fonts in the cells (the text takes the master's `otherStyle`), rows of height 0 grown by Impress, and every
column the same width: pandoc 2.17's pptx writer ignores the table's relative widths.  Rows below the slide foot
are not printed at all.  Pandoc paginates only by headings, so a theme whose table runs past the slide foot is
split by the author into '--1/2' slides of fewer rows (the deck is converted again until nothing is lost; at two
rows a slide the author makes the type a point smaller instead).  The reference deck is pandoc's own
`reference.pptx` as an author edits it (pandoc's default prints tables at 13.5 pt, one KPI a slide): slide size
16:9 (10 x 5.625 in, pandoc's), 4:3 or 16:9 wide (13.33 x 7.5 in) with the master and layout frames scaled,
theme fonts (Latin and East Asian: a face of fonts.py, or Latin left as Calibri for LibreOffice to substitute),
the table and title sizes in the master's text styles, the theme's accent colour; optionally `::: notes` speaker
notes on theme slides (not printed).

Word / ODT: a document Writer paginates: pandoc marks the head row (`w:tblHeader`, `table:table-header-rows`),
which Writer repeats on every page, but rows may split over a page; where Writer splits a KPI row the author ends
the table before it and starts it again after a page break (raw `{=openxml}` break, or a paragraph in a
'Pagebreak' style added to the reference odt) under a bold '--2/2' (or '（續）') title, converting again until no
row is split.  Themes start pages by a raw `{=openxml}` page break, by the reference's Heading 1 with
`pageBreakBefore` / `fo:break-before`, or follow on.  Reference documents made from pandoc's own: docx with A4
landscape (the reference's `w:sectPr`, which pandoc keeps), the face in every `w:rFonts`, the body size (or
pandoc's default reference: Calibri/Cambria for LibreOffice to substitute, 12 pt, US Letter portrait); odt with
A4 landscape or pandoc's US Letter portrait page layout, the face as every `style:font-name(-asian)`, the body
size, page numbers in pandoc's footer.  pandoc's docx 'Table' style (a rule under the head only), odt tables with
a thin grid; optionally a '註：' note paragraph after each theme.

Markdown quirks met: a grid-table paragraph that begins like a list marker ('82.' of a value wrapped as
'82.\n1%') becomes an ordered list starting at 82 and the number vanishes, so the author escapes it ('82\\.');
every `*_|<>[]#` in a name is backslash-escaped.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections import Counter
from functools import cache
from pathlib import Path

from .layout import Col, Row, check, chunk, columns, continues, find_pages, overflows_bottom, theme_rows, theme_title
from .soffice import to_pdf
from .spec import BSC_ORDER, Deck

# Debian 12: apt-get install -y pandoc (2.17.1.1-2~deb12u1)
PANDOC = "2.17.1.1"
FACES = ["Noto Sans CJK TC", "Noto Serif CJK TC", "WenQuanYi Zen Hei", "AR PL UMing TW", "AR PL UKai TW"]
EMU_IN = 914400
PPTX_SIZES = {
    "16:9": (9144000, 5143500, "screen16x9"),
    "4:3": (9144000, 6858000, "screen4x3"),
    "16:9w": (12192000, 6858000, None),
}


@cache
def tool_version(engine: str | None = None) -> str:
    out = subprocess.run(["pandoc", "--version"], capture_output=True, text=True)
    line = out.stdout.strip().splitlines()[0] if out.returncode == 0 else ""
    if line != f"pandoc {PANDOC}":
        raise RuntimeError(f"pandoc {PANDOC} wanted (apt-get install pandoc), got {line!r}")
    lo = subprocess.run(["soffice", "--version"], capture_output=True, text=True).stdout.strip()
    return f"{line}; {lo}"


def producer_options(rng: random.Random, style: dict) -> dict:
    target = rng.choice(["pptx", "pptx", "pptx", "docx", "docx", "odt"])
    persp = style["persp_mode"]
    labels = "band" if persp == "band" else rng.choice(["repeat", "first", "first", "band"])
    o = {
        "target": target,
        "table": rng.choice(["pipe", "grid", "grid"]),
        "labels": labels,
        "stack_persp": persp == "stacked",
        "breaks": rng.choice(["backslash", "backslash", "paragraph"]),
        "grid_cols": rng.choice([100, 120, 140]),
        "escape_dashes": rng.random() < 0.4,
        "font": style["font"] if rng.random() < 0.7 else rng.choice(FACES),
        "reference": rng.random() < 0.85,
    }
    if target == "pptx":
        o.update(
            page=rng.choice(["16:9", "16:9", "4:3", "16:9w"]),
            title_pt=rng.choice([20, 24, 28, 32]),
            latin=rng.choice(["face", "face", "Calibri"]),
            accent=rng.choice(["4F81BD", "1F3A68", "2E75B6", "548235", "7030A0", "C55A11"]),
            notes=rng.random() < 0.3,
            max_rows=style["max_rows"],
        )
        o["reference"] = True  # pandoc's own deck prints tables at 13.5 pt: one KPI a slide
        sizes = {"16:9": [7, 8, 8, 9], "4:3": [8, 9, 10, 10.5], "16:9w": [9, 10, 10.5, 12]}
        o["font_pt"] = rng.choice(sizes[o["page"]])
    else:
        o.update(
            font_pt=rng.choice([9, 10, 10.5, 11, 12]),
            page_break=rng.choice(["raw", "style", "style", "none"] if target == "docx" else ["style", "none"]),
            landscape=rng.random() < 0.8,
            note=rng.random() < 0.5,
        )
        if target == "odt":
            o["reference"] = True  # the page breaks need the reference's styles
        elif not o["reference"] and o["page_break"] == "style":
            o["page_break"] = "raw"
    return o


# ---------------------------------------------------------------- Markdown

_ESC = re.compile(r"([\\`*_{}\[\]<>#|$~^])")


def _esc(text: str, dashes: bool = False) -> str:
    t = _ESC.sub(r"\\\1", text).replace("\\*\\*", "**")  # the band row's bold markers (names hold no '*')
    if dashes:
        t = t.replace("--", "\\-\\-")
    return t


def _wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in ("W", "F")


def _ideo(c: str) -> bool:
    return unicodedata.east_asian_width(c) == "W"  # not full-width digits: an author keeps a number whole


def _dw(s: str) -> int:
    return sum(2 if _wide(c) else 1 for c in s)


def _segments(line: str) -> list[str]:
    """Unbreakable pieces of a line: a break is allowed between two wide characters (east_asian_line_breaks
    drops the soft break there) or at a space (kept as the soft break's space)."""
    segs: list[str] = []
    cur = ""
    for c in line:
        if c == " ":
            if cur:
                segs.append(cur)
            segs.append(" ")
            cur = ""
        elif cur and _ideo(c) and _ideo(cur[-1]):
            segs.append(cur)
            cur = c
        else:
            cur += c
    if cur:
        segs.append(cur)
    return segs


def _wrap(line: str, width: int) -> list[str]:
    out, cur = [], ""
    for s in _segments(line):
        if s == " ":
            if cur:
                cur += " "
            continue
        piece = _esc(s)
        if cur and _dw(cur + piece) > width:
            out.append(cur.rstrip())
            cur = piece
        else:
            cur += piece
    out.append(cur.rstrip())
    return out


_LIST = re.compile(r"^(\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+)([.)])(?=\s|\\|$)|^\((\d+|[A-Za-z])\)(?=\s|$)|^([-+:])(?=\s|$)")


def _guard(line: str) -> str:
    """A paragraph that begins like a list marker ('82.' of a wrapped '82.1%') is escaped, as the author
    learns to do after pandoc made it an ordered list starting at 82 and the number vanished."""
    m = _LIST.match(line)
    if not m:
        return line
    if m.group(2):
        return f"{m.group(1)}\\{m.group(2)}{line[m.end() :]}"
    if m.group(3):
        return f"\\({line[1:]}"
    return f"\\{line}"


def _cell_lines(text: str, width: int, breaks: str) -> list[str]:
    logical = text.split("\n") if text else [""]
    out: list[str] = []
    for i, line in enumerate(logical):
        wrapped = _wrap(line, width - (1 if breaks == "backslash" else 0))
        if i == 0 or breaks == "paragraph":
            wrapped[0] = _guard(wrapped[0])
        last = i == len(logical) - 1
        if not last and breaks == "backslash":
            wrapped[-1] += "\\"
        out += wrapped
        if not last and breaks == "paragraph":
            out.append("")
    return out


def _min_width(text: str) -> int:
    return max([_dw(_esc(s)) for line in text.split("\n") for s in _segments(line) if s != " "] or [1]) + 1


def _grid(head: list[list[str]], body: list[list[str]], weights: list[float], opts: dict) -> str:
    total = int(opts["grid_cols"])
    tot = sum(weights)
    n = len(weights)
    widths = [max(4, round(total * w / tot)) for w in weights]
    for row in head + body:
        for j, t in enumerate(row):
            widths[j] = max(widths[j], _min_width(t) + (1 if opts["breaks"] == "backslash" else 0))

    def rule(ch: str) -> str:
        return "+" + "+".join(ch * (w + 2) for w in widths) + "+"

    def lines(row: list[str]) -> list[str]:
        cells = [_cell_lines(row[j], widths[j], opts["breaks"]) for j in range(n)]
        h = max(len(c) for c in cells)
        out = []
        for i in range(h):
            parts = []
            for j in range(n):
                t = cells[j][i] if i < len(cells[j]) else ""
                parts.append(" " + t + " " * (widths[j] - _dw(t)) + " ")
            out.append("|" + "|".join(parts) + "|")
        return out

    out = [rule("-")]
    for r in head:
        out += lines(r)
    out.append(rule("="))
    for r in body:
        out += lines(r)
        out.append(rule("-"))
    return "\n".join(out)


def _pipe(head: list[list[str]], body: list[list[str]], weights: list[float], opts: dict) -> str:
    tot = sum(weights)
    dashes = [max(3, round(int(opts["grid_cols"]) * w / tot)) for w in weights]

    def one(row: list[str]) -> str:
        return "| " + " | ".join(_esc(" ".join(t.split("\n"))) for t in row) + " |"

    sep = "|" + "|".join("-" * d for d in dashes) + "|"
    return "\n".join([one(head[-1] if len(head) == 1 else _join_head(head)), sep] + [one(r) for r in body])


def _join_head(head: list[list[str]]) -> list[str]:
    return ["".join(x for x in col if x) for col in zip(*head)]


def _head(deck: Deck, cols: list[Col], table: str) -> list[list[str]]:
    if deck.style["year_header"] == "two_row":
        # no colspan in pandoc 2.17: the group over the year, in one cell
        return [[f"{c.group}\n{c.sub}" if c.group else c.label for c in cols]]
    return [[c.label for c in cols]]


def _body(deck: Deck, rows: list[Row], prev: list[Row], cols: list[Col], opts: dict) -> list[list[str]]:
    st = deck.style
    ids = [c.id for c in cols]
    out = []
    last: dict[str, object] = {}
    for r in rows:
        if r.kind == "band":
            out.append([f"**{r.cells['band']}**"] + [""] * (len(cols) - 1))
            continue
        cells = []
        for c in cols:
            t = r.cells.get(c.id, "")
            if c.id in ("persp", "obj"):
                cur = r.persp if c.id == "persp" else id(r.obj)
                first_on_page = last.get(c.id) is None
                same = last.get(c.id) == cur
                blank = first_on_page and st["blank_cont"] and opts["labels"] != "repeat" and continues(prev, r, c.id)
                if opts["labels"] in ("first", "band") and same or blank:
                    t = ""
                if c.id == "persp" and opts["stack_persp"] and opts["table"] == "grid" and t:
                    t = "\n".join(t)
                last[c.id] = cur
            cells.append(t)
        out.append(cells)
    del ids
    return out


def _table_md(deck: Deck, rows: list[Row], prev: list[Row], opts: dict) -> str:
    cols = columns(deck, band=opts["labels"] == "band")
    if opts["labels"] == "band":
        rows = [r for r in rows]
    head = _head(deck, cols, opts["table"])
    body = _body(deck, rows, prev, cols, opts)
    weights = [c.weight for c in cols]
    return (_grid if opts["table"] == "grid" else _pipe)(head, body, weights, opts)


def _page_break(opts: dict) -> list[str]:
    if opts["target"] == "odt":  # a paragraph in the reference's own 'Pagebreak' style
        return ["```{=opendocument}", '<text:p text:style-name="Pagebreak"/>', "```", ""]
    return ["```{=openxml}", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>', "```", ""]


def _first_kpi(rows: list[Row]) -> str:
    return next(r.kpi.code for r in rows if r.kind == "kpi")


def _cut(rows: list[Row], cuts: set[str]) -> list[list[Row]]:
    """A theme's table cut before the KPIs in `cuts` (a band row just before such a KPI goes with it)."""
    parts: list[list[Row]] = [[]]
    for r in rows:
        if r.kind == "kpi" and r.kpi.code in cuts and any(x.kind == "kpi" for x in parts[-1]):
            moved = []
            while parts[-1] and parts[-1][-1].kind == "band":
                moved.insert(0, parts[-1].pop())
            parts.append(moved)
        parts[-1].append(r)
    return parts


def split_rows(pdf: Path, deck: Deck) -> list[str]:
    """KPIs whose row Writer split over a page break: on a page missing characters of its KPI rows (as
    layout.check counts them), the last KPI whose code is printed there."""
    import pymupdf

    from .spec import fold

    doc = pymupdf.open(str(pdf))
    need: dict[int, Counter] = {}
    last: dict[int, str] = {}
    for _, _, k in deck.kpis():
        text = k.shown + "".join(v.text for v in k.values) + "".join(p.shown for p in k.plans) + k.code
        need.setdefault(k.page, Counter()).update("".join(fold(text).split()))
        last[k.page] = k.code
    return [last[p] for p, cnt in sorted(need.items()) if cnt - Counter("".join(fold(doc[p - 1].get_text()).split()))]


def markdown(deck: Deck, opts: dict) -> str:
    band = opts["labels"] == "band"
    slides = opts["target"] == "pptx"
    raw_break = not slides and opts.get("page_break") == "raw"
    md = ["---", f'title: "{deck.org}"', "subtitle: 策略地圖與平衡計分卡", f'date: "{deck.map_date}"', "---", ""]

    def heading(text: str) -> None:
        if raw_break:
            md.extend(_page_break(opts))
        md.extend([f"# {text}", ""])

    heading("轄區概況")
    md.extend([f"- {_esc(x)}" for x in deck.profile_lines] + [""])
    heading(f"{deck.org}策略地圖")
    md.append(f"繪製日期：{deck.map_date}\n")
    for p in BSC_ORDER:
        objs = [o.shown for t in deck.themes for o in t.objectives if o.perspective == p]
        if objs:
            md.append(f"- **{p}構面**：{'、'.join(_esc(o) for o in objs)}")
    md.append("")
    cuts = set(opts.get("cuts", []))
    for ti, t in enumerate(deck.themes):
        rows = theme_rows(deck, t, band=band)
        parts = chunk(rows, int(opts["max_rows"])) if slides else _cut(rows, cuts)
        for i, part in enumerate(parts):
            if not slides and i == 0 and rows and _first_kpi(rows) in cuts and opts.get("page_break") == "none":
                md.extend(_page_break(opts))  # the table's first row split: the author starts the theme on a page
            if slides or i == 0:
                if slides or ti == 0 or opts.get("page_break") != "none":
                    heading(_esc(theme_title(deck, t, i + 1, len(parts)), opts["escape_dashes"]))
                else:
                    md.extend([f"# {_esc(theme_title(deck, t), opts['escape_dashes'])}", ""])
            else:  # the author's cut before a row Writer split over a page: a new table on a new page
                cont = theme_title(deck, t, i + 1, len(parts))
                cont += "" if deck.style["cont_marker"] else "（續）"
                md.extend(_page_break(opts) + [f"**{_esc(cont, opts['escape_dashes'])}**", ""])
            md.extend([_table_md(deck, part, parts[i - 1] if i else [], opts), ""])
            if slides and opts.get("notes"):
                md.extend(["::: notes", f"{_esc(t.shown)}：請說明年度目標值訂定依據。", ":::", ""])
        if not slides and opts.get("note"):
            md.extend([f"註：實際值統計至{deck.plan_year - 1}年12月底；目標值為{deck.plan_year}年度預定。", ""])
    heading("敬請指教")
    return "\n".join(md)


# ---------------------------------------------------------------- reference documents


def _default_ref(kind: str, folder: Path) -> Path:
    out = folder / f"default.{kind}"
    with open(out, "wb") as f:
        subprocess.run(["pandoc", "--print-default-data-file", f"reference.{kind}"], stdout=f, check=True)
    return out


def _rewrite(src: Path, dst: Path, fix) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for it in zin.infolist():
            d = zin.read(it.filename)
            zout.writestr(it, fix(it.filename, d) if it.filename.endswith(".xml") else d)


def _ref_pptx(folder: Path, o: dict) -> Path:
    cx, cy, typ = PPTX_SIZES[o["page"]]
    sx, sy = cx / 9144000, cy / 5143500
    face = o["font"]
    latin = face if o["latin"] == "face" else "Calibri"

    def fix(name: str, d: bytes) -> bytes:
        s = d.decode("utf-8")
        if name == "ppt/presentation.xml":
            t = f' type="{typ}"' if typ else ""
            s = re.sub(r"<p:sldSz [^>]*/>", f'<p:sldSz cx="{cx}" cy="{cy}"{t}/>', s)
        elif name.startswith(("ppt/slideMasters/", "ppt/slideLayouts/")) and name.endswith(".xml"):
            s = re.sub(
                r'<a:off x="(\d+)" y="(\d+)"/>',
                lambda m: f'<a:off x="{int(int(m[1]) * sx)}" y="{int(int(m[2]) * sy)}"/>',
                s,
            )
            s = re.sub(
                r'<a:ext cx="(\d+)" cy="(\d+)"/>',
                lambda m: f'<a:ext cx="{int(int(m[1]) * sx)}" cy="{int(int(m[2]) * sy)}"/>',
                s,
            )
            if "slideMaster" in name:
                other = re.search(r"<p:otherStyle>.*?</p:otherStyle>", s, re.S)
                if other:
                    blk = re.sub(r'sz="\d+"', f'sz="{int(o["font_pt"] * 100)}"', other.group(0))
                    s = s[: other.start()] + blk + s[other.end() :]
                ts = re.search(r"<p:titleStyle>.*?</p:titleStyle>", s, re.S)
                if ts:
                    blk = re.sub(r'sz="\d+"', f'sz="{int(o["title_pt"] * 100)}"', ts.group(0))
                    s = s[: ts.start()] + blk + s[ts.end() :]
        elif name == "ppt/theme/theme1.xml":
            s = re.sub(
                r'(<a:(?:minor|major)Font><a:latin typeface=")[^"]*("/><a:ea typeface=")[^"]*',
                lambda m: f"{m[1]}{latin}{m[2]}{face}",
                s,
            )
            s = re.sub(r'(<a:accent1>\s*<a:srgbClr val=")[0-9A-Fa-f]{6}', lambda m: m[1] + o["accent"], s)
        return s.encode("utf-8")

    out = folder / "reference.pptx"
    _rewrite(_default_ref("pptx", folder), out, fix)
    return out


def _ref_docx(folder: Path, o: dict) -> Path:
    face = o["font"]
    half = int(round(o["font_pt"] * 2))

    def fix(name: str, d: bytes) -> bytes:
        s = d.decode("utf-8")
        if name == "word/styles.xml":
            s = re.sub(
                r"<w:rFonts [^>]*/>",
                f'<w:rFonts w:ascii="{face}" w:hAnsi="{face}" w:eastAsia="{face}" w:cs="{face}" />',
                s,
            )
            s = re.sub(
                r'(<w:rPrDefault>.*?<w:sz w:val=")\d+(" />\s*<w:szCs w:val=")\d+',
                lambda m: f"{m[1]}{half}{m[2]}{half}",
                s,
                flags=re.S,
            )
            if o["page_break"] == "style":
                s = re.sub(
                    r'(<w:style [^>]*w:styleId="Heading1">.*?<w:pPr>)',
                    lambda m: m[1] + "<w:pageBreakBefore />",
                    s,
                    count=1,
                    flags=re.S,
                )
        elif name == "word/document.xml" and o["landscape"]:
            s = s.replace(
                "<w:sectPr />",
                '<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape" /><w:pgMar w:top="1134" '
                'w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0" /></w:sectPr>',
            )
        return s.encode("utf-8")

    out = folder / "reference.docx"
    _rewrite(_default_ref("docx", folder), out, fix)
    return out


def _ref_odt(folder: Path, o: dict) -> Path:
    face = o["font"]

    def fix(name: str, d: bytes) -> bytes:
        s = d.decode("utf-8")
        if name == "styles.xml":
            decl = f'<style:font-face style:name="{face}" svg:font-family="\'{face}\'" />'
            s = s.replace("<office:font-face-decls>", "<office:font-face-decls>" + decl, 1)
            s = re.sub(r'style:font-name(-asian)?="[^"]*"', lambda m: f'style:font-name{m[1] or ""}="{face}"', s)
            s = re.sub(
                r'(<style:default-style style:family="paragraph">.*?)fo:font-size="12pt"(.*?)'
                r'style:font-size-asian="12pt"',
                lambda m: f'{m[1]}fo:font-size="{o["font_pt"]}pt"{m[2]}style:font-size-asian="{o["font_pt"]}pt"',
                s,
                count=1,
                flags=re.S,
            )
            if o["landscape"]:
                s = s.replace('fo:page-width="8.5in"', 'fo:page-width="29.7cm"').replace(
                    'fo:page-height="11in"', 'fo:page-height="21cm"'
                )
                s = s.replace(
                    'style:print-orientation="portrait" fo:margin-top="1in"\n      fo:margin-bottom="1in" '
                    'fo:margin-left="1in"\n      fo:margin-right="1in"',
                    'style:print-orientation="landscape" fo:margin-top="2cm"\n      fo:margin-bottom="2cm" '
                    'fo:margin-left="2cm"\n      fo:margin-right="2cm"',
                )
            if o["page_break"] == "style":
                s = re.sub(
                    r'(<style:style style:name="Heading_20_1".*?>)',
                    lambda m: m[1] + '<style:paragraph-properties fo:break-before="page" />',
                    s,
                    count=1,
                    flags=re.S,
                )
            s = s.replace(
                "</office:styles>",
                '<style:style style:name="Pagebreak" style:family="paragraph" '
                'style:parent-style-name="Standard"><style:paragraph-properties fo:break-before="page" />'
                "</style:style></office:styles>",
                1,
            )
        return s.encode("utf-8")

    out = folder / "reference.odt"
    _rewrite(_default_ref("odt", folder), out, fix)
    return out


# ---------------------------------------------------------------- render


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    tool_version()
    opts = dict(options or {})
    if not opts:
        opts = producer_options(random.Random(deck.stem), deck.style)
    opts.setdefault("max_rows", deck.style["max_rows"])
    out_pdf = Path(out_pdf)
    if opts["target"] != "pptx":
        opts.pop("max_rows")
        return _render_doc(deck, out_pdf, opts)
    while True:
        _build(deck, out_pdf, opts)
        try:
            find_pages(out_pdf, deck)
        except ValueError as e:  # rows below the slide foot are not printed at all
            if opts["max_rows"] <= 1 and opts["font_pt"] <= 6:
                raise
            problems = [str(e)]
        else:
            problems = check(out_pdf, deck)
        if (not overflows_bottom(out_pdf) and not problems) or opts["max_rows"] <= 1 and opts["font_pt"] <= 6:
            break
        if opts["max_rows"] <= 2 and opts["font_pt"] > 6:  # the author makes the text smaller instead
            opts["font_pt"] = opts["font_pt"] - 1
            opts["max_rows"] = deck.style["max_rows"]
        else:
            opts["max_rows"] = int(opts["max_rows"]) - 1
    opts["problems"] = problems
    return opts


def _render_doc(deck: Deck, out_pdf: Path, opts: dict) -> dict:
    """Writer paginates; where it splits a KPI row over a page the author ends the table there and starts it
    again (head and all) after a page break, converting again until no row is split."""
    opts["cuts"] = []
    for _ in range(24):
        _build(deck, out_pdf, opts)
        find_pages(out_pdf, deck)
        split = [c for c in split_rows(out_pdf, deck) if c not in opts["cuts"]]
        if not split:
            break
        opts["cuts"].append(split[0])
    opts["problems"] = check(out_pdf, deck)
    return opts


def _build(deck: Deck, out_pdf: Path, opts: dict) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        md = folder / f"{deck.stem}.md"
        md.write_text(markdown(deck, opts), encoding="utf-8")
        target = opts["target"]
        src = folder / f"{deck.stem}.{target}"
        cmd = ["pandoc", "-f", "markdown+east_asian_line_breaks", "-t", target, "-s", str(md), "-o", str(src)]
        if target == "pptx":
            cmd += ["--slide-level", "1"]
        if opts.get("reference"):
            ref = {"pptx": _ref_pptx, "docx": _ref_docx, "odt": _ref_odt}[target](folder, opts)
            cmd += ["--reference-doc", str(ref)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)
        if opts.get("keep_source"):
            shutil.copy(md, out_pdf.with_suffix(".md"))
            shutil.copy(src, out_pdf.with_suffix("." + target))
        to_pdf(src, out_pdf)
