"""ActiveReportsJS renderer: the deck as a report definition of MESCIUS ActiveReportsJS 6.0.1 (npm
@mescius/activereportsjs, formerly GrapeCity's; the JavaScript report engine and designer of many East Asian government
web back-offices), written by this module as RDLX-JSON, loaded by `new Core.PageReport().load(def)`, run by the engine
(`report.run()`, its own measuring, wrapping and pagination) and written by its own PDF export
(`PdfExport.exportDocument(pageDocument, settings)`), all in headless Chromium (Debian's /usr/bin/chromium driven by
playwright-core; the browser bundles dist/ar-js-core.js and dist/ar-js-pdf.js, globals MESCIUS.ActiveReportsJS.Core
and .PdfExport) by the small driver `r_arjs.js`, on a page served as http://localhost/ (playwright's route, no
network).

The report: one Continuous ReportSection per page of furniture (cover without header or footer, 轄區概況, 策略地圖 of
textboxes and a rectangle placed in the body, optionally a closing '敬請指教' page), each with its own Page size and
margins, and one section whose body holds a Table bound to a DataSet over an embedded JSON data source
(`DataProvider: JSON`, `ConnectString: jsondata=...`, `$.rows[*]`): a TableGroup per slide (slides: landscape
4:3/16:9/A4 pages, each theme's rows cut by the deck's row budget, title '策略主題(A)…--k/n', `PageBreak: Between`) or
per theme (an A4 document the engine paginates: themes on a new page or following on), whose header rows hold the
title (one cell with `ColSpan` over all columns) and the column heads (one row, or the two-row year head with a
spanning '實際值' cell and `RowSpan: 2` labels), repeated on each page by `RepeatOnNewPage` or printed once; in band
mode a nested TableGroup on the perspective label; one detail TableRow of textboxes (`=Fields!c_kpi.Value`, CanGrow),
構面/策略目標 cells merged down their rows by the cell's `AutoMergeMode: Always` or repeated on every row, 構面 labels
turned by `Angle: 90` or `WritingMode: tb-rl`, or stacked one character a line; borders grid / bottom only / none, head
fills, zebra by an expression (`=IIF(RowNumber() Mod 2 = 0, "#EBF1F9", "Transparent")`); PageHeader with the office and
the '內部資料' stamp (grey 18 pt textbox, turned by `Angle` 30/45 or level), PageFooter with '- n -', 'n / N' or
'第 n 頁，共 n 頁' from `Globals!PageNumber`/`Globals!TotalPages` (numbers count the whole report, the cover included).

Engine quirks met: a cell a span covers must be a null in its row's `TableCells` (left out, or given an empty
textbox, `run()` throws 'Rows count mismatch'); `RowNumber("Rows")` named after the details group fills no row (the
zebra needs `RowNumber()`); type sizes are floored to whole CSS pixels (7 pt prints as 6.75, 8 as 7.5, 13 as 12.75, 14
as 13.5, 9 and 12 exact); a detail row taller than what is left of a page is split between its lines: the slice above
the page foot (text clipped mid-line, under the footer) on one page and the rest on the next from a line clipped at
the page header, so the author, who finds text crossing the body's edge (`_cut_text`) or a row's characters missing
from its page (`layout.check`), sets `KeepTogether` on the detail textboxes and renders again (rows then move whole);
on a slide a last row taller than what is left is clipped at the page foot without going on to another page (the
slide count stays right, a plan's last line is lost), so the slide gets one KPI fewer (twice at most, then smaller
type: in 1 deck of 18, with a merged label turned by `Angle`, plans' characters went missing whatever the rows a
slide, down to one, and only 8 pt instead of 9 cured it; cause not found); turned labels are stacked first;
`PreventOrphanedHeader` on the table and its groups changes nothing: a theme's title and column heads can be left
alone at the foot of a page, the rows on the next (without heads when they are not repeated).  A deck whose check
still fails makes the type smaller, and at last raises.

Fonts: the face chosen as fonts.py chooses it (the deck's, now and then another) registered by
`Core.FontStore.registerFonts({name, source: data: URL})` (CSS @font-face for measuring) and passed again in the
export's `settings.fonts` to be embedded: a Type0 Identity-H subset tagged 'CZZZZZ+' with ToUnicode, CIDFontType2
for the TrueType faces and CIDFontType0C for Noto CJK's CFF (drawn correctly, unlike SpreadJS's writer of the same
'GrapeCity' lineage); PDF 1.7 by settings, Creator and Producer 'GrapeCity', Title/Author from `settings.info`.

Evaluation: unlicensed (no `Core.setLicenseKey`), the export draws on every page, the cover included, two grey
(0.5) lines 'Powered by ActiveReportsJS Evaluation Version' / 'Not Licensed for Distribution' in non-embedded
Helvetica-Bold 9.75 pt, as text, at x 30 pt, 31-56 pt above the page's bottom edge whatever the margins: over the
last rows or the footer when the margin and footer are smaller than that (the parser then reads 'ReportsJS
Evaluation ersion V' into KPI names: the 'V' of 'Version' is a run of its own, drawn after the line).  Its glyphs
are placed with a random jitter on every export (words move by 1-2 pt between two runs of one definition, the 'V'
now and then drops to the second line), so a deck is not reproducible byte for byte, nor is what the parser reads
where the banner lies over the rows; the table itself comes out the same.  It is kept, as real unlicensed use prints
it; about half the decks (`clear_banner`) have an author who raised the bottom margin until the body and footer end
above it.  The console stays silent.  A deck (Chromium start included) takes 15-60 s on a shared 2-core machine.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from .fonts import FACES, face_file, printable
from .layout import Col, Row, check, chunk, columns, find_pages, persp_label, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

ARJS = "6.0.1"  # npm install --save-exact @mescius/activereportsjs@6.0.1 in $REALTOOLS_CACHE/arjs (README, Setup)
JS = Path(__file__).with_name("r_arjs.js")
TIMEOUT = 600
SIZES = {"4:3": (720.0, 540.0), "16:9": (960.0, 540.0), "A4L": (842.0, 595.0), "A4": (595.0, 842.0)}
NAVY = "#1F3A68"
BANNER_TOP = 58.0  # the evaluation banner's top, in points above the page's bottom edge (56 measured)
HEAD_FILLS = {"light": "#D9E5F6", "gray": "#E0E0E0", "sand": "#FAEDD1"}
ZEBRA_FILLS = {"blue": "#EBF1F9", "gray": "#F0F0F0"}
RULE_COLORS = {"black": "#000000", "gray": "#808080", "navy": NAVY}
FOOTERS = {
    "dash": '="- " & Globals!PageNumber & " -"',
    "of": '=Globals!PageNumber & " / " & Globals!TotalPages',
    "zh": '="第 " & Globals!PageNumber & " 頁，共 " & Globals!TotalPages & " 頁"',
}


def modules_dir() -> Path:
    env = os.environ.get("REALTOOLS_ARJS_MODULES")
    if env:
        return Path(env)
    return Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "arjs" / "node_modules"


def _env() -> dict:
    return {**os.environ, "REALTOOLS_ARJS_MODULES": str(modules_dir())}


@cache
def tool_version(engine: str | None = None) -> str:
    out = subprocess.run(["node", str(JS), "--version"], capture_output=True, text=True, env=_env())
    if out.returncode:
        cmd = f"npm install --save-exact @mescius/activereportsjs@{ARJS}"
        raise RuntimeError(f"ActiveReportsJS is not installed ({modules_dir()}: {cmd}): {out.stderr.strip()[-400:]}")
    v = json.loads(out.stdout)
    if v["arjs"] != ARJS:
        raise RuntimeError(f"@mescius/activereportsjs {ARJS} wanted, {v['arjs']} installed")
    chrome = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip()
    return f"ActiveReportsJS {v['arjs']} (evaluation), playwright-core {v['playwright']}, {chrome}"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    font = style["font"] if rng.random() < 0.85 else rng.choice(list(FACES))
    return {
        "flow": flow,
        "page": rng.choice(["A4", "A4", "A4L"]) if flow else style["page"],
        "margins": rng.choice([20, 28, 36]) if flow else rng.choice([14, 20, 28]),
        "font_pt": min(style["font_pt"], 9) if flow else style["font_pt"],
        "font": font,
        "head_fill": rng.choice([None, "light", "light", "gray", "sand"]) if style["rules"] != "none" else None,
        "head_bold": rng.random() < 0.6,
        "zebra_fill": rng.choice(list(ZEBRA_FILLS)),
        "rule_color": rng.choice(list(RULE_COLORS)),
        "rule_w": rng.choice([0.5, 0.5, 0.75, 1.0]),
        "pad": rng.choice([2, 3, 4]),
        "merge_persp": rng.random() < 0.7,
        "merge_obj": rng.random() < 0.6,
        "turn": rng.choice(["angle", "writing", "stack"]) if style["persp_mode"] == "rotated" else None,
        "repeat_header": rng.random() < 0.7,
        "keep_rows": rng.random() < 0.4,
        "orphan_guard": rng.random() < 0.5,
        "theme_break": rng.random() < 0.6,
        "header": rng.random() < 0.4,
        "footer": rng.choice([None, "dash", "dash", "of", "of", "zh"]),
        "footer_align": rng.choice(["Right", "Center"]),
        "watermark": style["watermark"] or rng.random() < 0.1,
        "watermark_angle": rng.choice([0, 30, 45]),
        "clear_banner": rng.random() < 0.5,
        "closing": rng.random() < 0.7,
    }


def pt(v: float) -> str:
    return f"{round(v, 2)}pt"


class Builder:
    """The report definition (RDLX-JSON) of one deck: a section per furniture page, the themes as one Table."""

    def __init__(self, deck: Deck, opts: dict) -> None:
        self.d, self.o, self.st = deck, opts, deck.style
        self.W, self.H = SIZES[opts["page"]]
        self.m = float(opts["margins"])
        # the evaluation banner lies 31-56 pt above the page's bottom edge: an author who keeps it off the table
        # raises the bottom margin until the body (and footer) end above it
        foot = 20.0 if opts["footer"] else 0.0
        self.mb = max(self.m, BANNER_TOP - foot) if opts["clear_banner"] else self.m
        self.cw = self.W - 2 * self.m
        self.pt = float(opts["font_pt"])
        self.family = opts["font"]
        self.face = opts["font"].replace(" ", "")
        self.n = 0

    def p(self, s: str) -> str:
        s = printable(s, self.family)
        return "'" + s if s.startswith("=") else s

    def name(self, base: str) -> str:
        self.n += 1
        return f"{base}{self.n}"

    def style(self, size: float, **kw) -> dict:
        st = {"FontFamily": self.face, "FontSize": pt(size)}
        st.update({k: v for k, v in kw.items() if v is not None})
        return st

    def tb(self, x: float, y: float, w: float, h: float, value: str, size: float, grow: bool = False, **kw) -> dict:
        return {
            "Type": "textbox",
            "Name": self.name("Text"),
            "Value": value,
            "CanGrow": grow,
            "Left": pt(x),
            "Top": pt(y),
            "Width": pt(w),
            "Height": pt(h),
            "Style": self.style(size, **kw),
        }

    def rect(self, x: float, y: float, w: float, h: float, fill: str | None, border: str | None = None) -> dict:
        st: dict = {}
        if fill:
            st["BackgroundColor"] = fill
        if border:
            st["Border"] = {"Style": "Solid", "Color": border, "Width": "1pt"}
        return {
            "Type": "rectangle",
            "Name": self.name("Box"),
            "Left": pt(x),
            "Top": pt(y),
            "Width": pt(w),
            "Height": pt(h),
            "Style": st,
            "ReportItems": [],
        }

    # --- page furniture ----------------------------------------------------------------------------------------

    def page(self) -> dict:
        m = pt(self.m)
        return {
            "PageWidth": pt(self.W),
            "PageHeight": pt(self.H),
            "LeftMargin": m,
            "RightMargin": m,
            "TopMargin": m,
            "BottomMargin": pt(self.mb),
        }

    def wm_h(self) -> float:
        return 46.0 if self.o["watermark_angle"] else 28.0

    def head_h(self) -> float:
        if self.o["watermark"]:
            return self.wm_h() + 2
        return 16.0 if self.o["header"] else 0.0

    def header(self) -> dict | None:
        items = []
        if self.o["header"]:
            items.append(
                self.tb(
                    0,
                    0,
                    self.cw,
                    14,
                    self.p(f"{self.d.org}　策略地圖與平衡計分卡"),
                    7,
                    Color="#666666",
                    BottomBorder={"Style": "Solid", "Color": "#999999", "Width": "0.5pt"},
                )
            )
        if self.o["watermark"]:
            items.append(
                self.tb(
                    self.cw - 130,
                    0,
                    130,
                    self.wm_h(),
                    "內部資料",
                    18,
                    Color="#C0C0C0",
                    Angle=str(self.o["watermark_angle"]) if self.o["watermark_angle"] else None,
                    TextAlign="Right",
                )
            )
        if not items:
            return None
        return {"Height": pt(self.head_h()), "ReportItems": items, "PrintOnFirstPage": True, "PrintOnLastPage": True}

    def footer(self) -> dict | None:
        if not self.o["footer"]:
            return None
        t = self.tb(0, 4, self.cw, 14, FOOTERS[self.o["footer"]], 8, Color="#555555", TextAlign=self.o["footer_align"])
        return {"Height": pt(20), "ReportItems": [t], "PrintOnFirstPage": True, "PrintOnLastPage": True}

    def section(self, name: str, items: list[dict], height: float, furniture: bool = True) -> dict:
        sec = {
            "Name": name,
            "Type": "Continuous",
            "Width": pt(self.cw),
            "Page": self.page(),
            "Body": {"Height": pt(height), "ReportItems": items},
        }
        if furniture:
            h, f = self.header(), self.footer()
            if h:
                sec["PageHeader"] = h
            if f:
                sec["PageFooter"] = f
        return sec

    def avail(self) -> float:
        h = self.H - self.m - self.mb
        if self.o["footer"]:
            h -= 20
        h -= self.head_h()
        return h - 2

    def furniture(self) -> list[dict]:
        d, cw = self.d, self.cw
        ch = self.H - self.m - self.mb - 4
        size = 30.0 if cw > 600 else 24.0
        cover = [
            self.rect(0, 0, cw, 14, NAVY),
            self.tb(0, ch * 0.34, cw, size * 1.6, self.p(d.org), size, TextAlign="Center"),
            self.tb(0, ch * 0.34 + size * 1.9, cw, size * 1.6, "策略地圖與平衡計分卡", size - 4, TextAlign="Center"),
        ]
        ah = self.avail()
        prof = [self.tb(10, 10, cw - 20, 30, self.p(f"{d.org}轄區概況"), 20, Color=NAVY)]
        prof += [self.tb(30, 64 + i * 30, cw - 60, 24, self.p(line), 14) for i, line in enumerate(d.profile_lines)]
        return [
            self.section("Cover", cover, ch, furniture=False),
            self.section("Profile", prof, ah),
            self.section("StrategyMap", self.strategy_map(ah), ah),
        ]

    def strategy_map(self, ch: float) -> list[dict]:
        d, cw = self.d, self.cw
        items = [self.tb(10, 6, cw * 0.7, 28, self.p(f"{d.org}策略地圖"), 18, Color=NAVY)]
        items.append(self.tb(cw * 0.7, 10, cw * 0.3 - 10, 20, d.map_date, 12, TextAlign="Right"))
        items.append(self.tb(10, 40, cw - 20, 28, self.p("願景：" + "、".join(t.shown for t in d.themes)), 9))
        persps = [p for p in BSC_ORDER if any(o.perspective == p for t in d.themes for o in t.objectives)]
        y = 74.0
        band = min(110.0, (ch - y - 6) / max(1, len(persps)))
        for p in persps:
            items.append(
                self.tb(
                    10,
                    y,
                    80,
                    band - 8,
                    f"{p}構面",
                    10,
                    Color="#FFFFFF",
                    BackgroundColor=NAVY,
                    TextAlign="Center",
                    VerticalAlign="Middle",
                )
            )
            x = 105.0
            for t in d.themes:
                for o in t.objectives:
                    if o.perspective != p:
                        continue
                    w = min(140.0, len(o.shown) * 8 + 16)
                    if x + w > cw - 10:
                        break
                    items.append(
                        self.tb(
                            x,
                            y + 4,
                            w,
                            band - 16,
                            self.p(o.shown),
                            8,
                            VerticalAlign="Middle",
                            Border={"Style": "Solid", "Color": NAVY, "Width": "1pt"},
                            PaddingLeft="3pt",
                            PaddingRight="3pt",
                        )
                    )
                    x += w + 10
            y += band
        return items

    def closing(self) -> dict:
        ch = self.avail()
        return self.section("Closing", [self.tb(0, ch * 0.4, self.cw, 54, "敬請指教", 36, TextAlign="Center")], ch)

    # --- the table ---------------------------------------------------------------------------------------------

    def widths(self, cols: list[Col]) -> list[float]:
        total = sum(c.weight for c in cols)
        ws = [round(c.weight * (self.cw - 1) / total, 2) for c in cols]
        ws[-1] = round(self.cw - 1 - sum(ws[:-1]), 2)
        return ws

    def rule(self) -> dict:
        return {"Style": "Solid", "Color": RULE_COLORS[self.o["rule_color"]], "Width": pt(self.o["rule_w"])}

    def cell_style(self, head: bool = False) -> dict:
        rules, o = self.st["rules"], self.o
        pad = pt(o["pad"])
        st: dict = {"PaddingLeft": pad, "PaddingRight": pad, "PaddingTop": "1pt", "PaddingBottom": "1pt"}
        if rules == "grid":
            st["Border"] = self.rule()
        elif rules in ("hrules", "zebra"):
            st["BottomBorder"] = self.rule()
            if head:
                st["TopBorder"] = self.rule()
        return st

    def cell(
        self, value: str, size: float | None = None, span: int = 1, merge: bool = False, head: bool = False, **kw
    ) -> dict:
        st = {**self.style(size or self.pt), **self.cell_style(head), **{k: v for k, v in kw.items() if v is not None}}
        c: dict = {"Item": {"Type": "textbox", "Name": self.name("Cell"), "Value": value, "CanGrow": True, "Style": st}}
        if self.o["keep_rows"] and not head:
            c["Item"]["KeepTogether"] = True
        if span > 1:
            c["ColSpan"] = span
        if merge:
            c["AutoMergeMode"] = "Always"
        return c

    def head_rows(self, cols: list[Col]) -> list[dict]:
        o = self.o
        kw = {
            "TextAlign": "Center",
            "VerticalAlign": "Middle",
            "FontWeight": "Bold" if o["head_bold"] else None,
            "BackgroundColor": HEAD_FILLS.get(o["head_fill"] or ""),
        }
        h = pt(self.pt * 1.4 + 4)
        if self.st["year_header"] != "two_row":
            lines = max(len(c.label.split("\n")) for c in cols)
            return [
                {
                    "Height": pt(self.pt * 1.4 * lines + 4),
                    "TableCells": [self.cell(self.p(c.label), head=True, **kw) for c in cols],
                }
            ]
        top, bottom = [], []
        j = 0
        while j < len(cols):
            c = cols[j]
            if c.group:
                k = j
                while k + 1 < len(cols) and cols[k + 1].group == c.group:
                    k += 1
                top.append(self.cell(c.group, span=k - j + 1, head=True, **kw))
                top += [None] * (k - j)
                bottom += [self.cell(cols[m].sub or "", head=True, **kw) for m in range(j, k + 1)]
                j = k + 1
                continue
            cell = self.cell(self.p(c.label), head=True, **kw)
            cell["RowSpan"] = 2
            top.append(cell)
            bottom.append(None)
            j += 1
        # every cell a span covers is a null in its row (left out, or given a textbox, the engine throws 'Rows count
        # mismatch')
        return [{"Height": h, "TableCells": top}, {"Height": h, "TableCells": bottom}]

    def detail_row(self, cols: list[Col]) -> dict:
        st, o = self.st, self.o
        cells = []
        zebra = None
        if st["rules"] == "zebra":
            zebra = f'=IIF(RowNumber() Mod 2 = 0, "{ZEBRA_FILLS[o["zebra_fill"]]}", "Transparent")'
        for c in cols:
            kw = {
                "TextAlign": st["halign"].capitalize(),
                "VerticalAlign": st["valign"].capitalize(),
                "BackgroundColor": zebra,
            }
            merge = False
            if c.id in ("persp", "obj") and (o["merge_persp"] if c.id == "persp" else o["merge_obj"]):
                merge = True
                kw["VerticalAlign"] = "Middle"
            if c.id == "persp":
                kw["TextAlign"] = "Center"
                kw["VerticalAlign"] = "Middle"
                if st["persp_mode"] == "rotated" and o["turn"] == "angle":
                    kw["Angle"] = "90"
                elif st["persp_mode"] == "rotated" and o["turn"] == "writing":
                    kw["WritingMode"] = "tb-rl"
            cells.append(self.cell(f"=Fields!c_{c.id}.Value", merge=merge, **kw))
        return {"Height": pt(self.pt * 1.4 + 4), "TableCells": cells}

    def records(self, rows: list[Row], g: str, title: str, cols: list[Col]) -> list[dict]:
        st, out, band = self.st, [], ""
        for r in rows:
            if r.kind == "band":
                band = self.p(r.cells["band"])
                continue
            rec = {"g": g, "title": self.p(title), "band": band or self.p(persp_label(self.d, r.persp))}
            for c in cols:
                s = printable(r.cells.get(c.id, ""), self.family)
                if c.id == "persp" and (
                    st["persp_mode"] == "stacked" or (st["persp_mode"] == "rotated" and self.o["turn"] == "stack")
                ):
                    s = "\n".join(s)
                rec[f"c_{c.id}"] = s
            out.append(rec)
        return out

    def table(self, max_rows: int) -> tuple[dict, list[dict]]:
        d, o = self.d, self.o
        cols = columns(d)
        ws = self.widths(cols)
        recs: list[dict] = []
        for t in d.themes:
            trows = theme_rows(d, t)
            if o["flow"]:
                recs += self.records(trows, t.letter, theme_title(d, t), cols)
                continue
            parts = chunk(trows, max_rows)
            for i, part in enumerate(parts):
                recs += self.records(part, f"{t.letter}{i}", theme_title(d, t, i + 1, len(parts)), cols)
        n = len(cols)
        title = {
            "Height": pt(26),
            "TableCells": [
                {
                    "Item": {
                        "Type": "textbox",
                        "Name": self.name("Title"),
                        "Value": "=Fields!title.Value",
                        "CanGrow": True,
                        "Style": self.style(
                            16 if not o["flow"] else 13, Color=NAVY, VerticalAlign="Middle", PaddingBottom="4pt"
                        ),
                    },
                    "ColSpan": n,
                }
            ]
            + [None] * (n - 1),
        }
        group = {
            "Group": {
                "Name": "Slide",
                "GroupExpressions": ["=Fields!g.Value"],
                "PageBreak": "Between" if (not o["flow"] or o["theme_break"]) else "None",
            },
            "Header": {
                "TableRows": [title, *self.head_rows(cols)],
                "RepeatOnNewPage": bool(o["flow"] and o["repeat_header"]) or not o["flow"],
            },
        }
        if o["orphan_guard"]:
            group["PreventOrphanedHeader"] = True
        groups = [group]
        if self.st["persp_mode"] == "band":
            groups.append(
                {
                    "Group": {"Name": "Band", "GroupExpressions": ["=Fields!band.Value"]},
                    "Header": {
                        "TableRows": [
                            {
                                "Height": pt(self.pt * 1.4 + 4),
                                "TableCells": [
                                    self.cell(
                                        "=Fields!band.Value",
                                        span=n,
                                        BackgroundColor=HEAD_FILLS["gray"],
                                        VerticalAlign="Middle",
                                    )
                                ]
                                + [None] * (n - 1),
                            }
                        ]
                    },
                }
            )
        if o["flow"] and not o["theme_break"]:
            title["TableCells"][0]["Item"]["Style"]["PaddingTop"] = "10pt"
            title["Height"] = pt(34)
        table = {
            "Type": "table",
            "Name": "Scorecard",
            "DataSetName": "Rows",
            "Left": "0pt",
            "Top": "0pt",
            "Width": pt(sum(ws)),
            "TableColumns": [{"Width": pt(w)} for w in ws],
            "TableGroups": groups,
            "Details": {"TableRows": [self.detail_row(cols)], "Group": {"Name": "Rows"}},
        }
        if o["orphan_guard"]:
            table["PreventOrphanedHeader"] = True
        return table, recs

    def definition(self, max_rows: int) -> dict:
        table, recs = self.table(max_rows)
        fields = sorted({k for r in recs for k in r})
        sections = self.furniture()
        sections.append(self.section("Scorecard", [table], 40))
        if self.o["closing"] and not self.o["flow"]:
            sections.append(self.closing())
        return {
            "Name": self.d.stem,
            "Author": self.d.short,
            "Width": pt(self.cw),
            "Page": self.page(),
            "ReportSections": sections,
            "DataSources": [
                {
                    "Name": "Deck",
                    "ConnectionProperties": {
                        "DataProvider": "JSON",
                        "ConnectString": "jsondata=" + json.dumps({"rows": recs}, ensure_ascii=False),
                    },
                }
            ],
            "DataSets": [
                {
                    "Name": "Rows",
                    "Query": {"DataSourceName": "Deck", "CommandText": "$.rows[*]"},
                    "Fields": [{"Name": f, "DataField": f} for f in fields],
                }
            ],
        }


def _cut_text(pdf: Path, b: Builder, first: int) -> list[str]:
    """Text the engine cut at the body's edge: a row split over two pages prints the slice of its lines above the
    page foot on one page and the rest, from a line clipped at the top, on the next."""
    import pymupdf

    top = b.m + b.head_h() - 1.0
    bottom = b.H - b.mb - (20.0 if b.o["footer"] else 0.0) + 1.0
    out = []
    for i, page in enumerate(pymupdf.open(str(pdf)), 1):
        if i < first:
            continue
        for blk in page.get_text("dict")["blocks"]:
            for line in blk.get("lines", []):
                for span in line["spans"]:
                    x0, y0, x1, y1 = span["bbox"]
                    if "Helvetica" in span["font"] or not span["text"].strip() or span["size"] > b.pt + 1:
                        continue
                    if (y0 < top < y1 - 2) or (y0 + 2 < bottom < y1):
                        out.append(
                            f"page {i}: text cut at the body's edge: {span['text']!r} at {round(y0)}-{round(y1)}"
                        )
    return out


def _run(job: dict, out_pdf: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="r_arjs-") as tmp:
        jp, rp = Path(tmp) / "job.json", Path(tmp) / "result.json"
        jp.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        try:
            proc = subprocess.run(
                ["node", str(JS), str(jp), str(out_pdf), str(rp)],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                env=_env(),
            )
        except subprocess.TimeoutExpired as e:
            raise RuntimeError(f"ActiveReportsJS did not return in {TIMEOUT} s") from e
        if proc.returncode or not rp.exists():
            raise RuntimeError(f"ActiveReportsJS failed: {(proc.stdout + proc.stderr).strip()[-3000:]}")
        return json.loads(rp.read_text(encoding="utf-8"))


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (slides: KPI rows per slide)."""
    import pymupdf

    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    tool_version()
    out_pdf = Path(out_pdf)
    max_rows = int(opts.get("max_rows", st["max_rows"]))
    problems: list[str] = []
    res: dict = {}
    runs_ = 0
    for _ in range(30):
        b = Builder(deck, opts)
        job = {
            "def": b.definition(99 if opts["flow"] else max_rows),
            "fonts": [{"name": b.face, "file": face_file(opts["font"])}],
            "embed": True,
            "pdf": {"info": {"title": f"{deck.org}策略地圖與平衡計分卡", "author": deck.short}, "pdfVersion": "1.7"},
        }
        runs_ += 1
        res = _run(job, out_pdf)
        if not opts["flow"]:
            slides = sum(len(chunk(theme_rows(deck, t), max_rows)) for t in deck.themes)
            want = 3 + slides + (1 if opts["closing"] else 0)
            if len(pymupdf.open(str(out_pdf))) > want:
                if max_rows > 1:
                    max_rows -= 1
                elif opts["font_pt"] > 6:
                    opts["font_pt"] -= 1
                else:
                    raise RuntimeError("a single KPI row does not fit on a slide")
                continue
        try:
            find_pages(out_pdf, deck)
        except ValueError as e:
            problems = [f"split: {e}"]
        else:
            problems = check(out_pdf, deck) + _cut_text(out_pdf, b, 4)
        # a row split between two pages (cut at the body's edge, or its last lines missing from the KPI's page):
        # rows kept together; on a slide the engine clips a row at the page foot instead of carrying it over (the
        # page count stays, the text is lost): one KPI fewer a slide; then smaller type
        if problems and (opts["flow"] or any("cut at" in p for p in problems)) and not opts["keep_rows"]:
            opts["keep_rows"] = opts["orphan_guard"] = True
            continue
        if problems and opts["turn"] in ("angle", "writing"):  # a turned label's run loses text of its rows
            opts["turn"] = "stack"
            continue
        if problems and not opts["flow"] and max_rows > 1 and opts.get("rows_cut", 0) < 2:
            max_rows -= 1
            opts["rows_cut"] = opts.get("rows_cut", 0) + 1
            continue
        if problems and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        break
    else:
        raise RuntimeError("no layout found")
    if problems:
        out_pdf.unlink(missing_ok=True)
        raise RuntimeError(f"{deck.stem}: the drawn deck still has problems: {problems}")
    if not opts["flow"]:
        opts["max_rows"] = max_rows
    opts["closing"] = bool(opts["closing"] and not opts["flow"])  # a paginated document has no closing slide
    opts["runs"] = runs_
    opts["console"] = sorted(set(res.get("messages", [])))[:5]
    opts["problems"] = problems
    return opts
