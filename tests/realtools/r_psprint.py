"""LibreOffice printing to a PostScript printer, the PostScript distilled by Ghostscript: the classic government-PDF
path ('PScript5.dll + Acrobat Distiller', 'print to a PDF printer') with LibreOffice 7.4 as the office application.

The deck is written as an office file by the existing builders (r_poislides' python-pptx deck for Impress, r_docx's
python-docx document for Writer, r_xlsx's openpyxl workbook for Calc) and printed by `soffice --pt PRINTER` through
LibreOffice's own PostScript driver (psprint, vcl/unx/generic/print): a queue defined in the private profile's
`user/psprint/psprint.conf` over LibreOffice's generic PPD (SGENPRT), its command `cat > job.ps`, CUPS left out
(`SAL_DISABLE_CUPS=1`), and the profile's `PDFAsStandardPrintJobFormat` set to false (by default LibreOffice 7.4
sends a PDF as the print job; the PostScript here is checked to start `%!PS-Adobe-3.0` with
`%%Creator: (LibreOffice 7.4...)`).  Ghostscript's pdfwrite (ps2pdf or gs) then distils job.ps.

What psprint writes (and so what the distilled PDF holds):
- DSC PostScript level 2 (or 1/3 by the queue's PSLevel), a `%%BeginFeature: *PageSize` setpagedevice from the PPD
  (A4, Letter or B4 paper), `%%PageOrientation` Landscape for landscape pages, drawn turned by 90 degrees on the
  portrait sheet: Ghostscript's AutoRotatePages (/PageByPage by default) stores such pages portrait with /Rotate 90,
  /None leaves them sideways; pages inside the PPD's imageable area (18 pt margins, or the queue's MarginAdjust);
- fonts as glyph sets of at most 255 glyphs re-encoded per use (`...FID212HGSet2`, 'VGSet' for vertical glyphs):
  OpenType CFF faces (Noto CJK) converted to Type 1 fonts whose glyphs are named `/cidNNNN` (the CID of the
  CID-keyed CFF, which in Noto CJK is the glyph id), TrueType faces as Type 42 subsets ('SunTypeTools-TT') whose
  glyphs are renumbered and named `/glyphN`; no Unicode anywhere, so Ghostscript writes no ToUnicode and the
  text layer of the distilled PDF is the raw codes of the glyph sets (garbage).  A Windows PostScript driver
  (PScript5) writes a /GlyphNames2Unicode dictionary into each font's FontInfo for exactly this reason, and
  Ghostscript's pdfwrite builds the ToUnicode from it: the job is given one per font here
  (`glyph_unicode`), built from the face's cmap (for `/cidN` the glyph id N; vertical glyphs through the face's
  GSUB `vert`; for Type 42 subsets each subset glyph matched to the face's glyph of identical outline data);
  glyphs that cannot be matched are left unmapped and any character lost is recorded as a problem;
- text shown glyph run by glyph run with explicit advances (`xshow`-like arrays), rules and fills as paths.

Variations drawn per deck (producer_options): the office program (Impress slides, Writer's paginated document,
Calc's sheets, all of them printed); for Impress r_poislides' options (rules, head fills, labels, titles, footers,
watermark, logo) and Impress's print options from the profile (fitted to the paper, or at original size for 4:3
slides only, since larger ones are cut at the sheet's edge; colour, grayscale or black and white, which drops fills
and prints navy text black; handouts set there or passed to `XPrintable.print` are not printed); for Writer and
Calc r_docx's and r_xlsx's options and a running header (office name) and page footer ('- n -', 'n / N',
'第 n 頁，共 N 頁', 'n') from PAGE/NUMPAGES fields or &P/&N codes; paper (A4 mostly, Letter, B4; Writer and Calc print
on the paper matching the document's page), the queue's orientation, colour or grey device, PostScript level,
margin adjustment; LibreOffice's global 'convert colours to greyscale' (Writer and Calc: with it Impress slides
print as Indexed images Ghostscript fails to read, '/ioerror in --readstring--'); Ghostscript's driver (ps2pdf or gs),
-dPDFSETTINGS, -dSubsetFonts, -dEmbedAllFonts, -dAutoRotatePages, -dCompatibilityLevel.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from pptx.dml.color import RGBColor

from .layout import check, find_pages, overflows_bottom
from .spec import Deck

LIBREOFFICE = "7.4.7"  # Debian 12's libreoffice 4:7.4.7-1+deb12u14 (README, Setup)
GHOSTSCRIPT = "10.00.0"  # Debian 12's ghostscript 10.0.0~dfsg-11+deb12u9
PAPERS = {"A4": (595, 842), "Letter": (612, 792), "B4": (728, 1032)}
NOTO = ["Noto Sans CJK TC", "Noto Serif CJK TC"]
PRINTERS = ["Generic Printer", "HP LaserJet 4050 PS", "Xerox DocuCentre PS", "Canon iR-ADV PS"]


@cache
def soffice_version() -> str:
    return subprocess.run(["soffice", "--version"], capture_output=True, text=True).stdout.strip()


@cache
def gs_version() -> str:
    return subprocess.run(["gs", "--version"], capture_output=True, text=True).stdout.strip()


def check_versions() -> None:
    if not soffice_version().startswith(f"LibreOffice {LIBREOFFICE}"):
        raise RuntimeError(f"r_psprint wants LibreOffice {LIBREOFFICE}, found {soffice_version()!r}")
    if gs_version() != GHOSTSCRIPT:
        raise RuntimeError(f"r_psprint wants Ghostscript {GHOSTSCRIPT}, found {gs_version()!r}")


def tool_version(engine: str | None = None) -> str:
    return f"{soffice_version()} psprint (PostScript print job); GPL Ghostscript {gs_version()} pdfwrite"


def producer_options(rng: random.Random, style: dict) -> dict:
    from . import r_poislides

    app = rng.choice(["impress", "impress", "impress", "writer", "calc"])
    opts: dict = {"app": app}
    if app == "impress":
        po = r_poislides.producer_options(rng, style)
        for k in ("zoom", "fractional", "drawer_scope", "compress", "info", "cff_refused"):
            po.pop(k, None)
        opts.update(po)
        opts["typefaces"] = "direct"
        # at original size only a 4:3 slide fits the printable area of the papers drawn (an A4L or 16:9 slide is
        # cut at the sheet's edge: seen in the first draw, a map date cut off)
        opts["fit_page"] = rng.random() < 0.7 or style["page"] != "4:3"
        opts["quality"] = rng.choice([0, 0, 0, 1, 2])  # Impress's print quality: 1 grayscale, 2 black and white
    elif app == "writer":
        opts.update(
            repeat_header=rng.random() < 0.6,
            lead_lines=rng.choice([0, 0, 4, 8]),
            theme_page_break=rng.random() < 0.7,
        )
    else:
        opts.update(repeat_header=rng.random() < 0.7)
    if app != "impress":  # the page style's running header and footer, as the author adds them
        opts.update(page_footer=rng.choice([None, "dash", "of", "zh", "num"]), page_header=rng.random() < 0.4)
    opts["font"] = style["font"]
    if app == "impress" and style["font"] == "WenQuanYi Zen Hei" and style["persp_mode"] == "rotated":
        # Impress draws a turned (vert/vert270) cell's WenQuanYi Zen Hei glyphs all on one spot (in its PDF export
        # too): seen in the first draw, '顧客構面' a black blot; the author takes another face
        opts.update(font="AR PL UMing TW", font_swapped="WenQuanYi Zen Hei")
    opts.update(
        printer=rng.choice(PRINTERS),
        paper=rng.choice(["A4", "A4", "A4", "Letter", "B4"]),
        orientation=rng.choice(["Portrait", "Portrait", "Landscape"]),
        color_device=rng.choice([0, 0, 0, -1]),  # -1: the queue prints grey
        ps_level=rng.choice([0, 0, 2, 3]),  # 0: the PPD's (2)
        margin_adjust=rng.choice([None, None, "0,0,0,0", "-300,-300,-300,-300", "500,500,500,500"]),
        # Tools > Options > Print > Convert colors to grayscale; not for Impress, where psprint then writes Indexed
        # images whose data Ghostscript cannot read ('/ioerror in --readstring--': no PDF at all)
        greyscale=rng.random() < 0.15 and app != "impress",
        driver=rng.choice(["ps2pdf", "gs"]),
        pdfsettings=rng.choice([None, None, "/default", "/prepress", "/ebook", "/printer"]),
        subset=rng.random() < 0.9,
        embed_all=rng.choice([None, True]),
        compat=rng.choice([None, "1.4", "1.5", "1.7"]),
        autorotate=rng.choice([None, None, "/PageByPage", "/All", "/None"]),
    )
    return opts


# --- the profile: queue and print options -------------------------------------------------------------------


def _xcu_items(opts: dict) -> str:
    def item(path: str, name: str, value) -> str:
        v = str(value).lower() if isinstance(value, bool) else str(value)
        return f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{v}</value></prop></item>\n'

    pr = "/org.openoffice.Office.Common/Print/Option/Printer"
    s = item(pr, "PDFAsStandardPrintJobFormat", False)
    s += item(pr, "ConvertToGreyscales", bool(opts.get("greyscale")))
    # a Taiwanese user's LibreOffice: Asian text is zh-TW (else HarfBuzz's 'locl' draws 戶 with the 户 glyph)
    s += item("/org.openoffice.Office.Linguistic/General", "DefaultLocale_CJK", "zh-TW")
    s += item("/org.openoffice.Setup/L10N", "ooSetupSystemLocale", "zh-TW")
    if opts["app"] == "impress":
        # Impress's print options as the print dialog saves them (handouts set here are not printed by `--pt`)
        ip = "/org.openoffice.Office.Impress/Print"
        s += item(f"{ip}/Page", "PageSize", bool(opts.get("fit_page")))
        s += item(f"{ip}/Other", "Quality", int(opts.get("quality", 0)))
    if opts["app"] == "calc":  # by default Calc prints the selected sheet only
        s += item("/org.openoffice.Office.Calc/Print/Other", "AllSheets", True)
    return s


def make_profile(root: Path, ps: Path, opts: dict) -> Path:
    """A private LibreOffice profile whose only printer writes its PostScript job to `ps`."""
    user = root / "user"
    (user / "psprint").mkdir(parents=True, exist_ok=True)
    xcu = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' + _xcu_items(opts) + "</oor:items>\n"
    )
    (user / "registrymodifications.xcu").write_text(xcu, encoding="utf-8")
    lines = [
        f"[{opts['printer']}]",
        f"Printer=SGENPRT/{opts['printer']}",
        "DefaultPrinter=1",
        "Location=",
        "Comment=",
        f"Command=cat > {ps}",
        "QuickCommand=",
        "Features=",
        "Copies=1",
        f"Orientation={opts['orientation']}",
        f"PSLevel={opts['ps_level']}",
        "PDFDevice=0",
        f"ColorDevice={opts['color_device']}",
        "ColorDepth=24",
        f"PPD_PageSize={opts['paper']}",
    ]
    if opts.get("margin_adjust"):
        lines.append(f"MarginAdjust={opts['margin_adjust']}")
    (user / "psprint" / "psprint.conf").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def print_ps(src: Path, ps: Path, opts: dict) -> None:
    """Print `src` with soffice to the profile's queue; the job lands in `ps`."""
    with tempfile.TemporaryDirectory(prefix="r_psprint-lo-") as prof:
        make_profile(Path(prof), ps, opts)
        env = {**os.environ, "SAL_DISABLE_CUPS": "1"}
        cmd = ["soffice", f"-env:UserInstallation=file://{prof}", "--headless", "--norestore"]
        cmd += ["--pt", opts["printer"], str(src)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=600, env=env)
    data = ps.read_bytes() if ps.exists() else b""
    if not data.startswith(b"%!PS-Adobe-3.0") or b"%%Creator: (LibreOffice" not in data[:400]:
        raise RuntimeError(f"LibreOffice wrote no PostScript print job for {src.name}: {data[:40]!r}")
    if not data.rstrip().endswith(b"%%EOF"):
        raise RuntimeError(f"the print job of {src.name} is cut short ({len(data)} bytes)")


# --- Unicode for psprint's glyph sets (what a Windows driver's /GlyphNames2Unicode gives Distiller) ---------------

FONT_RES = re.compile(rb"%%BeginResource: font (\S+)\r?\n(.*?)%%EndResource", re.S)
SET_SUFFIX = re.compile(r"FID\d+[HV]GSet\d+$")
AVOID = [(0x2E80, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F), (0xE000, 0xF8FF)]  # radicals, compatibility, PUA


@cache
def _ps_faces() -> dict[str, tuple[str, int]]:
    out = subprocess.run(
        ["fc-list", "-f", "%{postscriptname}|%{file}|%{index}\n"], capture_output=True, text=True
    ).stdout
    faces = {}
    for line in out.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[0]:
            faces.setdefault(parts[0], (parts[1], int(parts[2] or 0)))
    return faces


def _rank(cp: int) -> tuple[int, int]:
    return (any(a <= cp <= b for a, b in AVOID), cp)


@cache
def _face(psname: str):
    from fontTools.ttLib import TTFont

    path, index = _ps_faces()[psname]
    return TTFont(path, fontNumber=index, lazy=True)


@cache
def _glyph_unicode(psname: str) -> dict[str, int]:
    """Glyph name -> the code point a reader should get, from the face's cmap (and GSUB vert for vertical forms)."""
    font = _face(psname)
    best: dict[str, int] = {}
    for cp, name in font.getBestCmap().items():
        if name not in best or _rank(cp) < _rank(best[name]):
            best[name] = cp
    if "GSUB" in font:
        # glyphs shaping puts in place of the cmap's: 'locl' forms (LibreOffice shapes Chinese text of a document
        # whose Asian language is not zh-TW with another region's glyphs), vertical forms of turned labels
        gsub = font["GSUB"].table
        records = gsub.FeatureList.FeatureRecord if gsub.FeatureList else []
        for tag in ("locl", "vert", "vrt2", None):
            for fr in records:
                if (tag and fr.FeatureTag != tag) or (not tag and fr.FeatureTag in ("locl", "vert", "vrt2")):
                    continue
                for li in fr.Feature.LookupListIndex:
                    for st in gsub.LookupList.Lookup[li].SubTable:
                        st = getattr(st, "ExtSubTable", st)
                        for src, dst in (getattr(st, "mapping", None) or {}).items():
                            if src in best and dst not in best:
                                best[dst] = best[src]
    return best


def _outline_key(glyf, name: str):
    g = glyf[name]
    if g.numberOfContours == 0:
        return None
    coords, ends, _flags = g.getCoordinates(glyf)
    return (tuple(int(v) for xy in coords for v in xy), tuple(ends))


@cache
def _outline_unicode(psname: str) -> dict:
    """Outline key -> code point for every mapped glyph of a TrueType face (to find a Type 42 subset's glyphs)."""
    font = _face(psname)
    glyf = font["glyf"]
    names = _glyph_unicode(psname)
    out: dict = {}
    for name, cp in names.items():
        try:
            key = _outline_key(glyf, name)
        except Exception:  # noqa: BLE001 - a glyph fontTools cannot read is left unmapped
            continue
        if key is not None and (key not in out or _rank(cp) < _rank(out[key])):
            out[key] = cp
    return out


def _t42_names(body: bytes, psname: str) -> dict[str, int]:
    """The Type 42 subset's /glyphN -> code point, matching each subset glyph's outline to the face's."""
    import io

    from fontTools.ttLib import TTFont

    m = re.search(rb"/sfnts\s*\[(.*?)\]\s*def", body, re.S)
    if not m:
        return {}
    data = b""
    for h in re.findall(rb"<([0-9A-Fa-f\s]*)>", m.group(1)):
        chunk = bytes.fromhex(re.sub(rb"\s", b"", h).decode())
        data += chunk[:-1] if len(chunk) % 2 else chunk
    sub = TTFont(io.BytesIO(data), lazy=True)
    glyf = sub["glyf"]
    table = _outline_unicode(psname)
    names = {}
    for i, gname in enumerate(sub.getGlyphOrder()):
        try:
            key = _outline_key(glyf, gname)
        except Exception:  # noqa: BLE001
            continue
        if key is not None and key in table:
            names[f"glyph{i}"] = table[key]
    # empty glyphs (space, ideographic space): told by their advance, the face's own for U+0020 or U+3000
    face = _face(psname)
    cmap, hm, upem = face.getBestCmap(), face["hmtx"].metrics, face["head"].unitsPerEm
    scale = sub["head"].unitsPerEm / upem
    blanks = {round(hm[cmap[cp]][0] * scale): cp for cp in (0x3000, 0x20) if cp in cmap}
    for i, gname in enumerate(sub.getGlyphOrder()):
        if i and f"glyph{i}" not in names and glyf[gname].numberOfContours == 0:
            cp = blanks.get(sub["hmtx"].metrics[gname][0])
            if cp:
                names[f"glyph{i}"] = cp
    return names


def _g2u_dict(names: dict[str, int]) -> str:
    items = []
    for n, cp in sorted(names.items()):
        u = chr(cp).encode("utf-16-be").hex().upper()
        items.append(f"/{n} <{u}>")
    lines = [" ".join(items[i : i + 8]) for i in range(0, len(items), 8)]
    return "/GlyphNames2Unicode <<\n" + "\n".join(lines) + "\n>> def\n"


def glyph_unicode(ps: bytes) -> tuple[bytes, list[str]]:
    """The job with a /GlyphNames2Unicode dictionary in every font's FontInfo; notes on fonts left unmapped."""
    notes: list[str] = []

    def fix(m: re.Match) -> bytes:
        res, body = m.group(1).decode("latin-1"), m.group(2)
        psname = SET_SUFFIX.sub("", res)
        if psname not in _ps_faces():
            notes.append(f"{res}: face not found")
            return m.group(0)
        if body.startswith(b"%!FontType1"):
            used = set(re.findall(rb"dup \d+ /(\S+) put", body.split(b"eexec")[0]))
            table = _glyph_unicode(psname)
            bynum = {int(k[3:]): v for k, v in table.items() if k.startswith("cid") and k[3:].isdigit()}
            names = {}
            for n in used:
                n = n.decode()
                if n in table:
                    names[n] = table[n]
                elif n.startswith("cid") and n[3:].isdigit() and int(n[3:]) in bynum:
                    names[n] = bynum[int(n[3:])]
            head = re.search(rb"/FontInfo (\d+) dict dup begin\r?\n", body)
            if not head:
                notes.append(f"{res}: no FontInfo")
                return m.group(0)
            n0 = int(head.group(1)) + 1
            new = f"/FontInfo {n0} dict dup begin\n".encode() + _g2u_dict(names).encode()
            body = body[: head.start()] + new + body[head.end() :]
        elif body.startswith(b"%!PS-TrueTypeFont"):
            names = _t42_names(body, psname)
            used = set(re.findall(rb"Encoding \d+ /(glyph\d+) put", body))
            missing = [u.decode() for u in used if u.decode() not in names]
            if missing:
                notes.append(f"{res}: {len(missing)} glyphs unmatched")
            at = body.find(b"/FontType 42 def")
            if at < 0:
                notes.append(f"{res}: not a Type 42 font")
                return m.group(0)
            at += len(b"/FontType 42 def")
            new = b"\n/FontInfo 1 dict dup begin\n" + _g2u_dict(names).encode() + b"end readonly def"
            body = body[:at] + new + body[at:]
        else:
            notes.append(f"{res}: unknown font program {body[:20]!r}")
            return m.group(0)
        return b"%%BeginResource: font " + m.group(1) + b"\n" + body + b"%%EndResource"

    return FONT_RES.sub(fix, ps), notes


# --- distilling -----------------------------------------------------------------------------------------------


def distill(ps: Path, pdf: Path, opts: dict) -> None:
    params = []
    if opts.get("pdfsettings"):
        params.append(f"-dPDFSETTINGS={opts['pdfsettings']}")
    if opts.get("compat"):
        params.append(f"-dCompatibilityLevel={opts['compat']}")
    if not opts.get("subset", True):
        params.append("-dSubsetFonts=false")
    if opts.get("embed_all"):
        params.append("-dEmbedAllFonts=true")
    if opts.get("autorotate"):
        params.append(f"-dAutoRotatePages={opts['autorotate']}")
    if opts["driver"] == "ps2pdf":
        cmd = ["ps2pdf", *params, str(ps), str(pdf)]
    else:
        cmd = ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", *params]
        cmd += [f"-sOutputFile={pdf}", str(ps)]
    pdf.unlink(missing_ok=True)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if proc.returncode or not pdf.exists():
        raise RuntimeError(f"Ghostscript failed: {(proc.stderr or proc.stdout)[-2000:]}")


# --- the office files ----------------------------------------------------------------------------------------


def _impress_builder():
    from .r_poislides import DARK, Builder

    class ImpressBuilder(Builder):
        """r_poislides' deck; head text black where Impress's table style would make it white on a light fill."""

        def table(self, slide, rows, prev, cols) -> None:
            super().table(slide, rows, prev, cols)
            tbl = [s for s in slide.shapes if s.has_table][-1].table
            nh = 2 if self.st["year_header"] == "two_row" else 1
            if self.o["head_fill"] not in DARK:
                for r in range(nh):
                    for cell in tbl.rows[r].cells:
                        for p in cell.text_frame.paragraphs:
                            for run in p.runs:
                                run.font.color.rgb = RGBColor(0, 0, 0)

    return ImpressBuilder


def build(deck: Deck, folder: Path, opts: dict) -> Path:
    app = opts["app"]
    if app == "impress":
        src = folder / f"{deck.stem}.pptx"
        _impress_builder()(deck, opts).build(src)
        return src
    if app == "writer":
        from . import r_docx

        src, used = r_docx.build(deck, folder, opts)
        _docx_furniture(src, deck, opts)
    else:
        from . import r_xlsx

        src, used = r_xlsx.build(deck, folder, opts)
        _xlsx_furniture(src, deck, opts)
    opts.update(used)
    return src


FOOTER_FIELDS = {"dash": "- {P} -", "of": "{P} / {N}", "zh": "第 {P} 頁，共 {N} 頁", "num": "{P}"}


def _docx_furniture(src: Path, deck: Deck, opts: dict) -> None:
    """The Writer document's header (office name, right) and footer (page fields, centred), if drawn."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    if not (opts.get("page_footer") or opts.get("page_header")):
        return
    doc = Document(str(src))
    sec = doc.sections[0]

    def run(p, text):
        r = p.add_run(text)
        r.font.size = Pt(9)
        r.font.name = opts["font"]
        r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), opts["font"])
        return r

    def field(p, instr):
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), instr)
        fld.append(run(p, "1")._element)
        p._p.append(fld)

    if opts.get("page_header"):
        p = sec.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run(p, f"{deck.org}　策略地圖與平衡計分卡")
    if opts.get("page_footer"):
        p = sec.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for part in re.split(r"(\{[PN]\})", FOOTER_FIELDS[opts["page_footer"]]):
            if part == "{P}":
                field(p, " PAGE ")
            elif part == "{N}":
                field(p, " NUMPAGES ")
            elif part:
                run(p, part)
    doc.save(str(src))


def _xlsx_furniture(src: Path, deck: Deck, opts: dict) -> None:
    """Every sheet's page header (office name) and footer (&P / &N codes), if drawn."""
    from openpyxl import load_workbook

    if not (opts.get("page_footer") or opts.get("page_header")):
        return
    wb = load_workbook(str(src))
    for ws in wb.worksheets:
        if opts.get("page_header"):
            ws.oddHeader.right.text = deck.org
            ws.oddHeader.right.size = 9
        if opts.get("page_footer"):
            ws.oddFooter.center.text = FOOTER_FIELDS[opts["page_footer"]].replace("{P}", "&P").replace("{N}", "&N")
            ws.oddFooter.center.size = 9
    wb.save(str(src))


def _slides_fit(src: Path, deck: Deck) -> bool:
    """Impress's own PDF export of the .pptx (not the print job): does every table stay on its slide?"""
    from .soffice import to_pdf

    with tempfile.TemporaryDirectory(prefix="r_psprint-fit-") as tmp:
        pdf = Path(tmp) / "fit.pdf"
        to_pdf(src, pdf)
        return not overflows_bottom(pdf)


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options (plus max_rows, font_pt).  Returns the options used, with the problems."""
    check_versions()
    st = deck.style
    opts = dict(options) if options else producer_options(random.Random(0), st)
    if opts["app"] == "impress":
        opts.setdefault("max_rows", st["max_rows"])
        opts.setdefault("font_pt", st["font_pt"])
    out_pdf = Path(out_pdf)
    with tempfile.TemporaryDirectory(prefix="r_psprint-") as tmp:
        folder = Path(tmp)
        while True:
            for f in folder.iterdir():
                f.unlink() if f.is_file() else shutil.rmtree(f)
            src = build(deck, folder, opts)
            if opts["app"] != "impress" or int(opts["max_rows"]) <= 1 or _slides_fit(src, deck):
                break
            opts["max_rows"] = int(opts["max_rows"]) - 1
        ps = folder / "job.ps"
        print_ps(src, ps, opts)
        job, notes = glyph_unicode(ps.read_bytes())
        fixed = folder / "job-g2u.ps"
        fixed.write_bytes(job)
        if os.environ.get("R_PSPRINT_KEEP"):  # debugging: keep the print job and the office file
            keep = Path(os.environ["R_PSPRINT_KEEP"])
            keep.mkdir(parents=True, exist_ok=True)
            for f in (src, ps):
                shutil.copy(f, keep / f"{deck.stem}-{f.name}")
        distill(fixed, out_pdf, opts)
    problems = [f"glyph_unicode: {n}" for n in notes if "unmatched" not in n]
    try:
        find_pages(out_pdf, deck)
    except ValueError as e:
        return {**opts, "problems": [*problems, str(e)]}
    opts["problems"] = problems + check(out_pdf, deck) + piled_glyphs(out_pdf)
    return opts


def piled_glyphs(pdf: Path) -> list[str]:
    """Pages where three or more ideographs are drawn on one spot (text a tool's layout lost)."""
    import pymupdf

    problems = []
    for page in pymupdf.open(str(pdf)):
        spots: dict[tuple[int, int], list[tuple[float, float, float, str]]] = {}
        piled = set()
        for b in page.get_text("rawdict")["blocks"]:
            for line in b.get("lines", []):
                for span in line["spans"]:
                    for c in span["chars"]:
                        if ord(c["c"][0]) < 0x2E80:
                            continue
                        x0, y0, x1, y1 = c["bbox"]
                        size = max(x1 - x0, y1 - y0, 1.0)
                        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
                        key = (int(cx // 4), int(cy // 4))
                        near = [
                            o
                            for dx in (-1, 0, 1)
                            for dy in (-1, 0, 1)
                            for o in spots.get((key[0] + dx, key[1] + dy), [])
                            if abs(o[0] - cx) + abs(o[1] - cy) < 0.3 * min(size, o[2])
                        ]
                        if len(near) >= 2:
                            piled.add("".join(o[3] for o in near) + c["c"])
                        spots.setdefault(key, []).append((cx, cy, size, c["c"]))
        if piled:
            problems.append(f"page {page.number + 1}: glyphs drawn on one spot: {' '.join(sorted(piled))}")
    return problems
