"""Driver of r_asposepdf: builds the deck with Aspose.PDF's document object model from a JSON job and saves it.

Run by the interpreter of its own virtualenv (aspose-pdf cannot share one with aspose-words/aspose-cells: the
wheels overwrite each other's aspose.pycore/pyreflection modules), with LD_LIBRARY_PATH on bullseye's libssl1.1
and CLR_ICU_VERSION_OVERRIDE set by r_asposepdf.  Imports nothing from the repository.

    python r_asposepdf_driver.py job.json result.json

The job is a list of pages, each a list of paragraphs (text fragments and tables) that Aspose lays out and
paginates itself; the result reports the page count and Aspose's version.
"""

from __future__ import annotations

import json
import os
import sys
from importlib import metadata
from pathlib import Path


def main(job_path: str, res_path: str) -> None:
    import aspose.pdf as ap

    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    ap.text.FontRepository.sources.append(ap.text.FolderFontSource(job["font_dir"]))
    fonts = {}

    def font(name):
        if name not in fonts:
            f = ap.text.FontRepository.find_font(name)
            f.is_embedded = True
            f.is_subset = job["subset"]
            fonts[name] = f
        return fonts[name]

    def pcolor(rgb):
        import aspose.pydrawing as pd

        return pd.Color.from_argb(*[int(v) for v in rgb])

    def color(rgb):
        return ap.Color.from_rgb(*[v / 255.0 for v in rgb]) if rgb else None

    def state(ts, spec):
        ts.font = font(spec.get("font", job["font"]))
        ts.font_size = float(spec["size"])
        if spec.get("bold"):
            ts.font_style = ap.text.FontStyles.BOLD
        if spec.get("color"):
            ts.foreground_color = color(spec["color"])
        if spec.get("line_spacing"):
            ts.line_spacing = float(spec["line_spacing"])

    halign = {
        "left": ap.HorizontalAlignment.LEFT,
        "center": ap.HorizontalAlignment.CENTER,
        "right": ap.HorizontalAlignment.RIGHT,
    }
    valign = {"top": ap.VerticalAlignment.TOP, "middle": ap.VerticalAlignment.CENTER}

    def fragment(spec):
        tf = ap.text.TextFragment(spec["text"])
        state(tf.text_state, spec)
        tf.horizontal_alignment = halign[spec.get("align", "left")]
        if spec.get("rotation"):
            tf.text_state.rotation = float(spec["rotation"])
        if spec.get("margin"):
            tf.margin = ap.MarginInfo(*[float(v) for v in spec["margin"]])
        if spec.get("new_page"):
            tf.is_in_new_page = True
        if spec.get("keep_next"):
            tf.is_kept_with_next = True
        return tf

    def border(sides, width, rgb):
        if not sides:
            return ap.BorderInfo(ap.BorderSide.NONE)
        if sides == "LRTB":
            return ap.BorderInfo(ap.BorderSide.ALL, float(width), color(rgb))
        b = ap.BorderInfo()
        for s in sides:
            gi = ap.GraphInfo()
            gi.line_width = float(width)
            gi.color = color(rgb)
            setattr(b, {"L": "left", "R": "right", "T": "top", "B": "bottom"}[s], gi)
        return b

    def table(spec):
        t = ap.Table()
        t.column_widths = " ".join(f"{w:.2f}" for w in spec["widths"])
        ts = ap.text.TextState()
        state(ts, {"size": spec["pt"]})
        t.default_cell_text_state = ts
        t.default_cell_padding = ap.MarginInfo(*[float(v) for v in spec["padding"]])
        t.default_cell_border = border(spec["cell_border"], spec["line_w"], spec["line"])
        if spec.get("outer"):
            t.border = border("LRTB", spec["outer_w"], spec["line"])
        t.repeating_rows_count = int(spec.get("repeat", 0))
        if spec.get("new_page"):
            t.is_in_new_page = True
        t.is_broken = bool(spec.get("broken", True))
        if spec.get("margin"):
            t.margin = ap.MarginInfo(*[float(v) for v in spec["margin"]])
        for rs in spec["rows"]:
            row = t.rows.add()
            if rs.get("min_h"):
                row.min_row_height = float(rs["min_h"])
            if rs.get("no_break"):
                row.is_row_broken = False
            for cs in rs["cells"]:
                cell = row.cells.add()
                if cs.get("row_span", 1) > 1:
                    cell.row_span = int(cs["row_span"])
                if cs.get("col_span", 1) > 1:
                    cell.col_span = int(cs["col_span"])
                if cs.get("fill"):
                    cell.background_color = color(cs["fill"])
                if "border" in cs:
                    cell.border = border(cs["border"], spec["line_w"], spec["line"])
                cell.vertical_alignment = valign[cs.get("valign", "top")]
                cell.alignment = halign[cs.get("align", "left")]
                if cs.get("nowrap"):
                    cell.is_word_wrapped = False
                if cs.get("text"):
                    tf = ap.text.TextFragment(cs["text"])
                    state(tf.text_state, {"size": spec["pt"], **cs})
                    tf.horizontal_alignment = halign[cs.get("align", "left")]
                    if cs.get("rotation"):
                        tf.text_state.rotation = float(cs["rotation"])
                    cell.paragraphs.add(tf)
        return t

    doc = ap.Document()
    W, H = job["size"]
    doc.page_info.width, doc.page_info.height = float(W), float(H)
    # evaluation mode: a collection shows at most 4 elements (doc.pages.add() of a fifth page raises), so the deck is
    # two page objects, the cover and the rest, whose slides start by is_in_new_page; Aspose lays out the pages
    for ps in job["pages"]:
        page = doc.pages.add()
        page.page_info.width, page.page_info.height = float(W), float(H)
        page.page_info.margin = ap.MarginInfo(*[float(v) for v in job["margins"]])
        if ps.get("furniture", True):
            for key in ("header", "footer"):
                spec = job.get(key)
                if spec and spec["mode"] == "hf":
                    hf = ap.HeaderFooter()
                    hf.margin = ap.MarginInfo(*[float(v) for v in spec["margin"]])
                    for para in spec["paras"]:
                        hf.paragraphs.add(fragment(para))
                    setattr(page, key, hf)
        for para in ps["paras"]:
            page.paragraphs.add(table(para) if para["kind"] == "table" else fragment(para))
    doc.process_paragraphs()
    n = len(doc.pages)
    if job.get("title"):
        doc.info.title = job["title"]
        doc.info.author = job.get("author", "")
    if job.get("optimize"):
        doc.optimize_resources()
    if job.get("pdfa"):
        log = job_path + ".pdfa.log"
        doc.convert(log, getattr(ap.PdfFormat, job["pdfa"]), ap.ConvertErrorAction.DELETE)
    foot = job.get("footer")
    wm = job.get("watermark")
    if (foot and foot["mode"] == "stamp") or wm:
        # stamps on every page: doc.pages[i] past the fourth raises in evaluation mode, so the saved file is
        # stamped by the PdfFileStamp facade, as an unlicensed user ends up doing
        tmp = job_path + ".unstamped.pdf"
        doc.save(tmp)
        fs = ap.facades.PdfFileStamp()
        fs.bind_pdf(tmp)
        if foot and foot["mode"] == "stamp":
            ft = ap.facades.FormattedText(
                foot["format"],
                pcolor(foot["text"]["color"]),
                job["font"],
                ap.facades.EncodingType.IDENTITY_H,
                True,
                float(foot["text"]["size"]),
            )
            fs.starting_number = 1  # the facade numbers every page, the cover too
            x = {"center": W / 2 - 20, "right": W - float(job["margins"][2]) - 40}[foot["align"]]
            fs.add_page_number(ft, float(x), float(foot["bottom"]))
        if wm:
            st = ap.facades.Stamp()
            ft = ap.facades.FormattedText(
                wm["label"],
                pcolor(wm["text"]["color"]),
                job["font"],
                ap.facades.EncodingType.IDENTITY_H,
                True,
                float(wm["text"]["size"]),
            )
            st.bind_logo(ft)
            st.rotation = float(wm["angle"])
            st.opacity = float(wm["opacity"])
            st.is_background = bool(wm["under"])
            st.set_origin(float(W) * 0.3, float(H) * 0.35)
            fs.add_stamp(st)
        fs.save(job["out"])
        fs.close()
        os.unlink(tmp)
    else:
        doc.save(job["out"])
    res = {"pages": n, "version": metadata.version("aspose-pdf"), "licensed": bool(doc.is_licensed)}
    Path(res_path).write_text(json.dumps(res), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--version"]:
        print(metadata.version("aspose-pdf"))
    else:
        main(sys.argv[1], sys.argv[2])
