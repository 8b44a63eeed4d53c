"""upLaTeX renderer: r_latex's tables typeset by upLaTeX and converted by dvipdfmx (the DVI route).

upTeX sets CJK text by JFM metrics (every ideograph one zenkaku box, punctuation in half-width boxes
with glue, 'xkanjiskip' between CJK and Latin, so `1,234人` reads `1,234 人` in the text layer; it
breaks a line between any two CJK characters, full-width digits too) and writes a DVI file; dvipdfmx
turns that into PDF with each CJK face embedded as a CID font (Identity-H, Identity-V in vertical
boxes; the Noto collections under their shared CFF name NotoSerifCJKjp/NotoSansCJKjp, with the TC
glyphs) whose ToUnicode it builds from the face's own cmap.  Options drawn per deck:

- class: `ujarticle` (upLaTeX's own) or `jsarticle` (jsclasses, the usual Japanese template, whose
  \\emergencystretch lets an over-long line of the strategy map break where ujarticle's runs off);
- jfm: `uptchr` (the Traditional Chinese JFM of uptex-fonts, centred punctuation, declared by hand as
  a kanji family) or `upjisr` (the class's Japanese JFM, punctuation set to one side of its box);
- latin: `cm` (Computer Modern, Type 1) or `cjk` (pxchfon's 'alphabet': Latin and digits in the CJK
  face's half-width glyphs, which dvipdfmx picks with the OpenType 'hwid' feature, so with the Noto
  faces the text layer reads them as full-width letters, `ＡＣ１.２`; the TrueType faces give ASCII);
- the faces are mapped by pxchfon (`unicode` option: dvipdfmx reads the TrueType/OpenType cmap): the
  deck's face for mincho, a bold face for the gothic family that \\bfseries takes for CJK (Noto Sans
  CJK TC Bold; AR PL UKai for AR PL UMing, as the arphic map pairs them; WenQuanYi Zen Hei, one
  weight, for itself);
- stack (stacked 構面 labels only): `tate`, the label in vertical writing (plext's `\\pbox<t>`), or
  `makecell`, one character a line as r_latex does.  WenQuanYi Zen Hei is never set vertically: its
  vmtx gives the ideographs no advance height, and dvipdfmx prints them all on one spot.

Every code point the content model prints is typeset: upTeX takes Kangxi radicals, CJK compatibility
ideographs, ≧/≥ and × as CJK characters, and all four faces have them (one a face lacked would get
the plain ideograph from fonts.printable, as in r_latex).  With the Noto faces dvipdfmx's ToUnicode
gives the unified ideograph for a radical or compatibility glyph, so those lookalikes never reach the
text layer; with the TrueType faces (AR PL UMing, WenQuanYi) they do.  pLaTeX is not offered: what is
not in JIS X 0208 (啟, the Kangxi radicals, ≥) stops it with 'Unicode character not set up'.
"""

from __future__ import annotations

import random
from pathlib import Path

from . import r_latex
from .generate import _cmd_version
from .spec import Deck

# deck font -> (mincho face, gothic face) as dvipdfmx finds them: (file, index in the collection)
FACES = {
    "Noto Sans CJK TC": (("NotoSansCJK-Regular.ttc", 3), ("NotoSansCJK-Bold.ttc", 3)),
    "Noto Serif CJK TC": (("NotoSerifCJK-Regular.ttc", 3), ("NotoSansCJK-Bold.ttc", 3)),
    "WenQuanYi Zen Hei": (("wqy-zenhei.ttc", 0), ("wqy-zenhei.ttc", 0)),
    "AR PL UMing TW": (("uming.ttc", 2), ("ukai.ttc", 2)),
}


def _tc_families(scale: str) -> str:
    """JY2/JT2 (horizontal/vertical) kanji families on the Traditional Chinese JFMs, bold taking gothic."""
    return "".join(
        rf"\DeclareKanjiFamily{{{enc}}}{{tc{f}}}{{}}"
        rf"\DeclareFontShape{{{enc}}}{{tc{f}}}{{m}}{{n}}{{<->s*[{scale}]uptch{jfm}-{d}}}{{}}"
        rf"\DeclareFontShape{{{enc}}}{{tc{f}}}{{bx}}{{n}}{{<->ssub*tcgt/m/n}}{{}}"
        for enc, d in (("JY2", "h"), ("JT2", "v"))
        for f, jfm in (("mc", "rm"), ("gt", "gt"))
    )


def tool_version(engine: str | None = None) -> str:
    return f"{_cmd_version(['uplatex', '--version'])}; {_cmd_version(['dvipdfmx', '--version'])}"


def producer_options(rng: random.Random, style: dict) -> dict:
    opts = {
        "repeat_header": rng.random() < 0.5,
        "gutter_pt": rng.choice([1.5, 2, 3]),
        "class": rng.choice(["ujarticle", "jsarticle"]),
        "jfm": rng.choice(["uptchr", "upjisr"]),
        "latin": rng.choice(["cm", "cjk"]),
    }
    if style["persp_mode"] == "stacked":
        # WenQuanYi Zen Hei's vmtx gives its ideographs no advance height: set vertically by dvipdfmx they
        # all print on one spot, so that face is not drawn with tate labels
        tate = style["font"] != "WenQuanYi Zen Hei" and rng.random() < 0.5
        opts["stack"] = "tate" if tate else "makecell"
    return opts


def _head(fam: str, opts: dict) -> tuple[str, list[str]]:
    (mc, mci), (gt, gti) = FACES[fam]
    cls = opts["class"]
    docclass = (
        r"\documentclass[uplatex,dvipdfmx,10pt]{jsarticle}"
        if cls == "jsarticle"
        else r"\documentclass[dvipdfmx,10pt]{ujarticle}"
    )
    alphabet = "alphabet" if opts["latin"] == "cjk" else "noalphabet"
    lines = [
        r"\usepackage{plext,longtable,booktabs,array,makecell,graphicx}\usepackage[table]{xcolor}",
        rf"\usepackage[unicode,{alphabet}]{{pxchfon}}\setminchofont[{mci}]{{{mc}}}\setgothicfont[{gti}]{{{gt}}}",
    ]
    if opts["jfm"] == "uptchr":
        scale = "0.924690" if cls == "jsarticle" else "0.962216"  # the class's own kanji scale (\Cjascale)
        lines += [
            rf"\settchineseminchofont[{mci}]{{{mc}}}\settchinesegothicfont[{gti}]{{{gt}}}",
            _tc_families(scale),
            r"\renewcommand{\mcdefault}{tcmc}\renewcommand{\gtdefault}{tcgt}"
            r"\renewcommand{\kanjifamilydefault}{tcmc}",
        ]
    return docclass, lines


def _stacked(label: str, opts: dict) -> str | None:
    return rf"\pbox<t>{{{label}}}" if opts.get("stack") == "tate" else None


r_latex.DIALECTS["uplatex"] = r_latex.Dialect(_head, _stacked, ("dvipdfmx", "deck.dvi"))


def off_page(pdf: str | Path) -> list[tuple[int, tuple[int, ...]]]:
    """(page, bbox) of text past a page edge, read without PyMuPDF's clipping to the page: layout.check
    reads clipped text, where a table running off the slide may only show as characters missing."""
    import pymupdf

    out = []
    for i, page in enumerate(pymupdf.open(str(pdf)), 1):
        w, h = page.mediabox.width, page.mediabox.height
        for b in page.get_text("dict", clip=pymupdf.INFINITE_RECT())["blocks"]:
            x0, y0, x1, y1 = b["bbox"]
            if b.get("type") == 0 and (x0 < -2 or y0 < -2 or x1 > w + 2 or y1 > h + 2):
                out.append((i, tuple(round(v) for v in b["bbox"])))
    return out


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """As r_latex.render, with engine uplatex and dvipdfmx; options also class, jfm, latin, stack.
    A table wider than the page (header labels in `c` cells wider than their column, Latin set in the
    CJK face's half-width glyphs, xkanjiskip around them) is typeset again a point smaller, down to 7 pt;
    text still off the page, on any page, is reported with the problems."""
    opts = {"class": "ujarticle", "jfm": "uptchr", "latin": "cm", **(options or {}), "engine": "uplatex"}
    while True:
        used = r_latex.render(deck, out_pdf, opts)
        off = off_page(out_pdf)
        first = min(k.page or 1 for _, _, k in deck.kpis())
        pt = int(used["font_pt"])
        if pt <= 7 or all(page < first for page, _ in off):  # the type size sets the tables only
            for page, bbox in off:
                msg = f"page {page}: text outside the page at {bbox}"
                if msg not in used["problems"]:
                    used["problems"].append(msg)
            return used
        opts = {**opts, "font_pt": pt - 1}
