"""`scorecards explain`: one drawing and one listing per table page, outlines in the roles' colours."""

from __future__ import annotations

from deckmaker import Deck, Kpi, Table, build_deck
from PIL import Image
from truth import CORPUS, load_truth

from assets.cli import main
from pipeline.extract.explain import ROLE_COLOURS
from pipeline.extract.layout import Role

DECK = CORPUS / "public" / "beitou-110.pdf"


def _colour_pixels(png, colour) -> int:
    colours = Image.open(png).convert("RGB").getcolors(maxcolors=1 << 24)
    return next((count for count, rgb in colours if rgb == colour), 0)


def test_explain_draws_every_table_page(tmp_path, capsys):
    assert main(["explain", str(DECK), "--out", str(tmp_path)]) == 0
    table_pages = sorted({k["page"] for k in load_truth(DECK.with_name("beitou-110.truth.json"))["kpis"]})
    pngs = sorted(tmp_path.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1]))
    assert [int(p.stem.split("-")[1]) for p in pngs] == table_pages
    for png in pngs:
        for role in (Role.KPI, Role.TARGET, Role.PLANS):
            assert _colour_pixels(png, ROLE_COLOURS[role]) > 200, f"{png.name}: {role} outline visible"
    listing = (tmp_path / pngs[0].name.replace(".png", ".txt")).read_text(encoding="utf-8")
    assert "target 110" in listing and "perspective" in listing
    assert str(pngs[0]) in capsys.readouterr().out


def test_explain_only_the_pages_asked_for(tmp_path):
    assert main(["explain", str(DECK), "--pages", "7", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["findings.txt", "page-7.png", "page-7.txt"]
    assert "beitou-110.pdf: no findings" in (tmp_path / "findings.txt").read_text(encoding="utf-8")


def test_explain_draws_a_page_asked_for_that_holds_no_table(tmp_path):
    """The title slide: a user looking for a table the parser missed sees the page as read."""
    assert main(["explain", str(DECK), "--pages", "1", "--out", str(tmp_path)]) == 0
    assert {"page-1.png", "page-1.txt"} <= {p.name for p in tmp_path.iterdir()}
    assert (tmp_path / "page-1.txt").read_text(encoding="utf-8").startswith("page 1 ")


def test_explain_says_why_a_deck_would_be_held_back(tmp_path):
    kpis = [
        Kpi("顧客", "AC1推動祭拜精緻化", "AC1.1提升集中燒配合比率", ("70%", "72%", "74%", "75%"), ("AC1.1.1計畫",)),
        Kpi("顧客", "AC1推動祭拜精緻化", "AC1.1金紙減量", ("1", "2", "3", "4"), ("AC1.1.2計畫",)),  # a code twice
    ]
    deck = build_deck(Deck(org="臺北市民政局", pages=[[Table("策略主題：(A)發展多元文化", kpis)]]), tmp_path / "d.pdf")
    assert main(["explain", str(deck), "--out", str(tmp_path / "out")]) == 0
    findings = (tmp_path / "out" / "findings.txt").read_text(encoding="utf-8")
    assert "the load quarantines it" in findings
    assert "error kpi_codes_unique: KPI code AC1.1 is printed 2 times" in findings


def test_explain_marks_a_table_continued_without_a_header(tmp_path):
    deck = CORPUS / "realtools" / "f02-writer-noheader.pdf"
    assert main(["explain", str(deck), "--out", str(tmp_path)]) == 0
    listings = [p.read_text(encoding="utf-8") for p in sorted(tmp_path.glob("page-*.txt"))]
    continued = [text for text in listings if "continues the table before, without a header of its own" in text]
    assert continued and all(" r1 [" in text for text in continued), "the continued page's rows are read and listed"


def test_explain_a_file_that_is_no_deck(tmp_path):
    assert main(["explain", str(CORPUS / "bad" / "official-letter.pdf"), "--out", str(tmp_path)]) == 1
    assert "no scorecard tables" in (tmp_path / "rejected.txt").read_text(encoding="utf-8")
    assert main(["explain", str(tmp_path / "missing.pdf")]) == 2


def test_explain_draws_a_page_printed_sideways_in_the_frame_it_was_read_in(tmp_path):
    """f70's slides were printed turned onto portrait paper: the drawing is turned back, so the
    outlines (laid out in that frame) fall on the table."""
    deck = CORPUS / "realtools" / "f70-sideways-3605129.pdf"
    assert main(["explain", str(deck), "--pages", "4", "--out", str(tmp_path)]) == 0
    png = tmp_path / "page-4.png"
    width, height = Image.open(png).size
    assert width > height, "landscape, as the slide"
    assert _colour_pixels(png, ROLE_COLOURS[Role.KPI]) > 200


def test_explain_draws_each_page_a_sheet_prints_alone_at_its_own_size(tmp_path):
    """f427 prints two pages to an A4 sheet (pdfTeX's pdfpages): each printed page is drawn alone,
    as large as it was before the sheet shrank it, the outlines on its table."""
    deck = CORPUS / "realtools" / "f427-pdfpages2-asposecells-lower-page-header-9faea3b.pdf"
    assert main(["explain", str(deck), "--pages", "4,5", "--out", str(tmp_path)]) == 0
    sheet_width = 595.3 * 110 / 72
    for number in (4, 5):
        png = tmp_path / f"page-{number}.png"
        width, height = Image.open(png).size
        assert width > sheet_width, "drawn at the page's own size, not the sheet's half"
        assert _colour_pixels(png, ROLE_COLOURS[Role.KPI]) > 200
