"""Page geometry from pdfplumber: positioned glyphs, text lines, and the frame a page is shown in.

Everything downstream works on these few shapes, whatever tool drew the page; the ruling edges
that go with them are read in rules.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import chain
from operator import attrgetter

from pdfplumber.page import Page

from pipeline.clean.text import drop_cjk_spaces, normalize
from pipeline.extract import actual_text
from pipeline.extract.clipping import clip_boxes
from pipeline.extract.crop_box import crop_box
from pipeline.extract.font_widths import repaired_extents
from pipeline.extract.hung import hung_across, hung_extent
from pipeline.extract.painted_over import Fractions, is_buried, shown_fractions, shown_parts
from pipeline.extract.rules import Rule, Rules, page_rules
from pipeline.extract.tolerances import TOL

actual_text.install()  # glyphs are read as the text their /ActualText span gives (see actual_text)

Box = tuple[float, float, float, float]  # x0, x1, top, bottom

_OPENING = set("「『（【《〈〔｛［")
_CLOSING = set("」』）】》〉〕｝］、，。：；")


class Glyph:
    """One character: text already normalised, box in top-left page coordinates.

    `rotated`: drawn at 90° (a vertical label such as a turned 構面 name); `upward`: a turned
    glyph whose text runs bottom to top, or an upright one drawn upside down (such a label on a
    slide printed sideways: turned back with the page, it runs bottom to top). A plain slotted
    class whose centres are worked out when it is made: a page makes thousands and the parser
    reads their centres millions of times.
    `seq`: its place in the order the page draws its glyphs (-1 when unknown), which tells apart
    texts printed over each other (see overprint.py). `clip`: the box (x0, x1, top, bottom) of
    the clipping path it was drawn in, when that cuts it and hides some or all of it (a cell's
    text run on past the cell it is clipped to; see clipping.py) or its foot stands at the clip's
    foot (the last line shown of a cell run on past it), else None. `buried`: a fill
    painted after it covers it wholly (see painted_over). Never changed once made (see `moved`);
    equal when text, box and turn are.
    """

    __slots__ = (
        "text", "x0", "x1", "top", "bottom", "size", "rotated", "upward", "cx", "cy", "ink_cx", "seq", "clip", "buried"
    )  # fmt: skip

    def __init__(
        self,
        text: str,
        x0: float,
        x1: float,
        top: float,
        bottom: float,
        size: float,
        rotated: bool,
        upward: bool = False,
        seq: int = -1,
        clip: Box | None = None,
        buried: bool = False,
    ) -> None:
        self.text, self.x0, self.x1, self.top, self.bottom, self.size = text, x0, x1, top, bottom, size
        self.rotated, self.upward, self.seq, self.clip, self.buried = rotated, upward, seq, clip, buried
        self.cx = cx = (x0 + x1) / 2
        self.cy = (top + bottom) / 2
        # Where the ink lies across: a full-width opening bracket inks the right half of its
        # box, a closing one (or a comma, a full stop) the left half.
        quarter = (x1 - x0) / 4
        self.ink_cx = cx + quarter if text in _OPENING else cx - quarter if text in _CLOSING else cx

    def moved(self, dx: float, dy: float = 0.0) -> Glyph:
        """The same glyph shifted by (dx, dy)."""
        return Glyph(
            self.text,
            self.x0 + dx,
            self.x1 + dx,
            self.top + dy,
            self.bottom + dy,
            self.size,
            self.rotated,
            self.upward,
            self.seq,
            None if (c := self.clip) is None else (c[0] + dx, c[1] + dx, c[2] + dy, c[3] + dy),
            self.buried,
        )

    @property
    def hidden(self) -> bool:
        """True when the clip it was drawn in hides its middle: the page shows none of it there."""
        clip = self.clip
        return clip is not None and not (clip[0] <= self.cx <= clip[1] and clip[2] <= self.cy <= clip[3])

    def _key(self) -> tuple:
        return (self.text, self.x0, self.x1, self.top, self.bottom, self.size, self.rotated, self.upward)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Glyph) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Glyph({self.text!r}, x={self.x0:.1f}..{self.x1:.1f}, y={self.top:.1f}..{self.bottom:.1f})"


class Line:
    """Glyphs sharing a baseline, left to right, with their box, type size and text.

    A plain slotted class, measured once when made: lines are made by the thousand a page and
    read over and over, and a frozen dataclass's guarded attribute writes cost more than the
    measuring. Never changed once made; equal when their glyphs are.
    """

    __slots__ = ("glyphs", "x0", "x1", "top", "bottom", "size", "text")

    def __init__(self, glyphs: tuple[Glyph, ...]) -> None:
        first = glyphs[0]
        x0, x1, top, bottom, size = first.x0, first.x1, first.top, first.bottom, first.size
        for g in glyphs:
            if g.x0 < x0:
                x0 = g.x0
            if g.x1 > x1:
                x1 = g.x1
            if g.top < top:
                top = g.top
            if g.bottom > bottom:
                bottom = g.bottom
            if g.size > size:
                size = g.size
        self.glyphs = glyphs
        self.x0, self.x1, self.top, self.bottom, self.size = x0, x1, top, bottom, size
        self.text = glyph_text(glyphs)

    @property
    def centre(self) -> float:
        return (self.top + self.bottom) / 2

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Line) and self.glyphs == other.glyphs

    def __hash__(self) -> int:
        return hash(self.glyphs)

    def __repr__(self) -> str:
        return f"Line({self.text!r}, x={self.x0:.1f}..{self.x1:.1f}, y={self.top:.1f}..{self.bottom:.1f})"


def page_glyphs(page: Page) -> list[Glyph]:
    """The page's characters without fake-bold doubles and without slanted text (watermarks); text
    set oblique on an upright baseline (a synthetic italic: Word's bold italic heading in a CJK face
    that has no italic) is upright text.

    A space draws nothing: it takes no place in the drawing order, so the letters of text set
    letter-spaced with spaces ('民 眾 滿 意 度') are drawn one right after the other. A tab parts
    what it stands between (Calligra opens each cell's text with one): it takes a place."""
    return _glyphs_and_covered(page)[0]


def _glyphs_and_covered(page: Page) -> tuple[list[Glyph], dict[int, Fractions], dict[int, Box]]:
    """page_glyphs; the part that shows of each glyph a fill painted later covers in part, by its
    place in the drawing order (see painted_over); and each glyph's box as read, upright or
    quarter turned, (x0, x1, top, bottom) by id of its char, which page_rules tells letters'
    outlines by (a turned page's bold title drawn as outlines is letters, not rules)."""
    glyphs = []
    covered: dict[int, Fractions] = {}
    read: dict[int, Box] = {}
    normalized: dict[str, str] = {}  # a page repeats its characters: each is folded once
    origin = page.bbox[0]  # pdfplumber sets x from the MediaBox's left edge, a text matrix from PDF space's
    parts, buried = shown_parts(page)
    chars = page.chars
    clips = clip_boxes(page, chars)
    repaired = repaired_extents(chars)
    for seq, ch in numbered_chars(chars):
        a, b, c, d = ch["matrix"][:4]
        # Sheared along its baseline, a glyph is upright text set oblique (synthetic italic), or
        # quarter-turned text set oblique (such a title on a slide printed sideways).
        upright = abs(b) < TOL.axis_epsilon and abs(c) <= TOL.oblique_shear * abs(d)
        quarter = abs(a) < TOL.axis_epsilon and abs(d) <= TOL.oblique_shear * abs(c)
        if not (upright or quarter):
            continue
        text = normalized.get(ch["text"])
        if text is None:
            text = normalized[ch["text"]] = normalize(ch["text"])
        top, bottom = hung_extent(ch)  # a box hung from the baseline when its font declares a wrong descent
        if quarter:
            x0, x1 = hung_across(ch, origin)
            top, bottom = repaired.get(id(ch), (top, bottom))
        else:
            x0, x1 = repaired.get(id(ch), (ch["x0"], ch["x1"]))
        read[id(ch)] = (x0, x1, top, bottom)
        upward = b > 0 if quarter else a < 0 and d < 0  # turned reading upward, or upright upside down
        # Most pages clip, cover and bury nothing: the look-ups per char are skipped then.
        clip = clips.get(id(ch)) if clips else None
        under = is_buried(ch, buried) if buried else False
        glyphs.append(Glyph(text, x0, x1, top, bottom, ch["size"] or 1.0, quarter, upward, seq, clip, under))
        if parts and seq >= 0 and (shown := shown_fractions(ch, parts)) is not None:
            covered[seq] = shown
    return glyphs, covered, read


def numbered_chars(chars: list[dict]) -> Iterator[tuple[int, dict]]:
    """The page's chars that make glyphs (unique_chars), each with its place in the order the
    page draws its glyphs (a glyph's `seq`; -1 for a blank)."""
    drawn = -1
    for ch in unique_chars(chars, TOL.fake_bold_pt):
        if not ch["text"]:
            continue  # a glyph an /ActualText span's first glyph speaks for (see actual_text)
        blank = ch["text"].isspace()
        drawn += not blank or ch["text"] == "\t"
        yield -1 if blank else drawn, ch


def unique_chars(chars: list[dict], tolerance: float) -> list[dict]:
    """pdfplumber's dedupe_chars, in one pass over the page: of the chars sharing text, font and
    size whose positions chain within `tolerance` across their line, then along it (or less than
    `TOL.ghost_copy_share` of their extent along it: top then x0, x0 then top for turned text),
    the first by position survives, in page order. pdfplumber sorts the whole page into groups
    and back by list.index, a cost as large as a tenth of reading the page; most chars share
    their text with no near neighbour.
    Sizes are compared in hundredths of a point: pdfminer sizes a turned glyph by its advance,
    which for a fake-bold copy drawn a fraction of a point on differs in the last digits (rounded
    as round(size * 100), a third of the cost of round(size, 2) for every char of a page)."""
    groups: dict[tuple, list[int]] = {}
    for i, ch in enumerate(chars):
        groups.setdefault((ch["upright"], ch["text"], ch["fontname"], round(ch["size"] * 100)), []).append(i)
    tops, lefts = [ch["doctop"] for ch in chars], [ch["x0"] for ch in chars]
    kept = []
    for (upright, *_), group in groups.items():
        if len(group) == 1:
            kept += group
            continue
        # A copy printed less than half a glyph along is no letter of its own: letters of one
        # text never overlap so, and a re-print (LibreOffice Draw's) lays a fake-bold copy's
        # Latin out in wider letters, so the copies drift apart along the line, which runs down
        # the page for turned text (a slide printed sideways).
        across, along_line, extent = (tops, lefts, "width") if upright else (lefts, tops, "height")
        along = max(tolerance, min(chars[i][extent] for i in group) * TOL.ghost_copy_share)
        if _apart(group, along_line, along):
            kept += group
            continue
        for same_line in _chains(group, across, tolerance):
            if len(same_line) == 1:  # most chars of a group: alone on their line
                kept += same_line
                continue
            for same_spot in _chains(same_line, along_line, along):
                kept.append(min(same_spot, key=lambda i: (tops[i], lefts[i])))
    return [chars[i] for i in sorted(kept)]


def _apart(indices: list[int], values: list[float], tolerance: float) -> bool:
    """True when no two of the values lie within `tolerance`: every cluster is then one char
    (the same character printed at different places across a page, the common case)."""
    ordered = sorted(values[i] for i in indices)
    return all(b - a > tolerance for a, b in zip(ordered, ordered[1:]))


def _chains(indices: list[int], values: list[float], tolerance: float) -> list[list[int]]:
    """`indices` clustered as pdfplumber's cluster_list does: sorted by value, a new cluster
    wherever a value lies more than `tolerance` past the one before; each cluster in page order."""
    clusters: list[list[int]] = []
    last = None
    for i in sorted(indices, key=values.__getitem__):
        if last is not None and values[i] <= last + tolerance:
            clusters[-1].append(i)
        else:
            clusters.append([i])
        last = values[i]
    return [sorted(cluster) for cluster in clusters]


def near_the_page(glyphs: list[Glyph], width: float, height: float) -> list[Glyph]:
    """The glyphs on the page and those running on past its edges, line after line (a table
    overflowing its slide: cut off when shown, its text is still its cells' own), without text
    set far off the page, apart from everything on it: a layout engine's running header placed
    2,000 pt above the page, a no-wrap cell's text 20,000 pt to its right. No one sees it, and
    it is no cell's text."""
    box = [0.0, 0.0, width, height]

    def distance(g: Glyph) -> float:
        return max(box[0] - g.x1, g.x0 - box[2], box[1] - g.bottom, g.top - box[3], 0.0)

    outside = [g for g in glyphs if g.x1 < 0 or g.x0 > width or g.bottom < 0 or g.top > height]
    if not outside:
        return glyphs
    far: set[int] = set()
    for g in sorted(outside, key=distance):  # nearest first: each kept one extends the reach
        if distance(g) > TOL.offpage_reach_em * g.size:
            far.add(id(g))
            continue
        box[:] = [min(box[0], g.x0), min(box[1], g.top), max(box[2], g.x1), max(box[3], g.bottom)]
    return [g for g in glyphs if id(g) not in far]


def drop_out_of_scale(glyphs: list[Glyph]) -> list[Glyph]:
    """Without glyphs far larger than the typical one (upright watermarks and stamps over a table)
    or far smaller (text no one can read, a hidden link such as TCPDF's 1 pt 'Powered by TCPDF',
    which a slide printed two to a page sets inside the table above it)."""
    if not glyphs:
        return glyphs
    sizes = sorted(g.size for g in glyphs)
    typical = sizes[len(sizes) // 2]
    low, high = TOL.undersized_share * typical, TOL.oversized_factor * typical
    return [g for g in glyphs if low <= g.size <= high]


def glyph_text(glyphs: Iterable[Glyph]) -> str:
    """Text of glyphs on one line, with a space where a visible gap separates Latin words."""
    space = TOL.word_space_em
    parts = []
    prev: Glyph | None = None
    for g in glyphs:
        # max() spelt out: this runs for every glyph of every line made
        if prev is not None and g.x0 - prev.x1 > space * (g.size if g.size > prev.size else prev.size):
            parts.append(" ")
        parts.append(g.text)
        prev = g
    return drop_cjk_spaces("".join(parts)).strip()


def group_lines(glyphs: Iterable[Glyph]) -> list[Line]:
    """Cluster upright glyphs into lines by vertical centre, top to bottom."""
    lines: list[list[Glyph]] = []
    same_line = TOL.same_line_em
    current: list[Glyph] = []
    total = 0.0  # sum of the current line's centres: its mean centre without re-adding them
    count = 0  # len(current), kept: this loop runs for every glyph of every line made
    for g in sorted([g for g in glyphs if not g.rotated], key=_BY_CY):  # a list sorts faster than a generator
        if not lines and g.text.isspace():
            continue
        cy = g.cy
        if lines:
            size, first = g.size, current[0].size
            if abs(cy - total / count) <= same_line * (size if size > first else first):
                current.append(g)
                total += cy
                count += 1
                continue
        current = [g]
        lines.append(current)
        total, count = cy, 1
    result = [Line(_in_reading_order(line)) for line in _settled(lines)]
    return [line for line in result if line.text]


def _settled(lines: list[list[Glyph]]) -> list[list[Glyph]]:
    """Each glyph on the line whose mean centre is nearest to its own. Lines are gathered top to
    bottom, so a glyph between two lines less than an em apart joins the upper one while it is
    close enough, even when it stands nearer the lower: a ')' in a Latin face whose box its font
    hangs lower than the CJK '年' beside it, in a header label wrapped as '實際值(107' / '年)'.
    `lines` hold the glyphs in order of their centres, so each line is a stretch of that order
    and settling moves the cuts between stretches to the midpoints of their means."""
    if len(lines) < 2:
        return lines
    means = [sum(g.cy for g in line) / len(line) for line in lines]
    cuts = [(upper + lower) / 2 for upper, lower in zip(means, means[1:])]
    if all(upper[-1].cy <= cut < lower[0].cy for upper, lower, cut in zip(lines, lines[1:], cuts)):
        return lines  # no glyph lies past a cut (most pages): each stays on its line
    settled: list[list[Glyph]] = [[] for _ in lines]
    at = 0
    for g in chain.from_iterable(lines):
        while at < len(cuts) and g.cy > cuts[at]:
            at += 1
        settled[at].append(g)
    return [line for line in settled if line]


_BY_CY = attrgetter("cy")


def _in_reading_order(line: list[Glyph]) -> tuple[Glyph, ...]:
    """A line's glyphs left to right by their middles (a glyph a re-print gave no advance starts
    where the next does), and glyphs set on one spot in the order they were drawn: a face of
    other widths gives '（' drawn at A's origin in '（A）' a full width, its middle past A's."""
    ordered = sorted(line, key=_BY_CX)
    if all(b.x0 - a.x0 > _SAME_SPOT or a.x0 - b.x0 > _SAME_SPOT for a, b in zip(ordered, ordered[1:])):
        return tuple(ordered)
    placed: list[Glyph] = []
    spot: list[Glyph] = []
    for g in ordered:
        if spot and abs(g.x0 - spot[0].x0) > _SAME_SPOT:
            placed += sorted(spot, key=_BY_SEQ) if all(s.seq >= 0 for s in spot) else spot
            spot = []
        spot.append(g)
    placed += sorted(spot, key=_BY_SEQ) if all(s.seq >= 0 for s in spot) else spot
    return tuple(placed)


_BY_CX = attrgetter("cx")
_BY_SEQ = attrgetter("seq")
_SAME_SPOT = 0.05  # pt: glyphs starting this close start on one spot


def split_runs(line: Line, gap: float = TOL.gutter_em) -> list[Line]:
    """Split a line at horizontal gaps wider than `gap` × font size (column gutters)."""
    runs: list[list[Glyph]] = [[line.glyphs[0]]]
    for g in line.glyphs[1:]:
        prev = runs[-1][-1]
        if g.x0 - prev.x1 > gap * max(g.size, prev.size):
            runs.append([g])
        else:
            runs[-1].append(g)
    return [line for line in (Line(tuple(run)) for run in runs) if line.text]


def rules_crossing(run: Line, vrules: list[Rule]) -> list[float]:
    """Where the vertical rules that cross `run`'s whole height stand."""
    slack = TOL.box_slack_pt
    return [r.pos for r in vrules if r.start <= run.top + slack and r.end >= run.bottom - slack]


def split_at_rules(run: Line, vrules: list[Rule]) -> list[Line]:
    """`run` cut where a vertical rule crossing its line stands in a space between two glyphs:
    text never runs over a drawn cell border, so the two sides are two cells' text set close
    (a header's '權' of a wrapped '權重', then '實際值(' in the next cell; a note '註' in a 備註
    cell, then a weight '20'). The rule need cross only the height the two glyphs share: two
    cells' labels, each centred in its cell, may stand half a line apart, one of them run up
    past the cell's top ('策略目' beside a three-line 'KPI(關鍵' set up over the header's top
    rule, SpreadJS)."""
    slack = TOL.box_slack_pt
    near = [r for r in vrules if r.start <= run.bottom and r.end >= run.top]
    if not near or len(run.glyphs) < 2:
        return [run]
    pieces: list[list[Glyph]] = [[run.glyphs[0]]]
    for g in run.glyphs[1:]:
        prev = pieces[-1][-1]
        space = g.x0 - prev.x1 >= TOL.word_space_em * max(g.size, prev.size)
        top, bottom = max(prev.top, g.top) + slack, min(prev.bottom, g.bottom) - slack
        if space and any(prev.x1 <= r.pos <= g.x0 and r.start <= top and r.end >= bottom for r in near):
            pieces.append([g])
        else:
            pieces[-1].append(g)
    return [Line(tuple(piece)) for piece in pieces]


@dataclass(frozen=True)
class PageGeometry:
    """A page as displayed: its glyphs and rules in one top-left frame, and its shown size."""

    glyphs: list[Glyph]
    rules: Rules
    width: float
    height: float
    covered: dict[int, Fractions] = field(default_factory=dict)  # see showing_covered

    def showing_covered(self) -> PageGeometry:
        """The page with each glyph a later fill covers in part cut to the part that shows, its
        type size kept (see painted_over). Done once the page is in the frame it is read in: a
        turned glyph's size is the width of its whole box across its line (see sideways)."""
        if not self.covered:
            return self
        kept = _runs_beside_shown_text(self.glyphs, self.covered)
        glyphs = []
        for g in self.glyphs:
            if g.seq not in kept and (part := self.covered.get(g.seq)) is not None:
                left, right, top, bottom = part
                width, height = g.x1 - g.x0, g.bottom - g.top
                g = Glyph(
                    g.text,
                    g.x0 + left * width,
                    g.x0 + right * width,
                    g.top + top * height,
                    g.top + bottom * height,
                    g.size,
                    g.rotated,
                    g.upward,
                    g.seq,
                    g.clip,
                )
            glyphs.append(g)
        return replace(self, glyphs=glyphs, covered={})


def _runs_beside_shown_text(glyphs: list[Glyph], covered: dict[int, Fractions]) -> set[int]:
    """The drawing places of covered glyphs drawn in one run with glyphs no fill covers, on their
    line: a tool that draws a line in batches (a PostScript driver, glyph set by glyph set) may
    paint the next cell's fill between them, over one batch only. The line shows; the glyphs
    the fill hides stay on it, not cut to a sliver that stands on the line above."""
    by_seq = {g.seq: g for g in glyphs if g.seq >= 0}
    kept: set[int] = set()
    seqs = sorted(seq for seq in covered if seq in by_seq)
    start = 0
    while start < len(seqs):
        end = start
        while (
            end + 1 < len(seqs) and seqs[end + 1] == seqs[end] + 1 and _level(by_seq[seqs[end]], by_seq[seqs[end + 1]])
        ):
            end += 1
        first, last = by_seq[seqs[start]], by_seq[seqs[end]]
        beside = [by_seq.get(first.seq - 1), by_seq.get(last.seq + 1)]
        if any(n is not None and n.seq not in covered and _level(n, first) for n in beside):
            kept.update(seqs[start : end + 1])
        start = end + 1
    return kept


def _level(a: Glyph, b: Glyph) -> bool:
    """True when the two glyphs' whole boxes stand on one line."""
    return abs(a.cy - b.cy) <= TOL.same_line_em * max(a.size, b.size)


def _shifted(geometry: PageGeometry, dx: float, dy: float) -> PageGeometry:
    glyphs = [g.moved(dx, dy) for g in geometry.glyphs]
    rules = Rules(
        [r.mapped(r.pos + dy, shift=dx) for r in geometry.rules.horizontal],
        [r.mapped(r.pos + dx, shift=dy) for r in geometry.rules.vertical],
    )
    return replace(geometry, glyphs=glyphs, rules=rules)


def _inside(geometry: PageGeometry, slack: float = TOL.frame_slack_pt) -> bool:
    return all(
        -slack <= g.x0 and g.x1 <= geometry.width + slack and -slack <= g.top and g.bottom <= geometry.height + slack
        for g in geometry.glyphs
    )


def _within_crop_box(page: Page, geometry: PageGeometry) -> PageGeometry:
    """The page in the frame of its CropBox, the part a viewer shows (pdfplumber lays a page out
    in its MediaBox): a page printed within a larger sheet has its margins, page number and all,
    where the slide has them. Nothing outside is dropped (text pushed off a slide is its cell's).

    pdfplumber (0.11.10) gives the glyphs in a top-down frame whose origin is that of PDF space,
    wherever the MediaBox starts (a sheet from -36, -36 puts its top at 36); the CropBox is
    placed as they are (see crop_box), a turned page's too (a notes page cropped, then turned)."""
    if not _cropped(page):
        return geometry
    x0, top, x1, bottom = crop_box(page)
    return replace(_shifted(geometry, -x0, -top), width=x1 - x0, height=bottom - top)


def _cropped(page: Page) -> bool:
    x0, top, x1, bottom = crop_box(page)
    bx0, btop, bx1, bbottom = page.bbox
    return abs(x0 - bx0) + abs(top - btop) + abs(x1 - bx1) + abs(bottom - bbottom) >= TOL.box_slack_pt


def shown_origin(page: Page) -> tuple[float, float]:
    """Where, in pdfplumber's frame, page_geometry sets the top left of the page: the CropBox's
    corner for a page cropped (see _within_crop_box), else pdfplumber's origin."""
    if not _cropped(page):
        return 0.0, 0.0
    x0, top, _, _ = crop_box(page)
    return x0, top


def page_geometry(page: Page) -> PageGeometry:
    """Glyphs and rules of a page in the frame it is shown in, /Rotate applied.

    pdfplumber (0.11.10) reports the shown size and pdfminer lays glyphs out in the shown frame,
    so a page whose content is drawn turned and shown upright through /Rotate reads as is. Some
    files draw upright content on a page they also turn, so that the glyphs overflow the shown
    page; and older pdfplumber releases shifted /Rotate 270 coordinates by the difference of the
    two sides. When the glyphs fall outside the shown page, the frame they do fit is used.
    """
    width, height = float(page.width), float(page.height)
    glyphs, covered, read = _glyphs_and_covered(page)
    shown = PageGeometry(glyphs, page_rules(page, read), width, height, covered)
    if page.rotation % 180 != 90:
        return _within_crop_box(page, shown)
    if _inside(shown):
        return _within_crop_box(page, shown)
    turned = replace(shown, width=height, height=width)
    offset = width - height
    for candidate in (turned, _shifted(turned, offset, -offset), _shifted(turned, -offset, offset)):
        if _inside(candidate):
            return candidate
    return shown
