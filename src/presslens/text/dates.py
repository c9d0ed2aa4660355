"""Dates in news text: calendar words, and relative expressions resolved against a day.

Every stage that reads a date in text (the splitter's datelines, the comparison's facts, the
brief's timeline, the text reader's date line) takes its words and its resolver from here.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

#: Weekday names, in ``date.weekday()`` order.
WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
#: Month abbreviations that news writes with a full stop ("Sept."), to the month's number.
MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
#: Month names, in full and abbreviated, lower case, to the month's number.
MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    **MONTH_ABBREVIATIONS,
}  # fmt: skip


@lru_cache(maxsize=4096)
def resolve(expression: str, base: dt.date) -> tuple[dt.date, str] | None:
    """The day a relative expression ("three months ago", "last Tuesday") names, counted from
    ``base`` and preferring the past, with its precision ("day", "week", "month", "year");
    ``None`` when dateparser finds no date in it."""
    from dateparser.date import DateDataParser

    parser = DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day),
            "PREFER_DATES_FROM": "past",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    data = parser.get_date_data(expression)
    if data.date_obj is None:
        return None
    return data.date_obj.date(), str(data.period or "day")
