"""Aspose.Words driver for r_asposewords: builds a document from a JSON job with DocumentBuilder and saves it as PDF.

Run in a child process (python r_asposewords_driver.py JOB.json RESULT.json) with the environment r_asposewords
sets (bullseye's libssl 1.1 on LD_LIBRARY_PATH, CLR_ICU_VERSION_OVERRIDE), because the .NET Core 3.1 runtime inside
the wheel ends the whole process (FailFast/abort) when it finds neither.  The job is a list of blocks (paragraphs,
page breaks, tables of rows of cells) in points; the result gives the page count and, for every row tagged with a
key, the first and last page Aspose's LayoutCollector puts it on (a row Aspose breaks across pages).
"""

from __future__ import annotations

import json
import sys

import aspose.words as aw

ALIGN = {
    "left": aw.ParagraphAlignment.LEFT,
    "center": aw.ParagraphAlignment.CENTER,
    "right": aw.ParagraphAlignment.RIGHT,
    "justify": aw.ParagraphAlignment.JUSTIFY,
    "distributed": aw.ParagraphAlignment.DISTRIBUTED,
}
VALIGN = {"top": aw.tables.CellVerticalAlignment.TOP, "middle": aw.tables.CellVerticalAlignment.CENTER}
ORIENT = {
    "h": aw.TextOrientation.HORIZONTAL,
    "up": aw.TextOrientation.UPWARD,
    "down": aw.TextOrientation.DOWNWARD,
    "vertical": aw.TextOrientation.VERTICAL_FAR_EAST,
}
MERGE = {None: aw.tables.CellMerge.NONE, "first": aw.tables.CellMerge.FIRST, "prev": aw.tables.CellMerge.PREVIOUS}


def color(hexrgb: str | None):
    from aspose.pydrawing import Color

    if not hexrgb:
        return Color.empty()
    return Color.from_argb(int(hexrgb[0:2], 16), int(hexrgb[2:4], 16), int(hexrgb[4:6], 16))


def set_font(b: aw.DocumentBuilder, job: dict, size: float, bold: bool = False, rgb: str | None = None) -> None:
    f = b.font
    f.name_ascii = f.name_other = job["latin_font"]
    f.name_far_east = job["font"]
    f.size = size
    f.bold = bold
    f.color = color(rgb or "000000")


def write_text(b: aw.DocumentBuilder, text: str, newline: str) -> None:
    """Text with '\\n' as a line break (Shift+Enter) or a new paragraph (Enter) inside the same cell."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line:
            b.write(line)
        if i < len(lines) - 1:
            if newline == "paragraph":
                b.insert_paragraph()
            else:
                b.insert_break(aw.BreakType.LINE_BREAK)


def para(b: aw.DocumentBuilder, job: dict, blk: dict) -> None:
    pf = b.paragraph_format
    pf.clear_formatting()
    if blk.get("heading"):
        pf.style_identifier = {1: aw.StyleIdentifier.HEADING1, 2: aw.StyleIdentifier.HEADING2}[blk["heading"]]
    pf.alignment = ALIGN[blk.get("align", "left")]
    pf.space_before = blk.get("before", 0)
    pf.space_after = blk.get("after", 0)
    pf.keep_with_next = bool(blk.get("keep_next"))
    pf.page_break_before = bool(blk.get("break_before"))
    if blk.get("spacing"):
        pf.line_spacing_rule = aw.LineSpacingRule.MULTIPLE
        pf.line_spacing = 12 * blk["spacing"]
    set_font(b, job, blk["size"], blk.get("bold", False), blk.get("color"))
    write_text(b, blk["text"], "line")
    b.insert_paragraph()


def borders(table: aw.tables.Table, spec: dict) -> None:
    table.clear_borders()
    rules, w, c = spec["rules"], spec["width"], color(spec["color"])
    single = aw.LineStyle.SINGLE
    if rules == "grid":
        table.set_borders(single, w, c)
    elif rules in ("hrules", "zebra"):
        for t in (aw.BorderType.TOP, aw.BorderType.BOTTOM, aw.BorderType.HORIZONTAL):
            table.set_border(t, single, w, c, True)


def table(b: aw.DocumentBuilder, job: dict, blk: dict, tagged: dict) -> None:
    b.paragraph_format.clear_formatting()
    b.paragraph_format.space_after = 0
    t = b.start_table()
    pad = blk["padding"]
    newline = blk.get("newline", "line")
    for ri, row in enumerate(blk["rows"]):
        for ci, cell in enumerate(row["cells"]):
            c = b.insert_cell()
            cf = b.cell_format
            cf.clear_formatting()
            cf.width = cell["w"]
            cf.vertical_merge = MERGE[cell.get("vm")]
            cf.horizontal_merge = MERGE[cell.get("hm")]
            cf.orientation = ORIENT[cell.get("orient", "h")]
            cf.vertical_alignment = VALIGN[cell.get("valign", "top")]
            cf.top_padding = cf.bottom_padding = pad[0]
            cf.left_padding = cf.right_padding = pad[1]
            cf.shading.background_pattern_color = color(cell.get("fill"))
            pf = b.paragraph_format
            pf.clear_formatting()
            pf.alignment = ALIGN[cell.get("align", "left")]
            pf.space_after = 0
            pf.line_spacing_rule = aw.LineSpacingRule.MULTIPLE
            pf.line_spacing = 12 * blk.get("line_spacing", 1.0)
            set_font(b, job, cell.get("size", blk["size"]), cell.get("bold", False), cell.get("color"))
            if cell.get("vm") != "prev" and cell.get("hm") != "prev":
                write_text(b, cell.get("text", ""), newline)
            if row.get("key") and ci == row.get("key_cell", 0):
                tagged[row["key"]] = c
        r = b.end_row()
        rf = r.row_format
        rf.heading_format = bool(row.get("heading"))
        rf.allow_break_across_pages = bool(row.get("allow_break", True))
        if row.get("height"):
            rf.height = row["height"]
            rf.height_rule = aw.HeightRule.AT_LEAST
        if ri == 0:
            t.allow_auto_fit = False
    t.auto_fit(aw.tables.AutoFitBehavior.FIXED_COLUMN_WIDTHS)
    if blk.get("width_pct"):
        t.preferred_width = aw.tables.PreferredWidth.from_percent(blk["width_pct"])
    if blk.get("center"):
        t.alignment = aw.tables.TableAlignment.CENTER
    borders(t, blk["borders"])
    b.end_table()


def header_footer(doc: aw.Document, b: aw.DocumentBuilder, job: dict) -> None:
    ps = b.page_setup
    ps.different_first_page_header_footer = bool(job.get("first_page_plain"))
    hdr = job.get("header")
    if hdr:
        b.move_to_header_footer(aw.HeaderFooterType.HEADER_PRIMARY)
        b.paragraph_format.alignment = ALIGN[hdr["align"]]
        set_font(b, job, hdr["size"], False, "404040")
        b.write(hdr["text"])
        if hdr.get("rule"):
            b.paragraph_format.borders.bottom.line_style = aw.LineStyle.SINGLE
            b.paragraph_format.borders.bottom.line_width = 0.5
    ftr = job.get("footer")
    if ftr:
        b.move_to_header_footer(aw.HeaderFooterType.FOOTER_PRIMARY)
        b.paragraph_format.alignment = ALIGN[ftr["align"]]
        set_font(b, job, ftr["size"], False, "404040")
        for part in ftr["parts"]:  # literal text, or PAGE / NUMPAGES fields
            if part == "{PAGE}":
                b.insert_field(aw.fields.FieldType.FIELD_PAGE, True)
            elif part == "{NUMPAGES}":
                b.insert_field(aw.fields.FieldType.FIELD_NUM_PAGES, True)
            else:
                b.write(part)
    b.move_to_document_end()


def build(job: dict) -> dict:
    fs = aw.fonts.FontSettings()
    fs.set_fonts_folders(job["font_dirs"], False)
    for name, subs in job.get("substitutes", {}).items():
        fs.substitution_settings.table_substitution.set_substitutes(name, subs)
    doc = aw.Document()
    doc.font_settings = fs
    doc.built_in_document_properties.title = job.get("title", "")
    doc.built_in_document_properties.author = job.get("author", "")
    b = aw.DocumentBuilder(doc)
    ps = b.page_setup
    ps.page_width, ps.page_height = job["page"]["w"], job["page"]["h"]
    ps.orientation = aw.Orientation.LANDSCAPE if job["page"]["w"] > job["page"]["h"] else aw.Orientation.PORTRAIT
    ps.page_width, ps.page_height = job["page"]["w"], job["page"]["h"]
    ps.top_margin, ps.bottom_margin, ps.left_margin, ps.right_margin = job["page"]["margins"]
    ps.header_distance = ps.footer_distance = job["page"].get("hf_distance", 20)
    st = doc.styles.get_by_style_identifier(aw.StyleIdentifier.NORMAL)
    st.font.name_ascii = st.font.name_other = job["latin_font"]
    st.font.name_far_east = job["font"]
    for ident in (aw.StyleIdentifier.HEADING1, aw.StyleIdentifier.HEADING2):
        hs = doc.styles.get_by_style_identifier(ident)
        hs.font.name_ascii = hs.font.name_other = job["latin_font"]
        hs.font.name_far_east = job["font"]
    header_footer(doc, b, job)
    tagged: dict[str, object] = {}
    for blk in job["blocks"]:
        if blk["type"] == "para":
            para(b, job, blk)
        elif blk["type"] == "page_break":
            b.insert_break(aw.BreakType.PAGE_BREAK)
        elif blk["type"] == "table":
            table(b, job, blk, tagged)
    wm = job.get("watermark")
    if wm:
        o = aw.TextWatermarkOptions()
        o.font_family = job["font"]
        o.font_size = wm["size"]
        o.color = color(wm["color"])
        o.layout = aw.WatermarkLayout.DIAGONAL if wm["diagonal"] else aw.WatermarkLayout.HORIZONTAL
        o.is_semitrasparent = wm["semi"]
        doc.watermark.set_text(wm["text"], o)
    doc.update_fields()
    so = aw.saving.PdfSaveOptions()
    sv = job["save"]
    so.compliance = getattr(aw.saving.PdfCompliance, sv["compliance"])
    so.embed_full_fonts = sv["embed_full"]
    so.font_embedding_mode = getattr(aw.saving.PdfFontEmbeddingMode, sv["embedding"])
    so.text_compression = getattr(aw.saving.PdfTextCompression, sv["compression"])
    so.outline_options.headings_outline_levels = sv["outline"]
    so.display_doc_title = sv["display_title"]
    lc = aw.layout.LayoutCollector(doc)
    doc.save(job["out"], so)
    rows = {}
    for key, cell in tagged.items():
        # the pages of the row's own cells: a label merged over later rows (vertical_merge FIRST) runs on with them
        try:
            own = [c.as_cell() for c in cell.parent_row.cells]
            own = [c for c in own if c.cell_format.vertical_merge == aw.tables.CellMerge.NONE]
            rows[key] = [
                min(lc.get_start_page_index(c.first_paragraph) for c in own),
                max(lc.get_end_page_index(c.last_paragraph) for c in own),
            ]
        except Exception:  # noqa: BLE001 - a row the evaluation truncation removed
            rows[key] = [0, 0]
    paras = doc.get_child_nodes(aw.NodeType.PARAGRAPH, True).count
    truncated = "truncated here because it was created in the Evaluation Mode" in doc.get_text()
    return {"pages": doc.page_count, "rows": rows, "paragraphs": paras, "truncated": truncated}


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as fh:
        job = json.load(fh)
    res = build(job)
    res["version"] = aw.BuildVersionInfo.version
    with open(sys.argv[2], "w", encoding="utf-8") as fh:
        json.dump(res, fh)
