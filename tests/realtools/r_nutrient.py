"""Nutrient (formerly PSPDFKit) Node.js SDK 1.3.0 (npm @nutrient-sdk/node): Office files converted to PDF by the SDK's
own Office engine (GdPicture.NET 14.3 compiled to WebAssembly, no LibreOffice, no MS Office), as Node back-ends that
turn uploaded .pptx/.docx/.xlsx into PDF with it do.  A small driver (`r_nutrient.js`) reads a JSON job:
`load({document, fonts})`, optionally a second `load` of the converted PDF with Instant JSON annotations (page
footers stamped as FreeText annotations), `exportPDF({flatten, saveForPrinting})`.

Trial mode (no licence key): the engine prints a banner ('This version is not for redistribution and is time-limited
to 1 hour', per process) and writes a red 'For Evaluation Purposes Only' line (Helvetica-Bold, not embedded, in the
text layer) across the top of every page, over whatever is there (slide titles and running headers included).
Creator and Producer are 'GdPicture.NET'.

Sources (`source`), built by the existing builders:
- "pptx": r_poislides' python-pptx deck (explicit cell fills and `a:lnX` borders, merged/repeated/first-row labels,
  `vert270`/`vert` turned labels, stacked labels, band rows, text-box or 'Title Only' placeholder titles, '- n -' /
  'n / N' / '第 n 頁，共 N 頁' footers as text or `a:fld type="slidenum"`, badge or text logo, '內部資料' watermark,
  the face named directly or Windows typefaces 微軟正黑體/新細明體/標楷體 + Calibri/Arial the engine does not have,
  drawn in its backup font, so only for decks without radicals or compatibility ideographs);
  the engine grows table rows to its own line breaking, so a slide whose text runs past its foot is written again
  with fewer rows;
- "docx": r_docx's Word document (A4 landscape, themes on new pages or following on, repeated header rows or not,
  blank lead lines), with a running header (the office and 策略地圖與平衡計分卡) and a footer of PAGE / NUMPAGES
  fields added the way a Word author does ('- n -', 'n / N', '第 n 頁，共 n 頁');
- "xlsx": r_xlsx's workbook (one sheet per theme, print titles, manual page breaks every max_rows KPIs, fit to
  width, rotated 90° or stacked (255) 構面 labels).  The engine ignores the sheets' header/footer (&P), so none is
  written.

Fonts: the face of fonts.py mounted into the engine's /fonts by `load({fonts: [{name, data}]})` (the name must be a
file name with its extension, else the face is ignored), or no fonts at all, as a developer who never passed any:
then every character is drawn in the engine's own 'GdPictureBackupFont' (a CID TrueType subset with CJK).  Noto CJK
is embedded as CID Type 0C.

Annotations (`stamp`): page numbers stamped by the driver as `pspdfkit/text` annotations on a second load of the PDF
(from the first page numbered on), flattened into the page (`exportPDF({flatten: true})`: a Form XObject drawn in
Helvetica embedded as a CID Type 0C (OpenType) subset, which poppler calls a mismatch between font type and file)
or left as FreeText annotations (not in the page's text layer).

Quirks seen: long numbers are broken inside ('1,285,187元' printed '1,2' / '85,187元' in a narrow Word cell,
'23,' / '000' in a sheet); the evaluation line covers slide titles and running headers; xlsx header/footer codes are
not printed, and a sheet fitted to the page width is printed on a page made wider than A4 (956 x 596 pt) instead of
scaled; a slide table whose rows grow past its graphic frame's saved height loses those rows without a trace (see
_frames_to_foot); slide tables whose cells have no `a:lnX` borders are drawn with a grid; `vert` labels come out as
upright stacked characters; the backup font lacks Kangxi radicals and compatibility ideographs (those characters
vanish from page and text layer).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .fonts import face_file
from .layout import check, find_pages
from .spec import Deck

NUTRIENT = "1.3.0"  # npm install @nutrient-sdk/node@1.3.0 in /work/gen/npm-nutrient (README, Setup)
JS = Path(__file__).with_name("r_nutrient.js")
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}", "zh": "第 {n} 頁，共 {N} 頁", "page": "第 {n} 頁"}
POI_ONLY = ("zoom", "fractional", "drawer_scope", "compress", "info", "cff_refused", "font", "page")


def modules_dir() -> Path:
    """The folder whose node_modules holds @nutrient-sdk/node ($REALTOOLS_NUTRIENT, else /work/gen/npm-nutrient)."""
    d = Path(os.environ.get("REALTOOLS_NUTRIENT", "/work/gen/npm-nutrient"))
    if not (d / "node_modules" / "@nutrient-sdk" / "node" / "package.json").exists():
        raise RuntimeError(f"@nutrient-sdk/node missing: cd {d} && npm install @nutrient-sdk/node@{NUTRIENT}")
    return d


@cache
def tool_version(engine: str | None = None) -> str:
    pkg = json.loads((modules_dir() / "node_modules" / "@nutrient-sdk" / "node" / "package.json").read_text())
    if pkg["version"] != NUTRIENT:
        raise RuntimeError(f"@nutrient-sdk/node {pkg['version']} installed, {NUTRIENT} wanted")
    return f"Nutrient Node.js SDK {NUTRIENT} (@nutrient-sdk/node, GdPicture.NET 14.3.23 WASM Office engine; trial)"


def producer_options(rng: random.Random, style: dict) -> dict:
    from . import r_poislides

    source = rng.choice(["pptx"] * 9 + ["docx"] * 6 + ["xlsx"] * 5)
    o = {
        "source": source,
        "font": style["font"] if rng.random() < 0.85 else "AR PL UKai TW",
        # no fonts given: the engine's backup font, which lacks the Kangxi radicals and compatibility ideographs
        # some offices' text holds (they vanish from the page), so only for decks without them
        "fonts": rng.choice(["face", "face", "face", "none"])
        if not (style["radical_rate"] or style["compat_rate"])
        else "face",
        "flatten": rng.random() < 0.7,
        "save_for_printing": rng.random() < 0.3,
        "stamp": rng.choice([None, None, None, "dash", "of", "page"]),
        "stamp_align": rng.choice(["center", "right"]),
    }
    if source == "pptx":
        po = r_poislides.producer_options(rng, style)
        for k in POI_ONLY:
            po.pop(k, None)
        o.update(po)
        o["page"] = style["page"]
        if o["typefaces"] == "windows" and (style["radical_rate"] or style["compat_rate"]):
            # the engine has no Windows typefaces and draws such runs in its backup font, which lacks the radicals
            # and compatibility ideographs (set 3 of the first draw lost 人 and 金門 that way)
            o["typefaces"] = "direct"
        if o["stamp"]:
            o["footer"] = None  # the author stamps the numbers instead of writing them on the slides
    elif source == "docx":
        o.update(
            repeat_header=rng.random() < 0.6,
            lead_lines=rng.choice([0, 0, 0, 4, 8]),
            theme_page_break=rng.random() < 0.7,
            running_header=rng.random() < 0.5,
            footer=None if o["stamp"] else rng.choice([None, "dash", "of", "zh"]),
            footer_align=rng.choice(["center", "right"]),
        )
    else:
        o.update(
            repeat_header=rng.random() < 0.7,
            header_fill=rng.choice(["DDEBF7", "D9D9D9", "FCE4D6", "FFFFFF"]),
        )
    return o


def _run(job: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="r_nutrient-") as tmp:
        path, report = Path(tmp) / "job.json", Path(tmp) / "report.json"
        job = {**job, "modules": str(modules_dir()), "report": str(report)}
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run(["node", str(JS), str(path)], capture_output=True, text=True, timeout=600)
        if proc.returncode or not Path(job["out"]).exists():
            raise RuntimeError(f"Nutrient failed: {proc.stderr.strip()[-3000:]}")
        return json.loads(report.read_text())


def _fld(p, instr: str, shown: str) -> None:
    """A complex field (begin / instrText / separate / result / end) in paragraph p, as Word writes PAGE."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> None:
        r = p.add_run()
        e = OxmlElement("w:fldChar")
        e.set(qn("w:fldCharType"), kind)
        r._r.append(e)

    char("begin")
    r = p.add_run()
    t = OxmlElement("w:instrText")
    t.set(qn("xml:space"), "preserve")
    t.text = f" {instr} "
    r._r.append(t)
    char("separate")
    p.add_run(shown)
    char("end")


def _docx_furniture(src: Path, deck: Deck, opts: dict) -> None:
    """Running header and a page-number footer of fields, added to r_docx's document."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document(str(src))
    sec = doc.sections[0]
    if opts.get("running_header"):
        p = sec.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        r = p.add_run(f"{deck.org}　策略地圖與平衡計分卡")
        r.font.size = Pt(9)
        r.font.name = opts["font"]
        r._element.get_or_add_rPr().get_or_add_rFonts().set(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", opts["font"]
        )
    if opts.get("footer"):
        p = sec.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if opts["footer_align"] == "center" else WD_ALIGN_PARAGRAPH.RIGHT
        fmt = FOOTERS[opts["footer"]]
        for part in re.split(r"(\{n\}|\{N\})", fmt):
            if part == "{n}":
                _fld(p, "PAGE", "1")
            elif part == "{N}":
                _fld(p, "NUMPAGES", "1")
            elif part:
                p.add_run(part)
    doc.save(str(src))


def _build(deck: Deck, opts: dict, work: Path) -> Path:
    if opts["source"] == "pptx":
        from . import r_poislides

        src = work / f"{deck.stem}.pptx"
        r_poislides.Builder(deck, opts).build(src)
        _frames_to_foot(src, opts)
        return src
    if opts["source"] == "docx":
        from . import r_docx

        src, used = r_docx.build(deck, work, opts)
        opts.update(used)
        _docx_furniture(src, deck, opts)
        return src
    from . import r_xlsx

    src, used = r_xlsx.build(deck, work, opts)
    opts.update(used)
    return src


def _frames_to_foot(pptx: Path, opts: dict) -> None:
    """Stretch every table's graphic frame down to the footer line.  The engine grows rows to its own line breaking
    but draws only the rows that fit in the frame's saved height (python-pptx saves the sum of the nominal row
    heights): the first decks lost their last KPI rows without a trace, so the author drags the table frame down to
    the foot of the slide (rows are not stretched to fill it)."""
    from pptx import Presentation
    from pptx.util import Emu

    prs = Presentation(str(pptx))
    foot = (30 if (opts.get("footer") or opts.get("footer_org") or opts.get("stamp")) else 6) * 12700
    for slide in prs.slides:
        for shp in slide.shapes:
            if shp.has_table:
                shp.height = Emu(max(shp.height, prs.slide_height - foot - shp.top))
    prs.save(str(pptx))


def _all_found(pdf: Path, deck: Deck) -> bool:
    try:
        find_pages(pdf, deck)
    except ValueError:
        return False
    return True


def _past_foot(pdf: Path, deck: Deck, opts: dict) -> bool:
    """Does a slide's table text run below the footer line (or past the slide's foot)?  Footer furniture and the
    evaluation line are not table text."""
    import pymupdf

    foot_on = opts.get("footer") or opts.get("footer_org") or opts.get("stamp")
    doc = pymupdf.open(str(pdf))
    for page in doc:
        H = page.rect.height
        limit = H - (28 if foot_on else 4)
        for b in page.get_text("dict")["blocks"]:
            for ln in b.get("lines", []):
                text = "".join(s["text"] for s in ln["spans"]).strip()
                if not text or ln["bbox"][3] <= limit:
                    continue
                if text == "For Evaluation Purposes Only":
                    continue
                if (
                    foot_on
                    and ln["bbox"][1] >= H - 30
                    and (deck.org in text or re.fullmatch(r"[-第頁共，/ 0-9]+", text) or "策略地圖" in text)
                ):
                    continue
                return True
    return False


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (KPI rows per slide or page break) and font_pt."""
    tool_version()
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    if opts["source"] == "pptx":
        from . import r_poislides

        base = r_poislides.producer_options(random.Random(0), st)
        opts = {**{k: v for k, v in base.items() if k not in POI_ONLY}, "page": st["page"], **opts}
    opts.setdefault("max_rows", st["max_rows"])
    opts.setdefault("font_pt", st["font_pt"] if opts["source"] == "pptx" else max(9, st["font_pt"]))
    out_pdf = Path(out_pdf)
    with tempfile.TemporaryDirectory(prefix="r_nutrient-") as tmp:
        work = Path(tmp)
        fonts = []
        if opts["fonts"] == "face":
            f = face_file(opts["font"])
            fonts.append({"name": Path(f).name, "path": f})
        while True:
            src = _build(deck, opts, work)
            job = {
                "src": str(src),
                "out": str(out_pdf),
                "fonts": fonts,
                "export": {"flatten": bool(opts["flatten"]), "saveForPrinting": bool(opts["save_for_printing"])},
            }
            if opts["stamp"]:
                job["instant_pass"] = {
                    "footer": FOOTERS[opts["stamp"]],
                    "from": 2,
                    "align": opts["stamp_align"],
                    "size": 9,
                }
            rep = _run(job)
            if opts["source"] == "pptx" and (_past_foot(out_pdf, deck, opts) or not _all_found(out_pdf, deck)):
                if opts["max_rows"] > 1:
                    opts["max_rows"] -= 1
                    continue
                if opts["font_pt"] > 6:
                    opts["font_pt"] -= 1
                    continue
            break
        opts.pop("_H", None)
        try:
            find_pages(out_pdf, deck)
        except ValueError:
            keep = os.environ.get("REALTOOLS_KEEP_FAILED")  # for looking at what the engine was given
            if keep:
                shutil.copy(out_pdf, Path(keep) / out_pdf.name)
                shutil.copy(src, Path(keep) / src.name)
                (Path(keep) / f"{deck.stem}.options.json").write_text(json.dumps(opts, ensure_ascii=False, indent=1))
            raise
    opts["pages_reported"] = len(rep.get("pages", []))
    opts["problems"] = [p for p in check(out_pdf, deck) if not _banner_only(out_pdf, p)]
    return opts


def _banner_only(pdf: Path, problem: str) -> bool:
    """Is a 'text outside the page' problem the trial's own 'For Evaluation Purposes Only' line (60 pt Helvetica-Bold
    whose ascent box starts a few points above the page)?"""
    import pymupdf

    m = re.match(r"page (\d+): text outside the page at \((.*)\)", problem)
    if not m:
        return False
    box = tuple(int(v) for v in m.group(2).split(", "))
    page = pymupdf.open(str(pdf))[int(m.group(1)) - 1]
    for b in page.get_text("dict")["blocks"]:
        if b.get("type") == 0 and tuple(round(v) for v in b["bbox"]) == box:
            text = "".join(s["text"] for ln in b["lines"] for s in ln["spans"]).strip()
            return text == "For Evaluation Purposes Only"
    return False


if __name__ == "__main__":
    print(tool_version())
