"""Ruling edges from pdfplumber: the lines and fills a table is drawn with, as horizontal and
vertical rules.

Rows, columns and spanning cells are found by these rules, whatever tool drew them: lines, thin
rectangles, rectangle borders, curves or the edges of row fills. Reading them is telling a rule
from what only looks like one (a letter's outline, a fill painted behind a run of text), which
takes the page's character boxes but none of the glyphs and lines of geometry.py: a job of its own.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import cached_property
from math import inf

from pdfminer.layout import LTContainer, LTLine, LTRect
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfplumber.page import Page
from pdfplumber.utils import line_to_edge

from pipeline.extract.font_widths import quarter_turned, repaired_extents
from pipeline.extract.hung import hung_extent
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
    return [replace(rule, joints=_cell_joints(rule)) for rule in rules]


def _cell_joints(rule: Rule) -> tuple[float, ...]:
    """The joints between pieces as long as a cell's border: a dashed or dotted line's dashes
    meet within the merge tolerance too, every point or so, at no cell's edge."""
    ends = [rule.start, *rule.joints, rule.end]
    return tuple(
        joint
        for before, joint, after in zip(ends, ends[1:], ends[2:])
        if joint - before > TOL.dash_pt and after - joint > TOL.dash_pt
    )


def _straight_edges(curve: dict) -> list[dict]:
    """The straight segments of a path ('l', and 'h' closing a subpath), as edges. A Bézier
    segment bends: the chord pdfplumber draws between its ends (`curve_to_edges`) is no line on
    the page, and many a letter's outline (a watermark's, a logo's) has chords that stand upright."""
    edges = []
    start = current = None
    for command, *points in curve["path"]:
        end = start if command == "h" else (points[-1] if points else current)
        # A segment that ends where it starts ('h' back at a start the path already reached) draws nothing.
        if command in ("l", "h") and current is not None and end is not None and end != current:
            (x0, y0), (x1, y1) = current, end
            edges.append(
                {
                    "x0": min(x0, x1),
                    "x1": max(x0, x1),
                    "top": min(y0, y1),
                    "bottom": max(y0, y1),
                    "width": abs(x1 - x0),
                    "height": abs(y1 - y0),
                    "orientation": "v" if x0 == x1 else ("h" if y0 == y1 else None),
                }
            )
        if command == "m":
            start = end
        current = end
    return edges


def _outlines_a_shape(edges: list[dict], curve: dict) -> bool:
    """True when the path is the outline of a letter (a watermark's, drawn as paths), a logo or
    an arrow, whose pieces that happen to stand upright or lie flat are no rules: it bends (a
    Bézier segment) and has a slanted straight segment too, or one of its outlines bends more
    often than a rounded rectangle's four corners do; or it bends or slants and is stroked with a
    pen broader than a rule (a letter of Stimulsoft's 'Trial' mark). A table's paths are
    rectangles, rounded or not, and a cell's diagonal is a line of its own."""
    bends = [0]
    for command, *_ in curve["path"]:
        if command == "m":
            bends.append(0)
        elif command in ("c", "v", "y"):
            bends[-1] += 1
    if max(bends) > TOL.rounded_rect_bends:
        return True
    slanted = any(min(e["width"], e["height"]) > TOL.thin_rect_pt for e in edges)
    broad_pen = curve.get("stroke") and (curve.get("linewidth") or 0) > TOL.thin_rect_pt
    return bool(any(bends) and slanted or broad_pen and (any(bends) or slanted))


def _dashes(lines: list[dict]) -> set[int]:
    """The indexes of `lines` that are dashes of a dashed or dotted line (a spreadsheet's dotted
    cell border drawn dash by dash): each no longer than TOL.dash_pt, in a row of at least
    TOL.dashed_line_dashes along one axis, each at most that far from the next. A dash under a
    letter's box is no piece of the letter's outline, as such a short stroke would be."""
    rows: dict[tuple[str, float], list[tuple[float, float, int]]] = {}
    for i, line in enumerate(lines):
        width, height = line["x1"] - line["x0"], line["bottom"] - line["top"]
        if max(width, height) > TOL.dash_pt:
            continue
        key = ("h", round(line["top"], 1)) if width >= height else ("v", round(line["x0"], 1))
        start, end = (line["x0"], line["x1"]) if width >= height else (line["top"], line["bottom"])
        rows.setdefault(key, []).append((start, end, i))
    found: set[int] = set()
    for pieces in rows.values():
        pieces.sort()
        run = [pieces[0]]
        for piece in [*pieces[1:], None]:
            if piece is not None and piece[0] - run[-1][1] <= TOL.dash_pt:
                run.append(piece)
                continue
            if len(run) >= TOL.dashed_line_dashes:
                found |= {i for _, _, i in run}
            run = [piece] if piece is not None else []
    return found


def _stroke_of_a_shape(rect: dict, shapes: list[dict]) -> bool:
    """True when a rectangle lies within a shape's outline's bounds, painted as it is (filled or
    stroked, in its colours): one stroke of a drawing made of outlines and rectangles (a logo's
    lettering), no table's cell or rule."""
    paint = ("fill", "stroke", "non_stroking_color", "stroking_color")
    return any(
        shape["x0"] <= rect["x0"]
        and rect["x1"] <= shape["x1"]
        and shape["top"] <= rect["top"]
        and rect["bottom"] <= shape["bottom"]
        and all(shape.get(key) == rect.get(key) for key in paint)
        for shape in shapes
    )


def _add_edge(edge: dict, horizontal: list, vertical: list) -> None:
    """A path's segment as a rule when it runs along an axis (to within a thin line's width); a
    slanted one (a diagonal watermark's letter outlines, a map's arrow) is no rule."""
    if edge["height"] <= TOL.thin_rect_pt < edge["width"] or edge["orientation"] == "h":
        horizontal.append((edge["top"], edge["x0"], edge["x1"]))
    elif edge["width"] <= TOL.thin_rect_pt or edge["orientation"] == "v":
        vertical.append((edge["x0"], edge["top"], edge["bottom"]))


class _GlyphBoxes:
    """The page's character boxes, to tell a letter's own outline from a rule: re-printed
    through cairo, text set bold by stroking it (fill and stroke) comes out as the text plus
    its outline drawn as paths, whose short pieces would chain into rules through the header."""

    def __init__(self, chars: list[dict], read: dict[int, tuple[float, float, float, float]]) -> None:
        self.chars = chars  # boxed when first asked about: most pages draw few shapes to test
        self.read = read  # boxes the glyphs were read with, by id of char (see page_rules)

    @cached_property
    def spaced(self) -> list[tuple[float, float, float, float, str, bool]]:
        """The boxes the fonts declare, spaces too, with the text and whether it is upright: a
        run's background is painted to them."""
        return sorted((c["x0"], c["x1"], c["top"], c["bottom"], c["text"], c.get("upright", True)) for c in self.chars)

    @cached_property
    def spaced_lefts(self) -> list[float]:
        return [box[0] for box in self.spaced]

    @cached_property
    def boxes(self) -> list[tuple[float, float, float, float]]:
        """The letters' boxes as the glyphs are read (see geometry), where their outlines lie:
        cairo, re-writing a font, may declare its descent an em deep and its widths zero. Those
        not read as glyphs (slanted watermark letters, fake-bold copies) are hung here."""
        boxes, unread = [], []
        for c in self.chars:
            if not c["text"].strip():
                continue
            if (box := self.read.get(id(c))) is not None:
                boxes.append(box)
            else:
                unread.append(c)
        if unread:
            repaired = repaired_extents(self.chars)
            boxes += [_repaired_box(c, repaired.get(id(c))) for c in unread]
        return sorted(boxes)

    @cached_property
    def lefts(self) -> list[float]:
        return [box[0] for box in self.boxes]

    @cached_property
    def widest(self) -> float:
        return max((x1 - x0 for x0, x1, _, _ in self.boxes), default=0.0)

    def backs_a_run(self, rect: dict) -> bool:
        """True when the filled `rect` is the background of the text inside it: as wide as that
        text, edge to edge, and no taller than a line of it (a word processor or Qt paints a
        shaded cell's shading again behind each run of its text, the line's leading above or
        below); its edges are the text's, not a cell's, which leaves room around its text. Text
        turned a quarter (a page printed sideways) runs down the page: its fill is as tall as
        the text, and no wider than a line of it."""
        slack = TOL.box_slack_pt
        x0, x1, top, bottom = rect["x0"], rect["x1"], rect["top"], rect["bottom"]
        lo, hi = bisect_left(self.spaced_lefts, x0 - slack), bisect_right(self.spaced_lefts, x1 + slack)
        inside = [
            box
            for box in self.spaced[lo:hi]
            if box[1] <= x1 + slack and top - slack <= box[2] and box[3] <= bottom + slack
        ]
        if not inside or len({box[5] for box in inside}) > 1:
            return False
        along, across = ((0, 1), (2, 3)) if inside[0][5] else ((2, 3), (0, 1))  # the line's run, its height
        edges = (x0, x1, top, bottom)
        start, end = min(b[along[0]] for b in inside), max(b[along[1]] for b in inside)
        low, high = min(b[across[0]] for b in inside), max(b[across[1]] for b in inside)
        # A line's leading, which the fill takes in, may lie all to one side of the glyph boxes.
        leading = TOL.run_background_leading_em * max(b[across[1]] - b[across[0]] for b in inside)
        return (
            abs(start - edges[along[0]]) <= slack
            and abs(end - edges[along[1]]) <= slack
            and (edges[across[1]] - edges[across[0]]) - (high - low) <= leading
        )

    def outline(self, curve: dict, edges: list[dict]) -> bool:
        """True when `curve` is a letter's outline that pokes a little out of its box: no larger
        than a letter, and most of its straight pieces inside a character's box (re-printed
        through cairo, the dot atop 實 drawn 1.1 pt above its box, a short upright piece of
        it read as a cell's border through the header)."""
        slack = TOL.box_slack_pt
        if max(curve["width"], curve["height"]) > self.widest + 2 * slack:
            return False
        return 2 * sum(self.hold(edge) for edge in edges) > len(edges)

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


def _left_showing(pos: float, start: float, end: float, over: list[dict], across: str, along: str) -> list[tuple]:
    """The pieces of a rectangle's edge (at `pos`, from `start` to `end`) that no cell drawn after
    it paints over: a table drawn cell by cell, its spanning cells drawn last over the cells they
    span (gridExtra's merged labels), shows no rule between the rows those span. `across` and
    `along` name the covering rectangles' keys across and along the edge ('top'/'x0' for a
    horizontal one); a cell covers an edge that lies inside it, not on its own border."""
    far = {"top": "bottom", "x0": "x1"}
    slack = TOL.box_slack_pt
    pieces = [(start, end)]
    for cell in over:
        if not cell[across] + slack < pos < cell[far[across]] - slack:
            continue
        lo, hi = cell[along], cell[far[along]]
        pieces = [part for a, b in pieces for part in ((a, min(b, lo)), (max(a, hi), b)) if part[1] - part[0] > slack]
    return [(pos, a, b) for a, b in pieces]


def _paint_order(page: Page) -> dict[str, list[int]]:
    """Where each of the page's lines and rectangles is painted among everything the page draws,
    by kind, in pdfplumber's order of each kind (which walks the same layout)."""
    order: dict[str, list[int]] = {"line": [], "rect": []}
    painted = 0

    def walk(objs: list) -> None:
        nonlocal painted
        for obj in objs:
            if isinstance(obj, LTContainer):
                walk(obj._objs)
                continue
            painted += 1
            if isinstance(obj, LTRect):
                order["rect"].append(painted)
            elif isinstance(obj, LTLine):
                order["line"].append(painted)

    walk(page.layout._objs)
    return order


def paints_see_through(page: Page) -> bool:
    """True when the page, or a form it draws, sets a fill alpha below 1 (an ExtGState's /ca) or a
    blend mode other than Normal (/BM /Multiply): a fill painted over a rule or text may let it
    show."""

    def see_through(resources: object, depth: int) -> bool:
        resources = resolve1(resources)
        if not isinstance(resources, dict):
            return False
        states = resolve1(resources.get("ExtGState")) or {}
        if any(_see_through(resolve1(state)) for state in states.values()):
            return True
        forms = resolve1(resources.get("XObject")) or {}
        return depth > 0 and any(
            see_through(getattr(resolve1(form), "attrs", {}).get("Resources"), depth - 1) for form in forms.values()
        )

    return see_through(page.page_obj.resources, depth=2)


def _see_through(state: object) -> bool:
    if not isinstance(state, dict):
        return False
    alpha, blend = resolve1(state.get("ca", 1)), resolve1(state.get("BM"))
    blend = blend[0] if isinstance(blend, list) and blend else blend
    mixed = isinstance(blend, PSLiteral) and blend.name not in ("Normal", "Compatible")
    return mixed or (isinstance(alpha, int | float) and alpha < 1)


def page_rules(page: Page, read: dict[int, tuple[float, float, float, float]] | None = None) -> Rules:
    """Rules from every drawn edge: lines, curves, stroked or hairline rectangles, and fill edges;
    not from letters' outlines drawn over their text, nor from edges a cell painted later hides.
    `read`: the upright glyphs' boxes as the page's text was read (x0, x1, top, bottom by id of
    char), so that they are not worked out twice; the rest are worked out here."""
    drawn_h, drawn_v, fill_h, fill_v = [], [], [], []
    glyph_boxes = _GlyphBoxes(page.chars, read or {})
    rects, lines = page.rects, page.lines
    order = _paint_order(page)
    if len(order["rect"]) != len(rects) or len(order["line"]) != len(lines):
        # Order across kinds unknown: rectangles keep their own order, and no cell hides a line.
        order = {"rect": list(range(len(rects))), "line": [len(rects)] * len(lines)}
    # A fill painted after an edge hides it, unless the page paints see-through: then only a cell
    # drawn with its border is taken to (a spanning cell drawn over the cells it spans).
    opaque = not paints_see_through(page)
    cells = sorted(
        (order["rect"][i], r)
        for i, r in enumerate(rects)
        if r["fill"] and (r["stroke"] or opaque) and min(r["width"], r["height"]) > TOL.thin_rect_pt
    )
    cell_order = [painted for painted, _ in cells]

    def painted_after(painted: int) -> list[dict]:
        return [cell for _, cell in cells[bisect_right(cell_order, painted) :]]

    dashes = _dashes(lines)
    for i, (line, painted) in enumerate(zip(lines, order["line"])):
        if min(line["width"], line["height"]) > TOL.thin_rect_pt:
            continue  # slanted (a cell's diagonal, a watermark's stroke): pdfplumber would call it upright
        edge = line_to_edge(line)
        if glyph_boxes.hold(edge) and i not in dashes:
            continue
        over = painted_after(painted)
        if edge["orientation"] == "h":
            drawn_h += _left_showing(edge["top"], edge["x0"], edge["x1"], over, "top", "x0")
        else:
            drawn_v += _left_showing(edge["x0"], edge["top"], edge["bottom"], over, "x0", "top")
    curves = [(curve, _straight_edges(curve)) for curve in page.curves]
    shapes = [curve for curve, edges in curves if _outlines_a_shape(edges, curve)]
    for rect, painted in zip(rects, order["rect"]):
        if (
            glyph_boxes.hold(rect)
            or (rect["fill"] and not rect["stroke"] and glyph_boxes.backs_a_run(rect))
            or _stroke_of_a_shape(rect, shapes)
        ):
            continue
        x0, x1, top, bottom = rect["x0"], rect["x1"], rect["top"], rect["bottom"]
        if rect["height"] <= TOL.thin_rect_pt:
            drawn_h.append(((top + bottom) / 2, x0, x1))
        elif rect["width"] <= TOL.thin_rect_pt:
            drawn_v.append(((x0 + x1) / 2, top, bottom))
        else:
            target_h, target_v = (drawn_h, drawn_v) if rect["stroke"] else (fill_h, fill_v)
            over = painted_after(painted)
            target_h += [edge for y in (top, bottom) for edge in _left_showing(y, x0, x1, over, "top", "x0")]
            target_v += [edge for x in (x0, x1) for edge in _left_showing(x, top, bottom, over, "x0", "top")]
    shape_ids = {id(shape) for shape in shapes}
    for curve, edges in curves:
        if id(curve) in shape_ids or glyph_boxes.outline(curve, edges):
            continue
        # A path filled and not stroked (a row fill drawn as a path) bounds a fill, unless thin.
        thin = min(curve["width"], curve["height"]) <= TOL.thin_rect_pt
        filled = curve.get("fill") and not curve.get("stroke") and not thin
        for edge in edges:
            if not glyph_boxes.hold(edge):
                _add_edge(edge, fill_h if filled else drawn_h, fill_v if filled else drawn_v)
    return Rules(
        horizontal=_merge(drawn_h, fill=False) + _merge(fill_h, fill=True),
        vertical=_merge(drawn_v, fill=False) + _merge(fill_v, fill=True),
    )


def covered(
    rules: list[Rule], start: float, end: float, share: float = TOL.crosses_share, pieced: bool = False
) -> list[float]:
    """Positions of the rules that cover at least `share` of the span start..end. When `pieced`,
    the pieces drawn at one height count together (a table's closing rule left out under one
    cell, as Spire.Presentation draws it)."""
    least = share * max(end - start, 1e-6)
    if not pieced:
        return sorted({round(r.pos, 1) for r in rules if min(r.end, end) - max(r.start, start) >= least})
    pieces: dict[float, list[tuple[float, float]]] = {}
    for rule in rules:
        lo, hi = max(rule.start, start), min(rule.end, end)
        if hi > lo:
            pieces.setdefault(round(rule.pos, 1), []).append((lo, hi))
    return sorted(pos for pos, spans in pieces.items() if _union_length(spans) >= least)


def _union_length(spans: list[tuple[float, float]]) -> float:
    total, reach = 0.0, -inf
    for lo, hi in sorted(spans):
        total += max(0.0, hi - max(lo, reach))
        reach = max(reach, hi)
    return total


def _repaired_box(char: dict, along: tuple[float, float] | None) -> tuple[float, float, float, float]:
    """`char`'s box (x0, x1, top, bottom), hung (see hung_extent), its extent along its line
    `along` when its font's widths are broken (see font_widths): across for upright text, down
    the page for quarter-turned text."""
    top, bottom = hung_extent(char)
    if along is None:
        return char["x0"], char["x1"], top, bottom
    return (char["x0"], char["x1"], *along) if quarter_turned(char) else (*along, top, bottom)
