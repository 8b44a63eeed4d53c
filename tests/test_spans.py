"""Spanning cells (構面, 策略目標): a turned label centred on a tall block is read whole, even
where it overhangs the table body's edges."""

from __future__ import annotations

from glyphs import column, word

from pipeline.extract.layout import Column, Role, TableLayout
from pipeline.extract.spans import column_blocks
from pipeline.extract.table import body_glyphs

PERSPECTIVE = Column(Role.PERSPECTIVE, 0, 40, span=(0, 40))
KPI = Column(Role.KPI, 40, 300, span=(40, 300))
LAYOUT = TableLayout((PERSPECTIVE, KPI), header_top=50, body_top=80)


def test_a_turned_label_overhanging_the_body_top_is_taken_whole():
    label = column("學習成長", 15, 70, upward=True)  # centred at 90, its first glyph at 70..80 above the body
    above = column("財務", 15, 0, upward=True)  # the page before's label, centred in the header band
    rows = [*word("BL1.1同仁學習時數", 50, 82), *word("BL1.2出席率", 50, 100)]
    body = body_glyphs([*label, *above, *rows], LAYOUT, 80, 200, [], 540)
    assert sorted(g.text for g in body if g.rotated) == sorted("學習成長")
    blocks, ruled = column_blocks(body, PERSPECTIVE, [], (80, 200), False, [82, 100])
    assert not ruled and [b.text for b in blocks] == ["學習成長"]
