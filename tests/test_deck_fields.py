"""Deck-level text: theme titles, strategy-map dates, the organisation on the title slide."""

from datetime import date

import pytest
from glyphs import word

from pipeline.extract.deck_fields import (
    cut_map_date,
    date_beside_the_map,
    find_map_date,
    find_org,
    is_strategy_map,
    map_slide_lines,
    org_from_map_title,
)
from pipeline.extract.geometry import Glyph, Line, group_lines
from pipeline.extract.labels import perspective_name, running_titles, theme_of, title_lines


def _line(text: str, size: float = 10) -> Line:
    return Line(tuple(Glyph(ch, n * size, (n + 1) * size, 0, size, size, False) for n, ch in enumerate(text)))


@pytest.mark.parametrize(
    ("title", "theme"),
    [
        ("策略主題： (A)發展多元文化", ("A", "發展多元文化")),
        ("策略主題：（B）落實基層服務--1/2", ("B", "落實基層服務")),
        ("策略主題：(B)落實基層服務－2/2", ("B", "落實基層服務")),
        ("策略主題：©提升行政效能", ("C", "提升行政效能")),  # '(C)' autocorrected to the sign
        ("策略主題：(A))營造安全韌性社區", ("A", "營造安全韌性社區")),  # a fake-bold copy's bracket drifted on
        ("策略主題：(C)精進行政效能（續）", ("C", "精進行政效能")),
        ("策略主題A：提升服務品質", ("A", "提升服務品質")),
        ("策略主題A", ("A", None)),  # a spreadsheet's sheet name in a running header: the code alone
        ("策略主題：落實基層服務", (None, "落實基層服務")),
        ("策略主題：（E）發展多元文化－－2/2", ("E", "發展多元文化")),
        ("策略主題：(A)推動2030淨零（續）", ("A", "推動2030淨零")),
        ("策略主題：(B)精進數位便民服務－1／2", ("B", "精進數位便民服務")),  # dvipdfmx: full-width '／'
    ],
)
def test_theme_titles(title, theme):
    assert theme_of(_line(title)) == theme


def test_a_title_under_a_notice_printed_over_it_is_read():
    """Spire.Doc prints its 17.2 pt evaluation warning across the middle of the page, over a 14 pt
    theme title: their letters interleave on one line. The title is read from its own type size."""
    title = word("策略主題：(B)提升行政效能", 36, 388.9, size=14)
    notice = word("Evaluation Warning", 0, 382.5, size=17.2, advance=0.55)
    (line,) = group_lines([*title, *notice])
    (found,) = title_lines([line])
    assert theme_of(found) == ("B", "提升行政效能")


def test_a_title_whose_first_words_are_set_smaller_is_read():
    """mPDF set '策略' in 10 pt and '主題：(B)…' in 16 pt on one baseline; a caption after the
    title in the small size is still not its name."""
    small = word("策略", 34, 36.8, size=10)
    large = word("主題：(B)打造永續低碳生活圈", small[-1].x1, 32.6, size=16)
    caption = word("岡山", large[-1].x1 + 2, 36.8, size=10)
    (line,) = group_lines([*small, *large, *caption])
    (found,) = title_lines([line])
    assert theme_of(found) == ("B", "打造永續低碳生活圈")


def _placed(title: str, top: float, size: float) -> Line:
    return Line(
        tuple(Glyph(ch, 30 + n * size, 30 + (n + 1) * size, top, top + size, size, False) for n, ch in enumerate(title))
    )


def test_a_running_header_s_title_is_no_theme_of_its_own():
    """Asciidoctor prints the current section's title in the running header (12 pt, in the top
    margin) over the heading of the theme that begins on the page (16 pt): the small one is page
    furniture, and so is a title at its spot on a page where the table just goes on. A slide's own
    title at the top, the only title on its page, is a theme's."""
    spots: list = []
    running, heading = _placed("策略主題：©打造永續", 6.7, 12), _placed("策略主題：(C)打造永續", 261, 16)
    assert running_titles([running, heading], 595, spots) == [running]
    on_next_page = _placed("策略主題：©打造永續", 6.7, 12)
    assert running_titles([on_next_page], 595, spots) == [on_next_page]
    slide_title = _placed("策略主題：(A)精進服務", 20, 16)
    assert running_titles([slide_title], 540, []) == []
    # A spreadsheet's sheet name '策略主題B' atop a sheet printed on a page 396 pt high: 8 % of it
    # is 32 pt, less than the header's half inch.
    sheet, heading = _placed("策略主題B", 26.7, 9), _placed("策略主題：(B)發展多元文化", 56, 15)
    assert running_titles([sheet, heading], 396, []) == [sheet]
    # ... and on a page 168 pt high, whose top fifth (34 pt) is less than that half inch.
    sheet, heading = _placed("策略主題D", 25, 9), _placed("策略主題：(D)發展多元文化", 54.7, 14)
    assert running_titles([sheet, heading], 168, []) == [sheet]
    # LaTeX's fancyhdr sets the running header lower (here 70 pt down an A4 landscape page of 595,
    # past its top margin), the page's last mark '(C)' over a table where theme B goes on, above
    # theme C's own, larger title: running too. Alone on its page, a title so placed is a theme's.
    fancy, heading = _placed("策略主題：(C)打造永續低碳生活圈", 70.2, 6.6), _placed("策略主題：(C)打造永續", 252, 11)
    assert running_titles([fancy, heading], 595, []) == [fancy]
    assert running_titles([_placed("策略主題：(C)打造永續", 70.2, 11)], 595, []) == []
    # rst2pdf's running header (8 pt, 58 pt down a 16:9 page of 540, past its top margin) is
    # learnt above theme A's 18 pt heading; on the page after, over a table where theme D goes
    # on, it names (C) alone at that spot: running, not the theme of that page's rows.
    spots = []
    header, heading = _placed("策略主題：(A)深化公民參與", 58, 8), _placed("策略主題：(A)深化公民參與", 89, 18)
    assert running_titles([header, heading], 540, spots) == [header]
    stale = _placed("策略主題：(C)強化災害防救體系", 58, 8)
    assert running_titles([stale], 540, spots) == [stale]
    assert running_titles([stale], 540, []) == [], "no spot learnt: past the top margin, a theme's"
    # SpreadJS prints the sheet's name '策略主題A' in its page header beside the office's, in
    # type nearly the title's size (9 against 9.8): it names only the code of the title under it.
    sheet, heading = _placed("屏東縣里港鄉公所策略主題A", 32.5, 9), _placed("策略主題：(A)厚植地方產業特色", 58.9, 9.8)
    assert running_titles([sheet, heading], 594, []) == [sheet]
    other = _placed("屏東縣里港鄉公所策略主題B", 32.5, 9)
    assert running_titles([other, heading], 594, []) == []


def _glued(title: str, tail: str, gap: float, tail_size: float, size: float = 16) -> Line:
    """A title line with `tail` (a logo caption, the office's short name) set `gap` points after it."""
    head = _line(title, size).glyphs
    start = head[-1].x1 + gap
    tail_glyphs = tuple(
        Glyph(ch, start + n * tail_size, start + (n + 1) * tail_size, 0, tail_size, tail_size, False)
        for n, ch in enumerate(tail)
    )
    return Line(head + tail_glyphs)


@pytest.mark.parametrize(
    ("title", "tail", "gap", "tail_size"),
    [
        ("策略主題：(A)提升為民服務品質", "松山", 400, 12),  # far right, smaller
        ("策略主題：(A)提升為民服務品質--1/2", "松山", 400, 12),  # after a continuation mark
        ("策略主題：(A)提升為民服務品質", "民政局", 2, 9),  # close, but set smaller
        ("策略主題：(A)提升為民服務品質‑‑1/2", "松山", 0, 16),  # non-breaking hyphens, then text
    ],
)
def test_text_beside_a_theme_title_is_not_its_name(title, tail, gap, tail_size):
    assert theme_of(_glued(title, tail, gap, tail_size)) == ("A", "提升為民服務品質")


@pytest.mark.parametrize(
    ("text", "iso"),
    [("110.02.26", "2021-02-26"), ("111/3/1", "2022-03-01"), ("更新日期：112年3月18日", "2023-03-18")],
)
def test_strategy_map_dates(text, iso):
    assert str(find_map_date([_line("臺北市北投區公所策略地圖"), _line(text)])) == iso


@pytest.mark.parametrize(
    ("title", "org"),
    [
        ("臺北市北投區公所策略地圖", "臺北市北投區公所"),
        ("桃園市政府客家事務局策略地圖113.01.18", "桃園市政府客家事務局"),  # beamer: the date at the title's right
        ("臺北市北投區公所策略地圖與平衡計分卡", None),
        ("臺北市北投區公所策略地圖說明", None),
    ],
)
def test_org_from_the_strategy_map_s_title(title, org):
    assert org_from_map_title([_line(title)]) == org


def test_impossible_dates_are_skipped():
    assert find_map_date([_line("110.13.45")]) is None


@pytest.mark.parametrize(
    ("lines", "org"),
    [
        (["臺北市北投區公所", "策略地圖與平衡計分卡"], "臺北市北投區公所"),
        (["【中山區公所】", "臺北市中山區公所", "策略地圖與平衡計分卡"], "臺北市中山區公所"),
        (["臺北市政府民政局策略地圖與平衡計分卡"], "臺北市政府民政局"),
        (["新北市板橋區公所 113年度", "策略地圖與平衡計分卡"], "新北市板橋區公所"),
        (
            ["高雄市政府研究發展考核處 策略地圖與平衡計", "分卡"],
            "高雄市政府研究發展考核處",
        ),  # Spire.Doc wraps the title
        # Two slides a sheet, the cover naming no office above the profile: a label's value is no
        # office, though it ends like one ('…東北部').
        (["轄區概況", "地理位置：位於臺中市東北部", "面積：61.94平方公里"], None),
    ],
)
def test_org_on_the_title_slide(lines, org):
    assert find_org([_line(t, size=28 if n == 0 else 20) for n, t in enumerate(lines)]) == org


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("顧客構面", "顧客"),
        ("學習成\n長構面", "學習成長"),
        ("面構客顧", "顧客"),
        ("程流面部構內", "內部流程"),
        ("財務", "財務"),
    ],
)
def test_perspective_labels(label, name):
    assert perspective_name(label) == name


def test_a_map_printed_on_a_page_with_a_table_gives_its_own_date():
    """Handouts: the strategy map and the first table share a page; the map's date is read from
    the map's slide, from its title to the next theme title."""
    lines = group_lines(
        [
            *word("北投區公所策略地圖", 40, 40),
            *word("110.02.26", 300, 200),
            *word("策略主題：(A)落實基層服務", 40, 440),
            *word("111.01.05", 300, 600),
        ]
    )
    assert [ln.text for ln in map_slide_lines(lines)] == ["北投區公所策略地圖", "110.02.26"]
    assert find_map_date(map_slide_lines(lines)) == date(2021, 2, 26)


def test_a_map_s_date_set_level_with_its_title_a_little_higher_is_the_map_s():
    """Plotly's map slide prints its date at the title's right in smaller type, its top 4 pt
    above the title's: printed on a page with a table (two slides a sheet), the date's line comes
    first, and is still the map's; a running header over both is not."""
    lines = group_lines(
        [
            *word("信義區戶政事務所策略地圖與平衡計分卡", 40, 20, size=8),
            *word("110.02.14", 400, 49, size=8),
            *word("信義區戶政事務所策略地圖", 40, 53, size=12),
            *word("策略主題：(A)落實基層服務", 40, 440),
        ]
    )
    assert [ln.text for ln in map_slide_lines(lines)] == ["110.02.14", "信義區戶政事務所策略地圖"]
    assert find_map_date(map_slide_lines(lines)) == date(2021, 2, 14)


def test_a_date_beside_the_map_is_on_a_page_that_starts_no_theme():
    assert date_beside_the_map([_line("112.01.10")]) == date(2023, 1, 10)
    assert date_beside_the_map([_line("策略主題：(A)發展多元文化"), _line("112.01.10")]) is None


def test_a_map_title_cut_short_or_wrapped_by_its_box_still_names_the_map():
    """Calligra Sheets clips a map title too wide for its cell one letter short, the date beside
    it ('…處策略地' with '113.02.12'); a narrow title box wraps it ('…區公所策略' / '地圖'). Both
    name the map; the deck's title wrapped over two lines does not."""
    assert is_strategy_map(group_lines(word("高雄市養護工程處策略地 113.02.12", 20, 20)))
    assert is_strategy_map(group_lines([*word("北投區公所策略", 20, 20), *word("地圖", 20, 34)]))
    cover = group_lines([*word("北投區公所策略地圖與平衡", 20, 20), *word("計分卡", 20, 34)])
    assert not is_strategy_map(cover)
    assert not is_strategy_map(group_lines(word("策略主題：(A)推動地方創生", 20, 20)))


def test_a_watermark_over_the_map_s_title_line_hides_neither_title_nor_date():
    """Nutrient's trial sets 'For Evaluation Purposes Only' in 45 pt across the map's title line:
    its letters fall between the title's and the date's ('11O3.02n.0l9y'). Read in each type
    size, the line names the map and its date."""
    title = word("文山區戶政事務所策略地圖", 39, 24, size=24)
    day = word("113.02.09", 577, 28, size=18, advance=0.5)
    mark = [
        Glyph(ch, x, x + 20, 18, 63, 45, False)
        for ch, x in zip("FoEoPoOly", (38, 66, 124, 296, 364, 466, 580, 600, 640))
    ]
    lines = group_lines([*title, *day, *mark])
    assert len(lines) == 1 and "113.02.09" not in lines[0].text
    assert is_strategy_map(lines) and find_map_date(lines) == date(2024, 2, 9)


@pytest.mark.parametrize("text", ["111.02.2", "更新：113.03.1"])
def test_a_map_date_cut_short_is_not_read(text):
    lines = [_line("高雄市岡山區公所策略地圖"), _line(text)]
    assert find_map_date(lines) is None
    assert cut_map_date(lines) == text.split("：")[-1]


def test_a_map_date_cut_short_under_a_watermark_is_reported():
    """A cut date whose digits a watermark's letters interleave is found in its own type size,
    like a whole one, so the deck is told why its map date is empty."""
    day = word("111.02.2", 577, 28, size=18, advance=0.5)
    mark = [Glyph(ch, x, x + 20, 18, 63, 45, False) for ch, x in zip("FoE", (580, 600, 640))]
    lines = group_lines([*day, *mark])
    assert "111.02.2" not in lines[0].text
    assert find_map_date(lines) is None and cut_map_date(lines) == "111.02.2"


@pytest.mark.parametrize("text", ["111.2.5", "111.02.25", "111.12.5"])
def test_a_map_date_padded_alike_or_not_at_all_is_read(text):
    lines = [_line(text)]
    assert find_map_date(lines) is not None and cut_map_date(lines) is None
