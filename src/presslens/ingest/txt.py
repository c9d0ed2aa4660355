"""Plain-text articles: the first non-empty line is the title, the rest is the text.

The lines just under the title often carry the publication date ("Published: 27 March
2024", "Meridian Wire | 14 March 2024, 16:20 GMT", "Posted on March 28, 2024 by ..."); the
first such date becomes the article's ``published``, so that "on Tuesday" in its text can be
resolved.  The line itself stays in the text (cleaning decides about bylines).
"""

from __future__ import annotations

import re

from presslens.errors import InputError
from presslens.ingest.dates import normalise_date
from presslens.model import Article
from presslens.text.dates import MONTHS

_MONTH = "(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
# "27 March 2024", "March 28, 2024", "2024-03-27": a whole date with its year.
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}\s+{_MONTH}\.?\s+\d{{4}}|{_MONTH}\.?\s+\d{{1,2}},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})\b"
)
# Only this many non-empty lines under the title are looked at, and only lines this short
# that do not end a sentence: a date line is furniture, not the first paragraph.
_HEADER_LINES = 4
_MAX_DATE_LINE_CHARS = 100

# A first line longer than this is a paragraph, not a headline (news headlines run to about
# 150 characters; twice that leaves room), so the file is taken as text without a title.
MAX_TITLE_CHARS = 300


def read_txt(text: str, *, article_id: str, origin: str, url: str | None = None) -> Article:
    """An article from decoded plain text; raise :class:`InputError` when there is no text."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise InputError("no text (whitespace only)")
    headline = " ".join(lines[first].split())
    title: str | None = headline
    if len(headline) > MAX_TITLE_CHARS:
        title, body = None, "\n".join(lines[first:]).strip()
    else:
        body = "\n".join(lines[first + 1 :]).strip()
    if not body:
        raise InputError("no text after the title line")
    published = header_date(body) if title is not None else None
    return Article(
        id=article_id, text=body, title=title, url=url, origin=origin, published=published
    )


def header_date(body: str) -> str | None:
    """The publication date on one of the first lines of ``body`` (``YYYY-MM-DD``), or None."""
    lines = [line.strip() for line in body.split("\n") if line.strip()][:_HEADER_LINES]
    for line in lines:
        if len(line) > _MAX_DATE_LINE_CHARS or line.endswith((".", "!", "?", '"', "”")):
            continue
        m = _DATE.search(line)
        if m:
            found = normalise_date(" ".join(m.group().replace(",", ", ").split()))
            if found:
                return found[:10]
    return None
