"""Aspose.HTML driver for r_asposehtml: converts the HTML parts of a JSON job to PDF with Converter.convert_html.

Run in a child process (python r_asposehtml_driver.py JOB.json RESULT.json) inside its own venv, with the
environment r_asposehtml sets (CLR_ICU_VERSION_OVERRIDE, bullseye's libssl 1.1 on LD_LIBRARY_PATH), because the
.NET runtime inside the wheel ends the whole process when it finds no ICU it knows.  The job holds the parts (one
HTML document each, converted one by one: the evaluation build prints at most 4 pages of a document) and the
PdfSaveOptions chosen; the result gives each part's page count.
"""

from __future__ import annotations

import json
import sys

import aspose.html as ah
from aspose.html import converters, drawing, rendering, saving


def save_options(job: dict) -> saving.PdfSaveOptions:
    o = saving.PdfSaveOptions()
    ps = job.get("page_setup")
    if ps:  # the page given in code (Aspose's default: options before CSS @page)
        L = drawing.Length
        m = [L.from_millimeters(float(v)) for v in ps["margins_mm"]]  # top, right, bottom, left
        o.page_setup.any_page = drawing.Page(
            drawing.Size(L.from_millimeters(float(ps["w_mm"])), L.from_millimeters(float(ps["h_mm"]))),
            drawing.Margin(m[3], m[0], m[1], m[2]),
        )
    else:  # @page size and margins of the style sheet win
        o.page_setup.at_page_priority = rendering.AtPagePriority.CSS_PRIORITY
    if job.get("media") == "screen":
        o.css.media_type = rendering.MediaType.SCREEN
    o.is_tagged_pdf = bool(job.get("tagged"))
    info = job.get("info") or {}
    for k in ("title", "author", "subject", "keywords", "creator"):
        if info.get(k):
            setattr(o.document_info, k, info[k])
    return o


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as fh:
        job = json.load(fh)
    pages = []
    for part in job["parts"]:
        opts = save_options(job)
        doc = ah.HTMLDocument(part["html"], part.get("base", "."))
        converters.Converter.convert_html(doc, opts, part["out"])
        pages.append(part["out"])
    with open(sys.argv[2], "w", encoding="utf-8") as fh:
        json.dump({"written": pages}, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
