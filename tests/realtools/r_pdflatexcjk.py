r"""pdfLaTeX with the classic CJK package: how Taiwanese LaTeX users typeset Chinese before XeLaTeX.

The deck is a LaTeX source whose whole body sits in `\begin{CJK}{UTF8}{bsmi}` (AR PL Mingti, `bsmi`) or `{bkai}`
(AR PL Kaiti), from `\usepackage{CJKutf8}` or the plain `\usepackage{CJK}` (with `\CJKtilde`/`\CJKspace` set-ups,
or the starred `CJK*` environment, which swallows the spaces after CJK characters).  The faces are Debian 12's
latex-cjk-chinese-arphic-bsmi00lp / -bkai00mp 2.0: Type 1 subfonts `bsmiuXX` / `bkaiuXX` of 256 glyphs, one per
Unicode block row XX, so a page's CJK text is spread over dozens of small fonts (`/Subtype /Type1`, builtin
encoding, glyph names `uniXXXX`).  Typeset by pdfTeX 1.40.24 (TeX Live 2022/Debian) straight to PDF, or by
`latex` + dvipdfmx 20211117 (which writes those subfonts as Type 1C/CFF, a different PDF writer: `engine`).

Text layer: TeX Live's pdftexconfig has `\pdfgentounicode=1` with glyphtounicode.tex, so pdfTeX writes a
ToUnicode CMap for every subfont from its glyph names; some decks switch it off (`\pdfgentounicode=0`, as TeX
Live wrote before 2019: `text_layer` 'glyph-names') and are read by viewers from the uniXXXX glyph names alone.
`\usepackage{cmap}` only gives the T1/OT1 Latin fonts a ToUnicode (CJK subfonts are unaffected).  The subfonts
lack whole rows: no Kangxi radicals (row 2F), no CJK radicals supplement (2E), no compatibility ideographs of row
F9; a character without its subfont stops pdfTeX ('invalid font identifier': mktextfm cannot make bsmiu2f), one
whose subfont lacks the glyph is dropped silently, so the source holds the unified ideograph there
(`printable`: the coverage read from the subfonts' TFMs).  Bold is the CJK package's poor man's bold
(`\CJKbold`: the glyphs printed three times, slightly shifted) for `\bfseries`.  CJK line breaking is the
package's: a break allowed between two CJK characters (full-width digits too), none inside a Latin/number run
nor between it and the next ideograph; `CJKpunct` (optionally loaded) adjusts punctuation spacing and forbids
breaks before closing punctuation.

Latin in Computer Modern (OT1), Latin Modern, Times (`mathptmx`) or Helvetica (`helvet`, sans as the default
family), optionally `[T1]{fontenc}` (not with Computer Modern: its T1 fonts would be Metafont bitmaps, cm-super
is not installed).  Documents: `article`/`report` with `geometry` (A4 landscape or portrait, or a slide-sized
paper) or `beamer` (4:3 or 16:9; themes default/Madrid/Boadilla/Warsaw/CambridgeUS/Berkeley, frame titles,
frame numbers in the footline; `hyperref={unicode}` with \title/\author set inside the CJK environment: beamer's own
`[CJK]` option (`CJKbookmarks`) garbles UTF-8 titles and stops on an odd byte count ('Argument of
\HyPsd@GetTwoBytes has an extra }'), and no `\section`: the section names beamer reads back from the .nav at
\begin{document}, outside the CJK environment, stop pdfLaTeX ('Unicode character 厚 not set up'); beamer takes the
CJKutf8 package only, and with plain CJK hyperref gets no CJK pdftitle).  Titles keep the content model's '--1/2',
which TeX typesets as an en dash ('–1/2').  Tables: `tabular` with `p{}`/`m{}` columns as
fractions of \linewidth, `tabularx` (`\hsize` weights on X columns), `longtable` (LaTeX paginates, `\endhead`
repeated or not) or `supertabular` (`\tablehead`; its own page-break estimate, an over-long page fixed by
`\shrinkheight`); rules a `|`/`\hline` grid (`\cline` around row-spanning labels), booktabs (`\toprule`,
`\midrule`, `\cmidrule` under a two-row head) or `\hline`s, none, or colortbl `\rowcolor` zebra; 構面/策略目標
labels by `\multirow` (never with zebra: colortbl paints the next rows' fills over a multirow's text) or on the
block's first row; turned labels by `\rotatebox{90}`, stacked by `\makecell`, `\shortstack` or a column one
ideograph wide that CJK breaks after every character.  Slides: each theme's table cut into pages of `max_rows`
KPI rows (fewer until no table runs over its page).  Running header/footer by fancyhdr ('- n -', 'n / N' with
lastpage, '第 n 頁'), `\markright` for a running theme title; watermark '內部資料' by draftwatermark or background
(TikZ); hyperref or not.  An author checks the printout: while any table cell is overfull (a code or number wider
than its column, which TeX lets run over the next cell), the table type is made a size smaller.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .layout import Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, fold

PDFTEX = "3.141592653-2.6-1.40.24"  # Debian 12's texlive-binaries 2022.20220321.62855-5.1+deb12u2
TEXLIVE = "TeX Live 2022/Debian"
CJK = "4.8.5"  # latex-cjk-common 4.8.5-1 (CJK.sty / CJKutf8.sty \fileversion)
DVIPDFMX = "20211117"
ARPHIC_TFM = "/usr/share/texmf/fonts/tfm/arphic"
SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\^{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\textasciitilde{}",
}
# table type per deck point size: article (10pt) and beamer (11pt, whose slides are small)
SIZES = ["\\tiny", "\\scriptsize", "\\footnotesize", "\\small"]
ARTICLE_SIZE = {7: 1, 8: 2, 9: 3, 10: 3}
BEAMER_SIZE = {7: 0, 8: 0, 9: 1, 10: 1}
PAPER = {  # (width, height, margin) in mm
    "A4L": (297, 210, 12),
    "A4": (210, 297, 15),
    "16:9": (254, 142.875, 9),
    "4:3": (254, 190.5, 9),
}
NUMERIC = {"a0", "a1", "a2", "t", "w"}
THEMES = ["default", "default", "Madrid", "Boadilla", "Warsaw", "CambridgeUS", "Berkeley"]


@cache
def tool_version(engine: str | None = None) -> str:
    out = _version(["pdflatex", "--version"])
    if PDFTEX not in out or TEXLIVE not in out:
        raise RuntimeError(f"pdfTeX {PDFTEX} ({TEXLIVE}) wanted, found {out!r}")
    cjk = Path("/usr/share/texmf/tex/latex/CJK/CJK.sty").read_text(errors="replace")
    if f"\\def\\fileversion{{{CJK}}}" not in cjk:
        raise RuntimeError(f"CJK {CJK} wanted (latex-cjk-common)")
    s = f"{out}; CJK {CJK}"
    if engine == "dvipdfmx":
        dv = _version(["dvipdfmx", "--version"])
        if DVIPDFMX not in dv:
            raise RuntimeError(f"dvipdfmx {DVIPDFMX} wanted, found {dv!r}")
        s += f"; {dv}"
    return s


def _version(cmd: list[str]) -> str:
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        return (p.stdout or p.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "unknown"


def producer_options(rng: random.Random, style: dict) -> dict:
    beamer = rng.random() < 0.35
    latin = rng.choice(["cm", "cm", "lm", "times", "helvet"])
    flow = not beamer and rng.random() < 0.5
    if beamer:
        page = "16:9" if style["page"] == "16:9" else rng.choice(["4:3", "4:3", "16:9"])
    elif flow:
        page = rng.choice(["A4L", "A4L", "A4"])
    else:
        page = rng.choice(["A4L", style["page"]])
    if beamer:
        table = rng.choice(["tabular", "tabularx"])
    elif flow:
        table = rng.choice(["longtable", "longtable", "supertabular"])
    else:
        table = rng.choice(["tabular", "tabularx"])
    return {
        "engine": "dvipdfmx" if rng.random() < 0.2 else "pdflatex",
        "class": "beamer" if beamer else rng.choice(["article", "article", "report"]),
        "beamer_theme": rng.choice(THEMES) if beamer else None,
        "frame_top": beamer and rng.random() < 0.6,
        "page": page,
        "flow": flow,
        "table": table,
        "cjk_font": rng.choice(["bsmi", "bsmi", "bkai"]),
        # beamer's [CJK] bookmarks stop on plain CJK's characters ('Argument of \\HyPsd@GetTwoBytes has an extra }')
        "cjk_package": "CJKutf8" if beamer else rng.choice(["CJKutf8", "CJKutf8", "CJK"]),
        "cjk_env": rng.choice(["CJK", "CJK", "CJK*"]),
        "cjk_tilde": rng.random() < 0.3,
        "cjkpunct": rng.random() < 0.35,
        "cmap": rng.random() < 0.5,
        "latin": latin,
        "t1": latin != "cm" and rng.random() < 0.5,
        "gentounicode": rng.random() < 0.8,
        "hyperref": rng.random() < 0.4,
        "booktabs": rng.random() < 0.6,
        "hrule_each_row": rng.random() < 0.4,
        "multirow": style["rules"] != "zebra" and rng.random() < 0.6,
        "rotate": rng.choice(["rotatebox", "rotatebox-c"]),
        "stack": rng.choice(["makecell", "shortstack", "narrow"]),
        "head_fill": rng.random() < 0.4,
        "bold_head": rng.random() < 0.6,
        "repeat_header": rng.random() < 0.75,
        "cont_foot": rng.random() < 0.3,
        "theme_break": rng.random() < 0.6,
        "running_title": flow and rng.random() < 0.5,
        "footer": rng.choice(["plain", "plain", "dash", "n_of_m", "di", None]),
        "fancy_header": not beamer and rng.random() < 0.4,
        "watermark_pkg": rng.choice(["draftwatermark", "draftwatermark", "background"]),
        "gutter_pt": rng.choice([2, 3, 4, 6]),
        "geq": rng.choice(["math", "math", "cjk"]),
        "stretch": rng.choice([1.0, 1.0, 1.15, 1.3]),
    }


# --- what the arphic subfonts can print ------------------------------------------------------------------------


@cache
def charset(family: str) -> frozenset[int]:
    """Code points the `<family>u` subfonts hold (from their TFMs: a character exists where its width index is set)."""
    have: set[int] = set()
    for tfm in Path(ARPHIC_TFM, f"{family}u").glob(f"{family}u[0-9a-f][0-9a-f].tfm"):
        row = int(tfm.stem[-2:], 16)
        b = tfm.read_bytes()
        lh, bc, ec = (int.from_bytes(b[i : i + 2], "big") for i in (2, 4, 6))
        base = 24 + 4 * lh
        for c in range(bc, ec + 1):
            if b[base + 4 * (c - bc)]:
                have.add(row * 256 + c)
    return frozenset(have)


SUBST = {"≥": "≧", "≤": "≦"}


def printable(text: str, family: str) -> str:
    cs = charset(family)
    out = []
    for c in text:
        if ord(c) < 128 or ord(c) in cs:
            out.append(c)
            continue
        f = fold(c)
        if all(ord(x) < 128 or ord(x) in cs for x in f):
            out.append(f)
        elif SUBST.get(c) and ord(SUBST[c]) in cs:
            out.append(SUBST[c])
        else:
            raise ValueError(f"{family}u has no glyph for {c!r} (U+{ord(c):04X})")
    return "".join(out)


MATH = {"≥": r"$\geq$", "≤": r"$\leq$"}


def tex(s: str, family: str, br: str = r"\newline ", geq: str = "math") -> str:
    """`s` as LaTeX source: specials escaped, ≥ ≤ (no glyph in the subfonts) typed as math (`$\\geq$`) or as the
    ≧ ≦ the subfonts have (`geq` 'cjk': the deck's printed text is changed to match), line breaks."""
    out = []
    for c in s:
        if c == "\n":
            out.append(br)
        elif c in MATH and geq == "math":
            out.append(MATH[c])
        else:
            out += [SPECIAL.get(x, x) for x in printable(c, family)]
    return "".join(out)


# --- the source ------------------------------------------------------------------------------------------------


class Source:
    def __init__(self, deck: Deck, opts: dict) -> None:
        self.d, self.o, self.st = deck, opts, deck.style
        self.beamer = opts["class"] == "beamer"
        self.fam = opts["cjk_font"]
        self.lines: list[str] = []
        self.table_lines: list[tuple[int, int]] = []
        self.cols = columns(deck)
        if self.beamer:
            self.height_pt = 255.1 if opts["page"] == "16:9" else 272.1
        else:
            self.height_pt = PAPER[opts["page"]][1] * 72 / 25.4

    def t(self, s: str, br: str = r"\newline ") -> str:
        return tex(s, self.fam, br, self.o["geq"])

    def add(self, *lines: str) -> None:
        for x in lines:
            self.lines.extend(x.split("\n"))

    # preamble

    def preamble(self) -> None:
        o, st = self.o, self.st
        if self.beamer:
            ratio = "169" if o["page"] == "16:9" else "43"
            cls = f"\\documentclass[hyperref={{unicode}},aspectratio={ratio}]{{beamer}}"
            self.add(cls)
            if o["beamer_theme"] != "default":
                self.add(f"\\usetheme{{{o['beamer_theme']}}}")
            else:
                self.add(r"\setbeamertemplate{footline}[frame number]")
            self.add(r"\setbeamertemplate{navigation symbols}{}")
        else:
            w, h, m = PAPER[o["page"]]
            self.add(f"\\documentclass[10pt]{{{o['class']}}}")
            # a running header inside the margins (fancyhdr's headsep would put it above a slide-sized page's top)
            extra = ",includehead,headheight=14pt,headsep=4mm" if o["fancy_header"] or o["running_title"] else ""
            self.add(
                f"\\usepackage[paperwidth={w}mm,paperheight={h}mm,margin={m}mm,top={m + 2}mm,bottom={m + 4}mm{extra}]"
                "{geometry}"
            )
        if not o["gentounicode"] and o["engine"] == "pdflatex":
            self.add(r"\pdfgentounicode=0")
        if o["cmap"] and o["engine"] == "pdflatex":
            self.add(r"\usepackage{cmap}")
        if o["t1"]:
            self.add(r"\usepackage[T1]{fontenc}")
        self.add(
            {
                "cm": "",
                "lm": r"\usepackage{lmodern}",
                "times": r"\usepackage{mathptmx}",
                "helvet": "\\usepackage[scaled=.92]{helvet}\\renewcommand{\\familydefault}{\\sfdefault}",
            }[o["latin"]]
        )
        self.add(f"\\usepackage{{{o['cjk_package']}}}")
        if o["cjkpunct"]:
            self.add(r"\usepackage{CJKpunct}")
        pk = ["array", "graphicx", "makecell", "multirow", "booktabs"]
        if o["table"] == "tabularx":
            pk.append("tabularx")
        if o["table"] in ("longtable", "supertabular"):
            pk.append(o["table"])
        self.add(f"\\usepackage{{{','.join(pk)}}}")
        if not self.beamer:
            self.add(r"\usepackage[table]{xcolor}")
        else:
            self.add(r"\usepackage{colortbl}")
        foot = o["footer"] if not self.beamer else None
        if not self.beamer and (o["fancy_header"] or o["running_title"] or foot in ("dash", "n_of_m", "di")):
            self.add(r"\usepackage{fancyhdr}\pagestyle{fancy}\fancyhf{}\renewcommand{\headrulewidth}{0.4pt}")
            if o["fancy_header"] or o["running_title"]:
                self.add(f"\\fancyhead[L]{{\\small {self.t(self.d.org)}}}")
                if o["running_title"]:
                    self.add(r"\fancyhead[R]{\small\rightmark}")
            else:
                self.add(r"\renewcommand{\headrulewidth}{0pt}")
            if foot == "n_of_m":
                self.add(r"\usepackage{lastpage}\fancyfoot[C]{\thepage\ / \pageref{LastPage}}")
            elif foot == "dash":
                self.add(r"\fancyfoot[C]{- \thepage\ -}")
            elif foot == "di":
                self.add(r"\fancyfoot[C]{第\thepage 頁}")
            elif foot == "plain":
                self.add(r"\fancyfoot[C]{\thepage}")
        elif not self.beamer:
            self.add(r"\pagestyle{" + ("plain" if foot else "empty") + "}")
        if st["watermark"]:
            if o["watermark_pkg"] == "draftwatermark":
                # draftwatermark's 5 cm type, scaled so that the turned text stays on the page
                scale = 0.55 * self.height_pt / 595
                self.add(
                    rf"\usepackage{{draftwatermark}}\SetWatermarkText{{內部資料}}\SetWatermarkScale{{{scale:.2f}}}"
                    r"\SetWatermarkLightness{0.88}"
                )
            else:
                self.add(
                    r"\usepackage[pages=all]{background}\backgroundsetup{contents={內部資料},scale=5,angle=30,"
                    r"opacity=0.25,color=gray}"
                )
        if o["hyperref"] and not self.beamer:
            self.add(r"\usepackage[unicode,hidelinks]{hyperref}\hypersetup{pdfauthor={BSC}}")
        if o["cjk_tilde"] and o["cjk_package"] == "CJK":
            self.add(r"\CJKtilde")
        self.add(
            f"\\setlength{{\\tabcolsep}}{{{o['gutter_pt']}pt}}\\renewcommand{{\\arraystretch}}{{{o['stretch']}}}",
            r"\setlength{\parindent}{0pt}",
        )
        if o["table"] == "tabularx" and self.st["valign"] == "middle":
            self.add(r"\renewcommand{\tabularxcolumn}[1]{m{#1}}")
        if self.o["latin"] == "times" and self.beamer:
            self.add(r"\usefonttheme{serif}")

    # front matter

    def front(self) -> None:
        d = self.d
        if self.beamer:
            self.add(r"\begin{frame}\titlepage\end{frame}")
            self.add(r"\begin{frame}{轄區概況}\large")
            self.add(r"\begin{itemize}" + "".join(f"\\item {self.t(x)}" for x in d.profile_lines) + r"\end{itemize}")
            self.add(r"\end{frame}")
            self.add(f"\\begin{{frame}}{{{self.t(d.org)}策略地圖\\hfill{{\\normalsize {d.map_date}}}}}")
            self.add(self.strategy_map())
            self.add(r"\end{frame}")
            return
        self.add(
            rf"\thispagestyle{{empty}}\vspace*{{20mm}}\begin{{center}}{{\Huge\bfseries {self.t(d.org)}}}\\[8mm]"
            r"{\Huge 策略地圖與平衡計分卡}\end{center}\clearpage"
        )
        self.add(
            r"{\LARGE\bfseries 轄區概況}\par\vspace{6mm}\Large "
            + r"\par\vspace{3mm}".join(self.t(x) for x in d.profile_lines)
            + r"\normalsize\clearpage"
        )
        self.add(rf"{{\LARGE\bfseries {self.t(d.org)}策略地圖}}\hfill{{\Large {d.map_date}}}\par\vspace{{5mm}}")
        self.add(self.strategy_map() + r"\clearpage")

    def strategy_map(self) -> str:
        per = {p: [o.shown for t in self.d.themes for o in t.objectives if o.perspective == p] for p in BSC_ORDER}
        per = {p: v for p, v in per.items() if v}
        n = max(len(v) for v in per.values())
        w = f"\\dimexpr(\\linewidth-5em)/{n}-2\\tabcolsep-1pt\\relax"
        rows = []
        for p, objs in per.items():
            size = r"\tiny" if self.beamer else r"\footnotesize"
            cells = [f"{size} {self.t(x)}" for x in objs] + [""] * (n - len(objs))
            label = f"\\cellcolor{{blue!15}}{size}\\textbf{{{p}構面}}"
            rows.append(f"{label} & " + " & ".join(cells) + r"\\\hline")
        spec = "|>{\\centering\\arraybackslash}m{4em}|" + f"*{{{n}}}{{>{{\\centering\\arraybackslash}}m{{{w}}}|}}"
        return f"\\begin{{tabular}}{{{spec}}}\\hline\n" + "\n".join(rows) + "\n\\end{tabular}"

    # tables

    def colspec(self) -> str:
        o, st, cols = self.o, self.st, self.cols
        grid = st["rules"] == "grid"
        bar = "|" if grid else ""
        widen = 1.25 ** int(o.get("widen", 0))  # value columns widened by the author after a look at the printout
        weight = {c.id: c.weight * (widen if c.id in NUMERIC else 1) for c in cols}
        if (
            self.narrow
        ):  # a column one ideograph wide, outside the shares (tabularx's \hsize factors sum to its X columns)
            weight.pop("persp", None)
        tot = sum(weight.values())
        align = r"\centering" if st["halign"] == "center" else r"\raggedright"
        kind = "m" if st["valign"] == "middle" else "p"
        out = []
        n = len(weight)
        base = r"\dimexpr\linewidth-1.05em-2\tabcolsep\relax" if self.narrow else r"\linewidth"
        for c in cols:
            narrow = c.id == "persp" and self.narrow
            a = r"\centering" if c.id == "persp" and st["persp_mode"] in ("rotated", "stacked") else align
            if narrow:
                out.append(f">{{\\centering\\arraybackslash}}{kind}{{1.05em}}{bar}")
                continue
            f = weight[c.id] / tot
            if o["table"] == "tabularx":
                out.append(f">{{{a}\\arraybackslash\\hsize={f * n:.3f}\\hsize}}X{bar}")
            else:
                out.append(f">{{{a}\\arraybackslash}}{kind}{{\\dimexpr {f:.4f}{base}-2\\tabcolsep-1pt\\relax}}{bar}")
        return bar + "".join(out)

    def head_rows(self) -> list[str]:
        """Header rows (each ending in \\\\ and its rule)."""
        o, st, cols = self.o, self.st, self.cols
        grid = st["rules"] == "grid"
        bf = r"\bfseries " if o["bold_head"] else ""
        fill = r"\rowcolor{gray!20}" if o["head_fill"] else ""
        bar = "|" if grid else ""
        if st["year_header"] != "two_row":
            cells = [
                f"\\centering\\arraybackslash {bf}{self.t(c.label)}"
                if not (c.id == "persp" and self.narrow)
                else f"{bf}{self.t(c.label)}"
                for c in cols
            ]
            return [fill + " & ".join(cells) + r"\\" + self.mid_rule()]
        top, low, parts, j = [], [], [], 0
        while j < len(cols):
            c = cols[j]
            if c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                lead = bar if j == 0 else ""
                top.append(f"\\multicolumn{{{k - j + 1}}}{{{lead}c{bar}}}{{{bf}{self.t(c.group)}}}")
                low += [f"\\centering\\arraybackslash {bf}{self.t(cols[m].sub or '')}" for m in range(j, k + 1)]
                parts.append((j + 1, k + 1))
                j = k + 1
            else:
                top.append(f"\\centering\\arraybackslash {bf}{self.t(c.label)}")
                low.append("")
                j += 1
        if grid:
            sub = "".join(f"\\cline{{{a}-{b}}}" for a, b in parts)
        elif st["rules"] in ("hrules", "zebra") and o["booktabs"]:
            sub = "".join(f"\\cmidrule(lr){{{a}-{b}}}" for a, b in parts)
        else:
            sub = ""
        return [fill + " & ".join(top) + r"\\" + sub, fill + " & ".join(low) + r"\\" + self.mid_rule()]

    @property
    def narrow(self) -> bool:
        return self.st["persp_mode"] == "stacked" and self.o["stack"] == "narrow"

    def top_rule(self) -> str:
        r = self.st["rules"]
        if r == "grid":
            return r"\hline"
        if r in ("hrules", "zebra"):
            return r"\toprule" if self.o["booktabs"] else r"\hline"
        return ""

    mid_rule = top_rule

    def bottom_rule(self) -> str:
        r = self.st["rules"]
        if r == "grid":
            return r"\hline"
        if r in ("hrules", "zebra"):
            return r"\bottomrule" if self.o["booktabs"] else r"\hline"
        return ""

    def between(self, spanned: set[int]) -> str:
        """The rule after a body row; `spanned` the 1-based columns a multirow label continues through."""
        r, o, n = self.st["rules"], self.o, len(self.cols)
        if r == "grid" or (r == "hrules" and o["hrule_each_row"]):
            if not spanned:
                return r"\midrule" if r == "hrules" and o["booktabs"] else r"\hline"
            segs, a = [], None
            for c in range(1, n + 2):
                if c <= n and c not in spanned:
                    a = a or c
                elif a:
                    segs.append((a, c - 1))
                    a = None
            cmd = "cmidrule" if r == "hrules" and o["booktabs"] else "cline"
            return "".join(f"\\{cmd}{{{x}-{y}}}" for x, y in segs)
        return ""

    def label_lines(self, text: str, kind: str) -> float:
        """Rough height in lines of a label; 構面 labels turned or stacked take one line per character."""
        return float(len(text)) if kind == "persp" and self.st["persp_mode"] in ("rotated", "stacked") else 0

    def row_lines(self, r: Row) -> float:
        """Rough height in lines of a body row (its tallest cell, wrapped to the column's width)."""
        tot = sum(c.weight for c in self.cols)
        width_em = {"A4L": 62, "A4": 44, "16:9": 58, "4:3": 58}[self.o["page"]]
        if self.beamer:
            width_em = 30 if self.o["page"] == "4:3" else 40
        best = 1.0
        for c in self.cols:
            if c.id in ("persp", "obj"):
                continue
            w = max(width_em * c.weight / tot - 0.6, 1.0)
            n = sum(
                max(1.0, -(-sum(1 if ord(ch) > 127 else 0.5 for ch in line) // w))
                for line in r.cells.get(c.id, "").split("\n")
            )
            best = max(best, n)
        return best

    def body(self, rows: list[Row], prev: list[Row]) -> list[str]:
        o, st, cols = self.o, self.st, self.cols
        zebra = st["rules"] == "zebra"
        index = {c.id: n for n, c in enumerate(cols, 1)}
        spans: dict[str, dict[int, int]] = {}
        if o["multirow"]:
            for key in ("persp", "obj"):
                if key not in index:
                    continue
                spans[key] = {}
                for s, n in runs(rows, key):
                    if n < 2:
                        continue
                    lines = sum(self.row_lines(r) for r in rows[s : s + n])
                    label = rows[s].cells.get(key, "")
                    need = self.label_lines(label, key) if key == "persp" else self.obj_lines(label)
                    if need <= 0.75 * lines:
                        spans[key][s] = n
        covered = {(i, k) for k, d in spans.items() for s, n in d.items() for i in range(s + 1, s + n)}
        out: list[str] = []
        seen: dict[str, object] = {}
        kpis = 0
        grid = st["rules"] == "grid"
        for i, r in enumerate(rows):
            if r.kind == "band":
                spec = "|l|" if grid else "l"
                fill = r"\rowcolor{gray!15}" if st["rules"] != "none" else ""
                out.append(f"{fill}\\multicolumn{{{len(cols)}}}{{{spec}}}{{\\bfseries {self.t(r.cells['band'])}}}\\\\")
                rule = self.between(set())
                if rule:
                    out[-1] += rule
                continue
            kpis += 1
            cells = []
            for c in cols:
                text = r.cells.get(c.id, "")
                if c.id in ("persp", "obj"):
                    ident = r.persp if c.id == "persp" else id(r.obj)
                    first = seen.get(c.id) != ident
                    seen[c.id] = ident
                    cont = all(x.kind == "band" for x in rows[:i])
                    if not first or (cont and st["blank_cont"] and continues(prev, r, c.id)) or (i, c.id) in covered:
                        cells.append("")
                        continue
                    cell = self.label(text) if c.id == "persp" else self.t(text)
                    n = spans.get(c.id, {}).get(i)
                    if n:
                        turned = c.id == "persp" and st["persp_mode"] in ("rotated", "stacked") and not self.narrow
                        width = "*" if turned else "="  # '=': the column's width (a narrow one stacks the label)
                        cell = f"\\multirow{{{n}}}{{{width}}}{{{cell}}}"
                    cells.append(cell)
                    continue
                cells.append(self.t(text))
            fill = r"\rowcolor{gray!12}" if zebra and kpis % 2 == 0 else ""
            line = fill + " & ".join(cells) + r"\\"
            nxt = i + 1 < len(rows)
            if nxt:
                spanned = {index[k] for k in spans for (j, kk) in covered if kk == k and j == i + 1}
                line += self.between(spanned)
            out.append(line)
        return out

    def obj_lines(self, text: str) -> float:
        tot = sum(c.weight for c in self.cols)
        width_em = 30 if self.beamer else 58
        w = max(width_em * self.cols[[c.id for c in self.cols].index("obj")].weight / tot - 0.6, 1.0)
        return sum(max(1.0, -(-sum(1 if ord(ch) > 127 else 0.5 for ch in ln) // w)) for ln in text.split("\n"))

    def label(self, text: str) -> str:
        st, o = self.st, self.o
        if not text or st["persp_mode"] not in ("rotated", "stacked"):
            return self.t(text)
        if st["persp_mode"] == "rotated":
            origin = "[origin=c]" if o["rotate"] == "rotatebox-c" else ""
            return f"\\rotatebox{origin}{{90}}{{{self.t(text)}}}"
        chars = [self.t(ch) for ch in text]
        if o["stack"] == "makecell":
            return "\\makecell{" + r"\\".join(chars) + "}"
        if o["stack"] == "shortstack":
            return "\\shortstack{" + r"\\".join(chars) + "}"
        return self.t(text)

    def size(self) -> str:
        pt = int(self.o["font_pt"])
        i = (BEAMER_SIZE if self.beamer else ARTICLE_SIZE)[pt] - int(self.o.get("shrink", 0))
        return SIZES[max(i, 0)]

    def table(self, rows: list[Row], prev: list[Row], flow: bool) -> list[str]:
        o = self.o
        spec = self.colspec()
        head = self.head_rows()
        top = self.top_rule()
        body = self.body(rows, prev)
        bot = self.bottom_rule()
        n = len(self.cols)
        env = o["table"] if flow else ("tabularx" if o["table"] == "tabularx" else "tabular")
        out = [self.size()]
        if env == "longtable":
            again = [top, *head] if o["repeat_header"] else []
            out += [f"\\begin{{longtable}}{{{spec}}}", top, *head, r"\endfirsthead", *again, r"\endhead"]
            if o["cont_foot"]:
                out += [f"\\multicolumn{{{n}}}{{r}}{{\\footnotesize （續下頁）}}\\\\", r"\endfoot", r"\endlastfoot"]
            out += [*body, bot, r"\end{longtable}"]
        elif env == "supertabular":
            first = "\n".join([top, *head])
            again = first if o["repeat_header"] else top
            out += [f"\\tablefirsthead{{{first}}}", f"\\tablehead{{{again}}}", f"\\tabletail{{{bot}}}"]
            out += [r"\tablelasttail{" + bot + "}", f"\\begin{{supertabular}}{{{spec}}}", *body, r"\end{supertabular}"]
        elif env == "tabularx":
            out += [
                f"\\noindent\\begin{{tabularx}}{{\\linewidth}}{{{spec}}}",
                top,
                *head,
                *body,
                bot,
                r"\end{tabularx}",
            ]
        else:
            out += [f"\\noindent\\begin{{tabular}}{{{spec}}}", top, *head, *body, bot, r"\end{tabular}"]
        out.append(r"\par\normalsize")
        return [x for x in out if x]

    def put_table(self, lines: list[str]) -> None:
        start = len(self.lines) + 1
        self.add(*lines)
        self.table_lines.append((start, len(self.lines)))

    def title(self, s: str) -> str:
        return f"{{\\Large\\bfseries {self.t(s)}}}\\par\\vspace{{2mm}}"

    def document(self) -> str:
        d, o = self.d, self.o
        self.preamble()
        env = o["cjk_env"]
        self.add(r"\begin{document}", f"\\begin{{{env}}}{{UTF8}}{{{self.fam}}}")
        if o["cjk_package"] == "CJK" and o["cjk_tilde"]:
            self.add(r"\CJKspace" if env == "CJK*" else "")
        # set inside the environment: hyperref turns them into PDF strings at once, which fails outside it
        if self.beamer:
            self.add(
                f"\\title{{{self.t(d.org)}}}\\subtitle{{策略地圖與平衡計分卡}}\\author{{{self.t(d.short)}}}\\date{{}}"
            )
        elif o["hyperref"] and o["cjk_package"] == "CJKutf8":  # plain CJK's characters stop \pdfstringdef
            self.add(f"\\hypersetup{{pdftitle={{{self.t(d.org)}策略地圖與平衡計分卡}}}}")
        self.front()
        n = 4
        for ti, t in enumerate(d.themes):
            rows = theme_rows(d, t)
            if o["flow"]:
                title = self.t(theme_title(d, t))
                if ti and not o["theme_break"]:
                    self.add(r"\bigskip")
                if o["running_title"]:
                    self.add(f"\\markright{{{title}}}")
                self.add(self.title(theme_title(d, t)))
                self.put_table(self.table(rows, [], True))
                if o["theme_break"] or ti == len(d.themes) - 1:
                    self.add(r"\clearpage")
                continue
            parts = chunk(rows, int(o["max_rows"]))
            for i, part in enumerate(parts):
                title = theme_title(d, t, i + 1, len(parts))
                if self.beamer:
                    # a frame's body is read again as an argument: TeX reports its overfull boxes at its lines
                    self.put_table(
                        [
                            f"\\begin{{frame}}{'[t]' if o['frame_top'] else ''}{{{self.t(title)}}}",
                            *self.table(part, parts[i - 1] if i else [], False),
                            r"\end{frame}",
                        ]
                    )
                else:
                    self.add(self.title(title))
                    self.put_table(self.table(part, parts[i - 1] if i else [], False))
                    self.add(r"\clearpage")
                n += 1
        if self.beamer:
            self.add(r"\begin{frame}\centering\vfill{\Huge 敬請指教}\vfill\end{frame}")
        else:
            self.add(
                r"\thispagestyle{empty}\vspace*{35mm}\begin{center}{\Huge\bfseries 敬請指教}\end{center}\clearpage"
            )
        self.add(f"\\end{{{env}}}", r"\end{document}")
        self.expected = n
        return "\n".join(self.lines) + "\n"


# --- running TeX ---------------------------------------------------------------------------------------------------

OVERFULL = re.compile(r"Overfull \\hbox \(([\d.]+)pt too wide\) (?:in paragraph|in alignment|detected) at lines? (\d+)")


def _run(src: Source, text: str, opts: dict, tmp: Path, out_pdf: Path) -> list[tuple[float, int]]:
    (tmp / "deck.tex").write_text(text, encoding="utf-8")
    engine = "pdflatex" if opts["engine"] == "pdflatex" else "latex"
    for _ in range(2):  # p columns need no longtable width pass; 'n / N' and beamer's frame count want the .aux
        proc = subprocess.run(
            [engine, "-interaction=nonstopmode", "-halt-on-error", "deck.tex"],
            cwd=tmp,
            capture_output=True,
            timeout=600,
        )
        if proc.returncode:
            log = (tmp / "deck.log").read_text(errors="replace") if (tmp / "deck.log").exists() else ""
            errs = [x for x in log.splitlines() if x.startswith("!")]
            raise RuntimeError(f"{engine} failed: {errs[:3]} {log[-1500:]}")
    if engine == "latex":
        proc = subprocess.run(["dvipdfmx", "-q", "deck.dvi"], cwd=tmp, capture_output=True, timeout=600)
        if proc.returncode:
            raise RuntimeError(f"dvipdfmx failed: {proc.stderr.decode(errors='replace')[-1500:]}")
    shutil.copyfile(tmp / "deck.pdf", out_pdf)
    log = (tmp / "deck.log").read_text(errors="replace")
    out = []
    for m in OVERFULL.finditer(log):
        amount, line = float(m.group(1)), int(m.group(2))
        if amount > 1.0 and any(a <= line <= b for a, b in src.table_lines):
            out.append((amount, line))
    return out


def off_page(pdf: str | Path, first: int = 1, last: int = 10**6) -> bool:
    """Does any text run past a page edge?  Read without PyMuPDF's clipping to the page (a beamer frame taller than
    the slide runs off its foot, or off both edges when the frame is centred, and clipped text is not seen)."""
    import pymupdf

    for i, page in enumerate(pymupdf.open(str(pdf)), 1):
        if not first <= i <= last:
            continue
        w, h = page.mediabox.width, page.mediabox.height
        for b in page.get_text("dict", clip=pymupdf.INFINITE_RECT())["blocks"]:
            x0, y0, x1, y1 = b["bbox"]
            if b.get("type") == 0 and (x0 < -2 or y0 < -2 or x1 > w + 2 or y1 > h + 2):
                return True
    return False


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus font_pt and max_rows.  While a table cell is overfull the table type is
    made a size smaller (then the gutters narrower); slides: the row budget is lowered until every page's table
    fits; flow: supertabular's page breaks are made earlier (`\\shrinkheight`) while a page runs over its foot."""
    import pymupdf

    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], "font_pt": st["font_pt"]}
    opts |= options or {}
    tool_version(opts["engine"])  # the pinned pdfTeX, CJK and dvipdfmx, or an error
    opts.setdefault("shrink", 0)
    if opts["geq"] == "cjk":  # typed as the ≧ ≦ the arphic fonts have: the printed text changes, not the comparator
        for _, _, k in deck.kpis():
            for v in k.values:
                v.text = v.text.replace("≥", "≧").replace("≤", "≦")
    out_pdf = Path(out_pdf)
    shrink_height = 0
    with tempfile.TemporaryDirectory() as tmpd:
        tmp = Path(tmpd)
        for _ in range(40):
            src = Source(deck, opts)
            text = src.document()
            if shrink_height:
                text = text.replace(r"\begin{document}", f"\\begin{{document}}\\shrinkheight{{{shrink_height}pt}}", 1)
            over = _run(src, text, opts, tmp, out_pdf)
            if over:
                size_i = (BEAMER_SIZE if src.beamer else ARTICLE_SIZE)[int(opts["font_pt"])] - opts["shrink"]
                if size_i > 0:
                    opts["shrink"] += 1
                    continue
                if opts["gutter_pt"] > 1.5:
                    opts["gutter_pt"] = max(1.5, opts["gutter_pt"] - 1.5)
                    continue
                if opts.get("widen", 0) < 4:
                    opts["widen"] = opts.get("widen", 0) + 1
                    continue
            if opts["flow"]:
                if off_page(out_pdf) and opts["table"] == "supertabular" and shrink_height < 200:
                    shrink_height += 20
                    continue
                break
            pages = len(pymupdf.open(str(out_pdf)))
            if (pages == src.expected and not off_page(out_pdf, 4, pages - 1)) or opts["max_rows"] <= 1:
                break
            opts["max_rows"] -= 1
        opts["overfull_cells"] = len(over)
        if shrink_height:
            opts["shrink_height_pt"] = shrink_height
    if opts["flow"]:
        opts.pop("max_rows", None)
    opts["text_layer"] = "glyph-names" if not opts["gentounicode"] and opts["engine"] == "pdflatex" else "tounicode"
    opts["font"] = {"bsmi": "AR PL Mingti (bsmiu Type 1 subfonts)", "bkai": "AR PL Kaiti (bkaiu Type 1 subfonts)"}[
        opts["cjk_font"]
    ]
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
