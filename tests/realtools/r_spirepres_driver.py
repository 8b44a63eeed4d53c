"""Driver of r_spirepres: Spire.Presentation for Python builds or loads the deck and saves it as PDF.

Run by the interpreter of its own virtualenv (/work/gen/venv-spirepres: spire.presentation's NativeAOT library and
its plum-dispatch 1.7.4 kept apart from the other commercial engines of /work/gen/venv).  Imports nothing from the
repository: r_spirepres writes the job with every printed text already chosen (faces' missing characters folded).

    python r_spirepres_driver.py --version
    python r_spirepres_driver.py job.json result.json

Two modes:
- "pptx": a python-pptx deck (r_poislides' Builder) loaded by `Presentation.LoadFromFile`; the table shapes'
  bottoms are reported (Spire grows rows to its own line breaking) and the deck saved in batches of at most `cap`
  slides (slides outside the batch removed, `FirstSlideNumber` set to the batch's first), one PDF per batch;
- "api": the deck built with Spire's own API (AppendShape text boxes, `Shapes.AppendTable`, `MergeCells`, cell
  fills and borders or `SetTableBorder`, table style presets, `VerticalTextType`), each theme's rows split over
  slides by the grown table height measured on a scratch slide, each batch of at most `cap` slides built as its own
  Presentation (slides appended past the 10th carry a second evaluation stamp, so no Presentation holds more).
"""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path

NAVY = (0x1F, 0x3A, 0x68)
GREY = (0x59, 0x59, 0x59)


def _sp():
    import spire.presentation as sp
    import spire.presentation.common as spc

    return sp, spc


def color(rgb):
    _, spc = _sp()
    return spc.Color.FromArgb(255, int(rgb[0]), int(rgb[1]), int(rgb[2]))


def new_presentation(W: float, H: float):
    sp, spc = _sp()
    p = sp.Presentation()
    p.SlideSize.Type = sp.SlideSizeType.Custom
    p.SlideSize.Size = spc.SizeF(float(W), float(H))
    return p


class Builder:
    def __init__(self, job: dict) -> None:
        self.sp, self.spc = _sp()
        self.j = job
        self.o = job["opts"]
        self.W, self.H = job["W"], job["H"]
        self.ea, self.latin = job["ea"], job["latin"]
        self.pt = float(job["pt"])
        self.cols = job["cols"]
        self.scratch = new_presentation(self.W, self.H)

    # --- text ------------------------------------------------------------------------------------------------

    def fill(self, tf, text: str, size: float, bold=False, align="left", rgb=None) -> None:
        sp = self.sp
        tf.Paragraphs.Clear()
        for line in text.split("\n"):
            para = sp.TextParagraph()
            para.Alignment = sp.TextAlignmentType.Center if align == "center" else sp.TextAlignmentType.Left
            tr = sp.TextRange(line)
            tr.FontHeight = float(size)
            tr.LatinFont = sp.TextFont(self.latin)
            tr.EastAsianFont = sp.TextFont(self.ea)
            tr.IsBold = sp.TriState.TTrue if bold else sp.TriState.TFalse
            if rgb != "style":  # "style": the table preset's own text colour
                tr.Fill.FillType = sp.FillFormatType.Solid
                tr.Fill.SolidColor.Color = color(rgb or (0, 0, 0))
            para.TextRanges.Append(tr)
            tf.Paragraphs.Append(para)

    def box(self, sl, x, y, w, h, text, size, bold=False, align="left", rgb=None, rot=0.0, autofit=False, top=False):
        sp, spc = self.sp, self.spc
        shp = sl.Shapes.AppendShape(sp.ShapeType.Rectangle, spc.RectangleF.FromLTRB(x, y, x + w, y + h))
        shp.Fill.FillType = sp.FillFormatType.none
        shp.Line.FillType = sp.FillFormatType.none
        self.fill(shp.TextFrame, text, size, bold, align, rgb)
        shp.TextFrame.WordWrap = True
        shp.TextFrame.AnchoringType = sp.TextAnchorType.Top if top else sp.TextAnchorType.Center
        if autofit:
            shp.TextFrame.AutofitType = sp.TextAutofitType.Normal
        if rot:
            shp.Rotation = float(rot)
        return shp

    # --- slides ----------------------------------------------------------------------------------------------

    def plan(self) -> list[dict]:
        """The slides in order: each theme split by measured table heights into '--i/n' parts."""
        out = []
        for s in self.j["slides"]:
            if s["kind"] != "theme":
                out.append(s)
                continue
            parts = self.split(s["rows"])
            for i, part in enumerate(parts):
                title = s["title"] + (f"--{i + 1}/{len(parts)}" if len(parts) > 1 and s["cont_marker"] else "")
                out.append({"kind": "table", "title": title, "rows": part, "theme": s["letter"]})
        return out

    def split(self, rows: list[dict]) -> list[list[dict]]:
        p = self.scratch
        sl = p.Slides[0]
        limit = self.H - self.j["foot_space"]
        parts: list[list[dict]] = []
        i = 0
        budget = int(self.o["max_rows"])
        while i < len(rows):
            n, kpis = 0, 0
            while i + n < len(rows) and (rows[i + n]["kind"] == "band" or kpis < budget):
                kpis += rows[i + n]["kind"] == "kpi"
                n += 1
            while True:
                part = rows[i : i + n]
                while i + len(part) < len(rows) and part and part[-1]["kind"] == "band":
                    part = part[:-1]
                t = self.table(sl, part)
                bottom = t.Top + t.Height
                sl.Shapes.Remove(t)
                if bottom <= limit:
                    break
                if sum(r["kind"] == "kpi" for r in part) <= 1:
                    raise RuntimeError(f"TOO_TALL one row is {bottom - 62:.0f} pt tall")
                n = len(part) - 1
            parts.append(part)
            i += len(part)
        return parts

    def build(self, out_prefix: str) -> dict:
        slides = self.plan()
        cap = int(self.j["cap"])
        total = len(slides)
        files = []
        table_pages = {}
        for b0 in range(0, total, cap):
            p = new_presentation(self.W, self.H)
            for k, spec in enumerate(slides[b0 : b0 + cap]):
                sl = p.Slides[0] if k == 0 else p.Slides.Append()
                n = b0 + k + 1
                self.slide(sl, spec)
                if spec["kind"] == "table":
                    for r in spec["rows"]:
                        if r["kind"] == "kpi":
                            table_pages[r["code"]] = n
                self.footer(sl, n, total)
            if self.o["footer"] == "hf":
                if self.o["footer_org"]:
                    p.SetFooterText(self.j["footer_text"])
                    p.SetFooterVisible(True)
                p.SetSlideNoVisible(True)
                p.FirstSlideNumber = b0 + 1
            f = f"{out_prefix}-{len(files):02d}.pdf"
            self.save(p, f)
            files.append(f)
            p.Dispose()
        return {"files": files, "slides": total, "pages": table_pages}

    def save(self, p, path: str) -> None:
        sp = self.sp
        if self.o["embed_ttf"] is not None:
            p.EmbedTrueTypeFonts = bool(self.o["embed_ttf"])
        if self.o["conformance"]:
            p.SaveToPdfOption.PdfConformanceLevel = getattr(sp.PdfConformanceLevel, self.o["conformance"])
        p.SaveToFile(path, sp.FileFormat.PDF)

    def slide(self, sl, spec: dict) -> None:
        W, H, j = self.W, self.H, self.j
        kind = spec["kind"]
        if kind == "title":
            self.box(sl, 0, H * 0.28, W, 70, j["org"], 36, True, "center", NAVY)
            self.box(sl, 0, H * 0.45, W, 70, "策略地圖與平衡計分卡", 30, True, "center")
            self.box(sl, 0, H * 0.62, W, 40, f"{j['year']}年度", 20, False, "center")
        elif kind == "profile":
            self.box(sl, 40, 24, W - 80, 46, "轄區概況", 28, True, rgb=NAVY)
            self.box(sl, 56, 100, W - 110, 240, "\n".join(spec["lines"]), 20, top=True)
        elif kind == "map":
            self.strategy_map(sl, spec)
        elif kind == "table":
            wm = j["watermark"]
            if wm and self.o["watermark_under"]:
                self.watermark(sl)
            self.title(sl, spec["title"])
            self.table(sl, spec["rows"])
            if wm and not self.o["watermark_under"]:
                self.watermark(sl)
        else:
            self.box(sl, 0, H * 0.4, W, 80, "敬請指教", 40, True, "center", NAVY)

    def strategy_map(self, sl, spec: dict) -> None:
        sp, spc, W = self.sp, self.spc, self.W
        self.box(sl, 32, 20, W - 190, 46, f"{self.j['org']}策略地圖", 24, True, rgb=NAVY)
        self.box(sl, W - 150, 24, 134, 40, self.j["map_date"], 18)
        y = 88.0
        for label, objs in spec["rows"]:
            self.box(sl, 24, y + 6, 100, 40, label, 14, True, rgb=NAVY)
            x = 134.0
            for name in objs:
                w = min(200.0, 12.0 * len(name) + 26)
                if x + w > W - 16:
                    break
                shp = sl.Shapes.AppendShape(sp.ShapeType.Ellipse, spc.RectangleF.FromLTRB(x, y, x + w, y + 52))
                shp.Fill.FillType = sp.FillFormatType.Solid
                shp.Fill.SolidColor.Color = color((0xFF, 0xFF, 0xFF))
                shp.Line.FillType = sp.FillFormatType.Solid
                shp.Line.SolidFillColor.Color = color(NAVY)
                self.fill(shp.TextFrame, name, 11, align="center")
                x += w + 10
            y += 80

    def title(self, sl, text: str) -> None:
        sp, spc, o, W = self.sp, self.spc, self.o, self.W
        right = 150 if self.j["logo"] else 0
        self.box(
            sl, 20, 8, W - 40 - right, 46, text, o["title_pt"], True, o["title_align"], NAVY, autofit=o["title_autofit"]
        )
        if not self.j["logo"]:
            return
        if o["logo_kind"] == "badge":
            shp = sl.Shapes.AppendShape(
                sp.ShapeType.RoundCornerRectangle, spc.RectangleF.FromLTRB(W - 146, 14.0, W - 20, 48.0)
            )
            shp.Fill.FillType = sp.FillFormatType.Solid
            shp.Fill.SolidColor.Color = color((0xFF, 0xFF, 0xFF))
            shp.Line.FillType = sp.FillFormatType.Solid
            shp.Line.SolidFillColor.Color = color(NAVY)
            self.fill(shp.TextFrame, self.j["short"], 13, True, "center", NAVY)
        else:
            self.box(sl, W - 146, 16, 130, 30, self.j["short"], 14, True, "center", NAVY)

    def watermark(self, sl) -> None:
        self.box(sl, self.W * 0.22, self.H * 0.36, 420, 90, "內部資料", 60, rgb=(0xD0, 0xD0, 0xD0), rot=-30)

    def footer(self, sl, n: int, total: int) -> None:
        o = self.o
        if n == 1 or o["footer"] == "hf":
            return
        y = self.H - 26
        if o["footer_org"]:
            self.box(sl, 24, y, self.W * 0.6, 18, self.j["footer_text"], 8, rgb=GREY)
        if o["footer"]:
            txt = {"dash": "- {n} -", "of": "{n} / {N}", "zh": "第 {n} 頁，共 {N} 頁"}[o["footer"]].format(n=n, N=total)
            self.box(sl, self.W - 150, y, 126, 18, txt, 9, rgb=GREY, align="center")

    # --- the table -------------------------------------------------------------------------------------------

    def table(self, sl, rows: list[dict]):
        sp, o, cols = self.sp, self.o, self.cols
        two = self.j["two_row"]
        nh = 2 if two else 1
        n = len(cols)
        x0, y0 = 18.0, 62.0
        width = self.W - 36
        tot = sum(c["weight"] for c in cols)
        widths = [width * c["weight"] / tot for c in cols]
        heights = [self.pt * 1.8] * (nh + len(rows))
        t = sl.Shapes.AppendTable(x0, y0, widths, heights)
        preset = o["preset"]
        if preset:
            t.StylePreset = getattr(sp.TableStylePreset, preset)
            t.FirstRow = True
            t.HorizontalBanding = self.j["rules"] == "zebra"
        else:
            t.StylePreset = sp.TableStylePreset.none
            t.FirstRow = False
            t.HorizontalBanding = False
        ids = [c["id"] for c in cols]
        cell = lambda r, c: t[c, r]  # noqa: E731 - Spire indexes tables [column, row]
        heads = []
        j = 0
        while j < n:
            c = cols[j]
            if two and c["group"]:
                k = j
                while k + 1 < n and cols[k + 1]["group"] == c["group"]:
                    k += 1
                if k > j:
                    t.MergeCells(cell(0, j), cell(0, k), False)
                heads.append((0, j, c["group"]))
                heads += [(1, m, cols[m]["sub"] or "") for m in range(j, k + 1)]
                j = k + 1
                continue
            if two:
                t.MergeCells(cell(0, j), cell(1, j), False)
            heads.append((0, j, c["label"]))
            j += 1
        for i, r in enumerate(rows):
            if r["kind"] == "band":
                t.MergeCells(cell(nh + i, 0), cell(nh + i, n - 1), False)
        labels = []
        for key in ("persp", "obj"):
            if key not in ids:
                continue
            jj = ids.index(key)
            for start, cnt in runs(rows, key):
                blank = start == 0 and self.j["blank_cont"] and rows[start][f"{key}_cont"]
                text = "" if blank else rows[start]["cells"][key]
                if cnt > 1 and o["labels"] == "merge":
                    t.MergeCells(cell(nh + start, jj), cell(nh + start + cnt - 1, jj), False)
                    labels.append((nh + start, jj, text, key == "persp", cnt))
                    continue
                for k in range(cnt):
                    lab = text if k == 0 else (rows[start]["cells"][key] if o["labels"] == "repeat" else "")
                    labels.append((nh + start + k, jj, lab, key == "persp", 1))
        self.format_cells(t, rows, nh, n)
        hcolor = "style" if preset else (0xFF, 0xFF, 0xFF) if o["head_fill"] in ("navy", "blue") else None
        for ri, jj, text in heads:
            rgb = None if preset and ri > 0 else hcolor
            self.fill(cell(ri, jj).TextFrame, text, self.pt, o["head_bold"], "center", rgb)
        halign = self.j["halign"]
        for i, r in enumerate(rows):
            ri = nh + i
            if r["kind"] == "band":
                self.fill(cell(ri, 0).TextFrame, r["cells"]["band"], self.pt, True)
                continue
            for jj, c in enumerate(cols):
                if c["id"] not in ("persp", "obj"):
                    self.fill(cell(ri, jj).TextFrame, r["cells"].get(c["id"], ""), self.pt, align=halign)
        mode = self.j["persp_mode"]
        for ri, jj, text, persp, cnt in labels:
            c = cell(ri, jj)
            if persp and mode == "stacked" and o["stack"] == "lines":
                text = "\n".join(text)
            self.fill(c.TextFrame, text, self.pt, align="center" if persp else halign)
            if persp and mode == "rotated":
                c.VerticalTextType = getattr(sp.VerticalTextType, o["vert"])
            elif persp and mode == "stacked" and o["stack"] == "east_asian":
                c.VerticalTextType = sp.VerticalTextType.EastAsianVertical
            if persp and mode in ("rotated", "stacked") and text:
                need = len(text.replace("\n", "")) * self.pt * 1.25 + 12
                per = need / cnt
                for k in range(cnt):
                    row = t.TableRows[ri + k]
                    if row.Height < per:
                        row.Height = per
        return t

    def format_cells(self, t, rows: list[dict], nh: int, n: int) -> None:
        sp, o = self.sp, self.o
        rules = self.j["rules"]
        m = {"default": (7.2, 3.6), "tight": (3.0, 1.5), "wide": (9.0, 5.0)}[o["margins"]]
        valign = sp.TextAnchorType.Center if self.j["valign"] == "middle" else sp.TextAnchorType.Top
        line = o["line_rgb"]
        w = float(o["line_w"])
        zebra_i = 0
        for ri in range(nh + len(rows)):
            head = ri < nh
            kind = "head" if head else rows[ri - nh]["kind"]
            if kind == "kpi":
                zebra_i += 1
            for j in range(n):
                c = t[j, ri]
                c.MarginLeft = c.MarginRight = m[0]
                c.MarginTop = c.MarginBottom = m[1]
                c.TextAnchorType = sp.TextAnchorType.Center if head else valign
                if o["preset"]:
                    continue
                fill = None
                if head and o["head_fill"]:
                    fill = o["head_rgb"]
                elif kind == "band":
                    fill = o["band_rgb"]
                elif rules == "zebra" and zebra_i % 2 == 0:
                    fill = o["zebra_rgb"]
                if fill:
                    c.FillFormat.FillType = sp.FillFormatType.Solid
                    c.FillFormat.SolidColor.Color = color(fill)
                else:
                    c.FillFormat.FillType = sp.FillFormatType.none
                if o["borders"] == "table":
                    continue
                if rules == "grid":
                    edges = "LRTB"
                elif rules in ("hrules", "zebra"):
                    edges = "TB"
                else:
                    edges = "B" if ri == nh - 1 else ""
                for side, b in (("L", c.BorderLeft), ("R", c.BorderRight), ("T", c.BorderTop), ("B", c.BorderBottom)):
                    if side in edges:
                        b.FillType = sp.FillFormatType.Solid
                        b.SolidFillColor.Color = color(line)
                        b.Width = w
                    else:
                        b.FillType = sp.FillFormatType.none
        if o["borders"] == "table" and not o["preset"]:
            BT = sp.TableBorderType
            t.SetTableBorder(BT.none, w, color(line))
            if rules == "grid":
                t.SetTableBorder(BT.All, w, color(line))
            elif rules in ("hrules", "zebra"):
                t.SetTableBorder(BT.InsideHorizontal, w, color(line))
                t.SetTableBorder(BT.ToggleTop, w, color(line))
                t.SetTableBorder(BT.ToggleBottom, w, color(line))
            else:
                for j in range(n):
                    b = t[j, nh - 1].BorderBottom
                    b.FillType = sp.FillFormatType.Solid
                    b.SolidFillColor.Color = color(line)
                    b.Width = w


def runs(rows: list[dict], key: str) -> list[tuple[int, int]]:
    """(start, length) of consecutive KPI rows of one 構面 or objective (band rows end a run): layout.runs."""
    out: list[tuple[int, int]] = []
    prev = object()
    for i, r in enumerate(rows):
        cur = (r[key], r["kind"])
        if r["kind"] == "kpi" and cur == prev:
            out[-1] = (out[-1][0], out[-1][1] + 1)
        elif r["kind"] == "kpi":
            out.append((i, 1))
        prev = cur
    return out


def run_pptx(job: dict, out_prefix: str) -> dict:
    """Load the python-pptx deck, report its tables' bottoms, save it batch by batch."""
    sp, _ = _sp()
    p = sp.Presentation()
    p.LoadFromFile(job["pptx"])
    total = p.Slides.Count
    bottoms = []
    for k in range(total):
        sl = p.Slides[k]
        for m in range(sl.Shapes.Count):
            shp = sl.Shapes[m]
            if isinstance(shp, sp.ITable):
                bottoms.append((k + 1, shp.Top + shp.Height))
    p.Dispose()
    cap = int(job["cap"])
    files = []
    for b0 in range(0, total, cap):
        q = sp.Presentation()
        q.LoadFromFile(job["pptx"])
        for k in reversed(range(total)):
            if not b0 <= k < b0 + cap:
                q.Slides.RemoveAt(k)
        q.FirstSlideNumber = b0 + 1
        f = f"{out_prefix}-{len(files):02d}.pdf"
        q.SaveToFile(f, sp.FileFormat.PDF)
        files.append(f)
        q.Dispose()
    return {"files": files, "slides": total, "bottoms": bottoms}


def main(job_path: str, res_path: str) -> None:
    sp, _ = _sp()
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    sp.Presentation.SetCustomFontsDirctory(job["font_dir"])
    res = run_pptx(job, job["out_prefix"]) if job["mode"] == "pptx" else Builder(job).build(job["out_prefix"])
    res["version"] = metadata.version("spire.presentation")
    Path(res_path).write_text(json.dumps(res, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--version"]:
        print(metadata.version("spire.presentation"))
    else:
        main(sys.argv[1], sys.argv[2])
