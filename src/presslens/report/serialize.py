"""The report's view of records; records in general go through :mod:`presslens.codec`."""

from __future__ import annotations

from typing import Any

from presslens.codec import to_jsonable
from presslens.model import Article

__all__ = ["article_to_dict", "to_jsonable"]


def article_to_dict(article: Article) -> dict[str, Any]:
    """The report's view of an article (DESIGN.md record fields plus cleaning audit)."""
    out: dict[str, Any] = {
        "id": article.id,
        "source": article.source,
        "source_from": article.source_from,
        "url": article.url,
        "title": article.title,
        "published": article.published,
        "author": article.author,
        "origin": article.origin,
        "word_count": article.word_count,
        "text": article.text,
        "removed": [{"line": r.line, "reason": r.reason} for r in article.removed],
    }
    if article.extraction is not None:
        out["extraction"] = article.extraction
    if article.syndication_group is not None:
        out["syndication_group"] = article.syndication_group
        out["original"] = bool(article.is_original)
    if article.extra:
        out["extra"] = to_jsonable(article.extra)
    if article.revisions:
        out["revisions"] = to_jsonable(article.revisions)
    return out
