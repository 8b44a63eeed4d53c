"""Parse one PDF deck into a `ParsedDeck`: pages → table layouts → rows → cleaned KPI records."""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.clean.codes import CODE, code_depth
from pipeline.clean.text import is_ideograph
from pipeline.extract.deck_fields import (
    cut_map_date,
    date_beside_the_map,
    find_map_date,
    find_org,
    is_strategy_map,
    map_slide_lines,
    org_from_map_title,
)
from pipeline.extract.encoding_cmaps import read_encoding_cmaps
from pipeline.extract.form_state import restore_state_after_forms
from pipeline.extract.geometry import Line, glyph_text
from pipeline.extract.notes_pages import without_reprints
from pipeline.extract.page_reading import PageReading, ReadingContext, clipped_reprints, left_unread, read_page
from pipeline.extract.pdf_dates import pdf_dates
from pipeline.extract.plausibility import check_deck
from pipeline.extract.scheme import fill_unread_perspectives
from pipeline.extract.shown_page import PrintedPages
from pipeline.extract.text_layer import unmapped_chars, unreadable_reason
from pipeline.extract.tolerances import TOL
from pipeline.identity import sha256_of
from pipeline.model import Finding, Kpi, ParsedDeck, Severity, ValueKind

_GC_THRESHOLD = 50_000  # allocations between young-generation collections while a deck is read (default 700)
# A code standing apart from the letters and digits around it (not the tail of a longer code).
_PRINTED_CODE = re.compile(rf"(?<![A-Za-z0-9.]){CODE}(?![\d.])")
_NO_CHINESE = (
    "; its text layer holds no Chinese text at all, only Latin letters and digits"
    " (text in fonts a re-print or conversion could not load is lost so)"
)
_CUT_DATE = (
    "page {}: the strategy map's date '{}' looks cut short (its month has two digits, its day one); "
    "map_date is left empty"
)
_OUT_OF_MEMORY = "page {} needs more memory than a deck may use (a compression bomb or a damaged file)"


class RejectedDeck(Exception):
    """The file is not a readable scorecard deck; the message says why, for a person."""


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect garbage less often while a deck is read: pdfminer makes hundreds of thousands of
    short-lived objects a deck, and at Python's default thresholds the collector walks the
    parser's live pages and glyphs again and again, for a tenth of the parse or more. Cycles
    are still collected, later; the thresholds are put back after."""
    before = gc.get_threshold()
    gc.set_threshold(_GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _open_failure(exc: Exception) -> str:
    """A reason a person understands for a PDF that cannot be opened."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return "encrypted PDF: it cannot be read without its password"
    if isinstance(cause, PDFSyntaxError | PSException):
        return f"corrupt or truncated PDF: it cannot be parsed as a complete PDF ({cause})"
    return f"corrupt or truncated PDF: it cannot be parsed as a complete PDF ({type(cause).__name__}: {cause})"


def parse_pdf(
    path: Path,
    source_file: str | None = None,
    sha256: str | None = None,
    on_page: Callable[[Any, PageReading], None] | None = None,
) -> ParsedDeck:
    """Parse a deck; raise RejectedDeck with a readable reason when it is not a usable scorecard.

    `on_page(page, reading)` sees each pdfplumber page with what the parser read from it, before
    the page is closed (`scorecards explain` draws it)."""
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise RejectedDeck("not a PDF file (no %PDF- header)")
    read_encoding_cmaps()
    restore_state_after_forms()
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for broken files
        raise RejectedDeck(_open_failure(exc)) from exc
    with pdf, _fewer_collections():
        deck = _parse_open(pdf, path, source_file or path.name, sha256 or sha256_of(path), on_page)
    deck.findings += check_deck(deck)
    return deck


def _parse_open(
    pdf, path: Path, source_file: str, sha256: str, on_page: Callable[[Any, PageReading], None] | None = None
) -> ParsedDeck:
    try:
        pages = list(pdf.pages)
    except Exception as exc:  # noqa: BLE001
        raise RejectedDeck(f"not a readable PDF (corrupt or truncated): {exc}") from exc
    if not pages:
        raise RejectedDeck("the PDF has no pages")
    ctx = ReadingContext(page_counts=range(len(pages), len(pages) + 1))
    kpis: list[Kpi] = []
    org = map_date = None
    map_undated = False  # the page before was a strategy map with no date on it
    chars_seen = images_seen = 0
    chinese_seen = False
    unmapped: list[str] = []
    printed: list[tuple[int, str]] = []  # (page, code) of every code printed, for _codes_without_rows
    notes_pages: set[int] = set()
    sheet_of: dict[int, int] = {}  # the PDF page each page as printed is on
    printed_pages = PrintedPages(pages)
    for number, shown_as in enumerate(printed_pages, start=1):
        page = shown_as.sheet
        sheet_of[number] = shown_as.sheet_index + 1
        if shown_as.count > 1:  # a sheet printing several: count the deck's pages anew
            most = number - shown_as.index - 1 + shown_as.count * (len(pages) - shown_as.sheet_index)
            last_sheet = shown_as.sheet_index + 1 == len(pages)  # else the last may hold fewer than this
            ctx.page_counts = range(most if last_sheet else most - shown_as.count + 1, most + 1)
        try:
            reading = read_page(printed_pages.shown(shown_as), ctx, number, partial(printed_pages.after, shown_as))
        except MemoryError as exc:
            raise RejectedDeck(_OUT_OF_MEMORY.format(number)) from exc
        except Exception as exc:  # noqa: BLE001 - a broken page stream
            if "allocate" in str(exc):  # zlib reports exhausted memory as its own error
                raise RejectedDeck(_OUT_OF_MEMORY.format(number)) from exc
            raise RejectedDeck(f"page {number} could not be read: {type(exc).__name__}: {exc}") from exc
        page_kpis, lines = reading.kpis, reading.lines
        if reading.frame:
            notes_pages.add(number)
        if on_page is not None:
            on_page(page, reading)
        if shown_as.index == 0:
            chars_seen += len(page.chars)
            chinese_seen = chinese_seen or any(is_ideograph(c["text"]) for c in page.chars)
            unmapped += unmapped_chars(page.chars)
            images_seen += len(page.images)
        if number == 1:
            org = find_org(lines)
        if map_date is None and is_strategy_map(lines):
            map_lines = map_slide_lines(lines) if page_kpis else lines
            map_date = find_map_date(map_lines)
            if map_date is None and (cut := cut_map_date(map_lines)):
                ctx.findings.append(Finding("map_date_cut", Severity.WARNING, _CUT_DATE.format(number, cut)))
            org = org or org_from_map_title(map_lines)
            map_undated = map_date is None and not page_kpis
        elif map_undated:
            map_date = None if page_kpis else date_beside_the_map(lines)
            map_undated = False
        kpis += page_kpis
        printed += [(number, code) for line in lines + reading.turned_lines for code in _printed_codes(line)]
        printed_pages.done(shown_as)
        if shown_as.last_on_sheet:
            page.close()
    if chars_seen == 0:
        raise RejectedDeck("no text layer: no page has any text (a scanned or image-only PDF?)")
    if reason := unreadable_reason(unmapped):
        raise RejectedDeck(reason)
    if not kpis:
        pictures = " (its tables may be pictures, which hold no text to read)" if images_seen else ""
        latin = "" if chinese_seen else _NO_CHINESE
        raise RejectedDeck(
            f"no scorecard tables found: no page has a KPI table header (KPI, 實際值/目標值, 行動方案){pictures}{latin}"
        )
    plan_years = [v.year for k in kpis for v in k.values if v.kind == ValueKind.TARGET]
    plan_year = max(set(plan_years), key=plan_years.count) if plan_years else None
    fill_unread_perspectives(kpis)
    kpis = without_reprints(clipped_reprints(kpis, ctx.clipped_away), notes_pages)
    if len(sheet_of) > len(pages):  # a record's page is the PDF page it is printed on, where a person finds it
        kpis = [replace(k, page=sheet_of[k.page]) for k in kpis]
    modified, created = pdf_dates(pdf.metadata or {})
    deck = ParsedDeck(
        source_file, sha256, org, plan_year, map_date, len(pages), kpis, pdf_modified=modified, pdf_created=created
    )
    deck.findings += (
        ctx.findings + left_unread(ctx) + _themes_without_rows(ctx.titled, kpis) + _codes_without_rows(printed, kpis)
    )
    return deck


def _printed_codes(line: Line) -> list[str]:
    """The codes printed on a line, each read within text a tool drew in one go: the line is cut
    where a glyph stands apart from the one before it and was not drawn right after it, so a code
    never runs on into the value drawn beside it ('AF1.1' of a wrapped plan code 0.6 pt before
    '125566' is no code 'AF1.1125566')."""
    texts, start = [], 0
    glyphs = line.glyphs
    for i in range(1, len(glyphs)):
        a, b = glyphs[i - 1], glyphs[i]
        if a.seq >= 0 and b.seq >= 0 and b.seq != a.seq + 1 and b.x0 > a.x1 + TOL.rounding_pt:
            texts.append(glyph_text(glyphs[start:i]))
            start = i
    texts.append(glyph_text(glyphs[start:]) if start else line.text)  # uncut, the line's own text
    return [m.group(0) for text in texts for m in _PRINTED_CODE.finditer(text)]


def _codes_without_rows(printed: list[tuple[int, str]], kpis: list[Kpi]) -> list[Finding]:
    """KPI codes printed in the deck that no row was read for: a table no
    header or carried layout let the reader see (a table begun on a page after its title, with
    no header of its own), its KPIs lost without a word. A code counts as a KPI's when it has the
    depth most KPI codes have and names no objective or plan read, nor the tail of one (a code's
    letters split off by text printed over it)."""
    depths = Counter(code_depth(k.kpi_code) for k in kpis if k.kpi_code)
    if not depths:
        return []
    depth = depths.most_common(1)[0][0]
    read = {k.kpi_code for k in kpis if k.kpi_code} | {k.objective_code for k in kpis if k.objective_code}
    read |= {plan.code for k in kpis for plan in k.action_plans if plan.code}
    missed: dict[str, int] = {}
    for page, code in printed:
        if code_depth(code) == depth and not any(r.endswith(code) for r in read):
            missed.setdefault(code, page)
    if not missed:
        return []
    pages = sorted(set(missed.values()))
    where = f"page {pages[0]}" if len(pages) == 1 else f"pages {', '.join(map(str, pages))}"
    return [
        Finding(
            "kpi_codes_read",
            Severity.ERROR,
            f"{where}: KPI codes printed but no row read for them: {'、'.join(list(missed)[:8])}",
        )
    ]


def _themes_without_rows(titled: dict[tuple[str | None, str | None], int], kpis: list[Kpi]) -> list[Finding]:
    """Themes whose title the deck prints but under which no KPI row was read: their table was
    missed (a header split over a page break, read on neither page), and every KPI of the theme
    lost without a word. No check on the KPIs read can see a theme that has none. A title that
    names no theme ('策略主題' alone: the first words of a heading a paginator broke at the page
    foot, printed whole on the next page) is no theme to look for; printed codes are checked
    apart (see _codes_without_rows)."""
    codes = {k.theme_code for k in kpis if k.theme_code}
    names = {k.theme_name for k in kpis if k.theme_name}
    missed = [
        (code, name, page)
        for (code, name), page in titled.items()
        if (code or name) and (code not in codes if code else name not in names)
    ]
    return [
        Finding(
            "theme_without_rows",
            Severity.ERROR,
            f"page {page}: theme {_theme_label(code, name)}: no KPI row read under its title",
        )
        for code, name, page in missed
    ]


def _theme_label(code: str | None, name: str | None) -> str:
    return " ".join(part for part in (f"({code})" if code else None, name) if part)
