"""The PDF's own dates (/ModDate, /CreationDate in its info dictionary), which tell two versions of
a deck apart when their printed map dates do not."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

_PDF_DATE = re.compile(
    r"^(?:D:)?(?P<y>\d{4})(?P<mo>\d{2})?(?P<d>\d{2})?(?P<h>\d{2})?(?P<mi>\d{2})?(?P<s>\d{2})?"
    r"(?:(?P<sign>[Zz+\-])(?P<oh>\d{2})?'?(?P<om>\d{2})?'?)?"
)


def pdf_date(value: Any) -> datetime | None:
    """'D:20230215093000+08'00'' → 2023-02-15 01:30:00 (UTC, naive); None when absent or unreadable.
    A date without a time zone is taken as UTC."""
    if isinstance(value, bytes):
        value = value.decode("latin-1", "replace")
    match = _PDF_DATE.match(value.strip()) if isinstance(value, str) else None
    if not match:
        return None
    parts = [int(match[k] or default) for k, default in (("y", 0), ("mo", 1), ("d", 1), ("h", 0), ("mi", 0), ("s", 0))]
    offset = timedelta(hours=int(match["oh"] or 0), minutes=int(match["om"] or 0))
    zone = timezone(-offset if match["sign"] == "-" else offset)
    try:
        return datetime(*parts, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
    except ValueError:
        return None


def pdf_dates(metadata: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    """(modified, created) from a PDF's info dictionary, as pdfplumber's `pdf.metadata` gives it."""
    return pdf_date(metadata.get("ModDate")), pdf_date(metadata.get("CreationDate"))
