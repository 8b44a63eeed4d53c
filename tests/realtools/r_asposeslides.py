"""Aspose.Slides for Python via .NET 26.10 (PyPI aspose.slides 26.10.0): the deck built as a Presentation and saved
by `presentation.save(out_pdf, SaveFormat.PDF, PdfOptions)`, as the report systems of vendors who write .pptx and
PDF without PowerPoint do.  The wheel carries its own .NET 10 runtime; System.Drawing needs Debian's libgdiplus
(`apt-get install -y libgdiplus`), without which saving raises TypeInitializationException in Gdip.

No licence is set, so Aspose runs in evaluation mode: every slide gets its red 'Evaluation only. Created with
Aspose.Slides for Python via .NET 26.10. Copyright 2004-2026Aspose Pty Ltd.' text (three lines in DejaVu Sans /
Liberation Sans Bold, drawn over everything across the slide's middle, into the text layer), and text read back
through the API (`text_frame.text`) is truncated; the rendering itself is whole.  The deck is kept as an
unlicensed office's is.

How the deck is built: title slide, 轄區概況 profile slide (with speaker notes, never printed: the notes layout is
off), a strategy map (an ellipse per objective in rows per 構面, bent or straight connectors glued from each
objective to the first objective of the next 構面 up, `start_shape_connected_to`/`end_shape_connected_to`), then
per theme one or more slides with a title text box ('--1/2' markers) and a table from
`shapes.add_table(x, y, col_widths, row_heights)`, and a closing slide.  Cells are filled paragraph by paragraph
(one Portion a line, `latin_font`/`east_asian_font` set to the face of fonts.py or Latin in DejaVu Sans / Liberation
Sans); 構面 and objective groups merged by `table.merge_cells` (text set after the merge: Aspose joins the merged
cells' paragraphs) or written on every row or the first row of their run; turned 構面 labels by
`text_vertical_type` VERTICAL270 / VERTICAL, stacked ones as one character a paragraph or EAST_ASIAN_VERTICAL
(Aspose sets ideographs upright in a column); band rows merged over the row; the two-row year head merged.  Aspose
lays the text out and grows each row to its cell text at its own line breaking (CJK between ideographs, Latin
at spaces), so the row heights handed to add_table are minima; the table's grown height (`table.height`) decides
how many rows go on a slide: each theme's rows are put on a scratch slide, and a slide gets as many rows as fit
above the footer (up to the deck's row budget), as an author moves rows to a '--2/2' slide.  Turned labels do
not grow rows, so a run of one row gets a minimal height its label needs.

Table looks: Aspose's default preset (Medium Style 2 - Accent 1: dark head, white inner rules, banded rows when
`horizontal_banding`), or `style_preset = NONE` with explicit cell fills and per-side borders (full grid,
horizontal rules only, none, zebra fills) in a chosen colour and width, head fills, bold heads; cell margins;
top or middle anchoring.  Furniture: footers from the HeaderFooterManager (footer text and slide-number
placeholders, hidden on the title slide) or text boxes ('- n -', 'n / N', '第 n 頁，共 N 頁'), the office as a
badge or text beside the title, a '內部資料' watermark (a turned text box under or over the table).  Fonts: the
face of fonts.py copied into a private folder given to `FontsLoader.load_external_fonts` (cleared per deck);
characters the face lacks printed folded.  PdfOptions: `embed_full_fonts` (whole faces or subsets),
`text_compression` FLATE or NONE, `sufficient_resolution`, `jpeg_quality`, `compliance` PDF 1.5 / 1.7,
`embed_true_type_fonts_for_ascii`, notes layout NONE.

Quirks found: each face is written as a CID Identity-H font with a ToUnicode for CJK runs and, for ASCII runs, a
simple WinAnsi TrueType subset without one, all tagged 'FAAA..+' (FAAAAH+UKaiTW, FAAABC+UKaiTW); bold without a bold
face is another font named '<face>,Bold'; Noto CJK (CFF) goes in as CID Type 0C 'subsets' that keep nearly the whole
face, so a Noto deck is 25-55 MB (TrueType decks from under 1 MB); Aspose puts Kangxi radicals (seen; compatibility
ideographs not checked) in the portion's Latin font, so with Latin in DejaVu Sans or Liberation Sans they are drawn
from its fallback, the system's Noto Sans Mono CJK TC (a further nearly whole CFF font), whose ToUnicode reads them
as the unified ideographs (⼯ as 工); with Latin in the CJK face they stay radicals; colours go to the wrapper as RGB
tuples (its marshaller refuses aspose.pydrawing.Color); merged cells join their paragraphs, so labels are written
after merging; the footer placeholders of the blank layout are set to the deck's face; the evaluation text runs over
the table's middle rows (in the text layer between their lines; the table text stays whole under it).
"""

from __future__ import annotations

import random
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

from .fonts import face_file, printable
from .layout import Col, Row, check, columns, continues, find_pages, runs, theme_rows, theme_title
from .spec import BSC_ORDER, Deck

ASPOSE_SLIDES = "26.10.0"  # PyPI aspose.slides (README, Setup)
SLIDE_PT = {"4:3": (720.0, 540.0), "16:9": (960.0, 540.0), "A4L": (842.0, 595.0), "A4": (780.0, 540.0)}
NAVY = (0x1F, 0x3A, 0x68)
HEAD_FILLS = {
    "navy": (0x1F, 0x3A, 0x68),
    "blue": (0x44, 0x72, 0xC4),
    "light": (0xD9, 0xE2, 0xF3),
    "gray": (0xE7, 0xE6, 0xE6),
    "sand": (0xFB, 0xE5, 0xD6),
}
DARK = {"navy", "blue"}
ZEBRA = {"blue": (0xE9, 0xEF, 0xF7), "gray": (0xF2, 0xF2, 0xF2)}
LINE = {"black": (0, 0, 0), "gray": (0x7F, 0x7F, 0x7F), "navy": NAVY}
FOOTERS = {"dash": "- {n} -", "of": "{n} / {N}", "zh": "第 {n} 頁，共 {N} 頁"}
FOOT_SPACE = 30.0


def tool_version(engine: str | None = None) -> str:
    ver = metadata.version("aspose.slides")
    if ver != ASPOSE_SLIDES:
        raise RuntimeError(f"aspose.slides {ASPOSE_SLIDES} is wanted, {ver} is installed")
    return f"Aspose.Slides for Python via .NET {ver} (evaluation)"


def producer_options(rng: random.Random, style: dict) -> dict:
    rules = style["rules"]
    preset = rules in ("grid", "zebra") and rng.random() < 0.35
    return {
        "page": style["page"] if rng.random() < 0.85 else "A4",
        "font": style["font"] if rng.random() < 0.85 else "AR PL UKai TW",
        "latin": rng.choice(["cjk", "cjk", "DejaVu Sans", "Liberation Sans"]),
        "preset": preset,
        "labels": rng.choice(["merge", "merge", "repeat", "first"]),
        "vert": rng.choice(["VERTICAL270", "VERTICAL270", "VERTICAL"]),
        "stack": rng.choice(["lines", "east_asian"]),
        "title_pt": rng.choice([18, 20, 24]),
        "title_align": rng.choice(["left", "left", "center"]),
        "title_autofit": rng.random() < 0.5,
        "head_fill": rng.choice([None, *HEAD_FILLS]) if rules != "none" else rng.choice([None, "light", "gray"]),
        "head_bold": rng.random() < 0.7,
        "zebra_fill": rng.choice(list(ZEBRA)),
        "line": rng.choice(list(LINE)),
        "line_w": rng.choice([0.5, 0.75, 1.0, 1.5]),
        "margins": rng.choice(["default", "default", "tight", "wide"]),
        "footer": rng.choice([None, "hf", "hf", "dash", "of", "zh"]),
        "footer_org": rng.random() < 0.5,
        "logo_kind": rng.choice(["badge", "text"]),
        "watermark_under": rng.random() < 0.5,
        "connector": rng.choice(["BENT_CONNECTOR3", "STRAIGHT_CONNECTOR1"]),
        "embed_full": rng.random() < 0.3,
        "text_compression": rng.choice(["FLATE", "FLATE", "NONE"]),
        "sufficient_resolution": rng.choice([96.0, 150.0, 300.0]),
        "jpeg_quality": rng.choice([75, 90, 100]),
        "compliance": rng.choice(["PDF15", "PDF17"]),
        "ascii_tt": rng.random() < 0.8,
        "notes": rng.random() < 0.5,
    }


def _color(rgb):
    """Colours go to the wrapper as RGB tuples (its marshaller refuses aspose.pydrawing.Color objects)."""
    return tuple(int(v) for v in rgb)


class Builder:
    def __init__(self, deck: Deck, opts: dict, font_name: str) -> None:
        import aspose.slides as slides

        self.s = slides
        self.d, self.o, self.st = deck, opts, deck.style
        self.fam = opts["font"]
        self.ea = font_name
        self.latin = font_name if opts["latin"] == "cjk" else opts["latin"]
        self.pt = float(opts["font_pt"])
        self.p = slides.Presentation()
        self.W, self.H = SLIDE_PT[opts["page"]]
        self.p.slide_size.set_size(self.W, self.H, slides.SlideSizeScaleType.DO_NOT_SCALE)
        self.blank = self.p.layout_slides.get_by_type(slides.SlideLayoutType.BLANK)
        self.first = True
        self.table_slides: list[int] = []

    # --- text -----------------------------------------------------------------------------------------------

    def fill(self, tf, text: str, size: float, bold=False, align="left", color=None, anchor=None) -> None:
        s = self.s
        text = printable(text, self.fam)
        tf.paragraphs.clear()
        for line in text.split("\n"):
            para = s.Paragraph()
            para.paragraph_format.alignment = s.TextAlignment.CENTER if align == "center" else s.TextAlignment.LEFT
            por = s.Portion(line)
            f = por.portion_format
            f.font_height = float(size)
            f.latin_font = s.FontData(self.latin)
            f.east_asian_font = s.FontData(self.ea)
            f.font_bold = s.NullableBool.TRUE if bold else s.NullableBool.FALSE
            f.fill_format.fill_type = s.FillType.SOLID
            f.fill_format.solid_fill_color.color = _color(color or (0, 0, 0))
            para.portions.add(por)
            tf.paragraphs.add(para)
        if anchor is not None:
            tf.text_frame_format.anchoring_type = anchor

    def box(self, slide, x, y, w, h, text, size, bold=False, align="left", color=None, rot=0.0, autofit=False):
        s = self.s
        shp = slide.shapes.add_auto_shape(s.ShapeType.RECTANGLE, float(x), float(y), float(w), float(h))
        shp.fill_format.fill_type = s.FillType.NO_FILL
        shp.line_format.fill_format.fill_type = s.FillType.NO_FILL
        tf = shp.text_frame
        self.fill(tf, text, size, bold, align, color)
        tf.text_frame_format.wrap_text = s.NullableBool.TRUE
        tf.text_frame_format.anchoring_type = s.TextAnchorType.CENTER
        if autofit:
            tf.text_frame_format.autofit_type = s.TextAutofitType.NORMAL
        if rot:
            shp.rotation = float(rot)
        return shp

    def slide(self):
        if self.first:
            self.first = False
            sl = self.p.slides[0]
            sl.layout_slide = self.blank
            return sl
        return self.p.slides.add_empty_slide(self.blank)

    # --- slides ---------------------------------------------------------------------------------------------

    def build(self) -> None:
        s, d, W, H = self.s, self.d, self.W, self.H
        sl = self.slide()
        self.box(sl, 0, H * 0.28, W, 70, d.org, 36, True, "center", NAVY)
        self.box(sl, 0, H * 0.45, W, 70, "策略地圖與平衡計分卡", 30, True, "center")
        self.box(sl, 0, H * 0.62, W, 40, f"{d.plan_year}年度", 20, False, "center")
        sl = self.slide()
        self.box(sl, 40, 24, W - 80, 46, "轄區概況", 28, True, color=NAVY)
        body = self.box(sl, 56, 100, W - 110, 240, "\n".join(d.profile_lines), 20)
        body.text_frame.text_frame_format.anchoring_type = s.TextAnchorType.TOP
        if self.o["notes"]:
            notes = sl.notes_slide_manager.add_notes_slide()
            notes.notes_text_frame.text = f"{d.org}轄區概況，資料時間{d.profile['population_as_of']}。"
        self.strategy_map()
        cols = columns(d)
        for t in d.themes:
            parts = self.split(theme_rows(d, t), cols)
            for i, part in enumerate(parts):
                sl = self.slide()
                self.table_slides.append(len(self.p.slides))
                if self.st["watermark"] and self.o["watermark_under"]:
                    self.watermark(sl)
                self.title(sl, theme_title(d, t, i + 1, len(parts)))
                self.table(sl, part, parts[i - 1] if i else [], cols)
                if self.st["watermark"] and not self.o["watermark_under"]:
                    self.watermark(sl)
        sl = self.slide()
        self.box(sl, 0, H * 0.4, W, 80, "敬請指教", 40, True, "center", NAVY)
        self.furniture()

    def strategy_map(self) -> None:
        s, d, W = self.s, self.d, self.W
        sl = self.slide()
        self.box(sl, 32, 20, W - 190, 46, f"{d.org}策略地圖", 24, True, color=NAVY)
        self.box(sl, W - 150, 24, 134, 40, d.map_date, 18)
        y = 88.0
        rows = []
        for p in BSC_ORDER:
            objs = [o.shown for t in d.themes for o in t.objectives if o.perspective == p]
            if not objs:
                continue
            self.box(sl, 24, y + 6, 100, 40, f"{p}構面", 14, True, color=NAVY)
            x = 134.0
            shapes = []
            for name in objs:
                w = min(200.0, 12.0 * len(name) + 26)
                if x + w > W - 16:
                    break
                shp = sl.shapes.add_auto_shape(s.ShapeType.ELLIPSE, x, y, w, 52.0)
                shp.fill_format.fill_type = s.FillType.SOLID
                shp.fill_format.solid_fill_color.color = _color((0xFF, 0xFF, 0xFF))
                shp.line_format.fill_format.fill_type = s.FillType.SOLID
                shp.line_format.fill_format.solid_fill_color.color = _color(NAVY)
                self.fill(shp.text_frame, name, 11, align="center")
                shapes.append(shp)
                x += w + 10
            rows.append(shapes)
            y += 80
        kind = getattr(s.ShapeType, self.o["connector"])
        for lower, upper in zip(rows[1:], rows[:-1]):
            if not upper:
                continue
            for shp in lower[:3]:
                c = sl.shapes.add_connector(kind, 0.0, 0.0, 10.0, 10.0)
                c.start_shape_connected_to = shp
                c.start_shape_connection_site_index = 0
                c.end_shape_connected_to = upper[0]
                c.end_shape_connection_site_index = 4
                c.line_format.fill_format.fill_type = s.FillType.SOLID
                c.line_format.fill_format.solid_fill_color.color = _color(NAVY)
                c.line_format.end_arrowhead_style = s.LineArrowheadStyle.TRIANGLE
                c.reroute()

    def title(self, sl, text: str) -> None:
        o, W = self.o, self.W
        logo = self.st["logo"]
        right = 150 if logo else 0
        self.box(
            sl, 20, 8, W - 40 - right, 46, text, o["title_pt"], True, o["title_align"], NAVY, autofit=o["title_autofit"]
        )
        if logo:
            if o["logo_kind"] == "badge":
                s = self.s
                shp = sl.shapes.add_auto_shape(s.ShapeType.ROUND_CORNER_RECTANGLE, W - 146, 14.0, 126.0, 34.0)
                shp.fill_format.fill_type = s.FillType.SOLID
                shp.fill_format.solid_fill_color.color = _color((0xFF, 0xFF, 0xFF))
                shp.line_format.fill_format.fill_type = s.FillType.SOLID
                shp.line_format.fill_format.solid_fill_color.color = _color(NAVY)
                self.fill(shp.text_frame, self.d.short, 13, True, "center", NAVY)
            else:
                self.box(sl, W - 146, 16, 130, 30, self.d.short, 14, True, "center", NAVY)

    def watermark(self, sl) -> None:
        self.box(sl, self.W * 0.22, self.H * 0.36, 420, 90, "內部資料", 60, color=(0xD0, 0xD0, 0xD0), rot=-30)

    def furniture(self) -> None:
        o, s = self.o, self.s
        total = len(self.p.slides)
        grey = (0x59, 0x59, 0x59)
        if o["footer"] == "hf":
            hf = self.p.header_footer_manager
            hf.set_all_slide_numbers_visibility(True)
            if o["footer_org"]:
                hf.set_all_footers_text(f"{self.d.org}｜策略地圖與平衡計分卡")
                hf.set_all_footers_visibility(True)
            first = self.p.slides[0].header_footer_manager
            first.set_slide_number_visibility(False)
            first.set_footer_visibility(False)
            for sl in self.p.slides:
                for shp in sl.shapes:
                    if shp.placeholder is not None and shp.placeholder.type in (
                        s.PlaceholderType.FOOTER,
                        s.PlaceholderType.SLIDE_NUMBER,
                    ):
                        for para in shp.text_frame.paragraphs:
                            for por in para.portions:
                                por.portion_format.latin_font = s.FontData(self.latin)
                                por.portion_format.east_asian_font = s.FontData(self.ea)
            return
        for n, sl in enumerate(self.p.slides, 1):
            if n == 1:
                continue
            y = self.H - 26
            if o["footer_org"]:
                self.box(sl, 24, y, self.W * 0.6, 18, f"{self.d.org}｜策略地圖與平衡計分卡", 8, color=grey)
            if o["footer"]:
                txt = FOOTERS[o["footer"]].format(n=n, N=total)
                self.box(sl, self.W - 150, y, 126, 18, txt, 9, color=grey, align="center")

    # --- the table ------------------------------------------------------------------------------------------

    def split(self, rows: list[Row], cols: list[Col]) -> list[list[Row]]:
        """Rows per slide as Aspose grows them: as many KPI rows as fit above the footer, up to the budget."""
        scratch = self.p.slides.add_empty_slide(self.blank)
        parts: list[list[Row]] = []
        i = 0
        limit = self.H - FOOT_SPACE
        while i < len(rows):
            n, kpis = 0, 0
            while i + n < len(rows) and (rows[i + n].kind == "band" or kpis < int(self.o["max_rows"])):
                kpis += rows[i + n].kind == "kpi"
                n += 1
            while True:
                part = rows[i : i + n]
                while i + len(part) < len(rows) and part and part[-1].kind == "band":
                    part = part[:-1]
                t = self.table(scratch, part, parts[-1] if parts else [], cols)
                bottom = t.y + t.height
                scratch.shapes.remove(t)
                if bottom <= limit:
                    break
                if sum(r.kind == "kpi" for r in part) <= 1:
                    raise TooTall(f"{self.d.stem}: one row is {bottom - 62:.0f} pt tall")
                n = len(part) - 1
            parts.append(part)
            i += len(part)
        self.p.slides.remove(scratch)
        return parts

    def table(self, sl, rows: list[Row], prev: list[Row], cols: list[Col]):
        s, st, o = self.s, self.st, self.o
        two = st["year_header"] == "two_row"
        nh = 2 if two else 1
        n = len(cols)
        x0, y0 = 18.0, 62.0
        width = self.W - 36
        tot = sum(c.weight for c in cols)
        widths = [width * c.weight / tot for c in cols]
        heights = [self.pt * 1.8] * (nh + len(rows))
        t = sl.shapes.add_table(x0, y0, widths, heights)
        if o["preset"]:
            t.first_row = True
            t.horizontal_banding = st["rules"] == "zebra"
        else:
            t.style_preset = s.TableStylePreset.NONE
            t.first_row = False
            t.horizontal_banding = False
        hb = o["head_bold"]
        dark = o["preset"] or o["head_fill"] in DARK
        hcolor = (0xFF, 0xFF, 0xFF) if dark else None
        ids = [c.id for c in cols]
        # merges first: Aspose joins the merged cells' paragraphs
        j = 0
        heads = []  # (row, col, text)
        while j < n:
            c = cols[j]
            if two and c.group:
                k = j
                while k + 1 < n and cols[k + 1].group == c.group:
                    k += 1
                if k > j:
                    t.merge_cells(t.rows[0][j], t.rows[0][k], False)
                heads.append((0, j, c.group))
                heads += [(1, m, cols[m].sub or "") for m in range(j, k + 1)]
                j = k + 1
                continue
            if two:
                t.merge_cells(t.rows[0][j], t.rows[1][j], False)
            heads.append((0, j, c.label))
            j += 1
        for i, r in enumerate(rows):
            if r.kind == "band":
                t.merge_cells(t.rows[nh + i][0], t.rows[nh + i][n - 1], False)
        labels = []  # (row, col, text, persp)
        for key in ("persp", "obj"):
            if key not in ids:
                continue
            j = ids.index(key)
            for start, cnt in runs(rows, key):
                blank = start == 0 and st["blank_cont"] and continues(prev, rows[start], key)
                text = "" if blank else rows[start].cells[key]
                if cnt > 1 and o["labels"] == "merge":
                    t.merge_cells(t.rows[nh + start][j], t.rows[nh + start + cnt - 1][j], False)
                    labels.append((nh + start, j, text, key == "persp", cnt))
                    continue
                for k in range(cnt):
                    lab = text if k == 0 else (rows[start].cells[key] if o["labels"] == "repeat" else "")
                    labels.append((nh + start + k, j, lab, key == "persp", 1))
        # cell formatting, then text
        self.format_cells(t, rows, nh, n)
        for ri, j, text in heads:
            # the preset fills only the first row dark: a second head row (the years) is light, written black
            color = None if o["preset"] and ri > 0 else hcolor
            self.fill(t.rows[ri][j].text_frame, text, self.pt, hb, "center", color)
        for i, r in enumerate(rows):
            ri = nh + i
            if r.kind == "band":
                self.fill(t.rows[ri][0].text_frame, r.cells["band"], self.pt, True)
                continue
            for j, c in enumerate(cols):
                if c.id not in ("persp", "obj"):
                    self.fill(t.rows[ri][j].text_frame, r.cells.get(c.id, ""), self.pt, align=st["halign"])
        mode = st["persp_mode"]
        for ri, j, text, persp, cnt in labels:
            cell = t.rows[ri][j]
            if persp and mode == "stacked" and o["stack"] == "lines":
                text = "\n".join(text)
            self.fill(cell.text_frame, text, self.pt, align="center" if persp else st["halign"])
            if persp and mode == "rotated":
                cell.text_vertical_type = getattr(s.TextVerticalType, o["vert"])
            elif persp and mode == "stacked" and o["stack"] == "east_asian":
                cell.text_vertical_type = s.TextVerticalType.EAST_ASIAN_VERTICAL
            if persp and mode in ("rotated", "stacked") and text:
                need = len(text.replace("\n", "")) * self.pt * 1.25 + 12
                per = need / cnt
                for k in range(cnt):
                    row = t.rows[ri + k]
                    row.minimal_height = max(row.minimal_height, per)
        return t

    def format_cells(self, t, rows: list[Row], nh: int, n: int) -> None:
        s, st, o = self.s, self.st, self.o
        rules = st["rules"]
        m = {"default": (7.2, 3.6), "tight": (3.0, 1.5), "wide": (9.0, 5.0)}[o["margins"]]
        valign = s.TextAnchorType.CENTER if st["valign"] == "middle" else s.TextAnchorType.TOP
        line = LINE[o["line"]]
        w = float(o["line_w"])
        nrows = nh + len(rows)
        zebra_i = 0
        for ri in range(nrows):
            head = ri < nh
            kind = "head" if head else rows[ri - nh].kind
            if kind == "kpi":
                zebra_i += 1
            for j in range(n):
                cell = t.rows[ri][j]
                cell.margin_left = cell.margin_right = m[0]
                cell.margin_top = cell.margin_bottom = m[1]
                cell.text_anchor_type = s.TextAnchorType.CENTER if head else valign
                if o["preset"]:
                    continue
                fill = None
                if head and o["head_fill"]:
                    fill = HEAD_FILLS[o["head_fill"]]
                elif kind == "band":
                    fill = HEAD_FILLS["light"] if o["head_fill"] in (None, *DARK) else HEAD_FILLS[o["head_fill"]]
                elif rules == "zebra" and zebra_i % 2 == 0:
                    fill = ZEBRA[o["zebra_fill"]]
                ff = cell.cell_format.fill_format
                if fill:
                    ff.fill_type = s.FillType.SOLID
                    ff.solid_fill_color.color = _color(fill)
                else:
                    ff.fill_type = s.FillType.NO_FILL
                if rules == "grid":
                    edges = "LRTB"
                elif rules in ("hrules", "zebra"):
                    edges = "TB"
                else:
                    edges = "B" if ri == nh - 1 else ""
                fmt = cell.cell_format
                for side, border in (
                    ("L", fmt.border_left),
                    ("R", fmt.border_right),
                    ("T", fmt.border_top),
                    ("B", fmt.border_bottom),
                ):
                    if side in edges:
                        border.fill_format.fill_type = s.FillType.SOLID
                        border.fill_format.solid_fill_color.color = _color(line)
                        border.width = w
                    else:
                        border.fill_format.fill_type = s.FillType.NO_FILL

    def save(self, out_pdf: Path) -> None:
        s, o = self.s, self.o
        po = s.export.PdfOptions()
        po.embed_full_fonts = bool(o["embed_full"])
        po.text_compression = getattr(s.export.PdfTextCompression, o["text_compression"])
        po.sufficient_resolution = float(o["sufficient_resolution"])
        po.jpeg_quality = int(o["jpeg_quality"])
        po.compliance = getattr(s.export.PdfCompliance, o["compliance"])
        po.embed_true_type_fonts_for_ascii = bool(o["ascii_tt"])
        lo = s.export.NotesCommentsLayoutingOptions()
        lo.notes_position = s.export.NotesPositions.NONE
        po.slides_layout_options = lo
        self.p.save(str(out_pdf), s.export.SaveFormat.PDF, po)


class TooTall(ValueError):
    pass


def _font_name(path: str) -> str:
    from fontTools.ttLib import TTFont

    name = TTFont(path, lazy=True)["name"]
    return str(name.getDebugName(1))


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options, plus max_rows (KPI rows per slide at most) and font_pt."""
    import aspose.slides as slides

    tool_version()
    st = deck.style
    opts = {**producer_options(random.Random(0), st), **(options or {})}
    opts.setdefault("max_rows", st["max_rows"])
    opts.setdefault("font_pt", st["font_pt"])
    with tempfile.TemporaryDirectory(prefix="aspose-") as tmp:
        src = face_file(opts["font"])
        shutil.copy(src, tmp)
        slides.FontsLoader.clear_cache()
        slides.FontsLoader.load_external_fonts([tmp])
        name = _font_name(src)
        while True:
            try:
                b = Builder(deck, opts, name)
                b.build()
            except TooTall:
                if opts["font_pt"] <= 6:
                    raise
                opts["font_pt"] -= 1
                continue
            b.save(Path(out_pdf))
            find_pages(out_pdf, deck)
            problems = check(out_pdf, deck)
            if any("outside the page" in p for p in problems) and opts["font_pt"] > 6:
                opts["font_pt"] -= 1
                continue
            break
    opts["font_name"] = name
    opts["problems"] = problems
    return opts
