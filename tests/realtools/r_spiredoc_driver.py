"""Spire.Doc driver for r_spiredoc: builds a Word document from a JSON job with Spire.Doc's API (or loads a .docx)
and saves it as PDF, in parts of at most `cap` pages joined by the caller.

Run in the venv holding spire.doc (python r_spiredoc_driver.py JOB.json RESULT.json, or --version).  The job is a
list of blocks (paragraphs, page breaks, tables of rows of cells, with vertical/horizontal merges) in points.  The
unlicensed build converts only the first 10 pages of a document, so a longer document is cut by
`Document.ExtractPages(first, count)` into parts of `cap` pages (fields already laid out: PAGE/NUMPAGES keep the
whole document's numbers), each saved to its own PDF; the result lists the parts with the page count Spire gives
each, and the whole document's page count.
"""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path


def main(job_path: str, res_path: str) -> None:
    import spire.doc as sd
    from spire.doc.common import Color

    job = json.loads(Path(job_path).read_text(encoding="utf-8"))

    def rgb(h: str):
        return Color.FromArgb(255, int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))

    align = {
        "left": sd.HorizontalAlignment.Left,
        "center": sd.HorizontalAlignment.Center,
        "right": sd.HorizontalAlignment.Right,
    }
    valign = {"top": sd.VerticalAlignment.Top, "middle": sd.VerticalAlignment.Middle}
    orient = {  # Spire's names are not Word's: LeftToRight is written btLr, RightToLeft tbRl, RightToLeftRotated tbRlV
        "up": sd.TextDirection.LeftToRight,
        "down": sd.TextDirection.RightToLeft,
        "vertical": sd.TextDirection.RightToLeftRotated,  # ideographs upright in a column
    }

    def font(tr, size: float, bold: bool = False, color: str | None = None) -> None:
        cf = tr.CharacterFormat
        cf.FontNameFarEast = job["font"]
        cf.FontNameAscii = cf.FontNameNonFarEast = job["latin_font"]
        cf.FontSize = size
        cf.Bold = bold
        if color:
            cf.TextColor = rgb(color)

    def write(p, text: str, size: float, bold: bool = False, color: str | None = None, newline: str = "line"):
        """Text with '\\n' as line breaks (Shift+Enter); with newline='paragraph' as new paragraphs of the cell,
        returning the last one."""
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if line:
                font(p.AppendText(line), size, bold, color)
            if i < len(lines) - 1:
                if newline == "paragraph":
                    q = p.OwnerTextBody.AddParagraph()
                    q.Format.HorizontalAlignment = p.Format.HorizontalAlignment
                    q.Format.AfterSpacing = p.Format.AfterSpacing
                    q.Format.BeforeSpacing = 0
                    q.Format.LineSpacing = p.Format.LineSpacing
                    q.Format.LineSpacingRule = p.Format.LineSpacingRule
                    p = q
                else:
                    p.AppendBreak(sd.BreakType.LineBreak)
        return p

    doc = sd.Document()
    if job["mode"] == "docx":
        doc.LoadFromFile(job["docx"])
    doc.SetCustomFontsFolders(job["font_dir"])
    if job["mode"] == "api":
        build(sd, doc, job, rgb, align, valign, orient, font, write)
    total = doc.PageCount
    params = sd.ToPdfParameterList()
    sv = job["save"]
    if sv.get("embed_all") is not None:
        params.IsEmbeddedAllFonts = bool(sv["embed_all"])
    if sv.get("conformance"):
        params.PdfConformanceLevel = getattr(sd.PdfConformanceLevel, sv["conformance"])
    if sv.get("bookmarks"):
        params.CreateWordBookmarksUsingHeadings = True
        params.CreateWordBookmarks = True
    cap = int(job["cap"])
    files = []
    if total <= cap and not job.get("force_parts"):
        f = f"{job['out_prefix']}-00.pdf"
        doc.SaveToFile(f, params)
        files.append([f, total])
    else:
        first = 0
        while first < total:
            n = min(int(job["part"]), total - first)
            sub = doc.ExtractPages(first, n)
            f = f"{job['out_prefix']}-{len(files):02d}.pdf"
            sub.SaveToFile(f, params)
            files.append([f, n, sub.PageCount])
            sub.Close()
            first += n
    res = {"pages": total, "files": files, "version": metadata.version("spire.doc")}
    doc.Close()
    Path(res_path).write_text(json.dumps(res, ensure_ascii=False), encoding="utf-8")


def build(sd, doc, job, rgb, align, valign, orient, font, write) -> None:
    sec = doc.AddSection()
    ps = sec.PageSetup
    pg = job["page"]
    ps.PageSize = sd.common.SizeF(pg["w"], pg["h"])
    ps.Orientation = sd.PageOrientation.Landscape if pg["w"] > pg["h"] else sd.PageOrientation.Portrait
    ps.Margins.Top, ps.Margins.Bottom, ps.Margins.Left, ps.Margins.Right = pg["margins"]
    ps.HeaderDistance = ps.FooterDistance = pg["hf_distance"]
    if job["first_page_plain"]:
        ps.DifferentFirstPageHeaderFooter = True
    hdr = job.get("header")
    if hdr:
        p = sec.HeadersFooters.Header.AddParagraph()
        p.Format.HorizontalAlignment = align[hdr["align"]]
        write(p, hdr["text"], hdr["size"], color="595959")
        if hdr.get("rule"):
            p.Format.Borders.Bottom.BorderType = sd.BorderStyle.Single
            p.Format.Borders.Bottom.LineWidth = 0.5
    ftr = job.get("footer")
    if ftr:
        p = sec.HeadersFooters.Footer.AddParagraph()
        p.Format.HorizontalAlignment = align[ftr["align"]]
        for part in ftr["parts"]:
            if part in ("{PAGE}", "{NUMPAGES}"):
                fld = sd.FieldType.FieldPage if part == "{PAGE}" else sd.FieldType.FieldNumPages
                f = p.AppendField("page" if part == "{PAGE}" else "numpages", fld)
                font(f, ftr["size"])
            else:
                font(p.AppendText(part), ftr["size"])
    wm = job.get("watermark")
    if wm:
        w = sd.TextWatermark()
        w.Text = wm["text"]
        w.FontName = wm["font"]
        w.FontSize = wm["size"]
        w.Color = rgb(wm["color"])
        w.Layout = sd.WatermarkLayout.Diagonal if wm["diagonal"] else sd.WatermarkLayout.Horizontal
        w.Semitransparent = bool(wm["semi"])
        doc.Watermark = w
    after_table = False
    for blk in job["blocks"]:
        kind = blk["type"]
        if kind == "page_break":  # Ctrl+Enter, in the empty paragraph a table leaves after it where there is one
            last = sec.Body.LastParagraph
            if not (after_table and last is not None and not last.Text):
                last = sec.AddParagraph()
            last.AppendBreak(sd.BreakType.PageBreak)
        elif kind == "para":
            p = sec.AddParagraph()
            f = p.Format
            if blk.get("heading"):
                p.ApplyStyle(sd.BuiltinStyle.Heading1 if blk["heading"] == 1 else sd.BuiltinStyle.Heading2)
            f.HorizontalAlignment = align[blk.get("align", "left")]
            f.BeforeSpacing = blk.get("before", 0)
            f.AfterSpacing = blk.get("after", 0)
            f.KeepFollow = bool(blk.get("keep_next"))
            if blk.get("spacing"):
                f.LineSpacingRule = sd.LineSpacingRule.Multiple
                f.LineSpacing = 12 * blk["spacing"]
            write(p, blk["text"], blk["size"], blk.get("bold", False), blk.get("color"))
        else:
            table(sd, sec, blk, rgb, align, valign, orient, write)
            sec.AddParagraph().Format.AfterSpacing = 0
        after_table = kind == "table"


def table(sd, sec, blk, rgb, align, valign, orient, write) -> None:
    rows = blk["rows"]
    ncol = len(blk["widths"])
    t = sec.AddTable(True)
    t.ResetCells(len(rows), ncol)
    t.TableFormat.LayoutType = sd.LayoutType.Fixed
    bd = blk["borders"]
    rules = bd["rules"]
    lw = float(bd["width"])
    col = rgb(bd["color"])
    tb = t.TableFormat.Borders
    for side in (tb.Top, tb.Bottom, tb.Left, tb.Right, tb.Horizontal, tb.Vertical):
        side.BorderType = sd.BorderStyle.none
    on = []
    if rules == "grid":
        on = [tb.Top, tb.Bottom, tb.Left, tb.Right, tb.Horizontal, tb.Vertical]
    elif rules in ("hrules", "zebra"):
        on = [tb.Top, tb.Bottom, tb.Horizontal]
    for side in on:
        side.BorderType = sd.BorderStyle.Single
        side.LineWidth = lw
        side.Color = col
    pad_v, pad_h = blk["padding"]
    size = float(blk["size"])
    for i, r in enumerate(rows):
        row = t.Rows[i]
        row.IsHeader = bool(r.get("heading"))
        row.RowFormat.IsBreakAcrossPages = bool(r.get("allow_break", True))
        if r.get("min_h"):
            row.HeightType = sd.TableRowHeightType.AtLeast
            row.Height = float(r["min_h"])
        for j, c in enumerate(r["cells"]):
            cell = row.Cells[j]
            cell.SetCellWidth(float(blk["widths"][j]), sd.CellWidthType.Point)
            cf = cell.CellFormat
            cf.Paddings.Top = cf.Paddings.Bottom = pad_v
            cf.Paddings.Left = cf.Paddings.Right = pad_h
            cf.VerticalAlignment = valign[c.get("valign", "top")]
            if c.get("fill"):
                cf.BackColor = rgb(c["fill"])
            if c.get("orient"):
                cf.TextDirection = orient[c["orient"]]
            if rules == "none" and r.get("head_rule"):
                cf.Borders.Bottom.BorderType = sd.BorderStyle.Single
                cf.Borders.Bottom.LineWidth = lw
                cf.Borders.Bottom.Color = col
            p = cell.Paragraphs[0] if cell.Paragraphs.Count else cell.AddParagraph()
            p.Format.HorizontalAlignment = align[c.get("align", "left")]
            p.Format.AfterSpacing = 0
            p.Format.BeforeSpacing = 0
            if blk.get("line_spacing", 1.0) != 1.0:
                p.Format.LineSpacingRule = sd.LineSpacingRule.Multiple
                p.Format.LineSpacing = 12 * blk["line_spacing"]
            write(p, c.get("text", ""), size, c.get("bold", False), c.get("color"), blk.get("newline", "line"))
    for jj, r0, r1 in blk.get("vmerges", []):
        t.ApplyVerticalMerge(jj, r0, r1)
    for ri, c0, c1 in blk.get("hmerges", []):
        t.ApplyHorizontalMerge(ri, c0, c1)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--version"]:
        print(metadata.version("spire.doc"))
    else:
        main(sys.argv[1], sys.argv[2])
