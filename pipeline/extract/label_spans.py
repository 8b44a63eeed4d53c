"""Which rows a spanning label drawn without rules covers (a 構面 or 策略目標 label set once for a
block of KPI rows).

Labels follow each other down the column and their spans end on row edges. Each label lies in
its own span: set at its top (level with the first row's first line), centred on it, set on the
first row's first line (a typesetter's rotated box), or overhanging it a little. The spans are
chosen together: as much of every label's text inside its own span as can be, then each label
as well placed in its span as can be. Rows above the first span continue a block from the page
before (its cell left blank there).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.extract.tolerances import TOL


@dataclass(frozen=True)
class Label:
    """A spanning label's text extent and type size."""

    top: float
    bottom: float
    size: float


def _inside(label: Label, start: float, end: float) -> float:
    """The share of the label's height inside start..end, give or take the slack of glyph boxes
    (a label set level with its row's first line pokes a hair above the row's top)."""
    height = max(label.bottom - label.top, 1e-6)
    slack = TOL.box_slack_pt
    return max(0.0, min(label.bottom, end + slack) - max(label.top, start - slack)) / height


def _misplacement(label: Label, start: float, end: float, first: tuple[float, float]) -> float:
    """How far (in em) the label is from the nearest way of placing it in start..end, whose first
    row's first line is `first` (which may start above the row's top: a first row set tight
    under a header row too short for its labels)."""
    centre = (label.top + label.bottom) / 2
    offsets = [abs((start + end) / 2 - centre), abs(label.top - first[0]), abs(label.bottom - first[1])]
    return min(offsets) / max(label.size, 1e-6)


def _score(label: Label, start: float, end: float, first: tuple[float, float]) -> float:
    return TOL.label_inside_weight * _inside(label, start, end) - _misplacement(label, start, end, first)


def fit_spans(
    labels: list[Label],
    edges: list[float],
    anchors: list[tuple[float, float]],
    breaks: list[set[int]] = (),
) -> list[tuple[float, float]]:
    """One span per label, in order, on the row `edges` (sorted; the last is the table's end),
    given the KPI rows' first lines (`anchors`: top, bottom; one per row).

    `breaks` are sets of edge indices where one label's span may end and the next begin, most
    telling first (codes are anchors: a KPI code's letters change where its block does); the
    first set with room for every boundary is used, else any edge. Rows above the first span
    (a block continued from the page before) end at such an edge too."""
    n, k = len(edges), len(labels)
    if k == 0 or n < 2:
        return []
    if n - 1 < k:  # fewer rows than labels: each label its nearest row
        return [(edges[0], edges[-1])] * k
    allowed = next((b for b in breaks if len(b) >= k - 1), set(range(n)))
    # Breaks that leave no more room than one per label (k - 1 between the labels, one ending a
    # block continued from the page before) are where every block ends: no span runs over one.
    uncrossable = allowed if len(allowed) <= k else set()
    spans = _best_spans(labels, edges, anchors, allowed, uncrossable) or _best_spans(
        labels, edges, anchors, allowed, set()
    )
    if _misfit(labels, spans):
        awaiting = _best_spans(labels, edges, anchors, allowed, uncrossable, to_the_end=False)
        if awaiting and not _misfit(labels, awaiting):
            return awaiting
    return spans


def _misfit(labels: list[Label], spans: list[tuple[float, float]]) -> bool:
    """Whether a label lies mostly outside its span."""
    return any(_inside(label, start, end) < TOL.label_misfit_share for label, (start, end) in zip(labels, spans))


def _best_spans(
    labels: list[Label],
    edges: list[float],
    anchors: list[tuple[float, float]],
    allowed: set[int],
    uncrossable: set[int],
    to_the_end: bool = True,
) -> list[tuple[float, float]]:
    """The best-scoring spans ending at `allowed` edges and running over none of `uncrossable`;
    empty when there are none. The last span reaches the table's end, or (not `to_the_end`) ends
    at an allowed edge above it: the rows below then belong to a block whose label the page
    does not print (a merged cell broken over the page, its label printed on the next page only,
    centred on the part there: html2canvas)."""
    n, k = len(edges), len(labels)
    best: list[list[float | None]] = [[None] * n for _ in range(k)]
    came: list[list[int]] = [[0] * n for _ in range(k)]
    for i, label in enumerate(labels):
        for end in range(i + 1, n):
            if (i < k - 1 or not to_the_end) and end not in allowed:
                continue
            for start in range(i, end):
                if i == 0 and start > 0 and start not in allowed:
                    continue  # a block continued from the page before also ends where codes change
                if any(start < edge < end for edge in uncrossable):
                    continue
                before = 0.0 if i == 0 else best[i - 1][start]
                if before is None:
                    continue
                score = before + _score(label, edges[start], edges[end], anchors[start])
                if best[i][end] is None or score > best[i][end]:
                    best[i][end], came[i][end] = score, start
    ends = [n - 1] if to_the_end else range(n - 1)
    end = max((e for e in ends if best[k - 1][e] is not None), key=lambda e: best[k - 1][e], default=None)
    if end is None:
        return []
    spans = []
    for i in range(k - 1, -1, -1):
        start = came[i][end]
        spans.insert(0, (edges[start], edges[end]))
        end = start
    return spans
