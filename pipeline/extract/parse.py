"""Parse one PDF deck into a `ParsedDeck`: pages → table layouts → rows → cleaned KPI records."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.clean.codes import code_depth, split_code_lines, split_plans
from pipeline.clean.text import join_wrapped, squash
from pipeline.clean.values import parse_value
from pipeline.extract.deck_fields import find_map_date, find_org, is_strategy_map, org_from_map_title
from pipeline.extract.geometry import Line, drop_oversized, group_lines, page_geometry
from pipeline.extract.header import Role, TableLayout, find_layouts, place_columns
from pipeline.extract.pdf_dates import pdf_dates
from pipeline.extract.plausibility import check_deck
from pipeline.extract.table import Row, read_rows
from pipeline.extract.tolerances import TOL
from pipeline.identity import sha256_of
from pipeline.model import ActionPlan, Kpi, ParsedDeck, ValueKind, YearValue

PERSPECTIVES = ("顧客", "內部流程", "學習成長", "財務")
_THEME = re.compile(
    r"策略主題[:：]?(?:[(（](?P<paren>[A-Za-z0-9]{1,3})[)）]|(?P<bare>[A-Z])(?=[:：、.]|[^\x00-\x7f]))?[:：、.]?"
    r"(?P<name>.*?)(?:[-－—–]+\d+/\d+|[(（]續[)）]|\(\d+/\d+\))?$"
)


_OUT_OF_MEMORY = "page {} needs more memory than a deck may use (a compression bomb or a damaged file)"


class RejectedDeck(Exception):
    """The file is not a readable scorecard deck; the message says why, for a person."""


@dataclass
class _Context:
    """What carries from one table (or page) to the next: a theme continued, a 構面 block continued."""

    theme_code: str | None = None
    theme_name: str | None = None
    perspective: str | None = None
    objective: str | None = None
    layout: TableLayout | None = None


def perspective_name(text: str | None) -> str | None:
    """'顧客構面', '學習成\\n長構面', a rotated label read backwards ('面構客顧') → bare name."""
    if not text:
        return None
    squashed = squash(text)
    letters = sorted(squashed.replace("構", "", 1).replace("面", "", 1))
    for name in PERSPECTIVES:
        if sorted(name) == letters:
            return name
    for candidate in (squashed, squashed[::-1]):
        if candidate.endswith("構面") or candidate.removesuffix("構面") in PERSPECTIVES:
            return candidate.removesuffix("構面") or None
    return squashed


def theme_of(line: Line) -> tuple[str | None, str | None]:
    """'策略主題：(B)落實基層服務--1/2' → ('B', '落實基層服務'); continuation marks are dropped."""
    match = _THEME.search(squash(line.text))
    if not match:
        return None, None
    return match.group("paren") or match.group("bare"), match.group("name").strip("：: ") or None


def _kpi(row: Row, layout: TableLayout, ctx: _Context, page_number: int) -> Kpi:
    kpi_code, kpi_name = split_code_lines(row.cells[layout.column(Role.KPI)], join_wrapped)
    if row.perspective and (name := perspective_name(row.perspective)):
        ctx.perspective = name
    if row.objective:
        ctx.objective = row.objective
    objective_code, objective_name = split_code_lines((ctx.objective or "").split("\n"), join_wrapped)
    values = [
        YearValue(col.year, ValueKind(col.role.value), parse_value("\n".join(lines)))
        for col, lines in row.cells.items()
        if col.role in (Role.ACTUAL, Role.TARGET) and col.year is not None
    ]
    plans_column = layout.column(Role.PLANS)
    plans_text = join_wrapped(row.cells[plans_column]) if plans_column else ""
    depth = code_depth(kpi_code) + 1 if kpi_code else 3
    plans = [ActionPlan(code, name) for code, name in split_plans(plans_text, depth)] if plans_text else []
    return Kpi(
        theme_code=ctx.theme_code,
        theme_name=ctx.theme_name,
        perspective=ctx.perspective,
        objective_code=objective_code,
        objective_name=objective_name or None,
        kpi_code=kpi_code,
        kpi_name=kpi_name,
        page=page_number,
        values=sorted(values, key=lambda v: (v.year, v.kind)),
        action_plans=plans,
    )


def _page_tables(page, ctx: _Context, page_number: int) -> tuple[list[Kpi], list[Line]]:
    """KPIs of every table on one page (a page without a header continues the previous table),
    and the page's text lines."""
    geometry = page_geometry(page)
    rules, page_width, page_height = geometry.rules, geometry.width, geometry.height
    # Tables are read without oversized stamps; the slide's own text (titles) keeps everything.
    glyphs = drop_oversized(geometry.glyphs)
    lines = group_lines(glyphs)
    layouts = find_layouts(lines, glyphs, rules.horizontal, rules.vertical, page_width)
    titles = [ln for ln in lines if "策略主題" in squash(ln.text)]
    regions: list[tuple[TableLayout, float, float]] = []
    if layouts:
        for i, layout in enumerate(layouts):
            bottom = layouts[i + 1].header_top if i + 1 < len(layouts) else page_height
            next_titles = [t.top for t in titles if layout.body_top < t.top < bottom]
            regions.append((layout, layout.body_top, min([bottom, *next_titles])))
    elif ctx.layout is not None:
        top = max((t.bottom for t in titles), default=0.0)
        columns = place_columns(list(ctx.layout.columns), glyphs, rules.vertical, top, page_width)
        regions.append((replace(ctx.layout, columns=columns, header_top=top, body_top=top), top, page_height))
    kpis: list[Kpi] = []
    for layout, top, bottom in regions:
        above = [
            t for t in titles if t.bottom <= layout.header_top + TOL.box_slack_pt or (not layouts and t.bottom <= top)
        ]
        nearest = [t for t in above if all(t.top >= other.bottom for other in above if other is not t)]
        if nearest:
            code, name = theme_of(nearest[-1])
            if code != ctx.theme_code or name != ctx.theme_name:
                ctx.perspective = ctx.objective = None
            ctx.theme_code, ctx.theme_name = code, name
        rows = read_rows(glyphs, layout, rules, top, bottom, page_height)
        kpis += [_kpi(row, layout, ctx, page_number) for row in rows]
    ctx.layout = regions[-1][0] if kpis else None
    return kpis, group_lines(geometry.glyphs)


def _open_failure(exc: Exception) -> str:
    """A reason a person understands for a PDF that cannot be opened."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return "encrypted PDF: it cannot be read without its password"
    if isinstance(cause, PDFSyntaxError | PSException):
        return f"corrupt or truncated PDF: it cannot be parsed as a complete PDF ({cause})"
    return f"corrupt or truncated PDF: it cannot be parsed as a complete PDF ({type(cause).__name__}: {cause})"


def parse_pdf(path: Path, source_file: str | None = None, sha256: str | None = None) -> ParsedDeck:
    """Parse a deck; raise RejectedDeck with a readable reason when it is not a usable scorecard."""
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise RejectedDeck("not a PDF file (no %PDF- header)")
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for broken files
        raise RejectedDeck(_open_failure(exc)) from exc
    with pdf:
        deck = _parse_open(pdf, path, source_file or path.name, sha256 or sha256_of(path))
    deck.findings += check_deck(deck)
    return deck


def _parse_open(pdf, path: Path, source_file: str, sha256: str) -> ParsedDeck:
    try:
        pages = list(pdf.pages)
    except Exception as exc:  # noqa: BLE001
        raise RejectedDeck(f"not a readable PDF (corrupt or truncated): {exc}") from exc
    if not pages:
        raise RejectedDeck("the PDF has no pages")
    ctx = _Context()
    kpis: list[Kpi] = []
    org = map_date = None
    chars_seen = images_seen = 0
    for number, page in enumerate(pages, start=1):
        try:
            page_kpis, lines = _page_tables(page, ctx, number)
        except MemoryError as exc:
            raise RejectedDeck(_OUT_OF_MEMORY.format(number)) from exc
        except Exception as exc:  # noqa: BLE001 - a broken page stream
            if "allocate" in str(exc):  # zlib reports exhausted memory as its own error
                raise RejectedDeck(_OUT_OF_MEMORY.format(number)) from exc
            raise RejectedDeck(f"page {number} could not be read: {type(exc).__name__}: {exc}") from exc
        chars_seen += len(page.chars)
        images_seen += len(page.images)
        if number == 1:
            org = find_org(lines)
        if map_date is None and not page_kpis and is_strategy_map(lines):
            map_date = find_map_date(lines)
            org = org or org_from_map_title(lines)
        kpis += page_kpis
        page.close()
    if chars_seen == 0:
        raise RejectedDeck("no text layer: no page has any text (a scanned or image-only PDF?)")
    if not kpis:
        pictures = " (its tables may be pictures, which hold no text to read)" if images_seen else ""
        raise RejectedDeck(
            f"no scorecard tables found: no page has a KPI table header (KPI, 實際值/目標值, 行動方案){pictures}"
        )
    plan_years = [v.year for k in kpis for v in k.values if v.kind == ValueKind.TARGET]
    plan_year = max(set(plan_years), key=plan_years.count) if plan_years else None
    modified, created = pdf_dates(pdf.metadata or {})
    return ParsedDeck(
        source_file, sha256, org, plan_year, map_date, len(pages), kpis, pdf_modified=modified, pdf_created=created
    )
