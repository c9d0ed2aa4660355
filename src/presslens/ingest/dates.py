"""Publication dates as ``YYYY-MM-DD`` or an ISO datetime, whatever form they came in."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_SEPT = re.compile(r"\bSept\b", re.IGNORECASE)

# Day-first and month-name forms seen in news metadata; all-numeric day/month orders other
# than year-first are ambiguous (03/04/2024) and are left unparsed rather than guessed.
_FORMATS = (
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%b. %d, %Y",
)


def normalise_date(value: str) -> str | None:
    """``value`` as ``YYYY-MM-DD`` (a date) or ISO 8601 (a datetime); None when unparseable."""
    raw = " ".join(value.split())
    if not raw:
        return None
    if _DATE_ONLY.fullmatch(raw):
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            return None
    try:
        parsed = datetime.fromisoformat(raw.replace(" Z", "Z"))
    except ValueError:
        parsed = None
    if parsed is None:
        try:
            parsed = parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        # "Sept." is how news abbreviates September; strptime knows only "Sep"
        named = _SEPT.sub("Sep", raw)
        for fmt in _FORMATS:
            try:
                parsed = datetime.strptime(named, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    if _HAS_TIME.search(raw):
        return parsed.isoformat()
    return parsed.date().isoformat()
