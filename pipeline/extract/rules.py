"""Ruling edges from pdfplumber: the lines and fills a table is drawn with, as horizontal and
vertical rules.

Rows, columns and spanning cells are found by these rules, whatever tool drew them: lines, thin
rectangles, rectangle borders, curves or the edges of row fills. Reading them is telling a rule
from what only looks like one (a letter's outline, a fill painted behind a run of text), which
takes the page's character boxes but none of the glyphs and lines of geometry.py: a job of its own.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from pdfplumber.page import Page
from pdfplumber.utils import curve_to_edges

from pipeline.extract.tolerances import TOL


@dataclass(frozen=True)
class Rule:
    """A horizontal (y fixed) or vertical (x fixed) segment; `pos` is that fixed coordinate.

    `fill` marks the edge of a background fill rather than a drawn line: it separates rows but,
    unlike a drawn line, says nothing about merged cells (a row fill runs under a spanning cell).
    `joints` are where along a drawn line one piece ends and the next begins: a tool that draws
    a table cell by cell draws each cell's border on its own, so the pieces meet at cell edges.
    """

    pos: float
    start: float
    end: float
    fill: bool = False
    joints: tuple[float, ...] = ()

    def mapped(self, pos: float, flip: float | None = None, shift: float = 0.0) -> Rule:
        """The rule moved to `pos` across, and along either shifted by `shift` or, given
        `flip`, mirrored (x -> flip - x): how a page's frame change maps it."""
        if flip is None:
            along = (self.start + shift, self.end + shift, tuple(j + shift for j in self.joints))
        else:
            along = (flip - self.end, flip - self.start, tuple(sorted(flip - j for j in self.joints)))
        return Rule(pos, along[0], along[1], self.fill, along[2])


@dataclass(frozen=True)
class Rules:
    horizontal: list[Rule]
    vertical: list[Rule]

    @property
    def drawn(self) -> list[Rule]:
        """Horizontal rules that are drawn lines, not fill edges."""
        return [r for r in self.horizontal if not r.fill]


def _merge(segments: list[tuple[float, float, float]], fill: bool, tol: float = TOL.collinear_pt) -> list[Rule]:
    """Merge collinear segments (pos, start, end) that touch or overlap into single rules, noting
    where a piece starts right where the one before it ends (see Rule.joints)."""
    rules: list[Rule] = []
    for pos, start, end in sorted(segments):
        for i, rule in enumerate(rules):
            if abs(rule.pos - pos) <= tol and start <= rule.end + tol and end >= rule.start - tol:
                # A fill's outline may be a path with points anywhere along its edges.
                meets = not fill and abs(start - rule.end) <= tol and end > rule.end
                joints = (*rule.joints, (start + rule.end) / 2) if meets else rule.joints
                rules[i] = Rule(rule.pos, min(rule.start, start), max(rule.end, end), fill, joints)
                break
        else:
            rules.append(Rule(pos, start, end, fill))
    return rules


def _add_edge(edge: dict, horizontal: list, vertical: list) -> None:
    if edge["orientation"] == "h":
        horizontal.append((edge["top"], edge["x0"], edge["x1"]))
    else:
        vertical.append((edge["x0"], edge["top"], edge["bottom"]))


class _GlyphBoxes:
    """The page's character boxes, to tell a letter's own outline from a rule: re-printed
    through cairo, text set bold by stroking it (fill and stroke) comes out as the text plus
    its outline drawn as paths, whose short pieces would chain into rules through the header."""

    def __init__(self, chars: list[dict]) -> None:
        self.spaced = sorted((c["x0"], c["x1"], c["top"], c["bottom"], c["text"]) for c in chars)  # spaces too
        self.spaced_lefts = [box[0] for box in self.spaced]
        self.boxes = [box[:4] for box in self.spaced if box[4].strip()]
        self.lefts = [box[0] for box in self.boxes]
        self.widest = max((x1 - x0 for x0, x1, _, _ in self.boxes), default=0.0)

    def backs_a_run(self, rect: dict) -> bool:
        """True when the filled `rect` is the background of the text inside it: as wide as that
        text, edge to edge, and no taller than a line of it (a word processor or Qt paints a
        shaded cell's shading again behind each run of its text, the line's leading above or
        below); its edges are the text's, not a cell's, which leaves room around its text."""
        slack = TOL.box_slack_pt
        x0, x1, top, bottom = rect["x0"], rect["x1"], rect["top"], rect["bottom"]
        lo, hi = bisect_left(self.spaced_lefts, x0 - slack), bisect_right(self.spaced_lefts, x1 + slack)
        inside = [
            box
            for box in self.spaced[lo:hi]
            if box[1] <= x1 + slack and top - slack <= box[2] and box[3] <= bottom + slack
        ]
        if not inside:
            return False
        text_top, text_bottom = min(b[2] for b in inside), max(b[3] for b in inside)
        # A line's leading, which the fill takes in, may lie all above the glyph boxes or all below.
        leading = TOL.run_background_leading_em * max(b[3] - b[2] for b in inside)
        return (
            abs(min(b[0] for b in inside) - x0) <= slack
            and abs(max(b[1] for b in inside) - x1) <= slack
            and (bottom - top) - (text_bottom - text_top) <= leading
        )

    def hold(self, shape: dict) -> bool:
        """True when the drawn `shape` (a path's piece) lies wholly inside one character's box."""
        slack = TOL.box_slack_pt
        x0, x1, top, bottom = shape["x0"], shape["x1"], shape["top"], shape["bottom"]
        if x1 - x0 > self.widest + 2 * slack:
            return False
        lo = bisect_left(self.lefts, x1 - self.widest - slack)
        hi = bisect_right(self.lefts, x0 + slack)
        return any(
            bx0 <= x0 + slack and bx1 >= x1 - slack and btop <= top + slack and bbottom >= bottom - slack
            for bx0, bx1, btop, bbottom in self.boxes[lo:hi]
        )


def page_rules(page: Page) -> Rules:
    """Rules from every drawn edge: lines, curves, stroked or hairline rectangles, and fill edges;
    not from letters' outlines drawn over their text."""
    drawn_h, drawn_v, fill_h, fill_v = [], [], [], []
    glyph_boxes = _GlyphBoxes(page.chars)
    for edge in page.edges:
        if edge["object_type"] in ("rect_edge", "curve_edge") or glyph_boxes.hold(edge):
            continue
        _add_edge(edge, drawn_h, drawn_v)
    for rect in page.rects:
        if glyph_boxes.hold(rect) or (rect["fill"] and not rect["stroke"] and glyph_boxes.backs_a_run(rect)):
            continue
        x0, x1, top, bottom = rect["x0"], rect["x1"], rect["top"], rect["bottom"]
        if rect["height"] <= TOL.thin_rect_pt:
            drawn_h.append(((top + bottom) / 2, x0, x1))
        elif rect["width"] <= TOL.thin_rect_pt:
            drawn_v.append(((x0 + x1) / 2, top, bottom))
        else:
            target_h, target_v = (drawn_h, drawn_v) if rect["stroke"] else (fill_h, fill_v)
            target_h += [(top, x0, x1), (bottom, x0, x1)]
            target_v += [(x0, top, bottom), (x1, top, bottom)]
    for curve in page.curves:
        # A path filled and not stroked (a row fill drawn as a path) bounds a fill, unless thin.
        thin = min(curve["width"], curve["height"]) <= TOL.thin_rect_pt
        filled = curve.get("fill") and not curve.get("stroke") and not thin
        for edge in curve_to_edges(curve):
            if not glyph_boxes.hold(edge):
                _add_edge(edge, fill_h if filled else drawn_h, fill_v if filled else drawn_v)
    return Rules(
        horizontal=_merge(drawn_h, fill=False) + _merge(fill_h, fill=True),
        vertical=_merge(drawn_v, fill=False) + _merge(fill_v, fill=True),
    )


def covered(rules: list[Rule], start: float, end: float, share: float = TOL.crosses_share) -> list[float]:
    """Positions of the rules that cover at least `share` of the span start..end."""
    width = max(end - start, 1e-6)
    hits = []
    for rule in rules:
        overlap = min(rule.end, end) - max(rule.start, start)
        if overlap >= share * width:
            hits.append(rule.pos)
    return sorted(set(round(p, 1) for p in hits))
