"""MuPDF Story renderer: the deck written as HTML and laid out by MuPDF's own HTML/CSS engine through
PyMuPDF's `Story` (not r_fitz's hand drawing): `pymupdf.Story(html, user_css, archive)` placed with
`story.place(rect)` / `story.draw(device)` on the pages of a `pymupdf.DocumentWriter`, then the running
header, footer and watermark added afterwards with `page.insert_text` (as PyMuPDF's own recipes do).

Slides: one Story per slide (title and a table chunk of the deck's row budget); a slide that does not fit
its rect lowers the row budget, then the type size, or (fit 'scale') is laid out by `Story.fit_scale` in
a larger rect and drawn scaled down (type shrunk as a whole, at most 1.5x).  Flow: every theme's table
in one Story continued over as many rects as it needs (A4 or the slide size); MuPDF breaks tables
between rows by itself and never repeats a `<thead>` on the next page (the header prints once); a
rowspan 構面/策略目標 group is split between its rows, its label printed on the first page only.

MuPDF quirks found (MuPDF 1.28.5):
- a row taller than the rect is not split: the rect is left empty and the whole row is placed on the
  next one, running past its bottom (text below the page), so the author makes the type smaller;
  a table with `<tbody>` and rowspan cells taller than their first row was not split at all (placed whole,
  `more` 0, `filled` past the rect), so flow decks write rows without `<tbody>`, and every slide is
  checked against its rect (`filled`), not only `more`;
- column widths: the `width` attribute is ignored, CSS percentages are not honoured (columns come out near
  equal), CSS widths in pt are; without widths MuPDF sizes columns from their content (the last column
  takes the rest); a run without break opportunity (Latin letters, digits, '15,553.25') is never cut and
  runs over the next cell, so the author gives such columns pt widths wide enough for their longest run
  (every deck is checked for overlapping text spans);
- CJK lines break between any two ideographs (full-width digits too: '９４．|３％') and at spaces; a
  Latin/digit run only at its own break opportunities ('84.' over '5%' in a narrow column), else never;
  `<br>` is a plain line break (used for stacked 構面 labels and the deck's forced wraps); no writing-mode
  or transform, so turned labels are stacked (by `<br>` or by a column one ideograph wide);
- without `lang`, HarfBuzz shapes Latin runs of Noto CJK with the default language and the digits of
  'A1.2' come out as glyphs the ToUnicode map (MuPDF's reversed cmap) cannot name: they vanish from the
  text layer; `<html lang="zh-TW">` (which every deck has) avoids it;
- fonts: one face of fonts.py by `@font-face` from a `pymupdf.Archive` of the font folder (subset,
  Type0 Identity-H, a face without bold drawn regular for `<th>`), or no `@font-face` at all: MuPDF's
  built-in fallbacks (Nimbus Sans/Charis SIL for Latin, Droid Sans Fallback for CJK, Noto Sans Math
  for ≧), which also cover characters missing from the chosen face;
- zebra fills by `tr:nth-child(even) td` count band rows; colspan band rows and two-row year heads
  with rowspan/colspan are laid out correctly;
- output: DocumentWriter's PDF (options 'compress' or none), Type0 Identity-H fonts with MuPDF's own
  ToUnicode, re-saved by PyMuPDF after the header/footer/watermark (`insert_text`: the face again as
  'deck', or with the built-in fallback the non-embedded 'china-t' CID font, written without widths so
  every character, digits and spaces too, advances 1 em; '內部資料' at 30 degrees
  with fill opacity 0.2 on the table pages; page numbers in Helvetica on every page but the cover and
  the closing one).
"""

from __future__ import annotations

import html
import os
import random
import re
from importlib import metadata
from pathlib import Path

from .draw_common import SIZES
from .fonts import face_file
from .layout import Col, Row, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, fold

PYMUPDF = "2.0"  # metadata version of the pymupdf package pinned for this module
MUPDF = "1.28.5"  # pymupdf.VersionFitz, the MuPDF library PyMuPDF binds
NAVY = "#1f3a68"
RULE = "#555555"
PAGES = {**SIZES, "A4P": (595.0, 842.0)}
FACES = ["Noto Sans CJK TC", "Noto Serif CJK TC", "WenQuanYi Zen Hei", "AR PL UMing TW", "AR PL UKai TW"]


def _check_version() -> None:
    import pymupdf

    have = (metadata.version("pymupdf"), pymupdf.VersionFitz)
    if have != (PYMUPDF, MUPDF):
        raise RuntimeError(f"r_mupdfstory is pinned to PyMuPDF {PYMUPDF} / MuPDF {MUPDF}, found {have}")


def tool_version(engine: str | None = None) -> str:
    import pymupdf

    return f"MuPDF {pymupdf.VersionFitz} HTML layout (Story, DocumentWriter); PyMuPDF {metadata.version('pymupdf')}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    return {
        "flow": flow,
        "page": rng.choice(["A4L", "A4P", style["page"]]) if flow else style["page"],
        "font": rng.choice(["builtin", style["font"], style["font"], "AR PL UKai TW"]),
        "font_pt": max(style["font_pt"], rng.choice([8, 9, 10])) if flow else style["font_pt"],
        "theme_break": not flow or rng.random() < 0.6,
        "running_title": flow and rng.random() < 0.5,
        "widths": rng.choice(["pt", "pt", "auto"]),
        "spans": rng.random() < 0.7,
        "stack": rng.choice(["br", "narrow"]),
        "fit": rng.choice(["rows", "rows", "scale"]),
        "padding": rng.choice([1.5, 2, 3]),
        "head_fill": rng.random() < 0.75,
        "title_bar": rng.random() < 0.35,
        "footer": rng.choice(["none", "dash", "n_of_n", "zh"]),
        "compress": rng.random() < 0.7,
        "logo": rng.random() < 0.3,
    }


def esc(s: str) -> str:
    return html.escape(s).replace("\n", "<br>")


class Layout:
    """One printing of the deck at the current options."""

    def __init__(self, deck: Deck, o: dict) -> None:
        import pymupdf

        self.d, self.o, self.st = deck, o, deck.style
        self.W, self.H = PAGES[o["page"]]
        self.pt = float(o["font_pt"])
        self.side = 28.0
        self.top = 50.0 if not o["flow"] or o["running_title"] else 34.0
        self.bottom = 34.0 if o["footer"] != "none" else 22.0
        if o["font"] == "builtin":
            self.archive, self.face_css = None, "body { font-family: sans-serif }"
            self.font = pymupdf.Font("cjk")
        else:
            ff = face_file(o["font"])
            self.archive = pymupdf.Archive(os.path.dirname(ff))
            self.face_css = (
                f"@font-face {{ font-family: deck; src: url({os.path.basename(ff)}) }} body {{ font-family: deck }}"
            )
            self.font = pymupdf.Font(fontfile=ff)
        self.fallback = pymupdf.Font("cjk")

    def esc(self, s: str) -> str:
        """HTML text; a character neither the face nor MuPDF's CJK fallback has is printed folded (same truth)."""
        out = "".join(
            c if c in "\n " or self.font.has_glyph(ord(c)) or self.fallback.has_glyph(ord(c)) else fold(c) for c in s
        )
        return esc(out)

    # --- HTML ---------------------------------------------------------------------------------------------

    def css(self) -> str:
        o, st = self.o, self.st
        rules = st["rules"]
        pad = o["padding"]
        border = {
            "grid": f"td, th {{ border: 0.75pt solid {RULE} }}",
            "hrules": f"td, th {{ border-bottom: 0.75pt solid {RULE} }} th {{ border-top: 1.2pt solid {RULE} }}",
            "zebra": f"th {{ border-bottom: 1.5pt solid {NAVY} }} "
            "tr:nth-child(even) td { background-color: #eef2f7 }",
            "none": "",
        }[rules]
        fill = "th { background-color: #dce6f2 }" if o["head_fill"] and rules != "none" else ""
        return f"""{self.face_css}
body {{ font-size: {self.pt}pt; color: #111111 }}
h1 {{ font-size: 16pt; color: {NAVY}; margin: 0 0 6pt 0 }}
h1.bar {{ background-color: {NAVY}; color: #ffffff; padding: 4pt 6pt }}
h1 span.logo {{ font-size: 10pt; border: 1pt solid {NAVY}; padding: 1pt 6pt }}
table {{ border-collapse: collapse; width: 100% }}
td, th {{ padding: {pad}pt; vertical-align: {st["valign"]}; text-align: {st["halign"]} }}
th {{ text-align: center; vertical-align: middle }}
td.span {{ vertical-align: middle }}
td.persp {{ text-align: center; vertical-align: middle }}
tr.band td {{ background-color: #c9d9ec; font-weight: bold; text-align: left }}
{fill}
{border}
"""

    def col_widths(self, cols: list[Col]) -> dict[str, float] | None:
        """Widths in pt from the deck's weights, no column narrower than its longest unbreakable run."""
        if self.o["widths"] == "auto":
            return None
        total = self.W - 2 * self.side
        extra = 2 * self.o["padding"] + 1.5
        need = {c.id: 0.0 for c in cols}
        for t in self.d.themes:
            for r in theme_rows(self.d, t):
                for c in cols:
                    for w in re.findall(r"[A-Za-z0-9.,%≧≦≥≤()+\-/:０-９％]+", r.cells.get(c.id, "")):
                        need[c.id] = max(need[c.id], self.font.text_length(w, fontsize=self.pt))
        if self.st["persp_mode"] in ("rotated", "stacked") and "persp" in need:
            need["persp"] = max(need["persp"], self.pt)
        tot = sum(c.weight for c in cols)
        wid = {c.id: max(total * c.weight / tot - extra, need[c.id] + 1) for c in cols}
        if self.o["stack"] == "narrow" and self.st["persp_mode"] in ("rotated", "stacked") and "persp" in wid:
            wid["persp"] = max(need["persp"], self.pt) + 1.5
        over = sum(wid.values()) - (total - extra * len(cols))
        if over > 0:  # take it from the text columns that can wrap
            flex = [c.id for c in cols if c.id in ("obj", "kpi", "plans", "method", "remark")]
            room = sum(wid[k] - need[k] - self.pt for k in flex)
            for k in flex:
                wid[k] -= over * (wid[k] - need[k] - self.pt) / max(room, 1)
        return wid

    def table(self, rows: list[Row], prev: list[Row], cols: list[Col], tbody: bool) -> str:
        st, o = self.st, self.o
        wid = self.col_widths(cols)

        def w(cid: str) -> str:
            return f' style="width:{wid[cid]:.1f}pt"' if wid else ""

        two = st["year_header"] == "two_row"
        top, low, j = [], [], 0
        while j < len(cols):
            c = cols[j]
            if two and c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                top.append(f'<th colspan="{k - j + 1}">{self.esc(c.group)}</th>')
                low += [f"<th{w(cols[m].id)}>{self.esc(cols[m].sub or '')}</th>" for m in range(j, k + 1)]
                j = k + 1
            else:
                rs = ' rowspan="2"' if two else ""
                top.append(f"<th{w(c.id)}{rs}>{self.esc(c.label)}</th>")
                j += 1
        head = "".join(f"<tr>{''.join(r)}</tr>" for r in ([top, low] if two else [top]))
        spans = {key: dict(runs(rows, key)) for key in ("persp", "obj")}
        covered = {(i, key) for key in spans for s, n in spans[key].items() for i in range(s + 1, s + n)}
        out = []
        for i, r in enumerate(rows):
            if r.kind == "band":
                out.append(f'<tr class="band"><td colspan="{len(cols)}">{self.esc(r.cells["band"])}</td></tr>')
                continue
            tds = []
            for c in cols:
                text = r.cells.get(c.id, "")
                if c.id not in spans:
                    tds.append(f"<td{w(c.id)}>{self.esc(text)}</td>")
                    continue
                if (i, c.id) in covered:
                    if o["spans"]:
                        continue
                    text = ""
                elif i == 0 and st["blank_cont"] and continues(prev, r, c.id):
                    text = ""
                span = f' rowspan="{spans[c.id][i]}"' if o["spans"] and i in spans[c.id] else ""
                if c.id == "persp":
                    narrow = o["stack"] == "narrow" and o["widths"] == "pt"
                    stacked = st["persp_mode"] in ("rotated", "stacked") and not narrow
                    inner = "<br>".join(self.esc(ch) for ch in text) if stacked else self.esc(text)
                    tds.append(f'<td{span} class="persp"{w(c.id)}>{inner}</td>')
                else:
                    tds.append(f'<td{span} class="span"{w(c.id)}>{self.esc(text)}</td>')
            out.append(f"<tr>{''.join(tds)}</tr>")
        body = "".join(out)
        return f"<table><thead>{head}</thead>{f'<tbody>{body}</tbody>' if tbody else body}</table>"

    def title(self, text: str, extra: str = "") -> str:
        logo = f' <span class="logo">{self.esc(self.d.short)}</span>' if self.o["logo"] else ""
        cls = ' class="bar"' if self.o["title_bar"] else ""
        return f"<h1{cls}{extra}>{self.esc(text)}{logo}</h1>"

    def doc(self, body: str) -> str:
        return f'<html lang="zh-TW"><head><meta charset="utf-8"></head><body>{body}</body></html>'

    def story(self, body: str):
        import pymupdf

        return pymupdf.Story(self.doc(body), user_css=self.css(), archive=self.archive)

    def rect(self):
        import pymupdf

        return pymupdf.Rect(
            self.side, self.top - 26 if not self.o["flow"] else self.top, self.W - self.side, self.H - self.bottom
        )

    # --- pages ----------------------------------------------------------------------------------------------

    def front(self) -> list[str]:
        d = self.d
        maps = []
        for p in BSC_ORDER:
            objs = [o.shown for t in d.themes for o in t.objectives if o.perspective == p]
            if objs:
                maps.append(
                    f'<tr><td style="background-color:{NAVY}; color:#ffffff; width:80pt; text-align:center">{p}構面'
                    f"</td><td>{self.esc('　｜　'.join(objs))}</td></tr>"
                )
        return [
            f'<p style="font-size:30pt; text-align:center; margin-top:{self.H * 0.25:.0f}pt">{self.esc(d.org)}</p>'
            '<p style="font-size:24pt; text-align:center">策略地圖與平衡計分卡</p>',
            f"<h1>{self.esc(d.org)}轄區概況</h1>"
            + "".join(f'<p style="font-size:14pt; margin:10pt 30pt">{self.esc(x)}</p>' for x in d.profile_lines),
            f'<h1>{self.esc(d.org)}策略地圖</h1><p style="text-align:right; font-size:12pt">{self.esc(d.map_date)}</p>'
            f'<table style="font-size:11pt">{"".join(maps)}</table>',
        ]

    def fits(self, body: str) -> tuple[bool, float]:
        """Does the slide fit its rect (scale 1), or at which scale would it (fit 'scale')."""
        story = self.story(body)
        r = self.rect()
        more, filled = story.place(r)
        if not more and filled[3] <= r.y1 + 0.5:
            return True, 1.0
        if self.o["fit"] != "scale":
            return False, 1.0
        story = self.story(body)
        fit = story.fit_scale(r, scale_min=1, scale_max=1.5)
        return bool(fit.big_enough), float(fit.parameter or 1.0)

    def slides(self) -> list[tuple[str, float]] | None:
        cols = columns(self.d)
        out = []
        for t in self.d.themes:
            pieces = chunk(theme_rows(self.d, t), int(self.o["max_rows"]))
            for i, piece in enumerate(pieces):
                body = self.title(theme_title(self.d, t, i + 1, len(pieces))) + self.table(
                    piece, pieces[i - 1] if i else [], cols, tbody=True
                )
                ok, scale = self.fits(body)
                if not ok:
                    return None
                out.append((body, scale))
        return out

    def flow_body(self) -> str:
        cols = columns(self.d)
        parts = []
        for n, t in enumerate(self.d.themes):
            brk = ' style="page-break-before:always"' if n and self.o["theme_break"] else ""
            parts.append(self.title(theme_title(self.d, t), brk))
            parts.append(self.table(theme_rows(self.d, t), [], cols, tbody=False))
        return "".join(parts)

    def write(self, out_pdf: Path) -> list[tuple[int, str]]:
        """Write the deck; returns (page index, theme title) of the table pages for running titles."""
        import pymupdf

        bodies: list[tuple[str, float]] = [(b, 1.0) for b in self.front()]
        slides = None
        if not self.o["flow"]:
            slides = self.slides()
            if slides is None:
                raise _NoFit
        writer = pymupdf.DocumentWriter(str(out_pdf), "compress" if self.o["compress"] else "")
        page = pymupdf.Rect(0, 0, self.W, self.H)
        full = pymupdf.Rect(self.side, 40, self.W - self.side, self.H - self.bottom)
        n = 0
        for body, _ in bodies:
            dev = writer.begin_page(page)
            st = self.story(body)
            st.place(full)
            st.draw(dev)
            writer.end_page()
            n += 1
        table_pages: list[int] = []
        if slides is not None:
            for body, scale in slides:
                dev = writer.begin_page(page)
                st = self.story(body)
                r = self.rect()
                big = pymupdf.Rect(r.x0, r.y0, r.x0 + r.width * scale, r.y0 + r.height * scale)
                more, _ = st.place(big)
                if more:
                    writer.close()
                    raise _NoFit
                st.draw(dev, pymupdf.Rect(big).torect(r) if scale != 1.0 else None)
                writer.end_page()
                table_pages.append(n)
                n += 1
        else:
            st = self.story(self.flow_body())
            more = 1
            while more:
                dev = writer.begin_page(page)
                more, _ = st.place(self.rect())
                st.draw(dev)
                writer.end_page()
                table_pages.append(n)
                n += 1
                if len(table_pages) > 200:
                    raise RuntimeError("MuPDF does not end the story")
        dev = writer.begin_page(page)
        st = self.story('<p style="font-size:36pt; text-align:center; margin-top:200pt">敬請指教</p>')
        st.place(full)
        st.draw(dev)
        writer.end_page()
        writer.close()
        return table_pages


class _NoFit(Exception):
    pass


def overflow(pdf: Path, bottom: float) -> bool:
    """Text below the story rect (a row MuPDF could not break, placed whole past the rect)."""
    import pymupdf

    for page in pymupdf.open(str(pdf)):
        for b in page.get_text("dict")["blocks"]:
            if b.get("type") == 0 and b["bbox"][3] > bottom + 1:
                return True
    return False


def overlaps(pdf: Path) -> bool:
    """Two text spans drawn over each other (an unbreakable run running over the next cell)."""
    import pymupdf

    for page in pymupdf.open(str(pdf)):
        spans = [
            (s["bbox"], id(line))
            for b in page.get_text("dict")["blocks"]
            if b.get("type") == 0
            for line in b["lines"]
            for s in line["spans"]
            if s["text"].strip()
        ]
        for i, (a, la) in enumerate(spans):
            for b, lb in spans[i + 1 :]:
                if la == lb:
                    continue
                w = min(a[2], b[2]) - max(a[0], b[0])
                h = min(a[3], b[3]) - max(a[1], b[1])
                if w > 1.0 and h > 0.5 * min(a[3] - a[1], b[3] - b[1]):
                    return True
    return False


def decorate(src: Path, out_pdf: Path, lay: Layout, table_pages: list[int]) -> None:
    """Running header, footer and watermark added with page.insert_text, then saved."""
    import pymupdf

    d, o = lay.d, lay.o
    doc = pymupdf.open(str(src))
    kw = {"fontname": "china-t"} if o["font"] == "builtin" else {"fontname": "deck", "fontfile": face_file(o["font"])}
    total = len(doc)
    current = ""
    titles = [theme_title(d, t) for t in d.themes]
    for i, page in enumerate(doc):
        text = page.get_text()
        for t in titles:
            if t in text:
                current = t
        if o["flow"] and o["running_title"] and i in table_pages and current:
            page.insert_text((lay.side, 24), f"{d.org}｜{current}", fontsize=9, color=(0.35, 0.35, 0.35), **kw)
            page.draw_line((lay.side, 30), (lay.W - lay.side, 30), color=(0.6, 0.6, 0.6), width=0.5)
        if o["footer"] != "none" and 0 < i < total - 1:
            num = {"dash": f"- {i + 1} -", "n_of_n": f"{i + 1} / {total}", "zh": f"第 {i + 1} 頁，共 {total} 頁"}[
                o["footer"]
            ]
            y = lay.H - 14
            page.draw_line((lay.side, lay.H - 26), (lay.W - lay.side, lay.H - 26), color=(0.6, 0.6, 0.6), width=0.5)
            page.insert_text((lay.side, y), f"{d.org}｜策略地圖與平衡計分卡", fontsize=7, color=(0.4, 0.4, 0.4), **kw)
            if o["footer"] == "zh":  # Helvetica has no ideographs
                tw = (
                    pymupdf.get_text_length(num, fontname="china-t", fontsize=7)  # no widths: 1 em each
                    if o["font"] == "builtin"
                    else lay.font.text_length(num, fontsize=7)
                )
                page.insert_text((lay.W - lay.side - tw, y), num, fontsize=7, color=(0.4, 0.4, 0.4), **kw)
            else:
                tw = pymupdf.get_text_length(num, fontname="helv", fontsize=7)
                page.insert_text((lay.W - lay.side - tw, y), num, fontsize=7, fontname="helv", color=(0.4, 0.4, 0.4))
        if d.style["watermark"] and i in table_pages:
            p = pymupdf.Point(lay.W * 0.3, lay.H * 0.72)
            page.insert_text(
                p,
                "內部資料",
                fontsize=60,
                color=(0.8, 0.3, 0.3),
                fill_opacity=0.2,
                morph=(p, pymupdf.Matrix(-30)),
                **kw,
            )
    doc.save(str(out_pdf), garbage=3, deflate=o["compress"])


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows.  Slides that do not fit lower the row budget, then the
    type; a flow deck whose rows run past a page or whose text overlaps gets smaller type (and pt widths)."""
    _check_version()
    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    out_pdf = Path(out_pdf)
    tmp = out_pdf.with_suffix(".story.pdf")
    try:
        lay, pages = _print(deck, opts, tmp)
        decorate(tmp, out_pdf, lay, pages)
    finally:
        tmp.unlink(missing_ok=True)
    if opts["flow"]:
        opts.pop("max_rows")
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts


def _print(deck: Deck, opts: dict, tmp: Path) -> tuple[Layout, list[int]]:
    """The story PDF at the first options (lowered in place) whose pages hold every row without overlaps."""
    st = deck.style
    while True:
        lay = Layout(deck, opts)
        try:
            pages = lay.write(tmp)
        except _NoFit:
            if opts["max_rows"] > 1:
                opts["max_rows"] -= 1
                continue
            pages = None
        if pages is not None and not overflow(tmp, lay.H - lay.bottom) and not overlaps(tmp):
            return lay, pages
        if pages is not None and opts["widths"] == "auto":
            opts["widths"] = "pt"  # the author gives the columns widths before making the type smaller
            continue
        if opts["font_pt"] <= 6:
            raise RuntimeError(f"{deck.stem}: the tables do not fit even in 6 pt type")
        opts["font_pt"] -= 1
        opts["max_rows"] = st["max_rows"]
