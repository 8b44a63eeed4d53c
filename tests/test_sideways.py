"""Pages printed sideways (landscape slides turned onto portrait paper, no /Rotate): read in the
frame that turns them back."""

from __future__ import annotations

from glyphs import column, word

from pipeline.extract.geometry import Glyph, PageGeometry, group_lines
from pipeline.extract.rules import Rule, Rules
from pipeline.extract.sideways import read_upright, turned_lines


def _page(glyphs, horizontal=(), vertical=()) -> PageGeometry:
    return PageGeometry(list(glyphs), Rules(list(horizontal), list(vertical)), 540.0, 960.0)


def test_text_running_bottom_to_top_reads_upright_on_the_page_turned_clockwise():
    """'策略主題…' turned to run up the left edge of a portrait page, a rule along it: turned a
    quarter clockwise, the page is landscape, the title one line read left to right near its
    top, and the rule runs across under it."""
    title = column("策略主題：(A)營造安全韌性社區", 20, 100, upward=True)
    header = column("構面策略目標關鍵績效指標", 60, 100, upward=True)
    under = Rule(40, 100, 400)  # a vertical rule right of the title, along it
    upright, turn = read_upright(_page([*title, *header], vertical=[under]))
    assert turn == 90 and (upright.width, upright.height) == (960.0, 540.0)
    line, second = group_lines(upright.glyphs)
    assert (line.text, second.text) == ("策略主題：(A)營造安全韌性社區", "構面策略目標關鍵績效指標")
    assert line.top == 20 and not any(g.rotated for g in line.glyphs)
    assert upright.rules.horizontal == [Rule(40, 960 - 400, 960 - 100)] and upright.rules.vertical == []


def test_text_running_top_to_bottom_reads_upright_on_the_page_turned_counter_clockwise():
    title = column("策略主題：(B)提升為民服務品質", 500, 100)
    header = column("構面策略目標關鍵績效指標", 460, 100)
    upright, turn = read_upright(_page([*title, *header], horizontal=[Rule(300, 450, 520)]))
    assert turn == 270
    line, second = group_lines(upright.glyphs)
    assert (line.text, second.text) == ("策略主題：(B)提升為民服務品質", "構面策略目標關鍵績效指標")
    assert line.top == 540 - 510
    assert upright.rules.vertical == [Rule(300, 540 - 520, 540 - 450)]


def test_a_page_of_upright_text_with_a_turned_label_is_read_as_it_is():
    page = _page([*word("KPI關鍵績效指標實際值目標值行動方案", 20, 50), *column("內部流程構面", 5, 100)])
    assert read_upright(page) == (page, 0)


def test_the_upright_text_of_a_sideways_page_becomes_turned():
    """A 構面 label set vertically on the slide (upright letters stacked) is turned on the page
    printed sideways; in the frame read, it is a turned label again."""
    body = column("關鍵績效指標實際值目標值行動方案策略目標", 300, 50, upward=True)
    label = [g for i, ch in enumerate("財務") for g in word(ch, 200, 100 + 10 * i)]
    upright, _ = read_upright(_page([*body, *label]))
    turned = [g for g in upright.glyphs if g.rotated]
    assert [g.text for g in turned] == ["財", "務"] and not any(g.upward for g in turned)


def test_an_upside_down_label_of_a_sideways_page_turns_back_reading_upward():
    """A label turned to run bottom to top on the slide (a CSS transform) is upside down on the
    page printed sideways (upright, drawn at 180°): turned back with the page, it runs bottom to
    top again, so its letters read in the order drawn."""
    body = column("關鍵績效指標實際值目標值行動方案策略目標", 300, 50, upward=True)
    label = [Glyph(ch, 220 - 10 * i, 230 - 10 * i, 100, 110, 10.0, False, True) for i, ch in enumerate("財務構面")]
    upright, _ = read_upright(_page([*body, *label]))
    turned = [g for g in upright.glyphs if g.text in "財務構面"]
    assert all(g.rotated and g.upward for g in turned)
    assert [g.text for g in sorted(turned, key=lambda g: -g.cy)] == list("財務構面")


def test_a_page_of_upside_down_text_is_read_turned_half_round():
    """A portrait page of landscape content turned a quarter by its maker (Ghostscript), printed
    sideways a quarter again: its text stands upside down, drawn right to left from the page's
    foot. Turned half round, the title reads left to right near the top, and its rule under it."""
    title = [
        Glyph(ch, 500 - 10 * i, 510 - 10 * i, 900, 910, 10.0, False, True)
        for i, ch in enumerate("策略主題：(B)促進多元共融")
    ]
    upright, turn = read_upright(_page(title, horizontal=[Rule(890, 100, 500)], vertical=[Rule(300, 800, 950)]))
    assert turn == 180 and (upright.width, upright.height) == (540.0, 960.0)
    (line,) = group_lines(upright.glyphs)
    assert line.text == "策略主題：(B)促進多元共融" and line.top == 50 and line.x0 == 30
    assert not any(g.upward or g.rotated for g in line.glyphs)
    assert upright.rules.horizontal == [Rule(70, 40, 440)] and upright.rules.vertical == [Rule(240, 10, 160)]


def test_a_page_whose_only_letter_stands_upside_down_is_read_turned_half_round():
    """A plan's last letter '畫' broken onto a page of its own, on a deck whose pages all stand
    upside down (printed sideways, then turned a quarter more by its /Rotate): one letter, under
    the count a page needs, but all its text, so it is read turned like the pages before, atop
    the page where the plan goes on. One upside-down letter among upright text is not."""
    alone = Glyph("畫", 360, 370, 900, 910, 10.0, False, True)
    upright, turn = read_upright(_page([alone]))
    assert turn == 180 and (upright.glyphs[0].x0, upright.glyphs[0].top) == (170, 50)
    _, turn = read_upright(_page([alone, *word("策略主題", 30, 50)]))
    assert turn == 0


def test_turned_text_on_a_page_of_upright_text_is_read_in_lines_for_its_codes():
    """A handout page: the upper slide upright, the lower one laid sideways, its codes turned. The
    page is read upright; its turned text, each run turned upright by its own quarter, reads as
    lines ('BP1.1戶籍登記', up the page; 'BL1.1同仁', down it), so codes no row took are seen."""
    page = [*word("KPI關鍵績效指標實際值目標值行動方案", 20, 50), *column("BP1.1戶籍登記", 300, 500, upward=True)]
    page += column("BL1.1同仁", 100, 500)
    assert [line.text for line in turned_lines(page, 540.0, 960.0)] == ["BP1.1戶籍登記", "BL1.1同仁"]
