"""Plain-text articles: the first non-empty line is the title, the rest is the text."""

from __future__ import annotations

from presslens.errors import InputError
from presslens.model import Article

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
    return Article(id=article_id, text=body, title=title, url=url, origin=origin)
