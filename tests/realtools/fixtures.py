"""Build the committed fixture decks of tests/corpus/realtools: one small deck per known failure class.

    python -m tests.realtools.fixtures [--out tests/corpus/realtools] [--only f01-logo-title ...]

Each fixture fixes its office, KPIs, style and producer options, so regenerating gives the same content
(the PDF bytes may differ with tool versions).  The truth comes from the content model; every fixture
was checked by eye (pdftoppm) and against `pdftotext -layout` before it was committed.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from .generate import tool_version
from .spec import Office

A_SERVICE = (
    "A",
    "提升為民服務品質",
    [
        ("顧客", "提升櫃檯服務效能", ["counter_sat", "wait_time"]),
        ("內部流程", "強化公文處理效率", ["doc_days"]),
        ("學習成長", "提升同仁專業知能", ["elearn", "courtesy"]),
    ],
)
B_SAFETY = (
    "B",
    "營造安全韌性社區",
    [
        ("內部流程", "提升區里災害應變能力", ["drill", "disaster_talk"]),
        ("學習成長", "提高機關人員社交工程網路攻擊警覺性", ["phish_open"]),
    ],
)
D_CARE = (
    "D",
    "促進多元共融",
    [("顧客", "推動新移民關懷", ["immigrant", "volunteer"]), ("財務", "提升場地租借收入", ["venue_income"])],
)
C_FIN = (
    "C",
    "活化歷史街區",
    [("財務", "活化公有市場空間", ["market_rent", "ratio"]), ("顧客", "推廣基層藝文活動", ["arts_people", "events"])],
)

FIXTURES = [
    {
        "stem": "f01-logo-title",
        "cls": [1],
        "module": "r_fitz",
        "org": ("臺北市", "區公所", "松山"),
        "year": 112,
        "tree": [A_SERVICE, B_SAFETY],
        "style": {
            "logo": True,
            "cont_marker": True,
            "max_rows": 3,
            "persp_mode": "column",
            "page": "16:9",
            "title_variant": 0,
            "rules": "grid",
        },
        "opts": {"logo_badge": False},
        "look": "office short name '松山' printed far right on every theme title line, also after '--1/2' and '--2/2'; "
        "it is not part of the theme name",
    },
    {
        "stem": "f02-writer-noheader",
        "cls": [2],
        "module": "r_docx",
        "org": ("新北市", "區公所", "板橋"),
        "year": 111,
        "tree": [A_SERVICE, B_SAFETY],
        "style": {"persp_mode": "column", "year_header": "pre", "extras": [], "rules": "grid"},
        "opts": {"repeat_header": False, "lead_lines": 14, "theme_page_break": True, "font": "Noto Sans CJK TC"},
        "look": "theme A's table runs onto the next page without a header row; those rows still belong to theme A "
        "and to the 構面/策略目標 cells merged from the previous page",
    },
    {
        "stem": "f03-calc-print-titles",
        "cls": [3],
        "module": "r_xlsx",
        "org": ("臺中市", "區公所", "西屯"),
        "year": 113,
        "tree": [A_SERVICE],
        "style": {
            "persp_mode": "rotated",
            "year_header": "post",
            "extras": ["權重"],
            "extras_pos": "end",
            "blank_cont": False,
            "max_rows": 2,
            "rules": "grid",
        },
        "opts": {"repeat_header": True},
        "look": "headers '實際值(110年)'…'目標值(113年)' repeated as print titles on the continuation page, 構面 text "
        "rotated 90° in merged cells, 權重 column (no truth field)",
    },
    {
        "stem": "f04-writer-bands",
        "cls": [4],
        "module": "r_docx",
        "org": ("臺北市", "區公所", "南港"),
        "year": 113,
        "tree": [
            (
                "A",
                "提升為民服務品質",
                [
                    ("顧客", "提升櫃檯服務效能", ["counter_sat", "wait_time", "online_cases"]),
                    ("顧客", "擴大志願服務參與", ["volunteer"]),
                    ("內部流程", "提升區里災害應變能力", ["drill", "disaster_talk"]),
                ],
            )
        ],
        "style": {
            "persp_mode": "band",
            "year_header": "post",
            "extras": ["備註"],
            "extras_pos": "end",
            "rules": "grid",
        },
        "opts": {"repeat_header": True, "lead_lines": 12, "font": "Noto Sans CJK TC"},
        "look": "構面 as band rows ('顧客構面'); the table breaks inside the 顧客 block, so the rows at the top of the "
        "next page are still 顧客 until the '內部流程構面' band",
    },
    {
        "stem": "f05-rotated-blank-cont",
        "cls": [5],
        "module": "r_fitz",
        "org": ("臺北市", "區公所", "文山"),
        "year": 112,
        "tree": [
            (
                "A",
                "精進數位便民服務",
                [
                    ("顧客", "推廣線上申辦服務", ["online_cases", "hotline"]),
                    ("顧客", "縮短洽公等候時間", ["wait_time"]),
                    ("內部流程", "強化公文處理效率", ["doc_days", "procure"]),
                ],
            )
        ],
        "style": {
            "persp_mode": "rotated",
            "blank_cont": True,
            "max_rows": 2,
            "year_header": "two_row",
            "cont_marker": True,
            "rules": "grid",
            "page": "16:9",
        },
        "opts": {},
        "look": "rotated 構面 label; on the continuation pages the 構面 (and 策略目標) cells of a block that "
        "continues are left blank",
    },
    {
        "stem": "f06-chromium-two-row",
        "cls": [6],
        "module": "r_chromium",
        "org": ("臺北市", "區公所", "萬華"),
        "year": 111,
        "tree": [A_SERVICE, C_FIN],
        "style": {
            "year_header": "two_row",
            "fullwidth_digits": True,
            "extras": ["權重"],
            "extras_pos": "before_values",
            "page": "16:9",
            "max_rows": 4,
            "persp_mode": "rotated",
            "font": "WenQuanYi Zen Hei",
            "rules": "grid",
        },
        "opts": {"rotate_css": "writing-mode"},
        "look": "two-row header (實際值 over three year cells, 目標值 over one), values in full-width digits "
        "('８８％'), 權重 column before the values",
    },
    {
        "stem": "f07-rotate90-hrules",
        "cls": [7],
        "module": "r_fitz",
        "org": ("高雄市", "區公所", "鳳山"),
        "year": 110,
        "tree": [B_SAFETY, D_CARE],
        "style": {"rules": "hrules", "persp_mode": "column", "page": "4:3", "max_rows": 6},
        "opts": {"rotate_theme": "B"},
        "look": "theme B's page is stored portrait with /Rotate 90 (content drawn turned); only horizontal rules",
    },
    {
        "stem": "f08-punct-tight-column",
        "cls": [8],
        "module": "r_reportlab",
        "org": ("臺北市", "區公所", "中正"),
        "year": 112,
        "tree": [B_SAFETY],
        "style": {
            "weights": {"kpi": 1.5, "obj": 1.6},
            "persp_mode": "column",
            "rules": "grid",
            "page": "4:3",
            "font": "AR PL UMing TW",
            "font_pt": 9,
        },
        "opts": {},
        "look": "KPI '里辦公處每年舉辦之演習(演練、踏勘)場次' wrapped over several lines of a narrow column, the "
        "full-width '、' inside it kept",
    },
    {
        "stem": "f09a-xelatex-booktabs",
        "cls": [9, 13],
        "module": "r_latex",
        "org": ("新竹縣", "鄉公所", "寶山"),
        "year": 113,
        "tree": [A_SERVICE, D_CARE],
        "style": {
            "rules": "hrules",
            "persp_mode": "column",
            "halign": "left",
            "page": "A4L",
            "font": "Noto Serif CJK TC",
        },
        "opts": {"mode": "longtable", "gutter_pt": 1.5, "repeat_header": True},
        "look": "XeLaTeX/xeCJK longtable with booktabs rules only, 1.5pt gutters, header labels centred over "
        "left-aligned cells, 構面/策略目標 printed on the first row of their block only",
    },
    {
        "stem": "f09b-typst-norules",
        "cls": [9, 13],
        "module": "r_typst",
        "org": ("桃園市政府", "局", "民政"),
        "year": 114,
        "tree": [B_SAFETY, C_FIN],
        "style": {"rules": "none", "persp_mode": "column", "halign": "left", "page": "16:9", "max_rows": 4},
        "opts": {"gutter_pt": 2},
        "look": "Typst table without any rules, narrow gutters, centred header labels over left-aligned cells",
    },
    {
        "stem": "f10-zebra-bands-watermark",
        "cls": [10],
        "module": "r_fitz",
        "org": ("臺北市", "區公所", "內湖"),
        "year": 113,
        "tree": [A_SERVICE, B_SAFETY],
        "style": {
            "rules": "zebra",
            "persp_mode": "band",
            "watermark": True,
            "page": "16:9",
            "max_rows": 8,
            "font": "WenQuanYi Zen Hei",
        },
        "opts": {"watermark_text": "內部資料", "watermark_angle": 30},
        "look": "zebra row fills without vertical rules, 構面 band rows, a diagonal '內部資料' watermark in the text "
        "layer",
    },
    {
        "stem": "f11-impress",
        "cls": [11],
        "module": "r_pptx",
        "org": ("臺北市", "區公所", "信義"),
        "year": 112,
        "tree": [A_SERVICE, D_CARE],
        "style": {"persp_mode": "rotated", "year_header": "pre", "page": "4:3", "max_rows": 4, "blank_cont": False},
        "opts": {},
        "look": "slides made with python-pptx and exported by LibreOffice Impress; 構面 cells with vertical text",
    },
    {
        "stem": "f12-wkhtmltopdf",
        "cls": [12],
        "module": "r_htmlalt",
        "org": ("臺中市", "區公所", "豐原"),
        "year": 111,
        "tree": [C_FIN, B_SAFETY],
        "style": {"persp_mode": "stacked", "year_header": "stacked", "page": "4:3", "max_rows": 5, "rules": "hrules"},
        "opts": {"engine": "wkhtmltopdf"},
        "look": "HTML printed by wkhtmltopdf (Qt WebKit): one character per line 構面 labels, two-line year headers",
    },
    {
        "stem": "f13-county-weasyprint",
        "cls": [12, 13],
        "module": "r_htmlalt",
        "org": ("", "縣政府", "花蓮縣"),
        "year": 114,
        "tree": [A_SERVICE, C_FIN],
        "style": {
            "persp_mode": "column",
            "year_header": "pre",
            "page": "A4L",
            "max_rows": 6,
            "rules": "grid",
            "plans_first": True,
            "font": "WenQuanYi Zen Hei",
        },
        "opts": {"engine": "weasyprint"},
        "look": "county government (花蓮縣政府) deck printed by WeasyPrint, 行動方案 column before the values",
    },
]


def build(fx: dict, out: Path) -> dict:
    """Render one fixture into `out` and return its manifest entry."""
    seed = 1000 + FIXTURES.index(fx)
    office = Office(seed, fx["stem"].split("-")[0], org=fx["org"]).with_tree(fx["tree"])
    style = {"logo": False, "watermark": False, "fullwidth_digits": False, **fx["style"]}
    deck = office.deck(fx["year"], fx["stem"], style, style_seed=seed)
    mod = importlib.import_module(f"{__package__}.{fx['module']}")
    pdf = out / f"{fx['stem']}.pdf"
    used = mod.render(deck, pdf, dict(fx["opts"]))
    truth = deck.to_truth()
    (out / f"{fx['stem']}.truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    import pymupdf

    return {
        "file": pdf.name,
        "classes": fx["cls"],
        "org": deck.org,
        "plan_year": deck.plan_year,
        "kpis": len(truth["kpis"]),
        "pages": len(pymupdf.open(str(pdf))),
        "producer": fx["module"],
        "tool": tool_version(fx["module"], used.get("engine")),
        "look_for": fx["look"],
        "options": {k: v for k, v in used.items() if k != "problems"},
        "style": deck.style,
        "problems": used.get("problems", []),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "corpus" / "realtools"))
    ap.add_argument("--only", nargs="*")
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    mpath = out / "manifest.json"
    manifest = json.loads(mpath.read_text(encoding="utf-8")) if mpath.exists() else {"decks": []}
    entries = {e["file"]: e for e in manifest["decks"]}
    for fx in FIXTURES:
        if a.only and fx["stem"] not in a.only:
            continue
        e = build(fx, out)
        entries[e["file"]] = e
        print(f"{e['file']}: {e['kpis']} KPIs, {e['pages']} pages {e['problems'] or ''}")
    manifest = {
        "note": "realtools fixtures: decks made by real producers, one per known failure class; truth "
        "schema of shared/corpus/README.md (kpi_key included). See README.md here.",
        "decks": [entries[k] for k in sorted(entries)],
    }
    mpath.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
