"""Re-print generated decks through the tools that re-write PDFs after their makers did.

    python -m tests.realtools.reprint MODE --out DIR SET_DIR...

Offices often publish a deck that passed through another tool: printed again to PDF from a
viewer, compressed, converted to PDF/A, printed as handouts or onto portrait paper. The content is
the source deck's, so its truth files apply (page numbers divided for handouts), and the
manifest records the source deck and the re-printing tool. MODE:

- cairo: `pdftocairo -pdf` (poppler; the PDF output of Linux viewers and browsers)
- ghostscript: `gs -sDEVICE=pdfwrite` (compressors, PDF/A converters, CUPS printing)
- mutool: `mutool convert -F pdf`
- sideways90, sideways270: landscape slides printed turned a quarter onto portrait paper
- nup2: two slides per portrait A4 page (handouts)
- offset: each page a form XObject on a page whose boxes do not start at 0,0
- crop: a CropBox inside a larger MediaBox
- rotate90: every page's /Rotate turned a quarter by `qpdf --rotate=+90` (a viewer's "rotate and
  save"): the content as it was, shown sideways
- pdfpages2, pdfpages2l, pdfpages4: two pages to an A4 sheet one above the other, two side by side
  on a landscape sheet (/Rotate 90), or four (2x2), by pdfTeX's pdfpages (its includepdf with nup=...,
  what pdfjam runs): each page a form XObject scaled onto the sheet
- lodraw: the PDF opened in LibreOffice Draw (its PDF import, `--infilter=draw_pdf_import`) and
  exported again (`--convert-to pdf:draw_pdf_Export`), as an office edits a deck it received
- inkscape: each page imported by Inkscape (its own PDF import, text kept as text) and exported
  again as PDF, the pages joined by `qpdf --empty --pages`

The last two rebuild every page from its drawing: each text run becomes a text box (Draw) or a
`<text>` element (Inkscape) set again in a system font matched by name, each path a shape. What
survives is checked against the source deck (characters of every page, each KPI's code, name and
plans on its truth page, text inside the page); a deck that loses text is kept, flagged
`text_lost` in the manifest (and listed under the manifest's own `text_lost`), its problems under
`reprint_problems` (also characters the re-print adds, e.g. text the source paints twice or that
PyMuPDF does not read there, and characters it writes as other code points), with a count printed
at the end.

LibreOffice Draw (7.4.7.2, Debian 12's libreoffice-draw; pinned in LODRAW): the import is its
xpdfimport helper (poppler 22.12) feeding Draw shapes; fonts are matched by family name through
fontconfig (Noto Sans CJK TC faces come back as "NotoSansCJKjp-...-VKana" Type 1 subsets with a
ToUnicode, the glyphs drawn from whatever face fontconfig picks), transparency of watermarks is
dropped (a tinted mark drawn opaque), clip paths are dropped (text a source clips in its cell,
e.g. Calligra Sheets' stacked labels, shows whole and overlaps the next row), Latin runs come back
in DejaVu Sans (wider: runs overlap their neighbours), text a source paints twice (Calligra) can
come back as two visibly offset copies, and a Draw document has one
page size: every page is exported at one size (the first page's or the second's in the decks seen;
the content kept at its place from the top left), so decks whose pages differ in size (matplotlib's
tight bounding boxes) lose what lies below or right of it (the footer, the foot of a strategy
map): those are the decks flagged text_lost.
Inkscape (1.2.2, Debian 12's inkscape; pinned in INKSCAPE): one page per run (`--pdf-page=N`,
its internal poppler-based import, not `--pdf-poppler`, which turns text into paths), exported by
cairo; fonts matched by name through fontconfig (AR PL UMing decks come back in WenQuanYi Zen Hei),
clips and page sizes kept, text re-encoded through the mapped face, so a few characters change in
the text layer (full-width ／ comes back as U+2215 ∕). Each glyph keeps the source's position while
the substituted face draws it narrower or wider: where a source's Latin was wide (AR PL UMing's
half-width forms), visible gaps open after '.' and ',' ("BP1. 1", "78. 3%", "8, 793"), so the text
layer cuts KPI codes into two words (recorded per KPI as "code no longer a word"; no characters
lost, so not text_lost). About a second per page (run four at a time).

Text a source paints twice at one position (Calligra Sheets' titles and cells) is read once from the
source by MuPDF, which drops the duplicate; both re-prints move the copies apart, so the check
reports those characters as added.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pymupdf

from .spec import fold

_COMMANDS = {
    "cairo": lambda src, dst: ["pdftocairo", "-pdf", str(src), str(dst)],
    "ghostscript": lambda src, dst: ["gs", "-q", "-sDEVICE=pdfwrite", "-dBATCH", "-o", str(dst), str(src)],
    "mutool": lambda src, dst: ["mutool", "convert", "-F", "pdf", "-o", str(dst), str(src)],
    "rotate90": lambda src, dst: ["qpdf", "--rotate=+90", str(src), str(dst)],
}
_TOOLS = {
    "cairo": "pdftocairo (poppler, cairo)",
    "ghostscript": "Ghostscript pdfwrite",
    "mutool": "mutool convert",
    "sideways90": "pages turned 90° onto portrait paper (PyMuPDF show_pdf_page)",
    "sideways270": "pages turned 270° onto portrait paper (PyMuPDF show_pdf_page)",
    "nup2": "two slides per A4 page (PyMuPDF show_pdf_page)",
    "offset": "pages as form XObjects on offset boxes (PyMuPDF)",
    "crop": "a CropBox inside a larger MediaBox (PyMuPDF)",
    "rotate90": "qpdf 11.3.0 --rotate=+90 (every page's /Rotate turned a quarter)",
    "pdfpages2": "two pages to an A4 sheet (pdfTeX pdfpages, nup=1x2)",
    "pdfpages2l": "two pages side by side on a landscape A4 sheet (pdfTeX pdfpages, nup=2x1, landscape)",
    "pdfpages4": "four pages to an A4 sheet (pdfTeX pdfpages, nup=2x2)",
    "lodraw": "LibreOffice Draw {LODRAW} (PDF import, draw_pdf_Export)",
    "inkscape": "Inkscape {INKSCAPE} (PDF import per page, cairo export, qpdf --pages)",
}
LODRAW = "7.4.7.2"
INKSCAPE = "1.2.2"
_CHECKED = ("lodraw", "inkscape")  # modes that rebuild the page: their text is checked against the source

_PRODUCERS = (
    {mode: "r_" + mode.rstrip("0123456789") for mode in _TOOLS}
    | {"mutool": "r_mupdf", "nup2": "r_nup2", "rotate90": "r_qpdf_rotate"}
    | dict.fromkeys(("pdfpages2", "pdfpages2l", "pdfpages4"), "r_pdfpages")
)
_PDFPAGES = {"pdfpages2": ("1x2", False), "pdfpages2l": ("2x1", True), "pdfpages4": ("2x2", False)}
_PER_SHEET = {"nup2": 2, "pdfpages2": 2, "pdfpages2l": 2, "pdfpages4": 4}  # truth pages are divided by these


def _layout(mode: str, src_path: Path, dst: Path) -> None:
    src = pymupdf.open(src_path)
    for page in src:  # show_pdf_page ignores /Rotate: bake it into the content first
        if page.rotation:
            page.remove_rotation()
    doc = pymupdf.open()
    if mode in ("sideways90", "sideways270"):
        for pno, page in enumerate(src):
            target = doc.new_page(width=page.rect.height, height=page.rect.width)
            target.show_pdf_page(target.rect, src, pno, rotate=90 if mode == "sideways90" else 270)
    elif mode == "nup2":
        width, height = 595, 842
        for pno in range(0, len(src), 2):
            target = doc.new_page(width=width, height=height)
            for k in range(min(2, len(src) - pno)):
                rect = src[pno + k].rect
                scale = min((width - 60) / rect.width, (height / 2 - 50) / rect.height)
                w, h = rect.width * scale, rect.height * scale
                x0, y0 = (width - w) / 2, 30 + k * height / 2
                target.show_pdf_page(pymupdf.Rect(x0, y0, x0 + w, y0 + h), src, pno + k)
    elif mode == "offset":
        for pno, page in enumerate(src):
            shown = pymupdf.Rect(120, 90, 120 + page.rect.width, 90 + page.rect.height)
            target = doc.new_page(width=page.rect.width + 200, height=page.rect.height + 150)
            target.show_pdf_page(shown, src, pno)
            target.set_cropbox(shown)
    elif mode == "crop":
        doc.insert_pdf(src)
        for page in doc:
            rect = page.rect
            page.set_mediabox(pymupdf.Rect(-36, -36, rect.width + 36, rect.height + 36))
            # PyMuPDF measures a CropBox's y down from the MediaBox's top and its x as PDF's: the
            # page's own area, PDF [0 0 w h], is 36 down. (Rect(0, 0, w, h) showed the sheet's top
            # 36 pt and cut off the page's foot.)
            page.set_cropbox(pymupdf.Rect(0, 36, rect.width, rect.height + 36))
    doc.save(dst)


def tool_version(mode: str) -> str:
    """The pinned version of a re-printing tool, checked against the installed one."""
    if mode == "lodraw":
        out = subprocess.run(["soffice", "--version"], capture_output=True, text=True, check=False).stdout
        have, want = (re.search(r"LibreOffice (\S+)", out) or [None, None])[1], LODRAW
    elif mode == "inkscape":
        out = subprocess.run(["inkscape", "--version"], capture_output=True, text=True, check=False).stdout
        have, want = (re.search(r"Inkscape (\S+)", out) or [None, None])[1], INKSCAPE
    else:
        return _TOOLS[mode]
    if have != want:
        raise SystemExit(f"{mode}: needs version {want}, found {have!r}")
    return _TOOLS[mode].format(LODRAW=LODRAW, INKSCAPE=INKSCAPE)


def _lodraw(src: Path, dst: Path) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        inp = Path(tmp) / "deck.pdf"  # a plain name: soffice names its output after the input
        shutil.copy(src, inp)
        cmd = [
            "soffice",
            f"-env:UserInstallation=file://{tmp}/profile",
            "--headless",
            "--norestore",
            "--infilter=draw_pdf_import",
            "--convert-to",
            "pdf:draw_pdf_Export",
            "--outdir",
            f"{tmp}/out",
            str(inp),
        ]
        subprocess.run(cmd, capture_output=True, check=False, timeout=600)
        out = Path(tmp) / "out" / "deck.pdf"
        if not out.exists() or out.stat().st_size == 0:
            return False
        shutil.move(str(out), str(dst))
    return True


def _inkscape(src: Path, dst: Path) -> bool:
    pages = len(pymupdf.open(src))
    with tempfile.TemporaryDirectory() as tmp:

        def one(n: int) -> Path:
            out = Path(tmp) / f"p{n:03d}.pdf"
            cmd = ["inkscape", f"--pdf-page={n}", "--export-type=pdf", f"--export-filename={out}", str(src)]
            env = {"HOME": tmp, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
            subprocess.run(cmd, capture_output=True, check=False, timeout=600, env=env)
            return out

        with ThreadPoolExecutor(4) as pool:
            outs = list(pool.map(one, range(1, pages + 1)))
        if not all(o.exists() and o.stat().st_size > 0 for o in outs):
            return False
        cmd = ["qpdf", "--empty", "--pages", *map(str, outs), "--", str(dst)]
        done = subprocess.run(cmd, capture_output=True, check=False)
        return done.returncode in (0, 3) and dst.exists()  # 3: warnings only


# characters a re-print writes as another code point (folded source → re-print), not counted as lost
_CHANGED = [("/", "∕")]  # Inkscape: full-width ／ (folded to /) comes back as U+2215 DIVISION SLASH


def _chars(text: str) -> Counter:
    return Counter("".join(fold(text).split()))


def text_problems(src: Path, dst: Path, truth: dict) -> list[str]:
    """What the re-print lost against its source: characters of each page, each KPI's code, name and
    plans on its truth page, text pushed outside the page, pages added or dropped."""
    a, b = pymupdf.open(src), pymupdf.open(dst)
    problems = []
    if len(a) != len(b):
        problems.append(f"{len(a)} pages became {len(b)}")
    for i, (p, q) in enumerate(zip(a, b), 1):
        lost, added = _chars(p.get_text()) - _chars(q.get_text()), _chars(q.get_text()) - _chars(p.get_text())
        changed = Counter()
        for was, now in _CHANGED:
            n = min(lost[was], added[now])
            if n:
                changed[f"{was}→{now}"] = n
                lost[was] -= n
                added[now] -= n
        lost, added = +lost, +added
        if changed:
            problems.append(f"page {i}: characters changed: " + ", ".join(f"{k} ×{n}" for k, n in changed.items()))
        if lost:
            problems.append(f"page {i}: characters lost: {''.join(sorted(lost.elements()))}")
        if added:
            problems.append(f"page {i}: characters added: {''.join(sorted(added.elements()))}")
        r = q.mediabox
        for blk in q.get_text("dict")["blocks"]:
            x0, y0, x1, y1 = blk["bbox"]
            if blk.get("type") == 0 and (x0 < -2 or y0 < -2 or x1 > r.width + 2 or y1 > r.height + 2):
                problems.append(f"page {i}: text outside the page at {tuple(round(v) for v in blk['bbox'])}")
    for k in truth["kpis"]:
        n = k["page"]
        if not (0 < n <= len(b)):
            problems.append(f"KPI {k['kpi_code']}: page {n} missing")
            continue
        rx = re.compile(rf"(?<![A-Za-z0-9.]){re.escape(k['kpi_code'])}(?![0-9]|\.[0-9])")
        if not any(rx.search(fold(w[4])) for w in b[n - 1].get_text("words")) and any(
            rx.search(fold(w[4])) for w in a[n - 1].get_text("words")
        ):
            problems.append(f"KPI {k['kpi_code']}: code no longer a word on page {n}")
        need = _chars(k["kpi_name"] + k["kpi_code"] + "".join((p["code"] or "") + p["name"] for p in k["action_plans"]))
        gone = (need - _chars(b[n - 1].get_text())) - (need - _chars(a[n - 1].get_text()))
        if gone:
            problems.append(f"KPI {k['kpi_code']}: characters lost on page {n}: {''.join(sorted(gone.elements()))}")
    return problems


def _pdfpages(mode: str, src: Path, dst: Path) -> bool:
    """`src` printed several pages to a sheet by pdfTeX's pdfpages."""
    nup, landscape = _PDFPAGES[mode]
    turned = ",landscape" if landscape else ""
    tex = (
        f"\\documentclass[a4paper{turned}]{{article}}\n\\usepackage{{pdfpages}}\n\\begin{{document}}\n"
        f"\\includepdf[pages=-,nup={nup}{turned}]{{deck.pdf}}\n\\end{{document}}\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(src, Path(tmp) / "deck.pdf")
        (Path(tmp) / "sheet.tex").write_text(tex)
        done = subprocess.run(["pdflatex", "-interaction=batchmode", "sheet.tex"], cwd=tmp, capture_output=True)
        sheet = Path(tmp) / "sheet.pdf"
        if done.returncode or not sheet.exists():
            return False
        shutil.copy(sheet, dst)
    return True


def reprint(mode: str, src: Path, dst: Path) -> bool:
    """Write `src` re-printed by `mode` to `dst`; False when the tool fails on it."""
    if mode in _PDFPAGES:
        return _pdfpages(mode, src, dst)
    if mode == "lodraw":
        return _lodraw(src, dst)
    if mode == "inkscape":
        return _inkscape(src, dst)
    if mode in _COMMANDS:
        done = subprocess.run(_COMMANDS[mode](src, dst), capture_output=True, check=False)
        return done.returncode == 0 and dst.exists() and dst.stat().st_size > 0
    _layout(mode, src, dst)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=sorted(_TOOLS))
    parser.add_argument("sets", nargs="+", type=Path, help="directories written by tests.realtools.generate")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tool_name = tool_version(args.mode)
    decks, lost = [], []
    for source in args.sets:
        manifest = json.loads((source / "manifest.json").read_text())
        for deck in manifest["decks"]:
            name = deck["file"]
            if not reprint(args.mode, source / name, args.out / name):
                print(f"{name}: {args.mode} failed; left out")
                continue
            truth = json.loads((source / name.replace(".pdf", ".truth.json")).read_text())
            if per_sheet := _PER_SHEET.get(args.mode):
                for kpi in truth["kpis"]:
                    kpi["page"] = (kpi["page"] - 1) // per_sheet + 1
            (args.out / name.replace(".pdf", ".truth.json")).write_text(json.dumps(truth, ensure_ascii=False, indent=1))
            tool = f"{tool_name} re-printing {deck['tool']}"
            entry = {**deck, "producer": _PRODUCERS[args.mode], "tool": tool, "source_set": source.name}
            if args.mode in _CHECKED:
                entry["reprint_problems"] = text_problems(source / name, args.out / name, truth)
                entry["text_lost"] = any(
                    " lost" in p or "outside" in p or "pages became" in p or "missing" in p
                    for p in entry["reprint_problems"]
                )
                if entry["text_lost"]:
                    lost.append(name)
                    print(f"{name}: {'; '.join(entry['reprint_problems'])}")
            decks.append(entry)
    how = f"{args.mode} over " + ", ".join(s.name for s in args.sets)
    out = {"seed": manifest["seed"], "how": how, "decks": decks}
    if args.mode in _CHECKED:
        out["text_lost"] = lost
    (args.out / "manifest.json").write_text(json.dumps(out, ensure_ascii=False, indent=1))
    if args.mode in _CHECKED:
        print(f"{len(decks)} decks re-printed, {len(lost)} lose text")


if __name__ == "__main__":
    main()
