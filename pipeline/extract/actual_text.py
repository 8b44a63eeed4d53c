"""Marked-content /ActualText: the text a run of glyphs stands for, where its font cannot say.

A PDF writer that shapes text (Skia, in Chrome and in calibre's PDF output) maps each glyph back
to text in the font's ToUnicode map; a glyph that no one character maps to (a digit form the
shaper substituted) it maps to U+0000 there, and wraps it in `/Span <</ActualText (1)>> BDC ...
EMC` instead. Viewers read the span's ActualText; pdfminer does not, so pdfplumber reads '\\x00'.

pdfplumber builds each page's layout with its PDFPageAggregatorWithMarkedContent, looked up in
pdfplumber.page when a page is first read; `install` puts a subclass there that gives the first
glyph drawn in such a span the span's text and each later glyph in it none (empty text).

An empty ActualText says a glyph stands for nothing: a fake-bold copy drawn beside its glyph (Qt,
Calligra). A re-printer that could not name a glyph writes one too (pdftocairo, over a glyph its
source's ToUnicode left out, while its own ToUnicode names it from the face): a glyph that is no
copy of a glyph drawn beside it keeps its font's text, so a character is not lost unseen.
"""

from __future__ import annotations

from typing import Any

import pdfplumber.page
from pdfminer.layout import LTChar, LTContainer
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

from pipeline.extract.tolerances import TOL

_Aggregator = pdfplumber.page.PDFPageAggregatorWithMarkedContent


class _Span:
    """An open /ActualText span: its text, given to the first glyph drawn in it."""

    __slots__ = ("text", "given")

    def __init__(self, text: str) -> None:
        self.text = text
        self.given = False


def _actual_text(props: Any) -> str | None:
    value = resolve1(props.get("ActualText")) if isinstance(props, dict) else None
    if isinstance(value, bytes):
        return decode_text(value)
    return value if isinstance(value, str) else None


class ActualTextAggregator(_Aggregator):
    """pdfplumber's aggregator, reading glyphs inside /ActualText spans as the span's text.
    Spans nest (BDC in BDC): the innermost span with ActualText speaks for its glyphs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._spans: list[_Span | None] = []
        self._unspoken: list[tuple[LTChar, str]] = []  # glyphs an empty ActualText silenced, their own text

    def begin_tag(self, tag: PSLiteral, props: Any = None) -> None:
        super().begin_tag(tag, props)
        text = _actual_text(props)
        self._spans.append(None if text is None else _Span(text))

    def end_tag(self) -> None:
        super().end_tag()
        if self._spans:
            self._spans.pop()

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        advance = super().render_char(*args, **kwargs)
        if not self._spans:  # most glyphs: no marked content at all
            return advance
        span = next((s for s in reversed(self._spans) if s is not None), None)
        if span is not None and self.cur_item._objs:
            glyph = self.cur_item._objs[-1]
            if not span.text and isinstance(glyph, LTChar) and glyph._text.strip("\x00"):
                self._unspoken.append((glyph, glyph._text))
            glyph._text = "" if span.given else span.text
            span.given = True
        return advance

    def end_page(self, page: Any) -> None:
        if self._unspoken:
            _speak_unless_copies(self.cur_item, self._unspoken)
            self._unspoken = []
        super().end_page(page)


def _speak_unless_copies(page: LTContainer, unspoken: list[tuple[LTChar, str]]) -> None:
    """Give each glyph an empty ActualText silenced its own text back, unless a glyph drawn within
    a fake-bold offset of it reads that text (then it is that glyph's copy)."""
    spoken: dict[str, list[LTChar]] = {}
    for glyph in _chars(page):
        if glyph._text:
            spoken.setdefault(glyph._text, []).append(glyph)
    near = TOL.fake_bold_pt
    for glyph, text in unspoken:
        others = spoken.get(text, [])
        if not any(abs(o.x0 - glyph.x0) <= near and abs(o.y0 - glyph.y0) <= near for o in others):
            glyph._text = text


def _chars(item: LTContainer) -> list[LTChar]:
    """Every glyph of a page's layout, inside figures (Form XObjects) too."""
    found = []
    for obj in item:
        if isinstance(obj, LTChar):
            found.append(obj)
        elif isinstance(obj, LTContainer):
            found += _chars(obj)
    return found


def install() -> None:
    """Make pdfplumber read /ActualText spans (see the module docstring); idempotent."""
    pdfplumber.page.PDFPageAggregatorWithMarkedContent = ActualTextAggregator
