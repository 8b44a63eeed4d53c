"""Spire.Doc for Python 14.9.1 (PyPI spire.doc; e-iceblue's commercial .NET Word engine shipped as a NativeAOT
library with ctypes wrappers, which vendors' report systems use to write .docx and convert it to PDF without Word):
the deck built as a Word document with Spire.Doc's own API, or r_docx's python-docx file loaded by `LoadFromFile`,
saved by `SaveToFile(pdf, ToPdfParameterList)`.  It runs in a virtualenv of its own (/work/gen/venv-spiredoc,
$REALTOOLS_SPIREDOC_PYTHON for another interpreter) through `r_spiredoc_driver.py`, which reads a JSON job.

Modes (`mode`):
- "api": a cover page (or a title block above the profile), the office profile, the strategy map as paragraphs or a
  two-column table, then per theme a heading (built-in Heading 1 or direct formatting) and a `Table` from
  `Section.AddTable` + `ResetCells(rows, cols)` with fixed column widths (`SetCellWidth`, `LayoutType.Fixed`):
  構面 and 策略目標 cells merged by `ApplyVerticalMerge` or repeated on every row, band rows merged by
  `ApplyHorizontalMerge` (or one wide cell), the two-row year head merged both ways; 構面 labels turned by
  `CellFormat.TextDirection` (LeftToRight, which Spire writes as btLr; RightToLeft, tbRl) with rows given an AtLeast
  height the label needs, or stacked (RightToLeftRotated, tbRlV: ideographs upright in a column, or one character
  per line); borders as a full grid, horizontal rules only, a rule under the head only, or rules with zebra fills
  (`CellFormat.BackColor`), head fills; heading rows repeated on every page (`TableRow.IsHeader`) or not; rows
  allowed to break across pages (`RowFormat.IsBreakAcrossPages`) or not; cell lines as line breaks or paragraphs.
  Spire paginates the document itself: as a flowing document (themes starting a page or following on) or as
  'slides' (each theme cut into tables of `max_rows` KPI rows, each after a page break with its title '--k/n';
  the budget is lowered while a table spills over its page).  Page setup A4/Letter portrait or landscape (or a
  16:9 page for slides), margins, a running header with a rule, footers with PAGE/NUMPAGES fields ('- n -',
  'n / N', '第 n 頁，共 N 頁', 'n'), a different first page, Spire's TextWatermark (diagonal or horizontal,
  semi-transparent or not);
- "docx": r_docx's python-docx document (merged labels, btLr turned labels, repeated header rows, cantSplit rows,
  band rows, theme page breaks) loaded and converted as it is.
A KPI row Spire breaks across two pages has no single page: as an author proofreading the printout would, the
document's rows are then kept whole (IsBreakAcrossPages false; in docx mode the rows carry cantSplit already) and
it is saved again.

Fonts: the face of fonts.py copied into a private folder given to `Document.SetCustomFontsFolders`, named as the
East Asian font of every run; Latin runs in the face, in 'Times New Roman' or 'Arial' (which Spire substitutes by
Liberation Serif/Sans from the system) or in Liberation Sans; characters the face lacks print folded
(fonts.printable).  Save options (`ToPdfParameterList`): `IsEmbeddedAllFonts` (whole faces) or subsets, PDF/A-1b,
PDF/A-2b or none, Word bookmarks from headings or none.

Evaluation: no licence is set.  The unlicensed build puts a red 'Evaluation Warning: The document was created
with Spire.Doc for Python.' paragraph at the top of the first page (it pushes the content down) and draws the
same line in red bold across the middle of every other page, over the table text (kept: an unlicensed office's
PDF shows it); and it converts only the first 10 pages of a document.  A longer document is cut after layout by
`Document.ExtractPages(first, 9)` into parts (PAGE/NUMPAGES fields keep the whole document's numbers), each saved
to its own PDF and joined with qpdf; a part gets its own evaluation paragraph at its top, which pushes its last
lines onto an extra page, so a part is given 9 pages to leave room for that page under the cap.

Quirks found: Spire's TextDirection names are not Word's (LeftToRight is written btLr, RightToLeft tbRl,
RightToLeftRotated tbRlV, TopToBottom lrTb); `ExtractPages` takes a paragraph with PageBreakBefore into the page
before it (a part cut there prints it twice), so page breaks are Ctrl+Enter breaks (appended to the empty paragraph
after a table), and a page ending in a page break extracts as two pages, the second blank but for the evaluation
line (cut off with qpdf); `TextWatermark` is drawn as filled paths (not in the text layer) and draws nothing in a CFF
face (Noto CJK), so the watermark is set in AR PL UMing TW there; the evaluation lines are in Liberation Serif (the
document's Times New Roman; Lato for a .docx whose default is Calibri); CJK runs are CID TrueType or (Noto) CID
Type 0C Identity-H subsets with a ToUnicode (poppler: 'Mismatch between font type and embedded font file' for
Noto), ASCII runs in the CJK face a second WinAnsi TrueType subset without one, bold without a bold face and
Heading 2's bold italic synthesized under 'UMingTW,Bold'/'UMingTW,BoldItalic' (Noto's Bold found by Spire in the
system collections), subset tags 'FAAABA+' even with `IsEmbeddedAllFonts`; PDF/A-1b and PDF/A-2b both come out
as PDF 1.4 with an XMP stream; Producer 'Generated by the new engine of the Spire.Doc', Creator 'Spire.Doc'.
SPIREDOC_KEEP=path keeps the last JSON job, SPIREDOC_DEBUG=1 prints what a part pushed onto an extra page.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .fonts import TRUETYPE, face_file, printable
from .layout import Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

SPIRE_DOC = "14.9.1"  # PyPI spire.doc (README, Setup), in /work/gen/venv-spiredoc
DRIVER = Path(__file__).with_name("r_spiredoc_driver.py")
CAP = 10  # the unlicensed build converts only the first 10 pages of a document
PART = 9  # pages per part of a longer document (a part's own evaluation paragraph may push a page more)
PAGES = {
    "A4": (595.3, 841.9),
    "A4L": (841.9, 595.3),
    "Letter": (612.0, 792.0),
    "LetterL": (792.0, 612.0),
    "16:9": (720.0, 405.0),
}
MARGINS = {  # top, bottom, left, right
    "word": (72.0, 72.0, 90.0, 90.0),
    "2cm": (56.7, 56.7, 56.7, 56.7),
    "narrow": (36.0, 36.0, 36.0, 36.0),
    "1.27cm": (36.0, 36.0, 36.0, 36.0),
    "1.5cm": (42.5, 42.5, 42.5, 42.5),
}
HEAD_FILLS = {"blue": "DCE6F2", "gray": "D9D9D9", "sand": "FBE4D5", "green": "E2EFDA"}
ZEBRA_FILLS = {"blue": "EEF2F7", "gray": "F2F2F2"}
RULE_COLORS = {"black": "000000", "gray": "808080", "navy": "1F3A68"}
FOOTERS = {
    "dash": ["- ", "{PAGE}", " -"],
    "of": ["{PAGE}", " / ", "{NUMPAGES}"],
    "zh": ["第 ", "{PAGE}", " 頁，共 ", "{NUMPAGES}", " 頁"],
    "page": ["{PAGE}"],
}
NAVY = "1F3A68"
EVAL_LINE = "EvaluationWarning:ThedocumentwascreatedwithSpire.DocforPython."


def python() -> str:
    return os.environ.get("REALTOOLS_SPIREDOC_PYTHON", "/work/gen/venv-spiredoc/bin/python")


@cache
def tool_version(engine: str | None = None) -> str:
    out = subprocess.run([python(), str(DRIVER), "--version"], capture_output=True, text=True, check=True)
    ver = out.stdout.strip()
    if ver != SPIRE_DOC:
        raise RuntimeError(f"spire.doc {SPIRE_DOC} is wanted, {ver} is installed")
    if not shutil.which("qpdf"):
        raise RuntimeError("qpdf is needed to join the parts of a deck longer than the evaluation's 10 pages")
    return f"Spire.Doc for Python {ver} (evaluation)"


def producer_options(rng: random.Random, style: dict) -> dict:
    mode = "docx" if rng.random() < 0.2 else "api"
    flow = rng.random() < 0.7
    page = rng.choice(["A4L", "A4L", "A4", "A4", "LetterL", "Letter"]) if flow else rng.choice(["A4L", "A4L", "16:9"])
    portrait = PAGES[page][0] < PAGES[page][1]
    persp = style["persp_mode"]
    o = {
        "mode": mode,
        "flow": flow,
        "page": page,
        "margins": rng.choice(list(MARGINS)) if page != "16:9" else "narrow",
        "font": style["font"] if rng.random() < 0.85 else "AR PL UKai TW",
        "latin": rng.choice(["face", "face", "Times New Roman", "Arial", "Liberation Sans"]),
        "font_pt": max(7, min(style["font_pt"], 9)) if portrait else max(8, min(style["font_pt"], 11)),
        "title_style": rng.choice(["heading", "direct"]),
        "cover": rng.choice(["page", "page", "block"]),
        "map": rng.choice(["text", "table"]),
        "closing": rng.random() < 0.3,
        "theme_break": rng.random() < 0.7 or not flow,
        "repeat_header": rng.random() < 0.6,
        "rows_whole": rng.random() < 0.5,
        "merge_labels": rng.random() < 0.85,
        "persp_orient": rng.choice(["up", "up", "down"])
        if persp == "rotated"
        else (rng.choice(["vertical", "lines"]) if persp == "stacked" else "h"),
        "band": rng.choice(["hmerge", "wide"]),
        "newline": rng.choice(["line", "line", "paragraph"]),
        "padding": rng.choice([(0.0, 5.4), (0.0, 5.4), (2.0, 4.0), (3.0, 3.0)]),
        "line_spacing": rng.choice([1.0, 1.0, 1.15]),
        "rule_width": rng.choice([0.5, 0.5, 0.75, 1.0, 1.5]),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "head_fill": rng.choice([None, *HEAD_FILLS]),
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "header": rng.random() < 0.4,
        "footer": rng.choice([None, "dash", "dash", "of", "zh", "page"]),
        "footer_align": rng.choice(["center", "center", "right"]),
        "first_page_plain": rng.random() < 0.5,
        "watermark": (style.get("watermark") or rng.random() < 0.15)
        and rng.choice(["內部資料", "僅供內部參考", "草案"]),
        "watermark_diagonal": rng.random() < 0.7,
        "watermark_semi": rng.random() < 0.7,
        "embed_all": rng.choice([None, None, True, False]),
        "conformance": rng.choice([None, None, None, "Pdf_A1B", "Pdf_A2B"]),
        "bookmarks": rng.random() < 0.3,
    }
    if mode == "docx":
        o.update(
            flow=True,
            page="A4L",
            repeat_header=rng.random() < 0.5,
            lead_lines=rng.choice([0, 0, 4, 8]),
            theme_page_break=rng.random() < 0.7,
            font_pt=max(9, style["font_pt"]),
        )
    return o


class JobBuilder:
    """The deck as the driver's JSON job: page setup, fonts, header/footer, blocks of paragraphs and tables."""

    def __init__(self, deck: Deck, o: dict) -> None:
        self.d, self.o = deck, o
        self.W, self.H = PAGES[o["page"]]
        m = MARGINS[o["margins"]]
        self.tw = self.W - m[2] - m[3]
        self.blocks: list[dict] = []
        self.tables: list[list[str]] = []  # keys of the KPI rows of each slide table (slides mode)

    def text(self, s: str) -> str:
        return printable(s, self.o["font"])

    def para(self, text: str, size: float, **kw) -> None:
        """A paragraph; break_before as a page break (Ctrl+Enter) before it: Spire's ExtractPages takes a
        PageBreakBefore paragraph into the page before it, so a part cut there would print it twice."""
        if kw.pop("break_before", False) and self.blocks and self.blocks[-1]["type"] != "page_break":
            self.blocks.append({"type": "page_break"})
        self.blocks.append({"type": "para", "text": self.text(text), "size": size, **kw})

    def heading(self, level: int) -> dict:
        return {"heading": level} if self.o["title_style"] == "heading" else {}

    def job(self, ea: str) -> dict:
        d, o = self.d, self.o
        self.cover()
        for ti, t in enumerate(d.themes):
            self.theme(t, ti)
        if o["closing"]:
            self.blocks.append({"type": "page_break"})
            self.para("\n\n\n\n敬請指教", 32, bold=True, align="center", color=NAVY)
        hdr = None
        if o["header"]:
            hdr = {"text": self.text(f"{d.org}　策略地圖與平衡計分卡"), "size": 8, "align": "right", "rule": True}
        ftr = {"parts": FOOTERS[o["footer"]], "size": 8, "align": o["footer_align"]} if o["footer"] else None
        latin = {"face": ea}.get(o["latin"], o["latin"])
        wm = None
        if o["watermark"]:
            wm = {
                "text": o["watermark"],
                "size": 60 if o["watermark_diagonal"] else 72,
                "color": "BFBFBF" if o["watermark_semi"] else "D9D9D9",
                "diagonal": o["watermark_diagonal"],
                "semi": o["watermark_semi"],
            }
        if wm:  # Spire's TextWatermark draws nothing in a CFF face (Noto CJK): the author picks a TrueType one
            wm["font"] = ea if o["font"] in TRUETYPE else "AR PL UMing TW"
            o["watermark_font"] = wm["font"]
        return {
            "mode": "api",
            "font": ea,
            "latin_font": latin,
            "page": {"w": self.W, "h": self.H, "margins": MARGINS[o["margins"]], "hf_distance": 18},
            "header": hdr,
            "footer": ftr,
            "first_page_plain": o["first_page_plain"] and (hdr or ftr) is not None,
            "watermark": wm,
            "blocks": self.blocks,
        }

    def cover(self) -> None:
        d, o = self.d, self.o
        if o["cover"] == "page":
            self.para("\n" * (6 if self.H > self.W else 3), 14)
            self.para(d.org, 28, bold=True, align="center", color=NAVY, after=12)
            self.para("策略地圖與平衡計分卡", 24, bold=True, align="center", color=NAVY)
            self.para(f"{d.plan_year}年度", 16, align="center", before=18)
            self.blocks.append({"type": "page_break"})
        else:
            self.para(f"{d.org}　策略地圖與平衡計分卡", 20, bold=True, align="center", color=NAVY, after=18)
        self.para("轄區概況", 16, bold=True, after=6, **self.heading(2))
        for line in d.profile_lines:
            self.para(line, 12, after=4)
        self.para(
            f"{d.org}策略地圖（{d.map_date}）", 16, bold=True, before=12, after=6, break_before=True, **self.heading(2)
        )
        by = [(p, [o_.shown for t in d.themes for o_ in t.objectives if o_.perspective == p]) for p in BSC_ORDER]
        by = [(p, objs) for p, objs in by if objs]
        if o["map"] == "text":
            for p, objs in by:
                self.para(f"【{p}構面】　" + "　｜　".join(objs), 12, after=6)
            return
        w0 = self.tw * 0.18
        rows = [
            {
                "cells": [
                    {"text": "構面", "bold": True, "align": "center", "fill": "DCE6F2"},
                    {"text": "策略目標", "bold": True, "align": "center", "fill": "DCE6F2"},
                ]
            }
        ]
        for p, objs in by:
            rows.append(
                {
                    "cells": [
                        {"text": self.text(f"{p}構面"), "align": "center", "valign": "middle"},
                        {"text": self.text("　｜　".join(objs))},
                    ]
                }
            )
        self.blocks.append(
            {
                "type": "table",
                "widths": [w0, self.tw - w0],
                "rows": rows,
                "size": 12,
                "padding": [3.0, 5.4],
                "borders": {"rules": "grid", "width": 0.75, "color": "404040"},
            }
        )

    def theme(self, t, ti: int) -> None:
        o, d = self.o, self.d
        rows = theme_rows(d, t)
        pieces = [rows] if o["flow"] else chunk(rows, int(o["max_rows"]))
        prev: list[Row] = []
        for k, piece in enumerate(pieces, 1):
            title = theme_title(d, t, k, len(pieces)) if not o["flow"] else theme_title(d, t)
            brk = not o["flow"] or o["theme_break"] or ti == 0
            self.para(
                title,
                16 if self.W > self.H else 14,
                bold=True,
                color=NAVY,
                before=12,
                after=6,
                keep_next=True,
                break_before=brk,
                **self.heading(1),
            )
            self.table(piece, prev)
            prev = piece

    def table(self, rows: list[Row], prev: list[Row]) -> None:
        o, d = self.o, self.d
        st = d.style
        cols = columns(d)
        tot = sum(c.weight for c in cols)
        ws = [self.tw * c.weight / tot for c in cols]
        n = len(cols)
        pt = float(o["font_pt"])
        head_fill = HEAD_FILLS.get(o["head_fill"] or "")
        hc = {"bold": True, "align": "center", "valign": "middle", "fill": head_fill}
        out: list[dict] = []
        vm: list[list[int]] = []
        hm: list[list[int]] = []
        two = st["year_header"] == "two_row"
        rule_head = st["rules"] == "none"
        if two:
            r1, r2 = [], []
            j = 0
            while j < n:
                c = cols[j]
                if c.group:
                    k = j
                    while k + 1 < n and cols[k + 1].group == c.group:
                        k += 1
                    for m in range(j, k + 1):
                        r1.append({**hc, "text": c.group if m == j else ""})
                        r2.append({**hc, "text": cols[m].sub or ""})
                    if k > j:
                        hm.append([0, j, k])
                    j = k + 1
                    continue
                r1.append({**hc, "text": c.label})
                r2.append({**hc, "text": ""})
                vm.append([j, 0, 1])
                j += 1
            out += [
                {"cells": r1, "heading": o["repeat_header"], "allow_break": False},
                {"cells": r2, "heading": o["repeat_header"], "allow_break": False, "head_rule": rule_head},
            ]
        else:
            out.append(
                {
                    "cells": [{**hc, "text": c.label} for c in cols],
                    "heading": o["repeat_header"],
                    "allow_break": False,
                    "head_rule": rule_head,
                }
            )
        nh = len(out)
        ids = [c.id for c in cols]
        zebra = st["rules"] == "zebra"
        kpi_i = 0
        for i, r in enumerate(rows):
            if r.kind == "band":
                band = {"text": self.text(r.cells["band"]), "bold": True, "fill": "E2EFDA", "align": "left"}
                out.append({"cells": [band] + [{"fill": "E2EFDA"} for _ in cols[1:]], "allow_break": False})
                hm.append([nh + i, 0, n - 1])
                continue
            fill = ZEBRA_FILLS[o["zebra_fill"]] if zebra and kpi_i % 2 else None
            kpi_i += 1
            cells = []
            for c in cols:
                text = r.cells.get(c.id, "")
                cell = {"align": st["halign"], "valign": st["valign"], "fill": fill, "text": self.text(text)}
                if c.id == "persp":
                    cell.update(align="center", valign="middle")
                    if o["persp_orient"] == "lines":
                        cell["text"] = "\n".join(cell["text"])
                    elif o["persp_orient"] != "h":
                        cell["orient"] = o["persp_orient"]
                cells.append(cell)
            out.append({"cells": cells, "key": r.kpi.code, "allow_break": not o["rows_whole"]})
        for key in ("persp", "obj"):
            if key not in ids:
                continue
            jj = ids.index(key)
            for start, cnt in runs(rows, key):
                blank = start == 0 and st["blank_cont"] and continues(prev, rows[start], key)
                if blank:
                    out[nh + start]["cells"][jj]["text"] = ""
                if o["merge_labels"] and cnt > 1:
                    for m in range(1, cnt):
                        out[nh + start + m]["cells"][jj].update(text="", fill=None)
                    out[nh + start]["cells"][jj]["fill"] = None
                    vm.append([jj, nh + start, nh + start + cnt - 1])
                if key == "persp" and st["persp_mode"] in ("rotated", "stacked"):
                    label = rows[start].cells["persp"]
                    need = len(label) * pt * 1.25 + 2 * o["padding"][0] + 10
                    per = need / (cnt if o["merge_labels"] else 1)
                    for m in range(cnt):
                        row = out[nh + start + m]
                        row["min_h"] = max(row.get("min_h", 0), per)
        self.tables.append([r.kpi.code for r in rows if r.kind == "kpi"])
        self.blocks.append(
            {
                "type": "table",
                "widths": ws,
                "rows": out,
                "vmerges": vm,
                "hmerges": hm,
                "size": pt,
                "padding": list(o["padding"]),
                "newline": o["newline"],
                "line_spacing": o["line_spacing"],
                "borders": {"rules": st["rules"], "width": o["rule_width"], "color": RULE_COLORS[o["rule_color"]]},
            }
        )


@cache
def _family(path: str) -> str:
    from fontTools.ttLib import TTFont

    return str(TTFont(path, lazy=True)["name"].getDebugName(1))


def _run(job: dict, work: Path) -> dict:
    jp, rp = work / "job.json", work / "result.json"
    jp.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    if os.environ.get("SPIREDOC_KEEP"):
        shutil.copy(jp, os.environ["SPIREDOC_KEEP"])
    out = subprocess.run([python(), str(DRIVER), str(jp), str(rp)], capture_output=True, text=True, timeout=900)
    if out.returncode or not rp.exists():
        raise RuntimeError(f"Spire.Doc failed: {out.stderr.strip()[-3000:]}")
    return json.loads(rp.read_text(encoding="utf-8"))


def _join(files: list[str], out_pdf: Path) -> None:
    if len(files) == 1:
        shutil.copy(files[0], out_pdf)
        return
    subprocess.run(["qpdf", "--empty", "--pages", *files, "--", str(out_pdf)], check=True)


def _trim(parts: list[list], work: Path) -> list[str] | None:
    """The parts' PDFs with the blank page Spire adds after a part ending in a page break cut off (it holds only
    the evaluation line); None if a part has more pages than it was cut with that hold anything else (its own
    evaluation paragraph at its top pushed lines onto a further page)."""
    import pymupdf

    out = []
    for k, (f, n, *_) in enumerate(parts):
        doc = pymupdf.open(f)
        if len(doc) > n:
            for i in range(n, len(doc)):
                rest = "".join(doc[i].get_text().split()).replace(EVAL_LINE, "")
                if rest:
                    if os.environ.get("SPIREDOC_DEBUG"):
                        print("part", k, n, len(doc), i, rest[:200])
                    return None
            cut = str(work / f"trim-{k:02d}.pdf")
            subprocess.run(["qpdf", "--empty", "--pages", f, f"1-{n}", "--", cut], check=True)
            f = cut
        out.append(f)
    return out


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (KPI rows per slide at most).  A deck that fails leaves no
    PDF behind."""
    try:
        return _render(deck, Path(out_pdf), options)
    except Exception:
        Path(out_pdf).unlink(missing_ok=True)
        raise


def _render(deck: Deck, out_pdf: Path, options: dict | None) -> dict:
    tool_version()
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    opts.setdefault("max_rows", st["max_rows"])
    opts["fix_steps"] = []
    opts["part"] = PART
    with tempfile.TemporaryDirectory(prefix="spiredoc-") as tmp:
        work = Path(tmp)
        fdir = work / "fonts"
        fdir.mkdir()
        src = face_file(opts["font"])
        shutil.copy(src, fdir)
        ea = _family(src)
        if opts["font"] not in TRUETYPE and opts["watermark"]:
            shutil.copy(face_file("AR PL UMing TW"), fdir)
        for _ in range(40):
            jb = None
            save = {"embed_all": opts["embed_all"], "conformance": opts["conformance"], "bookmarks": opts["bookmarks"]}
            if opts["mode"] == "docx":
                from . import r_docx

                dopts = {
                    "font": ea,
                    "font_pt": opts["font_pt"],
                    "repeat_header": opts["repeat_header"],
                    "lead_lines": opts["lead_lines"],
                    "theme_page_break": opts["theme_page_break"],
                    "rules": st["rules"],
                }
                docx, _ = r_docx.build(deck, work, dopts)
                job = {"mode": "docx", "docx": str(docx)}
            else:
                jb = JobBuilder(deck, opts)
                job = jb.job(ea)
            job.update(font_dir=str(fdir), out_prefix=str(work / "part"), cap=CAP, part=opts["part"], save=save)
            res = _run(job, work)
            files = _trim(res["files"], work)
            if files is None:  # a part pushed longer by its own evaluation paragraph: cut elsewhere
                if opts["part"] > 1:
                    opts["part"] -= 1
                    opts["fix_steps"].append(f"part {opts['part']}")
                elif not opts["flow"] and opts["max_rows"] > 1:  # fuller slides leave no room for the paragraph
                    opts["part"] = PART
                    opts["max_rows"] -= 1
                    opts["fix_steps"].append(f"max_rows {opts['max_rows']}")
                else:
                    raise RuntimeError(f"{deck.stem}: no cut into parts keeps Spire's pages")
                continue
            _join(files, out_pdf)
            find_pages(out_pdf, deck)
            problems = check(out_pdf, deck)
            if any("missing" in p for p in problems) and opts["mode"] == "api" and not opts["rows_whole"]:
                opts["rows_whole"] = True  # a row Spire broke over two pages: keep rows whole
                opts["fix_steps"].append("rows_whole")
                continue
            if jb and not opts["flow"]:
                by_code = {k.code: k.page for _, _, k in deck.kpis()}
                spill = any(len({by_code[c] for c in keys}) > 1 for keys in jb.tables if keys)
                if spill and opts["max_rows"] > 1:
                    opts["max_rows"] -= 1
                    opts["fix_steps"].append(f"max_rows {opts['max_rows']}")
                    continue
            break
        else:
            raise RuntimeError(f"{deck.stem}: Spire layout did not settle")
    if opts["flow"]:
        opts.pop("max_rows", None)
    opts["padding"] = list(opts["padding"])
    opts["font_name"] = ea
    opts["pages"] = res["pages"]
    opts["parts"] = len(res["files"])
    opts["problems"] = problems
    return opts
