"""Word forms shared by the stages that compare texts (clustering, outlet comparison) and
the calendar words that comparison and summarization read dates with."""

from __future__ import annotations

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


def light_stem(word: str) -> str:
    """A deliberately light stem: lower case, possessive and plural endings removed.

    Enough to match "talks"/"talk" and "Pakistan's"/"Pakistan" across outlets while keeping
    distinct words distinct; heavier stemming merged unrelated terms on the seeds.
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w
