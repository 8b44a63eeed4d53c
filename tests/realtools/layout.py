"""Table model shared by the renderers, and reading pages back from the produced PDF.

Every renderer prints the same logical table (columns chosen by the deck's style, one row per KPI, band
rows in band mode), so the choices a deck makes are visible in one place.  The page of each KPI is read
from the PDF the tool produced, because most tools paginate by themselves.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .spec import Deck, Kpi, Objective, Theme, fold

EXTRA_IDS = {"權重": "w", "備註": "remark", "衡量方式": "method"}


@dataclass
class Col:
    """A table column: `label` for one-row headers; `group`/`sub` for the two-row year header."""

    id: str
    label: str
    weight: float
    group: str | None = None
    sub: str | None = None


@dataclass
class Row:
    kind: str  # "kpi" or "band"
    persp: str
    obj: Objective | None = None
    kpi: Kpi | None = None
    cells: dict[str, str] = field(default_factory=dict)


def _pick(key: str, style: str, options: list[str]) -> str:
    """A per-code choice for 'mixed' styles that does not depend on Python's hash seed."""
    return options[zlib.crc32(key.encode()) % len(options)] if style == "mixed" else style


def coded(code: str, name: str, style: str) -> str:
    """Code and name in one cell: on separate lines, fused, or separated by a space."""
    sep = {"newline": "\n", "fused": "", "space": " "}[_pick(code, style, ["newline", "fused", "space"])]
    return f"{code}{sep}{name}"


def plans_text(kpi: Kpi, style: str, code_style: str) -> str:
    if len(kpi.plans) == 1 and kpi.plans[0].code is None:
        return kpi.plans[0].shown
    st = _pick(kpi.code, style, ["lines", "fused", "code_own_line"])
    if st == "fused":
        return "".join(f"{p.code}{p.shown}" for p in kpi.plans)
    if st == "code_own_line":
        return "\n".join(f"{p.code}\n{p.shown}" for p in kpi.plans)
    sep = " " if code_style == "space" else ""
    return "\n".join(f"{p.code}{sep}{p.shown}" for p in kpi.plans)


def persp_label(deck: Deck, persp: str) -> str:
    return deck.style["persp_label"].format(p=persp)


def year_headers(deck: Deck) -> list[Col]:
    y, st = deck.plan_year, deck.style["year_header"]
    cols = []
    for i, (yy, kind) in enumerate([(y - 3, "實際值"), (y - 2, "實際值"), (y - 1, "實際值"), (y, "目標值")]):
        cid = f"a{i}" if i < 3 else "t"
        label = {"pre": f"{yy}年{kind}", "post": f"{kind}({yy}年)", "stacked": f"{yy}年\n{kind}"}.get(st, f"{yy}年")
        cols.append(Col(cid, label, 1.25, kind if st == "two_row" else None, f"{yy}年" if st == "two_row" else None))
    return cols


def columns(deck: Deck, band: bool | None = None) -> list[Col]:
    st = deck.style
    band = st["persp_mode"] == "band" if band is None else band
    head = [] if band else [Col("persp", "構面", 0.7 if st["persp_mode"] in ("rotated", "stacked") else 1.1)]
    head += [Col("obj", st["obj_header"], 2.3), Col("kpi", st["kpi_header"], 3.0)]
    vals = year_headers(deck)
    plans = [Col("plans", st["plan_header"], 4.2)]
    widths = {"權重": 0.8, "備註": 1.3, "衡量方式": 2.0}
    labels = st.get("extra_labels", {})
    extras = [Col(EXTRA_IDS[e], labels.get(e, e), widths[e]) for e in st["extras"]]
    body = plans + vals if st["plans_first"] else vals + plans
    if st["extras_pos"] == "after_kpi":
        cols = head + extras + body
    elif st["extras_pos"] == "before_values" and not st["plans_first"]:
        cols = head + extras + vals + plans
    else:
        cols = head + body + extras
    if st.get("numbered"):  # a column numbering the rows, first (項次): one more the parser does not read
        cols = [Col("seq", st["numbered"], 0.45)] + cols
    for c in cols:
        c.weight = st.get("weights", {}).get(c.id, c.weight)
    return cols


def theme_rows(deck: Deck, theme: Theme, band: bool | None = None) -> list[Row]:
    st = deck.style
    band = st["persp_mode"] == "band" if band is None else band
    rows: list[Row] = []
    last = None
    for o in theme.objectives:
        if band and o.perspective != last:
            rows.append(Row("band", o.perspective, cells={"band": persp_label(deck, o.perspective)}))
        last = o.perspective
        for k in o.kpis:
            cells = {
                "persp": persp_label(deck, o.perspective),
                "obj": coded(o.code, o.shown, st["kpi_code_style"]),
                "kpi": coded(k.code, k.shown, st["kpi_code_style"]),
                "plans": plans_text(k, st["plan_style"], st["kpi_code_style"]),
                "w": k.weight,
                "remark": k.remark,
                "method": k.method,
                "seq": str(sum(1 for r in rows if r.kind == "kpi") + 1),
            }
            for i, v in enumerate(k.values):
                cells[f"a{i}" if i < 3 else "t"] = v.text
            rows.append(Row("kpi", o.perspective, o, k, cells))
    return rows


def chunk(rows: list[Row], max_kpis: int) -> list[list[Row]]:
    """Split a theme's rows into pages of at most max_kpis KPI rows; a band row never ends a page."""
    out: list[list[Row]] = [[]]
    for r in rows:
        if r.kind == "kpi" and sum(x.kind == "kpi" for x in out[-1]) >= max_kpis:
            out.append([])
        out[-1].append(r)
    for i in range(len(out) - 1):
        while out[i] and out[i][-1].kind == "band":
            out[i + 1].insert(0, out[i].pop())
    return [c for c in out if c]


def runs(rows: list[Row], key: str) -> list[tuple[int, int]]:
    """(start, length) of consecutive KPI rows with the same perspective ('persp') or objective ('obj')."""
    out: list[tuple[int, int]] = []
    prev = object()
    for i, r in enumerate(rows):
        cur = (r.persp, r.kind) if key == "persp" else (id(r.obj), r.kind)
        if r.kind == "kpi" and cur == prev:
            out[-1] = (out[-1][0], out[-1][1] + 1)
        elif r.kind == "kpi":
            out.append((i, 1))
        prev = cur
    return out


def continues(prev_rows: list[Row], row: Row, key: str) -> bool:
    """Does `row` (first of its block on a page) continue the block the previous page ended with?"""
    last = next((r for r in reversed(prev_rows) if r.kind == "kpi"), None)
    if last is None:
        return False
    return last.persp == row.persp if key == "persp" else last.obj is row.obj


def theme_title(deck: Deck, theme: Theme, part: int = 1, parts: int = 1) -> str:
    v = deck.style["title_variant"]
    t = [
        f"策略主題：({theme.letter}){theme.shown}",
        f"策略主題： ({theme.letter}){theme.shown}",
        f"策略主題：（{theme.letter}）{theme.shown}",
    ][v]
    if parts > 1 and deck.style["cont_marker"]:
        t += f"--{part}/{parts}"
    return t


def _code_re(code: str) -> re.Pattern:
    return re.compile(rf"(?<![A-Za-z0-9.]){re.escape(code)}(?![0-9]|\.[0-9])")


def find_pages(pdf: str | Path, deck: Deck) -> None:
    """Set kpi.page from the PDF: the page, from the first table page on, where the KPI code is printed."""
    import pymupdf

    doc = pymupdf.open(str(pdf))
    pages = []
    started = False
    for i, page in enumerate(doc, 1):
        compact = "".join(fold(page.get_text()).split())
        started = started or "實際值" in compact or "目標值" in compact
        if started:
            pages.append((i, [w[4] for w in page.get_text("words")], compact))
    for _, _, k in deck.kpis():
        rx = _code_re(k.code)
        hits = [i for i, words, _ in pages if any(rx.search(w) for w in words)]
        # a code in full-width letters (dvipdfmx's ToUnicode for half-width glyphs of a CJK face)
        hits = hits or [i for i, words, _ in pages if any(rx.search(fold(w)) for w in words)]
        hits = hits or [i for i, _, compact in pages if rx.search(compact)]
        if len(hits) != 1:
            raise ValueError(f"{deck.stem}: KPI {k.code} found on pages {hits}")
        k.page = hits[0]


def overflows_bottom(pdf: str | Path) -> bool:
    """Does any text run past the bottom edge of its page (a table taller than the slide)?"""
    import pymupdf

    for page in pymupdf.open(str(pdf)):
        if page.rotation:
            continue
        for b in page.get_text("dict")["blocks"]:
            if b.get("type") == 0 and b["bbox"][3] > page.mediabox.height + 2:
                return True
    return False


def check(pdf: str | Path, deck: Deck) -> list[str]:
    """Problems a reader would see: text outside the page, characters of a KPI row missing from its page."""
    import pymupdf

    doc = pymupdf.open(str(pdf))
    problems = []
    for i, page in enumerate(doc, 1):
        r = pymupdf.Rect(0, 0, page.mediabox.width, page.mediabox.height)
        for b in page.get_text("dict")["blocks"]:
            x0, y0, x1, y1 = b["bbox"]
            if b.get("type") == 0 and (x0 < r.x0 - 2 or y0 < r.y0 - 2 or x1 > r.x1 + 2 or y1 > r.y1 + 2):
                problems.append(f"page {i}: text outside the page at {tuple(round(v) for v in b['bbox'])}")
    need: dict[int, Counter] = {}
    for _, _, k in deck.kpis():
        text = k.shown + "".join(v.text for v in k.values) + "".join(p.shown for p in k.plans) + k.code
        need.setdefault(k.page or 0, Counter()).update("".join(fold(text).split()))
    for p, cnt in need.items():
        have = Counter("".join(fold(doc[p - 1].get_text()).split())) if 0 < p <= len(doc) else Counter()
        short = cnt - have
        if short:
            problems.append(f"page {p}: characters missing from the text layer: {''.join(sorted(short.elements()))}")
    return problems
