"""AbiWord renderer: the r_docx document laid out and printed to PDF by AbiWord (`abiword --to=pdf`:
its own layout engine, GTK/Pango and cairo).

AbiWord's docx import keeps merged cells, shading and bold, but not the rest of what Writer honours: rows
marked cantSplit (header rows too) still break across pages and tblHeader rows are not repeated, so a row
cut by a page break makes the deck print again with the table split before it (cut_rows, fix_doc); btLr
text runs horizontally, nil borders print as a full grid, cell margins are ignored (text sits 1.5 pt from
the rules, and PyMuPDF joins a row's cells into one span), and column widths come from the table grid
only (python-docx writes an even grid, so it is set from the cells, as Word saves it).  A full table may
leave an empty page.  With a CFF face (Noto CJK) the text layer is broken: ideographs become Kangxi
radicals and the digits of codes like AP1.2.3 become i/U+0097/¡, so only TrueType faces are used.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from copy import deepcopy
from importlib import metadata
from pathlib import Path

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from .fonts import TRUETYPE
from .layout import check, find_pages, theme_rows
from .r_docx import build
from .spec import Deck

FACE = {"Noto Sans CJK TC": "WenQuanYi Zen Hei", "Noto Serif CJK TC": "AR PL UMing TW"}


def fix_doc(src: Path, deck: Deck, cuts: set[str], repeat: bool) -> None:
    """Set each table's grid from its cells' widths; start a new page before the rows of the KPIs in
    `cuts` (the table split there, its header rows copied if they repeat), as an author would."""
    from docx import Document

    doc = Document(str(src))
    nh = 2 if deck.style["year_header"] == "two_row" else 1
    for table, theme in zip(doc.tables, deck.themes):
        n = len(table.columns)
        tr = next(tr for tr in table._tbl.tr_lst if len(tr.tc_lst) == n)
        for col, tc in zip(table.columns, tr.tc_lst):
            col.width = tc.width
        rows = theme_rows(deck, theme)
        at = [i - (i > 0 and rows[i - 1].kind == "band") for i, r in enumerate(rows) if r.kpi and r.kpi.code in cuts]
        for i in sorted(at, reverse=True):
            tbl = table._tbl
            if i == 0:  # the header and first row do not fit under the title: the table starts a page
                tbl.addprevious(_page_break())
                continue
            new = deepcopy(tbl)
            for tr in tbl.tr_lst[nh + i :]:
                tbl.remove(tr)
            for tr in new.tr_lst[: 0 if repeat else nh] + new.tr_lst[nh : nh + i]:
                new.remove(tr)
            for tc in new.tr_lst[nh if repeat else 0].tc_lst:  # a merged cell cut here starts afresh, blank
                vm = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
                if vm is not None and vm.get(qn("w:val")) is None:
                    vm.set(qn("w:val"), "restart")
            tbl.addnext(new)
            tbl.addnext(_page_break())
    doc.save(str(src))


def _page_break():
    p = OxmlElement("w:p")
    p.append(OxmlElement("w:r"))
    br = OxmlElement("w:br")
    br.set(qn("w:type"), "page")
    p[0].append(br)
    return p


def cut_rows(pdf: str | Path, deck: Deck, problems: list[str]) -> set[str]:
    """KPIs whose row AbiWord broke across pages (text missing from the page of its code: such a row
    ends its page), and the first KPI of each table whose header row is not above it on its page."""
    import pymupdf

    doc = pymupdf.open(str(pdf))
    bad = {int(p) for p in re.findall(r"page (\d+): characters missing", " ".join(problems))}
    last = {k.page: k.code for _, _, k in deck.kpis()}
    out = {last[p] for p in bad if p in last}
    for t in deck.themes:
        first = t.objectives[0].kpis[0]
        page = doc[first.page - 1]
        top = min((r.y0 for r in page.search_for(first.code)), default=0)
        if not any(r.y1 <= top + 1 for r in page.search_for(deck.style["plan_header"])):  # a header prints it
            out.add(first.code)
    return out


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: those of r_docx.render (font must be a TrueType face; Noto CJK is replaced).  A row
    AbiWord breaks across pages makes the deck print again with a page break before it (cut_rows)."""
    opts = dict(options or {})
    fam = opts.get("font", deck.style["font"])
    opts["font"] = fam if fam in TRUETYPE else FACE[fam]
    cuts: set[str] = set()
    for _ in range(8):
        with tempfile.TemporaryDirectory() as tmp:
            src, used = build(deck, Path(tmp), opts)
            fix_doc(src, deck, cuts, bool(used["repeat_header"]))
            cmd = ["abiword", "--to=pdf", "-o", str(out_pdf), str(src)]
            subprocess.run(cmd, check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": tmp})
        find_pages(out_pdf, deck)
        used["problems"] = check(out_pdf, deck)
        used["page_breaks_before"] = sorted(cuts)
        split = cut_rows(out_pdf, deck, used["problems"])
        if split <= cuts:
            break
        cuts |= split
    return used


def tool_version(engine: str | None = None) -> str:
    out = subprocess.run(["abiword", "--version"], capture_output=True, text=True).stdout.strip()
    return f"AbiWord {out} (--to=pdf); python-docx {metadata.version('python-docx')}"


def producer_options(rng, style: dict) -> dict:
    return {
        "font": style["font"] if style["font"] in TRUETYPE else rng.choice(TRUETYPE),
        "repeat_header": rng.random() < 0.5,
        "lead_lines": rng.choice([0, 0, 4, 8, 12]),
        "theme_page_break": rng.random() < 0.7,
    }
