"""XeLaTeX renderer: xeCJK with tabular/longtable and booktabs (horizontal rules only, or no rules).

Offices outside the big cities sometimes typeset reports with TeX: tables have narrow gutters, header
labels centred over left-aligned cells, perspective and objective shown on the first row of their block
only, and xeCJK puts glue between Latin and CJK text.  In slide mode a theme is split into pages with
'--1/2' titles; in longtable mode TeX breaks the table itself (header repeated or not).
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .fonts import printable
from .layout import Col, Row, chunk, columns, continues, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

PAPER = {"16:9": ("254mm", "142.875mm", 234), "4:3": ("254mm", "190.5mm", 234), "A4L": ("297mm", "210mm", 277)}
NL = "\\\\"
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


@dataclass(frozen=True)
class Dialect:
    """Another TeX route, registered by its module (r_uplatex): `head(family, opts)` gives the document
    class and font set-up lines, `stacked(label, opts)` a stacked 構面 label cell from its escaped text
    (None: one character a line, as here), and `to_pdf` the command that turns deck.dvi into deck.pdf."""

    head: Callable[[str, dict], tuple[str, list[str]]]
    stacked: Callable[[str, dict], str | None] | None = None
    to_pdf: tuple[str, ...] = ()


DIALECTS: dict[str, Dialect] = {}


def tex(s: str, family: str, br: str = r"\newline ") -> str:
    s = printable(s, family)
    return "".join(SPECIAL.get(c, c) for c in s).replace("\n", br)


def _header(cols: list[Col], two: bool, fam: str) -> str:
    if not two:
        labels = [tex(c.label, fam, NL) for c in cols]
        return " & ".join(rf"\multicolumn{{1}}{{c}}{{\makecell{{{x}}}}}" for x in labels) + NL
    top, low, rules, j = [], [], [], 0
    while j < len(cols):
        c = cols[j]
        if c.group:
            k = j
            while k + 1 < len(cols) and cols[k + 1].group == c.group:
                k += 1
            top.append(rf"\multicolumn{{{k - j + 1}}}{{c}}{{{tex(c.group, fam)}}}")
            low += [rf"\multicolumn{{1}}{{c}}{{{tex(cols[m].sub or '', fam)}}}" for m in range(j, k + 1)]
            rules.append(rf"\cmidrule(lr){{{j + 1}-{k + 1}}}")
            j = k + 1
        else:
            top.append(rf"\multicolumn{{1}}{{c}}{{{tex(c.label, fam)}}}")
            low.append("")
            j += 1
    return " & ".join(top) + r"\\" + "".join(rules) + " & ".join(low) + r"\\"


def _rows(
    deck: Deck,
    rows: list[Row],
    prev: list[Row],
    cols: list[Col],
    fam: str,
    zebra: bool,
    stacked: Callable[[str], str | None] | None = None,
) -> str:
    st = deck.style
    out = []
    seen: dict[str, object] = {}
    for i, r in enumerate(rows):
        if r.kind == "band":
            out.append(rf"\multicolumn{{{len(cols)}}}{{l}}{{\textbf{{{tex(r.cells['band'], fam)}}}}}\\")
            continue
        cells = []
        for c in cols:
            text = r.cells.get(c.id, "")
            if c.id in ("persp", "obj"):
                ident = r.persp if c.id == "persp" else id(r.obj)
                first = seen.get(c.id) != ident
                seen[c.id] = ident
                cont = i == 0 or all(x.kind == "band" for x in rows[:i])
                if not first or (cont and st["blank_cont"] and continues(prev, r, c.id)):
                    text = ""
                if c.id == "persp" and text and st["persp_mode"] in ("rotated", "stacked"):
                    if st["persp_mode"] == "rotated":
                        cells.append(rf"\rotatebox{{90}}{{{tex(text, fam)}}}")
                    else:
                        own = stacked(tex(text, fam)) if stacked else None
                        cells.append(own or rf"\makecell{{{NL.join(tex(ch, fam) for ch in text)}}}")
                    continue
            cells.append(tex(text, fam))
        colour = r"\rowcolor[gray]{0.93}" if zebra and i % 2 else ""
        out.append(colour + " & ".join(cells) + r"\\")
    return "\n".join(out)


def _fonts(fam: str, engine: str) -> list[str]:
    """xeCJK under XeLaTeX; LuaTeX-ja (its own CJK line breaking and glue) under LuaLaTeX."""
    if engine == "lualatex":
        return [
            r"\usepackage{luatexja-fontspec,longtable,booktabs,array,makecell,graphicx}\usepackage[table]{xcolor}",
            rf"\setmainfont{{{fam}}}\setmainjfont{{{fam}}}",
        ]
    return [
        r"\usepackage{xeCJK,longtable,booktabs,array,makecell,graphicx}\usepackage[table]{xcolor}",
        rf"\setmainfont{{{fam}}}[Mapping=]\setCJKmainfont{{{fam}}}[Mapping=]",
    ]


def source(deck: Deck, opts: dict) -> str:
    st = deck.style
    fam = opts["font"]
    engine = opts.get("engine", "xelatex")
    dialect = DIALECTS.get(engine)
    docclass, fonts = dialect.head(fam, opts) if dialect else (r"\documentclass[10pt]{article}", _fonts(fam, engine))
    stacked = (lambda label: dialect.stacked(label, opts)) if dialect and dialect.stacked else None
    pw, ph, usable = PAPER[opts["page"]]
    rules = opts["rules"]
    cols = columns(deck)
    tot = sum(c.weight for c in cols)
    gut = float(opts.get("gutter_pt", 2))
    spec = "".join(
        rf">{{\raggedright\arraybackslash}}p{{{usable * c.weight / tot - 2 * gut * 0.353 - 0.4:.1f}mm}}" for c in cols
    )
    two = st["year_header"] == "two_row"
    head = _header(cols, two, fam)
    top, mid, bot = (r"\toprule ", r"\midrule ", r"\bottomrule ") if rules != "none" else ("", "", "")
    pre = [
        docclass,
        rf"\usepackage[paperwidth={pw},paperheight={ph},margin=9mm,top=8mm,bottom=12mm,footskip=6mm]{{geometry}}",
        *fonts,
        rf"\setlength{{\tabcolsep}}{{{gut}pt}}\setlength{{\LTpre}}{{2pt}}\setlength{{\parindent}}{{0pt}}",
        r"\pagestyle{" + ("plain" if opts.get("page_numbers", True) else "empty") + "}",
        r"\begin{document}",
    ]
    body = [
        rf"\vspace*{{25mm}}\begin{{center}}{{\Huge\bfseries {tex(deck.org, fam)}}}\\[6mm]"
        rf"{{\Huge 策略地圖與平衡計分卡}}\end{{center}}\clearpage",
        r"{\LARGE\bfseries 轄區概況}\par\vspace{6mm}\Large "
        + r"\par\vspace{3mm}".join(tex(x, fam) for x in deck.profile_lines)
        + r"\clearpage\normalsize",
        rf"{{\LARGE\bfseries {tex(deck.org, fam)}策略地圖}}\hfill{{\Large {deck.map_date}}}\par\vspace{{5mm}}",
    ]
    for p in BSC_ORDER:
        objs = [o.shown for t in deck.themes for o in t.objectives if o.perspective == p]
        if objs:
            body.append(
                rf"\colorbox{{blue!15}}{{\textbf{{{p}構面}}}}\quad "
                + r"\quad ".join(rf"\fbox{{\small {tex(o, fam)}}}" for o in objs)
                + r"\par\vspace{4mm}"
            )
    body.append(r"\clearpage")
    size = {7: r"\scriptsize", 8: r"\footnotesize", 9: r"\small", 10: r"\small"}[int(opts["font_pt"])]
    zebra = rules == "zebra"
    for t in deck.themes:
        rows = theme_rows(deck, t)
        if opts["mode"] == "longtable":
            again = (top + head + mid) if opts.get("repeat_header", True) else ""
            body.append(
                rf"{{\Large\bfseries {tex(theme_title(deck, t), fam)}}}\par{size}"
                rf"\begin{{longtable}}{{{spec}}}{top}{head}{mid}\endfirsthead {again}\endhead "
                rf"{_rows(deck, rows, [], cols, fam, zebra, stacked)}{bot}\end{{longtable}}\normalsize\clearpage"
            )
            continue
        parts = chunk(rows, int(opts["max_rows"]))
        for i, part in enumerate(parts):
            title = tex(theme_title(deck, t, i + 1, len(parts)), fam)
            body.append(
                rf"{{\Large\bfseries {title}}}\par\vspace{{2mm}}{size}\begin{{tabular}}{{{spec}}}{top}"
                rf"{head}{mid}{_rows(deck, part, parts[i - 1] if i else [], cols, fam, zebra, stacked)}{bot}"
                r"\end{tabular}\normalsize\clearpage"
            )
    body.append(r"\vspace*{35mm}\begin{center}{\Huge\bfseries 敬請指教}\end{center}\end{document}")
    return "\n".join(pre + body)


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: font, page, font_pt, rules (hrules|none|zebra), mode (slides|longtable), repeat_header,
    max_rows, gutter_pt, engine (xelatex|lualatex, or one in DIALECTS).  Returns the options used."""
    st = deck.style
    opts = dict(options or {})
    opts.setdefault("font", st["font"])
    opts.setdefault("page", st["page"])
    opts.setdefault("font_pt", st["font_pt"])
    opts.setdefault("rules", st["rules"] if st["rules"] in ("hrules", "none", "zebra") else "hrules")
    opts.setdefault("mode", "longtable" if opts["page"] == "A4L" else "slides")
    rows = int(opts.get("max_rows", st["max_rows"]))
    engine = opts.get("engine", "xelatex")
    steps = [[engine, "-interaction=nonstopmode", "-halt-on-error", "deck.tex"]] * 2
    if engine in DIALECTS and DIALECTS[engine].to_pdf:
        steps.append(list(DIALECTS[engine].to_pdf))
    from .layout import check, find_pages, overflows_bottom

    while True:
        opts["max_rows"] = rows
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "deck.tex"
            src.write_text(source(deck, opts), encoding="utf-8")
            for i, cmd in enumerate(steps):
                proc = subprocess.run(cmd, cwd=tmp, capture_output=True, timeout=300)
                if proc.returncode and i:
                    log = (proc.stdout + proc.stderr).decode(errors="replace")[-2000:]
                    raise RuntimeError(f"{cmd[0]} failed: {log}")
            Path(out_pdf).write_bytes((Path(tmp) / "deck.pdf").read_bytes())
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck)
        if opts["mode"] == "longtable" or not overflows_bottom(out_pdf) or rows == 1:
            break
        rows -= 1
    opts["problems"] = problems
    return opts
