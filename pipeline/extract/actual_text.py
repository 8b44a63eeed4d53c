"""Marked-content /ActualText: the text a run of glyphs stands for, where its font cannot say.

A PDF writer that shapes text (Skia, in Chrome and in calibre's PDF output) maps each glyph back
to text in the font's ToUnicode map; a glyph that no one character maps to (a digit form the
shaper substituted) it maps to U+0000 there, and wraps it in `/Span <</ActualText (1)>> BDC ...
EMC` instead. Viewers read the span's ActualText; pdfminer does not, so pdfplumber reads '\\x00'.

pdfplumber builds each page's layout with its PDFPageAggregatorWithMarkedContent, looked up in
pdfplumber.page when a page is first read; `install` puts a subclass there that gives the first
glyph drawn in such a span the span's text and each later glyph in it none (empty text).
"""

from __future__ import annotations

from typing import Any

import pdfplumber.page
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

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
            glyph._text = "" if span.given else span.text
            span.given = True
        return advance


def install() -> None:
    """Make pdfplumber read /ActualText spans (see the module docstring); idempotent."""
    pdfplumber.page.PDFPageAggregatorWithMarkedContent = ActualTextAggregator
