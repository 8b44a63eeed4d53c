"""WebKitGTK renderer: the deck as an HTML page printed by WebKitGTK, as GNOME Web (Epiphany) and other GTK apps
print a page with 'Print to File' as PDF.  The page is loaded in a `WebKit2.WebView` (PyGObject, WebKit2 4.1 API)
and printed with `WebKit2.PrintOperation` through GTK's print-to-file backend, by a small driver
(r_webkitgtk_driver.py) run with the system python3 under `xvfb-run -a` (the driver takes the deck's pages one
JSON job a line, so one WebView per deck).  Pinned in WEBKITGTK (checked by tool_version against the WebKit
the driver loads).

Printing: `Gtk.PrintSettings` (printer 'Print to File', output-file-format pdf, output-uri, scale) and a
`Gtk.PageSetup` (paper: a named GTK paper `iso_a4` with orientation, or a custom size in mm; margins), as the GTK
print dialog would leave them; WebKit's 'print-backgrounds' setting on or off (off: no cell, header, zebra or band
fills at all).  GTK's own page headers are not printed (that is Epiphany's business): a running title and page
numbers, where a deck has them, are in the page's HTML.

Slides: fixed-size sections with `break-after: page`, each theme's table cut into slides of `max_rows` KPI rows,
the budget lowered (then the type made smaller) until the PDF has one page per slide.  Flow: one table per theme
that WebKit paginates itself, themes starting a page or following on; a KPI row not whole on one page makes the
theme's table cut before it (a new table after `break-before: page`), a row taller than a page makes the type
smaller.

Tables, fonts, furniture: r_firefox's HTML (Builder: html_common's header rows, `<col>` widths under
`table-layout: fixed`, rowspan 構面/策略目標 cells or repeated blank ones, grid / horizontal rules / none /
zebra by `nth-child` or a class, header fills, 構面 labels turned by `writing-mode: vertical-rl` (upright
ideographs top to bottom), `sideways-lr` (turned, bottom to top) or a `transform: rotate(-90deg)` block, or stacked;
a face of fonts.py by fontconfig name or `@font-face`; running title, '- n -' / 'n / N' / '第 n 頁' footers on
slides, a '內部資料' watermark, pale or with opacity), with the CSS WebKit needs.

QUIRKS found (WebKitGTK 2.50.6, GTK 3.24.38):
- The PDF is written by Skia's PDF backend ('Skia/PDF m139' as Producer, as Chromium's): TrueType faces as
  CIDFontType2 Identity-H subsets, but Noto CJK (CFF) and every synthetic bold (headings, header cells, band rows
  in a face without a bold) as Type 3 fonts of glyph outlines (dozens per deck, no images; a UKai deck with
  bold runs to tens of MB).  ToUnicode from the face's cmap reversed: Noto glyphs shared with Kangxi radicals
  read as them (行 ⾏, 面 ⾯, 長 ⻑, 目 ⽬).
- `@page { size }` is ignored (the paper is always GTK's page setup), and so are `@page` margins as an offset
  (they only shorten the page's content), so margins come from the page setup alone.
- WebKit lays a page out at 1 CSS px = 0.8 pt (the paper's width in points times its minimum shrink factor
  1.25) and shrinks wider content to fit, so slides written as wide as the printable area in pt print at the
  usual 0.75 pt/px.  The GTK scale (the dialog's 'Scale' %) shrinks the drawing from the top left corner without
  laying the page out wider: a 90 % print leaves a blank strip on the right, and pages are cut at the printable
  height divided by the scale.  Fixed-height slides then overrun their pages (a slide's end lands on the next
  page), and in a flowing document a `break-before: page` theme starts mid-page (the break falls where the
  unscaled page would end), so only flowing documents are printed at a scale, and those without a watermark.
- `<thead>` is not repeated on the pages a table breaks onto (WebKit's long-standing printing gap): a continued
  table starts with its next body row (repeat_header only chooses `<thead>` or header rows in a `<tbody>`).
  `break-inside: avoid` on rows is not kept everywhere: a tall row is cut at the page foot, its lines drawn on
  both pages where they straddle the cut; such a theme's table is cut before the row instead (split_before).
- A `writing-mode: vertical-rl` block in a table cell gets the one-row height of the cell and wraps the label
  one character per column, the columns set side by side over the next cell; the author keeps it on one line
  (`white-space: nowrap`, inline-block), as one would after looking at the printout.
- A `position: fixed` block (r_firefox's watermark in flowing documents, which Gecko prints on every page) is
  printed once, where it falls in the document as one long page, possibly across a page break (text outside
  the page); the watermark goes into every theme's section instead, near its top, and each theme starts a page
  (a section following on near a page foot would carry its watermark over the break).
- print-backgrounds off (WebKit's setting, Epiphany's 'Print backgrounds') drops every fill: zebra rows and
  header fills vanish, leaving the rules.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import tempfile
from collections import Counter
from functools import cache
from pathlib import Path

from .fonts import TRUETYPE
from .layout import _code_re, check, find_pages, theme_rows
from .r_firefox import MM, Builder, _table_pages
from .r_firefox import _first_split as ff_first_split
from .spec import Deck, Kpi, fold

WEBKITGTK = "2.50.6"  # Debian 12's libwebkit2gtk-4.1-0 (README, Setup); checked by tool_version
DRIVER = Path(__file__).with_name("r_webkitgtk_driver.py")
PYTHON = os.environ.get("REALTOOLS_WEBKITGTK_PYTHON", "/usr/bin/python3")


def _dpkg(pkg: str) -> str:
    out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True)
    return out.stdout.strip() or "?"


class Driver:
    """One xvfb-run'd driver process (one WebView) for the printings of a deck."""

    def __init__(self, tmp: Path) -> None:
        env = {
            **os.environ,
            "HOME": str(tmp),
            "XDG_RUNTIME_DIR": str(tmp),
            "XDG_CACHE_HOME": str(tmp / "cache"),
            "XDG_DATA_HOME": str(tmp / "data"),
            "WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS": "1",
            "WEBKIT_DISABLE_COMPOSITING_MODE": "1",
            "NO_AT_BRIDGE": "1",
            "GTK_A11Y": "none",
        }
        self.err = open(tmp / "driver.log", "wb")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(
            ["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24", PYTHON, str(DRIVER)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err, env=env, text=True,
            start_new_session=True,
        )  # fmt: skip
        self.hello = self._read()
        if not self.hello.get("ready"):
            self.close()
            raise RuntimeError(f"WebKitGTK driver did not start: {self.hello}")

    def _read(self) -> dict:
        assert self.proc.stdout
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"WebKitGTK driver exited ({self.proc.poll()}); see driver.log")
        return json.loads(line)

    def print_pdf(self, job: dict) -> None:
        assert self.proc.stdin
        out = Path(job["out"])
        if out.exists():
            out.unlink()
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        res = self._read()
        if not res.get("ok") or not out.exists():
            raise RuntimeError(f"WebKitGTK print failed: {res}")

    def close(self) -> None:
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # Xvfb and WebKit's web processes left behind
        self.proc.wait()
        self.err.close()


@cache
def tool_version(engine: str | None = None) -> str:
    with tempfile.TemporaryDirectory(prefix="webkitgtk-") as tmp:
        try:
            d = Driver(Path(tmp))
        except (OSError, RuntimeError) as e:
            raise RuntimeError(
                f"WebKitGTK is not usable ({e}): apt-get install -y gir1.2-webkit2-4.1 python3-gi xvfb xauth"
            ) from e
        d.close()
    if d.hello.get("webkit") != WEBKITGTK:
        raise RuntimeError(f"WebKitGTK {WEBKITGTK} is not installed (the driver loads {d.hello.get('webkit')})")
    return (
        f"WebKitGTK {d.hello['webkit']} (libwebkit2gtk-4.1-0 {_dpkg('libwebkit2gtk-4.1-0')}), "
        f"GTK {d.hello['gtk']} print-to-file"
    )


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.4
    page = (
        rng.choice(["A4L", "A4L", "A4"])
        if flow
        else rng.choice([style["page"], "16:9s"])
        if style["page"] == "16:9"
        else style["page"]
    )
    # A4 goes as GTK's named paper with an orientation (the dialog's default), slides as a custom size
    paper = rng.choice(["named", "named", "custom"]) if page in ("A4", "A4L") else "custom"
    margin = rng.choice([0, 0, 6.35, 10]) if not flow else rng.choice([6.35, 10, 12.7, 15])
    face = style["font"]
    if rng.random() < 0.15:
        face = "AR PL UKai TW"
    font_by = "webfont" if face not in TRUETYPE else rng.choice(["system", "system", "webfont"])
    o = {
        "flow": flow,
        "page": page,
        "paper": paper,
        "page_by": rng.choice(["css", "settings"]),
        "margin_mm": margin,
        "margin_by": "settings",
        "scale": rng.choice([100, 100, 90, 80]) if flow else 100,
        "scale_mode": "fit",
        "background": rng.random() < 0.75,
        "font_pt": max(style["font_pt"], rng.choice([8, 9, 10])) if flow else style["font_pt"],
        "face": face,
        "font_by": font_by,
        "web_bold": rng.choice(["synthetic", "same"]) if font_by == "webfont" else None,
        "wrap": rng.choice(["break-all", "anywhere"]),
        "rule_px": rng.choice([1, 1, 0.5, 1.5]),
        "rule_color": rng.choice(["#555", "#000", "#888"]),
        "header_fill": style["rules"] != "none" and rng.random() < 0.8,
        "zebra_css": rng.choice(["nth-child", "class"]),
        "padding_px": rng.choice([2, 3, 4]),
        "rotate_css": rng.choice(["vertical-rl", "sideways-lr", "transform"]),
        "spans": rng.random() < 0.8,
        "repeat_header": rng.random() < 0.8,
        # a watermark goes into each theme's section (see QUIRKS), which then starts a page
        "theme_break": (rng.random() < 0.5 or bool(style.get("watermark"))) if flow else True,
        "page_header": not flow and rng.random() < 0.3,
        "footer": rng.choice([None, None, "dash", "n_of_m", "zh"]) if not flow else None,
        "watermark": rng.choice(["pale", "opacity"]) if style.get("watermark") else None,
    }
    if o["watermark"]:  # scaled, WebKit's forced breaks fall mid-page and a section's watermark may straddle one
        o["scale"] = 100
    return o


class WebKitBuilder(Builder):
    """r_firefox's page, sized for the printable area at the print scale."""

    def __init__(self, deck: Deck, opts: dict, tmp: Path) -> None:
        super().__init__(deck, opts, tmp)
        # at a print scale below 100 %, WebKit lays the document out at the printable width still but cuts pages
        # of the printable height divided by the scale, then draws them scaled from the top left corner: the
        # content takes the scale's share of the paper's width, a page holds more rows, the right strip is blank
        self.k = 1.0
        if opts["scale"] != 100:  # slides at a scale overrun their pages (see QUIRKS): flow documents only
            self.ch = self.ch * 100.0 / float(opts["scale"])

    def css(self) -> str:
        # a vertical-rl block in a table cell gets the cell's (one row) height from WebKit and wraps the label
        # into one column per character, side by side over the next column: the author keeps it on one line
        css = super().css() + ".rot { white-space: nowrap; display: inline-block }\n"
        if self.o["flow"]:  # the watermark in each theme's section, near its top
            css += "section.flow { position: relative } section.flow .wm { position: absolute; top: 60pt }\n"
        return css

    def flow(self, cuts: dict[str, set[int]]) -> str:
        """r_firefox's flowing document, the watermark in every theme section: WebKit prints a `position: fixed`
        block once, where it falls in the document laid out as one long page (it may straddle a page break)."""
        body = super().flow(cuts)
        if self.o["watermark"]:
            body = body.removesuffix('<div class="wm">內部資料</div>')
            body = body.replace("</section>", '<div class="wm">內部資料</div></section>')
            body = body.replace('<div class="wm">內部資料</div></section>', "</section>", len(self.front()))
        return body


def _first_split(pdf: Path, deck: Deck) -> Kpi | None:
    """r_firefox's test (the first KPI whose code is on no page or on several, or whose characters are not all on
    its page), with the characters of all the KPIs of a page counted together, as layout.check does: a plan cut at
    the page foot may find its characters in another row of the same page."""
    k = ff_first_split(pdf, deck)
    if k is not None:
        return k
    pages = _table_pages(pdf)
    have = {i: Counter(compact) for i, _, compact in pages}
    need: dict[int, Counter] = {}
    for _, _, k in deck.kpis():
        rx = _code_re(k.code)
        page = next(i for i, words, c in pages if any(rx.search(fold(w)) for w in words) or rx.search(c))
        text = k.shown + "".join(v.text for v in k.values) + "".join(p.shown for p in k.plans) + k.code
        need.setdefault(page, Counter()).update("".join(fold(text).split()))
        if need[page] - have[page]:
            return k
    return None


def _job(b: WebKitBuilder, html: Path, out_pdf: Path) -> dict:
    o = b.o
    w, h = b.W / MM, b.H / MM
    landscape = w > h
    job = {
        "html": str(html),
        "out": str(out_pdf),
        "w_mm": round(min(w, h), 3),
        "h_mm": round(max(w, h), 3),
        "landscape": landscape,
        "margins_mm": [o["margin_mm"]] * 4,
        "scale": o["scale"],
        "backgrounds": o["background"],
        "paper": "iso_a4" if o["paper"] == "named" else None,
    }
    return job


def _print(drv: Driver, b: WebKitBuilder, body: str, out_pdf: Path) -> None:
    page = b.tmp / "deck.html"
    page.write_text(b.document(body), encoding="utf-8")
    if os.environ.get("REALTOOLS_KEEP_HTML"):  # a look at the page printed last
        shutil.copy(page, out_pdf.with_suffix(".html"))
    drv.print_pdf(_job(b, page, out_pdf))


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows.  Slides: the row budget is lowered (then the type made
    smaller) until the PDF has one page per slide.  Flow: a KPI row not whole on one page makes the theme's table
    split before it; a row taller than a page makes the type smaller."""
    import pymupdf

    tool_version()
    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    out_pdf = Path(out_pdf).absolute()
    flow = opts["flow"]
    cuts: dict[str, set[int]] = {}
    with tempfile.TemporaryDirectory(prefix="webkitgtk-") as tmp:
        drv = Driver(Path(tmp))
        try:
            for _ in range(60):
                b = WebKitBuilder(deck, opts, Path(tmp))
                if flow:
                    _print(drv, b, b.flow(cuts), out_pdf)
                    k = _first_split(out_pdf, deck)
                    if k is None:
                        break
                    t = next(t for t in deck.themes if any(k is x for o in t.objectives for x in o.kpis))
                    rows = theme_rows(deck, t)
                    i = next(j for j, r in enumerate(rows) if r.kpi is k)
                    lead = i - 1 if i and rows[i - 1].kind == "band" else i
                    if lead in cuts.get(t.letter, set()) or lead == 0:
                        if opts["font_pt"] <= 6:
                            raise RuntimeError(f"{deck.stem}: KPI {k.code} is not whole on one page even in 6 pt")
                        opts["font_pt"] -= 1
                        cuts = {}
                        continue
                    cuts.setdefault(t.letter, set()).add(lead)
                    continue
                body, want = b.slides(int(opts["max_rows"]))
                _print(drv, b, body, out_pdf)
                if len(pymupdf.open(str(out_pdf))) == want:
                    break
                if opts["max_rows"] > 1:
                    opts["max_rows"] -= 1
                elif opts["font_pt"] > 6:
                    opts["font_pt"] -= 1
                else:
                    raise RuntimeError(f"{deck.stem}: a table does not fit a slide even in 6 pt type")
            else:
                raise RuntimeError(f"{deck.stem}: no printing fits")
        finally:
            drv.close()
    if flow:
        opts.pop("max_rows")
        opts["split_before"] = {k: sorted(v) for k, v in sorted(cuts.items())}
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts


def _main() -> None:  # pragma: no cover - a quick look: python -m tests.realtools.r_webkitgtk OUT.pdf [seed] [json]
    import sys

    from .spec import Office

    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = random.Random(seed)
    deck = Office(seed, "t").deck(112, "t", style_seed=seed)
    opts = producer_options(rng, deck.style)
    if len(sys.argv) > 3:
        opts.update(json.loads(sys.argv[3]))
    used = render(deck, sys.argv[1], opts)
    print(json.dumps(used, ensure_ascii=False, indent=1), re.sub(r"\s+", " ", json.dumps(deck.style))[:300])


if __name__ == "__main__":
    _main()
