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
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

import pymupdf

_COMMANDS = {
    "cairo": lambda src, dst: ["pdftocairo", "-pdf", str(src), str(dst)],
    "ghostscript": lambda src, dst: ["gs", "-q", "-sDEVICE=pdfwrite", "-dBATCH", "-o", str(dst), str(src)],
    "mutool": lambda src, dst: ["mutool", "convert", "-F", "pdf", "-o", str(dst), str(src)],
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
}

_PRODUCERS = {mode: "r_" + mode.rstrip("0123456789") for mode in _TOOLS} | {"mutool": "r_mupdf", "nup2": "r_nup2"}


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
            page.set_cropbox(pymupdf.Rect(0, 0, rect.width, rect.height))
    doc.save(dst)


def reprint(mode: str, src: Path, dst: Path) -> bool:
    """Write `src` re-printed by `mode` to `dst`; False when the tool fails on it."""
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
    decks = []
    for source in args.sets:
        manifest = json.loads((source / "manifest.json").read_text())
        for deck in manifest["decks"]:
            name = deck["file"]
            if not reprint(args.mode, source / name, args.out / name):
                print(f"{name}: {args.mode} failed; left out")
                continue
            truth = json.loads((source / name.replace(".pdf", ".truth.json")).read_text())
            if args.mode == "nup2":
                for kpi in truth["kpis"]:
                    kpi["page"] = (kpi["page"] + 1) // 2
            (args.out / name.replace(".pdf", ".truth.json")).write_text(json.dumps(truth, ensure_ascii=False, indent=1))
            tool = f"{_TOOLS[args.mode]} re-printing {deck['tool']}"
            decks.append({**deck, "producer": _PRODUCERS[args.mode], "tool": tool, "source_set": source.name})
    how = f"{args.mode} over " + ", ".join(s.name for s in args.sets)
    out = {"seed": manifest["seed"], "how": how, "decks": decks}
    (args.out / "manifest.json").write_text(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
