"""Firefox renderer: the deck as an HTML page printed to PDF by Firefox (Gecko layout, PDF written through cairo), as
office staff do when they print a web page or an HTML report from Firefox.  Debian 12's firefox-esr (pinned in
FIREFOX, checked by tool_version), run headless with a fresh profile and driven over Marionette, Firefox's own
remote protocol (length-prefixed JSON over TCP, spoken by the small client below; `-remote-allow-system-access` for
the chrome context).  One Firefox process per deck, reused for the reprints of that deck, its process group killed
when done or on failure.

Printing: either `WebDriver:Print` (print 'webdriver': paper size, margins, orientation, shrinkToFit, background;
Firefox's own page header and footer blank), or a script in the browser's chrome context that does what the Save to
PDF dialog does (print 'dialog': `nsIPrintSettings` written to a file, with the header and footer strings the user
left on: '&T' title and '&U' address at the top, '&PT' ('1 of 5') and '&D' (date and time) at the foot, in the page
margins).  Both set `usePageRuleSizeAsPaperSize`, so an `@page { size }` rule wins over the paper chosen (page_by
'css'); without one the paper is the print settings' (page_by 'settings': A4 with orientation landscape, or a custom
size).  `@page` margins win over the settings' margins.  Backgrounds (fills: header cells, zebra rows, band rows,
the 構面 boxes) print only when 'Print backgrounds' is on (background); off, a zebra deck prints with no fills at
all (the header's rule alone).  shrinkToFit scales the whole document by one factor so that its widest page fits
the paper's width: slides written 960 px wide on a paper with margins print scaled down (scale_mode 'shrink'),
or the author sizes them to the printable area (scale_mode 'fit').

Slides: fixed-size sections with `break-after: page`, each theme's table cut into slides of `max_rows` KPI rows,
the budget lowered (then the type made smaller) until the PDF has one page per slide.  Flow: one table per theme
that Firefox paginates itself, themes starting a page or following on; `<thead>` rows repeat on every page
(repeat_header; else the header rows are body rows printed once); with `break-inside: avoid` on `tr` Gecko moves a
row that does not fit to the next page whole, and a rowspan cell broken over two pages prints its label on the
first page only (the continued rows have an empty cell there).  Should a KPI row still not be whole on one page,
the theme's table is cut before it (a new table after `break-before: page`, split_before; none seen so far), and a
row taller than a page makes the type smaller.  Values in narrow columns break inside numbers ('1,255,2' / '08元')
under break-all/anywhere.

Tables: html_common's header rows (a two-row 實際值/目標值 header with colspan), `<col>` widths from the deck's
weights under `table-layout: fixed`, rowspan 構面/策略目標 cells (or repeated blank ones); rules as collapsed CSS
borders (grid, horizontal rules, a rule under the header, none) in a chosen width and colour; zebra by
`nth-child(even)` or a class; header fills; 構面 labels turned by `writing-mode: vertical-rl` (upright ideographs
set top to bottom), `writing-mode: sideways-lr` (turned, read bottom to top), or a `transform: rotate(-90deg)`
nowrap block in a cell given its height (a transform does not change the layout), stacked one character per line,
or band rows.  CJK breaking by `word-break: break-all` or `overflow-wrap: anywhere` (Gecko breaks between
ideographs anyway; these also cut codes and Latin runs).

Fonts: one face of fonts.py, by family name through fontconfig (system) or as a web font (`@font-face` from the
single-face file next to the page). Quirk: cairo names and maps a face of a system .ttc collection by the
collection's first face, so Noto CJK TC from Debian's NotoSansCJK-Regular.ttc is written as 'NotoSansCJKjp' with a
ToUnicode giving U+FFFD for most Traditional glyphs (those the first face's cmap does not reach); such decks would
fail layout.check, so Noto faces always go as web fonts (the single TC face: ToUnicode correct, but a glyph shared
with a radical or compatibility code point reads as that: 行 ⾏, 面 ⾯, 民 ⺠, 長 ⻑), and the profile's default fonts
(prefs font.name.*) are a TrueType face, so Firefox's own header/footer and fallback glyphs do not land in Noto. The
AR PL faces of uming.ttc/ukai.ttc print fine by name (the subset named after the collection's first face,
'UMingCN'). ASCII goes to a separate simple TrueType WinAnsi subset of the same face, CJK to a CIDFontType2 (or, for
Noto, CIDFontType0C) Identity-H subset; one face is written as several subsets. Bold text (headings, header cells,
band rows) in a face without a bold (the system TrueType faces, a web font without a bold face) is Gecko's synthetic
bold, which cairo writes as an outline font of its own ('CairoFont-1-1', CIDFontType0C, with a ToUnicode); the
author may declare the web font's file as the bold face too (web_bold 'same'). Characters the face lacks are printed
as their folded ideograph (fonts.printable), so no glyph falls back to a system Noto.

Page furniture: Firefox's header/footer (dialog printing, in the page margins: the page's `<title>`, its file://
address, 'n of m', the date and time of printing), or, on slides, the page's own running header (office,
策略地圖與平衡計分卡) and footer ('- n -' / 'n / N' / '第 n 頁') written into each slide.  (Gecko repeats
`position: fixed` blocks on every printed page but clips them to the page's content area, so a fixed header in the
`@page` margin never shows; flowing documents get Firefox's furniture or none.)  Watermark '內部資料': an absolute
block in each slide, or in flow mode a fixed block, which Gecko prints on every page (cover and closing included),
turned 30 degrees, as pale text or with `opacity`.

Document information: Creator 'Mozilla Firefox 153.8.0', Producer 'cairo 1.18.4 (https://cairographics.org)', the
page's `<title>` as Title.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections import Counter
from functools import cache
from pathlib import Path

from .fonts import TRUETYPE, face_file, printable
from .html_common import esc, header
from .layout import Col, Row, _code_re, check, chunk, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck, Kpi, fold

FIREFOX = "153.8.0esr"  # Debian 12's firefox-esr 153.8.0esr-1~deb12u1 (README, Setup); checked by tool_version
BINARY = os.environ.get("REALTOOLS_FIREFOX", "firefox-esr")
MM = 72 / 25.4
# pages in points: slides (4:3 and 16:9 as PowerPoint's 10 x 7.5 in and 13.33 x 7.5 in, or 16:9 as 10 x 5.625 in,
# html_common's), A4 landscape, and A4 portrait for a flowing report
PAGES = {
    "4:3": (720.0, 540.0),
    "16:9": (960.0, 540.0),
    "16:9s": (720.0, 405.0),
    "A4L": (297 * MM, 210 * MM),
    "A4": (210 * MM, 297 * MM),
}
NAVY = "#1d4f91"
FOOT_TEXT = {"dash": "- {n} -", "n_of_m": "{n} / {m}", "zh": "第 {n} 頁"}
# Firefox's header/footer strings: &T title, &U address, &PT 'n of m', &P n, &D date and time
FF_FURNITURE = {
    "default": {"hl": "&T", "hc": "", "hr": "&U", "fl": "&PT", "fc": "", "fr": "&D"},
    "pages": {"hl": "", "hc": "", "hr": "", "fl": "", "fc": "&PT", "fr": ""},
    "title_pages": {"hl": "&T", "hc": "", "hr": "", "fl": "", "fc": "", "fr": "&PT"},
}
PREFS = {
    "app.update.auto": False,
    "app.update.enabled": False,
    "app.update.checkInstallTime": False,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.page": 0,
    "browser.startup.homepage": "about:blank",
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.aboutwelcome.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.enabled": False,
    "toolkit.telemetry.unified": False,
    "extensions.update.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "network.proxy.type": 0,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "services.settings.server": "http://127.0.0.1:9/",
    "browser.region.network.url": "",
    "media.gmp-manager.url": "http://127.0.0.1:9/",
    "marionette.port": 0,
    "print.save_as_pdf.use_page_rule_size_as_paper_size.enabled": True,
}


def _dpkg(pkg: str) -> str:
    out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True)
    return out.stdout.strip() or "?"


@cache
def tool_version(engine: str | None = None) -> str:
    try:
        out = subprocess.run([BINARY, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except OSError:
        out = ""
    if not out.endswith(FIREFOX):
        raise RuntimeError(f"Firefox {FIREFOX} is not installed ({out or 'none'}): apt-get install -y firefox-esr")
    return f"{out} (firefox-esr {_dpkg('firefox-esr')}), Marionette"


def producer_options(rng: random.Random, style: dict) -> dict:
    flow = rng.random() < 0.35
    via = rng.choice(["webdriver", "dialog"])
    ff_furniture = rng.choice([None, "default", "pages", "title_pages"]) if via == "dialog" else None
    margin = rng.choice([0, 0, 6, 10, 12.7]) if not flow else rng.choice([8, 10, 12.7, 15])
    if ff_furniture:
        margin = max(margin, 10)
    scale_mode = rng.choice(["fit", "shrink"]) if margin and not flow else "fit"
    footer = rng.choice([None, None, "dash", "n_of_m", "zh"]) if not (ff_furniture or flow) else None
    face = style["font"]
    if rng.random() < 0.15:
        face = "AR PL UKai TW"
    font_by = "webfont" if face not in TRUETYPE else rng.choice(["system", "system", "webfont"])
    return {
        "flow": flow,
        "page": rng.choice(["A4L", "A4L", "A4", style["page"]])
        if flow
        else rng.choice([style["page"], "16:9s"])
        if style["page"] == "16:9"
        else style["page"],
        "font_pt": max(style["font_pt"], rng.choice([8, 9, 10])) if flow else style["font_pt"],
        "print": via,
        "page_by": rng.choice(["css", "css", "settings"]),
        "margin_mm": margin,
        "margin_by": rng.choice(["css", "settings"]),
        "scale_mode": scale_mode,
        "shrink_to_fit": scale_mode == "shrink" or rng.random() < 0.7,
        "background": rng.random() < 0.75,
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
        "theme_break": not flow or rng.random() < 0.5,
        "ff_furniture": ff_furniture,
        "page_header": not flow and rng.random() < 0.3,
        "footer": footer,
        "watermark": rng.choice(["pale", "opacity"]) if style.get("watermark") else None,
    }


# --- Marionette ---------------------------------------------------------------------------------------------


class Firefox:
    """One headless Firefox with a fresh profile, spoken to over Marionette."""

    def __init__(self, tmp: Path, default_face: str) -> None:
        self.profile = tmp / "profile"
        self.profile.mkdir()
        prefs = dict(PREFS)
        for lang in ("zh-TW", "x-western", "x-unicode", "ja", "zh-CN"):
            for kind in ("serif", "sans-serif", "monospace"):
                prefs[f"font.name.{kind}.{lang}"] = default_face
        (self.profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items())
        )
        self.log = open(tmp / "firefox.log", "wb")  # noqa: SIM115 - closed in close()
        env = {**os.environ, "MOZ_HEADLESS": "1", "MOZ_CRASHREPORTER_DISABLE": "1", "HOME": str(tmp)}
        self.proc = subprocess.Popen(
            [BINARY, "--headless", "--marionette", "-remote-allow-system-access", "--no-remote", "--profile",
             str(self.profile)],
            stdout=self.log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )  # fmt: skip
        self.sock: socket.socket | None = None
        self.buf, self.msg = b"", 0
        try:
            self._connect()
            self.cmd("WebDriver:NewSession", {"capabilities": {"alwaysMatch": {"pageLoadStrategy": "normal"}}})
        except BaseException:
            self.close()
            raise

    def _connect(self) -> None:
        port_file = self.profile / "MarionetteActivePort"
        deadline = time.time() + 90
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Firefox exited with {self.proc.returncode}")
            if port_file.exists() and port_file.read_text().strip():
                try:
                    self.sock = socket.create_connection(("127.0.0.1", int(port_file.read_text())), timeout=300)
                    self._recv()  # the server's hello
                    return
                except OSError:
                    pass
            time.sleep(0.3)
        raise RuntimeError("Firefox's Marionette server did not start")

    def _recv(self) -> list | dict:
        assert self.sock
        while b":" not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise RuntimeError("Marionette connection closed")
            self.buf += data
        n, rest = self.buf.split(b":", 1)
        size = int(n)
        while len(rest) < size:
            data = self.sock.recv(1 << 20)
            if not data:
                raise RuntimeError("Marionette connection closed")
            rest += data
        self.buf = rest[size:]
        return json.loads(rest[:size])

    def cmd(self, name: str, params: dict | None = None) -> dict:
        assert self.sock
        self.msg += 1
        data = json.dumps([0, self.msg, name, params or {}]).encode()
        self.sock.sendall(str(len(data)).encode() + b":" + data)
        while True:
            r = self._recv()
            if isinstance(r, list) and r[1] == self.msg:
                break
        if r[2]:
            raise RuntimeError(f"Marionette {name}: {r[2].get('error')}: {r[2].get('message')}")
        return r[3]

    def close(self) -> None:
        try:
            if self.sock and self.proc.poll() is None:
                self.sock.settimeout(20)
                self.cmd("Marionette:Quit", {})
        except (OSError, RuntimeError, ValueError):
            pass
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):  # content processes left behind
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        if self.sock:
            self.sock.close()
        self.log.close()

    # --- printing -------------------------------------------------------------------------------------------

    def print_pdf(self, html: Path, out_pdf: Path, o: dict, size: tuple[float, float]) -> None:
        self.cmd("Marionette:SetContext", {"value": "content"})
        self.cmd("WebDriver:Navigate", {"url": html.as_uri()})
        # web fonts loaded before printing (the print is of the laid-out page)
        self.cmd("WebDriver:ExecuteAsyncScript", {"script": "arguments[0](document.fonts.ready.then(() => 1))"})
        w, h = size
        m = o["margin_mm"] if o["margin_by"] == "settings" else 0.0
        if out_pdf.exists():
            out_pdf.unlink()
        if o["print"] == "webdriver":
            landscape = w > h
            page = {"width": (h if landscape else w) / MM / 10, "height": (w if landscape else h) / MM / 10}
            r = self.cmd(
                "WebDriver:Print",
                {
                    "page": page,
                    "orientation": "landscape" if landscape else "portrait",
                    "margin": {k: m / 10 for k in ("top", "bottom", "left", "right")},
                    "background": o["background"],
                    "shrinkToFit": o["scale_mode"] == "shrink" or o["shrink_to_fit"],
                },
            )
            out_pdf.write_bytes(base64.b64decode(r["value"]))
            return
        hf = FF_FURNITURE.get(o["ff_furniture"] or "", {})
        landscape = w > h
        args = {
            "out": str(out_pdf),
            "w": (h if landscape else w) / MM,
            "h": (w if landscape else h) / MM,
            "landscape": landscape,
            "margin": m / 25.4,
            "bg": o["background"],
            "shrink": o["scale_mode"] == "shrink" or o["shrink_to_fit"],
            **{k: hf.get(k, "") for k in ("hl", "hc", "hr", "fl", "fc", "fr")},
        }
        self.cmd("Marionette:SetContext", {"value": "chrome"})
        res = self.cmd("WebDriver:ExecuteAsyncScript", {"script": DIALOG_JS, "args": [args]})
        if res.get("value") != "ok":
            raise RuntimeError(f"Firefox print failed: {res}")
        for _ in range(100):  # the file is written when the print promise resolves; wait for it to be whole
            if out_pdf.exists() and out_pdf.read_bytes().rstrip().endswith(b"%%EOF"):
                return
            time.sleep(0.1)
        raise RuntimeError("Firefox wrote no PDF")


# the Save to PDF dialog's settings, as the print preview would write them (chrome context)
DIALOG_JS = r"""
const [a, resolve] = arguments;
const svc = Cc["@mozilla.org/gfx/printsettings-service;1"].getService(Ci.nsIPrintSettingsService);
const s = svc.createNewPrintSettings();
s.isInitializedFromPrinter = true;
s.isInitializedFromPrefs = true;
s.outputFormat = Ci.nsIPrintSettings.kOutputFormatPDF;
s.printerName = "Mozilla Save to PDF";
s.printSilent = true;
s.paperSizeUnit = Ci.nsIPrintSettings.kPaperSizeMillimeters;
s.paperWidth = a.w;
s.paperHeight = a.h;
s.orientation = a.landscape ? Ci.nsIPrintSettings.kLandscapeOrientation : Ci.nsIPrintSettings.kPortraitOrientation;
s.usePageRuleSizeAsPaperSize = true;
s.marginTop = s.marginBottom = s.marginLeft = s.marginRight = a.margin;
s.unwriteableMarginTop = s.unwriteableMarginBottom = s.unwriteableMarginLeft = s.unwriteableMarginRight = 0;
s.edgeTop = s.edgeBottom = s.edgeLeft = s.edgeRight = 0.1;
s.headerStrLeft = a.hl; s.headerStrCenter = a.hc; s.headerStrRight = a.hr;
s.footerStrLeft = a.fl; s.footerStrCenter = a.fc; s.footerStrRight = a.fr;
s.printBGColors = a.bg;
s.printBGImages = a.bg;
s.shrinkToFit = a.shrink;
s.scaling = 1.0;
s.outputDestination = Ci.nsIPrintSettings.kOutputDestinationFile;
s.toFileName = a.out;
gBrowser.selectedBrowser.browsingContext.print(s).then(() => resolve("ok"), e => resolve("print failed: " + e));
"""


# --- the HTML -----------------------------------------------------------------------------------------------


class Builder:
    """The HTML page of one printing of the deck."""

    def __init__(self, deck: Deck, opts: dict, tmp: Path) -> None:
        self.d, self.o, self.st, self.tmp = deck, opts, deck.style, tmp
        self.W, self.H = PAGES[opts["page"]]
        self.pt = float(opts["font_pt"])
        self.family = opts["face"] if opts["font_by"] == "system" else "deckfont"
        m = opts["margin_mm"] * MM
        self.cw, self.ch = self.W - 2 * m, self.H - 2 * m  # the printable area, pt
        # slides written as wide as the paper and shrunk to the printable width by shrinkToFit
        self.k = self.W / self.cw if opts["scale_mode"] == "shrink" else 1.0

    def ink(self, s: str) -> str:
        return printable(s, self.o["face"])

    def text(self, s: str) -> str:
        return esc(self.ink(s))

    def slide(self, inner: str, n: int, total: int, table: bool = False) -> str:
        o, d = self.o, self.d
        top = ""
        if o["page_header"] and table:
            top = f'<div class="runhead"><span>{self.text(d.org)}</span><span>策略地圖與平衡計分卡</span></div>'
        foot = ""
        if o["footer"] and n > 1 and not o["flow"]:
            foot = f'<div class="runfoot">{FOOT_TEXT[o["footer"]].format(n=n, m=total)}</div>'
        wm = '<div class="wm">內部資料</div>' if o["watermark"] and table else ""
        return f'<section class="slide">{top}{inner}{wm}{foot}</section>'

    def title(self, s: str) -> str:
        logo = f'<span class="logo">{self.text(self.d.short)}</span>' if self.st["logo"] else ""
        return f"<h1>{self.text(s)}{logo}</h1>"

    def front(self) -> list[str]:
        d = self.d
        out = [f'<div class="center">{self.text(d.org)}<br>策略地圖與平衡計分卡</div>']
        out.append(
            f"<h1>{self.text(d.org)}轄區概況</h1>"
            + "".join(f'<p class="profile">{self.text(x)}</p>' for x in d.profile_lines)
        )
        mp = [f'<h1>{self.text(d.org)}策略地圖<span class="date">{esc(d.map_date)}</span></h1>']
        for p in BSC_ORDER:
            objs = [o for t in d.themes for o in t.objectives if o.perspective == p]
            if objs:
                mp.append(
                    f'<div class="maprow"><span class="persp-box">{p}構面</span>'
                    + "".join(f'<span class="box">{self.text(o.shown)}</span>' for o in objs)
                    + "</div>"
                )
        out.append("".join(mp))
        return out

    def persp(self, label: str) -> str:
        mode, how = self.st["persp_mode"], self.o["rotate_css"]
        if mode == "stacked":
            return "<br>".join(self.text(ch) for ch in label)
        if mode != "rotated":
            return self.text(label)
        if how == "transform":  # the author gives the block the label's length as height
            tall = (len(label) + 1) * self.pt * 1.1
            return f'<div class="tbox" style="height:{tall:.1f}pt"><span class="trot">{self.text(label)}</span></div>'
        return f'<div class="rot">{self.text(label)}</div>'

    def table(self, rows: list[Row], prev: list[Row], cols: list[Col]) -> str:
        st, o = self.st, self.o
        head = header(cols, st["year_header"] == "two_row")
        spans = {key: dict(runs(rows, key)) for key in ("persp", "obj")}
        covered = {(i, key) for key in spans for s, n in spans[key].items() for i in range(s + 1, s + n)}
        out, kpis = [], 0
        for i, r in enumerate(rows):
            if r.kind == "band":
                out.append(f'<tr class="band"><td colspan="{len(cols)}">{self.text(r.cells["band"])}</td></tr>')
                continue
            kpis += 1
            alt = ' class="alt"' if o["zebra_css"] == "class" and kpis % 2 == 0 else ""
            tds = []
            for c in cols:
                text = r.cells.get(c.id, "")
                if c.id not in spans:
                    tds.append(f"<td>{self.text(text)}</td>")
                    continue
                if (i, c.id) in covered:
                    if o["spans"]:
                        continue
                    text = ""
                elif i == 0 and st["blank_cont"] and continues(prev, r, c.id):
                    text = ""
                n = spans[c.id].get(i, 1) if o["spans"] else 1
                span = f' rowspan="{n}"' if n > 1 else ""
                inner = self.persp(text) if c.id == "persp" and text else self.text(text)
                tds.append(f'<td{span} class="{c.id}">{inner}</td>')
            out.append(f"<tr{alt}>{''.join(tds)}</tr>")
        tot = sum(c.weight for c in cols)
        group = "<colgroup>" + "".join(f'<col style="width:{100 * c.weight / tot:.2f}%">' for c in cols) + "</colgroup>"
        body = "".join(out)
        if o["repeat_header"]:
            return f'<table class="kpi">{group}<thead>{head}</thead><tbody>{body}</tbody></table>'
        return f'<table class="kpi">{group}<tbody class="head">{head}</tbody><tbody>{body}</tbody></table>'

    def css(self) -> str:
        o, st, k = self.o, self.st, self.k
        m = o["margin_mm"]
        page = ""
        if o["page_by"] == "css":
            page += f"size: {self.W / MM:.2f}mm {self.H / MM:.2f}mm; "
        if o["margin_by"] == "css":
            page += f"margin: {m}mm; "
        rule = f"{o['rule_px']}px solid {o['rule_color']}"
        rules = {
            "grid": f"table.kpi td, table.kpi th {{ border: {rule} }}",
            "hrules": f"table.kpi td, table.kpi th {{ border-bottom: {rule} }} table.kpi {{ border-top: {rule} }}",
            "zebra": "table.kpi th { border-bottom: 2px solid #345 }"
            + (
                " table.kpi tbody tr:nth-child(even) td { background: #eef2f7 }"
                if o["zebra_css"] == "nth-child"
                else " table.kpi tr.alt td { background: #eef2f7 }"
            ),
            "none": "",
        }[st["rules"]]
        wrap = "word-break: break-all" if o["wrap"] == "break-all" else "overflow-wrap: anywhere"
        fontface = ""
        if o["font_by"] == "webfont":
            src = Path(face_file(o["face"]))
            link = self.tmp / f"deckfont{src.suffix}"
            if not link.exists():
                link.symlink_to(src)
            fontface = f"@font-face {{ font-family: deckfont; src: url('{link.name}') }}\n"
            if o["web_bold"] == "same":
                fontface += f"@font-face {{ font-family: deckfont; font-weight: bold; src: url('{link.name}') }}\n"
        # slide box: the printable area (in the document's own px when shrunk)
        sw, sh = self.cw * k, 0 if o["flow"] else self.ch * k - 3
        fill = "#dce6f2" if o["header_fill"] else "transparent"
        wm = "color: rgba(200,80,80,0.18)" if o["watermark"] == "pale" else "color: #c85050; opacity: 0.2"
        return f"""{fontface}
@page {{ {page}}}
html, body {{ margin: 0; padding: 0 }}
body {{ font-family: '{self.family}', sans-serif; color: #111 }}
section.slide {{ width: {sw:.1f}pt; min-height: {sh:.1f}pt; box-sizing: border-box;
  padding: {18 * k:.1f}pt {22 * k:.1f}pt {14 * k:.1f}pt; break-after: page; position: relative }}
section.slide:last-child {{ break-after: auto }}
section.flow {{ padding: 0 }}
section.flow + section.flow.brk {{ break-before: page }}
h1 {{ font-size: {18 * k:.1f}pt; color: {NAVY}; margin: 0 0 {8 * k:.1f}pt 0 }}
h1 .logo {{ float: right; font-size: {11 * k:.1f}pt; border: 1px solid {NAVY}; border-radius: 10px;
  padding: 1pt 8pt }}
h1 .date {{ float: right; font-size: {12 * k:.1f}pt }}
.runhead {{ display: flex; justify-content: space-between; font-size: {8 * k:.1f}pt; color: #555;
  border-bottom: 0.5pt solid #999; margin-bottom: {6 * k:.1f}pt }}
.runfoot {{ position: absolute; bottom: {4 * k:.1f}pt; left: 0; right: 0; text-align: center;
  font-size: {8 * k:.1f}pt; color: #444 }}
.profile {{ font-size: {14 * k:.1f}pt; margin: {14 * k:.1f}pt {30 * k:.1f}pt }}
.center {{ text-align: center; padding-top: {self.ch * k * 0.3:.0f}pt; font-size: {28 * k:.1f}pt }}
.maprow {{ margin: {6 * k:.1f}pt 0 }}
.box {{ display: inline-block; border: 1.5px solid {NAVY}; border-radius: 12px; padding: 4pt 8pt; margin: 3pt;
  font-size: {9 * k:.1f}pt }}
.persp-box {{ display: inline-block; width: {70 * k:.1f}pt; background: {NAVY}; color: white; padding: 6pt;
  margin: 3pt; font-size: {9 * k:.1f}pt }}
table.kpi {{ border-collapse: collapse; width: 100%; font-size: {self.pt * k:.2f}pt; table-layout: fixed }}
table.kpi td, table.kpi th {{ padding: {o["padding_px"] * k:.1f}px {o["padding_px"] * k + 1:.1f}px;
  vertical-align: {st["valign"]}; text-align: {st["halign"]}; {wrap} }}
table.kpi th {{ background: {fill}; text-align: center; vertical-align: middle }}
table.kpi tr {{ break-inside: avoid }}
table.kpi tr.band td {{ background: #c9d9ec; font-weight: bold; text-align: left }}
table.kpi td.persp {{ text-align: center; vertical-align: middle }}
.rot {{ writing-mode: {"sideways-lr" if o["rotate_css"] == "sideways-lr" else "vertical-rl"}; margin: auto }}
.tbox {{ display: flex; align-items: center; justify-content: center }}
.trot {{ display: inline-block; white-space: nowrap; transform: rotate(-90deg) }}
.wm {{ position: {"fixed" if o["flow"] else "absolute"}; left: 30%; top: 42%; font-size: {54 * k:.0f}pt;
  transform: rotate(-30deg); {wm} }}
{rules}
"""

    def slides(self, max_rows: int) -> tuple[str, int]:
        d = self.d
        cols = columns(d)
        pages = [(x, False) for x in self.front()]
        for t in d.themes:
            rows = theme_rows(d, t)
            parts = chunk(rows, max_rows)
            for i, part in enumerate(parts):
                title = theme_title(d, t, i + 1, len(parts))
                pages.append((self.title(title) + self.table(part, parts[i - 1] if i else [], cols), True))
        pages.append(('<div class="center">敬請指教</div>', False))
        n = len(pages)
        return "".join(self.slide(x, i, n, tab) for i, (x, tab) in enumerate(pages, 1)), n

    def flow(self, cuts: dict[str, set[int]]) -> str:
        """Front pages as slides, then the themes' tables in one flowing section Firefox paginates."""
        d, o = self.d, self.o
        cols = columns(d)
        out = [self.slide(x, i, 0) for i, x in enumerate(self.front(), 1)]
        for j, t in enumerate(d.themes):
            rows = theme_rows(d, t)
            at = sorted({0, *cuts.get(t.letter, set())})
            parts = [rows[a:b] for a, b in zip(at, [*at[1:], len(rows)])]
            for i, part in enumerate(parts):
                title = theme_title(d, t, i + 1, len(parts))
                brk = " brk" if i or j == 0 or o["theme_break"] else ""
                prev = parts[i - 1] if i else []
                out.append(f'<section class="flow{brk}">{self.title(title)}{self.table(part, prev, cols)}</section>')
        if o["watermark"]:
            out.append('<div class="wm">內部資料</div>')
        return "".join(out)

    def document(self, body: str) -> str:
        d = self.d
        return (
            f'<!DOCTYPE html><html lang="zh-Hant"><head><meta charset="utf-8">'
            f"<title>{self.text(d.org)}策略地圖與平衡計分卡</title>"
            f"<style>{self.css()}</style></head><body>{body}</body></html>"
        )


# --- checking what Firefox printed ----------------------------------------------------------------------------


def _table_pages(pdf: Path) -> list[tuple[int, list[str], str]]:
    import pymupdf

    pages, started = [], False
    for i, page in enumerate(pymupdf.open(str(pdf)), 1):
        compact = "".join(fold(page.get_text()).split())
        started = started or "實際值" in compact or "目標值" in compact
        if started:
            pages.append((i, [w[4] for w in page.get_text("words")], compact))
    return pages


def _first_split(pdf: Path, deck: Deck) -> Kpi | None:
    """The first KPI whose row is not whole on one page (its code on none or several, or characters missing)."""
    pages = _table_pages(pdf)
    for _, _, k in deck.kpis():
        rx = _code_re(k.code)
        hits = [i for i, words, _ in pages if any(rx.search(fold(w)) for w in words)]
        hits = hits or [i for i, _, compact in pages if rx.search(compact)]
        if len(hits) != 1:
            return k
        text = k.shown + "".join(v.text for v in k.values) + "".join(p.shown for p in k.plans) + k.code
        compact = next(c for i, _, c in pages if i == hits[0])
        if Counter("".join(fold(text).split())) - Counter(compact):
            return k
    return None


def _print(ff: Firefox, b: Builder, body: str, out_pdf: Path) -> None:
    page = b.tmp / "deck.html"
    page.write_text(b.document(body), encoding="utf-8")
    ff.print_pdf(page, out_pdf, b.o, (b.W, b.H))


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows.  Slides: the row budget is lowered (then the type made
    smaller) until the PDF has one page per slide.  Flow: a KPI row not whole on one page makes the theme's table
    split before it; a row taller than a page makes the type smaller."""
    import pymupdf

    tool_version()
    st = deck.style
    opts = {**producer_options(random.Random(0), st), "max_rows": st["max_rows"], **(options or {})}
    out_pdf = Path(out_pdf)
    flow = opts["flow"]
    cuts: dict[str, set[int]] = {}
    default_face = opts["face"] if opts["face"] in TRUETYPE else "WenQuanYi Zen Hei"
    with tempfile.TemporaryDirectory(prefix="firefox-") as tmp:
        ff = Firefox(Path(tmp), default_face)
        try:
            for _ in range(60):
                b = Builder(deck, opts, Path(tmp))
                if flow:
                    _print(ff, b, b.flow(cuts), out_pdf)
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
                _print(ff, b, body, out_pdf)
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
            ff.close()
            shutil.rmtree(Path(tmp) / "profile", ignore_errors=True)
    if flow:
        opts.pop("max_rows")
        opts["split_before"] = {k: sorted(v) for k, v in sorted(cuts.items())}
    find_pages(out_pdf, deck)
    opts["problems"] = check(out_pdf, deck)
    return opts


def _main() -> None:  # pragma: no cover - a quick look: python -m tests.realtools.r_firefox OUT.pdf [seed]
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
