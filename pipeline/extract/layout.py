"""The shape of one table as the parser lays it out: column roles, x-ranges, header extent."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pipeline.extract.geometry import Glyph, Line
from pipeline.extract.tolerances import TOL


class Role(StrEnum):
    """What a header label names: a column's role, or a value kind printed without a year
    ('實際值' over a two-row header's year cells), which marks columns but is none itself."""

    PERSPECTIVE = "perspective"
    OBJECTIVE = "objective"
    KPI = "kpi"
    ACTUAL = "actual"
    TARGET = "target"
    PLANS = "plans"
    EXTRA = "extra"
    ACTUAL_MARK = "actual_mark"
    TARGET_MARK = "target_mark"


@dataclass(frozen=True)
class Column:
    role: Role
    x0: float
    x1: float
    year: int | None = None
    span: tuple[float, float] = (0.0, 0.0)  # where rules crossing this column must run
    head: tuple[float, float] = (0.0, 0.0)  # x-extent of its header text

    def holds(self, glyph: Glyph) -> bool:
        return self.x0 <= glyph.ink_cx < self.x1


def cell_glyphs(
    glyphs: list[Glyph], column: Column, top: float, bottom: float, upright_only: bool = False
) -> list[Glyph]:
    """The glyphs whose centre lies in `column` between `top` (included) and `bottom` (excluded);
    `upright_only` leaves out quarter-turned glyphs (rotated labels, read apart)."""
    return [g for g in glyphs if column.holds(g) and top <= g.cy < bottom and not (upright_only and g.rotated)]


@dataclass(frozen=True)
class TableLayout:
    """Where one table's columns are, and where its header ends. `label_ends` are the header's
    own glyphs printed below that: the ends of labels their cells were too short for.
    `opening_band` is a 構面 band row ('顧客') printed level with such label ends, inside the
    header's band, or a 構面 name printed alone right above the header: the perspective of the
    rows under it. `raised` are the first row's glyphs
    printed up into the header's band (a cell of fixed height whose centred text overflows it)."""

    columns: tuple[Column, ...]
    header_top: float
    body_top: float
    label_ends: frozenset[Glyph] = frozenset()
    opening_band: Line | None = None
    raised: frozenset[Glyph] = frozenset()

    def without_label_ends(self, glyphs: list[Glyph]) -> list[Glyph]:
        """`glyphs` without the header's label ends printed over the body."""
        return [g for g in glyphs if g not in self.label_ends] if self.label_ends else glyphs

    def column(self, role: Role) -> Column | None:
        return next((c for c in self.columns if c.role == role), None)

    def column_at(self, glyph: Glyph) -> Column | None:
        """The column holding `glyph`, if any. Column.holds spelt out in a plain loop: the cell
        moves ask this for every glyph of a table's rows, several times over."""
        x = glyph.ink_cx
        for c in self.columns:
            if c.x0 <= x < c.x1:
                return c
        return None

    def clipped_into(self, glyph: Glyph) -> Column | None:
        """The column whose cell `glyph` was clipped to, when it is drawn left or right of that
        clip: a tool that clips each cell's text to its cell (R's gridExtra) sets a line wider
        than the cell on past its border, hidden there, where only the text layer has it (a
        plan's code 'AP1.1.2' cut after its 'A' by the next column's edge). None when `glyph`
        shows, is hidden above or below its clip only, or its clip lies in no one column (a
        table's or a slide's frame)."""
        clip = glyph.clip
        if clip is None or clip[0] <= glyph.ink_cx <= clip[1]:
            return None
        slack = TOL.box_slack_pt
        return next((c for c in self.columns if c.x0 - slack <= clip[0] and clip[1] <= c.x1 + slack), None)

    def home_of(self, glyph: Glyph) -> Column | None:
        """The column whose text `glyph` is: the one its cell was clipped to (see clipped_into),
        else the one holding it."""
        return self.clipped_into(glyph) or self.column_at(glyph)

    @property
    def plan_year(self) -> int | None:
        target = self.column(Role.TARGET)
        return target.year if target else None

    @property
    def x0(self) -> float:
        return self.columns[0].x0

    @property
    def x1(self) -> float:
        return self.columns[-1].x1

    @property
    def rule_span(self) -> tuple[float, float]:
        """Where a rule across the whole table runs: its outer columns reach the page's edges to
        hold text pushed off them, but rules need only cross the text (see Column.span)."""
        return self.columns[0].span[0], self.columns[-1].span[1]
