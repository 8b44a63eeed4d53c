"""Apache Batik renderer: the deck drawn as SVG pages (one per slide) and converted to PDF by Apache FOP's
`PDFTranscoder` (org.apache.fop.svg, FOP 2.8) on Batik 1.16, as Java dashboards and report systems do when they
draw charts and tables as SVG (SVGGraphics2D output or hand-written SVG templates) and print them through
Batik/FOP.  A small driver (`r_batik.java`, compiled by javac at first use into the cache) transcodes every page in
one JVM with one FOP font configuration; the pages are joined with qpdf or poppler's pdfunite.

Layout is draw_common's hand layout (SVG has no line breaking: lines broken at any character by the face's
advances, measured with fontTools).  The SVG varies as such files do: one `<text>` per line, or one `<text>` per
cell with a `<tspan x= y=>` per line; centred lines placed by `text-anchor="middle"` or by a measured start x;
turned 構面 labels by `transform="rotate(-90 x y)"` or `writing-mode="tb"` (Batik stacks the ideographs upright,
top to bottom), stacked labels a character per line; rules as `<line>`, thin filled `<rect>`s or one `<path>` of
`M … L …` segments per run of rules; presentation attributes, inline `style=""` or classes from a `<style>`
sheet; coordinates in points (`width="720pt"`) or in the pixels of a 96 dpi screen (`width="960"`, as
SVGGraphics2D writes them: the transcoder maps a px to 0.75 pt, so the PDF pages have the same size).

Fonts: FOP's own font machinery, not AWT's.  The face of fonts.py registered in the transcoder's configuration
(`<fonts><font embed-url=… kerning=…><font-triplet name="AR PL UMing TW" …/>`, normal and bold triplets on the
same file: no bold face, headings print regular) or found by `<auto-detect/>` (FOP scans the system font folders,
about 6 s per JVM with its font cache in the cache folder).  Auto-detect names only the AR PL faces (UMing/UKai
CN/HK/TW/MBE): FOP's cache lists the Noto CJK and WenQuanYi collections as files but no family of them, and a deck
asking for them falls back per character to 'AR PL UKai HK' for CJK and Times-Roman for Latin, so auto-detect decks
use AR PL UMing TW (`auto_refused` names the face given up).  Each page is a separate PDF with its own subset
('EAAAAA+UMingTW', CIDFontType2 or, for Noto, CIDFontType0C named after the collection's shared CFF
'NotoSansCJKjp-Regular'), Identity-H with a ToUnicode.  OpenType CFF faces need fontbox (FOP 2.8 loads them with
PDFBox's fontbox 2.0: without fontbox2.jar on the class path the transcoder dies with 'The Fontbox jar was not
found').  Without a font configuration (also `batik-rasterizer -m application/pdf`, which takes none) the
transcoder has only the Base-14 fonts and every CJK character prints as '#', so the driver is always given a
configuration.  `KEY_STROKE_TEXT` (the transcoder hint) draws every glyph as an outline path (no text layer): decks
with `stroke_cover` have the cover and closing slides converted that way (the font is still listed, unused), the
table slides keep their text; a deck stroked throughout would be image-only to a reader, so none is drawn.
Group `opacity` (on a `<text>`) makes Batik rasterise the element: the watermark then becomes a 400 dpi image with
a soft mask, both all zeros (FOP's fonts are not AWT's, so nothing is painted into the offscreen image): the '內部資料'
vanishes and an invisible image is left on the page; `fill-opacity` keeps it text under an ExtGState /ca, 'grey'
is opaque light grey text.  Compression off is FOP's
`<filterList><value>null</value></filterList>`.  The transcoder offers no PDF version choice (always %PDF-1.4).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import tempfile
import zipfile
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from . import java_driver
from .draw_common import Box, DeckDrawer, wrap
from .fonts import face_file, printable
from .layout import Col, check, find_pages
from .spec import Deck

BATIK = "1.16"  # Debian 12's libbatik-java 1.16+dfsg-1+deb12u1 (README, Setup)
FOP = "2.8"  # libfop-java 1:2.8-2: org.apache.fop.svg.PDFTranscoder
JARS = [
    "batik-all.jar",
    "fop.jar",
    "xmlgraphics-commons.jar",
    "commons-io.jar",
    "commons-logging.jar",
    "xml-apis-ext.jar",
    "fontbox2.jar",
]
JAVA = Path(__file__).with_name("r_batik.java")
MAIN = "BatikDeck"
NAVY = (0.12, 0.23, 0.41)
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}", "zh": "第 {n} 頁，共 {N} 頁"}
AUTO_FACES = ["AR PL UMing TW", "AR PL UKai TW"]  # the faces <auto-detect/> finds by their family name
PX = 4 / 3  # SVG px per point (96 dpi), the transcoder's default pixel size


def jar_dir() -> Path:
    return Path(os.environ.get("REALTOOLS_BATIK", "/usr/share/java"))


def _manifest_version(jar: Path) -> str | None:
    with zipfile.ZipFile(jar) as z:
        m = re.search(r"Implementation-Version:\s*(\S+)", z.read("META-INF/MANIFEST.MF").decode())
    return m and m.group(1)


@cache
def installed_version() -> str:
    for jar, want in (("batik-all.jar", BATIK), ("fop.jar", FOP)):
        path = jar_dir() / jar
        if not path.exists():
            raise RuntimeError(f"{path} is missing: apt-get install -y libbatik-java libfop-java libfontbox2-java")
        got = _manifest_version(path)
        if got != want:
            raise RuntimeError(f"{jar} {want} is wanted, found {got}")
    return f"{BATIK}/{FOP}"


def cache_dir() -> Path:
    return Path(os.environ.get("REALTOOLS_CACHE", "/tmp/realtools-cache")) / "batik"


@cache
def driver() -> str:
    installed_version()
    jars = ":".join(str(jar_dir() / j) for j in JARS)
    return java_driver.compiled(JAVA, jars, cache_dir(), f"batik{BATIK}-fop{FOP}", MAIN)


@cache
def tool_version(engine: str | None = None) -> str:
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return f"Apache Batik {BATIK} with Apache FOP {FOP} PDFTranscoder, {java}"


def producer_options(rng: random.Random, style: dict) -> dict:
    return {
        "page": style["page"] if rng.random() < 0.8 else "A4L",
        "units": rng.choice(["pt", "px", "px"]),
        "text_lines": rng.choice(["tspan", "lines"]),
        "anchor": rng.choice(["start", "middle"]),
        "persp_turn": rng.choice(["rotate", "tb"]),
        "rule_shape": rng.choice(["line", "rect", "path"]),
        "text_style": rng.choice(["attributes", "css", "class"]),
        "fonts": rng.choice(["embed", "embed", "auto"]),
        "kerning": rng.random() < 0.5,
        "bold": rng.random() < 0.5,
        "stroke_cover": rng.random() < 0.15,
        "header": rng.random() < 0.4,
        "footer": rng.choice([None, "dash", "dash", "of", "zh"]),
        "watermark_mode": rng.choice(["fill-opacity", "fill-opacity", "opacity", "grey", "grey"]),
        "watermark_angle": rng.choice([30, 45, 0]),
        "logo_badge": rng.random() < 0.5,
        "compress": rng.random() < 0.8,
        "join": rng.choice(["qpdf", "pdfunite"]),
    }


@cache
def _metrics(family: str) -> tuple[dict, dict, int]:
    from fontTools.ttLib import TTFont

    font = TTFont(face_file(family), lazy=True)
    return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm


def _rgb(c: tuple) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(round(255 * v) for v in c))


class BatikCanvas:
    """draw_common's canvas written as SVG pages (y down, text at its baseline), in points or 96 dpi pixels."""

    def __init__(self, opts: dict) -> None:
        self.o = opts
        self.family = opts["font"]
        self.k = PX if opts["units"] == "px" else 1.0
        self.pages: list[tuple[float, float, list[str]]] = []
        self.path: list[str] = []  # pending rule segments (rule_shape 'path')
        self.bold = False

    def n(self, v: float) -> str:
        s = f"{v * self.k:.2f}".rstrip("0").rstrip(".")
        return s or "0"

    def new_page(self, w: float, h: float, rotated: bool = False) -> None:
        self.flush()
        self.pages.append((w, h, [f'<rect x="0" y="0" width="{self.n(w)}" height="{self.n(h)}" fill="#ffffff"/>']))

    def put(self, item: str) -> None:
        self.flush()
        self.pages[-1][2].append(item)

    def flush(self) -> None:
        if self.path and self.pages:
            d = " ".join(self.path)
            self.pages[-1][2].append(f'<path d="{d}" fill="none" stroke="#000000" stroke-width="{self.n(0.6)}"/>')
        self.path = []

    def look(self, size: float, color: tuple, extra: str = "") -> str:
        bold = self.o["bold"] and (self.bold or size >= 16)
        fam = self.family
        if self.o["text_style"] == "css":
            w = "font-weight:bold;" if bold else ""
            return f" style=\"font-family:'{fam}';font-size:{self.n(size)}px;{w}fill:{_rgb(color)};{extra}\""
        if self.o["text_style"] == "class":
            cls = "tb" if bold else "t"
            return f' class="{cls}" font-size="{self.n(size)}" fill="{_rgb(color)}"' + (
                f' style="{extra}"' if extra else ""
            )
        w = ' font-weight="bold"' if bold else ""
        attrs = f' font-family={quoteattr(fam)} font-size="{self.n(size)}"{w} fill="{_rgb(color)}"'
        for part in filter(None, extra.split(";")):
            key, val = part.split(":", 1)
            attrs += f' {key}="{val}"'
        return attrs

    def text(self, x: float, y: float, s: str, size: float, angle: int = 0, color: tuple = (0, 0, 0), **kw) -> None:
        s = printable(s, self.family)
        if not s.strip():
            return
        anchor = kw.get("anchor", "start")
        extra = kw.get("extra", "")
        if anchor != "start":
            extra += f"text-anchor:{anchor};"
        turn = f' transform="rotate({-angle} {self.n(x)} {self.n(y)})"' if angle else ""
        self.put(
            f'<text x="{self.n(x)}" y="{self.n(y)}"{self.look(size, color, extra)}{turn} '
            f'xml:space="preserve">{escape(s)}</text>'
        )

    def lines(self, items: list[tuple[float, float, str]], size: float, anchor: str, color: tuple = (0, 0, 0)) -> None:
        """A cell's lines as one <text> with a <tspan> per line."""
        items = [(x, y, printable(s, self.family)) for x, y, s in items]
        items = [(x, y, s) for x, y, s in items if s.strip()]
        if not items:
            return
        extra = f"text-anchor:{anchor};" if anchor != "start" else ""
        spans = "".join(f'<tspan x="{self.n(x)}" y="{self.n(y)}">{escape(s)}</tspan>' for x, y, s in items)
        self.put(f'<text{self.look(size, color, extra)} xml:space="preserve">{spans}</text>')

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float, color: tuple = (0, 0, 0)) -> None:
        if self.o["rule_shape"] == "path" and width == 0.6 and color == (0, 0, 0):
            seg = f"M{self.n(x0)} {self.n(y0)}" + (
                f"H{self.n(x1)}" if y0 == y1 else f"V{self.n(y1)}" if x0 == x1 else f"L{self.n(x1)} {self.n(y1)}"
            )
            self.path.append(seg)
            return
        self.put(
            f'<line x1="{self.n(x0)}" y1="{self.n(y0)}" x2="{self.n(x1)}" y2="{self.n(y1)}" stroke="{_rgb(color)}" '
            f'stroke-width="{self.n(width)}"/>'
        )

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: tuple | None, stroke: tuple | None = None) -> None:
        edge = f' stroke="{_rgb(stroke)}" stroke-width="{self.n(0.8)}"' if stroke else ""
        paint = _rgb(fill) if fill else "none"
        self.put(
            f'<rect x="{self.n(x0)}" y="{self.n(y0)}" width="{self.n(x1 - x0)}" height="{self.n(y1 - y0)}" '
            f'fill="{paint}"{edge}/>'
        )

    def width(self, s: str, size: float) -> float:
        cmap, hmtx, upm = _metrics(self.family)
        adv = (hmtx[cmap[ord(c)]][0] if ord(c) in cmap else upm for c in printable(s, self.family))
        return sum(adv) * size / upm

    def save(self, folder: Path) -> list[Path]:
        self.flush()
        files = []
        fam = self.family
        sheet = ""
        if self.o["text_style"] == "class":
            sheet = (
                '<defs><style type="text/css"><![CDATA[\n'
                f".t {{ font-family: '{fam}'; }}\n.tb {{ font-family: '{fam}'; font-weight: bold; }}\n"
                "]]></style></defs>\n"
            )
        for i, (w, h, items) in enumerate(self.pages, 1):
            if self.o["units"] == "px":
                size = f'width="{self.n(w)}" height="{self.n(h)}"'
            else:
                size = f'width="{w:g}pt" height="{h:g}pt" viewBox="0 0 {w:g} {h:g}"'
            f = folder / f"page{i:03d}.svg"
            f.write_text(
                '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
                '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                f'version="1.1" {size}>\n' + sheet + "\n".join(items) + "\n</svg>\n",
                encoding="utf-8",
            )
            files.append(f)
        return files


class BatikDrawer(DeckDrawer):
    """draw_common's deck with the SVG's own ways of writing labels, and furniture once the page count is known."""

    def __init__(self, deck: Deck, c: BatikCanvas, opts: dict) -> None:
        super().__init__(deck, c, opts)
        self.c: BatikCanvas = c
        self.footed: list[int] = []

    def center(self, s: str, y: float, size: float) -> None:
        while size > 12 and self.c.width(s, size) > self.W - 60:
            size -= 2
        if self.o["anchor"] == "middle":
            self.c.text(self.W / 2, y, s, size, anchor="middle")
        else:
            super().center(s, y, size)

    def footer(self) -> None:
        self.footed.append(self.page_no)

    def furniture(self) -> None:
        c, total, grey = self.c, len(self.c.pages), (0.4, 0.4, 0.4)
        for n, page in enumerate(c.pages, 1):
            c.pages, keep = [page], c.pages
            if self.o["header"] and n > 1:
                c.text(30, 20, self.d.org, 8, color=NAVY)
                c.text(self.W - 30, 20, "策略地圖與平衡計分卡", 8, color=NAVY, anchor="end")
                c.line(30, 25, self.W - 30, 25, 0.5, NAVY)
            if self.o["footer"] and n in self.footed:
                c.line(30, self.H - 28, self.W - 30, self.H - 28, 0.5, (0.6, 0.6, 0.6))
                c.text(30, self.H - 16, f"{self.d.org}｜策略地圖與平衡計分卡", 7, color=grey)
                s = FOOTERS[self.o["footer"]].format(n=n, N=total)
                c.text(self.W - 30, self.H - 16, s, 7, color=grey, anchor="end")
            c.flush()
            c.pages = keep

    def head_height(self, cols: list[Col], xs: list[float]) -> float:
        """draw_common's head, taller when a one-row label wraps (the author widens the head, not the columns)."""
        base = super().head_height(cols, xs)
        if self.d.style["year_header"] == "two_row":
            return base
        n = max(len(wrap(self.c, col.label, self.pt, xs[j + 1] - xs[j] - 6)) for j, col in enumerate(cols))
        return max(base, n * (self.lh + 2) + 6)

    def watermark(self) -> None:
        mode, ang = self.o["watermark_mode"], self.o["watermark_angle"]
        x, y = self.W * (0.3 if ang else 0.35), self.H * (0.72 if ang else 0.55)
        if mode == "grey":
            self.c.text(x, y, "內部資料", 60, ang, (0.85, 0.85, 0.85))
        else:
            self.c.text(x, y, "內部資料", 60, ang, (0.6, 0.6, 0.6), extra=f"{mode}:0.3;")

    def label(self, b: Box) -> None:
        c, st, pt, lh = self.c, self.d.style, self.pt, self.lh
        if not b.text:
            return
        c.bold = b.header
        try:
            if b.mode == "rot":
                cx, cy = (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2
                if self.o["persp_turn"] == "tb":
                    c.text(cx, cy, b.text, pt, extra="writing-mode:tb;text-anchor:middle;")
                else:
                    w = c.width(b.text, pt)
                    c.text(cx + pt * 0.35, cy + w / 2, b.text, pt, 90)
                return
            lines = list(b.text) if b.mode == "stack" else wrap(c, b.text, pt, b.x1 - b.x0 - 6)
            total = len(lines) * lh
            middle = st["valign"] == "middle" or b.header or b.mode == "stack"
            y = b.y0 + 3 + (max(0.0, (b.y1 - b.y0 - 6 - total) / 2) if middle else 0)
            centre = (b.header and b.x1 - b.x0 < self.W - 100) or st["halign"] == "center" or b.mode == "stack"
            by_anchor = centre and self.o["anchor"] == "middle"
            items = []
            for ln in lines:
                if by_anchor:
                    x = (b.x0 + b.x1) / 2
                elif centre:
                    x = b.x0 + (b.x1 - b.x0 - c.width(ln, pt)) / 2
                else:
                    x = b.x0 + 3
                items.append((x, y + pt * 0.95, ln))
                y += lh
            anchor = "middle" if by_anchor else "start"
            if self.o["text_lines"] == "tspan":
                c.lines(items, pt, anchor)
            else:
                for x, yy, ln in items:
                    c.text(x, yy, ln, pt, anchor=anchor)
        finally:
            c.bold = False


def font_config(opts: dict) -> str:
    fam = escape(opts["font"], {'"': "&quot;"})
    if opts["fonts"] == "auto":
        fonts = "<auto-detect/>"
    else:
        url = Path(face_file(opts["font"])).as_uri()
        trip = "".join(f'<font-triplet name="{fam}" style="normal" weight="{w}"/>' for w in ("normal", "bold"))
        kern = "yes" if opts["kerning"] else "no"
        fonts = f'<font embed-url="{url}" kerning="{kern}" embedding-mode="subset">{trip}</font>'
    filters = "" if opts["compress"] else "<filterList><value>null</value></filterList>"
    return f"<cfg><fonts>{fonts}</fonts>{filters}</cfg>\n"


def _run(cmd: list[str], what: str) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if proc.returncode:
        raise RuntimeError(f"{what} failed: {proc.stderr.strip()[-3000:]}")
    return proc.stdout


def convert(svgs: list[Path], out_pdf: str | Path, opts: dict, stroked: list[int]) -> None:
    folder = svgs[0].parent
    conf = folder / "batik.xconf"
    conf.write_text(font_config(opts), encoding="utf-8")
    home = cache_dir() / "home"  # FOP's font cache (~/.fop/fop-fonts.cache) for auto-detect
    home.mkdir(parents=True, exist_ok=True)
    pdfs = [s.with_suffix(".pdf") for s in svgs]
    pairs = [str(p) for s, d in zip(svgs, pdfs) for p in (s, d)]
    marks = ",".join(map(str, stroked)) or "-"
    cmd = ["java", "-Djava.awt.headless=true", f"-Duser.home={home}", "-cp", driver(), MAIN, str(conf), marks, *pairs]
    out = _run(cmd, "Batik/FOP PDFTranscoder")
    if f"batik {BATIK} fop {FOP}" not in out:
        raise RuntimeError(f"Batik {BATIK} with FOP {FOP} wanted, the driver ran {out.strip()[:200]}")
    if opts["join"] == "pdfunite" and shutil.which("pdfunite"):
        _run(["pdfunite", *map(str, pdfs), str(out_pdf)], "pdfunite")
    else:
        _run(["qpdf", "--empty", "--pages", *map(str, pdfs), "--", str(out_pdf)], "qpdf")


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus draw_common's font, font_pt, max_rows.  Text past the page makes the type
    smaller.  Returns the options used."""
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    opts.setdefault("font", st["font"])
    opts.setdefault("font_pt", st["font_pt"])
    if opts["fonts"] == "auto" and opts["font"] not in AUTO_FACES:  # FOP's auto-detect names no Noto/WenQuanYi face
        opts["auto_refused"], opts["font"] = opts["font"], AUTO_FACES[0]
    opts["rules_as_rects"] = opts["rule_shape"] == "rect"
    opts["footnote"] = None
    while True:
        cv = BatikCanvas(opts)
        drawer = BatikDrawer(deck, cv, opts)
        drawer.draw()
        drawer.furniture()
        total = len(cv.pages)
        stroked = [1, total] if opts["stroke_cover"] else []
        with tempfile.TemporaryDirectory(prefix="r_batik-") as tmp:
            convert(cv.save(Path(tmp)), out_pdf, opts, stroked)
        find_pages(out_pdf, deck)
        problems = check(out_pdf, deck)
        if any("outside the page" in p for p in problems) and opts["font_pt"] > 6:
            opts["font_pt"] -= 1
            continue
        break
    opts["stroked_pages"] = stroked
    opts["problems"] = problems
    return opts


if __name__ == "__main__":  # pragma: no cover - a quick look: python -m tests.realtools.r_batik OUT.pdf [seed]
    import sys

    from .spec import Office

    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    d = Office(seed, "batik-o01").deck(112, "batik-demo", {}, style_seed=seed)
    print(render(d, sys.argv[1], producer_options(random.Random(seed), d.style)))
