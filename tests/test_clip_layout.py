"""pdfminer's layout with the clip each character is drawn under kept as a box."""

from __future__ import annotations

import pdfplumber
from deckmaker import registered_font

from pipeline.extract.clip_layout import chars_of, clipped_layout, runs_of_text


def _clipped_label(path) -> None:
    """'學習成長' drawn twice under a clip (y 50 to 200): inside it, and half below its foot; then
    '財務' after the clip is restored."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(400, 300))
    c.setFont(registered_font(frozenset("學習成長財務")), 10)
    c.saveState()
    clip = c.beginPath()
    clip.rect(30, 50, 200, 150)
    c.clipPath(clip, stroke=0, fill=0)
    c.drawString(40, 120, "學習成長")
    c.drawString(40, 42, "學習成長")  # its middle under the clip's foot, its top over it
    c.restoreState()
    c.drawString(40, 20, "財務")
    c.save()


def test_characters_a_clip_hides_or_cuts_carry_its_box(tmp_path):
    """Each character drawn with its middle outside its clip is hidden, and carries the clip's
    box; one inside it carries none, nor does one drawn after the clip is restored."""
    pdf = tmp_path / "clipped.pdf"
    _clipped_label(pdf)
    with pdfplumber.open(pdf) as doc:
        layout, hidden, clipped_to, *_ = clipped_layout(doc.pages[0])
    chars = list(chars_of(layout))
    assert "".join(char.get_text() for _, char in hidden) == "學習成長"
    assert {clipped_to[id(char)] for _, char in hidden} == {(30, 50, 230, 200)}
    assert all(char.y0 < 50 for _, char in hidden)
    shown = [char for char in chars if id(char) not in clipped_to]
    assert "".join(char.get_text() for char in shown) == "學習成長財務"


def test_characters_drawn_one_after_another_on_a_baseline_are_a_run(tmp_path):
    """Runs of text: each character drawn right after the last on its baseline, within an em."""
    pdf = tmp_path / "clipped.pdf"
    _clipped_label(pdf)
    with pdfplumber.open(pdf) as doc:
        layout, *_ = clipped_layout(doc.pages[0])
    laid = [(layout, char) for char in chars_of(layout)]
    assert ["".join(char.get_text() for _, char in run) for run in runs_of_text(laid)] == [
        "學習成長",
        "學習成長",
        "財務",
    ]


def test_characters_standing_at_their_clip_s_foot_carry_its_box(tmp_path):
    """A line whose foot stands at its clip's foot, uncut (the last line a re-print kept of a cell
    run past its slide's frame), carries the clip's box apart from the ones the clip cuts; a line
    higher up in the clip carries none."""
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "foot.pdf"
    c = canvas.Canvas(str(pdf), pagesize=(400, 300))
    c.setFont(registered_font(frozenset("學習財務")), 10)  # a face with no descent: its box starts at the baseline
    c.saveState()
    clip = c.beginPath()
    clip.rect(30, 50, 200, 150)
    c.clipPath(clip, stroke=0, fill=0)
    c.drawString(40, 50, "財務")
    c.drawString(40, 120, "學習")
    c.restoreState()
    c.save()
    with pdfplumber.open(pdf) as doc:
        layout, _, clipped_to, _, at_clip_foot = clipped_layout(doc.pages[0])
    chars = list(chars_of(layout))
    assert "".join(char.get_text() for char in chars if id(char) in at_clip_foot) == "財務"
    assert {at_clip_foot[id(char)] for char in chars if id(char) in at_clip_foot} == {(30, 50, 230, 200)}
    assert not clipped_to
