"""iText 5 renderer: the deck drawn in Java by iText 5.5.13.3 (com.itextpdf, Debian 12's libitext5-java, the AGPL
successor of iText 2/4 and the Java PDF library of most back-office report exports of the 2010s) through a small
driver (`r_itext5.java`, compiled by javac at first use into the cache, Debian's itext5.jar and
itext5-xmlworker.jar on the classpath) that reads a JSON job written by this module.

The job is r_openpdf's (this module reuses its Job, its page map and its corrections: the same deck model, the
same pagination fixes an author makes), drawn by iText 5's API and with what iText 5 users write that OpenPDF
decks do not:

- `engine` 'ptable' (PdfPTable built cell by cell, as r_openpdf) or 'xmlworker': each theme table written as
  XHTML with a CSS style sheet and parsed by XMLWorker (`XMLParser` + `CssResolverPipeline` + `HtmlPipeline`
  into an ElementList, XMLWorkerFontProvider holding the face under the alias 'cjk'), the PdfPTables it builds
  then added to the document: `<thead>` rows repeated with `repeat-header: yes`, `<tfoot>` with
  `repeat-footer: yes` (iText footer rows: XMLWorker puts them after the head, and has no skipLastFooter, so
  such decks only carry the note footer), per-side CSS borders (`border-top: none` keeps iText's default
  0.5 pt cell box: only `border-top-width: 0` removes it) or `border="1" cellpadding` tables,
  `background-color`, padding, line-height and `font-family: cjk`; no rotated text (turned 構面 labels become
  stacked ones, '<br />' per character); columns sized from the `width` percentages of the first row's cells.
- footer rows: a last header row declared a footer (`setFooterRows(1)`: 'footer' rows are the last of the
  header rows) printed at the foot of every page of the table: '（續下頁）' with `setSkipLastFooter(true)`
  (so only where the table goes on) or a '單位／資料來源' note on every page.
- `setSkipFirstHeader(true)`: the header rows are a '（續上頁）' caption row plus the column head, skipped on
  the first page, which gets the column head as ordinary rows; so continued pages carry the caption.
- borders by a PdfPCellEvent on the line canvas (dotted or dashed rules under every cell, a double rule under
  the head), beside the cell borders (`re S` boxes or per-side `m l S` segments with variable borders).
- zebra by cell backgrounds or the AlternatingBackground PdfPTableEvent of "iText in Action" as people copy it:
  rows counted from getHeaderRows() - getFooterRows() + 1 up to widths.length - getFooterRows(), i.e. what the
  table declares, not what the page draws (stripes shift where the first header is skipped).
- tagged PDF (`writer.setTagged()`: a StructTreeRoot, marked content around every text run and artifact), as
  accessibility rules for government sites ask; whole-face embedding (`BaseFont.setSubset(false)`); A4
  portrait documents beside A4 landscape and 4:3 / 16:9 slides; `setNoWrap(true)` for the short weight column.

Pages: r_openpdf's corrections, plus one: a theme title paragraph left at the foot of a page above a table
that starts on the next makes the theme start a page.  iText 5 moves to the new page while adding the title
(the space after it does not fit), so getPageNumber() after add() already names the table's page; the driver
records the page the title is drawn on by a Chunk generic tag (onGenericTag).

Quirks found: iText 5 writes Producer 'iText® 5.5.13.3 ©2000-2022 iText Group NV (AGPL-version)' (the stamper
pass adds '; modified using iText® ...'); CJK faces through BaseFont.createFont(file or 'collection.ttc,index',
IDENTITY_H, EMBEDDED) as Type0 fonts with glyph ids as 2-byte codes and one ToUnicode entry per glyph, the
same structure as OpenPDF's (TrueType as CIDFontType2, Noto CJK as CIDFontType0C named with the encoding,
'BGCDRG+NotoSerifCJKtc-Regular-Identity-H'); the fallback to a TrueType face when CFFFontSubset throws (as
OpenPDF's does) is kept, but no deck of the eight evaluation sets needed it.  The itext-asian jar
(MSung-Light, UniCNS-UCS2-H) is not in Debian, so there are no non-embedded CJK fonts.  Line breaking is
DefaultSplitCharacter's (after any ideograph or ideographic punctuation, a space or '-'; never inside
'AC1.2.1' or full-width digit runs), for XMLWorker's cells too (their text goes into iText paragraphs).
"""

from __future__ import annotations

import html
import json
import random
import subprocess
import tempfile
import zipfile
from functools import cache
from pathlib import Path

from . import java_driver, r_openpdf
from .fonts import FACES, TRUETYPE
from .layout import check, chunk, find_pages, theme_rows, theme_title
from .r_openpdf import BOTTOM, BOX, TOP, TooTall, _fix, _page_chars, _theme_titles
from .spec import Deck

ITEXT5 = "5.5.13.3"  # Debian 12's libitext5-java 5.5.13.3-2 (README, Setup)
JARS = [f"/usr/share/java/itext5-{ITEXT5}.jar", f"/usr/share/java/itext5-xmlworker-{ITEXT5}.jar"]
JAVA = Path(__file__).with_name("r_itext5.java")
MAIN = "IText5Deck"
NAVY = r_openpdf.NAVY
ZEBRA_FILL = r_openpdf.ZEBRA_FILL


def cache_dir() -> Path:
    d = r_openpdf.cache_dir().parent / "itext5"
    d.mkdir(parents=True, exist_ok=True)
    return d


@cache
def installed_version() -> str:
    for jar in JARS:
        if not Path(jar).exists():
            raise RuntimeError(f"iText {ITEXT5} is not installed ({jar}): apt-get install -y libitext5-java")
        with zipfile.ZipFile(jar) as z:
            manifest = z.read("META-INF/MANIFEST.MF").decode()
        ver = next((ln.split(":", 1)[1].strip() for ln in manifest.splitlines() if ln.startswith("Bundle-Version")), "")
        if ver != ITEXT5:
            raise RuntimeError(f"iText {ITEXT5} is wanted, {jar} is {ver}")
    return ITEXT5


@cache
def driver() -> str:
    """The classpath of the driver (r_itext5.java with Json.java, compiled at first use once per version of both)."""
    installed_version()
    cp = ":".join(JARS)
    return java_driver.compiled(JAVA, cp, cache_dir(), cp, MAIN)


@cache
def tool_version(engine: str | None = None) -> str:
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    extra = f" with XMLWorker {ITEXT5}" if engine == "xmlworker" else ""
    return f"iText {installed_version()}{extra}, {java}"


def producer_options(rng: random.Random, style: dict) -> dict:
    engine = "xmlworker" if rng.random() < 0.35 else "ptable"
    flow = rng.random() < 0.5
    slide = style["page"] if style["page"] in ("4:3", "16:9") else rng.choice(["4:3", "16:9"])
    running = rng.random() < (0.35 if flow else 0.25)
    footer = rng.choice([None, "event", "event", "stamper"])
    rules = style["rules"]
    borders = {
        "grid": rng.choice(["box", "box", "event"]),
        "hrules": rng.choice(["hrules", "hrules", "event"]),
        "none": "none",
        "zebra": rng.choice(["none", "hrules"]),
    }[rules]
    html_borders = rng.choice(["css", "attr"]) if engine == "xmlworker" else None
    if engine == "xmlworker" and borders == "event":
        borders = "box" if rules == "grid" else "hrules"
    spans = rng.random() < 0.75
    plain = not spans and style["year_header"] != "two_row"
    repeat = rng.random() < 0.75
    font = style["font"] if style["font"] in FACES else rng.choice(list(FACES))
    return {
        "engine": engine,
        "flow": flow,
        "page": rng.choice(["A4L", "A4L", "A4", slide]) if flow else slide,
        "font": font,
        "font_source": rng.choice(["collection", "face"]),
        # a whole face is 10-20 MB: rarely, and only for the TrueType faces
        "subset": not (font in TRUETYPE and rng.random() < 0.12),
        "latin": rng.choice([None, None, None, "Helvetica", "Times-Roman"]) if engine == "ptable" else None,
        "font_pt": style["font_pt"] + (rng.choice([0, 1]) if flow else 0),
        "cell_mode": rng.choice(["text", "text", "composite"]),
        "leading": rng.choice([1.0, 1.2, 1.3, 1.5]),
        "padding": rng.choice([2, 3, 4]),
        "use_ascender": rng.random() < 0.3,
        "borders": borders,
        "html_borders": html_borders,
        "border_event": rng.choice(["dotted", "dashed", "double_head"]) if borders == "event" else None,
        "border_width": rng.choice([0.5, 0.5, 0.25, 0.75, 1.0]),
        "border_color": rng.choice(list(r_openpdf.RULE_COLORS)),
        "variable_borders": rng.random() < 0.3,
        "header_fill": rng.choice(["light", "gray", "navy"]) if rules != "none" and rng.random() < 0.75 else None,
        "header_bold": rng.random() < 0.5,
        "zebra": rng.choice(["cells", "event"]) if rules == "zebra" else None,
        "values_align": rng.choice([style["halign"], "center", "right"]),
        "nowrap_weight": rng.random() < 0.5,
        "spans": spans,
        "span_cut": flow and rng.random() < 0.5,
        "widths": rng.choice(["percent", "locked"]),
        "placement": "document"
        if flow or engine == "xmlworker"
        else rng.choice(["document", "column"] + (["rows"] if plain else [])),
        "repeat_header": repeat,
        # XMLWorker has no skipLastFooter: a '（續下頁）' footer would stand under the last rows too
        "table_footer": rng.choice([None, None, "note"] + (["continued"] if engine == "ptable" else []))
        if flow and repeat
        else None,
        "skip_first_header": flow and repeat and engine == "ptable" and rng.random() < 0.3,
        "split_late": rng.random() < 0.6,
        "keep_together": flow and engine == "ptable" and rng.random() < 0.3,
        "title_in": "running" if running else "content",
        "theme_break": running or not flow or rng.random() < 0.6,
        "footer": footer,
        "page_of": footer is not None and rng.random() < 0.5,
        "watermark": rng.choice(["over", "under", "stamper"]),
        "watermark_angle": rng.choice([30, 45, 0]),
        "tagged": rng.random() < 0.25,
        "compression": rng.choice(["default", "default", "none", "full"]),
    }


class Job(r_openpdf.Job):
    """r_openpdf's job with iText 5's additions (see the module docstring)."""

    def __init__(self, deck: Deck, opts: dict, state: dict) -> None:
        portrait = opts["page"] == "A4"
        super().__init__(deck, {**opts, "page": "A4L"} if portrait else opts, state)
        self.o = opts
        if portrait:
            self.W, self.H = 595.0, 842.0

    def base(self, header: bool) -> dict:
        c = super().base(header)
        o = self.o
        if o["borders"] == "event":
            color = r_openpdf.RULE_COLORS[o["border_color"]] or [0, 0, 0]
            ev: dict = {"w": o["border_width"], "color": color}
            if o["border_event"] == "double_head" and header:
                ev.update(sides=["bottom"], double=True, w=0.5)
            elif o["border_event"] == "double_head":
                ev.update(sides=["bottom"])
            else:
                ev.update(sides=["bottom"], dash=[1, 2] if o["border_event"] == "dotted" else [4, 2])
            c["border"] = 0
            c.pop("bw", None)
            c.pop("bc", None)
            c["ev"] = ev
        return c

    def body_cells(self, rows, prev, cuts) -> list[dict]:
        cells = super().body_cells(rows, prev, cuts)
        if self.o["nowrap_weight"] and "w" in [col.id for col in self.cols]:
            weight = {k.code: k.weight for _, _, k in self.d.kpis()}
            for c in cells:
                if c.get("tag") in weight and c.get("s") == weight[c["tag"]]:
                    c["nowrap"] = True
        return cells

    def footer_cells(self) -> list[dict]:
        kind = self.o["table_footer"]
        text = "（續下頁）" if kind == "continued" else "單位：%、件、人次；資料來源：本機關統計"
        c = {**self.base(False), "s": self.t(text), "colspan": len(self.cols), "size": max(6.0, self.pt - 1)}
        c.update(ha="right" if kind == "continued" else "left", color=[90, 90, 90])
        return [c]

    def table(self, rows, prev, cuts, head: bool) -> dict:
        table = super().table(rows, prev, cuts, head)
        o = self.o
        if not (head and o["repeat_header"]):
            return table
        nh = table["header_rows"]
        heads, body = table["cells"][: self.head_cell_count()], table["cells"][self.head_cell_count() :]
        if o["skip_first_header"]:
            caption = {**self.base(True), "s": "（續上頁）", "colspan": len(self.cols), "ha": "left"}
            caption.update(border=0, size=max(6.0, self.pt - 1), color=[90, 90, 90])
            caption.pop("ev", None)
            # the head once more as ordinary rows, for the first page, where the header rows are skipped
            heads, body = [caption] + heads, [dict(c) for c in heads] + body
            nh += 1
            table["skip_first_header"] = True
        if o["table_footer"]:
            heads = heads + self.footer_cells()
            nh += 1
            table["footer_rows"] = 1
            table["skip_last_footer"] = o["table_footer"] == "continued"
        table["cells"] = heads + body
        table["header_rows"] = nh
        return table

    def head_cell_count(self) -> int:
        return len(self.header_cells())

    # --- XMLWorker -------------------------------------------------------------------------------------------

    def to_html(self, op: dict) -> dict:
        """A theme table written as XHTML for XMLWorker: thead (repeated), tfoot, tbody; the cells' styles."""
        t = op["table"]
        cols = len(self.cols)
        weights = t["widths"]
        total = sum(weights)
        nh = t.get("header_rows", 0)
        nf = t.get("footer_rows", 0)
        cells = t["cells"]
        # group the cells into rows as the table's column grid fills (rowspans occupy places below)
        rows: list[list[dict]] = []
        taken: dict[tuple[int, int], bool] = {}
        r = col = 0
        cur: list[dict] = []
        for c in cells:
            while taken.get((r, col)):
                col += 1
                if col >= cols:
                    rows.append(cur)
                    cur, r, col = [], r + 1, 0
            span, rspan = int(c.get("colspan", 1)), int(c.get("rowspan", 1))
            for dr in range(rspan):
                for dc in range(span):
                    taken[(r + dr, col + dc)] = True
            cur.append({**c, "_col": col})
            col += span
            while col < cols and taken.get((r, col)):
                col += 1
            if col >= cols:
                rows.append(cur)
                cur, r, col = [], r + 1, 0
        if cur:
            rows.append(cur)
        tags: list = []
        attr_borders = self.o.get("html_borders") == "attr" and self.o["borders"] == "box"

        def td(c: dict, tag: str) -> str:
            st = [f"font-size:{c.get('size', self.pt)}pt", "font-family:cjk"]
            p = c.get("pad", [3, 3, 3, 3])
            st.append(f"padding:{p[2]}pt {p[1]}pt {p[3]}pt {p[0]}pt")
            st.append(f"text-align:{c.get('ha', 'left')}")
            st.append(f"vertical-align:{c.get('va', 'top')}")
            if c.get("bg"):
                st.append(f"background-color:{_hex(c['bg'])}")
            if c.get("color"):
                st.append(f"color:{_hex(c['color'])}")
            if c.get("bold"):
                st.append("font-weight:bold")
            lead = c.get("lead")
            if lead:
                st.append(f"line-height:{lead[1]}")
            bw = c.get("bw", 0.5)
            w = bw[1] if isinstance(bw, list) else bw
            bits = int(c.get("border", BOX))
            color = _hex(c.get("bc") or [0, 0, 0])
            for bit, side in ((TOP, "top"), (BOTTOM, "bottom"), (r_openpdf.LEFT, "left"), (r_openpdf.RIGHT, "right")):
                if attr_borders:
                    break
                # 'border-top: none' leaves iText's default cell box: XMLWorker needs a width of 0
                st.append(f"border-{side}:{w}pt solid {color}" if bits & bit else f"border-{side}-width:0")
            attrs = ""
            if int(c.get("colspan", 1)) > 1:
                attrs += f' colspan="{int(c["colspan"])}"'
            if int(c.get("rowspan", 1)) > 1:
                attrs += f' rowspan="{int(c["rowspan"])}"'
            if first_row and int(c.get("colspan", 1)) == 1:
                attrs += f' width="{100 * weights[c["_col"]] / total:.1f}%"'
            text = c.get("s", "")
            if c.get("rot"):
                text = "\n".join(text)  # XMLWorker cannot turn text: the label stacked
            body = "<br />".join(html.escape(x) for x in text.split("\n"))
            tags.append(c.get("tag"))
            return f'<{tag}{attrs} style="{";".join(st)}">{body}</{tag}>'

        parts = ['<table class="kpi" border="1" cellpadding="3">' if attr_borders else '<table class="kpi">']
        sections = [("thead", rows[: nh - nf], "th"), ("tfoot", rows[nh - nf : nh], "td"), ("tbody", rows[nh:], "td")]
        first_row = True
        for name, rs, cell_tag in sections:
            if not rs:
                continue
            parts.append(f"<{name}>")
            for row in rs:
                parts.append("<tr>" + "".join(td(c, cell_tag) for c in row) + "</tr>")
                first_row = False
            parts.append(f"</{name}>")
        parts.append("</table>")
        # XMLWorker keeps the rows in this order (thead, tfoot, tbody): iText's footer rows are header rows
        css = (
            "table.kpi { width: 100%; border-collapse: collapse; "
            + ("repeat-header: yes; " if t.get("header_rows") else "")
            + ("repeat-footer: yes; " if nf else "")
            + f"margin-bottom: {t.get('after', 0)}pt; }}\n"
        )
        out = {"t": "html", "key": op["key"], "html": "".join(parts), "css": css, "tags": tags}
        if t.get("zebra"):
            out["zebra"] = t["zebra"]
        out["split_late"] = t.get("split_late", True)
        return out

    def job(self, out_pdf: Path) -> dict:
        job = super().job(out_pdf)
        job["fonts"]["subset"] = self.o["subset"]
        job["tagged"] = self.o["tagged"]
        if self.o["engine"] == "xmlworker":
            job["ops"] = [
                self.to_html(op) if op["t"] == "table" and op["key"][0] in "ABCDE" and " " in op["key"] else op
                for op in job["ops"]
            ]
        return job


def _hex(rgb: list) -> str:
    return "#" + "".join(f"{int(v):02x}" for v in rgb)


def _run(job: dict) -> dict:
    """Render; returns the driver's report: pages per tagged cell, paragraph pages, each table's pages."""
    with tempfile.TemporaryDirectory(prefix="r_itext5-") as tmp:
        path = Path(tmp) / "job.json"
        job = {**job, "report": str(Path(tmp) / "report.json")}
        path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        cmd = ["java", "-Djava.awt.headless=true", "-Xss8m", "-cp", driver(), MAIN, str(path)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        if proc.returncode:
            raise RuntimeError(f"iText 5 failed: {proc.stderr.strip()[-3000:]}")
        return json.loads(Path(job["report"]).read_text(encoding="utf-8"))


def _orphan_title(deck: Deck, opts: dict, state: dict, rep: dict) -> bool:
    """A theme title drawn at the foot of a page whose table starts on the next: the theme starts a page.  (The
    page of the title is where iText drew it, from a generic tag; r_openpdf._fix compares the table's first row
    with getPageNumber() after the title, which iText has already moved on when the space after the title did
    not fit.)"""
    rows = rep["rows"]
    for t in deck.themes[1:]:
        if opts["theme_break"] or t.letter in state["fresh"]:
            continue
        title = rep.get("drawn", {}).get(f"title {t.letter}") or min(rows.get(f"title {t.letter}", [0]))
        first = theme_rows(deck, t)[0]
        tag = first.kpi.code if first.kind == "kpi" else f"band {theme_rows(deck, t)[1].kpi.code}"
        if title and rows.get(tag) and rows[tag][0] != title:
            state["fresh"].add(t.letter)
            return True
    return False


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide, lowered until no table runs
    over its slide).  Flow: renders again after each correction (r_openpdf._fix) and, for running titles, once
    the page map is known; a row taller than a page makes the type smaller.  Returns the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    out_pdf = Path(out_pdf)

    def fresh_state() -> dict:
        return {"breaks": {}, "cuts": {}, "fresh": set(), "titles": {}}

    state = fresh_state()
    for _ in range(200):
        try:
            rep = _run(Job(deck, opts, state).job(out_pdf))
        except RuntimeError as e:
            # iText's CFFFontSubset fails on some Noto CJK subsets: a TrueType face instead, as its author would
            if "CFFFontSubset" not in str(e) or opts["font"] in TRUETYPE:
                raise
            opts["cff_failed"] = opts["font"]
            opts["font"] = TRUETYPE[0]
            continue
        try:
            if opts["flow"]:
                if _orphan_title(deck, opts, state, rep) or _fix(deck, opts, state, rep, _page_chars(out_pdf)):
                    continue
            else:
                slides = [t for t in rep["tables"] if t["key"][0] in "ABCDE" and " " in t["key"]]
                if any(t["end"] != t["start"] or t.get("overflow") for t in slides):
                    if opts["max_rows"] > 1:
                        opts["max_rows"] -= 1
                        continue
                    raise TooTall("slide")
        except TooTall:
            if opts["font_pt"] <= 6:
                raise RuntimeError(f"{deck.stem}: a table row does not fit a page even in 6 pt type") from None
            opts["font_pt"] -= 1
            state = fresh_state()
            continue
        if opts["title_in"] == "running":
            want = _theme_titles(deck, rep)
            if not opts["flow"]:  # slides: one page per slide, its part known from the row budget
                want = {}
                for t in deck.themes:
                    pieces = chunk(theme_rows(deck, t), int(opts["max_rows"]))
                    for i in range(len(pieces)):
                        start = next(x["start"] for x in rep["tables"] if x["key"] == f"{t.letter} {i}")
                        want[start] = theme_title(deck, t, i + 1, len(pieces))
            if want != state["titles"]:
                state["titles"] = want
                continue
        break
    else:
        raise RuntimeError(f"{deck.stem}: the iText layout did not settle")
    if opts["flow"]:
        opts.pop("max_rows")
        opts["split_before"] = {k: sorted(v) for k, v in sorted(state["breaks"].items()) if v}
        opts["span_cut_at"] = {k: sorted(v) for k, v in sorted(state["cuts"].items()) if v}
        opts["theme_page"] = sorted(state["fresh"])
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
