"""Generate evaluation decks with real producers: `<stem>.pdf`, `<stem>.truth.json` and manifest.json.

    python -m tests.realtools.generate --family office|html|draw|engines|mixed --count N --seed S --out DIR

Decks come in runs of consecutive plan years per office (same KPIs, repeated actuals), so lineage can be
scored as well as single decks.  Each deck's producer options and style are recorded in the manifest.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import subprocess
import sys
import traceback
from functools import cache
from importlib import metadata
from pathlib import Path

from .spec import Office

FAMILIES = {
    "office": ["r_pptx", "r_xlsx", "r_docx"],
    "html": ["r_chromium", "r_chromium", "r_htmlalt"],
    "draw": ["r_fitz", "r_fitz", "r_reportlab"],
    "engines": ["r_latex", "r_typst"],
}
FAMILIES["mixed"] = [m for k in ("office", "html", "draw", "engines") for m in FAMILIES[k]]
# Producers added later, in a family of their own so that earlier seeds of "mixed" still draw the same decks.
# Each such module names its tool and draws its options itself: tool_version() and producer_options(rng, style).
FAMILIES["more"] = ["r_fpdf", "r_gnumeric", "r_abiword", "r_fop", "r_svg", "r_lualatex"]
FAMILIES["more2"] = ["r_qt", "r_uplatex"]
FAMILIES["more3"] = ["r_xhtml2pdf", "r_pdfmake"]
FAMILIES["more4"] = ["r_calligra"]
FAMILIES["more5"] = ["r_borb"]
FAMILIES["more6"] = ["r_jspdf"]
FAMILIES["more7"] = ["r_mpdf"]
FAMILIES["more8"] = ["r_prawn"]
FAMILIES["more9"] = ["r_openpdf"]
FAMILIES["more10"] = ["r_context"]
FAMILIES["more11"] = ["r_tcpdf"]
FAMILIES["more12"] = ["r_dompdf"]
FAMILIES["more13"] = ["r_pdfbox"]
FAMILIES["more14"] = ["r_pdflib"]
FAMILIES["more15"] = ["r_scribus"]
FAMILIES["more16"] = ["r_pdfapi2"]
FAMILIES["more17"] = ["r_reactpdf"]
FAMILIES["more18"] = ["r_firefox"]
FAMILIES["more19"] = ["r_itext5"]
FAMILIES["more20"] = ["r_libharu"]
FAMILIES["more21"] = ["r_gofpdf"]
FAMILIES["more22"] = ["r_flyingsaucer"]
FAMILIES["more23"] = ["r_pdftable"]
FAMILIES["more24"] = ["r_pdfkit"]
FAMILIES["more25"] = ["r_skia"]
FAMILIES["more26"] = ["r_pdfjsgen"]
FAMILIES["more27"] = ["r_rgraphics"]
FAMILIES["more28"] = ["r_spire"]
FAMILIES["more29"] = ["r_matplotlib"]
FAMILIES["more30"] = ["r_mupdfstory"]
FAMILIES["more31"] = ["r_podofo"]
FAMILIES["more32"] = ["r_pdfme"]
FAMILIES["more33"] = ["r_rinoh"]
FAMILIES["more34"] = ["r_asciidoctor"]
FAMILIES["more35"] = ["r_pyfpdf"]
FAMILIES["more36"] = ["r_calligrasheets"]
FAMILIES["more37"] = ["r_graphviz"]
FAMILIES["more38"] = ["r_javag2d"]
FAMILIES["more39"] = ["r_vivliostyle"]
FAMILIES["more40"] = ["r_calibre"]
FAMILIES["more41"] = ["r_webkitgtk"]
FAMILIES["more42"] = ["r_rst2pdf"]
FAMILIES["more43"] = ["r_poislides"]
FAMILIES["more44"] = ["r_calligrastage"]
FAMILIES["more45"] = ["r_poihslf"]
FAMILIES["more46"] = ["r_pandoc"]
FAMILIES["more47"] = ["r_fpdfbig5"]
FAMILIES["more48"] = ["r_tfpdf"]
FAMILIES["more49"] = ["r_asposeslides"]
FAMILIES["more50"] = ["r_asposewords"]
FAMILIES["more51"] = ["r_asposecells"]
FAMILIES["more52"] = ["r_asposepdf"]
FAMILIES["more53"] = ["r_postscript"]
FAMILIES["more54"] = ["r_pdflatexcjk"]
FAMILIES["more55"] = ["r_batik"]
FAMILIES["more56"] = ["r_plotly"]
FAMILIES["more57"] = ["r_spirepres"]
FAMILIES["more58"] = ["r_spiredoc"]
FAMILIES["more59"] = ["r_spirexls"]
FAMILIES["more60"] = ["r_asposehtml"]
FAMILIES["more61"] = ["r_muhammara"]
FAMILIES["more62"] = ["r_syncfusion"]
FAMILIES["more63"] = ["r_pdfium"]
FAMILIES["more64"] = ["r_svg2pdf"]
FAMILIES["more65"] = ["r_nutrient"]
FAMILIES["more66"] = ["r_psprint"]
FAMILIES["more67"] = ["r_kendo"]
FAMILIES["more68"] = ["r_spreadjs"]
FAMILIES["more69"] = ["r_jspdfhtml"]
FAMILIES["more70"] = ["r_impressnotes"]
FAMILIES["more71"] = ["r_jasper"]
FAMILIES["more72"] = ["r_stimulsoft"]
FAMILIES["more73"] = ["r_arjs"]

# A producer that fails every deck (its tool is missing) would otherwise draw new offices for ever.
MAX_FAILED_IN_A_ROW = 5


def _cmd_version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "unknown"


@cache
def tool_version(module: str, engine: str | None = None) -> str:
    """The producing tool's own version string, for the manifest."""
    mod = importlib.import_module(f"{__package__}.{module}")
    if hasattr(mod, "tool_version"):
        return mod.tool_version(engine)
    if module in ("r_pptx", "r_xlsx", "r_docx"):
        lib = {"r_pptx": "python-pptx", "r_xlsx": "openpyxl", "r_docx": "python-docx"}[module]
        return f"{_cmd_version(['soffice', '--version'])}; {lib} {metadata.version(lib)}"
    if module == "r_chromium":
        return _cmd_version(["chromium", "--version"])
    if module == "r_htmlalt":
        if engine == "wkhtmltopdf":
            return _cmd_version(["wkhtmltopdf", "--version"])
        return f"WeasyPrint {metadata.version('weasyprint')}"
    if module == "r_fitz":
        return f"PyMuPDF {metadata.version('pymupdf')}"
    if module == "r_reportlab":
        return f"ReportLab {metadata.version('reportlab')}"
    if module == "r_latex":
        return _cmd_version(["xelatex", "--version"])
    return f"typst (Python package) {metadata.version('typst')}"


def producer_options(module: str, rng: random.Random, style: dict) -> dict:
    """Random producer-specific options on top of the deck's style."""
    mod = importlib.import_module(f"{__package__}.{module}")
    if hasattr(mod, "producer_options"):
        return mod.producer_options(rng, style)
    if module in ("r_fitz", "r_reportlab"):
        return {
            "rotate_theme": rng.choice(["A", "B", None, None]) if module == "r_fitz" else None,
            "rules_as_rects": rng.random() < 0.5,
            "watermark_angle": rng.choice([30, 30, 0]),
            "logo_badge": rng.random() < 0.5,
        }
    if module == "r_chromium":
        flow = rng.random() < 0.25
        return {
            "flow": flow,
            "page": "A4L" if flow else style["page"],
            "rotate_css": rng.choice(["writing-mode", "transform"]),
        }
    if module == "r_htmlalt":
        return {"engine": rng.choice(["weasyprint", "wkhtmltopdf"])}
    if module == "r_docx":
        return {
            "repeat_header": rng.random() < 0.5,
            "lead_lines": rng.choice([0, 0, 4, 8, 12]),
            "theme_page_break": rng.random() < 0.7,
        }
    if module == "r_xlsx":
        return {"repeat_header": rng.random() < 0.7}
    if module in ("r_latex", "r_typst"):
        return {"repeat_header": rng.random() < 0.5, "gutter_pt": rng.choice([1.5, 2, 3])}
    return {}


def style_for(module: str, rng: random.Random) -> dict:
    """Column widths drawn per deck, plus constraints a producer imposes (typesetters: hrules or none)."""
    style = {
        "weights": {
            "obj": round(rng.uniform(1.5, 2.8), 2),
            "kpi": round(rng.uniform(1.8, 3.6), 2),
            "plans": round(rng.uniform(3.0, 5.0), 2),
        }
    }
    if module in ("r_latex", "r_typst", "r_lualatex"):
        style.update(rules=rng.choice(["hrules", "hrules", "none", "zebra"]), halign="left")
    if module == "r_fpdfbig5":  # Big5 has no radicals or compatibility ideographs: the office's text holds none
        style.update(radical_rate=0.0, compat_rate=0.0)
    return style


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--family", choices=sorted(FAMILIES), required=True)
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(a.seed)
    modules = FAMILIES[a.family]
    manifest = {"family": a.family, "seed": a.seed, "decks": []}
    office_no = 0
    orgs: set[str] = set()
    failed_in_a_row = 0
    while len(manifest["decks"]) < a.count:
        oseed = rng.randrange(10**9)
        office = Office(oseed, f"{a.family}{a.seed}-o{office_no + 1:02d}", outside_taipei=a.family == "engines")
        if office.org in orgs:  # one office per org, so kpi_key lineage within an org is consistent
            continue
        orgs.add(office.org)
        office_no += 1
        first = rng.randrange(108, 114)
        for year in range(first, first + rng.choice([1, 2, 2, 3])):
            if len(manifest["decks"]) >= a.count or year > 115:
                break
            module = modules[(office_no + year) % len(modules)] if a.family != "mixed" else rng.choice(modules)
            stem = f"{a.family}-o{office_no:02d}-{year}"
            entry = _one(office, year, stem, module, rng, out)
            if not entry:
                failed_in_a_row += 1
                if failed_in_a_row >= MAX_FAILED_IN_A_ROW:
                    sys.exit(f"{a.family}: {failed_in_a_row} decks in a row failed to render; is the tool installed?")
                continue
            failed_in_a_row = 0
            manifest["decks"].append(entry)
            print(f"{stem}: {module} {entry['kpis']} KPIs {entry['pages']} pages {entry['problems'] or ''}")
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def _one(office: Office, year: int, stem: str, module: str, rng: random.Random, out: Path) -> dict | None:
    import pymupdf

    mod = importlib.import_module(f"{__package__}.{module}")
    for attempt in range(3):
        deck = office.deck(year, stem, style_for(module, rng), style_seed=rng.randrange(10**9))
        opts = producer_options(module, rng, deck.style)
        pdf = out / f"{stem}.pdf"
        try:
            used = mod.render(deck, pdf, opts)
        except Exception:  # noqa: BLE001 - a producer failing on one style is reported, another is tried
            print(f"{stem}: {module} attempt {attempt} failed:\n{traceback.format_exc(limit=3)}", file=sys.stderr)
            continue
        truth = deck.to_truth()
        (out / f"{stem}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
        return {
            "file": pdf.name,
            "org": deck.org,
            "plan_year": year,
            "kpis": len(truth["kpis"]),
            "pages": len(pymupdf.open(str(pdf))),
            "producer": module,
            "tool": tool_version(module, used.get("engine")),
            "options": {k: v for k, v in used.items() if k != "problems"},
            "problems": used.get("problems", []),
            "style": deck.style,
        }
    return None


if __name__ == "__main__":
    sys.exit(main())
