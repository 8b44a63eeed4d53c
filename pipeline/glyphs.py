"""Page geometry from pdfplumber: positioned glyphs, text lines and ruling edges.

Everything downstream works on these few shapes, whatever tool drew the page: rules may be
lines, thin rectangles, rectangle borders, curves or the edges of row fills.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pdfplumber.page import Page

from pipeline.text import drop_cjk_spaces, normalize

_AXIS_EPS = 1e-3


@dataclass(frozen=True)
class Glyph:
    """One character: text already normalised, box in top-left page coordinates."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    rotated: bool  # drawn at 90° (a vertical label such as a rotated 構面 name)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Line:
    """Glyphs sharing a baseline, left to right."""

    glyphs: tuple[Glyph, ...]

    @property
    def text(self) -> str:
        return glyph_text(self.glyphs)

    @property
    def x0(self) -> float:
        return min(g.x0 for g in self.glyphs)

    @property
    def x1(self) -> float:
        return max(g.x1 for g in self.glyphs)

    @property
    def top(self) -> float:
        return min(g.top for g in self.glyphs)

    @property
    def bottom(self) -> float:
        return max(g.bottom for g in self.glyphs)

    @property
    def size(self) -> float:
        return max(g.size for g in self.glyphs)


@dataclass(frozen=True)
class Rule:
    """A horizontal (y fixed) or vertical (x fixed) ruling segment; `pos` is that fixed coordinate."""

    pos: float
    start: float
    end: float


def page_glyphs(page: Page) -> list[Glyph]:
    """The page's characters without fake-bold doubles and without slanted text (watermarks)."""
    glyphs = []
    for ch in page.dedupe_chars(tolerance=1).chars:
        a, b, c, d = ch["matrix"][:4]
        upright = abs(b) < _AXIS_EPS and abs(c) < _AXIS_EPS
        quarter = abs(a) < _AXIS_EPS and abs(d) < _AXIS_EPS
        if not (upright or quarter):
            continue
        text = normalize(ch["text"])
        glyphs.append(
            Glyph(text, ch["x0"], ch["x1"], ch["top"], ch["bottom"], ch["size"] or 1.0, rotated=quarter)
        )
    return glyphs


def glyph_text(glyphs: Iterable[Glyph]) -> str:
    """Text of glyphs on one line, with a space where a visible gap separates Latin words."""
    out = ""
    prev: Glyph | None = None
    for g in glyphs:
        if prev is not None and g.x0 - prev.x1 > 0.3 * max(g.size, prev.size):
            out += " "
        out += g.text
        prev = g
    return drop_cjk_spaces(out).strip()


def group_lines(glyphs: Iterable[Glyph]) -> list[Line]:
    """Cluster upright glyphs into lines by vertical centre, top to bottom."""
    lines: list[list[Glyph]] = []
    for g in sorted((g for g in glyphs if not g.rotated), key=lambda g: g.cy):
        if g.text.isspace() and not lines:
            continue
        if lines:
            current = lines[-1]
            centre = sum(x.cy for x in current) / len(current)
            if abs(g.cy - centre) <= 0.45 * max(g.size, current[0].size):
                current.append(g)
                continue
        lines.append([g])
    result = [Line(tuple(sorted(line, key=lambda g: g.x0))) for line in lines]
    return [line for line in result if line.text]


def split_runs(line: Line, gap: float = 1.2) -> list[Line]:
    """Split a line at horizontal gaps wider than `gap` × font size (column gutters)."""
    runs: list[list[Glyph]] = [[line.glyphs[0]]]
    for g in line.glyphs[1:]:
        prev = runs[-1][-1]
        if g.x0 - prev.x1 > gap * max(g.size, prev.size):
            runs.append([g])
        else:
            runs[-1].append(g)
    return [Line(tuple(run)) for run in runs if glyph_text(run)]


def _merge(segments: list[tuple[float, float, float]], tol: float = 1.5) -> list[Rule]:
    """Merge collinear segments (pos, start, end) that touch or overlap into single rules."""
    rules: list[Rule] = []
    for pos, start, end in sorted(segments):
        for i, rule in enumerate(rules):
            if abs(rule.pos - pos) <= tol and start <= rule.end + tol and end >= rule.start - tol:
                rules[i] = Rule(rule.pos, min(rule.start, start), max(rule.end, end))
                break
        else:
            rules.append(Rule(pos, start, end))
    return rules


def page_rules(page: Page) -> tuple[list[Rule], list[Rule]]:
    """Horizontal and vertical rules from every drawn edge: lines, rectangles, curves, fills."""
    horizontal, vertical = [], []
    for edge in page.edges:
        if edge["orientation"] == "h":
            horizontal.append((edge["top"], edge["x0"], edge["x1"]))
        else:
            vertical.append((edge["x0"], edge["top"], edge["bottom"]))
    return _merge(horizontal), _merge(vertical)


def covered(rules: list[Rule], start: float, end: float, share: float = 0.6) -> list[float]:
    """Positions of the rules that cover at least `share` of the span start..end."""
    width = max(end - start, 1e-6)
    hits = []
    for rule in rules:
        overlap = min(rule.end, end) - max(rule.start, start)
        if overlap >= share * width:
            hits.append(rule.pos)
    return sorted(set(round(p, 1) for p in hits))
