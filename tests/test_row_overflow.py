"""Text run on past a row's lower border, in rows of fixed height, goes back to its cell."""

from __future__ import annotations

from glyphs import word

from pipeline.extract.geometry import Glyph, Line
from pipeline.extract.layout import Column, Role
from pipeline.extract.row_overflow import give_back_run_on_lines

KPI, ACTUAL = Column(Role.KPI, 0, 100), Column(Role.ACTUAL, 100, 140, year=110)


def _lines(*texts: tuple[str, float]) -> list[Line]:
    return [Line(tuple(word(text, 0 if text[:1].isupper() else 105, top, size=9))) for text, top in texts]


def _texts(lines: list[Line]) -> list[str]:
    return [line.text for line in lines]


def test_a_value_run_on_under_its_row_goes_back_to_it():
    """Spire.Doc keeps each row's height: '2,307人次' wrapped in a narrow year cell runs on past
    the rule, its '次' atop the next row's '新指標不適用', one line pitch under '7人'. Without it
    that cell starts level with its KPI cell."""
    rows = [
        {KPI: _lines(("AC1.1", 100)), ACTUAL: _lines(("2,", 100), ("30", 117), ("7人", 134))},
        {
            KPI: _lines(("AC2.1民眾", 168), ("臨櫃服務滿", 185), ("意度", 202)),
            ACTUAL: _lines(("次", 151), ("新指", 168), ("標不", 185), ("適用", 202)),
        },
    ]
    give_back_run_on_lines(rows, [100, 168])
    assert _texts(rows[0][ACTUAL]) == ["2,", "30", "7人", "次"]
    assert _texts(rows[1][ACTUAL]) == ["新指", "標不", "適用"]


def test_a_note_centred_on_its_row_stays_though_it_starts_above_the_code():
    """Aspose.Words centres '新指標調' / '整不適用' on a row whose KPI is one line: the note starts
    above the code line, about a line pitch under the cell above's '辦)', but is centred with its
    KPI cell as it is. A value line never goes up either."""
    above = {KPI: _lines(("BP1.1", 268.9)), ACTUAL: _lines(("60處", 247.3), ("(疫情停", 268.9), ("辦)", 290.4))}
    note = {KPI: _lines(("BP2.1兵籍", 324.3)), ACTUAL: _lines(("新指標調", 314.2), ("整不適用", 335.7))}
    give_back_run_on_lines([above, note], [268.9, 324.3])
    assert _texts(note[ACTUAL]) == ["新指標調", "整不適用"]
    value = {KPI: _lines(("AC2.1民眾", 168), ("意度", 185)), ACTUAL: _lines(("95", 151), ("%", 168))}
    first = {KPI: _lines(("AC1.1", 100)), ACTUAL: _lines(("2,", 100), ("30", 117), ("7人", 134))}
    give_back_run_on_lines([first, value], [100, 168])
    assert _texts(value[ACTUAL]) == ["95", "%"]


def test_a_line_buried_under_the_next_rows_fill_goes_back_though_level_with_its_code():
    """LibreOffice through a PostScript driver paints each row's background after the rows above:
    a plan's name run on past its row lies wholly under the next row's fill, just above that row's
    code line and level with it, and that cell stays centred on its row with it. That fill buries
    the line, so it is the cell above's; the same line shown stays where it is."""
    plans = Column(Role.PLANS, 140, 300)

    def rows(buried: bool) -> list[dict[Column, list[Line]]]:
        name = word("桃園市政府公務人員", 145, 209.8, size=9)
        if buried:
            name = [Glyph(g.text, g.x0, g.x1, g.top, g.bottom, g.size, False, buried=True) for g in name]
        return [
            {
                KPI: _lines(("BL2.1", 150)),
                plans: [Line(tuple(word(t, 145, y, size=9))) for t, y in (("BL2.1.2", 182.6), ("BL2.1.3", 196.1))],
            },
            {
                KPI: _lines(("BF1.1公有", 212.2), ("出租率", 225.8)),
                plans: [Line(tuple(name)), Line(tuple(word("監督寺廟條例", 145, 219, size=9)))],
            },
        ]

    shown, buried = rows(buried=False), rows(buried=True)
    give_back_run_on_lines(shown, [150, 212.2])
    give_back_run_on_lines(buried, [150, 212.2])
    assert _texts(buried[0][plans]) == ["BL2.1.2", "BL2.1.3", "桃園市政府公務人員"]
    assert _texts(buried[1][plans]) == ["監督寺廟條例"]
    assert _texts(shown[1][plans]) == ["桃園市政府公務人員", "監督寺廟條例"]
