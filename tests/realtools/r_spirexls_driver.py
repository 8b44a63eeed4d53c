"""Driver of r_spirexls, run in Spire.XLS's own venv: `python r_spirexls_driver.py JOB.json RESULT.json` builds the
workbook a JSON job describes with Spire.XLS's API and prints it to PDF (in batches of sheets of at most `cap`
pages, joined by qpdf), or `--version`.  Texts come printable (folded to the face) from r_spirexls."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

NUM_RX = re.compile(r"^([≧≥≦≤]?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?(.*)$")
PT_PER_UNIT = 5.4375  # printed width of one column width unit
FOOTERS = {"of": "&P / &N", "zh": "第 &P 頁，共 &N 頁", "dash": "- &P -", "page": "第&P頁"}


def version() -> str:
    from importlib import metadata

    return metadata.version("spire.xls")


def numeric(text: str):
    """(value, Excel number format) printing `text` exactly, or None."""
    m = NUM_RX.match(text)
    if not m or "\n" in text:
        return None
    sym, whole, dec, unit = m.groups()
    if unit and (re.search(r"[0-9０-９\s\"\\;@#0?,.]", unit) or len(unit) > 4):
        return None
    if whole.startswith("0") and len(whole.replace(",", "")) > 1:
        return None
    num = float(whole.replace(",", "") + ("." + dec if dec else ""))
    body = ("#,##0" if "," in whole else "0") + ("." + "0" * len(dec) if dec else "")
    pre = f'"{sym}"' if sym else ""
    if unit == "%":
        return num / 100.0, f"{pre}{body}%"
    return num, pre + body + (f'"{unit}"' if unit else "")


def runs(rows: list[dict], key: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    prev = object()
    for i, r in enumerate(rows):
        cur = (r["kind"], r[key])
        if r["kind"] == "kpi" and cur == prev and not r.get("cut"):
            out[-1] = (out[-1][0], out[-1][1] + 1)
        elif r["kind"] == "kpi":
            out.append((i, 1))
        prev = cur
    return out


class Builder:
    def __init__(self, job: dict, only: set[str] | None = None, first_page: int = 1, total: int | None = None):
        import spire.xls as sx

        self.sx = sx
        self.j, self.o = job, job["opts"]
        self.face = job["face"]
        self.pt = float(job["pt"])
        self.only = only
        self.first_page = first_page
        self.total = total
        self.wb = sx.Workbook()
        self.wb.CustomFontFileDirectory = [job["font_dir"]]
        self.wb.DefaultFontName = self.face
        self.wb.DefaultFontSize = int(self.pt)
        self.n_sheets = 0
        self.fallbacks = 0
        self.names: list[str] = []

    # --- helpers ---------------------------------------------------------------------------------------------

    def rgb(self, c):
        return self.sx.Color.FromRgb(*c)

    def sheet(self, name: str):
        sx = self.sx
        if self.n_sheets == 0:
            ws = self.wb.Worksheets[0]
            ws.Name = name
            while self.wb.Worksheets.Count > 1:
                self.wb.Worksheets.RemoveAt(1)
        else:
            ws = self.wb.Worksheets.Add(name)
        self.n_sheets += 1
        self.names.append(name)
        o = self.o
        ps = ws.PageSetup
        ps.PaperSize = getattr(
            sx.PaperSizeType, {"A4": "PaperA4", "A3": "PaperA3", "LETTER": "PaperLetter"}[o["paper"]]
        )
        ps.Orientation = sx.PageOrientationType.Landscape if o["landscape"] else sx.PageOrientationType.Portrait
        if o["fit_wide"]:
            ps.FitToPagesWide = 1
            ps.FitToPagesTall = 0
        else:
            ps.Zoom = int(o["zoom"])
        ps.CenterHorizontally = bool(o["center_h"])
        ps.LeftMargin = ps.RightMargin = 0.5  # inches
        ps.TopMargin = ps.BottomMargin = 0.75
        ps.HeaderMarginInch = ps.FooterMarginInch = 0.3
        hdr = f'&"{self.face},Regular"&9'
        if o["header"] in ("org", "org_sheet"):
            ps.LeftHeader = hdr + self.j["org"]
        if o["header"] in ("sheet", "org_sheet"):
            ps.RightHeader = hdr + "&A"
        if o["footer"]:
            f = FOOTERS[o["footer"]]
            if self.total is not None:  # a batch of the deck: the author types the deck's page count
                f = f.replace("&N", str(self.total))
            ps.CenterFooter = hdr + f
        if o["footer_org"]:
            ps.LeftFooter = hdr + self.j["footer_org_text"]
        ps.PrintGridlines = bool(o["gridlines"])
        return ws

    def cell(self, ws, r: int, c: int):
        return ws.Range[r + 1, c + 1]

    def style(self, rg, size=None, bold=False, color=None, h="left", v="center", wrap=True, fill=None, rot=0):
        sx = self.sx
        s = rg.Style
        s.Font.FontName = self.face
        s.Font.Size = float(size or self.pt)
        s.Font.IsBold = bool(bold)
        if color:
            s.Font.Color = self.rgb(color)
        s.HorizontalAlignment = {"left": sx.HorizontalAlignType.Left, "center": sx.HorizontalAlignType.Center}[h]
        s.VerticalAlignment = {"top": sx.VerticalAlignType.Top, "center": sx.VerticalAlignType.Center}[v]
        s.WrapText = bool(wrap)
        if rot:
            s.Rotation = int(rot)
        if fill:
            s.Color = self.rgb(fill)

    def put(self, ws, r, c, text, **kw):
        rg = self.cell(ws, r, c)
        if text:
            rg.Text = text
        self.style(rg, **kw)
        return rg

    def put_value(self, ws, r, c, text: str, **kw):
        rg = self.cell(ws, r, c)
        self.style(rg, **kw)
        num = numeric(text) if self.o["numbers"] == "number" and text else None
        if num is None:
            if text:
                rg.Text = text
            return rg
        rg.NumberValue = num[0]
        rg.NumberFormat = num[1]
        if rg.DisplayedText != text:
            self.fallbacks += 1
            rg.NumberFormat = "@"
            rg.Text = text
        return rg

    def borders(self, ws, r0: int, r1: int, c0: int, c1: int, head: bool = False) -> None:
        sx, o = self.sx, self.o
        rules = o["rules"]
        kind = {"THIN": sx.LineStyleType.Thin, "HAIR": sx.LineStyleType.Hair, "MEDIUM_OUTER": sx.LineStyleType.Thin}[
            o["border"]
        ]
        col = self.rgb(tuple(o["line_rgb"]))
        B = sx.BordersLineType
        rg = ws.Range[r0 + 1, c0 + 1, r1 + 1, c1 + 1]
        if rules == "grid":
            rg.BorderAround(kind, col)
            rg.BorderInside(kind, col)
        elif rules in ("hrules", "zebra", "outer_h"):
            for r in range(r0, r1 + 1):
                row = ws.Range[r + 1, c0 + 1, r + 1, c1 + 1]
                for side in (B.EdgeTop, B.EdgeBottom):
                    row.Borders[side].LineStyle = kind
                    row.Borders[side].Color = col
            if rules == "outer_h":
                for side, c in ((B.EdgeLeft, c0), (B.EdgeRight, c1)):
                    part = ws.Range[r0 + 1, c + 1, r1 + 1, c + 1]
                    part.Borders[side].LineStyle = kind
                    part.Borders[side].Color = col
        elif head:
            rg.Borders[B.EdgeBottom].LineStyle = kind
            rg.Borders[B.EdgeBottom].Color = col
        if o["border"] == "MEDIUM_OUTER" and rules in ("grid", "outer_h"):
            rg.BorderAround(sx.LineStyleType.Medium, col)

    # --- sheets --------------------------------------------------------------------------------------------------

    def build(self) -> None:
        j = self.j
        navy = (0x1F, 0x4E, 0x79)
        wide = 110 if self.o["landscape"] else 75
        ws = self.sheet("封面")
        ws.SetColumnWidth(1, wide)
        for r, (text, size) in enumerate([(j["org"], 28), ("策略地圖與平衡計分卡", 24), (f"{j['year']}年度", 18)], 8):
            ws.SetRowHeight(r + 1, size * 2.0)
            self.put(ws, r, 0, text, size=size, bold=size > 20, h="center", color=navy)
        ws = self.sheet("轄區概況")
        ws.SetColumnWidth(1, 4)
        ws.SetColumnWidth(2, wide - 12)
        ws.SetRowHeight(1, 30)
        self.put(ws, 0, 1, "轄區概況", size=20, bold=True)
        for i, line in enumerate(j["profile"], 2):
            ws.SetRowHeight(i + 1, 24)
            self.put(ws, i, 1, line, size=14, wrap=False)
        self.strategy_map()
        if self.o["layout"] == "sheets":
            for t in j["themes"]:
                ws = self.sheet(f"策略主題{t['letter']}")
                self.theme_sheet(ws, [t])
        else:
            ws = self.sheet("平衡計分卡")
            self.theme_sheet(ws, j["themes"])
        if self.o["closing"]:
            ws = self.sheet("結語")
            ws.SetColumnWidth(1, wide)
            ws.SetRowHeight(11, 60)
            self.put(ws, 10, 0, "敬請指教", size=36, bold=True, h="center", color=navy)
        if self.only is not None:
            for name in self.names:
                if name not in self.only:
                    self.wb.Worksheets.Remove(self.wb.Worksheets[name])
            if self.first_page != 1:
                self.wb.Worksheets[0].PageSetup.FirstPageNumber = self.first_page

    def strategy_map(self) -> None:
        j = self.j
        ws = self.sheet("策略地圖")
        ws.SetColumnWidth(1, 14)
        for c in range(2, 7):
            ws.SetColumnWidth(c, 24 if self.o["landscape"] else 15)
        ws.SetRowHeight(1, 30)
        self.put(ws, 0, 0, f"{j['org']}策略地圖", size=18, bold=True, wrap=False)
        self.put(ws, 0, 5, j["map_date"], size=12, h="center")
        r = 2
        for p, objs in j["map"]:
            ws.SetRowHeight(r + 1, 44)
            self.put(ws, r, 0, p, size=11, bold=True, color=(0xFF, 0xFF, 0xFF), h="center", fill=(0x1F, 0x4E, 0x79))
            for k, name in enumerate(objs[:5], 1):
                rg = self.put(ws, r, k, name, size=11, h="center")
                rg.BorderAround(self.sx.LineStyleType.Thin, self.rgb((0x1F, 0x4E, 0x79)))
            r += 2

    def theme_sheet(self, ws, themes: list[dict]) -> None:
        j, o, sx = self.j, self.o, self.sx
        cols = j["cols"]
        n = len(cols)
        ids = [c["id"] for c in cols]
        two = j["two_row"]
        nh = 2 if two else 1
        for k, w in enumerate(j["widths"]):
            ws.SetColumnWidth(k + 1, float(w))
        # the author sizes the columns to the printable width at the zoom.  Spire prints a width unit as 5.4375 pt
        # (Calibri 11's 7.25 px) whatever the workbook's default font, while GetColumnWidthPixels measures it in the
        # default font (16 % short for UKai 9 pt), so the widths are set from the printed unit
        tot = sum(float(w) for w in j["widths"])
        for k, w in enumerate(j["widths"]):
            ws.SetColumnWidth(k + 1, min(250.0, round(j["target_pt"] * float(w) / tot / PT_PER_UNIT, 1)))
        hfill = tuple(o["head_rgb"]) if o["head_rgb"] else None
        hcolor = (0xFF, 0xFF, 0xFF) if o["head_dark"] else None
        long = o["layout"] == "long"
        shared_head = long and o["print_titles"] is not None
        r = 0
        turned: list[tuple[int, int, str]] = []
        breaks: list[int] = []
        title_rows: list[int] = []

        def title_row(text: str, size: float, bold=True, color=(0x1F, 0x4E, 0x79)):
            nonlocal r
            self.put(ws, r, 0, text, size=size, bold=bold, color=color, wrap=False)
            ws.Range[r + 1, 1, r + 1, n].Merge()
            ws.SetRowHeight(r + 1, size * 1.9)
            title_rows.append(r)
            r += 1

        def head():
            nonlocal r
            h0 = r
            k = 0
            kw = {"bold": o["head_bold"], "h": "center", "fill": hfill, "color": hcolor}
            while k < n:
                c = cols[k]
                if two and c["group"]:
                    e = k
                    while e + 1 < n and cols[e + 1]["group"] == c["group"]:
                        e += 1
                    self.put(ws, h0, k, c["group"], **kw)
                    for m in range(k + 1, e + 1):
                        self.style(self.cell(ws, h0, m), fill=hfill)
                    if e > k:
                        ws.Range[h0 + 1, k + 1, h0 + 1, e + 1].Merge()
                    for m in range(k, e + 1):
                        self.put(ws, h0 + 1, m, cols[m]["sub"] or "", **kw)
                    k = e + 1
                    continue
                self.put(ws, h0, k, c["label"], **kw)
                if two:
                    self.style(self.cell(ws, h0 + 1, k), fill=hfill)
                    ws.Range[h0 + 1, k + 1, h0 + 2, k + 1].Merge()
                k += 1
            self.borders(ws, h0, h0 + nh - 1, 0, n - 1, head=True)
            r += nh
            return h0

        head_rows = None
        if long:
            title_row(f"{j['org']}{j['year']}年度平衡計分卡", self.pt + 6)
            if shared_head:
                head_rows = (head(), nh)
        for ti, t in enumerate(themes):
            if long and ti and o["theme_break"]:
                breaks.append(r)
            t0 = r
            title_row(t["title"], self.pt + (2 if long else 5))
            if not long and o["subtitle"]:
                title_row(j["subtitle"], self.pt + 1, bold=False, color=(0x40, 0x40, 0x40))
            if not shared_head:
                h0 = head()
                if head_rows is None:
                    head_rows = (h0, nh) if o["print_titles"] != "title_head" else (t0, h0 - t0 + nh)
            rows = t["rows"]
            r0 = r
            kpi_i = 0
            for i, row in enumerate(rows):
                rr = r0 + i
                if row["kind"] == "band":
                    fill = tuple(o["band_rgb"])
                    self.put(ws, rr, 0, row["cells"]["band"], bold=True, fill=fill)
                    ws.Range[rr + 1, 1, rr + 1, n].Merge()
                    self.borders(ws, rr, rr, 0, n - 1)
                    continue
                kpi_i += 1
                zfill = tuple(o["zebra_rgb"]) if o["rules"] == "zebra" and kpi_i % 2 == 0 else None
                if o["manual_breaks"] and kpi_i > 1 and (kpi_i - 1) % int(o["max_rows"]) == 0:
                    breaks.append(rr)
                for k, c in enumerate(cols):
                    kw = {"h": j["halign"], "v": "center" if j["valign"] == "middle" else "top", "fill": zfill}
                    if c["id"] in ("persp", "obj"):
                        self.style(self.cell(ws, rr, k), **kw)
                    elif c["id"] in ("a0", "a1", "a2", "t", "w"):
                        self.put_value(ws, rr, k, row["cells"].get(c["id"], ""), **{**kw, "h": "center"})
                    else:
                        self.put(ws, rr, k, row["cells"].get(c["id"], ""), **kw)
                self.borders(ws, rr, rr, 0, n - 1)
            for key in ("persp", "obj"):
                if key not in ids:
                    continue
                k = ids.index(key)
                how = o["labels"] if key == "persp" else o["obj_labels"]
                for start, cnt in runs(rows, key):
                    text = rows[start]["cells"][key]
                    rot = 0
                    if key == "persp" and j["persp_mode"] == "rotated":
                        rot = int(o["turn"])
                    elif key == "persp" and j["persp_mode"] == "stacked":
                        if o["stack"] == "vertical":
                            rot = 255
                        else:
                            text = "\n".join(text)
                    for m in range(cnt):
                        rg = self.cell(ws, r0 + start + m, k)
                        lab = text if m == 0 or how == "repeat" else ""
                        if lab:
                            rg.Text = lab
                        if key == "persp":
                            rg.Style.HorizontalAlignment = sx.HorizontalAlignType.Center
                        if how == "merge":
                            rg.Style.VerticalAlignment = sx.VerticalAlignType.Center
                        if rot:
                            rg.Style.Rotation = rot
                        if key == "persp" and lab and (rot or "\n" in lab):
                            turned.append((r0 + start + m, cnt if how == "merge" else 1, lab))
                    if cnt > 1 and how == "merge":
                        ws.Range[r0 + start + 1, k + 1, r0 + start + cnt, k + 1].Merge()
            r = r0 + len(rows)
        self.fit_rows(ws, r, turned, title_rows)
        if head_rows and o["print_titles"]:
            a, k = head_rows
            ws.PageSetup.PrintTitleRows = f"${a + 1}:${a + k}"
        for b in breaks:
            ws.HPageBreaks.Add(ws.Range[b + 1, 1])

    def fit_rows(self, ws, last: int, turned, title_rows) -> None:
        o = self.o
        ws.AllocatedRange.AutoFitRows()
        for t in title_rows:
            ws.SetRowHeight(t + 1, max(ws.GetRowHeight(t + 1), self.pt * 2.2))
        for r0, cnt, text in turned:
            need = len(text.replace("\n", "")) * self.pt * 1.25 + 10
            have = sum(ws.GetRowHeight(r0 + k + 1) for k in range(cnt))
            if have < need:
                for k in range(cnt):
                    ws.SetRowHeight(r0 + k + 1, ws.GetRowHeight(r0 + k + 1) + (need - have) / cnt)
        grow = float(o.get("grow") or 1.0)
        for rr in range(last):
            h = ws.GetRowHeight(rr + 1)
            if o["rowfit"] == "fixed":
                h = math.ceil(h * o["row_slack"] / 3.0) * 3.0
            if grow > 1.0 or o["rowfit"] == "fixed":
                ws.SetRowHeight(rr + 1, min(409.0, h * grow))

    def save(self, out_pdf: str) -> None:
        sx, o, j = self.sx, self.o, self.j
        cs = self.wb.ConverterSetting
        if o["conformance"]:
            cs.PdfConformanceLevel = getattr(sx.PdfConformanceLevel, o["conformance"])
        if j["watermark"]:
            for ws in self.wb.Worksheets:
                if ws.Name.startswith("策略主題") or ws.Name == "平衡計分卡":
                    tb = ws.TextBoxes.AddTextBox(4, 2, 120, 420)
                    tb.Text = j["watermark_text"]
                    tb.Fill.Visible = False
                    tb.Line.Visible = False
                    tb.RichText.SetFont(0, len(j["watermark_text"]) - 1, self.wm_font())
                    tb.TextRotation = sx.TextRotationType.LeftToRight
        self.wb.SaveToFile(out_pdf, sx.FileFormat.PDF)

    def wm_font(self):
        f = self.wb.CreateFont()
        f.FontName = self.face
        f.Size = 60
        f.Color = self.rgb((0xC8, 0xC8, 0xC8))
        return f


class Loader:
    """The "xlsx" mode: r_xlsx's openpyxl workbook loaded by `LoadFromFile` and printed as it is, bar the author's
    fixes: rows auto-fitted by Spire (`autofit`) and raised by `grow` where Spire's line breaking needs more."""

    def __init__(self, job: dict, only: set[str] | None = None, first_page: int = 1, total: int | None = None):
        import spire.xls as sx

        self.sx, self.j, self.o = sx, job, job["opts"]
        self.only, self.first_page, self.total = only, first_page, total
        self.fallbacks = 0
        self.wb = sx.Workbook()
        self.wb.CustomFontFileDirectory = [job["font_dir"]]

    def build(self) -> None:
        o = self.o
        self.wb.LoadFromFile(self.j["xlsx"])
        self.names = [ws.Name for ws in self.wb.Worksheets]
        grow = float(o.get("grow") or 1.0)
        for ws in self.wb.Worksheets:
            if ws.Name.startswith("主題"):
                last = ws.LastRow
                if o["autofit"]:
                    ws.AllocatedRange.AutoFitRows()
                if grow > 1.0:
                    for r in range(3, last + 1):
                        ws.SetRowHeight(r, min(409.0, ws.GetRowHeight(r) * grow))
            if o["footer"]:
                f = FOOTERS[o["footer"]]
                if self.total is not None:
                    f = f.replace("&N", str(self.total))
                ws.PageSetup.CenterFooter = f'&"{self.j["face"]},Regular"&9' + f
        if self.only is not None:
            for name in self.names:
                if name not in self.only:
                    self.wb.Worksheets.Remove(self.wb.Worksheets[name])
            if self.first_page != 1:
                self.wb.Worksheets[0].PageSetup.FirstPageNumber = self.first_page

    def save(self, out_pdf: str) -> None:
        self.wb.SaveToFile(out_pdf, self.sx.FileFormat.PDF)


def npages(pdf: str) -> int:
    out = subprocess.run(["qpdf", "--show-npages", pdf], capture_output=True, text=True)
    return int(out.stdout.strip())


def has_ad(pdf: str) -> int:
    """1 when the last page is Spire's advertisement ('Spire.XLS for Python', 'e-iceblue Inc.', 'Buy Now!')."""
    n = npages(pdf)
    out = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), pdf, "-"], capture_output=True, text=True)
    return int("e-iceblue" in out.stdout and "Buy Now" in out.stdout)


def main() -> None:
    if sys.argv[1] == "--version":
        print(version())
        return
    job = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    cap, prefix = int(job["cap"]), job["out_prefix"]
    make = Loader if job.get("mode") == "xlsx" else Builder
    b = make(job)
    b.build()
    names = list(b.names)
    # pages of each sheet, each printed alone from a workbook of that sheet only (the unlicensed build prints only the
    # first `cap` pages of a conversion, and an advertisement page after a shorter one)
    pages = []
    for i, name in enumerate(names):
        p = f"{prefix}-sheet{i}.pdf"
        one = make(job, only={name})
        one.build()
        one.save(p)
        pages.append(npages(p) - has_ad(p))
        Path(p).unlink()
    res = {"sheets": names, "sheet_pages": pages, "fallbacks": b.fallbacks, "files": []}
    if max(pages) >= cap:
        res["too_long"] = True
        Path(sys.argv[2]).write_text(json.dumps(res, ensure_ascii=False), encoding="utf-8")
        return
    total = sum(pages)
    if total <= cap:
        b.save(f"{prefix}-0.pdf")
        res["files"].append(f"{prefix}-0.pdf")
    else:
        batches: list[list[int]] = [[]]
        for i, n in enumerate(pages):
            if sum(pages[k] for k in batches[-1]) + n > cap:
                batches.append([])
            batches[-1].append(i)
        first = 1
        for bi, idx in enumerate(batches):
            bb = make(job, only={names[i] for i in idx}, first_page=first, total=total)
            bb.build()
            p = f"{prefix}-{bi}.pdf"
            bb.save(p)
            res["files"].append(p)
            first += sum(pages[i] for i in idx)
    res["batches"] = len(res["files"])
    Path(sys.argv[2]).write_text(json.dumps(res, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
