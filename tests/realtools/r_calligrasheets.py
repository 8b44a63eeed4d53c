"""Calligra Sheets renderer: the deck as one OpenDocument spreadsheet (content.xml written here), laid out,
paginated and printed to PDF by Calligra Sheets 3.2 (KDE's spreadsheet on Qt 5, Qt's PDF engine).

Route: .ods -> `calligrasheets --export-pdf` under QT_QPA_PLATFORM=offscreen inside a private
`dbus-run-session` (r_calligra._calligra: the app never quits after exporting, so it is ended once the PDF's
trailer is written).  `calligraconverter --batch x.ods x.pdf` crashes (SIGSEGV) as it does for Words.

Quirks found (3.2.1): --export-pdf prints the active sheet only, so the whole deck is one sheet with
manual page breaks (fo:break-before="page" on a row style: honoured) between cover, profile, map, theme
parts and closing.  The printer page is always A4 portrait (KoView's default page layout): a landscape
page layout is paginated as landscape but printed onto portrait paper, so decks are laid out A4
portrait.  A table:print-ranges attribute cuts the print to its first page, so none is written.
table:table-header-rows are not repeated on printed pages: an author copies the header rows after each
manual break instead (repeat_header).  Rotated text (style:rotation-angle 90) in a merged 構面 cell is
honoured; merged cells (number-rows/columns-spanned) are honoured; the running header/footer of the
table's master page (with text:page-number / text:page-count) prints.  Row heights are explicit (the
author sizes the rows so wrapped text is not clipped: a too-short row clips its text silently).
Cell backgrounds (fo:background-color: header fills, zebra, map labels) are loaded but printed white:
every cell gets a white filled rectangle, so 'zebra' decks print as horizontal rules and header rows
unfilled (the fill stays in the options as the author set it).  The borders of a merged cell that
ends a printed page or table may lose their right/bottom sides.  Cells are painted with the
default face (WenQuanYi Zen Hei) for empty/covered cells and DejaVu Sans for the header/footer text, so
two or three CIDFontType2 fonts are embedded (subsets with untagged names) per deck.

Text layer (Qt 5.15 QPdfEngine, PDF 1.4, Producer 'Qt 5.15.8'): one CIDFontType2 font per face,
Identity-H, embedded with untagged names; Noto CJK (OpenType/CFF) reads back wrongly through Qt (see
r_calligra), so only the TrueType faces are used; cells without an explicit face print in the default.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from .fonts import TRUETYPE
from .layout import check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .r_calligra import _calligra, _env
from .spec import BSC_ORDER, Deck

VERSION = "3.2.1"
PAGE_W, PAGE_H = 21.0, 29.7  # cm: the printer's page whatever the layout says
NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2"'
)
PT_CM = 2.54 / 72


def text_width(s: str, pt: float) -> float:
    return sum(pt if ord(ch) > 0x2E7F else pt * 0.6 for ch in s)


def lines_needed(text: str, width_pt: float, pt: float) -> int:
    avail = max(pt, width_pt - 8)
    n = 0
    for line in text.split("\n"):
        # greedy, Latin words kept whole as Qt does
        cur, k = 0.0, 1
        for tok in re.findall(r"[A-Za-z0-9.%/\-]+|.", line):
            w = text_width(tok, pt)
            if cur + w > avail and cur > 0:
                k += 1
                cur = 0.0
            cur += w
            while cur > avail:
                k += 1
                cur -= avail
        n += k
    return n


class Sheet:
    """Collects rows, styles and page breaks of the single printed sheet."""

    def __init__(self, font: str, ncols: int):
        self.font = font
        self.ncols = ncols
        self.styles: dict[str, str] = {}
        self.rows: list[str] = []
        self.heights: list[float] = []

    def cell_style(
        self, size: float, bold=False, border="none", fill=None, halign="left", valign="top", rotate=0, color=None
    ) -> str:
        props = [f'fo:wrap-option="wrap" style:vertical-align="{valign}" fo:padding="0.1cm"']
        if border == "grid":
            props.append('fo:border="0.5pt solid #444444"')
        elif border == "hrules":
            props.append('fo:border-top="0.5pt solid #444444" fo:border-bottom="0.5pt solid #444444"')
        if fill:
            props.append(f'fo:background-color="#{fill}"')
        if rotate:
            props.append(f'style:rotation-angle="{rotate}" style:rotation-align="none"')
        tprops = f'style:font-name="{self.font}" fo:font-size="{size}pt"'
        if bold:
            tprops += ' fo:font-weight="bold"'
        if color:
            tprops += f' fo:color="#{color}"'
        key = f"{' '.join(props)}|{halign}|{tprops}"
        if key not in self.styles:
            name = f"ce{len(self.styles) + 1}"
            self.styles[key] = (
                f'<style:style style:name="{name}" style:family="table-cell">'
                f"<style:table-cell-properties {' '.join(props)}/>"
                f'<style:paragraph-properties fo:text-align="{"center" if halign == "center" else "start"}"/>'
                f"<style:text-properties {tprops}/></style:style>"
            )
        return re.search(r'style:name="(ce\d+)"', self.styles[key])[1]

    def row(self, height_pt: float, cells: list[str], brk: bool = False) -> None:
        self.rows.append(
            f'<table:table-row table:style-name="{"rb" if brk else "r"}{len(self.rows)}">'
            + "".join(cells)
            + "</table:table-row>"
        )
        self.heights.append((height_pt, brk))


def cell(text: str | None, style: str, rows: int = 1, cols: int = 1) -> str:
    span = ""
    if rows > 1:
        span += f' table:number-rows-spanned="{rows}"'
    if cols > 1:
        span += f' table:number-columns-spanned="{cols}"'
    if not text:
        return f'<table:table-cell table:style-name="{style}"{span}/>'
    paras = "".join(f"<text:p>{escape(p)}</text:p>" for p in text.split("\n"))
    return f'<table:table-cell table:style-name="{style}" office:value-type="string"{span}>{paras}</table:table-cell>'


COVERED = "<table:covered-table-cell/>"


def build(deck: Deck, folder: Path, options: dict | None = None) -> tuple[Path, dict]:
    st = deck.style
    opts = dict(options or {})
    fam = opts.setdefault("font", st["font"] if st["font"] in TRUETYPE else "AR PL UMing TW")
    pt = float(opts.setdefault("font_pt", 9))
    rules = opts.setdefault("rules", st["rules"])
    repeat = opts.setdefault("repeat_header", True)
    merge = opts.setdefault("merge_labels", True)
    margin = float(opts.setdefault("margin_cm", 1.5))
    fill = opts.setdefault("header_fill", "DDEBF7")
    footer = opts.setdefault("footer", "page")
    header = opts.setdefault("header", False)
    max_rows = int(opts.setdefault("max_rows", st["max_rows"]))
    cols = columns(deck)
    n = len(cols)
    usable_w = (PAGE_W - 2 * margin) / PT_CM - 4  # points
    usable_h = (PAGE_H - 2 * margin) / PT_CM - (40 if footer != "none" else 0) - (40 if header else 0) - 30
    tot = sum(c.weight for c in cols)
    widths = [usable_w * c.weight / tot for c in cols]
    sh = Sheet(fam, n)
    border = rules if rules in ("grid", "hrules") else ("hrules" if rules == "zebra" else "none")
    valign = "middle" if st["valign"] == "middle" else "top"

    def line_h(size: float) -> float:
        return size * 1.45

    # cover
    big = sh.cell_style(26, bold=True, halign="center", valign="middle")
    sh.row(200, [])
    sh.row(60, [cell(deck.org, big, cols=n)] + [COVERED] * (n - 1))
    sh.row(60, [cell("策略地圖與平衡計分卡", big, cols=n)] + [COVERED] * (n - 1))
    # profile
    h1 = sh.cell_style(18, bold=True)
    body = sh.cell_style(12)
    sh.row(40, [cell("轄區概況", h1, cols=n)] + [COVERED] * (n - 1), brk=True)
    for line in deck.profile_lines:
        h = lines_needed(line, usable_w, 12) * line_h(12) + 8
        sh.row(h, [cell(line, body, cols=n)] + [COVERED] * (n - 1))
    # strategy map: perspective label in the first column, objectives in the rest (two per row)
    sh.row(
        40,
        [cell(f"{deck.org}策略地圖", h1, cols=n - 2)]
        + [COVERED] * (n - 3)
        + [cell(deck.map_date, body, cols=2), COVERED],
        brk=True,
    )
    lab = sh.cell_style(11, bold=True, border="grid", fill="DDEBF7", color="1F4E79", halign="center", valign="middle")
    box = sh.cell_style(10, border="grid", halign="center", valign="middle")
    half = max(1, (n - 1) // 2)
    spans = [(1, half), (1 + half, n - 1 - half)]
    wspan = [sum(widths[a : a + b]) for a, b in spans]
    for p in BSC_ORDER:
        objs = [o.shown for t in deck.themes for o in t.objectives if o.perspective == p]
        for i in range(0, len(objs), 2):
            pair = objs[i : i + 2]
            h = max(lines_needed(o, w, 10) for o, w in zip(pair, wspan)) * line_h(10) + 10
            cells = [cell(f"{p}構面" if i == 0 else None, lab)]
            for (_a, b), o in zip(spans, pair + [""] * (2 - len(pair))):
                cells += [cell(o, box, cols=b)] + [COVERED] * (b - 1)
            sh.row(max(h, 30), cells)
    # themes
    head = sh.cell_style(pt, bold=True, border=border, fill=fill, halign="center", valign="middle")
    title = sh.cell_style(pt + 5, bold=True, color="1F4E79")
    ids = [c.id for c in cols]
    two = st["year_header"] == "two_row"
    body_st = sh.cell_style(pt, border=border, halign=st["halign"], valign=valign)
    zebra_st = sh.cell_style(pt, border=border, halign=st["halign"], valign=valign, fill="EEF2F7")
    band_st = sh.cell_style(pt, bold=True, border=border, fill="F2F2F2")
    rot = st["persp_mode"] == "rotated" and merge  # repeated labels stay horizontal
    lab_st = sh.cell_style(pt, border=border, halign="center", valign="middle", rotate=90 if rot else 0)

    def header_rows() -> list[tuple[float, list[str]]]:
        hh = max(lines_needed(c.label, w, pt) for c, w in zip(cols, widths)) * line_h(pt) + 8
        if not two:
            return [(hh, [cell(c.label, head) for c in cols])]
        r1, r2 = [], []
        j = 0
        while j < n:
            c = cols[j]
            if c.group:
                k = j
                while k + 1 < n and cols[k + 1].group == c.group:
                    k += 1
                r1 += [cell(c.group, head, cols=k - j + 1)] + [COVERED] * (k - j)
                r2 += [cell(cols[m].sub, head) for m in range(j, k + 1)]
                j = k + 1
            else:
                r1.append(cell(c.label, head, rows=2))
                r2.append(COVERED)
                j += 1
        return [(hh, r1), (hh, r2)]

    def row_h(r) -> float:
        if r.kind == "band":
            return lines_needed(r.cells["band"], usable_w, pt) * line_h(pt) + 8
        need = max(
            lines_needed(r.cells.get(c.id, "") or "", w, pt)
            for c, w in zip(cols, widths)
            if c.id not in ("persp", "obj") or not merge
        )
        return need * line_h(pt) + 8

    for t in deck.themes:
        parts = chunk(theme_rows(deck, t), max_rows)
        # split further where a part would not fit the printed page (the author checks the preview)
        fitted = []
        hh = sum(h for h, _ in header_rows())
        for part in parts:
            cur, used_h = [], hh + (pt + 5) * 2 + 10
            for r in part:
                h = row_h(r)
                if cur and used_h + h > usable_h and any(x.kind == "kpi" for x in cur):
                    fitted.append(cur)
                    cur, used_h = [], (hh if repeat else 0) + (pt + 5) * 2 + 10
                cur.append(r)
                used_h += h
            fitted.append(cur)
        prev: list = []
        for pi, part in enumerate(fitted):
            if pi == 0 or repeat:
                tt = theme_title(deck, t, pi + 1, len(fitted)) if pi == 0 or st["cont_marker"] else None
                if tt:
                    sh.row((pt + 5) * 2 + 8, [cell(tt, title, cols=n)] + [COVERED] * (n - 1), brk=True)
                    brk = False
                else:
                    brk = True
                for k, (h, cs) in enumerate(header_rows()):
                    sh.row(h, cs, brk=brk and k == 0)
                first_brk = False
            else:
                first_brk = True
            # merged blocks of this part
            spans_of: dict[tuple[str, int], int] = {}
            for key in ("persp", "obj"):
                if key in ids and merge:
                    for start, cnt in runs(part, key):
                        spans_of[(key, start)] = cnt
            heights = [row_h(r) for r in part]
            # a merged label needs as much height as its block: grow the block's last row if not
            for (key, start), cnt in spans_of.items():
                j = ids.index(key)
                txt = part[start].cells[key]
                if key == "persp" and st["persp_mode"] == "stacked":
                    txt = "\n".join(txt)
                need = (
                    (len(txt) * pt * 1.1 + 12)
                    if (key == "persp" and rot)
                    else (lines_needed(txt, widths[j], pt) * line_h(pt) + 8)
                )
                have = sum(heights[start : start + cnt])
                if need > have:
                    heights[start + cnt - 1] += need - have
            covered: set[tuple[str, int]] = set()
            for i, r in enumerate(part):
                brk = first_brk and i == 0
                if r.kind == "band":
                    sh.row(heights[i], [cell(r.cells["band"], band_st, cols=n)] + [COVERED] * (n - 1), brk=brk)
                    continue
                sty = zebra_st if rules == "zebra" and i % 2 else body_st
                cs = []
                for c in cols:
                    if c.id in ("persp", "obj") and merge:
                        if (c.id, i) in covered:
                            cs.append(COVERED)
                            continue
                        cnt = spans_of.get((c.id, i), 1)
                        for m in range(i + 1, i + cnt):
                            covered.add((c.id, m))
                        blank = i == 0 and st["blank_cont"] and continues(prev, r, c.id)
                        txt = r.cells[c.id]
                        if c.id == "persp" and st["persp_mode"] == "stacked":
                            txt = "\n".join(txt)  # one character a line, as authors stack labels
                        cs.append(cell(None if blank else txt, lab_st if c.id == "persp" else sty, rows=cnt))
                    elif c.id in ("persp", "obj"):
                        cs.append(cell(r.cells[c.id], lab_st if c.id == "persp" else sty))
                    else:
                        cs.append(cell(r.cells.get(c.id, "") or None, sty))
                sh.row(heights[i], cs, brk=brk)
            prev = part
    closing = sh.cell_style(36, bold=True, halign="center", valign="middle")
    sh.row(220, [], brk=True)
    sh.row(80, [cell("敬請指教", closing, cols=n)] + [COVERED] * (n - 1))
    src = Path(folder) / f"{deck.stem}.ods"
    _save(src, sh, widths, opts, deck)
    return src, opts


def _save(src: Path, sh: Sheet, widths: list[float], opts: dict, deck: Deck) -> None:
    margin = opts["margin_cm"]
    colstyles = "".join(
        f'<style:style style:name="co{j}" style:family="table-column">'
        f'<style:table-column-properties style:column-width="{w * PT_CM:.3f}cm"/></style:style>'
        for j, w in enumerate(widths)
    )
    rowstyles = "".join(
        f'<style:style style:name="{"rb" if brk else "r"}{i}" style:family="table-row">'
        f'<style:table-row-properties style:row-height="{h * PT_CM:.3f}cm" style:use-optimal-row-height="false"'
        f"{' fo:break-before=' + chr(34) + 'page' + chr(34) if brk else ''}/></style:style>"
        for i, (h, brk) in enumerate(sh.heights)
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}>'
        f'<office:font-face-decls><style:font-face style:name="{sh.font}" svg:font-family="\'{sh.font}\'"/>'
        "</office:font-face-decls><office:automatic-styles>"
        '<style:style style:name="ta1" style:family="table" style:master-page-name="Default">'
        '<style:table-properties table:display="true"/></style:style>'
        + colstyles
        + rowstyles
        + "".join(sh.styles.values())
        + "</office:automatic-styles><office:body><office:spreadsheet>"
        '<table:table table:name="平衡計分卡" table:style-name="ta1">'
        + "".join(f'<table:table-column table:style-name="co{j}"/>' for j in range(len(widths)))
        + "".join(sh.rows)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    foot = {
        "none": "",
        "page": "<text:p>第 <text:page-number>1</text:page-number> 頁</text:p>",
        "page_of": "<text:p><text:page-number>1</text:page-number> / <text:page-count>1</text:page-count></text:p>",
    }[opts["footer"]]
    hf = ""
    if opts["header"]:
        hf += f"<style:header><text:p>{escape(deck.org)}</text:p></style:header>"
    if foot:
        hf += f"<style:footer>{foot}</style:footer>"
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {NS}>'
        '<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties '
        f'fo:page-width="{PAGE_W}cm" fo:page-height="{PAGE_H}cm" style:print-orientation="portrait" '
        f'fo:margin-top="{margin}cm" fo:margin-bottom="{margin}cm" fo:margin-left="{margin}cm" '
        f'fo:margin-right="{margin}cm"/></style:page-layout></office:automatic-styles><office:master-styles>'
        f'<style:master-page style:name="Default" style:page-layout-name="pm1">{hf}</style:master-page>'
        "</office:master-styles></office:document-styles>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(src, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("styles.xml", styles, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: font (TrueType face), font_pt, rules, repeat_header (header rows copied after each break),
    merge_labels, margin_cm, header_fill, footer (none/page/page_of), header (org name), max_rows."""
    _check_version()
    with tempfile.TemporaryDirectory() as tmp:
        src, used = build(deck, Path(tmp), options)
        _calligra("calligrasheets", src, Path(out_pdf), tmp)
    find_pages(out_pdf, deck)
    used["problems"] = check(out_pdf, deck)
    return used


@cache
def _check_version() -> str:
    return tool_version()


def tool_version(engine: str | None = None) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["calligraconverter", "--version"]
        out = subprocess.run(cmd, capture_output=True, text=True, env=_env(tmp)).stdout
    ver = re.search(r"calligraconverter (\S+)", out) if shutil.which("calligrasheets") else None
    if not ver or ver[1] != VERSION:
        raise RuntimeError(f"Calligra Sheets {VERSION} wanted, found {ver[1] if ver else 'none'}")
    return f"Calligra Sheets {ver[1]} (--export-pdf)"


def producer_options(rng, style: dict) -> dict:
    return {
        "font": style["font"] if style["font"] in TRUETYPE else rng.choice(TRUETYPE),
        "font_pt": rng.choice([8, 9, 9, 10]),
        "repeat_header": rng.random() < 0.6,
        "merge_labels": rng.random() < 0.8,
        "margin_cm": rng.choice([1.0, 1.5, 2.0]),
        "header_fill": rng.choice(["DDEBF7", "D9D9D9", "FCE4D6", "E2EFDA"]),
        "footer": rng.choice(["none", "page", "page", "page_of"]),
        "header": rng.random() < 0.3,
    }
