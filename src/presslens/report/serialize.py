"""Records → JSON-ready values, generically, so a new Story field needs no report code."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from presslens.model import Article


def to_jsonable(value: Any) -> Any:
    """Dataclasses to dicts (``None`` fields dropped), tuples/sets to lists, mappings to dicts."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if v is None:
                continue
            out[f.name] = to_jsonable(v)
        return out
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [to_jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return [to_jsonable(v) for v in sorted(value, key=str)]
    return value


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
        out["original"] = bool(article.original)
    if article.extra:
        out["extra"] = to_jsonable(article.extra)
    return out
