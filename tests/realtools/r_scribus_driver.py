"""Scribus driver for r_scribus: run by Scribus's own Python (`scribus -g -ns -py r_scribus_driver.py JOB --`).

It reads the JSON job r_scribus.py wrote and does what a scripting author does in the Script console: one document
(points, no margins, single pages), the default character and paragraph styles redefined to the deck's font, size,
leading and alignment (Scribus 1.5.8's table cells take no other style through the scripter), colours defined by
RGB, a layer for the watermark, then per page: text frames (setText, setFont, setFontSize, setTextColor, fixed
leading, alignment, vertical alignment, text distances, rotateObject), lines, rectangles and tables
(createTable, resizeTableColumn/Row, mergeTableCells, setCellText, cell fills, borders and paddings), and at the
end PDFfile with the job's options.  Frames whose text overflows (text hidden by Scribus) are written to the
result file next to the job, with the Scribus version.

Job: {doc: {w, h, font, size, lead, align}, colors: {name: [r, g, b]}, layer: null | {name, under, pdf},
pages: [[item, ...]], pdf: {file, version, compress, subset, info}}.  Items (points, y down from the page top):
text {x, y, w, h, s, font, size, color, lead, align, valign, pad, rot, layer, name}; line {x0, y0, x1, y1, w,
color}; rect {x, y, w, h, fill, stroke, lw}; table {x, y, cols, rows, cells: [{r, c, rs, cs, s, fill, b: [top,
bottom, left, right]}], pad, rule_w, rule_color, outer}.
"""

import json
import sys

import scribus as s  # noqa: I001 - only inside Scribus

ALIGN = {"left": s.ALIGN_LEFT, "center": s.ALIGN_CENTERED, "right": s.ALIGN_RIGHT}
VALIGN = {"top": s.ALIGNV_TOP, "middle": s.ALIGNV_CENTERED}


def text_frame(it, n, overflows):
    name = it.get("name") or f"t{n}"
    f = s.createText(it["x"], it["y"], it["w"], it["h"], name)
    s.setText(it["s"], f)
    s.setFont(it["font"], f)
    s.setFontSize(it["size"], f)
    s.setLineWidth(0, f)
    s.setTextColor(it["color"], f)
    s.setLineSpacingMode(0, f)
    s.setLineSpacing(it["lead"], f)
    s.setTextAlignment(ALIGN[it.get("align", "left")], f)
    s.setTextVerticalAlignment(VALIGN[it.get("valign", "top")], f)
    left, right, top, bottom = it.get("pad", (0, 0, 0, 0))
    s.setTextDistances(left, right, top, bottom, f)
    if it.get("shade") is not None:
        s.setTextShade(it["shade"], f)
    if it.get("rot"):
        s.rotateObject(it["rot"], f)
    s.layoutText(f)
    if s.textOverflows(f, 1):
        overflows.append({"frame": name, "text": it["s"], "w": it["w"], "h": it["h"]})
    return f


def line(it):
    ln = s.createLine(it["x0"], it["y0"], it["x1"], it["y1"])
    s.setLineWidth(it["w"], ln)
    s.setLineColor(it["color"], ln)


def rect(it):
    r = s.createRect(it["x"], it["y"], it["w"], it["h"])
    s.setFillColor(it.get("fill") or "None", r)
    s.setLineColor(it.get("stroke") or "None", r)
    s.setLineWidth(it.get("lw", 0.8) if it.get("stroke") else 0, r)


def table(it, n):
    cols, rows = it["cols"], it["rows"]
    t = s.createTable(it["x"], it["y"], sum(cols), sum(rows), len(rows), len(cols), f"tbl{n}")
    for i, w in enumerate(cols):
        s.resizeTableColumn(i, w, t)
    for i, h in enumerate(rows):
        s.resizeTableRow(i, h, t)
    rule = [(it["rule_w"], s.LINE_SOLID, it["rule_color"])]
    sides = (s.setCellTopBorder, s.setCellBottomBorder, s.setCellLeftBorder, s.setCellRightBorder)
    for c in it["cells"]:
        if c["rs"] > 1 or c["cs"] > 1:
            s.mergeTableCells(c["r"], c["c"], c["rs"], c["cs"], t)
    for c in it["cells"]:
        r, k = c["r"], c["c"]
        if c["s"]:
            s.setCellText(r, k, c["s"], t)
        if c.get("fill"):
            s.setCellFillColor(r, k, c["fill"], t)
        for side, on in zip(sides, c["b"]):
            side(r, k, rule if on else [], t)
        left, right, top, bottom = it["pad"]
        s.setCellLeftPadding(r, k, left, t)
        s.setCellRightPadding(r, k, right, t)
        s.setCellTopPadding(r, k, top, t)
        s.setCellBottomPadding(r, k, bottom, t)
    outer = it["outer"]  # the table's own borders: top, bottom, left, right
    for fn, on in zip(
        (s.setTableTopBorder, s.setTableBottomBorder, s.setTableLeftBorder, s.setTableRightBorder), outer
    ):
        fn(rule if on else [], t)


def main():
    job_path = sys.argv[1]
    with open(job_path, encoding="utf-8") as fh:
        job = json.load(fh)
    d = job["doc"]
    s.newDocument((d["w"], d["h"]), (0, 0, 0, 0), s.PORTRAIT, 1, s.UNIT_POINTS, s.PAGE_1, 0, 1)
    s.setUnit(s.UNIT_POINTS)
    for name, (r, g, b) in job["colors"].items():
        s.defineColorRGB(name, r, g, b)
    # the styles every new frame and every table cell starts from
    s.createCharStyle(name="Default Character Style", font=d["font"], fontsize=float(d["size"]), fillcolor="ink")
    align = {"left": 0, "center": 1, "right": 2}[d["align"]]
    s.createParagraphStyle(
        name="Default Paragraph Style",
        linespacingmode=0,
        linespacing=float(d["lead"]),
        alignment=align,
        charstyle="Default Character Style",
    )
    base = s.getLayers()[0]
    layer = job.get("layer")
    if layer:
        s.createLayer(layer["name"])
        if layer["under"]:
            s.lowerActiveLayer()
        s.setActiveLayer(base)
    overflows = []
    n = 0
    for i, items in enumerate(job["pages"]):
        if i:
            s.newPage(-1)
        s.gotoPage(i + 1)
        for it in items:
            n += 1
            if it.get("layer"):
                s.setActiveLayer(layer["name"])
            if it["t"] == "text":
                text_frame(it, n, overflows)
            elif it["t"] == "line":
                line(it)
            elif it["t"] == "rect":
                rect(it)
            elif it["t"] == "table":
                table(it, n)
            if it.get("layer"):
                s.setActiveLayer(base)
    p = job["pdf"]
    info = p.get("info")
    if info:
        s.setInfo(info["author"], info["title"], info["subject"])
    pdf = s.PDFfile()
    pdf.file = p["file"]
    pdf.version = p["version"]
    pdf.compress = 1 if p["compress"] else 0
    pdf.fontEmbedding = 0  # embed (1 would turn text into outlines, 2 leave fonts out)
    pdf.subsetList = list(pdf.fonts) if p["subset"] else []
    pdf.useLayers = 1 if layer and layer["pdf"] else 0
    pdf.save()
    if job.get("sla"):
        s.saveDocAs(job["sla"])
    with open(job_path + ".result", "w", encoding="utf-8") as fh:
        json.dump({"overflows": overflows, "version": s.scribus_version, "fonts": list(pdf.fonts)}, fh)


main()
