"""Spire.Presentation for Python 11.8.1 (PyPI spire.presentation; e-iceblue's commercial .NET slide engine shipped
as a NativeAOT library with ctypes wrappers, which vendors' report systems use to write .pptx and convert it to PDF
without PowerPoint): the deck built with Spire's own API or loaded from a python-pptx file, saved by
`Presentation.SaveToFile(pdf, FileFormat.PDF)`.  It runs in a virtualenv of its own (/work/gen/venv-spirepres,
$REALTOOLS_SPIREPRES_PYTHON for another interpreter) through `r_spirepres_driver.py`, which reads a JSON job.

No licence is set.  The unlicensed commercial build stamps every PDF page with a red 'Evaluation Warning : The
document was created with Spire.Presentation for Python' line across the slide's top edge (in the text layer, in
Liberation Sans/Garuda-style fallback fonts), and converts only the first 10 slides of a presentation: a longer
deck is saved in batches of at most 10 slides (`cap`), each batch its own PDF, joined with qpdf.  In the "api" mode
each batch is built as its own Presentation (slides appended past the 10th of one Presentation carry a second,
two-line evaluation stamp, and a .pptx saved by Spire carries its stamp into any later conversion); in the "pptx"
mode the python-pptx file is loaded once per batch and the slides outside it removed, with `FirstSlideNumber` set
to the batch's first slide so slide-number footers go on counting.

Modes (`mode`):
- "api": title slide, 轄區概況 profile, a strategy map of ellipses, per theme one or more slides with a title text
  box ('--1/2' markers, autofit or not) and a table from `Shapes.AppendTable(x, y, widths, heights)`, a closing
  slide.  Spire lays the text out and grows each row to its own line breaking (CJK between ideographs, Latin at
  spaces); the grown height (`table.Top + table.Height`) is measured on a scratch slide and a slide takes as many
  KPI rows as fit above the footer, up to the deck's row budget (as an author moves rows to a '--2/2' slide).
  Tables: Spire's default preset (MediumStyle2Accent1) or another built-in preset (LightStyle1Accent1,
  MediumStyle1Accent1, MediumStyle4Accent1, ThemedStyle1Accent1) with FirstRow and HorizontalBanding, or
  `TableStylePreset.none` with explicit cell fills and per-side borders or `SetTableBorder(All | InsideHorizontal
  + ToggleTop/ToggleBottom)` (grid / horizontal rules / none / zebra fills, head fills, rule colour and width, bold
  heads, margins, anchoring); `MergeCells` 構面/objective groups (text set after the merge), repeated or first-row
  labels, band rows merged over the row, two-row year heads merged; turned labels by `VerticalTextType.Vertical270`
  / `Vertical`, stacked ones as one character a paragraph or `EastAsianVertical`; footers as text boxes ('- n -',
  'n / N', '第 n 頁，共 N 頁') or the Presentation's own footer and slide number (`SetFooterText`,
  `SetSlideNoVisible`), the office as a badge or text beside the title, a '內部資料' watermark under or over;
- "pptx": r_poislides' python-pptx deck (explicit cell fills and `a:lnX` borders, merged or repeated labels,
  `vert270`/`vert`, title text boxes or the 'Title Only' placeholder, Windows typefaces or the face named directly,
  footers as text or a slide-number field) loaded by `LoadFromFile`; Spire grows the rows, so a slide whose table
  bottom (reported by the driver) passes the footer is written again with fewer rows per slide.

Fonts: the face of fonts.py (and DejaVu Sans / Liberation Sans for Latin) copied into a private folder given to
`Presentation.SetCustomFontsDirctory`; characters the face lacks printed folded.  Save options (API mode):
`EmbedTrueTypeFonts` left as is or set, PDF/A-1b or PDF/X-1a:2001 conformance
(`SaveToPdfOption.PdfConformanceLevel`) or none.

Quirks found: the font names and subset tags are Aspose.Slides' ('FAAAAH+UMingTW', CJK runs as CID TrueType or
CID Type 0C Identity-H with ToUnicode, ASCII runs as WinAnsi TrueType subsets without one, bold as '<face>,Bold');
PDF/A-2b and PDF/A-3b output has a ToUnicode of glyph ids (every character, the evaluation stamp's too, reads as
another: 'Evaluation' as '&WBMVBUJPO'), a text layer no reader can use, so those levels are not drawn; a cell's
`VerticalTextType` turns its text (Vertical270 / Vertical), while the same setting on the cell's text frame sets
ideographs upright in a column; rows grow for horizontal text only, so a turned label's rows get the minimal height
it needs; python-pptx's tables name Medium Style 2 - Accent 1 with header and banded rows on, which Spire applies
(POI and LibreOffice here did not show it): its white head text vanished on the deck's white head fills until the
header row was unticked; Windows typefaces in the .pptx are substituted (標楷體, 新細明體, 微軟正黑體 by the
system's AR PL UMing CN, Calibri/Arial by Liberation Sans); the evaluation stamp is drawn in the top 20 pt over what
is there, in Garuda/UnVada/Liberation fallback fonts; the Python wrapper has no slide-number FieldType (only the
DateTime ones), so slide numbers come from the Presentation's header/footer settings or text.
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

from .fonts import face_file, printable
from .layout import check, columns, find_pages, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

SPIRE_PRESENTATION = "11.8.1"  # PyPI spire.presentation (README, Setup), in /work/gen/venv-spirepres
DRIVER = Path(__file__).with_name("r_spirepres_driver.py")
CAP = 10  # the unlicensed build converts only the first 10 slides of a presentation
SLIDE_PT = {"4:3": (720.0, 540.0), "16:9": (960.0, 540.0), "A4L": (842.0, 595.0), "A4": (780.0, 540.0)}
HEAD_FILLS = {
    "navy": (0x1F, 0x3A, 0x68),
    "blue": (0x44, 0x72, 0xC4),
    "light": (0xD9, 0xE2, 0xF3),
    "gray": (0xE7, 0xE6, 0xE6),
    "sand": (0xFB, 0xE5, 0xD6),
}
ZEBRA = {"blue": (0xE9, 0xEF, 0xF7), "gray": (0xF2, 0xF2, 0xF2)}
LINE = {"black": (0, 0, 0), "gray": (0x7F, 0x7F, 0x7F), "navy": (0x1F, 0x3A, 0x68)}
PRESETS = [
    "MediumStyle2Accent1",
    "MediumStyle2Accent1",
    "LightStyle1Accent1",
    "MediumStyle1Accent1",
    "MediumStyle4Accent1",
    "ThemedStyle1Accent1",
]
LATIN_FACES = {
    "DejaVu Sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "Liberation Sans": "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
}
FOOT_SPACE = 30.0


def python() -> str:
    return os.environ.get("REALTOOLS_SPIREPRES_PYTHON", "/work/gen/venv-spirepres/bin/python")


@cache
def tool_version(engine: str | None = None) -> str:
    out = subprocess.run([python(), str(DRIVER), "--version"], capture_output=True, text=True, check=True)
    ver = out.stdout.strip()
    if ver != SPIRE_PRESENTATION:
        raise RuntimeError(f"spire.presentation {SPIRE_PRESENTATION} is wanted, {ver} is installed")
    return f"Spire.Presentation for Python {ver} (evaluation)"


def producer_options(rng: random.Random, style: dict) -> dict:
    from . import r_poislides

    rules = style["rules"]
    mode = "pptx" if rng.random() < 0.3 else "api"
    o = {
        "mode": mode,
        "page": style["page"] if rng.random() < 0.85 else "A4",
        "font": style["font"] if rng.random() < 0.85 else "AR PL UKai TW",
        "latin": rng.choice(["cjk", "cjk", "DejaVu Sans", "Liberation Sans"]),
        "preset": rng.choice(PRESETS) if rules in ("grid", "zebra") and rng.random() < 0.35 else None,
        "borders": rng.choice(["cells", "cells", "table"]),
        "labels": rng.choice(["merge", "merge", "repeat", "first"]),
        "vert": rng.choice(["Vertical270", "Vertical270", "Vertical"]),
        "stack": rng.choice(["lines", "east_asian"]),
        "title_pt": rng.choice([18, 20, 24]),
        "title_align": rng.choice(["left", "left", "center"]),
        "title_autofit": rng.random() < 0.5,
        "head_fill": rng.choice([None, *HEAD_FILLS]) if rules != "none" else rng.choice([None, "light", "gray"]),
        "head_bold": rng.random() < 0.7,
        "zebra_fill": rng.choice(list(ZEBRA)),
        "line": rng.choice(list(LINE)),
        "line_w": rng.choice([0.5, 0.75, 1.0, 1.5]),
        "margins": rng.choice(["default", "default", "tight", "wide"]),
        "footer": rng.choice([None, "hf", "hf", "dash", "of", "zh"]),
        "footer_org": rng.random() < 0.5,
        "logo_kind": rng.choice(["badge", "text"]),
        "watermark_under": rng.random() < 0.5,
        "embed_ttf": rng.choice([None, None, True, False]),
        "conformance": rng.choice([None, None, None, None, "Pdf_A1B", "Pdf_X1A2001"]),
    }
    if mode == "pptx":
        po = r_poislides.producer_options(rng, style)
        for k in ("zoom", "fractional", "drawer_scope", "compress", "info", "cff_refused", "font", "page"):
            po.pop(k, None)
        o.update(po)  # the .pptx's own looks (r_poislides' Builder reads these)
        o.update(preset=None, borders="cells", embed_ttf=None, conformance=None)  # not applied to a loaded deck
        if o["page"] == "A4":
            o["page"] = "A4L"
    return o


@cache
def _family(path: str) -> str:
    from fontTools.ttLib import TTFont

    return str(TTFont(path, lazy=True)["name"].getDebugName(1))


def _run(job: dict, work: Path) -> dict:
    jp, rp = work / "job.json", work / "result.json"
    jp.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([python(), str(DRIVER), str(jp), str(rp)], capture_output=True, text=True, timeout=900)
    if out.returncode or not rp.exists():
        raise RuntimeError(f"Spire.Presentation failed: {out.stderr.strip()[-3000:]}")
    return json.loads(rp.read_text(encoding="utf-8"))


def _join(files: list[str], out_pdf: Path) -> None:
    if len(files) == 1:
        shutil.copy(files[0], out_pdf)
        return
    subprocess.run(["qpdf", "--empty", "--pages", *files, "--", str(out_pdf)], check=True)


def _api_job(deck: Deck, opts: dict, ea: str, latin: str) -> dict:
    st, fam = deck.style, opts["font"]
    pr = lambda s: printable(s, fam)  # noqa: E731
    cols = columns(deck)
    slides: list[dict] = [{"kind": "title"}, {"kind": "profile", "lines": [pr(x) for x in deck.profile_lines]}]
    map_rows = []
    for p in BSC_ORDER:
        objs = [pr(o.shown) for t in deck.themes for o in t.objectives if o.perspective == p]
        if objs:
            map_rows.append([f"{p}構面", objs])
    slides.append({"kind": "map", "rows": map_rows})
    for t in deck.themes:
        rows = []
        last = None
        for r in theme_rows(deck, t):
            if r.kind == "band":
                rows.append({"kind": "band", "cells": {"band": pr(r.cells["band"])}, "persp": r.persp, "obj": ""})
                continue
            rows.append(
                {
                    "kind": "kpi",
                    "code": r.kpi.code,
                    "cells": {k: pr(v) for k, v in r.cells.items()},
                    "persp": r.persp,
                    "obj": r.obj.code,
                    "persp_cont": last is not None and last.persp == r.persp,
                    "obj_cont": last is not None and last.obj is r.obj,
                }
            )
            last = r
        base = theme_title(deck, t)
        slides.append(
            {"kind": "theme", "letter": t.letter, "title": pr(base), "cont_marker": st["cont_marker"], "rows": rows}
        )
    slides.append({"kind": "closing"})
    W, H = SLIDE_PT[opts["page"]]
    o = dict(opts)
    o.update(
        head_rgb=HEAD_FILLS.get(opts["head_fill"]),
        band_rgb=HEAD_FILLS["light"] if opts["head_fill"] in (None, "navy", "blue") else HEAD_FILLS[opts["head_fill"]],
        zebra_rgb=ZEBRA[opts["zebra_fill"]],
        line_rgb=LINE[opts["line"]],
    )
    return {
        "mode": "api",
        "W": W,
        "H": H,
        "ea": ea,
        "latin": latin,
        "pt": opts["font_pt"],
        "cap": CAP,
        "foot_space": FOOT_SPACE,
        "opts": o,
        "cols": [{"id": c.id, "label": pr(c.label), "weight": c.weight, "group": c.group, "sub": c.sub} for c in cols],
        "slides": slides,
        "org": pr(deck.org),
        "short": pr(deck.short),
        "year": deck.plan_year,
        "map_date": deck.map_date,
        "footer_text": pr(f"{deck.org}｜策略地圖與平衡計分卡"),
        "logo": st["logo"],
        "watermark": st["watermark"],
        "two_row": st["year_header"] == "two_row",
        "rules": st["rules"],
        "valign": st["valign"],
        "halign": st["halign"],
        "persp_mode": st["persp_mode"],
        "blank_cont": st["blank_cont"],
    }


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (KPI rows per slide at most) and font_pt."""
    tool_version()
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    if opts["mode"] == "pptx":  # r_poislides' looks for a deck asked for as pptx without them
        from . import r_poislides

        opts = {**r_poislides.producer_options(random.Random(0), st), **opts}
        opts["footer"] = opts["footer"] if opts["footer"] != "hf" else "num"
    opts.setdefault("max_rows", st["max_rows"])
    opts.setdefault("font_pt", st["font_pt"])
    out_pdf = Path(out_pdf)
    with tempfile.TemporaryDirectory(prefix="spirepres-") as tmp:
        work = Path(tmp)
        fdir = work / "fonts"
        fdir.mkdir()
        src = face_file(opts["font"])
        shutil.copy(src, fdir)
        for f in LATIN_FACES.values():
            shutil.copy(f, fdir)
        ea = _family(src)
        latin = ea if opts["latin"] == "cjk" else opts["latin"]
        while True:
            if opts["mode"] == "pptx":
                res, again = _pptx_once(deck, opts, work, fdir)
                if again:
                    continue
            else:
                job = _api_job(deck, opts, ea, latin)
                job.update(font_dir=str(fdir), out_prefix=str(work / "part"))
                try:
                    res = _run(job, work)
                except RuntimeError as e:
                    if "TOO_TALL" in str(e) and opts["font_pt"] > 6:
                        opts["font_pt"] -= 1
                        continue
                    raise
            _join(res["files"], out_pdf)
            for f in res["files"]:
                Path(f).unlink()
            find_pages(out_pdf, deck)
            problems = check(out_pdf, deck)
            if any("outside the page" in p for p in problems) and opts["font_pt"] > 6:
                opts["font_pt"] -= 1
                continue
            break
    opts["font_name"] = ea
    opts["slides"] = res["slides"]
    opts["batches"] = len(res["files"])
    opts["problems"] = problems
    return opts


def _no_style_rows(pptx: Path) -> None:
    """Untick 'Header Row' and 'Banded Rows' of python-pptx's tables: Spire applies the table style python-pptx
    names (Medium Style 2 - Accent 1), whose white head text vanished on the deck's white or light head fills."""
    from pptx import Presentation

    prs = Presentation(str(pptx))
    for sl in prs.slides:
        for shp in sl.shapes:
            if shp.has_table:
                shp.table.first_row = False
                shp.table.horz_banding = False
    prs.save(str(pptx))


def _pptx_once(deck: Deck, opts: dict, work: Path, fdir: Path) -> tuple[dict, bool]:
    """r_poislides' python-pptx deck converted by Spire; (result, True) when a table grew past the footer and the
    deck is to be written again with fewer rows per slide (then smaller type)."""
    from . import r_poislides

    pptx = work / f"{deck.stem}.pptx"
    r_poislides.Builder(deck, opts).build(pptx)
    _no_style_rows(pptx)
    job = {"mode": "pptx", "pptx": str(pptx), "cap": CAP, "font_dir": str(fdir), "out_prefix": str(work / "part")}
    res = _run(job, work)
    H = SLIDE_PT[opts["page"]][1]
    foot = H - (FOOT_SPACE if (opts["footer"] or opts["footer_org"]) else 6)
    bottoms = [b for _, b in res["bottoms"]]
    if bottoms and max(bottoms) > foot:
        for f in res["files"]:
            Path(f).unlink()
        if opts["max_rows"] > 1:
            opts["max_rows"] -= 1
            return res, True
        if opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            return res, True
    opts["table_bottoms"] = [round(b, 1) for b in bottoms]
    return res, False
