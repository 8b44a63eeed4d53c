"""Aspose.Words for Python via .NET 26.10: the deck built as a Word document with DocumentBuilder and saved as PDF
without Word, as the report modules of many government vendors' systems fill a Word template on the server.

The document: a cover (organisation and title, or a title block above the profile), the office profile, the strategy
map as paragraphs or a simple table, then per theme a heading (built-in Heading 1 or direct formatting) and one table
(`start_table`/`insert_cell`/`end_row`): 構面 and 策略目標 cells vertically merged over their rows
(`cell_format.vertical_merge`) or repeated on every row, 構面 labels turned (`cell_format.orientation` UPWARD or
DOWNWARD), stacked (VERTICAL_FAR_EAST, Word's vertical East Asian text, or one character per line) or as full-width
band rows (horizontally merged cells, or one cell as wide as the table); the two-row year head merges '實際值' over
three columns.  Borders as a full grid, horizontal rules only, none, or rules with zebra shading; header fills;
heading rows repeated on every page (`row_format.heading_format`) or not; rows allowed to break across pages or not.
Aspose paginates: the tables run over pages as Word would.  A KPI row Aspose breaks across two pages has no single
page, so (as an author proofreading the printout would) that row gets `allow_break_across_pages = False` and the
document is saved again; rows are found split by Aspose's LayoutCollector.  As slides: each theme cut into tables of
`max_rows` KPI rows, each after a page break with its title '--k/n'; the budget is lowered while a table spills
over its page.  Page setup A4/Letter portrait or landscape (or a 16:9 page for slides), margins, a running header,
footers with PAGE/NUMPAGES fields ('- n -', 'n / N', '第 n 頁，共 N 頁'), a different first page, a text
watermark (`doc.watermark.set_text`, diagonal or horizontal, semi-transparent or not).  Saved with PdfSaveOptions:
PDF 1.7, 2.0, PDF/A-1b or PDF/A-2u; fonts subset or embedded whole; Flate text compression or none; a heading
outline or none.

Fonts: `FontSettings.set_fonts_folders` on a per-deck folder holding the face of fonts.py (and Noto's bold face where
chosen), plus Liberation for Latin text: the Latin runs in the CJK face, or in 'Times New Roman'/'Arial' substituted
by Liberation Serif/Sans (`table_substitution`), or a template asking for '標楷體' that the server maps to AR PL UKai
TW.  Characters a face lacks print as the plain ideograph (fonts.printable).

Quirks: the wheel carries a .NET Core 3.1 runtime, which probes ICU only up to version 70 (Debian 12 has 72: set
CLR_ICU_VERSION_OVERRIDE) and needs OpenSSL 1.1 (Debian 12 has only 3: bullseye's libssl1.1, fetched by `install`
into the cache and put on LD_LIBRARY_PATH); without either the runtime aborts the whole process, so the document is
built in a child process (`r_asposewords_driver.py`).  Without a licence Aspose runs in evaluation mode: a red
notice paragraph ('Created with an evaluation copy of Aspose.Words...') is put before the first page's content, an
'Evaluation Only. Created with Aspose.Words. Copyright 2003-2026 Aspose Pty Ltd.' line at the foot of every page and
a faded Aspose logo image over the middle (under or over the table, text stays readable): they are kept, as an
unlicensed office's document shows them.  The evaluation mode also cuts the document after about 200 paragraphs
(every table cell holds at least one) with 'This document was truncated here because it was created in the
Evaluation Mode.'; a deck is made to fit as an author would (cell lines as line breaks, not paragraphs; a flowing
document instead of slides; no closing page; profile and map as one paragraph of lines each; band rows as one wide
cell), steps recorded in `eval_fit_steps`, and a deck that still does not fit raises, so the generator draws
another style or office: the sets lean to offices of at most about 15 KPIs and to narrower tables.  Text layer:
CJK faces are Type0/Identity-H subsets (or whole, `embed_full`) with a ToUnicode that maps a glyph shared by an
ideograph and its Kangxi radical to the radical (面積 reads '⾯積', 人口 '⼈⼝'), Noto CJK as CIDFontType0C (poppler
warns 'Mismatch between font type and embedded font file'); Latin runs in a CJK TrueType face get a second, simple
WinAnsi TrueType subset of the face without a ToUnicode; bold without a bold face is Aspose's own emboldening under
the name 'UKaiTW,Bold' (Heading 2 of the default template is bold italic: 'UKaiTW,BoldItalic'); tables in a
DocumentBuilder document autofit to their contents unless told FIXED_COLUMN_WIDTHS (then the deck's weights hold);
a vertically merged label carried over a page prints on its first page only.  Producer 'Aspose.Words for Python
via .NET 26.10.0', Creator 'Aspose.Words'.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from .fonts import cache_dir as font_cache
from .fonts import face_file, printable
from .layout import Row, check, chunk, columns, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

ASPOSE_WORDS = "26.10.0"  # PyPI aspose-words (README, Setup)
LIBSSL = "1.1.1w-0+deb11u8"  # Debian 11 bullseye(-security) libssl1.1, for the wheel's .NET Core 3.1
ICU = "72"  # Debian 12's libicu72, which .NET Core 3.1 does not probe by itself
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
LATIN = {"Times New Roman": "Liberation Serif", "Arial": "Liberation Sans"}
LIBERATION = "/usr/share/fonts/truetype/liberation2"
EVAL_PARAGRAPHS = 200  # the evaluation mode's cut (about; counted by Aspose with its own notice)


def install_dir() -> Path:
    return Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "asposewords"


def tool_version(engine: str | None = None) -> str:
    ver = metadata.version("aspose-words")
    if ver != ASPOSE_WORDS:
        raise RuntimeError(f"aspose-words {ASPOSE_WORDS} is wanted, {ver} is installed")
    if not (install_dir() / "lib" / "libssl.so.1.1").exists():
        raise RuntimeError("libssl 1.1 missing: python -m tests.realtools.r_asposewords install")
    return f"Aspose.Words for Python via .NET {ver} (evaluation mode)"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.75
    page = rng.choice(["A4L", "A4L", "A4", "A4", "LetterL", "Letter"]) if flow else rng.choice(["A4L", "A4L", "16:9"])
    portrait = PAGES[page][0] < PAGES[page][1]
    footer = rng.choice([None, "dash", "dash", "of", "zh", "page"])
    template = rng.random() < 0.2
    font = "AR PL UKai TW" if template else (style["font"] if rng.random() < 0.85 else "AR PL UKai TW")
    pt = max(7, min(style["font_pt"], 9)) if portrait else max(8, min(style["font_pt"], 11))
    persp = style["persp_mode"]
    return {
        "flow": flow,
        "page": page,
        "margins": rng.choice(list(MARGINS)) if page != "16:9" else "narrow",
        "font": font,
        "template_font": "標楷體" if template else None,
        "latin": "Times New Roman" if template else rng.choice(["face", "face", "Times New Roman", "Arial"]),
        "bold_face": rng.random() < 0.5,
        "font_pt": pt,
        "title_style": rng.choice(["heading", "direct"]),
        "cover": rng.choice(["page", "page", "block"]),
        "map": rng.choice(["text", "table"]),
        "closing": rng.random() < 0.3,
        "theme_break": rng.random() < 0.7 or not flow,
        "repeat_header": rng.random() < 0.6,
        "rows_whole": rng.random() < 0.5,
        "merge_labels": rng.random() < 0.85,
        "persp_orient": rng.choice(["up", "down"])
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
        "footer": footer,
        "footer_align": rng.choice(["center", "center", "right"]),
        "first_page_plain": rng.random() < 0.5,
        "watermark": (style.get("watermark") or rng.random() < 0.15)
        and rng.choice(["內部資料", "僅供內部參考", "草案"]),
        "watermark_diagonal": rng.random() < 0.7,
        "watermark_semi": rng.random() < 0.7,
        "compliance": rng.choice(["PDF17", "PDF17", "PDF17", "PDF20", "PDF_A1B", "PDF_A2U"]),
        "embed_full": rng.random() < 0.25,
        "compression": rng.choice(["FLATE", "FLATE", "FLATE", "NONE"]),
        "outline": rng.choice([0, 0, 1, 2]),
        "display_title": rng.random() < 0.3,
    }


class JobBuilder:
    """The deck as the driver's JSON job: page setup, fonts, header/footer, blocks of paragraphs and tables."""

    def __init__(self, deck: Deck, o: dict, no_break: set[str]) -> None:
        self.d, self.o, self.no_break = deck, o, no_break
        self.W, self.H = PAGES[o["page"]]
        m = MARGINS[o["margins"]]
        self.tw = self.W - m[2] - m[3]
        self.blocks: list[dict] = []
        self.tables: list[list[str]] = []  # keys of the KPI rows of each slide table (slides mode)

    def text(self, s: str) -> str:
        return printable(s, self.o["font"])

    def para(self, text: str, size: float, **kw) -> None:
        self.blocks.append({"type": "para", "text": self.text(text), "size": size, **kw})

    def job(self, out_pdf: Path, font_dirs: list[str]) -> dict:
        d, o = self.d, self.o
        self.cover()
        for ti, t in enumerate(d.themes):
            self.theme(t, ti)
        if o["closing"]:
            self.blocks.append({"type": "page_break"})
            self.para("\n\n\n\n敬請指教", 32, bold=True, align="center", color="1F3A68")
        hdr = None
        if o["header"]:
            hdr = {"text": self.text(f"{d.org}　策略地圖與平衡計分卡"), "size": 8, "align": "right", "rule": True}
        ftr = None
        if o["footer"]:
            ftr = {"parts": FOOTERS[o["footer"]], "size": 8, "align": o["footer_align"]}
        latin = o["latin"] if o["latin"] != "face" else (o["template_font"] or o["font"])
        subs = {k: [v] for k, v in LATIN.items()}
        if o["template_font"]:
            subs[o["template_font"]] = [o["font"]]
        wm = None
        if o["watermark"]:
            wm = {
                "text": o["watermark"],
                "size": 0 if o["watermark_diagonal"] else 72,
                "color": "BFBFBF" if o["watermark_semi"] else "D9D9D9",
                "diagonal": o["watermark_diagonal"],
                "semi": o["watermark_semi"],
            }
        return {
            "out": str(out_pdf),
            "font_dirs": font_dirs,
            "substitutes": subs,
            "font": o["template_font"] or o["font"],
            "latin_font": latin,
            "title": f"{d.org}策略地圖與平衡計分卡",
            "author": d.org,
            "page": {"w": self.W, "h": self.H, "margins": MARGINS[o["margins"]], "hf_distance": 18},
            "header": hdr,
            "footer": ftr,
            "first_page_plain": o["first_page_plain"] and (hdr or ftr) is not None,
            "watermark": wm,
            "blocks": self.blocks,
            "save": {
                "compliance": o["compliance"],
                "embed_full": o["embed_full"],
                "embedding": "EMBED_ALL",
                "compression": o["compression"],
                "outline": o["outline"],
                "display_title": o["display_title"],
            },
        }

    def cover(self) -> None:
        d, o = self.d, self.o
        navy = "1F3A68"
        compact = o["compact"]
        if o["cover"] == "page" and not compact:
            self.para("\n" * (6 if self.H > self.W else 3), 14)
            self.para(d.org, 28, bold=True, align="center", color=navy, after=12)
            self.para("策略地圖與平衡計分卡", 24, bold=True, align="center", color=navy)
            self.para(f"{d.plan_year}年度", 16, align="center", before=18)
            self.blocks.append({"type": "page_break"})
        else:
            self.para(f"{d.org}　策略地圖與平衡計分卡", 20, bold=True, align="center", color=navy, after=18)
        self.para("轄區概況", 16, bold=True, after=6, **self.heading(2))
        if compact:  # the profile as one paragraph of lines (Shift+Enter)
            self.para("\n".join(d.profile_lines), 12, after=4, spacing=1.3)
        else:
            for line in d.profile_lines:
                self.para(line, 12, after=4)
        self.para(
            f"{d.org}策略地圖（{d.map_date}）", 16, bold=True, before=12, after=6, break_before=True, **self.heading(2)
        )
        by = [(p, [o_.shown for t in d.themes for o_ in t.objectives if o_.perspective == p]) for p in BSC_ORDER]
        by = [(p, objs) for p, objs in by if objs]
        if compact:
            self.para("\n".join(f"【{p}構面】　" + "　｜　".join(objs) for p, objs in by), 12, spacing=1.5)
            return
        if o["map"] == "text":
            for p, objs in by:
                self.para(f"【{p}構面】　" + "　｜　".join(objs), 12, after=6)
            return
        w0 = self.tw * 0.18
        rows = [
            {
                "cells": [
                    {"w": w0, "text": "構面", "bold": True, "align": "center", "fill": "DCE6F2"},
                    {"w": self.tw - w0, "text": "策略目標", "bold": True, "align": "center", "fill": "DCE6F2"},
                ]
            }
        ]
        for p, objs in by:
            rows.append(
                {
                    "cells": [
                        {"w": w0, "text": self.text(f"{p}構面"), "align": "center", "valign": "middle"},
                        {"w": self.tw - w0, "text": self.text("　｜　".join(objs))},
                    ]
                }
            )
        self.blocks.append(
            {
                "type": "table",
                "rows": rows,
                "size": 12,
                "padding": [3.0, 5.4],
                "borders": {"rules": "grid", "width": 0.75, "color": "404040"},
            }
        )

    def heading(self, level: int) -> dict:
        return {"heading": level} if self.o["title_style"] == "heading" else {}

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
                16 if self.W > 700 else 14,
                bold=True,
                color="1F3A68",
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
        pt = float(o["font_pt"])
        head_fill = HEAD_FILLS.get(o["head_fill"] or "")
        hc = {"bold": True, "align": "center", "valign": "middle", "fill": head_fill}
        out: list[dict] = []
        two = st["year_header"] == "two_row"
        if two:
            r1, r2 = [], []
            j = 0
            while j < len(cols):
                c = cols[j]
                if c.group:
                    k = j
                    while k + 1 < len(cols) and cols[k + 1].group == c.group:
                        k += 1
                    for m in range(j, k + 1):
                        r1.append(
                            {
                                **hc,
                                "w": ws[m],
                                "text": c.group,
                                "hm": ("first" if m == j else "prev") if k > j else None,
                            }
                        )
                        r2.append({**hc, "w": ws[m], "text": cols[m].sub or ""})
                    j = k + 1
                    continue
                r1.append({**hc, "w": ws[j], "text": c.label, "vm": "first"})
                r2.append({**hc, "w": ws[j], "vm": "prev"})
                j += 1
            out += [
                {"cells": r1, "heading": o["repeat_header"], "allow_break": False},
                {"cells": r2, "heading": o["repeat_header"], "allow_break": False},
            ]
        else:
            out.append(
                {
                    "cells": [{**hc, "w": w, "text": c.label} for c, w in zip(cols, ws)],
                    "heading": o["repeat_header"],
                    "allow_break": False,
                }
            )
        ids = [c.id for c in cols]
        starts = {key: {s: n for s, n in runs(rows, key)} for key in ("persp", "obj")}
        inside = {key: {s + i for s, n in runs(rows, key) for i in range(1, n)} for key in ("persp", "obj")}
        zebra = st["rules"] == "zebra"
        kpi_i = 0
        for i, r in enumerate(rows):
            if r.kind == "band":
                band = {"text": self.text(r.cells["band"]), "bold": True, "fill": "E2EFDA", "align": "left"}
                if o["band"] == "wide":
                    cells = [{**band, "w": self.tw}]
                else:
                    cells = [{**band, "w": w, "hm": "first" if j == 0 else "prev"} for j, w in enumerate(ws)]
                out.append({"cells": cells, "allow_break": False})
                continue
            fill = ZEBRA_FILLS[o["zebra_fill"]] if zebra and kpi_i % 2 else None
            kpi_i += 1
            cells = []
            for j, c in enumerate(cols):
                cell = {"w": ws[j], "align": st["halign"], "valign": st["valign"], "fill": fill}
                if c.id in ("persp", "obj") and o["merge_labels"]:
                    if i in inside[c.id]:
                        cell["vm"] = "prev"
                    elif starts[c.id].get(i, 1) > 1:
                        cell["vm"] = "first"
                    cell["fill"] = None
                text = r.cells.get(c.id, "")
                if c.id == "persp":
                    cell["align"] = "center"
                    cell["valign"] = "middle"
                    orient = o["persp_orient"]
                    if orient == "lines":
                        text = "\n".join(text)
                    elif orient != "h":
                        cell["orient"] = orient
                cell["text"] = self.text(text)
                cells.append(cell)
            key = r.kpi.code
            out.append(
                {
                    "cells": cells,
                    "key": key,
                    "key_cell": ids.index("kpi"),
                    "allow_break": not o["rows_whole"] and key not in self.no_break,
                }
            )
        self.tables.append([r.kpi.code for r in rows if r.kind == "kpi"])
        self.blocks.append(
            {
                "type": "table",
                "rows": out,
                "size": pt,
                "padding": list(o["padding"]),
                "newline": o["newline"],
                "line_spacing": o["line_spacing"],
                "borders": {"rules": st["rules"], "width": o["rule_width"], "color": RULE_COLORS[o["rule_color"]]},
            }
        )


def _paragraphs(job: dict) -> int:
    """The paragraphs the job makes: one per paragraph block, page break and table cell (more for cell lines
    made paragraphs), one after each table."""
    n = 0
    for b in job["blocks"]:
        if b["type"] == "table":
            per = b.get("newline") == "paragraph"
            n += 1 + sum(1 + (c.get("text", "").count("\n") if per else 0) for r in b["rows"] for c in r["cells"])
        else:
            n += 1
    return n


def _fit(deck: Deck, opts: dict) -> None:
    """The evaluation mode cuts a document after about 200 paragraphs (every table cell holds one): the author
    makes the document shorter, one step at a time, as r_spire's decks fit the free edition's page cap."""
    steps = opts.setdefault("eval_fit_steps", [])
    if opts["newline"] == "paragraph":
        opts["newline"], step = "line", "newline"
    elif not opts["flow"]:
        opts["flow"], opts["theme_break"], step = True, True, "flow"
        if opts["page"] == "16:9":
            opts["page"] = "A4L"
    elif opts["closing"]:
        opts["closing"], step = False, "no_closing"
    elif not opts["compact"]:
        opts["compact"], step = True, "compact"
    elif opts["band"] == "hmerge" and deck.style["persp_mode"] == "band":
        opts["band"], step = "wide", "band_wide"
    else:
        raise ValueError(f"{deck.stem}: longer than the evaluation mode's 200 paragraphs")
    steps.append(step)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    lib = str(install_dir() / "lib")
    env["LD_LIBRARY_PATH"] = lib + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    env["CLR_ICU_VERSION_OVERRIDE"] = ICU
    return env


def _font_dir(work: Path, o: dict) -> list[str]:
    d = work / "fonts"
    d.mkdir(exist_ok=True)
    src = Path(face_file(o["font"]))
    (d / src.name).symlink_to(src)
    bold = font_cache() / f"{src.stem}-Bold{src.suffix}"
    if o["bold_face"] and bold.exists():
        (d / bold.name).symlink_to(bold)
    else:
        o["bold_face"] = False
    return [str(d), LIBERATION]


def _run(job: dict, work: Path) -> dict:
    jf, rf = work / "job.json", work / "result.json"
    jf.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    driver = Path(__file__).with_name("r_asposewords_driver.py")
    p = subprocess.run(
        [sys.executable, str(driver), str(jf), str(rf)], env=_env(), capture_output=True, text=True, timeout=600
    )
    if p.returncode != 0 or not rf.exists():
        raise RuntimeError(f"Aspose.Words driver failed ({p.returncode}): {p.stderr[-2000:]}")
    return json.loads(rf.read_text(encoding="utf-8"))


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides).  A KPI row Aspose breaks across pages is kept whole
    and the document saved again; slides lower their row budget while a table spills over its page.  A deck that
    fails leaves no PDF behind (the evaluation cut writes one before the deck is given up)."""
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
    opts.setdefault("compact", False)
    opts.setdefault("eval_fit_steps", [])
    no_break: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="asposewords-") as tmp:
        work = Path(tmp)
        dirs = _font_dir(work, opts)
        for _ in range(60):
            jb = JobBuilder(deck, opts, no_break)
            job = jb.job(out_pdf, dirs)
            if _paragraphs(job) > EVAL_PARAGRAPHS + 20:  # surely cut: no need to ask Aspose
                _fit(deck, opts)
                continue
            res = _run(job, work)
            if os.environ.get("ASPOSE_DEBUG"):
                print("paragraphs", _paragraphs(job), res["paragraphs"], res["truncated"], file=sys.stderr)
            if res["truncated"]:
                _fit(deck, opts)
                continue
            rows = res["rows"]
            split = [k for k, (a, b) in rows.items() if a != b]
            if split:
                new = set(split) - no_break
                if not new:
                    raise RuntimeError(f"{deck.stem}: rows {split} taller than a page")
                no_break |= new
                continue
            if not opts["flow"]:
                spill = any(len({rows[k][0] for k in keys}) > 1 for keys in jb.tables if keys)
                if spill and opts["max_rows"] > 1:
                    opts["max_rows"] -= 1
                    continue
            break
        else:
            raise RuntimeError(f"{deck.stem}: Aspose layout did not settle")
    if opts["flow"]:
        opts.pop("max_rows")
    opts["kept_whole"] = sorted(no_break)
    opts["padding"] = list(opts["padding"])
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts


def install() -> None:
    """Fetch bullseye's libssl1.1 (LIBSSL) with apt-get and a private package list (the system's lists untouched)
    and unpack its libssl.so.1.1/libcrypto.so.1.1 into install_dir()/lib."""
    import shutil

    work = Path(tempfile.mkdtemp(prefix="asposewords-debs-"))
    (work / "lists" / "partial").mkdir(parents=True)
    (work / "archives" / "partial").mkdir(parents=True)
    keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"
    mirror = os.environ.get("REALTOOLS_DEBIAN_MIRROR", "http://deb.debian.org/debian")
    security = os.environ.get("REALTOOLS_DEBIAN_SECURITY", "http://deb.debian.org/debian-security")
    (work / "sources.list").write_text(
        f"deb [signed-by={keyring}] {mirror} bullseye main\n"
        f"deb [signed-by={keyring}] {security} bullseye-security main\n"
    )
    apt = [
        f"-oDir::Etc::sourcelist={work / 'sources.list'}",
        "-oDir::Etc::sourceparts=-",
        f"-oDir::State::Lists={work / 'lists'}",
        f"-oDir::Cache={work}",
        "-oAPT::Sandbox::User=root",
    ]
    subprocess.run(["apt-get", *apt, "update"], check=True)
    subprocess.run(["apt-get", *apt, "download", f"libssl1.1={LIBSSL}"], cwd=work, check=True)
    stage = work / "stage"
    for deb in work.glob("*.deb"):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(stage)], check=True)
    lib = install_dir() / "lib"
    lib.mkdir(parents=True, exist_ok=True)
    for name in ("libssl.so.1.1", "libcrypto.so.1.1"):
        shutil.copyfile(stage / "usr" / "lib" / "x86_64-linux-gnu" / name, lib / name)
    shutil.rmtree(work)
    print(tool_version())


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "install":
        install()
    else:
        print("usage: python -m tests.realtools.r_asposewords install", file=sys.stderr)
        sys.exit(2)
