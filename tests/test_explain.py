"""`scorecards explain`: one drawing and one listing per table page, outlines in the roles' colours."""

from __future__ import annotations

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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page-7.png", "page-7.txt"]


def test_explain_a_file_that_is_no_deck(tmp_path):
    assert main(["explain", str(CORPUS / "bad" / "official-letter.pdf"), "--out", str(tmp_path)]) == 1
    assert "no scorecard tables" in (tmp_path / "rejected.txt").read_text(encoding="utf-8")
    assert main(["explain", str(tmp_path / "missing.pdf")]) == 2
