"""Driver of r_pyfpdf.py, run by the interpreter of a separate virtualenv holding PyFPDF 1.7.2 (`fpdf==1.7.2`, which
imports as `fpdf` like fpdf2, so it cannot live in the generator's venv): draws a scorecard deck from a JSON job the
way office Python code of the FPDF era drew report tables: an FPDF subclass with header()/footer(), the classic
"MultiCell table" recipe (NbLines from multi_cell(split_only=True), each row as tall as its tallest cell, a rect
per cell and multi_cell at set_xy per cell, a page break checked before each row), rotate() for turned labels and
the watermark, alias_nb_pages.

Usage: python r_pyfpdf_driver.py JOB.json VERSION   (prints a JSON report on stdout)
"""

import json
import sys
import warnings

import fpdf

warnings.simplefilter("ignore")  # ttfonts.py warns about cmap values and missing glyphs of the big CJK faces
fpdf.set_global("FPDF_CACHE_MODE", 1)  # no .pkl written beside the font file
from fpdf import FPDF  # noqa: E402

with open(sys.argv[1], encoding="utf-8") as fh:
    job = json.load(fh)
if fpdf.__version__ != sys.argv[2]:
    sys.exit(f"PyFPDF {sys.argv[2]} is wanted, this interpreter has {fpdf.__version__}")

W, H = job["w"], job["h"]
PT = job["font_pt"]
BOLD = "B" if job["bold_file"] else ""
too_tall = []
wm_pages = set()
numbered = set()
state = {"last_y": -1.0}


def lh():
    return PT * job["leading"]


def is_ascii(s):
    return s != "" and all(32 <= ord(c) <= 126 for c in s)


def color(c, fn):
    if c and len(c) == 3:
        fn(c[0], c[1], c[2])


def utf16(s):
    """A PDF text string PyFPDF 1.7.2 can write: it escapes and latin-1 encodes Info strings, so authors pass
    UTF-16BE with a BOM, decoded as latin-1 (a CJK title as given makes output() fail with UnicodeEncodeError)."""
    return ("\ufeff" + s).encode("utf-16-be").decode("latin-1")


class Deck(FPDF):
    def header(self):
        n = self.page_no()
        if job["watermark"] and job["watermark_layer"] == "header" and n > 1:
            watermark(self)  # the FPDF watermark recipe: every page but the cover, drawn first, under everything
        if not job["header"] or n == 1:
            return
        self.set_font("cjk", "", 8)
        color(job["accent"], self.set_text_color)
        color(job["accent"], self.set_draw_color)
        self.text(30, 20, job["org"])
        s = "策略地圖與平衡計分卡"
        self.text(W - 30 - self.get_string_width(s), 20, s)
        self.set_line_width(0.5)
        self.line(30, 25, W - 30, 25)
        self.set_text_color(0, 0, 0)

    def footer(self):
        n = self.page_no()
        if job["watermark"] and job["watermark_layer"] == "footer" and n in wm_pages:
            watermark(self)
        if not job["footer"] or n not in numbered:
            return
        self.set_draw_color(153, 153, 153)
        self.set_line_width(0.5)
        self.line(30, H - 28, W - 30, H - 28)
        self.set_text_color(102, 102, 102)
        self.set_font("cjk", "", 7)
        self.text(30, H - 16, job["org"] + "｜策略地圖與平衡計分卡")
        s = {"dash": "- # -", "of": "# / {nb}", "zh": "第 # 頁，共 {nb} 頁", "page": "Page # of {nb}"}[job["footer"]]
        s = s.replace("#", str(n))
        if job["latin"] and is_ascii(s):
            self.set_font("Helvetica", "", 7)
        self.set_xy(30, H - 24)
        self.cell(W - 60, 12, s, 0, 0, {"right": "R", "center": "C"}[job["footer_align"]])
        self.set_text_color(0, 0, 0)


def new_pdf():
    if job["init"] == "A4":
        p = Deck("L" if W > H else "P", "pt", "A4")
    else:  # the deck's own size as a format tuple in points
        p = Deck("L" if W > H else "P", "pt", (min(W, H), max(W, H)))
    return p


pdf = new_pdf()
assert abs(pdf.w - W) < 0.5 and abs(pdf.h - H) < 0.5, (pdf.w, pdf.h, W, H)
pdf.set_compression(job["compress"])
pdf.set_margins(30, 30, 30)
pdf.c_margin = job["cell_margin"]
if job["footer"] in ("of", "zh", "page"):
    pdf.alias_nb_pages()  # before add_font: 1.7.2 then puts codes 0-56 (the digits) in every subset
pdf.add_font("cjk", "", job["font_file"], uni=True)
if BOLD:
    pdf.add_font("cjk", "B", job["bold_file"], uni=True)
for k, v in job["info"]:
    v = utf16(v) if not is_ascii(v) else v
    {"Title": pdf.set_title, "Author": pdf.set_author, "Creator": pdf.set_creator, "Subject": pdf.set_subject}[k](v)
if job["auto_break"]:
    # the recipe keeps FPDF's automatic page break on, with the bottom margin, and checks each row before it
    pdf.set_auto_page_break(True, job["bottom"])
else:
    pdf.set_auto_page_break(False)


def body():
    pdf.set_font("cjk", "", PT)


def bold(pt):
    pdf.set_font("cjk", BOLD, pt)


def wrap(txt, w):
    """Cell lines: PyFPDF's own breaking (multi_cell split_only: breaks at spaces, a space-less run cut where it
    overflows, explicit newlines kept) or the author's loop on get_string_width (any character)."""
    if txt == "":
        return []
    if job["wrap"] == "multicell":
        return pdf.multi_cell(w, lh(), txt, 0, "L", 0, split_only=True)
    out = []
    for para in txt.split("\n"):
        line = ""
        for ch in para:
            if line and pdf.get_string_width(line + ch) > w - 2 * pdf.c_margin:
                out.append(line)
                line = ch
            else:
                line += ch
        out.append(line)
    return out


def cell_font(cid, txt, head):
    if head:
        bold(PT)
    elif job["latin"] and is_ascii(txt) and (cid == "t" or cid.startswith("a") or cid == "w"):
        pdf.set_font("Helvetica", "", PT)
    else:
        body()


def draw_lines(lines, x, y, w, align):
    if not lines:
        return
    if job["draw"] == "multicell":
        pdf.set_xy(x, y)
        pdf.multi_cell(w, lh(), "\n".join(lines), 0, align)
        return
    for ln in lines:
        pdf.set_xy(x, y)
        pdf.cell(w, lh(), ln, 0, 0, align)
        y += lh()


class Box:
    def __init__(self, x, y, w, h, txt, cid="", head=False, band=False, mode="h"):
        self.x, self.y, self.w, self.h, self.txt, self.id = x, y, w, h, txt, cid
        self.head, self.band, self.mode = head, band, mode


def draw_box(b):
    if b.txt == "":
        return
    cell_font(b.id, b.txt, b.head or b.band)
    pdf.set_text_color(0, 0, 0)
    if b.mode == "rot":
        tw = pdf.get_string_width(b.txt)
        cx, cy = b.x + b.w / 2, b.y + b.h / 2
        pdf.rotate(90, cx, cy)
        pdf.text(cx - tw / 2, cy + PT * 0.35, b.txt)
        pdf.rotate(0)
        return
    lines = list(b.txt) if b.mode == "stack" else wrap(b.txt, b.w)
    align = "L"
    if b.head or b.mode == "stack" or job["halign"] == "center":
        align = "C"
    if not b.head and b.id and (b.id == "t" or b.id.startswith("a")):
        align = {"left": "L", "center": "C", "right": "R"}[job["values_align"]]
    if b.band:
        align = "L"
    total = len(lines) * lh()
    y = b.y + job["pad"]
    if job["valign"] == "middle" or b.head or b.band or b.mode == "stack":
        y = b.y + max(job["pad"], (b.h - total) / 2)
    if b.head and job["head_cell"] and len(lines) == 1:
        pdf.set_xy(b.x, b.y)
        pdf.cell(b.w, b.h, lines[0], 0, 0, "C")  # cell() centres its text line vertically
        return
    draw_lines(lines, b.x, y, b.w, align)


def need(s, w):
    return max(1, len(wrap(s, w))) * lh() + 2 * job["pad"]


def head_height(cols, xs):
    bold(PT)
    grp = sub = single = 0.0
    for j, c in enumerate(cols):
        w = xs[j + 1] - xs[j]
        if c["group"]:
            gw = sum(xs[k + 1] - xs[k] for k, d in enumerate(cols) if d["group"] == c["group"])
            grp = max(grp, need(c["group"], gw))
            sub = max(sub, need(c["sub"], w))
        else:
            single = max(single, need(c["label"], w))
    if grp > 0:
        if single > grp + sub:
            sub = single - grp
        return grp + sub, grp
    return single, 0.0


def row_height(r, cols, xs):
    if r["kind"] == "band":
        bold(PT)
        return need(r["band"], xs[-1] - xs[0])
    n = 1
    for j, c in enumerate(cols):
        if c["id"] == "persp" and job["persp_mode"] != "column":
            continue
        txt = r["cells"].get(c["id"], "")
        cell_font(c["id"], txt, False)
        n = max(n, len(wrap(txt, xs[j + 1] - xs[j])))
    return n * lh() + 2 * job["pad"]


def runs_of(rows, key):
    out, prev = [], None
    for i, r in enumerate(rows):
        cur = r["persp"] if key == "persp" else r["obj"]
        if r["kind"] == "kpi":
            if out and cur == prev:
                out[-1][1] += 1
            else:
                out.append([i, 1])
            prev = cur
        else:
            prev = None
    return out


def layout_page(rows, cols, xs, top):
    ys, y = [], top
    for r in rows:
        h = row_height(r, cols, xs)
        ys.append([y, y + h])
        y += h
    if job["persp_mode"] not in ("rotated", "stacked"):
        return ys
    body()
    for start, n in runs_of(rows, "persp"):
        label = rows[start]["cells"].get("persp", "")
        want = len(label) * lh() + 2 * job["pad"]
        if job["persp_mode"] == "rotated":
            want = pdf.get_string_width(label) + 2 * job["pad"] + 4
        last = start + n - 1
        extra = want - (ys[last][1] - ys[start][0])
        if extra > 0:
            ys[last][1] += extra
            for i in range(last + 1, len(ys)):
                ys[i][0] += extra
                ys[i][1] += extra
    return ys


def title(s, y):
    avail = W - 60
    if job["logo"]:
        bold(12)
        avail -= pdf.get_string_width(job["short"]) + 30
    size = 16
    bold(size)
    while size > 10 and pdf.get_string_width(s) + 2 * pdf.c_margin > avail:
        size -= 1
        bold(size)
    color(job["accent"], pdf.set_text_color)
    pdf.set_xy(30, y)
    pdf.cell(avail, 22, s, 0, 0, "L")
    if job["logo"]:
        bold(12)
        w = pdf.get_string_width(job["short"]) + 2 * pdf.c_margin
        color(job["accent"], pdf.set_draw_color)
        pdf.set_line_width(0.8)
        pdf.set_xy(W - 30 - w - 6, y + 1)
        pdf.cell(w + 6, 20, job["short"], 1, 0, "C")
    pdf.set_text_color(0, 0, 0)


def new_page():
    state["last_y"] = -1.0
    pdf.add_page()


def continues(prev, r, key):
    for p in reversed(prev):
        if p["kind"] == "kpi":
            return p["persp"] == r["persp"] if key == "persp" else p["obj"] == r["obj"]
    return False


def draw_table(rows, prev, cols, xs, top, head_h, grp_h, with_head):
    boxes = []
    y = top
    if with_head:
        j = 0
        while j < len(cols):
            c = cols[j]
            if c["group"]:
                k = j
                while k + 1 < len(cols) and cols[k + 1]["group"] == c["group"]:
                    k += 1
                boxes.append(Box(xs[j], y, xs[k + 1] - xs[j], grp_h, c["group"], head=True))
                for m in range(j, k + 1):
                    boxes.append(Box(xs[m], y + grp_h, xs[m + 1] - xs[m], head_h - grp_h, cols[m]["sub"], head=True))
                j = k + 1
                continue
            boxes.append(Box(xs[j], y, xs[j + 1] - xs[j], head_h, c["label"], head=True))
            j += 1
        y += head_h
    ys = layout_page(rows, cols, xs, y)
    x0, x1 = xs[0], xs[-1]
    for i, r in enumerate(rows):
        if r["kind"] == "band":
            boxes.append(Box(x0, ys[i][0], x1 - x0, ys[i][1] - ys[i][0], r["band"], band=True))
            continue
        for j, c in enumerate(cols):
            if c["id"] in ("persp", "obj"):
                continue
            txt = r["cells"].get(c["id"], "")
            boxes.append(Box(xs[j], ys[i][0], xs[j + 1] - xs[j], ys[i][1] - ys[i][0], txt, c["id"]))
    for key in ("persp", "obj"):
        jj = next((j for j, c in enumerate(cols) if c["id"] == key), -1)
        if jj < 0:
            continue
        for start, n in runs_of(rows, key):
            r = rows[start]
            txt = r["cells"].get(key, "")
            if start == 0 and job["blank_cont"] and continues(prev, r, key):
                txt = ""
            mode = "h"
            if key == "persp":
                mode = {"rotated": "rot", "stacked": "stack"}.get(job["persp_mode"], "h")
            last = start + n - 1
            h = ys[last][1] - ys[start][0]
            boxes.append(Box(xs[jj], ys[start][0], xs[jj + 1] - xs[jj], h, txt, key, mode=mode))
    # fills first, then rules, then text
    if job["rules"] == "zebra":
        color(job["zebra_fill"], pdf.set_fill_color)
        k = 0
        for i, r in enumerate(rows):
            if r["kind"] != "kpi":
                continue
            if k % 2 == 1:
                pdf.rect(x0, ys[i][0], x1 - x0, ys[i][1] - ys[i][0], "F")
            k += 1
    for b in boxes:
        if b.head and job["head_fill"]:
            color(job["head_fill"], pdf.set_fill_color)
            pdf.rect(b.x, b.y, b.w, b.h, "F")
        if b.band and job["band_fill"]:
            color(job["band_fill"], pdf.set_fill_color)
            pdf.rect(b.x, b.y, b.w, b.h, "F")
    pdf.set_line_width(job["rule_w"])
    color(job["rule_color"], pdf.set_draw_color)
    for b in boxes:
        if job["rules"] == "grid":
            pdf.rect(b.x, b.y, b.w, b.h, "D")
        elif job["rules"] == "hrules" or (job["rules"] == "zebra" and b.head):
            pdf.line(b.x, b.y + b.h, b.x + b.w, b.y + b.h)
    if job["rules"] == "hrules" and with_head:
        pdf.line(x0, top, x1, top)
    for b in boxes:
        draw_box(b)


TABLE_TOP = 70.0


def theme(t):
    total = sum(c["weight"] for c in t["cols"])
    xs = [30.0]
    for c in t["cols"]:
        xs.append(xs[-1] + c["weight"] * (W - 60) / total)
    head_h, grp_h = head_height(t["cols"], xs)
    bottom = H - job["bottom"]
    first_top, follow = TABLE_TOP, False
    rows_all = t["rows"]
    if not job["theme_break"] and state["last_y"] > 0 and t["chunks"] and t["chunks"][0]:
        cand = state["last_y"] + 24 + (TABLE_TOP - 30)
        ys = layout_page([rows_all[t["chunks"][0][0]]], t["cols"], xs, cand + head_h)
        if ys[0][1] <= bottom:
            first_top, follow = cand, True
    pages = []
    for ch in t["chunks"]:
        cur = []
        for idx in ch:
            r = rows_all[idx]
            trial = cur + [r]
            top = first_top if not pages else TABLE_TOP
            if job["repeat_head"] or not pages:
                top += head_h
            ys = layout_page(trial, t["cols"], xs, top)
            if ys[-1][1] > bottom and cur:
                carry = []
                while cur and cur[-1]["kind"] == "band":  # a band row is kept with the row after it
                    carry.insert(0, cur.pop())
                if cur:
                    pages.append(cur)
                cur = carry + [r]
            else:
                cur = trial
        if cur:
            pages.append(cur)
    for i, rows in enumerate(pages):
        top = TABLE_TOP
        if i == 0 and follow:
            top = first_top
        else:
            new_page()
        s = t["title"]
        if len(pages) > 1 and job["cont_marker"]:
            s += f"--{i + 1}/{len(pages)}"
        title(s, top - (TABLE_TOP - 30))
        prev = pages[i - 1] if i else []
        with_head = job["repeat_head"] or i == 0
        draw_table(rows, prev, t["cols"], xs, top, head_h, grp_h, with_head)
        if with_head:
            top += head_h
        ys = layout_page(rows, t["cols"], xs, top)
        state["last_y"] = ys[-1][1]
        if ys[-1][1] > bottom + 0.5:
            too_tall.append(f"{t['title']} p{pdf.page_no()}")
        n = pdf.page_no()
        if job["watermark"] and n not in wm_pages:
            wm_pages.add(n)
            if job["watermark_layer"] == "page":
                watermark(pdf)
        numbered.add(n)


def watermark(p):
    p.set_font("cjk", BOLD, 60)
    p.set_text_color(*job["wm_color"])
    x, y = W * 0.3, H * 0.72
    p.rotate(job["watermark_angle"], x, y)
    p.text(x, y, job["watermark_text"])
    p.rotate(0)
    p.set_text_color(0, 0, 0)


def centre(s, y, size):
    bold(size)
    while size > 12 and pdf.get_string_width(s) > W - 60:
        size -= 2
        bold(size)
    pdf.set_xy(30, y - size)
    pdf.cell(W - 60, size * 1.4, s, 0, 0, "C")


def front():
    new_page()
    color(job["accent"], pdf.set_fill_color)
    pdf.rect(0, 0, W, 18, "F")
    centre(job["org"], H * 0.38, 30)
    centre("策略地圖與平衡計分卡", H * 0.38 + 50, 26)

    new_page()
    numbered.add(pdf.page_no())
    bold(20)
    color(job["accent"], pdf.set_text_color)
    pdf.text(40, 60, job["org"] + "轄區概況")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("cjk", "", 14)
    for i, ln in enumerate(job["profile"]):
        pdf.text(60, 110 + i * 32, ln)

    new_page()
    numbered.add(pdf.page_no())
    bold(20)
    color(job["accent"], pdf.set_text_color)
    pdf.text(40, 50, job["org"] + "策略地圖")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("cjk", "", 14)
    pdf.text(W - 30 - pdf.get_string_width(job["map_date"]), 50, job["map_date"])
    pdf.set_font("cjk", "", 9)
    vision = job["vision"]
    while vision and pdf.get_string_width(vision) > W - 80:
        vision = vision[:-1]
    pdf.text(40, 92, vision)
    y = 110.0
    band = (H - y - 60) / max(1, len(job["map"]))
    for m in job["map"]:
        color(job["accent"], pdf.set_fill_color)
        pdf.rect(40, y, 80, band - 10, "F")
        pdf.set_text_color(255, 255, 255)
        bold(10)
        pdf.set_xy(40, y)
        pdf.cell(80, band - 10, m["label"], 0, 0, "C")
        pdf.set_text_color(0, 0, 0)
        pdf.set_font("cjk", "", 8)
        x = 130.0
        for o in m["objs"]:
            w = min(150, pdf.get_string_width(o) + 16)
            if x + w > W - 30:
                break
            color(job["accent"], pdf.set_draw_color)
            pdf.set_line_width(0.8)
            pdf.set_fill_color(255, 255, 255)
            pdf.rect(x, y + 8, w, band - 26, "DF")
            lines = []
            line = ""
            for ch in o:
                if line and pdf.get_string_width(line + ch) > w - 4 - 2 * pdf.c_margin:
                    lines.append(line)
                    line = ch
                else:
                    line += ch
            lines.append(line)
            ly = y + 8 + max(2, (band - 26 - len(lines) * 10) / 2)
            for ln in lines:
                if ly + 10 > y + band - 18:
                    break
                pdf.set_xy(x + 2, ly)
                pdf.cell(w - 4, 10, ln, 0, 0, "C")
                ly += 10
            x += w + 10
        y += band


front()
for t in job["themes"]:
    theme(t)
new_page()
centre("敬請指教", H * 0.45, 36)
pdf.output(job["out"], "F")
print(json.dumps({"pages": pdf.page_no(), "too_tall": too_tall, "wm_pages": sorted(wm_pages)}))
