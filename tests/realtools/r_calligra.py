"""Calligra renderer: the r_docx document laid out and printed to PDF by Calligra Words 3.2 (KDE's office
suite: its own text layout on Qt 5, Qt's PDF engine).

Route: docx -> .odt by Calligra's own docx import filter (`calligraconverter --batch`), fixed (fix_import)
-> `calligrawords --export-pdf`, under QT_QPA_PLATFORM=offscreen (no X server, no xvfb) inside a private
`dbus-run-session` (without a session bus the app exits at start).  calligraconverter's own PDF output
crashes on every document tried in 3.2.1 (KoView::mainWindow() walks up a null parent widget: SIGSEGV
before a page is printed), and calligrawords never quits after --export-pdf when no window was shown, so it is
ended once the PDF's trailer is written.  Calligra Sheets is not used: its --export-pdf prints the
active sheet only (the print job's default), and its xlsx import reads neither openpyxl's inline strings
(only a shared-strings part) nor absolute part targets (/xl/worksheets/...).

What the docx import loses, fixed in the input as an author would (fix_doc, fix_import): column widths
come from the table grid only; a run's face missing from the font table is dropped (DejaVu Serif and
WenQuanYi would print instead); a page break ending a paragraph becomes a break before that paragraph;
tblHeader is dropped (Words itself repeats ODF header rows); a nil border is written as '0.75pt none',
which Words draws as a 0.75 pt rule (a 'none' or 'hrules' table came out with a frame and column rules).
Left as Calligra does them: cantSplit is dropped and Words breaks rows across pages even when told to
keep them together, so a KPI row cut by a page break (found with each glyph counted once: cut_text) makes
the deck print again with the table split before it (r_abiword.cut_rows and fix_doc: an empty paragraph
at the head of the new page, then the rest of the table, its header rows copied if they repeat); a btLr
構面 label runs horizontally and wraps in its narrow column (Words cannot turn text in a table cell, even
from ODF); cells are top-aligned; a merged 構面/objective cell cut by a page break shows its text on the
first page only; empty lead lines are tall.

Text layer (Qt 5.15 QPdfEngine, PDF 1.4, Creator 'Calligra Words 3.2.1'): one CIDFontType2 font per face
(Identity-H, untagged names such as UMingTW), ToUnicode from the face's cmap reversed.  With Noto CJK that
reads ideographs as Kangxi radicals (面 as U+2FAF, 人 as U+2F08) and the digits of a code after Latin
letters (AC1.2), glyphs reached only through GSUB, as U+0097, so only the TrueType faces (AR PL,
WenQuanYi) are used; they read back as printed.  Every table cell's text is painted twice at the same spot
(the second copy clipped away outside the line boxes), so extractors that do not drop duplicates read each
cell twice in a row ('AP1.1 依限完成審核率 AP1.1 依限完成審核率'); body paragraphs print once.  Faces
without a bold get Qt's synthetic bold: the run again 0.5 pt to the left inside a /Span with an empty
/ActualText.  Text goes cell by cell in row order, one BT/ET per line; glyphs are placed one by one (Td/Tj)
on a y-flipped page.  Rules are stroked 0.75 pt lines, each cell's own sides; fills are rectangles under
the text.  Lines wrap by Qt's line breaking: between any two ideographs, Latin words and numbers kept whole
unless longer than the column.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import time
from collections import Counter
from importlib import metadata
from pathlib import Path

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from .fonts import TRUETYPE
from .layout import check, find_pages
from .r_abiword import cut_rows
from .r_abiword import fix_doc as split_tables
from .r_docx import build
from .spec import Deck, fold

FACE = {"Noto Sans CJK TC": "WenQuanYi Zen Hei", "Noto Serif CJK TC": "AR PL UMing TW"}


def fix_doc(src: Path, family: str) -> None:
    """Save the document as Word would, where Calligra's docx import relies on it: the table grid from
    the cells' widths (python-docx writes an even grid, and Calligra sizes columns by the grid only), the
    face in the font table (Calligra drops a run's font that the table does not list), and a page break
    that ends a paragraph moved to the start of the next one (Calligra turns a paragraph's page break into
    a break before that paragraph, which would carry the title or last profile line to the next page)."""
    from docx import Document

    doc = Document(str(src))
    for table in doc.tables:
        n = len(table.columns)
        tr = next(tr for tr in table._tbl.tr_lst if len(tr.tc_lst) == n)
        for col, tc in zip(table.columns, tr.tc_lst):
            col.width = tc.width
    for p in list(doc.element.body.iter(qn("w:p"))):
        last = p.findall(qn("w:r"))[-1:]
        brs = [br for r in last for br in r if br.tag == qn("w:br") and br.get(qn("w:type")) == "page"]
        nxt = p.getnext()
        if not brs or brs[-1].getnext() is not None or nxt is None or nxt.tag != qn("w:p"):
            continue
        last[0].remove(brs[-1])
        run = OxmlElement("w:r")
        run.append(OxmlElement("w:br"))
        run[0].set(qn("w:type"), "page")
        ppr = nxt.find(qn("w:pPr"))
        if ppr is not None:
            ppr.addnext(run)
        else:
            nxt.insert(0, run)
    part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    xml = part.blob.decode("utf-8")
    if f'w:name="{family}"' not in xml:
        face = f'<w:font w:name="{family}"><w:charset w:val="88"/><w:pitch w:val="variable"/></w:font>'
        part._blob = xml.replace("</w:fonts>", face + "</w:fonts>").encode("utf-8")
    doc.save(str(src))


def _calligra(app: str, src: Path, out_pdf: Path, tmp: str, timeout: float = 300) -> None:
    """`app --export-pdf`, headless (offscreen Qt, a private D-Bus session and home).  The app never quits
    after exporting without a window shown, so it is ended once the PDF is complete (its trailer written)."""
    env = _env(tmp)
    out = Path(out_pdf)
    out.unlink(missing_ok=True)
    cmd = ["dbus-run-session", "--", app, "--export-pdf", "--export-filename", str(out), str(src)]
    with open(f"{tmp}/calligra.log", "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        t0, last = time.monotonic(), -1
        while time.monotonic() - t0 < timeout:
            time.sleep(0.5)
            size = out.stat().st_size if out.exists() else -1
            if size > 0 and size == last and out.read_bytes()[-8:].rstrip().endswith(b"%%EOF"):
                return
            last = size
            if proc.poll() is not None and size <= 0:
                break
        raise RuntimeError(f"{app} wrote no PDF: {Path(f'{tmp}/calligra.log').read_text(errors='replace')[-2000:]}")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def fix_import(odt: Path, header_rows: int) -> None:
    """Fix the document as Calligra's docx import left it, as an author would in Words before printing:
    mark the header rows to repeat (the import drops tblHeader; Words repeats ODF table-header-rows), and
    clear the borders the import writes as '0.75pt none' (a nil border), which Words draws as a rule."""
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(odt) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    out = []
    for info, data in items:
        if info.filename == "content.xml":
            xml = data.decode("utf-8")
            xml = re.sub(r'(fo:border(?:-\w+)?)="[^"]*\bnone\b[^"]*"', r'\1="none"', xml)
            xml = re.sub(r'calligra:specialborder-\w+="none" ?', "", xml)
            root = etree.fromstring(xml.encode("utf-8"))
            for tbl in root.iter(f"{{{TABLE}}}table") if header_rows else ():
                rows = tbl.findall(f"{{{TABLE}}}table-row")[:header_rows]
                head = etree.Element(f"{{{TABLE}}}table-header-rows")
                rows[0].addprevious(head)
                head.extend(rows)
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        out.append((info, data))
    with zipfile.ZipFile(odt, "w") as z:
        for info, data in out:
            z.writestr(info, data, zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED)


def _env(tmp: str) -> dict:
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": tmp,
        "XDG_RUNTIME_DIR": tmp,
        "XDG_CONFIG_HOME": f"{tmp}/config",
        "XDG_CACHE_HOME": f"{tmp}/cache",
        "XDG_DATA_HOME": f"{tmp}/data",
        "QT_LOGGING_RULES": "*.debug=false",
    }


def to_odt(src: Path, tmp: str) -> Path:
    """The docx through Calligra's own import filter (docx2odt), saved as the ODF document Words loads."""
    odt = src.with_suffix(".odt")
    cmd = ["calligraconverter", "--batch", str(src), str(odt)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300, env=_env(tmp))
    return odt


def cut_text(pdf: str | Path, deck: Deck) -> list[str]:
    """layout.check's test of each page's KPI rows, each glyph counted once: Words paints every table
    cell's text twice at the same spot, which would hide the characters of a row broken onto the next page."""
    import pymupdf

    problems = []
    need: dict[int, Counter] = {}
    for _, _, k in deck.kpis():
        text = k.shown + "".join(v.text for v in k.values) + "".join(p.shown for p in k.plans) + k.code
        need.setdefault(k.page or 0, Counter()).update("".join(fold(text).split()))
    for i, page in enumerate(pymupdf.open(str(pdf)), 1):
        glyphs = {
            (c["c"], round(c["origin"][0], 1), round(c["origin"][1], 1))
            for b in page.get_text("rawdict")["blocks"]
            for line in b.get("lines", [])
            for span in line["spans"]
            for c in span["chars"]
        }
        short = need.get(i, Counter()) - Counter("".join(fold("".join(g[0] for g in glyphs)).split()))
        if short:
            problems.append(f"page {i}: characters missing from the text layer: {''.join(sorted(short.elements()))}")
    return problems


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: those of r_docx.render (font must be a TrueType face; Noto CJK is replaced).  A row that
    Words breaks across pages makes the deck print again with the table split before it (cut_rows), the
    first such row each time, since every row after it moves."""
    opts = dict(options or {})
    fam = opts.get("font", deck.style["font"])
    opts["font"] = fam if fam in TRUETYPE else FACE[fam]
    nh = 2 if deck.style["year_header"] == "two_row" else 1
    cuts: set[str] = set()
    order = [k.code for _, _, k in deck.kpis()]
    for _ in range(16):
        with tempfile.TemporaryDirectory() as tmp:
            src, used = build(deck, Path(tmp), opts)
            split_tables(src, deck, cuts, bool(used["repeat_header"]))
            fix_doc(src, used["font"])
            odt = to_odt(src, tmp)
            fix_import(odt, nh if used["repeat_header"] else 0)
            _calligra("calligrawords", odt, Path(out_pdf), tmp)
        find_pages(out_pdf, deck)
        used["problems"] = check(out_pdf, deck)
        seen = {p.split(":")[0] for p in used["problems"]}
        used["problems"] += [p for p in cut_text(out_pdf, deck) if p.split(":")[0] not in seen]
        used["page_breaks_before"] = sorted(cuts)
        split = cut_rows(out_pdf, deck, used["problems"]) - cuts
        if not split:
            break
        cuts.add(min(split, key=order.index))  # the first cut only: the pages after it move
    return used


def tool_version(engine: str | None = None) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(["calligraconverter", "--version"], capture_output=True, text=True, env=env).stdout
    ver = re.search(r"calligraconverter (\S+)", out)
    return f"Calligra Words {ver[1] if ver else '?'} (--export-pdf); python-docx {metadata.version('python-docx')}"


def producer_options(rng, style: dict) -> dict:
    return {
        "font": style["font"] if style["font"] in TRUETYPE else rng.choice(TRUETYPE),
        "repeat_header": rng.random() < 0.5,
        "lead_lines": rng.choice([0, 0, 4, 8, 12]),
        "theme_page_break": rng.random() < 0.7,
    }
