"""LibreOffice Impress's PDF export 'with speaker notes': r_pptx's python-pptx deck, given speaker notes, exported
as notes pages (impress_pdf_Export's ExportOnlyNotesPages) or as the slides followed by their notes pages
(ExportNotesPages), the way a clerk ticks "Export notes pages" in the PDF dialog.

A notes page is a portrait page of the presentation's notes size (`p:notesSz`: PowerPoint's and python-pptx's
7.5 x 10 in, or A4 portrait with the notes master scaled to it) with the slide drawn small in the notes master's
slide-image box (a 16:9 or A4L slide letterboxed in the 4:3 box, so a table's 7 pt type prints at about 3 pt), the
slide's speaker notes as text below it and the slide number at the foot.  A slide without a notes part (`bare`:
cover and closing slides of some decks, as PowerPoint writes only the notes slides an author opened) gets
LibreOffice's own notes layout, a much larger slide image running past the page's right edge; slides with a table
always have a notes part (otherwise the plans column would be cut off at the page edge).  LibreOffice 7.4's PDF
export has no handouts option (ExportNotesPages, ExportOnlyNotesPages, ExportNotes for comments, ExportHiddenSlides
are all its Impress page options; handouts print only through the print dialog, see r_psprint), so handouts are not
drawn here.

Speaker notes (per deck: none, short, long, or a mix slide by slide) are Chinese sentences about the slide, as
presenters write them: the theme and objectives, the KPIs on the slide by code ('A1.1「...」111年達成率95%'), made-up
rates, amounts, extension numbers and dates; on the map slide the map's approval date (the printed one, in words).
None of it is in the truth.  Notes font: the deck's face or the notes master's (LibreOffice's fallback), at the
master's size or 10-18 pt.

Truth pages: the PDF page where the KPI's row is printed, first occurrence, as layout.find_pages counts them: the
notes page of its slide for notes pages only, the slide page itself (the first copy) for slides followed by notes
pages, where the notes page N + p prints the same table again.  The slides are fitted first by r_pptx.render (its
export of the plain slides, rows lowered until no table runs off its slide); the notes export is then checked: each
KPI's code inside the slide image (above the notes body) on exactly the expected pages, every character of the
KPI's row there (the notes below cannot stand in for it), no text outside the page (layout.check).  A deck failing
a check raises, and generate draws another style.
"""

from __future__ import annotations

import json
import random
import tempfile
from collections import Counter
from importlib import metadata
from pathlib import Path

from pptx.oxml.ns import qn
from pptx.util import Pt

from . import r_pptx
from .layout import check, chunk, theme_rows
from .soffice import to_pdf, version
from .spec import Deck, fold

LIBREOFFICE = "7.4.7"  # Debian 12's libreoffice 4:7.4.7 (README, Setup)
NOTES_SIZES = {"letter": (6858000, 9144000), "A4": (7560000, 10692000)}  # portrait, EMU
UNITS = ["民政課", "社會課", "經建課", "人文課", "秘書室", "行政課", "研考科", "戶籍課"]
REASONS = ["人力調度", "疫情影響", "民眾參與踴躍", "預算延後撥付", "系統上線時程調整", "志工招募不易", "天候因素"]


def tool_version(engine: str | None = None) -> str:
    return f"{version()}; python-pptx {metadata.version('python-pptx')}; impress_pdf_Export notes pages"


def producer_options(rng: random.Random, style: dict) -> dict:
    return {
        "export": rng.choice(["notes_only", "notes_only", "slides_then_notes"]),
        "notes": rng.choice(["none", "short", "long", "mixed", "mixed"]),
        "notes_pt": rng.choice([None, None, 10, 12, 12, 14, 16, 18]),
        "notes_font": rng.choice(["deck", "deck", "master"]),
        "notes_size": rng.choice(["letter", "letter", "A4"]),
        "bare": rng.random() < 0.3,
        "notes_seed": rng.randrange(10**9),
    }


# --- the notes ------------------------------------------------------------------------------------------------


def _table_notes(rng: random.Random, deck: Deck, theme, kpis, long: bool) -> list[str]:
    y = deck.plan_year
    out = [
        rng.choice(
            [
                f"本頁說明策略主題「{theme.name}」之關鍵績效指標。",
                f"接下來報告「{theme.name}」的執行情形。",
                f"本主題延續{y - 1}年度推動成果，請各課室配合辦理。",
            ]
        )
    ]
    for k in rng.sample(kpis, len(kpis)) * (2 if long else 1):
        pct = rng.choice([88, 92, 95, 97, 100, 103, 110, 120])
        out.append(
            rng.choice(
                [
                    f"{k.code}「{k.name}」{y - 1}年達成率{pct}%，{'已' if pct >= 100 else '尚未'}達成年度目標。",
                    f"{k.code}之{y - 2}年達成率{pct}%，主要係因{rng.choice(REASONS)}。",
                    f"{k.code}之目標值係參考近三年實際值平均訂定，{y}年預計提升{rng.randint(2, 9)}%。",
                    f"「{k.name}」{y - 1}年實際值較前年{rng.choice(['增加', '減少'])}{rng.randint(1, 30)}%。",
                    f"報告時請強調{k.code}的衡量方式：完成件數÷受理件數×100%。",
                ]
            )
        )
    objs = {k.code.rsplit(".", 1)[0] for k in kpis}
    for o in theme.objectives:
        if o.code in objs and rng.random() < 0.4:
            out.append(f"策略目標「{o.name}」由{rng.choice(UNITS)}負責，每季檢討執行進度。")
    out += rng.sample(
        [
            f"行動方案均已列入{y}年度施政計畫，預算約{rng.randint(12, 980)}萬元。",
            f"請各課室於{rng.randint(1, 12)}月{rng.randint(1, 28)}日前回報執行情形。",
            f"（補充）{y - 1}年共辦理{rng.randint(3, 60)}場次，參與人數{rng.randint(120, 4800):,}人。",
            "以上數據已經主計人員確認。",
        ],
        3 if long else 1,
    )
    return out


def _other_notes(rng: random.Random, deck: Deck, kind: str) -> list[str]:
    y = deck.plan_year
    if kind == "cover":
        return [
            f"各位長官、同仁大家好，今天報告本所{y}年度策略地圖與平衡計分卡。",
            f"簡報時間約{rng.choice([10, 15, 20])}分鐘。",
            "首先說明轄區概況，再依策略主題逐一報告。",
        ]
    if kind == "profile":
        return [
            f"本轄區人口近年持續{rng.choice(['增加', '減少'])}，{y - 1}年底較前一年變動約{rng.randint(80, 2600):,}人。",
            "高齡人口比例逐年上升，服務需求隨之增加。",
            f"{y - 1}年為民服務滿意度{rng.randint(85, 98)}%。",
        ]
    if kind == "map":
        yy, mm, dd = (int(v) for v in deck.map_date.split("."))
        return [
            "策略地圖依財務、顧客、內部流程、學習成長四大構面展開。",
            f"本策略地圖於{yy}年{mm}月{dd}日經所務會議通過。",
            "各策略目標之間的因果關係以箭頭表示。",
        ]
    return ["謝謝聆聽，敬請指教。", f"如有問題請洽研考人員（分機{rng.randint(100, 899)}）。"]


def _note_paragraphs(rng: random.Random, sentences: list[str], length: str) -> list[str]:
    if length == "none":
        return []
    if length == "short":
        return ["".join(sentences[: rng.choice([1, 2])])]
    paras, cur = [], ""
    for s in sentences:
        cur += s
        if rng.random() < 0.4:
            paras.append(cur)
            cur = ""
    if cur:
        paras.append(cur)
    return paras


def _slides(deck: Deck, max_rows: int) -> list[tuple[str, object, list]]:
    """(kind, theme, KPIs) for every slide in r_pptx's order."""
    out: list[tuple[str, object, list]] = [("cover", None, []), ("profile", None, []), ("map", None, [])]
    for t in deck.themes:
        for part in chunk(theme_rows(deck, t), max_rows):
            out.append(("table", t, [r.kpi for r in part if r.kind == "kpi"]))
    out.append(("closing", None, []))
    return out


def _scale_notes_master(prs, size: str) -> None:
    """Set the notes size, the notes master's placeholders scaled to it."""
    cx, cy = NOTES_SIZES[size]
    sz = prs.part._element.find(qn("p:notesSz"))
    ox, oy = int(sz.get("cx")), int(sz.get("cy"))
    master = prs.notes_master  # created now, before any notes slide copies it
    if (ox, oy) != (cx, cy):
        sz.set("cx", str(cx))
        sz.set("cy", str(cy))
        for sh in master.placeholders:
            sh.left, sh.top = int(sh.left * cx / ox), int(sh.top * cy / oy)
            sh.width, sh.height = int(sh.width * cx / ox), int(sh.height * cy / oy)


def _add_notes(prs, deck: Deck, opts: dict) -> list[float | None]:
    """Speaker notes on every slide; returns, per slide, the notes body's top in pt (None: no notes part)."""
    rng = random.Random(opts["notes_seed"])
    _scale_notes_master(prs, opts["notes_size"])
    fam = opts["font"] if opts["notes_font"] == "deck" else None
    tops: list[float | None] = []
    for slide, (kind, theme, kpis) in zip(prs.slides, _slides(deck, int(opts["max_rows"]))):
        if opts["bare"] and kind in ("cover", "closing"):
            tops.append(None)
            continue
        length = opts["notes"]
        if length == "mixed":
            length = rng.choice(["none", "short", "short", "long"])
        sentences = (
            _table_notes(rng, deck, theme, kpis, length == "long") if kind == "table" else _other_notes(rng, deck, kind)
        )
        if opts.get("notes_max"):  # notes that ran off the page, shortened by their author
            sentences = sentences[: opts["notes_max"]]
        ns = slide.notes_slide
        body = ns.notes_placeholder
        tops.append(body.top / 12700)
        tf = body.text_frame
        for i, para in enumerate(_note_paragraphs(rng, sentences, length)):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            r = p.add_run()
            r.text = para
            if opts["notes_pt"]:
                r.font.size = Pt(opts["notes_pt"])
            if fam:
                r.font.name = fam
                rpr = r._r.get_or_add_rPr()
                rpr.append(rpr.makeelement(qn("a:ea"), {"typeface": fam}))
    return tops


def _filter(export: str) -> str:
    b = {"type": "boolean", "value": "true"}
    opts = {"ExportNotesPages": b}
    if export == "notes_only":
        opts["ExportOnlyNotesPages"] = b
    return "pdf:impress_pdf_Export:" + json.dumps(opts, separators=(",", ":"))


# --- rendering and checks ---------------------------------------------------------------------------------------


def render(deck: Deck, out_pdf: str | Path, options: dict | None = None) -> dict:
    """options: see producer_options (plus r_pptx's page, font, font_pt, max_rows).  Returns the options used."""
    if not version().startswith(f"LibreOffice {LIBREOFFICE}"):
        raise RuntimeError(f"r_impressnotes wants LibreOffice {LIBREOFFICE}, found {version()!r}")
    opts = dict(options) if options else producer_options(random.Random(0), deck.style)
    out_pdf = Path(out_pdf)
    with tempfile.TemporaryDirectory(prefix="r_impressnotes-") as tmp:
        # the plain slides first: r_pptx fits the tables on their slides and finds each KPI's slide
        fitted = r_pptx.render(deck, Path(tmp) / "slides.pdf", opts)
        fitted.pop("problems", None)
        opts.update(fitted)
        slide_pages = {k.code: k.page for _, _, k in deck.kpis()}
        while True:
            prs = r_pptx.presentation(deck, opts)
            tops = _add_notes(prs, deck, opts)
            src = Path(tmp) / f"{deck.stem}.pptx"
            prs.save(str(src))
            to_pdf(src, out_pdf, _filter(opts["export"]))
            for _, _, k in deck.kpis():
                k.page = slide_pages[k.code]
            problems = _check_notes(out_pdf, deck, opts, tops)
            # LibreOffice neither shrinks nor clips notes longer than the notes box: they run off the page's foot,
            # as the author sees in the notes view and shortens them
            if not any("text outside the page" in p for p in problems) or opts.get("notes_max") == 1:
                break
            opts["notes_max"] = max(1, (opts.get("notes_max") or _longest(prs)) - 2)
    if problems:
        out_pdf.unlink(missing_ok=True)
        raise RuntimeError(f"{deck.stem}: {'; '.join(problems)}")
    opts["problems"] = []
    return opts


def _longest(prs) -> int:
    """The most sentences of any slide's notes."""
    counts = [0]
    for slide in prs.slides:
        if slide.has_notes_slide:
            counts.append(slide.notes_slide.notes_text_frame.text.count("。"))
    return max(counts)


def _check_notes(pdf: Path, deck: Deck, opts: dict, tops: list[float | None]) -> list[str]:
    """Each KPI inside its slide image on the expected pages; its row's characters there; nothing off the page."""
    import pymupdf

    doc = pymupdf.open(str(pdf))
    n = len(tops)
    notes_first = 1 if opts["export"] == "notes_only" else n + 1
    if len(doc) != n + notes_first - 1:
        return [f"{len(doc)} pages for {n} slides ({opts['export']})"]
    problems = []
    from .layout import _code_re

    for _, _, k in deck.kpis():
        slide = k.page  # r_pptx.render's: the slide's number in the plain export
        want = [slide] if opts["export"] == "notes_only" else [slide, n + slide]
        clips = {}
        for p in range(1, len(doc) + 1):
            page = doc[p - 1]
            if p >= notes_first:
                top = tops[p - notes_first]
                clips[p] = pymupdf.Rect(0, 0, page.rect.width, top if top is not None else page.rect.height)
            else:
                clips[p] = page.rect
        rx = _code_re(k.code)
        hits = [p for p in clips if any(rx.search(w[4]) for w in doc[p - 1].get_text("words", clip=clips[p]))]
        if hits != want:
            problems.append(f"KPI {k.code} printed on pages {hits}, wanted {want}")
            continue
        text = k.shown + "".join(v.text for v in k.values) + "".join(pl.shown for pl in k.plans) + k.code
        need = Counter("".join(fold(text).split()))
        for p in want:
            have = Counter("".join(fold(doc[p - 1].get_text(clip=clips[p])).split()))
            short = need - have
            if short:
                problems.append(f"page {p}: {k.code} characters missing: {''.join(sorted(short.elements()))}")
        k.page = want[0]
    return problems + check(pdf, deck)
