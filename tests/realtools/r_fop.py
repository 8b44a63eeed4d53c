"""Apache FOP renderer: the deck written as XSL-FO and typeset by FOP (Java), as XML/XSLT report chains do.

FOP breaks CJK lines by its own UAX #14 rules (never inside a digit run, which then sticks out of a
narrow cell), splits fo:tables over pages itself (header repeated, or not with table-omit-header-at-break)
and, unless the label is kept together, splits a row-spanning 構面/策略目標 label over the break ('BL1' at
the foot of one page, its name at the head of the next); labels turn with reference-orientation.  FOP
embeds one CID subset of the configured TrueType or CFF face for the whole deck, with a faithful ToUnicode,
except with complex scripts on and a CFF face (Noto): then glyphs read as Kangxi/Supplement radicals (面 as
U+2FAF) and digits after a full-width sign as Private Use code points, so CFF faces are run with -nocs.
"""

from __future__ import annotations

import random
import re
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import pymupdf

from .fonts import TRUETYPE, face_file, printable
from .layout import Col, Row, chunk, columns, continues, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

PAPER = {"16:9": ("254mm", "142.875mm"), "4:3": ("254mm", "190.5mm"), "A4L": ("297mm", "210mm")}
BLUE = "#1f3a68"
FOOT = '<fo:static-content flow-name="xsl-region-after"><fo:block text-align="end" font-size="8pt">- '
FOOT += "<fo:page-number/> -</fo:block></fo:static-content>"


def tool_version(engine: str | None = None) -> str:
    out = subprocess.run(["fop", "-version"], capture_output=True, text=True, timeout=120)
    lines = [x for x in (out.stdout + out.stderr).splitlines() if "FOP" in x and "warning" not in x]
    return lines[0].strip() if lines else "Apache FOP (unknown version)"


def producer_options(rng: random.Random, style: dict) -> dict:
    """Flow decks (FOP breaks each theme's table itself) lean to small pages and report-sized type."""
    flow = rng.random() < 0.5
    return {
        "mode": "flow" if flow else "slides",
        "page": rng.choice(["16:9", "16:9", "4:3"]) if flow else style["page"],
        "font_pt": max(style["font_pt"], rng.choice([10, 11, 12])) if flow else style["font_pt"],
        "repeat_header": rng.random() < 0.6,
        "fit": rng.random() < 0.7,
        "page_numbers": rng.random() < 0.7,
        "complex_scripts": rng.random() < 0.5,
        "padding_pt": rng.choice([1.5, 2, 3]),
        "keep_labels": rng.random() < 0.5,
    }


class Fo:
    """Builds the FO text for one deck."""

    def __init__(self, deck: Deck, opts: dict) -> None:
        self.d, self.o, self.st = deck, opts, deck.style
        self.fam, self.pt = opts["font"], opts["font_pt"]
        self.rules = opts["rules"]

    def t(self, s: str) -> str:
        return escape(printable(s, self.fam))

    def blocks(self, s: str, attrs: str = "") -> str:
        return "".join(f"<fo:block{attrs}>{self.t(line)}</fo:block>" for line in s.split("\n"))

    def seq(self, body: str) -> str:
        foot = FOOT if self.o.get("page_numbers") else ""
        return (
            f'<fo:page-sequence master-reference="slide" font-family="CJK">{foot}<fo:flow '
            f'flow-name="xsl-region-body" font-size="{self.pt}pt">{body}</fo:flow></fo:page-sequence>'
        )

    def cell(self, inner: str, attrs: str = "", header: bool = False) -> str:
        """A table cell with the rule style's borders: grid, bottom rules, header rule only (zebra), none."""
        a = f' padding="{self.o.get("padding_pt", 2)}pt"{attrs}'
        if self.rules == "grid":
            a += ' border="0.5pt solid #444444"'
        elif self.rules == "hrules" or (self.rules == "zebra" and header):
            a += f' border-bottom="{"1pt" if header else "0.5pt"} solid #444444"'
        return f"<fo:table-cell{a}>{inner}</fo:table-cell>"

    def header(self, cols: list[Col]) -> str:
        fill = ' background-color="#dce6f2"' if self.rules != "none" else ""

        def h(text: str, span: str = "") -> str:
            blk = self.blocks(text, ' text-align="center" font-weight="bold"')
            return self.cell(blk, f'{span}{fill} display-align="center"', header=True)

        two, top, low = self.st["year_header"] == "two_row", [], []
        for j, c in enumerate(cols):  # two-row year header: a group label over its year sub-labels
            if not (two and c.group):
                top.append(h(c.label, ' number-rows-spanned="2"' if two else ""))
                continue
            if j == 0 or cols[j - 1].group != c.group:
                n = next((k for k in range(j, len(cols)) if cols[k].group != c.group), len(cols)) - j
                top.append(h(c.group, f' number-columns-spanned="{n}"'))
            low.append(h(c.sub or ""))
        return "".join(f"<fo:table-row>{''.join(r)}</fo:table-row>" for r in ([top, low] if two else [top]))

    def persp(self, text: str) -> str:
        mode = self.st["persp_mode"]
        if mode == "rotated":  # turned 90 degrees counter-clockwise, one line as long as the label
            length = len(text) * self.pt * 1.15 + 4
            return (
                f'<fo:block-container reference-orientation="90" inline-progression-dimension="{length:.1f}pt">'
                f'<fo:block text-align="center">{self.t(text)}</fo:block></fo:block-container>'
            )
        return self.blocks("\n".join(text) if mode == "stacked" else text, ' text-align="center"')

    def body(self, rows: list[Row], prev: list[Row], cols: list[Col]) -> str:
        st = self.st
        spans = {key: dict(runs(rows, key)) for key in ("persp", "obj")}
        covered = {(i, key) for key in spans for s, n in spans[key].items() for i in range(s + 1, s + n)}
        align = f' text-align="{"center" if st["halign"] == "center" else "start"}"'
        va = ' display-align="center"' if st["valign"] == "middle" else ""
        out = []
        for i, r in enumerate(rows):
            if r.kind == "band":  # kept with the next row, so a band never ends a page
                fill = ' background-color="#c9d9ec"' if self.rules != "none" else ""
                label = self.blocks(r.cells["band"], ' font-weight="bold"')
                band = self.cell(label, f' number-columns-spanned="{len(cols)}"{fill}')
                out.append(f'<fo:table-row keep-with-next.within-page="always">{band}</fo:table-row>')
                continue
            zebra = ' background-color="#eef2f7"' if self.rules == "zebra" and i % 2 else ""
            cells = []
            for c in cols:
                if (i, c.id) in covered:
                    continue
                text = r.cells.get(c.id, "")
                if c.id not in spans:
                    cells.append(self.cell(self.blocks(text, align), va + zebra))
                    continue
                if i == 0 and st["blank_cont"] and continues(prev, r, c.id):
                    text = ""
                inner = self.persp(text) if c.id == "persp" and text else self.blocks(text, align)
                if self.o.get("keep_labels"):  # else FOP splits a spanning label over a page break
                    inner = f'<fo:block keep-together.within-page="always">{inner}</fo:block>'
                cells.append(self.cell(inner, f' number-rows-spanned="{spans[c.id][i]}" display-align="center"{zebra}'))
            out.append(f'<fo:table-row keep-together.within-page="always">{"".join(cells)}</fo:table-row>')
        return "".join(out)

    def table(self, title: str, rows: list[Row], prev: list[Row], cols: list[Col]) -> str:
        logo, just = "", ""
        if self.st["logo"]:  # pushed to the right margin by a space leader
            just = ' text-align-last="justify"'
            logo = f'<fo:leader/><fo:inline font-size="12pt" border="1pt solid {BLUE}" padding="2pt">'
            logo += f"{self.t(self.d.short)}</fo:inline>"
        omit = "false" if self.o.get("repeat_header", True) else "true"
        colspec = "".join(f'<fo:table-column column-width="proportional-column-width({c.weight})"/>' for c in cols)
        return (
            f'<fo:block font-size="16pt" font-weight="bold" color="{BLUE}" space-after="3mm"{just}>'
            f'{self.t(title)}{logo}</fo:block><fo:table table-layout="fixed" width="100%" '
            f'border-collapse="collapse" table-omit-header-at-break="{omit}">{colspec}'
            f"<fo:table-header>{self.header(cols)}</fo:table-header>"
            f"<fo:table-body>{self.body(rows, prev, cols)}</fo:table-body></fo:table>"
        )

    def document(self) -> str:
        d = self.d
        pw, ph = PAPER[self.o["page"]]
        big = '<fo:block-container height="60%" display-align="center">{}</fo:block-container>'
        ctr = ' text-align="center" font-weight="bold" space-before="6mm" font-size='
        seqs = [
            self.seq(
                big.format(self.blocks(d.org, ctr + '"30pt"') + self.blocks("策略地圖與平衡計分卡", ctr + '"26pt"'))
            ),
            self.seq(
                self.blocks(f"{d.org}轄區概況", f' font-size="20pt" color="{BLUE}" space-after="6mm"')
                + "".join(self.blocks(x, ' font-size="14pt" space-after="4mm"') for x in d.profile_lines)
            ),
        ]
        mp = [
            f'<fo:block font-size="18pt" color="{BLUE}" text-align-last="justify" space-after="5mm">'
            f'{self.t(d.org)}策略地圖<fo:leader leader-pattern="space"/>{d.map_date}</fo:block>'
        ]
        for p in BSC_ORDER:  # a perspective badge, then its objectives as framed boxes
            objs = [o.shown for t in d.themes for o in t.objectives if o.perspective == p]
            box = '<fo:inline border="1pt solid {}" padding="3pt" background-color="{}" color="{}">{}</fo:inline>'
            boxes = [box.format(BLUE, "white", "black", self.t(o)) for o in objs]
            if objs:
                boxes.insert(0, box.format(BLUE, BLUE, "white", f"{p}構面"))
                mp.append(
                    f'<fo:block font-size="11pt" line-height="2.2" space-after="3mm">{" ".join(boxes)}</fo:block>'
                )
        seqs.append(self.seq("".join(mp)))
        cols = columns(d)
        for t in d.themes:
            rows = theme_rows(d, t)
            parts = [rows] if self.o["mode"] == "flow" else chunk(rows, int(self.o["max_rows"]))
            for i, part in enumerate(parts):
                title = theme_title(d, t, i + 1, len(parts))
                seqs.append(self.seq(self.table(title, part, parts[i - 1] if i else [], cols)))
        seqs.append(self.seq(big.format(self.blocks("敬請指教", ctr + '"36pt"'))))
        return (
            '<?xml version="1.0" encoding="utf-8"?><fo:root xmlns:fo="http://www.w3.org/1999/XSL/Format" '
            'xml:lang="zh-TW"><fo:layout-master-set>'
            f'<fo:simple-page-master master-name="slide" page-width="{pw}" page-height="{ph}" margin-left="9mm" '
            'margin-right="9mm" margin-top="8mm" margin-bottom="5mm"><fo:region-body margin-bottom="7mm"/>'
            '<fo:region-after extent="5mm"/></fo:simple-page-master></fo:layout-master-set>'
            + "".join(seqs)
            + "</fo:root>"
        )


def config(family: str) -> str:
    """FOP configuration registering the deck face (normal and bold) as 'CJK', embedded as a subset."""
    url = Path(face_file(family)).as_uri()
    trip = "".join(f'<font-triplet name="CJK" style="normal" weight="{w}"/>' for w in ("normal", "bold"))
    return (
        '<fop version="1.0"><renderers><renderer mime="application/pdf"><fonts>'
        f'<font embed-url="{url}" kerning="yes" embedding-mode="subset">{trip}</font>'
        "</fonts></renderer></renderers></fop>"
    )


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: font, page, font_pt, rules, mode (slides|flow), repeat_header, fit (slides: fewer rows per
    slide until every part fits one page), page_numbers, complex_scripts, padding_pt, keep_labels, max_rows.
    The type is made smaller while FOP reports a line wider than its cell (digit runs do not break)."""
    from .layout import check, find_pages

    st = deck.style
    opts = dict(options or {})
    for key in ("font", "page", "font_pt", "rules"):
        opts.setdefault(key, st[key])
    opts.setdefault("mode", "slides")
    cs = opts["complex_scripts"] = bool(opts.get("complex_scripts")) and opts["font"] in TRUETYPE
    rows = int(opts.get("max_rows", st["max_rows"]))

    def parts(n: int) -> int:  # table pages the deck should have in slides mode (plus 4 other pages)
        return sum(len(chunk(theme_rows(deck, t), n)) for t in deck.themes)

    while True:
        opts["max_rows"] = rows
        with tempfile.TemporaryDirectory() as tmp:
            fo, conf = Path(tmp) / "deck.fo", Path(tmp) / "fop.xconf"
            fo.write_text(Fo(deck, opts).document(), encoding="utf-8")
            conf.write_text(config(opts["font"]), encoding="utf-8")
            cmd = ["fop", "-q", "-c", str(conf), *([] if cs else ["-nocs"]), "-fo", str(fo), "-pdf", str(out_pdf)]
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
            if proc.returncode:
                raise RuntimeError("fop: " + " ".join(x for x in proc.stderr.splitlines() if "ERROR" in x)[:2000])
        wide = max(map(int, re.findall(r"inline-progression direction by (\d+) millipoints", proc.stderr)), default=0)
        if wide > 500 and opts["font_pt"] > 6:
            opts["font_pt"] -= 1  # a number FOP cannot break runs out of its cell: smaller type
        elif (
            opts["mode"] == "slides"
            and opts.get("fit")
            and rows > 1
            and len(pymupdf.open(str(out_pdf))) > 4 + parts(rows)
        ):
            rows -= 1
        else:
            break
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts
