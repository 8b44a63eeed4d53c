"""Aspose.PDF for Python via .NET 26.10 (PyPI aspose-pdf 26.10.0): the deck built with Aspose.PDF's own document object
model and saved by `Document.save`, as .NET/Python back-office systems write reports straight to PDF.

The document: a cover page, the 轄區概況 profile page, a strategy map (a table of one row per 構面, objectives in
cells), then the themes, as slides (landscape 4:3 / 16:9 / A4 pages, a title `TextFragment` and one
`aspose.pdf.Table` per page, each theme cut into tables of at most `max_rows` KPI rows, '--k/n' titles, a closing
'敬請指教' page) or as a document Aspose paginates itself (A4 portrait or landscape: one page object holding every
theme's title and table; `is_in_new_page` starts a theme on a new page or not, `is_kept_with_next` keeps a title
with its table; Aspose breaks the table over pages, `repeating_rows_count` repeats the one- or two-row head).
Tables: `column_widths` from the deck's weights, `default_cell_text_state` (face and size), `default_cell_padding`,
`default_cell_border` as a full grid (`BorderSide.ALL`), per-cell top/bottom `GraphInfo` borders (horizontal rules,
zebra fills), or none (a rule under the head only); head fills and bold heads, `row_span` for merged 構面/objective
labels (or labels repeated on every row or written on the first row of their run only), `col_span` for band rows and
the two-row year head; 構面 labels turned by `text_state.rotation` (90 or 270) in a row given `min_row_height`,
stacked one character a line, or band rows; cell `vertical_alignment` top or centre. Furniture: `HeaderFooter`
objects on every page but the cover (a running '{org}｜策略地圖與平衡計分卡' header, footers with `$p`/`$P`: '- n
-', 'n / N', '第 n 頁，共 N 頁') or a page number stamped on every page (the cover too) by the `PdfFileStamp`
facade's `add_page_number` ('- # -', '第 # 頁', '#'); a '內部資料' watermark stamped by the facade
(`Stamp.bind_logo(FormattedText)` in the deck's face, turned 0/30/45 degrees, under or over the content, opacity).
Saved with fonts subset or whole (`Font.is_subset`), after `optimize_resources()` or not, converted to PDF/A-1b /
PDF/A-2u (`Document.convert`) or not; `convert` re-embeds a Noto CJK (CFF) face as a TrueType subset in which 面 is
about a thousand points wide (面積 prints as 面, the rest of the line off the page and out of the text layer), so a
deck whose PDF/A copy fails layout.check is saved again without PDF/A (`pdfa_dropped`), as its author would.

Setup and quirks: aspose-pdf cannot share a virtualenv with aspose-words / aspose-cells 26.10 (the wheels ship
different builds of the shared aspose.pycore / pydrawing / pyreflection modules and .NET Core 3.1 runtime files and
overwrite each other: 'The aspose.pyreflection module found has a version (25.8.0.0) that is lower than the
referenced version (25.8.2.0)'), so it lives in /work/gen/venv-asposepdf ($REALTOOLS_ASPOSEPDF_PYTHON for another
interpreter) and the document is built by `r_asposepdf_driver.py` in a child process. Its .NET Core 3.1 runtime
needs what r_asposewords' does: CLR_ICU_VERSION_OVERRIDE=72 (or it aborts: 'Couldn't find a valid ICU package') and
bullseye's libssl1.1 from `python -m tests.realtools.r_asposewords install`. Without a licence Aspose.PDF runs in
evaluation mode: every page gets a red 'Evaluation Only. Created with Aspose.PDF. Copyright 2002-2026 Aspose Pty
Ltd.' line at its top left (in the text layer, in OpenSans Regular, an embedded CID subset), above the page margin,
so it never covers table text. The evaluation mode's limit of 4 elements a collection is real for pages: a fifth
`doc.pages.add()` raises 'At most 4 elements (for any collection) can be viewed in evaluation mode', and so do
`doc.pages[5]` and a facade stamp given a list of more than 4 pages; tables of any number of rows and documents
Aspose paginates to many pages are not cut. So the deck is two page objects, the cover and everything else (each
later slide starts by `is_in_new_page`, the HeaderFooter of the second object repeats on every page it turns into),
and stamps go on through the PdfFileStamp facade over the saved file (which adds a second evaluation line's font:
two OpenSans subsets). Fonts: the face of fonts.py copied into a per-deck folder given to `FontRepository.sources`
(`FolderFontSource`) and found by family name; TrueType faces go in as CID TrueType Identity-H subsets with a
ToUnicode; Noto CJK (CFF) as CID Type 0C, not subset (the whole face, whatever `is_subset` says). Text layout is
Aspose's: a cell's text breaks at spaces first, then anywhere in a CJK run; '\\n' in a `TextFragment` is a line
break. A cell whose wrapped text ends in a line of one or two characters can get a row one line short, and Aspose
drops that line (printed nowhere): a deck that so fails layout.check gets its objective/KPI/plan columns widened 6%
at a time (`width_nudge`, up to 4 times), then a smaller font. Turned 構面 labels are placed by Aspose across the
cell's left edge (over the table's outer rule in a grid). Characters the face lacks print as the plain ideograph
(fonts.printable). The ToUnicode keeps ideographs as ideographs (面積 reads 面積, unlike r_asposewords' radicals);
lookalikes the deck prints stay lookalikes. A bold cell in a Noto deck uses the system's Noto Sans/Serif CJK Bold
(fontconfig folders are searched after the deck's folder), other faces get synthetic bold. Noto decks are large
(40-60 MB: whole CFF faces, one of them twice); a TrueType face with `is_subset` off goes in whole beside a subset
copy of it. Producer 'Aspose.PDF for .NET 26.10.0', Creator 'Aspose Pty Ltd.'.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .fonts import face_file, printable
from .layout import Col, Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, fold

ASPOSE_PDF = "26.10.0"  # PyPI aspose-pdf, in its own venv (README, Setup)
ICU = "72"  # Debian 12's libicu72, which the wheel's .NET Core 3.1 does not probe by itself
DRIVER = Path(__file__).with_name("r_asposepdf_driver.py")
SIZES = {"4:3": (720.0, 540.0), "16:9": (960.0, 540.0), "A4L": (842.0, 595.0), "A4": (595.0, 842.0)}
NAVY = (0x1F, 0x3A, 0x68)
HEAD_FILLS = {
    "navy": (0x1F, 0x3A, 0x68),
    "blue": (0x44, 0x72, 0xC4),
    "light": (0xD9, 0xE2, 0xF3),
    "gray": (0xE7, 0xE6, 0xE6),
    "green": (0xE2, 0xEF, 0xDA),
}
DARK = {"navy", "blue"}
ZEBRA = {"blue": (0xE9, 0xEF, 0xF7), "gray": (0xF2, 0xF2, 0xF2)}
LINE = {"black": (0, 0, 0), "gray": (0x80, 0x80, 0x80), "navy": NAVY}
FOOTERS = {"dash": "- $p -", "of": "$p / $P", "zh": "第 $p 頁，共 $P 頁", "page": "第 $p 頁"}
STAMPS = {"dash": "- # -", "page": "第 # 頁", "plain": "#"}
PADDING = {"tight": (2.0, 1.5, 2.0, 1.5), "default": (4.0, 3.0, 4.0, 3.0), "wide": (6.0, 4.0, 6.0, 4.0)}


def python() -> str:
    return os.environ.get("REALTOOLS_ASPOSEPDF_PYTHON", "/work/gen/venv-asposepdf/bin/python")


def _env() -> dict[str, str]:
    from .r_asposewords import _env as words_env  # bullseye's libssl1.1 and the ICU override

    return words_env()


def tool_version(engine: str | None = None) -> str:
    out = subprocess.run([python(), str(DRIVER), "--version"], capture_output=True, text=True, env=_env(), check=True)
    ver = out.stdout.strip()
    if ver != ASPOSE_PDF:
        raise RuntimeError(f"aspose-pdf {ASPOSE_PDF} is wanted, {ver} is installed")
    return f"Aspose.PDF for Python via .NET {ver} (evaluation)"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    rules = style["rules"]
    return {
        "flow": flow,
        "page": rng.choice(["A4", "A4", "A4L"]) if flow else style["page"],
        "font": style["font"] if rng.random() < 0.85 else "AR PL UKai TW",
        "labels": rng.choice(["merge", "merge", "repeat", "first"]),
        "rotation": rng.choice([90, 90, 270]),
        "theme_new_page": rng.random() < 0.6,
        "repeat_head": rng.random() < 0.75,
        "title_pt": rng.choice([16, 18, 20]) if not flow else rng.choice([13, 14, 16]),
        "title_align": rng.choice(["left", "left", "center"]),
        "head_fill": rng.choice([None, *HEAD_FILLS]) if rules != "none" else rng.choice([None, "light", "gray"]),
        "head_bold": rng.random() < 0.6,
        "zebra_fill": rng.choice(list(ZEBRA)),
        "line": rng.choice(list(LINE)),
        "line_w": rng.choice([0.5, 0.5, 0.75, 1.0]),
        "outer": rules == "grid" and rng.random() < 0.3,
        "padding": rng.choice(["tight", "default", "default", "wide"]),
        "header": rng.random() < 0.4,
        "footer": rng.choice([None, "hf", "hf", "stamp"]),
        "footer_fmt": rng.choice(list(FOOTERS)),
        "stamp_fmt": rng.choice(list(STAMPS)),
        "footer_align": rng.choice(["center", "right"]),
        "watermark_mode": rng.choice(["artifact", "stamp"]),
        "watermark_under": rng.random() < 0.6,
        "watermark_angle": rng.choice([30, 45, 0]),
        "watermark_opacity": rng.choice([0.15, 0.3, 0.5]),
        "subset": rng.random() < 0.8,
        "optimize": rng.random() < 0.4,
        "pdfa": rng.choice([None, None, None, "PDF_A_1B", "PDF_A_2U"]),
        "margin": rng.choice([24.0, 30.0, 40.0]),
    }


class Builder:
    """Writes the job: pages of paragraphs, every string as printed."""

    def __init__(self, deck: Deck, opts: dict, font_name: str) -> None:
        self.d, self.o, self.st = deck, opts, deck.style
        self.fam, self.font = opts["font"], font_name
        self.pt = float(opts["font_pt"])
        self.W, self.H = SIZES[opts["page"]]
        self.pages: list[dict] = []
        self.slides = 0  # pages expected (cover not counted)

    def p(self, text: str) -> str:
        return printable(text, self.fam)

    def frag(self, text: str, size: float, bold=False, align="left", color=None, margin=None, **kw) -> dict:
        out = {"kind": "text", "text": self.p(text), "size": size, "bold": bold, "align": align, "color": color}
        if margin:
            out["margin"] = margin  # left, bottom, right, top
        out.update(kw)
        return out

    def page(self, paras: list[dict], furniture: bool = True) -> None:
        """A slide: the cover is a page object of its own, every later slide starts by is_in_new_page in the second
        page object (evaluation mode allows no fifth doc.pages.add())."""
        if not furniture:
            self.pages.append({"paras": paras, "furniture": False})
            return
        if len(self.pages) < 2:
            self.pages.append({"paras": [], "furniture": True})
        elif paras:
            paras[0]["new_page"] = True
        self.pages[-1]["paras"] += paras
        self.slides += 1

    # --- pages --------------------------------------------------------------------------------------------

    def build(self) -> dict:
        d, o, H = self.d, self.o, self.H
        top = H * 0.25
        self.page(
            [
                self.frag(d.org, 30, True, "center", NAVY, [0, 20, 0, top]),
                self.frag("策略地圖與平衡計分卡", 26, True, "center", None, [0, 16, 0, 0]),
                self.frag(f"{d.plan_year}年度", 18, False, "center"),
            ],
            furniture=False,
        )
        self.page(
            [self.frag("轄區概況", 24, True, "left", NAVY, [0, 18, 0, 0])]
            + [self.frag(line, 16, margin=[12, 8, 0, 0]) for line in d.profile_lines]
        )
        self.page(self.strategy_map())
        cols = columns(d)
        if o["flow"]:
            paras = []
            for n, t in enumerate(d.themes):
                title = self.frag(
                    theme_title(d, t), o["title_pt"], True, o["title_align"], NAVY, [0, 6, 0, 0 if n == 0 else 14]
                )
                title["keep_next"] = True
                if n and o["theme_new_page"]:
                    title["new_page"] = True
                paras.append(title)
                paras.append(self.table(theme_rows(d, t), [], cols, repeat=o["repeat_head"]))
            self.page(paras)
            self.slides = 0
        else:
            for t in d.themes:
                parts = chunk(theme_rows(d, t), int(o["max_rows"]))
                for i, part in enumerate(parts):
                    title = self.frag(
                        theme_title(d, t, i + 1, len(parts)), o["title_pt"], True, o["title_align"], NAVY, [0, 8, 0, 0]
                    )
                    self.page([title, self.table(part, parts[i - 1] if i else [], cols, repeat=False)])
            self.page([self.frag("敬請指教", 36, True, "center", NAVY, [0, 0, 0, H * 0.35])])
        return self.job()

    def strategy_map(self) -> list[dict]:
        d = self.d
        title = self.frag(f"{d.org}策略地圖（{d.map_date}）", 20, True, "left", NAVY, [0, 12, 0, 0])
        rows = []
        width = self.W - 2 * self.o["margin"]
        n = max([len([o for t in d.themes for o in t.objectives if o.perspective == p]) for p in BSC_ORDER] + [1])
        n = min(n, 5)
        for p in BSC_ORDER:
            objs = [o.shown for t in d.themes for o in t.objectives if o.perspective == p][:n]
            if not objs:
                continue
            cells = [{"text": self.p(f"{p}構面"), "bold": True, "fill": HEAD_FILLS["light"], "valign": "middle"}]
            cells += [{"text": self.p(x), "align": "center", "valign": "middle"} for x in objs]
            cells += [{"text": ""} for _ in range(n - len(objs))]
            rows.append({"cells": cells, "min_h": 48})
        first = 90.0
        table = {
            "kind": "table",
            "widths": [first] + [(width - first) / n] * n,
            "pt": 10,
            "padding": PADDING["default"],
            "cell_border": "LRTB",
            "line_w": 0.75,
            "line": NAVY,
            "rows": rows,
        }
        return [title, table]

    # --- the table ----------------------------------------------------------------------------------------

    def table(self, rows: list[Row], prev: list[Row], cols: list[Col], repeat: bool) -> dict:
        st, o = self.st, self.o
        two = st["year_header"] == "two_row"
        nh = 2 if two else 1
        n = len(cols)
        width = self.W - 2 * o["margin"] - 2
        grow = 1 + 0.06 * o.get("width_nudge", 0)  # the author widens the text columns a little (see render)
        weights = [c.weight * (grow if c.id in ("plans", "kpi", "obj") else 1) for c in cols]
        tot = sum(weights)
        widths = [width * w / tot for w in weights]
        rules = st["rules"]
        hb = o["head_bold"]
        hfill = HEAD_FILLS[o["head_fill"]] if o["head_fill"] else None
        hcolor = (0xFF, 0xFF, 0xFF) if o["head_fill"] in DARK else None
        head_border = "TB" if rules in ("hrules", "zebra") else ("B" if rules == "none" else None)

        def hcell(text: str, **kw) -> dict:
            c = {"text": self.p(text), "bold": hb, "align": "center", "valign": "middle", "color": hcolor, **kw}
            if hfill:
                c["fill"] = hfill
            if head_border is not None:
                c["border"] = head_border
            return c

        head = [{"cells": [], "no_break": True} for _ in range(nh)]
        j = 0
        while j < n:
            c = cols[j]
            if two and c.group:
                k = j
                while k + 1 < n and cols[k + 1].group == c.group:
                    k += 1
                head[0]["cells"].append(hcell(c.group, col_span=k - j + 1))
                head[1]["cells"] += [hcell(cols[m].sub or "") for m in range(j, k + 1)]
                j = k + 1
                continue
            head[0]["cells"].append(hcell(c.label, **({"row_span": 2} if two else {})))
            j += 1
        ids = [c.id for c in cols]
        # label cells: (row index, col id) -> cell dict, and cells covered by a row span
        labels: dict[tuple[int, str], dict] = {}
        covered: set[tuple[int, str]] = set()
        mode = st["persp_mode"]
        for key in ("persp", "obj"):
            if key not in ids:
                continue
            for start, cnt in runs(rows, key):
                blank = start == 0 and st["blank_cont"] and continues(prev, rows[start], key)
                text = "" if blank else rows[start].cells[key]
                persp = key == "persp"
                if persp and mode == "stacked" and text:
                    text = "\n".join(text)
                base = {"align": "center" if persp else st["halign"], "valign": "middle" if persp else st["valign"]}
                if persp and mode == "rotated" and text:
                    base["rotation"] = o["rotation"]
                if cnt > 1 and o["labels"] == "merge":
                    labels[(start, key)] = {**base, "text": self.p(text), "row_span": cnt, "span": cnt}
                    covered.update((start + k, key) for k in range(1, cnt))
                    continue
                for k in range(cnt):
                    lab = text if k == 0 else (text if o["labels"] == "repeat" and not blank else "")
                    if k and o["labels"] == "repeat" and blank:
                        lab = rows[start].cells[key]
                        if persp and mode == "stacked":
                            lab = "\n".join(lab)
                    cell = {**base, "text": self.p(lab), "span": 1}
                    if not lab:
                        cell.pop("rotation", None)
                    labels[(start + k, key)] = cell
        body = []
        zebra_i = 0
        for i, r in enumerate(rows):
            if r.kind == "band":
                fill = HEAD_FILLS["light"] if o["head_fill"] in (None, *DARK) else HEAD_FILLS[o["head_fill"]]
                cell = {"text": self.p(r.cells["band"]), "bold": True, "col_span": n, "fill": fill, "valign": "middle"}
                body.append({"cells": [cell], "no_break": True})
                continue
            zebra_i += 1
            cells = []
            fill = ZEBRA[o["zebra_fill"]] if rules == "zebra" and zebra_i % 2 == 0 else None
            for c in cols:
                if (i, c.id) in covered:
                    continue
                if (i, c.id) in labels:
                    cell = dict(labels[(i, c.id)])
                else:
                    cell = {"text": self.p(r.cells.get(c.id, "")), "align": st["halign"], "valign": st["valign"]}
                if fill and c.id not in ("persp", "obj"):
                    cell["fill"] = fill
                if rules in ("hrules", "zebra"):
                    cell["border"] = "TB"
                elif rules == "none":
                    cell["border"] = ""
                cells.append(cell)
            body.append({"cells": cells, "no_break": True})
        # turned or stacked labels do not grow their rows: give the rows they span the height they need
        for (i, key), cell in labels.items():
            text = cell["text"]
            if key == "persp" and text and (mode in ("rotated", "stacked")):
                need = len(text.replace("\n", "")) * self.pt * (1.05 if mode == "rotated" else 1.2) + 10
                per = need / cell["span"]
                for k in range(cell["span"]):
                    row = body[i + k]
                    row["min_h"] = max(row.get("min_h", 0), per)
        for cell in labels.values():
            cell.pop("span", None)
        return {
            "kind": "table",
            "widths": widths,
            "pt": self.pt,
            "padding": PADDING[o["padding"]],
            "cell_border": "LRTB" if rules == "grid" else "",
            "line_w": o["line_w"],
            "line": LINE[o["line"]],
            "outer": o["outer"],
            "outer_w": o["line_w"] * 2,
            "repeat": nh if repeat else 0,
            "rows": head + body,
        }

    def job(self) -> dict:
        d, o = self.d, self.o
        grey = (0x59, 0x59, 0x59)
        job = {
            "size": [self.W, self.H],
            "margins": [o["margin"], o["margin"] + 10, o["margin"], o["margin"] + 6],  # left, bottom, right, top
            "font": self.font,
            "subset": o["subset"],
            "pages": self.pages,
            "optimize": o["optimize"],
            "pdfa": o["pdfa"],
            "title": f"{d.org}策略地圖與平衡計分卡",
            "author": d.org,
        }
        if o["header"]:
            job["header"] = {
                "mode": "hf",
                "margin": [o["margin"], 4, o["margin"], 14],
                "paras": [self.frag(f"{d.org}｜策略地圖與平衡計分卡", 8, color=grey, align="right")],
            }
        if o["footer"] == "hf":
            job["footer"] = {
                "mode": "hf",
                "margin": [o["margin"], 10, o["margin"], 4],
                "paras": [self.frag(FOOTERS[o["footer_fmt"]], 8, color=grey, align=o["footer_align"])],
            }
        elif o["footer"] == "stamp":
            job["footer"] = {
                "mode": "stamp",
                "format": STAMPS[o["stamp_fmt"]],
                "bottom": 12,
                "align": o["footer_align"],
                "text": {"size": 8, "color": grey},
            }
        if self.st["watermark"]:
            job["watermark"] = {
                "mode": o["watermark_mode"],
                "label": "內部資料",
                "text": {"size": 72, "color": (0xC0, 0xC0, 0xC0)},
                "angle": o["watermark_angle"],
                "opacity": o["watermark_opacity"],
                "under": o["watermark_under"],
            }
        return job


def _font_name(path: str) -> str:
    from fontTools.ttLib import TTFont

    return str(TTFont(path, lazy=True)["name"].getDebugName(1))


def _run(job: dict, work: Path) -> dict:
    jp, rp = work / "job.json", work / "result.json"
    jp.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    rp.unlink(missing_ok=True)
    out = subprocess.run([python(), str(DRIVER), str(jp), str(rp)], capture_output=True, text=True, env=_env())
    if out.returncode or not rp.exists():
        raise RuntimeError(f"aspose-pdf driver failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(rp.read_text(encoding="utf-8"))


def _plans_cut(pdf: Path, deck: Deck) -> list[str]:
    """Plans whose name is not printed whole on its KPI's page: Aspose drops a cell's last line now
    and then (see render), and check's count of a page's characters misses it when the lost letters
    stand elsewhere on the page ('計畫' of a plan, found in the head's '行動計畫'). Aspose prints a
    cell's lines one after another, so a name printed whole reads on in the page's text, once for
    each plan cell that holds it: a name printed whole in another plan's cell of the page (a plan
    two KPIs share, '監督寺廟條例') does not stand for its own cut copy."""
    import pymupdf

    doc = pymupdf.open(str(pdf))
    plans: dict[int, list[str]] = {}
    for _, _, k in deck.kpis():
        if k.page and k.page <= len(doc):
            plans.setdefault(k.page, []).extend(plan.shown for plan in k.plans)
    problems = []
    for page, shown in plans.items():
        text = _squashed(doc[page - 1].get_text())
        names = [_squashed(name) for name in shown]
        problems += [
            f"page {page}: characters missing from the text layer: plan {name} not printed whole"
            for name in dict.fromkeys(names)
            if text.count(name) < sum(other.count(name) for other in names)
        ]
    return problems


def _squashed(text: str) -> str:
    return "".join(fold(text).split())


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (KPI rows per slide at most) and font_pt.  Slides: the row
    budget is lowered while a table runs over its page; a deck whose text leaves the page or the text layer gets a
    smaller font."""
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
    opts.setdefault("font_pt", st["font_pt"])
    with tempfile.TemporaryDirectory(prefix="asposepdf-") as tmp:
        work = Path(tmp)
        fonts = work / "fonts"
        fonts.mkdir()
        src = face_file(opts["font"])
        shutil.copy(src, fonts)
        name = _font_name(src)
        for _ in range(40):
            b = Builder(deck, opts, name)
            job = b.build()
            job["out"] = str(out_pdf)
            job["font_dir"] = str(fonts)
            res = _run(job, work)
            if not opts["flow"] and res["pages"] > b.slides + 1:
                if os.environ.get("ASPOSE_DEBUG"):
                    want, rows = b.slides + 1, opts["max_rows"]
                    print(f"{deck.stem}: {res['pages']} pages for {want}, rows {rows}", file=sys.stderr)
                if opts["max_rows"] > 1:
                    opts["max_rows"] -= 1
                    continue
                if opts["font_pt"] > 6:
                    opts["font_pt"] -= 1
                    continue
                raise RuntimeError(f"{deck.stem}: one row does not fit a slide")
            find_pages(out_pdf, deck)
            problems = check(out_pdf, deck) + _plans_cut(out_pdf, deck)
            if problems and opts["pdfa"]:
                # Document.convert to PDF/A re-embeds a Noto CJK (CFF) face as a TrueType subset whose 面 has a
                # width of about a thousand points: the rest of its line leaves the page and the text layer
                print(f"{deck.stem}: {problems[:2]} after {opts['pdfa']}: saved without PDF/A", file=sys.stderr)
                opts["pdfa_dropped"] = opts["pdfa"]
                opts["pdfa"] = None
                continue
            if problems and all("missing" in p for p in problems) and opts.get("width_nudge", 0) < 4:
                # Aspose sizes a row for one line fewer than it draws when the last line of a cell holds a character
                # or two: that line is dropped (printed nowhere).  Widening the text columns moves the break.
                print(f"{deck.stem}: {problems[:2]}; text columns widened", file=sys.stderr)
                opts["width_nudge"] = opts.get("width_nudge", 0) + 1
                continue
            if problems and opts["font_pt"] > 6:
                print(f"{deck.stem}: {problems[:2]}; font {opts['font_pt']} -> {opts['font_pt'] - 1}", file=sys.stderr)
                opts["font_pt"] -= 1
                continue
            if any("missing" in p for p in problems):
                # the deck's truth holds text its PDF prints nowhere: another style is tried (see generate._one)
                raise RuntimeError(f"{deck.stem}: Aspose drops text at the smallest font: {problems[:2]}")
            break
        else:
            raise RuntimeError(f"{deck.stem}: Aspose layout did not settle")
    if opts["flow"]:
        opts.pop("max_rows")
    opts["font_name"] = name
    opts["aspose_pages"] = res["pages"]
    opts["problems"] = problems
    return opts
